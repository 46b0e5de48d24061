"""``pgwf db``: install, upgrade, roll back, inspect and document the schema."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import sys
import uuid
from pathlib import Path

import click
import psycopg
from psycopg import sql

from pgwf import config, schema
from pgwf.cli.progress import Progress, quiet_option
from pgwf.errors import PgwfError

url_option = click.option(
    "--database-url",
    envvar="DATABASE_URL",
    default=config.DEFAULT_DATABASE_URL,
    show_default=True,
    help="libpq connection URL of the pgwf database.",
)


@click.group("db")
def db_group() -> None:
    """Install and maintain the pgwf schema."""


@db_group.command("upgrade")
@url_option
@click.option("--create/--no-create", default=False,
              help="Create the database first if it does not exist.")
@click.option("--force", is_flag=True, help="Re-apply functions, views and policies even if unchanged.")
@quiet_option
def upgrade_cmd(database_url: str, create: bool, force: bool, quiet: bool) -> None:
    """Apply pending migrations, then functions, triggers, views and policies.

    Progress (each migration, then the db/ files) goes to stderr on a terminal.
    """
    if create and schema.ensure_database(database_url):
        click.echo(f"created database {psycopg.conninfo.conninfo_to_dict(database_url).get('dbname')}")
    progress = Progress(quiet)
    try:
        result = schema.upgrade(
            database_url, force_repeatable=force,
            on_migration=lambda mid, n, total: progress.step(f"migration {mid}", n, total),
            on_file=progress.counter("functions, triggers, views, policies (db/)"))
    finally:
        progress.close()
    for mid in result["migrations_applied"]:
        click.echo(f"applied {mid}")
    if result["repeatable_applied"]:
        click.echo("applied functions, triggers, views and policies from db/")
    if not result["migrations_applied"] and not result["repeatable_applied"]:
        click.echo("already up to date")


@db_group.command("rollback")
@url_option
@click.option("--to", "to", type=int, default=None,
              help="Keep migrations numbered up to N; roll back the later ones (default: all).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@quiet_option
def rollback_cmd(database_url: str, to: int | None, yes: bool, quiet: bool) -> None:
    """Roll migrations back, newest first (all of them unless --to N)."""
    if not yes and sys.stdin.isatty():
        what = "every migration" if to is None else f"migrations after {to:04d}"
        click.confirm(f"Roll back {what}? Data in dropped tables is lost", abort=True)
    progress = Progress(quiet)
    done = schema.rollback(
        database_url, to=to,
        on_migration=lambda mid, n, total: progress.step(f"rolling back {mid}", n, total))
    for mid in done:
        click.echo(f"rolled back {mid}")
    if not done:
        click.echo("nothing to roll back")
    elif to is not None and all(s.applied for s in schema.migration_status(database_url)):
        schema.apply_repeatable(database_url, force=True)


@db_group.command("status")
@url_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def status_cmd(database_url: str, as_json: bool) -> None:
    """Show which migrations are applied and whether db/ objects are current."""
    states = schema.migration_status(database_url)
    with schema.connect(database_url) as conn:
        current = schema._state_checksum(conn) == schema.repeatable_checksum()
    if as_json:
        click.echo(json.dumps({
            "migrations": [{"id": s.id, "applied": s.applied} for s in states],
            "repeatable_current": current,
        }, indent=2))
        return
    for s in states:
        click.echo(f"{'applied' if s.applied else 'pending'}  {s.id}")
    click.echo(f"{'current' if current else 'stale  '}  functions, triggers, views, policies (db/)")


@db_group.command("verify")
@url_option
@quiet_option
def verify_cmd(database_url: str, quiet: bool) -> None:
    """Check the database's catalog against a scratch database built from db/.

    Needs the CREATEDB privilege for the scratch database.  Exits 1 and lists
    each difference when they differ.
    """
    pending = [s.id for s in schema.migration_status(database_url) if not s.applied]
    if pending:
        raise PgwfError("migrations not applied: " + ", ".join(pending))
    progress = Progress(quiet)
    scratch = f"pgwf_verify_{uuid.uuid4().hex[:12]}"
    admin = psycopg.conninfo.make_conninfo(database_url, dbname="postgres")
    progress.step(f"creating scratch database {scratch}", 1, 3)
    with schema.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
    try:
        scratch_url = psycopg.conninfo.make_conninfo(database_url, dbname=scratch)
        progress.step("building it from db/", 2, 3)
        schema.build_from_db_dir(scratch_url)
        progress.step("comparing the catalogs", 3, 3)
        diff = schema.diff_snapshots(schema.snapshot(database_url), schema.snapshot(scratch_url))
    finally:
        with schema.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(scratch)))
    if diff:
        for line in diff:
            click.echo(line)
        raise PgwfError(f"{len(diff)} difference(s) between the database and db/")
    click.echo("the database matches db/")


@db_group.command("docs")
@url_option
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Write to this file instead of standard output.")
def docs_cmd(database_url: str, output: Path | None) -> None:
    """Write the schema reference (Markdown) from the catalog's COMMENT ON text."""
    from pgwf.dbdocs import render

    text = render(database_url)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text)
        click.echo(f"wrote {output}")


