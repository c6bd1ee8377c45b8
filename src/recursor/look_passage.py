"""The passage of a text that holds the most of a look-up question's words, shown whole.

The first look shows, for each of the question's rarest words, a few lines that hold it. A
look-up's answer is often not on those lines but a few lines further on in the same
paragraph: a man page names the option on one line ("LineMax=") and says "Defaults to 48K"
fifteen lines below, a config file writes the setting under a banner comment, a package
stanza holds the name on one line and the version on the next. Asked how long a stream log
line may get, the 1.5B was shown the line "The maximum line length to permit when converting
stream logs into" and answered 1000, a number no line wrote.

This is retrieval as a search engine does it, over the paragraphs of the text at hand: each
paragraph (lines between blank lines; a long one in windows) is scored by the question's
words it holds, each weighed by how rare it is in this text (BM25: inverse document frequency,
its lines there, the paragraph's length), so
the paragraph that holds "stream", "line", "split" and "records" together outranks one that
holds "stream" alone. Nothing depends on a format: blank lines are how people write
paragraphs in prose, man pages, configs, package stanzas and code alike.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["Passage", "best_passages", "passage_lines"]

_LONGEST = 24
"""Lines of a paragraph scored and shown whole; a longer one is scored in windows of `_WINDOW`
lines. A man page's option paragraph runs to about 20 lines."""
_WINDOW = 12
"""Lines per window of a paragraph too long to score whole (a log, a table with no blank lines)."""
_SECOND = 0.8
"""A second passage is shown when it scores at least this share of the best one: two package
stanzas, or the request and the stanza, that hold the same words."""
_FEWEST_WORDS = 2
"""Distinct question words a passage must hold, and two of its lines must hold some: one
word's lines, and a line holding the words together, are already shown."""

_K1, _B = 1.2, 0.75
"""BM25's constants: a word's second line in a paragraph adds less than its first, and a long
paragraph's words count for a little less than a short one's."""

_BLANK = re.compile(r"\n[ \t\r\f\v]*(?=\n)")
"""A blank line, also one a CRLF text ends with "\r"."""


@dataclass(frozen=True, slots=True)
class Passage:
    """Lines `first` to `last` of the text (0-based, inclusive), the question's words they
    hold, and their score."""

    first: int
    last: int
    words: tuple[str, ...]
    score: float
    start: int = 0
    """Where the passage starts in the text, and where it ends (its last line's end)."""
    end: int = 0


def _paragraphs(text: str, starts: Sequence[int], breaks: Sequence[int] = ()) -> list[tuple[int, int]]:
    """The text's paragraphs as (first line, last line): runs of lines between blank lines,
    and a paragraph ends before each line at a position in `breaks` (a file's header line)."""
    ends = sorted({bisect_right(starts, m.start() + 1) - 1 for m in _BLANK.finditer(text)})  # blank lines
    cuts = sorted({bisect_right(starts, p) - 1 for p in breaks})  # lines that start a paragraph
    out: list[tuple[int, int]] = []
    first = 0
    for line, blank in sorted([(b, True) for b in ends] + [(c, False) for c in cuts]):
        if line > first:
            out.append((first, line - 1))
        first = line + 1 if blank else line
    if first < len(starts):
        out.append((first, len(starts) - 1))
    return _headed(text, starts, out, set(cuts))


def _headed(text: str, starts: Sequence[int], paragraphs: list[tuple[int, int]], cuts: set[int]) -> list[tuple[int, int]]:
    """`paragraphs` with each heading alone between blank lines joined to the paragraph under
    it: "### Limiting maximum redirects followed", a blank line, then "To change the default
    limit of maximum `30` redirects": the heading says what its paragraph is about, and a
    one-line paragraph is never a passage. A heading is a Markdown one (`#` to `######`) or a
    line that the next underlines (reStructuredText, setext); not across a file's start."""
    def heading(first: int, last: int) -> bool:
        if last - first > 1:
            return False  # a heading is one line, or two with its underline: no long paragraph is sliced
        end = starts[last + 1] - 1 if last + 1 < len(starts) else len(text)
        lines = text[starts[first]:end].split("\n")
        return (len(lines) == 1 and _ATX.match(lines[0]) is not None) or (
            len(lines) == 2 and _UNDERLINE.fullmatch(lines[1].strip()) is not None and lines[0].strip() != "")

    def headed(first: int, last: int) -> bool:
        return any(_ATX.match(text, starts[k]) is not None for k in range(first + 1, last + 1))

    out: list[tuple[int, int]] = []
    i = 0
    while i < len(paragraphs):
        first = paragraphs[i][0]
        # Headings one under another ("## [2.0.0] - 2021-03-01", then "### Added") head the
        # paragraph under the last of them together: none is a passage of its own.
        j = i
        while heading(*paragraphs[j]) and j + 1 < len(paragraphs) and paragraphs[j + 1][0] not in cuts:
            j += 1
        if j > i + 1 and not heading(*paragraphs[j]) and headed(*paragraphs[j]):
            j -= 1  # a paragraph that runs over a heading of its own is not under all of these
        out.append((first, paragraphs[j][1]))
        i = j + 1
    return out


_ATX = re.compile(r"[ ]{0,3}#{1,6}[ \t]+\S")
"""A Markdown heading's line: "### Limiting maximum redirects followed"."""
_UNDERLINE = re.compile(r"={3,}|-{3,}|~{3,}|\^{3,}|\*{3,}")
"""A line that underlines the one above it as a heading (reStructuredText, Markdown's setext)."""


