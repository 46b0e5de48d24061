"""Benchmarks of the task service (issue 3), against a scratch database it builds.

    .venv/bin/python bench/task_bench.py claim      # claim+complete vs pgbench -N, 8 clients (+ index use)
    .venv/bin/python bench/task_bench.py calls      # server time per claim / completion, one session
    .venv/bin/python bench/task_bench.py explain    # the claim query's plan at 0 and 1,000,000 finished tasks
    .venv/bin/python bench/task_bench.py escalate   # 100k overdue of 1M vs the UPDATE..RETURNING+INSERT floor
    .venv/bin/python bench/task_bench.py views      # the reporting views over 1M tasks
    .venv/bin/python bench/task_bench.py all [--record]

Options: --db NAME (default pgwf_bench_tasks, dropped and created), --seconds N (pgbench -T of
the -N runs and of the spec's claim, default 30), --pairs N (claim+complete pairs of every other
claim workload, split over the clients, default 80,000 of the 100,000 OPEN tasks), --clients N
(default 8). --record appends the results and the exact commands
to bench/RESULTS.md. Runs take minutes, not tens of minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "pyapp"))

from pgwf import schema

HERE = Path(__file__).resolve().parent
SCRIPTS = HERE / "task_claim"
QUEUES = ["Q1", "Q2", "Q3", "Q4", "Q5"]
AGENTS = 8


def url(db: str) -> str:
    return f"postgresql:///{db}"


def recreate(db: str) -> None:
    with psycopg.connect("postgresql:///postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db)))
    schema.upgrade(url(db))
    with psycopg.connect(url(db)) as conn:
        conn.execute((SCRIPTS / "spec_functions.sql").read_text())


def load_world(db: str, open_tasks: int, finished_tasks: int, overdue_open: int = 0) -> None:
    """Queues Q1..Q5, 8 agents holding role AGENT, 1,000 runs, the tasks (bulk, triggers off,
    current_load set once at the end, as a DBA's bulk load would)."""
    with psycopg.connect(url(db)) as conn:
        conn.execute("""
            INSERT INTO entitlements.departments (department_code, department_name) VALUES ('OPS', 'Operations');
            INSERT INTO flowable.workflow_queues (queue_name, department_id, max_capacity, sla_minutes)
            SELECT q, (SELECT department_id FROM entitlements.departments), NULL, 480
            FROM unnest(ARRAY['Q1', 'Q2', 'Q3', 'Q4', 'Q5']) AS q;
            INSERT INTO entitlements.workflow_roles (role_code, role_name, role_type, queue_name)
            VALUES ('AGENT', 'Agent', 'CUSTOM', 'Q1');
            INSERT INTO entitlements.users (user_id, username)
            SELECT 'agent' || i, 'agent' || i FROM generate_series(1, 8) AS i;
            INSERT INTO entitlements.user_workflow_roles (user_id, role_id, assigned_by, valid_from)
            SELECT 'agent' || i, (SELECT role_id FROM entitlements.workflow_roles), 'bench', now() - interval '1 day'
            FROM generate_series(1, 8) AS i;
            INSERT INTO flowable.workflow_definitions (process_key, process_name, business_app, is_active)
            VALUES ('bench', 'Bench process', 'BENCH', true);
            ALTER TABLE flowable.workflow_tasks DISABLE TRIGGER USER;
            ALTER TABLE flowable.process_instances DISABLE TRIGGER USER;
            INSERT INTO flowable.process_instances (process_instance_id, workflow_id, started_by, started_at, status, completed_at)
            SELECT 'p' || i, (SELECT workflow_id FROM flowable.workflow_definitions), 'bench',
                   now() - make_interval(hours => i % 500), CASE WHEN i % 3 = 0 THEN 'COMPLETED' ELSE 'ACTIVE' END,
                   CASE WHEN i % 3 = 0 THEN now() - make_interval(hours => i % 500) + make_interval(mins => 30 + i % 900) END
            FROM generate_series(1, 1000) AS i;
        """)
        if finished_tasks:
            conn.execute("""
                INSERT INTO flowable.workflow_tasks (task_id, process_instance_id, task_definition_key, task_name, queue_name,
                    candidate_groups, priority, status, created_at, claimed_at, claimed_by, assignee_id, completed_at, completed_by, due_date)
                SELECT 'd' || i, 'p' || (1 + i %% 1000), 'review', 'Review', 'Q' || (1 + i %% 5), ARRAY['AGENT'], (i / 5) %% 100,
                       'COMPLETED', now() - make_interval(mins => i %% 20000 + 60), now() - make_interval(mins => i %% 20000 + 50),
                       'agent' || (1 + i %% 8), 'agent' || (1 + i %% 8), now() - make_interval(mins => i %% 20000),
                       'agent' || (1 + i %% 8), now() - make_interval(mins => i %% 20000 - 400)
                FROM generate_series(1, %s) AS i""", (finished_tasks,))
            conn.execute("""
                INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by, action_at, old_status, new_status)
                SELECT task_id, process_instance_id, 'COMPLETE', completed_by, completed_at, 'CLAIMED', 'COMPLETED'
                FROM flowable.workflow_tasks WHERE status = 'COMPLETED'""")
        conn.execute("""
            INSERT INTO flowable.workflow_tasks (task_id, process_instance_id, task_definition_key, task_name, queue_name,
                candidate_groups, priority, status, created_at, due_date)
            SELECT 'o' || i, 'p' || (1 + i %% 1000), 'review', 'Review', 'Q' || (1 + i %% 5), ARRAY['AGENT'], (i / 5) %% 100,
                   'OPEN', now() - make_interval(secs => i), CASE WHEN i <= %s THEN now() - interval '1 hour'
                                                                 ELSE now() + interval '8 hours' END
            FROM generate_series(1, %s) AS i""", (overdue_open, open_tasks))
        conn.execute("""
            ALTER TABLE flowable.workflow_tasks ENABLE TRIGGER USER;
            ALTER TABLE flowable.process_instances ENABLE TRIGGER USER;
            UPDATE flowable.workflow_queues q SET current_load = (
                SELECT count(*) FROM flowable.workflow_tasks t WHERE t.queue_name = q.queue_name
                AND t.status IN ('OPEN', 'CLAIMED', 'DELEGATED', 'ESCALATED'));
        """)
    vacuum(db)


def vacuum(db: str) -> None:
    with psycopg.connect(url(db), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def pgbench(db: str, args: list[str]) -> tuple[float, str]:
    cmd = ["pgbench", "-n", *args, db]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    m = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", out)
    if not m:
        raise RuntimeError(out)
    return float(m.group(1)), " ".join(cmd)


def build_template(db: str, pgbench_tables: bool) -> str:
    """A database (db + "_template") with the 100,000 OPEN tasks each workload starts from."""
    template = db + "_template"
    recreate(template)
    load_world(template, open_tasks=100_000, finished_tasks=0)
    if pgbench_tables:
        subprocess.run(["pgbench", "-i", "-q", "-s", "8", template], check=True, capture_output=True)
    vacuum(template)
    return template


def build_spec_template(db: str) -> str:
    """A database (db + "_spec_template") holding the specification's own schema for the tables a
    claim and a completion write (task_claim/spec_schema.sql) and the same 100,000 OPEN tasks."""
    template = db + "_spec_template"
    with psycopg.connect("postgresql:///postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(template)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(template)))
    with psycopg.connect(url(template)) as conn:
        conn.execute((SCRIPTS / "spec_schema.sql").read_text())
    vacuum(template)
    return template


def drop(db: str) -> None:
    with psycopg.connect("postgresql:///postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db)))


def copy_of(template: str, db: str) -> None:
    """db as a fresh copy of template (every workload starts from the same 100,000 OPEN tasks)."""
    with psycopg.connect("postgresql:///postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db)))
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(db), sql.Identifier(template)))
    vacuum(db)
    with psycopg.connect(url(db), autocommit=True) as conn:
        conn.execute("CHECKPOINT")


CLAIM_WORKLOADS = [
    # (label, pgbench arguments, protocol of the -N runs it is compared with, database: "pgwf" or "spec")
    ("pgbench -N (simple update)", ["-N"], "simple", "pgwf"),
    ("claim+complete (pgwf, one statement per transaction)", ["-f", "claim_complete.sql"], "simple", "pgwf"),
    ("claim+complete (pgwf, BEGIN / identity / call / COMMIT)", ["-f", "claim_complete_tx.sql"], "simple", "pgwf"),
    ("claim+complete (spec's claim_next_task)", ["-f", "spec_claim_complete.sql"], "simple", "pgwf"),
    ("pgbench -N (simple update, again)", ["-N"], "simple", "pgwf"),
    # the same comparison with both sides prepared, and the floors (plain SQL, no checks, no functions)
    ("pgbench -N (simple update), -M prepared", ["-M", "prepared", "-N"], "prepared", "pgwf"),
    ("claim+complete (pgwf, one statement per transaction), -M prepared",
     ["-M", "prepared", "-f", "claim_complete_prepared.sql"], "prepared", "pgwf"),
    ("claim+complete as bare SQL on pgwf's schema, -M prepared (pgwf's floor)",
     ["-M", "prepared", "-f", "bare_claim_complete.sql"], "prepared", "pgwf"),
    ("claim+complete as bare SQL on the spec's own schema, -M prepared (the spec's floor)",
     ["-M", "prepared", "-f", "spec_bare_claim_complete.sql"], "prepared", "spec"),
    ("pgbench -N (simple update), -M prepared, again", ["-M", "prepared", "-N"], "prepared", "pgwf"),
]


def bench_claim(db: str, seconds: int, clients: int, pairs: int) -> list[str]:
    """Every claim workload does the same number of pairs (-t), so each leaves the same number of
    claimed tasks behind it and none runs out of the 100,000 OPEN tasks; the -N runs and the spec's
    claim (which slows with every task it has claimed) run for a time (-T)."""
    templates = {"pgwf": build_template(db, pgbench_tables=True), "spec": build_spec_template(db)}
    common = ["-c", str(clients), "-j", "2"]
    timed = ["-T", str(seconds)]
    counted = ["-t", str(pairs // clients)]
    rows: list[tuple[str, float, str]] = []
    commands = []
    checks = None
    indexes: list[str] = []
    for label, args, baseline, database in CLAIM_WORKLOADS:
        copy_of(templates[database], db)
        extra = [str(SCRIPTS / a) if a.endswith(".sql") else a for a in args]
        if "spec_claim_complete.sql" in args:  # the spec's claim needs its full (priority DESC, created_at) index
            with psycopg.connect(url(db), autocommit=True) as conn:
                conn.execute("CREATE INDEX bench_spec_priority ON flowable.workflow_tasks (priority DESC, created_at)")
        amount = timed if "-N" in args or "spec_claim_complete.sql" in args else counted
        tps, cmd = pgbench(db, common + amount + extra)
        rows.append((label, tps, baseline))
        commands.append(cmd.replace(str(ROOT) + "/", ""))
        if label == CLAIM_WORKLOADS[1][0]:
            with psycopg.connect(url(db)) as conn:
                checks = conn.execute("""
                    SELECT (SELECT count(*) FROM flowable.workflow_tasks WHERE status = 'COMPLETED'),
                           (SELECT count(*) FROM flowable.workflow_tasks WHERE status = 'CLAIMED'),
                           (SELECT count(*) FROM flowable.task_history),
                           (SELECT bool_and(current_load = (SELECT count(*) FROM flowable.workflow_tasks t
                                WHERE t.queue_name = q.queue_name
                                  AND t.status IN ('OPEN', 'CLAIMED', 'DELEGATED', 'ESCALATED')))
                            FROM flowable.workflow_queues q)""").fetchone()
            indexes = bench_indexes(db)
    for template in templates.values():
        drop(template)
    base = {b: statistics.mean([t for label, t, bb in rows if bb == b and label.startswith("pgbench -N")])
            for b in ("simple", "prepared")}
    assert checks is not None
    lines = [
        (f"8 agents, 100,000 OPEN tasks in 5 queues, {clients} clients, -j 2, back to back: every claim workload "
         f"{pairs // clients * clients:,} pairs ({pairs // clients:,} per client), the `-N` runs and the spec's claim "
         f"{seconds} s each; each workload on a fresh copy of its database (pgwf's, or the spec's own schema for the spec's floor). "
         "Ratios against the mean of the `-N` runs of each protocol: simple (pgbench's default) "
         f"{base['simple']:.0f} tps, prepared {base['prepared']:.0f} tps; **bold** is the same protocol on both sides."),
        "",
        "| workload | tps (pairs/s for claim+complete) | ratio to -N simple | ratio to -N prepared |",
        "| --- | --- | --- | --- |",
    ]
    for label, tps, b in rows:
        ratios = [f"**{tps / base[p]:.2f}**" if p == b else f"{tps / base[p]:.2f}" for p in ("simple", "prepared")]
        lines.append(f"| {label} | {tps:.0f} | {ratios[0]} | {ratios[1]} |")
    lines += ["", (f"After the pgwf one-statement run: {checks[0]} tasks COMPLETED, {checks[1]} left CLAIMED "
                   f"(each pair completes what it claimed), {checks[2]} history rows, "
                   f"current_load exact in every queue: {checks[3]}."), "",
              "Commands:", "", "```", *commands, "```", "", "Indexes after the pgwf one-statement run:", "",
              *indexes]
    return lines


def call_times(db: str, pairs: int) -> tuple[float, float]:
    with psycopg.connect(url(db), autocommit=True) as conn:
        row = conn.execute("CALL bench_spec.call_loop(%s)", (pairs,)).fetchone()
    assert row is not None
    return float(row[0]), float(row[1])


def bench_calls(db: str, rounds: int = 3) -> list[str]:
    """Server time per claim and completion in one session, on a fresh copy each round; then the
    same after 55,000 pairs without a vacuum, and after VACUUM."""
    template = build_template(db, pgbench_tables=False)
    with psycopg.connect(url(template)) as conn:
        conn.execute((SCRIPTS / "call_loop.sql").read_text())
    fresh = []
    for _ in range(rounds):
        copy_of(template, db)
        call_times(db, 300)  # warm the caches and the plans
        fresh.append(call_times(db, 2000))
    copy_of(template, db)
    call_times(db, 55_000)
    stale = call_times(db, 2000)
    vacuum(db)
    cleaned = call_times(db, 2000)
    drop(template)
    claim = min(f[0] for f in fresh)
    complete = min(f[1] for f in fresh)
    return [
        ("Server time per call (`bench/task_claim/call_loop.sql`: one session, the 8 agents in turn, each "
         "call its own transaction, clock_timestamp() around the call), 100,000 OPEN tasks in 5 queues."),
        "",
        "| state | claim_next_task µs | complete_task µs |",
        "| --- | --- | --- |",
        f"| freshly vacuumed copy, 2,000 pairs (best of {rounds}) | {claim:.0f} | {complete:.0f} |",
        f"| the next 2,000 pairs after 55,000 claimed without a vacuum | {stale[0]:.0f} | {stale[1]:.0f} |",
        f"| the next 2,000 pairs after VACUUM | {cleaned[0]:.0f} | {cleaned[1]:.0f} |",
    ]


CLAIM_QUERY = """
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY OFF)
WITH mine AS (
    SELECT wr.role_code, wr.queue_name
    FROM entitlements.user_workflow_roles uwr
    JOIN entitlements.workflow_roles wr ON wr.role_id = uwr.role_id
    JOIN entitlements.users u ON u.user_id = uwr.user_id
    WHERE uwr.user_id = 'agent1' AND u.is_active IS TRUE AND wr.is_active IS TRUE
      AND (uwr.valid_from IS NULL OR uwr.valid_from <= now())
      AND (uwr.valid_until IS NULL OR uwr.valid_until > now())
)
SELECT t.task_id, t.status
FROM flowable.workflow_tasks t
WHERE t.queue_name = ANY (ARRAY(SELECT q.queue_name::text FROM flowable.workflow_queues q
                                WHERE q.queue_name = ANY ('{Q1,Q2,Q3,Q4,Q5}'::text[]) AND q.is_active IS TRUE))
  AND t.status IN ('OPEN', 'ESCALATED')
  AND t.assignee_id IS NULL
  AND (t.candidate_groups && ARRAY(SELECT m.role_code::text FROM mine m)
       OR (t.candidate_users @> ARRAY['agent1']
           AND EXISTS (SELECT 1 FROM entitlements.users u WHERE u.user_id = 'agent1' AND u.is_active IS TRUE))
       OR (COALESCE(cardinality(t.candidate_groups), 0) = 0
           AND COALESCE(cardinality(t.candidate_users), 0) = 0
           AND t.queue_name = ANY (ARRAY(SELECT m.queue_name::text FROM mine m WHERE m.queue_name IS NOT NULL))))
ORDER BY t.priority DESC, t.created_at
LIMIT 1
FOR UPDATE OF t SKIP LOCKED"""


def claim_timing(conn: psycopg.Connection, runs: int = 200) -> float:
    """Mean ms of claim_next_task + rollback, in one session (each call claims the top task)."""
    times = []
    for _ in range(runs):
        with conn.transaction(force_rollback=True):
            conn.execute("SELECT set_config('app.current_user_id', 'agent1', true)")
            t0 = time.perf_counter()
            conn.execute("SELECT * FROM flowable.claim_next_task('agent1', '{Q1,Q2,Q3,Q4,Q5}')").fetchall()
            times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def bench_explain(db: str) -> list[str]:
    lines = [("The claim query of `flowable.claim_next_task` (the `picked` CTE, literal arguments), "
              "EXPLAIN (ANALYZE, BUFFERS) with 100,000 OPEN tasks, then with 1,000,000 COMPLETED tasks added. "
              "Median time of the whole function call over 200 calls (rolled back) beside it."), ""]
    for finished in (0, 1_000_000):
        recreate(db)
        load_world(db, open_tasks=100_000, finished_tasks=finished)
        with psycopg.connect(url(db)) as conn:
            plan = [r[0] for r in conn.execute(CLAIM_QUERY).fetchall()]
            ms = claim_timing(conn)
            size = conn.execute("SELECT count(*) FROM flowable.workflow_tasks").fetchone()[0]
        lines += [f"**{size:,} tasks ({finished:,} COMPLETED)**: claim_next_task median {ms:.2f} ms", "", "```"]
        lines += plan + ["```", ""]
    return lines


ESC_FLOOR = """
WITH upd AS (
    UPDATE flowable.workflow_tasks t
    SET escalation_level = t.escalation_level + 1, escalated_at = now(), status = 'ESCALATED'
    WHERE t.status IN ('OPEN', 'CLAIMED', 'ESCALATED') AND t.due_date < now() AND t.escalation_level < 3
    RETURNING t.task_id, t.process_instance_id
)
INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by, old_status, new_status, comments)
SELECT task_id, process_instance_id, 'ESCALATE', 'SYSTEM', 'OPEN', 'ESCALATED', 'Auto-escalated due to SLA breach' FROM upd"""


def timed_rollback(db: str, stmt: str) -> tuple[float, int]:
    with psycopg.connect(url(db)) as conn:
        t0 = time.perf_counter()
        conn.execute(stmt)
        elapsed = time.perf_counter() - t0
        n = conn.execute("SELECT count(*) FROM flowable.task_history WHERE action_type = 'ESCALATE'").fetchone()[0]
        conn.rollback()
    vacuum(db)
    return elapsed, n


def bench_escalate(db: str, rounds: int = 5) -> list[str]:
    recreate(db)
    load_world(db, open_tasks=200_000, finished_tasks=800_000, overdue_open=100_000)
    results: dict[str, list[float]] = {"floor": [], "pgwf": [], "spec": []}
    counts: dict[str, int] = {}
    stmts = {"floor": ESC_FLOOR, "pgwf": "CALL flowable.escalate_overdue_tasks()",
             "spec": "CALL bench_spec.escalate_overdue_tasks()"}
    for r in range(rounds):
        order = ["floor", "pgwf", "spec"] if r % 2 == 0 else ["pgwf", "floor", "spec"]
        for key in order:
            if key == "spec" and r > 0:
                continue  # the row-by-row procedure once is enough to show the gap
            elapsed, n = timed_rollback(db, stmts[key])
            results[key].append(elapsed)
            counts[key] = n
    floor = statistics.median(results["floor"])
    pgwf = statistics.median(results["pgwf"])
    spec = statistics.median(results["spec"])
    return [
        ("1,000,000 tasks (800,000 COMPLETED, 200,000 OPEN of which 100,000 overdue), 5 queues with the default "
         f"escalation_config. Each statement in its own transaction, rolled back, VACUUM between; median of {rounds} "
         "(the spec's procedure once)."), "",
        "| statement | escalated | seconds | ratio to floor |",
        "| --- | --- | --- | --- |",
        f"| floor: one `UPDATE ... RETURNING` feeding one `INSERT` | {counts['floor']:,} | {floor:.2f} | 1.00 |",
        f"| `CALL flowable.escalate_overdue_tasks()` | {counts['pgwf']:,} | {pgwf:.2f} | {pgwf / floor:.2f} |",
        f"| the spec's row-by-row procedure | {counts['spec']:,} | {spec:.2f} | {spec / floor:.2f} |",
        "", "The floor statement:", "", "```sql", ESC_FLOOR.strip(), "```",
    ]


def bench_views(db: str) -> list[str]:
    recreate(db)
    load_world(db, open_tasks=100_000, finished_tasks=900_000)
    lines = ["1,000,000 tasks (900,000 COMPLETED), 1,000 runs, 8 users. Median of 5 runs; plan of the last.", ""]
    with psycopg.connect(url(db)) as conn:
        for view in ("v_active_tasks_by_queue", "v_user_workload", "v_process_performance"):
            times = []
            for _ in range(5):
                t0 = time.perf_counter()
                conn.execute(f"SELECT * FROM flowable.{view}").fetchall()
                times.append(time.perf_counter() - t0)
            plan = [r[0] for r in conn.execute(
                f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT * FROM flowable.{view}").fetchall()]
            lines += [f"**flowable.{view}**: {statistics.median(times) * 1000:.0f} ms", "", "```"] + plan + ["```", ""]
    return lines


def bench_indexes(db: str) -> list[str]:
    with psycopg.connect(url(db)) as conn:
        rows = conn.execute("""
            SELECT c.relname, i.indexrelname, pg_size_pretty(pg_relation_size(i.indexrelid)), i.idx_scan
            FROM pg_stat_user_indexes i JOIN pg_class c ON c.oid = i.relid
            WHERE i.schemaname = 'flowable' AND c.relname IN ('workflow_tasks', 'task_history')
            ORDER BY 1, 2""").fetchall()
    lines = ["| table | index | size | scans in this run |", "| --- | --- | --- | --- |"]
    lines += [f"| {t} | {i} | {s} | {n} |" for t, i, s, n in rows]
    return lines


def record(title: str, lines: list[str], command: str) -> None:
    path = HERE / "RESULTS.md"
    head = "" if path.exists() else "# Benchmark results\n\nEach section says what was run and how.\n"
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    cpu = subprocess.run(["nproc"], capture_output=True, text=True, check=False).stdout.strip()
    with path.open("a") as f:
        f.write(head)
        f.write(f"\n## Task service: {title} ({stamp}, {cpu} CPUs, PostgreSQL 15)\n\n")
        f.write(f"`{command}`\n\n")
        f.write("\n".join(lines) + "\n")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("what", choices=["claim", "calls", "explain", "escalate", "views", "all"])
    p.add_argument("--db", default="pgwf_bench_tasks")
    p.add_argument("--seconds", type=int, default=30)
    p.add_argument("--pairs", type=int, default=80_000)
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--record", action="store_true")
    a = p.parse_args()
    steps = ["claim", "calls", "explain", "escalate", "views"] if a.what == "all" else [a.what]
    for step in steps:
        if step == "claim":
            out = bench_claim(a.db, a.seconds, a.clients, a.pairs)
        elif step == "calls":
            out = bench_calls(a.db)
        elif step == "explain":
            out = bench_explain(a.db)
        elif step == "escalate":
            out = bench_escalate(a.db)
        else:
            out = bench_views(a.db)
        print(f"## {step}\n" + "\n".join(out) + "\n", flush=True)
        if a.record:
            cmd = f".venv/bin/python bench/task_bench.py {step}" + (
                f" --seconds {a.seconds} --pairs {a.pairs} --clients {a.clients}" if step == "claim" else "")
            record(step, out, cmd)
    with psycopg.connect("postgresql:///postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(a.db)))


if __name__ == "__main__":
    main()
