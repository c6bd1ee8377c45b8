"""The first look's reading of a text's dates: its last entry for a question about the last
(or, newest first, the oldest), and the span between its earliest and latest record dates for
a question about how long it covers.

A look shows a text's first lines; what a question about time asks is often at its other end,
or between its ends. Dates are read near each line's start (`_DATE_AT`), where logs, changelogs
and release notes write them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from datetime import date
from itertools import pairwise

from recursor.sandbox.helpers import _TIME_OF_DAY, Entry, _seconds, layout_records, to_date

__all__ = ["date_span", "days_between", "ending_entry"]


_LAST_ASKED = re.compile(r"\b(?:last|latest|final|newest|most\s+recent(?:ly)?)\b", re.IGNORECASE)
"""A question about the last of something in time."""
_OLDEST_ASKED = re.compile(r"\b(?:oldest|earliest)\b", re.IGNORECASE)
"""A question about the first of something in time (not "first": "the first line", "first appeared")."""
_END_READ = 65_536
"""Characters read at each end of the text for its first and last dates and its last entry."""
_DATE_AT = 80
"""Characters of a line read for its date."""
_DATED_READ = 200
"""Dated lines read at each end of the text to tell its order."""
_IN_ORDER = 0.9
"""The share of consecutive dates that must run the text's way at each end."""
_END_LINES = 8
"""An entry longer than this is shown by its last lines."""
_FILLED_LINE = re.compile(r"[^\n]*\S[^\n]*")
"""A line that is not blank."""


def ending_entry(text: str, asking: str, width: int) -> tuple[list[str], list[tuple[int, int]]]:
    """The text's last entry, when the question asks for the end in time that is written
    there: the last of something in a text written in time order (a log), the oldest in one
    written newest first (a changelog). The text's first lines are shown, its last ones were
    not, and asked when the last apt command ran, the 1.5B answered the first run's date.
    Order is told by the dated lines at both ends: nearly all (`_IN_ORDER`) of each end's
    consecutive dates must run one way, and the first must be older (or newer) than the last;
    a listing sorted by name, or a report headed by the day it was made, has no order. A long
    entry is shown by its last lines."""
    last_asked, oldest_asked = _LAST_ASKED.search(asking), _OLDEST_ASKED.search(asking)
    if not (last_asked or oldest_asked) or (last_asked and oldest_asked):
        return [], []
    lo = text.find("\n", max(0, len(text) - _END_READ)) + 1 if len(text) > _END_READ else 0
    # A line's own date is near its start (a log's stamp, a sign-off's); one deep in a long line is
    # often a version read as a date ("2.14.1" of a package list).
    head = [d for line in text[:_END_READ].split("\n")[:_DATED_READ * 4] if (d := to_date(line[:_DATE_AT])) is not None]
    tail = [d for line in text[lo:].split("\n")[-_DATED_READ * 4:] if (d := to_date(line[:_DATE_AT])) is not None]
    if len(head) < 2 or len(tail) < 2 or head[0] == tail[-1] or (head[0] < tail[-1]) != bool(last_asked):
        return [], []
    rising = head[0] < tail[-1]
    for dates in (head[:_DATED_READ], tail[-_DATED_READ:]):
        steps = [b > a for a, b in pairwise(dates) if a != b]
        if not steps or sum(step == rising for step in steps) < _IN_ORDER * len(steps):
            return [], []
    recs = layout_records(text, lo, len(text))
    spans = [m.span() for m in _FILLED_LINE.finditer(text, *recs[-1])] if recs else []
    entry = bool(spans) and len(spans) <= _END_LINES
    if not entry:
        spans = [m.span() for m in _FILLED_LINE.finditer(text, lo)][-3:]
    rows = [text[a:b].rstrip("\r") if b - a <= width else text[a:a + width - 3] + "..." for a, b in spans]
    title = "It ends with this entry:" if entry else "It ends with these lines:"
    return [title] + [f"{n}| {row}" for n, row in enumerate(rows, 1)], spans


_SPAN_ASKED = re.compile(
    r"\bhow\s+(?:long|many\s+(?P<unit>days|weeks|months|years|hours|minutes|seconds|milliseconds)\b(?!\s+of\b))",
    re.IGNORECASE)
