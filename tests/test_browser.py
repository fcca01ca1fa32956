"""End to end in a real browser: `streamlit run dashboard.py` on 127.0.0.1 with the tiny fixture
mirror, driven by Playwright with Debian's /usr/bin/chromium (never a downloaded browser).

AppTest reads chart specs but never draws them; only a browser shows a spec that Vega-Lite cannot
compile. So these tests open every page of the catalog, press the lesson demos that draw charts
after a button, and train a quick model on each task page, failing on any page error, console
error, failed request to the app, Streamlit exception or chart left blank. Screenshots of every
page go to test-artifacts/ (gitignored), to look at by eye.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse

import pytest

from ui.catalog import HOME, ROOT, SECTIONS

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
TRAINING_SECONDS = 240  # generous: two busy cores, and a worker process loads TensorFlow first
RENDER_SECONDS = 30

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")]

# Every kind of chart the app draws, and the element inside it that exists only once it is drawn
# (Vega draws its marks into a canvas or svg of class "marks"; an image must have loaded).
DRAWN = {
    "stVegaLiteChart": "canvas.marks, svg.marks",
    "stArrowVegaLiteChart": "canvas.marks, svg.marks",
    "stGraphVizChart": "svg",
    "stPlotlyChart": "svg.main-svg",
    "stDeckGlJsonChart": "canvas",
    "stImage": "img",
}
CHARTS = ", ".join(f'[data-testid="{kind}"]' for kind in DRAWN)

# The page's drawing state: the displayed charts, those not drawn (no marks, a zero-size drawing or
# an image that did not load) described, and the elements still loading (Streamlit shows a skeleton
# until an element's code has loaded, and keeps a previous run's elements marked stale). Charts in a
# closed expander or another tab are not displayed and not counted.
PAGE_STATE_JS = """([selector, drawn]) => {
    const displayed = element => element.getClientRects().length > 0;
    const loading = [...document.querySelectorAll('[data-testid="stSkeleton"], [data-stale="true"]')]
        .filter(displayed).length;
    const shown = [...document.querySelectorAll(selector)].filter(displayed);
    const blank = [];
    shown.forEach((chart, index) => {
        const kind = chart.dataset.testid;
        const parts = [...chart.querySelectorAll(drawn[kind])];
        const ok = parts.some(part => {
            const box = part.getBoundingClientRect();
            const loaded = part.tagName !== 'IMG' || (part.complete && part.naturalWidth > 0);
            return loaded && box.width > 0 && box.height > 0;
        });
        if (!ok) {
            const above = [...document.querySelectorAll('h1, h2, h3')].filter(
                heading => heading.compareDocumentPosition(chart) & Node.DOCUMENT_POSITION_FOLLOWING);
            const why = parts.length ? 'zero size or not loaded' : 'nothing drawn';
            blank.push(`${kind} #${index} (${why}) under "${above.at(-1)?.innerText ?? ''}"`);
        }
    });
    return {shown: shown.length, blank, loading};
}"""
READY_JS = f"argument => {{ const state = ({PAGE_STATE_JS})(argument); return !state.loading && !state.blank.length; }}"

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'

# Lesson demos that run only after a button, most of them in a worker process: the buttons pressed,
# one after the other; each must add charts, tables or a check's verdict to the page. The MNIST CNN
# of lessons 10 and 19 is trained once per server, so lesson 19, opened after lesson 10 in the
# catalog's order, draws its attacks without a button.
DEMOS = {
    "lesson-neuron": ["Train the three models"],
    "lesson-backprop": ["Run the experiment"],
    "lesson-why-deep": ["Train both"],
    "lesson-overfitting": ["Train with and without dropout"],
    "lesson-tf1-to-keras": ["Run them"],
    "lesson-cnn-features": ["Train the model", "Climb the gradient (60 steps)"],
    "lesson-rnn": ["Train both taggers (a few seconds)"],
    "lesson-lstm-gru": ["Check against keras.layers.LSTM", "Check against keras.layers.GRU"],
    "lesson-embeddings": ["Train the skip-gram network (a few seconds)"],
    "lesson-autoencoders": ["Train (about 10 s)"],
    "lesson-gans": ["Train live"],
}
DRAWN_WITHOUT_BUTTON = {"lesson-limits"}  # after lesson 10's demo

# task page, shared-link query string, an element only the results draw
TASK_PAGES = [
    ("train-mnist", "archs=dnn,cnn&epochs=1&batch=64&quick=1", "Where each model goes wrong"),
    # "Try your own review" is drawn during the training too (it offers stored models): not a marker
    ("train-sentiment", "archs=bag_of_embeddings&epochs=1&batch=16&quick=1", "Example test reviews"),
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
    log = open(ARTIFACTS / "server.log", "a", encoding="utf-8")  # noqa: SIM115 - closed below
    environment = {**os.environ, "DLLAB_HOME": str(isolated_home), "DLLAB_DATA_MIRROR": str(tiny_mirror),
                   "TF_CPP_MIN_LOG_LEVEL": "2"}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--client.showErrorDetails", "full"],  # the exception's message in the report, not just its type
        cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


class Problems:
    """Everything that went wrong in the browser, by page: page errors (uncaught exceptions, such as
    a chart spec Vega-Lite cannot compile), console errors, failed requests to the app."""

    def __init__(self, page, server: str):
        self.found: dict[str, list[str]] = defaultdict(list)
        self.where = "start"
        self.origin = server
        page.on("pageerror", lambda error: self.add(f"page error: {error}"))
        page.on("console", self._console)
        page.on("response", self._response)
        page.on("requestfailed", self._request_failed)

    def add(self, problem: str) -> None:
        if problem not in self.found[self.where]:
            self.found[self.where].append(problem)

    def _console(self, message) -> None:
        # "Failed to load resource" repeats a request failure, judged by URL below.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.add(f"console error: {message.text[:500]}")

    def _response(self, response) -> None:
        path = urlparse(response.url).path
        # Opened at /some-page, Streamlit's client first looks for its server under that path.
        probing = path.endswith(("/_stcore/health", "/_stcore/host-config")) and not path.startswith("/_stcore/")
        if response.url.startswith(self.origin) and response.status >= 400 and not probing:
            self.add(f"HTTP {response.status} for {response.url}")

    def _request_failed(self, request) -> None:
        # Requests elsewhere (the page icon from Google's font server) fail on an offline machine;
        # a request aborted by leaving the page is not an error.
        if request.url.startswith(self.origin) and "ERR_ABORTED" not in (request.failure or ""):
            self.add(f"request failed: {request.url} ({request.failure})")

    def report(self) -> str:
        return "\n".join(f"{where}:\n  " + "\n  ".join(items) for where, items in self.found.items() if items)


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
    path.parent.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight || 1000")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 100, 12_000)})
    page.wait_for_timeout(1_000)  # let the charts re-layout
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1400, "height": 1000})


def open_page(page, server: str, url_path: str, problems: Problems, language: str = "en") -> None:
    problems.where = url_path
    page.goto(f"{server}/{'' if url_path == HOME.url_path else url_path}?lang={language}")
    page.locator(IDLE).wait_for(timeout=120_000)


def exceptions(page) -> list[str]:
    """The Streamlit exceptions shown, each as its first line (type and message)."""
    return [text.strip().splitlines()[0] for text in page.locator('[data-testid="stException"]').all_inner_texts()]


def check_charts(page, problems: Problems) -> int:
    """Open every expander and tab, wait for the displayed charts to be drawn, record the blank
    ones and any Streamlit exception; the number of charts drawn."""
    page.evaluate("""() => document.querySelectorAll('[data-testid="stExpander"] details:not([open]) > summary')
                     .forEach(summary => summary.click())""")
    tabs = page.get_by_role("tab")
    drawn = 0
    for index in range(max(tabs.count(), 1)):
        if tabs.count():
            tabs.nth(index).click()
        try:
            page.wait_for_function(READY_JS, arg=[CHARTS, DRAWN], polling=250, timeout=RENDER_SECONDS * 1000)
        except sync_api.TimeoutError:
            pass  # described below
        state = page.evaluate(PAGE_STATE_JS, [CHARTS, DRAWN])
        for blank in state["blank"]:
            problems.add(f"chart not drawn: {blank}")
        if state["loading"]:
            problems.add(f"{state['loading']} elements still loading after {RENDER_SECONDS} s")
        drawn += state["shown"] - len(state["blank"])
    for exception in exceptions(page):
        problems.add(f"Streamlit exception: {exception}")
    return drawn


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                      args=["--no-sandbox", "--disable-gpu"])


# What a demo adds besides charts: tables, metrics and a check's verdict.
RESULTS = ", ".join(f'[data-testid="{kind}"]' for kind in ("stDataFrame", "stTable", "stMetric",
                                                             "stAlertContentSuccess"))


def count_results(page) -> int:
    """Charts drawn plus the other results shown."""
    state = page.evaluate(PAGE_STATE_JS, [CHARTS, DRAWN])
    others = page.evaluate("selector => [...document.querySelectorAll(selector)]"
                           ".filter(element => element.getClientRects().length > 0).length", RESULTS)
    return state["shown"] - len(state["blank"]) + others


def errors_shown(page) -> int:
    return page.locator('[data-testid="stAlertContentError"], [data-testid="stException"]').count()


def run_demo(page, button: str, problems: Problems) -> None:
    """Press `button`, then wait until the demo is over: the script idle, no Stop button or spinner
    (a demo training in a worker shows both while it runs) and more results shown than before."""
    before, errors_before = count_results(page), errors_shown(page)
    target = page.get_by_role("button", name=button, exact=True)
    try:
        target.wait_for(timeout=30_000)
    except sync_api.TimeoutError:
        problems.add(f"no button {button!r}")
        return
    target.click()
    deadline = time.monotonic() + TRAINING_SECONDS
    while time.monotonic() < deadline:
        page.wait_for_timeout(500)
        if errors_shown(page) > errors_before or exceptions(page):
            page.wait_for_timeout(1_000)  # let the message finish drawing
            messages = page.locator('[data-testid="stAlertContentError"]').all_inner_texts() + exceptions(page)
            problems.add(f"after pressing {button!r}: " + " | ".join(text.splitlines()[0] for text in messages))
            return
        busy = (page.locator(IDLE).count() == 0 or page.locator('[data-testid="stSpinner"]').count() > 0
                or page.get_by_role("button", name="Stop", exact=True).count() > 0)
        if not busy and count_results(page) > before:
            return
    problems.add(f"pressing {button!r} showed no new result within {TRAINING_SECONDS} s")


def walk_every_page(server: str, folder: str, visit, *, language: str = "en") -> str:
    """Open every page of the catalog in its order in `language`, call `visit(page, info, problems)`
    on it, screenshot it into test-artifacts/`folder`; the problems found, as a report."""
    pages = [page for section in SECTIONS.values() for page in section]
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1000},
                                locale="zh-CN" if language == "zh" else "en-US")
        problems = Problems(page, server)
        try:
            open_when_up(page, server)
            page.locator(IDLE).wait_for(timeout=120_000)
            timings = []
            for info in pages:
                started = time.monotonic()
                open_page(page, server, info.url_path, problems, language)
                visit(page, info, problems)
                screenshot(page, ARTIFACTS / folder / f"{info.url_path}.png")
                timings.append(f"{time.monotonic() - started:6.1f} s  {info.url_path}")
            (ARTIFACTS / folder / "timings.txt").write_text("\n".join(timings) + "\n")
        finally:
            browser.close()
    return problems.report()


def press_the_demos(page, info, problems: Problems) -> None:
    drawn = check_charts(page, problems)
    for button in DEMOS.get(info.url_path, []) if not exceptions(page) else []:
        run_demo(page, button, problems)
        drawn = check_charts(page, problems)
    if info.url_path in DRAWN_WITHOUT_BUTTON and not drawn:
        problems.add("no chart drawn")


def test_every_page_and_lesson_demo_draws_its_charts_without_errors(server):
    """Every page of the catalog in its order; on a lesson with a demo, its buttons too."""
    assert set(DEMOS) | DRAWN_WITHOUT_BUTTON <= {page.url_path for section in SECTIONS.values() for page in section}
    report = walk_every_page(server, "pages", press_the_demos)
    assert not report, "in the browser:\n" + report


def test_train_each_task_page_in_a_browser_and_compare(server):
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
                    screenshot(page, ARTIFACTS / "tasks" / f"{path}-failed.png")
                    raise
                assert page.get_by_role("heading", name="Side by side").count() == 1
                page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=30_000)
                check_charts(page, problems)
                screenshot(page, ARTIFACTS / "tasks" / f"{path}.png")

            open_page(page, server, "compare", problems)
            page.get_by_role("heading", name="Compare runs").wait_for(timeout=60_000)
            page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=60_000)
            page.get_by_text("Export CSV").wait_for(timeout=30_000)
            check_charts(page, problems)
            screenshot(page, ARTIFACTS / "tasks" / "compare.png")
        finally:
            browser.close()
    assert not problems.report(), "in the browser:\n" + problems.report()


def test_draw_a_digit_on_the_canvas_and_a_stored_model_reads_it(server):
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
            screenshot(page, ARTIFACTS / "tasks" / "draw-a-digit.png")
        finally:
            browser.close()


def test_own_data_upload_refuses_a_bad_file_and_keeps_a_good_one(server, tmp_path):
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
            screenshot(page, ARTIFACTS / "tasks" / "own-data-refused.png")
            inputs.nth(0).set_input_files(str(folder / "speeds.csv"))
            page.get_by_role("button", name="Check and keep").click()
            page.get_by_text("Accepted and kept").wait_for(timeout=60_000)
            page.get_by_role("heading", name="Your datasets").wait_for(timeout=30_000)
            assert page.locator('[data-testid="stException"]').count() == 0
            screenshot(page, ARTIFACTS / "tasks" / "own-data-accepted.png")
        finally:
            browser.close()
