"""The release that first wrote of a thing: "which urllib3 release first let it decompress Brotli?".

A changelog heads each release with its version (`1.25 (2019-04-22)` over `====`) and lists
what changed under it. Asked which release first did something, the 1.5B searched the
question's everyday words ("compressed", on eight lines of six releases) and answered the
release over the passage it was shown, or the newest heading; the answer is the oldest
release whose entries name the thing ("* Added support for Brotli content encoding" under
1.25). The thing is the question's name for it: a word it capitalizes inside the sentence
("Brotli", "TAK") or writes as code (`--max-redirects`), else its rarest word in the text.

General: any text whose top headings each write a version, newest first or oldest first;
releases are ordered by their headings' dates, else by their versions compared as numbers,
never by where they stand.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from recursor.line_kinds import cut_line
from recursor.sandbox.helpers import _outline, _top_level, _word_rx, to_date

__all__ = ["ReleaseLook", "first_release", "neighbour_days"]

_FIRST_ASKED = re.compile(
    r"\b(?:which|what)\s+(?:[\w.+-]+\s+){0,2}?(?:release|version)\b[^?]{0,200}?\b(?:first(?!\s*(?:in|on|at|of|among)\b|\s*[?,.]|\s*\Z)"
    r"|introduced)\b"
    r"|\b(?:since|as\s+of)\s+(?:which|what)\s+(?:[\w.+-]+\s+){0,2}?(?:release|version)\b"
    r"|\b(?:(?:which|what)\s+(?:was|is)\s+|^\s*(?:name|give|find)\s+)the\s+first\s+(?:[\w.+-]+\s+)?(?:release|version)"
    r"\s+(?:to|that|which|where|with|in\s+which)\b", re.IGNORECASE)
"""A question asking the first release that did something: "which urllib3 release first let
it ...", "which version first added support for ...", "since which version ...", "what was
the first version to drop ..."; not one asking of the first release ("what changed in the
first release", "when was the first version released") nor the order of the text ("which
version is listed first in it")."""
_ASKING_WORDS = frozenset("which what release releases version versions first introduced introduce added add adds "
                          "support supports supported since let lets allow allows allowed able new feature "
                          "when did does do was were it its the a an of for to with in".split())
"""The words of such a question that say only that it asks for a release."""
_VERSION = re.compile(r"(?<![\w.])v?(\d+(?:\.\d+)+)(?P<pre>[-.~]?(?:alpha|beta|preview|pre|dev|rc|a|b|c)\.?\d*)?"
                      r"(?:-(?P<rev>\d+(?:\.\d+)*)(?P<more>[+~a-z][\w.+~]*)?)?(?![\w]|\.\d)", re.IGNORECASE)
"""A version in a heading, a pre-release's suffix too ("2.0.0rc1", "3.0.0-beta.2"), and a
packager's revision with what follows it ("2.36.1-8", "2.36.1-8+deb12u1", "1.2-3ubuntu2")."""
_HEADS_WITH_VERSIONS = 0.5
"""The share of the top headings that must write a version for them to be the releases."""
_LEAST_RELEASES = 3
_HYPHENED = re.compile(r"[a-z]+(?:-[a-z]+){2,}")
_NAME = re.compile(r"(?<=\S\s)[A-Z][\w+-]*(?:\s\d+(?:\.\d+)*(?!\w|\.\d))?|(?<![\w.+-])[\w.+-]*[_\d][\w.+-]*"
                   r"|(?<![\w-])[a-z]+(?:-[a-z]+){2,}(?![\w-])|--?[a-z][\w-]+|`[^`]+`")
"""A name inside the question: a capitalized word not first in its sentence (with the number
after it: "Python 2"), a word with a digit or an underscore, a word of three joined by
hyphens ("non-free-firmware"; two is often plain English: "built-in"), an option, or code in
backquotes."""


@dataclass(frozen=True, slots=True)
class ReleaseLook:
    """What the look tells, and what it computed: the first release's version, or the days
    to a release's neighbour."""

    rows: list[str]
    counted: str


