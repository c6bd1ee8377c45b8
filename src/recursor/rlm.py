"""The RLM loop: `RLM.acomplete(question, context) -> Result`, and its sync shim `complete`.

One call builds a *tree*: the root run and any child runs that `rlm_query` starts. All runs
share one `Ledger` (limits), one call pipeline (`recursor.calls`) and one trace. Each run is
the same short loop:

    ask the root model -> run its ```repl blocks in the run's own worker -> show the output
    -> repeat until FINAL, FINAL_VAR or answer["ready"], or until a limit ends the run with
    the best answer it has.

Every event goes out through `_Tree.emit`, which feeds the trace file, the user's hook and
the progress line from one place.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

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
    error_text,
)
from recursor.context import (
    ContextInput,
    ContextValue,
    PreparedContext,
    describe,
    load_context,
    store_context,
)
from recursor.errors import BudgetExceeded, LMError, RecursorError, UserError
from recursor.ledger import Ledger
from recursor.lm.base import LM, LMResponse, Message
from recursor.lm.cache import ReplyCache
from recursor.lm.choice import check_choices, choice_prompt, content_free_prompts
from recursor.pricing import Pricing, unpriced_message
from recursor.prompts import Prompts, default_prompts
from recursor.protocol import cut_after_first_block, parse_reply
from recursor.sandbox.base import CellResult, Repl, SandboxOptions
from recursor.trace import events as ev
from recursor.trace.config import trace_header
from recursor.trace.source import ReplySource
from recursor.trace.writer import EventSink, TraceWriter, default_trace_dir, new_trace_id

__all__ = ["RLM", "Result", "StopReason"]

log = logging.getLogger("recursor")

StopReason = Literal[
    "final", "max_iterations", "max_errors", "max_usd", "max_tokens", "max_calls", "timeout", "lm_error"
]


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome of one `complete` call, children included."""

    answer: str
    stopped_by: StopReason
    """"final" when the model answered; otherwise the limit or failure that ended the run."""
    usage: UsageSummary
    wall_time: float
    iterations: int
    trace_path: Path | None
    error: str | None = None
    """Set when stopped_by is "lm_error": what the model service said."""

    @property
    def cost_usd(self) -> float | None:
        return self.usage.total.cost_usd


@dataclass(slots=True)
class _Outcome:
    answer: str
    stopped_by: StopReason
    iterations: int
    error: str | None = None


@dataclass(slots=True)
class _TurnState:
    """What the loop remembers between turns of one run."""

    looked: bool = False
    """A cell has run, so the model has seen something of the context."""
    nudged: bool = False
    """The model was already sent back once for answering blind."""
    errors: int = 0
    """Consecutive turns in which nothing worked."""
    seen_code: set[str] = field(default_factory=set)


