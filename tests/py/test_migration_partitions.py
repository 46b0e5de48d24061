"""Migration 0022 on a database that holds history: task_history becomes partitioned by month
with every row, id and constraint kept, and its rollback gives the plain table back, rows and all."""

from __future__ import annotations

import psycopg
from cli_helpers import run_pgwf
from pgwf import schema

ROWS = "SELECT md5(string_agg(h::text, '|' ORDER BY history_id)), count(*) FROM flowable.task_history h"


def populate(url: str) -> None:
    """History written by the task service (create, claim, complete), rows of months long past,
    and one without action_at (the column was nullable before 0022)."""
    with psycopg.connect(url) as conn:
        conn.execute("SELECT tests.cr_queue('mq'), tests.cr_role('MQ_ROLE', 'mq'), tests.cr_user('mia')")
        conn.execute("SELECT tests.cr_grant('mia', 'MQ_ROLE')")
        for n in range(20):
            conn.execute("SELECT tests.cr_process(%s)", (f"pi-{n}",))
            conn.execute("SELECT flowable.create_task(%s, 'step', 'Step', 'mq', ARRAY['MQ_ROLE'])", (f"pi-{n}",))
        conn.execute("SELECT set_config('app.current_user_id', 'mia', false)")
        for (task_id,) in conn.execute("SELECT task_id FROM flowable.workflow_tasks ORDER BY task_id LIMIT 10").fetchall():
            conn.execute("SELECT flowable.claim_task(%s)", (task_id,))
            conn.execute("SELECT flowable.complete_task(%s, 'done')", (task_id,))
        conn.execute("SELECT set_config('app.current_user_id', '', false)")
        conn.execute("""
            INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by, action_at, comments)
            SELECT 'old-' || m, 'pi-old', 'COMMENT', 'SYSTEM', now() - make_interval(months => m), 'month ' || m
            FROM generate_series(1, 14) m""")
        conn.execute("INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by, action_at)"
                     " VALUES ('no-time', 'pi-old', 'COMMENT', 'SYSTEM', NULL)")


def state(url: str) -> dict[str, object]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(ROWS).fetchone()
        kind = conn.execute("SELECT relkind::text FROM pg_class WHERE oid = 'flowable.task_history'::regclass").fetchone()
        pkey = conn.execute("SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                            " WHERE conrelid = 'flowable.task_history'::regclass AND contype = 'p'").fetchone()
        checks = conn.execute("SELECT string_agg(conname, ',' ORDER BY conname) FROM pg_constraint"
                              " WHERE conrelid = 'flowable.task_history'::regclass AND contype = 'c'").fetchone()
        months = conn.execute("SELECT count(*) FROM pg_inherits WHERE inhparent = 'flowable.task_history'::regclass").fetchone()
        partition_schema = conn.execute("SELECT count(*) FROM pg_namespace WHERE nspname = 'pgwf_partitions'").fetchone()
        trigger = conn.execute("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'flowable.task_history'::regclass"
                               " AND tgname = 'trg_task_history_client_info'").fetchone()
        nulls = conn.execute("SELECT count(*) FROM flowable.task_history WHERE action_at IS NULL OR action_at = '-infinity'").fetchone()
    assert rows and kind and pkey and checks and months and partition_schema and trigger and nulls
    return {"rows": rows[0], "count": rows[1], "kind": kind[0], "pkey": pkey[0], "checks": checks[0],
            "partitions": months[0], "schema": partition_schema[0], "trigger": trigger[0], "no_time": nulls[0]}


def test_partitioning_keeps_every_row_and_its_rollback_gives_them_back(fresh_db: str) -> None:
    result = run_pgwf("db", "rollback", "--to", "21", "--yes", url=fresh_db)
    assert result.returncode == 0, result.stderr
    # a rollback leaves the functions, triggers and policies dropped while a migration is pending
    schema.apply_repeatable(fresh_db, force=True)
    populate(fresh_db)
    before = state(fresh_db)
    assert (before["kind"], before["pkey"], before["schema"], before["trigger"]) == ("r", "PRIMARY KEY (history_id)", 0, 1)
    assert int(str(before["count"])) == 20 + 10 * 2 + 14 + 1

    result = run_pgwf("db", "upgrade", url=fresh_db)
    assert result.returncode == 0, result.stderr
    after = state(fresh_db)
    # the NULL action_at is stored as -infinity (in the default partition): compare the rest row by row
    with psycopg.connect(fresh_db) as conn:
        row = conn.execute("SELECT tableoid::regclass::text FROM flowable.task_history WHERE task_id = 'no-time'").fetchone()
        assert row == ("pgwf_partitions.task_history_default",)
        months = conn.execute("SELECT count(DISTINCT tableoid) FROM flowable.task_history WHERE task_id LIKE 'old-%'").fetchone()
        assert months == (14,)
        new_id = conn.execute("INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by)"
                              " VALUES ('new', 'pi-0', 'COMMENT', 'SYSTEM') RETURNING history_id").fetchone()
        top = conn.execute("SELECT max(history_id) FROM flowable.task_history WHERE task_id <> 'new'").fetchone()
        assert new_id and top and new_id[0] > top[0], "history ids go on from the sequence"
        conn.execute("DELETE FROM flowable.task_history WHERE task_id = 'new'")
    assert (after["kind"], after["pkey"], after["checks"], after["trigger"], after["schema"]) == (
        "p", "PRIMARY KEY (history_id, action_at)", before["checks"], 1, 1)
    assert after["count"] == before["count"]
    assert after["no_time"] == 1
    assert int(str(after["partitions"])) >= 14 + 2 + 1  # the old months, this one, the next, the default

    result = run_pgwf("db", "rollback", "--to", "21", "--yes", url=fresh_db)
    assert result.returncode == 0, result.stderr
    with psycopg.connect(fresh_db) as conn:
        rows = conn.execute(ROWS).fetchone()
        kind = conn.execute("SELECT relkind::text FROM pg_class WHERE oid = 'flowable.task_history'::regclass").fetchone()
        partition_schema = conn.execute("SELECT count(*) FROM pg_namespace WHERE nspname = 'pgwf_partitions'").fetchone()
    assert rows == (before["rows"], before["count"]), "the rollback gives every row back as it was (NULL action_at included)"
    assert kind == ("r",) and partition_schema == (0,)

    result = run_pgwf("db", "upgrade", url=fresh_db)
    assert result.returncode == 0, result.stderr
    again = state(fresh_db)
    assert (again["kind"], again["count"], again["trigger"]) == ("p", before["count"], 1)
