"""Lesson prose kept out of code: one Markdown file per page and language, `i18n/text/<lang>/<name>.md`.

A file is a list of sections, each opened by a line `<!-- section: some-id -->`; pages ask for a
section by its id, so the two languages can be written (and reviewed) side by side. Numbers computed
by code enter through placeholders such as `{best}`: the page passes them, already formatted the same
way for both languages, and neither language ever types them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from i18n import DEFAULT_LANGUAGE, HERE, LANGUAGES

TEXT_FOLDER = HERE / "text"
SECTION = re.compile(r"^<!-- section: ([a-z0-9][a-z0-9-]*) -->\s*$", re.MULTILINE)
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def text_path(name: str, language: str) -> Path:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of {list(LANGUAGES)}")
    return TEXT_FOLDER / language / f"{name}.md"


def parse_sections(source: str, where: str) -> dict[str, str]:
    """{section id: Markdown} in file order; text before the first marker is not allowed."""
    parts = SECTION.split(source)
    if parts[0].strip():
        raise ValueError(f"{where}: text before the first '<!-- section: id -->' line: {parts[0].strip()[:60]!r}")
    sections: dict[str, str] = {}
    for section_id, body in zip(parts[1::2], parts[2::2]):
        if section_id in sections:
            raise ValueError(f"{where}: section {section_id!r} appears twice")
        sections[section_id] = body.strip()
    return sections


@dataclass(frozen=True)
class PageText:
    name: str
    language: str
    sections: dict[str, str]

    @property
    def where(self) -> str:
        return text_path(self.name, self.language).relative_to(HERE.parent).as_posix()

    def __call__(self, section: str, **values: object) -> str:
        """The section's Markdown with every placeholder filled; a missing or unused value is an error."""
        if section not in self.sections:
            raise ValueError(f"{self.where} has no section {section!r}; its sections are {list(self.sections)}")
        text = self.sections[section]
        needed, given = placeholders(text), set(values)
        if needed - given:
            raise ValueError(f"section {section!r} of {self.where} needs "
                             + ", ".join(f"{{{name}}}" for name in sorted(needed - given))
                             + f": pass {', '.join(f'{name}=…' for name in sorted(needed - given))}")
        if given - needed:
            raise ValueError(f"section {section!r} of {self.where} has no placeholder for "
                             + ", ".join(sorted(given - needed)))
        return PLACEHOLDER.sub(lambda match: str(values[match.group(1)]), text)


@cache
def _load(name: str, language: str, modified: float) -> PageText:
    path = text_path(name, language)
    return PageText(name, language, parse_sections(path.read_text(encoding="utf-8"), path.name))


def page_text(name: str, language: str = DEFAULT_LANGUAGE) -> PageText:
    """The sections of `i18n/text/<language>/<name>.md` (re-read when the file changes)."""
    path = text_path(name, language)
    if not path.is_file():
        raise FileNotFoundError(f"no {language} text for page {name!r}: write {path.relative_to(HERE.parent)}")
    return _load(name, language, path.stat().st_mtime)


def page_names() -> list[str]:
    return sorted({path.stem for language in LANGUAGES for path in (TEXT_FOLDER / language).glob("*.md")})
