"""Lesson 6: why deep. Depth buys pieces cheaply (an exact construction), then a live comparison."""

import numpy as np
import pandas as pd
import streamlit as st

from lessons import why_deep
from lessons.part1_charts import decision_map, lines
from lessons.part1_quiz_training import WHY_DEEP_CORRECTIONS, WHY_DEEP_QUESTIONS
from lessons.toy_data import two_spirals
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.lesson_training import idle_prompt, session_result

lesson_header("views/lessons/why_deep.py")
st.markdown(
    "One hidden layer with enough units can approximate any continuous function on a closed, bounded "
    "input region, given a non-polynomial activation such as a sigmoid or ReLU (the universal "
    "approximation theorem). It does not say how many units that takes, or "
    "whether training will find them. Depth helps with the first: layers build on each other "
    "(**modularity**), so a feature computed once is re-used by every unit above it, and a deep "
    "network can represent some functions with far fewer parameters than a shallow one. Comparisons "
    "are only fair at about the same number of parameters."
)


@st.fragment
def sawtooth_demo():
    st.subheader("Folding: 2^d pieces from d layers")
    st.markdown("Each layer of two ReLUs computes the tent map `2·relu(v) − 4·relu(v − ½)`, which folds "
                "[0, 1] onto itself. Stacking d such layers doubles the number of straight pieces every time. "
                "A single hidden layer adds at most one kink per unit, so it needs 2^d − 1 units for the same curve "
                "(the construction is from Telgarsky, 'Benefits of depth in neural networks', 2016).")
    depth = st.slider("Depth d (layers of two ReLUs)", 1, 8, 3, key="deep-depth")
    x = np.linspace(0.0, 1.0, 4097)
    y = why_deep.relu_sawtooth(x, depth)
    st.altair_chart(lines(pd.DataFrame({"x": x, "y": y, "curve": f"depth {depth}"}), "x", "y", "curve",
                          "input x", "network output", title=f"{why_deep.count_linear_pieces(x, y)} straight pieces",
                          height=220), width="stretch")
    st.dataframe(pd.DataFrame([why_deep.sawtooth_costs(level) for level in range(1, depth + 1)]), hide_index=True)


@st.fragment
def training_demo():
    st.subheader("Shallow-wide vs deep-narrow, same budget")
    left, middle, right = st.columns(3)
    budget = left.slider("Parameter budget", 150, 900, 400, 50, key="deep-budget")
    seed = middle.number_input("Seed", 0, 99, 0, key="deep-seed")
    steps = right.slider("Training steps (full-batch Adam, learning rate 0.01)", 50, 400, 300, 50,
                         key="deep-steps")
    shallow, deep = why_deep.matched_widths(budget)
    st.caption(f"Shallow: one hidden layer of {shallow} units. Deep: four hidden layers of {deep} units. "
               "Both end in one sigmoid unit and train on the same 400 two-spirals points.")
    request = (budget, int(seed), int(steps))
    start = st.button("Train both", type="primary", icon=":material/play_arrow:", key="deep-train")
    results = session_result("why-deep", request, why_deep.compare_depth,
                             {"budget": budget, "seed": int(seed), "steps": int(steps)},
                             "Training with Keras…", start=start)
    if results is None:
        idle_prompt("why-deep", "Press the button to train both networks (a few seconds each).")
        return
    features, labels = two_spirals(count=400, seed=int(seed))
    for column, result in zip(st.columns(2), results):
        column.altair_chart(decision_map(result.grid, result.grid_probabilities, features, labels,
                                         f"{result.name}: {result.hidden_units}", size=280))
    st.dataframe(pd.DataFrame([{"network": result.name, "hidden layers": str(result.hidden_units),
                                "parameters (Keras)": result.parameters, "training accuracy": result.train_accuracy,
                                "validation accuracy": result.validation_accuracy, "seconds": result.seconds}
                               for result in results]), hide_index=True,
                 column_config={"training accuracy": st.column_config.NumberColumn(format="percent"),
                                "validation accuracy": st.column_config.NumberColumn(format="percent"),
                                "seconds": st.column_config.NumberColumn(format="%.1f")})
    curves = pd.concat([pd.DataFrame({"step": np.arange(1, len(result.train_loss) + 1), "loss": values,
                                      "network": result.name, "data": data})
                        for result in results
                        for data, values in (("training", result.train_loss), ("validation", result.validation_loss))])
    st.altair_chart(lines(curves, "step", "loss", "network", "training step (one full-batch update)",
                          "cross-entropy loss (log scale)", log_y=True, dash="data", title="Loss during training"),
                    width="stretch")
    st.caption("One run is one sample: change the seed to see how much the gap varies. In our runs at a budget "
               "of 400 and 300 steps, the deep-narrow network fitted the spirals perfectly for every seed we tried "
               "while the shallow-wide one stopped a few per cent short; with a learning rate twice as large the "
               "deep one sometimes failed to train. Depth buys representational power, not easier optimisation.")


sawtooth_demo()
training_demo()
quiz(WHY_DEEP_QUESTIONS, key="why-deep")
corrections(WHY_DEEP_CORRECTIONS)
next_steps("views/lessons/overfitting.py", "views/tasks/mnist.py")
