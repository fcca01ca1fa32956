"""Open a page of the app in AppTest the way a user reaches it: through dashboard.py's navigation
(pages that link to other pages with st.page_link only work inside the navigation)."""

from __future__ import annotations

import time

from streamlit.testing.v1 import AppTest

from ui.catalog import ROOT


def open_page(script: str, timeout: float = 60) -> AppTest:
    """Run dashboard.py, switch to `script` (relative to the repo root) and fail on any exception."""
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=timeout)
    app.run()
    if script != "views/home.py":
        app.switch_page(script)
        app.run()
    if app.exception:
        raise AssertionError(f"{script} raised: {[item.value for item in app.exception]}")
    return app


def demo_running(app: AppTest) -> bool:
    """True while a lesson demo's worker runs: its status shows a Stop button (ui.lesson_training)."""
    return any(button.key and button.key.endswith("-stop") for button in app.button)


def wait_for_demos(app: AppTest, timeout: float = 300) -> AppTest:
    """Rerun the page until no lesson demo is running. AppTest does not rerun `run_every` fragments
    by itself, and the worker needs seconds to import TensorFlow, so poll like the browser does."""
    deadline = time.monotonic() + timeout
    while True:
        if app.exception:  # also while it runs: the page draws the demo's progress
            raise AssertionError(f"the page raised: {[item.value for item in app.exception]}")
        if not demo_running(app):
            return app
        if time.monotonic() > deadline:
            raise AssertionError(f"the lesson demo was still running after {timeout:g} s")
        time.sleep(0.5)
        app.run()
