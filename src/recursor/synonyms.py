"""Verbs (and superlatives of time) a user and a program write differently for one event.

"How many sensor readings were successfully saved?": the hub's log writes `stored tmp-118 #1`.
"How many checkouts were refused?": a library's log writes `denied`. A question's verb the text
never writes is looked up as the other verbs of its group, in the forms the text writes them.
The groups are plain English ones that programs' messages use, not any program's words.
"""

from __future__ import annotations

from recursor.word_bases import base_forms

__all__ = ["SUPERLATIVES", "synonyms"]

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
    ("oldest", "earliest"),
    ("newest", "latest"),
)
"""Each group's verbs in their base form, the most common first; and the superlatives that
say one end of an order in time ("the oldest ABI version" where a header writes "The earliest
ABI version that is supported")."""
SUPERLATIVES = frozenset(w for group in _GROUPS[-2:] for w in group)
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
