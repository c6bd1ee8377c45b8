"""A table's rows asked one SQL query that a sub-model writes for the question.

Most questions about a table are one SELECT: "How many Oregon airports are in this table?" is
`SELECT COUNT(*) FROM t WHERE state = 'OR'`. The look's own rules (`look_table`) compute only
what the question's words and the header say plainly. On tables nobody here had read, they
computed almost nothing, and the small root grepped the word "Oregon" and answered 1. A coder
model that is shown the columns, their kinds and some of their values writes that SELECT. The
embedded 1.5B did so for 13 of 15 questions over the tables of three held-out sets, the first
time it was asked (docs/benchmarks.md, session 37). It knows that Oregon is 'OR', which no rule
here knows.

The query runs in an in-memory SQLite database that holds the table's rows and nothing else,
set read-only (`query_only`), its temporary storage in memory, a value's length capped. An
authorizer lets a query read, recurse and call the functions listed in `_FUNCTIONS` (no
`random`, no `load_extension`, nothing that tells about the host), and a deadline stops a query
that runs too long. Columns are typed, so `>` compares amounts, text compares without case,
and dates are ISO: `BETWEEN '2012-11-01' AND '2013-01-31'` means what it says.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from http import HTTPStatus
from itertools import pairwise
from typing import Any, Literal

from recursor.line_kinds import kinds, line_shape
from recursor.question import asked_form, asking_part, counted_verb, letters_in_order
from recursor.sandbox.helpers import _STOP, to_date
from recursor.synonyms import plain_idioms, synonyms
from recursor.word_bases import base_forms

__all__ = ["NO_SELECT", "QUERY_TOKENS", "Query", "Table", "TableDb", "answer_of", "empty_top", "nulls_only", "schema", "select_of", "sql_names", "told",
           "word_start"]

QUERY_TOKENS = 200
"""The query's reply, at most: one statement. A longer reply is no query the look can trust."""
NO_SELECT = "that reply holds no one SELECT statement"
"""Why a reply is no query, told to its writer for a mend."""
_COLUMNS_SHOWN = 60
"""The columns the query writer is shown, at most: those the question names first."""
_FIELDS_MAX = 60
"""A JSON table's fields made columns, at most (the most common first)."""
_VALUES_SHOWN = 10
_CATEGORY_MAX = 60
_EXAMPLES = 3
_COMMON_SHOWN, _COMMON_SHARE, _COMMON_LEAST = 5, 0.5, 10
"""A text column of many values is told by its most common few when they fill this share of its
rows, the first on `_COMMON_LEAST` rows or more, and they are words (`_WORDLIKE`), not codes
(a stock number `1005-00-856-6885` is no kind a question names)."""
_WORDLIKE = re.compile(r"[A-Za-z]{2}")
_CLIP = 40
_LONG_CLIP = 64
"""A long text column's example, at most: two of them fit a schema line."""
_CLOCK = re.compile(r"(?:\d{4}-\d{2}-\d{2} )?\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?")
"""A time of day, or a date and time, as a log's table writes it (`recursor.log_table`)."""
_DURATION = re.compile(r"\b(?:seconds?|minutes?|hours?|milliseconds?|ms|how long|duration|elapsed|took)\b")
"""A question that asks how long: its writer is told how two times subtract (as text, to 0).
Told for any other question, the 1.5B pasted the subtraction into a count of uploads."""
_KINDS_SHOWN = 10
_KINDS_NAMED = 6
"""A column's kinds shown, at most, and of them the kinds that write a word of the question."""
_REPEATS = 4
"""A column is of kinds when its values have four or more times as many rows as shapes."""
_LINE_MAX = 160
"""A column's line in the schema, at most: a schema fits a small model's window."""
_CELL_SHOWN = 200
"""A result cell as the look shows it, at most; a longer value is offered as no answer."""
_CODE_WIDTH = 6
"""A text column whose values all have one width up to this is told so ("always 3 characters"):
asked for "the three-letter code", the writer picks that column."""
_ROWS_KEPT = 6
_SECONDS = 3.0
"""A query's time, at most: a cross join of two 3,000-row tables is stopped, not waited for."""
_STEPS = 10_000
"""SQLite virtual-machine steps between two looks at the clock."""
_LENGTH_MAX = 100_000
"""A string or blob a query makes, at most (`SQLITE_LIMIT_LENGTH`): `randomblob(200000000)` or
`printf('%.*c', 1e8, 'x')` is refused, not made between two looks at the clock."""
_INT_MAX = 2**63 - 1

_FUNCTIONS = frozenset(
    "count sum total avg min max group_concat string_agg abs round length lower upper trim ltrim rtrim substr "
    "substring replace instr coalesce ifnull nullif iif like glob typeof char unicode quote sign ceil ceiling floor "
    "trunc sqrt pow power exp ln log log2 log10 mod pi date time datetime julianday unixepoch strftime printf format "
    "cast json json_extract json_array_length json_type json_valid json_each json_tree json_array json_object "
    "json_group_array json_group_object row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value "
    "last_value nth_value".split())
"""What a query may call: SQL's aggregates, text, number, date and JSON functions. Not `random`
or `randomblob` (a replay must see the same first look), `load_extension`, `fts3_tokenizer`
(a native address), `sqlite_version` or anything else that tells about the host."""
_READS = frozenset({sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, 33})  # 33: SQLITE_RECURSIVE
_KEYWORDS = frozenset(
    "abort action add after all alter analyze and as asc attach autoincrement before begin between by cascade case "
    "cast check collate column commit conflict constraint create cross current current_date current_time "
    "current_timestamp database default deferrable deferred delete desc detach distinct do drop each else end "
    "escape except exclusive exists explain fail filter for foreign from full glob group groups having if ignore "
    "immediate in index indexed initially inner insert instead intersect into is isnull join key left like limit "
    "match natural no not nothing notnull null of offset on or order outer over partition plan pragma primary "
    "query raise range recursive references regexp reindex release rename replace restrict returning right "
    "rollback row rows savepoint select set table temp temporary then ties to transaction trigger unbounded union "
    "unique update using vacuum values view virtual when where window with without".split())
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INTEGER = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_REAL = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?")
_THOUSANDS = re.compile(r"[-+]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]+")
_MISSING = frozenset({"na", "n/a", "nan", "null", "none", "-", "--", "?", "."})
"""Cells that say a number is missing ("NA" among a column's amounts): no value, so `> 50`
still compares the column as numbers."""
_YMD = re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})")
_DMY = re.compile(r"([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})")
_WORDY_DATE = re.compile(r"[0-9]{1,2}[ -][A-Za-z]{3,9}\.?[ -][0-9]{4}|[A-Za-z]{3,9}\.? [0-9]{1,2}(?:st|nd|rd|th)?,? [0-9]{4}")
"""A cell that is a date and nothing else: "2012/01/01", "5/3/2024", "5 March 2024", "Mar 5, 2024"."""
_FENCE = re.compile(r"```[ \t]*(?:sqlite|sql)?\b[^\n]*\n(.*?)(?:```|$)|```(.*?)```", re.DOTALL | re.IGNORECASE)
_QUOTED_OR_COMMENT = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?(?:\*/|$)", re.DOTALL)
_STARTS = re.compile(r"^\s*(?:select|with)\b", re.IGNORECASE)
_COMPARED_TO = re.compile(r"([A-Za-z_][A-Za-z0-9_]*|\"[^\"]+\")\s*(?:=|==|\bLIKE\b|\bIN\s*\()\s*'((?:[^']|'')*)'",
                          re.IGNORECASE)
_AGGREGATE = re.compile(r"^\s*(?:count|sum|total|avg|min|max)\s*\(|^(?:count|cnt|n|num|number|total|sum|avg|average|"
                        r"mean|amount)(?:_\w+)?$|_(?:count|total|sum|avg)$", re.IGNORECASE)
"""A result column that aggregates ("COUNT(*)", "total_precipitation", "n"), by its name."""
_ALIASED = re.compile(r"\b(?:count|sum|total|avg|min|max|group_concat)\s*\((?:[^()]|\([^()]*\))*\)\s+(?:as\s+)?"
                      r"([A-Za-z_][A-Za-z0-9_]*|\"[^\"]+\")", re.IGNORECASE)
"""An aggregate's alias, "COUNT(*) AS male_survivors": that result column aggregates too."""
_NUMBER_COMPARED = re.compile(r"([A-Za-z_][A-Za-z0-9_]*|\"[^\"]+\")\s*(?:<=|>=|<>|!=|<|>|==|=)\s*"
                              r"(-?(?:\d+\.?\d*|\.\d+))(?![\w.%])")
"""A column compared with a number in a WHERE: `percbelowpoverty > 0.2`."""
_NULL_TESTED = re.compile(r"(?<![\w.\"])([A-Za-z_][A-Za-z0-9_]*|\"[^\"]+\")\s+IS\s+(?:NOT\s+)?NULL\b", re.IGNORECASE)
"""A column tested for a value in a WHERE: `loan IS NOT NULL`."""
_RANKED = re.compile(r"\bGROUP\s+BY\b[^;]*\bORDER\s+BY\b[^;]*\bDESC\b", re.IGNORECASE)
"""A ranking: groups ordered biggest first."""
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|percent\b|per\s+cent\b)", re.IGNORECASE)
_NAMED_OTHERWISE = re.compile(
    r"\b(?:latest|newest|oldest|earliest|first|last|current|previous|prior|recent|next|final|initial|today|yesterday"
    r"|tomorrow|new\s+year|christmas|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|monday|tuesday|wednesday|thursday|friday|saturday"
    r"|sunday|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|point|noon|midnight|morning"
    r"|evening|afternoon|night)\b", re.IGNORECASE)
