"""Lesson 10: what a CNN trained on MNIST has learned: filters, activation maximisation,
saliency and occlusion."""

import streamlit as st

from lessons import cnn_features as look
from ui.datasets import load_dataset
from ui.digit_views import draw_a_digit
from ui.grid_charts import image_heatmap, pixels_for_display
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.pretrained import trained_cnn_or_button

SCRIPT = "views/lessons/cnn_features.py"
lesson_header(SCRIPT)

st.markdown(
    "Nobody tells a CNN which patterns to detect: its kernels start random and training sets them. "
    "To see what it learned, note 000 lists four ways, all shown below on a real network: look at "
    "the **first layer's kernels**; find the input that **maximises** a filter or a class; take the "
    "**gradient of the class score with respect to each pixel** (saliency); and **cover parts of the "
    "image** to see which ones the decision needs (occlusion).")


def deep_dream_section(model, image, layer_names: list[str]) -> None:
    st.header("Deep dream: amplify what a layer already sees")
    st.markdown(
        "Activation maximisation starts from noise and climbs one unit's score. **Deep dream** (Mordvintsev, "
        "Olah & Tyka, Google, 2015) takes one step further: it starts from a real image and climbs the "
        "activity of a *whole layer*, the mean of the squares of its values before the ReLU. The gradient "
        "then pushes every value further the way it already points: \"the big get bigger, the small get "
        "smaller\" (note 000), so whatever the layer half-sees in the image gets painted in. Each step moves "
        "the pixels by the gradient divided by its mean absolute size, then clips them to [0, 1].")
    controls = st.columns(3)
    layer = controls[0].selectbox("Layer", layer_names, key="dream-layer")
    steps = controls[1].slider("Steps", 5, 60, 20, 5, key="dream-steps")
    step_size = controls[2].select_slider("Step size", [0.005, 0.01, 0.02, 0.05], value=0.02, key="dream-step")
    settings = (layer, steps, step_size, float(image.sum()))
    if st.button("Dream on this digit", icon=":material/auto_awesome:", key="dream-run"):
        st.session_state["cnn-dream"] = (settings, look.dream(model, image, layer, steps, step_size))
    stored = st.session_state.get("cnn-dream")
    if stored is None or stored[0] != settings:
        st.info("Press the button to dream on the test digit chosen above.", icon=":material/info:")
        return
    dreamed = stored[1]
    pictures = st.columns(3)
    before, after = dreamed.probabilities_before, dreamed.probabilities_after
    pictures[0].image(pixels_for_display(dreamed.original, scale=4), width=112,
                      caption=f"Original: {int(before.argmax())} ({before.max():.1%})")
    pictures[1].image(pixels_for_display(dreamed.dreamed, scale=4), width=112,
                      caption=f"Dreamed: {int(after.argmax())} ({after.max():.1%})")
    pictures[2].image(pixels_for_display(dreamed.dreamed - dreamed.original, symmetric=True, scale=4), width=112,
                      caption="What changed (white = added ink)")
    numbers = st.columns(2)
    numbers[0].metric(f"Activity of {layer}", f"{dreamed.objective[-1]:.3g}",
                      delta=f"{dreamed.objective[-1] - dreamed.objective[0]:+.3g} from {dreamed.objective[0]:.3g}")
    numbers[1].metric("Strong values pushed further the same way", f"{dreamed.amplified_share:.0%}",
                      help="Of the layer's values larger in size than their median: the share that kept its sign "
                           "and grew in size.")
    st.caption("On a 28×28 digit the dream thickens and repeats the strokes the layer's kernels detect; on large "
               "photos the same recipe paints eyes, dogs and pagodas, because those are what an ImageNet "
               "network's layers respond to. The tests check the dream's gradient against a hand computation.")

cnn = trained_cnn_or_button("cnn-features-train")


