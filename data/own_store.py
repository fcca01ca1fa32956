"""Learners' own datasets in the app's data folder: `datasets/own/<owner>/<dataset id>/`.

A dataset is saved only after `data.own_validation` accepts it, as the files the learner gave
(under fixed names) plus `manifest.json` with each file's SHA-256. Training reads it by its
reference `"<owner>/<dataset id>"` (`RunConfig.data`), checks the checksums and validates it
again, so a file changed or damaged on disk is refused instead of trained on.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from data.own_validation import OwnDataError, OwnReviews, OwnTraffic, validate_reviews, validate_traffic
from data.paths import datasets_dir
from i18n import N_, Message

OWN_FOLDER = "own"
MANIFEST = "manifest.json"
TRAFFIC_FILES = ("speeds.csv", "adjacency.csv", "locations.csv")  # the last one optional
REVIEWS_FILE = "reviews.csv"
OWN_TASKS = ("traffic", "imdb")
MAX_DATASETS_PER_OWNER = 20  # uploads are kept until deleted: a bound on one learner's disk use
MAX_LABEL_CHARS = 60
REFERENCE = re.compile(r"(?P<owner>[A-Za-z0-9_-]{1,40})/(?P<id>(traffic|imdb)-[0-9a-f]{12})")


@dataclass(frozen=True)
class OwnDataset:
    reference: str  # "<owner>/<id>": what RunConfig.data holds
    task: str
    name: str  # the learner's label, shown as plain text
    owner: str
    created_at: float
    checksum: str  # SHA-256 over the files' own checksums
    files: dict[str, str] = field(default_factory=dict)  # file name -> SHA-256
    summary: dict = field(default_factory=dict)  # sensors and steps, or reviews and positives

    @property
    def folder(self) -> Path:
        return own_root() / self.reference

    def describe(self) -> str:
        """The summary's counts as text, e.g. "sensors 4, steps 300, edges 6"."""
        return ", ".join(f"{key} {value:,}" for key, value in self.summary.items() if not isinstance(value, bool))


def own_root() -> Path:
    folder = datasets_dir() / OWN_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def owner_folder(owner: str) -> str:
    """A safe folder name for an owner (a session id, or free text such as the CLI's --owner)."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]", "-", owner.strip())[:40].strip("-")
    return cleaned or "local"


def clean_label(name: str, default: str) -> str:
    name = " ".join(str(name).split())[:MAX_LABEL_CHARS]
    return name or default


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def combined_checksum(files: dict[str, str]) -> str:
    return sha256("\n".join(f"{name} {digest}" for name, digest in sorted(files.items())).encode())


def parse_reference(reference: str) -> tuple[str, str]:
    match = REFERENCE.fullmatch(reference or "")
    if match is None:
        raise OwnDataError(N_("{reference} is not an own-dataset reference (expected 'owner/traffic-<12 hex>' or "
                              "'owner/imdb-<12 hex>')"), reference=repr(reference))
    return match["owner"], match["id"]


def _save(task: str, owner: str, name: str, files: dict[str, bytes], summary: dict) -> OwnDataset:
    digests = {file_name: sha256(raw) for file_name, raw in files.items()}
    checksum = combined_checksum(digests)
    owner = owner_folder(owner)
    reference = f"{owner}/{task}-{checksum[:12]}"
    existing = [dataset for dataset in list_datasets(owner) if dataset.reference == reference]
    if existing:
        return existing[0]  # the same files again: one copy
    if len(list_datasets(owner)) >= MAX_DATASETS_PER_OWNER:
        raise OwnDataError(N_("you already keep {count} datasets: delete one first"), count=MAX_DATASETS_PER_OWNER)
    dataset = OwnDataset(reference, task, name, owner, time.time(), checksum, digests, summary)
    parent = own_root() / owner
    parent.mkdir(parents=True, exist_ok=True)
    # Written into a temporary folder, renamed into place only when complete.
    staging = Path(tempfile.mkdtemp(prefix=".upload-", dir=parent))
    try:
        for file_name, raw in files.items():
            (staging / file_name).write_bytes(raw)
        manifest = {key: value for key, value in dataset.__dict__.items() if key != "reference"}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        staging.rename(parent / reference.split("/")[1])
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return dataset


def save_traffic(owner: str, name: str, speeds: bytes, adjacency: bytes,
                 locations: bytes | None = None) -> OwnDataset:
    """Validate the traffic files (OwnDataError if refused) and keep them for `owner`."""
    data = validate_traffic(speeds, adjacency, locations)
    files = {"speeds.csv": speeds, "adjacency.csv": adjacency}
    if locations is not None:
        files["locations.csv"] = locations
    summary = {"sensors": len(data.sensor_ids), "steps": int(data.speeds.shape[0]),
               "edges": int((data.adjacency > 0).sum() - (data.adjacency.diagonal() > 0).sum()),
               "locations": locations is not None}
    default = f"{summary['sensors']} sensors, {summary['steps']:,} steps"
    return _save("traffic", owner, clean_label(name, default), files, summary)


def save_reviews(owner: str, name: str, raw: bytes, file_name: str = REVIEWS_FILE) -> OwnDataset:
    """Validate the reviews CSV (OwnDataError if refused) and keep it for `owner` as reviews.csv."""
    data = validate_reviews(raw, file_name)
    summary = {"reviews": len(data.texts), "positive": int(data.labels.sum())}
    return _save("imdb", owner, clean_label(name, "my reviews"), {REVIEWS_FILE: raw}, summary)


def _read_manifest(folder: Path) -> OwnDataset | None:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return OwnDataset(reference=f"{folder.parent.name}/{folder.name}", **manifest)
    except (OSError, ValueError, TypeError):
        return None  # a half-written or foreign folder: not listed, never deleted silently


def list_datasets(owner: str, task: str | None = None) -> list[OwnDataset]:
    """`owner`'s datasets, newest first."""
    parent = own_root() / owner_folder(owner)
    if not parent.is_dir():
        return []
    datasets = [dataset for folder in parent.iterdir()
                if folder.is_dir() and REFERENCE.fullmatch(f"{parent.name}/{folder.name}")
                and (dataset := _read_manifest(folder)) is not None]
    datasets = [dataset for dataset in datasets if task is None or dataset.task == task]
    return sorted(datasets, key=lambda dataset: -dataset.created_at)


