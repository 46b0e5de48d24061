"""Errors the Python layer raises itself, and the one translation of a
database error into what a person is told (shared by the API and the CLI).

pgwf's own functions raise ``PWnnn`` codes with messages that name what was
wrong (docs/errors.md). A few raw PostgreSQL errors still reach Python: a
cast in Python-built SQL (``%s::uuid`` of a malformed id), a value too long
for a column, a constraint of a table a DBA command writes directly.
:func:`translate` maps those to PW codes and names the argument that was
wrong, given the arguments the caller passed (``Argument``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg


class PgwfError(Exception):
    """A refusal with a one-line message, shown to the user as is; ``code``, when
    given, is the PW code of docs/errors.md it stands for."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class SchemaLoadError(PgwfError):
    """A file under ``db/`` could not be applied."""


@dataclass(frozen=True)
class Argument:
    """One value a caller passed: ``name`` as the code knows it (usually the
    column it lands in), ``label`` as the person wrote it (``RUN_ID``,
    ``--type``, a JSON field), ``value`` what they gave."""

    name: str
    label: str
    value: Any


@dataclass(frozen=True)
class Refusal:
    """A database error as told to a person: a PW code (or the database's own
    code when it has no PW equivalent), one message, the hint and detail."""

    code: str
    message: str
    hint: str | None = None
    detail: str | None = None

    def lines(self) -> list[str]:
        out = [f"[{self.code}] {self.message}"]
        if self.detail:
            out.append(f"  detail: {self.detail}")
        if self.hint:
            out.append(f"  hint: {self.hint}")
        return out


# raw SQLSTATE -> the PW code it is reported as (docs/errors.md, "Raw PostgreSQL errors")
PW_CODE_BY_SQLSTATE: dict[str, str] = {
    "22P02": "PW400",  # invalid_text_representation: a malformed id, number or boolean
    "22007": "PW400",  # invalid_datetime_format
    "22008": "PW400",  # datetime_field_overflow: a date that does not exist
    "22001": "PW400",  # string_data_right_truncation: a value too long for its column
    "22003": "PW400",  # numeric_value_out_of_range
    "23502": "PW400",  # not_null_violation: a required value is missing
    "23503": "PW404",  # foreign_key_violation: a reference to a row that does not exist
    "23505": "PW409",  # unique_violation: the row exists already
    "23514": "PW422",  # check_violation: a value outside a CHECK list or range
}

# the columns a constraint covers, asked of the catalog: (schema, table, constraint) -> columns
ColumnsOf = Callable[[str, str, str], Sequence[str]]

_QUOTED_VALUE = re.compile(r': "(.*)"$', re.DOTALL)
_TYPE = re.compile(r"for type ([a-z ]+?)(?::|$)")
_VARCHAR_LIMIT = re.compile(r"character varying\((\d+)\)|character\((\d+)\)")
_KEY = re.compile(r"^Key \((.+?)\)=\((.*)\) (is not present in table \"(.+?)\"|already exists)", re.DOTALL)


def _by_value(arguments: Sequence[Argument], value: str) -> Argument | None:
    found = [a for a in arguments if a.value is not None and str(a.value) == value]
    return found[0] if len(found) == 1 else None


def _by_name(arguments: Sequence[Argument], names: Sequence[str]) -> Argument | None:
    found = [a for a in arguments if a.name in names]
    return found[0] if len(found) == 1 else None


