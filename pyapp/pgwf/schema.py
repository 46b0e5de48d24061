"""Getting a database to the state ``db/`` describes.

Two kinds of objects:

* tables, columns, constraints, indexes and data live in yoyo migrations
  (``migrations/NNNN_slug.sql`` with ``.rollback.sql``), applied once each;
* functions, triggers, views and policies (``db/functions``, ``db/triggers``,
  ``db/views``, ``db/policies``) are *repeatable*: each upgrade drops the ones
  in pgwf's schemas and creates them again from ``db/`` in one transaction,
  but only when the files changed (a checksum is kept).

The catalog snapshot in this module is what ``pgwf db verify`` and the
migration test compare: it reads pg_catalog, never file text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from pgwf import config
from pgwf.errors import PgwfError, SchemaLoadError

SCHEMAS = ("entitlements", "flowable", "onecms", "automation")
OWNER = "pgwf_owner"
REPEATABLE_DIRS = ("functions", "triggers", "views", "policies")
STATE_TABLE = "_pgwf_repeatable"

# progress callbacks (the CLI draws them on stderr): (migration id, its number, how many)
# before each migration, and (files loaded, how many) after each db/ file
MigrationProgress = Callable[[str, int, int], None]
FileProgress = Callable[[int, int], None]


# --------------------------------------------------------------------------
# connections


def connect(url: str | None = None, autocommit: bool = False) -> psycopg.Connection:
    """Open a connection, turning an unreachable server into one clear line."""
    url = url or config.database_url()
    try:
        return psycopg.connect(url, autocommit=autocommit, connect_timeout=10)
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        raise PgwfError(f"cannot connect to {redact(url)}: {first}") from None


def redact(url: str) -> str:
    """The URL with any password replaced by ``***``."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


def ensure_database(url: str) -> bool:
    """Create the database named in ``url`` if it is missing; True if created."""
    info = psycopg.conninfo.conninfo_to_dict(url)
    dbname = str(info.get("dbname") or info.get("user") or "")
    if not dbname:
        raise PgwfError("the database URL names no database")
    maint = psycopg.conninfo.make_conninfo(url, dbname="postgres")
    try:
        with psycopg.connect(maint, autocommit=True, connect_timeout=10) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)
            ).fetchone()
            if exists:
                return False
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
            return True
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[0]
        raise PgwfError(f"cannot connect to {redact(url)}: {first}") from None


# --------------------------------------------------------------------------
# migrations (yoyo)


def _yoyo_url(url: str) -> str:
    """yoyo wants ``postgresql+psycopg://``; accept the plain libpq forms too."""
    if url.startswith("postgresql+psycopg://"):
        return url
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    # a key=value conninfo string
    info = psycopg.conninfo.conninfo_to_dict(url)
    host = str(info.pop("host", "") or "")
    port = str(info.pop("port", "") or "")
    user = str(info.pop("user", "") or "")
    password = str(info.pop("password", "") or "")
    dbname = str(info.pop("dbname", "") or "")
    auth = user + (f":{password}" if password else "") + ("@" if user else "")
    netloc = host if not host.startswith("/") else ""
    query = "&".join(f"{k}={v}" for k, v in info.items())
    if host.startswith("/"):
        query = "&".join(filter(None, [query, f"host={host}"]))
    return f"postgresql+psycopg://{auth}{netloc}{':' + port if port else ''}/{dbname}" + (
        f"?{query}" if query else ""
    )


@contextmanager
def _yoyo(url: str) -> Iterator[tuple[Any, Any]]:
    from yoyo import get_backend, read_migrations

    try:
        backend = get_backend(_yoyo_url(url))
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[0]
        raise PgwfError(f"cannot connect to {redact(url)}: {first}") from None
    try:
        migrations = read_migrations(str(config.migrations_dir()))
        yield backend, migrations
    finally:
        backend.connection.close()


@dataclass
class MigrationState:
    id: str
    applied: bool


def migration_status(url: str) -> list[MigrationState]:
    with _yoyo(url) as (backend, migrations):
        applied = {m.id for m in backend.to_rollback(migrations)}
        return [MigrationState(m.id, m.id in applied) for m in migrations]


