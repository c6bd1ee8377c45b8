"""The LM-call path of a tree: one record per call, passed down a short stack of layers.

Every model call at every depth, the root's turns and `llm_query` alike, is an `LMCall`
record handed to the tree's `CallPipeline`. Each layer does one thing and calls the next:

    Trace      one `lm_call` or `limit` event per call, whatever happened below
    Usage      the usage tables (`Result.usage`), for every answered call
    Replay     answer from a recorded trace (replay, resume) before anything is spent
    Cache      answer from the on-disk reply cache (`RLM(cache=...)`)
    Deadline   the tree's deadline cuts the rest
    Retry      retry what the service marks transient, each attempt traced
    Slot       at most `max_concurrency` calls in flight across the tree
    Ledger     reserve the worst case, send, settle (see `recursor.ledger`)
    transport  the client: `LM.complete` or `LM.choose`, with the reserved output cap

So a replayed or cached reply reserves nothing, a call waiting for a slot holds no budget,
and each retry attempt is reserved and settled on its own. A `RetryingLM` at the top of a
model (what `resolve_lm` builds) is lifted into the Retry layer, so retries are traced and
budgeted like any attempt.
"""

from __future__ import annotations

import asyncio
import copy
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from recursor.budget import UsageSummary
from recursor.errors import (
    BudgetExceeded,
    LMError,
    LMRequestError,
    LMServerError,
    LMTransientError,
    RateLimitError,
)
from recursor.ledger import Ledger, input_token_bound
from recursor.lm.base import (
    LM,
    LMResponse,
    Message,
    Usage,
    WrapperLM,
    choice_request_hash,
    request_hash,
)
from recursor.lm.cache import ReplyCache
from recursor.lm.retry import RetryingLM, RetryPolicy
from recursor.pricing import Pricing
from recursor.trace import events as ev
from recursor.trace.source import RecordedCall, ReplySource

__all__ = [
    "CacheLayer",
    "CallPipeline",
    "DeadlineLayer",
    "LMCall",
    "Layer",
    "LedgerLayer",
    "ReplayLayer",
    "RetryLayer",
    "SlotLayer",
    "TraceLayer",
    "UsageLayer",
    "error_text",
    "recorded_error",
]

Emit = Callable[[ev.Event], None]
"""`emit(event)`: how a layer reports to the trace (events are defined in `trace.events`)."""


@dataclass(slots=True)
class LMCall:
    """One LM call: who asks and what, then what became of it as it went down the layers."""

    lm: LM
    """The client that answers (a lifted `RetryingLM`'s inner model)."""
    messages: Sequence[Message]
    run_id: str
    role: Literal["root", "sub"]
    depth: int
    call_id: str
    seq: int
    """The call's number among its run's calls of the same role, from 1 (replay's key)."""
    cell: str | None = None
    """For sub-calls: the cell whose code made the call ("3.1")."""
    choices: tuple[str, ...] = ()
    calibrate: Sequence[Sequence[Message]] = ()
    retry: RetryPolicy | None = None
    request_hash: str = ""
    # Filled in on the way down:
    source: Literal["trace", "disk"] | None = None
    """Where the reply came from when not from the model."""
    cost: float | None = None
    output_cap: int | None = None
    """The caller's own cap on the reply, below the client's (the look reader's one value)."""
    max_tokens: int | None = None
    """The output cap the call was sent with (its reservation's)."""
    sent: bool = False
    started: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        policy, lm = _lift_retry(self.lm)
        if policy is not None:
            self.retry, self.lm = policy, lm
        if not self.request_hash:
            self.request_hash = (
                choice_request_hash(self.messages, self.choices, self.calibrate)
                if self.choices else request_hash(self.messages)
            )

    @property
    def model(self) -> str:
        return self.lm.model


Handler = Callable[[LMCall], Awaitable[LMResponse]]


class Layer(Protocol):
    """One concern of the call path: do it, and call `next` for the rest (or answer itself)."""

    async def __call__(self, call: LMCall, next: Handler) -> LMResponse: ...


async def transport(call: LMCall) -> LMResponse:
    """The bottom of the stack: the client itself."""
    call.sent = True
    if call.choices:
        return await call.lm.choose(call.messages, call.choices, calibrate=call.calibrate,
                                    max_tokens=call.max_tokens)
    return await call.lm.complete(call.messages, max_tokens=call.max_tokens)


class CallPipeline:
    """The layers, outermost first, ending in `transport`."""

    def __init__(self, layers: Sequence[Layer]) -> None:
        handler: Handler = transport
        for layer in reversed(layers):
            handler = _bind(layer, handler)
        self._handler = handler

    async def __call__(self, call: LMCall) -> LMResponse:
        return await self._handler(call)


def _bind(layer: Layer, next_handler: Handler) -> Handler:
    async def handler(call: LMCall) -> LMResponse:
        return await layer(call, next_handler)

    return handler


