"""Every request is bounded: statement_timeout and lock_timeout hold from the
first statement of a transaction (the token lookup included), the token's
``last_used_at`` bookkeeping never waits for a lock, ``/health`` answers from
a pool of its own while user requests wait, and a request blocked by a lock
ends with a 503 naming the timeout.  A real API on loopback, real locks held
by a second connection."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from api_helpers import Api, Response, start_api
from pgwf.db import Database
from pgwf.worker import Worker
from pytest_httpserver import HTTPServer
from test_worker import start_run, step, worker_url  # noqa: F401 - worker_url is a fixture

pytestmark = pytest.mark.fault


def api_with(fresh_db: str, monkeypatch: pytest.MonkeyPatch, **settings: str) -> Iterator[Api]:
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    client, server, database = start_api(fresh_db)
    try:
        yield client
    finally:
        server.shutdown()
        database.close()


@pytest.fixture()
def quick_api(fresh_db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    yield from api_with(fresh_db, monkeypatch, PGWF_LOCK_TIMEOUT="1s",
                        PGWF_STATEMENT_TIMEOUT="3s")


@pytest.fixture()
def patient_api(fresh_db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    yield from api_with(fresh_db, monkeypatch, PGWF_LOCK_TIMEOUT="25s",
                        PGWF_STATEMENT_TIMEOUT="25s")


def in_thread(call: Any) -> tuple[threading.Thread, list[Response]]:
    out: list[Response] = []
    thread = threading.Thread(target=lambda: out.append(call()), daemon=True)
    thread.start()
    return thread, out


def test_a_token_row_locked_by_another_request_does_not_hold_this_one(quick_api: Api) -> None:
    # due for its last_used_at update, and locked by a long transaction of the same person
    quick_api.sql("UPDATE entitlements.api_tokens SET last_used_at = now() - interval '1 hour'"
                  " WHERE user_id = 'alice'")
    with psycopg.connect(quick_api.db_url) as holder:
        holder.execute("SELECT 1 FROM entitlements.api_tokens WHERE user_id = 'alice' FOR UPDATE")
        resp = quick_api.get("/me", "alice")
        assert resp.status == 200, resp.body
        assert resp.body["user_id"] == "alice"
    # once free, the bookkeeping is done again
    assert quick_api.get("/me", "alice").status == 200
    rows = quick_api.sql("SELECT last_used_at > now() - interval '1 minute'"
                         " FROM entitlements.api_tokens WHERE user_id = 'alice'")
    assert rows == [(True,)]


def test_the_timeouts_hold_from_the_first_statement_of_a_request(quick_api: Api) -> None:
    with psycopg.connect(quick_api.db_url) as holder:
        holder.execute("LOCK TABLE entitlements.api_tokens IN ACCESS EXCLUSIVE MODE")
        thread, out = in_thread(lambda: quick_api.get("/me", "alice"))
        thread.join(20)
        assert not thread.is_alive(), "the token lookup waited past its lock timeout"
    assert out[0].status == 503, out[0].body
    assert out[0].body["error"]["code"] == "55P03"
    assert "lock timeout" in out[0].body["error"]["message"]
    assert "PGWF_LOCK_TIMEOUT" in out[0].body["error"]["message"]


def test_a_request_blocked_by_a_row_lock_ends_with_503_at_its_lock_timeout(
        quick_api: Api) -> None:
    task = quick_api.sql("SELECT task_id FROM flowable.workflow_tasks WHERE status = 'OPEN'"
                         " AND queue_name = 'intake' ORDER BY task_id LIMIT 1")[0][0]
    before = quick_api.sql("SELECT status, assignee_id FROM flowable.workflow_tasks"
                           " WHERE task_id = %s", (task,))
    with psycopg.connect(quick_api.db_url) as holder:
        holder.execute("SELECT 1 FROM flowable.workflow_tasks WHERE task_id = %s FOR UPDATE",
                       (task,))
        thread, out = in_thread(lambda: quick_api.post(f"/tasks/{task}/claim", "alice"))
        thread.join(20)
        assert not thread.is_alive(), "the claim waited past its lock timeout"
    assert out[0].status == 503, out[0].body
    assert out[0].body["error"]["code"] == "55P03"
    assert "retry" in out[0].body["error"]["message"]
    assert quick_api.sql("SELECT status, assignee_id FROM flowable.workflow_tasks"
                         " WHERE task_id = %s", (task,)) == before
    assert quick_api.post(f"/tasks/{task}/claim", "alice").status == 200


def test_health_answers_while_every_pooled_connection_waits_on_a_lock(patient_api: Api) -> None:
    task = patient_api.sql("SELECT task_id FROM flowable.workflow_tasks WHERE status = 'OPEN'"
                           " AND queue_name = 'intake' ORDER BY task_id LIMIT 1")[0][0]
    with psycopg.connect(patient_api.db_url) as holder:
        holder.execute("LOCK TABLE flowable.workflow_tasks IN ACCESS EXCLUSIVE MODE")
        # more waiting requests than the API's pool has connections (4)
        waiting = [in_thread(lambda: patient_api.post(f"/tasks/{task}/claim", "alice"))
                   for _ in range(6)]
        holder.execute("SELECT pg_sleep(0.5)")  # let them take the pool's connections
        resp = patient_api.get("/health")
        still_waiting = sum(t.is_alive() for t, _ in waiting)
    assert resp.status == 200, resp.body
    assert still_waiting == 6, "/health answered only after user requests let go"
    for t, _ in waiting:
        t.join(30)
    statuses = sorted(out[0].status for _, out in waiting)
    assert statuses.count(200) == 1 and all(s in (200, 409) for s in statuses), statuses


def test_a_lock_on_one_run_does_not_stall_the_worker(
        fresh_db: str, worker_url: str, httpserver: HTTPServer,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PGWF_LOCK_TIMEOUT", "1s")
    httpserver.expect_request("/hook").respond_with_json({"ok": True})
    stuck, free = (start_run(fresh_db, httpserver.url_for("/hook")) for _ in range(2))
    worker = Worker(Database(worker_url, "pgwf_worker", pooled=False), worker_id="w", batch=2)
    with psycopg.connect(fresh_db) as holder:
        holder.execute("SELECT 1 FROM automation.workflow_instances WHERE id = %s FOR UPDATE",
                       (stuck,))
        thread, outcomes = in_thread(worker.run_once)
        thread.join(30)
        assert not thread.is_alive(), "the worker stalled behind one run's lock"
        assert step(fresh_db, free)["run_status"] == "completed"
    by_status = {o.status for o in outcomes[0]}  # type: ignore[attr-defined]
    assert "completed" in by_status


def test_a_cli_command_blocked_by_a_row_lock_fails_at_its_lock_timeout(quick_api: Api) -> None:
    from cli_helpers import run_pgwf

    task = quick_api.sql("SELECT task_id FROM flowable.workflow_tasks WHERE status = 'OPEN'"
                         " AND queue_name = 'intake' ORDER BY task_id LIMIT 1")[0][0]
    with psycopg.connect(quick_api.db_url) as holder:
        holder.execute("SELECT 1 FROM flowable.workflow_tasks WHERE task_id = %s FOR UPDATE",
                       (task,))
        result = run_pgwf("task", "claim", task, "--as", "alice", url=quick_api.db_url,
                          env={"PGWF_LOCK_TIMEOUT": "1s"}, timeout=60)
    assert result.returncode == 1
    assert result.stderr.startswith("pgwf: [55P03] canceling statement due to lock timeout")
    assert quick_api.sql("SELECT status FROM flowable.workflow_tasks WHERE task_id = %s",
                         (task,)) == [("OPEN",)]
