"""A text's items as a table, for the one SQL query a sub-model writes (`recursor.table_sql`).

Questions about a changelog, a config file or a manual page count, filter and rank its
items: "which person is credited with the most changes?", "how many changes does the 3.2
release list?", "how many of the keywords start with GSSAPI?". The small root grepped a word
and answered from the hits. Each such text is a table already, written as prose: a changelog
is its releases' items (a release's heading, its version and date, the item's text and whom it
credits), a config file its settings (section, name, value, in force or not, comment), a
manual page its terms (the section, the term's line and what it says). Read into rows, the
query writer that answers table questions answers these in one SELECT too.

Only structure is read, never a format's name: a release is a heading of the highest level
whose headings write versions (`helpers._outline`, release lines included), an item a bullet
at its section's first bullet indent with what is indented below it (else a tagged line, else
a paragraph), a credit the parenthesised words or handle that items end with; a setting a
`key = value` line; a term a line over a body indented deeper than it, at the indent most
such lines share.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from itertools import pairwise

from recursor.look_pipe_tables import pipe_tables
from recursor.look_types import types_table
from recursor.sandbox.helpers import _outline, dated_below, to_date
from recursor.table_sql import Table

__all__ = ["items_table"]

_LEAST = 5
"""Items (terms) a text must hold to be read as a table of them."""
_VERSIONED = 0.8
"""Share of a text's top headings that must write a version for them to be releases."""
_CREDITED = 0.3
"""Share of the items that must end in parentheses for those to be the items' credits."""
_DISTINCT = 0.8
"""Share of a page's terms that must be distinct: a module's `def` lines over bodies are none."""
_BULLET = re.compile(r"([ \t]*)(?:[*+\u2022-]|\d{1,3}[.)])[ \t]+(\S.*)")
_TAGGED = re.compile(r"[\w./+-]{1,20} ?: \S")
"""An unindented change tagged with what it touches ("perf: ...", "cli: ...", "fix: ...")."""
_TAGGED_SHARE = 0.6
_HANDLE = re.compile(r"(?<![\w.])@([A-Za-z0-9][\w-]{0,38})\b")
"""A person credited by their handle ("(#3449, @terrelln)")."""
_CREDIT = re.compile(r"\(([^()]{2,60})\)\s*\.?$")
"""An item's credit: the parentheses it ends with ("(Ben Noordhuis)"), not an issue's number."""
_NO_CREDIT = re.compile(r"#\d|`|^(?:LP|Closes|closes|See|see|Issue|issue|bug|Bug|fd\.o)\b|^\W*$")
"""Parentheses that cite an issue, not a person: "(#123)", "(LP: #1)", ":bzbug:`N`"."""
_FULL_VERSION = re.compile(r"(?<![\w.])[vV]?\d+(?:\.\d+)+[a-z]?(?:[-~+:][\w.~+]*\w)*(?![\w])")
_NUMBERED_TITLE = re.compile(r"[#*\s]*\d+(?:\.\d+)*\.?\s+[A-Za-z]")
_TO_BEFORE = re.compile(r"\s*(?:to|->|\u2192)\s*", re.IGNORECASE)
"""What stands between two versions of a span ("3.1c TO 3.2"): the release is the second."""
_SIGNED = re.compile(r"^ -- .+?<[^>]*>\s+(.+)$", re.MULTILINE)
"""A Debian changelog entry's trailer: the signer and the date its release is dated by."""
_DATE_VERSION = re.compile(r"(?:19|20)\d\d[.-]\d\d?[.-]\d\d?")
_SETTING = re.compile(r"[ \t]*(?P<off>[#;][ \t]*)?(?P<key>[A-Za-z_][\w.\-/]*)[ \t]*=[ \t]*(?P<value>.*)")
"""A `key = value` line, or one commented out (`#port = 5432`): a config file's setting."""
_FRAMED = re.compile(r"-+\s+(\S.{0,60}?)\s+-+")
_CAPS_TITLE = re.compile(r"[A-Z][A-Z0-9 ,&/'-]{3,80}(?:\s*\([^()]{1,40}\))?")
_TITLE_WORDS = 8
"""A config file's titles in comments: "# CONNECTIONS AND AUTHENTICATION" heads a section,
"# - Connection Settings -" a part of it."""
_TRAILING_COMMENT = re.compile(r"\s+[#;].*$")
_SECTION = re.compile(r"[ \t]*\[([^\]\n]{1,80})\][ \t]*")
_SETTINGS_SHARE = 0.5
"""Share of a text's lines, comments aside, that must be settings in force for it to be read
as a config file: a script's assignments are few among its other lines."""
_CODE_LINE = re.compile(r"(?:def|class|import|from|return|raise|if|elif|for|while|try|except|with|async|await|"
                        r"#include|#define|public|private|static|void|func|fn|let|const|var)\b")
