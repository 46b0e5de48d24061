"""Benchmark of the HTTP API (issue 5): claim-next plus complete through the
API with 8 concurrent clients, as a ratio to the same two calls made
directly on the database (pgbench, the same script as bench/task_bench.py)
in the same run, on the same data.

    .venv/bin/python bench/api_bench.py [--seconds 20] [--clients 8] [--record]

The API runs as `pgwf serve` (gunicorn, PGWF_API_WORKERS processes) with the
login of DATABASE_URL taking pgwf_app in every transaction, bearer tokens
resolved in the database, exactly as in production. Clients are separate
processes with keep-alive connections, on loopback only; every loop is
bounded by --seconds. --record appends the result to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import multiprocessing
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from task_bench import SCRIPTS, load_world, pgbench, recreate, url

PGWF = str(Path(sys.executable).with_name("pgwf"))
QUEUES = ["Q1", "Q2", "Q3", "Q4", "Q5"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def client(port: int, token: str, seconds: float, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """One agent: claim the next task, complete it, again, until time is up."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    claim_body = json.dumps({"queues": QUEUES})
    done = errors = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        conn.request("POST", "/tasks/claim-next", claim_body, headers)
        resp = conn.getresponse()
        payload = json.loads(resp.read())
        task = payload.get("task") if resp.status == 200 else None
        if task is None:
            errors += 1
            continue
        conn.request("POST", f"/tasks/{task['task_id']}/complete", '{"outcome": "DONE"}', headers)
        resp = conn.getresponse()
        resp.read()
        if resp.status == 200:
            done += 1
        else:
            errors += 1
    out.put((done, errors))


def start_server(db: str, clients: int) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = dict(os.environ, DATABASE_URL=url(db), PGWF_API_PORT=str(port),
               PGWF_POOL_MAX=str(max(4, clients)), PGWF_LOG_LEVEL="WARNING")
    server = subprocess.Popen([PGWF, "serve"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/health")
            if c.getresponse().status == 200:
                return server, port
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("pgwf serve did not answer /health within 30 s")


def bench_http(port: int, tokens: list[str], seconds: float) -> tuple[float, int]:
    """Pairs per second of len(tokens) client processes for ``seconds``."""
    out: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    procs = [multiprocessing.Process(target=client, args=(port, token, seconds, out))
             for token in tokens]
    started = time.monotonic()
    for p in procs:
        p.start()
    results = [out.get(timeout=seconds + 60) for _ in procs]
    for p in procs:
        p.join(30)
    elapsed = time.monotonic() - started
    return sum(r[0] for r in results) / elapsed, sum(r[1] for r in results)


def bench_wrk(port: int, tokens: list[str], seconds: float) -> tuple[float, int]:
    """The same agents with wrk (C, so the clients hardly take CPU from the server)."""
    cmd = ["wrk", "-t", str(len(tokens)), "-c", str(len(tokens)), "-d", f"{int(seconds)}s",
           "-s", str(HERE / "api" / "claim_complete.lua"), f"http://127.0.0.1:{port}", "--",
           *tokens]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True,
                         timeout=seconds + 60).stdout
    m = re.search(r"pgwf pairs (\d+) refused (\d+) seconds ([0-9.]+)", out)
    if not m:
        raise RuntimeError(out)
    return int(m.group(1)) / float(m.group(3)), int(m.group(2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="pgwf_bench_api")
    parser.add_argument("--seconds", type=int, default=10, help="length of one measurement")
    parser.add_argument("--rounds", type=int, default=3,
                        help="direct and HTTP measurements alternate this many times")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--record", action="store_true")
    parser.add_argument("--python-clients", action="store_true",
                        help="drive the API with Python client processes even when wrk is there")
    args = parser.parse_args()

    recreate(args.db)
    load_world(args.db, open_tasks=100_000, finished_tasks=0)
    with psycopg.connect(url(args.db), autocommit=True) as conn:
        tokens = [conn.execute("SELECT token FROM entitlements.create_api_token(%s)",
                               (f"agent{1 + i % 8}",)).fetchone()[0]  # type: ignore[index]
                  for i in range(args.clients)]
    use_wrk = shutil.which("wrk") is not None and not args.python_clients
    server, port = start_server(args.db, args.clients)
    direct: list[float] = []
    over_http: list[float] = []
    errors = 0
    command = ""
    try:
        # alternate, so a change in the machine's load hits both sides alike
        for _ in range(args.rounds):
            tps, command = pgbench(args.db, ["-c", str(args.clients), "-j", "2", "-T",
                                             str(args.seconds), "-f",
                                             str(SCRIPTS / "claim_complete_tx.sql")])
            direct.append(tps)
            rate, errs = (bench_wrk if use_wrk else bench_http)(port, tokens, args.seconds)
            over_http.append(rate)
            errors += errs
    finally:
        server.terminate()
        server.wait(30)
    ratios = [h / d for h, d in zip(over_http, direct, strict=True)]
    ratio = statistics.median(ratios)
    lines = [
        f"## API claim-next + complete, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"- direct on the database (`{command}`), per round: "
        + ", ".join(f"{d:.0f}" for d in direct) + " pairs/s",
        (f"- through the HTTP API (`pgwf serve`, {args.clients} keep-alive clients: "
         f"{'wrk with bench/api/claim_complete.lua' if use_wrk else 'Python processes'}), "
         "per round: " + ", ".join(f"{h:.0f}" for h in over_http)
         + f" pairs/s ({errors} empty or refused answers)"),
        "- ratio per round: " + ", ".join(f"{r:.2f}" for r in ratios)
        + f"; median **{ratio:.2f}** (target at least 0.40)",
        (f"- machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end; "
         f"`python bench/api_bench.py --seconds {args.seconds} --rounds {args.rounds} "
         f"--clients {args.clients}`"),
        "",
    ]
    print("\n".join(lines))
    if args.record:
        with (HERE / "RESULTS.md").open("a") as f:
            f.write("\n".join(lines) + "\n")
    with psycopg.connect("postgresql:///postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')


if __name__ == "__main__":
    main()
