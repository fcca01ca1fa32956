"""The session's language and its translator, for pages and ui helpers.

One process serves every learner, so the language is looked up per session on every call: from
the URL (`?lang=zh`, so a teacher can share a link in either language), else the learner's earlier
choice in this session, else the browser's locale (`zh*` → Chinese, anything else → English).
Pages bind `_ = gettext_for_session()` at the top of their script, which runs once per session
and rerun; nothing installs a process-wide `_`.
"""

from __future__ import annotations

import streamlit as st

from i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES, TRANSLATED_PAGES, language_from_locale, translations
from i18n.text import PageText, page_text

STATE_KEY = "language"
PICKER_KEY = "language-picker"
URL_KEY = "lang"


def language() -> str:
    requested = st.query_params.get(URL_KEY)
    if requested in LANGUAGES:
        chosen = requested
    elif st.session_state.get(STATE_KEY) in LANGUAGES:
        chosen = st.session_state[STATE_KEY]
    else:
        chosen = language_from_locale(st.context.locale)
    st.session_state[STATE_KEY] = chosen
    return chosen


def gettext_for_session():
    """This session's `gettext`: bind it as `_` in a page script or inside a helper function."""
    return translations(language()).gettext


def pgettext_for_session():
    """This session's `pgettext`, for a word whose translation depends on where it is shown: bind it
    as `pgettext` (the name the extraction knows) and call `pgettext("review label", "negative")`."""
    return translations(language()).pgettext


def text(name: str) -> PageText:
    """The Markdown sections of page `name` in this session's language (i18n/text/<lang>/<name>.md)."""
    return page_text(name, language())


def keep_in_url() -> None:
    """Write the language into the URL: switching pages drops the query string, and a copied link
    should open in the language the learner sees."""
    chosen = language()
    if st.query_params.get(URL_KEY) != chosen:
        st.query_params[URL_KEY] = chosen


def _picked() -> None:
    st.session_state[STATE_KEY] = st.session_state[PICKER_KEY]
    st.query_params[URL_KEY] = st.session_state[PICKER_KEY]


def language_picker() -> None:
    """A switch in the sidebar, labelled in both languages so either reader finds it."""
    st.session_state[PICKER_KEY] = language()
    st.sidebar.radio("Language · 语言", LANGUAGES, format_func=LANGUAGE_NAMES.get, horizontal=True,
                     key=PICKER_KEY, on_change=_picked)


def untranslated_note(script: str) -> None:
    """Say so, in the reader's language, when a page is still English only."""
    if language() != DEFAULT_LANGUAGE and script not in TRANSLATED_PAGES:
        _ = gettext_for_session()
        st.info(_("This page is not translated yet, so its content is shown in English. The navigation and "
                  "the shared parts of the page are translated."), icon=":material/translate:")


def _translate_titles(node, gettext) -> None:
    """Translate, in place, every title of a Vega-Lite spec, the category names in its data and scales
    (they are the legends' labels), and name the fields of untitled tooltips."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "title" and isinstance(value, str):
                node[key] = gettext(value)
            elif key == "title" and isinstance(value, dict) and isinstance(value.get("text"), str):
                value["text"] = gettext(value["text"])
            elif key == "tooltip":
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, dict) and "field" in item and "title" not in item:
                        item["title"] = gettext(item["field"])
            if key == "datasets":  # category names shown in legends (marked N_ where they are made)
                for rows in value.values():
                    for row in rows:
                        row.update({name: gettext(cell) for name, cell in row.items() if isinstance(cell, str)})
            elif key in ("domain", "sort") and isinstance(value, list):
                node[key] = [gettext(item) if isinstance(item, str) else item for item in value]
            else:
                _translate_titles(value, gettext)
    elif isinstance(node, list):
        for item in node:
            _translate_titles(item, gettext)


def localized_chart(chart):
    """An Altair chart with its titles, axis and legend titles and tooltips in this session's language.
    The charts' modules mark their fixed titles with N_; pages translate the titles they pass in."""
    if language() == DEFAULT_LANGUAGE:
        return chart
    spec = chart.to_dict()
    translate = gettext_for_session()
    _translate_titles(spec, lambda message: translate(message) if message else message)  # "" is the header
    return type(chart).from_dict(spec, validate=False)


def choices_placeholder(options) -> str:
    """The text of an empty multiselect in the session's language (Streamlit's own is English only)."""
    _ = gettext_for_session()
    return _("Choose options") if len(options) else _("No options to select")