_CODE_SHARE = 0.01
"""Share of a text's lines that start unindented as code for it to be code, whose lines are no
terms (a man page indents its synopsis and examples)."""
_INLINE_TERM = 30
_TERMS_APART = 12
"""Lines between two terms around a one-line option, at most."""
_TERM_LINE_MAX = 100
_BODY_MAX = 2_000
"""Characters of an item's or a term's text kept: enough for LIKE, never the whole text."""


def items_table(text: str, question: str = "") -> Table | None:
    """The text's changelog items, else its quoted records, else its Markdown tables, else its
    type declarations (when the question names their kind), else its settings, else its YAML mappings, else its terms, as a table; None when it has none of them. Markdown tables only
    when the `question` names a column or a cell of theirs."""
    return (_changes(text) or _quoted_records(text) or pipe_tables(text, question) or types_table(text, question)
            or _settings(text) or _mappings(text) or _terms(text))


_KEYED = re.compile(r'([A-Za-z_][\w]*(?:\[\d+\])?)[ \t]+"((?:[^"\\]|\\.)*)"[ \t]*')
"""A record's field: a keyword, then a quoted string (`msgstr "Campos"`, `msgstr[0] "..."`)."""
_GOES_ON = re.compile(r'"((?:[^"\\]|\\.)*)"[ \t]*')
"""A quoted string alone on its line: the field above goes on."""
_RECORDS_SHARE = 0.8
"""Share of a text's blocks with a keyed field that must be quoted records for it to be a table of them."""


def _quoted_records(text: str) -> Table | None:
    """Records of keyword-and-quoted-string fields, a blank line apart, a field going on over
    quoted lines, with `#` comment lines (a message catalogue's `msgid "..."` / `msgstr ""`
    entries): one row a record, a column per keyword (the string joined, its escapes read)
    and `comments` (its comment lines, as written). An empty string is no value: "not yet
    translated" is `msgstr IS NULL` (a plural's first form is its `msgstr`); a first record whose
    first string is empty (a catalogue's header) is no row. None when fewer than `_LEAST` blocks are such records, or
    they are few of the blocks that write a keyed field, or under half of all the blocks."""
    keys: dict[str, None] = {}
    records: list[dict[str, str]] = []
    keyed_blocks = blocks = 0
    for block in re.split(r"\r?\n[ \t]*\r?\n", text):
        blocks += bool(block.strip())
        fields: dict[str, str] = {}
        comments: list[str] = []
        key: str | None = None
        keyed = ok = False
        for line in block.strip("\n").split("\n"):
            line = line.rstrip("\r")
            if line.startswith("#"):
                comments.append(line)
            elif (m := _KEYED.fullmatch(line)) is not None:
                key = m.group(1).replace("[", "_").rstrip("]")
                fields[key] = fields.get(key, "") + _unquoted(m.group(2))
                keyed = ok = True
            elif key is not None and (m := _GOES_ON.fullmatch(line)) is not None:
                fields[key] += _unquoted(m.group(1))
            elif line.strip():
                ok = False
                break
        keyed_blocks += keyed
        if ok and fields:
            if "msgstr" not in fields and (plural := fields.get("msgstr_0")) is not None:
                fields["msgstr"] = plural  # a plural's first form is its string: "not translated" is one test
            for k in fields:
                keys.setdefault(k)
            records.append({**fields, "comments": "\n".join(comments)} if comments else fields)
    if records and not records[0][lead := next(iter(records[0]))] and any(
            v for k, v in records[0].items() if k not in (lead, "comments")):
        records = records[1:]  # a first record whose first string is empty is the file's header, no message
    if len(records) < _LEAST or len(records) < _RECORDS_SHARE * keyed_blocks or 2 * len(records) < blocks:
        return None
    # A keyword whose strings are all empty (a plural's `msgstr[1] ""`) tells nothing.
    header = [k for k in [*keys, "comments"] if any(r.get(k) for r in records)]
    rows = [[r.get(k) or None for k in header] for r in records]
    return Table.of_rows(header, rows, row="one record (a blank line apart)")


