"""OpenTelemetry export through the SDK's in-memory exporter (skipped without the otel extra)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

pytest.importorskip("opentelemetry.sdk")

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM, Limits, Message
from recursor.trace.otel import OTelSink


def _child_aware(messages: Sequence[Message]) -> str:
    if messages[0]["role"] == "system":
        return "```repl\nFINAL(f'{len(context)} chars')\n```"
    return "plain"


def test_runs_cells_and_calls_become_nested_spans(tmp_path: Path) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    seen: list[str] = []
    sink = OTelSink(provider.get_tracer("test"), then=lambda e: seen.append(e["event"]))
    root = FakeScriptedLM([
        "```repl\nr = rlm_query('count', context='xxxx')\nv = llm_query('hi')\nprint(r, v)\n```",
        "```repl\n1/0\n```",
        "FINAL_VAR(r)",
    ])
    result = RLM(root, sub_model=FakeScriptedLM(default=_child_aware, model="sub"), limits=Limits(max_depth=2),
                 trace_dir=tmp_path, on_event=sink).complete("q", "ctx")
    assert result.answer == "4 chars"
    spans = exporter.get_finished_spans()
    by_id = {s.context.span_id: s for s in spans}
    runs = {s.attributes["recursor.run_id"]: s for s in spans if s.name == "rlm.run"}
    cells = [s for s in spans if s.name == "rlm.cell"]
    calls = [s for s in spans if s.name == "rlm.lm_call"]
    assert set(runs) == {"root", "root.1"}
    assert len(calls) == 5 and len(cells) == 3
    first_cell = next(c for c in cells if c.attributes["recursor.run_id"] == "root" and c.attributes["recursor.cell"] == "1.1")
    # The child run hangs off the cell that started it; the sub-call too.
    assert runs["root.1"].parent.span_id == first_cell.context.span_id
    sub = next(c for c in calls if c.attributes["recursor.role"] == "sub")
    assert sub.parent.span_id == first_cell.context.span_id
    assert by_id[first_cell.parent.span_id] is runs["root"]
    assert sub.attributes["gen_ai.request.model"] == "sub" and sub.attributes["gen_ai.usage.output_tokens"] > 0
    failed = next(c for c in cells if c.attributes["recursor.cell"] == "2.1")
    assert not failed.status.is_ok
    assert len({s.context.trace_id for s in spans}) == 1
    assert "run_end" in seen and "cell_start" in seen
    assert not any("recursor.reply" in s.attributes for s in calls)  # no content by default
