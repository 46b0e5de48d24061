"""The old engine (before the token engine) and the new one side by side, in the same run (issue 11).

    .venv/bin/python bench/engine_ab.py [--rounds 3] [--seconds 5] [--pairs 250] [--old COMMIT] [--record]

Two scratch databases on the same server: ``bench_engine_old``, migrated from a ``git archive`` of
the commit before migrations/0007_token-engine.sql, or the commit --old names (its own migrations/,
db/ and pyapp/), and
``bench_engine_new``, migrated from this checkout. In each: the 10-node automated graph and the
one-step worker graph of bench/engine_bench.py, the INSERT+UPDATE floor tables, and runs waiting at
their worker step. Then, in rounds that alternate which database goes first, the same workloads
against each:

* the INSERT+UPDATE floor (bench/engine/baseline_run.sql, 4 clients, -T seconds),
* the automated run (bench/engine/start_run.sql, 4 clients, -T seconds),
* worker steps, lease + complete (bench/engine/claim_complete_step.sql, 8 clients, -t pairs each).

Each workload's database time comes from pg_stat_database.active_time of its own database (time
the server spent executing statements, every backend, read after the pgbench clients exited), and
its rows written from pg_stat_user_tables (n_tup_ins + n_tup_upd + n_tup_del). After the rounds:
server-side time per run and per step pair timed inside one session (clock_timestamp() around a
PL/pgSQL loop, rolled back), and a check that every run of both engines took the same path and
completed. Both databases are dropped at the end (--keep keeps them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
from psycopg import sql

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "pyapp"))

import engine_bench
from dbcpu import BackendCpu
from pgwf import schema

SCRIPTS = HERE / "engine"
ADMIN = "postgresql:///postgres"
INPUT = '{"cvss_score": 9.1, "asset": "web01"}'


def url(db: str) -> str:
    return f"postgresql:///{db}"


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True,
                          check=True).stdout.strip()


def old_commit() -> str:
    """The commit before the one that added migrations/0007_token-engine.sql."""
    added = git("log", "--diff-filter=A", "--format=%H", "--", "migrations/0007_token-engine.sql").split()
    if not added:
        raise SystemExit("no commit adds migrations/0007_token-engine.sql in this history")
    return git("rev-parse", "--short", added[-1] + "^")


def create(db: str) -> None:
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db)))


def drop(db: str) -> None:
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db)))


def build_old(db: str, commit: str, tree: Path) -> None:
    """Migrate db with the old commit's own code (pgwf.schema of that commit, its migrations and db/)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    create(db)
    code = ("import sys, pgwf; from pgwf import schema; assert pgwf.__file__.startswith(sys.argv[2]), pgwf.__file__; "
            "schema.upgrade(sys.argv[1])")
    env = dict(os.environ, PYTHONPATH=str(tree / "pyapp"), PGWF_HOME=str(tree))
    subprocess.run([sys.executable, "-c", code, url(db), str(tree)], env=env, check=True, cwd=str(tree))


def build_new(db: str) -> None:
    create(db)
    schema.upgrade(url(db))


