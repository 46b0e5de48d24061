"""Test harness: a migrated template database per test session, pgTAP files
collected as pytest items, fresh databases cloned for Python tests.

Settings: ``PGWF_TEST_ADMIN_URL`` (default ``postgresql:///postgres``), a
connection with the right to create databases and roles.
"""

from __future__ import annotations

import os
import re
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from pgwf import schema
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
SQL_TESTS = ROOT / "tests" / "sql"
SQL_HELPERS = SQL_TESTS / "helpers"
ADMIN_URL = os.environ.get("PGWF_TEST_ADMIN_URL", "postgresql:///postgres")

# Login roles the tests act as; each is a member of one pgwf group role.
TEST_LOGINS = {
    "pgwf_test_app": "pgwf_app",
    "pgwf_test_untrusted": "pgwf_app",
    "pgwf_test_worker": "pgwf_worker",
    "pgwf_test_reporting": "pgwf_reporting",
}
# the logins that may assert an identity (app.current_user_id), as the API's own login does
TRUSTED_TEST_LOGINS = ("pgwf_test_app",)


def url_for(dbname: str) -> str:
    info = psycopg.conninfo.conninfo_to_dict(ADMIN_URL)
    info["dbname"] = dbname
    return psycopg.conninfo.make_conninfo(**info)


def admin() -> psycopg.Connection:
    return psycopg.connect(ADMIN_URL, autocommit=True)


def create_database(name: str, template: str | None = None) -> str:
    with admin() as conn:
        stmt = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            stmt = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template))
        conn.execute(stmt)
    return url_for(name)


def drop_database(name: str) -> None:
    with admin() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def ensure_test_logins() -> None:
    with admin() as conn:
        for login, group in TEST_LOGINS.items():
            conn.execute(
                f"""
                DO $$
                BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{login}') THEN
                        CREATE ROLE {login} LOGIN;
                    END IF;
                EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
                END $$"""  # fixed names above
            )
            conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(login)))
            if login in TRUSTED_TEST_LOGINS:
                conn.execute(sql.SQL("GRANT pgwf_trusted_caller TO {}").format(sql.Identifier(login)))


def install_test_support(url: str) -> None:
    """pgTAP and the fixture builders (tests/sql/helpers) in schema ``tests``."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pgtap")
        conn.execute("CREATE SCHEMA IF NOT EXISTS tests")
        conn.execute("GRANT USAGE ON SCHEMA tests TO PUBLIC")
    with psycopg.connect(url) as conn:
        schema.load_files(conn, sorted(SQL_HELPERS.glob("*.sql")), SQL_TESTS)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA tests TO PUBLIC")


class _Databases:
    """The session's template and shared pgTAP database, made on first use
    (pgTAP items cannot take fixtures) and dropped when the session ends."""

    def __init__(self) -> None:
        self.template: str | None = None
        self.sql_url: str | None = None
        self._made: list[str] = []

    def get_template(self) -> str:
        if self.template is None:
            name = f"pgwf_tpl_{uuid.uuid4().hex[:10]}"
            url = create_database(name)
            self._made.append(name)
            schema.upgrade(url)
            ensure_test_logins()
            install_test_support(url)
            self.template = name
        return self.template

    def get_sql_url(self) -> str:
        if self.sql_url is None:
            name = f"pgwf_sql_{uuid.uuid4().hex[:10]}"
            self.sql_url = create_database(name, self.get_template())
            self._made.append(name)
        return self.sql_url

    def drop_all(self) -> None:
        for name in reversed(self._made):
            drop_database(name)
        self._made.clear()


DATABASES = _Databases()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    DATABASES.drop_all()


@pytest.fixture(scope="session")
def template_db() -> str:
    """Name of a database migrated to the head of migrations/, with test support."""
    return DATABASES.get_template()


@pytest.fixture(scope="session")
def sql_db() -> str:
    """URL of the clone shared by every pgTAP file (each file rolls back)."""
    return DATABASES.get_sql_url()


@pytest.fixture()
def fresh_db(template_db: str) -> Iterator[str]:
    """A private clone for a Python test that commits."""
    name = f"pgwf_t_{uuid.uuid4().hex[:10]}"
    url = create_database(name, template_db)
    try:
        yield url
    finally:
        drop_database(name)


@pytest.fixture()
def empty_db() -> Iterator[str]:
    """A database with nothing in it."""
    name = f"pgwf_e_{uuid.uuid4().hex[:10]}"
    url = create_database(name)
    try:
        yield url
    finally:
        drop_database(name)


# --------------------------------------------------------------------------
# pgTAP files as pytest items

_TAP_LINE = re.compile(r"^(not ok|ok) (\d+)(?: - (.*))?$")
_PLAN = re.compile(r"^1\.\.(\d+)$")


class PgTapFailure(Exception):
    pass


class PgTapFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        yield PgTapItem.from_parent(self, name=self.path.stem)


class PgTapItem(pytest.Item):
    def runtest(self) -> None:
        url = DATABASES.get_sql_url()
        proc = subprocess.run(
            ["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", str(self.path)],
            capture_output=True, text=True, timeout=600, check=False,
        )
        lines = [ln.strip() for ln in proc.stdout.splitlines() if ln.strip()]
        planned = None
        ran, failures, diags = 0, [], []
        for ln in lines:
            if m := _PLAN.match(ln):
                planned = int(m.group(1))
            elif m := _TAP_LINE.match(ln):
                ran += 1
                if m.group(1) == "not ok" and "# TODO" not in (m.group(3) or ""):
                    failures.append(f"not ok {m.group(2)} - {m.group(3) or ''}")
            elif ln.startswith("#"):
                diags.append(ln)
        problems = list(failures)
        if proc.returncode != 0:
            problems.append(f"psql exited {proc.returncode}: {proc.stderr.strip()}")
        if planned is None and proc.returncode == 0:
            problems.append("no plan: the file never called plan()")
        elif planned is not None and ran != planned:
            problems.append(f"planned {planned} tests but ran {ran}")
        if ran == 0 and proc.returncode == 0:
            problems.append("no assertions ran")
        if problems:
            raise PgTapFailure("\n".join(problems + diags))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: str | None = None) -> str:  # type: ignore[override]
        if isinstance(excinfo.value, PgTapFailure):
            return f"{self.path.relative_to(ROOT)}:\n{excinfo.value}"
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"pgTAP {self.path.relative_to(ROOT)}"


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix == ".sql" and SQL_TESTS in file_path.parents and SQL_HELPERS not in file_path.parents:
        return PgTapFile.from_parent(parent, path=file_path)
    return None