def first_release(text: str, question: str, counts: Sequence[tuple[str, int]],
                  described: frozenset[str] = frozenset()) -> ReleaseLook | None:
    """For a question asking which release first did something, the oldest release (by its
    heading's date, else its version) under which the question's name for the thing is written. `counts`: the
    question's words the text writes, as written, each with its lines; `described`: the
    words naming the document or its subject (searched last, never the thing). None for
    another question, a text whose top headings are not releases, or a thing no release
    writes."""
    if _FIRST_ASKED.search(question) is None:
        return None
    releases = _releases(text)
    if len(releases) < _LEAST_RELEASES:
        return None
    if (held := _held(text, releases, _things(question, counts, described, text))) is None:
        return None
    term, holding = held
    written = len(holding)
    rx = _term_rx(term)
    if (said := _change_said(question)) is not None:
        # "the first version to drop Python 2": a release whose line says it dropped it, not
        # the older one that supported it.
        holding = [r for r in holding if _says(text, rx, r, said)]
        if not holding:
            return None
    holding = _most_said(text, rx, holding, _other_words(term, question, counts, described))
    # First in time where every such heading is dated (a fix backported to 1.43.1 came out after
    # 1.44.0 had it), else the lowest version.
    days = [_release_day(text, r) for r in holding]
    order: list[tuple[int, _Version]] = [
        (d.toordinal() if d is not None and None not in days else 0, r[3]) for d, r in zip(days, holding, strict=True)]
    oldest = holding[order.index(min(order))]
    if order.count(min(order)) > 1:
        return None  # two headings of one version: which is the release is not told
    heading = text[oldest[0]:oldest[1]].strip().split("\n")[0]
    hit = next((h for h in rx.finditer(text, oldest[1], oldest[2])
                if said is None or said.search(_line_at(text, h.start()))), None)
    assert hit is not None
    line, number = _line_at(text, hit.start()), text.count("\n", 0, hit.start()) + 1
    version = _VERSION.search(heading)
    assert version is not None
    which = "them" if len(holding) == written else f"the {len(holding)} whose line says what the question asks"
    rows = [f"{term!r} is written under {written} of the {len(releases)} releases the headings name; "
            f"the oldest of {which} is {heading.strip()}:",
            f"{number}| {cut_line(line, 160)}"]
    return ReleaseLook(rows, version.group(0).lstrip("vV"))


_Version = tuple[tuple[int, ...], int, int, tuple[int, ...], str]
"""A version's numbers (trailing zeros dropped: "2.0" is "2.0.0"), then 0 for a pre-release
(before its release) or 1, then the pre-release's number: "2.0.0rc1" before "2.0.0"; then a
packager's revision's numbers: "2.36.1-7" before "2.36.1-8"; then what follows the revision
("+deb12u1")."""
_Release = tuple[int, int, int, _Version]
"""A release's heading start and end, its section's end, and its version as numbers."""


def _version_key(m: re.Match[str]) -> _Version:
    """A `_VERSION` match as numbers that order versions (`_Version`)."""
    numbers = [int(p) for p in m.group(1).split(".")]
    while len(numbers) > 1 and numbers[-1] == 0:
        numbers.pop()
    pre = m.group("pre")
    digits = re.search(r"\d+", pre or "")
    revision = tuple(int(p) for p in m.group("rev").split(".")) if m.group("rev") else ()
    return tuple(numbers), 0 if pre else 1, int(digits.group(0)) if digits else 0, revision, (m.group("more") or "").lower()


def _releases(text: str) -> list[_Release]:
    """The text's top headings that write a version, as (heading start, heading end, section
    end, version as numbers); [] when fewer than half of them write one."""
    heads = _outline(text, 0, len(text))[1]
    if not heads:
        return []
    level = _top_level(heads)
    tops = [(a, b) for a, b, lvl in heads if lvl == level]
    out = []
    for k, (a, b) in enumerate(tops):
        end = tops[k + 1][0] if k + 1 < len(tops) else len(text)
        if (m := _VERSION.search(text, a, b)) is not None:
            out.append((a, b, end, _version_key(m)))
    return out if len(out) >= _HEADS_WITH_VERSIONS * len(tops) else []


