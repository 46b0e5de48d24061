"""Cases of the OneCMS example run end to end through claim and complete.

Deploys examples/OneCMS_Nextgen_WF.bpmn20.xml, starts N cases with
flowable.start_process, then C connections (one bench user each, holding every
role of the example) work them: claim the next task of any queue
(flowable.claim_next_task), complete it with the form data the gateways read
(flowable.complete_task; the engine moves the case on in the same
transaction), and finish the closure worker steps (automation.claim_steps /
complete_step). Case mix at triage: 70 % standard complaints, 20 % fraud
(parallel legal and compliance review), 10 % inquiries; supervisors approve
90 % and reject 10 %.

In the same run, the task service's claim benchmark: the same C connections
claim and complete as many plain queue tasks (no process engine behind them).
The result is tasks/s of each and their ratio.

Queue capacities are lifted for the run (all cases are started before any is
worked, which would otherwise fill the intake queue).

    .venv/bin/python bench/bpmn_cases.py [--cases 10000] [--connections 8] [--no-record]
"""

from __future__ import annotations

import argparse
import random
import threading
import time
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

try:  # as part of the bench package (python -m bench)
    from .bpmn_common import (
        DEMO_ORG,
        EXAMPLE,
        act_as_workflow_admin,
        append_results,
        bench_database,
        current_commit,
    )
except ImportError:  # as a script (python bench/bpmn_cases.py)
    from bpmn_common import (
        DEMO_ORG,
        EXAMPLE,
        act_as_workflow_admin,
        append_results,
        bench_database,
        current_commit,
    )

KEY = "OneCMS_Nextgen_WF"
QUEUES = ["intake", "triage", "casework", "legal_review", "compliance_review", "supervisor_approval"]
ROLES = ["INTAKE_ANALYST", "TRIAGE_OFFICER", "CASE_HANDLER", "LEGAL_REVIEWER", "COMPLIANCE_OFFICER", "CASE_SUPERVISOR"]


def setup(url: str, connections: int) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(DEMO_ORG.read_text())
        conn.execute("UPDATE flowable.workflow_queues SET max_capacity = NULL")
        for i in range(connections):
            user = f"bench{i}"
            conn.execute("INSERT INTO entitlements.users (user_id, username, email) VALUES (%s, %s, %s)",
                         (user, user, f"{user}@example.org"))
            conn.execute("""INSERT INTO entitlements.user_workflow_roles (user_id, role_id, assigned_by)
                            SELECT %s, role_id, 'bench' FROM entitlements.workflow_roles WHERE role_code = ANY (%s)""",
                         (user, ROLES))
        act_as_workflow_admin(conn, "bench")
        conn.execute("SELECT flowable.deploy_process(%s, 'bench')", (EXAMPLE.read_text(),))


def run_threads(count: int, target: Any) -> float:
    """Run ``target(i)`` in ``count`` threads; wall-clock seconds until all end."""
    errors: list[BaseException] = []

    def wrapped(i: int) -> None:
        try:
            target(i)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(count)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - start


def start_cases(url: str, cases: int, connections: int) -> float:
    def starter(i: int) -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            for n in range(i, cases, connections):
                with conn.transaction():
                    conn.execute("SELECT set_config('app.current_user_id', %s, true)", (f"bench{i}",))
                    conn.execute("SELECT flowable.start_process(%s, %s, %s, %s, p_priority => %s)",
                                 (KEY, f"CASE-{n}", Jsonb({"priority": 50, "customerEmail": f"c{n}@example.org"}),
                                  n, 50))
    return run_threads(connections, starter)


def form_for(task_name: str, rng: random.Random) -> dict[str, Any]:
    if task_name.startswith("Triage"):
        pick = rng.random()
        if pick < 0.2:
            return {"caseType": "FRAUD", "priority": 85}
        if pick < 0.3:
            return {"caseType": "INQUIRY", "priority": 10}
        return {"caseType": "COMPLAINT", "priority": 50}
    if task_name == "Supervisor approval":
        return {"decision": "approve" if rng.random() < 0.9 else "reject"}
    return {}


