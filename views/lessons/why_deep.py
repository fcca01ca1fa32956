"""Lesson 6: why deep. Depth buys pieces cheaply (an exact construction), then a live comparison."""

import numpy as np
import pandas as pd
import streamlit as st

from lessons import end_to_end, why_deep
from lessons.toy_data import two_spirals
from ui.curve_charts import layer_chart, lines
from ui.grid_charts import decision_map, pixels_for_display
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.lesson_training import idle_prompt, session_result
from ui.scatter_charts import digit_scatter

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


def end_to_end_demo():
    st.subheader("End-to-end learning: what the layers did on their own")
    st.markdown(
        "Older systems were pipelines of hand-designed stages (find the edges, then the strokes, then classify). "
        "**End-to-end learning** gives a deep network only the input and the wanted output, and lets training "
        "decide what every layer in between should do (note 000). Why does that need depth? Because of two "
        "kinds of examples the note names: **very similar inputs with different outputs** (a 4 and a 9 a few "
        "pixels apart) and **very different inputs with the same output** (a thin slanted 1 and a thick upright "
        "one). One layer is a single transformation of the pixels; several layers can first pull each class "
        "together and then pull the classes apart.\n\n"
        f"Below, the DNN of the MNIST task page (hidden layers {' → '.join(map(str, end_to_end.HIDDEN))}) is "
        "trained on pixels and labels only. Then 1,000 test digits are followed through its layers.")
    start = st.button("Train the DNN (about 10 s)", icon=":material/play_arrow:", key="end-to-end-train")
    result = session_result("end-to-end", (), end_to_end.train_and_trace, {},
                            "Training the DNN on 10,000 MNIST digits…", start=start)
    if result is None:
        idle_prompt("end-to-end", "Press the button to train the network and trace the digits through it.")
        return
    st.metric("Test accuracy of the trained DNN", f"{result.test_accuracy:.1%}",
              help=f"{result.seconds:.0f} s including loading MNIST")
    pictures = st.columns(len(result.pairs))
    for column, (name, pair) in zip(pictures, result.pairs.items()):
        labels = [int(result.labels[index]) for index in pair]
        column.image([pixels_for_display(image, scale=3) for image in result.pair_images[name]], width=84,
                     caption=[f"digit {label}" for label in labels])
        column.caption(f"{name.capitalize()}: test digits {pair[0]} and {pair[1]}.")
    st.altair_chart(layer_chart(result.layer_names, result.relative_distances,
                                "Distance between the two digits of each pair, layer by layer",
                                "Distance / median distance of all pairs"), width="stretch")
    similar = result.relative_distances["similar inputs, different digits"]
    different = result.relative_distances["different inputs, same digit"]
    st.markdown(
        f"- The two **similar** images of different digits start {similar[0]:.2f} times the typical distance "
        f"apart in pixels and end {similar[-1]:.2f} times apart at the output; their closest approach is in "
        f"*{result.layer_names[int(np.argmin(similar))]}* ({min(similar):.2f}).\n"
        f"- The two **different-looking** images of the same digit start {different[0]:.2f} times the typical "
        f"distance apart and end {different[-1]:.2f} times apart.\n\n"
        + ("The same-digit pair moves together layer after layer, while the different-digit pair is separated "
           "mostly at the end: the network first groups, then splits. Nobody told any layer to do that."
           if different[-1] < different[0] and similar[-1] > similar[0] else
           "In this run the layers did not follow the note's picture for both pairs: look at where each line "
           "rises or falls; a longer training usually makes the pattern clearer."))
    st.dataframe(pd.DataFrame({"layer": result.layer_names, "nearest neighbour has the same digit": result.agreement,
                               "variance on the 2 axes below": result.explained}), hide_index=True,
                 column_config={"nearest neighbour has the same digit": st.column_config.NumberColumn(format="percent"),
                                "variance on the 2 axes below": st.column_config.NumberColumn(format="percent")})
    layer = st.select_slider("Show the digits in", result.layer_names, value=result.layer_names[-2],
                             key="end-to-end-layer")
    index = result.layer_names.index(layer)
    st.altair_chart(digit_scatter(result.coordinates[index], result.labels, f"Test digits in {layer} (PCA)",
                                  ("Principal direction 1", "Principal direction 2")), width="stretch")
    best = int(np.argmax(result.agreement))
    st.caption(f"Nearest-neighbour agreement: {result.agreement[0]:.1%} in pixels, highest in "
               f"{result.layer_names[best]} ({result.agreement[best]:.1%}). A 2-D projection loses most of the "
               "distances (see the variance column), so the table is the fairer measure.")


sawtooth_demo()
training_demo()
end_to_end_demo()
quiz(why_deep.QUESTIONS, key="why-deep")
corrections(why_deep.CORRECTIONS)
next_steps("views/lessons/overfitting.py", "views/tasks/mnist.py")
