"""Settings read from the environment (``PGWF_*`` and ``DATABASE_URL``)."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DATABASE_URL = "postgresql:///pgwf"


def database_url() -> str:
    """The connection string: ``$DATABASE_URL`` or a local database ``pgwf``."""
    return os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL


def project_root() -> Path:
    """The directory holding ``db/`` and ``migrations/``.

    ``PGWF_HOME`` overrides it; otherwise the checkout this package lives in.
    """
    env = os.environ.get("PGWF_HOME")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2]


def db_dir() -> Path:
    return project_root() / "db"


def migrations_dir() -> Path:
    return project_root() / "migrations"
