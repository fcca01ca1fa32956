"""Hand memory freed by a finished training back to the operating system.

glibc's malloc keeps the pages freed by a training (TensorFlow allocates many short-lived
buffers on its worker threads) in its arenas, fragmented, and grows the heap again for the next
run, so a long-lived server's resident memory creeps up run after run. `malloc_trim(0)` returns
the free pages. Elsewhere (macOS, musl, Windows) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import lru_cache


@lru_cache(maxsize=1)
def _malloc_trim():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):
        return None


def release_freed_memory() -> bool:
    """True when glibc handed memory back."""
    trim = _malloc_trim()
    return bool(trim(0)) if trim is not None else False
