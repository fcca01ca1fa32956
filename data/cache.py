"""Parse dataset files once and keep the arrays in a `.npz`, so the second load is fast.

The parsed cache is keyed by each source file's path, size and modification time, so a
re-downloaded or replaced file is parsed again, and it is checked (keys, shapes, dtypes,
counts against the source) before use. Arrays are stored without pickle.

Nothing is worked around silently: every recovery (a damaged or wrong parsed cache rebuilt, an
unusable file moved aside or bypassed, a file whose checksum differs but which passes the
content checks) is a notice, returned with the arrays and also sent to `progress`; the loaders
attach the notices to their datasets, the CLI prints them and the pages show them.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import numpy as np

from data.download import (
    CorruptFileError,
    DatasetError,
    ProgressCallback,
    RemoteFile,
    cached_path,
    candidates,
    download,
    is_in_cache,
    matches_checksum,
    missing_file_help,
    move_aside,
    quiet_progress,
)
from data.paths import cache_dir

Parser = Callable[[list[Path], ProgressCallback], dict[str, np.ndarray]]
# Raises ValueError when parsed arrays are not what the parser makes from these source files.
Checker = Callable[[dict[str, np.ndarray], list[Path]], None]
CACHE_ERRORS = (OSError, ValueError, KeyError, IndexError, TypeError, EOFError, zipfile.BadZipFile)


class Parsed(NamedTuple):
    arrays: dict[str, np.ndarray]
    notices: tuple[str, ...]  # what the load had to recover from, in words for the learner


class Notices:
    """The recoveries of one load, also sent to the progress callback as they happen."""

    def __init__(self, progress: ProgressCallback):
        self.progress = progress
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        self.messages.append(message)
        self.progress(message, None)


def fingerprint(paths: list[Path], version: int) -> str:
    parts = [f"{path.resolve()}:{path.stat().st_size}:{path.stat().st_mtime_ns}" for path in paths]
    return "|".join(parts) + f"|parser-v{version}"


def read_parsed(cache_file: Path, expected_fingerprint: str, paths: list[Path], check: Checker | None,
                notices: Notices) -> dict[str, np.ndarray] | None:
    """The cached arrays when they belong to these source files and pass `check`, else None
    (with a notice when the cache was damaged or wrong, not merely out of date)."""
    if not cache_file.exists():
        return None
    try:
        with np.load(cache_file, allow_pickle=False) as stored:
            if str(stored["fingerprint"]) != expected_fingerprint:
                return None  # the source files changed: parse them again
            arrays = {key: stored[key] for key in stored.files if key != "fingerprint"}
        if check is not None:
            check(arrays, paths)
    except CACHE_ERRORS as error:
        notices.add(f"The parsed cache {cache_file} was damaged or did not match its source files "
                    f"({error}); it was rebuilt from the source files.")
        return None
    return arrays


def write_parsed(cache_file: Path, arrays: dict[str, np.ndarray], stamp: str) -> None:
    handle, temporary_name = tempfile.mkstemp(dir=cache_file.parent, suffix=".npz.part")
    try:
        with os.fdopen(handle, "wb") as output:
            np.savez(output, fingerprint=np.array(stamp), **arrays)
        os.replace(temporary_name, cache_file)
    finally:
        Path(temporary_name).unlink(missing_ok=True)


class Source(NamedTuple):
    path: Path
    verified: bool  # False: in the app's data folder with a sha256 other than the published one


def find_source(remote: RemoteFile, bypassed: set[Path], downloaded: set[Path], progress: ProgressCallback,
                notices: Notices) -> Source:
    """The first usable copy: the app's data folder, the mirror (unless bypassed), a download."""
    for path in candidates(remote):
        if path not in bypassed:
            return Source(path, matches_checksum(remote, path))
    try:
        path = download(remote, cached_path(remote), progress)
    except DatasetError as error:
        earlier = " ".join(notices.messages)
        raise DatasetError(missing_file_help(remote, f"{earlier} {error}".strip())) from error
    downloaded.add(path)
    return Source(path, True)


def set_aside(path: Path, error: CorruptFileError, bypassed: set[Path], downloaded: set[Path],
              notices: Notices) -> None:
    """Take an unusable file out of the way, never deleting it, and say where it went."""
    if path in downloaded:
        raise DatasetError(f"{error}. It was just downloaded and is still unusable, so the file at its "
                           f"source may have changed; check it, or put a good copy at {path}.")
    if is_in_cache(path):
        try:
            moved = move_aside(path)
        except FileNotFoundError:
            return  # another process of the app set it aside first, and said so
        notices.add(f"{path} could not be used ({error.reason}). It was moved to {moved} (not deleted); "
                    f"a fresh copy is used instead (from the mirror or downloaded).")
    else:
        bypassed.add(path)
        notices.add(f"The mirror's {path} could not be used ({error.reason}); it was left as it is "
                    f"(the mirror is read-only) and a downloaded copy is used instead.")


def load_parsed(name: str, remotes: list[RemoteFile], parse: Parser, version: int = 1,
                progress: ProgressCallback = quiet_progress, check: Checker | None = None) -> Parsed:
    """Arrays parsed from `remotes` (from the parsed cache when the sources are unchanged and the
    cache passes `check`), with the notices of what had to be recovered on the way.

    A file that cannot be parsed is moved aside (app data folder) or bypassed (mirror) and the
    next copy is tried: the mirror, then a download. A file in the app's data folder whose
    sha256 differs from the published one is used when it parses and passes the checks.
    """
    notices = Notices(progress)
    cache_file = cache_dir() / f"{name}.npz"
    bypassed: set[Path] = set()
    downloaded: set[Path] = set()
    for _attempt in range(2 * len(remotes) + 1):  # each attempt removes one bad copy
        sources = [find_source(remote, bypassed, downloaded, progress, notices) for remote in remotes]
        paths = [source.path for source in sources]
        stamp = fingerprint(paths, version)
        arrays = read_parsed(cache_file, stamp, paths, check, notices)
        if arrays is None:
            try:
                arrays = parse(paths, progress)
            except CorruptFileError as error:
                bad = [path for path in paths if path.resolve() == error.path.resolve()]
                if not bad:
                    raise DatasetError(str(error)) from error
                set_aside(bad[0], error, bypassed, downloaded, notices)
                continue
            if check is not None:
                try:
                    check(arrays, paths)
                except ValueError as error:
                    raise DatasetError(f"the {name} files parsed into unexpected arrays: {error}") from error
            write_parsed(cache_file, arrays, stamp)
        for remote, source in zip(remotes, sources):
            if not source.verified:
                notices.add(f"{source.path} is not the canonical {remote.name} (its sha256 differs from "
                            f"the published one), but it parses and passes the content checks (shapes, "
                            f"types, value ranges), so it is used as it is.")
        return Parsed(arrays, tuple(notices.messages))
    raise DatasetError(f"no usable copy of the {name} files: {' '.join(notices.messages)}")


def freeze(dataset):
    """Mark every array of a dataset read-only: one copy is shared by every session of the app."""
    for value in vars(dataset).values():
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
    return dataset


def require(condition: bool, message: str) -> None:
    """For the loaders' checks of parsed arrays: a ValueError with `message` unless `condition`."""
    if not condition:
        raise ValueError(message)
