"""Settings read from the environment (``PGWF_*`` and ``DATABASE_URL``).

Every setting has a default that works on a developer's machine; the README
lists them in one table (keep the two in step: a test compares them).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATABASE_URL = "postgresql:///pgwf"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("DATABASE_URL", DEFAULT_DATABASE_URL,
            "libpq URL of the pgwf database; `pgwf db` migrates it (as a DBA login)."),
    Setting("PGWF_API_DATABASE_URL", "",
            "Login the API and the people's CLI commands use (default: `DATABASE_URL`)."),
    Setting("PGWF_WORKER_DATABASE_URL", "",
            "Login of the worker, notifier and scheduler (default: `DATABASE_URL`)."),
    Setting("PGWF_REPORTING_DATABASE_URL", "",
            "Where `pgwf report` and the API's `/reports` read, e.g. a hot standby (default: the"
            " `DATABASE_URL` login for `pgwf report`, the API's own connection for `/reports`)."),
    Setting("PGWF_LISTEN_DATABASE_URL", "",
            "Direct (or session-pooled) connection the worker LISTENs on for new steps (default:"
            " `PGWF_WORKER_DATABASE_URL`; never a transaction pooler)."),
    Setting("PGWF_TRANSACTION_POOLER", "false",
            "`true` when the API, worker and reporting URLs go through PgBouncer in transaction"
            " mode: no server-side prepared statements, no LISTEN without `PGWF_LISTEN_DATABASE_URL`."),
    Setting("PGWF_APP_ROLE", "pgwf_app",
            "Group role the API takes in every transaction (`SET LOCAL ROLE`); RLS applies to it."),
    Setting("PGWF_WORKER_ROLE", "pgwf_worker",
            "Group role the worker, notifier and scheduler take in every transaction."),
    Setting("PGWF_API_HOST", "127.0.0.1", "Address `pgwf serve` / `pgwf up` listens on."),
    Setting("PGWF_API_PORT", "8080", "Port `pgwf serve` / `pgwf up` listens on."),
    Setting("PGWF_API_WORKERS", "4", "gunicorn worker processes of the API (each with 4 threads)."),
    Setting("PGWF_PROXY_HOPS", "0",
            "Reverse proxies in front of the API whose `X-Forwarded-For` is trusted (webhook `allowedIPs`)."),
    Setting("PGWF_POOL_MIN", "1", "Connections each process keeps open."),
    Setting("PGWF_POOL_MAX", "8", "Most connections one process opens."),
    Setting("PGWF_STATEMENT_TIMEOUT", "30s",
            "Longest a statement of the API or CLI may run (`statement_timeout`, from the first"
            " statement of each transaction; 0 turns it off); a request cut short answers 503."),
    Setting("PGWF_WORKER_STATEMENT_TIMEOUT", "10min",
            "Longest a statement of the worker, notifier or scheduler may run (maintenance over"
            " a big backlog takes its time)."),
    Setting("PGWF_LOCK_TIMEOUT", "10s",
            "Longest any pgwf statement waits for a lock (`lock_timeout`); a request that waited"
            " that long answers 503, a worker leaves the step for later."),
    Setting("PGWF_PAGE_SIZE", "50", "Default page size of list endpoints (most: 500)."),
    Setting("PGWF_TOKEN_DAYS", "90", "Days a token made by `pgwf token create` is valid."),
    Setting("PGWF_SCHEDULER_INTERVAL", "60", "Seconds between two `run_maintenance()` calls."),
    Setting("PGWF_WORKER_POLL", "2", "Seconds the worker and notifier wait when there is no work."),
    Setting("PGWF_WORKER_BATCH", "10", "Steps or notifications leased in one go."),
    Setting("PGWF_LEASE_SECONDS", "300",
            "How long a leased step stays with one worker unless renewed; a worker renews it"
            " every third of this while it runs the step."),
    Setting("PGWF_RUN_DIR", "",
            "Directory of `pgwf up`'s lock file per port (default: `$XDG_RUNTIME_DIR/pgwf`,"
            " else `/tmp/pgwf-UID`)."),
    Setting("PGWF_STOP_TIMEOUT", "30",
            "Seconds `pgwf up` gives its children to finish their work on SIGTERM before it"
            " kills them."),
    Setting("PGWF_TEMPLATES", "", "Directory of notification templates overriding the built-in ones."),
    Setting("PGWF_SMTP_HOST", "127.0.0.1", "SMTP server of the email connector."),
    Setting("PGWF_SMTP_PORT", "25", "SMTP port."),
    Setting("PGWF_SMTP_STARTTLS", "false", "Use STARTTLS (`true`/`false`)."),
    Setting("PGWF_SMTP_USER", "", "SMTP login, if the server wants one."),
    Setting("PGWF_SMTP_PASSWORD", "", "SMTP password."),
    Setting("PGWF_SMTP_FROM", "pgwf@localhost", "Sender address of notifications."),
    Setting("PGWF_USER", "", "The person `pgwf task`, `workflow` and `run` act as (their `--as`)."),
    Setting("PGWF_LOG_LEVEL", "INFO", "Log level of `serve`, `worker`, `notifier`, `scheduler`, `up`."),
    Setting("PGWF_HOME", "", "Directory holding `db/` and `migrations/` (default: this checkout)."),
)


def get(name: str) -> str:
    """The value of a setting: the environment, else its default."""
    for s in SETTINGS:
        if s.name == name:
            return os.environ.get(name) or s.default
    raise KeyError(name)


def get_int(name: str) -> int:
    value = get(name)
    try:
        return int(value)
    except ValueError:
        from pgwf.errors import PgwfError

        raise PgwfError(f"{name} must be a whole number, not {value!r}") from None


def get_bool(name: str) -> bool:
    return get(name).strip().lower() in ("1", "true", "yes", "on")


def database_url() -> str:
    """The connection string: ``$DATABASE_URL`` or a local database ``pgwf``."""
    return os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL


def api_database_url() -> str:
    return get("PGWF_API_DATABASE_URL") or database_url()


def worker_database_url() -> str:
    return get("PGWF_WORKER_DATABASE_URL") or database_url()


def reporting_database_url() -> str:
    """Where ``pgwf report`` reads (the API's ``/reports`` read there only when it is set)."""
    return get("PGWF_REPORTING_DATABASE_URL") or database_url()


def project_root() -> Path:
    """The directory holding ``db/`` and ``migrations/``.

    ``PGWF_HOME`` overrides it; otherwise the checkout this package lives in.
    """
    env = os.environ.get("PGWF_HOME")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2]


def db_dir() -> Path:
    return project_root() / "db"


def migrations_dir() -> Path:
    return project_root() / "migrations"


def ui_dir() -> Path:
    """The built web UI (``make ui`` builds ``ui/`` into it)."""
    return project_root() / "ui" / "dist"
