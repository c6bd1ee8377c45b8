"""Which kind of an event's lines a count's reason names: "... prevented from borrowing because
they owed too much in overdue charges".

A log writes one event (a refused loan) in kinds of lines that differ by the reason it gives
(`reason=no copy free`, `reason=unpaid fines 6.25`). A user's reason is a paraphrase no line
writes ("owed too much in overdue charges"): code cannot tell which kind it names, and the
1.5B root, shown the kinds, answered all of them (344) or the largest. What this module does
is the part code can: take the question's reason apart, and the kinds of the event's lines
with each one's count. A sub-model writes the reason the way a program's log would
("reason=insufficient funds", "balance below threshold"), and the one kind whose own words
(those not every kind writes, no line's own values) meet the most of that writing's and the
question's reason words is picked, its count offered (`LookReads.pick_reason`). Asked instead to pick a kind by its letter, the 1.5B agreed with
itself over three orders on 3 of 8 reasons; writing the reason, its words picked 5 of 8 and
no wrong one (docs/benchmarks.md, session 52).

General: any text whose lines of one word fall into a few kinds; the reason is read from the
question's "because", "due to", "for lack of" clause.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from recursor.line_kinds import kinds
from recursor.question import COUNT_ASKED
from recursor.word_bases import base_forms

__all__ = ["BECAUSE", "REASON_TOKENS", "ReasonKinds", "reason_kinds", "said_pick"]

BECAUSE = re.compile(r"\b(?:because(?:\s+of)?|due\s+to|owing\s+to|on\s+account\s+of|for\s+lack\s+of"
                      r"|as\s+a\s+result\s+of)\s+(?P<why>[^?;]{3,200}?)\s*(?:[?;]|\.\s|\.?\Z)", re.IGNORECASE)
_LEAST_KINDS, _MOST_KINDS = 2, 8
_STAMP = re.compile(r"^[\s\d\-/:.,T+Z]*(?:\b(?:DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|CRITICAL|FATAL)\b:?\s*)?"
                    r"(?:\[[^\]\n]{1,60}\]\s*)?")
"""A log line's date, time, level and `[logger]` before its message."""
_EXCLUDED = re.compile(r"\b(?:excluding|except|other\s+than|apart\s+from|besides|leave\s+out|leaving\s+out|"
                       r"not\s+counting|without\s+counting|(?:but\s+)?not\s+because|ignor(?:e|ing))\b", re.IGNORECASE)
"""Words that leave some lines out: the reason may be of what is left out ("rejected, excluding
any rejected because the file was over the limit"), not of what is counted."""
REASON_TOKENS = 40
"""The sub-model's writing of the reason: three short lines."""
_PLAIN = frozenset("the a an of to in on for and or was were is be been their they them there not too much no "
                   "any its it that this with by at as from reason".split())


@dataclass(frozen=True, slots=True)
class ReasonKinds:
    """The question's reason, and each kind of the event's lines: its message (one line's,
    stamp apart) and how many lines are of it, the most first."""

    reason: str
    kinds: tuple[tuple[str, int], ...]


def reason_kinds(question: str, lines: Sequence[str]) -> ReasonKinds | None:
    """For a count whose question gives a reason ("because ..."), the kinds of `lines` (the
    lines of the event's word); None for another question, or lines of one kind or more than
    `_MOST_KINDS`."""
    m = BECAUSE.search(question)
    # The count and its reason in one sentence: "Leave out any alert that was held back
    # because ..." after "How many alerts ...?" gives the reason of what is left out.
    sentence = re.split(r"[?!]\s+|\.\s+", question[:m.start()])[-1] if m else ""
    if m is None or not COUNT_ASKED.search(sentence) or _EXCLUDED.search(question):
        return None
    counts, example = kinds(lines)
    if not _LEAST_KINDS <= len(counts) <= _MOST_KINDS:
        return None
    told = tuple((" ".join(_STAMP.sub("", example[shape]).split())[:160], n) for shape, n in counts.most_common())
    return ReasonKinds(m.group("why").strip(), told)


def _stems(text: str) -> set[str]:
    """The words of `text` (three letters or more, no plain words), each in all its base forms."""
    return {b for stems in _words(text).values() for b in stems}


def _words(text: str) -> dict[str, set[str]]:
    """The words of `text` (as `_stems` takes them), each with its base forms; not the words of
    a token that names one thing (`file=large_photo.png`, `EV-7035`, `M-2025`): one line's
    value is no word of its kind."""
    plain = " ".join(t for t in re.split(r"[\s=]+", text) if not _NAMING.search(t))
    return {low: set(base_forms(low)) for w in re.findall(r"[A-Za-z]{3,}", plain) if (low := w.lower()) not in _PLAIN}


_NAMING = re.compile(r"\d|[_./@\\]|^[A-Z]{1,3}-")
"""A token that names one thing: a number in it, a path's or a file's marks, an id's prefix."""


def _meets(one: set[str], other: set[str]) -> bool:
    """Whether two sets of stems share a word: one stem, or one a start of the other of four
    letters or more ("loan" of "loaned")."""
    return bool(one & other) or any(len(a) >= 4 and len(b) >= 4 and (a.startswith(b) or b.startswith(a))
                                    for a in one for b in other)


def said_pick(found: ReasonKinds, written: str) -> int | None:
    """The kind whose own words (those not every kind writes) meet the most words of the
    reason as the question says it or as the sub-model wrote it (`written`); None when no
    kind's do, two kinds' meet as many, or another kind's words are all the picked one's (a
    shorter form of its reason)."""
    said = _stems(found.reason) | _stems(written)
    own = [_words(line) for line, _ in found.kinds]
    common = set.intersection(*(set(words) for words in own)) if own else set()
    met = [sum(1 for w, stems in words.items() if w not in common and _meets(stems, said)) for words in own]
    best = max(met, default=0)
    if not best or met.count(best) != 1:
        return None
    picked = met.index(best)
    if any(k != picked and set(own[k]) <= set(own[picked]) for k in range(len(own))):
        return None  # "card declined" beside "card declined by issuing bank": one reason in two shapes
    return picked
