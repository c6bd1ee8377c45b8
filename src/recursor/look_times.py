"""The first look's count of a log's lines in a window of the day ("from 06:32:00 through 06:32:05").

Asked how many responses a crawler logged from 06:32:00 through 06:32:05, the 1.5B was shown
the lines holding each of the two times and counted neither window nor responses. A window of
the day is one pass over the lines' own times; what is counted in it is often one kind of its
lines ("Crawled (200)" beside "Scraped from"), so the window's lines are told by kind
(`line_kinds`), each counted, and the call that gives them is `in_dates` with the two times.

General: any log whose lines start with a time of day; the window is read from the question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from recursor.line_kinds import cut_line, kinds, kinds_told
from recursor.question import COUNT_ASKED, asking_part, counted_verb
from recursor.sandbox.helpers import _stem_rx, _time_of, _word_rx, in_dates
from recursor.short_forms import short_form_rx, short_forms
from recursor.synonyms import synonyms

__all__ = ["TimesLook", "times_look", "window_asked"]

_TIME = r"(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?"
_WINDOW = re.compile(rf"\b(?:from|between)\s+(?P<a>{_TIME})\s+(?:to|through|thru|until|till|and)\s+(?P<b>{_TIME})"
                     r"(?![\d:])", re.IGNORECASE)
"""Two times of day that bound a window: "from 06:32:00 through 06:32:05", "between 14:00 and 14:15"."""
_BEFORE_END = re.compile(rf"\bfrom\s+(?P<a>{_TIME})\s*,?\s+(?:(?:up\s+)?(?:to|until|till)\s*,?\s+but\s+not\s+(?:including|"
                         rf"counting)|(?:and\s+|up\s+)?(?:to\s+)?(?:before|until\s+before))\s*,?\s+(?P<b>{_TIME})(?![\d:])",
                         re.IGNORECASE)
"""A window whose end is left out: "from 03:48:00 up to, but not including, 03:50:00", "from
03:48:00, before 03:50:00". Read first: "between 03:48 and 03:50 (from 03:48, before 03:50)"
says which end the "and" meant."""
_JUST = frozenset("were was are is did do does got get had have has been the a an in of this that log file "
                   "there total altogether all new to on server system site host machine service successfully".split())
"""Words that say only that the things were there: a count's plain words, and the place every
line of a log is about ("uploaded to the server")."""
_VERB_KINDS = 4
"""The most kinds of line holding the count's verb told one by one."""
_SAME_LEAST = 5
"""Lines each of several kinds of the verb's must have, all as many, to be one event logged by each."""
_SAME_SHARE = 0.8
"""The share of the verb's lines such kinds must hold together."""
_QUOTED = re.compile(r""""[^"\n]*"|(?<!\w)'[^'\n]*'|`[^`\n]*`""")
"""Quoted text in a line: what a client sent or a user typed, not the program's words."""
_WINDOW_WORDS = re.compile(rf"\b(?:from|between|to|through|thru|until|till|and|up|but|not|including|counting|before|"
                           rf"{_TIME})\b[,]?", re.IGNORECASE)
_WINDOW_KINDS = 8
"""Kinds of a window's lines told one by one: what is counted there is one of them, named in
the question's words or not ("uploaded" of an FTP server's `STOR` lines, its 6th kind)."""
_READ_UP_TO = 8_000_000
_TIMED_SHARE = 0.5
"""The share of a text's lines that must start with a time of day for it to be read as a log."""
_MANY_TIMED, _ORDERED = 100, 0.95
"""So many timed lines, this share of them no earlier than the line before, make a log at any
share of the text's lines: its messages may each run over several untimed lines."""


@dataclass(frozen=True, slots=True)
class TimesLook:
    """The rows telling a window's lines, the call the root may start from, and the count the
    look computed ("" when it computed none the question asks). `start` is at least the
    window's own lines: its two ends are no words to search (a line holding "11:21:30" is
    one second of the window; the 1.5B, told to search them, counted those)."""

    rows: list[str]
    start: str
    counted: str = ""


def times_look(text: str, question: str, width: int) -> TimesLook | None:
    """`_lines_look`, and when it computed no count, the window's records whose untimed lines
    write what is counted (`_records_look`): a traceback's last line has no time of its own."""
    look = _lines_look(text, question, width)
    if look is None or look.counted:
        return look
    told = _records_look(text, question, width)
    return look if told is None else TimesLook(look.rows + told[0], look.start, told[1])


