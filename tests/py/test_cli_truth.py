"""The CLI tells the truth (issue 16, item 8): refusals are the database's own
message (with its hint), raw SQLSTATEs become PW codes naming the argument
that was wrong, a run that fails says where and why, and the operator
commands over runs, tasks and the notification outbox."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import psycopg
import pytest
from cli_helpers import run_pgwf
from pgwf import demo
from pgwf.db import Database
from psycopg.rows import dict_row


@pytest.fixture()
def demo_db(fresh_db: str) -> str:
    demo.load(Database(fresh_db, None, pooled=False))
    return fresh_db


def ok(*args: str, url: str) -> str:
    result = run_pgwf(*args, url=url)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def refused(*args: str, url: str, code: str) -> str:
    """Run a command the database refuses: exit 1, one ``pgwf: [PWnnn] ...`` line first."""
    result = run_pgwf(*args, url=url)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.startswith(f"pgwf: [{code}] "), result.stderr
    assert "Traceback" not in result.stderr and "Error(" not in result.stderr
    return result.stderr


def node(node_id: str, node_type: str, x: int, **data: Any) -> dict[str, Any]:
    return {"id": node_id, "type": node_type, "position": {"x": x, "y": 0},
            "data": {"label": node_id, **data}}


def deployed(url: str, tmp_path: Path, name: str, nodes: list[dict[str, Any]],
             edges: list[tuple[str, str]]) -> str:
    graph = {"nodes": nodes,
             "edges": [{"id": f"e{i}", "source": s, "target": t} for i, (s, t) in enumerate(edges)],
             "viewport": {"x": 0, "y": 0, "zoom": 1}}
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(graph))
    wid = ok("workflow", "import", str(path), "--as", "alice", url=url).strip()
    ok("workflow", "deploy", wid, "--as", "alice", url=url)
    return wid


def worker(url: str) -> psycopg.Connection[dict[str, Any]]:
    return psycopg.connect(url, row_factory=dict_row, autocommit=True)


# --------------------------------------------------------------------------
# errors


def test_a_non_uuid_id_is_a_pw400_naming_the_argument(demo_db: str) -> None:
    for args, name in ((("run", "start", "notauuid"), "WORKFLOW_ID"),
                       (("run", "cancel", "notauuid"), "RUN_ID"),
                       (("workflow", "deploy", "notauuid"), "WORKFLOW_ID"),
                       (("approval", "approve", "notauuid"), "APPROVAL_ID")):
        err = refused(*args, "--as", "alice", url=demo_db, code="PW400")
        assert f"{name} 'notauuid' is not a valid uuid" in err, err
        assert "22P02" not in err


def test_a_value_too_long_names_the_argument_and_the_limit(demo_db: str) -> None:
    err = refused("user", "create", "x" * 120, url=demo_db, code="PW400")
    assert "USER_ID is longer than 50 characters" in err, err


def test_a_missing_reference_is_a_pw404_naming_the_argument(demo_db: str) -> None:
    err = refused("role", "grant", "nobody", "LEGAL_REVIEWER", url=demo_db, code="PW404")
    assert "USER_ID 'nobody' does not exist" in err, err


def test_a_duplicate_is_a_pw409_naming_the_argument(demo_db: str) -> None:
    err = refused("user", "create", "bob", url=demo_db, code="PW409")
    assert "USER_ID 'bob' already exists" in err, err


def test_a_value_outside_a_check_is_a_pw422_naming_the_option(demo_db: str) -> None:
    err = refused("queue", "create", "q2", "--type", "BAD", url=demo_db, code="PW422")
    assert "--type 'BAD' is not allowed" in err and "chk_queue_type" in err, err
    assert "Failing row contains" not in err


def test_a_database_function_names_its_parameter(demo_db: str) -> None:
    ok("task", "claim", "demo-task-1", "--as", "alice", url=demo_db)
    err = refused("task", "complete", "demo-task-1", "--as", "alice", "--outcome", "o" * 300,
                  url=demo_db, code="PW400")
    assert "p_outcome" in err and "100" in err, err


def test_the_database_hint_is_printed(demo_db: str, tmp_path: Path) -> None:
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps({"nodes": [node("s", "trigger", 0), node("e", "end", 1)],
                                "edges": [{"id": "e1", "source": "s", "target": "e"}]}))
    wid = ok("workflow", "import", str(path), "--as", "alice", url=demo_db).strip()
    err = refused("run", "start", wid, "--as", "alice", url=demo_db, code="PW409")
    assert "is not deployed" in err
    assert "\n  hint: Deploy the version with automation.deploy_workflow first" in err, err


def test_queue_create_refuses_an_unknown_department(demo_db: str) -> None:
    err = refused("queue", "create", "q1", "--department", "NOPE", url=demo_db, code="PW404")
    assert "department NOPE does not exist" in err, err
    queues = json.loads(ok("queue", "list", "--json", url=demo_db))
    assert "q1" not in [q["queue"] for q in queues]
    assert ok("queue", "create", "q3", "--department", "LEGAL", url=demo_db).strip() == \
        "created queue q3"


# --------------------------------------------------------------------------
# runs


def loop_workflow(url: str, tmp_path: Path) -> str:
    # a loop with no way out: the engine stops it at its step limit (maxSteps, 1000 by default)
    return deployed(url, tmp_path, "loop",
                    [node("start", "trigger", 0, triggerType="manual"), node("a", "notification", 1),
                     node("b", "gateway", 2, kind="exclusive")],
                    [("start", "a"), ("a", "b"), ("b", "a")])


def test_run_start_exits_nonzero_when_the_run_fails_at_once(demo_db: str, tmp_path: Path) -> None:
    wid = loop_workflow(demo_db, tmp_path)
    result = run_pgwf("run", "start", wid, "--as", "alice", url=demo_db)
    assert result.returncode == 1, result.stdout + result.stderr
    run_id = result.stdout.strip()
    assert len(run_id) == 36
    assert result.stderr.strip() == (
        f"pgwf: run {run_id} failed: the run visited more than 1000 steps (maxSteps) and was "
        "stopped at node b; does the model loop?"), result.stderr


def test_run_start_names_the_step_that_failed_at_once(demo_db: str, tmp_path: Path) -> None:
    # the called workflow stops at once; its caller's call step fails with it
    child = loop_workflow(demo_db, tmp_path)
    key = next(w["workflow_key"] for w in json.loads(ok("workflow", "list", "--as", "alice",
                                                         "--json", url=demo_db))
               if w["id"] == child)
    caller = deployed(demo_db, tmp_path, "caller",
                      [node("s", "trigger", 0, triggerType="manual"),
                       node("c", "call", 1, calledElement=key), node("e", "end", 2)],
                      [("s", "c"), ("c", "e")])
    result = run_pgwf("run", "start", caller, "--as", "alice", url=demo_db)
    assert result.returncode == 1, result.stdout + result.stderr
    run_id = result.stdout.strip()
    assert result.stderr.startswith(f"pgwf: run {run_id} failed at node c: call activity c: the "
                                    "called run "), result.stderr
    assert "visited more than 1000 steps" in result.stderr


def test_run_show_renders_a_run_of_any_length(demo_db: str, tmp_path: Path) -> None:
    wid = loop_workflow(demo_db, tmp_path)
    run_id = run_pgwf("run", "start", wid, "--as", "alice", url=demo_db).stdout.strip()
    result = run_pgwf("run", "show", run_id, "--as", "alice", url=demo_db)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"run {run_id}  loop  failed")
    assert lines[1] == "  error: the run visited more than 1000 steps (maxSteps) and was stopped at " \
                       "node b; does the model loop?"
    steps = [ln for ln in lines if "└─" in ln]
    assert len(steps) == 1000
    assert steps[0].strip() == "└─ start [trigger] completed"
    assert steps[-1].strip().startswith("└─ ")
    # a long path is indented by a bounded amount: depth is shown as a number past 20 levels
    assert max(len(ln) - len(ln.lstrip()) for ln in steps) <= 42
    as_json = json.loads(ok("run", "show", run_id, "--as", "alice", "--json", url=demo_db))
    assert len(as_json["steps"]) == 1000 and as_json["error_details"].startswith("the run visited")


def work_workflow(url: str, tmp_path: Path) -> str:
    return deployed(url, tmp_path, "work",
                    [node("start", "trigger", 0, triggerType="manual"), node("work", "action", 1),
                     node("done", "end", 2)],
                    [("start", "work"), ("work", "done")])


def fail_the_step(url: str, run_id: str, error: str) -> None:
    with worker(url) as conn:
        steps = conn.execute("SELECT * FROM automation.claim_steps('t', ARRAY['action'])").fetchall()
        mine = [s for s in steps if str(s["instance_id"]) == run_id]
        assert len(mine) == 1
        assert conn.execute("SELECT automation.fail_step(%s, %s, false, 't') AS r",
                            (mine[0]["execution_id"], error)).fetchone()["r"] == "failed"  # type: ignore[index]


def test_pause_resume_fail_show_retry_and_cancel_a_run(demo_db: str, tmp_path: Path) -> None:
    wid = work_workflow(demo_db, tmp_path)
    run_id = ok("run", "start", wid, "--as", "alice", url=demo_db).strip()
    assert ok("run", "pause", run_id, "--as", "alice", url=demo_db).strip() == f"run {run_id}: paused"
    refused("run", "pause", run_id, "--as", "alice", url=demo_db, code="PW409")
    refused("run", "resume", run_id, "--as", "bob", url=demo_db, code="PW403")
    assert ok("run", "resume", run_id, "--as", "alice", url=demo_db).strip() == \
        f"run {run_id}: running"
    err = refused("run", "retry", run_id, "--as", "alice", url=demo_db, code="PW409")
    assert "is running" in err

    fail_the_step(demo_db, run_id, "the ticket system answered 503")
    shown = run_pgwf("run", "show", run_id, "--as", "alice", url=demo_db)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0].startswith(f"run {run_id}  work  failed")
    assert lines[1].startswith("  error: step ") and "(node work) failed" in lines[1]
    assert "the ticket system answered 503" in lines[1]
    assert lines[2] == "  failed at: work: the ticket system answered 503"
    assert any(ln.strip() == "└─ work [action] failed  the ticket system answered 503"
               for ln in lines)

    assert ok("run", "retry", run_id, "--as", "alice", url=demo_db).strip() == \
        f"run {run_id}: running"
    retried = ok("run", "show", run_id, "--as", "alice", url=demo_db)
    assert "error:" not in retried and "failed at:" not in retried
    assert "└─ work [action] pending" in retried
    with worker(demo_db) as conn:
        steps = conn.execute("SELECT * FROM automation.claim_steps('t', ARRAY['action'])").fetchall()
        again = [s for s in steps if str(s["instance_id"]) == run_id]
        assert len(again) == 1
        conn.execute("SELECT automation.complete_step(%s, '{}', 't')", (again[0]["execution_id"],))
    shown_json = json.loads(ok("run", "show", run_id, "--as", "alice", "--json", url=demo_db))
    assert shown_json["status"] == "completed"
    assert [s["status"] for s in shown_json["steps"]] == ["completed", "failed", "completed",
                                                            "completed"]
    refused("run", "retry", run_id, "--as", "alice", url=demo_db, code="PW409")

    other = ok("run", "start", wid, "--as", "alice", url=demo_db).strip()
    assert ok("run", "cancel", other, "--as", "alice", "--reason", "not needed",
              url=demo_db).strip() == f"run {other}: cancelled"


# --------------------------------------------------------------------------
# tasks and notifications


def test_task_show_prints_fields_groups_history_and_comments(demo_db: str) -> None:
    ok("task", "claim", "demo-task-1", "--as", "alice", url=demo_db)
    ok("task", "comment", "demo-task-1", "looking at it", "--as", "alice", url=demo_db)
    shown = ok("task", "show", "demo-task-1", "--as", "alice", url=demo_db)
    assert re.search(r"^task_id +demo-task-1$", shown, re.MULTILINE)
    assert re.search(r"^status +CLAIMED$", shown, re.MULTILINE)
    assert re.search(r"^candidate_groups +\S", shown, re.MULTILINE)
    assert "history:" in shown and "CLAIM" in shown
    assert "comments:" in shown and "looking at it" in shown
    as_json = json.loads(ok("task", "show", "demo-task-1", "--as", "alice", "--json", url=demo_db))
    assert as_json["task"]["assignee_id"] == "alice"
    assert [h["action_type"] for h in as_json["history"]] == ["CREATE", "CLAIM"]
    assert [c["comments"] for c in as_json["comments"]] == ["looking at it"]
    err = run_pgwf("task", "show", "nope", "--as", "alice", url=demo_db)
    assert err.returncode == 1
    assert err.stderr.strip() == "pgwf: task nope does not exist or is not visible to you"


def test_notification_list_and_retry(demo_db: str, tmp_path: Path) -> None:
    wid = deployed(demo_db, tmp_path, "notify",
                   [node("start", "trigger", 0, triggerType="manual"),
                    node("tell", "notification", 1, channel="email", recipients=["ops@example.org"]),
                    node("done", "end", 2)],
                   [("start", "tell"), ("tell", "done")])
    ok("run", "start", wid, "--as", "alice", url=demo_db)
    with worker(demo_db) as conn:
        claimed = conn.execute("SELECT * FROM automation.claim_notifications('t')").fetchall()
        assert len(claimed) == 1
        nid = str(claimed[0]["id"])
        conn.execute("SELECT automation.mark_notification_failed(%s, 'smtp refused', false, 't')",
                     (nid,))
    failed = json.loads(ok("notification", "list", "--status", "failed", "--json", url=demo_db))
    assert [(n["id"], n["status"], n["error_details"]) for n in failed] == \
        [(nid, "failed", "smtp refused")]
    assert json.loads(ok("notification", "list", "--status", "pending", "--json", url=demo_db)) == []
    assert ok("notification", "retry", nid, url=demo_db).strip() == f"notification {nid}: pending"
    pending = json.loads(ok("notification", "list", "--json", url=demo_db))
    assert [(n["id"], n["status"]) for n in pending] == [(nid, "pending")]
    err = refused("notification", "retry", nid, url=demo_db, code="PW409")
    assert "is pending" in err
    err = refused("notification", "retry", "xyz", url=demo_db, code="PW400")
    assert "NOTIFICATION_ID 'xyz' is not a valid uuid" in err
