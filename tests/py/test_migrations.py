"""The migrations and db/ describe one schema, and every migration undoes cleanly.

These tests drive the real ``pgwf db`` command against private databases and
compare catalogs (pgwf.schema.snapshot), never file text.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from cli_helpers import run_pgwf
from conftest import create_database, drop_database  # tests/conftest.py
from pgwf import schema


@pytest.fixture(scope="module")
def reference() -> Iterator[dict]:
    """The catalog of a database built straight from db/, without migrations."""
    name = f"pgwf_ref_{uuid.uuid4().hex[:10]}"
    url = create_database(name)
    try:
        schema.build_from_db_dir(url)
        yield schema.snapshot(url)
    finally:
        drop_database(name)


def migration_ids() -> list[str]:
    from yoyo import read_migrations

    return sorted(m.id for m in read_migrations(str(schema.config.migrations_dir())))


def number(mid: str) -> int:
    return schema._number(mid)


def assert_same(actual: dict, expected: dict, what: str) -> None:
    diff = schema.diff_snapshots(actual, expected, "migrated", what)
    assert not diff, "\n".join(diff[:60])


def pgwf_objects(url: str) -> list[tuple[str, str]]:
    """Every object left behind in pgwf's schemas, and the schemas themselves."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            """
            SELECT 'schema', nspname FROM pg_namespace WHERE nspname = ANY(%(s)s)
            UNION ALL
            SELECT 'relation', n.nspname || '.' || c.relname FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ANY(%(s)s)
            UNION ALL
            SELECT 'routine', p.oid::regprocedure::text FROM pg_proc p
              JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ANY(%(s)s)
            UNION ALL
            SELECT 'type', n.nspname || '.' || t.typname FROM pg_type t
              JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = ANY(%(s)s)
            UNION ALL
            SELECT 'public relation', c.relname FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'S', 'p')
               AND c.relname NOT LIKE '\\_yoyo%%' AND c.relname NOT LIKE 'yoyo\\_%%'
               AND c.relname <> %(state)s
               AND NOT EXISTS (SELECT 1 FROM pg_depend d  -- pgTAP's own views
                                WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                  AND d.deptype = 'e')
            UNION ALL
            SELECT 'default privileges', pg_get_userbyid(defaclrole) FROM pg_default_acl
             WHERE pg_get_userbyid(defaclrole) = 'pgwf_owner'
            UNION ALL
            SELECT 'database privilege', datacl::text FROM pg_database
             WHERE datname = current_database() AND datacl::text LIKE '%%pgwf_owner%%'
            """,
            {"s": list(schema.SCHEMAS), "state": schema.STATE_TABLE},
        ).fetchall()
    return sorted(rows)


def test_upgrade_from_empty_builds_exactly_what_db_describes(empty_db: str, reference: dict) -> None:
    result = run_pgwf("db", "upgrade", url=empty_db)
    assert result.returncode == 0, result.stderr
    for mid in migration_ids():
        assert f"applied {mid}" in result.stdout
    assert "applied functions, triggers, views and policies from db/" in result.stdout
    assert_same(schema.snapshot(empty_db), reference, "db/")


def test_every_migration_rolls_back_to_exactly_the_state_before_it(empty_db: str, reference: dict) -> None:
    """Apply the migrations one at a time, recording the catalog after each;
    then roll them back one at a time with ``pgwf db rollback --to N`` and
    find each recorded catalog again (grants and RLS switches included: a
    rollback drops what the policy files set), down to an empty database;
    then upgrade again to db/'s catalog."""
    ids = migration_ids()
    assert ids, "no migrations found"
    before_any = pgwf_objects(empty_db)
    assert before_any == []

    recorded: dict[int, dict] = {}
    with schema._yoyo(empty_db) as (backend, migrations):
        recorded[0] = schema.snapshot(empty_db)
        for i, migration in enumerate(migrations, start=1):
            with backend.lock():
                backend.apply_migrations(backend.to_apply(migrations[:i]))
            recorded[number(migration.id)] = schema.snapshot(empty_db)
            assert recorded[number(migration.id)] != recorded[
                number(migrations[i - 2].id) if i > 1 else 0
            ], f"{migration.id} changed nothing in the catalog"
    schema.apply_repeatable(empty_db, force=True)
    assert_same(schema.snapshot(empty_db), reference, "db/")

    kept = [number(m) for m in ids][:-1]
    for keep in reversed([0, *kept]):
        result = run_pgwf("db", "rollback", "--to", str(keep), "--yes", url=empty_db)
        assert result.returncode == 0, result.stderr
        undone = [m for m in ids if number(m) > keep]
        assert f"rolled back {undone[0]}" in result.stdout
        assert_same(schema.snapshot(empty_db), recorded[keep], f"state after {keep:04d}")
        status = run_pgwf("db", "status", url=empty_db)
        for mid in ids:
            expected = "applied" if number(mid) <= keep else "pending"
            assert f"{expected}  {mid}" in status.stdout

    assert pgwf_objects(empty_db) == [], "rolling back every migration left objects behind"

    again = run_pgwf("db", "upgrade", url=empty_db)
    assert again.returncode == 0, again.stderr
    assert_same(schema.snapshot(empty_db), reference, "db/")