def upgrade(url: str, force_repeatable: bool = False,
            on_migration: MigrationProgress | None = None,
            on_file: FileProgress | None = None) -> dict[str, Any]:
    """Apply pending migrations, then the repeatable objects if they changed.

    ``on_migration`` is called before each migration, ``on_file`` after each
    repeatable file (progress for the CLI)."""
    with _yoyo(url) as (backend, migrations):
        pending = backend.to_apply(migrations)
        with backend.lock():
            for number, migration in enumerate(pending, 1):  # one at a time, for progress
                if on_migration is not None:
                    on_migration(migration.id, number, len(pending))
                backend.apply_migrations_only([migration])
            if pending:
                backend.run_post_apply(pending)
        applied = [m.id for m in pending]
    changed = apply_repeatable(url, force=force_repeatable or bool(applied), on_file=on_file)
    ensure_partitions(url)
    return {"migrations_applied": applied, "repeatable_applied": changed}


def ensure_partitions(url: str) -> None:
    """Make the partitions of the months ahead now (automation.maintain_partitions, also a
    duty of run_maintenance), so a new or upgraded database never writes into the default one."""
    with connect(url) as conn:
        row = conn.execute("SELECT to_regprocedure('automation.maintain_partitions()')").fetchone()
        if row and row[0] is not None:
            conn.execute("SELECT automation.maintain_partitions()")


def rollback(url: str, to: int | None = None,
             on_migration: MigrationProgress | None = None) -> list[str]:
    """Roll migrations back (all of them, or down to number ``to`` kept).

    The repeatable objects are dropped first (they may depend on what is
    rolled back) and put back only when every migration is still applied:
    by the caller after a ``to`` rollback that undid nothing, and here when
    the first migration's rollback refuses (the database is then as it was,
    and gets its functions, triggers, views and policies back before the
    error is raised). ``on_migration`` is called before each migration is
    rolled back.
    """
    with _yoyo(url) as (backend, migrations):
        done = list(backend.to_rollback(migrations))  # newest first
        targets = [m for m in done if to is None or _number(m.id) > to]
        if not targets:
            return []
        drop_repeatable(url)
        try:
            with backend.lock():
                for number, migration in enumerate(targets, 1):  # one at a time, for progress
                    if on_migration is not None:
                        on_migration(migration.id, number, len(targets))
                    backend.rollback_migrations([migration])
        except BaseException:  # also an interrupt (Ctrl-C) while waiting for the lock or rolling back
            if all(s.applied for s in migration_status(url)):
                apply_repeatable(url, force=True)
            raise
    return [m.id for m in targets]


def _number(migration_id: str) -> int:
    m = re.match(r"(\d+)", migration_id)
    if not m:
        raise PgwfError(f"migration {migration_id!r} has no leading number")
    return int(m.group(1))


# --------------------------------------------------------------------------
# repeatable objects


def repeatable_files(root: Path | None = None) -> list[Path]:
    root = root or config.db_dir()
    files: list[Path] = []
    for d in REPEATABLE_DIRS:
        files.extend(sorted((root / d).rglob("*.sql")))
    return files


