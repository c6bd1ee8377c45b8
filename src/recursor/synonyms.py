"""Verbs (and superlatives of time) a user and a program write differently for one event.

"How many sensor readings were successfully saved?": the hub's log writes `stored tmp-118 #1`.
"How many checkouts were refused?": a library's log writes `denied`. A question's verb the text
never writes is looked up as the other verbs of its group, in the forms the text writes them.
The groups are plain English ones that programs' messages use, not any program's words.
"""

from __future__ import annotations

import re

from recursor.word_bases import base_forms

__all__ = ["REFUSAL_WORDS", "SUPERLATIVES", "plain_idioms", "refusals", "synonyms"]

_SUPERLATIVE_GROUPS: tuple[tuple[str, ...], ...] = (("oldest", "earliest"), ("newest", "latest"))
_GROUPS: tuple[tuple[str, ...], ...] = (
    ("save", "store", "persist"),
    ("delete", "remove", "erase"),
    ("refuse", "deny", "reject", "decline"),
    ("allow", "accept", "permit", "grant"),
    ("cancel", "abort"),
    ("update", "modify", "edit"),
    ("start", "begin", "launch"),
    ("establish", "open"),
    ("stop", "halt", "terminate"),
    ("buy", "purchase"),
    ("send", "transmit"),
    ("pay", "settle"),
    ("complete", "finish"),
    *_SUPERLATIVE_GROUPS,
)
"""Each group's verbs in their base form, the most common first; and the superlatives that
say one end of an order in time ("the oldest ABI version" where a header writes "The earliest
ABI version that is supported")."""
SUPERLATIVES = frozenset(w for group in _SUPERLATIVE_GROUPS for w in group)
"""The superlatives of the groups, looked up as the others though no verb."""


def synonyms(word: str) -> tuple[str, ...]:
    """The other verbs of `word`'s group, in their base form ("saved" -> ("store", "persist"),
    "denied" -> ("refuse", "reject", "decline")); () for a word in no group."""
    bases = base_forms(word)
    for group in _GROUPS:
        if any(b in group for b in bases):
            own = next(b for b in bases if b in group)
            return tuple(v for v in group if v != own)
    return ()


_REFUSED = re.compile(r"\b(?P<neg>(?:unable|not\s+able)\s+to|(?:prevented|stopped|blocked|barred|kept)\s+from)"
                      r"\s+(?P<verb>[a-z]+)", re.IGNORECASE)
"""A question's outcome said as an action not done: "unable to start charging", "prevented
from borrowing" (not "couldn't start": whose word the question's words are is not told)."""
REFUSAL_WORDS = ("refused", "denied", "rejected", "declined", "blocked")
"""What a program writes for an action it would not do, as written (past forms)."""


def refusals(question: str) -> list[tuple[str, str]]:
    """The outcomes `question` says as an action not done, each as (the words as asked, the
    negating word): ("unable to start", "unable"). A program writes such an event as a
    refusal ("session refused: ... reason=balance below minimum"), never "unable"."""
    return [(m.group(0), m.group("neg").split()[-2]) for m in _REFUSED.finditer(question)]


_IDIOMS: tuple[tuple[str, str], ...] = (
    (r"(?:got|gotten)\s+under\s*way", "started"),
    (r"(?:get|gets)\s+under\s*way", "start"),
    (r"kicked\s+off(?!\s+(?:the|a|an|of|from|by)\b)", "started"),
    (r"(was|were|got|been|be|get|gets)\s+turned\s+(?:down|away)", r"\1 refused"),
    (r"called\s+off", "cancelled"),
    (r"(?<!\bbe\s)(?<!\bwas\s)(?<!\bwere\s)(?<!\bgot\s)(?<!\bbeen\s)turned\s+away(?!\s+from)", "refused"),
    (r"turns\s+away(?!\s+from)", "refuses"),
    (r"turn\s+away(?!\s+from)", "refuse"),
)
"""Idioms a user writes for an event that a program writes as one plain verb ("sessions got
under way" for `session started`), each with that verb in the idiom's tense; only as an
event's ("orders got turned down", not "the volume turned down"; "kicked off", not "kicked off
the server"; "did the lab turn away", not "turned away from the screen")."""
_IDIOM_RX = [(re.compile(rf"\b{rx}\b", re.IGNORECASE), plain) for rx, plain in _IDIOMS]


def plain_idioms(question: str) -> str:
    """`question` with each idiom of `_IDIOMS` written as its plain verb: "How many sessions
    got under way ..." -> "How many sessions started ...". Searched and counted as written,
    the idiom's words ("got", "way") are on no line of the event."""
    for rx, plain in _IDIOM_RX:
        question = rx.sub(plain, question)
    return question