def _unquoted(value: str) -> str:
    """A quoted string's text, its backslash escapes read (`\\n`, `\\"`, `\\\\`)."""
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), value)


def _version(heading: str) -> str | None:
    """The version a release's heading names: the one after "to" when it writes a span ("3.2"
    of "CHANGES FROM 3.1c TO 3.2"), else its first that is no date ("1.33.1" of "2019.10.20,
    Version 1.33.1 (Stable)", "2.39.5" of "Version v2.39.5; changes since v2.39.4:"), with its
    suffix ("2.0-2", "2.0~rc1-1", "2.0.0-beta.1")."""
    if _NUMBERED_TITLE.match(heading):
        return None  # "1.1 Scope": a section's number
    found = [m for m in _FULL_VERSION.finditer(heading) if not _DATE_VERSION.fullmatch(m.group(0))]
    if not found:
        return None
    after_to = [m for k, m in enumerate(found) if k and _TO_BEFORE.fullmatch(heading[found[k - 1].end():m.start()])]
    return (after_to[0] if after_to else found[0]).group(0).lstrip("vV")


def _indent(line: str) -> int:
    expanded = line.expandtabs(8)
    return len(expanded) - len(expanded.lstrip())


def _changes(text: str) -> Table | None:
    """A changelog's items under its releases: (heading, version, released, release_order,
    part, item, credit); None unless the headings of one level, the highest such, are three
    or more and most write a version (a title above them, "# Changelog", is none)."""
    _, heads, _ = _outline(text, 0, len(text))
    # The highest level whose headings write versions, with at most a title above it.
    level = next((lvl for lvl in sorted({lvl for _, _, lvl in heads})
                  if _titles_above(heads, lvl) <= 1 and _versioned(text, heads, lvl)), None)
    if level is None:
        return None
    releases = [(a, b) for a, b, lvl in heads if lvl == level]
    versions = [_version(text[a:b]) for a, b in releases]
    parts = [(a, _title(text[a:b])) for a, b, lvl in heads if lvl > level]
    part_at = [a for a, _ in parts]
    rows: list[list[str | None]] = []
    # A release ends at the next heading of its level or above ("## License" after "### 1.0.0").
    above = [a for a, _, lvl in heads if lvl <= level]
    bounds = [above[k + 1] if k + 1 < len(above) else len(text) for k in (bisect_left(above, a) for a, _ in releases)]
    for order, ((a, b), version, end) in enumerate(zip(releases, versions, bounds, strict=True), 1):
        heading = _title(text[a:b])
        signed = _SIGNED.search(text, b, end)
        # "vim (2:8.2.4793-1)" is no date; psutil dates a release on the line under its heading.
        day = (to_date(signed.group(1)) if signed else None) or to_date(heading) or dated_below(text, b, end)
        first, last = bisect_left(part_at, b), bisect_left(part_at, end)
        here = part_at[first:last]
        for at, item in _items(text, b, end, set(here)):
            k = bisect_left(here, at) - 1
            part = parts[first + k][1] if k >= 0 else None
            rows.append([heading, version, day.isoformat() if day else None, str(order), part, item])
    if len(rows) < _LEAST:
        return None
    header = ["heading", "version", "released", "release_order", "part", "item"]
    credits = [_credit(r[5] or "") for r in rows]
    if sum(c is not None for c in credits) >= _CREDITED * len(rows):
        header.append("credit")
        rows = [[*r, c] for r, c in zip(rows, credits, strict=True)]
    if not any(r[4] for r in rows):
        header.pop(4)
        rows = [r[:4] + r[5:] for r in rows]
    return Table.of_rows(header, rows)


