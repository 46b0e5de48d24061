"""Events and scopes: real BPMN files run to the end their source engines' tests expect.

``../shared/bpmn-corpus/events-and-scopes`` holds 60 real-world files using
events, scopes, loops and collaborations, with ``EXPECTED.tsv`` saying, for
each, the steps of one run (tasks completed with form data, messages,
signals, timers passing their due time) and how many times each activity
completes on that run. This test deploys each file with
``flowable.deploy_process``, starts it as the file says, plays the steps
through pgwf's public functions (``claim_task``/``complete_task``,
``correlate_message``, ``send_signal``, ``fire_due_timers``, a worker's
``claim_steps``/``complete_step`` for service tasks), and compares the
activities completed, counted from ``workflow_executions``, with the file's.

Files pgwf refuses are listed in ``REFUSED`` with the words of the refusal:
such a file must still be refused for that reason (so a file that starts to
deploy, or is refused for something else, fails here until the list is
brought up to date), and nothing a refused file holds is approximated.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("PGWF_BPMN_CORPUS", ROOT.parent / "shared" / "bpmn-corpus")) / "events-and-scopes"

# Activities are counted (EXPECTED.tsv: tasks of every kind, sub-processes, call activities).
ACTIVITY_TYPES = ("task", "approval", "action", "integration", "notification", "manual", "receive", "subprocess", "call")

# Files pgwf refuses, with words every refusal of the file must contain (docs/bpmn.md says why).
REFUSED: dict[str, list[str]] = {
    # the event sub-process has no id, and every node needs one
    "flowable__SignalEventSubprocessTest.testInterruptingSubProcess.bpmn20.xml": ["?:subProcess (element 6) has no id"],
    # arithmetic in a call activity's mappings (${x+5}): pgwf's expressions read values, they do not compute
    "camunda__CallActivity.testSubProcessDataInputOutput.bpmn20.xml": ['in sourceExpression "${x+5}" is outside the grammar'],
    # output parameters on a user task and a send task evaluate expressions over the engine's environment
    "bpmn-elements__messaging.bpmn": ["the camunda:inputOutput extension is not supported"],
    "bpmn-moddle__ad-hoc.bpmn": ["AdHoc:adHocSubProcess"],
    # output parameters that call methods on a DMN result: an output mapping reads paths
    "camunda__DmnBusinessRuleTaskResultMappingTest.testCustomOutputMapping.bpmn20.xml": [
        "the outputParameter result1 is the expression ${decisionResult.getSingleResult().result1}"],
}

# Where EXPECTED.tsv counts an activity that none of its steps completes: the task must be open
# at the end of the run instead (the source project's test completes it afterwards).
OPEN_AT_END: dict[str, list[str]] = {
    "camunda__InclusiveGatewayTest.testJoinAfterEventBasedGateway.bpmn20.xml": ["taskAfterJoin"],
}


def expected_rows() -> list[dict[str, str]]:
    path = CORPUS / "EXPECTED.tsv"
    if not path.is_file():
        return []
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


ROWS = expected_rows()
pytestmark = pytest.mark.skipif(not ROWS, reason=f"the events-and-scopes corpus is not present at {CORPUS}")


@pytest.fixture()
def db(fresh_db: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(fresh_db, autocommit=True, row_factory=dict_row) as conn:
        conn.execute("SELECT tests.cr_world()")
        conn.execute("SELECT tests.workflow_admin('admin')")
        yield conn


def act_as(conn: psycopg.Connection, user: str | None) -> None:
    """Run the next calls as a person through the application role, or as the owner (None)."""
    if user is None:
        conn.execute("RESET ROLE")
        conn.execute("SELECT set_config('app.current_user_id', '', false)")
    else:
        conn.execute("SET ROLE pgwf_test_app")
        conn.execute("SELECT set_config('app.current_user_id', %s, false)", (user,))


def people_of(text: str) -> tuple[set[str], set[str]]:
    """The users and groups a file names as assignees and candidates (not ${...} expressions)."""
    users: set[str] = set()
    groups: set[str] = set()
    for attr, value in re.findall(r'(?:\w+:)(assignee|candidateUsers|candidateGroups)="([^"]*)"', text):
        names = {v.strip() for v in value.split(",") if v.strip() and "$" not in v and "#" not in v}
        # a multi-instance activity naming its users by instance: kermit_${loopCounter}
        names |= {v.strip().replace("${loopCounter}", str(i)) for v in value.split(",")
                  if v.count("$") == 1 and "${loopCounter}" in v for i in range(20)}
        (groups if attr == "candidateGroups" else users).update(names)
    for role, body in re.findall(r"<(?:\w+:)?(humanPerformer|potentialOwner)\b.*?<(?:\w+:)?formalExpression[^>]*>([^<]*)<",
                                 text, re.DOTALL):
        for item in (i.strip().strip("'\"") for i in body.split(",")):
            found = re.fullmatch(r"(user|group)\((.*)\)", item)
            kind, value = (found.group(1), found.group(2).strip()) if found else (
                "user" if role == "humanPerformer" else "group", item)
            if value and "$" not in value:
                (users if kind == "user" else groups).add(value)
    return users, groups


def deploy(conn: psycopg.Connection, name: str) -> None:
    text = (CORPUS / name).read_text(encoding="utf-8")
    users, groups = people_of(text)
    for user in users:
        ensure_person(conn, user, [])
    for group in groups:
        ensure_person(conn, "alice", [group])
    act_as(conn, "admin")
    try:
        conn.execute("SELECT flowable.deploy_process(%s, 'admin', p_default_queue => 'Q_CLAIMS')", (text,))
    finally:
        act_as(conn, None)


def ensure_person(conn: psycopg.Connection, user: str, groups: list[str]) -> None:
    """A task's assignee, candidate user or candidate groups become people who may work it."""
    conn.execute("""INSERT INTO entitlements.users (user_id, username, email, department_id, is_active)
                    SELECT %s, %s, %s || '@example.org', department_id, true
                      FROM entitlements.departments WHERE department_code = 'CLAIMS'
                    ON CONFLICT (user_id) DO NOTHING""", (user, user, user))
    for group in groups + ["CLAIMS_AGENT"]:
        if conn.execute("SELECT 1 FROM entitlements.workflow_roles WHERE role_code = %s", (group,)).fetchone() is None:
            conn.execute("SELECT tests.cr_role(%s, 'Q_CLAIMS', 'CLAIMS')", (group,))
        conn.execute("""SELECT tests.cr_grant(%s, %s) WHERE NOT EXISTS (
                            SELECT 1 FROM entitlements.user_workflow_roles g JOIN entitlements.workflow_roles r USING (role_id)
                             WHERE g.user_id = %s AND r.role_code = %s)""", (user, group, user, group))


