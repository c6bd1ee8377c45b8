"""Plain reads of `context` in the REPL: slices, `find`, `split` and `re` searches, logged
as (key, start, end) so `Result.evidence` covers code that reads the text without the helpers.

Why this way: the root model mostly reads its context with ordinary Python
(`context[1200:1800]`, `context.find(...)`, `re.finditer(pat, context)`). `Capture` gives
the REPL a `context` whose text is a `str` subclass (`Text`) that knows its offset in the
context and logs its slices, indexes and finds; a slice of it is a `Text` too, so a search in
a chunk still lands on the right characters. `import re` in model code gets a copy of the
module whose search functions and compiled patterns log match spans when the searched string
is such a `Text`, and cost one type check otherwise. Nothing is traced per character:
`re.finditer` logs its first `PER_CALL` matches and then hands over to the C iterator, and a
whole-text operation (`split`, `lower`, `re.sub`) logs one range. The log keeps at most
`MAX_SPANS` merged ranges a cell (the most recent).

The REPL's `type` says `str` for a `Text` (`list` for split lines, `re.Pattern` for a
pattern), and each pickles and copies as the plain value, so code that checks types, passes
the context to C functions or pickles it sees a str. The wrapping costs one copy of the
context when the worker starts; when that copy does not fit in memory, the plain context is
kept and no plain read is logged.

Loaded like the worker script (from a memory file, standard library only), and imported as
a module by the in-process REPL. Each `Capture` builds its own classes, so REPLs sharing a
process never share a log.
"""

from __future__ import annotations

import array
import builtins
import contextlib
import itertools
import operator
import re
import sys
import types
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["MAX_SPANS", "PER_CALL", "Capture", "ReadLog", "merge_spans"]

MAX_SPANS = 200
"""Merged ranges a cell's log keeps (the most recent ones)."""
PER_CALL = 100
"""Matches one `finditer`/`findall` logs; the rest run at C speed, unlogged."""
SHORT = 32
"""A slice shorter than this comes back as a plain str (still logged): loops over small
slices then cost no extra object each."""
_BUFFER = 4096
"""Raw ranges gathered before they are merged."""

Key = Any
"""None for a str context, the key of a dict context, the index of a list context."""
Span = tuple[Key, int, int, int]
"""(key, start, end, sequence number of the read)."""

_real_type = builtins.type
_str_new = str.__new__
_s_getitem, _s_find, _s_rfind = str.__getitem__, str.find, str.rfind
_s_index, _s_rindex = str.index, str.rindex
_s_partition, _s_rpartition = str.partition, str.rpartition
_s_split, _s_rsplit, _s_splitlines = str.split, str.rsplit, str.splitlines
_s_lower, _s_upper, _s_casefold = str.lower, str.upper, str.casefold
_s_startswith, _s_copy = str.startswith, str.__str__
_l_getitem = list.__getitem__
_compile: Callable[..., re.Pattern[str]] = getattr(re, "_compile", re.compile)


def merge_spans(spans: list[Span], cap: int) -> list[Span]:
    """`spans` with overlapping or touching ranges of one key joined; at most `cap`, the most
    recently read kept, in the order they were last read."""
    by_key: dict[Key, list[Span]] = {}
    for span in spans:
        by_key.setdefault(span[0], []).append(span)
    out: list[Span] = []
    for key, items in by_key.items():
        items.sort(key=operator.itemgetter(1))
        _, start, end, seq = items[0]
        for _, s, e, q in items[1:]:
            if s <= end:
                end, seq = max(end, e), max(seq, q)
            else:
                out.append((key, start, end, seq))
                start, end, seq = s, e, q
        out.append((key, start, end, seq))
    out.sort(key=operator.itemgetter(3))
    return out[-cap:] if cap else []


