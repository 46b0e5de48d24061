"""``pgwf db`` as an operator meets it: clear refusals, status, usage errors."""

from __future__ import annotations

import json
import socket

import pytest
from cli_helpers import run_pgwf
from pgwf import config
from yoyo import read_migrations


def free_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def migration_ids() -> list[str]:
    return sorted(m.id for m in read_migrations(str(config.migrations_dir())))


@pytest.mark.parametrize("command", [
    ["db", "upgrade"], ["db", "status"], ["db", "rollback", "--yes"], ["db", "verify"], ["db", "docs"],
])
def test_an_unreachable_server_gives_one_clear_line_and_no_traceback(command: list[str]) -> None:
    url = f"postgresql://pgwf@127.0.0.1:{free_port()}/pgwf"
    result = run_pgwf(*command, url=url, timeout=60)
    assert result.returncode == 1
    output = [ln for ln in (result.stdout + result.stderr).splitlines() if ln.strip()]
    assert len(output) == 1, output
    assert output[0].startswith(f"pgwf: cannot connect to {url}")
    assert "Connection refused" in output[0]
    assert "Traceback" not in result.stderr


def test_a_password_in_the_url_is_not_printed() -> None:
    url = f"postgresql://pgwf:sekrit@127.0.0.1:{free_port()}/pgwf"
    result = run_pgwf("db", "upgrade", url=url, timeout=60)
    assert result.returncode == 1
    assert "sekrit" not in result.stdout + result.stderr
    assert "pgwf:***@127.0.0.1" in result.stderr


def test_status_lists_every_migration_as_applied_on_a_migrated_database(fresh_db: str) -> None:
    result = run_pgwf("db", "status", url=fresh_db)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:-1] == [f"applied  {mid}" for mid in migration_ids()]
    assert lines[-1] == "current  functions, triggers, views, policies (db/)"


def test_status_lists_every_migration_as_pending_on_an_empty_database(empty_db: str) -> None:
    result = run_pgwf("db", "status", "--json", url=empty_db)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc == {
        "migrations": [{"id": mid, "applied": False} for mid in migration_ids()],
        "repeatable_current": False,
    }


def test_upgrade_create_makes_a_missing_database(template_db: str) -> None:
    from conftest import drop_database, url_for  # tests/conftest.py

    name = f"pgwf_create_{free_port()}"
    try:
        result = run_pgwf("db", "upgrade", "--create", url=url_for(name))
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[0] == f"created database {name}"
        status = run_pgwf("db", "status", "--json", url=url_for(name))
        assert all(m["applied"] for m in json.loads(status.stdout)["migrations"])
    finally:
        drop_database(name)


@pytest.mark.parametrize("command", [
    ["db", "rollback", "--to", "abc"],
    ["db", "nosuch"],
    ["nosuch"],
    ["db", "upgrade", "--bogus-flag"],
    ["db", "docs", "--output"],
])
def test_usage_errors_exit_2(command: list[str]) -> None:
    result = run_pgwf(*command, url="postgresql://127.0.0.1:1/unused", timeout=60)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Error:" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_names_every_db_command() -> None:
    result = run_pgwf("db", "--help")
    assert result.returncode == 0
    for name in ("upgrade", "rollback", "status", "verify", "docs"):
        assert name in result.stdout