def _things(question: str, counts: Sequence[tuple[str, int]], described: frozenset[str], text: str) -> list[str]:
    """The question's names for the thing a release did: the words it writes as names
    (`_NAME`) that the text writes too (a name of two words, "Python 2", when the text writes
    it), else the text's rarest of its other words. `question` may be a part of the question
    whose words are `counts`: only its own words are taken."""
    asked = {w.lower().strip(".") for w in re.findall(r"[\w.+-]+", question)}
    written = {w.lower(): (w, n) for w, n in counts if n and w.lower() not in described
               and w.lower() not in _ASKING_WORDS and w.lower().strip(".") in asked}
    names: list[str] = []
    hyphened: list[str] = []
    for m in _NAME.finditer(question):
        word = m.group(0).strip("`")
        if _HYPHENED.fullmatch(word):
            # "non-free-firmware" is a name only when the question writes no other: "end-of-life
            # warnings for Python 3.8" is about Python 3.8 (review).
            if word.lower() in written:
                hyphened.append(written[word.lower()][0])
            continue
        if " " in word and _term_rx(word).search(text):
            names.append(word)
        elif (word := word.split(" ")[0]).lower() in written:
            names.append(written[word.lower()][0])
    if names or hyphened:
        return list(dict.fromkeys(names or hyphened))
    plain = sorted(written.values(), key=lambda wn: wn[1])
    return [plain[0][0]] if plain else []


def _held(text: str, releases: list[_Release], things: list[str]) -> tuple[str, list[_Release]] | None:
    """Of the question's names for the thing, the one written under the fewest releases (one
    at least), and those releases: "Python 3.8" under one, not "urllib3" under all."""
    held: list[tuple[str, list[_Release]]] = []
    for thing in things:
        rx = _term_rx(thing)
        if holding := [r for r in releases if rx.search(text, r[1], r[2])]:
            held.append((thing, holding))
    return min(held, key=lambda th: len(th[1])) if held else None


def _other_words(term: str, question: str, counts: Sequence[tuple[str, int]],
                 described: frozenset[str]) -> list[re.Pattern[str]]:
    """The words of `question` (or of its part) the text writes that say what was done with
    the thing: not the thing's own words, nor the words asking for a release, nor the
    document's names."""
    own = {w.lower() for w in term.split()}
    asked = {w.lower().strip(".") for w in re.findall(r"[\w.+-]+", question)}
    return [_word_rx(w) for w, n in counts if n and " " not in w and (low := w.lower()) not in own
            and low in asked and low not in _ASKING_WORDS and low not in described]


def _most_said(text: str, rx: re.Pattern[str], holding: list[_Release],
               others: list[re.Pattern[str]]) -> list[_Release]:
    """Of the releases that write the thing, those whose line writing it writes any of the
    question's other words: "the first to ship wheels for Python 3.15" is the release
    whose line says "Wheels are now provided for Python 3.15", not an older one that
    "declared support for Python 3.15 alpha". All of them when no such line writes any."""
    def said(release: _Release) -> int:
        lines = {_line_at(text, m.start()) for m in rx.finditer(text, release[1], release[2])}
        return max(sum(1 for o in others if o.search(line)) for line in lines)

    scores = [said(r) for r in holding]
    # Any of the words, not the most: a later line that repeats more of them ("fixed a regression
    # where the memory leak fix from 1.2 was undone") is no first (review).
    return [r for r, n in zip(holding, scores, strict=True) if n] if any(scores) else holding


def _term_rx(term: str) -> re.Pattern[str]:
    """`term` whole, any case, its words apart by any space: "Python 2", not "Python 2.7"."""
    if " " not in term:
        return _word_rx(term)
    words = r"\s+".join(re.escape(w) for w in term.split())
    return re.compile(rf"(?<![\w.]){words}(?![\w]|\.\d)", re.IGNORECASE)


_DAYS_TO_NEIGHBOUR = re.compile(
    r"\bhow\s+many\s+days\b[^?]{0,200}?\b(?:(?P<next>next|following|subsequent|after\s+it)|(?P<prev>previous|preceding|prior"
    r"|before\s+it|(?:release|version)\s+before))\b", re.IGNORECASE)
"""A question asking the days from a release to the one after or before it: "How many days
later did the next release come out?", "How many days after the release before it ...?"."""
_DAYS_LATER = re.compile(r"\bhow\s+many\s+days\b[^?]{0,200}?\b(?:(?P<next>later)|(?P<prev>earlier))\b", re.IGNORECASE)
"""The same without a word naming the neighbour: "later" is the next release then ("How many
days later than the previous release ...": the previous one, named)."""
_DEPRECATED = re.compile(r"\bdeprecat\w*", re.IGNORECASE)
_REMOVED = re.compile(r"\b(?:drop(?:s|ped|ping)?|stop(?:s|ped|ping)?|remov(?:e|es|ed|ing|al)|no\s+longer"
                      r"|end(?:s|ed|ing)?|discontinu\w*)\b", re.IGNORECASE)
