"""The one small LM interface every model client implements.

A client turns a list of chat messages into one reply. Everything cross-cutting
(retries, rate limits, budget accounting, caching, tracing) is a wrapper around this
interface, never a flag on a client.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, TypedDict

__all__ = ["LM", "LMResponse", "Message", "Usage", "WrapperLM"]


class Message(TypedDict):
    """One chat message, in the OpenAI shape that every provider can be mapped from."""

    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True, slots=True)
class Usage:
    """Tokens one call consumed. `cost_usd` is set only when the provider reported a cost."""

    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = None


@dataclass(frozen=True, slots=True)
class LMResponse:
    """A model's reply. `model` is the name the provider reports (used for pricing)."""

    text: str
    model: str
    usage: Usage = Usage()
    finish_reason: str | None = None


class LM(ABC):
    """A chat model. Implement `complete`; override `with_model` if one endpoint serves many."""

    #: The model name used in usage tables, prices and traces.
    model: str

    @abstractmethod
    async def complete(self, messages: Sequence[Message]) -> LMResponse:
        """Return the model's reply to `messages`. Raise a subclass of `LMError` on failure."""

    def with_model(self, model: str) -> LM:
        """A client for another model on the same endpoint (used by `llm_query(..., model=)`)."""
        from recursor.errors import UserError

        raise UserError(f"{type(self).__name__} serves only {self.model!r}, not {model!r}")

    async def aclose(self) -> None:
        """Release connections. The default holds none."""
        return None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(model={self.model!r})"


class WrapperLM(LM):
    """Delegates to `wrapped`; subclasses override what they add (retry, cache, accounting)."""

    def __init__(self, wrapped: LM) -> None:
        self.wrapped = wrapped
        self.model = wrapped.model

    async def complete(self, messages: Sequence[Message]) -> LMResponse:
        return await self.wrapped.complete(messages)

    def with_model(self, model: str) -> LM:
        return type(self)(self.wrapped.with_model(model))

    async def aclose(self) -> None:
        await self.wrapped.aclose()