"""Words that name a version, date or time without its numbers: a query may write those numbers."""
_VERB_ROWS_LEAST = 5
"""Rows that must write a count's verb, one value, for a query that keeps none of them to be
doubted: an event the log records, not a line that happens to write the word once."""
_TEXT_QUOTED = re.compile(r"'(?:[^']|'')*'")
_TEXT_SPAN = re.compile(r"(?<![\w.\"])([A-Za-z_][A-Za-z0-9_]*|\"[^\"]+\")\s*(?:<=|>=|<|>)\s*'(?:[^']|'')*'"
                        r"|(?<![\w.\"])([A-Za-z_][A-Za-z0-9_]*|\"[^\"]+\")\s+BETWEEN\s+'(?:[^']|'')*'\s+AND\s+'(?:[^']|'')*'",
                        re.IGNORECASE)
"""A column kept within a text bound: `time >= '2010-10-03 11:00:00'`, `day BETWEEN '2024-01-01' AND '2024-01-31'`."""
_PARTED_NUMBER = re.compile(r"\d+[.:/-]\d+")
"""A version, date or time in a compared text: "7.2.%", "2019-11-26", "03:48"."""
_HOW_MANY = re.compile(r"\bhow\s+(?:many|much)\b", re.IGNORECASE)
_COUNTS = re.compile(r"\bnumber\s+of\b|\b(?:count|total|sum|average|mean)\b", re.IGNORECASE)
_WHICH = re.compile(r"\b(?:which|who|whose)\b", re.IGNORECASE)
_ASKS_ID = re.compile(r"\b(?:id|ids|identifier|number|code|key)\b", re.IGNORECASE)
"""A question that asks for an id or a number itself ("which id", "give its number")."""

Kind = Literal["integer", "real", "date", "boolean", "text"]


@dataclass(frozen=True, slots=True)
class _Column:
    name: str
    """Its SQL name: the header's when that is a plain identifier, else made one."""
    written: str
    kind: Kind
    values: tuple[Any, ...]


class Table:
    """A table's column names as written, and its rows of cells (str, int, float, bool or
    None): what the look read (`look_table`). Its columns are typed once, when first asked."""

    __slots__ = ("_columns", "_load", "_rows", "header", "note", "row")

    def __init__(self, header: Sequence[str], rows: Sequence[Sequence[Any]] = (), *,
                 load: Callable[[], Sequence[Sequence[Any]]] | None = None, row: str = "", note: str = "") -> None:
        self.header = tuple(header)
        self.row = row
        self.note = note
        """What the writer must know of how the rows were made ("one row per country and year"),
        told after the count of rows; "" for rows as the text writes them."""
        """What one row is, when the table was read from a format that says ("one request in a
        web server's access log"): the query writer is told, and reads "turned away for lack of
        credentials" as `status = 401`; "" for a table that says so only by its header."""
        self._rows = tuple(tuple(r) for r in rows)
        self._load = load
        self._columns: tuple[_Column, ...] | None = None

    @property
    def rows(self) -> tuple[tuple[Any, ...], ...]:
        """The rows, read when first asked if the table was made by `read_later`."""
        if self._load is not None:
            load, self._load = self._load, None
            self._rows = tuple(tuple(r) for r in load())
        return self._rows

    @classmethod
    def of_rows(cls, header: Sequence[str], rows: Sequence[Sequence[str | None]], *, row: str = "",
                note: str = "") -> Table:
        """A delimited table's cells as written; an empty cell, or None, is no value."""
        return cls(header, _cells(rows, len(header)), row=row, note=note)

    @classmethod
    def read_later(cls, header: Sequence[str], read: Callable[[], Sequence[Sequence[str | None]] | None], *,
                   row: str = "", note: str = "") -> Table:
        """A delimited table whose rows `read` gives when they are first asked for, off the
        look's path (a long text's, read again whole only for a query); no rows when `read`
        finds none that fit the header."""
        return cls(header, load=lambda: _cells(read() or (), len(header)), row=row, note=note)

    @classmethod
    def of_records(cls, records: Sequence[dict[str, Any]]) -> Table:
        """JSON objects by their fields, the rarer ones too ("alpha_2" that 184 of 7,910
        languages have: a question may ask which have one), up to `_FIELDS_MAX` of them.
        A list or object is kept as JSON text, which SQLite's json functions read."""
        seen = Counter(k for r in records for k in r)
        kept = {k for k, _ in seen.most_common(_FIELDS_MAX)}
        header = [k for k in dict.fromkeys(k for r in records for k in r) if k in kept]
        return cls(header, [[_cell(r.get(k)) for k in header] for r in records])

    def columns(self) -> tuple[_Column, ...]:
        if self._columns is None:
            self._columns = _typed_columns(self)
        return self._columns


def _cells(rows: Sequence[Sequence[str | None]], width: int) -> list[list[str | None]]:
    """Delimited rows as `width` cells each; an empty cell, or one a short row leaves out, is no value."""
    return [[c if c != "" else None for c in r[:width]] + [None] * (width - len(r)) for r in rows]


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float)):
        return value
    return json.dumps(value, ensure_ascii=False)


def sql_names(header: Sequence[str]) -> list[str]:
    """The SQL names a query writer is shown for a table's columns (`_names`)."""
    return _names(header)


def _names(header: Sequence[str]) -> list[str]:
    """SQL names for the columns: the header's own when each is a plain identifier that is no
    keyword ("state", "temp_max"), else lowercased words joined by "_" ("Life Exp" -> life_exp)."""
    names: list[str] = []
    taken: set[str] = set()
    for written in header:
        name = written if _IDENT.fullmatch(written) else re.sub(r"\W+", "_", written.strip(), flags=re.ASCII)
        name = name.strip("_")[:_CLIP] or "column"
        name = f"c_{name}" if name[0].isdigit() else name
        name = f"{name}_" if name.lower() in _KEYWORDS else name
        while name.lower() in taken:
            name += "_"
        names.append(name)
        taken.add(name.lower())
    return names


def _missing(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and cell.strip().lower() in _MISSING)


def _number(cell: Any) -> int | float | None:
    """A cell's number as written ("1,234.5" too); None for text, a code with a leading zero
    ("007", a zip code's "01234"), or a whole number SQLite cannot hold."""
    if isinstance(cell, bool):
        return int(cell)
    if isinstance(cell, (int, float)):
        return cell if not isinstance(cell, int) or abs(cell) <= _INT_MAX else None
    text = str(cell).strip()
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    if _LEADING_ZERO.fullmatch(text):
        return None
    if _INTEGER.fullmatch(text):
        number = int(text)
        return number if abs(number) <= _INT_MAX else None
    return float(text) if _REAL.fullmatch(text) else None


def _day_first(values: list[str]) -> bool | None:
    """How a column writes its numeric dates "01/02/2024": day first when some first number is
    over 12, month first when some second one is, None when both (no one reading holds)."""
    pairs = [(int(m.group(1)), int(m.group(2))) for v in values if (m := _DMY.fullmatch(v.strip()))]
    day_first = any(a > 12 for a, _ in pairs)
    month_first = any(b > 12 for _, b in pairs)
    return None if day_first and month_first else day_first


def _as_date(value: str, day_first: bool) -> date | None:
    text = value.strip()
    try:
        if m := _YMD.fullmatch(text):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m := _DMY.fullmatch(text):
            a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
            return date(year, b, a) if day_first else date(year, a, b)
    except ValueError:
        return None
    return to_date(text) if _WORDY_DATE.fullmatch(text) else None


def _column(name: str, written: str, cells: list[Any]) -> _Column:
    """A column typed by all its values: numbers only when every value is one (a missing-value
    mark aside), dates when every value is a date and nothing more, one reading of "01/02"."""
    present = [c for c in cells if not _missing(c)]
    if present and all(isinstance(c, bool) for c in present):
        return _Column(name, written, "boolean", tuple(None if _missing(c) else int(c) for c in cells))
    numbers = [None if _missing(c) else _number(c) for c in cells]  # each cell read once
    read = [n for c, n in zip(cells, numbers, strict=True) if not _missing(c)]
    if present and all(n is not None for n in read):
        kind: Kind = "integer" if all(isinstance(n, int) for n in read) else "real"
        return _Column(name, written, kind, tuple(numbers))
    texts = [c for c in present if isinstance(c, str)]
    if present and len(texts) == len(present) and all(_ISO_STAMP.fullmatch(t) for t in texts):
        # `2027-01-04T18:30:00Z` as the log tables write a date and time, which compares and
        # is described as one (`_CLOCK`): the writer's '2027-03-01' bounds then hold.
        return _Column(name, written, "text", tuple(None if _missing(c) else _stamp(c) for c in cells))
    if present and len(texts) == len(present) and (day_first := _day_first(texts)) is not None:
        days = [None if _missing(c) else _as_date(c, day_first) for c in cells]
        if all(d is not None for c, d in zip(cells, days, strict=True) if not _missing(c)):
            return _Column(name, written, "date", tuple(d.isoformat() if d else None for d in days))
    return _Column(name, written, "text", tuple(None if c is None else c if isinstance(c, str) else str(c)
                                                 for c in cells))


_ISO_STAMP = re.compile(r"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?(?:\.\d+)?(?:Z|[+-]00:?00)?")
"""An ISO 8601 date and time in UTC (or with no zone), as JSON logs and calendars write one."""


def _stamp(value: str) -> str:
    m = _ISO_STAMP.fullmatch(value)
    assert m is not None
    return f"{m.group(1)} {m.group(2)}{m.group(3) or ':00'}"


