"""Hostile review of the ledger: ways to make a run spend past max_calls, max_tokens or max_usd.

Each test states the promise it checks. Like `test_limits_hostile.py`, the end-to-end ones drive
the real engine, sandbox workers and HTTP clients against the fake OpenAI server and count what
the server saw and billed (`FakeBilling`), not what the engine believes it spent.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import fakes.openai_server as fake_server
from fakes.billing import FakeBilling
from fakes.openai_server import FakeOpenAIServer, Reply, Status, TruncatedJSON
from recursor import RLM, Limits, Pricing, Result, UserError
from recursor.ledger import Ledger
from recursor.lm.base import WrapperLM
from recursor.lm.function import FunctionLM
from recursor.lm.openai_compat import OpenAICompatibleLM
from recursor.lm.retry import RateLimitedLM, RetryingLM, RetryPolicy

ROOT, SUB = "root-m", "sub-m"
PRICES = {ROOT: (1.0, 4.0), SUB: (1.0, 4.0)}


def client(server: FakeOpenAIServer, model: str) -> OpenAICompatibleLM:
    return OpenAICompatibleLM(model, base_url=server.base_url, api_key_env=None, timeout=30)


def retrying(server: FakeOpenAIServer, model: str, attempts: int = 2) -> RetryingLM:
    return RetryingLM(client(server, model), RetryPolicy(max_attempts=attempts, base_delay=0.01))


def is_first_turn(request: dict[str, Any]) -> bool:
    return not any(m["role"] == "assistant" for m in request["messages"])


def sub_loop(n: int) -> str:
    """Root code that makes `n` sub-calls one after another, whatever each of them raises."""
    return ("```repl\nok = 0\nfor i in range(" + str(n) + "):\n    try:\n"
            "        llm_query(f'item {i}')\n        ok += 1\n    except Exception as e:\n"
            "        print(type(e).__name__, str(e)[:60])\nprint('ok', ok)\n```")


def run(responder: Callable[[dict[str, Any]], Any], limits: Limits, *, tmp_path: Path,
        **kw: Any) -> tuple[Result, FakeOpenAIServer]:
    with FakeOpenAIServer(responder=responder) as server:
        rlm = RLM(retrying(server, ROOT), sub_model=retrying(server, SUB), limits=limits,
                  pricing=Pricing(PRICES), trace_dir=tmp_path / "traces", **kw)
        result = rlm.complete("QUESTION: how many?", "some context " * 50)
    return result, server


def root_then(billing: FakeBilling, n: int, sub: Callable[[dict[str, Any]], Any]) -> Callable[[dict[str, Any]], Any]:
    """The root makes `n` sub-calls on its first turn and answers on the next; `sub` plays each sub-call."""

    def respond(request: dict[str, Any]) -> Any:
        if request["model"] == ROOT:
            return billing.bill(request, sub_loop(n) if is_first_turn(request) else "FINAL(done)", 40)
        return sub(request)

    return respond


# -- a 200 the provider billed must never be refunded ------------------------------------------------

def test_a_billed_200_with_a_cut_body_is_charged_not_refunded(tmp_path: Path) -> None:
    """max_tokens is never exceeded. A 200 whose JSON body is cut off (or holds no completion)
    was generated, so billed, by the provider; the ledger must not refund it as "did no work"
    as it does a 5xx, or every retried attempt is free and the run spends without bound."""
    billing = FakeBilling(dict(PRICES))

    def sub(request: dict[str, Any]) -> Any:
        billing.bill(request, "x", 400)  # the provider generated and billed 400 tokens...
        return TruncatedJSON()  # ...and the body came back cut in half

    budget = 20_000
    _result, server = run(root_then(billing, 30, sub), Limits(max_tokens=budget), tmp_path=tmp_path)
    assert sum(billing.tokens) <= budget, (sum(billing.tokens), len(server.requests))


# -- usage the provider did not report, or reported as garbage --------------------------------------

@pytest.fixture
def no_usage(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fake server leaves `usage` out of its replies, as some OpenAI-compatible servers do."""
    payload = fake_server._payload

    def without_usage(b: Any, request: dict[str, Any], *, anthropic: bool) -> dict[str, Any]:
        body = payload(b, request, anthropic=anthropic)
        body.pop("usage", None)
        return body

    monkeypatch.setattr(fake_server, "_payload", without_usage)


