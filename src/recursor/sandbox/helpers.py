"""REPL helpers for reading a large text with code: search, lines and records, dates,
counting and grouping, and sub-model mapping or labelling.

How it is loaded: the host reads this file's source (`prompts_small.helpers_source()`) and
runs it as setup code in the REPL (`SmallModelPrompts.repl_setup`), the way any cell runs. So the
worker gains no access to the host's package directory: under bubblewrap it still sees
only its own script, and the helpers' functions live in the REPL's namespace, where
`context` and `llm_query_batched` are the REPL's globals. Imported as a module (tests),
set `helpers.context` and `helpers.llm_query_batched` first.

Rules for this file:

- standard library only: the worker imports nothing else;
- what model code may overwrite is never used inside: modules are imported under `_`
  names and helpers call each other through `_` aliases (set at the end), so a cell such as
  `lines = lines()` or `date = ...` does not break the helpers;
- nothing here makes a sub-call unless the model calls `map_query` or `classify`, and
  `classify` reads a label from the text itself when the text writes it;
- printed output stays short (a small model reads every character of it);
- nothing here knows any benchmark: these are tools for any text. The module must not end
  with a bare expression (the REPL would print it).
"""

from __future__ import annotations

import ast as _ast
import contextlib as _contextlib
import csv as _csv
import difflib as _difflib
import functools as _functools
import io as _io
import json as _json
import re as _re
import sqlite3 as _sqlite3
import sys as _sys
import time as _time
import tomllib as _tomllib
import unicodedata as _unicodedata
from bisect import bisect_right as _bisect_right
from collections import Counter as _Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date as _date
from datetime import datetime as _datetime
from datetime import timedelta as _timedelta
from decimal import Decimal as _Decimal
from typing import Any, TypeVar


def _no_sub_model(prompts: Any, model: Any = None, choices: Any = None) -> list[str]:
    raise RuntimeError("no sub-model: set helpers.llm_query_batched first")


# Run in the REPL, these keep the REPL's own objects (globals() is the REPL's namespace);
# imported as a module, they are placeholders a test replaces.
context: Any = globals().get("context")
llm_query_batched: Callable[..., list[str]] = globals().get("llm_query_batched", _no_sub_model)

# -- the context as text ----------------------------------------------------------------------

_DOC: str | None = None
_DOC_OF: Any = None
_ENTRIES: list[tuple[int, int, Any]] = []
"""For a dict or list context: each entry's (start, end) in `_doc()` (its value, after any
"key: ") and its key or index, in order; empty for a str context."""


def _no_cite(start: Any, end: Any, key: Any = None) -> None:
    return None


_cite: Callable[..., None] = globals().get("cite", _no_cite)
"""The REPL's `cite`, kept under this name: the helpers log what they read of the context."""

_re = _sys.modules.get("re", _re)
"""The real `re`. The REPL's `import re` gives model code one that logs what it finds in the
context (`readlog`); the helpers log the lines they show themselves, and stay fast."""

_quiet: Callable[[], Any] = globals().get("_reads_quiet", _contextlib.nullcontext)
"""The REPL's switch that stops logging plain reads (`readlog`) while a helper scans."""