def prepare(db: str, preload: int) -> tuple[str, str]:
    """Floor tables, the two graphs deployed, preload runs waiting at their worker step."""
    engine_bench.floor_tables(db)
    wid = engine_bench.deploy(db, engine_bench.GRAPH, "bench 10 nodes")
    sid = engine_bench.deploy(db, engine_bench.STEP_GRAPH, "bench worker step")
    with psycopg.connect(url(db)) as conn:
        conn.execute("SELECT set_config('app.current_user_id', 'bench', true)")
        conn.execute(f"""DO $d$ BEGIN
            FOR i IN 1 .. {int(preload)} LOOP PERFORM automation.start_workflow('{sid}'::uuid); END LOOP; END $d$""")
    with psycopg.connect(url(db), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return wid, sid


STATS = """
SELECT (SELECT active_time FROM pg_stat_database WHERE datname = current_database()),
       (SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_user_tables),
       (SELECT coalesce(sum(n_tup_hot_upd), 0) FROM pg_stat_user_tables)"""


def stats(db: str) -> tuple[float, int, int]:
    with psycopg.connect(url(db), autocommit=True) as conn:
        conn.execute("SELECT pg_stat_clear_snapshot()")
        row = conn.execute(STATS).fetchone()
    assert row is not None
    return float(row[0]), int(row[1]), int(row[2])


def pgbench(db: str, args: list[str]) -> tuple[float, int, str]:
    cmd = ["pgbench", "-n", *args, db]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    tps = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", out)
    done = re.search(r"number of transactions actually processed: (\d+)", out)
    if not tps or not done:
        raise RuntimeError(out)
    return float(tps.group(1)), int(done.group(1)), " ".join(cmd).replace(str(ROOT) + "/", "")


def workloads(wid: str, seconds: int, pairs: int) -> list[tuple[str, list[str]]]:
    return [
        ("floor", ["-c", "4", "-j", "2", "-T", str(seconds), "-f", str(SCRIPTS / "baseline_run.sql"),
                   "-D", "children=13"]),
        ("runs", ["-c", "4", "-j", "2", "-T", str(seconds), "-f", str(SCRIPTS / "start_run.sql"),
                  "-D", f"wid='{wid}'"]),
        ("steps", ["-c", "8", "-j", "2", "-t", str(pairs), "-f", str(SCRIPTS / "claim_complete_step.sql")]),
    ]


def path_of_runs(db: str, wid: str) -> list[tuple[str, int, int]]:
    """Per automated run shape: (visited nodes sorted, runs with it, runs completed at 100)."""
    with psycopg.connect(url(db)) as conn:
        return [(str(r[0]), int(r[1]), int(r[2])) for r in conn.execute("""
            SELECT v.nodes, count(*), count(*) FILTER (WHERE i.status = 'completed' AND i.progress = 100)
            FROM automation.workflow_instances i
            CROSS JOIN LATERAL (SELECT string_agg(e.node_id, ',' ORDER BY e.node_id) AS nodes
                                FROM automation.workflow_executions e WHERE e.instance_id = i.id) v
            WHERE i.workflow_id = %s GROUP BY v.nodes ORDER BY 2 DESC""", (wid,)).fetchall()]


def step_check(db: str) -> tuple[int, int, int, int]:
    """(worker steps completed, their runs completed, steps completed twice, runs still waiting)."""
    with psycopg.connect(url(db)) as conn:
        row = conn.execute("""
            SELECT count(*) FILTER (WHERE e.status = 'completed'),
                   count(*) FILTER (WHERE e.status = 'completed' AND i.status = 'completed'),
                   (SELECT count(*) FROM (SELECT e2.instance_id FROM automation.workflow_executions e2
                     WHERE e2.step_type = 'action' AND e2.status = 'completed'
                     GROUP BY e2.instance_id HAVING count(*) > 1) twice),
                   count(*) FILTER (WHERE i.status = 'running')
            FROM automation.workflow_executions e JOIN automation.workflow_instances i ON i.id = e.instance_id
            WHERE e.step_type = 'action'""").fetchone()
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2]), int(row[3])


def server_ms(db: str, wid: str, sid: str) -> tuple[float, float]:
    """Server time per automated run and per worker lease+complete pair (one session, rolled back)."""
    run_ms = engine_bench.time_loop(db, f"PERFORM automation.start_workflow('{wid}'::uuid, '{INPUT}');", 300)
    pair_ms = _pair_loop(db, 300)
    return run_ms, pair_ms


