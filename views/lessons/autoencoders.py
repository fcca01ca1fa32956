"""Lesson 15: autoencoders: encoder, code, decoder; a denoising autoencoder trained live on
MNIST; the code space coloured by digit; why the decoder alone is not a generator."""

import streamlit as st

from i18n import N_
from lessons import autoencoders as ae
from ui.curve_charts import loss_chart
from ui.datasets import load_dataset
from ui.i18n import gettext_for_session, localized_chart, text
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.lesson_training import idle_prompt, session_result
from ui.scatter_charts import code_space_chart

SCRIPT = "views/lessons/autoencoders.py"
_, prose = gettext_for_session(), text("autoencoders")
lesson_header(SCRIPT)


st.markdown(prose("intro"))


@st.fragment
def denoising_autoencoder():
    mnist = load_dataset("mnist")
    with st.form("autoencoder-form"):
        columns = st.columns(4)
        code_size = columns[0].select_slider(_("Code size"), [2, 4, 8, 16, 32], value=2,
                                             help=_("2 lets us plot the codes directly; larger codes keep more "
                                                    "detail."))
        noise = columns[1].slider(_("Noise level (std of added noise)"), 0.0, 0.8, 0.4, 0.1)
        epochs = columns[2].slider(_("Epochs"), 2, 20, 8)
        train_size = columns[3].select_slider(_("Training images"), [1000, 3000, 5000, 10000], value=5000)
        submitted = st.form_submit_button(_("Train (about 10 s)"), icon=":material/model_training:")
    settings = (code_size, noise, epochs, min(train_size, len(mnist.x_train)))
    result = session_result(
        "autoencoder", settings, ae.train_denoising_autoencoder_on_mnist,
        {"code_size": code_size, "noise": noise, "epochs": epochs, "train_size": settings[3]},
        _("Training the denoising autoencoder (after any training already running)…"), start=submitted)
    if result is None:
        idle_prompt("autoencoder", _("Choose the settings and press **Train**."))
        return
    st.header(_("Original, noisy, reconstructed"))
    st.image(ae.mosaic([result.originals, result.noisy, result.reconstructions]), clamp=True,
             caption=_("Top: test digits. Middle: with noise, what the network sees. Bottom: its output."),
             width=560)
    errors = st.columns(3)
    errors[0].metric(_("Pixel error of the noisy input"), f"{result.noisy_error:.4f}",
                     help=_("Mean squared difference from the clean test digits."))
    errors[1].metric(_("Pixel error after denoising"), f"{result.reconstruction_error:.4f}",
                     delta=f"{result.reconstruction_error - result.noisy_error:+.4f}", delta_color="inverse")
    errors[2].metric(_("Training time"), _("{seconds} s").format(seconds=f"{result.seconds:.1f}"))
    st.altair_chart(localized_chart(loss_chart(
        {N_("training"): list(result.losses), N_("test"): list(result.validation_losses)},
        _("Reconstruction loss"), y_title=_("Binary cross-entropy per pixel"))))

    st.header(_("The code space"))
    if code_size == 2:
        axis_titles = (_("Code unit 1"), _("Code unit 2"))
        st.markdown(prose("codes-plane"))
    else:
        axis_titles = (_("Principal direction 1 ({share} of the variance)").format(share=f"{result.explained[0]:.0%}"),
                       _("Principal direction 2 ({share} of the variance)").format(share=f"{result.explained[1]:.0%}"))
        st.markdown(prose("codes-projected", code_size=code_size))
    st.altair_chart(localized_chart(code_space_chart(result.codes_2d, result.code_labels, axis_titles)))
    st.caption(ae.code_space_verdict(result.codes_2d, result.code_labels, translate=_))

    st.header(_("Is the decoder a generator?"))
    st.markdown(prose("generator"))
    st.image(ae.mosaic([result.random_decodes]), clamp=True, width=560,
             caption=_("Decoder outputs for random codes."))
    st.markdown(ae.decoder_verdict(result.reconstructions, result.random_decodes, translate=_))
    st.markdown(prose("no-generator"))


denoising_autoencoder()
quiz(ae.QUESTIONS, key="autoencoders")
corrections(ae.CORRECTIONS)
next_steps("views/lessons/gans.py", "views/tasks/mnist.py")