class RLM:
    """A recursive language model: a root model that explores `context` through code.

    Args:
        model: the root model, an `LM` or a spec such as "openai:gpt-5" or "anthropic:claude-sonnet-4-5".
        sub_model: the model behind `llm_query` and child runs; defaults to `model`.
        limits: iterations, depth, money, tokens, calls, time and errors (see `Limits`).
        sandbox: where model code runs and its per-cell limits (see `SandboxOptions`).
        trace_dir: where traces go; None picks `default_trace_dir()`, False writes no trace.
        prompts: the wording sent to the root model.
        pricing: the price table used for cost.
        on_event: called with every trace event as it happens.
        cache: a directory (or `ReplyCache`) of LM replies to reuse and fill; off by default.
        reply_source: recorded replies to answer from before any model is called (replay and
            resume; see `recursor.trace.replay`).
        models: further models that model code may name in `llm_query(..., model=)` and
            `rlm_query(..., model=)`: `LM` objects, or names served by the sub-model's endpoint.
            Any other name is an error in the cell, never a request.

    Raises `UserError` when `limits.max_usd` is set and a model's price is not known: its
    spending could not be limited (give it with `pricing=Pricing({...})`).
    """

    def __init__(
        self,
        model: LM | str,
        *,
        sub_model: LM | str | None = None,
        limits: Limits | None = None,
        sandbox: SandboxOptions | None = None,
        trace_dir: Path | str | Literal[False] | None = None,
        prompts: Prompts | None = None,
        pricing: Pricing | None = None,
        on_event: EventSink | None = None,
        cache: ReplyCache | Path | str | None = None,
        reply_source: ReplySource | None = None,
        models: Sequence[LM | str] = (),
    ) -> None:
        self.root_lm = _as_lm(model)
        self.sub_lm = _as_lm(sub_model) if sub_model is not None else self.root_lm
        self.limits = limits or Limits()
        self.sandbox = sandbox or SandboxOptions()
        self.trace_dir: Path | None = (
            None if trace_dir is False else Path(trace_dir) if trace_dir else default_trace_dir()
        )
        self.prompts = prompts or default_prompts(self.root_lm)
        self.pricing = pricing or Pricing()
        self.on_event = on_event
        self.cache = cache if isinstance(cache, ReplyCache) or cache is None else ReplyCache(cache)
        self.reply_source = reply_source
        self.models: dict[str, LM] = {}
        """Every model a run may use, by name: root, sub-model, then `models`."""
        for lm in (self.root_lm, self.sub_lm, *(self._allowed(m) for m in models)):
            self.models.setdefault(lm.model, lm)
        if self.limits.max_usd is not None:
            for lm in self.models.values():
                if self.pricing.price(lm.model, lm.price) is None:
                    raise UserError(unpriced_message(lm.model))

    def _allowed(self, model: LM | str) -> LM:
        if isinstance(model, LM):
            return model
        if isinstance(model, str) and model.strip():
            return self.sub_lm.with_model(model.strip())
        raise UserError(f"models must hold LM objects or model names, not {model!r}")

    async def acomplete(self, question: str, context: ContextInput = None) -> Result:
        """Answer `question` about `context` (str, list or dict of str, or paths)."""
        if not isinstance(question, str):
            raise UserError(f"question must be a str, not {type(question).__name__}")
        value = load_context(context)
        tree = _Tree(self)
        try:
            root = _Run(tree, depth=0, run_id="root", question=question, context=value)
            outcome = await root.run()
        finally:
            tree.close()
        return Result(
            answer=outcome.answer,
            stopped_by=outcome.stopped_by,
            usage=tree.usage,
            wall_time=time.monotonic() - tree.ledger.started,
            iterations=outcome.iterations,
            trace_path=tree.trace_path,
            error=outcome.error,
        )

    def complete(self, question: str, context: ContextInput = None) -> Result:
        """Blocking form of `acomplete`, for code that has no event loop running."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(self.acomplete(question, context))
        raise UserError("RLM.complete() was called inside a running event loop; use `await rlm.acomplete(...)`")

    async def aclose(self) -> None:
        await self.root_lm.aclose()
        if self.sub_lm is not self.root_lm:
            await self.sub_lm.aclose()


def _as_lm(model: LM | str) -> LM:
    if isinstance(model, LM):
        return model
    if isinstance(model, str):
        from recursor.lm.resolve import resolve_lm

        return resolve_lm(model)
    raise UserError(f"model must be an LM or a model spec string, not {type(model).__name__}")


_START_GRACE = 30.0
"""Seconds a run that is ending waits for its worker to finish starting before cancelling it."""

_CELL_GRACE = 1.0
"""Seconds past the deadline a cell may take to finish: its sub-calls are cut at the deadline
and come back as errors, so code that saves partial results gets to do so."""

_LOOKUP_GRACE = 3.0
"""Seconds a run ended by a limit spends looking for an answer the model stored in its REPL."""


class _Tree:
    """State shared by every run of one `acomplete` call: the ledger, usage, trace, call path."""

    def __init__(self, rlm: RLM) -> None:
        self.rlm = rlm
        self.limits = rlm.limits
        self.ledger = Ledger(rlm.limits)
        self.usage = UsageSummary()
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self.trace: TraceWriter | None = None
        self.trace_path: Path | None = None
        if rlm.trace_dir is not None:
            self.trace_path = rlm.trace_dir / f"{new_trace_id()}.jsonl"
            self.trace = TraceWriter(self.trace_path)
            self.blob_dir = self.trace.blob_dir
        else:
            self._tmp = tempfile.TemporaryDirectory(prefix="recursor-")
            self.blob_dir = Path(self._tmp.name)
        self._call_ids = itertools.count(1)
        self._seqs: dict[tuple[str, str], int] = {}
        source = rlm.reply_source
        if source is not None:
            source.begin()
        self.pipeline = CallPipeline([
            TraceLayer(self.emit),
            UsageLayer(self.usage),
            *([ReplayLayer(source, self.ledger)] if source is not None else []),
            *([CacheLayer(rlm.cache)] if rlm.cache is not None else []),
            DeadlineLayer(self.ledger),
            RetryLayer(self.emit),
            SlotLayer(self.ledger),
            LedgerLayer(self.ledger, rlm.pricing),
        ])
        self._header: dict[str, Any] | None = trace_header(
            root_lm=rlm.root_lm, sub_lm=rlm.sub_lm, limits=rlm.limits, sandbox=rlm.sandbox,
            prompts=rlm.prompts, trace_id=self.trace_path.stem if self.trace_path else None,
            cache=str(rlm.cache.directory) if rlm.cache else None,
            replay=source.header() if source else None,
        )

    def emit(self, event: ev.Event) -> None:
        record = event.to_dict()
        if self._header is not None:
            # The first event of a trace (the root's run_start) carries the header: schema,
            # versions, the model clients and where replies came from.
            record["header"], self._header = self._header, None
        if self.trace is not None:
            self.trace(record)
        if self.rlm.on_event is not None:
            try:
                self.rlm.on_event(record)
            except Exception:
                log.exception("on_event hook failed for %s", event.kind)

    def close(self) -> None:
        if self.trace is not None:
            self.trace.close()
        if self._tmp is not None:
            self._tmp.cleanup()

    async def call_lm(self, lm: LM, messages: Sequence[Message], *, run_id: str, depth: int,
                      role: Literal["root", "sub"], cell: str | None = None, choices: Sequence[str] = (),
                      calibrate: Sequence[Sequence[Message]] = ()) -> LMResponse:
        """Make one LM call through the tree's pipeline (see `recursor.calls`).

        Each call is keyed by (run_id, role, call_seq) and the hash of its messages, which is
        what replay and resume look recorded replies up by.
        """
        seq = self._seqs[(run_id, role)] = self._seqs.get((run_id, role), 0) + 1
        call = LMCall(lm=lm, messages=messages, run_id=run_id, role=role, depth=depth,
                      call_id=f"c{next(self._call_ids)}", seq=seq, cell=cell, choices=tuple(choices),
                      calibrate=calibrate)
        return await self.pipeline(call)

    def snapshot(self) -> dict[str, Any]:
        """Usage so far, for `budget` and `run_end` events."""
        total = self.usage.total
        return {"calls": total.calls, "input_tokens": total.input_tokens,
                "output_tokens": total.output_tokens, "cost_usd": round(self.ledger.spent.usd, 6),
                "elapsed": round(time.monotonic() - self.ledger.started, 3)}


class _Run:
    """One RLM run (the root or a child): its own REPL, messages and counters."""

    def __init__(self, tree: _Tree, *, depth: int, run_id: str, question: str,
                 context: ContextValue, root_lm: LM | None = None, parent_call: str | None = None,
                 parent_cell: str | None = None) -> None:
        self.tree = tree
        self.depth = depth
        self.run_id = run_id
        self.question = question
        self.context = context
        self.root_lm = root_lm or tree.rlm.root_lm
        self.sub_lm = tree.rlm.sub_lm
        self.prompts = tree.rlm.prompts
        self.parent_call = parent_call
        self.parent_cell = parent_cell
        self.cell: str | None = None
        """The cell running now ("iteration.index"), to link sub-calls and child runs to it."""
        self.repl_lost = False
        """The deadline stopped a cell: the worker and its variables are gone."""
        self.can_recurse = depth + 1 < tree.limits.max_depth
        self._children = itertools.count(1)
        self.repl: Repl | None = None
        self._repl_start: asyncio.Task[Repl] | None = None
        self.last_sub_result: str | None = None
        self.last_prose: str = ""

    # -- the loop -------------------------------------------------------------------------
    async def run(self) -> _Outcome:
        tree, limits = self.tree, self.tree.limits
        tree.emit(ev.RunStartEvent(run_id=self.run_id, parent_call=self.parent_call,
                  parent_cell=self.parent_cell, depth=self.depth,
                  question=self.question, root_model=self.root_lm.model, sub_model=self.sub_lm.model,
                  limits=_limits_dict(limits), sandbox=_sandbox_dict(tree.rlm.sandbox)))
        # The worker starts while the first root request is already out.
        self._repl_start = asyncio.create_task(self._start_repl())
        messages: list[Message] = [
            {"role": "system", "content": self.prompts.system(can_recurse=self.can_recurse)},
            {"role": "user", "content": self.prompts.first_user(self.question, describe(self.context))},
        ]
        state = _TurnState()
        iteration = 0
        outcome: _Outcome | None = None
        try:
            while outcome is None:
                if iteration >= limits.max_iterations or state.errors >= limits.max_errors:
                    reason: StopReason = "max_iterations" if iteration >= limits.max_iterations else "max_errors"
                    outcome = await self._finish(reason, messages, iteration)
                    break
                iteration += 1
                try:
                    resp = await tree.call_lm(self.root_lm, messages, run_id=self.run_id, depth=self.depth,
                                              role="root")
                except BudgetExceeded as exc:
                    outcome = await self._finish(exc.limit, messages, iteration - 1)  # type: ignore[arg-type]
                    break
                except LMError as exc:
                    outcome = await self._finish("lm_error", messages, iteration - 1, error=error_text(exc))
                    break
                reply = cut_after_first_block(resp.text) if self.prompts.one_block_per_reply else resp.text
                # Providers reject empty assistant turns (Anthropic: 400), so keep a placeholder.
                messages.append({"role": "assistant", "content": reply if reply.strip() else "(empty reply)"})
                try:
                    outcome, feedback = await self._turn(reply, iteration, state)
                except BudgetExceeded as exc:  # the deadline stopped a cell
                    outcome = await self._finish(exc.limit, messages, iteration)  # type: ignore[arg-type]
                    break
                if outcome is None:
                    messages.append({"role": "user", "content": feedback})
                    tree.emit(ev.BudgetEvent(run_id=self.run_id, iteration=iteration,
                                             **{**tree.snapshot(), **tree.ledger.snapshot()}))
        finally:
            await self._close_repl()
        tree.emit(ev.RunEndEvent(run_id=self.run_id, answer=outcome.answer, stopped_by=outcome.stopped_by,
                  iterations=outcome.iterations, error=outcome.error, **tree.snapshot()))
        return outcome

    async def _turn(self, reply: str, iteration: int, state: _TurnState) -> tuple[_Outcome | None, str]:
        """Act on one root reply: run its cells, take its answer, or say what was wrong.

        Returns the outcome when the run is answered, else the feedback for the next turn.
        """
        parsed = parse_reply(reply)
        self.last_prose = parsed.prose or self.last_prose
        if parsed.final is not None and not parsed.code and not state.looked and not state.nudged:
            state.nudged = True
            return None, self.prompts.not_looked()
        parts: list[str] = []
        failed = 0
        for n, block in enumerate(parsed.code, 1):
            cell = await self._run_cell(block.code, iteration, n)
            state.looked = True
            parts.append(self._format_cell(cell, n, len(parsed.code), block.closed,
                                           repeated=block.code in state.seen_code))
            state.seen_code.add(block.code)
            failed += bool(cell.error)
            if cell.final is not None:
                return _Outcome(cell.final, "final", iteration), ""
        if parsed.final is not None:
            answer = await self._resolve_final(parsed.final.kind, parsed.final.value, parts)
            if answer is not None:
                return _Outcome(answer, "final", iteration), ""
            failed += 1
        if not parsed.code and parsed.final is None:
            parts.append(self.prompts.no_code())
            failed += 1
        # A turn counts as an error when nothing in it worked.
        state.errors = state.errors + 1 if failed and failed >= max(len(parsed.code), 1) else 0
        left = self.tree.limits.max_iterations - iteration
        if 0 < left <= 2:
            parts.append(self.prompts.iterations_left(left))
        return None, _truncate("\n\n".join(parts), self.tree.rlm.sandbox.output_limit)

    async def _finish(self, reason: StopReason, messages: list[Message], iteration: int,
                      error: str | None = None) -> _Outcome:
        """End on a limit: one last 'answer now' turn if the budget allows, else the best we have."""
        answer: str | None = None
        if reason in ("max_iterations", "max_errors"):
            prompt: Message = {"role": "user", "content": self.prompts.answer_now(reason.replace("_", " "))}
            try:
                resp = await self.tree.call_lm(self.root_lm, [*messages, prompt], run_id=self.run_id,
                                               depth=self.depth, role="root")
            except (BudgetExceeded, LMError):
                resp = None
            if resp is not None and resp.finish_reason != "refusal":
                parsed = parse_reply(resp.text)
                if parsed.final is not None:
                    answer = await self._resolve_final(parsed.final.kind, parsed.final.value, [])
                elif parsed.prose:
                    # Prose without FINAL is a weaker answer than one the model stored itself.
                    answer = await self._stored_answer() or parsed.prose
        if answer is None:
            answer = await self._best_effort()
        exhausted = self.tree.ledger.exhausted
        if exhausted and reason in ("max_iterations", "max_errors"):
            reason = exhausted  # type: ignore[assignment]
        return _Outcome(answer or "", reason, iteration, error)

    async def _best_effort(self) -> str | None:
        """The best answer without another LM call: answer["content"], the last sub-result, prose."""
        return await self._stored_answer() or self.last_sub_result or self.last_prose or None

    async def _stored_answer(self) -> str | None:
        """`answer["content"]` as the model left it in the REPL, if it set one.

        Bounded: a run ending on a limit must not wait long on its worker.
        """
        if self.repl is None or self.repl_lost:
            return None
        try:
            async with asyncio.timeout(_LOOKUP_GRACE):
                found = await self.repl.get_var("answer")
        except (TimeoutError, RecursorError):
            return None
        if found.found and found.value:
            return _answer_content(found.value) or None
        return None

    async def _resolve_final(self, kind: str, value: str, parts: list[str]) -> str | None:
        if kind == "text":
            return value
        repl = await self._ensure_repl()
        found = await repl.get_var(value)
        if found.found:
            return found.value
        parts.append(self.prompts.missing_var(value, found.defined))
        return None

    # -- the REPL -------------------------------------------------------------------------
    async def _start_repl(self) -> Repl:
        # A thread cannot be cancelled: if the run ends first, let the write finish before the
        # cancellation goes on, or the tree's cleanup races with a half-written file.
        store = asyncio.ensure_future(asyncio.to_thread(store_context, self.context, self.tree.blob_dir))
        try:
            prepared = await asyncio.shield(store)
        except asyncio.CancelledError:
            await asyncio.gather(store, return_exceptions=True)
            raise
        self.tree.emit(ev.ContextEvent(run_id=self.run_id, sha256=prepared.sha256, value_kind=prepared.kind,
                       n_chars=prepared.n_chars, path=str(prepared.path)))
        repl = self._make_repl(prepared)
        try:
            await repl.start()
            await self._setup_repl(repl)
        except BaseException:
            # Cancelled (the run ended first) or failed: never leave a half-started worker behind.
            await asyncio.shield(repl.close())
            raise
        self.repl = repl
        return repl

    async def _setup_repl(self, repl: Repl) -> None:
        """Run the prompt set's helper code; a failure is traced, never shown to the model."""
        setup = self.prompts.repl_setup(self.question)
        if setup:
            result = await repl.run(setup)
            if result.error:
                self.tree.emit(ev.SetupErrorEvent(run_id=self.run_id, error=result.error))

    def _make_repl(self, prepared: PreparedContext) -> Repl:
        options = self.tree.rlm.sandbox
        if options.isolation == "inprocess":  # explicit opt-in, for debugging; warns loudly
            from recursor.sandbox.inprocess import InProcessRepl

            return InProcessRepl(prepared, self._handle_subcall, options)
        from recursor.sandbox.process import ProcessRepl

        return ProcessRepl(prepared, self._handle_subcall, options)

    async def _ensure_repl(self) -> Repl:
        assert self._repl_start is not None
        return await self._repl_start

    async def _close_repl(self) -> None:
        """Close this run's worker, also when the run ended before the worker was up.

        A start still in progress is let finish (it takes well under a second) rather than
        cancelled mid-spawn: cancelling asyncio's subprocess creation part-way can leave a
        future that never resolves, and the run would never return. Only a start stuck past
        the grace period is cancelled, and even then this never waits unboundedly.
        """
        task = self._repl_start
        if task is None:
            return
        done, _ = await asyncio.wait({task}, timeout=_START_GRACE)
        if not done:
            task.cancel()
            done, _ = await asyncio.wait({task}, timeout=5.0)
            if not done:
                log.warning("the REPL worker of run %s did not stop; abandoning it", self.run_id)
                return
        if task.cancelled() or task.exception() is not None:
            return
        await task.result().close()

    async def _run_cell(self, code: str, iteration: int, index: int) -> CellResult:
        """Run one block. The tree's deadline stops it in flight (`BudgetExceeded`)."""
        ledger = self.tree.ledger
        ledger.check_deadline()
        self.cell = f"{iteration}.{index}"
        self.tree.emit(ev.CellStartEvent(run_id=self.run_id, iteration=iteration, index=index, cell=self.cell))
        started, remaining = time.monotonic(), ledger.remaining_seconds()
        try:
            async with asyncio.timeout(None if remaining is None else remaining + _CELL_GRACE):
                repl = await self._ensure_repl()
                cell = await repl.run(code)
                if cell.restarted:
                    await self._setup_repl(repl)
        except TimeoutError:
            self.repl_lost = True
            self.tree.emit(ev.CellEvent(run_id=self.run_id, iteration=iteration, index=index, cell=self.cell,
                           code=code, stdout="", stdout_total=0, error="deadline reached: the cell was stopped",
                           final=None, final_source=None, notes=[], restarted=False,
                           duration=round(time.monotonic() - started, 4), limit="timeout"))
            ledger.refuse("timeout", "the deadline stopped a cell")
            raise  # unreachable: refuse raises
        finally:
            self.cell = None
        self.tree.emit(ev.CellEvent(run_id=self.run_id, iteration=iteration, index=index,
                       cell=f"{iteration}.{index}", code=code,
                       stdout=cell.stdout, stdout_total=cell.stdout_total, error=cell.error,
                       final=cell.final, final_source=cell.final_source, notes=cell.notes,
                       restarted=cell.restarted, duration=round(cell.duration, 4)))
        return cell

    def _format_cell(self, cell: CellResult, n: int, total: int, closed: bool, repeated: bool) -> str:
        head = f"[repl block {n} of {total}]" if total > 1 else "[repl output]"
        lines = [head]
        if not closed:
            lines.append("(the code fence was not closed; the block ran up to the end of your reply)")
        if cell.stdout:
            lines.append(cell.stdout.rstrip("\n"))
        if cell.error:
            lines.append(f"[error]\n{cell.error}")
        if not cell.stdout and not cell.error:
            lines.append("(no output; print() what you want to see)")
        lines.extend(f"[note] {note}" for note in cell.notes)
        if repeated:
            lines.append(f"[note] {self.prompts.repeated()}")
        return "\n".join(lines)

    # -- sub-calls from model code ------------------------------------------------------------
    async def _handle_subcall(self, fn: str, args: dict[str, Any]) -> Any:
        model = args.get("model")
        choices = check_choices(args["choices"]) if args.get("choices") is not None else ()
        if fn == "llm_query":
            return await self._llm_query(args["prompt"], model, choices)
        if fn == "llm_query_batched":
            prompts = args["prompts"]
            # The batch's template with the item left out, built once for all its calls.
            calibrate: list[list[Message]] = [
                [{"role": "user", "content": choice_prompt(b, choices)}]
                for b in (content_free_prompts(prompts) if choices else [])
            ]
            return await _gather_slots([self._llm_query(p, model, choices, calibrate) for p in prompts])
        if fn == "rlm_query":
            return await self._rlm_query(args["prompt"], model, args.get("context"))
        if fn == "rlm_query_batched":
            contexts = args.get("contexts") or [None] * len(args["prompts"])
            return await _gather_slots(
                [self._rlm_query(p, model, c) for p, c in zip(args["prompts"], contexts, strict=True)]
            )
        raise UserError(f"unknown sub-call {fn!r}")

    def _sub_model(self, name: str | None) -> LM:
        """The model code asked for: the sub-model by default, else one the run was given."""
        if name is None or name == "" or name == self.sub_lm.model:
            return self.sub_lm
        allowed = self.tree.rlm.models
        if isinstance(name, str) and name in allowed:
            return allowed[name]
        raise UserError(f"model {str(name)[:80]!r} is not available to this run; "
                        f"use one of: {', '.join(sorted(allowed))} (RLM(models=[...]) adds more)")

    async def _llm_query(self, prompt: str, model: str | None, choices: Sequence[str] = (),
                         calibrate: Sequence[Sequence[Message]] = ()) -> str:
        """One sub-call; with `choices` a choice request, calibrated on `calibrate`."""
        lm = self._sub_model(model)
        if choices:
            prompt = choice_prompt(prompt, choices)
        message: Message = {"role": "user", "content": prompt}
        resp = await self.tree.call_lm(lm, [message], run_id=self.run_id, depth=self.depth + 1,
                                       role="sub", cell=self.cell, choices=choices, calibrate=calibrate)
        if resp.text.strip():
            self.last_sub_result = resp.text
        return resp.text

    async def _rlm_query(self, prompt: str, model: str | None, context: Any) -> str:
        if not self.can_recurse:
            text = prompt if context is None else f"{prompt}\n\nContext:\n{_context_text(context)}"
            return await self._llm_query(text, model)
        child_id = f"{self.run_id}.{next(self._children)}"
        question = prompt if context is not None else self.prompts.child_question(prompt)
        child = _Run(self.tree, depth=self.depth + 1, run_id=child_id, question=question,
                     context=load_context(context) if context is not None else prompt,
                     root_lm=self._sub_model(model), parent_call=self.run_id, parent_cell=self.cell)
        ledger = self.tree.ledger
        async with ledger.child_slots(child.depth):  # bounds the sandbox workers alive at once
            ledger.children += 1
            ledger.peak_children = max(ledger.peak_children, ledger.children)
            try:
                outcome = await child.run()
            finally:
                ledger.children -= 1
        if outcome.answer:
            self.last_sub_result = outcome.answer
        if not outcome.answer:
            if outcome.stopped_by == "lm_error":
                raise LMError(f"child run {child_id} failed: {outcome.error}")
            raise RecursorError(f"child run {child_id} ended ({outcome.stopped_by}) without an answer")
        return outcome.answer


