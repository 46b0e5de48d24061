"""The scheduler: calls ``automation.run_maintenance()`` every interval.

Time-driven work (cron triggers, SLA escalation, approval expiry, lease
recovery, retention) is that one database function.  Several schedulers may
run at once: each tick takes a transaction-scoped advisory lock first and a
scheduler that does not get it skips the tick, so maintenance never runs
twice at the same time.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from pgwf.db import Database

log = logging.getLogger("pgwf.scheduler")

LOCK_KEY = "pgwf.run_maintenance"


def tick(database: Database) -> dict[str, Any]:
    """One maintenance run, or a skip when another scheduler is at it."""
    with database.transaction() as conn:
        locked = conn.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s)) AS ok",
                              (LOCK_KEY,)).fetchone()
        if not locked or not locked["ok"]:
            return {"status": "skipped", "reason": "another scheduler is running maintenance"}
        exists = conn.execute(
            "SELECT to_regprocedure('automation.run_maintenance()') IS NOT NULL AS ok").fetchone()
        if not exists or not exists["ok"]:
            return {"status": "skipped", "reason": "automation.run_maintenance() does not exist"}
        row = conn.execute("SELECT automation.run_maintenance() AS result").fetchone()
        return {"status": "ran", "result": row["result"] if row else None}


def run(database: Database, interval: float, stop: threading.Event, once: bool = False) -> None:
    """Tick every ``interval`` seconds until ``stop`` is set."""
    while not stop.is_set():
        try:
            outcome = tick(database)
            if outcome["status"] == "ran":
                log.info("maintenance: %s", outcome["result"])
            else:
                log.info("maintenance skipped: %s", outcome["reason"])
        except Exception as exc:  # noqa: BLE001 - a failed tick must not stop the scheduler
            log.error("maintenance failed: %s", str(exc).splitlines()[0] if str(exc) else exc)
        if once:
            return
        stop.wait(interval)
