"""Bad input is never a 5xx, and every limit of docs/api.md "Limits" is
refused with the documented error body naming the limit: forged or
mistyped pagination cursors on every list endpoint, JSON nested too deep on
every JSON route, unknown routes and methods, bodies too large or of the
wrong type, and (against ``pgwf serve``, the real gunicorn) a URL or a
header too long for the server, sent over a raw socket."""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from api_helpers import Api, start_api
from cli_helpers import PGWF
from conftest import create_database, drop_database
from pgwf.api import events, limits, reports, tasks, workflows  # noqa: F401  (they fill ROUTE_DOCS)
from pgwf.api.common import ROUTE_DOCS
from test_up import free_port


@pytest.fixture(scope="module")
def api(template_db: str) -> Iterator[Api]:
    name = f"pgwf_lim_{uuid.uuid4().hex[:10]}"
    url = create_database(name, template_db)
    client, server, database = start_api(url)
    try:
        yield client
    finally:
        server.shutdown()
        database.close()
        drop_database(name)


def assert_refused(resp: Any, status: int, code: str = "PW400", says: str | None = None) -> None:
    assert resp.status == status, (resp.status, resp.body)
    assert isinstance(resp.body, dict) and set(resp.body) == {"error"}, resp.body
    assert set(resp.body["error"]) == {"code", "message", "detail"}, resp.body
    assert resp.body["error"]["code"] == code, resp.body
    if says is not None:
        assert says in resp.body["error"]["message"], resp.body


def list_paths() -> list[str]:
    """Every paginated route of the OpenAPI document, its path parameters filled in."""
    fill = {"{task_id}": "demo-task-1", "{workflow_id}": str(uuid.uuid4()),
            "{process_key}": "intakeBilling", "{name}": "user-workload"}
    paths = []
    for (path, method), op in sorted(ROUTE_DOCS.items()):
        if method == "get" and any(p["name"] == "cursor" for p in op.get("parameters", [])):
            for k, v in fill.items():
                path = path.replace(k, v)
            paths.append(path)
    paths += [f"/reports/{name}" for name in reports.REPORTS if name != "user-workload"]
    return paths


