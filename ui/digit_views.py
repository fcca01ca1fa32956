"""Draw (or upload) a digit, watch it become an MNIST image, and let every chosen model read it."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from data.digit_input import BOX, FIELD, MAX_IMAGE_BYTES, decode_image, mnist_steps
from i18n import N_
from ui.grid_charts import image_heatmap, pixels_for_display
from ui.i18n import gettext_for_session, localized_chart
from ui.stored_models import choose_runs, stored_models

CANVAS_SIDE = 280  # ten canvas pixels per MNIST pixel
STROKE_WIDTH = 22  # about MNIST's stroke (2-3 pixels of 28) after scaling to 20 pixels
UPLOAD_MB = MAX_IMAGE_BYTES // 2**20
SOURCES = (N_("Draw"), N_("Upload an image"))  # values stay English; the control shows them translated


def drawn_or_uploaded(key: str) -> np.ndarray | None:
    """The learner's digit as an RGBA array, or None while there is none."""
    _ = gettext_for_session()
    source = st.segmented_control(_("Your digit"), SOURCES, format_func=_, default="Draw", key=f"{key}-source")
    if source == "Upload an image":
        upload = st.file_uploader(_("A PNG or JPEG of one digit (up to {size} MB)").format(size=UPLOAD_MB),
                                  type=["png", "jpg", "jpeg"], max_upload_size=UPLOAD_MB, key=f"{key}-upload")
        return _decoded(upload.getvalue()) if upload is not None else None
    from streamlit_drawable_canvas import st_canvas

    st.caption(_("Draw one digit with the mouse or a finger; hover over the canvas for its toolbar (undo, clear)."))
    drawing = st_canvas(stroke_width=STROKE_WIDTH, stroke_color="#000000", background_color="#ffffff",
                        height=CANVAS_SIDE, width=CANVAS_SIDE, drawing_mode="freedraw", return_image_data=True,
                        key=f"{key}-canvas")
    objects = (drawing.json_data or {}).get("objects") or []
    raw = drawing.image_bytes if objects else None
    return _decoded(raw) if raw else None


def _decoded(raw: bytes) -> np.ndarray | None:
    # The canvas's PNG comes from the browser like any upload: decoded by the same checked path.
    try:
        return decode_image(raw)
    except ValueError as error:
        st.error(gettext_for_session()("This image cannot be used: {error}").format(error=error),
                 icon=":material/broken_image:")
        return None


def show_steps(steps) -> None:
    """The five preprocessing steps, each as an image."""
    _ = gettext_for_session()
    height, width = steps.cropped.shape
    captions = [
        _("1. Grey"),
        _("2. Inverted: light paper, so dark ink becomes white on black") if steps.inverted
        else _("2. Not inverted: the ink is already light on dark"),
        _("3. Cropped to the ink: {width} × {height} px").format(width=width, height=height),
        _("4. Longer side scaled to {box} px: {width} × {height}").format(
            box=BOX, width=steps.scaled.shape[1], height=steps.scaled.shape[0]),
        _("5. Centred by mass in {field} × {field} (centre of mass at row {row}, column {col})").format(
            field=FIELD, row=f"{steps.centre_of_mass[0]:.1f}", col=f"{steps.centre_of_mass[1]:.1f}"),
    ]
    images = [steps.grey, steps.ink, steps.cropped, steps.scaled, steps.centred]
    for column, image, caption in zip(st.columns(5), images, captions):
        scale = max(1, int(np.ceil(112 / max(image.shape))))  # small images enlarged without blurring
        column.image(pixels_for_display(image, scale=scale), caption=caption, width=112)


def probabilities_frame(models: dict[str, object], image: np.ndarray) -> pd.DataFrame:
    """One row per model: P(digit) for 0-9 and the predicted digit. `image` is (28, 28) in [0, 1]."""
    batch = np.asarray(image, np.float32)[None, ..., None]  # (1, 28, 28, 1)
    rows = []
    for label, model in models.items():
        probabilities = np.asarray(model(batch, training=False))[0]  # (10,)
        rows.append({"Model": label, **{str(digit): float(probabilities[digit]) for digit in range(10)},
                     "Prediction": int(probabilities.argmax())})
    return pd.DataFrame(rows)


