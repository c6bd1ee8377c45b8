"""The first look at a table under a header line (CSV, TSV, `;` or `|` separated) or of JSON
objects (an array, or one a line): its columns, and the count or ranking the question asks of them.

"Which country placed the most orders?" over an orders CSV is `count_by(table(), 'country')`.
The look found the question's words on the header line only ("country", "order") and the 1.5B,
shown that, searched the word "orders" and counted lines. A person opening a CSV reads its
header first, then counts by a column. This reads the header and the rows as `helpers.table`
does, says which columns there are, and for a question that names a column to rank by, values
to filter by, or a column to add up, computes it with the call that gives it.

What it computes is offered as read (`Orientation.counted`), so it abstains from offering
whenever the question may say more than the columns do: a word the text writes that is neither
a column's name nor a value the rows are filtered by, a number, a date or period, a word that
qualifies the count ("distinct", "more than", "average", "per"), a negation, a place below the
first, or a tie. Words the text never writes ("placed", "came") say nothing the rows could
filter by, and pass. General: it knows no table, only a header line and rows that split into
as many cells.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, NamedTuple

from recursor.look_counts import COMPARED, ComputedLook, computed_look, ranked, says_more
from recursor.question import (
    COUNT_ASKED,
    SET_ASIDE,
    SUPERLATIVE,
    TOKEN,
    asking_part,
    date_range,
    document_words,
    ranks,
)
from recursor.sandbox.helpers import (
    _DUMP_HEAD,
    _DUMP_START,
    _FIRST_CUE,
    _STOP,
    _TOML_TABLES,
    _comments_dropped,
    _dump_rows,
    _json_records,
    _rest_joined,
    _stem,
    _table_cells,
    _table_sep,
    cols,
    to_date,
    to_number,
)
from recursor.table_sql import Table, abbreviated, sql_names

__all__ = ["table_look"]

_READ_UP_TO = 2_000_000
"""Characters of a table read (~0.7 s on 2 cores for 40,000 rows of 7 columns): a larger one is
described by its first rows, says so, and what they count is shown as a step, never offered."""
_QUERIED_UP_TO = 32_000_000
"""Characters of a table read whole for a query (`recursor.table_sql`), when the look read only
its first `_READ_UP_TO`: a count over all its rows is what a query is for."""
_LEAST_ROWS = 3
_SHARE = 0.9
"""A table when this share of its rows split into as many cells as its header."""
_NAME_MAX = 40
_CATEGORY_MAX = 50
"""A column of at most this many values (or a fifth of the rows, if more) is a category whose
values a question may filter by; a column of ids or free text is not."""
_VALUES_SHOWN = 5
_SEP_NAMES = {",": "comma", "\t": "tab", ";": "semicolon", "|": "bar", ":": "colon", " ": "space"}
_DECIMAL_COMMA = re.compile(r"-?\d+,\d{1,2}")
_ID_WORDS = frozenset("id ids no nr num number key code".split())
_SUMMED = re.compile(r"\b(?:total|sum|combined|altogether|in\s+all)\b", re.IGNORECASE)
_ROW_NOUNS = frozenset("rows row entries entry records record lines line items item".split())
_PLAIN_WORDS = frozenset(
    "placed place came come comes made make makes went go goes sent send got get gets received receive ordered order "
    "orders bought buy purchased purchase listed list recorded appear appears belong belongs registered has have had "
    "there are is were was be been does do did from to for by in of on at with the a an this that these those its "
    "their according look looking considering consider counting table file data dataset set rows row entries entry records record lines line items item".split())
"""Words a question may write that the rows need not: they filter nothing."""
_NOT_A_COUNT = re.compile(r"\b(?:most\s+recent|latest|newest|oldest|earliest|first|last)\b"
                          r"|\b(?:largest|biggest|greatest|highest|smallest|lowest)\s+(?!(?:number|total|count|sum|amount|share)\b)",
                          re.IGNORECASE)
"""A superlative of one row ("the largest order", "the most recent"), not of a count or total."""
_COUNTED_NOUN = re.compile(r"\b(?:how\s+many|most|fewest|least|lowest|smallest)\s+"
                           r"(?:(?:different|distinct|unique|separate|individual)\s+)?([A-Za-z][\w-]*)", re.IGNORECASE)
"""The word a question counts or ranks by: "how many users", "the most returns"."""
_TOTAL_ROW = re.compile(r"(?:grand\s+)?totals?|sum|all(?:\s+\w+)?|overall", re.IGNORECASE)
_TOKEN_RX = r"[\w][\w.'&+#-]*"
"""A word of a question or a value ("C#", "C++", "R&D", "us-east")."""
_DISTINCT_WORDS = frozenset("different distinct unique separate individual".split())
_DISTINCT = re.compile(r"\b(?:different|distinct|unique|separate|individual)\b", re.IGNORECASE)
"""How a question says it counts values, not rows: "how many different customers"."""
_MOST_OF = re.compile(r"\b(?:most|fewest|least)\s+([A-Za-z][\w-]*)", re.IGNORECASE)
_RANKING_WORDS = frozenset("which what most largest greatest highest biggest fewest least lowest smallest number "
                           "count total sum combined altogether how many often frequently common popular times".split())


class _Column:
    """A table's column: its name, its cells, how many rows write each value, and whether
    every value is a number."""

    def __init__(self, name: str, values: list[str], opaque: bool = False) -> None:
        self.name = name
        self.counts = Counter(v for v in values if v)
        # "10,50" in a `;` table is ten and a half, which `to_number` reads as 1,050: not added up.
        opaque = opaque or any(_DECIMAL_COMMA.fullmatch(v) for v in self.counts)
        self.numeric = not opaque and bool(self.counts) and all(_is_number(v) for v in self.counts)
        self.opaque = opaque  # values a call cannot compare or add as written (JSON booleans, decimal commas)

    def category(self, n_rows: int) -> bool:
        """Whether the column's values repeat enough to be filtered or grouped by."""
        return (not (self.numeric or self.opaque or self.unique())
                and 1 < len(self.counts) <= max(_CATEGORY_MAX, n_rows // 5))

    def unique(self) -> bool:
        """Whether no two rows write one value."""
        return len(self.counts) == sum(self.counts.values())

    def ids(self) -> bool:
        """Whether the column names the rows: unique words, or unique whole numbers under a
        name that says so (`order_id`, `No.`); unique amounts (prices) are amounts."""
        if not self.unique():
            return False
        return not self.numeric or (all(re.fullmatch(r"\d+", v) for v in self.counts)
                                    and bool(set(_parts(self.name)) & _ID_WORDS))


def _is_number(value: str) -> bool:
    return re.fullmatch(r"[-+]?(?:\d[\d,_]*(?:\.\d+)?|\.\d+)", value.strip()) is not None


def _parts(name: str) -> list[str]:
    """A header name's words: `unit_price` -> unit, price; `OrderDate` -> order, date."""
    return [p.lower() for p in re.split(r"[_\s.\-/]+|(?<=[a-z])(?=[A-Z])", name) if p]


def _same_word(word: str, other: str) -> bool:
    """A question's word and a header's or value's, in any case, singular or plural."""
    a, b = (re.sub(r"ies$", "y", w.lower()) for w in (word, other))  # "countries", "country"
    return a == b or _stem(a) == _stem(b)


def _names(word: str, part: str) -> bool:
    """Whether a question's word names a header's part: the same word (`_same_word`), or one the
    part shortens, as headers do ("population" for `pop`, "expectancy" for `lifeExp`, "temperature"
    for `temp_max`): a part of three letters or more that the word begins with, three more after."""
    w, p = word.lower(), part.lower()
    return _same_word(w, p) or (len(p) >= 3 and p.isalpha() and w.isalpha() and len(w) >= len(p) + 3
                                and w.startswith(p))


class _Read(NamedTuple):
    """A table as read: its header, the rows of as many cells, the separator ("json" for JSON
    objects), whether the text was cut, the columns no value of which the call could compare as
    text (a JSON field of booleans), a JSON table's objects as parsed (None for other text), and
    whether every row was kept (a row of more cells than the header is dropped)."""

    header: list[str]
    rows: list[list[str]]
    sep: str
    cut: bool
    opaque: frozenset[str]
    records: list[dict[str, Any]] | None
    whole: bool = True


def _read_table(text: str) -> _Read | None:
    """The table the text is (`_Read`); None when it is no table under a header line."""
    cut = len(text) > _READ_UP_TO
    body = text[:text.rfind("\n", 0, _READ_UP_TO)] if cut else text  # not a line cut in two
    lines = _comments_dropped([line for line in body.split("\n", _LEAST_ROWS + 64) if line.strip()], None)
    if lines and lines[0].lstrip()[:1] in ("[", "{"):
        return _json_table(text, cut)  # a JSON array may be one line
    if lines and (lines[0].lstrip()[:1] == "<" or lines[0].startswith(("BEGIN:", "WEBVTT"))
                  or _FIRST_CUE.match(text[:_DUMP_HEAD].lstrip().lstrip("\ufeff")) or _DUMP_START.match(text[:_DUMP_HEAD])
                  or _TOML_TABLES.search(text)) and (
            records := _json_table(text, cut)) is not None:
        return records  # a calendar's events, an XML file's elements, subtitles; else read on as any text
    if len(lines) <= _LEAST_ROWS:
        return None
    if _table_sep(lines) is None:
        return _aligned(body, lines, cut)
    header, rows, sep = _table_cells(body)  # as `helpers.table` reads it, so the call counts the same rows
    if sep is None or not header:
        return None
    names = {h.lower() for h in header}
    years = _year_columns(header)
    if len(header) < 2 or len(names) < len(header) or not all(_a_name(h) or i in years for i, h in enumerate(header)):
        return None  # a header names each column once, in words (or a run of years: a wide table's)
    if sum(len(c.split()) for r in rows[:200] for c in r) > 4 * sum(len(r) for r in rows[:200]):
        return None  # cells of many words: prose whose lines hold commas, not rows
    if any(_repeats_header(rows, i, h) for i, h in enumerate(header)):
        return None  # "Alice,Spain,..." over "Bob,Spain,...": the first line is a row, not a header
    if sum(line[:1].isspace() for line in lines[1:6]) >= 2:
        return None  # indented lines: code or prose, not rows
    # A row may leave its last cells out (a CSV's empty trailing fields): they are empty.
    kept = [r + [""] * (len(header) - len(r)) for r in rows if 1 < len(r) <= len(header)]
    if len(kept) < _SHARE * len(rows) or len(kept) < _LEAST_ROWS or not any(len(r) == len(header) for r in rows):
        return None
    return _Read(header, kept, sep, cut, frozenset(), None, len(kept) == len(rows))


_YEARS_WIDE = 5
"""Year columns in a row for a table to be wide: a value per year, each year a column."""
_YEAR_NAME = re.compile(r"(?:1[5-9]|20)\d\d")


def _year_columns(header: list[str]) -> range:
    """The columns of a wide table's run of years ("1960,1961,...,2013", World Bank's and many
    statistics offices' layout): `_YEARS_WIDE` or more header cells, each a year one after the
    one before, after at least one column named in words. An empty range otherwise; a row of
    values has no such run."""
    at = next((i for i, h in enumerate(header) if _YEAR_NAME.fullmatch(h.strip())), None)
    if at is None or at == 0:
        return range(0)
    end = at + 1
    while end < len(header) and _YEAR_NAME.fullmatch(header[end].strip()) and int(header[end]) == int(header[end - 1]) + 1:
        end += 1
    return range(at, end) if end - at >= _YEARS_WIDE else range(0)


def _long(header: list[str], rows: Sequence[Sequence[str | None]]) -> tuple[list[str], list[list[str | None]]]:
    """A wide table (`_year_columns`) as a long one, for a query: each row's value in each year
    a row of its own, with the row's other cells, the year and the value; a year's empty cell is
    no row. "Thailand's rate in 1985" is then `country_name = 'Thailand' AND year = 1985`, where
    the 1.5B, shown 58 columns, wrote no query that ran. Any other table as it is."""
    years = _year_columns(header)
    if not years:
        return header, [list(r) for r in rows]
    kept = [i for i in range(len(header)) if i not in years]
    long = [[*(r[i] if i < len(r) else None for i in kept), header[y], r[y]]
            for r in rows for y in years if y < len(r) and r[y] not in (None, "")]
    return _long_header(header), long


def _long_header(header: list[str]) -> list[str]:
    """A wide table's columns read long (`_long`): those not of a year, then `year` and
    `value` (with "_" added while a column is named so already)."""
    years = _year_columns(header)
    if not years:
        return header
    kept = [h for i, h in enumerate(header) if i not in years]
    taken = {h.lower() for h in kept}
    return kept + [next(n for n in (name, f"{name}_", f"{name}__") if n not in taken) for name in ("year", "value")]


def _aligned(body: str, lines: list[str], cut: bool) -> _Read | None:
    """A table of columns aligned by spaces under a header line (`ps aux`, `df`, `vmstat`,
    `docker ps`), read as `helpers.table` reads it: split at runs of spaces, the last column
    holding the rest of the line (a command's arguments). None unless the header is three or
    more names, once each, padded apart by two spaces or a tab somewhere (a sentence is not);
    nine rows in ten split into as many cells (none fewer); no row
    writes a header name in its column; no line is indented; and a column holds numbers."""
    if not lines or not re.search(r"\S(?: {2,}|\t)\S", lines[0].strip()):
        return None  # a header pads its names to the columns below: "USER  PID %CPU"; prose does not
    header, rows, _ = _table_cells(body, None)
    width = len(header)
    if width < 3 or len({h.lower() for h in header}) < width or not all(_a_name(h) for h in header):
        return None
    kept = [joined for r in rows if len(joined := _rest_joined(r, width)) == width]
    if len(kept) < _ALIGNED_SHARE * len(rows) or len(kept) < _LEAST_ROWS:
        return None
    if any(_repeats_header(kept, i, h) for i, h in enumerate(header)) or any(line[:1].isspace() for line in lines[:6]):
        return None
    numeric = any(sum(bool(_NUMBER_CELL.fullmatch(r[i])) for r in kept) >= _SHARE * len(kept) for i in range(width - 1))
    if not numeric:
        return None  # words in columns: prose, not a table
    return _Read(header, kept, " ", cut, frozenset(), None, len(kept) == len(rows))


_ALIGNED_SHARE = 0.9
_NUMBER_CELL = re.compile(r"[-+]?\d+(?:[.,]\d+)?%?[KMGTkmgt]?")


def _repeats_header(rows: list[list[str]], i: int, name: str) -> bool:
    """Whether a row writes a header cell in its column, so that the first line may be a row
    too; not for a column that writes only its own name or nothing: a flag ("Schengen" in
    the `Schengen` column of the countries that are in it)."""
    values = {r[i] for r in rows if len(r) > i and r[i]}
    return name in values and len(values) > 1


_UNIT = re.compile(r"\s*\[[^\[\]{}\"=<>]{1,12}\]$")


def _a_name(cell: str) -> bool:
    """Whether a header cell is a column's name: words, not a value or code (`{"id": 0`)."""
    bare = _UNIT.sub("", cell)  # "self [us]", "Weight [kg]": a name and its unit
    return (0 < len(cell) <= _NAME_MAX and len(cell.split()) <= 4 and re.search(r"[^\W\d_]", bare) is not None
            and not re.search(r'[{}\[\]"=<>]|:$', bare) and cell.count("(") == cell.count(")"))


def _json_table(text: str, cut: bool) -> _Read | None:
    """A JSON array of objects or JSON Lines as a table (`helpers.table` reads them so): the
    fields nine in ten objects have, in their first order, each cell as JSON writes it (a
    string as itself). None when it is no such text, or it was cut (no JSON is read in part)."""
    records = None if cut else _json_records(text)
    if records is None or len(records) < _LEAST_ROWS:
        return None
    seen = Counter(k for r in records for k in r)
    header = [k for k in dict.fromkeys(k for r in records for k in r) if seen[k] >= _SHARE * len(records)]
    if len(header) < 2 or not all(_a_name(h) for h in header):
        return None
    rows = [[v if isinstance(v := r.get(k), str) else "" if v is None else json.dumps(v) for k in header]
            for r in records]
    # A field of booleans or lists is no category to filter by: `r['active'] == 'true'` is never so.
    opaque = frozenset(k for k in header if any(isinstance(r.get(k), (bool, list, dict)) for r in records))
    return _Read(header, rows, "json", False, opaque, records)


def _rarer_fields(records: list[dict[str, Any]], header: list[str]) -> str:
    """The fields fewer than nine in ten of a JSON table's objects have, with how many do
    ("alpha_2 184"): a question may ask which rows have one."""
    seen = Counter(k for r in records for k in r if k not in header)
    top = seen.most_common(_VALUES_SHOWN)
    more = len(seen) - len(top)
    return ", ".join(f"{k} {n:,}" for k, n in top) + (f" and {more:,} other fields" if more else "")


def table_look(text: str, question: str) -> ComputedLook | None:
    """The rows the look shows of a table under a header line, and what it computed for the
    question (`look_counts.ComputedLook`); None when the text is no such table."""
    read = _read_table(text)
    if read is None:
        return _headerless_look(text, question)
    header, rows, sep, cut, opaque, records, _ = read
    columns = [_Column(name, [r[i] for r in rows], name in opaque) for i, name in enumerate(header)]
    of = "its first " if cut else ""
    if sep == "json":
        start = text[:_DUMP_HEAD].lstrip().lstrip("\ufeff")[:1]
        dump = _dump_rows(text) if _DUMP_START.match(text[:_DUMP_HEAD]) else None
        toml = _TOML_TABLES.search(text) if start not in "[{<" and dump is None else None
        what = (f"tables of the TOML array {toml.group(0).strip()} (an inline table's keys are fields: "
                f"sdist = {{ size = ... }} is r['sdist_size'])" if toml else
                f"rows of an SQL dump's largest table, {dump[0]}, each with the rows its keys name in "
                f"{', '.join(dump[1])} (their columns named after the key)" if dump and dump[1] else
                f"rows of an SQL dump's largest table, {dump[0]}" if dump else
                "entries (calendar or contact components)" if start == "B" else
                "entries (an XML file's repeated elements, with the names of those around them)" if start == "<"
                else "JSON objects" if start in "[{" else "subtitle cues (start and end into the film, seconds on screen)")
        shown = [f"It is a table: {len(rows):,} {what} with {len(header)} fields: {', '.join(header)}. "
                 f"table() reads each as a record by these names: r[{header[0]!r}]."]
        if records is not None and (rarer := _rarer_fields(records, header)):
            shown.append(f"   Some objects also have: {rarer}; r[name] is None where an object has no such field.")
    else:
        years = _year_columns(header)
        listed = (", ".join(header) if not years else
                  ", ".join([*header[:years.start], f"one column per year from {header[years.start]} to "
                             f"{header[years.stop - 1]}", *header[years.stop:]]))
        shown = [f"It is a table: {of}{len(rows):,} rows under a header line of {len(header)} {_SEP_NAMES[sep]}-separated "
                 f"columns: {listed}. table() reads each row as a record by these names: r[{header[0]!r}]."]
    asking = asking_part(question)
    words = [w for w in TOKEN.findall(asking) if w.lower() not in _STOP]
    short = abbreviated(header, question)  # "Adobe" of a column `ADBE`
    named = [c for c in columns if any(_names(w, p) for w in words for p in _parts(c.name))
             or _phrase_in(c.name, asking) or c.name in short]
    shown += [f"The column {name} may be the question's {word!r}: its letters, in order." for name, word in short.items()]
    filters = _filters(columns, asking, len(rows))
    for c in _unique_by_name([*named, *(c for c, _ in filters or [])]):
        shown.append(_described(c, len(rows)))
    computed = None if filters is None else _computed(columns, rows, asking, question, words, named, filters, text)
    period, plain, plain_question = _period_of(columns, rows, asking, question)
    if filters is not None and (computed is None or (period is not None and not computed[2])):
        # A bound on a number column, a period of a date column: counted with the filters
        # ("a step" without them: the rows of a value in every period are no answer).
        bounded = [c for c in columns if period is None or c is not period[0]]  # "the years ... below 40": not year
        unyeared = _IN_YEAR.sub(lambda m: " " * len(m.group(0)), plain)  # "above 60 in 2007": 60 is the bound
        bound = _threshold(bounded, unyeared) or _any_of(bounded, unyeared) or _between(bounded, unyeared)
        counted = (_over_threshold(columns, rows, plain, plain_question, words, filters, text, bound, period)
                   if bound is not None or period is not None else None)
        if counted is not None:
            computed = counted
            if bound is not None:
                shown.append(_described(bound.column, len(rows)))
        elif computed is None and period is None:
            computed = _per_period(columns, rows, asking, question, words, filters, text, named)
    if computed is None and filters is not None and not filters:
        computed = _holding(columns, rows, asking, question, words, records)
    if computed is not None and cut:
        computed = (computed[0], "what it counts over the whole text (the figures here are of its first rows only)", "")
    looked = replace(computed_look(shown, computed, cut), table=_whole_table(read, text))
    return looked if sep == "json" else replace(looked, header=tuple(header), sep=sep)


def _whole_table(read: _Read, text: str) -> Table | None:
    """Every row of the table, for a query (`recursor.table_sql`): the rows read, or for a
    text cut at `_READ_UP_TO` all of them, read again up to `_QUERIED_UP_TO` when a query asks
    for them (not on the look's path, which every question takes). None, or no rows, when a row
    was dropped (a query would count short); None when the text is longer."""
    if read.records is not None:
        return Table.of_records(read.records)
    note = _long_note(read.header)
    if not read.cut:
        return Table.of_rows(*_long(read.header, read.rows), note=note) if read.whole else None
    if len(text) > _QUERIED_UP_TO:
        return None
    return Table.read_later(_long_header(read.header), lambda: _long(read.header, _all_rows(text, read) or [])[1], note=note)


def _long_note(header: list[str]) -> str:
    """What the writer is told of a wide table read long (`_long`): each of the file's rows
    repeats once per year it has a value for (review: COUNT(*) gave 55 for 12 countries). Both
    counts are said with what they count: told only to count the file's rows DISTINCT, the
    1.5B counted "in how many years" as COUNT(DISTINCT Country_Name), 1."""
    years = _year_columns(header)
    if not years:
        return ""
    first = sql_names(_long_header(header))[0]
    return (f"The file has a column per year ({header[years.start]} to {header[years.stop - 1]}); here a row "
            f"is one of its rows in one year it has a value for (`year`, `value`): COUNT(*) counts such rows "
            f"and years, COUNT(DISTINCT {first}) the file's rows.")


def _all_rows(text: str, read: _Read) -> list[list[str]] | None:
    """Every row of a table the look read only in part, None when one does not fit its header."""
    header, rows, _ = _table_cells(text, None if read.sep == " " else read.sep)
    if read.sep == " ":
        rows = [_rest_joined(r, len(header)) for r in rows]
    if header != read.header or any(not 1 < len(r) <= len(header) for r in rows):
        return None
    return rows


def _unique_by_name(columns: list[_Column]) -> list[_Column]:
    return list({c.name: c for c in columns}.values())


def _phrase_in(name: str, asking: str) -> bool:
    """Whether the question writes a header name of several words as words: `unit_price` as
    "unit price"."""
    parts = _parts(name)
    return len(parts) > 1 and re.search(r"\b" + r"[\s_-]+".join(map(re.escape, parts)) + r"s?\b", asking,
                                        re.IGNORECASE) is not None


def _described(column: _Column, n_rows: int) -> str:
    """One column, as a question about it needs it: a category's values with their rows, a
    number's range and total."""
    if column.ids():
        return f"   {column.name}: a different value on each row (an id)."
    if column.numeric:
        numbers = [(x, n) for v, n in column.counts.items() if (x := to_number(v)) is not None]
        total = sum(x * n for x, n in numbers)
        return (f"   {column.name}: numbers from {min(x for x, _ in numbers):g} to {max(x for x, _ in numbers):g}, "
                f"{total:,.10g} in all over {sum(n for _, n in numbers):,} rows.")
    top = column.counts.most_common(_VALUES_SHOWN)
    more = len(column.counts) - len(top)
    values = ", ".join(f"{v} {n:,}" for v, n in top) + (f" and {more:,} other values" if more else "")
    return f"   {column.name}: {len(column.counts):,} values, the most rows first: {values}."


def _filters(columns: list[_Column], asking: str, n_rows: int) -> list[tuple[_Column, str]] | None:
    """The (column, value)s the question names: a value of a category column written in the
    question as a word or words ("Spain", "New York", "gizmos" for gizmo). None when what it
    names is unclear: a value several columns hold and the question names none of them (an "A"
    in math, science and english; alice a sender and a recipient)."""
    tokens = [t.lower() for t in re.findall(_TOKEN_RX, asking)]
    said = _phrases(tokens)
    exact = set(re.findall(_TOKEN_RX, asking))  # as written: "IT" the department, not "it"
    by_value: dict[str, list[_Column]] = {}
    for c in columns:
        if not c.category(n_rows):
            continue
        for value in c.counts:
            v = " ".join(re.findall(_TOKEN_RX, value.lower()))
            if len(v) <= 3 or v in _STOP:
                if value not in exact:  # a short value or an everyday word, only in its own case ("US", not "us")
                    continue
            elif v not in said:
                continue
            by_value.setdefault(value, []).append(c)
    if date_range(asking) is None:  # "from 1972 through 1987" is a span (`_period_of`), not two years
        for c in columns:
            if _years(c) and len(c.counts) < n_rows:
                for m in _IN_YEAR.finditer(asking):
                    if m.group(1) in c.counts:
                        by_value.setdefault(m.group(1), []).append(c)
    found: list[tuple[_Column, str]] = []
    categories = [c for c in columns if c.category(n_rows)]
    set_aside = [w for m in _SETS_ASIDE.finditer(asking) for w in re.findall(_TOKEN_RX, m.group("what"))]
    for value, held in by_value.items():
        if any(_same_word(v, w) for v in re.findall(_TOKEN_RX, value) for w in set_aside):
            continue  # "leaving out cancelled ones": no filter to keep them by; the other filters stand, as a step
        def said_of(c: _Column) -> bool:
            return any(_same_word(w, p) for w in tokens for p in _parts(c.name))
        if len(held) > 1:
            named = [c for c in held if said_of(c)]
            if len(named) != 1:
                return None  # "an A": in math, science or english?
            held = named
        # A column whose values another column shares (sender and recipient, origin and
        # destination) is the one meant only when the question names it: "alice" may be either.
        column = held[0]
        if not said_of(column) and any(_shared(column, other) for other in categories if other is not column):
            return None
        found.append((column, value))
    return found


_SETS_ASIDE = re.compile(rf"\b(?:{SET_ASIDE})\s+(?P<what>(?:(?:the|any|all|those|ones)\s+)?[\w-]+(?:\s+[\w-]+)?)",
                         re.IGNORECASE)
"""Rows a question sets aside ("leaving out cancelled ones"): a value named there is no filter to keep."""


_IN_YEAR = re.compile(r"\b(?:in|of|for|from|during|year)\s+([12]\d{3})\b(?!\s*(?:[-\u2013/]|to\b|through\b|thru\b|until\b|and\b))",
                      re.IGNORECASE)
"""A year the question names as when ("in 2007", "for 1992"), not one end of a span."""


def _years(column: _Column) -> bool:
    """Whether a number column holds years: whole numbers 1000 to 2999 under a name that says so
    (`year`, `yr`); a price of 1999 is no year."""
    return (column.numeric and bool(set(_parts(column.name)) & {"year", "yr", "yyyy"})
            and all(re.fullmatch(r"[12]\d{3}", v) for v in column.counts))


def _phrases(tokens: list[str], joined: bool = False) -> set[str]:
    """A question's runs of one to four words, also without a plural ending ("gizmos" for
    gizmo, "boxes" for box) and, with `joined`, without hyphens ("no-login" for nologin): what
    a value it names may be written as."""
    runs = {" ".join(tokens[i:i + n]) for n in range(1, 5) for i in range(len(tokens) - n + 1)}
    return runs | {re.sub(r"e?s$", "", p) for p in runs} | ({p.replace("-", "") for p in runs} if joined else set())


def _shared(a: _Column, b: _Column) -> bool:
    """Whether two columns hold the same kind of value: a fifth of the fewer values, at least one."""
    both = len(set(a.counts) & set(b.counts))
    return both >= 1 and both >= 0.2 * min(len(a.counts), len(b.counts))


def _kept(rows: list[list[str]], index: dict[str, int], filters: list[tuple[_Column, str]]) -> list[list[str]]:
    """The rows each (column, value) filter keeps."""
    return [r for r in rows if all(r[index[c.name]] == v for c, v in filters)]


def _test(filters: list[tuple[_Column, str]]) -> str:
    """The filters as the call writes them; a number column's cell as text, as JSON's 2007 is not '2007'."""
    return " and ".join(f"str(r[{c.name!r}]) == {v!r}" if c.numeric else f"r[{c.name!r}] == {v!r}" for c, v in filters)


def _computed(columns: list[_Column], rows: list[list[str]], asking: str, question: str, words: list[str],
              named: list[_Column], filters: list[tuple[_Column, str]], text: str) -> tuple[str, str, str] | None:
    """The call for what the question asks of the table, what it gives, and that as the answer
    when the question asks just that ("" otherwise); None when it asks nothing the columns
    compute: a count of the rows a filter keeps, or a ranking of a category column's values by
    rows or by a number column's total."""
    index = {c.name: i for i, c in enumerate(columns)}
    filtered = {c.name for c, _ in filters}
    values = {v for _, v in filters}
    has_amounts = any(c.numeric and not c.ids() for c in columns)
    unnamed = False
    for m in _COUNTED_NOUN.finditer(asking):
        noun = m.group(1).lower()
        if (noun in _ROW_NOUNS or noun in _RANKING_WORDS or any(_same_word(noun, v) for v in values)
                or any(_names(noun, p) for c in columns for p in _parts(c.name))):
            continue
        # A noun the table names nowhere: the rows' own ("tickets"), or what they sum ("units"),
        # or a value not filtered by ("returns" beside a status "returned"). Beside an amount
        # column, or near a value, it computes nothing; else what it counts is a step.
        if any(_same_word(noun, v) for c in columns if c.category(len(rows)) for v in c.counts):
            return None
        unnamed = unnamed or has_amounts  # "the most airports": the rows, or what an amount adds up?
    if len(filtered) < len(filters):
        return None  # "Spain or France", "Spain and France": two values of one column
    kept = _kept(rows, index, filters)
    source = f"[r for r in table() if {_test(filters)}]" if filters else "table()"
    ranks = SUPERLATIVE.search(asking) is not None
    if ranks and not unnamed and (top := _row_top(columns, kept, source, asking, question, words, filters,
                                                   text)) is not None:
        return top
    if _NOT_A_COUNT.search(asking):
        return None  # "the largest order", "the most recent order": a row's value, not a count
    group = _grouped_by(columns, asking, len(rows)) if ranks else None
    if group is not None and group.name not in filtered:
        amounts = [c for c in named if c.numeric and not c.ids() and c is not group]
        if amounts and not (len(amounts) == 1 and _SUMMED.search(asking)):
            return None  # "the highest price": a largest value, a total or an average
        adds = amounts[0] if amounts else None
        if unnamed and adds is not None:
            return None  # "the most units" beside an amount named: units of what?
        if adds is not None and not _all_named(adds, [w.lower() for w in words]):
            return None  # "total GDP" of `gdpPercap`: a column the question names only in part
        per: dict[str, float] = {}
        for r in kept:
            amount = 1 if adds is None else to_number(r[index[adds.name]])
            if amount is not None and r[index[group.name]]:  # a blank cell is no group (`count_by` leaves it out)
                per[r[index[group.name]]] = per.get(r[index[group.name]], 0) + amount
        if any(_TOTAL_ROW.fullmatch(k) for k in per):
            return None  # a "Total" row is no group: it adds the others up
        if (order := ranked(per, asking)) is None:
            return None
        call = (f"sum_by({source}, {group.name!r}, {adds.name!r})" if adds is not None
                else f"count_by({source}, {group.name!r})")
        used = {group.name} | filtered | ({adds.name} if adds is not None else set())
        if unnamed:
            return call, order.told, ""  # a step: whether a row is one airport, the table does not say
        just = _asks_just(asking, question, words, columns, used, filters, text)
        if just is None:
            return None
        return call, order.told, order.top if just else ""
    if unnamed:
        return None
    said = _counted_column_word(asking)
    of = [c for c in columns if not c.ids() and c.name not in filtered
          and any(_same_word(w, p) for w in said for p in _parts(c.name))]
    if COUNT_ASKED.search(asking) and not ranks and len(of) == 1:
        # "How many (different) customers ordered from Spain?": the values of the column it names.
        column = of[0]
        distinct = {r[index[column.name]] for r in kept if r[index[column.name]]}
        test = " and ".join([f"r[{column.name!r}]", *(f"r[{c.name!r}] == {v!r}" for c, v in filters)])
        plain_asking = _DISTINCT.sub(" ", asking)
        if says_more(plain_asking, question) or _EACH_OF.search(asking):
            return None  # "more than once", "all their orders shipped": no count of all of them helps
        just = _asks_just(plain_asking, question, words, columns, filtered | {column.name}, filters, text)
        if not just:
            return None  # a distinct count of the wrong rows is no step ("customers who ordered in January")
        return (f"len({{r[{column.name!r}] for r in table() if {test}}})", f"{len(distinct):,} different values",
                str(len(distinct)))
    if COUNT_ASKED.search(asking) and not ranks and filters:
        if of or (said and any(_same_word(said[0], p) for c in columns if c.name in filtered for p in _parts(c.name))):
            return None  # "how many countries ..." where a country is also filtered by: unclear
        just = _asks_just(asking, question, words, columns, filtered, filters, text)
        if just is None:
            return None
        return f"len({source})", f"{len(kept):,}", str(len(kept)) if just else ""
    return None


def _row_top(columns: list[_Column], kept: list[list[str]], source: str, asking: str, question: str,
             words: list[str], filters: list[tuple[_Column, str]], text: str) -> tuple[str, str, str] | None:
    """"Which country had the lowest life expectancy in 2007?": the rows (kept by `filters`)
    ranked by the one number column the question names, told by the column it asks which of.
    Only when each of that column's values names one kept row (a country's one row of 2007): a
    value of many rows asks its total, average or largest, which the question does not say."""
    if _NOT_SO.search(asking) or (which := _asked_column(columns, asking)) is None:
        return None
    filtered = {c.name for c, _ in filters}
    measured = [w.lower() for w in words if not SUPERLATIVE.search(w)]  # "highest" is no `High` column
    amounts = [c for c in _numbers_named(columns, measured) if c is not which and c.name not in filtered]
    if len(amounts) != 1 or not _all_named(amounts[0], measured):
        return None
    said = {p for c in (which, amounts[0]) for p in _parts(c.name)} | {
        p for _, v in filters for p in re.findall(r"[\w-]+", v.lower())}
    if not all(w.lower() in _PLAIN_WORDS or w.lower() in _ROW_NOUNS or SUPERLATIVE.search(w)
               or any(_names(w, p) for p in said) or _SAME_AS.get(w.lower()) in said for w in words):
        return None  # "the highest closing price", "outside Europe", "population growth": more than a value
    i, j = columns.index(which), columns.index(amounts[0])
    names = [r[i] for r in kept if r[i]]
    if len(set(names)) != len(names):
        return None
    per = {r[i]: float(x) for r in kept if r[i] and (x := to_number(r[j])) is not None}
    if (order := ranked(per, asking)) is None:
        return None
    call = f"{{r[{which.name!r}]: to_number(r[{amounts[0].name!r}]) for r in {source}}}"
    just = _asks_just(asking, question, words, columns, {which.name, amounts[0].name} | filtered, filters, text)
    if just is None:
        return None
    return call, order.told, order.top if just else ""


_HOLDS = re.compile(r"\b(?:word|words|term|contains?|containing|includes?|including|mentions?|mentioning)\b"
                    r"|[\"'\u201d\u2019]\s+in\s+(?:their|its|the)\b", re.IGNORECASE)
"""A quoted term asked as a part of a cell: "the word ...", "containing ...", "'X' in their name"."""
_QUOTED = re.compile(r"[\"'\u201c\u2018]([^\"'\u201d\u2019]{2,40})[\"'\u201d\u2019]")


def _holding(columns: list[_Column], rows: list[list[str]], asking: str, question: str, words: list[str],
             records: list[dict[str, Any]] | None) -> tuple[str, str, str] | None:
    """"How many countries have the word "Kingdom" in their official name?": the rows whose one
    named column of words holds the quoted term as a word (any case), when the question asks
    how many and quotes one term. The count is offered when each other word is a plain one, the
    column's or a row noun; "countries" beside a name column may be the rows or not: a step."""
    quoted = _QUOTED.findall(asking)
    if not COUNT_ASKED.search(asking) or len(quoted) != 1 or _NOT_SO.search(asking) or not _HOLDS.search(asking):
        return None  # "have the title 'Moon'" is the whole title, not a word of it
    term = quoted[0].strip()
    if records is not None:
        # JSON: a field fewer objects have ("official_name") is asked about as well.
        fields = list(dict.fromkeys(k for r in records for k in r))
        columns = [_Column(k, [v if isinstance(v := r.get(k), str) else "" for r in records]) for k in fields]
        rows = [[v if isinstance(v := r.get(k), str) else "" for k in fields] for r in records]
    named = [c for c in columns if not c.numeric and (_phrase_in(c.name, asking) or (
        len(_parts(c.name)) == 1 and any(_same_word(w, _parts(c.name)[0]) for w in words)))]
    if len(named) != 1:
        return None
    column = named[0]
    i = columns.index(column)
    rx = re.compile(r"(?<!\w)" + re.escape(term) + r"(?!\w)", re.IGNORECASE)
    kept = sum(1 for r in rows if rx.search(r[i]))
    call = f"len([r for r in table() if re.search(r'(?<!\\w){re.escape(term)}(?!\\w)', r[{column.name!r}] or '', re.I)])"
    call = "import re; " + call
    said = {p for p in _parts(column.name)} | {w.lower() for w in TOKEN.findall(term)}
    rest = [w for w in words if w.lower() not in _PLAIN_WORDS and w.lower() not in _ROW_NOUNS
            and w.lower() not in said and w.lower() not in ("word", "words", "term", "their", "its")
            and w.lower() not in document_words(question) and w.lower() not in _STOP]
    return call, f"{kept:,} rows whose {column.name} holds {term!r}", str(kept) if not rest else ""


def _all_named(column: _Column, words: list[str]) -> bool:
    """Whether each part of a column's name is named by one of `words` (as written, shortened or
    as `_SAME_AS` says): "GDP" names `gdpPercap` only in part, a value per head, not the GDP."""
    return all(any(_names(x, p) for w in words for x in (w, _SAME_AS.get(w, w))) for p in _parts(column.name))


def _asked_column(columns: list[_Column], asking: str) -> _Column | None:
    """The column of words (not numbers) whose value the question asks for: the one the word
    after "which" or "what" names ("which country", "what product name")."""
    m = _WHICH_WORDS.search(asking)
    if m is None:
        return None
    said = m.group(1).split()
    found = [c for c in columns if not c.numeric and (any(_same_word(said[0], p) for p in _parts(c.name))
                                                      or _phrase_in(c.name, " ".join(said)))]
    return found[0] if len(found) == 1 else None


_NUMBER = r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])"
_OPS_BEFORE = (
    (re.compile(r"\b(?:at\s+or\s+(?:above|over)|(?:equal\s+to\s+or\s+|at\s+or\s+)(?:greater|more|higher)\s+than"
                r"|(?:greater|more|higher)\s+than\s+or\s+equal\s+to)\s*$", re.I), ">="),
    (re.compile(r"\b(?:at\s+or\s+(?:below|under)|(?:equal\s+to\s+or\s+|at\s+or\s+)(?:less|fewer|lower)\s+than"
                r"|(?:less|fewer|lower)\s+than\s+or\s+equal\s+to)\s*$", re.I), "<="),
    (re.compile(r"\b(?:at\s+least|no\s+(?:less|fewer|lower)\s+than|a\s+minimum\s+of)\s*$", re.I), ">="),
    (re.compile(r"\b(?:at\s+most|no\s+(?:more|greater|higher)\s+than|a\s+maximum\s+of|up\s+to)\s*$", re.I), "<="),
    (re.compile(r"\b(?:(?:more|greater|higher|larger|warmer|longer|bigger)\s+than|over|above|exceed(?:s|ed|ing)?|beyond)"
                r"\s*$", re.I), ">"),
    (re.compile(r"\b(?:(?:less|fewer|lower|smaller|colder|shorter)\s+than|under|below)\s*$", re.I), "<"),
)
_OPS_AFTER = (
    (re.compile(r"^\s*(?:°\s*[CF]\b|%|[A-Za-z]{1,3}\b)?\s*(?:or\s+(?:more|higher|above|greater|over|larger|longer|warmer)"
                r"|\+)", re.I), ">="),
    (re.compile(r"^\s*(?:°\s*[CF]\b|%|[A-Za-z]{1,3}\b)?\s*or\s+(?:less|fewer|lower|below|under|smaller|shorter|colder)",
                re.I), "<="),
)
_SAME_AS = {"high": "max", "highest": "max", "maximum": "max", "peak": "max", "top": "max",
            "low": "min", "lowest": "min", "minimum": "min", "average": "avg", "mean": "avg"}
