"""The release that first wrote of a thing: "which urllib3 release first let it decompress Brotli?".

A changelog heads each release with its version (`1.25 (2019-04-22)` over `====`) and lists
what changed under it. Asked which release first did something, the 1.5B searched the
question's everyday words ("compressed", on eight lines of six releases) and answered the
release over the passage it was shown, or the newest heading; the answer is the oldest
release whose entries name the thing ("* Added support for Brotli content encoding" under
1.25). The thing is the question's name for it: a word it capitalizes inside the sentence
("Brotli", "TAK") or writes as code (`--max-redirects`), else its rarest word in the text.

General: any text whose top headings each write a version, newest first or oldest first;
versions are compared as numbers, not by where they stand.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from recursor.line_kinds import cut_line
from recursor.sandbox.helpers import _outline, _top_level, _word_rx

__all__ = ["FirstRelease", "first_release"]

_FIRST_ASKED = re.compile(
    r"\b(?:which|what)\s+(?:[\w.+-]+\s+){0,2}?(?:release|version)\b[^?]*?\b(?:first|introduced)\b"
    r"|\b(?:since|as\s+of)\s+(?:which|what)\s+(?:[\w.+-]+\s+){0,2}?(?:release|version)\b"
    r"|\bfirst\s+(?:release|version)\b", re.IGNORECASE)
"""A question asking the first release that did something: "which urllib3 release first let
it ...", "which version first added support for ...", "since which version ..."."""
_ASKING_WORDS = frozenset("which what release releases version versions first introduced introduce added add adds "
                          "support supports supported since let lets allow allows allowed able new feature "
                          "when did does do was were it its the a an of for to with in".split())
"""The words of such a question that say only that it asks for a release."""
_VERSION = re.compile(r"(?<![\w.])v?(\d+(?:\.\d+)+)(?![\w])")
_HEADS_WITH_VERSIONS = 0.5
"""The share of the top headings that must write a version for them to be the releases."""
_LEAST_RELEASES = 3
_NAME = re.compile(r"(?<=\S\s)[A-Z][\w+-]*|[\w.+-]*[_\d][\w.+-]*|--?[a-z][\w-]+|`[^`]+`")
"""A name inside the question: a capitalized word not first in its sentence, a word with a
digit or an underscore, an option, or code in backquotes."""


@dataclass(frozen=True, slots=True)
class FirstRelease:
    """What the look tells, and the oldest release's version: what it computed."""

    rows: list[str]
    version: str


def first_release(text: str, question: str, counts: Sequence[tuple[str, int]],
                  described: frozenset[str] = frozenset()) -> FirstRelease | None:
    """For a question asking which release first did something, the oldest release (by its
    version) under which the question's name for the thing is written. `counts`: the
    question's words the text writes, as written, each with its lines; `described`: the
    words naming the document or its subject (searched last, never the thing). None for
    another question, a text whose top headings are not releases, or a thing no release
    writes."""
    if _FIRST_ASKED.search(question) is None:
        return None
    releases = _releases(text)
    if len(releases) < _LEAST_RELEASES:
        return None
    term = _thing(question, counts, described)
    if term is None:
        return None
    rx = _word_rx(term)
    holding = [r for r in releases if rx.search(text, r[1], r[2])]
    if not holding:
        return None
    oldest = min(holding, key=lambda r: r[3])
    if sum(1 for r in holding if r[3] == oldest[3]) > 1:
        return None  # two headings of one version: which is the release is not told
    heading = text[oldest[0]:oldest[1]].strip().split("\n")[0]
    hit = rx.search(text, oldest[1], oldest[2])
    assert hit is not None
    line_start = text.rfind("\n", 0, hit.start()) + 1
    line_end = text.find("\n", hit.start())
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    number = text.count("\n", 0, line_start) + 1
    version = _VERSION.search(heading)
    assert version is not None
    rows = [f"{term!r} is written under {len(holding)} of the {len(releases)} releases the headings name; "
            f"the oldest of them is {heading.strip()}:",
            f"{number}| {cut_line(line, 160)}"]
    return FirstRelease(rows, version.group(1))


def _releases(text: str) -> list[tuple[int, int, int, tuple[int, ...]]]:
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
            out.append((a, b, end, tuple(int(p) for p in m.group(1).split("."))))
    return out if len(out) >= _HEADS_WITH_VERSIONS * len(tops) else []


def _thing(question: str, counts: Sequence[tuple[str, int]], described: frozenset[str]) -> str | None:
    """The question's name for the thing a release first did: the first word it writes as a
    name (`_NAME`) that the text writes too, else the text's rarest of its other words."""
    written = {w.lower(): (w, n) for w, n in counts if n and w.lower() not in described
               and w.lower() not in _ASKING_WORDS}
    for m in _NAME.finditer(question):
        word = m.group(0).strip("`")
        if word.lower() in written:
            return written[word.lower()][0]
    plain = sorted(written.values(), key=lambda wn: wn[1])
    return plain[0][0] if plain else None
