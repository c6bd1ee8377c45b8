"""One run's sandbox worker: started in the background, set up, and stopped by the deadline.

The worker starts while the run's first root request is out. Cells run in it one at a time;
the tree's deadline stops a cell in flight (after a second of grace, so code that saves
partial results from cut sub-calls gets to), which kills the worker and its variables.
"""

from __future__ import annotations

import asyncio
import logging
import time

from recursor.context import ContextValue, PreparedContext, store_context
from recursor.errors import RecursorError
from recursor.prompts import Prompts
from recursor.run_tree import RunTree
from recursor.sandbox.base import CellResult, Read, Repl, SubcallHandler, VarLookup
from recursor.trace import events as ev

__all__ = ["CELL_GRACE", "RunRepl", "answer_content", "clip_feedback", "format_cell"]

log = logging.getLogger("recursor")

CELL_GRACE = 1.0
"""Seconds past the deadline a cell may take to finish: its sub-calls are cut at the deadline
and come back as errors, so code that saves partial results gets to do so."""

_START_GRACE = 30.0
"""Seconds a run that is ending waits for its worker to finish starting before cancelling it."""

_LOOKUP_GRACE = 3.0
"""Seconds a run ended by a limit spends looking for an answer the model stored in its REPL."""


class RunRepl:
    """The worker of run `run_id`, holding `context`; sub-calls from its code go to `handler`."""

    def __init__(self, tree: RunTree, *, run_id: str, question: str, context: ContextValue,
                 prompts: Prompts, handler: SubcallHandler) -> None:
        self.tree = tree
        self.run_id = run_id
        self.question = question
        self.context = context
        self.prompts = prompts
        self.handler = handler
        self.cell: str | None = None
        """The cell running now ("iteration.index"), to link sub-calls and child runs to it."""
        self.lost = False
        """The deadline stopped a cell: the worker and its variables are gone."""
        self.repl: Repl | None = None
        self.reads: list[tuple[str, Read]] = []
        """What the cells read of the context, with each one's cell id, in order (`recursor.evidence`)."""
        self._start: asyncio.Task[Repl] | None = None

    def start(self) -> None:
        """Start the worker in the background."""
        self._start = asyncio.create_task(self._started())

    async def ensure(self) -> Repl:
        """The worker, once it is up."""
        if self._start is None:
            self.start()
        assert self._start is not None
        return await self._start

    async def _started(self) -> Repl:
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
        repl = self._make(prepared)
        try:
            await repl.start()
            await self._setup(repl)
        except BaseException:
            # Cancelled (the run ended first) or failed: never leave a half-started worker behind.
            await asyncio.shield(repl.close())
            raise
        self.repl = repl
        return repl

    def _make(self, prepared: PreparedContext) -> Repl:
        options = self.tree.config.sandbox
        tools = self.tree.tools.specs()  # host tools: every run of the tree has them
        if options.isolation == "inprocess":  # explicit opt-in, for debugging; warns loudly
            from recursor.sandbox.inprocess import InProcessRepl

            return InProcessRepl(prepared, self.handler, options, tools)
        from recursor.sandbox.process import ProcessRepl

        return ProcessRepl(prepared, self.handler, options, tools)

    async def _setup(self, repl: Repl) -> None:
        """Run the prompt set's helper code; a failure is traced, never shown to the model."""
        setup = self.prompts.repl_setup(self.question)
        if setup:
            result = await repl.run(setup)
            if result.error:
                self.tree.emit(ev.SetupErrorEvent(run_id=self.run_id, error=result.error))

    async def close(self) -> None:
        """Close the worker, also when the run ended before the worker was up.

        A start still in progress is let finish (it takes well under a second) rather than
        cancelled mid-spawn: cancelling asyncio's subprocess creation part-way can leave a
        future that never resolves, and the run would never return. Only a start stuck past
        the grace period is cancelled, and even then this never waits unboundedly.
        """
        task = self._start
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

    async def run_cell(self, code: str, iteration: int, index: int) -> CellResult:
        """Run one block. The tree's deadline stops it in flight (`BudgetExceeded`)."""
        ledger = self.tree.ledger
        ledger.check_deadline()
        self.cell = cell_id = f"{iteration}.{index}"
        self.tree.emit(ev.CellStartEvent(run_id=self.run_id, iteration=iteration, index=index, cell=cell_id))
        started, remaining = time.monotonic(), ledger.remaining_seconds()
        try:
            async with asyncio.timeout(None if remaining is None else remaining + CELL_GRACE):
                repl = await self.ensure()
                cell = await repl.run(code)
                if cell.restarted:
                    await self._setup(repl)
        except TimeoutError:
            self.lost = True
            self.tree.emit(ev.CellEvent(run_id=self.run_id, iteration=iteration, index=index, cell=cell_id,
                           code=code, stdout="", stdout_total=0, error="deadline reached: the cell was stopped",
                           final=None, final_source=None, notes=[], restarted=False,
                           duration=round(time.monotonic() - started, 4), limit="timeout"))
            ledger.refuse("timeout", "the deadline stopped a cell")
            raise  # unreachable: refuse raises
        finally:
            self.cell = None
        self.reads += ((cell_id, r) for r in cell.reads)
        self.tree.emit(ev.CellEvent(run_id=self.run_id, iteration=iteration, index=index, cell=cell_id, code=code,
                       stdout=cell.stdout, stdout_total=cell.stdout_total, error=cell.error,
                       final=cell.final, final_source=cell.final_source, notes=cell.notes,
                       restarted=cell.restarted, duration=round(cell.duration, 4)))
        return cell

    async def get_var(self, name: str) -> VarLookup:
        return await (await self.ensure()).get_var(name)

    async def stored_answer(self) -> str | None:
        """`answer["content"]` as the model left it in the REPL, if it set one."""
        found = await self.stored("answer")
        if found is not None and found.found and found.value:
            return answer_content(found.value) or None
        return None

    async def stored(self, name: str) -> VarLookup | None:
        """`name` from a worker that is up and intact, within a short grace; None otherwise.

        A run ending on a limit must not wait long on its worker, nor restart a lost one.
        """
        if self.repl is None or self.lost:
            return None
        try:
            async with asyncio.timeout(_LOOKUP_GRACE):
                return await self.repl.get_var(name)
        except (TimeoutError, RecursorError):
            return None


def format_cell(cell: CellResult, n: int, total: int, closed: bool, repeated_note: str | None) -> str:
    """What the model is shown of one cell: its output, its error, notes."""
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
    if repeated_note:
        lines.append(f"[note] {repeated_note}")
    return "\n".join(lines)


def clip_feedback(text: str, limit: int) -> str:
    """Cut a turn's output to about `limit` characters, head and tail, saying how much went.

    Each cell is already capped by the worker; the slack keeps a single cell's own note intact.
    """
    if len(text) <= limit + 1000:
        return text
    head, tail = limit * 3 // 4, limit // 4
    cut = len(text) - head - tail
    return f"{text[:head]}\n[... {cut:,} characters cut ...]\n{text[-tail:]}"


def answer_content(value: str) -> str:
    """`answer` as the REPL shows it (a dict's str) -> its "content"."""
    import ast

    try:
        parsed = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return ""
    if isinstance(parsed, dict):
        return str(parsed.get("content") or "")
    return ""
