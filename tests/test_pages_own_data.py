"""Pages: upload and train on own data (a refusal in English and in Chinese); score a drawn (uploaded)
digit and a typed review with stored runs; own-data runs marked on the Runs and Compare pages."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from data.digit_input import mnist_steps
from data.own_store import list_datasets
from data.tiny import own_reviews_csv, own_traffic_files
from i18n import CHINESE, translations
from i18n.check import english_words
from tests.pages import open_page
from tests.test_engine import TINY_DNN
from tests.test_pages_i18n import open_page as open_page_in
from tests.test_pages_tasks import TIMEOUT, compared, run_until
from training.datasets import prepare
from training.engine import train
from training.events import FINISHED, RunConfig
from training.scoring import load_run_model
from training.store import RunStore

PAGE = "views/tasks/own_data.py"
FILES = own_traffic_files()


def upload(app, key: str, name: str, raw: bytes, mime: str = "text/csv"):
    app.file_uploader(key=key).set_value((name, raw, mime))
    return app


def submit(app, label: str):
    next(button for button in app.button if button.label == label).click()
    return app.run()


def owner(app) -> str:
    return app.session_state["dllab-owner"]


def test_a_bad_upload_is_refused_with_its_line_and_nothing_is_kept():
    app = open_page(PAGE)
    lines = FILES["speeds.csv"].decode().splitlines()
    lines[3] = "fast," + lines[3].split(",", 1)[1]
    bad = ("\n".join(lines) + "\n").encode()
    upload(app, "own-speeds", "speeds.csv", bad)
    upload(app, "own-adjacency", "adjacency.csv", FILES["adjacency.csv"])
    submit(app, "Check and keep")
    assert not app.exception
    message = app.code[-1].value
    assert message == "speeds.csv, line 4, column 1 (sensor 'S100'): 'fast' is not a number"
    assert list_datasets(owner(app)) == []


def test_a_bad_upload_is_refused_in_chinese():
    chinese = translations(CHINESE).gettext
    app = open_page_in(PAGE, CHINESE)
    lines = FILES["speeds.csv"].decode().splitlines()
    for index in (3, 4):
        lines[index] = "fast," + lines[index].split(",", 1)[1]
    upload(app, "own-speeds", "speeds.csv", ("\n".join(lines) + "\n").encode())
    upload(app, "own-adjacency", "adjacency.csv", FILES["adjacency.csv"])
    submit(app, chinese("Check and keep"))
    assert not app.exception
    assert app.error[-1].value == chinese("The dataset was not accepted:") == "数据集未被接受："
    message = app.code[-1].value
    assert message == "speeds.csv 第 4 行第 1 列（传感器 'S100'）：'fast' 不是数字（另有 1 个这样的单元格）"
    assert english_words(message) == []
    assert list_datasets(owner(app)) == []


def test_reviews_upload_is_listed_and_deletable():
    app = open_page(PAGE)
    app.segmented_control(key="own-kind").set_value("imdb").run()
    upload(app, "own-reviews", "mine.csv", own_reviews_csv())
    app.text_input(key="own-imdb-name").input("Film club")
    submit(app, "Check and keep")
    assert any("reviews 80, positive 40" in item.value for item in app.success)
    [dataset] = list_datasets(owner(app), "imdb")
    assert dataset.name == "Film club" and app.dataframe[0].value["Name"][0] == "Film club"
    app.checkbox(key="own-imdb-confirm").check().run()
    app.button(key="own-imdb-delete").click().run()
    assert list_datasets(owner(app)) == [] and not dataset.folder.exists()


def test_own_traffic_trains_through_the_page_and_is_marked_on_runs_and_compare():
    app = open_page(PAGE, timeout=TIMEOUT)
    for key, name in (("own-speeds", "speeds.csv"), ("own-adjacency", "adjacency.csv"),
                      ("own-locations", "locations.csv")):
        upload(app, key, name, FILES[name])
    app.text_input(key="own-traffic-name").input("Tiny city")
    submit(app, "Check and keep")
    [dataset] = list_datasets(owner(app), "traffic")
    app.multiselect(key="own-traffic-archs").set_value(["dnn"])
    app.number_input(key="own-traffic-epochs").set_value(1)
    submit(app, "Train")
    run_until(app, compared, what="the own-data comparison")
    results = app.dataframe[-1].value
    assert list(results["Model"]) == ["Persistence", "Historical average", "DNN"]
    assert set(results["Data"]) == {"own: Tiny city"} and set(results["Status"]) == {FINISHED}
    store = RunStore()
    for run_id in results["Run"]:
        record = store.get_run(run_id)
        assert record["config"]["data"] == dataset.reference
        assert record["extra"]["dataset"]["checksum"] == dataset.checksum
    # the persistence row against NumPy on the same windows
    data = prepare("traffic", dataset=dataset.reference)
    truth, last = data.denormalize(data.y_test), data.denormalize(data.x_test)[:, -1]
    observed = truth[:, 2] > 1e-3
    assert results["MAE 15 min"][0] == pytest.approx(np.abs(truth[:, 2] - last)[observed].mean(), rel=1e-5)

    runs = open_page("views/runs.py")
    table = runs.dataframe[0].value
    assert set(table["Data"]) == {"own: Tiny city"}
    compare = open_page("views/compare.py")
    assert set(compare.dataframe[0].value["Data"]) == {"own: Tiny city"}


def png(image: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    return buffer.getvalue()


def test_an_uploaded_digit_is_scored_by_a_stored_mnist_run(tiny_mirror):
    data = prepare("mnist", limit=200)
    result = train(RunConfig(task="mnist", arch="dnn", epochs=1, batch_size=50, hyperparameters=TINY_DNN),
                   data=data)
    drawing = np.full((200, 200, 3), 255, dtype=np.uint8)
    drawing[30:170, 90:110] = 0  # a dark "1" on white paper
    app = open_page("views/tasks/mnist.py", timeout=TIMEOUT)
    app.segmented_control(key="mnist-draw-source").set_value("Upload an image").run()
    upload(app, "mnist-draw-upload", "one.png", png(drawing), "image/png").run()
    assert not app.exception
    frame = next(item.value for item in app.dataframe if "Prediction" in item.value.columns)
    assert list(frame["Model"]) == ["DNN (MLP)"]
    expected = load_run_model(result.run_id).predict(mnist_steps(drawing).centred[None, ..., None], verbose=0)[0]
    np.testing.assert_allclose(frame[[str(digit) for digit in range(10)]].to_numpy()[0], expected, atol=1e-5)
    assert len(app.image) >= 5  # the five preprocessing steps

    app.file_uploader(key="mnist-draw-upload").set_value(("notes.png", b"not an image", "image/png")).run()
    assert any("not a PNG or JPEG" in item.value for item in app.error)


def test_a_typed_review_is_scored_by_a_stored_imdb_run(tiny_mirror):
    data = prepare("imdb")
    result = train(RunConfig(task="imdb", arch="bag_of_embeddings", epochs=1, batch_size=16,
                             hyperparameters={"sequence_length": 16, "embedding_dim": 8}), data=data)
    app = open_page("views/tasks/sentiment.py", timeout=TIMEOUT)
    review = "A wonderful, moving film: loved it."
    app.text_area(key="imdb-review").input(review)
    submit(app, "Score it")
    scores = next(item.value for item in app.dataframe if "P(positive)" in item.value.columns)
    expected = float(result.model.predict(np.array([review], dtype=object), verbose=0)[0, 0])
    assert list(scores["Model"]) == ["Bag of embeddings"]
    assert scores["P(positive)"][0] == pytest.approx(expected, abs=1e-3)
