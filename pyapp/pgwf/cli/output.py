"""Printing rows: aligned tables for people, ``--json`` and ``--csv`` for programs."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return value


def _cell(value: Any) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), default=str)
    return str(value)


def cell(value: Any) -> str:
    """One value as a table shows it (JSON for lists and objects)."""
    return _cell(value)


def format_option(fn: F) -> F:
    """``--json`` / ``--csv`` switches (default: an aligned table)."""
    fn = click.option("--csv", "fmt", flag_value="csv", help="Print CSV.")(fn)
    fn = click.option("--json", "fmt", flag_value="json", help="Print JSON.")(fn)
    return fn


def idempotency_option(fn: F) -> F:
    """``--idempotency-key KEY`` of the task actions and run starts (p_idempotency_key)."""
    return click.option(
        "--idempotency-key", "idempotency_key", metavar="KEY",
        help="Run again with the same KEY after a lost answer: the first answer is printed, "
             "nothing is done twice (KEY with other arguments is refused).")(fn)


def render(rows: Sequence[dict[str, Any]], fmt: str | None, columns: Sequence[str] | None = None,
           empty: str = "(no rows)") -> str:
    cols = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        return json.dumps([{c: _plain(r.get(c)) for c in cols} for r in rows], indent=2,
                          default=str)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(cols)
        for r in rows:
            writer.writerow([_cell(r.get(c)) for c in cols])
        return buf.getvalue().rstrip("\n")
    if not rows:
        return empty
    cells = [[_cell(r.get(c)) for c in cols] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(cols)]
    numeric = [all(_is_number(row[i]) for row in cells) for i in range(len(cols))]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.rjust(w) if num else v.ljust(w)
                         for v, w, num in zip(values, widths, numeric, strict=True)).rstrip()

    out = [line(cols), line(["-" * w for w in widths])]
    out += [line(row) for row in cells]
    return "\n".join(out)


def _is_number(text: str) -> bool:
    if text == "":
        return True
    try:
        float(text)
    except ValueError:
        return False
    return True


def emit(rows: Sequence[dict[str, Any]], fmt: str | None, columns: Sequence[str] | None = None,
         empty: str = "(no rows)") -> None:
    click.echo(render(rows, fmt, columns, empty))
