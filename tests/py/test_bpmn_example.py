"""The shipped OneCMS example process, deployed and run end to end.

examples/OneCMS_Nextgen_WF.bpmn20.xml is deployed with flowable.deploy_process
into a database holding the demo organisation (pyapp/pgwf/demo/bpmn.sql); cases
are started with flowable.start_process and worked through the task service
(claim_task, complete_task) as the people of the demo, and the one worker step
through the engine's claim_steps/complete_step. Form data set at triage and
approval is what the gateways read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "OneCMS_Nextgen_WF.bpmn20.xml"
DEMO_ORG = ROOT / "pyapp" / "pgwf" / "demo" / "bpmn.sql"
KEY = "OneCMS_Nextgen_WF"


# Deploying needs a holder of the workflow_admin role, acting as themself.
WORKFLOW_ADMIN = """
INSERT INTO entitlements.users (user_id, username, email) VALUES ('admin', 'admin', 'admin' || '@example.org')
    ON CONFLICT (user_id) DO NOTHING;
INSERT INTO entitlements.workflow_roles (role_code, role_name, role_type)
    VALUES ('workflow_admin', 'Workflow administrator', 'SYSTEM') ON CONFLICT (role_code) DO NOTHING;
INSERT INTO entitlements.user_workflow_roles (user_id, role_id, assigned_by, valid_from)
    SELECT 'admin', role_id, 'admin', now() - interval '1 day' FROM entitlements.workflow_roles
     WHERE role_code = 'workflow_admin' ON CONFLICT (user_id, role_id) DO NOTHING;
