"""`recursor export TRACES... --format sft|preference`: traces as training data (see `trace.export`).

Records go to stdout or `--out FILE` (written to a temporary file, 0600 like traces, and
renamed when complete); the summary (runs read, kept, dropped by reason) goes to stderr.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import IO

import click

from recursor.errors import RecursorError
from recursor.termsafe import for_terminal

__all__ = ["export"]


@click.command("export")
@click.argument("traces", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["sft", "preference"]), default="sft", show_default=True,
              help="sft: one chat conversation per run; preference: chosen/rejected pairs per task.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
@click.option("--scores", "scores_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Bench results JSONL (recursor bench --out) linking trace paths to scores.")
@click.option("--min-score", type=float, default=1.0, show_default=True,
              help="Keep runs scoring at least this (sft); the chosen run of a pair must (preference).")
@click.option("--require-score", is_flag=True, help="Drop runs no results row scores (kept by default).")
@click.option("--max-chars", type=click.IntRange(min=0), default=32_000, show_default=True,
              help="Drop a conversation with a message longer than this (0: no bound).")
@click.option("--include-unfinished", is_flag=True,
              help="Keep runs a limit ended (max_iterations, budget), ending in their best answer.")
@click.option("--children", is_flag=True, help="Also export child runs (rlm_query) as conversations (sft).")
@click.option("--no-meta", is_flag=True, help="Leave out the per-record `meta` object.")
@click.option("-v", "--verbose", is_flag=True, help="Name the files and runs dropped (up to 20).")
def export(traces: tuple[Path, ...], fmt: str, out: Path | None, scores_path: Path | None, min_score: float,
           require_score: bool, max_chars: int, include_unfinished: bool, children: bool, no_meta: bool,
           verbose: bool) -> None:
    """Export root trajectories from TRACES (trace files or directories) as chat JSONL for training."""
    from recursor.safetext import dumps
    from recursor.trace.export import ExportOptions, ExportStats, ScoreIndex
    from recursor.trace.export import export as run_export

    stats = ExportStats()
    opts = ExportOptions(min_score=min_score, require_score=require_score, max_chars=max_chars,
                         include_unfinished=include_unfinished, children=children, meta=not no_meta)
    tmp: Path | None = None
    try:
        scores = ScoreIndex.load(scores_path) if scores_path is not None else None
        sink: IO[str]
        if out is not None:
            out.parent.mkdir(parents=True, exist_ok=True)
            tmp = out.with_name(f".{out.name}.tmp{os.getpid()}-{secrets.token_hex(4)}")
            from recursor.private_files import private_file

            sink = os.fdopen(private_file(tmp), "w", encoding="utf-8")
        else:
            sink = sys.stdout
        try:
            for record in run_export(list(traces), fmt=fmt, scores=scores, opts=opts,  # type: ignore[arg-type]
                                     stats=stats):
                # Lone surrogates become U+FFFD: training stacks reject them.
                sink.write(dumps(record, surrogates="replace") + "\n")
        finally:
            if sink is not sys.stdout:
                sink.close()
        if tmp is not None and out is not None:
            os.replace(tmp, out)
            tmp = None
    except (RecursorError, OSError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        click.echo(for_terminal(f"recursor: error: {message}"), err=True)
        sys.exit(1)
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    if verbose:
        for line in stats.notes:
            click.echo(for_terminal(f"recursor: dropped {line}"), err=True)
    for line in stats.summary(fmt).splitlines():  # type: ignore[arg-type]
        click.echo(for_terminal(f"recursor: {line}"), err=True)
    if out is not None:
        click.echo(for_terminal(f"recursor: wrote {out}"), err=True)
