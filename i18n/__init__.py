"""Languages of the app: gettext catalogs for UI strings and Markdown files for lesson prose.

Streamlit-free, so lessons, tests and the CI checks share it. One web process serves every
learner, so nothing here installs a process-wide `_`: a page asks `translations(language)` for
the translator of its own session's language (ui/i18n.py) and uses that object's `gettext`.

The catalog is the `.po` file; it is compiled to `.mo` form in memory the first time a language
is used in a process (Babel; about 0.5 s with Babel's import, once per server process), so no
binary file is committed that could go stale beside it.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOCALES = HERE / "locales"
DOMAIN = "messages"
TEMPLATE = LOCALES / f"{DOMAIN}.pot"

ENGLISH, CHINESE = "en", "zh"
LANGUAGES = (ENGLISH, CHINESE)  # the values of ?lang= in the URL
DEFAULT_LANGUAGE = ENGLISH  # the source language of every string
CATALOG_LOCALES = {CHINESE: "zh_Hans"}  # gettext locale folder of each translated language
LANGUAGE_NAMES = {ENGLISH: "English", CHINESE: "简体中文"}  # each in its own language, for the picker

# Pages whose every string goes through the catalog or i18n/text/. In another language the other
# pages say that they are not translated yet (ui.i18n.untranslated_note) and show English.
TRANSLATED_PAGES = (
    "views/home.py",
    "views/lessons/neuron.py",
    "views/lessons/activations.py",
    "views/lessons/gradient_descent.py",
    "views/lessons/backprop.py",
    "views/lessons/why_deep.py",
    "views/lessons/overfitting.py",
    "views/lessons/index.py",
    "views/lessons/intro.py",
    "views/lessons/convolution.py",
    "views/lessons/cnn_features.py",
    "views/lessons/rnn.py",
    "views/lessons/tf1_to_keras.py",
    "views/lessons/lstm_gru.py",
    "views/lessons/gradients.py",
    "views/lessons/embeddings.py",
    "views/lessons/autoencoders.py",
    "views/lessons/gans.py",
    "views/explore/mnist.py",
    "views/explore/imdb.py",
    "views/explore/traffic.py",
    "views/runs.py",
    "views/compare.py",
    "views/reference.py",
    "views/lessons/gcn.py",
    "views/lessons/comparison.py",
    "views/lessons/limits.py",
    "views/lessons/transfer.py",
    "views/lessons/attention.py",
    "views/tasks/mnist.py",
    "views/tasks/sentiment.py",
    "views/tasks/traffic.py",
    "views/tasks/own_data.py",
)


def N_(message: str) -> str:
    """Marks a string for extraction without translating it: the page translates it when shown."""
    return message


class Message(str):
    """An English message that remembers its template (marked with N_) and values, so a page can show
    it translated (`message.translated(gettext)`) while the data, the CLI and the tests read the
    English text. A value may be a Message itself (a part of the message: "3 more cells like it");
    other values (file names, a learner's cells, numbers with their format specs) stay as they are."""

    def __new__(cls, template: str, **values: object) -> Message:
        message = super().__new__(cls, template.format(**values))
        message.template, message.values = template, values
        return message

    def __getnewargs_ex__(self):  # copy and pickle (a worker's queue) rebuild it from its template
        return (self.template,), self.values

    def translated(self, gettext) -> str:
        return gettext(self.template).format(**{name: value.translated(gettext) if isinstance(value, Message)
                                               else value for name, value in self.values.items()})


def language_from_locale(locale: str | None) -> str:
    """The app language for a browser locale such as 'zh-CN', 'zh-Hant-TW' or 'en-GB'."""
    if locale and locale.strip().lower().replace("_", "-").split("-")[0] == "zh":
        return CHINESE
    return ENGLISH


def catalog_path(language: str) -> Path:
    if language not in CATALOG_LOCALES:
        raise ValueError(f"no catalog for language {language!r}; translated languages: {list(CATALOG_LOCALES)}")
    return LOCALES / CATALOG_LOCALES[language] / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The translator of one language. English is the source language: its strings are the ids."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of {list(LANGUAGES)}")
    if language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with catalog_path(language).open("rb") as po_file:
        catalog = read_po(po_file, locale=CATALOG_LOCALES[language], domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)  # a fuzzy entry shows English, never a guess
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)
