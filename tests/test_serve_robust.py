"""`recursor serve` against hostile text and vanishing clients, on a real uvicorn server."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from fakes.openai_server import FakeOpenAIServer
from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM, Limits
from recursor.lm.base import Message
from recursor.lm.openai_compat import OpenAICompatibleLM
from serving import uvicorn_serving

pytest.importorskip("starlette")
uvicorn = pytest.importorskip("uvicorn")

from recursor.serve import create_app  # noqa: E402

SURROGATES = "```repl\nprint('x\\ud800y')\nFINAL('got x\\ud800y \\udcff')\n```"


@contextmanager
def serving(rlm: RLM, **options: Any) -> Iterator[str]:
    with uvicorn_serving(create_app(rlm, **options)) as url:
        yield url


def children() -> set[int]:
    """Live child processes of this process (the REPL workers, or bwrap around them)."""
    out: set[int] = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and fields[0] != "Z":
            out.add(int(entry))
    return out


# -- any string -------------------------------------------------------------------------------------
@pytest.mark.parametrize("stream", [False, True])
def test_surrogates_in_the_answer_get_200(tmp_path: Any, stream: bool) -> None:
    """The run prints and answers lone surrogates, with the trace on: 200, U+FFFD in the reply."""
    with FakeOpenAIServer(responder=lambda req: SURROGATES) as model:
        lm = OpenAICompatibleLM("m", base_url=model.base_url, api_key_env=None)
        with serving(RLM(lm, trace_dir=tmp_path)) as url:
            # ASCII JSON, as most clients send it: the question holds an escaped lone surrogate.
            body = json.dumps({"messages": [{"role": "user", "content": "q \ud800"}], "stream": stream})
            r = httpx.post(f"{url}/chat/completions", timeout=60, content=body,
                           headers={"Content-Type": "application/json"})
    assert r.status_code == 200, r.text
    if stream:
        datas = [line[6:] for line in r.text.splitlines() if line.startswith("data: ") and line != "data: [DONE]"]
        answer = "".join(json.loads(d)["choices"][0]["delta"].get("content") or "" for d in datas)
    else:
        answer = r.json()["choices"][0]["message"]["content"]
    assert answer == "got x\ufffdy \ufffd"
    assert "\\ud800" not in r.text


# -- clients that go away ---------------------------------------------------------------------------
def slow_or_fast(messages: Sequence[Message]) -> str:
    """'slow' questions never end (a new cell every turn); others look once, then answer."""
    if "slow" in messages[1]["content"] or len(messages) <= 2:
        return f"```repl\nprint(len(context) + {len(messages)})\n```"
    return "FINAL(fast done)"


@pytest.mark.parametrize("stream", [False, True])
def test_disconnected_client_cancels_its_run_and_frees_the_slot(stream: bool) -> None:
    root = FakeScriptedLM(default=slow_or_fast, delay=0.2, model="fake-root")
    rlm = RLM(root, trace_dir=False, limits=Limits(max_iterations=200))
    before = children()
    with serving(rlm, max_concurrent_runs=1, heartbeat=0.2) as url:
        body = {"messages": [{"role": "user", "content": "slow please"}], "stream": stream}
        if stream:  # read a few progress comments, then hang up
            with httpx.stream("POST", f"{url}/chat/completions", json=body, timeout=30) as r:
                seen = 0
                for line in r.iter_lines():
                    seen += line.startswith(": ")
                    if seen >= 6:
                        break
        else:
            with pytest.raises(httpx.ReadTimeout):
                httpx.post(f"{url}/chat/completions", json=body, timeout=1.5)
        assert len(root.calls) >= 2  # the run was working when the client left
        time.sleep(1.0)
        calls = len(root.calls)
        time.sleep(1.5)
        assert len(root.calls) == calls, "the model was still being called after the client left"
        r = httpx.post(f"{url}/chat/completions", timeout=30,
                       json={"messages": [{"role": "user", "content": "fast"}]})
        assert r.status_code == 200, r.text  # not 429: the slot is free
        assert r.json()["choices"][0]["message"]["content"] == "fast done"
        deadline = time.monotonic() + 10
        while children() - before and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not children() - before, "a worker process was left behind"
