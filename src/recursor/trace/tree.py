"""A view model of one trace: the tree of runs, their iterations, cells and sub-calls, with totals.

Both viewers (terminal and HTML) render this one model, so they always show the same things.
It is built from events alone and is forgiving on purpose: a run killed mid-way (no `run_end`)
is shown as unfinished, unknown event types are counted and skipped, and optional fields
(`parent_cell`, `cached`, `iteration` on LM calls, a `trace_start` header) are used when
present and never required, so this viewer keeps reading traces from newer writers.

How events map onto the tree (the engine emits them in this order):

* `run_start` opens a run; a child names its parent in `parent_call` (the parent's run id)
  and belongs to the parent's current iteration.
* a `root` `lm_call` opens an iteration of its run; a `sub` `lm_call` is an `llm_query`
  made during the current iteration.
* a `cell` closes over everything its run started since the previous cell: cells of one run
  run one after another, so sub-calls and child runs seen before a cell's event came from it
  (an explicit `parent_cell` wins over this inference).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from recursor.protocol import final_call
from recursor.trace.events import (
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
    UnknownEvent,
    as_int,
    parse_event,
)
from recursor.trace.reader import read_events

__all__ = [
    "Cell",
    "Iteration",
    "LMCall",
    "Run",
    "Totals",
    "TraceView",
    "build_view",
    "evidence_place",
    "format_cost",
    "format_duration",
    "format_tokens",
    "load_view",
]


# -- small value helpers: traces are untrusted input, so every field is read defensively ------
# (typed events from `parse_event` already are; these serve the shapes kept in `extra`)
_int = as_int


def _str(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _opt_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _opt(ev: Event, name: str) -> Any:
    """Field `name` of `ev`, or None when the line did not have it (or not in a usable shape)."""
    return getattr(ev, name) if ev.has(name) else None


def _raw(ev: Event, name: str) -> Any:
    """Field `name` as the line had it: typed when usable, else the raw value kept in `extra`."""
    return getattr(ev, name) if ev.has(name) else ev.extra.get(name)


def _present(ev: Event, name: str) -> bool:
    """The line had field `name` at all (null included), usable or not."""
    return ev.has(name) or name in ev.extra


@dataclass(slots=True)
class Totals:
    """LM usage summed over a node: calls, tokens, known cost, and how many calls had no price."""

    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    unpriced: int = 0
    """Calls whose cost is unknown (no price for the model): `cost_usd` is then a lower bound."""
    cached: int = 0
    failed: int = 0

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    def add_call(self, call: LMCall) -> None:
        self.calls += 1
        self.input_tokens += call.input_tokens
        self.output_tokens += call.output_tokens
        if call.cost_usd is not None:
            self.cost_usd += call.cost_usd
        elif call.error is None and not call.cached:
            self.unpriced += 1
        self.cached += int(call.cached)
        self.failed += int(call.error is not None)

    def merge(self, other: Totals) -> None:
        self.calls += other.calls
        self.input_tokens += other.input_tokens
        self.output_tokens += other.output_tokens
        self.cost_usd += other.cost_usd
        self.unpriced += other.unpriced
        self.cached += other.cached
        self.failed += other.failed

    def copy(self) -> Totals:
        out = Totals()
        out.merge(self)
        return out


@dataclass(slots=True, eq=False)
class LMCall:
    """One model call: a run's root turn, or an `llm_query` made from its code."""

    call_id: str
    run_id: str
    role: str
    model: str
    depth: int | None
    messages: list[dict[str, Any]]
    reply: str | None
    error: str | None
    input_tokens: int
    output_tokens: int
    cost_usd: float | None
    duration: float | None
    cached: bool
    ts: float | None
    cell: int | None = None
    """Index of the cell that made this sub-call, when known."""
    cell_recorded: bool = False
    """The trace itself said which cell (or that none) made this call: nothing to infer."""
    source: str | None = None
    """Where a cached reply came from ("disk" cache, a recorded "trace"), when the trace says."""
    finish_reason: str | None = None
    n_messages: int | None = None
    """How many messages the whole request had (`messages` holds only the new ones)."""
    retries: list[str] = field(default_factory=list)
    """The failures retried before this call's outcome, as "attempt N: error"."""

    @property
    def prompt(self) -> str:
        """The last message sent: for a sub-call, its whole prompt."""
        for message in reversed(self.messages):
            content = message.get("content") if isinstance(message, dict) else None
            if content is not None:
                return _str(content)
        return ""

    @property
    def started(self) -> float | None:
        if self.ts is None:
            return None
        return self.ts - (self.duration or 0.0)


