"""A text's items as a table, for the one SQL query a sub-model writes (`recursor.table_sql`).

Questions about a changelog or a manual page count, filter and rank its items: "which person
is credited with the most changes?", "how many changes does the 3.2 release list?", "how many
of the keywords start with GSSAPI?". The small root grepped a word and answered from the hits.
Each such text is a table already, written as prose: a changelog is its releases' items (a
release's heading, its version and date, the item's text and whom it credits), a manual page
its terms (the section, the term's line and what it says). Read into rows, the query writer
that answers table questions answers these in one SELECT too.

Only structure is read, never a format's name: a release is a top heading that writes a
version (`helpers._outline`, release lines included), an item a bullet at its section's first
bullet indent with what is indented below it (else a paragraph), a credit the parenthesised
words that most items end with; a term is a line over a body indented deeper than it, at the
indent most such lines share.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise

from recursor.sandbox.helpers import _VERSION_IN_LINE, _outline, to_date
from recursor.table_sql import Table

__all__ = ["items_table"]

_LEAST = 5
"""Items (terms) a text must hold to be read as a table of them."""
_VERSIONED = 0.8
"""Share of a text's top headings that must write a version for them to be releases."""
_CREDITED = 0.5
"""Share of the items that must end in parentheses for those to be the items' credits."""
_DISTINCT = 0.8
"""Share of a page's terms that must be distinct: a module's `def` lines over bodies are none."""
_BULLET = re.compile(r"([ \t]*)(?:[*+\u2022-]|\d{1,3}[.)])[ \t]+(\S.*)")
_CREDIT = re.compile(r"\(([^()]{2,60})\)\s*\.?$")
_DATE_VERSION = re.compile(r"(?:19|20)\d\d[.-]\d\d?[.-]\d\d?")
_SETTING = re.compile(r"[ \t]*(?P<off>[#;][ \t]*)?(?P<key>[A-Za-z_][\w.\-/]*)[ \t]*=[ \t]*(?P<value>.*)")
"""A `key = value` line, or one commented out (`#port = 5432`): a config file's setting."""
_TRAILING_COMMENT = re.compile(r"\s+[#;].*$")
_SECTION = re.compile(r"[ \t]*\[([^\]\n]{1,80})\][ \t]*")
_SETTINGS_SHARE = 0.5
"""Share of a text's lines, comments aside, that must be settings in force for it to be read
as a config file: a script's assignments are few among its other lines."""
_TERM_LINE_MAX = 100
_BODY_MAX = 2_000
"""Characters of an item's or a term's text kept: enough for LIKE, never the whole text."""


def items_table(text: str) -> Table | None:
    """The text's changelog items, else its settings, else its terms, as a table; None when
    it has none of them."""
    return _changes(text) or _settings(text) or _terms(text)


def _version(heading: str) -> str | None:
    """The version a release's heading names: its last version that is no date ("3.2" of
    "CHANGES FROM 3.1c TO 3.2", "1.33.1" of "2019.10.20, Version 1.33.1 (Stable)")."""
    found = [m.group(0) for m in _VERSION_IN_LINE.finditer(heading) if not _DATE_VERSION.fullmatch(m.group(0))]
    return found[-1].lstrip("vV") if found else None


def _indent(line: str) -> int:
    return len(line.expandtabs(8)) - len(line.expandtabs(8).lstrip())


