"""Who the database believes is acting, over real connections: an application login that is
not trusted cannot act as anyone by setting ``app.current_user_id`` (not even through
PGOPTIONS), a signed identity is worth nothing outside its transaction, every history row
says who acted through which login and how, and the CLI's ``--as`` is the audited operator
path that refuses unknown and inactive users."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from api_helpers import Api, api_fixture, login_url  # noqa: F401  (the api fixture)
from cli_helpers import run_pgwf
from psycopg import sql


def untrusted(api: Api, **kw: str) -> psycopg.Connection:
    return psycopg.connect(login_url(api.db_url, "pgwf_test_untrusted"), **kw)


def test_an_untrusted_login_setting_the_identity_acts_as_nobody(api: Api) -> None:
    assert api.post("/tasks/claim-next", "alice", {"queues": ["intake"]}).status == 200
    before = api.sql("SELECT count(*) FROM flowable.task_history")
    with untrusted(api, options="-c app.current_user_id=carol") as conn:
        conn.execute("SET ROLE pgwf_app")
        assert conn.execute("SELECT current_setting('app.current_user_id')").fetchone() == ("carol",)
        assert conn.execute("SELECT entitlements.current_user_id()").fetchone() == (None,)
        assert conn.execute("SELECT count(*) FROM flowable.workflow_tasks").fetchone() == (0,)
        task = api.sql("SELECT task_id FROM flowable.workflow_tasks WHERE assignee_id = 'alice' LIMIT 1")[0][0]
        with pytest.raises(psycopg.Error) as refused:
            conn.execute("SELECT flowable.cancel_task(%s, 'not mine')", (task,))
        assert refused.value.sqlstate == "PW401"
        conn.rollback()
        conn.execute("SET ROLE pgwf_app")
        conn.execute("SELECT set_config('app.current_user_id', 'erin', true)")
        with pytest.raises(psycopg.Error) as refused:
            conn.execute("SELECT entitlements.act_as('erin')")
        assert refused.value.sqlstate == "PW403"
    assert api.sql("SELECT count(*) FROM flowable.task_history") == before


def test_a_signed_identity_is_worthless_outside_its_transaction(api: Api) -> None:
    names = ("app.current_user_id", "app.auth_method", "app.auth_token_id", "app.identity_proof")
    with untrusted(api, autocommit=True) as conn:
        conn.execute("SET ROLE pgwf_app")
        with conn.transaction():
            assert conn.execute("SELECT entitlements.authenticate(%s)",
                                (api.tokens["carol"],)).fetchone() == ("carol",)
            assert conn.execute("SELECT entitlements.current_user_id()").fetchone() == ("carol",)
            assert conn.execute("SELECT count(*) > 0 FROM flowable.workflow_tasks").fetchone() == (True,)
            saved = [conn.execute("SELECT current_setting(%s)", (n,)).fetchone()[0] for n in names]
        with conn.transaction():
            for name, value in zip(names, saved, strict=True):
                conn.execute("SELECT set_config(%s, %s, true)", (name, value))
            assert conn.execute("SELECT entitlements.current_user_id()").fetchone() == (None,)
            assert conn.execute("SELECT count(*) FROM flowable.workflow_tasks").fetchone() == (0,)
    with untrusted(api, autocommit=True) as other:
        other.execute("SET ROLE pgwf_app")
        for name, value in zip(names, saved, strict=True):
            other.execute("SELECT set_config(%s, %s, true)", (name, value))
        assert other.execute("SELECT entitlements.current_user_id()").fetchone() == (None,)


def test_history_records_who_acted_through_which_login_and_how(api: Api) -> None:
    claimed = api.post("/tasks/claim-next", "alice", {"queues": ["intake"]})
    task = claimed.body["task"]["task_id"]
    token_id = api.sql("SELECT token_id FROM entitlements.api_tokens WHERE user_id = 'alice'")[0][0]
    (info,) = api.sql("SELECT client_info FROM flowable.task_history WHERE task_id = %s"
                      " AND action_type = 'CLAIM'", (task,))[0]
    assert {k: info.get(k) for k in ("user", "login", "auth", "token_id")} == {
        "user": "alice", "login": "pgwf_test_app", "auth": "token", "token_id": token_id}

    done = run_pgwf("task", "unclaim", task, "--as", "alice", "--comment", "back", url=api.db_url)
    assert done.returncode == 0, done.stderr
    superuser = api.sql("SELECT current_user")[0][0]
    (info,) = api.sql("SELECT client_info FROM flowable.task_history WHERE task_id = %s"
                      " AND action_type = 'UNCLAIM'", (task,))[0]
    assert (info["user"], info["login"], info["auth"]) == ("alice", superuser, "act_as")


def test_the_cli_refuses_to_act_as_an_unknown_or_inactive_user(api: Api) -> None:
    workflows = api.sql("SELECT count(*) FROM automation.workflow_instances")
    unknown = run_pgwf("task", "inbox", "--as", "nobody", url=api.db_url)
    assert unknown.returncode == 2, unknown.stderr
    assert "user nobody does not exist" in unknown.stderr
    api.sql("UPDATE entitlements.users SET is_active = false WHERE user_id = 'dave'")
    inactive = run_pgwf("task", "inbox", "--as", "dave", url=api.db_url)
    assert inactive.returncode == 2, inactive.stderr
    assert "user dave is inactive" in inactive.stderr
    assert api.sql("SELECT count(*) FROM automation.workflow_instances") == workflows


def test_db_login_sets_a_password_and_says_which_kind_of_login_it_made(api: Api) -> None:
    name = f"pgwf_test_login_{uuid.uuid4().hex[:8]}"
    try:
        made = run_pgwf("db", "login", name, "--group", "pgwf_app", url=api.db_url)
        assert made.returncode == 0, made.stderr
        assert "untrusted" in made.stderr and "new password" in made.stderr
        info = psycopg.conninfo.conninfo_to_dict(made.stdout.strip())
        assert info["user"] == name and len(info["password"]) >= 24
        stored = api.sql("SELECT rolpassword FROM pg_authid WHERE rolname = %s", (name,))[0][0]
        assert stored.startswith("SCRAM-SHA-256$4096:") and info["password"] not in stored
        assert api.sql("SELECT pg_has_role(%s, 'pgwf_trusted_caller', 'MEMBER')", (name,)) == [(False,)]

        trusted = run_pgwf("db", "login", name, "--group", "pgwf_app", "--trusted", url=api.db_url)
        assert trusted.returncode == 0, trusted.stderr
        assert "trusted: it may assert who is acting" in trusted.stderr
        assert api.sql("SELECT pg_has_role(%s, 'pgwf_trusted_caller', 'MEMBER')", (name,)) == [(True,)]
        again = run_pgwf("db", "login", name, "--group", "pgwf_app", "--no-password", url=api.db_url)
        assert again.returncode == 0, again.stderr
        assert "password unchanged" in again.stderr and "password" not in again.stdout
        assert api.sql("SELECT pg_has_role(%s, 'pgwf_trusted_caller', 'MEMBER')", (name,)) == [(False,)]
    finally:
        with psycopg.connect(api.db_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))


def test_only_the_identity_functions_read_the_raw_setting() -> None:
    """Every policy and function asks entitlements.current_user_id(); a raw read of
    app.current_user_id anywhere else would believe whatever any login set. The audit record
    (client_info) reads it raw only in its branch for trusted callers, whose claim is believed."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2] / "db"
    readers = sorted(str(p.relative_to(root)) for p in root.rglob("*.sql")
                     if "current_setting('app.current_user_id'" in p.read_text())
    assert readers == ["functions/entitlements/client_info.sql", "functions/entitlements/current_user_id.sql"]
    audit = (root / "functions/entitlements/client_info.sql").read_text()
    trusted, _, other = audit.partition("ELSE entitlements.verified_client_info()")
    assert "pg_has_role(session_user, 'pgwf_trusted_caller', 'MEMBER') THEN" in trusted
    assert "current_setting('app.current_user_id'" not in other