"""A question's word for a column's short name part: "the daytime high" of `temp_max`."""


@dataclass(frozen=True, slots=True)
class _Bound:
    """A count question's bound on one number column: the comparison ("between" for two
    bounds, both kept), the bound (and the upper one), and where the question writes it."""

    column: _Column
    op: str
    limit: float
    span: tuple[int, int]
    upper: float = 0.0

    def passes(self, x: float) -> bool:
        if self.op == "between":
            return self.limit <= x <= self.upper
        return COMPARED[self.op](x, self.limit)

    def test(self) -> str:
        """The bound as the call writes it, on `x`."""
        if self.op == "between":
            return f"{_written(self.limit)} <= x <= {_written(self.upper)}"
        return f"x {self.op} {_written(self.limit)}"


def _written(x: float) -> str:
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)


_BETWEEN = re.compile(rf"\b(?:between|from)\s+(?P<a>{_NUMBER})\s*(?:(?!(?:and|to|through)\b)[A-Za-z°%]{{1,7}}\s+)?"
                      rf"(?:and|to|through|-|–)\s*"
                      rf"(?P<b>{_NUMBER})", re.IGNORECASE)


def _between(columns: list[_Column], asking: str) -> _Bound | None:
    """"How many airports lie between 45 and 50 degrees north latitude": rows whose one number
    column the question names is from the first number to the second, both kept. None unless
    the question asks how many, writes just these two numbers, and names one number column."""
    if not COUNT_ASKED.search(asking) or _NOT_SO.search(asking) or SUPERLATIVE.search(asking):
        return None
    m = _BETWEEN.search(asking)
    if m is None or len(re.findall(_NUMBER, asking)) != 2:
        return None
    a, b = float(m.group("a")), float(m.group("b"))
    bounded = _numbers_named(columns, [w.lower() for w in TOKEN.findall(asking[:m.start()] + " " + asking[m.end():])])
    if len(bounded) != 1 or a >= b:
        return None
    return _Bound(bounded[0], "between", a, m.span(), b)


