"""A timed log read as a table: each stamped line a row of its day, its time and what it says.

"How many failed FTP logins were there from 11:15:00 through 11:16:59?" over a vsftpd log is
`SELECT COUNT(*) FROM t WHERE time BETWEEN '11:15:00' AND '11:16:59' AND message LIKE
'%FAIL LOGIN%'`. No rule here knows that a failed login is written `FAIL LOGIN`, nor that an
sshd login that worked says `Accepted`; a coder model shown the kinds of the messages does
(`recursor.table_sql`, whose writer wrote such SELECTs over tables nobody here had read).
The 1.5B root, shown the window's 23 `FAIL LOGIN` lines among its kinds, answered the count
of lines holding the window's last second.

Columns: `day` (ISO when the stamps write a year, else month and day as 'MM-DD'), `time`
('HH:MM:SS', whole seconds so that `BETWEEN` takes a window's last second whole), `subsecond`
(the fraction of the second, when the stamps write one: named `fraction`, the writer summed it
as a rider's fares), and for syslog's `host program[pid]: ` prefix its
`host`, `program` and `pid`; then `message`: the line without its stamp, what was written
before the stamp (a level, a service's name) kept, its runs of spaces and its line breaks
written as one space (as the query writer is shown it, and copies it into a LIKE); then a
column for each `key=value` field that the messages write often (`total=180.56`,
`status=500`), and one for each count they write before a noun (`poll_inbox: 4 new messages`
gives `new_messages` 4), empty on rows that do not. A line without a stamp of its own (a stack
trace's frame, a wrapped message) is part of the row above it, as it is of that entry.

General: it knows no program's log, only where a line's stamp is (a time of day near its start,
as `helpers.in_dates` finds it) and syslog's prefix, a standard.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from recursor.question import asking_part, counted_verb
from recursor.sandbox.helpers import _STOP, _TIME_OF_DAY, _eq_pairs, to_date
from recursor.table_sql import Table, word_start

__all__ = ["LOG_LINE", "requested", "selects_as_asked", "timed_table"]

LOG_LINE = "one line of a log"
"""What a row of a log's table is (`Table.row`), as its query writer is told."""
_BASE_COLUMNS = frozenset({"day", "time", "subsecond", "host", "program", "pid", "message"})
"""The columns a log's table has before the fields, counts and requests its messages write."""

_STAMP_WITHIN = 40
"""A line's stamp starts within its first characters ("Sun Dec  6 11:13:16 2026", "[2024-03-05 ...")."""
_STAMP_READ = _STAMP_WITHIN + 12
"""The characters read for a stamp: one that starts at `_STAMP_WITHIN` and its time."""
_STAMPED_SHARE = 0.5
"""A timed log when this share of its non-empty first lines carry a stamp there: a log's
tracebacks and banners take the rest (a third of gunicorn's and huey's first 400 lines)."""
_PREFIXED_SHARE = 0.8
"""A prefix (syslog's, a host) is a column when this share of the entries write it."""
_SAMPLE = 400
"""The first lines read to tell a timed log; the table itself is read only when a query is written."""
_LEAST_ROWS = 20
_FIELD_ROWS = 5
"""A `key=value` field is a column when at least this many of the first entries write it:
"orders with a total above 150" is `total > 150`, where a LIKE over the message reads no
number."""
_FIELDS_KEPT = 12
_COUNTED = re.compile(r"(?<![\w.:/#@=+,-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s+([A-Za-z]{2,})(?:\s+([A-Za-z]{2,}))?"
                      r"(?![\w:/@=-]|\.\w)")
"""A number a message writes before a noun: "4 new messages", "running 42 checks", "pushed 286
series"; not a number in an address, a time, a version, a path or a `key=value`."""
_NOT_COUNTED = frozenset({"of", "to", "in", "on", "at", "by", "for", "from", "and", "or", "is", "was", "are", "were",
                          "the", "a", "an", "ms", "s", "sec", "secs", "seconds", "min", "mins", "minutes", "hours",
                          "days", "bytes", "kb", "mb", "gb", "am", "pm"})
"""Words after a number that name no count of things: a preposition or verb (`retry 2 of 3`),
or a unit (`took 3 seconds`), a measure that is no count of the rows' things."""
_PLURAL = re.compile(r"[^su]s$|ies$")
"""A plural noun's ending ("checks", "entries"), not that of "access", "status" or "is"."""
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE_PARTS = re.compile(
    rf"\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}(?:T|\b)|\d{{1,2}}[-/.]\d{{1,2}}[-/.]\d{{2,4}}\b|\d{{1,2}}/{_MONTH}/\d{{4}}:?"
    rf"|\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?\b"
    r"|\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b,?|\b\d{4}\b", re.IGNORECASE)
