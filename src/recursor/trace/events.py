"""Trace events as typed records: the trace schema, defined once.

Every kind of line a trace holds (docs/trace-format.md explains what each field means) is a
frozen dataclass here. The engine builds them and `_Tree.emit` writes `event.to_dict()`; the
trace tools (replay, the reply source, the viewers' tree model, OpenTelemetry export, the
progress line) read them back with `parse_event`, never by digging in dicts.

`to_dict()` gives exactly the object the trace file holds, minus the `v` / `seq` / `ts`
envelope the `TraceWriter` adds: the same keys, in the same order, with the same fields left
out where the schema leaves them out (`cell` on root calls, `reply` and `usage` on failed
calls, and optional fields that are None: see `omit` on the fields).

`parse_event` is the other way, and it never raises: a trace is read back from disk, maybe
cut by `kill -9`, written by an older or newer recursor, or edited by hand.

- a field the line does not have gets its default (the field's own, else "", 0, 0.0, False,
  {}, [] or None by type) and its name goes in `missing`, so readers can tell "absent" from
  "null" where it matters (`LMCallEvent.cell`: absent in v1, null outside a cell in v2);
- a field with a value of the wrong shape is treated the same, and the raw value is kept in
  `extra` under the field's name (the viewers still make sense of some such shapes);
- fields the schema does not know are kept in `extra`, and `to_dict()` writes them back;
- an unknown event kind is an `UnknownEvent` (name plus fields), not an error;
- `parse_line` returns None for a line that is not a JSON object (blank, torn, garbled).

String fields are expected resolved (`read_events(path)` resolves `{"$blob": ...}`
references); an unresolved blob in a string field reads as a field of the wrong shape.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, ClassVar, Self

__all__ = [
    "EVENT_TYPES",
    "BudgetEvent",
    "CellEvent",
    "CellStartEvent",
    "ContextEvent",
    "Event",
    "LMCallEvent",
    "LimitEvent",
    "RetryEvent",
    "RunEndEvent",
    "RunStartEvent",
    "SetupErrorEvent",
    "ToolCallEvent",
    "UnknownEvent",
    "parse_event",
    "parse_events",
    "parse_line",
]

JsonObject = dict[str, Any]
ENVELOPE = ("v", "seq", "ts")
"""Written by the `TraceWriter` around every event: schema version, line number, Unix time."""


# -- reading values defensively: each returns the value in its field's type, or _BAD ----------------
class _Bad:
    __slots__ = ()


_BAD: Any = _Bad()


def as_int(value: Any) -> int | None:
    """An int from an int, a whole-number string or a float (truncated); else None."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) else None
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def as_float(value: Any) -> float | None:
    """A float from a number or a numeric string; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _str(value: Any) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return _BAD


def _int(value: Any) -> Any:
    out = as_int(value)
    return _BAD if out is None else out


def _float(value: Any) -> Any:
    out = as_float(value)
    return _BAD if out is None else out


def _bool(value: Any) -> Any:
    return bool(value) if isinstance(value, (bool, int)) else _BAD


def _object(value: Any) -> Any:
    return dict(value) if isinstance(value, dict) else _BAD


def _objects(value: Any) -> Any:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else _BAD


def _strs(value: Any) -> Any:
    return [v if isinstance(v, str) else str(v) for v in value] if isinstance(value, list) else _BAD


# annotation (as written below) -> (reader, value when absent)
_READERS: dict[str, tuple[Callable[[Any], Any], Callable[[], Any]]] = {
    "str": (_str, str),
    "int": (_int, int),
    "float": (_float, float),
    "bool": (_bool, bool),
    "JsonObject": (_object, dict),
    "list[JsonObject]": (_objects, list),
    "list[str]": (_strs, list),
}


# -- when `to_dict` leaves a field out (field metadata "omit") -------------------------------------
def _if_none(event: Any, value: Any) -> bool:
    return value is None


def _on_root_call(event: Any, value: Any) -> bool:
    """`cell` is written for sub-calls only (null when made outside a cell)."""
    return bool(event.role == "root")


def _on_failed_call(event: Any, value: Any) -> bool:
    """A failed call has `error` instead of `reply`, `usage`, `cost_usd` and `finish_reason`."""
    return event.error is not None


_IF_NONE = {"omit": _if_none}
_ON_ROOT_CALL = {"omit": _on_root_call}
_ON_FAILED_CALL = {"omit": _on_failed_call}


@dataclass(frozen=True, slots=True)
class _Spec:
    name: str
    read: Callable[[Any], Any]
    optional: bool
    default: Callable[[], Any]
    omit: Callable[[Any, Any], bool] | None


# -- the events --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """What every trace line has. `v`, `seq` and `ts` are set on events read back from a file."""

    KIND: ClassVar[str] = ""
    _specs: ClassVar[tuple[_Spec, ...]] = ()

    v: int | None = field(default=None, compare=False)
    seq: int | None = field(default=None, compare=False)
    ts: float | None = field(default=None, compare=False)
    extra: JsonObject = field(default_factory=dict, repr=False)
    """Fields the schema does not know (a newer writer's, a hand edit's), and raw values of
    fields whose value had the wrong shape. `to_dict()` writes them back."""
    missing: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    """Fields the line did not have, or had in a shape this reader cannot use (they hold defaults)."""

    @property
    def kind(self) -> str:
        """The `event` field: "run_start", "lm_call", ..."""
        return self.KIND

    def has(self, name: str) -> bool:
        """Whether the line held field `name` in a usable shape (always true for events built here)."""
        return name not in self.missing

    def to_dict(self) -> JsonObject:
        """The event as the trace file holds it (without the writer's `v`, `seq`, `ts`)."""
        out: JsonObject = {"event": self.kind}
        for spec in _specs_of(type(self)):
            value = getattr(self, spec.name)
            if spec.omit is not None and spec.omit(self, value):
                continue
            out[spec.name] = value
        out.update(self.extra)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """The event a trace line holds; never raises (see the module docstring)."""
        values: dict[str, Any] = {}
        missing: set[str] = set()
        extra: JsonObject = {}
        specs = _specs_of(cls)
        for spec in specs:
            if spec.name not in data:
                missing.add(spec.name)
                values[spec.name] = spec.default()
                continue
            raw = data[spec.name]
            value = None if raw is None and spec.optional else spec.read(raw)
            if value is _BAD:
                missing.add(spec.name)
                extra[spec.name] = raw
                value = spec.default()
            values[spec.name] = value
        known = {s.name for s in specs}
        extra.update((k, v) for k, v in data.items() if k not in known and k not in ENVELOPE and k != "event")
        envelope = {k: _envelope(k, data.get(k)) for k in ENVELOPE}
        return cls(**values, **envelope, extra=extra, missing=frozenset(missing))


def _envelope(name: str, value: Any) -> Any:
    return as_float(value) if name == "ts" else as_int(value)


_BASE_FIELDS = frozenset(("v", "seq", "ts", "extra", "missing"))


def _specs_of(cls: type[Event]) -> tuple[_Spec, ...]:
    """The schema fields of `cls` in on-disk order, with how to read and when to omit each."""
    if "_specs" in cls.__dict__:
        return cls._specs
    specs = []
    for f in fields(cls):
        if f.name in _BASE_FIELDS:
            continue
        annotation = str(f.type)
        optional = annotation.endswith(" | None")
        read, empty = _READERS[annotation.removesuffix(" | None")]
        if f.default is not MISSING:
            default: Callable[[], Any] = _constant(f.default)
        elif f.default_factory is not MISSING:
            default = f.default_factory
        elif optional:
            default = _none
        else:
            default = empty
        specs.append(_Spec(f.name, read, optional, default, f.metadata.get("omit")))
    cls._specs = tuple(specs)
    return cls._specs


def _none() -> None:
    return None


def _constant(value: Any) -> Callable[[], Any]:
    return lambda: value


@dataclass(frozen=True, slots=True, kw_only=True)
class RunStartEvent(Event):
    """A run (root or child) begins. The first event of a trace also carries the `header`."""

    KIND: ClassVar[str] = "run_start"
    run_id: str
    parent_call: str | None
    parent_cell: str | None
    depth: int
    question: str
    root_model: str
    sub_model: str
    limits: JsonObject
    sandbox: JsonObject
    mode: str | None = field(default=None, metadata=_IF_NONE)
    """"direct" when the run answered with one direct call (absent: an RLM run)."""
    output: JsonObject | None = field(default=None, metadata=_IF_NONE)
    """A typed run's output type (`OutputCheck.describe()`): schema, name, kind, retries."""
    tools: list[JsonObject] | None = field(default=None, metadata=_IF_NONE)
    """On depth-0 runs with host tools: each tool's stub spec (`Tool.spec()`), for replay."""
    header: JsonObject | None = field(default=None, metadata=_IF_NONE)


@dataclass(frozen=True, slots=True, kw_only=True)
class ContextEvent(Event):
    """The run's context was stored (it is never in an event itself)."""

    KIND: ClassVar[str] = "context"
    run_id: str
    sha256: str
    value_kind: str
    """`kind` on disk ("str" or "json"): here `kind` is every event's type."""
    n_chars: int
    path: str
    name: str | None = field(default=None, metadata=_IF_NONE)
    """The REPL variable it became, in a session ("context_1", ...); absent: `context`."""

    def to_dict(self) -> JsonObject:
        out = Event.to_dict(self)
        return {("kind" if k == "value_kind" else k): v for k, v in out.items()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        renamed = {("value_kind" if k == "kind" else k): v for k, v in data.items() if k != "value_kind"}
        return super(ContextEvent, cls).from_dict(renamed)


@dataclass(frozen=True, slots=True, kw_only=True)
class CellStartEvent(Event):
    """Model code starts running: block `index` of the root reply of turn `iteration`."""

    KIND: ClassVar[str] = "cell_start"
    run_id: str
    iteration: int
    index: int
    cell: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CellEvent(Event):
    """Model code ran (or was stopped by the deadline: `limit` "timeout")."""

    KIND: ClassVar[str] = "cell"
    run_id: str
    iteration: int
    index: int
    cell: str
    code: str
    stdout: str
    stdout_total: int
    error: str | None
    final: str | None
    final_source: str | None
    notes: list[str]
    restarted: bool
    duration: float
    limit: str | None = field(default=None, metadata=_IF_NONE)


@dataclass(frozen=True, slots=True, kw_only=True)
class _CallHead(Event):
    """The fields `lm_call` and `limit` share: which call, and what it asked."""

    run_id: str
    call_id: str
    role: str
    depth: int
    call_seq: int | None
    """None only in traces older than v2 (replay then counts calls per run and role)."""
    model: str
    cell: str | None = field(default=None, metadata=_ON_ROOT_CALL)
    request_hash: str | None
    n_messages: int | None
    messages: list[JsonObject]
    choices: list[str] | None = field(default=None, metadata=_IF_NONE)


@dataclass(frozen=True, slots=True, kw_only=True)
class LMCallEvent(_CallHead):
    """One model call finished: `reply` and `usage`, or `error` (with `limit` if a limit cut it)."""

    KIND: ClassVar[str] = "lm_call"
    reply: str | None = field(default=None, metadata=_ON_FAILED_CALL)
    usage: JsonObject | None = field(default=None, metadata=_ON_FAILED_CALL)
    cost_usd: float | None = field(default=None, metadata=_ON_FAILED_CALL)
    finish_reason: str | None = field(default=None, metadata=_ON_FAILED_CALL)
    error: str | None = field(default=None, metadata=_IF_NONE)
    limit: str | None = field(default=None, metadata=_IF_NONE)
    detail: str | None = field(default=None, metadata=_IF_NONE)
    duration: float | None = None
    cached: bool | None = field(default=None, metadata=_IF_NONE)
    source: str | None = field(default=None, metadata=_IF_NONE)
    max_tokens: int | None = field(default=None, metadata=_IF_NONE)

    @property
    def input_tokens(self) -> int:
        """From `usage`; 0 when the call failed or the trace does not say."""
        return as_int((self.usage or {}).get("input_tokens")) or 0

    @property
    def output_tokens(self) -> int:
        return as_int((self.usage or {}).get("output_tokens")) or 0


@dataclass(frozen=True, slots=True, kw_only=True)
class LimitEvent(_CallHead):
    """A budget limit refused a call before it was made."""

    KIND: ClassVar[str] = "limit"
    limit: str
    detail: str | None = None
    cached: bool | None = field(default=None, metadata=_IF_NONE)
    source: str | None = field(default=None, metadata=_IF_NONE)


@dataclass(frozen=True, slots=True, kw_only=True)
class RetryEvent(Event):
    """A retrying client is about to try call `call_id` again."""

    KIND: ClassVar[str] = "retry"
    run_id: str
    call_id: str
    attempt: int
    error: str
    wait: float


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolCallEvent(Event):
    """Model code called a host tool (`recursor.tools`): made, failed, or refused by `limit`."""

    KIND: ClassVar[str] = "tool_call"
    run_id: str
    cell: str | None
    name: str
    args: str
    """The arguments as JSON, cut short (`"Paris", units="c"`)."""
    duration: float
    error: str | None = field(default=None, metadata=_IF_NONE)
    limit: str | None = field(default=None, metadata=_IF_NONE)
    """"max_tool_calls" when the call was refused (not made); "timeout" when the run's deadline
    or the tool's timeout stopped it."""
    result_chars: int | None = field(default=None, metadata=_IF_NONE)
    """The result's length as JSON, for a call that returned."""
    result: str | None = field(default=None, metadata=_IF_NONE)
    """The result as JSON text, for a call that returned: what a replay hands back instead of
    calling the tool again."""
    args_hash: str | None = field(default=None, metadata=_IF_NONE)
    """sha256 of the whole arguments (`tools.args_hash`): `args` is cut short, this is not."""
    cached: bool | None = field(default=None, metadata=_IF_NONE)
    source: str | None = field(default=None, metadata=_IF_NONE)
    """`cached: true, source: "trace"` on a call a replay answered from its trace."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SetupErrorEvent(Event):
    """The prompt set's REPL helper code failed."""

    KIND: ClassVar[str] = "setup_error"
    run_id: str
    error: str


@dataclass(frozen=True, slots=True, kw_only=True)
class BudgetEvent(Event):
    """After each iteration of a run: tree-wide totals, and what counts against the limits."""

    KIND: ClassVar[str] = "budget"
    run_id: str
    iteration: int
    calls: int
    input_tokens: int
    output_tokens: int
    cost_usd: float
    elapsed: float
    charged_calls: int | None = field(default=None, metadata=_IF_NONE)
    charged_tokens: int | None = field(default=None, metadata=_IF_NONE)
    charged_usd: float | None = field(default=None, metadata=_IF_NONE)
    held_usd: float | None = field(default=None, metadata=_IF_NONE)


@dataclass(frozen=True, slots=True, kw_only=True)
class RunEndEvent(Event):
    """A run finished: its answer, why it stopped, and the tree-wide totals."""

    KIND: ClassVar[str] = "run_end"
    run_id: str
    answer: str
    stopped_by: str
    iterations: int
    error: str | None
    calls: int
    input_tokens: int
    output_tokens: int
    cost_usd: float
    elapsed: float


@dataclass(frozen=True, slots=True, kw_only=True)
class EvidenceEvent(Event):
    """What a run read of its context that supports its answer (`recursor.evidence`), just
    before its `run_end`; written only when there is some."""

    KIND: ClassVar[str] = "evidence"
    run_id: str
    items: list[JsonObject]
    """{"key", "start", "end", "line_start", "line_end", "text"} each, best first."""


@dataclass(frozen=True, slots=True, kw_only=True)
class UnknownEvent(Event):
    """A line of a kind this reader does not know (a newer writer's, a hand edit): its fields are in `extra`."""

    name: str = ""

    @property
    def kind(self) -> str:
        return self.name

    def to_dict(self) -> JsonObject:
        return {"event": self.name, **self.extra}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        name = data.get("event")
        return cls(name="" if name is None else str(name),
                   v=as_int(data.get("v")), seq=as_int(data.get("seq")), ts=as_float(data.get("ts")),
                   extra={k: v for k, v in data.items() if k not in ENVELOPE and k != "event"})


EVENT_TYPES: dict[str, type[Event]] = {
    cls.KIND: cls
    for cls in (RunStartEvent, ContextEvent, CellStartEvent, CellEvent, LMCallEvent, LimitEvent,
                RetryEvent, SetupErrorEvent, BudgetEvent, RunEndEvent, ToolCallEvent, EvidenceEvent)
}
"""Event kind ("run_start", ...) -> its record type."""


def parse_event(data: Any) -> Event:
    """The typed event of one decoded trace line. Never raises.

    An unknown kind, or a value that is not a JSON object at all, is an `UnknownEvent`
    (for a non-object, with empty `name` and the value in `extra["value"]`). An `Event`
    is returned as it is, so sinks can take either.
    """
    if isinstance(data, Event):
        return data
    if not isinstance(data, Mapping):
        return UnknownEvent(extra={"value": data})
    name = data.get("event")
    cls = EVENT_TYPES.get(name) if isinstance(name, str) else None
    if cls is None:
        return UnknownEvent.from_dict(data)
    return cls.from_dict(data)


def parse_events(events: Iterable[Any]) -> list[Event]:
    """`parse_event` over decoded lines (e.g. `read_events(path)`), in order."""
    return [parse_event(e) for e in events]


def parse_line(line: str) -> Event | None:
    """The event of one raw trace line; None for a blank, torn or garbled line (skip it)."""
    line = line.strip()
    if not line:
        return None
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):  # torn or garbled; absurdly deep nesting
        return None
    if not isinstance(data, dict):
        return None
    return parse_event(data)
