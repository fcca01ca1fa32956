"""Lesson 20: transfer learning. A CNN trained on digits 0-4 loses its output layer and is reused
for digits 5-9 with a few hundred labels, against the same CNN trained from scratch."""

import pandas as pd
import streamlit as st

from i18n import N_
from lessons import transfer
from ui.i18n import gettext_for_session, localized_chart, text
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.lesson_training import idle_prompt, session_result
from ui.scatter_charts import digit_scatter

SCRIPT = "views/lessons/transfer.py"
SPACES = {"pixels": N_("Pixels"), "convolutional": N_("Convolutional features"), "dense": N_("Last hidden layer")}
_, prose = gettext_for_session(), text("transfer")
lesson_header(SCRIPT)

st.markdown(prose("intro"))


def result_sentences(result) -> str:
    """What the three ways measured, in words chosen by their numbers."""
    dense, convolutional, scratch = result.results
    best = max(result.results, key=lambda item: item.test_accuracy)
    gain = convolutional.test_accuracy - scratch.test_accuracy
    first = prose("result-beats" if gain > 0 else "result-trails", labels=result.labels, best=_(best.name),
                  best_accuracy=f"{best.test_accuracy:.1%}", trained=f"{convolutional.trained_parameters:,}",
                  total=f"{scratch.trained_parameters:,}", points=f"{100 * abs(gain):.1f}")
    second = prose("cut-worse" if dense.test_accuracy < convolutional.test_accuracy else "cut-same",
                   accuracy=f"{dense.test_accuracy:.1%}")
    return ("" if first.endswith("。") else " ").join((first, second))  # Chinese needs no space between sentences


@st.fragment
def reuse_a_trained_cnn():
    st.header(_("Step 1: learn digits 0–4"))
    pretrain_start = st.button(_("Train the CNN on digits 0–4 (about 15 s)"), icon=":material/play_arrow:",
                               key="transfer-pretrain")
    base = session_result("transfer-base", (), transfer.pretrain, {},
                          _("Training the CNN on 8,000 images of digits 0–4…"), start=pretrain_start)
    if base is None:
        idle_prompt("transfer-base", _("Press the button to train the network that will be reused."))
    else:
        st.metric(_("Accuracy on the test digits 0–4"), f"{base.old_accuracy:.1%}",
                  help=_("{images} training images, {seconds} s including loading MNIST").format(
                      images=f"{base.train_images:,}", seconds=f"{base.seconds:.0f}"))

        st.header(_("Step 2: learn digits 5–9 from a few labels"))
        labels = st.select_slider(_("Labelled images of 5–9"), [50, 100, 300, 1000], value=300, key="transfer-labels")
        st.caption(prose("passes", passes=transfer.passes_for(labels), labels=labels))
        reuse_start = st.button(_("Learn 5–9 three ways"), icon=":material/play_arrow:", key="transfer-reuse")
        result = session_result("transfer-reuse", (labels,), transfer.reuse,
                                {"body_weights": base.weights, "labels": labels},
                                _("Training on {labels} labelled images of 5–9…").format(labels=labels),
                                start=reuse_start)
        if result is None:
            idle_prompt("transfer-reuse", _("Choose how many labelled images of 5–9 to learn from, and press the "
                                            "button."))
        else:
            way, accuracy, trained, seconds = (_("way"), _("accuracy on all test 5–9"), _("parameters trained"),
                                               _("seconds"))
            table = pd.DataFrame([{way: _(item.name), accuracy: item.test_accuracy,
                                   trained: item.trained_parameters, seconds: item.seconds}
                                  for item in result.results])
            st.dataframe(table, hide_index=True,
                         column_config={accuracy: st.column_config.NumberColumn(format="percent"),
                                        seconds: st.column_config.NumberColumn(format="%.1f")})
            st.markdown(result_sentences(result))

            st.subheader(_("The black box is not so black"))
            columns = st.columns(3)
            for column, (key, title) in zip(columns, SPACES.items()):
                column.metric(_("{space}: nearest neighbour has the same digit").format(space=_(title)),
                              f"{result.agreement[key]:.1%}")
            st.altair_chart(localized_chart(digit_scatter(
                result.coordinates["convolutional"], result.shown_labels,
                _("Test digits 5–9 in the features of the network trained on 0–4 (PCA)"),
                (_("Principal direction 1"), _("Principal direction 2")))), width="stretch")
            st.caption(prose("neighbours"))


reuse_a_trained_cnn()
quiz(transfer.QUESTIONS, key="transfer")
corrections(transfer.CORRECTIONS)
next_steps("views/lessons/attention.py", "views/tasks/mnist.py")
