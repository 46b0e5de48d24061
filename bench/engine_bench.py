"""Benchmarks of the workflow engine (issue 4), against a scratch database it builds.

    .venv/bin/python bench/engine_bench.py runs     # 10-node automated graph, 4 clients, vs INSERT+UPDATE floor
    .venv/bin/python bench/engine_bench.py steps    # worker claim+complete, 8 clients, vs task claim+complete
    .venv/bin/python bench/engine_bench.py all [--record]

Options: --db NAME (default pgwf_bench_engine, dropped and created), --seconds N (pgbench -T,
default 20). --record appends the results and the exact commands to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
from pathlib import Path

import psycopg

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import task_bench
from bpmn_common import act_as_workflow_admin

SCRIPTS = HERE / "engine"

# 10 nodes, all automatic: trigger, condition, a parallel fork of two notifications and a
# condition-routed pair of notifications, a join and an end (10 visits on the hot path).
GRAPH = {
    "nodes": [
        {"id": "start", "type": "trigger", "position": {"x": 0, "y": 0}, "data": {}},
        {"id": "check", "type": "condition", "position": {"x": 1, "y": 0},
         "data": {"condition": {"field": "cvss_score", "operator": "greater_than", "value": 7}}},
        {"id": "fork", "type": "gateway", "position": {"x": 2, "y": 0}, "data": {"kind": "parallel"}},
        {"id": "mail", "type": "notification", "position": {"x": 3, "y": 0},
         "data": {"channel": "email", "recipients": ["sec@example.org"], "subject": "CVSS {{cvss_score}}"}},
        {"id": "chat", "type": "notification", "position": {"x": 3, "y": 1},
         "data": {"channel": "slack", "recipients": ["#sec"], "subject": "{{asset}}"}},
        {"id": "join", "type": "gateway", "position": {"x": 4, "y": 0}, "data": {"kind": "parallel"}},
        {"id": "route", "type": "gateway", "position": {"x": 5, "y": 0}, "data": {"kind": "exclusive"}},
        {"id": "crit", "type": "notification", "position": {"x": 6, "y": 0}, "data": {"channel": "sms"}},
        {"id": "low", "type": "end", "position": {"x": 6, "y": 1}, "data": {}},
        {"id": "done", "type": "end", "position": {"x": 7, "y": 0}, "data": {}},
    ],
    "edges": [
        {"id": "e1", "source": "start", "target": "check"},
        {"id": "e2", "source": "check", "target": "fork", "sourceHandle": "true"},
        {"id": "e3", "source": "check", "target": "low", "sourceHandle": "false"},
        {"id": "e4", "source": "fork", "target": "mail"},
        {"id": "e5", "source": "fork", "target": "chat"},
        {"id": "e6", "source": "mail", "target": "join"},
        {"id": "e7", "source": "chat", "target": "join"},
        {"id": "e8", "source": "join", "target": "route"},
        {"id": "e9", "source": "route", "target": "crit",
         "data": {"conditions": [{"field": "cvss_score", "operator": "greater_than_or_equal", "value": 9}]}},
        {"id": "e10", "source": "route", "target": "low", "data": {"default": True}},
        {"id": "e11", "source": "crit", "target": "done"},
    ],
}

STEP_GRAPH = {
    "nodes": [
        {"id": "start", "type": "trigger", "position": {"x": 0, "y": 0}, "data": {}},
        {"id": "call", "type": "action", "position": {"x": 1, "y": 0}, "data": {"connector": "http"}},
        {"id": "done", "type": "end", "position": {"x": 2, "y": 0}, "data": {}},
    ],
    "edges": [{"id": "e1", "source": "start", "target": "call"}, {"id": "e2", "source": "call", "target": "done"}],
}


def deploy(db: str, graph: dict, name: str) -> str:
    with psycopg.connect(task_bench.url(db)) as conn:
        act_as_workflow_admin(conn, "bench")  # saving and deploying a model needs workflow_admin
        wid = conn.execute("SELECT automation.save_workflow(%s::jsonb, %s)", (json.dumps(graph), name)).fetchone()[0]
        conn.execute("SELECT automation.deploy_workflow(%s)", (wid,))
    return str(wid)


def floor_tables(db: str) -> None:
    with psycopg.connect(task_bench.url(db)) as conn:
        conn.execute("""
            DROP SCHEMA IF EXISTS bench_floor CASCADE;
            CREATE SCHEMA bench_floor;
            CREATE TABLE bench_floor.runs (id bigserial PRIMARY KEY, status text, progress int DEFAULT 0,
                                           data jsonb, created_at timestamptz DEFAULT now());
            CREATE TABLE bench_floor.steps (id bigserial PRIMARY KEY, run_id bigint REFERENCES bench_floor.runs,
                                            node_id text, status text, data jsonb, created_at timestamptz DEFAULT now());
            CREATE INDEX ON bench_floor.steps (run_id);""")


def rows_per_run(db: str, wid: str) -> tuple[int, int]:
    """(rows a run writes besides its instance row, steps it visits), measured on one run."""
    with psycopg.connect(task_bench.url(db)) as conn:
        conn.execute("SELECT set_config('app.current_user_id', 'bench', true)")
        run = conn.execute("SELECT automation.start_workflow(%s, '{\"cvss_score\": 9.1, \"asset\": \"web01\"}')", (wid,)).fetchone()[0]
        steps = conn.execute("SELECT count(*) FROM automation.workflow_executions WHERE instance_id = %s", (run,)).fetchone()[0]
        notes = conn.execute("SELECT count(*) FROM automation.workflow_notifications WHERE instance_id = %s", (run,)).fetchone()[0]
        status = conn.execute("SELECT status FROM automation.workflow_instances WHERE id = %s", (run,)).fetchone()[0]
        assert status == "completed", status
        conn.rollback()
    return steps + notes + 1, steps  # + the process_instances row


def time_loop(db: str, sql_text: str, n: int) -> float:
    """Milliseconds per iteration of a PL/pgSQL loop running sql_text n times, inside the server."""
    with psycopg.connect(task_bench.url(db)) as conn:
        conn.execute("SELECT set_config('app.current_user_id', 'bench', false)")
        conn.execute(f"""
            CREATE OR REPLACE FUNCTION pg_temp.bench_loop() RETURNS double precision LANGUAGE plpgsql AS $b$
            DECLARE t0 timestamptz := clock_timestamp(); v_id bigint;
            BEGIN
                FOR i IN 1 .. {n} LOOP
                    {sql_text}
                END LOOP;
                RETURN extract(epoch FROM clock_timestamp() - t0) * 1000 / {n};
            END $b$""")
        ms = conn.execute("SELECT pg_temp.bench_loop()").fetchone()[0]
        conn.rollback()
    return float(ms)


def bench_runs(db: str, seconds: int) -> list[str]:
    task_bench.recreate(db)
    floor_tables(db)
    wid = deploy(db, GRAPH, "bench 10 nodes")
    children, steps = rows_per_run(db, wid)
    task_bench.vacuum(db)
    common = ["-c", "4", "-j", "2", "-T", str(seconds)]
    # a warm-up of both workloads (not counted): caches, the first checkpoint, autovacuum of the setup
    for script, var in (("baseline_run.sql", f"children={children}"), ("start_run.sql", f"wid='{wid}'")):
        task_bench.pgbench(db, ["-c", "4", "-j", "2", "-T", str(max(3, seconds // 4)), "-f", str(SCRIPTS / script), "-D", var])
    task_bench.vacuum(db)
    results = []
    commands = []
    for label, extra in [
        ("INSERT+UPDATE floor", ["-f", str(SCRIPTS / "baseline_run.sql"), "-D", f"children={children}"]),
        ("automated run (start_workflow)", ["-f", str(SCRIPTS / "start_run.sql"), "-D", f"wid='{wid}'"]),
        ("INSERT+UPDATE floor, again", ["-f", str(SCRIPTS / "baseline_run.sql"), "-D", f"children={children}"]),
    ]:
        tps, cmd = task_bench.pgbench(db, common + extra)
        results.append((label, tps))
        commands.append(cmd.replace(str(ROOT) + "/", ""))
        task_bench.vacuum(db)
    floor_tps = statistics.mean([results[0][1], results[2][1]])
    with psycopg.connect(task_bench.url(db)) as conn:
        check = conn.execute("""SELECT count(*), count(*) FILTER (WHERE status = 'completed' AND progress = 100)
                                FROM automation.workflow_instances""").fetchone()
    engine_ms = time_loop(db, f"PERFORM automation.start_workflow('{wid}'::uuid, '{{\"cvss_score\": 9.1, \"asset\": \"web01\"}}');", 300)
    floor_ms = time_loop(db, f"""
        INSERT INTO bench_floor.runs (status, data) VALUES ('running', '{{"cvss_score": 9.1}}') RETURNING id INTO v_id;
        INSERT INTO bench_floor.steps (run_id, node_id, status, data)
        SELECT v_id, 'n' || g, 'completed', '{{}}' FROM generate_series(1, {children}) g;
        UPDATE bench_floor.runs SET status = 'completed', progress = 100 WHERE id = v_id;""", 300)
    lines = [
        (f"The 10-node automated graph of `bench/engine_bench.py` (trigger, condition, parallel fork of two "
         f"notifications, join, exclusive gateway with a conditional and a default edge, notification, end): "
         f"{steps} step visits and {children} rows besides the run row per run. 4 clients, -j 2, {seconds} s each, "
         f"back to back after a warm-up of both; the floor writes the same rows (1 parent + {children} children) with bare INSERTs and one "
         f"UPDATE, no triggers (ratio against the mean of the two floor runs, {floor_tps:.0f} tps)."),
        "",
        "| workload | runs/s | ratio to floor |",
        "| --- | --- | --- |",
    ]
    for label, tps in results:
        lines.append(f"| {label} | {tps:.0f} | {tps / floor_tps:.2f} |")
    lines += [
        "",
        (f"Database time per run, timed inside the server over 300 runs in one session: engine {engine_ms:.2f} ms, "
         f"floor {floor_ms:.2f} ms; overhead {(engine_ms - floor_ms):.2f} ms per run, "
         f"{(engine_ms - floor_ms) / steps:.3f} ms per step."),
        f"After the runs: {check[1]} of {check[0]} runs completed at progress 100.",
        "", "Commands:", "", "```"] + commands + ["```"]
    return lines


def bench_steps(db: str, seconds: int) -> list[str]:
    task_bench.recreate(db)
    task_bench.load_world(db, open_tasks=100_000, finished_tasks=0)
    wid = deploy(db, STEP_GRAPH, "bench worker step")
    preload = 40_000
    with psycopg.connect(task_bench.url(db)) as conn:
        conn.execute("SELECT set_config('app.current_user_id', 'bench', true)")
        conn.execute(f"""DO $d$ BEGIN
            FOR i IN 1 .. {preload} LOOP PERFORM automation.start_workflow('{wid}'::uuid); END LOOP; END $d$""")
    task_bench.vacuum(db)
    common = ["-c", "8", "-j", "2", "-T", str(seconds)]
    results = []
    commands = []
    for label, extra in [
        ("task claim+complete (flowable.claim_next_task, complete_task)", ["-f", str(task_bench.SCRIPTS / "claim_complete_tx.sql")]),
        ("worker step claim+complete (automation.claim_steps, complete_step)", ["-f", str(SCRIPTS / "claim_complete_step.sql")]),
        ("task claim+complete, again", ["-f", str(task_bench.SCRIPTS / "claim_complete_tx.sql")]),
    ]:
        tps, cmd = task_bench.pgbench(db, common + extra)
        results.append((label, tps))
        commands.append(cmd.replace(str(ROOT) + "/", ""))
        task_bench.vacuum(db)
    task_tps = statistics.mean([results[0][1], results[2][1]])
    with psycopg.connect(task_bench.url(db)) as conn:
        check = conn.execute("""SELECT count(*) FILTER (WHERE status = 'completed'),
                                       count(*) FILTER (WHERE status = 'running'),
                                       (SELECT count(*) FROM automation.workflow_executions WHERE step_type = 'action' AND status = 'completed')
                                FROM automation.workflow_instances""").fetchone()
    lines = [
        (f"{preload:,} runs each waiting at one worker step; 100,000 OPEN tasks in 5 queues for 8 agents (the task "
         f"service bench's world) in the same database. 8 clients, -j 2, {seconds} s each, back to back; each "
         f"transaction pair is one lease and one report (ratio against the mean of the two task runs, {task_tps:.0f} pairs/s)."),
        "",
        "| workload | pairs/s | ratio to task claim+complete |",
        "| --- | --- | --- |",
    ]
    for label, tps in results:
        lines.append(f"| {label} | {tps:.0f} | {tps / task_tps:.2f} |")
    lines += ["", (f"After the runs: {check[2]} steps completed, {check[0]} runs completed (each completion also ran "
                   f"its run to the end node), {check[1]} still waiting."), "", "Commands:", "", "```"] + commands + ["```"]
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["runs", "steps", "all"])
    ap.add_argument("--db", default="pgwf_bench_engine")
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--record", action="store_true")
    args = ap.parse_args()
    sections = []
    if args.what in ("runs", "all"):
        sections.append(("Engine: automated runs vs an INSERT+UPDATE floor", bench_runs(args.db, args.seconds)))
    if args.what in ("steps", "all"):
        sections.append(("Engine: worker steps vs task claim+complete", bench_steps(args.db, args.seconds)))
    with psycopg.connect(task_bench.url(args.db)) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout.strip()
    cpus = subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout.strip()
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = []
    for title, lines in sections:
        out += [f"## {title} ({now}, commit {commit})", "",
                f"Command: `.venv/bin/python bench/engine_bench.py {args.what} --seconds {args.seconds}`", "",
                f"Machine: PostgreSQL {version}, {cpus} CPUs, Python {sys.version.split()[0]}", ""] + lines + [""]
    text = "\n".join(out)
    print(text)
    if args.record:
        with (HERE / "RESULTS.md").open("a") as f:
            f.write("\n" + text)


if __name__ == "__main__":
    main()
