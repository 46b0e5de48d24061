"""``/reports``: the reporting views, filterable by column, paginated."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from psycopg import sql

from pgwf.api.common import Key, as_caller, documented, page
from pgwf.api.errors import ApiError

bp = Blueprint("reports", __name__)

# name -> (schema, view, sort key): the whole reporting surface of the API.
REPORTS: dict[str, tuple[str, str, list[Key]]] = {
    "workflow-execution-summary": ("automation", "vw_workflow_execution_summary",
                                   [Key("instance_id", kind="uuid")]),
    "workflow-performance": ("automation", "vw_workflow_performance", [Key("workflow_id", kind="uuid")]),
    "active-tasks-by-queue": ("flowable", "v_active_tasks_by_queue", [Key("queue_name")]),
    "user-workload": ("flowable", "v_user_workload", [Key("user_id"), Key("role_code")]),
    "process-performance": ("flowable", "v_process_performance", [Key("process_key")]),
}


@bp.get("/reports")
@documented("/reports", "get", "The reports this API serves", tag="reports")
def list_reports() -> Response:
    with as_caller():
        pass  # only to authenticate: the list itself is no secret once signed in
    return jsonify({"items": [{"name": name, "view": f"{s}.{v}"}
                              for name, (s, v, _k) in REPORTS.items()]})


@bp.get("/reports/<name>")
@documented("/reports/{name}", "get",
            "Rows of one reporting view; any column may be given as ?column=value",
            tag="reports", paginated=True)
def report(name: str) -> Response:
    if name not in REPORTS:
        raise ApiError(404, "PW404", f"report {name} does not exist",
                       {"reports": sorted(REPORTS)})
    schema_name, view, keys = REPORTS[name]
    with as_caller(reports=True) as conn:
        columns = [r["attname"] for r in conn.execute(
            "SELECT a.attname FROM pg_attribute a WHERE a.attrelid = %s::regclass"
            " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
            (f"{schema_name}.{view}",)).fetchall()]
        filters: list[sql.Composable] = []
        params: dict[str, Any] = {}
        for i, (column, value) in enumerate(request.args.items()):
            if column in ("limit", "cursor"):
                continue
            if column not in columns:
                raise ApiError(400, "PW400", f"report {name} has no column {column}",
                               {"columns": columns})
            if "\x00" in value:
                raise ApiError(400, "PW400", f"query parameter {column} must not contain NUL")
            filters.append(sql.SQL("v.{}::text = {}").format(
                sql.Identifier(column), sql.Placeholder(f"f{i}")))
            params[f"f{i}"] = value
        base = sql.SQL("SELECT * FROM {}.{} AS v WHERE {}").format(
            sql.Identifier(schema_name), sql.Identifier(view),
            sql.SQL(" AND ").join(filters) if filters else sql.SQL("true"))
        return jsonify(page(conn, base, params, keys))
