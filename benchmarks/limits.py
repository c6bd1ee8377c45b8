"""How far each limit is overshot when model code races it: the goal is exactly zero.

    python benchmarks/limits.py           # every scenario, about half a minute on 2 cores
    python benchmarks/limits.py --json    # one JSON object per scenario

Each scenario runs the real engine, sandbox workers and HTTP client against the fake OpenAI
server (tests/fakes), which bills every request like a provider: input tokens from the
request's size, output tokens up to the `max_tokens` the request carried, a price per model.
What is reported is the server's bill, not what the engine believes it spent:

    limit    the limit given to the run
    used     what the server saw or billed for it (requests, tokens, dollars)
    over     used - limit when positive: the overshoot
    peak     calls in flight at once at the server, and sandbox workers alive at once
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fakes.billing import FakeBilling, Respond, batch, fan_out
from fakes.openai_server import FakeOpenAIServer
from recursor import RLM, Limits, Pricing
from recursor.lm.openai_compat import OpenAICompatibleLM
from recursor.sandbox import process

ROOT, SUB = "root-m", "sub-m"
PRICES = {ROOT: (1.0, 4.0), SUB: (1.0, 4.0)}

SCENARIOS: dict[str, tuple[Callable[[FakeBilling], Respond], Limits]] = {
    "40 children, max_calls=10": (lambda b: fan_out(40, b, root=ROOT),
                                  Limits(max_calls=10, max_depth=2, max_concurrency=4)),
    "40 children, max_concurrency=4": (lambda b: fan_out(40, b, root=ROOT),
                                       Limits(max_depth=2, max_concurrency=4, max_children=8)),
    "100 children, max_calls=2": (lambda b: fan_out(100, b, root=ROOT), Limits(max_calls=2, max_depth=2)),
    "100 children, max_usd=0.02": (lambda b: fan_out(100, b, root=ROOT),
                                   Limits(max_usd=0.02, max_depth=2, max_children=8)),
    "64-item batch, max_calls=2": (lambda b: batch(64, b, root=ROOT, words=50), Limits(max_calls=2)),
    "64-item batch, max_tokens=20000": (lambda b: batch(64, b, root=ROOT, words=400), Limits(max_tokens=20_000)),
    "64-item batch, max_usd=0.01": (lambda b: batch(64, b, root=ROOT, words=2000), Limits(max_usd=0.01)),
}


class CountedRepl(process.ProcessRepl):
    """Counts sandbox workers alive at once."""

    alive = 0
    peak = 0

    async def start(self) -> None:
        CountedRepl.alive += 1
        CountedRepl.peak = max(CountedRepl.peak, CountedRepl.alive)
        await super().start()

    async def close(self) -> None:
        if getattr(self, "_counted_closed", False) is False:
            self._counted_closed = True
            CountedRepl.alive -= 1
        await super().close()


def run(name: str) -> dict[str, Any]:
    make, limits = SCENARIOS[name]
    billing = FakeBilling(dict(PRICES), delay=0.05)  # replies take 50 ms, so calls overlap
    CountedRepl.alive = CountedRepl.peak = 0
    process.ProcessRepl = CountedRepl  # type: ignore[misc]
    with tempfile.TemporaryDirectory() as tmp, FakeOpenAIServer(responder=make(billing)) as server:
        root, sub = (OpenAICompatibleLM(m, base_url=server.base_url, api_key_env=None) for m in (ROOT, SUB))
        rlm = RLM(root, sub_model=sub, limits=limits, pricing=Pricing(PRICES), trace_dir=Path(tmp))
        started = time.monotonic()
        result = rlm.complete("QUESTION: how many?", "some context " * 50)
        wall = time.monotonic() - started
        requests, in_flight = len(server.requests), server.peak_in_flight
    used = {"max_calls": requests, "max_tokens": sum(billing.tokens), "max_usd": sum(billing.usd)}
    row: dict[str, Any] = {"scenario": name, "stopped_by": result.stopped_by, "wall_s": round(wall, 2),
                           "requests": requests, "peak_in_flight": in_flight,
                           "peak_workers": CountedRepl.peak}
    used["max_concurrency"] = in_flight
    for limit in ("max_calls", "max_tokens", "max_usd", "max_concurrency"):
        bound = getattr(limits, limit)
        if bound is not None and "limit" not in row:
            row.update(limit=limit, bound=bound, used=round(used[limit], 6),
                       over=round(max(0, used[limit] - bound), 6))
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="one JSON object per scenario")
    args = parser.parse_args()
    for name in SCENARIOS:
        row = run(name)
        if args.json:
            print(json.dumps(row))
        else:
            print(f"{row['scenario']:34} {row['limit']:>10} {row['bound']:>8} used {row['used']:>9} "
                  f"over {row['over']:>6}  in flight {row['peak_in_flight']:>2}  workers "
                  f"{row['peak_workers']:>2}  {row['stopped_by']:>9}  {row['wall_s']:>5} s")


if __name__ == "__main__":
    main()
