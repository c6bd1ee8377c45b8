"""What every run of one `RLM.acomplete` call shares: the ledger, usage, trace and call path.

One `RunTree` per question. The root run and every child run it starts hold the same tree, so
limits, usage tables and the trace cover the whole recursion by construction.
"""

from __future__ import annotations

import itertools
import logging
import tempfile
import time
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any, Literal, Protocol

from recursor.budget import Limits, UsageSummary
from recursor.calls import (
    CacheLayer,
    CallPipeline,
    DeadlineLayer,
    LedgerLayer,
    LMCall,
    ReplayLayer,
    RetryLayer,
    SlotLayer,
    TraceLayer,
    UsageLayer,
)
from recursor.evidence import EvidenceItem, select
from recursor.ledger import Ledger
from recursor.lm.base import LM, LMResponse, Message
from recursor.lm.cache import ReplyCache
from recursor.pricing import Pricing
from recursor.prompts import Prompts
from recursor.sandbox.base import Read, SandboxOptions
from recursor.tools import Toolbox, ToolSet
from recursor.trace import events as ev
from recursor.trace.config import trace_header
from recursor.trace.source import ReplySource
from recursor.trace.writer import EventSink, TraceWriter, new_trace_id

__all__ = ["RunTree", "TreeConfig"]

log = logging.getLogger("recursor")


class TreeConfig(Protocol):
    """What a tree needs of its `RLM` (which satisfies this as it is)."""

    root_lm: LM
    sub_lm: LM
    models: dict[str, LM]
    limits: Limits
    sandbox: SandboxOptions
    prompts: Prompts
    pricing: Pricing
    trace_dir: Path | None
    on_event: EventSink | None
    cache: ReplyCache | None
    reply_source: ReplySource | None
    tools: Toolbox


