"""Training jobs in worker processes and the process-wide gate that limits concurrent trainings."""

from __future__ import annotations

import os
import queue
import signal
import threading
import time

import numpy as np
import pytest

from data.mnist import load_mnist
from training import jobs
from training.bounds import BUDGET_VARIABLE
from training.events import CANCELLED, FAILED, FINISHED, RunConfig
from training.gate import LIMIT_VARIABLE, TrainingGate, configured_limit
from training.jobs import ABANDONED_HELP, QUEUED, STARTING, STOP_GRACE_SECONDS, TRAINING, CallJob, Job
from training.store import RunStore


def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.02)


def test_gate_admits_first_come_first_served_and_reports_places_in_line():
    gate = TrainingGate(limit=1)
    assert gate.acquire("blocker")
    order: list[str] = []

    def worker(ticket):
        gate.acquire(ticket)
        order.append(ticket)
        time.sleep(0.05)
        gate.release(ticket)

    threads = []
    for ticket in ("first", "second", "third"):
        threads.append(threading.Thread(target=worker, args=(ticket,)))
        threads[-1].start()
        wait_for(lambda t=ticket: gate.position(t) is not None)
    assert [gate.position(ticket) for ticket in ("blocker", "first", "second", "third")] == [0, 1, 2, 3]
    assert (gate.running, gate.waiting) == (1, 3)
    gate.release("blocker")
    for thread in threads:
        thread.join(5)
    assert order == ["first", "second", "third"]
    assert gate.position("first") is None and gate.running == 0


def test_gate_lets_limit_holders_in_together_and_a_cancelled_waiter_leaves_the_line():
    gate = TrainingGate(limit=2)
    assert gate.acquire("a") and gate.acquire("b")
    cancel = threading.Event()
    outcome = []
    waiter = threading.Thread(target=lambda: outcome.append(gate.acquire("c", cancel, poll_seconds=0.01)))
    waiter.start()
    wait_for(lambda: gate.position("c") == 1)
    cancel.set()
    waiter.join(5)
    assert outcome == [False] and gate.position("c") is None and gate.waiting == 0
    with pytest.raises(ValueError, match="at least 1"):
        TrainingGate(limit=0)


def test_the_limit_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv(LIMIT_VARIABLE, raising=False)
    assert configured_limit() == 1
    monkeypatch.setenv(LIMIT_VARIABLE, "3")
    assert configured_limit() == 3
    for bad in ("zero", "0", "-2"):
        monkeypatch.setenv(LIMIT_VARIABLE, bad)
        with pytest.raises(ValueError, match=LIMIT_VARIABLE):
            configured_limit()


def test_a_job_stopped_while_waiting_for_a_slot_is_cancelled_without_training(tmp_path):
    gate = TrainingGate(limit=1)
    gate.acquire("someone else")
    store = RunStore(tmp_path / "runs.sqlite")
    job = Job([RunConfig("mnist", "dnn"), RunConfig("mnist", "cnn")], gate, store=store).start()
    wait_for(lambda: job.queue_position() == 1)
    assert [run.status for run in job.poll().runs] == [QUEUED, QUEUED]
    job.stop()
    assert job.wait(10)
    assert [run.status for run in job.runs] == [CANCELLED, CANCELLED]
    assert store.list_runs() == [] and gate.waiting == 0


