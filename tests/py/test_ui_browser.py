"""The web UI in a real browser: Playwright drives Debian's Chromium
(/usr/bin/chromium, installed by scripts/ensure-browser.sh; no browser is
downloaded) against a real ``pgwf serve`` over a private database with the
demo data.  Every page is screenshotted into docs/ui/, so the pictures stay
true to the code.

People (demo data): alice (INTAKE_ANALYST, workflow_admin), bob (LEGAL),
erin (SECURITY_TEAM, workflow_admin).  The browser only talks to the API;
what a person sees is what row-level security shows them.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
from api_helpers import ensure_password, login_url
from cli_helpers import PGWF
from conftest import create_database, drop_database
from pgwf import demo
from pgwf.db import Database
from playwright.sync_api import Browser, Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "ui" / "dist"
SHOTS = ROOT / "docs" / "ui"
CHROMIUM = "/usr/bin/chromium"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# the whole first load (script and style, gzip'd) stays under this
BUNDLE_BUDGET_GZIP = 200 * 1024
REFUSED = re.compile(r"^Failed to load resource: the server responded with a status of 4\d\d")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    base: str
    db_url: str
    tokens: dict[str, str] = field(default_factory=dict)

    def api(self, method: str, path: str, user: str, body: Any = None) -> Any:
        req = urllib.request.Request(self.base + path, method=method,
                                     data=None if body is None else json.dumps(body).encode())
        req.add_header("Authorization", f"Bearer {self.tokens[user]}")
        req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read())

    def sql(self, query: str, params: Any = None) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.db_url, autocommit=True) as conn:
            cur = conn.execute(query, params)
            return cur.fetchall() if cur.description else []

    def token(self, user: str) -> str:
        row = self.sql("SELECT token FROM entitlements.create_api_token(%s)", (user,))
        return str(row[0][0])


@pytest.fixture(scope="module")
def server(template_db: str) -> Iterator[Server]:
    assert (DIST / "index.html").is_file(), "the web UI is not built: run make ui (needs Node.js)"
    assert os.access(CHROMIUM, os.X_OK), "Chromium is missing: run scripts/ensure-browser.sh"
    name = f"pgwf_ui_{uuid.uuid4().hex[:10]}"
    url = create_database(name, template_db)
    proc = None
    try:
        demo.load(Database(url, None, pooled=False))
        ensure_password(url, "pgwf_test_app")
        port = free_port()
        env = dict(os.environ, DATABASE_URL=url, PGWF_API_DATABASE_URL=login_url(url, "pgwf_test_app"),
                   PGWF_API_PORT=str(port), PGWF_API_WORKERS="1", PGWF_LOG_LEVEL="WARNING")
        proc = subprocess.Popen([PGWF, "serve"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        srv = Server(f"http://127.0.0.1:{port}", url)
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(srv.base + "/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "pgwf serve never answered"
            assert proc.poll() is None, "pgwf serve exited"
            time.sleep(0.3)
        for person in ("alice", "bob", "carol", "erin"):
            srv.tokens[person] = srv.token(person)
        yield srv
    finally:
        if proc is not None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(proc.pid, signal.SIGKILL)
        drop_database(name)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield b
        finally:
            b.close()


class Tab:
    """One person's browser tab; every console error or page error fails the test."""

    def __init__(self, browser: Browser, server: Server, viewport: dict[str, int] = DESKTOP) -> None:
        self.context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
        self.page: Page = self.context.new_page()
        self.server = server
        self.errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.set_default_timeout(10_000)

    def _console(self, msg: Any) -> None:
        # a refusal of the API (4xx) is shown on the page; Chromium also logs the response
        if msg.type == "error" and not REFUSED.search(msg.text):
            self.errors.append(msg.text)

    def open(self, fragment: str = "") -> Page:
        self.page.goto(self.server.base + "/" + (f"#/{fragment}" if fragment else ""))
        return self.page

    def sign_in(self, user: str, fragment: str = "inbox") -> Page:
        page = self.open(fragment)
        page.get_by_label("API token").fill(self.server.tokens[user])
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_test_id("whoami")).to_contain_text(user)
        return page

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.wait_for_timeout(150)  # let a fitView settle
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def close(self) -> None:
        errors = list(self.errors)
        self.context.close()
        assert errors == [], errors


@pytest.fixture()
def tab(browser: Browser, server: Server) -> Iterator[Tab]:
    t = Tab(browser, server)
    yield t
    t.close()


