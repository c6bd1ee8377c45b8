"""`recursor serve`: a real uvicorn server on 127.0.0.1, driven by the openai SDK and raw httpx."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM, Limits, LMRequestError
from recursor.lm.base import Message
from serving import uvicorn_serving

pytest.importorskip("starlette")
uvicorn = pytest.importorskip("uvicorn")
openai = pytest.importorskip("openai")

from recursor.per_request import lowered_limits, redact  # noqa: E402
from recursor.serve import create_app  # noqa: E402
from recursor.serve.app import parse_chat_request  # noqa: E402


def echo_first_line(messages: Sequence[Message]) -> str:
    """Look at the context first, then answer with its first line: the answer depends only on
    the request's own context, so concurrent requests that mixed runs would be caught."""
    last = messages[-1]["content"]
    if len(messages) <= 2:
        return "```repl\nprint(context.splitlines()[0])\n```"
    return f"FINAL({last.split(chr(10))[1]})"


def make_rlm(**kw: Any) -> RLM:
    root = kw.pop("root", None) or FakeScriptedLM(default=echo_first_line, model="fake-root")
    return RLM(root, trace_dir=kw.pop("trace_dir", False), **kw)


@contextmanager
def serving(rlm: RLM, **options: Any) -> Iterator[str]:
    with uvicorn_serving(create_app(rlm, **options)) as url:
        yield url


def client(base_url: str, key: str = "unused") -> Any:
    return openai.OpenAI(base_url=base_url, api_key=key, max_retries=0, timeout=60)


# -- the openai SDK as a real client ---------------------------------------------------------------

def test_sdk_non_streaming_answer_usage_and_extra(tmp_path: Path) -> None:
    with serving(make_rlm(trace_dir=tmp_path / "tr")) as url:
        sdk = client(url)
        assert [m.id for m in sdk.models.list().data] == ["recursor"]
        resp = sdk.chat.completions.create(
            model="recursor", messages=[{"role": "user", "content": "What is the first line?"}],
            extra_body={"context": "alpha-42\nbeta\ngamma"},
        )
    choice = resp.choices[0]
    assert choice.message.content == "alpha-42"
    assert choice.finish_reason == "stop"
    assert resp.usage is not None and resp.usage.total_tokens == resp.usage.prompt_tokens + resp.usage.completion_tokens > 0
    extra = resp.model_extra["recursor"]  # type: ignore[index]
    assert extra["stopped_by"] == "final" and extra["iterations"] == 2
    assert extra["usage_by_model"]["fake-root"]["calls"] == 2
    assert Path(extra["trace_path"]).is_file()


def test_sdk_streaming_chunks_and_done() -> None:
    root = FakeScriptedLM(default=echo_first_line, model="fake-root", delay=0.3)
    with serving(make_rlm(root=root), heartbeat=0.1) as url:
        with httpx.stream("POST", f"{url}/chat/completions", timeout=60, json={
                "model": "recursor", "stream": True,
                "messages": [{"role": "user", "content": "first line?"}], "context": "zeta\n"}) as raw:
            lines = [line for line in raw.iter_lines() if line]
        chunks = list(client(url).chat.completions.create(
            model="recursor", stream=True, stream_options={"include_usage": True},
            messages=[{"role": "system", "content": "sys says hi"}, {"role": "user", "content": "first line?"}],
        ))
    # Raw SSE: role chunk first, progress comments while working, [DONE] last.
    assert json.loads(lines[0][len("data: "):])["choices"][0]["delta"]["role"] == "assistant"
    assert any(line.startswith(": ") for line in lines)
    assert lines[-1] == "data: [DONE]"
    # The SDK parses every chunk; the context is the conversation, each message after its header.
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "=== message 1 of 2: system ==="
    finals = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert finals == ["stop"]
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens > 0


def test_limit_gives_length_and_request_limits_only_lower() -> None:
    root = FakeScriptedLM(default="```repl\nprint(1)\n```", model="fake-root")
    with serving(make_rlm(root=root, limits=Limits(max_iterations=5))) as url:
        resp = client(url).chat.completions.create(
            model="recursor", messages=[{"role": "user", "content": "q"}],
            extra_body={"recursor_limits": {"max_iterations": 2}},
        )
    assert resp.choices[0].finish_reason == "length"
    assert resp.model_extra["recursor"]["stopped_by"] == "max_iterations"  # type: ignore[index]
    assert resp.model_extra["recursor"]["iterations"] == 2  # type: ignore[index]
    base = Limits(max_iterations=5, max_usd=1.0)
    assert lowered_limits(base, {"max_iterations": 50, "max_usd": 0.5, "timeout": 9}) == Limits(
        max_iterations=5, max_usd=0.5, timeout=9.0)
    capped = lowered_limits(Limits(max_calls=10), {"max_calls": 3.0, "max_tokens": 500.0})
    assert (capped.max_calls, capped.max_tokens) == (3, 500)
    assert isinstance(capped.max_calls, int) and isinstance(capped.max_tokens, int)
    assert lowered_limits(Limits(max_calls=2), {"max_calls": 9.0}).max_calls == 2


