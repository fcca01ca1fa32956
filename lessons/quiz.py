"""Quiz questions with explained answers, and what the course notes got right or wrong."""

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
        if len(self.options) < 2:
            raise ValueError(f"a question needs at least two options, got {len(self.options)}: {self.prompt!r}")
        if len({option.strip().casefold() for option in self.options}) != len(self.options):
            raise ValueError(f"two options read the same in {self.prompt!r}: {self.options}")
        if not 0 <= self.answer < len(self.options):
            raise ValueError(f"answer {self.answer} is not an index into {len(self.options)} options")
        if not self.prompt.strip() or not self.explanation.strip():
            raise ValueError(f"a question needs a prompt and an explanation: {self.prompt!r}")

    def is_correct(self, choice: int | None) -> bool:
        return choice == self.answer

    @property
    def right_option(self) -> str:
        return self.options[self.answer]


# How a note's claim holds up. Each kind is shown in its own box, so a learner never has to guess
# whether the note was right.
NOTE_WRONG, NOTE_PARTLY, NOTE_RIGHT = "wrong", "partly", "right"
KINDS = (NOTE_WRONG, NOTE_PARTLY, NOTE_RIGHT)


@dataclass(frozen=True)
class Correction:
    """A claim from the course notes and what is true: a correction when the note is wrong (or
    only partly right), a confirmation when it is right but worth stating."""

    note: str  # which note, e.g. "note 004"
    claim: str  # the note's sentence, translated, with the Chinese original where it helps
    correction: str  # what is true, and why
    kind: str = NOTE_WRONG

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")
        if not (self.note.strip() and self.claim.strip() and self.correction.strip()):
            raise ValueError(f"a correction needs a note, a claim and a correction: {self.claim!r}")
