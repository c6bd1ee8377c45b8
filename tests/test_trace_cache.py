"""The opt-in reply cache: RLM(cache=), CachingLM, and `recursor ask --cache`."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from click.testing import CliRunner

from fakes.openai_server import FakeOpenAIServer
from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM, FunctionLM, Message
from recursor.cli import main
from recursor.lm.cache import CachingLM, ReplyCache
from recursor.trace.reader import read_events

SCRIPT = ["```repl\nprint(llm_query('what is ' + context))\n```", "FINAL(done)"]


def test_a_second_run_is_answered_from_the_cache(tmp_path: Path) -> None:
    runs = []
    for _ in range(2):
        root = FakeScriptedLM(list(SCRIPT))
        sub = FakeScriptedLM(default="forty-two", model="sub")
        result = RLM(root, sub_model=sub, cache=tmp_path / "cache", trace_dir=tmp_path / "t").complete("q", "x")
        runs.append((result, root, sub))
    (first, root1, sub1), (second, root2, sub2) = runs
    assert first.answer == second.answer == "done"
    assert len(root1.calls) == 2 and len(sub1.calls) == 1
    assert root2.calls == [] and sub2.calls == []
    calls = [e for e in read_events(second.trace_path) if e["event"] == "lm_call"]
    assert len(calls) == 3 and all(e["cached"] and e["source"] == "disk" for e in calls)
    assert second.usage.total.calls == 3 and second.usage.total.cost_usd == 0.0
    assert read_events(second.trace_path)[0]["header"]["cache"] == str(tmp_path / "cache")


def test_the_key_is_model_and_messages(tmp_path: Path) -> None:
    cache = ReplyCache(tmp_path)
    lm = CachingLM(FunctionLM(lambda m: m[-1]["content"].upper(), model="one"), cache)
    hello: list[Message] = [{"role": "user", "content": "hello"}]
    other: list[Message] = [{"role": "user", "content": "other"}]

    async def go() -> list[str]:
        return [
            (await lm.complete(hello)).text,
            (await lm.complete(hello)).text,
            (await lm.complete(other)).text,
            (await lm.with_model("another").complete(hello)).text,
        ]

    assert asyncio.run(go()) == ["HELLO", "HELLO", "OTHER", "HELLO"]
    assert (cache.hits, cache.misses) == (1, 3)
    assert len(list(tmp_path.rglob("*.json"))) == 3


def test_a_corrupt_entry_is_a_miss(tmp_path: Path) -> None:
    cache = ReplyCache(tmp_path)
    key = cache.key("m", "h")
    path = tmp_path / key[:2] / f"{key}.json"
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    assert cache.get("m", "h") is None


def test_ask_with_cache_sends_nothing_the_second_time(tmp_path: Path) -> None:
    def respond(request: dict) -> str:
        if request["messages"][0]["role"] == "system":
            turns = sum(1 for m in request["messages"] if m["role"] == "assistant")
            return SCRIPT[turns]
        return "forty-two"

    with FakeOpenAIServer(responder=respond) as server:
        args = ["ask", "q", "--model", "m", "--base-url", server.base_url, "--cache", str(tmp_path / "c"),
                "--trace-dir", str(tmp_path / "t"), "--json", "--isolation", "process"]
        first = CliRunner().invoke(main, args)
        seen = len(server.requests)
        second = CliRunner().invoke(main, args)
        assert len(server.requests) == seen == 3
    assert first.exit_code == 0 and second.exit_code == 0, second.output
    assert json.loads(second.stdout)["answer"] == "done"