def get_dataset(reference: str) -> OwnDataset:
    owner, dataset_id = parse_reference(reference)
    folder = own_root() / owner / dataset_id
    dataset = _read_manifest(folder) if folder.is_dir() else None
    if dataset is None:
        raise OwnDataError(N_("own dataset {reference} is not in {folder}: it was deleted, or never uploaded"),
                           reference=repr(reference), folder=own_root())
    return dataset


def delete_dataset(reference: str, owner: str) -> None:
    """Remove one of `owner`'s datasets (its runs stay in the run store, marked with its name)."""
    dataset = get_dataset(reference)
    if dataset.owner != owner_folder(owner):
        raise OwnDataError(N_("dataset {reference} belongs to another learner"), reference=repr(reference))
    shutil.rmtree(dataset.folder)


def read_checked(dataset: OwnDataset) -> dict[str, bytes]:
    """The dataset's files, each checked against its recorded SHA-256."""
    contents = {}
    for file_name, digest in dataset.files.items():
        path = dataset.folder / file_name
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise OwnDataError(N_("own dataset {name}: {path} cannot be read ({error})"), name=repr(dataset.name),
                               path=path, error=str(error)) from error
        if sha256(raw) != digest:
            raise OwnDataError(N_("own dataset {name}: {path} changed since it was uploaded (its SHA-256 no longer "
                                  "matches): upload it again"), name=repr(dataset.name), path=path)
        contents[file_name] = raw
    return contents


def load_own_traffic(reference: str) -> tuple[OwnDataset, OwnTraffic]:
    dataset = get_dataset(reference)
    if dataset.task != "traffic":
        raise OwnDataError(N_("own dataset {name} holds {task} data, not traffic"), name=repr(dataset.name),
                           task=dataset.task)
    files = read_checked(dataset)
    return dataset, validate_traffic(files["speeds.csv"], files["adjacency.csv"], files.get("locations.csv"))


def load_own_reviews(reference: str) -> tuple[OwnDataset, OwnReviews]:
    dataset = get_dataset(reference)
    if dataset.task != "imdb":
        raise OwnDataError(N_("own dataset {name} holds {task} data, not reviews"), name=repr(dataset.name),
                           task=dataset.task)
    return dataset, validate_reviews(read_checked(dataset)[REVIEWS_FILE])


def import_path(task: str, path: str | Path, owner: str) -> OwnDataset:
    """Validate and keep a dataset from disk (the CLI's --data): a folder with speeds.csv,
    adjacency.csv and optionally locations.csv for traffic; a CSV file for imdb."""
    path = Path(path).expanduser()
    if task == "traffic":
        if not path.is_dir():
            raise OwnDataError(N_("{path} is not a folder: --data for traffic names a folder with speeds.csv, "
                                  "adjacency.csv and optionally locations.csv"), path=path)
        files = {}
        for file_name in TRAFFIC_FILES:
            candidate = path / file_name
            if candidate.is_file():
                files[file_name] = read_limited(candidate)
            elif file_name != "locations.csv":
                raise OwnDataError(N_("{path} has no {file}"), path=path, file=file_name)
        return save_traffic(owner, path.name, files["speeds.csv"], files["adjacency.csv"], files.get("locations.csv"))
    if task == "imdb":
        if not path.is_file():
            raise OwnDataError(N_("{path} is not a file: --data for imdb names a CSV with columns text,label"),
                               path=path)
        return save_reviews(owner, path.stem, read_limited(path), path.name)
    tasks = Message(N_("{tasks} and {last}"), tasks=", ".join(OWN_TASKS[:-1]), last=OWN_TASKS[-1])
    raise OwnDataError(N_("own data is for the tasks {tasks}, not {task}"), tasks=tasks, task=repr(task))


def read_limited(path: Path) -> bytes:
    """A file's bytes, refusing at once anything larger than any file the app accepts."""
    from data.own_validation import MAX_REVIEWS_BYTES

    size = path.stat().st_size
    if size > MAX_REVIEWS_BYTES:
        raise OwnDataError(N_("{path} is {size:.0f} MB; no own-data file may exceed {limit} MB"), path=path,
                           size=size / 2**20, limit=MAX_REVIEWS_BYTES // 2**20)
    return path.read_bytes()
