"""Database access: one connection pool a process, one transaction per call.

Every transaction takes a group role (``SET LOCAL ROLE`` via
``set_config('role', ..., true)``) and the person it acts for
(``entitlements.authenticate(token)`` or, for operators,
``entitlements.act_as(user)``, which set a signed, transaction-local
``app.current_user_id``); both end with the transaction, so a connection handed back to the pool, or shared through a
transaction-mode PgBouncer, carries nothing over.  Python never decides who
may do what: the stored functions and the RLS policies do.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

from pgwf import config
from pgwf.errors import PgwfError
from pgwf.schema import redact

Row = dict[str, Any]


class ActorRefused(PgwfError):
    """The database refused to act as the named user (``entitlements.act_as``): unknown,
    inactive, or a login not trusted to act for others.  The CLI exits 2 for it, as for
    any other bad argument."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None, code: str | None = None) -> None:
        super().__init__("--as: " + message + (f" ({hint})" if hint else ""), code)


class Database:
    """A pool of connections to one database, used as one group role."""

    def __init__(self, url: str, role: str | None, min_size: int = 1, max_size: int = 8,
                 name: str = "pgwf", pooled: bool = True,
                 statement_timeout: str | None = None, lock_timeout: str | None = None,
                 pooler: bool = False) -> None:
        self.url = url
        # behind PgBouncer in transaction mode a prepared statement would live on a server
        # connection the next transaction may not get: psycopg never prepares then
        self.pooler = pooler
        self._connect_kwargs: dict[str, Any] = {"row_factory": dict_row, "connect_timeout": 10}
        if pooler:
            self._connect_kwargs["prepare_threshold"] = None
        self.role = role or None
        self.statement_timeout = statement_timeout or config.get("PGWF_STATEMENT_TIMEOUT")
        self.lock_timeout = lock_timeout or config.get("PGWF_LOCK_TIMEOUT")
        self.pooled = pooled
        self.pool: ConnectionPool[Any] = ConnectionPool(
            url, min_size=min_size, max_size=max_size, open=False, name=name,
            kwargs=self._connect_kwargs,
            timeout=30,
            # a connection broken while idle (the server restarted) is replaced before
            # it is handed out, so no request sees it (one empty query on loopback)
            check=ConnectionPool.check_connection,
        )
        self._opened = False
        self._lock = threading.Lock()

    def open(self) -> None:
        with self._lock:
            if not self._opened:
                self.pool.open(wait=False)
                self._opened = True

    def close(self) -> None:
        with self._lock:
            if self._opened:
                self.pool.close()
                self._opened = False

    @contextmanager
    def transaction(self, user: str | None = None, *, token: str | None = None,
                    role: str | None = None) -> Iterator[psycopg.Connection[Row]]:
        """One transaction as the owner of ``token``, or as ``user`` (operator path).

        With a token, ``entitlements.authenticate`` checks it and signs the
        identity inside the same transaction (PW401 when it is unknown,
        expired or revoked).  With a user, ``entitlements.act_as`` makes them
        the identity, which only a trusted login (a member of
        ``pgwf_trusted_caller``) may do; an unknown or inactive user is
        refused (PW404, PW403).  Commits when the block ends, rolls back on an
        exception.
        """
        conn = self._getconn()
        try:
            with conn.transaction():
                # The timeouts are the first statement of their own, so they bound every
                # statement after it, the identity check included (a setting changed by a
                # statement does not bound that statement itself); with an identity the two
                # go to the server in one round trip (pipeline mode).
                settings = ("SELECT set_config('statement_timeout', %s, true), "
                            "set_config('lock_timeout', %s, true), "
                            "set_config('role', %s, true)")
                params = (self.statement_timeout, self.lock_timeout, role or self.role or "none")
                if token is None and not user:
                    conn.execute(settings, params)
                else:
                    try:
                        with conn.pipeline():
                            conn.execute(settings, params)
                            if token is not None:
                                conn.execute("SELECT entitlements.authenticate(%s)", (token,))
                            else:
                                conn.execute("SELECT entitlements.act_as(%s)", (user,))
                    except psycopg.Error as exc:
                        message = getattr(exc.diag, "message_primary", None) or ""
                        if token is None and message.startswith("act_as:"):
                            raise ActorRefused(message.removeprefix("act_as:").strip(),
                                               getattr(exc.diag, "message_hint", None),
                                               exc.sqlstate) from None
                        raise
                yield conn
        finally:
            self._putconn(conn)

    def _getconn(self) -> psycopg.Connection[Row]:
        if not self.pooled:
            try:
                conn: psycopg.Connection[Row] = psycopg.connect(self.url, **self._connect_kwargs)
                return conn
            except psycopg.OperationalError as exc:
                first = (str(exc).strip().splitlines() or [repr(exc)])[0]
                raise PgwfError(f"cannot connect to {redact(self.url)}: {first}") from None
        self.open()
        try:
            pooled_conn: psycopg.Connection[Row] = self.pool.getconn()
            return pooled_conn
        except PoolTimeout:
            raise PgwfError(f"cannot connect to {redact(self.url)}: no connection "
                            "available (server down or pool exhausted)") from None

    def _putconn(self, conn: psycopg.Connection[Row]) -> None:
        if self.pooled:
            self.pool.putconn(conn)
        else:
            conn.close()

    def current_user(self, conn: psycopg.Connection[Row]) -> str | None:
        row = conn.execute("SELECT entitlements.current_user_id() AS user_id").fetchone()
        return row["user_id"] if row else None


