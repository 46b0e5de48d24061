"""What every route shares: the caller's transaction, request bodies,
cursor pagination and the OpenAPI description of each route."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import decimal
import json
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import psycopg
from flask import current_app, request
from flask.json.provider import DefaultJSONProvider
from psycopg import sql

from pgwf import config
from pgwf.api import limits
from pgwf.api.errors import ApiError
from pgwf.db import Database, Row

F = TypeVar("F", bound=Callable[..., Any])


class JSONProvider(DefaultJSONProvider):
    """ISO 8601 times, numbers for numerics, strings for UUIDs."""

    sort_keys = False

    @staticmethod
    def default(o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.date | dt.time):
            return o.isoformat()
        if isinstance(o, dt.timedelta):
            return o.total_seconds()
        if isinstance(o, decimal.Decimal):
            return float(o)
        if isinstance(o, uuid.UUID):
            return str(o)
        return DefaultJSONProvider.default(o)


def database() -> Database:
    db: Database = current_app.extensions["pgwf.db"]
    return db


def bearer_token() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "PW401", "no bearer token given",
                       "send Authorization: Bearer <token> (pgwf token create USER makes one)")
    return token.strip()


@contextmanager
def as_caller(reports: bool = False) -> Iterator[psycopg.Connection[Row]]:
    """A transaction as the person the bearer token belongs to (``reports``: on the
    reporting database, a hot standby where ``PGWF_REPORTING_DATABASE_URL`` names one)."""
    db: Database = current_app.extensions["pgwf.reports_db"] if reports else database()
    with db.transaction(token=bearer_token()) as conn:
        yield conn


def rows(conn: psycopg.Connection[Row], query: str | sql.Composable,
         params: Any = None) -> list[Row]:
    return conn.execute(query, params).fetchall()  # type: ignore[arg-type]


def one(conn: psycopg.Connection[Row], query: str | sql.Composable, params: Any = None) -> Row:
    row = conn.execute(query, params).fetchone()  # type: ignore[arg-type]
    if row is None:
        raise ApiError(404, "PW404", "not found")
    return row


# --------------------------------------------------------------------------
# request bodies

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list,),
}


# JSON bodies may come as application/json, as any +json type, without a type, or as
# what curl -d sends unless told otherwise (the README's tour does)
_JSON_MIMETYPES = ("", "application/json", "application/x-www-form-urlencoded")
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_JSON_NESTING = re.compile(rb"[\[\]{}]")


def json_depth_over(raw: bytes, limit: int) -> bool:
    """Whether ``raw`` nests objects and arrays more than ``limit`` levels deep
    (brackets inside strings do not count), found without parsing it."""
    depth = 0
    for bracket in _JSON_NESTING.finditer(_JSON_STRING.sub(b"", raw)):
        if bracket.group() in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def body() -> dict[str, Any]:
    """The JSON object sent, or ``{}`` for an empty body; refused with a 400 or 415 when it
    is not JSON, of another media type, or nested deeper than the limit (docs/api.md)."""
    raw = request.get_data()  # over MAX_CONTENT_LENGTH: a 413 (pgwf.api.errors)
    if not raw:
        return {}
    mimetype = request.mimetype
    if mimetype not in _JSON_MIMETYPES and not mimetype.endswith("+json"):
        raise ApiError(415, "PW400", f"the request body must be application/json, not {mimetype}")
    if json_depth_over(raw, limits.MAX_JSON_DEPTH):
        raise ApiError(400, "PW400", "the request body is JSON nested more than "
                       f"{limits.MAX_JSON_DEPTH} levels deep (the API's limit)")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise ApiError(400, "PW400", "the request body is not valid JSON", str(exc)) from None
    if not isinstance(data, dict):
        raise ApiError(400, "PW400", "the request body must be a JSON object")
    return data


def arg(data: dict[str, Any], name: str, kind: str, required: bool = False,
        default: Any = None) -> Any:
    """One field of a body, checked for its JSON type (no business rule)."""
    if name not in data or data[name] is None:
        if required:
            raise ApiError(400, "PW400", f"field {name} is required")
        return default
    value = data[name]
    if kind == "string_array":
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    else:
        ok = isinstance(value, _JSON_TYPES[kind])
    if kind in ("integer", "number") and isinstance(value, bool):
        ok = False
    if not ok:
        raise ApiError(400, "PW400", f"field {name} must be of type {kind.replace('_', ' of ')}")
    if (kind == "string" and "\x00" in value) or (
            kind == "string_array" and any("\x00" in v for v in value)):
        raise ApiError(400, "PW400", f"field {name} must not contain NUL characters")
    return value


def query_int(name: str, default: int, lo: int, hi: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, "PW400", f"query parameter {name} must be a whole number") from None
    if not lo <= value <= hi:
        raise ApiError(400, "PW400", f"query parameter {name} must be between {lo} and {hi}")
    return value


def query_str(name: str) -> str | None:
    value = request.args.get(name)
    if value is not None and "\x00" in value:
        raise ApiError(400, "PW400", f"query parameter {name} must not contain NUL characters")
    return value


IDEMPOTENCY_HEADER = "Idempotency-Key"
# 1 to 255 visible ASCII characters, spaces inside only (a header value keeps no edge spaces)
IDEMPOTENCY_PATTERN = r"^[!-~]([ -~]{0,253}[!-~])?$"
# the OpenAPI parameter of every route that takes an idempotency key
IDEMPOTENCY_PARAM: dict[str, Any] = {
    "name": IDEMPOTENCY_HEADER, "in": "header", "required": False,
    "description": "a repeat with the same key by the same user returns the first answer; "
                   "the key with other arguments is a 422 (kept pgwf.idempotency_key_hours)",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": IDEMPOTENCY_PATTERN}}


def idempotency_key() -> str | None:
    """The request's Idempotency-Key header (None when absent); the database checks the rest."""
    value = request.headers.get(IDEMPOTENCY_HEADER)
    if value is None:
        return None
    if not re.fullmatch(IDEMPOTENCY_PATTERN, value):
        raise ApiError(400, "PW400", f"header {IDEMPOTENCY_HEADER} must be 1 to 255 visible ASCII "
                                     "characters (spaces only between them)")
    return value