SELECT set_config('app.current_user_id', 'admin', false);
"""


@pytest.fixture()
def db(fresh_db: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(fresh_db, autocommit=True, row_factory=dict_row) as conn:
        conn.execute(DEMO_ORG.read_text())
        conn.execute(WORKFLOW_ADMIN)
        conn.execute("SELECT flowable.deploy_process(%s, 'admin')", (EXAMPLE.read_text(),))
        conn.execute("SELECT set_config('app.current_user_id', '', false)")
        yield conn


def as_user(conn: psycopg.Connection, user: str) -> None:
    conn.execute("SET ROLE pgwf_test_app")
    conn.execute("SELECT set_config('app.current_user_id', %s, false)", (user,))


def as_admin(conn: psycopg.Connection) -> None:
    conn.execute("RESET ROLE")
    conn.execute("SELECT set_config('app.current_user_id', '', false)")


def start(conn: psycopg.Connection, business_key: str, case_id: int, priority: int) -> str:
    as_user(conn, "alice")
    row = conn.execute(
        "SELECT flowable.start_process(%s, %s, %s, %s, p_priority => %s) AS id",
        (KEY, business_key, Jsonb({"priority": priority, "customerEmail": f"{business_key.lower()}@example.org"}),
         case_id, priority)).fetchone()
    as_admin(conn)
    assert row is not None
    return str(row["id"])


def open_tasks(conn: psycopg.Connection, pid: str) -> list[dict[str, Any]]:
    as_admin(conn)
    return conn.execute(
        """SELECT task_id, task_definition_key AS key, queue_name, candidate_groups, assignee_id, priority,
                  due_date IS NOT NULL AS has_due
             FROM flowable.workflow_tasks
            WHERE process_instance_id = %s AND status IN ('OPEN', 'CLAIMED')
            ORDER BY task_definition_key""", (pid,)).fetchall()


def work(conn: psycopg.Connection, pid: str, key: str, user: str, form: dict[str, Any] | None = None) -> None:
    """The user claims the open task of this step and completes it with the form data."""
    tasks = [t for t in open_tasks(conn, pid) if t["key"] == key]
    assert len(tasks) == 1, (key, open_tasks(conn, pid))
    as_user(conn, user)
    if tasks[0]["assignee_id"] != user:
        conn.execute("SELECT flowable.claim_task(%s)", (tasks[0]["task_id"],))
    conn.execute("SELECT flowable.complete_task(%s, 'done', NULL, %s)", (tasks[0]["task_id"], Jsonb(form or {})))
    as_admin(conn)


def status(conn: psycopg.Connection, pid: str) -> str:
    row = conn.execute("SELECT status FROM flowable.process_instances WHERE process_instance_id = %s", (pid,)).fetchone()
    assert row is not None
    return str(row["status"])


def test_example_deploys_with_every_task_in_a_demo_queue(db: psycopg.Connection) -> None:
    nodes = db.execute(
        """SELECT n.node_id, n.node_type, n.configuration
             FROM automation.workflow_nodes n
             JOIN flowable.workflow_definitions d ON d.deployment_id = n.workflow_id::text
            WHERE d.process_key = %s""", (KEY,)).fetchall()
    assert len(nodes) == 20
    tasks = {n["node_id"]: n["configuration"] for n in nodes if n["node_type"] == "task"}
    assert set(tasks) == {"registerCase", "triageCase", "standardReview", "legalReview", "complianceReview",
                          "supervisorApproval", "reworkCase"}
    queues = {r["queue_name"] for r in db.execute("SELECT queue_name FROM flowable.workflow_queues").fetchall()}
    assert {t["queueName"] for t in tasks.values()} <= queues
    kinds = sorted(n["configuration"]["kind"] for n in nodes if n["node_type"] == "gateway")
    assert kinds == ["exclusive", "exclusive", "exclusive", "parallel", "parallel"]


def test_high_risk_case_goes_through_parallel_review_rework_and_closure(db: psycopg.Connection) -> None:
    pid = start(db, "CASE-A", 1001, 85)
    [register] = open_tasks(db, pid)
    assert (register["key"], register["queue_name"], register["candidate_groups"], register["priority"]) == \
        ("registerCase", "intake", ["INTAKE_ANALYST"], 85)
    mapping = db.execute("SELECT * FROM onecms.case_workflow_mapping WHERE process_instance_id = %s", (pid,)).fetchone()
    assert mapping is not None
    assert (mapping["case_id"], mapping["current_department"], mapping["current_phase"]) == (1001, "INTAKE", "registerCase")

    work(db, pid, "registerCase", "alice")
    work(db, pid, "triageCase", "frank", {"caseType": "FRAUD", "priority": 85, "caseHandler": "ivan"})
    # a fraud case is reviewed by legal and compliance at the same time
    assert [(t["key"], t["queue_name"]) for t in open_tasks(db, pid)] == \
        [("complianceReview", "compliance_review"), ("legalReview", "legal_review")]
    mapping = db.execute("SELECT * FROM onecms.case_workflow_mapping WHERE process_instance_id = %s", (pid,)).fetchone()
    assert mapping is not None and mapping["current_department"] in {"LEGAL", "COMPLIANCE"}
    work(db, pid, "legalReview", "bob")
    assert [t["key"] for t in open_tasks(db, pid)] == ["complianceReview"]
    work(db, pid, "complianceReview", "grace")
    assert [t["key"] for t in open_tasks(db, pid)] == ["supervisorApproval"]

    # the supervisor sends it back; the rework goes to the case handler named at triage
    work(db, pid, "supervisorApproval", "heidi", {"decision": "rework"})
    [rework] = open_tasks(db, pid)
    assert (rework["key"], rework["queue_name"], rework["assignee_id"]) == ("reworkCase", "casework", "ivan")
    work(db, pid, "reworkCase", "ivan")
    work(db, pid, "supervisorApproval", "heidi", {"decision": "approve"})

    # closure is a worker step (topic onecms-close-case), then the customer is told
    assert open_tasks(db, pid) == []
    steps = db.execute("SELECT * FROM automation.claim_steps('test-worker')").fetchall()
    assert [s["node_id"] for s in steps] == ["closeCase"]
    db.execute("SELECT automation.complete_step(%s, '{}', 'test-worker')", (steps[0]["execution_id"],))
    assert status(db, pid) == "COMPLETED"
    notes = db.execute(
        "SELECT channel, recipients FROM automation.workflow_notifications WHERE instance_id::text = %s", (pid,)).fetchall()
    assert [(n["channel"], n["recipients"]) for n in notes] == [("email", ["case-a@example.org"])]

    # the case mapping followed the case through every department to its end
    mapping = db.execute("SELECT * FROM onecms.case_workflow_mapping WHERE process_instance_id = %s", (pid,)).fetchone()
    assert mapping is not None
    assert mapping["actual_completion"] is not None and mapping["current_phase"] == "COMPLETED"
    history = mapping["routing_history"]
    opened = [h["phase"] for h in history if h["event"] == "task_created"]
    assert opened[0] == "triageCase" and set(opened[1:3]) == {"legalReview", "complianceReview"}
    assert opened[-3:] == ["supervisorApproval", "reworkCase", "supervisorApproval"]
    assert {h["department"] for h in history if h["event"] == "task_created"} == \
        {"CASEWORK", "LEGAL", "COMPLIANCE", "SUPERVISION"}
    assert history[0]["event"] == "started" and history[-1]["event"] == "process_completed"


def test_simple_inquiry_is_answered_without_review(db: psycopg.Connection) -> None:
    pid = start(db, "CASE-B", 1002, 20)
    work(db, pid, "registerCase", "alice")
    work(db, pid, "triageCase", "frank", {"caseType": "INQUIRY", "priority": 10})
    assert open_tasks(db, pid) == []
    assert status(db, pid) == "COMPLETED"


def test_standard_case_rejected_by_the_supervisor_terminates(db: psycopg.Connection) -> None:
    pid = start(db, "CASE-C", 1003, 50)
    work(db, pid, "registerCase", "alice")
    work(db, pid, "triageCase", "frank", {"caseType": "COMPLAINT", "priority": 50})
    [review] = open_tasks(db, pid)
    assert (review["key"], review["queue_name"]) == ("standardReview", "casework")
    work(db, pid, "standardReview", "ivan")
    work(db, pid, "supervisorApproval", "heidi", {"decision": "reject"})
    assert open_tasks(db, pid) == []
    assert status(db, pid) in {"COMPLETED", "TERMINATED"}