def repeatable_checksum(root: Path | None = None) -> str:
    root = root or config.db_dir()
    h = hashlib.sha256()
    for f in repeatable_files(root):
        h.update(str(f.relative_to(root)).encode())
        h.update(b"\0")
        h.update(f.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def _state_checksum(conn: psycopg.Connection) -> str | None:
    exists = conn.execute("SELECT to_regclass(%s)", (f"public.{STATE_TABLE}",)).fetchone()
    if not exists or exists[0] is None:
        return None
    row = conn.execute(f"SELECT checksum FROM public.{STATE_TABLE}").fetchone()
    return row[0] if row else None


def _schemas_present(conn: psycopg.Connection) -> bool:
    row = conn.execute(
        "SELECT count(*) FROM pg_namespace WHERE nspname = ANY(%s)", (list(SCHEMAS),)
    ).fetchone()
    return bool(row and row[0] == len(SCHEMAS))


_DROP_REPEATABLE = """
DO $drop$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT 1 AS ord, format('DROP POLICY %I ON %I.%I', p.polname, n.nspname, c.relname) AS ddl
        FROM pg_policy p
        JOIN pg_class c ON c.oid = p.polrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY(%(schemas)s)
        UNION ALL
        SELECT 2, format('DROP VIEW IF EXISTS %I.%I CASCADE', n.nspname, c.relname)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY(%(schemas)s) AND c.relkind IN ('v', 'm')
        UNION ALL
        SELECT 3, format('DROP TRIGGER %I ON %I.%I', t.tgname, n.nspname, c.relname)
        FROM pg_trigger t
        JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY(%(schemas)s) AND NOT t.tgisinternal
        UNION ALL
        SELECT 4, format('DROP ROUTINE IF EXISTS %s CASCADE', p.oid::regprocedure)
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = ANY(%(schemas)s)
        UNION ALL
        -- the policy files switch RLS on and grant: start them from a clean slate, so a
        -- switch or grant deleted from db/policies is gone after the next upgrade
        SELECT 5, format('ALTER TABLE %I.%I NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY',
                         n.nspname, c.relname)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY(%(schemas)s) AND c.relkind IN ('r', 'p')
          AND (c.relrowsecurity OR c.relforcerowsecurity)
        UNION ALL
        SELECT 6, format('REVOKE ALL ON ALL TABLES IN SCHEMA %1$I FROM PUBLIC, pgwf_app, pgwf_worker, pgwf_reporting; '
                         'REVOKE ALL ON ALL SEQUENCES IN SCHEMA %1$I FROM PUBLIC, pgwf_app, pgwf_worker, pgwf_reporting; '
                         'REVOKE ALL ON SCHEMA %1$I FROM PUBLIC, pgwf_app, pgwf_worker, pgwf_reporting',
                         n.nspname)
        FROM pg_namespace n
        WHERE n.nspname = ANY(%(schemas)s)
        ORDER BY 1
    LOOP
        EXECUTE r.ddl;
    END LOOP;
END
$drop$;
"""


def _drop_repeatable_in(conn: psycopg.Connection) -> None:
    # psycopg cannot bind parameters inside a DO body: inline the literal.
    schemas = "ARRAY[" + ",".join(f"'{s}'" for s in SCHEMAS) + "]::name[]"
    conn.execute(_DROP_REPEATABLE.replace("%(schemas)s", schemas))  # type: ignore[arg-type]


def drop_repeatable(url: str) -> None:
    with connect(url) as conn:
        if _schemas_present(conn):
            _drop_repeatable_in(conn)
        conn.execute(f"DROP TABLE IF EXISTS public.{STATE_TABLE}")


# what a file creates: "CREATE [OR REPLACE] FUNCTION|PROCEDURE|VIEW|TABLE schema.name"
_DEFINES = re.compile(
    r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:MATERIALIZED\s+)?(?:FUNCTION|PROCEDURE|VIEW|TABLE)\s+"
    r"([a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*)", re.IGNORECASE)


def load_order(files: Iterable[Path]) -> list[Path]:
    """The files in an order that creates what a file names before the file: a file that
    mentions (as ``schema.name``) an object another file creates comes after that file.  Name
    order otherwise, and where files mention each other (mutually recursive functions, whose
    bodies are not checked at creation, see load_files)."""
    files = list(files)
    texts = [f.read_text() for f in files]
    definer: dict[str, int] = {}
    for i, text in enumerate(texts):
        for name in _DEFINES.findall(text):
            definer.setdefault(name.lower(), i)
    mentions = re.compile(r"\b([a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*)\b", re.IGNORECASE)
    needs = [{definer[n.lower()] for n in mentions.findall(text) if definer.get(n.lower(), i) != i}
             for i, text in enumerate(texts)]
    order: list[int] = []
    placed: set[int] = set()
    while len(order) < len(files):
        ready = [i for i in range(len(files)) if i not in placed and needs[i] <= placed]
        # a cycle: take the first file by name and let its body refer forward
        pick = ready[0] if ready else min(i for i in range(len(files)) if i not in placed)
        order.append(pick)
        placed.add(pick)
    return [files[i] for i in order]


