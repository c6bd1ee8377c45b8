"""Which value of a log's column comes up most, for a question that ranks by count.

"Which package had the most status changes?" over a log whose lines are columns (a date, a
time, an action, a name, a version) is one `count_by` over the lines whose action column says
`status`, by the column of names. Shown only those lines' words, the 1.5B root labelled all
1,336 of them with a sub-model (`classify(rows, "package")`) until its deadline; asked on which
date dpkg installed the most packages, it answered the date of the first line it saw.

This reads the question's own words as column values (`status`, `install` for "installs"),
keeps the lines that write them there, and counts those lines by the one column the question's
"which X" names: a column of dates for a day or date, else the one column of many different
names (not numbers or versions, not a handful of states). Nothing is offered when any step is
unsure: no word written as a column value, two columns of names, or a tie at the top.

General: it knows no log format, only lines split at spaces (as `helpers.cols` splits them).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from recursor.question import asking_part
from recursor.sandbox.helpers import _ENDINGS, _STOP, _stem, to_date

__all__ = ["ColumnRank", "column_rank"]

_COUNT_RANKED = re.compile(
    r"\bmost\b(?![\s-]+recent)|\b(?:largest|greatest|highest|biggest)\s+(?:number|count|amount)\s+of\b",
    re.IGNORECASE)
"""A ranking by how many ("the most status changes", "the largest number of packages"); not
"the highest version" nor "the most recent"."""
_ASKED_NOUN = (
    re.compile(r"\b(?:which|what)\s+([A-Za-z][\w-]*)", re.IGNORECASE),
    re.compile(r"\bthe\s+([A-Za-z][\w-]*)\s+(?:with|that\s+\w+|which\s+\w+)\s+the\s+(?:most|largest|greatest)\b",
               re.IGNORECASE),
)
"""The thing asked for: "which package ...", "on which date ...", "find the package with the most ..."."""
_COUNTED_NOUN = re.compile(r"\b(?:most|(?:number|count|amount)\s+of)\s+([A-Za-z][\w-]*)", re.IGNORECASE)
"""The word right after the ranking, often what is counted ("the most packages")."""
_DAY_WORDS = frozenset({"day", "date"})
_READ_UP_TO = 4_000_000
"""Characters split into columns at most (a 40 MB log is left to the root's own code)."""
_COLUMNS = 8
"""Columns read per line: a log's action and names come early."""
_LEAST = 5
"""Lines that must write the question's words for their counts to rank anything."""
_MANY_NAMES = 12
"""A column of names takes more different values than this (fewer are states or levels)."""
_SPANS = 8
"""Lines of the top value kept as where it was read (`Orientation.reads`)."""
_SHARE = 0.9
"""The share of the kept lines a column must fill in the same way (dates, or names)."""


@dataclass(frozen=True, slots=True)
class ColumnRank:
    """The top value of one column over the lines whose column `where` writes `value`."""

    rows: tuple[str, ...]  # what the look shows
    top: str  # the value that comes up most
    spans: tuple[tuple[int, int], ...]  # the first lines that write it: where it was read


def _asked_noun(asking: str) -> str | None:
    for rx in _ASKED_NOUN:
        if (m := rx.search(asking)) and m.group(1).lower() not in _STOP:
            return m.group(1).lower()
    return None


def _written_as(word: str, stem: str, value: str) -> int:
    """How a column's `value` writes the question's `word` (lowercase; `stem` its `_stem`): 2 as
    itself or its singular ("installs" as `install`), 1 as another form of it ("upgraded" as
    `upgrade`), else 0."""
    v = value.strip(":,;[]()").lower()
    if len(v) >= 3 and (v == word or v + "s" == word or v + "es" == word):
        return 2
    return 1 if len(stem) >= 4 and v.startswith(stem) and v[len(stem):] in _ENDINGS else 0


def _word_column(word: str, rows: list[list[str]], values: Counter[tuple[int, str]]) -> tuple[int, str, list[int]] | None:
    """The column and value that write `word` on the most lines (its own form first), and those
    lines' numbers; None when fewer than `_LEAST` lines do. `values`: each (column, value)'s lines."""
    w = word.lower()
    stem = _stem(w)
    found = [(how, n, c, v) for (c, v), n in values.items() if n >= _LEAST and (how := _written_as(w, stem, v))]
    if not found:
        return None
    _, _, c, value = max(found)
    return c, value, [i for i, row in enumerate(rows) if len(row) > c and row[c] == value]


def _day(value: str) -> str | None:
    found = to_date(value) if any(ch.isdigit() for ch in value) else None
    return found.isoformat() if found is not None else None


def _value_of(row: list[str], noun: str, column: int) -> str | None:
    """What a row is counted by: its first date for a day or date, else its value in `column`."""
    if noun in _DAY_WORDS:
        return next((x for v in row if (x := _day(v))), None)
    return row[column] if len(row) > column else None


def _names_column(rows: list[list[str]], skip: set[int]) -> int | None:
    """The one column, of those not skipped, that nearly every row fills with a name (a letter
    first) and that takes many different values; None if none or several do."""
    width = min(len(r) for r in rows)
    found = []
    for c in range(min(width, _COLUMNS)):
        if c in skip:
            continue
        values = [r[c] for r in rows]
        named = sum(v[:1].isalpha() for v in values)
        if named >= _SHARE * len(rows) and len(set(values)) > _MANY_NAMES:
            found.append(c)
    return found[0] if len(found) == 1 else None


def column_rank(text: str, question: str, words: list[str]) -> ColumnRank | None:
    """The look's rows for a question that ranks by count ("which package had the most status
    changes?") over a text of column lines, and the top value; None when the question does not
    rank so, no word of `words` (the question's words the text holds) is written as one
    column's value on `_LEAST` lines or more, or the column asked for is not clear."""
    asking = asking_part(question)
    noun = _asked_noun(asking)
    if noun is None or not _COUNT_RANKED.search(asking) or len(text) > _READ_UP_TO:
        return None
    rows = [line.split(None, _COLUMNS)[:_COLUMNS] for line in text.split("\n")]  # the 8th: the rest
    values = Counter((c, v) for row in rows for c, v in enumerate(row))
    noun_stem = _stem(noun)
    kept: list[tuple[str, int, str, list[int]]] = []
    for word in words:
        if _stem(word.lower()) == noun_stem or any(ch.isdigit() for ch in word):
            continue  # the thing asked for, or a date or version: not what is counted
        if (at := _word_column(word, rows, values)) is not None:
            kept.append((word, *at))
    if not kept:
        return None
    together = set.intersection(*(set(lines) for *_, lines in kept))
    if len(together) < _LEAST and len(kept) > 1 and (counted := _COUNTED_NOUN.search(asking)):
        # Words of different lines ("the most packages installed": `packages` in "startup packages
        # configure", `installed` in the state lines): the thing counted is no filter.
        kept = [k for k in kept if k[0].lower() != counted.group(1).lower()] or kept
        together = set.intersection(*(set(lines) for *_, lines in kept))
    if len(together) < _LEAST:  # still words of different lines: the one written most
        kept = [max(kept, key=lambda k: len(k[3]))]
        together = set(kept[0][3])
    picked = [rows[i] for i in sorted(together)]
    lines = text.split("\n")
    widths = Counter(len(lines[i].split()) for i in together)
    if widths.most_common(1)[0][1] < _SHARE * len(picked):
        return None  # free text after a few columns ("ERROR Connection refused ..."): its words are no names
    skip = {c for _, c, _, _ in kept}
    column = -1 if noun in _DAY_WORDS else _names_column(picked, skip)
    if column is None:
        return None
    counts = Counter(v for r in picked if (v := _value_of(r, noun, column)))
    if sum(counts.values()) < _SHARE * len(picked):
        return None  # a day asked for, and lines that write none
    what = "date" if column < 0 else f"column {column}"
    ranked = counts.most_common(2)
    if len(ranked) < 2 or ranked[0][1] == ranked[1][1] or ranked[0][1] < 2:
        return None  # one value, or a tie: nothing ranks
    where = " and ".join(f"column {c} is {value!r}" for _, c, value, _ in kept)
    (top, n), (second, m) = ranked
    call = (f"count_by([r for r in lines() if {' and '.join(f'cols(r)[{c}:{c + 1}] == [{value!r}]' for _, c, value, _ in kept)}], "
            + ("key=lambda r: to_date(r))" if noun in _DAY_WORDS else f"{column})"))
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    top_lines = [i for i in sorted(together) if _value_of(rows[i], noun, column) == top][:_SPANS]
    return ColumnRank(
        (f"Of the {len(picked):,} lines whose {where} (columns counted from 0), by {what}: "
         f"{top} on {n:,} lines, the most; next {second} on {m:,}. {call} counts them.",),
        top,
        tuple((starts[i], starts[i] + len(lines[i])) for i in top_lines),
    )