"""A question asking how long, in some unit or none (not "how many days of the week")."""
_BOTH_ENDS = re.compile(
    r"\b(?:earliest|first|oldest)\b.*?\b(?:latest|last|final|newest|most\s+recent)\b"
    r"|\b(?:log|file|text|document|history|changelog|records?|entries|data)\b(?:\s+\w+){0,2}?\s+"
    r"(?:spans?|covers?|covered)\b",
    re.IGNORECASE)
"""Words for the whole of a text's time, between its first and last dates ("between the
earliest and the latest change", "from the oldest release to the newest", "how long does the
log cover"), not how long one thing in it took ("from start to finish"), nor what a policy
covers."""
_DIGIT = re.compile(r"\d")
"""What a line writes before its first digit is how its date is introduced."""
_DATE_WORDS = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*\b", re.IGNORECASE)
"""Month and weekday names: a date's own words, not how the line introduces it."""
_DATED_KIND = 0.1
"""A way of introducing dates that this share of dated lines shares is the records'."""
_SPAN_READ = 4_000_000
"""A text up to this size has every line's date read (~12 us a line); a longer one, its ends."""


_TIMED_SHARE = 0.5
"""Of a text's non-blank lines, the share that must start with a time for its span to be read."""
_SPAN_UNIT = re.compile(r"\b(?:in|how\s+many)\s+(?P<unit>milliseconds|ms|seconds|secs|minutes)\b", re.IGNORECASE)


_CONJOINED_ENDS = re.compile(r"\b(?:first|earliest|oldest)\s+(?:and|&)\s+(?:the\s+)?(?:last|latest|final|newest)\b",
                            re.IGNORECASE)
"""Both ends of one kind of line ("between the first and the last outage"): the words after
them pick the lines. "From the first recorded system call to the final process exit" names
each end in its own words: the whole run, from its first line to its last."""


_END_NOUN = re.compile(r"\b(?:first|earliest|oldest|last|latest|final|newest)\s+(?:recorded\s+|logged\s+)?([a-z][\w-]*)",
                       re.IGNORECASE)


def _ends_alike(asking: str) -> bool:
    """Whether both ends are of one kind of line: said together, or with one noun after each
    ("the first outage and the last outage")."""
    nouns = [m.group(1).lower() for m in _END_NOUN.finditer(asking)]
    return bool(_CONJOINED_ENDS.search(asking)) or (len(nouns) >= 2 and nouns[0] == nouns[-1])


_OUT_OF_ORDER = 1.0
"""Seconds a line's time may be before the line above's: `strace -f` writes a resumed call's
line after a later one."""
_MONTH_DAY = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b", re.IGNORECASE)
_KEYISH = re.compile(r"\d|[A-Z]{2,}|[-_.:/@]")
"""A word shaped like a key or a level: "worker-2", "10.0.0.5", "ERROR"."""
_TEXT_NOUNS = frozenset("line lines entry entries record records one ones row rows time times".split())


def _end_phrases(asking: str) -> list[str]:
    """The words naming each end, as one phrase: "ERROR" of "the first ERROR", "process exit"
    of "the final process exit" (up to two words, not a stop-word nor "line")."""
    out = []
    for m in re.finditer(r"\b(?:first|earliest|oldest|last|latest|final|newest)\b((?:\s+[\w.:/@-]+){1,3})", asking,
                         re.IGNORECASE):
        words = []
        for word in m.group(1).split():
            low = word.lower()
            if low in ("recorded", "logged", "seen", "written"):
                continue
            if low in _STOP_WORDS or low in _TEXT_NOUNS:
                break
            words.append(word)
            if len(words) == 2:
                break
        if words:
            out.append(" ".join(words))
    return out


_STOP_WORDS = frozenset("a an the and or to of in on at by for from with this that its their his her was were is are "
                        "did do does it".split())


def _clock(line: str) -> float | None:
    """The seconds of the day of a line's first time of day that writes its seconds, with their
    fraction, as a log stamps its lines (`helpers._TIME_OF_DAY`); None for none."""
    m = next((m for m in _TIME_OF_DAY.finditer(line[:_DATE_AT]) if m[3] is not None), None)
    if m is None:
        return None
    return _seconds(m) + (float("0." + m[4]) if m[4] else 0.0)


