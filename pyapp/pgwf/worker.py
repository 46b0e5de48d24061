"""The worker: performs the steps a database cannot (HTTP calls, e-mail).

It leases external steps with ``automation.claim_steps`` (``FOR UPDATE SKIP
LOCKED``, so many workers share the work), runs each step's connector, and
reports with ``automation.complete_step`` or ``automation.fail_step``; the
engine decides about retries and moves the run on.  A worker that dies loses
nothing: its lease runs out and another worker takes the step.

It leases only the steps on the worker topics it has a connector for (the
node's ``connector``); steps on other topics wait for the worker that
subscribes to them, and at startup the worker logs each topic deployed
processes need that it does not perform, so no run waits silently.

Right before it starts a step of its batch the worker renews the step's lease
(``automation.extend_step_lease``), and that of every later step of the batch
with less than half its lease left (so a batch of quick steps never outlives
its leases and no step wanders to another worker), and skips the step when
its own renewal is refused
(the lease ran out while earlier steps of the batch ran, and the step may be
with another worker now).  While a connector runs, a heartbeat thread renews
the lease every third of ``PGWF_LEASE_SECONDS``, so a step that runs longer
than one lease (a Tenable scan polls for up to an hour) is never handed to a
second worker while this one is alive.

A report (``complete_step``, ``fail_step``) that hits a lost connection (a
PostgreSQL restart, a killed backend, a network cut) is sent again on a fresh
connection, with growing pauses, for as long as the step's lease lasts (at
least ``REPORT_RETRY_SECONDS``); the database's lease check decides: a report
that had in fact been committed before the answer was lost is refused the
second time (PW409), a lease that ran out meanwhile too (PW410), and either
way the result is not applied twice.  Only when the database stays out of
reach longer than that is the result given up, and the step run again once
its lease runs out (docs/operations.md, "Recovery guarantees").

On SIGTERM the worker stops leasing, finishes the step it is running and
reports it, then exits.  Steps of its last batch that it had not started
keep their lease until it runs out (``PGWF_LEASE_SECONDS``), and are then
taken by another worker: nothing is lost, at worst delayed.  Set
``PGWF_WORKER_BATCH=1`` where that delay matters more than throughput.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from pgwf import config, connectors
from pgwf.connectors import Connection, ConnectorError
from pgwf.db import Database, Row
from pgwf.errors import PgwfError

log = logging.getLogger("pgwf.worker")

CHANNEL = "pgwf_steps"
BUSY = ("55P03", "57014")  # lock_timeout, statement_timeout: the rows are held by someone else
# the server went away under the statement: admin_shutdown (pg_terminate_backend, a fast
# restart), crash_shutdown, cannot_connect_now (starting up or shutting down)
SERVER_GONE = ("57P01", "57P02", "57P03")
REPORT_RETRY_SECONDS = 30.0  # a report is retried at least this long, longer with a longer lease


def connection_lost(exc: BaseException) -> bool:
    """Whether ``exc`` says the connection broke (the statement's fate is unknown), rather than
    the database refusing it."""
    if isinstance(exc, PgwfError):  # the pool found no connection: the server is out of reach
        return True
    if not isinstance(exc, psycopg.Error):
        return False
    state = exc.sqlstate
    return state is None or state.startswith("08") or state in SERVER_GONE


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else repr(exc)


def report(database: Database, what: str, query: str, params: tuple[Any, ...],
           seconds: float) -> Row | None:
    """Run one report in a transaction of its own; when the connection is lost under it, run it
    again on a fresh connection (the pool replaces the broken one) with growing pauses, for up to
    ``seconds``.  Refusals from the database, and a loss past that time, are raised."""
    deadline = time.monotonic() + max(seconds, REPORT_RETRY_SECONDS)
    pause = 0.1
    while True:
        try:
            with database.transaction() as conn:
                return conn.execute(query, params).fetchone()  # type: ignore[arg-type]
        except (psycopg.Error, PgwfError) as exc:
            if not connection_lost(exc) or time.monotonic() + pause > deadline:
                raise
            log.warning("%s: the connection was lost (%s); reporting again on a fresh one",
                        what, first_line(exc))
        time.sleep(pause)
        pause = min(pause * 2, 5.0)


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 100000}"


@dataclass
class Outcome:
    execution_id: str
    # completed, retry, failed, caught (a BPMN error the model handles), lost, deferred,
    # unreported (the database stayed out of reach longer than the lease)
    status: str
    detail: str = ""


class Worker:
    def __init__(self, database: Database, worker_id: str | None = None,
                 step_types: tuple[str, ...] = ("action", "integration"),
                 lease_seconds: int | None = None, batch: int | None = None,
                 connection_for: Callable[[str], Connection] = connectors.connection_from_env,
                 topics: tuple[str, ...] | None = None,
                 ) -> None:
        self.database = database
        self.worker_id = worker_id or default_worker_id()
        self.step_types = list(step_types)
        self.lease_seconds = lease_seconds or config.get_int("PGWF_LEASE_SECONDS")
        self.batch = batch or config.get_int("PGWF_WORKER_BATCH")
        self.connection_for = connection_for
        # the worker topics it leases: those it has a connector for; other topics' steps wait
        # for the worker that subscribes to them (automation.claim_steps' p_topics)
        self.topics = list(topics) if topics else sorted(connectors.REGISTRY)
        self.stopping = threading.Event()
        self._listener: psycopg.Connection[Any] | None = None
        self._warned_pooler = False

    # ----------------------------------------------------------------- leasing

    def claim(self) -> list[Row]:
        with self.database.transaction() as conn:
            return conn.execute(
                "SELECT * FROM automation.claim_steps(%s, %s::text[], %s, %s, %s::text[])",
                (self.worker_id, self.step_types, self.lease_seconds, self.batch, self.topics)).fetchall()

    def unserved_topics(self) -> list[Row]:
        """The topics deployed processes need (or pending steps wait on) that this worker does not
        perform: their steps wait for a worker that subscribes to them."""
        with self.database.transaction() as conn:
            rows = conn.execute("SELECT topic, workflow_keys, waiting_steps FROM automation.worker_topics()").fetchall()
        return [r for r in rows if r["topic"] not in self.topics]

    def run_once(self) -> list[Outcome]:
        """Lease one batch and work through it; returns what became of each step."""
        outcomes: list[Outcome] = []
        claimed_at = time.monotonic()  # before the call, so the estimate is never late
        steps = self.claim()
        # when each lease of the batch runs out, by this process's clock
        expiry = {str(s["execution_id"]): claimed_at + self.lease_seconds for s in steps}
        for number, step in enumerate(steps):
            if self.stopping.is_set():
                break  # the rest keep their lease until it runs out (see the module text)
            self._keep_batch(steps[number + 1:], expiry)
            outcomes.append(self.perform(step))
        return outcomes

    def _keep_batch(self, waiting: list[Row], expiry: dict[str, float]) -> None:
        """Renew the lease of each step of the batch not started yet that has less than half
        its lease left, so that quick steps never let the rest of a batch run out and wander to
        another worker.  A slow step holds the rest at most one lease: while it runs only its
        own lease is renewed, and the others go to whoever claims them once theirs run out."""
        for step in waiting:
            execution_id = str(step["execution_id"])
            if expiry[execution_id] - time.monotonic() > self.lease_seconds / 2:
                continue
            renewed_at = time.monotonic()
            try:
                self.extend_lease(execution_id)
            except (psycopg.Error, PgwfError) as exc:  # lost or busy: perform() decides when it gets there
                log.info("step %s: lease not renewed ahead: %s", execution_id, first_line(exc))
                continue
            expiry[execution_id] = renewed_at + self.lease_seconds

    # ----------------------------------------------------------------- one step

    def extend_lease(self, execution_id: str) -> None:
        """Renew this worker's lease on a step (PW410 once it is lost)."""
        with self.database.transaction() as conn:
            conn.execute("SELECT automation.extend_step_lease(%s, %s, %s)",
                         (execution_id, self.worker_id, self.lease_seconds))

    def _heartbeat(self, execution_id: str, done: threading.Event) -> None:
        """Renew the lease every lease/3 seconds until ``done`` (the connector returned)."""
        interval = max(self.lease_seconds / 3, 0.1)
        while not done.wait(interval):
            try:
                self.extend_lease(execution_id)
            except psycopg.Error as exc:
                if exc.diag.sqlstate in ("PW410", "PW409", "PW404"):
                    log.warning("step %s: lease lost while running: %s", execution_id,
                                exc.diag.message_primary)
                    return  # the report will be refused too; nothing more to renew
                log.warning("step %s: could not renew the lease: %s", execution_id,
                            str(exc).splitlines()[0] if str(exc) else exc)
            except Exception as exc:  # noqa: BLE001 - e.g. the database is unreachable: try again
                log.warning("step %s: could not renew the lease: %s", execution_id, exc)

    def perform(self, step: Row) -> Outcome:
        execution_id = str(step["execution_id"])
        data: dict[str, Any] = step["input_data"] or {}
        try:
            self.extend_lease(execution_id)  # still ours? (earlier steps of the batch took time)
        except (psycopg.Error, PgwfError) as exc:
            if connection_lost(exc):  # not started: it keeps its lease until that runs out
                log.warning("step %s: left for later, no database: %s", execution_id, first_line(exc))
                return Outcome(execution_id, "deferred", first_line(exc))
            assert isinstance(exc, psycopg.Error)
            if exc.diag.sqlstate in BUSY:  # its run is locked by someone: not now
                log.warning("step %s: left for later, its run is busy: %s", execution_id,
                            exc.diag.message_primary)
                return Outcome(execution_id, "deferred", exc.diag.message_primary or "")
            return self._lost_or_raise(execution_id, exc)
        done = threading.Event()
        heartbeat = threading.Thread(target=self._heartbeat, args=(execution_id, done),
                                     name=f"pgwf-lease-{execution_id}", daemon=True)
        heartbeat.start()
        failure: tuple[str, bool, str | None] | None = None
        try:
            connector = connectors.get(str(data.get("connector") or ""))
            connection = self.connection_for(str(data.get("connection") or connector.name))
            output = connector.run(data.get("input") or {}, connection,
                                   timeout=float(data.get("timeoutSeconds") or 30))
        except ConnectorError as exc:
            failure = (str(exc), exc.retryable, exc.error_code)
        except Exception as exc:
            log.exception("connector crashed on step %s", execution_id)
            failure = (f"connector error: {exc!r}", True, None)
        finally:
            done.set()  # stop renewing before reporting
            heartbeat.join()
        if failure is not None:
            return self._report_failure(execution_id, *failure)
        try:
            report(self.database, f"step {execution_id}", "SELECT automation.complete_step(%s, %s, %s)",
                   (execution_id, Jsonb(output), self.worker_id), self.lease_seconds)
        except (psycopg.Error, PgwfError) as exc:
            return self._lost_or_raise(execution_id, exc)
        log.info("step %s completed", execution_id)
        return Outcome(execution_id, "completed")

    def _report_failure(self, execution_id: str, error: str, retryable: bool,
                        error_code: str | None = None) -> Outcome:
        try:
            row = report(self.database, f"step {execution_id}",
                         "SELECT automation.fail_step(%s, %s, %s, %s, %s) AS status",
                         (execution_id, error[:2000], retryable, self.worker_id, error_code),
                         self.lease_seconds)
        except (psycopg.Error, PgwfError) as exc:
            return self._lost_or_raise(execution_id, exc)
        status = str(row["status"]) if row else "failed"
        log.warning("step %s failed (%s): %s", execution_id, status, error)
        if status == "caught":
            return Outcome(execution_id, "caught", error)
        return Outcome(execution_id, "retry" if status in ("pending", "retrying") else "failed",
                       error)

    def _lost_or_raise(self, execution_id: str, exc: psycopg.Error | PgwfError) -> Outcome:
        if connection_lost(exc):
            # out of reach for longer than the lease: the step runs again once its lease is out
            log.error("step %s: result not reported, the database stayed out of reach: %s",
                      execution_id, first_line(exc))
            return Outcome(execution_id, "unreported", first_line(exc))
        if isinstance(exc, psycopg.Error) and exc.diag.sqlstate in ("PW410", "PW409", "PW404"):
            # the lease ran out and the step went to someone else (or the run stopped), or a
            # report whose answer was lost had been committed: it is not applied twice
            log.warning("step %s: %s", execution_id, exc.diag.message_primary)
            return Outcome(execution_id, "lost", exc.diag.message_primary or "")
        raise exc

    # ----------------------------------------------------------------- the loop

    def run(self, stop: threading.Event, poll: float | None = None) -> None:
        """Work until ``stop`` is set, waking on NOTIFY pgwf_steps or every ``poll`` s.

        The LISTEN connection is opened again whenever it broke (a PostgreSQL
        restart): until then the worker polls every ``poll`` s."""
        poll = poll if poll is not None else config.get_int("PGWF_WORKER_POLL")
        self._listener = self._listen()
        threading.Thread(target=self._watch, args=(stop,), daemon=True).start()
        try:
            for row in self.unserved_topics():
                log.warning("worker topic %r has no connector here: %s step(s) wait for a worker that"
                            " subscribes to it (needed by %s)", row["topic"], row["waiting_steps"],
                            ", ".join(row["workflow_keys"]) or "pending steps only")
        except psycopg.Error as exc:
            log.warning("could not list the worker topics: %s", str(exc).splitlines()[0] if str(exc) else exc)
        try:
            while not stop.is_set():
                try:
                    outcomes = self.run_once()
                except Exception as exc:  # noqa: BLE001 - a database hiccup must not kill the loop
                    log.error("worker: %s", str(exc).splitlines()[0] if str(exc) else exc)
                    outcomes = []
                if outcomes and len(outcomes) >= self.batch:
                    continue  # more may be waiting
                self._wait(stop, poll)
        finally:
            if self._listener is not None:
                self._listener.close()

    def _watch(self, stop: threading.Event) -> None:
        stop.wait()
        self.stopping.set()

    def _listen(self) -> psycopg.Connection[Any] | None:
        url = config.get("PGWF_LISTEN_DATABASE_URL")
        if not url and self.database.pooler:
            # LISTEN through a transaction pooler would hear nothing: the server connection
            # it ran on goes to other clients right after it
            if not self._warned_pooler:
                log.warning("PGWF_TRANSACTION_POOLER is set and PGWF_LISTEN_DATABASE_URL is not:"
                            " no LISTEN, polling every PGWF_WORKER_POLL s")
                self._warned_pooler = True
            return None
        try:
            conn = psycopg.connect(url or self.database.url, autocommit=True, connect_timeout=10)
            conn.execute(f"LISTEN {CHANNEL}")
            return conn
        except psycopg.Error as exc:
            log.warning("no LISTEN connection (%s); polling until it is back",
                        str(exc).splitlines()[0] if str(exc) else exc)
            return None

    def _wait(self, stop: threading.Event, poll: float) -> None:
        if self._listener is None or self._listener.closed or self._listener.broken:
            if self._listener is not None:
                self._listener.close()
            self._listener = self._listen()
            if self._listener is None:
                stop.wait(poll)
                return
        try:
            for _ in self._listener.notifies(timeout=poll, stop_after=1):
                pass
        except psycopg.Error as exc:
            log.warning("the LISTEN connection broke (%s); opening it again",
                        str(exc).splitlines()[0] if str(exc) else exc)
            self._listener.close()
            self._listener = None
            stop.wait(min(poll, 1.0))


def run(database: Database, stop: threading.Event) -> None:
    """The worker loop as ``pgwf up`` runs it."""
    Worker(database).run(stop)
