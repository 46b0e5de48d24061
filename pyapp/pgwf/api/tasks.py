"""``/tasks`` and ``/queues``: the inbox and the task service.

Reads go through RLS (flowable.workflow_tasks' policies); every change is a
call to a task-service function in db/functions/flowable/, which checks
that the caller may act.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from psycopg import sql
from psycopg.types.json import Jsonb

from pgwf.api.common import (
    IDEMPOTENCY_PARAM,
    Key,
    arg,
    as_caller,
    bearer_token,
    body,
    documented,
    idempotency_key,
    one,
    page,
    query_str,
    rows,
)
from pgwf.api.errors import ApiError

bp = Blueprint("tasks", __name__)

TASK_COLUMNS = sql.SQL(
    "t.task_id, t.process_instance_id, t.task_definition_key, t.task_name, t.task_type,"
    " t.queue_name, t.assignee_id, t.candidate_groups, t.candidate_users,"
    " coalesce(t.priority, 0) AS priority, t.status, t.form_key, t.created_at, t.claimed_at,"
    " t.claimed_by, t.completed_at, t.completed_by, t.due_date, t.escalation_level,"
    " t.task_data, t.form_data, t.outcome, t.outcome_reason")


# what an inbox shows unless asked otherwise
ACTIVE = ["OPEN", "CLAIMED", "DELEGATED", "ESCALATED"]


@bp.get("/me")
@documented("/me", "get", "Who the bearer token belongs to, the roles they hold now and the "
            "queues they see", tag="people")
def me() -> Response:
    with as_caller() as conn:
        row = one(conn, "SELECT entitlements.current_user_id() AS user_id,"
                        " entitlements.user_role_codes(entitlements.current_user_id()) AS roles,"
                        " entitlements.visible_queue_names() AS queues")
    return jsonify(row)


@bp.delete("/me/token")
@documented("/me/token", "delete", "Sign out: revoke the bearer token of this request",
            tag="people")
def sign_out() -> Response:
    with as_caller() as conn:
        row = one(conn, "SELECT entitlements.revoke_own_api_token(%s) AS token_id",
                  (bearer_token(),))
    return jsonify({"revoked": True, **row})


@bp.get("/tasks")
@documented("/tasks", "get", "Tasks I may see (mine, offered to me, in my queues); by default "
            "the unfinished ones, ?status=ALL for every one", tag="tasks",
            params=[{"name": "status", "in": "query", "required": False, "schema": {"type": "string"}},
                    {"name": "queue", "in": "query", "required": False, "schema": {"type": "string"}},
                    {"name": "assignee", "in": "query", "required": False, "schema": {"type": "string"}}],
            paginated=True, returns="Task")
def list_tasks() -> Response:
    status = query_str("status")
    params = {"statuses": ACTIVE if status is None else None if status == "ALL" else [status],
              "queue": query_str("queue"), "assignee": query_str("assignee")}
    base = sql.SQL(
        "SELECT {} FROM flowable.workflow_tasks t"
        " WHERE (%(statuses)s::text[] IS NULL OR t.status = ANY (%(statuses)s::text[]))"
        "   AND (%(queue)s::text IS NULL OR t.queue_name = %(queue)s)"
        "   AND (%(assignee)s::text IS NULL OR t.assignee_id = %(assignee)s)").format(TASK_COLUMNS)
    with as_caller() as conn:
        return jsonify(page(conn, base, params,
                            [Key("priority", desc=True, kind="integer"),
                             Key("created_at", kind="timestamp"), Key("task_id")]))


@bp.get("/tasks/<task_id>")
@documented("/tasks/{task_id}", "get", "One task I may see", tag="tasks", returns="Task")
def get_task(task_id: str) -> Response:
    with as_caller() as conn:
        row = conn.execute(sql.SQL("SELECT {} FROM flowable.workflow_tasks t WHERE t.task_id = %s")
                           .format(TASK_COLUMNS), (task_id,)).fetchone()
    if row is None:
        raise ApiError(404, "PW404", f"task {task_id} does not exist or is not visible to you")
    return jsonify(row)


@bp.post("/tasks/claim-next")
@documented("/tasks/claim-next", "post",
            "Claim the most urgent task I may take from these queues (null when none)",
            tag="tasks",
            body_schema={"type": "object", "required": ["queues"], "properties": {
                "queues": {"type": "array", "minItems": 1, "items": {"type": "string"}}}},
            params=[IDEMPOTENCY_PARAM])
def claim_next() -> Response:
    data = body()
    queues = arg(data, "queues", "string_array", required=True)
    key = idempotency_key()
    with as_caller() as conn:
        if key is None:
            found = rows(conn, "SELECT * FROM flowable.claim_next_task("
                               "entitlements.current_user_id(), %s::text[])", (queues,))
        else:
            found = rows(conn, "SELECT * FROM flowable.claim_next_task("
                               "entitlements.current_user_id(), %s::text[], %s)", (queues, key))
    return jsonify({"task": found[0] if found else None})


@bp.get("/queues")
@documented("/queues", "get", "Queues I may see, with their load", tag="tasks", paginated=True)
def list_queues() -> Response:
    base = sql.SQL(
        "SELECT q.queue_id, q.queue_name, q.queue_type, q.department_id, q.description,"
        " q.max_capacity, q.current_load, q.sla_minutes, q.is_active"
        " FROM flowable.workflow_queues q")
    with as_caller() as conn:
        return jsonify(page(conn, base, {}, [Key("queue_name")]))


# --------------------------------------------------------------------------
# the task life cycle: one task-service function each


def _task_action(query: str, params: tuple[object, ...]) -> Response:
    with as_caller() as conn:
        row = one(conn, query, params)
    return jsonify(row)


_COMMENT = {"comment": {"type": "string"}}


@bp.post("/tasks/<task_id>/claim")
@documented("/tasks/{task_id}/claim", "post", "Claim this task", tag="tasks", returns="Task",
            params=[IDEMPOTENCY_PARAM])
def claim(task_id: str) -> Response:
    return _task_action("SELECT * FROM flowable.claim_task(%s, %s)", (task_id, idempotency_key()))


@bp.post("/tasks/<task_id>/unclaim")
@documented("/tasks/{task_id}/unclaim", "post", "Give a claimed task back to its queue",
            tag="tasks", returns="Task", body_schema={"type": "object", "properties": _COMMENT},
            params=[IDEMPOTENCY_PARAM])
def unclaim(task_id: str) -> Response:
    data = body()
    return _task_action("SELECT * FROM flowable.unclaim_task(%s, %s, %s)",
                        (task_id, arg(data, "comment", "string"), idempotency_key()))


@bp.post("/tasks/<task_id>/complete")
@documented("/tasks/{task_id}/complete", "post", "Complete my task with an outcome and form data",
            tag="tasks", returns="Task", body_schema={"type": "object", "properties": {
                "outcome": {"type": "string"}, "outcome_reason": {"type": "string"},
                "form_data": {"type": "object"}}}, params=[IDEMPOTENCY_PARAM])
def complete(task_id: str) -> Response:
    data = body()
    return _task_action(
        "SELECT * FROM flowable.complete_task(%s, %s, %s, %s, %s)",
        (task_id, arg(data, "outcome", "string"), arg(data, "outcome_reason", "string"),
         Jsonb(arg(data, "form_data", "object", default={})), idempotency_key()))


@bp.post("/tasks/<task_id>/delegate")
@documented("/tasks/{task_id}/delegate", "post", "Hand my task to someone else to work on",
            tag="tasks", returns="Task", body_schema={"type": "object", "required": ["delegate_id"], "properties": {
                "delegate_id": {"type": "string"}, **_COMMENT}}, params=[IDEMPOTENCY_PARAM])
def delegate(task_id: str) -> Response:
    data = body()
    return _task_action("SELECT * FROM flowable.delegate_task(%s, %s, %s, %s)",
                        (task_id, arg(data, "delegate_id", "string", required=True),
                         arg(data, "comment", "string"), idempotency_key()))


@bp.post("/tasks/<task_id>/resolve")
@documented("/tasks/{task_id}/resolve", "post", "Give a delegated task back to its owner",
            tag="tasks", returns="Task", body_schema={"type": "object", "properties": {
                **_COMMENT, "form_data": {"type": "object"}}}, params=[IDEMPOTENCY_PARAM])
def resolve(task_id: str) -> Response:
    data = body()
    return _task_action("SELECT * FROM flowable.resolve_task(%s, %s, %s, %s)",
                        (task_id, arg(data, "comment", "string"),
                         Jsonb(arg(data, "form_data", "object", default={})), idempotency_key()))


@bp.post("/tasks/<task_id>/reassign")
@documented("/tasks/{task_id}/reassign", "post",
            "Supervisor: give the task to another person or queue", tag="tasks", returns="Task",
            body_schema={"type": "object", "properties": {
                "assignee_id": {"type": "string"}, "queue_name": {"type": "string"}, **_COMMENT}})
def reassign(task_id: str) -> Response:
    data = body()
    return _task_action("SELECT * FROM flowable.reassign_task(%s, %s, %s, %s)",
                        (task_id, arg(data, "assignee_id", "string"),
                         arg(data, "queue_name", "string"), arg(data, "comment", "string")))


@bp.post("/tasks/<task_id>/cancel")
@documented("/tasks/{task_id}/cancel", "post", "Supervisor: cancel the task", tag="tasks", returns="Task",
            body_schema={"type": "object", "properties": {"reason": {"type": "string"}}})
def cancel(task_id: str) -> Response:
    data = body()
    return _task_action("SELECT * FROM flowable.cancel_task(%s, %s)",
                        (task_id, arg(data, "reason", "string")))


@bp.post("/tasks/<task_id>/comments")
@documented("/tasks/{task_id}/comments", "post", "Comment on a task", tag="tasks",
            body_schema={"type": "object", "required": ["comment"], "properties": _COMMENT})
def comment(task_id: str) -> Response:
    data = body()
    with as_caller() as conn:
        row = one(conn, "SELECT flowable.add_task_comment(%s, %s) AS history_id",
                  (task_id, arg(data, "comment", "string", required=True)))
    return jsonify(row)


@bp.get("/tasks/<task_id>/history")
@documented("/tasks/{task_id}/history", "get", "What happened to a task, oldest first",
            tag="tasks", paginated=True)
def history(task_id: str) -> Response:
    base = sql.SQL(
        "SELECT h.history_id, h.task_id, h.process_instance_id, h.action_type, h.action_by,"
        " h.action_at, h.old_status, h.new_status, h.old_assignee, h.new_assignee,"
        " h.delegate_to, h.escalate_to, h.comments, h.action_data"
        " FROM flowable.task_history h WHERE h.task_id = %(task_id)s")
    with as_caller() as conn:
        return jsonify(page(conn, base, {"task_id": task_id}, [Key("history_id", kind="integer")]))
