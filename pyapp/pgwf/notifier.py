"""The notifier: delivers the notification outbox (automation.workflow_notifications).

It leases pending rows with ``automation.claim_notifications`` (SKIP LOCKED),
renders each body from a Jinja template in a sandbox, sends it through the
channel's connector, and reports with ``automation.mark_notification_sent``
or ``automation.mark_notification_failed`` (the database decides retries).
A report that hits a lost connection is sent again on a fresh one while the
lease (``PGWF_LEASE_SECONDS``, as the worker's) lasts, as the worker does.

Templates come from ``$PGWF_TEMPLATES`` (when set) and then from
``pyapp/pgwf/templates/``; a row names one in ``notification_data.template``
(``finding`` or ``finding.txt``), else the template named after its
``notification_type`` is used, else its ``message`` as it is.  A template
error fails that notification, with the error recorded, and never the run.
Data from the run is passed to templates as variables, never rendered as a
template itself.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import jinja2
import psycopg
from jinja2.sandbox import SandboxedEnvironment

from pgwf import config, connectors
from pgwf.connectors import Connection, ConnectorError
from pgwf.db import Database, Row
from pgwf.errors import PgwfError
from pgwf.worker import connection_lost, default_worker_id, first_line, report

log = logging.getLogger("pgwf.notifier")

BUILTIN_TEMPLATES = Path(__file__).with_name("templates")


class TemplateProblem(Exception):
    """A template that is missing, malformed or does something unsafe."""


def environment(extra_dir: str | None = None) -> SandboxedEnvironment:
    dirs = [d for d in (extra_dir or config.get("PGWF_TEMPLATES"), str(BUILTIN_TEMPLATES)) if d]
    return SandboxedEnvironment(loader=jinja2.FileSystemLoader(dirs), autoescape=False,
                                undefined=jinja2.StrictUndefined, keep_trailing_newline=False)


def render(env: SandboxedEnvironment, row: Row) -> tuple[str, str]:
    """(subject, body) of one outbox row."""
    data = row.get("notification_data") or {}
    name = data.get("template") if isinstance(data, dict) else None
    subject = row.get("subject") or f"pgwf: {row.get('notification_type')}"
    candidates = [name, f"{name}.txt"] if name else [f"{row.get('notification_type')}.txt"]
    context = {
        "notification": {k: (str(v) if v is not None else None) for k, v in row.items()
                         if k in ("id", "workflow_id", "instance_id", "execution_id",
                                  "notification_type", "channel")},
        "subject": row.get("subject") or "",
        "message": row.get("message") or "",
        "recipients": row.get("recipients") or [],
        "variables": (data.get("variables") or {}) if isinstance(data, dict) else {},
    }
    for candidate in candidates:
        if not isinstance(candidate, str) or "/" in candidate or candidate.startswith("."):
            continue
        try:
            template = env.get_template(candidate)
        except jinja2.TemplateNotFound:
            continue
        except jinja2.TemplateError as exc:
            raise TemplateProblem(f"template {candidate}: {exc}") from None
        try:
            return subject, template.render(context).strip() + "\n"
        except (jinja2.TemplateError, jinja2.exceptions.SecurityError) as exc:
            raise TemplateProblem(f"template {candidate}: {exc}") from None
    if name:
        raise TemplateProblem(f"template {name} does not exist")
    if row.get("message"):
        return subject, str(row["message"])
    raise TemplateProblem(f"no template for {row.get('notification_type')} and no message")


def _recipients(row: Row) -> list[str]:
    value = row.get("recipients")
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, str | int)]
    return []


def deliver(row: Row, subject: str, body: str,
            connection_for: Any = connectors.connection_from_env) -> dict[str, Any]:
    """Send one rendered notification through its channel's connector."""
    channel = row.get("channel")
    data = row.get("notification_data") or {}
    recipients = _recipients(row)
    conn_name = data.get("connection") if isinstance(data, dict) else None
    if channel == "email":
        if not recipients:
            raise ConnectorError("an email notification needs recipients", retryable=False)
        return connectors.get("email").run(
            {"to": recipients, "subject": subject, "body": body},
            connection_for(conn_name or "email"))
    if channel == "slack":
        step: dict[str, Any] = {"text": f"*{subject}*\n{body}"}
        if recipients and recipients[0].startswith("#"):
            step["channel"] = recipients[0]
        return connectors.get("slack").run(step, connection_for(conn_name or "slack"))
    if channel == "webhook":
        connection: Connection = connection_for(conn_name or "webhook")
        url = (data.get("url") if isinstance(data, dict) else None) or connection.get("url") or ""
        return connectors.get("http").run(
            {"url": url, "method": "POST",
             "body": {"subject": subject, "message": body, "recipients": recipients,
                      "notification_id": str(row.get("id"))}}, connection)
    raise ConnectorError(f"no connector delivers channel {channel!r}", retryable=False)


