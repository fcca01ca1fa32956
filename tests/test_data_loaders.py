"""Loaders on tiny files in the real formats: shapes, splits, cleaning, normalisation, windows."""

from __future__ import annotations

import numpy as np
import pytest

from data import cache
from data.download import DatasetError
from data.imdb import load_imdb
from data.mnist import load_mnist
from data.traffic import load_traffic, make_windows


def test_mnist_shapes_and_validation_from_end_of_train(tiny_mirror):
    raw = np.load(tiny_mirror / "mnist" / "mnist.npz")
    mnist = load_mnist(validation_size=50)
    assert mnist.x_train.shape == (250, 28, 28) and mnist.x_train.dtype == np.uint8
    assert mnist.x_val.shape == (50, 28, 28) and mnist.x_test.shape == (100, 28, 28)
    np.testing.assert_array_equal(mnist.x_val, raw["x_train"][-50:])
    np.testing.assert_array_equal(mnist.y_test, raw["y_test"])
    assert set(np.unique(mnist.y_train)) <= set(range(10))
    assert not mnist.x_train.flags.writeable, "shared arrays must be read-only"


def test_second_load_reads_the_parsed_cache(tiny_mirror, monkeypatch):
    first = load_mnist(validation_size=50)

    def must_not_parse(*args, **kwargs):
        raise AssertionError("parsed again although the source did not change")

    monkeypatch.setattr("data.mnist.parse_mnist", must_not_parse)
    second = load_mnist(validation_size=50)
    np.testing.assert_array_equal(first.x_train, second.x_train)


def test_replaced_source_file_is_parsed_again(tiny_mirror):
    from data.tiny import write_tiny_mnist

    assert len(load_mnist(validation_size=10).x_test) == 100
    write_tiny_mnist(tiny_mirror, train=200, test=30, seed=1)
    assert len(load_mnist(validation_size=10).x_test) == 30


def test_damaged_parsed_cache_is_rebuilt_and_said_so(tiny_mirror, isolated_home):
    assert load_mnist(validation_size=50).notices == ()
    (isolated_home / "cache" / "mnist.npz").write_bytes(b"not a zip")
    mnist = load_mnist(validation_size=50)
    assert len(mnist.x_test) == 100
    assert len(mnist.notices) == 1 and "parsed cache" in mnist.notices[0] and "rebuilt" in mnist.notices[0]
    assert load_mnist(validation_size=50).notices == (), "the rebuilt cache is good again"


def keep_fingerprint(cache_file, change):
    """Rewrite a parsed cache with `change` applied to its arrays, under the same fingerprint."""
    with np.load(cache_file) as stored:
        arrays = {key: stored[key] for key in stored.files}
    change(arrays)
    np.savez(cache_file, **arrays)


def cut(keys, length):
    def change(arrays):
        for key in keys:
            arrays[key] = arrays[key][:length]
    return change


def retype(key, dtype):
    def change(arrays):
        arrays[key] = arrays[key].astype(dtype)
    return change


@pytest.mark.parametrize("name, cache_name, change, sizes", [
    ("mnist", "mnist", cut(["x_train", "y_train"], 100), lambda data: (len(data.x_train), len(data.x_test))),
    ("mnist", "mnist", retype("x_test", np.float64), lambda data: (len(data.x_train), data.x_test.dtype.name)),
    ("imdb", "imdb", retype("labels", np.int64), lambda data: (len(data.x_train), data.y_test.dtype.name)),
    ("imdb", "imdb", cut(["offsets"], 50), lambda data: (len(data.x_train), len(data.x_test))),
    ("traffic", "metr-la-week", cut(["speeds"], 100), lambda data: data.speeds.shape),
    ("traffic", "metr-la-week", retype("adjacency", np.float64), lambda data: data.adjacency.dtype.name),
])
def test_a_wrong_parsed_cache_is_rebuilt_never_used(tiny_mirror, isolated_home, name, cache_name, change,
                                                     sizes):
    loader = {"mnist": load_mnist, "imdb": load_imdb, "traffic": load_traffic}[name]
    expected = sizes(loader())
    keep_fingerprint(isolated_home / "cache" / f"{cache_name}.npz", change)
    again = loader()
    assert sizes(again) == expected
    assert len(again.notices) == 1 and "parsed cache" in again.notices[0], again.notices


