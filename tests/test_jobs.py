"""Background training jobs and the process-wide gate that limits concurrent trainings."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from data.mnist import load_mnist
from training.events import CANCELLED, FINISHED, RunConfig
from training.gate import LIMIT_VARIABLE, TrainingGate, configured_limit
from training.jobs import QUEUED, Job
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
