"""Fuzz the API from its own OpenAPI document with schemathesis's engine (every
phase: examples, coverage, fuzzing, stateful) and every check it has, against
a real server on loopback: status codes, content types, response schemas and
headers, negative data rejected, schema-valid data accepted, methods and
authentication, no 5xx; plus two checks of pgwf's own: every error has the
documented body, and a refused request changes nothing in the database."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
import schemathesis
from api_helpers import Api, start_api
from conftest import create_database, drop_database
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema

# examples per operation and phase: enough to find the bugs found so far, done in a
# couple of minutes on a loaded two-core machine
MAX_EXAMPLES = 20

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
       (SELECT count(*) FROM automation.workflow_triggers),
       (SELECT count(*) FROM entitlements.api_tokens WHERE revoked_at IS NOT NULL)
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


# what the hooks and checks below need of the running test (one at a time: workers = 1)
RUN: dict[str, Any] = {}


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    api: Api | None = RUN.get("api")
    if api is None:
        return
    scenario = getattr(getattr(case.meta, "phase", None), "data", None)
    leaves_out_the_token = str(getattr(scenario, "parameter", "")).lower() == "authorization"
    if case.path == "/me/token" and case.method.upper() == "DELETE" and not leaves_out_the_token:
        # signing out spends the token: spend a throwaway one, not alice's
        token = api.sql("SELECT token FROM entitlements.create_api_token('alice')")[0][0]
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
    RUN["before"] = state(api)


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    """Keep every failure but those where a check cannot know what the API knows.

    positive_data_acceptance sends data the schema allows and expects it taken; two
    refusals of such data are right and no JSON schema can state them:
    - 422 PW422, the database's verdict on a model that is well-formed JSON but not a
      valid graph or BPMN document (automation.validate_workflow_graph, flowable.bpmn_*);
    - 400 on ?cursor=, which must be a next_cursor the API made: a drawn string is not
      one, and docs/api.md promises a 400 for it.
    """
    if type(failure).__name__ != "RejectedPositiveData":
        return True
    try:
        error = json.loads(response.content)["error"]
    except (ValueError, KeyError, TypeError):
        return True
    if response.status_code == 422 and error["code"] == "PW422":
        return False
    return not (response.status_code == 400 and "cursor" in error["message"]
                and "cursor" in (case.query or {}))


@schemathesis.check
def error_has_the_documented_body(ctx: Any, response: Any, case: Any) -> bool | None:
    if response.status_code < 400:
        return None
    payload = json.loads(response.content)
    assert set(payload) == {"error"}, payload
    assert set(payload["error"]) == {"code", "message", "detail"}, payload
    assert isinstance(payload["error"]["code"], str) and payload["error"]["message"], payload
    return True


@schemathesis.check
def refusal_changes_nothing(ctx: Any, response: Any, case: Any) -> bool | None:
    api: Api | None = RUN.get("api")
    if api is None or response.status_code < 400 or "before" not in RUN:
        return None
    assert state(api) == RUN["before"], f"a refused {case.method} {case.formatted_path} changed data"
    return True


def config(api: Api) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict({
        "seed": 16,
        "headers": {"Authorization": f"Bearer {api.tokens['alice']}"},
        "workers": 1,
        "request-timeout": 30,
        # every check, schemathesis's and the two above
        "checks": {"enabled": True},
        "generation": {
            "mode": "all",  # schema-valid and schema-violating data
            "max-examples": MAX_EXAMPLES,
            # PostgreSQL text cannot hold NUL: the API refuses it with a 400 (docs/api.md),
            # which test_api_limits.py and test_api_basics.py check; schema-valid data
            # here is data the database can store
            "allow-x00": False,
        },
    })


def test_every_operation_passes_every_check(fuzz_api: Api) -> None:
    schema = schemathesis.openapi.from_url(fuzz_api.base + "/openapi.json", config=config(fuzz_api))
    assert len(list(schema.get_all_operations())) >= 30
    RUN["api"] = fuzz_api
    failures: list[str] = []
    errors: list[str] = []
    ran: set[str] = set()
    checked: set[str] = set()
    try:
        for event in from_schema(schema).execute():
            if isinstance(event, events.ScenarioFinished):
                ran.add(event.recorder.label)
                for case_id, checks in event.recorder.checks.items():
                    for check in checks:
                        checked.add(check.name)
                        if check.failure_info is None:
                            continue
                        case = event.recorder.cases[case_id].value
                        interaction = event.recorder.interactions.get(case_id)
                        answer = interaction.response if interaction else None
                        failures.append(
                            f"{check.name}: {case.method} {case.formatted_path}"
                            f" query={case.query} body={str(case.body)[:200]} ->"
                            f" {answer.status_code if answer else '?'}"
                            f" {(answer.content or b'')[:200] if answer else ''!r}:"
                            f" {check.failure_info.failure.title}")
            elif isinstance(event, events.NonFatalError | events.FatalError):
                errors.append(str(getattr(event, "info", None) and event.info.message
                                  or getattr(event, "exception", event)))
            elif isinstance(event, events.EngineFinished):
                assert event.stop_reason == "completed", event.stop_reason
    finally:
        RUN.clear()
    assert not errors, errors
    assert len(ran) >= 30, sorted(ran)
    assert checked >= {"not_a_server_error", "status_code_conformance", "content_type_conformance",
                       "response_headers_conformance", "response_schema_conformance",
                       "negative_data_rejection", "positive_data_acceptance", "unsupported_method",
                       "ignored_auth", "error_has_the_documented_body",
                       "refusal_changes_nothing"}, sorted(checked)
    assert not failures, "\n".join(sorted(set(failures)))