def _own_reads(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn` logs only what it `_note`s: its scanning of the context is no evidence."""

    @_functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        with _quiet():
            return fn(*args, **kwargs)

    return run


def _doc() -> str:
    """The context as one string (a list's items or a dict's entries one per line)."""
    global _DOC, _DOC_OF, _ENTRIES
    c = context
    if _DOC is None or _DOC_OF is not c:
        _ENTRIES = []
        if isinstance(c, str):
            _DOC = c
        elif isinstance(c, (dict, list, tuple)):
            parts, pos = [], 0
            pairs = c.items() if isinstance(c, dict) else enumerate(c)
            for k, v in pairs:
                head = f"{k}: " if isinstance(c, dict) else ""
                text = str(v)
                _ENTRIES.append((pos + len(head), pos + len(head) + len(text), k))
                parts.append(head + text)
                pos += len(head) + len(text) + 1
            _DOC = "\n".join(parts)
        else:
            _DOC = str(c)
        _DOC_OF = c
    return _DOC


def _of_context(text: Any) -> bool:
    """Whether a helper's `text` is the context itself (None, or a str context passed as is)."""
    if text is None or (isinstance(text, str) and text is context):
        _doc()
        return True
    return False


def _note(spans: Iterable[tuple[int, int]], limit: int = 50) -> None:
    """Log spans of `_doc()` as reads of the context, each as (key, start, end) in its entry."""
    if _DOC is None:
        return
    for s, e in list(spans)[:limit]:
        if not _ENTRIES:
            _cite(s, e)
            continue
        i = _bisect_right(_ENTRIES, (s, float("inf"))) - 1
        if i < 0 or s >= _ENTRIES[i][1]:
            i += 1  # in an entry's "key: " head: the entry itself
        if 0 <= i < len(_ENTRIES):
            start, end, key = _ENTRIES[i]
            lo, hi = max(s, start) - start, min(max(e, s + 1), end) - start
            if hi > lo:
                _cite(lo, hi, key)


def _as_text(text: Any = None) -> str:
    if text is None:
        return _doc()
    if isinstance(text, (list, tuple)):
        return "\n".join(str(x) for x in text)
    return str(text)


# -- search -----------------------------------------------------------------------------------

_STOP = frozenset(
    """
a about above after again all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each either few for from further
had has have having he her here hers him his how i if in into is it its itself just many me more much
most my no nor not of off on once only or other our out over own same she should so some such
than that the their them then there these they this those through to too under until up very
was we were what when where which while who whom whose why will with would you your
answer find give tell show list name say said mention mentioned please
i.e e.g viz
""".split()
)
"""Words that say nothing about what is sought: English function words and question words, and
the verbs a question uses to ask ("find", "tell", "mention"), and the abbreviations that
introduce an aside ("i.e.", "e.g."). General: in any question these describe the asking,
not the text, and would rank lines by how much they read like English."""


_COUNT_TOLD: set[str] = set()
"""The texts `_LineSet.count` has said it counted by the lines holding them."""


class _LineSet(list[str]):
    """A list of lines that combines with another as sets of lines do, order kept: small
    models write `rows & installed` for the lines both filters kept, or `grep(a) | grep(b)`,
    and a plain list fails with a TypeError."""

    def __and__(self, other: Iterable[str]) -> Rows:
        keep = set(other)
        return Rows(r for r in self if r in keep)

    def __or__(self, other: Iterable[str]) -> Rows:
        have = set(self)
        return Rows([*self, *(r for r in other if r not in have)])

    def __sub__(self, other: Iterable[str]) -> Rows:
        drop = set(other)
        return Rows(r for r in self if r not in drop)

    def count(self, value: Any) -> int:
        """The lines equal to `value`, as a list counts; a text no line equals counts the lines
        holding it, as small models mean: `rows.count("SKIPPED (Requires Windows)")` counted 0."""
        equal = super().count(value)
        if equal or not isinstance(value, str) or not value:
            return equal
        holding = sum(1 for r in self if value in r)
        if holding and value not in _COUNT_TOLD:  # said once a run: `rows.count(r)` in a loop says nothing new
            _COUNT_TOLD.add(value)
            print(f"count: no line is just {value!r}; {holding:,} line{'s' if holding != 1 else ''} hold it.")
        return holding


class Hits(_LineSet):
    """grep's result: the matching lines as plain strings. Echoed bare it shows nothing,
    because grep has printed them already. Called, it is grep again: see `Rows`."""

    def __repr__(self) -> str:
        return ""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return _grep(*args, **kwargs)

    def __str__(self) -> str:
        return "\n".join(self)


def _unit(doc: str, s: int, e: int, window: int) -> tuple[int, int]:
    """The line around doc[s:e]; in a long line, the sentence, cut to `window` either side."""
    lo = max(0, s - window)
    before = doc.rfind("\n", lo, s)
    start = before + 1 if before >= 0 else lo
    after = doc.find("\n", e, e + window)
    end = after if after >= 0 else min(len(doc), e + window)
    if after < 0 or before < 0:
        # No line break near: show the sentence that holds the match.
        cut = max(doc.rfind(p, start, s) for p in (". ", "! ", "? "))
        if cut >= 0:
            start = cut + 2
        ends = [i for i in (doc.find(p, e, end) for p in (". ", "! ", "? ")) if i >= 0]
        if ends:
            end = min(ends) + 1
    return start, end


def _spans(doc: str, pattern: _re.Pattern[str], limit: int = 20000) -> list[tuple[int, int]]:
    out = []
    for m in pattern.finditer(doc):
        if m.end() > m.start():
            out.append((m.start(), m.end()))
            if len(out) >= limit:
                break
    return out


def _words(query: str) -> list[str]:
    """The query's search words: hyphenated and dotted names kept whole, stop-words dropped."""
    found = _re.findall(r"[A-Za-z0-9_]+(?:[-'.][A-Za-z0-9_]+)*", query)
    seen: set[str] = set()
    out = []
    for w in found:
        lw = w.lower()
        if lw in _STOP or lw in seen or (len(lw) < 3 and not lw.isdigit()):
            continue
        seen.add(lw)
        out.append(w)
    return out


def _word_rx(word: str) -> _re.Pattern[str]:
    """`word` as a whole word, in any case. An acronym ("RFC", "ISO", "UTF") also in capitals with
    a number joined after it, as specifications and encodings are named ("[RFC905]", "ISO8859",
    "UTF8"); "Elf32" is a type's name, not the acronym. A version ("1.3.0") also with the "v"
    that tags and changelogs write before it ("v1.3.0"), and never as a part of a longer one.
    """
    whole = _re.escape(word) + r"(?![A-Za-z0-9])"
    if _ACRONYM.fullmatch(word):
        whole = f"(?:(?-i:{_re.escape(word)})(?=[0-9])|{whole})"
    if _VERSION_WORD.fullmatch(word):
        # Not a part of a longer version: "3.4" is not in "1.3.4" nor in "3.4.1"; "2.0" is "2.0.0" (review).
        return _re.compile(r"(?:(?<![A-Za-z0-9.])|(?<=(?<![A-Za-z0-9])v))" + whole + r"(?!(?:\.0+)*\.0*[1-9])",
                           _re.IGNORECASE)
    return _re.compile(r"(?<![A-Za-z0-9])" + whole, _re.IGNORECASE)


_ACRONYM = _re.compile(r"[A-Z]{2,6}")
_VERSION_WORD = _re.compile(r"\d+(?:\.\d+)+")


FILE_HEADER = _re.compile(
    r"""^(?:[#=/*-]+[ \t]*)?(?:File|FILE|Path|PATH|Filename)[ \t]*[:=][ \t]*["'`]?([^\s"'`<>]+)"""
    r"""|^==> (.+?) <==[ \t]*$|^<file (?:path|name)="([^"]+)">""",
    _re.MULTILINE,
)
"""A line that starts one file of several joined into one text, as repository dumps and
`head`/`tail` write them: "# File: src/app.py", "File: a.txt", "==> a.log <==", `<file path="x">`."""


def joined_files(text: str) -> tuple[list[int], list[str]]:
    """Where each file of a joined text starts, and its name (nothing unless 2+ headers).
    Bare `Filename: x` lines in records parted by blank lines, each after another `Name:
    value` line of its record, are a field, not headers: an apt package index writes
    `Filename: pool/...deb` in each of its 1,773 records, and was read as 1,773 files. A dump's
    header is decorated ("# File:"), starts its block, or the text has no blank lines."""
    starts: list[int] = []
    names: list[str] = []
    inside = 0
    for m in FILE_HEADER.finditer(text):
        starts.append(m.start())
        names.append(next(g for g in m.groups() if g))
        if m.group(1) is not None and text[m.start()].isalpha():
            before = text.rfind("\n", 0, max(m.start() - 1, 0)) + 1
            inside += m.start() > 0 and FIELD_LINE.match(text, before) is not None
    if 2 * inside > len(starts) and 2 * text.count("\n\n") + 2 * text.count("\n\r\n") >= len(starts):
        return [], []
    return (starts, names) if len(starts) >= 2 else ([], [])


FIELD_LINE = _re.compile(r"^([A-Za-z][\w.-]{0,30}):[ \t]+(\S[^\n]*)$", _re.MULTILINE)
"""A `Name: value` line: a field of a record (a package database, mail headers, a manifest)."""


def file_spans(text: str) -> list[tuple[str, int, int, int]]:
    """The files of a joined text (`joined_files`), in order: (name, start, body, end), where
    `body` is where the file's text starts after its header line."""
    starts, names = joined_files(text)
    spans = []
    for i, (start, name) in enumerate(zip(starts, names, strict=True)):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        nl = text.find("\n", start, end)
        spans.append((name, start, end if nl < 0 else nl + 1, end))
    return spans


_FILES: list[Any] = [None, []]
"""The context's files (`_files()`), for the `_DOC` they were read from."""


def _files() -> list[tuple[str, int, int, int]]:
    """The context's files, in order: (name, start, body, end) in `_doc()`, where `body` is
    where its text starts after its header line (a dict's entry: after "key: "). Empty for a
    context of one text that joins no files, and for a list."""
    doc = _doc()
    if _FILES[0] is not doc:
        found: list[tuple[str, int, int, int]] = []
        if _ENTRIES:  # a dict's entries are files by name; a list's items have none
            if isinstance(_DOC_OF, dict):
                found = [(str(k), s - len(f"{k}: "), s, e) for s, e, k in _ENTRIES]
        else:
            found = file_spans(doc)
        _FILES[:] = [doc, found]
    files: list[tuple[str, int, int, int]] = _FILES[1]
    return files


_OWN_HEADER = _re.compile(r"(?:[#=/*-]+[ \t]*)?(?:File|FILE|Filename)[ \t]*:|==> |<file ")
"""A first line that names the text's file: "# File: a.log", "File: a.log", "==> a.log <==",
`<file path=...>`; not `PATH=/usr/bin` (a variable), which `FILE_HEADER` takes among several."""


def _own_file() -> str | None:
    """The name a str context of one text gives itself on its first line ("# File: a.log"),
    as one file of a joined dump would; None without such a line, for several files, or for a
    list or dict (its items are no file)."""
    if not isinstance(context, str) or _files():
        return None
    return _header_name(_doc())


def _header_name(text: str) -> str | None:
    """The file `text`'s first line names as its own ("# File: a.log"), or None."""
    first = text[:text.find("\n")] if "\n" in text else text
    m = FILE_HEADER.match(first) if _OWN_HEADER.match(first) else None
    return next((g for g in m.groups() if g), None) if m is not None else None


def _file_at(pos: int) -> tuple[str | None, int, int]:
    """The context's file that holds `_doc()[pos]`: its name (a dict's key, or the file of a
    joined text; None for a text of one file) and where its text starts and ends in `_doc()`.
    A hit's file often is the answer (which module, which log) or tells two hits apart."""
    files = _files()
    i = _bisect_right(files, pos, key=lambda f: f[1]) - 1
    if i < 0:
        return None, 0, files[0][1] if files else len(_doc())
    name, _, body, end = files[i]
    return name, body, end


class Line(str):
    """A line of a context that joins several files (a dict of files, or a repository dump):
    a str that knows its file, as `.file`. `record(line)["file"]` and `count_by(rows, "file")`
    read it when the line writes no field of that name."""

    file: str = ""


class Heading(Line):
    """One of `headings()`: a str that also knows the date its section is dated by, as
    `.day`, when the heading writes none but the line under it is that date alone (psutil's
    HISTORY.rst heads a release "7.2.2", underlined, then "2026-01-18"): `to_date` reads it."""

    day: _date | None = None


class Entry(Line):
    """One of `entries()`: its lines as one str, its file, and where it is in the text
    (`.span`). Its date is on its first line or its last (`to_date`)."""

    span: tuple[int, int] = (0, 0)


def _files_named(wanted: Any = None) -> list[tuple[str, int, int, int]]:
    """The context's files (`_files()`) whose name holds `wanted` (any case); all of them when
    None. When it names none, says which files there are (`file=` of lines and entries)."""
    files = _files()
    if wanted is None:
        return files
    want = str(wanted).lower()
    found = [f for f in files if want in f[0].lower()]
    if not found:
        names = ", ".join(f[0] for f in files[:8])
        print(f"No file's name holds {str(wanted)!r}. Files: {names}{' ...' if len(files) > 8 else ''}")
    return found


def _file_lines(doc: str, wanted: Any = None) -> list[str]:
    """The context's lines, each a `Line` naming its file; only the files whose name holds
    `wanted` (any case) when given. Lines before the first file's header have no file."""
    files = _files()
    out: list[str] = []
    if wanted is None and files and files[0][1] > 0:
        out += doc[:files[0][1]].split("\n")
    for name, start, _, end in _files_named(wanted):
        for row in doc[start:end].split("\n"):
            line = Line(row)
            line.file = name
            out.append(line)
    return out


_RECORD_LINES = 8
"""A record up to this many lines is shown whole beside a hit; a longer one by its first
and last lines (a changelog entry's header and signature, a function's def and return)."""


_RUN_LIMIT = 30
"""The most lines a record made of unindented lines between blank lines may have."""


def enclosing(doc: str, pos: int, lo: int = 0, hi: int | None = None,
              limit: int = 80) -> list[tuple[int, int]]:
    """The lines (start, end) of the record holding doc[pos], without its blank lines; [] when
    the line stands alone.

    A record is what the text's layout groups: an unindented line with the indented lines
    under it (a changelog entry down to its signature, a function, a config section), or
    else a run of unindented lines between blank lines (a log's multi-line entry, a mail's
    headers). A line's date, author or id is often on another line of its record; a run of
    more than `limit` lines is no record but the text itself. Only doc[lo:hi] is read (one
    file of several): a record never runs into the next file.
    """
    hi = len(doc) if hi is None else hi
    if not lo <= pos < hi:
        return []

    def line(p: int) -> tuple[int, int]:
        end = doc.find("\n", p, hi)
        return max(doc.rfind("\n", lo, p) + 1, lo), hi if end < 0 else end

    def below(ln: tuple[int, int]) -> tuple[int, int] | None:
        return None if ln[1] + 1 >= hi else line(ln[1] + 1)

    def above(ln: tuple[int, int]) -> tuple[int, int] | None:
        return None if ln[0] <= lo else line(ln[0] - 1)

    def blank(ln: tuple[int, int]) -> bool:
        return not doc[ln[0]:ln[1]].strip()

    def indented(ln: tuple[int, int]) -> bool:
        return not blank(ln) and doc[ln[0]] in " \t"

    def field_paragraph(ln: tuple[int, int]) -> list[tuple[int, int]] | None:
        """The paragraph holding `ln` when it is one of `Name: value` fields with continuation
        lines (dpkg's status, Debian control and copyright files, mail headers): its lines,
        between blank lines or the text's ends, at most `limit`, whose unindented lines are
        all fields with distinct names (a log's "INFO: ..." lines repeat theirs); else None.
        A hit in a package's `Description:` was shown with that field alone, not the
        `Package:` and `Installed-Size:` lines of its paragraph."""
        lines_: list[tuple[int, int]] = [ln]
        cur = above(ln)
        while cur is not None and not blank(cur):
            lines_.insert(0, cur)
            if len(lines_) > limit:
                return None
            cur = above(cur)
        cur = below(ln)
        while cur is not None and not blank(cur):
            lines_.append(cur)
            if len(lines_) > limit:
                return None
            cur = below(cur)
        heads = [x for x in lines_ if not indented(x)]
        if len(heads) < 2 or len(heads) == len(lines_):
            return None
        names = []
        for x in heads:
            m = _FIELD_HEAD.match(doc, x[0], x[1])
            if m is None:
                return None
            names.append(m.group(1).lower())
        return lines_ if len(set(names)) == len(names) else None

    def depth(ln: tuple[int, int]) -> int:
        row = doc[ln[0]:ln[1]]
        return len(row[:len(row) - len(row.lstrip(" \t"))].expandtabs(8))

    def nested(ln: tuple[int, int], up: bool = True) -> list[tuple[int, int]]:
        """The block of the nearest line above `ln` indented less than it, down to the next
        line indented no more than that head: an XML element's children, a YAML mapping, a
        method inside a long class. Where no unindented head is near (a text indented all
        through, a class longer than `limit`), the hit's own level still has a record."""
        k = depth(ln)
        if k == 0:
            return []
        head, steps = above(ln), 1
        while head is not None and (blank(head) or depth(head) >= k):
            head, steps = above(head), steps + 1
            if steps > limit:
                return []
        if head is None:
            return []
        if up and depth(head) and _LABEL_LINE.fullmatch(doc, head[0], head[1]):
            # The head is one field of an entry ("Description:" beside "Type: integer" and
            # "Default: 4" under `extractor.*.retries`): the record is the entry, one level up
            # and no more (its own head may be a label too: "Beta:" under "SERVERS").
            if parent := nested(head, up=False):
                return parent
        top, block, cur = depth(head), [head], below(head)
        while cur is not None and len(block) <= limit:
            if not blank(cur):
                if depth(cur) <= top:
                    break
                block.append(cur)
            cur = below(cur)
        return block if 2 <= len(block) <= limit else []

    hit = line(pos)
    nxt = below(hit)
    while nxt is not None and blank(nxt):
        nxt = below(nxt)
    out: list[tuple[int, int]] = []
    cur: tuple[int, int] | None
    headed = indented(hit) or (nxt is not None and indented(nxt))
    if headed and (paragraph := field_paragraph(hit)):
        return paragraph
    if headed:
        cur, steps = hit, 0  # up to the unindented line that heads it, then down its body
        while cur is not None and (blank(cur) or indented(cur)):
            cur, steps = above(cur), steps + 1
            if steps > limit:
                return nested(hit)
        while cur is not None and len(out) <= limit:
            if out and not blank(cur) and not indented(cur):
                break
            if not blank(cur):
                out.append(cur)
            cur = below(cur)
        return out if 2 <= len(out) <= limit else nested(hit)
    else:
        # A run of lines between blank lines; one that fills its whole file (a log written
        # a line an entry) or runs past `_RUN_LIMIT` lines is the text, not a record.
        cur, limit, edges = hit, min(limit, _RUN_LIMIT), 0
        while cur is not None and not blank(cur) and len(out) <= limit:
            out.insert(0, cur)
            cur = above(cur)
        edges += cur is not None
        cur = below(hit)
        while cur is not None and not blank(cur) and len(out) <= limit:
            out.append(cur)
            cur = below(cur)
        edges += cur is not None
        if not edges:
            return []
    return out if 2 <= len(out) <= limit else []


_LABEL_LINE = _re.compile(r"[ \t]+[A-Z][\w -]{0,30}:(?:[ \t]+\S.{0,60})?[ \t]*")
"""An indented line that labels one field of an entry: "Description:", "Default: 4"."""
_FIELD_HEAD = _re.compile(r"([A-Za-z][\w.-]{0,39}):[ \t]+\S")
"""An unindented `Name: value` line (matched at a line's start)."""


def layout_records(doc: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    """doc[lo:hi] cut into its records, read from layout as `enclosing` reads one: (start,
    end) of each, without the blank lines around it. [] when the text has none.

    A text's records are its headed ones (an unindented line with the indented lines under it:
    a changelog's entries, a module's classes and functions, a config's sections) when it has
    any; else its runs of 2 to `_RUN_LIMIT` unindented lines between blank lines (an apt
    history's runs, a mailbox's headers). One-line runs and a run that fills the text (a log
    written a line an entry) are no records. Other runs beside headed records (a module's
    imports, a changelog's closing remark) are left out: they are not what the text lists.
    """
    hi = len(doc) if hi is None else hi
    headed: list[tuple[int, int]] = []
    runs: list[tuple[int, int]] = []
    start = end = -1
    n_lines = 0
    body = blank_before = False

    def close() -> None:
        if start < 0:
            return
        if body:
            headed.append((start, end))
        elif 2 <= n_lines <= _RUN_LIMIT:
            runs.append((start, end))

    pos = lo
    while pos < hi:
        nl = doc.find("\n", pos, hi)
        stop = hi if nl < 0 else nl
        row = doc[pos:stop]
        if not row.strip():
            blank_before = True
        elif row[0] in " \t":
            if start < 0:
                start, n_lines = pos, 0
            body, end, n_lines = True, stop, n_lines + 1
        else:
            if start < 0 or body or blank_before:
                close()
                start, n_lines, body = pos, 0, False
            end, n_lines = stop, n_lines + 1
            blank_before = False
        pos = stop + 1
    close()
    if headed:
        return headed
    if len(runs) == 1 and doc[lo:hi].strip() == doc[runs[0][0]:runs[0][1]].strip():
        return []
    return runs


_FIELD_LINE = _re.compile(r"^\s*([A-Za-z][\w.-]{0,39}):\s+(\S(?:.*\S)?)\s*$")
"""A `Key: value` line; the value without the spaces around it. Greedy to its last non-space:
a lazy `(.+?)\\s*$` tried the trailing-space test at every character (5 s on a value holding
40,000 spaces)."""


def _top_level_items(value: str) -> int:
    """How many items a comma-separated list holds, commas inside brackets or quotes not
    counted: "a (1.0, auto), b (2.0)" is two, '"a, b", c' is two."""
    return len(_top_level_split(value))


def _top_level_split(value: str) -> list[str]:
    """The items of a comma-separated list (`_top_level_items`), each stripped."""
    depth, quote, items, start, item = 0, "", [], 0, False
    for i, ch in enumerate(value):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'" and not item:
            quote = ch  # a quote opens an item; an apostrophe inside a word is a letter
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            if item:
                items.append(value[start:i].strip())
            start, item = i + 1, False
            continue
        item = item or not ch.isspace()
    if item:
        items.append(value[start:].strip())
    return items


_ITEM_TAGS = _re.compile(r"\(([^()]*)\)\s*$")
_TAG_WORD = _re.compile(r"[a-z][a-z-]{2,}")
_NO_TAG = frozenset({"none", "null", "nil", "unknown", "the", "and"})


def _items_note(row: str, least: int = 3) -> str:
    """How many items a `Key: a, b, c` line lists, with how many carry each tag word of their
    brackets ("19 items, 15 marked 'automatic'" of apt's `Install: libfoo (1.2-3, automatic),
    ...`): asked how many of a run's packages came in automatically, the 1.5B answered the one
    line it had found, the list being cut where it is shown. "" for no such list."""
    listed = _list_tags(row, least)
    return "" if listed is None else _tags_note(listed[1], listed[2])


def _list_tags(row: str, least: int = 3) -> tuple[str, int, list[tuple[str, int]]] | None:
    """A `Key: a, b, c` line's key, how many items it lists (`least` or more), and its tags
    with how many items carry each, the commonest two: a tag is a bracketed part that is one
    word ("(1.2-3, automatic)", "(Google)"; not the prose of "(the old one)", nor a version or
    other token with digits), on two items at least. None for no such list."""
    m = None if "\n" in row.rstrip("\n") else _FIELD_LINE.match(row)
    items = _top_level_split(m.group(2)) if m is not None else []
    if m is None or len(items) < least:
        return None
    tags: _Counter[str] = _Counter()
    for item in items:
        if (t := _ITEM_TAGS.search(item)) is not None:
            tags.update({word for part in t.group(1).split(",")
                         if _TAG_WORD.fullmatch(word := part.strip().lower()) and word not in _NO_TAG})
    return m.group(1), len(items), [(w, k) for w, k in tags.most_common(2) if k >= 2]


def _tags_note(size: int, tags: Sequence[tuple[str, int]]) -> str:
    """A list's size and tags as a cut list is told: "19 items, 15 marked 'automatic'"."""
    return f"{size} items" + "".join(f", {k} marked {w!r}" for w, k in tags)


def _field_lists(text: str) -> Iterator[tuple[str, int]]:
    """(key, how many items its list holds) for each `Key: a, b, c` line of `text`."""
    for row in text.split("\n"):
        if (m := _FIELD_LINE.match(row)) is not None:
            yield m.group(1), _top_level_items(m.group(2))


def _list_size(row: str, least: int = 3) -> int:
    """How many items the `Key: a, b, c` list of one line holds, 0 when it is no such list
    of `least` items or more."""
    n = 0 if "\n" in row.rstrip("\n") else next((n for _, n in _field_lists(row)), 0)
    return n if n >= least else 0


def _list_totals(texts: Iterable[str], most: int = 3) -> str:
    """The items of each `Key: a, b, c` field summed over several entries, for the fields
    that list 3 or more somewhere ("Install: 74 items"): how many packages a set of runs
    installed is a sum no small model adds up from a listing."""
    sums: dict[str, int] = {}
    listed: list[str] = []
    for text in texts:
        for key, n in _field_lists(str(text)):
            sums[key] = sums.get(key, 0) + n
            if n >= 3 and key not in listed:
                listed.append(key)
    return ", ".join(f"{k}: {sums[k]} items" for k in listed[:most])


def list_sizes(text: str, least: int = 3, most: int = 3) -> str:
    """The fields of a text's `Key: a, b, c` lines that list `least` items or more (the first
    `most` of them), with their counts ("Install: 57 items"). A long list is cut where it is
    shown, and counting its items by eye is what a small model cannot do: "how many
    packages did that run install" is then read, not computed."""
    sizes = [f"{key}: {n} items" for key, n in _field_lists(text) if n >= least]
    return ", ".join(sizes[:most])


def record_around(doc: str, s: int, lo: int = 0,
                  hi: int | None = None) -> tuple[int, list[tuple[int, int]], list[str]]:
    """What to print of the record around doc[s] under a hit on it (see `enclosing`) and of
    the headings it is under (`section_heads`): where the record starts (-1: none; its
    innermost heading when it has no record), the lines shown, as spans of `doc`, and the
    printed rows (a title, then each line cut to a readable length; then "under:" and the
    headings). The hit's own line is left out: it is printed already. Only doc[lo:hi] (the
    hit's file) is read."""
    rec = _enclosing(doc, s, lo, hi)
    picked = rec if len(rec) <= _RECORD_LINES else [rec[0], rec[-1]]
    spans = [(a, b) for a, b in picked if not a <= s <= b]
    heads = [h for h in _section_heads(doc, s, lo, hi) if h not in picked]
    opened = _comment_opened(doc, s, lo)
    if opened is not None and opened not in spans:
        spans = [opened, *spans]  # the statement a block comment's later line is about
    if not spans and not heads:
        return -1, [], []
    rows = []
    if opened is not None:
        rows.append("   the comment it is in starts: " + _cut(doc[opened[0]:opened[1]].strip(), 160))
        spans_left = [sp for sp in spans if sp != opened]
    else:
        spans_left = spans
    if spans_left:
        title = "   its record:" if len(rec) <= _RECORD_LINES else f"   its record ({len(rec)} lines), first and last:"
        rows += [title] + ["   . " + _cut(doc[a:b].rstrip(), 160) for a, b in spans_left]
    if heads:
        rows.append("   under: " + " > ".join(_cut(" ".join(doc[a:b].split()), 100) for a, b in heads))
    return (rec[0][0] if spans_left else opened[0] if opened else heads[-1][0]), spans + heads, rows


_COMMENT_UP = 6
"""The most lines above a hit read for the start of the block comment it is in."""


def _comment_opened(doc: str, s: int, lo: int = 0) -> tuple[int, int] | None:
    """The line, above the one holding doc[s], that opens the C-style block comment doc[s] is
    in, when that line also writes code before it: `ARES_ESERVICE = 25, /* ... text service
    name that` over `* is not recognized. introduced in 1.16.0 */`, whose constant the 1.5B
    never saw. None when doc[s]'s own line opens it, the comment closed before doc[s], it
    opened over `_COMMENT_UP` lines above, or its first line is comment alone."""
    back = max(lo, doc.rfind("\n", lo, s) + 1)
    for _ in range(_COMMENT_UP):
        if back <= lo:
            return None
        above = max(lo, doc.rfind("\n", lo, back - 1) + 1)
        line = doc[above:back - 1]
        if "*/" in line:
            return None
        if (m := _COMMENT_OPENS.search(line)) is not None:
            code = line[:m.start()]
            return (above, back - 1) if code.strip() and not code.lstrip().startswith(("*", "//", "#")) else None
        back = above
    return None


_COMMENT_OPENS = _re.compile(r"(?:^|(?<=[\s,;{}()=]))/\*(?!.*\*/)")
"""A C block comment opening on a line, not closed there, after a space or punctuation: not a
path's glob (`src/*.c`, `rm -rf /tmp/build/*`)."""


_ATX = _re.compile(r"\n(#{1,6})[ \t]+\S[^\r\n]*")
_STARS = _re.compile(r"\n(\*{1,6})[ \t]+\S[^\r\n]*")
_NUMBERED = _re.compile(r"\n[ \t\r]*\n([1-9]\d{0,2}(?:\.\d{1,3}){0,2})\.?[ \t]+[A-Z][^\r\n]*")
"""A numbered section after a blank line (`2.1.  Messages`): a version list's or a log's
lines ("2.0.1 Fixed crash", "10.0.0.7 Rejected") follow each other."""
_CAPS = _re.compile(r"\n([A-Z][A-Z0-9]*(?:[ /&-][A-Z0-9]+){0,5})[ \t\r]*(?=\n(?:[ \t\r]*\n)*(?: {5}|\t| {3}(?! ))[ \t]*\S)")
"""A man page's section heading: an unindented line in capitals over a body indented five
spaces or more, or over a subsection's heading three in (groff's `.SS`: "EXTRACTOR OPTIONS"
over "   extractor.*.filename"); formatted SQL's `SELECT`/`WHERE` over two or four are none."""
_RULE = _re.compile(r"\n([=~^-])\1{2,}[ \t\r]*(?=\n|\Z)")
"""An underline (Markdown, reStructuredText), under its heading's line."""
_SHORT_RULE = _re.compile(r"\n([=~^-])\1+[ \t\r]*(?=\n|\Z)")
"""A line of one mark, two or more: an underline, if a short one (`_outline` says when)."""
_FENCE = _re.compile(r"\n```[^\n`]*\n.*?\n```[ \t\r]*(?=\n|\Z)", _re.DOTALL)
"""A Markdown fenced code block (backticks only: a `~~~` line is as often an underline).
Each pattern here matches from the newline before its line: a literal start is searched fast,
where `^` with MULTILINE tries every character (0.4 s for 35 MB)."""
_RELEASE_LINE = _re.compile(r"\n[^\S\n]*\n([A-Za-z0-9][^\n]{0,99}?)[^\S\n]*(?=\n[^\S\n]*\n|\n?\Z)")
"""A short unindented line alone between blank lines: a release's line in a changelog that marks
its headings no other way ("CHANGES FROM 3.2 TO 3.2a", "2019.10.20, Version 1.33.1 (Stable)"),
when `_release_lines` finds enough of one shape that write a version."""
_VERSION_FIRST = _re.compile(r"\n[^\S\n]*\n([vV]?\d+(?:\.\d+)+[\w.~+-]*(?:[^\S\n]+\([^()\n]{1,40}\))?)[^\S\n]*(?=\n)")
"""A line after a blank one that is a version alone, or with a note in parentheses ("v1.5.4 (Feb
2023)"): a release's line even with its changes right under it."""
_VERSION_IN_LINE = _re.compile(r"(?<![\w.])[vV]?\d+\.\d+(?:\.\d+)*[a-z]?(?![\w])")
_RELEASE_FIRST = 0.25
"""A changelog's first release line is in its first quarter (newest first, after a title)."""
_SECTION_NUMBER = _re.compile(r"\d+(?:\.\d+)*\.?\s")
"""A numbered section's number ("2.1.  Part 1"), which is no version."""
_RELEASE_SHOWN = 6
"""Lines shown under a release's heading hit by a search (`section_below`): a release lists
many changes, and fourteen lines under each of two releases doubled a look the 1.5B read."""
_RELEASES_SHARE = 3
"""Release lines are at most one in this many of a text's lines that are not blank: each heads
the changes of its release."""
_FIELD_TITLE = _re.compile(r"[\w.-]+:(?:\s|$)")
"""A `key: value` line: above a `---` it is YAML's last line before the next document."""
_OUTLINE_OF: list[Any] = [None]
_OUTLINES: dict[tuple[int, int], tuple[list[int], list[tuple[int, int, int]], list[int]]] = {}
_RELEASE_STARTS: dict[tuple[int, int], frozenset[int]] = {}
"""Where the release lines `_outline` made headings of each part start (`section_below`)."""
"""The headings of each part (lo, hi) of the one text last read (`_OUTLINE_OF`), found once:
the context is read many times, and only it is kept."""
_SECTION_HEADS = 3
"""The most headings shown above a hit: its outermost (a release, a chapter) and innermost."""


def _marked_levels(found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Headings written with a marker (`#`, `*`, a section number) when they make an outline:
    top-level headings and at least two below them, one for each four top ones. A script's
    `# comment` or `## comment` lines, a list's `* item` lines and numbered steps are none."""
    deeper = sum(1 for _, _, d in found if d > 1)
    top = len(found) - deeper
    return found if top and deeper >= 2 and 4 * deeper >= top else []


def _outline(doc: str, lo: int, hi: int) -> tuple[list[int], list[tuple[int, int, int]], list[int]]:
    """doc[lo:hi]'s headings as (start, end, level), in order; their starts; and each one's
    parent (the index of the nearest heading above it of a higher level, or -1): Markdown's
    `#` and underlined headings, reStructuredText's underlined ones (levels in the order the
    text first uses each underline), outline-mode `*` headings (GNU NEWS files, org),
    numbered sections (`3.2.1  Title`, RFCs) and a man page's capitals over an indented body
    (`EXIT CODES`; three or more). Only unindented lines; none inside a fenced code block.
    Read per file: a README's `#` headings make no headings of a script's comments."""
    if _OUTLINE_OF[0] is not doc:
        _OUTLINE_OF[0] = doc
        _OUTLINES.clear()
        _RELEASE_STARTS.clear()
    cached = _OUTLINES.get((lo, hi))
    if cached is not None:
        return cached
    text = "\n" + doc[lo:hi]  # every line, the first too, starts after a newline
    at = lo - 1  # a match's start in `text`, plus this, is where its line starts in `doc`
    fences = [(m.start() + at, m.end() + at) for m in _FENCE.finditer(text)] if "```" in text else []
    fence_at = [a for a, _ in fences]

    def fenced(pos: int) -> bool:
        i = _bisect_right(fence_at, pos) - 1
        return i >= 0 and pos < fences[i][1]

    def marked(rx: _re.Pattern[str]) -> list[tuple[int, int, int]]:
        return _marked_levels([(m.start(1) + at, m.end() + at, len(m.group(1))) for m in rx.finditer(text)])

    atx = marked(_ATX)
    found = atx + marked(_STARS)
    found += _marked_levels([(m.start(1) + at - 1, m.end() + at - 1, m.group(1).count(".") + 1)
                             for m in _NUMBERED.finditer("\n" + text)])  # the first line: after a "blank" one
    caps = [(m.start(1) + at, m.end(1) + at, 1) for m in _CAPS.finditer(text)]
    found += caps if len({doc[a:b] for a, b, _ in caps}) >= 3 else []
    # Markdown's underlines mean levels 1 and 2 beside its `#` headings; reStructuredText's,
    # the order in which the text first uses each.
    levels: dict[str, int] = {"=": 1, "-": 2} if atx else {}
    released = _release_lines(doc, lo, hi, text, at)
    underlined: list[tuple[int, int, str, bool]] = []
    for m in _SHORT_RULE.finditer(text):
        end = m.start() + at  # the title's line ends where the rule's begins
        start = max(doc.rfind("\n", lo, end) + 1, lo)
        title = doc[start:end].rstrip()
        rule = m.group(0).strip()
        if title and title[0] not in " \t=~^*#-" and not _FIELD_TITLE.match(title):
            underlined.append((start, start + len(title), m.group(1), len(rule) >= max(3, len(title) // 2)))
    # A short "==" under a title is one of the text's headings when it underlines three or
    # more in full with "=" (dbus's NEWS underlines its older releases "==").
    full = _Counter(char for _, _, char, whole in underlined if whole)
    for start, end, char, whole in underlined:
        if whole or (char == "=" and full["="] >= 3):
            found.append((start, end, levels.setdefault(char, len(levels) + 1)))
    if released and not any(_VERSION_IN_LINE.search(doc[a:b]) for a, b, _ in found) and not _within_one(released, found):
        # A changelog's release lines head the sections its other headings mark ("Normal Changes").
        taken = {a for a, _, _ in released}
        found = released + [(a, b, level + 1) for a, b, level in found if a not in taken]
        _RELEASE_STARTS[(lo, hi)] = frozenset(taken)
    heads = sorted(h for h in found if not fenced(h[0]))
    parents: list[int] = []
    stack: list[int] = []  # the open headings, each of a lower level than the one above it
    for i, (_, _, level) in enumerate(heads):
        while stack and heads[stack[-1]][2] >= level:
            stack.pop()
        parents.append(stack[-1] if stack else -1)
        stack.append(i)
    out = ([h[0] for h in heads], heads, parents)
    _OUTLINES[(lo, hi)] = out
    return out


def _release_lines(doc: str, lo: int, hi: int, text: str, at: int) -> list[tuple[int, int, int]]:
    """The lines of `text` (doc[lo:hi] after a newline; `at` maps back) that head a changelog's
    releases though nothing marks them: short unindented lines alone between blank lines that
    write a version, three or more, all of one shape (the first word's, digits aside: "CHANGES",
    "9.9.9,", "v9.9.9"), at most one in `_RELEASES_SHARE` of the lines written. A line ending in
    ":" introduces what follows ("Changes since version 1.44.1:"). As (start, end, 1)."""
    shapes: dict[str, list[tuple[int, int, int]]] = {}
    found = sorted({m.start(1): m for rx in (_RELEASE_LINE, _VERSION_FIRST) for m in rx.finditer("\n" + text)}.items())
    for _, m in found:
        line = m.group(1)
        if line.endswith((":", ".")) or not _VERSION_IN_LINE.search(line):
            continue  # "GDB now uses readline 2.2." is a sentence
        shape = _re.sub(r"\d+", "9", line.split(None, 1)[0].lower())
        shapes.setdefault(shape, []).append((m.start(1) + at - 1, m.start(1) + at - 1 + len(line), 1))
    if not shapes:
        return []
    best = max(shapes.values(), key=len)
    written = sum(1 for line in text.split("\n") if line.strip())
    # A changelog heads its newest release near its top: versions far down are a list in prose.
    early = best[0][0] - lo <= _RELEASE_FIRST * (hi - lo)
    return best if len(best) >= 3 and _RELEASES_SHARE * len(best) <= written and early else []


def _within_one(released: list[tuple[int, int, int]], found: list[tuple[int, int, int]]) -> bool:
    """Whether release lines all sit in one marked heading's section ("## Changelog" of a
    README, which has "## Installation" after it): a list there, not the text's releases."""
    starts = sorted(a for a, _, _ in found)
    if not starts:
        return False
    inside = {_bisect_right(starts, a) for a, _, _ in released}  # the heading above each, by its rank
    # One section, not the text's first (its title), with another heading after it.
    return len(inside) == 1 and 1 < next(iter(inside)) < len(starts)


def section_below(doc: str, pos: int, lo: int = 0, hi: int | None = None, most: int = 14) -> list[tuple[int, int]]:
    """The first `most` lines that are not blank under the heading whose line holds doc[pos],
    as spans of `doc`, up to the next heading of any level; [] when that line is no heading of
    doc[lo:hi]'s outline (`_outline`). A hit on a heading ("### DEP0012: `Domain.dispose`")
    names what its section is about, and the section's first lines hold its facts."""
    hi = len(doc) if hi is None else hi
    starts, heads, _ = _outline(doc, lo, hi)
    line_start = doc.rfind("\n", lo, pos) + 1
    i = _bisect_right(starts, pos) - 1
    if i < 0 or not line_start <= heads[i][0] <= pos or doc.find("\n", heads[i][0], hi) < pos:
        return []
    end = starts[i + 1] if i + 1 < len(starts) else hi
    out: list[tuple[int, int]] = []
    title = doc[heads[i][0]:heads[i][1]]
    if heads[i][0] in _RELEASE_STARTS.get((lo, hi), ()) or (
            _VERSION_IN_LINE.search(title) and not _SECTION_NUMBER.match(title.lstrip("#* \t"))):
        most = min(most, _RELEASE_SHOWN)  # a release's changes: its first few say what it is; all are many
    at = doc.find("\n", heads[i][1], end)
    while 0 <= at < end and len(out) < most:
        nxt = doc.find("\n", at + 1, end)
        stop = end if nxt < 0 else nxt
        if doc[at + 1:stop].strip() and not _RULE.fullmatch("\n" + doc[at + 1:stop].strip()):  # no underline
            out.append((at + 1, stop - 1 if doc[stop - 1:stop] == "\r" else stop))  # a CRLF line's own text
        at = nxt
    return out


def section_heads(doc: str, pos: int, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    """The headings doc[pos] is under, outermost first, as line spans: the nearest above it,
    then that one's parent, and so on (a NEWS file's `* ... release 8.15 (2012-01-06)` above
    `** New programs`), at most `_SECTION_HEADS` (the outermost and the innermost ones). A
    hit's record is a paragraph or an indented block; what a release, chapter or section
    says of it is in its heading, often far above. Only doc[lo:hi] (the hit's file) is read;
    [] when it has no outline."""
    hi = len(doc) if hi is None else hi
    if not lo <= pos < hi:
        return []
    starts, heads, parents = _outline(doc, lo, hi)
    line_start = max(doc.rfind("\n", lo, pos) + 1, lo)
    i = _bisect_right(starts, line_start) - 1
    if i >= 0 and starts[i] == line_start:  # the hit is a heading: those above it only
        i = parents[i]
    out: list[tuple[int, int]] = []
    while i >= 0:
        out.append(heads[i][:2])
        i = parents[i]
    out.reverse()
    return out if len(out) <= _SECTION_HEADS else [out[0], *out[1 - _SECTION_HEADS:]]


def _cut(row: str, width: int) -> str:
    """A row cut to `width`; a cut `Key: a, b, ...` list says how many items it holds."""
    if len(row) <= width:
        return row
    note = _items_note(row)
    return row[: width - 10] + (f" ... ({note})" if note else " ...")


def _record_note(doc: str, s: int, shown: set[int], of_context: bool) -> list[str]:
    """`record_around`'s rows, once a record; logged as reads when `doc` is the context."""
    _, lo, hi = _file_at(s) if of_context else (None, 0, len(doc))
    start, spans, rows = _record_around(doc, s, lo, hi)
    if start < 0 or start in shown:
        return []
    shown.add(start)
    if of_context:
        _note(spans)
    return rows


_RECORDS_SHOWN = 3
"""Hits after this many are shown without their records: the output stays short."""


def _show(head: str, doc: str, units: list[tuple[int, int]], marks: list[tuple[int, int]],
          window: int, max_hits: int, of_context: bool = False) -> None:
    print(head)
    records: set[int] = set()
    for n, (s, e) in enumerate(units[:max_hits], 1):
        pieces, pos = [], s
        for ms, me in marks:
            if ms >= s and me <= e and ms >= pos:
                pieces += [doc[pos:ms], ">>", doc[ms:me], "<<"]
                pos = me
        pieces.append(doc[pos:e])
        line = "".join(pieces).replace("\n", " ").strip()
        if len(line) > 2 * window + 40:
            note = _items_note(doc[s:e])
            line = line[: 2 * window + 40] + "..." + (f" ({note})" if note else "")
        name = _file_at(s)[0] if of_context else None
        print(f"{n}| {f'[{name}] ' if name else ''}{line}")
        if n <= _RECORDS_SHOWN:
            for row in _record_note(doc, s, records, of_context):
                print(row)
    if len(units) > max_hits:
        print(f"... {len(units) - max_hits} more (grep returns them all as a list)")
    print("Answer found? Then reply: FINAL(the answer)")


@_own_reads
def grep(query: Any, text: Any = None, *, window: int = 150, max_hits: int = 8,
         show: bool = True) -> Hits:
    """Lines of the context (or of `text`) that hold `query` (a regex, or plain words; any case).

    Prints up to `max_hits` of them with the match marked >>like this<<, and returns them all
    (a list of str). When nothing matches (a question's wording seldom matches the text's),
    it searches the query's words one by one and ranks lines by how many of the rarer words
    they hold: a paraphrase still finds the line that shares its names and numbers.
    """
    doc = _as_text(text)
    query = str(query)
    tries = []
    try:
        tries.append(_re.compile(query, _re.IGNORECASE))
    except _re.error:
        pass
    literal = _re.compile(_re.escape(query), _re.IGNORECASE)
    if not tries or tries[0].pattern != literal.pattern:
        tries.append(literal)
    for pattern in tries:
        spans = _spans(doc, pattern)
        if spans:
            units: list[tuple[int, int]] = []
            last = -1
            for s, e in spans:
                if s < last:
                    continue
                u = _unit(doc, s, e, window)
                units.append(u)
                last = u[1]
            n = f"{len(spans)}{'+' if len(spans) >= 20000 else ''}"
            if show:
                head = f"{n} line{' matches' if n == '1' else 's match'}:"
                _show(head, doc, units, spans, window, max_hits, _of_context(text))
            if _of_context(text):
                _note(units)
            return Hits(doc[s:e] for s, e in units)
    return _grep_words(doc, query, window, max_hits, show, _of_context(text))


_BASE_FORM = _re.compile(r"[a-z]{4,}")
"""A word `_stem_rx` also finds inflected: lower case, as a question writes a verb or a noun
(not an acronym, a name in capitals or an identifier)."""


def _e_plural(word: str) -> str:
    """The base form of a lower-case plural in "-es" whose stem `_stem` keeps whole, for
    being too short once "es" is off: "fines" -> "fine", "types" -> "type", "times" -> "time"
    (asked for fines, a library's log writes "fine 0.00 EUR"). A sibilant's "-es" ("boxes",
    "buses") and any other word are returned as they are."""
    if (len(word) >= 5 and _BASE_FORM.fullmatch(word) and word.endswith("es") and word[-3] not in "sxzh"
            and _stem(word) == word):
        return word[:-1]
    return word


def _stem_literal(word: str) -> str:
    """The lower-case text every match of `_stem_rx(word)` starts with, to find candidates by
    a plain search: the stem, less a base form's final "e" or "y" ("clos" of "close", "closing";
    "den" of "deny", "denied")."""
    if (single := _e_plural(word)) != word:
        return single.lower()  # "fine": "fine" and "fines" both start with it
    stem = _stem(word).lower()
    if (base := _y_base(word)) is not None:
        return base[:-1]  # "quer": "queries" and "query" both start with it
    if stem == word and _BASE_FORM.fullmatch(word) and (stem[-1] == "e" or (stem[-1] == "y" and stem[-2] not in "aeiou")):
        return stem[:-1]
    return stem


_IES = _re.compile(r"[^aeiou]i(?:es|ed)$", _re.IGNORECASE)
"""A plural or past of a word in "y" after a consonant: "queries", "entries", "denied"."""


def _y_base(word: str) -> str | None:
    """The base form in "y" of a long word in "-ies" or "-ied" whose stem is the word less its
    "es" or "ed" ("query" of "queries", stem "queri"), lower case; None for any other word.
    A text may write only the base form: a DNS log's `query[A]` for "how many queries"."""
    if len(word) >= 6 and _IES.search(word) and _stem(word).lower() == word[:-2].lower():
        return word[:-3].lower() + "y"
    return None


def _stem(word: str) -> str:
    """What `_stem_rx` looks for at the start of a match: a long word without its ending
    ("installation" -> "install", "upgraded" -> "upgrad")."""
    if len(word) >= 5 and word.isalpha():
        stem = _re.sub(r"ations?$", "", word, flags=_re.IGNORECASE)
        if stem != word and len(stem) >= 6:  # a shorter stem is another word's start ("found" of "foundation")
            return stem
        stem = _re.sub(r"(?:ing|ed|es|s|ly|ion|ions)$", "", word, flags=_re.IGNORECASE)
        if len(stem) >= 4:
            return stem
    return word


_DOUBLES = _re.compile(r"(?:^|[^aeiou])[aeiou][bdgklmnprt]")
"""A base form whose last consonant doubles before -ed and -ing: "stop" (stopped), "commit"
(committed), "plan" (planned); also matched as written ("visited", "limited")."""


def _inflections(word: str) -> str:
    """The pattern of a lower-case base form's inflections: -s, -es, -ed, -ing; an "e" dropped
    ("closing", "closed"), a "y" after a consonant turned to "i" ("denied", "retries") and a
    last consonant doubled ("stopped", "committing")."""
    whole = _re.escape(word)
    if word.endswith("e"):
        return rf"{whole}(?:s|d)|{_re.escape(word[:-1])}ing"
    if word.endswith("y") and word[-2] not in "aeiou":
        return rf"{_re.escape(word[:-1])}i(?:es|ed)|{whole}ing"
    doubled = rf"|{whole}{word[-1]}(?:ed|ing)" if _DOUBLES.search(word[-3:]) else ""
    return rf"{whole}(?:s|es|ed|ing){doubled}"


def _stem_rx(word: str) -> _re.Pattern[str]:
    """`word` as a whole word, in any case; a long word also with another ending
    ("installed" and "installation" find "install", "installs"): a paraphrase seldom keeps
    the word's form. The ending may be as long as the one taken off (and its plural), so the word finds itself.
    A lower-case word in its base form also finds its inflections ("accept": "accepts",
    "accepted", "accepting"; "close": "closing"), not other words it starts ("open": not "openssl")
    nor a part of a compound, file or dotted name ("configure": not dpkg's state
    "half-configured"; "format": not `xlrd/formatting.py`). A plural in "-es" too short to
    stem is found in its singular too, and no other form ("fines": "fine"; not "typing" for
    "types": `_e_plural`)."""
    if (single := _e_plural(word)) != word:
        return _re.compile(rf"(?<![A-Za-z0-9]){_re.escape(single)}s?(?![A-Za-z0-9])", _re.IGNORECASE)
    stem = _stem(word)
    if stem == word:
        if _BASE_FORM.fullmatch(word):  # "accept": a log writes "Accepted", "limit": "limiting"
            whole = _re.escape(word)
            # An inflection inside a compound, a file or a dotted name is that name's: not
            # dpkg's `half-configured` for "configure", nor `xlrd/formatting.py` for "format".
            return _re.compile(rf"(?<![A-Za-z0-9])(?:{whole}|(?<![-._])(?:{_inflections(word)})(?!\.[A-Za-z]))"
                               rf"(?![A-Za-z0-9])", _re.IGNORECASE)
        return _word_rx(word)
    ending = max(4, len(word) - len(stem) + 1)  # and its plural ("installations")
    if (base := _y_base(word)) is not None:  # "queries": also "query" and "querying", as written
        return _re.compile(rf"(?<![A-Za-z0-9])(?:{_re.escape(stem)}[a-z]{{0,{ending}}}|{_re.escape(base)}(?:ing)?)"
                           rf"(?![A-Za-z0-9])", _re.IGNORECASE)
    return _re.compile(rf"(?<![A-Za-z0-9]){_re.escape(stem)}[a-z]{{0,{ending}}}(?![A-Za-z0-9])", _re.IGNORECASE)


def _grep_words(doc: str, query: str, window: int, max_hits: int, show: bool,
                of_context: bool = False) -> Hits:
    words = _words(query)
    extra = []
    for w in words:
        if "-" in w:
            extra += [p for p in w.split("-") if len(p) >= 3 and p.lower() not in _STOP]
    weights: dict[str, float] = {}
    patterns: dict[str, _re.Pattern[str]] = {}
    marks: list[tuple[int, int]] = []
    for w in words + [x for x in extra if x not in words]:
        rx = _stem_rx(w)
        spans = _spans(doc, rx, limit=5000)
        if spans:
            weights[w.lower()], patterns[w.lower()] = 1.0 / len(spans), rx
            marks += spans
    if not marks:
        if show:
            print(f"No line holds {query!r} or any of its words. Search another term, or print "
                  "a few lines (lines()[:5]) to see how the text is written.")
        return Hits()
    marks.sort()
    scored: dict[tuple[int, int], float] = {}
    for s, e in marks:
        u = _unit(doc, s, e, window)
        if u in scored:
            continue
        unit = doc[u[0]:u[1]]
        scored[u] = sum(wt for w, wt in weights.items() if patterns[w].search(unit))
    ranked = sorted(scored, key=lambda u: (-scored[u], u[0]))
    kept: list[tuple[int, int]] = []
    for u in ranked:
        if any(u[0] < b and a < u[1] for a, b in kept):
            continue
        kept.append(u)
        if len(kept) >= 50:
            break
    if show:
        best = sorted(weights, key=lambda w: -weights[w])
        _show(f"No line holds {query!r}. Lines with the most rare words of {best}:",
              doc, kept, marks, window, max_hits, of_context)
    if of_context:
        _note(kept[:max_hits])  # ranked by fit: only the best ones are likely evidence
    return Hits(doc[s:e] for s, e in kept)


# -- lines, records, columns ------------------------------------------------------------------


def _pattern(pattern: Any) -> _re.Pattern[str]:
    """`pattern` as a case-blind regex; one that is not a valid regex, as plain text."""
    try:
        return _re.compile(str(pattern), _re.IGNORECASE)
    except _re.error:
        return _re.compile(_re.escape(str(pattern)), _re.IGNORECASE)


class Rows(_LineSet):
    """lines()'s result, a list of str that can also be called as lines() itself.

    Small models name a result after the helper that made it (`lines = lines("error")`) and
    call the helper again a cell later; with a plain list that call fails ("'list' object is
    not callable") and the run loops on it. Shown bare, it is a list like any other."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return _lines(*args, **kwargs)



_BOUND_BY_SYMBOL = _re.compile(r"\\b(?=[^\w\\]|\\[^\w])|(?<=[^\w\\])\\b")
"""A regex word boundary beside a symbol (before the euro sign, an option's dash, an escaped
dot): it never matches there."""


def _loose_bounds(pattern: str) -> str | None:
    """`pattern` without its word boundaries beside a symbol, or None when it has none: small
    models put a word boundary around every term, and around the euro sign it finds nothing."""
    loose = _BOUND_BY_SYMBOL.sub("", pattern)
    return loose if loose != pattern and loose.strip() else None


@_own_reads
def lines(pattern: Any = None, *rest: Any, text: Any = None, file: Any = None, **where: Any) -> list[str]:
    """The context's non-empty lines (or `text`'s), or only those matching regex `pattern`
    (any case; a pattern that is not a valid regex is matched as plain text). `text` may
    be a list of lines.

    Plain words that no line holds as written (`lines("2025-06-24 install")`) find the lines
    holding every one of them as a word, in any order (said in one printed line).

    When the context joins several files (a dict of them, or a dump with a header line per
    file), each line is a `Line` that knows its file, and `file="name"` keeps the lines of
    the files whose name holds "name" (`lines(r"^def ", file="subprocess")`); so does a text
    of one file whose first line names it ("# File: /var/log/dpkg.log"). Otherwise `file=`
    is a field like any other.

    `lines(status=500, host="db1")`: the lines whose field `status` is 500 and `host` is db1
    (fields as `record` reads them; names and values in any case). A name no line has as a
    field is matched as text instead: small models name the argument after what they look
    for (`lines(user=42)` for the lines that mention 42).

    Several patterns (`lines("dmsetup", "configure")`): the lines matching all of them, as a
    search box reads several words; when none does, how many lines match each is printed
    (`lines("2020|2021")` matches either).
    """
    text, file, several = _positional("lines", rest, text, file)
    if isinstance(pattern, (list, tuple)) and text is None:
        pattern, text = None, pattern  # lines(rows): the rows, as if given as `text`
    if several:
        pattern, file = _file_first("lines", pattern, several, file)
    if several:
        found = _all_of("lines", ("line", "lines"), [pattern, *several],
                        _lines(text=text, file=file, **where), lambda r: [r])
        if _of_context(text) and 0 < len(found) <= 50:
            _note_lines(found)
        return Rows(found)
    if file is None and _files():
        pattern, text, file = _file_named_first(pattern, text)
    own = _own_file() if file is not None and text is None else None
    if own is not None and str(file).strip().strip("'\"`").lower() in own.lower():
        # A context of one file under a header line ("# File: /var/log/dpkg.log"): `file=`
        # naming it keeps every line, as it would among several files. It was read as a
        # field no line has, then as text the filtered lines lacked: 0 lines, silently.
        file = None
    if text is None and _files():
        rows = _split_long([r for r in _file_lines(_doc(), file) if r.strip()])
    else:
        if file is not None:
            where = {"file": file, **where}
        rows = _split_long([r for r in _as_text(text).split("\n") if r.strip()])
    if pattern is not None:
        rx = _pattern(pattern)
        matched = [r for r in rows if rx.search(r)]
        if not matched and (loose := _loose_bounds(str(pattern))) is not None:
            matched = [r for r in rows if _pattern(loose).search(r)]
            if matched:
                print(f"lines: {str(pattern)!r} matches no line (\\b needs a letter or digit beside it); "
                      f"{len(matched)} hold {loose!r}.")
        pair = _re.fullmatch(r"\s*([A-Za-z_][\w.-]*)\s*=\s*(\S.*?)\s*", str(pattern))
        if not matched and pair and not where and pair.group(1) not in ("pattern", "text"):
            return _lines(text=text, file=file, **{pair.group(1): pair.group(2)})  # "user=ann": user="ann"
        words = str(pattern).split()
        if not matched and len(words) >= 2 and not _re.search(r"[\\\[\](){}|^$*+?]", str(pattern)):
            # Words no line holds as written ("2025-06-24 install"): the lines holding each of
            # them, as whole words, in any order, as a search engine reads a query.
            rxs = [_word_rx(w) for w in words]
            matched = [r for r in rows if all(x.search(r) for x in rxs)]
            if matched:
                print(f"lines: no line holds {str(pattern)!r} as written; {len(matched)} hold all its words.")
        if not matched and _of_context(text):
            _say_written_otherwise(str(pattern), rows, whole=file is None and not where)
        rows = matched
    rows = _where(rows, where)
    if own is not None and not rows and file is not None:
        print(f"No file's name holds {str(file)!r}: the context is one file, {own}")
    if _of_context(text) and (pattern is not None or where) and 0 < len(rows) <= 50:
        _note_lines(rows)
    return Rows(rows)


_Row = TypeVar("_Row", bound=str)


def _where(rows: list[_Row], where: dict[str, Any], unit: str = "line") -> list[_Row]:
    """The rows (lines, or entries) whose field `name` is `value` for each of `where`, as
    `record` reads fields; a name no row has as a field is matched as text, as a whole word."""
    for name, value in where.items():
        want = str(value).strip().lower()
        if _norm_key(name) in _DATE_PARTS and (period := _period_or_none(value)) is not None:
            if dated := [r for r in rows if _dated_in(_record(r), name, period)]:
                rows = dated  # else as any field: by its value, or as text ("Mar 6" of syslog)
                continue
        recs = [_record(r) for r in rows]
        by_field = [r for r, rec in zip(rows, recs, strict=True) if str(rec[name] or "").strip().lower() == want]
        has_field = any(rec[name] is not None for rec in recs)
        if has_field and (by_field or _norm_key(name) not in _DATE_PARTS):
            rows = by_field
        else:
            rx = _word_rx(str(value).strip())
            held = [r for r in rows if rx.search(r)]
            if rows and not held and not has_field:  # the 1.5B added count=10, skip=10, ... for 30 turns
                print(f"No {unit} has a field {name!r}, and none writes {str(value).strip()!r}: none is left.")
            rows = held
    return rows


_REGEX_SYNTAX = _re.compile(r"\\[bBAZ]|\\[sdwSDW][+*?]?|[\^$]|[()]|\[\^?|\]|[*+?]|\{\d*,?\d*\}")


def _letters_and_digits(pattern: str) -> str:
    r"""A pattern's letters and digits in order, its regex syntax (anchors, classes, groups,
    repeats) left out: r"\blibglib2\.0\.data\b" -> "libglib20data"."""
    return "".join(c for c in _REGEX_SYNTAX.sub(" ", pattern) if c.isalnum())


def _forms_in(rx: _re.Pattern[str], rows: list[str]) -> tuple[_Counter[str], int]:
    """How often each form `rx` finds is written in `rows`, and how many rows hold one."""
    forms: _Counter[str] = _Counter()
    holding = 0
    for row in rows:
        if found := rx.findall(row):
            holding += 1
            forms.update(found)
    return forms, holding


def _say_written_otherwise(pattern: str, rows: list[str], whole: bool = True) -> None:
    r"""When `pattern` matches no line, print how the text writes the same letters and digits
    with other punctuation, if it does: small models escape a name's "-" as "\." or "_",
    get `[]`, and answer 0 (r"libglib2\.0\.data" for "libglib2.0-data"); else, for a word,
    how the text writes it with another ending (r"\bgovernorates\b": "Governorate"); else,
    for a plain word whose root no line holds in any case or accents, that the text does not
    write it (`_NOT_WRITTEN`), when `whole` (no file or field narrowed the search)."""
    if "|" in pattern or "(?" in pattern or _re.search(r"(?<!\\)[\^$]", pattern):
        return  # alternatives, lookarounds, flags, anchors: what they exclude is not in the core
    core = _letters_and_digits(pattern)
    if _ACRONYM.fullmatch(core) and _re.fullmatch(r"(?:\\b)?[A-Z]+(?:\\b)?", pattern):
        # An acronym the text writes with a number joined: r"\bRFC\b" where lines cite "[RFC905]".
        numbered = _re.compile(r"(?<![A-Za-z0-9])" + core + r"[0-9][\w.-]*")
        if found := _forms_in(numbered, rows)[0]:
            shown = ", ".join(f"{f!r}" for f, _ in found.most_common(3))
            call = f"{core}[0-9]"  # what lines() finds them by, in any case as it reads: the count is its
            finds = _pattern(call)
            holding = sum(1 for row in rows if finds.search(row))
            print(f"lines: no line matches {pattern!r}; {holding} lines write it with a number joined "
                  f"({shown}{', ...' if len(found) > 3 else ''}): lines({call!r}) gives them.")
            return
    if len(core) < 5:
        return
    # Between two of the core's characters, up to two that are neither letters, digits nor
    # spaces: a separator never matches a core character, so the search stays linear.
    loose = _re.compile(
        r"(?<![^\W_])" + r"(?:[^\w\s]|_){0,2}".join(_re.escape(c) for c in core) + r"(?![^\W_])",
        _re.IGNORECASE,
    )
    forms, holding = _forms_in(loose, rows)
    if not forms and core.isalpha() and (stem := _stem(core)) != core:
        # Another ending of the same word: r"\bgovernorates\b" where the text writes
        # "Governorate", r"\bupgraded\b" where it writes "upgrade".
        other = _re.compile(r"(?<![^\W_])" + _re.escape(stem) + r"(?:e|s|es|ed|d|ing|ion|ions|ation|ations)?(?![^\W_])",
                            _re.IGNORECASE)
        forms, holding = _forms_in(other, rows)
    if forms:
        shown = ", ".join(f"{f!r} {n}" for f, n in forms.most_common(3))
        best = forms.most_common(1)[0][0]
        call = best if _pattern(best).search(best) else _re.escape(best)
        print(f"lines: no line matches {pattern!r}; {holding} lines write it {shown}: "
              f"lines({call!r}) gives them.")
    elif whole and _re.fullmatch(r"(?:\\b)?[A-Za-z]+(?:\\b)?", pattern) and not _holds_root(core, rows):
        # A word written nowhere, in no form: the 1.5B searched "removed" where a log records
        # no removal, got `0 []` ten times and ended with no answer.
        print(f"lines: {_NOT_WRITTEN} {core!r} in any form: no line holds {_root(core)!r}.")


def _root(word: str) -> str:
    """A word's first letters, all but its last four (and at least four): what every form of
    it shares ("remo" of "removed", "dependen" of "dependencies" and "dependency", "buil"
    of "built" and "Build", "lice" of "licence" and "License")."""
    return word[:max(4, len(word) - 4)]


def _holds_root(word: str, rows: list[str]) -> bool:
    """Whether any row holds `word`'s root (`_root`), in any case, anywhere in a word
    ("PackageRemoved"), or with its accents dropped ("Zürich" for "Zurich")."""
    root = _root(word).lower()
    if any(root in row.lower() for row in rows):
        return True

    def plain(row: str) -> str:
        return "".join(c for c in _unicodedata.normalize("NFKD", row) if not _unicodedata.combining(c)).lower()

    return any(root in plain(row) for row in rows if not row.isascii())


_NOT_WRITTEN = "the text does not write"
"""How `lines` starts to say a word is written nowhere in the context: a search that found
nothing (`recursor.orient.printed_nothing`)."""


def _is_pattern(value: Any) -> bool:
    """Whether an argument where a text goes is another pattern: a plain str of a few words
    (`lines("dmsetup", "configure")`) that is not a whole line of the context. A line of
    text, from a helper or the context, is the text to search, as it always was."""
    if type(value) is not str or value is context or "\n" in value:
        return False
    if not 0 < len(value) <= 60 or value.count(" ") > 3:
        return False
    return context is None or f"\n{value}\n" not in f"\n{_doc()}\n"


def _positional(helper: str, rest: tuple[Any, ...], text: Any,
                file: Any) -> tuple[Any, Any, list[Any]]:
    """(text, file, more patterns) from the arguments lines() and entries() got after the
    first: a text (lines, a text of several lines) where a text goes, a file's name where a
    file goes or wherever it names one whole (said in one printed line), and any other
    short str as one more pattern, as small models pass several words to a search."""
    several: list[Any] = []
    for i, arg in enumerate(rest):
        if arg is None:
            continue
        if not _is_pattern(arg) and i == 0 and text is None:
            text = arg
        elif file is None and _files() and (named := _named_file(arg)) is not None:
            print(f"{helper}: {arg!r} is a file; read as file={named!r}.")
            file = named
        elif file is None and _files() and i == 1 and not several:
            file = arg  # lines(pattern, text, file), positionally, as the signature was
        else:
            several.append(arg)
    return text, file, several


def _file_first(helper: str, pattern: Any, several: list[Any], file: Any) -> tuple[Any, Any]:
    """(pattern, file) when the first of several patterns names a file whole: its file, said
    in one printed line; the next pattern comes first (and `several` loses it)."""
    if file is None and _files() and (named := _named_file(pattern)) is not None:
        read = ", ".join(repr(p) for p in several)
        print(f"{helper}: {pattern!r} is a file; read as {helper}({read}, file={named!r}).")
        return several.pop(0), named
    return pattern, file


def _all_of(helper: str, units: tuple[str, str], patterns: list[Any], items: list[Any],
            rows_of: Callable[[Any], list[str]]) -> list[Any]:
    """The items with rows matching every pattern. Said in one printed line, with how many
    items match each pattern when none matches all (never their union: a count of it would
    answer a question nobody asked)."""
    given = [p for p in patterns if p is not None]
    rxs = [_pattern(p) for p in given]
    shown = ", ".join(repr(str(p)) for p in given)
    both = [x for x in items if all(any(rx.search(r) for r in rows_of(x)) for rx in rxs)]
    if both:
        print(f"{helper}: {len(both)} {units[len(both) != 1]} match{'es' * (len(both) == 1)} all of {shown}.")
        return both
    each = ", ".join(f"{str(p)!r} {sum(any(rx.search(r) for r in rows_of(x)) for x in items)}"
                     for p, rx in zip(given, rxs, strict=True))
    either = "|".join(f"({p!s})" for p in given)
    print(f"{helper}: no {units[0]} matches all of {shown} ({units[1]} matching each: {each}). "
          f"For {units[1]} matching any: {helper}({either!r}).")
    return []


def _named_file(value: Any) -> str | None:
    """The context's file that `value` names whole: its path, or the path's tail after a "/"
    ("clock.py" names "turtledemo/clock.py"); None when it names none or several."""
    if not isinstance(value, str) or not value.strip() or "\n" in value:
        return None
    want = value.strip().strip("'\"`").lower()
    named = {n for n, *_ in _files() if n.lower() == want or n.lower().endswith("/" + want)}
    return named.pop() if len(named) == 1 else None


def _file_named_first(pattern: Any, text: Any) -> tuple[Any, Any, Any]:
    """lines()'s arguments when a file's name came first, as small models write it:
    `lines("a/b.py", "def ")` for the lines of a/b.py that match "def ", and `lines("a/b.py")`
    (a pattern only its header line matches) for that file's lines. Said in one printed line,
    so the reading is never silent; (pattern, text, None) as given otherwise."""
    name = _named_file(pattern)
    if name is None:
        return pattern, text, None
    if isinstance(text, str) and text is not context and "\n" not in text and len(text) <= 200:
        print(f"lines: {pattern!r} is a file; read as lines({text!r}, file={name!r}).")
        return text, None, name
    if text is None:
        rx = _pattern(pattern)
        heads = {start for _, start, _, _ in _files()}  # where each file's header line starts
        hits = [m.start() for m in rx.finditer(_doc())]
        if hits and all(_doc().rfind("\n", 0, h) + 1 in heads for h in hits):
            print(f"lines: {pattern!r} is a file; these are its lines, as lines(file={name!r}).")
            return None, None, name
    return pattern, text, None


@_own_reads
def blocks(pattern: Any = None, text: Any = None) -> list[str]:
    """The context's blocks (or `text`'s): runs of lines between blank lines, such as a log's
    entries, a config's sections, an e-mail's headers, a changelog's paragraphs; only those
    matching regex `pattern` (any case), when given. A line that matches is often a part of a
    record whose date, name or id sits on another line of the same block."""
    chunks = [b.strip("\n") for b in _re.split(r"\n[ \t]*\n", _as_text(text)) if b.strip()]
    if pattern is not None:
        rx = _pattern(pattern)
        chunks = [b for b in chunks if rx.search(b)]
    if _of_context(text) and pattern is not None and 0 < len(chunks) <= 50:
        _note_lines(chunks)
    return Blocks(chunks)


def under(head: Any, text: Any = None) -> list[str]:
    """The items below the unindented line `head` (matched whole, spaces aside), up to the
    next unindented line: its lines at the first indent, a deeper line being part of the item
    above it (a description, a wrapped line, a sub-item). A list's items under its head ("! model"
    in XKB's base.lst, a YAML key's entries): `len(under('! model'))` counts them."""
    want = " ".join(str(head).split())
    out: list[str] = []
    inside = False
    for line in _as_text(text).split("\n"):
        if not line.strip():
            continue
        if not line[:1].isspace():
            if inside:
                break
            inside = " ".join(line.split()) == want
        elif inside:
            out.append(line)
    if not out:
        print(f"under: no unindented line {want!r} with indented lines below it.")
    return _first_indent(out)


def _first_indent(block: list[str]) -> list[str]:
    """A block's lines at its smallest indent: its items, a deeper line being part of the item
    above it (a description, a wrapped line, a YAML mapping's other keys, a sub-item)."""
    if not block:
        return []
    indent = min(len(line) - len(line.lstrip()) for line in block)
    return [line for line in block if len(line) - len(line.lstrip()) == indent]


def headings(pattern: Any = None, level: int | None = None, text: Any = None) -> list[str]:
    """The context's headings (or `text`'s), in order, as its outline reads them: Markdown's
    `#` and underlined titles, numbered sections, a man page's capitals, outline-mode `*`
    lines; a NEWS file's release lines over their `===`. Only the top level (each file's, in a
    context of several; below a lone title, the level under it), unless `level` names another
    (1 is the top); only those matching regex `pattern` (any case), when given, of every level
    unless `level` names one. The releases a NEWS file records by year:
    `count_by(headings(), 'year')`; its paragraphs (`entries()`) carry no date."""
    doc = _as_text(text)
    try:
        wanted_level = None if level is None else int(level)
    except (TypeError, ValueError):
        print(f"headings: level={level!r} is no number; 1 is the top level, 2 the one below.")
        return []
    spans = [(name, body, end) for name, _, body, end in _files()] if _of_context(text) and _files() else []
    out: list[str] = []
    levels: set[int] = set()
    for name, lo, hi in spans or [("", 0, len(doc))]:
        heads = _outline(doc, lo, hi)[1]
        if not heads:
            continue
        levels |= {lvl for _, _, lvl in heads}
        # The top level, unless a level is named; with a pattern and no level, every level.
        wanted = _top_level(heads) if wanted_level is None else wanted_level
        for k, (a, b, lvl) in enumerate(heads):
            if lvl == wanted or (pattern is not None and wanted_level is None):
                line = Heading(doc[a:b].strip())
                line.file = name
                below = heads[k + 1][0] if k + 1 < len(heads) else hi  # not the next heading's date
                line.day = None if _dates_in(line, None) else dated_below(doc, b, below)
                out.append(line)
    if pattern is not None:
        rx = _pattern(pattern)
        out = [h for h in out if rx.search(h)]
    if not out and wanted_level is not None and levels and wanted_level not in levels:
        print(f"headings: no heading of level {wanted_level}; the text's levels: {sorted(levels)}.")
    return out


def _top_level(heads: list[tuple[int, int, int]]) -> int:
    """The level of a text's headings that outlines it: the top one, unless that is one title
    over two or more headings of the level below ("Release History" over requests' releases,
    a README's `# Name` over its `##` sections): a title alone outlines nothing."""
    levels = sorted({lvl for _, _, lvl in heads})
    top = [h for h in heads if h[2] == levels[0]]
    if len(levels) > 1 and len(top) == 1 and top[0] is heads[0] and sum(h[2] == levels[1] for h in heads) >= 2:
        return levels[1]
    return levels[0]


class Blocks(list[str]):
    """blocks()'s result, a list of str; echoed bare it shows each block's lines (a long
    line cut around its middle), not one escaped string. Called, it is blocks() (see `Rows`)."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return _blocks(*args, **kwargs)

    def __repr__(self) -> str:
        out = [f"{len(self)} block{'s' if len(self) != 1 else ''}"]
        for n, block in enumerate(self[:5], 1):
            rows = block.split("\n")
            shown = [r if len(r) <= 300 else r[:150] + " ... " + r[-100:] for r in rows[:12]]
            more = [f"   ... {len(rows) - 12} more lines"] if len(rows) > 12 else []
            out += [f"[{n}]", *(f"   {r}" for r in shown), *more]
        if len(self) > 5:
            out.append(f"... {len(self) - 5} more blocks")
        return "\n".join(out)


class Entries(_LineSet):
    """entries()'s result, a list of str (each one entry's lines); echoed bare it says how
    many there are and shows each one's first and last line. Called, it is entries()."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return _entries(*args, **kwargs)

    def __repr__(self) -> str:
        totals = _list_totals(self) if len(self) > 1 else ""
        out = [f"{len(self)} entr{'y' if len(self) == 1 else 'ies'}" + (f"; their lists in all: {totals}" if totals else "")]
        for n, entry in enumerate(self[:10], 1):
            rows = entry.split("\n")
            where = f"[{entry.file}] " if isinstance(entry, Line) and entry.file else ""
            out.append(f"[{n}] {where}{rows[0][:160]}")
            if len(rows) > 1:
                out.append(f"    ... {rows[-1].strip()[:160]}")
            if sizes := list_sizes(entry):
                out.append(f"    ({sizes})")
        if len(self) > 10:
            out.append(f"... {len(self) - 10} more entries")
        return "\n".join(out)


@_own_reads
def entries(pattern: Any = None, *rest: Any, text: Any = None, file: Any = None, **where: Any) -> list[str]:
    """The context's entries (or `text`'s): a line with the lines indented under it (a
    changelog's entries, a module's classes and functions, a config's sections), or else a
    run of lines between blank lines (a log's multi-line records), as `layout_records` reads
    them; only those with a line matching regex `pattern` (any case), when given. For a
    context of several files each entry knows its file (`.file`), and `file="name"` keeps the
    entries of the files whose name holds "name". `record(entry)` reads the fields of all its
    lines ("Start-Date: ...", "Install: ...").

    Lines as the pattern (`entries(lines("2025"))`): the entries holding any of those lines.
    Several patterns: the entries matching all of them (as `lines` takes them). Fields as
    `lines` takes them (`entries(Commandline="apt-get install")`): by the fields `record`
    reads in the entry, or as text when no entry has that field."""
    text, file, several = _positional("entries", rest, text, file)
    if several:
        pattern, file = _file_first("entries", pattern, several, file)
    if file is None and text is None and _files() and (named := _named_file(pattern)) is not None:
        print(f"entries: {pattern!r} is a file; these are its entries, as entries(file={named!r}).")
        pattern, file = None, named
    if several or isinstance(pattern, (list, tuple)):
        found = _entries_of(None, text, file)
        if several:
            kept = _all_of("entries", ("entry", "entries"), [pattern, *several], found,
                           lambda e: str(e).split("\n"))
        else:
            wanted = {str(r).strip() for r in pattern if str(r).strip()}
            kept = [e for e in found if any(r.strip() in wanted for r in str(e).split("\n"))]
            print(f"entries: the {len(kept)} entr{'y' if len(kept) == 1 else 'ies'} holding any of "
                  f"those {len(wanted)} lines.")
    elif pattern is not None or file is not None or where:
        kept = _entries_of(pattern, text, file)
    else:
        return Entries(_entries_of(None, text, None))  # all of them: no read of any one
    kept = _where(kept, where, "entry")
    if _of_context(text) and 0 < len(kept) <= 50:
        _note([e.span for e in kept])
    return Entries(kept)


def _entries_of(pattern: Any, text: Any, file: Any) -> list[Entry]:
    """entries()'s entries, without saying anything or logging reads: those of `text` (or of
    the context's files whose name holds `file`), with a line matching `pattern` if given."""
    doc = _as_text(text)
    parts: list[tuple[str | None, int, int]]
    if _of_context(text) and _files():
        parts = [(name, body, end) for name, _, body, end in _files_named(file)]
    else:
        parts = [(None, 0, len(doc))]
    out: list[Entry] = []
    rx = None if pattern is None else _pattern(pattern)
    for name, lo, hi in parts:
        for a, b in layout_records(doc, lo, hi):
            if rx is not None and not any(rx.search(row) for row in doc[a:b].split("\n")):
                continue
            entry = Entry(doc[a:b])
            entry.file, entry.span = name or "", (a, b)
            out.append(entry)
    return out


_LONG_LINE = 2000
"""A "line" longer than this is prose without line breaks (an extracted PDF, a one-line
document): it is read as its sentences, or a match would print the whole document."""

_SENTENCE_END = _re.compile(r"(?<=[.!?])\s+")


def _split_long(rows: list[str]) -> list[str]:
    out: list[str] = []
    for row in rows:
        if len(row) > _LONG_LINE:
            for part in _SENTENCE_END.split(row):
                if part.strip():
                    if isinstance(row, Line):
                        part = Line(part)
                        part.file = row.file
                    out.append(part)
        else:
            out.append(row)
    return out


def _note_lines(rows: list[str]) -> None:
    """Log where each of `rows` (whole lines of `_doc()`, in order) lies in the context."""
    doc, pos, spans = _doc(), 0, []
    for r in rows:
        at = doc.find(r, pos)
        while at > 0 and doc[at - 1] != "\n":  # a whole line, not the tail of a longer one
            at = doc.find(r, at + 1)
        if at < 0:
            break
        spans.append((at, at + len(r)))
        pos = at + len(r)
    _note(spans)


def chunks(n_chars: int = 50000, text: Any = None) -> list[str]:
    """The context (or `text`) cut into pieces of at most `n_chars`, at line or word ends."""
    doc = _as_text(text)
    n_chars = max(int(n_chars), 100)
    out, i = [], 0
    while i < len(doc):
        j = min(i + n_chars, len(doc))
        if j < len(doc):
            cut = doc.rfind("\n", i + n_chars // 2, j)
            if cut < 0:
                cut = doc.rfind(" ", i + n_chars // 2, j)
            if cut > i:
                j = cut + 1
        out.append(doc[i:j])
        i = j
    return out


def _norm_key(key: Any) -> str:
    return _re.sub(r"[\s_.-]+", "", str(key).lower())


_DATE_PARTS: dict[str, Callable[[_date], str]] = {
    "date": lambda d: d.isoformat(), "day": lambda d: d.isoformat(),
    "month": lambda d: f"{d.year}-{d.month:02d}", "year": lambda d: str(d.year),
}
"""Names of a date's parts, read from the date a line writes when it has no such field."""

_MAIL = _re.compile(r"<[^<>\s@]+@[^<>\s]+>")
"""A mail address as mail, changelogs, commit logs and AUTHORS files write a person's:
`Name <user@host>`; the name is read back from before it (`_name_before`)."""
_BY_LABEL = _re.compile(r"^\s*(?:author|from|sender)\s*:", _re.IGNORECASE)
"""A line that says whose an item is: a commit's `Author:`, a mail's `From:`."""
_PARTICLES = frozenset("de del della der den di da dos du van von la le bin al ten ter".split())
_PERSON_KEYS = frozenset(
    "author authors by signer signed signedby signoff maintainer uploader uploaded committer "
    "sender from who person people name owner contributor".split()
)
"""Names for an item's person: each means the `Name <mail>` an item writes when it has no field
of that name (`count_by(entries(...), "author")` over changelog entries or commits)."""


def _person(item: Any, text: str) -> str | None:
    """The person an item writes as `Name <mail>`: on an `Author:` or `From:` line first, then
    (for an entry) its first line or its last (a heading or a sign-off), else the first
    anywhere in it."""
    if "@" not in text:
        return None
    rows = text.strip().split("\n")
    labelled = [row for row in rows if _BY_LABEL.match(row)]
    for row in labelled + ([rows[0], rows[-1]] if isinstance(item, Entry) else []) + [text]:
        for m in _MAIL.finditer(row):
            line_start = row.rfind("\n", 0, m.start()) + 1
            if name := _name_before(row[max(line_start, m.start() - 80):m.start()]):
                return name
    return None


def person(item: Any) -> str | None:
    """The person an item writes as `Name <mail>` (an entry's heading or sign-off first), or
    None: who signed a changelog entry, wrote a commit or sent a mail."""
    return _person(item, str(item))


def _name_before(text: str) -> str:
    """The name that ends `text`: a quoted one ("Smith, Alice"), else its last words that are
    not lower case ("Ann Other", "Laszlo Boszormenyi (GCS)", "Marco d'Itri", "Jan van Dijk",
    "山田太郎"), not the words before them ("Reviewed by", "Signed-off-by:", "--"); a lone
    handle after a label ("jdoe")."""
    text = text.rstrip()
    if (quoted := _re.search(r"[\"']([^\"']{2,60})[\"']$", text)) is not None:
        return quoted.group(1).strip()
    words = [w.strip("\"") for w in text.split()][-6:]
    kept: list[str] = []
    for word in reversed(words):
        if word.endswith(":") or not word:
            break  # a label: "Signed-off-by:", "From:"
        if (word[:1].isalpha() and not word[:1].islower()) or word.startswith("(") or (
                "'" in word and word[:1].isalpha()):
            kept.insert(0, word)
        elif word in _PARTICLES and kept:
            kept.insert(0, word)
        else:
            break
    while kept and kept[0] in _PARTICLES:
        kept.pop(0)
    if not kept and words and _re.fullmatch(r"[\w.-]+", words[-1]) and (
            len(words) == 1 or words[-2].endswith(":") or words[-2] == "--"):
        return words[-1]
    return " ".join(kept)


class Record(dict[str, Any]):
    """A line's named fields. A missing field is None, not an error, and names match in any
    case and with or without spaces, `_`, `-` or `.` ("User ID" finds "user_id").

    A name for a person ("author", "by", "signer", "maintainer", ...) the line does not write
    as a field is the person it writes as `Name <mail>`. A name the line does not write as a
    field but as a word is read as a label: the word after it is the value ("status installed
    xxd" -> status: installed; "port 5433", "upgrade libc6 ..." -> upgrade: libc6), the way
    logs write what they record. Else "date", "day", "month" and "year" are read from the date
    the line writes (`to_date`): `count_by(entries(...), "year")`. An entry's are its own
    date's, before any label: "year 2038" in a changelog entry's body is no year of it."""

    line: str = ""
    file: str | None = None
    item: Any = None  # what it was read from: an `Entry` is dated by its first or last line

    def written(self, key: str) -> Any:
        """The field `key` as the line writes it (any case, spaces, `_`, `-`, `.`), or None:
        no label, person or date reading."""
        want = _norm_key(key)
        return next((v for k, v in self.items() if _norm_key(k) == want), None)

    def __missing__(self, key: str) -> Any:
        want = _norm_key(key)
        if (value := self.written(key)) is not None:
            return value
        if want == "file" and self.file is not None:
            return self.file  # a `Line`'s file, when the line writes no field "file"
        if want in _PERSON_KEYS and (who := _person(self.item, self.line)) is not None:
            return who
        if want in _DATE_PARTS and isinstance(self.item, Entry) and (day := _to_date(self.item)):
            return _DATE_PARTS[want](day)  # an entry's own date, before "year 2038" in its body read as a label
        if self.line and str(key).strip():
            m = _re.search(r"(?<![\w-])" + _re.escape(str(key).strip()) + r"\s+([^\s,;]+)",
                           self.line, _re.IGNORECASE)
            if m and m.group(1).lower() not in _STOP:  # "codename for X" is prose, not a label
                return m.group(1)
        if want in _DATE_PARTS and (day := _to_date(self.item if isinstance(self.item, Entry) else self.line)):
            return _DATE_PARTS[want](day)  # "year" of a line that writes a date but no year field
        return None

    def get(self, key: str, default: Any = None) -> Any:
        value = self[key]
        return default if value is None else value


_KV_EQ = _re.compile(r"""(?<![\w.-])([A-Za-z_][\w.-]*)=("(?:[^"\\]|\\.)*"|'[^']*'|(?:[^\s,;|&]|,(?=\d{3}))*)""")


def _eq_pairs(text: str) -> dict[str, str]:
    """A text's `key=value` pairs (logfmt, a URL's query), quotes taken off the values; the
    first of each key counts."""
    out: dict[str, str] = {}
    for m in _KV_EQ.finditer(text):
        value = m.group(2)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        else:
            value = _unclosed(value)
        out.setdefault(m.group(1), value)
    return out


def _unclosed(value: str) -> str:
    """`value` without the brackets it closes but never opens: the last argument of a call
    written `ExtractSales(day=2026-11-30, store=muenchen-west)` is `muenchen-west`."""
    counts = {c: value.count(c) for c in "()[]{}"}
    end = len(value)
    while end and (pair := _BRACKETS.get(value[end - 1])) is not None and counts[value[end - 1]] > counts[pair]:
        counts[value[end - 1]] -= 1
        end -= 1
    return value[:end]


_BRACKETS = {")": "(", "]": "[", "}": "{"}


_SEGMENTS = _re.compile(r"\|\|?|;|\t")
"""Where a line's `Key: value` fields part (the spaces around them are `_KV_COLON`'s: a run of
spaces matched on both sides of a separator was retried at each of its places)."""
_KV_COLON = _re.compile(r"^\s*([A-Za-z_][\w .()/-]{0,39}?)\s*:\s+(.*\S|)\s*$")
_COMMA_KEY = _re.compile(r",\s+(?=[A-Za-z_][\w .()/-]{0,39}?:\s)")


_LITERAL_UP_TO = 100_000
"""Characters of a line read as a Python literal: a longer one is no log's record."""


def _object_of(text: str) -> Any:
    """The object a line writes as JSON, or as a Python dict's repr (`{'path': '/x', 'bytes':
    1273}`, as Python programs log their items); None for neither."""
    try:
        return _json.loads(text)
    except ValueError:
        pass
    if len(text) > _LITERAL_UP_TO or not text.endswith("}"):
        return None
    try:
        return _ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None


def record(line: Any) -> Record:
    """The named fields of one line, as a dict of str (empty when the line names none).

    Reads the ways any text writes a record: a JSON object or a Python dict's repr; `key=value` pairs (values may be
    quoted); `Key: value` fields separated by `|`, `||`, `;`, tabs, commas or line breaks
    (an entry of several lines: the first of each name counts). A dict is
    returned as a Record as it is. For unnamed columns, see `cols`.
    """
    if isinstance(line, Mapping):
        return Record((str(k), v) for k, v in line.items())
    text = str(line).strip()
    out = Record()
    out.line, out.item = text, line
    out.file = line.file if isinstance(line, Line) else None
    if text.startswith("{"):
        obj = _object_of(text)
        if isinstance(obj, dict):
            for k, v in obj.items():
                out[str(k)] = v if isinstance(v, str) else _json.dumps(v, default=str)
            return out
    if (header := _context_header()) is not None and "\n" not in text:
        # A row of the context's table ("KS,FORD,20057,...") by its header's names: the
        # 1.5B counted `count_by(rows, "county")` over a CSV's lines and got no value.
        sep, names = header
        cells = _row_cells(text, sep)
        if len(cells) == len(names) and cells != names:  # the header line is no row of itself
            out.update(zip(names, cells, strict=True))
    for key, value in _eq_pairs(text).items():
        out.setdefault(key, value)
    for segment in (s for row in text.split("\n") for s in _SEGMENTS.split(row)):
        for part in _COMMA_KEY.split(segment):
            kv = _KV_COLON.match(part)
            if kv and "=" not in kv.group(1):
                out.setdefault(kv.group(1).strip(), kv.group(2))
    return out


_HEADER_OF: tuple[Any, tuple[str, list[str]] | None] = (None, None)


def _context_header() -> tuple[str, list[str]] | None:
    """The context's table header (`_table_header`) when it is one text; read once a context."""
    global _HEADER_OF
    if not isinstance(context, str):
        return None
    doc = _doc()
    if _HEADER_OF[0] is doc:
        return _HEADER_OF[1]
    found = _table_header(doc)
    _HEADER_OF = (doc, found)
    return found


def _table_header(text: str) -> tuple[str, list[str]] | None:
    """A text's table header, when its first line is one: `_table_sep` splits it and the next
    line alike, into three names or more, each written once and none a number, a date or a
    `key=value` ("ts=1, user=ann" is a record, "2024-05-01 10:00:01, INFO" a log line). Its
    separator and its names; None otherwise."""
    first = [r for r in text[:_HEADER_READ].lstrip("\ufeff").split("\n", 2)[:2] if r.strip()]
    sep = _table_sep(first) if len(first) == 2 else None
    if sep is None or sep == "|":
        return None
    names = _row_cells(first[0].rstrip("\r"), sep)
    if (len(names) >= 3 and len(set(names)) == len(names)
            and all(n and _NUMBER.fullmatch(n) is None and not _re.search(r"[=:]|\d[-/]\d", n) for n in names)):
        return sep, names
    return None


_HEADER_READ = 20_000


def _row_cells(row: str, sep: str) -> list[str]:
    """A table row's cells split at `sep`, as a CSV reader reads quoted cells."""
    try:
        return [c.strip() for c in next(_csv.reader([row], delimiter=sep), [])]
    except _csv.Error:
        return [c.strip() for c in row.split(sep)]


def cols(line: Any, sep: str | None = None) -> list[str]:
    """The columns of one line: split at `sep` (quotes respected, as in CSV); without `sep`,
    at tabs if the line has any, else at `|` if it has any, else at runs of spaces."""
    text = str(line).strip("\r\n")
    if sep is None:
        if "\t" in text:
            sep = "\t"
        elif "|" in text:
            return [c.strip() for c in text.strip().strip("|").split("|")]
        else:
            return text.split()
    if len(sep) == 1:
        try:
            return [c.strip() for c in next(_csv.reader([text.replace("\r", " ")], delimiter=sep), [])]
        except _csv.Error:  # a cell over the csv module's size limit
            pass
    return [c.strip() for c in text.split(sep)]


def _json_records(text: str) -> list[dict[str, Any]] | None:
    """The objects of a text that is a JSON array of objects, one JSON object a line (JSON
    Lines), one object holding such an array under one key (`{"items": [...]}`, as APIs and
    data packages wrap their rows), or one object of objects by key (`_keyed_rows`); or the
    components of a calendar or contact file (`_property_blocks`); None for any other text, or
    one with no objects."""
    body = text.strip().lstrip("\ufeff")  # a byte-order mark is no part of the text
    if body[:6] == "BEGIN:":
        return _property_blocks(body)
    if body[:6] == "WEBVTT" or _FIRST_CUE.match(body):
        return _cues(body)
    if _DUMP_START.match(body[:_DUMP_HEAD]):
        dump = _dump_rows(body)
        return dump[2] if dump is not None else None
    if _TOML_TABLES.search(body):
        return _toml_rows(body)
    if body[:1] == "<":
        return _xml_records(body)
    if body[:1] == "[":
        try:
            value = _json.loads(body)
        except ValueError:
            return None
        return value if _objects(value) else None
    if body[:1] != "{":
        return None
    if (rows := _wrapped(body)) is not None:
        return rows
    out = []
    for line in body.split("\n"):
        if line.strip():
            try:
                value = _json.loads(line)
            except ValueError:
                return None
            if not isinstance(value, dict):
                return None
            out.append(value)
    return out or None


_TOML_TABLES = _re.compile(r"^\[\[[\w.\"' -]+\]\][ \t]*(?:#.*)?$", _re.MULTILINE)
"""A TOML array of tables' header: `[[package]]`."""


def _toml_rows(body: str) -> list[dict[str, Any]] | None:
    """The tables of a TOML text's longest array of tables (`[[package]]` of a lock file,
    `[[bin]]` of a manifest) as records: an inline table's keys made fields of their own
    (`sdist = { upload-time = ... }` -> `sdist_upload-time`), a list kept (a table writes it as
    JSON, which `json_array_length` counts), a date written ISO. None for a text that is no
    TOML, or whose longest array has fewer than three tables."""
    try:
        value = _tomllib.loads(body)
    except (_tomllib.TOMLDecodeError, ValueError, RecursionError):
        return None
    arrays = [v for v in value.values() if _objects(v)]
    rows: list[dict[str, Any]] = max(arrays, key=len, default=[])
    if len(rows) < _BLOCKS_LEAST:
        return None

    def plain(v: Any) -> Any:
        if isinstance(v, (_date, _datetime)) or type(v).__name__ == "time":
            return v.isoformat()
        if isinstance(v, list):
            return [plain(x) for x in v]
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        return v

    out = []
    for row in rows:
        record: dict[str, Any] = {}
        for key, v in row.items():
            if isinstance(v, dict):
                record.update({f"{key}_{k}": plain(x) for k, x in v.items()})
            else:
                record[key] = plain(v)
        out.append(record)
    return out


def _objects(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(x, dict) for x in value)


def _wrapped(body: str) -> list[dict[str, Any]] | None:
    """The array of objects a JSON object holds as the value of one of its keys, when no other
    key holds one: which of two arrays are the rows, the text does not say."""
    try:
        value = _json.loads(body)
    except ValueError:
        return None  # JSON Lines too: a second object is "extra data"
    if not isinstance(value, dict):
        return None
    arrays = [v for v in value.values() if _objects(v)]
    if len(arrays) == 1:
        return arrays[0]
    if not arrays and len(value) >= _KEYED_LEAST and all(isinstance(v, dict) for v in value.values()):
        return _keyed_rows(value)
    return None


_PROPERTY = _re.compile(r'(?:[\w-]+\.)?([A-Za-z][\w-]*)((?:;[\w-]+(?:=(?:"[^"]*"|[^;:"]*))?)*):(.*)')
"""An iCalendar or vCard content line: `ORGANIZER;CN="Hamish Dunlop":mailto:...`, a vCard 2.1
bare parameter (`TEL;CELL:`) and an Apple group prefix (`item1.EMAIL:`) too."""
_PARAM = _re.compile(r';([\w-]+)=("[^"]*"|[^;:"]*)')
_STAMP = _re.compile(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?")
_DATED = _re.compile(r"DT[\w-]*|DUE|CREATED|LAST-MODIFIED|RECURRENCE-ID|COMPLETED|BDAY|ANNIVERSARY|REV|EXDATE|RDATE",
                     _re.IGNORECASE)
"""The properties whose values are dates (a phone number's eight digits are none)."""
_ESCAPED = _re.compile(r"\\([\\;,nN])")
_BLOCKS_LEAST = 3


def _property_blocks(body: str) -> list[dict[str, Any]] | None:
    """The components of an iCalendar (RFC 5545) or vCard (RFC 6350) text, of the kind it
    holds most at the top (`VEVENT`, `VCARD`; an event's alarms are no rows), as records:
    folded lines unfolded, one field a property in lower case (a repeated one joined by ", "),
    its value unescaped (`\\,` -> `,`), a date property's value written ISO (`20270104T183000Z`
    -> `2027-01-04T18:30:00Z`, which SQLite's date functions read) with its `TZID` a field of
    its own (`dtstart_tzid`), a common name parameter the field and its address apart
    (`organizer`: "Hamish Dunlop", `organizer_address`: "hamish@..."). None for fewer than three."""
    lines: list[str] = []
    for line in body.replace("\r\n", "\n").split("\n"):
        if line[:1] in (" ", "\t") and lines:
            lines[-1] += line[1:]  # a folded line goes on
        elif line.strip():
            lines.append(line)
    kinds: _Counter[str] = _Counter()
    depth, opened = 0, ""
    for line in lines:
        head = line.upper()
        if head.startswith("BEGIN:"):
            name = head[6:].strip()
            if depth == 0 or (depth == 1 and opened == "VCALENDAR"):
                kinds[name] += 1
            opened = name if depth == 0 else opened
            depth += 1
        elif head.startswith("END:"):
            depth = max(0, depth - 1)
    kind = next((k for k, _ in kinds.most_common() if k not in ("VCALENDAR", "VTIMEZONE")), None)
    if kind is None or kinds[kind] < _BLOCKS_LEAST:
        return None
    out: list[dict[str, Any]] = []
    fields: dict[str, list[str]] | None = None
    depth = 0
    for line in lines:
        head = line.upper()
        if fields is None:
            if head == f"BEGIN:{kind}":
                fields, depth = {}, 0
            continue
        if head == f"END:{kind}" and depth == 0:
            out.append({name: ", ".join(values) for name, values in fields.items()})
            fields = None
        elif head.startswith("BEGIN:"):
            depth += 1
        elif head.startswith("END:"):
            depth -= 1
        elif depth == 0 and (m := _PROPERTY.fullmatch(line)) is not None:
            name = m.group(1).lower()
            params = {p.upper(): v.strip('"') for p, v in _PARAM.findall(m.group(2))}
            value = _property_value(m.group(3), dated=_DATED.fullmatch(name) is not None)
            if "CN" in params:  # a person named, and their address apart: "Hamish Dunlop"
                fields.setdefault(f"{name}_address", []).append(_re.sub(r"(?i)^mailto:", "", value))
                value = params["CN"]
            fields.setdefault(name, []).append(value)
            if "TZID" in params:
                fields.setdefault(f"{name}_tzid", []).append(params["TZID"])
    return out if len(out) >= _BLOCKS_LEAST else None


_CUE_TIMING = _re.compile(r"((?:\d{1,2}:)?\d{1,2}:\d{2}[,.]\d{3})[ \t]+-->[ \t]+((?:\d{1,2}:)?\d{1,2}:\d{2}[,.]\d{3})")
"""A subtitle cue's timing line: `00:00:27,074 --> 00:00:30,566` (SubRip), `00:27.074 --> ...` (WebVTT)."""
_FIRST_CUE = _re.compile(r"(?:\d+[ \t]*\r?\n)?" + _CUE_TIMING.pattern)
_CUE_TAG = _re.compile(r"</?[a-zA-Z][^<>\n]{0,200}>|\{\\[^{}\n]{0,200}\}")
"""Styling inside a cue's text: `<i>`, `<font color=...>`, `{\\an8}`."""


def _cue_seconds(stamp: str) -> float:
    parts = stamp.replace(",", ".").split(":")
    return sum(float(part) * 60 ** k for k, part in enumerate(reversed(parts)))


def _cue_time(seconds: float) -> str:
    """A time into the film as one form for every cue, HH:MM:SS.mmm: `00:30:00` compares
    with it as text, and a WebVTT `27.074` (no hours) becomes `00:00:27.074`."""
    whole, milli = divmod(round(seconds * 1000), 1000)
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}.{milli:03d}"


def _cues(body: str) -> list[dict[str, Any]] | None:
    """The cues of a SubRip (.srt) or WebVTT text as records: `number` (a SubRip cue's number,
    a WebVTT cue's identifier, else its place), `start` and `end` as HH:MM:SS.mmm, `seconds`
    on screen, and `text`, its lines joined and styling tags dropped. None for fewer than three."""
    out: list[dict[str, Any]] = []
    for block in _re.split(r"\r?\n[ \t]*\r?\n", body):
        lines = [line.strip() for line in block.strip().splitlines()]
        at = next((k for k, line in enumerate(lines[:3]) if _CUE_TIMING.match(line)), None)
        if at is None:
            continue  # a WebVTT header, NOTE or STYLE block
        timing = _CUE_TIMING.match(lines[at])
        assert timing is not None
        start, end = _cue_seconds(timing.group(1)), _cue_seconds(timing.group(2))
        label = lines[at - 1] if at else ""
        number: Any = int(label) if label.isascii() and label.isdigit() else label or len(out) + 1
        text = " ".join(t for line in lines[at + 1:] if (t := _CUE_TAG.sub("", line).strip()))
        out.append({"number": number, "start": _cue_time(start), "end": _cue_time(end),
                    "seconds": round(end - start, 3), "text": text})
    return out if len(out) >= _BLOCKS_LEAST else None


_DUMP_START = _re.compile(r"(?:\s|--[^\n]*|/\*(?:[^*]|\*(?!/))*\*/;?|BEGIN(?:\s+TRANSACTION)?;|PRAGMA[^;\n]*;|SET\s[^;\n]*;"
                          r"|DROP\s+TABLE[^;\n]*;|LOCK\s+TABLES[^;\n]*;|CREATE\s+DATABASE[^;\n]*;|USE\s[^;\n]*;)*+"
                          r"CREATE\s+TABLE\b", _re.IGNORECASE)
"""The start of an SQL dump (`sqlite3 .dump`, `sqlite-utils dump`, mysqldump): comments and
settings, then its first CREATE TABLE. Possessive, each part unambiguous: a text of leading
blank lines or comment banners is read once, never retried."""
_DUMP_HEAD = 20_000
_DUMP_KEPT = _re.compile(r"\s*(?:CREATE\s+TABLE|INSERT\s+(?:OR\s+\w+\s+)?INTO|INSERT\s+IGNORE\s+INTO|REPLACE\s+INTO)\b",
                         _re.IGNORECASE)
_SQL_TOKEN = _re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|`[^`]*`|--[^\n]*|/\*.*?(?:\*/|$)|;|[^'\"`;/-]+|.",
                         _re.DOTALL)
_MYSQL_TOKEN = _re.compile(r"'(?:[^'\\]|\\.|'')*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|--[^\n]*|/\*.*?(?:\*/|$)|;"
                           r"|[^'\"`;/-]+|.", _re.DOTALL)
"""A dump's tokens: quoted texts (mysqldump escapes a quote as `\'`), names, comments, `;`."""
_MYSQL_ESCAPES = {"0": "", "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a"}
_MYSQL_DUMP = _re.compile(r"^-- (?:MySQL|MariaDB) dump|/\*!\d{5}|`", _re.MULTILINE)
_MYSQL_ONLY = _re.compile(
    r"\s*\)\s*(?:ENGINE|DEFAULT\s+CHARSET|AUTO_INCREMENT|CHARSET|ROW_FORMAT)\s*=[^;]*$|\bAUTO_INCREMENT\b"
    r"|\bCOMMENT\s+'(?:[^']|'')*'|\b(?:CHARACTER\s+SET|CHARSET|COLLATE)\s+\w+|\bON\s+UPDATE\s+\w+(?:\s*\(\s*\))?"
    r"|\bUSING\s+(?:BTREE|HASH)\b|\bunsigned\b|\bzerofill\b", _re.IGNORECASE)
"""What mysqldump writes that SQLite does not read: a table's options, column comments, character
sets, `ON UPDATE`, index methods."""
_MYSQL_KEY = _re.compile(r",\s*(?:(?:UNIQUE|FULLTEXT|SPATIAL)\s+)?(?:KEY|INDEX)\s+[^,()]*\((?:[^()]|\([^()]*\))*\)",
                         _re.IGNORECASE)
_MYSQL_LISTED = _re.compile(r"\b(?:enum|set)\s*\((?:[^()']|'(?:[^']|'')*')*\)", _re.IGNORECASE)
_DEFAULT_CALL = _re.compile(r"\bDEFAULT\s*(?=\(|[A-Za-z_]\w*\s*\(|b')", _re.IGNORECASE)
"""A column's default that computes (`DEFAULT (hex(randomblob(9)))`, `current_timestamp()`): the
authorizer never sees it, and a dump writes every column's value anyway."""
_DUMP_FUNCTIONS = frozenset({"replace", "char", "unistr"})
"""Functions a dump's values may call: `sqlite3 .dump` writes a text's newlines as
`replace('a\nb','\n',char(10))`, newer shells as `unistr(...)`."""
_DUMP_SECONDS = 5.0
_DUMP_COLUMNS_MOST = 60
_DUMP_JOINS_MOST = 60
_DUMP_DEPTH = 2
"""Keys followed from the largest table: its own, and those of the rows they name."""


def _mysql_text(token: str) -> str:
    """A mysqldump quoted text as SQLite writes it: backslash escapes read, quotes doubled."""
    inner = _re.sub(r"\\(.)", lambda m: _MYSQL_ESCAPES.get(m.group(1), m.group(1)), token[1:-1], flags=_re.DOTALL)
    return "'" + inner.replace("''", "'").replace("'", "''") + "'"


def _balanced_end(text: str, at: int) -> int:
    """Past the parenthesis that closes the one opened at `at` (quotes skipped), or len(text)."""
    depth, i = 0, at
    while i < len(text):
        c = text[i]
        if c == "'":
            i = text.find("'", i + 1)
            i = len(text) if i < 0 else i
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(text)


def _table_made(statement: str) -> str:
    """A CREATE TABLE as SQLite reads it: mysqldump's own options, keys and listed types taken
    out, and a default that computes written NULL."""
    statement = _MYSQL_KEY.sub("", statement)
    statement = _MYSQL_LISTED.sub("TEXT", statement)
    statement = _MYSQL_ONLY.sub(lambda m: ")" if m.group(0).lstrip().startswith(")") else "", statement)
    while (m := _DEFAULT_CALL.search(statement)) is not None:
        rest = statement[m.end():]
        if rest.startswith("b'"):
            cut = rest.find("'", 2) + 1
        else:
            opened = rest.find("(")
            cut = _balanced_end(rest, opened) if opened >= 0 else len(rest)
        statement = statement[:m.start()] + "DEFAULT NULL" + rest[cut:]
    return statement


def _dump_statements(body: str) -> Iterator[str]:
    """The CREATE TABLE and INSERT statements of a dump, in one pass over its tokens (a `;`
    inside a quoted text ends nothing); mysqldump's escapes, options and INSERT forms written as
    SQLite's."""
    mysql = _MYSQL_DUMP.search(body[:_DUMP_HEAD]) is not None
    parts: list[str] = []
    for m in (_MYSQL_TOKEN if mysql else _SQL_TOKEN).finditer(body):
        token = m.group(0)
        if token != ";":
            if token.startswith("--") or token.startswith("/*"):
                continue
            parts.append(_mysql_text(token) if mysql and token[:1] == "'" and len(token) > 1 else token)
            continue
        statement, parts = "".join(parts), []
        if not _DUMP_KEPT.match(statement):
            continue
        head = statement.lstrip()[:7].upper()
        if head.startswith("CREATE"):
            statement = _table_made(statement)
        elif head.startswith("REPLACE"):
            statement = _re.sub(r"^\s*REPLACE\s+INTO", "INSERT OR REPLACE INTO", statement, flags=_re.IGNORECASE)
        elif mysql:
            statement = _re.sub(r"^\s*INSERT\s+IGNORE\s+INTO", "INSERT OR IGNORE INTO", statement, flags=_re.IGNORECASE)
            statement = _re.sub(r"\b_binary\s+'", "'", statement)
        yield statement + ";"


_CREATES = frozenset({_sqlite3.SQLITE_CREATE_TABLE, _sqlite3.SQLITE_CREATE_INDEX, _sqlite3.SQLITE_INSERT,
                      _sqlite3.SQLITE_READ, _sqlite3.SQLITE_TRANSACTION})
"""What a CREATE TABLE does (its row in sqlite_master, its keys' indexes); no SELECT: no `AS SELECT`."""
_INSERTS = frozenset({_sqlite3.SQLITE_INSERT, _sqlite3.SQLITE_SELECT, _sqlite3.SQLITE_TRANSACTION})
"""What an INSERT of VALUES does; no READ: no `INSERT ... SELECT` from a table, no cross join."""


def _dump_loader(kind: list[str]) -> Callable[..., int]:
    """The authorizer a dump loads under: a CREATE TABLE may make a table (no SELECT in it, no
    `AS SELECT`), an INSERT may add rows from its own VALUES (no table read, no subquery's
    cross join), and only `_DUMP_FUNCTIONS` run; nothing else (no ATTACH, PRAGMA, trigger)."""
    def authorize(action: int, arg1: str | None, arg2: str | None, *_: object) -> int:
        if action == _sqlite3.SQLITE_UPDATE and arg1 == "sqlite_master":
            return _sqlite3.SQLITE_OK
        if action == _sqlite3.SQLITE_FUNCTION:
            return _sqlite3.SQLITE_OK if (arg2 or "").lower() in _DUMP_FUNCTIONS else _sqlite3.SQLITE_DENY
        allowed = _CREATES if kind[0] == "create" else _INSERTS
        return _sqlite3.SQLITE_OK if action in allowed else _sqlite3.SQLITE_DENY
    return authorize


def _dump_rows(text: Any) -> tuple[str, list[str], list[dict[str, Any]]] | None:
    """An SQL dump's largest table as records, each with the rows its keys name (`class_id`
    -> `class_title`, and that row's own keys: `class_judge_name`), up to two keys deep: a
    question about a database dump ("which parish won the most first prizes") is one table's
    rows with their references looked up. A key is a declared REFERENCES of one column to its
    table's primary key or a unique column, or a column `X_id` naming a table `X` (`Xs`, `Xies`)
    whose `id` is such. The dump is loaded into an in-memory SQLite under `_dump_loader`, for
    at most `_DUMP_SECONDS`; a statement SQLite cannot read is skipped. A BLOB is its hex.
    (table's name, the tables looked up, records); None when no table has three rows."""
    doc = _as_text(text).strip().lstrip("\ufeff")
    if _DUMP_OF[0] == doc:
        return _DUMP_OF[1]  # the first look reads a dump's rows, then names its tables: loaded once
    _DUMP_OF[:] = [doc, _loaded_dump(doc)]
    return _DUMP_OF[1]


_DUMP_OF: list[Any] = [None, None]
"""The last dump read and what `_dump_rows` gave for it."""


def _loaded_dump(doc: str) -> tuple[str, list[str], list[dict[str, Any]]] | None:
    """`_dump_rows` of one dump, loaded now."""
    db = _sqlite3.connect(":memory:")
    deadline = [0.0]
    try:
        deadline[0] = _time.monotonic() + _DUMP_SECONDS
        db.set_progress_handler(lambda: int(_time.monotonic() > deadline[0]), 10_000)
        db.setlimit(_sqlite3.SQLITE_LIMIT_LENGTH, 1_000_000)
        kind = ["create"]
        db.set_authorizer(_dump_loader(kind))
        for statement in _dump_statements(doc):
            kind[0] = "create" if statement.lstrip()[:6].upper() == "CREATE" else "insert"
            try:
                db.execute(statement)
            except (_sqlite3.Error, ValueError, OverflowError):
                if _time.monotonic() > deadline[0]:
                    return None
        db.set_authorizer(None)
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                          "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")]
        counts = {n: db.execute(f'SELECT COUNT(*) FROM "{_q(n)}"').fetchone()[0] for n in names}
        if not counts or max(counts.values()) < _BLOCKS_LEAST:
            return None
        fact = max(names, key=lambda n: counts[n])
        info = {n: list(db.execute(f'PRAGMA table_info("{_q(n)}")')) for n in names}
        columns = {n: [r[1] for r in rows] for n, rows in info.items()}
        by_lower = {n.lower(): n for n in names}

        def unique(table: str, column: str) -> bool:  # a key names one row: its primary key or a unique column
            pk = [r[1] for r in info[table] if r[5]]
            if pk == [column]:
                return True
            for index in db.execute(f'PRAGMA index_list("{_q(table)}")'):
                if index[2] and [r[2] for r in db.execute(f'PRAGMA index_info("{_q(index[1])}")')] == [column]:
                    return True
            return False

        def keys(table: str) -> list[tuple[str, str, str]]:  # (column, referenced table, its column)
            grouped: dict[int, list[tuple[str, str, str | None]]] = {}
            for r in db.execute(f'PRAGMA foreign_key_list("{_q(table)}")'):
                grouped.setdefault(r[0], []).append((r[3], r[2], r[4]))
            found: list[tuple[str, str, str]] = []
            for parts in grouped.values():
                if len(parts) != 1 or parts[0][1] not in columns:
                    continue  # a key of two columns is joined by none of them alone
                col, ref, named = parts[0]
                to = named or next((r[1] for r in info[ref] if r[5]), None)  # `REFERENCES parent`: its primary key
                if to is not None and unique(ref, to):
                    found.append((col, ref, to))
            declared = {c.lower() for c, _, _ in found}
            for col in columns[table]:
                m = _re.fullmatch(r"(\w+?)_?id", col, _re.IGNORECASE)
                if m is None or col.lower() in declared:
                    continue
                stem = m.group(1).lower()
                named_table = (by_lower.get(stem) or by_lower.get(stem + "s")
                               or by_lower.get(stem[:-1] + "ies" if stem.endswith("y") else ""))
                ident = next((c for c in columns[named_table] if c.lower() == "id"), None) if named_table else None
                if named_table and named_table != table and ident is not None and unique(named_table, ident):
                    found.append((col, named_table, ident))
            return sorted(found, key=lambda key: columns[table].index(key[0]))  # in the table's own order

        selected = [f'f."{_q(c)}"' for c in columns[fact]]
        labels = list(columns[fact])
        joins: list[str] = []
        looked: list[str] = []

        def follow(alias: str, table: str, prefix: str, depth: int) -> None:
            for col, ref, to in keys(table):
                if len(joins) >= _DUMP_JOINS_MOST or len(labels) >= _DUMP_COLUMNS_MOST:
                    return
                base = _re.sub(r"_?id$", "", col, flags=_re.IGNORECASE) or ref
                other = f"j{len(joins)}"
                joins.append(f'LEFT JOIN "{_q(ref)}" AS {other} ON {other}."{_q(to)}" = {alias}."{_q(col)}"')
                looked.append(ref)
                for rc in columns[ref]:
                    if rc != to and len(labels) < _DUMP_COLUMNS_MOST:
                        selected.append(f'{other}."{_q(rc)}"')
                        labels.append(f"{prefix}{base}_{rc}")
                if depth < _DUMP_DEPTH:
                    follow(other, ref, f"{prefix}{base}_", depth + 1)

        follow("f", fact, "", 1)
        seen: _Counter[str] = _Counter()
        labelled = []
        for label in labels:
            seen[label] += 1
            labelled.append(label if seen[label] == 1 else f"{label}_{seen[label]}")
        rows = db.execute(f'SELECT {", ".join(selected)} FROM "{_q(fact)}" AS f {" ".join(joins)}')
        records = [{k: v.hex() if isinstance(v, bytes) else v for k, v in zip(labelled, row, strict=True)}
                   for row in rows]
        return fact, list(dict.fromkeys(looked)), records
    except (_sqlite3.Error, ValueError, OverflowError, MemoryError):
        return None
    finally:
        db.close()


