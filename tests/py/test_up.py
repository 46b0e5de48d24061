"""``pgwf up`` starts the API, worker, notifier and scheduler in one
foreground process, says where to look, and stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request

from cli_helpers import PGWF


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_up_serves_health_and_stops_on_sigterm(fresh_db: str) -> None:
    port = free_port()
    env = dict(os.environ, DATABASE_URL=fresh_db, PGWF_API_PORT=str(port),
               PGWF_API_WORKERS="1", PGWF_SCHEDULER_INTERVAL="3600")
    # its own process group, so that a failure below can stop gunicorn's workers too
    # (a worker left holding the output pipe would hang communicate() and the suite)
    proc = subprocess.Popen([PGWF, "up"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        health = None
        while time.monotonic() < deadline and health is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                    health = json.loads(r.read())
            except OSError:
                time.sleep(0.3)
        assert health is not None, "the API never answered"
        assert health["status"] == "ok"
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate(timeout=30)
        else:
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # anything it left behind
            except ProcessLookupError:
                pass
    assert proc.returncode == 0, out
    assert f"API        http://127.0.0.1:{port}/health" in out
    assert "services   scheduler, worker, notifier" in out
    assert "Shutting down: Master" in out


def test_serve_refuses_a_role_that_row_level_security_would_not_bind(fresh_db: str) -> None:
    from cli_helpers import run_pgwf

    for role in ("pgwf_owner", "postgres"):
        result = run_pgwf("serve", "--port", str(free_port()), url=fresh_db,
                          env={"PGWF_APP_ROLE": role}, timeout=60)
        assert result.returncode == 1, result.stdout + result.stderr
        assert result.stderr.strip() == (
            f"pgwf: refusing to serve people as role {role}: row-level security would not "
            "apply to it (set PGWF_APP_ROLE to a role like pgwf_app)")
