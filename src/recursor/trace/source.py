"""Recorded LM replies as a source the engine consults before calling a model.

`_Tree.call_lm` gives every call a key, (run_id, role, call_seq) where call_seq counts the calls
of that run and role from 1, and the sha256 of the request's messages. A `ReplySource` built from a
trace answers from the recorded call with the same key when its hash matches; when it does
not (concurrent sub-calls may arrive in another order), from an unused recorded call of the
same run and role with the same hash. What happens on a miss is the mode:

- "strict": raise `ReplayDivergence` (replay must reproduce the run exactly);
- "loose": use the call recorded under the key even if the request differs (replaying an old
  trace after prompt wording changed), raise only when nothing was recorded;
- "resume": return None, so the engine goes on live with the real model.

A divergence is sticky: once one happened, every later lookup raises it again, so a
divergence inside a sub-call (which the sandbox turns into an error string for model code)
still ends the replay at the next root call.

Host tool calls are answered the same way (`tool_call`): keyed by (run_id, n-th tool call of
that run), checked against the sha256 of their arguments, in the same modes, so a replay
never runs a tool the recorded run already ran.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from recursor.errors import RecursorError
from recursor.trace.events import Event, LimitEvent, LMCallEvent, ToolCallEvent, parse_event

__all__ = ["RecordedCall", "RecordedToolCall", "ReplayDivergence", "ReplayMode", "ReplySource",
           "recorded_calls", "recorded_tool_calls"]

ReplayMode = Literal["strict", "loose", "resume"]


class ReplayDivergence(RecursorError):
    """A replay asked for a reply the trace does not hold: the run went somewhere else."""


@dataclass(frozen=True, slots=True)
class RecordedCall:
    """One recorded `lm_call` (or `limit`) event, as replay needs it."""

    run_id: str
    role: str
    seq: int
    request_hash: str | None
    kind: Literal["reply", "error", "limit"]
    model: str
    reply: str = ""
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = None
    finish_reason: str | None = None
    error: str | None = None
    """For kind "error": the recorded "ErrorClass: message"."""
    limit: str | None = None
    """For kind "limit": the budget limit that refused or cut the call."""
    detail: str | None = None
    """For kind "limit": what the limit said, so a replay tells model code the same words."""

    @classmethod
    def from_event(cls, event: LMCallEvent | LimitEvent, seq: int) -> RecordedCall:
        limit = event.limit or None  # an lm_call cut short by a limit has one too
        error = event.error if isinstance(event, LMCallEvent) else None
        kind: Literal["reply", "error", "limit"] = (
            "limit" if limit else "error" if error is not None else "reply"
        )
        reply = event if isinstance(event, LMCallEvent) else None
        return cls(
            run_id=event.run_id,
            role=event.role or "root",
            seq=seq,
            request_hash=event.request_hash,
            kind=kind,
            model=event.model,
            reply=(reply.reply if reply else None) or "",
            input_tokens=reply.input_tokens if reply else 0,
            output_tokens=reply.output_tokens if reply else 0,
            cost_usd=reply.cost_usd if reply else None,
            finish_reason=reply.finish_reason if reply else None,
            error=error,
            limit=limit,
            detail=event.detail if limit else None,
        )


def recorded_calls(events: Iterable[dict[str, Any] | Event]) -> list[RecordedCall]:
    """The replayable calls of a trace (decoded lines or parsed events), in file order.

    Traces older than schema v2 have no `call_seq`: it is counted per (run_id, role) in file order,
    which matches call order whenever calls of one run and role did not overlap.
    """
    counters: dict[tuple[str, str], int] = {}
    out: list[RecordedCall] = []
    for raw in events:
        event = parse_event(raw)
        if not isinstance(event, (LMCallEvent, LimitEvent)) or not event.has("run_id"):
            continue
        key = (event.run_id, event.role or "root")
        counters[key] = counters.get(key, 0) + 1
        seq = event.call_seq
        out.append(RecordedCall.from_event(event, seq if seq is not None else counters[key]))
    return out


@dataclass(frozen=True, slots=True)
class RecordedToolCall:
    """One recorded `tool_call` that was made (not one `max_tool_calls` refused), as replay needs it."""

    run_id: str
    seq: int
    name: str
    args_hash: str | None
    result: str | None
    """The result as JSON text; None for a call that failed, or one recorded before results were."""
    error: str | None = None
    limit: str | None = None

    @property
    def replayable(self) -> bool:
        return self.result is not None or self.error is not None


def recorded_tool_calls(events: Iterable[dict[str, Any] | Event]) -> list[RecordedToolCall]:
    """The tool calls a trace records as made, numbered per run in file order (= call order)."""
    counters: dict[str, int] = {}
    out: list[RecordedToolCall] = []
    for raw in events:
        event = parse_event(raw)
        if not isinstance(event, ToolCallEvent) or event.limit == "max_tool_calls":
            continue
        seq = counters[event.run_id] = counters.get(event.run_id, 0) + 1
        out.append(RecordedToolCall(event.run_id, seq, event.name, event.args_hash, event.result,
                                    event.error, event.limit))
    return out


class ReplySource:
    """Answers `_Tree.call_lm` from recorded calls; see the module docstring for the modes."""

    def __init__(self, calls: Iterable[RecordedCall], *, mode: ReplayMode = "strict",
                 origin: Path | str | None = None, tool_calls: Iterable[RecordedToolCall] = ()) -> None:
        self.mode: ReplayMode = mode
        self.origin = str(origin) if origin is not None else None
        self.calls = list(calls)
        self.tool_calls = list(tool_calls)
        self._tools: dict[tuple[str, int], RecordedToolCall] = {(c.run_id, c.seq): c for c in self.tool_calls}
        self._tools_by_args: dict[tuple[str, str, str | None], list[RecordedToolCall]] = {}
        for tool_call in self.tool_calls:
            self._tools_by_args.setdefault((tool_call.run_id, tool_call.name, tool_call.args_hash), []).append(tool_call)
        self.tool_hits = 0
        self._by_key: dict[tuple[str, str, int], RecordedCall] = {}
        self._by_hash: dict[tuple[str, str, str], list[RecordedCall]] = {}
        for call in self.calls:
            self._by_key.setdefault((call.run_id, call.role, call.seq), call)
            if call.request_hash is not None:
                self._by_hash.setdefault((call.run_id, call.role, call.request_hash), []).append(call)
        self._used: set[int] = set()
        self.hits = 0
        self.misses = 0
        self.mismatches = 0
        self.failure: ReplayDivergence | None = None

    def begin(self) -> None:
        """Start a new tree: every recorded call is available again."""
        self._used.clear()
        self.hits = self.misses = self.mismatches = self.tool_hits = 0
        self.failure = None

    def header(self) -> dict[str, Any]:
        """What the new trace's `trace_start` says about where its replies came from."""
        return {"mode": self.mode, "of": self.origin, "recorded_calls": len(self.calls)}

    def lookup(self, run_id: str, role: str, seq: int, req_hash: str) -> RecordedCall | None:
        """The recorded call to reuse for this call, None to go live, or `ReplayDivergence`."""
        if self.failure is not None:
            raise self.failure
        call = self._by_key.get((run_id, role, seq))
        if call is not None and id(call) not in self._used and call.request_hash in (req_hash, None):
            return self._take(call)
        for other in self._by_hash.get((run_id, role, req_hash), ()):
            if id(other) not in self._used:
                return self._take(other)
        if call is not None:
            self.mismatches += 1
        if self.mode == "resume":
            self.misses += 1
            return None
        if self.mode == "loose" and call is not None and id(call) not in self._used:
            return self._take(call)
        self.failure = ReplayDivergence(self._explain(run_id, role, seq, call))
        raise self.failure

    def tool_call(self, run_id: str, seq: int, name: str, args_hash: str) -> RecordedToolCall | None:
        """The recorded outcome of tool call #`seq` of run `run_id`, None to call the tool, or
        `ReplayDivergence`. A call made concurrently may match another one of the same run, tool
        and arguments."""
        if self.failure is not None:
            raise self.failure
        call = self._tools.get((run_id, seq))
        candidates = [call] if call is not None and call.name == name and call.args_hash in (args_hash, None) else []
        candidates += self._tools_by_args.get((run_id, name, args_hash), [])
        if self.mode == "loose" and call is not None and call.name == name:
            candidates.append(call)
        for found in candidates:
            if id(found) not in self._used and found.replayable:
                self._used.add(id(found))
                self.tool_hits += 1
                return found
        if self.mode == "resume":
            return None
        where = f"replay diverged at run {run_id!r}, tool call #{seq} ({name})"
        if call is not None and not call.replayable:
            why = "the trace does not hold its result (recorded before tool results were)"
        elif call is None:
            why = "the recorded run made no such call"
        else:
            why = f"the recorded call was {call.name} with other arguments"
        self.failure = ReplayDivergence(f"{where}: {why}")
        raise self.failure

    def _take(self, call: RecordedCall) -> RecordedCall | None:
        self._used.add(id(call))
        if self.mode == "resume" and call.kind != "reply":
            # A recorded failure or limit says nothing about now: ask the model again.
            self.misses += 1
            return None
        self.hits += 1
        return call

    def _explain(self, run_id: str, role: str, seq: int, call: RecordedCall | None) -> str:
        where = f"run {run_id!r}, {role} call #{seq}"
        origin = f" of {self.origin}" if self.origin else ""
        if call is None:
            return (f"replay diverged at {where}: the recorded run{origin} made no such call "
                    "(it ended earlier or took another path)")
        return (f"replay diverged at {where}: the request differs from the recorded one{origin} "
                "(cell output, prompts or the engine changed); use resume to go on live, or "
                "loose replay to reuse replies anyway")

    @property
    def remaining(self) -> int:
        """Recorded LM calls not used yet."""
        return len(self.calls) - sum(id(c) in self._used for c in self.calls)
