"""Lesson 21. Attention: lessons/attention.py against NumPy and Keras, the numbers its text and
quiz quote, and its page views/lessons/attention.py run in AppTest."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest

from lessons import attention
from tests.pages import WORKER_WAIT, metrics, open_page, rerun, wait_for_demos, wait_for_result

# ---- its math against NumPy and Keras --------------------------------------------------------------


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
    # the worker sends this result to the server through a multiprocessing queue, which pickles it:
    # a round trip of the app's own object, never of user data
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


# ---- the page --------------------------------------------------------------------------------------


def test_attention_lesson_trains_and_reads_the_learners_sentence(tiny_mirror):
    app = open_page("views/lessons/attention.py")
    assert len([radio for radio in app.radio if radio.key.startswith("attention-q")]) == len(attention.QUESTIONS)
    rerun(app.button(key="attention-train").click())
    wait_for_result(app, "P(positive)")
    table = next(frame.value for frame in app.dataframe if "adds to the verdict" in frame.value.columns)
    assert table["weight"].sum() == pytest.approx(1.0, abs=1e-6)
    rerun(app.text_area(key="attention-text").input("Wonderful, wonderful film!"))
    table = next(frame.value for frame in app.dataframe if "adds to the verdict" in frame.value.columns)
    assert list(table["word"]) == ["wonderful", "wonderful", "film"]
    assert table["weight"].iloc[0] == pytest.approx(table["weight"].iloc[1])
    trained = app.session_state["attention-result"][1]
    reading = attention.read(trained.weights, "Wonderful, wonderful film!")
    assert metrics(app)["P(positive)"] == f"{reading.probability:.1%}"
    logit = table["adds to the verdict"].sum() + trained.weights.output_bias
    assert reading.probability == pytest.approx(1 / (1 + math.exp(-logit)))
    rerun(app.text_area(key="attention-text").input("?!"))
    assert "no words" in app.warning[0].value


def attention_demo_imports() -> list[str]:
    """Train lesson 21's model through its page and read a sentence; which of TensorFlow and Keras
    this process imported by then (the mirror is set up by the caller)."""
    import sys

    app = open_page("views/lessons/attention.py")
    app.button(key="attention-train").click().run()
    wait_for_demos(app, WORKER_WAIT)
    app.text_area(key="attention-text").input("a dull, boring film").run()
    assert "P(positive)" in metrics(app) and not app.exception
    return sorted(name for name in ("tensorflow", "keras") if name in sys.modules)


def test_attention_lesson_reads_sentences_without_tensorflow_in_the_server(tiny_mirror):
    import json
    import os
    import subprocess
    import sys

    from ui.catalog import ROOT

    code = ("import json; from tests.test_lesson_attention import attention_demo_imports; "
            "print(json.dumps(attention_demo_imports()))")
    completed = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=os.environ.copy(), capture_output=True,
                               text=True, timeout=2 * WORKER_WAIT)
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert json.loads(completed.stdout.strip().splitlines()[-1]) == []
