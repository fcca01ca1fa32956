"""Lesson 19: limits of deep learning: adversarial examples (FGSM on the trained MNIST CNN),
forgetting, transfer and interpretability."""

import streamlit as st

from lessons import limits
from ui.datasets import load_dataset
from ui.grid_charts import pixels_for_display
from ui.i18n import gettext_for_session, text
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.pretrained import trained_cnn_or_button

SCRIPT = "views/lessons/limits.py"
_, prose = gettext_for_session(), text("limits")
lesson_header(SCRIPT)

st.markdown(prose("intro"))


@st.fragment
def adversarial_examples():
    st.header(_("Adversarial examples"))
    st.markdown(prose("fgsm"))
    cnn = trained_cnn_or_button("limits-train")
    if cnn is not None:
        mnist = load_dataset("mnist")
        images = mnist.x_test.astype("float32") / 255.0  # (n, 28, 28)
        index = int(st.number_input(_("Test image"), 0, len(images) - 1, 1))
        attacks = st.session_state.setdefault("limits-attacks", {})
        if index not in attacks:
            with st.spinner(_("Searching for the smallest ε…")):
                attacks[index] = limits.smallest_flip(cnn.model, images[index], int(mnist.y_test[index]))
        attack = attacks[index]
        if attack.levels is None:
            st.warning(_("No ε up to 128/255 changes this prediction ({digit}, {confidence}). Try another "
                         "image.").format(digit=attack.original_class,
                                          confidence=f"{attack.original_confidence:.1%}"), icon=":material/shield:")
        else:
            columns = st.columns(3)
            columns[0].image(pixels_for_display(images[index], scale=4), width=168,
                             caption=_("Original: {digit} ({confidence})").format(
                                 digit=attack.original_class, confidence=f"{attack.original_confidence:.1%}"))
            columns[1].image(pixels_for_display(attack.perturbation, symmetric=True, scale=4), width=168,
                             caption=_("Perturbation: ±{levels}/255 = ±{epsilon} per pixel").format(
                                 levels=attack.levels, epsilon=f"{attack.epsilon:.3f}"))
            columns[2].image(pixels_for_display(attack.adversarial, scale=4), width=168,
                             caption=_("Adversarial: {digit} ({confidence})").format(
                                 digit=attack.adversarial_class, confidence=f"{attack.adversarial_confidence:.1%}"))
            st.markdown(limits.attack_summary(attack, _))
        st.caption(prose("why-it-works"))


def other_limits():
    st.header(_("Forgetting"))
    st.markdown(prose("forgetting"))

    st.header(_("Transfer"))
    st.markdown(prose("transfer"))

    st.header(_("Interpretability"))
    st.markdown(prose("interpretability"))


adversarial_examples()
other_limits()
quiz(limits.QUESTIONS, key="limits")
corrections(limits.CORRECTIONS)
next_steps("views/lessons/transfer.py", "views/lessons/cnn_features.py", "views/tasks/mnist.py")