# --------------------------------------------------------------------------
# cursor pagination


# what a sort key holds: a cursor's value for it must read as one (else a 400, never
# a type error from the database)
KEY_KINDS = ("text", "integer", "uuid", "timestamp")
_INT64 = 2 ** 63


@dataclass(frozen=True)
class Key:
    """A column of a list's sort order (never NULL in the rows it sorts) and its kind."""

    column: str
    desc: bool = False
    kind: str = "text"

    def __post_init__(self) -> None:
        assert self.kind in KEY_KINDS, self.kind


def _encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(values, default=JSONProvider.default).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _cursor_value(value: Any, kind: str) -> Any:
    """``value`` read as a ``kind``, or ValueError."""
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int) or not -_INT64 <= value < _INT64:
            raise ValueError
        return value
    if not isinstance(value, str) or "\x00" in value:
        raise ValueError
    if kind == "uuid":
        return uuid.UUID(value)
    if kind == "timestamp":
        moment = dt.datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError
        return moment
    return value


def _decode_cursor(cursor: str, keys: list[Key]) -> list[Any]:
    """The sort key values of a cursor this API made, each of its key's kind."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(keys):
            raise ValueError
        return [_cursor_value(v, k.kind) for v, k in zip(values, keys, strict=True)]
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):
        raise ApiError(400, "PW400", "query parameter cursor is not a cursor this API made",
                       "pass the next_cursor of the previous page unchanged") from None


def page(conn: psycopg.Connection[Row], base: sql.Composable, params: dict[str, Any],
         keys: list[Key]) -> dict[str, Any]:
    """One page of ``base`` (a SELECT) in ``keys`` order after ``?cursor=``.

    Keyset pagination: the cursor holds the sort key of the last row sent;
    rows inserted meanwhile are neither repeated nor skipped.
    """
    limit = query_int("limit", config.get_int("PGWF_PAGE_SIZE"), 1, 500)
    cursor = query_str("cursor")
    params = dict(params)
    where: sql.Composable = sql.SQL("true")
    if cursor:
        values = _decode_cursor(cursor, keys)
        ors = []
        for i, key in enumerate(keys):
            ands = [sql.SQL("p.{} = {}").format(sql.Identifier(k.column), sql.Placeholder(f"_c{j}"))
                    for j, k in enumerate(keys[:i])]
            op = sql.SQL("<" if key.desc else ">")
            ands.append(sql.SQL("p.{} {} {}").format(sql.Identifier(key.column), op,
                                                     sql.Placeholder(f"_c{i}")))
            ors.append(sql.SQL("(") + sql.SQL(" AND ").join(ands) + sql.SQL(")"))
        where = sql.SQL(" OR ").join(ors)
        params.update({f"_c{i}": v for i, v in enumerate(values)})
    order = sql.SQL(", ").join(
        sql.SQL("p.{} {}").format(sql.Identifier(k.column), sql.SQL("DESC" if k.desc else "ASC"))
        for k in keys)
    query = sql.SQL("SELECT * FROM ({}) AS p WHERE {} ORDER BY {} LIMIT {}").format(
        base, where, order, sql.Literal(limit + 1))
    found = conn.execute(query, params).fetchall()
    next_cursor = None
    if len(found) > limit:
        found = found[:limit]
        next_cursor = _encode_cursor([found[-1][k.column] for k in keys])
    return {"items": found, "next_cursor": next_cursor}


# --------------------------------------------------------------------------
# OpenAPI: each route describes itself where it is defined

ROUTE_DOCS: dict[tuple[str, str], dict[str, Any]] = {}


def _nullable(kind: str, **extra: Any) -> dict[str, Any]:
    return {"type": kind, "nullable": True, **extra}


_TIME = _nullable("string", format="date-time")
_TEXT = _nullable("string")
_JSON = _nullable("object")
_LIST = _nullable("array", items={"type": "string"})

# What the main resources look like (the columns each route selects).
SCHEMAS: dict[str, dict[str, Any]] = {
    "Task": {"type": "object", "required": ["task_id", "status", "queue_name", "priority"],
             "properties": {
                 "task_id": {"type": "string"}, "process_instance_id": {"type": "string"},
                 "task_definition_key": {"type": "string"}, "task_name": {"type": "string"},
                 "task_type": {"type": "string"}, "queue_name": {"type": "string"},
                 "assignee_id": _TEXT, "candidate_groups": _LIST, "candidate_users": _LIST,
                 "priority": {"type": "integer"},
                 "status": {"type": "string", "enum": ["OPEN", "CLAIMED", "COMPLETED", "CANCELLED",
                                                       "DELEGATED", "ESCALATED"]},
                 "form_key": _TEXT, "created_at": _TIME, "claimed_at": _TIME,
                 "claimed_by": _TEXT, "completed_at": _TIME, "completed_by": _TEXT,
                 "due_date": _TIME, "escalation_level": _nullable("integer"),
                 "task_data": _JSON, "form_data": _JSON, "outcome": _TEXT,
                 "outcome_reason": _TEXT}},
    "Workflow": {"type": "object", "required": ["id", "workflow_key", "name", "version"],
                 "properties": {
                     "id": {"type": "string", "format": "uuid"}, "workflow_key": {"type": "string"},
                     "name": {"type": "string"}, "description": _TEXT, "category": _TEXT,
                     "version": {"type": "string"}, "is_active": {"type": "boolean"},
                     "is_template": {"type": "boolean"}, "tags": _nullable("array"),
                     "configuration": _JSON, "created_by": _TEXT, "updated_by": _TEXT,
                     "created_at": _TIME, "updated_at": _TIME, "workflow_data": {"type": "object"}}},
    "Run": {"type": "object", "required": ["id", "status"],
            "properties": {
                "id": {"type": "string", "format": "uuid"}, "workflow_id": _TEXT,
                "status": {"type": "string", "enum": ["pending", "running", "completed", "failed",
                                                      "paused", "cancelled"]},
                "priority": _TEXT, "started_at": _TIME, "completed_at": _TIME, "paused_at": _TIME,
                "progress": _nullable("integer"), "current_step": _TEXT,
                "execution_context": _JSON, "output_data": _JSON, "error_details": _TEXT,
                "triggered_by": _TEXT, "trigger_source": _TEXT, "created_at": _TIME,
                "updated_at": _TIME, "business_key": _TEXT,
                "parent_instance_id": _nullable("string", format="uuid"),
                "steps": {"type": "array", "items": {"type": "object"}}}},
    "Approval": {"type": "object", "required": ["id", "approver_role", "status"],
                 "properties": {
                     "id": {"type": "string", "format": "uuid"}, "execution_id": _TEXT,
                     "approver_role": {"type": "string"}, "approver_user_id": _TEXT,
                     "status": {"type": "string"}, "requested_at": _TIME, "responded_at": _TIME,
                     "expires_at": _TIME, "approval_message": _TEXT, "rejection_reason": _TEXT,
                     "approval_data": _JSON, "instance_id": _nullable("string", format="uuid")}},
}


def _ok_schema(returns: str | None, paginated: bool) -> dict[str, Any]:
    item = {"$ref": f"#/components/schemas/{returns}"} if returns else {"type": "object"}
    if paginated:
        return {"allOf": [{"$ref": "#/components/schemas/Page"},
                          {"type": "object", "properties": {
                              "items": {"type": "array", "items": item}}}]}
    return item

# path parameters the routes declare as <int:...>
INTEGER_PATH_PARAMS = {"definition_id", "version", "case_id"}


def documented(path: str, method: str, summary: str, *, tag: str,
               params: list[dict[str, Any]] | None = None,
               body_schema: dict[str, Any] | None = None,
               responses: dict[str, str] | None = None, returns: str | None = None,
               auth: bool = True, paginated: bool = False) -> Callable[[F], F]:
    """Record the OpenAPI operation of a route (``path`` in OpenAPI form)."""

    def wrap(fn: F) -> F:
        op: dict[str, Any] = {"summary": summary, "tags": [tag], "operationId": fn.__name__}
        parameters = [
            {"name": name, "in": "path", "required": True,
             "schema": {"type": "integer", "minimum": 0} if name in INTEGER_PATH_PARAMS
             else {"type": "string"}}
            for name in _path_params(path)
        ]
        parameters += params or []
        if paginated:
            parameters += [
                {"name": "limit", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
                {"name": "cursor", "in": "query", "required": False, "schema": {"type": "string"}},
            ]
        if parameters:
            op["parameters"] = parameters
        if body_schema is not None:
            # a body of optional fields may be left out (body() reads none as {})
            op["requestBody"] = {"required": bool(body_schema.get("required")),
                                 "content": {"application/json": {
                                     "schema": _nulls_allowed(body_schema)}}}
        ok = (responses or {}).get("200", "OK")
        op["responses"] = {
            "200": {"description": ok, "content": {"application/json": {
                "schema": _ok_schema(returns, paginated)}}},
            "default": {"description": "an error",
                        "content": {"application/json": {"schema": {
                            "$ref": "#/components/schemas/Error"}}}},
        }
        if not auth:
            op["security"] = []
        ROUTE_DOCS[(path, method.lower())] = op
        return fn

    return wrap


def _nulls_allowed(schema: dict[str, Any]) -> dict[str, Any]:
    """A body schema whose optional fields may also be null: arg() reads a null as left out."""
    required = set(schema.get("required", []))
    props = {name: prop if name in required or not prop else {**prop, "nullable": True}
             for name, prop in schema.get("properties", {}).items()}
    return {**schema, "properties": props} if props else schema


def _path_params(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{") and part.endswith("}")]
