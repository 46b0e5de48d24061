"""Each connector against a real peer on loopback: pytest-httpserver speaking
the service's API shape (http, slack, gitlab, tenable) and an aiosmtpd SMTP
server (email)."""

from __future__ import annotations

import json
import socket
import time
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from pgwf import connectors
from pgwf.connectors import Connection, ConnectorError, connection_from_env
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response


def conn(**settings: Any) -> Connection:
    return Connection("test", settings)


# -------------------------------------------------------------------- http

def test_http_posts_json_and_returns_the_answer(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hooks/x", method="POST", json={"a": 1},
                              headers={"Authorization": "Bearer s3"}).respond_with_json({"ok": True})
    out = connectors.get("http").run(
        {"url": "/hooks/x", "body": {"a": 1}},
        conn(base_url=httpserver.url_for("/"), headers={"Authorization": "Bearer s3"}))
    assert out == {"status": 200, "body": {"ok": True}}


def test_http_5xx_is_retryable_and_4xx_is_not(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/busy").respond_with_data("later", status=503)
    httpserver.expect_request("/bad").respond_with_data("no", status=422)
    with pytest.raises(ConnectorError) as busy:
        connectors.get("http").run({"url": httpserver.url_for("/busy")}, conn())
    assert busy.value.retryable and "503" in str(busy.value)
    with pytest.raises(ConnectorError) as bad:
        connectors.get("http").run({"url": httpserver.url_for("/bad")}, conn())
    assert not bad.value.retryable


def test_http_answers_named_in_error_codes_are_bpmn_errors(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/gone").respond_with_data("no such order", status=404)
    httpserver.expect_request("/busy").respond_with_data("later", status=503)
    httpserver.expect_request("/bad").respond_with_data("no", status=422)
    codes = {"404": "ORDER_UNKNOWN", "4xx": "REFUSED"}
    with pytest.raises(ConnectorError) as gone:
        connectors.get("http").run({"url": httpserver.url_for("/gone"), "errorCodes": codes}, conn())
    assert (gone.value.error_code, gone.value.retryable, gone.value.status) == ("ORDER_UNKNOWN", False, 404)
    with pytest.raises(ConnectorError) as bad:
        connectors.get("http").run({"url": httpserver.url_for("/bad"), "errorCodes": codes}, conn())
    assert bad.value.error_code == "REFUSED"  # the class of the status
    with pytest.raises(ConnectorError) as busy:
        connectors.get("http").run({"url": httpserver.url_for("/busy"), "errorCodes": codes}, conn())
    assert busy.value.error_code is None and busy.value.retryable  # not named: a technical failure


def test_http_to_a_closed_port_is_retryable() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ConnectorError) as err:
        connectors.get("http").run({"url": f"http://127.0.0.1:{port}/x"}, conn(), timeout=5)
    assert err.value.retryable


def test_http_refuses_other_schemes_and_bad_input() -> None:
    with pytest.raises(ConnectorError) as err:
        connectors.get("http").run({"url": "file:///etc/passwd", "method": "GET"}, conn())
    assert not err.value.retryable
    with pytest.raises(ConnectorError, match="url is required"):
        connectors.get("http").run({}, conn())
    with pytest.raises(ConnectorError, match="headers must be of type object"):
        connectors.get("http").run({"url": "http://x", "headers": "h"}, conn())


# -------------------------------------------------------------------- slack

def test_slack_posts_text_and_blocks_to_the_webhook(httpserver: HTTPServer) -> None:
    seen: list[dict[str, Any]] = []

    def hook(request: Request) -> Response:
        seen.append(json.loads(request.data))
        return Response("ok", content_type="text/html")

    httpserver.expect_request("/services/T/B/X", method="POST").respond_with_handler(hook)
    out = connectors.get("slack").run({"text": "Finding on *web01*", "channel": "#security"},
                                      conn(webhook_url=httpserver.url_for("/services/T/B/X")))
    assert out["delivered"] is True
    assert seen[0]["text"] == "Finding on *web01*"
    assert seen[0]["channel"] == "#security"
    assert seen[0]["blocks"][0]["text"]["text"] == "Finding on *web01*"


def test_slack_reports_an_invalid_payload_answer(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook").respond_with_data("invalid_payload", status=400)
    with pytest.raises(ConnectorError) as err:
        connectors.get("slack").run({"text": "x"}, conn(webhook_url=httpserver.url_for("/hook")))
    assert not err.value.retryable


def test_slack_needs_its_webhook_url() -> None:
    with pytest.raises(ConnectorError, match="webhook_url is required"):
        connectors.get("slack").run({"text": "x"}, conn())


# -------------------------------------------------------------------- gitlab

def test_gitlab_creates_an_issue(httpserver: HTTPServer) -> None:
    seen: list[tuple[str, dict[str, Any]]] = []

    def issues(request: Request) -> Response:
        seen.append((request.headers.get("PRIVATE-TOKEN", ""), json.loads(request.data)))
        return Response(json.dumps({"id": 9001, "iid": 456, "project_id": 7,
                                    "web_url": "http://gitlab.local/security/vulnerabilities/-/issues/456"}),
                        status=201, content_type="application/json")

    httpserver.expect_request("/api/v4/projects/security/vulnerabilities/issues",
                              method="POST").respond_with_handler(issues)
    out = connectors.get("gitlab").run(
        {"project": "security/vulnerabilities", "title": "Critical findings on web01",
         "labels": ["security", "critical"]},
        conn(base_url=httpserver.url_for("/"), token="glpat-secret"))
    assert out == {"issueId": 456, "projectId": 7,
                   "issueUrl": "http://gitlab.local/security/vulnerabilities/-/issues/456"}
    assert seen == [("glpat-secret", {"title": "Critical findings on web01",
                                      "labels": "security,critical"})]


def test_gitlab_unauthorized_is_not_retryable(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v4/projects/1/issues").respond_with_json(
        {"message": "401 Unauthorized"}, status=401)
    with pytest.raises(ConnectorError) as err:
        connectors.get("gitlab").run({"project": "1", "title": "t"},
                                     conn(base_url=httpserver.url_for("/"), token="bad"))
    assert not err.value.retryable and "401" in str(err.value)


# -------------------------------------------------------------------- tenable

def test_tenable_launches_and_polls_until_completed(httpserver: HTTPServer) -> None:
    statuses = iter(["pending", "running", "completed"])
    keys: list[str] = []

    def launch(request: Request) -> Response:
        keys.append(request.headers.get("X-ApiKeys", ""))
        assert json.loads(request.data) == {"alt_targets": ["192.168.1.100"]}
        return Response(json.dumps({"scan_uuid": "uuid-1"}), content_type="application/json")

    def details(request: Request) -> Response:
        return Response(json.dumps({
            "info": {"status": next(statuses)},
            "hosts": [{"critical": 2, "high": 5, "medium": 10, "low": 6}],
        }), content_type="application/json")

    httpserver.expect_request("/scans/12345/launch", method="POST").respond_with_handler(launch)
    httpserver.expect_request("/scans/12345", method="GET").respond_with_handler(details)
    out = connectors.get("tenable").run(
        {"scan_id": 12345, "targets": ["192.168.1.100"], "poll_seconds": 0},
        conn(base_url=httpserver.url_for("/"), access_key="AK", secret_key="SK"))
    assert out == {"scanId": "12345", "scanUuid": "uuid-1", "status": "completed",
                   "vulnerabilitiesFound": 23, "highSeverity": 5, "criticalSeverity": 2}
    assert keys == ["accessKey=AK;secretKey=SK;"]


def test_tenable_an_aborted_scan_fails_for_good(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/scans/1/launch").respond_with_json({"scan_uuid": "u"})
    httpserver.expect_request("/scans/1").respond_with_json({"info": {"status": "aborted"}})
    with pytest.raises(ConnectorError) as err:
        connectors.get("tenable").run({"scan_id": 1, "poll_seconds": 0},
                                      conn(base_url=httpserver.url_for("/"), access_key="a",
                                           secret_key="s"))
    assert not err.value.retryable


def test_tenable_a_scan_still_running_at_the_deadline_is_retryable(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/scans/2/launch").respond_with_json({"scan_uuid": "u"})
    httpserver.expect_request("/scans/2").respond_with_json({"info": {"status": "running"}})
    with pytest.raises(ConnectorError) as err:
        connectors.get("tenable").run({"scan_id": 2, "poll_seconds": 0, "max_wait_seconds": 0},
                                      conn(base_url=httpserver.url_for("/"), access_key="a",
                                           secret_key="s"))
    assert err.value.retryable


# -------------------------------------------------------------------- email

class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture()
def smtp() -> Any:
    inbox = Inbox()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


def test_email_is_delivered_over_smtp(smtp: Any) -> None:
    inbox, port = smtp
    out = connectors.get("email").run(
        {"to": ["sec@example.org"], "cc": ["boss@example.org"], "subject": "Finding on web01",
         "body": "CVSS 9.8"},
        conn(host="127.0.0.1", port=port, starttls=False, **{"from": "pgwf@example.org"}))
    assert out["sent"] is True
    assert out["recipients"] == ["sec@example.org", "boss@example.org"]
    deadline = time.monotonic() + 5
    while not inbox.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    sender, rcpts, content = inbox.messages[0]
    assert sender == "pgwf@example.org"
    assert rcpts == ["sec@example.org", "boss@example.org"]
    assert b"Subject: Finding on web01" in content
    assert b"CVSS 9.8" in content


def test_email_to_a_server_that_is_not_there_is_retryable() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ConnectorError) as err:
        connectors.get("email").run({"to": ["a@b.c"], "subject": "s", "body": "b"},
                                    conn(host="127.0.0.1", port=port), timeout=5)
    assert err.value.retryable


# -------------------------------------------------------------------- connections

def test_connections_come_from_the_environment() -> None:
    env = {"PGWF_CONNECTION_GITLAB_BASE_URL": "https://gitlab.local",
           "PGWF_CONNECTION_GITLAB_TOKEN": "glpat-1",
           "PGWF_CONNECTION_HOOK_HEADERS": '{"X-Key": "v"}',
           "PGWF_CONNECTION_SMTP_PORT": "2525",
           "PGWF_CONNECTION_OTHER_TOKEN": "not mine"}
    assert connection_from_env("gitlab", env).settings == {"base_url": "https://gitlab.local",
                                                           "token": "glpat-1"}
    assert connection_from_env("hook", env).settings == {"headers": {"X-Key": "v"}}
    assert connection_from_env("smtp", env).settings == {"port": 2525}


def test_an_unknown_connector_is_refused_for_good() -> None:
    with pytest.raises(ConnectorError) as err:
        connectors.get("fax")
    assert not err.value.retryable


def test_the_cli_lists_every_connectors_declared_fields() -> None:
    from cli_helpers import run_pgwf

    result = run_pgwf("connectors", "--json", url="postgresql://127.0.0.1:1/unused")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {r["connector"] for r in rows} == set(connectors.REGISTRY)
    secrets = {(r["connector"], r["field"]) for r in rows if r["secret"]}
    assert {("gitlab", "token"), ("slack", "webhook_url"), ("tenable", "secret_key")} <= secrets
