"""In a real browser, like tests/test_browser.py (same server, checks and screenshots): train a quick
model on each task page and compare the runs, draw a digit on the canvas (a custom component
AppTest cannot drive) and upload a learner's own data."""

from __future__ import annotations

import pytest

from tests.test_browser import (  # noqa: F401 - server is a fixture
    ARTIFACTS,
    CHROMIUM,
    TRAINING_SECONDS,
    Problems,
    check_charts,
    launch,
    open_page,
    open_when_up,
    screenshot,
    server,
)

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")]

# task page, shared-link query string, an element only the results draw
TASK_PAGES = [
    ("train-mnist", "archs=dnn,cnn&epochs=1&batch=64&quick=1", "Where each model goes wrong"),
    # "Try your own review" is drawn during the training too (it offers stored models): not a marker
    ("train-sentiment", "archs=bag_of_embeddings&epochs=1&batch=16&quick=1", "Example test reviews"),
    ("train-traffic", "archs=dnn&epochs=1&quick=1", "Forecast against the measured speed"),
]


def test_train_each_task_page_in_a_browser_and_compare(server):  # noqa: F811 - the fixture
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        problems = Problems(page, server)
        try:
            open_when_up(page, server)
            page.get_by_role("heading", name="Deep Learning Lab").first.wait_for(timeout=60_000)
            for path, query, marker in TASK_PAGES:
                problems.where = path
                page.goto(f"{server}/{path}?{query}")
                train = page.get_by_role("button", name="Train", exact=True)
                train.wait_for(timeout=60_000)
                train.click()
                try:  # the marker is drawn only for finished runs, so it waits for the training
                    page.get_by_role("heading", name=marker).wait_for(timeout=TRAINING_SECONDS * 1000)
                except Exception:
                    screenshot(page, ARTIFACTS / "tasks" / f"{path}-failed.jpg")
                    raise
                assert page.get_by_role("heading", name="Side by side").count() == 1
                page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=30_000)
                check_charts(page, problems)
                screenshot(page, ARTIFACTS / "tasks" / f"{path}.jpg")

            open_page(page, server, "compare", problems)
            page.get_by_role("heading", name="Compare runs").wait_for(timeout=60_000)
            page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=60_000)
            page.get_by_text("Export CSV").wait_for(timeout=30_000)
            check_charts(page, problems)
            screenshot(page, ARTIFACTS / "tasks" / "compare.jpg")
        finally:
            browser.close()
    assert not problems.report(), "in the browser:\n" + problems.report()


def test_draw_a_digit_on_the_canvas_and_a_stored_model_reads_it(server):  # noqa: F811 - the fixture
    """The canvas is a custom component AppTest cannot drive: draw a 7 with the mouse here."""
    from tests.test_engine import TINY_DNN
    from training.datasets import prepare
    from training.engine import train
    from training.events import RunConfig

    train(RunConfig(task="mnist", arch="dnn", epochs=1, batch_size=50, hyperparameters=TINY_DNN),
          data=prepare("mnist", limit=200))  # stored in the server's DLLAB_HOME
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            open_when_up(page, f"{server}/train-mnist")
            page.get_by_role("heading", name="Draw a digit").wait_for(timeout=90_000)
            canvas = page.frame_locator("iframe").locator("canvas").last if page.locator("iframe").count() \
                else page.locator(".canvas-root canvas").last
            canvas.wait_for(timeout=60_000)
            canvas.scroll_into_view_if_needed()
            box = canvas.bounding_box()
            page.mouse.move(box["x"] + 70, box["y"] + 60)
            page.mouse.down()
            for x, y in ((210, 60), (140, 230)):  # the bar and the stem of a 7
                page.mouse.move(box["x"] + x, box["y"] + y, steps=15)
            page.mouse.up()
            page.get_by_text("Centred by mass").wait_for(timeout=60_000)
            page.get_by_role("heading", name="Draw a digit").scroll_into_view_if_needed()
            page.locator('[data-testid="stVegaLiteChart"]').last.wait_for(timeout=60_000)
            assert page.locator('[data-testid="stException"]').count() == 0
            screenshot(page, ARTIFACTS / "tasks" / "draw-a-digit.jpg")
        finally:
            browser.close()


def test_own_data_upload_refuses_a_bad_file_and_keeps_a_good_one(server, tmp_path):  # noqa: F811 - the fixture
    from data.tiny import write_own_traffic

    folder = write_own_traffic(tmp_path / "city")
    bad = tmp_path / "bad" / "speeds.csv"
    bad.parent.mkdir()
    bad.write_text((folder / "speeds.csv").read_text().replace("\n5", "\n-5", 1))
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            open_when_up(page, f"{server}/train-own-data")
            page.get_by_role("heading", name="Train: your own data").wait_for(timeout=90_000)
            inputs = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
            inputs.nth(0).set_input_files(str(bad))
            inputs.nth(1).set_input_files(str(folder / "adjacency.csv"))
            page.get_by_role("button", name="Check and keep").click()
            page.get_by_text("is negative").wait_for(timeout=60_000)
            screenshot(page, ARTIFACTS / "tasks" / "own-data-refused.jpg")
            inputs.nth(0).set_input_files(str(folder / "speeds.csv"))
            page.get_by_role("button", name="Check and keep").click()
            page.get_by_text("Accepted and kept").wait_for(timeout=60_000)
            page.get_by_role("heading", name="Your datasets").wait_for(timeout=30_000)
            assert page.locator('[data-testid="stException"]').count() == 0
            screenshot(page, ARTIFACTS / "tasks" / "own-data-accepted.jpg")
        finally:
            browser.close()
