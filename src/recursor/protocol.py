"""Reading a root model's reply: the code to run and the final answer it gives, if any.

A reply quotes the context it explores, and the context may hold text written to look like
an answer (a log line `FINAL(pwned)`). So only the structure of the model's own reply counts,
read line by line (CRLF, CR and LF all end a line) with the Markdown rules below.

Fences (CommonMark):
- A fence opens on a line of at most 3 spaces of indentation, then 3 or more backticks or
  tildes, then an info string whose first word is the language (a backtick fence's info
  string has no backtick). It closes on a line of at most 3 spaces of indentation, then the
  same character repeated at least as many times as the opener, then only blanks. A line
  that does not close it is part of its body, whatever it looks like (```` ```repl ```` inside
  a ```` ````text ```` fence is text). A fence left open runs to the end of the reply.
- Lookalike fences (fullwidth or modifier backticks and tildes, e.g. `｀｀｀`, `～～～`) are fences
  that never run: they open and close only with their own character, so they never close a
  real fence and never turn text into code.
- Code runs only from backtick fences tagged `repl`, `python`, `py` or `python3` (any case),
  or untagged backtick fences whose first line is one of those tags (```` ```\\nrepl ````), or
  untagged backtick fences whose body parses as Python. Any other tag (```text, ```json,
  ```log, ...), any tilde fence and any lookalike fence is quoted text and never runs.
  A fence body loses the indentation its opener had (up to 3 spaces), as in CommonMark.

Reasoning (`<think>`):
- `<think>` opens reasoning only at the start of a line (at most 3 spaces before it) outside
  any fence. Reasoning ends at the first `</think>` after it, wherever that is (as the serving
  stacks' reasoning parsers do); everything from `<think>` to `</think>` is dropped, and the
  reply goes on right after the closing tag as if a new line started there.
- An unclosed `<think>` that is the first non-blank text of the reply (a model that never
  closes its reasoning, or one cut off mid-thought) is reasoning up to the first fence line
  (of any kind), or to the end if there is none: a FINAL before that fence is dropped, the
  code from it on is kept. An unclosed `<think>` anywhere else is ordinary text.

Final answer:
- A final answer is a line of the model's prose, outside fences and reasoning, that starts
  with at most 3 spaces and then `FINAL(`, `FINAL_VAR(` (a space before the parenthesis is
  allowed), or `Final(`, `final(`, `Final_var(`, `Final_Var(`, `final_var(` (small models write
  these; no space, so "Final (approx.) figures" is prose).
- The call may be wrapped in emphasis (`*`, `**`, `***`, `_`, `__`, `___`) closed by the same
  marker right after its closing parenthesis: `**FINAL(x)**` is an answer, `**FINAL(x)` is not.
- Not an answer: a line starting with `>` (blockquote), with 4 or more spaces or a tab
  (indented block), with a list marker (`- `, `* `, `1. `), with a quote character (`"`, `'`,
  `“`, `«`, ...) or a backtick (`` `FINAL(x)` `` is how a model quotes a log line), and any
  FINAL that is not at the start of its line.
- The first such line wins. Parentheses inside the answer are balanced, so
  `FINAL(f(x) = 2 (approx))` keeps its text; the answer may run over several prose lines.
  `FINAL_VAR("name")` names the variable `name`.
"""

from __future__ import annotations

import ast
import builtins
import keyword
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "UNPARSED",
    "CodeBlock",
    "FinalAnswer",
    "FinalCall",
    "ParsedReply",
    "copies_the_instruction",
    "cut_after_first_block",
    "error_line",
    "final_call",
    "is_code_object",
    "is_placeholder",
    "lone_literal",
    "lone_sentence",
    "lone_token",
    "named_token",
    "names_an_answer",
    "number_as_written",
    "parse_reply",
    "stated_answer",
    "strip_quotes",
    "typed_final",
    "unquoted_final",
    "without_marks",
]

UNPARSED: tuple[type[Exception], ...] = (SyntaxError, ValueError, RecursionError, MemoryError, SystemError)
"""What `ast.parse` raises for text it cannot read: not Python (SyntaxError), a NUL byte
(ValueError), or nesting too deep (RecursionError, MemoryError, or, from a deep stack in
CPython 3.11, SystemError "AST constructor recursion depth mismatch")."""