def _pair_loop(db: str, n: int) -> float:
    with psycopg.connect(url(db)) as conn:
        conn.execute(f"""
            CREATE OR REPLACE FUNCTION pg_temp.bench_pairs() RETURNS double precision LANGUAGE plpgsql AS $b$
            DECLARE t0 timestamptz := clock_timestamp(); v_id uuid;
            BEGIN
                FOR i IN 1 .. {int(n)} LOOP
                    SELECT execution_id INTO v_id FROM automation.claim_steps('timer', '{{action}}', 60, 1);
                    PERFORM automation.complete_step(v_id, '{{"status": 200}}', 'timer');
                END LOOP;
                RETURN extract(epoch FROM clock_timestamp() - t0) * 1000 / {int(n)};
            END $b$""")
        ms = conn.execute("SELECT pg_temp.bench_pairs()").fetchone()[0]
        conn.rollback()
    return float(ms)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=5, help="pgbench -T of the floor and run workloads")
    ap.add_argument("--pairs", type=int, default=250, help="lease+complete pairs per client per round (8 clients)")
    ap.add_argument("--record", action="store_true", help="append the results to bench/RESULTS.md")
    ap.add_argument("--keep", action="store_true", help="keep the two databases")
    ap.add_argument("--old", help="the commit to compare with (default: the one before the token engine)")
    args = ap.parse_args()
    commit = git("rev-parse", "--short", args.old) if args.old else old_commit()
    new_commit = git("rev-parse", "--short", "HEAD")
    dbs = {"old": "bench_engine_old", "new": "bench_engine_new"}
    preload = args.rounds * args.pairs * 8 + 2000
    tree = Path(tempfile.mkdtemp(prefix="bench_old_engine_"))
    started = dt.datetime.now(dt.UTC)
    load_start = os.getloadavg()[0]
    try:
        print(f"building {dbs['old']} from {commit} and {dbs['new']} from {new_commit}", file=sys.stderr)
        build_old(dbs["old"], commit, tree)
        build_new(dbs["new"])
        ids = {side: prepare(db, preload) for side, db in dbs.items()}
        # warm-up, not counted
        for side, db in dbs.items():
            for _name, wargs in workloads(ids[side][0], 2, 25)[:2]:
                pgbench(db, wargs)
        results: dict[tuple[str, str], list[tuple[float, float, float, float, float]]] = {}
        commands: dict[str, str] = {}
        for r in range(args.rounds):
            order = ["old", "new"] if r % 2 == 0 else ["new", "old"]
            for side in order:
                db = dbs[side]
                for name, wargs in workloads(ids[side][0], args.seconds, args.pairs):
                    before = stats(db)
                    with BackendCpu(db) as cpu:
                        tps, done, cmd = pgbench(db, wargs)
                    after = stats(db)
                    active = after[0] - before[0]
                    rows = after[1] - before[1]
                    hot = after[2] - before[2]
                    results.setdefault((side, name), []).append(
                        (tps, active / done, rows / done, hot / done, cpu.seconds * 1000 / done))
                    commands.setdefault(f"{side} {name}", cmd)
                    print(f"round {r + 1} {side:3} {name:5} {tps:8.1f}/s  db {active / done:.3f} ms  "
                          f"cpu {cpu.seconds * 1000 / done:.3f} ms  rows {rows / done:.1f}", file=sys.stderr)
        timing = {side: server_ms(db, ids[side][0], ids[side][1]) for side, db in dbs.items()}
        paths = {side: path_of_runs(db, ids[side][0]) for side, db in dbs.items()}
        checks = {side: step_check(db) for side, db in dbs.items()}
        with psycopg.connect(ADMIN) as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
    finally:
        shutil.rmtree(tree, ignore_errors=True)
        if not args.keep:
            for db in dbs.values():
                drop(db)
    ended = dt.datetime.now(dt.UTC)
    lines = report(args, commit, new_commit, results, timing, paths, checks, commands, version,
                   started, ended, load_start)
    text = "\n".join(lines)
    print(text)
    if args.record:
        with (HERE / "RESULTS.md").open("a") as f:
            f.write("\n" + text + "\n")