def test_two_sessions_training_at_once_both_finish_one_at_a_time_and_both_are_stored(tiny_mirror):
    gate = TrainingGate(limit=1)
    store = RunStore()
    gate.acquire("a third learner")  # hold the only slot until both jobs are in line
    first = Job([RunConfig("mnist", "dnn", epochs=1, batch_size=64, quick=True, owner="session-a")], gate,
                store=store).start()
    second = Job([RunConfig("mnist", "cnn", epochs=1, batch_size=64, quick=True, owner="session-b")], gate,
                 store=store).start()
    wait_for(lambda: first.queue_position() == 1 and second.queue_position() == 2)
    gate.release("a third learner")
    assert first.wait(180) and second.wait(180)

    assert [run.status for run in first.runs + second.runs] == [FINISHED, FINISHED]
    records = {record["owner"]: record for record in store.list_runs(task="mnist")}
    assert set(records) == {"session-a", "session-b"}
    a, b = records["session-a"], records["session-b"]
    assert (a["arch"], b["arch"]) == ("dnn", "cnn") and a["status"] == b["status"] == FINISHED
    assert a["finished_at"] <= b["started_at"], "the limit of one training at a time was not kept"
    # The stored accuracy is what the stored predictions score against the real test labels.
    labels = load_mnist().y_test
    for job, record in ((first, a), (second, b)):
        run = job.runs[0]
        assert run.run_id == record["run_id"] and run.result.model is None  # released after the run
        assert len(run.history["loss"]) == 1 and run.epoch == 1 and run.batch == run.batches_per_epoch
        with np.load(store.run_dir(record["run_id"]) / "predictions.npz") as archive:
            accuracy = float((archive["predictions"].argmax(axis=1) == labels).mean())
        assert record["metrics"]["accuracy"] == pytest.approx(accuracy)
        assert run.result.metrics["accuracy"] == pytest.approx(accuracy)


def ignore_cancel_and_sleep(seconds: float) -> str:
    """A lesson-style function that never looks at its cancel event (for the terminate path)."""
    time.sleep(seconds)
    return "slept"


def count_with_progress(steps: int, report) -> int:
    for step in range(steps):
        report({"step": step})
    return steps * 10


def child_status(job: Job, status: str, timeout: float = 120) -> None:
    wait_for(lambda: job.poll().runs[0].status == status, timeout)


def test_a_call_job_sends_progress_then_its_value_from_a_child_process():
    job = CallJob(count_with_progress, {"steps": 3}, TrainingGate(1)).start()
    assert job.wait(60)
    assert job.state.status == FINISHED and job.state.value == 30 and job.state.progress == {"step": 2}
    assert job.state.peak_memory_mb > 0 and job.process.exitcode == 0


def test_a_child_never_runs_the_parents_main_script_even_while_another_thread_swaps_it(tmp_path, monkeypatch):
    # Streamlit installs each page script as `__main__`, on its own thread, at any moment; a spawned
    # child that re-ran it would run the whole dashboard before its work (and crash in it).
    import sys
    import types

    marker = tmp_path / "ran"
    script = tmp_path / "page.py"
    script.write_text(f"open({str(marker)!r}, 'w').close()\nraise SystemExit(3)\n")
    page_main = types.ModuleType("__main__")
    page_main.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", page_main)
    stop = threading.Event()

    def swap_mains() -> None:  # what concurrent script runs do
        while not stop.is_set():
            sys.modules["__main__"] = types.ModuleType("__main__")
            sys.modules["__main__"].__file__ = str(script)

    swapper = threading.Thread(target=swap_mains, daemon=True)
    swapper.start()
    try:
        jobs = [CallJob(count_with_progress, {"steps": 1}, TrainingGate(2)).start() for _ in range(2)]
        assert all(job.wait(60) for job in jobs)
    finally:
        stop.set()
        swapper.join()
    assert [job.state.value for job in jobs] == [10, 10] and not marker.exists()


class ReportsThenExitsDuringAWait:
    """A child's process and queue at the worst moment: its value arrives, and it exits, while the
    relay's get() is already timing out on an empty queue."""

    exitcode = 0

    def __init__(self):
        self.alive, self.sent = True, []

    def is_alive(self) -> bool:
        return self.alive

    def get(self, timeout: float):
        if self.alive:
            self.sent.append(("value", {"value": 7, "peak_memory_mb": 1.0, "wall_seconds": 0.1}))
            self.alive = False
            raise queue.Empty
        if self.sent:
            return self.sent.pop(0)
        raise queue.Empty

    def join(self, timeout=None) -> None:
        pass

    def close(self) -> None:
        pass


def test_a_value_sent_just_before_the_child_exits_is_never_lost(monkeypatch):
    child = ReportsThenExitsDuringAWait()
    monkeypatch.setattr(jobs, "spawn", lambda function, kwargs: (child, child, threading.Event()))
    job = CallJob(count_with_progress, {"steps": 1}, TrainingGate(1)).start()
    assert job.wait(30)
    assert (job.state.status, job.state.value) == (FINISHED, 7), job.state.message


