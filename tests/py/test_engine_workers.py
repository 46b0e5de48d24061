"""The engine under several connections: workers claiming steps concurrently never get the
same step (SKIP LOCKED), a new pending step wakes listeners on channel ``pgwf_steps``, and
concurrent ``run_maintenance`` calls let exactly one do the work."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator

import psycopg
import pytest
from psycopg.rows import dict_row

GRAPH = {
    "nodes": [
        {"id": "start", "type": "trigger", "position": {"x": 0, "y": 0}, "data": {}},
        {"id": "call", "type": "action", "position": {"x": 1, "y": 0}, "data": {"connector": "http"}},
        {"id": "done", "type": "end", "position": {"x": 2, "y": 0}, "data": {}},
    ],
    "edges": [
        {"id": "e1", "source": "start", "target": "call"},
        {"id": "e2", "source": "call", "target": "done"},
    ],
}


def as_user(conn: psycopg.Connection, user: str) -> None:
    """Act as ``user``, made an active user when missing (only active users act)."""
    conn.execute("INSERT INTO entitlements.users (user_id, username) VALUES (%s, %s)"
                 " ON CONFLICT (user_id) DO NOTHING", (user, user))
    conn.execute("SELECT set_config('app.current_user_id', %s, false)", (user,))


def as_modeler(conn: psycopg.Connection) -> None:
    """Act as "modeler", who holds workflow_admin (saving and deploying models needs it)."""
    conn.execute("SELECT tests.workflow_admin('modeler')")
    as_user(conn, "modeler")


@pytest.fixture()
def deployed(fresh_db: str) -> Iterator[tuple[str, str]]:
    with psycopg.connect(fresh_db, autocommit=True) as conn:
        as_modeler(conn)
        wid = conn.execute("SELECT automation.save_workflow(%s::jsonb, 'worker test')",
                           (json.dumps(GRAPH),)).fetchone()[0]
        conn.execute("SELECT automation.deploy_workflow(%s)", (wid,))
    yield fresh_db, str(wid)


def start_runs(url: str, wid: str, n: int) -> list[str]:
    with psycopg.connect(url, autocommit=True) as conn:
        as_user(conn, "alice")
        return [str(conn.execute("SELECT automation.start_workflow(%s)", (wid,)).fetchone()[0])
                for _ in range(n)]


def test_concurrent_workers_never_claim_the_same_step(deployed: tuple[str, str]) -> None:
    url, wid = deployed
    start_runs(url, wid, 60)
    claimed: dict[str, list[str]] = {}
    barrier = threading.Barrier(6)

    def worker(name: str) -> None:
        mine: list[str] = []
        with psycopg.connect(url, autocommit=True) as conn:
            barrier.wait()
            while True:
                with conn.transaction():
                    rows = conn.execute(
                        "SELECT execution_id FROM automation.claim_steps(%s, ARRAY['action'], 60, 3)",
                        (name,)).fetchall()
                    for (eid,) in rows:
                        conn.execute("SELECT automation.complete_step(%s, '{}', %s)", (eid, name))
                if not rows:
                    break
                mine.extend(str(r[0]) for r in rows)
        claimed[name] = mine

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    every = [eid for ids in claimed.values() for eid in ids]
    assert len(every) == 60
    assert len(set(every)) == 60
    with psycopg.connect(url) as conn:
        done = conn.execute("SELECT count(*) FROM automation.workflow_instances WHERE status = 'completed' AND progress = 100").fetchone()[0]
    assert done == 60


def test_a_pending_step_notifies_pgwf_steps(deployed: tuple[str, str]) -> None:
    url, wid = deployed
    with psycopg.connect(url, autocommit=True) as listener:
        listener.execute("LISTEN pgwf_steps")
        [run] = start_runs(url, wid, 1)
        notes = list(listener.notifies(timeout=5, stop_after=1))
    assert notes, "no notification on pgwf_steps"
    payload = json.loads(notes[0].payload)
    assert payload["step_type"] == "action"
    assert payload["connector"] == "http"
    with psycopg.connect(url, row_factory=dict_row) as conn:
        step = conn.execute("SELECT instance_id FROM automation.workflow_executions WHERE id = %s",
                            (payload["execution_id"],)).fetchone()
    assert str(step["instance_id"]) == run


def test_concurrent_maintenance_lets_one_caller_work(deployed: tuple[str, str]) -> None:
    url, _ = deployed
    with psycopg.connect(url) as first, psycopg.connect(url) as second:
        one = first.execute("SELECT automation.run_maintenance()").fetchone()[0]
        other = second.execute("SELECT automation.run_maintenance()").fetchone()[0]
        assert one["skipped"] is False
        assert other["skipped"] is True
        first.commit()  # the lock is per transaction: released here
        after = second.execute("SELECT automation.run_maintenance()").fetchone()[0]
        assert after["skipped"] is False


FORK = {
    "nodes": [
        {"id": "start", "type": "trigger", "position": {"x": 0, "y": 0}, "data": {}},
        {"id": "a", "type": "action", "position": {"x": 1, "y": 0}, "data": {"connector": "http"}},
        {"id": "b", "type": "action", "position": {"x": 1, "y": 1}, "data": {"connector": "http"}},
        {"id": "join", "type": "gateway", "position": {"x": 2, "y": 0}, "data": {"kind": "parallel"}},
        {"id": "done", "type": "end", "position": {"x": 3, "y": 0}, "data": {}},
    ],
    "edges": [
        {"id": "e1", "source": "start", "target": "a"}, {"id": "e2", "source": "start", "target": "b"},
        {"id": "e3", "source": "a", "target": "join"}, {"id": "e4", "source": "b", "target": "join"},
        {"id": "e5", "source": "join", "target": "done"},
    ],
}


def test_two_workers_finishing_parallel_branches_at_once_run_the_join_once(fresh_db: str) -> None:
    with psycopg.connect(fresh_db, autocommit=True) as conn:
        as_modeler(conn)
        wid = conn.execute("SELECT automation.save_workflow(%s::jsonb, 'fork')", (json.dumps(FORK),)).fetchone()[0]
        conn.execute("SELECT automation.deploy_workflow(%s)", (wid,))
    runs = start_runs(fresh_db, str(wid), 20)
    with psycopg.connect(fresh_db, autocommit=True) as conn:
        steps = conn.execute("SELECT * FROM automation.claim_steps('w', ARRAY['action'], 300, 100)").fetchall()
    assert len(steps) == 40
    by_node: dict[str, list] = {"a": [], "b": []}
    for s in steps:
        by_node[s[2]].append(s[0])
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def finish(ids: list) -> None:
        try:
            with psycopg.connect(fresh_db, autocommit=True) as conn:
                barrier.wait()
                for eid in ids:
                    conn.execute("SELECT automation.complete_step(%s, '{}', 'w')", (eid,))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=finish, args=(by_node[n],)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    with psycopg.connect(fresh_db) as conn:
        rows = conn.execute("""
            SELECT wi.status, wi.progress,
                   (SELECT count(*) FROM automation.workflow_executions we WHERE we.instance_id = wi.id AND we.node_id = 'join')
            FROM automation.workflow_instances wi WHERE wi.id = ANY(%s::uuid[])""", (runs,)).fetchall()
    assert len(rows) == 20
    assert all(r == ("completed", 100, 1) for r in rows), rows


TASK_GRAPH = {
    "nodes": [
        {"id": "start", "type": "trigger", "position": {"x": 0, "y": 0}, "data": {}},
        {"id": "look", "type": "task", "position": {"x": 1, "y": 0}, "data": {"queueName": "look_q", "candidateUsers": ["sam"]}},
        {"id": "done", "type": "end", "position": {"x": 2, "y": 0}, "data": {}},
    ],
    "edges": [{"id": "e1", "source": "start", "target": "look"}, {"id": "e2", "source": "look", "target": "done"}],
}


def test_cancelling_a_run_while_its_task_is_being_completed_does_not_deadlock(fresh_db: str) -> None:
    with psycopg.connect(fresh_db, autocommit=True) as conn:
        conn.execute("""
            INSERT INTO flowable.workflow_queues (queue_name) VALUES ('look_q');
            INSERT INTO entitlements.users (user_id, username) VALUES ('sam', 'sam'), ('alice', 'alice');
            -- only a user holding a role valid now may work on tasks
            INSERT INTO entitlements.workflow_roles (role_code, role_name, role_type, queue_name) VALUES ('LOOKER', 'Looker', 'CUSTOM', 'look_q');
            INSERT INTO entitlements.user_workflow_roles (user_id, role_id, assigned_by)
            SELECT 'sam', role_id, 'test' FROM entitlements.workflow_roles WHERE role_code = 'LOOKER'""")
        as_modeler(conn)
        wid = conn.execute("SELECT automation.save_workflow(%s::jsonb, 'look')", (json.dumps(TASK_GRAPH),)).fetchone()[0]
        conn.execute("SELECT automation.deploy_workflow(%s)", (wid,))
    [run] = start_runs(fresh_db, str(wid), 1)
    with psycopg.connect(fresh_db, autocommit=True) as conn:
        as_user(conn, "sam")
        task_id = conn.execute("SELECT task_id FROM flowable.workflow_tasks WHERE process_instance_id = %s", (run,)).fetchone()[0]
        conn.execute("SELECT flowable.claim_task(%s)", (task_id,))

    canceller = psycopg.connect(fresh_db)
    canceller.execute("SET lock_timeout = '20s'")
    canceller.execute("SELECT 1 FROM automation.workflow_instances WHERE id = %s FOR UPDATE", (run,))
    outcome: dict[str, object] = {}

    def complete() -> None:
        try:
            with psycopg.connect(fresh_db) as conn:
                conn.execute("SET lock_timeout = '20s'")
                as_user(conn, "sam")
                conn.execute("SELECT flowable.complete_task(%s, 'done')", (task_id,))  # waits for the run
                conn.commit()
                outcome["completer"] = "committed"
        except psycopg.Error as exc:
            outcome["completer"] = exc.sqlstate

    t = threading.Thread(target=complete)
    t.start()
    # let the completer lock its task and block on the run row the canceller holds
    with psycopg.connect(fresh_db, autocommit=True) as probe:
        for _ in range(100):
            waiting = probe.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()").fetchone()[0]
            if waiting:
                break
            threading.Event().wait(0.05)
    as_user(canceller, "alice")
    status = canceller.execute("SELECT automation.cancel_workflow(%s, 'duplicate')", (run,)).fetchone()[0]
    canceller.commit()
    canceller.close()
    t.join(30)
    assert status == "cancelled"
    assert outcome.get("completer") == "committed", outcome
    with psycopg.connect(fresh_db) as conn:
        run_status = conn.execute("SELECT status FROM automation.workflow_instances WHERE id = %s", (run,)).fetchone()[0]
        task_status = conn.execute("SELECT status FROM flowable.workflow_tasks WHERE task_id = %s", (task_id,)).fetchone()[0]
        step = conn.execute("SELECT status FROM automation.workflow_executions WHERE instance_id = %s AND node_id = 'look'", (run,)).fetchone()[0]
    assert (run_status, task_status, step) == ("cancelled", "COMPLETED", "failed")


def test_a_task_locked_while_its_run_is_cancelled_is_closed_by_the_next_maintenance(fresh_db: str) -> None:
    with psycopg.connect(fresh_db, autocommit=True) as conn:
        conn.execute("""
            INSERT INTO flowable.workflow_queues (queue_name) VALUES ('look_q');
            INSERT INTO entitlements.users (user_id, username) VALUES ('sam', 'sam'), ('alice', 'alice');
            INSERT INTO entitlements.workflow_roles (role_code, role_name, role_type, queue_name)
            VALUES ('LOOKER', 'Looker', 'CUSTOM', 'look_q');
            INSERT INTO entitlements.user_workflow_roles (user_id, role_id, assigned_by)
            SELECT 'sam', role_id, 'test' FROM entitlements.workflow_roles WHERE role_code = 'LOOKER'""")
        as_modeler(conn)
        wid = conn.execute("SELECT automation.save_workflow(%s::jsonb, 'look')", (json.dumps(TASK_GRAPH),)).fetchone()[0]
        conn.execute("SELECT automation.deploy_workflow(%s)", (wid,))
    [run] = start_runs(fresh_db, str(wid), 1)
    with psycopg.connect(fresh_db) as holder, psycopg.connect(fresh_db) as canceller:
        task_id = holder.execute(
            "SELECT task_id FROM flowable.workflow_tasks WHERE process_instance_id = %s", (run,)).fetchone()[0]
        # the row lock a task action in progress holds (a comment no longer takes one)
        holder.execute("SELECT 1 FROM flowable.workflow_tasks WHERE task_id = %s FOR UPDATE", (task_id,))
        as_user(canceller, "alice")
        # the cancel skips the locked task rather than risk a deadlock with a completion
        assert canceller.execute("SELECT automation.cancel_workflow(%s, 'stop')", (run,)).fetchone()[0] == "cancelled"
        canceller.commit()
        holder.commit()
    with psycopg.connect(fresh_db) as conn:
        assert conn.execute("SELECT status FROM flowable.workflow_tasks WHERE task_id = %s",
                            (task_id,)).fetchone()[0] == "OPEN"
        result = conn.execute("SELECT automation.run_maintenance()").fetchone()[0]
        conn.commit()
        assert result["tasks_closed"] == 1, result
        assert conn.execute(
            "SELECT status, completed_by, completed_at IS NOT NULL FROM flowable.workflow_tasks WHERE task_id = %s",
            (task_id,)).fetchone() == ("CANCELLED", "SYSTEM", True)
        assert conn.execute(
            "SELECT action_type, action_by, old_status, new_status FROM flowable.task_history "
            "WHERE task_id = %s AND action_type = 'CANCEL'", (task_id,)).fetchall() == [("CANCEL", "SYSTEM", "OPEN", "CANCELLED")]
        assert conn.execute("SELECT current_load FROM flowable.workflow_queues WHERE queue_name = 'look_q'").fetchone()[0] == 0
        again = conn.execute("SELECT automation.run_maintenance()").fetchone()[0]
        assert again["tasks_closed"] == 0, again


APPROVAL_GRAPH = {
    "nodes": [
        {"id": "start", "type": "trigger", "position": {"x": 0, "y": 0}, "data": {}},
        {"id": "ask", "type": "approval", "position": {"x": 1, "y": 0}, "data": {"approverRole": "ops", "queueName": "ops_q"}},
        {"id": "yes", "type": "end", "position": {"x": 2, "y": 0}, "data": {}},
        {"id": "no", "type": "end", "position": {"x": 2, "y": 1}, "data": {}},
    ],
    "edges": [{"id": "e1", "source": "start", "target": "ask"},
              {"id": "e2", "source": "ask", "target": "yes", "sourceHandle": "approved"},
              {"id": "e3", "source": "ask", "target": "no", "sourceHandle": "rejected"}],
}


def test_approving_while_the_task_is_being_completed_is_refused_not_deadlocked(fresh_db: str) -> None:
    with psycopg.connect(fresh_db, autocommit=True) as conn:
        conn.execute("""
            INSERT INTO flowable.workflow_queues (queue_name) VALUES ('ops_q');
            INSERT INTO entitlements.workflow_roles (role_code, role_name, role_type, queue_name) VALUES ('ops', 'Ops', 'CUSTOM', 'ops_q');
            INSERT INTO entitlements.users (user_id, username) VALUES ('sam', 'sam'), ('tom', 'tom'), ('alice', 'alice');
            INSERT INTO entitlements.user_workflow_roles (user_id, role_id, assigned_by, valid_from)
            SELECT u, role_id, 'admin', now() - interval '1 day' FROM entitlements.workflow_roles, unnest(ARRAY['sam', 'tom']) u""")
        as_modeler(conn)
        wid = conn.execute("SELECT automation.save_workflow(%s::jsonb, 'ask')", (json.dumps(APPROVAL_GRAPH),)).fetchone()[0]
        conn.execute("SELECT automation.deploy_workflow(%s)", (wid,))
    [run] = start_runs(fresh_db, str(wid), 1)
    with psycopg.connect(fresh_db, autocommit=True) as conn:
        as_user(conn, "sam")
        task_id, approval_id = conn.execute(
            "SELECT task_id, id FROM automation.workflow_approvals").fetchone()
        conn.execute("SELECT flowable.claim_task(%s)", (task_id,))

    approver = psycopg.connect(fresh_db)
    approver.execute("SET lock_timeout = '20s'")
    approver.execute("SELECT 1 FROM automation.workflow_instances WHERE id = %s FOR UPDATE", (run,))
    outcome: dict[str, object] = {}

    def complete() -> None:
        try:
            with psycopg.connect(fresh_db) as conn:
                conn.execute("SET lock_timeout = '20s'")
                as_user(conn, "sam")
                conn.execute("SELECT flowable.complete_task(%s, 'rejected', 'no')", (task_id,))
                conn.commit()
                outcome["completer"] = "committed"
        except psycopg.Error as exc:
            outcome["completer"] = exc.sqlstate

    t = threading.Thread(target=complete)
    t.start()
    with psycopg.connect(fresh_db, autocommit=True) as probe:
        for _ in range(100):
            if probe.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()").fetchone()[0]:
                break
            threading.Event().wait(0.05)
    as_user(approver, "tom")
    try:
        approver.execute("SELECT automation.approve_step(%s)", (approval_id,))
        outcome["approver"] = "approved"
    except psycopg.Error as exc:
        outcome["approver"] = exc.sqlstate
    approver.rollback()
    approver.close()
    t.join(30)
    assert outcome == {"approver": "PW409", "completer": "committed"}, outcome
    with psycopg.connect(fresh_db) as conn:
        row = conn.execute("""SELECT wa.status, wa.approver_user_id, wi.status FROM automation.workflow_approvals wa
                              JOIN automation.workflow_executions we ON we.id = wa.execution_id
                              JOIN automation.workflow_instances wi ON wi.id = we.instance_id""").fetchone()
    assert row == ("rejected", "sam", "completed")
