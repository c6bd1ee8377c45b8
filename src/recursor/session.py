"""Sessions: one REPL and one budget across questions (`RLM.session()`).

    async with rlm.session() as session:
        first = await session.aask("Who wrote the most?", context=Path("logs/"))
        second = await session.aask("And in March?")          # same REPL, same variables

What persists between questions, and what each question gets:

- **One worker.** Variables the model made for earlier questions are still there. The first
  context is `context`; each later question that brings a context adds `context_1`,
  `context_2`, ... `history` is the list of earlier exchanges (`{"question", "answer"}` dicts)
  and `answer` is reset for each question. The root model's first message of a later question
  names every context with its metadata, says which one is new, and mentions `history`.
  A question without a context adds none, unless it is long enough to be its own context
  (`recursor.prompt_split`, as with `RLM.complete`); the first question always has one.
- **One budget.** One `Ledger` for the session: `max_usd`, `max_tokens` and `max_calls` count
  every call of every question. `timeout` is per question (each question gets that much wall
  time; time between questions is free): a session can stay open in a server for hours, and
  a session-wide clock would expire while idle. `max_iterations` is per run, as always.
- **One trace.** Each question is a root run (depth 0) with run_id "q1", "q2", ...; its child
  runs are "q1.1", .... A later context is a `context` event carrying its variable `name`.
- **Resume.** `rlm.session(resume=TRACE)` rebuilds the REPL from a session's trace after the
  process ended: for each recorded question, the session variables are set again and its
  recorded cells run again in order, with a `ReplySource` answering their sub-calls (and the
  root calls of child runs) from the trace, so no model is called for a recorded call. New
  questions then go live, and the session appends to the same trace file. Spending recorded
  in the trace counts toward the limits. Side effects of model code happen again; a cell the
  deadline cut is skipped; a call the trace cannot answer goes live (and is traced).
- **One question at a time.** `aask` calls on one session wait for each other (a lock).
  Sessions always explore through the REPL (`RLM(mode=...)` is not consulted).

The sync forms (`ask`, `close`, `with`) run on a private event loop kept for the session,
since the worker's pipes belong to the loop that started it: use either the sync or the async
forms on one session, not both.
"""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from recursor.budget import ModelUsage, UsageSummary
from recursor.context import (
    ContextInput,
    ContextValue,
    describe,
    load_context,
    store_context,
)
from recursor.errors import RecursorError, UserError
from recursor.ledger import Spend
from recursor.lm.base import Usage
from recursor.output import DEFAULT_OUTPUT_RETRIES, OutputCheck, output_spec
from recursor.prompt_split import SHORT_CHARS, split_prompt
from recursor.result import Result
from recursor.run_repl import RunRepl
from recursor.run_tree import RunTree, TreeConfig
from recursor.sandbox.base import Repl, SubcallHandler
from recursor.trace import events as ev
from recursor.trace.reader import read_events
from recursor.trace.recording import RecordedQuestion, Recording

__all__ = ["Session"]

MAX_LISTED_CONTEXTS = 20
"""Contexts named one by one in a question's first message; older ones are only counted."""


class _Outcome(Protocol):
    answer: str
    stopped_by: Any
    iterations: int
    error: str | None
    output: Any


class _RunLike(Protocol):
    @property
    def subcalls(self) -> SubcallHandler: ...

    async def run(self) -> Any: ...


RunFactory = Callable[..., _RunLike]
"""`recursor.rlm._Run`, handed in by `RLM.session` (this module must not import the loop)."""


class _Relay:
    """The shared worker's sub-call handler: serves them for the question running now."""

    target: SubcallHandler | None = None

    async def __call__(self, fn: str, args: dict[str, Any]) -> Any:
        if self.target is None:
            raise RecursorError(f"{fn}: no question is running in this session")
        return await self.target(fn, args)


class _SessionTree(RunTree):
    """The session's tree: it can be muted (a resume's rebuild) and emits a question's new
    context event right after the question's `run_start`."""

    muted = False
    after_start: ev.Event | None = None

    def emit(self, event: ev.Event) -> None:
        if self.muted and not (isinstance(event, (ev.LMCallEvent, ev.ToolCallEvent)) and not event.cached):
            return  # only a call the trace could not answer (it went live) is written
        super().emit(event)
        if isinstance(event, ev.RunStartEvent) and event.depth == 0 and self.after_start is not None:
            pending, self.after_start = self.after_start, None
            super().emit(pending)


