"""IMDB movie reviews (Maas et al., 2011): raw text from the original aclImdb tarball.

The tarball is read in place, never extracted. Texts are cached as one UTF-8 byte array
plus offsets, so no pickle is needed.
"""

from __future__ import annotations

import re
import tarfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from data.cache import freeze, load_parsed, require
from data.download import CorruptFileError, ProgressCallback, RemoteFile, quiet_progress

IMDB_FILE = RemoteFile(
    relative_path="imdb/aclImdb_v1.tar.gz",
    url="https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
    sha256=None,  # not pinned upstream; the file is checked by parsing instead
    size_hint="(84 MB) ",
)
VALIDATION_SHARE = 5  # a fifth of the training reviews: 5,000 of the official 25,000
SPLIT_SEED = 1337
CLASS_NAMES = ["negative", "positive"]
MEMBER_PATTERN = re.compile(r"^aclImdb/(train|test)/(pos|neg)/(\d+)_(\d+)\.txt$")
LINE_BREAK_TAGS = re.compile(r"<br\s*/?>", re.IGNORECASE)


@dataclass(frozen=True)
class ImdbData:
    """Reviews as Python strings and labels (0 negative, 1 positive) as uint8 arrays."""

    x_train: list[str]
    y_train: np.ndarray
    x_val: list[str]
    y_val: np.ndarray
    x_test: list[str]
    y_test: np.ndarray
    notices: tuple[str, ...] = ()  # what loading had to recover from (see data.cache)


def clean_review(text: str) -> str:
    """Replace the HTML line breaks of the raw reviews with spaces."""
    return " ".join(LINE_BREAK_TAGS.sub(" ", text).split())


def parse_imdb(paths: list[Path], progress: ProgressCallback) -> dict[str, np.ndarray]:
    (path,) = paths
    records = []  # (split, label, review id, text)
    try:
        with tarfile.open(path, "r:gz") as archive:
            for member in archive:
                match = MEMBER_PATTERN.match(member.name)
                if not match or not member.isfile():
                    continue
                split, polarity, review_id, _rating = match.groups()
                text = archive.extractfile(member).read().decode("utf-8", errors="replace")
                records.append((split == "test", polarity == "pos", int(review_id), clean_review(text)))
                if len(records) % 2500 == 0:
                    progress(f"Reading reviews: {len(records):,} of 50,000", min(len(records) / 50_000, 1.0))
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        raise CorruptFileError(path, f"not a readable aclImdb .tar.gz ({error})") from error
    counts = {f"{split}/{polarity}": 0 for split in ("train", "test") for polarity in ("neg", "pos")}
    for is_test, is_positive, _, _ in records:
        counts[f"{'test' if is_test else 'train'}/{'pos' if is_positive else 'neg'}"] += 1
    if min(counts.values()) == 0:
        raise CorruptFileError(path, f"expected reviews in every aclImdb/{{train,test}}/{{pos,neg}}/ "
                                     f"folder, found {counts}")
    records.sort(key=lambda record: record[:3])
    encoded = [record[3].encode("utf-8") for record in records]
    offsets = np.cumsum([0] + [len(blob) for blob in encoded]).astype(np.int64)
    return {
        "text_bytes": np.frombuffer(b"".join(encoded), dtype=np.uint8),
        "offsets": offsets,
        "is_test": np.array([record[0] for record in records], dtype=bool),
        "labels": np.array([record[1] for record in records], dtype=np.uint8),
    }


def check_imdb(arrays: dict[str, np.ndarray], paths: list[Path]) -> None:
    """Parsed reviews: one UTF-8 blob cut by increasing offsets, one split flag and one 0/1 label
    per review, reviews in all four folders. (Counting the source's reviews would mean reading
    the whole tarball, which the cache exists to avoid; the fingerprint ties the cache to it.)"""
    require(set(arrays) == {"text_bytes", "offsets", "is_test", "labels"}, f"arrays {sorted(arrays)}")
    text_bytes, offsets, is_test, labels = (arrays[key] for key in ("text_bytes", "offsets", "is_test", "labels"))
    require(text_bytes.dtype == np.uint8 and text_bytes.ndim == 1,
            f"text_bytes is {text_bytes.dtype} {text_bytes.shape}")
    require(labels.dtype == np.uint8 and labels.ndim == 1 and len(labels) > 0,
            f"labels are {labels.dtype} {labels.shape}")
    require(is_test.dtype == bool and is_test.shape == labels.shape, f"is_test is {is_test.dtype} {is_test.shape}")
    require(offsets.dtype == np.int64 and offsets.shape == (len(labels) + 1,),
            f"offsets are {offsets.dtype} {offsets.shape}, expected int64 ({len(labels) + 1},)")
    require(offsets[0] == 0 and offsets[-1] == len(text_bytes) and (np.diff(offsets) >= 0).all(),
            "offsets do not cut the text into reviews")
    require(int(labels.max()) <= 1, "labels other than 0 and 1")
    for test in (False, True):
        for label in (0, 1):
            require(((is_test == test) & (labels == label)).any(), "a split without reviews of one label")


def decode_texts(text_bytes: np.ndarray, offsets: np.ndarray, indices: np.ndarray) -> list[str]:
    blob = text_bytes.tobytes()
    return [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in indices]


def load_imdb(validation_size: int | None = None,
              progress: ProgressCallback = quiet_progress) -> ImdbData:
    """The official 25,000 / 25,000 split; validation is a seeded random part of train.

    The files are sorted by polarity, so the validation reviews are drawn at random (seed
    1337) rather than from the end, which would hold only negative reviews.
    """
    arrays, notices = load_parsed("imdb", [IMDB_FILE], parse_imdb, progress=progress, check=check_imdb)
    train_indices = np.flatnonzero(~arrays["is_test"])
    test_indices = np.flatnonzero(arrays["is_test"])
    if validation_size is None:
        validation_size = len(train_indices) // VALIDATION_SHARE
    if not 0 <= validation_size < len(train_indices):
        raise ValueError(f"validation_size must be between 0 and {len(train_indices) - 1}, "
                         f"got {validation_size}")
    shuffled = np.random.default_rng(SPLIT_SEED).permutation(train_indices)
    fit_indices, val_indices = shuffled[:len(shuffled) - validation_size], shuffled[len(shuffled) - validation_size:]
    labels = arrays["labels"]

    def texts(indices):
        return decode_texts(arrays["text_bytes"], arrays["offsets"], indices)

    return freeze(ImdbData(
        x_train=texts(fit_indices), y_train=labels[fit_indices],
        x_val=texts(val_indices), y_val=labels[val_indices],
        x_test=texts(test_indices), y_test=labels[test_indices], notices=notices,
    ))
