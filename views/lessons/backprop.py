"""Lesson 5: backpropagation with concrete numbers on a 2-2-1 network, and why initial weights matter."""

import numpy as np
import pandas as pd
import streamlit as st

from i18n import N_
from lessons import backprop
from ui.i18n import gettext_for_session, text
from ui.lesson import corrections, lesson_header, next_steps, quiz

_, prose = gettext_for_session(), text("backprop")
lesson_header("views/lessons/backprop.py")
st.markdown(prose("intro"))
FALL = f"loss fall, last {backprop.PLATEAU_WINDOW} steps"  # a column of backprop.initialisation_experiment
SHOWN_COLUMNS = {"start": N_("start"), "final loss": N_("final loss"), FALL: N_("loss fall, last {window} steps"),
                 "XOR solved": N_("XOR solved"), "hidden units identical": N_("hidden units identical")}


def shown_table(rows: list[dict], columns: dict[str, str]) -> pd.DataFrame:
    """A table of lessons/ code with its column names and words in the reader's language (numbers kept)."""
    frame = pd.DataFrame(rows)
    frame = frame.map(lambda cell: _(cell) if isinstance(cell, str) and cell else cell)
    return frame.rename(columns={name: _(shown).format(window=backprop.PLATEAU_WINDOW)
                                 for name, shown in columns.items()})


def network_diagram(params, cache, grads) -> str:
    """Graphviz source: each edge shows its weight and the gradient of the loss for it."""
    x, a1, a2 = cache["x"][0], cache["a1"][0], cache["a2"][0, 0]
    lines = ["digraph { rankdir=LR; node [shape=circle, fontsize=10]; edge [fontsize=9];"]
    for index in range(2):
        lines.append(f'x{index + 1} [label="x{index + 1}\\n{x[index]:g}"];')
        lines.append(f'h{index + 1} [label="a1[{index + 1}]\\n{a1[index]:.3f}"];')
    lines.append(f'out [label="a2\\n{a2:.3f}"];')
    for source in range(2):
        for unit in range(2):
            lines.append(f'x{source + 1} -> h{unit + 1} [label="w={params.W1[source, unit]:g}\\n'
                         f'∂L/∂w={grads["W1"][source, unit]:.4f}"];')
    for unit in range(2):
        lines.append(f'h{unit + 1} -> out [label="w={params.W2[unit, 0]:g}\\n∂L/∂w={grads["W2"][unit, 0]:.4f}"];')
    return "\n".join(lines) + "}"


@st.fragment
def worked_example():
    st.subheader(_("Forward and backward, with numbers"))
    left, middle, right = st.columns(3)
    x1 = left.slider(_("input x₁"), -2.0, 2.0, 1.0, 0.5, key="backprop-x1")
    x2 = middle.slider(_("input x₂"), -2.0, 2.0, -1.0, 0.5, key="backprop-x2")
    target = right.select_slider(_("target y"), [0.0, 1.0], value=1.0, key="backprop-y")
    params = backprop.example_parameters()
    x, y = np.array([[x1, x2]]), np.array([target])
    cache = backprop.forward(params, x, y)
    grads = backprop.backward(params, cache)
    st.graphviz_chart(network_diagram(params, cache, grads))
    forward_column, backward_column = st.columns([2, 3])
    forward_column.markdown(_("**Forward pass** (left to right)"))
    forward_column.dataframe(shown_table(backprop.forward_table(params, x, y), {
        "quantity": N_("quantity"), "formula": N_("formula"), "value": N_("value")}), hide_index=True,
        column_config={_("value"): st.column_config.NumberColumn(format="%.5f")})
    backward_column.markdown(_("**Backward pass** (right to left)"))
    backward_column.dataframe(shown_table(backprop.backward_table(params, x, y), {
        "derivative": N_("derivative"), "chain rule": N_("chain rule"), "value": N_("value")}), hide_index=True,
        height=565, column_config={_("value"): st.column_config.NumberColumn(format="%.6f")})
    st.metric(_("Largest gap to a finite-difference estimate"), f"{backprop.finite_difference_gap(params, x, y):.1e}",
              help=_("each weight nudged by ±1e-6 and the loss recomputed; the tests also compare with "
                     "TensorFlow's GradientTape"))


@st.cache_data(show_spinner=False)
def initialisation_results(seeds: tuple[int, ...]):
    return backprop.initialisation_experiment(list(seeds), steps=backprop.EXPERIMENT_STEPS)


@st.fragment
def initialisation_demo():
    st.subheader(_("Do the initial weights matter?"))
    st.markdown(prose("experiment", steps=f"{backprop.EXPERIMENT_STEPS:,}"))
    if st.button(_("Run the experiment"), icon=":material/play_arrow:", key="backprop-run"):
        st.session_state["backprop-ran"] = True
    if not st.session_state.get("backprop-ran"):
        st.info(_("Press the button to train the nine networks (NumPy, a few seconds)."), icon=":material/info:")
        return
    rows = initialisation_results(tuple(range(8)))
    for row in rows:  # "random, seed 3" is shown as the words plus the seed
        if row["start"].startswith("random, seed "):
            row["start"] = _("random, seed {seed}").format(seed=row["start"].removeprefix("random, seed "))
    st.dataframe(shown_table(rows, SHOWN_COLUMNS), hide_index=True,
                 column_config={_("final loss"): st.column_config.NumberColumn(format="%.4f"),
                                _(SHOWN_COLUMNS[FALL]).format(window=backprop.PLATEAU_WINDOW):
                                    st.column_config.NumberColumn(format="%.5f")})
    results = pd.DataFrame(initialisation_results(tuple(range(8))))
    random_starts = results.loc[1:]
    unsolved = random_starts[random_starts["XOR solved"].eq(False)]
    case, values = backprop.plateau_case(len(random_starts), unsolved[FALL].tolist())
    st.markdown(" ".join([prose("zeros", loss=f"{results.loc[0, 'final loss']:.3f}"), prose(case, **values),
                          prose("matter")]))


worked_example()
initialisation_demo()
quiz(backprop.QUESTIONS, key="backprop")
corrections(backprop.CORRECTIONS)
next_steps("views/lessons/why_deep.py", "views/tasks/mnist.py")
