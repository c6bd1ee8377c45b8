"""The first look's ranking of tokens of a known shape: "whose GitHub handle is credited on
the most lines", "which e-mail address sent the most mail", "which IP address made the most
requests".

Such tokens are written in a form, not under a name: a changelog credits `(#3449, @terrelln)`
at the end of its lines, a mail log writes `from=<ann@example.com>` among other addresses. No
column and no field holds them, and the question's words ("credited", "handle") are not on the
lines. Asked which handle a changelog credits most, the 1.5B searched "GitHub", found one line
and answered the handle on it; asked again, it counted the line's first word.

This reads a shape the question names by its noun (a handle or mention: `@name`; an e-mail
address; an IP address), keeps the lines writing it that also write each other word of the
question that such lines write, as a word of its own ("refused" of "which client IP address
was refused most often"; not what is ranked, "the most requests"), counts the lines writing
each token (once a line), and offers the top one when one leads. Lines that mostly write two
of the shape (a client and its upstream, a sender and a recipient) leave which one is asked
open: nothing is offered. A question of an amount ("the most bytes in total") is no count of lines: left alone.
General: the shapes are the Internet's own notations, not any program's; a question that
names no such noun is left to the other readers.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from recursor.question import MOST, asking_part, ranks
from recursor.sandbox.helpers import _STOP, _stem_rx

__all__ = ["ShapedRank", "shaped_rank"]

_HANDLE = re.compile(r"(?<![\w@.])@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}[A-Za-z0-9])?)(?![\w@-]|\.[A-Za-z])")
"""An @-mention as GitHub and chats write one (not an e-mail's "@host", nor "@decorator.attr")."""
_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)(?![\w-])")
_IPV4 = re.compile(r"(?<![\d.])((?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3})(?![\d.]|\.\d)")

_SHAPES: dict[str, tuple[re.Pattern[str], re.Pattern[str], str]] = {
    "handle": (re.compile(r"\b(?:github|gitlab)\s+(?:handles?|users?|usernames?|accounts?|logins?|ids?|mentions?)\b"
                          r"|\b(?:which|whose|what)\s+(?:\w+\s+)?(?:handle|mention|@-?name)(?![\w-])", re.IGNORECASE),
               _HANDLE, "@-handles"),
    "email": (re.compile(r"\b(?:e-?mail|mail)\s+address(?:es)?\b|\be-?mails?\b(?!\s+(?:subjects?|domains?|headers?|bod(?:y|ies)|"
                         r"clients?|servers?|messages?|threads?|lists?|providers?|accounts?|sizes?|campaigns?|templates?))",
                         re.IGNORECASE), _EMAIL, "e-mail addresses"),
    "ip": (re.compile(r"\bIP(?:v4)?s?\b(?:\s+address(?:es)?)?", re.IGNORECASE), _IPV4, "IP addresses"),
}
"""Each shape: the words that name it in a question, its pattern, and how the look names it."""
_NOUN_WORDS = {
    "handle": re.compile(r"\b(?:github|gitlab|handles?|mentions?|users?|usernames?|accounts?|logins?|ids?|@-?names?)\b",
                         re.IGNORECASE),
    "email": re.compile(r"\b(?:e-?mails?|mail|address(?:es)?)\b", re.IGNORECASE),
    "ip": re.compile(r"\b(?:ip(?:v4)?s?|address(?:es)?)\b", re.IGNORECASE),
}
"""The words of a shape's name wherever the question writes them ("Give the handle."): no
condition on the lines."""
_ASKS_WHICH = re.compile(r"\b(?:which|whose|what|who)\b", re.IGNORECASE)
_FOLDED = re.compile(r"\b(?:ignor\w*|regardless\s+of|any)\s+(?:letter\s+)?case\b|\bcase[-\s]insensitive", re.IGNORECASE)
_AMOUNT = re.compile(r"\b(?:total|sum|bytes|size|amount|average|mean|volume|traffic|longest|duration)\b", re.IGNORECASE)
"""A ranking by an amount written on the lines, not by how many lines: no count of lines."""
_NOT_CONDITIONS = frozenset({"most", "often", "frequently", "times", "many", "number", "count", "lines", "line",
                             "log", "logs", "file", "text", "changelog", "document", "entries", "give", "name",
                             "appears", "appear", "written", "listed", "credited", "mentioned", "reply", "answer"})
