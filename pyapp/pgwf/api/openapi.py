"""``GET /openapi.json``: the OpenAPI 3 document, assembled from the
operation each route records with ``@documented`` where it is defined."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify

from pgwf import __version__
from pgwf.api.common import ROUTE_DOCS, SCHEMAS, documented

bp = Blueprint("openapi", __name__)

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "detail"],
            "properties": {
                "code": {"type": "string", "description": "SQLSTATE (docs/errors.md)"},
                "message": {"type": "string"},
                "detail": {"nullable": True},
            },
        }
    },
}
PAGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["items", "next_cursor"],
    "properties": {
        "items": {"type": "array", "items": {"type": "object"}},
        "next_cursor": {"type": "string", "nullable": True,
                        "description": "pass as ?cursor= for the next page; null on the last"},
    },
}


def document() -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for (path, method), op in sorted(ROUTE_DOCS.items()):
        paths.setdefault(path, {})[method] = op
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "pgwf",
            "version": __version__,
            "description": "Workflow management in PostgreSQL: every call runs as the person "
                           "the bearer token belongs to, and the database decides.",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": ERROR_SCHEMA, "Page": PAGE_SCHEMA, **SCHEMAS},
        },
    }


@bp.get("/openapi.json")
@documented("/openapi.json", "get", "This OpenAPI document", tag="meta", auth=False)
def openapi_json() -> Response:
    return jsonify(document())