def _time_span(read: str, asking: str, words: list[str], whole: bool) -> tuple[list[str], str]:
    """The time between a log's first and last timed lines, for a text whose lines start with
    a time of day and carry no dates (or one date): "how long did the whole traced job take,
    from the first recorded system call to the final process exit, in milliseconds" over
    `strace -tt` output is its last stamp less its first. The value is offered in the unit
    the question asks (milliseconds rounded to a whole one, seconds as written to the
    millisecond); not when a question word narrows the lines ("the first and the last
    outage", `_CONJOINED_ENDS`) without being on the first or last of them, nor when the times
    run backwards (past midnight)."""
    if not whole:
        return [], ""  # its middle unread: a day may turn there
    rows = [(n, line) for n, line in enumerate(read.split("\n"), 1) if line.strip()]
    timed = [(t, n, line.lower()) for n, line in rows if (t := _clock(line)) is not None]
    if len(timed) < 2 or len(timed) < _TIMED_SHARE * len(rows):
        return [], ""
    (first, at_first, first_line), (last, at_last, last_line) = timed[0], timed[-1]
    if last <= first or any(b[0] < a[0] - _OUT_OF_ORDER for a, b in pairwise(timed)):
        return [], ""  # a day turned (23:59 to 00:00): times of day no longer tell the span
    days = {m.group(0).lower().split()[0] + m.group(0).split()[-1] for line in (first_line, last_line)
            if (m := _MONTH_DAY.search(line[:_DATE_AT]))}
    if len(days) > 1:
        return [], ""  # "Mar  3" and "Mar  4": other days
    # Words that pick lines: all of them when both ends are of one kind ("the first and the
    # last outage"), else the keys and capitals it names ("worker-2", "ERROR") and the words
    # naming each end ("the first ERROR", not "system call", which no line writes together).
    named = [w for w in words + re.findall(r"[\w.:/@-]+", asking) if _KEYISH.search(w.strip(".:"))]
    picking = [*(words if _ends_alike(asking) else []), *named, *_end_phrases(asking)]
    narrowing = []
    for word in dict.fromkeys(w.lower() for w in picking):
        holding = sum(word in line for *_, line in timed)
        if 0 < holding < len(timed) / 2 and not (word in first_line and word in last_line):
            narrowing.append(word)
    if narrowing:
        return _kind_span(timed, asking, narrowing, {w.lower() for w in named})
    seconds = last - first
    row = (f"Its first timed line is at {_stamp(first)} and its last at {_stamp(last)} (lines {at_first:,} and {at_last:,}): "
           f"{seconds:.6f} seconds apart ({seconds * 1000:,.3f} ms).")
    return [row], _in_asked_unit(seconds, asking)


def _kind_span(timed: list[tuple[float, int, str]], asking: str, narrowing: list[str],
               keys: set[str]) -> tuple[list[str], str]:
    """The time between the first and the last of one kind of line, for a question that asks
    it of both ends alike ("between the first and the last request that crashed with an
    unhandled exception (HTTP 500)", `_ends_alike`), when the question's words that pick some
    of the timed lines (`narrowing`, written whole on them) include a key (`keys`: "500",
    "ERROR") and every one of them picks lines whose first and last times agree: Tornado's
    `500 GET` line and its `Uncaught exception` line are stamped alike. Shown the 11 lines
    holding 500, the 1.5B subtracted one line from another as strings. ([], "") otherwise:
    words that pick lines of other times say the kind is not settled."""
    if not _ends_alike(asking) or not keys.intersection(narrowing):
        return [], ""
    ends = set()
    picked: list[tuple[float, int, str]] = []
    for word in narrowing:
        rx = re.compile(rf"(?<![\w.:/-]){re.escape(word)}(?![\w:/-]|\.\w)")
        picked = [row for row in timed if rx.search(row[2])]
        if len(picked) < 2:
            return [], ""
        ends.add((picked[0][0], picked[-1][0]))
    if len(ends) != 1:
        return [], ""
    (first, at_first, _), (last, at_last, _) = picked[0], picked[-1]
    seconds = last - first
    said = " and ".join(repr(w) for w in narrowing)
    row = (f"The first timed line holding {said} is at {_stamp(first)} and the last at {_stamp(last)} "
           f"(lines {at_first:,} and {at_last:,}): {seconds:.6f} seconds apart ({seconds * 1000:,.3f} ms).")
    return [row], _in_asked_unit(seconds, asking)


