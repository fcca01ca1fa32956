"""Every page in Chinese (?lang=zh) in a real browser: drawn, without errors, with a Chinese title, a
CJK font (fonts-noto-cjk, installed by .ci/run) and a screenshot to look at in
test-artifacts/pages-zh/. The demos were pressed in English by tests/test_browser.py; a module of
its own lets pytest-xdist run this walk beside that one."""

from __future__ import annotations

import re
import time

import pytest

from tests.test_browser import (  # noqa: F401 - `server` is a fixture
    ARTIFACTS,
    CHROMIUM,
    IDLE,
    Problems,
    check_charts,
    launch,
    open_when_up,
    screenshot,
    server,
)
from ui.catalog import HOME, SECTIONS

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")]

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_page_in_chinese_draws_without_errors_under_a_chinese_title(server):  # noqa: F811 - the fixture
    pages = [page for section in SECTIONS.values() for page in section]
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        problems = Problems(page, server)
        try:
            open_when_up(page, server)
            page.locator(IDLE).wait_for(timeout=120_000)
            timings = []
            for info in pages:
                started = time.monotonic()
                problems.where = info.url_path
                path = "" if info.url_path == HOME.url_path else info.url_path
                page.goto(f"{server}/{path}?lang=zh")
                page.locator(IDLE).wait_for(timeout=120_000)
                check_charts(page, problems)
                # the home page's title is the app's name; every other page has a Chinese title
                shown = page.locator('[data-testid="stMain"] h1' if path else '[data-testid="stMain"]').first
                if not CJK.search(shown.inner_text()):
                    problems.add(f"not in Chinese: {shown.inner_text()[:80]!r}")
                screenshot(page, ARTIFACTS / "pages-zh" / f"{info.url_path}.png")
                timings.append(f"{time.monotonic() - started:6.1f} s  {info.url_path}")
            (ARTIFACTS / "pages-zh" / "timings.txt").write_text("\n".join(timings) + "\n")
        finally:
            browser.close()
    assert not problems.report(), "in the browser, in Chinese:\n" + problems.report()
