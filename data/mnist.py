"""MNIST handwritten digits: the official 60,000 / 10,000 split as uint8 28x28 images."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from data.cache import freeze, load_parsed, require
from data.download import CorruptFileError, ProgressCallback, RemoteFile, quiet_progress

MNIST_FILE = RemoteFile(
    relative_path="mnist/mnist.npz",
    url="https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz",
    sha256="731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
    size_hint="(11 MB) ",
)
VALIDATION_SHARE = 12  # a twelfth of the training images: 5,000 of the official 60,000
CLASS_NAMES = [str(digit) for digit in range(10)]


@dataclass(frozen=True)
class MnistData:
    """Train/validation/test arrays; images uint8 (n, 28, 28), labels uint8 0-9."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    notices: tuple[str, ...] = ()  # what loading had to recover from (see data.cache)


def parse_mnist(paths: list[Path], progress: ProgressCallback) -> dict[str, np.ndarray]:
    (path,) = paths
    progress(f"Reading {path.name}", None)
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in ("x_train", "y_train", "x_test", "y_test")}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:
        raise CorruptFileError(path, f"not a readable MNIST .npz ({error})") from error
    for split in ("train", "test"):
        images, labels = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if images.ndim != 3 or images.shape[1:] != (28, 28) or images.dtype != np.uint8:
            raise CorruptFileError(path, f"x_{split} has shape {images.shape} and dtype "
                                         f"{images.dtype}; expected (n, 28, 28) uint8")
        if labels.shape != (len(images),) or labels.size == 0 or labels.min() < 0 or labels.max() > 9:
            raise CorruptFileError(path, f"y_{split} must hold one label 0-9 per image")
        arrays[f"y_{split}"] = labels.astype(np.uint8)
    return arrays


def source_counts(path: Path) -> dict[str, tuple[int, ...]]:
    """The shape of every array in an `.npz`, read from the array headers only (cheap)."""
    shapes = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            with archive.open(member) as handle:
                version = np.lib.format.read_magic(handle)
                read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                               else np.lib.format.read_array_header_2_0)
                shapes[member.removesuffix(".npy")] = read_header(handle)[0]
    return shapes


def check_mnist(arrays: dict[str, np.ndarray], paths: list[Path]) -> None:
    """Parsed MNIST arrays: uint8 images (n, 28, 28), one uint8 label 0-9 each, as many as the source."""
    require(set(arrays) == {"x_train", "y_train", "x_test", "y_test"}, f"arrays {sorted(arrays)}")
    shapes = source_counts(paths[0])
    for split in ("train", "test"):
        images, labels = arrays[f"x_{split}"], arrays[f"y_{split}"]
        require(images.dtype == np.uint8 and images.ndim == 3 and images.shape[1:] == (28, 28),
                f"x_{split} is {images.dtype} {images.shape}, expected uint8 (n, 28, 28)")
        require(labels.dtype == np.uint8 and labels.shape == (len(images),) and len(images) > 0,
                f"y_{split} is {labels.dtype} {labels.shape}, expected uint8 ({len(images)},)")
        require(int(labels.max()) <= 9, f"y_{split} holds labels above 9")
        require(shapes.get(f"x_{split}", (None,))[0] == len(images),
                f"x_{split} has {len(images)} images, the source {shapes.get(f'x_{split}', ('none',))[0]}")


def load_mnist(validation_size: int | None = None,
               progress: ProgressCallback = quiet_progress) -> MnistData:
    """MNIST with a validation set carved from the end of the official training set."""
    arrays, notices = load_parsed("mnist", [MNIST_FILE], parse_mnist, progress=progress, check=check_mnist)
    if validation_size is None:
        validation_size = len(arrays["x_train"]) // VALIDATION_SHARE
    train_size = len(arrays["x_train"]) - validation_size
    if not 0 <= validation_size < len(arrays["x_train"]):
        raise ValueError(f"validation_size must be between 0 and {len(arrays['x_train']) - 1}, "
                         f"got {validation_size}")
    return freeze(MnistData(
        x_train=arrays["x_train"][:train_size], y_train=arrays["y_train"][:train_size],
        x_val=arrays["x_train"][train_size:], y_val=arrays["y_train"][train_size:],
        x_test=arrays["x_test"], y_test=arrays["y_test"], notices=notices,
    ))

