"""Entry point of the ``pgwf`` command.

Exit codes: 0 ok, 1 refused (by the database or because something is not
there), 2 usage error (Click's own).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, NoReturn

import click
import psycopg

from pgwf import __version__, db
from pgwf.cli.db import db_group
from pgwf.cli.demo import demo_group
from pgwf.cli.events import message_group, signal_group
from pgwf.cli.people import role_group, token_group, user_group
from pgwf.cli.process import process_group
from pgwf.cli.services import (
    connectors_cmd,
    notifier_cmd,
    scheduler_cmd,
    serve_cmd,
    up_cmd,
    worker_cmd,
)
from pgwf.cli.work import (
    approval_group,
    cron_group,
    notification_group,
    queue_group,
    report_cmd,
    run_group,
    task_group,
    workflow_group,
)
from pgwf.errors import Argument, PgwfError, Refusal, constraint_columns, translate


class Refused(Exception):
    """A database refusal, translated while the command's arguments were known."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


class PgwfGroup(click.Group):
    """Turns pgwf and database refusals into the database's message (with its
    detail and hint) and exit code 1; never a Python repr or traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PgwfError as exc:
            click.echo(f"pgwf: [{exc.code}] {exc}" if exc.code else f"pgwf: {exc}", err=True)
            # a refused --as is a bad argument, like click's own usage errors
            sys.exit(getattr(exc, "exit_code", 1))
        except Refused as exc:
            _print(exc.refusal)
        except psycopg.Error as exc:
            _print(translate(exc, columns_of=_columns_of))


def _print(refusal: Refusal) -> NoReturn:
    first, *rest = refusal.lines()
    click.echo(f"pgwf: {first}", err=True)
    for line in rest:
        click.echo(line, err=True)
    sys.exit(1)


def _columns_of(schema_name: str, table: str, constraint: str) -> list[str]:
    with db.get("admin", pooled=False).transaction() as conn:
        return constraint_columns(conn, schema_name, table, constraint)


def _arguments(ctx: click.Context) -> list[Argument]:
    """The values the command was given, each with the name a person wrote."""
    out = []
    for param in ctx.command.params:
        value = ctx.params.get(param.name or "")
        if value is None or isinstance(value, bool) or not param.name:
            continue
        if isinstance(param, click.Option):
            label = max(param.opts, key=len)
        else:
            label = param.human_readable_name
        for one in value if isinstance(value, tuple | list) else (value,):
            out.append(Argument(param.name, label, one))
    return out


def _translating(callback: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return callback(*args, **kwargs)
        except psycopg.Error as exc:
            ctx = click.get_current_context()
            raise Refused(translate(exc, _arguments(ctx), _columns_of)) from None
    return run


def _wrap_leaves(command: click.Command) -> None:
    """Each command's database errors are translated with its own arguments."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _wrap_leaves(sub)
    elif command.callback is not None:
        command.callback = _translating(command.callback)


@click.group(cls=PgwfGroup)
@click.version_option(__version__, prog_name="pgwf")
def cli() -> None:
    """pgwf: a workflow management system that lives in PostgreSQL."""


for command in (db_group, demo_group, user_group, role_group, token_group, queue_group,
                task_group, workflow_group, process_group, run_group, approval_group, report_cmd, cron_group,
                serve_cmd, scheduler_cmd, worker_cmd, notifier_cmd, connectors_cmd, up_cmd,
                message_group, signal_group, notification_group):
    _wrap_leaves(command)
    cli.add_command(command)


if __name__ == "__main__":  # pragma: no cover
    cli()