def _changes(text: str) -> Table | None:
    """A changelog's items under its releases: (heading, version, released, release_order,
    part, item, credit); None unless most top headings write a version."""
    _, heads, _ = _outline(text, 0, len(text))
    if not heads:
        return None
    top = min(level for _, _, level in heads)
    releases = [(a, b) for a, b, level in heads if level == top]
    versions = [_version(text[a:b]) for a, b in releases]
    if len(releases) < 3 or sum(v is not None for v in versions) < _VERSIONED * len(releases):
        return None
    parts = [(a, text[a:b].strip()) for a, b, level in heads if level != top]
    rows: list[list[str | None]] = []
    bounds = [*(a for a, _ in releases[1:]), len(text)]
    for order, ((a, b), version, end) in enumerate(zip(releases, versions, bounds, strict=True), 1):
        heading = text[a:b].strip()
        day = to_date(heading)
        part_of = [(p, name) for p, name in parts if b <= p < end]
        for at, item in _items(text, b, end, {p for p, _ in part_of}):
            part = next((name for p, name in reversed(part_of) if p < at), None)
            rows.append([heading, version, day.isoformat() if day else None, str(order), part, item])
    if len(rows) < _LEAST:
        return None
    header = ["heading", "version", "released", "release_order", "part", "item"]
    credits = [m.group(1).strip() if (m := _CREDIT.search(r[5] or "")) else None for r in rows]
    if sum(c is not None for c in credits) >= _CREDITED * len(rows):
        header.append("credit")
        rows = [[*r, c] for r, c in zip(rows, credits, strict=True)]
    if not any(r[4] for r in rows):
        header.pop(4)
        rows = [r[:4] + r[5:] for r in rows]
    return Table.of_rows(header, rows)


def _items(text: str, lo: int, hi: int, heads: set[int]) -> list[tuple[int, str]]:
    """The items of text[lo:hi] (one release's section), with where each starts: each bullet
    at the section's first bullet indent with the lines below it up to the next such bullet,
    a blank line before an unindented one, or a heading; with no bullets, each paragraph."""
    lines: list[tuple[int, str]] = []
    pos = text.find("\n", lo)
    pos = hi if pos < 0 else pos + 1
    while pos < hi:
        nl = text.find("\n", pos, hi)
        end = hi if nl < 0 else nl
        lines.append((pos, text[pos:end].rstrip("\r")))
        pos = end + 1
    bullets = [(at, m) for at, line in lines if (m := _BULLET.fullmatch(line)) is not None and at not in heads]
    if bullets:
        base = min(_indent(m.group(1)) for _, m in bullets)
        out: list[tuple[int, list[str]]] = []
        blank = False
        for at, line in lines:
            m = _BULLET.fullmatch(line)
            if at in heads or (line.strip() and blank and _indent(line) <= base and (m is None or _indent(m.group(1)) < base)):
                out.append((-1, []))  # a heading, or an unindented line after a blank one, ends the item
            elif m is not None and _indent(m.group(1)) == base:
                out.append((at, [m.group(2)]))
            elif line.strip() and out and out[-1][0] >= 0:
                out[-1][1].append(line.strip())
            blank = not line.strip()
        return [(at, _joined(words)) for at, words in out if at >= 0]
    paragraphs: list[tuple[int, str]] = []
    current: list[str] = []
    start = -1
    for at, line in [*lines, (hi, "")]:
        if line.strip() and at not in heads and not line.lstrip().startswith("--"):
            if not current:
                start = at
            current.append(line.strip())
        elif current:
            paragraphs.append((start, _joined(current)))
            current = []
    return paragraphs


def _joined(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())[:_BODY_MAX]


