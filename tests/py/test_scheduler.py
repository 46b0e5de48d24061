"""The scheduler: one maintenance run at a time however many schedulers tick."""

from __future__ import annotations

import threading

import psycopg
from pgwf import scheduler
from pgwf.db import Database


def test_a_scheduler_skips_while_another_holds_the_maintenance_lock(fresh_db: str) -> None:
    database = Database(fresh_db, "pgwf_worker", pooled=False)
    with psycopg.connect(fresh_db) as other:
        other.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (scheduler.LOCK_KEY,))
        outcome = scheduler.tick(database)
        assert outcome == {"status": "skipped",
                           "reason": "another scheduler is running maintenance"}
    assert scheduler.tick(database).get("reason") != "another scheduler is running maintenance"


def test_run_maintenance_is_called_when_it_exists(fresh_db: str) -> None:
    database = Database(fresh_db, "pgwf_worker", pooled=False)
    with psycopg.connect(fresh_db) as conn:
        exists = conn.execute(
            "SELECT to_regprocedure('automation.run_maintenance()') IS NOT NULL").fetchone()[0]
    outcome = scheduler.tick(database)
    if exists:
        assert outcome["status"] == "ran"
    else:
        assert outcome == {"status": "skipped",
                           "reason": "automation.run_maintenance() does not exist"}


def test_the_loop_stops_when_told(fresh_db: str) -> None:
    database = Database(fresh_db, "pgwf_worker", pooled=False)
    stop = threading.Event()
    thread = threading.Thread(target=scheduler.run, args=(database, 3600, stop))
    thread.start()
    stop.set()
    thread.join(10)
    assert not thread.is_alive()