def _typed_columns(table: Table) -> tuple[_Column, ...]:
    return tuple(_column(name, written, [r[i] if i < len(r) else None for r in table.rows])
                 for i, (name, written) in enumerate(zip(_names(table.header), table.header, strict=True)))


def _clip(value: str, at: int = _CLIP) -> str:
    value = " ".join(value.split())
    return value if len(value) <= at else value[:at] + "..."


def _status_told(name: str, values: list[Any]) -> list[str]:
    """A column of HTTP statuses told with each one's reason ("404 (Not Found)"): asked how often
    someone asked for "a station the service doesn't know about", the writer kept a station
    column's names, never the 404 it saw listed. Other whole numbers as they are."""
    if not _STATUS_NAME.search(name) or not all(isinstance(v, int) and 100 <= v <= 599 for v in values):
        return [str(v) for v in values]
    told = []
    for v in values:
        try:
            told.append(f"{v} ({HTTPStatus(v).phrase})")
        except ValueError:
            told.append(str(v))
    return told


_STATUS_NAME = re.compile(r"(?:^|_)(?:status|code|status_code|http_status|response)(?:$|_)", re.IGNORECASE)


def _clip_apart(value: str, others: list[str], at: int = _LONG_CLIP) -> str:
    """`value` clipped to `at` characters where it differs from the `others`: kinds whose
    first 64 characters are alike (luigi's `[pid 7836] Worker Worker(salt=..., w...` for both
    its `done` and its `failed ValidateSales(...)` lines) were shown as one, and what told them
    apart was cut. Its start is kept, then "..." and from a little before where it parts from
    the one most like it."""
    words = value.split()
    value = " ".join(words)
    if len(value) <= at:
        return value
    # Where it parts from the one most like it, word by word, what varies in a kind aside (a pid).
    shaped = [line_shape(w) for w in words]
    same = max((_same_start(shaped, [line_shape(w) for w in o.split()]) for o in others), default=0)
    alike = sum(len(w) + 1 for w in words[:same])
    if alike < at - _PARTED_CONTEXT:
        return value[:at] + "..."
    lead = _PARTED_LEAD
    part = value[max(lead, alike - _PARTED_CONTEXT):]
    room = at - lead
    return value[:lead] + "..." + (part if len(part) <= room else part[:room] + "...")


def _same_start(one: list[str], other: list[str]) -> int:
    """How many leading items `one` and `other` share."""
    return next((i for i, (a, b) in enumerate(zip(one, other, strict=False)) if a != b), min(len(one), len(other)))


_PARTED_LEAD = 20
"""Characters of a long value's start kept when it is shown from where it parts from another."""
_PARTED_CONTEXT = 12
"""Characters shown before where a value parts from another."""


def _json_lists(values: list[Any]) -> bool:
    """Whether a column's texts are JSON lists (a record's list kept as JSON), by its first few."""
    probe = values[:_EXAMPLES * 3]
    if not probe or not all(isinstance(v, str) and v[:1] == "[" and v[-1:] == "]" for v in probe):
        return False
    try:
        return all(isinstance(json.loads(v), list) for v in probe)
    except (ValueError, RecursionError):
        return False


_TIME_OF_DAY = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s?(am|pm|a\.m\.?|p\.m\.?)(?![\w])", re.IGNORECASE)
"""A question's time of day on a twelve-hour clock: "6 pm", "6:30pm", "9 a.m."."""


def _clock_asked(question: str) -> str | None:
    """The time of day a question writes, as a table writes it ("6 pm" -> '18:00:00'); the
    earliest when it writes several, None when it writes none."""
    clocks = []
    for m in _TIME_OF_DAY.finditer(question):
        hour, minute = int(m.group(1)) % 12, int(m.group(2) or 0)
        hour += 12 if m.group(3).lower().startswith("p") else 0
        if int(m.group(1)) <= 12 and minute < 60:
            clocks.append(f"{hour:02d}:{minute:02d}:00")
    return min(clocks, default=None)