def check_row_security(database: Database) -> None:
    """Refuse a role for which row-level security would not hold: a superuser,
    a role with BYPASSRLS, or a member of the owner role (whose policies let
    the engine see every row).  Called before the API starts."""
    with database.transaction() as conn:
        row = conn.execute(
            "SELECT current_user AS role, r.rolsuper OR r.rolbypassrls AS bypass,"
            " pg_has_role(current_user, 'pgwf_owner', 'USAGE') AS owner"
            " FROM pg_roles r WHERE r.rolname = current_user").fetchone()
    if row and (row["bypass"] or row["owner"]):
        raise PgwfError(f"refusing to serve people as role {row['role']}: row-level security "
                        "would not apply to it (set PGWF_APP_ROLE to a role like pgwf_app)")


_pools: dict[str, Database] = {}
_pools_lock = threading.Lock()


def get(kind: str = "app", pooled: bool = True) -> Database:
    """The process's pool for ``app`` (API, people's CLI), ``worker``, ``reporting``
    (``pgwf report``: ``PGWF_REPORTING_DATABASE_URL``, else the DBA login) or ``admin``.

    ``pooled=False`` (the CLI) opens one connection a transaction instead.
    ``PGWF_TRANSACTION_POOLER`` says the app, worker and reporting URLs go through
    PgBouncer in transaction mode (the DBA's ``DATABASE_URL`` never does).
    """
    with _pools_lock:
        if kind not in _pools:
            timeout = None
            pooler = kind != "admin" and config.get_bool("PGWF_TRANSACTION_POOLER")
            if kind == "app":
                url, role = config.api_database_url(), config.get("PGWF_APP_ROLE")
            elif kind == "worker":  # maintenance over a big backlog may take its time
                url, role = config.worker_database_url(), config.get("PGWF_WORKER_ROLE")
                timeout = config.get("PGWF_WORKER_STATEMENT_TIMEOUT")
            elif kind == "reporting":  # a hot standby where there is one
                url, role = config.reporting_database_url(), "pgwf_reporting"
                pooler = pooler and bool(config.get("PGWF_REPORTING_DATABASE_URL"))
            elif kind == "admin":  # the DBA's own login, no group role taken
                url, role = config.database_url(), ""
            else:
                raise ValueError(kind)
            _pools[kind] = Database(url, role, config.get_int("PGWF_POOL_MIN"),
                                    config.get_int("PGWF_POOL_MAX"), name=f"pgwf-{kind}",
                                    pooled=pooled, statement_timeout=timeout, pooler=pooler)
        return _pools[kind]


def close_all() -> None:
    with _pools_lock:
        for database in _pools.values():
            database.close()
        _pools.clear()
