"""The RLM loop: `RLM.acomplete(question, context) -> Result`, and its sync shim `complete`.

One call builds a *tree*: the root run and any child runs that `rlm_query` starts. All runs
share one `Ledger` (limits), one call pipeline (`recursor.calls`) and one trace. Each run is
the same short loop:

    ask the root model -> run its ```repl blocks in the run's own worker -> show the output
    -> repeat until FINAL, FINAL_VAR or answer["ready"], or until a limit ends the run with
    the best answer it has.

Every event goes out through `RunTree.emit`, which feeds the trace file, the user's hook and
the progress line from one place.
"""

from __future__ import annotations

import asyncio
import keyword
import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from recursor.answer_form import rounded_as_asked
from recursor.budget import Limits
from recursor.calls import error_text
from recursor.context import ContextInput, ContextValue, describe, load_context
from recursor.direct import DirectOutcome, choose_mode, run_direct
from recursor.errors import BudgetExceeded, LMError, UserError
from recursor.lm.base import LM, Message
from recursor.lm.cache import ReplyCache
from recursor.lm.resolve import as_lm
from recursor.look_reads import LookReads
from recursor.orient import NO_LOOK, first_look, printed_nothing
from recursor.output import DEFAULT_OUTPUT_RETRIES, OutputCheck, output_spec
from recursor.pricing import Pricing, unpriced_message
from recursor.profiles import (
    Mode,
    PromptMode,
    decoding_for,
    profile_of,
    prompts_for,
    root_replies_for,
)
from recursor.prompt_split import split_prompt
from recursor.prompts import Prompts
from recursor.protocol import (
    FinalAnswer,
    copies_the_instruction,
    cut_after_first_block,
    final_call,
    is_code_object,
    is_placeholder,
    lone_sentence,
    lone_token,
    number_as_written,
    parse_reply,
    stated_answer,
    without_marks,
)
from recursor.result import Result, StopReason
from recursor.run_repl import RunRepl, answer_content, clip_feedback, format_cell
from recursor.run_tree import RunTree
from recursor.sandbox.base import SandboxOptions, VarLookup
from recursor.session import Session
from recursor.subcalls import ChildOutcome, Subcalls
from recursor.tools import Toolbox
from recursor.trace import events as ev
from recursor.trace.source import ReplySource
from recursor.trace.writer import EventSink, default_trace_dir
from recursor.turns import TurnState, restates_question
from recursor.window import fit_window

__all__ = ["RLM", "Result", "StopReason"]

log = logging.getLogger("recursor")

@dataclass(slots=True)
class _Outcome:
    answer: str
    stopped_by: StopReason
    iterations: int
    error: str | None = None
    output: Any = None
    json: str | None = None
    """The answer as JSON, when the REPL value it came from was a dict or list."""


