"""Demo data for ``pgwf demo load``: the SQL files here, run in name order
in one transaction as the DBA login.  Loading twice changes nothing."""

from __future__ import annotations

from importlib import resources
from typing import Any

from pgwf.db import Database


def sql_files() -> list[Any]:
    return sorted((f for f in resources.files(__name__).iterdir() if f.name.endswith(".sql")),
                  key=lambda f: f.name)


def load(database: Database) -> dict[str, int]:
    """Load every demo file; returns how many of each thing the database now has."""
    with database.transaction() as conn:
        for f in sql_files():
            conn.execute(f.read_text())
        counts = conn.execute(
            """
            SELECT (SELECT count(*) FROM entitlements.users) AS users,
                   (SELECT count(*) FROM entitlements.workflow_roles) AS roles,
                   (SELECT count(*) FROM flowable.workflow_queues) AS queues,
                   (SELECT count(*) FROM flowable.workflow_tasks
                     WHERE status IN ('OPEN', 'CLAIMED', 'ESCALATED')) AS open_tasks,
                   (SELECT count(*) FROM automation.workflows) AS workflows""").fetchone()
    return dict(counts or {})
