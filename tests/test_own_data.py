"""A learner's own dataset: every validation error on a tiny bad file, storage with checksums,
the splits, and training on it through the engine and the CLI."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from data import own_store, own_validation
from data.own_validation import OwnDataError, validate_reviews, validate_traffic
from data.tiny import own_reviews_csv, own_traffic_files, write_own_traffic
from tests.test_cli import cli
from training.datasets import own_review_split, prepare
from training.store import RunStore

GOOD = own_traffic_files()


def speeds_lines() -> list[str]:
    return GOOD["speeds.csv"].decode().splitlines()


def with_line(lines: list[str], index: int, text: str) -> bytes:
    changed = list(lines)
    changed[index] = text
    return ("\n".join(changed) + "\n").encode()


def traffic(speeds=None, adjacency=None, locations=None):
    return validate_traffic(GOOD["speeds.csv"] if speeds is None else speeds,
                            GOOD["adjacency.csv"] if adjacency is None else adjacency,
                            locations if locations is not None else GOOD["locations.csv"])


def test_good_traffic_files_are_read_in_the_speeds_order():
    data = traffic(locations=b"latitude,sensor_id,longitude\n" + b"".join(
        f"{34 + 0.01 * index},S{100 + index},{-118 - 0.01 * index}\n".encode() for index in (3, 1, 0, 2)))
    assert data.speeds.shape == (300, 4) and data.speeds.dtype == np.float32
    assert data.sensor_ids == ["S100", "S101", "S102", "S103"]
    expected = np.loadtxt(GOOD["speeds.csv"].decode().splitlines(), delimiter=",", skiprows=1)
    np.testing.assert_allclose(data.speeds, expected, rtol=1e-6)
    np.testing.assert_allclose(data.latitude, [34.0, 34.01, 34.02, 34.03])
    assert data.adjacency[0, 1] == 0.5 and data.adjacency[0, 2] == 0.0


SPEED_CASES = {
    "empty": (b"", "speeds.csv is empty"),
    "not utf-8": (b"S1,S\xe92\n" + GOOD["speeds.csv"], "speeds.csv, line 1: byte 0xe9 is not UTF-8"),
    "binary": (b"PK\x03\x04\x00\x00" + GOOD["speeds.csv"], "not a text file"),
    "one sensor": (b"S1\n" + b"1\n" * 300, "names 1 sensor; at least 2"),
    "too many sensors": ((",".join(f"S{index}" for index in range(1001)) + "\n"
                          + ",".join(["50"] * 1001) + "\n").encode(), "1,001 sensors; the limit is 1,000"),
    "duplicate id": (with_line(speeds_lines(), 0, "S100,S101,S100,S103"),
                     "sensor id 'S100' names columns 1 and 3"),
    "empty id": (with_line(speeds_lines(), 0, "S100,,S102,S103"), "line 1, column 2: the sensor id is empty"),
    "too few steps": (("\n".join(speeds_lines()[:201]) + "\n").encode(), "200 time steps; at least 288"),
    "ragged row": (with_line(speeds_lines(), 5, "50,50,50"), "line 6 has 3 values; the header names 4"),
    "text": (with_line(speeds_lines(), 7, "50,fast,50,50"),
             "line 8, column 2 (sensor 'S101'): 'fast' is not a number"),
    "missing": (with_line(speeds_lines(), 7, "50,50,,50"), "line 8, column 3 (sensor 'S102') is empty"),
    "nan": (with_line(speeds_lines(), 9, "50,nan,50,50"), "'nan' is not a number"),
    "overflow": (with_line(speeds_lines(), 9, "50,1e400,50,50"), "'1e400' is too large to be a number"),
    "negative": (with_line(speeds_lines(), 11, "50,50,50,-3.5"),
                 "line 12, column 4 (sensor 'S103'): speed -3.5 is negative"),
    "timestamps": (with_line(speeds_lines(), 1, "2012-03-01 00:05,50,50,50"),
                   "line 2, column 1 (sensor 'S100'): '2012-03-01 00:05' is not a number (a first column of "
                   "timestamps?"),
    "blank line": (with_line(speeds_lines(), 20, ""), "line 21 is empty"),
    "bad quote": (with_line(speeds_lines(), 4, '50,"50,50,50'), "line 5: not valid CSV"),
    "constant": (("S1,S2\n" + "50,50\n" * 300).encode(), "is the same"),
}


@pytest.mark.parametrize("case", list(SPEED_CASES))
def test_every_speeds_problem_is_named(case):
    raw, message = SPEED_CASES[case]
    with pytest.raises(OwnDataError, match=re.escape(message)):
        traffic(speeds=raw)


def test_size_limits(monkeypatch):
    monkeypatch.setattr(own_validation, "MAX_SPEEDS_BYTES", 1024)
    with pytest.raises(OwnDataError, match="the limit is 0 MB|MB; the limit"):
        traffic()
    monkeypatch.setattr(own_validation, "MAX_SPEEDS_BYTES", 20 * own_validation.MB)
    monkeypatch.setattr(own_validation, "MAX_SPEED_VALUES", 1000)
    with pytest.raises(OwnDataError, match="300 steps x 4 sensors = 1,200 values; the limit is 1,000"):
        traffic()


ADJACENCY = GOOD["adjacency.csv"].decode().splitlines()
ADJACENCY_CASES = {
    "not square": (with_line(ADJACENCY, 2, "0,0.5,1"), "must be square: it has 4 rows, so every row needs 4"),
    "wrong size": (("\n".join(",".join(row.split(",")[:3]) for row in ADJACENCY[:3]) + "\n").encode(),
                   "adjacency.csv is 3 x 3 but speeds.csv has 4 sensors"),
    "negative": (with_line(ADJACENCY, 1, "0.5,1,-0.5,0"), "line 2, column 3: edge weight -0.5 is negative"),
    "header row": (b"S100,S101,S102,S103\n" + "\n".join(ADJACENCY[:3]).encode(), "has no header row"),
    "text": (with_line(ADJACENCY, 3, "0,0,0.5,x"), "line 4, column 4: 'x' is not a number"),
}


@pytest.mark.parametrize("case", list(ADJACENCY_CASES))
def test_every_adjacency_problem_is_named(case):
    raw, message = ADJACENCY_CASES[case]
    with pytest.raises(OwnDataError, match=re.escape(message)):
        traffic(adjacency=raw)


LOCATIONS = GOOD["locations.csv"].decode().splitlines()
LOCATION_CASES = {
    "no column": (with_line(LOCATIONS, 0, "sensor_id,lat,longitude"), "the header has no column latitude"),
    "unknown sensor": (with_line(LOCATIONS, 2, "S999,34,-118"), "line 3: sensor 'S999' is not a column"),
    "twice": (with_line(LOCATIONS, 2, "S100,34,-118"), "line 3: sensor 'S100' already has a location (line 2)"),
    "latitude": (with_line(LOCATIONS, 3, "S102,134,-118"), "line 4, column latitude: '134' is not a latitude"),
    "missing sensor": (("\n".join(LOCATIONS[:4]) + "\n").encode(), "1 sensors of speeds.csv have no location, "
                                                                   "the first 'S103' (column 4)"),
}


@pytest.mark.parametrize("case", list(LOCATION_CASES))
def test_every_locations_problem_is_named(case):
    raw, message = LOCATION_CASES[case]
    with pytest.raises(OwnDataError, match=re.escape(message)):
        traffic(locations=raw)


REVIEWS = own_reviews_csv().decode().splitlines()
REVIEW_CASES = {
    "no label column": (with_line(REVIEWS, 0, "text,sentiment"), "the header has no column 'label'"),
    "two text columns": (with_line(REVIEWS, 0, "text,Text"), "has more than one column 'text'"),
    "unknown label": (with_line(REVIEWS, 3, "fine film,positive"),
                      "line 4, column label: 'positive' is not a label; use 0 (negative) or 1 (positive)"),
    "empty review": (with_line(REVIEWS, 5, '"  ",1'), "line 6, column text: the review is empty"),
    "too long": (with_line(REVIEWS, 5, "a" * 20_001 + ",1"), "the review has 20,001 characters"),
    "too few": (("\n".join(REVIEWS[:31]) + "\n").encode(), "15 negative (0) reviews; at least 20"),
    "latin-1": ("text,label\ncafé crème,1\n".encode("latin-1"), "line 2: byte 0xe9 is not UTF-8"),
    "utf-16": ("text,label\nfine,1\n".encode("utf-16"), "not a text file"),
    "missing field": (with_line(REVIEWS, 7, "just text"), "line 8 has 1 values; the header names 2"),
    "unclosed quote": (with_line(REVIEWS, 9, '"an unclosed quote,1'), "line 10: not valid CSV"),
}


@pytest.mark.parametrize("case", list(REVIEW_CASES))
def test_every_reviews_problem_is_named(case):
    raw, message = REVIEW_CASES[case]
    with pytest.raises(OwnDataError, match=re.escape(message)):
        validate_reviews(raw)


def test_review_count_and_size_limits(monkeypatch):
    monkeypatch.setattr(own_validation, "MAX_REVIEWS", 50)
    with pytest.raises(OwnDataError, match="80 reviews; the limit is 50"):
        validate_reviews(own_reviews_csv())
    monkeypatch.setattr(own_validation, "MAX_REVIEWS_BYTES", 100)
    with pytest.raises(OwnDataError, match="the limit is 0 MB"):
        validate_reviews(own_reviews_csv())


def test_good_reviews_keep_quotes_commas_and_extra_columns():
    data = validate_reviews(b"id,label,text\n" + b"".join(
        f'{index},{index % 2},"Said ""hi"", then left {index}"\n'.encode() for index in range(40)))
    assert data.texts[3] == 'Said "hi", then left 3' and data.labels.tolist() == [index % 2 for index in range(40)]


def test_store_keeps_checksums_lists_deduplicates_and_deletes(isolated_home):
    first = own_store.save_traffic("learner one", "My city", GOOD["speeds.csv"], GOOD["adjacency.csv"])
    assert first.reference.startswith("learner-one/traffic-") and first.summary["sensors"] == 4
    assert first.files["speeds.csv"] == own_store.sha256(GOOD["speeds.csv"])
    assert first.folder.parent.parent == isolated_home / "datasets" / "own"
    again = own_store.save_traffic("learner one", "Same files", GOOD["speeds.csv"], GOOD["adjacency.csv"])
    assert again == first  # one copy of the same files
    reviews = own_store.save_reviews("learner one", "Mine", own_reviews_csv())
    assert [dataset.reference for dataset in own_store.list_datasets("learner one")] == [
        reviews.reference, first.reference]
    assert own_store.list_datasets("someone else") == []
    with pytest.raises(OwnDataError, match="belongs to another learner"):
        own_store.delete_dataset(first.reference, "someone else")
    (first.folder / "speeds.csv").write_bytes(GOOD["speeds.csv"].replace(b"5", b"6", 1))
    with pytest.raises(OwnDataError, match="changed since it was uploaded"):
        own_store.load_own_traffic(first.reference)
    own_store.delete_dataset(first.reference, "learner one")
    assert not first.folder.exists()
    with pytest.raises(OwnDataError, match="deleted, or never uploaded"):
        own_store.get_dataset(first.reference)
    for bad in ("../x/traffic-0123456789ab", "a/imdb-xyz", "a/b/c"):
        with pytest.raises(OwnDataError, match="not an own-dataset reference"):
            own_store.get_dataset(bad)


def test_refused_files_are_not_kept(isolated_home):
    with pytest.raises(OwnDataError):
        own_store.save_reviews("me", "bad", b"text,label\nfine,maybe\n")
    assert own_store.list_datasets("me") == []


def test_review_split_is_stratified_disjoint_and_complete():
    labels = np.array([0] * 30 + [1] * 50, dtype=np.uint8)
    train, validation, test = own_review_split(labels)
    together = np.concatenate([train, validation, test])
    assert sorted(together.tolist()) == list(range(80))
    assert [int(labels[part].sum()) for part in (train, validation, test)] == [35, 5, 10]
    assert [int((labels[part] == 0).sum()) for part in (train, validation, test)] == [21, 3, 6]


def test_prepare_windows_own_traffic_like_metr_la(isolated_home):
    dataset = own_store.save_traffic("me", "tiny", GOOD["speeds.csv"], GOOD["adjacency.csv"], GOOD["locations.csv"])
    data = prepare("traffic", dataset=dataset.reference)
    speeds = np.loadtxt(GOOD["speeds.csv"].decode().splitlines(), delimiter=",", skiprows=1)
    train_end = 210  # 70 % of 300 steps
    mean, std = speeds[:train_end].mean(), speeds[:train_end].std()
    assert data.mean == pytest.approx(mean, rel=1e-5) and data.std == pytest.approx(std, rel=1e-5)
    assert data.x_train.shape == (train_end - 23, 12, 4)
    np.testing.assert_allclose(data.x_train[5], (speeds[5:17] - mean) / std, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(data.y_test[0], (speeds[252:264] - mean) / std, rtol=1e-4, atol=1e-5)
    assert data.dataset == {"reference": dataset.reference, "name": "tiny", "checksum": dataset.checksum}


def test_cli_trains_traffic_on_an_own_folder(tmp_path, isolated_home):
    folder = write_own_traffic(tmp_path / "my-city")
    done = cli("run", "--task", "traffic", "--compare", "persistence", "gcn", "--data", str(folder), "--epochs", "1",
               "--json")
    assert done.returncode == 0, done.stderr
    assert "own data 'my-city': sensors 4, steps 300" in done.stderr
    summaries = json.loads(done.stdout.strip().splitlines()[-1])
    store = RunStore()
    for summary in summaries:
        run = store.get_run(summary["run_id"])
        assert run["config"]["data"].startswith("cli/traffic-")
        assert run["extra"]["dataset"]["name"] == "my-city"
        assert summary["metrics"]["mae_15"] > 0
    assert store.get_run(summaries[1]["run_id"])["extra"]["sensors"] == 4


def test_cli_trains_imdb_on_an_own_csv(tmp_path, isolated_home):
    path = tmp_path / "reviews.csv"
    path.write_bytes(own_reviews_csv())
    done = cli("run", "--task", "imdb", "--arch", "bag_of_embeddings", "--data", str(path), "--epochs", "1",
               "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    run = RunStore().get_run(summary["run_id"])
    assert run["config"]["data"].startswith("cli/imdb-") and run["extra"]["train_size"] == 56
    assert 0.0 <= summary["metrics"]["accuracy"] <= 1.0


def test_cli_refuses_a_bad_file_with_its_line(tmp_path, isolated_home):
    path = tmp_path / "reviews.csv"
    path.write_bytes(with_line(REVIEWS, 3, "fine film,2"))
    done = cli("run", "--task", "imdb", "--arch", "lstm", "--data", str(path))
    assert done.returncode == 2
    assert "reviews.csv, line 4, column label: '2' is not a label" in done.stderr
    assert RunStore().list_runs() == [] and own_store.list_datasets("cli") == []
    done = cli("run", "--task", "mnist", "--arch", "dnn", "--data", str(path))
    assert done.returncode == 2 and "own data is for the tasks traffic and imdb" in done.stderr
