"""Property test of the executor: random valid graphs (forks, joins, conditions, gateways of
every kind, worker steps, loops, terminating ends) always finish or wait; serviced by a worker
they always finish; progress is never out of bounds, is 100 exactly when the run completes, and
a stopped run leaves nothing open."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg.rows import dict_row

OPEN = ("pending", "running", "waiting_approval")


def cond(field: str, op: str, value: int) -> dict[str, Any]:
    return {"field": field, "operator": op, "value": value}


@st.composite
def graphs(draw: st.DrawFn) -> dict[str, Any]:
    """A connected graph whose node i is reachable from the trigger (node 0) through edges from
    lower to higher indexes, plus optional back edges (loops, stopped by maxSteps)."""
    n = draw(st.integers(min_value=2, max_value=12))
    kinds = ["trigger"] + [
        draw(st.sampled_from(["notification", "action", "integration", "condition", "gateway:parallel",
                              "gateway:exclusive", "gateway:inclusive", "end", "end:terminate",
                              "approval", "task"]))
        for _ in range(n - 1)
    ]
    # nodes that must have outgoing edges cannot be last; an end node cannot be a source
    for i in range(n - 1):
        if kinds[i].startswith("end") and i == 0:
            kinds[i] = "trigger"
    kinds[-1] = draw(st.sampled_from(["end", "notification", "action", "task"]))
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []

    def edge(src: int, dst: int, **extra: Any) -> None:
        edges.append({"id": f"e{len(edges) + 1}", "source": f"n{src}", "target": f"n{dst}", **extra})

    for i, kind in enumerate(kinds):
        data: dict[str, Any] = {}
        base = kind.split(":")[0]
        if base == "condition":
            data["condition"] = cond("x", draw(st.sampled_from(["less_than", "greater_than", "equals"])),
                                     draw(st.integers(0, 9)))
        elif base == "gateway":
            data["kind"] = kind.split(":")[1]
        elif kind == "end:terminate":
            data["terminate"] = True
        elif base in ("action", "integration"):
            data["connector"] = "test"
        elif base == "approval":
            data["approverRole"] = "prop_approver"
            if draw(st.booleans()):
                data["expiresInMinutes"] = 60
        elif base == "task":
            data["queueName"] = "prop_q"
            data["candidateGroups"] = ["prop_approver"]
        nodes.append({"id": f"n{i}", "type": base, "position": {"x": i * 100, "y": 0}, "data": data})

    # every node after the first gets an incoming edge from an earlier node that may have edges
    for i in range(1, n):
        sources = [j for j in range(i) if not kinds[j].startswith("end")]
        src = draw(st.sampled_from(sources))
        if kinds[src] in ("condition", "approval"):
            continue  # condition and approval nodes get their outcome edges below
        edge(src, i)
    # a few extra forward edges, making forks and joins
    for _ in range(draw(st.integers(0, n))):
        i = draw(st.integers(1, n - 1))
        sources = [j for j in range(i) if not kinds[j].startswith("end") and kinds[j] not in ("condition", "approval")]
        if sources:
            edge(draw(st.sampled_from(sources)), i)
    # condition nodes: a true and a false edge to later nodes (always possible: they are not last)
    for j, kind in enumerate(kinds):
        if kind in ("condition", "approval"):
            later = list(range(j + 1, n))
            handles = ["true", "false"] if kind == "condition" else ["approved", "rejected"]
            for handle in handles:
                edge(j, draw(st.sampled_from(later)), sourceHandle=handle)
            if kind == "approval" and draw(st.booleans()):
                edge(j, draw(st.sampled_from(later)), sourceHandle="expired")
    # gateways: some edges conditional, maybe a default
    for e in edges:
        src = int(e["source"][1:])
        if kinds[src] in ("gateway:exclusive", "gateway:inclusive") and draw(st.booleans()):
            e["data"] = {"conditions": [cond("x", draw(st.sampled_from(["less_than", "greater_than"])),
                                             draw(st.integers(0, 9)))]}
        elif kinds[src] in ("gateway:exclusive", "gateway:inclusive") and draw(st.booleans()):
            e["data"] = {"default": True}
    # condition nodes must reach every later node they feed; the reachability rule of the model
    # needs every node reachable from the trigger: make sure by construction (checked by save)
    reach = {0}
    changed = True
    while changed:
        changed = False
        for e in edges:
            s, t = int(e["source"][1:]), int(e["target"][1:])
            if s in reach and t not in reach:
                reach.add(t)
                changed = True
    for i in range(1, n):
        if i not in reach:
            edge(0, i)
            reach.add(i)
    # optional loops
    if draw(st.booleans()):
        for _ in range(draw(st.integers(1, 2))):
            src = draw(st.integers(1, n - 1))
            if not kinds[src].startswith("end") and kinds[src] not in ("condition", "approval"):
                edge(src, draw(st.integers(1, src)))
    return {"nodes": nodes, "edges": edges, "viewport": {"x": 0, "y": 0, "zoom": 1}}


@pytest.fixture(scope="module")
def engine_db(template_db: str) -> Iterator[str]:
    import uuid

    from conftest import create_database, drop_database  # tests/conftest.py

    name = f"pgwf_prop_{uuid.uuid4().hex[:10]}"
    url = create_database(name, template_db)
    with psycopg.connect(url) as conn:  # the people and queue the human steps go to
        conn.execute("""
            INSERT INTO flowable.workflow_queues (queue_name, max_capacity) VALUES ('prop_q', NULL);
            INSERT INTO entitlements.workflow_roles (role_code, role_name, role_type, queue_name)
            VALUES ('prop_approver', 'Approver', 'CUSTOM', 'prop_q');
            INSERT INTO entitlements.users (user_id, username) VALUES ('pat', 'pat'), ('alice', 'alice');
            INSERT INTO entitlements.user_workflow_roles (user_id, role_id, assigned_by, valid_from)
            SELECT 'pat', role_id, 'test', now() - interval '1 day' FROM entitlements.workflow_roles;
            SELECT tests.workflow_admin('modeler');  -- saves and deploys the graphs""")
    try:
        yield url
    finally:
        drop_database(name)


def check_run(conn: psycopg.Connection, run: Any) -> dict[str, Any]:
    row = conn.execute("SELECT * FROM automation.workflow_instances WHERE id = %s", (run,)).fetchone()
    assert row is not None
    assert 0 <= row["progress"] <= 100
    assert (row["progress"] == 100) == (row["status"] == "completed"), row
    open_steps = conn.execute(
        "SELECT count(*) AS n FROM automation.workflow_executions WHERE instance_id = %s AND status = ANY(%s)",
        (run, list(OPEN))).fetchone()["n"]
    pi = conn.execute("SELECT status FROM flowable.process_instances WHERE process_instance_id = %s",
                      (str(run),)).fetchone()
    expected = {"running": "ACTIVE", "completed": "COMPLETED", "failed": "ERROR"}[row["status"]]
    assert pi["status"] == expected
    if row["status"] == "running":
        assert open_steps > 0, "a running run must be waiting for something"
    else:
        assert open_steps == 0, "a stopped run leaves nothing open"
        assert row["completed_at"] is not None
        assert row["execution_metrics"] is not None
    if row["status"] == "completed":
        left = conn.execute("SELECT count(*) AS n FROM automation.workflow_tokens WHERE instance_id = %s", (run,)).fetchone()
        assert left["n"] == 0, "a completed run has no tokens left"
    return row


def serve_people(conn: psycopg.Connection, run: Any, rnd: Any) -> int:
    """The approver decides (or lets expire) each pending approval of the run, and takes and
    completes each open task; returns how many human steps were served."""
    served = 0
    approvals = conn.execute(
        """SELECT wa.id, wa.expires_at IS NOT NULL AS can_expire FROM automation.workflow_approvals wa
           JOIN automation.workflow_executions we ON we.id = wa.execution_id
           WHERE we.instance_id = %s AND wa.status = 'pending'""", (run,)).fetchall()
    tasks = conn.execute(
        """SELECT t.task_id FROM flowable.workflow_tasks t
           WHERE t.process_instance_id = %s AND t.task_type = 'USER_TASK' AND t.status NOT IN ('COMPLETED', 'CANCELLED')""",
        (str(run),)).fetchall()
    conn.execute("SELECT set_config('app.current_user_id', 'pat', true)")
    for a in approvals:
        if conn.execute("SELECT status FROM automation.workflow_approvals WHERE id = %s", (a["id"],)).fetchone()["status"] != "pending":
            continue  # closed meanwhile by another branch ending the run
        choice = rnd.choice(["approve", "reject", "expire"] if a["can_expire"] else ["approve", "reject"])
        if choice == "expire":
            conn.execute("UPDATE automation.workflow_approvals SET expires_at = now() - interval '1 minute' WHERE id = %s",
                         (a["id"],))
            conn.execute("SELECT automation.expire_workflow_approvals()")
        else:
            conn.execute(f"SELECT automation.{choice}_step(%s)", (a["id"],))
        served += 1
    for t in tasks:
        status = conn.execute("SELECT status, assignee_id FROM flowable.workflow_tasks WHERE task_id = %s",
                              (t["task_id"],)).fetchone()
        if status["status"] in ("COMPLETED", "CANCELLED"):
            continue
        if status["assignee_id"] is None:
            conn.execute("SELECT flowable.claim_task(%s)", (t["task_id"],))
        conn.execute("SELECT flowable.complete_task(%s, 'done', NULL, %s::jsonb)",
                     (t["task_id"], json.dumps({"x": rnd.randint(0, 9)})))
        served += 1
    conn.execute("SELECT set_config('app.current_user_id', 'alice', true)")
    return served


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(graph=graphs(), x=st.integers(0, 9), fail_first=st.booleans(), rnd=st.randoms(use_true_random=False))
def test_random_graphs_finish_or_wait_and_keep_progress_sound(engine_db: str, graph: dict[str, Any],
                                                              x: int, fail_first: bool, rnd: Any) -> None:
    with psycopg.connect(engine_db, row_factory=dict_row) as conn:
        conn.execute("SET statement_timeout = '20s'")
        conn.execute("SELECT set_config('app.current_user_id', 'modeler', true)")
        wid = conn.execute("SELECT automation.save_workflow(%s::jsonb, 'property', NULL, NULL, NULL, %s::jsonb) AS id",
                           (json.dumps(graph), json.dumps({"maxSteps": 60}))).fetchone()["id"]
        conn.execute("SELECT automation.deploy_workflow(%s)", (wid,))
        conn.execute("SELECT set_config('app.current_user_id', 'alice', true)")
        run = conn.execute("SELECT automation.start_workflow(%s, %s::jsonb) AS id",
                           (wid, json.dumps({"x": x}))).fetchone()["id"]
        row = check_run(conn, run)
        # a worker services the run: every round completes (or once retries) each claimable step
        rounds = 0
        while row["status"] == "running":
            rounds += 1
            # at most maxSteps (60) visits, each worker step needing at most two rounds
            assert rounds <= 130, "the run neither finished nor stopped waiting on serviced steps"
            steps = conn.execute(
                "SELECT execution_id, retry_count FROM automation.claim_steps('prop', ARRAY['action','integration'], 60, 50)"
            ).fetchall()
            human = serve_people(conn, run, rnd)
            assert steps or human, "a running run waits only for workers and people, who were all served"
            for s in steps:
                if conn.execute("SELECT status FROM automation.workflow_executions WHERE id = %s",
                                (s["execution_id"],)).fetchone()["status"] != "running":
                    continue  # an earlier report in this batch ended the run (terminate, failure)
                if fail_first and s["retry_count"] == 0:
                    conn.execute("UPDATE automation.workflow_executions SET max_retries = 1 WHERE id = %s",
                                 (s["execution_id"],))
                    assert conn.execute("SELECT automation.fail_step(%s, 'flaky', true, 'prop') AS r",
                                        (s["execution_id"],)).fetchone()["r"] == "retrying"
                    conn.execute("UPDATE automation.workflow_executions SET next_attempt_at = clock_timestamp() - interval '1 second' WHERE id = %s",
                                 (s["execution_id"],))
                else:
                    conn.execute("SELECT automation.complete_step(%s, '{\"variables\": {\"y\": 1}}', 'prop')",
                                 (s["execution_id"],))
            row = check_run(conn, run)
        assert row["status"] in ("completed", "failed")
        if row["status"] == "failed":
            # the only ways a served run fails: routing found no edge, the step limit, an expiry,
            # a parallel join that can never get a token on each incoming flow (random graphs
            # often join the branches of an exclusive choice with a parallel gateway)
            assert ("matched the run's data" in row["error_details"]
                    or "the run is stuck" in row["error_details"]
                    or "maxSteps" in row["error_details"]
                    or "expired" in row["error_details"]
                    or "has no outgoing edge for the outcome" in row["error_details"]), row["error_details"]
        conn.rollback()
