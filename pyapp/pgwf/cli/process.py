"""``pgwf process``: BPMN processes, deployed, listed, shown, started and exported
as a person (``--as USER``), through the same functions as the API
(flowable.deploy_bpmn, bpmn_check, start_process, export_bpmn, ...)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from psycopg.types.json import Jsonb

from pgwf import db
from pgwf.cli.output import emit, format_option, idempotency_option
from pgwf.errors import PgwfError

as_option = click.option("--as", "as_user", envvar="PGWF_USER", required=True,
                         help="The person to act as (default $PGWF_USER).")


def _person(user: str) -> Any:
    return db.get("app", pooled=False).transaction(user)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PgwfError(f"{path}: not UTF-8 text") from None


def _var(text: str) -> tuple[str, Any]:
    """``k=v``: v as JSON when it is (numbers, true, null, quoted text, objects), else text."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise click.BadParameter(f"{text!r} is not NAME=VALUE", param_hint="--var")
    try:
        return name.strip(), json.loads(value)
    except ValueError:
        return name.strip(), value


def _ignored_lines(items: list[dict[str, Any]]) -> list[str]:
    return [f"    {i.get('id') or '?'}:{i['kind']} in {i['in']}: {i['reason']}" for i in items]


@click.group("process")
def process_group() -> None:
    """BPMN 2.0 processes: deploy, check, list, show, start, export."""


@process_group.command("deploy")
@as_option
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--check", is_flag=True,
              help="Change nothing: print what would deploy, be ignored and be refused, and "
                   "the worker topics needed (exit 1 when something would be refused).")
@click.option("--business-app", default="onecms", show_default=True)
@click.option("--no-activate", is_flag=True, help="Deploy without making it the version new starts use.")
@click.option("--default-queue", help="Queue of user tasks that name none and have no candidate group with one.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def process_deploy(as_user: str, path: Path, check: bool, business_app: str, no_activate: bool,
                   default_queue: str | None, as_json: bool) -> None:
    """Deploy every executable process of a BPMN file (each under its own key)."""
    text = _read(path)
    with _person(as_user) as conn:
        if check:
            row = conn.execute("SELECT flowable.bpmn_check(%s, %s) AS r", (text, default_queue)).fetchone()
        else:
            row = conn.execute("SELECT flowable.deploy_bpmn(%s, NULL, %s, %s, NULL, NULL, %s) AS r",
                               (text, business_app, not no_activate, default_queue)).fetchone()
    assert row is not None
    report = row["r"]
    if as_json:
        click.echo(json.dumps(report, indent=2, default=str))
    else:
        for p in report["processes"]:
            if check:
                action = p["action"]
                head = {"deploy": f"would deploy as version {p.get('version')}",
                        "unchanged": f"unchanged (version {p.get('version')} has the same XML)",
                        "refused": "would be refused"}[action]
            else:
                head = (f"unchanged: version {p['version']}" if p["unchanged"]
                        else f"deployed version {p['version']}") + \
                    f" (definition {p['workflow_id']}{', active' if p['active'] else ''})"
            click.echo(f"{p['process_key']}: {head}")
            for problem in p.get("refused") or []:
                click.echo(f"  refused: {problem}")
            if p.get("topics"):
                click.echo(f"  worker topics: {_topics(p['topics'])}")
            ignored = p.get("ignored") or []
            if ignored:
                click.echo(f"  ignored ({len(ignored)}):")
                for line in _ignored_lines(ignored):
                    click.echo(line)
    if check and not report.get("deployable", False):
        raise SystemExit(1)


@process_group.command("list")
@as_option
@format_option
def process_list(as_user: str, fmt: str | None) -> None:
    """Deployed processes: versions, the active one, open instances you may see."""
    with _person(as_user) as conn:
        rows = conn.execute(
            "SELECT d.process_key AS key,"
            " (array_agg(d.process_name ORDER BY d.process_version DESC))[1] AS name,"
            " count(*)::integer AS versions, max(d.process_version) FILTER (WHERE d.is_active) AS active,"
            " (SELECT count(*)::integer FROM flowable.process_instances p JOIN flowable.workflow_definitions x"
            "   ON x.workflow_id = p.workflow_id WHERE x.process_key = d.process_key"
            "   AND p.status IN ('ACTIVE', 'SUSPENDED')) AS open_instances"
            " FROM flowable.workflow_definitions d GROUP BY d.process_key ORDER BY d.process_key").fetchall()
    emit(rows, fmt, empty="(no processes)")


