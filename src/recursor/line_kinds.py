"""The kinds of lines that hold a word: a log's lines grouped by their shape, each counted.

"How many client connections did the Redis server accept?" over a Redis log: "accept" is on
3,279 lines, 3,278 of them `- Accepted 127.0.0.1:54152` and one `* Ready to accept
connections`. "How many requests did nginx turn away over the rate limit?": "limit" is on 70
lines, 54 `http write filter limit 2097152`, 10 `limit_req[0]: 0 0.000` and 6 `[error]
limiting requests, excess: ...`. Told only how many lines hold the word, the 1.5B answered
that count (3,279 and 54); what it asked is one kind of those lines.

A line's shape is the line with what varies from one line of a kind to the next written as
`#`: numbers and anything with a digit in it (times, ids, addresses, versions), hexadecimal,
quoted text and paths. Lines of one shape were written by one statement of the program that
logged them (log template mining, as Drain does it, without its merging of near shapes).

General: it knows no log format, only what varies in a line.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

__all__ = ["cut_line", "kinds", "kinds_told", "line_shape", "names_in", "top_name"]

_VARIES = re.compile(
    r""""[^"\n]*"|(?<!\w)'[^'\n]*'|‘[^’\n]*’|“[^”\n]*”|`[^`\n]*`"""  # quoted text (not "can't")
    r"|(?<=\w=)[^\s,;]+"  # a key=value's value
    r"|(?<!\S)\S*/\S*"  # a path or an address
    r"|(?<![\w.:+~-])[\w.:+~-]*\d[\w.:+@~-]*"  # anything with a digit in it (a Debian `1.2~rc1`)
    r"|\b(?:Mon(?:day)?|Tue(?:sday)?|Wed(?:nesday)?|Thu(?:rsday)?|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?"
    r"|Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t|tember)?|Oct(?:ober)?"
    r"|Nov(?:ember)?|Dec(?:ember)?)\b"  # a date's names (not "Market", "Decimal")
)
_SPACES = re.compile(r"[ \t]+")
_SHAPED = 500
"""The characters of a line its shape is read from: a line's kind is told by its start, and a
long line (a CSV row, a paragraph) costs no more than that."""

KINDS_SHOWN = 4
"""Kinds of lines told of a word, the most frequent first; the rest are summed."""


def line_shape(line: str) -> str:
    """`line` with what varies between the lines of one kind written as `#`, spaces collapsed,
    and a name of capitalized words one word ("at Central Station" as "at Riverside"): a name
    of two words is then in the place of one, and the lines of a kind as many words. A JSON
    log's line keeps its message (`"message": "sample rejected at reception"`): there the
    event is a quoted value, which would otherwise vary like any other."""
    if line[:1] == "{" and (said := _json_message(line)) is not None:
        return f"{_SPACES.sub(' ', _VARIES.sub('#', said[0])).strip()} {{{' '.join(said[1])}}}"
    shape = _SPACES.sub(" ", _VARIES.sub("#", line[:_SHAPED])).strip()
    return _CAPITALIZED.sub(lambda m: m.group(0).replace(" ", _JOINED), shape) if " " in shape else shape


def _json_message(line: str) -> tuple[str, list[str]] | None:
    """A JSON log line's own message (under `message`, `msg`, `event` ...; not one nested in a
    field) and its keys; None for a line that is no JSON object or has no message."""
    try:
        value = json.loads(line) if len(line) <= _JSON_READ else None
    except ValueError:
        value = None
    if isinstance(value, dict):
        said = next((v for k in _MESSAGE_KEYS if isinstance(v := value.get(k), str) and v), None)
        return None if said is None else (said[:200], list(value))
    m = _JSON_MESSAGE.search(line[:_SHAPED])  # too long to parse, or cut: its first message key
    return None if m is None else (m.group(1), _JSON_KEY.findall(line[:_SHAPED]))


_MESSAGE_KEYS = ("message", "msg", "event", "event_type", "action")
_JSON_READ = 20_000
_JSON_MESSAGE = re.compile(r'"(?:message|msg|event|event_type|action)"\s*:\s*"([^"\\\n]{1,200})"')
"""The event a JSON log line writes, under the key structured loggers give it."""
_JSON_KEY = re.compile(r'"(\w{1,40})"\s*:')


_CAPITALIZED = re.compile(r"(?<=[a-z] )[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+(?: [A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+)+(?![\w.])")
"""Words each capitalized, two or more, after a word in lower case: one name ("at Central
Station", "in São Paulo"); not a message's first words ("User Bob logged in", review)."""
_JOINED = "\u00a0"
"""What joins a name's words in a line's shape: no space, so the name is one word there."""


def _merged(shapes: list[str], known: frozenset[str] = frozenset()) -> dict[str, str]:
    """The shapes that are one kind with another word in one place (a package's name, a
    function's), as that kind: shapes of as many words, alike but in one word that takes
    `_NAMES_LEAST` values or more there, or only words that are names elsewhere too
    (`_recurring`, among these shapes or `known` from more of the text's lines). A word of a
    few values (dpkg's `installed`, `unpacked`, `half-configured`) tells kinds apart, and is
    kept."""
    kind = _many_named(shapes)
    if names := _recurring(set(kind.values())) | known:
        kind = _merged_where(kind, lambda members, at: len(members) >= 2
                             and all(_bare(s.split(" ")[at]) in names for s in members))
    return {s: k for s, k in kind.items() if s != k}