def _threshold(columns: list[_Column], asking: str) -> _Bound | None:
    """The number column a count question bounds, the comparison, the bound and where the
    question writes it: "on how many days did the daytime high reach 30 °C or more" is rows
    whose `temp_max` is >= 30. None unless the question asks how many, writes one number with
    one comparison, and names one number column (by a part of its name, or `_SAME_AS`)."""
    if not COUNT_ASKED.search(asking) or _NOT_SO.search(asking):
        return None  # "not over 30", "lacked any rain": the other side, or no bound at all
    numbers = list(re.finditer(_NUMBER, asking))
    if len(numbers) != 1:
        return None
    m = numbers[0]
    before, after = asking[:m.start()], asking[m.end():]
    # The first comparison written before the number, and the first after it: "at or above"
    # is >=, though "above" alone is >.
    ops = [(op, (b.start(), m.end())) for rx, op in _OPS_BEFORE if (b := rx.search(before))][:1]
    ops += [(op, (m.start(), m.end() + a.end())) for rx, op in _OPS_AFTER if (a := rx.search(after))][:1]
    if len(ops) != 1 or SUPERLATIVE.search(asking[:ops[0][1][0]] + " " + asking[ops[0][1][1]:]):
        return None  # "at least" is no superlative; "the most days over 30" ranks
    bounded = _numbers_named(columns, [w.lower() for w in TOKEN.findall(before)])
    if len(bounded) != 1:
        return None
    return _Bound(bounded[0], ops[0][0], float(m.group(0)), ops[0][1])


