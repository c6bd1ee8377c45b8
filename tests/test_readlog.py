"""Plain reads of `context` (sandbox/readlog.py): what is logged, and that the context still
behaves as a plain str, list or dict in model code."""

from __future__ import annotations

import builtins
import re
from typing import Any

import pytest

from recursor.sandbox.readlog import PER_CALL, Capture, ReadLog, merge_spans

TEXT = "alpha line\nThe magic number for shiny-cat is: 7654321.\r\nlast line of the text\n"


def repl(context: Any) -> tuple[Capture, dict[str, Any]]:
    """A namespace as the worker builds it: the tracked context and the capture's builtins."""
    cap = Capture(context)
    return cap, {"__builtins__": {**vars(builtins), **cap.builtins}, "context": cap.context}


def reads(code: str, context: Any = TEXT) -> list[tuple[Any, str]]:
    """(key, text read) for each logged range after running `code`."""
    cap, ns = repl(context)
    exec(code, ns)
    out = []
    for key, s, e in cap.drain():
        source = context if key is None else context[key]
        out.append((key, source[s:e]))
    return out


def test_slices_indexes_and_finds_are_logged_where_they_are() -> None:
    assert reads("i = context.find('7654321')") == [(None, "7654321")]
    assert reads("context[11:20]") == [(None, "The magic")]
    assert reads("context[-2]") == [(None, "t")]
    assert reads("context.rindex('line')") == [(None, "line")]
    assert reads("context.index('zzz') if 'zzz' in context else context.find('zzz')") == []
    assert reads("a, b, c = context.partition('shiny')") == [(None, "shiny")]
    # A slice of a slice lands on the context's characters (the chunk read, then its hit).
    got = reads("chunk = context[11:60]\nchunk.find('7654321')\nchunk[5:11]")
    assert got == [(None, TEXT[11:60])]  # the hits lie inside the chunk: one merged range
    cap, ns = repl(TEXT)
    exec("chunk = context[11:60]", ns)
    cap.drain()
    exec("chunk.find('shiny')", ns)
    assert cap.drain() == [[None, TEXT.index("shiny"), TEXT.index("shiny") + 5]]


def test_re_functions_and_compiled_patterns_log_match_spans() -> None:
    needle = "shiny-cat is: 7654321"
    assert reads("import re\nre.search(r'shiny-cat is: \\d+', context)") == [(None, needle)]
    assert reads("from re import finditer\n[m for m in finditer(r'\\d{7}', context)]") == [(None, "7654321")]
    assert reads("import re\np = re.compile(r'(\\d{7})')\np.findall(context)") == [(None, "7654321")]
    assert reads("import re\nre.compile('magic').match(context, 15)") == [(None, "magic")]
    assert reads("import re\nre.match('alpha', context)") == [(None, "alpha")]
    # Another string is not the context: nothing is logged.
    assert reads("import re\nre.search('magic', str(context) + '')\nre.findall('a', 'banana')") == []


def test_lines_read_by_index_are_logged_with_their_place() -> None:
    cap, ns = repl(TEXT)
    exec("lines = context.splitlines()", ns)
    assert cap.drain() == [[None, 0, len(TEXT)]]  # split: the whole text was gone over
    exec("second = lines[1]\nlast = lines[-1]", ns)
    got = [TEXT[s:e] for _, s, e in cap.drain()]
    assert got == ["The magic number for shiny-cat is: 7654321.", "last line of the text"]
    exec("second.find('7654321')", ns)  # a line read by index is part of the context too
    assert [TEXT[s:e] for _, s, e in cap.drain()] == ["7654321"]
    exec("parts = context.split('\\n')", ns)
    cap.drain()
    exec("p = parts[2]", ns)
    assert [TEXT[s:e] for _, s, e in cap.drain()] == ["last line of the text"]
    exec("rows = context.split('\\n')\nrows.sort()\nrows[0]", ns)  # changed: no place known
    assert cap.drain() == [[None, 0, len(TEXT)]]
    exec("block = lines[0:2]", ns)
    assert [TEXT[s:e] for _, s, e in cap.drain()] == [TEXT[:TEXT.index("\r")]]


def test_a_dict_or_list_context_logs_each_texts_key() -> None:
    files = {"a.txt": "nothing here\n", "b.md": "the vault code is 48213\n"}
    assert reads("context['b.md'][4:14]", files) == [("b.md", "vault code")]
    assert reads("import re\nre.search('48213', context['b.md'])", files) == [("b.md", "48213")]
    assert reads("context[1].find('two')", ["one", "one two"]) == [(1, "two")]