def _q(name: str) -> str:
    """A name as it goes between double quotes in SQL."""
    return name.replace('"', '""')


def _property_value(value: str, dated: bool) -> str:
    """A content line's value as meant: escapes read in one pass, a date property's date or
    date-time written ISO."""
    if dated and (m := _STAMP.fullmatch(value)) is not None:
        y, mo, d, h, mi, sec, z = m.groups()
        return f"{y}-{mo}-{d}" + (f"T{h}:{mi}:{sec}{z}" if h else "")
    return _ESCAPED.sub(lambda e: "\n" if e.group(1) in "nN" else e.group(1), value)


_XML_LEAST = 5
"""Elements of one name an XML file must repeat for them to be its rows."""
_XML_NAMES = ("name", "title", "id", "label")
"""An enclosing element's child that names it: a track's `<name>` for each of its points."""
_HTML_TAGS = frozenset("html body head div span p ul ol li section article nav".split())
"""Roots of a web page or its fragment: their elements are the page's layout, not rows."""


def _xml_records(body: str) -> list[dict[str, Any]] | None:
    """An XML file's most repeated element that holds values (attributes, or children holding
    only text: a GPX track point's `lat`, `lon`, `<ele>`, `<time>`) as rows, each with the
    names of the elements around it (`trk_name`: "03-OCT-10 #2") and their place among their
    like (`trk_number`: 2), namespaces aside. None for no XML, a DTD's entities (never
    expanded), or fewer than `_XML_LEAST` such elements."""
    import xml.etree.ElementTree as _et  # only for XML: a text of records is rarely one

    if "<!ENTITY" in body or "<!DOCTYPE" in body:
        return None
    try:
        root = _et.fromstring(body)
    except (_et.ParseError, ValueError):
        return None

    def tag(element: Any) -> str:
        return str(element.tag).rsplit("}", 1)[-1]

    if tag(root).lower() in _HTML_TAGS:
        return None  # a web page's elements are its layout, not rows

    def leaf(element: Any) -> bool:
        return len(element) == 0

    def holds_values(element: Any) -> bool:
        return bool(element.attrib) or any(leaf(c) for c in element)

    parents: dict[Any, Any] = {}
    places: dict[Any, tuple[int, int]] = {}  # each element's place among its like, and how many they are
    counts: _Counter[str] = _Counter()
    for parent in root.iter():
        of_tag: _Counter[str] = _Counter(tag(c) for c in parent)
        taken: _Counter[str] = _Counter()
        for child in parent:
            parents[child] = parent
            taken[tag(child)] += 1
            places[child] = (taken[tag(child)], of_tag[tag(child)])
            if holds_values(child):
                counts[tag(child)] += 1
    if not counts or counts.most_common(1)[0][1] < _XML_LEAST:
        return None
    wanted = counts.most_common(1)[0][0]
    out: list[dict[str, Any]] = []
    for element in root.iter():
        if tag(element) != wanted or not holds_values(element):
            continue
        row: dict[str, Any] = {}
        above, depth = parents.get(element), 0
        while above is not None and above is not root and depth < 3:
            place, like = places.get(above, (0, 0))
            if like > 1:
                row[f"{tag(above)}_number"] = str(place)
            for child in above:
                if leaf(child) and tag(child) in _XML_NAMES and (child.text or "").strip():
                    row.setdefault(f"{tag(above)}_{tag(child)}", child.text.strip())
            above, depth = parents.get(above), depth + 1
        for key, value in element.attrib.items():
            row[key.rsplit("}", 1)[-1]] = value
        for child in element:
            if leaf(child):
                name, value = tag(child), (child.text or "").strip()
                row[name] = f"{row[name]}, {value}" if name in row else value
        out.append(row)
    return out if len(out) >= _XML_LEAST else None


