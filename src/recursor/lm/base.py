"""The one small LM interface every model client implements.

A client turns a list of chat messages into one reply. Everything cross-cutting
(retries, rate limits, budget accounting, caching, tracing) is a wrapper around this
interface, never a flag on a client.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypedDict

__all__ = ["LM", "LMResponse", "Message", "Usage", "WrapperLM", "choice_request_hash", "output_cap", "request_hash"]


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


def output_cap(*caps: int | None) -> int | None:
    """The smallest of the output caps that are set (a client's own and the call's), or None."""
    given = [c for c in caps if c is not None]
    return min(given) if given else None


def request_hash(messages: Sequence[Mapping[str, Any]]) -> str:
    """sha256 of a request's messages (role and content only), the key replay verifies against.

    Recorded in every `lm_call` so a replay can tell "same question, reuse the reply" from
    "the run went elsewhere" without storing each full request again.
    """
    digest = hashlib.sha256()
    for message in messages:
        role = str(message.get("role", "")).encode()
        content = str(message.get("content", "")).encode("utf-8", errors="surrogatepass")
        digest.update(b"%d:%s:%d:" % (len(role), role, len(content)))
        digest.update(content)
    return digest.hexdigest()


def choice_request_hash(
    messages: Sequence[Mapping[str, Any]],
    choices: Sequence[str],
    calibrate: Sequence[Sequence[Mapping[str, Any]]] = (),
) -> str:
    """The hash of a choice request: its messages plus the options and calibration prompts.

    A plain request with the same messages hashes differently, so a cache or a replay never
    answers one with the other's reply.
    """
    extra = json.dumps(
        {"choices": list(choices), "calibrate": [request_hash(c) for c in calibrate]},
        sort_keys=True,
    )
    return request_hash([*messages, {"role": "choices", "content": extra}])



class LM(ABC):
    """A chat model. Implement `complete`; override `with_model` if one endpoint serves many."""

    #: The model name used in usage tables, prices and traces.
    model: str
    #: The most output tokens this client asks for per reply, when it is configured with a cap.
    max_output_tokens: int | None = None
    #: (input, output) USD per million tokens, when the client knows its own price (the
    #: embedded model declares 0); `Pricing` uses it after the user's table.
    price: tuple[float, float] | None = None

    @abstractmethod
    async def complete(self, messages: Sequence[Message], *, max_tokens: int | None = None) -> LMResponse:
        """Return the model's reply to `messages`. Raise a subclass of `LMError` on failure.

        `max_tokens`, when given, caps this reply's output tokens (the engine's budget
        reserved that many); a client sends the smaller of it and its own cap.
        """

    async def choose(
        self,
        messages: Sequence[Message],
        choices: Sequence[str],
        *,
        calibrate: Sequence[Sequence[Message]] = (),
        max_tokens: int | None = None,
    ) -> LMResponse:
        """Pick one of `choices` (the messages already list them; see `lm.choice`).

        The reply's text is the option picked. This default asks for a reply and matches it
        to an option; when it names none, the reply comes back as it is, so the caller can
        tell. Clients that can score options override this; they may use `calibrate` (the
        same request with the item replaced by content-free text) to correct their bias.
        """
        from recursor.lm.choice import match_choice

        response = await self.complete(messages, max_tokens=max_tokens)
        picked = match_choice(response.text, choices)
        return response if picked is None else dataclasses.replace(response, text=picked)

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
    """Delegates to `wrapped`; subclasses add what they do (retry, cache, limits) in `around`.

    `complete` and `choose` both go through `around`, so a wrapper written once applies to
    both kinds of request. `key` is the request's hash (for a cache).
    """

    def __init__(self, wrapped: LM) -> None:
        self.wrapped = wrapped
        self.model = wrapped.model
        self.max_output_tokens = wrapped.max_output_tokens
        self.price = wrapped.price

    async def complete(self, messages: Sequence[Message], *, max_tokens: int | None = None) -> LMResponse:
        return await self.around(
            lambda: self.wrapped.complete(messages, max_tokens=max_tokens), lambda: request_hash(messages)
        )

    async def choose(
        self,
        messages: Sequence[Message],
        choices: Sequence[str],
        *,
        calibrate: Sequence[Sequence[Message]] = (),
        max_tokens: int | None = None,
    ) -> LMResponse:
        return await self.around(
            lambda: self.wrapped.choose(messages, choices, calibrate=calibrate, max_tokens=max_tokens),
            lambda: choice_request_hash(messages, choices, calibrate),
        )

    async def around(
        self, call: Callable[[], Awaitable[LMResponse]], key: Callable[[], str]
    ) -> LMResponse:
        """Make the request (`call`); a subclass wraps what it adds around it."""
        return await call()

    def with_model(self, model: str) -> LM:
        return type(self)(self.wrapped.with_model(model))

    async def aclose(self) -> None:
        await self.wrapped.aclose()
