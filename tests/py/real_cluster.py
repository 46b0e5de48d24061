"""A throwaway PostgreSQL 15 cluster of the tests' own (``pg_createcluster`` on a free
loopback port), with a hot standby made by ``pg_basebackup -R`` and a PgBouncer in front
of it when asked: what the operations tests (test_ops_real.py) run against, so they never
restart or reconfigure the shared server on 5432.

Everything runs as the ``postgres`` OS user (PgBouncer refuses root); the clusters trust
loopback connections (nothing listens elsewhere) and are dropped at the end.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
PG_VERSION = "15"
PG_BIN = Path(f"/usr/lib/postgresql/{PG_VERSION}/bin")

# what every cluster of these tests runs with: pg_cron loaded (its jobs in database pgwf,
# run by background workers, so no password is needed), WAL for a standby, and no fsync
# (a throwaway cluster need not survive a power cut)
SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "shared_preload_libraries": "'pg_cron'",
    "cron.database_name": "'pgwf'",
    "cron.use_background_workers": "on",
    "max_worker_processes": "16",
    "max_connections": "100",
    "wal_level": "replica",
    "max_wal_senders": "4",
    "hot_standby": "on",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
}

HBA = """\
local   all          all                 trust
host    all          all    127.0.0.1/32 trust
host    replication  all    127.0.0.1/32 trust
"""


def ensure_packages() -> None:
    """PgBouncer and pg_cron, installed the way `make test` does; a message when impossible."""
    proc = subprocess.run([str(ROOT / "scripts" / "ensure-ops-packages.sh")], capture_output=True,
                          text=True, check=False, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError("the operations tests need the Debian packages pgbouncer and "
                           f"postgresql-{PG_VERSION}-cron: {proc.stderr.strip() or proc.stdout.strip()}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def as_postgres(*cmd: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(["runuser", "-u", "postgres", "--", *cmd], capture_output=True, text=True,
                          check=False, timeout=timeout, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()}")
    return proc


def url(port: int, dbname: str = "postgres", user: str = "postgres") -> str:
    return f"host=127.0.0.1 port={port} user={user} dbname={dbname} connect_timeout=10"


def wait_ready(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            psycopg.connect(url(port), autocommit=True).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class Cluster:
    """One Debian-managed cluster: ``/etc/postgresql/15/NAME``, ``/var/lib/postgresql/15/NAME``."""

    def __init__(self, name: str, port: int) -> None:
        self.name = name
        self.port = port
        self.conf_dir = Path(f"/etc/postgresql/{PG_VERSION}/{name}")
        self.data_dir = Path(f"/var/lib/postgresql/{PG_VERSION}/{name}")

    def url(self, dbname: str = "postgres", user: str = "postgres") -> str:
        return url(self.port, dbname, user)

    def create(self) -> None:
        subprocess.run(["pg_createcluster", PG_VERSION, self.name, "-p", str(self.port),
                        "--start-conf", "manual"], check=True, capture_output=True, text=True,
                       timeout=120)
        conf = "".join(f"{k} = {v}\n" for k, v in SETTINGS.items())
        (self.conf_dir / "conf.d" / "pgwf-test.conf").write_text(conf)
        (self.conf_dir / "pg_hba.conf").write_text(HBA)

    def start(self) -> None:
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, self.name, "start"],
                       check=True, capture_output=True, text=True, timeout=120)
        wait_ready(self.port)

    def standby_of(self, primary: Cluster) -> None:
        """Replace this (stopped, new) cluster's data with a base backup of ``primary``,
        with ``-R``: standby.signal and primary_conninfo, so it starts as a hot standby."""
        for child in self.data_dir.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()
        as_postgres(str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port),
                    "-U", "postgres", "-D", str(self.data_dir), "-R", "-X", "stream",
                    "--checkpoint=fast")

    def drop(self) -> None:
        subprocess.run(["pg_dropcluster", "--stop", PG_VERSION, self.name], capture_output=True,
                       text=True, check=False, timeout=120)


class PgBouncer:
    """A PgBouncer in transaction pooling mode on a free loopback port, in front of ``cluster``'s
    database ``dbname``, with few server connections so that clients share them."""

    def __init__(self, cluster: Cluster, dbname: str, users: list[str], pool_size: int = 3) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="pgwf-bouncer-"))
        pw = pwd.getpwnam("postgres")
        os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        (self.dir / "userlist.txt").write_text("".join(f'"{u}" ""\n' for u in users))
        self.ini = self.dir / "pgbouncer.ini"
        self.ini.write_text(f"""\
[databases]
{dbname} = host=127.0.0.1 port={cluster.port} dbname={dbname}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {self.port}
unix_socket_dir =
auth_type = trust
auth_file = {self.dir}/userlist.txt
pool_mode = transaction
default_pool_size = {pool_size}
max_client_conn = 200
server_reset_query =
ignore_startup_parameters = extra_float_digits
logfile = {self.dir}/pgbouncer.log
pidfile = {self.dir}/pgbouncer.pid
""")
        for path in (self.dir / "userlist.txt", self.ini):
            os.chown(path, pw.pw_uid, pw.pw_gid)
        self.proc: subprocess.Popen[bytes] | None = None
        self.dbname = dbname

    def start(self) -> None:
        self.proc = subprocess.Popen(["pgbouncer", str(self.ini)], user="postgres",
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg.connect(self.url("postgres"), autocommit=True).close()
                return
            except psycopg.OperationalError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    log = (self.dir / "pgbouncer.log")
                    tail = log.read_text()[-2000:] if log.exists() else "no log"
                    raise RuntimeError(f"pgbouncer did not start: {tail}") from None
                time.sleep(0.2)

    def url(self, user: str) -> str:
        return f"host=127.0.0.1 port={self.port} user={user} dbname={self.dbname} connect_timeout=10"

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


def new_name(kind: str) -> str:
    return f"pgwf_{kind}_{uuid.uuid4().hex[:8]}"