def _numbers_named(columns: list[_Column], words: list[str]) -> list[_Column]:
    """The number columns (no ids) a part of whose name one of `words` (lowercased) names,
    as written or as `_SAME_AS` says ("high" for `temp_max`)."""
    return [c for c in columns if c.numeric and not c.ids()
            and any(_names(x, p) for w in words for x in (w, _SAME_AS.get(w, w)) for p in _parts(c.name))]


_ANY_OF = re.compile(r"\bany\s+([\w-]+)", re.IGNORECASE)
_NOT_SO = re.compile(r"\b(?:not|never|no|none|without|lack(?:s|ed|ing)?|fail(?:s|ed)?|hardly|barely|scarcely)\b|n't\b",
                     re.IGNORECASE)
"""A negation or a near-negation: the count it asks is of the rows on the bound's other side."""


def _any_of(columns: list[_Column], asking: str) -> _Bound | None:
    """"On how many days was any precipitation measured": rows whose number column named after
    "any" is above 0, when the question writes no number."""
    if (re.search(_NUMBER, asking) or _NOT_SO.search(asking) or not COUNT_ASKED.search(asking)
            or (m := _ANY_OF.search(asking)) is None):
        return None
    named = _numbers_named(columns, [m.group(1).lower()])
    if len(named) != 1 or any((x := to_number(v)) is not None and x < 0 for v in named[0].counts):
        return None  # "any temp": a temperature below 0 is one too; only an amount is "some" above 0
    return _Bound(named[0], ">", 0.0, m.span())


