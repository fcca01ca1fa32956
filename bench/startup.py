"""Start-up: seconds from `streamlit run dashboard.py` to the home page (and then a lesson page)
rendered in headless Chromium, and the server's resident memory when idle.

    python -m bench.startup [--quick] [--repeats N]
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import mean_std, parser, write_results

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def start_server(port: int, home: str) -> subprocess.Popen:
    environment = {**os.environ, "DLLAB_HOME": home}
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
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


def measure_once(browser, lesson_path: str, lesson_title: str) -> dict:
    port = free_port()
    with tempfile.TemporaryDirectory() as home:
        page = browser.new_page()
        started = time.monotonic()
        server = start_server(port, home)
        try:
            wait_for_heading(page, f"http://127.0.0.1:{port}/", "Deep Learning Lab", started + 90)
            home_seconds = time.monotonic() - started
            clicked = time.monotonic()
            wait_for_heading(page, f"http://127.0.0.1:{port}/{lesson_path}", lesson_title, clicked + 60)
            lesson_seconds = time.monotonic() - clicked
            time.sleep(1.0)
            idle_rss = rss_mb(server.pid)
        finally:
            page.close()
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    return {"home_seconds": round(home_seconds, 2), "lesson_seconds": round(lesson_seconds, 2),
            "idle_rss_mb": round(idle_rss, 1)}


def main() -> None:
    arguments = parser(__doc__)
    arguments.add_argument("--repeats", type=int, default=None)
    options = arguments.parse_args()
    repeats = options.repeats or (1 if options.quick else 5)
    from playwright.sync_api import sync_playwright

    from views.catalog import LESSONS

    lesson = next((page for page in LESSONS[1:] if page.exists), None)
    if lesson is None:
        raise SystemExit("no lesson page exists yet")
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for repeat in range(repeats):
            row = {"repeat": repeat, "lesson": lesson.url_path,
                   **measure_once(browser, lesson.url_path, lesson.title.split(". ", 1)[-1])}
            print(row, file=sys.stderr)
            rows.append(row)
        browser.close()
    keys = ("home_seconds", "lesson_seconds", "idle_rss_mb")
    summary = {key: mean_std([row[key] for row in rows]) for key in keys}
    write_results(options, "startup", rows,
                  {"summary": {key: {"mean": mean, "std": std} for key, (mean, std) in summary.items()}})


if __name__ == "__main__":
    main()
