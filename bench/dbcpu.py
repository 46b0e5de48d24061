"""CPU time of the PostgreSQL backends serving one database, read from /proc (server on this machine).

A backend's process title names its database (``postgres: 15/main: root bench_x [local] ...``), so a
sampler thread finds every backend of the database, reads its utime + stime from /proc/PID/stat
every ``interval`` seconds, and keeps the last reading of each (a backend that exits between two
readings loses at most one interval of its CPU). Background processes (checkpointer, WAL writer,
autovacuum) are not counted. Only useful when the server runs on this machine.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _cpu(pid: int) -> int | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)


def _backends(db: str) -> list[int]:
    marker = f" {db} "
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            title = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if title.startswith("postgres: ") and marker in title + " ":
            found.append(int(entry))
    return found


class BackendCpu:
    """``with BackendCpu(db) as cpu: ...`` then ``cpu.seconds``: CPU of db's backends in the block."""

    def __init__(self, db: str, interval: float = 0.05) -> None:
        self.db = db
        self.interval = interval
        self.first: dict[int, int] = {}
        self.last: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.seconds = 0.0
        self.backends = 0

    def _sample(self, rescan: bool) -> None:
        pids = _backends(self.db) if rescan else list(self.last)
        for pid in pids:
            ticks = _cpu(pid)
            if ticks is None:
                continue
            self.first.setdefault(pid, ticks if not self._started else 0)
            self.last[pid] = ticks

    def _run(self) -> None:
        n = 0
        while not self._stop.wait(self.interval):
            n += 1
            self._sample(rescan=n % 5 == 0)

    def __enter__(self) -> BackendCpu:  # noqa: PYI034
        self._started = False
        self._sample(rescan=True)  # backends already there: count from now
        self._started = True
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample(rescan=True)
        self.seconds = sum(self.last[p] - self.first.get(p, 0) for p in self.last) / TICK
        self.backends = len(self.last)