def test_concurrent_requests_do_not_mix_answers() -> None:
    root = FakeScriptedLM(default=echo_first_line, model="fake-root", delay=0.2)
    with serving(make_rlm(root=root), max_concurrent_runs=6) as url:
        def ask(i: int) -> str:
            r = httpx.post(f"{url}/chat/completions", timeout=60, json={
                "messages": [{"role": "user", "content": "first?"}], "context": f"item-{i}\nrest"})
            assert r.status_code == 200, r.text
            return str(r.json()["choices"][0]["message"]["content"])

        t0 = time.monotonic()
        with ThreadPoolExecutor(6) as pool:
            answers = list(pool.map(ask, range(6)))
        elapsed = time.monotonic() - t0
    assert answers == [f"item-{i}" for i in range(6)]
    assert elapsed < 6 * 2 * 0.2 + 5  # ran side by side, not one after another


def test_full_server_answers_429_with_retry_after() -> None:
    root = FakeScriptedLM(default=echo_first_line, model="fake-root", delay=0.5)
    with serving(make_rlm(root=root), max_concurrent_runs=1) as url:
        body = {"messages": [{"role": "user", "content": "q"}], "context": "a\n"}
        with ThreadPoolExecutor(1) as pool:
            first = pool.submit(httpx.post, f"{url}/chat/completions", json=body, timeout=60)
            time.sleep(0.3)
            second = httpx.post(f"{url}/chat/completions", json=body, timeout=60)
            assert first.result().status_code == 200
        third = httpx.post(f"{url}/chat/completions", json=body, timeout=60)
    assert second.status_code == 429 and second.headers["retry-after"] == "1"
    assert second.json()["error"]["type"] == "rate_limit_error"
    assert third.status_code == 200  # the slot was given back


# -- errors, in OpenAI's shape ---------------------------------------------------------------------

def _error(resp: httpx.Response, status: int) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    err = resp.json()["error"]
    assert set(err) == {"message", "type", "code"} and err["message"]
    assert "Traceback" not in resp.text
    return dict(err)


@pytest.mark.parametrize(("body", "code"), [
    (b"{not json", "invalid_json"),
    (b"\xff\xfe\x00garbage", "invalid_json"),
    (b"[" * 100_000 + b"]" * 100_000, "invalid_json"),
    (b"[1, 2]", "invalid_type"),
    (b"{}", "missing_messages"),
    (b'{"messages": []}', "missing_messages"),
    (b'{"messages": "hi"}', "invalid_type"),
    (b'{"messages": [{"role": "system", "content": "s"}]}', "no_user_message"),
    (b'{"messages": [{"role": "user", "content": "  "}]}', "empty_question"),
    (b'{"messages": [{"role": "wizard", "content": "x"}]}', "invalid_type"),
    (b'{"messages": [{"role": "user", "content": 5}]}', "invalid_type"),
    (b'{"messages": [{"role": "user", "content": [{"type": "image_url"}]}]}', "invalid_value"),
    (b'{"messages": [{"role": "user", "content": "q"}], "context": 7}', "invalid_type"),
    (b'{"messages": [{"role": "user", "content": "q"}], "context": {"a": 1}}', "invalid_type"),
    (b'{"messages": [{"role": "user", "content": "q"}], "stream": "yes"}', "invalid_type"),
    (b'{"messages": [{"role": "user", "content": "q"}], "recursor_limits": {"max_usd": -1}}', "invalid_type"),
    (b'{"messages": [{"role": "user", "content": "q"}], "recursor_limits": {"max_iterations": true}}', "invalid_type"),
    (b'{"messages": [{"role": "user", "content": "q"}], "recursor_limits": {"max_depth": 9}}', "invalid_value"),
    (b'{"messages": [{"role": "user", "content": "q"}], "model": 3}', "invalid_type"),
])
def test_bad_requests_are_400(body: bytes, code: str) -> None:
    with serving(make_rlm()) as url:
        resp = httpx.post(f"{url}/chat/completions", content=body,
                          headers={"Content-Type": "application/json"}, timeout=30)
        assert _error(resp, 400)["code"] == code
        # ... and the server is still fine afterwards.
        assert httpx.get(f"{url}/models", timeout=10).status_code == 200


