"""``pgwf message send`` and ``pgwf signal send``: BPMN messages and signals.

Both act as a person (``--as``), like the API's ``POST /messages`` and
``POST /signals``; the database correlates and moves the runs.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from psycopg.types.json import Jsonb

from pgwf import db
from pgwf.errors import PgwfError

as_option = click.option("--as", "as_user", envvar="PGWF_USER", required=True,
                         help="The person to act as (default $PGWF_USER).")


def _pairs(values: tuple[str, ...], what: str) -> dict[str, Any] | None:
    """k=v options as a JSON object; a value that is JSON (3, true, "x") keeps its type."""
    if not values:
        return None
    out: dict[str, Any] = {}
    for item in values:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            raise PgwfError(f"{what} {item!r} is not NAME=VALUE")
        try:
            out[key] = json.loads(raw)
        except ValueError:
            out[key] = raw
    return out


@click.group("message")
def message_group() -> None:
    """BPMN messages: deliver one to the run that waits for it."""


@message_group.command("send")
@as_option
@click.argument("name")
@click.option("--business-key", help="The business key of the run the message is for.")
@click.option("--correlate", "correlate", multiple=True, metavar="NAME=VALUE",
              help="A process variable the run must hold (repeatable).")
@click.option("--var", "variables", multiple=True, metavar="NAME=VALUE",
              help="A variable the message carries into the run (repeatable).")
def message_send(as_user: str, name: str, business_key: str | None, correlate: tuple[str, ...],
                 variables: tuple[str, ...]) -> None:
    """Deliver message NAME; exit 3 when no run waits for it and no process starts on it."""
    correlation = _pairs(correlate, "--correlate")
    with db.get("app", pooled=False).transaction(as_user) as conn:
        row = conn.execute("SELECT flowable.correlate_message(%s, %s, %s, %s) AS result",
                           (name, business_key, Jsonb(correlation) if correlation else None,
                            Jsonb(_pairs(variables, "--var") or {}))).fetchone()
    result = row["result"] if row else {}
    click.echo(json.dumps(result, indent=2, sort_keys=True))
    if not result.get("correlated"):
        sys.exit(3)


@click.group("signal")
def signal_group() -> None:
    """BPMN signals: broadcast one to every run that waits for it."""


@signal_group.command("send")
@as_option
@click.argument("name")
@click.option("--var", "variables", multiple=True, metavar="NAME=VALUE",
              help="A variable the signal carries into each run (repeatable).")
def signal_send(as_user: str, name: str, variables: tuple[str, ...]) -> None:
    """Broadcast signal NAME; prints how many catches it reached and which runs it started."""
    with db.get("app", pooled=False).transaction(as_user) as conn:
        row = conn.execute("SELECT flowable.send_signal(%s, %s) AS result",
                           (name, Jsonb(_pairs(variables, "--var") or {}))).fetchone()
    click.echo(json.dumps(row["result"] if row else {}, indent=2, sort_keys=True))