@st.fragment
def look_inside():
    if cnn is not None:
        model = cnn.model
        summary = st.columns(3)
        summary[0].metric("Test accuracy", f"{cnn.test_accuracy:.1%}")
        summary[1].metric("Epochs", cnn.epochs)
        summary[2].metric("Training time", f"{cnn.train_seconds:.0f} s")

        st.header("First-layer kernels")
        filters = look.first_layer_filters(model)
        st.image([pixels_for_display(kernel, symmetric=True, scale=16) for kernel in filters],
                 caption=[f"filter {index}" for index in range(len(filters))], width=56)
        st.caption(f"All {len(filters)} kernels of the first layer, 3×3 weights each (white = positive, black = "
                   "negative, grey = 0). Many are small edge and stroke detectors: a bright side next to a dark "
                   "one. Deeper layers combine them, so their kernels cannot be read as images.")

        mnist = load_dataset("mnist")
        images = mnist.x_test.astype("float32") / 255.0  # (n, 28, 28)
        index = st.number_input("Test image", 0, len(images) - 1, 0, help="Pick any of the test digits.")
        image, label = images[index], int(mnist.y_test[index])
        probabilities = model.predict(image[None, ..., None], verbose=0)[0]
        predicted = int(probabilities.argmax())
        layer_names = look.conv_layer_names(model)
        maps = look.feature_maps(model, image, layer_names[0])
        shown = st.columns([1, 3])
        shown[0].image(pixels_for_display(image, scale=4), caption=f"label {label}, predicted {predicted} "
                       f"({probabilities[predicted]:.1%})", width=112)
        shown[1].image([pixels_for_display(feature, scale=2) for feature in maps[:12]],
                       caption=[f"map {number}" for number in range(12)], width=64)
        shown[1].caption("The first layer's feature maps for this digit (after ReLU): each kernel lights up "
                         "where its pattern occurs.")

        st.header("Saliency: which pixels move the score")
        gradient = look.saliency(model, image, predicted)
        salient = st.columns(2)
        salient[0].altair_chart(image_heatmap(image, "The digit", size=220, value_title="Ink"), width="content")
        salient[1].altair_chart(image_heatmap(abs(gradient), f"|d score({predicted}) / d pixel|", scheme="inferno",
                                              size=220, value_title="|gradient|"), width="content")
        st.caption("The gradient of the class score (before the softmax) with respect to every pixel. Large "
                   "values: a tiny change there moves the score most. It is a local, first-order measure, and "
                   "noisy; compare it with occlusion below.")

        st.header("Occlusion: hide a patch, watch the probability")
        occlusion_controls = st.columns(2)
        patch = occlusion_controls[0].slider("Patch size (pixels)", 3, 14, 8)
        fill_name = occlusion_controls[1].segmented_control("Patch colour", ["grey", "black (erases ink)"],
                                                            default="grey") or "grey"
        drops = look.occlusion_map(model, image, predicted, patch=patch, stride=2,
                                   fill=0.5 if fill_name == "grey" else 0.0)
        heat = look.occlusion_heat(drops, patch, 2, image.shape)
        occluded = st.columns(2)
        occluded[0].altair_chart(image_heatmap(image, "The digit", size=220, value_title="Ink"), width="content")
        occluded[1].altair_chart(image_heatmap(heat, f"Drop in P({predicted}) when this pixel is hidden",
                                               scheme="redblue", symmetric=True, size=220,
                                               value_title="Drop in probability"), width="content")
        st.caption(f"Each pixel shows the average drop over the patch positions that covered it; the largest "
                   f"single drop is {drops.max():.3f}. A confident network can lose very little to one patch: "
                   "try a larger or black patch to erase a stroke it needs.")

        st.header("Activation maximisation: the input a unit likes most")
        choices = {"a class": ("class", None), **{f"a filter of layer {name}": ("filter", name)
                                                  for name in (layer_names[0], layer_names[-1])}}
        maximise_controls = st.columns(3)
        what = maximise_controls[0].selectbox("Maximise", list(choices))
        target, layer = choices[what]
        limit = probabilities.size if layer is None else model.get_layer(layer).filters
        unit = maximise_controls[1].number_input("Class or filter number", 0, limit - 1, min(3, limit - 1))
        l1 = maximise_controls[2].select_slider("Penalty on ink (L1)", [0.0, 0.01, 0.03, 0.1], value=0.0)
        if st.button("Climb the gradient (60 steps)", icon=":material/trending_up:"):
            picture, reached = look.maximise(model, target, int(unit), layer, l1=l1)
            st.session_state["cnn-maximised"] = (what, int(unit), l1, picture, reached,
                                                 model.predict(picture[None, ..., None], verbose=0)[0])
        result = st.session_state.get("cnn-maximised")
        if result is not None:
            what_done, unit_done, l1_done, picture, reached, picture_probabilities = result
            columns = st.columns([1, 2])
            columns[0].image(pixels_for_display(picture, scale=4), width=112,
                             caption=f"{what_done} {unit_done}, L1 {l1_done}")
            columns[1].markdown(
                f"Objective reached: **{reached:.2f}**. The network classifies this picture as "
                f"**{int(picture_probabilities.argmax())}** with probability "
                f"**{picture_probabilities.max():.1%}**.\n\nWithout a penalty the picture that makes the "
                "network most sure of a class rarely looks like that digit to us: the network does not "
                "see digits the way we do, and very unnatural inputs can get very confident answers "
                "(the root of the adversarial examples in lesson 19). A penalty on ink makes it sparser "
                "and often more digit-like.")

        deep_dream_section(model, image, layer_names)


look_inside()
draw_a_digit("cnn-features-draw", extra_models={"Lesson CNN": cnn.model} if cnn is not None else None)
quiz(look.QUESTIONS, key="cnn-features")
corrections(look.CORRECTIONS)
next_steps("views/lessons/limits.py", "views/tasks/mnist.py")
