"""HTTP model clients, retry and rate-limit wrappers, and resolve_lm, against FakeOpenAIServer."""

from __future__ import annotations

import asyncio
import socket
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from fakes.openai_server import (
    FakeOpenAIServer,
    Hang,
    NullContent,
    Refusal,
    Reply,
    Reset,
    Status,
    TruncatedJSON,
)
from recursor.errors import (
    LMConnectionError,
    LMError,
    LMRequestError,
    LMServerError,
    LMTimeoutError,
    LMTransientError,
    RateLimitError,
    UserError,
)
from recursor.lm.anthropic import AnthropicLM, to_anthropic_messages
from recursor.lm.base import LM, Message
from recursor.lm.openai_compat import OpenAICompatibleLM, parse_retry_after
from recursor.lm.resolve import PROVIDERS, resolve_lm
from recursor.lm.retry import RateLimitedLM, RetryingLM, RetryPolicy

SECRET = "sk-test-secret-0123456789"
HELLO: list[Message] = [{"role": "user", "content": "hello"}]
FAST = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.5)


@pytest.fixture(autouse=True)
def _no_real_requests(local_http_only: None) -> None:
    """No test may reach a real (paid) API (conftest also removes every developer key)."""


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as s:
        yield s


def openai_lm(server: FakeOpenAIServer, **kw: Any) -> OpenAICompatibleLM:
    kw.setdefault("timeout", 2.0)
    return OpenAICompatibleLM("fake-model", base_url=server.base_url, api_key=SECRET, **kw)


# -- success -----------------------------------------------------------------------------------


async def test_reply_usage_cost_and_request_shape(server: FakeOpenAIServer) -> None:
    server.push(Reply("hi there", prompt_tokens=12, completion_tokens=3, cost=0.0042))
    lm = openai_lm(server, temperature=0.2, max_output_tokens=99, extra_body={"seed": 7})
    resp = await lm.complete([{"role": "system", "content": "be brief"}, *HELLO])
    assert (resp.text, resp.model, resp.finish_reason) == ("hi there", "fake-model", "stop")
    assert (resp.usage.input_tokens, resp.usage.output_tokens) == (12, 3)
    assert resp.usage.cost_usd == pytest.approx(0.0042)
    (req,) = server.requests
    assert req.path == "/v1/chat/completions"
    assert req.headers["authorization"] == f"Bearer {SECRET}"
    assert req.json == {
        "model": "fake-model",
        "messages": [{"role": "system", "content": "be brief"}, *HELLO],
        "temperature": 0.2,
        "max_tokens": 99,
        "seed": 7,
    }
    await lm.aclose()


async def test_no_cost_reported_means_unknown_cost(server: FakeOpenAIServer) -> None:
    resp = await openai_lm(server).complete(HELLO)
    assert resp.usage.cost_usd is None


async def test_local_server_needs_no_key(server: FakeOpenAIServer) -> None:
    lm = OpenAICompatibleLM("m", base_url=server.base_url, api_key_env="RECURSOR_TEST_NO_SUCH")
    assert (await lm.complete(HELLO)).text == "fake reply"
    assert "authorization" not in server.requests[0].headers


async def test_null_content_is_empty_text_and_refusal_is_marked(server: FakeOpenAIServer) -> None:
    server.push(NullContent(), Refusal("no way"))
    lm = openai_lm(server)
    assert (await lm.complete(HELLO)).text == ""
    refused = await lm.complete(HELLO)
    assert (refused.text, refused.finish_reason) == ("no way", "refusal")


