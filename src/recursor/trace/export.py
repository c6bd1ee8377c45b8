"""Training data from traces: the root trajectories of runs as chat conversations.

`recursor export TRACES... --format sft|preference` reads traces (files, or directories searched
for `*.jsonl`), rebuilds each root run's conversation exactly as the model saw it, filters the
runs the way the paper's RLM-Qwen3-8B data was filtered (answered right, finished, not too
long) and writes chat-format JSONL. See the README ("Trajectories for training") for the
output shapes.

How a conversation is rebuilt: a root `lm_call` logs only the messages that are new since
the run's previous successful root call (docs/trace-format.md, "Message deltas"); each
request is rebuilt from the previous one plus its reply, and checked against the recorded
`request_hash`. The conversation is the last request plus the last reply:

    system, user (metadata and question), assistant, user (REPL output), ..., assistant

Every message but the last is exactly what the model was sent (later requests hold the
earlier replies as the engine kept them). The last assistant message is the last reply,
normalised so that it ends in exactly one final answer, in the form that really ended the run
(`final_turn`): the reply as written when a cell ended it (FINAL() in code, `answer["ready"]`);
a closing `FINAL_VAR(name)` when a prose FINAL_VAR(name), or a FINAL(name) naming a REPL
variable, did; else a closing `FINAL(<the run's answer>)` (a FINAL(text), or with
`include_unfinished` a limit's best answer). Stray and dead FINAL lines go. A variable's value
is never written out for the model: it may never have seen it, and would learn to guess; and a
reply whose code already answered gains no second FINAL. A conversation whose final line would
not parse back (unbalanced parentheses, an unclosed fence) is dropped ("final_form") rather
than taught wrong.

Sizes: a conversation with any message over `max_chars` is dropped, not truncated. The
engine already cuts REPL output to its output limit, so an over-long message is an outlier
(a huge reply, a context pasted into a prompt); truncating it would teach the model a reply
that breaks off mid-code, or REPL output that never happened, while the later turns still
refer to what was cut.

Nothing here raises on a bad trace: a file that is not a trace, is cut short (a killed run:
no root `run_end`), misses a blob, or whose deltas do not rebuild to the recorded hashes is
skipped and counted under its reason.
"""

from __future__ import annotations

import hashlib
import json
import keyword
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from recursor.errors import UserError
from recursor.lm.base import request_hash
from recursor.protocol import FinalAnswer, parse_reply
from recursor.trace.events import (
    CellEvent,
    ContextEvent,
    Event,
    LMCallEvent,
    RunEndEvent,
    RunStartEvent,
    parse_events,
)
from recursor.trace.reader import read_events

__all__ = [
    "Conversation",
    "ExportOptions",
    "ExportStats",
    "ScoreIndex",
    "collect",
    "export",
    "final_turn",
    "iter_trace_files",
    "preference_records",
    "rebuild_run",
    "sft_records",
]

ChatMessage = dict[str, str]
Format = Literal["sft", "preference"]


class Skip(Exception):
    """A run (or a whole trace) is left out; `reason` is what the summary counts."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason if not detail else f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class ExportOptions:
    min_score: float = 1.0
    """SFT keeps a run whose known score is at least this; preference pairs need a chosen run this good."""
    require_score: bool = False
    """Drop runs no results row scores (by default a run with no known score is kept)."""
    max_chars: int = 32_000
    """A conversation with a message longer than this is dropped; 0: no bound."""
    include_unfinished: bool = False
    """Keep runs a limit ended (max_iterations, max_usd, ...), ending in their best answer."""
    children: bool = False
    """Also export child runs (rlm_query) of kept roots, each as its own conversation."""
    meta: bool = True
    """Add a `meta` object (trace, run, task, score) to every record."""


@dataclass(slots=True)
class Conversation:
    """One run's rebuilt conversation and what is known about it."""

    trace: Path
    run_id: str
    messages: list[ChatMessage]
    question: str
    context_sha256: str | None
    answer: str
    stopped_by: str
    score: float | None = None
    task_id: str | None = None
    method: str | None = None

    @property
    def task_key(self) -> tuple[str, str | None]:
        """Runs of the same task: the same question about the same context."""
        return self.question, self.context_sha256

    def meta(self) -> dict[str, Any]:
        return {"trace": str(self.trace), "run_id": self.run_id, "task_id": self.task_id,
                "method": self.method, "score": self.score, "stopped_by": self.stopped_by,
                "answer": self.answer}


