"""AppTests for the three task pages: configure, train live on tiny data, compare side by side.

Training runs in worker processes; AppTest does not fire `run_every` fragments by itself, so
`run_until` reruns the page (as the polling fragment would) until the expected state appears.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from data.imdb import load_imdb
from data.traffic import load_traffic, make_windows
from models.registry import count_params
from tests.pages import open_page
from training.events import CANCELLED, FINISHED, RunConfig
from training.metrics import masked_errors
from training.store import RunStore
from ui.catalog import ROOT
from ui.results import describe_time, to_markdown
from ui.sentiment_views import MAX_REVIEW_CHARS
from ui.worker import training_gate

TIMEOUT = 240


def run_until(app: AppTest, done, timeout: float = TIMEOUT, what: str = "the expected state") -> AppTest:
    deadline = time.monotonic() + timeout
    while True:
        app.run()
        if app.exception:
            raise AssertionError([item.value for item in app.exception])
        if done(app):
            return app
        if time.monotonic() > deadline:
            raise AssertionError(f"page did not reach {what} within {timeout} s; markdown: "
                                 f"{[item.value for item in app.markdown][-5:]}")
        time.sleep(0.3)


def compared(app: AppTest) -> bool:
    return any(header.value == "Side by side" for header in app.header) and bool(app.dataframe)


def configure(app: AppTest, task: str, archs: list[str], **numbers) -> AppTest:
    app.multiselect(key=f"{task}-archs").set_value(archs)
    for name, value in numbers.items():
        app.number_input(key=f"{task}-{name}").set_value(value)
    app.button[0].click()  # the form's Train button
    return app


def table(app: AppTest):
    return app.dataframe[0].value


def test_mnist_trains_two_architectures_live_and_compares_them(tiny_mirror):
    from training import datasets

    prepared_before = dict(datasets._cache)  # other tests in this process call the engine directly
    app = open_page("views/tasks/mnist.py", timeout=TIMEOUT)
    assert "DNN (MLP)" in app.markdown[1].value and "Modern CNN" in app.markdown[1].value
    configure(app, "mnist", ["dnn", "cnn"], epochs=1, batch=64).run()
    assert app.multiselect(key="mnist-archs").disabled, "the form must be locked while training"
    assert dict(app.query_params) == {"archs": "dnn,cnn", "epochs": "1", "batch": "64", "seed": "0", "quick": "1",
                                      "lang": "en"}  # the shared link keeps the reader's language
    run_until(app, compared, what="the comparison")

    results = table(app)
    assert list(results["Model"]) == ["DNN (MLP)", "CNN"] and list(results["Status"]) == [FINISHED] * 2
    store = RunStore()
    labels = np.load(tiny_mirror / "mnist" / "mnist.npz")["y_test"]
    for run_id, shown in zip(results["Run"], results["Test accuracy"]):
        with np.load(store.run_dir(run_id) / "predictions.npz") as archive:
            accuracy = float((archive["predictions"].argmax(axis=1) == labels).mean())
        assert shown == pytest.approx(accuracy)
    assert [int(value) for value in results["Parameters"]] == [count_params("mnist", "dnn"),
                                                               count_params("mnist", "cnn")]
    assert len(app.get("vega_lite_chart")) >= 5  # live curves, overlaid curves, bars, confusion matrix
    assert any("test digits misclassified" in item.value for item in app.markdown)
    assert not app.multiselect(key="mnist-archs").disabled
    # This process is the server: it holds MNIST once (ui.datasets); the float32 arrays the engine
    # prepares live only in the training workers, so the page's training added none here.
    assert datasets._cache == prepared_before


def test_a_waiting_learner_sees_their_place_in_line_and_stop_cancels_cleanly(tiny_mirror):
    app = open_page("views/tasks/mnist.py", timeout=TIMEOUT)
    gate = training_gate()  # the process-wide gate the page uses (st.cache_resource)
    gate.acquire("another learner")
    configure(app, "mnist", ["dnn"], epochs=200, batch=8).run()
    try:
        run_until(app, lambda a: any("1st in line" in item.value for item in a.markdown), timeout=30,
                  what="the place in line")
        assert any("1 of 1 slots busy" in item.value for item in app.markdown)
    finally:
        gate.release("another learner")
    run_until(app, lambda a: any("Epoch" in bar.proto.text for bar in a.get("progress")), what="training")
    app.button(key="mnist-stop").click()
    run_until(app, compared, what="the stopped run")
    assert any("stopped" in item.value for item in app.warning)
    record = RunStore().list_runs(task="mnist")[0]
    assert record["status"] == CANCELLED and record["epochs_run"] < 200


def test_a_learning_rate_far_too_high_stops_the_run_as_diverged(tiny_mirror):
    app = open_page("views/tasks/mnist.py", timeout=TIMEOUT)
    configure(app, "mnist", ["dnn"], epochs=1, batch=8, lr=9.5).run()
    run_until(app, compared, what="the comparison")
    messages = [item.value.lower() for item in app.error]
    assert any("diverged" in message and "the loss exploded" in message and "learning rate" in message
               for message in messages), messages


def test_traffic_compares_models_with_both_baselines_per_horizon(tiny_mirror):
    app = open_page("views/tasks/traffic.py", timeout=TIMEOUT)
    configure(app, "traffic", ["dnn"], epochs=1).run()
    run_until(app, compared, what="the comparison")

    results = table(app)
    assert list(results["Model"]) == ["Persistence", "Historical average", "DNN"]
    windows = make_windows(load_traffic())
    truth = windows.denormalize(windows.y_test)
    persistence = np.repeat(windows.denormalize(windows.x_test)[:, -1:], truth.shape[1], axis=1)
    assert results["MAE 15 min"][0] == pytest.approx(masked_errors(truth[:, 2], persistence[:, 2])[0], rel=1e-5)
    assert results["MAE 60 min"][0] == pytest.approx(masked_errors(truth[:, 11], persistence[:, 11])[0], rel=1e-5)
    subheaders = [item.value for item in app.subheader]
    assert "Error by horizon: every model and both baselines" in subheaders
    assert "Forecast against the measured speed" in subheaders and "Which sensors are hard to forecast" in subheaders
    text = " ".join(item.value for item in app.markdown)
    assert "no road graph" in text and "neighbours on the road graph" in text and "Lowest MAE" in text
    dnn, persistence = results["MAE 15 min"][2], results["MAE 15 min"][0]
    change = f"{abs(100 * (dnn / persistence - 1)):.1f} % {'lower' if dnn < persistence else 'higher'}"
    assert f"15 min: **DNN** {change}" in text  # the trained model measured against persistence
    assert any(expander.label.startswith("Why persistence is in every table") for expander in app.expander)
    app.selectbox(key="traffic-sensor").select(3).run()
    app.selectbox(key="traffic-minutes").select(60).run()
    assert not app.exception and len(app.get("vega_lite_chart")) >= 8


def test_earlier_stored_runs_can_join_the_comparison(tiny_mirror):
    store = RunStore()
    earlier = stored_run(store, "mnist", "cnn_bn", {"accuracy": 0.993}, owner="someone else")
    stored_run(store, "traffic", "gcn", {"mae_15": 3.0})  # another task: not offered
    app = open_page("views/tasks/mnist.py")
    offered = app.multiselect(key="mnist-stored")
    started = describe_time(store.get_run(earlier)["started_at"])
    assert offered.options == [f"Modern CNN · {started} · finished · shared"]
    offered.set_value([earlier]).run()
    results = table(app)
    assert list(results["Model"]) == ["Modern CNN"] and list(results["Source"]) == ["shared"]
    assert list(results["Test accuracy"]) == [0.993]
    assert any("predictions of this run are not available" in item.value for item in app.info)


def test_a_shared_link_opens_the_same_setup(tiny_mirror):
    app = AppTest.from_file(str(ROOT / "views/tasks/mnist.py"), default_timeout=60)
    app.query_params.update({"archs": "cnn_bn,nonsense", "epochs": "3", "lr": "0.01", "seed": "7", "quick": "0"})
    app.run()
    assert not app.exception
    assert app.multiselect(key="mnist-archs").value == ["cnn_bn"]
    assert app.number_input(key="mnist-epochs").value == 3
    assert app.number_input(key="mnist-lr").value == pytest.approx(0.01)
    assert app.number_input(key="mnist-batch").value is None  # left to the recipe
    assert app.number_input(key="mnist-seed").value == 7 and app.toggle(key="mnist-quick").value is False


def test_sentiment_shows_example_reviews_and_scores_a_typed_review(tiny_mirror):
    app = open_page("views/tasks/sentiment.py", timeout=TIMEOUT)
    configure(app, "imdb", ["bag_of_embeddings"], epochs=1, batch=16).run()
    run_until(app, compared, what="the comparison")

    results = table(app)
    assert list(results["Model"]) == ["Bag of embeddings"]
    data = load_imdb()
    with np.load(RunStore().run_dir(results["Run"][0]) / "predictions.npz") as archive:
        probabilities = archive["predictions"]
    assert results["Accuracy"][0] == pytest.approx(float(((probabilities >= 0.5) == data.y_test).mean()))
    assert "Example test reviews" in [item.value for item in app.subheader]
    shown = [item.value for item in app.text]
    assert len(shown) == 6 and all(text in data.x_test for text in shown)  # short reviews shown whole, as text

    review = data.x_test[5]
    app.text_area(key="imdb-review").input(review)
    next(button for button in app.button if button.label == "Score it").click().run()
    scores = [frame.value for frame in app.dataframe if "P(positive)" in frame.value.columns][-1]  # the typed review
    assert list(scores["Model"]) == ["Bag of embeddings"]
    assert scores["P(positive)"][0] == pytest.approx(float(probabilities[5]), abs=1e-3)


def stored_run(store: RunStore, task: str, arch: str, metrics: dict, status: str = FINISHED, owner: str = "",
               losses: tuple[float, ...] = (0.9, 0.5)) -> str:
    run_id = store.start_run(RunConfig(task, arch, owner=owner), params=1000 + len(arch), owner=owner)
    for epoch, loss in enumerate(losses):
        store.log_epoch(run_id, epoch, {"loss": loss, "val_loss": loss + 0.1, "seconds": 2.0})
    store.finish_run(run_id, status, "", metrics, train_seconds=4.0, seconds_per_epoch=2.0, epochs_run=len(losses))
    return run_id


def chosen_runs(app: AppTest):
    return next(widget for widget in app.multiselect if widget.label == "Runs to compare")


def test_compare_page_tables_the_chosen_runs_and_exports_them():
    store = RunStore()
    dnn = stored_run(store, "mnist", "dnn", {"accuracy": 0.9712})
    cnn = stored_run(store, "mnist", "cnn", {"accuracy": 0.9904})
    gcn = stored_run(store, "traffic", "gcn", {"mae_15": 3.1, "mae_30": 3.6, "mae_60": 4.4})
    app = open_page("views/compare.py")
    assert chosen_runs(app).value == [gcn]  # the task trained last
    chosen_runs(app).set_value([gcn, dnn]).run()
    assert list(table(app).columns[:3]) == ["Model", "Task", "Source"]  # two tasks: a column says which

    app.selectbox(key="compare-task").select("mnist").run()
    assert sorted(chosen_runs(app).value) == sorted([dnn, cnn])
    frame = table(app)
    assert dict(zip(frame["Model"], frame["Test accuracy"])) == {"DNN (MLP)": 0.9712, "CNN": 0.9904}
    assert {button.proto.label for button in app.get("download_button")} == {
        "Export CSV", "Export Markdown", "Export LaTeX (booktabs)"}
    assert len(app.get("vega_lite_chart")) == 2  # the bar chart and the loss curves

    markdown = to_markdown(frame).splitlines()
    assert markdown[0].startswith("| Model | Source | Status | Test accuracy |")
    assert "| DNN (MLP) | stored | finished | 0.9712 |" in markdown[2] + markdown[3]


def test_compare_page_shows_a_sweep_as_means_over_seeds():
    store = RunStore()
    for seed, accuracy in enumerate([0.97, 0.98, 0.99]):
        run_id = store.start_run(RunConfig("mnist", "dnn", learning_rate=1e-3, seed=seed, sweep="sweep-a"), params=99)
        store.finish_run(run_id, FINISHED, "", {"accuracy": accuracy}, train_seconds=10.0 + seed)
    diverged = store.start_run(RunConfig("mnist", "dnn", learning_rate=5.0, seed=0, sweep="sweep-a"), params=99)
    store.finish_run(diverged, "diverged", "The loss became NaN.")
    stored_run(store, "mnist", "cnn", {"accuracy": 0.5})  # not in the sweep

    app = open_page("views/compare.py")
    app.selectbox(key="compare-sweep").select("sweep-a").run()
    assert not app.exception
    frame = table(app)
    assert list(frame["Learning rate"]) == [1e-3, 5.0] and list(frame["Finished"]) == ["3/3", "0/1"]
    assert frame["Test accuracy mean"][0] == pytest.approx(0.98)
    assert frame["Test accuracy std"][0] == pytest.approx(0.01)
    assert frame["Seconds/trial"][0] == pytest.approx(11.0) and frame["Parameters"][0] == 99
    assert len(app.dataframe[1].value) == 4  # every trial, the cnn run outside the sweep left out
    assert "dnn seed 0, diverged: The loss became NaN." in [item.value for item in app.text]


def test_runs_page_filters_downloads_weights_and_deletes_only_allowed_runs(monkeypatch):
    store = RunStore()
    mine = stored_run(store, "mnist", "dnn", {"accuracy": 0.97}, owner="learner-1")
    theirs = stored_run(store, "mnist", "cnn", {}, status="diverged", owner="learner-2")
    import h5py

    with h5py.File(store.run_dir(mine) / "model.weights.h5", "w") as weights:  # a real (tiny) HDF5 file
        weights.create_dataset("vars/0", data=np.ones(3, dtype=np.float32))

    app = AppTest.from_file(str(ROOT / "views/runs.py"), default_timeout=60)
    app.session_state["dllab-owner"] = "learner-1"
    app.run()
    assert not app.exception and len(table(app)) == 2
    app.multiselect(key="runs-status").set_value(["diverged"]).run()
    assert list(table(app)["Run"]) == [theirs]
    app.multiselect(key="runs-status").set_value([]).run()

    monkeypatch.setenv("DLLAB_PROTECT_SHARED_RUNS", "1")
    app.selectbox(key="runs-chosen").select(theirs).run()
    assert not [button for button in app.button if button.key == "runs-delete"]
    app.selectbox(key="runs-chosen").select(mine).run()
    labels = {button.proto.label for button in app.get("download_button")}
    assert "Download weights (.weights.h5)" in labels
    app.checkbox(key="runs-confirm").check().run()
    app.button(key="runs-delete").click().run()
    assert not app.exception and f"Deleted run {mine}." in [item.value for item in app.success]
    assert [record["run_id"] for record in store.list_runs()] == [theirs]
    assert not (store.runs_root / mine).exists()


def test_a_task_page_trains_without_importing_tensorflow_into_the_server(tiny_mirror):
    """The page's process (here a fresh Python running AppTest) only relays: the worker trains."""
    script = (
        "import json, sys\n"
        "from tests.pages import open_page\n"
        "from tests.test_pages_tasks import compared, configure, run_until, table\n"
        "app = open_page('views/tasks/mnist.py', timeout=240)\n"
        "configure(app, 'mnist', ['dnn'], epochs=1, batch=64).run()\n"
        "run_until(app, compared, what='the comparison')\n"
        "print(json.dumps({'status': list(table(app)['Status']), 'tensorflow': 'tensorflow' in sys.modules,\n"
        "                  'keras': 'keras' in sys.modules}))\n")
    finished = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                              timeout=TIMEOUT + 60)
    assert finished.returncode == 0, finished.stderr[-3000:]
    outcome = json.loads(finished.stdout.strip().splitlines()[-1])
    assert outcome == {"status": [FINISHED], "tensorflow": False, "keras": False}


