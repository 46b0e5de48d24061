"""The notifier: outbox rows rendered in a Jinja sandbox and delivered over
real SMTP (aiosmtpd) and a real Slack-shaped webhook on loopback; template
errors fail the notification, not the run."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest
from aiosmtpd.controller import Controller
from api_helpers import ensure_password, login_url
from pgwf.connectors import Connection
from pgwf.db import Database
from pgwf.notifier import Notifier
from pytest_httpserver import HTTPServer
from test_worker import WORKFLOW_ADMIN
from werkzeug import Request, Response


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture()
def smtp_port() -> Any:
    inbox = Inbox()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture()
def worker_db(fresh_db: str) -> Database:
    ensure_password(fresh_db, "pgwf_test_worker")
    return Database(login_url(fresh_db, "pgwf_test_worker"), "pgwf_worker", pooled=False)


def outbox(db_url: str, channel: str, recipients: Any, subject: str, message: str | None,
           data: dict[str, Any], kind: str = "step_complete") -> str:
    with psycopg.connect(db_url) as conn:
        return str(conn.execute(
            "INSERT INTO automation.workflow_notifications (notification_type, channel, recipients,"
            " subject, message, notification_data) VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
            (kind, channel, json.dumps(recipients), subject, message, json.dumps(data))).fetchone()[0])


def row(db_url: str, nid: str) -> dict[str, Any]:
    with psycopg.connect(db_url) as conn:
        cur = conn.execute("SELECT status, error_details, retry_count, sent_at FROM"
                           " automation.workflow_notifications WHERE id = %s", (nid,))
        values = cur.fetchone()
        return dict(zip([d.name for d in cur.description], values, strict=True))


def connections(**by_name: dict[str, Any]) -> Any:
    return lambda name: Connection(name, by_name.get(name, {}))


def test_an_email_is_rendered_from_its_template_and_sent(fresh_db: str, worker_db: Database,
                                                         smtp_port: Any) -> None:
    inbox, port = smtp_port
    nid = outbox(fresh_db, "email", ["sec@example.org"], "Finding on web01", None,
                 {"template": "finding", "variables": {"cvss_score": 9.8, "asset": "web01"}})
    notifier = Notifier(worker_db, worker_id="n1",
                        connection_for=connections(email={"host": "127.0.0.1", "port": port}))
    assert notifier.run_once() == [(nid, "sent", "")]
    assert row(fresh_db, nid)["status"] == "sent"
    deadline = time.monotonic() + 5
    while not inbox.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    rcpts, content = inbox.messages[0]
    assert rcpts == ["sec@example.org"]
    assert b"Subject: Finding on web01" in content
    assert b"CVSS score: 9.8" in content and b"Asset: web01" in content


def test_slack_gets_the_rendered_text(fresh_db: str, worker_db: Database,
                                      httpserver: HTTPServer) -> None:
    seen: list[dict[str, Any]] = []

    def hook(request: Request) -> Response:
        seen.append(json.loads(request.data))
        return Response("ok")

    httpserver.expect_request("/slack").respond_with_handler(hook)
    nid = outbox(fresh_db, "slack", ["#security"], "Run failed", "step call: 503",
                 {"template": "error_alert"}, kind="error_alert")
    notifier = Notifier(worker_db, connection_for=connections(
        slack={"webhook_url": httpserver.url_for("/slack")}))
    assert notifier.run_once() == [(nid, "sent", "")]
    assert seen[0]["channel"] == "#security"
    assert seen[0]["text"].startswith("*Run failed*\n")
    assert "step call: 503" in seen[0]["text"]


def test_a_broken_template_fails_the_notification_with_the_error(
        fresh_db: str, worker_db: Database, tmp_path: Path) -> None:
    (tmp_path / "broken.txt").write_text("Hello {{ variables.name ")
    (tmp_path / "sneaky.txt").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    broken = outbox(fresh_db, "email", ["a@b.c"], "s", None, {"template": "broken"})
    sneaky = outbox(fresh_db, "email", ["a@b.c"], "s", None, {"template": "sneaky"})
    missing = outbox(fresh_db, "email", ["a@b.c"], "s", None, {"template": "nowhere"})
    results = {nid: status for nid, status, _ in
               Notifier(worker_db, templates=str(tmp_path)).run_once()}
    assert results == {broken: "failed", sneaky: "failed", missing: "failed"}
    assert "template broken" in row(fresh_db, broken)["error_details"]
    assert "unsafe" in row(fresh_db, sneaky)["error_details"] or \
        "access to attribute" in row(fresh_db, sneaky)["error_details"]
    assert "does not exist" in row(fresh_db, missing)["error_details"]


def test_an_unreachable_server_is_retried_later(fresh_db: str, worker_db: Database) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    nid = outbox(fresh_db, "email", ["a@b.c"], "s", "body", {})
    notifier = Notifier(worker_db, connection_for=connections(email={"host": "127.0.0.1",
                                                                     "port": port}))
    [(got, status, _detail)] = notifier.run_once()
    assert (got, status) == (nid, "retrying")
    assert row(fresh_db, nid)["retry_count"] == 1
    assert notifier.run_once() == []  # backing off


def test_a_channel_without_a_connector_fails_for_good(fresh_db: str, worker_db: Database) -> None:
    nid = outbox(fresh_db, "sms", ["+100"], "s", "body", {})
    [(got, status, detail)] = Notifier(worker_db).run_once()
    assert (got, status) == (nid, "failed")
    assert "sms" in detail


def test_a_template_error_fails_the_notification_never_the_run(
        fresh_db: str, worker_db: Database, tmp_path: Path) -> None:
    (tmp_path / "oops.txt").write_text("{{ variables.missing.deeper }}")
    graph = {"nodes": [
        {"id": "s", "type": "trigger", "position": {"x": 0, "y": 0},
         "data": {"label": "s", "triggerType": "manual"}},
        {"id": "n", "type": "notification", "position": {"x": 1, "y": 0},
         "data": {"label": "n", "channel": "email", "recipients": ["a@b.c"],
                  "subject": "About {{who}}", "template": "oops"}},
        {"id": "e", "type": "end", "position": {"x": 2, "y": 0}, "data": {"label": "e"}}],
        "edges": [{"id": "e1", "source": "s", "target": "n"}, {"id": "e2", "source": "n", "target": "e"}],
        "viewport": {"x": 0, "y": 0, "zoom": 1}}
    with psycopg.connect(fresh_db) as conn:
        conn.execute("INSERT INTO entitlements.users (user_id, username) VALUES ('nt', 'nt')")
        for statement in WORKFLOW_ADMIN.strip().split(";\n"):  # nt may change models
            if statement.strip():
                conn.execute(statement.rstrip(";"), ("nt",) if "%s" in statement else None)
        conn.execute("SELECT set_config('app.current_user_id', 'nt', true)")
        wid = conn.execute("SELECT automation.save_workflow(%s::jsonb, 'notify')",
                           (json.dumps(graph),)).fetchone()[0]
        conn.execute("SELECT automation.deploy_workflow(%s)", (wid,))
        run = conn.execute("SELECT automation.start_workflow(%s, '{\"who\": \"web01\"}')",
                           (wid,)).fetchone()[0]
    [(nid, status, detail)] = Notifier(worker_db, templates=str(tmp_path)).run_once()
    assert status == "failed"
    assert "template oops" in detail
    with psycopg.connect(fresh_db) as conn:
        run_status = conn.execute("SELECT status FROM automation.workflow_instances WHERE id = %s",
                                  (run,)).fetchone()[0]
        subject = conn.execute("SELECT subject FROM automation.workflow_notifications"
                               " WHERE id = %s", (nid,)).fetchone()[0]
    assert run_status == "completed"
    assert subject == "About web01"
