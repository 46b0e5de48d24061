"""Long-running processes: ``serve``, ``scheduler``, ``worker``, ``notifier``,
``up`` (all of them in one foreground command) and ``cron install``."""

from __future__ import annotations

import json
import logging
import signal
import sys
import threading
from typing import Any

import click

from pgwf import config, db, schema
from pgwf.cli.output import emit, format_option
from pgwf.errors import PgwfError

log = logging.getLogger("pgwf")


def _logging() -> None:
    logging.basicConfig(level=config.get("PGWF_LOG_LEVEL").upper(),
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")


@click.command("serve")
@click.option("--host", default=lambda: config.get("PGWF_API_HOST"), show_default="PGWF_API_HOST")
@click.option("--port", type=int, default=lambda: config.get_int("PGWF_API_PORT"),
              show_default="PGWF_API_PORT")
@click.option("--workers", type=int, default=lambda: config.get_int("PGWF_API_WORKERS"),
              show_default="PGWF_API_WORKERS")
def serve_cmd(host: str, port: int, workers: int) -> None:
    """Serve the HTTP API with gunicorn (foreground; SIGTERM stops it gracefully)."""
    from gunicorn.app.base import BaseApplication

    from pgwf.api import server

    _check_app_role()

    class App(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            for name, value in server.SETTINGS.items():  # the request limits among them
                self.cfg.set(name, value)

        def load(self) -> Any:
            from pgwf.api import create_app

            return create_app()

    App().run()


@click.command("scheduler")
@click.option("--interval", type=float, default=lambda: config.get_int("PGWF_SCHEDULER_INTERVAL"),
              show_default="PGWF_SCHEDULER_INTERVAL", help="Seconds between two runs.")
@click.option("--once", is_flag=True, help="Run maintenance once and print what it did.")
def scheduler_cmd(interval: float, once: bool) -> None:
    """Call automation.run_maintenance() every interval (several schedulers never overlap)."""
    from pgwf import scheduler

    database = db.get("worker", pooled=False)
    if once:
        click.echo(json.dumps(scheduler.tick(database), default=str))
        return
    _logging()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    scheduler.run(database, interval, stop)


@click.command("worker")
@click.option("--once", is_flag=True, help="Work through one batch, print what happened, exit.")
@click.option("--worker-id", default=None, help="Name recorded on leased steps (default host:pid).")
@click.option("--step-type", "step_types", multiple=True, default=("action", "integration"),
              show_default=True, help="Step types to lease (repeat).")
@click.option("--topic", "topics", multiple=True,
              help="Worker topics to lease (repeat; default: every topic a connector performs).")
def worker_cmd(once: bool, worker_id: str | None, step_types: tuple[str, ...], topics: tuple[str, ...]) -> None:
    """Lease external steps, run their connectors, report back (SIGTERM: finish the current step)."""
    from pgwf import connectors
    from pgwf.worker import Worker

    unknown = sorted(set(topics) - set(connectors.REGISTRY))
    if unknown:
        raise click.BadParameter(f"no connector performs {', '.join(unknown)} (known: {', '.join(sorted(connectors.REGISTRY))})",
                                 param_hint="--topic")
    worker = Worker(db.get("worker", pooled=not once), worker_id=worker_id,
                    step_types=step_types, topics=topics or None)
    if once:
        for outcome in worker.run_once():
            click.echo(f"{outcome.execution_id}  {outcome.status}  {outcome.detail}".rstrip())
        return
    _logging()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    log.info("worker %s started", worker.worker_id)
    worker.run(stop)
    log.info("worker %s stopped", worker.worker_id)


@click.command("connectors")
@format_option
def connectors_cmd(fmt: str | None) -> None:
    """The worker's connectors and the fields each declares (step input, connection)."""
    from pgwf.connectors import REGISTRY

    rows = [
        {"connector": name, "part": part, "field": f.name, "type": f.kind,
         "required": f.required, "secret": f.secret, "help": f.help}
        for name, connector in sorted(REGISTRY.items())
        for part, fields in (("input", connector.input_fields),
                             ("connection", connector.connection_fields))
        for f in fields
    ]
    emit(rows, fmt)


@click.command("notifier")
@click.option("--once", is_flag=True, help="Deliver one batch, print what happened, exit.")
def notifier_cmd(once: bool) -> None:
    """Deliver the notification outbox through the connectors (templates in a sandbox)."""
    from pgwf.notifier import Notifier

    notifier = Notifier(db.get("worker", pooled=not once))
    if once:
        for nid, status, detail in notifier.run_once():
            click.echo(f"{nid}  {status}  {detail}".rstrip())
        return
    _logging()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    notifier.run(stop)


@click.command("up")
@click.option("--host", default=lambda: config.get("PGWF_API_HOST"), show_default="PGWF_API_HOST")
@click.option("--port", type=int, default=lambda: config.get_int("PGWF_API_PORT"),
              show_default="PGWF_API_PORT")
def up_cmd(host: str, port: int) -> None:
    """Run the API, the worker, the notifier and the scheduler until Ctrl-C / SIGTERM.

    Each runs as a child process that is started again when it dies (see
    docs/operations.md); the port's lock file in PGWF_RUN_DIR refuses a
    second ``up`` on the same port.
    """
    from pgwf.supervisor import Child, Supervisor

    _check_app_role()
    _logging()
    me = [sys.executable, "-m", "pgwf.cli.main"]
    supervisor = Supervisor(
        host=host, port=port, stop_timeout=config.get_int("PGWF_STOP_TIMEOUT"),
        children=[Child("api", [*me, "serve", "--host", host, "--port", str(port)]),
                  Child("scheduler", [*me, "scheduler"]),
                  Child("worker", [*me, "worker"]),
                  Child("notifier", [*me, "notifier"])])
    supervisor.acquire()
    built = (config.ui_dir() / "index.html").is_file()
    click.echo(f"pgwf is up:\n"
               f"  web UI     http://{host}:{port}/  "
               f"{'(sign in with a token)' if built else '(not built: make ui, needs Node.js)'}\n"
               f"  API        http://{host}:{port}/health  (OpenAPI: http://{host}:{port}/openapi.json)\n"
               f"  database   {schema.redact(config.database_url())}\n"
               f"  services   scheduler, worker, notifier\n"
               f"  a token    pgwf token create USER   (demo users: pgwf user list)\n"
               f"Ctrl-C stops everything.", err=False)
    sys.stdout.flush()
    sys.exit(supervisor.run())


def _check_app_role() -> None:
    """Stop before serving when RLS would not hold for the API's role (a
    database that is not reachable yet is left for /health to report)."""
    database = db.Database(config.api_database_url(), config.get("PGWF_APP_ROLE"), pooled=False)
    try:
        db.check_row_security(database)
    except PgwfError as exc:
        if str(exc).startswith("cannot connect"):
            log.warning("%s", exc)
            return
        raise
