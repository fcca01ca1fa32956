"""Every page in Chinese (?lang=zh) in a real browser: drawn, without errors, with a Chinese title, a
CJK font (fonts-noto-cjk, installed by .ci/run) and a screenshot to look at in
test-artifacts/pages-zh/. This is the walk over every page of the catalog; the lesson demos are
pressed in English by tests/test_browser.py, and a module of its own lets pytest-xdist run this
walk beside that one."""

from __future__ import annotations

import re

import pytest

from tests.test_browser import CHROMIUM, Problems, check_charts, server, walk_every_page  # noqa: F401 - a fixture
from ui.catalog import HOME

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")]

CJK = re.compile(r"[\u4e00-\u9fff]")


def in_chinese(page, info, problems: Problems) -> None:
    """Drawn, and in Chinese: the home page's title is the app's name, every other page's is Chinese."""
    check_charts(page, problems)
    shown = page.locator('[data-testid="stMain"]' + (" h1" if info.url_path != HOME.url_path else "")).first
    if not CJK.search(shown.inner_text()):
        problems.add(f"not in Chinese: {shown.inner_text()[:80]!r}")


def test_every_page_in_chinese_draws_without_errors_under_a_chinese_title(server):  # noqa: F811 - the fixture
    report = walk_every_page(server, "pages-zh", in_chinese, language="zh")
    assert not report, "in the browser, in Chinese:\n" + report
