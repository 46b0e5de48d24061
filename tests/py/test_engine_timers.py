"""Due timers fire exactly once even when two callers fire them at the same moment: two real
connections in two threads call automation.fire_due_timers on the same due timers; every run
moves on once, and the counts of the two calls add up to the number of timers."""

from __future__ import annotations

import json
import threading

import psycopg
from test_engine_properties import engine_db  # noqa: F401  (the fixture)

RUNS = 30


def test_two_concurrent_callers_fire_each_due_timer_once(engine_db: str) -> None:  # noqa: F811
    graph = {
        "nodes": [
            {"id": "start", "type": "trigger", "position": {"x": 0, "y": 0}, "data": {}},
            {"id": "wait", "type": "event", "position": {"x": 100, "y": 0},
             "data": {"event": "timer", "timer": {"duration": "PT5M"}}},
            {"id": "note", "type": "notification", "position": {"x": 200, "y": 0}, "data": {}},
            {"id": "done", "type": "end", "position": {"x": 300, "y": 0}, "data": {}},
        ],
        "edges": [{"id": "f1", "source": "start", "target": "wait"},
                  {"id": "f2", "source": "wait", "target": "note"},
                  {"id": "f3", "source": "note", "target": "done"}],
    }
    with psycopg.connect(engine_db, autocommit=True) as conn:
        with conn.transaction():
            conn.execute("SELECT set_config('app.current_user_id', 'modeler', true)")
            (wid,) = conn.execute("SELECT automation.save_workflow(%s::jsonb, 'timers')", (json.dumps(graph),)).fetchone()
            conn.execute("SELECT automation.deploy_workflow(%s)", (wid,))
        with conn.transaction():
            conn.execute("SELECT set_config('app.current_user_id', 'pat', true)")
            runs = [conn.execute("SELECT automation.start_workflow(%s)", (wid,)).fetchone()[0] for _ in range(RUNS)]
        conn.execute("UPDATE automation.workflow_event_subscriptions SET due_at = now() - interval '1 second' "
                     "WHERE instance_id = ANY(%s)", (runs,))

    barrier = threading.Barrier(2)
    fired: list[int] = []
    errors: list[BaseException] = []

    def fire() -> None:
        try:
            with psycopg.connect(engine_db) as c:
                barrier.wait(timeout=30)
                fired.append(c.execute("SELECT automation.fire_due_timers()").fetchone()[0])
                c.commit()
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=fire) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    with psycopg.connect(engine_db) as conn:
        # a timer one caller skipped because the other held its run is fired by the next call
        fired.append(conn.execute("SELECT automation.fire_due_timers()").fetchone()[0])
        conn.commit()
        assert sum(fired) == RUNS
        rows = conn.execute(
            "SELECT node_id, count(*) FROM automation.workflow_executions WHERE instance_id = ANY(%s) "
            "AND node_id IN ('wait', 'note') GROUP BY 1 ORDER BY 1", (runs,)).fetchall()
        assert rows == [("note", RUNS), ("wait", RUNS)], "each run passed its timer exactly once"
        assert conn.execute("SELECT count(*) FROM automation.workflow_instances WHERE id = ANY(%s) AND status = 'completed'",
                            (runs,)).fetchone()[0] == RUNS
        assert conn.execute("SELECT count(*) FROM automation.workflow_event_subscriptions WHERE instance_id = ANY(%s)",
                            (runs,)).fetchone()[0] == 0