# -- error mapping -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("behaviour", "error", "status"),
    [
        (Status(429, headers={"Retry-After": "1.5"}), RateLimitError, 429),
        (Status(500), LMServerError, 500),
        (Status(503), LMServerError, 503),
        (Status(408), LMTimeoutError, 408),
        (Status(400, body='{"error": {"message": "bad field"}}'), LMRequestError, 400),
        (Status(404), LMRequestError, 404),
        (Hang(), LMTimeoutError, None),
        (Reset(), LMConnectionError, None),
        (TruncatedJSON(), LMServerError, 200),
        (TruncatedJSON(incomplete=True), LMConnectionError, None),
        (Status(200, body='{"choices": []}'), LMServerError, None),
        (Status(200, body='{"error": {"code": 502, "message": "upstream"}}'), LMServerError, 502),
        (Status(200, body='{"error": {"code": 400, "message": "too long"}}'), LMRequestError, 400),
    ],
    ids=[
        "429",
        "500",
        "503",
        "408",
        "400",
        "404",
        "hang",
        "reset",
        "truncated-json",
        "cut-mid-body",
        "no-choices",
        "200-with-502-error",
        "200-with-400-error",
    ],
)
async def test_error_mapping(
    server: FakeOpenAIServer, behaviour: Any, error: type[LMError], status: int | None
) -> None:
    server.push(behaviour)
    with pytest.raises(error) as info:
        await openai_lm(server, timeout=0.3).complete(HELLO)
    assert type(info.value) is error
    assert info.value.status == status
    assert info.value.model == "fake-model"


async def test_429_carries_retry_after_and_4xx_carries_truncated_body(
    server: FakeOpenAIServer,
) -> None:
    server.push(Status(429, headers={"Retry-After": "1.5"}), Status(422, body="x" * 10_000))
    lm = openai_lm(server)
    with pytest.raises(RateLimitError) as limited:
        await lm.complete(HELLO)
    assert limited.value.retry_after == 1.5
    with pytest.raises(LMRequestError) as bad:
        await lm.complete(HELLO)
    assert bad.value.body is not None and 2000 <= len(bad.value.body) < 2100


async def test_connection_refused_is_a_connection_error() -> None:
    with socket.socket() as s:  # a port that was free a moment ago; nothing listens on it
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    lm = OpenAICompatibleLM("m", base_url=f"http://127.0.0.1:{port}/v1", timeout=1.0)
    with pytest.raises(LMConnectionError, match=r"connection to 127\.0\.0\.1"):
        await lm.complete(HELLO)


def test_parse_retry_after() -> None:
    assert parse_retry_after({"retry-after": "2"}) == 2.0
    assert parse_retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({}) is None
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 28 <= (parse_retry_after({"retry-after": when}) or 0) <= 30
    past = format_datetime(datetime.now(UTC) - timedelta(seconds=30), usegmt=True)
    assert parse_retry_after({"retry-after": past}) == 0.0


async def test_api_key_never_appears_in_errors(server: FakeOpenAIServer) -> None:
    echo = f'{{"error": {{"message": "Incorrect API key provided: {SECRET}"}}}}'
    server.push(Status(401, body=echo), Status(500, body=SECRET), Hang())
    lm = openai_lm(server, timeout=0.3)
    for expected in (LMRequestError, LMServerError, LMTimeoutError):
        with pytest.raises(expected) as info:
            await lm.complete(HELLO)
        err = info.value
        assert SECRET not in f"{err} {err!r} {err.body}"
    assert SECRET not in repr(lm)


async def test_401_message_points_at_the_key(server: FakeOpenAIServer) -> None:
    server.push(Status(401, body='{"error": {"message": "invalid key"}}'))
    with pytest.raises(LMRequestError, match=r"HTTP 401: invalid key \(check the API key\)"):
        await openai_lm(server).complete(HELLO)


# -- retries -----------------------------------------------------------------------------------


async def test_retry_honours_retry_after(server: FakeOpenAIServer) -> None:
    server.push(Status(429, headers={"Retry-After": "0.2"}), Reply("ok"))
    seen: list[tuple[int, type[LMTransientError], float]] = []
    lm = RetryingLM(openai_lm(server), FAST, on_retry=lambda a, e, d: seen.append((a, type(e), d)))
    started = time.monotonic()
    assert (await lm.complete(HELLO)).text == "ok"
    assert time.monotonic() - started >= 0.2
    assert seen == [(1, RateLimitError, 0.2)]
    gap = server.requests[1].arrived - server.requests[0].arrived
    assert gap >= 0.2


