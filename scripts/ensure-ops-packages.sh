#!/usr/bin/env bash
# The real components the operations tests start themselves (tests/py/test_ops_real.py):
# PgBouncer and the pg_cron extension for PostgreSQL 15, from Debian's packages.
# Quiet and idempotent: does nothing when both are there; exits non-zero, saying which
# package it could not install, otherwise.
set -euo pipefail

PG_VERSION="${PG_VERSION:-15}"
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; fi
export DEBIAN_FRONTEND=noninteractive

need=()
command -v pgbouncer >/dev/null 2>&1 || need+=(pgbouncer)
[ -f "/usr/share/postgresql/${PG_VERSION}/extension/pg_cron.control" ] || need+=("postgresql-${PG_VERSION}-cron")
[ "${#need[@]}" -eq 0 ] && exit 0

echo "installing ${need[*]}" >&2
if ! $SUDO apt-get install -y -qq "${need[@]}" >/dev/null 2>&1; then
    $SUDO apt-get update -qq >/dev/null 2>&1 || true
    if ! $SUDO apt-get install -y -qq "${need[@]}" >/dev/null; then
        echo "could not install ${need[*]} (apt-get install failed)" >&2
        exit 1
    fi
fi
# the Debian package starts a PgBouncer of its own on 6432 where it can; the tests start theirs
if command -v service >/dev/null 2>&1; then $SUDO service pgbouncer stop >/dev/null 2>&1 || true; fi
