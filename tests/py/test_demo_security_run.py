"""The demo's security workflow (issue 4, item 8) runs: loading the demo
publishes one scanner finding (CVSS 9.1 on a critical asset), whose run goes
trigger -> condition -> action (the worker calls pgwf's API) -> the security
team's approval -> notification.  Loading twice publishes it once."""

from __future__ import annotations

import psycopg
import pytest
from api_helpers import ensure_password, login_url
from pgwf import demo
from pgwf.db import Database
from pgwf.worker import Worker
from pytest_httpserver import HTTPServer

STEPS = """SELECT e.node_id, e.step_type, e.status FROM automation.workflow_executions e
           JOIN automation.workflow_instances i ON i.id = e.instance_id
           JOIN automation.workflows w ON w.id = i.workflow_id
           WHERE w.name = 'Vulnerability triage' ORDER BY e.created_at, e.id"""


def rows(db_url: str, query: str) -> list[tuple[object, ...]]:
    with psycopg.connect(db_url) as conn:
        return conn.execute(query).fetchall()


def test_the_demo_finding_runs_through_action_approval_and_notification(
        fresh_db: str, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    # pgwf's API as the demo's action sees it: here a local peer on PGWF_API_PORT
    monkeypatch.setenv("PGWF_API_PORT", str(httpserver.port))
    httpserver.expect_request("/health", method="GET").respond_with_json({"status": "ok"})
    admin = Database(fresh_db, None, pooled=False)
    demo.load(admin)
    demo.load(admin)
    assert rows(fresh_db, """SELECT count(*) FROM automation.workflow_instances i
                            JOIN automation.workflows w ON w.id = i.workflow_id
                            WHERE w.name = 'Vulnerability triage'""") == [(1,)]
    assert rows(fresh_db, STEPS) == [("finding", "trigger", "completed"),
                                     ("severe", "condition", "completed"),
                                     ("issue", "action", "pending")]

    ensure_password(fresh_db, "pgwf_test_worker")
    worker = Worker(Database(login_url(fresh_db, "pgwf_test_worker"), "pgwf_worker",
                             pooled=False), worker_id="demo")
    assert [o.status for o in worker.run_once()] == ["completed"]
    assert len(httpserver.log) == 1
    assert rows(fresh_db, STEPS)[-2:] == [("issue", "action", "completed"),
                                          ("approve", "approval", "waiting_approval")]

    with psycopg.connect(fresh_db) as conn:
        conn.execute("SELECT set_config('app.current_user_id', 'erin', true)")
        conn.execute("SELECT automation.approve_step(a.id, 'fix it') FROM automation.workflow_approvals a"
                     " WHERE a.status = 'pending'")
    assert rows(fresh_db, STEPS)[-2:] == [("approve", "approval", "completed"),
                                          ("tell", "notification", "completed")]
    assert rows(fresh_db, """SELECT i.status FROM automation.workflow_instances i
                            JOIN automation.workflows w ON w.id = i.workflow_id
                            WHERE w.name = 'Vulnerability triage'""") == [("completed",)]
    assert rows(fresh_db, """SELECT n.channel, n.subject FROM automation.workflow_notifications n
                            JOIN automation.workflow_instances i ON i.id = n.instance_id
                            JOIN automation.workflows w ON w.id = i.workflow_id
                            WHERE w.name = 'Vulnerability triage'""") == [
        ("slack", "Finding on db-prod-01")]


def test_a_finding_below_the_bar_or_off_critical_assets_starts_nothing_or_ends(
        fresh_db: str) -> None:
    demo.load(Database(fresh_db, None, pooled=False))
    with psycopg.connect(fresh_db) as conn:
        # the scanner feed publishes as erin, who holds event_publisher
        conn.execute("SELECT set_config('app.current_user_id', 'erin', false)")
        found = conn.execute(
            "SELECT status FROM automation.publish_event('tenable', 'vulnerability_found',"
            " '{\"asset\": \"laptop-7\", \"asset_criticality\": \"low\", \"cvss_score\": 9.8}')"
        ).fetchall()
        assert found == []  # the trigger only listens for critical assets
        [(run,)] = conn.execute(
            "SELECT instance_id FROM automation.publish_event('tenable', 'vulnerability_found',"
            " '{\"asset\": \"db-prod-02\", \"asset_criticality\": \"critical\", \"cvss_score\": 7}')"
        ).fetchall()
        steps = conn.execute("SELECT node_id FROM automation.workflow_executions"
                             " WHERE instance_id = %s ORDER BY created_at, id", (run,)).fetchall()
        status = conn.execute("SELECT status FROM automation.workflow_instances WHERE id = %s",
                              (run,)).fetchone()
    assert [s[0] for s in steps] == ["finding", "severe", "ignore"]  # 7 is not above 7
    assert status == ("completed",)
