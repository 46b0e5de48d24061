"""How ``pgwf serve`` runs the API under gunicorn: its settings, the request
limits of pgwf.api.limits among them, and a worker that answers what gunicorn
refuses itself (a request line or header too long, too many headers, a
garbled request) in the API's JSON error body instead of gunicorn's HTML page.

gunicorn parses the request line and the headers before the app sees them,
so those refusals never reach Flask; the worker is the one place to shape them.
"""

from __future__ import annotations

import json
import socket
from typing import Any

from gunicorn import util
from gunicorn.http.errors import LimitRequestHeaders, LimitRequestLine
from gunicorn.workers.gthread import ThreadWorker

from pgwf.api import limits

# gunicorn settings of `pgwf serve` besides the address and the number of workers
SETTINGS: dict[str, Any] = {
    "threads": 4,
    "worker_class": "pgwf.api.server.JsonErrorWorker",
    "accesslog": None,
    "graceful_timeout": 20,
    "limit_request_line": limits.MAX_REQUEST_LINE_BYTES,
    "limit_request_field_size": limits.MAX_HEADER_BYTES,
    "limit_request_fields": limits.MAX_HEADER_FIELDS,
}

_REASONS = {400: "Bad Request", 403: "Forbidden", 414: "URI Too Long",
            431: "Request Header Fields Too Large", 500: "Internal Server Error",
            501: "Not Implemented"}


def _code(status: int) -> str:
    return {400: "PW400", 403: "PW403", 414: "PW400", 431: "PW400"}.get(
        status, "XX000" if status == 500 else f"HTTP{status}")


def write_json_error(sock: socket.socket, status: int, reason: str, message: str) -> None:
    """gunicorn's util.write_error, answering in the API's error body."""
    if status == 500:
        message = "internal error"  # the trace is in gunicorn's log, never in the answer
    body = json.dumps({"error": {"code": _code(status), "message": message or reason,
                                 "detail": None}}).encode()
    head = (f"HTTP/1.1 {status} {_REASONS.get(status, reason)}\r\nConnection: close\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
    util.write_nonblock(sock, head.encode("latin-1") + body)


class JsonErrorWorker(ThreadWorker):  # type: ignore[misc]
    """gunicorn's threaded worker whose own refusals are JSON, naming the limit."""

    def init_process(self) -> None:
        # base.Worker.handle_error writes through util.write_error: in this worker
        # process (forked for the app alone) that writer answers in JSON
        util.write_error = write_json_error
        super().init_process()

    def handle_error(self, req: Any, client: socket.socket, addr: Any, exc: BaseException) -> None:
        if isinstance(exc, LimitRequestLine):
            self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], exc)
            write_json_error(client, 414, "URI Too Long",
                             f"the request line is {exc.size} bytes or more, over the limit of "
                             f"{limits.MAX_REQUEST_LINE_BYTES} bytes (the URL is too long)")
            return
        if isinstance(exc, LimitRequestHeaders):
            self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], exc)
            if "fields size" in str(exc):
                message = (f"a header field is over the limit of {limits.MAX_HEADER_BYTES}"
                           " bytes")
            elif "fields" in str(exc):
                message = (f"the request has more than the limit of {limits.MAX_HEADER_FIELDS}"
                           " header fields")
            else:  # gunicorn's buffer for all the headers is full
                message = (f"the headers are over the limit of {limits.MAX_HEADER_FIELDS}"
                           f" header fields of {limits.MAX_HEADER_BYTES} bytes")
            write_json_error(client, 431, "Request Header Fields Too Large", message)
            return
        super().handle_error(req, client, addr, exc)
