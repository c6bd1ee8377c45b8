"""A trace read back as the questions it answered: what replay, resume and a session's resume use.

Replay and resume (`recursor.replay`) and `rlm.session(resume=TRACE)` (`recursor.session`) need
the same things from a trace: its depth-0 runs in order ("root" for `RLM.complete`, "q1",
"q2", ... for a session), each with its question, the context it brought (from the blob
store, checked against its recorded sha256), its cells and recorded answer; and the recorded
LM replies and tool results as one `ReplySource`. They are read here, once, so the two can
never disagree about what a trace holds.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from recursor.budget import Limits
from recursor.context import ContextValue, content_hash
from recursor.errors import UserError
from recursor.profiles import Mode
from recursor.sandbox.base import SandboxOptions
from recursor.trace.events import (
    CellEvent,
    ContextEvent,
    Event,
    RunEndEvent,
    RunStartEvent,
    parse_events,
)
from recursor.trace.reader import read_events
from recursor.trace.source import (
    RecordedCall,
    ReplayMode,
    ReplySource,
    recorded_calls,
    recorded_tool_calls,
)

__all__ = ["RecordedQuestion", "Recording"]

_QUESTION_ID = re.compile(r"root|q[0-9]+")
"""Run ids of depth-0 runs: the root of `RLM.complete`, or a session's questions."""


@dataclass
class RecordedQuestion:
    """One depth-0 run of a trace: the root run of `RLM.complete`, or one question of a session."""

    start: RunStartEvent
    end: RunEndEvent | None = None
    """None when the run did not finish (killed, crashed)."""
    context: ContextEvent | None = None
    """The context this question brought; None for a session question that brought none."""
    cells: list[CellEvent] = field(default_factory=list)
    """The run's own cells in order (not its children's), without those a limit stopped."""

    @property
    def run_id(self) -> str:
        return self.start.run_id

    @property
    def question(self) -> str:
        return self.start.question

    @property
    def answer(self) -> str | None:
        return None if self.end is None else self.end.answer

    @property
    def context_name(self) -> str:
        """The REPL variable the context became: "context", or a session's "context_1", ..."""
        return (self.context.name if self.context is not None else None) or "context"


def _questions(events: list[Event]) -> list[RecordedQuestion]:
    questions: dict[str, RecordedQuestion] = {}
    for event in events:
        if (isinstance(event, RunStartEvent) and event.depth == 0 and _QUESTION_ID.fullmatch(event.run_id)
                and event.run_id not in questions):
            questions[event.run_id] = RecordedQuestion(event)
        q = questions.get(getattr(event, "run_id", ""))
        if q is None:
            continue
        if isinstance(event, RunEndEvent) and q.end is None:
            q.end = event
        elif isinstance(event, ContextEvent) and q.context is None:
            first = not any(r.context for r in questions.values())
            if first or event.name:  # the worker's own event again after a resume is no new context
                q.context = event
        elif isinstance(event, CellEvent) and event.limit is None:
            q.cells.append(event)
    return list(questions.values())


@dataclass
class Recording:
    """A trace file read back: its questions, configuration and recorded calls."""

    path: Path
    events: list[Event] = field(repr=False)
    questions: list[RecordedQuestion] = field(repr=False)

    @classmethod
    def load(cls, path: Path | str) -> Recording:
        path = Path(path)
        events = parse_events(read_events(path))
        questions = _questions(events)
        if not questions:
            raise UserError(f"{path} holds no root run_start event (nor a session's q1): "
                            "not a recursor trace, or empty")
        return cls(path=path, events=events, questions=questions)

    @property
    def is_session(self) -> bool:
        """Recorded by a session (`RLM.session()`): questions "q1", "q2", ... in one REPL."""
        return self.questions[0].run_id != "root"

    @cached_property
    def header(self) -> dict[str, Any]:
        """The trace header (schema, versions, model clients); empty for schema v1 traces."""
        for event in self.events:
            if isinstance(event, RunStartEvent) and event.header is not None:
                return dict(event.header)
        return {}

    @property
    def root_start(self) -> RunStartEvent:
        """The first question's run_start: it carries the tree's limits and sandbox."""
        return self.questions[0].start

    @property
    def root_end(self) -> RunEndEvent | None:
        """The last question's run_end (its totals are the whole trace's), None if it did not finish."""
        return self.questions[-1].end

    @property
    def question(self) -> str:
        return self.questions[0].question

    @property
    def answer(self) -> str | None:
        """The last question's recorded answer."""
        return self.questions[-1].answer

    @property
    def finished(self) -> bool:
        return all(q.end is not None for q in self.questions)

    def limits(self) -> Limits:
        known = {k: v for k, v in self.root_start.limits.items() if k in Limits.__dataclass_fields__}
        return Limits(**known)

    def sandbox(self) -> SandboxOptions:
        known = {k: v for k, v in self.root_start.sandbox.items() if k in SandboxOptions.__dataclass_fields__}
        return SandboxOptions(**known)

    def mode(self) -> Mode:
        """How the recorded run answered: "direct" or "rlm" (traces before modes: "rlm")."""
        return "direct" if self.root_start.mode == "direct" else "rlm"

    def model_names(self) -> tuple[str, str]:
        """The recorded (root, sub) model names."""
        root = self.root_start.root_model or "recorded"
        return root, self.root_start.sub_model or root

    def describe_model(self, which: Literal["root_model", "sub_model"]) -> dict[str, Any]:
        described = self.header.get(which)
        return dict(described) if isinstance(described, dict) else {}

    def calls(self) -> list[RecordedCall]:
        return recorded_calls(self.events)

    def reply_source(self, mode: ReplayMode) -> ReplySource:
        """The recorded replies and tool results, to answer a new run's calls from (`trace.source`)."""
        return ReplySource(self.calls(), mode=mode, origin=self.path, tool_calls=recorded_tool_calls(self.events))

    def context(self) -> ContextValue:
        """The first question's context (the root's), verified against its recorded sha256."""
        event = self.questions[0].context
        if event is None:
            raise UserError(
                f"{self.path} holds no context event for the root run (it was killed before the "
                "context was stored); start the run again instead"
            )
        return self.stored_context(event)

    def stored_context(self, event: ContextEvent) -> ContextValue:
        """A context back from the trace's blob store, checked against its recorded sha256."""
        recorded = Path(event.path)
        candidates = [self.path.parent / "blobs" / recorded.name, recorded]
        blob = next((p for p in candidates if p.is_file()), None)
        if blob is None:
            raise UserError(f"the context blob {recorded.name} of {self.path} is missing: "
                            f"looked for {candidates[0]}")
        with blob.open(encoding="utf-8", errors="surrogatepass", newline="") as fh:
            value: Any = fh.read() if (event.value_kind or "str") == "str" else json.load(fh)
        if content_hash(value) != event.sha256:
            raise UserError(f"context blob {blob} does not match the sha256 recorded in {self.path}")
        return value
