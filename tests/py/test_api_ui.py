"""The web UI's static files are served by the API's own app: index.html at
/ (never cached, with a content security policy), the hashed bundles under
/assets/, a page saying how to build the UI when it is not built, and the
API's routes untouched beside them."""

from __future__ import annotations

import gzip
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from pgwf.api import create_app
from pgwf.db import Database
from werkzeug.serving import make_server


def serve(dist: Path) -> tuple[str, object]:
    app = create_app(Database("postgresql:///unused", None, pooled=False), ui_dist=dist)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}),
                                    timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


@pytest.fixture()
def built(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text('<!doctype html><script src="/assets/app-1.js"></script>')
    (tmp_path / "assets" / "app-1.js").write_text("console.log('pgwf')")
    (tmp_path / "secret.txt").write_text("not for the web")
    base, server = serve(tmp_path)
    try:
        yield base
    finally:
        server.shutdown()  # type: ignore[attr-defined]


def test_index_and_assets_are_served_beside_the_api(built: str) -> None:
    status, headers, body = fetch(built + "/")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert headers["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert body.startswith(b"<!doctype html>")
    status, headers, body = fetch(built + "/assets/app-1.js")
    assert status == 200
    assert body == b"console.log('pgwf')"
    assert "max-age=31536000" in headers["Cache-Control"]
    assert headers["Content-Type"].startswith(("text/javascript", "application/javascript"))
    assert "Content-Encoding" not in headers
    # gzip'd for a browser that takes it
    status, headers, body = fetch(built + "/assets/app-1.js", {"Accept-Encoding": "gzip, br"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == b"console.log('pgwf')"
    # only bundle names: nothing beside or above assets/
    for path in ("/assets/../secret.txt", "/assets/%2e%2e/secret.txt", "/secret.txt",
                 "/assets/", "/index.html"):
        status, _, body = fetch(built + path)
        assert status == 404, path
        assert b"not for the web" not in body
    # a missing bundle is the API's own 404, in the API's error shape
    status, headers, body = fetch(built + "/assets/nope.js")
    assert status == 404
    assert b'"code":"PW404"' in body.replace(b" ", b"")
    # the API is unchanged: no token is still a 401 with the error body
    status, _, body = fetch(built + "/tasks")
    assert status == 401
    assert b"PW401" in body


def test_without_a_build_the_root_says_how_to_build_the_ui(tmp_path: Path) -> None:
    base, server = serve(tmp_path / "missing")
    try:
        status, headers, body = fetch(base + "/")
    finally:
        server.shutdown()  # type: ignore[attr-defined]
    assert status == 404
    assert headers["Content-Type"].startswith("text/html")
    assert b"make ui" in body and b"/openapi.json" in body