def test_rollback_of_everything_leaves_an_empty_database(fresh_db: str) -> None:
    result = run_pgwf("db", "rollback", "--yes", url=fresh_db)
    assert result.returncode == 0, result.stderr
    for mid in migration_ids():
        assert f"rolled back {mid}" in result.stdout
    assert pgwf_objects(fresh_db) == []
    nothing = run_pgwf("db", "rollback", "--yes", url=fresh_db)
    assert nothing.returncode == 0
    assert "nothing to roll back" in nothing.stdout


def test_upgrade_after_a_full_rollback_works(fresh_db: str, reference: dict) -> None:
    assert run_pgwf("db", "rollback", "--yes", url=fresh_db).returncode == 0
    result = run_pgwf("db", "upgrade", url=fresh_db)
    assert result.returncode == 0, result.stderr
    assert_same(schema.snapshot(fresh_db), reference, "db/")


def test_upgrade_again_is_a_no_op(fresh_db: str) -> None:
    before = schema.snapshot(fresh_db)
    result = run_pgwf("db", "upgrade", url=fresh_db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "already up to date"
    assert schema.snapshot(fresh_db) == before


def test_partial_rollback_then_upgrade_returns_to_db(fresh_db: str, reference: dict) -> None:
    ids = migration_ids()
    keep = number(ids[-2]) if len(ids) > 1 else 0
    result = run_pgwf("db", "rollback", "--to", str(keep), "--yes", url=fresh_db)
    assert result.returncode == 0, result.stderr
    assert f"rolled back {ids[-1]}" in result.stdout
    status = run_pgwf("db", "status", url=fresh_db)
    assert f"pending  {ids[-1]}" in status.stdout
    result = run_pgwf("db", "upgrade", url=fresh_db)
    assert result.returncode == 0, result.stderr
    assert f"applied {ids[-1]}" in result.stdout
    assert_same(schema.snapshot(fresh_db), reference, "db/")


def test_rollback_of_0006_refuses_while_history_holds_a_long_escalate_to(fresh_db: str) -> None:
    name = "Q_" + "X" * 58  # 60 characters: fits varchar(100), not the spec's varchar(50)
    # the newer migrations go first, so that 0006 is the next one to roll back
    result = run_pgwf("db", "rollback", "--to", "6", "--yes", url=fresh_db)
    assert result.returncode == 0, result.stderr
    with psycopg.connect(fresh_db) as conn:
        conn.execute(
            "INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by, escalate_to) "
            "VALUES ('t', 'p', 'ESCALATE', 'SYSTEM', %s)", (name,))
    before = run_pgwf("db", "status", "--json", url=fresh_db)
    assert before.returncode == 0, before.stderr
    result = run_pgwf("db", "rollback", "--to", "5", "--yes", url=fresh_db)
    assert result.returncode != 0
    assert "escalate_to longer than 50 characters" in result.stdout + result.stderr
    # refused means nothing changed: the same migrations applied, the db/ objects as they were
    status = run_pgwf("db", "status", "--json", url=fresh_db)
    assert status.returncode == 0, status.stderr
    state = json.loads(status.stdout)
    assert state == json.loads(before.stdout)
    assert [m["applied"] for m in state["migrations"]][:6] == [True] * 6
    with psycopg.connect(fresh_db) as conn:
        assert conn.execute(
            "SELECT character_maximum_length FROM information_schema.columns "
            "WHERE table_schema = 'flowable' AND table_name = 'task_history' AND column_name = 'escalate_to'"
        ).fetchone() == (100,)
        assert conn.execute("SELECT escalate_to FROM flowable.task_history").fetchone() == (name,)
        conn.execute("DELETE FROM flowable.task_history")
    result = run_pgwf("db", "rollback", "--to", "5", "--yes", url=fresh_db)
    assert result.returncode == 0, result.stderr


def test_verify_passes_on_a_migrated_database(fresh_db: str) -> None:
    result = run_pgwf("db", "verify", url=fresh_db)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "the database matches db/" in result.stdout


def test_verify_fails_and_lists_a_function_changed_by_hand(fresh_db: str) -> None:
    with psycopg.connect(fresh_db) as conn:
        conn.execute("SET ROLE pgwf_owner")
        conn.execute(
            """
            CREATE OR REPLACE FUNCTION flowable.audit_trigger_function()
            RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RETURN NEW;  -- someone forgot to stamp updated_at
            END;
            $$"""
        )
    result = run_pgwf("db", "verify", url=fresh_db)
    assert result.returncode == 1
    assert "routines: only in database:" in result.stdout
    assert "flowable.audit_trigger_function()" in result.stdout
    assert "difference(s) between the database and db/" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_verify_refuses_a_database_with_pending_migrations(empty_db: str) -> None:
    result = run_pgwf("db", "verify", url=empty_db)
    assert result.returncode == 1
    assert "migrations not applied" in result.stderr
