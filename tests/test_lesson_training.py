"""Lesson demos keep their trained results per session, never in a cache shared by every learner."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def demo_script():
    import streamlit as st

    from ui.lesson_training import session_result

    calls = st.session_state.setdefault("calls", [])
    value = int(st.number_input("setting", value=1))
    result = session_result("demo", (value,), lambda: calls.append(value) or value * 10, "Training…",
                            take_slot=False)
    st.write(f"result={result} trainings={len(calls)}")


def shown(app) -> str:
    return app.markdown[-1].value


def test_a_result_is_trained_once_per_setting_and_kept_in_the_session():
    app = AppTest.from_function(demo_script).run()
    assert shown(app) == "result=10 trainings=1"
    app.run()
    assert shown(app) == "result=10 trainings=1"  # a rerun reuses it
    app.number_input[0].set_value(2).run()
    assert shown(app) == "result=20 trainings=2"


def test_another_session_trains_its_own():
    AppTest.from_function(demo_script).run()
    other = AppTest.from_function(demo_script).run()
    assert shown(other) == "result=10 trainings=1"
    assert "demo-result" in other.session_state and other.session_state["demo-result"] == ((1,), 10)


def test_a_gated_demo_takes_and_returns_a_training_slot():
    def script():
        import streamlit as st

        from ui.lesson_training import session_result
        from ui.worker import training_gate

        inside = session_result("gated", (1,), lambda: training_gate().running, "Training…")
        st.write(f"inside={inside} after={training_gate().running}")

    app = AppTest.from_function(script).run()
    assert app.markdown[-1].value == "inside=1 after=0"


def test_without_start_nothing_is_trained_until_the_button_asks():
    def script():
        import streamlit as st

        from ui.lesson_training import session_result

        calls = st.session_state.setdefault("calls", [])
        start = st.button("Train")
        result = session_result("waiting", (1,), lambda: calls.append(1) or "trained", "Training…",
                                start=start, take_slot=False)
        st.write(f"result={result} trainings={len(calls)}")

    app = AppTest.from_function(script).run()
    assert app.markdown[-1].value == "result=None trainings=0"
    app.button[0].click().run()
    assert app.markdown[-1].value == "result=trained trainings=1"
    app.run()  # the button is no longer pressed, the stored result stays
    assert app.markdown[-1].value == "result=trained trainings=1"
