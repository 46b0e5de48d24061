"""``http``: a generic webhook or REST call."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from pgwf.connectors.base import (
    Connection,
    Connector,
    ConnectorError,
    Field,
    http_request,
)


class HttpConnector(Connector):
    """Calls ``url`` (absolute, or relative to the connection's ``base_url``)."""

    name = "http"
    input_fields = (
        Field("url", "string", required=True, help="absolute, or relative to base_url"),
        Field("method", "string", help="GET, POST, PUT, PATCH or DELETE (default POST)"),
        Field("headers", "object"),
        Field("body", "object", help="sent as JSON"),
        Field("timeoutSeconds", "integer"),
        Field("errorCodes", "object", help='answers that are BPMN errors: {"404": "NOT_FOUND", "4xx": "REFUSED"}'),
    )
    connection_fields = (
        Field("base_url", "string"),
        Field("headers", "object", secret=True, help="e.g. an Authorization header"),
    )

    def call(self, step_input: dict[str, Any], connection: Connection,
             timeout: float) -> dict[str, Any]:
        url = step_input["url"]
        if connection.get("base_url"):
            url = urljoin(connection.get("base_url").rstrip("/") + "/", url.lstrip("/"))
        method = (step_input.get("method") or "POST").upper()
        headers = {**(connection.get("headers") or {}), **(step_input.get("headers") or {})}
        try:
            result = http_request(method, url, json_body=step_input.get("body"),
                                  headers={k: str(v) for k, v in headers.items()},
                                  timeout=step_input.get("timeoutSeconds") or timeout)
        except ConnectorError as exc:
            code = error_code_for(exc.status, step_input.get("errorCodes") or {})
            if code is None:
                raise
            raise ConnectorError(str(exc), retryable=False, error_code=code, status=exc.status) from None
        return {"status": result.status, "body": result.body}


def error_code_for(status: int | None, codes: dict[str, Any]) -> str | None:
    """The BPMN error an HTTP answer is: its exact status, else its class ("4xx")."""
    if status is None:
        return None
    code = codes.get(str(status), codes.get(f"{status // 100}xx"))
    return str(code) if code else None
