"""The kinds of lines that hold a word: a log's lines grouped by their shape, each counted.

"How many client connections did the Redis server accept?" over a Redis log: "accept" is on
3,279 lines, 3,278 of them `- Accepted 127.0.0.1:54152` and one `* Ready to accept
connections`. "How many requests did nginx turn away over the rate limit?": "limit" is on 70
lines, 54 `http write filter limit 2097152`, 10 `limit_req[0]: 0 0.000` and 6 `[error]
limiting requests, excess: ...`. Told only how many lines hold the word, the 1.5B answered
that count (3,279 and 54); what it asked is one kind of those lines.

A line's shape is the line with what varies from one line of a kind to the next written as
`#`: numbers and anything with a digit in it (times, ids, addresses, versions), hexadecimal,
quoted text and paths. Lines of one shape were written by one statement of the program that
logged them (log template mining, as Drain does it, without its merging of near shapes).

General: it knows no log format, only what varies in a line.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

__all__ = ["kinds", "kinds_told", "line_shape"]

_VARIES = re.compile(
    r""""[^"\n]*"|(?<!\w)'[^'\n]*'|‘[^’\n]*’|“[^”\n]*”|`[^`\n]*`"""  # quoted text (not "can't")
    r"|(?<=\w=)[^\s,;]+"  # a key=value's value
    r"|(?<!\S)\S*/\S*"  # a path or an address
    r"|(?<![\w.:+-])[\w.:+-]*\d[\w.:+@-]*"  # anything with a digit in it
    r"|\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b"  # a date's names
)
_SPACES = re.compile(r"[ \t]+")
_SHAPED = 500
"""The characters of a line its shape is read from: a line's kind is told by its start, and a
long line (a CSV row, a paragraph) costs no more than that."""

KINDS_SHOWN = 4
"""Kinds of lines told of a word, the most frequent first; the rest are summed."""


def line_shape(line: str) -> str:
    """`line` with what varies between the lines of one kind written as `#`, spaces collapsed."""
    return _SPACES.sub(" ", _VARIES.sub("#", line[:_SHAPED])).strip()


def _merged(shapes: list[str]) -> dict[str, str]:
    """The shapes that are one kind with another word in one place (a package's name, a
    function's), as that kind: shapes of as many words, alike but in one word that takes
    `_NAMES_LEAST` values or more there. A word of a few values (dpkg's `installed`,
    `unpacked`, `half-configured`) tells kinds apart, and is kept."""
    kind = {s: s for s in shapes}
    for at in range(_WORDS_COMPARED):
        groups: dict[str, set[str]] = {}
        for s in set(kind.values()):
            words = s.split(" ", at + 1)  # the words up to `at`, and the rest as one
            if len(words) > at and words[at] != "#":
                groups.setdefault(" ".join([*words[:at], "#", *words[at + 1:]]), set()).add(s)
        into = {s: merged for merged, members in groups.items() if len(members) >= _NAMES_LEAST for s in members}
        if into:
            kind = {s: into.get(k, k) for s, k in kind.items()}
    return {s: k for s, k in kind.items() if s != k}


_WORDS_COMPARED = 24
"""A shape's first words that may be merged; a line's tail seldom says what kind it is."""
_NAMES_LEAST = 8
"""Values of one word, in shapes otherwise alike, that make it a name and the shapes one kind."""


def kinds(lines: Iterable[str]) -> tuple[Counter[str], dict[str, str]]:
    """The kinds of `lines`, each with how many lines are of it and its first line."""
    lines = list(lines)
    counts: Counter[str] = Counter()
    example: dict[str, str] = {}
    for line, kind in zip(lines, _kinds_of(lines), strict=True):
        counts[kind] += 1
        example.setdefault(kind, line)
    return counts, example


def _kinds_of(lines: Sequence[str]) -> list[str]:
    """Each line's kind: its shape, merged with the shapes alike but for a name (`_merged`)."""
    shapes = [line_shape(line) for line in lines]
    kind_of = _merged(list(dict.fromkeys(shapes)))
    return [kind_of.get(shape, shape) for shape in shapes]


def kinds_told(word: str, lines: Iterable[str], width: int, least: int = 2, more_than: int = 10,
               about: str = "") -> list[str]:
    """Rows telling the kinds of `lines` (the lines holding `word`) with how many lines each,
    one example line a kind; none when they are of fewer than `least` kinds (a word on lines
    of one kind is told by its count) or of more kinds than half their number (little
    repeats: prose, not a log's lines), or `more_than` lines or fewer (shown whole elsewhere).
    `about` names the lines in the first row instead of the word ("They are"). None also
    when every line starts with the word called (`XMLPARSEAPI(void)`, `XMLPARSEAPI(int)`: a
    header's declarations of its public calls, one statement whatever its arguments); not
    when it starts them as a name (`npm http fetch ...`, `npm info ...`: kinds of a log)."""
    lines = list(lines)
    if len(lines) <= more_than:
        return []
    called = re.compile(re.escape(word) + r"\(", re.IGNORECASE) if word else None
    if called is not None and all(called.match(line.lstrip()) for line in lines):
        return []
    counts, example = kinds(lines)
    total = len(lines)
    if len(counts) < least or 2 * len(counts) > total:
        return []
    top = counts.most_common(KINDS_SHOWN)
    rows = [f"{about or repr(word) + ' is on'} {total:,} lines of {len(counts):,} kinds (the lines' shapes, counted):"]
    for shape, n in top:
        line = example[shape].strip()
        cut = line if len(line) <= width else line[: width - 3] + "..."
        rows.append(f"  {n:,} line{'s' if n != 1 else ''} like: {cut}")
    rest = total - sum(n for _, n in top)
    if rest:
        rows.append(f"  {rest:,} lines of {len(counts) - len(top):,} other kinds.")
    return rows
