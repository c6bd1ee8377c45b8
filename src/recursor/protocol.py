"""Reading a root model's reply: the code to run and the final answer it gives, if any.

Code is fenced as ```repl (```python and ```py are accepted too). A final answer is a line
that starts with `FINAL(...)` or `FINAL_VAR(...)` *outside* code fences; parentheses inside
the answer are balanced, so `FINAL(f(x) = 2 (approx))` keeps its text.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["CodeBlock", "FinalAnswer", "ParsedReply", "cut_after_first_block", "parse_reply", "strip_quotes"]

_FENCE_OPEN = re.compile(r"^[ \t]*```[ \t]*(repl|python|py|python3)?[ \t]*$", re.MULTILINE | re.IGNORECASE)
_FENCE_ANY = re.compile(r"^[ \t]*```", re.MULTILINE)
_THINK = re.compile(r"<think>.*?(</think>|\Z)", re.DOTALL | re.IGNORECASE)
_FINAL_START = re.compile(
    r"^[ \t>*_`]*(?:(FINAL_VAR|FINAL)\s*\(|(Final_var|Final_Var|final_var|Final|final)\()",
    re.MULTILINE,
)
"""FINAL( at a line start; small models also write Final( or final( (no space: prose like
"Final (approx.) figures" is not an answer)."""


@dataclass(frozen=True, slots=True)
class CodeBlock:
    code: str
    closed: bool = True


@dataclass(frozen=True, slots=True)
class FinalAnswer:
    kind: Literal["text", "var"]
    value: str


@dataclass(slots=True)
class ParsedReply:
    code: list[CodeBlock] = field(default_factory=list)
    final: FinalAnswer | None = None
    prose: str = ""
    """The reply with code blocks removed: what the model said in words."""


def parse_reply(text: str) -> ParsedReply:
    """Split a reply into runnable code blocks, prose, and a final answer given in prose."""
    text = _THINK.sub("", text or "")
    out = ParsedReply()
    prose_parts: list[str] = []
    pos = 0
    while True:
        m = _FENCE_OPEN.search(text, pos)
        if m is None:
            prose_parts.append(text[pos:])
            break
        lang = (m.group(1) or "").lower()
        prose_parts.append(text[pos : m.start()])
        close = _FENCE_ANY.search(text, m.end())
        body_end = close.start() if close else len(text)
        body = text[m.end() : body_end].strip("\n")
        if not lang:
            # Small models often put the tag on its own line: ```\nrepl\ncode```.
            first, _, rest = body.partition("\n")
            if first.strip().lower() in ("repl", "python", "py", "python3"):
                lang, body = first.strip().lower(), rest.strip("\n")
        # Untagged fences hold code only when the body parses as Python; otherwise it is prose.
        if lang or _is_python(body):
            if body.strip():
                out.code.append(CodeBlock(body, closed=close is not None))
        else:
            prose_parts.append(body + "\n")
        if close is None:
            break
        line_end = text.find("\n", close.end())
        pos = len(text) if line_end == -1 else line_end + 1
    out.prose = "".join(prose_parts).strip()
    out.final = _find_final(out.prose)
    return out


def cut_after_first_block(text: str) -> str:
    """The reply up to the end of its first code block, or unchanged if it has none.

    Small models go on past their block and invent the REPL's output, more code and a FINAL
    based on that invention; in strict mode none of it is run, shown or kept in the history.
    """
    pos = 0
    while (m := _FENCE_OPEN.search(text, pos)) is not None:
        close = _FENCE_ANY.search(text, m.end())
        if close is None:
            return text
        body = text[m.end() : close.start()].strip("\n")
        first = body.partition("\n")[0].strip().lower()
        if (m.group(1) or first in ("repl", "python", "py", "python3") or _is_python(body)) and body.strip():
            line_end = text.find("\n", close.end())
            return text if line_end == -1 else text[:line_end]
        pos = close.end()
    return text


def _is_python(body: str) -> bool:
    try:
        ast.parse(body)
    except SyntaxError:
        return False
    return bool(body.strip())


def _find_final(prose: str) -> FinalAnswer | None:
    matches = list(_FINAL_START.finditer(prose))
    if not matches:
        return None
    m = matches[0]
    inner = _balanced(prose, m.end())
    keyword = (m.group(1) or m.group(2)).upper()
    kind: Literal["text", "var"] = "var" if keyword == "FINAL_VAR" else "text"
    value = inner.strip()
    if kind == "var":
        value = strip_quotes(value).strip("`").strip()
    else:
        value = strip_quotes(value)
    return FinalAnswer(kind=kind, value=value)


def _balanced(text: str, start: int) -> str:
    """Text from `start` up to the parenthesis that closes the one just before it."""
    depth = 1
    quote: str | None = None
    for i in range(start, len(text)):
        ch = text[i]
        if quote:
            if ch == quote and text[i - 1] != "\\":
                quote = None
            continue
        if ch in "\"'" and (i == start or text[i - 1] in "( ,=\n"):
            # A quote opens only where a string literal could start, so apostrophes in
            # prose ("don't") do not hide the closing parenthesis.
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return text[start:i]
    rest = text[start:].rstrip()
    return rest[:-1] if rest.endswith(")") else rest


def strip_quotes(value: str) -> str:
    """`"abc"` -> `abc`, using Python's own parser for string literals; other text unchanged."""
    v = value.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
        try:
            lit = ast.literal_eval(v)
        except (ValueError, SyntaxError):
            return v[1:-1]
        if isinstance(lit, str):
            return lit
    return v
