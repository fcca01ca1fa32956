"""End to end in a real browser: `streamlit run dashboard.py` on 127.0.0.1, driven by Playwright
with Debian's /usr/bin/chromium (never a downloaded browser). Trains a quick model on each task
page from a shared link, checks that the comparison renders, and saves screenshots to
test-artifacts/."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from views.catalog import ROOT

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
TRAINING_SECONDS = 240

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")]

# task page, shared-link query string, an element only the results draw
PAGES = [
    ("train-mnist", "archs=dnn,cnn&epochs=1&batch=64&quick=1", "Where each model goes wrong"),
    ("train-sentiment", "archs=bag_of_embeddings&epochs=1&batch=16&quick=1", "Try your own review"),
    ("train-traffic", "archs=dnn&epochs=1&quick=1", "Forecast against the measured speed"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server(tiny_mirror, isolated_home):
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / "server.log", "w", encoding="utf-8")  # noqa: SIM115 - closed below
    environment = {**os.environ, "DLLAB_HOME": str(isolated_home), "DLLAB_DATA_MIRROR": str(tiny_mirror),
                   "TF_CPP_MIN_LOG_LEVEL": "2"}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def open_when_up(page, url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            page.goto(url, timeout=10_000)
            return
        except Exception:  # noqa: BLE001 - the server is not listening yet
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def screenshot(page, path: Path) -> None:
    """The whole page: Streamlit scrolls inside its main block, so grow the window to fit it."""
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight || 1000")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 100, 12_000)})
    page.wait_for_timeout(1_000)  # let the charts re-layout
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1400, "height": 1000})


def test_train_each_task_page_in_a_browser_and_compare(server):
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            open_when_up(page, server)
            page.get_by_role("heading", name="Deep Learning Lab").first.wait_for(timeout=60_000)
            for path, query, marker in PAGES:
                page.goto(f"{server}/{path}?{query}")
                train = page.get_by_role("button", name="Train", exact=True)
                train.wait_for(timeout=60_000)
                train.click()
                try:  # the marker is drawn only for finished runs, so it waits for the training
                    page.get_by_role("heading", name=marker).wait_for(timeout=TRAINING_SECONDS * 1000)
                except Exception:
                    page.screenshot(path=str(ARTIFACTS / f"{path}-failed.png"), full_page=True)
                    raise
                assert page.get_by_role("heading", name="Side by side").count() == 1
                page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=30_000)
                page.locator('[data-testid="stVegaLiteChart"]').nth(1).wait_for(timeout=30_000)
                assert page.locator('[data-testid="stException"]').count() == 0
                screenshot(page, ARTIFACTS / f"{path}.png")

            page.goto(f"{server}/compare")
            page.get_by_role("heading", name="Compare runs").wait_for(timeout=60_000)
            page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=60_000)
            page.get_by_text("Export CSV").wait_for(timeout=30_000)
            screenshot(page, ARTIFACTS / "compare.png")
        finally:
            browser.close()


def test_draw_a_digit_on_the_canvas_and_a_stored_model_reads_it(server):
    """The canvas is a custom component AppTest cannot drive: draw a 7 with the mouse here."""
    from tests.test_engine import TINY_DNN
    from training.datasets import prepare
    from training.engine import train
    from training.events import RunConfig

    train(RunConfig(task="mnist", arch="dnn", epochs=1, batch_size=50, hyperparameters=TINY_DNN),
          data=prepare("mnist", limit=200))  # stored in the server's DLLAB_HOME
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
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
            screenshot(page, ARTIFACTS / "draw-a-digit.png")
        finally:
            browser.close()


def test_own_data_upload_refuses_a_bad_file_and_keeps_a_good_one(server, tmp_path):
    from tests.fixtures_data import write_own_traffic

    folder = write_own_traffic(tmp_path / "city")
    bad = tmp_path / "bad" / "speeds.csv"
    bad.parent.mkdir()
    bad.write_text((folder / "speeds.csv").read_text().replace("\n5", "\n-5", 1))
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            open_when_up(page, f"{server}/train-own-data")
            page.get_by_role("heading", name="Train: your own data").wait_for(timeout=90_000)
            inputs = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
            inputs.nth(0).set_input_files(str(bad))
            inputs.nth(1).set_input_files(str(folder / "adjacency.csv"))
            page.get_by_role("button", name="Check and keep").click()
            page.get_by_text("is negative").wait_for(timeout=60_000)
            screenshot(page, ARTIFACTS / "own-data-refused.png")
            inputs.nth(0).set_input_files(str(folder / "speeds.csv"))
            page.get_by_role("button", name="Check and keep").click()
            page.get_by_text("Accepted and kept").wait_for(timeout=60_000)
            page.get_by_role("heading", name="Your datasets").wait_for(timeout=30_000)
            assert page.locator('[data-testid="stException"]').count() == 0
            screenshot(page, ARTIFACTS / "own-data-accepted.png")
        finally:
            browser.close()