"""What a stamp writes before its time of day: a date in its forms, a weekday, a year."""
_YEAR_AFTER = re.compile(r"^\s+(\d{4})\b(?!\s*[-/:.\w])")
"""A year written after the time, as date(1) writes one ("Sun Dec  6 11:13:16 2026"); only
when the stamp's date names a month and no year."""
_CTIME_YEAR = re.compile(r"^\s+((?:19|20)\d{2})\b(?![-/:.]\d)")
"""The year of C's ctime() stamp ("Sun Dec 06 16:24:12 2026 0 127.0.0.82 ..." of an xferlog),
which fields may follow: after a weekday and a month, a year from 1900 to 2099 is the stamp's."""
_WEEKDAY_MONTH = re.compile(r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b,?\s+" + _MONTH + r"\s", re.IGNORECASE)
_AFTER_TIME = re.compile(r"^(?:\s?([AaPp][Mm])\b)?(?:\s?(?:[+-]\d{2}:?\d{2}\b|Z\b|UTC\b|GMT\b))?")
"""What ends a stamp after its time of day and its fraction: AM or PM, a zone."""
_CLOSE = re.compile(r"^\s*[\])|,]?\s*")
_LEVELS = frozenset("trace debug info notice warn warning error err crit critical alert emerg fatal severe".split())
_SYSLOG = re.compile(r"^(?:(?P<host>[\w.-]+) )?(?P<program>[A-Za-z][\w./-]*)(?:\[(?P<pid>\d+)(?::\d+)?\]:? |: )")
"""syslog's prefix: a host, a program and its process id in brackets, and a colon (a program
that logs itself may write a level there instead: `unbound[30395:0] info: ...`)."""
_PROGRAM = re.compile(r"^(?P<program>[A-Za-z][\w./-]*)(?:\[(?P<pid>\d+)(?::\d+)?\]:? |: )")
"""The prefix without a host, for a log whose lines seldom write one."""
_MARKER = re.compile(r"-- .* --")
"""journalctl's marker lines ("-- Logs begin at ... --", "-- Boot 3a1f... --"): no entry's."""
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)")


@dataclass(frozen=True, slots=True)
class _Stamped:
    day: str | None
    time: str
    fraction: str | None
    message: str


def _stamp(line: str, day_first: bool) -> _Stamped | None:
    """A line's day, time of day (24-hour, whole seconds), the second's fraction and its message
    (what the line writes besides the stamp); None for a line with no time of day near its start."""
    m = _TIME_OF_DAY.search(line, 0, _STAMP_READ)
    if m is None or m.start() > _STAMP_WITHIN:
        return None
    hours, minutes, seconds, fraction = m.groups()
    before, rest = line[:m.start()], line[m.end():]
    after = _AFTER_TIME.match(rest)
    half = after.group(1) if after else None
    rest = rest[after.end() if after else 0:]
    hour = int(hours)
    if half:
        hour = hour % 12 + (12 if half.lower() == "pm" else 0)
    date_text = " ".join(d.group(0) for d in _DATE_PARTS.finditer(before))
    if re.search(_MONTH, date_text, re.IGNORECASE) and not re.search(r"\b\d{4}\b", date_text) and (
            year := _YEAR_AFTER.match(rest) or (_WEEKDAY_MONTH.search(before) and _CTIME_YEAR.match(rest))):
        date_text += " " + year.group(1)
        rest = rest[year.end():]
    rest = _CLOSE.sub("", rest, count=1)
    kept = _DATE_PARTS.sub(" ", before).strip(" \t[](),|")
    message = f"{kept} {rest}".strip() if kept else rest.strip()
    return _Stamped(_day(date_text, day_first), f"{hour:02d}:{minutes}:{seconds or '00'}",
                    f"0.{fraction}" if fraction else None, message)


@lru_cache(maxsize=4096)
def _day(date_text: str, day_first: bool) -> str | None:
    """The stamp's date, ISO; 'MM-DD' when it writes no year (syslog's "Dec  6"); None for none."""
    if not date_text.strip():
        return None
    if m := _NUMERIC_DATE.search(date_text):  # "05/03/2024": one reading for the whole log
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        day, month = (a, b) if day_first else (b, a)
        return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None
    if (read := to_date(date_text)) is not None:
        return read.isoformat()
    if (read := to_date(date_text, year=2000)) is not None:  # a leap year: "Feb 29" is a day
        return read.strftime("%m-%d")
    return None


