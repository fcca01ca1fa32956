"""Lesson 19: limits of deep learning: adversarial examples (FGSM on the trained MNIST CNN),
forgetting, transfer and interpretability."""

import streamlit as st

from lessons import limits
from ui.datasets import load_dataset
from ui.grid_charts import pixels_for_display
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.pretrained import trained_cnn_or_button

SCRIPT = "views/lessons/limits.py"
lesson_header(SCRIPT)

st.markdown(
    "Note 000 lists four weaknesses: networks are **easy to attack**, they **forget** what they "
    "learned before, they **transfer** poorly to new data, and they are **hard to interpret**. The "
    "first one you can try here on the CNN from lesson 10; the others are explained below, with the "
    "notes' claims made precise.")


@st.fragment
def adversarial_examples():
    st.header("Adversarial examples")
    st.markdown(
        "The **fast gradient sign method** (FGSM, Goodfellow et al., 2015) changes every pixel by the same "
        "small amount ε, up or down according to the sign of the loss gradient: x′ = clip(x + ε · "
        "sign(∂loss/∂x), 0, 1). Below, ε grows one grey level (1/255) at a time until the predicted class "
        "changes.")
    cnn = trained_cnn_or_button("limits-train")
    if cnn is not None:
        mnist = load_dataset("mnist")
        images = mnist.x_test.astype("float32") / 255.0  # (n, 28, 28)
        index = int(st.number_input("Test image", 0, len(images) - 1, 1))
        attacks = st.session_state.setdefault("limits-attacks", {})
        if index not in attacks:
            with st.spinner("Searching for the smallest ε…"):
                attacks[index] = limits.smallest_flip(cnn.model, images[index], int(mnist.y_test[index]))
        attack = attacks[index]
        if attack.levels is None:
            st.warning(f"No ε up to 128/255 changes this prediction ({attack.original_class}, "
                       f"{attack.original_confidence:.1%}). Try another image.", icon=":material/shield:")
        else:
            columns = st.columns(3)
            columns[0].image(pixels_for_display(images[index], scale=4), width=168,
                             caption=f"Original: {attack.original_class} ({attack.original_confidence:.1%})")
            columns[1].image(pixels_for_display(attack.perturbation, symmetric=True, scale=4), width=168,
                             caption=f"Perturbation: ±{attack.levels}/255 = ±{attack.epsilon:.3f} per pixel")
            columns[2].image(pixels_for_display(attack.adversarial, scale=4), width=168,
                             caption=f"Adversarial: {attack.adversarial_class} ({attack.adversarial_confidence:.1%})")
            st.markdown(limits.attack_summary(attack))
        st.caption("Why it works (Goodfellow et al.): near an input a network behaves almost linearly, so "
                   "changing all pixels by ε along the gradient's signs moves the score by about ε times the "
                   "sum of the gradient's absolute values, which grows with the number of pixels.")


def other_limits():
    st.header("Forgetting")
    st.markdown(
        "Trained on a new task, a network changes the same weights that stored the old one, and its "
        "accuracy on the old task can collapse (**catastrophic forgetting**, McCloskey & Cohen 1989). "
        "People learn sequentially; a network needs the old data mixed in (rehearsal or replay), "
        "penalties that protect weights important for old tasks (such as elastic weight consolidation), "
        "or separate parameters per task.")

    st.header("Transfer")
    st.markdown(
        "\"Deep networks cannot transfer\" is too strong. Features learned on one large dataset transfer "
        "well to *related* tasks: fine-tuning a network pre-trained on ImageNet is the usual start in "
        "computer vision, and note 003 itself describes this. What is true: a network learns the "
        "distribution of its training data, and accuracy drops, often silently, when the data shift "
        "(another hospital's scanner, another country's traffic signs).")

    st.header("Interpretability")
    st.markdown(
        "A deep network's decision is spread over millions of weights, so there is no single rule to read "
        "off. Tools such as the saliency and occlusion maps of lesson 10 give *partial, local* "
        "explanations: what mattered for this input. Even a linear model's weights are only readable as "
        "importances when the features are on comparable scales and not strongly correlated.")


adversarial_examples()
other_limits()
quiz(limits.QUESTIONS, key="limits")
corrections(limits.CORRECTIONS)
next_steps("views/lessons/transfer.py", "views/lessons/cnn_features.py", "views/tasks/mnist.py")