@dataclass(slots=True)
class ExportStats:
    """What the summary on stderr says."""

    files: int = 0
    runs: int = 0
    kept: int = 0
    written: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def drop(self, reason: str, where: str = "", detail: str = "") -> None:
        self.dropped[reason] += 1
        if where and len(self.notes) < 20:
            self.notes.append(f"{where}: {reason}" + (f" ({detail})" if detail else ""))

    def summary(self, fmt: Format) -> str:
        what = "conversations" if fmt == "sft" else "preference pairs"
        lines = [f"read {self.files} trace file(s), {self.runs} run(s); kept {self.kept}; "
                 f"wrote {self.written} {what}"]
        if self.dropped:
            lines.append("dropped: " + ", ".join(f"{r} {n}" for r, n in sorted(self.dropped.items())))
        return "\n".join(lines)


# -- scores ---------------------------------------------------------------------------------
class ScoreIndex:
    """Bench result rows (`recursor bench --out`), found by the trace path they name.

    A row links by its `trace_path` resolved (relative paths against the results file's
    directory and the current directory), else by the trace's file name when only one row
    has it (traces moved to another directory keep their names).
    """

    def __init__(self, rows: Iterable[dict[str, Any]] = (), base: Path | None = None) -> None:
        self._by_path: dict[str, dict[str, Any]] = {}
        by_name: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            trace = row.get("trace_path")
            if not isinstance(trace, str) or not trace or _score_of(row) is None:
                continue
            path = Path(trace)
            candidates = [path] if path.is_absolute() else [*([base / path] if base else []), path]
            for candidate in candidates:
                self._by_path[_key(candidate)] = row
            by_name.setdefault(path.name, []).append(row)
        self._by_name = {name: rows[0] for name, rows in by_name.items() if len(rows) == 1}

    def __len__(self) -> int:
        return len(self._by_name) + len(self._by_path)

    @classmethod
    def load(cls, path: Path) -> ScoreIndex:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise UserError(f"cannot read the scores file {path}: {exc.strerror or exc}") from None
        rows = []
        for line in text.splitlines():
            try:
                row = json.loads(line)
            except ValueError:
                continue  # a torn last line of a killed bench
            if isinstance(row, dict):
                rows.append(row)
        return cls(rows, base=path.parent)

    def find(self, trace: Path) -> dict[str, Any] | None:
        return self._by_path.get(_key(trace)) or self._by_name.get(trace.name)


def _key(path: Path) -> str:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):
        return str(path.absolute())


def _score_of(row: dict[str, Any]) -> float | None:
    value = row.get("score")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


# -- reading traces -------------------------------------------------------------------------
def iter_trace_files(paths: Sequence[Path]) -> Iterator[Path]:
    """The files named, and every `*.jsonl` under the directories named (sorted, blobs skipped),
    each once."""
    seen: set[str] = set()
    for path in paths:
        if path.is_dir():
            found = [p for p in sorted(path.rglob("*.jsonl"))
                     if "blobs" not in p.relative_to(path).parts and p.is_file()]
        else:
            found = [path]
        for item in found:
            key = _key(item)
            if key not in seen:
                seen.add(key)
                yield item


