"""The HTTP API: a Flask application factory, one blueprint per resource.

Each route authenticates the bearer token, opens one transaction as that
person (pgwf.db) and calls a stored function or reads a view.  The database
decides; errors map to HTTP statuses in one table (pgwf.api.errors).
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from pgwf import config
from pgwf import db as dbmod
from pgwf.api import errors, limits
from pgwf.api.common import JSONProvider
from pgwf.db import Database


def create_app(database: Database | None = None, ui_dist: Path | None = None,
               reports_database: Database | None = None) -> Flask:
    from pgwf.api import events, health, openapi, reports, tasks, ui, workflows

    app = Flask("pgwf")
    app.json_provider_class = JSONProvider
    app.json = JSONProvider(app)
    # request bodies; the BPMN routes take the database's upload limit instead
    # (flowable.bpmn_max_document_bytes, read per request)
    app.config["MAX_CONTENT_LENGTH"] = limits.MAX_BODY_BYTES
    app.extensions["pgwf.db"] = database = database or dbmod.get("app")
    # /health has a pool of its own: it never waits for a connection that user requests hold
    app.extensions["pgwf.health_db"] = Database(
        database.url, database.role, 1, 2, name=f"{database.pool.name}-health",
        statement_timeout="5s", lock_timeout="2s", pooler=database.pooler)
    # /reports read a hot standby when PGWF_REPORTING_DATABASE_URL names one (the same login
    # kind as the API's: each person's token is checked there, RLS applies there too)
    reporting_url = config.get("PGWF_REPORTING_DATABASE_URL")
    if reports_database is None and reporting_url:
        reports_database = Database(reporting_url, database.role, config.get_int("PGWF_POOL_MIN"),
                                    config.get_int("PGWF_POOL_MAX"), name=f"{database.pool.name}-reports",
                                    pooler=config.get_bool("PGWF_TRANSACTION_POOLER"))
    app.extensions["pgwf.reports_db"] = reports_database or database
    errors.register(app)
    openapi.register(app)
    hops = config.get_int("PGWF_PROXY_HOPS")
    if hops > 0:  # the sender's address (webhook allowedIPs) comes from the trusted proxies
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops)  # type: ignore[method-assign]
    for blueprint in (health.bp, openapi.bp, tasks.bp, workflows.bp, events.bp,
                      reports.bp):
        app.register_blueprint(blueprint)
    # the web UI's static files at / and /assets/ (outside the API's routes)
    app.wsgi_app = ui.UiMiddleware(app.wsgi_app, ui_dist or config.ui_dir())  # type: ignore[method-assign]
    return app