_KEYED_LEAST = 3
"""Objects an object must map its keys to for them to be its rows (`{"AD": {...}, "AE": {...}}`)."""


def _keyed_rows(value: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """An object of objects by key (`{"AD": {"name": "Andorra", ...}}`, as a data package
    keys its rows by code) as rows, each with its key as a field `key`, unless a field of every
    row already writes it (`"iso": "AD"`)."""
    rows = list(value.values())
    if any(all(str(row.get(field)) == key for key, row in value.items()) for field in rows[0]):
        return rows
    name = next((n for n in ("key", "_key", "__key") if all(n not in row for row in rows)), "__row_key")
    return [{name: key, **row} for key, row in value.items()]


def _table_sep(rows: list[str]) -> str | None:
    """The separator `table` splits a header line and its rows at: the first of `,` `\\t` `;`
    `|` that the header holds and that splits it into two columns or more, and the next line
    into as many or fewer (a CSV row may leave its empty last fields out); None for columns
    aligned by spaces."""
    if len(rows) < 2:
        return None
    for s in (",", "\t", ";", "|"):
        head, first = (len(_cols(r, None if s == "|" else s)) for r in rows[:2])
        if s in rows[0] and 2 <= head and 2 <= first <= head:
            return s
    return None


def table(text: Any = None, sep: str | None = None) -> list[Record]:
    """The rows of a table with a header line (CSV, TSV, `|` or space-aligned columns) as
    Records named by the header. Without `sep` the separator is the first of `,` `\\t` `;`
    `|` that splits the header and the next line into as many columns, else runs of spaces.
    A list of dicts comes back as Records, and so does a text of JSON objects: an array of
    them, or one a line (JSON Lines)."""
    if isinstance(text, (list, tuple)) and text and all(isinstance(x, Mapping) for x in text):
        return [_record(x) for x in text]
    doc = _as_text(text)
    if (objects := _json_records(doc)) is not None:
        return [_record(x) for x in objects]
    if _DUMP_START.match(doc.lstrip()[:_DUMP_HEAD]):
        return []  # an SQL dump whose tables hold too few rows, or none SQLite could read: no comma-separated rows
    header, rows, sep = _table_cells(doc, sep)
    out = []
    for cells in rows:
        if sep is None:
            cells = _rest_joined(cells, len(header))
        out.append(Record(zip(header, cells, strict=False)))
    return out


_LINE_TAG = _re.compile(r"[A-Za-z][A-Za-z ]{0,30}:[ \t]")
"""A tag that starts a line of a table, "import time: ": when every line has it, no column's."""


def _rest_joined(cells: list[str], width: int) -> list[str]:
    """A space-aligned row's cells for a header of `width` names: the last column holds the rest
    of the line, spaces and all (`ps aux`'s COMMAND and its arguments)."""
    return cells if len(cells) <= width else [*cells[: width - 1], " ".join(cells[width - 1:])]


def _comments_dropped(lines: list[str], sep: str | None, keep: int = 0) -> list[str]:
    """`lines` without the comment lines above a table's header ("# exported 2024-01-01"),
    while more than `keep` lines are left; the last of them kept, without its "#", when it is
    the header itself (`_commented_header`)."""
    lines = list(lines)
    comment = ""
    while len(lines) > keep and lines[0].lstrip().startswith("#"):
        comment = lines.pop(0)
    if comment and lines and (named := _commented_header(comment, lines, sep)) is not None:
        lines.insert(0, named)  # sadf's "# hostname;interval;timestamp;IFACE;...": the header, commented
    return lines


def _commented_header(comment: str, lines: list[str], sep: str | None) -> str | None:
    """The comment line right above a table's first line, without its "#", when it is the
    table's header: it splits into as many cells as the first line (three or more), each a
    name (a letter in it), and the first line holds a number (a row, not a second header).
    `sadf -d` and other exporters write their header so; None for any other comment."""
    named = comment.lstrip().lstrip("#").strip()
    cut = sep if sep is not None else _table_sep([named, *lines[:20]])
    if cut is None or len(cut) != 1 or cut == "|":
        return None
    names, first = named.split(cut), lines[0].split(cut)
    if len(names) < 3 or len(names) != len(first) or not all(_re.search(r"[^\W\d_]", n) for n in names):
        return None
    if not any(_NUMBER.fullmatch(c.strip()) for c in first):
        return None
    return named


def _table_cells(doc: str, sep: str | None = None, *, header: bool = True) -> tuple[list[str], list[list[str]], str | None]:
    """How `table` reads a text: its header's cells, each row's cells and the separator. Blank
    lines, a Markdown table's rule line and comment lines above the header are no rows; a text
    split at `,` `;` or tabs is read by one CSV reader, so a quoted cell may hold line breaks.
    With `header` (a table's first line) an unnamed first column is named `_ROW_NAMES`; a row
    alone (`header=False`) keeps its empty cell."""
    doc = doc.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")  # a byte-order mark is no header; a lone CR ends a line
    lines = _comments_dropped([r for r in doc.split("\n") if r.strip() and not _re.fullmatch(r"[\s|:+-]+", r)],
                             sep, keep=1)
    if not lines:
        return [], [], sep
    tag = _LINE_TAG.match(lines[0])
    if tag is not None and len(lines) > 2 and all(r.startswith(tag.group(0)) for r in lines):
        lines = [r[len(tag.group(0)):] for r in lines]  # "import time: 181 | ...": a tag every line has is no cell
    if sep is None:
        sep = _table_sep(lines)
    if sep is not None and len(sep) == 1 and sep != "|":
        try:
            cells = [[c.strip() for c in row] for row in _csv.reader(_io.StringIO("\n".join(lines)), delimiter=sep)
                     if row]
        except _csv.Error:  # a cell over the csv module's size limit: split plainly
            cells = [[c.strip() for c in r.split(sep)] for r in lines]
    else:
        cut = None if sep == "|" else sep  # cols() splits at "|" by itself, outer bars dropped
        cells = [_cols(r, cut) for r in lines]
    first = cells[0]
    if header and len(first) > 2 and first[0] == "" and all(first[1:]) and _ROW_NAMES not in first:
        # R's write.csv and pandas' to_csv leave the row names' column unnamed: `"","year",...`.
        first = [_ROW_NAMES, *first[1:]]
    return first, cells[1:], sep


_ROW_NAMES = "row"
"""The name given to a table's unnamed first column, the row names R and pandas write there."""


_NUMBER = _re.compile(r"(?<![A-Za-z0-9_.-])[-+]?(?:\d[\d,_]*(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?")
"""A number standing on its own: digits glued to a Latin word or a version ("amd64",
"libssh2-1", "x86", "USD12") are part of a name, not a number; after other scripts' words
("合計1200件") they are a number."""


_UNIT_NUMBER = r"((?<![\w.,:-])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.:-])\d+(?:\.\d+)?)"
"""A number as `to_number(value, unit)` reads it before its unit: thousands written with commas
("took 1,823ms"), a field after a comma ("404,2682ms": 2682), nothing glued to a letter, a dot,
a colon or a hyphen before it ("k8s", "2m13s", ".5ms", "-12ms", the seconds of "14:38:59 status")."""
_UNIT_FIELD = r"(?<![\w.:-])(\d+(?:\.\d+)?)"
"""The same in a line of comma-separated fields (a comma before a letter or a sign), where a
comma parts fields, not thousands: "GET,/api/93,200,864ms" is 864."""


_FIELDS = _re.compile(r",[^\d\s]")
"""A comma before a letter or a sign: a line of comma-separated fields."""


@_functools.lru_cache(maxsize=64)
def _unit_rx(unit: str, fields: bool) -> _re.Pattern[str]:
    return _re.compile((_UNIT_FIELD if fields else _UNIT_NUMBER) + " ?" + _re.escape(unit) + r"(?:e?s)?(?!\w)",
                       _re.IGNORECASE)


def to_number(value: Any, unit: str | None = None) -> float | None:
    """The first number in `value` that is not part of a name ("1,234.5 ms" -> 1234.5, "-3"
    -> -3, "libc6:amd64 2.36" -> 2.36), else None.
    With `unit`, the first number written just before that unit or its plural (or a thing
    counted: `to_number("DB 0: 8299 keys", "key")`), in any case, a space between allowed:
    `to_number("GET /ms/-/ms-2.1.tgz 80ms", "ms")` -> 80, where a log writes a time with no
    label. A whole number comes back as an int. Thousands separators (`,` `_`) are dropped."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    if unit is not None:
        text = str(value)
        m = _unit_rx(str(unit), _FIELDS.search(text) is not None).search(text)  # "GET,/api/93,200,864ms": 864
        return None if m is None else to_number(m.group(1))
    m = _NUMBER.search(str(value))
    if not m:
        return None
    raw = m.group(0).replace(",", "").replace("_", "")
    try:
        number = float(raw)
    except ValueError:
        return None
    return int(number) if number.is_integer() and not _re.search(r"[.eE]", raw) else number


# -- dates ------------------------------------------------------------------------------------

_MONTH_RX = (r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
             r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_DATE_FORMS: list[tuple[_re.Pattern[str], str]] = [
    (_re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"), "ymd"),
    (_re.compile(r"\b" + _MONTH_RX + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)", _re.I), "mdy"),
    (_re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?[\s/-]+" + _MONTH_RX + r",?[\s/-]+(\d{4})(?!\d)",
                 _re.I), "dmy"),
    (_re.compile(r"(?<!\d)(\d{1,2})([/.])(\d{1,2})\2(\d{4})(?!\d)"), "num"),
    # date(1)'s and ctime's "Mon Dec  9 00:49:22 GMT 2013": the year after the time and its zone,
    # on one line, after a weekday (`ls -l`'s "Dec  9 00:49 1234" names a file, not a year).
    (_re.compile(r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?[ \t]+" + _MONTH_RX
                 + r"[ \t]+(\d{1,2})[ \t]+\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]+(?:[A-Z]{1,5}|[+-]\d{4}))?"
                 r"[ \t]+((?:19|20)\d{2})(?!\d)"), "mdy"),
    (_re.compile(r"\b" + _MONTH_RX + r"\s+(\d{1,2})(?![\d,])"), "md"),
]


def _make_date(y: int, mo: int, d: int) -> _date | None:
    try:
        return _date(y, mo, d)
    except ValueError:
        return None


def _dates_in(s: str, year: int | None) -> list[tuple[int, _date]]:
    found = []
    for rx, form in _DATE_FORMS if year is not None else _DATE_FORMS[:-1]:
        m = rx.search(s)
        if not m:
            continue
        d: _date | None = None
        if form == "ymd":
            d = _make_date(int(m[1]), int(m[2]), int(m[3]))
        elif form == "mdy":
            d = _make_date(int(m[3]), _MONTHS[m[1][:3].lower()], int(m[2]))
        elif form == "dmy":
            d = _make_date(int(m[3]), _MONTHS[m[2][:3].lower()], int(m[1]))
        elif form == "num":
            a, b, y = int(m[1]), int(m[3]), int(m[4])
            # "31/12/2024" and "31.12.2024" are day first; "12/31/2024" month first.
            day_first = a > 12 or (m[2] == "." and b <= 12)
            d = _make_date(y, b, a) if day_first else _make_date(y, a, b)
        elif year is not None:  # "Mar 3" with no year (as syslog writes it)
            d = _make_date(year, _MONTHS[m[1][:3].lower()], int(m[2]))
        if d is not None:
            found.append((m.start(), d))
    return found


_UNDERLINE = _re.compile(r"[ \t]*([=\-~^*#+_.`'\":])\1{2,}[ \t]*")
_DATE_SAID = _re.compile(r"(?i)^(?:released?|release\s+date|date[ds]?)?\s*(?:on)?\s*:?\s*")


def dated_below(text: str, end: int, stop: int | None = None) -> _date | None:
    """The date written alone on the first line under a heading that ends at `end` (past its
    underline and blank lines, before `stop`): "2026-01-18", "*Released: 2016-11-06*",
    "(November 6, 2016)". None when that line says more than a date: a section's first
    sentence may mention one."""
    stop = len(text) if stop is None else stop
    at = end
    for _ in range(4):
        nl = text.find("\n", at, stop)
        if nl < 0:
            return None
        at = nl + 1
        close = text.find("\n", at, stop)
        row = text[at:stop if close < 0 else close].strip()
        if not row or _UNDERLINE.fullmatch(row):
            continue
        bare = _DATE_SAID.sub("", row.strip("*_()[]`<> \t")).strip("*_()[]`<> \t")
        if len(bare) > 32 or len(_re.findall(r"[^\W\d_]{2,}", bare)) > 2 or not _re.search(r"\d", bare):
            return None
        return to_date(bare)
    return None


def to_date(value: Any, year: int | None = None) -> _date | None:
    """The first date written in `value`, else None. Of an entry (`entries()`), the date on
    its first line, else on its last (a changelog's sign-off, a mail's footer), else the
    first anywhere: a date its body mentions is not the entry's.

    Reads "2024-03-05" (also with a time, or `/` `.`), "Mar 5, 2024", "March 5th 2024",
    "5 March 2024", "05/Mar/2024", "3/5/2024" (month first unless the first number is over
    12; "5.3.2024" is day first), "Mon Dec  9 00:49:22 GMT 2013" (as date(1) writes it). "Mar
    5" with no year is read only when `year` is given.
    """
    if isinstance(value, _datetime):
        return value.date()
    if isinstance(value, _date):
        return value
    if isinstance(value, Heading) and value.day is not None:
        return value.day
    text = str(value).strip("\n")
    if isinstance(value, Entry) and "\n" in text:  # its own date: on its first line or its last
        rows = text.split("\n")
        for row in (rows[0], rows[-1], text):
            if found := _dates_in(row, year):
                return min(found, key=lambda f: f[0])[1]
        return None
    found = _dates_in(text, year)
    return min(found, key=lambda f: f[0])[1] if found else None


def _period(value: Any, what: str) -> tuple[_date, _date]:
    """The days `value` names: a date, a month ("2024-03", "March 2024") or a year ("2024")."""
    day = _to_date(value)
    if day is not None:
        return day, day
    s = str(value).strip()
    m = _re.fullmatch(r"(\d{4})[-/.](\d{1,2})", s) or _re.fullmatch(r"(\d{1,2})[-/.](\d{4})", s)
    if m:
        y, mo = (int(m[1]), int(m[2])) if len(m[1]) == 4 else (int(m[2]), int(m[1]))
    else:
        m = _re.fullmatch(_MONTH_RX + r",?\s+(\d{4})", s, _re.I)
        if m:
            y, mo = int(m[2]), _MONTHS[m[1][:3].lower()]
        elif _re.fullmatch(r"\d{4}", s):
            return _date(int(s), 1, 1), _date(int(s), 12, 31)
        else:
            raise ValueError(f"in_dates: cannot read the {what} date {value!r}")
    if not 1 <= mo <= 12:
        raise ValueError(f"in_dates: cannot read the {what} date {value!r}")
    nxt = _date(y + 1, 1, 1) if mo == 12 else _date(y, mo + 1, 1)
    return _date(y, mo, 1), nxt - _timedelta(days=1)


_TIME_OF_DAY = _re.compile(r"(?:(?<![\d:.])|(?<=/\d\d\d\d:))([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:[.,](\d+))?)?(?![\d:])")
"""A time of day as logs write it: "06:32:05", "06:32:05.123" (its fraction the 4th group), "14:05",
and after the year of the common log format's "[07/Dec/2026:08:47:00]" (Apache, nginx, CherryPy)."""
_TIME_READ = 80
"""A row's own time is in its first characters (a log line's stamp)."""


def _time_window(first: Any, last: Any) -> tuple[int, int] | None:
    """The seconds of the day from `first` to `last`, when both are times of day (or `first`
    alone: its minute or second); None when they are not."""
    def read(value: Any) -> _re.Match[str] | None:
        return _TIME_OF_DAY.fullmatch(str(value).strip()) if isinstance(value, str) else None

    a = read(first)
    b = a if last is None else read(last)
    if a is None or b is None:
        return None
    return _seconds(a), _seconds(b, 59)  # "14:05": the whole minute


def _seconds(m: _re.Match[str], unwritten: int = 0) -> int:
    """The seconds of the day a `_TIME_OF_DAY` match writes; `unwritten` for its seconds if it writes none."""
    return int(m[1]) * 3600 + int(m[2]) * 60 + (int(m[3]) if m[3] is not None else unwritten)


def _time_of(row: Any) -> int | None:
    """The seconds of the day of a row's first time of day, near its start; None for none."""
    m = _TIME_OF_DAY.search(str(row)[:_TIME_READ])
    return None if m is None else _seconds(m)


def _period_or_none(value: Any) -> tuple[_date, _date] | None:
    try:
        return _period(value, "")
    except ValueError:
        return None


def _dated_in(rec: Record, name: str, period: tuple[_date, _date]) -> bool:
    """Whether a record's `date`/`month`/`year` (a field it writes, else its own date) lies in
    `period`: `lines(date="2024-03")` keeps March, whichever way a line writes its date."""
    own = None if rec[name] is None else _period_or_none(rec[name])
    return own is not None and period[0] <= own[0] and own[1] <= period[1]


_NOON = 12 * 3600


def in_dates(rows: Iterable[Any], first: Any, last: Any = None) -> list[Any]:
    """The rows whose first date lies from `first` to `last`, both included.

    `first` and `last` may be dates, months ("2024-03", "March 2024") or years ("2024"); a
    month or year covers all its days. Without `last`, the period `first` names:
    `in_dates(rows, "March 2024")` is March. Entries stay `Entries`, lines `Rows`.
    Times of day ("06:32:00", "14:05") keep the rows whose first time of day lies between them,
    whatever the day: `in_dates(lines(), "06:32:00", "06:32:05")`; "14:05" covers its minute.
    A window of times whose first is after its last crosses midnight ("23:50" to "00:10") when
    the first is in the afternoon and the last in the morning; otherwise the two are swapped.
    """
    window = _time_window(first, last)
    if window is not None and window[0] > window[1] and not (window[0] >= _NOON > window[1]):
        window = _time_window(last, first)  # "10:05" to "10:00": the wrong way round, not a day less five minutes (review)
    when: Callable[[Any], Any] = _time_of if window is not None else _to_date
    a, b = window if window is not None else (_period(first, "first")[0],
                                              _period(first if last is None else last, "last")[1])
    crosses = window is not None and window[0] > window[1]  # "23:50" to "00:10": the window crosses midnight
    out = [r for r in rows if (t := when(r)) is not None and ((t >= a or t <= b) if crosses else a <= t <= b)]
    if isinstance(rows, Entries):
        return Entries(out)  # echoed, it says how many, and their lists' totals
    return Rows(out) if isinstance(rows, _LineSet) else out


# -- counting and grouping --------------------------------------------------------------------


def _key_fn(key: Any) -> Callable[[Any], Any]:
    """What `key` means in count_by, group_by, sum_by and top.

    None: the item itself (a str stripped); a function: its result; an int: that column
    (`cols`) or that index; a str with a regex group, "(...)": the group's text in the item;
    "file": a line's file (a `Line` of a context of files); any other str: the field of that
    name (`record`)."""
    if key is None:
        return lambda x: x.strip() if isinstance(x, str) else x
    if callable(key):
        return key
    if isinstance(key, int):
        def column(x: Any) -> Any:
            parts = x if isinstance(x, (list, tuple)) else _cols(x)
            return parts[key] if -len(parts) <= key < len(parts) else None
        return column
    name = str(key)
    if "(" in name:
        rx = _re.compile(name, _re.IGNORECASE)

        def group(x: Any) -> Any:
            m = rx.search(str(x))
            return None if m is None else (m.group(1) if m.groups() else m.group(0))
        return group
    if _norm_key(name) == "file":  # a line's file, whatever the line writes (`open(file=...)`)
        return lambda x: x.file if isinstance(x, Line) and x.file else _record(x)[name]
    return lambda x: _record(x)[name]


def _hashable(value: Any) -> Any:
    if isinstance(value, (list, dict, set)):
        return str(value)
    return value


def _print_counts(head: str, counts: Mapping[Any, float], n: int) -> None:
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    print(head)
    for k, v in ranked[:n]:
        k = _cut(str(k), 100) if _lists_items([str(k)]) else k  # a whole list is told by its start
        print(f"{k}: {v:g}" if isinstance(v, float) else f"{k}: {v}")
    if len(ranked) > n:
        print(f"... {len(ranked) - n} more values")


class ShownCounts(_Counter[Any]):
    """count_by's result, a Counter. Echoed bare it adds nothing, as count_by printed it
    already: a small model shown the same counts twice copied the long echo as its next block.
    `print()` shows it whole."""

    def __repr__(self) -> str:
        return ""

    def __str__(self) -> str:
        return _Counter.__repr__(self)


class ShownDict(dict[Any, Any]):
    """group_by's and sum_by's result, a dict; echoed bare it adds nothing (see ShownCounts)."""

    def __repr__(self) -> str:
        return ""

    def __str__(self) -> str:
        return dict.__repr__(self)


def count_by(items: Iterable[Any], key: Any = None, *, n: int = 10, show: bool = True,
             field: Any = None) -> _Counter[Any]:
    """How many items have each value of `key`, most first: printed (the top `n`) and
    returned as a Counter. `key`: a field name, a column number, a regex with a group, or a
    function (see `_key_fn`); none counts the items themselves. Items without a value are
    left out (and said so). Code only: no sub-calls. `field=` is `key` by another name (as
    classify names it)."""
    key = field if key is None else key
    rows = items if isinstance(items, (list, tuple)) else list(items)
    counts: _Counter[Any] = _Counter()
    valued: list[Any] = []
    total = missing = 0
    for x, v in zip(rows, _values(rows, key), strict=True):
        total += 1
        if v is None or v == "":
            missing += 1
        else:
            counts[_hashable(v)] += 1
            if show:  # only a shown count says what its items are per file
                valued.append(x)
    if show:
        note = f"; {missing} without a value" if missing else ""
        _print_counts(f"count_by: {total} items, {len(counts)} values{note}", counts, n)
        if total and not counts and isinstance(key, str) and "(" not in key:
            print(_no_field(key, rows))
        elif len(counts) >= 8 and max(counts.values()) <= 2 and (per_file := _per_file(valued)):
            print("Nearly every value is held by one item: these counts rank nothing. "
                  f"The {len(valued)} items with a value, per file: {per_file}")
        elif isinstance(key, str) and max(counts.values(), default=0) <= 2 and _lists_items(list(counts)):
            called = _name_of(items)
            print(f"Each {key!r} is a list: sum_by({called}, {key!r}) adds up their items; "
                  f"sum_by({called}, key, {key!r}) per key.")
        return ShownCounts(counts)
    return counts


def _per_file(valued: list[Any]) -> str:
    """The items' count per file, when they come from several files and one holds three or
    more: what a count whose values are all held once may have meant ("which module has the
    most classes": the 1.5B counted by the word after "class" and answered the one class
    name written twice)."""
    files = _Counter(x.file for x in valued if isinstance(x, Line) and x.file)
    if len(files) < 2 or max(files.values()) < 3:
        return ""
    return ", ".join(f"{f} {c}" for f, c in files.most_common(5))


def _name_of(items: Any) -> str:
    """The name the model's cell gave `items` (`rows`), for advice it will copy as written; else
    "items". Told "count_by(items, 1) counts column 1", the 1.5B ran `count_by(items, 1)` twice,
    a NameError each time, with its lines in `rows`."""
    frame = _sys._getframe(1)
    while frame is not None and not (frame.f_code.co_filename.startswith("<cell ")
                                     and frame.f_code.co_name == "<module>"):  # the cell, not a helper
        frame = frame.f_back  # type: ignore[assignment]
    if frame is None:
        return "items"
    return next((k for k, v in frame.f_locals.items() if v is items and k.isidentifier() and not k.startswith("_")),
                "items")


def _no_field(name: str, items: Iterable[Any]) -> str:
    """What to say when no item has the field `name`: the fields the items do have, and, for
    lines of a context of files, that "file" names each line's file. (Not "use classify": told
    so, the 1.5B labelled every line of a source tree to count its classes.)"""
    first = next(iter(items), None) if isinstance(items, (list, tuple)) else None
    fields: list[str] = []
    for x in list(items)[:50] if isinstance(items, (list, tuple)) else []:
        fields += [k for k in _record(x) if k not in fields]
    have = f" Their fields: {', '.join(fields[:8])}." if fields else ""
    files = ' Key "file" gives each line\'s file.' if isinstance(first, Line) and first.file else ""
    who = (' Key "author" gives the person each writes as Name <mail>.'
           if first is not None and _person(first, str(first)) is not None else "")
    # Unnamed-column lines: split once, for both readings of the name as a column's value.
    rows = [] if fields or not isinstance(items, (list, tuple)) else [_cols(x) for x in items if isinstance(x, str)]
    columns = _few_valued_columns(rows, called=_name_of(items)) if rows else ""
    forms = _value_forms(name, rows) if rows else ""
    return f"No item has a field {name!r}.{have}{files}{who}{forms}{columns}{_as_a_value(name)}"


def _as_a_value(name: str) -> str:
    """Where the context writes `name` as a field's value ("Type: End-of-Life"), the most
    lines first, with the call that gives those lines. Asked how many deprecations reached
    end-of-life, the 1.5B ran `count_by(rows, "end-of-life")`, was told only that no item has
    that field, and answered 0; 70 lines write `Type: End-of-Life`. Counted as `lines()` reads
    its pattern, in any case; a field's head is looked for in the 64 characters before a match."""
    if not isinstance(name, str) or len(name) < 3 or not _re.search(r"[^\W\d_]", name):
        return ""
    doc = _doc()
    found: _Counter[str] = _Counter()
    spelled: dict[str, str] = {}
    for m in _re.finditer(r"(?<![\w-])" + _re.escape(name) + r"(?![\w-])", doc, _re.IGNORECASE):
        line = doc.rfind("\n", max(0, m.start() - 64), m.start())
        if line < 0 and m.start() > 64:
            continue  # a long line's middle: no field's head
        head = _VALUE_HEAD.fullmatch(doc, line + 1, m.start())
        if head is not None:
            found[head.group(1).lower()] += 1
            spelled.setdefault(head.group(1).lower(), head.group(1))
    told = []
    value = _re.escape(name).replace("\\-", "-").replace("\\ ", " ")  # "end-of-life" as the model wrote it
    for field, n in found.most_common(2):
        pattern = ("^" + _re.escape(spelled[field]) + ":[ \\t]*" + value + "(?![\\w-])").replace("'", "\\x27")
        told.append(f"{spelled[field]} on {n:,} line{'s' if n != 1 else ''} (len(lines(r'{pattern}')) counts them)")
    return f" {name!r} is written as a field's value: {'; '.join(told)}." if told else ""


_VALUE_HEAD = _re.compile(r"([A-Za-z][\w.-]{0,30}):[ \t]+")
"""A field's head before its value, at a line's start: "Type: " of "Type: End-of-Life"."""


def _value_forms(name: str, rows: list[list[str]]) -> str:
    """Where a key that is no field is written as a column's value, in its own or another form
    ("configured" as dpkg's action "configure"): how many lines hold it. Asked
    `count_by(rows, "configured")`, the 1.5B meant the lines that say so, and ran the same
    count until max_errors."""
    if not name.isalpha() or len(name) < 4:
        return ""
    stem = _stem(name).lower()
    found = _Counter((i, v) for r in rows for i, v in enumerate(r[:8])
                     if v.lower().startswith(stem) and v[len(stem):].lower() in _ENDINGS)
    told = [f" Column {i} writes {name!r} as {v!r}, on {n} of the {len(rows)} lines."
            for (i, v), n in found.most_common(2)]  # two: a word a column writes in two forms is said so
    return "".join(told)


_ENDINGS = frozenset(["", "e", "s", "es", "ed", "d", "ing", "ion", "ions", "ation", "ations", "ment", "ments"])
"""What may follow a word's stem in a value written as its form ("configur" + "e"; not
"start" + "up")."""


def _few_valued_columns(rows: list[list[str]], most: int = 12, called: str = "items") -> str:
    """The columns of unnamed-column lines (a log's date, time, action, name) that take few
    values, with their counts: what a count "by" a name the lines do not write can mean.
    (Told only that no line has a field "package", the 1.5B ran the same count four times;
    a dpkg log's third column says "upgrade: 7" outright.)"""
    if len(rows) < 3:
        return ""
    width = _Counter(len(r) for r in rows).most_common(1)[0][0]
    if width < 2:
        return ""
    shown = []
    for i in range(min(width, 8)):
        counts = _Counter(r[i] for r in rows if len(r) > i)
        if 2 <= len(counts) <= min(most, len(rows) * 0.7) and sum(counts.values()) >= len(rows) * 0.9:
            top3 = ", ".join(f"{v} {n}" for v, n in counts.most_common(6))
            more = f", ... {len(counts) - 6} more" if len(counts) > 6 else ""
            shown.append(f"\ncount_by({called}, {i}) counts column {i}: {top3}{more}")
    if not shown:
        return ""
    return " The lines are columns; by column:" + "".join(shown[:3])


def group_by(items: Iterable[Any], key: Any = None, *, show: bool = True) -> dict[Any, list[Any]]:
    """The items grouped by the value of `key` (as in count_by): {value: [items]}, the largest
    group first. Items without a value are left out. Prints the group sizes."""
    fn = _key_fn(key)
    groups: dict[Any, list[Any]] = {}
    for x in items:
        v = fn(x)
        if v is not None and v != "":
            groups.setdefault(_hashable(v), []).append(x)
    groups = dict(sorted(groups.items(), key=lambda kv: -len(kv[1])))
    if show:
        _print_counts(f"group_by: {len(groups)} groups",
                      {k: len(v) for k, v in groups.items()}, 10)
        if not groups and isinstance(key, str) and "(" not in key:
            print(_no_field(key, items))
        return ShownDict(groups)
    return groups


def _lists_items(values: Sequence[Any]) -> bool:
    """Whether a field's values are lists of names (`Install: a (1.0), b (2.0), c (3)`): half
    of them or more list 2 items or more, and one lists 3 or more that start with a letter.
    Such a field sums as its items; a price that once reads "Red, Green, Blue" does not."""
    present = [v for v in values if v is not None and v != ""]
    if not present:
        return False
    if any(isinstance(v, (list, tuple, set)) for v in present):
        return True
    sizes = [_top_level_items(v) if isinstance(v, str) else 0 for v in present]
    if 2 * sum(n >= 2 for n in sizes) < len(present):
        return False
    return any(n >= 3 and sum(p.strip()[:1].isalpha() for p in str(v).split(",")) >= 3
               for v, n in zip(present, sizes, strict=True))


def _values(rows: Sequence[Any], key: Any) -> list[Any]:
    """Each row's value of `key` (`_key_fn`). A field name half the rows or more write as a
    field is read only where it is written: a run without an `Install:` field installed
    nothing, and its "apt-get install -y" is no list of installs (the word-label reading of
    `Record`). Fewer, and each row is read as `Record` reads it (a few `user=root` lines
    among "invalid user admin" ones; "file", which every line of a file has)."""
    fn = _key_fn(key)
    if (not isinstance(key, str) or "(" in key or _norm_key(key) == "file"
            or not any(isinstance(x, str) for x in rows)):
        return [fn(x) for x in rows]
    written: list[Any] = []
    read: list[Any] = []
    for x in rows:
        rec = _record(x)
        w = rec.written(key)
        written.append(w)
        read.append(rec[key] if w is None else w)
    return written if 2 * sum(v is not None for v in written) >= len(rows) else read


def _amounts(values: Sequence[Any]) -> list[float | None]:
    """The values of one field as amounts: its items' number for a field that lists names
    (`_lists_items`), else each value read as a number (`to_number`)."""
    if _lists_items(values):
        return [None if v is None or v == "" else
                len(v) if isinstance(v, (list, tuple, set)) else _top_level_items(str(v)) for v in values]
    return [_to_number(v) for v in values]


def sum_by(items: Iterable[Any], key: Any, value: Any = None, *, n: int = 10,
           show: bool = True) -> Any:
    """The sum of `value` per value of `key`, largest first; `key` and `value` as in count_by
    (a field name, column, regex or function). A value is read as a number (`to_number`), and a
    field that lists names (`Install: a (1.0), b (2.0)`) as how many it lists. Items without a
    key or an amount are left out.

    `sum_by(items, field)`, without `value`: the field's total over all the items, a number
    ("how many packages did these runs install in all")."""
    rows = list(items)
    if value is None:
        return _total(rows, key, show)
    keys = _values(rows, key)
    values = _values(rows, value)
    amounts = _amounts(values)
    sums: dict[Any, float] = {}
    used = 0
    for k, v in zip(keys, amounts, strict=True):
        if k is None or k == "" or v is None:
            continue
        k = _hashable(k)
        sums[k] = sums.get(k, 0) + v
        used += 1
    sums = dict(sorted(sums.items(), key=lambda kv: -kv[1]))
    if not show:
        return sums
    _print_counts(f"sum_by: {used} items, {len(sums)} values", sums, n)
    if rows and not sums:
        if all(k is None or k == "" for k in keys):
            _why_none(key, rows, keys)
        elif all(a is None for a in amounts):
            _why_none(value, rows, values)
            if isinstance(key, str) and all(v is None for v in values) and any(
                    a is not None for a in _amounts(keys)):
                print(f"sum_by({_name_of(items)}, {key!r}) gives the total of {key!r}:")
                _total(rows, key, True)
    return ShownDict(sums)


def _why_none(name: Any, rows: Sequence[Any], values: Sequence[Any]) -> None:
    """Say why `name` gave no amounts: no item has it (`_no_field`), or its values are words."""
    if not isinstance(name, str) or "(" in name:
        return
    if any(v is not None and v != "" for v in values):
        print(f"{name!r} holds no numbers: count_by({_name_of(rows)}, {name!r}) counts its values.")
    else:
        print(_no_field(name, rows))


def _total(rows: Sequence[Any], field: Any, show: bool) -> float:
    """`sum_by(items, field)`: the field's amounts added up over all the items."""
    values = _values(rows, field)
    amounts = [a for a in _amounts(values) if a is not None]
    total = sum(amounts)
    if show:
        print(f"sum_by: {field if isinstance(field, str) else 'the value'} added up over "
              f"{len(amounts)} of {len(rows)} items: {total:g}")
        if rows and not amounts:
            _why_none(field, rows, values)
    return total


def top(items: Any, n: int = 5, key: Any = None) -> list[tuple[Any, Any]]:
    """The `n` largest (value, count) pairs, printed one a line. `items` is a Counter or dict
    of numbers (from count_by, sum_by), or items to count by `key` first."""
    if isinstance(items, Mapping):
        counts: Mapping[Any, Any] = items
    else:
        counts = _count_by(items, key, show=False)
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])[: max(int(n), 1)]
    for i, (k, v) in enumerate(ranked, 1):
        print(f"{i}. {k}: {v:g}" if isinstance(v, float) else f"{i}. {k}: {v}")
    return ranked


