"""Small models trained once per test process and shared by the lesson and page tests."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def trained_slot_taggers():
    from lessons.slot_filling import train_taggers

    return train_taggers()
