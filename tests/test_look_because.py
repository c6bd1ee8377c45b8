"""A count's reason picks one kind of the event's lines, by a sub-model's reading (`look_because`)."""

from __future__ import annotations

from tests.fakes.scripted_lm import FakeScriptedLM

from recursor import RLM, Limits
from recursor.look_because import ReasonKinds, reason_kinds, said_pick
from recursor.orient import orientation
from recursor.prompts import Prompts
from recursor.prompts_small import SmallModelPrompts

REASONS = {"no copy free": 30, "limit reached (3 items out)": 6, "unpaid fines 6.25": 9, "unknown member": 4}


def _log() -> str:
    """A lending desk's log written for this test: loans refused for four reasons, and others."""
    rows = []
    k = 0
    for reason, n in REASONS.items():
        for i in range(n):
            k += 1
            rows.append(f"2026-12-07 14:{k // 60:02}:{k % 60:02},100 WARNING [desk] loan refused: member=M-{2000 + i} "
                        f"book=B-{100 + k} reason={reason}")
            rows.append(f"2026-12-07 14:{k // 60:02}:{k % 60:02},200 INFO [desk] day advanced ({i} loans overdue)")
    return "\n".join(rows) + "\n"


QUESTION = "How many times was a member prevented from borrowing because they owed too much in overdue charges?"


def test_the_reason_is_read_and_the_event_lines_told_by_kind() -> None:
    look = orientation(_log(), QUESTION)
    found = look.reasons
    assert found is not None and found.reason == "they owed too much in overdue charges"
    # The event is the refusal ("prevented from borrowing"), not "overdue", a word of the reason.
    assert sorted(n for _, n in found.kinds) == sorted(REASONS.values())
    assert all(line.startswith("loan refused: member=") for line, _ in found.kinds)  # the stamp apart
    # Not a count's reason: the reason of what a second sentence leaves out; no reason at all.
    assert reason_kinds("How many loans were refused? Leave out those refused because of fines.",
                        [line for line in _log().splitlines() if "refused" in line]) is None
    assert orientation(_log(), "How many times was a member prevented from borrowing?").reasons is None
    # One name's lines, or one thing found first, are not all the lines of a kind.
    assert orientation(_log(), "How many times was M-2003 prevented from borrowing because of fines?").reasons is None
    assert orientation(_log(), "Find the member with the most loans. How many times was the member who had them "
                               "prevented from borrowing because of fines?").reasons is None


def test_the_kind_is_the_one_whose_own_words_meet_the_reason_as_written() -> None:
    found = ReasonKinds("there was not enough money on their account", (
        ("session refused: driver=EV-7 reason=balance -3.75 below minimum", 51),
        ("session refused: driver=EV-8 reason=no free connector", 31),
        ("top-up refused: driver=EV-9 amount=250.00 reason=over limit", 20)))
    assert said_pick(found, "reason=insufficient funds\nreason=account balance insufficient\nlow balance") == 0
    # Words every kind writes ("refused", "driver") pick none; neither do two kinds at once.
    assert said_pick(found, "driver refused\nsession refused") is None
    assert said_pick(found, "balance limit") is None  # one word each: a tie
    # A stem meets its forms: "loaned" the kind's "loan".
    lent = ReasonKinds("the book was still out on another loan", (
        ("checkout of bk-118 denied: still out on loan L4410", 67), ("checkout of bk-120 denied: member m17 is suspended", 29)))
    assert said_pick(lent, "reason=book loaned") == 0


def _writer(messages: list[dict[str, str]]) -> str:
    """A fake sub-model that writes a reason about overdue charges the way a log would."""
    content = messages[-1]["content"]
    return "reason=unpaid fines\noutstanding fines\nfines owed" if "overdue charges" in content else "NONE"


def test_the_picked_kinds_count_is_offered_to_a_small_root() -> None:
    sub = FakeScriptedLM(default=_writer)
    root = FakeScriptedLM(default="FINAL(9)")
    result = RLM(root, sub_model=sub, prompts=SmallModelPrompts(), limits=Limits(max_iterations=4),
                 trace_dir=False).complete(QUESTION, _log())
    assert result.answer == "9"
    asked = [c for c in sub.calls if "A person describes a reason as: they owed too much" in c.messages[0]["content"]]
    assert len(asked) == 1
    first = root.calls[0].messages[-1]["content"]
    assert "names this kind of the event's lines" in first and "9 of its 49 lines" in first
    # A writing that meets no kind's own words offers nothing.
    sub = FakeScriptedLM(default="reason=payment due")
    root = FakeScriptedLM(default="FINAL(1)")
    RLM(root, sub_model=sub, prompts=SmallModelPrompts(), limits=Limits(max_iterations=4),
        trace_dir=False).complete(QUESTION, _log())
    assert "names this kind" not in root.calls[0].messages[-1]["content"]
    # A capable model's run reads nothing before its first turn.
    sub = FakeScriptedLM(default="A")
    RLM(FakeScriptedLM(default="FINAL(x)"), sub_model=sub, prompts=Prompts(), trace_dir=False).complete(QUESTION, _log())
    assert sub.calls == []
