"""Which value of a log's lines comes up most, or how many lines hold one, when the question
names the thing in its own words and the lines never do.

"Which system call shows up most often in this trace?" over `strace` output: no line writes
"system call", so no look could tell which part of a line is one, and the 1.5B root searched
"system" and answered `getxattr` from six lines that write `system.posix_acl_access`. Which
word of a line is "the system call" is a question of meaning, the kind of thing a sub-model is
for; counting them is code. So a sub-model is shown three of the text's typical lines and asked
which word of each is the thing asked for (`ColumnAsk`); when it names, on every line it read,
the word in the same place (the same whitespace column, after the same punctuation), that place
is counted over every line with code (`column_counted`), and the look shows the ranking and the
`count_by` call that gives it.

"How many media types does this file define?" over `mime.types` is the same reading, counted:
the lines whose place holds one (or, for "how many different", the values there).

It abstains whenever the question may say more than "which X comes up most": a word of it that
the text writes on some lines only (a filter: "which client *published* most"), a word the text
does not write that is neither the thing asked for, nor a ranking word, nor an empty verb
("shows up", "appears"), a qualifier, a date, a place below the first; and whenever the
sub-model's words are not in one place on every line it read, the place gives no value on half
the text's lines, or two values tie at the top. A count abstains too when the lines write the
counted thing's name, or a word that says which of them, on more than a few lines: then it is a
value to filter by ("how many upgrades", "how many video types").

It knows no log format: lines split at spaces.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from recursor.look_counts import ranked, says_more
from recursor.question import SUPERLATIVE, TOKEN, asking_part
from recursor.sandbox.helpers import _STOP as _ENGLISH
from recursor.sandbox.helpers import _stem_rx

__all__ = ["COLUMN_TOKENS", "DOING_VERBS", "EMPTY_VERBS", "IRREGULAR_VERBS", "ColumnAsk", "ColumnCount", "column_ask",
           "column_counted", "sample_lines"]

COLUMN_TOKENS = 24
"""The sub-model's reply: one word of a line."""
_LEAST_LINES = 50
"""Lines a text needs for a ranking of its values to mean anything."""
_READ_UP_TO = 20_000_000
"""Characters read: one pass of a regex per line, well under a second at this size."""
_SAMPLES = 3
_SHARE = 0.5
"""Of the text's non-blank lines, the share the column must give a value on: else it is one
kind of line's column, and the ranking would be of those lines only."""
_ALIKE = 0.9
"""Of the values counted, the share that must start as the sub-model's words do (a letter, a
digit): in a log of free messages a place holds a client's name on one kind of line and a
message's word on another."""
_WHICH = re.compile(r"\b(?:which|what)\s+(?P<noun>(?:[A-Za-z][\w-]*\s+){0,2}[A-Za-z][\w-]*)", re.IGNORECASE)
_HOW_MANY = re.compile(r"\bhow\s+many\s+(?:(?P<distinct>different|distinct|unique)\s+)?"
                       r"(?P<noun>(?:[A-Za-z][\w-]*\s+){0,2}[A-Za-z][\w-]*)", re.IGNORECASE)
_WHETHER = re.compile(r",?\s*\bwhether\s+or\s+not\b(?:(?!\b(?:and|but|only|except|yet)\b)[^,;?.])*", re.IGNORECASE)
"""A clause that says what not to filter by ("whether or not it maps to any extension"), up
to a word that adds a condition ("... and only counting those under video" is kept)."""
_DISTINCT = re.compile(r"(?<=\bhow many )(?:different|distinct|unique)\b", re.IGNORECASE)
""""How many different X": a count of values, which `says_more` would read as a qualifier."""
_NAMED_SHARE = 0.05
"""Of a text's lines, the share that may write the counted thing's own name: on more, the
name is a value its lines are filtered by ("how many upgrades": dpkg's `upgrade`), and a
count of the lines that fill a place would count them all."""
_NOT_THINGS = frozenset("times time of".split())
"""What "how many" counts that is no value of a line: "how many times" counts events, "how
many of" a part."""
_CALL_REST = re.compile(r"[(,=;\[{]")
"""Where a copied word ends: a call's `(`, an argument's `,`, a key's `=`."""
_RANKED_BY_COUNT = re.compile(r"\b(?:most|fewest|least)\s+(?:often|frequently|commonly|times)\b"
                              r"|\b(?:most|fewest|least)\s+(?:[\w-]+\s+)?[\w-]+s\b(?!\s+(?:is|are|was|were)\b)",
                              re.IGNORECASE)
