"""Open a page of the app in AppTest the way a user reaches it: through dashboard.py's navigation
(pages that link to other pages with st.page_link only work inside the navigation)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from views.catalog import ROOT


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