async def test_retry_after_is_capped_by_max_delay(server: FakeOpenAIServer) -> None:
    server.push(Status(429, headers={"Retry-After": "60"}), Reply("ok"))
    delays: list[float] = []
    policy = RetryPolicy(max_attempts=2, max_delay=0.05)
    lm = RetryingLM(openai_lm(server), policy, on_retry=lambda a, e, d: delays.append(d))
    assert (await lm.complete(HELLO)).text == "ok"
    assert delays == [0.05]


@pytest.mark.parametrize(
    "failures",
    [
        [Status(500), Status(503), Status(500)],
        [Hang()],
        [Reset(), Reset()],
        [TruncatedJSON()],
        [Status(529, body='{"type": "error", "error": {"type": "overloaded_error"}}')],
    ],
    ids=["5xx-burst", "hang", "reset", "truncated", "529"],
)
async def test_transient_failures_are_retried(
    server: FakeOpenAIServer, failures: list[Any]
) -> None:
    server.push(*failures, Reply("finally"))
    lm = RetryingLM(openai_lm(server, timeout=0.2), FAST)
    assert (await lm.complete(HELLO)).text == "finally"
    assert len(server.requests) == len(failures) + 1


async def test_client_errors_are_not_retried(server: FakeOpenAIServer) -> None:
    server.push(Status(400), Reply("never"))
    with pytest.raises(LMRequestError):
        await RetryingLM(openai_lm(server), FAST).complete(HELLO)
    assert len(server.requests) == 1


async def test_exhausted_retries_raise_the_last_error(server: FakeOpenAIServer) -> None:
    server.push(Status(503), Status(500), Status(502), Reply("too late"))
    policy = RetryPolicy(max_attempts=3, base_delay=0.01)
    with pytest.raises(LMServerError) as info:
        await RetryingLM(openai_lm(server), policy).complete(HELLO)
    assert info.value.status == 502
    assert "gave up after 3 attempt(s)" in "".join(info.value.__notes__)
    assert len(server.requests) == 3


def test_backoff_grows_caps_and_jitters() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=5.0, jitter=0.5)
    err = LMServerError("x")
    assert [policy.delay(n, err, rand=0.0) for n in (1, 2, 3, 4)] == [1.0, 2.0, 4.0, 5.0]
    assert policy.delay(2, err, rand=0.999) == pytest.approx(1.001)
    with pytest.raises(UserError):
        RetryPolicy(max_attempts=0)


# -- concurrency and rate limits ---------------------------------------------------------------


async def test_server_overlaps_many_concurrent_requests() -> None:
    with FakeOpenAIServer(delay=0.5) as server:
        lm = openai_lm(server)
        started = time.monotonic()
        await asyncio.gather(*(lm.complete(HELLO) for _ in range(64)))
        assert time.monotonic() - started < 2.0
        assert server.peak_in_flight >= 48
        await lm.aclose()


async def test_concurrency_cap_caps_at_the_server() -> None:
    with FakeOpenAIServer(delay=0.1) as server:
        capped = RateLimitedLM(openai_lm(server), max_concurrency=4)
        other = capped.with_model("other-model")  # shares the cap
        calls = [capped.complete(HELLO) for _ in range(8)] + [
            other.complete(HELLO) for _ in range(8)
        ]
        await asyncio.gather(*calls)
        assert server.peak_in_flight == 4
        assert {r.json["model"] for r in server.requests} == {"fake-model", "other-model"}


async def test_requests_per_minute_spaces_requests(server: FakeOpenAIServer) -> None:
    lm = RateLimitedLM(openai_lm(server), requests_per_minute=1200, burst=1)  # one per 50 ms
    started = time.monotonic()
    await asyncio.gather(*(lm.complete(HELLO) for _ in range(5)))
    assert time.monotonic() - started >= 0.19


