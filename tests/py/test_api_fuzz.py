"""Fuzz the API from its own OpenAPI document (schemathesis) against a real
server on loopback: no 5xx, every error in the documented shape, and a
refused request changes nothing in the database."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import jsonschema_rs
import psycopg
import pytest
import schemathesis
from api_helpers import Api, start_api
from conftest import create_database, drop_database
from hypothesis import HealthCheck, given, settings
from test_api_shapes import ok_schema

STATE = """
SELECT (SELECT count(*) FROM flowable.workflow_tasks),
       (SELECT string_agg(task_id || status || coalesce(assignee_id, ''), ',' ORDER BY task_id)
          FROM flowable.workflow_tasks),
       (SELECT count(*) FROM flowable.task_history),
       (SELECT count(*) FROM automation.workflows),
       (SELECT count(*) FROM automation.workflow_instances),
       (SELECT string_agg(id::text || status, ',' ORDER BY id) FROM automation.workflow_instances),
       (SELECT count(*) FROM automation.workflow_approvals WHERE status <> 'pending'),
       (SELECT count(*) FROM flowable.workflow_variables),
       (SELECT count(*) FROM flowable.workflow_definitions),
       (SELECT count(*) FROM automation.workflow_triggers)
"""


@pytest.fixture(scope="module")
def fuzz_api(template_db: str) -> Iterator[Api]:
    name = f"pgwf_fz_{uuid.uuid4().hex[:10]}"
    url = create_database(name, template_db)
    client, server, database = start_api(url)
    try:
        yield client
    finally:
        server.shutdown()
        database.close()
        drop_database(name)


def state(api: Api) -> tuple[Any, ...]:
    with psycopg.connect(api.db_url) as conn:
        row = conn.execute(STATE).fetchone()
    assert row is not None
    return tuple(row)


DOC: dict[str, Any] = {}


def check(api: Api, case: Any, token: str | None) -> None:
    if token and case.path == "/me/token":  # signing out: spend a throwaway token, not alice's
        token = api.sql("SELECT token FROM entitlements.create_api_token('alice')")[0][0]
    before = state(api)
    headers = {"Authorization": f"Bearer {token}"} if token else {"Authorization": ""}
    response = case.call(headers=headers, timeout=30)
    where = f"{case.method} {case.formatted_path}"
    assert response.status_code < 500, (where, response.text[:500])
    content_type = (response.headers.get("content-type") or [""])[0]
    assert content_type.startswith("application/json"), (where, content_type)
    payload = response.json()
    if response.status_code >= 400:
        assert set(payload) == {"error"}, (where, payload)
        assert set(payload["error"]) == {"code", "message", "detail"}, (where, payload)
        assert isinstance(payload["error"]["code"], str) and payload["error"]["message"], where
        assert state(api) == before, f"a refused {where} changed data"
    elif token is None:
        assert case.path in ("/health", "/openapi.json"), f"{where} answered without a token"
    if response.status_code == 200 and case.path != "/openapi.json":
        if not DOC:
            DOC.update(api.get("/openapi.json").body)
        jsonschema_rs.validate(ok_schema(DOC, case.path, case.method.lower()), payload)


def test_fuzzed_requests_never_fail_the_server(fuzz_api: Api) -> None:
    """Every operation of /openapi.json, with cases hypothesis draws from it.

    (schemathesis's pytest plugin does not run under pytest 9, so the
    operations are driven here with hypothesis directly.)"""
    loaded = schemathesis.openapi.from_url(fuzz_api.base + "/openapi.json")
    operations = [result.ok() for result in loaded.get_all_operations()]
    assert len(operations) >= 30
    for operation in operations:

        @settings(max_examples=15, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def fuzz(case: Any) -> None:
            check(fuzz_api, case, fuzz_api.tokens["alice"])

        fuzz()

        @settings(max_examples=3, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def fuzz_without_a_token(case: Any) -> None:
            check(fuzz_api, case, None)

        fuzz_without_a_token()
