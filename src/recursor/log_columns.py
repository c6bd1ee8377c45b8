"""Counts over a log's columns: which value comes up most, and how many lines say so.

"Which package had the most status changes?" over a log whose lines are columns (a date, a
time, an action, a name, a version) is one `count_by` over the lines whose action column says
`status`, by the column of names. Shown only those lines' words, the 1.5B root labelled all
1,336 of them with a sub-model (`classify(rows, "package")`) until its deadline; asked on which
date dpkg installed the most packages, it answered the date of the first line it saw.

This reads the question's own words as column values (`status`, `install` for "installs"),
keeps the lines that write them there, and counts those lines by the one column the question's
"which X" names: a column of dates for a day or date, else the one column of many different
names (not numbers or versions, not a handful of states) (`column_rank`).

"How many packages were upgraded on 2026-05-20?" is the same reading without a ranking: the
lines whose columns write the question's words (`2026-05-20`, `upgrade`), counted
(`column_count`). Shown those 7 lines among the date's 416, the 1.5B counted all 416.

What either offers is taken as read, so each abstains whenever the question may say more than
the columns do: a word of it the text does not hold (a period, "yesterday", "second", an
amount's unit), a word of it the columns do not write, a word two columns write in two forms
("installed": a state, or the action `install`), lines from several files, lines that are not
columns of one shape, or a tie at the top.

General: it knows no log format, only lines split at spaces (as `helpers.cols` splits a line
without tabs or `|`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from recursor.question import (
    COUNT_ASKED,
    HOW_MANY,
    NOT_FIRST,
    QUALIFIED,
    asking_part,
    date_range,
    negated,
)
from recursor.sandbox.helpers import _ENDINGS, _STOP, _stem, to_date

__all__ = ["ColumnCount", "ColumnRank", "column_count", "column_rank"]

_COUNT_RANKED = re.compile(r"(?<!\bat\s)\bmost\b(?![\s-]+recent)|\b(?:largest|greatest|highest|biggest)\s+"
                           r"(?:number|count)\s+of\b", re.IGNORECASE)
"""A ranking by how many ("the most status changes", "the largest number of packages"); not
"at most", "the most recent", "the highest version" nor "the largest amount of"."""
_ASKED_NOUN = (
    re.compile(r"\b(?:which|what)\s+([A-Za-z][\w-]*)", re.IGNORECASE),
    re.compile(r"\bthe\s+([A-Za-z][\w-]*)\s+(?:with|that\s+\w+|which\s+\w+)\s+the\s+(?:most|largest|greatest)\b",
               re.IGNORECASE),
)
"""The thing asked for: "which package ...", "on which date ...", "find the package with the most ..."."""
_COUNTED_NOUN = re.compile(r"\b(?:most|(?:number|count)\s+of)\s+([A-Za-z][\w-]*)", re.IGNORECASE)
"""The word right after the ranking, often what is counted ("the most packages")."""
_RANKING_WORDS = frozenset({"most", "largest", "greatest", "highest", "biggest", "number", "count", "times",
                            "often", "frequently", "many"})
_SAYS_MORE = re.compile(
    r"\b(?:after|before|until|till|by|up\s+to|since|prior|later|earlier|between|except|besides|excluding|"
    r"without|with|only|once|twice|again|both|other|same|further|first|last|latest|earliest|previous|next|"
    r"total|all|any|either|neither|or)\b|\b(?:through|during|within|over|under|below|above)\s+(?:\S+\s+)?\d",
    re.IGNORECASE)
"""Words that set a count or a ranking apart from the lines a column value picks, and that the
look neither searches nor misses (they are stop words): "upgraded after 2026-05-09", "more
than once", "again", "with curl", "the last run", "during 2026" (not "went through")."""
_THE_TEXT = frozenset({"log", "logs", "file", "files", "text", "document"})
"""Words for the text itself ("in this log")."""
_DAY_WORDS = frozenset({"day", "date"})
_NOT_NAMES = frozenset({"month", "year", "week", "hour", "minute", "time", "ip", "address", "port", "pid", "id",
                        "number", "code", "version", "size", "amount", "file", "files", "module", "log", "source"})