async def _gather_slots(coros: Sequence[Any]) -> list[str]:
    """Run concurrently, keep order; a failed item becomes an error string in its slot."""
    results = await asyncio.gather(*coros, return_exceptions=True)
    out: list[str] = []
    for item in results:
        if isinstance(item, BaseException):
            if isinstance(item, asyncio.CancelledError):
                raise item
            name = "budget exhausted" if isinstance(item, BudgetExceeded) else type(item).__name__
            out.append(f"Error: {name}: {error_text(item)}")
        else:
            out.append(str(item))
    return out


def _truncate(text: str, limit: int) -> str:
    """Cut a turn's output to about `limit` characters, head and tail, saying how much went.

    Each cell is already capped by the worker; the slack keeps a single cell's own note intact.
    """
    if len(text) <= limit + 1000:
        return text
    head, tail = limit * 3 // 4, limit // 4
    cut = len(text) - head - tail
    return f"{text[:head]}\n[... {cut:,} characters cut ...]\n{text[-tail:]}"


def _answer_content(value: str) -> str:
    """`answer` as the REPL shows it (a dict's str) -> its "content"."""
    import ast

    try:
        parsed = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return ""
    if isinstance(parsed, dict):
        return str(parsed.get("content") or "")
    return ""


def _context_text(context: Any) -> str:
    if isinstance(context, str):
        return context
    if isinstance(context, dict):
        return "\n\n".join(f"## {k}\n{v}" for k, v in context.items())
    if isinstance(context, list):
        return "\n\n".join(str(v) for v in context)
    return str(context)


def _limits_dict(limits: Limits) -> dict[str, Any]:
    return {name: getattr(limits, name) for name in Limits.__dataclass_fields__}


def _sandbox_dict(options: SandboxOptions) -> dict[str, Any]:
    return {name: getattr(options, name) for name in SandboxOptions.__dataclass_fields__}
