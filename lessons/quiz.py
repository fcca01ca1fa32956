"""Quiz questions with explained answers, and corrections of the course notes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    prompt: str
    options: tuple[str, ...]
    answer: int  # index into options
    explanation: str
    notes_said: str | None = None  # what the course notes marked, when they marked it wrongly

    def __post_init__(self):
        if not 0 <= self.answer < len(self.options):
            raise ValueError(f"answer {self.answer} is not an index into {len(self.options)} options")

    def is_correct(self, choice: int | None) -> bool:
        return choice == self.answer


@dataclass(frozen=True)
class Correction:
    """A claim from the course notes that is wrong or misleading, and what is true."""

    note: str  # which note, e.g. "note 004"
    claim: str
    correction: str
