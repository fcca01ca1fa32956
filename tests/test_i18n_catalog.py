"""The gettext catalog: up to date with the code, complete, and consistent with English.

The extraction runs the README's own command (`pybabel extract` with babel.cfg, then
`pybabel update --check`), so a string added to a translated page without a translation fails here.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from i18n import CHINESE, ENGLISH, TEMPLATE, catalog_path, language_from_locale, translations
from i18n.check import unrendered_bold
from ui.catalog import ROOT

BABEL = [sys.executable, "-m", "babel.messages.frontend", "-q"]
EXTRACT = ["extract", "-F", "babel.cfg", "-k", "N_", "--no-location", "--sort-output", "--no-wrap",
           "--project", "Deep Learning Lab"]
SOURCES = ["dashboard.py", "views", "ui", "lessons", "data", "models"]
BRACES = re.compile(r"\{[a-z_]*(?::[^{}]*)?\}")  # {count} and {count:,}
MARKUP = ("**", "`")


def babel(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([*BABEL, *arguments], cwd=ROOT, capture_output=True, text=True, timeout=300)


def messages(path) -> dict[str, object]:
    with open(path, "rb") as source:
        return {message.id: message for message in read_po(source) if message.id}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    template = tmp_path_factory.mktemp("pot") / "messages.pot"
    result = babel(*EXTRACT, "-o", str(template), *SOURCES)
    assert result.returncode == 0, result.stderr
    return template


def test_the_committed_template_is_what_the_code_extracts(extracted):
    found, committed = set(messages(extracted)), set(messages(TEMPLATE))
    assert not found - committed, f"strings missing from {TEMPLATE.name} (run the README's extract command): " \
                                  f"{sorted(found - committed)[:10]}"
    assert not committed - found, f"strings no longer in the code: {sorted(committed - found)[:10]}"


def test_pybabel_update_check_finds_the_chinese_catalog_up_to_date(extracted):
    result = babel("update", "--check", "--ignore-pot-creation-date", "--no-wrap", "-i", str(extracted),
                   "-d", "i18n/locales", "-l", "zh_Hans")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_message_is_translated_and_none_is_fuzzy():
    catalog = messages(catalog_path(CHINESE))
    empty = [key for key, message in catalog.items() if not message.string.strip()]
    fuzzy = [key for key, message in catalog.items() if message.fuzzy]
    assert not empty, f"{len(empty)} untranslated, e.g. {empty[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"
    assert set(catalog) == set(messages(TEMPLATE))


def test_placeholders_and_markup_are_the_same_in_both_languages():
    for key, message in messages(catalog_path(CHINESE)).items():
        assert sorted(BRACES.findall(key)) == sorted(BRACES.findall(message.string)), key
        for mark in MARKUP:
            assert key.count(mark) == message.string.count(mark), (mark, key)


def test_bold_text_renders_in_both_languages():
    catalog = messages(catalog_path(CHINESE))
    assert unrendered_bold("**理由：**正文") == ["**理由：**正文"]  # the check can fail
    broken = {key: lines for key, message in catalog.items()
              if (lines := unrendered_bold(key) + unrendered_bold(message.string))}
    assert not broken, broken


def test_the_chinese_translator_is_compiled_from_the_po_file():
    chinese = translations(CHINESE)
    assert chinese.gettext("Home") == "首页"
    assert chinese.gettext("a string that is not in the catalog") == "a string that is not in the catalog"
    assert translations(ENGLISH).gettext("Home") == "Home"
    with pytest.raises(ValueError, match="unknown language"):
        translations("fr")


def test_pybabel_compiles_the_catalog_to_a_mo_file(tmp_path):
    target = tmp_path / "messages.mo"
    result = babel("compile", "--statistics", "-i", str(catalog_path(CHINESE)), "-o", str(target))
    assert result.returncode == 0 and target.stat().st_size > 10_000, result.stdout + result.stderr
    # pybabel reports a translation whose %-placeholders differ ("12 % higher" reads as a format) and still exits 0
    assert "error" not in result.stdout + result.stderr, result.stdout + result.stderr


@pytest.mark.parametrize("locale, language", [("zh-CN", "zh"), ("zh-Hant-TW", "zh"), ("ZH_cn", "zh"), ("zh", "zh"),
                                              ("en-GB", "en"), ("fr-FR", "en"), ("", "en"), (None, "en")])
def test_browser_locale_chooses_the_language(locale, language):
    assert language_from_locale(locale) == language
