"""``pgwf user``, ``pgwf role`` and ``pgwf token``: who may do what.

These are DBA commands: they run as the ``DATABASE_URL`` login (a member of
``pgwf_owner`` or a superuser) and write the entitlements tables, whose
constraints check every value.
"""

from __future__ import annotations

import datetime as dt

import click

from pgwf import config, db
from pgwf.cli.output import emit, format_option
from pgwf.errors import PgwfError


def _admin() -> db.Database:
    return db.get("admin", pooled=False)


# --------------------------------------------------------------------------
# users


@click.group("user")
def user_group() -> None:
    """People who take part in workflows (entitlements.users)."""


@user_group.command("create")
@click.argument("user_id")
@click.option("--username", help="Login name (default: USER_ID).")
@click.option("--email")
@click.option("--first-name")
@click.option("--last-name")
@click.option("--department", "department_code", help="Department code.")
def user_create(user_id: str, username: str | None, email: str | None, first_name: str | None,
                last_name: str | None, department_code: str | None) -> None:
    """Create a user."""
    with _admin().transaction() as conn:
        dept = None
        if department_code:
            row = conn.execute("SELECT department_id FROM entitlements.departments"
                               " WHERE department_code = %s", (department_code,)).fetchone()
            if row is None:
                raise PgwfError(f"department {department_code} does not exist (--department)",
                                code="PW404")
            dept = row["department_id"]
        conn.execute(
            "INSERT INTO entitlements.users (user_id, username, email, first_name, last_name,"
            " department_id) VALUES (%s, %s, %s, %s, %s, %s)",
            (user_id, username or user_id, email, first_name, last_name, dept))
    click.echo(f"created user {user_id}")


@user_group.command("list")
@format_option
def user_list(fmt: str | None) -> None:
    """List users with their department and valid roles."""
    with _admin().transaction() as conn:
        rows = conn.execute(
            """
            SELECT u.user_id, u.username, concat_ws(' ', u.first_name, u.last_name) AS name,
                   d.department_code AS department, u.is_active AS active,
                   coalesce(string_agg(wr.role_code, ',' ORDER BY wr.role_code)
                            FILTER (WHERE wr.role_code IS NOT NULL), '') AS roles
              FROM entitlements.users u
              LEFT JOIN entitlements.departments d ON d.department_id = u.department_id
              LEFT JOIN entitlements.user_workflow_roles uwr ON uwr.user_id = u.user_id
                   AND (uwr.valid_from IS NULL OR uwr.valid_from <= now())
                   AND (uwr.valid_until IS NULL OR uwr.valid_until > now())
              LEFT JOIN entitlements.workflow_roles wr ON wr.role_id = uwr.role_id
             GROUP BY u.user_id, u.username, u.first_name, u.last_name, d.department_code,
                      u.is_active
             ORDER BY u.user_id""").fetchall()
    emit(rows, fmt, empty="(no users)")


@user_group.command("deactivate")
@click.argument("user_id")
def user_deactivate(user_id: str) -> None:
    """Deactivate a user: no more work, tokens refused, history kept."""
    with _admin().transaction() as conn:
        cur = conn.execute("UPDATE entitlements.users SET is_active = false WHERE user_id = %s",
                           (user_id,))
        if cur.rowcount == 0:
            raise PgwfError(f"user {user_id} does not exist", code="PW404")
    click.echo(f"deactivated user {user_id}")


# --------------------------------------------------------------------------
# roles


@click.group("role")
def role_group() -> None:
    """Workflow roles and who holds them (entitlements.workflow_roles)."""


@role_group.command("create")
@click.argument("role_code")
@click.option("--name", "role_name", required=True)
@click.option("--type", "role_type", default="DEPARTMENT", show_default=True,
              help="SYSTEM, DEPARTMENT or CUSTOM.")
@click.option("--department", "department_code", help="Department code.")
@click.option("--queue", "queue_name", help="The queue this role works.")
@click.option("--view-all", is_flag=True, help="Sees every queue of the department.")
@click.option("--supervise", is_flag=True, help="Supervisor: may reassign and cancel tasks.")
def role_create(role_code: str, role_name: str, role_type: str, department_code: str | None,
                queue_name: str | None, view_all: bool, supervise: bool) -> None:
    """Create a workflow role."""
    import json

    with _admin().transaction() as conn:
        conn.execute(
            "INSERT INTO entitlements.workflow_roles (role_code, role_name, role_type,"
            " department_id, queue_name, permissions)"
            " VALUES (%s, %s, %s, (SELECT department_id FROM entitlements.departments"
            "  WHERE department_code = %s), %s, %s::jsonb)",
            (role_code, role_name, role_type, department_code, queue_name,
             json.dumps({**({"view_all": True} if view_all else {}),
                         **({"supervise": True} if supervise else {})})))
    click.echo(f"created role {role_code}")


@role_group.command("grant")
@click.argument("user_id")
@click.argument("role_code")
@click.option("--valid-from", type=click.DateTime(), help="Default: now.")
@click.option("--valid-until", type=click.DateTime(), help="Default: open-ended.")
@click.option("--by", "assigned_by", default="dba",
              show_default="dba", help="Who grants it (recorded).")
