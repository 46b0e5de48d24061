"""docs/schema-reference.md is what ``pgwf db docs`` makes from a migrated database."""

from __future__ import annotations

import difflib
from pathlib import Path

from cli_helpers import run_pgwf
from pgwf.dbdocs import render

PAGE = Path(__file__).resolve().parents[2] / "docs" / "schema-reference.md"


def test_the_checked_in_schema_reference_is_current(fresh_db: str) -> None:
    expected = render(fresh_db)
    actual = PAGE.read_text() if PAGE.exists() else ""
    if actual != expected:
        diff = "".join(list(difflib.unified_diff(
            actual.splitlines(keepends=True), expected.splitlines(keepends=True),
            "docs/schema-reference.md (checked in)", "pgwf db docs (catalog)"))[:80])
        raise AssertionError("docs/schema-reference.md is stale: run `make docs`\n" + diff)


def test_the_reference_describes_every_pgwf_schema_and_table(fresh_db: str) -> None:
    import psycopg

    text = render(fresh_db)
    with psycopg.connect(fresh_db) as conn:
        tables = conn.execute(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables"
            " WHERE table_schema IN ('entitlements', 'flowable', 'onecms', 'automation')"
        ).fetchall()
    for schema_name in ("entitlements", "flowable", "onecms", "automation"):
        assert f"| `{schema_name}` |" in text
    for (table,) in tables:
        assert f"`{table}`" in text


def test_db_docs_writes_the_page_to_a_file(fresh_db: str, tmp_path: Path) -> None:
    out = tmp_path / "ref.md"
    result = run_pgwf("db", "docs", "-o", str(out), url=fresh_db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote {out}"
    assert out.read_text() == render(fresh_db)
