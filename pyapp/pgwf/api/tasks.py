"""``/tasks`` and ``/queues``: the inbox and the task service.

Reads go through RLS (flowable.workflow_tasks' policies); every change is a
call to a task-service function in db/functions/flowable/, which checks
that the caller may act.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from psycopg import sql

from pgwf.api.common import (
    Key,
    arg,
    as_caller,
    body,
    documented,
    one,
    page,
    query_str,
    rows,
)

bp = Blueprint("tasks", __name__)

TASK_COLUMNS = sql.SQL(
    "t.task_id, t.process_instance_id, t.task_definition_key, t.task_name, t.task_type,"
    " t.queue_name, t.assignee_id, t.candidate_groups, t.candidate_users,"
    " coalesce(t.priority, 0) AS priority, t.status, t.form_key, t.created_at, t.claimed_at,"
    " t.claimed_by, t.completed_at, t.completed_by, t.due_date, t.escalation_level,"
    " t.task_data, t.form_data, t.outcome, t.outcome_reason")


@bp.get("/me")
@documented("/me", "get", "Who the bearer token belongs to", tag="people")
def me() -> Response:
    with as_caller() as conn:
        row = one(conn, "SELECT entitlements.current_user_id() AS user_id")
    return jsonify(row)


@bp.get("/tasks")
@documented("/tasks", "get", "Tasks I may see (mine, offered to me, in my queues)", tag="tasks",
            params=[{"name": "status", "in": "query", "required": False, "schema": {"type": "string"}},
                    {"name": "queue", "in": "query", "required": False, "schema": {"type": "string"}},
                    {"name": "assignee", "in": "query", "required": False, "schema": {"type": "string"}}],
            paginated=True)
def list_tasks() -> Response:
    params = {"status": query_str("status"), "queue": query_str("queue"),
              "assignee": query_str("assignee")}
    base = sql.SQL(
        "SELECT {} FROM flowable.workflow_tasks t"
        " WHERE (%(status)s::text IS NULL OR t.status = %(status)s)"
        "   AND (%(queue)s::text IS NULL OR t.queue_name = %(queue)s)"
        "   AND (%(assignee)s::text IS NULL OR t.assignee_id = %(assignee)s)").format(TASK_COLUMNS)
    with as_caller() as conn:
        return jsonify(page(conn, base, params,
                            [Key("priority", desc=True), Key("created_at"), Key("task_id")]))


@bp.get("/tasks/<task_id>")
@documented("/tasks/{task_id}", "get", "One task I may see", tag="tasks")
def get_task(task_id: str) -> Response:
    with as_caller() as conn:
        row = conn.execute(sql.SQL("SELECT {} FROM flowable.workflow_tasks t WHERE t.task_id = %s")
                           .format(TASK_COLUMNS), (task_id,)).fetchone()
    if row is None:
        from pgwf.api.errors import ApiError

        raise ApiError(404, "PW404", f"task {task_id} does not exist or is not visible to you")
    return jsonify(row)


@bp.post("/tasks/claim-next")
@documented("/tasks/claim-next", "post",
            "Claim the most urgent task I may take from these queues (null when none)",
            tag="tasks",
            body_schema={"type": "object", "required": ["queues"], "properties": {
                "queues": {"type": "array", "items": {"type": "string"}}}})
def claim_next() -> Response:
    data = body()
    queues = arg(data, "queues", "string_array", required=True)
    with as_caller() as conn:
        found = rows(conn, "SELECT * FROM flowable.claim_next_task("
                           "entitlements.current_user_id(), %s::text[])", (queues,))
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
