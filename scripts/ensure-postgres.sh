#!/usr/bin/env bash
# Make sure a local PostgreSQL 15 server is installed and running, that the
# current OS user can connect to it as a superuser (the DBA login of `make run`
# and `make test`), and, with --with-pgtap, that pgTAP is installed.
# Quiet and idempotent: does nothing when everything is already there.
set -euo pipefail

PG_VERSION="${PG_VERSION:-15}"
ME="$(id -un)"
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; fi
export DEBIAN_FRONTEND=noninteractive

apt_install() {
    if ! $SUDO apt-get install -y -qq "$@" >/dev/null 2>&1; then
        $SUDO apt-get update -qq >/dev/null
        $SUDO apt-get install -y -qq "$@" >/dev/null
    fi
}

if [ ! -x "/usr/lib/postgresql/${PG_VERSION}/bin/postgres" ]; then
    echo "installing postgresql-${PG_VERSION}" >&2
    apt_install "postgresql-${PG_VERSION}" "postgresql-client-${PG_VERSION}"
fi

if ! pg_lsclusters -h 2>/dev/null | awk '{print $1, $2}' | grep -qx "${PG_VERSION} main"; then
    echo "creating cluster ${PG_VERSION}/main" >&2
    $SUDO pg_createcluster "${PG_VERSION}" main >/dev/null
fi

if ! pg_isready -q 2>/dev/null; then
    echo "starting PostgreSQL ${PG_VERSION}" >&2
    $SUDO pg_ctlcluster --skip-systemctl-redirect "${PG_VERSION}" main start
    for _ in $(seq 1 30); do
        pg_isready -q && break
        sleep 1
    done
fi

# The DBA login: a superuser role named after the OS user (peer authentication).
if ! psql -X -q -d postgres -c 'SELECT 1' >/dev/null 2>&1; then
    echo "creating superuser role ${ME}" >&2
    if [ "$(id -u)" -eq 0 ]; then
        su postgres -c "createuser --superuser '${ME}'" 
    else
        $SUDO -u postgres createuser --superuser "${ME}"
    fi
fi

if [ "${1:-}" = "--with-pgtap" ] && [ ! -f "/usr/share/postgresql/${PG_VERSION}/extension/pgtap.control" ]; then
    echo "installing postgresql-${PG_VERSION}-pgtap" >&2
    apt_install "postgresql-${PG_VERSION}-pgtap"
fi