def _credit(item: str) -> str | None:
    """Whom an item credits in the parentheses it ends with: a handle there ("terrelln" of
    "(#3449, @terrelln)"), else the words unless they cite an issue ("(LP: #1)")."""
    m = _CREDIT.search(item)
    if m is None:
        return None
    if (handle := _HANDLE.search(m.group(1))) is not None:
        return handle.group(1)
    credit = m.group(1).strip()
    return None if _NO_CREDIT.search(credit) else credit


def _title(line: str) -> str:
    """A heading's text without its marks ("### Added" is "Added")."""
    return line.strip().lstrip("#*").strip()


def _titles_above(heads: list[tuple[int, int, int]], level: int) -> int:
    """The headings above `level` before its first: a changelog's title, or a README's sections."""
    first = next(a for a, _, lvl in heads if lvl == level)
    return sum(1 for a, _, lvl in heads if lvl < level and a < first)


def _versioned(text: str, heads: list[tuple[int, int, int]], level: int) -> bool:
    at = [text[a:b] for a, b, lvl in heads if lvl == level]
    return len(at) >= 3 and sum(_version(h) is not None for h in at) >= _VERSIONED * len(at)


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
        out: list[tuple[int, list[tuple[int, str]]]] = []
        blank = False
        for at, line in lines:
            m = _BULLET.fullmatch(line)
            if at in heads or (line.strip() and blank and _indent(line) <= base and (m is None or _indent(m.group(1)) < base)):
                out.append((-1, []))  # a heading, or an unindented line after a blank one, ends the item
            elif m is not None and _indent(m.group(1)) == base:
                out.append((at, [(at, line)]))
            elif line.strip() and out and out[-1][0] >= 0:
                out[-1][1].append((at, line))
            blank = not line.strip()
        return [item for at, held in out if at >= 0 for item in _unfolded(held)]
    filled = [(at, line) for at, line in lines if line.strip() and at not in heads]
    if filled and sum(1 for _, line in filled if _TAGGED.match(line)) >= _TAGGED_SHARE * len(filled):
        return [(at, _joined([line])) for at, line in filled]  # "perf: faster huffman (#3449, @terrelln)": a line each
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