def test_stop_terminates_a_child_that_does_not_stop_by_itself():
    job = CallJob(ignore_cancel_and_sleep, {"seconds": 120}, TrainingGate(1)).start()
    wait_for(lambda: job.poll().state.status == STARTING, 30)
    job.stop()
    assert job.wait(STOP_GRACE_SECONDS + 30)
    assert job.state.status == CANCELLED and "terminated" in job.state.message
    assert job.process.exitcode is not None and job.process.exitcode < 0  # ended by a signal, not by itself


def test_a_child_killed_by_sigkill_fails_naming_the_signal_and_the_next_job_runs(tiny_mirror):
    gate = TrainingGate(limit=1)
    store = RunStore()
    doomed = Job([RunConfig("mnist", "dnn", epochs=200, batch_size=8, quick=True)], gate, store=store).start()
    following = Job([RunConfig("traffic", "persistence")], gate, store=store).start()
    child_status(doomed, TRAINING)
    os.kill(doomed.process.pid, signal.SIGKILL)
    assert doomed.wait(30) and following.wait(120)
    run = doomed.runs[0]
    assert run.status == FAILED and "SIGKILL" in run.message
    assert store.get_run(run.run_id)["status"] == FAILED  # never left `running`
    assert following.runs[0].status == FINISHED


def test_a_job_nobody_polls_is_cancelled_within_its_lease(tiny_mirror):
    job = Job([RunConfig("mnist", "dnn", epochs=200, batch_size=8, quick=True)], TrainingGate(1),
              lease_seconds=2.0).start()
    # Polled until it trains (a slow machine can take longer than the lease to start a worker),
    # then nobody polls: the relay cancels the run by itself once the lease has run out.
    child_status(job, TRAINING)
    assert job.wait(90)
    run = job.runs[0]
    assert run.status == CANCELLED and run.message == ABANDONED_HELP
    assert RunStore().get_run(run.run_id)["status"] == CANCELLED


def test_a_run_over_its_time_budget_stops_with_its_message_and_its_metrics(tiny_mirror, monkeypatch):
    monkeypatch.setenv(BUDGET_VARIABLE, "0.5")
    job = Job([RunConfig("mnist", "dnn", epochs=200, batch_size=8, quick=True)], TrainingGate(1)).start()
    assert job.wait(120)
    run = job.runs[0]
    assert run.status == FINISHED and "time budget" in run.message and run.epoch < 200
    record = RunStore().get_run(run.run_id)
    assert record["message"] == run.message and 0 <= record["metrics"]["accuracy"] <= 1
    assert RunStore().weights_path(run.run_id) is not None  # it keeps its weights


def test_overlapping_runs_reproduce_the_metrics_of_a_solo_run_with_the_same_seed(tiny_mirror):
    config = RunConfig("mnist", "dnn", epochs=2, batch_size=16, quick=True, seed=7)
    solo = Job([config], TrainingGate(1)).start()
    assert solo.wait(120)
    gate = TrainingGate(limit=2)
    other = Job([RunConfig("mnist", "cnn", epochs=2, batch_size=16, quick=True, seed=3)], gate).start()
    again = Job([config], gate).start()
    wait_for(lambda: other.poll().runs[0].status in (STARTING, TRAINING, FINISHED), 60)
    assert again.wait(180) and other.wait(180)
    first, second = solo.runs[0].result, again.runs[0].result
    assert first.status == second.status == FINISHED
    assert second.history["loss"] == pytest.approx(first.history["loss"], rel=1e-5)
    assert second.metrics["accuracy"] == pytest.approx(first.metrics["accuracy"], abs=1e-6)
    np.testing.assert_allclose(second.predictions, first.predictions, rtol=1e-4, atol=1e-6)
    assert first.peak_memory_mb > 0 and first.wall_seconds >= first.train_seconds
    assert RunStore().get_run(first.run_id)["peak_memory_mb"] == pytest.approx(first.peak_memory_mb)
