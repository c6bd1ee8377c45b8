"""The REPL's `llm_query` / `rlm_query` family, served on the host for one run.

Model code calls these from the sandbox; the worker forwards each call here (after the
sandbox has checked its shape). A plain sub-call goes through the tree's call pipeline; a
child run is started by the run that owns this object (`spawn`), within the tree's
per-depth gate on child runs. A batch keeps its order, and a failed item becomes an
`"Error: ..."` string in its slot, so one failure never loses the rest.

`llm_query(prompt, schema=...)` asks for JSON matching a JSON Schema (`recursor.output`):
the schema goes with the prompt, the reply is parsed and validated here, one re-ask shows the
model its errors, and the value (a dict, list, ...) goes back to the REPL. A reply that is
still invalid raises `InvalidOutput` (an "Error: ..." item in a batch).

Calls of host tools (`tool_call`) go to the tree's `recursor.tools.ToolSet`.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from recursor.calls import error_text
from recursor.errors import BudgetExceeded, LMError, RecursorError, UserError
from recursor.lm.base import LM, Message
from recursor.lm.choice import check_choices, choice_prompt, content_free_prompts
from recursor.output import OutputSpec, error_lines, schema_spec
from recursor.run_tree import RunTree

__all__ = ["ChildOutcome", "InvalidOutput", "Spawn", "Subcalls"]

SUB_SCHEMA_NOTE = (
    "\n\nReply with JSON only (no prose, no code fence) matching this JSON Schema:\n{schema}"
)
SUB_RETRY_NOTE = "Your reply does not match the JSON Schema:\n{errors}\nReply again with the corrected JSON only."


class InvalidOutput(RecursorError):
    """A sub-call's reply did not match its schema, even after a re-ask."""


@dataclass(frozen=True, slots=True)
class ChildOutcome:
    """How a child run ended, as far as its parent's code needs to know."""

    answer: str
    stopped_by: str
    error: str | None = None


Spawn = Callable[[str, str, Any, LM], Awaitable[ChildOutcome]]
"""`spawn(child_id, prompt, context, root_lm)`: run a child RLM to its end."""


