"""A worker keeps the lease of the step it runs: a heartbeat renews it while
the connector works, so a step slower than its lease is never run by a second
worker, and a step of a batch whose lease ran out before the worker reached it
is skipped rather than run twice.  Real engine, real HTTP peer on loopback."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta
from typing import Any

import psycopg
from pgwf.db import Database
from pgwf.worker import Outcome, Worker
from pytest_httpserver import HTTPServer
from test_worker import start_run, step, worker_url  # noqa: F401 - worker_url is a fixture
from werkzeug import Request, Response

LEASE = 2  # seconds; the heartbeat renews every LEASE/3


class Gate:
    """An endpoint that counts its calls and holds each until released."""

    def __init__(self) -> None:
        self.calls = 0
        self.arrived = threading.Event()
        self.release = threading.Event()

    def __call__(self, request: Request) -> Response:
        self.calls += 1
        self.arrived.set()
        self.release.wait(30)
        return Response(json.dumps({"call": self.calls}), content_type="application/json")


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, request: Request) -> Response:
        self.calls += 1
        return Response(json.dumps({"call": self.calls}), content_type="application/json")


def lease_of(db_url: str, run: str) -> Any:
    with psycopg.connect(db_url) as conn:
        row = conn.execute("SELECT lease_expires_at FROM automation.workflow_executions"
                           " WHERE instance_id = %s AND node_id = 'call'", (run,)).fetchone()
        assert row is not None
        return row[0]


def passed(db_url: str, moment: Any) -> bool:
    with psycopg.connect(db_url) as conn:
        row = conn.execute("SELECT clock_timestamp() > %s", (moment,)).fetchone()
        assert row is not None
        return bool(row[0])


def run_in_thread(worker: Worker) -> tuple[threading.Thread, list[Outcome]]:
    outcomes: list[Outcome] = []
    thread = threading.Thread(target=lambda: outcomes.extend(worker.run_once()), daemon=True)
    thread.start()
    return thread, outcomes


def test_a_step_slower_than_its_lease_is_not_handed_to_a_second_worker(
        fresh_db: str, worker_url: str, httpserver: HTTPServer) -> None:  # noqa: F811
    gate = Gate()
    httpserver.expect_request("/slow").respond_with_handler(gate)
    run = start_run(fresh_db, httpserver.url_for("/slow"))
    first = Worker(Database(worker_url, "pgwf_worker", pooled=False), worker_id="first",
                   lease_seconds=LEASE, batch=1)
    second = Worker(Database(worker_url, "pgwf_worker", pooled=False), worker_id="second",
                    lease_seconds=LEASE, batch=1)
    thread, outcomes = run_in_thread(first)
    try:
        assert gate.arrived.wait(30), "the first worker never called"
        first_expiry = lease_of(fresh_db, run)
        taken: list[Outcome] = []
        # keep claiming until well past the lease the first worker started with
        while not passed(fresh_db, first_expiry + timedelta(seconds=LEASE)):
            taken += second.run_once()
            time.sleep(0.2)
        assert taken == [], "a second worker got the step while the first was still running it"
        assert lease_of(fresh_db, run) > first_expiry, "the lease was not renewed"
        assert step(fresh_db, run)["status"] == "running"
    finally:
        gate.release.set()
        thread.join(30)
    assert [o.status for o in outcomes] == ["completed"]
    s = step(fresh_db, run)
    assert (s["status"], s["lease_expiries"], s["run_status"]) == ("completed", 0, "completed")
    assert gate.calls == 1


def test_a_batch_step_whose_lease_ran_out_is_skipped_not_run_again(
        fresh_db: str, worker_url: str, httpserver: HTTPServer) -> None:  # noqa: F811
    gate, fast = Gate(), Counter()
    httpserver.expect_request("/slow").respond_with_handler(gate)
    httpserver.expect_request("/fast").respond_with_handler(fast)
    slow_run = start_run(fresh_db, httpserver.url_for("/slow"))
    fast_run = start_run(fresh_db, httpserver.url_for("/fast"))
    first = Worker(Database(worker_url, "pgwf_worker", pooled=False), worker_id="first",
                   lease_seconds=LEASE, batch=2)
    rescuer = Worker(Database(worker_url, "pgwf_worker", pooled=False), worker_id="rescuer",
                     lease_seconds=30, batch=2)
    thread, outcomes = run_in_thread(first)  # leases both, starts with the slow one
    try:
        assert gate.arrived.wait(30), "the first worker never called"
        taken: list[Outcome] = []
        deadline = time.monotonic() + 30
        while not taken and time.monotonic() < deadline:
            taken = rescuer.run_once()  # gets the fast step once its lease runs out
            time.sleep(0.2)
        assert [(o.execution_id, o.status) for o in taken] == [
            (str(step_id(fresh_db, fast_run)), "completed")]
    finally:
        gate.release.set()
        thread.join(30)
    assert [o.status for o in outcomes] == ["completed", "lost"]
    assert fast.calls == 1, "the first worker ran the step the rescuer had already run"
    assert step(fresh_db, slow_run)["run_status"] == "completed"
    assert step(fresh_db, fast_run)["run_status"] == "completed"


def step_id(db_url: str, run: str) -> Any:
    with psycopg.connect(db_url) as conn:
        row = conn.execute("SELECT id FROM automation.workflow_executions"
                           " WHERE instance_id = %s AND node_id = 'call'", (run,)).fetchone()
        assert row is not None
        return row[0]


class Slowish:
    """An endpoint that takes a fixed time to answer."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.calls = 0

    def __call__(self, request: Request) -> Response:
        self.calls += 1
        time.sleep(self.seconds)
        return Response(json.dumps({"call": self.calls}), content_type="application/json")


def test_a_batch_of_quick_steps_longer_than_one_lease_stays_with_its_worker(
        fresh_db: str, worker_url: str, httpserver: HTTPServer) -> None:  # noqa: F811
    endpoint = Slowish(LEASE / 4)
    httpserver.expect_request("/quick").respond_with_handler(endpoint)
    runs = [start_run(fresh_db, httpserver.url_for("/quick")) for _ in range(8)]  # 8 x 0.5 s = 2 leases
    first = Worker(Database(worker_url, "pgwf_worker", pooled=False), worker_id="first",
                   lease_seconds=LEASE, batch=8)
    second = Worker(Database(worker_url, "pgwf_worker", pooled=False), worker_id="second",
                    lease_seconds=LEASE, batch=8)
    thread, outcomes = run_in_thread(first)
    deadline = time.monotonic() + 30
    while endpoint.calls == 0 and time.monotonic() < deadline:  # the first worker holds the batch
        time.sleep(0.02)
    taken: list[Outcome] = []
    while thread.is_alive():
        taken += second.run_once()  # would get any step whose lease ran out
        time.sleep(0.1)
    thread.join(30)
    assert taken == [], "a step of the first worker's batch went to the second worker"
    assert [o.status for o in outcomes] == ["completed"] * 8
    assert [(step(fresh_db, r)["status"], step(fresh_db, r)["lease_expiries"]) for r in runs] == \
        [("completed", 0)] * 8
    assert endpoint.calls == 8
