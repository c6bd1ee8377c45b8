"""The first look's count of the entries under a heading the question names.

"How many different options are described in the post-processing options section?" over
yt-dlp(1): the section is the man page's subsection `   Post-Processing Options:`, indented
under OPTIONS, each option an entry at the first indent below it (`-x, --extract-audio`, its
description deeper). "How many units are defined under the Pressure heading?" over pint's
units file: `# Pressure` over a block of definitions, one a line, up to the blank line. Neither
heading is one the outline reads (an indented line; a comment), and the 1.5B, shown the
heading's line, counted its words' hits.

General: a heading is a short line whose words are the name the question gives a section ("the
X section", "the X heading"), alone or ended by a colon or set off by comment marks, written
once in the text. Its section runs to the next line
as little indented as it (when its entries are indented deeper), else to the next blank line.
The entries are the section's lines at their first indent that start the way most of them do
(`[pressure] = ...` defines a dimension among units, and starts otherwise).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from recursor.look_items import _indent
from recursor.question import COUNT_ASKED, asking_part
from recursor.sandbox.helpers import _STOP

__all__ = ["SectionCount", "section_count"]

_HEAD = re.compile(r"^(?P<indent>[ \t]*)(?P<marks>#+[ \t]*)?(?P<title>[A-Za-z][\w./&'-]*(?:[ \t]+[\w./&'-]+){0,5}?)"
                   r"[ \t]*(?P<colon>:)?[ \t]*#*[ \t]*$")
"""A line that may be a heading: a few words, alone, after comment marks or before a colon."""
_SAID = re.compile(r"\b(?:the|its|this)\s+[\"'`]?(?P<name>[\w'&/.-]+(?:\s+[\w'&/.-]+){0,5}?)[\"'`]?\s+"
                   r"(?:section|heading|header|chapter|part|block|group|category)\b", re.IGNORECASE)
"""The name a question gives a section: "in the post-processing options section", "under the
Pressure heading"."""
_SECTION_WORDS = re.compile(r"\b(?:section|heading|header|chapter|part|block|group|category|under|listed\s+in)\b",
                            re.IGNORECASE)
_DIFFERENT_WORDS = frozenset("different distinct separate unique individual".split())
_JUST = frozenset("are is were was there described defined listed documented given shown named declared does do did "
                  "have has contain contains hold holds in under within of the this that these its a an file text "
                  "document manual page man units total altogether all".split())
"""Words that say only where the counted things are, or that they are there."""
_COUNT_NOTE = re.compile(r"\([^()]*\bcount(?:s|ed|ing)?\b[^()]*\)", re.IGNORECASE)
_READ_UP_TO = 5_000_000
_ENTRIES_SHOWN = 3
_TITLE_WORDS_MAX = 6


@dataclass(frozen=True, slots=True)
class SectionCount:
    """The rows telling the section and its entries, and their count when the question asks
    just that ("" otherwise)."""

    rows: list[str]
    counted: str = ""


def section_count(text: str, question: str) -> SectionCount | None:
    """For a count of what a section the question names holds, the section's entries counted;
    None when the question counts nothing, names no section, or its heading is not written
    exactly once."""
    asking = asking_part(question)
    if not COUNT_ASKED.search(asking) or not _SECTION_WORDS.search(asking) or len(text) > _READ_UP_TO:
        return None
    lines = text.split("\n")
    said = _SAID.search(asking)
    if said is None:
        return None
    phrase = " ".join(re.findall(r"[\w'-]+", said.group("name").lower()))
    heads = [(i, m) for i, line in enumerate(lines) if (m := _HEAD.match(line)) is not None and _named(m, phrase)]
    if len(heads) != 1:
        return None
    at, head = heads[0]
    entries, end = _entries(lines, at, len(head.group("indent").expandtabs()))
    if len(entries) < 2:
        return None
    shown = "; ".join(repr(lines[i].strip()[:60]) for i in entries[:_ENTRIES_SHOWN])
    rows = [f"The section under {lines[at].strip()!r} (line {at + 1:,}, to line {end:,}) has {len(entries):,} "
            f"entries at its first indent that start alike, e.g. {shown}."]
    return SectionCount(rows, str(len(entries)) if _asks_just_count(asking, said) else "")


def _asks_just_count(asking: str, said: re.Match[str]) -> bool:
    """Whether the question asks how many things the section holds and nothing more ("how many
    options ... take a FORMAT argument" picks some out): besides the section's name, its words
    are the counted noun and words that only say where or that they are there. A note on how to
    count ("(An option's short and long forms count once.)") is the entries' own way, and
    "different" ones are all of them: each entry is one thing."""
    rest = _COUNT_NOTE.sub(" ", asking[:said.start()] + " " + asking[said.end():])
    words = [w.lower() for w in re.findall(r"[A-Za-z][\w'-]*", rest)]
    if len(words) < 3 or words[:2] != ["how", "many"]:
        return False
    words = [w for w in words[2:] if w not in _DIFFERENT_WORDS]
    return bool(words) and all(w in _JUST for w in words[1:])  # words[0]: the counted noun


def _named(m: re.Match[str], phrase: str) -> bool:
    """Whether a heading-like line is the one the question names: its title's words are the
    name the question gives (`phrase`), not all of them stop-words, and it is set apart as a
    heading is (a colon, a comment's marks, or capitals)."""
    title = m.group("title")
    words = re.findall(r"[\w'-]+", title.lower())
    if not words or len(words) > _TITLE_WORDS_MAX or all(w in _STOP for w in words):
        return False
    if not (m.group("colon") or m.group("marks") or title[:1].isupper()):
        return False
    return " ".join(words) == phrase


def _entries(lines: list[str], at: int, indent: int) -> tuple[list[int], int]:
    """The entries of the section under lines[at] (its heading at `indent`), and the line it
    ends at (1-based, inclusive): to the next line as little indented when its first line is
    indented deeper, else to the next blank line."""
    body: list[int] = []
    deeper = None
    for i in range(at + 1, len(lines)):
        line = lines[i]
        if not line.strip():
            if deeper is False:
                break
            continue
        depth = _indent(line)
        if deeper is None:
            deeper = depth > indent
        if deeper and depth <= indent:
            break
        body.append(i)
    if not body:
        return [], at + 1
    first = min(_indent(lines[i]) for i in body)
    level = [i for i in body if _indent(lines[i]) == first]
    start = Counter(_start(lines[i]) for i in level).most_common(1)[0][0]
    return [i for i in level if _start(lines[i]) == start], body[-1] + 1


def _start(line: str) -> str:
    """How an entry's line starts: a letter, a digit, or the mark it starts with (`-`, `[`)."""
    c = line.strip()[:1]
    return "a" if c.isalpha() else "0" if c.isdigit() else c
