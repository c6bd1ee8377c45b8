"""The `recursor` command. stdout carries answers only; progress and errors go to stderr.

Exit codes: 0 with an answer (also when a limit ended the run: stderr says which), 1 when
the run failed without an answer or the input was bad, 2 for a malformed command line.

The answer is model text. On a terminal it is shown through `for_terminal` (control sequences
made visible); piped, it is written exactly, as UTF-8 (a lone surrogate, which UTF-8 cannot
hold, becomes U+FFFD); `--json` is ASCII JSON, exact and safe anywhere. stderr always goes
through `for_terminal`.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from recursor.cli_options import build_rlm, run_options
from recursor.console import fail, note, print_answer
from recursor.context import read_stream
from recursor.errors import RecursorError, UserError

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="recursor")
def main() -> None:
    """Recursive Language Models: ask questions about contexts far larger than a model's window."""
    from recursor.sandbox.scratch import install_signal_cleanup

    install_signal_cleanup()


@main.command()
@click.argument("question")
@click.option("--context", "contexts", multiple=True, type=click.Path(path_type=Path),
              help="A file or directory to use as context (repeatable). '-' reads stdin.")
@run_options
@click.option("--api-key-env", help="Environment variable holding the API key (default OPENAI_API_KEY).")
@click.option("--json", "as_json", is_flag=True, help="Print the whole result as JSON instead of the answer.")
def ask(question: str, contexts: tuple[Path, ...], api_key_env: str | None, as_json: bool, **opts: Any) -> None:
    """Answer QUESTION about the given context."""
    from recursor.progress import ProgressLine

    try:
        context = _read_contexts(contexts)
        progress = ProgressLine()
        rlm = build_rlm(opts, api_key_env=api_key_env, on_event=progress)
        try:
            result = rlm.complete(question, context)
        finally:
            progress.close()
    except RecursorError as exc:
        fail(str(exc))
        return
    if result.stopped_by == "lm_error" and not result.answer:
        fail(f"the model service failed: {result.error}")
    if result.stopped_by != "final":
        note(f"stopped by {result.stopped_by}; printing the best answer found")
    if result.trace_path is not None:
        note(f"trace: {result.trace_path}")
    if as_json:
        click.echo(json.dumps(_result_dict(result), indent=2))  # ASCII: exact, and terminal-safe
    else:
        print_answer(result.answer)


def _read_contexts(paths: tuple[Path, ...]) -> Any:
    if not paths:
        return None
    if len(paths) == 1 and str(paths[0]) == "-":
        return read_stream(sys.stdin.buffer, "stdin")
    for path in paths:
        if not os.path.lexists(path):  # a broken link or a loop is load_context's to explain
            raise UserError(f"context path does not exist: {path}")
    return paths[0] if len(paths) == 1 else list(paths)


def _result_dict(result: Any) -> dict[str, Any]:
    return {
        "answer": result.answer,
        "stopped_by": result.stopped_by,
        "mode": result.mode,
        "iterations": result.iterations,
        "wall_time": round(result.wall_time, 3),
        "usage": result.usage.to_dict(),
        "trace_path": str(result.trace_path) if result.trace_path else None,
        "error": result.error,
    }


@main.command()
def doctor() -> None:
    """Show which isolation this machine gives the REPL worker, checked by starting workers."""
    import asyncio
    import warnings

    from recursor.errors import SandboxError
    from recursor.sandbox.isolation import SandboxWarning, bwrap_works, detect
    from recursor.sandbox.process import probe

    click.echo(f"default isolation (--isolation auto): {detect('auto').mode}")
    if not bwrap_works():
        click.echo("bubblewrap: not usable here; install it (apt-get install bubblewrap) for full isolation")
    for mode in ("bwrap", "process") if bwrap_works() else ("process",):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", SandboxWarning)  # the report below says it all
                report, seconds = asyncio.run(probe(mode))
        except SandboxError as exc:
            click.echo(f"\n{mode}: cannot start a worker: {exc}")
            continue
        click.echo(f"\n{mode} (a worker started in {seconds * 1000:.0f} ms):")
        for item in report.protections:
            click.echo(f"  [x] {item}")
        for item in report.missing:
            click.echo(f"  [ ] {item}")
        for line in report.notes:
            click.echo(f"  note: {line}")
    click.echo("\ninprocess (opt-in, for debugging): no isolation and no limits at all")


def _register_subcommands() -> None:
    from recursor.bench.cli import bench
    from recursor.local.cli import models
    from recursor.mcp_server.cli import mcp
    from recursor.serve.cli import serve
    from recursor.trace.cli import replay, resume
    from recursor.trace.view_cli import view

    main.add_command(bench)
    main.add_command(mcp)
    main.add_command(models)
    main.add_command(replay)
    main.add_command(resume)
    main.add_command(serve)
    main.add_command(view)


_register_subcommands()

if __name__ == "__main__":
    main()
