"""``pgwf db cleanup``: history retention from the command line (dry run, batches, totals)."""

from __future__ import annotations

import json

import psycopg
from cli_helpers import run_pgwf


def populate(url: str) -> None:
    """Five closed case instances past a 30-day TTL (each with a task and its history), two
    finished engine runs past it, and what must stay: a young closed instance, a live one."""
    with psycopg.connect(url) as conn:
        conn.execute("SELECT tests.cr_queue('q1')")
        conn.execute("SELECT tests.cr_definition('kept_30_days')")
        conn.execute("UPDATE flowable.workflow_definitions SET history_ttl_days = 30 WHERE process_key = 'kept_30_days'")
        for n in range(5):
            conn.execute("SELECT tests.cr_process(%s, 'kept_30_days', 'starter', 'COMPLETED', now() - interval '60 days',"
                         " now() - make_interval(days => 40 + %s))", (f"old-{n}", n))
            conn.execute("SELECT tests.cr_task(%s, 'q1', NULL, 'COMPLETED', NULL, 50, now() - interval '50 days', NULL, %s)",
                         (f"t-{n}", f"old-{n}"))
            conn.execute("INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by, new_status)"
                         " VALUES (%s, %s, 'COMPLETE', 'SYSTEM', 'COMPLETED')", (f"t-{n}", f"old-{n}"))
        conn.execute("SELECT tests.cr_process('young', 'kept_30_days', 'starter', 'COMPLETED', now() - interval '2 days', now() - interval '1 day')")
        conn.execute("SELECT tests.cr_process('live', 'kept_30_days', 'starter', 'ACTIVE', now() - interval '90 days')")
        conn.execute("SELECT tests.cr_task('t-live', 'q1', NULL, 'OPEN', NULL, 50, now() - interval '90 days', NULL, 'live')")
        wf = conn.execute("SELECT tests.automation_deployed(tests.automation_graph('[[\"s\", \"trigger\"], [\"e\", \"end\"]]', '[[\"s\", \"e\"]]'))").fetchone()
        assert wf is not None
        conn.execute("UPDATE automation.workflows SET history_ttl_days = 30 WHERE id = %s", (wf[0],))
        for _ in range(2):
            conn.execute("SELECT tests.automation_start(%s)", (wf[0],))
        conn.execute("UPDATE automation.workflow_instances SET completed_at = now() - interval '31 days'")


def count(url: str, query: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute(query).fetchone()
        assert row is not None
        return int(row[0])


def test_dry_run_shows_what_would_go_and_removes_nothing(fresh_db: str) -> None:
    populate(fresh_db)
    result = run_pgwf("db", "cleanup", "--dry-run", url=fresh_db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("would remove: 2 runs, 7 process instances, 4 steps, ")
    assert "5 tasks, 5 task history" in result.stdout
    assert count(fresh_db, "SELECT count(*) FROM flowable.process_instances") == 9


def test_cleanup_removes_in_batches_until_nothing_expired_is_left(fresh_db: str) -> None:
    populate(fresh_db)
    result = run_pgwf("db", "cleanup", "--batch", "3", "--json", url=fresh_db)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["dry_run"] is False
    assert (report["runs"], report["process_instances"], report["tasks"], report["task_history"]) == (2, 7, 5, 5)
    assert report["batches"] == 4  # 3 + 3 + 1 trees, then a batch that finds nothing
    assert count(fresh_db, "SELECT count(*) FROM flowable.process_instances") == 2
    assert count(fresh_db, "SELECT count(*) FROM flowable.workflow_tasks WHERE task_id = 't-live' AND status = 'OPEN'") == 1
    again = run_pgwf("db", "cleanup", url=fresh_db)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "nothing to remove"


def test_a_batch_out_of_range_is_a_usage_error(fresh_db: str) -> None:
    result = run_pgwf("db", "cleanup", "--batch", "0", url=fresh_db)
    assert result.returncode == 2
    assert "--batch" in result.stderr
