"""The Train pages' copies of strings made below the UI: the catalog must hold what they show."""

from __future__ import annotations

from babel.messages.pofile import read_po

from i18n import CHINESE, catalog_path
from models.registry import ARCHITECTURES
from training.recipes import recipe_rows
from ui.task_page import RECIPE_CELLS, RECIPE_PATTERNS


def test_every_architecture_title_and_description_is_in_the_catalog():
    """They are marked with N_ in models/registry.py, which the extraction reads."""
    shown = {text for task in ARCHITECTURES.values() for info in task.values()
             for text in (info.label, info.description)}
    with catalog_path(CHINESE).open("rb") as source:
        catalog = {message.id for message in read_po(source)}
    assert not shown - catalog, sorted(shown - catalog)


def test_every_recipe_cell_is_marked_for_the_catalog():
    cells = {cell for task, archs in ARCHITECTURES.items() for arch in archs for row in recipe_rows(task, arch)
             for cell in [*row, *row.values()]}
    left = {cell for cell in cells if cell not in RECIPE_CELLS
            and not any(pattern.fullmatch(cell) for pattern, _ in RECIPE_PATTERNS)
            and any(character.isalpha() for character in cell)}
    assert not left, left


def test_every_message_training_stores_with_a_run_is_shown_translated():
    from training.events import budget_help, exploded_help
    from training.jobs import ABANDONED_HELP, STOP_GRACE_SECONDS, STOPPED_HELP
    from ui.live import run_message

    def marked(message: str) -> str:
        return f"<{message}>"

    messages = [exploded_help(2.31, 12_345.6), budget_help(60.0, 3, 8), ABANDONED_HELP, STOPPED_HELP,
                f"Stopped: the worker did not stop by itself within {STOP_GRACE_SECONDS:g} s and was terminated.",
                "The run passed its time budget (90 s) and did not stop by itself, so its worker process was ended.",
                "Training failed: the worker process was killed by SIGKILL."]
    for message in messages:
        assert run_message(message, lambda template: template) == message
        assert run_message(message, marked).startswith("<"), message


def test_data_messages_shown_on_pages_are_translated_with_what_they_quote(monkeypatch, tmp_path):
    from data.download import CorruptFileError, missing_file_help
    from data.mnist import MNIST_FILE
    from ui.datasets import data_message, progress_text

    def marked(message: str) -> str:
        return f"<{message}>"

    monkeypatch.delenv("DLLAB_DATA_MIRROR", raising=False)
    offline = missing_file_help(MNIST_FILE, f"could not download {MNIST_FILE.name} from {MNIST_FILE.url}: "
                                             "<urlopen error [Errno -3] Temporary failure in name resolution>")
    monkeypatch.setenv("DLLAB_DATA_MIRROR", str(tmp_path))
    mirrored = missing_file_help(MNIST_FILE, str(CorruptFileError(tmp_path / "mnist.npz", "not a zip file")))
    notices = [f"The parsed cache {tmp_path / 'mnist.npz'} was damaged or did not match its source files (bad zip); "
               "it was rebuilt from the source files.",
               f"{tmp_path / 'a.csv'} could not be used (truncated). It was moved to {tmp_path / 'a.csv.corrupt'} "
               "(not deleted); a fresh copy is used instead (from the mirror or downloaded)."]
    for message in [offline, mirrored, *notices]:
        assert data_message(message, lambda template: template) == message
        assert data_message(message, marked).startswith("<"), message
    assert "<could not download" in data_message(offline, marked)  # the reason it quotes is translated too
    assert progress_text("Downloading mnist.npz: 3.2 MB of 11.5 MB", marked).startswith("<")