def probabilities_chart(frame: pd.DataFrame) -> alt.Chart:
    long = frame.melt(id_vars=["Model"], value_vars=[str(digit) for digit in range(10)], var_name="Digit",
                      value_name="Probability")
    return alt.Chart(long, title=N_("Each model's probabilities")).mark_bar().encode(
        x=alt.X("Digit:N", title=N_("Digit"), axis=alt.Axis(labelAngle=0)),
        xOffset="Model:N",
        y=alt.Y("Probability:Q", title=N_("Probability"), scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("Model:N", title=N_("Model"), legend=alt.Legend(orient="bottom", columns=1)),
        tooltip=[alt.Tooltip("Model", title=N_("Model")), alt.Tooltip("Digit", title=N_("Digit")),
                 alt.Tooltip("Probability:Q", title=N_("Probability"), format=".3f")],
    ).properties(height=260)


def saliency_view(models: dict[str, object], image: np.ndarray, key: str) -> None:
    from lessons.cnn_features import saliency

    _ = gettext_for_session()
    labels = list(models)
    chosen = st.selectbox(_("Saliency of"), labels, key=f"{key}-saliency")
    model = models[chosen]
    predicted = int(np.asarray(model(np.asarray(image, np.float32)[None, ..., None], training=False))[0].argmax())
    gradient = saliency(model, image, predicted)
    left, right = st.columns(2)
    left.altair_chart(localized_chart(image_heatmap(image, _("What the model reads"), size=220, value_title=_("Ink"))),
                      width="content")
    right.altair_chart(localized_chart(image_heatmap(
        np.abs(gradient), _("|d score({digit}) / d pixel|").format(digit=predicted), scheme="inferno",
        size=220, value_title=_("|gradient|"))), width="content")
    st.caption(_("The gradient of the predicted digit's score (before the softmax) with respect to each pixel of "
                 "the 28 × 28 input: where a small change of ink would move the decision most."))


def draw_a_digit(key: str, preferred_runs: list[str] = (), extra_models: dict[str, object] | None = None) -> None:
    """The whole section: input, preprocessing steps, every chosen model's probabilities, saliency.
    `preferred_runs` are selected first; `extra_models` (e.g. a lesson's CNN) are always scored."""
    _ = gettext_for_session()
    st.header(_("Draw a digit"))
    st.markdown(_("MNIST digits are white on black, scaled so their longer side is 20 pixels and centred by their "
                  "centre of mass in 28 × 28. A digit drawn on a canvas is none of these, so it goes through the "
                  "same steps before any model sees it: without them most free-hand digits are misread."))
    image = drawn_or_uploaded(key)
    records = choose_runs("mnist", f"{key}-runs", list(preferred_runs), label=_("Stored MNIST models to ask"))
    if image is None:
        return
    try:
        steps = mnist_steps(image)
    except ValueError as error:
        st.info(f"{error}", icon=":material/draw:")
        return
    show_steps(steps)
    models = {**(extra_models or {}), **stored_models(records)}
    if not models:
        st.info(_("Train an MNIST model on the task page (or pick a stored one above) to see what it reads."),
                icon=":material/model_training:")
        return
    frame = probabilities_frame(models, steps.centred)
    st.altair_chart(localized_chart(probabilities_chart(frame)))
    st.dataframe(frame, hide_index=True, column_config={
        str(digit): st.column_config.NumberColumn(format="%.3f") for digit in range(10)}
        | {"Model": st.column_config.TextColumn(_("Model")),
           "Prediction": st.column_config.NumberColumn(_("Prediction"))})
    saliency_view(models, steps.centred, key)
