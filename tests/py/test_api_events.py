"""Events and webhooks through the API: a webhook is authenticated by its
trigger's token and the sender's address, never by a user token, and a
refused delivery starts nothing."""

from __future__ import annotations

from typing import Any

from api_helpers import Api, api_fixture  # noqa: F401  (the api fixture)

GRAPH: dict[str, Any] = {
    "nodes": [{"id": "s", "type": "trigger", "position": {"x": 0, "y": 0},
               "data": {"label": "s", "triggerType": "webhook"}},
              {"id": "e", "type": "end", "position": {"x": 1, "y": 0}, "data": {"label": "e"}}],
    "edges": [{"id": "e1", "source": "s", "target": "e"}],
    "viewport": {"x": 0, "y": 0, "zoom": 1},
}


def deployed(api: Api) -> str:
    wid = api.post("/workflows", "alice", body={"workflow_data": GRAPH, "name": "hooked"}).body["id"]
    assert api.post(f"/workflows/{wid}/deploy", "alice").status == 200
    return wid


def runs(api: Api, wid: str) -> int:
    return api.sql("SELECT count(*) FROM automation.workflow_instances i"
                   " JOIN automation.workflows w ON w.id = i.workflow_id"
                   " WHERE w.workflow_key = (SELECT workflow_key FROM automation.workflows"
                   " WHERE id = %s)", (wid,))[0][0]


def webhook_trigger(api: Api, wid: str, endpoint: str, allowed: list[str]) -> str:
    resp = api.post(f"/workflows/{wid}/triggers", "alice", body={
        "trigger_type": "webhook", "trigger_source": "api",
        "configuration": {"endpoint": endpoint, "authentication": "token", "allowedIPs": allowed}})
    assert resp.status == 200, resp.body
    assert resp.body["token"]
    return resp.body["token"]


def test_a_webhook_with_its_token_from_an_allowed_address_starts_a_run(api: Api) -> None:
    wid = deployed(api)
    token = webhook_trigger(api, wid, "/security-event", ["127.0.0.0/8"])
    resp = api.call("POST", "/hooks/security-event", body={"asset": "web01"}, token=token,
                    headers={"Idempotency-Key": "delivery-1"})
    assert resp.status == 202, resp.body
    assert resp.body["status"] == "started" and resp.body["instance_id"]
    again = api.call("POST", "/hooks/security-event", body={"asset": "web01"}, token=token,
                     headers={"Idempotency-Key": "delivery-1"})
    assert again.status == 200, again.body
    assert again.body["status"] == "duplicate"
    assert runs(api, wid) == 1


def test_a_webhook_is_refused_without_its_token_or_from_elsewhere(api: Api) -> None:
    wid = deployed(api)
    token = webhook_trigger(api, wid, "/guarded", ["10.0.0.0/8"])
    open_token = webhook_trigger(api, wid, "/open", ["127.0.0.1/32"])
    for resp in (
        api.call("POST", "/hooks/guarded", body={}, token=token),           # wrong address
        api.call("POST", "/hooks/open", body={}, token=token),              # another trigger's token
        api.call("POST", "/hooks/open", body={}),                           # no token
        api.call("POST", "/hooks/open", body={}, token=api.tokens["alice"]),  # a user token
        api.call("POST", "/hooks/nowhere", body={}, token=open_token),      # no such endpoint
    ):
        assert resp.status == 403, resp.body
        assert resp.body["error"]["code"] == "PW403"
    assert "allowedIPs" in api.call("POST", "/hooks/guarded", body={},
                                    token=token).body["error"]["detail"]
    assert runs(api, wid) == 0
    logged = api.sql("SELECT count(*) FROM automation.workflow_trigger_deliveries WHERE NOT accepted")
    assert logged[0][0] >= 6


def test_a_webhook_body_must_be_an_object(api: Api) -> None:
    wid = deployed(api)
    token = webhook_trigger(api, wid, "/strict", [])
    resp = api.call("POST", "/hooks/strict", raw=b"[1, 2]", token=token)
    assert resp.status == 400
    assert runs(api, wid) == 0


def test_publishing_an_event_starts_matching_event_triggers(api: Api) -> None:
    wid = deployed(api)
    resp = api.post(f"/workflows/{wid}/triggers", "alice", body={
        "trigger_type": "event", "trigger_source": "tenable",
        "configuration": {"eventType": "finding", "cvssThreshold": 7.0}})
    assert resp.status == 200, resp.body
    low = api.post("/events", "alice", body={"source": "tenable", "event_type": "finding",
                                             "payload": {"cvss_score": 5.0}})
    assert low.status == 200, low.body
    assert all(item["status"] != "started" for item in low.body["items"])
    high = api.post("/events", "alice", body={"source": "tenable", "event_type": "finding",
                                              "payload": {"cvss_score": 9.1}})
    assert [item["status"] for item in high.body["items"]] == ["started"]
    assert runs(api, wid) == 1
    assert api.post("/events", "alice", body={"source": "tenable"}).status == 400


def test_the_senders_address_comes_from_trusted_proxies_only(api: Api, monkeypatch: Any) -> None:
    from api_helpers import login_url
    from pgwf.api import create_app
    from pgwf.db import Database
    from werkzeug.test import Client

    wid = deployed(api)
    token = webhook_trigger(api, wid, "/behind", ["10.0.0.0/8"])
    database = Database(login_url(api.db_url, "pgwf_test_app"), "pgwf_app", pooled=False)
    request = {"json": {}, "environ_base": {"REMOTE_ADDR": "127.0.0.1"},
               "headers": {"Authorization": f"Bearer {token}", "X-Forwarded-For": "10.1.2.3"}}
    monkeypatch.delenv("PGWF_PROXY_HOPS", raising=False)
    direct = Client(create_app(database)).post("/hooks/behind", **request)
    assert direct.status_code == 403  # the header is ignored: 127.0.0.1 is not allowed
    monkeypatch.setenv("PGWF_PROXY_HOPS", "1")
    proxied = Client(create_app(database)).post("/hooks/behind", **request)
    assert proxied.status_code == 202, proxied.get_json()
    assert runs(api, wid) == 1
