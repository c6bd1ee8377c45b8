"""What every job of a batch shares: one budget and one rate limiter per model.

`BatchBudget` is the single-run `Ledger` applied to the whole batch: every LM call of every job
reserves its worst case (input tokens bounded from above, its output cap, their price) before
it is sent and settles to its real usage after, so `--max-usd-total` and `--max-tokens-total`
are never exceeded however many jobs run at once. A call whose outcome is unknown is charged
its whole reservation, and so are the open reservations of a job attempt that died
(`abandon`): a retried job's attempts are all real spend.

`RateLimiter` paces the requests and tokens each model is sent (`--rpm`, `--tpm`) across all
jobs. A request is given a send time (no polling: one round trip), evenly spaced at the
current rate. Tokens are paced by the request's worst case (input bound plus output cap, as
providers count them) and the unused part is credited back when the reply's usage is known.
A 429 halves that model's rate for everyone (at most once per second, down to 5%) and, with a
Retry-After, holds every sender back that long; each success adds 2% back (AIMD). With no
`--rpm`, a 429 sets one from the rate recently sent.

Both are plain objects with async methods, run on one event loop: the local runner calls them
directly, and the Ray runner hosts each in an async actor (`recursor.batch.ray_runner`).
`BatchLM` is how a job's calls reach them: a `WrapperLM` around each model client. The call
pipeline lifts a client's `RetryingLM` out into its Retry layer and keeps wrappers above it
once per attempt (`recursor.calls._lift_retry`), so `BatchLM` runs under the job's own ledger,
for every attempt, just before the request is sent; no engine change is needed.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from recursor.budget import Limits
from recursor.errors import BudgetExceeded, LMRequestError, LMServerError, RateLimitError
from recursor.ledger import Hold, Ledger, input_token_bound
from recursor.lm.base import LM, LMResponse, Message, Usage, WrapperLM, output_cap
from recursor.pricing import Price, Pricing

__all__ = ["BatchBudget", "BatchLM", "BudgetClient", "LimiterClient", "RateLimiter", "Reservation"]

_keys = itertools.count(1)

Reservation = tuple[bool, int | None, str | None, str]
"""(held, output cap to send with, refused limit, detail)."""


class BatchBudget:
    """The batch's reserve-then-settle ledger. Holds are named by the caller (`key`) and owned
    by a job attempt (`owner`), so a caller that gave up waiting can still release its hold,
    and a dead attempt's holds can be found."""

    def __init__(self, *, max_usd: float | None, max_tokens: int | None, max_output_tokens: int) -> None:
        self.ledger = Ledger(Limits(max_usd=max_usd, max_tokens=max_tokens, max_output_tokens=max_output_tokens))
        self._holds: dict[str, tuple[Hold, str]] = {}
        self._dropped: set[str] = set()
        """Keys closed before their reservation was granted (the caller was cancelled while it
        waited): the reservation is released as soon as it is granted."""

    async def reserve(self, owner: str, key: str, input_tokens: int, price: Price | None,
                      cap: int | None) -> Reservation:
        try:
            hold = await self.ledger.reserve(input_tokens, price, cap)
        except BudgetExceeded as exc:
            self._dropped.discard(key)
            return False, None, exc.limit, "batch total: " + exc.detail
        if key in self._dropped:
            self._dropped.discard(key)
            self.ledger.release(hold)
            return False, None, None, "cancelled"
        self._holds[key] = (hold, owner)
        return True, hold.max_tokens, None, ""

    async def settle(self, key: str, input_tokens: int, output_tokens: int, reported: float | None,
                     cost: float | None) -> None:
        hold = self._pop(key)
        if hold is not None:
            self.ledger.settle(hold, Usage(input_tokens, output_tokens, reported), cost)

    async def close(self, key: str, how: str) -> None:
        """`how`: "release" (never sent), "refund" (the service did no work), "full" (unknown)."""
        hold = self._pop(key)
        if hold is None:
            if how == "release":
                self._dropped.add(key)
            return
        {"release": self.ledger.release, "refund": self.ledger.refund}.get(how, self.ledger.charge_in_full)(hold)

    async def abandon(self, owner: str) -> int:
        """Charge in full every open hold of `owner` (its job attempt died mid-call)."""
        keys = [k for k, (_, o) in self._holds.items() if o == owner]
        for k in keys:
            await self.close(k, "full")
        return len(keys)

    async def snapshot(self) -> dict[str, Any]:
        led = self.ledger
        return {"spent_usd": led.spent.usd, "spent_tokens": led.spent.tokens, "calls": led.spent.calls,
                "held_usd": led.held.usd, "held_tokens": led.held.tokens, "open_holds": len(self._holds),
                "exhausted": led.exhausted, "overshoot_usd": led.overshoot.usd,
                "overshoot_tokens": led.overshoot.tokens}

    def _pop(self, key: str) -> Hold | None:
        entry = self._holds.pop(key, None)
        return entry[0] if entry else None


