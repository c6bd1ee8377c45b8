"""Evidence: the parts of `context` a run read that support its answer (`Result.evidence`).

The worker logs reads of the context per cell (`cite(start, end, key=None)` in model code,
and the REPL helpers `grep` and `lines` on the context). When a run ends, `select` keeps the
reads whose text holds the answer (normalised), half of its distinctive words or two of them; when none
does, the reads of the last cell that read anything (what the model looked at before it
answered). Each item says where it is: `key` (a dict context's path, a list context's index,
None for a str context), `start`/`end` (characters of that text), `line_start`/`line_end`
(1-based) and a short `text` excerpt.
"""

from __future__ import annotations

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
    """The reads as (order, key, start, end), with overlapping reads of one text joined; `order`
    is the index of the cell that read it last (cells in the order they ran)."""
    cells: dict[str, int] = {}
    spans: list[tuple[int, str | int | None, int, int]] = []
    for cell, (key, start, end) in reads:
        order = cells.setdefault(cell, len(cells))
        for i, (o, k, s, e) in enumerate(spans):
            if k == key and start < e and s < end:
                spans[i] = (max(o, order), k, min(s, start), max(e, end))
                break
        else:
            spans.append((order, key, start, end))
    return spans


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
        text = source[start:end]
        if want and want in _norm(text):
            score = 2.0
        elif words:
            shared = len(words & _tokens(text))
            # Half the answer's words, or two of a long answer's, tie the read to it.
            score = max(shared / len(words), 0.5 if shared >= 2 else 0.0)
        else:
            score = 0.0
        line_start = source.count("\n", 0, start) + 1
        item: EvidenceItem = {
            "key": key, "start": start, "end": end, "line_start": line_start,
            "line_end": line_start + text.count("\n", 0, max(len(text) - 1, 0)),
            "text": text if len(text) <= _EXCERPT else text[:_EXCERPT - 3] + "...",
        }
        items.append((score, order, item))
    if not items:
        return []
    strong = [x for x in items if x[0] >= 0.5]
    if strong:
        strong.sort(key=lambda x: (-x[0], -x[1]))  # best fit first, then the latest read
        return [item for _, _, item in strong[:limit]]
    last = max(order for _, order, _ in items)
    return [item for _, order, item in items if order == last][:limit]