def test_wrappers_keep_their_configuration_in_with_model() -> None:
    base = OpenAICompatibleLM("a", base_url="http://127.0.0.1:1/v1")
    hook = print
    retrying = RetryingLM(RateLimitedLM(base, max_concurrency=3), FAST, on_retry=hook)
    moved = retrying.with_model("b")
    assert isinstance(moved, RetryingLM) and moved.model == "b"
    assert moved.policy is FAST and moved.on_retry is hook
    assert isinstance(moved.wrapped, RateLimitedLM) and moved.wrapped.max_concurrency == 3
    assert moved.wrapped.wrapped.model == "b"


# -- client lifecycle --------------------------------------------------------------------------


async def test_with_model_shares_the_pool_and_aclose_closes_only_owned(
    server: FakeOpenAIServer,
) -> None:
    injected = httpx.AsyncClient()
    lm = openai_lm(server, http_client=injected)
    other = lm.with_model("other")
    await other.complete(HELLO)
    assert server.requests[0].json["model"] == "other"
    await lm.aclose()
    assert not injected.is_closed
    await injected.aclose()

    owned = openai_lm(server)
    await owned.complete(HELLO)
    pool = owned._slot.get()
    await owned.with_model("x").aclose()
    assert not pool.is_closed
    await owned.aclose()
    assert pool.is_closed


def test_one_client_survives_several_event_loops(server: FakeOpenAIServer) -> None:
    lm = openai_lm(server)
    assert asyncio.run(lm.complete(HELLO)).text == "fake reply"
    assert asyncio.run(lm.complete(HELLO)).text == "fake reply"
    capped = RateLimitedLM(lm, max_concurrency=1)
    asyncio.run(capped.complete(HELLO))
    asyncio.run(capped.complete(HELLO))


# -- Anthropic ---------------------------------------------------------------------------------


async def test_anthropic_request_and_reply_shape(server: FakeOpenAIServer) -> None:
    server.push(Reply("claude says", prompt_tokens=20, completion_tokens=4))
    lm = AnthropicLM("claude-x", base_url=server.root_url, api_key=SECRET, max_output_tokens=77)
    messages: list[Message] = [
        {"role": "system", "content": "sys A"},
        {"role": "user", "content": "q1"},
        {"role": "user", "content": "q2"},
        {"role": "assistant", "content": "a"},
        {"role": "system", "content": "sys B"},
        {"role": "user", "content": "q3"},
    ]
    resp = await lm.complete(messages)
    assert (resp.text, resp.model, resp.finish_reason) == ("claude says", "claude-x", "end_turn")
    assert (resp.usage.input_tokens, resp.usage.output_tokens) == (20, 4)
    (req,) = server.requests
    assert req.path == "/v1/messages"
    assert req.headers["x-api-key"] == SECRET
    assert req.headers["anthropic-version"] == "2023-06-01"
    assert "authorization" not in req.headers
    assert req.json == {
        "model": "claude-x",
        "max_tokens": 77,
        "system": "sys A\n\nsys B",
        "messages": [
            {"role": "user", "content": "q1\n\nq2"},
            {"role": "assistant", "content": "a"},
            {"role": "user", "content": "q3"},
        ],
    }


async def test_anthropic_errors_refusal_and_overload(server: FakeOpenAIServer) -> None:
    overloaded = '{"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}'
    server.push(Status(529, body=overloaded), Refusal("nope"), NullContent())
    lm = AnthropicLM("claude-x", base_url=server.root_url, api_key=SECRET)
    with pytest.raises(LMServerError, match="HTTP 529: Overloaded"):
        await lm.complete(HELLO)
    refused = await lm.complete(HELLO)
    assert (refused.text, refused.finish_reason) == ("nope", "refusal")
    assert (await lm.complete(HELLO)).text == ""


def test_to_anthropic_messages_without_system() -> None:
    assert to_anthropic_messages(HELLO) == (None, [{"role": "user", "content": "hello"}])


