"""Verbs a user and a program write differently for one event.

"How many sensor readings were successfully saved?": the hub's log writes `stored tmp-118 #1`.
"How many checkouts were refused?": a library's log writes `denied`. A question's verb the text
never writes is looked up as the other verbs of its group, in the forms the text writes them.
The groups are plain English ones that programs' messages use, not any program's words.
"""

from __future__ import annotations

__all__ = ["synonyms"]

_GROUPS: tuple[tuple[str, ...], ...] = (
    ("save", "store", "persist"),
    ("delete", "remove", "erase"),
    ("refuse", "deny", "reject", "decline"),
    ("allow", "accept", "permit", "grant"),
    ("cancel", "abort"),
    ("update", "modify", "edit"),
    ("start", "begin", "launch"),
    ("stop", "halt", "terminate"),
    ("buy", "purchase"),
    ("send", "transmit"),
)
"""Each group's verbs in their base form, the most common first."""

_IRREGULAR = {"bought": "buy", "sent": "send", "began": "begin", "begun": "begin"}
_ENDINGS = (("ied", "y"), ("ies", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", ""),
            ("d", ""))


def synonyms(word: str) -> tuple[str, ...]:
    """The other verbs of `word`'s group, in their base form ("saved" -> ("store", "persist"),
    "denied" -> ("refuse", "reject", "decline")); () for a word in no group."""
    lower = word.lower()
    bases = [_IRREGULAR.get(lower, lower)]
    for end, base in _ENDINGS:
        if lower.endswith(end) and len(lower) > len(end) + 2:
            stem = lower[: -len(end)]
            bases += [stem + base] + ([stem[:-1]] if not base and stem[-1] == stem[-2] else [])  # "stopped"
    for group in _GROUPS:
        if any(b in group for b in bases):
            own = next(b for b in bases if b in group)
            return tuple(v for v in group if v != own)
    return ()