def role_grant(user_id: str, role_code: str, valid_from: dt.datetime | None,
               valid_until: dt.datetime | None, assigned_by: str) -> None:
    """Give USER_ID the role ROLE_CODE, optionally for a time window."""
    with _admin().transaction() as conn:
        role = conn.execute("SELECT role_id FROM entitlements.workflow_roles WHERE role_code = %s",
                            (role_code,)).fetchone()
        if role is None:
            raise PgwfError(f"role {role_code} does not exist", code="PW404")
        conn.execute(
            "INSERT INTO entitlements.user_workflow_roles (user_id, role_id, assigned_by,"
            " valid_from, valid_until) VALUES (%s, %s, %s, coalesce(%s, now()), %s)",
            (user_id, role["role_id"], assigned_by, valid_from, valid_until))
    click.echo(f"granted {role_code} to {user_id}")


@role_group.command("revoke")
@click.argument("user_id")
@click.argument("role_code")
def role_revoke(user_id: str, role_code: str) -> None:
    """End USER_ID's hold of ROLE_CODE now (the grant's history stays)."""
    with _admin().transaction() as conn:
        cur = conn.execute(
            "UPDATE entitlements.user_workflow_roles uwr SET valid_until = now()"
            "  FROM entitlements.workflow_roles wr"
            " WHERE wr.role_id = uwr.role_id AND uwr.user_id = %s AND wr.role_code = %s"
            "   AND (uwr.valid_until IS NULL OR uwr.valid_until > now())"
            "   AND (uwr.valid_from IS NULL OR uwr.valid_from < now())",
            (user_id, role_code))
        if cur.rowcount == 0:
            raise PgwfError(f"{user_id} holds no current grant of role {role_code}")
    click.echo(f"revoked {role_code} from {user_id}")


@role_group.command("list")
@format_option
def role_list(fmt: str | None) -> None:
    """List roles with their department, queue and holders."""
    with _admin().transaction() as conn:
        rows = conn.execute(
            """
            SELECT wr.role_code, wr.role_name, wr.role_type, d.department_code AS department,
                   wr.queue_name AS queue,
                   coalesce(wr.permissions ->> 'view_all', 'false') = 'true' AS view_all,
                   coalesce(wr.permissions ->> 'supervise', 'false') = 'true' AS supervise,
                   count(uwr.user_id) FILTER (
                       WHERE (uwr.valid_from IS NULL OR uwr.valid_from <= now())
                         AND (uwr.valid_until IS NULL OR uwr.valid_until > now())) AS holders
              FROM entitlements.workflow_roles wr
              LEFT JOIN entitlements.departments d ON d.department_id = wr.department_id
              LEFT JOIN entitlements.user_workflow_roles uwr ON uwr.role_id = wr.role_id
             GROUP BY wr.role_code, wr.role_name, wr.role_type, d.department_code,
                      wr.queue_name, wr.permissions
             ORDER BY wr.role_code""").fetchall()
    emit(rows, fmt, empty="(no roles)")


# --------------------------------------------------------------------------
# tokens


@click.group("token")
def token_group() -> None:
    """Bearer tokens of the HTTP API (stored hashed; shown once)."""


@token_group.command("create")
@click.argument("user_id")
@click.option("--days", type=click.IntRange(min=1), default=lambda: config.get_int("PGWF_TOKEN_DAYS"),
              show_default="PGWF_TOKEN_DAYS", help="Days the token is valid.")
@click.option("--description", help="What the token is for.")
@format_option
def token_create(user_id: str, days: int, description: str | None, fmt: str | None) -> None:
    """Make a token for USER_ID and print it (only its hash is kept)."""
    with _admin().transaction() as conn:
        row = conn.execute(
            "SELECT * FROM entitlements.create_api_token(%s, make_interval(days => %s), %s)",
            (user_id, days, description)).fetchone()
    assert row is not None
    if fmt:
        emit([row], fmt)
        return
    click.echo(row["token"])
    click.echo(f"token {row['token_id']} for {user_id}, valid until "
               f"{row['expires_at']:%Y-%m-%d %H:%M %Z}; it is not shown again", err=True)


@token_group.command("revoke")
@click.argument("token_id", type=int, required=False)
@click.option("--user", "user_id", help="Revoke every live token of this user instead.")
def token_revoke(token_id: int | None, user_id: str | None) -> None:
    """Revoke token TOKEN_ID (or every token of --user)."""
    if (token_id is None) == (user_id is None):
        raise click.UsageError("give either TOKEN_ID or --user USER")
    with _admin().transaction() as conn:
        if token_id is not None:
            conn.execute("SELECT entitlements.revoke_api_token(%s)", (token_id,))
            click.echo(f"revoked token {token_id}")
        else:
            row = conn.execute("SELECT entitlements.revoke_user_api_tokens(%s) AS n",
                               (user_id,)).fetchone()
            click.echo(f"revoked {row['n'] if row else 0} token(s) of {user_id}")


@token_group.command("list")
@click.option("--user", "user_id", help="Only this user's tokens.")
@format_option
def token_list(user_id: str | None, fmt: str | None) -> None:
    """List tokens (never the tokens themselves) with their state."""
    with _admin().transaction() as conn:
        rows = conn.execute("SELECT token_id, user_id, token_prefix, description, expires_at,"
                            " last_used_at, state FROM entitlements.list_api_tokens(%s)",
                            (user_id,)).fetchall()
    emit(rows, fmt, empty="(no tokens)")
