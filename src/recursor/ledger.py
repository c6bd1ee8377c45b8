"""One ledger per recursion tree: every LM call reserves its worst case before it is sent.

Checking a running total before each call does not hold a limit once calls run
concurrently: forty children that all check at $0.00 all get through. So a call first
*reserves* what it could cost at most (one request; its input tokens, bounded from above;
its output cap; their price) and is sent only when that fits beside what is already spent
and reserved. After the reply it *settles* to the actual usage and the rest is refunded. A
call whose outcome is unknown (cut by the deadline, a broken connection) is charged its whole
reservation, so the limit holds even then.

A reservation that does not fit now but would fit once calls in flight settle waits for
them; one that cannot fit even then is refused with `BudgetExceeded`. Near the end of the
budget a call with nothing else in flight is sent with a smaller output cap rather than
refused, down to `MIN_OUTPUT_TOKENS`.

The ledger also holds the tree's concurrency: `slots` (LM calls in flight) and one
semaphore of child runs per depth (so a parent waiting on its children never holds the slot
a grandchild needs). Single event loop, no awaits between a check and its update: no lock.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from recursor.budget import Limits
from recursor.errors import BudgetExceeded
from recursor.lm.base import Message, Usage
from recursor.pricing import Price

__all__ = ["MIN_OUTPUT_TOKENS", "Hold", "Ledger", "Spend", "input_token_bound"]

MIN_OUTPUT_TOKENS = 256
"""The smallest output cap a call is sent with when the budget is nearly spent."""

_USD_EPSILON = 1e-12
"""Rounding slack on dollar sums, far below any price of one token."""

_MESSAGE_OVERHEAD = 16
"""Tokens a chat template may add per message (role markers, separators), counted generously."""


def input_token_bound(messages: Sequence[Message], extra: Sequence[Sequence[Message]] = ()) -> int:
    """An upper bound on the input tokens of a request, without a tokenizer.

    Byte-level BPE tokenizers (GPT, Claude, Qwen, Llama) never make a token of less than one
    byte, so the UTF-8 length bounds the count; the template's markers are added per message.
    `extra` are further prompts the same call evaluates (calibration prompts of a choice).
    """
    total = 0
    for request in (messages, *extra):
        for message in request:
            content = message.get("content", "")
            text = content if isinstance(content, str) else str(content)
            total += len(text.encode("utf-8", errors="surrogatepass")) + _MESSAGE_OVERHEAD
        total += _MESSAGE_OVERHEAD
    return total


@dataclass(slots=True)
class Spend:
    """Calls, tokens and dollars: what is settled, or what is held for calls in flight."""

    calls: int = 0
    tokens: int = 0
    usd: float = 0.0

    def add(self, calls: int, tokens: int, usd: float, sign: int = 1) -> None:
        self.calls += sign * calls
        self.tokens += sign * tokens
        self.usd += sign * usd


@dataclass(slots=True)
class Hold:
    """One call's reservation. `max_tokens` is the output cap the call must be sent with."""

    id: int
    calls: int
    tokens: int
    usd: float
    max_tokens: int | None
    price: Price | None
    open: bool = True


@dataclass(slots=True)
class Overshoot:
    """How far actual usage went past a reservation (a client that ignored its output cap,
    or a provider's reported cost above the price table). Zero when every client behaves."""

    tokens: int = 0
    usd: float = 0.0


@dataclass(slots=True)
class _Fit:
    wait: bool = False
    limit: str | None = None
    max_output: float = math.inf


