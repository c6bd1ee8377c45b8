"""Choice requests: `llm_query(..., choices=[...])` from model code to the LM and back."""

from __future__ import annotations

import asyncio
import json
import math
from collections.abc import Sequence
from pathlib import Path

import pytest

from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM, Message
from recursor.errors import RateLimitError, UserError
from recursor.lm.base import LM, LMResponse, choice_request_hash, request_hash
from recursor.lm.cache import CachingLM
from recursor.lm.choice import (
    check_choices,
    choice_prompt,
    content_free_prompts,
    match_choice,
)
from recursor.lm.retry import RetryingLM, RetryPolicy
from recursor.lm.scoring import END, calibrated_pick, option_logprobs
from recursor.replay import replay_trace

LABELS = ["abbreviation", "entity", "description and abstract concept", "human being", "location"]


# -- matching a free-text reply ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("location", "location"),
        ("  Location.", "location"),
        ('"human being"', "human being"),
        ("Label: entity", "entity"),
        ("The answer is location", "location"),
        ("human", "human being"),  # the start of exactly one option
        ("description", "description and abstract concept"),
        ("I think this is a location.", "location"),
        ("locaton", "location"),  # a close spelling
        ("date", None),  # names none
        ("entity or location", None),  # names two: not a choice
        ("", None),
    ],
)
def test_match_choice(reply: str, expected: str | None) -> None:
    assert match_choice(reply, LABELS) == expected


def test_match_choice_prefers_the_longer_of_nested_options() -> None:
    assert match_choice("It is a human being.", ["human", "human being"]) == "human being"
    assert match_choice("human", ["human", "human being"]) == "human"


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ("a, b", "list of strings"),
        (["only"], "at least 2"),
        (["a", "a"], "repeat"),
        (["a", ""], "empty"),
        (["a", 3], "strings"),
        ([str(i) for i in range(100)], "limit"),
    ],
)
def test_bad_choices_are_a_clear_error(choices: object, message: str) -> None:
    with pytest.raises(UserError, match=message):
        check_choices(choices)


def test_choice_prompt_lists_the_options() -> None:
    assert choice_prompt("Label it.\n", ["x", "y"]) == "Label it.\n\nAnswer with exactly one of: x; y."


def test_content_free_prompts_keep_the_batch_template() -> None:
    prompts = [f"Label the question.\n\n{q}\n\nThanks." for q in ("What is X?", "Who is Y?", "What is Z?")]
    assert content_free_prompts(prompts) == [
        "Label the question.\n\nN/A\n\nThanks.",
        "Label the question.\n\n[item]\n\nThanks.",
        "Label the question.\n\n\n\nThanks.",
    ]
    # Items that start alike ("What is") do not lend their first words to the template.
    same_start = ["Label:\nWhat is X", "Label:\nWhat is Y"]
    assert content_free_prompts(same_start)[0] == "Label:\nN/A"
    # One distinct prompt has no template: the whole prompt is the item.
    assert content_free_prompts(["a", "a"]) == ["N/A", "[item]", ""]


def test_choice_hash_differs_from_the_plain_request_and_by_options() -> None:
    messages: list[Message] = [{"role": "user", "content": "pick"}]
    plain = request_hash(messages)
    ab = choice_request_hash(messages, ["a", "b"])
    assert len({plain, ab, choice_request_hash(messages, ["b", "a"])}) == 3
    calibrated = choice_request_hash(messages, ["a", "b"], [[{"role": "user", "content": "N/A"}]])
    assert calibrated != ab


# -- scoring options with logits --------------------------------------------------------------
def logits_table(table: dict[tuple[int, ...], dict[int, float]]):
    asked: list[tuple[int, ...]] = []

    def logits_at(path: tuple[int, ...], ids: Sequence[int]) -> list[float]:
        asked.append(path)
        return [table[path].get(i, -100.0) for i in ids]

    return logits_at, asked


def test_distinct_first_tokens_need_one_lookup() -> None:
    logits_at, asked = logits_table({(): {1: 2.0, 2: 1.0, 3: 0.0}})
    lp = option_logprobs([[1, 9], [2], [3, 8, 7]], logits_at, end_token=0)
    assert asked == [()]
    assert math.isclose(sum(math.exp(x) for x in lp), 1.0)
    assert lp[0] > lp[1] > lp[2]


def test_shared_first_token_is_split_where_the_options_differ() -> None:
    # "human being" vs "human rights" share token 5; "location" is token 6.
    logits_at, asked = logits_table({(): {5: 1.0, 6: 1.0}, (5,): {7: 3.0, 8: 0.0}})
    lp = option_logprobs([[5, 7], [5, 8], [6]], logits_at, end_token=0)
    assert asked == [(), (5,)]
    assert math.isclose(math.exp(lp[2]), 0.5)
    assert math.isclose(math.exp(lp[0]) + math.exp(lp[1]), 0.5)
    assert lp[0] > lp[1]


def test_option_that_is_a_prefix_of_another_competes_with_the_end_token() -> None:
    logits_at, asked = logits_table({(): {4: 0.0, 6: -50.0}, (4,): {0: 2.0, 9: 0.0}})
    lp = option_logprobs([[4], [4, 9], [6]], logits_at, end_token=0)
    assert asked == [(), (4,)]
    assert lp[0] > lp[1] > lp[2]
    assert END == -1