def _lines_look(text: str, question: str, width: int) -> TimesLook | None:
    """For a question that counts over a window of the day, how many of the log's timed lines
    are in it, the call that gives them, and their kinds; None for a question that names no
    window, a text too long, or one whose lines mostly carry no time of day. When the count's
    verb ("how many rides were started") is on the window's lines of one kind only, those
    lines' call is the start and their count what the look computed: shown the window's
    kinds, the 1.5B still searched the two times and the verb on one line."""
    asking = asking_part(question)
    m = _window_counted(question, asking)
    if m is None or len(text) > _READ_UP_TO:
        return None
    lines = [line for line in text.split("\n") if line.strip()]
    seconds = [(line, t) for line in lines if (t := _time_of(line)) is not None]
    timed = [line for line, _ in seconds]
    if not timed or (len(timed) < _TIMED_SHARE * len(lines) and not _in_order([t for _, t in seconds])):
        return None  # not a log; one whose messages run over untimed lines (a DNS server's dumps) is one
    a, b = _ends(m)
    inside = in_dates(timed, a, b)
    rows = [f"{len(inside):,} of its {len(timed):,} timed lines are from {a} through {b} "
            f"(in_dates(lines(), {a!r}, {b!r}) gives them)."]
    rows += kinds_told("", inside, width, about="They are", shown=_WINDOW_KINDS)
    window = f"in_dates(lines(), {a!r}, {b!r})"
    verb = counted_verb(asking)
    noun = None if verb is None else _counted_noun(asking, m, verb)
    if verb is None:
        return TimesLook(rows, window)
    # The program's own words: a verb inside quoted text is a payload's (a client's JSON
    # `{"type": "open"}`), not the event the line logs; a JSON log's message is its own.
    bare = {line: line if line[:1] == "{" else _QUOTED.sub(lambda q: " " * len(q.group(0)), line) for line in inside}
    written, rx, held = _verb_lines(inside, bare, verb)
    if noun is None:
        # "did the lab refuse when they arrived": what else the question says is not read
        # here; the verb's lines in the window are told when they are of one kind.
        if held and len(kinds([line[:hit.end()] for line in held if (hit := rx.search(bare[line]))])[0]) == 1:
            named = f"{written!r} (the question's {verb!r})" if written != verb else repr(verb)
            rows.append(f"{len(held):,} of them, all of one kind, write {named}; the question's other words "
                        f"may keep fewer.")
        return TimesLook(rows, window)
    # One kind of line up to the verb: "INFO: stored tmp-101 #9: 27.7 C in Server Room" is
    # one event whatever room ends it. Of a few kinds, each is told: which is the event asked
    # ("stored", not "already stored" nor the room "Cold Store") is the root's to judge.
    # A word of the noun before its last selects lines when some of the verb's lines write it
    # and others do not ("PNG images were stored"); one on none or all of them says nothing
    # ("WebSocket connections": on none of the `connection open` lines).
    if not held or any(0 < _holding(w, held) < len(held) for w in noun[:-1]):
        return TimesLook(rows, window)
    # The lines that write the counted noun too, when some do: "connections were opened" are
    # the `connection open` lines, not a lot's "opened" ones.
    if noun and (with_noun := [line for line in held if _stem_rx(noun[-1]).search(line)]):
        held = with_noun
    heads = [line[:hit.end()] for line in held if (hit := rx.search(bare[line]))]
    counts, example = kinds(heads)
    named = f"{written!r} (the question's {verb!r})" if written != verb else repr(verb)
    if len(counts) != 1:
        if len(counts) <= _VERB_KINDS:
            first = {example[k]: next(line for line, head in zip(held, heads, strict=True) if head == example[k])
                     for k in counts}
            rows.append(f"{len(held):,} of them write {named}, in {len(counts)} kinds of line (up to it):")
            rows += [f"  {n:,} like: {cut_line(first[example[k]], width)}" for k, n in counts.most_common()]
            big = [n for n in counts.values() if n >= _SAME_LEAST]
            if (len(big) >= 2 and len(set(big)) == 1 and sum(big) >= _SAME_SHARE * len(held)
                    and _paired([[line for line, head in zip(held, heads, strict=True) if head == example[k]]
                                 for k, n in counts.items() if n >= _SAME_LEAST])):
                # `= connection is OPEN` and `connection open`, 37 each (and 2 bids "below
                # opening"): one event that two of the program's statements log, once each.
                each = big[0]
                rows.append(f"Each kind has {each:,} lines: one event, logged once by each kind.")
                return TimesLook(rows, window, str(each))
        return TimesLook(rows, window)
    call = f"in_dates(lines(r'\\b{written}\\b'), {a!r}, {b!r})"  # the word whole, as counted: no "restarted"
    whole = re.compile(rf"\b{re.escape(written)}\b", re.IGNORECASE)
    if sum(1 for line in inside if whole.search(line)) != len(held):
        return TimesLook(rows, window)  # the call would give another number than the one counted
    rows.append(f"{len(held):,} of them, all of one kind, write {named}: {call} gives them.")
    return TimesLook(rows, call, str(len(held)))