def _many_named(shapes: Iterable[str]) -> dict[str, str]:
    """Each shape's kind, merged with the shapes alike but in one word of `_NAMES_LEAST`
    values or more."""
    return _merged_where({s: s for s in shapes}, lambda members, _: len(members) >= _NAMES_LEAST)


def _merged_where(kind: dict[str, str], merges: Callable[[set[str], int], bool]) -> dict[str, str]:
    """Each shape's `kind`, merged, word by word, with the kinds alike but in that word whose
    group `merges` (the group's kinds, the word's place) accepts."""
    for at in range(_WORDS_COMPARED):
        groups = _alike_but_at(set(kind.values()), at)
        into = {s: merged for merged, members in groups.items() if merges(members, at) for s in members}
        if into:
            kind = {s: into.get(k, k) for s, k in kind.items()}
    return kind


def _alike_but_at(shapes: set[str], at: int) -> dict[str, set[str]]:
    """The shapes that are alike but in their word `at`, by the shape with `#` there, in a
    fixed order (sorted: which shapes merge first must not vary from run to run)."""
    groups: dict[str, set[str]] = {}
    for s in sorted(shapes):
        words = s.split(" ", at + 1)  # the words up to `at`, and the rest as one
        if len(words) > at and words[at] != "#":
            groups.setdefault(" ".join([*words[:at], "#", *words[at + 1:]]), set()).add(s)
    return groups


def _recurring(shapes: set[str]) -> set[str]:
    """Words of a few values that are names: the same `_NAMES_SHARED` or more words vary in
    one place of two kinds of lines that are otherwise unlike (`order # placed by erin`, `user
    erin logged in`, `rejected order from erin`: five users each). A state's words vary in one
    statement's lines only (dpkg's `status installed`), and a level's are capitals (`ERROR`).
    Two words that vary together (`sent receipt mail to ana@x.org`, `sent welcome mail to
    dara@x.org`) say nothing of which is the name: lines alike but in one more word are not
    unlike."""
    if len(shapes) > _SHAPES_READ:
        return set()  # lines of so many shapes are no few statements' (review: 60k unique lines)
    sets: list[tuple[list[str], frozenset[str]]] = []
    for at in range(_WORDS_COMPARED):
        for merged, members in _alike_but_at(shapes, at).items():
            words = frozenset(_bare(s.split(" ")[at]) for s in members)
            if _NAMES_SHARED <= len(words) < _NAMES_LEAST and all(_NAME.fullmatch(w) for w in words):
                sets.append((merged.split(" "), words))
    names: set[str] = set()
    for i, (one, these) in enumerate(sets[:_SETS_COMPARED]):
        for other, those in sets[i + 1:_SETS_COMPARED]:
            shared = these & those
            if len(shared) >= _NAMES_SHARED and _unlike(one, other):
                names |= shared
    # A name is in three kinds of lines or more: a check's "ok", "failed", "timeout" may end two
    # statements, and stay kinds (review).
    return {w for w in names if _unlike_kinds([one for one, words in sets[:_SETS_COMPARED] if w in words]) >= _NAMED_KINDS}


def _unlike_kinds(shapes: list[list[str]]) -> int:
    """How many of `shapes` are unlike each other (`_unlike`), counted greedily: `health check
    for db returned #` and `... for cache returned #` are one statement's (review)."""
    kept: list[list[str]] = []
    for one in shapes:
        if all(_unlike(one, other) for other in kept):
            kept.append(one)
    return len(kept)


def _unlike(one: list[str], other: list[str]) -> bool:
    """Two shapes' words differ in two places or more (or in how many words they have)."""
    return len(one) != len(other) or sum(a != b for a, b in zip(one, other, strict=True)) >= 2


def _bare(word: str) -> str:
    """A word without the marks around it: `erin:` is the `erin` of another line."""
    return word.strip(_MARKS)


_MARKS = ".,:;!?()[]{}<>'\""
_WORDS_COMPARED = 24
"""A shape's first words that may be merged; a line's tail seldom says what kind it is."""
_NAMES_LEAST = 8
"""Values of one word, in shapes otherwise alike, that make it a name and the shapes one kind."""
_NAMES_SHARED = 3
"""Values that two unlike kinds of lines share in one place, that make them names."""
_NAMED_KINDS = 3
"""Kinds of lines a word must vary in to be a name."""
_NAME = re.compile(r"(?=[\w.@\u00a0-]*[a-z])\w[\w.@\u00a0-]*")
"""A word that may be a name: a plain word with a lowercase letter (no level's `ERROR`)."""
_SHAPES_READ = 5_000
"""Shapes read for recurring names, at most."""
_SETS_COMPARED = 400
"""Sets of a few words compared two by two, at most: a bound on the pairs of a text of many shapes."""


