"""Lesson 6: why deep. Depth buys pieces cheaply (an exact construction), then a live comparison."""

import re

import numpy as np
import pandas as pd
import streamlit as st

from i18n import N_
from lessons import end_to_end, why_deep
from lessons.toy_data import two_spirals
from ui.curve_charts import layer_chart, lines
from ui.grid_charts import decision_map, pixels_for_display
from ui.i18n import gettext_for_session, localized_chart, text
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.lesson_training import idle_prompt, session_result
from ui.scatter_charts import digit_scatter

_, prose = gettext_for_session(), text("why_deep")
lesson_header("views/lessons/why_deep.py")
st.markdown(prose("intro"))


def layer_label(name: str) -> str:
    """A layer of end_to_end's traced network in the reader's language ("hidden layer 2 (128 units)")."""
    hidden = re.fullmatch(r"hidden layer (\d+) \((\d+) units\)", name)
    if hidden:
        return _(end_to_end.LAYER_NAME).format(index=hidden[1], units=hidden[2])
    return _(name)


@st.fragment
def sawtooth_demo():
    st.subheader(_("Folding: 2^d pieces from d layers"))
    st.markdown(prose("folding"))
    depth = st.slider(_("Depth d (layers of two ReLUs)"), 1, 8, 3, key="deep-depth")
    x = np.linspace(0.0, 1.0, 4097)
    y = why_deep.relu_sawtooth(x, depth)
    pieces = why_deep.count_linear_pieces(x, y)
    st.altair_chart(lines(pd.DataFrame({"x": x, "y": y, "curve": _("depth {depth}").format(depth=depth)}), "x", "y",
                          "curve", _("input x"), _("network output"),
                          title=_("{pieces} straight pieces").format(pieces=pieces), height=220), width="stretch")
    costs = pd.DataFrame([why_deep.sawtooth_costs(level) for level in range(1, depth + 1)])
    st.dataframe(costs.rename(columns=_), hide_index=True)


@st.fragment
def training_demo():
    st.subheader(_("Shallow-wide vs deep-narrow, same budget"))
    left, middle, right = st.columns(3)
    budget = left.slider(_("Parameter budget"), 150, 900, 400, 50, key="deep-budget")
    seed = middle.number_input(_("Seed"), 0, 99, 0, key="deep-seed")
    steps = right.slider(_("Training steps (full-batch Adam, learning rate 0.01)"), 50, 400, 300, 50,
                         key="deep-steps")
    shallow, deep = why_deep.matched_widths(budget)
    st.caption(prose("budget", shallow=shallow, deep=deep))
    request = (budget, int(seed), int(steps))
    start = st.button(_("Train both"), type="primary", icon=":material/play_arrow:", key="deep-train")
    results = session_result("why-deep", request, why_deep.compare_depth,
                             {"budget": budget, "seed": int(seed), "steps": int(steps)},
                             _("Training with Keras…"), start=start)
    if results is None:
        idle_prompt("why-deep", _("Press the button to train both networks (a few seconds each)."))
        return
    features, labels = two_spirals(count=400, seed=int(seed))
    for column, result in zip(st.columns(2), results):
        column.altair_chart(localized_chart(decision_map(result.grid, result.grid_probabilities, features, labels,
                                                         f"{_(result.name)}: {result.hidden_units}", size=280)))
    names = {name: _(name) for name in (N_("network"), N_("hidden layers"), N_("parameters (Keras)"),
                                        N_("training accuracy"), N_("validation accuracy"), N_("seconds"))}
    st.dataframe(pd.DataFrame([{names["network"]: _(result.name), names["hidden layers"]: str(result.hidden_units),
                                names["parameters (Keras)"]: result.parameters,
                                names["training accuracy"]: result.train_accuracy,
                                names["validation accuracy"]: result.validation_accuracy,
                                names["seconds"]: result.seconds}
                               for result in results]), hide_index=True,
                 column_config={names["training accuracy"]: st.column_config.NumberColumn(format="percent"),
                                names["validation accuracy"]: st.column_config.NumberColumn(format="percent"),
                                names["seconds"]: st.column_config.NumberColumn(format="%.1f")})
    training, validation = _("training"), _("validation")
    curves = pd.concat([pd.DataFrame({"step": np.arange(1, len(result.train_loss) + 1), "loss": values,
                                      "network": _(result.name), "data": data})
                        for result in results
                        for data, values in ((training, result.train_loss), (validation, result.validation_loss))])
    st.altair_chart(lines(curves, "step", "loss", "network", _("training step (one full-batch update)"),
                          _("cross-entropy loss (log scale)"), log_y=True, dash="data",
                          title=_("Loss during training")), width="stretch")
    st.caption(prose("one-run"))


