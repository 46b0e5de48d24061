"""Errors the Python layer raises itself (the database raises the rest)."""

from __future__ import annotations


class PgwfError(Exception):
    """A refusal with a one-line message, shown to the user as is."""


class SchemaLoadError(PgwfError):
    """A file under ``db/`` could not be applied."""
