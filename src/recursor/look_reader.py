"""A sub-model reads the first look's lines for a question that looks a value up.

The first look (`recursor.orient`) often shows the line that answers a look-up ("def
split(pattern, string, maxsplit=0, flags=0)" for the default of `maxsplit`), and a small root
rarely reads it there: primed by its examples to write code, the 1.5B grepped the file's
name five times and answered 3. One short sub-call, given only those lines and the question,
reads them the way retrieval-then-read does; the value it reads is offered in the first
message, for the root to take or to check with code.

What is offered must be written in the lines the reader was given (a value the reader made
up is never offered), must not be one of the question's own terms ("PyDLL" asked where
`PyDLL` is defined), and is read only for questions that look a value up: a count, a total or
a ranking is computed over every line, never read from the few the look shows.
"""

from __future__ import annotations

import re

from recursor.orient import Orientation
from recursor.question import (
    COUNTISH,
    SUPERLATIVE,
    asked_form,
    asking_part,
    asks_for_number,
    fits_form,
)
from recursor.turns import echoes_question

__all__ = ["READ_CHARS", "looks_up", "read_value", "reader_lines"]

READ_CHARS = 1_600
"""The look's lines given to the reader, at most: ~500 tokens, 4-12 s for the embedded 1.5B on
2 cores (2,400 characters of dpkg lines took 16 s)."""

_RECENT = re.compile(r"\bmost\s+recent(?:ly)?\b", re.IGNORECASE)
_NONE = re.compile(r"\s*(?:none|n/?a|not\s+(?:stated|shown|found|given)|unknown|no answer)\b\.?\s*$", re.IGNORECASE)


def looks_up(question: str) -> bool:
    """Whether the question asks for a value a line can state: not a count, a total or a
    ranking over groups ("which package had the most changes"), which code computes from
    every line. "Most recent" ranks nothing: it asks for one line's value."""
    asking = asking_part(question)
    if asks_for_number(question) or COUNTISH.search(asking):
        return False
    return SUPERLATIVE.search(_RECENT.sub("", asking)) is None


def reader_lines(look: Orientation) -> str:
    """The lines the reader is given: the look's lines holding the question's words, cut at
    `READ_CHARS` on a line's end; "" when the look holds none."""
    text = look.hits.strip()
    if len(text) <= READ_CHARS:
        return text
    cut = text.rfind("\n", 0, READ_CHARS)
    return text[: cut if cut > 0 else READ_CHARS]


def read_value(reply: str, lines: str, question: str) -> str | None:
    """The value a reader's `reply` states, or None: it said the lines do not answer, wrote
    more than a value, wrote what the lines do not hold, echoed the question's own term, or
    gave a value in another form than the question asks for (`asked_form`)."""
    text = reply.strip()
    if text.lower().startswith("answer:"):
        text = text[len("answer:"):]
    value = text.strip().rstrip(".").strip().strip("\"'`").strip()
    if not value or "\n" in value or len(value) > 80 or _NONE.match(value):
        return None
    if echoes_question(value, question):
        return None
    if (form := asked_form(question)) is not None and not fits_form(value, form):
        return None  # asked "whose name", the reader gave a package's name
    spaced = " ".join(value.lower().split())
    written = " ".join(lines.lower().split())
    if len(value) < 4:  # "0", "993" (of "993/tcp"): written whole, not inside another number or word
        rx = re.compile(r"(?<![\w.:/+~-])" + re.escape(spaced) + r"(?![\w:+~-]|\.\w)")
        return value if rx.search(written) else None
    return value if spaced in written else None
