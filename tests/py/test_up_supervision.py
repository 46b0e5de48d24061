"""``pgwf up`` owns its children: a kill -9 of any part never leaves an
orphan serving requests, a child that dies is started again (or the whole
service exits non-zero), a stale lock file is cleaned, and a second ``up``
on a port in use is refused.  Real processes, real signals, a real server.

Every wait is bounded; the whole file takes well under a minute."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import PGWF
from pytest_httpserver import HTTPServer
from test_worker import Gate, start_run, step

pytestmark = pytest.mark.fault


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def health(port: int) -> dict[str, Any] | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
            return dict(json.loads(r.read()))
    except OSError:
        return None


def wait_for(predicate: Any, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    try:  # a zombie is dead for our purpose
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


class Up:
    """One ``pgwf up`` in a process group of its own (so a failing test can
    still remove everything it started)."""

    def __init__(self, db: str, run_dir: Path, port: int, **env: str) -> None:
        self.port = port
        self.run_dir = run_dir
        full = dict(os.environ, DATABASE_URL=db, PGWF_API_PORT=str(port), PGWF_API_WORKERS="1",
                    PGWF_SCHEDULER_INTERVAL="3600", PGWF_RUN_DIR=str(run_dir),
                    PGWF_STOP_TIMEOUT="20", PGWF_WORKER_POLL="1")
        full.update(env)
        self.log = open(run_dir / f"up-{port}-{time.monotonic_ns()}.log", "w+")  # noqa: SIM115
        self.proc = subprocess.Popen([PGWF, "up"], env=full, stdout=self.log,
                                     stderr=subprocess.STDOUT, text=True, start_new_session=True)

    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text()

    def state(self) -> dict[str, Any]:
        path = self.run_dir / f"pgwf-up-{self.port}.pid"
        try:
            return dict(json.loads(path.read_text()))
        except (OSError, ValueError):
            return {}

    def child(self, name: str) -> int | None:
        for c in self.state().get("children", []):
            if c["name"] == name and c.get("pid"):
                return int(c["pid"])
        return None

    def all_pids(self) -> list[int]:
        return [int(c["pid"]) for c in self.state().get("children", []) if c.get("pid")]

    def serving(self) -> bool:
        h = health(self.port)
        return h is not None and h.get("status") == "ok"

    def stop(self) -> None:
        pids = self.all_pids()
        for pid in [self.proc.pid, *pids]:
            for kill in (os.killpg, os.kill):
                try:
                    kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            pass
        self.log.close()


@pytest.fixture()
def ups(tmp_path: Path) -> Iterator[list[Up]]:
    started: list[Up] = []
    yield started
    for up in started:
        up.stop()


def test_kill_9_of_up_leaves_no_orphan_and_a_new_up_starts(
        fresh_db: str, tmp_path: Path, ups: list[Up]) -> None:
    port = free_port()
    first = Up(fresh_db, tmp_path, port)
    ups.append(first)
    assert wait_for(first.serving), first.output()
    assert wait_for(lambda: len(first.all_pids()) == 4), first.state()
    children = first.all_pids()
    first.proc.send_signal(signal.SIGKILL)
    first.proc.wait(10)
    # the children go with it: nothing answers on the port, no child lives on
    assert wait_for(lambda: not any(alive(p) for p in children), 40), \
        [p for p in children if alive(p)]
    assert wait_for(lambda: not listening(port), 20), "an orphan still serves the port"
    second = Up(fresh_db, tmp_path, port)
    ups.append(second)
    assert wait_for(second.serving), second.output()
    second.proc.send_signal(signal.SIGTERM)
    assert second.proc.wait(60) == 0, second.output()


def test_each_child_killed_with_sigkill_is_started_again(
        fresh_db: str, tmp_path: Path, ups: list[Up]) -> None:
    port = free_port()
    up = Up(fresh_db, tmp_path, port)
    ups.append(up)
    assert wait_for(up.serving), up.output()
    victims = []
    for name in ("api", "worker", "notifier", "scheduler"):
        assert wait_for(lambda: up.child(name) is not None), up.state()  # noqa: B023
        victim = up.child(name)
        assert victim is not None
        victims.append(victim)
        os.kill(victim, signal.SIGKILL)
        assert wait_for(lambda: up.child(name) not in (None, victim)), up.output()  # noqa: B023
        assert up.proc.poll() is None, up.output()
        assert wait_for(up.serving), up.output()
        assert f"{name} (pid {victim}) died" in up.output()
    up.proc.send_signal(signal.SIGTERM)
    assert up.proc.wait(60) == 0, up.output()
    assert not any(alive(p) for p in up.all_pids() + victims)


def test_a_stale_lock_file_is_cleaned_and_its_orphan_stopped(
        fresh_db: str, tmp_path: Path, ups: list[Up]) -> None:
    port = free_port()
    # an API left behind by a supervisor that is gone, serving the port
    env = dict(os.environ, DATABASE_URL=fresh_db, PGWF_API_WORKERS="1")
    orphan = subprocess.Popen([sys.executable, "-m", "pgwf.cli.main", "serve", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        assert wait_for(lambda: health(port) is not None), "the orphan never served"
        start = Path(f"/proc/{orphan.pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
        (tmp_path / f"pgwf-up-{port}.pid").write_text(json.dumps({
            "pid": 999999999, "port": port,
            "children": [{"name": "api", "pid": orphan.pid, "start": int(start)}]}))
        up = Up(fresh_db, tmp_path, port)
        ups.append(up)
        assert wait_for(lambda: orphan.poll() is not None, 40), up.output()
        assert "stale" in up.output()
        assert wait_for(up.serving), up.output()
        assert up.child("api") != orphan.pid
        up.proc.send_signal(signal.SIGTERM)
        assert up.proc.wait(60) == 0, up.output()
    finally:
        if orphan.poll() is None:
            os.killpg(orphan.pid, signal.SIGKILL)
        orphan.wait(10)


def test_a_second_up_on_the_same_port_is_refused(
        fresh_db: str, tmp_path: Path, ups: list[Up]) -> None:
    port = free_port()
    first = Up(fresh_db, tmp_path, port)
    ups.append(first)
    assert wait_for(first.serving), first.output()
    second = Up(fresh_db, tmp_path, port)
    ups.append(second)
    assert second.proc.wait(60) == 1
    assert f"pgwf up is already running on port {port} (pid {first.proc.pid}," in second.output()
    assert first.serving()


def test_a_port_taken_by_another_program_is_refused(
        fresh_db: str, tmp_path: Path, ups: list[Up]) -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = int(other.getsockname()[1])
        up = Up(fresh_db, tmp_path, port)
        ups.append(up)
        assert up.proc.wait(60) == 1
    assert f"port {port} on 127.0.0.1 is in use by another program" in up.output()


def test_a_child_that_keeps_dying_ends_the_service_non_zero(
        fresh_db: str, tmp_path: Path, ups: list[Up]) -> None:
    up = Up(fresh_db, tmp_path, free_port(), PGWF_WORKER_BATCH="many")
    ups.append(up)
    assert up.proc.wait(120) == 1, up.output()
    out = up.output()
    assert re.search(r"(worker|notifier) died 5 times in a row; stopping pgwf", out), out
    assert not any(alive(p) for p in up.all_pids())
    assert not listening(up.port)


def test_sigterm_lets_the_running_step_finish_and_report(
        fresh_db: str, tmp_path: Path, ups: list[Up], httpserver: HTTPServer) -> None:
    gate = Gate()
    httpserver.expect_request("/slow").respond_with_handler(gate)
    run = start_run(fresh_db, httpserver.url_for("/slow"))
    up = Up(fresh_db, tmp_path, free_port())
    ups.append(up)
    assert gate.arrived.wait(60), up.output()
    up.proc.send_signal(signal.SIGTERM)
    assert wait_for(lambda: up.proc.poll() is not None, 1) is False, "up left mid-step"
    gate.release.set()
    assert up.proc.wait(60) == 0, up.output()
    s = step(fresh_db, run)
    assert (s["status"], s["run_status"]) == ("completed", "completed")
    assert gate.calls == 1


def test_sigterm_is_bounded_by_the_stop_timeout(
        fresh_db: str, tmp_path: Path, ups: list[Up], httpserver: HTTPServer) -> None:
    gate = Gate()  # never released while pgwf up stops
    httpserver.expect_request("/slow").respond_with_handler(gate)
    run = start_run(fresh_db, httpserver.url_for("/slow"))
    up = Up(fresh_db, tmp_path, free_port(), PGWF_STOP_TIMEOUT="2", PGWF_LEASE_SECONDS="600")
    ups.append(up)
    try:
        assert gate.arrived.wait(60), up.output()
        assert wait_for(lambda: len(up.all_pids()) == 4), up.state()
        children = up.all_pids()
        up.proc.send_signal(signal.SIGTERM)
        assert up.proc.wait(60) == 0, up.output()
        assert "worker (pid" in up.output() and "did not stop within 2 s" in up.output()
        assert not any(alive(p) for p in children)
        # the step keeps its lease, which runs out: another worker takes it (docs/operations.md)
        assert step(fresh_db, run)["status"] == "running"
    finally:
        gate.release.set()
