"""A real pgwf API on loopback, over a private migrated database with the
demo data, acting through the test login ``pgwf_test_app`` (so RLS applies),
and a small HTTP client.  Import ``api_fixture`` into a test module to get the ``api`` fixture."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import psycopg
import pytest
from pgwf import demo
from pgwf.api import create_app
from pgwf.db import Database
from werkzeug.serving import make_server

PEOPLE = ("alice", "bob", "carol", "dave", "erin")


TEST_PASSWORD = "pgwf-test-only"


def ensure_password(db_url: str, login: str) -> None:
    """Give a test login the test password unless it can already log in
    (under trust it always can).  Other test sessions may alter the same
    cluster-wide role at the same moment, hence the retry."""
    try:
        psycopg.connect(login_url(db_url, login), connect_timeout=5).close()
        return
    except psycopg.OperationalError:
        pass
    for attempt in range(5):
        try:
            with psycopg.connect(db_url, autocommit=True) as conn:
                conn.execute(f"ALTER ROLE {login} PASSWORD '{TEST_PASSWORD}'")
            return
        except psycopg.errors.InternalError:  # tuple concurrently updated
            time.sleep(0.2 * (attempt + 1))


def login_url(url: str, login: str) -> str:
    """``url`` as ``login`` over loopback TCP, with the test password (set by
    ``start_api``), so it works under trust and scram-sha-256 alike."""
    info = psycopg.conninfo.conninfo_to_dict(url)
    info["user"] = login
    info["password"] = TEST_PASSWORD
    if not info.get("host"):
        info["host"] = "127.0.0.1"
    return psycopg.conninfo.make_conninfo(**info)


@dataclass
class Response:
    status: int
    body: Any
    headers: dict[str, str]


@dataclass
class Api:
    base: str
    db_url: str
    tokens: dict[str, str] = field(default_factory=dict)

    def call(self, method: str, path: str, user: str | None = None, body: Any = None,
             token: str | None = None, raw: bytes | None = None,
             headers: dict[str, str] | None = None) -> Response:
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        bearer = token if token is not None else (self.tokens[user] if user else None)
        if bearer is not None:
            req.add_header("Authorization", f"Bearer {bearer}")
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                status, payload, hdrs = resp.status, resp.read(), dict(resp.headers)
        except urllib.error.HTTPError as err:
            status, payload, hdrs = err.code, err.read(), dict(err.headers)
        try:
            parsed = json.loads(payload) if payload else None
        except ValueError:
            parsed = payload.decode(errors="replace")
        return Response(status, parsed, hdrs)

    def get(self, path: str, user: str | None = None, **kw: Any) -> Response:
        return self.call("GET", path, user, **kw)

    def post(self, path: str, user: str | None = None, body: Any = None, **kw: Any) -> Response:
        return self.call("POST", path, user, body if body is not None else {}, **kw)

    def sql(self, query: str, params: Any = None) -> list[tuple[Any, ...]]:
        """Run SQL as the test's superuser (fixtures and checks only)."""
        with psycopg.connect(self.db_url, autocommit=True) as conn:
            cur = conn.execute(query, params)
            return cur.fetchall() if cur.description else []


def start_api(db_url: str) -> tuple[Api, Any, Database]:
    # the fixture's own load is not under the timeouts a test sets for the API (a BPMN deploy
    # takes seconds on a loaded machine)
    admin = Database(db_url, None, pooled=False, statement_timeout="300s", lock_timeout="60s")
    demo.load(admin)
    tokens: dict[str, str] = {}
    ensure_password(db_url, "pgwf_test_app")
    with psycopg.connect(db_url, autocommit=True) as conn:
        for person in PEOPLE:
            row = conn.execute("SELECT token FROM entitlements.create_api_token(%s)",
                               (person,)).fetchone()
            assert row is not None
            tokens[person] = row[0]
    database = Database(login_url(db_url, "pgwf_test_app"), "pgwf_app", 1, 4, name="pgwf-test")
    server = make_server("127.0.0.1", 0, create_app(database), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return Api(f"http://127.0.0.1:{server.server_port}", db_url, tokens), server, database


@pytest.fixture(name="api")
def api_fixture(fresh_db: str) -> Iterator[Api]:
    client, server, database = start_api(fresh_db)
    try:
        yield client
    finally:
        server.shutdown()
        database.close()