def open_task(conn: psycopg.Connection, ref: str) -> dict[str, Any]:
    process, _, key = ref.rpartition("/")
    rows = conn.execute(
        """SELECT t.task_id, t.assignee_id, t.candidate_users, t.candidate_groups
             FROM flowable.workflow_tasks t
             JOIN flowable.process_instances i ON i.process_instance_id = t.process_instance_id
             JOIN flowable.workflow_definitions d ON d.workflow_id = i.workflow_id
            WHERE t.status IN ('OPEN', 'CLAIMED') AND t.task_definition_key = %s
              AND (%s = '' OR d.process_key = %s)
            ORDER BY t.created_at, t.task_id""", (key, process, process)).fetchall()
    assert rows, f"no open task {ref}"
    return rows[0]


def complete_task(conn: psycopg.Connection, ref: str, data: dict[str, Any]) -> None:
    _process, _, key = ref.rpartition("/")
    if conn.execute("""SELECT 1 FROM automation.workflow_executions e JOIN automation.workflow_nodes n
                           ON n.node_id = e.node_id AND n.workflow_id = (SELECT workflow_id FROM automation.workflow_instances
                                                                         WHERE id = e.instance_id)
                        WHERE e.node_id = %s AND n.node_type = 'manual' LIMIT 1""", (key,)).fetchone():
        return  # pgwf passes manual and plain tasks through (docs/graph-model.md): this one is done
    task = open_task(conn, ref)
    user = task["assignee_id"] or (task["candidate_users"] or ["alice"])[0]
    ensure_person(conn, user, list(task["candidate_groups"] or []))
    act_as(conn, user)
    try:
        if task["assignee_id"] is None:
            conn.execute("SELECT flowable.claim_task(%s)", (task["task_id"],))
        conn.execute("SELECT flowable.complete_task(%s, p_form_data => %s)", (task["task_id"], Jsonb(data)))
    finally:
        act_as(conn, None)


def run_workers(conn: psycopg.Connection) -> None:
    """Service, script, business-rule and send tasks succeed (EXPECTED.tsv assumes so)."""
    for _ in range(50):
        steps = conn.execute("SELECT execution_id FROM automation.claim_steps('corpus-worker', p_batch_size => 100)").fetchall()
        if not steps:
            return
        for step in steps:
            conn.execute("SELECT automation.complete_step(%s, '{}', 'corpus-worker')", (step["execution_id"],))


