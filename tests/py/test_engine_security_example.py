"""The specification's security example end to end, through the public functions and as the
roles that call them: a scanner event with CVSS above 7 on a critical asset starts the run, a
worker opens the issue, the security team approves in its queue, the notifier delivers."""

from __future__ import annotations

import json

import psycopg
from psycopg.rows import dict_row

GRAPH = {
    "nodes": [
        {"id": "finding", "type": "trigger", "position": {"x": 0, "y": 0},
         "data": {"label": "Scanner finding", "triggerType": "event"}},
        {"id": "severe", "type": "condition", "position": {"x": 200, "y": 0},
         "data": {"label": "CVSS > 7 on a critical asset",
                  "condition": {"all": [{"field": "cvss_score", "operator": "greater_than", "value": 7},
                                        {"field": "asset_criticality", "operator": "equals", "value": "critical"}]}}},
        {"id": "issue", "type": "action", "position": {"x": 400, "y": 0},
         "data": {"label": "Create an issue", "connector": "gitlab",
                  "input": {"project": "security/vulnerabilities", "title": "CVSS {{cvss_score}} on {{asset}}"}}},
        {"id": "review", "type": "approval", "position": {"x": 600, "y": 0},
         "data": {"label": "Security review", "approverRole": "security_team", "expiresInMinutes": 1440,
                  "message": "Fix {{asset}}? {{$steps.issue.issueUrl}}", "recipients": ["security@example.org"]}},
        {"id": "tell", "type": "notification", "position": {"x": 800, "y": 0},
         "data": {"channel": "email", "recipients": ["ops@example.org"], "subject": "Approved: {{asset}}",
                  "message": "Issue {{issue_url}}"}},
        {"id": "ignore", "type": "end", "position": {"x": 400, "y": 200}},
        {"id": "rejected", "type": "end", "position": {"x": 800, "y": 200}},
    ],
    "edges": [
        {"id": "e1", "source": "finding", "target": "severe"},
        {"id": "e2", "source": "severe", "target": "issue", "sourceHandle": "true"},
        {"id": "e3", "source": "severe", "target": "ignore", "sourceHandle": "false"},
        {"id": "e4", "source": "issue", "target": "review"},
        {"id": "e5", "source": "review", "target": "tell", "sourceHandle": "approved"},
        {"id": "e6", "source": "review", "target": "rejected", "sourceHandle": "rejected"},
    ],
}


def as_role(conn: psycopg.Connection, role: str, user: str | None = None) -> None:
    conn.execute(f"SET ROLE {role}")  # fixed role names from this file
    conn.execute("SELECT set_config('app.current_user_id', %s, false)", (user or "",))


