"""NBSVM (models/imdb.py): its layers against NumPy on tiny data, a training through the engine
on tiny reviews, and the stored run rebuilt from code and weights."""

from __future__ import annotations

import numpy as np
import pytest

from models.imdb import (
    TokenSets,
    adapt_vectorizer,
    build_nbsvm,
    distinct_token_ids,
    naive_bayes_ratios,
    write_vocabulary,
)
from models.registry import ARCHITECTURES, architecture
from tests.test_scoring import tiny_reviews
from training.batches import batches
from training.engine import train
from training.events import FINISHED, RunConfig
from training.recipes import recorded_recipe
from training.scoring import load_run_model
from training.store import RunStore

VOCABULARY = 12


def multi_hot(token_ids: np.ndarray, vocabulary_size: int) -> np.ndarray:
    """(reviews, vocabulary_size) 0/1: which ids each row holds, padding (0) left out."""
    marks = np.zeros((len(token_ids), vocabulary_size))
    for row, ids in enumerate(token_ids):
        marks[row, ids[ids != 0]] = 1.0
    return marks


def tiny_ids(seed: int = 0, reviews: int = 9, length: int = 7) -> np.ndarray:
    """Token ids with repeats and left padding, as the vectorizer and KeepLast give them."""
    rng = np.random.default_rng(seed)
    ids = rng.integers(1, VOCABULARY, size=(reviews, length)).astype(np.int32)
    for row in range(reviews):
        ids[row, :rng.integers(0, length)] = 0
    return ids


def test_the_model_computes_a_linear_score_over_the_multi_hot_review():
    ids = tiny_ids()
    rng = np.random.default_rng(1)
    ratios, kernel, bias = rng.normal(size=VOCABULARY), rng.normal(size=VOCABULARY), rng.normal(size=1)
    model = build_nbsvm(vocabulary_size=VOCABULARY, sequence_length=ids.shape[1], ratios=ratios)
    linear = model.get_layer("naive_bayes_linear")
    np.testing.assert_allclose(linear.ratios.numpy(), ratios, rtol=1e-6)
    linear.kernel.assign(kernel.astype(np.float32))
    linear.bias.assign(bias.astype(np.float32))
    logits = multi_hot(ids, VOCABULARY) @ (ratios * kernel) + bias  # (reviews,)
    expected = 1 / (1 + np.exp(-logits))
    np.testing.assert_allclose(np.asarray(model(ids)).reshape(-1), expected, rtol=1e-5, atol=1e-6)
    # a repeated word counts once: the review is a set
    repeated = ids.copy()
    repeated[:, 0] = repeated[:, -1]
    np.testing.assert_allclose(np.asarray(model(repeated)).reshape(-1),
                               1 / (1 + np.exp(-(multi_hot(repeated, VOCABULARY) @ (ratios * kernel) + bias))),
                               rtol=1e-5, atol=1e-6)


def test_untrained_model_is_naive_bayes_and_ratios_are_not_trained():
    ids = tiny_ids(seed=2)
    labels = np.arange(len(ids)) % 2
    ratios = naive_bayes_ratios(distinct_token_ids(ids), labels, VOCABULARY)
    model = build_nbsvm(vocabulary_size=VOCABULARY, sequence_length=ids.shape[1], ratios=ratios, initial_weight=1.0)
    np.testing.assert_allclose(np.asarray(model(ids)).reshape(-1),
                               1 / (1 + np.exp(-(multi_hot(ids, VOCABULARY) @ ratios))), rtol=1e-5, atol=1e-6)
    linear = model.get_layer("naive_bayes_linear")
    assert [weight.name for weight in linear.trainable_weights] == ["kernel", "bias"]
    assert [weight.name for weight in linear.non_trainable_weights] == ["ratios"]


def test_naive_bayes_ratios_match_the_papers_formula():
    ids = tiny_ids(seed=3, reviews=20)
    labels = (np.arange(20) % 3 == 0).astype(np.uint8)
    marks = multi_hot(ids, VOCABULARY)
    alpha = 0.5
    positive = alpha + marks[labels == 1].sum(axis=0)[2:]  # p: binarized counts, padding and [UNK] left out
    negative = alpha + marks[labels == 0].sum(axis=0)[2:]
    expected = np.concatenate([[0.0, 0.0], np.log(positive / positive.sum()) - np.log(negative / negative.sum())])
    ratios = naive_bayes_ratios(distinct_token_ids(ids), labels, VOCABULARY, alpha=alpha)
    assert ratios.dtype == np.float32 and ratios.shape == (VOCABULARY,)
    np.testing.assert_allclose(ratios, expected, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="20 reviews but 3 labels"):
        naive_bayes_ratios(distinct_token_ids(ids), labels[:3], VOCABULARY)
    with pytest.raises(ValueError, match=r"token ids must lie in \[0, 5\)"):
        naive_bayes_ratios(distinct_token_ids(ids), labels, 5)


