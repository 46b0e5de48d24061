"""``pgwf demo load``: a small organisation with work waiting, to try pgwf on."""

from __future__ import annotations

import click

from pgwf import db, demo
from pgwf.cli.progress import Progress, quiet_option


@click.group("demo")
def demo_group() -> None:
    """Demo data."""


@demo_group.command("load")
@quiet_option
def demo_load(quiet: bool) -> None:
    """Load the demo data (idempotent: loading twice changes nothing).

    Departments, users (alice, bob, carol, dave, erin), roles with validity
    windows, queues, open tasks, one automation workflow with a run, and the
    OneCMS example process with two cases.  Progress goes to stderr on a
    terminal.
    """
    progress = Progress(quiet)
    counts = demo.load(db.get("admin", pooled=False),
                       on_step=lambda what, n, total: progress.step(f"demo {what}", n, total))
    click.echo("demo data loaded: " + ", ".join(f"{k.replace('_', ' ')} {v}"
                                                for k, v in counts.items()))
