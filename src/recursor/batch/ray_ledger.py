"""The cluster's named ledger: one total budget and one set of per-model rate limits that every
`batch --ray` and `serve --ray` on a Ray cluster naming it shares (`bench --ray` has no totals).

A ledger is two detached named actors in the Ray namespace "recursor": `ledger:NAME` (a
`BatchBudget` that also keeps who uses it) and `limiter:NAME` (a `RateLimiter`). Two actors, not
one, so budget and pacing round trips do not queue behind each other.

Commands *open* the ledger with their terms (`--max-usd-total`, `--max-tokens-total`, `--rpm`,
`--tpm`), renew their lease while they run and *leave* at the end:

- the first command to open an unused ledger sets its terms and starts it afresh (nothing spent,
  full rate), so batches run one after another each get their own total;
- a command opening a ledger in use joins it: with no terms of its own it works under the
  ledger's; with terms, they must be the ledger's (otherwise a `UserError` says what they are:
  money limits are not silently merged);
- a lease not renewed for `LEASE_SECONDS` (a driver killed outright) lapses.

Every LM call of every job or request reserves from `ledger:NAME` and takes its send time from
`limiter:NAME` through `RayBudget` and `RayLimiter`.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
import time
from dataclasses import asdict, dataclass
from typing import Any

from recursor.batch.shared import BatchBudget, RateLimiter, Reservation
from recursor.errors import UserError
from recursor.pricing import Price

__all__ = ["DEFAULT_LEDGER", "LEASE_SECONDS", "NAMESPACE", "ClusterLedger", "LedgerSpec", "RayBudget",
           "RayLimiter", "SharedBudget", "SharedLimiter"]

NAMESPACE = "recursor"
DEFAULT_LEDGER = "default"
LEASE_SECONDS = 60.0
"""A user not heard from for this long no longer holds the ledger."""
BEAT_SECONDS = 10.0
_NAME_RE = re.compile(r"[A-Za-z0-9._-]{1,64}")
_NO_CAP = 2**31
"""The shared budget's own output cap: none, as each user's `BatchLM` caps its calls itself."""


@dataclass(frozen=True, slots=True)
class LedgerSpec:
    """A command's terms for the ledger; all None: it works under whatever the ledger has."""

    max_usd: float | None = None
    max_tokens: int | None = None
    rpm: float | None = None
    tpm: float | None = None

    @property
    def empty(self) -> bool:
        return all(v is None for v in asdict(self).values())

    @property
    def has_budget(self) -> bool:
        return self.max_usd is not None or self.max_tokens is not None

    def describe(self) -> str:
        flags = {"max_usd": "--max-usd-total", "max_tokens": "--max-tokens-total", "rpm": "--rpm", "tpm": "--tpm"}
        given = [f"{flags[k]} {v:g}" for k, v in asdict(self).items() if v is not None]
        return ", ".join(given) or "no total and no rate limit"


class SharedLimiter(RateLimiter):
    """The limiter actor: `reset` starts it afresh with a new first user's rates."""

    def __init__(self) -> None:
        super().__init__(rpm=None, tpm=None)

    async def reset(self, rpm: float | None, tpm: float | None) -> None:
        self.rpm, self.tpm = rpm, tpm
        self._models.clear()
        self.throttled_count = 0


class SharedBudget(BatchBudget):
    """The budget actor, which also keeps the ledger's users and terms."""

    def __init__(self, limiter: Any) -> None:
        super().__init__(max_usd=None, max_tokens=None, max_output_tokens=_NO_CAP)
        self.limiter = limiter
        self.spec = LedgerSpec()
        self.users: dict[str, float] = {}
        self._lock = asyncio.Lock()

    async def open(self, user: str, spec: LedgerSpec) -> tuple[bool, LedgerSpec, int]:
        """(joined, the ledger's terms, other users). Not joined: `spec` differs from terms in use."""
        async with self._lock:
            self._expire()
            others = len(self.users)
            if not others:
                BatchBudget.__init__(self, max_usd=spec.max_usd, max_tokens=spec.max_tokens,
                                     max_output_tokens=_NO_CAP)
                self.spec = spec
                await self.limiter.reset.remote(spec.rpm, spec.tpm)
            elif not spec.empty and spec != self.spec:
                return False, self.spec, others
            self.users[user] = time.monotonic()
            return True, self.spec, others

    async def beat(self, user: str) -> None:
        if user in self.users:
            self.users[user] = time.monotonic()

    async def leave(self, user: str) -> None:
        self.users.pop(user, None)

    async def ages(self) -> dict[str, float]:
        """Seconds since each user holding the ledger was last heard from."""
        self._expire()
        now = time.monotonic()
        return {user: now - seen for user, seen in self.users.items()}

    def _expire(self) -> None:
        now = time.monotonic()
        for user in [u for u, seen in self.users.items() if now - seen > LEASE_SECONDS]:
            del self.users[user]


