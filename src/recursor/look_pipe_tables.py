"""A document's Markdown pipe tables as one table, for the query writer (`recursor.table_sql`).

A page of prose may list its facts in several tables under one header ("| Class | Kind |
Description |" under each stage of a pipeline). Asked how many of the listed classes come
from extensions, the 1.5B counted the lines holding "extension" (the prose's too); the count is
one SELECT over the tables' rows, each with the heading it stands under (`section`).

A cell that is a reference link (`` [`OListProcessor`][markdown.blockprocessors.OListProcessor] ``)
is its text, and its target a column of its own (`class_link`): the target often says what
the text does not (which module or extension the class is from).

General: GitHub-flavoured Markdown's table syntax; nothing here knows a page.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter

from recursor.sandbox.helpers import _outline
from recursor.table_sql import Table

__all__ = ["pipe_tables"]

_ROW = re.compile(r"[ \t]{0,3}\|.*\|[ \t]*")
_RULE = re.compile(r"[ \t]{0,3}\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+(?:[ \t]*:?-{3,}:?[ \t]*)?[ \t]*")
"""The line under a table's header: `| --- | :---: |`."""
_LINK = re.compile(r"\[`?([^\]`]+?)`?\]\[([^\]]*)\]|\[`?([^\]`]+?)`?\]\(([^)\s]+)[^)]*\)")
"""A reference link `[text][target]` or an inline one `[text](url)`, the text maybe in backticks."""
_CODE = re.compile(r"`([^`]*)`")
_ATTRIBUTES = re.compile(r"\s*\{:?\s*[#.][^{}]*\}\s*$")
"""A heading's attribute list (`{: #stages }`), no part of its title."""
_LEAST_ROWS = 5
_LINKED_SHARE = 0.5
"""Share of a column's cells that must be links for their targets to be a column."""


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [c.strip() for c in re.split(r"(?<!\\)\|", inner)]


def _plain(cell: str) -> tuple[str, str | None]:
    """A cell's text, links and code marks read (`` [`X`][t] `` -> "X"), and the target of
    the link when the cell is one."""
    whole = _LINK.fullmatch(cell)
    target = (whole.group(2) or whole.group(4)) if whole else None
    text = _LINK.sub(lambda m: m.group(1) or m.group(3), cell)
    return _CODE.sub(r"\1", text).strip(), target or None


def pipe_tables(text: str, question: str = "") -> Table | None:
    """The rows of the text's pipe tables that share its most used header, each with the
    headings above its table (`section`: "Preprocessors > Usages") and, for a column of links, their targets; None for
    fewer than `_LEAST_ROWS` rows, a text that is one table (read as a table already), or a
    `question` (when given) that names neither a column nor a value of a cell: a page's table
    of options is no answer to how many of its examples send a PUT request."""
    lines = text.split("\n")
    fenced, inside = set(), False  # a code block's lines: an example of a table, not one
    for k, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            inside = not inside
        if inside:
            fenced.add(k)
    tables: list[tuple[int, list[str], list[list[str]]]] = []  # (line, header, rows)
    i = 0
    while i + 1 < len(lines):
        if i not in fenced and _ROW.fullmatch(lines[i]) and _RULE.fullmatch(lines[i + 1]):
            header = _cells(lines[i])
            rows, j = [], i + 2
            while j < len(lines) and _ROW.fullmatch(lines[j]):
                rows.append(_cells(lines[j]))
                j += 1
            tables.append((i, header, rows))
            i = j
        else:
            i += 1
    if not tables:
        return None
    key = Counter(tuple(h.lower() for h in header) for _, header, _ in tables).most_common(1)[0][0]
    kept = [(at, header, rows) for at, header, rows in tables if tuple(h.lower() for h in header) == key]
    n_rows = sum(len(rows) for _, _, rows in kept)
    in_tables = sum(len(rows) + 2 for _, _, rows in tables)
    if n_rows < _LEAST_ROWS or len(key) < 2 or in_tables >= sum(1 for line in lines if line.strip()):
        return None  # few rows, or the text is all tables (read as a table already)
    header = [_plain(h)[0] or f"column {k + 1}" for k, h in enumerate(kept[0][1])]
    _, heads, parents = _outline(text, 0, len(text))
    titles = [_ATTRIBUTES.sub("", text[a:b].strip().lstrip("#")).strip() for a, b, _ in heads]

    def path(k: int) -> list[str]:  # ["Preprocessors", "Usages"]: the heading and those above it
        return [titles[k]] if parents[k] < 0 else [*path(parents[k]), titles[k]]

    breaks = [m.start() for m in re.finditer("\n", text)]
    head_lines = [bisect_left(breaks, a) for a, _, _ in heads]
    out: list[list[str | None]] = []  # each row: its section (set below), then its cells
    targets: list[list[str | None]] = []
    paths: list[list[str]] = []
    for at, _, rows in kept:
        k_above = bisect_left(head_lines, at) - 1
        above = path(k_above) if k_above >= 0 else []
        for row in rows:
            cells = (row + [""] * len(header))[:len(header)]
            read = [_plain(c) for c in cells]
            out.append([None, *(r[0] for r in read)])
            targets.append([r[1] for r in read])
            paths.append(above)
    if question and not _names_any(question, header, out):
        return None
    shared = 0  # the headings every table stands under (the page's title) say nothing of a row
    while paths and all(len(p) > shared + 1 and p[shared] == paths[0][shared] for p in paths):
        shared += 1
    for made, path_of in zip(out, paths, strict=True):
        made[0] = " > ".join(path_of[shared:]) or None
    linked = [k for k in range(len(header)) if sum(t[k] is not None for t in targets) >= _LINKED_SHARE * len(out)]
    names = ["section", *header, *(f"{header[k]} link" for k in linked)]
    return Table.of_rows(names, [[*row, *(t[k] for k in linked)] for row, t in zip(out, targets, strict=True)])


def _names_any(question: str, header: list[str], rows: list[list[str | None]]) -> bool:
    """Whether the question writes a word of a column's name or of a cell (not the section's),
    in its singular or plural ("classes" of `Class`, "extensions" of `extension`)."""
    def stems(text: str) -> set[str]:
        return {re.sub(r"(?:es|s)$", "", w) for w in re.findall(r"[a-z][a-z-]{2,}", text.lower())} - _PLAIN

    asked = stems(question)
    return bool(asked & stems(" ".join(header)) or any(asked & stems(c or "") for row in rows for c in row[1:]))


_PLAIN = frozenset("the and for with from this that what which how many are was were has have does".split())
