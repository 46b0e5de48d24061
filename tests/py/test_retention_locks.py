"""History retention beside live work, on real connections: a purge skips a finished run another
transaction holds (it goes in a later batch), and while a purge's transaction is open people claim
and complete tasks of live runs without waiting for it. Every connection that must not wait has
lock_timeout set, so waiting would be an error, not a slow test."""

from __future__ import annotations

import json
from itertools import pairwise
from typing import Any

import psycopg
from psycopg.rows import dict_row


def deploy(conn: psycopg.Connection[Any], graph: dict[str, Any], ttl_days: int | None) -> Any:
    with conn.transaction():
        conn.execute("SELECT set_config('app.current_user_id', 'modeler', true)")
        row = conn.execute("SELECT automation.save_workflow(%s::jsonb, 'retention') AS id", (json.dumps(graph),)).fetchone()
        assert row is not None
        conn.execute("SELECT automation.deploy_workflow(%s)", (row["id"],))
        conn.execute("UPDATE automation.workflows SET history_ttl_days = %s WHERE id = %s", (ttl_days, row["id"]))
    return row["id"]


def start(conn: psycopg.Connection[Any], workflow_id: Any) -> Any:
    with conn.transaction():
        conn.execute("SELECT set_config('app.current_user_id', 'alice', true)")
        row = conn.execute("SELECT automation.start_workflow(%s) AS id", (workflow_id,)).fetchone()
        assert row is not None
    return row["id"]


def graph(*middle: dict[str, Any]) -> dict[str, Any]:
    nodes = [{"id": "s", "type": "trigger", "position": {"x": 0, "y": 0}, "data": {}}, *middle,
             {"id": "e", "type": "end", "position": {"x": 0, "y": 0}, "data": {}}]
    return {"nodes": nodes, "edges": [{"id": f"f{n}", "source": a["id"], "target": b["id"]}
                                      for n, (a, b) in enumerate(pairwise(nodes))]}


def test_a_purge_skips_a_held_run_and_live_work_never_waits_for_it(fresh_db: str) -> None:
    with psycopg.connect(fresh_db, autocommit=True, row_factory=dict_row) as conn:
        conn.execute("SELECT tests.workflow_admin('modeler'), tests.cr_queue('rq'), tests.cr_role('RQ_ROLE', 'rq'),"
                     " tests.cr_user('alice'), tests.cr_user('pat')")
        conn.execute("SELECT tests.cr_grant('pat', 'RQ_ROLE')")
        quick = deploy(conn, graph(), 1)
        review = deploy(conn, graph({"id": "r", "type": "task", "position": {"x": 0, "y": 0},
                                     "data": {"queueName": "rq", "candidateGroups": ["RQ_ROLE"]}}), 1)
        held, free = start(conn, quick), start(conn, quick)
        live = start(conn, review)
        conn.execute("UPDATE automation.workflow_instances SET completed_at = now() - interval '2 days'"
                     " WHERE id = ANY(%s)", ([held, free],))
        task = conn.execute("SELECT task_id FROM flowable.workflow_tasks WHERE process_instance_id = %s",
                            (str(live),)).fetchone()
        assert task is not None

    with psycopg.connect(fresh_db, row_factory=dict_row) as holder, \
         psycopg.connect(fresh_db, row_factory=dict_row) as purger, \
         psycopg.connect(fresh_db, row_factory=dict_row) as person:
        # an operator's transaction holds one finished run (as retry_workflow would)
        holder.execute("SELECT id FROM automation.workflow_instances WHERE id = %s FOR UPDATE", (held,))
        purger.execute("SET lock_timeout = '5s'")
        report = purger.execute("SELECT automation.purge_history(500) AS r").fetchone()
        assert report is not None and report["r"]["runs"] == 1, report
        # the purge's transaction is still open: a person works on a live run meanwhile
        person.execute("SET lock_timeout = '5s'")
        person.execute("SELECT set_config('app.current_user_id', 'pat', true)")
        person.execute("SELECT flowable.claim_task(%s)", (task["task_id"],))
        person.execute("SELECT flowable.complete_task(%s, 'done')", (task["task_id"],))
        person.commit()
        purger.commit()
        holder.rollback()
        remaining = purger.execute("SELECT id FROM automation.workflow_instances WHERE id = ANY(%s)",
                                   ([held, free, live],)).fetchall()
        assert {r["id"] for r in remaining} == {held, live}, "the held run was skipped, the free one removed"
        status = purger.execute("SELECT status FROM automation.workflow_instances WHERE id = %s", (live,)).fetchone()
        assert status == {"status": "completed"}
        # once released, the next batch takes the held run (the live run finished just now: young)
        again = purger.execute("SELECT automation.purge_history(500) AS r").fetchone()
        purger.commit()
        assert again is not None and again["r"]["runs"] == 1
        left = purger.execute("SELECT id FROM automation.workflow_instances WHERE id = ANY(%s)", ([held, live],)).fetchall()
        assert [r["id"] for r in left] == [live]