class _SessionRepl(RunRepl):
    """The worker every question of a session runs in. Before a question first uses it, the
    session's variables are set (`prelude`); after a restart, all of them again."""

    def __init__(self, session: Session, tree: RunTree, **kw: Any) -> None:
        super().__init__(tree, **kw)
        self.session = session
        self.prelude: str | None = None

    def start(self) -> None:
        if self._start is None:  # one worker for the whole session
            super().start()

    @property
    def starting(self) -> bool:
        """The worker was started (it may still be coming up)."""
        return self._start is not None

    async def ensure(self) -> Repl:
        repl = await super().ensure()
        if self.prelude is not None:
            code, self.prelude = self.prelude, None
            result = await repl.run(code)
            if result.restarted:  # the worker had been lost (a cut cell): everything again
                await self._setup(repl)
            elif result.error:
                self.tree.emit(ev.SetupErrorEvent(run_id=self.run_id, error=result.error))
        return repl

    async def stored(self, name: str) -> Any:
        if self.prelude is not None and self.repl is not None and not self.lost:
            await self.ensure()  # never read a variable (`answer`) left by the previous question
        return await super().stored(name)

    async def _setup(self, repl: Repl) -> None:
        await super()._setup(repl)
        code = self.session._variables(everything=True)
        result = await repl.run(code)
        if result.error:
            self.tree.emit(ev.SetupErrorEvent(run_id=self.run_id, error=result.error))


def _spent(events: list[ev.Event]) -> tuple[Spend, UsageSummary]:
    """What the calls a trace records cost (a reply from the disk cache is free)."""
    spend, usage = Spend(), UsageSummary()
    for event in events:
        if not isinstance(event, ev.LMCallEvent) or event.source == "disk":
            continue
        if event.error is not None:
            spend.add(1, 0, 0.0)
            continue
        used = Usage(input_tokens=event.input_tokens, output_tokens=event.output_tokens, cost_usd=event.cost_usd)
        usage.record(event.model, event.depth, used, event.cost_usd)
        spend.add(1, used.input_tokens + used.output_tokens, event.cost_usd or 0.0)
    return spend, usage


def _usage_since(before: UsageSummary, now: UsageSummary) -> UsageSummary:
    """The usage added since `before` (a copy taken earlier of the same summary)."""

    def minus(a: ModelUsage, b: ModelUsage | None) -> ModelUsage:
        b = b or ModelUsage()
        cost = None if a.cost_usd is None or b.cost_usd is None else a.cost_usd - b.cost_usd
        return ModelUsage(a.calls - b.calls, a.input_tokens - b.input_tokens, a.output_tokens - b.output_tokens, cost)

    out = UsageSummary(total=minus(now.total, before.total))
    out.by_model = {k: d for k, v in now.by_model.items() if (d := minus(v, before.by_model.get(k))).calls}
    out.by_depth = {k: d for k, v in now.by_depth.items() if (d := minus(v, before.by_depth.get(k))).calls}
    return out


def _named(name: str, value: ContextValue) -> str:
    return describe(value).replace("Your context is", f"`{name}` is", 1)