@dataclass(slots=True, eq=False)
class Cell:
    """One code block the model wrote, as the worker ran it."""

    iteration: int
    index: int
    code: str
    stdout: str
    stdout_total: int | None
    error: str | None
    final: str | None
    notes: list[str]
    restarted: bool
    duration: float | None
    ts: float | None


@dataclass(slots=True, eq=False)
class Iteration:
    """One turn of a run: the root model's reply, the cells it ran, what those cells called."""

    run_id: str
    number: int
    root_call: LMCall | None = None
    cells: list[Cell] = field(default_factory=list)
    sub_calls: list[LMCall] = field(default_factory=list)
    children: list[Run] = field(default_factory=list)
    budget: dict[str, Any] | None = None
    """The tree-wide budget snapshot written after this iteration."""
    final_turn: bool = False
    """The extra "answer now" turn a run gets when a limit ends it."""
    running: list[int] = field(default_factory=list)
    """Cells that started (`cell_start`) but never reported: killed, or still running."""
    notes: list[str] = field(default_factory=list)
    """Limits hit by this iteration's sub-calls, and the like."""
    started: float | None = None
    ended: float | None = None
    own: Totals = field(default_factory=Totals)
    """The root call and sub-calls of this iteration."""
    totals: Totals = field(default_factory=Totals)
    """`own` plus everything its child runs used."""

    @property
    def duration(self) -> float | None:
        if self.started is None or self.ended is None:
            return None
        return max(0.0, self.ended - self.started)

    @property
    def errors(self) -> int:
        return sum(1 for c in self.cells if c.error)

    def calls_of(self, cell: int | None) -> list[LMCall]:
        """Sub-calls made by cell number `cell` (None: those no cell could be matched to)."""
        return [c for c in self.sub_calls if c.cell == cell]

    def children_of(self, cell: int | None) -> list[Run]:
        """Child runs started by cell number `cell` (None: those no cell could be matched to)."""
        return [r for r in self.children if r.parent_cell == cell]

    def _touch(self, ts: float | None) -> None:
        if ts is None:
            return
        if self.started is None or ts < self.started:
            self.started = ts
        if self.ended is None or ts > self.ended:
            self.ended = ts