def scram_verifier(password: str, iterations: int = 4096) -> str:
    """The SCRAM-SHA-256 verifier PostgreSQL stores for ``password`` (RFC 5802/7677), so
    the password itself never reaches the server or its statement log."""
    salt = os.urandom(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()
    b64 = base64.b64encode
    return (f"SCRAM-SHA-256${iterations}:{b64(salt).decode()}$"
            f"{b64(hashlib.sha256(client_key).digest()).decode()}:{b64(server_key).decode()}")


@db_group.command("login")
@url_option
@click.argument("name")
@click.option("--group", type=click.Choice(["pgwf_app", "pgwf_worker", "pgwf_reporting"]),
              required=True, help="The group role the login acts through.")
@click.option("--trusted/--untrusted", default=False,
              help="Trusted: a member of pgwf_trusted_caller, which may assert who is acting "
                   "(the API's own login). Untrusted (the default): identities count only when "
                   "entitlements.authenticate(token) signed them.")
@click.option("--password/--no-password", "with_password", default=True,
              help="Set a new random password and print it in the URL (the default), or leave "
                   "the password alone (peer or certificate authentication).")
def login_cmd(database_url: str, name: str, group: str, trusted: bool, with_password: bool) -> None:
    """Create or update login role NAME in GROUP; print its database URL.

    The API, the worker and reporting tools should each connect as such a
    login, never as the owner or a superuser, so row-level security binds them.
    Each run sets a new random password (sent as a SCRAM verifier, so the server
    never sees it) unless --no-password is given, and says on standard error which
    kind of login it made. docs/operations.md describes the kinds.
    """
    if not name or len(name) > 63:
        raise click.BadParameter("a role name has 1 to 63 characters", param_hint="NAME")
    password = secrets.token_urlsafe(24) if with_password else None
    with schema.connect(database_url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT rolsuper, rolcanlogin FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
        if row is None:
            try:
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(name)))
            except psycopg.errors.DuplicateObject:
                pass  # made by a concurrent call meanwhile
        elif row[0]:
            raise PgwfError(f"role {name} is a superuser: row-level security would not bind it")
        elif not row[1]:
            raise PgwfError(f"role {name} exists and cannot log in")
        conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(name)))
        trust = sql.SQL("GRANT pgwf_trusted_caller TO {}") if trusted else \
            sql.SQL("REVOKE pgwf_trusted_caller FROM {}")
        conn.execute(trust.format(sql.Identifier(name)))
        if password is not None:
            conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                sql.Identifier(name), sql.Literal(scram_verifier(password))))
    kind = ("trusted: it may assert who is acting (pgwf_trusted_caller)" if trusted else
            "untrusted: people act through it only after entitlements.authenticate(token)")
    secret = "with a new password (in the URL)" if password is not None else "password unchanged"
    click.echo(f"login {name} in {group}, {kind}; {secret}", err=True)
    extra = {"password": password} if password is not None else {}
    click.echo(psycopg.conninfo.make_conninfo(database_url, user=name, **extra))


CLEANUP_KINDS = ("runs", "process_instances", "steps", "approvals", "notifications", "subscriptions",
                 "tokens", "tasks", "task_history", "variables", "case_mappings")


@db_group.command("cleanup")
@url_option
@click.option("--dry-run", is_flag=True, help="Remove nothing; show what would go.")
@click.option("--batch", type=click.IntRange(1, 10000), default=500, show_default=True,
              help="Run trees removed per transaction.")
@click.option("--json", "as_json", is_flag=True, help="Print the totals as JSON.")
def cleanup_cmd(database_url: str, dry_run: bool, batch: int, as_json: bool) -> None:
    """Remove finished runs older than their history time-to-live.

    Calls automation.purge_history in a loop, one transaction per batch, until
    nothing expired is left; each batch locks only the finished rows it removes.
    docs/operations.md ("History retention") says how the time-to-live is set.
    """
    totals = dict.fromkeys(CLEANUP_KINDS, 0)
    batches = 0
    with schema.connect(database_url, autocommit=True) as conn:
        while True:
            row = conn.execute("SELECT automation.purge_history(%s, %s)",
                               (None if dry_run else batch, dry_run)).fetchone()
            report = row[0] if row else {}
            for kind in CLEANUP_KINDS:
                totals[kind] += int(report.get(kind) or 0)
            batches += 1
            if dry_run or not (report.get("runs") or report.get("process_instances")):
                break
    if as_json:
        click.echo(json.dumps({"dry_run": dry_run, "batches": batches, **totals}, indent=2))
        return
    verb = "would remove" if dry_run else "removed"
    if not totals["process_instances"] and not totals["runs"]:
        click.echo("no history has outlived its time-to-live" if dry_run else "nothing to remove")
        return
    click.echo(f"{verb}: " + ", ".join(f"{totals[k]} {k.replace('_', ' ')}" for k in CLEANUP_KINDS))
