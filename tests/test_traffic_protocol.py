"""The T-GCN paper's protocol (bench.traffic_protocol): the authors' windows, pooled horizons,
both epoch choices and the paper's HA, checked by hand and, with the mirror, against the numbers
recomputed from the authors' code (shared/REFERENCES.md)."""

from __future__ import annotations

import numpy as np
import pytest

from bench.traffic_protocol import (
    BEST_ON_TEST,
    LAST,
    baseline_forecast,
    epoch_choices,
    paper_windows,
    protocol_errors,
    protocol_split,
)


def ramp_speeds(steps: int = 150, sensors: int = 2) -> np.ndarray:
    return (10.0 + np.arange(steps, dtype=np.float32)[:, None] + np.arange(sensors)).astype(np.float32)


def test_windows_follow_the_authors_loop():
    assert len(paper_windows(np.zeros((40, 1)), 3)) == 40 - 12 - 3  # range(len - seq_len - pre_len)
    split = protocol_split(ramp_speeds())
    assert len(split.train_speeds) == 120 and split.scale == pytest.approx(10 + 119 + 1)  # training maximum
    assert split.inputs.shape == (30 - 12 - 3, 12, 2)  # the 15-minute row has the most windows
    np.testing.assert_array_equal(split.inputs[0, :, 0], np.arange(130, 142))


def test_fifteen_minutes_pools_steps_one_to_three():
    split = protocol_split(ramp_speeds())
    # persistence on a ramp that rises 1 mph per step is wrong by 1, 2, 3, ... mph at steps 1, 2, 3, ...
    errors = protocol_errors(split, baseline_forecast("persistence", split))
    assert errors["mae_15"] == pytest.approx(2.0)  # mean of 1, 2, 3
    assert errors["rmse_15"] == pytest.approx(np.sqrt((1 + 4 + 9) / 3))
    assert errors["step_mae_15"] == pytest.approx(3.0) and errors["step_mae_60"] == pytest.approx(12.0)
    assert errors["mae_60"] == pytest.approx(6.5)  # mean of 1..12, over the 60-minute row's windows only
    short = protocol_split(ramp_speeds(100))  # 20 test steps: no 60-minute window fits
    assert "mae_60" not in protocol_errors(short, baseline_forecast("persistence", short))


def test_the_papers_ha_is_the_input_window_mean_fed_back():
    split = protocol_split(ramp_speeds())
    forecast = baseline_forecast("paper_ha", split)
    window = split.inputs[0, :, 0]  # 130..141
    first = window.mean()
    second = np.append(window[1:], first).mean()
    np.testing.assert_allclose(forecast[0, :2, 0], [first, second], rtol=1e-6)


def test_epoch_choices_report_the_last_and_the_best_on_test():
    per_epoch = [{"mae_15": 3.0, "rmse_15": 6.0, "mae_60": 5.0, "rmse_60": 9.0},
                 {"mae_15": 2.9, "rmse_15": 5.5, "mae_60": 5.2, "rmse_60": 9.5},
                 {"mae_15": 3.1, "rmse_15": 5.8, "mae_60": 5.1, "rmse_60": 9.4}]
    chosen = epoch_choices(per_epoch)
    assert chosen[LAST] == {"epoch_15": 3, "epoch_60": 3, **per_epoch[2]}
    best = chosen[BEST_ON_TEST]  # each horizon its own epoch, as one model per horizon would
    assert (best["epoch_15"], best["rmse_15"], best["mae_15"]) == (2, 5.5, 2.9)
    assert (best["epoch_60"], best["rmse_60"]) == (1, 9.0)


@pytest.mark.mirror
def test_persistence_beats_the_published_t_gcn_mae_under_its_own_protocol():
    from data.traffic import load_traffic

    split = protocol_split(load_traffic().speeds)
    persistence = protocol_errors(split, baseline_forecast("persistence", split))
    assert (round(persistence["rmse_15"], 3), round(persistence["mae_15"], 3)) == (5.543, 3.156)
    assert (round(persistence["step_rmse_15"], 3), round(persistence["step_mae_15"], 3)) == (6.425, 3.560)
    assert round(persistence["mae_60"], 3) == 4.433
    paper_ha = protocol_errors(split, baseline_forecast("paper_ha", split))
    assert (round(paper_ha["rmse_15"], 3), round(paper_ha["mae_15"], 3)) == (7.307, 3.878)
    assert persistence["mae_15"] < 3.1802  # the published T-GCN MAE at 15 minutes
