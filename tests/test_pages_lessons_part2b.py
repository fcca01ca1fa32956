"""AppTests for lessons 14-18, on the tiny datasets of tests/fixtures_data.py (no mirror needed)."""

from __future__ import annotations

from tests.pages import open_page, wait_for_demos

TRAIN_TIMEOUT = 120  # on-demand training on two shared cores


def chart_count(app) -> int:
    return len(app.get("vega_lite_chart"))


def quiz_and_corrections_present(app, questions: int) -> None:
    assert len(app.radio) >= questions
    assert any(expander.label.startswith("The course notes, checked") for expander in app.expander)
    assert any(header.value == "Next" for header in app.subheader)


def test_embeddings_page_counts_trains_and_compares(tiny_mirror):
    app = open_page("views/lessons/embeddings.py", timeout=TRAIN_TIMEOUT)
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Reviews"] == "64"  # 80 tiny training reviews minus the 16 kept for validation
    assert int(metrics["Vocabulary"]) > 10
    assert chart_count(app) == 1  # the word map; the skip-gram loss appears after training
    assert any("Count-based" in block.value for block in app.markdown)
    assert len(app.dataframe) == 3  # co-occurrence table, count-based neighbours, correlations
    quiz_and_corrections_present(app, questions=4)

    wait_for_demos(app.button[0].click().run())  # counted and trained again in a worker process
    assert chart_count(app) == 2
    assert len(app.dataframe) == 4  # a second neighbour table for the trained vectors
    correlations = app.dataframe[-1].value
    assert list(correlations["vectors"]) == ["count-based", "prediction-based"]
    verdict = next(caption.value for caption in app.caption if caption.value.startswith("Pearson"))
    assert "The count-based vectors' inner product follows" in verdict and "prediction-based" in verdict

    app.selectbox[0].select("great").run()
    assert not app.exception
    assert any(header.value == "Nearest neighbours of *great*" for header in app.header)


def test_autoencoder_page_trains_on_demand(tiny_mirror):
    app = open_page("views/lessons/autoencoders.py", timeout=TRAIN_TIMEOUT)
    assert "press **Train**" in app.info[0].value
    app.slider[1].set_value(3)  # epochs
    wait_for_demos(app.button[0].click().run())  # MNIST is loaded and trained on in a worker process
    assert len(app.get("image")) == 2  # original/noisy/reconstructed, and random codes
    labels = {metric.label for metric in app.metric}
    assert {"Pixel error of the noisy input", "Pixel error after denoising", "Training time"} <= labels
    assert chart_count(app) == 2  # loss curves and the code space
    text = "\n".join(block.value for block in [*app.markdown, *app.caption])
    assert "of the test digits have a nearest neighbour of the same digit" in text
    assert "In this run the random codes decode" in text  # a verdict measured on this run, either way
    quiz_and_corrections_present(app, questions=4)


def test_gan_page_trains_live_and_shows_snapshots():
    app = open_page("views/lessons/gans.py", timeout=TRAIN_TIMEOUT)
    assert "Train live" in app.info[0].value
    app.slider[0].set_value(3)  # epochs
    wait_for_demos(app.button[0].click().run())  # each epoch's points are drawn while the worker trains
    labels = {metric.label for metric in app.metric}
    assert "Modes covered (of 8)" in labels
    assert chart_count(app) == 3  # chosen snapshot, small multiples, losses
    app.slider[-1].set_value(0).run()  # the generator before training
    assert not app.exception
    quiz_and_corrections_present(app, questions=4)


def test_gcn_page_grows_the_receptive_field_on_the_ring_road(tiny_mirror):
    app = open_page("views/lessons/gcn.py")
    metrics = {metric.label: metric.value for metric in app.metric}
    # The tiny road graph is a ring of 6 sensors: 1 layer sees 3 sensors, 2 see 5, 3 see all 6.
    assert metrics == {"Sensors seen by 1 layer": "3", "Sensors seen by 2 layers": "5",
                       "Sensors seen by 3 layers": "6"}
    assert chart_count(app) == 2  # the map and the correlation by hops
    messages = app.dataframe[0].value
    assert len(messages) == 3  # itself and its two ring neighbours
    text = "\n".join(block.value for block in app.markdown)
    assert "a weighted sum" in text and "averaged in with the neighbours'" in text
    assert "worse than simply repeating each sensor's last reading" in text  # the shipped benchmark
    app.radio[0].set_value(3).run()
    assert not app.exception
    quiz_and_corrections_present(app, questions=4)


def measured_lines(app) -> dict[str, str]:
    """The 'Measured' line of each network's card, keyed by the card's subheader."""
    families = [header.value for header in app.subheader if header.value in ("DNN", "CNN", "RNN", "LSTM", "GCN")]
    lines = [block.value for block in app.markdown if block.value.startswith("**Measured**")]
    return dict(zip(families, lines, strict=True))


def test_comparison_page_without_runs_says_so():
    app = open_page("views/lessons/comparison.py")
    assert any("No runs yet" in info.value for info in app.info)
    lines = measured_lines(app)
    assert list(lines) == ["DNN", "CNN", "RNN", "LSTM", "GCN"]
    assert all(line.endswith("no runs yet — train on the task page.") for line in lines.values())
    assert any(block.value.startswith("**Weaknesses**") and "saddle points" in block.value for block in app.markdown)
    quiz_and_corrections_present(app, questions=4)


def test_comparison_page_links_cells_to_stored_runs():
    from training.events import FINISHED, RunConfig
    from training.store import RunStore

    store = RunStore()
    for arch, accuracy in (("cnn", 0.99), ("dnn", 0.975)):
        run_id = store.start_run(RunConfig(task="mnist", arch=arch))
        store.finish_run(run_id, FINISHED, metrics={"accuracy": accuracy})
    app = open_page("views/lessons/comparison.py")
    lines = measured_lines(app)
    assert lines["CNN"].endswith("MNIST cnn: 99.00 % accuracy (best of 1 run)")
    assert lines["DNN"].endswith("MNIST dnn: 97.50 % accuracy (best of 1 run)")
    claims = app.dataframe[0].value
    verdict = claims.loc[claims["claim"].str.startswith("Flattening"), "verdict"].item()
    assert verdict == "holds"
    app.radio[0].set_value("traffic").run()
    assert not app.exception
    assert app.dataframe[1].value["parameters"].iloc[0] == 2484 * 64 + 64
