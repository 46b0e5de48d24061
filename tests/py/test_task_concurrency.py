"""The task service under real concurrency: several connections in threads claiming,
creating, completing and escalating at once against a private clone of the template.

Each worker connects as the test superuser and drops to the pgwf_test_app (people) or
pgwf_test_worker (engine) login role, so the functions run exactly as the API calls them.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable

import psycopg
import pytest

THREADS = 8


def _conn(url: str, role: str) -> psycopg.Connection:
    conn = psycopg.connect(url)
    conn.execute(f"SET ROLE {role}")  # fixed role names only
    conn.commit()
    return conn


def _run_threads(target: Callable[[int], None], n: int = THREADS) -> None:
    errors: list[BaseException] = []

    def wrapped(i: int) -> None:
        try:
            target(i)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors


def _world(url: str, agents: int = THREADS) -> None:
    with psycopg.connect(url) as conn:
        conn.execute("SELECT tests.cr_world()")
        conn.execute(
            "SELECT tests.cr_user('agent' || i, 'CLAIMS'), tests.cr_grant('agent' || i, 'CLAIMS_AGENT') "
            "FROM generate_series(0, %s - 1) AS i", (agents,))
        conn.execute("UPDATE flowable.workflow_queues SET max_capacity = NULL")
        conn.execute("SELECT tests.cr_process('p1')")


def _true_loads(conn: psycopg.Connection) -> list[tuple[str, int, int]]:
    return conn.execute(
        """SELECT q.queue_name, q.current_load,
                  (SELECT count(*)::int FROM flowable.workflow_tasks t WHERE t.queue_name = q.queue_name
                     AND t.status IN ('OPEN', 'CLAIMED', 'DELEGATED', 'ESCALATED'))
           FROM flowable.workflow_queues q ORDER BY 1""").fetchall()


def test_eight_threads_claim_every_task_exactly_once(fresh_db: str) -> None:
    _world(fresh_db)
    with psycopg.connect(fresh_db) as conn:
        conn.execute(
            """INSERT INTO flowable.workflow_tasks (task_id, process_instance_id, task_definition_key, task_name,
                                                   queue_name, candidate_groups, priority)
               SELECT 'c' || i, 'p1', 'review', 'Review ' || i, 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], i % 100
               FROM generate_series(1, 5000) AS i""")
    claimed: dict[int, list[str]] = {i: [] for i in range(THREADS)}

    def claimer(i: int) -> None:
        user = f"agent{i}"
        with _conn(fresh_db, "pgwf_test_app") as conn:
            while True:
                with conn.transaction():
                    conn.execute("SELECT set_config('app.current_user_id', %s, true)", (user,))
                    row = conn.execute(
                        "SELECT task_id FROM flowable.claim_next_task(%s, ARRAY['Q_CLAIMS', 'Q_FRAUD'])",
                        (user,)).fetchone()
                if row is None:
                    return
                claimed[i].append(row[0])

    _run_threads(claimer)
    everything = [t for ids in claimed.values() for t in ids]
    assert len(everything) == 5000
    assert len(set(everything)) == 5000, "a task was claimed twice"
    with psycopg.connect(fresh_db) as conn:
        assert conn.execute(
            "SELECT count(*) FROM flowable.workflow_tasks WHERE status = 'OPEN'").fetchone() == (0,)
        owners = dict(conn.execute(
            "SELECT task_id, assignee_id FROM flowable.workflow_tasks").fetchall())
        for i, ids in claimed.items():
            assert all(owners[t] == f"agent{i}" for t in ids)
        per_task = Counter(dict(conn.execute(
            "SELECT task_id, count(*) FROM flowable.task_history WHERE action_type = 'CLAIM' GROUP BY task_id"
        ).fetchall()))
        assert len(per_task) == 5000 and set(per_task.values()) == {1}
        assert conn.execute(
            "SELECT count(*) FROM flowable.task_history WHERE old_status <> 'OPEN' OR new_status <> 'CLAIMED'"
        ).fetchone() == (0,)
        assert all(cur == true for _, cur, true in _true_loads(conn))


def test_current_load_stays_exact_while_threads_create_claim_and_complete(fresh_db: str) -> None:
    _world(fresh_db)

    def worker(i: int) -> None:
        user = f"agent{i}"
        with _conn(fresh_db, "pgwf_test_worker") as engine, _conn(fresh_db, "pgwf_test_app") as person:
            for n in range(60):
                with engine.transaction():
                    engine.execute(
                        "SELECT flowable.create_task('p1', 'review', %s, %s, ARRAY['CLAIMS_AGENT'])",
                        (f"task {i}-{n}", "Q_CLAIMS" if n % 3 else "Q_FRAUD"))
                if n % 2:
                    with person.transaction():
                        person.execute("SELECT set_config('app.current_user_id', %s, true)", (user,))
                        row = person.execute(
                            "SELECT task_id FROM flowable.claim_next_task(%s, ARRAY['Q_CLAIMS'])", (user,)
                        ).fetchone()
                        if row:
                            person.execute("SELECT flowable.complete_task(%s, 'DONE')", (row[0],))

    _run_threads(worker)
    with psycopg.connect(fresh_db) as conn:
        loads = _true_loads(conn)
        assert all(cur == true for _, cur, true in loads), loads
        assert sum(true for _, _, true in loads) == 8 * 60 - conn.execute(
            "SELECT count(*) FROM flowable.workflow_tasks WHERE status = 'COMPLETED'").fetchone()[0]
        assert conn.execute(
            "SELECT count(*) FROM flowable.workflow_tasks WHERE status = 'COMPLETED'").fetchone()[0] > 0


def test_creating_a_task_does_not_wait_for_a_completion_that_checks_the_queue_key(fresh_db: str) -> None:
    """Completing a task claimed in the same transaction re-checks its queue foreign key
    (KEY SHARE on the queue row) before its load trigger updates that row. create_task
    must lock the queue row FOR NO KEY UPDATE, not FOR UPDATE: with FOR UPDATE it queues
    behind that KEY SHARE holding the row's tuple lock, and the completion then deadlocks
    against it (seen as 40P01 in the threaded load test)."""
    _world(fresh_db)
    with _conn(fresh_db, "pgwf_test_worker") as engine:
        engine.execute("SELECT flowable.create_task('p1', 'review', 'first', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'])")
        engine.commit()
    with _conn(fresh_db, "pgwf_test_app") as person, _conn(fresh_db, "pgwf_test_worker") as engine:
        person.execute("SELECT set_config('app.current_user_id', 'agent0', true)")
        task_id = person.execute(
            "SELECT task_id FROM flowable.claim_next_task('agent0', ARRAY['Q_CLAIMS'])").fetchone()[0]
        # what the foreign key check of the completion's UPDATE takes first
        # (a row lock needs UPDATE rights, which people do not have: take it as the test superuser)
        person.execute("RESET ROLE")
        person.execute("SELECT 1 FROM flowable.workflow_queues WHERE queue_name = 'Q_CLAIMS' FOR KEY SHARE")
        person.execute("SET ROLE pgwf_test_app")
        engine.execute("SET LOCAL lock_timeout = '10s'")
        engine.execute("SELECT flowable.create_task('p1', 'review', 'second', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'])")
        engine.commit()
        person.execute("SELECT flowable.complete_task(%s, 'DONE')", (task_id,))
        person.commit()
    with psycopg.connect(fresh_db) as conn:
        loads = _true_loads(conn)
        assert all(cur == true for _, cur, true in loads), loads


def test_capacity_admits_exactly_max_capacity_tasks_under_concurrency(fresh_db: str) -> None:
    _world(fresh_db)
    with psycopg.connect(fresh_db) as conn:
        conn.execute("UPDATE flowable.workflow_queues SET max_capacity = 50 WHERE queue_name = 'Q_CLAIMS'")
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def creator(i: int) -> None:
        with _conn(fresh_db, "pgwf_test_worker") as engine:
            for n in range(20):
                try:
                    with engine.transaction():
                        engine.execute("SELECT flowable.create_task('p1', 'k', %s, 'Q_CLAIMS')", (f"t{i}-{n}",))
                    result = "created"
                except psycopg.Error as exc:
                    result = exc.sqlstate or "?"
                with lock:
                    outcomes[result] += 1

    _run_threads(creator)
    assert outcomes == Counter({"created": 50, "PW429": 8 * 20 - 50})
    with psycopg.connect(fresh_db) as conn:
        assert conn.execute(
            "SELECT current_load FROM flowable.workflow_queues WHERE queue_name = 'Q_CLAIMS'").fetchone() == (50,)


def _overdue_claimed_task(url: str) -> None:
    _world(url)
    with psycopg.connect(url) as conn:
        conn.execute("SELECT tests.cr_task('late', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], 'CLAIMED', 'alice', "
                     "p_due_date => now() - interval '1 hour')")


def _wait_until_blocked(url: str, pid: int) -> None:
    with psycopg.connect(url, autocommit=True) as watcher:
        for _ in range(600):
            row = watcher.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone()
            if row and row[0] == "Lock":
                return
            time.sleep(0.05)
    pytest.fail("the second transaction never waited for the row lock")


def _history(url: str) -> list[tuple[str, str | None, str]]:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT action_type, old_status, new_status FROM flowable.task_history "
            "WHERE task_id = 'late' ORDER BY history_id").fetchall()


def test_a_comment_does_not_wait_for_a_task_being_changed(fresh_db: str) -> None:
    _overdue_claimed_task(fresh_db)
    with _conn(fresh_db, "pgwf_test_app") as holder, _conn(fresh_db, "pgwf_test_app") as other:
        holder.execute("SELECT set_config('app.current_user_id', 'alice', true)")
        holder.execute("SELECT flowable.complete_task('late', 'DONE')")  # holds the row lock, not committed
        other.execute("SET LOCAL lock_timeout = '2s'")  # a wait would end in 55P03
        other.execute("SELECT set_config('app.current_user_id', 'carol', true)")
        other.execute("SELECT flowable.add_task_comment('late', 'looking at it')")
        other.commit()
        holder.commit()
    assert _history(fresh_db) == [("COMPLETE", "CLAIMED", "COMPLETED"), ("COMMENT", "CLAIMED", "CLAIMED")]


def test_escalation_skips_a_task_being_completed(fresh_db: str) -> None:
    _overdue_claimed_task(fresh_db)
    with _conn(fresh_db, "pgwf_test_app") as person, _conn(fresh_db, "pgwf_test_worker") as engine:
        person.execute("SELECT set_config('app.current_user_id', 'alice', true)")
        person.execute("SELECT flowable.complete_task('late', 'DONE')")  # holds the row lock, not committed
        # escalation never waits for a task row (it may hold queue rows): the busy task is skipped
        assert engine.execute("CALL flowable.escalate_overdue_tasks()").fetchone() == (0,)
        engine.commit()
        person.commit()
        engine.execute("CALL flowable.escalate_overdue_tasks()")  # the task is finished now
        engine.commit()
    assert _history(fresh_db) == [("COMPLETE", "CLAIMED", "COMPLETED")]
    with psycopg.connect(fresh_db) as conn:
        assert conn.execute(
            "SELECT status, escalation_level FROM flowable.workflow_tasks WHERE task_id = 'late'"
        ).fetchone() == ("COMPLETED", 0)


def test_a_task_claimed_during_escalation_is_escalated_next_time_with_true_history(fresh_db: str) -> None:
    _world(fresh_db)
    with psycopg.connect(fresh_db) as conn:
        conn.execute("SELECT tests.cr_task('late', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], "
                     "p_due_date => now() - interval '1 hour')")
    with _conn(fresh_db, "pgwf_test_app") as person, _conn(fresh_db, "pgwf_test_worker") as engine:
        person.execute("SELECT set_config('app.current_user_id', 'alice', true)")
        person.execute("SELECT flowable.claim_task('late')")  # OPEN -> CLAIMED, not committed
        assert engine.execute("CALL flowable.escalate_overdue_tasks()").fetchone() == (0,)  # skipped
        engine.commit()
        person.commit()
        assert _history(fresh_db) == [("CLAIM", "OPEN", "CLAIMED")]
        engine.execute("CALL flowable.escalate_overdue_tasks()")
        engine.commit()
    assert _history(fresh_db) == [("CLAIM", "OPEN", "CLAIMED"), ("ESCALATE", "CLAIMED", "ESCALATED")]


def test_a_task_moved_to_a_quiet_queue_during_escalation_is_left_alone(fresh_db: str) -> None:
    _world(fresh_db)
    with psycopg.connect(fresh_db) as conn:
        conn.execute("SELECT tests.cr_queue('Q_ESC', 'CLAIMS', p_escalation_config => "
                     "'{\"levels\": {\"1\": {\"set_priority\": 99, \"move_to_queue\": \"Q_OTHER\"}}}')")
        conn.execute("SELECT tests.cr_queue('Q_QUIET', 'CLAIMS', p_escalation_config => '{\"enabled\": false}')")
        conn.execute("SELECT tests.cr_task('late', 'Q_ESC', NULL, p_due_date => now() - interval '1 hour')")
    with _conn(fresh_db, "pgwf_test_app") as person, _conn(fresh_db, "pgwf_test_worker") as engine:
        person.execute("SELECT set_config('app.current_user_id', 'carol', true)")
        person.execute("SELECT flowable.reassign_task('late', NULL, 'Q_QUIET')")  # OPEN -> OPEN, not committed
        assert engine.execute("CALL flowable.escalate_overdue_tasks()").fetchone() == (0,)  # skipped
        engine.commit()
        person.commit()
        # in a queue that does not escalate now: Q_ESC's level settings must not apply
        assert engine.execute("CALL flowable.escalate_overdue_tasks()").fetchone() == (0,)
        engine.commit()
    assert _history(fresh_db) == [("REASSIGN", "OPEN", "OPEN")]
    with psycopg.connect(fresh_db) as conn:
        assert conn.execute(
            "SELECT status, queue_name, priority, escalation_level FROM flowable.workflow_tasks WHERE task_id = 'late'"
        ).fetchone() == ("OPEN", "Q_QUIET", 50, 0)


def test_two_escalations_at_once_escalate_each_task_once(fresh_db: str) -> None:
    _overdue_claimed_task(fresh_db)
    with _conn(fresh_db, "pgwf_test_worker") as first, _conn(fresh_db, "pgwf_test_worker") as second:
        assert first.execute("CALL flowable.escalate_overdue_tasks()").fetchone() == (1,)  # not committed
        # the second call finds the first one's advisory lock and returns at once
        assert second.execute("CALL flowable.escalate_overdue_tasks()").fetchone() == (0,)
        second.commit()
        first.commit()
    assert [h[0] for h in _history(fresh_db)] == ["ESCALATE"]


def test_escalate_first_then_the_holder_still_completes(fresh_db: str) -> None:
    _overdue_claimed_task(fresh_db)
    result: dict[str, object] = {}
    with _conn(fresh_db, "pgwf_test_worker") as engine, _conn(fresh_db, "pgwf_test_app") as person:
        engine.execute("CALL flowable.escalate_overdue_tasks()")  # holds the row lock, not committed
        pid = person.info.backend_pid

        def complete() -> None:
            person.execute("SELECT set_config('app.current_user_id', 'alice', true)")
            result["row"] = person.execute(
                "SELECT status, escalation_level FROM flowable.complete_task('late', 'DONE')").fetchone()
            person.commit()

        t = threading.Thread(target=complete)
        t.start()
        _wait_until_blocked(fresh_db, pid)
        engine.commit()
        t.join(timeout=60)
    assert result["row"] == ("COMPLETED", 1)
    assert _history(fresh_db) == [("ESCALATE", "CLAIMED", "ESCALATED"), ("COMPLETE", "ESCALATED", "COMPLETED")]


def test_two_holders_racing_to_claim_one_task_one_wins(fresh_db: str) -> None:
    _world(fresh_db)
    with psycopg.connect(fresh_db) as conn:
        conn.execute("SELECT tests.cr_task('one', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'])")
    with _conn(fresh_db, "pgwf_test_app") as a, _conn(fresh_db, "pgwf_test_app") as b:
        a.execute("SELECT set_config('app.current_user_id', 'agent0', true)")
        a.execute("SELECT flowable.claim_task('one')")
        outcome: dict[str, str] = {}

        def second() -> None:
            try:
                b.execute("SELECT set_config('app.current_user_id', 'agent1', true)")
                b.execute("SELECT flowable.claim_task('one')")
                outcome["b"] = "claimed"
            except psycopg.Error as exc:
                outcome["b"] = exc.sqlstate or "?"
                b.rollback()

        t = threading.Thread(target=second)
        t.start()
        _wait_until_blocked(fresh_db, b.info.backend_pid)
        a.commit()
        t.join(timeout=60)
    assert outcome["b"] == "PW409"
    with psycopg.connect(fresh_db) as conn:
        assert conn.execute(
            "SELECT count(*) FROM flowable.task_history WHERE task_id = 'one'").fetchone() == (1,)