@pytest.mark.parametrize("limit", ["max_tokens", "max_usd"])
def test_a_reply_without_usage_is_not_free(tmp_path: Path, no_usage: None, limit: str) -> None:
    """max_tokens and max_usd are never exceeded. A server that reports no usage still billed
    the call; the ledger settles it at zero tokens and $0, so no later call is ever refused."""
    billing = FakeBilling(dict(PRICES))
    limits = Limits(max_tokens=20_000) if limit == "max_tokens" else Limits(max_usd=0.02)
    _result, server = run(root_then(billing, 80, lambda r: billing.bill(r, "label", 400)), limits,
                         tmp_path=tmp_path)
    if limit == "max_tokens":
        assert sum(billing.tokens) <= 20_000, (sum(billing.tokens), len(server.requests))
    else:
        assert sum(billing.usd) <= 0.02, (sum(billing.usd), len(server.requests))


@pytest.mark.parametrize("cost", [float("nan"), -1.0], ids=["nan", "negative"])
def test_a_garbage_provider_cost_does_not_lift_max_usd(tmp_path: Path, cost: float) -> None:
    """max_usd is never exceeded, and a run ends with a Result. A provider-reported cost wins
    over the price table, but a cost of NaN (Python's json reads the literal `NaN`) poisons the
    spent total: the next reservation dies in math.floor(NaN) and `complete` raises ValueError.
    A negative cost hands budget back, so the run spends many times its limit."""
    billing = FakeBilling(dict(PRICES))

    def sub(request: dict[str, Any]) -> Any:
        return dataclasses.replace(billing.bill(request, "label", 2000), cost=cost)

    _result, server = run(root_then(billing, 40, sub), Limits(max_usd=0.02), tmp_path=tmp_path)
    assert sum(billing.usd) <= 0.02, (sum(billing.usd), len(server.requests))


def test_negative_reported_tokens_do_not_lift_max_tokens(tmp_path: Path) -> None:
    """max_tokens is never exceeded: usage of -5000 tokens must not hand tokens back."""
    billing = FakeBilling(dict(PRICES))

    def sub(request: dict[str, Any]) -> Any:
        return dataclasses.replace(billing.bill(request, "label", 400), prompt_tokens=-5000)

    _result, server = run(root_then(billing, 80, sub), Limits(max_tokens=20_000), tmp_path=tmp_path)
    assert sum(billing.tokens) <= 20_000, (sum(billing.tokens), len(server.requests))


# -- retries hidden under another wrapper ---------------------------------------------------------------

class Logged(WrapperLM):
    """A user's own wrapper (logging, metrics) around a resolved, retrying model."""


@pytest.mark.parametrize("wrap", ["rate_limited", "user_wrapper"])
def test_retries_below_another_wrapper_still_count_against_max_calls(tmp_path: Path, wrap: str) -> None:
    """max_calls counts "LM requests sent over the whole tree, each retry counted". Only a
    RetryingLM at the very top is lifted into the Retry layer; one under RateLimitedLM or a
    user's WrapperLM retries inside a single reservation, so the server sees more requests."""
    with FakeOpenAIServer([Status(500), Status(500), Status(500)],
                          responder=lambda r: "FINAL(x)") as server:
        inner = retrying(server, ROOT, attempts=4)
        root = RateLimitedLM(inner, max_concurrency=4) if wrap == "rate_limited" else Logged(inner)
        RLM(root, limits=Limits(max_calls=2), trace_dir=False).complete("q", "context")
    assert len(server.requests) <= 2, len(server.requests)


# -- prices --------------------------------------------------------------------------------------------

def test_a_dated_snapshot_with_its_own_price_is_not_charged_as_the_alias() -> None:
    """max_usd reserves at the table's price. gpt-4o-2024-05-13 lists at $5 / $15 per million,
    twice gpt-4o's input price; stripping its date charges it as gpt-4o ($2.50 / $10), so a
    run under max_usd can be billed up to twice its limit."""
    assert Pricing().price("gpt-4o-2024-05-13") == (5.0, 15.0)
    assert Pricing().price("openai/gpt-4o-2024-05-13") == (5.0, 15.0)
    assert Pricing().price("gpt-4o-2024-08-06") == (2.5, 10.0)


