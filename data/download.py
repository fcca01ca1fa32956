"""Fetch a dataset file: the app's cache, then the read-only mirror, then the canonical URL.

Every download streams into a temporary file beside its destination, is checked against
its sha256 when one is known, and only then is renamed into place, so a crash or a
dropped connection never leaves a half-written file where a good one is expected.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from data.paths import MIRROR_VARIABLE, datasets_dir, mirror_dir

# message, fraction done in [0, 1] (None when the total size is unknown)
ProgressCallback = Callable[[str, "float | None"], None]

CHUNK_BYTES = 1 << 20


class DatasetError(RuntimeError):
    """A dataset file is missing or corrupt; the message says what to do."""


class CorruptFileError(DatasetError):
    """A file exists but cannot be parsed; `path` names it so it can be re-fetched."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path} is corrupt: {reason}")
        self.path = Path(path)
        self.reason = reason


@dataclass(frozen=True)
class RemoteFile:
    """One file of a dataset, with the same relative path in the cache and in the mirror."""

    relative_path: str
    url: str
    sha256: str | None = None
    size_hint: str = ""

    @property
    def name(self) -> str:
        return Path(self.relative_path).name


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()


def quiet_progress(message: str, fraction: float | None) -> None:
    """The default progress callback: says nothing."""


def download(remote: RemoteFile, destination: Path, progress: ProgressCallback = quiet_progress,
             timeout: float = 60.0) -> Path:
    """Download `remote` to `destination` atomically; raise DatasetError on any failure."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary_name = tempfile.mkstemp(dir=destination.parent, prefix=f".{remote.name}.",
                                              suffix=".part")
    temporary = Path(temporary_name)
    digest = hashlib.sha256()
    received = 0
    try:
        with os.fdopen(handle, "wb") as output, urllib.request.urlopen(remote.url, timeout=timeout) as response:
            total = int(response.headers.get("Content-Length") or 0) or None
            progress(f"Downloading {remote.name}", 0.0 if total else None)
            while chunk := response.read(CHUNK_BYTES):
                output.write(chunk)
                digest.update(chunk)
                received += len(chunk)
                progress(f"Downloading {remote.name}: {received / 1e6:.1f} MB"
                         + (f" of {total / 1e6:.1f} MB" if total else ""),
                         min(received / total, 1.0) if total else None)
        if total is not None and received != total:
            raise DatasetError(f"the download of {remote.name} stopped after {received:,} of "
                               f"{total:,} bytes (connection interrupted)")
        if remote.sha256 and digest.hexdigest() != remote.sha256:
            raise DatasetError(f"{remote.name} from {remote.url} has sha256 {digest.hexdigest()}, "
                               f"expected {remote.sha256} (corrupt or changed upstream)")
        os.replace(temporary, destination)
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
        raise DatasetError(f"could not download {remote.name} from {remote.url}: {error}") from error
    finally:
        temporary.unlink(missing_ok=True)
    progress(f"Downloaded {remote.name}", 1.0)
    return destination


def cached_path(remote: RemoteFile) -> Path:
    return datasets_dir() / remote.relative_path


def candidates(remote: RemoteFile) -> list[Path]:
    """Existing copies of `remote`, best first: the app's cache, then the mirror."""
    found = []
    cached = cached_path(remote)
    if cached.exists():
        found.append(cached)
    mirror = mirror_dir()
    if mirror is not None and (mirror / remote.relative_path).is_file():
        found.append(mirror / remote.relative_path)
    return found


def is_in_cache(path: Path) -> bool:
    """True for files in the app's data folder (never the read-only mirror)."""
    return datasets_dir().resolve() in Path(path).resolve().parents


def locate(remote: RemoteFile, progress: ProgressCallback = quiet_progress) -> Path:
    """A local copy of `remote`: the app's data folder, then the mirror, else a download.

    A copy in the app's data folder is returned even when its sha256 differs from the canonical
    one (the learner may have put it there): whether it is usable is decided by parsing it, which
    `data.cache.load_parsed` does. Mirror copies are checked by parsing too (the MNIST mirror
    holds the same arrays in other zip bytes).
    """
    found = candidates(remote)
    if found:
        return found[0]
    try:
        return download(remote, cached_path(remote), progress)
    except DatasetError as error:
        raise DatasetError(missing_file_help(remote, str(error))) from error


def matches_checksum(remote: RemoteFile, path: Path) -> bool:
    """False only for a copy in the app's data folder whose sha256 is not the published one."""
    return not is_in_cache(path) or not remote.sha256 or sha256_of(path) == remote.sha256


def move_aside(path: Path) -> Path:
    """Rename an unusable file to `<name>.corrupt` (or `.corrupt-2`, ...; never over an earlier
    one) and return its new path: a learner's file is never deleted."""
    target, number = path.with_name(f"{path.name}.corrupt"), 2
    while target.exists():
        target, number = path.with_name(f"{path.name}.corrupt-{number}"), number + 1
    os.rename(path, target)
    return target


def missing_file_help(remote: RemoteFile, reason: str) -> str:
    mirror = mirror_dir()
    mirror_hint = (f"or into the mirror at {mirror / remote.relative_path}" if mirror else
                   f"or set {MIRROR_VARIABLE} to a folder that holds {remote.relative_path}")
    return (f"Dataset file {remote.relative_path} is not available: {reason}.\n"
            f"Fix: connect to the internet and retry, or download {remote.url} "
            f"{remote.size_hint}yourself and put it at {cached_path(remote)} {mirror_hint}.")
