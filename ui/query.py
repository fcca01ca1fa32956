"""A task page's setup in the URL query string, so a shared link opens the same setup.

`?archs=dnn,cnn&epochs=3&batch=64&lr=0.001&seed=1&quick=1`. Unknown architectures and values
that do not parse are ignored rather than shown as errors: a link may be old or hand-edited.
Streamlit-free, so the codec can be tested without an app.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from training.bounds import BATCH_RANGE, EPOCH_RANGE, LEARNING_RATE_RANGE, SEED_RANGE


@dataclass
class PageSetup:
    """The form of a task page. `None` hyperparameters mean "each architecture's recipe"."""

    archs: list[str] = field(default_factory=list)
    epochs: int | None = None
    batch_size: int | None = None
    learning_rate: float | None = None
    seed: int = 0
    quick: bool = True


def _number(text: str | None, kind, bounds):
    if text is None:
        return None
    try:
        value = kind(text)
    except (TypeError, ValueError):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value if bounds[0] <= value <= bounds[1] else None


def setup_from_query(params: Mapping[str, str], known_archs: list[str], default: PageSetup) -> PageSetup:
    """The setup a link describes, with `default` for whatever it leaves out or gets wrong."""
    archs = [name for name in params.get("archs", "").split(",") if name in known_archs]
    seed = _number(params.get("seed"), int, SEED_RANGE)
    quick = params.get("quick")
    return PageSetup(
        archs=list(dict.fromkeys(archs)) or list(default.archs),
        epochs=_number(params.get("epochs"), int, EPOCH_RANGE) or default.epochs,
        batch_size=_number(params.get("batch"), int, BATCH_RANGE) or default.batch_size,
        learning_rate=_number(params.get("lr"), float, LEARNING_RATE_RANGE) or default.learning_rate,
        seed=default.seed if seed is None else seed,
        quick=default.quick if quick not in ("0", "1") else quick == "1",
    )


def setup_to_query(setup: PageSetup) -> dict[str, str]:
    """Query parameters for `setup`; recipe defaults (None) are left out of the link."""
    params = {"archs": ",".join(setup.archs), "seed": str(setup.seed), "quick": "1" if setup.quick else "0"}
    if setup.epochs is not None:
        params["epochs"] = str(setup.epochs)
    if setup.batch_size is not None:
        params["batch"] = str(setup.batch_size)
    if setup.learning_rate is not None:
        params["lr"] = f"{setup.learning_rate:g}"
    return params