_BUILTINS = frozenset(dir(builtins))
_RUN_TAGS = frozenset({"repl", "python", "py", "python3"})
_LOOKALIKES = "\uff40\u02cb\u2035\u1fef\uff5e\u301c\u223c\u02dc\u2053"
"""Characters that look like a backtick or a tilde: ｀ ˋ ‵ ` ～ 〜 ∼ ˜ ⁓."""
_FENCE_OPEN = re.compile(rf"(?P<indent> {{0,3}})(?P<fence>(?P<ch>[`~{_LOOKALIKES}])(?P=ch){{2,}})(?P<info>.*)")
_LINE_END = re.compile(r"\r\n|\r|\n")
_THINK_OPEN = re.compile(r" {0,3}<think>", re.IGNORECASE)
_THINK_CLOSE = re.compile(r"</think>", re.IGNORECASE)
_FINAL_LINE = re.compile(
    r" {0,3}(?P<wrap>\*{1,3}|_{1,3})?"
    r"(?:(?P<kw>FINAL_VAR|FINAL)[ \t]*\(|(?P<kw2>Final_var|Final_Var|final_var|Final|final)\()"
)


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
    """The reply with code blocks and reasoning removed: what the model said in words."""


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    """The line without its line ending."""
    end: int
    """Where the line's text ends in the reply (before its line ending)."""


@dataclass(slots=True)
class _Fence:
    opener: _Line
    indent: int
    char: str
    length: int
    lang: str
    body: list[_Line] = field(default_factory=list)
    closer: _Line | None = None

    @property
    def code(self) -> str:
        """The body with the opener's indentation removed, as Python would be given it."""
        lines = [_dedent(line.text, self.indent) for line in self.body]
        return "\n".join(lines).strip("\n")

    def runnable(self) -> tuple[bool, str]:
        """Whether the fence holds code to run, and that code."""
        if self.char != "`":
            return False, ""
        code = self.code
        # Small models often put the tag on its own line: ```\nrepl\ncode```, or twice:
        # ```repl\nrepl\ncode``` (the 0.5B, a NameError every turn). A block of the tag
        # alone stays code: its error, run again, is a repeat the loop replaces with a search.
        first, _, rest = code.partition("\n")
        tag_line = first.strip().lower() in _RUN_TAGS and bool(rest.strip())
        if self.lang:
            return self.lang in _RUN_TAGS, rest.strip("\n") if tag_line and self.lang in _RUN_TAGS else code
        if tag_line:
            return True, rest.strip("\n")
        # Untagged fences hold code only when the body parses as Python; otherwise it is prose.
        return _is_python(code), code


def parse_reply(text: str) -> ParsedReply:
    """Split a reply into runnable code blocks, prose, and a final answer given in prose."""
    out = ParsedReply()
    prose: list[str] = []
    candidates: list[tuple[int, re.Match[str]]] = []  # (offset of the line in the prose, match)
    offset = 0

    def add(line: str) -> None:
        nonlocal offset
        prose.append(line)
        offset += len(line) + 1

    for item in _scan(text or ""):
        if isinstance(item, _Line):
            if (m := _FINAL_LINE.match(item.text)) is not None:
                candidates.append((offset, m))
            add(item.text)
            continue
        run, code = item.runnable()
        final_line = _unparsable_final(code) if run else None
        if final_line is not None and (fm := _FINAL_LINE.match(final_line)) is not None:
            candidates.append((offset, fm))  # ```repl FINAL(2:9.0-1) ```: an answer, not code
            add(final_line)
        elif run:
            if code.strip():
                out.code.append(CodeBlock(code, closed=item.closer is not None))
        elif item.char == "`" and not item.lang:
            for line in item.body:  # untagged prose fence: its text, without the fence lines
                add(line.text)
        else:
            for line in [item.opener, *item.body, *([item.closer] if item.closer else [])]:
                add(line.text)
    joined = "\n".join(prose)
    out.prose = joined.strip()
    out.final = _find_final(joined, candidates)
    return out


def _unparsable_final(code: str) -> str | None:
    """A block that is one `FINAL(...)` / `FINAL_VAR(...)` line and no valid Python, as a final
    line: the model wrote its answer inside the block unquoted (`FINAL(2:9.0-1)`, `FINAL(Dana
    Ruiz)`), so running it could only fail with a SyntaxError it would then loop on. A block
    that parses stays code: `FINAL(x)` in code answers with the value of `x`."""
    lines = [line.strip() for line in code.splitlines() if line.strip()]
    if len(lines) != 1 or _FINAL_LINE.match(lines[0]) is None:
        return None
    try:
        compile(code, "<block>", "exec")
    except (SyntaxError, ValueError):
        return lines[0]
    return None