_ADDED = re.compile(r"\b(?:add(?:s|ed|ing|ition)?|introduc\w*|first|new|start(?:s|ed|ing)?|support\w*)\b", re.IGNORECASE)


def _change_said(asked: str) -> re.Pattern[str] | None:
    """The words of a line saying the change a question asks of a thing: that it was
    deprecated, else removed; None for any other change (added, supported: any mention)."""
    return _DEPRECATED if _DEPRECATED.search(asked) else _REMOVED if _REMOVED.search(asked) else None


def _says(text: str, rx: re.Pattern[str], release: _Release, said: re.Pattern[str]) -> bool:
    """Whether a line of `release`'s section that writes the thing (`rx`) says the change (`said`)."""
    return any(said.search(_line_at(text, m.start())) for m in rx.finditer(text, release[1], release[2]))


def neighbour_days(text: str, question: str, counts: Sequence[tuple[str, int]],
                   described: frozenset[str] = frozenset()) -> ReleaseLook | None:
    """For "Find the release that dropped Python 2. How many days after the release before it
    did it come out?", the release whose section names the thing (of several, the one whose
    line says what the question's first part says: dropped, or added), the release next to
    it in time, and the days between their headings' dates. None for another question,
    headings without dates, or a thing that names no one release."""
    asked = _DAYS_TO_NEIGHBOUR.search(question) or _DAYS_LATER.search(question)
    if asked is None:
        return None
    first_part = question[:asked.start()]
    dated = {r: d for r in _releases(text) if (d := _release_day(text, r)) is not None}
    releases = list(dated)
    if len(releases) < _LEAST_RELEASES or not first_part.strip():
        return None
    if (held := _held(text, releases, _things(first_part, counts, described, text))) is None:
        return None
    term, holding = held
    rx = _term_rx(term)
    if len(holding) > 1:
        said = _change_said(first_part) or (_ADDED if _ADDED.search(first_part) else None)
        holding = [r for r in holding if said is not None and _says(text, rx, r, said)]
        holding = _most_said(text, rx, holding, _other_words(term, first_part, counts, described))
    if len(holding) != 1:
        return None
    found = holding[0]
    later = bool(asked.group("next"))
    day = dated[found]
    # The release after or before it in time: a maintenance release of an older series (1.43.1,
    # five months after 1.44.0) is not the release before 1.44.0.
    others = [(d, r) for r, d in dated.items() if r is not found and (d > day if later else d < day)]
    if not others:
        return None
    other_day, other = min(others, key=lambda dr: dr[0]) if later else max(others, key=lambda dr: dr[0])
    if sum(1 for d, _ in others if d == other_day) > 1:
        return None  # two releases that day: which one is meant is not told
    days = abs((other_day - day).days)
    hit = rx.search(text, found[1], found[2])
    assert hit is not None
    line = _line_at(text, hit.start())
    heading, other_heading = (text[r[0]:r[1]].strip().split("\n")[0] for r in (found, other))
    rows = [f"{term!r} is written under {heading}: {cut_line(line.strip(), 160)}",
            f"The release {'after' if later else 'before'} it in time is {other_heading}: {days:,} days "
            f"{'later' if later else 'earlier'}."]
    return ReleaseLook(rows, str(days))


def _release_day(text: str, release: _Release) -> date | None:
    """A release's date: its heading's, else its section's last line's when that line is a
    sign-off (a Debian changelog's ` -- Name <mail>  Thu, 25 May 2023 16:11:37 +0200`), not
    an entry that mentions a date."""
    if (day := to_date(text[release[0]:release[1]])) is not None:
        return day
    last = text[release[1]:release[2]].rstrip().rsplit("\n", 1)[-1]
    return to_date(last) if _SIGN_OFF.match(last) else None


_SIGN_OFF = re.compile(r"\s*--\s+\S")
"""A line that signs a release off: ` -- ` and a name (Debian's changelogs, and the many
formats that copy them)."""


def _line_at(text: str, at: int) -> str:
    """The line of `text` holding position `at`."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return text[start:end if end >= 0 else len(text)]
