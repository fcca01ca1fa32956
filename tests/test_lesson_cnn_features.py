"""Lesson 10. What a CNN learns: lessons/cnn_features.py against NumPy and Keras, the numbers its text and
quiz quote, and its page views/lessons/cnn_features.py run in AppTest."""

from __future__ import annotations

import numpy as np
import pytest
import streamlit as st

from lessons import cnn_features as look
from tests.pages import (
    WORKER_WAIT,
    button,
    charts_plotting,
    markdown_text,
    metrics,
    open_page,
    quiz_radios,
    rerun,
    wait_for_demos,
)
from tests.tiny_models import tiny_image_classifier

# ---- its math against NumPy and Keras --------------------------------------------------------------


def test_tiny_classifier_is_trained():
    model, x_test, y_test = tiny_image_classifier()
    assert np.mean(model.predict(x_test[..., None], verbose=0).argmax(axis=1) == y_test) >= 0.9


def test_filters_and_feature_maps_match_the_first_convolution():
    import keras

    model, x_test, _ = tiny_image_classifier()
    first = model.get_layer(look.conv_layer_names(model)[0])
    kernel, bias = first.get_weights()
    np.testing.assert_array_equal(look.first_layer_filters(model), np.transpose(kernel[:, :, 0, :], (2, 0, 1)))
    expected = keras.ops.relu(keras.ops.conv(x_test[:1, ..., None], kernel) + bias)
    np.testing.assert_allclose(look.feature_maps(model, x_test[0], first.name),
                               np.transpose(keras.ops.convert_to_numpy(expected)[0], (2, 0, 1)), rtol=1e-5, atol=1e-6)


def test_class_scores_are_the_logits_behind_the_softmax():
    model, x_test, _ = tiny_image_classifier()
    scores = look.class_scores(model, x_test[:5, ..., None])
    softmax = np.exp(scores - scores.max(axis=1, keepdims=True))
    np.testing.assert_allclose(softmax / softmax.sum(axis=1, keepdims=True),
                               model.predict(x_test[:5, ..., None], verbose=0), rtol=1e-4, atol=1e-6)


def test_saliency_equals_a_finite_difference_estimate():
    model, x_test, y_test = tiny_image_classifier()
    label = int(y_test[1])
    # The bar's pixels are exactly 1.0, so max pooling has ties where the score has no derivative;
    # a little noise moves the image to a generic point.
    image = x_test[1] + np.random.default_rng(1).uniform(0, 0.01, x_test[1].shape).astype("float32")
    gradient = look.saliency(model, image, label)
    step = 1e-3  # small enough that no ReLU or max-pool switches inside the step, at almost every pixel
    nudged = np.repeat(image[None], 2 * image.size, axis=0)  # (2 * pixels, 12, 12)
    for pixel in range(image.size):
        row, col = divmod(pixel, image.shape[1])
        nudged[2 * pixel, row, col] += step
        nudged[2 * pixel + 1, row, col] -= step
    scores = look.class_scores(model, nudged[..., None])[:, label].astype(np.float64)
    estimate = ((scores[0::2] - scores[1::2]) / (2 * step)).reshape(image.shape)  # (12, 12)
    assert np.abs(gradient).max() > 0
    close = np.abs(gradient - estimate) <= 0.01 * np.abs(gradient).max()
    # A ReLU network is piecewise linear: a step can still cross a kink at a pixel or two.
    assert close.mean() >= 0.97, f"saliency differs from finite differences at {np.argwhere(~close).tolist()}"


