"""pgwf: a workflow management system that lives in PostgreSQL.

The engine, the task queues and the access rules are SQL in ``db/``; this
package is the thin shell around it (CLI, HTTP API, worker).
"""

__version__ = "0.1.0"
