"""Stored runs as models again: rebuilt from code, their `model.weights.h5` loaded into them.

A model file is never loaded (`keras.models.load_model` can run code written into the file);
the architecture comes from `models.registry` and the run record, only the numbers come from
the run folder. IMDB models get the vectorizer rebuilt from the run's `vocabulary.txt` in
front, so they read raw review text like the models the engine hands back after training.
"""

from __future__ import annotations

from pathlib import Path

from models.registry import architecture, build
from models.tasks import TASKS
from training.store import RunStore

WEIGHTS_FILE = "model.weights.h5"
VOCABULARY_FILE = "vocabulary.txt"
# Larger than any vocabulary the registry trains with (150,000 bigram tokens): a bigger file
# is not one the engine wrote, and reading it would only waste the server's memory.
MAX_VOCABULARY_BYTES = 64 * 1024 * 1024


def stored_run(run_id: str, store: RunStore | None = None) -> dict:
    """The run's record; ValueError when it is unknown or has no trained model."""
    store = store if store is not None else RunStore()
    run = store.get_run(run_id)
    if run is None:
        raise ValueError(f"run {run_id!r} is not in the run store {store.path}")
    if not run["learned"]:
        raise ValueError(f"run {run_id!r} is the baseline {run['task']}/{run['arch']}: it has no "
                         "trained model to rebuild")
    return run


def builder_arguments(run: dict) -> tuple[dict, dict]:
    """(hyperparameters, data arguments) to rebuild `run`'s model, from its record."""
    extra, config = run["extra"], run["config"]
    hyperparameters = dict(extra.get("hyperparameters", config.get("hyperparameters", {})))
    if run["task"] == "imdb":
        settings = extra.get("vectorizer")
        if not isinstance(settings, dict) or not {"vocabulary_size", "sequence_length"} <= set(settings):
            raise ValueError(f"run {run['run_id']!r} has no vectorizer settings in its record, so its "
                             "model cannot be rebuilt")
        length = settings["sequence_length"]  # None: the model reads whole reviews (NBSVM)
        return hyperparameters, {"vocabulary_size": int(settings["vocabulary_size"]),
                                 "sequence_length": None if length is None else int(length)}
    if run["task"] == "traffic":
        # The graph is a non-trainable weight (models.graph): loading the weights restores it.
        return hyperparameters, {"sensors": int(extra.get("sensors", TASKS["traffic"].sizes["sensors"]))}
    return hyperparameters, {}


def read_vocabulary(run: dict, folder: Path) -> list[str]:
    path = folder / VOCABULARY_FILE
    if not path.is_file():
        raise ValueError(f"run {run['run_id']!r} has no vocabulary file {path}: an IMDB model cannot read "
                         "text without the vocabulary it was trained with")
    if path.stat().st_size > MAX_VOCABULARY_BYTES:
        raise ValueError(f"the vocabulary file {path} of run {run['run_id']!r} is larger than "
                         f"{MAX_VOCABULARY_BYTES // 2**20} MB: not a file the app wrote")
    try:
        vocabulary = path.read_text(encoding="utf-8").split("\n")
    except UnicodeDecodeError as error:
        raise ValueError(f"the vocabulary file {path} of run {run['run_id']!r} is not UTF-8 text "
                         f"({error})") from error
    expected = int(run["extra"]["vectorizer"]["vocabulary_size"])
    if len(vocabulary) != expected or vocabulary[:2] != ["", "[UNK]"]:
        raise ValueError(f"the vocabulary file {path} of run {run['run_id']!r} is corrupt: {len(vocabulary):,} "
                         f"lines where the run recorded {expected:,}, starting with the padding and "
                         "[UNK] tokens")
    return vocabulary


def text_vectorizer(run: dict, vocabulary: list[str], path: Path):
    from models.imdb import text_vectorizer as imdb_text_vectorizer

    settings = run["extra"]["vectorizer"]
    try:
        return imdb_text_vectorizer(None, int(settings.get("ngrams", 1)), bool(settings.get("punctuation", False)),
                                    vocabulary)
    except (ValueError, TypeError) as error:  # duplicated tokens, for example
        raise ValueError(f"the vocabulary file {path} of run {run['run_id']!r} is corrupt: {error}") from error


def stored_shapes(path: Path) -> list[tuple[int, ...]]:
    """The shapes of the layers' arrays in a `.weights.h5` file, sorted (the optimizer's state,
    saved beside them, is not part of the model). h5py reads numbers, never executes anything."""
    import h5py

    shapes: list[tuple[int, ...]] = []
    with h5py.File(path, "r") as handle:
        if "layers" not in handle:
            return shapes
        handle["layers"].visititems(lambda _, item: shapes.append(tuple(item.shape))
                          if isinstance(item, h5py.Dataset) else None)
    return sorted(shapes)


def check_weights_fit(model, path: Path, run_id: str) -> None:
    """Keras skips (with only a warning) parts of a file that match no layer, so a file from
    another model could leave some layers untrained: compare every array's shape first."""
    try:
        saved = stored_shapes(path)
    except Exception as error:  # noqa: BLE001 - h5py raises OSError and others for a bad file
        raise ValueError(f"the weights file {path} of run {run_id!r} does not load: it is not a readable "
                         f"HDF5 file ({type(error).__name__}: {error})") from error
    expected = sorted(tuple(int(size) for size in weight.shape) for weight in model.weights)
    if saved != expected:
        raise ValueError(f"the weights file {path} of run {run_id!r} does not load into a rebuilt "
                         f"{model.name} model: it holds {len(saved)} arrays where the model has "
                         f"{len(expected)}, or their shapes differ")


def load_run_model(run_id: str, store: RunStore | None = None):
    """The Keras model of stored run `run_id`, with its trained weights.

    MNIST models take (batch, 28, 28, 1) floats in [0, 1]; IMDB models take a batch of review
    strings (vectorizer included); traffic models take (batch, 12, sensors) z-scored speeds.
    Raises ValueError naming the run and the file when the record, the weights or the
    vocabulary are missing or do not fit the rebuilt model.
    """
    store = store if store is not None else RunStore()
    run = stored_run(run_id, store)
    info = architecture(run["task"], run["arch"])
    folder = store.run_dir(run_id)
    weights = folder / WEIGHTS_FILE
    if not weights.is_file():
        raise ValueError(f"run {run_id!r} ({run['status']}) has no weights file {weights}: only finished "
                         "trainings save their weights")
    vocabulary = read_vocabulary(run, folder) if run["task"] == "imdb" else None
    hyperparameters, data_arguments = builder_arguments(run)
    try:
        model = build(info, hyperparameters, **data_arguments)
    except (ValueError, TypeError) as error:
        raise ValueError(f"run {run_id!r}: its recorded hyperparameters no longer build a "
                         f"{run['task']}/{run['arch']} model ({error})") from error
    check_weights_fit(model, weights, run_id)
    try:
        model.load_weights(weights)
    except Exception as error:  # noqa: BLE001 - h5py and Keras raise many types for a bad file
        raise ValueError(f"the weights file {weights} of run {run_id!r} does not load into a rebuilt "
                         f"{run['task']}/{run['arch']} model: {type(error).__name__}: {error}") from error
    if vocabulary is None:
        return model
    from models.imdb import with_vectorizer

    return with_vectorizer(text_vectorizer(run, vocabulary, folder / VOCABULARY_FILE), model)