def _described(column: _Column, n_rows: int, asked: set[str], logged: bool = False, clock: str | None = None) -> str:
    """One column as the query writer is shown it: its name, kind and values; a value the
    question writes is shown whatever its rank ("Switzerland" among 249 names)."""
    values = [v for v in column.values if v is not None]
    empty = n_rows - len(values)
    grouped = ""
    header = "" if column.name == column.written else f" (header {_clip(column.written)!r})"
    if not values:
        return f"- {column.name}{header}: always empty"
    distinct = sorted(set(values)) if column.kind == "integer" else []
    if len(distinct) == 1:
        told = f"whole number, always {distinct[0]}"
    elif 1 < len(distinct) <= _VALUES_SHOWN and len(distinct) < n_rows / 3:
        # A handful of whole numbers are codes more than amounts (an HTTP status, a level): each
        # is shown, so that a writer who knows 401 means "no valid credentials" sees it is there.
        told = f"whole number, {len(distinct)} different values: " + ", ".join(_status_told(column.name, distinct))
    elif column.kind in ("integer", "real", "date"):
        what = {"integer": "whole number", "real": "number", "date": "date YYYY-MM-DD"}[column.kind]
        told = f"{what}, {min(values)} to {max(values)}"
    elif column.kind == "boolean":
        told = "1 (true) or 0 (false)"
    else:
        counts = Counter(values)
        named = [v for v in counts if v.lower() in asked]
        widths = {len(v) for v in counts}
        width = f"always {min(widths)} characters, " if len(widths) == 1 and min(widths) <= _CODE_WIDTH else ""
        if len(counts) == 1:
            told = f"text, always {_clip(values[0])!r}"  # a flag: "Schengen" for the countries in it
        elif len(counts) <= _CATEGORY_MAX and len(counts) < n_rows / 3:
            top = [v for v, _ in counts.most_common(_VALUES_SHOWN)]
            shown = named + [v for v in top if v not in named]
            more = ", ..." if len(counts) > len(shown) else ""
            told = f"text, {width}{len(counts):,} different values: " + ", ".join(repr(_clip(v)) for v in shown) + more
            grouped = _by_words(column.name, counts)
        elif all(_CLOCK.fullmatch(v) for v in values):
            # Times compare as text; subtracted as text they give 0: strftime reads their seconds.
            # A subtitle's start is a time into the film, to the millisecond: no time of day.
            what = ("date and time YYYY-MM-DD HH:MM:SS" if " " in values[0] else "time of day HH:MM:SS"
                    if "." not in values[0] else "time HH:MM:SS.mmm")
            told = f"{what}, {min(values)} to {max(values)}"
            if _DURATION.search(" ".join(asked)):
                told += " (seconds apart: strftime('%s', b) - strftime('%s', a))"
            elif " " in values[0] and clock and min(values)[:10] != max(values)[:10]:
                # "sessions that start at 6 pm or later" over many days: the 1.5B compared whole
                # date-times with the last day's 18:00 and kept one row of 14.
                told += f" (a time of day on any day: time({column.name}) compares with '{clock}')"
        elif (routes := _routes(column.name, values, asked)) is not None:
            told, grouped = routes
        elif logged and (kinds := _kinds(values, counts, asked, named)) is not None:
            return f"- {column.name}{header}: {kinds}"
        elif (counts.most_common(1)[0][1] >= _COMMON_LEAST
              and sum(n for _, n in counts.most_common(_COMMON_SHOWN)) >= _COMMON_SHARE * len(values)
              and all(_WORDLIKE.search(v) for v, _ in counts.most_common(_COMMON_SHOWN))):
            # Many values, a few of them most rows' (a manual's option types: `bool` 269 of 728):
            # those few are what a condition is written against ("a plain true/false value").
            common = [(v, n) for v, n in counts.most_common(_COMMON_SHOWN) if n > 1]
            told = (f"text, {len(counts):,} different values, the most common: "
                    + ", ".join(f"{_clip(v)!r} ({n:,} rows)" for v, n in common) + ", ...")
        else:
            # Long texts (an item, a term's line) are shown two at more length: their shape
            # ("tcp_sack (Boolean; default: enabled; ...)") is what a LIKE must match.
            long = sorted(len(v) for v in values)[len(values) // 2] > _CLIP
            distinct = list(dict.fromkeys(values))
            # A log's first lines are its banner: a long column shows its first value and a middle one.
            first = [distinct[0], distinct[len(distinct) // 2]] if long and len(distinct) > 2 else distinct[:_EXAMPLES]
            shown = named + [v for v in first if v not in named]
            told = f"text, {width}e.g. " + ", ".join(repr(_clip(v, _LONG_CLIP if long else _CLIP)) for v in shown)
            grouped = _grouped_by_start(column.name, values) or _parts_asked(column.name, counts, asked)
    if column.kind == "text" and _json_lists(values):
        # "the package with the most wheels", "the setting with the longest list of choices":
        # a list's items are counted by SQLite's JSON functions, not by LIKE or length().
        grouped = f"; each a JSON list: json_array_length({column.name}) counts its items{grouped}"
    line = f"- {column.name}{header}: {told}"
    line = line if len(line) <= _LINE_MAX else line[:_LINE_MAX] + " ..."
    return line + grouped + (f"; empty (NULL) in {empty:,} rows" if empty else "")


_CODE = re.compile(r"([A-Za-z][A-Za-z0-9]{0,7})([-:/_.])[A-Za-z0-9]{1,10}")


_PATH = re.compile(r"(?:https?://[^/\s]+)?/[^\s]*")
_ROUTES_SHOWN = 6


def _routes(name: str, values: list[str], asked: set[str]) -> tuple[str, str] | None:
    """A column of URL paths told by their routes, the numbers in them written `#` and the
    query string off ("/api/products/#" for '/api/products/213'; names `*`, `_named_segments`):
    a shop's log had three examples, all searches, and the 1.5B, asked about "a single
    product", matched a message instead. The routes a question's word names a part of ("product" of `products`) come
    first, with the LIKE that keeps the first one's rows: told only the routes, the 1.5B still
    matched a search's words. The routes, and the LIKE (told whole after them, however long
    they are); None unless every value is a path and the routes repeat."""
    if not all(_PATH.fullmatch(v) for v in values):
        return None
    words = sorted((w for w in asked if w.isalpha() and len(w) >= 4 and w not in _STOP), key=lambda w: (-len(w), w))
    routes = _named_segments(Counter(re.sub(r"\d+", "#", v.split("?", 1)[0]) for v in values), words)
    if not 2 <= len(routes) <= len(values) / _REPEATS:
        return None
    named = [r for r, _ in routes.most_common() if any(_part_named(w, r) for w in words)]
    ranked = [*named, *(r for r, _ in routes.most_common() if r not in named)]
    shown = ", ".join(f"{_clip(r)!r} ({routes[r]:,} rows)" for r in ranked[:_ROUTES_SHOWN])
    more = ", ..." if len(routes) > _ROUTES_SHOWN else ""
    like = f"; {_keeps(name, named[0], routes)} keeps the first's rows" if named else ""
    names = ", * for a name" if any("*" in r for r in routes) else ""
    return f"text, paths of {len(routes):,} routes (# for a number{names}, no query string): {shown}{more}", like


def _keeps(name: str, route: str, routes: Counter[str]) -> str:
    """The condition that keeps a route's rows: its values hold numbers and names where it
    writes `#` and `*`, and a query string after it; not the longer routes that start with it
    ('/api/products/#' is no '/api/products/#/reviews'; review)."""
    like = route.replace("#", "%").replace("*", "%")
    if like == route:
        return f"({name} = {route!r} OR {name} LIKE {route + '?%'!r})"
    longer = any(r != route and r.startswith(route + "/") for r in routes) or (
        route.endswith(("#", "*")) and any(r.count("/") > route.count("/") and r.startswith(route.rsplit("/", 1)[0])
                                           for r in routes))
    return f"{name} LIKE {like!r}" + (f" AND {name} NOT LIKE {like + '/%'!r}" if longer else "")


def _named_segments(routes: Counter[str], words: list[str]) -> Counter[str]:
    """`routes` with a segment that takes `_ROUTE_NAMES_LEAST` names or more in routes otherwise
    alike written `*` ('/v#/stations/*/availability' for thirteen stations' own), the routes
    merged: a name in a path is no route of its own, and one each hid the route asked for. Only
    a segment between two words of the route (a REST API's `/api/products/#` and
    `/api/orders/#` are collections, not names), and none the question's `words` name (review)."""
    merged = Counter(routes)
    for at in range(1, _SEGMENTS_READ):
        groups: dict[tuple[str, ...], list[str]] = {}
        for route in merged:
            parts = route.split("/")
            if (at + 1 < len(parts) and parts[at] not in ("", "#", "*") and parts[at - 1] not in ("#", "*")
                    and parts[at + 1] not in ("", "#", "*") and not any(_part_named(w, parts[at]) for w in words)):
                groups.setdefault((*parts[:at], "*", *parts[at + 1:]), []).append(route)
        for key, members in groups.items():
            if len(members) >= _ROUTE_NAMES_LEAST:
                merged["/".join(key)] += sum(merged.pop(m) for m in members)
    return merged


_SEGMENTS_READ = 8
_ROUTE_NAMES_LEAST = 3
"""Names in one segment of routes otherwise alike that make it a name, not a route's word."""


def _part_named(word: str, route: str) -> bool:
    """Whether `word`, in the singular or the plural, is one part of `route` ("product" of
    '/api/products/#', "searches" of '/api/search')."""
    return any(p in (word, word + "s", word + "es") or word in (p + "s", p + "es")
               for part in re.split(r"[/._-]+", route) if (p := part.lower()))


_PART_ASKED = 2


def _parts_asked(name: str, counts: Counter[str], asked: set[str]) -> str:
    """The rows whose value holds a word of the question as one of its parts ("conch" of
    'twisted/conch/ssh/agent.py'), each such word with their count and the LIKE that keeps
    them: asked about "the conch package", the 1.5B copied the one example path that held it,
    which is one file's. "" when no such word is a part of some values but not all."""
    told = []
    rows = sum(counts.values())
    # The longest first, and words of one length alphabetically: `asked` is a set, whose order varies by run.
    for word in sorted((w for w in asked if w.isalpha() and len(w) >= 4 and w not in _STOP), key=lambda w: (-len(w), w)):
        rx = re.compile(rf"(?<![^\W_]){re.escape(word)}(?![^\W_])", re.IGNORECASE)
        held = [(v, n) for v, n in counts.items() if rx.search(v) and v.lower() != word]
        n = sum(k for _, k in held)
        if held and n < rows:
            told.append(f"{n:,} rows hold {word!r} as a part (e.g. {_clip(held[0][0])!r}): {name} LIKE '%{word}%'")
        if len(told) == _PART_ASKED:
            break
    return "".join(f"; {t}" for t in told)


def _grouped_by_start(name: str, values: list[str]) -> str:
    """How to read the group a code's first part names, when every value is a short code of
    two parts and one separator ('FR-75' of ISO 3166-2, 'PROJ-123', 'eth0:1') and the first
    parts repeat: "which country has the most subdivisions" groups by it, and the 1.5B shown
    only 'AD-02', 'AD-03' grouped by the whole code or by another column. Not for addresses,
    versions, times, host or file names: their first part starts with a digit, or they have
    more parts. "" otherwise."""
    heads = [m.groups() for v in values if (m := _CODE.fullmatch(v))]
    if not heads or len(heads) < len(values) or len({s for _, s in heads}) > 1:
        return ""
    sep = heads[0][1]
    groups = Counter(h for h, _ in heads)
    if not 2 <= len(groups) <= len(values) / 3:
        return ""
    shown = ", ".join(repr(g) for g, _ in groups.most_common(_EXAMPLES))
    return (f"; its part before the first {sep!r} is one of {len(groups):,} groups, e.g. {shown}: "
            f"substr({name}, 1, instr({name}, {sep!r}) - 1)")


_FIGURES_AFTER = re.compile(r"([A-Za-z][A-Za-z' -]*[A-Za-z])\s*[(\[]\s*[-+]?\d")
"""Words, then figures in brackets: 'insufficient volume (0.3 ml, 1.0 ml needed)'."""


def _by_words(name: str, counts: Counter[str]) -> str:
    """The words several values start with before figures in brackets ('insufficient volume
    (0.3 ml, 1.0 ml needed)', '... (0.8 ml ...)'): one reason with its figures, which a
    condition on one value would cut to a few rows. "" when no two values share such a start."""
    starts: Counter[str] = Counter()
    rows: Counter[str] = Counter()
    for value, n in counts.items():
        m = _FIGURES_AFTER.match(value)
        head = m.group(1) if m else ""
        if head and len(head) >= _WORDS_START_LEAST:
            starts[head] += 1
            rows[head] += n
    shared = [(head, k) for head, k in starts.most_common(_EXAMPLES) if k >= 2]
    if not shared:
        return ""
    told = ", ".join(f"{head!r} ({k} values, {rows[head]:,} rows: {name} LIKE '{head.replace(chr(39), chr(39) * 2)}%')"
                     for head, k in shared)
    return f"; values that differ only by their figures, by the words before them: {told}"


_WORDS_START_LEAST = 4


def word_start(word: str) -> str:
    """A word's start, as a text may write the word in another form: "fail" of "failed" is in
    `FAIL LOGIN`, "logi" of "logins" in `LOGIN` (its first four letters, or all but its last
    three)."""
    return word[:max(4, len(word) - 3)]


def _kinds(values: list[str], counts: Counter[str], asked: set[str], written: list[str]) -> str | None:
    """A column of a log's messages told by their kinds (`line_kinds.kinds`), one example
    and its rows a kind, the kinds that write a word of the question first ("FAIL LOGIN" for
    "failed logins"), then the most common: a LIKE has to match a message as it is written,
    and two examples of thousands seldom show the one asked about. None for values that
    repeat few shapes (names, prose): each is its own kind."""
    shapes, example = kinds(values)
    if not 2 <= len(shapes) <= len(values) / _REPEATS:
        return None
    stems = [re.compile(rf"\b{re.escape(word_start(w))}", re.IGNORECASE)
             for w in asked if " " not in w and len(w) >= 4 and w.isalpha()]
    named = [s for s, _ in shapes.most_common() if any(rx.search(example[s]) for rx in stems)]
    shown = list(dict.fromkeys([*named[:_KINDS_NAMED], *(s for s, _ in shapes.most_common())]))[:_KINDS_SHOWN]
    told = "; ".join(f"{shapes[s]:,} rows like {_clip_apart(example[s], [example[o] for o in shown if o != s])!r}"
                     for s in shown)
    more = f"; and {len(shapes) - len(shown):,} more kinds" if len(shapes) > len(shown) else ""
    values_named = "".join(f"{_clip(v)!r} ({counts[v]:,} rows); " for v in written[:_EXAMPLES])
    return f"text of {len(shapes):,} kinds (shapes): {values_named}{told}{more}"


def _asked_phrases(question: str) -> set[str]:
    """The question's words and runs of up to four, lowercased: the values it may name. A
    stop-word alone names none ("is" is no 'IS' of Iceland), nor a word under three letters
    the question writes in lowercase."""
    words = re.findall(r"[\w][\w.'&+#-]*", question)
    phrases = set()
    for i in range(len(words)):
        for j in range(i + 1, min(i + 5, len(words) + 1)):
            run = words[i:j]
            if j - i == 1 and (run[0].lower() in _STOP or (len(run[0]) < 3 and run[0].islower())):
                continue
            phrases.add(" ".join(run).lower())
    return phrases


def schema(table: Table, question: str) -> str:
    """The table as the query writer is shown it: `t`, its rows, and its columns, those the
    question names first when there are more than `_COLUMNS_SHOWN`."""
    columns = list(table.columns())
    asked = _asked_phrases(question)
    short = abbreviated([c.name for c in columns], question)
    if len(columns) > _COLUMNS_SHOWN:
        named = [c for c in columns if c.name.lower() in asked or c.written.lower() in asked or c.name in short
                 or any(part in asked for part in c.name.lower().split("_") if len(part) > 2)]
        kept = {id(c) for c in [*named, *columns][:_COLUMNS_SHOWN]}
        columns = [c for c in columns if id(c) in kept]
    clock = _clock_asked(question)
    lines = [_described(c, len(table.rows), asked, logged=bool(table.row), clock=clock) for c in columns]
    lines = [line.replace(f"- {c.name}", f"- {c.name} (the question's {short[c.name]!r})", 1) if c.name in short
             else line for c, line in zip(columns, lines, strict=True)]
    orders = _orders(columns)
    lines = [f"{line} ({orders[c.name]})" if c.name in orders else line for c, line in zip(columns, lines, strict=True)]
    more = len(table.columns()) - len(columns)
    tail = f"\n(and {more:,} more columns not shown)" if more else ""
    each = f", each {table.row}" if table.row else ""
    note = f" {table.note}" if table.note else ""
    return f"Table t has {len(table.rows):,} rows{each}.{note} Its columns:\n" + "\n".join(lines) + tail


_ORDERED_LEAST = 5
"""Rows a column must have for its order to be told."""


def _orders(columns: Sequence[_Column]) -> dict[str, str]:
    """What a column of numbers is by its order, as a table with no names needs told: the
    rows' places ("1, 2, 3, ...": a rank), or a running total of another column (each value
    the one above plus that column's: a cumulative share). A census list's unnamed columns
    `2.629 2.629 1`, `1.073 3.702 2` are a share, its running total and a rank."""
    numbers = [c for c in columns if c.kind in ("integer", "real") and None not in c.values
               and len(c.values) >= _ORDERED_LEAST]
    told: dict[str, str] = {}
    for column in numbers:
        values = column.values
        if (_UNNAMED.fullmatch(column.name) and column.kind == "integer" and values[0] in (0, 1)
                and list(values) == list(range(values[0], values[0] + len(values)))):
            told[column.name] = f"the row's place, {values[0]} on the first row and one more on each: a rank or a number"
            continue
        if len(set(values)) < _SHARE_ORDERED * len(values):
            continue  # a running total rises row by row: flags of 0 and 1 are none
        for other in numbers:
            if other is column:
                continue
            # the first rows first: a table of many columns pays for a whole pass only on a likely pair
            if (_summed(values[:_ORDERED_LEAST + 1], other.values) >= _ORDERED_LEAST
                    and _summed(values, other.values) >= _SHARE_ORDERED * len(values)):
                told[column.name] = f"a running total of {other.name}: each row's is the one above plus its {other.name}"
                break
    return told


def _named_in(condition: str, question: str) -> bool:
    """Whether the question writes a word of a condition, its column's or its text's, by their
    first four letters ("errors" names `level = 'ERROR'`); a number is no word."""
    asked = {w[:4] for w in re.findall(r"[a-z]{3,}", question.lower())}
    return any(w[:4] in asked for w in re.findall(r"[a-z]{3,}", condition.lower().replace("_", " ")))


def _summed(totals: Sequence[Any], added: Sequence[Any]) -> int:
    """The rows of `totals` that are the one above plus `added`'s (the first, `added`'s own),
    to a printed value's rounding."""
    scale = max(abs(v) for v in totals) or 1

    def near(a: float, b: float) -> bool:
        return abs(a - b) <= 1e-3 * scale + 0.0011

    return near(totals[0], added[0]) + sum(near(b - a, add) for (a, b), add in zip(pairwise(totals), added[1:], strict=False))


_SHARE_ORDERED = 0.95
"""Share of rows a running total must hold on: a printed total rounds."""
_UNNAMED = re.compile(r"column_\d+")
"""A column a table with no header line names by its place: only such a column's rank is told
(an `id` of 1 to n beside a named `rank` is no rank)."""


def abbreviated(columns: Sequence[str], question: str) -> dict[str, str]:
    """The columns named in capitals that abbreviate a name the question writes, each with
    that name: `ADBE` for "Adobe", `XRX` for "Xerox", `MSFT` for "Microsoft" (a ticker, a
    code): the name's first letter, then the column's other letters in the name's order. Only
    where one column abbreviates the name and the name is no column's: the 1.5B, shown
    `ADBE` and asked about Adobe, counted the rows of `IBM`, the first column."""
    names = {c.lower() for c in columns}
    out: dict[str, str] = {}
    for word in dict.fromkeys(_CAPITALIZED_WORD.findall(question)):
        if word.lower() in names:
            continue
        fits = [c for c in columns if _ABBREVIATION.fullmatch(c) and letters_in_order(c.lower(), word.lower())]
        if len(fits) == 1 and fits[0] not in out:
            out[fits[0]] = word
    return out


_CAPITALIZED_WORD = re.compile(r"(?<=\S\s)[A-Z][a-z]{3,}\b")
"""A name the question writes inside a sentence: "Adobe", "Xerox"."""
_ABBREVIATION = re.compile(r"[A-Z]{3,6}")
"""A column's name that may abbreviate a word: three letters at least (`ID` fits "Idaho")."""


def select_of(reply: str) -> str | None:
    """The one SELECT (or WITH ... SELECT) a reply writes, in a ```sql block or bare (its first
    paragraph), comments dropped; None for anything else, or for two statements."""
    fenced = _FENCE.search(reply)
    sql = (fenced.group(1) if fenced.group(1) is not None else fenced.group(2)) if fenced else reply.split("\n\n")[0]
    sql = _QUOTED_OR_COMMENT.sub(lambda m: m.group(0) if m.group(0)[0] in "'\"" else " ", sql)
    sql = sql.strip().rstrip(";").strip()
    if not _STARTS.match(sql) or ";" in _QUOTED_OR_COMMENT.sub("''", sql):
        return None
    return _mended(sql)


_NULL_COMPARED = re.compile(r"(?:!=|<>)\s*NULL\b|(?<![!<>=])==?\s*NULL\b", re.IGNORECASE)
_LIKE_PATTERN = re.compile(r"(\bLIKE\s+')((?:[^']|'')*)'", re.IGNORECASE)


def _mended(sql: str) -> str:
    """`sql` with two slips of small models' SQL mended, outside its quoted texts: a
    comparison with NULL, always unknown (`value != NULL` is `value IS NOT NULL`), and a
    regex's `.*` in a LIKE pattern (`name LIKE '.*Algorithms'` is `'%Algorithms'`)."""
    parts = []
    at = 0
    for m in _QUOTED_OR_COMMENT.finditer(sql):
        parts.append(_NULL_COMPARED.sub(lambda n: "IS NULL" if n.group(0).startswith("=") else "IS NOT NULL",
                                        sql[at:m.start()]))
        parts.append(m.group(0))
        at = m.end()
    parts.append(_NULL_COMPARED.sub(lambda n: "IS NULL" if n.group(0).startswith("=") else "IS NOT NULL", sql[at:]))
    # A pattern copied from an example the schema clipped ("'Server api/a2 is going DOWN...'")
    # ends where the clip did.
    return _LIKE_PATTERN.sub(lambda m: m.group(1) + m.group(2).replace(".*", "%").replace("...", "%") + "'",
                             "".join(parts))


@dataclass(frozen=True, slots=True)
class Query:
    """What one SELECT gave: its rows (at most `_ROWS_KEPT`) and column names, or why it failed."""

    sql: str
    rows: tuple[tuple[Any, ...], ...] = ()
    names: tuple[str, ...] = ()
    error: str = ""


def _authorize(action: int, arg1: str | None, arg2: str | None, *_: object) -> int:
    if action in _READS:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_FUNCTION:
        return sqlite3.SQLITE_OK if (arg2 or "").lower() in _FUNCTIONS else sqlite3.SQLITE_DENY
    # json_each and json_tree declare their virtual table: a write to sqlite_master that
    # `query_only` would refuse anyway.
    if action == sqlite3.SQLITE_UPDATE and arg1 == "sqlite_master":
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


class TableDb:
    """The table loaded once into a database of its own that a query can only read; a
    query that failed and its mend run in the same one. Close it when done."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self._db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        columns = table.columns()
        self._by_name = {c.name.lower(): c for c in columns}
        declared = {"integer": "INTEGER", "real": "REAL", "boolean": "INTEGER", "date": "TEXT",
                    "text": "TEXT COLLATE NOCASE"}
        self._db.execute("PRAGMA temp_store = MEMORY")  # a sort spills to no file
        self._db.execute("CREATE TABLE t (" + ", ".join(f'"{c.name}" {declared[c.kind]}' for c in columns) + ")")
        marks = ", ".join("?" * len(columns))
        self._db.executemany(f"INSERT INTO t VALUES ({marks})", zip(*(c.values for c in columns), strict=True))
        self._db.execute("PRAGMA query_only = 1")
        self._db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, _LENGTH_MAX)
        self._db.set_authorizer(_authorize)

    @classmethod
    def open(cls, table: Table) -> TableDb | None:
        """The database, or None when there are no rows or they cannot be stored (a cell
        SQLite refuses)."""
        if not table.rows:
            return None
        try:
            return cls(table)
        except (sqlite3.Error, ValueError, OverflowError, UnicodeError, MemoryError):
            return None

    def select(self, sql: str, *, seconds: float = _SECONDS) -> Query:
        """`sql` run over `t`; at most `_ROWS_KEPT` rows are kept. A failure is told as SQLite
        tells it, for a writer to mend."""
        deadline = time.monotonic() + seconds
        self._db.set_progress_handler(lambda: int(time.monotonic() > deadline), _STEPS)
        try:
            cursor = self._db.execute(sql)
            rows = tuple(tuple(r) for r in cursor.fetchmany(_ROWS_KEPT))
        except (sqlite3.Error, ValueError, OverflowError, UnicodeError, MemoryError) as exc:
            return Query(sql, error="it ran too long" if time.monotonic() > deadline else str(exc) or type(exc).__name__)
        finally:
            self._db.set_progress_handler(None, 0)
        return Query(sql, rows, tuple(d[0] for d in cursor.description or ()))

    def _column(self, named: str) -> _Column | None:
        """The column a query names, quoted or not, in any case; None for none of the table's."""
        return self._by_name.get(named.strip('"').lower())

    def unclipped(self, sql: str) -> str:
        """`sql` with a text compared by `=` that ends where the schema clipped an example
        written whole: "Species = 'Chinstrap penguin (Pygoscelis antarctica...'" (the 1.5B
        copied the schema's clipped example, then again from the mend that listed it clipped)
        is "Species = 'Chinstrap penguin (Pygoscelis antarctica)'". Only when no row of the
        column writes the text as it is and exactly one value it writes starts with the text
        before "..." (and ends with what follows it, at most two characters: the 1.5B closed the
        bracket, "antarctica...)"): a value that itself ends in "..." is compared as written.

        Likewise a LIKE without `%` that no value matches whole but some start with: "message
        LIKE 'ERROR: [uvicorn.error] Exception in ASGI application'" copied a kind's example
        where each such message goes on with its traceback, and is a prefix: `LIKE '...%'`
        (its "..." where the schema clipped it taken off first)."""

        def whole(m: re.Match[str]) -> str:
            column = self._column(m.group(1))
            wanted = m.group(2).replace("''", "'")
            operator = m.group(0)[len(m.group(1)):m.start(2) - m.start(0) - 1].strip()
            if column is None or column.kind != "text":
                return m.group(0)
            written = {v for v in column.values if isinstance(v, str)}
            if operator.upper() == "LIKE":
                return m.group(0)[:m.start(2) - m.start(0)] + _prefix_pattern(m.group(2), written) + "'"
            if operator not in ("=", "==") or "..." not in wanted:
                return m.group(0)
            head, _, tail = (w.lower() for w in wanted.partition("..."))  # "...)": a bracket closed after the clip
            if len(tail) > 2:
                return m.group(0)
            starting = {v for v in written if v.lower().startswith(head) and v.lower().endswith(tail)
                        and len(v) >= len(head) + len(tail)}
            if len(head) < 3 or len(starting) != 1 or wanted.lower() in {v.lower() for v in written}:
                return m.group(0)
            return m.group(0)[:m.start(2) - m.start(0)] + starting.pop().replace("'", "''") + "'"

        return _COMPARED_TO.sub(whole, sql)

    def unmatched(self, query: Query) -> str:
        """Why a query that found nothing (no row, or a count of 0) may have missed: a text its
        WHERE compares a column with that no row of that column writes, in any case ("state =
        'Oregon'" where the column writes 'OR'), told with the values the column does write;
        "" when every compared text is written, or the query found something."""
        found = any(c not in (None, 0, 0.0) for r in query.rows for c in r)
        if query.error or found:
            return ""
        for m in _COMPARED_TO.finditer(query.sql):
            column = self._column(m.group(1))
            wanted = m.group(2).replace("''", "'")
            like = "like" in m.group(0).lower()
            if column is None or column.kind != "text" or (like and ("%" in wanted or "_" in wanted)):
                continue
            written = {v.lower() for v in column.values if v is not None}
            if wanted.lower() not in written:
                top = [v for v, _ in Counter(v for v in column.values if v is not None).most_common(_VALUES_SHOWN)]
                missed = (f"no row has {column.name} = {_clip(wanted)!r}; that column writes values such as "
                          + ", ".join(repr(_clip(v)) for v in top))
                # "continent_7 = 'Schengen'": the value is a column of its own, which writes it.
                elsewhere = [c.name for c in self.table.columns() if c.kind == "text" and c is not column
                             and any(v is not None and v.lower() == wanted.lower() for v in c.values)]
                if elsewhere:
                    missed += f". {_clip(wanted)!r} is written in the column {', '.join(elsewhere[:3])}"
                return missed
        return ""

    def doubted(self, query: Query, question: str = "") -> str:
        """Why a query may have missed though SQLite ran it: one that found nothing by texts
        its rows do write (`_apart`), or one that found something by reading the question
        wrongly (`_misread`). Asked once, first; a count of 0 that its mend gives again
        stands, for none may be the answer."""
        if query.error:
            return ""
        found = any(c not in (None, 0, 0.0) for r in query.rows for c in r)
        return self._misread(query, question) or ("" if found else self._apart(query, question) or self._unwritten(query))

    def _misread(self, query: Query, question: str) -> str:
        """Why a query that found something may answer another question: it compares a
        column of percents with the question's "20%" written 0.2 (or a column of shares with
        20), or it counts the things one column names while it keeps one of them ("how many
        Ohio counties" as `county = 'OHIO'`: "Ohio" says which counties, in another column).
        "" otherwise."""
        if unasked := self._unasked(query, question):
            return unasked
        if empty := empty_top(query):
            return empty
        if named := self._id_for_name(query, question):
            return named
        if (distinct := _DISTINCT.search(query.sql)) and _ROWS_COUNTED.search(question):
            # "in how many country-year rows ... is the GDP above 10,000": the writer counted countries.
            return (f"COUNT(DISTINCT {distinct.group(1)}) counts the different values of {distinct.group(1)}, "
                    f"but the question counts rows: COUNT(*)")
        percents = {float(m.group(1)) for m in _PERCENT.finditer(question)}
        for m in _NUMBER_COMPARED.finditer(query.sql) if percents else ():
            column = self._column(m.group(1))
            values = [v for v in column.values if v is not None] if column is not None else []
            if column is None or column.kind not in ("integer", "real") or not values:
                continue
            low, high, written = min(values), max(values), float(m.group(2))
            middle = sorted(abs(v) for v in values)[len(values) // 2]
            for percent in percents:
                if percent >= 100 or percent <= 1:
                    continue  # "100%" is 1 or 100 alike, and a count compared with 1 is no share
                if middle > 1 and high > 1 and written == percent / 100:
                    return (f"{_clip(m.group(0), 80)} reads the question's {percent:g}% as {written:g}, but "
                            f"{column.name} writes percents ({low:g} to {high:g}): {percent:g}% is {percent:g} there")
                if high <= 1 and written == percent:
                    return (f"{_clip(m.group(0), 80)} reads the question's {percent:g}% as {written:g}, but "
                            f"{column.name} writes shares ({low:g} to {high:g}): {percent:g}% is {percent / 100:g} there")
        if not _HOW_MANY.search(question) or not re.search(r"\bCOUNT\s*\(", query.sql, re.IGNORECASE):
            return ""
        if unkept := self._verb_unkept(query, question):
            return unkept
        words = re.findall(r"[A-Za-z][\w'-]*", asking_part(question))
        for m in _COMPARED_TO.finditer(query.sql):
            column = self._column(m.group(1))
            wanted = m.group(2).replace("''", "'")
            if column is None or column.kind != "text" or not re.match(r"[^']*?(?:=|==)\s*'", m.group(0)):
                continue
            for before, word in pairwise(words):
                if before.lower() == wanted.lower() and _names_plural(word, column.name):
                    # Another column must write it, or its start ("OH" of "Ohio"): "how many
                    # Pizza items" over `item = 'Pizza'` is that item's rows.
                    others = [c.name for c in self.table.columns() if c is not column and c.kind == "text"
                              and any(isinstance(v, str) and len(v) >= 2 and wanted.lower().startswith(v.lower())
                                      for v in set(c.values))]
                    if not others:
                        continue
                    return (f"{_clip(m.group(0), 80)} keeps the rows of one {column.name}, but the question counts "
                            f"{word}: {before!r} says which {word}, so it is a value of another column "
                            f"(such as {', '.join(others[:3])})")
        return ""

    def _id_for_name(self, query: Query, question: str) -> str:
        """Why a query may answer "which judge" with a number: its first column is a key
        (`class_judge_id`) where another column names what the key is of (`class_judge_name`):
        over an SQL dump's joined rows the 1.5B grouped by the judge's id and offered 3 for
        'Dr. Fenella Crabb'. "" otherwise, and for a question that asks for a number or an id."""
        if not query.names or _WHICH.search(question) is None or _ASKS_ID.search(question):
            return ""
        first = query.names[0]
        m = re.fullmatch(r"(?:\w+\.)?(\w*?)_?id", first, re.IGNORECASE)
        if m is None or not m.group(1):
            return ""
        names = [c.name for c in self.table.columns() if c.kind == "text"
                 and re.fullmatch(rf"{re.escape(m.group(1))}_?(?:name|title|label)", c.name, re.IGNORECASE)]
        if not names:
            return ""
        return (f"it gives {first}, a key, but the question asks which one: {names[0]} names it "
                f"(select {names[0]}, and group by it)")

    def _verb_unkept(self, query: Query, question: str) -> str:
        """Why a count may have counted other rows than the question's: the question counts
        what was done ("how many samples did the lab turn away", refused), a text column writes
        that verb or one of its group ('sample rejected at reception'), and no condition of the
        query names it. The 1.5B counted a window's routine samples (35) for its 17 rejected.
        "" otherwise."""
        verb = counted_verb(asking_part(plain_idioms(question)))
        if verb is None or not any(c not in (None, 0, 0.0) for r in query.rows for c in r):
            return ""  # a count of none is told by its conditions (`_apart`)
        bases = {*base_forms(verb.lower()), *synonyms(verb)}
        if _WHERE.search(query.sql) is None:
            return ""
        # Anywhere in the query: `COUNT(CASE WHEN event LIKE '%rejected%' ...)` keeps them too.
        if any(bases & {*base_forms(w.lower()), w.lower()} for w in re.findall(r"[A-Za-z]{3,}", query.sql)):
            return ""
        for column in self.table.columns():
            if column.kind != "text":
                continue
            rows = Counter(v for v in column.values if isinstance(v, str))
            for value, n in rows.most_common():
                if n < _VERB_ROWS_LEAST:
                    break
                # As an event is written: "rejected", "STARTING"; not a name's "Store" or "send_email".
                word = next((w for w in re.findall(r"[A-Za-z]{3,}", value)
                             if w.lower() not in bases and bases & set(base_forms(w.lower()))), None)
                if word is None:
                    continue
                kept = sum(k for v, k in rows.items() if word in re.findall(r"[A-Za-z]{3,}", v))
                return (f"the question counts what was done ({verb!r}), but no condition keeps the rows that say it: "
                        f"{column.name} writes {word!r} in {kept:,} rows (e.g. {_clip(value)!r}); "
                        f"keep them with {column.name} LIKE '%{word}%'")
        return ""

    def _unasked(self, query: Query, question: str) -> str:
        """Why a query may keep rows the question never picked: it compares a column with a
        version, date or time (`heading LIKE '7.2.%'`) none of whose numbers the question
        writes, and that condition alone drops rows. The 1.5B, asked how many entries of a
        changelog are flagged critical, kept the newest release's, copied from the schema's
        examples, and its count of 1 was offered over the root's right 86. "" otherwise."""
        if not question or _NAMED_OTHERWISE.search(question):
            return ""  # "the latest release", "on New Year's Day", "seven point one": named in words
        said = {int(n) for n in re.findall(r"\d+", question)}
        for m in _COMPARED_TO.finditer(query.sql):
            literal = m.group(2)
            if (not _PARTED_NUMBER.search(literal) or any(int(n) in said for n in re.findall(r"\d+", literal))
                    or re.match(r"[^']*\bIN\s*\(", m.group(0), re.IGNORECASE)):
                continue
            alone = self.select(f"SELECT COUNT(*) FROM t WHERE {m.group(0)}")
            if alone.error or not alone.rows or int(alone.rows[0][0] or 0) >= len(self.table.rows):
                continue  # it keeps every row: no harm
            return (f"{_clip(m.group(0), 80)} keeps only some rows by {_clip(literal)!r}, which the question never "
                    f"names: leave that condition out unless the question asks for it")
        return ""

    def _apart(self, query: Query, question: str = "") -> str:
        """Why a query whose conditions each hold for some rows found none: none meets them
        all ("released LIKE '2019%'" and "version LIKE '1.44.%'", a value copied from the
        column's examples); or a pattern that no row of its column matches. "" otherwise."""
        held: list[tuple[str, int]] = []
        unquoted = _TEXT_QUOTED.sub("''", query.sql)  # "x=5" inside a LIKE's text is no condition
        numbers = [m.group(0) for m in _NUMBER_COMPARED.finditer(unquoted)]
        texts = [m.group(0) for m in _COMPARED_TO.finditer(query.sql)]
        # "loan IS NOT NULL AND message LIKE '...still out on loan %'": a log's loan column is
        # written by other lines than the ones the LIKE keeps.
        # Only the WHERE's own tests, not a CASE's in the SELECT, nor one a NOT turns round.
        where = _WHERE.search(unquoted)
        tested = [m.group(0) for m in _NULL_TESTED.finditer(where.group(1) if where else "")
                  if not re.search(r"\b(?:NOT|WHEN)\s*$", where.group(1)[:m.start()] if where else "", re.IGNORECASE)]
        for condition in texts + numbers + tested:
            if re.match(r"[^']*\bIN\s*\(", condition, re.IGNORECASE):
                continue  # an IN list, cut at its first value
            alone = self.select(f"SELECT COUNT(*) FROM t WHERE {condition}")
            if (alone.error or not alone.rows) and condition in numbers:
                continue  # a HAVING's `n > 5`: no column of t
            if alone.error or not alone.rows:
                return ""
            held.append((condition, int(alone.rows[0][0] or 0)))
        if held and all(n == 0 for _, n in held):
            told: list[str] = []
            for condition, _ in held:  # what rows write is told once, not for each condition
                near = self._near(condition)
                head, _, rest = near.partition("; rows whose")
                told.append(head if rest and any(rest in t for t in told) else near)
            return "; ".join(told)
        spanned = _WHERE.search(query.sql)
        # A window beside conditions the question names ("errors" for level = 'ERROR') that
        # keeps none may be right; beside one it never names (`trk_number = 3`), a misreading.
        unnamed = any(not _named_in(condition, question) for condition, _ in held)
        for condition in self._spans(spanned.group(1) if spanned and unnamed else ""):
            alone = self.select(f"SELECT COUNT(*) FROM t WHERE {condition}")
            if alone.error or not alone.rows or not alone.rows[0][0]:
                continue  # an empty window: none in it may be the answer, the other conditions tell
            held.append((condition, int(alone.rows[0][0])))
        if len(held) < 2 or any(n == 0 for _, n in held):
            return ""
        each = "; ".join(f"{_clip(c, 80)}: {n:,} rows" for c, n in held)
        return f"each of its conditions holds for some rows ({each}), but no row meets them all: check that each is what the question asks"

    @staticmethod
    def _spans(where: str) -> list[str]:
        """A WHERE's ranges over texts, one condition a column: "time >= '2010-10-03 11:00:00'
        AND time < '2010-10-03 12:00:00'", or a BETWEEN. A window and a condition that each keep
        rows but none together (`trk_number = 3` read from "3 October") found nothing by a
        misreading, not by an empty window."""
        bounds: dict[str, list[str]] = {}
        for m in _TEXT_SPAN.finditer(where):
            bounds.setdefault((m.group(1) or m.group(2)).lower(), []).append(m.group(0))
        return [" AND ".join(each) for each in bounds.values()]

    def _unwritten(self, query: Query) -> str:
        """Why an aggregate is NULL though its WHERE keeps rows: none of them writes the column
        it adds up ("SUM(sales) ... WHERE day_ BETWEEN ..." over a log whose `day=` lines and
        "extracted N sales rows ... on DAY" lines are of two kinds), told with the columns the
        rows that do write it also write, by which to keep them. "" otherwise."""
        if not nulls_only(query):
            return ""
        aggregate, where = _AGGREGATED.search(query.sql), _WHERE.search(query.sql)
        if aggregate is None or where is None or (column := self._column(aggregate.group(1))) is None:
            return ""
        kept = self.select(f"SELECT COUNT(*) FROM t WHERE {where.group(1)}")
        if kept.error or not kept.rows or not kept.rows[0][0]:
            return ""
        name = f'"{column.name}"'

        def together(other: _Column) -> bool:
            n = self.select(f'SELECT COUNT(*) FROM t WHERE {name} IS NOT NULL AND "{other.name}" IS NOT NULL')
            return not n.error and bool(n.rows) and bool(n.rows[0][0])

        named = {w.lower() for w in re.findall(r"[A-Za-z_]\w*", _TEXT_QUOTED.sub("''", where.group(1)))}
        # Each column asked about once: one the WHERE names, or one some rows leave empty (columns
        # every row writes, the message, the time, keep no rows apart and are not told).
        asked = {c.name: c for c in self.table.columns() if c is not column and (c.name.lower() in named or None in c.values)}
        written = {n: together(c) for n, c in asked.items()}
        beside = [n for n, c in asked.items() if None in c.values and written[n]]
        apart = [n for n in asked if n.lower() in named and not written[n]]
        told = f"; the rows that write it also write {', '.join(beside[:_BESIDE_SHOWN])}: keep rows by those" if beside else ""
        never = f" ({', '.join(apart)} is never written beside it)" if apart else ""
        return (f"the {kept.rows[0][0]:,} rows its WHERE keeps write no {column.name} (NULL there){never}, so "
                f"{aggregate.group(0)} of them is NULL{told}")

    def _near(self, condition: str) -> str:
        """A condition no row meets, with what rows holding its longest word write there:
        "term_line LIKE '%(Boolean; default: true;%'" where the lines write "default: enabled"."""
        m = _COMPARED_TO.match(condition)
        said = f"no row meets {_clip(condition, 80)}"
        if m is None or m.group(1).startswith('"'):
            return said
        words = sorted(set(re.findall(r"[A-Za-z0-9][\w.-]{2,}", m.group(2))), key=len, reverse=True)
        for word in words[:4]:
            rows = self.select(f"SELECT DISTINCT {m.group(1)} FROM t WHERE {m.group(1)} LIKE '%{word}%' LIMIT 3").rows
            if rows and all(isinstance(r[0], str) for r in rows):
                shown = ", ".join(repr(_clip(r[0], _LONG_CLIP)) for r in rows)
                return f"{said}; rows whose {m.group(1)} holds {word!r} write e.g. {shown}"
        return said

    def close(self) -> None:
        self._db.close()


_AGGREGATED = re.compile(r"\b(?:SUM|TOTAL|AVG|MIN|MAX)\s*\(\s*(?:DISTINCT\s+)?(\"[^\"]+\"|\w+)\s*\)", re.IGNORECASE)
"""An aggregate of one column: "SUM(sales)"."""
_WHERE = re.compile(r"\bWHERE\b(.+?)(?=\bGROUP\s+BY\b|\bORDER\s+BY\b|\bLIMIT\b|\bHAVING\b|;|$)", re.IGNORECASE | re.DOTALL)
"""A query's WHERE conditions, up to its next clause."""
_BESIDE_SHOWN = 6
"""Columns told as written beside an aggregated column (`TableDb._unwritten`)."""


_DISTINCT = re.compile(r"\bCOUNT\s*\(\s*DISTINCT\s+(\"[^\"]+\"|[\w.]+)\s*\)", re.IGNORECASE)
_ROWS_COUNTED = re.compile(r"\bhow\s+many\s+(?:[\w-]+\s+){0,2}(?:rows|lines|records|entries|observations)\b",
                           re.IGNORECASE)
"""A question that counts rows themselves ("in how many country-year rows"), not the values of a column."""


_PREFIX_WORDS = 3
"""Words a LIKE's text needs to be read as a copied kind's start: a message's words, not a name."""


def _prefix_pattern(literal: str, written: set[str]) -> str:
    """A LIKE's pattern (as the SQL writes it, quotes doubled) made a prefix when it has no
    `%`, no value matches it whole and some start with it (see `TableDb.unclipped`); as it
    was otherwise."""
    head = literal[:-3] if literal.endswith("...") else literal
    text = head.replace("''", "'").lower()
    if "%" in literal or (not literal.endswith("...") and len(text.split()) < _PREFIX_WORDS):
        return literal  # "country LIKE 'Niger'": a name compared in any case, not a start ("Nigeria")
    exact = re.compile(re.escape(literal.replace("''", "'").lower()).replace("_", "."), re.DOTALL)
    if any(exact.fullmatch(v.lower()) for v in written):
        return literal
    starting = re.compile(re.escape(text).replace("_", "."), re.DOTALL)
    return f"{head}%" if any(starting.match(v.lower()) for v in written) else literal


def _names_plural(word: str, name: str) -> bool:
    """Whether `word` is the plural of a column's name ("counties" of `county`)."""
    word, name = word.lower(), name.lower()
    return word in (f"{name}s", f"{name}es") or (name.endswith("y") and word == f"{name[:-1]}ies")


def _value(cell: Any) -> str:
    if isinstance(cell, float):
        if cell.is_integer() and abs(cell) < 1e15:
            return str(int(cell))
        if abs(cell) >= 1:
            return f"{round(cell, 4):f}".rstrip("0").rstrip(".")
        return f"{cell:.4g}"
    return str(cell)


_ZERO = re.compile(r"0+(?:\.0*)?")


_TOP = re.compile(r"\b(?:most|largest|biggest|highest|greatest|heaviest|longest)\b", re.IGNORECASE)
_BOTTOM = re.compile(r"\b(?:fewest|least|smallest|lowest|lightest|shortest)\b", re.IGNORECASE)
"""A ranking question's direction: the top value, or the bottom one. "Fastest", "slowest",
"newest" and the like are left out: their direction depends on what is measured."""


def _ranked(query: Query, question: str) -> tuple[Any, ...] | None:
    """Of a query's groups (rows of one name and one number, all kept), the row a "which"
    question's one superlative ranks first: "which island's birds are the lightest on average"
    over `SELECT Island, AVG(Body_Mass_g) ... GROUP BY Island` that orders nothing is the
    island of the smallest average. None for a tie, a question of both or neither direction,
    or rows of another shape."""
    top, bottom = _TOP.search(question) is not None, _BOTTOM.search(question) is not None
    rows = query.rows
    if top == bottom or _WHICH.search(question) is None or not 1 < len(rows) < _ROWS_KEPT:
        return None
    if any(len(r) != 2 or not isinstance(r[1], (int, float)) or isinstance(r[1], bool) or r[0] is None for r in rows):
        return None
    best = (max if top else min)(r[1] for r in rows)
    first = [r for r in rows if r[1] == best]
    return first[0] if len(first) == 1 else None


_ORDER_BY = re.compile(r"\bORDER\s+BY\s+(\"[^\"]+\"|`[^`]+`|\[[^\]]+\]|[\w.^]+)\s*(?:ASC|DESC)?\s*LIMIT\s+1\s*;?\s*\Z",
                       re.IGNORECASE)
"""A query's one ordering column, ranking its rows for the first: `ORDER BY XRX DESC LIMIT 1`."""
_WHICH_OR_WHEN = re.compile(r"\b(?:which|who|whose|when|what\s+(?:day|date|month|year|week|quarter|time))\b",
                            re.IGNORECASE)
"""A question asking which row ranks first ("in which month", "when"), not the ranked value
("what was the highest price": the value ordered by answers it)."""


_DATED_CELL = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?")
"""A cell that is a date, or a date and time, as a table writes it."""


def answer_of(query: Query, question: str) -> str | None:
    """The value a query gives as the answer: its one row's one cell. Of a row of several
    cells, the one aggregate column (by its name, "COUNT(*)") for a question that counts or
    totals, else the one that is no aggregate ("AK" of `state, COUNT(*)` for "which state has
    the most airports"). Of several rows, the group a ranking question's superlative picks
    (`_ranked`). None for no row, other rows, an empty, long or many-line value, a failure, or a
    row whose cells leave the answer open: what it gives is no one value then; nor for a count
    of 0 asked how many."""
    if query.error or not query.rows or not query.rows[0]:
        return None
    row = query.rows[0] if len(query.rows) == 1 else _ranked(query, question)
    if row is None:
        return None
    if len(row) > 1:
        names = query.names if len(query.names) == len(row) else ("",) * len(row)
        aliases = {a.strip('"').lower() for a in _ALIASED.findall(query.sql)}
        aggregate = [bool(_AGGREGATE.search(n)) or n.lower() in aliases for n in names]
        # "How many flights in the busiest year": the count; "which state has the largest
        # number of airports", "which month had the greatest total": the state, the month.
        wanted = _HOW_MANY.search(question) is not None or (
            _COUNTS.search(question) is not None and _WHICH.search(question) is None)
        picked = [c for c, a in zip(row, aggregate, strict=True) if a == wanted]
        if (len(picked) > 1 and not wanted and _WHICH_OR_WHEN.search(question) is not None
                and (by := _ORDER_BY.search(query.sql)) is not None):
            # "SELECT Date, XRX FROM t ORDER BY XRX DESC LIMIT 1" for "in which month was XRX
            # highest": the column ranked by is the measure, the other one the answer.
            ranked_by = by.group(1).strip('"`[]').lower()
            picked = [c for c, a, n in zip(row, aggregate, names, strict=True)
                      if not a and n.strip('"`[]').lower() != ranked_by]
        if len(picked) != 1 and asked_form(question) == "a date":
            # "Find the package with the most wheels. On what date was its archive uploaded?":
            # `name, upload_time, COUNT(...)`, of which the one date is the answer.
            picked = [c for c in row if isinstance(c, str) and _DATED_CELL.fullmatch(c)]
        if len(picked) != 1:
            return None
        row = (picked[0],)
    cell = row[0]
    if cell is None or isinstance(cell, bytes):
        return None
    value = _value(cell)
    if _ZERO.fullmatch(value) and _HOW_MANY.search(question) is not None:
        # A count of none is shown, not offered: in the read sets' traces every query count of 0
        # the look offered was wrong (4 of 4: a filter on a text the rows write otherwise), and the
        # root took the offer.
        return None
    return value if value.strip() and "\n" not in value and len(value) <= _CELL_SHOWN else None


def empty_top(query: Query) -> str:
    """Why a ranking's answer is none: its first row's group is NULL ("SELECT client,
    SUM(subsecond) ... GROUP BY client ORDER BY ... DESC" over lines that write no client is no
    answer to "which rider"); "" otherwise."""
    if (_RANKED.search(query.sql) and len(query.rows[0] if query.rows else ()) > 1 and query.rows[0][0] is None
            and any(c not in (None, 0, 0.0) for c in query.rows[0][1:])):
        return ("its first row's group is empty (NULL): the rows it groups write no value there; group by a "
                "column the kept rows write, or keep only rows that write it (IS NOT NULL)")
    return ""


def nulls_only(query: Query) -> bool:
    """Whether a query gave one row and every cell of it is NULL: an aggregate over no row."""
    return len(query.rows) == 1 and all(cell is None for cell in query.rows[0])


def told(query: Query) -> str:
    """The query and what it gave, as the look shows them, each value on one line and clipped."""
    sql = _clip(query.sql, 600)
    if query.error:
        return f"The query {sql} failed: {_clip(query.error, _CELL_SHOWN)}."
    if not query.rows:
        return f"The query {sql} gives no row."
    shown = "; ".join(", ".join(_clip(_value(c), _CELL_SHOWN) for c in r) for r in query.rows[:_ROWS_KEPT - 1])
    more = " (and more rows)" if len(query.rows) >= _ROWS_KEPT else ""
    return f"The query {sql} gives: {shown}{more}."