def _day_first(lines: Sequence[str]) -> bool:
    """Whether the log writes numeric dates day first: some first number over 12."""
    return any(int(m.group(1)) > 12 for line in lines if (m := _NUMERIC_DATE.search(line[:_STAMP_READ])))


def timed_table(text: str) -> Table | None:
    """The log's stamped lines as a table (see the module), its layout read from its first
    lines and its rows when a query is first written; None for a text whose first lines mostly
    carry no stamp near their start, or that has fewer than `_LEAST_ROWS` of them."""
    sample = [line for line in text.split("\n", _SAMPLE)[:_SAMPLE] if line.strip() and not _MARKER.fullmatch(line.strip())]
    day_first = _day_first(sample)
    entries = _entries(sample, day_first)  # one a stamped line
    if len(entries) < _LEAST_ROWS or len(entries) < _STAMPED_SHARE * len(sample):
        return None
    layout = _Layout.of(entries)
    return Table.read_later(layout.header, lambda: [layout.row(e) for e in _entries(text.split("\n"), day_first)],
                            row=LOG_LINE)


def _entries(lines: Sequence[str], day_first: bool) -> list[_Stamped]:
    """The stamped lines, each with the unstamped lines below it (a stack trace's frames, a
    wrapped message) as part of its message; lines above the first stamp are no entry's."""
    entries: list[_Stamped] = []
    for line in lines:
        if not line.strip() or _MARKER.fullmatch(line.strip()):
            continue
        if (s := _stamp(line, day_first)) is not None:
            entries.append(s)
        elif entries:
            last = entries[-1]
            entries[-1] = _Stamped(last.day, last.time, last.fraction, f"{last.message}\n{line.rstrip()}")
    return entries


@dataclass(frozen=True, slots=True)
class _Layout:
    """The columns a log's first entries write, by which every entry is made a row."""

    dated: bool
    fractions: bool
    syslog: bool
    hosts: bool
    fields: tuple[str, ...] = ()
    """The `key=value` fields read into columns of their own, after the message."""
    counted: tuple[str, ...] = ()
    """The nouns whose counts are read into columns of their own, after the fields."""
    requests: tuple[str, ...] = ()
    """The columns of a web request that messages write in the Common Log Format (hypercorn's
    and gunicorn's access lines under their own stamp): client, method, path, status, bytes."""
    written_days: bool = False
    """Whether a column `message_date` holds the first date (YYYY-MM-DD) each message writes:
    a batch job's lines name the business day they are about ("extracted 1571 sales rows for
    leipzig-sued on 2026-11-30"), which is no day of their stamps."""

    @classmethod
    def of(cls, entries: Sequence[_Stamped]) -> _Layout:
        share = _PREFIXED_SHARE * len(entries)
        prefixed = [_prefix(e.message, True) for e in entries]
        syslog = sum(m is not None for m in prefixed) >= share
        # A host is a column when most lines write one; on a few lines only it stays in their message.
        hosts = syslog and sum(m is not None and m["host"] is not None for m in prefixed) >= share
        syslog = syslog and (hosts or sum(_prefix(e.message, False) is not None for e in entries) >= share)
        pairs = Counter(key for e in entries for key in _eq_pairs(e.message))
        counts = Counter(noun for e in entries for noun in _counts(e.message, singular=False))
        fields = tuple(k for k, n in pairs.most_common(_FIELDS_KEPT) if n >= _FIELD_ROWS)
        counted = tuple(k for k, n in counts.most_common(_FIELDS_KEPT - len(fields))
                        if n >= _FIELD_ROWS and k not in fields)
        taken = _BASE_COLUMNS | {*fields, *counted}
        requested = sum(_request(e.message) is not None for e in entries) >= _FIELD_ROWS
        requests = tuple(c for c in _REQUEST_COLUMNS if c not in taken) if requested else ()
        days = [m.group(0) for e in entries if (m := _WRITTEN_DAY.search(e.message)) is not None]
        written_days = len(days) >= _FIELD_ROWS and len(set(days)) > 1 and "message_date" not in taken
        return cls(any(e.day for e in entries), any(e.fraction for e in entries), syslog, hosts, fields, counted,
                   requests, written_days)

    @property
    def header(self) -> list[str]:
        return [*(["day"] if self.dated else []), "time", *(["subsecond"] if self.fractions else []),
                *(["host"] if self.hosts else []), *(["program", "pid"] if self.syslog else []), "message",
                *(["message_date"] if self.written_days else []), *self.fields, *self.counted, *self.requests]

    def row(self, entry: _Stamped) -> list[str | None]:
        row: list[str | None] = [entry.day] if self.dated else []
        row.append(entry.time)
        if self.fractions:
            row.append(entry.fraction)
        message = entry.message
        if self.syslog:
            if (m := _prefix(message, self.hosts)) is None:
                row += [None] * (3 if self.hosts else 2)
            else:
                row += ([m["host"]] if self.hosts else []) + [m["program"], m["pid"]]
                message = message[m.end():]
        row.append(" ".join(message.split()))
        if self.written_days:  # beside the message it is read from, before a field's day (`day=`) of some lines
            row.append(m.group(0) if (m := _WRITTEN_DAY.search(message)) is not None else None)
        if self.fields:
            pairs = _eq_pairs(message)
            row += [pairs.get(k) or None for k in self.fields]
        if self.counted:
            counts = _counts(message)
            row += [counts.get(k) for k in self.counted]
        if self.requests:
            request = _request(message)
            row += [request[c] if request and request[c] not in (None, "-") else None for c in self.requests]
        return row


