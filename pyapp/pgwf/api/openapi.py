"""``GET /openapi.json``: the OpenAPI 3 document, assembled from the
operation each route records with ``@documented`` where it is defined."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Flask, Response, jsonify, request

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


def _documented_methods(rule: str) -> set[str]:
    """The methods /openapi.json documents for a Flask rule (``<int:version>`` is ``{version}``)."""
    path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)
    return {method.upper() for (p, method) in ROUTE_DOCS if p == path}


def register(app: Flask) -> None:
    @app.after_request
    def _allow(resp: Response) -> Response:
        # Flask's OPTIONS answer lists the methods of every rule the URL matches, so
        # /tasks/claim-next would offer GET (of /tasks/<task_id>); list this path's own
        if request.method == "OPTIONS" and request.url_rule is not None:
            methods = _documented_methods(request.url_rule.rule)
            if methods:
                methods |= {"OPTIONS"} | ({"HEAD"} if "GET" in methods else set())
                resp.headers["Allow"] = ", ".join(sorted(methods))
        return resp