# -- layers, outermost first -----------------------------------------------------------------
class TraceLayer:
    """One event per call. Root requests are logged as the messages new since the run's last
    root call and its reply (`_delta`); sub-calls in full."""

    def __init__(self, emit: Emit) -> None:
        self.emit = emit
        self._sent: dict[str, list[Message]] = {}

    async def __call__(self, call: LMCall, next: Handler) -> LMResponse:
        head: dict[str, Any] = {"run_id": call.run_id, "call_id": call.call_id, "role": call.role,
                                "depth": call.depth, "call_seq": call.seq, "model": call.model}
        if call.role != "root":
            head["cell"] = call.cell
        head.update(request_hash=call.request_hash, n_messages=len(call.messages),
                    messages=self._delta(call))
        if call.choices:
            head["choices"] = list(call.choices)
        try:
            resp = await next(call)
        except BudgetExceeded as exc:
            if call.sent:
                self.emit(ev.LMCallEvent(**head, error="deadline reached" if exc.limit == "timeout" else str(exc),
                          limit=exc.limit, detail=exc.detail, duration=_since(call)))
            else:
                extra = {"cached": True, "source": call.source} if call.source else {}
                self.emit(ev.LimitEvent(**{**head, **extra}, limit=exc.limit, detail=exc.detail))
            raise
        except (Exception, asyncio.CancelledError) as exc:
            # Every call leaves an event, also one a custom client failed with a non-LMError
            # or one cancelled with its run.
            extra = {"cached": True, "source": call.source} if call.source else {}
            text = "cancelled" if isinstance(exc, asyncio.CancelledError) else error_text(exc)
            self.emit(ev.LMCallEvent(**{**head, **extra}, error=f"{type(exc).__name__}: {text}",
                      duration=_since(call)))
            raise
        if call.role == "root":
            self._sent[call.run_id] = [*call.messages, {"role": "assistant", "content": resp.text}]
        fields: dict[str, Any] = {"cached": True, "source": call.source} if call.source else {}
        if call.max_tokens is not None:
            fields["max_tokens"] = call.max_tokens
        self.emit(ev.LMCallEvent(**head, reply=resp.text,
                  usage={"input_tokens": resp.usage.input_tokens, "output_tokens": resp.usage.output_tokens},
                  cost_usd=call.cost, finish_reason=resp.finish_reason, duration=_since(call), **fields))
        return resp

    def _delta(self, call: LMCall) -> list[Message]:
        prev = self._sent.get(call.run_id) if call.role == "root" else None
        messages = call.messages
        if prev and len(prev) <= len(messages) and all(
            a is b or a == b for a, b in zip(prev, messages, strict=False)
        ):
            return list(messages[len(prev):])
        return list(messages)


class UsageLayer:
    """Counts every answered call in the tree's usage tables, by model and by depth."""

    def __init__(self, usage: UsageSummary) -> None:
        self.usage = usage

    async def __call__(self, call: LMCall, next: Handler) -> LMResponse:
        resp = await next(call)
        self.usage.record(call.model, call.depth, resp.usage, call.cost)
        return resp


class ReplayLayer:
    """Answers from a recorded trace: its reply, its failure, or the limit that stopped it.
    Recorded spending counts against this run's limits (a resumed run goes on from it)."""

    def __init__(self, source: ReplySource, ledger: Ledger) -> None:
        self.source = source
        self.ledger = ledger

    async def __call__(self, call: LMCall, next: Handler) -> LMResponse:
        hit = self.source.lookup(call.run_id, call.role, call.seq, call.request_hash)
        if hit is None:
            return await next(call)
        call.source = "trace"
        if hit.kind == "limit":
            self.ledger.refuse(hit.limit or "timeout", hit.detail or "as recorded")
        if hit.kind == "error":
            raise recorded_error(hit.error or "LMError: recorded failure", hit.model or call.model)
        return self._reply(call, hit)

    def _reply(self, call: LMCall, hit: RecordedCall) -> LMResponse:
        usage = Usage(input_tokens=hit.input_tokens, output_tokens=hit.output_tokens, cost_usd=hit.cost_usd)
        call.cost = hit.cost_usd
        self.ledger.record(usage, hit.cost_usd)
        return LMResponse(text=hit.reply, model=hit.model or call.model, usage=usage,
                          finish_reason=hit.finish_reason)


class CacheLayer:
    """Answers from the on-disk reply cache, and fills it with live replies. A hit is free."""

    def __init__(self, cache: ReplyCache) -> None:
        self.cache = cache

    async def __call__(self, call: LMCall, next: Handler) -> LMResponse:
        hit = self.cache.get(call.model, call.request_hash)
        if hit is not None:
            call.source, call.cost = "disk", 0.0
            return hit
        resp = await next(call)
        self.cache.put(call.model, call.request_hash, resp)
        return resp


