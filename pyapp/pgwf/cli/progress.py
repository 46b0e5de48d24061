"""Progress of long CLI operations, on stderr so stdout stays what scripts read.

A line for each step (``[2/4] migration 0002_case-routing-tables``) and a
``click.progressbar`` for the many files of one step.  Shown only when stderr
is a terminal and ``--quiet`` was not given.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

quiet_option = click.option("--quiet", "-q", is_flag=True,
                            help="No progress on stderr (also off when stderr is not a terminal).")


def stderr_is_tty() -> bool:
    return sys.stderr.isatty()


class Progress:
    """Draws progress for one command; does nothing when quiet."""

    def __init__(self, quiet: bool) -> None:
        self.shown = not quiet and stderr_is_tty()
        self._bar: Any = None

    def step(self, what: str, number: int, total: int) -> None:
        """One line before step ``number`` of ``total``."""
        self.close()
        if self.shown:
            click.echo(f"[{number}/{total}] {what}", err=True)

    def counter(self, label: str) -> Callable[[int, int], None]:
        """A callback ``(done, total)`` that moves a progress bar labelled ``label``."""

        def advance(done: int, total: int) -> None:
            if not self.shown:
                return
            if self._bar is None:
                self._bar = click.progressbar(length=total, label=label, file=sys.stderr,
                                              show_pos=True)
                self._bar.__enter__()
            self._bar.update(done - self._bar.pos)

        return advance

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None