class Session:
    """Questions asked in one REPL under one budget; see the module docstring."""

    def __init__(self, rlm: TreeConfig, run: RunFactory, *, resume: Path | str | None = None) -> None:
        self._run = run
        self._config = copy.copy(rlm)  # its own event hook and reply source; shares the clients
        self._outer = rlm.on_event
        self._config.on_event = self._on_event
        self.listener: Callable[[dict[str, Any]], None] | None = None
        """Also sees this session's events (`serve` sets it per request)."""
        self.contexts: list[tuple[str, ContextValue]] = []
        """Every context the REPL holds, as (variable, value), `context` first."""
        self.history: list[dict[str, str]] = []
        """The earlier exchanges, as `history` holds them in the REPL."""
        self.resume_path = Path(resume) if resume is not None else None
        self._recording: Recording | None = None
        self._recorded: list[RecordedQuestion] = []
        if self.resume_path is not None:
            self._recording = Recording.load(self.resume_path)
            if not self._recording.is_session:
                raise UserError(f"{self.resume_path} holds no question of a session (it records one "
                                "RLM.complete run: replay or resume it with `recursor replay` / `resume`)")
            self._recorded = list(self._recording.questions)
            self._config.reply_source = self._recording.reply_source("resume")
        self._asked = len(self._recorded)
        self._tree: _SessionTree | None = None
        self._repl: _SessionRepl | None = None
        self._relay = _Relay()
        self._lock = asyncio.Lock()
        self._runner: asyncio.Runner | None = None
        self.closed = False

    # -- what the session holds -------------------------------------------------------------------
    @property
    def trace_path(self) -> Path | None:
        return self._tree.trace_path if self._tree is not None else self.resume_path

    @property
    def usage(self) -> UsageSummary:
        """Usage of the whole session so far (a resumed one: with what its trace records)."""
        return self._tree.usage if self._tree is not None else UsageSummary()

    @property
    def busy(self) -> bool:
        """A question is being answered now."""
        return self._lock.locked()

    def _on_event(self, record: dict[str, Any]) -> None:
        for hook in (self._outer, self.listener):
            if hook is not None:
                hook(record)

    def _variables(self, *, everything: bool, new: str | None = None) -> str:
        """Code that sets the session's variables: all of them, or a question's prelude."""
        lines = ['answer = {"content": "", "ready": False}', f"history = {self.history!r}"]
        for name, value in self.contexts[1:]:
            if everything or name == new:
                lines.append(f"{name} = {value!r}")
        return "\n".join(lines) + "\n"

    def _metadata(self, new: str | None) -> str:
        """The first message's description of the REPL, for a question after the first."""
        shown = self.contexts[-MAX_LISTED_CONTEXTS:]
        lines = ["This REPL is a session: variables you made for earlier questions are still defined.",
                 "It holds these contexts:"]
        if len(self.contexts) > len(shown):
            lines.append(f"- ... {len(self.contexts) - len(shown)} earlier ones (context, context_1, ...)")
        lines += [f"- {_named(name, value)}" for name, value in shown]
        lines.append(f"The context of this question is `{new}`." if new else
                     "This question brings no new context.")
        if self.history:
            lines.append(f"`history` lists the {len(self.history)} earlier exchange(s) of this session as "
                         'dicts {"question": ..., "answer": ...}.')
        return "\n".join(lines)

    # -- asking -----------------------------------------------------------------------------------
    async def aask(self, question: str, context: ContextInput = None, *, output_type: Any = None,
                   output_retries: int = DEFAULT_OUTPUT_RETRIES) -> Result:
        """Answer `question` in this session; `context`, when given, becomes the next `context_N`."""
        if self.closed:
            raise UserError("this session is closed")
        typed = OutputCheck(output_spec(output_type), output_retries) if output_type is not None else None
        async with self._lock:
            tree = await self._started()
            run_id = f"q{self._asked + 1}"
            new: str | None = None
            if context is not None or not self.contexts or len(question) > SHORT_CHARS:
                question, value = split_prompt(question, context)
                loaded = await asyncio.to_thread(load_context, value)
                new = "context" if not self.contexts else f"context_{len(self.contexts)}"
                self.contexts.append((new, loaded))
                if new != "context":
                    tree.after_start = await self._context_event(tree, run_id, new, loaded)
            self._asked += 1
            repl = self._repl = self._repl or self._make_repl(tree, run_id, question)
            self._new_question(tree, repl, run_id, question, new)
            before = copy.deepcopy(tree.usage)
            run = self._run(tree, depth=0, run_id=run_id, question=question, context=self.contexts[0][1],
                            typed=typed, repl=repl, metadata=self._metadata(new) if self._asked > 1 else None)
            self._relay.target = run.subcalls
            try:
                outcome: _Outcome = await run.run()
            finally:
                self._relay.target = None
                tree.after_start = None
            self.history.append({"question": question, "answer": outcome.answer})
            return Result(answer=outcome.answer, stopped_by=outcome.stopped_by, mode="rlm",
                          usage=_usage_since(before, tree.usage),
                          wall_time=time.monotonic() - tree.ledger.started, iterations=outcome.iterations,
                          trace_path=tree.trace_path, error=outcome.error, output=outcome.output,
                          evidence=tree.evidence.get(run_id, []))

    def _new_question(self, tree: RunTree, repl: _SessionRepl, run_id: str, question: str,
                      new: str | None) -> None:
        """Point the worker at question `run_id`; its clock starts now (`timeout` is per question)."""
        ledger, now = tree.ledger, time.monotonic()
        ledger.started = now
        ledger.deadline = None if tree.limits.timeout is None else now + tree.limits.timeout
        ledger.exhausted = None
        repl.run_id, repl.question, repl.lost = run_id, question, False
        # A worker that has not started yet gets every variable when it does (`_setup`).
        repl.prelude = self._variables(everything=False, new=new) if repl.starting else None

    async def _context_event(self, tree: RunTree, run_id: str, name: str, value: ContextValue) -> ev.ContextEvent:
        stored = await asyncio.to_thread(store_context, value, tree.blob_dir)
        return ev.ContextEvent(run_id=run_id, sha256=stored.sha256, value_kind=stored.kind,
                               n_chars=stored.n_chars, path=str(stored.path), name=name)

    async def _started(self) -> _SessionTree:
        """The session's tree; a resumed session's REPL is rebuilt first."""
        if self._tree is None:
            self._tree = _SessionTree(self._config, trace_path=self.resume_path)
            self._recorded, recorded = [], self._recorded
            if recorded:
                await self._rebuild(self._tree, recorded)
        return self._tree

    def _make_repl(self, tree: RunTree, run_id: str, question: str) -> _SessionRepl:
        return _SessionRepl(self, tree, run_id=run_id, question=question, context=self.contexts[0][1],
                            prompts=self._config.prompts, handler=self._relay)

    async def _rebuild(self, tree: _SessionTree, recorded: list[RecordedQuestion]) -> None:
        """Run the recorded cells again, in order, with their sub-calls answered from the trace."""
        assert self.resume_path is not None and self._recording is not None
        tree.muted = True
        try:
            for q in recorded:
                new = None
                if q.context is not None:
                    new = q.context_name
                    value = await asyncio.to_thread(self._recording.stored_context, q.context)
                    self.contexts.append((new, value))
                if not self.contexts:
                    raise UserError(f"{self.resume_path}: the context of {q.run_id} was never stored")
                repl = self._repl = self._repl or self._make_repl(tree, q.run_id, q.question)
                self._new_question(tree, repl, q.run_id, q.question, new)
                tree.ledger.deadline = None
                run = self._run(tree, depth=0, run_id=q.run_id, question=q.question,
                                context=self.contexts[0][1], repl=repl)
                self._relay.target = run.subcalls
                for cell in q.cells:
                    try:
                        await repl.run_cell(cell.code, cell.iteration, cell.index)
                    except RecursorError:
                        continue  # a limit the trace recorded: the cell ran as far as it did then
                if q.answer is not None:
                    self.history.append({"question": q.question, "answer": q.answer})
        finally:
            tree.muted = False
            self._relay.target = None
        # What the trace records (and what went live during the rebuild, now in it) is what was spent.
        spend, usage = _spent(ev.parse_events(await asyncio.to_thread(read_events, self.resume_path)))
        tree.ledger.spent = spend
        tree.usage.total, tree.usage.by_model, tree.usage.by_depth = usage.total, usage.by_model, usage.by_depth

    # -- closing and the sync forms ---------------------------------------------------------------
    async def aclose(self) -> None:
        """Stop the worker and any MCP tool servers and close the trace; the session cannot be used afterwards."""
        if self.closed:
            return
        self.closed = True
        async with self._lock:
            if self._repl is not None:
                await self._repl.close()
            if self._tree is not None:
                await self._tree.aclose()  # stops the tree's MCP tool servers too

    async def __aenter__(self) -> Session:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.aclose()

    def ask(self, question: str, context: ContextInput = None, *, output_type: Any = None,
            output_retries: int = DEFAULT_OUTPUT_RETRIES) -> Result:
        """Blocking form of `aask`, for code that has no event loop running."""
        if self.closed:
            raise UserError("this session is closed")
        return self._sync(self.aask(question, context, output_type=output_type, output_retries=output_retries))

    def close(self) -> None:
        """Blocking form of `aclose`."""
        if self._runner is None:
            if not self.closed and self._tree is not None:
                raise UserError("this session ran on an event loop: close it there with `await session.aclose()`")
            self.closed = True
            return
        try:
            self._sync(self.aclose())
        finally:
            self._runner.close()
            self._runner = None

    def __enter__(self) -> Session:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _sync(self, coro: Any) -> Any:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            if self._runner is None:
                if self._tree is not None:
                    coro.close()
                    raise UserError("this session runs on an event loop: use `await session.aask(...)`") from None
                self._runner = asyncio.Runner()
            return self._runner.run(coro)
        coro.close()
        raise UserError("Session.ask() was called inside a running event loop; use `await session.aask(...)`")