# -- resolve_lm --------------------------------------------------------------------------------


def inner(lm: LM) -> LM:
    while isinstance(lm, RetryingLM | RateLimitedLM):
        lm = lm.wrapped
    return lm


def test_resolve_specs(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OPENROUTER_API_KEY"):
        monkeypatch.setenv(var, "k-" + var)
    cases = {
        "openai:gpt-5-mini": (OpenAICompatibleLM, "gpt-5-mini", "https://api.openai.com/v1"),
        "gpt-5-mini": (OpenAICompatibleLM, "gpt-5-mini", "https://api.openai.com/v1"),
        "anthropic:claude-sonnet-4-5": (
            AnthropicLM,
            "claude-sonnet-4-5",
            "https://api.anthropic.com",
        ),
        "claude-sonnet-4-5": (AnthropicLM, "claude-sonnet-4-5", "https://api.anthropic.com"),
        "openrouter:qwen/qwen3-coder": (
            OpenAICompatibleLM,
            "qwen/qwen3-coder",
            "https://openrouter.ai/api/v1",
        ),
        "ollama:llama3:8b": (OpenAICompatibleLM, "llama3:8b", "http://127.0.0.1:11434/v1"),
    }
    for spec, (cls, model, url) in cases.items():
        lm = resolve_lm(spec)
        assert isinstance(lm, RetryingLM), spec
        client = inner(lm)
        assert type(client) is cls and client.model == model, spec
        assert isinstance(client, OpenAICompatibleLM | AnthropicLM) and client.base_url == url
    router = inner(resolve_lm("openrouter:x"))
    assert isinstance(router, OpenAICompatibleLM) and router._api_key == "k-OPENROUTER_API_KEY"
    ollama = inner(resolve_lm("ollama:llama3"))
    assert isinstance(ollama, OpenAICompatibleLM) and ollama._api_key is None


def test_resolve_base_url_wrappers_and_no_retry() -> None:
    lm = resolve_lm("qwen2.5:7b", base_url="http://127.0.0.1:8000/v1", max_concurrency=2)
    assert isinstance(lm, RetryingLM) and isinstance(lm.wrapped, RateLimitedLM)
    client = inner(lm)
    assert isinstance(client, OpenAICompatibleLM)
    assert (client.model, client.base_url) == ("qwen2.5:7b", "http://127.0.0.1:8000/v1")
    bare = resolve_lm("m", base_url="http://127.0.0.1:8000/v1", retry=None, timeout=5.0)
    assert isinstance(bare, OpenAICompatibleLM) and bare.timeout == 5.0


def test_resolve_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UserError, match="known providers: openai, openrouter, ollama"):
        resolve_lm("gemeni:pro")
    with pytest.raises(UserError, match="set the OPENAI_API_KEY environment variable"):
        resolve_lm("openai:gpt-5-mini")
    with pytest.raises(UserError, match="OPENROUTER_API_KEY"):
        resolve_lm("openrouter:x")
    with pytest.raises(UserError, match="ANTHROPIC_API_KEY"):
        resolve_lm("claude-haiku-4-5")
    with pytest.raises(UserError, match="MY_KEY"):
        resolve_lm("openai:gpt-5", api_key_env="MY_KEY")
    monkeypatch.setitem(sys.modules, "recursor.lm.local", None)  # as if llama-cpp were missing
    with pytest.raises(UserError, match=r"pip install 'recursor\[local\]'"):
        resolve_lm("local:qwen2.5-coder-0.5b")
    with pytest.raises(UserError, match=r"pip install 'recursor\[local\]'"):
        resolve_lm("local")
    # An embedded model's bare name is that model, not an OpenAI one ("no API key for api.openai.com").
    with pytest.raises(UserError, match=r"pip install 'recursor\[local\]'"):
        resolve_lm("Qwen2.5-Coder-0.5B")
    with pytest.raises(UserError, match="names no model"):
        resolve_lm("openai:")
    assert "local" in PROVIDERS
