"""The benchmark scripts that start a service, in --quick mode: Ray (bench.sweep_overhead) and a
Streamlit server with a browser (bench.startup). A module of their own, so pytest-xdist runs them
beside tests/test_bench_smoke.py instead of after it."""

from __future__ import annotations

import importlib.util
import os

import pytest

from tests.test_bench_smoke import run_bench


@pytest.mark.skipif(importlib.util.find_spec("ray") is None, reason="needs Ray Tune (requirements-cluster.txt)")
def test_sweep_overhead_bench_quick(tiny_mirror, tmp_path):
    payload = run_bench("sweep_overhead", tmp_path, "--archs", "dnn")
    assert [(row["engine"], row["trials"]) for row in payload["rows"]] == [("local", 1), ("ray", 1)]
    (summary,) = payload["summary"]
    local, ray = payload["rows"]
    assert summary["ray_overhead_seconds_per_trial"] == pytest.approx(
        ray["seconds_per_trial"] - local["seconds_per_trial"], abs=0.02)
    assert payload["ray_start_seconds"] > 0 and ray["train_seconds_per_trial"] > 0


@pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"), reason="needs Debian's /usr/bin/chromium")
def test_startup_bench_quick(tmp_path):
    pytest.importorskip("playwright")
    payload = run_bench("startup", tmp_path)
    rows = {row["app"]: row for row in payload["rows"]}
    assert set(rows) == {"dashboard", "streamlit hello"} and rows["dashboard"]["lesson_seconds"] > 0
    for row in rows.values():
        assert row["cold_seconds"] > 0 and row["second_load_seconds"] > 0 and row["idle_rss_mb"] > 50
    ratio = payload["ratio_dashboard_to_hello"]["cold_seconds"]["of_medians"]
    assert ratio == pytest.approx(rows["dashboard"]["cold_seconds"] / rows["streamlit hello"]["cold_seconds"], abs=1e-3)
