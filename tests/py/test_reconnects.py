"""Broken connections are not handed to a request: after every connection of
the API's pool was cut (as a PostgreSQL restart cuts them), the next requests
answer normally; the worker's LISTEN connection, cut the same way, is opened
again.  The connections are ended with pg_terminate_backend on the test's own
database; the shared server is never restarted."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from api_helpers import Api, api_fixture  # noqa: F401 - the api fixture
from pgwf.db import Database
from pgwf.worker import CHANNEL, Worker
from test_worker import worker_url  # noqa: F401 - a fixture

pytestmark = pytest.mark.fault


def cut(db_url: str, login: str, query_like: str = "%") -> list[int]:
    with psycopg.connect(db_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND usename = %s AND query LIKE %s"
            " AND pid <> pg_backend_pid()", (login, query_like)).fetchall()
    return [r[0] for r in rows]


def test_requests_after_the_pool_lost_every_connection_do_not_fail(api: Api) -> None:
    for _ in range(4):  # warm the pool
        assert api.get("/me", "alice").status == 200
    assert cut(api.db_url, "pgwf_test_app"), "the pool had no connection to cut"
    statuses = [api.get("/me", "alice").status for _ in range(8)]
    assert statuses == [200] * 8


def listeners(db_url: str) -> list[int]:
    with psycopg.connect(db_url) as conn:
        return [r[0] for r in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND query = %s", (f"LISTEN {CHANNEL}",)).fetchall()]


def test_the_worker_listens_again_after_its_connection_was_cut(
        fresh_db: str, worker_url: str) -> None:  # noqa: F811
    worker = Worker(Database(worker_url, "pgwf_worker", pooled=False), worker_id="w")
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(stop, 0.5), daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not listeners(fresh_db) and time.monotonic() < deadline:
            time.sleep(0.2)
        first = listeners(fresh_db)
        assert len(first) == 1, first
        cut(fresh_db, "pgwf_test_worker", f"LISTEN {CHANNEL}")
        deadline = time.monotonic() + 30
        while listeners(fresh_db) in ([], first) and time.monotonic() < deadline:
            time.sleep(0.2)
        again = listeners(fresh_db)
        assert len(again) == 1 and again != first, again
    finally:
        stop.set()
        thread.join(30)
    assert not thread.is_alive()
