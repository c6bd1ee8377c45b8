"""A table's rows asked one SQL query that a sub-model writes for the question.

Most questions about a table are one SELECT: "How many Oregon airports are in this table?" is
`SELECT COUNT(*) FROM t WHERE state = 'OR'`. The look's own rules (`look_table`) compute only
what the question's words and the header say plainly. On tables nobody here had read, they
computed almost nothing, and the small root grepped the word "Oregon" and answered 1. A coder
model that is shown the columns, their kinds and some of their values writes that SELECT. The
embedded 1.5B did so for 11 of 15 questions over the tables of four held-out sets, the first
time it was asked (docs/benchmarks.md, session 37). It knows that Oregon is 'OR', which no rule
here knows.

The query runs in an in-memory SQLite database that holds the table's rows and nothing else.
An authorizer lets it read and call functions, and nothing more: no file, ATTACH, PRAGMA or
write. A deadline stops a query that runs too long. Columns are typed: numbers are numbers,
so `>` compares amounts, and dates are ISO, so `BETWEEN '2012-11-01' AND '2013-01-31'` means
what it says.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from recursor.sandbox.helpers import _STOP, to_date

__all__ = ["QUERY_TOKENS", "Query", "Table", "answer_of", "run_select", "select_of", "told"]

QUERY_TOKENS = 200
"""The query's reply, at most: one statement. A longer reply is no query the look can trust."""
_FIELDS_MAX = 40
"""A JSON table's fields given as columns, at most (the most common first)."""
_VALUES_SHOWN = 12
_CATEGORY_MAX = 60
_EXAMPLES = 3
_CLIP = 40
_CODE_WIDTH = 6
"""A text column whose values all have one width up to this is told so ("always 3 characters"):
asked for "the three-letter code", the writer picks that column."""
_ROWS_KEPT = 6
_SECONDS = 3.0
"""A query's time, at most: a cross join of two 3,000-row tables is stopped, not waited for."""
_STEPS = 10_000
"""SQLite virtual-machine steps between two looks at the clock."""

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_KEYWORDS = frozenset(
    "abort action add after all alter analyze and as asc attach autoincrement before begin between by cascade case "
    "cast check collate column commit conflict constraint create cross current current_date current_time "
    "current_timestamp database default deferrable deferred delete desc detach distinct do drop each else end "
    "escape except exclusive exists explain fail filter for foreign from full glob group groups having if ignore "
    "immediate in index indexed initially inner insert instead intersect into is isnull join key left like limit "
    "match natural no not nothing notnull null of offset on or order outer over partition plan pragma primary "
    "query raise range recursive references regexp reindex release rename replace restrict right rollback row "
    "rows savepoint select set table temp temporary then ties to transaction trigger unbounded union unique "
    "update using vacuum values view virtual when where window with without".split())
_INTEGER = re.compile(r"[-+]?(?:0|[1-9]\d*)")
_REAL = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
_THOUSANDS = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DATE_SHAPE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}"
                         r"|\d{1,2}[ -][A-Za-z]{3,9}[ -]\d{4}|[A-Za-z]{3,9}\.? \d{1,2},? \d{4}")
"""A cell that is a date and nothing else: "2012/01/01", "5/3/2024", "5 March 2024", "Mar 5, 2024"."""
_FENCE = re.compile(r"```[ \t]*(?:sql|sqlite)?[ \t]*\n?(.*?)(?:```|$)", re.DOTALL | re.IGNORECASE)
_STARTS = re.compile(r"^\s*(?:select|with)\b", re.IGNORECASE)
_ALLOWED = frozenset({sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION})
_COUNTS = re.compile(r"\bhow\s+many\b|\bnumber\s+of\b|\bcount\b", re.IGNORECASE)

Kind = Literal["integer", "real", "date", "boolean", "text"]


