"""Lesson 10: what a CNN trained on MNIST has learned: filters, activation maximisation,
saliency and occlusion."""

import streamlit as st

from i18n import N_
from lessons import cnn_features as look
from ui.datasets import load_dataset
from ui.digit_views import draw_a_digit
from ui.grid_charts import image_heatmap, pixels_for_display
from ui.i18n import gettext_for_session, localized_chart, text
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.pretrained import trained_cnn_or_button

SCRIPT = "views/lessons/cnn_features.py"
_, prose = gettext_for_session(), text("cnn_features")
lesson_header(SCRIPT)
FILLS = (N_("grey"), N_("black (erases ink)"))  # values stay English; the control shows them translated

st.markdown(prose("intro"))


def deep_dream_section(model, image, layer_names: list[str]) -> None:
    st.header(_("Deep dream: amplify what a layer already sees"))
    st.markdown(prose("dream"))
    controls = st.columns(3)
    layer = controls[0].selectbox(_("Layer"), layer_names, key="dream-layer")
    steps = controls[1].slider(_("Steps"), 5, 60, 20, 5, key="dream-steps")
    step_size = controls[2].select_slider(_("Step size"), [0.005, 0.01, 0.02, 0.05], value=0.02, key="dream-step")
    settings = (layer, steps, step_size, float(image.sum()))
    if st.button(_("Dream on this digit"), icon=":material/auto_awesome:", key="dream-run"):
        st.session_state["cnn-dream"] = (settings, look.dream(model, image, layer, steps, step_size))
    stored = st.session_state.get("cnn-dream")
    if stored is None or stored[0] != settings:
        st.info(_("Press the button to dream on the test digit chosen above."), icon=":material/info:")
        return
    dreamed = stored[1]
    pictures = st.columns(3)
    before, after = dreamed.probabilities_before, dreamed.probabilities_after
    pictures[0].image(pixels_for_display(dreamed.original, scale=4), width=112,
                      caption=_("Original: {digit} ({probability})").format(
                          digit=int(before.argmax()), probability=f"{before.max():.1%}"))
    pictures[1].image(pixels_for_display(dreamed.dreamed, scale=4), width=112,
                      caption=_("Dreamed: {digit} ({probability})").format(
                          digit=int(after.argmax()), probability=f"{after.max():.1%}"))
    pictures[2].image(pixels_for_display(dreamed.dreamed - dreamed.original, symmetric=True, scale=4), width=112,
                      caption=_("What changed (white = added ink)"))
    numbers = st.columns(2)
    numbers[0].metric(_("Activity of {layer}").format(layer=layer), f"{dreamed.objective[-1]:.3g}",
                      delta=_("{change} from {start}").format(
                          change=f"{dreamed.objective[-1] - dreamed.objective[0]:+.3g}",
                          start=f"{dreamed.objective[0]:.3g}"))
    numbers[1].metric(_("Strong values pushed further the same way"), f"{dreamed.amplified_share:.0%}",
                      help=_("Of the layer's values larger in size than their median: the share that kept its sign "
                             "and grew in size."))
    st.caption(prose("dream-result"))

cnn = trained_cnn_or_button("cnn-features-train")


