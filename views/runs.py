"""Run history: every stored run, filtered; download a run's weights, record or retraining script, or
delete it."""

import json

import streamlit as st

from training.events import FINISHED
from training.export import script_for, why_not_exportable
from ui.i18n import gettext_for_session, text
from ui.names import shown_config, shown_table
from ui.run_browser import filter_runs, may_delete, public_record, run_filters, run_label, runs_frame
from ui.run_store import run_store
from ui.text import plain

_, prose = gettext_for_session(), text("runs")
st.title(_("Run history"))
st.caption(prose("intro"))
store = run_store()
if deleted := st.session_state.pop("runs-deleted", None):
    st.success(_("Deleted run {run}.").format(run=deleted), icon=":material/delete:")
records = filter_runs(store, **run_filters("runs"))
if not records:
    st.info(_("No stored run matches. Train a model on one of the task pages first."), icon=":material/history:")
    st.stop()

st.dataframe(shown_table(runs_frame(records)), hide_index=True,
             column_config=shown_config({"Parameters": st.column_config.NumberColumn(format="localized")}))
by_id = {record["run_id"]: record for record in records}
run_id = st.selectbox(_("Run"), list(by_id), format_func=lambda chosen: run_label(by_id[chosen]), key="runs-chosen")
record = by_id[run_id]

with st.container(border=True):
    st.markdown(f"**{run_label(record)}**")
    if record["message"]:
        st.text(_(record["message"]))  # the engine's own messages are in the catalog (ui/names.py)
    if record.get("problems"):
        st.warning(_("The stored record of this run is damaged: {problems}. It is shown with what could be read.")
                   .format(problems=plain("; ".join(record["problems"]))), icon=":material/report:")
    setup, metrics = st.columns(2)
    setup.markdown("**" + _("Setup") + "**")
    setup.json({key: value for key, value in {**record["config"], **record["extra"]}.items() if key != "owner"},
               expanded=False)
    metrics.markdown("**" + _("Test metrics") + "**")
    metrics.json(record["metrics"], expanded=False)
    download, export, script, delete = st.columns(4)
    # Only a finished run's weights are offered: an interrupted or failed run's are partial or absent.
    problem = store.weights_problem(run_id) if record["status"] == FINISHED and record["learned"] else ""
    if record["status"] != FINISHED or not record["learned"]:
        download.caption(_("No weights for this run: a baseline learns none.") if not record["learned"] else
                         _("No weights for this run: it did not finish ({status}).").format(status=_(record["status"])))
    elif problem:
        download.warning(_("The weights cannot be offered: {problem}.").format(problem=plain(problem)),
                         icon=":material/report:")
    else:
        download.download_button(_("Download weights (.weights.h5)"), store.weights_path(run_id).read_bytes,
                                 file_name=f"{run_id}.weights.h5", mime="application/octet-stream",
                                 icon=":material/download:", on_click="ignore", key="runs-weights")
    export.download_button(_("Download record (.json)"), json.dumps(public_record(record), indent=2),
                           file_name=f"{run_id}.json", mime="application/json", icon=":material/data_object:",
                           on_click="ignore", key="runs-json")
    if (reason := why_not_exportable(record)) is None:
        script.download_button(_("Download script (.py)"), lambda: script_for(record), file_name=f"{run_id}.py",
                               mime="text/x-python", icon=":material/code:", on_click="ignore", key="runs-script",
                               help=_("One Python file that retrains this run: same data, model, recipe and seed, "
                                      "built from the app's own code. Needs only keras, tensorflow and numpy."))
    else:
        script.caption(_("No script: {reason}.").format(reason=plain(reason)))
    if may_delete(record):
        confirm = delete.checkbox(_("Yes, delete this run"), key="runs-confirm")
        if delete.button(_("Delete run"), icon=":material/delete:", disabled=not confirm, key="runs-delete"):
            store.delete_run(run_id)
            st.session_state.pop("runs-confirm", None)
            st.session_state["runs-deleted"] = run_id
            st.rerun()
    else:
        delete.caption(_("Only the learner who trained this run can delete it on this shared server."))
