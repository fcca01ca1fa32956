"""Lesson 19: limits of deep learning: adversarial examples (FGSM on the trained MNIST CNN),
forgetting, transfer and interpretability."""

import streamlit as st

from lessons import limits
from lessons.quiz import Correction, Question
from ui.datasets import load_dataset
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.matrix_charts import pixels_for_display
from ui.pretrained import trained_cnn_or_button

SCRIPT = "views/lessons/limits.py"
lesson_header(SCRIPT)

st.markdown(
    "Note 000 lists four weaknesses: networks are **easy to attack**, they **forget** what they "
    "learned before, they **transfer** poorly to new data, and they are **hard to interpret**. The "
    "first one you can try here on the CNN from lesson 10; the others are explained below, with the "
    "notes' claims made precise.")

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
        st.markdown(
            f"The smallest flipping step is **ε = {attack.levels}/255 ≈ {attack.epsilon:.3f}**; "
            f"{attack.levels - 1}/255 still gives {attack.original_class}. Random signs of the same size "
            f"give **{attack.noise_class}**: it is the *direction* that matters, not the amount of noise. "
            "A well-trained MNIST digit needs a visible ε; on large colour images an invisible one "
            "(a few grey levels) is usually enough.")
    st.caption("Why it works (Goodfellow et al.): near an input a network behaves almost linearly, so "
               "changing all pixels by ε along the gradient's signs moves the score by about ε times the "
               "sum of the gradient's absolute values, which grows with the number of pixels.")

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

quiz([
    Question("FGSM changes each pixel by exactly ε, in the direction of the sign of the loss gradient. Why the sign?",
             ("It is cheaper to store", "Under a budget of at most ε per pixel, it raises the (linearised) "
              "loss the most", "The gradient is always ±1"), 1,
             "Maximising g · δ subject to |δᵢ| ≤ ε gives δ = ε · sign(g)."),
    Question("Random ±ε noise of the same size as the adversarial perturbation usually…",
             ("flips the class as well", "leaves the prediction unchanged"), 1,
             "The attack works because of its direction; the demo applies random signs of the same ε."),
    Question("A digit classifier is trained on digits 0–4, then only on 5–9. What typically happens to its "
             "accuracy on 0–4?", ("It stays the same", "It collapses", "It improves"), 1,
             "Catastrophic forgetting: the second training overwrites the weights the first one set."),
    Question("'Deep networks have no transferability.' True?", ("True", "False"), 1,
             "Pre-trained features fine-tuned on a related task are standard practice; transfer fails "
             "mainly when the new data differ a lot from the old."),
], key="limits")

corrections([
    Correction("Note 000", "Deep networks have no transferability (没有可迁移性).",
               "They transfer well between related tasks (fine-tuning pre-trained networks is standard); "
               "they degrade when the data distribution shifts."),
    Correction("Note 000", "Deep models have no interpretability.",
               "They are hard to interpret, but not opaque: saliency, occlusion and activation "
               "maximisation (lesson 10) give partial, local explanations."),
    Correction("Note 000", "Linear models are interpretable: a large w means the feature matters a lot.",
               "Only if the features have comparable scales (a weight per metre vs per kilometre differs "
               "1000×) and are not strongly correlated."),
    Correction("Note 000", "Finer partitions into cells make networks easy to attack.",
               "One intuition. The standard explanation (Goodfellow et al., 2015) is near-linear behaviour "
               "in many dimensions; even a purely linear classifier has adversarial examples."),
])
next_steps("views/lessons/cnn_features.py", "views/tasks/mnist.py")
