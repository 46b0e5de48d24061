"""``pgwf queue``, ``task``, ``workflow``, ``run``, ``notification``, ``report`` and ``cron``.

Commands that act as a person take ``--as USER`` (or ``$PGWF_USER``) and run
in one transaction as the group role ``PGWF_APP_ROLE`` with
``app.current_user_id`` set, exactly as the API does: the database decides
what that person may see and do.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import click
from psycopg import sql
from psycopg.types.json import Jsonb

from pgwf import db
from pgwf.cli.output import cell, emit, format_option, idempotency_option, render
from pgwf.errors import PgwfError

as_option = click.option("--as", "as_user", envvar="PGWF_USER", required=True,
                         help="The person to act as (default $PGWF_USER).")


def _person(user: str) -> Any:
    return db.get("app", pooled=False).transaction(user)


def _admin() -> Any:
    return db.get("admin", pooled=False).transaction()


def _json_arg(text: str | None, what: str) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise click.BadParameter(f"{what} is not valid JSON: {exc}") from None


def _uuid(value: str, what: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise PgwfError(f"{what} {value} does not exist (not a UUID)") from None


def _json_file(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except ValueError as exc:
        raise PgwfError(f"{path}: not valid JSON: {exc}") from None


# --------------------------------------------------------------------------
# queues


@click.group("queue")
def queue_group() -> None:
    """Task queues and their load."""


@queue_group.command("list")
@format_option
def queue_list(fmt: str | None) -> None:
    """Every queue with its load, capacity, SLA and open work."""
    with _admin() as conn:
        rows = conn.execute(
            """
            SELECT q.queue_name AS queue, q.queue_type AS type, d.department_code AS department,
                   q.current_load AS load, q.max_capacity AS capacity, q.sla_minutes,
                   count(t.task_id) FILTER (WHERE t.status = 'OPEN') AS open,
                   count(t.task_id) FILTER (WHERE t.status IN ('CLAIMED', 'DELEGATED')) AS held,
                   count(t.task_id) FILTER (WHERE t.status = 'ESCALATED') AS escalated,
                   q.is_active AS active
              FROM flowable.workflow_queues q
              LEFT JOIN entitlements.departments d ON d.department_id = q.department_id
              LEFT JOIN flowable.workflow_tasks t ON t.queue_name = q.queue_name
             GROUP BY q.queue_id, d.department_code
             ORDER BY q.queue_name""").fetchall()
    emit(rows, fmt, empty="(no queues)")


@queue_group.command("create")
@click.argument("queue_name")
@click.option("--type", "queue_type", default="STANDARD", show_default=True,
              help="STANDARD, PRIORITY, SPECIALIZED or OVERFLOW.")
@click.option("--department", "department_code")
@click.option("--capacity", type=int, default=100, show_default=True)
@click.option("--sla-minutes", type=int, default=480, show_default=True)
@click.option("--description")
def queue_create(queue_name: str, queue_type: str, department_code: str | None, capacity: int,
                 sla_minutes: int, description: str | None) -> None:
    """Create a queue."""
    with _admin() as conn:
        department_id = None
        if department_code is not None:
            row = conn.execute("SELECT department_id FROM entitlements.departments"
                               " WHERE department_code = %s", (department_code,)).fetchone()
            if row is None:
                raise PgwfError(f"department {department_code} does not exist (--department)",
                                code="PW404")
            department_id = row["department_id"]
        conn.execute(
            "INSERT INTO flowable.workflow_queues (queue_name, queue_type, department_id,"
            " description, max_capacity, sla_minutes) VALUES (%s, %s, %s, %s, %s, %s)",
            (queue_name, queue_type, department_id, description, capacity, sla_minutes))
    click.echo(f"created queue {queue_name}")


# --------------------------------------------------------------------------
# tasks


@click.group("task")
def task_group() -> None:
    """Work on tasks as a person (--as USER)."""


TASK_LIST = ("task_id", "task_name", "queue_name", "status", "assignee_id", "priority", "due_date")


@task_group.command("inbox")
@as_option
@click.option("--status", help="Only tasks in this status.")
@click.option("--all", "show_all", is_flag=True, help="Finished tasks too.")
@click.option("--queue", help="Only this queue.")
@format_option
def task_inbox(as_user: str, status: str | None, show_all: bool, queue: str | None,
               fmt: str | None) -> None:
    """The unfinished tasks USER may see: held, offered, or waiting in their queues."""
    statuses = [status] if status else None if show_all else \
        ["OPEN", "CLAIMED", "DELEGATED", "ESCALATED"]
    with _person(as_user) as conn:
        rows = conn.execute(
            "SELECT t.task_id, t.task_name, t.queue_name, t.status, t.assignee_id, t.priority,"
            " t.due_date FROM flowable.workflow_tasks t"
            " WHERE (%(s)s::text[] IS NULL OR t.status = ANY (%(s)s::text[]))"
            "   AND (%(q)s::text IS NULL OR t.queue_name = %(q)s)"
            " ORDER BY t.priority DESC NULLS LAST, t.created_at, t.task_id",
            {"s": statuses, "q": queue}).fetchall()
    emit(rows, fmt, TASK_LIST, empty="(no tasks)")


@task_group.command("claim-next")
@as_option
@click.option("--queue", "queues", multiple=True, required=True, help="Queue to take from (repeat).")
@idempotency_option
@format_option
def task_claim_next(as_user: str, queues: tuple[str, ...], idempotency_key: str | None,
                    fmt: str | None) -> None:
    """Claim the most urgent task USER may take from these queues."""
    with _person(as_user) as conn:
        if idempotency_key is None:
            rows = conn.execute("SELECT * FROM flowable.claim_next_task(%s, %s::text[])",
                                (as_user, list(queues))).fetchall()
        else:
            rows = conn.execute("SELECT * FROM flowable.claim_next_task(%s, %s::text[], %s)",
                                (as_user, list(queues), idempotency_key)).fetchall()
    if not rows and not fmt:
        click.echo("nothing to claim")
        return
    emit(rows, fmt)


def _task_call(as_user: str, query: str, params: tuple[Any, ...], fmt: str | None) -> None:
    with _person(as_user) as conn:
        row = conn.execute(query, params).fetchone()
    emit([row] if row else [], fmt, TASK_LIST)


@task_group.command("claim")
@as_option
@click.argument("task_id")
@idempotency_option
@format_option
def task_claim(as_user: str, task_id: str, idempotency_key: str | None, fmt: str | None) -> None:
    """Claim one task."""
    _task_call(as_user, "SELECT * FROM flowable.claim_task(%s, %s)", (task_id, idempotency_key), fmt)


@task_group.command("unclaim")
@as_option
@click.argument("task_id")
@click.option("--comment")
@idempotency_option
@format_option
def task_unclaim(as_user: str, task_id: str, comment: str | None, idempotency_key: str | None,
                 fmt: str | None) -> None:
    """Give a claimed task back to its queue."""
    _task_call(as_user, "SELECT * FROM flowable.unclaim_task(%s, %s, %s)",
               (task_id, comment, idempotency_key), fmt)


@task_group.command("complete")
@as_option
@click.argument("task_id")
@click.option("--outcome")
@click.option("--reason", "outcome_reason")
@click.option("--form", "form_json", help="Form data as a JSON object.")
@idempotency_option
@format_option
def task_complete(as_user: str, task_id: str, outcome: str | None, outcome_reason: str | None,
                  form_json: str | None, idempotency_key: str | None, fmt: str | None) -> None:
    """Complete a task USER holds."""
    form = _json_arg(form_json, "--form")
    if form is not None and not isinstance(form, dict):
        raise click.BadParameter("--form must be a JSON object")
    _task_call(as_user, "SELECT * FROM flowable.complete_task(%s, %s, %s, %s, %s)",
               (task_id, outcome, outcome_reason, Jsonb(form or {}), idempotency_key), fmt)


@task_group.command("delegate")
@as_option
@click.argument("task_id")
@click.argument("delegate_id")
@click.option("--comment")
@idempotency_option
@format_option
def task_delegate(as_user: str, task_id: str, delegate_id: str, comment: str | None,
                  idempotency_key: str | None, fmt: str | None) -> None:
    """Hand a task USER holds to DELEGATE_ID."""
    _task_call(as_user, "SELECT * FROM flowable.delegate_task(%s, %s, %s, %s)",
               (task_id, delegate_id, comment, idempotency_key), fmt)


@task_group.command("reassign")
@as_option
@click.argument("task_id")
@click.option("--to", "assignee_id")
@click.option("--queue", "queue_name")
@click.option("--comment")
@format_option
def task_reassign(as_user: str, task_id: str, assignee_id: str | None, queue_name: str | None,
                  comment: str | None, fmt: str | None) -> None:
    """Supervisor: give a task to another person or queue."""
    _task_call(as_user, "SELECT * FROM flowable.reassign_task(%s, %s, %s, %s)",
               (task_id, assignee_id, queue_name, comment), fmt)


@task_group.command("resolve")
@as_option
@click.argument("task_id")
@click.option("--comment")
@idempotency_option
@format_option
def task_resolve(as_user: str, task_id: str, comment: str | None, idempotency_key: str | None,
                 fmt: str | None) -> None:
    """Hand a delegated task back to its owner."""
    _task_call(as_user, "SELECT * FROM flowable.resolve_task(%s, %s, '{}', %s)",
               (task_id, comment, idempotency_key), fmt)


@task_group.command("cancel")
@as_option
@click.argument("task_id")
@click.option("--reason")
@format_option
def task_cancel(as_user: str, task_id: str, reason: str | None, fmt: str | None) -> None:
    """Supervisor: cancel a task."""
    _task_call(as_user, "SELECT * FROM flowable.cancel_task(%s, %s)", (task_id, reason), fmt)


@task_group.command("comment")
@as_option
@click.argument("task_id")
@click.argument("text")
def task_comment(as_user: str, task_id: str, text: str) -> None:
    """Comment on a task."""
    with _person(as_user) as conn:
        row = conn.execute("SELECT flowable.add_task_comment(%s, %s) AS id",
                           (task_id, text)).fetchone()
    click.echo(f"comment {row['id'] if row else '?'} on {task_id}")


TASK_FIELDS = ("task_id", "task_name", "status", "queue_name", "assignee_id", "candidate_groups",
               "candidate_users", "priority", "due_date", "created_at", "claimed_by", "claimed_at",
               "completed_by", "completed_at", "outcome", "outcome_reason", "escalation_level",
               "process_instance_id", "task_definition_key", "form_key", "task_data", "form_data")


@task_group.command("show")
@as_option
@click.argument("task_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def task_show(as_user: str, task_id: str, as_json: bool) -> None:
    """A task USER may see: its fields, candidate groups, history and comments."""
    with _person(as_user) as conn:
        task = conn.execute(
            sql.SQL("SELECT {} FROM flowable.workflow_tasks t WHERE t.task_id = %s").format(
                sql.SQL(", ").join(sql.Identifier("t", f) for f in TASK_FIELDS)),
            (task_id,)).fetchone()
        if task is None:
            raise PgwfError(f"task {task_id} does not exist or is not visible to you")
        history = conn.execute(
            "SELECT h.action_at, h.action_type, h.action_by, h.old_status, h.new_status,"
            " h.new_assignee, h.comments FROM flowable.task_history h"
            " WHERE h.task_id = %s AND h.action_type <> 'COMMENT' ORDER BY h.history_id",
            (task_id,)).fetchall()
        comments = conn.execute(
            "SELECT h.action_at, h.action_by, h.comments FROM flowable.task_history h"
            " WHERE h.task_id = %s AND h.action_type = 'COMMENT' ORDER BY h.history_id",
            (task_id,)).fetchall()
    if as_json:
        click.echo(json.dumps({"task": task, "history": history, "comments": comments},
                              default=str, indent=2))
        return
    width = max(len(f) for f in TASK_FIELDS)
    for field in TASK_FIELDS:
        value = task[field]
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        click.echo(f"{field.ljust(width)}  {cell(value)}".rstrip())
    click.echo("\nhistory:")
    click.echo(render(history, None, empty="(no history visible)"))
    click.echo("\ncomments:")
    click.echo(render(comments, None, empty="(no comments)"))


@task_group.command("history")
@as_option
@click.argument("task_id")
@format_option
def task_history(as_user: str, task_id: str, fmt: str | None) -> None:
    """What happened to a task."""
    with _person(as_user) as conn:
        rows = conn.execute(
            "SELECT h.action_at, h.action_type, h.action_by, h.old_status, h.new_status,"
            " h.new_assignee, h.comments FROM flowable.task_history h WHERE h.task_id = %s"
            " ORDER BY h.history_id", (task_id,)).fetchall()
    emit(rows, fmt, empty="(no history visible)")


# --------------------------------------------------------------------------
# workflows and runs


@click.group("workflow")
def workflow_group() -> None:
    """Automation workflow models (React Flow JSON)."""


@workflow_group.command("import")
@as_option
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--name", help="Model name (default: the file's name).")
@click.option("--category")
@click.option("--update", "workflow_id", help="Save as a new version of this model id.")
def workflow_import(as_user: str, path: Path, name: str | None, category: str | None,
                    workflow_id: str | None) -> None:
    """Save a React Flow JSON file as a model (validated by the database)."""
    data = _json_file(path)
    with _person(as_user) as conn:
        row = conn.execute("SELECT automation.save_workflow(%s, %s, %s, NULL, %s) AS id",
                           (Jsonb(data), name or path.stem, workflow_id, category)).fetchone()
    click.echo(row["id"] if row else "")


@workflow_group.command("validate")
@as_option
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def workflow_validate(as_user: str, path: Path) -> None:
    """Check a React Flow JSON file without saving it."""
    data = _json_file(path)
    with _person(as_user) as conn:
        conn.execute("SELECT automation.validate_workflow_graph(%s)", (Jsonb(data),))
    click.echo(f"{path}: valid")


@workflow_group.command("deploy")
@as_option
@click.argument("workflow_id")
def workflow_deploy(as_user: str, workflow_id: str) -> None:
    """Deploy a model version so it can run."""
    with _person(as_user) as conn:
        row = conn.execute("SELECT automation.deploy_workflow(%s::uuid) AS id",
                           (workflow_id,)).fetchone()
    click.echo(f"deployed as definition {row['id'] if row else '?'}")


@workflow_group.command("export")
@as_option
@click.argument("workflow_id")
@click.option("--bpmn", is_flag=True, help="Export the deployed definition as BPMN 2.0 XML.")
def workflow_export(as_user: str, workflow_id: str, bpmn: bool) -> None:
    """Print a model's React Flow JSON (or its BPMN)."""
    with _person(as_user) as conn:
        if bpmn:
            row = conn.execute(
                "SELECT flowable.export_bpmn(d.workflow_id) AS out FROM flowable.workflow_definitions d"
                " WHERE d.deployment_id = %s ORDER BY d.process_version DESC LIMIT 1",
                (workflow_id,)).fetchone()
        else:
            row = conn.execute("SELECT w.workflow_data AS out FROM automation.workflows w"
                               " WHERE w.id = %s::uuid", (_uuid(workflow_id, "workflow"),)).fetchone()
    if row is None:
        raise PgwfError(f"workflow {workflow_id} does not exist (or is not deployed)")
    click.echo(row["out"] if bpmn else json.dumps(row["out"], indent=2))


