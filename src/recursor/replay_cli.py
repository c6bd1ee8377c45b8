"""`recursor replay` and `recursor resume`: run a recorded trace again, or finish a killed run.

Same conventions as `recursor ask`: the answer on stdout, notes and errors on stderr, exit 0
with an answer, 1 on failure (for replay: also when the run diverged from the recording).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from recursor.console import fail, note, print_answer, stopped_note
from recursor.errors import RecursorError
from recursor.sandbox.base import SandboxOptions

__all__ = ["replay", "resume"]

_ISOLATION = click.Choice(["auto", "bwrap", "process", "inprocess"])


def _sandbox(recorded: SandboxOptions, isolation: str | None) -> SandboxOptions:
    return replace(recorded, isolation=isolation) if isolation else recorded  # type: ignore[arg-type]


def _print(outcome: Any, as_json: bool) -> None:
    """The answer on stdout (a session trace: each question's, in order), or all of it as JSON."""
    result = outcome.result
    for text in outcome.notes:
        note(text)
    if result.trace_path is not None:
        note(f"trace: {result.trace_path}")
    if as_json:
        click.echo(json.dumps({
            "answer": result.answer,
            "stopped_by": result.stopped_by,
            "iterations": result.iterations,
            "usage": result.usage.to_dict(),
            "trace_path": str(result.trace_path) if result.trace_path else None,
            "recorded_answer": outcome.recorded_answer,
            "reused": outcome.reused,
            "live": outcome.live,
            "mismatches": outcome.mismatches,
            "tools_reused": outcome.tools_reused,
            "answers": [r.answer for r in outcome.results],
            "recorded_answers": list(outcome.recorded_answers),
        }, indent=2))
    else:
        for each in outcome.results:
            print_answer(each.answer)


@click.command()
@click.argument("trace", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--loose", is_flag=True,
              help="Reuse the reply recorded for each call even if the request changed (e.g. new prompts).")
@click.option("--isolation", type=_ISOLATION, help="Override the recorded sandbox isolation.")
@click.option("--trace-dir", type=click.Path(path_type=Path), help="Where to write the replay's own trace.")
@click.option("--no-trace", is_flag=True, help="Write no trace for the replay.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def replay(trace: Path, loose: bool, isolation: str | None, trace_dir: Path | None, no_trace: bool,
           as_json: bool) -> None:
    """Run the recorded run in TRACE again from its recorded LM replies, with no model calls."""
    from recursor.replay import Recording, replay_trace

    try:
        sandbox = _sandbox(Recording.load(trace).sandbox(), isolation)
        outcome = replay_trace(trace, mode="loose" if loose else "strict", sandbox=sandbox,
                               trace_dir=False if no_trace else trace_dir)
    except RecursorError as exc:
        fail(str(exc))
        return
    _print(outcome, as_json)
    note(f"replayed {outcome.reused} recorded replies"
         + (f", {outcome.mismatches} with changed requests" if outcome.mismatches else "")
         + (f" and {outcome.tools_reused} tool results" if outcome.tools_reused else "")
         + (f" over {len(outcome.results)} questions" if len(outcome.results) > 1 else ""))
    differing = outcome.differing()
    if differing:
        which = "" if len(outcome.results) == 1 else f" of question {differing[0] + 1}"
        fail(f"the replayed answer{which} differs from the recorded one")
    if outcome.recorded_answer is None:
        note("the recorded run never finished; nothing to compare with")


@click.command()
@click.argument("trace", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--model", help="Root model to go on with (default: the one the trace recorded).")
@click.option("--sub-model", help="Sub-model to go on with (default: the one the trace recorded).")
@click.option("--base-url", help="An OpenAI-compatible endpoint (default: the recorded one).")
@click.option("--api-key-env", help="Environment variable holding the API key (default: the recorded name).")
@click.option("--retries", type=click.IntRange(min=0), help="Retries per LM call (with --model).")
@click.option("--max-usd", type=click.FloatRange(min=0, min_open=True), help="New spending limit (replaces the recorded one).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), help="New wall-clock limit in seconds, from now.")
@click.option("--isolation", type=_ISOLATION, help="Override the recorded sandbox isolation.")
@click.option("--trace-dir", type=click.Path(path_type=Path), help="Where to write the resumed run's trace.")
@click.option("--no-trace", is_flag=True, help="Write no trace.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def resume(trace: Path, model: str | None, sub_model: str | None, base_url: str | None,
           api_key_env: str | None, retries: int | None, max_usd: float | None, timeout: float | None,
           isolation: str | None, trace_dir: Path | None, no_trace: bool, as_json: bool) -> None:
    """Continue the (killed) run in TRACE: reuse its recorded replies, then go on live."""
    from recursor.cli_options import build_lm
    from recursor.progress import ProgressLine
    from recursor.replay import Recording, resume_trace

    progress = ProgressLine()
    try:
        rec = Recording.load(trace)
        limits = rec.limits()
        if max_usd is not None:
            limits = replace(limits, max_usd=max_usd)
        if timeout is not None:
            limits = replace(limits, timeout=timeout)
        root = build_lm(model, base_url=base_url, api_key_env=api_key_env, retries=retries) if model else None
        sub = (build_lm(sub_model, base_url=base_url, api_key_env=api_key_env, retries=retries)
               if sub_model else None)
        try:
            outcome = resume_trace(trace, model=root, sub_model=sub, base_url=base_url,
                                   api_key_env=api_key_env, limits=limits,
                                   sandbox=_sandbox(rec.sandbox(), isolation),
                                   trace_dir=False if no_trace else trace_dir, on_event=progress)
        finally:
            progress.close()
    except RecursorError as exc:
        fail(str(exc).splitlines()[0])
        return
    result = outcome.result
    if result.stopped_by == "lm_error" and not result.answer:
        fail(f"the model service failed: {result.error}")
    stopped_note(result.stopped_by, result.answer)
    note(f"reused {outcome.reused} recorded replies, made {outcome.live} live calls")
    _print(outcome, as_json)