class ReadLog:
    """The ranges read since the last `drain`; `quiet` > 0 stops logging (the helpers, which
    log the lines they show themselves)."""

    def __init__(self, cap: int = MAX_SPANS) -> None:
        self.cap = cap
        self.spans: list[Span] = []
        self.seq = 0
        self.quiet = 0

    def add(self, key: Key, start: int, end: int) -> None:
        if self.quiet or end <= start:
            return
        spans = self.spans
        spans.append((key, start, end, len(spans) + self.seq))
        if len(spans) >= _BUFFER:
            self.seq += len(spans)
            self.spans = merge_spans(spans, self.cap)

    def drain(self) -> list[list[Any]]:
        """The merged ranges as [key, start, end], oldest first; the log starts empty again."""
        spans, self.spans = self.spans, []
        return [[k, s, e] for k, s, e, _ in merge_spans(spans, self.cap)]


class Capture:
    """One REPL's plain-read capture: the tracked `context`, the `re` module model code
    imports, the builtins (`type`, `__import__`) that keep both looking plain, and the log."""

    def __init__(self, context: Any) -> None:
        self.log = ReadLog()
        self.Text, self.Lines = _text_types(self.log)
        self.Pattern, self.re = _shadow_re(self.log, self.Text)
        masks: dict[type, type] = {self.Text: str, self.Lines: list, self.Pattern: re.Pattern}
        self.builtins: dict[str, Any] = {"type": _type_shim(masks), "__import__": self._import}
        try:
            self.context = self.track(context)
        except MemoryError:
            self.context = context  # no room for the copy: plain, unlogged

    def track(self, value: Any) -> Any:
        """`value` with its text as `Text`: a str, or the str values of a dict or list."""
        Text = self.Text
        if isinstance(value, str):
            return _piece(Text, value, None, 0)
        if isinstance(value, dict):
            return {k: _piece(Text, v, k, 0) if isinstance(v, str) else v for k, v in value.items()}
        if isinstance(value, list):
            return [_piece(Text, v, i, 0) if isinstance(v, str) else v for i, v in enumerate(value)]
        return value

    @contextlib.contextmanager
    def quiet(self) -> Iterator[None]:
        """Log nothing inside (the helpers log what they show with `cite`)."""
        self.log.quiet += 1
        try:
            yield
        finally:
            self.log.quiet -= 1

    def drain(self) -> list[list[Any]]:
        return self.log.drain()

    def _import(self, name: str, globals: Any = None, locals: Any = None,
                fromlist: Any = (), level: int = 0) -> Any:
        if name == "re" and not level:
            return self.re
        return builtins.__import__(name, globals, locals, fromlist, level)


def _piece(cls: type[str], text: str, key: Key, at: int) -> Any:
    """`text` as a `cls` (a `Text`) at offset `at` of the context's text `key`."""
    p: Any = _str_new(cls, text)
    p._key, p._at = key, at
    return p


