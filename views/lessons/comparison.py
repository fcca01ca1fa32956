"""Lesson 18: the notes' DNN / CNN / RNN / LSTM / GCN table, corrected, with each row linked to
the runs measured on the task pages."""

import pandas as pd
import streamlit as st

from i18n import N_
from lessons import comparison as cmp
from ui.i18n import gettext_for_session, text
from ui.lesson import corrections, lesson_header, next_steps, page_info, quiz
from ui.run_store import run_store

SCRIPT = "views/lessons/comparison.py"
CELLS = (N_("Application"), N_("Strengths"), N_("Weaknesses"), N_("Suitable data"))
CLAIM_COLUMNS = (N_("family"), N_("claim"), N_("verdict"), N_("evidence"))  # keys of cmp.check_claims rows
PARAMETER_COLUMNS = (N_("family"), N_("layer"), N_("sees"), N_("parameters"))  # keys of cmp.parameter_rows
_, prose = gettext_for_session(), text("comparison")
lesson_header(SCRIPT)

st.markdown(prose("intro"))

runs, reason = cmp.load_runs(_, run_store())
if reason:
    st.info(reason, icon=":material/info:")
measured = cmp.measured_cells(runs, _)
for row in cmp.TABLE:
    with st.container(border=True):
        st.subheader(row.family)
        cells = st.columns(4)
        for column, title, cell in zip(cells, CELLS, (row.application, row.strengths, row.weaknesses,
                                                      row.suitable_data), strict=True):
            column.markdown(f"**{_(title)}**\n\n{_(cell)}")
        lines = measured[row.family]
        st.markdown(_("**Measured** (best run per architecture): {lines}").format(
            lines=_("; ").join(lines) if lines else _("no runs yet — train on the task page.")))
        links = st.columns(3)
        for column, task in zip(links, cmp.family_tasks(row.family), strict=False):
            info = page_info(cmp.TASKS[task].page)
            column.page_link(info.script, label=_(info.title), icon=info.icon)

st.header(_("The table's claims, checked against your runs"))
columns = {name: _(name) for name in CLAIM_COLUMNS}
claims = pd.DataFrame(cmp.check_claims(runs, _))[list(CLAIM_COLUMNS)].rename(columns=columns)
st.dataframe(claims, hide_index=True,
             column_config={columns["claim"]: st.column_config.TextColumn(columns["claim"], width="large"),
                            columns["evidence"]: st.column_config.TextColumn(columns["evidence"], width="large")})
st.caption(prose("claims"))


@st.fragment
def layer_cost():
    st.header(_("What one layer costs"))
    problem = st.radio(_("Input"), list(cmp.PROBLEMS), format_func=lambda key: cmp.problem_title(key, _),
                       horizontal=True)
    units = st.select_slider(_("Units in the layer"), [16, 32, 64, 128, 256], value=64)
    columns = {name: _(name) for name in PARAMETER_COLUMNS}
    rows = [{columns[key]: value for key, value in row.items()} for row in cmp.parameter_rows(problem, units, _)]
    st.dataframe(pd.DataFrame(rows), hide_index=True,
                 column_config={columns["parameters"]: st.column_config.NumberColumn(columns["parameters"],
                                                                                     format="%d"),
                                columns["sees"]: st.column_config.TextColumn(columns["sees"], width="large")})
    st.caption(prose("layer-cost"))


def notes_table():
    with st.expander(_("What the notes' table said, cell by cell")):
        for row in cmp.TABLE:
            st.markdown(_("**{family}**: {cells}").format(family=row.family, cells=_(row.notes_said)))


layer_cost()
notes_table()
quiz(cmp.QUESTIONS, key="comparison")
corrections(cmp.CORRECTIONS)
next_steps("views/tasks/mnist.py", "views/tasks/sentiment.py", "views/tasks/traffic.py")
