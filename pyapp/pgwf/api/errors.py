"""The one table from SQLSTATE to HTTP status, and the error body.

Every error the API returns has the body
``{"error": {"code": ..., "message": ..., "detail": ...}}``; the codes are
those of docs/errors.md.  Nothing else decides a status.
"""

from __future__ import annotations

import logging
from typing import Any

import psycopg
from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from pgwf.errors import PgwfError

log = logging.getLogger("pgwf.api")

# SQLSTATE -> HTTP status (docs/errors.md).  Classes are matched after exact codes.
STATUS_BY_SQLSTATE: dict[str, int] = {
    "PW400": 400,
    "PW401": 401,
    "PW403": 403,
    "PW404": 404,
    "PW409": 409,
    "PW410": 410,
    "PW422": 422,
    "PW429": 429,
    "23502": 422,  # not_null_violation
    "23503": 409,  # foreign_key_violation
    "23505": 409,  # unique_violation
    "23514": 422,  # check_violation
    "23P01": 409,  # exclusion_violation
    "22P02": 422,  # invalid_text_representation
    "42501": 403,  # insufficient_privilege
    "40001": 503,  # serialization_failure: retry
    "40P01": 503,  # deadlock_detected: retry
    "55P03": 503,  # lock_not_available: retry
    "57014": 503,  # query_canceled (statement_timeout)
}
# the setting that cut a request short, named in its 503
TIMEOUT_SETTING = {"55P03": "PGWF_LOCK_TIMEOUT", "57014": "PGWF_STATEMENT_TIMEOUT"}
STATUS_BY_CLASS: dict[str, int] = {
    "22": 422,  # data exception: a value of the wrong form or range
    "23": 409,  # integrity constraint
    "08": 503,  # connection exception
    "53": 503,  # insufficient resources
    "57": 503,  # operator intervention
}


def status_for(sqlstate: str | None) -> int:
    if not sqlstate:
        return 500
    if sqlstate in STATUS_BY_SQLSTATE:
        return STATUS_BY_SQLSTATE[sqlstate]
    return STATUS_BY_CLASS.get(sqlstate[:2], 500)


class ApiError(Exception):
    """A refusal decided before the database is asked (a malformed request)."""

    def __init__(self, status: int, code: str, message: str, detail: Any = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.detail = status, code, message, detail


def error_response(status: int, code: str, message: str, detail: Any = None) -> Response:
    resp = jsonify({"error": {"code": code, "message": message, "detail": detail}})
    resp.status_code = status
    if status == 401:
        resp.headers["WWW-Authenticate"] = 'Bearer realm="pgwf"'
    return resp


def register(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> Response:
        return error_response(exc.status, exc.code, exc.message, exc.detail)

    @app.before_request
    def _no_nul() -> None:
        # PostgreSQL text cannot hold NUL: refuse it at the door, in the path or the query
        values = list((request.view_args or {}).values()) + list(request.args.values())
        if any(isinstance(v, str) and "\x00" in v for v in values):
            raise ApiError(400, "PW400", "the request path or query contains a NUL character")

    @app.errorhandler(psycopg.Error)
    def _db_error(exc: psycopg.Error) -> Response:
        diag = exc.diag
        if diag.sqlstate is None and isinstance(exc, psycopg.DataError):
            # refused by the driver before the server saw it (e.g. a NUL in a text value)
            return error_response(400, "PW400", str(exc).splitlines()[0], None)
        if diag.sqlstate is None and isinstance(exc, psycopg.OperationalError):
            # the connection broke (server restarted): the pool drops it; try again
            log.warning("database connection lost: %s", str(exc).splitlines()[0] if str(exc) else exc)
            return error_response(503, "PW503", "the database connection was lost; retry", None)
        code = diag.sqlstate or "XX000"
        status = status_for(diag.sqlstate)
        if status >= 500 and status != 503:
            log.exception("database error %s", code)
            return error_response(500, code, "internal error", None)
        message = diag.message_primary or str(exc).splitlines()[0]
        if code in TIMEOUT_SETTING:
            message = (f"{message}: the database did not answer within {TIMEOUT_SETTING[code]};"
                       " nothing was changed, retry")
        detail: Any = diag.message_detail
        if diag.constraint_name:
            detail = {"constraint": diag.constraint_name, "detail": diag.message_detail}
        if diag.message_hint:
            detail = {"detail": detail, "hint": diag.message_hint} if not isinstance(detail, dict) \
                else {**detail, "hint": diag.message_hint}
        return error_response(status, code, message, detail)

    @app.errorhandler(PgwfError)
    def _pgwf_error(exc: PgwfError) -> Response:
        return error_response(503, "PW503", str(exc), None)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        """What werkzeug and Flask refuse themselves, in the same body."""
        status = exc.code or 500
        code = {400: "PW400", 401: "PW401", 403: "PW403", 404: "PW404", 409: "PW409",
                415: "PW400", 413: "PW400"}.get(status, f"HTTP{status}")
        message = exc.description or exc.name
        if status == 413:
            size = f" is {request.content_length} bytes," if request.content_length else " is"
            message = (f"the request body{size} over the limit of {request.max_content_length}"
                       " bytes")
        resp = error_response(status, code, message, None)
        if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
            resp.headers["Allow"] = ", ".join(exc.valid_methods)
        return resp

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("unexpected error")
        return error_response(500, "XX000", "internal error", None)
