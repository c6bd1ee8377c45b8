"""A sub-model picks which kind of a window's lines a count asks for (`LookReads.read_event`)."""

from __future__ import annotations

import re

from tests.fakes.scripted_lm import FakeScriptedLM
from tests.test_look_times import _LOANS, _library_log, _opened_in_window

from recursor import RLM, Limits
from recursor.look_reads import _picked
from recursor.prompts import Prompts
from recursor.prompts_small import SmallModelPrompts


def _pick_opened(messages: list[dict[str, str]]) -> str:
    """A sub-model that picks the kind whose line says a loan was opened."""
    listed = re.findall(r"^(\d+)\. (.*)$", messages[-1]["content"], re.MULTILINE)
    return next(n for n, line in listed if " opened: " in line)


def test_the_kind_a_sub_model_picks_is_counted_and_offered_in_the_first_message() -> None:
    text = _library_log()
    gold = _opened_in_window(text)
    sub = FakeScriptedLM(default=_pick_opened)
    root = FakeScriptedLM([f"FINAL({gold})"])
    result = RLM(root, sub_model=sub, prompts=SmallModelPrompts(), limits=Limits(max_iterations=4),
                 trace_dir=False).complete(_LOANS, text)
    assert result.answer == str(gold)
    picks = [c for c in sub.calls if "one line of each" in c.messages[0]["content"]]
    assert len(picks) == 1
    # The kinds are shown without their counts: the pick is by what a line says.
    assert f"{gold} " not in picks[0].messages[0]["content"].split("one line of each:")[1]
    first = root.calls[0].messages[-1]["content"]
    assert f"FINAL({gold})" in first and "a sub-model read the" in first


def test_a_reply_that_names_no_kind_or_a_count_offers_nothing() -> None:
    text = _library_log()
    gold = _opened_in_window(text)
    for reply in ("NONE", str(gold), "1 or 2", "99"):
        sub = FakeScriptedLM(default=reply)
        root = FakeScriptedLM(default="FINAL(7)")
        RLM(root, sub_model=sub, prompts=SmallModelPrompts(), limits=Limits(max_iterations=4),
            trace_dir=False).complete(_LOANS, text)
        first = root.calls[0].messages[-1]["content"]
        assert "a sub-model read the" not in first and "Read in the lines above" not in first, reply


def test_a_capable_root_reads_nothing_before_its_first_turn() -> None:
    sub = FakeScriptedLM(default="1")
    RLM(FakeScriptedLM(default="FINAL(x)"), sub_model=sub, prompts=Prompts(), trace_dir=False).complete(
        _LOANS, _library_log())
    assert sub.calls == []


def test_a_pick_is_one_listed_number_alone() -> None:
    assert _picked("2", 3) == 1 and _picked("Kind 3.", 3) == 2
    assert _picked("NONE", 3) is None and _picked("4", 3) is None and _picked("0", 3) is None
    assert _picked("1, 2", 3) is None
