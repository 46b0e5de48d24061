"""``/events``, ``/hooks/<endpoint>`` and workflow triggers.

An event is published by a person (bearer token) and starts every matching
event trigger.  A webhook delivery is authenticated by the trigger's own
token and the sender's address (``automation.receive_webhook`` checks
both), never by a user token; a refused delivery is logged by the database
and answered 403 without saying more than the reason.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from psycopg.types.json import Jsonb

from pgwf.api.common import arg, as_caller, body, database, documented, one, rows
from pgwf.api.errors import ApiError

bp = Blueprint("events", __name__)

# a BPMN message or signal name (flowable.correlate_message, send_signal)
_NAME = {"type": "string", "minLength": 1, "maxLength": 255}


@bp.post("/events")
@documented("/events", "post", "Publish an event: every matching event trigger starts a run",
            tag="events", body_schema={"type": "object", "required": ["source", "event_type"],
                                       "properties": {
                "source": {"type": "string", "minLength": 1},
                "event_type": {"type": "string"},
                "payload": {"type": "object"}, "idempotency_key": {"type": "string"}}})
def publish_event() -> Response:
    data = body()
    with as_caller() as conn:
        found = rows(conn, "SELECT * FROM automation.publish_event(%s, %s, %s, %s)",
                     (arg(data, "source", "string", required=True),
                      arg(data, "event_type", "string", required=True),
                      Jsonb(arg(data, "payload", "object", default={})),
                      arg(data, "idempotency_key", "string")))
    return jsonify({"items": found})


@bp.post("/hooks/<endpoint>")
@documented("/hooks/{endpoint}", "post", "Webhook delivery, authenticated by the trigger's "
            "token (Authorization: Bearer) and the sender's address", tag="events", auth=False,
            params=[{"name": "Idempotency-Key", "in": "header", "required": False,
                     "schema": {"type": "string"}}],
            body_schema={"type": "object"})
def webhook(endpoint: str) -> tuple[Response, int]:
    data = body()
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    key = request.headers.get("Idempotency-Key")
    if key is not None and (len(key) > 200 or "\x00" in key):
        raise ApiError(400, "PW400", "Idempotency-Key must be at most 200 characters")
    path = "/" + endpoint if not endpoint.startswith("/") else endpoint
    with database().transaction() as conn:
        result = one(conn, "SELECT * FROM automation.receive_webhook(%s, %s, %s::inet, %s, %s)",
                     (path, token.strip() if scheme.lower() == "bearer" else None,
                      request.remote_addr, Jsonb(data), key))
    if result["status"] == "refused":
        return jsonify({"error": {"code": "PW403", "message": "webhook delivery refused",
                                  "detail": result["reason"]}}), 403
    status = 202 if result["status"] == "started" else 200
    return jsonify(result), status


@bp.post("/workflows/<workflow_id>/triggers")
@documented("/workflows/{workflow_id}/triggers", "post", "Create or change a trigger of a "
            "model (a webhook trigger's token is returned once)", tag="events",
            body_schema={"type": "object", "required": ["trigger_type"], "properties": {
                "trigger_type": {"type": "string", "enum": ["schedule", "event", "webhook",
                                                            "manual"]},
                "configuration": {"type": "object"}, "trigger_source": {"type": "string"},
                "is_active": {"type": "boolean"}, "trigger_id": {"type": "string"},
                "rotate_token": {"type": "boolean"}}})
def save_trigger(workflow_id: str) -> Response:
    data = body()
    with as_caller() as conn:
        row = one(conn, "SELECT * FROM automation.save_trigger(%s::uuid, %s, %s, %s,"
                        " coalesce(%s, true), %s::uuid, coalesce(%s, false))",
                  (workflow_id, arg(data, "trigger_type", "string", required=True),
                   Jsonb(arg(data, "configuration", "object", default={})),
                   arg(data, "trigger_source", "string"), arg(data, "is_active", "boolean"),
                   arg(data, "trigger_id", "string"), arg(data, "rotate_token", "boolean")))
    return jsonify(row)


@bp.post("/messages")
@documented("/messages", "post", "Deliver a BPMN message to the one run waiting for it (by name, "
            "business key and correlation), or start the processes whose start event it is; "
            "409 when several runs match", tag="events",
            body_schema={"type": "object", "required": ["name"], "properties": {
                "name": _NAME, "business_key": {"type": "string"},
                "correlation": {"type": "object"}, "variables": {"type": "object"}}})
def correlate_message() -> Response:
    data = body()
    with as_caller() as conn:
        row = one(conn, "SELECT flowable.correlate_message(%s, %s, %s, %s) AS result",
                  (arg(data, "name", "string", required=True), arg(data, "business_key", "string"),
                   Jsonb(arg(data, "correlation", "object")) if data.get("correlation") is not None else None,
                   Jsonb(arg(data, "variables", "object", default={}))))
    return jsonify(row["result"])


@bp.post("/signals")
@documented("/signals", "post", "Broadcast a BPMN signal to every run waiting for it and start "
            "the processes whose start event it is", tag="events",
            body_schema={"type": "object", "required": ["name"], "properties": {
                "name": _NAME, "variables": {"type": "object"}}})
def send_signal() -> Response:
    data = body()
    with as_caller() as conn:
        row = one(conn, "SELECT flowable.send_signal(%s, %s) AS result",
                  (arg(data, "name", "string", required=True),
                   Jsonb(arg(data, "variables", "object", default={}))))
    return jsonify(row["result"])