def test_a_review_longer_than_the_models_read_is_scored_and_the_page_says_what_was_read(tiny_mirror):
    app = open_page("views/tasks/sentiment.py", timeout=TIMEOUT)
    configure(app, "imdb", ["bag_of_embeddings"], epochs=1, batch=16).run()
    run_until(app, compared, what="the comparison")
    review = " ".join(["a wonderful touching film"] * 500)  # over 10,000 characters, like IMDB's longest
    assert 10_000 < len(review) <= MAX_REVIEW_CHARS
    app.text_area(key="imdb-review").input(review)
    next(button for button in app.button if button.label == "Score it").click().run()
    scores = [frame.value for frame in app.dataframe if "Tokens read" in frame.value.columns][-1]
    read, total = (int(number.replace(",", "")) for number in scores["Tokens read"][0].split()[1::2])
    assert read < total and total == 2000 + 1999  # 2,000 words and their 1,999 bigrams
    assert any("reads only the last tokens" in item.value for item in app.caption)
    # Scored from the weights the worker wrote, after Streamlit's own clear_session of every rerun.
    app.run()
    next(button for button in app.button if button.label == "Score it").click().run()
    assert [frame.value for frame in app.dataframe if "Tokens read" in frame.value.columns][-1]["P(positive)"][0] \
        == scores["P(positive)"][0]


def test_nbsvm_trains_from_the_sentiment_page_first_in_the_table_and_scores_a_whole_typed_review(tiny_mirror):
    app = open_page("views/tasks/sentiment.py", timeout=TIMEOUT)
    assert app.multiselect(key="imdb-archs").value[0] == "nbsvm"  # the baseline is in the default comparison
    configure(app, "imdb", ["nbsvm"], epochs=1, batch=16).run()
    run_until(app, compared, what="the comparison")
    results = table(app)
    assert list(results["Model"]) == ["NBSVM (baseline)"] and list(results["Status"]) == [FINISHED]
    review = " ".join(["a wonderful touching film"] * 500)
    app.text_area(key="imdb-review").input(review)
    next(button for button in app.button if button.label == "Score it").click().run()
    scores = [frame.value for frame in app.dataframe if "Tokens read" in frame.value.columns][-1]
    nbsvm = scores[scores["Model"] == "NBSVM (baseline)"]
    # A set of tokens, so the whole review counts: 2,000 words, 1,999 word pairs and 1,998 triples.
    assert list(nbsvm["Tokens read"]) == [f"all {2000 + 1999 + 1998:,}"]
