"""Typed trace events (recursor.trace.events): round trips, exact on-disk shape, hostile lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM, Limits
from recursor.trace.events import (
    EVENT_TYPES,
    BudgetEvent,
    CellEvent,
    CellStartEvent,
    ContextEvent,
    Event,
    EvidenceEvent,
    LimitEvent,
    LMCallEvent,
    RetryEvent,
    RunEndEvent,
    RunStartEvent,
    SetupErrorEvent,
    ToolCallEvent,
    UnknownEvent,
    parse_event,
    parse_line,
)
from recursor.trace.reader import read_events

FIXTURES = Path(__file__).parent / "fixtures" / "traces"
HEAD: dict[str, Any] = {"run_id": "root", "call_id": "c1", "role": "root", "depth": 0, "call_seq": 1,
                        "model": "m", "request_hash": "ab" * 32, "n_messages": 1,
                        "messages": [{"role": "user", "content": "hi"}]}
TOTALS: dict[str, Any] = {"calls": 2, "input_tokens": 10, "output_tokens": 3, "cost_usd": 0.01, "elapsed": 1.5}

SAMPLES: list[Event] = [
    RunStartEvent(run_id="root", parent_call=None, parent_cell=None, depth=0, question="q", root_model="m",
                  sub_model="s", limits={"max_iterations": 8}, sandbox={"isolation": "auto"}),
    RunStartEvent(run_id="root.1", parent_call="root", parent_cell="3.1", depth=1, question="child",
                  root_model="m", sub_model="s", limits={}, sandbox={}, header={"schema": 2}),
    ContextEvent(run_id="root", sha256="cd" * 32, value_kind="json", n_chars=12, path="/x/blobs/context-1.json"),
    CellStartEvent(run_id="root", iteration=1, index=2, cell="1.2"),
    CellEvent(run_id="root", iteration=1, index=2, cell="1.2", code="print(1)", stdout="1\n", stdout_total=2,
              error=None, final=None, final_source=None, notes=["n"], restarted=False, duration=0.01),
    CellEvent(run_id="root", iteration=2, index=1, cell="2.1", code="x", stdout="", stdout_total=0,
              error="deadline reached", final=None, final_source=None, notes=[], restarted=False,
              duration=3.0, limit="timeout"),
    LMCallEvent(**HEAD, reply="r", usage={"input_tokens": 5, "output_tokens": 1}, cost_usd=None,
                finish_reason="stop", duration=0.2),
    LMCallEvent(**{**HEAD, "role": "sub", "call_seq": 4}, cell=None, choices=["yes", "no"], reply="yes",
                usage={"input_tokens": 5, "output_tokens": 1}, cost_usd=0.0, finish_reason=None, duration=0.2,
                cached=True, source="disk", max_tokens=64),
    LMCallEvent(**{**HEAD, "role": "sub"}, cell="1.1", error="LMServerError: boom", duration=0.3),
    LMCallEvent(**HEAD, error="deadline reached", limit="timeout", detail="cut", duration=9.0),
    LimitEvent(**{**HEAD, "role": "sub"}, cell="2.1", limit="max_calls", detail="2 of 2", cached=True,
               source="trace"),
    RetryEvent(run_id="root", call_id="c3", attempt=1, error="LMRateLimitError: 429", wait=0.5),
    SetupErrorEvent(run_id="root", error="Traceback ..."),
    ToolCallEvent(run_id="root", cell="1.1", name="weather", args='"Paris"', duration=0.2, result_chars=40),
    ToolCallEvent(run_id="root.1", cell=None, name="weather", args="", duration=0.0,
                  error="max_tool_calls: all 2 tool calls of this run were made", limit="max_tool_calls"),
    BudgetEvent(run_id="root", iteration=1, **TOTALS),
    BudgetEvent(run_id="root", iteration=2, **TOTALS, charged_calls=2, charged_tokens=13, charged_usd=0.01,
                held_usd=0.0),
    EvidenceEvent(run_id="root", items=[{"key": "a.md", "start": 3, "end": 9, "line_start": 2,
                                         "line_end": 2, "text": "the 42"}]),
    RunEndEvent(run_id="root", answer="42", stopped_by="final", iterations=3, error=None, **TOTALS),
]


def test_samples_cover_every_event_kind() -> None:
    assert {e.kind for e in SAMPLES} == set(EVENT_TYPES)


@pytest.mark.parametrize("event", SAMPLES, ids=lambda e: e.kind)
def test_every_event_round_trips_through_json(event: Event) -> None:
    line = json.dumps(event.to_dict())
    back = parse_line(line)
    assert back == event and type(back) is type(event)
    assert back.extra == {} and parse_event(event) is event
    assert json.loads(line)["event"] == event.kind


def test_omitted_fields_follow_the_schema() -> None:
    root_ok, sub_ok, sub_failed, cut = (e.to_dict() for e in SAMPLES[6:10])
    assert "cell" not in root_ok and sub_ok["cell"] is None and sub_failed["cell"] == "1.1"
    assert root_ok["cost_usd"] is None and "error" not in root_ok and "cached" not in root_ok
    assert not {"reply", "usage", "cost_usd", "finish_reason", "limit"} & set(sub_failed)
    assert list(cut)[-4:] == ["error", "limit", "detail", "duration"]
    assert "header" not in SAMPLES[0].to_dict() and list(SAMPLES[1].to_dict())[-1] == "header"
    assert SAMPLES[2].to_dict()["kind"] == "json" and "value_kind" not in SAMPLES[2].to_dict()
    assert "limit" not in SAMPLES[4].to_dict() and SAMPLES[5].to_dict()["limit"] == "timeout"


@pytest.mark.parametrize("name", ["tree", "needle"])
def test_fixture_traces_parse_into_typed_events_and_write_back_the_same(name: str) -> None:
    for raw in read_events(FIXTURES / f"{name}.jsonl"):
        event = parse_event(raw)
        assert type(event) is EVENT_TYPES[raw["event"]]
        assert event.extra == {}
        assert (event.v, event.seq, event.ts) == (raw["v"], raw["seq"], raw["ts"])
        # Same keys, same order, same values: the record is the on-disk schema.
        assert list(event.to_dict().items()) == [(k, v) for k, v in raw.items() if k not in ("v", "seq", "ts")]


def test_a_run_writes_only_what_the_records_define(tmp_path: Path) -> None:
    seen: list[dict[str, Any]] = []
    root = FakeScriptedLM(["```repl\nprint(llm_query('a'))\nprint(llm_query('b'))\n```", "FINAL(x)", "FINAL(y)"])
    result = RLM(root, sub_model=FakeScriptedLM(default=lambda m: "s", model="sub"), limits=Limits(max_calls=2),
                 trace_dir=tmp_path, on_event=seen.append).complete("q", "ctx")
    written = read_events(result.trace_path)
    assert [{k: v for k, v in e.items() if k not in ("v", "seq", "ts")} for e in written] == seen
    events = [parse_event(e) for e in written]
    assert {e.kind for e in events} >= {"run_start", "context", "cell_start", "cell", "lm_call", "limit",
                                        "budget", "run_end"}
    for event, raw in zip(events, written, strict=True):
        assert not isinstance(event, UnknownEvent) and event.extra == {}
        assert not event.missing & set(event.to_dict())  # absent only where the schema omits a field
        assert list(event.to_dict()) == [k for k in raw if k not in ("v", "seq", "ts")]


# -- hostile input: never raise ------------------------------------------------------------------------
@pytest.mark.parametrize("line", ["", "   ", '{"v": 2, "seq": 9, "event": "cel', "not json", "[1, 2]", "42",
                                  "null", '"run_start"', "{" * 100_000])
def test_lines_that_are_not_events_are_skipped(line: str) -> None:
    assert parse_line(line) is None


def test_every_truncation_of_a_real_line_parses_or_is_skipped() -> None:
    for line in (FIXTURES / "tree.jsonl").read_text(encoding="utf-8").splitlines()[:6]:
        for cut in range(0, len(line), max(1, len(line) // 200)):
            parsed = parse_line(line[:cut])
            assert parsed is None or isinstance(parsed, Event)


def test_unknown_kinds_are_kept_not_fatal() -> None:
    raw = {"v": 3, "seq": 4, "ts": 1.0, "event": "hologram", "run_id": "root", "anything": [1, 2]}
    event = parse_event(raw)
    assert isinstance(event, UnknownEvent) and event.kind == "hologram"
    assert event.extra == {"run_id": "root", "anything": [1, 2]} and (event.v, event.seq) == (3, 4)
    assert event.to_dict() == {"event": "hologram", "run_id": "root", "anything": [1, 2]}
    for odd in ({}, {"event": None}, {"event": ["x"]}, {"event": 7}):
        assert isinstance(parse_event(odd), UnknownEvent)
    not_an_object = parse_event(["a", "list"])
    assert isinstance(not_an_object, UnknownEvent) and not_an_object.extra == {"value": ["a", "list"]}


def test_wrong_shapes_and_missing_fields_get_defaults_and_are_named() -> None:
    raw = {"event": "lm_call", "run_id": "root", "role": "sub", "depth": "two", "call_seq": "3",
           "usage": "lots", "cost_usd": "0.5", "cell": {"iteration": 1, "index": 2}, "new_field": True,
           "messages": [{"role": "user", "content": "x"}, "junk"], "ts": "yesterday"}
    event = parse_event(raw)
    assert isinstance(event, LMCallEvent)
    assert (event.depth, event.call_seq, event.cost_usd, event.cell, event.ts) == (0, 3, 0.5, None, None)
    assert event.input_tokens == 0 and event.messages == [{"role": "user", "content": "x"}]
    assert {"depth", "usage", "cell", "call_id", "model", "request_hash"} <= event.missing
    assert not event.has("depth") and event.has("call_seq") and event.has("new_field")
    assert event.extra == {"depth": "two", "usage": "lots", "cell": {"iteration": 1, "index": 2}, "new_field": True}
    assert event.to_dict()["depth"] == "two"  # what could not be read is written back as it was


def test_v1_lines_read_with_the_v2_fields_absent() -> None:
    v1 = {"v": 1, "seq": 2, "ts": 5.0, "event": "lm_call", "run_id": "root", "call_id": "c1", "role": "root",
          "depth": 0, "model": "m", "messages": [], "reply": "hi", "usage": {"input_tokens": 3, "output_tokens": 1},
          "cost_usd": None, "duration": 0.1}
    event = parse_event(v1)
    assert isinstance(event, LMCallEvent) and event.v == 1
    assert (event.call_seq, event.request_hash, event.n_messages, event.finish_reason) == (None, None, None, None)
    assert {"call_seq", "request_hash", "n_messages", "finish_reason", "cell"} <= event.missing
    assert (event.input_tokens, event.output_tokens, event.reply) == (3, 1, "hi")
