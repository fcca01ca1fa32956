"""Lesson 16. Generative adversarial networks: lessons/gans.py against NumPy and Keras, the numbers its text and
quiz quote, and its page views/lessons/gans.py run in AppTest."""

from __future__ import annotations

import numpy as np
import pytest

from lessons import gans
from tests.pages import TRAIN_TIMEOUT, assert_lesson_parts, charts_plotting, open_page, wait_for_demos

# ---- its math against NumPy and Keras --------------------------------------------------------------


def test_toy_datasets():
    ring = gans.ring_of_gaussians(800, seed=0)
    distance = np.sqrt(((ring[:, None] - gans.ring_centres()[None]) ** 2).sum(-1))
    assert distance.min(axis=1).max() < 6 * gans.RING_STD
    assert len(np.unique(distance.argmin(axis=1))) == 8
    moons = gans.two_moons(500, seed=0, noise=0.0)
    upper = moons[:, 1] + 0.25 >= 0
    radius = np.hypot(moons[:, 0] + 0.5, moons[:, 1] + 0.25)
    assert np.allclose(radius[upper & (moons[:, 0] < -0.5)], 1.0)  # left end: only the upper moon
    with pytest.raises(ValueError, match="unknown dataset"):
        gans.real_samples("spiral", 5)


def test_nearest_distances_and_quality_metrics():
    rng = np.random.default_rng(0)
    points, reference = rng.normal(size=(30, 2)), rng.normal(size=(40, 2))
    brute = [min(np.hypot(*(point - other)) for other in reference) for point in points]
    np.testing.assert_allclose(gans.nearest_distances(points, reference), brute)
    real = gans.ring_of_gaussians(400, seed=1)
    perfect = gans.sample_quality(gans.ring_of_gaussians(400, seed=2), real, "ring")
    collapsed = gans.sample_quality(np.tile(gans.ring_centres()[:1], (400, 1)), real, "ring")
    assert perfect["modes covered"] == 8 and perfect["near a mode"] > 0.95
    assert collapsed["modes covered"] == 1 and collapsed["near a mode"] == 1.0
    assert collapsed["fake to real"] < 0.1 < 1.0 < collapsed["real to fake"]
    assert "modes covered" not in gans.sample_quality(real, real, "moons")


def test_equilibrium_losses_are_the_cross_entropy_of_a_coin_flip():
    import keras

    cross_entropy = keras.losses.BinaryCrossentropy(from_logits=True)
    zero_logits = np.zeros((4, 1), dtype=np.float32)
    real_half = float(cross_entropy(np.ones((4, 1)), zero_logits))
    fake_half = float(cross_entropy(np.zeros((4, 1)), zero_logits))
    assert real_half + fake_half == pytest.approx(gans.EQUILIBRIUM_D_LOSS, rel=1e-5)
    assert real_half == pytest.approx(gans.EQUILIBRIUM_G_LOSS, rel=1e-5)


def test_gan_training_reports_every_epoch_and_learns_the_ring():
    seen = []
    result = gans.train_gan("ring", epochs=4, steps_per_epoch=60, batch_size=64, learning_rate=2e-3,
                            samples=300, report=seen.append)
    assert [(payload["epoch"], payload["epochs"], payload["points"].shape) for payload in seen] == \
        [(epoch, 4, (300, 2)) for epoch in range(1, 5)]
    np.testing.assert_array_equal(seen[-1]["points"], result.snapshots[-1])
    assert [payload["d_loss"] for payload in seen] == list(result.d_losses)
    assert result.snapshots.shape == (5, 300, 2) and len(result.quality) == 5
    assert all(np.isfinite(result.d_losses)) and all(np.isfinite(result.g_losses))
    # Before training the generator sits near the origin, far from the ring.
    assert result.quality[-1]["real to fake"] < 0.5 * result.quality[0]["real to fake"]
    with pytest.raises(ValueError):
        gans.GanTrainer().train(np.zeros((2, 3)))


# ---- the page --------------------------------------------------------------------------------------


def test_gan_page_trains_live_and_shows_snapshots():
    app = open_page("views/lessons/gans.py", timeout=TRAIN_TIMEOUT)
    assert "Train live" in app.info[0].value
    app.slider[0].set_value(3)  # epochs
    wait_for_demos(app.button[0].click().run())  # each epoch's points are drawn while the worker trains
    labels = {metric.label for metric in app.metric}
    assert "Modes covered (of 8)" in labels
    assert charts_plotting(app, "x", "y", "points") and charts_plotting(app, "epoch", "value")  # samples, losses
    app.slider[-1].set_value(0).run()  # the generator before training
    assert not app.exception
    assert_lesson_parts(app, "views/lessons/gans.py", gans)
