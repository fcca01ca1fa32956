"""The page every task shares: set up a comparison, train it live, see the models side by side.

A task page script calls `task_page(...)` with its task-specific views. Training runs in worker
processes (`ui.worker`, `training.jobs`); the live panel is a fragment that polls the job every
second, so Streamlit reruns never interrupt a training, and the form is locked while it runs.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from i18n import N_
from models.param_table import parameter_count
from models.registry import ARCHITECTURES, recipe_for
from models.tasks import TASKS
from training.bounds import BATCH_RANGE, EPOCH_RANGE, LEARNING_RATE_RANGE, SEED_RANGE
from training.events import RUNNING, RunConfig
from training.export import code_entry
from training.recipes import recipe_rows
from training.source_code import builder_code
from training.store import RunStore
from ui.datasets import load_dataset
from ui.i18n import URL_KEY, choices_placeholder, gettext_for_session, language
from ui.lesson import page_info
from ui.live import live_panel
from ui.names import shown_name
from ui.query import PageSetup, setup_from_query, setup_to_query
from ui.reference import reference_expander
from ui.results import (
    Entry,
    arch_label,
    describe_time,
    entry_from_run,
    entry_from_stored,
    label_entries,
    template_patterns,
    translated_text,
)
from ui.run_store import run_store
from ui.side_by_side import side_by_side
from ui.worker import clear_session_results, current_job, session_owner, session_results, start_job

STORED_CHOICES = 50  # the latest stored runs offered for the comparison

# The cells of training.recipes.recipe_rows, translated in the shown table (the data stays English).
RECIPE_CELLS = (
    N_("Setting"), N_("Full"), N_("Quick"), N_("training"), N_("none: a fixed rule computed from the training data"),
    N_("the same"), N_("Epochs"), N_("Batch size"), N_("Optimizer"), N_("Learning rate"),
    N_("Learning-rate schedule"), N_("Training samples"), N_("cosine decay to 2 %"), N_("constant"), N_("all"),
    N_("Text: max tokens"), N_("Text: sequence length"), N_("Text: ngrams"), N_("Text: distinct"),
    N_("Text: punctuation"), N_("Text: min count"), N_("Adam"), N_("SGD"), N_("Weight average"), N_("off"),
    N_("Starting word vectors"), N_("word co-occurrences in the training reviews"), N_("random"))
RECIPE_PATTERNS = template_patterns((N_("first {count}"), N_("momentum {momentum}")))


def shown_recipe_cell(cell: str, gettext) -> str:
    return translated_text(cell, RECIPE_PATTERNS, gettext, depth=0)


def describe_recipe(task: str, arch: str) -> str:
    _ = gettext_for_session()
    info = ARCHITECTURES[task][arch]
    if not info.learned:
        return _("not trained")
    full, quick = recipe_for(info, False), recipe_for(info, True)
    values = {"epochs": full.epochs, "batch": full.batch_size, "rate": f"{full.learning_rate:g}",
              "quick_epochs": quick.epochs}
    if quick.limit:
        return _("recipe {epochs} epochs, batch {batch}, learning rate {rate}; quick: {quick_epochs} epochs on "
                 "{count} samples").format(**values, count=f"{quick.limit:,}")
    return _("recipe {epochs} epochs, batch {batch}, learning rate {rate}; quick: {quick_epochs} epochs").format(
        **values)


def architecture_list(task: str) -> None:
    _ = gettext_for_session()
    lines = []
    for arch, info in ARCHITECTURES[task].items():
        count = parameter_count(task, arch)
        size = (_("no parameters") if not info.learned
                else _("{count} parameters").format(count=f"{count:,}") if count is not None
                else _("parameters counted when it trains"))
        lines.append(f"- **{shown_name(info.label, _)}** · {size} · {describe_recipe(task, arch)}  \n  "
                     f"{_(info.description)}")
    st.markdown("\n".join(lines))
    if task == "traffic":
        st.caption(_("Parameter counts are for the full {sensors}-sensor road graph.").format(
            sensors=TASKS[task].sizes["sensors"]))


def architecture_code(task: str) -> None:
    """Per architecture: its recipe, resolved as a run without overrides would be, and the code that
    builds it, read from models/ with `ast` (opening a task page must not import TensorFlow)."""
    _ = gettext_for_session()
    if not st.toggle(_("Show the code and the recipe of each architecture"), key=f"{task}-show-code"):
        return
    infos = list(ARCHITECTURES[task].values())
    st.caption(_("To get the whole training of one run as a script you can run yourself, download it "
                 "from the Run history page, or run `python -m training export RUN_ID`."))
    for tab, info in zip(st.tabs([shown_name(info.label, _) for info in infos]), infos):
        with tab:
            rows = [{_(column): shown_recipe_cell(cell, _) for column, cell in row.items()}
                    for row in recipe_rows(task, info.name)]
            st.table(pd.DataFrame(rows).set_index(_("Setting")))
            module, function = code_entry(info)
            code = builder_code(module, function)
            st.code(f"{code.imports}\n\n\n{code.builder}" if code.imports else code.builder, language="python")
            if code.helpers:
                st.caption(_("The project code `{function}` calls ({files}):").format(
                    function=function, files=", ".join(code.files)))
                st.code(code.helpers, language="python")


def setup_form(task: str, locked: bool) -> PageSetup | None:
    """The form; returns the setup when the learner presses Train, else None."""
    _ = gettext_for_session()
    names = list(ARCHITECTURES[task])
    initial = setup_from_query(st.query_params, names, PageSetup(archs=list(TASKS[task].default_archs)))
    with st.expander(_("The architectures"), expanded=not locked, icon=":material/info:"):
        architecture_list(task)
        architecture_code(task)
    recipe, use_recipe = _("recipe"), _("Leave empty to use each architecture's recipe.")
    with st.form(f"{task}-setup", border=True):
        archs = st.multiselect(_("Architectures to train and compare"), names, default=initial.archs,
                               format_func=lambda name: shown_name(ARCHITECTURES[task][name].label, _),
                               key=f"{task}-archs", disabled=locked, placeholder=choices_placeholder(names))
        left, middle, right, last = st.columns(4)
        epochs = left.number_input(_("Epochs"), *EPOCH_RANGE, value=initial.epochs, step=1, key=f"{task}-epochs",
                                   placeholder=recipe, disabled=locked, help=use_recipe)
        batch_size = middle.number_input(_("Batch size"), *BATCH_RANGE, value=initial.batch_size, step=16,
                                         key=f"{task}-batch", placeholder=recipe, disabled=locked, help=use_recipe)
        learning_rate = right.number_input(_("Learning rate"), *LEARNING_RATE_RANGE, value=initial.learning_rate,
                                           step=1e-4, format="%g", key=f"{task}-lr", placeholder=recipe,
                                           disabled=locked,
                                           help=_("Leave empty to use each architecture's recipe. Try 5 to "
                                                  "watch a run diverge."))
        seed = last.number_input(_("Seed"), *SEED_RANGE, value=initial.seed, step=1, key=f"{task}-seed",
                                 disabled=locked)
        quick = st.toggle(_("Quick: the quick recipe on a training subset (a minute or two)"), value=initial.quick,
                          key=f"{task}-quick", disabled=locked)
        submitted = st.form_submit_button(_("Train"), type="primary", icon=":material/play_arrow:",
                                          disabled=locked)
    if not submitted:
        return None
    if not archs:
        st.warning(_("Pick at least one architecture to train."), icon=":material/warning:")
        return None
    return PageSetup(archs=list(archs), epochs=None if epochs is None else int(epochs),
                     batch_size=None if batch_size is None else int(batch_size),
                     learning_rate=None if learning_rate is None else float(learning_rate),
                     seed=int(seed), quick=bool(quick))


def configs_for(task: str, setup: PageSetup, always_include: tuple[str, ...] = ()) -> list[RunConfig]:
    archs = [*[arch for arch in always_include if arch not in setup.archs], *setup.archs]
    archs.sort(key=lambda arch: not ARCHITECTURES[task][arch].baseline)  # baselines first, else as chosen
    return [RunConfig(task=task, arch=arch, epochs=setup.epochs, batch_size=setup.batch_size,
                      learning_rate=setup.learning_rate, seed=setup.seed, quick=setup.quick,
                      owner=session_owner())
            for arch in archs]


def stored_choices(task: str, store: RunStore, exclude: set[str]) -> list[Entry]:
    """Earlier runs of this task that the learner may add to the comparison."""
    owner = session_owner()
    records = [record for record in store.list_runs(task=task) if record["run_id"] not in exclude
               and record["status"] != RUNNING
               and not record["config"].get("data")][:STORED_CHOICES]  # own-data runs: other test sets
    entries = [entry_from_stored(record, store, with_history=False) for record in records]
    for entry, record in zip(entries, records):
        entry.source = N_("mine, stored") if record.get("owner") == owner else N_("shared")
    return entries


def comparison_entries(task: str, store: RunStore) -> list[Entry]:
    entries = [entry_from_run(task, run) for run in session_results(task)]
    choices = {entry.run_id: entry for entry in stored_choices(task, store, {e.run_id for e in entries})}
    if choices:
        _ = gettext_for_session()
        chosen = st.multiselect(
            _("Add earlier runs of this task to the comparison"), list(choices),
            format_func=lambda run_id: (f"{shown_name(arch_label(task, choices[run_id].arch), _)} · "
                                        f"{describe_time(choices[run_id].started_at)} · "
                                        f"{_(choices[run_id].status)} · {_(choices[run_id].source)}"),
            key=f"{task}-stored", placeholder=choices_placeholder(choices))
        for run_id in chosen:
            record = store.get_run(run_id)
            if record is not None:
                entries.append(entry_from_stored(record, store))
                entries[-1].source = choices[run_id].source
    return label_entries(entries)


def task_page(task: str, script: str, *, intro: str = "", always_include: tuple[str, ...] = (),
              views: Callable[[list[Entry]], None] | None = None,
              notes: Callable[[list[Entry]], None] | None = None) -> None:
    """Render a task page. `views` draws the task-specific results of finished runs; `notes`
    explains the comparison next to the results table; `always_include` architectures (cheap
    baselines) join every training."""
    _ = gettext_for_session()
    info = page_info(script)
    st.title(_(info.title))
    st.caption(_(info.summary))
    if intro:
        st.markdown(intro)
    load_dataset(task)  # downloads with a progress bar, or stops the page with a clear error
    job = current_job(task)
    running = job is not None and not job.finished
    st.session_state[f"{task}-live-job"] = job.id if running else None

    setup = setup_form(task, locked=running)
    if setup is not None:
        # The link to share is the URL: the setup, and the language the reader sees (from_dict drops ?lang=).
        st.query_params.from_dict(setup_to_query(setup) | {URL_KEY: language()})
        start_job(task, configs_for(task, setup, always_include))
        st.rerun()

    if job is not None:
        live_panel(task, job)
    if running:
        st.info(_("The comparison appears here when the training ends. You can leave this page: "
                  "the training continues and its runs are stored."), icon=":material/hourglass_top:")
        return
    store = run_store()
    side_by_side(task, comparison_entries(task, store), views=views, notes=notes)
    if session_results(task):
        st.button(_("Clear this session's results"), icon=":material/clear_all:", key=f"{task}-clear",
                  on_click=clear_session_results, args=(task,),
                  help=_("They stay in the run store: add them back above, or see them on Run history."))
    reference_expander(task)
