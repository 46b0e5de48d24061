"""Demo data for ``pgwf demo load``: the SQL files here, run in name order
in one transaction as the DBA login.  Loading twice changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from typing import Any

from pgwf import config
from pgwf.db import Database

ONECMS_BPMN = "examples/OneCMS_Nextgen_WF.bpmn20.xml"
ONECMS_CASES = (  # business key, case id, priority, variables
    ("CASE-2001", 2001, 70, {"caseType": "standard", "legalExposure": False}),
    ("CASE-2002", 2002, 40, {"caseType": "complaint", "legalExposure": True}),
)


def sql_files() -> list[Any]:
    return sorted((f for f in resources.files(__name__).iterdir() if f.name.endswith(".sql")),
                  key=lambda f: f.name)


def api_url() -> str:
    """Where ``pgwf up`` serves the API, as the worker reaches it (the demo's action calls it)."""
    host = config.get("PGWF_API_HOST")
    host = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{config.get_int('PGWF_API_PORT')}"


def load(database: Database,
         on_step: Callable[[str, int, int], None] | None = None) -> dict[str, int]:
    """Load every demo file; returns how many of each thing the database now has.

    ``on_step(what, number, total)`` is called before each file (progress)."""
    files = sql_files()
    total = len(files) + 1
    step = on_step or (lambda what, number, total: None)
    with database.transaction() as conn:
        conn.execute("SELECT set_config('pgwf.demo_api_url', %s, true)", (api_url(),))
        for number, f in enumerate(files, 1):
            step(f.name, number, total)
            conn.execute(f.read_text())
        step(ONECMS_BPMN.rsplit("/", 1)[-1] + " and its cases", total, total)
        _onecms_cases(conn)
        counts = conn.execute(
            """
            SELECT (SELECT count(*) FROM entitlements.users) AS users,
                   (SELECT count(*) FROM entitlements.workflow_roles) AS roles,
                   (SELECT count(*) FROM flowable.workflow_queues) AS queues,
                   (SELECT count(*) FROM flowable.workflow_tasks
                     WHERE status IN ('OPEN', 'CLAIMED', 'ESCALATED')) AS open_tasks,
                   (SELECT count(*) FROM automation.workflows) AS workflows""").fetchone()
    return dict(counts or {})


def _onecms_cases(conn: Any) -> None:
    """Deploy the OneCMS example process and start two cases through it, once
    (flowable.deploy_process and flowable.start_process, as the intake
    analyst alice): their first user tasks wait in the intake queue."""
    from psycopg.types.json import Jsonb

    path = config.project_root() / ONECMS_BPMN
    if not path.exists():
        return
    conn.execute("SELECT set_config('app.current_user_id', 'alice', true)")
    deployed = conn.execute("SELECT 1 FROM flowable.workflow_definitions"
                            " WHERE process_key = 'OneCMS_Nextgen_WF'").fetchone()
    if not deployed:
        conn.execute("SELECT flowable.deploy_process(%s, 'alice')", (path.read_text(),))
    for business_key, case_id, priority, variables in ONECMS_CASES:
        started = conn.execute("SELECT 1 FROM flowable.process_instances WHERE business_key = %s",
                               (business_key,)).fetchone()
        if not started:
            conn.execute("SELECT flowable.start_process('OneCMS_Nextgen_WF', %s, %s, %s, 'alice',"
                         " %s)", (business_key, Jsonb(variables), case_id, priority))
    conn.execute("SELECT set_config('app.current_user_id', '', true)")
