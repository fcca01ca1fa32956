"""Lessons 9 and 11: convolution and RNNs in NumPy, against the course notes' numbers and against Keras."""

from __future__ import annotations

import numpy as np
import pytest

from lessons import convolution as conv
from lessons import rnn
from lessons import slot_filling as slots
from tests.lessons_part2a_models import trained_slot_taggers

# Note 004's hand-computed feature maps, typed in here only as the oracle.
NOTES_MAP_1 = [[3, -1, -3, -1], [-3, 1, 0, -3], [-3, -3, 0, 1], [3, -2, -2, -1]]
NOTES_MAP_2 = [[-1, -1, -1, -1], [-1, -1, -2, 1], [-1, -1, -2, 1], [-1, 0, -4, 3]]


# ---- lesson 9: convolution -------------------------------------------------------------------

def test_feature_maps_equal_the_notes_numbers():
    np.testing.assert_array_equal(conv.feature_map(conv.X_IMAGE, conv.KERNEL_1), NOTES_MAP_1)
    np.testing.assert_array_equal(conv.feature_map(conv.X_IMAGE, conv.KERNEL_2), NOTES_MAP_2)
    first_row = [window.value for window in conv.windows(conv.X_IMAGE, conv.KERNEL_1)[:2]]
    assert first_row == [3, -1]  # the two dot products note 004 draws at stride 1
    stride_two = conv.feature_map(conv.X_IMAGE, conv.KERNEL_1, stride=2)
    assert stride_two.shape == (2, 2) and stride_two[0].tolist() == [3, -3]


def test_pooling_gives_the_notes_2x2_image():
    front = conv.conv_pool_flatten(conv.X_IMAGE, [conv.KERNEL_1, conv.KERNEL_2])
    # Note 004 draws kernel 2's pooled map: -1 1 / 0 3.
    np.testing.assert_array_equal(front["pooled"][..., 1], [[-1, 1], [0, 3]])
    assert front["flat"].shape == (8,)


def test_numpy_convolution_pooling_and_flatten_match_keras():
    import keras

    image = conv.X_IMAGE[None, :, :, None]  # (batch, height, width, channels)
    kernels = np.stack([conv.KERNEL_1, conv.KERNEL_2], axis=-1)[:, :, None, :]  # (3, 3, in, out)
    for stride in (1, 2):
        expected = keras.ops.convert_to_numpy(keras.ops.conv(image, kernels, strides=stride, padding="valid"))
        ours = np.stack([conv.feature_map(conv.X_IMAGE, kernel, stride=stride)
                         for kernel in (conv.KERNEL_1, conv.KERNEL_2)], axis=-1)
        np.testing.assert_array_equal(ours, expected[0])
    maps = keras.ops.conv(image, kernels, padding="valid")
    pooled = keras.layers.MaxPooling2D(pool_size=2)(maps)
    flat = keras.ops.convert_to_numpy(keras.layers.Flatten()(pooled))[0]
    front = conv.conv_pool_flatten(conv.X_IMAGE, [conv.KERNEL_1, conv.KERNEL_2])
    np.testing.assert_array_equal(front["pooled"], keras.ops.convert_to_numpy(pooled)[0])
    np.testing.assert_array_equal(front["flat"], flat)
    averaged = keras.layers.AveragePooling2D(pool_size=2)(maps)
    np.testing.assert_allclose(conv.average_pool(front["maps"][..., 0]),
                               keras.ops.convert_to_numpy(averaged)[0, ..., 0], rtol=1e-6)


