"""The first look's ranking of tokens of a known shape: "whose GitHub handle is credited on
the most lines", "which e-mail address sent the most mail", "which IP address made the most
requests", "which source file do the most messages come from".

Such tokens are written in a form, not under a name: a changelog credits `(#3449, @terrelln)`
at the end of its lines, a mail log writes `from=<ann@example.com>` among other addresses. No
column and no field holds them, and the question's words ("credited", "handle") are not on the
lines. Asked which handle a changelog credits most, the 1.5B searched "GitHub", found one line
and answered the handle on it; asked again, it counted the line's first word.

This reads a shape the question names by its noun (a handle or mention: `@name`; an e-mail
address; an IP address; a file, as a reference `src/a.py:12` or a request `/app.js` writes it), keeps the lines writing it that also write each other word of the
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

from recursor.line_kinds import line_shape
from recursor.question import MOST, SETS_ASIDE, asking_part, ranks
from recursor.sandbox.helpers import _STOP, _stem_rx

__all__ = ["ShapedRank", "shaped_rank"]

_HANDLE = re.compile(r"(?<![\w@.])@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}[A-Za-z0-9])?)(?![\w@-]|\.[A-Za-z])")
"""An @-mention as GitHub and chats write one (not an e-mail's "@host", nor "@decorator.attr")."""
_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)(?![\w-])")
_FILE_EXTENSIONS = ("py|pyi|pyx|pxd|c|h|cc|cpp|cxx|hpp|hh|js|jsx|mjs|cjs|ts|tsx|go|rs|java|kt|scala|rb|php|pl|pm|lua|"
                    "swift|cs|sh|bash|sql|html?|css|scss|xml|json|ya?ml|toml|ini|cfg|conf|md|rst|txt|tex|csv|tsv|"
                    "png|jpe?g|gif|svg|pdf|zip|gz|tgz|whl|jar|log|vue|svelte|proto|tmpl|j2|in|mk|cmake")
_FILE = re.compile(rf"(?<![\w./@:~-])(/?(?:[\w.-]+/)*[\w-]*[A-Za-z][\w.-]*\.(?:{_FILE_EXTENSIONS}))(?![\w-]|\.[A-Za-z])")
"""A file as a reference, an import or a request writes it: `sphinx/cmd/build.py:123`,
`/static/app.js`, `api.h`; a known extension, so "e.g." and "example.com" are none. Never
inside a URL (after `//host`): a page's address is not a file of the text's."""
_IPV4 = re.compile(r"(?<![\d.])((?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3})(?![\d.]|\.\d)")

_SHAPES: dict[str, tuple[re.Pattern[str], re.Pattern[str], str]] = {
    "handle": (re.compile(r"\b(?:github|gitlab)\s+(?:handles?|users?|usernames?|accounts?|logins?|ids?|mentions?)\b"
                          r"|\b(?:which|whose|what)\s+(?:\w+\s+)?(?:handle|mention|@-?name)(?![\w-])", re.IGNORECASE),
               _HANDLE, "@-handles"),
    "email": (re.compile(r"\b(?:e-?mail|mail)\s+address(?:es)?\b|\be-?mails?\b(?!\s+(?:subjects?|domains?|headers?|bod(?:y|ies)|"
                         r"clients?|servers?|messages?|threads?|lists?|providers?|accounts?|sizes?|campaigns?|templates?))",
                         re.IGNORECASE), _EMAIL, "e-mail addresses"),
    "ip": (re.compile(r"\bIP(?:v4)?s?\b(?:\s+address(?:es)?)?", re.IGNORECASE), _IPV4, "IP addresses"),
    "file": (re.compile(r"\b(?:which|what)\s+(?:[\w-]+\s+){0,2}?(?:source\s+)?(?:files?|scripts?)\b(?!\s+(?:name|size|type|format)s?\b)",
                        re.IGNORECASE), _FILE, "file names"),
}
"""Each shape: the words that name it in a question, its pattern, and how the look names it."""
_NOUN_WORDS = {
    "handle": re.compile(r"\b(?:github|gitlab|handles?|mentions?|users?|usernames?|accounts?|logins?|ids?|@-?names?)\b",
                         re.IGNORECASE),
    "email": re.compile(r"\b(?:e-?mails?|mail|address(?:es)?)\b", re.IGNORECASE),
    "ip": re.compile(r"\b(?:ip(?:v4)?s?|address(?:es)?)\b", re.IGNORECASE),
    "file": re.compile(r"\b(?:source|files?|scripts?)\b", re.IGNORECASE),
}
"""The words of a shape's name wherever the question writes them ("Give the handle."): no
condition on the lines."""
_OF_A_FILES_OWN = re.compile(
    r"\b(?:contains?|containing|defines?|defining|declares?|holds?)\s+(?:\w+\s+)?the\s+(?:most|largest|biggest|longest)\b"
    r"|\bmost\s+(?:\w+\s+)?(?:lines?|code|functions?|classes|methods?|tests?|bytes|words|characters|imports?|definitions?)\b"
    r"|\b(?:largest|biggest|longest|highest|greatest)\b|\bmost[\s-]+recent",
    re.IGNORECASE)