def unlabelled_controls(page: Page) -> list[str]:
    """Form controls and buttons without an accessible name."""
    return list(page.evaluate("""() => {
        const bad = [];
        for (const el of document.querySelectorAll('input, select, textarea, button, a[href]')) {
            if (el.type === 'hidden' || el.closest('[aria-hidden="true"]')) continue;
            const named = (el.labels && el.labels.length) || el.getAttribute('aria-label')
                || el.getAttribute('aria-labelledby') || el.getAttribute('title')
                || (['BUTTON', 'A'].includes(el.tagName) && el.textContent.trim());
            if (!named) bad.push(el.outerHTML.slice(0, 120));
        }
        return bad;
    }"""))


def approval_graph(role: str = "SECURITY_TEAM") -> dict[str, Any]:
    return {
        "nodes": [
            {"id": "start", "type": "trigger", "position": {"x": 0, "y": 60},
             "data": {"label": "Change requested", "triggerType": "manual"}},
            {"id": "ok", "type": "approval", "position": {"x": 240, "y": 60},
             "data": {"label": "Security approves", "approverRole": role,
                      "message": "Roll out change {{change}}?"}},
            {"id": "done", "type": "end", "position": {"x": 520, "y": 0}, "data": {"label": "Rolled out"}},
            {"id": "stop", "type": "end", "position": {"x": 520, "y": 140}, "data": {"label": "Refused"}},
        ],
        "edges": [
            {"id": "e1", "source": "start", "target": "ok"},
            {"id": "e2", "source": "ok", "target": "done", "sourceHandle": "approved"},
            {"id": "e3", "source": "ok", "target": "stop", "sourceHandle": "rejected"},
        ],
        "viewport": {"x": 0, "y": 0, "zoom": 1},
    }


@pytest.fixture(scope="module")
def change_workflow(server: Server) -> str:
    saved = server.api("POST", "/workflows", "alice",
                       {"workflow_data": approval_graph(), "name": "Change approval"})
    server.api("POST", f"/workflows/{saved['id']}/deploy", "alice", {})
    return str(saved["id"])


def start_change(server: Server, workflow_id: str, change: str) -> str:
    res = server.api("POST", f"/workflows/{workflow_id}/runs", "alice", {"input": {"change": change}})
    return str(res["run_id"])


def node(page: Page, node_id: str) -> Any:
    return page.locator(f'.react-flow__node [data-node-id="{node_id}"]')


# --------------------------------------------------------------------------
# 1. sign in, who you are, sign out


