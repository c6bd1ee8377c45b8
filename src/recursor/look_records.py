"""A report's records as a table, for the one SQL query a sub-model writes (`recursor.table_sql`).

A scanner's or a checker's report writes one record per finding between separator lines, each
a few `Key: value` fields among lines of code or prose (bandit's "Severity: High   Confidence:
Medium" and "Location: twisted/web/client.py:318:15"). Asked how many high-severity findings
one package has, or which file has the most, the 1.5B searched the question's words and
answered from the lines it saw: the count and the ranking are over every record's fields,
which is one SELECT once the records are rows.

Only structure is read, never a report's name: a record is what lies between two lines that
are one character repeated (`-----`, `=====`), a field a `Key: value` at a line's start or
after a run of spaces, kept when most records write it. A location written `path:line[:col]`
also gives its path and line as columns of their own: a file's findings are counted by the
file, not by the place in it.
"""

from __future__ import annotations

import re
from collections import Counter

from recursor.table_sql import Table

__all__ = ["records_table"]

_SEPARATOR = re.compile(r"[ \t]*([-=*_~#])\1{9,}[ \t]*")
"""A line that separates records: ten or more of one character."""
_FIELD = re.compile(r"([A-Za-z][A-Za-z0-9 ._/-]{0,30}?):[ \t]+(\S.*)")
"""A `Key: value` piece of a line: a short name that starts with a letter, then its value."""
_LEAD = re.compile(r"^[ \t>*#+|-]*")
"""What a report puts before a record's first field (">> Issue: ...", "* Severity: ...")."""
_NUMBERED = re.compile(r"[ \t]*\d+(?:\t|[ \t]{2,}|[:|][ \t])")
"""A line quoted under its number, as reports quote code."""
_LOCATION = re.compile(r"(\S*?[\w-]\.[A-Za-z]\w{0,7}):(\d+)(?::\d+)?")
"""A place in a file as checkers write it: `path/to/file.py:318` or `file.c:12:5`."""
_LEAST = 5
"""Records a report must hold to be read as a table of them."""
_KEPT_SHARE = 0.6
"""Share of the records that must write a field for it to be a column."""
_LEAST_FIELDS = 2
_LOCATION_SHARE = 0.9
"""Share of a field's values that must be `path:line` for its path and line to be columns."""
_READ_UP_TO = 8_000_000


def records_table(text: str) -> Table | None:
    """The text's records between separator lines, by the fields most of them write; None
    when it has fewer than `_LEAST` records with `_LEAST_FIELDS` such fields."""
    if len(text) > _READ_UP_TO:
        return None
    blocks: list[list[str]] = [[]]
    for line in text.split("\n"):
        if _SEPARATOR.fullmatch(line):
            blocks.append([])
        elif line.strip():
            blocks[-1].append(line)
    if len(blocks) < _LEAST:
        return None  # no separators, or too few: not a report of records
    read = [_fields(block) for block in blocks]
    fielded = [fields for fields, _ in read]
    counts = Counter(key for fields in fielded for key in fields)
    kept = [key for key, n in counts.most_common() if n >= _KEPT_SHARE * len(blocks)]
    if len(kept) < _LEAST_FIELDS:
        return None
    repeated = Counter(key for _, again in read for key in again)
    if any(repeated[key] * 2 >= len(blocks) for key in kept):
        return None  # a block of several records ("Test: ... Status: ..." three times): not one row each
    # A preamble or a closing summary writes few of the records' fields: no record.
    rows = [[fields.get(key) for key in kept] for fields in fielded
            if sum(key in fields for key in kept) * 2 >= len(kept)]
    if len(rows) < _LEAST:
        return None
    header = [_name(key) for key in kept]
    for at in reversed(range(len(kept))):
        values = [v for r in rows if (v := r[at]) is not None]
        places = [m for v in values if (m := _LOCATION.fullmatch(v.strip()))]
        if values and len(places) >= _LOCATION_SHARE * len(values):
            header[at + 1:at + 1] = [f"{header[at]}_file", f"{header[at]}_line"]
            for r in rows:
                m = _LOCATION.fullmatch((r[at] or "").strip())
                r[at + 1:at + 1] = [m.group(1), m.group(2)] if m else [None, None]
    return Table.of_rows(_unique(header), rows)


def _fields(block: list[str]) -> tuple[dict[str, str], set[str]]:
    """A record's `Key: value` fields, the first of each name (several on a line when runs of
    spaces part them: "Severity: Low   Confidence: High"), and the names written again."""
    out: dict[str, str] = {}
    again: set[str] = set()
    for line in block:
        if _NUMBERED.match(line):
            continue  # a quoted line of code or text under its number ("139\t    assert x: ...")
        for piece in re.split(r"\s{2,}|\t", _LEAD.sub("", line)):
            m = _FIELD.fullmatch(piece.strip())
            if m is not None:
                key = m.group(1).strip().lower()
                if key in out:
                    again.add(key)
                out.setdefault(key, m.group(2).strip())
    return out, again


def _name(key: str) -> str:
    """A column's name for a field's: "More Info" is more_info."""
    return re.sub(r"\W+", "_", key).strip("_") or "field"


def _unique(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        while name in seen:
            name += "_"
        seen.add(name)
        out.append(name)
    return out
