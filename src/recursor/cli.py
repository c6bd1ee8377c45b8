"""The `recursor` command. stdout carries answers only; progress and errors go to stderr.

Exit codes: 0 with an answer (also when a limit ended the run: stderr says which), 1 when
the run failed without an answer or the input was bad (and, with --schema, when no answer
matched the schema: the best one is still printed), 2 for a malformed command line.

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
from recursor.console import fail, note, print_answer, stopped_note
from recursor.context import load_context, read_stream
from recursor.errors import RecursorError, UserError

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="recursor")
def main() -> None:
    """Recursive Language Models: ask questions about contexts far larger than a model's window."""
    from recursor.sandbox.scratch import install_signal_cleanup

    install_signal_cleanup()


@main.command()
@click.argument("question", required=False)
@click.option("--context", "contexts", multiple=True, type=click.Path(path_type=Path),
              help="A file or directory to use as context (repeatable). '-' reads stdin.")
@click.option("--prompt-file", type=click.Path(path_type=Path),
              help="Read the prompt (a document and its question) from this file instead of QUESTION.")
@run_options
@click.option("--api-key-env", help="Environment variable holding the API key (default OPENAI_API_KEY).")
@click.option("--json", "as_json", is_flag=True, help="Print the whole result as JSON instead of the answer.")
@click.option("--schema", "schema_path", type=click.Path(dir_okay=False, path_type=Path),
              help="A JSON Schema file: the answer must be JSON matching it (printed as JSON).")
def ask(question: str | None, contexts: tuple[Path, ...], prompt_file: Path | None, api_key_env: str | None,
        as_json: bool, schema_path: Path | None, **opts: Any) -> None:
    """Answer QUESTION about the given context.

    QUESTION '-' reads the prompt from stdin. A prompt with no --context is its own context: a
    long one (a document followed by its question) goes to the REPL whole and the root model
    sees only its beginning and end.
    """
    from recursor.progress import ProgressLine

    if (question is None) == (prompt_file is None):
        raise click.UsageError("give QUESTION ('-' for stdin) or --prompt-file FILE, not both or neither")
    stdin_uses = (question == "-") + (str(prompt_file) == "-") + any(str(p) == "-" for p in contexts)
    if stdin_uses > 1:
        raise click.UsageError("stdin can be the prompt or the context, not both")
    try:
        schema = _read_schema(schema_path) if schema_path is not None else None
        prompt = _read_prompt(question, prompt_file)
        context = _read_contexts(contexts)
        progress = ProgressLine()
        rlm = build_rlm(opts, api_key_env=api_key_env, on_event=progress)
        try:
            result = rlm.complete(prompt, context, output_type=schema)
        finally:
            progress.close()
    except RecursorError as exc:
        fail(str(exc))
        return
    if result.stopped_by == "lm_error" and not result.answer:
        fail(f"the model service failed: {result.error}")
    stopped_note(result.stopped_by, result.answer)
    if result.trace_path is not None:
        note(f"trace: {result.trace_path}")
    if as_json:
        click.echo(json.dumps(_result_dict(result), indent=2))  # ASCII: exact, and terminal-safe
    else:
        print_answer(result.answer)
    if schema is not None and result.output is None:
        fail("no answer matched the schema (the best answer is printed above)")


def _read_schema(path: Path) -> dict[str, Any]:
    """A JSON Schema file, checked before any model is called."""
    from recursor.output import check_schema

    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UserError(f"cannot read the schema {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise UserError(f"the schema {path} is not JSON: {exc}") from None
    check_schema(schema)
    return schema


def _read_prompt(question: str | None, prompt_file: Path | None) -> str:
    """QUESTION itself, or the whole of stdin ('-') or of --prompt-file, under the context caps."""
    source = "-" if question == "-" else str(prompt_file) if prompt_file is not None else None
    if source is None:
        return question or ""
    if source == "-":
        text = read_stream(sys.stdin.buffer, "stdin")
    else:
        if not os.path.lexists(source):
            raise UserError(f"prompt file does not exist: {source}")
        loaded = load_context(Path(source))
        if not isinstance(loaded, str):
            raise UserError(f"--prompt-file must be a file, not a directory: {source}")
        text = loaded
    if not text.strip():
        raise UserError(f"the prompt from {'stdin' if source == '-' else source} is empty")
    return text


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
        "output": json.loads(result.answer) if result.output is not None else None,
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
    from recursor.batch.cli import batch
    from recursor.bench.cli import bench
    from recursor.local.cli import models
    from recursor.mcp_server.cli import mcp
    from recursor.replay_cli import replay, resume
    from recursor.serve.cli import serve
    from recursor.trace.export_cli import export
    from recursor.trace.view_cli import view

    main.add_command(batch)
    main.add_command(bench)
    main.add_command(export)
    main.add_command(mcp)
    main.add_command(models)
    main.add_command(replay)
    main.add_command(resume)
    main.add_command(serve)
    main.add_command(view)


_register_subcommands()

if __name__ == "__main__":
    main()
