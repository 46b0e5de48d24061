"""pgwf's worker loop against DBOS Transact and procrastinate on the same server (issue 13).

    .venv/bin/pip install -e '.[bench]'        # the peers: bench-only dependencies
    .venv/bin/python bench/peers_bench.py [--rounds 2] [--workflows 300] [--record]

Each system gets its own scratch database on the same PostgreSQL (``bench_peers_pgwf``,
``bench_peers_dbos``, ``bench_peers_procrastinate``, dropped at the end) and 4 client processes;
the rounds alternate the order of the three. One round of a system runs ``--workflows`` workflows
of 10 steps each, every step appending "workflow step" to its process's record file:

* pgwf: a deployed graph trigger -> 10 action nodes -> end; 4 processes each running the
  ``pgwf worker`` command itself (pgwf.cli.services.worker_cmd: the worker pool, LISTEN pgwf_steps,
  claim_steps batches, the lease renewal before each step and its heartbeat thread, complete_step),
  with one connector registered by this bench (``bench_noop``: records the step, returns {}). The
  bench starts the runs at time 0 (automation.start_workflow, 25 a transaction) and the round ends
  when every run is completed.
* DBOS Transact: a ``@DBOS.workflow`` calling 10 ``@DBOS.step``s; 4 processes, each launched
  before time 0, calling the workflow for its share of the workflows one after the other.
* procrastinate: a chain of 10 jobs (each job defers the next); 4 worker processes (concurrency 1)
  started before time 0; the bench defers the 300 first jobs at time 0 (batch_defer, 25 a call);
  the round ends when every job succeeded.

Measured per round: workflows/s (time 0 to the last workflow done), DB CPU per workflow (CPU of
the database's backends from /proc, bench/dbcpu.py), database active time (pg_stat_database),
rows written per workflow (pg_stat_user_tables n_tup_ins + n_tup_upd + n_tup_del, read after the
clients exited) and the tables written most. Checked: every workflow completed, every step ran
exactly once (the record files), the system's own state agrees.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import datetime as dt
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "pyapp"))

from dbcpu import BackendCpu

ADMIN = "postgresql:///postgres"
STEPS = 10
CLIENTS = 4
SYSTEMS = ("pgwf", "dbos", "procrastinate")
DBS = {s: f"bench_peers_{s}" for s in SYSTEMS}


def url(db: str) -> str:
    return f"postgresql:///{db}"


def tcp_url(db: str) -> str:  # SQLAlchemy (DBOS) wants a host
    return f"postgresql://root@127.0.0.1:5432/{db}"


def recreate(db: str) -> None:
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db)))


def drop(db: str) -> None:
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db)))


class Recorder:
    """Appends "workflow step" lines to one file per process (read by the parent)."""

    def __init__(self, path: str) -> None:
        self.fh = open(path, "a", buffering=1)  # noqa: SIM115 - open for the life of the process
        self.lock = threading.Lock()

    def __call__(self, wf: Any, step: Any) -> None:
        with self.lock:
            self.fh.write(f"{wf} {step}\n")


def read_records(paths: list[Path]) -> collections.Counter[tuple[str, str]]:
    seen: collections.Counter[tuple[str, str]] = collections.Counter()
    for p in paths:
        if p.exists():
            for line in p.read_text().splitlines():
                wf, step = line.split()
                seen[(wf, step)] += 1
    return seen


# ------------------------------------------------------------------- pgwf

PGWF_GRAPH = {
    "nodes": [{"id": "start", "type": "trigger", "position": {"x": 0, "y": 0}, "data": {}}]
    + [{"id": f"s{i}", "type": "action", "position": {"x": i, "y": 0},
        "data": {"connector": "bench_noop", "input": {"wf": "{{n}}", "step": i}}} for i in range(1, STEPS + 1)]
    + [{"id": "done", "type": "end", "position": {"x": STEPS + 1, "y": 0}, "data": {}}],
    "edges": [{"id": f"e{i}", "source": "start" if i == 1 else f"s{i - 1}", "target": f"s{i}"}
              for i in range(1, STEPS + 1)] + [{"id": "e_end", "source": f"s{STEPS}", "target": "done"}],
}


def pgwf_setup(db: str) -> str:
    from bpmn_common import act_as_workflow_admin
    from pgwf import schema

    recreate(db)
    schema.upgrade(url(db))
    with psycopg.connect(url(db)) as conn:
        act_as_workflow_admin(conn, "bench")
        wid = conn.execute("SELECT automation.save_workflow(%s::jsonb, 'bench 10 worker steps')",
                           (json.dumps(PGWF_GRAPH),)).fetchone()[0]
        conn.execute("SELECT automation.deploy_workflow(%s)", (wid,))
    return str(wid)


def pgwf_worker_child(db: str, record: str) -> None:
    """The `pgwf worker` command, with one bench connector registered (its loop is pgwf's own)."""
    from pgwf import connectors
    from pgwf.cli.services import worker_cmd
    from pgwf.connectors.base import Connector

    rec = Recorder(record)

    class BenchNoop(Connector):
        name = "bench_noop"

        def call(self, step_input: dict[str, Any], connection: Any, timeout: float) -> dict[str, Any]:
            rec(step_input.get("wf"), step_input.get("step"))
            return {}

    connectors.REGISTRY["bench_noop"] = BenchNoop()
    os.environ["PGWF_WORKER_DATABASE_URL"] = url(db)
    os.environ.setdefault("PGWF_LOG_LEVEL", "WARNING")
    worker_cmd.main(args=[], standalone_mode=False)


def pgwf_round(db: str, wid: str, n: int, first: int, records: list[Path], logdir: Path) -> tuple[float, float]:
    procs = [subprocess.Popen([sys.executable, __file__, "_pgwf_worker", db, str(records[i])],
                              stdout=subprocess.DEVNULL, stderr=open(logdir / f"pgwf{i}.log", "a"))  # noqa: SIM115
             for i in range(CLIENTS)]
    time.sleep(3)  # the workers are up and listening
    with psycopg.connect(url(db), autocommit=True) as conn, BackendCpu(db) as cpu:
        conn.execute("SELECT set_config('app.current_user_id', 'bench', false)")
        t0 = time.perf_counter()
        for lo in range(first, first + n, 25):
            with conn.transaction():
                for k in range(lo, min(lo + 25, first + n)):
                    conn.execute("SELECT automation.start_workflow(%s, jsonb_build_object('n', %s))", (wid, k))
        elapsed = wait_until(conn, """SELECT count(*) FROM automation.workflow_instances
                                      WHERE workflow_id = %s AND status = 'completed'""", (wid,), first - 1 + n, t0)
    stop(procs)
    return elapsed, cpu.seconds


def pgwf_check(db: str, wid: str, n: int) -> str:
    with psycopg.connect(url(db)) as conn:
        row = conn.execute("""
            SELECT count(*) FILTER (WHERE status = 'completed'), count(*),
                   (SELECT count(*) FROM automation.workflow_executions e JOIN automation.workflow_instances i
                     ON i.id = e.instance_id WHERE i.workflow_id = %s AND e.step_type = 'action' AND e.status = 'completed'),
                   (SELECT count(*) FROM (SELECT 1 FROM automation.workflow_executions e JOIN automation.workflow_instances i
                     ON i.id = e.instance_id WHERE i.workflow_id = %s AND e.step_type = 'action'
                     GROUP BY e.instance_id, e.node_id HAVING count(*) > 1) x)
            FROM automation.workflow_instances WHERE workflow_id = %s""", (wid, wid, wid)).fetchone()
    assert row is not None
    return (f"{row[0]} of {row[1]} runs completed, {row[2]} action steps completed, "
            f"{row[3]} nodes with more than one execution")


# ------------------------------------------------------------------- DBOS

def dbos_child(db: str, record: str, first: int, count: int, executor: str) -> None:
    from dbos import DBOS, DBOSConfig

    rec = Recorder(record)

    @DBOS.step()
    def step(wf: int, i: int) -> int:
        rec(wf, i)
        return i

    @DBOS.workflow()
    def workflow(wf: int) -> int:
        for i in range(1, STEPS + 1):
            step(wf, i)
        return wf

    config: DBOSConfig = {"name": "bench", "system_database_url": tcp_url(db), "executor_id": executor,
                          "log_level": "WARNING", "application_version": "bench"}
    DBOS(config=config)
    DBOS.launch()
    print("ready", flush=True)
    if count:
        sys.stdin.readline()
        for k in range(first, first + count):
            workflow(k)
    print(f"done {time.perf_counter()}", flush=True)
    DBOS.destroy()


def dbos_setup(db: str, records: list[Path]) -> None:
    recreate(db)
    subprocess.run([sys.executable, __file__, "_dbos", db, str(records[0]), "0", "0", "setup"],
                   check=True, stdout=subprocess.DEVNULL)


def dbos_round(db: str, n: int, first: int, records: list[Path], logdir: Path) -> tuple[float, float]:
    share = [n // CLIENTS + (1 if i < n % CLIENTS else 0) for i in range(CLIENTS)]
    starts = [first + sum(share[:i]) for i in range(CLIENTS)]
    procs = [subprocess.Popen([sys.executable, __file__, "_dbos", db, str(records[i]), str(starts[i]),
                               str(share[i]), f"bench{i}"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=open(logdir / f"dbos{i}.log", "a"), text=True)  # noqa: SIM115
             for i in range(CLIENTS)]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    with BackendCpu(db) as cpu:
        t0 = time.perf_counter()
        for p in procs:
            assert p.stdin is not None
            p.stdin.write("go\n")
            p.stdin.flush()
        ends = []
        for p in procs:
            assert p.stdout is not None
            line = p.stdout.readline().split()
            ends.append(float(line[1]))
    for p in procs:
        p.wait(timeout=60)
    return max(ends) - t0, cpu.seconds


def dbos_check(db: str, n_total: int) -> str:
    with psycopg.connect(url(db)) as conn:
        status = dict(conn.execute("SELECT status, count(*) FROM dbos.workflow_status GROUP BY 1").fetchall())
        steps = conn.execute("SELECT count(*) FROM dbos.operation_outputs").fetchone()[0]
    return f"workflow_status {status} (of {n_total}), {steps} step outputs"


# ------------------------------------------------------------------- procrastinate

def procrastinate_app(db: str, record: str | None = None):  # type: ignore[no-untyped-def]
    import procrastinate

    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=url(db)))
    rec = Recorder(record) if record else None

    @app.task(name="bench_step", queue="bench")
    async def bench_step(wf: int, i: int) -> None:
        if rec is not None:
            rec(wf, i)
        if i < STEPS:
            await bench_step.defer_async(wf=wf, i=i + 1)

    return app, bench_step


def procrastinate_worker_child(db: str, record: str) -> None:
    app, _ = procrastinate_app(db, record)

    async def main() -> None:
        async with app.open_async():
            await app.run_worker_async(queues=["bench"], concurrency=1, install_signal_handlers=True)

    asyncio.run(main())


def procrastinate_setup(db: str) -> None:
    recreate(db)
    app, _ = procrastinate_app(db)

    async def main() -> None:
        async with app.open_async():
            await app.schema_manager.apply_schema_async()

    asyncio.run(main())


def procrastinate_round(db: str, n: int, first: int, records: list[Path], logdir: Path) -> tuple[float, float]:
    procs = [subprocess.Popen([sys.executable, __file__, "_procrastinate", db, str(records[i])],
                              stdout=subprocess.DEVNULL, stderr=open(logdir / f"procrastinate{i}.log", "a"))  # noqa: SIM115
             for i in range(CLIENTS)]
    time.sleep(3)
    app, task = procrastinate_app(db)
    result: dict[str, float] = {}

    async def defer() -> None:
        async with app.open_async():
            for lo in range(first, first + n, 25):
                await task.batch_defer_async(*[{"wf": k, "i": 1} for k in range(lo, min(lo + 25, first + n))])

    with psycopg.connect(url(db), autocommit=True) as conn, BackendCpu(db) as cpu:
        t0 = time.perf_counter()
        asyncio.run(defer())
        done_before = (first - 1) * STEPS
        result["elapsed"] = wait_until(conn, "SELECT count(*) FROM procrastinate_jobs WHERE status = 'succeeded'",
                                       (), done_before + n * STEPS, t0)
    stop(procs)
    return result["elapsed"], cpu.seconds


def procrastinate_check(db: str) -> str:
    with psycopg.connect(url(db)) as conn:
        status = dict(conn.execute("SELECT status::text, count(*) FROM procrastinate_jobs GROUP BY 1").fetchall())
    return f"procrastinate_jobs {status}"


# ------------------------------------------------------------------- common

def wait_until(conn: psycopg.Connection[Any], query: str, params: tuple[Any, ...], target: int, t0: float,
               timeout: float = 600) -> float:
    while True:
        done = conn.execute(query, params).fetchone()[0]
        if done >= target:
            return time.perf_counter() - t0
        if time.perf_counter() - t0 > timeout:
            raise RuntimeError(f"only {done} of {target} done after {timeout} s")
        time.sleep(0.05)


def stop(procs: list[subprocess.Popen[Any]]) -> None:
    for p in procs:
        p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def table_stats(db: str) -> tuple[float, dict[str, int]]:
    with psycopg.connect(url(db), autocommit=True) as conn:
        active = conn.execute("SELECT active_time FROM pg_stat_database WHERE datname = current_database()").fetchone()[0]
        rows = conn.execute("SELECT schemaname || '.' || relname, n_tup_ins + n_tup_upd + n_tup_del "
                            "FROM pg_stat_user_tables").fetchall()
    return float(active), {str(r[0]): int(r[1]) for r in rows}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--workflows", type=int, default=300, help="workflows per system per round")
    ap.add_argument("--record", action="store_true")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    import dbos
    import procrastinate

    versions = {"dbos": getattr(dbos, "__version__", None), "procrastinate": getattr(procrastinate, "__version__", None)}
    from importlib.metadata import version as dist_version
    versions = {k: v or dist_version(k) for k, v in versions.items()}
    work = Path(tempfile.mkdtemp(prefix="bench_peers_"))
    records = {s: [work / f"{s}{i}.rec" for i in range(CLIENTS)] for s in SYSTEMS}
    started = dt.datetime.now(dt.UTC)
    load_start = os.getloadavg()[0]
    results: dict[str, list[dict[str, Any]]] = {s: [] for s in SYSTEMS}
    try:
        wid = pgwf_setup(DBS["pgwf"])
        dbos_setup(DBS["dbos"], records["dbos"])
        procrastinate_setup(DBS["procrastinate"])
        next_wf = dict.fromkeys(SYSTEMS, 1)
        warm = 20
        for r in range(-1, args.rounds):  # round -1: a warm-up of every system, not reported
            order = list(SYSTEMS) if r % 2 == 0 else list(reversed(SYSTEMS))
            n = warm if r < 0 else args.workflows
            for s in order:
                db = DBS[s]
                before = table_stats(db)
                first = next_wf[s]
                if s == "pgwf":
                    elapsed, cpu = pgwf_round(db, wid, n, first, records[s], work)
                elif s == "dbos":
                    elapsed, cpu = dbos_round(db, n, first, records[s], work)
                else:
                    elapsed, cpu = procrastinate_round(db, n, first, records[s], work)
                time.sleep(0.5)
                after = table_stats(db)
                next_wf[s] += n
                if r < 0:
                    continue
                writes = {t: after[1].get(t, 0) - before[1].get(t, 0) for t in after[1]}
                res = {"wf_s": n / elapsed, "elapsed": elapsed, "cpu_ms": cpu * 1000 / n,
                       "active_ms": (after[0] - before[0]) / n, "rows": sum(writes.values()) / n,
                       "top": sorted(((v / n, t) for t, v in writes.items() if v), reverse=True)[:3]}
                results[s].append(res)
                print(f"round {r + 1} {s:13} {res['wf_s']:7.1f} wf/s  cpu {res['cpu_ms']:.1f} ms/wf  "
                      f"active {res['active_ms']:.1f} ms/wf  rows {res['rows']:.1f}/wf", file=sys.stderr)
        total = {s: next_wf[s] - 1 for s in SYSTEMS}
        seen = {s: read_records(records[s]) for s in SYSTEMS}
        checks = {
            "pgwf": pgwf_check(DBS["pgwf"], wid, total["pgwf"]),
            "dbos": dbos_check(DBS["dbos"], total["dbos"]),
            "procrastinate": procrastinate_check(DBS["procrastinate"]),
        }
        with psycopg.connect(ADMIN) as conn:
            server = conn.execute("SHOW server_version").fetchone()[0]
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if not args.keep:
            for db in DBS.values():
                drop(db)
    ended = dt.datetime.now(dt.UTC)
    lines = report(args, results, seen, total, checks, versions, server, started, ended, load_start)
    text = "\n".join(lines)
    print(text)
    if args.record:
        with (HERE / "RESULTS.md").open("a") as f:
            f.write("\n" + text + "\n")


def report(args, results, seen, total, checks, versions, server, started, ended, load_start) -> list[str]:  # type: ignore[no-untyped-def]
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, check=False).stdout.strip()
    med = statistics.median
    labels = {"pgwf": "pgwf: 10 worker (action) steps, pgwf's worker loop (`pgwf worker`)",
              "dbos": f"DBOS Transact {versions['dbos']}, 10 `@DBOS.step`",
              "procrastinate": f"procrastinate {versions['procrastinate']}, chain of 10 jobs"}

    def rng(values: list[float], fmt: str) -> str:
        lo, hi = min(values), max(values)
        return (fmt % lo) if fmt % lo == fmt % hi else f"{fmt % lo}–{fmt % hi}"

    lines = [
        f"## Peers: pgwf's worker loop, DBOS Transact and procrastinate ({started:%Y-%m-%d %H:%M} UTC, commit {commit})",
        "",
        (f"Command: `.venv/bin/python bench/peers_bench.py --rounds {args.rounds} --workflows {args.workflows}` "
        "(`make bench-peers`)"),
        "",
        (f"Machine: PostgreSQL {server}, {os.cpu_count()} CPUs shared with other sessions' work (load average "
         f"{load_start:.2f} at the start), Python {sys.version.split()[0]}. The whole run took "
         f"{(ended - started).total_seconds() / 60:.1f} minutes: short rounds on a shared machine, so the absolute "
         "rates are noisy; the ratios compare systems within a round."),
        "",
        (f"Each system in its own scratch database on the same server, {CLIENTS} client processes, "
         f"{args.rounds} rounds of {args.workflows} workflows of {STEPS} steps, the order of the systems alternating "
         "(after a warm-up round of 20). Ratios within a round; ranges over the rounds. DB CPU: CPU time of the "
         "database's backends from /proc (the server runs on this machine); DB active: pg_stat_database.active_time "
         "(wall time inside statements, includes waiting for a CPU); rows: pg_stat_user_tables n_tup_ins + "
         "n_tup_upd + n_tup_del, per workflow."),
        "",
        ("| workload (10 steps a workflow) | workflows/s | workflows/s vs DBOS | workflows/s vs procrastinate "
        "| database CPU per workflow | database active time per workflow | rows written per workflow |"),
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for s in SYSTEMS:
        rs = results[s]
        vs_dbos = [rs[i]["wf_s"] / results["dbos"][i]["wf_s"] for i in range(len(rs))]
        vs_pr = [rs[i]["wf_s"] / results["procrastinate"][i]["wf_s"] for i in range(len(rs))]
        top = rs[-1]["top"]
        tops = ", ".join(f"{v:.1f} of `{t}`" for v, t in top)
        lines.append(
            f"| {labels[s]} | {rng([x['wf_s'] for x in rs], '%.0f')} | {rng(vs_dbos, '%.2f')} × | {rng(vs_pr, '%.2f')} × "
            f"| {rng([x['cpu_ms'] for x in rs], '%.1f')} ms ({rng([x['cpu_ms'] / STEPS for x in rs], '%.2f')} ms a step) "
            f"| {rng([x['active_ms'] for x in rs], '%.1f')} ms "
            f"| {rng([x['rows'] for x in rs], '%.1f')} ({tops}) |")
    lines += ["", "Per round:", ""]
    for i in range(args.rounds):
        lines.append(f"- round {i + 1}: " + "; ".join(
            f"{s} {results[s][i]['wf_s']:.1f} wf/s ({results[s][i]['elapsed']:.1f} s)" for s in SYSTEMS))
    lines += ["", "Correctness (all rounds and the warm-up):", ""]
    for s in SYSTEMS:
        twice = sum(1 for c in seen[s].values() if c > 1)
        wfs = {wf for wf, _ in seen[s]}
        per_wf = collections.Counter(wf for wf, _ in seen[s])
        full = sum(1 for wf in wfs if per_wf[wf] == STEPS)
        lines.append(f"- {s}: {len(wfs)} of {total[s]} workflows recorded, {full} with all {STEPS} steps, "
                     f"{sum(seen[s].values())} step executions recorded, {twice} steps run more than once; {checks[s]}.")
    med_ratio = med([results["pgwf"][i]["wf_s"] / results["dbos"][i]["wf_s"] for i in range(args.rounds)])
    lines += ["", f"Median pgwf / DBOS: {med_ratio:.2f} ×."]
    return lines


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_pgwf_worker":
        pgwf_worker_child(sys.argv[2], sys.argv[3])
    elif len(sys.argv) > 1 and sys.argv[1] == "_dbos":
        dbos_child(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
    elif len(sys.argv) > 1 and sys.argv[1] == "_procrastinate":
        procrastinate_worker_child(sys.argv[2], sys.argv[3])
    else:
        main()