def best_passages(text: str, found: Mapping[str, tuple[float, Sequence[int]]], *, most: int = 2,
                  breaks: Sequence[int] = (), needs: frozenset[str] | None = None) -> list[Passage]:
    """The paragraphs (or windows of a long one) holding the most weight of the question's
    words, best first: at most `most`, never overlapping, each holding `_FEWEST_WORDS` words
    or more. `found` maps each word to its weight (1 for a rare word, less for an everyday
    one) and the positions in `text` of the lines holding it; no paragraph runs across a
    position in `breaks` (where each file of several starts), and each holds one of `needs`
    (the question's rare words) when given. [] when no paragraph holds two."""
    starts = [0, *(m.end() for m in re.finditer("\n", text))]
    n_lines = len(starts)
    # The words each line holds, and each word's inverse document frequency in this text.
    at: dict[int, set[str]] = {}
    idf: dict[str, float] = {}
    for word, (weight, positions) in found.items():
        holding = {bisect_right(starts, p) - 1 for p in positions}
        if not holding or len(holding) > n_lines / 2:
            continue  # a word on most lines tells no paragraph from another
        idf[word] = weight * math.log(1 + n_lines / len(holding))
        for row in holding:
            at.setdefault(row, set()).add(word)
    if len(idf) < _FEWEST_WORDS:
        return []
    # Each paragraph whole, or a window at each line of a long one that holds a word.
    units: list[tuple[int, int, list[int]]] = []
    hit_rows = sorted(at)
    for first, last in _paragraphs(text, starts, breaks):
        rows = hit_rows[bisect_right(hit_rows, first - 1):bisect_right(hit_rows, last)]
        if not rows:
            continue
        if last - first < _LONGEST:
            units.append((first, last, rows))
            continue
        for r in rows:
            a, b = max(first, r - 1), min(last, r - 1 + _WINDOW - 1)
            units.append((a, b, rows[bisect_left(rows, a):bisect_right(rows, b)]))  # linear in the hits
    if not units:
        return []
    mean = sum(b - a + 1 for a, b, _ in units) / len(units)
    candidates: list[Passage] = []
    for a, b, rows in units:
        held: dict[str, int] = {}  # each word's lines in the unit
        for r in rows:
            for word in sorted(at[r]):
                held[word] = held.get(word, 0) + 1
        if len(held) < _FEWEST_WORDS or len(rows) < 2 or (needs is not None and needs.isdisjoint(held)):
            continue
        norm = _K1 * (1 - _B + _B * (b - a + 1) / mean)
        score = sum(idf[w] * tf * (_K1 + 1) / (tf + norm) for w, tf in held.items())
        end = starts[b + 1] - 1 if b + 1 < n_lines else len(text)
        candidates.append(Passage(a, b, tuple(sorted(held, key=lambda w: (-idf[w], w))), score, starts[a], end))
    candidates.sort(key=lambda p: (-p.score, p.last - p.first, p.first))
    out: list[Passage] = []
    for passage in candidates:
        if out and passage.score < _SECOND * out[0].score:
            break
        passage = _widened(passage, candidates, starts, len(text))
        if any(passage.first <= p.last and p.first <= passage.last for p in out):
            continue  # widened too: no line is shown twice
        out.append(passage)
        if len(out) >= most:
            break
    return out


def _widened(best: Passage, candidates: Sequence[Passage], starts: Sequence[int], size: int) -> Passage:
    """`best` joined with the windows of its paragraph that start inside it, further down,
    score nearly as well (`_SECOND`) and hold a word it does not, up to `_LONGEST` lines. Two
    such windows are one passage cut in two: a config file's comment block names the setting
    and its purpose in the first and says "Default value: 5000" in the second, six lines on;
    shown the first alone, the 1.5B read the example's 32768 from elsewhere."""
    first, last, words = best.first, best.last, list(best.words)
    for other in candidates:
        if other.score < _SECOND * best.score:
            break
        a, b = min(first, other.first), max(last, other.last)
        more = [w for w in other.words if w not in words]  # in a log, windows of the same words
        if more and best.first <= other.first <= last and b - a < _LONGEST:  # the answer is below what names it
            first, last = a, b
            words += more
    if (first, last) == (best.first, best.last):
        return best
    end = starts[last + 1] - 1 if last + 1 < len(starts) else size
    return Passage(first, last, tuple(words), best.score, starts[first], end)


def passage_lines(text: str, passage: Passage, width: int) -> list[tuple[int, int, int, str]]:
    """The passage's lines as (line number from 1, start, end, shown): blank lines at its edges
    dropped, the indentation all its lines share taken off (a tab counts as one character),
    each cut to `width` characters; start and end are those of what is shown."""
    spans: list[tuple[int, int, int, str]] = []
    pos = passage.start
    for n, line in enumerate(text[passage.start:passage.end].split("\n"), passage.first + 1):
        spans.append((n, pos, pos + len(line), line))
        pos += len(line) + 1
    while spans and not spans[0][3].strip():
        spans.pop(0)
    while spans and not spans[-1][3].strip():
        spans.pop()
    indent = min((len(s) - len(s.lstrip()) for *_, s in spans if s.strip()), default=0)
    out = []
    for n, a, _, line in spans:
        shown = line[indent:].rstrip()
        if len(shown) > width:
            shown = shown[: width - 3] + "..."
        # The span of what is displayed: a line cut at `width` was not read past its cut.
        out.append((n, a + indent, a + indent + len(shown.removesuffix("...")), shown))
    return out
