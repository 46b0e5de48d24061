"""Claim + complete before and after verified identity (issue 16), side by side in one run.

    .venv/bin/python bench/identity_ab.py [--rounds 3] [--seconds 8] [--clients 8] [--record]

Two scratch databases on the same server: ``bench_ident_old``, migrated from a ``git archive`` of
the commit before db/functions/entitlements/act_as.sql was added (app.current_user_id believed
from any login), and ``bench_ident_new`` from this checkout; both hold the task world of
bench/task_bench.py (8 agents, 5 queues, 200,000 OPEN tasks). In rounds that alternate which
database goes first, each takes the same workloads (each after a VACUUM of the task tables):

* direct: bench/task_claim/claim_complete_tx.sql (the identity set with set_config, as a trusted
  caller does), pgbench, --clients clients;
* through the HTTP API: ``pgwf serve`` of each tree (its own code), as the login
  ``pgwf_bench_api`` (pgwf_app; in the new database also pgwf_trusted_caller, as ``make run``
  makes pgwf_api), Python client processes with keep-alive connections and bearer tokens;
* and in the new database only, bench/identity/claim_complete_auth.sql as an untrusted login
  that authenticates every transaction with entitlements.authenticate(token).

The ratios new/old of pairs per second are the result; both databases are dropped at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg import sql

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from api_bench import bench_http, free_port
from engine_ab import build_new, build_old, drop, git
from task_bench import SCRIPTS, load_world, pgbench, url

OLD, NEW = "bench_ident_old", "bench_ident_new"
API_LOGIN, PLAIN_LOGIN = "pgwf_bench_api", "pgwf_bench_untrusted"


def old_commit() -> str:
    added = git("log", "--diff-filter=A", "--format=%H", "--", "db/functions/entitlements/act_as.sql").split()
    if not added:
        raise SystemExit("no commit adds db/functions/entitlements/act_as.sql in this history")
    return git("rev-parse", "--short", added[-1] + "^")


def logins() -> None:
    with psycopg.connect("postgresql:///postgres", autocommit=True) as conn:
        for name in (API_LOGIN, PLAIN_LOGIN):
            if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone() is None:
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(name)))
            conn.execute(sql.SQL("GRANT pgwf_app TO {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("GRANT pgwf_trusted_caller TO {}").format(sql.Identifier(API_LOGIN)))
        conn.execute(sql.SQL("REVOKE pgwf_trusted_caller FROM {}").format(sql.Identifier(PLAIN_LOGIN)))


def tokens(db: str, clients: int) -> list[str]:
    with psycopg.connect(url(db), autocommit=True) as conn:
        made = [conn.execute("SELECT token FROM entitlements.create_api_token(%s)",
                             (f"agent{1 + i % 8}",)).fetchone()[0]  # type: ignore[index]
                for i in range(max(clients, 8))]
        conn.execute("CREATE TABLE public.bench_tokens (uid integer PRIMARY KEY, token text NOT NULL)")
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO public.bench_tokens VALUES (%s, %s)",
                            [(i + 1, made[i]) for i in range(8)])
        conn.execute("GRANT SELECT ON public.bench_tokens TO pgwf_app")
        conn.execute("VACUUM ANALYZE")
    return made[:clients]


def serve(db: str, tree: Path, clients: int) -> tuple[subprocess.Popen[bytes], int]:
    """``pgwf serve`` of the code in ``tree`` against ``db`` as API_LOGIN."""
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(tree / "pyapp"), PGWF_HOME=str(tree),
               DATABASE_URL=url(db), PGWF_API_DATABASE_URL=f"postgresql://{API_LOGIN}@127.0.0.1/{db}",
               PGWF_API_PORT=str(port), PGWF_POOL_MAX=str(max(4, clients)), PGWF_LOG_LEVEL="WARNING")
    code = "import sys; from pgwf.cli.main import cli; sys.argv = ['pgwf', 'serve']; cli()"
    server = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=str(tree),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/health")
            if c.getresponse().status == 200:
                return server, port
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError(f"pgwf serve of {tree} did not answer /health within 60 s")


def settle(db: str) -> None:
    """VACUUM the task tables, so each measurement starts from the same state whatever the
    workloads before it left (the new database takes one workload more a round)."""
    with psycopg.connect(url(db), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE flowable.workflow_tasks, flowable.task_history, flowable.workflow_queues")


def done_pairs(db: str) -> int:
    with psycopg.connect(url(db)) as conn:
        row = conn.execute("SELECT count(*) FROM flowable.workflow_tasks WHERE status = 'COMPLETED'").fetchone()
    return int(row[0]) if row else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()

    commit = old_commit()
    logins()
    with tempfile.TemporaryDirectory(prefix="pgwf-ident-old-") as tmp:
        tree = Path(tmp)
        build_old(OLD, commit, tree)
        build_new(NEW)
        toks = {}
        for db in (OLD, NEW):
            load_world(db, open_tasks=200_000, finished_tasks=0)
            toks[db] = tokens(db, args.clients)
        servers = {OLD: serve(OLD, tree, args.clients), NEW: serve(NEW, ROOT, args.clients)}
        results: dict[str, list[float]] = {k: [] for k in ("old direct", "new direct", "new authenticated",
                                                           "old api", "new api")}
        command = ""
        plain = f"dbname={NEW} user={PLAIN_LOGIN} host=127.0.0.1 options=-crole=pgwf_app"
        try:
            for rnd in range(args.rounds):
                order = (OLD, NEW) if rnd % 2 == 0 else (NEW, OLD)
                for db in order:
                    side = "old" if db == OLD else "new"
                    settle(db)
                    tps, command = pgbench(db, ["-c", str(args.clients), "-j", "2", "-T", str(args.seconds),
                                                "-f", str(SCRIPTS / "claim_complete_tx.sql")])
                    results[f"{side} direct"].append(tps)
                    settle(db)
                    rate, _ = bench_http(servers[db][1], toks[db], args.seconds)
                    results[f"{side} api"].append(rate)
                    if db == NEW:
                        settle(db)
                        tps, _ = pgbench(plain, ["-c", str(args.clients), "-j", "2", "-T",
                                                            str(args.seconds), "-f",
                                                            str(HERE / "identity" / "claim_complete_auth.sql")])
                        results["new authenticated"].append(tps)
        finally:
            for server, _ in servers.values():
                server.terminate()
                server.wait(30)
        completed = {db: done_pairs(db) for db in (OLD, NEW)}
        for db in (OLD, NEW):
            drop(db)

    def ratio(a: str, b: str) -> str:
        per = [x / y for x, y in zip(results[a], results[b], strict=True)]
        return ", ".join(f"{r:.2f}" for r in per) + f"; median **{statistics.median(per):.2f}**"

    lines = [
        f"## Verified identity: claim + complete before and after, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        "",
        (f"Old: commit {commit} (identity believed from any login); new: this checkout. "
        f"{args.clients} clients, {args.seconds} s a measurement, {args.rounds} rounds alternating which goes first."),
        "",
        "| workload | pairs/s per round |",
        "| --- | --- |",
        *(f"| {k} | " + ", ".join(f"{v:.0f}" for v in vals) + " |" for k, vals in results.items()),
        "",
        f"- direct (`{command.replace(NEW, 'DB').replace(OLD, 'DB')}`), new/old: {ratio('new direct', 'old direct')}",
        f"- through the API (`pgwf serve`, Python clients, bearer tokens), new/old: {ratio('new api', 'old api')}",
        (f"- untrusted login authenticating every transaction (`bench/identity/claim_complete_auth.sql`), "
        f"over new direct: {ratio('new authenticated', 'new direct')}"),
        (f"- tasks completed: old {completed[OLD]}, new {completed[NEW]}; machine: {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f} at the end; "
        f"`.venv/bin/python bench/identity_ab.py --rounds {args.rounds} --seconds {args.seconds} --clients {args.clients}`"),
        "",
    ]
    print("\n".join(lines))
    if args.record:
        with (HERE / "RESULTS.md").open("a") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