class Subcalls:
    """Serves one run's sub-calls (`handler` for its REPL)."""

    def __init__(self, tree: RunTree, *, run_id: str, depth: int, sub_lm: LM, can_recurse: bool,
                 current_cell: Callable[[], str | None], spawn: Spawn) -> None:
        self.tree = tree
        self.run_id = run_id
        self.depth = depth
        self.sub_lm = sub_lm
        self.can_recurse = can_recurse
        self.current_cell = current_cell
        self.spawn = spawn
        self.last_result: str | None = None
        """The last non-empty sub-call or child answer: a best answer when a limit ends the run."""
        self._children = itertools.count(1)

    async def __call__(self, fn: str, args: dict[str, Any]) -> Any:
        if fn == "tool_call":  # a host tool (`recursor.tools`), shared by every run of the tree
            return await self.tree.tools.call(args["name"], args["args"], args["kwargs"], run_id=self.run_id,
                                              cell=self.current_cell())
        model = args.get("model")
        choices = check_choices(args["choices"]) if args.get("choices") is not None else ()
        spec = schema_spec(args["schema"]) if args.get("schema") is not None else None
        if spec is not None:
            if fn == "llm_query":
                return await self.structured(args["prompt"], model, spec)
            return await gather_slots([self.structured(p, model, spec) for p in args["prompts"]])
        if fn == "llm_query":
            return await self.llm_query(args["prompt"], model, choices)
        if fn == "llm_query_batched":
            prompts = args["prompts"]
            # The batch's template with the item left out, built once for all its calls.
            calibrate: list[list[Message]] = [
                [{"role": "user", "content": choice_prompt(b, choices)}]
                for b in (content_free_prompts(prompts) if choices else [])
            ]
            return await gather_slots([self.llm_query(p, model, choices, calibrate) for p in prompts])
        if fn == "rlm_query":
            return await self.rlm_query(args["prompt"], model, args.get("context"))
        if fn == "rlm_query_batched":
            contexts = args.get("contexts") or [None] * len(args["prompts"])
            return await gather_slots(
                [self.rlm_query(p, model, c) for p, c in zip(args["prompts"], contexts, strict=True)]
            )
        raise UserError(f"unknown sub-call {fn!r}")

    def model(self, name: str | None) -> LM:
        """The model code asked for: the sub-model by default, else one the run was given."""
        if name is None or name == "" or name == self.sub_lm.model:
            return self.sub_lm
        allowed = self.tree.config.models
        if isinstance(name, str) and name in allowed:
            return allowed[name]
        raise UserError(f"model {str(name)[:80]!r} is not available to this run; "
                        f"use one of: {', '.join(sorted(allowed))} (RLM(models=[...]) adds more)")

    async def llm_query(self, prompt: str, model: str | None, choices: Sequence[str] = (),
                        calibrate: Sequence[Sequence[Message]] = ()) -> str:
        """One sub-call; with `choices` a choice request, calibrated on `calibrate`."""
        lm = self.model(model)
        if choices:
            prompt = choice_prompt(prompt, choices)
        message: Message = {"role": "user", "content": prompt}
        resp = await self.tree.call_lm(lm, [message], run_id=self.run_id, depth=self.depth + 1, role="sub",
                                       cell=self.current_cell(), choices=choices, calibrate=calibrate)
        if resp.text.strip():
            self.last_result = resp.text
        return resp.text

    async def structured(self, prompt: str, model: str | None, spec: OutputSpec) -> Any:
        """One sub-call whose reply must match `spec`: its parsed value, after at most one re-ask."""
        lm = self.model(model)
        messages: list[Message] = [{"role": "user", "content": prompt + SUB_SCHEMA_NOTE.format(
            schema=spec.schema_text)}]
        for attempt in range(2):
            resp = await self.tree.call_lm(lm, messages, run_id=self.run_id, depth=self.depth + 1, role="sub",
                                           cell=self.current_cell())
            value, text, errors = spec.check(resp.text)
            if not errors:
                self.last_result = text
                return value
            if attempt == 0:
                messages = [*messages, {"role": "assistant", "content": resp.text or "(empty reply)"},
                            {"role": "user", "content": SUB_RETRY_NOTE.format(errors=error_lines(errors))}]
        raise InvalidOutput(f"the reply did not match the schema, also after a re-ask:\n{error_lines(errors)}")

    async def rlm_query(self, prompt: str, model: str | None, context: Any) -> str:
        """A child run with its own REPL, or a plain sub-call at the last depth."""
        if not self.can_recurse:
            text = prompt if context is None else f"{prompt}\n\nContext:\n{context_text(context)}"
            return await self.llm_query(text, model)
        lm = self.model(model)
        child_id = f"{self.run_id}.{next(self._children)}"
        ledger = self.tree.ledger
        async with ledger.child_slots(self.depth + 1):  # bounds the sandbox workers alive at once
            ledger.check_deadline()  # the slot may come free only because the deadline cut a sibling
            ledger.children += 1
            ledger.peak_children = max(ledger.peak_children, ledger.children)
            try:
                outcome = await self.spawn(child_id, prompt, context, lm)
            finally:
                ledger.children -= 1
        if not outcome.answer:
            if outcome.stopped_by == "lm_error":
                raise LMError(f"child run {child_id} failed: {outcome.error}")
            raise RecursorError(f"child run {child_id} ended ({outcome.stopped_by}) without an answer")
        self.last_result = outcome.answer
        return outcome.answer


async def gather_slots(coros: Sequence[Any]) -> list[Any]:
    """Run concurrently, keep order; a failed item becomes an error string in its slot."""
    results = await asyncio.gather(*coros, return_exceptions=True)
    out: list[Any] = []
    for item in results:
        if isinstance(item, BaseException):
            if isinstance(item, asyncio.CancelledError):
                raise item
            name = "budget exhausted" if isinstance(item, BudgetExceeded) else type(item).__name__
            out.append(f"Error: {name}: {error_text(item)}")
        else:
            out.append(item)  # a str, or a parsed value for llm_query(schema=)
    return out


def context_text(context: Any) -> str:
    """A child's context as one text, for a plain sub-call at the last depth."""
    if isinstance(context, str):
        return context
    if isinstance(context, dict):
        return "\n\n".join(f"## {k}\n{v}" for k, v in context.items())
    if isinstance(context, list):
        return "\n\n".join(str(v) for v in context)
    return str(context)