def translate(exc: Any, arguments: Sequence[Argument] = (),
              columns_of: ColumnsOf | None = None) -> Refusal:
    """What to tell a person about database error ``exc`` (a ``psycopg.Error``).

    A PW code passes through with the database's message, detail and hint.
    A raw code in :data:`PW_CODE_BY_SQLSTATE` becomes its PW code, with a
    message naming the argument among ``arguments`` that was wrong (by its
    value, its length or the column it lands in) or, failing that, the
    column or constraint. Anything else keeps its own code and message.
    """
    diag = getattr(exc, "diag", None)
    sqlstate: str | None = getattr(diag, "sqlstate", None)
    primary = (getattr(diag, "message_primary", None) or str(exc) or repr(exc)).strip()
    primary = primary.splitlines()[0] if primary else type(exc).__name__
    detail: str | None = getattr(diag, "message_detail", None)
    hint: str | None = getattr(diag, "message_hint", None)
    if sqlstate is None:
        return Refusal("PW503" if _is_connection_error(exc) else "PW400", primary, hint, detail)
    pw = PW_CODE_BY_SQLSTATE.get(sqlstate)
    if pw is None:
        return Refusal(sqlstate, primary, hint, detail)

    if sqlstate in ("22P02", "22007", "22008"):
        m = _QUOTED_VALUE.search(primary)
        t = _TYPE.search(primary)
        kind = t.group(1) if t else "date/time (a field is out of range)" if sqlstate == "22008" \
            else "value"
        if m:
            value = m.group(1)
            arg = _by_value(arguments, value)
            noun = f"{arg.label} {value!r}" if arg else f"the value {value!r}"
            return Refusal(pw, f"{noun} is not a valid {kind}", hint, detail)
        return Refusal(pw, primary, hint, detail)

    if sqlstate == "22001":
        m = _VARCHAR_LIMIT.search(primary)
        if m:
            limit = int(m.group(1) or m.group(2))
            long_ones = [a for a in arguments if isinstance(a.value, str) and len(a.value) > limit]
            if len(long_ones) == 1:
                return Refusal(pw, f"{long_ones[0].label} is longer than {limit} characters", hint, detail)
            if long_ones:
                labels = ", ".join(a.label for a in long_ones)
                return Refusal(pw, f"one of {labels} is longer than {limit} characters", hint, detail)
            return Refusal(pw, f"a value is longer than {limit} characters", hint, detail)
        return Refusal(pw, primary, hint, detail)

    if sqlstate == "23502":
        column = getattr(diag, "column_name", None) or "a column"
        arg = _by_name(arguments, [column])
        return Refusal(pw, f"{arg.label if arg else column} is required (column {column} of "
                           f"{getattr(diag, 'table_name', None) or 'the table'} is NOT NULL)", hint)

    if sqlstate in ("23503", "23505"):
        m = _KEY.match(detail or "")
        if m:
            key, value = m.group(1), m.group(2)
            names = [c.strip() for c in key.split(",")]
            arg = _by_name(arguments, names) or _by_value(arguments, value)
            noun = f"{arg.label} {value!r}" if arg else f"{key} {value!r}"
            if sqlstate == "23505":
                return Refusal(pw, f"{noun} already exists", hint)
            return Refusal(pw, f"{noun} does not exist (no such row in {m.group(4)})", hint)
        if sqlstate == "23503" and detail and "is still referenced" in detail:
            return Refusal("PW409", f"{primary} ({detail})", hint)
        return Refusal(pw, primary, hint, detail)

    # 23514: a value outside a CHECK; which one is the constraint's column (from the catalog)
    constraint = getattr(diag, "constraint_name", None) or "?"
    table = getattr(diag, "table_name", None) or "?"
    columns: Sequence[str] = ()
    schema_name = getattr(diag, "schema_name", None)
    if columns_of is not None and schema_name:
        try:
            columns = columns_of(schema_name, table, constraint)
        except (psycopg.Error, PgwfError):  # the explanation must not hide the refusal itself
            columns = ()
    arg = _by_name(arguments, columns)
    if arg is not None:
        text = f"{arg.label} {str(arg.value)!r} is not allowed (check constraint {constraint} of {table})"
    elif columns:
        text = f"the value of {', '.join(columns)} is not allowed (check constraint {constraint} of {table})"
    else:
        text = f"a value is not allowed by check constraint {constraint} of {table}"
    return Refusal(pw, text, hint)


def constraint_columns(conn: Any, schema: str, table: str, constraint: str) -> list[str]:
    """The columns constraint ``constraint`` of ``schema.table`` covers, from the catalog."""
    row = conn.execute(
        "SELECT array_agg(a.attname::text ORDER BY a.attnum) AS columns"
        "  FROM pg_catalog.pg_constraint c"
        "  JOIN pg_catalog.pg_class r ON r.oid = c.conrelid"
        "  JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace"
        "  JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum = ANY (c.conkey)"
        " WHERE n.nspname = %s AND r.relname = %s AND c.conname = %s",
        (schema, table, constraint)).fetchone()
    if row is None:
        return []
    columns = row["columns"] if isinstance(row, dict) else row[0]
    return list(columns or [])


def _is_connection_error(exc: Any) -> bool:
    return isinstance(exc, psycopg.OperationalError)