@workflow_group.command("trigger")
@as_option
@click.argument("workflow_id")
@click.option("--type", "trigger_type", required=True,
              type=click.Choice(["schedule", "event", "webhook", "manual"]))
@click.option("--config", "config_json", help="Trigger configuration as a JSON object.")
@click.option("--source", "trigger_source", help="cron, tenable, gitlab, api, ...")
@click.option("--rotate-token", is_flag=True, help="Give an existing webhook trigger a new token.")
@click.option("--trigger-id", help="Change this trigger instead of adding one.")
def workflow_trigger(as_user: str, workflow_id: str, trigger_type: str, config_json: str | None,
                     trigger_source: str | None, rotate_token: bool, trigger_id: str | None) -> None:
    """Add or change a trigger; a webhook trigger's token is printed once."""
    conf = _json_arg(config_json, "--config")
    if conf is not None and not isinstance(conf, dict):
        raise click.BadParameter("--config must be a JSON object")
    with _person(as_user) as conn:
        row = conn.execute(
            "SELECT * FROM automation.save_trigger(%s::uuid, %s, %s, %s, true, %s::uuid, %s)",
            (workflow_id, trigger_type, Jsonb(conf or {}), trigger_source, trigger_id,
             rotate_token)).fetchone()
    assert row is not None
    click.echo(f"trigger {row['trigger_id']}")
    if row.get("token"):
        click.echo(row["token"])
        click.echo("the webhook token is not shown again", err=True)