def test_the_security_example_runs_end_to_end(fresh_db: str) -> None:
    with psycopg.connect(fresh_db, autocommit=True, row_factory=dict_row) as admin:
        admin.execute("""
            INSERT INTO flowable.workflow_queues (queue_name) VALUES ('security_q');
            INSERT INTO entitlements.workflow_roles (role_code, role_name, role_type, queue_name)
            VALUES ('security_team', 'Security team', 'CUSTOM', 'security_q');
            INSERT INTO entitlements.users (user_id, username) VALUES ('erin', 'erin'), ('sam', 'sam'), ('bob', 'bob');
            INSERT INTO entitlements.user_workflow_roles (user_id, role_id, assigned_by, valid_from)
            SELECT 'sam', role_id, 'admin', now() - interval '1 day' FROM entitlements.workflow_roles;
            SELECT tests.workflow_admin('erin');  -- erin models the workflow""")

    with psycopg.connect(fresh_db, autocommit=True, row_factory=dict_row) as app:
        as_role(app, "pgwf_test_app", "erin")
        wid = app.execute("SELECT automation.save_workflow(%s::jsonb, 'Vulnerability triage') AS id",
                          (json.dumps(GRAPH),)).fetchone()["id"]
        app.execute("SELECT automation.deploy_workflow(%s)", (wid,))
        app.execute("""SELECT * FROM automation.save_trigger(%s, 'event',
                       '{"severity": ["high", "critical"], "cvssThreshold": 7.0, "assetGroups": ["production", "critical"]}',
                       'tenable')""", (wid,))
        event = {"severity": "critical", "cvss_score": 9.8, "asset": "web01", "asset_criticality": "critical",
                 "asset_groups": ["production"]}
        started = app.execute("SELECT * FROM automation.publish_event('tenable', 'vulnerability', %s::jsonb, 'scan-1')",
                              (json.dumps(event),)).fetchall()
        assert [r["status"] for r in started] == ["started"]
        run = started[0]["instance_id"]
        again = app.execute("SELECT * FROM automation.publish_event('tenable', 'vulnerability', %s::jsonb, 'scan-1')",
                            (json.dumps(event),)).fetchall()
        assert [(r["status"], r["instance_id"]) for r in again] == [("duplicate", run)]

    with psycopg.connect(fresh_db, autocommit=True, row_factory=dict_row) as worker:
        as_role(worker, "pgwf_test_worker")
        [step] = worker.execute("SELECT * FROM automation.claim_steps('gitlab-worker', ARRAY['action'], 60, 10)").fetchall()
        assert step["node_id"] == "issue"
        assert step["input_data"]["input"] == {"project": "security/vulnerabilities", "title": "CVSS 9.8 on web01"}
        worker.execute("SELECT automation.complete_step(%s, %s::jsonb, 'gitlab-worker')", (step["execution_id"], json.dumps(
            {"issueId": 456, "issueUrl": "https://gitlab.example.org/issues/456",
             "variables": {"issue_url": "https://gitlab.example.org/issues/456"}})))

    with psycopg.connect(fresh_db, autocommit=True, row_factory=dict_row) as app:
        as_role(app, "pgwf_test_app", "bob")
        assert app.execute("SELECT count(*) AS n FROM automation.workflow_approvals").fetchone()["n"] == 0
        as_role(app, "pgwf_test_app", "sam")
        [approval] = app.execute("SELECT * FROM automation.workflow_approvals").fetchall()
        assert approval["approval_message"] == "Fix web01? https://gitlab.example.org/issues/456"
        inbox = app.execute("SELECT task_id, task_type FROM flowable.workflow_tasks WHERE status IN ('OPEN', 'CLAIMED')").fetchall()
        assert [t["task_id"] for t in inbox] == [approval["task_id"]], "the approval is in sam's inbox"
        app.execute("SELECT automation.approve_step(%s, 'patch tonight')", (approval["id"],))

    with psycopg.connect(fresh_db, autocommit=True, row_factory=dict_row) as notifier:
        as_role(notifier, "pgwf_test_worker")
        rows = notifier.execute("SELECT * FROM automation.claim_notifications('mailer', 10, 60)").fetchall()
        by_type = {r["notification_type"]: r for r in rows}
        assert set(by_type) == {"approval_request", "step_complete"}
        assert by_type["step_complete"]["subject"] == "Approved: web01"
        assert by_type["step_complete"]["message"] == "Issue https://gitlab.example.org/issues/456"
        for r in rows:
            notifier.execute("SELECT automation.mark_notification_sent(%s, 'mailer')", (r["id"],))

    with psycopg.connect(fresh_db, row_factory=dict_row) as admin:
        done = admin.execute("SELECT * FROM automation.workflow_instances WHERE id = %s", (run,)).fetchone()
        assert (done["status"], done["progress"], done["trigger_source"]) == ("completed", 100, "event")
        assert done["execution_metrics"]["steps"] == 5
        steps = [r["node_id"] for r in admin.execute(
            "SELECT node_id FROM automation.workflow_executions WHERE instance_id = %s ORDER BY created_at", (run,))]
        assert steps == ["finding", "severe", "issue", "review", "tell"]
        assert admin.execute("SELECT notifications_sent FROM automation.workflow_approvals").fetchone()["notifications_sent"] == 1
        assert admin.execute("SELECT status FROM flowable.process_instances WHERE process_instance_id = %s",
                             (str(run),)).fetchone()["status"] == "COMPLETED"