def test_the_context_still_looks_plain() -> None:
    _, ns = repl(TEXT)
    exec(
        """
import copy, hashlib, json, pickle, re
assert type(context) is str and type(context) == str and context.__class__ is str
assert repr(type(context)) == "<class 'str'>" and type(context).__name__ == "str"
assert isinstance(context, str) and context == CTX and hash(context) == hash(CTX)
assert type(context.splitlines()) is list and type(context[3:40]) is str and context[:] is context
p = re.compile('a')
assert type(p) is re.Pattern and isinstance(p, re.Pattern) and p == re.compile('a')
assert re.sub(p, 'b', 'aa') == 'bb' and re.compile(p) == p and p.pattern == 'a'
for value in (context, context[2:60], context.splitlines(), p):
    for back in (pickle.loads(pickle.dumps(value)), copy.deepcopy(value), copy.copy(value)):
        assert back == value
assert builtins_type(pickle.loads(pickle.dumps(context))) is builtins_str
assert json.loads(json.dumps({"t": context, context[:5]: 1})) == {"t": CTX, CTX[:5]: 1}
assert hashlib.sha256(context.encode()).hexdigest() == hashlib.sha256(CTX.encode()).hexdigest()
assert str.split(context) == CTX.split() and str(context) is context and f"{context}" == CTX
assert isinstance(int, type) and not isinstance(3, type) and issubclass(bool, int)
assert type(3) is int and type(type) is type and isinstance(type, type)
X = type("X", (), {"a": 1})
assert X().a == 1 and type(X()) is X and type(X) is type
class Meta(type):
    def __new__(mcs, name, bases, ns):
        ns["tag"] = name.lower()
        return super().__new__(mcs, name, bases, ns)
class Y(metaclass=Meta):
    pass
assert Y.tag == "y" and type(Y) is Meta and isinstance(Y, type) and issubclass(Meta, type)
import abc
A = type("A", (abc.ABC,), {})
assert type(A) is abc.ABCMeta
match context:
    case str():
        pass
    case _:
        raise AssertionError("not a str")
""",
        {**ns, "CTX": TEXT, "builtins_type": builtins.type, "builtins_str": str},
    )
    _, ns = repl({"a.txt": "x" * 50})
    exec("assert type(context) is dict and type(context['a.txt']) is str\n"
         "assert type(context['a.txt'][5:45]) is str and context['a.txt'][5:45] == 'x' * 40", ns)


def test_findall_and_finditer_give_what_re_gives() -> None:
    text = "ab1 cd22 e " * (PER_CALL + 30) + "x"
    cap, ns = repl(text)
    for pattern in (r"\d+", r"([a-z]+)(\d*)", r"([a-z]+)\d", r"\d*", r"(z)|\d"):
        ns["pat"] = pattern
        exec("import re\nA = re.findall(pat, context)\nB = [m.span() for m in re.finditer(pat, context)]"
             "\nC = re.compile(pat).findall(context, 3, len(context) - 2)", ns)
        assert ns["A"] == re.findall(pattern, text), pattern
        assert ns["B"] == [m.span() for m in re.finditer(pattern, text)], pattern
        assert ns["C"] == re.compile(pattern).findall(text, 3, len(text) - 2), pattern
    logged = cap.drain()
    assert 0 < len(logged) <= 200  # capped and merged, whatever the number of matches


def test_the_log_merges_caps_and_can_be_quiet() -> None:
    log = ReadLog(cap=3)
    for i in range(10_000):
        log.add(None, i, i + 1)  # a character loop: one range
    log.add("k", 5, 9)
    log.add("k", 9, 12)
    assert log.drain() == [[None, 0, 10_000], ["k", 5, 12]]
    for i in range(10):
        log.add(None, 10 * i, 10 * i + 2)
    assert [s for _, s, _ in log.drain()] == [70, 80, 90]  # the most recent kept
    assert merge_spans([(None, 0, 5, 1), (None, 3, 8, 2), (1, 0, 2, 3)], 10) == [
        (None, 0, 8, 2), (1, 0, 2, 3)]
    cap, ns = repl(TEXT)
    with cap.quiet():
        exec("context[0:40]", ns)
    assert cap.drain() == []


def test_a_context_that_does_not_fit_twice_stays_plain(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_room(self: Capture, value: Any) -> Any:
        raise MemoryError

    monkeypatch.setattr(Capture, "track", no_room)
    cap = Capture(TEXT)
    assert type(cap.context) is str and cap.context is TEXT


def test_model_code_still_gets_plain_re_errors() -> None:
    _, ns = repl(TEXT)
    with pytest.raises(re.error):
        exec("import re\nre.compile('(')", ns)
    with pytest.raises(IndexError):
        exec("context[10**6]", ns)
    with pytest.raises(ValueError):
        exec("context.index('not there')", ns)
