"""Command line: `python -m training list`, `python -m training run --task T --arch A [...]`,
`python -m training export RUN_ID [-o FILE]` (a standalone script that retrains a stored run) and
`python -m training sweep --task T --archs A B [...]`.

With `--json` the last stdout line of `run` is one JSON object (a JSON list with `--compare`), and
of `sweep` one JSON object with every trial and every configuration's means over seeds; an
invalid command (bad arguments, unknown task or architecture, bad hyperparameters) prints
`{"status": "invalid", "message": ...}` instead and exits with 2. Progress, and what loading the
data had to recover from, go to stderr; the exit code is 0 only when every run finished.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from dataclasses import replace

from models.registry import ARCHITECTURES, TASKS
from training.events import FINISHED, RunConfig, RunResult, TrainingCallbacks


class InvalidCommand(Exception):
    """A command that cannot run as given: exit code 2, and a JSON line saying so with --json."""


class CommandParser(argparse.ArgumentParser):
    """argparse, but its errors are raised (not printed with sys.exit), so --json can report them."""

    def error(self, message):
        raise InvalidCommand(f"{message}\n{self.format_usage().strip()}")


class ProgressBar(TrainingCallbacks):
    """A one-line text bar on stderr, redrawn at most ten times a second."""

    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.last_draw = 0.0
        self.epochs = 0
        self.label = ""

    def on_start(self, run_id, config, params, epochs, batches_per_epoch):
        self.epochs = epochs
        self.label = f"{config.task}/{config.arch}"
        print(f"{self.label}: run {run_id}, {params:,} parameters, {epochs} epochs of "
              f"{batches_per_epoch} batches", file=self.stream, flush=True)

    def on_batch_end(self, epoch, batch, batches_per_epoch, logs):
        now = time.monotonic()
        if now - self.last_draw < 0.1 and batch + 1 < batches_per_epoch:
            return
        self.last_draw = now
        done = (batch + 1) / batches_per_epoch
        filled = int(30 * done)
        print(f"\repoch {epoch + 1}/{self.epochs} [{'#' * filled}{'.' * (30 - filled)}] "
              f"{batch + 1}/{batches_per_epoch} loss {logs.get('loss', float('nan')):.4f}",
              end="", file=self.stream, flush=True)

    def on_epoch_end(self, epoch, logs):
        shown = ", ".join(f"{key} {value:.4f}" for key, value in logs.items() if key != "seconds")
        print(f"\repoch {epoch + 1}/{self.epochs}: {shown} ({logs.get('seconds', 0):.1f} s)".ljust(80),
              file=self.stream, flush=True)

    def on_finish(self, result):
        if result.ok:
            print(f"{self.label}: {TASKS[result.config.task].headline_text(result.metrics)} "
                  f"({result.train_seconds:.1f} s training)", file=self.stream, flush=True)
        else:
            print(f"{self.label}: {result.status}. {result.message}", file=self.stream, flush=True)


def summary(result: RunResult, notices: tuple[str, ...] = ()) -> dict:
    task = result.config.task
    return {"run_id": result.run_id, "task": task, "arch": result.config.arch, "status": result.status,
            "epochs": result.epochs_run, "params": result.params,
            "train_seconds": round(result.train_seconds, 3),
            "metrics": {key: result.metrics[key] for key in TASKS[task].metric_keys if key in result.metrics},
            "message": result.message, "data_notices": list(notices)}


def command_list(_arguments) -> int:
    from models.registry import count_params

    for task, info in TASKS.items():
        print(f"{task}: {info.description}")
        for name, info in ARCHITECTURES[task].items():
            params = count_params(task, name)
            kind = f"{params:,} params" if info.learned else "baseline"
            print(f"  {name:<18} {kind:>15}  {info.description}")
    return 0


def comparison_table(results: list[RunResult]) -> str:
    task = results[0].config.task
    columns = TASKS[task].summary
    header = f"{'arch':<18} {'status':<10} {'params':>9} {'epochs':>6} {'seconds':>8} " + \
             " ".join(f"{column:>9}" for column in columns)
    lines = [header, "-" * len(header)]
    for result in results:
        values = " ".join(f"{result.metrics[column]:>9.4f}" if column in result.metrics else f"{'-':>9}"
                          for column in columns)
        lines.append(f"{result.config.arch:<18} {result.status:<10} {result.params:>9,} "
                     f"{result.epochs_run:>6} {result.train_seconds:>8.1f} {values}")
    return "\n".join(lines)


def run_configs(arguments) -> list[RunConfig]:
    """One config per architecture asked for, each checked before anything trains."""
    from models.registry import architecture
    from training.engine import resolve_recipe

    if arguments.compare is not None:
        archs = arguments.compare or list(ARCHITECTURES.get(arguments.task, {}))
    elif arguments.arch:
        archs = [arguments.arch]
    else:
        raise InvalidCommand("give --arch ARCH, or --compare [ARCH ...] to train several")
    configs = [RunConfig(task=arguments.task, arch=arch, epochs=arguments.epochs,
                         batch_size=arguments.batch_size, learning_rate=arguments.learning_rate,
                         seed=arguments.seed, limit=arguments.limit, quick=arguments.quick,
                         early_stopping=arguments.early_stopping, clip_norm=arguments.clip_norm,
                         owner=arguments.owner)
               for arch in archs]
    try:
        for config in configs:
            resolve_recipe(config, architecture(config.task, config.arch))
    except ValueError as error:
        raise InvalidCommand(str(error)) from error
    return configs


def cancel_on_ctrl_c(function, *arguments) -> int:
    """`function(*arguments, cancel)`, where Ctrl-C sets `cancel`: runs stop cleanly between
    batches and are stored as cancelled."""
    cancel = threading.Event()
    previous_handler = None
    if threading.current_thread() is threading.main_thread():
        previous_handler = signal.signal(signal.SIGINT, lambda *_: cancel.set())
    try:
        return function(*arguments, cancel)
    finally:
        if previous_handler is not None:
            signal.signal(signal.SIGINT, previous_handler)


def command_run(arguments) -> int:
    return cancel_on_ctrl_c(train_all, arguments, run_configs(arguments))


def own_dataset(arguments) -> str:
    """--data: validate the learner's files, keep them in the app's data folder; the reference."""
    if not arguments.data:
        return ""
    from data.own_store import import_path

    try:
        dataset = import_path(arguments.task, arguments.data, arguments.owner)
    except ValueError as error:
        raise InvalidCommand(str(error)) from error
    print(f"own data {dataset.name!r}: {dataset.describe()}; kept as {dataset.folder} "
          f"(sha256 {dataset.checksum[:16]}…)", file=sys.stderr, flush=True)
    return dataset.reference


def train_all(arguments, configs: list[RunConfig], cancel: threading.Event) -> int:
    from data.download import DatasetError
    from training.datasets import prepare
    from training.engine import train

    data = own_dataset(arguments)
    configs = [replace(config, data=data) for config in configs]
    try:
        notices = prepare(arguments.task, dataset=data).notices  # train() below reuses this process's copy
    except DatasetError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for notice in notices:
        print(f"warning: {notice}", file=sys.stderr, flush=True)
    results = []
    for config in configs:
        if cancel.is_set():
            break
        try:
            results.append(train(config, callbacks=ProgressBar(), cancel=cancel))
        except ValueError as error:
            raise InvalidCommand(str(error)) from error
        except DatasetError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    if len(results) > 1:
        print(comparison_table(results))
    if arguments.json:
        summaries = [summary(result, notices) for result in results]
        print(json.dumps(summaries if arguments.compare is not None else summaries[0]))
    failed = [result for result in results if result.status != FINISHED]
    for result in failed:
        print(f"error: {result.config.task}/{result.config.arch} {result.status}: {result.message}",
              file=sys.stderr)
    return 1 if failed or not results else 0


def command_export(arguments) -> int:
    from training.export import ExportError, export_run

    try:
        script = export_run(arguments.run_id)
    except ExportError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if arguments.output in (None, "-"):
        sys.stdout.write(script)
        return 0
    try:
        with open(arguments.output, "x", encoding="utf-8") as handle:
            handle.write(script)
    except FileExistsError:
        print(f"error: {arguments.output} exists; choose another file name (nothing was overwritten)",
              file=sys.stderr)
        return 2
    print(f"wrote {arguments.output}: run it with `python {arguments.output}` (needs keras, tensorflow, numpy)",
          file=sys.stderr)
    return 0
def command_sweep(arguments) -> int:
    from training.sweep import parse_grid, plan

    try:
        if arguments.max_concurrent is not None and arguments.max_concurrent < 1:
            raise ValueError(f"--max-concurrent must be at least 1, got {arguments.max_concurrent}")
        if arguments.engine == "local" and (arguments.address or arguments.scheduler != "none"):
            raise ValueError("--address and --scheduler asha need --engine ray")
        sweep = plan(arguments.task, arguments.archs, arguments.seeds, parse_grid(arguments.grid),
                     quick=arguments.quick, owner=arguments.owner)
    except ValueError as error:
        raise InvalidCommand(str(error)) from error
    if arguments.engine == "ray":
        try:
            import training.sweep_ray  # noqa: F401 - fails here, before anything starts, without Ray
        except ImportError as error:
            raise InvalidCommand(f"the Ray engine needs Ray Tune ({error}); install it with "
                                 "`pip install -r requirements-cluster.txt`") from error
    return cancel_on_ctrl_c(run_sweep, arguments, sweep)


def run_sweep(arguments, sweep, cancel: threading.Event) -> int:
    from training.store import RunStore, to_json
    from training.sweep import Progress, configuration_key, run_local, summarize, summary_table, trial_summary

    store = RunStore()
    configurations = len({configuration_key(trial.config.to_dict()) for trial in sweep.trials})
    print(f"sweep {sweep.id}: {len(sweep.trials)} trials ({configurations} configurations x "
          f"{len(arguments.seeds)} seeds), engine {arguments.engine}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    progress = Progress(len(sweep.trials))
    if arguments.engine == "ray":
        from training.sweep_ray import run_ray

        records = run_ray(sweep, store, address=arguments.address, max_concurrent=arguments.max_concurrent,
                          scheduler=arguments.scheduler, cancel=cancel, progress=progress)
    else:
        records = run_local(sweep, store, max_concurrent=arguments.max_concurrent or 1, cancel=cancel,
                            progress=progress)
    seconds = time.perf_counter() - started
    rows = summarize(records)
    print(summary_table(rows))
    problems = [record for record in records if record["status"] != FINISHED]
    for record in problems:
        print(f"error: {record['arch']} seed {record['config']['seed']} {record['status']}: {record['message']}",
              file=sys.stderr)
    if arguments.json:
        print(to_json({"sweep_id": sweep.id, "task": sweep.task, "engine": arguments.engine,
                       "scheduler": arguments.scheduler, "max_concurrent": arguments.max_concurrent,
                       "archs": arguments.archs, "seeds": arguments.seeds, "grid": sweep.grid,
                       "quick": arguments.quick, "cancelled": cancel.is_set(), "seconds": round(seconds, 2),
                       "trials": [trial_summary(record) for record in records], "configurations": rows}))
    return 1 if problems else 0


def parser() -> argparse.ArgumentParser:
    main = CommandParser(prog="python -m training", description="Train and compare the "
                                   "Deep Learning Lab models; runs are stored in $DLLAB_HOME/runs.sqlite.")
    commands = main.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="every task and architecture with its parameter count")
    run = commands.add_parser("run", help="train one architecture (or several with --compare)")
    run.add_argument("--task", required=True, choices=list(TASKS))
    run.add_argument("--arch", help="architecture name (see `list`)")
    run.add_argument("--compare", nargs="*", metavar="ARCH",
                     help="train these architectures (all of the task when none are named) and print a table")
    run.add_argument("--epochs", type=int)
    run.add_argument("--batch-size", type=int)
    run.add_argument("--learning-rate", type=float)
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--limit", type=int, help="keep only the first N training samples")
    run.add_argument("--quick", action="store_true", help="use the quick demo recipe")
    run.add_argument("--early-stopping", action="store_true")
    run.add_argument("--clip-norm", type=float, help="clip gradients to this global norm")
    run.add_argument("--owner", default="cli", help="free text stored with the run")
    run.add_argument("--data", metavar="PATH",
                     help="your own dataset: for traffic a folder with speeds.csv, adjacency.csv and optionally "
                          "locations.csv; for imdb a CSV file with columns text,label (checked, then kept in "
                          "$DLLAB_HOME/datasets/own/)")
    run.add_argument("--json", action="store_true", help="print a JSON summary as the last stdout line")
    export = commands.add_parser("export", help="write a standalone Python script that retrains a stored run")
    export.add_argument("run_id", metavar="RUN_ID", help="a stored run's id (see the Run history page)")
    export.add_argument("-o", "--output", metavar="FILE", help="write the script here (default: stdout)")
    sweep = commands.add_parser("sweep", help="architectures x grid x seeds, each trial a stored run; "
                                "a table of means and std over seeds")
    sweep.add_argument("--task", required=True, choices=list(TASKS))
    sweep.add_argument("--archs", nargs="+", required=True, metavar="ARCH")
    sweep.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2], metavar="SEED")
    sweep.add_argument("--grid", nargs="*", default=[], metavar="KEY=V1,V2",
                       help="values to cross: epochs, batch_size, learning_rate (e.g. learning_rate=1e-3,3e-3)")
    sweep.add_argument("--quick", action="store_true", help="use the quick demo recipe")
    sweep.add_argument("--engine", choices=["local", "ray"], default="local",
                       help="local worker processes (default) or Ray Tune (needs requirements-cluster.txt)")
    sweep.add_argument("--address", help="Ray cluster to join (`auto`: the one this machine belongs to); "
                       "none starts a single-node Ray here")
    sweep.add_argument("--max-concurrent", type=int,
                       help="trials at once (default: 1 locally; with Ray, one per CPU the cluster offers)")
    sweep.add_argument("--scheduler", choices=["none", "asha"], default="none",
                       help="asha stops poor trials early (Ray only)")
    sweep.add_argument("--owner", default="cli", help="free text stored with the runs")
    sweep.add_argument("--json", action="store_true", help="print a JSON summary as the last stdout line")
    return main


def wants_json(argv: list[str]) -> bool:
    """True when the command line asks for --json (argparse also accepts an abbreviation)."""
    return any(len(argument) > 3 and "--json".startswith(argument) for argument in argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        arguments = parser().parse_args(argv)
        if arguments.command == "list":
            return command_list(arguments)
        if arguments.command == "export":
            return command_export(arguments)
        if arguments.command == "sweep":
            return command_sweep(arguments)
        return command_run(arguments)
    except InvalidCommand as error:
        print(f"error: {error}", file=sys.stderr)
        if wants_json(argv):
            print(json.dumps({"status": "invalid", "message": str(error).splitlines()[0]}))
        return 2


if __name__ == "__main__":
    sys.exit(main())