# -- the deadline --------------------------------------------------------------------------------------

def test_a_clients_own_timeout_error_is_not_the_trees_deadline(tmp_path: Path) -> None:
    """The "timeout" limit is the tree's deadline. A client that raises a plain TimeoutError
    (e.g. its own asyncio.wait_for) is turned by the Deadline layer into
    BudgetExceeded("timeout"), even with no timeout set, and the run reports stopped_by="timeout"."""
    code = "```repl\ntry:\n    llm_query('x')\nexcept Exception as e:\n    print(e)\n```"

    def sub(messages: Any) -> str:
        raise TimeoutError("the client's own read timeout")

    root = FunctionLM(lambda m: code, model=ROOT)
    result = RLM(root, sub_model=FunctionLM(sub, model=SUB), limits=Limits(max_iterations=2),
                 trace_dir=False).complete("q", "context")
    assert result.stopped_by == "max_iterations", result.stopped_by


# -- limits validation ---------------------------------------------------------------------------------

def test_a_huge_integer_max_usd_is_refused_or_works() -> None:
    """Limits validates its numbers up front. max_usd=10**400 passes (it is an int, not inf),
    then every reservation dies with OverflowError (int too large to convert to float)."""
    try:
        limits = Limits(max_usd=10**400)
    except UserError:
        return
    ledger = Ledger(limits)
    hold = asyncio.run(ledger.reserve(100, (1.0, 1.0), None))
    assert hold.max_tokens is not None


def test_no_child_run_starts_after_the_deadline(tmp_path: Path) -> None:
    """The timeout ends the tree: after it, nothing new starts. A child run that waited for its
    per-depth slot (max_children) gets it when a sibling is cut by the deadline, and then starts
    anyway, run_start event and sandbox worker included, inside the parent cell's grace second."""
    fan = "```repl\nout = rlm_query_batched(['child a', 'child b'])\nprint(out)\n```"

    def respond(request: dict[str, Any]) -> Any:
        if "QUESTION" in json.dumps(request["messages"]):
            return Reply(fan if is_first_turn(request) else "FINAL(done)")
        return Reply("FINAL(child)", delay=30)  # every child's first turn outlives the deadline

    with FakeOpenAIServer(responder=respond) as server:
        rlm = RLM(client(server, ROOT), limits=Limits(timeout=2.0, max_depth=2, max_children=1),
                  trace_dir=tmp_path / "traces")
        result = rlm.complete("QUESTION: how many?", "some context")
    events = [json.loads(line) for line in Path(str(result.trace_path)).read_text().splitlines()]
    children = [e["run_id"] for e in events if e["event"] == "run_start" and e["depth"] == 1]
    assert result.stopped_by == "timeout"
    assert len(children) == 1, children


def test_no_hold_open_means_no_wait_whatever_the_float_residue() -> None:
    """Holds of $0.1 and $0.2 taken back leave 2.8e-17 "held" in a float sum; a reserve that
    fits only with a smaller output cap waited for that residue forever (a cluster ledger's
    endpoint hung so in CI)."""
    from recursor.budget import Limits
    from recursor.ledger import Ledger, Usage

    async def scenario() -> tuple[int | None, float]:
        ledger = Ledger(Limits(max_usd=1.0))
        price = (0.0, 1e6 / 1000)  # $0.001 an output token: holds of $0.1 and $0.2
        ledger.settle(await ledger.reserve(0, price, 600), Usage(0, 600, None), None)  # $0.6 spent
        a = await ledger.reserve(0, price, 100)
        b = await ledger.reserve(0, price, 200)
        ledger.refund(a)
        ledger.refund(b)
        # $0.4 left: 500 output tokens wanted, ~400 fit; nothing is in flight to wait for.
        hold = await asyncio.wait_for(ledger.reserve(0, price, 500), timeout=2)
        return hold.max_tokens, ledger.held.usd

    max_tokens, held = asyncio.run(scenario())
    assert max_tokens is not None and 390 <= max_tokens < 500 and held == pytest.approx(max_tokens / 1000)
