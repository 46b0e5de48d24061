"""``pgwf db login``: the non-owner logins `make run` gives the API and the worker."""

from __future__ import annotations

import uuid

import psycopg
from cli_helpers import run_pgwf
from psycopg import sql


def test_login_is_created_once_in_its_group_and_its_url_connects(fresh_db: str) -> None:
    name = f"pgwf_test_login_{uuid.uuid4().hex[:8]}"
    try:
        first = run_pgwf("db", "login", name, "--group", "pgwf_app", url=fresh_db)
        again = run_pgwf("db", "login", name, "--group", "pgwf_app", url=fresh_db)
        assert first.returncode == 0, first.stderr
        assert again.returncode == 0, again.stderr
        # the same login again: only its password is new
        first_info = psycopg.conninfo.conninfo_to_dict(first.stdout.strip())
        again_info = psycopg.conninfo.conninfo_to_dict(again.stdout.strip())
        assert first_info.pop("password") != again_info.pop("password")
        assert first_info == again_info
        login_url = again.stdout.strip()
        with psycopg.connect(login_url) as conn:
            assert conn.execute("SELECT current_user").fetchone() == (name,)
            assert conn.execute("SELECT pg_has_role(current_user, 'pgwf_app', 'MEMBER'), "
                                "pg_has_role(current_user, 'pgwf_owner', 'MEMBER'), "
                                "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
                                ).fetchone() == (True, False, False)
            conn.execute("SET ROLE pgwf_app")
            # row-level security binds it: no identity, no tasks
            assert conn.execute("SELECT count(*) FROM flowable.workflow_tasks").fetchone() == (0,)
    finally:
        with psycopg.connect(fresh_db, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))


def test_login_refuses_a_superuser_and_an_unknown_group(fresh_db: str) -> None:
    with psycopg.connect(fresh_db) as conn:
        superuser = conn.execute("SELECT current_user").fetchone()[0]
    refused = run_pgwf("db", "login", superuser, "--group", "pgwf_app", url=fresh_db)
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        f"pgwf: role {superuser} is a superuser: row-level security would not bind it")
    usage = run_pgwf("db", "login", "x", "--group", "pgwf_owner", url=fresh_db)
    assert usage.returncode == 2
    assert "pgwf_owner" in usage.stderr
