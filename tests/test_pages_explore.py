"""AppTests for the dashboard, the home page and the three data explorer pages."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.pages import open_page
from ui.catalog import SECTIONS


def run_page(script: str) -> AppTest:
    return open_page(script)


def test_dashboard_opens_on_home_and_lists_every_available_page(tiny_mirror):
    app = open_page("views/home.py")
    assert app.title[0].value == "Deep Learning Lab"
    linked = {link.proto.page.strip("/") for link in app.get("page_link")}
    expected = {page.url_path for section in ("Explore the data", "Train and compare", "Results")
                for page in SECTIONS[section]}
    assert expected <= linked, f"home does not link to {expected - linked}"

def test_mnist_explorer_shows_digits_counts_and_class_chart(tiny_mirror):
    app = run_page("views/explore/mnist.py")
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics == {"Training images": "275", "Validation images": "25", "Test images": "100"}
    assert len(app.get("image")) == 1
    assert len(app.get("vega_lite_chart")) == 1
    app.selectbox[0].select("7").run()
    assert not app.exception


def test_imdb_explorer_shows_reviews_and_length_histogram(tiny_mirror):
    app = run_page("views/explore/imdb.py")
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Test reviews"] == "80"
    reviews = [text.value for text in app.text]
    assert len(reviews) == 4 and all("<br" not in review for review in reviews)
    assert len(app.get("vega_lite_chart")) == 2


def test_traffic_explorer_shows_map_and_neighbour_series(tiny_mirror):
    app = run_page("views/explore/traffic.py")
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Sensors"] == "6" and metrics["Road-graph edges"] == "6"
    assert len(app.get("vega_lite_chart")) == 2
    app.selectbox[0].select(3).run()
    app.slider[0].set_value(2).run()
    assert not app.exception


def test_missing_dataset_shows_a_clear_error_instead_of_a_traceback(monkeypatch, tmp_path):
    monkeypatch.setenv("DLLAB_DATA_MIRROR", str(tmp_path / "empty-mirror"))
    monkeypatch.setattr("data.download.urllib.request.urlopen", lambda *a, **k: (_ for _ in ()).throw(
        OSError("network is unreachable")))
    app = run_page("views/explore/mnist.py")
    assert "could not be loaded" in app.error[0].value and "mnist/mnist.npz" in app.error[0].value
