"""``tenable``: launch a Tenable scan and wait for it through the REST API."""

from __future__ import annotations

import time
from typing import Any

from pgwf.connectors.base import (
    Connection,
    Connector,
    ConnectorError,
    Field,
    http_request,
)

DONE = {"completed", "imported"}
FAILED = {"canceled", "aborted", "stopped"}


class TenableConnector(Connector):
    name = "tenable"
    input_fields = (
        Field("scan_id", "integer", required=True, help="the scan to launch"),
        Field("targets", "string_array", help="alt_targets for this launch"),
        Field("poll_seconds", "integer", help="time between status checks (default 10)"),
        Field("max_wait_seconds", "integer", help="give up (retryably) after this long (default 3600)"),
    )
    connection_fields = (
        Field("base_url", "string", required=True, help="e.g. https://cloud.tenable.com"),
        Field("access_key", "string", required=True, secret=True),
        Field("secret_key", "string", required=True, secret=True),
    )

    def call(self, step_input: dict[str, Any], connection: Connection,
             timeout: float) -> dict[str, Any]:
        base = connection.get("base_url").rstrip("/")
        headers = {"X-ApiKeys": f"accessKey={connection.get('access_key')};"
                                f"secretKey={connection.get('secret_key')};"}
        scan_id = step_input["scan_id"]
        launch_body = {"alt_targets": step_input["targets"]} if step_input.get("targets") else {}
        launched = http_request("POST", f"{base}/scans/{scan_id}/launch", json_body=launch_body,
                                headers=headers, timeout=timeout).body
        scan_uuid = launched.get("scan_uuid") if isinstance(launched, dict) else None
        poll = max(0, step_input.get("poll_seconds", 10))
        deadline = time.monotonic() + step_input.get("max_wait_seconds", 3600)
        while True:
            details = http_request("GET", f"{base}/scans/{scan_id}", headers=headers,
                                   timeout=timeout).body
            info = details.get("info", {}) if isinstance(details, dict) else {}
            status = str(info.get("status", "")).lower()
            if status in DONE:
                return self._summary(scan_id, scan_uuid, status, details)
            if status in FAILED:
                raise ConnectorError(f"tenable scan {scan_id} ended {status}", retryable=False)
            if time.monotonic() >= deadline:
                raise ConnectorError(f"tenable scan {scan_id} still {status or 'unknown'}",
                                     retryable=True)
            time.sleep(poll)

    @staticmethod
    def _summary(scan_id: int, scan_uuid: str | None, status: str,
                 details: dict[str, Any]) -> dict[str, Any]:
        hosts = details.get("hosts") or []
        critical = sum(int(h.get("critical", 0)) for h in hosts)
        high = sum(int(h.get("high", 0)) for h in hosts)
        total = sum(int(h.get(k, 0)) for h in hosts for k in ("critical", "high", "medium", "low"))
        return {"scanId": str(scan_id), "scanUuid": scan_uuid, "status": status,
                "vulnerabilitiesFound": total, "highSeverity": high, "criticalSeverity": critical}