@dataclass(slots=True)
class _Pace:
    rpm: float | None
    tpm: float | None
    factor: float = 1.0
    next_request: float = 0.0
    next_token: float = 0.0
    last_cut: float = -1e9
    sent: deque[float] = field(default_factory=deque)


class RateLimiter:
    """Per-model request and token pacing shared by every job, slowed down by 429s (AIMD)."""

    MIN_FACTOR = 0.05
    INCREASE = 0.02

    def __init__(self, *, rpm: float | None, tpm: float | None, clock: Callable[[], float] = time.monotonic) -> None:
        self.rpm, self.tpm = rpm, tpm
        self._clock = clock
        self._models: dict[str, _Pace] = {}
        self.throttled_count = 0

    def _pace(self, model: str) -> _Pace:
        if model not in self._models:
            self._models[model] = _Pace(self.rpm, self.tpm)
        return self._models[model]

    async def acquire(self, model: str, tokens: int) -> float:
        """Seconds the caller must wait before sending; the send slot is taken now."""
        p, now = self._pace(model), self._clock()
        start = max(now, p.next_request, p.next_token)
        if p.rpm is not None:
            p.next_request = start + 60.0 / (p.rpm * p.factor)
        if p.tpm is not None:
            p.next_token = start + 60.0 * tokens / (p.tpm * p.factor)
        p.sent.append(start)
        while p.sent and p.sent[0] < now - 60:
            p.sent.popleft()
        return start - now

    async def acquire_at(self, model: str, tokens: int) -> float:
        """`acquire` as a wall-clock send time (`time.time()`), for callers in other processes:
        the time the answer takes to reach them does not shift their send."""
        return time.time() + await self.acquire(model, tokens)

    async def done(self, model: str, estimated: int, actual: int | None, throttled: bool = False,
                   retry_after: float | None = None) -> None:
        """A request's outcome: credit back unused tokens; on a 429 slow everyone down."""
        p, now = self._pace(model), self._clock()
        if throttled:
            self.throttled_count += 1
            if p.rpm is None:  # no rate was given: take the rate recently sent as the limit
                span = max(now - p.sent[0], 1.0) if p.sent else 60.0
                p.rpm = max(1.0, 60.0 * len(p.sent) / span)
            if now - p.last_cut >= 1.0:
                p.factor = max(self.MIN_FACTOR, p.factor / 2)
                p.last_cut = now
            pause = now + (retry_after or 0.0)
            p.next_request = max(p.next_request, pause)
            p.next_token = max(p.next_token, pause)
            return
        p.factor = min(1.0, p.factor + self.INCREASE)
        if p.tpm is not None and actual is not None and actual < estimated:
            credit = 60.0 * (estimated - actual) / (p.tpm * p.factor)
            p.next_token = max(now, p.next_token - credit)

    async def snapshot(self) -> dict[str, Any]:
        return {m: {"factor": round(p.factor, 3), "rpm": p.rpm} for m, p in self._models.items()} | {
            "throttled": self.throttled_count}


class BudgetClient(Protocol):
    async def reserve(self, owner: str, key: str, input_tokens: int, price: Price | None,
                      cap: int | None) -> Reservation: ...
    async def settle(self, key: str, input_tokens: int, output_tokens: int, reported: float | None,
                     cost: float | None) -> None: ...
    async def close(self, key: str, how: str) -> None: ...


