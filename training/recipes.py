"""What a run trains with once its config is resolved against its architecture's recipe.

Shared by the task pages (the recipe beside the code), the exported scripts and the grouping of
runs across seeds. Free of Keras.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from models.registry import architecture, imdb_settings
from training.engine import resolve_recipe, with_recipe_settings
from training.events import RunConfig
from training.standalone import OPTIMIZERS

RECIPE_FIELDS = ("epochs", "batch_size", "learning_rate", "cosine_decay", "optimizer", "ema_momentum", "limit")
UNRECORDED = {"optimizer": "adam", "ema_momentum": None}  # runs recorded before a field existed trained with this


def run_config(config: dict[str, Any]) -> RunConfig:
    """A RunConfig from a stored record's config (fields this version does not know are ignored)."""
    known = {item.name for item in fields(RunConfig)}
    return RunConfig(**{key: value for key, value in config.items() if key in known})


def recorded_recipe(config: dict[str, Any], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The recipe a run trained with: the values it recorded (so a later change of the
    architecture's default recipe does not rewrite history), else its config resolved now."""
    extra = extra or {}
    try:
        resolved = asdict(resolve_recipe(run_config(config), architecture(config["task"], config["arch"])))
    except (KeyError, TypeError, ValueError):
        resolved = {name: config.get(name) for name in RECIPE_FIELDS}
    recorded = "epochs" in extra  # the run wrote down its recipe: a field it lacks predates it
    return {name: extra.get(name, UNRECORDED.get(name) if recorded and name in UNRECORDED else resolved.get(name))
            for name in RECIPE_FIELDS}


def describe_limit(limit: int | None) -> str:
    return "all" if limit is None else f"first {limit:,}"


def recipe_rows(task: str, arch: str) -> list[dict[str, str]]:
    """The full and the quick recipe of an architecture, resolved as a run with no overrides
    would be, one row per setting, for a small table beside the code."""
    info = architecture(task, arch)
    if not info.learned:
        return [{"Setting": "training", "Full": "none: a fixed rule computed from the training data",
                 "Quick": "the same"}]
    full, quick = (resolve_recipe(RunConfig(task=task, arch=arch, quick=flag), info) for flag in (False, True))

    def schedule(recipe):
        return "cosine decay to 2 %" if recipe.cosine_decay else "constant"

    def averaging(recipe):
        return "off" if recipe.ema_momentum is None else f"momentum {recipe.ema_momentum:g}"

    rows = [("Epochs", full.epochs, quick.epochs), ("Batch size", full.batch_size, quick.batch_size),
            ("Optimizer", OPTIMIZERS[full.optimizer], OPTIMIZERS[quick.optimizer]),
            ("Learning rate", f"{full.learning_rate:g}", f"{quick.learning_rate:g}"),
            ("Learning-rate schedule", schedule(full), schedule(quick)),
            ("Weight average", averaging(full), averaging(quick)),
            ("Training samples", describe_limit(full.limit), describe_limit(quick.limit))]
    if task == "imdb":
        # What each run reads, by the engine's own rule (a recipe's sequence length wins).
        full_text, quick_text = (
            imdb_settings(info, with_recipe_settings(RunConfig(task, arch), recipe).hyperparameters)[0]
            for recipe in (full, quick))

        def shown(value):
            return "all" if value is None else f"{value:,}"  # NBSVM reads every token

        rows += [(f"Text: {name.replace('_', ' ')}", shown(full_text[name]), shown(quick_text[name]))
                 for name in full_text]
        if not full_text.get("distinct"):  # NBSVM has no word vectors, only its ratios
            start = "word co-occurrences in the training reviews" if info.needs_word_vectors else "random"
            rows.append(("Starting word vectors", start, start))
    return [{"Setting": name, "Full": str(full_value), "Quick": str(quick_value)}
            for name, full_value, quick_value in rows]