def _load(path: Path) -> list[Event]:
    try:
        raw = read_events(path)
    except UserError as exc:
        text = str(exc)
        raise Skip("missing_blob" if "blob" in text else "unreadable", text) from None
    except (OSError, ValueError, RecursionError) as exc:
        raise Skip("unreadable", f"{type(exc).__name__}: {exc}") from None
    events = parse_events(raw)
    roots = [e for e in events if isinstance(e, RunStartEvent) and e.run_id == "root"]
    if not roots:
        raise Skip("not_a_trace", "no root run_start event")
    if len(roots) > 1:
        raise Skip("malformed", "more than one root run_start")
    return events


def rebuild_run(events: Sequence[Event], run_id: str) -> tuple[list[ChatMessage], str]:
    """The last request of run `run_id`'s root model, rebuilt from the deltas, and its reply.

    Raises `Skip` when the trace cannot give it exactly (no successful root call, a delta
    that does not fit, a rebuilt request whose hash differs from the recorded one).
    """
    base: list[ChatMessage] | None = None
    last: tuple[list[ChatMessage], str] | None = None
    for event in events:
        if not isinstance(event, LMCallEvent) or event.run_id != run_id or event.role != "root":
            continue
        if event.n_messages is None:
            raise Skip("old_schema", "root calls without n_messages (schema v1)")
        new = [_message(m) for m in event.messages]
        keep = event.n_messages - len(new)
        if keep < 0 or (keep > 0 and (base is None or keep > len(base))):
            raise Skip("broken_deltas", f"call {event.call_id}")
        request = [*(base[:keep] if base and keep else []), *new]
        if event.request_hash and request_hash(request) != event.request_hash:
            raise Skip("hash_mismatch", f"call {event.call_id}")
        if event.error is None and event.reply is not None:
            base = [*request, {"role": "assistant", "content": event.reply}]
            last = (request, event.reply)
    if last is None:
        raise Skip("no_turns", "no successful root call")
    return last


