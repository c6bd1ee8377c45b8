"""A model backed by a Python function: for tests, demos and offline experiments."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Sequence

from recursor.lm.base import LM, LMResponse, Message, Usage

__all__ = ["FunctionLM"]

ReplyFn = Callable[[Sequence[Message]], "str | LMResponse | Awaitable[str | LMResponse]"]


class FunctionLM(LM):
    """Calls `fn(messages)` (sync or async) for each reply.

    A returned `str` is wrapped in an `LMResponse` whose usage counts characters / 4 as tokens,
    so budgets and usage tables behave as they would with a real model.
    """

    def __init__(self, fn: ReplyFn, model: str = "function") -> None:
        self.fn = fn
        self.model = model

    async def complete(self, messages: Sequence[Message], *, max_tokens: int | None = None) -> LMResponse:
        out = self.fn(messages)
        if inspect.isawaitable(out):
            out = await out
        if isinstance(out, LMResponse):
            return out
        chars_in = sum(len(m["content"]) for m in messages)
        return LMResponse(
            text=str(out),
            model=self.model,
            usage=Usage(input_tokens=chars_in // 4 + 1, output_tokens=len(str(out)) // 4 + 1),
        )

    def with_model(self, model: str) -> LM:
        return FunctionLM(self.fn, model=model)