def encoded(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


GARBLED = ["%%%", "not a cursor", "AAAA", "////", encoded({"a": 1}), encoded("x"), encoded([]),
           encoded([1, 2, 3, 4, 5, 6]), base64.b64encode(b"\xff\xfe\x00").decode()]
# the right length, values of the wrong type for at least one sort key of every list
MISTYPED = [[v] * n for n in (1, 2, 3)
            for v in ("x", 1, -(10 ** 40), 1.5, None, True, [1], {"a": 1}, "2024-13-45T99:00:00",
                      "00000000-0000-0000-0000-00000000000g", "\u00e9" * 300)]


def test_every_list_endpoint_is_found() -> None:
    assert len(list_paths()) >= 14


@pytest.mark.parametrize("path", list_paths())
def test_a_forged_or_mistyped_cursor_is_a_400_on_every_list_endpoint(api: Api, path: str) -> None:
    for cursor in GARBLED + [encoded(v) for v in MISTYPED]:
        resp = api.get(f"{path}?cursor={quote(cursor)}", "alice")
        if resp.status == 200:  # the values happen to fit this list's sort key
            continue
        assert_refused(resp, 400, says="cursor")


@pytest.mark.parametrize("path", list_paths())
def test_a_cursor_of_strings_where_numbers_times_or_uuids_are_expected_is_a_400(
        api: Api, path: str) -> None:
    first = api.get(f"{path}?limit=1", "alice")
    assert first.status == 200, first.body
    cursor = first.body["next_cursor"]
    if cursor is None:
        pytest.skip("one page only: no cursor to tamper with")
    values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    # the cursor the API made works
    assert api.get(f"{path}?limit=1&cursor={cursor}", "alice").status == 200
    for i, value in enumerate(values):
        for wrong in ("not-a-value", 10 ** 30, 0.5, [value]):
            if isinstance(value, str) and isinstance(wrong, str):
                continue  # a string for a string key is a valid position
            tampered = list(values)
            tampered[i] = wrong
            assert_refused(api.get(f"{path}?cursor={encoded(tampered)}", "alice"), 400,
                           says="cursor")


def json_routes() -> list[tuple[str, str]]:
    fill = {"task_id": "demo-task-1", "workflow_id": str(uuid.uuid4()), "run_id": str(uuid.uuid4()),
            "approval_id": str(uuid.uuid4()), "process_key": "intakeBilling",
            "instance_id": "no-instance", "name": "v", "endpoint": "hook"}
    routes = []
    for (path, method), op in sorted(ROUTE_DOCS.items()):
        if "requestBody" in op:
            for k, v in fill.items():
                path = path.replace("{" + k + "}", v)
            routes.append((method.upper(), path))
    return routes


def nested(depth: int) -> bytes:
    return b'{"a": ' + b"[" * depth + b"]" * depth + b"}"


def test_every_json_route_is_found() -> None:
    assert len(json_routes()) >= 25


@pytest.mark.parametrize(("method", "path"), json_routes())
def test_json_nested_too_deep_is_a_400_on_every_json_route(api: Api, method: str, path: str) -> None:
    for depth in (limits.MAX_JSON_DEPTH + 1, 1_000, 100_000):
        resp = api.call(method, path, "alice", raw=nested(depth))
        assert_refused(resp, 400, says=f"nested more than {limits.MAX_JSON_DEPTH} levels")
    # at the limit it is parsed (and refused, if at all, for another reason)
    resp = api.call(method, path, "alice", raw=nested(limits.MAX_JSON_DEPTH - 1))
    assert resp.status < 500
    assert "levels" not in json.dumps(resp.body)


def test_depth_inside_strings_does_not_count(api: Api) -> None:
    deep_text = "[" * 5000 + '\\"{' * 100
    resp = api.post("/tasks/demo-task-1/comments", "alice", body={"comment": deep_text})
    assert resp.status == 200, resp.body


def test_an_unknown_route_is_a_json_404(api: Api) -> None:
    assert_refused(api.get("/nowhere/at/all", "alice"), 404, "PW404")
    assert_refused(api.get("/assets/missing.js"), 404, "PW404")


def test_a_method_a_route_does_not_have_is_a_json_405_with_allow(api: Api) -> None:
    resp = api.call("PATCH", "/tasks", "alice")
    assert_refused(resp, 405, "HTTP405")
    assert set(resp.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "HEAD", "OPTIONS"}


def test_a_body_over_the_limit_is_a_413_naming_it_before_the_token_is_checked(api: Api) -> None:
    big = b'{"comment": "' + b"x" * limits.MAX_BODY_BYTES + b'"}'
    resp = api.call("POST", "/tasks/demo-task-1/comments", token="pgwf_not-even-a-token", raw=big)
    assert_refused(resp, 413, says=f"{limits.MAX_BODY_BYTES} bytes")


def test_a_body_that_is_not_json_or_of_another_type_is_a_json_400_or_415(api: Api) -> None:
    assert_refused(api.call("POST", "/tasks/claim-next", "alice", raw=b'{"queues": ['), 400)
    assert_refused(api.call("POST", "/tasks/claim-next", "alice", raw=b"\xff\xfe"), 400)
    for kind in ("text/plain", "multipart/form-data; boundary=x", "application/xml"):
        resp = api.call("POST", "/tasks/claim-next", "alice", raw=b'{"queues": ["intake"]}',
                        headers={"Content-Type": kind})
        assert_refused(resp, 415, says="application/json")
    # what curl -d sends without -H (the README's tour) is read as JSON
    resp = api.call("POST", "/tasks/claim-next", "alice", raw=b'{"queues": ["intake"]}',
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert resp.status == 200, resp.body


# --------------------------------------------------------------------------
# the real server: pgwf serve (gunicorn), spoken to over a raw socket


@pytest.fixture(scope="module")
def served(api: Api) -> Iterator[int]:
    port = free_port()
    env = dict(os.environ, DATABASE_URL=api.db_url, PGWF_API_PORT=str(port),
               PGWF_API_WORKERS="1")
    proc = subprocess.Popen([PGWF, "serve"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if raw_request(port, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("pgwf serve never answered")
        yield port
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate(timeout=30)


def raw_request(port: int, data: bytes) -> tuple[int, dict[str, str], bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        try:
            sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before reading everything
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
            head, sep, rest = b"".join(chunks).partition(b"\r\n\r\n")
            if sep:
                lines = head.decode("latin-1").split("\r\n")
                headers = {k.strip().lower(): v.strip()
                           for k, _, v in (ln.partition(":") for ln in lines[1:])}
                if len(rest) >= int(headers.get("content-length", "0")):
                    break
    head, _, rest = b"".join(chunks).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}
    return int(lines[0].split()[1]), headers, rest


def assert_json_refusal(answer: tuple[int, dict[str, str], bytes], status: int,
                        says: str) -> None:
    got, headers, body = answer
    assert got == status, (got, body[:300])
    assert headers["content-type"].startswith("application/json"), headers
    payload = json.loads(body)
    assert set(payload) == {"error"} and set(payload["error"]) == {"code", "message", "detail"}
    assert payload["error"]["code"] == "PW400", payload
    assert says in payload["error"]["message"], payload


def test_the_server_refuses_a_20_kb_url_with_a_json_414(served: int) -> None:
    answer = raw_request(served, b"GET /tasks?q=" + b"x" * 20_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert_json_refusal(answer, 414, f"{limits.MAX_REQUEST_LINE_BYTES} bytes")


def test_the_server_refuses_a_100_kb_header_with_a_json_431(served: int) -> None:
    answer = raw_request(served, b"GET /me HTTP/1.1\r\nHost: x\r\nX-Big: " + b"y" * 100_000
                         + b"\r\n\r\n")
    assert_json_refusal(answer, 431, f"{limits.MAX_HEADER_BYTES} bytes")


def test_the_server_refuses_too_many_headers_with_a_json_431(served: int) -> None:
    many = b"".join(b"X-H%d: v\r\n" % i for i in range(limits.MAX_HEADER_FIELDS + 10))
    answer = raw_request(served, b"GET /me HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")
    assert_json_refusal(answer, 431, f"{limits.MAX_HEADER_FIELDS} header fields")


def test_the_server_refuses_a_garbled_request_line_with_a_json_400(served: int) -> None:
    answer = raw_request(served, b"GET\x01 / HTTP/1.1\r\nHost: x\r\n\r\n")
    got, headers, body = answer
    assert got == 400, body[:300]
    assert headers["content-type"].startswith("application/json")
    assert json.loads(body)["error"]["code"] == "PW400"


def test_the_server_answers_its_own_404_and_413_in_json(served: int) -> None:
    assert_json_refusal_status(raw_request(served, b"GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"),
                               404)
    big = limits.MAX_BODY_BYTES + 1
    answer = raw_request(served, b"POST /events HTTP/1.1\r\nHost: x\r\nContent-Type: "
                         b"application/json\r\nContent-Length: %d\r\n\r\n" % big)
    assert_json_refusal(answer, 413, f"{limits.MAX_BODY_BYTES} bytes")


def assert_json_refusal_status(answer: tuple[int, dict[str, str], bytes], status: int) -> None:
    got, headers, body = answer
    assert got == status, body[:300]
    assert headers["content-type"].startswith("application/json")
    assert set(json.loads(body)) == {"error"}