def _message(raw: dict[str, Any]) -> ChatMessage:
    content = raw.get("content", "")
    return {"role": str(raw.get("role", "")), "content": content if isinstance(content, str) else str(content)}


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _first_true(lo: int, hi: int, test: Any) -> int:
    """The smallest n in [lo, hi] with test(n) true, test monotone; hi when none before it."""
    while lo < hi:
        mid = (lo + hi) // 2
        if test(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def _without_first_final(text: str) -> str | None:
    """`text` without the lines of its first prose FINAL/FINAL_VAR answer; None if it has none."""
    full = parse_reply(text).final
    if full is None:
        return None
    lines = _LINE.findall(text)

    def prefix(n: int) -> FinalAnswer | None:
        return parse_reply("".join(lines[:n])).final

    start = _first_true(1, len(lines), lambda n: prefix(n) is not None) - 1  # the FINAL( line
    end = _first_true(start + 1, len(lines), lambda n: prefix(n) == full)  # just past its last line
    return "".join(lines[:start] + lines[end:])


def final_turn(reply: str, answer: str, *, ended_in_code: bool = False, finished: bool = True) -> str | None:
    """The last reply, ending in exactly one final answer of the form that ended the run.

    `ended_in_code`: a cell of this reply gave the answer, so the reply stays as written, less
    any prose FINAL lines (dead: the cell's answer was taken first). Otherwise the first prose
    final is the one that counted: a FINAL_VAR(name), or a FINAL(name) that named a REPL
    variable (its text is not the answer), closes the reply as `FINAL_VAR(name)` when the run
    `finished` by it; anything else closes it as `FINAL(answer)`. None when the result would
    not parse back to that final (so it would teach a wrong form).
    """
    first = parse_reply(reply).final
    body = reply
    for _ in range(8):  # only the first FINAL counts; drop any later ones so ours is the one
        cut = _without_first_final(body)
        if cut is None:
            break
        body = cut
    else:
        return None
    body = body.rstrip()
    if ended_in_code:
        return body if body and parse_reply(body).final is None else None
    by_name = first is not None and finished and (first.kind == "var" or (
        first.value != answer.strip() and first.value != "answer" and first.value.isidentifier()
        and not keyword.iskeyword(first.value)))
    want = FinalAnswer("var", first.value) if by_name and first is not None else FinalAnswer("text", answer.strip())
    closing = f"FINAL_VAR({want.value})" if want.kind == "var" else f"FINAL({answer})"
    text = f"{body}\n\n{closing}" if body else closing
    return text if parse_reply(text).final == want else None


def _ended_in_code(events: Sequence[Event], run_id: str) -> bool:
    """A cell run after the run's last successful root call (its last reply's) gave the answer."""
    last = -1
    for i, event in enumerate(events):
        if isinstance(event, LMCallEvent) and event.run_id == run_id and event.role == "root" and event.error is None:
            last = i
    return any(isinstance(e, CellEvent) and e.run_id == run_id and e.final is not None for e in events[last + 1:])


# -- collecting conversations ---------------------------------------------------------------
def _conversation(path: Path, events: Sequence[Event], run_id: str,
                  opts: ExportOptions) -> Conversation:
    start = next((e for e in events if isinstance(e, RunStartEvent) and e.run_id == run_id), None)
    if start is None:
        raise Skip("malformed", f"no run_start for {run_id}")
    if start.mode == "direct":
        raise Skip("direct_mode")
    end = next((e for e in events if isinstance(e, RunEndEvent) and e.run_id == run_id), None)
    if end is None:
        raise Skip("truncated", "no run_end (the run was killed or is still going)")
    if end.stopped_by != "final" and not opts.include_unfinished:
        raise Skip("unfinished", f"stopped by {end.stopped_by}")
    if not end.answer.strip():
        raise Skip("no_answer")
    request, reply = rebuild_run(events, run_id)
    last = final_turn(reply, end.answer, ended_in_code=_ended_in_code(events, run_id),
                      finished=end.stopped_by == "final")
    if last is None:
        raise Skip("final_form", "FINAL(answer) does not parse back to the answer")
    messages = [*request, {"role": "assistant", "content": last}]
    if opts.max_chars and any(len(m["content"]) > opts.max_chars for m in messages):
        raise Skip("too_long", f"a message over {opts.max_chars:,} characters")
    context = next((e for e in events if isinstance(e, ContextEvent) and e.run_id == run_id), None)
    return Conversation(trace=path, run_id=run_id, messages=messages, question=start.question,
                        context_sha256=context.sha256 if context is not None else None,
                        answer=end.answer, stopped_by=end.stopped_by)


def collect(paths: Sequence[Path], scores: ScoreIndex | None, opts: ExportOptions, fmt: Format,
            stats: ExportStats) -> list[Conversation]:
    """The conversations to export, in file order; every run left out is counted in `stats`.

    For SFT the score filter applies here; for preference every scored run is kept (pairs
    need the lower-scoring ones too) and unscored runs are left out.
    """
    out: list[Conversation] = []
    seen: set[str] = set()
    for path in iter_trace_files(paths):
        stats.files += 1
        try:
            events = _load(path)
        except Skip as skip:
            stats.drop(skip.reason, str(path), skip.detail)
            continue
        stats.runs += 1
        row = scores.find(path) if scores is not None else None
        try:
            conv = _conversation(path, events, "root", opts)
            if row is not None:
                conv.score, conv.task_id = _score_of(row), _opt_str(row.get("task_id"))
                conv.method = _opt_str(row.get("method"))
            if conv.score is None and (opts.require_score or fmt == "preference"):
                raise Skip("unscored")
            if fmt == "sft" and conv.score is not None and conv.score < opts.min_score:
                raise Skip("low_score", f"{conv.score:g} < {opts.min_score:g}")
        except Skip as skip:
            stats.drop(skip.reason, str(path), skip.detail)
            continue
        if _seen(conv, seen):
            stats.drop("duplicate", str(path))
            continue
        out.append(conv)
        stats.kept += 1
        if not opts.children or fmt != "sft":
            continue
        for child in _child_ids(events):
            stats.runs += 1
            try:
                sub = _conversation(path, events, child, opts)
            except Skip as skip:
                stats.drop(skip.reason, f"{path} {child}", skip.detail)
                continue
            sub.task_id, sub.method = conv.task_id, conv.method  # scored by its root's answer
            if _seen(sub, seen):
                stats.drop("duplicate", f"{path} {child}")
                continue
            out.append(sub)
            stats.kept += 1
    return out


def _seen(conv: Conversation, seen: set[str]) -> bool:
    """Whether the same conversation was kept already (a replayed trace repeats its original)."""
    digest = hashlib.sha256(json.dumps(conv.messages, ensure_ascii=True).encode()).hexdigest()
    if digest in seen:
        return True
    seen.add(digest)
    return False


def _child_ids(events: Sequence[Event]) -> list[str]:
    return [e.run_id for e in events if isinstance(e, RunStartEvent) and e.run_id != "root" and e.run_id]


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


# -- records --------------------------------------------------------------------------------
def sft_records(convs: Iterable[Conversation], opts: ExportOptions) -> Iterator[dict[str, Any]]:
    """`{"messages": [...], "meta": {...}}` per conversation."""
    for conv in convs:
        record: dict[str, Any] = {"messages": conv.messages}
        if opts.meta:
            record["meta"] = conv.meta()
        yield record


def preference_records(convs: Iterable[Conversation], opts: ExportOptions,
                       stats: ExportStats | None = None) -> Iterator[dict[str, Any]]:
    """Pairs of runs of the same task whose scores differ.

    For every two scored runs of one task (same question, same context sha256) where one
    scores at least `min_score` and higher than the other: `prompt` is the messages both
    share from the start (at least the system and first user message; pairs whose prompts
    differ there, e.g. rlm against rlm_nosub, are skipped), `chosen` and `rejected` the rest
    of the higher- and lower-scoring conversation.
    """
    groups: dict[tuple[str, str | None], list[Conversation]] = {}
    for conv in convs:
        if conv.run_id == "root" and conv.score is not None:
            groups.setdefault(conv.task_key, []).append(conv)
    for group in groups.values():
        ranked = sorted(group, key=lambda c: -(c.score or 0.0))
        for i, good in enumerate(ranked):
            if (good.score or 0.0) < opts.min_score:
                break
            for bad in ranked[i + 1:]:
                if (bad.score or 0.0) >= (good.score or 0.0):
                    continue
                shared = _shared_prefix(good.messages, bad.messages)
                if shared < 2:
                    if stats is not None:
                        stats.drop("pair_prompt_differs")
                    continue
                record: dict[str, Any] = {"prompt": good.messages[:shared],
                                          "chosen": good.messages[shared:],
                                          "rejected": bad.messages[shared:]}
                if opts.meta:
                    record["meta"] = {"task_id": good.task_id or bad.task_id,
                                      "chosen": good.meta(), "rejected": bad.meta()}
                yield record


def _shared_prefix(a: Sequence[ChatMessage], b: Sequence[ChatMessage]) -> int:
    n = 0
    # Never share the last message of either: chosen and rejected each keep at least one turn.
    while n < min(len(a), len(b)) - 1 and a[n] == b[n]:
        n += 1
    return n


def export(paths: Sequence[Path], *, fmt: Format = "sft", scores: ScoreIndex | None = None,
           opts: ExportOptions | None = None, stats: ExportStats | None = None) -> Iterator[dict[str, Any]]:
    """The records `recursor export` writes, one dict per JSONL line."""
    opts = opts or ExportOptions()
    stats = stats if stats is not None else ExportStats()
    convs = collect(paths, scores, opts, fmt, stats)
    records = sft_records(convs, opts) if fmt == "sft" else preference_records(convs, opts, stats)
    for record in records:
        stats.written += 1
        yield record
