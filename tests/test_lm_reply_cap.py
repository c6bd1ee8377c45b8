"""The HTTP clients refuse a runaway reply body early, and send any string the model produced."""

from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import Iterator

import pytest

from fakes.openai_server import FakeOpenAIServer, Huge, Reply, Status
from recursor.errors import LMRequestError, UserError
from recursor.lm.anthropic import AnthropicLM
from recursor.lm.base import Message
from recursor.lm.openai_compat import DEFAULT_MAX_RESPONSE_BYTES, OpenAICompatibleLM
from recursor.lm.retry import RetryingLM, RetryPolicy

HELLO: list[Message] = [{"role": "user", "content": "hello"}]
MiB = 1024 * 1024


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as s:
        yield s


def test_default_cap_is_16_mib() -> None:
    assert DEFAULT_MAX_RESPONSE_BYTES == 16 * MiB
    assert OpenAICompatibleLM("m", base_url="http://127.0.0.1:9/v1").max_response_bytes == 16 * MiB
    with pytest.raises(UserError):
        OpenAICompatibleLM("m", base_url="http://127.0.0.1:9/v1", max_response_bytes=0)


async def test_undeclared_huge_body_stops_reading_past_the_cap(server: FakeOpenAIServer) -> None:
    """200 MB with no Content-Length: the client stops near 1 MiB, holding little memory."""
    server.push(Huge(200 * MiB))
    lm = OpenAICompatibleLM("m", base_url=server.base_url, max_response_bytes=MiB, timeout=10)
    tracemalloc.start()
    t0 = time.monotonic()
    try:
        with pytest.raises(LMRequestError, match=r"larger than the 1,048,576-byte cap") as info:
            await lm.complete(HELLO)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        await lm.aclose()
    elapsed = time.monotonic() - t0
    time.sleep(0.3)  # the server notices the hang-up on its next write
    assert info.value.status == 200
    assert peak < 16 * MiB, peak
    # What the socket took: the cap plus loopback buffers, far from the 200 MB offered.
    assert server.huge_bytes_sent < 40 * MiB, server.huge_bytes_sent
    assert elapsed < 5


async def test_declared_huge_body_is_refused_unread(server: FakeOpenAIServer) -> None:
    server.push(Huge(200 * MiB, declare=True))
    lm = AnthropicLM("m", base_url=server.root_url, api_key="k", max_response_bytes=MiB)
    with pytest.raises(LMRequestError, match="Content-Length 209,715,200"):
        await lm.complete(HELLO)
    await lm.aclose()


async def test_huge_reply_is_not_retried(server: FakeOpenAIServer) -> None:
    server.push(Huge(8 * MiB), Reply("never asked for"))
    inner = OpenAICompatibleLM("m", base_url=server.base_url, max_response_bytes=MiB)
    lm = RetryingLM(inner, RetryPolicy(max_attempts=3, base_delay=0.01))
    with pytest.raises(LMRequestError):
        await lm.complete(HELLO)
    await inner.aclose()
    assert len(server.requests) == 1


async def test_reply_under_the_cap_and_error_bodies_still_read(server: FakeOpenAIServer) -> None:
    server.push(Reply("y" * 500_000), Status(400, body=json.dumps({"error": {"message": "nope " * 2000}})),
                Status(400, body="z" * (20 * MiB)))
    lm = OpenAICompatibleLM("m", base_url=server.base_url, max_response_bytes=MiB)
    assert len((await lm.complete(HELLO)).text) == 500_000
    with pytest.raises(LMRequestError, match="HTTP 400: nope"):
        await lm.complete(HELLO)
    with pytest.raises(LMRequestError, match="HTTP 400: zzz") as info:  # only its head is read
        await lm.complete(HELLO)
    assert info.value.body is not None and len(info.value.body) < 3000
    await lm.aclose()


@pytest.mark.parametrize("kind", ["openai", "anthropic"])
async def test_lone_surrogates_are_sent_as_replacement_characters(server: FakeOpenAIServer, kind: str) -> None:
    text = "a\ud800b\udcffc\ud83d\ude00"  # two lone surrogates and a split pair
    messages: list[Message] = [{"role": "user", "content": text}]
    lm = (OpenAICompatibleLM("m", base_url=server.base_url) if kind == "openai"
          else AnthropicLM("m", base_url=server.root_url, api_key="k"))
    assert (await lm.complete(messages)).text == "fake reply"
    await lm.aclose()
    assert server.requests[0].json["messages"][0]["content"] == "a\ufffdb\ufffdc\U0001f600"
