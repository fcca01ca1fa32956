"""Lesson 5: backpropagation with concrete numbers on a 2-2-1 network, and why initial weights matter."""

import numpy as np
import pandas as pd
import streamlit as st

from lessons import backprop
from ui.lesson import corrections, lesson_header, next_steps, quiz

lesson_header("views/lessons/backprop.py")
st.markdown(
    "A network is a composite function, so the derivative of the loss with respect to any weight follows "
    "from the **chain rule** (链式法则). For a weight w feeding the sum z of a neuron, "
    "`∂L/∂w = ∂z/∂w · ∂L/∂z`. The first factor is easy: it is the input on that connection, known from "
    "the **forward pass**. The second is computed in the **backward pass**, starting at the output and "
    "moving back one layer at a time, each layer re-using the result of the layer after it. That re-use "
    "is all backpropagation is: an efficient way to get every gradient. An optimiser such as SGD then "
    "uses them; the two are different steps."
)


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
    st.subheader("Forward and backward, with numbers")
    left, middle, right = st.columns(3)
    x1 = left.slider("input x₁", -2.0, 2.0, 1.0, 0.5, key="backprop-x1")
    x2 = middle.slider("input x₂", -2.0, 2.0, -1.0, 0.5, key="backprop-x2")
    target = right.select_slider("target y", [0.0, 1.0], value=1.0, key="backprop-y")
    params = backprop.example_parameters()
    x, y = np.array([[x1, x2]]), np.array([target])
    cache = backprop.forward(params, x, y)
    grads = backprop.backward(params, cache)
    st.graphviz_chart(network_diagram(params, cache, grads))
    forward_column, backward_column = st.columns([2, 3])
    forward_column.markdown("**Forward pass** (left to right)")
    forward_column.dataframe(pd.DataFrame(backprop.forward_table(params, x, y)), hide_index=True,
                             column_config={"value": st.column_config.NumberColumn(format="%.5f")})
    backward_column.markdown("**Backward pass** (right to left)")
    backward_column.dataframe(pd.DataFrame(backprop.backward_table(params, x, y)), hide_index=True, height=565,
                              column_config={"value": st.column_config.NumberColumn(format="%.6f")})
    st.metric("Largest gap to a finite-difference estimate", f"{backprop.finite_difference_gap(params, x, y):.1e}",
              help="each weight nudged by ±1e-6 and the loss recomputed; the tests also compare with "
                   "TensorFlow's GradientTape")


@st.cache_data(show_spinner=False)
def initialisation_results(seeds: tuple[int, ...]):
    return backprop.initialisation_experiment(list(seeds), steps=backprop.EXPERIMENT_STEPS)


@st.fragment
def initialisation_demo():
    st.subheader("Do the initial weights matter?")
    st.markdown("The same 2-2-1 network, trained on XOR's four points with the hand-made gradients above "
                f"({backprop.EXPERIMENT_STEPS:,} steps of plain gradient descent), from all-zero weights and from "
                "eight random starts.")
    if st.button("Run the experiment", icon=":material/play_arrow:", key="backprop-run"):
        st.session_state["backprop-ran"] = True
    if not st.session_state.get("backprop-ran"):
        st.info("Press the button to train the nine networks (NumPy, a few seconds).", icon=":material/info:")
        return
    results = pd.DataFrame(initialisation_results(tuple(range(8))))
    st.dataframe(results, hide_index=True,
                 column_config={"final loss": st.column_config.NumberColumn(format="%.4f"),
                                f"loss fall, last {backprop.PLATEAU_WINDOW} steps":
                                    st.column_config.NumberColumn(format="%.5f")})
    random_starts = results.loc[1:]
    unsolved = random_starts[random_starts["XOR solved"].eq(False)]
    st.markdown(f"From all zeros the two hidden units stay identical forever and the network is stuck at "
                f"loss {results.loc[0, 'final loss']:.3f}. " + backprop.plateau_sentence(
                    len(random_starts), unsolved[f"loss fall, last {backprop.PLATEAU_WINDOW} steps"].tolist())
                + " Initial values do matter.")


worked_example()
initialisation_demo()
quiz(backprop.QUESTIONS, key="backprop")
corrections(backprop.CORRECTIONS)
next_steps("views/lessons/why_deep.py", "views/tasks/mnist.py")