"""A ranking by how often: "most often", "the most library calls" (a plural counted), not
"the most expensive"."""
_CONDITION_AFTER = re.compile(
    r"\b(?:among|in|during|within|before|after|since|until|between|for|from|with|without|by|that|which|who|where|"
    r"when|whose)\b(?!\s+(?:this|the|its|that)\s+(?:log|logs|file|files|text|document|trace|output|listing)\b)",
    re.IGNORECASE)
_EVENTS = re.compile(r"(?:error|fail|warn|problem|denied|deny|reject|refus|timeout|timed|crash|retr|drop|abort|"
                     r"kill|block|slow|expensive|cost|late|miss)", re.IGNORECASE)
"""Words for what happens on some lines only ("the most errors", "the most failures"): never
the thing every line is, so never skipped as the thing counted."""
_RANKING = re.compile(r"\b(?:most|fewest|least)\b(?:\s+(?:often|frequently|commonly))?", re.IGNORECASE)
EMPTY_VERBS = frozenset(
    "show shows showed shown appear appears appeared occur occurs occurred come comes came turn turns turned up "
    "is are was were has have had get gets got see sees saw seen used use uses happen happens happened".split())
"""Verbs that say only that a value is there: "shows up", "appears", "occurs", "was used"."""
DOING_VERBS = frozenset("made make makes sent send sends issued issue issues produced produce produces "
                        "generated generate generates define defines defined list lists listed contain contains "
                        "hold holds describe describes document documents".split())
"""Verbs by which a value does the thing counted ("which process made the most library calls"):
empty when the text does not write that thing, since then every line is one; when it does,
its word picks lines and the question is not ranked."""
_HOW_COUNTED = frozenset("count counts counting counted times often frequently commonly number once each every "
                         "occurrence occurrences mention mentions mentioned total altogether all entry entries "
                         "record records item items".split())
"""Words that say how the ranking counts ("counting each call once", "most often")."""
_THE_TEXT = frozenset("log logs file files text document trace traces output listing".split())
"""Words for the text itself ("in this trace")."""
IRREGULAR_VERBS = frozenset("sent made took gave ran wrote got put kept left lost read said told found held brought "
                       "sold bought built spent won began did".split())
"""Verbs in the past whose form does not end in "-ed": "which client sent the most"."""
_DETERMINERS = frozenset("the a an most fewest least more its their".split())
"""What follows a verb, not a noun: "which client sends *the* most", "which type holds *most*"."""
_SHOWS_UP = re.compile(r"\b(shows?|showed|shown|turns?|turned|comes?|came)\s+up\b", re.IGNORECASE)
_PLAIN = re.compile(r",?\s*\bcount(?:ing|ed)?\s+(?:each|every|all)\s+(?:the\s+)?[\w-]+(?:\s+once)?"
                    r"(?=\s*(?:[,;?.]|$))", re.IGNORECASE)
"""How a count says each value counts ("counting each call once", "counting every entry"),
which `says_more` would read as a qualifier ("once", "every"), as it reads the "up" of "shows up"."""
_ASIDE = re.compile(r"\(\s*(?:give|answer|reply|name|as|by|i\.e\.|e\.g\.)\b[^()]{0,60}\)", re.IGNORECASE)
"""An aside on the answer's form ("(give its pid)"), which picks no lines."""
_STOP = frozenset("a an the this these that of in on at to by for from with and or it its be been being do does did "
                  "which what whose there here".split())


@dataclass(frozen=True, slots=True)
class ColumnAsk:
    """What a sub-model is asked: which word of each of `lines` is the `noun`."""

    noun: str
    lines: tuple[str, ...]
    kind: str = "rank"
    """"rank": which value comes up most (or least); "count": how many lines write one;
    "distinct": how many different values they write."""


@dataclass(frozen=True, slots=True)
class ColumnCount:
    """The ranking: the rows the look shows, and the top value (`counted`)."""

    rows: tuple[str, ...]
    counted: str


def _noun(asking: str, rx: re.Pattern[str] = _WHICH) -> str | None:
    """The thing asked for, as the question writes it: "system call" of "Which system call
    shows up most often" (or of "How many system calls ..." with `_HOW_MANY`), up to the
    first verb or stop-word (a word ending in "-ed", an empty verb, "was")."""
    m = rx.search(asking)
    if m is None:
        return None
    words: list[str] = []
    said = m.group("noun").split()
    after = asking[m.end():].split()
    for i, word in enumerate(said):
        low = word.lower()
        following = (said[i + 1:] + after[:1])[:1]
        verb = bool(words) and (low.endswith("ed") or low in IRREGULAR_VERBS or (
            low.endswith("s") and not low.endswith("ss") and following and following[0].lower() in _DETERMINERS))
        if low in _STOP or low in EMPTY_VERBS or verb or _RANKING.fullmatch(low):
            break
        words.append(word)
    return " ".join(words) or None