class Notifier:
    def __init__(self, database: Database, worker_id: str | None = None, batch: int | None = None,
                 lease_seconds: int | None = None, templates: str | None = None,
                 connection_for: Any = connectors.connection_from_env) -> None:
        self.database = database
        self.worker_id = worker_id or "notifier:" + default_worker_id()
        self.batch = batch or config.get_int("PGWF_WORKER_BATCH")
        # the configured lease, as the worker's: a notification whose report was lost is
        # delivered again once it runs out
        self.lease_seconds = lease_seconds or config.get_int("PGWF_LEASE_SECONDS")
        self.env = environment(templates)
        self.connection_for = connection_for

    def run_once(self) -> list[tuple[str, str, str]]:
        """Lease and deliver one batch: (notification id, sent|retrying|failed|lost, detail)."""
        with self.database.transaction() as conn:
            rows = conn.execute("SELECT * FROM automation.claim_notifications(%s, %s, %s)",
                                (self.worker_id, self.batch, self.lease_seconds)).fetchall()
        return [self.handle(row) for row in rows]

    def handle(self, row: Row) -> tuple[str, str, str]:
        nid = str(row["id"])
        try:
            subject, body = render(self.env, row)
        except TemplateProblem as exc:
            return self._failed(nid, str(exc), retryable=False)
        try:
            result = deliver(row, subject, body, self.connection_for)
        except ConnectorError as exc:
            return self._failed(nid, str(exc), exc.retryable)
        try:
            report(self.database, f"notification {nid}", "SELECT automation.mark_notification_sent(%s, %s, %s)",
                   (nid, self.worker_id, bool(result.get("delivered"))), self.lease_seconds)
        except (psycopg.Error, PgwfError) as exc:
            return self._lost(nid, exc)
        return nid, "sent", ""

    def _failed(self, nid: str, error: str, retryable: bool) -> tuple[str, str, str]:
        try:
            row = report(self.database, f"notification {nid}",
                         "SELECT automation.mark_notification_failed(%s, %s, %s, %s) AS status",
                         (nid, error[:2000], retryable, self.worker_id), self.lease_seconds)
        except (psycopg.Error, PgwfError) as exc:
            return self._lost(nid, exc)
        log.warning("notification %s: %s", nid, error)
        return nid, str(row["status"]) if row else "failed", error

    def _lost(self, nid: str, exc: psycopg.Error | PgwfError) -> tuple[str, str, str]:
        if connection_lost(exc):  # delivered, but the database stayed out of reach: sent again later
            log.error("notification %s: not reported, the database stayed out of reach: %s", nid, first_line(exc))
            return nid, "unreported", first_line(exc)
        if isinstance(exc, psycopg.Error) and exc.diag.sqlstate in ("PW404", "PW409", "PW410"):
            return nid, "lost", exc.diag.message_primary or ""
        raise exc

    def run(self, stop: threading.Event, poll: float | None = None) -> None:
        poll = poll if poll is not None else config.get_int("PGWF_WORKER_POLL")
        while not stop.is_set():
            try:
                done = self.run_once()
            except Exception as exc:  # noqa: BLE001 - keep delivering after a database hiccup
                log.error("notifier: %s", str(exc).splitlines()[0] if str(exc) else exc)
                done = []
            if len(done) < self.batch:
                stop.wait(poll)


def run(database: Database, stop: threading.Event) -> None:
    """The notifier loop as ``pgwf up`` runs it."""
    Notifier(database).run(stop)
