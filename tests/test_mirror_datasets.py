"""The real datasets from the mirror (skipped when DLLAB_DATA_MIRROR is not set)."""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.mirror


def test_mnist_official_split():
    from data.mnist import load_mnist

    mnist = load_mnist()
    assert (len(mnist.x_train), len(mnist.x_val), len(mnist.x_test)) == (55_000, 5_000, 10_000)
    counts = np.bincount(np.concatenate([mnist.y_train, mnist.y_val]), minlength=10)
    assert counts.tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert np.bincount(mnist.y_test).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_imdb_official_split():
    from data.imdb import load_imdb

    imdb = load_imdb()
    assert (len(imdb.x_train), len(imdb.x_val), len(imdb.x_test)) == (20_000, 5_000, 25_000)
    assert int(imdb.y_test.sum()) == 12_500
    assert int(imdb.y_train.sum() + imdb.y_val.sum()) == 12_500
    assert not any("<br" in text for text in imdb.x_test[:2000])


def test_metr_la_week():
    from data.traffic import load_traffic, make_windows

    traffic = load_traffic()
    assert traffic.speeds.shape == (2016, 207) and traffic.adjacency.shape == (207, 207)
    assert np.allclose(traffic.adjacency, traffic.adjacency.T) and np.all(np.diag(traffic.adjacency) == 1)
    assert 33.5 < traffic.latitude.min() and traffic.latitude.max() < 34.5
    windows = make_windows(traffic)
    assert (len(windows.x_train), len(windows.x_val), len(windows.x_test)) == (1388, 179, 380)
