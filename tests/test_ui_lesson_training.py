"""Lesson demos run in a worker process and keep their results per session, never in a cache
shared by every learner; the server process never imports TensorFlow for them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from streamlit.testing.v1 import AppTest

from lessons import neuron
from lessons.why_deep import dense_parameter_count
from tests.pages import demo_running, open_page, wait_for_demos
from views.catalog import ROOT

WAIT = 120  # a worker process starts in seconds, on two shared cores maybe more


# ---- functions the demos run in the child (module level: pickled by reference) -------------------

def scaled(value: int) -> dict:
    return {"value": value * 10, "pid": os.getpid()}


def waits_for_file(flag: str, report) -> str:
    """Sends one progress payload, then waits until the test creates `flag`."""
    report({"message": "halfway"})
    deadline = time.monotonic() + WAIT
    while not os.path.exists(flag):
        if time.monotonic() > deadline:
            raise TimeoutError("the test never released this demo")
        time.sleep(0.05)
    return "done"


def refuses(value: int) -> None:
    raise ValueError(f"no demo for {value}")


def demo_script():
    import streamlit as st

    from tests.test_ui_lesson_training import scaled
    from ui.lesson_training import session_result

    value = int(st.number_input("setting", value=1))
    start = st.button("Train")
    result = session_result("demo", (value,), scaled, {"value": value}, "Training…", start=start)
    st.write("result=None" if result is None else f"result={result['value']} pid={result['pid']}")


def shown(app) -> str:
    return app.markdown[-1].value


def trained(app) -> AppTest:
    """Press Train and rerun until the worker's result is on the page."""
    app.button[0].click().run()
    return wait_for_demos(app, WAIT)


def test_nothing_trains_until_the_button_asks_then_the_worker_result_is_kept_per_setting():
    app = AppTest.from_function(demo_script, default_timeout=WAIT).run()
    assert shown(app) == "result=None"
    app.run()
    assert shown(app) == "result=None"  # no button press, no training
    trained(app)
    value, pid = shown(app).removeprefix("result=").split(" pid=")
    assert value == "10" and int(pid) != os.getpid()  # computed in another process
    app.run()
    assert shown(app) == f"result=10 pid={pid}"  # a rerun reuses it
    app.number_input[0].set_value(2).run()
    assert shown(app) == "result=None"  # new settings wait for the button
    trained(app)
    assert shown(app).startswith("result=20 pid=") and shown(app) != f"result=20 pid={pid}"
    app.number_input[0].set_value(1).run()
    assert shown(app) == "result=None"  # only the latest result is kept


def test_another_session_trains_its_own():
    first = trained(AppTest.from_function(demo_script, default_timeout=WAIT).run())
    other = AppTest.from_function(demo_script, default_timeout=WAIT).run()
    assert shown(first).startswith("result=10") and shown(other) == "result=None"
    assert "demo-result" not in other.session_state


def test_progress_is_drawn_while_the_worker_runs(tmp_path):
    def script():
        import streamlit as st

        from tests.test_ui_lesson_training import waits_for_file
        from ui.lesson_training import session_result

        def draw(payload):
            st.write(f"progress={payload['message']}")

        flag = st.session_state["flag"]
        result = session_result("waiting", (1,), waits_for_file, {"flag": flag}, "Training…",
                                start=st.button("Train"), progress=draw)
        st.write(f"result={result}")

    flag = tmp_path / "release"
    app = AppTest.from_function(script, default_timeout=WAIT)
    app.session_state["flag"] = str(flag)
    app.run()
    app.button[0].click().run()
    deadline = time.monotonic() + WAIT
    while not any(block.value == "progress=halfway" for block in app.markdown):
        assert time.monotonic() < deadline, "the progress payload never reached the page"
        time.sleep(0.3)
        app.run()
    assert demo_running(app) and shown(app) == "result=None"
    flag.touch()
    wait_for_demos(app, WAIT)
    assert shown(app) == "result=done"
    assert not any(block.value.startswith("progress=") for block in app.markdown)


def test_a_failing_demo_says_why():
    def script():
        import streamlit as st

        from tests.test_ui_lesson_training import refuses
        from ui.lesson_training import session_result

        result = session_result("failing", (3,), refuses, {"value": 3}, "Training…", start=st.button("Train"))
        st.write(f"result={result}")

    app = trained(AppTest.from_function(script, default_timeout=WAIT).run())
    assert shown(app) == "result=None"
    assert app.error[0].value == "The demo did not finish: ValueError: no demo for 3"


def test_a_demo_waits_for_a_free_training_slot():
    from ui.worker import training_gate

    gate = training_gate()
    tickets = [f"busy-{index}" for index in range(gate.limit)]
    for ticket in tickets:
        assert gate.acquire(ticket)
    try:
        app = AppTest.from_function(demo_script, default_timeout=WAIT).run()
        app.button[0].click().run()
        deadline = time.monotonic() + WAIT
        while gate.waiting == 0:  # the job's relay thread asks the gate; every slot is taken
            assert time.monotonic() < deadline, "the demo never asked for a training slot"
            time.sleep(0.1)
        app.run()
        assert any("Waiting for a free training slot (1 in line)" in info.value for info in app.info)
        assert shown(app) == "result=None" and gate.running == gate.limit
    finally:
        for ticket in tickets:
            gate.release(ticket)
    wait_for_demos(app, WAIT)
    assert shown(app).startswith("result=10 pid=")


# ---- a real lesson page ---------------------------------------------------------------------------

def neuron_demo() -> dict:
    """Train lesson 2's three classifiers through its page; what the page shows, and whether this
    process has imported TensorFlow or Keras by then."""
    app = open_page("views/lessons/neuron.py", timeout=WAIT)
    app.selectbox(key="neuron-train-data").set_value("circles").run()
    app.slider(key="neuron-steps").set_value(100).run()
    app.button(key="neuron-train").click().run()
    assert demo_running(app)  # the page returned at once; the worker trains
    wait_for_demos(app, WAIT)
    table = app.dataframe[0].value
    return {"models": list(table["model"]), "parameters": [int(count) for count in table["parameters"]],
            "accuracy": [float(value) for value in table["accuracy"]],
            "imported": sorted(name for name in ("tensorflow", "keras") if name in sys.modules)}


def test_a_lesson_page_trains_in_a_worker_and_the_server_never_imports_tensorflow():
    if "tensorflow" in sys.modules or "keras" in sys.modules:
        # Another test of this process imported it: train the demo in a fresh Python instead.
        completed = subprocess.run(
            [sys.executable, "-c", "import json; from tests.test_ui_lesson_training import neuron_demo; "
                                   "print(json.dumps(neuron_demo()))"],
            cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True, timeout=2 * WAIT + 120)
        assert completed.returncode == 0, completed.stderr[-3000:]
        outcome = json.loads(completed.stdout.strip().splitlines()[-1])
    else:
        outcome = neuron_demo()
    assert outcome["imported"] == []
    assert outcome["models"] == list(neuron.MODELS)
    assert outcome["parameters"] == [dense_parameter_count(2, hidden) for hidden in neuron.MODELS.values()]
    # One straight cut cannot separate a ring from a disc; cuts of cuts can.
    assert outcome["accuracy"][0] < 0.75 and outcome["accuracy"][2] > 0.95
