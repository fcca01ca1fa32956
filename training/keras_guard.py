"""Keras work on background threads of a Streamlit app, protected from Streamlit's cleanup."""

from __future__ import annotations

import threading
from contextlib import contextmanager

_background_work = 0
_background_lock = threading.Lock()


def _background_busy() -> bool:
    with _background_lock:
        return _background_work > 0


def guard_keras_clear_session() -> None:
    """Make `keras.backend.clear_session()` a no-op while Keras works on a background thread.

    Streamlit calls `keras.backend.clear_session()` after every script run once Keras is
    imported (`_clean_problem_modules` in streamlit/runtime/scriptrunner/script_runner.py). A
    page that polls a background training reruns twice a second, and each call would reset
    Keras' global state, the TensorFlow graph and the kernel cache under the running `fit`,
    and collect garbage while holding the GIL: measured here, a tiny MNIST run took five
    times longer and trained to a different accuracy. The engine clears the session itself
    after its last active run, through `keras.utils.clear_session`, which stays untouched.
    """
    import keras

    original = keras.backend.clear_session
    if getattr(original, "guarded_for_background_work", False):
        return

    def clear_session(*args, **kwargs):
        if _background_busy():
            return None
        return original(*args, **kwargs)

    clear_session.guarded_for_background_work = True
    keras.backend.clear_session = clear_session


@contextmanager
def background_keras_work():
    """Mark Keras work (training, building models) running off the app's script thread."""
    global _background_work
    guard_keras_clear_session()
    with _background_lock:
        _background_work += 1
    try:
        yield
    finally:
        with _background_lock:
            _background_work -= 1