@workflow_group.command("list")
@as_option
@format_option
def workflow_list(as_user: str, fmt: str | None) -> None:
    """Model versions."""
    with _person(as_user) as conn:
        rows = conn.execute("SELECT w.id, w.workflow_key, w.name, w.version, w.category,"
                            " w.is_active AS active, w.updated_at FROM automation.workflows w"
                            " ORDER BY w.workflow_key, w.created_at").fetchall()
    emit(rows, fmt, empty="(no workflows)")


@click.group("run")
def run_group() -> None:
    """Runs of deployed workflows."""


@run_group.command("start")
@as_option
@click.argument("workflow_id")
@click.option("--input", "input_json", help="Run input as a JSON object.")
@click.option("--priority", type=click.Choice(["low", "normal", "high", "critical"]),
              default="normal", show_default=True)
@idempotency_option
def run_start(as_user: str, workflow_id: str, input_json: str | None, priority: str,
              idempotency_key: str | None) -> None:
    """Start a run; prints its id."""
    data = _json_arg(input_json, "--input")
    if data is not None and not isinstance(data, dict):
        raise click.BadParameter("--input must be a JSON object")
    with _person(as_user) as conn:
        row = conn.execute("SELECT automation.start_workflow(%s::uuid, %s, %s, NULL, %s) AS id",
                           (workflow_id, Jsonb(data or {}), priority, idempotency_key)).fetchone()
        assert row is not None
        run = conn.execute(
            "SELECT i.status, i.error_details, f.node_id AS failed_node FROM"
            " automation.workflow_instances i LEFT JOIN LATERAL (" + FAILED_STEP + ") f ON true"
            " WHERE i.id = %s", (row["id"],)).fetchone()
    click.echo(row["id"])
    if run is not None and run["status"] == "failed":
        where = f" at node {run['failed_node']}" if run["failed_node"] else ""
        raise PgwfError(f"run {row['id']} failed{where}: {run['error_details']}")


