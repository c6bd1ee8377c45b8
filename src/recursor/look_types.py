"""A source file's type declarations as a table, for the query writer (`recursor.table_sql`).

"Which interface in this file declares the most members?", "How many of the classes extend
another?": a TypeScript declaration file, a Java, C#, Kotlin, Swift, Rust or C++ source holds
its types as blocks in braces, `interface Array<T> extends ReadonlyArray<T> { ... }`. The 1.5B
grepped the word "members" and found doc comments. One row a declaration (its kind, name,
type parameters, what it extends or implements, how many members its body declares) answers
such questions in one SELECT.

General: brace-bodied declarations of the C family's syntax (strings, comments and regular
expressions skipped as `look_jsfuncs` skips them); nothing here knows a file.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from recursor.look_jsfuncs import brace_end
from recursor.table_sql import Table

__all__ = ["ASKS_TYPES", "types_table"]

_DECLARED = re.compile(
    r"^[ \t]*(?:(?:export|declare|public|private|protected|internal|abstract|sealed|static|final|default|data|open"
    r"|partial|pub(?:\([^)\n]*\))?)[ \t]+)*(?P<kind>interface|class|enum|struct|trait|record|protocol)[ \t]+"
    r"(?P<name>[A-Za-z_$][\w$]*)", re.MULTILINE)
ASKS_TYPES = re.compile(r"\b(?:interfaces?|class(?:es)?|enums?|structs?|traits?|records?|protocols?)\b", re.IGNORECASE)
"""A question about a file's declarations names their kind."""
_LEAST = 5
"""Declarations a text must have for them to be a table."""
_HEAD_MOST = 600
"""Characters between a declaration's name and its body's brace: a longer gap is no head."""
_READ_UP_TO = 2_000_000
_BLANKS = re.compile(r"[ \t]*")


def _generics(text: str, at: int) -> int:
    """Where the type parameters that open at `at` (`<T extends U = {}>`) close, past it."""
    depth = 0
    for i in range(at, min(len(text), at + _HEAD_MOST)):
        depth += {"<": 1, ">": -1}.get(text[i], 0)
        if depth == 0:
            return i + 1
    return at


def _members(text: str, brace: int, end: int, enum: bool) -> int:
    """How many members a body declares: its statements at its own level, each ended by `;`
    (by `,` in an enum) or by a nested body's closing brace (a method's), comments, strings
    and nested bodies skipped."""
    count, pending, i = 0, False, brace + 1
    stops = ";," if enum else ";"
    while i < end:
        c = text[i]
        if c == "/" and text.startswith("//", i):
            i = text.find("\n", i)
            i = end if i < 0 else i
            continue
        if c == "/" and text.startswith("/*", i):
            i = text.find("*/", i + 2)
            i = end if i < 0 else i + 2
            continue
        if c in "\"'`":
            j = i + 1
            while j < end and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            i, pending = j + 1, True
            continue
        if c == "{":
            close = brace_end(text, i)
            if close is None or close > end:
                return count
            i = close + 1
            after = text[i:i + 1]
            nxt = text[i:i + _HEAD_MOST].lstrip()[:1]
            if (after and after in "[<>.=?;,)|&") or not (nxt.isalnum() or nxt in "_$}@#/\"'["):
                pending = True  # an object type inside a member: `x: { a: 1 }[];`
            else:
                count, pending = count + 1, False  # a method's body ends its member
            continue
        if c in stops:
            count, pending = count + pending, False
        elif not c.isspace():
            pending = True
        i += 1
    return count + pending


def types_table(text: str, question: str) -> Table | None:
    """The text's brace-bodied declarations as rows (`line`, `kind`, `name`,
    `type_parameters`, `extends`: its heritage clause as written, `extends Array<T>` or
    `: public Base`, `members`), when `question` names a kind of declaration (`ASKS_TYPES`);
    None otherwise, for a longer text, or for fewer than `_LEAST` declarations."""
    if len(text) > _READ_UP_TO or not ASKS_TYPES.search(question):
        return None
    breaks = [m.start() for m in re.finditer("\n", text)]
    rows: list[list[str | None]] = []
    for m in _DECLARED.finditer(text):
        at = m.end()
        spaced = _BLANKS.match(text, at)
        after = spaced.end() if spaced else at
        params = None
        if text[after:after + 1] == "<":
            closed = _generics(text, after)
            params, at = text[after:closed], closed
        brace = text.find("{", at, at + _HEAD_MOST)
        if brace < 0 or ";" in text[at:brace] or "(" in text[at:brace].split("extends")[0].split(":")[0]:
            continue  # a forward declaration (`struct s;`), or no body near its name
        end = brace_end(text, brace)
        if end is None:
            continue
        heritage = " ".join(text[at:brace].split()) or None
        rows.append([str(bisect_left(breaks, m.start()) + 1), m.group("kind"), m.group("name"), params, heritage,
                     str(_members(text, brace, end, m.group("kind") == "enum"))])
    if len(rows) < _LEAST:
        return None
    return Table.of_rows(["line", "kind", "name", "type_parameters", "extends", "members"], rows,
                         note="(one row a declaration; a name declared twice, merged, has a row for each)")
