"""The operator's CLI against a migrated database with the demo data:
aligned tables, --json/--csv, people's commands under RLS, exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pytest
from cli_helpers import run_pgwf
from pgwf import demo
from pgwf.db import Database


@pytest.fixture()
def demo_db(fresh_db: str) -> str:
    demo.load(Database(fresh_db, None, pooled=False))
    return fresh_db


def ok(*args: str, url: str) -> str:
    result = run_pgwf(*args, url=url)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_demo_load_is_idempotent(demo_db: str) -> None:
    first = ok("demo", "load", url=demo_db)
    assert first.startswith("demo data loaded: users ")
    assert ok("demo", "load", url=demo_db) == first


def test_user_and_role_management(demo_db: str) -> None:
    assert ok("user", "create", "zoe", "--first-name", "Zoe", "--department", "LEGAL",
              url=demo_db).strip() == "created user zoe"
    assert ok("role", "grant", "zoe", "LEGAL_REVIEWER", url=demo_db).strip() == \
        "granted LEGAL_REVIEWER to zoe"
    users = json.loads(ok("user", "list", "--json", url=demo_db))
    zoe = next(u for u in users if u["user_id"] == "zoe")
    assert (zoe["department"], zoe["roles"]) == ("LEGAL", "LEGAL_REVIEWER")
    inbox = json.loads(ok("task", "inbox", "--as", "zoe", "--json", url=demo_db))
    assert [t["task_id"] for t in inbox] == ["demo-task-3"]
    assert ok("role", "revoke", "zoe", "LEGAL_REVIEWER", url=demo_db).strip() == \
        "revoked LEGAL_REVIEWER from zoe"
    assert json.loads(ok("task", "inbox", "--as", "zoe", "--json", url=demo_db)) == []


def test_a_duplicate_user_is_refused_by_the_database_in_one_line(demo_db: str) -> None:
    result = run_pgwf("user", "create", "alice", url=demo_db)
    assert result.returncode == 1
    assert result.stderr.startswith("pgwf: [PW409] USER_ID 'alice' already exists")
    assert "Traceback" not in result.stderr


def test_tokens_are_shown_once_listed_without_secret_and_revoked(demo_db: str) -> None:
    result = run_pgwf("token", "create", "alice", "--days", "7", url=demo_db)
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    assert token.startswith("pgwf_") and len(token) == 69
    assert "not shown again" in result.stderr
    listed = json.loads(ok("token", "list", "--json", url=demo_db))
    assert len(listed) == 1 and listed[0]["state"] == "valid"
    assert token not in json.dumps(listed)
    assert ok("token", "revoke", str(listed[0]["token_id"]), url=demo_db).strip() == \
        f"revoked token {listed[0]['token_id']}"
    assert json.loads(ok("token", "list", "--json", url=demo_db))[0]["state"] == "revoked"
    assert run_pgwf("token", "revoke", url=demo_db).returncode == 2
    assert run_pgwf("token", "create", "nobody", url=demo_db).returncode == 1


def test_task_commands_act_as_the_person(demo_db: str) -> None:
    table = ok("task", "inbox", "--as", "alice", url=demo_db).splitlines()
    assert table[0].split() == ["task_id", "task_name", "queue_name", "status", "assignee_id",
                                "priority", "due_date"]
    assert [ln.split()[0] for ln in table[2:] if ln.startswith("demo-task-")] == \
        ["demo-task-1", "demo-task-2"]
    claimed = json.loads(ok("task", "claim-next", "--as", "alice", "--queue", "intake", "--json",
                            url=demo_db))
    assert claimed[0]["task_id"] == "demo-task-1"
    refused = run_pgwf("task", "complete", "demo-task-1", "--as", "bob", url=demo_db)
    assert refused.returncode == 1 and refused.stderr.startswith("pgwf: [PW4")
    done = json.loads(ok("task", "complete", "demo-task-1", "--as", "alice", "--outcome", "ok",
                         "--json", url=demo_db))
    assert done[0]["status"] == "COMPLETED"
    def inbox(*extra: str) -> list[str]:
        out = ok("task", "inbox", "--as", "alice", "--json", *extra, url=demo_db)
        return [t["task_id"] for t in json.loads(out)]

    assert "demo-task-1" not in inbox()
    assert "demo-task-1" in inbox("--all")
    assert inbox("--status", "COMPLETED") == ["demo-task-1"]
    history = ok("task", "history", "demo-task-1", "--as", "alice", "--csv", url=demo_db)
    assert [r["action_type"] for r in csv.DictReader(io.StringIO(history))] == \
        ["CREATE", "CLAIM", "COMPLETE"]
    assert run_pgwf("task", "complete", "demo-task-1", "--as", "alice", "--form", "{bad",
                    url=demo_db).returncode == 2
    assert ok("task", "comment", "demo-task-3", "looking at it", "--as", "bob",
              url=demo_db).startswith("comment ")
    assert run_pgwf("task", "cancel", "demo-task-2", "--as", "alice", url=demo_db).returncode == 1
    cancelled = json.loads(ok("task", "cancel", "demo-task-2", "--as", "carol", "--reason", "dup",
                              "--json", url=demo_db))
    assert cancelled[0]["status"] == "CANCELLED"


def test_a_task_action_retried_with_its_idempotency_key_prints_the_first_answer(demo_db: str) -> None:
    def complete(key: str, outcome: str = "ok") -> subprocess.CompletedProcess[str]:
        return run_pgwf("task", "complete", "demo-task-1", "--as", "alice", "--outcome", outcome,
                        "--idempotency-key", key, "--json", url=demo_db)

    ok("task", "claim", "demo-task-1", "--as", "alice", "--idempotency-key", "c1", url=demo_db)
    again = ok("task", "claim", "demo-task-1", "--as", "alice", "--idempotency-key", "c1",
               "--json", url=demo_db)
    assert json.loads(again)[0]["status"] == "CLAIMED"
    first, retried = complete("d1"), complete("d1")
    assert first.returncode == 0 and retried.returncode == 0, first.stderr + retried.stderr
    assert json.loads(retried.stdout) == json.loads(first.stdout)
    other = complete("d1", "rejected")
    assert other.returncode == 1 and other.stderr.startswith("pgwf: [PW422]"), other.stderr
    assert "idempotency key d1" in other.stderr
    without = run_pgwf("task", "complete", "demo-task-1", "--as", "alice", url=demo_db)
    assert without.returncode == 1 and without.stderr.startswith("pgwf: [PW409]"), without.stderr


def test_queue_list_and_reports(demo_db: str) -> None:
    queues = {q["queue"]: q for q in json.loads(ok("queue", "list", "--json", url=demo_db))}
    intake_open = ok("task", "inbox", "--as", "carol", "--status", "OPEN", "--queue", "intake",
                     "--json", url=demo_db)
    assert queues["intake"]["open"] == len(json.loads(intake_open)) >= 2
    assert queues["legal_review"]["open"] == 1
    workload = json.loads(ok("report", "active-tasks-by-queue", "--json", url=demo_db))
    assert {r["queue_name"]: r["open_tasks"] for r in workload}["intake"] == queues["intake"]["open"]
    assert run_pgwf("report", "nope", url=demo_db).returncode == 2


def test_workflow_import_deploy_run_and_show(demo_db: str, tmp_path: Path) -> None:
    graph = {"nodes": [{"id": "s", "type": "trigger", "position": {"x": 0, "y": 0},
                        "data": {"label": "s", "triggerType": "manual"}},
                       {"id": "e", "type": "end", "position": {"x": 1, "y": 0},
                        "data": {"label": "e"}}],
             "edges": [{"id": "e1", "source": "s", "target": "e"}],
             "viewport": {"x": 0, "y": 0, "zoom": 1}}
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(graph))
    assert ok("workflow", "validate", str(path), "--as", "alice", url=demo_db).strip() == \
        f"{path}: valid"
    wid = ok("workflow", "import", str(path), "--as", "alice", url=demo_db).strip()
    assert ok("workflow", "deploy", wid, "--as", "alice", url=demo_db).startswith("deployed as")
    run = ok("run", "start", wid, "--as", "alice", "--input", '{"x": 1}', url=demo_db).strip()
    shown = ok("run", "show", run, "--as", "alice", url=demo_db).splitlines()
    assert shown[0].startswith(f"run {run}  tiny  completed")
    assert shown[1].strip() == "└─ s [trigger] completed"
    assert shown[2].strip() == "└─ e [end] completed"
    exported = json.loads(ok("workflow", "export", wid, "--as", "alice", url=demo_db))
    assert [n["id"] for n in exported["nodes"]] == ["s", "e"]
    listed = json.loads(ok("run", "list", "--as", "alice", "--json", url=demo_db))
    assert run in [r["id"] for r in listed]
    assert run not in [r["id"] for r in json.loads(ok("run", "list", "--as", "bob", "--json",
                                                        url=demo_db))]
    hidden = run_pgwf("run", "show", run, "--as", "bob", url=demo_db)
    assert hidden.returncode == 1
    hook = run_pgwf("workflow", "trigger", wid, "--as", "alice", "--type", "webhook", "--config",
                    '{"endpoint": "/tiny", "allowedIPs": ["127.0.0.1/32"]}', url=demo_db)
    assert hook.returncode == 0, hook.stderr
    trigger_line, token = hook.stdout.splitlines()
    assert trigger_line.startswith("trigger ") and len(token) >= 32
    assert "not shown again" in hook.stderr
    assert run_pgwf("workflow", "trigger", wid, "--as", "alice", "--type", "webhook",
                    "--config", "[1]", url=demo_db).returncode == 2


def test_a_bad_workflow_file_is_one_clear_line(demo_db: str, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    result = run_pgwf("workflow", "import", str(path), "--as", "alice", url=demo_db)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "not valid JSON" in result.stderr
    missing = run_pgwf("workflow", "import", str(tmp_path / "none.json"), "--as", "alice",
                       url=demo_db)
    assert missing.returncode == 2


def test_cron_install_without_pg_cron_says_so(demo_db: str) -> None:
    result = run_pgwf("cron", "install", url=demo_db)
    assert result.returncode == 1
    assert "pg_cron is not installed" in result.stderr


def test_scheduler_once_runs_or_skips_cleanly(demo_db: str) -> None:
    result = run_pgwf("scheduler", "--once", url=demo_db)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["status"] in ("ran", "skipped")


def test_approvals_from_the_cli(demo_db: str, tmp_path: Path) -> None:
    graph = {"nodes": [{"id": "s", "type": "trigger", "position": {"x": 0, "y": 0},
                        "data": {"label": "s", "triggerType": "manual"}},
                       {"id": "ok", "type": "approval", "position": {"x": 1, "y": 0},
                        "data": {"label": "ok", "approverRole": "SECURITY_TEAM"}},
                       {"id": "e", "type": "end", "position": {"x": 2, "y": 0},
                        "data": {"label": "e"}},
                       {"id": "x", "type": "end", "position": {"x": 2, "y": 1},
                        "data": {"label": "x"}}],
             "edges": [{"id": "e1", "source": "s", "target": "ok"},
                       {"id": "e2", "source": "ok", "target": "e", "sourceHandle": "approved"},
                       {"id": "e3", "source": "ok", "target": "x", "sourceHandle": "rejected"}],
             "viewport": {"x": 0, "y": 0, "zoom": 1}}
    path = tmp_path / "approve.json"
    path.write_text(json.dumps(graph))
    wid = ok("workflow", "import", str(path), "--as", "alice", url=demo_db).strip()
    ok("workflow", "deploy", wid, "--as", "alice", url=demo_db)
    run = ok("run", "start", wid, "--as", "alice", url=demo_db).strip()
    assert json.loads(ok("approval", "list", "--as", "bob", "--json", url=demo_db)) == []
    waiting = json.loads(ok("approval", "list", "--as", "erin", "--json", url=demo_db))
    assert [a["approver_role"] for a in waiting] == ["SECURITY_TEAM"]
    refused = run_pgwf("approval", "approve", waiting[0]["id"], "--as", "bob", url=demo_db)
    assert refused.returncode == 1 and refused.stderr.startswith("pgwf: [PW4")
    assert ok("approval", "reject", waiting[0]["id"], "--as", "erin", "--reason", "no",
              url=demo_db).strip() == f"rejected {waiting[0]['id']}"
    shown = ok("run", "show", run, "--as", "alice", url=demo_db)
    assert "x [end] completed" in shown and "e [end]" not in shown


def test_run_show_names_the_child_run_of_a_call_and_its_caller(demo_db: str, tmp_path: Path) -> None:
    child = {"nodes": [{"id": "s", "type": "trigger", "position": {"x": 0, "y": 0}, "data": {"label": "s"}},
                       {"id": "ok", "type": "approval", "position": {"x": 1, "y": 0},
                        "data": {"label": "ok", "approverRole": "SECURITY_TEAM"}},
                       {"id": "e", "type": "end", "position": {"x": 2, "y": 0}, "data": {"label": "e"}}],
             "edges": [{"id": "e1", "source": "s", "target": "ok"},
                       {"id": "e2", "source": "ok", "target": "e", "sourceHandle": "approved"},
                       {"id": "e3", "source": "ok", "target": "e", "sourceHandle": "rejected"}],
             "viewport": {"x": 0, "y": 0, "zoom": 1}}
    (tmp_path / "child.json").write_text(json.dumps(child))
    child_id = ok("workflow", "import", str(tmp_path / "child.json"), "--as", "alice", url=demo_db).strip()
    ok("workflow", "deploy", child_id, "--as", "alice", url=demo_db)
    key = json.loads(ok("workflow", "list", "--as", "alice", "--json", url=demo_db))
    child_key = next(w["workflow_key"] for w in key if w["id"] == child_id)
    caller = {"nodes": [{"id": "s", "type": "trigger", "position": {"x": 0, "y": 0}, "data": {"label": "s"}},
                        {"id": "c", "type": "call", "position": {"x": 1, "y": 0},
                         "data": {"label": "c", "calledElement": child_key}},
                        {"id": "e", "type": "end", "position": {"x": 2, "y": 0}, "data": {"label": "e"}}],
              "edges": [{"id": "e1", "source": "s", "target": "c"}, {"id": "e2", "source": "c", "target": "e"}],
              "viewport": {"x": 0, "y": 0, "zoom": 1}}
    (tmp_path / "caller.json").write_text(json.dumps(caller))
    caller_id = ok("workflow", "import", str(tmp_path / "caller.json"), "--as", "alice", url=demo_db).strip()
    ok("workflow", "deploy", caller_id, "--as", "alice", url=demo_db)
    run = ok("run", "start", caller_id, "--as", "alice", url=demo_db).strip()
    shown = ok("run", "show", run, "--as", "alice", url=demo_db).splitlines()
    call_line = next(line for line in shown if "c [call]" in line)
    assert call_line.strip().startswith("└─ c [call] running  -> run ")
    child_run = call_line.split("-> run ")[1].strip()
    child_shown = ok("run", "show", child_run, "--as", "alice", url=demo_db).splitlines()
    assert child_shown[1].strip() == f"called by run {run}"
