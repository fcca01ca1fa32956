"""Lesson 20: transfer learning. A CNN trained on digits 0-4 loses its output layer and is reused
for digits 5-9 with a few hundred labels, against the same CNN trained from scratch."""

import pandas as pd
import streamlit as st

from lessons import transfer
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.lesson_training import idle_prompt, session_result
from ui.scatter_charts import digit_scatter

SCRIPT = "views/lessons/transfer.py"
lesson_header(SCRIPT)

st.markdown(
    "A trained classifier's output layer answers one question (which of these classes?). The layers below it "
    "compute **features**, and note 003 makes the point that the black box is not so black: remove the output "
    "layer and the last hidden layer *is* the output, a description of the input in the network's own terms. "
    "**Transfer learning** reuses that description for another task: keep the trained layers, put a new "
    "output layer on top, and train only the new layer on the new task's (few) labels.\n\n"
    "Here the task page's CNN learns digits **0–4** only. Then it has to learn **5–9**, digits it has never "
    "seen, from a few hundred labelled images, three ways: a new output layer on the network without its "
    "output layer; a new output layer one layer lower, on the convolutional features; and the whole CNN "
    "from scratch on the same images.")


@st.fragment
def reuse_a_trained_cnn():
    st.header("Step 1: learn digits 0–4")
    pretrain_start = st.button("Train the CNN on digits 0–4 (about 15 s)", icon=":material/play_arrow:",
                               key="transfer-pretrain")
    base = session_result("transfer-base", (), transfer.pretrain, {},
                          "Training the CNN on 8,000 images of digits 0–4…", start=pretrain_start)
    if base is None:
        idle_prompt("transfer-base", "Press the button to train the network that will be reused.")
    else:
        st.metric("Accuracy on the test digits 0–4", f"{base.old_accuracy:.1%}",
                  help=f"{base.train_images:,} training images, {base.seconds:.0f} s including loading MNIST")

        st.header("Step 2: learn digits 5–9 from a few labels")
        labels = st.select_slider("Labelled images of 5–9", [50, 100, 300, 1000], value=300, key="transfer-labels")
        st.caption(f"Each way trains for {transfer.passes_for(labels)} passes over the {labels} images (batches of 32, "
                   "Adam, learning rate 0.002).")
        reuse_start = st.button("Learn 5–9 three ways", icon=":material/play_arrow:", key="transfer-reuse")
        result = session_result("transfer-reuse", (labels,), transfer.reuse,
                                {"body_weights": base.weights, "labels": labels},
                                f"Training on {labels} labelled images of 5–9…", start=reuse_start)
        if result is None:
            idle_prompt("transfer-reuse", "Choose how many labelled images of 5–9 to learn from, and press the button.")
        else:
            table = pd.DataFrame([{"way": item.name, "accuracy on all test 5–9": item.test_accuracy,
                                   "parameters trained": item.trained_parameters, "seconds": item.seconds}
                                  for item in result.results])
            st.dataframe(table, hide_index=True,
                         column_config={"accuracy on all test 5–9": st.column_config.NumberColumn(format="percent"),
                                        "seconds": st.column_config.NumberColumn(format="%.1f")})
            dense, convolutional, scratch = result.results
            best = max(result.results, key=lambda item: item.test_accuracy)
            st.markdown(
                f"With {result.labels} labels the best is **{best.name}** ({best.test_accuracy:.1%}). The new "
                f"output layer on the convolutional features trains {convolutional.trained_parameters:,} parameters "
                f"instead of the {scratch.trained_parameters:,} of the whole network, and "
                + (f"beats training from scratch by {100 * (convolutional.test_accuracy - scratch.test_accuracy):.1f} "
                   "percentage points." if convolutional.test_accuracy > scratch.test_accuracy else
                   f"trails training from scratch by {100 * (scratch.test_accuracy - convolutional.test_accuracy):.1f} "
                   "percentage points: with enough labels, learning everything for the new task catches up.")
                + " Cutting right below the output layer, as the notes describe, "
                + (f"does worse ({dense.test_accuracy:.1%}): the last hidden layer learned to tell 0–4 apart and "
                   "threw away what it did not need for that. Lower layers hold more general parts (strokes, "
                   "curves, loops), so the cut point matters (Yosinski et al., 2014)."
                   if dense.test_accuracy < convolutional.test_accuracy else
                   f"does as well here ({dense.test_accuracy:.1%})."))

            st.subheader("The black box is not so black")
            columns = st.columns(3)
            names = {"pixels": "Pixels", "convolutional": "Convolutional features", "dense": "Last hidden layer"}
            for column, (key, title) in zip(columns, names.items()):
                column.metric(f"{title}: nearest neighbour has the same digit", f"{result.agreement[key]:.1%}")
            st.altair_chart(digit_scatter(result.coordinates["convolutional"], result.shown_labels,
                                          "Test digits 5–9 in the features of the network trained on 0–4 (PCA)",
                                          ("Principal direction 1", "Principal direction 2")), width="stretch")
            st.caption("Nearest-neighbour agreement: for each of 1,000 test digits 5–9, is the closest other digit "
                       "the same digit? Measured in the raw pixels and in the two feature spaces of the network that "
                       "never saw a 5–9. The features group digits it was never trained on.")


reuse_a_trained_cnn()
quiz(transfer.QUESTIONS, key="transfer")
corrections(transfer.CORRECTIONS)
next_steps("views/lessons/attention.py", "views/tasks/mnist.py")
