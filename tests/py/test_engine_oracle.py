"""Differential property test of the token engine against a token-game simulator written here
(the oracle): random graphs of tasks, worker steps, approvals, conditions and exclusive,
parallel and inclusive gateways (with forks, joins, merges and loops) are run by the engine and
by the oracle with the same choices. After every served step the live tokens must agree (none
lost, none duplicated), and at the end the multiset of visited nodes and the run's state must
be equal.

The oracle follows the rules of docs/graph-model.md ("How a run moves"), which are BPMN 2.0's
token game: a node that is not a join runs once per arriving token; a parallel join fires when
each incoming flow has a token (and keeps later ones); an inclusive join fires when no other
token can still reach it; the oldest arrived token moves first; a fork's first flow keeps the
token, each further flow makes a new one."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg.rows import dict_row
from test_engine_properties import engine_db, graphs  # noqa: F401  (fixture and strategy)

MAX_STEPS = 60


def holds(cond: dict[str, Any], x: int) -> bool:
    op, value = cond["operator"], cond["value"]
    return {"less_than": x < value, "greater_than": x > value, "equals": x == value}[op]


class Oracle:
    """The token game on one graph, for a run whose only variable is x (nothing changes it)."""

    def __init__(self, graph: dict[str, Any], x: int) -> None:
        self.nodes = {n["id"]: n for n in graph["nodes"]}
        self.edges = graph["edges"]
        self.order = {e["id"]: i for i, e in enumerate(self.edges)}
        self.incoming = Counter(e["target"] for e in self.edges)
        self.x = x
        self.tokens: dict[int, dict[str, Any]] = {}
        self.next_id = 1
        self.visits: list[str] = []
        self.count = 0
        self.status = "running"
        self.error = ""
        start = next(n["id"] for n in graph["nodes"] if n["type"] == "trigger")
        self.add(start, None)
        self.advance()

    # -- tokens
    def add(self, node: str, edge: str | None) -> int:
        tid = self.next_id
        self.next_id += 1
        self.tokens[tid] = {"node": node, "edge": edge, "state": "arrived"}
        return tid

    def kind(self, node: str) -> str:
        n = self.nodes[node]
        return n["type"] + (":" + n["data"]["kind"] if n["type"] == "gateway" else "")

    def is_join(self, node: str) -> bool:
        return self.kind(node) in ("gateway:parallel", "gateway:inclusive") and self.incoming[node] > 1

    # -- routing (engine_next_edges)
    def route(self, node: str, outcome: str | None) -> tuple[list[dict[str, Any]], str | None]:
        kind = self.kind(node)
        gkind = kind.split(":")[1] if kind.startswith("gateway:") else None
        cands = [e for e in self.edges if e["source"] == node
                 and (outcome is None or e.get("sourceHandle") == outcome)]
        if gkind == "exclusive":
            cands.sort(key=lambda e: (self.order[e["id"]], e["id"]))
        else:
            cands.sort(key=lambda e: e["id"])
        if gkind == "parallel":
            return cands, None
        taken: list[dict[str, Any]] = []
        default = None
        conditional = unconditional = 0
        for e in cands:
            data = e.get("data") or {}
            if data.get("default"):
                default = default or e
                continue
            if "conditions" not in data:
                unconditional += 1
                ok = True
            else:
                conditional += 1
                ok = all(holds(c, self.x) for c in data["conditions"])
            if ok and not (gkind == "exclusive" and taken):
                taken.append(e)
        if not cands and outcome is None:
            return [], None
        if not taken and default is not None:
            return [default], None
        if not taken and (conditional > 0 or gkind is not None):
            return [], "no match"
        if not taken and outcome is not None and unconditional == 0:
            return [], "no outcome edge"
        return taken, None

    def leave(self, tid: int, outcome: str | None) -> bool:
        node = self.tokens[tid]["node"]
        taken, problem = self.route(node, outcome)
        if problem:
            self.stop("failed", problem)
            return False
        if not taken:
            del self.tokens[tid]
            return True
        first, *rest = taken
        self.tokens[tid].update(node=first["target"], edge=first["id"], state="arrived")
        for e in rest:
            self.add(e["target"], e["id"])
        return True

    def stop(self, status: str, error: str = "") -> None:
        self.status, self.error = status, error
        self.tokens.clear()

    # -- joins
    def can_reach(self, source: str, target: str) -> bool:
        seen, todo = set(), [source]
        while todo:
            n = todo.pop()
            for e in self.edges:
                if e["source"] == n and e["target"] not in seen:
                    if e["target"] == target:
                        return True
                    seen.add(e["target"])
                    todo.append(e["target"])
        return False

    def ready(self, join: str) -> bool:
        return not any(
            not (t["node"] == join and t["state"] == "joining")
            and (t["node"] == join or self.can_reach(t["node"], join))
            for t in self.tokens.values())

    def fire(self, join: str) -> bool:
        first_of_edge: dict[str, int] = {}
        for tid in sorted(self.tokens):
            t = self.tokens[tid]
            if t["node"] == join and t["state"] == "joining" and t["edge"] not in first_of_edge:
                first_of_edge[t["edge"]] = tid
        consumed = sorted(first_of_edge.values())
        for tid in consumed[1:]:
            del self.tokens[tid]
        self.visits.append(join)
        return self.leave(consumed[0], None)

    # -- the executor (engine_advance)
    def advance(self) -> None:
        while self.status == "running":
            arrived = [tid for tid in sorted(self.tokens) if self.tokens[tid]["state"] == "arrived"]
            if not arrived:
                all_joining = all(t["state"] == "joining" for t in self.tokens.values())
                ready = [tid for tid in sorted(self.tokens)
                         if self.tokens[tid]["state"] == "joining"
                         and self.kind(self.tokens[tid]["node"]) == "gateway:inclusive"
                         and (self.ready(self.tokens[tid]["node"]) or all_joining)]
                if not ready:
                    break
                self.count += 1
                if not self.fire(self.tokens[ready[0]]["node"]):
                    return
                continue
            tid = arrived[0]
            node = self.tokens[tid]["node"]
            self.count += 1
            if self.count > MAX_STEPS:
                self.stop("failed", "maxSteps")
                return
            kind = self.kind(node)
            if self.is_join(node):
                self.tokens[tid]["state"] = "joining"
                if kind == "gateway:parallel":
                    edges = {t["edge"] for t in self.tokens.values() if t["node"] == node and t["state"] == "joining"}
                    if len(edges) < self.incoming[node]:
                        continue
                elif not self.ready(node):
                    continue
                if not self.fire(node):
                    return
            elif kind in ("action", "integration", "approval", "task"):
                self.visits.append(node)
                self.tokens[tid]["state"] = "waiting"
            else:
                self.visits.append(node)
                n = self.nodes[node]
                if n["type"] == "end":
                    if n["data"].get("terminate"):
                        self.stop("completed")
                        return
                    del self.tokens[tid]
                    continue
                outcome = None
                if n["type"] == "condition":
                    outcome = "true" if holds(n["data"]["condition"], self.x) else "false"
                if not self.leave(tid, outcome):
                    return
        if self.status == "running":
            if not self.tokens:
                self.status = "completed"
            elif all(t["state"] == "joining" for t in self.tokens.values()):
                self.stop("failed", "stuck")

    def serve(self, tid: int, outcome: str | None) -> None:
        if self.leave(tid, outcome):
            self.advance()

    def live(self) -> list[tuple[int, str, str]]:
        return sorted((tid, t["node"], t["state"]) for tid, t in self.tokens.items())


def decision(node: str) -> str:
    return "approved" if int(node[1:]) % 2 == 0 else "rejected"


def engine_tokens(conn: psycopg.Connection, run: Any) -> list[tuple[str, str]]:
    rows = conn.execute("SELECT node_id, state FROM automation.workflow_tokens WHERE instance_id = %s ORDER BY id",
                        (run,)).fetchall()
    return [(r["node_id"], r["state"]) for r in rows]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(graph=graphs(), x=st.integers(0, 9))
def test_engine_plays_the_token_game_like_the_oracle(engine_db: str, graph: dict[str, Any], x: int) -> None:  # noqa: F811
    for n in graph["nodes"]:  # nothing but the start input decides: approvals and tasks carry no expiry
        n["data"].pop("expiresInMinutes", None)
    oracle = Oracle(graph, x)
    with psycopg.connect(engine_db, row_factory=dict_row) as conn:
        conn.execute("SET statement_timeout = '20s'")
        conn.execute("SELECT set_config('app.current_user_id', 'modeler', true)")
        wid = conn.execute("SELECT automation.save_workflow(%s::jsonb, 'oracle', NULL, NULL, NULL, %s::jsonb) AS id",
                           (json.dumps(graph), json.dumps({"maxSteps": MAX_STEPS}))).fetchone()["id"]
        conn.execute("SELECT automation.deploy_workflow(%s)", (wid,))
        conn.execute("SELECT set_config('app.current_user_id', 'pat', true)")
        run = conn.execute("SELECT automation.start_workflow(%s, %s::jsonb) AS id",
                           (wid, json.dumps({"x": x}))).fetchone()["id"]
        for _ in range(MAX_STEPS + 5):
            assert engine_tokens(conn, run) == [(n, s) for _, n, s in oracle.live()], "live tokens differ"
            status = conn.execute("SELECT status FROM automation.workflow_instances WHERE id = %s", (run,)).fetchone()["status"]
            assert status == oracle.status, (status, oracle.status, oracle.error)
            if status != "running":
                break
            # serve the step of the oldest waiting token, in the engine and in the oracle
            waiting = [tid for tid, _, s in oracle.live() if s == "waiting"]
            assert waiting, "a running run waits for a step"
            tok = conn.execute(
                """SELECT t.execution_id, we.step_type, we.node_id FROM automation.workflow_tokens t
                   JOIN automation.workflow_executions we ON we.id = t.execution_id
                   WHERE t.instance_id = %s AND t.state = 'waiting' ORDER BY t.id LIMIT 1""", (run,)).fetchone()
            outcome = None
            if tok["step_type"] in ("action", "integration"):
                conn.execute("SELECT count(*) FROM automation.claim_steps('oracle', ARRAY['action','integration'], 300, 100)")
                conn.execute("SELECT automation.complete_step(%s, '{}', 'oracle')", (tok["execution_id"],))
            elif tok["step_type"] == "approval":
                outcome = decision(tok["node_id"])
                approval = conn.execute("SELECT id FROM automation.workflow_approvals WHERE execution_id = %s",
                                        (tok["execution_id"],)).fetchone()["id"]
                verb = "approve" if outcome == "approved" else "reject"
                conn.execute(f"SELECT automation.{verb}_step(%s)", (approval,))
            else:
                task = conn.execute("SELECT task_id FROM flowable.workflow_tasks WHERE task_data ->> 'execution_id' = %s",
                                    (str(tok["execution_id"]),)).fetchone()["task_id"]
                conn.execute("SELECT flowable.claim_task(%s)", (task,))
                conn.execute("SELECT flowable.complete_task(%s, 'done', NULL, '{}'::jsonb)", (task,))
            oracle.serve(waiting[0], outcome)
        else:
            pytest.fail("the run did not stop within the step limit")
        visited = Counter(r["node_id"] for r in conn.execute(
            "SELECT node_id FROM automation.workflow_executions WHERE instance_id = %s", (run,)).fetchall())
        assert visited == Counter(oracle.visits)
        assert engine_tokens(conn, run) == []
        conn.rollback()