def _unfolded(held: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """One bullet's item with the lines below it; a bullet that only names a group ("* Bugs
    fixed:") over bullets of its own is those bullets, each an item."""
    first = _BULLET.fullmatch(held[0][1])
    subs = [k for k, (_, line) in enumerate(held[1:], 1) if _BULLET.fullmatch(line)]
    if first is None or not first.group(2).rstrip().endswith(":") or len(subs) < 2:
        return [(held[0][0], _joined([_BULLET.sub(r"\2", line).strip() for _, line in held[:1]]
                                      + [line.strip() for _, line in held[1:]]))]
    out = []
    for k, nxt in zip(subs, [*subs[1:], len(held)], strict=True):
        words = [_BULLET.sub(r"\2", held[k][1]).strip(), *(line.strip() for _, line in held[k + 1:nxt])]
        out.append((held[k][0], _joined(words)))
    return out


def _joined(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())[:_BODY_MAX]


def _settings(text: str) -> Table | None:
    """A config file's settings: `key = value` lines, those commented out too (`active` 'no':
    a file of defaults writes them so), a value continued over lines ending in a backslash
    joined, a trailing comment apart, an INI `[section]` kept: (section, name, value, active,
    comment; a title in a comment heads a section too, "# - Part -" a subsection); None when fewer than `_LEAST` are in force or they are few of the lines that are
    no comment."""
    lines = text.split("\n")
    rows: list[list[str | None]] = []
    section: str | None = None
    subsection: str | None = None
    filled = 0
    i = 0
    while i < len(lines):
        line = lines[i].rstrip("\r")
        i += 1
        if not line.strip():
            continue
        filled += not line.lstrip().startswith(("#", ";"))
        if (head := _SECTION.fullmatch(line)) is not None:
            section, subsection = head.group(1).strip(), None
            continue
        said = line.strip().lstrip("#;").strip()
        if line.lstrip()[:1] in ("#", ";") and (framed := _FRAMED.fullmatch(said)) is not None:
            subsection = framed.group(1)  # "# - Connection Settings -"
            continue
        if line.lstrip()[:1] in ("#", ";") and _CAPS_TITLE.fullmatch(said) and len(said.split()) <= _TITLE_WORDS:
            section, subsection = said, None  # "# CONNECTIONS AND AUTHENTICATION"
            continue
        m = _SETTING.fullmatch(line)
        if m is None:
            continue
        value = m.group("value")
        while value.endswith("\\") and i < len(lines):  # continued on the next line
            value = value[:-1].rstrip() + " " + lines[i].strip().lstrip("#").strip()
            i += 1
        kept, comment = _value_and_comment(value)
        rows.append([section, subsection, m.group("key"), kept, "no" if m.group("off") else "yes", comment])
    active = sum(r[4] == "yes" for r in rows)
    if active < _LEAST or active < _SETTINGS_SHARE * filled:
        return None
    header = ["section", "subsection", "name", "value", "active", "comment"]
    keep = [k for k, name in enumerate(header) if name in ("name", "value", "active") or any(r[k] for r in rows)]
    return Table.of_rows([header[k] for k in keep], [[r[k] for k in keep] for r in rows])


def _value_and_comment(value: str) -> tuple[str, str | None]:
    """A setting's value, its quotes taken off, and the comment after it, if any:
    `'%m [%p] ' # special values:` is ('%m [%p] ', 'special values:')."""
    value = value.strip()
    if value[:1] in ("'", '"') and (close := value.find(value[0], 1)) > 0:
        rest = value[close + 1:].strip()
        if not rest or rest[:1] in ("#", ";"):  # one quoted value, perhaps a comment after it
            return value[1:close], rest.lstrip("#;").strip() or None
    comment = _TRAILING_COMMENT.search(value)
    if comment is None:
        return " ".join(value.split()), None
    return " ".join(value[:comment.start()].split()), comment.group(0).strip().lstrip("#;").strip() or None


def _wrapped_from(lines: list[str], i: int, own: int) -> int:
    """Where the term on line `i` starts: the line above it when that one, at the same indent,
    starts a paragraph (a term wrapped: "tcp_bic_fast_convergence (Boolean; ... 2.6.6" over
    "to 2.6.13)")."""
    above = i - 1
    if above < 0 or not lines[above].strip() or _indent(lines[above]) != own or _inline_term(lines[above]):
        return i  # an option of one line above ("-i      Interactive.") is a term of its own
    starts = above == 0 or not lines[above - 1].strip() or _indent(lines[above - 1]) > own
    return above if starts else i


def _inline_term(line: str, column: int | None = None) -> bool:
    """Whether a line is a short term and its text on one line, apart by two spaces or more:
    "-v      Print shell input lines as they are read."; with `column`, the text starts there,
    where the terms' bodies do (justified prose, "Bash  also  interprets", does not)."""
    head = line.strip().split("  ", 1)
    if not (len(head) == 2 and head[1].strip() and len(head[0]) <= _INLINE_TERM
            and (head[0].startswith("-") or " " not in head[0]) and not head[0].endswith((".", ",", ":"))):
        return False
    return column is None or _indent(line) + len(head[0]) + len(head[1]) - len(head[1].lstrip()) + 2 == column


def _near_terms(i: int, at: list[int]) -> bool:
    """Whether line `i` is among the terms (their lines `at`, in order): one within a few
    lines above and one below."""
    pos = bisect_left(at, i)
    return 0 < pos < len(at) and at[pos] - at[pos - 1] <= _TERMS_APART


_TOP_KEY = re.compile(r"([^\s#:][^:#]{0,80}):[ \t]*(?:#.*)?")
"""A YAML key at a line's start with its value below it: `MAX_FILE_SIZE_FOR_DIFF:`."""
_SUB_KEY = re.compile(r"([ \t]+)([^\s#:\-][^:#]{0,60}):(?:[ \t]+(.*))?")
_MAPPINGS_SHARE = 0.8
"""Share of a text's unindented lines (comments aside) that must be such keys."""
_FIELD_ROWS = 0.05
"""Share of the mappings that must have a field for it to be a column (`choices:` of one setting in ten)."""
_FIELDS_MAX = 24


def _mappings(text: str) -> Table | None:
    """A YAML file that maps names to mappings (a configuration's settings, each with `name:`,
    `default:`, `description:`, `ini:` ...), read line by line (no YAML parser): one row a
    name (`key`), a column a field one in twenty of them has, its value the field's line and the
    lines under it joined (a list's `- {key: x, section: galaxy}` items as written). None
    when the text is no such file or has fewer than `_LEAST` mappings."""
    lines = text.split("\n")
    top = [line for line in lines if line.strip() and line[:1] not in (" ", "\t", "#") and line.strip() != "---"]
    keyed = [m for line in top if (m := _TOP_KEY.fullmatch(line.rstrip())) is not None]
    if len(keyed) < _LEAST or len(keyed) < _MAPPINGS_SHARE * len(top):
        return None
    rows: list[tuple[str, dict[str, list[str]]]] = []
    field: list[str] | None = None
    indent = -1
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[:1] not in (" ", "\t"):
            if (m := _TOP_KEY.fullmatch(line.rstrip())) is not None:
                rows.append((m.group(1).strip(), {}))
            field, indent = None, -1
            continue
        if not rows:
            continue
        sub = _SUB_KEY.fullmatch(line.rstrip())
        own = len(line) - len(line.lstrip())
        if sub is not None and (indent < 0 or own == indent):
            indent = own
            field = rows[-1][1].setdefault(sub.group(2).strip(), [])
            if sub.group(3):
                field.append(sub.group(3).strip())
        elif field is not None:
            field.append(line.strip())
    if len(rows) < _LEAST:
        return None
    seen = Counter(name for _, fields in rows for name in fields)  # by first place, as the text writes them
    kept = {n for n, c in seen.most_common(_FIELDS_MAX) if c >= _FIELD_ROWS * len(rows)}
    if not kept:
        return None
    order = [n for n in seen if n in kept]
    header = ["key", *(n if n != "key" else "key_field" for n in order)]
    return Table.of_rows(header, [[key, *(_joined(f[n])[:_BODY_MAX] if n in f else None for n in order)]
                                  for key, f in rows])


def _terms(text: str) -> Table | None:
    """A manual page's terms: each line over a body indented deeper than it, at the indent
    most such lines share, with its section (the top heading above it) and the body's text:
    (section, term, term_line, description); None for fewer than `_LEAST`."""
    lines = text.split("\n")
    if sum(1 for line in lines if _CODE_LINE.match(line)) >= max(3, _CODE_SHARE * len(lines)):
        return None  # a module's lines over their bodies are statements, not terms
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
    # An option of one line ("-v      Print shell input lines."), at the terms' indent, between them.
    taken = {i for i, _, _ in found}
    at = [k for k, own, _ in found if own == indent]
    bodies = {k: b for k, own, b in found if own == indent}
    found += [(i, indent, bodies[at[pos - 1]]) for i in filled if i not in taken and _indent(lines[i]) == indent
              and _near_terms(i, at) and (pos := bisect_left(at, i)) and _inline_term(lines[i], bodies[at[pos - 1]])]
    found.sort()
    n = sum(1 for _, own, _ in found if own == indent)
    terms_at = [lines[i].split()[0] for i, own, _ in found if own == indent]
    if n < _LEAST or len(set(terms_at)) < _DISTINCT * n:
        return None  # code's `def` and `raise` lines over their bodies are no terms
    _, heads, _ = _outline(text, 0, len(text))
    top = min((level for _, _, level in heads), default=0)
    line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
    starts = [(bisect_right(line_starts, a) - 1, text[a:b].strip()) for a, b, level in heads if level == top]
    start_lines = [at for at, _ in starts]
    rows: list[list[str | None]] = []
    bodies_said: list[list[str]] = []
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
        k_head = bisect_left(start_lines, i) - 1
        section = starts[k_head][1] if k_head >= 0 else None
        rows.append([section, head[0].split()[0] if head[0].split() else line, line, _joined(said)])
        bodies_said.append(said)
    header = ["section", "term", "term_line", "description"]
    # Fields each body writes under labels ("Type: bool", "Default: true", "Description:"
    # over its text): a column each, so "the settings that take a plain true/false value"
    # are the rows whose `type` is `bool`, not those whose whole text holds "bool".
    labelled = _labelled_fields(bodies_said, ["section", "term", "term_line"])
    if labelled:
        if "description" in labelled[0]:
            header[3] = "body"  # the whole body; its "Description:" field is `description`
        header += list(labelled[0])
        rows = [[*r, *values] for r, values in zip(rows, labelled[1], strict=True)]
    # A type written in brackets after each term ("autosave_bookmarks [bool]", "--jobs <n>"):
    # "on/off switches" are the `bool` ones, which no description says in those words.
    types = [m.group(1).strip() if (m := _TERM_TYPE.match(r[2] or "")) else None for r in rows]
    if sum(t is not None for t in types) >= max(_LEAST, _TYPED_SHARE * len(rows)):
        header.append("type")
        rows = [[*r, t] for r, t in zip(rows, types, strict=True)]
    return Table.of_rows(header, rows)


_FIELD_LABEL = re.compile(r"([A-Z][A-Za-z]{1,20}(?: [A-Za-z]{1,20}){0,2}):(?:\s+(\S.*))?")
"""A labelled field's first line in a term's body: "Type: bool", "Description:" over its text."""
_FIELD_SHARE = 0.5
"""Share of the terms whose bodies must write a label for it to be a column."""


def _labelled_fields(bodies: list[list[str]], taken: list[str]) -> tuple[list[str], list[list[str | None]]] | None:
    """The labels at least `_FIELD_SHARE` of the bodies write at a line's start, as columns
    (their names in lower case, apart from `taken`), and each body's value of each: the text
    after its label up to the next such label; None when no label is that common."""
    seen: Counter[str] = Counter()  # by first place: columns in the order the text writes them
    for said in bodies:
        seen.update(list(dict.fromkeys(m.group(1) for line in said if (m := _FIELD_LABEL.fullmatch(line)))))
    labels = [label for label, n in seen.items() if n >= max(_LEAST, _FIELD_SHARE * len(bodies))]
    ending = {label for label, n in seen.items() if n >= _LEAST}  # a rarer field ("Example:") ends the one above it
    if not labels:
        return None
    names = [(low if low not in taken else f"{low}_field") for label in labels
             for low in [re.sub(r"\W+", "_", label.lower())]]
    values: list[list[str | None]] = []
    for said in bodies:
        got: dict[str, list[str]] = {}
        current: list[str] | None = None
        for line in said:
            m = _FIELD_LABEL.fullmatch(line)
            if m is not None and m.group(1) in ending:
                current = got.setdefault(m.group(1), []) if m.group(1) in labels else None
                if current is not None and m.group(2):
                    current.append(m.group(2))
            elif current is not None and line:
                current.append(line)
        values.append([_joined(got[label])[:_BODY_MAX] if label in got else None for label in labels])
    return names, values


_TERM_TYPE = re.compile(r"\S+\s+[\[<(]\s*([A-Za-z][\w .|-]{0,23}?)\s*[\]>)](?:\s|$)")
"""The bracketed word right after a term: "[bool]", "<file>", "(string)"."""
_TYPED_SHARE = 0.2
