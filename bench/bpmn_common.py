"""Shared pieces of the BPMN benchmarks: a private database migrated from this
checkout, the OneCMS example and its demo organisation, timing and RESULTS.md."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
from pgwf import schema

EXAMPLE = ROOT / "examples" / "OneCMS_Nextgen_WF.bpmn20.xml"
DEMO_ORG = ROOT / "pyapp" / "pgwf" / "demo" / "bpmn.sql"
RESULTS = ROOT / "bench" / "RESULTS.md"
ADMIN_URL = os.environ.get("PGWF_BENCH_ADMIN_URL", "postgresql:///postgres")


def url_for(dbname: str) -> str:
    info = psycopg.conninfo.conninfo_to_dict(ADMIN_URL)
    info["dbname"] = dbname
    return psycopg.conninfo.make_conninfo(**info)


@contextmanager
def bench_database(prefix: str) -> Iterator[str]:
    """A database migrated from migrations/ + db/ of this checkout, dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = url_for(name)
    try:
        schema.upgrade(url)
        yield url
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def summary(samples_ms: list[float]) -> str:
    ordered = sorted(samples_ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (f"median {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms, "
            f"min {ordered[0]:.1f} ms (n={len(ordered)})")


def timed_ms(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000.0


def machine() -> str:
    with psycopg.connect(ADMIN_URL) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return (f"PostgreSQL {row[0] if row else '?'}, {platform.machine()}, "
            f"{os.cpu_count()} CPUs, Python {platform.python_version()}")


def current_commit() -> str:
    """The checkout's commit (call it when the benchmark database is built)."""
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True, check=False).stdout.strip() or "?"
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "db", "migrations"],
                           capture_output=True, text=True, check=False).stdout.strip()
    return commit + (" + uncommitted db/ changes" if dirty else "")


def append_results(title: str, command: str, lines: list[str], commit: str | None = None) -> None:
    """Append one dated section to bench/RESULTS.md (others append too)."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    commit = commit or current_commit()
    text = [f"\n## {title} ({stamp}, commit {commit})", "", f"Command: `{command}`", "",
            f"Machine: {machine()}", ""] + [f"- {ln}" for ln in lines] + [""]
    if not RESULTS.exists():
        RESULTS.write_text("# Benchmark results\n\nEach section: what was measured, the command, "
                           "the machine and the numbers. Newest last.\n")
    with open(RESULTS, "a", encoding="utf-8") as fh:
        fh.write("\n".join(text))



def act_as_workflow_admin(conn: psycopg.Connection, user: str) -> None:
    """Make ``user`` a holder of the workflow_admin role and the session's identity
    (deploying a process needs both)."""
    conn.execute("INSERT INTO entitlements.users (user_id, username, email) VALUES (%s, %s, %s)"
                 " ON CONFLICT (user_id) DO NOTHING", (user, user, f"{user}@example.org"))
    conn.execute("INSERT INTO entitlements.workflow_roles (role_code, role_name, role_type)"
                 " VALUES ('workflow_admin', 'Workflow administrator', 'SYSTEM') ON CONFLICT (role_code) DO NOTHING")
    conn.execute("INSERT INTO entitlements.user_workflow_roles (user_id, role_id, assigned_by, valid_from)"
                 " SELECT %s, role_id, 'bench', now() - interval '1 day' FROM entitlements.workflow_roles"
                 " WHERE role_code = 'workflow_admin' ON CONFLICT (user_id, role_id) DO NOTHING", (user,))
    conn.execute("SELECT set_config('app.current_user_id', %s, false)", (user,))
