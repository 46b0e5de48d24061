"""``gitlab``: open an issue through the GitLab REST API (v4)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from pgwf.connectors.base import (
    Connection,
    Connector,
    ConnectorError,
    Field,
    http_request,
)


class GitlabConnector(Connector):
    name = "gitlab"
    input_fields = (
        Field("project", "string", required=True, help="path (group/project) or numeric id"),
        Field("title", "string", required=True),
        Field("description", "string"),
        Field("labels", "string_array"),
        Field("assignee_ids", "array"),
        Field("confidential", "boolean"),
    )
    connection_fields = (
        Field("base_url", "string", required=True, help="e.g. https://gitlab.example.org"),
        Field("token", "string", required=True, secret=True, help="a token with api scope"),
    )

    def call(self, step_input: dict[str, Any], connection: Connection,
             timeout: float) -> dict[str, Any]:
        project = quote(str(step_input["project"]), safe="")
        url = f"{connection.get('base_url').rstrip('/')}/api/v4/projects/{project}/issues"
        payload: dict[str, Any] = {"title": step_input["title"]}
        if step_input.get("description"):
            payload["description"] = step_input["description"]
        if step_input.get("labels"):
            payload["labels"] = ",".join(step_input["labels"])
        for key in ("assignee_ids", "confidential"):
            if key in step_input and step_input[key] is not None:
                payload[key] = step_input[key]
        result = http_request("POST", url, json_body=payload, timeout=timeout,
                              headers={"PRIVATE-TOKEN": connection.get("token")})
        body = result.body
        if not isinstance(body, dict) or "iid" not in body:
            raise ConnectorError("gitlab did not answer with an issue", retryable=False)
        return {"issueId": body["iid"], "issueUrl": body.get("web_url"), "projectId": body.get("project_id")}
