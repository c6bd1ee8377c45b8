"""Replay a recorded run (or session) from its trace, or resume one that was killed.

Both re-run the loop for real (a fresh worker runs every recorded cell again, which is how the
REPL state comes back) while a `ReplySource` built from the trace answers the LM calls:

- `replay_trace`: every reply must come from the trace (mode "strict"; "loose" tolerates
  changed requests). No model is ever called: the models are `RecordedOnlyLM` stand-ins.
- `resume_trace`: recorded replies are reused as long as the run asks the same questions;
  the first call the trace cannot answer, and everything after it, goes to the live models
  (given, or rebuilt from the specs the trace recorded).

The context comes from the trace's blob store and is checked against its recorded sha256.
Cells are executed again, so side effects of model code (files written) happen again.

A session's trace (questions "q1", "q2", ...) is asked again in a new session, question by
question, each with the context it brought; the run ids match, so each call finds its reply.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from recursor.budget import Limits
from recursor.errors import UserError
from recursor.lm.base import LM, LMResponse, Message
from recursor.prompts import Prompts
from recursor.replay_setup import tools_as_recorded, typed_as_recorded
from recursor.sandbox.base import SandboxOptions
from recursor.trace.recording import Recording
from recursor.trace.source import ReplayDivergence, ReplySource
from recursor.trace.writer import EventSink

__all__ = [
    "RecordedOnlyLM",
    "Recording",
    "ReplayDivergence",
    "ReplayOutcome",
    "areplay_trace",
    "aresume_trace",
    "replay_trace",
    "resume_trace",
]


class RecordedOnlyLM(LM):
    """Stands in for a model during replay: any call that reaches it is a divergence."""

    def __init__(self, model: str) -> None:
        self.model = model

    async def complete(self, messages: Sequence[Message], *, max_tokens: int | None = None) -> LMResponse:
        raise ReplayDivergence(
            f"replay needed a reply from {self.model!r} that the trace does not hold; "
            "replay never calls a model (use resume to go on live)"
        )

    def with_model(self, model: str) -> LM:
        return RecordedOnlyLM(model)


@dataclass(frozen=True, slots=True)
class ReplayOutcome:
    """A replayed or resumed trace, and how much of it came from the trace."""

    result: Any
    """The new run's `recursor.rlm.Result` (its trace marks reused replies `cached: true`); for
    a session trace, the last question's."""
    recorded_answer: str | None
    """The answer the recorded run (a session: its last question) gave; None if it never finished."""
    reused: int
    """LM calls answered from the trace."""
    live: int
    """LM calls that went to a model (always 0 for replay)."""
    mismatches: int
    """Calls whose request differed from the one recorded under the same key."""
    results: tuple[Any, ...] = ()
    """Every question's `Result` in order: one for an `RLM.complete` trace, one per question of a
    session's."""
    recorded_answers: tuple[str | None, ...] = ()
    """What each question recorded as its answer, in the same order."""
    tools_reused: int = 0
    """Host tool calls answered from the trace (the tool was not called again)."""
    notes: tuple[str, ...] = ()
    """Where the replay could not do exactly what the recorded run did, and what it did instead."""

    def differing(self) -> list[int]:
        """Indexes of the questions whose new answer differs from a recorded one (a typed
        answer is compared as JSON: its text depends on who dumped it)."""
        return [i for i, (result, recorded) in enumerate(zip(self.results, self.recorded_answers, strict=True))
                if recorded is not None and not _same_answer(recorded, result)]

    @property
    def same_answer(self) -> bool:
        """Every recorded answer came out again (and the last question had one)."""
        return self.recorded_answer is not None and not self.differing()


def _same_answer(recorded: str, result: Any) -> bool:
    if recorded == result.answer:
        return True
    if result.output is None:
        return False
    try:
        return bool(json.loads(recorded) == json.loads(result.answer))
    except ValueError:
        return False


async def areplay_trace(
    path: Path | str,
    *,
    mode: Literal["strict", "loose"] = "strict",
    trace_dir: Path | str | Literal[False] | None = None,
    sandbox: SandboxOptions | None = None,
    prompts: Prompts | None = None,
    on_event: EventSink | None = None,
    output_type: Any = None,
) -> ReplayOutcome:
    """Run a recorded run again from its recorded replies only; no model is called.

    Raises `ReplayDivergence` when the run asks for something the trace does not hold. The
    deadline is not re-applied (replay is faster than the original); a recorded timeout is
    replayed as the limit it was. A typed run is checked against the JSON Schema it recorded;
    `output_type` (the run's own pydantic model or dataclass, with that schema) checks with
    the type itself, as the recorded run did.
    """
    from dataclasses import replace

    from recursor.rlm import RLM

    rec = Recording.load(path)
    source = rec.reply_source(mode)
    root_name, sub_name = rec.model_names()
    root = RecordedOnlyLM(root_name)
    rlm = RLM(root, sub_model=root if sub_name == root_name else RecordedOnlyLM(sub_name),
              limits=replace(rec.limits(), timeout=None), sandbox=sandbox or rec.sandbox(),
              trace_dir=trace_dir, prompts=prompts, on_event=on_event, reply_source=source,
              mode=rec.mode(), tools=tools_as_recorded(rec, None, live=False))
    notes: list[str] = []
    try:
        results = await _ask_again(rec, rlm, source, output_type, notes)
    except ReplayDivergence as exc:
        if not notes:
            raise
        raise ReplayDivergence(f"{exc}; note: {'; '.join(notes)}") from None
    return _outcome(rec, results, source, notes, live=0)


