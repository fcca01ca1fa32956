"""AppTests for lessons 9-13 and 19: each page opens through the navigation, shows its demo, quiz,
corrections and links, and its controls work."""

from __future__ import annotations

import pytest
import streamlit as st

from lessons.quiz_added import ALPHAGO_QUESTIONS, JORDAN_QUESTIONS
from tests.pages import open_page, wait_for_demos


def markdown_text(app) -> str:
    return "\n".join(element.value for element in app.markdown)


def quiz_radios(app) -> list:
    return [radio for radio in app.radio if radio.key and "-q" in radio.key]


def test_convolution_page_steps_through_the_kernel_and_pools():
    app = open_page("views/lessons/convolution.py")
    assert "Dot product:" in markdown_text(app) and "= **3**" in markdown_text(app)
    assert len(app.get("vega_lite_chart")) >= 12
    assert len(quiz_radios(app)) == 5 + len(ALPHAGO_QUESTIONS) and len(app.expander) == 1  # quiz and corrections
    app.segmented_control[0].set_value(2).run()
    assert app.slider[0].max == 4
    app.slider[0].set_value(2).run()
    assert "= **-3**" in markdown_text(app)
    app.slider[1].set_value(1).run()  # move the image down one pixel
    assert "pooled values that changed: **6 of 8**" in markdown_text(app)
    assert "changes 6 (down), 3 (up), 5 (right), 2 (left) of the 8 pooled values" in markdown_text(app)
    quiz_radios(app)[0].set_value(0).run()  # the notes' wrong answer
    assert app.error and "course notes marked this differently" in app.info[0].value
    assert not app.exception


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
    assert len(quiz_radios(app)) == 5 + len(JORDAN_QUESTIONS) and not app.exception


def test_lstm_page_steps_the_memory_cell_checks_keras_and_plots_sensitivities():
    app = open_page("views/lessons/lstm_gru.py")
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Forget gate f"] == "0.99995" and metrics["Output h"].startswith("6.99")  # step 6 reads 7
    assert "at step 4 the memory goes from 3 to 7 (3 + 4)" in markdown_text(app)
    assert "f = σ(1) ≈ 0.73" in markdown_text(app)
    assert any("forget gates average 0.73" in caption.value for caption in app.caption)
    assert app.expander[0].label == "The course notes, checked (1 wrong, 2 partly right, 2 right)"
    badges = [block.value.split("]")[0] for block in app.markdown if "-badge[" in block.value]
    assert sum("green-badge" in badge for badge in badges) == 2 and any("red-badge" in badge for badge in badges)
    app.slider[0].set_value(7).run()  # control = -1: erase
    assert {metric.label: metric.value for metric in app.metric}["Forget gate f"] == "0"
    wait_for_demos(button(app, "Check against keras.layers.LSTM").click().run())  # Keras runs in a worker
    lstm_check = app.success[0].value
    assert float(lstm_check.split("largest difference from the table: ")[1].rstrip(".")) < 1e-4
    app.slider[1].set_value(-1.5).run()
    wait_for_demos(button(app, "Check against keras.layers.GRU").click().run())
    gru_check = next(item.value for item in app.success if "previous state" in item.value)
    keras_value, ours = gru_check.split("h = ")[1].split(" (above: ")
    assert float(keras_value) == pytest.approx(float(ours.rstrip(").")), abs=1e-5)
    assert app.success[0].value == lstm_check  # its sequence did not change, so its check still holds
    app.slider[3].set_value(6.0).run()
    assert len(app.get("vega_lite_chart")) == 1 and len(quiz_radios(app)) == 4 and not app.exception


