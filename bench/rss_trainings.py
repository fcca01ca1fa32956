"""Server memory over consecutive trainings: start `streamlit run dashboard.py`, train quick
models one after the other on the MNIST task page in headless Chromium (one learner, like a
class demo), and record the server's resident memory (VmRSS) after each training.

    DLLAB_DATA_MIRROR=/work/shared/datasets python -m bench.rss_trainings [--trainings 10] [--quick]
        [--in-process]

Needs Debian's /usr/bin/chromium and Playwright. `--quick` uses the tiny test datasets.
`--in-process` drives the job layer (training.jobs) directly in this process instead, without
Streamlit, to tell the app's share of the memory from Keras' and the data's.
"""

from __future__ import annotations

import os
import signal
import tempfile
import time
from pathlib import Path

from bench.common import parser, write_results
from bench.startup import CHROMIUM, CHROMIUM_FLAGS, free_port, rss_mb, start_server, wait_for_heading

ARCHS = ["dnn", "cnn"]  # alternated, so consecutive trainings build different models


def finished_runs(home: str) -> int:
    from training.store import RunStore

    return len(RunStore(Path(home) / "runs.sqlite").list_runs(task="mnist"))


def train_once(page, base: str, arch: str, home: str, done_before: int, timeout: float = 600) -> float:
    page.goto(f"{base}/train-mnist?archs={arch}&epochs=1&quick=1")
    started = time.monotonic()
    page.get_by_role("button", name="Train", exact=True).click()
    while finished_runs(home) <= done_before:
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"training {arch} did not finish in {timeout} s")
        time.sleep(0.5)
    page.get_by_role("heading", name="Where each model goes wrong").wait_for(timeout=120_000)
    return time.monotonic() - started


def in_process(trainings: int) -> list[dict]:
    from training.events import RunConfig
    from training.gate import TrainingGate
    from training.jobs import Job

    gate, kept, rows = TrainingGate(1), [], [{"training": 0, "arch": "", "seconds": 0.0,
                                              "rss_mb": round(rss_mb(os.getpid()), 1)}]
    for number in range(1, trainings + 1):
        arch = ARCHS[(number - 1) % len(ARCHS)]
        started = time.monotonic()
        job = Job([RunConfig("mnist", arch, epochs=1, quick=True)], gate).start()
        if not job.wait(600) or job.runs[0].status != "finished":
            raise RuntimeError(f"training {arch} did not finish: {job.runs[0].message}")
        kept.append(job.runs[0])  # what a session keeps: the run's history and test predictions
        rows.append({"training": number, "arch": arch, "seconds": round(time.monotonic() - started, 1),
                     "rss_mb": round(rss_mb(os.getpid()), 1)})
        print(rows[-1], flush=True)
    return rows


def main() -> None:
    arguments = parser("Server RSS over consecutive quick trainings on the MNIST task page.")
    arguments.add_argument("--trainings", type=int, default=10)
    arguments.add_argument("--in-process", action="store_true",
                           help="drive training.jobs in this process instead of the app in a browser")
    options = arguments.parse_args()

    with tempfile.TemporaryDirectory() as home:
        if options.quick:
            from data.tiny import write_tiny_mirror

            os.environ["DLLAB_DATA_MIRROR"] = str(write_tiny_mirror(Path(home) / "mirror"))
        if options.in_process:
            os.environ["DLLAB_HOME"] = home
            rows = in_process(options.trainings)
            write_results(options, "rss_trainings_in_process", rows,
                          {"setup": "training.jobs in one process, no Streamlit: MNIST quick recipe, 1 epoch, "
                                    "DNN and CNN alternated, every finished run kept as a session would"})
            return
        from playwright.sync_api import sync_playwright

        port = free_port()
        server = start_server(port, home)
        rows = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                base = f"http://127.0.0.1:{port}"
                wait_for_heading(page, f"{base}/train-mnist", "Train: MNIST digits", time.monotonic() + 120)
                time.sleep(2.0)
                rows.append({"training": 0, "arch": "", "seconds": 0.0, "rss_mb": round(rss_mb(server.pid), 1)})
                print(rows[-1], flush=True)
                for number in range(1, options.trainings + 1):
                    arch = ARCHS[(number - 1) % len(ARCHS)]
                    seconds = train_once(page, base, arch, home, number - 1)
                    time.sleep(2.0)  # let the engine's clear_session and the GC settle
                    rows.append({"training": number, "arch": arch, "seconds": round(seconds, 1),
                                 "rss_mb": round(rss_mb(server.pid), 1)})
                    print(rows[-1], flush=True)
                browser.close()
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    growth = rows[-1]["rss_mb"] - rows[2]["rss_mb"] if len(rows) > 2 else 0.0
    write_results(options, "rss_trainings", rows,
                  {"setup": "MNIST task page, quick recipe (10,000 training digits), 1 epoch, DNN and CNN "
                            "alternated, one browser session",
                   "growth_after_second_training_mb": round(growth, 1)})


if __name__ == "__main__":
    main()
