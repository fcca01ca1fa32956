"""Bars: softmax probabilities, attention weights per word, correlation by hop distance, for the
lesson pages. Pure functions of arrays: tests build them without Streamlit."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from i18n import N_  # marks titles for the catalog; ui.i18n.localized_chart translates them


def probability_bars(classes: list[str], probabilities: np.ndarray, true_class: int, title: str) -> alt.Chart:
    frame = pd.DataFrame({"class": classes, "probability": probabilities,
                          "role": [N_("true class") if index == true_class else N_("other class")
                                   for index in range(len(classes))]})
    return alt.Chart(frame, title=title).mark_bar().encode(
        x=alt.X("class:N", title=N_("Class"), sort=None), y=alt.Y("probability:Q", title=N_("Softmax probability"),
                                                               scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("role:N", title=None, scale=alt.Scale(domain=[N_("true class"), N_("other class")],
                                                              range=["#d62728", "#1f77b4"])),
        tooltip=["class", alt.Tooltip("probability:Q", format=".3f")]).properties(height=240)


def word_weights_chart(words: list[str], weights: np.ndarray, contributions: np.ndarray,
                       gettext=lambda message: message, pgettext=lambda context, message: message) -> alt.Chart:
    """One bar per word, in reading order: its attention weight, coloured by the way it pushes.
    `gettext` and `pgettext` translate the titles and the two directions (not the words: they are the
    learner's); the directions have a context, since "negative" is also a number elsewhere."""
    positive, negative = pgettext("sentiment", "positive"), pgettext("sentiment", "negative")
    frame = pd.DataFrame({"position": np.arange(1, len(words) + 1), "word": words, "weight": weights,
                          "contribution": contributions,
                          "pushes towards": np.where(contributions >= 0, positive, negative)})
    frame["label"] = frame["position"].astype(str) + ". " + frame["word"]
    return alt.Chart(frame, title=gettext(N_("Attention weight of each word"))).mark_bar().encode(
        y=alt.Y("label:N", title=gettext(N_("Word (in reading order)")), sort=list(frame["label"]),
                axis=alt.Axis(labelOverlap=False)),
        x=alt.X("weight:Q", title=gettext(N_("Attention weight (all words sum to 1)"))),
        color=alt.Color("pushes towards:N", title=gettext(N_("Pushes towards")),
                        scale=alt.Scale(domain=[positive, negative], range=["#2ca02c", "#d62728"])),
        tooltip=[alt.Tooltip("word", title=gettext(N_("word"))),
                 alt.Tooltip("weight:Q", title=gettext(N_("weight")), format=".3f"),
                 alt.Tooltip("contribution:Q", title=gettext(N_("contribution")), format=".3f")],
    ).properties(height=max(120, 22 * len(words)))


def correlation_chart(rows: list[dict]) -> alt.Chart:
    frame = pd.DataFrame(rows).rename(columns={"mean correlation": "correlation"})
    return alt.Chart(frame, title=N_("Speed correlation by distance on the road graph")).mark_bar().encode(
        x=alt.X("hops:N", title=N_("Hops between the two sensors"), sort=list(frame["hops"]),
                axis=alt.Axis(labelAngle=0)),
        y=alt.Y("correlation:Q", title=N_("Mean correlation")),
        tooltip=[alt.Tooltip("hops", title=N_("hops")), alt.Tooltip("pairs", title=N_("pairs")),
                 alt.Tooltip("correlation:Q", title=N_("mean correlation"), format=".3f")],
    ).properties(height=300)
