"""An upgrade with work in flight: a database made by the previous release (its own migrations,
db/ files and Python, checked out of git into a temporary directory and run from there) holds
running runs, open and claimed tasks, a waiting timer and a leased worker step; the working
tree's ``pgwf db upgrade`` migrates it, and every one of them carries on to the end.

The previous release is the commit before migrations/0020 was added (override with
``PGWF_UPGRADE_FROM=<commit>``); the test needs the git checkout and fails, saying so, without it.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from itertools import pairwise
from pathlib import Path
from typing import Any

import psycopg
import pytest
from cli_helpers import run_pgwf
from psycopg.rows import dict_row

ROOT = Path(__file__).resolve().parents[2]
FIRST_NEW_MIGRATION = "migrations/0020_history-retention.sql"


def previous_release() -> str:
    """The commit to upgrade from: PGWF_UPGRADE_FROM, else the parent of the commit that added
    the first migration this release brings."""
    if os.environ.get("PGWF_UPGRADE_FROM"):
        return os.environ["PGWF_UPGRADE_FROM"]
    try:
        added = subprocess.run(
            ["git", "-C", str(ROOT), "log", "--diff-filter=A", "--format=%H", "--", FIRST_NEW_MIGRATION],
            check=True, capture_output=True, text=True, timeout=60).stdout.split()
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.fail(f"the upgrade test needs the git history of {ROOT} to check out the previous release: {exc}")
    if not added:
        pytest.fail(f"no commit adds {FIRST_NEW_MIGRATION}: commit it, or set PGWF_UPGRADE_FROM")
    return added[-1] + "^"


def check_out(commit: str, into: Path) -> Path:
    """pyapp/, db/ and migrations/ of ``commit`` under ``into`` (git archive, no worktree)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", commit, "pyapp", "db", "migrations"],
                             check=True, capture_output=True, timeout=120).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def old_pgwf(home: Path, *args: str, url: str) -> subprocess.CompletedProcess[str]:
    """The previous release's ``pgwf``: its own Python package first on the path, its db/ and migrations."""
    env = dict(os.environ, PYTHONPATH=str(home / "pyapp"), PGWF_HOME=str(home), DATABASE_URL=url)
    code = "import sys, pgwf; from pgwf.cli.main import cli; sys.argv[0] = 'pgwf'; cli()"
    return subprocess.run([sys.executable, "-c", code, *args], check=False, capture_output=True, text=True,
                          env=env, timeout=600, stdin=subprocess.DEVNULL)


def node(node_id: str, node_type: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"id": node_id, "type": node_type, "position": {"x": 0, "y": 0}, "data": data or {}}


def line(*nodes: dict[str, Any]) -> dict[str, Any]:
    """A graph running its nodes one after another."""
    return {"nodes": list(nodes),
            "edges": [{"id": f"e{n}", "source": a["id"], "target": b["id"]}
                      for n, (a, b) in enumerate(pairwise(nodes))],
            "viewport": {"x": 0, "y": 0, "zoom": 1}}


GRAPHS = {
    "task": line(node("start", "trigger"),
                 node("review", "task", {"queueName": "up_q", "candidateGroups": ["UP_ROLE"]}),
                 node("done", "end")),
    "timer": line(node("start", "trigger"),
                  node("wait", "event", {"event": "timer", "timer": {"duration": "PT5M"}}),
                  node("done", "end")),
    "step": line(node("start", "trigger"),
                 node("call", "action", {"connector": "http", "input": {"url": "http://127.0.0.1:9/"}}),
                 node("done", "end")),
}


def as_user(conn: psycopg.Connection[Any], user: str) -> None:
    conn.execute("SELECT set_config('app.current_user_id', %s, true)", (user,))


def work_in_flight(url: str) -> dict[str, Any]:
    """Runs of the three models started by the previous release: two waiting in a queue task (one
    claimed), one at a timer, one at a worker step leased to worker old-worker."""
    with psycopg.connect(url, autocommit=True, row_factory=dict_row) as conn:
        conn.execute("""
            INSERT INTO entitlements.users (user_id, username) VALUES ('pat', 'pat'), ('modeler', 'modeler');
            INSERT INTO entitlements.workflow_roles (role_code, role_name, role_type)
            VALUES ('workflow_admin', 'Workflow administrator', 'SYSTEM');
            INSERT INTO flowable.workflow_queues (queue_name, max_capacity) VALUES ('up_q', NULL);
            INSERT INTO entitlements.workflow_roles (role_code, role_name, role_type, queue_name)
            VALUES ('UP_ROLE', 'Upgrade reviewer', 'CUSTOM', 'up_q');
            INSERT INTO entitlements.user_workflow_roles (user_id, role_id, assigned_by, valid_from)
            SELECT 'modeler', role_id, 'test', now() - interval '1 day' FROM entitlements.workflow_roles WHERE role_code = 'workflow_admin';
            INSERT INTO entitlements.user_workflow_roles (user_id, role_id, assigned_by, valid_from)
            SELECT 'pat', role_id, 'test', now() - interval '1 day' FROM entitlements.workflow_roles WHERE role_code = 'UP_ROLE'""")
        runs: dict[str, Any] = {}
        for name, graph in GRAPHS.items():
            with conn.transaction():
                as_user(conn, "modeler")
                row = conn.execute("SELECT automation.save_workflow(%s::jsonb, %s) AS id", (json.dumps(graph), name)).fetchone()
                assert row is not None
                conn.execute("SELECT automation.deploy_workflow(%s)", (row["id"],))
            for key in ([f"{name}_claimed", f"{name}_open"] if name == "task" else [name]):
                with conn.transaction():
                    as_user(conn, "pat")
                    started = conn.execute("SELECT automation.start_workflow(%s) AS id", (row["id"],)).fetchone()
                    assert started is not None
                    runs[key] = started["id"]
        tasks = {key: conn.execute("SELECT task_id FROM flowable.workflow_tasks WHERE process_instance_id = %s",
                                   (str(runs[key]),)).fetchone()["task_id"]  # type: ignore[index]
                 for key in ("task_claimed", "task_open")}
        with conn.transaction():
            as_user(conn, "pat")
            conn.execute("SELECT flowable.claim_task(%s)", (tasks["task_claimed"],))
        leased = conn.execute("SELECT execution_id FROM automation.claim_steps('old-worker', ARRAY['action'], 3600)").fetchall()
        assert [r["execution_id"] for r in leased] == [
            conn.execute("SELECT id FROM automation.workflow_executions WHERE instance_id = %s AND node_id = 'call'",
                         (runs["step"],)).fetchone()["id"]]  # type: ignore[index]
        states = conn.execute("SELECT id, status FROM automation.workflow_instances").fetchall()
        assert {r["status"] for r in states} == {"running"} and len(states) == 4
        waiting = conn.execute("SELECT count(*) AS n FROM automation.workflow_event_subscriptions"
                               " WHERE instance_id = %s AND due_at IS NOT NULL", (runs["timer"],)).fetchone()
        assert waiting == {"n": 1}, "the timer run waits on a due time"
    return {"runs": runs, "tasks": tasks, "step": leased[0]["execution_id"]}