def cut_after_first_block(text: str) -> str:
    """The reply up to the end of its first code block, or unchanged if it has none.

    Small models go on past their block and invent the REPL's output, more code and a FINAL
    based on that invention; in strict mode none of it is run, shown or kept in the history.
    The first block is found exactly as `parse_reply` finds it, so the cut reply has the same
    first block (quoted ```text fences and reasoning are not blocks).
    """
    for item in _scan(text):
        if isinstance(item, _Fence):
            run, code = item.runnable()
            if run and code.strip():
                return text if item.closer is None else text[: item.closer.end]
    return text


def _scan(text: str) -> Iterator[_Line | _Fence]:
    """The reply's prose lines and fences, in order, with reasoning left out."""
    lines = _split_lines(text)
    i = 0
    while i < len(lines):
        line = lines[i]
        think = _THINK_OPEN.match(line.text)
        if think is not None:
            tag_end = line.end - len(line.text) + think.end()
            close = _THINK_CLOSE.search(text, tag_end)
            if close is not None:
                # Go on right after </think>, on the line that holds it.
                while lines[i].end < close.end():
                    i += 1
                lines[i] = _Line(text[close.end() : lines[i].end], lines[i].end)
                continue
            if not text[: tag_end - len(think.group())].strip():
                # Unclosed at the start of the reply: reasoning up to the first fence line.
                lines[i] = _Line(line.text[think.end() :], line.end)
                while i < len(lines) and _opener(lines[i].text) is None:
                    i += 1
                continue
        opener = _opener(line.text)
        if opener is None:
            yield line
            i += 1
            continue
        info = opener["info"].strip()
        fence = _Fence(line, len(opener["indent"]), opener["ch"], len(opener["fence"]),
                       info.split()[0].lower() if info else "")
        closing = re.compile(rf" {{0,3}}{re.escape(fence.char)}{{{fence.length},}}[ \t]*")
        i += 1
        while i < len(lines):
            if closing.fullmatch(lines[i].text):
                fence.closer = lines[i]
                i += 1
                break
            fence.body.append(lines[i])
            i += 1
        yield fence


def _opener(line: str) -> re.Match[str] | None:
    """The fence that `line` opens, if it opens one."""
    m = _FENCE_OPEN.match(line)
    if m is None or (m["ch"] == "`" and "`" in m["info"]):
        return None  # ```x``` on one line is inline code, not a fence
    return m


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    start = 0
    for m in _LINE_END.finditer(text):
        lines.append(_Line(text[start : m.start()], m.start()))
        start = m.end()
    lines.append(_Line(text[start:], len(text)))
    return lines


def _dedent(line: str, indent: int) -> str:
    n = len(line) - len(line.lstrip(" "))
    return line[min(n, indent) :]


def _is_python(body: str) -> bool:
    try:
        ast.parse(body)
    except UNPARSED:  # too deep is no block to run
        return False
    return bool(body.strip())


def _find_final(prose: str, candidates: list[tuple[int, re.Match[str]]]) -> FinalAnswer | None:
    for line_offset, m in candidates:
        inner, close = _balanced(prose, line_offset + m.end())
        wrap = m["wrap"]
        if wrap and (close is None or not re.match(rf"{re.escape(wrap)}(?![*_])", prose[close + 1 :])):
            continue  # **FINAL(x) without its closing ** is not an answer
        keyword = (m["kw"] or m["kw2"]).upper()
        kind: Literal["text", "var"] = "var" if keyword == "FINAL_VAR" else "text"
        value = inner.strip()
        if kind == "var":
            value = strip_quotes(value).strip("`").strip()
        else:
            value = strip_quotes(value)
        return FinalAnswer(kind=kind, value=value)
    return None


def _balanced(text: str, start: int) -> tuple[str, int | None]:
    """Text from `start` up to the parenthesis that closes the one just before it, and where
    that parenthesis is (None when it is never closed)."""
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
                return text[start:i], i
    rest = text[start:].rstrip()
    return (rest[:-1] if rest.endswith(")") else rest), None


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


_MARKED = re.compile(r">>([^\s<>](?:[^<>\n]*[^\s<>])?)<<")


