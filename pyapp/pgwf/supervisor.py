"""``pgwf up``: one supervisor process that owns the API, worker, notifier and
scheduler processes.

* Each child runs in a process group of its own (gunicorn's workers join the
  API's), so a child's leftovers are removed with it, and is asked by the
  kernel to stop (SIGTERM) when the supervisor dies, even by SIGKILL
  (``PR_SET_PDEATHSIG``): no orphan goes on serving requests.
* A lock file per port (``PGWF_RUN_DIR/pgwf-up-PORT.pid``) holds an
  ``flock`` while the supervisor lives and lists the children.  A second
  ``up`` on the port is refused; a file whose lock is free is stale: the
  processes it names that still live (matched by pid and start time) are
  stopped before anything starts.
* A child that dies is started again after 0.5, 1, 2, 4 ... s (at most 30 s);
  one that dies ``RESTART_LIMIT`` times in a row, each time within
  ``HEALTHY_AFTER`` s of its start, stops the whole service with exit
  status 1, so that the service manager (systemd) decides what comes next.
* SIGTERM or SIGINT: every child gets SIGTERM (the API finishes the requests
  in flight, the worker the steps it runs); a child still there after
  ``PGWF_STOP_TIMEOUT`` s is killed with its process group.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import json
import logging
import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pgwf import config
from pgwf.errors import PgwfError

log = logging.getLogger("pgwf.up")

RESTART_LIMIT = 5
HEALTHY_AFTER = 60.0
FIRST_BACKOFF = 0.5
MAX_BACKOFF = 30.0
PR_SET_PDEATHSIG = 1


def run_dir() -> Path:
    chosen = config.get("PGWF_RUN_DIR")
    if chosen:
        return Path(chosen)
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isdir(runtime):
        return Path(runtime) / "pgwf"
    return Path(tempfile.gettempdir()) / f"pgwf-{os.getuid()}"


# ------------------------------------------------------------------ /proc


def _stat(pid: int) -> list[str] | None:
    """Fields 3.. of /proc/PID/stat (state, ppid, pgrp, ..., starttime at [19])."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


def start_time(pid: int) -> int | None:
    fields = _stat(pid)
    if fields is None or fields[0] == "Z":
        return None
    return int(fields[19])


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(
            errors="replace")
    except OSError:
        return ""


