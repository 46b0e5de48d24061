"""Real answers of the main routes match the response schemas /openapi.json
documents for them (Task, Workflow, Run, Approval, Page)."""

from __future__ import annotations

from typing import Any

import jsonschema_rs  # comes with schemathesis
from api_helpers import Api, api_fixture  # noqa: F401  (the api fixture)
from test_api_workflows import approval_graph


def json_schema(node: Any, components: dict[str, Any]) -> Any:
    """OpenAPI 3.0 schema -> JSON Schema: resolve $ref, turn nullable into a null type."""
    if isinstance(node, list):
        return [json_schema(n, components) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return json_schema(components[node["$ref"].rsplit("/", 1)[1]], components)
    out = {k: json_schema(v, components) for k, v in node.items() if k != "nullable"}
    if node.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
    return out


def ok_schema(doc: dict[str, Any], path: str, method: str) -> Any:
    op = doc["paths"][path][method]
    schema = op["responses"]["200"]["content"]["application/json"]["schema"]
    return json_schema(schema, doc["components"]["schemas"])


def test_answers_match_their_documented_schemas(api: Api) -> None:
    doc = api.get("/openapi.json").body

    def check(path: str, method: str, resp: Any) -> None:
        assert resp.status == 200, resp.body
        jsonschema_rs.validate(ok_schema(doc, path, method), resp.body)

    inbox = api.get("/tasks", "alice")
    assert inbox.body["items"]
    check("/tasks", "get", inbox)
    check("/tasks/{task_id}", "get", api.get("/tasks/demo-task-1", "alice"))
    check("/tasks/{task_id}/claim", "post", api.post("/tasks/demo-task-1/claim", "alice"))
    check("/tasks/{task_id}/complete", "post",
          api.post("/tasks/demo-task-1/complete", "alice", body={"outcome": "ok"}))
    saved = api.post("/workflows", "alice", body={"workflow_data": approval_graph(), "name": "s"})
    check("/workflows", "post", saved)
    wid = saved.body["id"]
    check("/workflows/{workflow_id}", "get", api.get(f"/workflows/{wid}", "alice"))
    check("/workflows", "get", api.get("/workflows", "alice"))
    api.post(f"/workflows/{wid}/deploy", "alice")
    run = api.post(f"/workflows/{wid}/runs", "alice").body["run_id"]
    check("/runs/{run_id}", "get", api.get(f"/runs/{run}", "alice"))
    check("/runs", "get", api.get("/runs", "alice"))
    approvals = api.get("/approvals", "erin")
    assert approvals.body["items"]
    check("/approvals", "get", approvals)


def test_a_wrong_shape_is_caught() -> None:
    components = {"T": {"type": "object", "required": ["a"],
                        "properties": {"a": {"type": "integer", "nullable": True}}}}
    schema = json_schema({"$ref": "#/components/schemas/T"}, components)
    assert jsonschema_rs.is_valid(schema, {"a": None})
    assert not jsonschema_rs.is_valid(schema, {"a": "x"})
    assert not jsonschema_rs.is_valid(schema, {})
