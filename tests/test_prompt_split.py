"""The prompt is the context: one rule (recursor.prompt_split) for the API, the CLI, the server
and child runs. The root model's prompt holds a bounded slice of what was sent, whatever its size."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM, Limits
from recursor.errors import UserError
from recursor.lm.base import Message
from recursor.prompt_split import (
    HEAD_CHARS,
    SHORT_CHARS,
    TAIL_CHARS,
    request_text,
    split_conversation,
    split_prompt,
)
from recursor.replay import replay_trace

ROOT_BOUND = 20_000
"""No root request may hold more characters than this, whatever the client sent."""

PARAGRAPH = "The grass is green. The sky is blue. The river runs to the sea, slowly.\n\n"
DOC = PARAGRAPH * (600_000 // len(PARAGRAPH))


def prints_len_then_answers(messages: Sequence[Message]) -> str:
    """A root that looks (prints len(context)) and answers with what it saw."""
    if len(messages) <= 2:
        return "```repl\nprint(len(context))\n```"
    numbers = re.findall(r"\d+", messages[-1]["content"])
    return f"FINAL({numbers[-1]})"


def root_chars(root: FakeScriptedLM) -> list[int]:
    return [sum(len(m["content"]) for m in call.messages) for call in root.calls]


# -- the rule --------------------------------------------------------------------------------------

def test_short_prompt_is_question_and_context() -> None:
    assert split_prompt("What is 2+2?", None) == ("What is 2+2?", "What is 2+2?")
    exact = "x" * SHORT_CHARS
    assert split_prompt(exact, None) == (exact, exact)


def test_long_prompt_shows_its_beginning_and_end_cut_at_boundaries() -> None:
    prompt = "Summarise the report below.\n\n" + DOC + "Who signed it, and when?"
    question, context = split_prompt(prompt, None)
    assert context == prompt  # whole, not a copy cut anywhere
    assert len(question) <= SHORT_CHARS
    assert question.startswith(f"[This request is {len(prompt):,} characters long")
    assert "the full text is the context" in question
    assert "Summarise the report below." in question and question.endswith("Who signed it, and when?")
    head, _, tail = question.partition("\n[... ")
    tail = tail.partition("characters not shown ...]\n")[2]
    # Cuts fall on paragraph boundaries: the tail starts with a whole paragraph.
    assert tail.startswith("The grass is green.") and len(tail) <= TAIL_CHARS
    assert head.rstrip().endswith("slowly.")


def test_no_boundary_means_a_hard_cut_still_bounded() -> None:
    blob = "x" * 1_000_000
    question, context = split_prompt(blob, None)
    assert context is blob
    assert len(question) <= SHORT_CHARS
    head, _, rest = question.partition("]\n")[2].partition("\n[... ")
    assert (head, rest.partition("]\n")[2]) == ("x" * HEAD_CHARS, "x" * TAIL_CHARS)


def test_with_a_context_the_prompt_is_only_the_question_cut_the_same_way() -> None:
    assert split_prompt("q?", {"a": "b"}) == ("q?", {"a": "b"})
    question, context = split_prompt("Please " + DOC + " answer?", "ctx")
    assert context == "ctx" and len(question) <= SHORT_CHARS
    assert "the rest is not available" in question and question.endswith("answer?")


def test_excerpt_is_idempotent() -> None:
    once = request_text(DOC + "q?")
    assert request_text(once) == once
    question, _ = split_conversation([("system", "s"), ("user", DOC)])
    assert request_text(question) == question  # RLM.acomplete bounds the server's question again


def test_question_must_be_str() -> None:
    with pytest.raises(UserError, match="question must be a str"):
        split_prompt(b"bytes", None)  # type: ignore[arg-type]


# -- conversations ---------------------------------------------------------------------------------

def test_lone_user_message_is_the_context_itself() -> None:
    question, context = split_conversation([("user", DOC + "Who?")])
    assert context == DOC + "Who?" and question.endswith("Who?") and len(question) <= SHORT_CHARS


def test_conversation_keeps_every_message_in_order_with_roles() -> None:
    msgs = [("system", "Answer in French."), ("user", "Here is the doc:\n" + DOC), ("assistant", "Merci."),
            ("user", "Who signed it?"), ("assistant", "")]
    question, context = split_conversation(msgs)
    headers = re.findall(r"^=== message (\d+) of 5: (\w+) ===$", context, re.M)
    assert headers == [("1", "system"), ("2", "user"), ("3", "assistant"), ("4", "user"), ("5", "assistant")]
    assert "Answer in French." in context and DOC in context
    assert question.startswith("Who signed it?\n\n[The whole conversation is the context: 5 messages")
    assert "message 4, the last user message" in question
    assert "Answer in French" not in question


@pytest.mark.parametrize("msgs", [
    [("system", DOC), ("user", "q?")],                                   # a huge system message
    [("user", "doc"), ("assistant", DOC), ("user", "q?")],               # a huge assistant message
    [("user", DOC), ("user", DOC + "q?")],                               # a huge request, twice
    [("user" if i % 2 else "assistant", "m" * 3000) for i in range(1, 2001)],  # many messages
    [("system", DOC), ("developer", DOC), ("tool", DOC), ("function", DOC), ("user", DOC), ("assistant", DOC)],
])
def test_question_is_bounded_for_hostile_conversations(msgs: list[tuple[str, str]]) -> None:
    question, context = split_conversation(msgs)
    assert len(question) <= SHORT_CHARS
    assert sum(len(t) for _, t in msgs) <= len(context)


def test_no_user_message_is_refused() -> None:
    with pytest.raises(ValueError, match="no user message"):
        split_conversation([("system", "s"), ("assistant", "a")])


# -- the Python API, end to end (real worker) ------------------------------------------------------

def test_api_prompt_with_no_context_is_the_context() -> None:
    root = FakeScriptedLM(default=prints_len_then_answers, model="fake-root")
    prompt = DOC + "How long is this?"
    result = RLM(root, trace_dir=False, mode="rlm").complete(prompt)
    assert result.answer == str(len(prompt)) and result.stopped_by == "final"
    assert max(root_chars(root)) < ROOT_BOUND
    assert "How long is this?" in root.calls[0].messages[1]["content"]


def test_api_short_prompt_is_its_own_context() -> None:
    root = FakeScriptedLM(["```repl\nprint(context == 'What is 2+2?')\n```",
                           lambda m: f"FINAL({m[-1]['content'].splitlines()[-1]})"], model="fake-root")
    result = RLM(root, trace_dir=False, mode="rlm").complete("What is 2+2?")
    assert result.answer == "True"
    assert "Question: What is 2+2?" in root.calls[0].messages[1]["content"]


def test_child_run_without_context_uses_the_same_rule() -> None:
    root = FakeScriptedLM([
        "```repl\nbig = 'Find the number. ' + 'filler text. ' * 50000 + 'Answer briefly.'\n"
        "print(rlm_query(big))\n```",
        lambda m: f"FINAL({m[-1]['content'].splitlines()[-1]})",
    ], model="fake-root")
    child = FakeScriptedLM(default=prints_len_then_answers, model="child")
    rlm = RLM(root, sub_model=child, limits=Limits(max_depth=2), trace_dir=False, mode="rlm")
    result = rlm.complete("q", "ctx")
    assert result.answer == str(len("Find the number. ") + len("filler text. ") * 50000 + len("Answer briefly."))
    first = child.calls[0].messages[1]["content"]
    assert "Find the number." in first and "Answer briefly." in first
    assert max(root_chars(child)) < ROOT_BOUND


def test_direct_answer_sends_a_short_prompt_once() -> None:
    root = FakeScriptedLM(["4"], model="fake-root")
    result = RLM(root, trace_dir=False, mode="direct").complete("What is 2+2?")
    assert result.answer == "4" and result.mode == "direct"
    assert root.calls[0].messages[1]["content"] == "What is 2+2?"


def test_a_prompt_as_context_run_replays_from_its_trace(tmp_path: Path) -> None:
    root = FakeScriptedLM(default=prints_len_then_answers, model="fake-root")
    prompt = DOC + "How long is this?"
    result = RLM(root, trace_dir=tmp_path, mode="rlm").complete(prompt)
    assert result.trace_path is not None
    replayed = replay_trace(result.trace_path, trace_dir=False)
    assert replayed.result.answer == result.answer == str(len(prompt))
    assert replayed.mismatches == 0
