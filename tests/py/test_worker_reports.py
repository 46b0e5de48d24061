"""Results are never dropped: when the worker's report of a finished call hits a lost
connection (its backend terminated while the report waits), the worker reports again on a
fresh connection and the lease check decides; the call is made once and the run completes.
A report that the database refuses (the lease went to another worker) is not retried.
Notification leases follow PGWF_LEASE_SECONDS.  Real engine, real HTTP peer on loopback."""

from __future__ import annotations

import logging
import threading
import time

import psycopg
import pytest
from pgwf import config
from pgwf.db import Database
from pgwf.notifier import Notifier
from pgwf.worker import Outcome, Worker
from pytest_httpserver import HTTPServer
from test_worker import start_run, step, worker_url  # noqa: F401 - worker_url is a fixture
from test_worker_lease import Gate


def backend_waiting_in(db_url: str, function: str, seconds: float = 30) -> int:
    """The pid of the backend whose statement calls ``function`` and waits for a lock."""
    deadline = time.monotonic() + seconds
    with psycopg.connect(db_url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            row = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                               " AND query LIKE %s AND wait_event_type = 'Lock'",
                               (f"%{function}%",)).fetchone()
            if row:
                return int(row[0])
            time.sleep(0.05)
    raise AssertionError(f"no backend waited in {function}")


def test_a_report_whose_connection_is_killed_is_made_again_on_a_fresh_one(
        fresh_db: str, worker_url: str, httpserver: HTTPServer,  # noqa: F811
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="pgwf.worker")
    gate = Gate()
    httpserver.expect_request("/call").respond_with_handler(gate)
    run = start_run(fresh_db, httpserver.url_for("/call"))
    worker = Worker(Database(worker_url, "pgwf_worker", 1, 1, name="pgwf-test-worker"),
                    worker_id="w1", lease_seconds=60, batch=1)
    outcomes: list[Outcome] = []
    thread = threading.Thread(target=lambda: outcomes.extend(worker.run_once()), daemon=True)
    thread.start()
    try:
        assert gate.arrived.wait(30), "the worker never called"
        with psycopg.connect(fresh_db) as holder:  # holds the run: the report has to wait
            holder.execute("SELECT 1 FROM automation.workflow_instances WHERE id = %s FOR UPDATE", (run,))
            gate.release.set()
            pid = backend_waiting_in(fresh_db, "complete_step")
            with psycopg.connect(fresh_db, autocommit=True) as killer:
                killer.execute("SELECT pg_terminate_backend(%s)", (pid,))
            time.sleep(0.3)  # the worker sees its connection die and tries again
        thread.join(60)
    finally:
        gate.release.set()
        worker.database.close()
    assert [o.status for o in outcomes] == ["completed"], outcomes
    s = step(fresh_db, run)
    assert (s["status"], s["lease_expiries"], s["run_status"]) == ("completed", 0, "completed")
    assert gate.calls == 1, "the call was made again"
    assert any("reporting again on a fresh one" in r.getMessage() for r in caplog.records), \
        "the report did not meet the killed connection"


def test_a_refused_report_is_not_retried(fresh_db: str, worker_url: str,  # noqa: F811
                                         httpserver: HTTPServer) -> None:
    gate = Gate()
    httpserver.expect_request("/call").respond_with_handler(gate)
    run = start_run(fresh_db, httpserver.url_for("/call"))
    worker = Worker(Database(worker_url, "pgwf_worker", pooled=False), worker_id="w1",
                    lease_seconds=60, batch=1)
    outcomes: list[Outcome] = []
    thread = threading.Thread(target=lambda: outcomes.extend(worker.run_once()), daemon=True)
    thread.start()
    try:
        assert gate.arrived.wait(30), "the worker never called"
        with psycopg.connect(fresh_db) as conn:  # the lease goes to another worker meanwhile
            conn.execute("UPDATE automation.workflow_executions SET worker_id = 'w2'"
                         " WHERE instance_id = %s AND node_id = 'call'", (run,))
        gate.release.set()
        thread.join(30)
    finally:
        gate.release.set()
    assert [o.status for o in outcomes] == ["lost"], outcomes
    assert "now held by w2, whose lease runs until" in outcomes[0].detail
    assert step(fresh_db, run)["status"] == "running"


def test_notification_leases_follow_the_configured_lease(fresh_db: str, worker_url: str,  # noqa: F811
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PGWF_LEASE_SECONDS", "7")
    assert config.get_int("PGWF_LEASE_SECONDS") == 7
    notifier = Notifier(Database(worker_url, "pgwf_worker", pooled=False), worker_id="n1")
    assert notifier.lease_seconds == 7
    with psycopg.connect(fresh_db) as conn:
        conn.execute("INSERT INTO automation.workflow_notifications (notification_type, channel, recipients,"
                     " subject, message) VALUES ('test', 'email', '[\"a@example.org\"]', 's', 'm')")
    with notifier.database.transaction() as conn:
        rows = conn.execute("SELECT lease_expires_at - clock_timestamp() AS left"
                            " FROM automation.claim_notifications(%s, 1, %s)",
                            (notifier.worker_id, notifier.lease_seconds)).fetchall()
    assert len(rows) == 1 and 0 < rows[0]["left"].total_seconds() <= 7
