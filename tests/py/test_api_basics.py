"""The API's frame over real HTTP: tokens, the error body, health, OpenAPI,
pagination, and RLS holding for the people of the demo organisation."""

from __future__ import annotations

import re

from api_helpers import Api, api_fixture  # noqa: F401  (the api fixture)
from pgwf.api import create_app
from pgwf.api.common import ROUTE_DOCS
from pgwf.db import Database


def assert_error(resp, status: int, code: str) -> None:
    assert resp.status == status, resp.body
    assert set(resp.body) == {"error"}
    assert set(resp.body["error"]) == {"code", "message", "detail"}
    assert resp.body["error"]["code"] == code
    assert resp.body["error"]["message"]


def test_health_reports_database_and_migrations(api: Api) -> None:
    resp = api.get("/health")
    assert resp.status == 200, resp.body
    assert resp.body["status"] == "ok"
    assert resp.body["migrations"] == "current"
    assert resp.body["functions"] == "current"


def test_health_is_degraded_when_a_migration_is_missing(api: Api) -> None:
    api.sql("DELETE FROM public._yoyo_migration WHERE migration_id = "
            "(SELECT max(migration_id) FROM public._yoyo_migration)")
    resp = api.get("/health")
    assert resp.status == 503
    assert resp.body["migrations"] == "pending"
    assert len(resp.body["pending_migrations"]) == 1


def test_a_request_without_a_token_is_refused_with_401(api: Api) -> None:
    resp = api.get("/tasks")
    assert_error(resp, 401, "PW401")
    assert resp.headers.get("WWW-Authenticate", "").startswith("Bearer")


def test_an_unknown_token_is_refused_with_401(api: Api) -> None:
    assert_error(api.get("/tasks", token="pgwf_" + "0" * 64), 401, "PW401")


def test_a_revoked_token_is_refused_with_401(api: Api) -> None:
    assert api.get("/me", "alice").status == 200
    api.sql("SELECT entitlements.revoke_user_api_tokens('alice')")
    resp = api.get("/me", "alice")
    assert_error(resp, 401, "PW401")
    assert "revoked" in resp.body["error"]["message"]


def test_an_expired_token_is_refused_with_401(api: Api) -> None:
    api.sql("UPDATE entitlements.api_tokens SET created_at = now() - interval '2 days',"
            " expires_at = now() - interval '1 day' WHERE user_id = 'bob'")
    resp = api.get("/me", "bob")
    assert_error(resp, 401, "PW401")
    assert "expired" in resp.body["error"]["message"]


def test_me_is_the_owner_of_the_token(api: Api) -> None:
    me = api.get("/me", "carol").body
    assert me["user_id"] == "carol"
    assert sorted(me["roles"]) == ["INTAKE_ANALYST", "INTAKE_SUPERVISOR"]
    assert "intake" in me["queues"] and "legal_review" not in me["queues"]
    assert api.get("/me", "dave").body["roles"] == []  # his role ended yesterday


def test_unknown_routes_and_methods_have_the_error_shape(api: Api) -> None:
    assert_error(api.get("/nowhere", "alice"), 404, "PW404")
    assert_error(api.call("DELETE", "/health"), 405, "HTTP405")


def test_a_body_that_is_not_json_is_a_400(api: Api) -> None:
    resp = api.call("POST", "/tasks/claim-next", "alice", raw=b"{not json")
    assert_error(resp, 400, "PW400")


def test_a_body_that_is_not_an_object_is_a_400(api: Api) -> None:
    assert_error(api.post("/tasks/claim-next", "alice", body=["intake"]), 400, "PW400")


def test_a_field_of_the_wrong_type_is_a_400(api: Api) -> None:
    resp = api.post("/tasks/claim-next", "alice", body={"queues": "intake"})
    assert_error(resp, 400, "PW400")
    assert "queues" in resp.body["error"]["message"]


def test_a_missing_field_is_a_400(api: Api) -> None:
    assert_error(api.post("/tasks/claim-next", "alice", body={}), 400, "PW400")


def test_each_person_sees_only_the_tasks_of_their_queues(api: Api) -> None:
    def ids(user: str) -> list[str]:
        """The demo's fixed tasks this person sees (the OneCMS cases' tasks
        have generated ids; they wait in intake too)."""
        resp = api.get("/tasks", user)
        assert resp.status == 200, resp.body
        return [t["task_id"] for t in resp.body["items"] if t["task_id"].startswith("demo-task-")]

    assert ids("alice") == ["demo-task-1", "demo-task-2"]   # intake analyst, by priority
    assert ids("bob") == ["demo-task-3"]                     # legal reviewer
    assert ids("carol") == ["demo-task-1", "demo-task-2"]    # intake supervisor
    assert ids("dave") == []                                 # his role ended yesterday
    assert ids("erin") == []                                 # legal role starts tomorrow