def group_members(pgid: int) -> list[int]:
    """Living processes of process group ``pgid``."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat(int(entry.name))
        if fields is not None and fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(entry.name))
    return members


def _signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


# ------------------------------------------------------------------ children


_libc: Any = None


def _die_with(parent: int) -> Callable[[], None]:
    """preexec_fn of a child: a session of its own, SIGTERM when ``parent`` dies."""
    global _libc
    if _libc is None:
        with contextlib.suppress(OSError):
            _libc = ctypes.CDLL(None, use_errno=True)
    libc = _libc

    def preexec() -> None:
        os.setsid()
        if libc is not None:
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return preexec


@dataclass
class Child:
    name: str
    argv: list[str]
    proc: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    start_ticks: int | None = None
    deaths: int = 0
    due: float = 0.0  # monotonic time of the next start

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None


@dataclass
class Supervisor:
    host: str
    port: int
    children: list[Child]
    stop_timeout: float = 30.0
    directory: Path = field(default_factory=run_dir)
    stopping: bool = False
    exit_code: int = 0
    _lock_fd: int | None = None

    @property
    def lock_path(self) -> Path:
        return self.directory / f"pgwf-up-{self.port}.pid"

    # -------------------------------------------------------------- the lock

    def acquire(self) -> None:
        """Take the port's lock file, cleaning a stale one; refuse a live one."""
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
            owner = self._read().get("pid", "?")
            raise PgwfError(f"pgwf up is already running on port {self.port} (pid {owner}, "
                            f"lock file {self.lock_path})") from None
        self._lock_fd = fd
        self._clean_stale(self._read())
        self._write()
        self._check_port()

    def release(self) -> None:
        if self._lock_fd is not None:
            with contextlib.suppress(OSError):
                self.lock_path.unlink()
            os.close(self._lock_fd)
            self._lock_fd = None

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.lock_path.read_text() or "{}")
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _write(self) -> None:
        state = {"pid": os.getpid(), "port": self.port, "host": self.host,
                 "children": [{"name": c.name, "pid": c.pid, "start": c.start_ticks}
                              for c in self.children]}
        if self._lock_fd is None:
            return
        data = json.dumps(state).encode()
        os.lseek(self._lock_fd, 0, os.SEEK_SET)
        os.ftruncate(self._lock_fd, 0)
        os.write(self._lock_fd, data)

    def _clean_stale(self, previous: dict[str, Any]) -> None:
        """Stop what a supervisor that is gone left running (SIGTERM, then SIGKILL)."""
        groups = []
        for entry in previous.get("children") or []:
            pid, ticks = entry.get("pid"), entry.get("start")
            if not isinstance(pid, int) or not isinstance(ticks, int):
                continue
            members = [p for p in group_members(pid)
                       if (start_time(p) or -1) >= ticks and "pgwf" in _cmdline(p)]
            if members:
                log.warning("stale lock file %s: stopping %s (pids %s) left by pgwf up pid %s",
                            self.lock_path, entry.get("name"), members, previous.get("pid"))
                groups.append(pid)
        for pgid in groups:
            _signal_group(pgid, signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        while groups and time.monotonic() < deadline and any(group_members(g) for g in groups):
            time.sleep(0.1)
        for pgid in groups:
            if group_members(pgid):
                _signal_group(pgid, signal.SIGKILL)
        while groups and any(group_members(g) for g in groups) and time.monotonic() < deadline + 5:
            time.sleep(0.1)
        if previous and not groups:
            log.info("stale lock file %s: nothing of pgwf up pid %s is left", self.lock_path,
                     previous.get("pid"))

    def _check_port(self) -> None:
        with socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind((self.host, self.port))
            except OSError as exc:
                raise PgwfError(f"port {self.port} on {self.host} is in use by another program "
                                f"({exc.strerror})") from None

    # -------------------------------------------------------------- the loop

    def _start(self, child: Child) -> None:
        child.proc = subprocess.Popen(child.argv, preexec_fn=_die_with(os.getpid()))  # noqa: PLW1509 - no threads here
        child.started = time.monotonic()
        child.start_ticks = start_time(child.proc.pid)
        log.info("%s started (pid %s)", child.name, child.proc.pid)
        self._write()

    def _reap(self, child: Child) -> None:
        assert child.proc is not None
        code, pid = child.proc.returncode, child.proc.pid
        _signal_group(pid, signal.SIGKILL)  # whatever it left in its group (gunicorn workers)
        if self.stopping:
            return
        ran = time.monotonic() - child.started
        child.deaths = 1 if ran >= HEALTHY_AFTER else child.deaths + 1
        how = f"signal {-code}" if code < 0 else f"exit status {code}"
        if child.deaths >= RESTART_LIMIT:
            log.error("%s died %d times in a row; stopping pgwf (last: %s)", child.name,
                      child.deaths, how)
            self.exit_code = 1
            self.stopping = True
            return
        delay = min(FIRST_BACKOFF * 2 ** (child.deaths - 1), MAX_BACKOFF)
        log.error("%s (pid %s) died (%s); starting it again in %.1f s", child.name, pid, how,
                  delay)
        child.proc = None
        child.due = time.monotonic() + delay

    def run(self) -> int:
        def _stop(*_: Any) -> None:
            self.stopping = True

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        try:
            while not self.stopping:
                for child in self.children:
                    if child.proc is None and time.monotonic() >= child.due:
                        self._start(child)
                    elif child.proc is not None and child.proc.poll() is not None:
                        self._reap(child)
                        if self.stopping:
                            break
                time.sleep(0.2)
        finally:
            self._shutdown()
            self.release()
        return self.exit_code

    def _shutdown(self) -> None:
        running = [c for c in self.children if c.proc is not None and c.proc.poll() is None]
        for child in running:
            _signal_group(child.proc.pid, signal.SIGTERM)  # type: ignore[union-attr]
        deadline = time.monotonic() + self.stop_timeout
        while time.monotonic() < deadline and any(c.proc.poll() is None for c in running):  # type: ignore[union-attr]
            time.sleep(0.1)
        for child in self.children:
            if child.proc is None:
                continue
            if child.proc.poll() is None:
                log.error("%s (pid %s) did not stop within %s s; killing it", child.name,
                          child.proc.pid, self.stop_timeout)
            _signal_group(child.proc.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.proc.wait(5)
