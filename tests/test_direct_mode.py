"""mode="direct" and mode="auto": one call holding the whole context when that is the better way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM, Limits, UserError
from recursor.direct import choose_mode, context_tokens
from recursor.profiles import ModelProfile, profile_of
from recursor.replay import replay_trace


def test_direct_mode_asks_once_with_the_whole_context(tmp_path: Path) -> None:
    lm = FakeScriptedLM(["FINAL(blue)"], model="some-model")
    result = RLM(lm, mode="direct", trace_dir=tmp_path).complete("What colour is the sky?", "The sky is blue.")
    assert (result.answer, result.stopped_by, result.mode, result.iterations) == ("blue", "final", "direct", 1)
    assert len(lm.calls) == 1
    sent = lm.calls[0].messages
    assert "The sky is blue." in sent[-1]["content"] and "What colour is the sky?" in sent[-1]["content"]
    events = [json.loads(line) for line in Path(str(result.trace_path)).read_text().splitlines()]
    assert events[0]["event"] == "run_start" and events[0]["mode"] == "direct"
    assert [e["event"] for e in events].count("lm_call") == 1
    # The trace replays without a model.
    replayed = replay_trace(Path(str(result.trace_path)), trace_dir=tmp_path / "replay")
    assert (replayed.result.answer, replayed.result.mode, replayed.live) == ("blue", "direct", 0)


def test_auto_answers_directly_only_when_the_profile_says_it_pays() -> None:
    api = FakeScriptedLM(default="a short answer", model="gpt-5")
    small_ctx = "a line of text\n" * 100
    assert RLM(api, trace_dir=False).complete("q", small_ctx).mode == "direct"
    big_ctx = "a line of text\n" * 20_000  # ~75K tokens: past the 16K crossover
    assert choose_mode("auto", profile_of(api), big_ctx) == "rlm"
    unknown = FakeScriptedLM(["```repl\nprint(len(context))\n```", "FINAL(done)"], model="some-model")
    result = RLM(unknown, trace_dir=False).complete("q", small_ctx)
    assert (result.mode, result.answer) == ("rlm", "done")  # an unknown model never goes direct


def test_the_embedded_model_goes_direct_only_on_small_contexts() -> None:
    from recursor.lm.local import LocalLM

    local = LocalLM.__new__(LocalLM)
    local.model, local.n_ctx = "qwen2.5-coder-1.5b", 16384
    profile = profile_of(local)
    assert profile == ModelProfile(window_tokens=16384, direct_max_tokens=4096)
    assert choose_mode("auto", profile, "a short note " * 100) == "direct"  # ~325 tokens
    assert choose_mode("auto", profile, "a longer text " * 2000) == "rlm"  # ~7,000 tokens


def test_direct_calls_obey_the_limits() -> None:
    lm = FakeScriptedLM(default="x", model="some-model")
    result = RLM(lm, mode="direct", limits=Limits(max_tokens=100), trace_dir=False).complete("q", "word " * 1000)
    assert (result.stopped_by, result.answer) == ("max_tokens", "")
    assert lm.calls == []


def test_mode_is_checked() -> None:
    with pytest.raises(UserError, match="mode must be"):
        RLM(FakeScriptedLM(), mode="fast", trace_dir=False)  # type: ignore[arg-type]
    assert context_tokens({"a": "word " * 400}) >= 400  # a dict context counts its values


def test_tokens_are_counted_as_a_tokenizer_spends_them_not_by_characters() -> None:
    # A table of codes and numbers: 12,800 characters, ~5,000 tokens for Qwen2.5 (each digit
    # and mark is one). Read as characters / 4 it looked like 3,200 and went direct, and the
    # 1.5B took 110 s over a file like it.
    table = "".join(f"svc-{i:04d}\t{10000 + i}/tcp\t# service {i}\n" for i in range(400))
    assert len(table) // 4 < 4096 < context_tokens(table)
    profile = ModelProfile(window_tokens=16384, direct_max_tokens=4096)
    assert choose_mode("auto", profile, table) == "rlm"
    # Prose keeps about four characters a token.
    prose = "The quick brown fox jumps over the lazy dog near the river bank. " * 200
    assert 0.8 < context_tokens(prose) / (len(prose) / 4) < 1.3
    # A text past what is counted one by one is scaled from its start, in proportion.
    long = table * 300
    assert abs(context_tokens(long) - 300 * context_tokens(table)) < 0.01 * 300 * context_tokens(table)


def test_counting_tokens_stays_linear_on_long_runs_of_spaces() -> None:
    # A run of spaces no line break ends was retried at each of its places: 6.4 s for 64K
    # spaces, hours for this one. Linear, it is a blink.
    assert context_tokens("x" + " " * 1_000_000 + "y") <= 5


def test_auto_runs_the_rlm_on_a_small_context_when_the_look_computes_the_answer() -> None:
    # A small model's direct read of a 40-row table counts by eye; the look counts with code
    # and offers it on the first turn, so auto takes the RLM there.
    rows = "".join(f"{i},{'red' if i % 3 else 'blue'},{i % 7}\n" for i in range(40))
    table = "id,colour,size\n" + rows
    lm = FakeScriptedLM(["FINAL(red)"], model="qwen2.5-coder-1.5b")
    lm.small_model, lm.n_ctx = True, 16384  # type: ignore[attr-defined]
    assert choose_mode("auto", profile_of(lm), table) == "direct"  # it fits
    result = RLM(lm, trace_dir=False).complete("Which colour has the most rows?", table)
    assert (result.mode, result.answer) == ("rlm", "red")
    assert "count_by(table(), 'colour')" in lm.calls[0].messages[-1]["content"]
    # A question the look computes nothing for is still read directly.
    plain = FakeScriptedLM(["FINAL(3)"], model="qwen2.5-coder-1.5b")
    plain.small_model, plain.n_ctx = True, 16384  # type: ignore[attr-defined]
    assert RLM(plain, trace_dir=False).complete("What is the size of row 3?", table).mode == "direct"


def test_a_small_models_direct_read_sees_the_passage_again_beside_the_question() -> None:
    # Read directly, the passage about the question (a paragraph up the prompt) is shown again
    # just before the question, where a small model reads; a plain direct call is unchanged.
    paragraphs = [f"Setting{i}=\n    Controls part {i} of the frob daemon. Takes a number.\n    Defaults to {i * 7}."
                  for i in range(12)]
    paragraphs[5] = ("RetryDelay=\n    How long to wait before a failed peer\n    is tried again by the retry timer."
                     "\n    Defaults to 30s.")
    doc = "\n\n".join(paragraphs)
    question = "How long does a failed peer wait before the retry, out of the box?"
    lm = FakeScriptedLM(["30s"], model="qwen2.5-coder-1.5b")
    lm.small_model, lm.n_ctx = True, 16384  # type: ignore[attr-defined]
    result = RLM(lm, trace_dir=False).complete(question, doc)
    assert (result.mode, result.answer) == ("direct", "30s")
    sent = lm.calls[0].messages[-1]["content"]
    again = sent.split("From the document, the lines holding most of the question's words:", 1)
    assert len(again) == 2 and "Defaults to 30s." in again[1] and "Setting4" not in again[1]
    assert again[1].rstrip().endswith(f"Question: {question}")
    plain = FakeScriptedLM(["30s"], model="some-model")
    RLM(plain, mode="direct", trace_dir=False).complete(question, doc)
    assert "From the document" not in plain.calls[0].messages[-1]["content"]
