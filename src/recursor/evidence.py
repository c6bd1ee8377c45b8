"""Evidence: the parts of `context` a run read that support its answer (`Result.evidence`).

The worker logs reads of the context per cell: `cite(start, end, key=None)` in model code, the
REPL helpers `grep` and `lines` on the context, and plain reads (`sandbox.readlog`: slices,
indexes, `find`, `split`, `re` searches). When a run ends, `select` keeps the reads whose
text holds the answer (normalised), half of its distinctive words or two of them; when none
does, the reads of the last cell that read anything (what the model looked at before it
answered). A wide read (a chunk, a whole text split into lines) says little by itself: it
counts only where the answer, or its words, is written in it, narrowed to those lines. A read
that shares a rare word with the evidence, other than the answer's, is kept after it: the
first hop of a chain (`_bridged`).
Each item says where it is: `key` (a dict context's path, a list context's index,
None for a str context), `start`/`end` (characters of that text), `line_start`/`line_end`
(1-based) and a short `text` excerpt.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import Any

from recursor.sandbox.base import Read

__all__ = ["MAX_ITEMS", "EvidenceItem", "select"]

EvidenceItem = dict[str, Any]
"""{"key", "start", "end", "line_start", "line_end", "text"}."""

MAX_ITEMS = 10
"""Evidence items a run keeps, best first."""

_EXCERPT = 200
"""Characters of an item's `text`."""

WIDE = 2000
"""A read longer than this counts only where the answer is written in it (`_narrowed`)."""

_STOPS = (". ", "! ", "? ")
"""Where a sentence ends, for a line too long to show."""

_PLACES = 3
"""Places a wide read may hold the answer at; written in more, it points at none of them."""

_WORD = re.compile(r"[a-z0-9]+(?:[.'-][a-z0-9]+)*")
_STOP = frozenset(
    "a an and are as at be by for from has have in is it its of on or that the this to was were "
    "with which who what when where yes no not answer final".split()
)


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _tokens(text: str) -> set[str]:
    """The distinctive words of `text`: no function words, and numbers or words of 3+ letters."""
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and (len(w) >= 3 or w.isdigit())}


def _source(context: Any, key: str | int | None) -> str | None:
    """The text a read's offsets count in, or None when the key names nothing."""
    if key is None:
        return context if isinstance(context, str) else None
    if isinstance(context, dict):
        value = context.get(key, context.get(str(key)))
        return None if value is None else str(value)
    if isinstance(context, (list, tuple)) and isinstance(key, int) and 0 <= key < len(context):
        return str(context[key])
    return None


def _merged(reads: Sequence[tuple[str, Read]]) -> list[tuple[int, str | int | None, int, int]]:
    """The reads as (order, key, start, end), overlapping reads of one text joined, wide ones
    apart from narrow ones (a chunk must not swallow the line read in it); `order` is the
    index of the cell that read it last (cells in the order they ran)."""
    cells: dict[str, int] = {}
    groups: dict[tuple[bool, str | int | None], list[tuple[int, int, int]]] = {}
    for cell, (key, start, end) in reads:
        order = cells.setdefault(cell, len(cells))
        groups.setdefault((end - start > WIDE, key), []).append((start, end, order))
    spans: list[tuple[int, str | int | None, int, int]] = []
    for (_, key), items in groups.items():
        items.sort()
        s, e, o = items[0]
        for start, end, order in items[1:]:
            if start < e:
                e, o = max(e, end), max(o, order)
            else:
                spans.append((o, key, s, e))
                s, e, o = start, end, order
        spans.append((o, key, s, e))
    return spans


def _line(source: str, start: int, end: int) -> tuple[int, int]:
    """The line around source[start:end]; with no line break near, its sentence, cut to
    `_EXCERPT` characters either side."""
    lo, hi = max(0, start - _EXCERPT), min(len(source), end + _EXCERPT)
    before = source.rfind("\n", lo, start)
    if before >= 0:
        lo = before + 1
    elif (stop := max(source.rfind(p, lo, start) for p in _STOPS)) >= 0:
        lo = stop + 2
    after = source.find("\n", end, hi)
    if after < 0:
        after = min((i + 1 for p in _STOPS if (i := source.find(p, end, hi)) >= 0), default=hi)
    return lo, after


def _answer_rx(answer: str) -> re.Pattern[str] | None:
    """The answer as written in a text (any case and spacing, not inside a longer word), or
    None when it is too short or too long to point at one place."""
    parts = answer.split()
    if len(" ".join(parts)) < 4 or len(answer) > 300:
        return None
    body = r"\s+".join(re.escape(w) for w in parts)
    return re.compile(r"(?<![A-Za-z0-9])" + body + r"(?![A-Za-z0-9])", re.IGNORECASE)