class RayBudget:
    """A `BudgetClient` that forwards to the budget actor."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle

    async def reserve(self, owner: str, key: str, input_tokens: int, price: Price | None,
                      cap: int | None) -> Reservation:
        reply: Reservation = await self.handle.reserve.remote(owner, key, input_tokens, price, cap)
        return reply

    async def settle(self, key: str, input_tokens: int, output_tokens: int, reported: float | None,
                     cost: float | None) -> None:
        await self.handle.settle.remote(key, input_tokens, output_tokens, reported, cost)

    async def close(self, key: str, how: str) -> None:
        await self.handle.close.remote(key, how)


class RayLimiter:
    """A `LimiterClient` that forwards to the limiter actor."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle

    async def acquire(self, model: str, tokens: int) -> float:
        at: float = await self.handle.acquire_at.remote(model, tokens)
        return max(0.0, at - time.time())

    async def done(self, model: str, estimated: int, actual: int | None, throttled: bool = False,
                   retry_after: float | None = None) -> None:
        ref = self.handle.done.remote(model, estimated, actual, throttled, retry_after)
        if throttled:  # the slow-down must be in place before this caller's retry asks again
            await ref


class ClusterLedger:
    """A driver's use of the named ledger: opened on creation, its lease renewed while it is
    held, `leave` at the end.

    The lease renews itself from a daemon thread every `BEAT_SECONDS`, whatever the driver's
    own loop is doing: an endpoint deployed with `deploy()` and left idle lapsed after
    `LEASE_SECONDS`, and the next command to open the ledger started it afresh under its own
    terms (none: no total), so the endpoint's calls went on with no total at all (a test saw
    10 USD billed against a 2 USD total). The thread stops at `leave()` or when the process
    leaves Ray. Left: `ray.shutdown()` racing the thread's check could still auto-start Ray
    for one call; a lapsed holder is not told of a reopened ledger (docs/scaling.md).

    `budget` is None when the ledger has no total (then calls skip the budget round trips);
    `limiter` is always there (with no rate it still paces after a 429).
    """

    def __init__(self, name: str, spec: LedgerSpec, user: str) -> None:
        import ray

        if not _NAME_RE.fullmatch(name):
            raise UserError(f"--ledger must be 1 to 64 letters, digits, '.', '_' or '-', not {name[:80]!r}")
        self.name, self.user = name, user
        actor = {"namespace": NAMESPACE, "lifetime": "detached", "get_if_exists": True, "num_cpus": 0,
                 "max_concurrency": 10_000}
        limiter_class: Any = ray.remote(SharedLimiter)
        budget_class: Any = ray.remote(SharedBudget)
        self.limiter: Any = limiter_class.options(name=f"limiter:{name}", **actor).remote()
        self._budget: Any = budget_class.options(name=f"ledger:{name}", **actor).remote(self.limiter)
        joined, terms, others = ray.get(self._budget.open.remote(user, spec))
        if not joined:
            raise UserError(f"the cluster ledger {name!r} is in use by {others} other command(s) with "
                            f"{terms.describe()}; give the same terms or none to share it, or another --ledger")
        self.spec: LedgerSpec = terms
        self.shared_with = others
        self.budget: Any = self._budget if terms.has_budget else None
        self._last_beat = time.monotonic()
        self._left = threading.Event()
        threading.Thread(target=self._keep_lease, name=f"lease:{name}", daemon=True).start()

    def _keep_lease(self) -> None:
        """Renew the lease until `leave()`, or until this process is no longer connected to
        Ray: a call on an actor handle after `ray.shutdown()` could start a new local cluster."""
        import ray

        while not self._left.wait(BEAT_SECONDS / 4):
            if not ray.is_initialized():
                return
            with contextlib.suppress(Exception):  # a cluster going away: leave() says so
                self.beat()

    def beat(self) -> None:
        """Renew this user's lease (at most every `BEAT_SECONDS`; not waited for)."""
        if time.monotonic() - self._last_beat >= BEAT_SECONDS:
            self._last_beat = time.monotonic()
            self._budget.beat.remote(self.user)

    def snapshot(self, timeout: float | None = None) -> dict[str, Any] | None:
        import ray

        if self.budget is None:
            return None
        snap: dict[str, Any] = ray.get(self.budget.snapshot.remote(), timeout=timeout)
        return snap

    def abandon(self, owner: str) -> None:
        """Charge in full the open holds of a job attempt that died."""
        import ray

        if self.budget is not None:
            ray.get(self.budget.abandon.remote(owner))

    def leave(self) -> None:
        import ray

        self._left.set()
        ray.get(self._budget.leave.remote(self.user), timeout=10)