async def aresume_trace(
    path: Path | str,
    *,
    model: LM | str | None = None,
    sub_model: LM | str | None = None,
    base_url: str | None = None,
    api_key_env: str | None = None,
    limits: Limits | None = None,
    trace_dir: Path | str | Literal[False] | None = None,
    sandbox: SandboxOptions | None = None,
    prompts: Prompts | None = None,
    on_event: EventSink | None = None,
    output_type: Any = None,
    tools: Sequence[Any] | None = None,
) -> ReplayOutcome:
    """Continue a recorded (typically killed) run: reuse its replies, then go on live.

    `model` / `sub_model` default to the clients the trace recorded (rebuilt from their spec
    and base URL; keys come from the environment as usual). `limits` default to the recorded
    ones; the deadline, if any, counts from the resume. Recorded tool calls get their recorded
    results; `tools` (the run's own) serve the calls made live, which otherwise fail in the cell.
    """
    from recursor.rlm import RLM

    rec = Recording.load(path)
    source = rec.reply_source("resume")
    built: list[LM] = []
    root = _live_model(rec, "root_model", model, base_url, api_key_env, built)
    if sub_model is None and rec.describe_model("sub_model") == rec.describe_model("root_model"):
        sub = root
    else:
        sub = _live_model(rec, "sub_model", sub_model, base_url, api_key_env, built)
    rlm = RLM(root, sub_model=sub, limits=limits or rec.limits(), sandbox=sandbox or rec.sandbox(),
              trace_dir=trace_dir, prompts=prompts, on_event=on_event, reply_source=source, mode=rec.mode(),
              tools=tools_as_recorded(rec, tools, live=True))
    notes: list[str] = []
    try:
        results = await _ask_again(rec, rlm, source, output_type, notes)
    finally:
        for lm in built:
            await lm.aclose()
    calls = sum(r.usage.total.calls for r in results)
    return _outcome(rec, results, source, notes, live=max(0, calls - source.hits))


async def _ask_again(rec: Recording, rlm: Any, source: ReplySource, output_type: Any,
                     notes: list[str]) -> list[Any]:
    """Ask what the trace recorded again, with `rlm` answering from `source`: the one question of
    an `RLM.complete` trace, or a session's questions in order in a new session."""
    if not rec.is_session:
        q = rec.questions[0]
        results = [await rlm.acomplete(q.question, rec.context(), **typed_as_recorded(rec, q, output_type, notes))]
    else:
        results = []
        async with rlm.session() as session:
            for q in rec.questions:
                context = None if q.context is None else await asyncio.to_thread(rec.stored_context, q.context)
                typed = typed_as_recorded(rec, q, output_type, notes)
                results.append(await session.aask(q.question, context, **typed))
                if source.failure is not None:
                    break
    if source.failure is not None and source.mode != "resume":
        raise source.failure  # a divergence inside a sub-call, turned into an error string there
    return results


def _outcome(rec: Recording, results: list[Any], source: ReplySource, notes: list[str], *,
             live: int) -> ReplayOutcome:
    recorded = tuple(q.answer for q in rec.questions[: len(results)])
    return ReplayOutcome(result=results[-1], recorded_answer=rec.answer, reused=source.hits, live=live,
                         mismatches=source.mismatches, results=tuple(results), recorded_answers=recorded,
                         tools_reused=source.tool_hits, notes=tuple(notes))


def _live_model(rec: Recording, which: Literal["root_model", "sub_model"], given: LM | str | None,
                base_url: str | None, api_key_env: str | None, built: list[LM]) -> LM:
    """The model to go on with: the one given, else the client the trace recorded.

    Clients built here are appended to `built` so the caller closes them (never the caller's own).
    """
    from recursor.lm.resolve import resolve_lm

    if isinstance(given, LM):
        return given
    if isinstance(given, str):
        lm = resolve_lm(given, base_url=base_url, api_key_env=api_key_env)
    else:
        described = rec.describe_model(which)
        spec = described.get("spec")
        if not spec:
            client = described.get("client", "an unknown client")
            raise UserError(
                f"the trace's {which.replace('_', ' ')} ({client}) cannot be rebuilt from the trace; "
                "name the model to continue with (--model / --sub-model)"
            )
        kwargs: dict[str, Any] = {"base_url": base_url or described.get("base_url")}
        key_env = api_key_env or described.get("api_key_env")
        if key_env:
            kwargs["api_key_env"] = key_env
        lm = resolve_lm(str(spec), **kwargs)
    built.append(lm)
    return lm


def replay_trace(path: Path | str, **kw: Any) -> ReplayOutcome:
    """Blocking form of `areplay_trace`."""
    return asyncio.run(areplay_trace(path, **kw))


def resume_trace(path: Path | str, **kw: Any) -> ReplayOutcome:
    """Blocking form of `aresume_trace`."""
    return asyncio.run(aresume_trace(path, **kw))