def test_work_started_by_the_previous_release_carries_on_after_the_upgrade(empty_db: str, tmp_path: Path) -> None:
    commit = previous_release()
    home = check_out(commit, tmp_path / "previous")
    assert not (home / FIRST_NEW_MIGRATION).exists(), f"{commit} already has {FIRST_NEW_MIGRATION}"

    which = old_pgwf(home, "--help", url=empty_db)
    assert which.returncode == 0, which.stderr
    probe = subprocess.run([sys.executable, "-c", "import pgwf; print(pgwf.__file__)"], check=True, capture_output=True,
                           text=True, env=dict(os.environ, PYTHONPATH=str(home / "pyapp")), timeout=60)
    assert probe.stdout.strip().startswith(str(home)), "the previous release runs its own Python code"

    built = old_pgwf(home, "db", "upgrade", url=empty_db)
    assert built.returncode == 0, built.stderr
    with psycopg.connect(empty_db) as conn:
        applied = {r[0] for r in conn.execute("SELECT migration_id FROM public._yoyo_migration").fetchall()}
    assert applied and "0020_history-retention" not in applied

    flight = work_in_flight(empty_db)

    upgraded = run_pgwf("db", "upgrade", url=empty_db)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "applied 0020_history-retention" in upgraded.stdout
    status = run_pgwf("db", "status", url=empty_db)
    assert "pending" not in status.stdout, status.stdout

    runs, tasks = flight["runs"], flight["tasks"]
    with psycopg.connect(empty_db, autocommit=True, row_factory=dict_row) as conn:
        # the timer fires
        conn.execute("UPDATE automation.workflow_event_subscriptions SET due_at = now() - interval '1 second'"
                     " WHERE instance_id = %s", (runs["timer"],))
        result = conn.execute("SELECT automation.run_maintenance() AS r").fetchone()
        assert result is not None and result["r"]["timers_fired"] == 1 and result["r"]["errors"] == [], result
        # the leased step completes, reported by the worker that leased it before the upgrade
        conn.execute("SELECT automation.complete_step(%s, '{\"variables\": {\"ok\": true}}'::jsonb, 'old-worker')",
                     (flight["step"],))
        # the claimed task completes; the open one is claimed and completed
        with conn.transaction():
            as_user(conn, "pat")
            conn.execute("SELECT flowable.complete_task(%s, 'done')", (tasks["task_claimed"],))
        with conn.transaction():
            as_user(conn, "pat")
            conn.execute("SELECT flowable.claim_task(%s)", (tasks["task_open"],))
            conn.execute("SELECT flowable.complete_task(%s, 'done')", (tasks["task_open"],))

        finished = conn.execute("SELECT id, status, progress FROM automation.workflow_instances ORDER BY id").fetchall()
        assert {(r["status"], r["progress"]) for r in finished} == {("completed", 100)}, finished
        assert {r["id"] for r in finished} == set(runs.values())
        steps = conn.execute("SELECT i.id, string_agg(x.node_id || ':' || x.status, ' ' ORDER BY x.created_at) AS steps"
                             " FROM automation.workflow_instances i JOIN automation.workflow_executions x ON x.instance_id = i.id"
                             " GROUP BY i.id").fetchall()
        by_run = {r["id"]: r["steps"] for r in steps}
        assert by_run[runs["timer"]] == "start:completed wait:completed done:completed"
        assert by_run[runs["step"]] == "start:completed call:completed done:completed"
        history = conn.execute("SELECT task_id, string_agg(action_type, ' ' ORDER BY history_id) AS actions"
                               " FROM flowable.task_history GROUP BY task_id").fetchall()
        assert {r["task_id"]: r["actions"] for r in history} == {
            tasks["task_claimed"]: "CREATE CLAIM COMPLETE", tasks["task_open"]: "CREATE CLAIM COMPLETE"}, \
            "history written before the upgrade was carried into the partitioned table and goes on"
        processes = conn.execute("SELECT status, count(*) AS n FROM flowable.process_instances GROUP BY status").fetchall()
        assert processes == [{"status": "COMPLETED", "n": 4}]