def pass_timer(conn: psycopg.Connection, node_id: str) -> None:
    """The clock passes the due time of the oldest timer of that event, which then fires once."""
    row = conn.execute(
        """UPDATE automation.workflow_event_subscriptions SET due_at = now() - interval '1 second'
            WHERE id = (SELECT id FROM automation.workflow_event_subscriptions
                         WHERE node_id = %s AND event_type = 'timer' ORDER BY due_at, id LIMIT 1)
        RETURNING id""", (node_id,)).fetchone()
    assert row is not None, f"no timer waits at {node_id}"
    assert conn.execute("SELECT automation.fire_due_timers() AS n").fetchone()["n"] >= 1


def play(conn: psycopg.Connection, row: dict[str, str]) -> None:
    start = json.loads(row["start"])
    variables = json.loads(row["start_variables"] or "{}")
    # a list of names a multi-instance activity assigns its instances to (assigneeList)
    for name, value in variables.items():
        if name.endswith("List") and isinstance(value, list):
            for user in value:
                if isinstance(user, str):
                    ensure_person(conn, user, [])
    act_as(conn, "alice")
    try:
        if "timer" in start:
            # the clock passes the start timer's due time (pgwf schedules it at deployment)
            act_as(conn, None)
            conn.execute("""UPDATE automation.workflow_triggers
                               SET configuration = configuration || jsonb_build_object('dueAt', now() - interval '1 second', 'input', %s::jsonb)
                             WHERE trigger_source = 'timer-start' AND configuration ->> 'nodeId' = %s""",
                         (Jsonb(variables), start["timer"]))
            assert conn.execute("SELECT automation.fire_due_schedules() AS n").fetchone()["n"] == 1
        elif "message" in start:
            result = conn.execute("SELECT flowable.correlate_message(%s, NULL, NULL, %s) AS r",
                                  (start["message"], Jsonb(variables))).fetchone()["r"]
            assert result.get("correlated") is not False, result
        else:
            conn.execute("SELECT flowable.start_process(%s, p_variables => %s)", (start["process"], Jsonb(variables)))
    finally:
        act_as(conn, None)
    run_workers(conn)
    for choice in json.loads(row["choices"]):
        if "task" in choice:
            complete_task(conn, choice["task"], choice.get("data") or {})
        elif "message" in choice or "trigger" in choice:
            act_as(conn, "alice")
            try:
                result = conn.execute(
                    "SELECT flowable.correlate_message(%s, NULL, %s, %s) AS r",
                    (choice.get("message", choice.get("trigger")),
                     Jsonb(choice["correlationKey"]) if isinstance(choice.get("correlationKey"), dict) else None,
                     Jsonb(choice.get("data") or {}))).fetchone()["r"]
            finally:
                act_as(conn, None)
            assert result.get("correlated") is not False, (choice, result)
        elif "signal" in choice:
            act_as(conn, "alice")
            try:
                conn.execute("SELECT flowable.send_signal(%s, '{}')", (choice["signal"],))
            finally:
                act_as(conn, None)
        elif "timer" in choice:
            pass_timer(conn, choice["timer"])
        else:
            raise AssertionError(f"unknown step {choice}")
        run_workers(conn)


def completed(conn: psycopg.Connection, root_process: str) -> Counter[str]:
    rows = conn.execute(
        """SELECT d.process_key, e.node_id, count(*) AS n
             FROM automation.workflow_executions e
             JOIN flowable.process_instances i ON i.process_instance_id = e.instance_id::text
             JOIN flowable.workflow_definitions d ON d.workflow_id = i.workflow_id
            WHERE e.status = 'completed' AND e.step_type = ANY (%s)
            GROUP BY 1, 2""", (list(ACTIVITY_TYPES),)).fetchall()
    return Counter({(r["node_id"] if r["process_key"] == root_process else f"{r['process_key']}/{r['node_id']}"): r["n"]
                    for r in rows})


@pytest.mark.parametrize("row", ROWS, ids=[r["file"] for r in ROWS])
def test_events_corpus_file(db: psycopg.Connection, row: dict[str, str]) -> None:
    name = row["file"]
    files = [f for f in (row["deploy_with"] or "").split(",") if f.strip()] + [name]
    if name in REFUSED:
        with pytest.raises(psycopg.Error) as info:
            for f in files:
                deploy(db, f.strip())
        message = info.value.diag.message_primary or ""
        assert info.value.sqlstate == "PW422", message
        for words in REFUSED[name]:
            assert words in message, (words, message)
        return
    for f in files:
        deploy(db, f.strip())
    play(db, row)
    want = json.loads(row["completed"]) if row["completed"] not in ("", "unknown") else None
    for task in OPEN_AT_END.get(name, []):
        open_task(db, task)
        if want is not None:
            want.pop(task)
    if want is not None:
        assert completed(db, json.loads(row["start"])["process"]) == Counter(want)
