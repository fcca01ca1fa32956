"""Start-up against Streamlit's own `streamlit hello`, measured alternately in one run, in headless
Chromium: seconds from starting the server to the home page's title rendered (cold), then the
same page loaded again (second load, the browser's cache warm, as for a returning learner), and
the server's resident memory when idle. The dashboard then loads a lesson page too.

Each round starts both apps, in alternating order (dashboard first, then hello first), each on a
fresh server, port and browser context, so a slow moment of a shared machine falls on both. The
second load is the median of three, each in a new tab after the previous one closed (a reload).
The result is the ratio of the medians, dashboard / hello (target <= 1.1).

    python -m bench.startup [--quick] [--repeats N]
"""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import parser, write_results

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DASHBOARD, HELLO = "dashboard", "streamlit hello"
APPS = {DASHBOARD: (["run", "dashboard.py"], "Deep Learning Lab"),
        HELLO: (["hello"], "Welcome to Streamlit")}  # command, text of the home page's h1
TARGET_RATIO = 1.1
SECOND_LOADS = 3  # a sub-second load on a busy machine is noisy: each round keeps the median of three
MEASURES = ("cold_seconds", "second_load_seconds")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def start_server(port: int, home: str, app: str = DASHBOARD) -> subprocess.Popen:
    environment = {**os.environ, "DLLAB_HOME": home}
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", *APPS[app][0], "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def wait_for_heading(page, url: str, text: str, deadline: float) -> None:
    """Load `url` until the server answers, then wait for the page's h1 to contain `text`."""
    while True:
        try:
            page.goto(url, timeout=5_000)
            break
        except Exception:  # the server is not listening yet
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    page.locator("h1", has_text=text).first.wait_for(timeout=max(1_000, (deadline - time.monotonic()) * 1000))


def measure_app(browser, app: str, lesson=None) -> dict:
    """One cold start and one second load of `app`; for the dashboard, then `lesson` (a catalog page)."""
    port, heading = free_port(), APPS[app][1]
    url = f"http://127.0.0.1:{port}/"
    row = {"app": app}
    with tempfile.TemporaryDirectory() as home:
        context = browser.new_context()  # its own cache: the cold load downloads the front end
        started = time.monotonic()
        server = start_server(port, home, app)
        try:
            page = context.new_page()
            wait_for_heading(page, url, heading, started + 90)
            row["cold_seconds"] = round(time.monotonic() - started, 3)
            page.close()  # as a reload would: the first session ends
            loads = []
            for _ in range(SECOND_LOADS):
                page, again = context.new_page(), time.monotonic()
                wait_for_heading(page, url, heading, again + 60)
                loads.append(round(time.monotonic() - again, 3))
                page.close()
            row["second_load_seconds"], row["second_loads"] = statistics.median(loads), loads
            if lesson is not None:
                clicked = time.monotonic()
                wait_for_heading(context.new_page(), url + lesson.url_path, lesson.title.split(". ", 1)[-1],
                                 clicked + 60)
                row["lesson_seconds"] = round(time.monotonic() - clicked, 3)
            time.sleep(1.0)
            row["idle_rss_mb"] = round(rss_mb(server.pid), 1)
        finally:
            context.close()
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    return row


def summarize(rows: list[dict]) -> dict:
    """Medians per app and the ratios dashboard / hello: of the medians, and the median of the
    ratios within each round (paired, so a slow moment of the machine cancels out)."""
    summary = {}
    for app in APPS:
        mine = [row for row in rows if row["app"] == app]
        summary[app] = {key: statistics.median(row[key] for row in mine)
                        for key in (*MEASURES, "lesson_seconds", "idle_rss_mb") if mine and key in mine[0]}
    ratios = {}
    for key in MEASURES:
        if not (summary[DASHBOARD] and summary[HELLO]):
            continue
        paired = [dashboard[key] / hello[key] for dashboard, hello in zip(
            (row for row in rows if row["app"] == DASHBOARD), (row for row in rows if row["app"] == HELLO))]
        of_medians = summary[DASHBOARD][key] / summary[HELLO][key]
        ratios[key] = {"of_medians": round(of_medians, 3), "median_paired": round(statistics.median(paired), 3),
                       "met": of_medians <= TARGET_RATIO}
    return {"medians": summary, "ratio_dashboard_to_hello": ratios, "target_ratio": TARGET_RATIO}


def main() -> None:
    arguments = parser(__doc__)
    arguments.add_argument("--repeats", type=int, default=None, help="rounds, each starting both apps")
    options = arguments.parse_args()
    repeats = options.repeats or (1 if options.quick else 6)
    from playwright.sync_api import sync_playwright

    from ui.catalog import LESSONS

    lesson = next((page for page in LESSONS[1:] if page.exists), None)
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for round_index in range(repeats):
            order = [DASHBOARD, HELLO] if round_index % 2 == 0 else [HELLO, DASHBOARD]
            for app in order:
                row = {"round": round_index, **measure_app(browser, app, lesson if app == DASHBOARD else None)}
                print(row, file=sys.stderr, flush=True)
                rows.append(row)
        browser.close()
    summary = summarize(rows)
    print(summary, file=sys.stderr)
    write_results(options, "startup", rows, {
        "setup": "alternating rounds (ABBA) of a fresh server per app; cold = server start to the home "
                 f"page's h1 in a new browser context, second load = the median of {SECOND_LOADS} loads of the "
                 "same page, each in a new tab after the previous one closed",
        **summary})


if __name__ == "__main__":
    main()
