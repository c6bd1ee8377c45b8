"""Limits hold when model code races them: fan-out, batches, unpriced models, long cells.

Each test drives the real engine, real sandbox workers and real HTTP clients against the fake
OpenAI server, which bills every request like a provider: input tokens from the request's
size, output tokens up to the `max_tokens` the request carried. The assertions count what the
server saw and billed, not what the engine believes it spent.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from fakes.billing import FakeBilling, batch, fan_out, first_turn
from fakes.openai_server import FakeOpenAIServer, Reply
from recursor import RLM, Limits, Pricing, Result, UserError
from recursor.lm.openai_compat import OpenAICompatibleLM
from recursor.lm.retry import RetryingLM, RetryPolicy
from recursor.pricing import DEFAULT_PRICES
from recursor.sandbox import process

ROOT, SUB = "root-m", "sub-m"
PRICES = {ROOT: (1.0, 4.0), SUB: (1.0, 4.0)}
"""USD per million tokens: what the fake server bills and the run is told."""


def new_billing() -> FakeBilling:
    return FakeBilling(dict(PRICES))


def lms(server: FakeOpenAIServer) -> tuple[RetryingLM, RetryingLM]:
    """Root and sub-model as a user builds them for an OpenAI-compatible endpoint."""

    def one(model: str) -> RetryingLM:
        client = OpenAICompatibleLM(model, base_url=server.base_url, api_key_env=None, timeout=30)
        return RetryingLM(client, RetryPolicy(max_attempts=2, base_delay=0.01))

    return one(ROOT), one(SUB)


def last_user(request: dict[str, Any]) -> str:
    return next((m["content"] for m in reversed(request["messages"]) if m["role"] == "user"), "")


@dataclass
class Workers:
    """Sandbox workers alive at once, counted from start to close."""

    alive: int = 0
    peak: int = 0
    made: list[process.ProcessRepl] = field(default_factory=list)


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> Iterator[Workers]:
    seen = Workers()

    class Counted(process.ProcessRepl):
        async def start(self) -> None:
            seen.made.append(self)
            seen.alive += 1
            seen.peak = max(seen.peak, seen.alive)
            await super().start()

        async def close(self) -> None:
            if self in seen.made:
                seen.made.remove(self)
                seen.alive -= 1
            await super().close()

    monkeypatch.setattr(process, "ProcessRepl", Counted)
    yield seen
    assert seen.alive == 0, "a worker was left running"


def run(responder: Callable[[dict[str, Any]], Any], limits: Limits, *, tmp_path: Path,
        pricing: Pricing | None = None, **kw: Any) -> tuple[Result, FakeOpenAIServer]:
    with FakeOpenAIServer(responder=responder) as server:
        root, sub = lms(server)
        rlm = RLM(root, sub_model=sub, limits=limits, pricing=pricing or Pricing(PRICES),
                  trace_dir=tmp_path / "traces", **kw)
        result = rlm.complete("QUESTION: how many?", "some context " * 50)
    return result, server


# -- fan-out of child runs -------------------------------------------------------------------------

def test_40_children_stay_within_max_calls_concurrency_and_workers(tmp_path: Path, workers: Workers) -> None:
    billing = new_billing()
    limits = Limits(max_calls=10, max_depth=2, max_concurrency=4, max_children=3)
    result, server = run(fan_out(40, billing, root=ROOT), limits, tmp_path=tmp_path)
    assert len(server.requests) <= 10, len(server.requests)
    assert server.peak_in_flight <= 4
    assert workers.peak <= 1 + 3, workers.peak  # the root's worker and three children
    assert result.stopped_by in ("final", "max_calls")
    assert result.usage.total.calls == len(server.requests)


@pytest.mark.parametrize("max_calls", [2, 7])
def test_100_children_never_pass_max_calls(tmp_path: Path, workers: Workers, max_calls: int) -> None:
    billing = new_billing()
    result, server = run(fan_out(100, billing, root=ROOT), Limits(max_calls=max_calls, max_depth=2, max_children=8),
                         tmp_path=tmp_path)
    assert len(server.requests) <= max_calls
    assert result.answer  # ended with the best answer it had
    assert result.stopped_by == "max_calls"


def test_100_children_never_pass_max_usd(tmp_path: Path, workers: Workers) -> None:
    billing = new_billing()
    limits = Limits(max_usd=0.02, max_depth=2, max_children=8, max_concurrency=16)
    result, server = run(fan_out(100, billing, root=ROOT), limits, tmp_path=tmp_path)
    assert sum(billing.usd) <= 0.02, sum(billing.usd)
    assert result.cost_usd is not None and result.cost_usd <= 0.02
    assert result.cost_usd == pytest.approx(sum(billing.usd))
    assert len(server.requests) > 3, "the budget allowed work before it ran out"
    assert result.stopped_by == "max_usd"


# -- batches of sub-calls ---------------------------------------------------------------------------

def test_a_64_item_batch_under_max_calls_2_sends_2(tmp_path: Path, workers: Workers) -> None:
    billing = new_billing()
    result, server = run(batch(64, billing, root=ROOT), Limits(max_calls=2, max_concurrency=16), tmp_path=tmp_path)
    assert len(server.requests) == 2  # the root's turn and one sub-call
    assert result.stopped_by == "max_calls"


@pytest.mark.parametrize("budget", [3_000, 20_000])
def test_racing_batches_never_pass_max_tokens(tmp_path: Path, workers: Workers, budget: int) -> None:
    billing = new_billing()
    result, server = run(batch(64, billing, root=ROOT, words=400), Limits(max_tokens=budget, max_concurrency=16),
                         tmp_path=tmp_path)
    assert sum(billing.tokens) <= budget, sum(billing.tokens)
    assert result.usage.total.tokens == sum(billing.tokens)
    assert result.stopped_by == "max_tokens"
    caps = [r.json.get("max_tokens") for r in server.requests]
    assert all(isinstance(c, int) and c >= 1 for c in caps), "every call carried its reserved cap"


def test_racing_batches_never_pass_max_usd(tmp_path: Path, workers: Workers) -> None:
    billing = new_billing()
    result, _ = run(batch(64, billing, root=ROOT, words=2000), Limits(max_usd=0.01, max_concurrency=16), tmp_path=tmp_path)
    assert sum(billing.usd) <= 0.01
    assert result.stopped_by == "max_usd"


# -- models and prices --------------------------------------------------------------------------------

def test_an_unpriced_model_under_max_usd_is_refused_before_any_call(tmp_path: Path) -> None:
    with FakeOpenAIServer(responder=lambda r: "FINAL(x)") as server:
        root, sub = lms(server)
        with pytest.raises(UserError, match=r"price of model 'sub-m' is not known.*Pricing"):
            RLM(root, sub_model=sub, limits=Limits(max_usd=1.0), pricing=Pricing({ROOT: (1, 1)}))
        assert server.requests == []


def test_prices_match_exactly_not_by_prefix() -> None:
    pricing = Pricing()
    assert pricing.price("gpt-5-pro") is None
    assert pricing.price("o1-pro") is None
    assert pricing.price("gpt-5") == DEFAULT_PRICES["gpt-5"]
    assert pricing.price("gpt-5-mini-2025-08-07") == DEFAULT_PRICES["gpt-5-mini"]
    assert pricing.price("openai/gpt-5-nano") == DEFAULT_PRICES["gpt-5-nano"]
    assert pricing.price("claude-sonnet-4-5-20250929") == DEFAULT_PRICES["claude-sonnet-4-5"]
    assert Pricing({"GPT-5": (9, 9)}).price("gpt-5") == (9.0, 9.0)


def test_model_code_cannot_name_a_model_the_run_was_not_given(tmp_path: Path, workers: Workers) -> None:
    code = ("```repl\nfor name in ['o1-pro', 'gpt-5-pro', 42, ['x']]:\n"
            "    try:\n        llm_query('x' * 1000, model=name)\n    except Exception as e:\n"
            "        print('refused', type(e).__name__)\n"
            "print(llm_query('ok', model='sub-cheap'))\n```")
    billing = new_billing()
    billing.prices["sub-cheap"] = (0.1, 0.1)

    def respond(request: dict[str, Any]) -> Any:
        if request["model"] == ROOT:
            return billing.bill(request, code if first_turn(request) else "FINAL(done)", 10)
        return billing.bill(request, "cheap reply", 5)

    result, server = run(respond, Limits(max_usd=0.05), tmp_path=tmp_path,
                         pricing=Pricing({**PRICES, "sub-cheap": (0.1, 0.1)}), models=["sub-cheap"])
    assert {r.json["model"] for r in server.requests} == {ROOT, "sub-cheap"}
    assert result.answer == "done"
    events = [json.loads(line) for line in Path(str(result.trace_path)).read_text().splitlines()]
    out = next(e["stdout"] for e in events if e["event"] == "cell")
    assert out.count("refused") == 4 and "cheap reply" in out


# -- the deadline ------------------------------------------------------------------------------------

def test_the_deadline_stops_a_long_cell(tmp_path: Path, workers: Workers) -> None:
    code = "```repl\nanswer['content'] = 'early'\nimport time\nfor _ in range(4):\n    time.sleep(4)\n```"

    def respond(request: dict[str, Any]) -> Any:
        return Reply(code if first_turn(request) else "FINAL(late)")

    started = time.monotonic()
    with FakeOpenAIServer(responder=respond) as server:
        root, _ = lms(server)
        rlm = RLM(root, limits=Limits(timeout=1.0), trace_dir=False)
        result = rlm.complete("q", "context")
    elapsed = time.monotonic() - started
    assert result.stopped_by == "timeout"
    assert elapsed < 1.0 + 2.5, elapsed  # the deadline, one second of cell grace, the wind-down
    assert len(server.requests) == 1


def test_cli_timeout_5_with_a_30_second_cell_answers_in_under_8_seconds(tmp_path: Path) -> None:
    code = "```repl\nimport time\ntime.sleep(30)\n```"
    with FakeOpenAIServer(responder=lambda r: Reply(code if first_turn(r) else "FINAL(x)")) as server:
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-m", "recursor.cli", "ask", "q", "--context", str(_context(tmp_path)),
             "--base-url", server.base_url, "--model", ROOT, "--timeout", "5", "--no-trace"],
            capture_output=True, text=True, timeout=60,
            env={**os.environ, "OPENAI_API_KEY": "unused"},
        )
        elapsed = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "timeout" in proc.stderr
    assert elapsed < 8.0, elapsed


def _context(tmp_path: Path) -> Path:
    path = tmp_path / "context.txt"
    path.write_text("a line of context\n" * 100)
    return path
