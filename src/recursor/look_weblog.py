"""The first look at a web server's access log (the Common and Combined Log Formats that Apache,
nginx, lighttpd and most proxies write): its requests by field, and the count or ranking the
question asks of them.

"Which IP address made the most requests?" over an access log names nothing the log writes:
no line holds "IP", "address" or "requests", so the look found no word, and a small root shown
only the first lines guessed. The format is a standard, like CSV: each line is a host, a time,
a quoted request (method, path, protocol), a status and a size, then a referrer and a user agent.
This reads those fields with one regular expression per field, the very ones the call it shows
uses (compiled as `count_by` and `lines` compile them, in any case), so what it prints is what
the call prints; it maps the question's nouns to them ("IP", "client" -> the host; "page", "URL" -> the path;
"code" -> the status), and counts.

What it computes is offered as read (`Orientation.counted`), so it abstains from offering when
the question may say more: a word the log writes that is no value it filters by, a second field
named, a qualifier ("distinct", "more than"), a negation, a place below the first, or a tie.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime

from recursor.look_counts import ComputedLook, computed_look, ranked, says_more
from recursor.question import (
    COUNT_ASKED,
    SUPERLATIVE,
    TOKEN,
    asking_part,
)
from recursor.sandbox.helpers import _STOP, _stem
from recursor.table_sql import Table

__all__ = ["weblog_look"]

_LINE = re.compile(
    r'^(?P<host>\S+) \S+ \S+ \[(?P<time>[^\]]+)\] "(?P<request>[^"]*)" (?P<status>\d{3}) (?P<size>\S+)'
    r'(?: "(?P<referrer>[^"]*)" "(?P<agent>[^"]*)")?')
"""A request in the Common Log Format, and the Combined one's referrer and user agent: to tell
the format, not to count (the fields' own patterns count)."""
_HEADER = ("client", "ident", "user", "time", "method", "path", "protocol", "status", "bytes", "referrer",
           "user_agent")
"""The columns of the table a query is written over (`recursor.table_sql`): the Common Log
Format's fields under their usual names, the request split into its three parts, and the time
as SQLite reads one ('2026-12-06 12:34:08', the log's own zone)."""
_ADDRESS = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*")
"""An IPv4 or IPv6 address, as a log writes its client."""
_READ_UP_TO = 4_000_000
_SAMPLE = 200
_SHARE = 0.8
"""An access log when this share of its first lines are requests in the format."""


@dataclass(frozen=True, slots=True)
class _Field:
    name: str
    nouns: frozenset[str]
    pattern: str
    """The regex whose group reads the field from a line: the key of `count_by(lines(), r'...')`."""

    @property
    def key(self) -> str:
        return f"r'{self.pattern}'"

    def values(self, lines: list[str]) -> list[str]:
        """The field's value on each line that writes one, as `count_by` reads it."""
        rx = re.compile(self.pattern, re.IGNORECASE)
        return [m.group(1) for line in lines if (m := rx.search(line)) is not None and m.group(1)]


_FIELDS = (
    _Field("host", frozenset("ip ips address addresses host hosts client clients visitor visitors remote source".split()),
           r"^(\S+)"),
    _Field("day", frozenset("day days date dates".split()), r"\[(\d+/\w+/\d+)"),
    _Field("method", frozenset("method methods verb verbs".split()), r'"([A-Z]+) '),
    _Field("path", frozenset("path paths url urls page pages endpoint endpoints resource resources uri uris".split()),
           r'"[A-Z]+ (\S+)'),
    _Field("status", frozenset("status statuses code codes response responses".split()), r'" (\d{3}) '),
    _Field("user agent", frozenset("user agent agents browser browsers user-agent".split()),
           r'^\S+ \S+ \S+ \[[^\]]+\] "[^"]*" \d{3} \S+ "[^"]*" "([^"]*)"'),
)
_FILTERED_BY = {"host": lambda v: rf"^{re.escape(v)} ", "method": lambda v: rf'"{v} ',
                "path": lambda v: rf'"[A-Z]+ {re.escape(v)} ', "status": lambda v: rf'" {v} '}
"""The `lines(...)` pattern that keeps the lines writing a value as that field."""
_ROW_NOUNS = frozenset("requests request hits hit lines line entries entry visits visit calls call times".split())
_STATUS_WORDS = frozenset("error errors failed failing failure failures".split())
"""Words a status filter makes plain; alone, "errors" asks for statuses no word names."""
_COMMON = frozenset("which what most largest greatest highest biggest fewest least lowest smallest number count how "
                    "many made sent received got served returned came often frequently log access server web total all "
                    "in on had has have with were was did the went go goes come comes".split())
def _date(day: str) -> date | None:
    try:
        return datetime.strptime(day, "%d/%b/%Y").date()
    except ValueError:
        return None


def weblog_look(text: str, question: str) -> ComputedLook | None:
    """The rows the look shows of a web server's access log, and what it computed for the
    question (`look_counts.ComputedLook`); None when the text is no such log."""
    cut = len(text) > _READ_UP_TO
    lines = (text[:text.rfind("\n", 0, _READ_UP_TO)] if cut else text).split("\n")
    sample = [line for line in lines[:_SAMPLE * 2] if line.strip()][:_SAMPLE]
    if len(sample) < 3 or sum(_LINE.match(line) is not None for line in sample) < _SHARE * len(sample):
        return None
    requests = sum(_LINE.match(line) is not None for line in lines)
    days = sorted(d for v in _FIELDS[1].values(lines) if (d := _date(v)))
    of = "its first " if cut else ""
    rows = [f"It is a web server's access log: {of}{requests:,} requests"
            + (f", {days[0]:%d %b %Y} to {days[-1]:%d %b %Y}" if days else "")
            + ". Each line is a host (the client's IP), a [time], a \"request\" (method, path, protocol), a status "
              "and a size" + (", then a referrer and a user agent" if _FIELDS[-1].values(sample) else "")
            + ". count_by(lines(), r'^(\\S+)') counts the requests by host; r'\" (\\d{3}) ' reads the status."]
    asking = asking_part(question)
    # Words, and paths as a log writes them ("/login"): TOKEN drops their leading slash.
    words = [w for w in TOKEN.findall(asking) if w.lower() not in _STOP]
    paths = [p.rstrip("?.,;:!)\"'") for p in re.findall(r"(?<![\w/])/[^\s\"']*", asking)]
    words = [w for w in words if not any(w in p for p in paths)] + paths  # "login" is a part of "/login"
    header = _header(sample)
    filters = _filters(lines, words)
    named = [f for f in _FIELDS if any(w.lower() in f.nouns for w in words)]
    if header[0] != "client":  # a virtual host first: the first field counts no client
        rows[0] = (rows[0].replace("Each line is a host (the client's IP)", "Each line is a virtual host, the client's IP")
                   .replace("counts the requests by host", "counts the requests by virtual host"))
        filters = [f for f in filters if f[0].name != "host"]
        named = [f for f in named if f.name != "host"]
    computed = _computed(lines, asking, question, words, named, filters)
    if computed is not None and cut:
        computed = (computed[0], "what it counts over the whole text (the figures here are of its first lines only)", "")
    look = computed_look(rows, computed, cut)
    # The fields as a table, for what no rule here reads: "turned away for lack of valid
    # credentials" is `status = 401` to a model that knows HTTP. A log read in part has none.
    return look if cut else replace(look, table=Table.read_later(header, lambda: requests_table(lines),
                                                                  row="one request in a web server's access log"))


def _header(sample: list[str]) -> tuple[str, ...]:
    """`_HEADER`, its first two columns named by what they hold: the client's address and
    identd's "-" (the Common Log Format), a virtual host after the address (lighttpd's
    "127.0.0.1:8080"), or a virtual host before it (Apache's `%v %h ...`)."""
    pairs = [line.split(" ", 2)[:2] for line in sample if _LINE.match(line)]
    first_ip = sum(bool(_ADDRESS.fullmatch(a)) for a, _ in pairs) >= _SHARE * len(pairs)
    second_ip = sum(bool(_ADDRESS.fullmatch(b)) for _, b in pairs) >= _SHARE * len(pairs)
    second_dash = sum(b == "-" for _, b in pairs) >= _SHARE * len(pairs)
    if not first_ip and second_ip:
        return ("vhost", "client", *_HEADER[2:])
    return ("client", "ident" if second_dash or not first_ip else "vhost", *_HEADER[2:])


def requests_table(lines: list[str]) -> list[list[str | None]]:
    """Each request line as the cells of `_HEADER` ("-" is no value); other lines are left out."""
    rows: list[list[str | None]] = []
    for line in lines:
        if (m := _LINE.match(line)) is None:
            continue
        parts = m["request"].split(" ")
        method, path, protocol = ((parts[0], " ".join(parts[1:-1]), parts[-1]) if len(parts) >= 3
                                  else (parts[0], parts[1], None) if len(parts) == 2 else (None, None, None))
        ident, user = line.split(" ", 3)[1:3]
        cells = [m["host"], ident, user, _stamp(m["time"]), method, path, protocol, m["status"], m["size"],
                 m["referrer"], m["agent"]]
        rows.append([None if c in (None, "", "-") else c for c in cells])
    return rows


def _stamp(written: str) -> str:
    """A request's time as SQLite reads one, in the zone the log writes; as written when it is
    no time of that format."""
    try:
        return datetime.strptime(written, "%d/%b/%Y:%H:%M:%S %z").strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return written


def _filters(lines: list[str], words: list[str]) -> list[tuple[_Field, str, str]]:
    """The (field, value, word)s the question names: a status ("404"), a method in capitals
    ("POST"), a host ("10.0.1.25") or a path ("/login") the log writes as that field's value."""
    values = {f.name: set(f.values(lines)) for f in _FIELDS if f.name in _FILTERED_BY}
    found = []
    for w in words:
        for f in _FIELDS:
            if f.name in values and w in values[f.name] and (f.name != "method" or w.isupper()):
                found.append((f, w, w))
                break
    return found


def _computed(lines: list[str], asking: str, question: str, words: list[str], named: list[_Field],
              filters: list[tuple[_Field, str, str]]) -> tuple[str, str, str] | None:
    """The call for what the question asks, what it gives, and that as the answer when the
    question asks just that; None when it asks nothing the fields compute."""
    filtered = {f.name for f, _, _ in filters}
    if len(filtered) < len(filters):
        return None  # "404 or 403": two values of one field
    patterns = [_FILTERED_BY[f.name](v) for f, v, _ in filters]
    keep = [re.compile(p, re.IGNORECASE) for p in patterns]  # as `lines(*patterns)` keeps lines
    kept = [line for line in lines if all(rx.search(line) for rx in keep)]
    source = f"lines({', '.join(map(repr, patterns))})" if filters else "lines()"
    ranks = SUPERLATIVE.search(asking) is not None
    grouped = [f for f in named if f.name not in filtered]
    if ranks and len(grouped) == 1:
        field = grouped[0]
        if (order := ranked(Counter(field.values(kept)), asking)) is None:
            return None
        just = _asks_just(asking, question, words, {field.name} | filtered, filters)
        return f"count_by({source}, {field.key})", order.told, order.top if just else ""
    if COUNT_ASKED.search(asking) and not ranks and filters and not grouped:
        just = _asks_just(asking, question, words, filtered, filters)
        return f"len({source})", f"{len(kept):,}", str(len(kept)) if just else ""
    return None


def _asks_just(asking: str, question: str, words: list[str], used: set[str],
               filters: list[tuple[_Field, str, str]]) -> bool:
    """Whether each word of the question is a common one, names the requests or a field used,
    or is a value filtered by, and nothing qualifies the count."""
    if says_more(asking, question, numbers=False):  # a number is a filter's value ("404") or no word of the fields
        return False
    said = {w for _, _, w in filters}
    nouns = {n for f in _FIELDS if f.name in used for n in f.nouns}
    row_stems = {_stem(x) for x in _ROW_NOUNS}
    for word in words:
        w = word.lower()
        if word in said or w in _COMMON or w in _ROW_NOUNS or w in nouns or _stem(w) in row_stems:
            continue
        if w in _STATUS_WORDS and any(f.name == "status" for f, _, _ in filters):
            continue  # "failed with a 500", "the most 404 errors": the status says which
        # Anything else may say more than the fields counted: another field, a word the lines
        # write ("curl"), a number no field holds ("500 bytes", "2022"), or a word they never
        # write ("bytes", "yesterday", "bots").
        return False
    return True
