"""The MNIST CNN of lessons 10 and 19, trained once per server process on request and then shared
read-only (inference and input gradients only) by every session."""

from __future__ import annotations

import threading
import uuid

import streamlit as st

from lessons.pretrained import TrainedCnn, trained_mnist_cnn
from models.registry import architecture
from ui.datasets import load_dataset
from ui.worker import training_gate


@st.cache_resource
def _status() -> dict:
    return {"ready": False, "lock": threading.Lock()}


@st.cache_resource(show_spinner=False)
def _shared_cnn() -> TrainedCnn:
    return trained_mnist_cnn(quick=True)


def trained_cnn_or_button(key: str) -> TrainedCnn | None:
    """The shared CNN if it has been trained in this process; otherwise a button that trains it
    (about half a minute) and None until then, so the page can show its text meanwhile."""
    status = _status()
    if not status["ready"]:
        recipe = architecture("mnist", "cnn").quick_recipe
        st.info(f"The demos below look inside a CNN trained on MNIST digits (the task page's CNN, quick "
                f"recipe: {recipe.epochs} epochs on {recipe.limit:,} images). It is trained once for everyone "
                "using this server, in about half a minute on two cores.", icon=":material/model_training:")
        if not st.button("Train the model", key=key, icon=":material/play_arrow:"):
            return None
        load_dataset("mnist", show_notices_here=False)  # downloads it if needed; the page shows the notices
        gate, ticket = training_gate(), f"lesson-cnn-{uuid.uuid4().hex[:8]}"
        try:
            with status["lock"]:  # a second click elsewhere waits here, then finds the model ready
                if not status["ready"]:
                    # Count against the app's limit on concurrent trainings, like the task pages' runs.
                    with st.spinner("Training the CNN on MNIST (after any trainings already running)…"):
                        gate.acquire(ticket)
                        try:
                            _shared_cnn()
                        finally:
                            gate.release(ticket)
                    status["ready"] = True
        except RuntimeError as error:
            st.error(f"Training failed: {error}", icon=":material/error:")
            return None
    return _shared_cnn()