# The step a failed run failed at: its latest failed step that was not closed because the run
# stopped (those carry engine_close_open_work's reason). A run stopped by its model (no way on,
# the step limit) has none; its error names the node.
FAILED_STEP = (
    "SELECT e.node_id, e.error_message FROM automation.workflow_executions e"
    " WHERE e.instance_id = i.id AND i.status = 'failed' AND e.status = 'failed'"
    "   AND e.error_message IS DISTINCT FROM 'run failed: ' || i.error_details"
    " ORDER BY e.completed_at DESC NULLS LAST, e.created_at DESC LIMIT 1")


@run_group.command("show")
@as_option
@click.argument("run_id")
@click.option("--json", "as_json", is_flag=True)
def run_show(as_user: str, run_id: str, as_json: bool) -> None:
    """A run and its steps as a tree along the edges taken."""
    with _person(as_user) as conn:
        run = conn.execute("SELECT i.id, i.status, i.progress, i.current_step, w.name, i.parent_instance_id,"
                           " i.error_details FROM automation.workflow_instances i"
                           " LEFT JOIN automation.workflows w ON w.id = i.workflow_id"
                           " WHERE i.id = %s::uuid", (_uuid(run_id, "run"),)).fetchone()
        if run is None:
            raise PgwfError(f"run {run_id} does not exist or is not visible to you")
        steps = _steps(conn, run["id"])
    if as_json:
        click.echo(json.dumps({**run, "steps": steps}, default=str, indent=2))
        return
    click.echo(f"run {run['id']}  {run['name'] or ''}  {run['status']}  {run['progress']}%")
    if run["parent_instance_id"]:
        click.echo(f"  called by run {run['parent_instance_id']}")
    if run["error_details"]:
        click.echo(f"  error: {run['error_details']}")
    closed = f"run failed: {run['error_details']}"
    for s in steps:
        if run["status"] == "failed" and s["status"] == "failed" and s["error_message"] != closed:
            click.echo(f"  failed at: {s['node_id']}: {s['error_message'] or '(no reason given)'}")
    for depth, s in _tree(steps):
        extra = f"  {s['error_message']}" if s["error_message"] else ""
        retries = f"  retries {s['retry_count']}" if s["retry_count"] else ""
        called = f"  -> run {s['called_run']}" if s["called_run"] else ""
        deep = f"  (depth {depth})" if depth > MAX_INDENT else ""
        click.echo(f"{'  ' * min(depth, MAX_INDENT)}└─ {s['node_id']} [{s['step_type']}] {s['status']}"
                   f"{called}{retries}{extra}{deep}")