# -- sub-models: map and label ----------------------------------------------------------------

_CACHE: dict[tuple[Any, str], str] = {}
_CALLS = [0]
"""Sub-calls map_query has sent so far (classify reports its own share)."""
_MAX_ITEM = 40000
_MAX_LABELLED = 2000


def _numbered(reply: str, n: int) -> dict[int, str]:
    """{item number: answer} from a reply of lines like "3: answer" or "3. answer"."""
    got: dict[int, str] = {}
    for line in str(reply).splitlines():
        m = _re.match(r"\s*(?:item\s*)?\(?(\d+)\s*[).:\-]\s*(.*\S)?", line, _re.IGNORECASE)
        if m and 1 <= int(m[1]) <= n and int(m[1]) not in got:
            got[int(m[1])] = (m[2] or "").strip().strip("*`\"'").strip()
    return got


def _clean(reply: Any) -> str:
    text = str(reply).strip()
    return _re.sub(r"^```\w*\n?|\n?```$", "", text).strip()


def _cap(item: Any, limit: int) -> str:
    """`item` as text, cut to `limit` characters (a small sub-model's window is ~40K)."""
    item = str(item)
    if len(item) <= limit:
        return item
    print(f"(an item of {len(item):,} characters was cut to {limit:,}: use chunks() first)")
    return item[:limit]


