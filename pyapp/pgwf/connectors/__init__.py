"""Connectors: the side effects a database cannot do, one small class each."""

from __future__ import annotations

from pgwf.connectors.base import (
    Connection,
    Connector,
    ConnectorError,
    connection_from_env,
)
from pgwf.connectors.email import EmailConnector
from pgwf.connectors.gitlab import GitlabConnector
from pgwf.connectors.http import HttpConnector
from pgwf.connectors.slack import SlackConnector
from pgwf.connectors.tenable import TenableConnector

REGISTRY: dict[str, Connector] = {c.name: c for c in (
    HttpConnector(), EmailConnector(), SlackConnector(), GitlabConnector(), TenableConnector())}


def get(name: str) -> Connector:
    if name not in REGISTRY:
        raise ConnectorError(f"no connector named {name!r} (known: {', '.join(sorted(REGISTRY))})",
                             retryable=False)
    return REGISTRY[name]


__all__ = ["REGISTRY", "Connection", "Connector", "ConnectorError", "connection_from_env", "get"]
