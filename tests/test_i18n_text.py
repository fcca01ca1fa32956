"""Lesson prose in Markdown: both languages have the same sections and placeholders, and the loader
says exactly what is missing."""

from __future__ import annotations

import inspect

import pytest

from i18n import CHINESE, ENGLISH, LANGUAGES, TRANSLATED_PAGES
from i18n.check import english_words, unrendered_bold
from i18n.text import PageText, page_names, page_text, parse_sections, placeholders
from lessons import backprop
from ui.catalog import ROOT

PAGES = page_names()


def test_every_translated_page_with_prose_has_both_files():
    assert {"home", "neuron", "activations", "gradient_descent", "backprop"} <= set(PAGES)
    for name in PAGES:
        for language in LANGUAGES:
            assert page_text(name, language).sections, (name, language)
    for script in TRANSLATED_PAGES:
        assert (ROOT / script).is_file(), script


@pytest.mark.parametrize("name", PAGES)
def test_both_languages_have_the_same_sections_and_placeholders(name):
    english, chinese = page_text(name, ENGLISH), page_text(name, CHINESE)
    assert list(english.sections) == list(chinese.sections)
    for section, text in english.sections.items():
        assert placeholders(text) == placeholders(chinese.sections[section]), section
        for mark in ("**", "`"):
            assert text.count(mark) == chinese.sections[section].count(mark), (section, mark)
        assert not unrendered_bold(text) + unrendered_bold(chinese.sections[section]), section


@pytest.mark.parametrize("name", PAGES)
def test_no_english_prose_is_left_in_the_chinese_text(name):
    for section, text in page_text(name, CHINESE).sections.items():
        assert not english_words(text), (section, english_words(text))


@pytest.mark.parametrize("name", PAGES)
def test_every_section_is_used_by_its_page(name):
    """A section id that no page asks for is dead text (or a typo in the page)."""
    source = "".join((ROOT / script).read_text(encoding="utf-8") for script in TRANSLATED_PAGES)
    source += inspect.getsource(backprop.plateau_case)  # names the backprop page's plateau sections
    source += "".join(path.read_text(encoding="utf-8") for path in (ROOT / "ui").glob("*.py"))  # shared panels
    for section in page_text(name, ENGLISH).sections:
        assert f'"{section}"' in source, f"section {section!r} of {name}.md is not used"


def test_loader_errors_name_the_file_the_section_and_the_placeholder():
    text = PageText("demo", ENGLISH, {"best": "The best line gets **{best}** of {count} points."})
    assert text("best", best="90%", count=200) == "The best line gets **90%** of 200 points."
    with pytest.raises(ValueError, match=r"has no section 'worst'; its sections are \['best'\]"):
        text("worst")
    with pytest.raises(ValueError, match=r"section 'best' of i18n/text/en/demo.md needs \{count\}: pass count=…"):
        text("best", best="90%")
    with pytest.raises(ValueError, match="has no placeholder for seconds"):
        text("best", best="90%", count=200, seconds=3)
    with pytest.raises(FileNotFoundError, match="write i18n/text/zh/no_such_page.md"):
        page_text("no_such_page", CHINESE)


def test_parser_rejects_text_outside_sections_and_repeated_ids():
    assert parse_sections("<!-- section: a -->\nA.\n\n<!-- section: b-2 -->\nB {x}.\n", "t.md") == {
        "a": "A.", "b-2": "B {x}."}
    with pytest.raises(ValueError, match="text before the first"):
        parse_sections("Stray.\n<!-- section: a -->\nA.", "t.md")
    with pytest.raises(ValueError, match="section 'a' appears twice"):
        parse_sections("<!-- section: a -->\nA.\n<!-- section: a -->\nB.", "t.md")