def load_files(conn: psycopg.Connection, files: Iterable[Path], root: Path,
               on_file: FileProgress | None = None) -> int:
    """Run each file, in load_order; returns how many attempts failed (0 when the order
    was right: each failed attempt is an ERROR line in the server's log).

    Function bodies are checked after every file has run, not as each is
    created (``check_function_bodies`` is off meanwhile, as in pg_dump's
    output), so functions that call each other load in any order; then each
    PL/pgSQL and SQL function of pgwf's schemas is validated, and one that
    does not compile fails the load.  Should a file still find something
    missing, it is retried: each attempt runs in a savepoint, the pass
    repeats while some file succeeds, and what still fails after that is
    reported with its own error.  ``on_file(loaded, total)`` follows each
    file that loaded.
    """
    remaining = load_order(files)
    total, loaded, failures = len(remaining), 0, 0
    conn.execute("SET LOCAL check_function_bodies = off")
    while remaining:
        failed: list[tuple[Path, Exception]] = []
        for f in remaining:
            try:
                with conn.transaction():
                    conn.execute(f.read_text())  # type: ignore[arg-type]
            except psycopg.Error as exc:
                failed.append((f, exc))
            else:
                loaded += 1
                if on_file is not None:
                    on_file(loaded, total)
        failures += len(failed)
        if len(failed) == len(remaining):
            lines = [
                f"{f.relative_to(root)}: {str(exc).strip().splitlines()[0]}"
                for f, exc in failed
            ]
            raise SchemaLoadError("could not apply:\n  " + "\n  ".join(lines))
        remaining = [f for f, _ in failed]
    conn.execute("SET LOCAL check_function_bodies = on")
    _validate_functions(conn)
    return failures


def _validate_functions(conn: psycopg.Connection) -> None:
    """Compile every PL/pgSQL and SQL function of pgwf's schemas (their validators), so a
    body that does not compile fails the load as it would have with check_function_bodies on."""
    rows = conn.execute(
        "SELECT p.oid::regprocedure::text, l.lanname, p.oid FROM pg_proc p"
        " JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang"
        " WHERE n.nspname = ANY(%s) AND l.lanname IN ('plpgsql', 'sql') AND p.prosqlbody IS NULL"
        " ORDER BY 1", (list(SCHEMAS),)).fetchall()
    for name, language, oid in rows:
        validator = "plpgsql_validator" if language == "plpgsql" else "fmgr_sql_validator"
        try:
            with conn.transaction():
                conn.execute(f"SELECT {validator}(%s)", (oid,))  # type: ignore[arg-type]
        except psycopg.Error as exc:
            raise SchemaLoadError(f"function {name} does not compile: "
                                  f"{str(exc).strip().splitlines()[0]}") from None


def apply_repeatable(url: str, force: bool = False, on_file: FileProgress | None = None) -> bool:
    """(Re)create functions, triggers, views and policies from ``db/``.

    Returns True when something was applied, False when the database already
    had exactly these files applied.
    """
    root = config.db_dir()
    checksum = repeatable_checksum(root)
    with connect(url) as conn:
        if not _schemas_present(conn):
            raise PgwfError("the pgwf schemas are missing: run the migrations first")
        if not force and _state_checksum(conn) == checksum:
            return False
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS public.{STATE_TABLE} ("
            " checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        conn.execute(f"COMMENT ON TABLE public.{STATE_TABLE} IS "
                     "'pgwf bookkeeping: checksum of the db/ functions, triggers, views "
                     "and policies last applied by pgwf db upgrade'")
        # the API's /health reads both bookkeeping tables as pgwf_app
        conn.execute(f"GRANT SELECT ON public.{STATE_TABLE} TO pgwf_app, pgwf_worker, pgwf_reporting")
        if conn.execute("SELECT to_regclass('public._yoyo_migration')").fetchone()[0]:  # type: ignore[index]
            conn.execute("GRANT SELECT ON public._yoyo_migration TO pgwf_app, pgwf_worker, pgwf_reporting")
        conn.execute("SET LOCAL ROLE " + OWNER)
        _drop_repeatable_in(conn)
        load_files(conn, repeatable_files(root), root, on_file)
        conn.execute("RESET ROLE")
        conn.execute(f"DELETE FROM public.{STATE_TABLE}")
        conn.execute(f"INSERT INTO public.{STATE_TABLE} (checksum) VALUES (%s)", (checksum,))
    return True


def build_from_db_dir(url: str) -> None:
    """Create everything straight from ``db/`` (no migrations): the reference
    the migrated database is compared against."""
    root = config.db_dir()
    with connect(url) as conn:
        conn.execute((root / "roles.sql").read_text())  # type: ignore[arg-type]
        conn.execute(
            sql.SQL("GRANT CREATE, CONNECT, TEMPORARY ON DATABASE {} TO pgwf_owner").format(
                sql.Identifier(conn.info.dbname)
            )
        )
        conn.execute("SET LOCAL ROLE " + OWNER)
        schema_files = sorted((root / "schema").glob("*.sql"))
        table_files = sorted((root / "schema").glob("*/*.sql"))
        load_files(conn, schema_files + table_files, root)
        load_files(conn, repeatable_files(root), root)
        conn.execute("RESET ROLE")