def map_query(instruction: Any, items: Iterable[Any], batch: int = 1, show: bool = True,
              choices: list[str] | None = None) -> list[str]:
    """A sub-model's answer to `instruction` for each item, in the items' order.

    For what code cannot read from the text (a meaning, a summary, a judgement). All calls
    go out as one llm_query_batched, so they run concurrently. One item per sub-call by
    default; `batch=k` packs k items into a numbered sub-call and parses the numbered reply
    back (fewer calls, but a small sub-model loses count in long lists; items a reply missed
    are asked again alone). `choices` (a list) makes each call a choice request answered
    with one of them. Each distinct item is asked once, and answers are cached, so running
    the same map again costs nothing.
    """
    texts = [_cap(x, _MAX_ITEM) for x in items]
    instruction = str(instruction).strip()
    size = 1 if choices else max(1, int(batch))
    key = (instruction, tuple(choices) if choices else None)
    out: list[str | None] = [_CACHE.get((key, x)) for x in texts]
    todo = list(dict.fromkeys(x for x, v in zip(texts, out, strict=True) if v is None))
    groups = [todo[i:i + size] for i in range(0, len(todo), size)]
    prompts = []
    for g in groups:
        if len(g) == 1:
            prompts.append(f"{instruction}\n\n{g[0]}")
        else:
            body = "\n".join(f"{k}. {x}" for k, x in enumerate(g, 1))
            prompts.append(f"{instruction}\n\nItems:\n{body}\n\nReply with one line per item, "
                           f"in order, as \"number: answer\" (1 to {len(g)}), nothing else.")
    replies = llm_query_batched(prompts, choices=choices) if prompts else []
    answers: dict[str, str] = {}
    missed = []
    for g, reply in zip(groups, replies, strict=True):
        if len(g) == 1:
            answers[g[0]] = _clean(reply)
            continue
        got = _numbered(reply, len(g))
        for k, x in enumerate(g, 1):
            if got.get(k):
                answers[x] = got[k]
            else:
                missed.append(x)
    _CALLS[0] += len(prompts) + len(missed)
    if missed:
        again = llm_query_batched([f"{instruction}\n\n{x}\n\nAnswer briefly." for x in missed])
        for x, reply in zip(missed, again, strict=True):
            answers[x] = _clean(reply)
    for x, v in answers.items():
        if not v.startswith("Error:"):
            _CACHE[(key, x)] = v
    result = [v if v is not None else answers.get(x, "") for x, v in zip(texts, out, strict=True)]
    if show:
        calls = len(prompts) + (len(missed) and 1)
        print(f"map_query: {len(texts)} items, {calls} sub-call batch{'es' if calls != 1 else ''}; "
              f"first answers: {[a[:60] for a in result[:3]]}")
    return result