@dataclass(frozen=True, slots=True)
class Table:
    """A table's column names as written, and its rows of cells (str, int, float or None): what
    the look read (`look_table`), ready to load into SQLite."""

    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    @classmethod
    def of_rows(cls, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Table:
        """A delimited table's cells as written; an empty cell is no value."""
        width = len(header)
        return cls(tuple(header), tuple(tuple(c if c != "" else None for c in r[:width]) for r in rows))

    @classmethod
    def of_records(cls, records: Sequence[dict[str, Any]]) -> Table:
        """JSON objects by their fields, the rarer ones too ("alpha_2" that 184 of 7,910
        languages have: a question may ask which have one), up to `_FIELDS_MAX` of them.
        A list or object is kept as JSON text, which SQLite's json functions read."""
        seen = Counter(k for r in records for k in r)
        kept = {k for k, _ in seen.most_common(_FIELDS_MAX)}
        header = [k for k in dict.fromkeys(k for r in records for k in r) if k in kept]
        return cls(tuple(header), tuple(tuple(_cell(r.get(k)) for k in header) for r in records))


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float)):
        return value  # a bool is an int: True is 1
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class _Column:
    name: str
    """Its SQL name: the header's when that is a plain identifier, else made one."""
    written: str
    kind: Kind
    values: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Query:
    """What one SELECT gave: its rows (at most `_ROWS_KEPT`) and column names, or why it failed."""

    sql: str
    rows: tuple[tuple[Any, ...], ...] = ()
    names: tuple[str, ...] = ()
    error: str = ""


def _names(header: Sequence[str]) -> list[str]:
    """SQL names for the columns: the header's own when each is a plain identifier that is no
    keyword ("state", "temp_max"), else lowercased words joined by "_" ("Life Exp" -> life_exp)."""
    names: list[str] = []
    for written in header:
        name = written if _IDENT.fullmatch(written) else re.sub(r"\W+", "_", written.strip()).strip("_").lower()
        name = name or "column"
        name = f"c_{name}" if name[0].isdigit() else name
        name = f"{name}_" if name.lower() in _KEYWORDS else name
        while name.lower() in {n.lower() for n in names}:
            name += "_"
        names.append(name)
    return names


def _number(cell: Any) -> int | float | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, (int, float)):
        return cell
    text = str(cell).strip()
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    if _INTEGER.fullmatch(text):
        return int(text)
    if _REAL.fullmatch(text) and not (len(text) > 1 and text[0] == "0" and text[1].isdigit()):
        return float(text)
    return None


def _kind(values: list[Any]) -> Kind:
    """A column's kind by all its values: numbers only when every one is ("00M" or "01234" is
    a code, its zero kept), dates when every one is a date and nothing more."""
    if not values:
        return "text"
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if all(_number(v) is not None for v in values):
        leading_zero = any(isinstance(v, str) and re.fullmatch(r"0\d+", v.strip()) for v in values)
        if not leading_zero:
            return "integer" if all(isinstance(_number(v), int) for v in values) else "real"
    if all(isinstance(v, str) and _DATE_SHAPE.fullmatch(v.strip()) and to_date(v) for v in values):
        return "date"
    return "text"


def _typed(cell: Any, kind: Kind) -> Any:
    if cell is None:
        return None
    if kind in ("integer", "real"):
        return _number(cell)
    if kind == "boolean":
        return int(cell)
    if kind == "date":
        day = to_date(cell)
        return day.isoformat() if day else None
    return cell if isinstance(cell, str) else str(cell)


def _columns(table: Table) -> list[_Column]:
    columns = []
    for i, (name, written) in enumerate(zip(_names(table.header), table.header, strict=True)):
        cells = [r[i] if i < len(r) else None for r in table.rows]
        kind = _kind([c for c in cells if c is not None])
        columns.append(_Column(name, written, kind, tuple(_typed(c, kind) for c in cells)))
    return columns


def _clip(value: str) -> str:
    return value if len(value) <= _CLIP else value[:_CLIP] + "..."


def _described(column: _Column, n_rows: int, asked: set[str]) -> str:
    """One column as the query writer is shown it: its name, kind and values; a value the
    question writes is shown whatever its rank ("Switzerland" among 249 names)."""
    values = [v for v in column.values if v is not None]
    empty = n_rows - len(values)
    header = "" if column.name == column.written else f" (header {column.written!r})"
    if not values:
        return f"- {column.name}{header}: always empty"
    if column.kind in ("integer", "real", "date"):
        what = {"integer": "whole number", "real": "number", "date": "date YYYY-MM-DD"}[column.kind]
        told = f"{what}, {min(values)} to {max(values)}"
    elif column.kind == "boolean":
        told = "1 (true) or 0 (false)"
    else:
        counts = Counter(values)
        named = [v for v in counts if v.lower() in asked]
        widths = {len(v) for v in counts}
        width = f"always {min(widths)} characters, " if len(widths) == 1 and min(widths) <= _CODE_WIDTH else ""
        if len(counts) <= _CATEGORY_MAX and len(counts) < n_rows / 3:
            top = [v for v, _ in counts.most_common(_VALUES_SHOWN)]
            shown = top + [v for v in named if v not in top]
            more = ", ..." if len(counts) > len(shown) else ""
            told = f"text, {width}{len(counts):,} different values: " + ", ".join(repr(_clip(v)) for v in shown) + more
        else:
            first = list(dict.fromkeys(values))[:_EXAMPLES]
            shown = first + [v for v in named if v not in first]
            told = f"text, {width}e.g. " + ", ".join(repr(_clip(v)) for v in shown)
    return f"- {column.name}{header}: {told}" + (f"; empty (NULL) in {empty:,} rows" if empty else "")


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
    """The table as the query writer is shown it: `t`, its rows, and each column."""
    columns = _columns(table)
    asked = _asked_phrases(question)
    lines = [_described(c, len(table.rows), asked) for c in columns]
    return f"Table t has {len(table.rows):,} rows. Its columns:\n" + "\n".join(lines)