_REQUEST = re.compile(r'(?<!\S)(?P<client>[^\s\[\]"]{1,100})(?: [^\s\[\]"]{1,100} (?P<user>[^\s\[\]"]{1,100}))? '
                      r'\[[^\]\n]{1,64}\] '
                      r'"(?:(?P<method>[A-Z]{1,16}) (?P<path>[^\s"]{1,2000})(?: [^"]{0,64})?|[^"]{0,2000})" '
                      r'(?P<status>\d{3}) (?P<bytes>\d+|-)')
"""A request in the Common Log Format within a message: client, ident, user, [time], "request",
status and size (ident and user left out, as aiohttp writes it: `_request` says which is the
client); a request line that is no method and path ("-", garbage a scanner sent) keeps its
status. Each part bounded, and looked for only after `_REQUEST_MARK`: unbounded, a 50 KB
token took 9.6 s (review)."""
_WRITTEN_DAY = re.compile(r"(?<![\d-])(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?![\d-])")
"""A date a message writes, ISO."""
_REQUEST_MARK = '] "'
"""What every such request writes: the time's bracket, then the request's quote."""
_REQUEST_COLUMNS = ("client", "method", "path", "status", "bytes")


def requested(table: Table) -> bool:
    """Whether a log's table has the columns of the requests its messages write."""
    return {"method", "path", "status"} <= set(table.header)


def _request(message: str) -> dict[str, str | None] | None:
    """The Common Log Format request a message writes, if any (`_REQUEST`), by column. Its
    client is the address before the time when the two words before it are no ident and user
    (`INFO aiohttp.access: 127.0.0.20 [...]`: aiohttp writes neither, and "INFO" is no client)."""
    m = _REQUEST.search(message) if _REQUEST_MARK in message else None
    if m is None:
        return None
    got = {c: m[c] for c in _REQUEST_COLUMNS}
    if not _ADDRESS.fullmatch(m["client"]):
        if m["user"] is not None and _ADDRESS.fullmatch(m["user"]):
            got["client"] = m["user"]
        elif (tail := _ADDRESS_AT_END.search(m["client"])) is not None:
            got["client"] = tail.group(0)  # `INFO:aiohttp.access:127.0.0.1`, logging's basicConfig format (review)
    return got


_ADDRESS = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?|\[?[0-9A-Fa-f]*:[0-9A-Fa-f:.]+\]?(?::\d{1,5})?|localhost")
"""A client's address: IPv4 (with a port), IPv6, localhost."""
_ADDRESS_AT_END = re.compile(r"(?<=[:\s])\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?$")