def kinds(lines: Iterable[str]) -> tuple[Counter[str], dict[str, str]]:
    """The kinds of `lines`, each with how many lines are of it and its first line."""
    counts, example, _ = _kinds_named(list(lines))
    return counts, example


def names_in(lines: Iterable[str]) -> frozenset[str]:
    """The few names that recur in unlike kinds of `lines` (`_recurring`): a text's lines
    around those a word is on, which may all be of one kind (`rejected order from carol`)."""
    return frozenset(_recurring(set(_many_named({line_shape(line) for line in lines}).values())))


def _kinds_named(lines: Sequence[str], known: frozenset[str] = frozenset()
                 ) -> tuple[Counter[str], dict[str, str], dict[str, Counter[str]]]:
    """`kinds`, and for each kind merged from shapes alike but for a name, how many of its
    lines write each name."""
    shapes = [line_shape(line) for line in lines]
    kind_of = _merged(list(dict.fromkeys(shapes)), known)
    counts: Counter[str] = Counter()
    example: dict[str, str] = {}
    named: dict[str, Counter[str]] = {}
    for line, shape in zip(lines, shapes, strict=True):
        kind = kind_of.get(shape, shape)
        counts[kind] += 1
        example.setdefault(kind, line)
        if kind != shape:
            name = " ".join(_bare(w) for w, k in zip(shape.split(" "), kind.split(" "), strict=False)
                            if k == "#" and w != "#")
            named.setdefault(kind, Counter())[name] += 1
    return counts, example, named


def _names_told(names: Counter[str] | None) -> str:
    """The names a kind's lines write, each counted, when they are a few (`_NAMES_LEAST`):
    "whose orders were rejected most" is read from them."""
    if not names or not 2 <= len(names) < _NAMES_LEAST:
        return ""
    return " (of them: " + ", ".join(f"{name.replace(_JOINED, ' ')} {n:,}" for name, n in names.most_common()) + ")"


def top_name(lines: Iterable[str], names: frozenset[str] = frozenset()) -> str:
    """The name most of `lines` write, when they are all of one kind merged by a few names
    (`_recurring`, or `names` known from more of the text) and one name leads alone; "" else."""
    counts, _, named = _kinds_named(list(lines), names)
    if len(counts) != 1 or not (by := named.get(next(iter(counts)))) or not 2 <= len(by) < _NAMES_LEAST:
        return ""
    (first, n), (_, m) = by.most_common(2)
    return first.replace(_JOINED, " ") if n > m else ""


def cut_line(line: str, width: int) -> str:
    """`line` stripped and cut to `width` characters, "..." saying it was cut."""
    line = line.strip()
    return line if len(line) <= width else line[: width - 3] + "..."


def kinds_told(word: str, lines: Iterable[str], width: int, least: int = 2, more_than: int = 10,
               about: str = "", names: frozenset[str] = frozenset(), named_only: bool = False,
               shown: int = KINDS_SHOWN) -> list[str]:
    """Rows telling the kinds of `lines` (the lines holding `word`) with how many lines each,
    one example line a kind; none when they are of fewer than `least` kinds (a word on lines
    of one kind is told by its count) or of more kinds than half their number (little
    repeats: prose, not a log's lines), or `more_than` lines or fewer (shown whole elsewhere).
    `about` names the lines in the first row instead of the word ("They are"). Lines of one
    kind that write a few names are told by name, in one row; `names` are names known from
    more of the text's lines (`names_in`); with `named_only`, none unless a kind shown writes
    names (a ranking asks whose lines are the most, not what kinds they are). None also
    when every line starts with the word called (`XMLPARSEAPI(void)`, `XMLPARSEAPI(int)`: a
    header's declarations of its public calls, one statement whatever its arguments); not
    when it starts them as a name (`npm http fetch ...`, `npm info ...`: kinds of a log).
    `shown`: the kinds told one by one, the most frequent first."""
    lines = list(lines)
    if len(lines) <= more_than:
        return []
    called = re.compile(re.escape(word) + r"\(", re.IGNORECASE) if word else None
    if called is not None and all(called.match(line.lstrip()) for line in lines):
        return []
    counts, example, named = _kinds_named(lines, names)
    total = len(lines)
    if len(counts) == 1 and (told := _names_told(named.get(next(iter(counts))))):
        return [f"{about or repr(word) + ' is on'} {total:,} lines of one kind{told}"]
    if len(counts) < least or 2 * len(counts) > total:
        return []
    top = counts.most_common(shown)
    if named_only and not any(_names_told(named.get(shape)) for shape, _ in top):
        return []
    rows = [f"{about or repr(word) + ' is on'} {total:,} lines of {len(counts):,} kinds (the lines' shapes, counted):"]
    for shape, n in top:
        rows.append(f"  {n:,} line{'s' if n != 1 else ''} like: {cut_line(example[shape], width)}"
                    f"{_names_told(named.get(shape))}")
    rest = total - sum(n for _, n in top)
    if rest:
        rows.append(f"  {rest:,} lines of {len(counts) - len(top):,} other kinds.")
    return rows