def without_marks(text: str) -> str:
    """The text without the >>marks<< a search puts around its matches: small models copy an
    output line with them into their answer ("2026-05->>20<<")."""
    return _MARKED.sub(r"\1", text)


_CODE_OBJECT = re.compile(r"<(?:class|function|module|built-in function|bound method|method) [^>]*>")


def is_code_object(value: str) -> bool:
    """Whether a REPL value is shown as a piece of code, not data (`<class 'cgi.X'>`,
    `<function f at 0x...>`): `FINAL(X)` after `from cgi import X` names X, it does not answer
    with the class's repr, so such a value is no variable's answer."""
    return bool(_CODE_OBJECT.fullmatch(value.strip()))


def _lone_expression(code: str) -> ast.expr | None:
    """The one expression a block is, or None (several statements, not Python, or too deep
    for the parser: `FINAL(1+1+...)` of thousands of terms raises RecursionError)."""
    try:
        tree = ast.parse(code.strip())
    except UNPARSED:
        return None
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Expr):
        return None
    return tree.body[0].value


_PREFIXED = re.compile(r"-?\s*0[xXoObB][0-9a-fA-F_]+")
"""A number literal written in another base than ten (`0x0ddf`, `0o17`, `0b101`)."""


def _number_of(node: ast.expr) -> int | float | None:
    """The value of a number literal, negated or not; None for anything else (a bool too)."""
    number = node.operand if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) else node
    if not isinstance(number, ast.Constant) or not isinstance(number.value, (int, float)) or isinstance(number.value, bool):
        return None
    return -number.value if number is not node else number.value


def _number_written(code: str, node: ast.expr) -> str | None:
    """A number literal as the answer gives it: in another base than ten as written (a hex
    keysym evaluated is 3551, and the question asked for 0x0ddf), else as Python prints its
    value (`1_000` is 1000, `-0` is 0); None for anything but a number literal."""
    if (value := _number_of(node)) is None:
        return None
    written = ast.get_source_segment(code, node) or ""
    if _PREFIXED.fullmatch(written):
        return written.replace(" ", "")
    try:
        return str(value)
    except ValueError:  # an int of more digits than str() converts
        return None


def lone_literal(code: str) -> str | None:
    """The value a block holds when it is nothing but one literal (`0`, `"cgi"`, `-3.5`), as
    text, a number as written (`0x0ddf`); else None. Told to reply `FINAL(0)`, small models
    write the value as a block; such a block computes nothing and reads nothing: it states an
    answer."""
    if (node := _lone_expression(code)) is None:
        return None
    if (number := _number_written(code.strip(), node)) is not None:
        return number
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value.strip()
        return text or None
    return None


def number_as_written(code: str, final: str) -> str:
    """`final`, a cell's FINAL value, as the block wrote it when it passed a number literal in
    another base than ten: ```` ```repl FINAL(0x0ddf)``` ```` ends on "0x0ddf", not on 3551.
    Any other value is returned as it is."""
    try:
        tree = ast.parse(code.strip())
    except UNPARSED:
        return final
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "FINAL"
                and len(node.args) == 1 and not node.keywords
                and (written := _number_written(code.strip(), node.args[0])) is not None
                and _PREFIXED.fullmatch(written)):
            try:
                value = str(_number_of(node.args[0]))
            except ValueError:  # an int of more digits than str() converts
                continue
            if value == final:
                return written
    return final


_BARE_TOKEN = re.compile(r"[A-Za-z_]\w*(?:[./]\w+)*")
"""A name, a dotted name or a path: no operator but the path's `/` (`n-1`, `a+b` are code)."""


def lone_token(code: str) -> str | None:
    """The name, dotted name or path a block holds when it is nothing else (`cgi.py`,
    `collections/__init__.py`, `Codec`), as text; else None. Told "reply FINAL(answer)", the
    1.5B wrote its answer, a file's name, as a block: run as code, it names an undefined
    variable (`collections`), and the answer was lost. A token headed by a keyword or a
    builtin (`None`, `str.join`, `ValueError`) is code. A literal is `lone_literal`'s."""
    text = code.strip()
    if not _BARE_TOKEN.fullmatch(text):
        return None
    head = re.split(r"[./]", text, maxsplit=1)[0]
    return None if keyword.iskeyword(head) or head in _BUILTINS else text