def test_unknown_model_is_404_and_unknown_route_is_openai_shaped() -> None:
    with serving(make_rlm(), model_id="my-rlm") as url:
        resp = httpx.post(f"{url}/chat/completions", timeout=30,
                          json={"model": "gpt-4o", "messages": [{"role": "user", "content": "q"}]})
        assert _error(resp, 404)["code"] == "model_not_found"
        _error(httpx.get(f"{url}/nope", timeout=10), 404)
        _error(httpx.get(f"{url}/chat/completions", timeout=10), 405)
        with pytest.raises(openai.NotFoundError):
            client(url).chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "q"}])


def test_oversized_body_is_413() -> None:
    with serving(make_rlm(), max_body_bytes=2048) as url:
        big = {"messages": [{"role": "user", "content": "q"}], "context": "x" * 10_000}
        _error(httpx.post(f"{url}/chat/completions", json=big, timeout=30), 413)

        def chunked() -> Iterator[bytes]:  # no Content-Length: the cap applies while reading
            yield json.dumps(big).encode()

        _error(httpx.post(f"{url}/chat/completions", content=chunked(), timeout=30), 413)
        ok = {"messages": [{"role": "user", "content": "q"}], "context": "fine\n"}
        assert httpx.post(f"{url}/chat/completions", json=ok, timeout=60).status_code == 200


def test_bearer_auth() -> None:
    body = {"messages": [{"role": "user", "content": "q"}], "context": "k\n"}
    with serving(make_rlm(), api_key="s3cret-key") as url:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret-key"},
                        {"Authorization": "Bearer s3cret-këy".encode()}):
            resp = httpx.post(f"{url}/chat/completions", json=body, headers=headers, timeout=30)
            assert _error(resp, 401)["code"] == "invalid_api_key"
        _error(httpx.get(f"{url}/models", timeout=10), 401)
        with pytest.raises(openai.AuthenticationError):
            client(url, "wrong").models.list()
        resp2 = client(url, "s3cret-key").chat.completions.create(
            model="recursor", messages=[{"role": "user", "content": "q"}], extra_body={"context": "k\n"})
    assert resp2.choices[0].message.content == "k"


def test_model_service_failure_is_502_without_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UPSTREAM_API_KEY", "sk-live-abcdef123456")
    root = FakeScriptedLM(default=LMRequestError("401 from upstream: key sk-live-abcdef123456 rejected"),
                          model="fake-root")
    with serving(make_rlm(root=root)) as url:
        body = {"messages": [{"role": "user", "content": "q"}]}
        resp = httpx.post(f"{url}/chat/completions", json=body, timeout=30)
        err = _error(resp, 502)
        with httpx.stream("POST", f"{url}/chat/completions", json={**body, "stream": True}, timeout=30) as raw:
            lines = [line for line in raw.iter_lines() if line.startswith("data: ")]
        with pytest.raises(openai.APIError):
            list(client(url).chat.completions.create(model="recursor", stream=True, messages=body["messages"]))
    assert err["code"] == "lm_error" and "failed" in err["message"]
    assert "abcdef123456" not in resp.text
    assert json.loads(lines[-2][len("data: "):])["error"]["code"] == "lm_error"
    assert lines[-1] == "data: [DONE]" and "abcdef123456" not in "".join(lines)


def test_mapping_of_messages_to_question_and_context() -> None:
    req = parse_chat_request({"model": "recursor", "messages": [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": "first question"},
        {"role": "assistant", "content": None},
        {"role": "user", "content": [{"type": "text", "text": "the"}, {"type": "text", "text": "question"}]},
    ], "max_tokens": 10}, "recursor")
    assert req.question.startswith("the\nquestion\n\n[The whole conversation is the context: 4 messages")
    assert req.context == ("=== message 1 of 4: system ===\nbe brief\n\n=== message 2 of 4: user ===\n"
                           "first question\n\n=== message 3 of 4: assistant ===\n\n\n"
                           "=== message 4 of 4: user ===\nthe\nquestion")
    lone = parse_chat_request({"messages": [{"role": "user", "content": "just this"}]}, "x")
    assert (lone.question, lone.context) == ("just this", "just this")
    given = parse_chat_request({"messages": [{"role": "user", "content": "q"}], "context": ["a", "b"]}, "x")
    assert (given.question, given.context) == ("q", ["a", "b"])
    long_q = parse_chat_request({"messages": [{"role": "user", "content": "Q " * 50_000}], "context": "c"}, "x")
    assert len(long_q.question) <= 4_000 and long_q.context == "c"
    assert redact("Bearer abcdefgh123 and sk-proj-ZZZZZZZZ") == "Bearer [redacted] and sk-[redacted]"
