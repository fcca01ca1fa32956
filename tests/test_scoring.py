"""Stored runs rebuilt from code + weights (+ vocabulary) predict exactly like the trained models."""

from __future__ import annotations

import numpy as np
import pytest

from tests.test_engine import TINY_DNN, tiny_mnist, tiny_traffic
from training.datasets import Prepared
from training.engine import train
from training.events import FINISHED, RunConfig
from training.scoring import load_run_model
from training.store import RunStore

WORDS = {1: ["great", "wonderful", "loved"], 0: ["awful", "boring", "hated"]}


def tiny_reviews() -> Prepared:
    def reviews(count, offset):
        labels = (np.arange(count) % 2).astype(np.uint8)
        texts = [f"review {offset + index} was {WORDS[label][index % 3]} and {WORDS[label][(index + 1) % 3]}"
                 for index, label in enumerate(labels)]
        return texts, labels

    return Prepared("imdb", *reviews(80, 0), *reviews(20, 500), *reviews(20, 900))


@pytest.fixture
def store(tmp_path):
    return RunStore(tmp_path / "runs.sqlite")


def test_stored_mnist_run_scores_like_the_trained_model(store):
    data = tiny_mnist(100)
    config = RunConfig(task="mnist", arch="dnn", epochs=1, batch_size=20, hyperparameters=TINY_DNN)
    result = train(config, data=data, store=store)
    assert result.status == FINISHED
    rebuilt = load_run_model(result.run_id, store=store)
    np.testing.assert_allclose(rebuilt.predict(data.x_test, verbose=0), result.model.predict(data.x_test, verbose=0),
                               rtol=1e-5, atol=1e-6)


def test_stored_imdb_run_reads_raw_text_like_the_trained_model(store):
    data = tiny_reviews()
    config = RunConfig(task="imdb", arch="bag_of_embeddings", epochs=1, batch_size=16,
                       hyperparameters={"sequence_length": 12, "embedding_dim": 4, "max_tokens": 200})
    result = train(config, data=data, store=store)
    texts = np.array(["a great and wonderful film", "boring, awful; hated it", "words never seen"], dtype=object)
    rebuilt = load_run_model(result.run_id, store=store)
    np.testing.assert_allclose(rebuilt.predict(texts, verbose=0), result.model.predict(texts, verbose=0),
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(rebuilt.predict(np.array(data.x_test, dtype=object), verbose=0).reshape(-1),
                               result.predictions, rtol=1e-5, atol=1e-6)


def test_stored_traffic_gcn_restores_its_graph_from_the_weights(store):
    data = tiny_traffic(sensors=5)
    config = RunConfig(task="traffic", arch="gcn", epochs=1, batch_size=32,
                       hyperparameters={"hidden_units": 8, "layers_count": 1})
    result = train(config, data=data, store=store)
    rebuilt = load_run_model(result.run_id, store=store)
    np.testing.assert_allclose(rebuilt.predict(data.x_test, verbose=0), result.model.predict(data.x_test, verbose=0),
                               rtol=1e-5, atol=1e-6)


def test_missing_or_corrupt_files_are_clear_errors(store):
    with pytest.raises(ValueError, match="'nope' is not in the run store"):
        load_run_model("nope", store=store)
    result = train(RunConfig(task="imdb", arch="bag_of_embeddings", epochs=1, batch_size=16,
                             hyperparameters={"sequence_length": 8, "embedding_dim": 4}),
                   data=tiny_reviews(), store=store)
    folder = store.run_dir(result.run_id)
    vocabulary = (folder / "vocabulary.txt").read_text(encoding="utf-8")
    (folder / "vocabulary.txt").write_text(vocabulary + "\nextra", encoding="utf-8")
    with pytest.raises(ValueError, match=f"vocabulary.txt of run '{result.run_id}' is corrupt"):
        load_run_model(result.run_id, store=store)
    (folder / "vocabulary.txt").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ValueError, match="not UTF-8"):
        load_run_model(result.run_id, store=store)
    (folder / "vocabulary.txt").unlink()
    with pytest.raises(ValueError, match="has no vocabulary file"):
        load_run_model(result.run_id, store=store)
    (folder / "vocabulary.txt").write_text(vocabulary, encoding="utf-8")
    (folder / "model.weights.h5").write_bytes(b"not an h5 file")
    unreadable = f"model.weights.h5 of run '{result.run_id}' does not load: it is not a readable HDF5"
    with pytest.raises(ValueError, match=unreadable):
        load_run_model(result.run_id, store=store)
    (folder / "model.weights.h5").unlink()
    with pytest.raises(ValueError, match="has no weights file"):
        load_run_model(result.run_id, store=store)


def test_weights_of_another_architecture_are_refused(store):
    first = train(RunConfig(task="mnist", arch="dnn", epochs=1, batch_size=50, hyperparameters=TINY_DNN),
                  data=tiny_mnist(100), store=store)
    second = train(RunConfig(task="mnist", arch="dnn", epochs=1, batch_size=50,
                             hyperparameters={"hidden_units": (8, 8), "dropout": 0.0}),
                   data=tiny_mnist(100), store=store)
    other = store.run_dir(second.run_id) / "model.weights.h5"
    other.replace(store.run_dir(first.run_id) / "model.weights.h5")
    with pytest.raises(ValueError, match="into a rebuilt mnist_dnn model: it holds 6 arrays where the model has 4"):
        load_run_model(first.run_id, store=store)


def test_a_baseline_has_no_model(store):
    result = train(RunConfig(task="traffic", arch="persistence"), data=tiny_traffic(), store=store)
    with pytest.raises(ValueError, match="baseline"):
        load_run_model(result.run_id, store=store)