def test_a_task_of_another_queue_is_not_found(api: Api) -> None:
    assert api.get("/tasks/demo-task-3", "bob").status == 200
    assert_error(api.get("/tasks/demo-task-3", "alice"), 404, "PW404")


def test_claim_next_takes_the_most_urgent_task_and_only_from_my_queues(api: Api) -> None:
    resp = api.post("/tasks/claim-next", "alice", body={"queues": ["intake"]})
    assert resp.status == 200, resp.body
    assert resp.body["task"]["task_id"] == "demo-task-1"
    task = api.get("/tasks/demo-task-1", "alice").body
    assert (task["status"], task["assignee_id"]) == ("CLAIMED", "alice")
    # bob works legal_review only: nothing in intake is his to take
    resp = api.post("/tasks/claim-next", "bob", body={"queues": ["intake"]})
    assert resp.status in (200, 403), resp.body
    if resp.status == 200:
        assert resp.body["task"] is None
    assert api.sql("SELECT status FROM flowable.workflow_tasks WHERE task_id = 'demo-task-2'") == [("OPEN",)]


def test_lists_page_with_a_cursor(api: Api) -> None:
    everything = [t["task_id"] for t in api.get("/tasks", "carol").body["items"]]
    assert len(everything) >= 3
    assert everything[0] == "demo-task-1"  # the most urgent first
    paged: list[str] = []
    cursor = None
    for _ in range(len(everything) + 1):
        resp = api.get("/tasks?limit=2" + (f"&cursor={cursor}" if cursor else ""), "carol")
        assert resp.status == 200, resp.body
        assert len(resp.body["items"]) <= 2
        paged += [t["task_id"] for t in resp.body["items"]]
        cursor = resp.body["next_cursor"]
        if cursor is None:
            break
    assert paged == everything


def test_a_forged_cursor_is_a_400(api: Api) -> None:
    assert_error(api.get("/tasks?cursor=!!!", "alice"), 400, "PW400")
    assert_error(api.get("/tasks?cursor=WzFd", "alice"), 400, "PW400")  # [1]: wrong arity
    assert_error(api.get("/tasks?limit=0", "alice"), 400, "PW400")
    assert_error(api.get("/tasks?limit=x", "alice"), 400, "PW400")


def test_reports_refuse_unknown_reports_and_columns(api: Api) -> None:
    assert_error(api.get("/reports/nope", "alice"), 404, "PW404")
    resp = api.get("/reports/workflow-performance?nosuchcolumn=1", "alice")
    assert resp.status in (400, 403)


def test_every_route_is_in_the_openapi_document_and_every_documented_route_exists(api: Api) -> None:
    doc = api.get("/openapi.json").body
    assert doc["openapi"].startswith("3.")
    documented = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    app = create_app(Database("postgresql:///unused", None))
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            served.add((path, method.lower()))
    assert served - documented == set(), "routes missing from /openapi.json"
    assert documented - served == set(), "documented routes that do not exist"
    assert documented == set(ROUTE_DOCS)
    for rule in app.url_map.iter_rules():  # <int:x> routes document x as an integer
        if rule.endpoint == "static":
            continue
        for name, converter in rule._converters.items():
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                param = next(p for p in doc["paths"][path][method.lower()]["parameters"]
                             if p["name"] == name)
                expected = "integer" if type(converter).__name__ == "IntegerConverter" else "string"
                assert param["schema"]["type"] == expected, (path, name)


def test_health_of_a_database_pgwf_never_migrated_is_503(empty_db: str) -> None:
    from api_helpers import ensure_password, login_url
    from werkzeug.test import Client

    ensure_password(empty_db, "pgwf_test_app")
    app = create_app(Database(login_url(empty_db, "pgwf_test_app"), "pgwf_app", pooled=False))
    resp = Client(app).get("/health")
    assert resp.status_code == 503
    assert resp.get_json()["status"] == "unavailable"


def test_a_lost_database_connection_is_a_503_and_the_next_request_works(api: Api) -> None:
    assert api.get("/me", "alice").status == 200
    api.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND usename = 'pgwf_test_app'")
    statuses = [api.get("/me", "alice").status for _ in range(6)]
    assert set(statuses) <= {200, 503}, statuses
    assert statuses[-1] == 200


def test_signing_out_revokes_only_the_token_used(api: Api) -> None:
    other = api.sql("SELECT token FROM entitlements.create_api_token('alice')")[0][0]
    resp = api.call("DELETE", "/me/token", "alice")
    assert resp.status == 200, resp.body
    assert resp.body["revoked"] is True
    assert api.get("/me", "alice").status == 401
    assert api.get("/me", token=other).status == 200  # her other token still works
