"""One lock order under real concurrency: maintenance ticks, two escalations at once,
approval expiry, approvals decided two ways, task claims and completions, and new runs,
all in threads against a private database for about 20 s. No client may see a deadlock
(40P01) and PostgreSQL may count none (pg_stat_database.deadlocks of the test database).

The people act through pgwf_test_app, maintenance and escalation through pgwf_test_worker,
as the API and the scheduler do; only the fixture writes (new overdue tasks, approvals made
due) run as the test's superuser, each a one-row statement that holds nothing else.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections import Counter
from collections.abc import Callable

import psycopg

SECONDS = 20.0
AGENTS = 3
APPROVERS = 2

GRAPH = {
    "nodes": [
        {"id": "start", "type": "trigger", "position": {"x": 0, "y": 0}, "data": {"label": "start"}},
        {"id": "ap", "type": "approval", "position": {"x": 1, "y": 0},
         "data": {"label": "Security review", "approverRole": "security_team", "expiresInMinutes": 60}},
        {"id": "ok", "type": "end", "position": {"x": 2, "y": 0}, "data": {"label": "ok"}},
        {"id": "no", "type": "end", "position": {"x": 2, "y": 1}, "data": {"label": "no"}},
        {"id": "late", "type": "end", "position": {"x": 2, "y": 2}, "data": {"label": "late"}},
    ],
    "edges": [
        {"id": "e1", "source": "start", "target": "ap"},
        {"id": "e2", "source": "ap", "target": "ok", "sourceHandle": "approved"},
        {"id": "e3", "source": "ap", "target": "no", "sourceHandle": "rejected"},
        {"id": "e4", "source": "ap", "target": "late", "sourceHandle": "expired"},
    ],
    "viewport": {"x": 0, "y": 0, "zoom": 1},
}

# every unfinished task past its due date escalates at every tick (repeat 0), up to level 3;
# the claims queue's first level moves a task to the fraud queue, so escalation touches two queues
ESCALATION = {"repeat_after_minutes": 0, "levels": {"1": {"priority_boost": 5}}}
MOVING = {"repeat_after_minutes": 0, "levels": {"1": {"move_to_queue": "Q_FRAUD"}, "2": {"priority_boost": 5}}}


def _world(url: str) -> str:
    with psycopg.connect(url) as conn:
        conn.execute("SELECT tests.cr_world()")
        conn.execute("SELECT tests.cr_queue('security_q'), tests.cr_role('security_team', 'security_q')")
        conn.execute("SELECT tests.cr_user('agent' || i, 'CLAIMS'), tests.cr_grant('agent' || i, 'CLAIMS_AGENT'),"
                     " tests.cr_grant('agent' || i, 'FRAUD_AGENT') FROM generate_series(0, %s - 1) AS i", (AGENTS,))
        conn.execute("SELECT tests.cr_user('sam' || i), tests.cr_grant('sam' || i, 'security_team')"
                     " FROM generate_series(0, %s - 1) AS i", (APPROVERS,))
        conn.execute("SELECT tests.cr_user('starter')")
        conn.execute("UPDATE flowable.workflow_queues SET max_capacity = NULL,"
                     " escalation_config = CASE queue_name WHEN 'Q_CLAIMS' THEN %s::jsonb ELSE %s::jsonb END",
                     (json.dumps(MOVING), json.dumps(ESCALATION)))
        conn.execute("SELECT tests.cr_process('p1')")
        row = conn.execute("SELECT tests.automation_deployed(%s::jsonb)", (json.dumps(GRAPH),)).fetchone()
        assert row is not None
        return str(row[0])


def _deadlocks(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT pg_stat_clear_snapshot()")
        row = conn.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()").fetchone()
        return int(row[0]) if row else 0


def test_maintenance_escalation_approvals_claims_and_completions_never_deadlock(fresh_db: str) -> None:
    workflow = _world(fresh_db)
    before = _deadlocks(fresh_db)
    stop = time.monotonic() + SECONDS
    codes: Counter[str] = Counter()
    done: Counter[str] = Counter()
    crashed: list[BaseException] = []
    lock = threading.Lock()

    def loop(role: str | None, user: str | None, step: Callable[[psycopg.Connection], str | None]) -> None:
        try:
            with psycopg.connect(fresh_db) as conn:
                if role:
                    conn.execute(f"SET ROLE {role}")  # fixed role names only
                    conn.commit()
                while time.monotonic() < stop:
                    try:
                        with conn.transaction():
                            if user:
                                conn.execute("SELECT set_config('app.current_user_id', %s, true)", (user,))
                            what = step(conn)
                        if what:
                            with lock:
                                done[what] += 1
                    except psycopg.Error as exc:
                        with lock:
                            codes[exc.sqlstate or "?"] += 1
        except BaseException as exc:  # noqa: BLE001 - reported below
            crashed.append(exc)

    def start_run(conn: psycopg.Connection) -> str:
        conn.execute("SELECT automation.start_workflow(%s::uuid, '{}'::jsonb)", (workflow,))
        time.sleep(0.01)
        return "started"

    def overdue_task(conn: psycopg.Connection) -> str:
        queue = random.choice(["Q_CLAIMS", "Q_FRAUD"])
        conn.execute(
            "INSERT INTO flowable.workflow_tasks (task_id, process_instance_id, task_definition_key, task_name,"
            " queue_name, candidate_groups, priority, due_date)"
            " VALUES (gen_random_uuid()::text, 'p1', 'review', 'Review', %s, ARRAY['CLAIMS_AGENT', 'FRAUD_AGENT'],"
            " 50, now() - interval '1 minute')", (queue,))
        time.sleep(0.01)
        return "task made"

    def agent(user: str) -> Callable[[psycopg.Connection], str | None]:
        def step(conn: psycopg.Connection) -> str | None:
            row = conn.execute("SELECT task_id FROM flowable.claim_next_task(%s, ARRAY['Q_CLAIMS', 'Q_FRAUD'])",
                               (user,)).fetchone()
            if row is None:
                time.sleep(0.02)
                return None
            conn.execute("SELECT flowable.complete_task(%s, 'done')", (row[0],))
            return "task completed"
        return step

    def approver(user: str) -> Callable[[psycopg.Connection], str | None]:
        def step(conn: psycopg.Connection) -> str | None:
            row = conn.execute("SELECT id, task_id FROM automation.workflow_approvals WHERE status = 'pending'"
                               " ORDER BY random() LIMIT 1").fetchone()
            if row is None:
                time.sleep(0.02)
                return None
            how = random.choice(["approve", "reject", "task"])
            if how == "task":  # through the inbox: claim the approval's task, complete it
                conn.execute("SELECT flowable.claim_task(%s)", (row[1],))
                conn.execute("SELECT flowable.complete_task(%s, 'approved')", (row[1],))
            else:
                conn.execute(f"SELECT automation.{how}_step(%s)", (row[0],))  # approve or reject
            return "approval decided"
        return step

    def make_due(conn: psycopg.Connection) -> str | None:
        conn.execute("UPDATE automation.workflow_approvals SET expires_at = now() - interval '1 second'"
                     " WHERE id = (SELECT id FROM automation.workflow_approvals WHERE status = 'pending'"
                     " ORDER BY random() LIMIT 1)")
        time.sleep(0.05)
        return None

    def maintenance(conn: psycopg.Connection) -> str:
        conn.execute("SELECT automation.run_maintenance()")
        time.sleep(0.05)
        return "maintenance"

    def escalation(conn: psycopg.Connection) -> str:
        conn.execute("CALL flowable.escalate_overdue_tasks()")
        time.sleep(0.02)
        return "escalation"

    def expiry(conn: psycopg.Connection) -> str:
        conn.execute("SELECT automation.expire_workflow_approvals()")
        time.sleep(0.05)
        return "expiry"

    workers: list[tuple[str | None, str | None, Callable[[psycopg.Connection], str | None]]] = [
        ("pgwf_test_app", "starter", start_run), (None, None, overdue_task), (None, None, make_due),
        ("pgwf_test_worker", None, maintenance), ("pgwf_test_worker", None, escalation),
        ("pgwf_test_worker", None, escalation), ("pgwf_test_worker", None, expiry),
        *[("pgwf_test_app", f"agent{i}", agent(f"agent{i}")) for i in range(AGENTS)],
        *[("pgwf_test_app", f"sam{i}", approver(f"sam{i}")) for i in range(APPROVERS)],
    ]
    threads = [threading.Thread(target=loop, args=w) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=SECONDS + 120)
    assert not crashed, crashed
    time.sleep(1.5)  # backends report their statistics within a second of going idle
    after = _deadlocks(fresh_db)
    summary = f"done {dict(done)}, errors {dict(codes)}"
    assert codes["40P01"] == 0, summary
    assert after - before == 0, summary
    # the storm did happen: work of every kind got through
    for what in ("started", "task completed", "approval decided", "maintenance", "escalation", "expiry"):
        assert done[what] > 0, summary
    with psycopg.connect(fresh_db) as conn:
        loads = conn.execute(
            "SELECT q.queue_name, q.current_load, (SELECT count(*)::int FROM flowable.workflow_tasks t"
            " WHERE t.queue_name = q.queue_name AND t.status IN ('OPEN', 'CLAIMED', 'DELEGATED', 'ESCALATED'))"
            " FROM flowable.workflow_queues q ORDER BY 1").fetchall()
    assert all(load == true for _, load, true in loads), loads