@process_group.command("show")
@as_option
@click.argument("key")
@click.option("--version", "version", type=int, help="This version (default: the active one, else the newest).")
@click.option("--json", "as_json", is_flag=True)
def process_show(as_user: str, key: str, version: int | None, as_json: bool) -> None:
    """One process version: its versions, what it ignored, who may start it, its topics."""
    with _person(as_user) as conn:
        versions = conn.execute(
            "SELECT d.process_version AS version, d.workflow_id, d.is_active AS active, d.process_name,"
            " d.deployed_at, d.deployed_by, d.ignored_elements, d.start_rules,"
            " coalesce(d.metadata -> 'topics', '[]'::jsonb) AS topics"
            " FROM flowable.workflow_definitions d WHERE d.process_key = %s ORDER BY d.process_version",
            (key,)).fetchall()
    if not versions:
        raise PgwfError(f"process {key} is not deployed")
    if version is None:
        chosen = next((v for v in versions if v["active"]), versions[-1])
    else:
        chosen = next((v for v in versions if v["version"] == version), None)
        if chosen is None:
            raise PgwfError(f"process {key} has no version {version}")
    if as_json:
        click.echo(json.dumps({"process_key": key, **chosen,
                               "versions": [v["version"] for v in versions]}, indent=2, default=str))
        return
    click.echo(f"{key}  {chosen['process_name']}  version {chosen['version']}"
               f"{' (active)' if chosen['active'] else ''}  of {len(versions)}")
    click.echo(f"  deployed {chosen['deployed_at']:%Y-%m-%d %H:%M:%S} by {chosen['deployed_by']}"
               f", definition {chosen['workflow_id']}")
    rules = chosen["start_rules"] or {}
    groups, users = rules.get("candidateStarterGroups") or [], rules.get("candidateStarterUsers") or []
    click.echo("  started by: " + ("anyone" if not groups and not users
                                   else ", ".join([f"group {g}" for g in groups] + [f"user {u}" for u in users])))
    if chosen["topics"]:
        click.echo(f"  worker topics: {_topics(chosen['topics'])}")
    ignored = chosen["ignored_elements"] or []
    click.echo(f"  ignored ({len(ignored)}):" if ignored else "  ignored: nothing")
    for line in _ignored_lines(ignored):
        click.echo(line)


@process_group.command("start")
@as_option
@click.argument("key")
@click.option("--var", "variables", multiple=True, help="NAME=VALUE (VALUE as JSON when it is); repeat.")
@click.option("--business-key", help="The business identifier of the run, e.g. the case number.")
@click.option("--version", "version", type=int, help="Start this version instead of the active one.")
@click.option("--case-id", type=int)
@click.option("--priority", type=click.IntRange(0, 100))
@idempotency_option
def process_start(as_user: str, key: str, variables: tuple[str, ...], business_key: str | None,
                  version: int | None, case_id: int | None, priority: int | None,
                  idempotency_key: str | None) -> None:
    """Start a process; prints the process instance id."""
    data = dict(_var(v) for v in variables)
    with _person(as_user) as conn:
        row = conn.execute(
            "SELECT flowable.start_process(%s, %s, %s, %s::bigint, NULL, %s::integer, NULL, NULL, %s::integer, %s)"
            " AS id", (key, business_key, Jsonb(data), case_id, priority, version, idempotency_key)).fetchone()
    click.echo(row["id"] if row else "")


@process_group.command("export")
@as_option
@click.argument("key")
@click.option("--version", "version", type=int, help="This version (default: the active one).")
def process_export(as_user: str, key: str, version: int | None) -> None:
    """Print a deployed version as BPMN 2.0 XML."""
    with _person(as_user) as conn:
        row = conn.execute(
            "SELECT flowable.export_bpmn(d.workflow_id) AS xml FROM flowable.workflow_definitions d"
            " WHERE d.process_key = %s AND (d.process_version = %s OR %s::integer IS NULL AND d.is_active)"
            " ORDER BY d.process_version DESC LIMIT 1", (key, version, version)).fetchone()
    if row is None:
        raise PgwfError(f"process {key} has no {'version ' + str(version) if version else 'active version'}")
    click.echo(row["xml"])


@process_group.command("activate")
@as_option
@click.argument("key")
@click.argument("version", type=int)
def process_activate(as_user: str, key: str, version: int) -> None:
    """Make VERSION the one new starts use."""
    with _person(as_user) as conn:
        conn.execute("SELECT flowable.bpmn_activate_version(%s, %s::integer)", (key, version))
    click.echo(f"{key}: version {version} is active")


@process_group.command("delete")
@as_option
@click.argument("key")
@click.argument("version", type=int)
def process_delete(as_user: str, key: str, version: int) -> None:
    """Delete a version no instance refers to."""
    with _person(as_user) as conn:
        conn.execute("SELECT flowable.bpmn_delete_version(%s, %s::integer)", (key, version))
    click.echo(f"{key}: version {version} deleted")


@process_group.command("instances")
@as_option
@click.argument("key")
@click.option("--business-key", help="Only the run(s) with this business key.")
@click.option("--status", help="ACTIVE, COMPLETED, SUSPENDED, TERMINATED or ERROR.")
@format_option
def process_instances(as_user: str, key: str, business_key: str | None, status: str | None,
                      fmt: str | None) -> None:
    """Instances of a process you may see, newest first, with their business key."""
    with _person(as_user) as conn:
        rows = conn.execute(
            "SELECT p.process_instance_id AS id, p.business_key, d.process_version AS version, p.status,"
            " p.started_by, p.started_at, p.current_activity"
            " FROM flowable.process_instances p JOIN flowable.workflow_definitions d ON d.workflow_id = p.workflow_id"
            " WHERE d.process_key = %(k)s AND (%(bk)s::text IS NULL OR p.business_key = %(bk)s)"
            "   AND (%(s)s::text IS NULL OR p.status = %(s)s)"
            " ORDER BY p.started_at DESC, p.process_instance_id DESC LIMIT 500",
            {"k": key, "bk": business_key, "s": status}).fetchall()
    emit(rows, fmt, empty="(no instances)")


def _topics(topics: list[str]) -> str:
    """The topics, each one no built-in connector performs marked: its steps wait for a worker
    that subscribes to it (pgwf worker leases only the topics it has a connector for)."""
    from pgwf import connectors

    return ", ".join(t if t in connectors.REGISTRY else f"{t} (no connector in pgwf worker: run a worker for it)"
                     for t in topics)
