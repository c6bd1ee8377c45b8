"""The first look's count of a log's lines in a window of the day ("from 06:32:00 through 06:32:05").

Asked how many responses a crawler logged from 06:32:00 through 06:32:05, the 1.5B was shown
the lines holding each of the two times and counted neither window nor responses. A window of
the day is one pass over the lines' own times; what is counted in it is often one kind of its
lines ("Crawled (200)" beside "Scraped from"), so the window's lines are told by kind
(`line_kinds`), each counted, and the call that gives them is `in_dates` with the two times.

General: any log whose lines start with a time of day; the window is read from the question.
"""

from __future__ import annotations

import re

from recursor.line_kinds import kinds_told
from recursor.question import COUNT_ASKED, asking_part
from recursor.sandbox.helpers import _time_of, in_dates

__all__ = ["times_look"]

_TIME = r"(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?"
_WINDOW = re.compile(rf"\b(?:from|between)\s+(?P<a>{_TIME})\s+(?:to|through|thru|until|till|and)\s+(?P<b>{_TIME})"
                     r"(?![\d:])", re.IGNORECASE)
"""Two times of day that bound a window: "from 06:32:00 through 06:32:05", "between 14:00 and 14:15"."""
_READ_UP_TO = 8_000_000
_TIMED_SHARE = 0.5
"""The share of a text's lines that must start with a time of day for it to be read as a log."""


def times_look(text: str, question: str, width: int) -> list[str]:
    """For a question that counts over a window of the day, how many of the log's timed lines
    are in it, the call that gives them, and their kinds; [] for a question that names no
    window, a text too long, or one whose lines mostly carry no time of day."""
    asking = asking_part(question)
    m = _WINDOW.search(asking)
    if m is None or COUNT_ASKED.search(asking) is None or len(text) > _READ_UP_TO:
        return []
    lines = [line for line in text.split("\n") if line.strip()]
    timed = [line for line in lines if _time_of(line) is not None]
    if not timed or len(timed) < _TIMED_SHARE * len(lines):
        return []
    a, b = m.group("a"), m.group("b")
    inside = in_dates(timed, a, b)
    rows = [f"{len(inside):,} of its {len(timed):,} timed lines are from {a} through {b} "
            f"(in_dates(lines(), {a!r}, {b!r}) gives them)."]
    return rows + kinds_told("", inside, width, about="They are")
