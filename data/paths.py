"""Where the app keeps its files, and where a read-only data mirror may be."""

from __future__ import annotations

import os
from pathlib import Path

HOME_VARIABLE = "DLLAB_HOME"
MIRROR_VARIABLE = "DLLAB_DATA_MIRROR"


def app_home() -> Path:
    """The app's own folder: downloaded datasets, parsed caches and the run store."""
    configured = os.environ.get(HOME_VARIABLE)
    home = Path(configured).expanduser() if configured else Path.home() / ".dllab"
    home.mkdir(parents=True, exist_ok=True)
    return home


def datasets_dir() -> Path:
    folder = app_home() / "datasets"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def cache_dir() -> Path:
    """Parsed arrays, so that the second load of a dataset is fast."""
    folder = app_home() / "cache"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def mirror_dir() -> Path | None:
    """The read-only mirror named by DLLAB_DATA_MIRROR, or None when it is not set."""
    configured = os.environ.get(MIRROR_VARIABLE)
    if not configured:
        return None
    return Path(configured).expanduser().resolve()