"""Words of a question that set no condition on the lines: the ranking, the text, the answer."""
_COUNTED_NOUN = re.compile(r"\bmost\s+(?:\w+\s+)?[A-Za-z][\w-]*", re.IGNORECASE)
"""What is ranked ("the most requests", "the most failed logins"): the lines themselves, no condition on them."""
_LEAST_ROWS = 5
"""Lines that must write the shape before its tokens are ranked."""
_SHOWN = 5


def _own_word(word: str) -> re.Pattern[str]:
    """`word` in its forms (`_stem_rx`) as a word of its own, not a part of a name, a path or
    a version ("requests" is not in `python-requests/2.31`)."""
    rx = _stem_rx(word)
    return re.compile(rf"(?<![\w./-])(?:{rx.pattern})(?![\w/-])", rx.flags)


@dataclass(frozen=True, slots=True)
class ShapedRank:
    """What the look shows of a ranking of shaped tokens, and the top one it offers."""

    rows: list[str]
    top: str


def shaped_rank(text: str, question: str) -> ShapedRank | None:
    """The tokens of the shape the question asks about, ranked by the lines that write them,
    when it asks which one has the most ("whose handle ... the most lines"); None when it
    names no shape, ranks nothing, asks for the fewest, the text writes the shape on fewer
    than `_LEAST_ROWS` lines, or two tokens tie at the top."""
    asking = asking_part(question)
    if not (ranks(asking) and MOST.search(asking) and _ASKS_WHICH.search(asking)):
        return None
    named = [shape for shape, (words, _, _) in _SHAPES.items() if words.search(asking)]
    if len(named) != 1:
        return None
    if _AMOUNT.search(asking):
        return None
    noun, pattern, called = _SHAPES[named[0]]
    folded = named[0] in ("handle", "email") or _FOLDED.search(question) is not None
    shaped = [line for line in text.splitlines() if pattern.search(line)]
    rest = _NOUN_WORDS[named[0]].sub(" ", noun.sub(" ", _FOLDED.sub(" ", _COUNTED_NOUN.sub(" ", asking))))
    words = {w for w in re.findall(r"[A-Za-z][\w-]{2,}", rest) if w.lower() not in _STOP | _NOT_CONDITIONS}
    conditions = {w: rx for w in sorted(words) if any((rx := _own_word(w)).search(line) for line in shaped)}
    key = str.lower if folded else str
    counts: Counter[str] = Counter()
    written: dict[str, str] = {}  # each token as first written, by its key
    lines = several = 0
    for line in shaped:  # each writes the shape: `pattern` found it there
        if not all(rx.search(line) for rx in conditions.values()):
            continue
        tokens = {m.group(1) for m in pattern.finditer(line)}
        keys = {key(t) for t in tokens}
        lines += 1
        several += len(keys) > 1
        counts.update(keys)
        for token in tokens:
            written.setdefault(key(token), token)
    if lines < _LEAST_ROWS or len(counts) < 2 or several * 2 > lines:
        return None  # two addresses on most lines (a client and its upstream, a sender and a recipient): which is asked?
    (top, n), (_, second) = counts.most_common(2)
    if n == second:
        return None
    shown = ", ".join(f"{written[t]} {c:,}" for t, c in counts.most_common(_SHOWN))
    case = " (in any case)" if folded else ""
    held = f" that also write {' and '.join(repr(w) for w in conditions)}" if conditions else ""
    rows = [f"{called.capitalize()} on the lines{held}, each counted once a line{case}: {len(counts):,} different on "
            f"{lines:,} lines, the most first: {shown}.",
            f"The most: {written[top]}, on {n:,} lines."]
    return ShapedRank(rows, written[top])