def test_token_sets_pad_on_the_left_and_batches_visit_every_review_once_per_epoch():
    rows = distinct_token_ids(tiny_ids(seed=4))
    sets = TokenSets.from_rows(rows)
    assert len(sets) == 9
    padded = sets.padded(np.arange(9))
    width = max(len(ids) for ids in rows)
    assert padded.shape == (9, width)  # as wide as the longest review of the batch
    for row, ids in enumerate(rows):
        assert padded[row, width - len(ids):].tolist() == ids.tolist() and not padded[row, :width - len(ids)].any()
    assert sets.padded(np.array([int(np.argmin([len(ids) for ids in rows]))])).shape[1] == max(min(map(len, rows)), 1)
    labels = np.arange(9, dtype=np.float32)
    dataset = batches(sets, labels, batch_size=4, shuffle_seed=0)
    epochs = [[(x, y) for x, y in dataset] for _ in range(2)]
    for epoch in epochs:
        assert [len(y) for _, y in epoch] == [4, 4, 1]
        seen = np.concatenate([y.numpy() for _, y in epoch]).astype(int)
        assert sorted(seen.tolist()) == list(range(9))
        for x, y in epoch:  # each batch's inputs are its labels' reviews
            np.testing.assert_array_equal(x.numpy(), sets.padded(y.numpy().astype(int)))
    orders = [np.concatenate([y.numpy() for _, y in epoch]).tolist() for epoch in epochs]
    assert orders[0] != orders[1]  # a new order each epoch


def test_nbsvm_is_the_first_imdb_architecture():
    assert next(iter(ARCHITECTURES["imdb"])) == "nbsvm"
    assert architecture("imdb", "nbsvm").baseline and architecture("traffic", "persistence").baseline
    assert not any(info.baseline for name, info in ARCHITECTURES["imdb"].items() if name != "nbsvm")


def test_nbsvm_trains_through_the_engine_and_its_stored_run_reads_text_like_the_trained_model(tmp_path):
    store = RunStore(tmp_path / "runs.sqlite")
    data = tiny_reviews()
    config = RunConfig(task="imdb", arch="nbsvm", epochs=2, batch_size=16, learning_rate=0.01,
                       hyperparameters={"max_tokens": 300})
    result = train(config, data=data, store=store)
    assert result.status == FINISHED, result.message
    assert result.metrics["accuracy"] == 1.0  # the tiny reviews are separable by their words
    record = store.get_run(result.run_id)
    vectorizer = record["extra"]["vectorizer"]
    assert vectorizer["ngrams"] == 3 and vectorizer["min_count"] == 2 and vectorizer["distinct"]
    assert result.model.inputs[0].shape == (None,)  # reads whole reviews of any length
    texts = np.array(["a great and wonderful film", "boring, awful; hated it", "words never seen"], dtype=object)
    rebuilt = load_run_model(result.run_id, store=store)
    trained = result.model.predict(texts, verbose=0)
    np.testing.assert_allclose(rebuilt.predict(texts, verbose=0), trained, rtol=1e-5, atol=1e-6)
    assert trained[0, 0] > 0.5 > trained[1, 0]
    np.testing.assert_allclose(rebuilt.predict(np.array(data.x_test, dtype=object), verbose=0).reshape(-1),
                               result.predictions, rtol=1e-5, atol=1e-6)


def test_the_task_page_trains_baselines_first_whatever_the_order_chosen(monkeypatch):
    from ui import task_page
    from ui.query import PageSetup

    monkeypatch.setattr(task_page, "session_owner", lambda: "learner")  # no browser cookie here
    configs = task_page.configs_for("imdb", PageSetup(archs=["lstm", "nbsvm", "bag_of_embeddings"]))
    assert [config.arch for config in configs] == ["nbsvm", "lstm", "bag_of_embeddings"]
    traffic = task_page.configs_for("traffic", PageSetup(archs=["gcn", "persistence"]))
    assert [config.arch for config in traffic] == ["persistence", "gcn"]


def test_nbsvm_reads_punctuation_marks_as_tokens_the_other_models_strip_them_and_both_vocabularies_are_stored(
        tmp_path, monkeypatch):
    reviews = ["Great!! Loved it.", "Bad? Awful, really bad."]
    kept = adapt_vectorizer(reviews, max_tokens=50, ngrams=2, punctuation=True).get_vocabulary()
    stripped = adapt_vectorizer(reviews, max_tokens=50, ngrams=2).get_vocabulary()
    assert {"!", "?", ",", ".", "great !", "bad ?"} <= set(kept)
    assert not {"!", "?", ",", "."} & set(stripped) and "great" in stripped
    monkeypatch.setattr("models.imdb.VOCABULARY_SLICE", 4)  # the file is written in slices
    for punctuation in (True, False):
        vectorizer = adapt_vectorizer(reviews + ["Très bien, naïve"], max_tokens=50, ngrams=2, punctuation=punctuation)
        write_vocabulary(vectorizer, tmp_path / "vocabulary.txt")
        assert (tmp_path / "vocabulary.txt").read_bytes().decode("utf-8").split("\n") == vectorizer.get_vocabulary()
    assert architecture("imdb", "nbsvm").data_settings["punctuation"]
    assert not any(info.data_settings.get("punctuation") for name, info in ARCHITECTURES["imdb"].items()
                   if name != "nbsvm")


def test_nbsvm_trains_with_plain_sgd_and_runs_recorded_before_the_optimizer_was_kept_read_as_adam():
    config = {"task": "imdb", "arch": "nbsvm", "quick": False}
    assert recorded_recipe(config)["optimizer"] == "sgd"  # resolved from today's recipe
    assert recorded_recipe(config, {"epochs": 3, "optimizer": "sgd"})["optimizer"] == "sgd"
    assert recorded_recipe(config, {"epochs": 3, "learning_rate": 0.003})["optimizer"] == "adam"  # an older run
    assert recorded_recipe({**config, "arch": "lstm"})["optimizer"] == "adam"
