"""The worker against a real engine run and a real HTTP peer on loopback:
steps complete, failures retry or fail as the engine decides, a worker
killed with SIGKILL loses nothing, and SIGTERM finishes the current step."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Any

import psycopg
import pytest
from api_helpers import ensure_password, login_url
from pgwf.db import Database
from pgwf.worker import Worker
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

PGWF = os.path.join(os.path.dirname(sys.executable), "pgwf")

WORKFLOW_ADMIN = """
INSERT INTO entitlements.workflow_roles (role_code, role_name, role_type)
VALUES ('workflow_admin', 'Workflow administrator', 'SYSTEM') ON CONFLICT (role_code) DO NOTHING;
INSERT INTO entitlements.user_workflow_roles (user_id, role_id, assigned_by, valid_from)
SELECT %s, role_id, 'test', now() - interval '1 day' FROM entitlements.workflow_roles
 WHERE role_code = 'workflow_admin' ON CONFLICT (user_id, role_id) DO NOTHING;
"""



def graph(url: str, max_retries: int = 2) -> dict[str, Any]:
    return {
        "nodes": [
            {"id": "start", "type": "trigger", "position": {"x": 0, "y": 0},
             "data": {"label": "go", "triggerType": "manual"}},
            {"id": "call", "type": "action", "position": {"x": 100, "y": 0},
             "data": {"label": "call", "connector": "http", "maxRetries": max_retries,
                      "input": {"url": url, "body": {"who": "{{who}}"}}}},
            {"id": "done", "type": "end", "position": {"x": 200, "y": 0}, "data": {"label": "done"}},
        ],
        "edges": [{"id": "e1", "source": "start", "target": "call"},
                  {"id": "e2", "source": "call", "target": "done"}],
        "viewport": {"x": 0, "y": 0, "zoom": 1},
    }


def start_run(db_url: str, url: str, max_retries: int = 2, model: dict[str, Any] | None = None) -> str:
    """Save, deploy and start a one-call workflow as a person; returns the run id."""
    with psycopg.connect(db_url) as conn:
        conn.execute("INSERT INTO entitlements.users (user_id, username) VALUES ('wk', 'wk')"
                     " ON CONFLICT DO NOTHING")
        for statement in WORKFLOW_ADMIN.strip().split(";\n"):  # wk may change models
            if statement.strip():
                conn.execute(statement.rstrip(";"), ("wk",) if "%s" in statement else None)
        conn.execute("SELECT set_config('app.current_user_id', 'wk', true)")
        wid = conn.execute("SELECT automation.save_workflow(%s::jsonb, 'call')",
                           (json.dumps(model or graph(url, max_retries)),)).fetchone()[0]
        conn.execute("SELECT automation.deploy_workflow(%s)", (wid,))
        run = conn.execute("SELECT automation.start_workflow(%s, '{\"who\": \"world\"}')",
                           (wid,)).fetchone()[0]
    return str(run)


def step(db_url: str, run: str) -> dict[str, Any]:
    with psycopg.connect(db_url) as conn:
        row = conn.execute(
            "SELECT e.status, e.retry_count, e.lease_expiries, e.output_data, e.error_message,"
            " i.status AS run_status FROM automation.workflow_executions e"
            " JOIN automation.workflow_instances i ON i.id = e.instance_id"
            " WHERE e.instance_id = %s AND e.node_id = 'call'", (run,)).fetchone()
        assert row is not None
        cols = ["status", "retry_count", "lease_expiries", "output_data", "error_message", "run_status"]
        return dict(zip(cols, row, strict=True))


@pytest.fixture()
def worker_url(fresh_db: str) -> str:
    ensure_password(fresh_db, "pgwf_test_worker")
    return login_url(fresh_db, "pgwf_test_worker")


def test_a_step_is_performed_and_the_run_completes(fresh_db: str, worker_url: str,
                                                   httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook", method="POST", json={"who": "world"}).respond_with_json(
        {"ticket": 7})
    run = start_run(fresh_db, httpserver.url_for("/hook"))
    database = Database(worker_url, "pgwf_worker", pooled=False)
    outcomes = Worker(database, worker_id="w1", batch=5).run_once()
    assert [o.status for o in outcomes] == ["completed"]
    s = step(fresh_db, run)
    assert s["status"] == "completed"
    assert s["output_data"]["body"] == {"ticket": 7}
    assert s["run_status"] == "completed"
    assert Worker(database, worker_id="w1").run_once() == []


def test_a_retryable_failure_goes_back_to_pending(fresh_db: str, worker_url: str,
                                                  httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook").respond_with_data("busy", status=503)
    run = start_run(fresh_db, httpserver.url_for("/hook"))
    outcomes = Worker(Database(worker_url, "pgwf_worker", pooled=False), worker_id="w1").run_once()
    assert [o.status for o in outcomes] == ["retry"]
    s = step(fresh_db, run)
    assert (s["status"], s["retry_count"], s["run_status"]) == ("pending", 1, "running")
    assert "503" in s["error_message"]


def test_a_permanent_failure_fails_the_step_and_the_run(fresh_db: str, worker_url: str,
                                                        httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook").respond_with_data("nope", status=422)
    run = start_run(fresh_db, httpserver.url_for("/hook"))
    outcomes = Worker(Database(worker_url, "pgwf_worker", pooled=False), worker_id="w1").run_once()
    assert [o.status for o in outcomes] == ["failed"]
    s = step(fresh_db, run)
    assert (s["status"], s["run_status"]) == ("failed", "failed")


def test_an_answer_named_as_a_bpmn_error_is_caught_by_the_model(fresh_db: str, worker_url: str,
                                                                 httpserver: HTTPServer) -> None:
    """errorCodes turns the 404 into the BPMN error ORDER_UNKNOWN: no retry, the boundary takes it."""
    httpserver.expect_request("/hook").respond_with_data("no such order", status=404)
    model = graph(httpserver.url_for("/hook"), max_retries=3)
    model["nodes"][1]["data"]["input"]["errorCodes"] = {"404": "ORDER_UNKNOWN"}
    model["nodes"] += [
        {"id": "unknown", "type": "event", "position": {"x": 100, "y": 100},
         "data": {"label": "unknown", "event": "error", "code": "ORDER_UNKNOWN", "attachedTo": "call"}},
        {"id": "tell", "type": "notification", "position": {"x": 200, "y": 100},
         "data": {"label": "tell", "channel": "email", "recipients": ["ops@example.org"], "subject": "unknown order"}},
        {"id": "told", "type": "end", "position": {"x": 300, "y": 100}, "data": {"label": "told"}}]
    model["edges"] += [{"id": "e3", "source": "unknown", "target": "tell"},
                       {"id": "e4", "source": "tell", "target": "told"}]
    run = start_run(fresh_db, "", model=model)
    outcomes = Worker(Database(worker_url, "pgwf_worker", pooled=False), worker_id="w1").run_once()
    assert [o.status for o in outcomes] == ["caught"]
    s = step(fresh_db, run)
    assert (s["status"], s["retry_count"], s["run_status"]) == ("failed", 0, "completed")
    with psycopg.connect(fresh_db) as conn:
        visited = [r[0] for r in conn.execute("SELECT node_id FROM automation.workflow_executions"
                                              " WHERE instance_id = %s ORDER BY created_at, id", (run,))]
    assert visited == ["start", "call", "unknown", "tell", "told"]


class Gate:
    """An HTTP endpoint that holds the first request until released."""

    def __init__(self) -> None:
        self.arrived = threading.Event()
        self.release = threading.Event()
        self.calls = 0

    def __call__(self, request: Request) -> Response:
        self.calls += 1
        self.arrived.set()
        if self.calls == 1:
            self.release.wait(30)
        return Response(json.dumps({"call": self.calls}), content_type="application/json")


def spawn_worker(worker_url: str, lease: int) -> subprocess.Popen[str]:
    env = dict(os.environ, PGWF_WORKER_DATABASE_URL=worker_url, PGWF_LEASE_SECONDS=str(lease),
               PGWF_WORKER_POLL="1")
    return subprocess.Popen([PGWF, "worker", "--worker-id", "doomed"], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def test_a_worker_killed_mid_step_loses_nothing(fresh_db: str, worker_url: str,
                                                httpserver: HTTPServer) -> None:
    gate = Gate()
    httpserver.expect_request("/slow").respond_with_handler(gate)
    run = start_run(fresh_db, httpserver.url_for("/slow"))
    proc = spawn_worker(worker_url, lease=2)
    try:
        assert gate.arrived.wait(30), "the worker never called"
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert step(fresh_db, run)["status"] == "running"  # leased by the dead worker
    gate.release.set()
    database = Database(worker_url, "pgwf_worker", pooled=False)
    deadline = time.monotonic() + 30
    outcomes: list[Any] = []
    while not outcomes and time.monotonic() < deadline:
        outcomes = Worker(database, worker_id="rescuer", lease_seconds=30).run_once()
        time.sleep(0.2)
    assert [o.status for o in outcomes] == ["completed"]
    s = step(fresh_db, run)
    assert (s["status"], s["lease_expiries"], s["run_status"]) == ("completed", 1, "completed")
    assert s["output_data"]["body"] == {"call": 2}


def test_sigterm_finishes_the_current_step_then_exits(fresh_db: str, worker_url: str,
                                                     httpserver: HTTPServer) -> None:
    gate = Gate()
    httpserver.expect_request("/slow").respond_with_handler(gate)
    run = start_run(fresh_db, httpserver.url_for("/slow"))
    proc = spawn_worker(worker_url, lease=60)
    try:
        assert gate.arrived.wait(30), "the worker never called"
        proc.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        assert proc.poll() is None, "the worker left in the middle of a step"
        gate.release.set()
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    s = step(fresh_db, run)
    assert (s["status"], s["run_status"]) == ("completed", "completed")
    assert gate.calls == 1


def test_a_stopping_worker_leaves_unstarted_steps_for_another(fresh_db: str, worker_url: str,
                                                             httpserver: HTTPServer) -> None:
    database = Database(worker_url, "pgwf_worker", pooled=False)
    worker = Worker(database, worker_id="leaving", batch=2, lease_seconds=1)

    def first_call_stops_the_worker(request: Request) -> Response:
        worker.stopping.set()
        return Response("{}", content_type="application/json")

    httpserver.expect_request("/hook").respond_with_handler(first_call_stops_the_worker)
    runs = [start_run(fresh_db, httpserver.url_for("/hook")) for _ in range(2)]
    outcomes = worker.run_once()
    assert [o.status for o in outcomes] == ["completed"]
    states = sorted(step(fresh_db, r)["status"] for r in runs)
    assert states == ["completed", "running"]  # the second keeps its lease
    rescuer = Worker(database, worker_id="rescuer", lease_seconds=30)
    deadline = time.monotonic() + 30
    taken: list[Any] = []
    while not taken and time.monotonic() < deadline:
        taken = rescuer.run_once()
        time.sleep(0.2)
    assert [o.status for o in taken] == ["completed"]
    assert sorted(step(fresh_db, r)["run_status"] for r in runs) == ["completed", "completed"]


def test_worker_once_from_the_cli_takes_only_the_step_types_asked(
        fresh_db: str, worker_url: str, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook").respond_with_json({"ok": 1})
    run = start_run(fresh_db, httpserver.url_for("/hook"))
    env = dict(os.environ, PGWF_WORKER_DATABASE_URL=worker_url)
    other = subprocess.run([PGWF, "worker", "--once", "--step-type", "integration"], env=env,
                           capture_output=True, text=True, timeout=60, check=False)
    assert other.returncode == 0, other.stderr
    assert other.stdout == ""
    assert step(fresh_db, run)["status"] == "pending"
    mine = subprocess.run([PGWF, "worker", "--once"], env=env, capture_output=True, text=True,
                          timeout=60, check=False)
    assert mine.returncode == 0, mine.stderr
    assert mine.stdout.split()[1] == "completed"
    assert step(fresh_db, run)["run_status"] == "completed"


def test_a_step_on_a_topic_without_a_connector_waits_and_the_worker_says_so(
        fresh_db: str, worker_url: str, caplog: pytest.LogCaptureFixture) -> None:
    """A topic no connector performs is left to the worker that subscribes to it, and named at startup."""
    model = graph("http://127.0.0.1:9/unused")
    model["nodes"][1]["data"] = {"label": "score", "connector": "creditScore"}
    run = start_run(fresh_db, "", model=model)
    worker = Worker(Database(worker_url, "pgwf_worker", pooled=False), worker_id="w1")
    assert worker.run_once() == []  # not leased, so not failed
    s = step(fresh_db, run)
    assert (s["status"], s["run_status"]) == ("pending", "running")
    assert [(r["topic"], r["waiting_steps"]) for r in worker.unserved_topics()] == [("creditScore", 1)]
    stop = threading.Event()
    caplog.set_level("WARNING", logger="pgwf.worker")
    runner = threading.Thread(target=worker.run, args=(stop, 0.2))
    runner.start()
    time.sleep(1)
    stop.set()
    runner.join(10)
    assert any("worker topic 'creditScore' has no connector here: 1 step(s) wait" in r.getMessage() for r in caplog.records)
    env = dict(os.environ, PGWF_WORKER_DATABASE_URL=worker_url)
    refused = subprocess.run([PGWF, "worker", "--once", "--topic", "creditScore"], env=env,
                             capture_output=True, text=True, timeout=60, check=False)
    assert refused.returncode == 2 and "no connector performs creditScore" in refused.stderr
