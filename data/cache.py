"""Parse dataset files once and keep the arrays in a `.npz`, so the second load is fast.

The parsed cache is keyed by each source file's path, size and modification time, so a
re-downloaded or replaced file is parsed again. Arrays are stored without pickle.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from data.download import (
    CorruptFileError,
    DatasetError,
    ProgressCallback,
    RemoteFile,
    cached_path,
    download,
    is_in_cache,
    locate,
    missing_file_help,
    quiet_progress,
)
from data.paths import cache_dir

Parser = Callable[[list[Path], ProgressCallback], dict[str, np.ndarray]]


def fingerprint(paths: list[Path], version: int) -> str:
    parts = [f"{path.resolve()}:{path.stat().st_size}:{path.stat().st_mtime_ns}" for path in paths]
    return "|".join(parts) + f"|parser-v{version}"


def read_parsed(cache_file: Path, expected_fingerprint: str) -> dict[str, np.ndarray] | None:
    if not cache_file.exists():
        return None
    try:
        with np.load(cache_file, allow_pickle=False) as stored:
            if str(stored["fingerprint"]) != expected_fingerprint:
                return None
            return {key: stored[key] for key in stored.files if key != "fingerprint"}
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return None  # a damaged parsed cache is simply rebuilt from the source files


def write_parsed(cache_file: Path, arrays: dict[str, np.ndarray], stamp: str) -> None:
    handle, temporary_name = tempfile.mkstemp(dir=cache_file.parent, suffix=".npz.part")
    try:
        with os.fdopen(handle, "wb") as output:
            np.savez(output, fingerprint=np.array(stamp), **arrays)
        os.replace(temporary_name, cache_file)
    finally:
        Path(temporary_name).unlink(missing_ok=True)


def load_parsed(name: str, remotes: list[RemoteFile], parse: Parser, version: int = 1,
                progress: ProgressCallback = quiet_progress) -> dict[str, np.ndarray]:
    """Arrays parsed from `remotes`, from the parsed cache when the sources are unchanged."""
    paths = [locate(remote, progress) for remote in remotes]
    cache_file = cache_dir() / f"{name}.npz"
    stamp = fingerprint(paths, version)
    arrays = read_parsed(cache_file, stamp)
    if arrays is not None:
        return arrays
    try:
        arrays = parse(paths, progress)
    except CorruptFileError as error:
        paths = [refetch_corrupt(remote, path, error, progress) for remote, path in zip(remotes, paths)]
        stamp = fingerprint(paths, version)
        try:
            arrays = parse(paths, progress)
        except CorruptFileError as second_error:
            raise DatasetError(f"{second_error}. The file was fetched again and is still corrupt; "
                               f"delete it and check the source.") from second_error
    write_parsed(cache_file, arrays, stamp)
    return arrays


def refetch_corrupt(remote: RemoteFile, path: Path, error: CorruptFileError,
                    progress: ProgressCallback) -> Path:
    """Replace the corrupt file named by `error`; leave the other files of the dataset alone."""
    if Path(path).resolve() != error.path.resolve():
        return path
    progress(f"{error}; fetching a fresh copy", None)
    if is_in_cache(path):
        path.unlink(missing_ok=True)
    try:
        return download(remote, cached_path(remote), progress)
    except DatasetError as download_error:
        where = "the app's cache" if is_in_cache(path) else "the read-only mirror (replace it there)"
        raise DatasetError(missing_file_help(
            remote, f"the copy in {where} was corrupt ({error.reason}) and a fresh download "
                    f"failed ({download_error})")) from download_error


def freeze(dataset):
    """Mark every array of a dataset read-only: one copy is shared by every session of the app."""
    for value in vars(dataset).values():
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
    return dataset