class DeadlineLayer:
    """The tree's deadline bounds everything below: waiting for budget, a slot, retries, the call."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    async def __call__(self, call: LMCall, next: Handler) -> LMResponse:
        self.ledger.check_deadline()
        cut = asyncio.timeout(self.ledger.remaining_seconds())
        try:
            async with cut:
                return await next(call)
        except TimeoutError:
            if not cut.expired():  # a client's own TimeoutError is not the tree's deadline
                raise
            self.ledger.refuse("timeout", "the deadline cut an LM call short")
            raise  # unreachable: refuse raises


class RetryLayer:
    """Retries `LMTransientError`s under the call's policy; each wait is a `retry` event."""

    def __init__(self, emit: Emit) -> None:
        self.emit = emit

    async def __call__(self, call: LMCall, next: Handler) -> LMResponse:
        policy = call.retry
        if policy is None:
            return await next(call)
        attempt = 1
        while True:
            try:
                return await next(call)
            except LMTransientError as error:
                if attempt >= policy.max_attempts:
                    error.add_note(f"recursor: gave up after {attempt} attempt(s)")
                    raise
                delay = policy.delay(attempt, error, random.random())
                self.emit(ev.RetryEvent(run_id=call.run_id, call_id=call.call_id, attempt=attempt,
                          error=f"{type(error).__name__}: {error}", wait=round(delay, 3)))
                await asyncio.sleep(delay)
            attempt += 1


class SlotLayer:
    """At most `max_concurrency` calls in flight across the tree; waiting holds no budget."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    async def __call__(self, call: LMCall, next: Handler) -> LMResponse:
        ledger = self.ledger
        async with ledger.slots:
            ledger.in_flight += 1
            ledger.peak_in_flight = max(ledger.peak_in_flight, ledger.in_flight)
            try:
                return await next(call)
            finally:
                ledger.in_flight -= 1


class LedgerLayer:
    """Reserve the call's worst case, send it with the reserved output cap, settle."""

    def __init__(self, ledger: Ledger, pricing: Pricing) -> None:
        self.ledger = ledger
        self.pricing = pricing

    async def __call__(self, call: LMCall, next: Handler) -> LMResponse:
        price = self.pricing.price(call.model, call.lm.price)
        bound = input_token_bound(call.messages, call.calibrate)
        caps = [c for c in (call.lm.max_output_tokens, call.output_cap) if c is not None]
        hold = await self.ledger.reserve(bound, price, min(caps) if caps else None)
        call.max_tokens = hold.max_tokens
        call.sent = False
        try:
            resp = await next(call)
        except BaseException as exc:
            if not call.sent:
                self.ledger.release(hold)
            elif _did_no_work(exc):
                self.ledger.refund(hold)
            else:
                self.ledger.charge_in_full(hold)
            raise
        call.cost = self.pricing.cost(call.model, resp.usage, call.lm.price)
        self.ledger.settle(hold, resp.usage, call.cost)
        return resp


def _did_no_work(exc: BaseException) -> bool:
    """The service said it did nothing billable: a 429, a 5xx, or a 4xx refusal.

    Only an error *status* says so. An `LMServerError` without one, or with a 200 (a reply
    cut mid-body, one that holds no completion, garbled usage), came after the model ran: the
    provider billed it, so it is charged in full like any other unknown outcome.
    """
    if isinstance(exc, RateLimitError):
        return True
    if isinstance(exc, LMServerError):
        return exc.status is not None and exc.status >= 500
    return isinstance(exc, LMRequestError) and exc.status is not None and 400 <= exc.status < 500


# -- helpers -----------------------------------------------------------------------------------
def _lift_retry(lm: LM) -> tuple[RetryPolicy | None, LM]:
    """The first `RetryingLM` in `lm`'s chain of wrappers, taken out: (its policy, the chain without it).

    A `RetryingLM` under another wrapper (`RateLimitedLM(RetryingLM(...))`, a user's own
    `WrapperLM`) would retry inside one reservation, so `max_calls` would count one request
    where the service got several. The wrappers above it are shallow-copied (as their own
    `with_model` does) onto what it wrapped, so they still apply, once per attempt.
    """
    above: list[WrapperLM] = []
    node = lm
    while isinstance(node, WrapperLM):
        if isinstance(node, RetryingLM):
            inner: LM = node.wrapped
            for wrapper in reversed(above):
                clone = copy.copy(wrapper)
                clone.wrapped = inner
                inner = clone
            return node.policy, inner
        above.append(node)
        node = node.wrapped
    return None, lm


def _since(call: LMCall) -> float:
    return round(time.monotonic() - call.started, 4)


def error_text(exc: BaseException) -> str:
    """The error's message with its notes (e.g. "gave up after 6 attempts"), which str() drops."""
    notes = getattr(exc, "__notes__", None) or []
    return "; ".join([str(exc), *map(str, notes)])


def recorded_error(text: str, model: str) -> LMError:
    """The `LMError` a recorded "ClassName: message" stood for (plain `LMError` if unknown)."""
    from recursor import errors

    name, sep, message = text.partition(": ")
    cls = getattr(errors, name, None) if sep else None
    if not (isinstance(cls, type) and issubclass(cls, LMError)):
        cls, message = LMError, text
    return cls(message, model=model)
