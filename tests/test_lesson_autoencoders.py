"""Lesson 15. Autoencoders: lessons/autoencoders.py against NumPy and Keras, the numbers its text and
quiz quote, and its page views/lessons/autoencoders.py run in AppTest."""

from __future__ import annotations

import numpy as np
import pytest

from lessons import autoencoders as ae
from tests.pages import TRAIN_TIMEOUT, assert_lesson_parts, charts_plotting, open_page, wait_for_demos

# ---- its math against NumPy and Keras --------------------------------------------------------------


def bar_digits(count: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Digits drawn as a bright bar whose height encodes the label (like tests/fixtures_data)."""
    rng = np.random.default_rng(seed)
    labels = (np.arange(count) % 10).astype(np.uint8)
    images = rng.integers(0, 30, size=(count, 28, 28)).astype(np.uint8)
    for index, label in enumerate(labels):
        images[index, 2 + 2 * label: 4 + 2 * label, 4:24] = 255
    return images, labels


def test_pixels_noise_and_mosaic():
    images, _ = bar_digits(3)
    unit = ae.to_unit(images)
    assert unit.shape == (3, 784) and unit.dtype == np.float32 and unit.max() == 1.0
    np.testing.assert_array_equal(ae.add_noise(unit, 0.0), unit)
    grey = np.full((200, 784), 0.5, dtype=np.float32)
    noisy = ae.add_noise(grey, 0.1, seed=1)
    assert noisy.min() >= 0.0 and noisy.max() <= 1.0
    assert np.std(noisy - grey) == pytest.approx(0.1, rel=0.02)
    assert ae.add_noise(unit, 0.9).min() >= 0.0 and ae.add_noise(unit, 0.9).max() <= 1.0
    canvas = ae.mosaic([unit, unit[:2]], gap=2)
    assert canvas.shape == (2 * 30 - 2, 3 * 30 - 2)
    np.testing.assert_allclose(canvas[:28, :28], 1.0 - unit[0].reshape(28, 28))
    with pytest.raises(ValueError):
        ae.to_unit(np.zeros((2, 10)))
    with pytest.raises(ValueError):
        ae.add_noise(unit, -0.1)


@pytest.mark.parametrize("code_size", [2, 16])
def test_autoencoder_shapes_and_parameter_count(code_size):
    autoencoder, encoder, decoder = ae.build_autoencoder(code_size, hidden=(32, 8))
    assert encoder.output_shape == (None, code_size) and autoencoder.output_shape == (None, 784)
    dense = lambda inputs, units: inputs * units + units
    expected = (dense(784, 32) + dense(32, 8) + dense(8, code_size)
                + dense(code_size, 8) + dense(8, 32) + dense(32, 784))
    assert autoencoder.count_params() == expected
    assert decoder.count_params() == dense(code_size, 8) + dense(8, 32) + dense(32, 784)


def test_denoising_autoencoder_removes_noise_on_simple_digits():
    images, labels = bar_digits(400)
    result = ae.train_denoising_autoencoder(images[:300], images[300:], labels[300:], code_size=2, noise=0.4,
                                            epochs=20, train_size=300, shown=5, code_points=100)
    assert result.reconstructions.shape == (5, 784) and result.codes_2d.shape == (100, 2)
    assert result.random_decodes.shape == (5, 784) and len(result.losses) == 20
    assert result.losses[-1] < result.losses[0]
    assert result.reconstruction_error < result.noisy_error
    # The 2-D code sorts the bars by height: a label is closer to the codes of its own class.
    centroids = np.stack([result.codes_2d[result.code_labels == digit].mean(axis=0) for digit in range(10)])
    nearest = np.argmin(((result.codes_2d[:, None] - centroids[None]) ** 2).sum(-1), axis=1)
    assert (nearest == result.code_labels).mean() > 0.3


# ---- the numbers its text quotes, checked against its own demos ------------------------------------


def test_greyness_is_zero_for_black_and_white_and_one_for_mid_grey():
    assert ae.greyness(np.array([[0.0, 1.0, 1.0, 0.0]])) == 0.0
    assert ae.greyness(np.full((2, 4), 0.5)) == 1.0
    with pytest.raises(ValueError):
        ae.greyness(np.zeros((0, 4)))


def test_decoder_verdict_follows_the_measured_greyness():
    crisp = np.tile([0.0, 0.02, 0.98, 1.0], (5, 196))
    grey = np.full((5, 784), 0.45)
    assert "blurry blends, not digits" in ae.decoder_verdict(crisp, grey)
    assert "about as crisply" in ae.decoder_verdict(crisp, crisp)


def test_code_space_verdict_follows_the_nearest_neighbours():
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(10), 30)
    clustered = rng.normal(size=(300, 2)) * 0.1 + np.stack([labels, labels ** 2], axis=1)
    mixed = rng.normal(size=(300, 2))
    agreement, _ = ae.nearest_neighbour_agreement(clustered, labels)
    assert agreement == 1.0 and "land close together" in ae.code_space_verdict(clustered, labels)
    assert "does not sort the digits" in ae.code_space_verdict(mixed, labels)
    partly = np.where(np.arange(300)[:, None] % 3 == 0, clustered, mixed)  # a third clustered, the rest noise
    assert "only partly" in ae.code_space_verdict(partly, labels)
    share, pair = ae.nearest_neighbour_agreement(np.array([[0.0, 0], [0, 1], [5, 5], [5, 6]]), np.array([4, 9, 4, 9]))
    assert share == 0.0 and pair == (4, 9)


# ---- the page --------------------------------------------------------------------------------------


def test_autoencoder_page_trains_on_demand(tiny_mirror):
    app = open_page("views/lessons/autoencoders.py", timeout=TRAIN_TIMEOUT)
    assert "press **Train**" in app.info[0].value
    app.slider[1].set_value(3)  # epochs
    wait_for_demos(app.button[0].click().run())  # MNIST is loaded and trained on in a worker process
    assert len(app.get("image")) == 2  # original/noisy/reconstructed, and random codes
    labels = {metric.label for metric in app.metric}
    assert {"Pixel error of the noisy input", "Pixel error after denoising", "Training time"} <= labels
    assert charts_plotting(app, "epoch", "value") and charts_plotting(app, "code 1", "code 2", "digit")
    text = "\n".join(block.value for block in [*app.markdown, *app.caption])
    assert "of the test digits have a nearest neighbour of the same digit" in text
    assert "In this run the random codes decode" in text  # a verdict measured on this run, either way
    assert_lesson_parts(app, "views/lessons/autoencoders.py", ae)
