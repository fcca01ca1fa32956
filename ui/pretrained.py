"""The MNIST CNN of lessons 10 and 19: trained once for everyone in a worker process, stored as
weights, then rebuilt here and shared read-only (inference and input gradients only) by every session."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from lessons.pretrained import WEIGHTS_FILE, TrainedCnn, lesson_cnn_folder, load_lesson_cnn, train_lesson_cnn
from models.registry import architecture
from ui.datasets import load_dataset
from ui.i18n import gettext_for_session
from ui.lesson_training import session_result


@st.cache_resource(show_spinner="Loading the lesson CNN…", max_entries=1)
def _shared_cnn(folder: str, version: int) -> TrainedCnn:
    # `version` is the weights file's modification time: weights trained again are loaded again.
    return load_lesson_cnn(Path(folder))


def _stored_cnn(folder: Path) -> TrainedCnn | None:
    """The stored CNN, None when there is none; ValueError when its files are unusable."""
    try:
        version = (folder / WEIGHTS_FILE).stat().st_mtime_ns
    except FileNotFoundError:
        return None
    try:
        return _shared_cnn(str(folder), version)
    except FileNotFoundError:
        return None


def trained_cnn_or_button(key: str) -> TrainedCnn | None:
    """The shared CNN if it has been trained (by anyone, also before a restart); otherwise a button
    that trains it in a worker process (about half a minute) and None until then, so the page can
    show its text meanwhile."""
    _ = gettext_for_session()
    folder = lesson_cnn_folder()
    unusable = ""
    try:
        stored = _stored_cnn(folder)
        if stored is not None:
            return stored
    except ValueError as error:
        unusable = str(error)
        st.error(_("The stored lesson model could not be loaded: {error}. Train it again to replace it.").format(
            error=unusable), icon=":material/error:")
    recipe = architecture("mnist", "cnn").quick_recipe
    st.info(_("The demos below look inside a CNN trained on MNIST digits (the task page's CNN, quick "
              "recipe: {epochs} epochs on {images} images). It is trained once for everyone "
              "using this server, in about half a minute on two cores.").format(
        epochs=recipe.epochs, images=f"{recipe.limit:,}"), icon=":material/model_training:")
    start = st.button(_("Train the model"), key=key, icon=":material/play_arrow:")
    if start:
        load_dataset("mnist", show_notices_here=False)  # downloads it if needed; the page shows the notices
    trained = session_result("mnist-cnn", (str(folder), unusable), train_lesson_cnn,
                             {"folder": str(folder), "retrain": bool(unusable)},
                             _("Training the CNN on MNIST (after any trainings already running)…"), start=start)
    if trained is None:
        return None
    try:
        return _stored_cnn(folder)
    except ValueError as error:
        st.error(_("The trained lesson model could not be loaded: {error}").format(error=error),
                 icon=":material/error:")
        return None