class RunTree:
    """State shared by every run of one question: the ledger, usage, trace and call pipeline."""

    def __init__(self, config: TreeConfig, *, trace_path: Path | None = None) -> None:
        """`trace_path` appends to that trace (a resumed session) instead of a new one in `trace_dir`."""
        self.config = config
        self.limits = config.limits
        self.ledger = Ledger(config.limits)
        self.usage = UsageSummary()
        self.tools = ToolSet(config.tools, ledger=self.ledger, emit=self.emit,
                             max_result_bytes=config.sandbox.max_message_bytes, source=config.reply_source)
        """The host tools of every run in the tree (MCP servers start with the root run)."""
        self.evidence: dict[str, list[EvidenceItem]] = {}
        """Each ended run's evidence (`recursor.evidence`), by run id."""
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self.trace: TraceWriter | None = None
        self.trace_path: Path | None = trace_path
        if trace_path is None and config.trace_dir is not None:
            self.trace_path = config.trace_dir / f"{new_trace_id()}.jsonl"
        if self.trace_path is not None:
            self.trace = TraceWriter(self.trace_path)
            self.blob_dir = self.trace.blob_dir
        else:
            self._tmp = tempfile.TemporaryDirectory(prefix="recursor-")
            self.blob_dir = Path(self._tmp.name)
        self._call_ids = itertools.count(1)
        self._seqs: dict[tuple[str, str], int] = {}
        source = config.reply_source
        if source is not None:
            source.begin()
        self.pipeline = CallPipeline([
            TraceLayer(self.emit),
            UsageLayer(self.usage),
            *([ReplayLayer(source, self.ledger)] if source is not None else []),
            *([CacheLayer(config.cache)] if config.cache is not None else []),
            DeadlineLayer(self.ledger),
            RetryLayer(self.emit),
            SlotLayer(self.ledger),
            LedgerLayer(self.ledger, config.pricing),
        ])
        self._header: dict[str, Any] | None = trace_header(
            root_lm=config.root_lm, sub_lm=config.sub_lm, limits=config.limits, sandbox=config.sandbox,
            prompts=config.prompts, trace_id=self.trace_path.stem if self.trace_path else None,
            cache=str(config.cache.directory) if config.cache else None,
            replay=source.header() if source else None,
        )

    def emit(self, event: ev.Event) -> None:
        """Write one event to the trace and hand it to the user's `on_event` hook."""
        record = event.to_dict()
        if self._header is not None:
            # The first event of a trace (the root's run_start) carries the header: schema,
            # versions, the model clients and where replies came from.
            record["header"], self._header = self._header, None
        if self.trace is not None:
            self.trace(record)
        if self.config.on_event is not None:
            try:
                self.config.on_event(record)
            except Exception:
                log.exception("on_event hook failed for %s", event.kind)

    async def aclose(self) -> None:
        """Stop the tree's MCP servers, then close the trace."""
        try:
            await self.tools.aclose()
        finally:
            self.close()

    def close(self) -> None:
        if self.trace is not None:
            self.trace.close()
        if self._tmp is not None:
            self._tmp.cleanup()

    async def call_lm(self, lm: LM, messages: Sequence[Message], *, run_id: str, depth: int,
                      role: Literal["root", "sub"], cell: str | None = None, choices: Sequence[str] = (),
                      calibrate: Sequence[Sequence[Message]] = (), output_cap: int | None = None) -> LMResponse:
        """Make one LM call through the tree's pipeline (see `recursor.calls`); `output_cap`
        caps its reply below the client's own cap.

        Each call is keyed by (run_id, role, call_seq) and the hash of its messages, which is
        what replay and resume look recorded replies up by.
        """
        seq = self._seqs[(run_id, role)] = self._seqs.get((run_id, role), 0) + 1
        call = LMCall(lm=lm, messages=messages, run_id=run_id, role=role, depth=depth,
                      call_id=f"c{next(self._call_ids)}", seq=seq, cell=cell, choices=tuple(choices),
                      calibrate=calibrate, output_cap=output_cap)
        return await self.pipeline(call)

    def run_start(self, *, run_id: str, parent_call: str | None, parent_cell: str | None, depth: int,
                  question: str, root_model: str, mode: str | None = None,
                  output: dict[str, Any] | None = None) -> None:
        """The `run_start` event of a run, with the tree's limits and sandbox options, and what
        a replay needs to ask the same again: a typed run's `output`, a depth-0 run's tools."""
        config = self.config
        tools = self.tools.specs() if depth == 0 and self.tools else None
        self.emit(ev.RunStartEvent(
            run_id=run_id, parent_call=parent_call, parent_cell=parent_cell, depth=depth, question=question,
            root_model=root_model, sub_model=config.sub_lm.model, mode=mode, output=output, tools=tools,
            limits={f.name: getattr(config.limits, f.name) for f in fields(config.limits)},
            sandbox={f.name: getattr(config.sandbox, f.name) for f in fields(config.sandbox)},
        ))

    def run_end(self, *, run_id: str, context: Any, reads: list[tuple[str, Read]], outcome: Any) -> None:
        """A run's `evidence` (when it read any of its context) and `run_end` events."""
        found = self.evidence[run_id] = select(context, reads, outcome.answer)
        reads.clear()  # a session's next question starts with none
        if found:
            self.emit(ev.EvidenceEvent(run_id=run_id, items=found))
        self.emit(ev.RunEndEvent(run_id=run_id, answer=outcome.answer, stopped_by=outcome.stopped_by,
                                 iterations=outcome.iterations, error=outcome.error, **self.snapshot()))

    def snapshot(self) -> dict[str, Any]:
        """Usage so far, for `budget` and `run_end` events."""
        total = self.usage.total
        return {"calls": total.calls, "input_tokens": total.input_tokens,
                "output_tokens": total.output_tokens, "cost_usd": round(self.ledger.spent.usd, 6),
                "elapsed": round(time.monotonic() - self.ledger.started, 3)}
