"""Entry point of the ``pgwf`` command.

Exit codes: 0 ok, 1 refused (by the database or because something is not
there), 2 usage error (Click's own).
"""

from __future__ import annotations

import sys
from typing import Any

import click
import psycopg

from pgwf import __version__
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
    queue_group,
    report_cmd,
    run_group,
    task_group,
    workflow_group,
)
from pgwf.errors import PgwfError


class PgwfGroup(click.Group):
    """Turns pgwf and database refusals into one line and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PgwfError as exc:
            click.echo(f"pgwf: {exc}", err=True)
            sys.exit(1)
        except psycopg.Error as exc:
            diag = getattr(exc, "diag", None)
            code = getattr(diag, "sqlstate", None) or "?"
            message = (getattr(diag, "message_primary", None) or str(exc)).strip()
            first = message.splitlines()[0] if message else repr(exc)
            click.echo(f"pgwf: [{code}] {first}", err=True)
            detail = getattr(diag, "message_detail", None)
            if detail:
                click.echo(f"  detail: {detail}", err=True)
            sys.exit(1)


@click.group(cls=PgwfGroup)
@click.version_option(__version__, prog_name="pgwf")
def cli() -> None:
    """pgwf: a workflow management system that lives in PostgreSQL."""


for command in (db_group, demo_group, user_group, role_group, token_group, queue_group,
                task_group, workflow_group, process_group, run_group, approval_group, report_cmd, cron_group,
                serve_cmd, scheduler_cmd, worker_cmd, notifier_cmd, connectors_cmd, up_cmd,
                message_group, signal_group):
    cli.add_command(command)


if __name__ == "__main__":  # pragma: no cover
    cli()