"""A question of what a file holds or how big it is ("which file defines the most functions",
"which file is the largest"), not of the lines that name it: no count of those lines."""
_PLACE_BELOW = re.compile(r"\b(?:second|third|fourth|fifth|2nd|3rd|4th|5th|next)\b", re.IGNORECASE)
"""A place below the first ("the second most"): the ranking's top is no answer."""
_FRAME = re.compile(r"\s*(?:File\s+\"[^\"]+\",\s+line\s+\d+|at\s+\S+\s*\([^()]*:\d+(?::\d+)?\))")
"""A stack frame: Python's `File "x.py", line 3`, a JavaScript or Java `at f (x.js:3:5)`."""
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
_RUN_OF_VARYING = re.compile(r"#(?:[\s,;]+#)+")
_KIND_SHARE = 4
"""A kind of line whose files are counted holds at least a quarter as many lines as the kind
that names files most: a catalogue's `#: a.py:12 b.py:40` references are counted, a message's
prose that mentions `conf.py` now and then is not."""
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


def _of_naming_kinds(lines: list[str]) -> list[str]:
    """The lines of the kinds (`line_shape`, a run of references as one) that name files as
    often as a quarter of the kind that names them most: references, not mentions in prose."""
    shapes = [_RUN_OF_VARYING.sub("#", line_shape(line)) for line in lines]
    per_kind = Counter(shapes)
    if not per_kind:
        return lines
    least = per_kind.most_common(1)[0][1] / _KIND_SHARE
    return [line for line, shape in zip(lines, shapes, strict=True) if per_kind[shape] >= least]


def shaped_rank(text: str, question: str, *, joined_files: bool = False) -> ShapedRank | None:
    """The tokens of the shape the question asks about, ranked by the lines that write them,
    when it asks which one has the most ("whose handle ... the most lines"); None when it
    names no shape, ranks nothing, asks for the fewest, the text writes the shape on fewer
    than `_LEAST_ROWS` lines, or two tokens tie at the top. A file is asked of by the lines
    naming it ("which source file do the most messages come from"), never of files joined into
    one context (`joined_files`), whose own headers and contents would be counted."""
    asking = asking_part(question)
    if not (ranks(asking) and MOST.search(asking) and _ASKS_WHICH.search(asking)):
        return None
    named = [shape for shape, (words, _, _) in _SHAPES.items() if words.search(asking)]
    if len(named) != 1:
        return None
    if _AMOUNT.search(asking) or SETS_ASIDE.search(question):  # which lines are set aside is not read here
        return None
    if named[0] == "file" and (joined_files or _OF_A_FILES_OWN.search(asking)):
        return None
    if _PLACE_BELOW.search(asking):
        return None  # "the second most": not the first
    noun, pattern, called = _SHAPES[named[0]]
    folded = named[0] in ("handle", "email") or _FOLDED.search(question) is not None
    shaped = [line for line in text.splitlines() if pattern.search(line)]
    if named[0] == "file":
        if sum(1 for line in shaped if _FRAME.match(line)) * 2 > len(shaped):
            return None  # a traceback's frames: each error names every file of its stack, the library's too
        shaped = _of_naming_kinds(shaped)
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
