"""Every test gets its own app home; the mirror is visible only to tests marked `mirror`."""

from __future__ import annotations

import os

import pytest

from data.tiny import write_tiny_mirror

FULL_MIRROR = os.environ.get("DLLAB_DATA_MIRROR")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch, request):
    """A fresh DLLAB_HOME per test; DLLAB_DATA_MIRROR is removed unless the test needs the mirror."""
    monkeypatch.setenv("DLLAB_HOME", str(tmp_path / "home"))
    if request.node.get_closest_marker("mirror") is None:
        monkeypatch.delenv("DLLAB_DATA_MIRROR", raising=False)
    return tmp_path / "home"


@pytest.fixture(autouse=True)
def fresh_streamlit_caches():
    """Streamlit caches live for the whole process; a test must not see another test's data."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield


@pytest.fixture(autouse=True)
def no_training_outlives_its_test():
    """A job a test left running (a page closed mid-training) would slow every later test on 2
    cores and make their waits time out: stop it, as the lease would on a server."""
    yield
    from training.jobs import LIVE_JOBS

    leftovers = [job for job in list(LIVE_JOBS) if job.alive]
    for job in leftovers:
        job.stop()
    for job in leftovers:
        job._thread.join(timeout=15)


@pytest.fixture
def tiny_mirror(tmp_path, monkeypatch):
    """Tiny MNIST, IMDB and METR-LA files in the mirror layout, with DLLAB_DATA_MIRROR pointing at them."""
    folder = write_tiny_mirror(tmp_path / "mirror")
    monkeypatch.setenv("DLLAB_DATA_MIRROR", str(folder))
    return folder


def pytest_collection_modifyitems(config, items):
    if FULL_MIRROR:
        return
    skip = pytest.mark.skip(reason="needs the full dataset mirror: set DLLAB_DATA_MIRROR")
    for item in items:
        if item.get_closest_marker("mirror") is not None:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def tf():
    """TensorFlow, imported only by the tests that compare with it."""
    import tensorflow

    return tensorflow


@pytest.fixture(scope="session")
def keras():
    import keras as keras_module

    return keras_module
