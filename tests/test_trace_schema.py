"""The trace format: header, call keys, linkage, deltas, size on a 1M-character context, no secrets."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from fakes.openai_server import FakeOpenAIServer, Reply, Status
from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM, Limits, Message
from recursor.lm.openai_compat import OpenAICompatibleLM
from recursor.lm.retry import RetryingLM, RetryPolicy
from recursor.trace import SCHEMA_VERSION
from recursor.trace.config import describe_lm, redact_url
from recursor.trace.reader import read_events
from recursor.trace.writer import request_hash


def _child_aware(messages: Sequence[Message]) -> str:
    if messages[0]["role"] == "system":
        return "```repl\nFINAL(f'{len(context)} chars')\n```"
    return "plain:" + messages[-1]["content"][:10]


def _tree_run(tmp_path: Path) -> tuple[Any, FakeScriptedLM]:
    root = FakeScriptedLM([
        "```repl\nr = rlm_query_batched(['count a', 'count b'], contexts=['xxxx', 'yy'])\nprint(r)\n```",
        "```repl\nv = llm_query('hello')\nprint(v)\n```",
        "FINAL_VAR(r)",
    ])
    sub = FakeScriptedLM(default=_child_aware, model="sub")
    result = RLM(root, sub_model=sub, limits=Limits(max_depth=2), trace_dir=tmp_path).complete("q", "ctx")
    return result, root


def test_first_event_carries_the_header(tmp_path: Path) -> None:
    result, _ = _tree_run(tmp_path)
    events = read_events(result.trace_path)
    header = events[0]["header"]
    assert events[0]["event"] == "run_start" and events[0]["v"] == SCHEMA_VERSION
    assert header["schema"] == SCHEMA_VERSION and header["recursor_version"]
    assert header["root_model"] == {"model": "fake-model", "client": "FakeScriptedLM", "wrappers": [], "spec": None}
    assert header["limits"]["max_depth"] == 2 and header["sandbox"]["isolation"] == "auto"
    assert header["trace_id"] == result.trace_path.stem
    assert sum(1 for e in events if "header" in e) == 1


def test_sub_calls_and_child_runs_name_the_cell_that_made_them(tmp_path: Path) -> None:
    result, _ = _tree_run(tmp_path)
    events = read_events(result.trace_path)
    children = [e for e in events if e["event"] == "run_start" and e["run_id"] != "root"]
    assert [(c["run_id"], c["parent_call"], c["parent_cell"]) for c in children] == [
        ("root.1", "root", "1.1"), ("root.2", "root", "1.1")]
    subs = [e for e in events if e["event"] == "lm_call" and e["role"] == "sub"]
    assert [(s["run_id"], s["cell"], s["call_seq"]) for s in subs] == [("root", "2.1", 1)]
    starts = [(e["run_id"], e["cell"]) for e in events if e["event"] == "cell_start"]
    ends = [(e["run_id"], e["cell"]) for e in events if e["event"] == "cell"]
    assert sorted(starts) == sorted(ends) and ("root", "1.1") in starts
    # Every call has a key (run_id, role, call_seq) that is unique in the trace.
    keys = [(e["run_id"], e["role"], e["call_seq"]) for e in events if e["event"] == "lm_call"]
    assert len(keys) == len(set(keys)) == 6


def _rebuild_requests(events: list[dict[str, Any]], run_id: str) -> list[list[dict[str, Any]]]:
    """Every root request of `run_id`, rebuilt from the logged deltas as docs/trace-format.md says."""
    out: list[list[dict[str, Any]]] = []
    sent: list[dict[str, Any]] = []
    for e in events:
        if e["event"] != "lm_call" or e["run_id"] != run_id or e["role"] != "root":
            continue
        prefix = sent[: e["n_messages"] - len(e["messages"])]
        request = prefix + e["messages"]
        assert len(request) == e["n_messages"]
        assert request_hash(request) == e["request_hash"]
        out.append(request)
        sent = [*request, {"role": "assistant", "content": e["reply"]}]
    return out


def test_deltas_rebuild_every_request_exactly(tmp_path: Path) -> None:
    # max_iterations ends with an "answer now" turn, whose delta must include the last output.
    root = FakeScriptedLM(["```repl\nx = 1\nprint('one')\n```", "```repl\nprint('two')\n```", "FINAL(best)"])
    result = RLM(root, limits=Limits(max_iterations=2), trace_dir=tmp_path).complete("q", "c")
    assert result.stopped_by == "max_iterations"
    events = read_events(result.trace_path)
    rebuilt = _rebuild_requests(events, "root")
    assert rebuilt == [c.messages for c in root.calls]
    assert [len(e["messages"]) for e in events if e["event"] == "lm_call"] == [2, 1, 2]


def test_a_refused_call_leaves_a_limit_event(tmp_path: Path) -> None:
    root = FakeScriptedLM(["```repl\nprint(llm_query('a'))\n```"], default="```repl\nprint(1)\n```")
    sub = FakeScriptedLM(default="s", model="sub")
    result = RLM(root, sub_model=sub, limits=Limits(max_calls=2), trace_dir=tmp_path).complete("q", "c")
    assert result.stopped_by == "max_calls"
    limits = [e for e in read_events(result.trace_path) if e["event"] == "limit"]
    assert limits and limits[0]["limit"] == "max_calls" and limits[0]["call_seq"] == 2


def needle_context(n: int = 1_000_000) -> str:
    filler = "The grass is green. The sky is blue. "
    half = filler * (n // (2 * len(filler)))
    return half + "One of the special magic numbers for shiny-cat is: 7654321. " + half


def _dir_size(path: Path, skip: str = "") -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not (skip and p.name.startswith(skip)))


def test_a_million_characters_over_ten_iterations_stay_under_2mb(tmp_path: Path) -> None:
    ctx = needle_context()
    assert len(ctx) >= 999_000
    # Ten turns that each print 5,000 characters of the context and send a 20,000-character
    # chunk of it to a sub-model: real work, not a toy trace.
    turn = ("```repl\ni = {i}\nprint(context[i * 5000:(i + 1) * 5000])\n"
            "s = llm_query('Summarise: ' + context[i * 20000:(i + 1) * 20000])\nprint(s)\n```")
    root = FakeScriptedLM([turn.format(i=i) for i in range(9)] + ["FINAL(done)"])
    sub = FakeScriptedLM(default="a summary", model="sub")
    trace_dir = tmp_path / "t"
    result = RLM(root, sub_model=sub, trace_dir=trace_dir).complete("q", ctx)
    assert result.answer == "done" and result.iterations == 10
    assert result.trace_path is not None
    without_context = _dir_size(trace_dir, skip="context-")
    everything = _dir_size(trace_dir)
    print(f"\ntrace file {result.trace_path.stat().st_size:,} B; trace + blobs without the context "
          f"{without_context:,} B; with the context blob {everything:,} B")
    assert without_context < 2_000_000
    assert everything < len(ctx) + 2_000_000
    assert len(list(trace_dir.glob("blobs/context-*"))) == 1


def test_no_secret_reaches_the_trace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "sk-fake-SECRET-4242424242"
    monkeypatch.setenv("RECURSOR_TEST_KEY", secret)
    script = [
        Status(429, headers={"Retry-After": "0"}),  # one retry, so a retry event is written too
        Reply("```repl\nimport os\nprint(sorted(os.environ))\nprint(llm_query('hi'))\n```"),
        Reply("sub reply"),
        Reply("FINAL(done)"),
    ]
    with FakeOpenAIServer(script) as server:
        client = OpenAICompatibleLM("fake-gpt", base_url=server.base_url, api_key_env="RECURSOR_TEST_KEY")
        lm = RetryingLM(client, RetryPolicy(base_delay=0.01))
        result = RLM(lm, trace_dir=tmp_path / "t").complete("q", "c")
        assert server.requests[0].headers["authorization"] == f"Bearer {secret}"
    assert result.answer == "done"
    events = read_events(result.trace_path)
    assert [e["event"] for e in events].count("retry") == 1
    described = events[0]["header"]["root_model"]
    assert described["base_url"] == server.base_url and described["api_key_env"] == "RECURSOR_TEST_KEY"
    assert described["wrappers"] == ["RetryingLM"] and described["spec"] == "openai:fake-gpt"
    files = [p for p in (tmp_path / "t").rglob("*") if p.is_file()]
    assert len(files) >= 2
    for path in files:
        data = path.read_bytes()
        assert secret.encode() not in data and b"SECRET" not in data, path


def test_redact_url_and_describe_lm() -> None:
    assert redact_url("https://u:p@host:8443/v1?key=abc#frag") == "https://host:8443/v1"
    assert redact_url("http://127.0.0.1:11434/v1") == "http://127.0.0.1:11434/v1"
    described = describe_lm(OpenAICompatibleLM("m", base_url="https://openrouter.ai/api/v1", api_key="k"))
    assert described["spec"] == "openrouter:m" and "k" not in json.dumps(described).replace('"', " ").split()