def test_calibration_removes_a_label_bias() -> None:
    # The model puts 70% on option 0 whatever the item is; for this item it gives 60%.
    logprobs = [math.log(0.6), math.log(0.4)]
    assert calibrated_pick(logprobs) == 0
    priors = [[math.log(0.7), math.log(0.3)], [math.log(0.7), math.log(0.3)]]
    assert calibrated_pick(logprobs, priors) == 1
    assert calibrated_pick([0.0, 0.0]) == 0  # ties go to the earlier option


# -- through the engine -----------------------------------------------------------------------
class FakeChooserLM(LM):
    """A fake client that scores options itself (as the local model does) and records requests."""

    def __init__(self, pick: str) -> None:
        self.model = "fake-chooser"
        self.pick = pick
        self.requests: list[tuple[list[Message], list[str], list[list[Message]]]] = []

    async def complete(self, messages: Sequence[Message], *, max_tokens: int | None = None) -> LMResponse:
        return LMResponse(text="free text", model=self.model)

    async def choose(
        self, messages: Sequence[Message], choices: Sequence[str], *, calibrate: Sequence[Sequence[Message]] = (),
        max_tokens: int | None = None,
    ) -> LMResponse:
        self.requests.append(([dict(m) for m in messages], list(choices), [list(c) for c in calibrate]))  # type: ignore[misc]
        return LMResponse(text=self.pick, model=self.model)


CLASSIFY = (
    "```repl\nqs = ['What is X?', 'Who is Y?', 'What is Z?']\n"
    "labels = llm_query_batched(['Label the question.\\n\\n' + q for q in qs], "
    "choices=['entity', 'human being', 'location'])\nprint(labels)\n```"
)


def test_generating_model_reply_is_matched_to_an_option(tmp_path: Path) -> None:
    root = FakeScriptedLM([CLASSIFY, "FINAL_VAR(labels)"])
    replies = {"X": "Entity.", "Y": "It is a human", "Z": "a date"}
    sub = FakeScriptedLM(
        default=lambda m: next(v for k, v in replies.items() if f"{k}?" in m[-1]["content"]), model="sub"
    )
    result = RLM(root, sub_model=sub, trace_dir=tmp_path).complete("q", "ctx")
    # Matched where the reply names an option; a reply naming none comes back as it was.
    assert result.answer == "['entity', 'human being', 'a date']"
    asked = [c.messages[-1]["content"] for c in sub.calls]
    assert all(a.endswith("Answer with exactly one of: entity; human being; location.") for a in asked)
    assert result.trace_path is not None
    calls = [json.loads(x) for x in result.trace_path.read_text().splitlines()]
    subs = [e for e in calls if e["event"] == "lm_call" and e["role"] == "sub"]
    assert len(subs) == 3 and all(e["choices"] == ["entity", "human being", "location"] for e in subs)
    assert sorted(e["reply"] for e in subs) == ["a date", "entity", "human being"]
    # The trace replays: the recorded choice replies answer the same choice requests.
    again = replay_trace(result.trace_path)
    assert again.result.answer == result.answer
    assert again.mismatches == 0 and again.live == 0 and again.reused == 5


def test_scoring_model_gets_the_batch_template_as_calibration() -> None:
    root = FakeScriptedLM([CLASSIFY, "FINAL_VAR(labels)"])
    sub = FakeChooserLM("location")
    result = RLM(root, sub_model=sub).complete("q", "ctx")  # type: ignore[arg-type]
    assert result.answer == "['location', 'location', 'location']"
    assert len(sub.requests) == 3
    messages, choices, calibrate = sub.requests[0]
    assert choices == ["entity", "human being", "location"]
    assert [c[0]["content"] for c in calibrate] == [
        choice_prompt(f"Label the question.\n\n{x}", choices) for x in ("N/A", "[item]", "")
    ]
    assert messages[0]["content"].startswith("Label the question.\n\nWhat is X?")


def test_bad_choices_from_model_code_are_an_error_the_model_sees() -> None:
    root = FakeScriptedLM([
        "```repl\nx = llm_query('pick', choices='yes, no')\n```",
        "```repl\ny = llm_query('pick', choices=['yes'])\n```",
        "FINAL(done)",
    ])
    result = RLM(root, sub_model=FakeScriptedLM(default="yes", model="sub")).complete("q", "ctx")
    assert result.answer == "done"
    assert "list of strings" in root.calls[1].messages[-1]["content"]
    assert "at least 2" in root.calls[2].messages[-1]["content"]


# -- wrappers ---------------------------------------------------------------------------------
def test_cache_keeps_choice_replies_apart_from_plain_replies(tmp_path: Path) -> None:
    inner = FakeScriptedLM(["Location!", "free text"], model="m")
    lm = CachingLM(inner, tmp_path)
    messages: list[Message] = [{"role": "user", "content": "Where?"}]

    async def go() -> tuple[str, str, str]:
        a = await lm.choose(messages, ["entity", "location"])
        b = await lm.choose(messages, ["entity", "location"])  # from the cache
        c = await lm.complete(messages)  # the same messages, but not a choice request
        return a.text, b.text, c.text

    assert asyncio.run(go()) == ("location", "location", "free text")
    assert len(inner.calls) == 2


def test_retry_wraps_choice_requests() -> None:
    inner = FakeScriptedLM([RateLimitError("slow down", retry_after=0.0), "entity"], model="m")
    lm = RetryingLM(inner, RetryPolicy(max_attempts=3, base_delay=0.0, max_delay=0.0, jitter=0.0))
    reply = asyncio.run(lm.choose([{"role": "user", "content": "?"}], ["entity", "location"]))
    assert reply.text == "entity" and len(inner.calls) == 2
