"""Overhead of the app's training path: the same model and data trained through the worker process
the task pages use (training.jobs.Job -> spawned child -> engine -> progress events -> relay,
polled like the page's fragment, runs recorded in a store) and through a plain `model.fit` in this
process, alternating A/B so that machine noise hits both. Reports the median ratio of fit seconds
(goal <= 1.05) and, on its own, the worker's start-up: from the Train click to the first batch's
event (spawn, TensorFlow import, data load from the parsed cache, build and compile).

    python -m bench.overhead [--quick] [--pairs 5] [--task mnist --arch cnn --epochs 2]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.common import parser, write_results


def app_path(config, gate, store) -> tuple[float, float]:
    """(fit seconds in the worker, seconds from start to the first progress event)."""
    from training.jobs import TRAINING, Job

    started = time.monotonic()
    job = Job([config], gate, store=store).start()
    startup = None
    while not job.finished:  # what the page's fragment does, but finer, to time the start-up
        run = job.poll().runs[0]
        if startup is None and run.status == TRAINING and run.batch > 0:
            startup = time.monotonic() - started
        time.sleep(0.05)
    run = job.runs[0]
    if run.status != "finished":
        raise RuntimeError(f"app path ended {run.status}: {run.message}")
    return run.result.train_seconds, startup if startup is not None else float("nan")


def plain_fit(config, data) -> float:
    """The engine's model, optimizer and loss, fitted with nothing around it."""
    import keras

    from models.registry import architecture, build, recipe_for
    from training.tasks import fit_data

    info = architecture(config.task, config.arch)
    recipe = recipe_for(info, config.quick)
    keras.utils.set_random_seed(config.seed)
    prepared = fit_data(info, data, config.hyperparameters)
    model = build(info, prepared.hyperparameters, **prepared.builder_arguments)
    batches = max(1, -(-len(prepared.y_train) // recipe.batch_size))
    rate = recipe.learning_rate
    if recipe.cosine_decay:
        rate = keras.optimizers.schedules.CosineDecay(rate, decay_steps=config.epochs * batches, alpha=0.02)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=rate), loss=prepared.loss, metrics=prepared.metrics)
    started = time.perf_counter()
    model.fit(**prepared.fit_arguments(recipe.batch_size, config.seed), epochs=config.epochs, verbose=0)
    seconds = time.perf_counter() - started
    keras.utils.clear_session()  # as the engine does after a run, so both sides start alike
    return seconds


def main() -> None:
    arguments = parser(__doc__)
    arguments.add_argument("--pairs", type=int, default=None)
    arguments.add_argument("--task", default="mnist")
    arguments.add_argument("--arch", default="cnn")
    arguments.add_argument("--epochs", type=int, default=2)
    options = arguments.parse_args()
    pairs = options.pairs or (1 if options.quick else 6)

    from training.datasets import prepare
    from training.events import RunConfig
    from training.gate import TrainingGate
    from training.store import RunStore

    config = RunConfig(options.task, options.arch, epochs=1 if options.quick else options.epochs, quick=True)
    data = prepare(options.task, quick=True)
    gate = TrainingGate(1)
    rows = []
    with tempfile.TemporaryDirectory() as home:
        store = RunStore(Path(home) / "runs.sqlite")  # the workers load the data as the app's do
        plain_fit(config, data)  # warm-up: first-use costs (tracing, kernels) hit neither side
        for pair in range(pairs):
            # A, B then B, A: whatever runs second in a pair (warmer caches, a fuller heap)
            # favours neither side.
            app_first = pair % 2 == 0
            if app_first:
                app_seconds, startup = app_path(config, gate, store)
            plain_seconds = plain_fit(config, data)
            if not app_first:
                app_seconds, startup = app_path(config, gate, store)
            rows.append({"pair": pair, "first": "app" if app_first else "plain", "app_seconds": round(app_seconds, 2),
                         "plain_seconds": round(plain_seconds, 2), "ratio": round(app_seconds / plain_seconds, 3),
                         "worker_startup_seconds": round(startup, 2)})
            print(rows[-1], file=sys.stderr)
    median = statistics.median(row["ratio"] for row in rows)
    startup = statistics.median(row["worker_startup_seconds"] for row in rows)
    write_results(options, "overhead", rows, {"median_ratio": median, "median_worker_startup_seconds": startup,
                                              "setup": f"{config.task}/{config.arch}, quick subset "
                                                       f"({len(data.y_train)} samples), {config.epochs} epochs, "
                                                       "A/B then B/A; the app side trains in a spawned worker"})


if __name__ == "__main__":
    main()