"""Things asked for that a column of names is not: other spans of time, numbers, addresses,
versions; a file (the lines' file, which no column writes)."""
_DATE_SHAPED = re.compile(r"\d{4}-\d\d-\d\d|\d\d?/[A-Za-z]{3}/\d{4}|\d\d?/\d\d?/\d{2,4}|\d{8}")
"""A column value that may be a date, checked before `to_date` reads it."""
_TIME_SHAPED = re.compile(r"\d\d:\d\d(?::\d\d)?")
"""A time of day, as a log writes one on each line."""
_READ_UP_TO = 4_000_000
"""Characters split into columns at most (a 40 MB log is left to the root's own code)."""
_COLUMNS = 8
"""Columns read per line: a log's action and names come early."""
_LEAST = 5
"""Lines that must write the question's words for their counts to rank anything."""
_MANY_NAMES = 12
"""A column of names takes more different values than this (fewer are states or levels)."""
_FEW_VALUES = 30
"""A column of at most this many values is a field (`_Columns.structured`)."""
_SPANS = 8
"""Lines kept as where a value was read (`Orientation.reads`)."""
_SHARE = 0.9
"""The share of the kept lines a column must fill in the same way (dates, or names)."""


class _Columns:
    """A text's lines split at spaces (the first `_COLUMNS`), each (column, value)'s lines, and
    each line's file (`files`: each file's name and where it starts in the text, none for one
    text)."""

    def __init__(self, text: str, files: list[tuple[str, int]]) -> None:
        self.lines = text.split("\n")
        self.rows = [line.split(None, _COLUMNS)[:_COLUMNS] for line in self.lines]
        self.values = Counter((c, v) for row in self.rows for c, v in enumerate(row))
        self.starts = [0]
        for line in self.lines[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.file_starts = [at for _, at in files]
        self.path_words = {p.lower() for name, _ in files for p in re.split(r"[^A-Za-z0-9]+", name) if p}
        # Each value as `_written_as` compares it (lowercase, without the punctuation around it),
        # and a qualified name by its name ("dmsetup" for `dmsetup:amd64`): a word's forms are
        # looked up, not compared with every value of a 4 MB log.
        self.by_value: dict[str, list[tuple[int, str, int]]] = {}
        self.by_name: dict[str, list[tuple[int, str, int]]] = {}
        for (c, v), n in self.values.items():
            key = v.strip(":,;[]()").lower()
            self.by_value.setdefault(key, []).append((c, v, n))
            if ":" in key:
                self.by_name.setdefault(key.split(":", 1)[0], []).append((c, v, n))
        self._fields: dict[int, bool] = {}

    def written(self, word: str) -> dict[int, Counter[tuple[int, str]]]:
        """The (column, value)s writing `word`, by how closely (`_written_as`), with their lines."""
        w = word.lower()
        stem = _stem(w)
        found: dict[int, Counter[tuple[int, str]]] = {}
        seen: set[tuple[int, str]] = set()
        forms = [w, w[:-1] if w.endswith("s") else "", w[:-2] if w.endswith("es") else ""]
        exact = [x for f in forms if len(f) >= 3 for x in self.by_value.get(f, [])] + self.by_name.get(w, [])
        near = [x for e in _ENDINGS if len(stem) >= 4 for x in self.by_value.get(stem + e, [])]
        for how, hits in ((2, exact), (1, near)):
            for c, v, n in hits:
                if (c, v) not in seen and _written_as(w, stem, v) == how:
                    seen.add((c, v))
                    found.setdefault(how, Counter())[(c, v)] += n
        return found

    def structured(self, column: int | None) -> bool:
        """Whether a column is a field of the log, not words that happen to stand there: it
        holds a few values (an action, a level, a state: `_FEW_VALUES`) or dates. A class
        name in a module's `class Parser:` line is in a column of every other word."""
        if column is None:
            return False
        if column not in self._fields:
            held = [(v, n) for (c, v), n in self.values.items() if c == column]
            dated = sum(n for v, n in held if _DATE_SHAPED.fullmatch(v))
            self._fields[column] = len(held) <= _FEW_VALUES or dated >= _SHARE * sum(n for _, n in held)
        return self._fields[column]

    def file_of(self, i: int) -> int:
        return bisect_right(self.file_starts, self.starts[i]) - 1

    def one_shape(self, picked: list[int]) -> bool:
        """Whether the lines `picked` are columns as `cols` reads them (no tab, no `|`; none a
        dict's first line, which the REPL's text prefixes with its key), all in one file, and
        the file's lines around them are columns too (`_tabular`)."""
        if any("\t" in self.lines[i] or "|" in self.lines[i] for i in picked):
            return False
        if self.file_starts and {self.starts[i] for i in picked} & set(self.file_starts):
            return False  # a dict's file's first line: the REPL's text writes "path: " before it
        files = {self.file_of(i) for i in picked}
        if len(files) > 1:
            return False  # "which file has the most errors" is no column's value
        f = files.pop()
        lo = self.starts[0] if f < 0 else self.file_starts[f]
        hi = self.file_starts[f + 1] if 0 <= f + 1 < len(self.file_starts) else self.starts[-1] + 1
        return _tabular([self.lines[i] for i in range(bisect_right(self.starts, lo) - 1, bisect_right(self.starts, hi - 1))])

    def writing(self, filters: list[tuple[int | None, str]]) -> list[int]:
        """The lines that write each value in its column, or anywhere as `cols` splits the line
        (column None), in order."""
        def writes(i: int, column: int | None, value: str) -> bool:
            row = self.rows[i]
            return value in self.lines[i].split() if column is None else len(row) > column and row[column] == value
        return [i for i in range(len(self.rows)) if all(writes(i, c, v) for c, v in filters)]

    def spans(self, picked: list[int]) -> tuple[tuple[int, int], ...]:
        return tuple((self.starts[i], self.starts[i] + len(self.lines[i])) for i in picked[:_SPANS])


def _tabular(lines: list[str]) -> bool:
    """Whether lines are a log's columns: eight in ten of those not blank (nor `# File:`
    headers) are dated or timed in their first three words, and have one of four neighbouring
    numbers of words, under a dozen. A changelog's prose is not (its lines run from one word to
    fifteen, and a package named on two of them is no count), nor is a module (`class Parser:`
    is no record of anything)."""
    body = [line for line in lines if line.strip() and not line.startswith("# File: ")]
    if not body:
        return False
    dated = sum(any(_DATE_SHAPED.search(w) or _TIME_SHAPED.search(w) for w in line.split(None, 3)[:3]) for line in body)
    widths = Counter(len(line.split()) for line in body)
    return dated >= 0.8 * len(body) and any(sum(widths[w + k] for k in range(4)) >= 0.8 * len(body) for w in range(1, 10))


@dataclass(frozen=True, slots=True)
class ColumnRank:
    """The top value of one column over the lines whose columns write the question's words."""

    rows: tuple[str, ...]  # what the look shows
    top: str  # the value that comes up most
    spans: tuple[tuple[int, int], ...]  # the first lines that write it: where it was read


@dataclass(frozen=True, slots=True)
class ColumnCount:
    """How many lines write each of the question's words as one column's value."""

    rows: tuple[str, ...]  # what the look shows
    count: int
    spans: tuple[tuple[int, int], ...]  # the first of those lines: where it was read


def _asked_noun(asking: str) -> str | None:
    for rx in _ASKED_NOUN:
        if (m := rx.search(asking)) and m.group(1).lower() not in _STOP:
            return m.group(1).lower()
    return None


def _written_as(word: str, stem: str, value: str) -> int:
    """How a column's `value` writes the question's `word` (lowercase; `stem` its `_stem`): 2 as
    itself, its singular ("installs" as `install`) or its name before a ":" ("dmsetup" as
    `dmsetup:amd64`), 1 as another form of it ("upgraded" as `upgrade`), else 0."""
    v = value.strip(":,;[]()").lower()
    if len(v) >= 3 and (v == word or v + "s" == word or v + "es" == word or v.split(":", 1)[0] == word):
        return 2
    return 1 if len(stem) >= 4 and v.startswith(stem) and v[len(stem):] in _ENDINGS else 0


def _one_value(word: str, columns: _Columns, least: int = 1) -> tuple[int | None, str] | None:
    """Where lines write `word` (on `least` lines or more): its one value, and the column that
    holds it on nine in ten of its lines (`configure` is dpkg's action, and three times the
    last word of "startup packages configure"), or None for any column (a log's name moves
    with its action: `install dmsetup:amd64`, `status unpacked dmsetup:amd64`). A value that is the
    word itself or its plural wins over other forms of it ("install" is `install`, not
    `installed`). None when no value writes it, or two do: "installed" is the state
    `installed` and, as `install`, the action (which one is asked is a question to answer,
    not to guess); `dmsetup:amd64` and `dmsetup:i386` are two packages."""
    found = {how: at for how, counted in columns.written(word).items()
             if (at := Counter({cv: n for cv, n in counted.items() if n >= least}))}
    if not found:
        return None
    best = found[max(found)]
    if len({v for _, v in best}) != 1:
        return None
    (column, value), n = best.most_common(1)[0]
    if 1 in found and 2 in found and any(len(v) < len(value) for _, v in found[1]):
        return None  # "installed": the state itself, or the action `install`
    return (column if n >= _SHARE * sum(best.values()) else None), value




def _call_test(kept: list[tuple[int | None, str]]) -> str:
    return " and ".join(f"{v!r} in cols(r)" if c is None else f"cols(r)[{c}:{c + 1}] == [{v!r}]" for c, v in kept)


def _said(kept: list[tuple[int | None, str]]) -> str:
    return " and ".join(f"{v!r} as a column" if c is None else f"column {c} {v!r}" for c, v in kept)


def _day(value: str) -> str | None:
    found = to_date(value) if _DATE_SHAPED.search(value) else None
    return found.isoformat() if found is not None else None


def _value_of(row: list[str], by_day: bool, column: int) -> str | None:
    """What a row is counted by: its first date for a day or date, else its value in `column`."""
    if by_day:
        return next((x for v in row[:3] if (x := _day(v))), None)
    return row[column] if len(row) > column else None


def _names_column(rows: list[list[str]], skip: set[int]) -> int | None:
    """The one column, of those not skipped, that nearly every row fills with a name (a letter
    first; not a label ending in ":" nor a tag with brackets, `sshd[20089]:`) and that takes
    many different values; None if none or several do."""
    width = min(len(r) for r in rows)
    found = []
    for c in range(min(width, _COLUMNS)):
        if c in skip:
            continue
        values = [r[c] for r in rows]
        named = sum(v[:1].isalpha() and not v.endswith(":") and "[" not in v and "=" not in v for v in values)
        if named >= _SHARE * len(rows) and len(set(values)) > _MANY_NAMES:
            found.append(c)
    return found[0] if len(found) == 1 else None


def _without_most(asking: str) -> str:
    """The question without its ranking word, which `QUALIFIED` would read as "at most"."""
    return _COUNT_RANKED.sub(" ", asking)


def _plural(word: str) -> bool:
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))