class Ledger:
    """Reserve-then-settle accounting and the concurrency gates of one tree."""

    def __init__(self, limits: Limits, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self.started = clock()
        self.deadline = None if limits.timeout is None else self.started + limits.timeout
        self.spent = Spend()
        """Settled: actual usage, plus whole reservations of calls whose outcome is unknown."""
        self.held = Spend()
        """Reserved by calls in flight."""
        self.overshoot = Overshoot()
        self.exhausted: str | None = None
        """The first limit that refused or cut a call."""
        self._holds: dict[int, Hold] = {}
        self._ids = itertools.count(1)
        self._changed = asyncio.Event()
        self.slots = asyncio.Semaphore(limits.max_concurrency)
        self._child_slots: dict[int, asyncio.Semaphore] = {}
        self.in_flight = 0
        self.peak_in_flight = 0
        self.children = 0
        self.peak_children = 0
        self.tool_calls = 0
        """Host tool calls made (counted before each is made)."""

    # -- time --------------------------------------------------------------------------------
    def remaining_seconds(self) -> float | None:
        return None if self.deadline is None else self.deadline - self._clock()

    def check_deadline(self) -> None:
        """Raise `BudgetExceeded("timeout")` once the deadline has passed."""
        if self.deadline is not None and self._clock() >= self.deadline:
            self.refuse("timeout", f"{self.limits.timeout:g} s elapsed")

    def refuse(self, limit: str, detail: str) -> None:
        """Record that `limit` ended something and raise it."""
        self.exhausted = self.exhausted or limit
        raise BudgetExceeded(limit, detail)

    # -- reserve and settle --------------------------------------------------------------------
    def output_cap(self, client_cap: int | None) -> int | None:
        """The output cap a call needs: only a token or money limit makes one necessary."""
        if self.limits.max_tokens is None and self.limits.max_usd is None:
            return client_cap
        return min(client_cap or self.limits.max_output_tokens, self.limits.max_output_tokens)

    async def reserve(self, input_tokens: int, price: Price | None, client_cap: int | None) -> Hold:
        """Hold one call's worst case, waiting while calls in flight may still refund enough.

        Raises `BudgetExceeded` when the call cannot fit even after every call in flight settles.
        """
        cap = self.output_cap(client_cap)
        while True:
            self.check_deadline()
            fit = self._fit(input_tokens, price, cap)
            if fit.limit is not None:
                self.refuse(fit.limit, self._describe(fit.limit, input_tokens, price))
            if not fit.wait:
                out = cap if cap is None else int(min(cap, fit.max_output))
                return self._hold(input_tokens, price, out)
            changed = self._changed
            await changed.wait()

    def _fit(self, input_tokens: int, price: Price | None, cap: int | None) -> _Fit:
        lim, fit = self.limits, _Fit()
        least = 0 if cap is None else min(cap, MIN_OUTPUT_TOKENS)
        want = 0 if cap is None else cap
        if lim.max_calls is not None:
            if self.spent.calls + 1 > lim.max_calls:
                return _Fit(limit="max_calls")
            if self.spent.calls + self.held.calls + 1 > lim.max_calls:
                fit.wait = True
        if lim.max_tokens is not None:
            settled = lim.max_tokens - self.spent.tokens - input_tokens
            now = settled - self.held.tokens
            if settled < least:
                return _Fit(limit="max_tokens")
            if now < want and self._holds:
                fit.wait = True
            fit.max_output = min(fit.max_output, now)
        if lim.max_usd is not None:
            if price is None:
                return _Fit(limit="max_usd")
            pin, pout = price[0] / 1e6, price[1] / 1e6
            # Dollars are floats: a hair of tolerance keeps $0.03 - $0.01 from missing $0.02.
            settled_usd = lim.max_usd - self.spent.usd - input_tokens * pin + _USD_EPSILON
            now_usd = settled_usd - self.held.usd
            if settled_usd < least * pout:
                return _Fit(limit="max_usd")
            # Wait only while a hold is open: float sums of holds added and taken back leave
            # a residue (1.7e-16 seen) that made a waiter wait forever for no call in flight.
            if now_usd < want * pout and self._holds:
                fit.wait = True
            if pout > 0:
                fit.max_output = min(fit.max_output, math.floor(now_usd / pout))
        return fit

    def _hold(self, input_tokens: int, price: Price | None, out: int | None) -> Hold:
        tokens = input_tokens + (out or 0)
        usd = _cost(price, input_tokens, out or 0)
        hold = Hold(next(self._ids), 1, tokens, usd, out, price)
        self._holds[hold.id] = hold
        self.held.add(hold.calls, hold.tokens, hold.usd)
        return hold

    def settle(self, hold: Hold, usage: Usage, cost: float | None) -> None:
        """Charge what the call actually used and refund the rest of its hold.

        An unknown cost under a money limit is charged at the held amount (fail closed), and so
        is usage the client did not report or reported as nonsense: every request has input
        tokens, so zero (a server that leaves `usage` out) or a negative count is no count, and
        a cost that is NaN, infinite or negative is no cost (NaN would also disable every
        later comparison against max_usd).
        """
        known = usage.input_tokens > 0 and usage.output_tokens >= 0
        tokens = usage.input_tokens + usage.output_tokens if known else hold.tokens
        priced_from_tokens = usage.cost_usd is None
        if cost is None or not math.isfinite(cost) or cost < 0 or (priced_from_tokens and not known):
            usd = hold.usd
        else:
            usd = cost
        self.overshoot.tokens += max(0, tokens - hold.tokens) if hold.max_tokens is not None else 0
        self.overshoot.usd += max(0.0, usd - hold.usd) if self.limits.max_usd is not None else 0.0
        self._close(hold, hold.calls, tokens, usd)

    def charge_in_full(self, hold: Hold) -> None:
        """The call's outcome is unknown (cut, connection lost): it may have been billed in full."""
        self._close(hold, hold.calls, hold.tokens, hold.usd)

    def refund(self, hold: Hold) -> None:
        """The service answered that it did no work (429, 5xx, 4xx): only the request counts."""
        self._close(hold, hold.calls, 0, 0.0)

    def release(self, hold: Hold) -> None:
        """The call was never sent."""
        self._close(hold, 0, 0, 0.0)

    def record(self, usage: Usage, cost: float | None) -> None:
        """Spending that happened elsewhere (a resumed trace's recorded calls): no hold, no check."""
        self.spent.add(1, usage.input_tokens + usage.output_tokens, cost or 0.0)

    def _close(self, hold: Hold, calls: int, tokens: int, usd: float) -> None:
        if not hold.open:
            return
        hold.open = False
        del self._holds[hold.id]
        self.held.add(hold.calls, hold.tokens, hold.usd, sign=-1)
        if not self._holds:
            self.held = Spend()  # nothing held: exactly zero, not a float residue
        self.spent.add(calls, tokens, usd)
        self._changed.set()
        self._changed = asyncio.Event()

    def take_tool_call(self) -> bool:
        """Count one host tool call if `max_tool_calls` leaves room for it, else False.

        Checked and counted with no await between, so concurrent calls never pass the limit.
        """
        limit = self.limits.max_tool_calls
        if limit is not None and self.tool_calls >= limit:
            return False
        self.tool_calls += 1
        return True

    # -- concurrency ---------------------------------------------------------------------------
    def child_slots(self, depth: int) -> asyncio.Semaphore:
        """The gate for child runs at `depth` (each level has its own, so none waits on itself)."""
        if depth not in self._child_slots:
            self._child_slots[depth] = asyncio.Semaphore(self.limits.max_children)
        return self._child_slots[depth]

    # -- reporting -----------------------------------------------------------------------------
    def _describe(self, limit: str, input_tokens: int, price: Price | None) -> str:
        lim, spent = self.limits, self.spent
        if limit == "max_calls":
            return f"{spent.calls} of {lim.max_calls} LM calls made"
        if limit == "max_tokens":
            return (f"{spent.tokens:,} of {lim.max_tokens:,} tokens used; the next call needs up to "
                    f"{input_tokens:,} input tokens")
        if limit == "max_usd" and price is None:
            return "the model's price is not known"
        return f"${spent.usd:.4f} of ${lim.max_usd} spent; the next call could cost more than is left"

    def snapshot(self) -> dict[str, float | int]:
        """What counts against the limits (settled and held), for `budget` trace events."""
        return {
            "charged_calls": self.spent.calls,
            "charged_tokens": self.spent.tokens,
            "charged_usd": round(self.spent.usd, 6),
            "held_usd": round(self.held.usd, 6),
        }


def _cost(price: Price | None, input_tokens: int, output_tokens: int) -> float:
    if price is None:
        return 0.0
    return (input_tokens * price[0] + output_tokens * price[1]) / 1e6