def _narrowed(source: str, start: int, end: int, answer: str, words: set[str]) -> list[tuple[float, int, int]]:
    """The lines of a wide read that hold the answer (score 2) or most of its words, as
    (score, start, end); none when the answer is written in too many places to tell."""
    rx = _answer_rx(answer)
    if rx is not None:
        hits = [m.span() for m in itertools.islice(rx.finditer(source, start, end), _PLACES + 1)]
        if 0 < len(hits) <= _PLACES:
            return [(2.0, *_line(source, s, e)) for s, e in hits]
        if hits:
            return []
    if len(words) < 2:
        return []
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)[:8])
    word_rx = re.compile(r"(?<![a-z0-9])(?:" + alternatives + r")(?![a-z0-9])", re.IGNORECASE)
    found: dict[tuple[int, int], set[str]] = {}
    for m in itertools.islice(word_rx.finditer(source, start, end), 5000):
        found.setdefault(_line(source, m.start(), m.end()), set()).add(m.group().lower())
    scored = []
    for (s, e), seen in found.items():
        shared = len(seen)
        score = max(shared / len(words), 0.5 if shared >= 2 else 0.0)
        if score >= 0.5:
            scored.append((score, s, e))
    scored.sort(key=lambda x: -x[0])
    return scored[:_PLACES]


def _score(text: str, want: str, words: set[str]) -> float:
    """How well a read's text supports the answer: 2 when it holds the answer, else the share
    of the answer's distinctive words it holds (0.5 for two of a long answer's)."""
    if want and want in _norm(text):
        return 2.0
    if not words:
        return 0.0
    shared = len(words & _tokens(text))
    # Half the answer's words, or two of a long answer's, tie the read to it.
    return max(shared / len(words), 0.5 if shared >= 2 else 0.0)


def _item(source: str, key: str | int | None, start: int, end: int) -> EvidenceItem:
    text = source[start:end]
    line_start = source.count("\n", 0, start) + 1
    return {
        "key": key, "start": start, "end": end, "line_start": line_start,
        "line_end": line_start + text.count("\n", 0, max(len(text) - 1, 0)),
        "text": text if len(text) <= _EXCERPT else text[:_EXCERPT - 3] + "...",
    }


def select(context: Any, reads: Sequence[tuple[str, Read]], answer: str,
           limit: int = MAX_ITEMS) -> list[EvidenceItem]:
    """The evidence for `answer` among `reads` ((cell id, (key, start, end)), in the order read)."""
    items: list[tuple[float, int, EvidenceItem]] = []
    want, words = _norm(answer), _tokens(answer)
    for order, key, start, end in _merged(reads[:5000]):
        source = _source(context, key)
        if source is None or start >= len(source):
            continue
        end = min(end, len(source))
        if end - start > WIDE:
            items += [(score, order, _item(source, key, s, e))
                      for score, s, e in _narrowed(source, start, end, answer, words)]
        else:
            items.append((_score(source[start:end], want, words), order, _item(source, key, start, end)))
    if not items:
        return []
    strong = [x for x in items if x[0] >= 0.5]
    if strong:
        strong.sort(key=lambda x: (-x[0], -x[1]))  # best fit first, then the latest read
        kept = _distinct([item for _, _, item in strong])
        weak = [item for score, _, item in items if score < 0.5]
        return (kept + _bridged(context, kept, weak, words))[:limit]
    last = max(order for _, order, _ in items)
    return [item for _, order, item in items if order == last][:limit]


def _bridged(context: Any, kept: list[EvidenceItem], weak: list[EvidenceItem],
             answer_words: set[str]) -> list[EvidenceItem]:
    """Reads tied to the evidence by a rare word of it that is not the answer's: the first hop
    of a chain (the name the answer's line is filed under, read where it was found). Rare: in
    at most two of the reads, so words the question or a list of look-alike lines repeat
    tie nothing."""
    def words_of(item: EvidenceItem) -> set[str]:
        source = _source(context, item["key"]) or ""
        return {w for w in _tokens(source[item["start"]:item["end"]]) if len(w) >= 4 or w.isdigit()}

    kept_words = [words_of(item) for item in kept]
    weak_words = [words_of(item) for item in weak]
    seen: dict[str, int] = {}
    for ws in kept_words + weak_words:
        for w in ws:
            seen[w] = seen.get(w, 0) + 1
    links = {w for ws in kept_words for w in ws - answer_words if seen[w] <= 2}
    tied = [item for item, ws in zip(weak, weak_words, strict=True) if ws & links]
    return _distinct(kept + tied)[len(kept):][:_PLACES]


def _distinct(items: list[EvidenceItem]) -> list[EvidenceItem]:
    """`items` without those overlapping an earlier one (a line found both in a chunk and by
    a search of its own)."""
    kept: list[EvidenceItem] = []
    for item in items:
        if not any(k["key"] == item["key"] and k["start"] < item["end"] and item["start"] < k["end"]
                   for k in kept):
            kept.append(item)
    return kept