_DAY_OR_MONTH = re.compile(r"\s*\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b")
"""A date written day or month first (03/04/2015): which one, the column alone cannot say."""


def _date_column(columns: list[_Column], n_rows: int) -> _Column | None:
    """The one column that writes a date on nearly every row, neither day nor month first
    (`_DAY_OR_MONTH`); None when there is none, or more than one."""
    dated = [c for c in columns if not c.numeric and not any(_DAY_OR_MONTH.match(v) for v in c.counts)
             and sum(n for v, n in c.counts.items() if to_date(v) is not None) >= 0.9 * n_rows]
    return dated[0] if len(dated) == 1 else None


def _period_of(columns: list[_Column], rows: list[list[str]], asking: str,
               question: str) -> tuple[tuple[_Column, date, date] | None, str, str]:
    """The date column and the days of the period the question names by its two ends
    ("from 1 November 2012 through 31 January 2013"), when nearly every row of one column is a
    date; and the question's asking part and the question without that phrase."""
    period = date_range(question)
    if period is None:
        return None, asking, question
    first, last, a, b = period
    if (dated := _date_column(columns, len(rows))) is None:
        years = [c for c in columns if _years(c)]
        if len(years) != 1 or (a.month, a.day, b.month, b.day) != (1, 1, 12, 31):
            return None, asking, question  # "from March 2007": a month no column of years says
        dated = years[0]  # "the years 1972 through 1987" over a `year` column of numbers
    phrase = re.compile(r"(?:\b(?:(?:counting|looking)\s+)?(?:only\s+)?(?:(?:at|in|for|over|during|within)\s+)?"
                        r"(?:the\s+)?(?:(?:years?|period|dates?|months?)\s+)?(?:from|between)?\s*)?"
                        + re.escape(first) + r".*?" + re.escape(last), re.IGNORECASE)
    return (dated, a, b), phrase.sub(" ", asking, count=1), phrase.sub(" ", question, count=1)


