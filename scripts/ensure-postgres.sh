#!/usr/bin/env bash
# Make sure the local PostgreSQL 15 server is running and pgTAP is installed.
# Quiet and idempotent: does nothing when both are already there.
set -euo pipefail

PG_VERSION="${PG_VERSION:-15}"
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; fi

if ! pg_isready -q -h "${PGHOST:-127.0.0.1}" -p "${PGPORT:-5432}" 2>/dev/null; then
    echo "starting PostgreSQL ${PG_VERSION}" >&2
    $SUDO pg_ctlcluster --skip-systemctl-redirect "${PG_VERSION}" main start
    for _ in $(seq 1 30); do
        pg_isready -q -h "${PGHOST:-127.0.0.1}" -p "${PGPORT:-5432}" && break
        sleep 1
    done
fi

if [ "${1:-}" = "--with-pgtap" ] && [ ! -f "/usr/share/postgresql/${PG_VERSION}/extension/pgtap.control" ]; then
    echo "installing postgresql-${PG_VERSION}-pgtap" >&2
    export DEBIAN_FRONTEND=noninteractive
    if ! $SUDO apt-get install -y -qq "postgresql-${PG_VERSION}-pgtap" >/dev/null 2>&1; then
        $SUDO apt-get update -qq >/dev/null
        $SUDO apt-get install -y -qq "postgresql-${PG_VERSION}-pgtap" >/dev/null
    fi
fi
