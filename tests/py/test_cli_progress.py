"""Long CLI operations tell an operator at a terminal how far they are, on
stderr: each migration of ``pgwf db upgrade`` / ``rollback``, a bar over the
db/ files, each step of ``pgwf demo load`` and ``pgwf db verify``.  Nothing
when stderr is not a terminal or with --quiet, and stdout stays the same."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from pgwf import config, db
from pgwf.cli import progress
from pgwf.cli.main import cli
from yoyo import read_migrations


def migration_ids() -> list[str]:
    return sorted(m.id for m in read_migrations(str(config.migrations_dir())))


@pytest.fixture()
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend stderr is a terminal (CliRunner's never is)."""
    monkeypatch.setattr(progress, "stderr_is_tty", lambda: True)


def test_upgrade_shows_each_migration_and_the_db_files_on_a_terminal(
        empty_db: str, terminal: None) -> None:
    result = CliRunner().invoke(cli, ["db", "upgrade", "--database-url", empty_db])
    assert result.exit_code == 0, result.output
    ids = migration_ids()
    steps = [ln for ln in result.stderr.splitlines() if ln.startswith("[")]
    assert steps == [f"[{n}/{len(ids)}] migration {mid}" for n, mid in enumerate(ids, 1)]
    assert "functions, triggers, views, policies (db/)" in result.stderr
    assert result.stdout.splitlines() == [f"applied {mid}" for mid in ids] + [
        "applied functions, triggers, views and policies from db/"]

    rolled = CliRunner().invoke(cli, ["db", "rollback", "--yes", "--to", "3",
                                      "--database-url", empty_db])
    assert rolled.exit_code == 0, rolled.output
    later = [mid for mid in reversed(ids) if int(mid[:4]) > 3]
    assert [ln for ln in rolled.stderr.splitlines() if ln.startswith("[")] == [
        f"[{n}/{len(later)}] rolling back {mid}" for n, mid in enumerate(later, 1)]


def test_quiet_or_no_terminal_shows_no_progress(empty_db: str, terminal: None,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    quiet = CliRunner().invoke(cli, ["db", "upgrade", "--quiet", "--database-url", empty_db])
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stderr == ""
    assert quiet.stdout.startswith("applied ")
    monkeypatch.setattr(progress, "stderr_is_tty", lambda: False)
    again = CliRunner().invoke(cli, ["db", "upgrade", "--force", "--database-url", empty_db])
    assert again.exit_code == 0, again.output
    assert again.stderr == ""
    assert again.stdout == "applied functions, triggers, views and policies from db/\n"


def test_demo_load_shows_each_step(fresh_db: str, terminal: None,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", fresh_db)
    monkeypatch.setattr(db, "_pools", {})
    result = CliRunner().invoke(cli, ["demo", "load"])
    assert result.exit_code == 0, result.output
    steps = [ln for ln in result.stderr.splitlines() if ln.startswith("[")]
    assert steps[0] == f"[1/{len(steps)}] demo 10_people_and_queues.sql"
    assert steps[-1] == f"[{len(steps)}/{len(steps)}] demo OneCMS_Nextgen_WF.bpmn20.xml and its cases"
    assert result.stdout.startswith("demo data loaded: users ")
    quiet = CliRunner().invoke(cli, ["demo", "load", "-q"])
    assert (quiet.exit_code, quiet.stderr, quiet.stdout) == (0, "", result.stdout)


def test_verify_shows_its_steps(fresh_db: str, terminal: None) -> None:
    result = CliRunner().invoke(cli, ["db", "verify", "--database-url", fresh_db])
    assert result.exit_code == 0, result.output
    steps = [ln.split("] ", 1)[1] for ln in result.stderr.splitlines() if ln.startswith("[")]
    assert steps[1:] == ["building it from db/", "comparing the catalogs"]
    assert steps[0].startswith("creating scratch database pgwf_verify_")
    assert result.stdout == "the database matches db/\n"