def _written(text: str, word: str) -> bool:
    """Whether the text writes `word` in any of its forms ("queries": `query[A]`)."""
    forms = [word] + ([word[:-3] + "y"] if word.lower().endswith("ies") else [])
    return any(_stem_rx(form).search(text) for form in forms)


def _plain(text: str) -> str:
    """`text` without what says how to count and what not to filter by, which `says_more`
    reads as qualifiers: "shows up", "counting each call once", "whether or not ...", "(give
    its pid)"."""
    return _ASIDE.sub(" ", _PLAIN.sub(" ", _SHOWS_UP.sub(" shows ", _WHETHER.sub(" ", text))))


def column_ask(text: str, question: str) -> ColumnAsk | None:
    """The sub-model's question for a text of many lines and a question that asks only which
    value comes up most (or least); None when the question may say more (see the module)."""
    asking = _plain(asking_part(question))
    if len(text) > _READ_UP_TO:
        return None
    counted = _HOW_MANY.search(asking)
    if SUPERLATIVE.search(asking) and (ranking := _RANKING.search(asking)):
        kind, noun = "rank", _noun(asking)
    elif counted is not None and counted.group("noun").split()[0].lower() not in _NOT_THINGS:
        kind, noun, ranking = "distinct" if counted.group("distinct") else "count", _noun(asking, _HOW_MANY), counted
    else:
        return None
    asking = _DISTINCT.sub(" ", asking)  # "different" is no qualifier of a count of different values
    if noun is None or says_more(asking, _DISTINCT.sub(" ", _plain(question))):
        return None
    rows = [line for line in text.splitlines() if line.strip()]
    if len(rows) < _LEAST_LINES:
        return None
    if kind == "rank" and not _RANKED_BY_COUNT.search(asking):
        return None  # "the most expensive": a ranking by something else than how often
    # After the thing counted, a preposition starts a condition ("most often among successful
    # calls", "in the first half of the trace"); the text itself ("in this trace") is none.
    after_counted = _CONDITION_AFTER.search(asking, ranking.end()) if kind == "rank" else None
    noun_words = {w.lower() for w in noun.split()}
    for m in TOKEN.finditer(asking):
        low = m.group(0).lower()
        if (low in noun_words or low in _ENGLISH or low in _HOW_COUNTED or low in _THE_TEXT  # _ENGLISH holds _STOP
                or _RANKING.fullmatch(low)):
            continue
        if (low in EMPTY_VERBS or low in DOING_VERBS) and (kind != "rank" or m.start() < ranking.start()):
            continue  # "which call shows up most", "how many types does it define": says only that it is there
        if (kind == "rank" and m.start() > ranking.end() and not _written(text, m.group(0))
                and m.start() < (after_counted.start() if after_counted else len(asking))
                and not _EVENTS.match(low)):
            continue  # the thing counted, in words the text does not write ("the most library calls")
        return None  # a word that may pick lines, or one that may mean something the text writes
    noun = noun if kind == "rank" else _singular(noun)
    for name in [noun, *noun.split()[:-1]]:  # the thing, and each word that says which of them
        rx = _stem_rx(name)
        if sum(1 for r in rows if rx.search(r)) > _NAMED_SHARE * len(rows):
            return None  # "how many upgrades" of a log writing `upgrade`, "how many video types": values to filter by
    return ColumnAsk(noun, sample_lines(rows), kind)


def _singular(noun: str) -> str:
    """"media type" of "media types": what one line writes."""
    *first, last = noun.split()
    low = last.lower()
    if low.endswith("ies") and len(low) > 4:
        last = last[:-3] + "y"
    elif low.endswith(("sses", "xes", "ches", "shes")):
        last = last[:-2]
    elif low.endswith("s") and not low.endswith(("ss", "us", "is")):
        last = last[:-1]
    return " ".join([*first, last])


def _shape(line: str, columns: int = 4) -> tuple[str, ...]:
    """How a line's first columns start: a letter, a digit or another character."""
    return tuple("a" if c[0].isalpha() else "9" if c[0].isdigit() else c[0] for c in line.split()[:max(columns, 4)])


