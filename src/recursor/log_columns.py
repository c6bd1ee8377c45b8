"""Counts over a log's columns: which value comes up most, and how many lines say so.

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

"How many packages were upgraded on 2026-05-20?" is the same reading without a ranking: the
lines whose columns write the question's words (`2026-05-20`, `upgrade`), counted
(`column_count`). Shown those 7 lines among the date's 416, the 1.5B counted all 416.

General: it knows no log format, only lines split at spaces (as `helpers.cols` splits them).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from recursor.question import COUNT_ASKED, HOW_MANY, asking_part, negated
from recursor.sandbox.helpers import _ENDINGS, _STOP, _stem, to_date

__all__ = ["ColumnCount", "ColumnRank", "column_count", "column_rank"]

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
    if len(v) >= 3 and (v == word or v + "s" == word or v + "es" == word or v.split(":", 1)[0] == word):
        return 2  # a name with its qualifier counts as the name ("dmsetup:amd64")
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


def _line_spans(lines: list[str], wanted: list[int]) -> tuple[tuple[int, int], ...]:
    """Where lines `wanted` (numbers, ascending) start and end in the text `lines` make up."""
    spans, at, pos = [], 0, 0
    for i in wanted:
        pos += sum(len(line) + 1 for line in lines[at:i])
        spans.append((pos, pos + len(lines[i])))
        at = i
    return tuple(spans)


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
    top_lines = [i for i in sorted(together) if _value_of(rows[i], noun, column) == top][:_SPANS]
    return ColumnRank(
        (f"Of the {len(picked):,} lines whose {where} (columns counted from 0), by {what}: "
         f"{top} on {n:,} lines, the most; next {second} on {m:,}. {call} counts them.",),
        top,
        _line_spans(lines, top_lines),
    )


@dataclass(frozen=True, slots=True)
class ColumnCount:
    """How many lines write each of the question's words as one column's value."""

    rows: tuple[str, ...]  # what the look shows
    count: int
    spans: tuple[tuple[int, int], ...]  # the first of those lines: where it was read


_HOW_OFTEN = re.compile(r"\bhow\s+(?:often|many\s+times)\b", re.IGNORECASE)
"""A count of events, each line one, whatever it names."""


def _one_column(word: str, values: Counter[tuple[int, str]]) -> tuple[int | None, str] | None:
    """Where lines write `word` (`_written_as`): its one value, and the column that holds it,
    or None for any column when it is in several (a log's name moves with its action:
    `install dmsetup:amd64`, `status unpacked dmsetup:amd64`). None when no value
    writes it, or two do ("installed" is a state and, as `install`, an action: which one is
    asked is a question to answer, not to guess; `dmsetup:amd64` and `dmsetup:i386` are two
    packages)."""
    w = word.lower()
    stem = _stem(w)
    found: dict[int, Counter[tuple[int, str]]] = {}
    for (c, v), n in values.items():
        if how := _written_as(w, stem, v):
            found.setdefault(how, Counter())[(c, v)] += n
    if len(found) != 1:
        return None
    (at,) = found.values()
    if len({v for _, v in at}) != 1:
        return None
    (column, value), _ = at.most_common(1)[0]
    return (column if len(at) == 1 else None), value


def _tabular(lines: list[str], near: int) -> bool:
    """Whether the text around line `near` (its file, for files joined under `# File:` lines)
    is lines of columns: eight in ten of its lines that are not blank have one of four
    neighbouring numbers of words, under a dozen. A changelog's prose is not: its lines run
    from one word to fifteen, and a package named on two of them is no count of anything."""
    lo = next((i for i in range(near, -1, -1) if lines[i].startswith("# File: ")), 0)
    hi = next((i for i in range(near + 1, len(lines)) if lines[i].startswith("# File: ")), len(lines))
    widths = Counter(len(line.split()) for line in lines[lo:hi] if line.strip())
    total = sum(widths.values())
    return any(sum(widths[w + k] for k in range(4)) >= 0.8 * total for w in range(1, 10))


def column_count(text: str, question: str, found: list[str], missing: list[str]) -> ColumnCount | None:
    """For "how many ..." over a text of column lines: how many lines write every word of the
    question the text holds (`found`) as one column's value ("2026-05-20" as a date, "upgraded"
    as the action `upgrade`, "dmsetup" as `dmsetup:amd64`), the thing counted aside ("how many
    packages"). None when a word the question says is not in the text (`missing`: "newly",
    "step"), says what the answer is not, is no column's value or two columns' (see
    `_one_column`), no line writes them all, or, counting things ("how many packages"), a
    name repeats among those lines (a package upgraded twice: lines are not packages)."""
    asking = asking_part(question)
    times = _HOW_OFTEN.search(asking) is not None
    many = HOW_MANY.search(asking)
    if not (times or COUNT_ASKED.search(asking)) or negated(question) or len(text) > _READ_UP_TO:
        return None
    noun = _stem(many.group("what").split()[0].lower()) if many and not times else ""
    aside = {noun, "time", "times", "often"}
    if any(_stem(w.lower()) not in aside for w in missing):
        return None
    words = [w for w in found if _stem(w.lower()) not in aside]
    if not words:  # "how many upgrades": the thing counted is itself what the lines write
        words, times = [w for w in found if noun and _stem(w.lower()) == noun][:1], True
        if not words:
            return None
    rows = [line.split(None, _COLUMNS)[:_COLUMNS] for line in text.split("\n")]
    values = Counter((c, v) for row in rows for c, v in enumerate(row))
    kept: list[tuple[int | None, str]] = []
    for word in words:
        if (at := _one_column(word, values)) is None:
            return None
        kept.append(at)

    def writes(row: list[str], column: int | None, value: str) -> bool:
        return value in row if column is None else len(row) > column and row[column] == value

    hits = [i for i, row in enumerate(rows) if all(writes(row, c, v) for c, v in kept)]
    lines = text.split("\n")
    if not hits or not _tabular(lines, hits[0]):
        return None
    filters = {c for c, _ in kept}
    if not times:
        for c in range(_COLUMNS):
            named = [rows[i][c] for i in hits if len(rows[i]) > c and rows[i][c][:1].isalpha()]
            if c not in filters and len(named) >= _SHARE * len(hits) and len(set(named)) < len(named):
                return None  # "how many packages" and a name on two of the lines
    test = " and ".join(f"{v!r} in cols(r)" if c is None else f"cols(r)[{c}:{c + 1}] == [{v!r}]" for c, v in kept)
    where = " and ".join(f"{v!r} as a column" if c is None else f"column {c} {v!r}" for c, v in kept)
    return ColumnCount(
        (f"Lines with {where} (columns counted from 0): {len(hits):,}. "
         f"len([r for r in lines() if {test}]) counts them.",),
        len(hits),
        _line_spans(lines, hits[:_SPANS]),
    )