def test_an_unusable_file_in_the_data_folder_is_replaced_from_the_mirror(tiny_mirror, isolated_home):
    own = isolated_home / "datasets" / "mnist" / "mnist.npz"
    own.parent.mkdir(parents=True)
    own.write_bytes(b"half a download")
    mnist = load_mnist(validation_size=50)
    assert len(mnist.x_test) == 100  # the mirror's copy
    assert (own.parent / "mnist.npz.corrupt").read_bytes() == b"half a download"
    assert not own.exists(), "the mirror is used in place, never copied"
    assert any("mnist.npz.corrupt" in notice for notice in mnist.notices), mnist.notices


def test_validation_size_out_of_range_is_a_clear_error(tiny_mirror):
    with pytest.raises(ValueError, match="validation_size"):
        load_mnist(validation_size=10_000)


def test_imdb_split_labels_and_cleaning(tiny_mirror):
    imdb = load_imdb(validation_size=20)
    assert (len(imdb.x_train), len(imdb.x_val), len(imdb.x_test)) == (60, 20, 80)
    assert imdb.y_test.sum() == 40 and set(np.unique(imdb.y_train)) == {0, 1}
    assert all("<br" not in text for text in imdb.x_train + imdb.x_val + imdb.x_test)
    assert not set(imdb.x_train) & set(imdb.x_val), "validation reviews must not be in training"
    positive = [text for text, label in zip(imdb.x_test, imdb.y_test) if label == 1]
    assert all(any(word in text for word in ("great", "wonderful", "loved", "brilliant", "moving"))
               for text in positive)
    again = load_imdb(validation_size=20)
    assert again.x_val == imdb.x_val, "the validation split must be deterministic"


def test_traffic_raw_week(tiny_mirror):
    traffic = load_traffic()
    assert traffic.speeds.shape == (288, 6) and traffic.speeds.dtype == np.float32
    assert traffic.adjacency.shape == (6, 6) and np.allclose(traffic.adjacency, traffic.adjacency.T)
    assert traffic.sensor_ids.tolist() == [700000 + 11 * sensor for sensor in range(6)]
    assert (np.diff(traffic.timestamps) == np.timedelta64(5, "m")).all()


def test_windows_align_targets_h_steps_after_the_last_input(tiny_mirror):
    traffic = load_traffic()
    windows = make_windows(traffic)
    scaled = (traffic.speeds - windows.mean) / windows.std
    for split in ("train", "val", "test"):
        x, y = getattr(windows, f"x_{split}"), getattr(windows, f"y_{split}")
        starts = getattr(windows, f"{split}_target_start")
        assert x.shape[1:] == (12, 6) and y.shape[1:] == (12, 6) and len(x) == len(y) == len(starts)
        for window in (0, len(x) - 1):
            last_input = starts[window] - 1
            np.testing.assert_allclose(x[window, -1], scaled[last_input], rtol=1e-5)
            for horizon in (1, 3, 6, 12):
                np.testing.assert_allclose(y[window, horizon - 1], scaled[last_input + horizon], rtol=1e-5)


def test_splits_are_chronological_and_do_not_overlap(tiny_mirror):
    windows = make_windows(load_traffic())
    assert windows.train_steps == round(288 * 0.7)
    assert windows.train_target_start.max() + 11 < windows.train_steps
    assert windows.val_target_start.min() - 12 >= windows.train_steps
    assert windows.test_target_start.min() - 12 > windows.val_target_start.max() + 11


def test_normalisation_uses_training_steps_only(tiny_mirror):
    traffic = load_traffic()
    windows = make_windows(traffic)
    assert windows.mean == pytest.approx(traffic.speeds[:windows.train_steps].mean(), rel=1e-6)
    assert windows.std == pytest.approx(traffic.speeds[:windows.train_steps].std(), rel=1e-6)
    np.testing.assert_allclose(windows.denormalize(windows.y_test), windows.y_test * windows.std + windows.mean)


def test_windows_reject_a_split_shorter_than_one_window(tiny_mirror):
    with pytest.raises(ValueError, match="shorter than one window"):
        make_windows(load_traffic(), fractions=(0.9, 0.05, 0.05))


def test_inconsistent_traffic_files_name_the_bad_file(tiny_mirror, monkeypatch):
    bad = tiny_mirror / "metr-la-week" / "los_adj.csv"
    bad.write_text("1,0\n0,1\n")
    monkeypatch.setattr(cache, "download", lambda *args, **kwargs: (_ for _ in ()).throw(
        DatasetError("no network in this test")))
    with pytest.raises(DatasetError, match="los_adj.csv"):
        load_traffic()
