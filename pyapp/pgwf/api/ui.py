"""The web UI's static files, served beside the API by the same app.

``ui/`` (TypeScript, React, React Flow) is built by Vite into ``ui/dist``:
``index.html`` is served at ``/`` and the hashed bundles under ``/assets/``.
This sits in front of Flask as WSGI middleware, so the API's routes (and its
OpenAPI document) stay exactly the API; the UI's own pages live in the URL
fragment (``/#/runs/ID``) and never shadow an API path.  The browser talks to
the API with the person's bearer token like any other client.
"""

from __future__ import annotations

import gzip
import mimetypes
import re
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from werkzeug.wrappers import Request, Response

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

# The bundles are the only scripts and styles; React Flow positions nodes with inline styles.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")

NOT_BUILT = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>pgwf</title></head>
<body><h1>pgwf</h1><p>The web UI is not built. Run <code>make ui</code> (it needs Node.js and
npm) or <code>make run</code>, which builds it when Node.js is there. The HTTP API works without
it: <a href="/health">/health</a>, <a href="/openapi.json">/openapi.json</a>.</p></body></html>
"""


# Vite names every bundle after its content hash: a name is a file, never a path.
ASSET_NAME = re.compile(r"^/assets/([A-Za-z0-9_-][A-Za-z0-9._-]*)$")
YEAR = 365 * 24 * 3600


class UiMiddleware:
    def __init__(self, app: WSGIApp, dist: Path) -> None:
        self.app = app
        self.dist = dist
        self._gzipped: dict[tuple[str, float], bytes] = {}
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            if path == "/":
                return self._index()(environ, start_response)
            m = ASSET_NAME.match(path)
            if m and (self.dist / "assets" / m.group(1)).is_file():
                return self._asset(m.group(1), Request(environ))(environ, start_response)
        return self.app(environ, start_response)  # the API (a missing bundle is its 404)

    def _asset(self, name: str, request: Request) -> Response:
        """A bundle, gzip'd when the browser takes it (compressed once, kept: names never change)."""
        file = self.dist / "assets" / name
        raw = file.read_bytes()
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        resp = Response(content_type=kind)
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            key = (name, file.stat().st_mtime)
            with self._lock:
                if key not in self._gzipped:
                    self._gzipped[key] = gzip.compress(raw, 9)
                body = self._gzipped[key]
            resp.headers["Content-Encoding"] = "gzip"
        else:
            body = raw
        resp.set_data(body)
        resp.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
        resp.headers["Vary"] = "Accept-Encoding"
        resp.headers["X-Content-Type-Options"] = "nosniff"
        return resp

    def _index(self) -> Response:
        index = self.dist / "index.html"
        try:
            html, status = index.read_bytes(), 200
        except FileNotFoundError:
            html, status = NOT_BUILT.encode(), 404
        resp = Response(html, status=status, content_type="text/html; charset=utf-8")
        resp.headers["Cache-Control"] = "no-cache"
        resp.headers["Content-Security-Policy"] = CSP
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "no-referrer"
        return resp