def _over_threshold(columns: list[_Column], rows: list[list[str]], asking: str, question: str, words: list[str],
                    filters: list[tuple[_Column, str]], text: str,
                    bound: _Bound | None,
                    period: tuple[_Column, date, date] | None) -> tuple[str, str, str] | None:
    """The count of the rows (kept by `filters`) in the question's period (`_period_of`) whose
    number column passes its bound (`_threshold`, `_any_of`); offered when the question asks
    just that, the bound and the period aside (both already cut from `asking` and `question`)."""
    index = {c.name: i for i, c in enumerate(columns)}
    kept = _kept(rows, index, filters)
    source = f"[r for r in table() if {_test(filters)}]" if filters else "table()"
    used = {c.name for c, _ in filters}
    told: list[str] = []
    rest, cut = asking, ""
    if period is not None:
        column, a, b = period
        used.add(column.name)
        if column.numeric:  # a column of years
            kept = [r for r in kept if (y := to_number(r[index[column.name]])) is not None and a.year <= y <= b.year]
            source = f"[r for r in {source} if {a.year} <= (to_number(r[{column.name!r}]) or 0) <= {b.year}]"
            told.append(f"with {column.name} {a.year} to {b.year}")
        else:
            kept = [r for r in kept if (d := to_date(r[index[column.name]])) is not None and a <= d <= b]
            source = f"in_dates({source}, {a.isoformat()!r}, {b.isoformat()!r})"
            told.append(f"dated {a.isoformat()} to {b.isoformat()}")
    if bound is None:
        call = f"len({source})"
    else:
        column, (lo, hi) = bound.column, bound.span
        kept = [r for r in kept if (x := to_number(r[index[column.name]])) is not None and bound.passes(float(x))]
        call = (f"len([x for x in (to_number(r[{column.name!r}]) for r in {source}) "
                f"if x is not None and {bound.test()}])")
        used.add(column.name)
        told.append(f"with {bound.test().replace('x', column.name, 1)}")
        cut = asking[lo:hi]
        rest = asking[:lo] + " " + asking[hi:]
    if not told or (bound is None and not filters):
        return None  # the rows of a period alone: no question of a count by columns
    described = document_words(question)
    plain_words = [w for w in TOKEN.findall(rest) if w.lower() not in _STOP and w.lower() not in described
                   and _SAME_AS.get(w.lower()) is None and w in words]
    values = [v.lower() for c in columns if c.category(len(rows)) and c not in {f for f, _ in filters} for v in c.counts]
    if any(len(v) >= 3 and w.lower().startswith(v) for w in plain_words for v in values):
        return None  # "rainy days" beside a weather of "rain": a filter no value is written as
    lowered = [w.lower() for w in plain_words]
    # A column with a different value on each row counted names the rows: "how many countries"
    # of the rows of 2007, one a country.
    used |= {c.name for i, c in enumerate(columns) if not c.numeric and len(kept) > 1
             and len({r[i] for r in kept}) == len(kept) and any(_same_word(w, p) for w in lowered for p in _parts(c.name))}
    # One row a day: "days" are its rows.
    days = ({"day", "days"} if {"day", "days"} & set(lowered) and (
        (period is not None and period[0].unique()) or _unique_dates(columns, len(rows))) else set())
    also = days | _keys(lowered, columns, rows)
    if not _says_no_more(lowered, columns, used, filters, also):
        noun = re.search(r"\bhow\s+many\s+([\w-]+)", rest, re.IGNORECASE)
        if noun is None or not _says_no_more([w for w in lowered if w != noun.group(1).lower()], columns, used, filters,
                                             also):
            return None  # "clear days", "months", "in Berlin": more than the columns say, or other rows
        return call, f"{len(kept):,} rows {' '.join(told)}", ""  # "how many airports": if a row is one, a step
    just = _asks_just(rest, question.replace(cut, " ") if cut else question, plain_words, columns, used, filters, text)
    if just is None:
        return None
    return call, f"{len(kept):,} rows {' '.join(told)}", str(len(kept)) if just else ""


_PERIOD_OF = re.compile(r"\b(?:which|what)\s+(?P<unit>year|month|day|date)(?P<of>\s+of\s+which\s+year)?\b"
                        r"(?!\s+(?:of|in)\s+(?:the|a|each|every)?\s*(?:week|month|year)\b)", re.IGNORECASE)
_PERIOD_KEYS = {"year": 4, "month": 7, "day": 10, "date": 10}
"""How much of an ISO date names each period: 2015, 2015-12, 2015-12-31."""
_COUNT_RANKED = re.compile(r"\b(?:most|fewest|busiest|quietest)\b|(?<!\bat\s)\bleast\b"
                           r"|\b(?:largest|greatest|highest|biggest|smallest|lowest)\s+(?:number|count)\b", re.IGNORECASE)
"""A ranking of periods by how many rows each has ("which month had the most orders"), not by a
value no column the question names holds ("when was the price at its highest")."""


def _per_period(columns: list[_Column], rows: list[list[str]], asking: str, question: str, words: list[str],
                filters: list[tuple[_Column, str]], text: str, named: list[_Column]) -> tuple[str, str, str] | None:
    """For "which month of which year had the greatest total precipitation?" (or the most
    rows), the rows grouped by that period of the one date column, added up by the one amount
    column the question names (with "total" or "sum", as a ranking by a category column asks),
    ranked. "Which month" alone over several years may mean a month of any year: shown, not
    offered."""
    m = _PERIOD_OF.search(asking)
    if m is None or not SUPERLATIVE.search(asking) or _NOT_SO.search(asking):
        return None
    dated = _date_column(columns, len(rows))
    amounts = [c for c in named if c.numeric and not c.ids()]
    if dated is None or len(amounts) > 1 or (amounts and not _SUMMED.search(asking)):
        return None
    if not amounts and not _COUNT_RANKED.search(asking):
        return None  # "in which month was Xerox's price at its highest": a value's peak, not the most rows
    index = {c.name: i for i, c in enumerate(columns)}
    width = _PERIOD_KEYS[m.group("unit").lower()]
    per: dict[str, float] = {}
    for r in _kept(rows, index, filters):
        d = to_date(r[index[dated.name]])
        amount = 1.0 if not amounts else to_number(r[index[amounts[0].name]])
        if d is not None and amount is not None:
            key = d.isoformat()[:width]
            per[key] = per.get(key, 0) + amount
    if (order := ranked(per, asking)) is None:
        return None
    source = f"[r for r in table() if {_test(filters)}]" if filters else "table()"
    key = f"lambda r: (d := to_date(r[{dated.name!r}])) and d.isoformat()[:{width}]"  # no date: no group
    call = (f"sum_by({source}, {key}, {amounts[0].name!r})" if amounts else f"count_by({source}, {key})")
    years = {k[:4] for k in per}
    if m.group("unit").lower() == "month" and not m.group("of") and len(years) > 1:
        return call, order.told, ""  # "which month": of any year, or one month of one year?
    used = {dated.name} | {c.name for c, _ in filters} | ({amounts[0].name} if amounts else set())
    plain = re.sub(r"\b(?:in\s+)?(?:this|the)\s+(?:data\s*set|data|table|file|record)\b", " ", _PERIOD_OF.sub(" ", asking),
                   flags=re.IGNORECASE)  # "in this data set" names the table
    described = document_words(question)
    said = [w.lower() for w in TOKEN.findall(plain) if w.lower() not in _STOP and w.lower() not in described]
    if not _says_no_more(said, columns, used, filters, _PERIODS_SAID):
        return call, order.told, ""  # "in winter", "in March", "of the week": more than the columns say
    just = _asks_just(plain, question, [w for w in words if w.lower() not in ("year", "month", "day", "date")],
                      columns, used, filters, text)
    if just is None:
        return None
    return call, order.told, order.top if just else ""


_PERIODS_SAID = frozenset("total sum year month day date".split())
"""Words of a ranking of periods that the period and the adding up say."""


def _says_no_more(words: list[str], columns: list[_Column], used: set[str], filters: list[tuple[_Column, str]],
                  also: set[str] | frozenset[str] = frozenset()) -> bool:
    """Whether each of `words` (lowercased) says nothing a count of the table's rows would
    leave out: a plain, row, ranking or measuring word, one of `also`, or a word naming a used
    column or a filtered value."""
    named = {p for c in columns if c.name in used for p in _parts(c.name)} | {v.lower() for _, v in filters}
    return all(w in _PLAIN_WORDS or w in _ROW_NOUNS or w in _MEASURED_WORDS or w in _RANKING_WORDS or w in also
               or any(_names(w, p) for p in named) for w in words)


_MEASURED_WORDS = frozenset("degree degrees lie lies lying located situated "
                            "reach reached reaches reaching measured recorded observed logged seen daily daytime "
                            "nighttime overnight value values reading readings".split())
"""Words of a bound's question that say how the number was taken, not which rows."""


def _keys(words: list[str], columns: list[_Column], rows: list[list[str]]) -> set[str]:
    """The hyphenated words whose parts name columns that together name each row once: "country-year
    rows" of a table of one row a country and year are its rows; "continent-years" are not."""
    out = set()
    for w in words:
        named = [i for x in w.split("-") for i, c in enumerate(columns) if any(_same_word(x, p) for p in _parts(c.name))]
        if "-" in w and len(named) == w.count("-") + 1 and len({tuple(r[i] for i in named) for r in rows}) == len(rows):
            out.add(w)
    return out


def _unique_dates(columns: list[_Column], n_rows: int) -> bool:
    """Whether one column writes a different date on each row: a daily table, whose rows are days."""
    return any(c.unique() and len(c.counts) == n_rows and all(to_date(v) is not None for v in list(c.counts)[:50])
               for c in columns)


_VERBISH = frozenset("did do does were was are is have has had ordered bought sold placed came went got made "
                     "shipped paid used live lives work works belong belongs appear appear in of to from for by with "
                     "that who which there".split())
_EACH_OF = re.compile(r"\b(?:all|every|always|only|single|once|twice|both|each)\b", re.IGNORECASE)
"""Quantifiers over each value's rows: "customers who had all their orders shipped"."""


def _counted_column_word(asking: str) -> list[str]:
    """The word "how many (different)" counts, when it heads its phrase: the next word is a verb,
    a preposition or the end ("how many customers ordered ..."), not another noun it modifies
    ("how many customer orders ..." counts orders). [] otherwise."""
    m = re.search(r"\bhow\s+many\s+(?:(?:different|distinct|unique|separate|individual)\s+)?([\w-]+)(?:\s+([\w-]+))?",
                  asking, re.IGNORECASE)
    if m is None:
        return []
    after = (m.group(2) or "").lower()
    return [m.group(1)] if not after or after in _VERBISH or after.endswith("ed") else []


_WHICH_WORDS = re.compile(r"\b(?:which|what)\s+((?:[\w-]+\s+){0,2}[\w-]+)", re.IGNORECASE)
"""The words after "which" or "what", up to three: what a question asks which of."""


def _grouped_by(columns: list[_Column], asking: str, n_rows: int) -> _Column | None:
    """The category column a ranking question asks for: "which country", "what product"; the
    column the words after "which"/"what" name."""
    m = _WHICH_WORDS.search(asking)
    if m is None:
        return None
    said = m.group(1).split()
    for c in columns:
        if c.category(n_rows) and (any(_same_word(w, p) for w in said[:1] for p in _parts(c.name))
                                   or _phrase_in(c.name, " ".join(said))):
            return c
    if said and said[0].isupper():  # "which US state": the acronym says which kind of state
        return next((c for c in columns if c.category(n_rows) and len(said) > 1
                     and any(_same_word(said[1], p) for p in _parts(c.name))), None)
    return None


