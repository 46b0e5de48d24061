"""``/workflows``, ``/runs``, ``/approvals``, ``/processes``, ``/variables``
and ``/cases``: the automation engine and the case-routing registry.

Models are saved, validated and deployed by automation.* functions; runs are
started, paused, resumed and cancelled by them; approvals are decided by
them; BPMN is deployed and started by flowable.deploy_process/start_process.
Reads go through RLS.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, Response, jsonify, request
from psycopg import sql
from psycopg.types.json import Jsonb

from pgwf.api.common import (
    IDEMPOTENCY_PARAM,
    Key,
    arg,
    as_caller,
    body,
    documented,
    idempotency_key,
    one,
    page,
    query_str,
    rows,
)
from pgwf.api.errors import ApiError

bp = Blueprint("workflows", __name__)

WORKFLOW_COLUMNS = sql.SQL(
    "w.id, w.workflow_key, w.name, w.description, w.category, w.version, w.is_active,"
    " w.is_template, w.tags, w.configuration, w.created_by, w.updated_by, w.created_at,"
    " w.updated_at")
RUN_COLUMNS = sql.SQL(
    "i.id, i.workflow_id, i.status, i.priority, i.started_at, i.completed_at, i.paused_at,"
    " i.progress, i.current_step, i.execution_context, i.output_data, i.error_details,"
    " i.triggered_by, i.trigger_source, i.created_at, i.updated_at, i.parent_instance_id,"
    " (SELECT p.business_key FROM flowable.process_instances p"
    "   WHERE p.process_instance_id = i.id::text) AS business_key")

# React Flow's JSON: the database checks the graph itself (automation.validate_workflow_graph)
_GRAPH: dict[str, Any] = {"type": "object", "required": ["nodes", "edges"], "properties": {
    "nodes": {"type": "array", "items": {"type": "object"}},
    "edges": {"type": "array", "items": {"type": "object"}}}}
_SAVE_SCHEMA: dict[str, Any] = {"type": "object", "required": ["workflow_data", "name"], "properties": {
    "workflow_data": _GRAPH, "name": {"type": "string", "minLength": 1},
    "workflow_id": {"type": "string", "format": "uuid"}, "description": {"type": "string"},
    "category": {"type": "string"}, "configuration": {"type": "object"},
    "tags": {"type": "array", "items": {"type": "string"}}, "is_template": {"type": "boolean"}}}
_REASON = {"type": "object", "properties": {"reason": {"type": "string"}}}


def _uuid(value: str, what: str) -> str:
    """A path id that is a UUID, or a 404 (no row can have another id)."""
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ApiError(404, "PW404", f"{what} {value} does not exist") from None


def _json(value: Any) -> Jsonb | None:
    return None if value is None else Jsonb(value)


# --------------------------------------------------------------------------
# workflow models


@bp.get("/workflows")
@documented("/workflows", "get", "Workflow model versions", tag="workflows", paginated=True,
            returns="Workflow",
            params=[{"name": "category", "in": "query", "required": False, "schema": {"type": "string"}}])
def list_workflows() -> Response:
    base = sql.SQL("SELECT {} FROM automation.workflows w"
                   " WHERE (%(category)s::text IS NULL OR w.category = %(category)s)"
                   ).format(WORKFLOW_COLUMNS)
    with as_caller() as conn:
        return jsonify(page(conn, base, {"category": query_str("category")},
                            [Key("created_at", kind="timestamp"), Key("id", kind="uuid")]))


@bp.post("/workflows")
@documented("/workflows", "post", "Save a model from React Flow JSON (a new version when the "
            "saved one is deployed or has run)", tag="workflows", body_schema=_SAVE_SCHEMA,
            returns="Workflow")
def save_workflow() -> Response:
    data = body()
    tags = arg(data, "tags", "string_array")
    with as_caller() as conn:
        row = one(conn, "SELECT automation.save_workflow(%s, %s, %s, %s, %s, %s, %s, %s) AS id", (
            Jsonb(arg(data, "workflow_data", "object", required=True)),
            arg(data, "name", "string", required=True), arg(data, "workflow_id", "string"),
            arg(data, "description", "string"), arg(data, "category", "string"),
            _json(arg(data, "configuration", "object")), _json(tags),
            arg(data, "is_template", "boolean")))
        saved = one(conn, sql.SQL("SELECT {} FROM automation.workflows w WHERE w.id = %s")
                    .format(WORKFLOW_COLUMNS), (row["id"],))
    return jsonify(saved)


@bp.post("/workflows/validate")
@documented("/workflows/validate", "post", "Check React Flow JSON without saving it (422 names "
            "the node or edge at fault)", tag="workflows",
            body_schema={"type": "object", "required": ["workflow_data"],
                         "properties": {"workflow_data": _GRAPH}})
def validate_workflow() -> Response:
    data = body()
    with as_caller() as conn:
        graph = Jsonb(arg(data, "workflow_data", "object", required=True))
        conn.execute("SELECT automation.validate_workflow_graph(%s),"
                     " automation.validate_workflow_references(%s)", (graph, graph))
    return jsonify({"valid": True})


@bp.get("/workflows/<workflow_id>")
@documented("/workflows/{workflow_id}", "get", "One model version with its graph", tag="workflows",
            returns="Workflow")
def get_workflow(workflow_id: str) -> Response:
    with as_caller() as conn:
        found = rows(conn, sql.SQL("SELECT {}, w.workflow_data FROM automation.workflows w"
                                   " WHERE w.id = %s::uuid").format(WORKFLOW_COLUMNS),
                     (_uuid(workflow_id, "workflow"),))
    if not found:
        raise ApiError(404, "PW404", f"workflow {workflow_id} does not exist")
    return jsonify(found[0])


@bp.get("/workflows/<workflow_id>/versions")
@documented("/workflows/{workflow_id}/versions", "get", "Every version of this model",
            tag="workflows", paginated=True, returns="Workflow")
def workflow_versions(workflow_id: str) -> Response:
    base = sql.SQL("SELECT {} FROM automation.workflows w WHERE w.workflow_key = "
                   "(SELECT x.workflow_key FROM automation.workflows x WHERE x.id = %(id)s::uuid)"
                   ).format(WORKFLOW_COLUMNS)
    with as_caller() as conn:
        return jsonify(page(conn, base, {"id": _uuid(workflow_id, "workflow")},
                            [Key("created_at", kind="timestamp"), Key("id", kind="uuid")]))


@bp.post("/workflows/<workflow_id>/deploy")
@documented("/workflows/{workflow_id}/deploy", "post", "Deploy this version (it becomes "
            "immutable and runnable)", tag="workflows",
            body_schema={"type": "object", "properties": {"business_app": {"type": "string"}}})
def deploy_workflow(workflow_id: str) -> Response:
    data = body()
    with as_caller() as conn:
        row = one(conn, "SELECT automation.deploy_workflow(%s::uuid, coalesce(%s, 'automation'))"
                        " AS definition_id", (workflow_id, arg(data, "business_app", "string")))
    return jsonify(row)


@bp.post("/workflows/<workflow_id>/runs")
@documented("/workflows/{workflow_id}/runs", "post", "Start a run of a deployed version",
            tag="runs", body_schema={"type": "object", "properties": {
                "input": {"type": "object"}, "business_key": {"type": "string"},
                "priority": {"type": "string", "enum": ["low", "normal", "high", "critical"]}}},
            params=[IDEMPOTENCY_PARAM])
def start_run(workflow_id: str) -> Response:
    data = body()
    with as_caller() as conn:
        row = one(conn, "SELECT automation.start_workflow(%s::uuid, %s, coalesce(%s, 'normal'), %s, %s)"
                        " AS run_id",
                  (workflow_id, Jsonb(arg(data, "input", "object", default={})),
                   arg(data, "priority", "string"), arg(data, "business_key", "string"),
                   idempotency_key()))
    return jsonify(row)


# --------------------------------------------------------------------------
# runs


@bp.get("/runs")
@documented("/runs", "get", "Runs I may see, newest first (?status=, ?workflow_id= a version, "
            "?business_key= finds a run by its business key, ?parent_instance_id= the runs a run's "
            "call activities started)",
            tag="runs", paginated=True, returns="Run",
            params=[{"name": "status", "in": "query", "required": False, "schema": {"type": "string"}},
                    {"name": "workflow_id", "in": "query", "required": False,
                     "schema": {"type": "string", "format": "uuid"}},
                    {"name": "business_key", "in": "query", "required": False,
                     "schema": {"type": "string"}},
                    {"name": "parent_instance_id", "in": "query", "required": False,
                     "schema": {"type": "string", "format": "uuid"}}])
def list_runs() -> Response:
    ids: dict[str, str | None] = {}
    for name in ("workflow_id", "parent_instance_id"):
        value = query_str(name)
        if value is not None:
            try:
                value = str(uuid.UUID(value))
            except ValueError:
                raise ApiError(400, "PW400", f"query parameter {name} must be a UUID") from None
        ids[name] = value
    base = sql.SQL("SELECT {} FROM automation.workflow_instances i"
                   " WHERE (%(status)s::text IS NULL OR i.status = %(status)s)"
                   "   AND (%(workflow_id)s::uuid IS NULL OR i.workflow_id = %(workflow_id)s::uuid)"
                   "   AND (%(bk)s::text IS NULL OR EXISTS (SELECT 1 FROM flowable.process_instances p"
                   "        WHERE p.process_instance_id = i.id::text AND p.business_key = %(bk)s))"
                   "   AND (%(parent)s::uuid IS NULL OR i.parent_instance_id = %(parent)s::uuid)"
                   ).format(RUN_COLUMNS)
    with as_caller() as conn:
        return jsonify(page(conn, base, {"status": query_str("status"), "workflow_id": ids["workflow_id"],
                                         "bk": query_str("business_key"), "parent": ids["parent_instance_id"]},
                            [Key("created_at", desc=True, kind="timestamp"),
                             Key("id", desc=True, kind="uuid")]))


@bp.get("/runs/<run_id>")
@documented("/runs/{run_id}", "get", "One run with its steps", tag="runs", returns="Run")
def get_run(run_id: str) -> Response:
    with as_caller() as conn:
        found = rows(conn, sql.SQL("SELECT {} FROM automation.workflow_instances i"
                                   " WHERE i.id = %s::uuid").format(RUN_COLUMNS),
                     (_uuid(run_id, "run"),))
        if not found:
            raise ApiError(404, "PW404", f"run {run_id} does not exist or is not visible to you")
        run = found[0]
        run["steps"] = rows(conn, "SELECT e.id, e.node_id, e.step_type, e.status, e.started_at,"
                                  " e.completed_at, e.duration_ms, e.input_data, e.output_data,"
                                  " e.error_message, e.retry_count, e.max_retries"
                                  " FROM automation.workflow_executions e WHERE e.instance_id = %s"
                                  " ORDER BY e.created_at, e.id", (run["id"],))
    return jsonify(run)


def _control(fn: str, run_id: str) -> Response:
    data = body()
    with as_caller() as conn:
        row = one(conn, sql.SQL("SELECT {}(%s::uuid, %s) AS status").format(
            sql.Identifier("automation", fn)), (run_id, arg(data, "reason", "string")))
    return jsonify({"run_id": run_id, **row})


@bp.post("/runs/<run_id>/pause")
@documented("/runs/{run_id}/pause", "post", "Pause a run", tag="runs", body_schema=_REASON)
def pause_run(run_id: str) -> Response:
    return _control("pause_workflow", run_id)


@bp.post("/runs/<run_id>/resume")
@documented("/runs/{run_id}/resume", "post", "Resume a paused run", tag="runs", body_schema=_REASON)
def resume_run(run_id: str) -> Response:
    return _control("resume_workflow", run_id)


@bp.post("/runs/<run_id>/cancel")
@documented("/runs/{run_id}/cancel", "post", "Cancel a run", tag="runs", body_schema=_REASON)
def cancel_run(run_id: str) -> Response:
    return _control("cancel_workflow", run_id)


@bp.post("/runs/<run_id>/retry")
@documented("/runs/{run_id}/retry", "post", "Run a failed run again from the step it failed at "
            "(its starter or a workflow_admin)", tag="runs", body_schema=_REASON)
def retry_run(run_id: str) -> Response:
    return _control("retry_workflow", run_id)


# --------------------------------------------------------------------------
# approvals


@bp.get("/approvals")
@documented("/approvals", "get", "Approvals waiting for a role I hold (or ?status=), each with "
            "its run (instance_id)",
            tag="approvals", paginated=True, returns="Approval",
            params=[{"name": "status", "in": "query", "required": False, "schema": {"type": "string"}}])
def list_approvals() -> Response:
    base = sql.SQL(
        "SELECT a.id, a.execution_id, a.approver_role, a.approver_user_id, a.status,"
        " a.requested_at, a.responded_at, a.expires_at, a.approval_message,"
        " a.rejection_reason, a.approval_data,"
        " (SELECT e.instance_id FROM automation.workflow_executions e WHERE e.id = a.execution_id)"
        " AS instance_id FROM automation.workflow_approvals a"
        " WHERE a.status = coalesce(%(status)s, 'pending')")
    with as_caller() as conn:
        return jsonify(page(conn, base, {"status": query_str("status")},
                            [Key("requested_at", kind="timestamp"), Key("id", kind="uuid")]))


@bp.post("/approvals/<approval_id>/approve")
@documented("/approvals/{approval_id}/approve", "post", "Approve (needs the approver role)",
            tag="approvals", body_schema={"type": "object", "properties": {
                "comment": {"type": "string"}}}, params=[IDEMPOTENCY_PARAM])
def approve(approval_id: str) -> Response:
    data = body()
    with as_caller() as conn:
        conn.execute("SELECT automation.approve_step(%s::uuid, %s, %s)",
                     (approval_id, arg(data, "comment", "string"), idempotency_key()))
    return jsonify({"approval_id": approval_id, "status": "approved"})


@bp.post("/approvals/<approval_id>/reject")
@documented("/approvals/{approval_id}/reject", "post", "Reject (needs the approver role)",
            tag="approvals", body_schema=_REASON, params=[IDEMPOTENCY_PARAM])
def reject(approval_id: str) -> Response:
    data = body()
    with as_caller() as conn:
        conn.execute("SELECT automation.reject_step(%s::uuid, %s, %s)",
                     (approval_id, arg(data, "reason", "string"), idempotency_key()))
    return jsonify({"approval_id": approval_id, "status": "rejected"})


# --------------------------------------------------------------------------
# BPMN processes, variables, cases


_DEPLOY_SCHEMA: dict[str, Any] = {"type": "object", "required": ["bpmn_xml"], "properties": {
    "bpmn_xml": {"type": "string", "minLength": 1},
    "business_app": {"type": "string", "minLength": 1},
    "activate": {"type": "boolean"}, "default_queue": {"type": "string"}}}
_XML_TYPES = ("application/xml", "text/xml")


def _bpmn_document(conn: Any) -> tuple[str, dict[str, Any]]:
    """The BPMN text sent (a JSON body's bpmn_xml, or the body itself as application/xml)
    and the JSON fields, refused with 413 over the database's upload limit."""
    limit = int(one(conn, "SELECT flowable.bpmn_max_document_bytes() AS n")["n"])
    # room for JSON escaping; the document itself is measured below against the limit
    request.max_content_length = 2 * limit + 65536
    too_big = f"over the limit of {limit} bytes (the database setting pgwf.bpmn_max_document_bytes)"
    if request.mimetype in _XML_TYPES:
        if request.content_length is not None and request.content_length > limit:
            raise ApiError(413, "PW400", f"BPMN document is {request.content_length} bytes, {too_big}")
        try:
            text = request.get_data().decode("utf-8")
        except UnicodeDecodeError:
            raise ApiError(400, "PW400", "the BPMN document is not UTF-8 text") from None
        if "\x00" in text:
            raise ApiError(400, "PW400", "the BPMN document must not contain NUL characters")
        data: dict[str, Any] = {k: v for k, v in request.args.items()}
        if "activate" in data:
            data["activate"] = data["activate"].lower() in ("1", "true", "yes")
    else:
        data = body()
        text = arg(data, "bpmn_xml", "string", required=True)
    size = len(text.encode("utf-8"))
    if size > limit:
        raise ApiError(413, "PW400", f"BPMN document is {size} bytes, {too_big}")
    return text, data


@bp.post("/processes")
@documented("/processes", "post", "Deploy a BPMN 2.0 document (JSON with bpmn_xml, or the XML "
            "itself as application/xml): every executable process becomes the next version of "
            "its key; returns each with the elements it ignored and the worker topics it needs",
            tag="processes", body_schema=_DEPLOY_SCHEMA)
def deploy_process() -> Response:
    with as_caller() as conn:
        text, data = _bpmn_document(conn)
        row = one(conn, "SELECT flowable.deploy_bpmn(%s, entitlements.current_user_id(),"
                        " coalesce(%s, 'onecms'), coalesce(%s, true), NULL, NULL, %s) AS report",
                  (text, arg(data, "business_app", "string"), arg(data, "activate", "boolean"),
                   arg(data, "default_queue", "string")))
    report = row["report"]
    return jsonify({"workflow_id": report["processes"][0]["workflow_id"], **report})


@bp.post("/processes/check")
@documented("/processes/check", "post", "What deploying a BPMN document would do, changing "
            "nothing: per process deploy/unchanged/refused, its version, the problems, the "
            "elements ignored and the worker topics needed", tag="processes",
            body_schema=_DEPLOY_SCHEMA)
def check_process() -> Response:
    with as_caller() as conn:
        text, data = _bpmn_document(conn)
        row = one(conn, "SELECT flowable.bpmn_check(%s, %s) AS report",
                  (text, arg(data, "default_queue", "string")))
    return jsonify(row["report"])


@bp.post("/processes/validate")
@documented("/processes/validate", "post", "Compile a BPMN 2.0 document without deploying it "
            "(422 lists every offending element)", tag="processes",
            body_schema={"type": "object", "required": ["bpmn_xml"],
                         "properties": {"bpmn_xml": {"type": "string", "minLength": 1},
                                        "process_id": {"type": "string"}}})
def validate_process() -> Response:
    with as_caller() as conn:
        text, data = _bpmn_document(conn)
        row = one(conn, "SELECT flowable.bpmn_compile(%s, %s) AS compiled",
                  (text, arg(data, "process_id", "string")))
    return jsonify(row["compiled"])


_PROCESS_LIST = (
    "SELECT d.process_key, (array_agg(d.process_name ORDER BY d.process_version DESC))[1] AS process_name,"
    " count(*)::integer AS versions, max(d.process_version) AS latest_version,"
    " max(d.process_version) FILTER (WHERE d.is_active) AS active_version,"
    " (SELECT count(*)::integer FROM flowable.process_instances p JOIN flowable.workflow_definitions x"
    "   ON x.workflow_id = p.workflow_id WHERE x.process_key = d.process_key"
    "   AND p.status IN ('ACTIVE', 'SUSPENDED')) AS open_instances,"
    " max(d.deployed_at) AS deployed_at"
    " FROM flowable.workflow_definitions d")


@bp.get("/processes")
@documented("/processes", "get", "Deployed processes: key, name, versions, the active version "
            "and the open instances I may see", tag="processes", paginated=True)
def list_processes() -> Response:
    base = sql.SQL(_PROCESS_LIST + " GROUP BY d.process_key")
    with as_caller() as conn:
        return jsonify(page(conn, base, {}, [Key("process_key")]))


@bp.get("/processes/<process_key>")
@documented("/processes/{process_key}", "get", "One process with every version: when and by "
            "whom deployed, active or not, the elements it ignored, who may start it, the worker "
            "topics it needs", tag="processes")
def get_process(process_key: str) -> Response:
    with as_caller() as conn:
        found = rows(conn, _PROCESS_LIST + " WHERE d.process_key = %s GROUP BY d.process_key",
                     (process_key,))
        if not found:
            raise ApiError(404, "PW404", f"process {process_key} is not deployed")
        process = found[0]
        process["versions"] = rows(
            conn, "SELECT d.process_version AS version, d.workflow_id, d.is_active AS active,"
                  " d.process_name, d.deployed_at, d.deployed_by, d.business_app,"
                  " d.ignored_elements, d.start_rules,"
                  " coalesce(d.metadata -> 'topics', '[]'::jsonb) AS topics,"
                  " (SELECT count(*)::integer FROM flowable.process_instances p"
                  "   WHERE p.workflow_id = d.workflow_id AND p.status IN ('ACTIVE', 'SUSPENDED'))"
                  "   AS open_instances"
                  " FROM flowable.workflow_definitions d WHERE d.process_key = %s"
                  " ORDER BY d.process_version", (process_key,))
    return jsonify(process)


@bp.get("/processes/<process_key>/versions/<int:version>/bpmn")
@documented("/processes/{process_key}/versions/{version}/bpmn", "get",
            "One version as BPMN 2.0 XML (?format=xml for the document itself)", tag="processes",
            params=[{"name": "format", "in": "query", "required": False,
                     "schema": {"type": "string", "enum": ["json", "xml"]}}])
def export_process_version(process_key: str, version: int) -> Response:
    with as_caller() as conn:
        found = rows(conn, "SELECT flowable.export_bpmn(d.workflow_id) AS bpmn_xml"
                           " FROM flowable.workflow_definitions d"
                           " WHERE d.process_key = %s AND d.process_version = %s", (process_key, version))
    if not found:
        raise ApiError(404, "PW404", f"process {process_key} has no version {version}")
    if query_str("format") == "xml":
        return Response(found[0]["bpmn_xml"], mimetype="application/xml")
    return jsonify({"process_key": process_key, "version": version, **found[0]})


@bp.get("/processes/<process_key>/instances")
@documented("/processes/{process_key}/instances", "get", "Instances of a process I may see, "
            "newest first, with their business key (?business_key=, ?status=)", tag="processes",
            paginated=True,
            params=[{"name": "business_key", "in": "query", "required": False,
                     "schema": {"type": "string"}},
                    {"name": "status", "in": "query", "required": False, "schema": {"type": "string"}}])
def process_instances(process_key: str) -> Response:
    base = sql.SQL(
        "SELECT p.process_instance_id, p.business_key, d.process_version AS version, p.status,"
        " p.started_by, p.started_at, p.completed_at, p.current_activity, p.case_id, p.priority"
        " FROM flowable.process_instances p JOIN flowable.workflow_definitions d"
        "   ON d.workflow_id = p.workflow_id"
        " WHERE d.process_key = %(key)s"
        "   AND (%(bk)s::text IS NULL OR p.business_key = %(bk)s)"
        "   AND (%(status)s::text IS NULL OR p.status = %(status)s)")
    with as_caller() as conn:
        return jsonify(page(conn, base, {"key": process_key, "bk": query_str("business_key"),
                                         "status": query_str("status")},
                            [Key("started_at", desc=True, kind="timestamp"),
                             Key("process_instance_id", desc=True)]))


@bp.post("/processes/<process_key>/versions/<int:version>/activate")
@documented("/processes/{process_key}/versions/{version}/activate", "post",
            "Make this version the one new starts use", tag="processes")
def activate_process_version(process_key: str, version: int) -> Response:
    with as_caller() as conn:
        row = one(conn, "SELECT flowable.bpmn_activate_version(%s, %s::integer) AS workflow_id",
                  (process_key, version))
    return jsonify(row)


@bp.delete("/processes/<process_key>/versions/<int:version>")
@documented("/processes/{process_key}/versions/{version}", "delete",
            "Delete a version no instance refers to", tag="processes")
def delete_process_version(process_key: str, version: int) -> Response:
    with as_caller() as conn:
        conn.execute("SELECT flowable.bpmn_delete_version(%s, %s::integer)", (process_key, version))
    return jsonify({"process_key": process_key, "version": version, "deleted": True})


@bp.post("/processes/<process_key>/start")
@documented("/processes/{process_key}/start", "post", "Start the active version of a process "
            "(or the version given)",
            tag="processes", body_schema={"type": "object", "properties": {
                "business_key": {"type": "string"}, "variables": {"type": "object"},
                "case_id": {"type": "integer"}, "priority": {"type": "integer"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "version": {"type": "integer"}}}, params=[IDEMPOTENCY_PARAM])
def start_process(process_key: str) -> Response:
    data = body()
    with as_caller() as conn:
        row = one(conn, "SELECT flowable.start_process(%s, %s, %s, %s::bigint, NULL, %s::integer,"
                        " %s::text[], NULL, %s::integer, %s)"
                        " AS process_instance_id",
                  (process_key, arg(data, "business_key", "string"),
                   Jsonb(arg(data, "variables", "object", default={})),
                   arg(data, "case_id", "integer"), arg(data, "priority", "integer"),
                   arg(data, "tags", "string_array"), arg(data, "version", "integer"),
                   idempotency_key()))
    return jsonify(row)


@bp.get("/processes/<int:definition_id>/bpmn")
@documented("/processes/{definition_id}/bpmn", "get", "A deployed definition as BPMN 2.0 XML",
            tag="processes")
def export_bpmn(definition_id: int) -> Response:
    with as_caller() as conn:
        row = one(conn, "SELECT flowable.export_bpmn(%s::bigint) AS bpmn_xml", (definition_id,))
    return jsonify(row)


@bp.get("/process-instances/<instance_id>/variables/<name>")
@documented("/process-instances/{instance_id}/variables/{name}", "get", "One process variable",
            tag="variables")
def get_variable(instance_id: str, name: str) -> Response:
    with as_caller() as conn:
        row = one(conn, "SELECT flowable.get_variable(%s, %s) AS value", (instance_id, name))
    return jsonify({"name": name, **row})


@bp.put("/process-instances/<instance_id>/variables/<name>")
@documented("/process-instances/{instance_id}/variables/{name}", "put", "Set a process variable",
            tag="variables", body_schema={"type": "object", "required": ["type", "value"],
                                          "properties": {
                "type": {"type": "string", "enum": ["STRING", "INTEGER", "BOOLEAN", "DATE", "JSON",
                                                   "BINARY"]},
                "value": {}, "task_id": {"type": "string"}}})
def set_variable(instance_id: str, name: str) -> Response:
    data = body()
    if "value" not in data:
        raise ApiError(400, "PW400", "field value is required")
    with as_caller() as conn:
        row = one(conn, "SELECT flowable.set_variable(%s, %s, %s, %s, %s) AS variable_id",
                  (instance_id, name, arg(data, "type", "string", required=True),
                   Jsonb(data["value"]), arg(data, "task_id", "string")))
    return jsonify(row)


@bp.get("/cases/<int:case_id>")
@documented("/cases/{case_id}", "get", "The processes routing one case", tag="cases")
def get_case(case_id: int) -> Response:
    with as_caller() as conn:
        found = rows(conn, "SELECT m.mapping_id, m.case_id, m.process_instance_id, m.workflow_type,"
                           " m.initiated_by, m.initiated_at, m.current_department, m.current_phase,"
                           " m.expected_completion, m.actual_completion, m.routing_history"
                           " FROM onecms.case_workflow_mapping m WHERE m.case_id = %s"
                           " ORDER BY m.initiated_at, m.mapping_id", (case_id,))
    if not found:
        raise ApiError(404, "PW404", f"case {case_id} does not exist or is not visible to you")
    return jsonify({"case_id": case_id, "processes": found})