def _in_asked_unit(seconds: float, asking: str) -> str:
    """A span offered in the unit the question asks (milliseconds rounded to a whole one,
    seconds as written to the millisecond); "" for another unit or none."""
    unit = m.group("unit").lower() if (m := _SPAN_UNIT.search(asking)) else ""
    if unit in ("milliseconds", "ms"):
        return str(round(seconds * 1000))
    if unit in ("seconds", "secs"):
        return f"{seconds:.3f}".rstrip("0").rstrip(".")
    return ""


def _stamp(seconds: float) -> str:
    whole = int(seconds)
    fraction = f"{seconds - whole:.6f}"[1:].rstrip("0").rstrip(".")
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}{fraction}"


_BETWEEN_KEYS = re.compile(r"\bbetween\b(?P<first>[^?;]{0,80}?)\band\b(?P<second>[^?;]{0,80})", re.IGNORECASE)
_VERSION = re.compile(r"(?<![\w.-])\d+(?:\.\d+)+[a-z]?(?![\w-]|\.\d)")
"""A release's number as a question writes it: "1.11", "2.0.3" (not "automake-1.11")."""
_KEYS_READ = 4_000_000
_RELEASE_WORDS = frozenset("the a its release releases released version versions v tag tagged going by according to "
                           "entry entries date dates of was were came out".split())
_TITLE_LINES = 5
_TITLE_READ = 2_000
_NAME_WORDS = 3
"""A program's name in a question ("the GNU make 3.82 release") is taken when its words, three
at most, are in the text's first lines ("GNU make NEWS"); other words before a number name
another entry ("the zgrep fix that came before 1.12")."""
_SAYS_MORE = re.compile(r"\b(?:only|not|except|excluding|weekdays?|working|business|before|after|until|since|"
                        r"without|counting)\b|n't\b", re.IGNORECASE)
"""Words that make the days between two releases something else ("counting only weekdays")."""


def _number_rx(key: str) -> re.Pattern[str]:
    """A release's number written whole: "1.11", also "v1.11" as tags write it; not
    "automake-1.11" nor "1.11.2"."""
    return re.compile(rf"(?:(?<![\w.-])|(?<=(?<![\w.-])[vV])){re.escape(key)}(?![\w-]|\.\d)")


def _dated_record(text: str, recs: list[tuple[int, int]], key: str) -> tuple[date, int] | None:
    """The one date of the records that write `key` as a whole number, and the line it is first
    written on; None when none does, or records of two dates do."""
    rx = _number_rx(key)
    starts = [a for a, _ in recs]
    found: dict[date, int] = {}
    headed: dict[date, int] = {}  # the records whose first line writes it: "Version 3.82 (28 Jul 2010)"
    for m in rx.finditer(text):
        i = bisect_right(starts, m.start()) - 1
        if i < 0 or m.start() >= recs[i][1]:
            continue
        day = to_date(Entry(text[recs[i][0]:recs[i][1]]))
        if day is None:
            return None
        line = text.count("\n", 0, m.start()) + 1
        found.setdefault(day, line)
        if "\n" not in text[recs[i][0]:m.start()]:
            headed.setdefault(day, line)
    # A later release's notes name an earlier one ("introduced in GNU make 3.82" under 4.0): the
    # record headed by the number is its own.
    for dates in (found, headed):
        if len(dates) == 1:
            return next(iter(dates.items()))
    return None


def _dated_line(text: str, key: str) -> tuple[date, int] | None:
    """The one date written on the lines that write `key` as a whole number, and the first such
    line: a NEWS file's heading "Version 4.0 (09 Oct 2013)" stands alone above its notes, so
    no record holds both; None when no line, or lines of two dates, do."""
    rx = _number_rx(key)
    found: dict[date, int] = {}
    for m in rx.finditer(text):
        lo = text.rfind("\n", 0, m.start()) + 1
        hi = text.find("\n", m.end())
        if (day := to_date(text[lo:hi if hi >= 0 else len(text)])) is not None:
            found.setdefault(day, text.count("\n", 0, m.start()) + 1)
    return next(iter(found.items())) if len(found) == 1 else None