def report(args, commit, new_commit, results, timing, paths, checks, commands, version,  # type: ignore[no-untyped-def]
           started, ended, load_start) -> list[str]:
    def per_round(side: str, name: str, i: int) -> list[float]:
        return [x[i] for x in results[(side, name)]]

    rounds = args.rounds
    lines = [
        (f"## Engine: old ({'commit ' + commit if args.old else 'before the token engine'}) and new side by side "
        f"({started:%Y-%m-%d %H:%M} UTC, old {commit}, new {new_commit})"), "",
        (f"Command: `.venv/bin/python bench/engine_ab.py --rounds {rounds} --seconds {args.seconds} "
        f"--pairs {args.pairs}{' --old ' + commit if args.old else ''}`"
        f"{'' if args.old else ' (`make bench-engine-ab`)'}"), "",
        (f"Machine: PostgreSQL {version}, {os.cpu_count()} CPUs shared with other sessions' work "
        f"(load average {load_start:.2f} at the start), Python {sys.version.split()[0]}. The whole run took "
        f"{(ended - started).total_seconds() / 60:.1f} minutes: short runs on a shared machine, so absolute "
        "rates are noisy; the ratios compare workloads of the same round."), "",
        (f"Two scratch databases on the same server, `bench_engine_old` migrated by the code of {commit} ("
        f"{'the commit --old names' if args.old else 'the commit before migrations/0007_token-engine.sql'}, "
        "from `git archive`) and `bench_engine_new` by this "
        f"checkout; {rounds} rounds, the order of the two engines alternating; each round runs in each database "
        f"the INSERT+UPDATE floor and the 10-node automated graph (4 clients, -j 2, {args.seconds} s each) and "
        f"worker steps (8 clients, -j 2, {args.pairs} lease+complete pairs each, runs of the one-step graph "
        "waiting at their step). Per run (or pair): DB CPU, the CPU time of the database's backends read from "
        "/proc (bench/dbcpu.py; the server runs on this machine); DB active, pg_stat_database.active_time of the "
        "workload's own database (wall time inside statements, so with more clients than cores it includes "
        "waiting for a CPU); rows, pg_stat_user_tables n_tup_ins + n_tup_upd + n_tup_del."), "",
        ("| round | workload | old /s | new /s | new / old | old vs floor | new vs floor "
         "| DB CPU ms old / new | DB active ms old / new | rows old / new |"),
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in range(rounds):
        for name, label in (("floor", "INSERT+UPDATE floor"), ("runs", "10-node automated run"),
                            ("steps", "worker step lease+complete")):
            o, n = results[("old", name)][r], results[("new", name)][r]
            fo, fn = results[("old", "floor")][r][0], results[("new", "floor")][r][0]
            vs = ("—", "—") if name in ("floor", "steps") else (f"{o[0] / fo:.2f}", f"{n[0] / fn:.2f}")
            lines.append(f"| {r + 1} | {label} | {o[0]:.0f} | {n[0]:.0f} | {n[0] / o[0]:.2f} | {vs[0]} | {vs[1]} | "
                         f"{o[4]:.2f} / {n[4]:.2f} | {o[1]:.2f} / {n[1]:.2f} | {o[2]:.1f} / {n[2]:.1f} |")
    med = statistics.median
    lines += ["", "Medians over the rounds:", ""]
    for name, label in (("runs", "10-node automated run"), ("steps", "worker step lease+complete")):
        o, n = med(per_round("old", name, 0)), med(per_round("new", name, 0))
        ratios = [results[("new", name)][r][0] / results[("old", name)][r][0] for r in range(rounds)]
        line = (f"- {label}: old {o:.0f}/s, new {n:.0f}/s; new/old per round "
                f"{', '.join(f'{x:.2f}' for x in ratios)} (median {med(ratios):.2f})")
        if name == "runs":
            vo = [results[("old", "runs")][r][0] / results[("old", "floor")][r][0] for r in range(rounds)]
            vn = [results[("new", "runs")][r][0] / results[("new", "floor")][r][0] for r in range(rounds)]
            line += f"; against the floor of the same round and database: old {med(vo):.2f}, new {med(vn):.2f}"
        line += (f"; DB CPU {med(per_round('old', name, 4)):.2f} ms old, {med(per_round('new', name, 4)):.2f} ms new"
                 f"; DB active time {med(per_round('old', name, 1)):.2f} ms old, {med(per_round('new', name, 1)):.2f} ms new; "
                 f"rows written {med(per_round('old', name, 2)):.1f} old, {med(per_round('new', name, 2)):.1f} new "
                 f"(HOT updates {med(per_round('old', name, 3)):.1f} / {med(per_round('new', name, 3)):.1f})")
        lines.append(line)
    lines += [
        (f"- Server time inside one session (clock_timestamp() around a PL/pgSQL loop of 300, rolled back): "
         f"automated run {timing['old'][0]:.2f} ms old, {timing['new'][0]:.2f} ms new "
         f"({timing['new'][0] / timing['old'][0]:.2f}x); lease+complete pair {timing['old'][1]:.2f} ms old, "
         f"{timing['new'][1]:.2f} ms new ({timing['new'][1] / timing['old'][1]:.2f}x)."),
    ]
    for side in ("old", "new"):
        shapes = "; ".join(f"{cnt} runs visited {nodes} ({ok} completed at progress 100)" for nodes, cnt, ok in paths[side])
        c = checks[side]
        lines.append(f"- Check, {side}: {shapes}. Worker steps: {c[0]} completed, {c[1]} of their runs completed, "
                     f"{c[2]} runs with a step completed twice, {c[3]} runs still waiting.")
    lines += ["", "Commands (each round, in each database):", "", "```"]
    lines += [commands[k] for k in sorted(commands)]
    lines += ["```"]
    return lines


if __name__ == "__main__":
    main()