def _verb_lines(inside: list[str], bare: dict[str, str], verb: str) -> tuple[str, re.Pattern[str], list[str]]:
    """The window's lines that write the count's verb, as written, or else its short form or
    another verb of its group the program writes ("uploaded" of an FTP server's `STOR` lines,
    "saved" of a hub's "stored"): the word as the lines write it, its pattern, and the lines."""
    written, rx = verb, _stem_rx(verb)
    held = [line for line in inside if rx.search(bare[line])]
    for other, other_rx in ([(f, short_form_rx(f)) for f in short_forms(verb)]
                            + [(f, _stem_rx(f)) for f in synonyms(verb)]) if not held else ():
        if held := [line for line in inside if other_rx.search(bare[line])]:
            forms = {hit.group(0) for line in held if (hit := other_rx.search(line))}
            written, rx = (forms.pop() if len(forms) == 1 else other), other_rx  # "stored", as written
            break
    return written, rx, held


def _records(lines: list[str]) -> list[list[str]]:
    """A log's records: each timed line with the untimed lines after it (a traceback, a dump)."""
    out: list[list[str]] = []
    for line in lines:
        if _time_of(line) is not None:
            out.append([line])
        elif out:
            out[-1].append(line)
    return out


_NOT_COUNTED_WORDS = frozenset("how many times time often number count total what which who for with from and but not "
                               "its their them they this these those whole over during within".split())
_RECORD_WORDS_LEAST = 2
"""The question's words an untimed line must write together for its records to be counted."""


def _records_look(text: str, question: str, width: int) -> tuple[list[str], str] | None:
    """The window's records (`_records`) whose untimed lines write the most of the question's
    words that any such line writes together, at least `_RECORD_WORDS_LEAST` of them ("did the
    music-licensing service fail to answer in time": `LicensingTimeout: licensing service did
    not answer within 8s` under an ERROR line), counted once a record; the rows telling them
    and the count, when their timed lines are of one kind. None when no untimed line writes
    so many of the words, or they are as often on timed lines (those are counted by kind)."""
    asking = asking_part(question)
    m = _window_counted(question, asking)
    if m is None:
        return None
    every = _records([line for line in text.split("\n") if line.strip()])
    records = [r for r in every if len(r) > 1]
    if not records:
        return None
    rest = asking.replace(m.group(0), " ") if m.group(0) in asking else _WINDOW_WORDS.sub(" ", asking)
    words = sorted({w.lower() for w in re.findall(r"[A-Za-z]{3,}", rest)} - _JUST - _NOT_COUNTED_WORDS)
    rxs = {w: _stem_rx(w) for w in words}
    held: dict[frozenset[str], int] = {}
    for record in records:
        for line in record[1:]:
            bare = _QUOTED.sub(" ", line) if not line.lstrip().startswith(("raise ", "throw ")) else line
            got = frozenset(w for w, rx in rxs.items() if rx.search(bare))
            if len(got) >= _RECORD_WORDS_LEAST:
                held[got] = held.get(got, 0) + 1
    if not held:
        return None
    most = max(len(g) for g in held)
    best = [g for g in held if len(g) == most]
    if len(best) != 1:
        return None  # two sets of as many words: which is the event is not read here
    wanted = best[0]
    on_timed = sum(1 for r in every if all(rxs[w].search(r[0]) for w in wanted))  # each record's timed line
    a, b = _ends(m)
    inside = [r for r in records if in_dates([r[0]], a, b)]
    kept = [r for r in inside if any(all(rxs[w].search(line) for w in wanted) for line in r[1:])]
    if on_timed >= held[wanted] or not kept:
        return None
    heads, _ = kinds([r[0] for r in kept])
    said = " and ".join(repr(w) for w in sorted(wanted))
    first = kept[0]
    line = next(x for x in first[1:] if all(rxs[w].search(x) for w in wanted))
    rows = [f"{len(kept):,} of the window's records (a timed line with the untimed lines under it) write {said} "
            f"together on an untimed line, each record counted once; the first:",
            f"  {cut_line(first[0], width)}", f"  {cut_line(line.strip(), width)}"]
    if len(heads) != 1:
        rows.append(f"Their timed lines are of {len(heads)} kinds.")
        return rows, ""
    return rows, str(len(kept))