def end_to_end_demo():
    st.subheader(_("End-to-end learning: what the layers did on their own"))
    st.markdown(prose("end-to-end", layers=" → ".join(map(str, end_to_end.HIDDEN))))
    start = st.button(_("Train the DNN (about 10 s)"), icon=":material/play_arrow:", key="end-to-end-train")
    result = session_result("end-to-end", (), end_to_end.train_and_trace, {},
                            _("Training the DNN on 10,000 MNIST digits…"), start=start)
    if result is None:
        idle_prompt("end-to-end", _("Press the button to train the network and trace the digits through it."))
        return
    st.metric(_("Test accuracy of the trained DNN"), f"{result.test_accuracy:.1%}",
              help=_("{seconds} s including loading MNIST").format(seconds=f"{result.seconds:.0f}"))
    pictures = st.columns(len(result.pairs))
    for column, (name, pair) in zip(pictures, result.pairs.items()):
        labels = [int(result.labels[index]) for index in pair]
        column.image([pixels_for_display(image, scale=3) for image in result.pair_images[name]], width=84,
                     caption=[_("digit {label}").format(label=label) for label in labels])
        column.caption(_("{pair}: test digits {first} and {second}.").format(
            pair=_(name)[:1].upper() + _(name)[1:], first=pair[0], second=pair[1]))
    layers = [layer_label(name) for name in result.layer_names]
    distances = {_(name): values for name, values in result.relative_distances.items()}
    st.altair_chart(localized_chart(layer_chart(tuple(layers), distances,
                                                _("Distance between the two digits of each pair, layer by layer"),
                                                _("Distance / median distance of all pairs"))), width="stretch")
    similar = result.relative_distances["similar inputs, different digits"]
    different = result.relative_distances["different inputs, same digit"]
    as_noted = different[-1] < different[0] and similar[-1] > similar[0]
    st.markdown(prose("pair-distances", similar_start=f"{similar[0]:.2f}", similar_end=f"{similar[-1]:.2f}",
                      closest=layers[int(np.argmin(similar))], closest_value=f"{min(similar):.2f}",
                      different_start=f"{different[0]:.2f}", different_end=f"{different[-1]:.2f}")
                + "\n\n" + prose("pairs-as-noted" if as_noted else "pairs-otherwise"))
    same, variance = _("nearest neighbour has the same digit"), _("variance on the 2 axes below")
    st.dataframe(pd.DataFrame({_("layer"): layers, same: result.agreement, variance: result.explained}),
                 hide_index=True, column_config={same: st.column_config.NumberColumn(format="percent"),
                                                 variance: st.column_config.NumberColumn(format="percent")})
    layer = st.select_slider(_("Show the digits in"), result.layer_names, value=result.layer_names[-2],
                             format_func=layer_label, key="end-to-end-layer")
    index = result.layer_names.index(layer)
    st.altair_chart(localized_chart(digit_scatter(
        result.coordinates[index], result.labels, _("Test digits in {layer} (PCA)").format(layer=layer_label(layer)),
        (_("Principal direction 1"), _("Principal direction 2")))), width="stretch")
    best = int(np.argmax(result.agreement))
    st.caption(prose("agreement", pixels=f"{result.agreement[0]:.1%}", best_layer=layers[best],
                     best=f"{result.agreement[best]:.1%}"))


sawtooth_demo()
training_demo()
end_to_end_demo()
quiz(why_deep.QUESTIONS, key="why-deep")
corrections(why_deep.CORRECTIONS)
next_steps("views/lessons/overfitting.py", "views/tasks/mnist.py")