MAX_INDENT = 20


def _tree(steps: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    """The steps in the order of a walk along the edges taken, each with its depth; iterative
    (a stack, not recursion), so a run of any length is shown. A step not reached from the
    start (should not happen) comes last, at depth 1."""
    children: dict[str | None, list[dict[str, Any]]] = {}
    for s in steps:
        children.setdefault(s["came_from"], []).append(s)
    seen: set[int] = set()
    out: list[tuple[int, dict[str, Any]]] = []
    stack = [(iter(children.get(None, [])), 1)]
    while stack:
        pending, depth = stack[-1]
        step = next((c for c in pending if id(c) not in seen), None)
        if step is None:
            stack.pop()
            continue
        seen.add(id(step))
        out.append((depth, step))
        stack.append((iter(children.get(step["node_id"], [])), depth + 1))
    out += [(1, s) for s in steps if id(s) not in seen]
    return out


def _steps(conn: Any, run_id: Any) -> list[dict[str, Any]]:
    return conn.execute(
        "SELECT e.node_id, e.step_type, e.status, e.duration_ms, e.error_message, e.retry_count,"
        " ed.source_node_id AS came_from,"
        " CASE WHEN e.step_type = 'call' THEN e.input_data ->> 'calledRunId' END AS called_run"
        " FROM automation.workflow_executions e"
        " JOIN automation.workflow_instances i ON i.id = e.instance_id"
        " LEFT JOIN automation.workflow_edges ed ON ed.workflow_id = i.workflow_id"
        "      AND ed.edge_id = e.incoming_edge_id"
        " WHERE e.instance_id = %s ORDER BY e.created_at, e.id", (run_id,)).fetchall()


@run_group.command("list")
@as_option
@click.option("--status")
@click.option("--business-key", help="Only the run(s) with this business key.")
@format_option
def run_list(as_user: str, status: str | None, business_key: str | None, fmt: str | None) -> None:
    """Runs USER may see, newest first, with their business key."""
    with _person(as_user) as conn:
        rows = conn.execute(
            "SELECT i.id, w.name AS workflow, p.business_key, i.status, i.progress, i.current_step,"
            " i.triggered_by, i.started_at FROM automation.workflow_instances i"
            " LEFT JOIN automation.workflows w ON w.id = i.workflow_id"
            " LEFT JOIN flowable.process_instances p ON p.process_instance_id = i.id::text"
            " WHERE (%(s)s::text IS NULL OR i.status = %(s)s)"
            "   AND (%(bk)s::text IS NULL OR p.business_key = %(bk)s)"
            " ORDER BY i.created_at DESC, i.id DESC LIMIT 200",
            {"s": status, "bk": business_key}).fetchall()
    emit(rows, fmt, empty="(no runs)")


@run_group.command("cancel")
@as_option
@click.argument("run_id")
@click.option("--reason")
def run_cancel(as_user: str, run_id: str, reason: str | None) -> None:
    """Cancel a run."""
    with _person(as_user) as conn:
        row = conn.execute("SELECT automation.cancel_workflow(%s::uuid, %s) AS status",
                           (run_id, reason)).fetchone()
    click.echo(f"run {run_id}: {row['status'] if row else '?'}")


@run_group.command("pause")
@as_option
@click.argument("run_id")
@click.option("--reason")
def run_pause(as_user: str, run_id: str, reason: str | None) -> None:
    """Pause a run (its steps are not handed out until it is resumed)."""
    with _person(as_user) as conn:
        row = conn.execute("SELECT automation.pause_workflow(%s::uuid, %s) AS status",
                           (run_id, reason)).fetchone()
    click.echo(f"run {run_id}: {row['status'] if row else '?'}")


@run_group.command("resume")
@as_option
@click.argument("run_id")
@click.option("--reason")
def run_resume(as_user: str, run_id: str, reason: str | None) -> None:
    """Resume a paused run (it moves on from where it waited)."""
    with _person(as_user) as conn:
        row = conn.execute("SELECT automation.resume_workflow(%s::uuid, %s) AS status",
                           (run_id, reason)).fetchone()
    click.echo(f"run {run_id}: {row['status'] if row else '?'}")


@run_group.command("retry")
@as_option
@click.argument("run_id")
@click.option("--reason")
def run_retry(as_user: str, run_id: str, reason: str | None) -> None:
    """Run a failed run again from the step it failed at (automation.retry_workflow)."""
    with _person(as_user) as conn:
        row = conn.execute("SELECT automation.retry_workflow(%s::uuid, %s) AS status",
                           (run_id, reason)).fetchone()
    click.echo(f"run {run_id}: {row['status'] if row else '?'}")


@click.group("approval")
def approval_group() -> None:
    """Approvals waiting for a role the person holds."""


@approval_group.command("list")
@as_option
@click.option("--status", default="pending", show_default=True)
@format_option
def approval_list(as_user: str, status: str, fmt: str | None) -> None:
    """Approvals USER may see."""
    with _person(as_user) as conn:
        rows = conn.execute(
            "SELECT a.id, a.approver_role, a.status, a.requested_at, a.expires_at,"
            " a.approval_message FROM automation.workflow_approvals a WHERE a.status = %s"
            " ORDER BY a.requested_at, a.id", (status,)).fetchall()
    emit(rows, fmt, empty="(no approvals)")


@approval_group.command("approve")
@as_option
@click.argument("approval_id")
@click.option("--comment")
@idempotency_option
def approval_approve(as_user: str, approval_id: str, comment: str | None, idempotency_key: str | None) -> None:
    """Approve (needs the approver role)."""
    with _person(as_user) as conn:
        conn.execute("SELECT automation.approve_step(%s::uuid, %s, %s)", (approval_id, comment, idempotency_key))
    click.echo(f"approved {approval_id}")


@approval_group.command("reject")
@as_option
@click.argument("approval_id")
@click.option("--reason")
@idempotency_option
def approval_reject(as_user: str, approval_id: str, reason: str | None, idempotency_key: str | None) -> None:
    """Reject (needs the approver role)."""
    with _person(as_user) as conn:
        conn.execute("SELECT automation.reject_step(%s::uuid, %s, %s)", (approval_id, reason, idempotency_key))
    click.echo(f"rejected {approval_id}")


# --------------------------------------------------------------------------
# the notification outbox


@click.group("notification")
def notification_group() -> None:
    """The notification outbox (DBA: runs as the DATABASE_URL login)."""


@notification_group.command("list")
@click.option("--status", type=click.Choice(["pending", "sent", "failed"]),
              help="Only notifications in this status.")
@click.option("--limit", type=click.IntRange(min=1), default=200, show_default=True)
@format_option
def notification_list(status: str | None, limit: int, fmt: str | None) -> None:
    """Notifications, newest first, with their delivery state and last error."""
    with _admin() as conn:
        rows = conn.execute(
            "SELECT n.id, n.status, n.notification_type AS type, n.channel, n.recipients,"
            " n.subject, n.retry_count AS retries, n.error_details, n.next_attempt_at,"
            " n.sent_at, n.instance_id AS run_id, n.created_at"
            " FROM automation.workflow_notifications n"
            " WHERE (%(s)s::text IS NULL OR n.status = %(s)s)"
            " ORDER BY n.created_at DESC, n.id LIMIT %(l)s", {"s": status, "l": limit}).fetchall()
    emit(rows, fmt, empty="(no notifications)")


@notification_group.command("retry")
@click.argument("notification_id")
def notification_retry(notification_id: str) -> None:
    """Deliver a failed notification again (automation.retry_notification)."""
    with _admin() as conn:
        row = conn.execute("SELECT automation.retry_notification(%s::uuid) AS status",
                           (notification_id,)).fetchone()
    click.echo(f"notification {notification_id}: {row['status'] if row else '?'}")


# --------------------------------------------------------------------------
# reports and pg_cron

REPORTS = {
    "active-tasks-by-queue": "flowable.v_active_tasks_by_queue",
    "user-workload": "flowable.v_user_workload",
    "process-performance": "flowable.v_process_performance",
    "workflow-execution-summary": "automation.vw_workflow_execution_summary",
    "workflow-performance": "automation.vw_workflow_performance",
}


@click.command("report")
@click.argument("name", type=click.Choice(sorted(REPORTS)))
@click.option("--limit", type=click.IntRange(min=1), default=1000, show_default=True)
@format_option
def report_cmd(name: str, limit: int, fmt: str | None) -> None:
    """Print a reporting view (read as pgwf_reporting, on PGWF_REPORTING_DATABASE_URL when set)."""
    schema_name, view = REPORTS[name].split(".")
    with db.get("reporting", pooled=False).transaction() as conn:
        rows = conn.execute(sql.SQL("SELECT * FROM {}.{} LIMIT {}").format(
            sql.Identifier(schema_name), sql.Identifier(view), sql.Literal(limit))).fetchall()
    click.echo(render(rows, fmt, empty="(no rows)"))


CRON_JOB = "pgwf-maintenance"
CRON_COMMAND = "SELECT automation.run_maintenance()"


def _require_pg_cron(conn: Any) -> None:
    row = conn.execute("SELECT count(*) AS n FROM pg_extension WHERE extname = 'pg_cron'").fetchone()
    if not row or not row["n"]:
        raise PgwfError("pg_cron is not installed in this database (it needs shared_preload_libraries"
                        " = 'pg_cron', cron.database_name = this database and CREATE EXTENSION"
                        " pg_cron); run `pgwf scheduler` instead")


@click.group("cron")
def cron_group() -> None:
    """pg_cron, where a DBA has it: the job that calls automation.run_maintenance()."""


@cron_group.command("install")
@click.option("--schedule", default="* * * * *", show_default=True,
              help="cron expression of the job (pg_cron 1.4: at most once a minute).")
def cron_install(schedule: str) -> None:
    """Register automation.run_maintenance() with pg_cron (instead of, or beside, pgwf scheduler).

    Idempotent: the job is named pgwf-maintenance, and installing again changes its schedule.
    """
    with _admin() as conn:
        _require_pg_cron(conn)
        row = conn.execute("SELECT cron.schedule(%s, %s, %s) AS job",
                           (CRON_JOB, schedule, CRON_COMMAND)).fetchone()
    click.echo(f"pg_cron job {row['job'] if row else '?'} ({CRON_JOB}) runs "
               f"automation.run_maintenance() at '{schedule}'")


@cron_group.command("uninstall")
def cron_uninstall() -> None:
    """Remove the pgwf-maintenance job (run `pgwf scheduler` instead)."""
    with _admin() as conn:
        _require_pg_cron(conn)
        rows = conn.execute("SELECT cron.unschedule(jobid) AS gone FROM cron.job WHERE jobname = %s",
                            (CRON_JOB,)).fetchall()
    click.echo(f"pg_cron job {CRON_JOB} removed" if rows else f"no pg_cron job {CRON_JOB}")


@cron_group.command("status")
@format_option
def cron_status(fmt: str | None) -> None:
    """The pgwf-maintenance job and its last runs (cron.job_run_details); exit 1 without the job."""
    with _admin() as conn:
        _require_pg_cron(conn)
        rows = conn.execute(
            """SELECT j.jobid, j.schedule, j.active, j.username, r.status AS last_status,
                      r.start_time AS last_start, r.end_time AS last_end, r.return_message AS last_message,
                      (SELECT count(*) FROM cron.job_run_details d
                        WHERE d.jobid = j.jobid AND d.status = 'succeeded') AS succeeded,
                      (SELECT count(*) FROM cron.job_run_details d
                        WHERE d.jobid = j.jobid AND d.status = 'failed') AS failed
               FROM cron.job j
               LEFT JOIN LATERAL (SELECT d.status, d.start_time, d.end_time, d.return_message
                                    FROM cron.job_run_details d WHERE d.jobid = j.jobid
                                   ORDER BY d.runid DESC LIMIT 1) r ON true
               WHERE j.jobname = %s""", (CRON_JOB,)).fetchall()
    if not rows:
        raise PgwfError(f"no pg_cron job {CRON_JOB}: `pgwf cron install` makes it")
    click.echo(render(rows, fmt))