def window_asked(question: str) -> tuple[str, str, str, str] | None:
    """The window of the day a counting question asks about: the two times as it writes them,
    and the first and last time in it ("before 03:50:00" is through 03:49:59); None for none."""
    m = _window_counted(question, asking_part(question))
    return None if m is None else (m.group("a"), m.group("b"), *_ends(m))


def _window_counted(question: str, asking: str) -> re.Match[str] | None:
    """The window of the day the question writes, when it counts (`asking`: its asking part);
    an end left out is read first ("between 03:48 and 03:50 (from 03:48, before 03:50)")."""
    m = _BEFORE_END.search(question) or _WINDOW.search(asking)
    return None if m is None or COUNT_ASKED.search(asking) is None else m


def _ends(window: re.Match[str]) -> tuple[str, str]:
    """The first and last time of a window the question writes: an end left out stops just before it."""
    a, b = window.group("a"), window.group("b")
    return (a, _just_before(b)) if window.re is _BEFORE_END else (a, b)


def _counted_noun(asking: str, window: re.Match[str], verb: str) -> list[str] | None:
    """The words of the noun a question counts in the window ("websocket", "connections"),
    before its auxiliary or verb, when it counts the verb's things and says nothing more:
    "how many rides were started from ... to ...", not "started by bob" nor "not started"
    (review); None else. Only a count's plain words may follow the verb."""
    rest = asking.replace(window.group(0), " ") if window.group(0) in asking else _WINDOW_WORDS.sub(" ", asking)
    words = [w.lower() for w in re.findall(r"[A-Za-z][\w'-]*", rest)]
    if words[:2] != ["how", "many"]:
        return None
    at = next((i for i, w in enumerate(words[2:], 2) if w in _AUXILIARIES or w == verb.lower()), len(words))
    if any(w not in _JUST and w != verb.lower() for w in words[at:]):
        return None
    return [w for w in words[2:at] if w not in _JUST]


def _paired(groups: list[list[str]]) -> bool:
    """Whether lines of several kinds, as many of each, are one event each kind logs: the
    n-th of each kind in time are written within `_PAIRED_SECONDS` of each other. Two
    services' uploads, 6 each at other times, are 12 uploads."""
    times = [sorted(t for line in group if (t := _time_of(line)) is not None) for group in groups]
    if any(len(t) != len(group) for t, group in zip(times, groups, strict=True)):
        return False
    return all(max(moment) - min(moment) <= _PAIRED_SECONDS for moment in zip(*times, strict=True))


_PAIRED_SECONDS = 1
"""How far apart in time one event's lines of two kinds may be written."""


def _holding(word: str, lines: list[str]) -> int:
    """How many of `lines` write `word` whole, in any case."""
    rx = _word_rx(word)
    return sum(1 for line in lines if rx.search(line))


_AUXILIARIES = frozenset("were was are is did do does got get had have has been".split())


def _just_before(time: str) -> str:
    """The last time written as precisely as `time` that comes before it: "03:49:59" before
    "03:50:00", "03:49" before "03:50" (a minute covers its seconds); "23:59:59" before
    "00:00:00", the day before's."""
    parts = [int(p) for p in time.split(":")]
    unit = 60 if len(parts) == 2 else 1
    seconds = (parts[0] * 3600 + parts[1] * 60 + (parts[2] if len(parts) == 3 else 0) - unit) % 86_400
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if len(parts) == 3 else "")


def _in_order(seconds: list[int]) -> bool:
    """Whether so many times of day (`_MANY_TIMED`) follow each other in order (`_ORDERED` of
    them no earlier than the one before; a day's turn at midnight aside): a log's stamps."""
    if len(seconds) < _MANY_TIMED:
        return False
    kept = sum(1 for a, b in pairwise(seconds) if b >= a or a - b > 12 * 3600)
    return kept >= _ORDERED * (len(seconds) - 1)
