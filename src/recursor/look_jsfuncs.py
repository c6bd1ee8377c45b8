"""The first look's reading of a JavaScript file's functions: their names, parameters and lengths.

Asked which function in lunr.js is the longest, or which method of its Vector type takes
exactly three arguments, the 1.5B searched "function" and answered the file's name or a count
of lines. Each definition (`function name(a, b) {`, `lunr.Vector.prototype.upsert = function
(insertIdx, val, fn) {`, `name: function (x) {`, a class's `name(x) {`, `const f = (a) => {`)
is one pattern; its end is its opening brace's match, strings, comments and regular
expressions skipped. This ranks the functions by lines, or keeps those a question's
"exactly N arguments" and the type it names hold, and offers the one answer when there is one.

General: JavaScript's (and TypeScript's) own syntax; nothing here knows a library.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from recursor.question import SET_ASIDE, asking_part

__all__ = ["JsFunction", "brace_end", "js_functions", "js_look"]

_DEFINED = re.compile(
    r"^[ \t]*(?:export\s+)?(?:default\s+)?(?:async\s+)?function\s*\*?\s*(?P<a>[A-Za-z_$][\w$]*)\s*\((?P<pa>(?:[^()]|\([^()]*\))*)\)\s*\{"
    r"|^[ \t]*(?:(?:var|let|const)\s+)?(?P<b>[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*=\s*(?:async\s+)?"
    r"function\s*\*?\s*(?:[A-Za-z_$][\w$]*)?\s*\((?P<pb>(?:[^()]|\([^()]*\))*)\)\s*\{"
    r"|^[ \t]*(?P<c>[A-Za-z_$][\w$]*)\s*:\s*(?:async\s+)?function\s*\*?\s*(?:[A-Za-z_$][\w$]*)?\s*\((?P<pc>(?:[^()]|\([^()]*\))*)\)\s*\{"
    r"|^[ \t]*(?:(?:var|let|const)\s+)(?P<d>[A-Za-z_$][\w$]*)\s*=\s*(?:async\s+)?\((?P<pd>(?:[^()]|\([^()]*\))*)\)\s*=>\s*\{"
    r"|^[ \t]+(?:static\s+|async\s+|get\s+|set\s+)*(?P<e>(?!(?:if|for|while|switch|catch|function|return|with)\b)"
    r"[A-Za-z_$][\w$]*)\s*\((?P<pe>(?:[^()]|\([^()]*\))*)\)\s*\{",
    re.MULTILINE)
"""A function's definition, up to its body's `{`, in the forms JavaScript writes one."""
_ASKS_FUNCTIONS = re.compile(r"\b(?:functions?|methods?)\b", re.IGNORECASE)
_LONGEST = re.compile(r"\b(?:longest|most\s+lines|biggest|largest)\b", re.IGNORECASE)
_EXACTLY = re.compile(r"\b(?:exactly\s+)?(?P<n>no|zero|one|two|three|four|five|six|\d)\s+(?:arguments?|parameters?|args)\b",
                      re.IGNORECASE)
_NUMBERS = {"no": 0, "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_OF_TYPE = re.compile(r"\b(?:of|on|in)\s+(?:\w+'s\s+)?(?:the\s+)?`?(?P<t>[A-Z][\w$]*)`?(?:\s+(?:type|class|object|prototype))?")
"""The type a question names the methods of: "of lunr's Vector type", "on the Index class"."""
_SET_ASIDE = re.compile(rf"\b(?:{SET_ASIDE}|anonymous|nested|inner|private|public|async|second|third)\b", re.IGNORECASE)
"""Words that set some functions aside or pick some out: this reads them all, so offers nothing."""
_BEFORE_REGEX = frozenset("return typeof instanceof in of new delete void throw case do else yield await".split())
"""Words after which a `/` starts a regular expression, not a division."""
_SHOWN = 5
_LEAST = 5
"""Definitions a text must have to be read as JavaScript."""
_READ_UP_TO = 2_000_000


@dataclass(frozen=True, slots=True)
class JsFunction:
    """One definition: its name as written (`lunr.Vector.prototype.upsert`), its parameters
    and its first and last lines."""

    name: str
    parameters: int
    first: int  # its definition's line, from 1
    last: int  # its closing brace's line

    @property
    def lines(self) -> int:
        return self.last - self.first + 1


def brace_end(text: str, at: int) -> int | None:
    """Where the brace opened at `at` closes; strings, template literals, comments and
    regular expressions skipped. None when it never does."""
    depth, i, n = 0, at, len(text)
    last_code = before_last = "("
    word = ""  # the last word before `i`: a `/` after `return` or `typeof` starts a regex
    while i < n:
        c = text[i]
        if c.isalnum() or c in "_$":
            j = i
            while j < n and (text[j].isalnum() or text[j] in "_$"):
                j += 1
            word, last_code, i = text[i:j], "a", j
            continue
        if c in "\"'`":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            i, last_code = j + 1, "a"
            continue
        if c == "/" and i + 1 < n and text[i + 1] == "/":
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if c == "/" and i + 1 < n and text[i + 1] == "*":
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
            continue
        if c == "/" and (last_code in "(,=:[!&|?{};*%<>~^" or (last_code == "a" and word in _BEFORE_REGEX)
                         or (last_code in "+-" and before_last != last_code)):
            j, in_class = i + 1, False
            while j < n and text[j] != "\n" and (in_class or text[j] != "/"):
                in_class = (in_class or text[j] == "[") and text[j] != "]"
                j += 2 if text[j] == "\\" else 1
            i, last_code, word = j + 1, "a", ""
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        if not c.isspace():
            before_last, last_code, word = last_code, c, ""
        i += 1
    return None


def js_functions(text: str) -> list[JsFunction]:
    """The text's function definitions with their parameters and lines; [] for a text too
    long or with fewer than `_LEAST` (no JavaScript)."""
    if len(text) > _READ_UP_TO or ("function" not in text and "=>" not in text):
        return []
    found = []
    breaks = [m.start() for m in re.finditer("\n", text)]
    for m in _DEFINED.finditer(text):
        name = next(m.group(k) for k in "abcde" if m.group(k))
        params = next(m.group(f"p{k}") for k in "abcde" if m.group(k))
        brace = m.end() - 1
        end = brace_end(text, brace)
        if end is None:
            continue
        found.append(JsFunction(name, _parameters(params), bisect_left(breaks, m.start()) + 1,
                                bisect_left(breaks, end) + 1))
    return found if len(found) >= _LEAST else []


def _parameters(params: str) -> int:
    """How many parameters a list declares: commas at its own level (`{x, y}` is one, a
    default's `f(1, 2)` none of its own)."""
    depth, count, filled = 0, 0, False
    for c in params:
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            count, filled = count + filled, False
            continue
        filled = filled or not c.isspace()
    return count + filled


def js_look(text: str, question: str) -> tuple[list[str], str]:
    """For a question about a JavaScript file's functions, which is the longest (in lines,
    definition to closing brace) or which of a type's methods takes exactly N parameters: the
    rows telling them, and the one name when one answers. ([], "") otherwise."""
    asking = asking_part(question)
    if not _ASKS_FUNCTIONS.search(asking):
        return [], ""
    longest = _LONGEST.search(asking) is not None
    exactly = _EXACTLY.search(asking)
    if not (longest or exactly):
        return [], ""
    functions = js_functions(text)
    if not functions:
        return [], ""
    plain = not _SET_ASIDE.search(asking)
    if longest:
        order = sorted(functions, key=lambda f: (-f.lines, f.first))
        told = ", ".join(f"{f.name} {f.lines} (lines {f.first}-{f.last})" for f in order[:_SHOWN])
        rows = [f"As JavaScript, it defines {len(functions)} named functions and methods; the longest, from the "
                f"definition's line to the closing brace's: {told}."]
        top = order[0]
        return rows, top.name if plain and (len(order) < 2 or order[1].lines < top.lines) else ""
    assert exactly is not None
    n = int(exactly.group("n")) if exactly.group("n").isdigit() else _NUMBERS[exactly.group("n").lower()]
    pool = functions
    of = _OF_TYPE.search(asking[:exactly.start()] + " " + asking[exactly.end():])
    typed = ""
    if of is not None and (kept := [f for f in functions if re.search(rf"(?:^|\.){re.escape(of.group('t'))}\.", f.name)]):
        pool, typed = kept, of.group("t")
    held = [f for f in pool if f.parameters == n]
    scope = f"those of {typed}" if typed else "all of them"
    told = ", ".join(f"{f.name} ({f.parameters})" for f in held[:_SHOWN * 2]) or "none"
    rows = [f"As JavaScript, it defines {len(functions)} named functions and methods; of {scope} ({len(pool)}), "
            f"{len(held)} take exactly {n} parameter{'s' if n != 1 else ''}: {told}."]
    if not (plain and len(held) == 1):
        return rows, ""
    # The type named, the method is its own name ("upsert" of `lunr.Vector.prototype.upsert`).
    return rows, held[0].name.rsplit(".", 1)[-1] if typed else held[0].name