@st.fragment
def look_inside():
    if cnn is not None:
        model = cnn.model
        summary = st.columns(3)
        summary[0].metric(_("Test accuracy"), f"{cnn.test_accuracy:.1%}")
        summary[1].metric(_("Epochs"), cnn.epochs)
        summary[2].metric(_("Training time"), f"{cnn.train_seconds:.0f} s")

        st.header(_("First-layer kernels"))
        filters = look.first_layer_filters(model)
        st.image([pixels_for_display(kernel, symmetric=True, scale=16) for kernel in filters],
                 caption=[_("filter {index}").format(index=index) for index in range(len(filters))], width=56)
        st.caption(prose("first-layer", count=len(filters)))

        mnist = load_dataset("mnist")
        images = mnist.x_test.astype("float32") / 255.0  # (n, 28, 28)
        index = st.number_input(_("Test image"), 0, len(images) - 1, 0, help=_("Pick any of the test digits."))
        image, label = images[index], int(mnist.y_test[index])
        probabilities = model.predict(image[None, ..., None], verbose=0)[0]
        predicted = int(probabilities.argmax())
        layer_names = look.conv_layer_names(model)
        maps = look.feature_maps(model, image, layer_names[0])
        shown = st.columns([1, 3])
        shown[0].image(pixels_for_display(image, scale=4), caption=_("label {label}, predicted {predicted} "
                       "({probability})").format(label=label, predicted=predicted,
                                                 probability=f"{probabilities[predicted]:.1%}"), width=112)
        shown[1].image([pixels_for_display(feature, scale=2) for feature in maps[:12]],
                       caption=[_("map {number}").format(number=number) for number in range(12)], width=64)
        shown[1].caption(prose("feature-maps"))

        st.header(_("Saliency: which pixels move the score"))
        gradient = look.saliency(model, image, predicted)
        salient = st.columns(2)
        salient[0].altair_chart(localized_chart(image_heatmap(image, _("The digit"), size=220, value_title=_("Ink"))),
                                width="content")
        salient[1].altair_chart(localized_chart(image_heatmap(
            abs(gradient), _("|d score({digit}) / d pixel|").format(digit=predicted), scheme="inferno",
            size=220, value_title=_("|gradient|"))), width="content")
        st.caption(prose("saliency"))

        st.header(_("Occlusion: hide a patch, watch the probability"))
        occlusion_controls = st.columns(2)
        patch = occlusion_controls[0].slider(_("Patch size (pixels)"), 3, 14, 8)
        fill_name = occlusion_controls[1].segmented_control(_("Patch colour"), FILLS, format_func=_,
                                                            default="grey") or "grey"
        drops = look.occlusion_map(model, image, predicted, patch=patch, stride=2,
                                   fill=0.5 if fill_name == "grey" else 0.0)
        heat = look.occlusion_heat(drops, patch, 2, image.shape)
        occluded = st.columns(2)
        occluded[0].altair_chart(localized_chart(image_heatmap(image, _("The digit"), size=220, value_title=_("Ink"))),
                                 width="content")
        occluded[1].altair_chart(localized_chart(image_heatmap(
            heat, _("Drop in P({digit}) when this pixel is hidden").format(digit=predicted),
            scheme="redblue", symmetric=True, size=220, value_title=_("Drop in probability"))), width="content")
        st.caption(prose("occlusion", largest=f"{drops.max():.3f}"))

        st.header(_("Activation maximisation: the input a unit likes most"))
        choices = {"a class": ("class", None), **{f"a filter of layer {name}": ("filter", name)
                                                  for name in (layer_names[0], layer_names[-1])}}

        def shown_choice(choice: str) -> str:
            chosen_layer = choices[choice][1]
            return _("a class") if chosen_layer is None else _("a filter of layer {name}").format(name=chosen_layer)

        maximise_controls = st.columns(3)
        what = maximise_controls[0].selectbox(_("Maximise"), list(choices), format_func=shown_choice)
        target, layer = choices[what]
        limit = probabilities.size if layer is None else model.get_layer(layer).filters
        unit = maximise_controls[1].number_input(_("Class or filter number"), 0, limit - 1, min(3, limit - 1))
        l1 = maximise_controls[2].select_slider(_("Penalty on ink (L1)"), [0.0, 0.01, 0.03, 0.1], value=0.0)
        if st.button(_("Climb the gradient (60 steps)"), icon=":material/trending_up:"):
            picture, reached = look.maximise(model, target, int(unit), layer, l1=l1)
            st.session_state["cnn-maximised"] = (what, int(unit), l1, picture, reached,
                                                 model.predict(picture[None, ..., None], verbose=0)[0])
        result = st.session_state.get("cnn-maximised")
        if result is not None:
            what_done, unit_done, l1_done, picture, reached, picture_probabilities = result
            columns = st.columns([1, 2])
            columns[0].image(pixels_for_display(picture, scale=4), width=112,
                             caption=_("{what} {unit}, L1 {l1}").format(what=shown_choice(what_done)
                                                                        if what_done in choices else what_done,
                                                                        unit=unit_done, l1=l1_done))
            columns[1].markdown(prose("maximised", reached=f"{reached:.2f}",
                                      digit=int(picture_probabilities.argmax()),
                                      probability=f"{picture_probabilities.max():.1%}"))

        deep_dream_section(model, image, layer_names)


look_inside()
draw_a_digit("cnn-features-draw", extra_models={_("Lesson CNN"): cnn.model} if cnn is not None else None)
quiz(look.QUESTIONS, key="cnn-features")
corrections(look.CORRECTIONS)
next_steps("views/lessons/limits.py", "views/tasks/mnist.py")
