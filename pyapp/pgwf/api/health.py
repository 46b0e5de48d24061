"""``GET /health``: the database answers and its schema is the one on disk."""

from __future__ import annotations

from typing import Any

import psycopg
from flask import Blueprint, Response, current_app, jsonify
from yoyo import read_migrations

from pgwf import config, schema
from pgwf.api.common import documented
from pgwf.errors import PgwfError

bp = Blueprint("health", __name__)


# answered from the app's health pool (pgwf.api.create_app): two connections of its own,
# statement_timeout 5 s, lock_timeout 2 s, so it never queues behind user requests
@bp.get("/health")
@documented("/health", "get", "Database reachable and migrations current (no token needed)",
            tag="health", auth=False)
def health() -> tuple[Response, int]:
    report: dict[str, Any] = {"status": "ok", "database": "ok"}
    expected = sorted(m.id for m in read_migrations(str(config.migrations_dir())))
    try:
        with current_app.extensions["pgwf.health_db"].transaction() as conn:
            applied = {r["migration_id"] for r in conn.execute(
                "SELECT migration_id FROM public._yoyo_migration").fetchall()}
            state = conn.execute(f"SELECT checksum FROM public.{schema.STATE_TABLE}").fetchone()
    except PgwfError as exc:
        return jsonify({"status": "unavailable", "database": str(exc)}), 503
    except psycopg.Error as exc:  # reachable, but not a database pgwf db upgrade made
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return jsonify({"status": "unavailable", "database": "ok", "migrations": "unknown",
                        "detail": first}), 503
    pending = [m for m in expected if m not in applied]
    report["migrations"] = "current" if not pending else "pending"
    report["pending_migrations"] = pending
    current = state is not None and state["checksum"] == schema.repeatable_checksum()
    report["functions"] = "current" if current else "stale"
    if pending or not current:
        report["status"] = "degraded"
        return jsonify(report), 503
    return jsonify(report), 200
