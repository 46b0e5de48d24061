"""BPMN messages and signals over HTTP and from the CLI: POST /messages delivers a message to
the one run waiting for it (409 when several wait and nothing tells them apart), POST /signals
broadcasts; `pgwf message send` and `pgwf signal send` do the same as a person."""

from __future__ import annotations

import json
from typing import Any

from api_helpers import Api, api_fixture  # noqa: F401  (the api fixture)
from cli_helpers import run_pgwf

GRAPH: dict[str, Any] = {
    "nodes": [{"id": "s", "type": "trigger", "position": {"x": 0, "y": 0}, "data": {}},
              {"id": "paid", "type": "receive", "position": {"x": 100, "y": 0}, "data": {"name": "paid"}},
              {"id": "go", "type": "event", "position": {"x": 200, "y": 0},
               "data": {"event": "signal", "name": "release"}},
              {"id": "e", "type": "end", "position": {"x": 300, "y": 0}, "data": {}}],
    "edges": [{"id": "f1", "source": "s", "target": "paid"}, {"id": "f2", "source": "paid", "target": "go"},
              {"id": "f3", "source": "go", "target": "e"}],
}


def start(api: Api, key: str) -> tuple[str, str]:
    wid = api.post("/workflows", "alice", body={"workflow_data": GRAPH, "name": "paying"}).body["id"]
    assert api.post(f"/workflows/{wid}/deploy", "alice").status == 200
    first = api.post(f"/workflows/{wid}/runs", "alice", body={"business_key": key, "input": {"n": 1}})
    second = api.post(f"/workflows/{wid}/runs", "alice", body={"business_key": key + "-b", "input": {"n": 2}})
    assert first.status == 200 and second.status == 200, (first.body, second.body)
    return first.body["run_id"], second.body["run_id"]


def node_of(api: Api, run: str) -> list[str]:
    return [r[0] for r in api.sql("SELECT node_id FROM automation.workflow_tokens WHERE instance_id = %s", (run,))]


def test_messages_and_signals_over_http(api: Api) -> None:
    run1, run2 = start(api, "INV-1")
    assert node_of(api, run1) == ["paid"]
    several = api.post("/messages", "alice", body={"name": "paid"})
    assert several.status == 409, several.body
    assert "matches 2 waiting catches" in several.body["error"]["message"]
    assert node_of(api, run1) == ["paid"] and node_of(api, run2) == ["paid"], "a refused message moves nothing"
    missing = api.post("/messages", "alice", body={"name": "paid", "business_key": "nope"})
    assert missing.status == 200 and missing.body["correlated"] is False and missing.body["reason"]
    ok = api.post("/messages", "alice", body={"name": "paid", "business_key": "INV-1", "variables": {"amount": 5}})
    assert ok.status == 200 and ok.body == {"correlated": True, "instance_id": run1, "node_id": "paid"}
    assert node_of(api, run1) == ["go"]
    by_var = api.post("/messages", "alice", body={"name": "paid", "correlation": {"n": 2}})
    assert by_var.status == 200 and by_var.body["instance_id"] == run2
    bad = api.post("/messages", "alice", body={"name": "paid", "correlation": [1]})
    assert bad.status == 400, bad.body
    signal = api.post("/signals", "alice", body={"name": "release"})
    assert signal.status == 200 and signal.body["delivered"] == 2, signal.body
    status = api.sql("SELECT count(*) FROM automation.workflow_instances WHERE id IN (%s, %s) AND status = 'completed'",
                     (run1, run2))[0][0]
    assert status == 2


def test_message_and_signal_from_the_cli(api: Api) -> None:
    run1, _ = start(api, "CLI-1")
    url = api.db_url
    missing = run_pgwf("message", "send", "paid", "--as", "alice", "--business-key", "nobody", url=url)
    assert missing.returncode == 3, missing.stdout + missing.stderr
    assert json.loads(missing.stdout)["correlated"] is False
    sent = run_pgwf("message", "send", "paid", "--as", "alice", "--business-key", "CLI-1", "--var", "amount=7", url=url)
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert json.loads(sent.stdout)["instance_id"] == run1
    several = run_pgwf("message", "send", "paid", "--as", "alice", "--correlate", "nope=1", url=url)
    assert several.returncode == 3
    shout = run_pgwf("signal", "send", "release", "--as", "alice", url=url)
    assert shout.returncode == 0, shout.stderr
    assert json.loads(shout.stdout)["delivered"] == 1
    bad = run_pgwf("message", "send", "paid", "--as", "alice", "--var", "novalue", url=url)
    assert bad.returncode != 0 and "NAME=VALUE" in bad.stderr