def test_occlusion_map_is_the_probability_lost_under_each_patch():
    model, x_test, y_test = tiny_image_classifier()
    image, label = x_test[2], int(y_test[2])
    drops = look.occlusion_map(model, image, label, patch=4, stride=2, fill=0.0)
    assert drops.shape == (5, 5)
    hidden = image.copy()
    hidden[2:6, 4:8] = 0.0  # the patch at row 1, column 2 of the map
    before, after = model.predict(np.stack([image, hidden])[..., None], verbose=0)[:, label]
    assert drops[1, 2] == pytest.approx(before - after, abs=1e-5)
    bar_row = 1 + 4 * label  # hiding the bar itself costs the most
    assert np.unravel_index(drops.argmax(), drops.shape)[0] in {max(0, (bar_row - 3) // 2), bar_row // 2}
    with pytest.raises(ValueError, match="patch"):
        look.occlusion_map(model, image, label, patch=20)


def test_activation_maximisation_climbs_its_objective():
    model, _, _ = tiny_image_classifier()
    start = np.random.default_rng(0).uniform(0.0, 0.2, (12, 12)).astype("float32")
    picture, reached = look.maximise(model, "class", 0, steps=20)
    assert picture.min() >= 0 and picture.max() <= 1
    assert reached > look.class_scores(model, start[None, ..., None])[0, 0] + 1
    assert reached == pytest.approx(look.class_scores(model, picture[None, ..., None])[0, 0], rel=1e-4)
    layer = look.conv_layer_names(model)[-1]
    response = look.filter_response(model, layer, 1)
    filter_picture, filter_value = look.maximise(model, "filter", 1, layer, steps=20)
    assert filter_value > float(response(start[None, ..., None])) + 0.1
    assert filter_value == pytest.approx(float(response(filter_picture[None, ..., None])), rel=1e-4)
    # The response is the convolution before its ReLU: where positive, it is the feature map.
    after_relu = look.feature_maps(model, filter_picture, layer)[1]
    if after_relu.min() > 0:
        assert after_relu.mean() == pytest.approx(filter_value, rel=1e-4)
    with pytest.raises(ValueError, match="target"):
        look.maximise(model, "neuron", 0)


def test_occlusion_heat_averages_the_patches_covering_each_pixel():
    drops = np.arange(9, dtype=float).reshape(3, 3)
    heat = look.occlusion_heat(drops, patch=4, stride=2, shape=(9, 9))
    assert heat[0, 0] == 0 and heat[2, 2] == np.mean([0, 1, 3, 4])  # covered by positions (0,0)...(1,1)
    assert heat[7, 7] == 8 and np.isnan(heat[8, 8])  # the last patch ends at pixel 7


def test_the_lessons_cnn_is_not_trained_again_once_stored(tmp_path):
    from lessons.pretrained import METRICS_FILE, WEIGHTS_FILE, stored_metrics, train_lesson_cnn

    assert stored_metrics(tmp_path) is None
    (tmp_path / WEIGHTS_FILE).write_bytes(b"stored by another learner's worker")
    (tmp_path / METRICS_FILE).write_text('{"test_accuracy": 0.5, "train_seconds": 1.5, "epochs": 2}')
    # No dataset here: training would fail, so this returns what is stored.
    assert train_lesson_cnn(str(tmp_path)) == {"test_accuracy": 0.5, "train_seconds": 1.5, "epochs": 2}
    (tmp_path / METRICS_FILE).write_text("{half a file")
    with pytest.raises(ValueError, match="unreadable"):
        stored_metrics(tmp_path)


def tiny_cnn(keras, seed=0):
    keras.utils.set_random_seed(seed)
    inputs = keras.Input(shape=(8, 8, 1))
    x = keras.layers.Conv2D(2, 3, activation="relu", name="conv")(inputs)
    x = keras.layers.Flatten()(x)
    return keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(x))


def test_dream_gradient_matches_a_hand_computation(keras):
    model = tiny_cnn(keras)
    kernel, bias = (np.asarray(array, np.float64) for array in model.get_layer("conv").get_weights())
    image = np.random.default_rng(3).uniform(0, 1, (8, 8))
    # a[i, j, f] = sum_rc x[i + r, j + c] K[r, c, 0, f] + b[f]; objective = mean(a²), so
    # d objective / d x[i + r, j + c] += 2 a[i, j, f] / N · K[r, c, 0, f].
    values = np.stack([[[np.sum(image[i:i + 3, j:j + 3] * kernel[:, :, 0, f]) + bias[f] for f in range(2)]
                        for j in range(6)] for i in range(6)])  # (6, 6, 2)
    expected = np.zeros((8, 8))
    for i in range(6):
        for j in range(6):
            for f in range(2):
                expected[i:i + 3, j:j + 3] += 2 * values[i, j, f] / values.size * kernel[:, :, 0, f]
    np.testing.assert_allclose(look.dream_gradient(model, image, "conv"), expected, rtol=1e-4, atol=1e-7)


def test_dream_climbs_and_amplifies_what_the_layer_sees(keras):
    model = tiny_cnn(keras, seed=1)
    image = np.random.default_rng(4).uniform(0.2, 0.8, (8, 8))
    result = look.dream(model, image, "conv", steps=10, step_size=0.01)
    assert len(result.objective) == 11 and result.objective[-1] > result.objective[0]
    assert result.dreamed.min() >= 0.0 and result.dreamed.max() <= 1.0
    assert result.amplified_share > 0.5
    with pytest.raises(ValueError, match="not a Conv2D"):
        look.dream(model, image, model.layers[-1].name)


# ---- the page --------------------------------------------------------------------------------------


@pytest.mark.parametrize("script", ["views/lessons/cnn_features.py", "views/lessons/limits.py"])
def test_model_lessons_offer_training_and_still_teach_without_a_model(script):
    app = open_page(script)  # no dataset mirror: nothing may be loaded or trained on opening
    assert "trained once for everyone" in app.info[0].value
    assert [item.label for item in app.button] == ["Train the model"]
    assert quiz_radios(app) and len(app.expander) == 1 and not app.get("image")


def test_model_lessons_train_the_engine_cnn_once_and_look_inside_it(tiny_mirror, isolated_home):
    app = open_page("views/lessons/limits.py")
    button(app, "Train the model").click().run()
    wait_for_demos(app, 300)  # the engine trains it in a worker process and stores its weights
    assert not app.exception and not app.error
    assert (isolated_home / "lesson_models" / "mnist-cnn-quick" / "model.weights.h5").is_file()
    attack = next(text for text in markdown_text(app).split("\n") if "smallest flipping step" in text)
    levels = int(attack.split("ε = ")[1].split("/255")[0])
    assert (f"{levels - 1}/255" if levels > 1 else "the unchanged image") + " still gives" in attack
    assert len(app.get("image")) == 3  # original, perturbation, adversarial
    app.number_input[0].set_value(4).run()
    assert not app.exception

    app.switch_page("views/lessons/cnn_features.py")  # the same process: the model is shared, not retrained
    app.run()
    assert "Train the model" not in [item.label for item in app.button]
    metrics = {metric.label: metric.value for metric in app.metric}
    from models.registry import ARCHITECTURES  # the lesson CNN trains the mnist/cnn quick recipe

    assert metrics["Epochs"] == str(ARCHITECTURES["mnist"]["cnn"].quick_recipe.epochs)
    assert metrics["Test accuracy"].endswith("%")
    assert len(app.get("image")) == 3 and charts_plotting(app, "row", "col", "value")  # filters, digit, maps; heatmaps
    app.segmented_control[0].set_value("black (erases ink)").run()
    button(app, "Climb the gradient (60 steps)").click().run()
    assert "Objective reached" in markdown_text(app)
    app.selectbox[0].select_index(2).run()
    button(app, "Climb the gradient (60 steps)").click().run()
    assert "The network classifies this picture as" in markdown_text(app) and not app.exception

    # After a restart (no cached model) a new learner gets the stored model: nothing is trained again.
    st.cache_resource.clear()
    restarted = open_page("views/lessons/cnn_features.py")
    assert "Train the model" not in [item.label for item in restarted.button] and not restarted.error
    assert {metric.label: metric.value for metric in restarted.metric}["Test accuracy"] == metrics["Test accuracy"]


def test_an_unreadable_stored_cnn_is_reported_and_offered_for_training_again(isolated_home):
    folder = isolated_home / "lesson_models" / "mnist-cnn-quick"
    folder.mkdir(parents=True)
    (folder / "model.weights.h5").write_bytes(b"not an HDF5 file")
    (folder / "metrics.json").write_text('{"test_accuracy": 0.9, "train_seconds": 3, "epochs": 2}')
    app = open_page("views/lessons/cnn_features.py")
    assert str(folder / "model.weights.h5") in app.error[0].value  # names the file it could not use
    assert [item.label for item in app.button] == ["Train the model"]
    assert (folder / "model.weights.h5").read_bytes() == b"not an HDF5 file"  # kept until retrained


def test_deep_dream_section_on_the_shared_cnn(tiny_mirror):
    app = open_page("views/lessons/cnn_features.py")
    next(item for item in app.button if item.label == "Train the model").click().run()
    wait_for_demos(app, WORKER_WAIT)  # the shared CNN is trained in a worker and stored
    assert not app.exception and not app.error
    assert any(info.value.startswith("Press the button to dream") for info in app.info)
    rerun(app.slider(key="dream-steps").set_value(5))
    rerun(app.button(key="dream-run").click())
    found = metrics(app)
    layer = app.selectbox(key="dream-layer").value
    before, after = found[f"Activity of {layer}"], found["Strong values pushed further the same way"]
    assert float(before) > 0 and after.endswith("%")
    assert len(app.get("image")) >= 3 + 3  # the lesson's images and the dream's three
