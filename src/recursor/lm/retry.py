"""Retries and rate limits, as wrappers around any LM (never flags on a client).

A recursive run fans out into many sub-calls, so one 429 or a dropped connection must not
end it: `RetryingLM` retries what `LMTransientError` marks as worth retrying, and
`RateLimitedLM` keeps the fan-out within what the endpoint accepts. Resolve them in the order
`RetryingLM(RateLimitedLM(client))`, so a request waiting out its backoff holds no slot.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from recursor.errors import LMTransientError, RateLimitError, UserError
from recursor.lm.base import LM, LMResponse, WrapperLM

__all__ = ["OnRetry", "RateLimitedLM", "RetryPolicy", "RetryingLM"]

#: Called before each wait with (the attempt that failed, 1-based; its error; seconds to wait).
OnRetry = Callable[[int, LMTransientError, float], None]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How long `RetryingLM` waits between attempts: exponential backoff with jitter, capped."""

    max_attempts: int = 6
    """Attempts in total, the first included; 1 means never retry."""
    base_delay: float = 0.5
    """Wait after the first failure; it doubles after each further one."""
    max_delay: float = 30.0
    """Cap on any single wait, the server's Retry-After included."""
    jitter: float = 0.5
    """Fraction of each backoff drawn at random, so sub-calls that failed together (a burst of
    429s) do not all come back at the same instant."""

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise UserError(f"RetryPolicy.max_attempts must be at least 1, not {self.max_attempts}")
        if self.base_delay < 0 or self.max_delay < 0 or not 0 <= self.jitter <= 1:
            raise UserError("RetryPolicy delays must be >= 0 and jitter within [0, 1]")

    def delay(self, attempt: int, error: LMTransientError, rand: float) -> float:
        """Seconds to wait after failed attempt `attempt` (1-based); `rand` is uniform in [0, 1)."""
        if isinstance(error, RateLimitError) and error.retry_after is not None:
            return min(self.max_delay, error.retry_after)
        backoff = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return backoff * (1 - self.jitter * rand)


class RetryingLM(WrapperLM):
    """Retries `LMTransientError`s with backoff; any other error propagates at once.

    After the last attempt the last transient error is re-raised, with a note saying how many
    attempts were made. `on_retry` lets the engine trace each retry; it is not shielded, so an
    exception in it ends the call.
    """

    def __init__(
        self, wrapped: LM, policy: RetryPolicy | None = None, *, on_retry: OnRetry | None = None
    ) -> None:
        super().__init__(wrapped)
        self.policy = policy or RetryPolicy()
        self.on_retry = on_retry

    async def around(
        self, call: Callable[[], Awaitable[LMResponse]], key: Callable[[], str]
    ) -> LMResponse:
        attempt = 1
        while True:
            try:
                return await call()
            except LMTransientError as error:
                if attempt >= self.policy.max_attempts:
                    error.add_note(f"recursor: gave up after {attempt} attempt(s)")
                    raise
                delay = self.policy.delay(attempt, error, random.random())
                if self.on_retry is not None:
                    self.on_retry(attempt, error, delay)
                await asyncio.sleep(delay)
            attempt += 1

    def with_model(self, model: str) -> LM:
        return _rewrap(self, model)


class _Gate:
    """One event loop's semaphore and token bucket (asyncio primitives cannot cross loops)."""

    def __init__(self, max_concurrency: int | None, rate: float | None, burst: float) -> None:
        self.slots = asyncio.Semaphore(max_concurrency) if max_concurrency else None
        self.rate = rate
        self.capacity = burst
        self.tokens = burst
        self.updated = time.monotonic()
        self.lock = asyncio.Lock()

    async def take_token(self) -> None:
        """Wait for a request token; waiters queue on the lock, so they are served in order."""
        if self.rate is None:
            return
        async with self.lock:
            while True:
                now = time.monotonic()
                self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
                self.updated = now
                if self.tokens >= 1:
                    self.tokens -= 1
                    return
                await asyncio.sleep((1 - self.tokens) / self.rate)


class _SharedGate:
    """Holds the current loop's `_Gate`; shared by every `with_model` copy of a limiter."""

    def __init__(self, max_concurrency: int | None, rpm: float | None, burst: float) -> None:
        self.args = (max_concurrency, rpm / 60 if rpm else None, burst)
        self.loop: asyncio.AbstractEventLoop | None = None
        self.gate: _Gate | None = None

    def get(self) -> _Gate:
        loop = asyncio.get_running_loop()
        if self.gate is None or self.loop is not loop:
            self.gate, self.loop = _Gate(*self.args), loop
        return self.gate


class RateLimitedLM(WrapperLM):
    """At most `max_concurrency` calls in flight and `requests_per_minute` started per minute.

    The per-minute limit is a token bucket holding `burst` requests (default: one second's
    worth), so a fan-out starts at an even pace rather than in one spike. `with_model` copies
    share the limits: they count against the same endpoint.
    """

    def __init__(
        self,
        wrapped: LM,
        *,
        max_concurrency: int | None = None,
        requests_per_minute: float | None = None,
        burst: float | None = None,
    ) -> None:
        super().__init__(wrapped)
        if max_concurrency is not None and max_concurrency < 1:
            raise UserError(f"max_concurrency must be at least 1, not {max_concurrency}")
        if requests_per_minute is not None and requests_per_minute <= 0:
            raise UserError(f"requests_per_minute must be positive, not {requests_per_minute}")
        self.max_concurrency = max_concurrency
        self.requests_per_minute = requests_per_minute
        default_burst = max(1.0, (requests_per_minute or 60) / 60)
        self._shared = _SharedGate(max_concurrency, requests_per_minute, burst or default_burst)

    async def around(
        self, call: Callable[[], Awaitable[LMResponse]], key: Callable[[], str]
    ) -> LMResponse:
        gate = self._shared.get()
        async with gate.slots or contextlib.nullcontext():
            await gate.take_token()
            return await call()

    def with_model(self, model: str) -> LM:
        return _rewrap(self, model)


def _rewrap(wrapper: WrapperLM, model: str) -> LM:
    """A shallow copy of `wrapper` around `wrapped.with_model(model)`: same policy, same limits."""
    clone = copy.copy(wrapper)
    clone.wrapped = wrapper.wrapped.with_model(model)
    clone.model = clone.wrapped.model
    return clone
