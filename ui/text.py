"""Text from files and the run store shown inside Markdown (warnings, captions) as written."""

from __future__ import annotations

import re

MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>#|~$])")


def plain(text: str) -> str:
    """`text` escaped so that Markdown shows it as written (paths hold `_`, errors hold `<` and `*`)."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", text)
