"""The comparison part of a task page: overlaid curves, one table row per model, bar charts.

Runs that differ only in their seed can be grouped into one row with mean ± standard deviation
(training.seeds), and their bar gets an error bar.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from i18n import N_
from models.tasks import TASKS
from training.events import FINISHED
from ui.charts import curves_chart, history_frame, metric_bar_chart
from ui.i18n import gettext_for_session, localized_chart
from ui.names import shown_config, shown_name, shown_table
from ui.results import (
    Entry,
    grouped_display,
    grouped_frame,
    has_repeated_seeds,
    results_frame,
    task_metrics,
)
from ui.text import plain

GROUPED_HELP = N_("Runs with the same task, architecture, recipe, hyperparameters and data but different "
                "seeds become one row: the mean of each metric ± its sample standard deviation (divided "
                "by n − 1, because a few seeds are a sample of all the runs this setup could give).")


def seed_grouping(entries: list[Entry], key: str) -> bool:
    """A toggle, shown only when some configuration was trained with several seeds."""
    if not has_repeated_seeds(entries):
        return False
    _ = gettext_for_session()
    return st.toggle(_("Group runs that differ only in the seed (mean ± standard deviation)"), value=True,
                     key=key, help=_(GROUPED_HELP))


def comparison_table(entries: list[Entry], grouped: bool = False) -> None:
    _ = gettext_for_session()
    frame = grouped_display(grouped_frame(entries)) if grouped else results_frame(entries)
    st.dataframe(shown_table(frame), hide_index=True, column_config=shown_config({
        "Parameters": st.column_config.NumberColumn(format="localized"),
        "Run": st.column_config.TextColumn(width="small")}))
    st.caption(_("Test metrics on the held-out test set; seconds per epoch and total time are wall-clock "
                 "on this server, so they depend on how busy it was.")
               + (" " + _("Grouped rows show the mean ± the sample standard deviation over their seeds, and "
                          "mean times.") if grouped else ""))


def damaged_runs(entries: list[Entry]) -> None:
    """One warning per run whose stored record is damaged; the page shows what could be read."""
    _ = gettext_for_session()
    for entry in entries:
        if entry.problems:
            st.warning(_("**{model}** (run {run}): the stored record is damaged: {problems}. It is shown with what "
                         "could be read.").format(model=plain(shown_name(entry.label)), run=plain(entry.run_id),
                                                   problems=plain("; ".join(entry.problems))),
                       icon=":material/report:")


def overlaid_curves(entries: list[Entry]) -> None:
    frame = history_frame({entry.label: entry.history for entry in entries if entry.history})
    if frame.empty:
        return
    metrics = list(dict.fromkeys(frame["metric"]))
    shown = ["loss", *[metric for metric in metrics if metric != "loss"][:1]] if "loss" in metrics else metrics[:2]
    _ = gettext_for_session()
    st.markdown("**" + _("Training (solid) and validation (dashed) curves") + "**")
    for column, metric in zip(st.columns(len(shown)), shown):
        column.altair_chart(localized_chart(curves_chart(frame, metric, gettext=_)))


def metric_bars(task: str, entries: list[Entry], grouped: bool = False) -> None:
    frame = grouped_frame(entries) if grouped else results_frame(entries)
    columns = [spec for spec in task_metrics(task) if spec.title in frame]
    if not columns or frame[[spec.title for spec in columns]].isna().all().all():
        return
    titles = [spec.title for spec in columns]
    main_title = TASKS[task].headline_metric.title
    _ = gettext_for_session()
    chosen = st.selectbox(_("Metric for the bar chart"), titles, index=titles.index(main_title), key=f"{task}-bar",
                          format_func=_)
    higher = next(spec.higher_is_better for spec in columns if spec.title == chosen)
    st.altair_chart(localized_chart(metric_bar_chart(frame, chosen, chosen, higher_is_better=higher,
                                                     std_column=f"{chosen} std" if grouped else None, gettext=_)))
    if grouped:
        st.caption(_("Error bars: ± one standard deviation over the seeds of each configuration."))


def side_by_side(task: str, entries: list[Entry], *, views: Callable[[list[Entry]], None] | None = None,
                 notes: Callable[[list[Entry]], None] | None = None) -> None:
    _ = gettext_for_session()
    st.header(_("Side by side"))
    if not entries:
        st.info(_("Train one or more architectures above, or add earlier runs, to compare them here."),
                icon=":material/compare:")
        return
    overlaid_curves(entries)
    st.subheader(_("Results"))
    grouped = seed_grouping(entries, key=f"{task}-group-seeds")
    comparison_table(entries, grouped)
    damaged_runs(entries)
    if notes is not None:
        notes(entries)
    metric_bars(task, entries, grouped)
    finished = [entry for entry in entries if entry.status == FINISHED]
    if views is not None and finished:
        views(finished)
