"""`recursor view TRACE [--html out.html]`: look at a trace in the terminal or as a web page.

TRACE is a trace file, a directory of traces (its newest is shown), a trace id from the default
trace directory (`20250101-120000-abc123`), or `last` for the newest trace there.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from recursor.errors import RecursorError, UserError
from recursor.termsafe import for_terminal
from recursor.trace.writer import default_trace_dir

__all__ = ["resolve_trace", "view"]


def _newest(directory: Path) -> Path:
    traces = sorted(directory.glob("*.jsonl"), key=lambda p: p.stat().st_mtime)
    if not traces:
        raise UserError(f"no traces (*.jsonl) in {directory}")
    return traces[-1]


def resolve_trace(arg: str) -> Path:
    """The trace file that TRACE names (see the module docstring for the accepted forms)."""
    path = Path(arg).expanduser()
    if path.is_file():
        return path
    if path.is_dir():
        return _newest(path)
    base = default_trace_dir()
    if arg in ("last", "latest") and base.is_dir():
        return _newest(base)
    for candidate in (base / arg, base / f"{arg}.jsonl"):
        if candidate.is_file():
            return candidate
    raise UserError(f"no trace at {arg} (nor as a trace id in {base})")


@click.command("view")
@click.argument("trace")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write one self-contained HTML page here instead of opening the terminal viewer.")
def view(trace: str, html_path: Path | None) -> None:
    """Show TRACE: the run tree, each iteration's code and output, sub-calls, tokens, cost, time."""
    from recursor.trace.tree import load_view

    try:
        path = resolve_trace(trace)
        model = load_view(path)
        if html_path is not None:
            from recursor.trace.view_html import render_html

            html_path.parent.mkdir(parents=True, exist_ok=True)
            html_path.write_text(render_html(model), encoding="utf-8")
            click.echo(for_terminal(f"recursor: wrote {html_path} ({len(model.runs)} runs, "
                                    f"{model.totals.calls} LM calls)"), err=True)
            return
        from recursor.trace.view_tui import run_tui

        run_tui(model)
    except (RecursorError, OSError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        click.echo(for_terminal(f"recursor: error: {message}"), err=True)
        sys.exit(1)
