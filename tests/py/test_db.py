"""pgwf.db: identity and role last one transaction, never longer, so a pooled
(or PgBouncer-shared) connection carries nothing from one caller to the next."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from api_helpers import ensure_password, login_url
from pgwf.db import Database
from pgwf.errors import PgwfError


def people(url: str) -> None:
    """alice and bob, active users (only they can be acted as)."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO entitlements.users (user_id, username)"
                     " VALUES ('alice', 'alice'), ('bob', 'bob') ON CONFLICT (user_id) DO NOTHING")


@pytest.fixture()
def pooled(fresh_db: str) -> Iterator[Database]:
    people(fresh_db)
    ensure_password(fresh_db, "pgwf_test_app")
    database = Database(login_url(fresh_db, "pgwf_test_app"), "pgwf_app", min_size=1, max_size=1)
    yield database
    database.close()


WHO = ("SELECT current_user AS role, session_user AS login,"
       " current_setting('app.current_user_id', true) AS person, pg_backend_pid() AS pid")


def test_identity_and_role_end_with_the_transaction(pooled: Database) -> None:
    with pooled.transaction("alice") as conn:
        first = conn.execute(WHO).fetchone()
    assert (first["role"], first["login"], first["person"]) == ("pgwf_app", "pgwf_test_app", "alice")
    with pooled.pool.connection() as raw:  # the same (only) connection, outside pgwf.db
        after = raw.execute(WHO).fetchone()
    assert after["pid"] == first["pid"]
    assert after["role"] == "pgwf_test_app"
    assert after["person"] in ("", None)


def test_a_failed_transaction_rolls_back_and_leaves_nothing(pooled: Database, fresh_db: str) -> None:
    with psycopg.connect(fresh_db) as conn:
        conn.execute("INSERT INTO entitlements.users (user_id, username) VALUES ('dbt', 'dbt')")
        conn.execute("CREATE TABLE public.scratch_note (n int)")
        conn.execute("GRANT INSERT, SELECT ON public.scratch_note TO pgwf_app")
    with pytest.raises(psycopg.errors.DivisionByZero), pooled.transaction("dbt") as conn:
        conn.execute("INSERT INTO public.scratch_note VALUES (1)")
        conn.execute("SELECT 1 / 0")
    with pooled.transaction("bob") as conn:
        assert conn.execute("SELECT count(*) AS n FROM public.scratch_note").fetchone()["n"] == 0
        assert conn.execute(WHO).fetchone()["person"] == "bob"


def test_a_bad_token_is_refused_inside_the_transaction(pooled: Database) -> None:
    with pytest.raises(psycopg.Error) as err, pooled.transaction(token="pgwf_nope"):
        pass
    assert err.value.diag.sqlstate == "PW401"
    with pooled.transaction() as conn:  # the connection is fine afterwards
        assert conn.execute(WHO).fetchone()["person"] in ("", None)


def test_an_unreachable_database_is_one_clear_error() -> None:
    database = Database("postgresql://127.0.0.1:1/nowhere", "pgwf_app", pooled=False)
    with pytest.raises(PgwfError, match="cannot connect to postgresql://127.0.0.1:1/nowhere"), \
            database.transaction("alice"):
        pass


def test_a_statement_that_runs_too_long_is_cancelled(fresh_db: str) -> None:
    people(fresh_db)
    database = Database(fresh_db, "pgwf_app", pooled=False, statement_timeout="50ms")
    with pytest.raises(psycopg.errors.QueryCanceled), database.transaction("alice") as conn:
        conn.execute("SELECT pg_sleep(2)")
    with database.transaction("alice") as conn:
        assert conn.execute("SHOW statement_timeout").fetchone()["statement_timeout"] == "50ms"


def test_the_pooler_setting_and_the_reporting_url_choose_each_processs_connections(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from pgwf import db

    monkeypatch.setenv("DATABASE_URL", "postgresql://dba@primary/pgwf")
    monkeypatch.setenv("PGWF_API_DATABASE_URL", "postgresql://pgwf_api@bouncer:6432/pgwf")
    monkeypatch.setenv("PGWF_TRANSACTION_POOLER", "true")
    monkeypatch.delenv("PGWF_REPORTING_DATABASE_URL", raising=False)
    db.close_all()
    try:
        assert db.get("app").pooler and db.get("worker").pooler
        assert not db.get("admin").pooler  # migrations and the DBA's commands: direct
        assert (db.get("reporting").url, db.get("reporting").role) == (
            "postgresql://dba@primary/pgwf", "pgwf_reporting")
        assert not db.get("reporting").pooler  # the DBA's own URL when no standby is named
        db.close_all()
        monkeypatch.setenv("PGWF_REPORTING_DATABASE_URL", "postgresql://grafana@standby/pgwf")
        assert db.get("reporting").url == "postgresql://grafana@standby/pgwf"
        assert db.get("reporting").pooler
    finally:
        db.close_all()