def column_rank(text: str, question: str, found: list[str], missing: list[str],
                files: list[tuple[str, int]] | None = None) -> ColumnRank | None:
    """The look's rows for a question that ranks by count ("which package had the most status
    changes?") over a text of column lines, and the top value. `found`: the question's words
    the text holds, rarest first; `missing`: those it does not; `files`: each file's name and
    where it starts, for a joined text. None unless the question asks for the top of one thing by how
    many lines, every word it holds is a column's value (but the thing asked for and the
    thing counted), every word it lacks is the thing asked for, a ranking word or the noun
    after a word kept ("status changes"), and the column asked for is clear."""
    asking = asking_part(question)
    noun = _asked_noun(asking)
    if (noun is None or noun in _NOT_NAMES or _plural(noun) or not _COUNT_RANKED.search(asking)
            or NOT_FIRST.search(asking) or _SAYS_MORE.search(asking) or QUALIFIED.search(_without_most(asking))
            or date_range(question) is not None or negated(question) or len(text) > _READ_UP_TO):
        return None
    noun_stem = _stem(noun)
    counted = _COUNTED_NOUN.search(asking)
    counted_word = counted.group(1).lower() if counted else ""
    columns = _Columns(text, files or [])
    kept: list[tuple[str, int | None, str]] = []
    for word in found:
        if _stem(word.lower()) == noun_stem:
            continue  # the thing asked for: what is counted by, not which lines
        if (at := _one_value(word, columns, least=_LEAST)) is not None:
            kept.append((word, *at))
        elif word.lower() in columns.path_words:
            continue  # "did dpkg install" in /var/log/dpkg.log: every line is the file's own
        elif any(ch.isdigit() for ch in word) or word.lower() != counted_word:
            return None  # a date, a name or a word the columns do not write: it may decide
    # Words missing from the text: the thing asked for, the ranking's words, the verb between
    # them ("which day saw the most"), a word right beside a kept one ("status changes",
    # "package installs") or the text itself ("in this log"). Any other may decide.
    beside_kept = {m.group(1).lower() for w, _, _ in kept for rx in (rf"\b{re.escape(w)}\s+([A-Za-z][\w-]*)",
                                                                    rf"\b([A-Za-z][\w-]*)\s+{re.escape(w)}\b")
                   for m in re.finditer(rx, asking, re.IGNORECASE)}
    ranking = _COUNT_RANKED.search(asking)
    noun_at = re.search(rf"\b{re.escape(noun)}\b", asking, re.IGNORECASE)
    between = ({w.lower() for w in re.findall(r"[A-Za-z][\w-]*", asking[noun_at.end():ranking.start()])}
               if noun_at and ranking and noun_at.end() <= ranking.start() else set())
    for word in missing:
        w = word.lower()
        if (_stem(w) != noun_stem and w not in _RANKING_WORDS and w not in beside_kept and w not in between
                and w not in _THE_TEXT):
            return None
    if not any(columns.structured(c) for _, c, _ in kept):
        return None  # no word is a field's value: the lines are not picked by a log's columns
    picked_at = columns.writing([(c, v) for _, c, v in kept])
    if len(picked_at) < _LEAST and len(kept) > 1 and counted_word:
        # Words of different lines ("the most packages installed": `packages` in "startup packages
        # configure", `installed` in the state lines): the thing counted is no filter.
        kept = [k for k in kept if k[0].lower() != counted_word] or kept
        picked_at = columns.writing([(c, v) for _, c, v in kept])
    if len(picked_at) < _LEAST or not columns.one_shape(picked_at):
        return None
    picked = [columns.rows[i] for i in picked_at]
    widths = Counter(len(columns.lines[i].split()) for i in picked_at)
    if widths.most_common(1)[0][1] < _SHARE * len(picked):
        return None  # free text after a few columns ("ERROR Connection refused ..."): its words are no names
    by_day = noun in _DAY_WORDS
    column = -1 if by_day else _names_column(picked, {c for _, c, _ in kept if c is not None})
    if column is None:
        return None
    counts = Counter(v for r in picked if (v := _value_of(r, by_day, column)))
    if sum(counts.values()) < _SHARE * len(picked):
        return None  # a day asked for, and lines that write none
    ranked = counts.most_common(2)
    if len(ranked) < 2 or ranked[0][1] == ranked[1][1] or ranked[0][1] < 2:
        return None  # one value, or a tie: nothing ranks
    (top, n), (second, m) = ranked
    filters = [(c, v) for _, c, v in kept]
    call = (f"count_by([r for r in lines() if {_call_test(filters)}], "
            + ("key=lambda r: to_date(r))" if by_day else f"{column})"))
    top_lines = [i for i in picked_at if _value_of(columns.rows[i], by_day, column) == top]
    return ColumnRank(
        (f"Of the {len(picked):,} lines with {_said(filters)} (columns counted from 0), by "
         f"{'date' if by_day else f'column {column}'}: {top} on {n:,} lines, the most; next {second} on {m:,}. "
         f"{call} counts them.",),
        top,
        columns.spans(top_lines),
    )


