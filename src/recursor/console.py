"""What the commands print: model text on stdout, one-line notes on stderr, never raw escapes.

Every command that shows an answer or a note goes through here, so a reply that carries
terminal control sequences (a clipboard write, a screen clear) cannot reach a terminal,
while a pipe or a file still gets the exact text.
"""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from recursor.safetext import utf8
from recursor.termsafe import for_terminal

__all__ = ["fail", "note", "print_answer", "stopped_note"]


def note(message: str) -> None:
    """One line on stderr; it may quote model or provider text, so it is made terminal-safe."""
    click.echo(for_terminal(f"recursor: {message}"), err=True)


def fail(message: str) -> NoReturn:
    """The first line of `message` as an error on stderr, then exit 1."""
    note(f"error: {message.splitlines()[0] if message else 'failed'}")
    sys.exit(1)


def stopped_note(stopped_by: str, answer: str) -> None:
    """Say on stderr that a run ended on a limit, and whether it has an answer to print: an
    empty line on stdout alone reads as an answer that is blank."""
    if stopped_by != "final":
        found = "printing the best answer found" if answer.strip() else "no answer was found"
        note(f"stopped by {stopped_by}; {found}")


def print_answer(text: str) -> None:
    """Model text on stdout: escaped for a terminal, exact (UTF-8) for a pipe or file."""
    shown = for_terminal(text) if sys.stdout.isatty() else text
    click.echo(utf8(shown + "\n"), nl=False)
