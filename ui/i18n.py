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


def translated_chart(chart, gettext):
    """A copy of an Altair chart with every title (chart, axes, legends, tooltips) translated, the
    category names in its data and scales too (they are the legends' labels), and untitled tooltips
    named by their field's translation. The chart's objects are walked, never turned into a dict and
    back: that round trip wrote every data row into the spec as JSON and validated it row by row
    (seconds per chart), where Streamlit itself sends the data as Arrow."""
    import altair as alt  # here, not at the top: the home page draws no chart and starts without it
    import pandas as pd
    from altair.utils import parse_shorthand

    def translate_frame(frame: pd.DataFrame) -> pd.DataFrame:
        texts = [name for name in frame.columns if frame[name].map(lambda cell: isinstance(cell, str)).any()]
        if not texts:
            return frame
        frame = frame.copy()
        for name in texts:
            frame[name] = frame[name].map(lambda cell: gettext(cell) if isinstance(cell, str) else cell)
        return frame

    def tooltip_title(item) -> None:
        fields = item._kwds if isinstance(item, alt.SchemaBase) else item if isinstance(item, dict) else None
        if fields is None or fields.get("title", alt.Undefined) is not alt.Undefined:
            return
        field = fields.get("field", alt.Undefined)
        if field is alt.Undefined and isinstance(fields.get("shorthand"), str):
            field = parse_shorthand(fields["shorthand"]).get("field", alt.Undefined)
        if isinstance(field, str):
            fields["title"] = gettext(field)

    def walk(node) -> None:
        fields = node._kwds if isinstance(node, alt.SchemaBase) else node if isinstance(node, dict) else None
        if fields is None:
            for item in node if isinstance(node, list) else []:
                walk(item)
            return
        for key, value in list(fields.items()):
            if key == "title" and isinstance(value, str):
                fields[key] = gettext(value)
            elif key == "title" and isinstance(value, alt.TitleParams | dict):
                text = value["text"] if isinstance(value, dict) else value._kwds.get("text")
                if isinstance(text, str):
                    (value if isinstance(value, dict) else value._kwds)["text"] = gettext(text)
            elif key == "tooltip":
                for item in value if isinstance(value, list) else [value]:
                    tooltip_title(item)  # the field's name, translated, where no title was given
                walk(value)  # the titles given
            elif key == "data" and isinstance(value, pd.DataFrame):
                fields[key] = translate_frame(value)
            elif key == "values" and isinstance(value, list) and all(isinstance(row, dict) for row in value):
                fields[key] = [{name: gettext(cell) if isinstance(cell, str) else cell for name, cell in row.items()}
                               for row in value]
            elif key in ("domain", "sort") and isinstance(value, list):
                fields[key] = [gettext(item) if isinstance(item, str) else item for item in value]
            else:
                walk(value)

    localized = chart.copy(deep=True)  # copies the chart's objects; data frames are replaced, never changed
    walk(localized)
    return localized


def localized_chart(chart):
    """An Altair chart with its titles, axis and legend titles and tooltips in this session's language.
    The charts' modules mark their fixed titles with N_; pages translate the titles they pass in."""
    if language() == DEFAULT_LANGUAGE:
        return chart
    translate = gettext_for_session()
    return translated_chart(chart, lambda message: translate(message) if message else message)  # "" is the header


def choices_placeholder(options) -> str:
    """The text of an empty multiselect in the session's language (Streamlit's own is English only)."""
    _ = gettext_for_session()
    return _("Choose options") if len(options) else _("No options to select")
