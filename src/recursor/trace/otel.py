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
from typing import Any

from recursor.errors import UserError
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
        handler = getattr(self, "_on_" + str(event.get("event")), None)
        if handler is not None:
            handler(event)
        if self.then is not None:
            self.then(event)

    # -- spans -------------------------------------------------------------------------------
    def _context(self, run_id: str | None, cell: str | None) -> Any:
        parent = self._cells.get(f"{run_id}#{cell}") if cell else None
        parent = parent or (self._runs.get(run_id) if run_id else None)
        return self._otel.set_span_in_context(parent) if parent is not None else None

    def _on_run_start(self, e: dict[str, Any]) -> None:
        attributes = {
            "recursor.run_id": e["run_id"],
            "recursor.depth": int(e.get("depth", 0)),
            "recursor.root_model": str(e.get("root_model")),
            "recursor.sub_model": str(e.get("sub_model")),
        }
        if self.record_content:
            attributes["recursor.question"] = str(e.get("question", ""))
        self._runs[e["run_id"]] = self.tracer.start_span(
            "rlm.run", context=self._context(e.get("parent_call"), e.get("parent_cell")), attributes=attributes
        )

    def _on_run_end(self, e: dict[str, Any]) -> None:
        span = self._runs.pop(e["run_id"], None)
        if span is None:
            return
        span.set_attribute("recursor.stopped_by", str(e.get("stopped_by")))
        span.set_attribute("recursor.iterations", int(e.get("iterations", 0)))
        if e.get("stopped_by") == "lm_error":
            span.set_status(self._otel.Status(self._otel.StatusCode.ERROR, str(e.get("error") or "")))
        if self.record_content:
            span.set_attribute("recursor.answer", str(e.get("answer", "")))
        span.end()

    def _on_cell_start(self, e: dict[str, Any]) -> None:
        self._cells[f"{e['run_id']}#{e['cell']}"] = self.tracer.start_span(
            "rlm.cell", context=self._context(e["run_id"], None),
            attributes={"recursor.run_id": e["run_id"], "recursor.cell": e["cell"]},
        )

    def _on_cell(self, e: dict[str, Any]) -> None:
        span = self._cells.pop(f"{e['run_id']}#{e.get('cell')}", None)
        if span is None:
            return
        span.set_attribute("recursor.restarted", bool(e.get("restarted")))
        if e.get("error"):
            span.set_status(self._otel.Status(self._otel.StatusCode.ERROR, str(e["error"]).splitlines()[-1][:200]))
        if self.record_content:
            span.set_attribute("recursor.code", str(e.get("code", "")))
        span.end()

    def _on_lm_call(self, e: dict[str, Any]) -> None:
        end = time.time_ns()
        start = end - int(float(e.get("duration") or 0.0) * 1e9)
        usage = e.get("usage") or {}
        attributes: dict[str, Any] = {
            "recursor.run_id": e["run_id"],
            "recursor.role": str(e.get("role")),
            "recursor.call_seq": int(e.get("call_seq", 0)),
            "gen_ai.request.model": str(e.get("model")),
            "gen_ai.usage.input_tokens": int(usage.get("input_tokens", 0)),
            "gen_ai.usage.output_tokens": int(usage.get("output_tokens", 0)),
            "recursor.cached": bool(e.get("cached", False)),
        }
        if e.get("cost_usd") is not None:
            attributes["recursor.cost_usd"] = float(e["cost_usd"])
        if self.record_content and "reply" in e:
            attributes["recursor.reply"] = str(e["reply"])
        span = self.tracer.start_span("rlm.lm_call", context=self._context(e["run_id"], e.get("cell")),
                                      attributes=attributes, start_time=start)
        if e.get("error") is not None:
            span.set_status(self._otel.Status(self._otel.StatusCode.ERROR, str(e["error"])[:200]))
        span.end(end_time=end)

    def _on_limit(self, e: dict[str, Any]) -> None:
        span = self._cells.get(f"{e['run_id']}#{e.get('cell')}") or self._runs.get(e["run_id"])
        if span is not None:
            span.add_event("budget limit", {"recursor.limit": str(e.get("limit"))})

    def _on_retry(self, e: dict[str, Any]) -> None:
        span = self._runs.get(e["run_id"])
        if span is not None:
            span.add_event("retry", {"recursor.attempt": int(e.get("attempt", 0)),
                                     "recursor.error": str(e.get("error", ""))[:200]})

    def close(self) -> None:
        """End spans left open by a run that raised instead of finishing."""
        for span in [*self._cells.values(), *self._runs.values()]:
            span.end()
        self._cells.clear()
        self._runs.clear()
