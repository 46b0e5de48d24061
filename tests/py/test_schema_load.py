"""Loading the functions, triggers, views and policies of db/ writes no ERROR into the
server's log: each file runs after what it names (pgwf.schema.load_order) and function
bodies are checked once everything is there, so no attempt fails and is retried (each
failed attempt was one ERROR line, about 20 a load).  A body that does not compile still
fails the load, naming the function."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest
from pgwf import schema
from pgwf.errors import SchemaLoadError


def test_an_upgrade_and_a_build_from_db_load_every_file_at_the_first_attempt(
        empty_db: str, fresh_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    failures: list[int] = []
    real = schema.load_files

    def counted(*args: Any, **kwargs: Any) -> int:
        failures.append(real(*args, **kwargs))
        return failures[-1]

    monkeypatch.setattr(schema, "load_files", counted)
    schema.upgrade(empty_db)  # migrations, then db/
    schema.apply_repeatable(fresh_db, force=True)  # db/ again over a migrated database
    assert failures and failures == [0] * len(failures)


def test_a_function_body_that_does_not_compile_fails_the_load(fresh_db: str, tmp_path: Path) -> None:
    broken = tmp_path / "broken.sql"
    broken.write_text("CREATE FUNCTION flowable.broken_on_purpose() RETURNS integer LANGUAGE plpgsql"
                      " AS $$ BEGIN RETURN (1; END $$;")
    with psycopg.connect(fresh_db) as conn:
        with pytest.raises(SchemaLoadError, match=r"flowable\.broken_on_purpose\(\) does not compile"):
            schema.load_files(conn, [broken], tmp_path)
        conn.rollback()


def test_files_are_loaded_after_what_they_name(tmp_path: Path) -> None:
    first = tmp_path / "a.sql"
    first.write_text("CREATE FUNCTION s.a() RETURNS int LANGUAGE sql RETURN s.b();")
    second = tmp_path / "b.sql"
    second.write_text("CREATE FUNCTION s.b() RETURNS int LANGUAGE sql RETURN 1;")
    view = tmp_path / "c.sql"
    view.write_text("CREATE VIEW s.c AS SELECT s.a();")
    assert [f.name for f in schema.load_order([first, second, view])] == ["b.sql", "a.sql", "c.sql"]
