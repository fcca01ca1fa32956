"""Lesson 16: generative adversarial networks: a generator and a discriminator trained against
each other, live, on 2-D points, with snapshots epoch by epoch."""

import pandas as pd
import streamlit as st

from lessons import gans
from ui.curve_charts import loss_chart
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.lesson_training import idle_prompt, session_result
from ui.scatter_charts import gan_samples_chart, gan_snapshot_grid

SCRIPT = "views/lessons/gans.py"
lesson_header(SCRIPT)

st.markdown(
    "Most networks map an input to an answer. A **generative** network makes new samples that "
    "look like the training data, starting from random numbers. A **GAN** (Goodfellow et al., "
    "2014) has two networks:\n\n"
    "- the **generator** G turns a random noise vector z into a sample G(z);\n"
    "- the **discriminator** D gets a real or a generated sample and outputs the probability "
    "that it is real.\n\n"
    "They are trained by **alternating updates** on every batch: one step for D, to tell real from "
    "fake better; then one step for G, through D's gradients, to make D call its samples real. "
    "Neither waits for the other to finish learning. G never sees the data itself: "
    "everything it learns comes from the discriminator's gradient. If all goes well the fakes "
    "become indistinguishable and D can only guess (1/2).")


@st.fragment
def train_a_gan():
    st.header("Train a GAN on 2-D points")
    st.markdown("Real data are points in the plane, so we can *see* what the generator has learned. "
                "Both networks are small multilayer perceptrons (two hidden layers of 64 units).")
    with st.form("gan-form"):
        columns = st.columns(3)
        dataset = columns[0].selectbox("Real data", list(gans.DATASETS), format_func=gans.DATASETS.get)
        epochs = columns[1].slider("Epochs (100 updates of each network per epoch)", 3, 40, 20)
        learning_rate = columns[2].select_slider("Learning rate", [5e-4, 1e-3, 2e-3, 5e-3], value=2e-3)
        submitted = st.form_submit_button("Train live", icon=":material/model_training:")
    settings = (dataset, epochs, learning_rate)


    def show_epoch(payload: dict) -> None:
        """The latest epoch the worker sent: its generated points over the real data, and its losses."""
        st.altair_chart(gan_samples_chart(payload["real"], payload["points"],
                                          f"Generated points after epoch {payload['epoch']}"))
        st.caption(f"Epoch {payload['epoch']} of {payload['epochs']}: discriminator loss {payload['d_loss']:.3f}, "
                   f"generator loss {payload['g_loss']:.3f}")


    result = session_result("gan", settings, gans.train_gan,
                            {"dataset": dataset, "epochs": epochs, "learning_rate": learning_rate},
                            "Training the generator and the discriminator (after any training already running)…",
                            start=submitted, progress=show_epoch)
    if result is None:
        idle_prompt("gan", "Choose the data and press **Train live**: the generated points appear epoch by epoch "
                "(seconds to half a minute, depending on the machine).")
        return

    st.caption(f"Trained in {result.seconds:.1f} s.")
    epoch = st.slider("Show the generator after epoch", 0, epochs, epochs)
    left, right = st.columns([3, 2])
    left.altair_chart(gan_samples_chart(result.real, result.snapshots[epoch],
                                        f"Real data (grey) and generated points (blue), epoch {epoch}"))
    quality = result.quality[epoch]
    right.metric("Mean distance, generated point to nearest real one", f"{quality['fake to real']:.3f}",
                 help="Small when the fakes are realistic.")
    right.metric("Mean distance, real point to nearest generated one", f"{quality['real to fake']:.3f}",
                 help="Small when every part of the data is covered: large after mode collapse.")
    if dataset == "ring":
        right.metric("Modes covered (of 8)", f"{quality['modes covered']:.0f}")
        right.metric("Generated points within 3 std of a mode", f"{quality['near a mode']:.0%}")
    steps = sorted({0, 1, epochs // 4, epochs // 2, epochs})
    st.altair_chart(gan_snapshot_grid(result.real, result.snapshots, steps))

    st.altair_chart(loss_chart({"discriminator": list(result.d_losses), "generator": list(result.g_losses)},
                               "Losses per epoch", y_title="Cross-entropy",
                               reference={"discriminator guessing (2 ln 2)": gans.EQUILIBRIUM_D_LOSS,
                                          "generator at equilibrium (ln 2)": gans.EQUILIBRIUM_G_LOSS}))
    st.caption("GAN losses do not fall like a classifier's: each network's loss depends on the other. Near "
               "the dashed lines the discriminator can no longer separate real from fake. Judge progress by "
               "the samples and the distances, not by the loss alone.")
    table = pd.DataFrame([{"epoch": index, **{name: round(value, 3) for name, value in row.items()}}
                          for index, row in enumerate(result.quality)])
    with st.expander("Sample quality after every epoch"):
        st.dataframe(table, hide_index=True)


train_a_gan()
quiz(gans.QUESTIONS, key="gans")
corrections(gans.CORRECTIONS)
next_steps("views/lessons/autoencoders.py", "views/lessons/gcn.py")