# --------------------------------------------------------------------------
# catalog snapshot


SNAPSHOT_QUERIES: dict[str, str] = {
    # ACLs are compared with NULL (the default) spelled out, so a default ACL and
    # the same ACL made explicit by a REVOKE/GRANT round trip compare equal.
    "schemas": """
        SELECT n.nspname, pg_get_userbyid(n.nspowner),
               coalesce(n.nspacl, acldefault('n'::"char", n.nspowner))::text,
               obj_description(n.oid, 'pg_namespace')
        FROM pg_namespace n WHERE n.nspname = ANY(%(s)s)""",
    "relations": """
        SELECT n.nspname, c.relname, c.relkind, pg_get_userbyid(c.relowner),
               c.relrowsecurity, c.relforcerowsecurity,
               coalesce(c.relacl, acldefault(CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END::"char",
                                             c.relowner))::text,
               obj_description(c.oid, 'pg_class')
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY(%(s)s) AND c.relkind IN ('r', 'v', 'm', 'p', 'S')""",
    "columns": """
        SELECT n.nspname, c.relname, a.attname,
               -- the place among live columns: a column dropped and added again by a
               -- rollback and upgrade gets a new attnum but keeps its place
               row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum),
               format_type(a.atttypid, a.atttypmod), a.attnotnull,
               pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,
               col_description(c.oid, a.attnum)
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = ANY(%(s)s) AND c.relkind IN ('r', 'v', 'm', 'p')
          AND a.attnum > 0 AND NOT a.attisdropped""",
    "constraints": """
        SELECT n.nspname, c.relname, k.conname, k.contype,
               pg_get_constraintdef(k.oid), obj_description(k.oid, 'pg_constraint')
        FROM pg_constraint k
        JOIN pg_class c ON c.oid = k.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY(%(s)s)""",
    "indexes": """
        SELECT n.nspname, c.relname, pg_get_indexdef(i.indexrelid),
               obj_description(i.indexrelid, 'pg_class')
        FROM pg_index i
        JOIN pg_class c ON c.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY(%(s)s)""",
    "routines": """
        SELECT n.nspname, p.oid::regprocedure::text, p.prokind,
               pg_get_userbyid(p.proowner), p.prosecdef, p.provolatile,
               p.proisstrict, p.proparallel, p.proconfig::text,
               coalesce(p.proacl, acldefault('f'::"char", p.proowner))::text,
               md5(p.prosrc), pg_get_function_result(p.oid),
               obj_description(p.oid, 'pg_proc')
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = ANY(%(s)s)""",
    "views": """
        SELECT n.nspname, c.relname, pg_get_viewdef(c.oid, true)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY(%(s)s) AND c.relkind IN ('v', 'm')""",
    "triggers": """
        SELECT n.nspname, c.relname, t.tgname, pg_get_triggerdef(t.oid),
               t.tgenabled, obj_description(t.oid, 'pg_trigger')
        FROM pg_trigger t
        JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY(%(s)s) AND NOT t.tgisinternal""",
    "policies": """
        SELECT schemaname, tablename, policyname, permissive, roles::text, cmd,
               qual, with_check
        FROM pg_policies WHERE schemaname = ANY(%(s)s)""",
}


def snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """The catalog of pgwf's schemas, as sorted rows per kind of object."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with connect(url) as conn:
        for kind, query in SNAPSHOT_QUERIES.items():
            rows = conn.execute(query, {"s": list(SCHEMAS)}).fetchall()  # type: ignore[arg-type]
            out[kind] = sorted(tuple("" if v is None else str(v) for v in r) for r in rows)
    return out


def diff_snapshots(
    a: dict[str, list[tuple[Any, ...]]], b: dict[str, list[tuple[Any, ...]]],
    a_name: str = "database", b_name: str = "db/",
) -> list[str]:
    """Human-readable differences between two snapshots (empty if equal)."""
    lines: list[str] = []
    for kind in SNAPSHOT_QUERIES:
        sa, sb = set(a.get(kind, [])), set(b.get(kind, []))
        for row in sorted(sa - sb):
            lines.append(f"{kind}: only in {a_name}: {row}")
        for row in sorted(sb - sa):
            lines.append(f"{kind}: only in {b_name}: {row}")
    return lines
