"""`recursor serve` with `session_id`: a conversation is a session (official openai SDK as client)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM
from recursor.lm.base import Message
from serving import uvicorn_serving

pytest.importorskip("starlette")
uvicorn = pytest.importorskip("uvicorn")
openai = pytest.importorskip("openai")

from recursor.serve import create_app  # noqa: E402
from recursor.serve.app import parse_chat_request  # noqa: E402


def run_code_in_question(messages: Sequence[Message]) -> str:
    """The question is code to run; the answer is the first line it printed."""
    if len(messages) <= 2:
        question = messages[1]["content"].split("Question: ", 1)[1].split("\n\nYou have not looked")[0]
        return f"```repl\n{question}\n```"
    return f"FINAL({messages[-1]['content'].splitlines()[1]})"


@contextmanager
def serving(rlm: RLM, **options: Any) -> Iterator[tuple[str, Any]]:
    app = create_app(rlm, **options)
    with uvicorn_serving(app, lifespan="on") as url:  # the lifespan closes the sessions
        yield url, app.state.sessions


def ask(sdk: Any, code: str, session_id: str, **extra: Any) -> str:
    resp = sdk.chat.completions.create(model="recursor", messages=[{"role": "user", "content": code}],
                                       extra_body={"session_id": session_id, **extra})
    return str(resp.choices[0].message.content)


def make_rlm(tmp_path: Path | None = None) -> RLM:
    return RLM(FakeScriptedLM(default=run_code_in_question, model="fake-root"), trace_dir=tmp_path or False)


def test_requests_with_one_session_id_share_the_repl(tmp_path: Path) -> None:
    with serving(make_rlm(tmp_path)) as (url, pool):
        sdk = openai.OpenAI(base_url=url, api_key="unused", max_retries=0, timeout=60)
        assert ask(sdk, "x = 41\nprint('set')", "conv-1", context="the document") == "set"
        assert ask(sdk, "print(x + 1, context, len(history))", "conv-1") == "42 the document 1"
        assert ask(sdk, "print(context_1)", "conv-1", context="second doc") == "second doc"
        # Another id is another session: x does not exist there.
        assert ask(sdk, "print('x' in globals())", "conv-2") == "False"
        assert list(pool.live) == ["conv-1", "conv-2"]
    traces = list(tmp_path.glob("*.jsonl"))
    assert len(traces) == 2  # one trace per session


def test_the_lru_cap_closes_the_least_recently_used_session() -> None:
    with serving(make_rlm(), max_sessions=2) as (url, pool):
        sdk = openai.OpenAI(base_url=url, api_key="unused", max_retries=0, timeout=60)
        ask(sdk, "a = 1\nprint(a)", "one")
        ask(sdk, "b = 2\nprint(b)", "two")
        first = pool.live["one"]
        worker = first._repl.repl
        ask(sdk, "print(a)", "one")  # "one" is now the most recently used
        ask(sdk, "c = 3\nprint(c)", "three")  # evicts "two"
        assert list(pool.live) == ["one", "three"]
        assert ask(sdk, "print('b' in globals())", "two") == "False"  # a new session; evicts "one"
        deadline = time.monotonic() + 10
        while not (first.closed and worker._proc.returncode is not None):
            assert time.monotonic() < deadline, "the evicted session's worker was not closed"
            time.sleep(0.05)
        assert list(pool.live) == ["three", "two"]


def test_a_busy_session_answers_409_and_the_sdk_retries() -> None:
    slow = FakeScriptedLM(default=run_code_in_question, model="fake-root", delay=0.3)
    with serving(RLM(slow, trace_dir=False)) as (url, _):
        raw = openai.OpenAI(base_url=url, api_key="unused", max_retries=0, timeout=60)
        results: list[Any] = []
        thread = threading.Thread(target=lambda: results.append(ask(raw, "print('first')", "s")))
        thread.start()
        time.sleep(0.15)
        with pytest.raises(openai.ConflictError) as info:
            ask(raw, "print('second')", "s")
        assert info.value.response.headers["retry-after"] == "1"
        # The SDK's own retry policy retries 409 until the session is free.
        patient = openai.OpenAI(base_url=url, api_key="unused", max_retries=5, timeout=60)
        assert ask(patient, "print('third')", "s") == "third"
        thread.join(10)
    assert results == ["first"]


def test_session_id_parsing() -> None:
    req = parse_chat_request({"messages": [{"role": "system", "content": "be brief"},
                                           {"role": "user", "content": "hi"}], "session_id": "abc-1"}, "recursor")
    assert (req.question, req.context, req.session_id) == ("hi", None, "abc-1")
    req = parse_chat_request({"messages": [{"role": "user", "content": "q"}], "context": ["a", "b"],
                              "session_id": "abc-1"}, "recursor")
    assert req.context == ["a", "b"]
    for bad in ("", "x" * 129, "a b", 7):
        with pytest.raises(Exception, match="session_id"):
            parse_chat_request({"messages": [{"role": "user", "content": "q"}], "session_id": bad}, "recursor")
