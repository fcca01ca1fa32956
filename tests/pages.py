"""Open a page of the app in AppTest the way a user reaches it: through dashboard.py's navigation
(pages that link to other pages with st.page_link only work inside the navigation)."""

from __future__ import annotations

import json
import re
import time

from streamlit.testing.v1 import AppTest

from views.catalog import LESSONS, ROOT


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


# ---- reading a lesson page ---------------------------------------------------------------------------

TRAIN_TIMEOUT = 120  # seconds for a page run that trains on demand, on two shared cores
WORKER_WAIT = 300  # seconds: a spawned worker imports TensorFlow, on two shared cores


def rerun(changed) -> AppTest:
    """Rerun after a widget change (`widget.run()` reruns its app) and fail on any exception."""
    app = changed.run()
    assert not app.exception, [item.value for item in app.exception]
    return app


def metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def markdown_text(app: AppTest) -> str:
    return "\n".join(element.value for element in app.markdown)


def captions(app: AppTest) -> str:
    return "\n".join(element.value for element in app.caption)


def chart_specs(app: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in app.get("vega_lite_chart")]


def button(app: AppTest, label: str):
    return next(item for item in app.button if item.label == label)


def quiz_radios(app: AppTest) -> list:
    """The quiz's radios: ui.lesson.quiz keys them '<page key>-q<number>'."""
    return [radio for radio in app.radio if radio.key and re.fullmatch(r".+-q\d+", radio.key)]


def assert_lesson_parts(app: AppTest, script: str, lesson) -> None:
    """What every lesson page shows (ui.lesson): its title from the catalog, one radio per question of
    its lesson module, the notes checked when it has any, and the next steps."""
    assert app.title[0].value == next(page.title for page in LESSONS if page.script == script)
    assert len(quiz_radios(app)) == len(lesson.QUESTIONS)
    checked = any(expander.label.startswith("The course notes, checked") for expander in app.expander)
    assert checked == bool(lesson.CORRECTIONS)
    assert any(header.value == "Next" for header in app.subheader)


def wait_for_result(app: AppTest, shown: str) -> None:
    """Wait for the page's worker (wait_for_demos), then check the demo finished well and shows `shown`."""
    wait_for_demos(app, WORKER_WAIT)
    assert not [error.value for error in app.error], [error.value for error in app.error]
    assert shown in metrics(app) or any(shown in frame.value.columns for frame in app.dataframe), shown


def encoded_fields(spec) -> set[str]:
    """The data fields a Vega-Lite spec encodes, in every layer and facet."""
    found = set()
    if isinstance(spec, dict):
        for channel in spec.get("encoding", {}).values():
            if isinstance(channel, dict) and "field" in channel:
                found.add(channel["field"])
        for value in spec.values():
            found |= encoded_fields(value)
    elif isinstance(spec, list):
        for item in spec:
            found |= encoded_fields(item)
    return found


def charts_plotting(app: AppTest, *fields: str) -> int:
    """How many of the page's charts plot all of `fields`: what a chart shows, not how many there are."""
    return sum(set(fields) <= encoded_fields(spec) for spec in chart_specs(app))
