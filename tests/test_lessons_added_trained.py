"""The added topics that train Keras (Jordan vs Elman, end-to-end layers, transfer learning,
attention): checked against Keras or a hand computation, and each lesson function run in-process
on the tiny fixture data (the pages run them in a worker process)."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from lessons import attention, end_to_end, jordan, rnn, transfer

# ---- Jordan vs Elman ----------------------------------------------------------------------------


def test_jordan_cell_matches_the_numpy_network_of_lesson_11(keras):
    model = jordan.build_jordan(units=3, outputs=2, output_activation="tanh")
    rng = np.random.default_rng(0)
    weights = rnn.RnnWeights(rng.normal(size=(1, 3)).astype(np.float32), rng.normal(size=(2, 3)).astype(np.float32),
                             rng.normal(size=(3, 2)).astype(np.float32))
    cell = model.get_layer("jordan").cell
    cell.input_kernel.assign(weights.input_weights)
    cell.memory_kernel.assign(weights.recurrent_weights)
    cell.output_kernel.assign(weights.output_weights)  # the biases start at zero, as in lesson 11's network
    bits = rng.integers(0, 2, (5, 1)).astype(np.float32)
    expected = rnn.jordan(bits, weights, activation="tanh").outputs
    np.testing.assert_allclose(np.asarray(model(bits[None]))[0], expected, rtol=1e-5, atol=1e-6)


def test_tasks_and_why_teacher_forcing_cannot_echo():
    bits, targets = jordan.make_task("running parity", 50, 8, seed=1)
    np.testing.assert_array_equal(targets[..., 0], np.cumsum(bits[..., 0], axis=1) % 2)
    bits, targets = jordan.make_task("echo", 4000, 8, seed=2)
    np.testing.assert_array_equal(targets[:, 2:, 0], bits[:, :-2, 0])
    # Teacher forcing shows each step x_t and the true previous answer x_(t-3): neither says
    # anything about x_(t-2), so no network can beat a coin there.
    previous = np.concatenate([np.zeros_like(targets[:, :1]), targets[:, :-1]], axis=1)[:, 3:, 0]
    for x in (0, 1):
        for y in (0, 1):
            chosen = (bits[:, 3:, 0] == x) & (previous == y)
            assert targets[:, 3:, 0][chosen].mean() == pytest.approx(0.5, abs=0.03)
    with pytest.raises(ValueError, match="unknown task"):
        jordan.make_task("copy", 1, 5)


def test_run_free_feeds_back_its_own_predictions(keras):
    model = jordan.build_step_network(units=4)
    bits = np.random.default_rng(3).integers(0, 2, (3, 6, 1)).astype(np.float32)
    memory, expected = np.zeros((3, 1), np.float32), []
    for step in range(6):
        memory = np.asarray(model(np.concatenate([bits[:, step], memory], axis=1)))
        expected.append(memory)
    np.testing.assert_allclose(jordan.run_free(model.get_weights(), bits), np.stack(expected, axis=1), rtol=1e-5)


def test_compare_memories_returns_plain_data_for_the_three_kinds():
    result = jordan.compare_memories("echo", units=4, epochs=1, count=64, length=6)
    assert [item.kind for item in result.results] == list(jordan.KINDS)
    assert all(0.0 <= item.step_accuracy <= 1.0 and len(item.losses) == 1 for item in result.results)
    assert result.example_bits.shape == result.example_targets.shape == (6,)
    pickle.loads(pickle.dumps(result))


# ---- end-to-end learning -------------------------------------------------------------------------

def test_dense_representations_match_the_keras_layers(keras):
    from models.mnist import build_dnn

    model = build_dnn(hidden_units=end_to_end.HIDDEN)
    images = np.random.default_rng(4).uniform(0, 1, (5, 28, 28)).astype(np.float32)
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    probe = keras.Model(model.input, [layer.output for layer in dense])
    ours = end_to_end.dense_representations(model.get_weights(), images)
    assert len(ours) == len(dense) + 1
    np.testing.assert_allclose(ours[0], images.reshape(5, -1))
    for mine, theirs in zip(ours[1:], probe(images[..., None])):
        np.testing.assert_allclose(mine, np.asarray(theirs), rtol=1e-4, atol=1e-5)


def test_neighbours_and_the_two_telling_pairs():
    points = np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [5.2, 5.0], [0.0, 0.3]])
    labels = np.array([0, 1, 1, 1, 0])
    assert end_to_end.nearest_neighbour_agreement(points, labels) == pytest.approx(3 / 5)
    pairs = end_to_end.telling_pairs(points, labels, np.ones(5, dtype=bool))
    assert pairs["similar inputs, different digits"] == (0, 1)
    assert set(pairs["different inputs, same digit"]) in ({1, 3}, {1, 2})
    np.testing.assert_allclose(end_to_end.pairwise_distances(points)[2, 3], 0.2)


def test_train_and_trace_on_tiny_mnist(tiny_mirror):
    result = end_to_end.train_and_trace(train_size=200, epochs=1, shown=60)
    assert len(result.layer_names) == len(result.coordinates) == len(result.agreement) == len(end_to_end.HIDDEN) + 2
    assert all(coords.shape == (60, 2) for coords in result.coordinates)
    assert set(result.relative_distances) == set(result.pairs)
    pickle.loads(pickle.dumps(result))


# ---- transfer learning ------------------------------------------------------------------------------

def test_digits_subset_renumbers_the_new_digits():
    images = np.arange(10 * 4, dtype=np.uint8).reshape(10, 2, 2)
    subset, labels = transfer.digits_subset(images, np.arange(10, dtype=np.uint8), transfer.NEW_DIGITS)
    assert subset.shape == (5, 2, 2, 1) and list(labels) == [0, 1, 2, 3, 4]
    assert subset.max() <= 1.0


def test_passes_bound_the_images_each_way_sees():
    assert [transfer.passes_for(labels) for labels in (50, 300, 1000)] == [40, 40, 12]
    assert all(transfer.passes_for(labels) * labels <= transfer.MAX_IMAGES_SEEN for labels in (300, 1000, 5000))


def test_the_two_cuts_share_the_reused_layers(keras):
    model, bodies = transfer.build_network(5)
    assert bodies["dense"].output.shape[-1] == 128 and bodies["convolutional"].output.shape[-1] == 1600
    weights = [np.full_like(array, 0.01) for array in bodies["dense"].get_weights()]
    bodies["dense"].set_weights(weights)
    for mine in bodies["convolutional"].get_weights():
        np.testing.assert_allclose(mine, 0.01)
    assert model.output.shape[-1] == 5


def test_pretrain_and_reuse_on_tiny_mnist(tiny_mirror):
    pretrained = transfer.pretrain(train_size=100, epochs=1)
    assert 0.0 <= pretrained.old_accuracy <= 1.0 and pretrained.train_images <= 100
    result = transfer.reuse(pretrained.weights, labels=20, passes=1, shown=40)
    assert [item.name for item in result.results][-1] == transfer.SCRATCH and len(result.results) == 3
    assert result.results[0].trained_parameters == 128 * 5 + 5
    assert result.results[1].trained_parameters == 1600 * 5 + 5
    assert set(result.agreement) == {"pixels", "dense", "convolutional"}
    assert all(coords.shape == (40, 2) for coords in result.coordinates.values())
    pickle.loads(pickle.dumps(result))


# ---- attention --------------------------------------------------------------------------------------

SENTENCES = ["It's NOT good -- at all!", "A 7/10: brilliant, moving; (truly) great.", "dull dull dull"]


def test_tokenize_matches_text_vectorization(keras):
    vectorizer = keras.layers.TextVectorization()
    vectorizer.adapt(SENTENCES + ["unused words here"])
    vocabulary = vectorizer.get_vocabulary()
    for sentence in SENTENCES + ["words never seen before, e.g. zebra"]:
        expected = [int(token) for token in np.asarray(vectorizer([sentence]))[0] if token != 0]
        weights = attention.AttentionWeights(vocabulary, np.zeros((len(vocabulary), 1)), np.zeros((1, 1)),
                                             np.zeros(1), np.zeros(1), np.zeros(1), 0.0, 10)
        assert list(weights.token_ids(attention.tokenize(sentence))) == expected


def test_reading_by_hand_matches_the_keras_model(keras):
    from models.imdb import build_attention

    keras.utils.set_random_seed(5)
    model = build_attention(vocabulary_size=30, sequence_length=8, embedding_dim=6, attention_units=4)
    for layer in (model.get_layer("embedding"), model.get_layer("attention")):  # make the weights uneven
        noise = np.random.default_rng(6)
        layer.set_weights([array + noise.normal(0, 0.5, array.shape) for array in layer.get_weights()])
    vocabulary = ["", "[UNK]"] + [f"w{index}" for index in range(28)]
    weights = attention.AttentionWeights.from_model(model, vocabulary)
    reading = attention.read(weights, "w3 w7 w7 unknown w12")
    ids = np.zeros((1, 8), np.int32)
    ids[0, 3:] = [5, 9, 9, 1, 14]  # left-padded, as KeepLast feeds the model
    probe = keras.Model(model.input, [model.output, model.get_layer("attention").output[1]])
    probability, attention_weights = (np.asarray(value) for value in probe(ids))
    np.testing.assert_allclose(reading.weights, attention_weights[0, 3:], rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(attention_weights[0, :3], 0.0, atol=1e-7)  # padding gets no weight
    assert reading.probability == pytest.approx(float(probability[0, 0]), rel=1e-4)
    assert reading.known == [True, True, True, False, True]
    assert reading.weights[1] == pytest.approx(reading.weights[2])  # a word's score ignores its neighbours


def test_train_attention_on_tiny_imdb(tiny_mirror):
    trained = attention.train_attention(test_reviews=30)
    assert trained.test_reviews == 30 and 0.0 <= trained.test_accuracy <= 1.0
    words = [word for word, _, _ in attention.most_weighed_words(trained.weights, count=5)]
    assert len(words) == 5 and "[UNK]" not in words and "" not in words
    reading = attention.read(trained.weights, "a wonderful film")
    assert reading.weights.sum() == pytest.approx(1.0)
    pickle.loads(pickle.dumps(trained))
    with pytest.raises(ValueError, match="no words"):
        attention.read(trained.weights, "?!")


def test_the_engine_trains_stores_and_rebuilds_the_attention_architecture(tmp_path):
    from tests.test_scoring import tiny_reviews
    from training.engine import train
    from training.events import FINISHED, RunConfig
    from training.scoring import load_run_model
    from training.store import RunStore

    store = RunStore(tmp_path / "runs.sqlite")
    config = RunConfig(task="imdb", arch="attention", epochs=1, batch_size=16,
                       hyperparameters={"sequence_length": 12, "embedding_dim": 4, "attention_units": 3,
                                        "max_tokens": 200})
    result = train(config, data=tiny_reviews(), store=store)
    assert result.status == FINISHED
    texts = np.array(["a great and wonderful film", "boring, awful; hated it", "words never seen"], dtype=object)
    rebuilt = load_run_model(result.run_id, store=store)
    np.testing.assert_allclose(rebuilt.predict(texts, verbose=0), result.model.predict(texts, verbose=0),
                               rtol=1e-5, atol=1e-6)