def sample_lines(rows: list[str]) -> tuple[str, ...]:
    """Three of the lines of the most common shape, spread over the text: the text's typical
    lines, not its banner or its odd ones."""
    shapes = Counter(_shape(r) for r in rows)
    common = shapes.most_common(1)[0][0]
    typical = [r for r in rows if _shape(r) == common]
    step = len(typical) / (_SAMPLES + 1)
    return tuple(typical[int(step * (i + 1))][:240] for i in range(_SAMPLES))


def _place(line: str, word: str) -> tuple[int, str, str] | None:
    """Where `word` is in `line`: its whitespace column, the punctuation before it in the
    column, and the characters other than letters and digits it writes (`127.0.0.23` of
    `127.0.0.23/45786` writes "."; its value ends at the "/").
    None when it is not at a column's start (after punctuation) or not a whole token there."""
    word = word.strip().strip("`'\"")
    if not word or any(ch.isspace() for ch in word):
        return None
    for k, col in enumerate(line.split()):
        lead = re.match(r"[^\w\s]*", col)
        prefix = lead.group(0) if lead else ""
        rest = col[len(prefix):]
        if not rest.startswith(word):
            continue
        marks = "".join(sorted({ch for ch in word if not (ch.isalnum() or ch == "_")}))
        after = rest[len(word):]
        if after and re.match(f"[{_chars(marks)}]", after):
            continue  # inside a longer value
        return k, prefix, marks
    return None


def _chars(marks: str) -> str:
    """A regex class's inside: letters, digits and `marks`."""
    return "\\w" + "".join(re.escape(ch) for ch in sorted(set(marks)))


def _kind(value: str) -> str:
    return "a" if value[:1].isalpha() else "9" if value[:1].isdigit() else "."


def _pattern(k: int, prefix: str, chars: str) -> str:
    skip = rf"(?:\S+\s+){{{k}}}" if k else ""
    return rf"^\s*{skip}{re.escape(prefix)}([{chars}]+)"


def column_counted(text: str, question: str, ask: ColumnAsk, replies: list[str]) -> ColumnCount | None:
    """The ranking of the place the sub-model's `replies` (one per line of `ask.lines`, NONE
    for none) name, counted over every line; None unless the lines it read put the word in
    one place, that place gives a value on half the lines, and one value ranks first."""
    places: set[tuple[int, str]] = set()
    marks = ""  # the characters other than letters and digits the values write, all of them
    cut = [_CALL_REST.split(r.strip(), maxsplit=1)[0] for r in replies]  # `read(8,` names `read`
    read = [(line, reply) for line, reply in zip(ask.lines, cut, strict=False) if reply.strip().upper() not in ("", "NONE")]
    for line, reply in read:
        place = _place(line, reply)
        if place is None:
            return None  # a word the line does not write at a column's start: no place to count
        places.add(place[:2])
        marks += place[2]
    if len(places) != 1 or len(read) < 2:
        return None
    k, prefix = places.pop()
    rx = _pattern(k, prefix, _chars(marks))
    compiled = re.compile(rx)
    rows = [line for line in text.splitlines() if line.strip()]
    # Only lines laid out as the lines read, up to the place: strace writes `[pid 16627]` before
    # a child's calls and nothing before the main process's, so column 3 is a call on one kind
    # and a flag on the other.
    before = {_shape(line, k)[:k] for line in ask.lines}
    counts = Counter(m.group(1) for line in rows if _shape(line, k)[:k] in before and (m := compiled.match(line)))
    total = sum(counts.values())
    if total < _SHARE * len(rows) or len(counts) < 2:
        return None
    kinds = {_kind(reply.strip().strip("`'\"")) for _, reply in read}
    if len(kinds) != 1 or sum(n for v, n in counts.items() if _kind(v) in kinds) < _ALIKE * total:
        return None  # a place that holds other things on other lines (a message's words)
    said = f"Each line's {ask.noun}, as a sub-model read it in {len(ask.lines)} lines (column {k} counted from 0)"
    if ask.kind != "rank":
        if ask.kind == "count" and total != len(counts):
            return None  # a thing on two lines (`/etc/services`' tcp and udp): lines are not things
        value = total if ask.kind == "count" else len(counts)
        return ColumnCount((f"{said}: {total:,} lines write one, {len(counts):,} different values. "
                            f"count_by(lines(), r'{rx}') counts them.",), str(value))
    top = ranked(dict(counts), asking_part(question))
    if top is None or not top.top:
        return None  # a tie at the top: nothing ranks
    return ColumnCount((f"{said}, over the {total:,} lines that write one: {top.told}. "
                        f"count_by(lines(), r'{rx}') counts them.",), top.top)