@dataclass(slots=True, eq=False)
class Run:
    """One RLM run, the root or a child, with its iterations and its child runs."""

    run_id: str
    parent_id: str | None = None
    depth: int = 0
    question: str = ""
    root_model: str = ""
    sub_model: str = ""
    limits: dict[str, Any] = field(default_factory=dict)
    context: dict[str, Any] | None = None
    iterations: list[Iteration] = field(default_factory=list)
    children: list[Run] = field(default_factory=list)
    parent_iteration: int | None = None
    parent_cell: int | None = None
    started: float | None = None
    ended: float | None = None
    finished: bool = False
    answer: str | None = None
    stopped_by: str | None = None
    error: str | None = None
    reported_iterations: int | None = None
    notes: list[str] = field(default_factory=list)
    """Things worth showing that belong to no iteration (setup errors, a missing run_start)."""
    evidence: list[dict[str, Any]] = field(default_factory=list)
    """What the run read of its context that supports its answer (the `evidence` event's items)."""
    resumed: int = 0
    own: Totals = field(default_factory=Totals)
    """Every LM call this run made itself (root turns and llm_query calls)."""
    totals: Totals = field(default_factory=Totals)
    """`own` plus every descendant run."""

    @property
    def status(self) -> str:
        """`final`, the limit that ended the run, or `unfinished` (no run_end: killed or running)."""
        if not self.finished:
            return "unfinished"
        return self.stopped_by or "ended"

    @property
    def duration(self) -> float | None:
        if self.started is None or self.ended is None:
            return None
        return max(0.0, self.ended - self.started)

    def walk(self) -> Iterator[Run]:
        """This run and all its descendants, depth first, in start order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def _touch(self, ts: float | None) -> None:
        if ts is None:
            return
        if self.started is None or ts < self.started:
            self.started = ts
        if not self.finished and (self.ended is None or ts > self.ended):
            self.ended = ts


@dataclass(slots=True, eq=False)
class TraceView:
    """A whole trace: its root run(s), header fields, and what the viewer skipped."""

    path: Path | None
    roots: list[Run]
    runs: dict[str, Run]
    meta: dict[str, Any]
    ignored: Counter[str]
    n_events: int
    totals: Totals
    started: float | None
    ended: float | None

    @property
    def root(self) -> Run | None:
        return self.roots[0] if self.roots else None

    @property
    def duration(self) -> float | None:
        if self.started is None or self.ended is None:
            return None
        return max(0.0, self.ended - self.started)

    @property
    def max_depth(self) -> int:
        return max((r.depth for r in self.runs.values()), default=0)

    def walk(self) -> Iterator[Run]:
        for root in self.roots:
            yield from root.walk()


# -- building ----------------------------------------------------------------------------------
_CELL_REF = re.compile(r"(\d+)\D+(\d+)$")


def _parse_cell_ref(value: Any) -> tuple[int | None, int | None]:
    """`parent_cell` in any reasonable shape -> (iteration, cell index); unknown parts None."""
    if isinstance(value, dict):
        return _int(value.get("iteration")), _int(value.get("index", value.get("cell")))
    if isinstance(value, (list, tuple)) and len(value) >= 2:
        return _int(value[-2]), _int(value[-1])
    if isinstance(value, int) and not isinstance(value, bool):
        return None, value
    if isinstance(value, str):
        m = _CELL_REF.search(value)
        if m:
            return int(m.group(1)), int(m.group(2))
        return None, _int(value)
    return None, None


class _Builder:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.runs: dict[str, Run] = {}
        self.roots: list[Run] = []
        self.meta: dict[str, Any] = {}
        self.ignored: Counter[str] = Counter()
        self.n_events = 0
        self.first_ts: float | None = None
        self.last_ts: float | None = None
        self.retries: dict[tuple[str, str], list[str]] = {}

    # The run a `run_id` names; an event for a run we never saw start still gets shown.
    def run(self, run_id: str, ts: float | None) -> Run:
        run = self.runs.get(run_id)
        if run is None:
            run = Run(run_id=run_id, depth=run_id.count("."))
            run.notes.append("no run_start event for this run (the trace starts mid-way)")
            self._attach(run, self._guess_parent(run_id), None)
            self.runs[run_id] = run
            run._touch(ts)
        return run

    def _guess_parent(self, run_id: str) -> str | None:
        head, dot, _ = run_id.rpartition(".")
        return head if dot and head in self.runs else None

    def _attach(self, run: Run, parent_id: str | None, cell_ref: Any) -> None:
        parent = self.runs.get(parent_id) if parent_id else None
        if parent is None:
            run.parent_id = None
            self.roots.append(run)
            return
        run.parent_id = parent.run_id
        parent.children.append(run)
        want_iter, want_cell = _parse_cell_ref(cell_ref)
        iteration = self._iteration_for(parent, want_iter, None)
        if iteration is not None:
            run.parent_iteration = iteration.number
            run.parent_cell = want_cell
            iteration.children.append(run)

    def _iteration_for(self, run: Run, number: int | None, ts: float | None) -> Iteration | None:
        """Iteration `number` of `run` (made if missing), or the current one when number is None."""
        if number is None:
            return run.iterations[-1] if run.iterations else None
        for it in reversed(run.iterations):
            if it.number == number:
                return it
        it = Iteration(run_id=run.run_id, number=number)
        it._touch(ts)
        run.iterations.append(it)
        run.iterations.sort(key=lambda i: i.number)
        return it

    def feed(self, event: dict[str, Any] | Event) -> None:
        ev = parse_event(event)
        self.n_events += 1
        kind = ev.kind
        ts = ev.ts
        if ts is not None:
            self.first_ts = ts if self.first_ts is None else min(self.first_ts, ts)
            self.last_ts = ts if self.last_ts is None else max(self.last_ts, ts)
        header = ev.header if isinstance(ev, RunStartEvent) else ev.extra.get("header")
        if isinstance(header, dict):  # the first event may carry the trace's header
            self.meta.update(header)
        if isinstance(ev, UnknownEvent) and kind in ("trace_start", "trace_header"):
            self.meta.update(ev.extra)
            if ts is not None:
                self.meta["ts"] = ts
            return
        handler = _HANDLERS.get(type(ev))
        run_id = getattr(ev, "run_id", None)
        if handler is None or not isinstance(run_id, str) or not run_id:
            self.ignored[kind or "?"] += 1
            return
        handler(self, ev, run_id, ts)

    def on_run_start(self, ev: RunStartEvent, run_id: str, ts: float | None) -> None:
        run = self.runs.get(run_id)
        if run is not None:  # the same run started again: a resumed trace appends to its run
            run.resumed += 1
            run.finished = False
            return
        parent = ev.parent_call or _opt_str(ev.extra.get("parent_run"))
        if parent is not None and parent not in self.runs:
            parent = self._guess_parent(run_id)
        run = Run(
            run_id=run_id,
            depth=ev.depth,
            question=ev.question,
            root_model=ev.root_model,
            sub_model=ev.sub_model,
            limits=ev.limits,
        )
        self.runs[run_id] = run
        self._attach(run, parent, _raw(ev, "parent_cell"))
        run._touch(ts)

    def on_context(self, ev: ContextEvent, run_id: str, ts: float | None) -> None:
        run = self.run(run_id, ts)
        shown = {"kind": "value_kind", "n_chars": "n_chars", "sha256": "sha256"}
        run.context = {key: getattr(ev, name) for key, name in shown.items() if ev.has(name)}

    def on_setup_error(self, ev: SetupErrorEvent, run_id: str, ts: float | None) -> None:
        self.run(run_id, ts).notes.append("REPL setup failed: " + ev.error)

    def on_lm_call(self, ev: LMCallEvent, run_id: str, ts: float | None) -> None:
        run = self.run(run_id, ts)
        call = LMCall(
            call_id=ev.call_id,
            run_id=run_id,
            role=ev.role or "root",
            model=ev.model,
            depth=_opt(ev, "depth"),
            messages=ev.messages,
            reply=ev.reply,
            error=ev.error,
            input_tokens=ev.input_tokens,
            output_tokens=ev.output_tokens,
            cost_usd=ev.cost_usd,
            duration=ev.duration,
            cached=bool(ev.cached),
            ts=ts,
            source=ev.source,
            finish_reason=ev.finish_reason,
            n_messages=ev.n_messages,
            retries=self.retries.pop((run_id, ev.call_id), []),
        )
        run.own.add_call(call)
        run._touch(call.started)
        run._touch(ts)
        iteration = _int(ev.extra.get("iteration"))  # not written by recursor; used when present
        if call.role == "root":
            last = run.iterations[-1] if run.iterations else None
            if iteration is None and last is not None and last.root_call is None and not last.cells:
                # A sub-call made before the first root turn (a reading of the first look) opened
                # this iteration: the root turn it went before is this one, not the next.
                it = last
                it.root_call = call
            else:
                number = iteration if iteration is not None else (last.number if last else 0) + 1
                it = Iteration(run_id=run_id, number=number, root_call=call)
                run.iterations.append(it)
                run.iterations.sort(key=lambda i: i.number)
            it._touch(call.started)
            it._touch(ts)
            it.own.add_call(call)
            return
        if "parent_cell" in ev.extra:
            ref, call.cell_recorded = ev.extra["parent_cell"], True
        else:  # v2 writes `cell`, null outside a cell
            ref, call.cell_recorded = _raw(ev, "cell"), _present(ev, "cell")
        want_iter, want_cell = _parse_cell_ref(ref)
        if want_iter is None:
            want_iter = iteration
        found = self._iteration_for(run, want_iter, ts)
        if found is None:  # a sub-call before any root turn: give it an iteration of its own
            found = self._iteration_for(run, 1, ts)
        assert found is not None
        call.cell = want_cell
        found.sub_calls.append(call)
        found.own.add_call(call)
        found._touch(ts)

    def on_cell(self, ev: CellEvent, run_id: str, ts: float | None) -> None:
        run = self.run(run_id, ts)
        it = self._iteration_for(run, _opt(ev, "iteration"), ts)
        if it is None:
            it = self._iteration_for(run, 1, ts)
        assert it is not None
        cell = Cell(
            iteration=it.number,
            index=ev.index or len(it.cells) + 1,
            code=ev.code,
            stdout=ev.stdout,
            stdout_total=_opt(ev, "stdout_total"),
            error=ev.error or None,
            final=ev.final,
            notes=ev.notes,
            restarted=ev.restarted,
            duration=_opt(ev, "duration"),
            ts=ts,
        )
        it.cells.append(cell)
        if cell.index in it.running:
            it.running.remove(cell.index)
        # What this run started since its previous cell came from this one (cells run in turn).
        for call in it.sub_calls:
            if call.cell is None and not call.cell_recorded:
                call.cell = cell.index
        for child in it.children:
            if child.parent_cell is None:
                child.parent_cell = cell.index
        it._touch(ts)
        run._touch(ts)

    def on_cell_start(self, ev: CellStartEvent, run_id: str, ts: float | None) -> None:
        run = self.run(run_id, ts)
        it = self._iteration_for(run, _opt(ev, "iteration"), ts)
        index = _opt(ev, "index")
        if it is not None and index is not None and index not in it.running:
            it.running.append(index)
            it._touch(ts)
        run._touch(ts)

    def on_retry(self, ev: RetryEvent, run_id: str, ts: float | None) -> None:
        attempt: int | None = _opt(ev, "attempt")
        wait: float | None = _opt(ev, "wait")
        text = f"attempt {attempt}: {ev.error}" if attempt is not None else ev.error
        if wait is not None:
            text += f" (waited {wait:.1f} s)"
        self.retries.setdefault((run_id, ev.call_id), []).append(text)
        self.run(run_id, ts)._touch(ts)

    def on_limit(self, ev: LimitEvent, run_id: str, ts: float | None) -> None:
        run = self.run(run_id, ts)
        text = f"limit reached: {ev.limit or '?'}"
        if ev.detail:
            text += f" ({ev.detail})"
        it = run.iterations[-1] if run.iterations else None
        if ev.role != "root" and it is not None:
            it.notes.append(text)
            it._touch(ts)
        else:
            run.notes.append(text)
        run._touch(ts)

    def on_budget(self, ev: BudgetEvent, run_id: str, ts: float | None) -> None:
        run = self.run(run_id, ts)
        it = self._iteration_for(run, _opt(ev, "iteration"), ts)
        if it is not None:
            it.budget = {k: v for k, v in ev.to_dict().items()
                         if k not in ("event", "run_id", "iteration") and _present(ev, k)}
            it._touch(ts)
        run._touch(ts)

    def on_evidence(self, ev: EvidenceEvent, run_id: str, ts: float | None) -> None:
        run = self.run(run_id, ts)
        run.evidence = list(ev.items)
        run._touch(ts)

    def on_run_end(self, ev: RunEndEvent, run_id: str, ts: float | None) -> None:
        run = self.run(run_id, ts)
        run.finished = True
        run.answer = _opt(ev, "answer")
        run.stopped_by = _opt(ev, "stopped_by")
        run.error = ev.error
        run.reported_iterations = _opt(ev, "iterations")
        if ts is not None:
            run.ended = ts

    def finish(self) -> TraceView:
        for run in self.runs.values():
            self._mark_final_turn(run)
            for it in run.iterations:
                for child in it.children:  # a child's whole life is part of the iteration's time
                    it._touch(child.started)
                    it._touch(child.ended)
        total = Totals()
        for root in self.roots:
            _roll_up(root)
            total.merge(root.totals)
        return TraceView(
            path=self.path,
            roots=self.roots,
            runs=self.runs,
            meta=self.meta,
            ignored=self.ignored,
            n_events=self.n_events,
            totals=total,
            started=self.first_ts,
            ended=self.last_ts,
        )

    @staticmethod
    def _mark_final_turn(run: Run) -> None:
        """A root turn past the reported iteration count is the "answer now" turn after a limit
        (it runs no cell but a block that is one FINAL(...) call)."""
        if not run.finished or run.reported_iterations is None or run.stopped_by in ("final", "lm_error"):
            return
        for it in run.iterations:
            if it.number > run.reported_iterations and all(final_call(c.code) is not None for c in it.cells):
                it.final_turn = True


_HANDLERS: dict[type[Event], Callable[[_Builder, Any, str, float | None], None]] = {
    RunStartEvent: _Builder.on_run_start,
    ContextEvent: _Builder.on_context,
    SetupErrorEvent: _Builder.on_setup_error,
    LMCallEvent: _Builder.on_lm_call,
    CellEvent: _Builder.on_cell,
    CellStartEvent: _Builder.on_cell_start,
    RetryEvent: _Builder.on_retry,
    LimitEvent: _Builder.on_limit,
    BudgetEvent: _Builder.on_budget,
    RunEndEvent: _Builder.on_run_end,
    EvidenceEvent: _Builder.on_evidence,
}
"""How each kind of event shapes the tree; other kinds are counted in `ignored`."""


def evidence_place(item: dict[str, Any]) -> str:
    """Where an evidence item is: "path:3", "path:3-5", "[2] line 3" or "line 3 (chars 10-40)"."""
    key, first, last = item.get("key"), as_int(item.get("line_start")), as_int(item.get("line_end"))
    lines = "?" if first is None else str(first) if last in (None, first) else f"{first}-{last}"
    if isinstance(key, str):
        return f"{key}:{lines}"
    where = f"[{key}] " if isinstance(key, int) else ""
    start, end = as_int(item.get("start")), as_int(item.get("end"))
    chars = f" (chars {start:,}-{end:,})" if start is not None and end is not None else ""
    return f"{where}line {lines}{chars}"


def _roll_up(run: Run) -> Totals:
    """Set `totals` on `run`, its iterations and descendants; a child's usage counts in its parent's."""
    run.totals = run.own.copy()
    attached: set[int] = set()
    for it in run.iterations:
        it.totals = it.own.copy()
        for child in it.children:
            it.totals.merge(_roll_up(child))
            attached.add(id(child))
    for child in run.children:
        if id(child) not in attached:
            _roll_up(child)
        run.totals.merge(child.totals)
    return run.totals


def build_view(events: Sequence[dict[str, Any] | Event], path: Path | None = None) -> TraceView:
    """The view model of a trace's events (decoded lines or parsed events, in file order)."""
    builder = _Builder(path)
    for event in events:
        if isinstance(event, (dict, Event)):  # a line that is not a JSON object is skipped
            builder.feed(event)
    return builder.finish()


def load_view(path: Path | str) -> TraceView:
    """Read a trace file (blobs resolved) and build its view model."""
    path = Path(path)
    return build_view(read_events(path), path)


# -- formatting shared by both viewers ------------------------------------------------------------
def format_tokens(n: int) -> str:
    """Exact with thousands separators: viewers align these in columns."""
    return f"{n:,}"


def format_cost(totals: Totals) -> str:
    """`$0.0123`; `—` when no call had a price; a trailing `+` when some calls had none."""
    if totals.unpriced and totals.cost_usd == 0:
        return "—"
    cost = totals.cost_usd
    if 0 < cost < 0.0001:
        text = "<$0.0001"
    else:
        text = f"${cost:.4f}" if cost < 1 else f"${cost:,.2f}"
    return text + ("+" if totals.unpriced else "")


def format_duration(seconds: float | None) -> str:
    """`0.42 s`, `12.3 s`, `2m 05s`, `1h 02m`; `—` when unknown."""
    if seconds is None:
        return "—"
    if seconds < 10:
        return f"{seconds:.2f} s"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, sec = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes}m {sec:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"