def error_line(error: str | None) -> str:
    """A cell error's own line ("NameError: name 'x' is not defined"): its last line that is
    not a note in brackets the worker adds after it (how to call a function, the values
    defined, a cut traceback)."""
    for line in reversed((error or "").strip().split("\n")):
        if line.strip() and not line.startswith("["):
            return line
    return ""


def named_token(code: str, error: str | None) -> str | None:
    """The token of a block that is one (`lone_token`) and failed because the name it starts
    with is undefined: the model wrote a value read from the text, not code."""
    token = lone_token(code)
    if token is None or not error:
        return None
    head = re.match(r"\w+", token)
    return token if head is not None and undefined_name(error) == head.group(0) else None


def undefined_name(error: str | None) -> str | None:
    """The name a cell's NameError says is not defined, or None."""
    m = _NOT_DEFINED.search(error_line(error))
    return m.group(1) if m is not None else None


def assigned_names(code: str) -> frozenset[str]:
    """The names code assigns at its top level (`a = ...; b, c = ...`); none when it does not parse."""
    try:
        tree = ast.parse(code)
    except UNPARSED:
        return frozenset()
    names: set[str] = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, (ast.AnnAssign, ast.AugAssign)) else []
        for target in targets:
            names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    return frozenset(names)


def typed_final(code: str) -> str | None:
    """The value a block passes to FINAL as a literal it typed (`FINAL(1)`, `FINAL("cgi")`,
    `FINAL(-1)`) after other statements: written before the block ran, so before its output
    was seen (a 0.5B wrote a search, `print(1)` and `FINAL(1)` in one block; the search
    printed the answer, a seven-digit number). None for a block of FINAL alone, or a computed
    value."""
    try:
        body = ast.parse(code.strip()).body
    except UNPARSED:
        return None
    for n, stmt in enumerate(body):
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        if (n > 0 and isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "FINAL"
                and len(call.args) == 1 and not call.keywords):
            return _number_written(code.strip(), call.args[0]) or lone_literal(ast.unparse(call.args[0]))
    return None


_UNQUOTED_FINAL = re.compile(r"\s*FINAL\(\s*([A-Za-z_]\w*)\s*\)\s*")
_NOT_DEFINED = re.compile(r"NameError: name '(\w+)' is not defined")
_FINAL_OF_TOKEN = re.compile(r"\s*FINAL\(\s*([A-Za-z_][\w.]*/[\w./-]*)\s*\)\s*")
"""A FINAL of a path written unquoted (`FINAL(asyncio/subprocess.py)`), read by `named_token`."""


_PLACEHOLDER = re.compile(r"\s*(?:the|your|my)\s+(?:final\s+)?(?:answer|value|result)(?:\s+here)?\s*", re.IGNORECASE)


def is_placeholder(value: str) -> bool:
    """Whether a FINAL's text is the instruction's own placeholder ("the answer", "your
    answer"): told "reply FINAL(the answer)", small models copy the words themselves."""
    return bool(_PLACEHOLDER.fullmatch(value.strip().strip("\"'`<>[]")))


_COPIED_FINAL = re.compile(r"\s*final\s*\(\s*[\"'`<\[]?\s*(?:(?:the|your|my)\s+)?(?:final\s+)?answer(?:\s+here)?"
                           r"\s*[\"'`>\]]?\s*\)\s*\.?\s*", re.IGNORECASE)


def copies_the_instruction(text: str) -> bool:
    """Whether a reply in words is only the instruction it was given: "Final(answer)",
    "final(the answer)". Told "Reply with one line FINAL(answer)", the 0.5B wrote
    `Final(answer)` twice, and those words became 13 of its 60 realdocs answers."""
    return bool(_COPIED_FINAL.fullmatch(text)) or is_placeholder(text)


def names_an_answer(name: str) -> bool:
    """Whether an undefined name in `FINAL(name)` is more likely the answer written unquoted
    (`Codec`, `Everglade`, `v2`) than a variable the model forgot to set (`result`): a
    capital or a digit."""
    return not name.islower() or any(c.isdigit() for c in name)


