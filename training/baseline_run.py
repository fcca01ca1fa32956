"""Non-learned baselines go through `train` too, so they are stored and compared like models."""

from __future__ import annotations

import time

from models.registry import ArchInfo
from training.datasets import Prepared
from training.events import FAILED, FINISHED, RunConfig, RunResult, TrainingCallbacks
from training.recording import finish, new_result, save_predictions
from training.store import RunStore
from training.tasks import baseline_predictions, score_baseline


def run_baseline(config: RunConfig, info: ArchInfo, data: Prepared, callbacks: TrainingCallbacks,
                 store: RunStore | None, started: float) -> RunResult:
    extra = {"train_size": data.train_size, **({"dataset": dict(data.dataset)} if data.dataset else {})}
    run_id, folder = new_result(config, store, 0, False, extra)
    callbacks.on_start(run_id, config, 0, 0, 0)
    clock = time.perf_counter()
    status, message, metrics, predictions = FINISHED, "", {}, None
    try:
        predictions = baseline_predictions(info, data)
        metrics = score_baseline(data, predictions)
        save_predictions(folder, predictions)
    except Exception as error:  # noqa: BLE001 - recorded like a failed training
        status, message = FAILED, f"{type(error).__name__}: {error}"
    result = finish(store, RunResult(run_id=run_id, config=config, status=status, message=message,
                                     metrics=metrics, params=0, epochs_run=0,
                                     train_seconds=time.perf_counter() - clock, predictions=predictions,
                                     run_dir=folder), started)
    callbacks.on_finish(result)
    return result