def test_random_images_and_odd_sizes_match_keras_conv():
    import keras

    rng = np.random.default_rng(3)
    image = rng.normal(size=(7, 9)).astype("float32")
    kernel = rng.normal(size=(2, 4)).astype("float32")
    for stride in (1, 2, 3):
        expected = keras.ops.conv(image[None, :, :, None], kernel[:, :, None, None], strides=stride)
        np.testing.assert_allclose(conv.feature_map(image, kernel, stride),
                                   keras.ops.convert_to_numpy(expected)[0, ..., 0], rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(conv.max_pool(image, 2),
                                  keras.ops.convert_to_numpy(keras.layers.MaxPooling2D(2)(
                                      image[None, :, :, None]))[0, ..., 0])


def test_parameter_counts_match_keras_layers():
    import keras

    counts = conv.parameter_comparison(6, 6, 1, 3, 2)
    conv_layer = keras.layers.Conv2D(2, 3)
    conv_layer.build((None, 6, 6, 1))
    dense_layer = keras.layers.Dense(counts["outputs"])
    dense_layer.build((None, counts["inputs"]))
    assert counts["conv"] == conv_layer.count_params() == 20
    assert counts["dense"] == dense_layer.count_params()
    rgb = keras.layers.Conv2D(1, 3, use_bias=False)
    rgb.build((None, 8, 8, 3))
    assert conv.conv_parameters(3, 3, 3, 1, bias=False) == rgb.count_params() == 27


def test_convolution_is_a_sparse_shared_dense_layer():
    matrix = conv.conv_as_dense_matrix((6, 6), conv.KERNEL_2)
    np.testing.assert_array_equal(conv.X_IMAGE.reshape(-1) @ matrix, np.ravel(NOTES_MAP_2))
    assert np.count_nonzero(matrix) == 16 * 9  # each of the 16 outputs sees only 9 of the 36 pixels
    for output in range(16):  # ... always through the same 9 shared weights
        column = matrix[:, output].reshape(6, 6)  # (height, width)
        row, col = divmod(output, 4)
        np.testing.assert_array_equal(column[row:row + 3, col:col + 3], conv.KERNEL_2)


def test_pooling_forgets_positions_inside_windows_but_not_across():
    feature = conv.feature_map(conv.X_IMAGE, conv.KERNEL_1)
    shuffled = conv.scramble_within_windows(feature, seed=5)
    assert not np.array_equal(shuffled, feature)
    np.testing.assert_array_equal(conv.max_pool(shuffled), conv.max_pool(feature))
    moved = conv.shift(conv.X_IMAGE, 0, 1)
    assert moved[0, 1] == 1 and moved[:, 0].sum() == 0 and moved.sum() == conv.X_IMAGE[:, :5].sum()


def test_bad_shapes_raise_helpful_errors():
    with pytest.raises(ValueError, match="2-D"):
        conv.feature_map(np.zeros((2, 3, 3)), conv.KERNEL_1)
    with pytest.raises(ValueError, match="does not fit"):
        conv.feature_map(np.zeros((2, 2)), conv.KERNEL_1)
    with pytest.raises(ValueError, match="stride"):
        conv.windows(conv.X_IMAGE, conv.KERNEL_1, stride=0)


# ---- lesson 11: RNN --------------------------------------------------------------------------

def test_notes_rnn_example_gives_the_notes_outputs_and_order_matters():
    trace = rnn.elman(rnn.NOTES_INPUTS, rnn.all_ones())
    np.testing.assert_array_equal(trace.outputs, [[4, 4], [12, 12], [32, 32]])
    np.testing.assert_array_equal(trace.memory[0], [0, 0])  # memory starts at 0
    reordered = rnn.elman(rnn.NOTES_INPUTS[::-1], rnn.all_ones()).outputs
    assert not np.array_equal(reordered, trace.outputs)
    assert not np.array_equal(np.sort(reordered, axis=0), np.sort(trace.outputs, axis=0))


def test_notes_rnn_example_matches_keras_simple_rnn_with_ones():
    import keras

    sequence = keras.Input(shape=(None, 2))  # (batch, time, features)
    hidden = keras.layers.SimpleRNN(2, activation="linear", use_bias=False, return_sequences=True,
                                    kernel_initializer="ones", recurrent_initializer="ones")(sequence)
    outputs = keras.layers.Dense(2, use_bias=False, kernel_initializer="ones")(hidden)
    model = keras.Model(sequence, outputs)
    for order in ([0, 1, 2], [2, 0, 1], [2, 1, 0]):
        inputs = rnn.NOTES_INPUTS[order]
        expected = model.predict(inputs[None], verbose=0)[0]
        np.testing.assert_array_equal(rnn.elman(inputs, rnn.all_ones()).outputs, expected)


def test_elman_with_tanh_and_random_weights_matches_keras():
    import keras

    rng = np.random.default_rng(0)
    weights = rnn.RnnWeights(rng.normal(size=(3, 4)).astype("float32"),
                             rng.normal(size=(4, 4)).astype("float32") * 0.5,
                             rng.normal(size=(4, 2)).astype("float32"))
    inputs = rng.normal(size=(6, 3)).astype("float32")
    layer = keras.layers.SimpleRNN(4, activation="tanh", return_sequences=True)
    layer.build((None, 6, 3))
    layer.set_weights([weights.input_weights, weights.recurrent_weights, np.zeros(4, "float32")])
    hidden = keras.ops.convert_to_numpy(layer(inputs[None]))[0]
    np.testing.assert_allclose(rnn.elman(inputs, weights, "tanh").hidden, hidden, rtol=1e-5, atol=1e-6)


def test_bidirectional_matches_keras_bidirectional_and_sees_the_future():
    import keras

    weights = rnn.all_ones()
    sequence = keras.Input(shape=(3, 2))  # (batch, time, features)
    both = keras.layers.Bidirectional(keras.layers.SimpleRNN(
        2, activation="linear", use_bias=False, return_sequences=True, kernel_initializer="ones",
        recurrent_initializer="ones"))(sequence)  # (batch, time, 4)
    outputs = keras.layers.Dense(2, use_bias=False, kernel_initializer="ones")(both)
    expected = keras.Model(sequence, outputs).predict(rnn.NOTES_INPUTS[None], verbose=0)[0]
    ours = rnn.bidirectional(rnn.NOTES_INPUTS, weights, weights)
    np.testing.assert_array_equal(ours.outputs, expected)
    changed_last = rnn.NOTES_INPUTS.copy()
    changed_last[-1] = [5, 5]
    assert ours.outputs[0, 0] != rnn.bidirectional(changed_last, weights, weights).outputs[0, 0]
    assert rnn.elman(changed_last, weights).outputs[0, 0] == 4  # a forward-only RNN cannot see it


def test_jordan_equals_elman_when_the_output_is_the_hidden_layer():
    rng = np.random.default_rng(1)
    recurrent = rng.normal(size=(3, 3)).astype("float32")
    weights = rnn.RnnWeights(rng.normal(size=(2, 3)).astype("float32"), recurrent, np.eye(3, dtype="float32"))
    inputs = rng.normal(size=(5, 2)).astype("float32")
    np.testing.assert_allclose(rnn.jordan(inputs, weights).outputs, rnn.elman(inputs, weights).outputs,
                               rtol=1e-6)
    ones = rnn.jordan(rnn.NOTES_INPUTS, rnn.all_ones())
    np.testing.assert_array_equal(ones.memory[1], ones.outputs[0])  # it stores its output


def test_one_of_n_other_dimension_and_word_hashing():
    vocabulary = ["apple", "bag", "cat", "dog", "elephant"]
    assert rnn.one_of_n("dog", vocabulary).tolist() == [0, 0, 0, 1, 0, 0]
    assert rnn.one_of_n("zebra", vocabulary).tolist() == [0, 0, 0, 0, 0, 1]
    with pytest.raises(ValueError, match="other"):
        rnn.one_of_n("zebra", vocabulary, other=False)
    assert rnn.letter_trigrams("apple") == ["#ap", "app", "ppl", "ple", "le#"]
    hashed = rnn.word_hash("apple")
    assert hashed.shape == (27 ** 3,) and hashed.sum() == 5
    assert len({rnn.trigram_index(t) for t in ["#ap", "app", "ppl", "ple", "le#", "aaa", "zzz"]}) == 7
    assert rnn.cosine(rnn.word_hash("apple"), rnn.word_hash("apples")) > rnn.cosine(
        rnn.word_hash("apple"), rnn.word_hash("elephant"))
    assert not rnn.word_hash("!!").any()


def test_taggers_rebuilt_from_their_weights_tag_like_the_trained_ones():
    trained = trained_slot_taggers()
    words = trained["vocabulary"]
    sentence = ["leave", slots.HELD_OUT_CITY, "on", "May", "5th"]
    for kind, result in trained["taggers"].items():
        weights = slots.TaggerWeights(kind, result.model.get_weights(), result.city_accuracy, result.word_accuracy)
        random_state = np.random.get_state()[1].copy()
        rebuilt = slots.rebuild_tagger(weights, words)
        np.testing.assert_array_equal(np.random.get_state()[1], random_state)  # the server's seeds are left alone
        expected = slots.tag_sentence(result.model, words, sentence)
        tagged = slots.tag_sentence(rebuilt, words, sentence)
        assert [row["slot"] for row in tagged] == [row["slot"] for row in expected]
        np.testing.assert_allclose([row["p(dest)"] for row in tagged], [row["p(dest)"] for row in expected], rtol=1e-6)


def test_slot_filling_feedforward_cannot_use_context_but_rnn_can():
    trained = trained_slot_taggers()
    words = trained["vocabulary"]
    feedforward = trained["taggers"]["feedforward"]
    recurrent = trained["taggers"]["rnn"]
    for city in ("Taipei", slots.HELD_OUT_CITY):
        arrive = slots.tag_sentence(feedforward.model, words, ["arrive", city, "on", "November", "2nd"])
        leave = slots.tag_sentence(feedforward.model, words, ["leave", city, "on", "November", "2nd"])
        assert arrive[1]["slot"] == leave[1]["slot"]  # same word, same input, same answer
        np.testing.assert_allclose(arrive[1]["p(dest)"], leave[1]["p(dest)"], rtol=1e-5)
        assert slots.tag_sentence(recurrent.model, words, ["arrive", city, "on", "May", "5th"])[1]["slot"] == "dest"
        assert slots.tag_sentence(recurrent.model, words, ["leave", city, "by", "May", "5th"])[1]["slot"] == "departure"
    # Seeing one word at a time, the best it can do is the majority slot of each city in the test set.
    sentences, tags = slots.make_sentences(100, 1, cities=slots.CITIES + [slots.HELD_OUT_CITY], twins=True)
    per_city = {}
    for sentence, row in zip(sentences, tags, strict=True):
        per_city.setdefault(sentence[1], []).append(row[1])
    ceiling = sum(max(slot.count(name) for name in set(slot)) for slot in per_city.values()) / len(sentences)
    assert feedforward.city_accuracy <= ceiling == 0.5
    assert recurrent.city_accuracy >= 0.95 and recurrent.word_accuracy >= 0.95
