"""Lesson 11. Recurrent networks: lessons/rnn.py against NumPy and Keras, the numbers its text and
quiz quote, and its page views/lessons/rnn.py run in AppTest."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from lessons import rnn
from tests.pages import button, markdown_text, open_page, quiz_radios, rerun, wait_for_demos
from tests.tiny_models import trained_slot_taggers

# ---- its math against NumPy and Keras --------------------------------------------------------------


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


def test_the_pages_tables_show_the_networks_outputs_in_every_order():
    orders = rnn.orderings()
    assert len(orders) == 3 and rnn.as_text(rnn.NOTES_INPUTS) in orders  # two of the three inputs are equal
    for order in orders.values():
        inputs = rnn.NOTES_INPUTS[order]
        trace = rnn.elman(inputs, rnn.all_ones())
        rows = rnn.trace_rows(inputs, trace)
        assert [row["output y"] for row in rows] == [str(row.astype(int).tolist()) for row in trace.outputs]
    kinds = rnn.kinds_rows()
    elman = rnn.elman(rnn.NOTES_INPUTS, rnn.all_ones()).outputs
    assert [row["Elman"] for row in kinds] == rnn.as_text(elman).split("  ")
    assert {"Jordan", "Bidirectional"} <= set(kinds[0])


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
    sentence = ["leave", rnn.HELD_OUT_CITY, "on", "May", "5th"]
    for kind, result in trained["taggers"].items():
        weights = rnn.TaggerWeights(kind, result.model.get_weights(), result.city_accuracy, result.word_accuracy)
        random_state = np.random.get_state()[1].copy()
        rebuilt = rnn.rebuild_tagger(weights, words)
        np.testing.assert_array_equal(np.random.get_state()[1], random_state)  # the server's seeds are left alone
        expected = rnn.tag_sentence(result.model, words, sentence)
        tagged = rnn.tag_sentence(rebuilt, words, sentence)
        assert [row["slot"] for row in tagged] == [row["slot"] for row in expected]
        np.testing.assert_allclose([row["p(dest)"] for row in tagged], [row["p(dest)"] for row in expected], rtol=1e-6)


def test_slot_filling_feedforward_cannot_use_context_but_rnn_can():
    trained = trained_slot_taggers()
    words = trained["vocabulary"]
    feedforward = trained["taggers"]["feedforward"]
    recurrent = trained["taggers"]["rnn"]
    for city in ("Taipei", rnn.HELD_OUT_CITY):
        arrive = rnn.tag_sentence(feedforward.model, words, ["arrive", city, "on", "November", "2nd"])
        leave = rnn.tag_sentence(feedforward.model, words, ["leave", city, "on", "November", "2nd"])
        assert arrive[1]["slot"] == leave[1]["slot"]  # same word, same input, same answer
        np.testing.assert_allclose(arrive[1]["p(dest)"], leave[1]["p(dest)"], rtol=1e-5)
        assert rnn.tag_sentence(recurrent.model, words, ["arrive", city, "on", "May", "5th"])[1]["slot"] == "dest"
        assert rnn.tag_sentence(recurrent.model, words, ["leave", city, "by", "May", "5th"])[1]["slot"] == "departure"
    # Seeing one word at a time, the best it can do is the majority slot of each city in the test set.
    sentences, tags = rnn.make_sentences(100, 1, cities=rnn.CITIES + [rnn.HELD_OUT_CITY], twins=True)
    per_city = {}
    for sentence, row in zip(sentences, tags, strict=True):
        per_city.setdefault(sentence[1], []).append(row[1])
    ceiling = sum(max(slot.count(name) for name in set(slot)) for slot in per_city.values()) / len(sentences)
    assert feedforward.city_accuracy <= ceiling == 0.5
    assert recurrent.city_accuracy >= 0.95 and recurrent.word_accuracy >= 0.95


def test_jordan_cell_matches_the_numpy_network_of_lesson_11(keras):
    model = rnn.build_jordan(units=3, outputs=2, output_activation="tanh")
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
    bits, targets = rnn.make_task("running parity", 50, 8, seed=1)
    np.testing.assert_array_equal(targets[..., 0], np.cumsum(bits[..., 0], axis=1) % 2)
    bits, targets = rnn.make_task("echo", 4000, 8, seed=2)
    np.testing.assert_array_equal(targets[:, 2:, 0], bits[:, :-2, 0])
    # Teacher forcing shows each step x_t and the true previous answer x_(t-3): neither says
    # anything about x_(t-2), so no network can beat a coin there.
    previous = np.concatenate([np.zeros_like(targets[:, :1]), targets[:, :-1]], axis=1)[:, 3:, 0]
    for x in (0, 1):
        for y in (0, 1):
            chosen = (bits[:, 3:, 0] == x) & (previous == y)
            assert targets[:, 3:, 0][chosen].mean() == pytest.approx(0.5, abs=0.03)
    with pytest.raises(ValueError, match="unknown task"):
        rnn.make_task("copy", 1, 5)


def test_run_free_feeds_back_its_own_predictions(keras):
    model = rnn.build_step_network(units=4)
    bits = np.random.default_rng(3).integers(0, 2, (3, 6, 1)).astype(np.float32)
    memory, expected = np.zeros((3, 1), np.float32), []
    for step in range(6):
        memory = np.asarray(model(np.concatenate([bits[:, step], memory], axis=1)))
        expected.append(memory)
    np.testing.assert_allclose(rnn.run_free(model.get_weights(), bits), np.stack(expected, axis=1), rtol=1e-5)


def test_compare_memories_returns_plain_data_for_the_three_kinds():
    result = rnn.compare_memories("echo", units=4, epochs=1, count=64, length=6)
    assert [item.kind for item in result.results] == list(rnn.KINDS)
    assert all(0.0 <= item.step_accuracy <= 1.0 and len(item.losses) == 1 for item in result.results)
    assert result.example_bits.shape == result.example_targets.shape == (6,)
    # the worker sends this result to the server through a multiprocessing queue, which pickles it:
    # a round trip of the app's own object, never of user data
    pickle.loads(pickle.dumps(result))


# ---- the page --------------------------------------------------------------------------------------


def test_rnn_page_shows_the_notes_example_reorders_and_tags_with_trained_taggers():
    app = open_page("views/lessons/rnn.py")
    text = markdown_text(app)
    assert "**[4, 4]  [12, 12]  [32, 32]**: note 004's numbers" in text
    assert any(info.value.startswith("Press the button to train the two taggers") for info in app.info)
    app.selectbox[0].select_index(2).run()
    assert "in another order give **[8, 8]  [20, 20]  [44, 44]**" in markdown_text(app)
    app.text_input[0].input("zebra").run()
    assert app.dataframe[2].value.iloc[0].tolist() == [0, 0, 0, 0, 0, 1]  # the "other" dimension
    button(app, "Train both taggers (a few seconds)").click().run()
    wait_for_demos(app)  # trained in a worker; the page rebuilds both taggers from their weights
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["RNN: city tagged correctly"] in ("95%", "96%", "97%", "98%", "99%", "100%")
    app.text_input[3].input("arrive Madrid on May 5th").run()
    feedforward, recurrent = app.dataframe[-2].value, app.dataframe[-1].value
    assert recurrent["slot"].tolist() == ["other", "dest", "other", "time", "time"]
    assert not feedforward["known"].iloc[1]  # Madrid was never seen in training
    app.text_input[3].input("too short").run()
    assert "five words" in app.warning[0].value
    assert len(quiz_radios(app)) == len(rnn.QUESTIONS) and not app.exception


def test_jordan_section_reports_the_measured_comparison():
    app = open_page("views/lessons/rnn.py")
    assert any(info.value.startswith("Pick a task and press the button") for info in app.info)
    # The training itself is covered by the lesson tests; a tiny run stands in for it here.
    app.session_state["jordan-result"] = (("echo",), rnn.compare_memories("echo", units=4, epochs=1,
                                                                             count=64, length=6))
    rerun(app.radio(key="jordan-task").set_value("echo"))
    table = next(frame.value for frame in app.dataframe if "network" in frame.value.columns)
    assert list(table["network"]) == list(rnn.KINDS)
    scores = dict(zip(table["network"], table["steps right on new sequences"]))
    assert f"Elman {scores['Elman']:.0%}, Jordan {scores['Jordan']:.0%}" in markdown_text(app)
    assert "no amount of training helps" in markdown_text(app)


def test_with_teacher_forcing_only_the_echo_is_out_of_reach():
    """The Jordan quiz: with the true previous target fed back, (current bit, previous target)
    determines the parity target exactly, while for the echo it tells nothing (about 50 %)."""
    question = next(item for item in rnn.QUESTIONS if "teacher forcing" in item.prompt)
    assert question.options[question.answer] == "Output the bit read two steps earlier"
    for task, best_expected in (("running parity", 1.0), ("echo", 0.5)):
        bits, targets = rnn.make_task(task, 2000, 20, seed=3)
        seen = np.stack([bits[:, 3:, 0], targets[:, 2:-1, 0]], axis=-1).reshape(-1, 2)  # (steps, 2)
        wanted = targets[:, 3:, 0].reshape(-1)
        # the best any function of what it sees can do: the majority target of each seen pair
        best = sum(max(np.mean(wanted[mask]), 1 - np.mean(wanted[mask])) * mask.mean()
                   for pair in ((0, 0), (0, 1), (1, 0), (1, 1))
                   if (mask := np.all(seen == pair, axis=1)).any())
        assert best == pytest.approx(best_expected, abs=0.02), task