def _asks_just(asking: str, question: str, words: list[str], columns: list[_Column], used: set[str],
               filters: list[tuple[_Column, str]], text: str) -> bool | None:
    """Whether the question asks just what was computed: no qualifier, negation, number, date
    or place below the first, and each of its words the text writes is part of a value it
    filters by, a ranking word, names the rows ("rows", "orders" of an `order_id` column of
    ids), or names a column `used` (grouped, filtered or added up). None when a word names
    another column: what was computed is then no step of the answer either."""
    values = {p for _, v in filters for p in re.findall(r"[\w-]+", v.lower())}
    counted = {w for m in _COUNTED_NOUN.finditer(asking) if (w := m.group(1).lower()).endswith("s")}
    if any(_same_word(w, v) for w in counted for _, v in filters):
        return False  # "how many users" where a role is "user": all the rows, or those users? A step.
    every_value = {v.lower() for c in columns if c.category(sum(c.counts.values())) for v in c.counts}
    adds = any(c.name in used and c.numeric for c in columns)  # an amount named and added up: its verbs ("sold")
    lowered = text.lower()
    amounts = any(c.numeric and not c.ids() for c in columns)
    plain = True
    for word in words:
        w = word.lower()
        if w in _RANKING_WORDS or w in _ROW_NOUNS or any(_same_word(w, v) for v in values):
            continue
        if w in _DISTINCT_WORDS and any(c.name in used and not c.numeric for c in columns if c.name not in
                                        {f.name for f, _ in filters}):
            continue  # "how many different customers": the values of a column counted
        if (named := [c for c in columns if any(_names(w, p) for p in _parts(c.name))]):
            if any(c.name in used or c.ids() for c in named):
                continue  # the column grouped, filtered or added, or the rows' ids ("orders" of order_id)
            return None  # another column: "the most customers" counts customers, not rows
        if w in every_value:
            plain = False  # "us" and the value "US": a filter, or not?
        elif w not in _PLAIN_WORDS and (not adds or w in lowered):
            plain = False  # "unshipped", "revenue", "spent": a filter or an amount no column names
    if plain and amounts and not adds and _MOST_OF.search(asking) and not any(
            _same_word(m.group(1), p) for m in _MOST_OF.finditer(asking) for c in columns if c.ids()
            for p in _parts(c.name)) and not all(m.group(1).lower() in _ROW_NOUNS for m in _MOST_OF.finditer(asking)):
        plain = False  # "the most widgets" where rows have a quantity: rows, or widgets sold?
    for _, v in filters:
        if v.isdigit():  # a year filtered by ("in 2007") is no number the computation leaves out
            asking, question = (re.sub(rf"\b{v}\b", " ", t) for t in (asking, question))
    return plain and not says_more(asking, question)


_HEADERLESS_SEPS = ("\t", ":", ";", "|", ",")
_HEADERLESS_WIDTH = 3
"""A table with no header line has at least this many columns: two are a `key: value` text."""
_TIMES = re.compile(r"\b\d{1,2}:\d\d:\d\d\b")
"""A time of day with seconds, as logs write it (`/etc/passwd`'s "10:10:" is a uid and a gid)."""
_DETECTED_ON = 2_000
_NAMED_CELL = re.compile(r"[A-Za-z][\w .-]{0,30}:\s")


def _width(widths: Counter[int], n_lines: int) -> int:
    """The number of columns nine in ten lines split into, 0 if none: one width, or one and one
    more, the last column written on some lines only (zone.tab's comments)."""
    width, n = widths.most_common(1)[0]
    if n >= _SHARE * n_lines:
        return width
    pairs = [(widths[w] + widths[w + 1], w) for w in widths if widths[w + 1]]
    best = max(pairs, default=(0, 0))
    return best[1] if best[0] >= _SHARE * n_lines else 0


def _unindented_lines(text: str, least: int) -> tuple[list[str], list[str]] | None:
    """A whole text's lines that are neither blank nor `#` comments, and the first
    `_DETECTED_ON` of them a table is detected on; None for a longer text, fewer than `least`
    lines, or indented lines (code or prose, not columns)."""
    if len(text) > _READ_UP_TO:
        return None
    lines = [line for line in text.split("\n") if line.strip() and not line.lstrip().startswith("#")]
    probe = lines[:_DETECTED_ON]
    if len(lines) < least or sum(line[:1].isspace() for line in probe) >= 2:
        return None
    return lines, probe


def _timed(probe: list[str]) -> bool:
    """Whether one line in ten writes a time of day with seconds, as a log's lines do."""
    return sum(bool(_TIMES.search(line)) for line in probe) > len(probe) / 10


def _headerless(text: str) -> tuple[str, int, list[str]] | None:
    """The separator, the number of columns and the lines of a table with no header line (the
    `/etc/passwd` kind: `root:x:0:0:root:/root:/bin/bash`), when nine in ten of its lines that
    are not comments split into as many columns, three or more, or into one more where a last
    column is optional; None otherwise. Only a whole text, and `:` not for lines that write
    times (a log's "10:00:00")."""
    read = _unindented_lines(text, 5)
    if read is None:
        return None
    lines, probe = read
    if sum(line.lstrip()[:1] in ("{", "[") for line in probe) > len(probe) / 2:
        return None  # JSON objects, one a line: their commas are no columns
    timed = _timed(probe)
    best: tuple[int, str, int] | None = None
    for sep in _HEADERLESS_SEPS:
        if sep == ":" and timed:
            continue
        widths = Counter(len(cols(line, sep)) for line in probe)
        width = _width(widths, len(probe))
        n = widths[width] + widths[width + 1]
        if width >= _HEADERLESS_WIDTH and (best is None or n > best[0]):
            best = (n, sep, width)
    if best is None:
        return None
    _, sep, width = best
    rows = [cells for line in probe if len(cells := cols(line, sep)) in (width, width + 1)]
    if sum(len(c.split()) for r in rows for c in r) > 3 * len(rows) * width:
        return None  # cells of many words: prose or verse that happens to hold its commas
    if sum(bool(_NAMED_CELL.match(c)) for r in rows for c in r) > len(rows) * width / 4:
        return None  # "Date: ... || User: ...": named fields, which `record` reads by name
    if sum(any(c.count("(") != c.count(")") for c in r) for r in rows) >= len(rows) / 2:
        return None  # "f(1", "2)": a call's arguments split at their commas, not columns
    if any(sum(not r[i] for r in rows) >= _SHARE * len(rows) for i in range(width)):
        return None  # a column empty on nearly every line: a doubled separator, no column
    return sep, width, lines


_SPACED_WIDTH_MOST = 12
"""Columns a table apart by spaces has at most: a line of more single words is prose."""
_SPACED_LEAST = 20
"""Lines a table apart by spaces must have: a few short lines (a recipe's, a chat's) are no table."""


def _spaced(text: str) -> tuple[list[str] | None, list[list[str]], int] | None:
    """A table whose columns are apart by runs of spaces (a census name list's `MARY  2.629
    2.629  1`, `ls -l` output): nine in ten of its lines split into one number of cells, 3 to
    `_SPACED_WIDTH_MOST`, none indented, and some column holds a number on nine in ten. Its
    header (a first line of names where the column below holds numbers), its rows (a longer
    line's rest joined into its last cell: `name -> target`), and how many lines of fewer
    cells were left out. None otherwise, and for a text whose lines write times (a log's)."""
    read = _unindented_lines(text, _SPACED_LEAST)
    if read is None or _timed(read[1]):
        return None
    lines, probe = read
    widths = Counter(len(line.split()) for line in probe)
    width, n = widths.most_common(1)[0]
    if n < _SHARE * len(probe) or not _HEADERLESS_WIDTH <= width <= _SPACED_WIDTH_MOST:
        return None
    rows = [[*cells[:width - 1], " ".join(cells[width - 1:])] for line in lines if len(cells := line.split()) >= width]
    numeric = [i for i in range(width) if sum(bool(_NUMBER_CELL.fullmatch(r[i])) for r in rows[1:]) >= _SHARE * (len(rows) - 1)]
    if not numeric:
        return None
    if sum(any(c.endswith((":", "=")) for c in r) for r in rows) >= len(rows) / 2:
        return None  # `key0: value 0`: named fields, not columns
    if any(i not in numeric and len({r[i] for r in rows[1:]}) == 1 for i in range(width)):
        return None  # a word on every line (`value`, `status`): a sentence's, not a column's
    first = rows[0]
    header = None
    if all(not _NUMBER_CELL.fullmatch(first[i]) for i in numeric) and all(_a_name(c) for c in first) \
            and len({c.lower() for c in first}) == width:
        header, rows = first, rows[1:]  # `name score rank` over its rows
    return header, rows, sum(1 for line in lines if len(line.split()) < width)


def _spaced_look(text: str) -> ComputedLook | None:
    """The look at a table apart by spaces (`_spaced`): its shape, and its rows as a table,
    its columns named by its header or by their place, for the query writer."""
    found = _spaced(text)
    if found is None:
        return None
    header, rows, short = found
    width = len(rows[0])
    left = f" ({short:,} shorter lines left out)" if short else ""
    named = (f"under a header line of {width} columns apart by spaces: {', '.join(header)}" if header
             else f"with no header line: {len(rows):,} lines of {width} columns apart by spaces")
    shown = (f"It is a table {named}{left}; cols(line) splits one (columns counted from 0).",)
    names = sql_names(header) if header else [f"column_{i}" for i in range(width)]
    return ComputedLook(shown, names_fields=False,
                        table=Table.of_rows(names, rows, note="" if header else "(no header line)"))


