"""Parameter counts of every architecture at full-data size, read from a table instead of building
the models: opening a task page must not import TensorFlow (about 2 s) just to show a number.

`tests/test_models.py` rebuilds every model and fails when this table is stale; regenerate it with
`python -m models.param_table`.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

TABLE = Path(__file__).with_name("param_counts.json")


@cache
def parameter_counts() -> dict[str, dict[str, int]]:
    """{task: {arch: parameters}} for the default hyperparameters (traffic: the 207-sensor graph)."""
    return json.loads(TABLE.read_text(encoding="utf-8"))


def parameter_count(task: str, arch: str) -> int | None:
    return parameter_counts().get(task, {}).get(arch)


def computed_counts() -> dict[str, dict[str, int]]:
    """Build every model (imports TensorFlow) and count its parameters."""
    from models.registry import ARCHITECTURES, count_params

    return {task: {arch: count_params(task, arch) for arch in archs} for task, archs in ARCHITECTURES.items()}


if __name__ == "__main__":
    TABLE.write_text(json.dumps(computed_counts(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {TABLE}")