def unquoted_final(code: str, error: str | None) -> str | None:
    """The answer of a block that is one `FINAL(Name)` line whose name is no variable: the
    model wrote its answer unquoted in code (`FINAL(Codec)`, `FINAL(Everglade)`), and the
    cell failed with that name undefined; or one `FINAL(a/b.py)` of a path whose first name
    is undefined. A name with a capital or a digit only: an
    all-lowercase one (`FINAL(answer)`) is more likely a variable the model forgot to set."""
    m = _UNQUOTED_FINAL.fullmatch(code)
    if m is None and (path := _FINAL_OF_TOKEN.fullmatch(code)) is not None:
        return named_token(path.group(1), error)  # FINAL(asyncio/subprocess.py): NameError 'asyncio'
    if m is None or not error or not names_an_answer(m.group(1)):
        return None
    return m.group(1) if undefined_name(error) == m.group(1) else None


_PURE_CALLS = frozenset({"len", "str", "int", "float", "round", "abs", "sum", "min", "max", "sorted", "list",
                         "set", "tuple", "repr"})
"""Builtins a FINAL call's argument may call at the answer-now turn: they read, never query."""


@dataclass(frozen=True, slots=True)
class FinalCall:
    """A block that is one `FINAL(...)`/`FINAL_VAR(...)` call (`final_call`)."""

    name: str | None
    """The variable it names (`FINAL(x)`, `FINAL_VAR("x")`), or None for a value to compute."""


def final_call(code: str) -> FinalCall | None:
    """The block as one FINAL call, or None: the answer written as code (```repl FINAL(12)```),
    which the answer-now turn takes although it runs no other code there. Its argument is a
    name, a literal, or an expression that calls nothing but a few pure builtins (`len(rows)`):
    a sub-model or child run cannot start after the limit that ended the run. `Final(name)` in
    another case names too."""
    call = _lone_expression(code)
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id.upper() in ("FINAL", "FINAL_VAR")
            and len(call.args) == 1 and not call.keywords):
        return None
    arg = call.args[0]
    if isinstance(arg, ast.Name):
        return FinalCall(arg.id)  # ```repl Final(static)```, as the 1.5B wrote it twice: a name, read not run
    if call.func.id not in ("FINAL", "FINAL_VAR"):
        return None  # "Final(7)" is no call the REPL knows: `stated_answer` reads its value
    if call.func.id == "FINAL_VAR" and isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return FinalCall(arg.value.strip().strip("'\"`"))
    for node in ast.walk(arg):
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name) and node.func.id in _PURE_CALLS):
            return None
    return FinalCall(None)


_ANY_CASE_FINAL = re.compile(r"\s*(final)\((.*)\)\s*", re.IGNORECASE | re.DOTALL)


_SENTENCE = re.compile(r"[A-Z][a-z]*(?:[ ,]+[A-Za-z0-9.:'+~/()-]+){2,30}[.!]")
"""A sentence: a capital, three words or more, a full stop. The separator shares no character
with a word, so a line of dashes is read once, not in every way it splits."""
_PLAN = re.compile(r"(?:let|i|we|first|next|then|now|run|search|grep|check|look|find|print|use)\b", re.IGNORECASE)
"""How a sentence that says what to do next starts: a plan or a command, not an answer."""


def lone_sentence(code: str) -> str | None:
    """The sentence a block holds when it is one line of prose that is no Python and neither
    a plan nor a command ("Let me search ...", "Run grep ..."): told at the answer-now turn
    of a run that found nothing that it may say the text does not record what was asked,
    the 1.5B wrote the block `The text does not record it.` twice, and the run ended with
    no answer."""
    line = code.strip()
    if "\n" in line or "FINAL" in line.upper() or _PLAN.match(line) or _SENTENCE.fullmatch(line) is None:
        return None
    try:
        ast.parse(line)
    except SyntaxError:
        return line
    except UNPARSED:
        return None  # too deep to parse: no sentence
    return None


def stated_answer(code: str) -> str | None:
    """The answer a block states without computing it, for the answer-now turn, where code
    is not run: one literal (`lone_literal`), or one `Final(...)` call spelt in another case
    (the 1.5B wrote `Final(5081229)` in a block: an undefined name, so no answer). Its
    argument as text; a bare lowercase name may be a variable, so it is no answer here."""
    if (value := lone_literal(code)) is not None:
        return value
    m = _ANY_CASE_FINAL.fullmatch(code)
    if m is None or m.group(1) == "FINAL":
        return None
    inner = m.group(2).strip()
    if not inner or "\n" in inner or (inner.isidentifier() and inner.islower()):
        return None
    return lone_literal(inner) or strip_quotes(inner)