def _headerless_look(text: str, question: str) -> ComputedLook | None:
    """The look at a table with no header line: its shape, the columns holding values the
    question names, and how many lines hold them all, offered when the question asks just that
    ("how many accounts have nologin as their shell?": the lines whose 7th column is
    /usr/sbin/nologin). A value is matched whole, or as a path's last part ("nologin"), also
    as a hyphenated word joined ("no-login"). A ranking by lines, or a count of different
    values no value of the question names, gets each column's tally instead (`_tallied`)."""
    found = _headerless(text)
    if found is None:
        return _spaced_look(text)
    asking = asking_part(question)
    sep, width, lines = found
    split = [cols(line, sep) for line in lines]
    rows = [cells[:width] for cells in split if len(cells) >= width]
    longer = sum(len(cells) > width for cells in split)
    also = f" ({longer:,} of them with a last column more)" if longer else ""
    shown = [f"It is a table with no header line: {len(rows):,} lines of {width} {_SEP_NAMES[sep]}-separated columns"
             f"{also}; cols(line, {sep!r}) splits one (columns counted from 0)."]
    if ranks(asking) and not _NOT_A_COUNT.search(asking) and not COUNT_ASKED.search(asking):
        return _tallied(shown, rows, width, sep, asking, question, ranking=True)
    if not COUNT_ASKED.search(asking) or SUPERLATIVE.search(asking):
        return ComputedLook(tuple(shown), names_fields=False)  # a look-up: a column's values would only mislead
    said = _phrases([t.lower() for t in re.findall(r"[\w/][\w.'&+/-]*", asking)], joined=True)
    filters: list[tuple[int, list[str]]] = []
    for i in range(width):
        column = _Column(f"column {i}", [r[i] for r in rows])
        if not column.category(len(rows)):
            continue
        by_word: dict[str, list[str]] = {}
        for value in column.counts:
            v = value.lower()
            word = v.rsplit("/", 1)[-1] if "/" in v.strip("/") else v
            if len(word) >= 2 and word not in _STOP and (v in said or word in said):
                by_word.setdefault(word, []).append(value)
        if len(by_word) == 1:  # one word names one value (or its paths: /usr/sbin/nologin, /sbin/nologin)
            if sep != "," and any("," in v for v in column.counts):
                return ComputedLook(tuple(shown), names_fields=False)  # a list per cell ("syslog,alice"): items, not cells
            values = next(iter(by_word.values()))
            filters.append((i, sorted(values)))
            shown.append(f"   column {i}: {len(column.counts):,} values, the most lines first: "
                         + ", ".join(f"{v} {n:,}" for v, n in column.counts.most_common(_VALUES_SHOWN)) + ".")
    if not filters and (begun := _begun(rows, width, asking)) is not None:
        i, start = begun  # "map to an image/ type": the cells that begin "image/"
        test = f"len(cols(l, {sep!r})) > {i} and cols(l, {sep!r})[{i}].startswith({start!r})"
        kept = sum(1 for line in text.split("\n") if (c := cols(line, sep)) is not None and len(c) > i
                   and c[i].startswith(start))
        named = {start.strip("/").lower()}
    elif not filters:  # "how many different countries": no value named, each column's values counted
        return (_tallied(shown, rows, width, sep, asking, question, ranking=False) if _DISTINCT.search(asking)
                else ComputedLook(tuple(shown), names_fields=False))
    else:
        test = " and ".join(f"len(cols(l, {sep!r})) > {i} and cols(l, {sep!r})[{i}] in {tuple(vs)!r}"
                            for i, vs in filters)
        kept = sum(1 for line in text.split("\n")
                   if (c := cols(line, sep)) is not None and all(len(c) > i and c[i] in vs for i, vs in filters))
        named = {p for _, vs in filters for v in vs for p in re.findall(r"[\w-]+", v.lower())}
    lowered = text.lower()
    plain = not says_more(asking, question)
    for word in (w.lower() for w in TOKEN.findall(asking) if w.lower() not in _STOP):
        if word in _RANKING_WORDS or word in named or word.replace("-", "") in named:
            continue
        if word in _PLAIN_WORDS and not re.search(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", lowered):
            continue
        plain = False  # a word the lines write may filter them; one they never write ("human") may too
    return computed_look(shown, (f"len([l for l in lines() if {test}])", f"{kept:,}", str(kept) if plain else ""),
                         False, names_fields=False)


def _begun(rows: list[list[str]], width: int, asking: str) -> tuple[int, str] | None:
    """The column and the start the question writes with a slash for its cells: "an image/ MIME
    type" for `image/png` and `image/gif`, "under /usr/lib" for paths. Only when the start begins
    several values of one column, and no other, and is no whole value itself."""
    found = []
    for start in dict.fromkeys(re.findall(r"(?<![\w/.-])(?:/?[\w.+-]+/)+[\w.+-]*(?![\w/])", asking)):
        begins = start if start.endswith("/") else start + "/"  # "/usr/lib" is not the start of /usr/lib64
        held = [i for i in range(width)
                if start not in (values := {r[i] for r in rows}) and sum(v.startswith(begins) for v in values) >= 2]
        found += [(i, begins) for i in held]
    return found[0] if len(found) == 1 else None


_PROFILED = 8
"""Columns of a table with no header line described for a count or ranking: wider ones are
records to read, not tallies."""


def _tallied(shown: list[str], rows: list[list[str]], width: int, sep: str, asking: str, question: str,
             ranking: bool) -> ComputedLook:
    """The look at a table with no header line for a ranking by lines ("which country has the
    most zones") or a count of different values: each column's tally (`_profile`) and, when
    one column alone holds values that repeat, what it ranks or counts, as a step with its
    call. Which column the question means no header says, so nothing is offered as read, and
    a question that says more than a count or a ranking by lines ("at least 2 zones", "more
    than one", "in Canada", "the most northern") gets the tally alone."""
    tallies = [_tally(rows, i) for i in range(min(width, _PROFILED))]
    told = _profile(tallies)
    plain = _DISTINCT.sub(" ", asking)
    if _NAMED_FILTER.search(asking) or says_more(plain, question) or (ranking and not _BY_LINES.search(asking)):
        return ComputedLook((*shown, *told), names_fields=False)
    # A column whose values nearly never repeat (a pattern, a path each line) groups nothing.
    tallied = [(i, t) for i, t in enumerate(tallies) if t is not None and not t[0].numeric
               and 1 < len(t[0].counts) < _NEARLY_UNIQUE * sum(t[0].counts.values())]
    if len(tallied) != 1:
        return ComputedLook((*shown, *told), names_fields=False)
    i, (column, listed) = tallied[0]
    kept = f"for l in lines() if not l.lstrip().startswith('#') for c in [cols(l, {sep!r})] if len(c) >= {width}"
    values = (f"[v.strip() {kept} for v in c[{i}].split(',') if v.strip()]" if listed
              else f"[c[{i}] {kept} if c[{i}]]")
    if not ranking:
        return computed_look([*shown, *told], (f"len(set({values}))", f"{len(column.counts):,}", ""), False,
                             names_fields=False)
    order = ranked(dict(column.counts), asking)
    if order is None:
        return ComputedLook((*shown, *told), names_fields=False)
    return computed_look([*shown, *told], (f"count_by({values})", order.told, ""), False, names_fields=False)


_NEARLY_UNIQUE = 0.9
_BY_LINES = re.compile(r"\b(?:most|fewest|least)\b(?!\s+(?:recent|\w+ern|\w+est)\b)"
                       r"|\b(?:largest|greatest|highest|biggest|smallest|lowest)\s+(?:number|count|share)\b",
                       re.IGNORECASE)
"""A ranking by how many lines a value fills: "the most zones", "the largest number of rows";
not "the most northern", "the most recent"."""
_NAMED_FILTER = re.compile(r"(?<=[\w,;:)] )[A-Z][a-z]")
"""A capitalised word inside a sentence ("... entries for Canada"), not one starting it ("? Give
its code"): a name that may filter the lines by a value no column writes as it does."""


def _tally(rows: list[list[str]], i: int) -> tuple[_Column, bool] | None:
    """Column `i` of a table with no header line, a listing cell ("CA,US") counted by its
    items, and whether its cells list values; None for a column no line fills."""
    cells = [r[i] for r in rows]
    listed = _listed(cells)
    column = _Column(f"column {i}", [v.strip() for c in cells for v in (c.split(",") if listed else [c])])
    return (column, listed) if column.counts else None


def _listed(cells: list[str]) -> bool:
    """Whether a column's cells list values ("CA,US"): some do, and none is a number written
    with thousands' commas ("1,200")."""
    return any(_LISTED.fullmatch(c) for c in cells) and not any(_THOUSANDS.fullmatch(c) for c in cells)


def _profile(tallies: list[tuple[_Column, bool] | None]) -> list[str]:
    """What `sort | uniq -c` shows of each column of a table with no header line, for a count
    or ranking no value of the question names ("how many different countries", "which code has
    the most lines"): how many values it holds and which fill the most lines. A cell that lists
    values ("CA,US") counts each. No header says which column the question means, so it is
    told, never offered. `tallies`: each column's `_tally`, the first `_PROFILED`."""
    told = ["Its columns, each counted over all lines:"]
    for i, tally in enumerate(tallies):
        if tally is None:
            continue
        column, listed = tally
        if len(column.counts) == 1:
            told.append(f"   column {i}: {next(iter(column.counts))} on every line.")
        elif column.unique() and not listed:
            told.append(f"   column {i}: a different value on each line, like {next(iter(column.counts))}.")
        elif column.numeric:
            numbers = [x for v in column.counts if (x := to_number(v)) is not None]
            told.append(f"   column {i}: numbers from {min(numbers):g} to {max(numbers):g}.")
        else:
            top = column.counts.most_common(_VALUES_SHOWN)
            more = len(column.counts) - len(top)
            items = " (a cell may list several, split at ',': each counted)" if listed else ""
            told.append(f"   column {i}: {len(column.counts):,} different values{items}, the most lines first: "
                        + ", ".join(f"{v} {n:,}" for v, n in top) + (f" and {more:,} others" if more else "") + ".")
    return told if len(told) > 1 else []


_THOUSANDS = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_LISTED = re.compile(r"[^,\s]+(?:,[^,\s]+)+")
"""A cell that lists values, "CA,US", in a table split at another separator."""
