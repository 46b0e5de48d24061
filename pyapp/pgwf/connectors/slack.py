"""``slack``: a message through a Slack incoming webhook (text and blocks)."""

from __future__ import annotations

from typing import Any

from pgwf.connectors.base import (
    Connection,
    Connector,
    ConnectorError,
    Field,
    http_request,
)


class SlackConnector(Connector):
    name = "slack"
    input_fields = (
        Field("text", "string", required=True, help="fallback text, shown in notifications"),
        Field("blocks", "array", help="Block Kit blocks"),
        Field("channel", "string"),
        Field("username", "string"),
    )
    connection_fields = (Field("webhook_url", "string", required=True, secret=True),)

    def call(self, step_input: dict[str, Any], connection: Connection,
             timeout: float) -> dict[str, Any]:
        payload: dict[str, Any] = {"text": step_input["text"]}
        if step_input.get("blocks"):
            payload["blocks"] = step_input["blocks"]
        else:
            payload["blocks"] = [{"type": "section",
                                  "text": {"type": "mrkdwn", "text": step_input["text"]}}]
        for key in ("channel", "username"):
            if step_input.get(key):
                payload[key] = step_input[key]
        result = http_request("POST", connection.get("webhook_url"), json_body=payload,
                              timeout=timeout)
        if isinstance(result.body, str) and result.body.strip() not in ("ok", ""):
            raise ConnectorError(f"slack answered {result.body.strip()[:200]}", retryable=False)
        return {"delivered": True, "status": result.status}
