"""Traffic under the T-GCN paper's protocol on the same "Los-loop" files, so our numbers can be
read beside the paper's table: 80/20 chronological split of the time steps, 12 input steps,
horizons 15/30/45/60 minutes, speeds scaled by the training maximum (not z-scored).

The paper has no validation split; the engine still wants one to report validation loss, so the
last tenth of the training windows is passed as validation too (monitoring only: no early
stopping, nothing is selected on it, and it stays in the training set).

    python -m bench.traffic_protocol [--quick] [--seeds 3]
"""

from __future__ import annotations

import sys
from dataclasses import replace

import numpy as np

from bench.common import mean_std, parser, write_results

ARCHS = ["persistence", "historical_average", "dnn", "cnn", "lstm", "gcn", "gcn_gru"]
HORIZONS = {15: 3, 30: 6, 45: 9, 60: 12}


def t_gcn_prepared():
    """The engine's traffic data, re-split and re-scaled the T-GCN way."""
    from data.traffic import window_starts
    from training.datasets import prepare

    base = prepare("traffic")
    from data.traffic import load_traffic

    speeds = load_traffic().speeds
    train_end = int(len(speeds) * 0.8)
    scale = float(speeds[:train_end].max())
    scaled = (speeds / scale).astype(np.float32)

    def windows(begin, end):
        starts = window_starts(begin, end, 12, 12)
        x = scaled[starts[:, None] + np.arange(12)]  # (windows, 12, sensors)
        y = scaled[starts[:, None] + 12 + np.arange(12)]  # (windows, 12, sensors)
        return x, y, starts + 12

    x_train, y_train, _ = windows(0, train_end)
    x_test, y_test, test_start = windows(train_end, len(speeds))
    monitor = slice(int(len(x_train) * 0.9), None)
    return replace(base, x_train=x_train, y_train=y_train, x_val=x_train[monitor], y_val=y_train[monitor],
                   x_test=x_test, y_test=y_test, mean=0.0, std=scale, train_speeds=speeds[:train_end],
                   test_target_start=test_start)


def horizon_errors(data, predictions_mph: np.ndarray) -> dict:
    from training.metrics import masked_errors

    truth = data.denormalize(data.y_test)
    errors = {}
    for minutes, step in HORIZONS.items():
        mae, rmse, _ = masked_errors(truth[:, step - 1], predictions_mph[:, step - 1])
        errors[f"mae_{minutes}"], errors[f"rmse_{minutes}"] = mae, rmse
    return errors


def main() -> None:
    arguments = parser(__doc__)
    arguments.add_argument("--seeds", type=int, default=None)
    arguments.add_argument("--archs", nargs="+", default=ARCHS, choices=ARCHS)
    options = arguments.parse_args()
    seeds = options.seeds or (1 if options.quick else 3)

    from training.engine import train
    from training.events import RunConfig

    data = t_gcn_prepared()
    rows = []
    for arch in options.archs:
        measured = []
        for seed in range(seeds):
            result = train(RunConfig("traffic", arch, seed=seed, epochs=1 if options.quick else None),
                           store=False, data=data)
            if not result.ok:
                print(f"{arch} seed {seed}: {result.status} {result.message}", file=sys.stderr)
                continue
            measured.append(horizon_errors(data, np.asarray(result.predictions)))
            print(f"{arch} seed {seed}: {measured[-1]}", file=sys.stderr)
            if result.model is None:
                break  # baselines are deterministic: one seed is enough
        row = {"arch": arch, "runs": len(measured)}
        for key in (measured[0] if measured else {}):
            mean, std = mean_std([errors[key] for errors in measured])
            row[key] = {"mean": mean, "std": std}
        rows.append(row)
    write_results(options, "traffic_protocol", rows, {"protocol": "T-GCN: 80/20, 12 inputs, max scaling",
                                                      "seeds": seeds})


if __name__ == "__main__":
    main()