def days_between(text: str, asking: str) -> tuple[list[str], str]:
    """The days between the dated records of two releases a question names by number: "How
    many days passed between the gzip 1.11 release and the 1.12 release, going by the entry
    dates?" over a ChangeLog whose entries write `version 1.11` and `version 1.12` under their
    dates. Each number must be written, as a whole number (not `automake-1.11`), in records of
    one date; the days are offered for a question in days. ([], "") otherwise."""
    m = _SPAN_ASKED.search(asking)
    between = _BETWEEN_KEYS.search(asking)
    if m is None or between is None or len(text) > _KEYS_READ or _SAYS_MORE.search(asking):
        return [], ""
    found = [_VERSION.findall(between.group(part)) for part in ("first", "second")]
    keys = [each[0] for each in found if len(each) == 1]
    if len(keys) != 2 or keys[0] == keys[1]:
        return [], ""
    # Around each number only what names a release ("the gzip 1.11 release", "version 1.12"):
    # "the zgrep fix that came before 1.12" is another entry.
    # The program's name as the text's first lines write it may be two words ("GNU make").
    title = {w.lower() for w in re.findall(r"[A-Za-z][\w-]*", "\n".join(text[:_TITLE_READ].splitlines()[:_TITLE_LINES]))}
    for part in ("first", "second"):
        said = [w for w in re.findall(r"[A-Za-z][\w-]*", _VERSION.sub(" ", between.group(part)).split(",")[0])
                if w.lower() not in _RELEASE_WORDS]
        if len(said) > 1 and not (len(said) <= _NAME_WORDS and all(w.lower() in title for w in said)):
            return [], ""
    recs = layout_records(text)
    read = [(_dated_record(text, recs, key) if len(recs) >= 2 else None) or _dated_line(text, key) for key in keys]
    if read[0] is None or read[1] is None:
        return [], ""
    (one, at_one), (two, at_two) = read[0], read[1]
    days = abs((two - one).days)
    row = (f"The entry writing {keys[0]} (line {at_one:,}) is dated {one.isoformat()}, and the one writing "
           f"{keys[1]} (line {at_two:,}) {two.isoformat()}: {days:,} days apart.")
    return [row], str(days) if (m.group("unit") or "").lower() == "days" else ""


def date_span(text: str, asking: str, words: list[str]) -> tuple[list[str], str]:
    """The text's earliest and latest dates and the days between, for a question asking how
    long the text covers (`_SPAN_ASKED`, `_BOTH_ENDS`), and the days as what the look counted when it asks
    how many days. Each line's own date is near its start (`_DATE_AT`). Asked how many days
    passed between an alternatives log's earliest and latest change, the 1.5B summed the
    seconds of its times per date."""
    m = _SPAN_ASKED.search(asking)
    if m is None or _BOTH_ENDS.search(asking) is None:
        return [], ""
    read = text if len(text) <= _SPAN_READ else text[:_END_READ] + "\n" + text[-_END_READ:]
    dated = [(d, n, line, _DATE_WORDS.sub("", _DIGIT.split(line, maxsplit=1)[0]).strip().lower())
             for n, line in enumerate(read.split("\n"), 1) if (d := to_date(line[:_DATE_AT])) is not None]
    # The dates of the text's records are written alike ("* Noteworthy changes in release 9.1
    # (2022-04-15)"); a date in prose ("since 1970-01-01") is written otherwise, once.
    kinds = Counter(kind for *_, kind in dated)
    records = [(d, n, line.lower()) for d, n, line, kind in dated if kinds[kind] >= max(2, _DATED_KIND * len(dated))]
    if len(records) < 2:
        return _time_span(read, asking, words, read is text) if not dated else ([], "")
    if len({d for d, *_ in records}) == 1:
        return _time_span(read, asking, words, read is text)  # one day: its times tell the span
    # A word of the question on some of those lines but not most narrows it to them ("the first
    # and the last outage"): the text's own span is not what it asks.
    for word in words:
        holding = sum(word.lower() in line for *_, line in records)
        if 0 < holding < len(records) / 2:
            return [], ""
    dates = [(d, n) for d, n, _ in records]
    (first, at_first), (last, at_last) = min(dates), max(dates)
    if first == last:
        return _time_span(read, asking, words, read is text)
    where = f" (lines {at_first:,} and {at_last:,})" if read is text else ""
    days = (last - first).days
    row = (f"Its earliest date is {first.isoformat()} and its latest {last.isoformat()}{where}: "
           f"{days:,} days apart.")
    return [row], str(days) if (m.group("unit") or "").lower() == "days" else ""