def work_cases(url: str, connections: int, counters: dict[str, int], lock: threading.Lock) -> float:
    def worker(i: int) -> None:
        user, rng = f"bench{i}", random.Random(i)
        tasks = steps = 0
        with psycopg.connect(url, autocommit=True) as conn:
            while True:
                with conn.transaction():
                    conn.execute("SELECT set_config('app.current_user_id', %s, true)", (user,))
                    row = conn.execute("SELECT task_id, task_name FROM flowable.claim_next_task(%s, %s)",
                                       (user, QUEUES)).fetchone()
                if row is not None:
                    with conn.transaction():
                        conn.execute("SELECT set_config('app.current_user_id', %s, true)", (user,))
                        conn.execute("SELECT flowable.complete_task(%s, 'done', NULL, %s)",
                                     (row[0], Jsonb(form_for(row[1], rng))))
                    tasks += 1
                    continue
                with conn.transaction():
                    leased = conn.execute("SELECT execution_id FROM automation.claim_steps(%s, ARRAY['action'], 300, 20)",
                                          (user,)).fetchall()
                    for (execution_id,) in leased:
                        conn.execute("SELECT automation.complete_step(%s, '{}', %s)", (execution_id, user))
                steps += len(leased)
                if leased:
                    continue
                active = conn.execute("SELECT count(*) FROM flowable.process_instances WHERE status = 'ACTIVE'").fetchone()
                if active is None or active[0] == 0:
                    break
                time.sleep(0.005)
        with lock:
            counters["tasks"] += tasks
            counters["steps"] += steps
    return run_threads(connections, worker)


def claim_baseline(url: str, tasks: int, connections: int) -> float:
    """The task service alone: claim and complete plain queue tasks."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("""INSERT INTO flowable.workflow_queues (queue_name, max_capacity) VALUES ('baseline', NULL);
                        INSERT INTO entitlements.workflow_roles (role_code, role_name, role_type, queue_name)
                        VALUES ('BASELINE', 'Baseline', 'CUSTOM', 'baseline');""")
        conn.execute("""INSERT INTO entitlements.user_workflow_roles (user_id, role_id, assigned_by)
                        SELECT user_id, (SELECT role_id FROM entitlements.workflow_roles WHERE role_code = 'BASELINE'), 'bench'
                        FROM entitlements.users WHERE user_id LIKE 'bench%'""")
        conn.execute("""INSERT INTO flowable.workflow_definitions (process_key, process_name, business_app)
                        VALUES ('baseline', 'baseline', 'bench');
                        INSERT INTO flowable.process_instances (process_instance_id, workflow_id, started_by)
                        SELECT 'baseline-pi', workflow_id, 'bench' FROM flowable.workflow_definitions WHERE process_key = 'baseline'""")
        conn.execute("""SELECT flowable.create_task('baseline-pi', 'work', 'Baseline task ' || n, 'baseline',
                                                    ARRAY['BASELINE'], NULL, NULL, 50)
                        FROM generate_series(1, %s) n""", (tasks,))

    def worker(i: int) -> None:
        user = f"bench{i}"
        with psycopg.connect(url, autocommit=True) as conn:
            while True:
                with conn.transaction():
                    conn.execute("SELECT set_config('app.current_user_id', %s, true)", (user,))
                    row = conn.execute("SELECT task_id FROM flowable.claim_next_task(%s, ARRAY['baseline'])",
                                       (user,)).fetchone()
                if row is None:
                    break
                with conn.transaction():
                    conn.execute("SELECT set_config('app.current_user_id', %s, true)", (user,))
                    conn.execute("SELECT flowable.complete_task(%s, 'done', NULL, '{}')", (row[0],))
    return run_threads(connections, worker)


def measure(url: str, cases: int, connections: int) -> list[str]:
    setup(url, connections)
    start_s = start_cases(url, cases, connections)
    counters, lock = {"tasks": 0, "steps": 0}, threading.Lock()
    work_s = work_cases(url, connections, counters, lock)
    with psycopg.connect(url) as conn:
        outcome = dict(conn.execute(
            "SELECT status, count(*) FROM flowable.process_instances GROUP BY status").fetchall())
    engine_rate = counters["tasks"] / work_s
    base_s = claim_baseline(url, counters["tasks"], connections)
    base_rate = counters["tasks"] / base_s
    lines = [
        (f"{cases} OneCMS cases started with {connections} connections in {start_s:.1f} s "
         f"({cases / start_s:.0f} starts/s, each through registerCase's queue task)"),
        (f"worked to the end in {work_s:.1f} s: {counters['tasks']} user tasks claimed and completed "
         f"({engine_rate:.0f} tasks/s) and {counters['steps']} worker steps; final statuses {outcome}"),
        (f"task service claim benchmark, same run and connections: {counters['tasks']} plain tasks claimed "
         f"and completed in {base_s:.1f} s ({base_rate:.0f} tasks/s)"),
        f"ratio: BPMN process tasks/s = {engine_rate / base_rate:.2f} x the plain claim benchmark",
    ]
    for ln in lines:
        print(ln)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--no-record", action="store_true", help="do not append to bench/RESULTS.md")
    args = parser.parse_args()
    commit = current_commit()
    with bench_database("pgwf_bench_cases") as url:
        lines = measure(url, args.cases, args.connections)
    if not args.no_record:
        append_results("OneCMS cases through claim and complete",
                       f".venv/bin/python bench/bpmn_cases.py --cases {args.cases} --connections {args.connections}",
                       lines, commit)


if __name__ == "__main__":
    main()