def _text_types(log: ReadLog) -> tuple[type[str], type[list[str]]]:
    """A `Text` (str) and `Lines` (list) class logging into `log`."""
    add = log.add

    class Text(str):
        """A str that is part of the context: where it is read is logged."""

        _key: Key
        _at: int

        @property  # type: ignore[misc]
        def __class__(self) -> type:  # what `x.__class__` shows model code
            return str

        def __str__(self) -> str:
            return self  # as str(s) is s for a plain str: no copy of a 100 MB context

        def __reduce_ex__(self, protocol: Any) -> Any:
            return (str, (_s_copy(self),))

        def __getitem__(self, k: Any) -> Any:
            if _real_type(k) is slice:
                start, stop, step = k.indices(len(self))
                if step != 1 or stop <= start:
                    return _s_getitem(self, k)
                at = self._at + start
                add(self._key, at, at + stop - start)
                if stop - start == len(self):
                    return self  # as s[:] is s for a plain str: no copy
                v = _s_getitem(self, k)
                return _piece(Text, v, self._key, at) if stop - start >= SHORT else v
            v = _s_getitem(self, k)  # first: a bad index raises as for a plain str
            i = k if _real_type(k) is int else operator.index(k)
            at = self._at + (i if i >= 0 else i + len(self))
            add(self._key, at, at + 1)
            return v

        def _found(self, i: int, n: int) -> None:
            if i >= 0:
                add(self._key, self._at + i, self._at + i + max(n, 1))

        def find(self, sub: str, *args: Any) -> int:
            i = _s_find(self, sub, *args)
            self._found(i, len(sub))
            return i

        def rfind(self, sub: str, *args: Any) -> int:
            i = _s_rfind(self, sub, *args)
            self._found(i, len(sub))
            return i

        def index(self, sub: str, *args: Any) -> int:
            i = _s_index(self, sub, *args)
            self._found(i, len(sub))
            return i

        def rindex(self, sub: str, *args: Any) -> int:
            i = _s_rindex(self, sub, *args)
            self._found(i, len(sub))
            return i

        def partition(self, sep: str) -> tuple[str, str, str]:
            parts = _s_partition(self, sep)
            if parts[1]:
                self._found(len(parts[0]), len(sep))
            return parts

        def rpartition(self, sep: str) -> tuple[str, str, str]:
            parts = _s_rpartition(self, sep)
            if parts[1]:
                self._found(len(parts[0]), len(sep))
            return parts

        def _whole(self) -> None:
            add(self._key, self._at, self._at + len(self))

        def split(self, sep: str | None = None, maxsplit: int = -1) -> list[str]:  # type: ignore[override]
            parts = _s_split(self, sep, maxsplit)
            self._whole()
            return parts if sep is None else Lines(parts, self, len(sep))

        def rsplit(self, sep: str | None = None, maxsplit: int = -1) -> list[str]:  # type: ignore[override]
            parts = _s_rsplit(self, sep, maxsplit)
            self._whole()
            return parts if sep is None else Lines(parts, self, len(sep))

        def splitlines(self, keepends: bool = False) -> list[str]:
            parts = _s_splitlines(self, keepends)
            self._whole()
            return Lines(parts, self, 0 if keepends else None)

        def _same(self, v: str) -> str:
            # Same length: the same offsets, so reads of the copy are reads of the context.
            self._whole()
            return _piece(Text, v, self._key, self._at) if len(v) == len(self) else v

        def lower(self) -> str:
            return self._same(_s_lower(self))

        def upper(self) -> str:
            return self._same(_s_upper(self))

        def casefold(self) -> str:
            return self._same(_s_casefold(self))

    class Lines(list[str]):
        """The parts of a split `Text`: an item read by index is logged, with its place."""

        def __init__(self, parts: list[str], src: Text, sep: int | None) -> None:
            super().__init__(parts)
            self._src, self._sep = src, sep
            self._starts: array.array[int] | None = None

        @property  # type: ignore[misc]
        def __class__(self) -> type:
            return list

        def __reduce_ex__(self, protocol: Any) -> Any:
            return (list, (list(self),))

        def _where(self, i: int, item: Any) -> int | None:
            """Where item `i` starts in the context's text, or None (the list was changed)."""
            src = self._src
            if self._starts is None:
                sep = self._sep
                if sep is None:  # splitlines: breaks are one character, but for "\r\n"
                    if "\r\n" in src:
                        lens: Iterator[int] = map(len, _s_splitlines(src, True))
                        self._starts = array.array("q", itertools.accumulate(lens, initial=0))
                        self._sep = 0
                    else:
                        self._sep = 1
                if self._starts is None:  # 8 bytes a line, not an int object each
                    self._starts = array.array("q", itertools.accumulate(map(len, self), initial=0))
            starts = self._starts
            if not 0 <= i < len(starts) or not isinstance(item, str):
                return None
            at = starts[i] + i * (self._sep or 0)
            return src._at + at if _s_startswith(src, item, at) else None

        def __getitem__(self, k: Any) -> Any:
            v = _l_getitem(self, k)
            key = self._src._key
            if _real_type(k) is slice:
                start, stop, step = k.indices(len(self))
                if step == 1 and stop > start:
                    last = _l_getitem(self, stop - 1)
                    a, b = self._where(start, _l_getitem(self, start)), self._where(stop - 1, last)
                    if a is not None and b is not None:
                        add(key, a, b + len(last))
                return v
            i = operator.index(k)
            i = i if i >= 0 else i + len(self)
            at = self._where(i, v)
            if at is None:
                return v
            add(key, at, at + len(v))
            return _piece(Text, v, key, at) if len(v) >= SHORT else v

    for cls, name in ((Text, "str"), (Lines, "list")):
        cls.__name__ = cls.__qualname__ = name
        cls.__module__ = "builtins"
    return Text, Lines