class RLM:
    """A recursive language model: a root model that explores `context` through code.

    Args:
        model: the root model, an `LM` or a spec such as "openai:gpt-5" or "anthropic:claude-sonnet-4-5".
        sub_model: the model behind `llm_query` and child runs; defaults to `model`.
        base_url, api_key_env: for model names given as strings, an OpenAI-compatible endpoint
            (vLLM, llama.cpp, ollama, ...) and the environment variable holding its key.
        limits: iterations, depth, money, tokens, calls, time and errors (see `Limits`).
        sandbox: where model code runs and its per-cell limits (see `SandboxOptions`).
        trace_dir: where traces go; None picks `default_trace_dir()`, False writes no trace.
        prompts: the wording sent to the root model: a `Prompts` object, or "small" / "general";
            "auto" (the default) picks the small-model wording for small models, whatever
            serves them (see `recursor.profiles`).
        pricing: the price table used for cost.
        on_event: called with every trace event as it happens.
        cache: a directory (or `ReplyCache`) of LM replies to reuse and fill; off by default.
        reply_source: recorded replies to answer from before any model is called (replay and
            resume; see `recursor.replay`).
        models: further models that model code may name in `llm_query(..., model=)` and
            `rlm_query(..., model=)`: `LM` objects, or names served by the sub-model's endpoint.
            Any other name is an error in the cell, never a request.
        mode: "rlm" always explores through the REPL; "direct" answers with one call holding the
            whole context; "auto" (the default) answers directly when the context fits well
            within what the root model's profile says it reads as well as an RLM would
            (`recursor.profiles`), and runs an RLM otherwise, or when a small model's first look
            computes the answer with code (a table's count: `recursor.look_table`). `Result.mode`
            says which.
        tools: host functions, `Tool`s and `MCPTools` that model code may call (`recursor.tools`).

    Raises `UserError` when `limits.max_usd` is set and a model's price is not known: its
    spending could not be limited (give it with `pricing=Pricing({...})`).
    """

    def __init__(
        self,
        model: LM | str,
        *,
        sub_model: LM | str | None = None,
        base_url: str | None = None,
        api_key_env: str | None = None,
        limits: Limits | None = None,
        sandbox: SandboxOptions | None = None,
        trace_dir: Path | str | Literal[False] | None = None,
        prompts: Prompts | PromptMode | None = None,
        pricing: Pricing | None = None,
        on_event: EventSink | None = None,
        cache: ReplyCache | Path | str | None = None,
        reply_source: ReplySource | None = None,
        models: Sequence[LM | str] = (),
        mode: Mode = "auto",
        tools: Sequence[Any] = (),
    ) -> None:
        self.root_lm = as_lm(model, base_url, api_key_env)
        self.sub_lm = as_lm(sub_model, base_url, api_key_env) if sub_model is not None else self.root_lm
        self.limits = limits or Limits()
        self.sandbox = sandbox or SandboxOptions()
        self.trace_dir: Path | None = (
            None if trace_dir is False else Path(trace_dir) if trace_dir else default_trace_dir()
        )
        self.prompts = prompts_for(self.root_lm, prompts)
        greedy = decoding_for(self.root_lm, self.prompts)  # one copy when root and sub-model are one
        self.sub_lm = greedy if self.sub_lm is self.root_lm else decoding_for(self.sub_lm, self.prompts)
        self.root_lm = root_replies_for(greedy, self.prompts)
        # The root's model without the root's stops and cap: for a direct answer and for calls
        # that name it as a sub-model (either may quote a "User:" line).
        self._plain_root = greedy
        self.pricing = pricing or Pricing()
        self.on_event = on_event
        self.cache = cache if isinstance(cache, ReplyCache) or cache is None else ReplyCache(cache)
        self.reply_source = reply_source
        self.tools = Toolbox.for_prompts(tools, self.prompts.repl_setup(""))
        if mode not in ("auto", "rlm", "direct"):
            raise UserError(f"mode must be 'auto', 'rlm' or 'direct', not {mode!r}")
        self.mode: Mode = mode
        self.models: dict[str, LM] = {}
        """Every model a run may use, by name: root, sub-model, then `models`."""
        for lm in (self._plain_root, self.sub_lm, *(self._allowed(m) for m in models)):
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

    async def acomplete(self, question: str, context: ContextInput = None, *, output_type: Any = None,
                        output_retries: int = DEFAULT_OUTPUT_RETRIES) -> Result:
        """Answer `question` about `context` (str, list or dict of str, or paths); with no
        context the question is the context too (`recursor.prompt_split`).

        With `output_type` (a pydantic model, a dataclass or a JSON Schema dict) the answer must
        be JSON of that type: an invalid one is sent back with its errors, up to `output_retries`
        more turns (`recursor.output`); `Result.output` holds the value.
        """
        question, context = split_prompt(question, context)
        typed = OutputCheck(output_spec(output_type), output_retries) if output_type is not None else None
        value = await asyncio.to_thread(load_context, context)  # a large directory must not block the loop
        mode = "rlm" if self.tools and self.mode == "auto" else choose_mode(self.mode, profile_of(self.root_lm), value)
        if mode == "direct" and self.mode == "auto" and self.prompts.reads_the_look and typed is None:
            # A count or ranking the look computes with code is offered on the first turn: a direct
            # read of every row by a small model is slower and counts worse.
            look = await first_look(value, question, orient=self.prompts.orient)
            mode = "rlm" if look.counted else mode
            passages = look.passages  # shown again beside the question: a small model reads its prompt's end
        else:
            passages = ()
        tree = RunTree(self)
        try:
            if mode == "direct":
                outcome: _Outcome | DirectOutcome = await run_direct(
                    tree, question=question, context=value, lm=self._plain_root, typed=typed, passages=passages)
                iterations = max(outcome.iterations, 1)
            else:
                outcome = await _Run(tree, depth=0, run_id="root", question=question, context=value,
                                     typed=typed).run()
                iterations = outcome.iterations
        finally:
            await tree.aclose()
        return Result(
            answer=rounded_as_asked(outcome.answer, question),  # "rounded to the nearest metre": 722, not 722.0874
            stopped_by=outcome.stopped_by,  # type: ignore[arg-type]
            mode=mode,
            usage=tree.usage,
            wall_time=time.monotonic() - tree.ledger.started,
            iterations=iterations,
            trace_path=tree.trace_path,
            error=outcome.error, output=outcome.output, evidence=tree.evidence.get("root", []),
        )

    def complete(self, question: str, context: ContextInput = None, *, output_type: Any = None,
                 output_retries: int = DEFAULT_OUTPUT_RETRIES) -> Result:
        """Blocking form of `acomplete`, for code that has no event loop running."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(self.acomplete(question, context, output_type=output_type,
                                              output_retries=output_retries))
        raise UserError("RLM.complete() was called inside a running event loop; use `await rlm.acomplete(...)`")

    def session(self, *, resume: Path | str | None = None) -> Session:
        """One REPL and one budget across questions (`recursor.session`); `resume` reopens a
        session from its trace file and appends to it."""
        return Session(self, _Run, resume=resume)

    async def aclose(self) -> None:
        await self.root_lm.aclose()
        if self.sub_lm is not self.root_lm:
            await self.sub_lm.aclose()


class _Run:
    """One RLM run (the root or a child): its own REPL, messages and counters."""

    def __init__(self, tree: RunTree, *, depth: int, run_id: str, question: str,
                 context: ContextValue, root_lm: LM | None = None, parent_call: str | None = None,
                 parent_cell: str | None = None, typed: OutputCheck | None = None,
                 repl: RunRepl | None = None, metadata: str | None = None) -> None:
        """A session passes its shared `repl` (left open at the end) and the first message's `metadata`."""
        config = tree.config
        self.typed = typed
        """The check on a typed answer (the root run only)."""
        self.tree = tree
        self.depth = depth
        self.run_id = run_id
        self.question = question
        self.context = context
        self.root_lm = root_lm or config.root_lm
        self.sub_lm = config.sub_lm
        self.prompts = config.prompts
        self.parent_call = parent_call
        self.parent_cell = parent_cell
        self.can_recurse = depth + 1 < tree.limits.max_depth
        self.subcalls = Subcalls(tree, run_id=run_id, depth=depth, sub_lm=self.sub_lm,
                                 can_recurse=self.can_recurse, current_cell=lambda: self.repl.cell,
                                 spawn=self._child)
        self.owns_repl, self.metadata = repl is None, metadata
        self.repl = repl or RunRepl(tree, run_id=run_id, question=question, context=context, prompts=self.prompts,
                                    handler=self.subcalls)
        self.last_prose: str = ""

    # -- the loop -------------------------------------------------------------------------
    async def run(self) -> _Outcome:
        tree, limits = self.tree, self.tree.limits
        # The tools' part of the prompt starts the tree's MCP servers (once) before `run_start`,
        # so that it names every tool, theirs too, that a replay must stand in for.
        tools = await tree.tools.prompt(self.prompts)
        tree.run_start(run_id=self.run_id, parent_call=self.parent_call, parent_cell=self.parent_cell,
                       depth=self.depth, question=self.question, root_model=self.root_lm.model,
                       output=self.typed.describe() if self.typed else None)
        state = TurnState(question=self.question, context=self.context)
        state.shown = NO_LOOK if self.metadata else await first_look(self.context, self.question, orient=self.prompts.orient)
        # A small root's look is read by sub-models before its first turn: not a child's, nor
        # for a typed answer (its form is the schema's, not a line's), nor a session's later
        # question (its look is none: the context it names is not `context`).
        if self.prompts.reads_the_look and self.depth == 0 and self.typed is None and not self.metadata:
            reads = LookReads(tree, self.sub_lm, self.prompts, self.run_id, self.depth, self.question, self.context)
            if (stepped := await reads.first_step(state.shown, self.prompts.orient)) is not None:
                # The run answers the second step, its first step's value written in it.
                self.question = state.question = stepped[0]
                self.repl.reads += [("look", read) for read in stepped[1].reads]  # the first step's lines, read
                state.shown = await first_look(self.context, self.question, orient=self.prompts.orient)
                reads = replace(reads, question=self.question)
            state.shown, state.look_read = await reads.look_read(state.shown)
        self.repl.reads += [("look", read) for read in state.shown.reads]  # lines shown are read
        metadata = self.metadata or describe(self.context)
        # `read` only when there is one: a subclass's first_message of three arguments still works.
        first = (self.prompts.first_message(self.question, metadata, state.shown) if state.look_read is None
                 else self.prompts.first_message(self.question, metadata, state.shown, read=state.look_read))
        messages: list[Message] = [
            {"role": "system", "content": self.prompts.system(can_recurse=self.can_recurse) + tools},
            {"role": "user", "content": first + (self.typed.instructions() if self.typed else "")},
        ]
        self.repl.start()  # the worker starts while the first root request is already out
        iteration = 0
        outcome: _Outcome | None = None
        try:
            while outcome is None:
                if iteration >= limits.max_iterations or state.errors >= limits.max_errors or state.stuck:
                    reason: StopReason = "max_iterations" if iteration >= limits.max_iterations else "max_errors"
                    outcome = await self._finish(reason, messages, iteration, state=state)
                    break
                iteration, messages[:] = iteration + 1, fit_window(messages, self.root_lm)
                try:
                    resp = await tree.call_lm(self.root_lm, messages, run_id=self.run_id, depth=self.depth, role="root",
                                              output_cap=self.prompts.reply_tokens)
                except BudgetExceeded as exc:  # a limit (the deadline, tokens, dollars) stopped the call
                    outcome = await self._finish(exc.limit, messages, iteration - 1, state=state)  # type: ignore[arg-type]
                    break
                except LMError as exc:
                    outcome = await self._finish("lm_error", messages, iteration - 1, error=error_text(exc))
                    break
                reply = cut_after_first_block(resp.text) if self.prompts.one_block_per_reply else resp.text
                cut = parse_reply(resp.text[len(reply):]).final if len(reply) < len(resp.text) else None
                # Providers reject empty assistant turns (Anthropic: 400), so keep a placeholder.
                messages.append({"role": "assistant", "content": reply if reply.strip() else "(empty reply)"})
                try:
                    outcome, feedback = await self._turn(reply, iteration, state, cut)
                except BudgetExceeded as exc:  # the deadline stopped a cell
                    outcome = await self._finish(exc.limit, messages, iteration, state=state)  # type: ignore[arg-type]
                    break
                if outcome is not None and self.typed is not None:  # an invalid answer: a retry turn
                    outcome, feedback = self.typed.review(outcome)
                if outcome is None:
                    messages.append({"role": "user", "content": feedback})
                    tree.emit(ev.BudgetEvent(run_id=self.run_id, iteration=iteration,
                                             **{**tree.snapshot(), **tree.ledger.snapshot()}))
            if outcome.json is None and (read := state.instead_of_echo(outcome.answer)
                                         or state.instead_of_count(outcome.answer)) is not None:
                outcome.answer = read  # the question's own term, or its lines' count, given again: the value read
            if self.typed is not None and outcome.output is None and outcome.stopped_by != "invalid_output":
                outcome = self.typed.settle(outcome)  # a limit's best answer, typed when it is valid
            if outcome.json is None and outcome.output is None:  # a text answer, maybe copied from a search
                outcome.answer = without_marks(outcome.answer)
        finally:
            if self.owns_repl:
                await self.repl.close()
        tree.run_end(run_id=self.run_id, context=self.context, reads=self.repl.reads, outcome=outcome)
        return outcome

    async def _turn(self, reply: str, iteration: int, state: TurnState,
                    cut: FinalAnswer | None = None) -> tuple[_Outcome | None, str]:
        """Act on one root reply: run its cells, take its answer, or say what was wrong.

        `cut` is a FINAL written after the reply's first block and cut away with the rest
        (`one_block_per_reply`): written before any output, it is taken only when the block
        failed, printing nothing, and the first look shows its value (`TurnState.read_in_look`).
        Returns the outcome when the run is answered, else the feedback for the next turn.
        """
        parsed = parse_reply(reply)
        if parsed.prose and parsed.final is None and not copies_the_instruction(parsed.prose):
            self.last_prose = parsed.prose
        if parsed.final is not None and not parsed.code and parsed.final.kind == "text":
            if (note := state.send_back(parsed.final.value, self.prompts, self.context)) is not None:
                return None, note
        if (offer := state.taken_offer([b.code for b in parsed.code])) is not None:
            if (again := state.computed_instead(offer, self.prompts)) is None:
                return _Outcome(offer, "final", iteration), ""
            return None, again  # a later offer taken over the value the look computed: asked once
        if parsed.final is None and state.echoes_output([b.code for b in parsed.code]):
            state.errors += 1  # nothing ran: a model that only echoes reaches max_errors
            return None, self.prompts.echoed_output()
        parts: list[str] = []
        failed = 0
        blind = True  # every block failed and showed nothing
        for n, block in enumerate(parsed.code, 1):
            cell = await self.repl.run_cell(block.code, iteration, n)
            state.saw_cell(self.prompts, cell.stdout, cell.error, block.code)
            note, instead = state.cell_note(self.prompts, block.code, cell.stdout, cell.error, self.context)
            if instead is not None:  # a small root's loop, broken: an untried search in its place
                cell = await self.repl.run_cell(instead, iteration, n)
                state.saw_cell(self.prompts, cell.stdout, cell.error, instead)  # its output is what the model reads
                held = None if cell.error else state.held(self.prompts, instead, block.code)
                note = f"{note}\n{held}" if note and held else note
            offer = state.offer(self.prompts, cell.stdout, instead or block.code, self.context) if note is None and not cell.error else None
            parts.append(format_cell(cell, n, len(parsed.code), block.closed, note or offer))
            blind = blind and bool(cell.error) and printed_nothing(cell.stdout)
            # Running the same code again is no progress: a model stuck in a loop reaches
            # max_errors and its answer-now turn instead of spending every iteration.
            failed += bool(cell.error) or (note is not None and instead is None)
            answer = (number_as_written(block.code, cell.final) if cell.final is not None
                      else state.unquoted_answer(block.code, cell.error, self.context))
            if answer is not None:
                typed = state.typed_before_output(answer, self.prompts, block.code, cell.stdout) if cell.final else None
                if typed is not None:
                    return None, "\n\n".join([*parts, typed])  # typed before the output was seen: once
                form, follow = (None, None) if cell.final_json is not None else state.wrong_form(
                    answer, self.question, self.prompts)
                if form is not None:  # ```repl FINAL(pkg)```, a name ("gnupg-l10n:all"), for "what version ...?"
                    parts.append(form)
                    parts += [await self._ran_next(follow, iteration, len(parsed.code) + 1)] if follow else []
                    return None, "\n\n".join(parts)
                if (echo := state.doubted(answer, self.prompts, block.code)) is None:
                    return _Outcome(answer, "final", iteration, json=cell.final_json), ""
                return None, "\n\n".join([*parts, echo])  # the question's own word: sent back once
        if cut is not None and parsed.code and blind and state.read_in_look(cut):
            if (note := state.send_back(cut.value, self.prompts, self.context)) is None:
                return _Outcome(cut.value, "final", iteration), ""
            parts.append(note)
        if parsed.final is not None:
            found = await self._resolve_final(parsed.final.kind, parsed.final.value, parts)
            form, follow = (None, None) if found is None else state.wrong_form(found.value, self.question, self.prompts)
            form = form or (None if found is None else state.doubted(found.value, self.prompts))
            if found is not None and form is None:
                return _Outcome(found.value, "final", iteration, json=found.json), ""
            parts += [form] if form else []
            parts += [await self._ran_next(follow, iteration, len(parsed.code) + 1)] if follow else []
            failed += 1
        if not parsed.code and parsed.final is None:
            # Prose after the model has looked may state the answer without FINAL: ask for it.
            stated = (bool(state.looked and parsed.prose) and not restates_question(parsed.prose, self.question)
                      and not state.copies_a_note(parsed.prose))
            parts.append(self.prompts.prose_answer(parsed.prose) if stated else self.prompts.no_code())
            failed += 1
        # A turn counts as an error when nothing in it worked.
        state.errors = state.errors + 1 if failed and failed >= max(len(parsed.code), 1) else 0
        left = self.tree.limits.max_iterations - iteration
        if 0 < left <= 2:
            parts.append(self.prompts.iterations_left(left))
        return None, clip_feedback("\n\n".join(parts), self.prompts.feedback_limit(self.tree.config.sandbox.output_limit))

    async def _ran_next(self, code: str, iteration: int, index: int) -> str:
        """Run the search a send-back note names as the next step, shown under that note."""
        return format_cell(await self.repl.run_cell(code, iteration, index), 1, 1, True, self.prompts.ran_next(code))

    async def _finish(self, reason: StopReason, messages: list[Message], iteration: int,
                      error: str | None = None, state: TurnState | None = None) -> _Outcome:
        """End on a limit: one last 'answer now' turn if the budget allows, else the best we have.

        That turn is asked once more when its reply held no answer (small roots write another
        search; the 1.5B then left a run that its first look had answered unanswered), and once
        more when a check doubts its answer (`TurnState.doubted`: the question's own word, the
        context's size), with the note: three calls at most. A doubted answer stays unless a
        later reply gives a FINAL or a stated value."""
        answer: str | None = None
        json_form: str | None = None
        late: str | None = None
        # Stopped by errors (its replies failed or repeated, turn after turn) after a value read
        # in the look was offered, a run ends on that value: in the 68 such stops of sessions
        # 39-44's recorded runs (realdocs and the held-out sets), the answer-now turn gave code
        # again or the value offered, and every one ended on the value, after 25-50 s more.
        offered_stop = reason == "max_errors" and state is not None and state.look_read is not None
        if reason in ("max_iterations", "max_errors") and not offered_stop:
            ask = self.prompts.answer_now(reason.replace("_", " "), found=state is None or state.found_any)
            turn: list[Message] = [{"role": "user", "content": ask}]
            reasked = doubted = False
            for n in range(3):
                try:
                    resp = await self.tree.call_lm(self.root_lm, [*messages, *turn], run_id=self.run_id,
                                                   depth=self.depth, role="root", output_cap=self.prompts.reply_tokens)
                except (BudgetExceeded, LMError):
                    break
                if resp.finish_reason == "refusal":
                    break
                said, said_json = await self._answer_now(resp.text, iteration + 1 + n, state, prose=n == 0)
                copied = said is not None and state is not None and (state.copied_from_examples(said, self.prompts)
                                                                     or state.copies_a_note(said))
                if copied:
                    said = said_json = None  # a value of the prompt's examples, not of the context
                if said is None and n and answer is None and not copied:  # words, after a reply without an answer:
                    prose = parse_reply(resp.text).prose  # weaker than what the run stored itself
                    copied_out = state is not None and state.copies_output(prose)
                    late = late or (None if copies_the_instruction(prose) or copied_out else prose)
                answer, json_form = (said, said_json) if said is not None else (answer, json_form)
                doubt = (state.doubted(said, self.prompts) or state.read_instead(said, self.prompts)
                         if state is not None and said is not None else None)
                if said is None and not reasked:
                    reasked, note = True, self.prompts.answer_now_again()
                elif doubt and not doubted:
                    doubted, note = True, f"{doubt}\n{ask}"
                else:
                    break
                turn += [{"role": "assistant", "content": resp.text}, {"role": "user", "content": note}]
        if answer is None:  # the look's own value, the last sub-result, else what the reader read in the look
            answer = await self._best_effort(state.look_computed if state is not None else None,
                                             state.look_read if state is not None else None) or late
            if answer and state is not None and state.copies_output(answer):
                answer = None  # the run's last prose was an output written back, no answer
        exhausted = self.tree.ledger.exhausted
        if exhausted and reason in ("max_iterations", "max_errors"):
            reason = exhausted  # type: ignore[assignment]
        return _Outcome(answer or "", reason, iteration, error, json=json_form if answer else None)

    async def _answer_now(self, reply: str, iteration: int, state: TurnState | None,
                          prose: bool = True) -> tuple[str | None, str | None]:
        """The answer (and its JSON form) of a reply to the answer-now turn, which runs no code
        but a block that is one FINAL call (`protocol.final_call`): told to reply FINAL(answer),
        small models write ```repl FINAL(12)```, and the call is their answer. A name there is
        read, not run (`FINAL(answer)` copied from the prompt is the answer dict's content, an
        undefined `FINAL(Name)` is a name read from the text); a value is computed in a cell.
        With `prose`, a reply in words is an answer too."""
        parsed = parse_reply(reply)
        if parsed.final is not None:
            found = await self._resolve_final(parsed.final.kind, parsed.final.value, [])
            return (found.value, found.json) if found else (None, None)
        call = final_call(parsed.code[0].code) if len(parsed.code) == 1 else None
        if call is not None and call.name is not None:
            found = await self._resolve_final("var", call.name, [])
            if found is not None:
                return found.value, found.json
            named = state is not None and state.written_name(call.name, self.context)
            return (call.name if named else None), None
        if call is not None:
            try:
                cell = await self.repl.run_cell(parsed.code[0].code, iteration, 1)
            except BudgetExceeded:  # the deadline stopped it: the best we have
                return None, None
            if not cell.final or is_code_object(cell.final):
                # ```repl FINAL(twisted/web/client.py)```: a path written unquoted, which Python
                # divides; the answer when the text writes it (`TurnState.written_name`).
                code = parsed.code[0].code.strip()
                return (state.unquoted_answer(code, cell.error, self.context) if state is not None else None), None
            return number_as_written(parsed.code[0].code, cell.final), cell.final_json
        if parsed.prose and prose:  # prose without FINAL is a weaker answer than one the model stored itself
            stored = await self.repl.stored_answer()
            copied = copies_the_instruction(parsed.prose) or (state is not None and state.copies_output(parsed.prose))
            return stored or (None if copied else parsed.prose), None
        if len(parsed.code) != 1:
            return None, None
        code = parsed.code[0].code
        if (stated := stated_answer(code)) is not None:  # the answer as a block of one value ("0", "Final(7)")
            return stated, None
        if state is not None and not state.found_any and (sentence := lone_sentence(code)) is not None:
            return sentence, None  # asked after finding nothing, "The text does not record it." as a block
        if state is not None and (value := state.value_block(code, self.context)) is not None:
            return value, None  # a version or date the text writes, as a block (`2.1.28+dfsg-10`)
        # A name or path the text writes, as a block (`cgi.py`): an answer when no variable of
        # the run starts it.
        name = lone_token(code)
        if name is None or state is None or not state.written_name(name, self.context):
            return None, None
        head = await self.repl.get_var(re.split(r"[./]", name, maxsplit=1)[0])
        return (None if head.found else name), None

    async def _best_effort(self, offered: str | None = None, read: str | None = None) -> str | None:
        """The best answer without another LM call: answer["content"], the value the first
        look computed from the context and offered (`offered`: `Orientation.counted`), the
        last sub-result, the value a sub-model read in the look's lines (`read`:
        `TurnState.look_read`), prose. A run a limit stopped (the deadline, its tokens or
        dollars) ends on them too: offered the query's "Afghanistan", the 1.5B grepped a wide
        CSV's long lines until its 240 s deadline, and the run ended with no answer.
        Offered "528" days between a log's first and last dates, the 1.5B wrote code that
        failed, looped to max_errors and ended with no answer at all."""
        return (await self.repl.stored_answer() or offered or self.subcalls.last_result or read or self.last_prose
                or None)

    async def _resolve_final(self, kind: str, value: str, parts: list[str]) -> VarLookup | None:
        # FINAL(result) naming a REPL variable means its value (models mix up the forms).
        named = kind != "text" or (value.isidentifier() and not keyword.iskeyword(value))
        found = (await self.repl.get_var(value) if kind != "text" else await self.repl.stored(value)) if named else None
        if found is not None and found.found and value == "answer":  # the REPL's answer dict: its content
            if content := answer_content(found.value):
                return VarLookup(True, content)
            parts.append(self.prompts.prose_answer(self.last_prose))  # FINAL(answer) copied, none set yet
            return None
        if found is not None and found.found and (kind != "text" or not is_code_object(found.value)):
            return found
        if kind == "text" and is_placeholder(value):  # FINAL(the answer), copied from an instruction
            parts.append(self.prompts.placeholder_answer(value))
            return None
        if kind == "text":
            return VarLookup(True, value)
        parts.append(self.prompts.missing_var(value, found.defined if found is not None else ()))
        return None

    async def _child(self, child_id: str, prompt: str, context: Any, lm: LM) -> ChildOutcome:
        """Run a child RLM on `context` (or on the prompt itself) to its end."""
        question, value = split_prompt(prompt, None if context is None else load_context(context))
        child = _Run(self.tree, depth=self.depth + 1, run_id=child_id, question=question, context=value,
                     root_lm=root_replies_for(lm, self.prompts), parent_call=self.run_id,
                     parent_cell=self.repl.cell)
        outcome = await child.run()
        return ChildOutcome(outcome.answer, outcome.stopped_by, outcome.error)