class LimiterClient(Protocol):
    async def acquire(self, model: str, tokens: int) -> float: ...
    async def done(self, model: str, estimated: int, actual: int | None, throttled: bool = False,
                   retry_after: float | None = None) -> None: ...


class BatchLM(WrapperLM):
    """A model client whose every request goes through the batch's rate limiter and budget.

    Order per request: wait for the model's send slot, reserve from the batch budget (which
    may shrink the output cap near its end), send, settle. A refusal raises `BudgetExceeded`
    with the limit's name ("max_usd" or "max_tokens"), which ends the job like its own limit.
    """

    def __init__(self, wrapped: LM, *, owner: str, pricing: Pricing, max_output_tokens: int,
                 budget: BudgetClient | None, limiter: LimiterClient | None) -> None:
        super().__init__(wrapped)
        self.owner = owner
        self.pricing = pricing
        self.batch_output_tokens = max_output_tokens
        self.budget = budget
        self.limiter = limiter

    async def complete(self, messages: Sequence[Message], *, max_tokens: int | None = None) -> LMResponse:
        return await self._send(messages, (), max_tokens,
                                lambda cap: self.wrapped.complete(messages, max_tokens=cap))

    async def choose(self, messages: Sequence[Message], choices: Sequence[str], *,
                     calibrate: Sequence[Sequence[Message]] = (), max_tokens: int | None = None) -> LMResponse:
        return await self._send(messages, calibrate, max_tokens, lambda cap: self.wrapped.choose(
            messages, choices, calibrate=calibrate, max_tokens=cap))

    async def _send(self, messages: Sequence[Message], calibrate: Sequence[Sequence[Message]],
                    max_tokens: int | None, send: Callable[[int | None], Awaitable[LMResponse]]) -> LMResponse:
        bound = input_token_bound(messages, calibrate)
        cap = output_cap(max_tokens, self.wrapped.max_output_tokens)
        if self.budget is not None:
            cap = min(cap or self.batch_output_tokens, self.batch_output_tokens)
        estimated = bound + (cap or self.batch_output_tokens)
        if self.limiter is not None:
            wait = await self.limiter.acquire(self.model, estimated)
            if wait > 0:
                await asyncio.sleep(wait)
        held = False
        key = f"{self.owner}:{next(_keys)}"
        if self.budget is not None:
            price = self.pricing.price(self.model, self.wrapped.price)
            try:
                held, cap, limit, detail = await self.budget.reserve(self.owner, key, bound, price, cap)
            except BaseException:  # cancelled while waiting: a grant that comes later is released
                await asyncio.shield(self.budget.close(key, "release"))
                raise
            if not held:
                raise BudgetExceeded(limit or "max_usd", detail)
        try:
            resp = await send(cap)
        except BaseException as exc:
            if held and self.budget is not None:
                await asyncio.shield(self.budget.close(key, "refund" if _did_no_work(exc) else "full"))
            if self.limiter is not None and isinstance(exc, RateLimitError):
                await self.limiter.done(self.model, estimated, None, True, exc.retry_after)
            raise
        usage = resp.usage
        if held and self.budget is not None:
            cost = self.pricing.cost(self.model, usage, self.wrapped.price)
            await asyncio.shield(self.budget.settle(key, usage.input_tokens, usage.output_tokens,
                                                    usage.cost_usd, cost))
        if self.limiter is not None:
            await self.limiter.done(self.model, estimated, usage.input_tokens + usage.output_tokens)
        return resp

    def with_model(self, model: str) -> LM:
        clone = copy.copy(self)
        clone.wrapped = self.wrapped.with_model(model)
        clone.model = clone.wrapped.model
        clone.max_output_tokens = clone.wrapped.max_output_tokens
        clone.price = clone.wrapped.price
        return clone


def _did_no_work(exc: BaseException) -> bool:
    """As the job's own ledger decides (`recursor.calls`): only an error status says so."""
    if isinstance(exc, RateLimitError):
        return True
    if isinstance(exc, LMServerError):
        return exc.status is not None and exc.status >= 500
    return isinstance(exc, LMRequestError) and exc.status is not None and 400 <= exc.status < 500
