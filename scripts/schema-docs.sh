#!/usr/bin/env bash
# Regenerate docs/schema-reference.md from a scratch database migrated from
# empty (so nothing hand-made in a developer's own database leaks into it),
# then drop the scratch database. Used by `make docs`.
set -euo pipefail
cd "$(dirname "$0")/.."
PGWF="${PGWF:-.venv/bin/pgwf}"
DB="pgwf_docs_$$"
createdb "$DB"
trap 'dropdb --if-exists "$DB"' EXIT
DATABASE_URL="postgresql:///$DB" "$PGWF" db upgrade >/dev/null
DATABASE_URL="postgresql:///$DB" "$PGWF" db docs -o docs/schema-reference.md
