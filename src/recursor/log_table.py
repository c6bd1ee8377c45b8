"""A timed log read as a table: each stamped line a row of its day, its time and what it says.

"How many failed FTP logins were there from 11:15:00 through 11:16:59?" over a vsftpd log is
`SELECT COUNT(*) FROM t WHERE time BETWEEN '11:15:00' AND '11:16:59' AND message LIKE
'%FAIL LOGIN%'`. No rule here knows that a failed login is written `FAIL LOGIN`, nor that an
sshd login that worked says `Accepted`; a coder model shown the kinds of the messages does
(`recursor.table_sql`, whose writer wrote such SELECTs over tables nobody here had read).
The 1.5B root, shown the window's 23 `FAIL LOGIN` lines among its kinds, answered the count
of lines holding the window's last second.

Columns: `day` (ISO, when the stamps write a year), `time` ('HH:MM:SS', with its fraction when
written, so that `BETWEEN` compares and `strftime('%s', time)` subtracts), and for syslog's
`host program[pid]: ` prefix its `host`, `program` and `pid`; then `message`, the rest. Lines
without a stamp of their own (a wrapped message, a banner) are no row.

General: it knows no program's log, only where a line's stamp is (a time of day near its start,
as `helpers.in_dates` finds it) and syslog's prefix, a standard.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from recursor.sandbox.helpers import _TIME_OF_DAY, to_date
from recursor.table_sql import Table

__all__ = ["timed_table"]

_STAMP_WITHIN = 40
"""A line's stamp starts within its first characters ("Sun Dec  6 11:13:16 2026", "[2024-03-05 ...")."""
_STAMPED_SHARE = 0.8
"""A timed log when this share of its non-empty lines carry a stamp there."""
_LEAST_ROWS = 20
_AFTER_STAMP = re.compile(r"^(?:[.,]\d+)?(?:\s*(?:[+-]\d{2}:?\d{2}|Z|UTC|GMT)\b)?(?:\s+\d{4}\b)?\s*[\]|,]?\s*")
"""What ends a stamp after its time of day: a fraction, a zone, a year after the time (as
date(1) writes one), a closing bracket or bar."""
_SYSLOG = re.compile(r"^(?:(?P<host>[\w.-]+) )?(?P<program>[A-Za-z][\w./-]*)(?:\[(?P<pid>\d+)(?::\d+)?\])?: ")
"""syslog's prefix: a host, a program and its process id in brackets, and a colon."""


def _stamp(line: str) -> tuple[str | None, str, str] | None:
    """A line's day (ISO, None when its stamp writes no year), time of day and message; None
    for a line with no time of day near its start."""
    m = _TIME_OF_DAY.search(line[:_STAMP_WITHIN + 12])
    if m is None or m.start() > _STAMP_WITHIN:
        return None
    hours, minutes, seconds, fraction = m.groups()
    clock = f"{int(hours):02d}:{minutes}:{seconds or '00'}" + (f".{fraction}" if fraction else "")
    rest = line[m.end():]
    after = _AFTER_STAMP.match(rest)
    stamp = line[:m.end()] + (after.group(0) if after else "")
    day = to_date(stamp)
    return (day.isoformat() if day else None), clock, rest[after.end() if after else 0:].strip()


def timed_table(text: str) -> Table | None:
    """The log's stamped lines as a table (see the module); None for a text whose lines mostly
    carry no stamp near their start, or that has fewer than `_LEAST_ROWS` of them."""
    lines = [line for line in text.split("\n") if line.strip()]
    stamped = [s for line in lines if (s := _stamp(line)) is not None]
    if len(stamped) < _LEAST_ROWS or len(stamped) < _STAMPED_SHARE * len(lines):
        return None
    dated = any(day for day, _, _ in stamped)
    prefixed = [_SYSLOG.match(message) for _, _, message in stamped]
    syslog = sum(m is not None for m in prefixed) >= _STAMPED_SHARE * len(stamped)
    # A host is a column only when syslog's lines write one (`host program[pid]:`); a log of
    # one program's own lines ("unbound[30395:0]: ...") has none.
    hosts = syslog and sum(m is not None and m["host"] is not None for m in prefixed) >= _STAMPED_SHARE * len(stamped)
    header = [*(["day"] if dated else []), "time", *(["host"] if hosts else []),
              *(["program", "pid"] if syslog else []), "message"]
    rows: list[Sequence[str | None]] = []
    for (day, clock, message), m in zip(stamped, prefixed, strict=True):
        row: list[str | None] = [day] if dated else []
        row.append(clock)
        if syslog:
            if m is None:
                row += [None] * (3 if hosts else 2)
            else:
                row += ([m["host"]] if hosts else []) + [m["program"], m["pid"]]
                message = message[m.end():]
        row.append(message)
        rows.append(row)
    return Table.of_rows(header, rows, row="one line of a log")
