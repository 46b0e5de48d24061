"""The web UI's component and unit tests (Vitest, ui/src/*.test.tsx), run as
one pytest item so that make test runs them (make ui installs ui/node_modules)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "ui"


def test_vitest_passes() -> None:
    npx = shutil.which("npx")
    assert npx, "npx not found: the UI's tests need Node.js and npm"
    assert (UI / "node_modules" / "vitest").is_dir(), "run make ui first (it runs npm ci)"
    proc = subprocess.run([npx, "--no-install", "vitest", "run"], cwd=UI, capture_output=True,
                          text=True, timeout=300, check=False,
                          env=dict(os.environ, NO_COLOR="1", CI="true"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert " passed" in proc.stdout, proc.stdout
