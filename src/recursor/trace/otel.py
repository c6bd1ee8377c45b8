"""OpenTelemetry export: the engine's events as spans (install with `pip install 'recursor[otel]'`).

    from recursor.trace.otel import OTelSink
    rlm = RLM("openai:gpt-5", on_event=OTelSink())

One span per run (`rlm.run`), per cell (`rlm.cell`) and per LM call (`rlm.lm_call`), nested as
the tree is: a child run is a child of the cell whose `rlm_query` started it, a sub-call of
the cell that made it. LM spans carry the GenAI semantic-convention attributes for model and
tokens. Message and reply text is left out unless `record_content=True`: traces often go to
shared backends, and the JSONL trace already holds the text.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, ClassVar

from recursor.errors import UserError
from recursor.trace.events import (
    CellEvent,
    CellStartEvent,
    Event,
    LimitEvent,
    LMCallEvent,
    RetryEvent,
    RunEndEvent,
    RunStartEvent,
    parse_event,
)
from recursor.trace.writer import EventSink

__all__ = ["OTelSink"]


class OTelSink:
    """An `EventSink` that turns trace events into OpenTelemetry spans.

    `tracer` defaults to the global provider's tracer named "recursor". `then` is another sink
    to pass every event on to (e.g. a progress line), since `RLM` takes one `on_event` hook.
    """

    def __init__(self, tracer: Any = None, *, record_content: bool = False, then: EventSink | None = None) -> None:
        try:
            from opentelemetry import trace
        except ImportError as exc:
            raise UserError("OpenTelemetry export needs: pip install 'recursor[otel]'") from exc
        self._otel = trace
        self.tracer = tracer if tracer is not None else trace.get_tracer("recursor")
        self.record_content = record_content
        self.then = then
        self._runs: dict[str, Any] = {}
        self._cells: dict[str, Any] = {}

    def __call__(self, event: dict[str, Any]) -> None:
        ev = parse_event(event)
        handler = self._handlers.get(type(ev))
        if handler is not None:
            handler(self, ev)
        if self.then is not None:
            self.then(event)

    # -- spans -------------------------------------------------------------------------------
    def _context(self, run_id: str | None, cell: str | None) -> Any:
        parent = self._cells.get(f"{run_id}#{cell}") if cell else None
        parent = parent or (self._runs.get(run_id) if run_id else None)
        return self._otel.set_span_in_context(parent) if parent is not None else None

    def _on_run_start(self, e: RunStartEvent) -> None:
        attributes: dict[str, Any] = {
            "recursor.run_id": e.run_id,
            "recursor.depth": e.depth,
            "recursor.root_model": e.root_model,
            "recursor.sub_model": e.sub_model,
        }
        if self.record_content:
            attributes["recursor.question"] = e.question
        self._runs[e.run_id] = self.tracer.start_span(
            "rlm.run", context=self._context(e.parent_call, e.parent_cell), attributes=attributes
        )

    def _on_run_end(self, e: RunEndEvent) -> None:
        span = self._runs.pop(e.run_id, None)
        if span is None:
            return
        span.set_attribute("recursor.stopped_by", e.stopped_by)
        span.set_attribute("recursor.iterations", e.iterations)
        if e.stopped_by == "lm_error":
            span.set_status(self._otel.Status(self._otel.StatusCode.ERROR, e.error or ""))
        if self.record_content:
            span.set_attribute("recursor.answer", e.answer)
        span.end()

    def _on_cell_start(self, e: CellStartEvent) -> None:
        self._cells[f"{e.run_id}#{e.cell}"] = self.tracer.start_span(
            "rlm.cell", context=self._context(e.run_id, None),
            attributes={"recursor.run_id": e.run_id, "recursor.cell": e.cell},
        )

    def _on_cell(self, e: CellEvent) -> None:
        span = self._cells.pop(f"{e.run_id}#{e.cell}", None)
        if span is None:
            return
        span.set_attribute("recursor.restarted", e.restarted)
        if e.error:
            span.set_status(self._otel.Status(self._otel.StatusCode.ERROR, e.error.splitlines()[-1][:200]))
        if self.record_content:
            span.set_attribute("recursor.code", e.code)
        span.end()

    def _on_lm_call(self, e: LMCallEvent) -> None:
        end = time.time_ns()
        start = end - int((e.duration or 0.0) * 1e9)
        attributes: dict[str, Any] = {
            "recursor.run_id": e.run_id,
            "recursor.role": e.role,
            "recursor.call_seq": e.call_seq or 0,
            "gen_ai.request.model": e.model,
            "gen_ai.usage.input_tokens": e.input_tokens,
            "gen_ai.usage.output_tokens": e.output_tokens,
            "recursor.cached": bool(e.cached),
        }
        if e.cost_usd is not None:
            attributes["recursor.cost_usd"] = e.cost_usd
        if self.record_content and e.reply is not None:
            attributes["recursor.reply"] = e.reply
        span = self.tracer.start_span("rlm.lm_call", context=self._context(e.run_id, e.cell),
                                      attributes=attributes, start_time=start)
        if e.error is not None:
            span.set_status(self._otel.Status(self._otel.StatusCode.ERROR, e.error[:200]))
        span.end(end_time=end)

    def _on_limit(self, e: LimitEvent) -> None:
        span = self._cells.get(f"{e.run_id}#{e.cell}") or self._runs.get(e.run_id)
        if span is not None:
            span.add_event("budget limit", {"recursor.limit": e.limit})

    def _on_retry(self, e: RetryEvent) -> None:
        span = self._runs.get(e.run_id)
        if span is not None:
            span.add_event("retry", {"recursor.attempt": e.attempt, "recursor.error": e.error[:200]})

    _handlers: ClassVar[dict[type[Event], Callable[[OTelSink, Any], None]]] = {
        RunStartEvent: _on_run_start,
        RunEndEvent: _on_run_end,
        CellStartEvent: _on_cell_start,
        CellEvent: _on_cell,
        LMCallEvent: _on_lm_call,
        LimitEvent: _on_limit,
        RetryEvent: _on_retry,
    }

    def close(self) -> None:
        """End spans left open by a run that raised instead of finishing."""
        for span in [*self._cells.values(), *self._runs.values()]:
            span.end()
        self._cells.clear()
        self._runs.clear()