def _counts(message: str, singular: bool = True) -> dict[str, str]:
    """The counts a message writes before a noun, by that noun: "4 new messages" is
    `new_messages` 4 (an adjective and its noun, when the first word is no plural and the
    second is), "running 42 checks" is `checks` 42, "1 check" is `checks` 1. A word after
    the number that is no plural ("3 took") names no count. The first of each name counts."""
    out: dict[str, str] = {}
    for m in _COUNTED.finditer(message):
        first, second = m.group(2).lower(), m.group(3).lower() if m.group(3) else None
        if first in _NOT_COUNTED or (second and second in _NOT_COUNTED and not first.endswith("s")):
            continue
        if m.group(1) == "1":
            # "1 new message", "1 check passed": named as the others, in the plural, which
            # of the two the others' names say (`_Layout.of` reads names from them alone).
            if singular:
                out.setdefault(_plural(first), "1")
                if second:
                    out.setdefault(f"{first}_{_plural(second)}", "1")
        elif _PLURAL.search(first):
            out.setdefault(first, m.group(1).replace(",", ""))
        elif second is not None and _PLURAL.search(second):
            out.setdefault(f"{first}_{second}", m.group(1).replace(",", ""))
    return out


def _plural(word: str) -> str:
    return word if _PLURAL.search(word) else f"{word}s"


def _prefix(message: str, hosts: bool) -> re.Match[str] | None:
    """syslog's prefix of a message, with a host or without; None for none, or for a level
    read as one ("ERROR: disk full", "INFO werkzeug: ...")."""
    m = (_SYSLOG if hosts else _PROGRAM).match(message)
    if m is None:
        return None
    names = [m["program"], *([m["host"]] if hosts and m["host"] else [])]
    return None if any(name.lower() in _LEVELS for name in names) else m


_TEXT_LITERAL = re.compile(r"'((?:[^']|'')*)'")
_WHERE = re.compile(r"\bWHERE\b(.*)", re.IGNORECASE | re.DOTALL)


def _where(sql: str) -> str | None:
    """A query's WHERE clause and what follows it, its quoted texts emptied; None for none."""
    m = _WHERE.search(_TEXT_LITERAL.sub("''", sql))
    return m.group(1) if m is not None else None


def _by_a_named_field(sql: str, asking: str) -> bool:
    """Whether the query's WHERE compares a field's column (`new_messages >= 5`, `total > 150`)
    whose name is written in the question ("five or more new messages", "a total above 150"):
    it picks the lines by what the question counts, in its words, without matching text."""
    where = _where(sql)
    if where is None:
        return False
    lowered = asking.lower()
    for name in set(re.findall(r"\b([A-Za-z_]\w*)\s*(?:[<>=!]=?|\bBETWEEN\b|\bIS\b)", where, re.IGNORECASE)):
        parts = [p for p in name.lower().split("_") if p]
        if name.lower() not in _BASE_COLUMNS and parts and all(
                re.search(rf"\b{re.escape(word_start(p))}", lowered) for p in parts):
            return True
    return False


def _by_a_request(sql: str) -> bool:
    """Whether the query's WHERE compares a request's status, method or path (`_REQUEST`): it
    picks requests by what a web server writes of each, as a query over an access log's own
    table does ("could not find" read as `status = 404`), not by a guessed kind of message."""
    where = _where(sql)
    return where is not None and re.search(r"\b(?:status|method|path)\s*(?:[<>=!]=?|\bLIKE\b|\bIN\b|\bBETWEEN\b)",
                                           where, re.IGNORECASE) is not None


def selects_as_asked(sql: str, question: str, requests: bool = False) -> bool:
    """Whether a query over a log's lines picks them by what the question counts, in its words:
    a text it matches writes the count's verb ("accept" in `LIKE '%Accepted %'` for "how many
    connections did the server accept"), or, when the question has no such verb, one of its
    words ("fail" in `'%FAIL LOGIN%'` for "how many failed logins"). A writer who matched
    `'Client closed connection'` for accepted connections, or `'# File:'` for installed
    packages, guessed at a kind of message the question never names: what that query gives is
    no answer to offer (docs/benchmarks.md, session 42). `requests`: the table has a request's
    columns (`_REQUEST`), by which a WHERE on status, method or path picks lines as asked."""
    asking = asking_part(question)
    if _by_a_named_field(sql, asking) or (requests and _by_a_request(sql)):
        return True
    texts = " ".join(m.group(1) for m in _TEXT_LITERAL.finditer(sql)).lower()
    if not texts.strip(" %_"):
        return False
    verb = counted_verb(asking)
    words = [verb] if verb else [w for w in re.findall(r"[a-z]{4,}", asking.lower()) if w not in _STOP]
    return any(re.search(rf"\b{re.escape(word_start(w))}", texts) for w in words)
