"""End to end in a real browser: `streamlit run dashboard.py` on 127.0.0.1 with the tiny fixture
mirror, driven by Playwright with Debian's /usr/bin/chromium (never a downloaded browser).

AppTest reads chart specs but never draws them; only a browser shows a spec that Vega-Lite cannot
compile. So this test opens every lesson with a demo and presses the buttons that draw its charts,
failing on any page error, console error, failed request to the app, Streamlit exception or chart
left blank. tests/test_browser_zh.py opens every page of the catalog in Chinese and
tests/test_browser_tasks.py trains on the task pages; each module is its own unit for pytest-xdist,
so they run side by side. Screenshots go to test-artifacts/ (gitignored), to look at by eye.
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
    """Open `url` once the server accepts connections. The browser is not used to poll: a refused
    navigation fires `requestfailed`, which Problems would report as the app's (on a loaded CI
    machine the server can take longer to start than the browser)."""
    address = urlparse(url)
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection((address.hostname, address.port), timeout=1).close()
            break
        except OSError:  # not listening yet
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    page.goto(url, timeout=30_000)


def screenshot(page, path: Path) -> None:
    """The whole page: Streamlit scrolls inside its main block, so grow the window to fit it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight || 1000")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 100, 12_000)})
    page.wait_for_timeout(300)  # let the charts re-layout
    page.screenshot(path=str(path), type="jpeg", quality=80)  # a tall page encodes faster than as PNG
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


def walk_every_page(server: str, folder: str, visit, *, language: str = "en", only: set[str] | None = None) -> str:
    """Open every page of the catalog (or those of `only`) in its order in `language`, call
    `visit(page, info, problems)` on it, screenshot it into test-artifacts/`folder`; the problems
    found, as a report."""
    pages = [page for section in SECTIONS.values() for page in section if only is None or page.url_path in only]
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
                screenshot(page, ARTIFACTS / folder / f"{info.url_path}.jpg")
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


def test_every_lesson_demo_draws_its_charts_without_errors(server):
    """The lessons with a demo, in the catalog's order, their buttons pressed. Every page, demos
    not pressed, is drawn in Chinese by tests/test_browser_zh.py (the same charts, translated)."""
    assert set(DEMOS) | DRAWN_WITHOUT_BUTTON <= {page.url_path for section in SECTIONS.values() for page in section}
    report = walk_every_page(server, "pages", press_the_demos, only=set(DEMOS) | DRAWN_WITHOUT_BUTTON)
    assert not report, "in the browser:\n" + report