def test_sign_in_with_a_token_shows_who_and_signs_out(tab: Tab, server: Server) -> None:
    page = tab.open()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert unlabelled_controls(page) == []
    page.get_by_label("API token").fill("not-a-token")
    page.get_by_role("button", name="Sign in").click()
    # the API's refusal, as its code and message (the browser logs the failed request)
    expect(page.get_by_role("alert")).to_contain_text("PW401")
    tab.shot("sign-in")
    own = server.token("alice")
    page.get_by_label("API token").fill(own)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("whoami")).to_have_text("Signed in as alice")
    expect(page.get_by_label("Your roles")).to_contain_text("workflow_admin")
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
    page.reload()  # the session survives a reload of the tab
    expect(page.get_by_test_id("whoami")).to_have_text("Signed in as alice")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    # signing out revoked the token itself
    req = urllib.request.Request(server.base + "/me", headers={"Authorization": f"Bearer {own}"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(req, timeout=10)
    assert refused.value.code == 401


# --------------------------------------------------------------------------
# 2. inbox


def test_inbox_claim_comment_unclaim_complete_with_form_data(tab: Tab, server: Server) -> None:
    page = tab.sign_in("alice")
    mine = page.get_by_role("table", name="In my queues and offered to me")
    expect(mine.get_by_role("link", name="Review new case CASE-1001")).to_be_visible()
    expect(page.get_by_role("link", name="Legal review of CASE-1003")).to_have_count(0)  # bob's queue
    assert unlabelled_controls(page) == []
    tab.shot("inbox")
    # claim next from intake: the most urgent task (priority 80)
    page.get_by_label("intake", exact=True).check()
    page.get_by_role("button", name="Claim next").click()
    expect(page.get_by_role("heading", name="Review new case CASE-1001")).to_be_visible()
    expect(page.get_by_test_id("task-status")).to_have_text("CLAIMED")
    expect(page.get_by_role("table", name="My tasks")
           .get_by_role("link", name="Review new case CASE-1001")).to_be_visible()
    page.get_by_label("Comment", exact=True).fill("looking at it")
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_role("list", name="Task history")).to_contain_text("looking at it")
    page.get_by_role("button", name="Unclaim").click()
    expect(page.get_by_test_id("task-status")).to_have_text("OPEN")
    page.get_by_role("button", name="Claim", exact=True).click()
    expect(page.get_by_test_id("task-status")).to_have_text("CLAIMED")
    # a refusal of the database is shown as its message
    page.get_by_label("Delegate to (user id)").fill("nobody-such")
    page.get_by_role("button", name="Delegate").click()
    expect(page.get_by_role("alert")).to_contain_text("nobody-such")
    page.get_by_label("Outcome").fill("accepted")
    page.get_by_label("Field 1 name").fill("decision")
    page.get_by_label("Field 1 value").fill("register")
    page.get_by_role("button", name="Add field").click()
    page.get_by_label("Field 2 name").fill("pages")
    page.get_by_label("Field 2 value").fill("12")
    tab.shot("task")
    page.get_by_role("button", name="Complete", exact=True).click()
    expect(page.get_by_test_id("task-status")).to_have_text("COMPLETED")
    (status, outcome, form), = server.sql(
        "SELECT status, outcome, form_data FROM flowable.workflow_tasks WHERE task_id = 'demo-task-1'")
    assert (status, outcome, form) == ("COMPLETED", "accepted", {"decision": "register", "pages": 12})


def test_a_person_without_rights_sees_neither_the_task_nor_the_button(tab: Tab) -> None:
    page = tab.sign_in("bob", "inbox/demo-task-2")
    expect(page.get_by_role("alert")).to_contain_text("not visible to you")
    expect(page.get_by_role("button", name="Claim", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Review new case CASE-1002")).to_have_count(0)
    expect(page.get_by_role("link", name="Legal review of CASE-1003")).to_be_visible()


def test_only_a_supervisor_reassigns_or_cancels(tab: Tab, browser: Browser, server: Server) -> None:
    page = tab.sign_in("alice", "inbox/demo-task-2")
    page.get_by_text("Supervisor: reassign or cancel").click()
    page.get_by_label("Reason for cancelling").fill("not mine to cancel")
    page.get_by_role("button", name="Cancel task").click()
    expect(page.get_by_role("alert")).to_contain_text("PW403")
    expect(page.get_by_test_id("task-status")).to_have_text("OPEN")
    other = Tab(browser, server)
    carol = other.sign_in("carol", "inbox/demo-task-2")
    carol.get_by_text("Supervisor: reassign or cancel").click()
    carol.get_by_label("Give to (user id)").fill("alice")
    carol.get_by_role("button", name="Reassign").click()
    expect(carol.get_by_role("status")).to_have_text("Reassigned")
    other.close()
    assert server.sql("SELECT assignee_id FROM flowable.workflow_tasks"
                      " WHERE task_id = 'demo-task-2'") == [("alice",)]


CLAIM_FORM = [
    {"name": "amount", "label": "Amount (EUR)", "type": "number", "required": True},
    {"name": "kind", "label": "Kind of claim", "type": "enum", "options": ["car", "home"], "required": True},
    {"name": "urgent", "label": "Urgent", "type": "boolean"},
    {"name": "seen_on", "label": "Seen on", "type": "date"},
    {"name": "note", "label": "Note", "type": "text", "description": "kept with the case"},
]


def form_graph() -> dict[str, Any]:
    return {
        "nodes": [
            {"id": "start", "type": "trigger", "position": {"x": 0, "y": 60},
             "data": {"label": "Claim filed", "triggerType": "manual"}},
            {"id": "review", "type": "task", "position": {"x": 240, "y": 60},
             "data": {"label": "Review the claim", "queueName": "intake", "candidateGroups": ["INTAKE_ANALYST"],
                      "assignee": "alice", "formKey": "claim-review", "form": CLAIM_FORM}},
            {"id": "big", "type": "end", "position": {"x": 520, "y": 0}, "data": {"label": "Large claim"}},
            {"id": "small", "type": "end", "position": {"x": 520, "y": 140}, "data": {"label": "Small claim"}},
        ],
        "edges": [
            {"id": "e1", "source": "start", "target": "review"},
            {"id": "e2", "source": "review", "target": "big",
             "data": {"conditions": [{"field": "amount", "operator": "greater_than", "value": 100}]}},
            {"id": "e3", "source": "review", "target": "small", "data": {"default": True}},
        ],
        "viewport": {"x": 0, "y": 0, "zoom": 1},
    }


def test_a_task_form_is_drawn_from_its_node_and_the_database_checks_it(tab: Tab, server: Server) -> None:
    saved = server.api("POST", "/workflows", "alice", {"workflow_data": form_graph(), "name": "Claim review"})
    server.api("POST", f"/workflows/{saved['id']}/deploy", "alice", {})
    run = server.api("POST", f"/workflows/{saved['id']}/runs", "alice",
                     {"input": {}, "business_key": "CLAIM-77"})["run_id"]
    (task,), = server.sql("SELECT task_id FROM flowable.workflow_tasks WHERE process_instance_id = %s", (run,))
    page = tab.sign_in("alice", f"inbox/{task}")
    expect(page.get_by_test_id("task-status")).to_have_text("CLAIMED")
    form = page.get_by_role("group", name="Form claim-review")
    expect(form.get_by_label("Amount (EUR)")).to_have_attribute("type", "number")
    expect(form.get_by_label("Kind of claim")).to_have_attribute("aria-required", "true")
    expect(form.get_by_label("Urgent")).to_have_attribute("type", "checkbox")
    expect(form.get_by_label("Seen on")).to_have_attribute("type", "date")
    expect(page.get_by_label("Field 1 name")).to_have_count(0)  # no free fields beside a form
    assert unlabelled_controls(page) == []
    # nothing filled in: the database refuses, and each problem is pinned on its field
    page.get_by_role("button", name="Complete", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("does not fill its form claim-review")
    expect(page.locator('[data-field="amount"] .field-problem')).to_have_text("is required")
    expect(page.locator('[data-field="kind"] .field-problem')).to_have_text("is required")
    expect(form.get_by_label("Amount (EUR)")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("task-status")).to_have_text("CLAIMED")
    tab.shot("task-form")
    # filled in by keyboard, field to field; a field changed no longer shows its problem
    form.get_by_label("Amount (EUR)").fill("250")
    expect(page.locator('[data-field="amount"] .field-problem')).to_have_count(0)
    expect(page.locator('[data-field="kind"] .field-problem')).to_have_text("is required")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # the select's first option: car
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    form.get_by_label("Seen on").fill("2026-11-30")
    form.get_by_label("Note").fill("windscreen")
    expect(form.get_by_label("Kind of claim")).to_have_value("car")
    expect(form.get_by_label("Urgent")).to_be_checked()
    page.get_by_role("button", name="Complete", exact=True).click()
    expect(page.get_by_test_id("task-status")).to_have_text("COMPLETED")
    assert server.sql("SELECT form_data FROM flowable.workflow_tasks WHERE task_id = %s", (task,)) == [
        ({"amount": 250, "kind": "car", "urgent": True, "seen_on": "2026-11-30", "note": "windscreen"},)]
    # the run took the edge the form data chose
    page.goto(f"{server.base}/#/runs/{run}")
    expect(page.get_by_test_id("run-status")).to_have_text("completed")
    expect(node(page, "big")).to_have_attribute("data-state", "done")
    expect(node(page, "small")).to_have_attribute("data-state", "")


# --------------------------------------------------------------------------
# 3. approvals, 4. runs


def test_a_run_page_draws_the_graph_and_follows_the_run(tab: Tab, server: Server,
                                                        change_workflow: str) -> None:
    run = start_change(server, change_workflow, "CHG-7")
    page = tab.sign_in("alice", f"runs/{run}")
    expect(page.get_by_test_id("run-status")).to_have_text("running")
    expect(node(page, "start")).to_have_attribute("data-state", "done")
    expect(node(page, "ok")).to_have_attribute("data-state", "person")
    expect(node(page, "done")).to_have_attribute("data-state", "")
    # the workflow's own layout: "done" is drawn to the right of "ok", "stop" below "done"
    ok, done, stop = (node(page, n).bounding_box() for n in ("ok", "done", "stop"))
    assert ok and done and stop and done["x"] > ok["x"] and stop["y"] > done["y"]
    tab.shot("run-waiting")
    # someone else approves; the page polls and follows the run to its end
    (approval,), = server.sql(
        "SELECT a.id::text FROM automation.workflow_approvals a JOIN automation.workflow_executions e"
        " ON e.id = a.execution_id WHERE e.instance_id = %s", (run,))
    server.api("POST", f"/approvals/{approval}/approve", "erin", {})
    expect(page.get_by_test_id("run-status")).to_have_text("completed")
    expect(node(page, "ok")).to_have_attribute("data-state", "done")
    expect(node(page, "done")).to_have_attribute("data-state", "done")
    expect(node(page, "stop")).to_have_attribute("data-state", "")
    tab.shot("run-done")


def test_approve_and_reject_with_a_comment_and_the_runs_move_on(
        tab: Tab, browser: Browser, server: Server, change_workflow: str) -> None:
    yes, no = start_change(server, change_workflow, "CHG-8"), start_change(server, change_workflow, "CHG-9")
    page = tab.sign_in("erin", "approvals")
    card_yes = page.locator(".approval", has_text="Roll out change CHG-8?")
    card_no = page.locator(".approval", has_text="Roll out change CHG-9?")
    expect(card_yes).to_be_visible()
    assert unlabelled_controls(page) == []
    tab.shot("approvals")
    card_no.get_by_label("Comment", exact=True).fill("not this week")
    card_no.get_by_role("button", name="Reject").click()
    expect(card_no.get_by_role("status")).to_have_text("Rejected.")
    assert server.sql("SELECT a.status, a.rejection_reason FROM automation.workflow_approvals a"
                      " JOIN automation.workflow_executions e ON e.id = a.execution_id"
                      " WHERE e.instance_id = %s", (no,)) == [("rejected", "not this week")]
    card_yes.get_by_label("Comment", exact=True).fill("go ahead")
    card_yes.get_by_role("button", name="Approve").click()
    expect(card_yes.get_by_role("status")).to_have_text("Approved.")
    expect(card_yes.get_by_role("button", name="Approve")).to_have_count(0)
    card_yes.get_by_role("link", name="Open the run").click()
    expect(page).to_have_url(f"{server.base}/#/runs/{yes}")
    expect(page.get_by_test_id("run-status")).to_have_text("completed")
    expect(node(page, "done")).to_have_attribute("data-state", "done")
    page.goto(f"{server.base}/#/runs/{no}")
    expect(page.get_by_test_id("run-status")).to_have_text("completed")
    expect(node(page, "stop")).to_have_attribute("data-state", "done")
    expect(node(page, "done")).to_have_attribute("data-state", "")
    page.goto(f"{server.base}/#/approvals")
    expect(page.locator(".approval", has_text="CHG-8")).to_have_count(0)  # no longer pending
    # bob holds no approver role: he sees no approval at all
    other = Tab(browser, server)
    bob = other.sign_in("bob", "approvals")
    expect(bob.get_by_text("No pending approvals for your roles.")).to_be_visible()
    other.close()


def test_runs_list_filters_and_pause_resume_cancel(tab: Tab, server: Server,
                                                   change_workflow: str) -> None:
    run = start_change(server, change_workflow, "CHG-10")
    page = tab.sign_in("alice", "runs")
    table = page.get_by_role("table", name="Runs, newest first")
    expect(table.get_by_role("link", name=run[:8])).to_be_visible()
    page.get_by_label("Status").select_option("completed")
    expect(table.get_by_role("link", name=run[:8])).to_have_count(0)
    page.get_by_label("Status").select_option("running")
    expect(table.get_by_role("link", name=run[:8])).to_be_visible()
    page.get_by_label("Workflow").select_option(label="Vulnerability triage 1.0.0")
    expect(page.get_by_text("No runs you may see match.")).to_be_visible()
    page.get_by_label("Workflow").select_option(label="Change approval 1.0.0")
    page.get_by_label("Status").select_option("")
    expect(table.get_by_role("link", name=run[:8])).to_be_visible()
    assert unlabelled_controls(page) == []
    tab.shot("runs")
    table.get_by_role("link", name=run[:8]).click()
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_test_id("run-status")).to_have_text("paused")
    page.get_by_role("button", name="Resume").click()
    expect(page.get_by_test_id("run-status")).to_have_text("running")
    page.get_by_role("button", name="Cancel run").click()
    expect(page.get_by_test_id("run-status")).to_have_text("cancelled")
    expect(page.get_by_role("button", name="Pause")).to_have_count(0)
    assert server.sql("SELECT status FROM automation.workflow_instances WHERE id = %s",
                      (run,)) == [("cancelled",)]


def test_runs_list_shows_and_finds_the_business_key(tab: Tab, server: Server, change_workflow: str) -> None:
    keyed = server.api("POST", f"/workflows/{change_workflow}/runs", "alice",
                       {"input": {"change": "CHG-11"}, "business_key": "CHANGE-2026-011"})["run_id"]
    other = start_change(server, change_workflow, "CHG-12")
    page = tab.sign_in("alice", "runs")
    table = page.get_by_role("table", name="Runs, newest first")
    row = table.get_by_role("row").filter(has=page.get_by_role("link", name=keyed[:8]))
    expect(row.get_by_test_id("run-key")).to_have_text("CHANGE-2026-011")
    expect(table.get_by_role("link", name=other[:8])).to_be_visible()
    page.get_by_label("Business key").fill("CHANGE-2026-011")
    page.get_by_label("Business key").press("Enter")
    expect(table.get_by_role("link", name=other[:8])).to_have_count(0)
    expect(table.get_by_role("row")).to_have_count(2)  # the header and the one run
    expect(table.get_by_role("link", name=keyed[:8])).to_be_visible()
    page.get_by_label("Business key").fill("NO-SUCH-KEY")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("No runs you may see match.")).to_be_visible()
    page.get_by_label("Business key").fill("")
    expect(table.get_by_role("link", name=other[:8])).to_be_visible()
    page.goto(f"{server.base}/#/runs/{keyed}")
    expect(page.locator(".facts")).to_contain_text("CHANGE-2026-011")


def worker_graph() -> dict[str, Any]:
    return {
        "nodes": [
            {"id": "start", "type": "trigger", "position": {"x": 0, "y": 0},
             "data": {"label": "Asked", "triggerType": "manual"}},
            {"id": "work", "type": "action", "position": {"x": 240, "y": 0},
             "data": {"label": "Call the scanner", "connector": "ui_test_scanner", "input": {}}},
            {"id": "done", "type": "end", "position": {"x": 480, "y": 0}, "data": {"label": "Scanned"}},
        ],
        "edges": [{"id": "e1", "source": "start", "target": "work"},
                  {"id": "e2", "source": "work", "target": "done"}],
        "viewport": {"x": 0, "y": 0, "zoom": 1},
    }


def worker_step(server: Server, run: str) -> str:
    """A worker leases the run's pending scanner step (no worker runs beside this module's
    pgwf serve; the topic is this test's own, so no other step is leased)."""
    (step,), = server.sql("SELECT execution_id::text FROM automation.claim_steps('ui-test', ARRAY['action'],"
                          " 300, 10, ARRAY['ui_test_scanner']) WHERE instance_id = %s", (run,))
    return str(step)


def test_retry_a_failed_run_from_its_page(tab: Tab, server: Server) -> None:
    saved = server.api("POST", "/workflows", "alice", {"workflow_data": worker_graph(), "name": "Scan"})
    server.api("POST", f"/workflows/{saved['id']}/deploy", "alice", {})
    run = server.api("POST", f"/workflows/{saved['id']}/runs", "alice", {"input": {}})["run_id"]
    server.sql("SELECT automation.fail_step(%s, 'scanner unreachable', false, 'ui-test')",
               (worker_step(server, run),))
    page = tab.sign_in("alice", f"runs/{run}")
    expect(page.get_by_test_id("run-status")).to_have_text("failed")
    expect(node(page, "work")).to_have_attribute("data-state", "failed")
    expect(node(page, "work")).to_contain_text("scanner unreachable")
    expect(page.get_by_role("button", name="Pause")).to_have_count(0)
    tab.shot("run-failed")
    page.get_by_role("button", name="Retry from the failed step").click()
    expect(page.get_by_role("status")).to_have_text("retry: the run is running")
    expect(page.get_by_test_id("run-status")).to_have_text("running")
    expect(node(page, "work")).to_have_attribute("data-state", "worker")
    expect(page.get_by_role("button", name="Retry from the failed step")).to_have_count(0)
    # the page polls again: a worker finishes the new step and the run is seen to end
    server.sql("SELECT automation.complete_step(%s, '{}', 'ui-test')", (worker_step(server, run),))
    expect(page.get_by_test_id("run-status")).to_have_text("completed")
    expect(node(page, "done")).to_have_attribute("data-state", "done")


# --------------------------------------------------------------------------
# 5. designer


def test_draw_validate_save_deploy_and_run_a_three_node_workflow(tab: Tab, server: Server) -> None:
    page = tab.sign_in("alice", "designer/new")
    page.get_by_label("Name").fill("Tell the team")
    for kind in ("trigger", "notification", "end"):
        page.get_by_label("Node type").select_option(kind)
        page.get_by_role("button", name="Add node").click()
    expect(page.locator(".react-flow__node")).to_have_count(3)
    # one edge drawn with the mouse, from the trigger's handle to the notification
    src = page.locator('.react-flow__node[data-id="trigger_1"] .react-flow__handle.source')
    dst = page.locator('.react-flow__node[data-id="notification_1"] .react-flow__handle.target')
    a, b = src.bounding_box(), dst.bounding_box()
    assert a and b
    page.mouse.move(a["x"] + a["width"] / 2, a["y"] + a["height"] / 2)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2, steps=8)
    page.mouse.up()
    expect(page.locator(".react-flow__edge")).to_have_count(1)
    # the end is not connected yet: the database's refusal is pinned on that node
    page.get_by_role("button", name="Validate", exact=True).click()
    expect(node(page, "end_1")).to_contain_text("cannot be reached from any trigger node")
    expect(page.locator(".react-flow__node .has-error")).to_have_count(1)
    assert unlabelled_controls(page) == []
    tab.shot("designer-error")
    # the rest by keyboard-reachable controls: configure the notification, connect it to the end
    page.get_by_label("Node", exact=True).select_option("notification_1")
    page.get_by_label("Configuration (JSON)").fill(json.dumps(
        {"channel": "email", "recipients": ["team@example.org"], "subject": "Hello",
         "message": "A run said hello"}))
    page.get_by_role("button", name="Apply").click()
    page.get_by_label("To node").select_option("end_1")
    page.get_by_role("button", name="Connect", exact=True).click()
    expect(page.locator(".react-flow__edge")).to_have_count(2)
    page.get_by_role("button", name="Validate", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("The graph is valid.")
    expect(page.locator(".react-flow__node .has-error")).to_have_count(0)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", name="Tell the team 1.0.0")).to_be_visible()
    page.get_by_role("button", name="Deploy", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Deployed version 1.0.0.")
    tab.shot("designer")
    page.get_by_role("button", name="Start run").click()
    expect(page.get_by_test_id("run-status")).to_have_text("completed")
    for n in ("trigger_1", "notification_1", "end_1"):
        expect(node(page, n)).to_have_attribute("data-state", "done")
    (graph,), = server.sql("SELECT workflow_data FROM automation.workflows WHERE name = 'Tell the team'")
    assert [n["id"] for n in graph["nodes"]] == ["trigger_1", "notification_1", "end_1"]
    assert all("position" in n and not any(k.startswith("__") for k in n["data"]) for n in graph["nodes"])
    assert server.sql("SELECT count(*) FROM automation.workflow_notifications n"
                      " JOIN automation.workflow_instances i ON i.id = n.instance_id"
                      " JOIN automation.workflows w ON w.id = i.workflow_id"
                      " WHERE w.name = 'Tell the team'") == [(1,)]


def test_the_designer_pins_errors_on_edges_and_nodes_and_saves_a_new_version(tab: Tab, server: Server) -> None:
    saved = server.api("POST", "/workflows", "alice", {"workflow_data": form_graph(), "name": "Claim triage"})
    server.api("POST", f"/workflows/{saved['id']}/deploy", "alice", {})
    page = tab.sign_in("alice", f"designer/{saved['id']}")
    expect(page.get_by_role("heading", name="Claim triage 1.0.0")).to_be_visible()
    expect(node(page, "review")).to_contain_text("Review the claim")
    # a malformed condition on an edge: the refusal is pinned on that edge
    page.get_by_label("Edge", exact=True).select_option("e2")
    conditions = page.get_by_label("Conditions (JSON list, all must hold)")
    good = conditions.input_value()
    conditions.fill(json.dumps([{"field": "amount", "operator": "roughly", "value": 100}]))
    page.get_by_test_id("edge-form").get_by_role("button", name="Apply").click()
    page.get_by_role("button", name="Validate", exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text("edge e2 has a malformed condition")
    expect(page.locator(".react-flow__edge.edge-error")).to_have_count(1)
    expect(page.locator('.react-flow__edge.edge-error[data-id="e2"]')).to_have_count(1)
    conditions.fill(good)
    page.get_by_test_id("edge-form").get_by_role("button", name="Apply").click()
    # a task form the database does not take: pinned on the task's node
    page.get_by_label("Node", exact=True).select_option("review")
    config = page.get_by_label("Configuration (JSON)")
    expect(page.get_by_test_id("node-form")).to_contain_text("A task's form is the form its inbox shows")
    data = json.loads(config.input_value())
    data["form"] = [{"name": "amount", "type": "money"}]
    config.fill(json.dumps(data))
    page.get_by_test_id("node-form").get_by_role("button", name="Apply").click()
    page.get_by_role("button", name="Validate", exact=True).click()
    expect(node(page, "review")).to_contain_text('form field #1 amount: type "money" is not one of')
    expect(page.locator(".react-flow__node .has-error")).to_have_count(1)
    expect(page.locator(".react-flow__edge.edge-error")).to_have_count(0)
    data["form"] = CLAIM_FORM + [{"name": "agent_note", "label": "Agent note", "type": "text"}]
    config.fill(json.dumps(data))
    page.get_by_test_id("node-form").get_by_role("button", name="Apply").click()
    page.get_by_role("button", name="Validate", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("The graph is valid.")
    # the deployed version is never changed: saving makes the next one
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", name="Claim triage 1.1.0")).to_be_visible()
    rows = server.sql("SELECT version, jsonb_array_length(workflow_data #> '{nodes,1,data,form}')"
                      " FROM automation.workflows WHERE name = 'Claim triage' ORDER BY created_at")
    assert rows == [("1.0.0", 5), ("1.1.0", 6)]


BAD_BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
             xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="urn:ui-test">
  <process id="refused_process" name="Refused" isExecutable="true">
    <startEvent id="begin"/>
    <complexGateway id="runScript" name="Merge by rule"/>
    <userTask id="review" name="Review" camunda:candidateGroups="INTAKE_ANALYST">
      <extensionElements><camunda:taskListener event="create" class="x.Y"/></extensionElements>
    </userTask>
    <endEvent id="finish"/>
    <sequenceFlow id="f1" sourceRef="begin" targetRef="runScript"/>
    <sequenceFlow id="f2" sourceRef="runScript" targetRef="review"/>
    <sequenceFlow id="f3" sourceRef="review" targetRef="finish"/>
  </process>
</definitions>
"""


def test_bpmn_is_drawn_read_only_and_a_refused_upload_lists_its_elements(
        tab: Tab, server: Server, tmp_path: Path) -> None:
    page = tab.sign_in("alice", "designer")
    page.get_by_role("link", name="OneCMS next generation case routing").click()
    expect(page.get_by_role("heading", name="(BPMN, read-only)")).to_be_visible()
    expect(page.locator(".react-flow__node").first).to_be_visible()
    assert page.locator(".react-flow__node").count() >= 5
    expect(page.get_by_role("button", name="Add node")).to_have_count(0)
    tab.shot("designer-bpmn")
    bad = tmp_path / "refused.bpmn20.xml"
    bad.write_text(BAD_BPMN)
    page.get_by_label("BPMN file").set_input_files(str(bad))
    page.get_by_role("button", name="Deploy BPMN").click()
    refusals = page.get_by_role("list", name="Refused elements")
    expect(refusals.locator('[data-element-id="runScript"]')).to_be_visible()
    expect(refusals.locator('[data-element-id="review"]')).to_contain_text("taskListener")
    tab.shot("bpmn-refused")
    assert server.sql("SELECT count(*) FROM flowable.workflow_definitions"
                      " WHERE process_key = 'refused_process'") == [(0,)]


# --------------------------------------------------------------------------
# 6. queues, reports, phone width, bundle size


def test_queues_and_reports_pages(tab: Tab) -> None:
    page = tab.sign_in("alice", "queues")
    table = page.get_by_role("table", name="Queues you may see, with their load")
    expect(table.get_by_role("cell", name="intake", exact=True)).to_be_visible()
    assert unlabelled_controls(page) == []
    tab.shot("queues")
    page.get_by_role("link", name="Reports").click()
    page.get_by_label("Report", exact=True).select_option("active-tasks-by-queue")
    report = page.get_by_role("table", name="active-tasks-by-queue")
    expect(report).to_be_visible()
    # the chart draws the report's rows; earlier tests of this module may have closed every
    # task alice sees, and an empty report has no chart
    if report.locator("tbody tr").count() > 0:
        expect(page.get_by_role("img", name="by queue_name")).to_be_visible()
    else:
        expect(page.get_by_role("img", name="by queue_name")).to_have_count(0)
    assert unlabelled_controls(page) == []
    tab.shot("reports")


@pytest.mark.parametrize("fragment", ["inbox", "approvals", "runs", "designer", "queues", "reports"])
def test_every_page_fits_a_phone_screen(browser: Browser, server: Server, fragment: str) -> None:
    t = Tab(browser, server, PHONE)
    page = t.sign_in("alice", fragment)
    expect(page.locator("main h1").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{fragment} is {overflow}px wider than a phone"
    if fragment in ("inbox", "runs"):
        t.shot(f"phone-{fragment}")
    t.close()


def test_a_run_and_a_task_form_fit_a_phone_screen(browser: Browser, server: Server, change_workflow: str) -> None:
    saved = server.api("POST", "/workflows", "alice", {"workflow_data": form_graph(), "name": "Claim on a phone"})
    server.api("POST", f"/workflows/{saved['id']}/deploy", "alice", {})
    run = server.api("POST", f"/workflows/{saved['id']}/runs", "alice", {"input": {}})["run_id"]
    (task,), = server.sql("SELECT task_id FROM flowable.workflow_tasks WHERE process_instance_id = %s", (run,))
    t = Tab(browser, server, PHONE)
    for fragment, name in ((f"inbox/{task}", "task"), (f"runs/{run}", "run")):
        page = t.sign_in("alice", fragment) if name == "task" else t.open(fragment)
        expect(page.get_by_role("heading", name="Review the claim" if name == "task" else "Claim on a phone 1.0.0"))\
            .to_be_visible()
        page.wait_for_load_state("networkidle")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{fragment} is {overflow}px wider than a phone"
        assert unlabelled_controls(page) == []
        t.shot(f"phone-{name}")
    t.close()


def test_keyboard_reaches_the_navigation(tab: Tab) -> None:
    page = tab.sign_in("alice")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Inbox"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Approvals")).to_be_visible()


def test_the_first_load_stays_small() -> None:
    sizes = {p.name: len(gzip.compress(p.read_bytes())) for p in (DIST / "assets").iterdir()
             if p.suffix in (".js", ".css")}
    assert sizes, "no bundle in ui/dist/assets"
    assert sum(sizes.values()) < BUNDLE_BUDGET_GZIP, sizes
