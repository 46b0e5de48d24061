"""``pgwf demo load``: a small organisation with work waiting, to try pgwf on."""

from __future__ import annotations

import click

from pgwf import db, demo


@click.group("demo")
def demo_group() -> None:
    """Demo data."""


@demo_group.command("load")
def demo_load() -> None:
    """Load the demo data (idempotent: loading twice changes nothing).

    Departments, users (alice, bob, carol, dave, erin), roles with validity
    windows, queues, open tasks and one automation workflow.
    """
    counts = demo.load(db.get("admin", pooled=False))
    click.echo("demo data loaded: " + ", ".join(f"{k.replace('_', ' ')} {v}"
                                                for k, v in counts.items()))