def _shadow_re(log: ReadLog, text: type[str]) -> tuple[type, types.ModuleType]:
    """A `Pattern` proxy class and a copy of `re` whose searches log spans in a `text`."""
    add = log.add
    maxsize = sys.maxsize

    def mark(string: Any, m: re.Match[str]) -> re.Match[str]:
        s = m.start()
        add(string._key, string._at + s, string._at + max(m.end(), s + 1))
        return m

    def logged(it: Iterator[re.Match[str]], string: Any) -> Iterator[re.Match[str]]:
        head = itertools.islice(map(lambda m: mark(string, m), it), PER_CALL)
        return itertools.chain(head, it)  # after PER_CALL matches: the C iterator alone

    def findall(p: re.Pattern[str], string: Any, pos: int, endpos: int) -> list[Any]:
        conv: Callable[[re.Match[str]], Any]  # what findall gives for a match
        if p.groups == 0:
            conv = operator.methodcaller("group")
        elif p.groups == 1:
            conv = lambda m: m.group(1) or ""  # noqa: E731 - an unmatched group is ""
        else:
            conv = operator.methodcaller("groups", "")
        it = p.finditer(string, pos, endpos)
        out, last = [], None
        for m in itertools.islice(it, PER_CALL):
            out.append(conv(mark(string, m)))
            last = m
        if last is not None and len(out) == PER_CALL:
            if last.end() > last.start():  # findall from here finds exactly the rest
                out += p.findall(string, last.end(), endpos)
            else:
                out += [conv(m) for m in it]
        return out

    def whole(string: Any) -> None:
        if _real_type(string) is text:
            piece: Any = string  # a Text: it has _key and _at
            add(piece._key, piece._at, piece._at + len(piece))

    class Pattern:
        """A compiled pattern that logs what it finds in the context."""

        __slots__ = ("_p",)

        def __init__(self, p: re.Pattern[str]) -> None:
            self._p = p

        @property  # type: ignore[misc]
        def __class__(self) -> type:
            return re.Pattern

        def __getattr__(self, name: str) -> Any:
            return getattr(self._p, name)

        def __repr__(self) -> str:
            return repr(self._p)

        def __eq__(self, other: object) -> bool:
            return self._p == (other._p if isinstance(other, Pattern) else other)

        def __hash__(self) -> int:
            return hash(self._p)

        def __reduce__(self) -> Any:
            return (re.compile, (self._p.pattern, self._p.flags))

        def __copy__(self) -> Pattern:
            return self

        def __deepcopy__(self, memo: Any) -> Pattern:
            return self

        def search(self, string: Any, pos: int = 0, endpos: int = maxsize) -> Any:
            m = self._p.search(string, pos, endpos)
            return mark(string, m) if m is not None and _real_type(string) is text else m

        def match(self, string: Any, pos: int = 0, endpos: int = maxsize) -> Any:
            m = self._p.match(string, pos, endpos)
            return mark(string, m) if m is not None and _real_type(string) is text else m

        def fullmatch(self, string: Any, pos: int = 0, endpos: int = maxsize) -> Any:
            m = self._p.fullmatch(string, pos, endpos)
            return mark(string, m) if m is not None and _real_type(string) is text else m

        def finditer(self, string: Any, pos: int = 0, endpos: int = maxsize) -> Any:
            it = self._p.finditer(string, pos, endpos)
            return logged(it, string) if _real_type(string) is text else it

        def findall(self, string: Any, pos: int = 0, endpos: int = maxsize) -> Any:
            if _real_type(string) is text:
                return findall(self._p, string, pos, endpos)
            return self._p.findall(string, pos, endpos)

        def split(self, string: Any, maxsplit: int = 0) -> Any:
            whole(string)
            return self._p.split(string, maxsplit)

        def sub(self, repl: Any, string: Any, count: int = 0) -> Any:
            whole(string)
            return self._p.sub(repl, string, count)

        def subn(self, repl: Any, string: Any, count: int = 0) -> Any:
            whole(string)
            return self._p.subn(repl, string, count)

    Pattern.__module__ = "re"

    def plain(pattern: Any) -> Any:
        return pattern._p if _real_type(pattern) is Pattern else pattern

    def r_compile(pattern: Any, flags: Any = 0) -> Any:
        return Pattern(_compile(plain(pattern), flags))

    def r_search(pattern: Any, string: Any, flags: Any = 0) -> Any:
        m = _compile(plain(pattern), flags).search(string)
        return mark(string, m) if m is not None and _real_type(string) is text else m

    def r_match(pattern: Any, string: Any, flags: Any = 0) -> Any:
        m = _compile(plain(pattern), flags).match(string)
        return mark(string, m) if m is not None and _real_type(string) is text else m

    def r_fullmatch(pattern: Any, string: Any, flags: Any = 0) -> Any:
        m = _compile(plain(pattern), flags).fullmatch(string)
        return mark(string, m) if m is not None and _real_type(string) is text else m

    def r_finditer(pattern: Any, string: Any, flags: Any = 0) -> Any:
        it = _compile(plain(pattern), flags).finditer(string)
        return logged(it, string) if _real_type(string) is text else it

    def r_findall(pattern: Any, string: Any, flags: Any = 0) -> Any:
        p = _compile(plain(pattern), flags)
        return findall(p, string, 0, maxsize) if _real_type(string) is text else p.findall(string)

    def r_split(pattern: Any, string: Any, maxsplit: int = 0, flags: Any = 0) -> Any:
        whole(string)
        return _compile(plain(pattern), flags).split(string, maxsplit)

    def r_sub(pattern: Any, repl: Any, string: Any, count: int = 0, flags: Any = 0) -> Any:
        whole(string)
        return _compile(plain(pattern), flags).sub(repl, string, count)

    def r_subn(pattern: Any, repl: Any, string: Any, count: int = 0, flags: Any = 0) -> Any:
        whole(string)
        return _compile(plain(pattern), flags).subn(repl, string, count)

    module = types.ModuleType("re", re.__doc__)
    module.__dict__.update(vars(re))
    for fn in (r_compile, r_search, r_match, r_fullmatch, r_finditer, r_findall, r_split, r_sub, r_subn):
        name = fn.__name__[2:]
        real = getattr(re, name)
        fn.__name__, fn.__qualname__, fn.__doc__, fn.__module__ = name, name, real.__doc__, "re"
        setattr(module, name, fn)
    return Pattern, module


def _type_shim(masks: dict[type, type]) -> type:
    """The REPL's `type`: `type(x)` names the plain type for the tracked ones (`masks`), and
    everything else a class may do with `type` (three arguments, a metaclass, isinstance)
    works as with the builtin."""

    class _Meta(_real_type):
        def __instancecheck__(cls, obj: Any) -> bool:
            return isinstance(obj, _real_type)

        def __subclasscheck__(cls, sub: Any) -> bool:
            return issubclass(sub, _real_type)

    class shim(_real_type, metaclass=_Meta):  # shown as `type`
        def __new__(mcs, *args: Any, **kwargs: Any) -> Any:
            if len(args) == 1 and not kwargs:
                t = _real_type(args[0])
                return masks.get(t, t)
            if mcs is shim:
                return _real_type(*args, **kwargs)  # the metaclass the bases call for
            return _real_type.__new__(mcs, *args, **kwargs)

    shim.__name__ = shim.__qualname__ = "type"
    shim.__module__ = "builtins"
    masks[_Meta] = masks[_real_type] = shim  # type(int) is type
    return shim
