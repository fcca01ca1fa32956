"""The Streamlit side of training: a learner's identity survives a reload, jobs stay alive while polled."""

from __future__ import annotations

import types

import streamlit
from streamlit.testing.v1 import AppTest

from ui.worker import OWNER_COOKIE


def owner_script():
    import streamlit as st

    from ui.worker import session_owner

    st.write(f"owner={session_owner()}")


def owner_of(app: AppTest) -> str:
    return next(item.value for item in app.markdown if item.value.startswith("owner=")).removeprefix("owner=")


def test_a_new_browser_gets_a_random_owner_and_a_cookie_to_keep_it(monkeypatch):
    monkeypatch.setattr(streamlit, "context", types.SimpleNamespace(cookies={}))
    first, second = AppTest.from_function(owner_script).run(), AppTest.from_function(owner_script).run()
    assert owner_of(first) != owner_of(second) and len(owner_of(first)) == 32
    (cookie_setter,) = first.get("html")
    assert f"{OWNER_COOKIE}={owner_of(first)};" in cookie_setter.proto.body
    first.run()
    assert owner_of(first) == owner_of(first.run()) and not first.get("html")  # set once per session


def test_after_a_reload_the_cookie_gives_the_learner_the_same_owner(monkeypatch):
    token = "0123456789abcdef0123456789abcdef"
    monkeypatch.setattr(streamlit, "context", types.SimpleNamespace(cookies={OWNER_COOKIE: token}))
    reloaded = AppTest.from_function(owner_script).run()  # a new session, as after a reload
    assert owner_of(reloaded) == token and not reloaded.get("html")


def test_a_forged_cookie_is_not_trusted_or_echoed_into_the_page(monkeypatch):
    forged = "x'; alert(1); '"
    monkeypatch.setattr(streamlit, "context", types.SimpleNamespace(cookies={OWNER_COOKIE: forged}))
    app = AppTest.from_function(owner_script).run()
    assert owner_of(app) != forged and forged not in app.get("html")[0].proto.body