def test_gradients_page_measures_layers_the_sigmoid_chain_and_clipping():
    app = open_page("views/lessons/gradients.py")
    assert "3.5 after 1 step, 79 after 30, 227 after 60" in markdown_text(app)  # tanh does not stop it
    measured = next(text for text in markdown_text(app).split("\n") if text.startswith("Measured"))
    assert "**1.250**" in measured and "**explodes**" in measured  # one unit wide, w = 5
    app.slider[2].set_value(3.0).run()
    assert "**vanishes**" in markdown_text(app)
    app.slider[2].set_value(0.5).run()
    app.slider[3].set_value(10).run()
    assert "**1.250**" in markdown_text(app)  # |w| < 4, but ten units per layer
    table = app.dataframe[0].value.set_index("gradient")
    assert table.loc["clipped by norm", "length"] == 1.0 and table.loc["clipped by value", "component 2"] == -1.0
    assert "no clipping: the first step jumps" in app.warning[0].value and len(app.warning) == 1
    assert len(app.get("vega_lite_chart")) == 4 and len(quiz_radios(app)) == 5 and not app.exception
    app.slider[1].set_value(4).run()  # four units per layer: a ReLU layer dies
    assert "ReLU, He init, 4 units wide: hidden layer 12 is dead." in markdown_text(app)
    assert any("ReLU, He init: undefined (0 ÷ 0)" in caption.value for caption in app.caption) and not app.exception


def button(app, label: str):
    return next(item for item in app.button if item.label == label)


@pytest.mark.parametrize("script", ["views/lessons/cnn_features.py", "views/lessons/limits.py"])
def test_model_lessons_offer_training_and_still_teach_without_a_model(script):
    app = open_page(script)  # no dataset mirror: nothing may be loaded or trained on opening
    assert "trained once for everyone" in app.info[0].value
    assert [item.label for item in app.button] == ["Train the model"]
    assert quiz_radios(app) and len(app.expander) == 1 and not app.get("image")


def test_model_lessons_train_the_engine_cnn_once_and_look_inside_it(tiny_mirror, isolated_home):
    app = open_page("views/lessons/limits.py")
    button(app, "Train the model").click().run()
    wait_for_demos(app, 300)  # the engine trains it in a worker process and stores its weights
    assert not app.exception and not app.error
    assert (isolated_home / "lesson_models" / "mnist-cnn-quick" / "model.weights.h5").is_file()
    attack = next(text for text in markdown_text(app).split("\n") if "smallest flipping step" in text)
    levels = int(attack.split("ε = ")[1].split("/255")[0])
    assert (f"{levels - 1}/255" if levels > 1 else "the unchanged image") + " still gives" in attack
    assert len(app.get("image")) == 3  # original, perturbation, adversarial
    app.number_input[0].set_value(4).run()
    assert not app.exception

    app.switch_page("views/lessons/cnn_features.py")  # the same process: the model is shared, not retrained
    app.run()
    assert "Train the model" not in [item.label for item in app.button]
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Epochs"] == "2" and metrics["Test accuracy"].endswith("%")
    assert len(app.get("image")) == 3 and len(app.get("vega_lite_chart")) == 4  # filters, digit, maps; 4 heatmaps
    app.segmented_control[0].set_value("black (erases ink)").run()
    button(app, "Climb the gradient (60 steps)").click().run()
    assert "Objective reached" in markdown_text(app)
    app.selectbox[0].select_index(2).run()
    button(app, "Climb the gradient (60 steps)").click().run()
    assert "The network classifies this picture as" in markdown_text(app) and not app.exception

    # After a restart (no cached model) a new learner gets the stored model: nothing is trained again.
    st.cache_resource.clear()
    restarted = open_page("views/lessons/cnn_features.py")
    assert "Train the model" not in [item.label for item in restarted.button] and not restarted.error
    assert {metric.label: metric.value for metric in restarted.metric}["Test accuracy"] == metrics["Test accuracy"]


def test_an_unreadable_stored_cnn_is_reported_and_offered_for_training_again(isolated_home):
    folder = isolated_home / "lesson_models" / "mnist-cnn-quick"
    folder.mkdir(parents=True)
    (folder / "model.weights.h5").write_bytes(b"not an HDF5 file")
    (folder / "metrics.json").write_text('{"test_accuracy": 0.9, "train_seconds": 3, "epochs": 2}')
    app = open_page("views/lessons/cnn_features.py")
    assert str(folder / "model.weights.h5") in app.error[0].value  # names the file it could not use
    assert [item.label for item in app.button] == ["Train the model"]
    assert (folder / "model.weights.h5").read_bytes() == b"not an HDF5 file"  # kept until retrained