def _simple(text: str) -> str:
    return _re.sub(r"[^a-z0-9 ]+", " ", text.lower()).strip()


def _nearest(answer: Any, labels: list[str]) -> str:
    """The label a free-text answer names ("?" if none): exact, contained, a shared first
    word, or a close spelling; "other" when the list has it and nothing else fits."""
    if str(answer).startswith("Error:"):
        return "?"  # a failed sub-call names no label, whatever words its message has
    a = _re.sub(r"^(label|answer|category|class)\s+", "", _simple(str(answer))).strip()
    if not a:
        return "?"
    low = [_simple(lab) for lab in labels]
    for norm, lab in zip(low, labels, strict=True):
        if a == norm:
            return lab
    found = [(a.find(norm), -len(norm), lab) for norm, lab in zip(low, labels, strict=True)
             if norm and norm in a]
    if found:
        return min(found)[2]
    for norm, lab in zip(low, labels, strict=True):
        if len(a) >= 3 and a in norm:
            return lab
    first = a.split()[0]
    for norm, lab in zip(low, labels, strict=True):
        if len(first) >= 3 and any(w.startswith(first) or first.startswith(w)
                                   for w in norm.split() if len(w) >= 3):
            return lab
    close = _difflib.get_close_matches(a, low, n=1, cutoff=0.6)
    if close:
        return labels[low.index(close[0])]
    return "other" if "other" in labels else "?"


