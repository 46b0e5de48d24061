"""Helpers shared by the Python tests: running the real ``pgwf`` command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PGWF = str(Path(sys.executable).with_name("pgwf"))


def run_pgwf(*args: str, url: str | None = None, env: dict[str, str] | None = None,
             timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run ``pgwf ARGS`` as a separate process, the way an operator would."""
    full_env = dict(os.environ)
    if url is not None:
        full_env["DATABASE_URL"] = url
    full_env.update(env or {})
    return subprocess.run([PGWF, *args], check=False, capture_output=True, text=True, env=full_env,
                          timeout=timeout, stdin=subprocess.DEVNULL)