def select_of(reply: str) -> str | None:
    """The one SELECT (or WITH ... SELECT) a reply writes, in a ```sql block or bare; None
    for anything else, or for two statements."""
    fenced = _FENCE.search(reply)
    sql = (fenced.group(1) if fenced else reply).strip().rstrip(";").strip()
    if not _STARTS.match(sql) or ";" in _outside_quotes(sql):
        return None
    return sql


def _outside_quotes(sql: str) -> str:
    return re.sub(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"", "''", sql)


def _only_reads(action: int, *_: object) -> int:
    return sqlite3.SQLITE_OK if action in _ALLOWED else sqlite3.SQLITE_DENY


def run_select(table: Table, sql: str, *, seconds: float = _SECONDS) -> Query:
    """`sql` run over the table as `t` in a database of its own that can only be read; at most
    `_ROWS_KEPT` rows are kept. A failure is told as SQLite tells it, for a writer to mend."""
    columns = _columns(table)
    db = sqlite3.connect(":memory:", isolation_level=None)
    try:
        kinds = {"integer": "INTEGER", "real": "REAL", "boolean": "INTEGER", "date": "TEXT", "text": "TEXT"}
        db.execute("CREATE TABLE t (" + ", ".join(f'"{c.name}" {kinds[c.kind]}' for c in columns) + ")")
        marks = ", ".join("?" * len(columns))
        db.executemany(f"INSERT INTO t VALUES ({marks})", zip(*(c.values for c in columns), strict=True))
        deadline = time.monotonic() + seconds
        db.set_authorizer(_only_reads)
        db.set_progress_handler(lambda: int(time.monotonic() > deadline), _STEPS)
        try:
            cursor = db.execute(sql)
            rows = tuple(tuple(r) for r in cursor.fetchmany(_ROWS_KEPT))
        except sqlite3.Error as exc:
            error = "it ran too long" if time.monotonic() > deadline else str(exc)
            return Query(sql, error=error)
        names = tuple(d[0] for d in cursor.description or ())
        return Query(sql, rows, names)
    finally:
        db.close()


def _value(cell: Any) -> str:
    if isinstance(cell, float):
        if cell.is_integer():
            return str(int(cell))
        return f"{round(cell, 4):f}".rstrip("0").rstrip(".")
    return str(cell)


def answer_of(query: Query, question: str) -> str | None:
    """The value a query gives as the answer: its one row's one cell; of a row of several, the
    first number for a question that counts ("how many"), else the first cell ("AK" of
    ("AK", 263) for "which state has the most airports"). None for no row, several rows, an
    empty cell or a failure: what it gives then is no one value."""
    if query.error or len(query.rows) != 1 or not query.rows[0]:
        return None
    row = query.rows[0]
    if len(row) > 1 and _COUNTS.search(question):
        row = tuple(c for c in row if isinstance(c, (int, float)) and not isinstance(c, bool))[:1] or row
    cell = row[0]
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    return _value(cell)


def told(query: Query) -> str:
    """The query and what it gave, as the look shows them."""
    sql = " ".join(query.sql.split())
    if query.error:
        return f"The query {sql} failed: {query.error}."
    if not query.rows:
        return f"The query {sql} gives no row."
    shown = "; ".join(", ".join(_value(c) for c in r) for r in query.rows[:_ROWS_KEPT - 1])
    more = " (and more rows)" if len(query.rows) >= _ROWS_KEPT else ""
    return f"The query {sql} gives: {shown}{more}."
