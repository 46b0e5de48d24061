"""pgwf with the real parts a DBA puts around it (docs/operations.md): PgBouncer in
transaction pooling mode, a streaming hot standby for reports, pg_cron running
maintenance, and a pg_dump/pg_restore into another cluster.

One throwaway cluster for the module (real_cluster.py: ``pg_createcluster`` on a free
loopback port, pg_cron preloaded), with the standby and the PgBouncer the tests start
and stop themselves.  The packages come from scripts/ensure-ops-packages.sh; a machine
that cannot install them fails here, saying so.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
from api_helpers import Api
from cli_helpers import run_pgwf
from pgwf import demo, scheduler, schema
from pgwf.api import create_app
from pgwf.db import Database
from pgwf.worker import Worker
from real_cluster import (
    PG_BIN,
    Cluster,
    PgBouncer,
    ensure_packages,
    free_port,
    new_name,
)
from test_api_workflows import approval_graph
from werkzeug.serving import make_server

TESTS_SQL = Path(__file__).resolve().parents[1] / "sql"
LOGINS = {"pgwf_test_app": ("pgwf_app", "pgwf_trusted_caller"),
          "pgwf_test_reporting": ("pgwf_reporting",)}
AGENTS = [f"ops{i}" for i in range(8)]
DB = "pgwf_ops"      # the pooler, standby and restore tests
CRON_DB = "pgwf"     # cron.database_name: the pg_cron test's own, held from the start (see ops)


@dataclass
class Ops:
    primary: Cluster
    cleanups: list[Callable[[], None]] = field(default_factory=list)
    standby: Cluster | None = None
    cron_holder: psycopg.Connection[Any] | None = None
    cron_step: str = ""

    def sql(self, query: str, params: Any = None, dbname: str = DB) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.primary.url(dbname), autocommit=True) as conn:
            cur = conn.execute(query, params)
            return cur.fetchall() if cur.description else []

    def tokens(self, users: list[str]) -> dict[str, str]:
        return {u: self.sql("SELECT token FROM entitlements.create_api_token(%s)", (u,))[0][0]
                for u in users}


def _threads(target: Callable[[int], None], n: int) -> None:
    errors: list[BaseException] = []

    def wrapped(i: int) -> None:
        try:
            target(i)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors


def _serve(database: Database) -> tuple[Any, str]:
    server = make_server("127.0.0.1", 0, create_app(database), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


@pytest.fixture(scope="module")
def ops() -> Iterator[Ops]:
    try:
        ensure_packages()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    primary = Cluster(new_name("ops"), free_port())
    state = Ops(primary)
    try:
        primary.create()
        primary.start()
        with psycopg.connect(primary.url(), autocommit=True) as conn:
            for login, groups in LOGINS.items():
                conn.execute(f"CREATE ROLE {login} LOGIN")  # fixed names above
        # one migrated database, copied: pg_cron's launcher stays connected to its own
        tpl = primary.url("pgwf_tpl")
        with psycopg.connect(primary.url(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE pgwf_tpl")
        schema.upgrade(tpl)
        with psycopg.connect(tpl, autocommit=True) as conn:
            for login, groups in LOGINS.items():
                conn.execute(f"GRANT {', '.join(groups)} TO {login}")
            conn.execute("CREATE EXTENSION pgtap")
            conn.execute("CREATE SCHEMA tests")
            conn.execute("GRANT USAGE ON SCHEMA tests TO PUBLIC")
        with psycopg.connect(tpl) as conn:
            schema.load_files(conn, sorted((TESTS_SQL / "helpers").glob("*.sql")), TESTS_SQL)
        demo.load(Database(tpl, None, pooled=False))
        with psycopg.connect(primary.url(), autocommit=True) as conn:
            for name in (DB, CRON_DB):
                conn.execute(f"CREATE DATABASE {name} TEMPLATE pgwf_tpl")  # fixed names
        _start_cron_phase(state)
        yield state
    finally:
        if state.cron_holder is not None:
            state.cron_holder.close()
        for cleanup in reversed(state.cleanups):
            cleanup()
        primary.drop()


# --------------------------------------------------------------------------
# 3. PgBouncer in transaction pooling mode

def _ops_queue(ops: Ops, tasks: int) -> None:
    ops.sql("SELECT tests.cr_department('POOLED'), tests.cr_queue('Q_OPS', 'POOLED'),"
            " tests.cr_role('OPS_AGENT', 'Q_OPS', 'POOLED'), tests.cr_process('ops-p1')")
    ops.sql("UPDATE flowable.workflow_queues SET max_capacity = NULL WHERE queue_name = 'Q_OPS'")
    ops.sql("SELECT tests.cr_user(u, 'POOLED'), tests.cr_grant(u, 'OPS_AGENT') FROM unnest(%s::text[]) u",
            (AGENTS,))
    ops.sql("""INSERT INTO flowable.workflow_tasks (task_id, process_instance_id, task_definition_key,
                                                   task_name, queue_name, candidate_groups, priority)
               SELECT 'ops-' || i, 'ops-p1', 'review', 'Review ' || i, 'Q_OPS', ARRAY['OPS_AGENT'], i %% 10
               FROM generate_series(1, %s) AS i""", (tasks,))


def test_pgbouncer_transaction_mode_keeps_every_identity_to_its_own_transaction(ops: Ops) -> None:
    _ops_queue(ops, 48)
    tokens = ops.tokens([*AGENTS, "alice", "bob", "erin"])
    bouncer = PgBouncer(ops.primary, DB, ["postgres", "pgwf_test_app"], pool_size=3)
    ops.cleanups.append(bouncer.stop)
    bouncer.start()
    # the API as it runs behind the pooler: PGWF_TRANSACTION_POOLER, so nothing is prepared
    database = Database(bouncer.url("pgwf_test_app"), "pgwf_app", 1, 8, name="pgwf-bouncer",
                        pooler=True)
    server, base = _serve(database)
    api = Api(base, ops.primary.url(DB), tokens)
    try:
        # many people at once, each claiming and completing through the API: every claim is
        # theirs, every history row names them, on three server connections shared by all
        done: dict[str, list[str]] = {a: [] for a in AGENTS}

        def agent(i: int) -> None:
            me = AGENTS[i]
            while True:
                assert api.get("/me", me).body["user_id"] == me
                claimed = api.post("/tasks/claim-next", me, body={"queues": ["Q_OPS"]})
                assert claimed.status == 200, claimed.body
                task = claimed.body["task"]
                if task is None:
                    return
                finished = api.post(f"/tasks/{task['task_id']}/complete", me,
                                    body={"outcome": "done", "form_data": {"by": me}})
                assert finished.status == 200, finished.body
                assert finished.body["assignee_id"] == me, finished.body
                done[me].append(task["task_id"])

        _threads(agent, len(AGENTS))
        assert sum(len(v) for v in done.values()) == 48
        wrong = ops.sql("""SELECT h.task_id, h.action_type, h.action_by, t.assignee_id
                           FROM flowable.task_history h JOIN flowable.workflow_tasks t USING (task_id)
                           WHERE t.queue_name = 'Q_OPS' AND h.action_type IN ('CLAIM', 'COMPLETE')
                             AND (h.action_by IS DISTINCT FROM t.assignee_id
                                  OR h.client_info ->> 'user' IS DISTINCT FROM t.assignee_id)""")
        assert wrong == []
        assert ops.sql("SELECT count(*) FROM flowable.workflow_tasks t WHERE t.queue_name = 'Q_OPS'"
                       " AND t.status = 'COMPLETED' AND t.form_data ->> 'by' = t.assignee_id") == [(48,)]

        # approvals: alice starts runs, erin decides them from three clients while bob tries
        saved = api.post("/workflows", "alice", body={"workflow_data": approval_graph(),
                                                      "name": "Pooled approval"})
        assert saved.status == 200, saved.body
        assert api.post(f"/workflows/{saved.body['id']}/deploy", "alice").status == 200
        runs = [api.post(f"/workflows/{saved.body['id']}/runs", "alice",
                         body={"input": {"change": f"CHG-{i}"}}).body["run_id"] for i in range(6)]
        approvals = [a["id"] for a in api.get("/approvals", "erin").body["items"]
                     if a["instance_id"] in runs]
        assert len(approvals) == 6
        assert api.get("/approvals", "bob").body["items"] == []

        def decider(i: int) -> None:
            for approval in approvals[i::3]:
                assert api.post(f"/approvals/{approval}/approve", "bob").status in (403, 404)
                ok = api.post(f"/approvals/{approval}/approve", "erin", body={"comment": "fine"})
                assert ok.status == 200, ok.body

        _threads(decider, 3)
        assert ops.sql("SELECT count(*) FROM automation.workflow_instances WHERE id = ANY(%s::uuid[])"
                       " AND status = 'completed'", (runs,)) == [(6,)]
    finally:
        server.shutdown()
        database.close()

    # the functions directly, as an application would: 12 clients on 3 server connections,
    # each transaction sees its own person, one without authentication sees nobody
    direct = Database(bouncer.url("pgwf_test_app"), "pgwf_app", 1, 12, name="pgwf-direct",
                      pooler=True)
    people = [*AGENTS, "alice", "bob", "erin", "ops0"]
    served: dict[int, set[str]] = {}
    lock = threading.Lock()

    def client(i: int) -> None:
        me = people[i]
        for _ in range(20):  # more than psycopg's prepare threshold (5): nothing is prepared
            with direct.transaction(token=tokens[me]) as conn:
                assert conn.prepare_threshold is None  # PGWF_TRANSACTION_POOLER: never prepared
                row = conn.execute(
                    "SELECT entitlements.current_user_id() AS who, pg_backend_pid() AS pid,"
                    " (SELECT count(*) FROM flowable.workflow_tasks) AS seen").fetchone()
                assert row is not None and row["who"] == me, (me, row)
            with lock:
                served.setdefault(row["pid"], set()).add(me)
            with direct.transaction() as conn:
                nobody = conn.execute(
                    "SELECT entitlements.current_user_id() AS who,"
                    " current_setting('app.current_user_id', true) AS raw,"
                    " (SELECT count(*) FROM flowable.workflow_tasks) AS seen").fetchone()
                assert nobody is not None and nobody["who"] is None, (me, nobody)
                assert nobody["raw"] in (None, ""), (me, nobody)
                assert nobody["seen"] == 0, (me, nobody)

    try:
        _threads(client, len(people))
    finally:
        direct.close()
    assert len(served) <= 3, served  # the pooler's server connections
    assert max(len(users) for users in served.values()) > 1, served  # shared between people


def test_the_worker_listens_on_a_direct_connection_never_through_the_pooler(
        ops: Ops, monkeypatch: pytest.MonkeyPatch) -> None:
    bouncer = PgBouncer(ops.primary, DB, ["postgres"], pool_size=2)
    ops.cleanups.append(bouncer.stop)
    bouncer.start()
    pooled = Database(bouncer.url("postgres"), "pgwf_worker", pooled=False, pooler=True)
    monkeypatch.delenv("PGWF_LISTEN_DATABASE_URL", raising=False)
    assert Worker(pooled)._listen() is None  # no LISTEN through it: the worker polls
    monkeypatch.setenv("PGWF_LISTEN_DATABASE_URL", ops.primary.url(DB))
    listener = Worker(pooled)._listen()
    assert listener is not None
    try:
        # a wake-up sent through the pooler (as the API's transactions send theirs) reaches
        # the worker on its direct connection
        with psycopg.connect(bouncer.url("postgres"), autocommit=True) as conn:
            conn.execute("NOTIFY pgwf_steps, 'probe'")
        heard = [n.payload for n in listener.notifies(timeout=10, stop_after=1)]
        assert heard == ["probe"]
    finally:
        listener.close()


# --------------------------------------------------------------------------
# 4. A streaming replica for reports

REPORT_VIEWS = {
    "active-tasks-by-queue": "flowable.v_active_tasks_by_queue",
    "user-workload": "flowable.v_user_workload",
    "process-performance": "flowable.v_process_performance",
    "workflow-execution-summary": "automation.vw_workflow_execution_summary",
    "workflow-performance": "automation.vw_workflow_performance",
}


def _caught_up(ops: Ops, standby: Cluster, timeout: float = 30) -> None:
    lsn = ops.sql("SELECT pg_current_wal_insert_lsn()::text")[0][0]
    deadline = time.monotonic() + timeout
    with psycopg.connect(standby.url(), autocommit=True) as conn:
        while True:
            row = conn.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (lsn,)).fetchone()
            if row and row[0]:
                return
            assert time.monotonic() < deadline, "the standby did not replay the primary's WAL"
            time.sleep(0.1)


def test_a_hot_standby_serves_every_reporting_view_the_cli_and_the_api(
        ops: Ops, monkeypatch: pytest.MonkeyPatch) -> None:
    standby = Cluster(ops.primary.name + "_standby", free_port())
    ops.cleanups.append(standby.drop)
    standby.create()
    standby.standby_of(ops.primary)
    standby.start()
    ops.standby = standby
    with psycopg.connect(standby.url(), autocommit=True) as conn:
        assert conn.execute("SELECT pg_is_in_recovery()").fetchone() == (True,)

    # every view the reporting role may read, from the catalog, read there as that role
    views = [r[0] for r in ops.sql(
        """SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relkind IN ('v', 'm') AND n.nspname IN ('automation', 'flowable', 'entitlements')
             AND has_table_privilege('pgwf_reporting', c.oid, 'SELECT') ORDER BY 1""")]
    assert set(REPORT_VIEWS.values()) <= set(views), views
    tokens = ops.tokens(["alice"])
    ops.sql("SELECT tests.automation_instance(tests.automation_workflow('standby report'), 'completed')")
    _caught_up(ops, standby)
    with psycopg.connect(standby.url(DB, "pgwf_test_reporting"), autocommit=True) as conn:
        conn.execute("SET ROLE pgwf_reporting")
        for view in views:
            conn.execute(f"SELECT * FROM {view}").fetchall()  # names from the catalog
        assert conn.execute("SELECT count(*) FROM automation.vw_workflow_execution_summary"
                            " WHERE workflow_name = 'standby report'").fetchone() == (1,)

    # pgwf report reads the standby: with DATABASE_URL pointing nowhere it still answers
    for name in REPORT_VIEWS:
        out = run_pgwf("report", name, "--json",
                       url=f"host=127.0.0.1 port={free_port()} dbname=nowhere connect_timeout=2",
                       env={"PGWF_REPORTING_DATABASE_URL": standby.url(DB, "pgwf_test_reporting")})
        assert out.returncode == 0, (name, out.stderr)
        json.loads(out.stdout)
    out = run_pgwf("report", "workflow-execution-summary", "--json", url=ops.primary.url(DB),
                   env={"PGWF_REPORTING_DATABASE_URL": standby.url(DB, "pgwf_test_reporting")})
    assert [r["workflow_name"] for r in json.loads(out.stdout)].count("standby report") == 1

    # the API's /reports: each person's token checked on the standby (no write there), and
    # what they read is as old as the standby's replay, shown by pausing it
    monkeypatch.setenv("PGWF_REPORTING_DATABASE_URL", standby.url(DB, "pgwf_test_app"))
    database = Database(ops.primary.url(DB, "pgwf_test_app"), "pgwf_app", 1, 4)
    server, base = _serve(database)
    monkeypatch.delenv("PGWF_REPORTING_DATABASE_URL")
    api = Api(base, ops.primary.url(DB), tokens)
    path = "/reports/workflow-execution-summary?workflow_name=lag%20probe"
    try:
        with psycopg.connect(standby.url(), autocommit=True) as conn:
            conn.execute("SELECT pg_wal_replay_pause()")
            ops.sql("SELECT tests.automation_instance(tests.automation_workflow('lag probe'), 'completed')")
            resp = api.get(path, "alice")
            assert resp.status == 200, resp.body
            assert resp.body["items"] == []  # not replayed yet: the report lags
            conn.execute("SELECT pg_wal_replay_resume()")
        _caught_up(ops, standby)
        resp = api.get(path, "alice")
        assert resp.status == 200, resp.body
        assert [r["workflow_name"] for r in resp.body["items"]] == ["lag probe"]
        assert api.get("/me", "alice").body["user_id"] == "alice"  # the rest stays on the primary
    finally:
        server.shutdown()
        database.close()


# --------------------------------------------------------------------------
# 6. Backup and restore into another cluster

def test_a_dump_restored_into_another_cluster_claims_completes_and_runs(
        ops: Ops, fresh_db: str) -> None:
    # the source: a pgwf database of the shared test server, with the demo data
    demo.load(Database(fresh_db, None, pooled=False))
    dump = subprocess.run([str(PG_BIN / "pg_dump"), "-Fc", "-d", fresh_db], capture_output=True,
                          check=True, timeout=300).stdout
    # roles are the cluster's, not the database's: the target gets them first
    # (pg_dumpall --roles-only; a role the target already has is an error psql goes past)
    roles = subprocess.run([str(PG_BIN / "pg_dumpall"), "--roles-only", "-d", fresh_db],
                           capture_output=True, check=True, timeout=120, text=True).stdout
    target = ops.primary
    with psycopg.connect(target.url(), autocommit=True) as conn:
        conn.execute("CREATE DATABASE pgwf_restored")
    subprocess.run(["psql", "-X", "-q", "-d", target.url(), "-f", "-"], input=roles, text=True,
                   capture_output=True, check=True, timeout=120)
    restore = subprocess.run([str(PG_BIN / "pg_restore"), "--exit-on-error", "-d",
                              target.url("pgwf_restored")], input=dump, capture_output=True,
                             timeout=300, check=False)
    assert restore.returncode == 0, restore.stderr.decode()
    url = target.url("pgwf_restored")

    status = run_pgwf("db", "status", "--json", url=url)
    assert status.returncode == 0, status.stderr
    app = Database(target.url("pgwf_restored", "pgwf_test_app"), "pgwf_app", pooled=False)
    with psycopg.connect(url, autocommit=True) as conn:
        token = conn.execute("SELECT token FROM entitlements.create_api_token('alice')").fetchone()
        assert token is not None
    with app.transaction(token=token[0]) as conn:
        claimed = conn.execute("SELECT * FROM flowable.claim_task('demo-task-1')").fetchone()
        assert claimed is not None and claimed["assignee_id"] == "alice"
        done = conn.execute("SELECT * FROM flowable.complete_task('demo-task-1', 'accepted')").fetchone()
        assert done is not None and done["status"] == "COMPLETED"
        wid = conn.execute(
            "SELECT automation.save_workflow(%s::jsonb, 'Restored approval') AS id",
            (json.dumps(approval_graph()),)).fetchone()
        assert wid is not None
    with app.transaction(token=token[0]) as conn:
        conn.execute("SELECT automation.deploy_workflow(%s)", (wid["id"],))
        run = conn.execute("SELECT automation.start_workflow(%s, '{\"change\": \"CHG-9\"}') AS id",
                           (wid["id"],)).fetchone()
        assert run is not None
    with psycopg.connect(url, autocommit=True) as conn:
        assert conn.execute("SELECT status FROM automation.workflow_instances WHERE id = %s",
                            (run["id"],)).fetchone() == ("running",)
        assert conn.execute("SELECT count(*) FROM automation.workflow_approvals a"
                            " JOIN automation.workflow_executions e ON e.id = a.execution_id"
                            " WHERE e.instance_id = %s AND a.status = 'pending'",
                            (run["id"],)).fetchone() == (1,)


# --------------------------------------------------------------------------
# 5. pg_cron runs maintenance by itself (last: its first half runs while the others do)

def _start_cron_phase(ops: Ops) -> None:
    """Install the job and hold the step table of its database: the job pg_cron starts at
    the next minute then waits inside run_maintenance, holding its advisory lock, until
    the pg_cron test lets it go (so the wait for pg_cron's minute overlaps the other tests)."""
    url = ops.primary.url(CRON_DB)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION pg_cron")
        row = conn.execute("""SELECT tests.automation_execution(
                                  tests.automation_instance(tests.automation_workflow('cron lease')),
                                  'work', 'running', 'action')""").fetchone()
        assert row is not None
        ops.cron_step = str(row[0])
        conn.execute("UPDATE automation.workflow_executions SET worker_id = 'gone:1',"
                     " lease_expires_at = now() - interval '1 minute' WHERE id = %s", (row[0],))
    out = run_pgwf("cron", "install", url=url)
    assert out.returncode == 0, out.stderr
    ops.cron_holder = psycopg.connect(url)
    ops.cron_holder.execute("LOCK TABLE automation.workflow_executions IN ACCESS EXCLUSIVE MODE")


def test_pg_cron_runs_maintenance_and_the_advisory_lock_keeps_the_scheduler_out(ops: Ops) -> None:
    url = ops.primary.url(CRON_DB)
    assert ops.cron_holder is not None
    deadline = time.monotonic() + 75
    while True:  # pg_cron's job, started at a minute, waits inside run_maintenance
        running = ops.sql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                          " AND database = (SELECT oid FROM pg_database WHERE datname = %s)",
                          (CRON_DB,))
        if running[0][0]:
            break
        assert time.monotonic() < deadline, "pg_cron started no maintenance job"
        time.sleep(0.5)
    # meanwhile the Python scheduler's tick skips: the two never run maintenance at once
    outcome = scheduler.tick(Database(url, None, pooled=False))
    assert outcome["status"] == "skipped", outcome
    ops.cron_holder.rollback()

    deadline = time.monotonic() + 30
    while True:
        runs = ops.sql("""SELECT d.status, d.return_message FROM cron.job_run_details d
                          JOIN cron.job j USING (jobid) WHERE j.jobname = 'pgwf-maintenance'
                          AND d.status IN ('succeeded', 'failed') ORDER BY d.runid""", dbname=CRON_DB)
        if runs:
            break
        assert time.monotonic() < deadline, "the pg_cron job did not finish"
        time.sleep(0.2)
    assert runs[0][0] == "succeeded", runs
    # the expired lease was recovered by pg_cron's run, not by any scheduler
    assert ops.sql("SELECT status, lease_expiries FROM automation.workflow_executions WHERE id = %s",
                   (ops.cron_step,), dbname=CRON_DB) == [("pending", 1)]

    again = run_pgwf("cron", "install", "--schedule", "*/5 * * * *", url=url)
    assert again.returncode == 0, again.stderr
    assert ops.sql("SELECT schedule FROM cron.job WHERE jobname = 'pgwf-maintenance'",
                   dbname=CRON_DB) == [("*/5 * * * *",)]  # one job, rescheduled
    status = run_pgwf("cron", "status", "--json", url=url)
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)[0]["succeeded"] >= 1
    gone = run_pgwf("cron", "uninstall", url=url)
    assert gone.returncode == 0, gone.stderr
    assert ops.sql("SELECT count(*) FROM cron.job", dbname=CRON_DB) == [(0,)]
    missing = run_pgwf("cron", "status", url=url)
    assert missing.returncode == 1 and "cron install" in missing.stderr
    no_cron = run_pgwf("cron", "install", url=ops.primary.url(DB))
    assert no_cron.returncode == 1 and "pg_cron is not installed" in no_cron.stderr
