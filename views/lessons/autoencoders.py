"""Lesson 15: autoencoders: encoder, code, decoder; a denoising autoencoder trained live on
MNIST; the code space coloured by digit; why the decoder alone is not a generator."""

import streamlit as st

from lessons import autoencoders as ae
from ui.curve_charts import loss_chart
from ui.datasets import load_dataset
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.lesson_training import idle_prompt, session_result
from ui.scatter_charts import code_space_chart

SCRIPT = "views/lessons/autoencoders.py"
lesson_header(SCRIPT)


st.markdown(
    "An **autoencoder** is trained to give back its own input. The **encoder** squeezes the "
    "784 pixels of a digit into a short **code** (the bottleneck), the **decoder** rebuilds the "
    "image from the code alone. The target is the input itself, so no labels are needed: it is "
    "unsupervised learning, a learned, non-linear form of dimensionality reduction. Encoder and "
    "decoder need not be mirror images, although they often are.\n\n"
    "A **denoising** autoencoder gets a corrupted input and the *clean* image as the target, so "
    "it cannot just copy: it has to learn what digits look like to remove the noise.")


@st.fragment
def denoising_autoencoder():
    mnist = load_dataset("mnist")
    with st.form("autoencoder-form"):
        columns = st.columns(4)
        code_size = columns[0].select_slider("Code size", [2, 4, 8, 16, 32], value=2,
                                             help="2 lets us plot the codes directly; larger codes keep more detail.")
        noise = columns[1].slider("Noise level (std of added noise)", 0.0, 0.8, 0.4, 0.1)
        epochs = columns[2].slider("Epochs", 2, 20, 8)
        train_size = columns[3].select_slider("Training images", [1000, 3000, 5000, 10000], value=5000)
        submitted = st.form_submit_button("Train (about 10 s)", icon=":material/model_training:")
    settings = (code_size, noise, epochs, min(train_size, len(mnist.x_train)))
    result = session_result(
        "autoencoder", settings, ae.train_denoising_autoencoder_on_mnist,
        {"code_size": code_size, "noise": noise, "epochs": epochs, "train_size": settings[3]},
        "Training the denoising autoencoder (after any training already running)…", start=submitted)
    if result is None:
        idle_prompt("autoencoder", "Choose the settings and press **Train**.")
        return
    st.header("Original, noisy, reconstructed")
    st.image(ae.mosaic([result.originals, result.noisy, result.reconstructions]), clamp=True,
             caption="Top: test digits. Middle: with noise, what the network sees. Bottom: its output.",
             width=560)
    errors = st.columns(3)
    errors[0].metric("Pixel error of the noisy input", f"{result.noisy_error:.4f}",
                     help="Mean squared difference from the clean test digits.")
    errors[1].metric("Pixel error after denoising", f"{result.reconstruction_error:.4f}",
                     delta=f"{result.reconstruction_error - result.noisy_error:+.4f}", delta_color="inverse")
    errors[2].metric("Training time", f"{result.seconds:.1f} s")
    st.altair_chart(loss_chart({"training": list(result.losses), "test": list(result.validation_losses)},
                               "Reconstruction loss", y_title="Binary cross-entropy per pixel"))

    st.header("The code space")
    if code_size == 2:
        axis_titles = ("Code unit 1", "Code unit 2")
        st.markdown("With a 2-number code, every test digit is a point in the plane:")
    else:
        axis_titles = (f"Principal direction 1 ({result.explained[0]:.0%} of the variance)",
                       f"Principal direction 2 ({result.explained[1]:.0%} of the variance)")
        st.markdown(f"The {code_size}-number codes, projected to 2-D by PCA:")
    st.altair_chart(code_space_chart(result.codes_2d, result.code_labels, axis_titles))
    st.caption(ae.code_space_verdict(result.codes_2d, result.code_labels))

    st.header("Is the decoder a generator?")
    st.markdown("A generator must turn *random* numbers into realistic images. Here are the decoder's "
                "outputs for random codes drawn from a standard normal distribution:")
    st.image(ae.mosaic([result.random_decodes]), clamp=True, width=560, caption="Decoder outputs for random codes.")
    st.markdown(ae.decoder_verdict(result.reconstructions, result.random_decodes))
    st.markdown(
        "A plain autoencoder is never told where codes should lie: the real codes fill an irregular "
        "region (the scatter above) with gaps, and a random code can fall outside it or between "
        "classes. To generate, the code space needs a known distribution to sample from: a "
        "**variational autoencoder** adds that (codes pushed towards a standard normal), and a "
        "**GAN** trains its generator against a discriminator. Neither is a plain autoencoder's decoder.")


denoising_autoencoder()
quiz(ae.QUESTIONS, key="autoencoders")
corrections(ae.CORRECTIONS)
next_steps("views/lessons/gans.py", "views/tasks/mnist.py")