def _labels(labels: Any) -> list[str]:
    """A list of labels from a list, or from one string "a, b, c" (or "a; b; c").

    A single label gets "other" beside it: a choice of one is no choice, and the sub-model
    needs a way to say "not this"."""
    if isinstance(labels, str):
        labels = labels.split(";" if ";" in labels else ",")
    out = list(dict.fromkeys(str(x).strip().strip(".").strip("'\"") for x in labels))
    out = [x for x in out if x]
    if not out:
        raise ValueError('classify needs the labels, e.g. classify(rows, "label one, label two")')
    if len(out) == 1 and out[0].lower() != "other":
        out.append("other")
    return out


class Labels(list[str]):
    """classify's result: a label per item, in order. `labels[i]` is item i's label;
    `labels["a label"]` counts it; `labels["some text"]` counts the labels of the items
    holding that text (as `where`); `pick(label)` gives the items with that label."""

    def __init__(self, labels: Iterable[str], items: Iterable[Any], names: Iterable[str]) -> None:
        super().__init__(labels)
        self.items = list(items)
        self.names = list(names)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return self.count(key) if key in self.names or key == "?" else self.where(key)
        return list.__getitem__(self, key)

    def pick(self, label: str) -> list[Any]:
        """The items labelled `label`, in order."""
        return [item for item, lab in zip(self.items, self, strict=True) if lab == label]

    def where(self, text: Any) -> _Counter[str]:
        """Counts of the labels of the items that hold `text`; printed."""
        text = str(text)
        picked = [lab for item, lab in zip(self.items, self, strict=True) if text in str(item)]
        counts = _Counter(picked)
        table_ = ", ".join(f"{k}: {n}" for k, n in counts.most_common()) or "none"
        print(f"labels of the {len(picked)} items holding {text!r}: {table_}")
        return counts

    __call__ = where

    def counts(self) -> _Counter[str]:
        return _Counter(self)

    def by(self, field: Any, show: bool = True) -> LabelTable:
        """Each value of `field` (a user, a host, a file) with the counts of its items' labels,
        for a question about those values ("which users wrote a complaint"): {value: Counter}.
        Items without the field are left out. Prints how many values, a few of them, and how
        to select with `having`."""
        table = LabelTable(self.names)
        for item, lab in zip(self.items, self, strict=True):
            value = _record(item)[field] if isinstance(field, str) else _key_fn(field)(item)
            if value is not None and value != "":
                key = _hashable(value)
                table.setdefault(key, _Counter())[lab] += 1
                record_ = _record(item)  # the record's own date field first: a date in its prose is not when
                day = _to_date(record_.written("date") or record_.written("time") or item)
                table.dated.setdefault(key, []).append((lab, day))
        if show:
            print(table.summary(field))
        return table

    def __repr__(self) -> str:
        return "Labels(" + ", ".join(f"{k}: {n}" for k, n in _Counter(self).most_common()) + ")"

    __str__ = __repr__


class LabelTable(dict[Any, _Counter[str]]):
    """`Labels.by`'s result: each value of a field with its items' label counts. `having`
    picks the values by those counts."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        super().__init__()
        self.names = list(names)
        self.dated: dict[Any, list[tuple[str, _date | None]]] = {}  # each value's (label, date) per item

    def having(self, *labels: Any, least: int | None = None, exactly: int | None = None,
               most: int | None = None, first: Any = None, last: Any = None) -> Values:
        """The values with at least `least` items labelled one of `labels` (their counts
        added up; 1 unless `most` is given), or `exactly` that many, or at most `most`; sorted.
        `having("complaint", exactly=0)` is the values with none. With `first` and/or `last`
        (dates, as `in_dates` reads them; both included) only the items dated in that period
        count: `having("complaint", exactly=0, last="2023-01-06")` is the values with no
        complaint dated on or before that day. A label that is none of classify's is an
        error, not an empty list."""
        wanted = [str(x).strip() for x in labels]
        if not wanted:
            raise ValueError("having needs one label or more, e.g. table.having('complaint')")
        if exactly is not None and (least is not None or most is not None):
            raise ValueError("having takes exactly= alone, or least= and most=")
        if self.names and (unknown := [w for w in wanted if w not in self.names and w != "?"]):
            raise ValueError(f"{unknown[0]!r} is not one of the labels: " + ", ".join(self.names))

        def holds(n: int) -> bool:
            if exactly is not None:
                return n == int(exactly)
            low = (1 if most is None else 0) if least is None else int(least)
            return n >= low and (most is None or n <= int(most))

        if first is None and last is None:
            return Values(sorted((v for v, c in self.items() if holds(sum(c[w] for w in wanted))), key=_natural))
        lo = _period(first, "first")[0] if first is not None else _date.min
        hi = _period(last, "last")[1] if last is not None else _date.max
        if lo > hi:
            raise ValueError(f"having: first ({first}) is after last ({last})")
        undated = sum(1 for items in self.dated.values() for lab, day in items if lab in wanted and day is None)
        if undated:
            print(f"having: {undated} items labelled {' or '.join(wanted)} have no date; they are not counted.")

        def dated(value: Any) -> int:
            return sum(1 for lab, day in self.dated.get(value, []) if lab in wanted and day is not None and lo <= day <= hi)

        return Values(sorted((v for v in self if holds(dated(v))), key=_natural))

    def summary(self, field: Any) -> str:
        """A few lines on the table: how many values, three of them, and how to select."""
        if not self:
            return f"by: no item has a field {field!r}."
        shown = list(self.items())[:3]
        rows = "\n".join(f"{v}: " + ", ".join(f"{k} {n}" for k, n in c.most_common()) for v, c in shown)
        items = sum(sum(c.values()) for c in self.values())
        label = next((k for k in self.names if any(k in c for c in self.values())), None)
        how = ""
        if label is not None:
            how = (f"\n.having({label!r}) gives the {len(self.having(label))} values with at least one "
                   f"{label}; .having({label!r}, exactly=1) those with exactly one; "
                   f"table[{shown[0][0]!r}][{label!r}] is one value's count.")
        return f"by {field!r}: {len(self)} values, {items} items; the first {len(shown)}:\n{rows}{how}"

    def __repr__(self) -> str:
        return f"LabelTable({len(self)} values)"


class Values(list[Any]):
    """`having`'s result: a sorted list of values. `keys()` gives them too: a small model took
    the selected values for the table they came from and called `.keys()` on them."""

    def keys(self) -> list[Any]:
        return list(self)


class Pairs(list[tuple[Any, Any]]):
    """`pairs`' result: (lower, higher) tuples. As text (FINAL_VAR, print) one "(a, b)" a
    line; echoed bare, how many and the first few (thousands of lines help no one)."""

    def __str__(self) -> str:
        return "\n".join(f"({a}, {b})" for a, b in self)

    def __repr__(self) -> str:
        shown = " ".join(f"({a}, {b})" for a, b in self[:3])
        return f"Pairs({len(self)}): {shown}{' ...' if len(self) > 3 else ''}"


def pairs(first: Iterable[Any], second: Iterable[Any] | None = None, *, show: bool = True) -> Pairs:
    """Every pair of two different values, both from `first`, or one from `first` and one
    from `second`: each pair once, as (lower, higher) in natural order (numbers by size), all
    sorted. For a question that asks which pairs of things (users, hosts) meet a condition:
    select each side with code first, then pair them."""
    a_side = list(dict.fromkeys(str(x).strip() for x in first))  # ids as text: 7 and "7" are one value
    b_side = a_side if second is None else list(dict.fromkeys(str(x).strip() for x in second))
    found: set[tuple[str, str]] = set()
    for a in a_side:
        for b in b_side:
            if a != b:
                lo, hi = sorted((a, b), key=_natural)
                found.add((lo, hi))
    out = Pairs(sorted(found, key=lambda p: (_natural(p[0]), _natural(p[1]))))
    if show:
        sides = f"{len(a_side)} values" if second is None else f"{len(a_side)} and {len(b_side)} values"
        print(f"pairs: {len(out)} pairs of {sides}; {repr(out).split(': ', 1)[-1] or 'none'}")
    return out


def _natural(value: Any) -> tuple[Any, ...]:
    """Numbers in order of size, before other values, which sort by their text with its digit
    runs as numbers ("9" before "10", "web2" before "web10"); the text last, so that no two
    different values tie ("01" and "1", ids past float precision)."""
    text = str(value)
    if _re.fullmatch(r"-?[0-9]+(?:\.[0-9]+)?", text):
        return (0, _Decimal(text), text)
    parts = tuple((0, int(p), "") if p.isdecimal() and p.isascii() else (1, 0, p)
                  for p in _re.split(r"([0-9]+)", text) if p)
    return (1, parts, text)


def _written_label(text: str, rxs: list[tuple[str, _re.Pattern[str]]]) -> str | None:
    """The one label `text` writes out as a word, or None (none, or more than one)."""
    named = [lab for lab, rx in rxs if rx.search(text)]
    return named[0] if len(named) == 1 else None


_LABEL_COLUMNS = 8
"""Columns `_label_column` reads: a log line's action or level comes early."""
_FIELD_VALUES = 30
"""At most this many different values in a column (and one for each ten items) make it a
field whose values are labels."""
_FIELD_ITEMS = 20
"""Fewer items than this are asked about one by one."""


def _field_value(word: str) -> str:
    """A column's word as a label is compared with it: lowercase, without the punctuation
    around it ("Install:", "ERR!", "[WARN]"), "_" and "-" read as spaces ("NOT_FOUND")."""
    return word.strip(":,;[]()!\"'").lower().replace("_", " ").replace("-", " ")


def _label_column(texts: list[str], names: list[str]) -> tuple[int, list[str]] | None:
    """The column (split at spaces; one of the first eight) that every item has, whose few
    values (`_FIELD_VALUES`, and one for each ten items) include two labels or more: a field
    that states the label, as a log's action or level column does. Its number and each
    item's value there (`_field_value`); None when no column is such a field. Free text has
    no such column: its first words vary too much."""
    if len(texts) < _FIELD_ITEMS:
        return None
    rows = [t.split() for t in texts]
    wanted = {_field_value(lab) for lab in names if lab.lower() != "other"}
    best: tuple[int, int, list[str]] | None = None  # (items writing a label, column, values)
    for c in range(min([_LABEL_COLUMNS, *(len(r) for r in rows)])):
        values = [_field_value(r[c]) for r in rows]
        distinct = set(values)
        if len(distinct) > min(_FIELD_VALUES, len(rows) // 10) or len(distinct & wanted) < 2:
            continue
        hits = sum(v in wanted for v in values)
        if best is None or hits > best[0]:
            best = (hits, c, values)
    return None if best is None else (best[1], best[2])


def _labels_by_value(column: int, values: list[str], texts: list[str], names: list[str],
                     task: str) -> tuple[list[str], str]:
    """Each item's label from its value in the field `column`: a value that is a label is
    that label; each other value is asked about once, with one line that writes it as its
    example ("purge" may mean "remove"; "status" is none of "install, upgrade, remove"),
    and its answer holds for every item writing it. The labels, and the line that says so."""
    by_label = {_field_value(lab): lab for lab in names}
    rest = next((lab for lab in names if lab.lower() == "other"), "?")
    others = [v for v in dict.fromkeys(values) if v not in by_label]
    example = {v: texts[values.index(v)] for v in others}
    none = "none of these"
    asked = [f"In these lines, column {column + 1} says what each line is. This line writes {v!r} there:\n"
             f"{example[v]}" for v in others]
    replies = _map_query(task + "Which label does that value mean for such lines?",
                         asked, show=False, choices=[*names, none]) if others else []
    meant = dict(by_label)
    for v, reply in zip(others, replies, strict=True):
        label = _nearest(reply, names)
        meant[v] = rest if label == "?" or none in str(reply).lower() else label
    told = ", ".join(f"{v} -> {meant[v]}" for v in others[:6]) + (", ..." if len(others) > 6 else "")
    said = (f"classify: column {column + 1} writes the labels; its {len(others)} other value"
            f"{'s' if len(others) != 1 else ''} asked about once each ({told})." if others
            else f"classify: column {column + 1} writes the labels.")
    return [meant[v] for v in values], said


def _label_rx(label: str) -> _re.Pattern[str]:
    """A label written as a word of its own, in any case (not inside "error_count")."""
    return _re.compile(r"(?<!\w)" + _re.escape(label) + r"(?!\w)", _re.IGNORECASE)


_LOG_STAMP = _re.compile(r"\d{4}-\d\d-\d\d|\d\d:\d\d:\d\d")
"""A log line's date or time, in its first three columns."""
_ONE_LABEL_ITEMS = 200
"""Lines of a log labelled with one label nobody writes, from which classify asks first."""


def _one_label_of_a_log(items: list[Any], labels: Any, names: list[str], passed: Any = None) -> str:
    """What to say instead of labelling, when `labels` is one label (no "other" of the model's
    own) that no item writes, over `_ONE_LABEL_ITEMS` lines or more of a log (dated or timed,
    split at spaces into nearly one number of columns; no `|` records): such a label most
    often names a column ("package"), and a sub-call per line would cost minutes for what the
    lines state. Asked which package had the most status
    changes, the 1.5B ran `classify(rows, "package")` over 1,336 dpkg lines until its 240 s
    deadline. "" when labelling is meant: two labels or more, "x, other", or any item writing
    the label."""
    given = labels.split(";" if ";" in labels else ",") if isinstance(labels, str) else list(labels)
    if len(given) != 1 or len(items) < _ONE_LABEL_ITEMS or not all(isinstance(x, str) for x in items):
        return ""
    label = names[0]
    rx = _label_rx(label)
    if any(rx.search(x) for x in items):
        return ""
    if any("|" in x or "\t" in x for x in items):
        return ""  # `Key: v || Key: v` records, tables: their text columns may well need judging
    rows = [x.split() for x in items]
    widths = _Counter(len(r) for r in rows)
    if sum(widths[w + k] for w, _ in widths.most_common(1) for k in (-1, 0, 1)) < 0.9 * len(rows):
        return ""  # free text: a judgement per item may be meant
    if sum(any(_LOG_STAMP.search(c) for c in r[:3]) for r in rows) < 0.9 * len(rows):
        return ""  # not a log's lines
    called = _name_of(items if passed is None else passed)  # the cell's name for what it passed
    few, many = _few_valued_columns(rows, called=called), _many_valued_columns(rows, called=called)
    columns = (few or " The lines are columns; by column:") + many if many else few
    return (f"classify: {label!r} is one label and no item writes it: labelling {len(items):,} lines one "
            f"sub-call each would take minutes, for what the lines may state. Nothing was labelled. If "
            f"{label!r} names a column, count_by({called}, N) counts its values.{columns} To judge each line, "
            f"give two labels or more: classify({called}, '{label}, other').")


def _many_valued_columns(rows: list[list[str]], most: int = 3, called: str = "items") -> str:
    """The columns of unnamed-column lines that take many values, nearly all names (a log's
    packages, not its versions), each with its most common values, a line each: what a label
    naming a column ("package") may mean."""
    width = _Counter(len(r) for r in rows).most_common(1)[0][0]
    shown = []
    for i in range(min(width, 8)):
        counts = _Counter(r[i] for r in rows if len(r) > i)
        if len(counts) > 12 and sum(counts.values()) >= 0.9 * len(rows) and sum(
                v[:1].isalpha() for v in counts) >= 0.9 * len(counts):
            top = ", ".join(f"{v} {n}" for v, n in counts.most_common(3))
            shown.append(f"\ncount_by({called}, {i}) counts column {i}: {top}, ... {len(counts) - 3} more")
    return "".join(shown[:most])


def classify(items: Iterable[Any], labels: Any, instruction: Any = None, field: Any = None,
             batch: int = 1, show: bool = True) -> Labels:
    """One of `labels` for each item, in order; prints the label counts and the sub-calls made.

    For a property the text does not write (a meaning, a tone, a topic): a sub-model picks
    the label, one item per choice request, all sent as one batch. `labels` is a list or one
    string "a, b, c". `field`: label only that field of each item (as `record` reads it), not
    the whole line (an item without it is labelled whole). An answer that names no label is asked once more, then becomes "?".

    When nearly every item (90%) writes exactly one of the labels as a word, and no
    `instruction` is given, the labels are read from the text by code and only the rest go
    to the sub-model: a property the text states needs no judgement. So are they when a
    column of the items is a field whose values include labels (a log's action or level):
    each other value there is asked about once, not each item (`_label_column`).

    One label that no item writes, over a log's lines, labels nothing and says which columns
    there are (`_one_label_of_a_log`): it most often names a column, not a judgement.
    """
    passed, items = items, list(items)  # the object the cell passed, by which its name is found for advice
    names = _labels(labels)
    task = (str(instruction).strip() + "\n" if instruction else "")
    # An item without the field is labelled whole: a model names a field its lines lack
    # (`field="text"` copied from an example), and every item would read as the same "".
    values = [_record(x)[field] if field is not None else None for x in items]
    texts = [_cap(x if v is None else v, _MAX_LABELLED) for x, v in zip(items, values, strict=True)]
    if field is not None and items and all(v is None for v in values) and show:
        print(f"classify: no item has a field {field!r}; each item is labelled whole.")
    if instruction is None and all(v is None for v in values) and (
            said := _one_label_of_a_log(items, labels, names, passed)):
        if show:
            print(said)
        return Labels(["?"] * len(items), items, names)
    written: list[str | None] = [None] * len(texts)
    calls = _CALLS[0]
    if instruction is None:  # with an instruction the label answers it, whatever is written
        rxs = [(lab, _label_rx(lab)) for lab in names if lab.lower() != "other"]
        found = [_written_label(t, rxs) for t in texts]
        if sum(w is not None for w in found) >= 0.9 * len(texts):
            written = found
        elif (column := _label_column(texts, names)) is not None:
            labelled, said = _labels_by_value(*column, texts, names, task)
            written = list(labelled)
            if show:
                print(said)
    picked: list[str] = [w or "" for w in written]
    ask = [i for i, w in enumerate(written) if w is None]
    if ask:
        if int(batch) <= 1:
            # A choice request: the sub-model picks from `names` (a local model scores them).
            prompt = task + "Give the item exactly one label."
            raw = _map_query(prompt, [texts[i] for i in ask], show=False, choices=names)
        else:
            prompt = task + ("Give the item exactly one label from this list: " + "; ".join(names)
                             + ". Answer with the label only.")
            raw = _map_query(prompt, [texts[i] for i in ask], batch=batch, show=False)
        for i, r in zip(ask, raw, strict=True):
            picked[i] = _nearest(r, names)
        # A small sub-model often names the item's kind in its own words; shown its word and
        # the list again, it mostly maps it onto a label.
        off = [(i, r) for i, r in zip(ask, raw, strict=True) if picked[i] == "?" and r.strip()]
        if off:
            again = llm_query_batched([
                f"{prompt}\n\n{texts[i]}\n\n\"{_clean(r)[:60]}\" is not in the list. Answer with "
                "the label from the list that fits best: " + "; ".join(names) + "."
                for i, r in off
            ])
            _CALLS[0] += len(off)
            for (i, _), reply in zip(off, again, strict=True):
                picked[i] = _nearest(reply, names)
    out = Labels(picked, items, names)
    if show:
        counts = _Counter(out)
        # "?" (no label named) is shown last: it is not an answer.
        ranked = sorted(names, key=lambda k: -counts.get(k, 0))
        shown = ranked + (["?"] if counts.get("?") else [])
        by_code = len(items) - len(ask)
        calls = _CALLS[0] - calls
        how = f"{calls} sub-call{'s' if calls != 1 else ''}" + (f", {by_code} read from the text" if by_code else "")
        body = "\n".join(f"{k}: {counts.get(k, 0)}" for k in shown)
        # Both ends named: asked which label was least common, the 1.5B answered the first
        # line of this list, the most common.
        def tied(n: int) -> str:
            return f"{', '.join(k for k in ranked if counts.get(k, 0) == n)} ({n})"
        top, low = counts.get(ranked[0], 0), counts.get(ranked[-1], 0) if ranked else 0
        ends = f"\nMost: {tied(top)}; fewest: {tied(low)}." if len(ranked) >= 3 and out and top != low else ""
        print(f"classify: {len(out)} items ({how})\n{body}{ends}")  # one count a line: easy to read
    return out


# Helpers call each other through these names, which model code does not overwrite.
_record, _cols, _to_date, _to_number = record, cols, to_date, to_number
_count_by, _map_query = count_by, map_query
_grep, _lines, _blocks, _entries = grep, lines, blocks, entries
_enclosing, _section_heads, _record_around = enclosing, section_heads, record_around
Counter = _Counter  # for model code that uses Counter without importing it