def _settings(text: str) -> Table | None:
    """A config file's settings: `key = value` lines, those commented out too (`active` 'no':
    a file of defaults writes them so), a value continued over lines ending in a backslash
    joined, a trailing comment apart, an INI `[section]` kept: (section, name, value, active,
    comment); None when fewer than `_LEAST` are in force or they are few of the lines that are
    no comment."""
    lines = text.split("\n")
    rows: list[list[str | None]] = []
    section: str | None = None
    filled = 0
    i = 0
    while i < len(lines):
        line = lines[i].rstrip("\r")
        i += 1
        if not line.strip():
            continue
        filled += not line.lstrip().startswith(("#", ";"))
        if (head := _SECTION.fullmatch(line)) is not None:
            section = head.group(1).strip()
            continue
        m = _SETTING.fullmatch(line)
        if m is None:
            continue
        value = m.group("value")
        while value.endswith("\\") and i < len(lines):  # continued on the next line
            value = value[:-1].rstrip() + " " + lines[i].strip().lstrip("#").strip()
            i += 1
        comment = _TRAILING_COMMENT.search(value)
        kept = value[:comment.start()] if comment and not value.startswith(("'", '"')) else value
        said = comment.group(0).strip().lstrip("#;").strip() if comment and kept is not value else None
        rows.append([section, m.group("key"), " ".join(kept.split()), "no" if m.group("off") else "yes", said])
    active = sum(r[3] == "yes" for r in rows)
    if active < _LEAST or active < _SETTINGS_SHARE * filled:
        return None
    header = ["section", "name", "value", "active", "comment"]
    keep = [k for k, name in enumerate(header) if name in ("name", "value", "active") or any(r[k] for r in rows)]
    return Table.of_rows([header[k] for k in keep], [[r[k] for k in keep] for r in rows])


def _wrapped_from(lines: list[str], i: int, own: int) -> int:
    """Where the term on line `i` starts: the line above it when that one, at the same indent,
    starts a paragraph (a term wrapped: "tcp_bic_fast_convergence (Boolean; ... 2.6.6" over
    "to 2.6.13)")."""
    above = i - 1
    if above < 0 or not lines[above].strip() or _indent(lines[above]) != own:
        return i
    starts = above == 0 or not lines[above - 1].strip() or _indent(lines[above - 1]) > own
    return above if starts else i


def _terms(text: str) -> Table | None:
    """A manual page's terms: each line over a body indented deeper than it, at the indent
    most such lines share, with its section (the top heading above it) and the body's text:
    (section, term, term_line, description); None for fewer than `_LEAST`."""
    lines = text.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    found: list[tuple[int, int, int]] = []  # (line, its indent, the body's indent)
    for i, j in pairwise(filled):
        line = lines[i].rstrip()
        own, below = _indent(line), _indent(lines[j])
        stripped = line.strip()
        inline = len(stripped.split("  ", 1)) == 2  # "IPQoS   Specifies the ... connections."
        if (below > own + 1 and len(stripped) <= _TERM_LINE_MAX and "=" not in stripped.split()[0]
                and (inline or not stripped.endswith((":", ".", ",", "\\")))):
            found.append((_wrapped_from(lines, i, own), own, below))
    if not found:
        return None
    indent, n = Counter(own for _, own, _ in found).most_common(1)[0]
    terms_at = [lines[i].split()[0] for i, own, _ in found if own == indent]
    if n < _LEAST or len(set(terms_at)) < _DISTINCT * n:
        return None  # code's `def` and `raise` lines over their bodies are no terms
    _, heads, _ = _outline(text, 0, len(text))
    top = min((level for _, _, level in heads), default=0)
    starts = [(text.count("\n", 0, a), text[a:b].strip()) for a, b, level in heads if level == top]
    rows: list[list[str | None]] = []
    terms = [(i, body) for i, own, body in found if own == indent]
    for k, (i, body) in enumerate(terms):
        stop = terms[k + 1][0] if k + 1 < len(terms) else len(lines)
        line = lines[i].strip()
        while i + 1 < stop and lines[i + 1].strip() and _indent(lines[i + 1]) < body:
            i += 1  # a wrapped term's next line is the term's, not its body's
            line = f"{line} {lines[i].strip()}"
        said: list[str] = []
        for after in lines[i + 1:stop]:
            if after.strip() and _indent(after) < body:
                break  # the body ends where a line comes back out
            said.append(after.strip())
        head = line.split("  ", 1)
        if len(head) == 2 and head[1].strip():
            said.insert(0, head[1].strip())  # "Host    Restricts the following ...": the body starts on the term's line
        section = next((name for at, name in reversed(starts) if at < i), None)
        rows.append([section, head[0].split()[0] if head[0].split() else line, line, _joined(said)])
    return Table.of_rows(["section", "term", "term_line", "description"], rows)