_AMOUNT = re.compile(r"\d+(?:\.\d+)?")
"""A column value that is a quantity."""
_EVENTS = frozenset({"time", "times", "often"})
"""The words of "how many times" and "how often", which no line needs to write."""
_HOW_OFTEN = re.compile(r"\bhow\s+(?:often|many\s+times)\b", re.IGNORECASE)
"""A count of events, each line one, whatever it names."""


def column_count(text: str, question: str, found: list[str], missing: list[str],
                 files: list[tuple[str, int]] | None = None) -> ColumnCount | None:
    """For "how many ..." over a text of column lines: how many lines write every word of the
    question the text holds (`found`) as one column's value ("2026-05-20" as a date, "upgraded"
    as the action `upgrade`, "dmsetup" as `dmsetup:amd64`), the thing counted aside ("how many
    packages"). None when a word the question says is not in the text (`missing`: "newly",
    "step", or the thing counted: "how many methods" of `class Parser:`), says what the answer is not, is no column's value or two (`_one_value`), no line
    writes them all, the lines are not columns of one file (`_Columns.one_shape`), or,
    counting things ("how many packages"), a name repeats among those lines (a package
    upgraded twice: lines are not packages)."""
    asking = asking_part(question)
    times = _HOW_OFTEN.search(asking) is not None
    many = HOW_MANY.search(asking)
    if (not (times or COUNT_ASKED.search(asking)) or negated(question) or _SAYS_MORE.search(asking)
            or QUALIFIED.search(asking) or date_range(question) is not None or len(text) > _READ_UP_TO):
        return None
    noun = _stem(many.group("what").split()[0].lower()) if many and not times else ""
    things = bool(noun)  # "how many packages", not "how many times"
    columns = _Columns(text, files or [])
    if noun and (said := next((w for w in found if _stem(w.lower()) == noun), None)):
        at = _one_value(said, columns)
        if at is not None and columns.structured(at[0]):
            # "How many upgrades", "how many widgets did alice order": a field's value names what
            # is counted, so it picks the lines, and each line is one of them.
            noun, times = "", True
    aside = {noun, "time", "times", "often"}
    if any(w.lower() not in _EVENTS for w in missing):
        return None  # "newly", "step"; or "how many methods" where no line writes what is counted

    words = [w for w in found if _stem(w.lower()) not in aside]
    if not words:  # "how many upgrades": the thing counted is itself what the lines write
        words, times = [w for w in found if noun and _stem(w.lower()) == noun][:1], True
        if not words:
            return None
    kept: list[tuple[int | None, str]] = []
    for word in words:
        if (at := _one_value(word, columns)) is None:
            return None
        kept.append(at)
    if not any(columns.structured(c) for c, _ in kept):
        return None  # a name alone, or words where any word stands (`class Parser:`): no field picks the lines
    hits = columns.writing(kept)
    if not hits or not columns.one_shape(hits):
        return None
    if things and any(all(len(columns.rows[i]) > c and _AMOUNT.fullmatch(columns.rows[i][c]) for i in hits)
                      for c in range(_COLUMNS)):
        return None  # "how many widgets did alice order" over lines with a quantity: a sum, maybe
    filters = {c for c, _ in kept}
    if not times:
        for c in range(_COLUMNS):
            named = [columns.rows[i][c] for i in hits if len(columns.rows[i]) > c and columns.rows[i][c][:1].isalpha()]
            if c not in filters and len(named) >= _SHARE * len(hits) and len(set(named)) < len(named):
                return None  # "how many packages" and a name on two of the lines
    return ColumnCount(
        (f"Lines with {_said(kept)} (columns counted from 0): {len(hits):,}. "
         f"len([r for r in lines() if {_call_test(kept)}]) counts them.",),
        len(hits),
        columns.spans(hits),
    )
