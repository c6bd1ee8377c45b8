"""The first look's value of a C enum member the question names: "What integer value does
XML_ERROR_INVALID_ARGUMENT have in the error enumeration?"

A C enum's members count from 0, each one more than the one before unless it is set (`= 5`,
`= OTHER + 1`). The header writes no member's value; the 1.5B, shown the member's line, answered
the line's number. Counting the members above it, comments and `#if` lines between them, is one
pass that C's own rule defines.

General: the rule is the C standard's; members and enums are read from the text at hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from recursor.look_cdecl import comments_blanked
from recursor.question import name_parts

__all__ = ["EnumLook", "enum_look"]

_ENUM = re.compile(r"\benum\s+(?P<name>[A-Za-z_]\w*)?\s*\{(?P<body>[^{}]*)\}\s*(?P<alias>[A-Za-z_]\w*)?", re.DOTALL)
_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)
_MEMBER = re.compile(r"^\s*(?P<name>[A-Za-z_]\w*)\s*(?:=\s*(?P<value>[^,]+?))?\s*$", re.DOTALL)
_VALUE_ASKED = re.compile(r"\b(?:value|integer|numeric|position|index)\b|(?<!line )(?<!version )(?<!release )"
                          r"(?<!port )(?<!page )\bnumber\b(?!\s+of\b)", re.IGNORECASE)
"""A question asking a member's value: not a line's, a version's or a count's "number"."""
_IDENT = re.compile(r"\b[A-Za-z_]\w*\b")
_READ_UP_TO = 4_000_000


@dataclass(frozen=True, slots=True)
class EnumLook:
    """What the look shows of a member's value, and the value it offers."""

    rows: list[str]
    counted: str


def _values(body: str) -> dict[str, int] | None:
    """Each member's value by C's rule; None when one is set by an expression not read here."""
    out: dict[str, int] = {}
    following = 0
    lines = _COMMENT.sub(" ", body).splitlines()
    if any(re.match(r"\s*#\s*(?:if|ifdef|ifndef|elif|else)\b", line) for line in lines):
        return None  # members under #if: which of them are compiled is not read here
    text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    for part in text.split(","):
        if not part.strip():
            continue
        m = _MEMBER.match(part)
        if m is None:
            return None
        if m.group("value") is not None:
            set_to = _read(m.group("value").strip(), out)
            if set_to is None:
                return None
            following = set_to
        out[m.group("name")] = following
        following += 1
    return out


def _read(expression: str, known: dict[str, int]) -> int | None:
    """A member's set value: a number (decimal, hex, octal), a member before it, or one of
    those plus or minus a number; None for anything else."""
    m = re.fullmatch(r"\(?\s*([A-Za-z_]\w*|-?0[xX][0-9a-fA-F]+|-?\d+)[uUlL]*\s*(?:([+-])\s*(\d+))?\s*\)?", expression)
    if m is None:
        return None
    head = m.group(1)
    if head[0].isalpha() or head[0] == "_":
        if head not in known:
            return None
        base = known[head]
    elif re.fullmatch(r"-?0\d+", head):
        if not re.fullmatch(r"-?0[0-7]+", head):
            return None  # "08": no C octal (another language's leading zero)
        base = int(head, 8)
    else:
        base = int(head, 0)
    return base + (int(m.group(3)) * (1 if m.group(2) == "+" else -1) if m.group(2) else 0)


def enum_look(text: str, question: str) -> EnumLook | None:
    """The value of the one enum member the question names, when it asks a value or a number;
    or the member a number names, when the question names no member and asks which has that
    number (`_member_of`). None otherwise, or when the text has no such enum or sets values
    this does not read."""
    if "enum" not in text or len(text) > _READ_UP_TO:
        return None
    if (sized := _sized(text, question)) is not None:
        return sized
    named = {w for w in _IDENT.findall(question) if "_" in w or w.isupper()}
    if not named:
        return _member_of(text, question)
    if not _VALUE_ASKED.search(question):
        return None
    hits: list[tuple[str, str, int, int]] = []
    for m, values in _enums(text):
        for member in named & values.keys():
            hits.append((_name(m), member, values[member], text.count("\n", 0, m.start()) + 1))
    if len(hits) != 1:
        return None
    enum, member, value, line = hits[0]
    row = (f"{member} is a member of enum {enum} (line {line:,}), whose members count from 0, each one more than the "
           f"one before unless set: its value is {value}.")
    return EnumLook([row], str(value))


_WHICH_HAS = re.compile(r"\b(?:which|what)\b[^?]*\b(?:code|value|number|id|constant|errno)\s+(?:of\s+)?(\d+)\b",
                        re.IGNORECASE)
"""A question asking which member has a number: "Which parser error has the code 4001?"."""
_COMMON = frozenset("the and for with has have which what that this its code value number type enum".split())


def _member_of(text: str, question: str) -> EnumLook | None:
    """For "which error has the code 4001", the enum member whose value is that number, by C's
    rule: the 1.5B, shown lines whose comments number the members, answered a type's name.
    Only members of an enum whose name shares a word with the question ("parser error":
    `xmlParserErrors`; a word as common as "type" only when one enum has the number), and
    only when one has it."""
    m = _WHICH_HAS.search(question)
    if m is None:
        return None
    number = int(m.group(1))
    all_words = {w.lower().rstrip("s") for w in re.findall(r"[A-Za-z]{3,}", question)}
    # Only an enum the question names by a word of its own name ("parser error": xmlParserErrors);
    # "which function has 3 parameters" asks no enum's member (review).
    having = [(found, member, {p.rstrip("s") for p in name_parts(_name(found))})
              for found, values in _enums(text) for member, v in values.items() if v == number]
    hits = [(found, member) for found, member, parts in having if (all_words - _COMMON) & parts]
    if not hits and len(having) == 1:
        # A word as common as "type" names the one enum that has the number ("which NumPy data
        # type gets type number 20": `enum NPY_TYPES`); among several it picks none out.
        hits = [(found, member) for found, member, parts in having if all_words & parts]
    if len(hits) != 1:
        return None
    found, member = hits[0]
    line = text.count("\n", 0, found.start()) + 1
    row = (f"{member} is the member of enum {_name(found)} (line {line:,}) whose value is {number}: its members "
           f"count from 0, each one more than the one before unless set.")
    return EnumLook([row], member)


_SIZE_ASKED = re.compile(
    r"\b(?:which|what)\s+(?:\w+\s+){0,2}?enum(?:eration)?s?\b[^?]{0,120}?\b(?:(?P<exactly>exactly|just|only)\s+)?"
    r"(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
    r"(?:\w+\s+)?(?:constants|members|values|entries|enumerators|items)\b", re.IGNORECASE)
"""A question asking which enum has a number of members: "Which enumeration type in this
header defines exactly three constants?"."""
_COMPARED = re.compile(r"\b(?:more|fewer|less|least|most|over|under|above|below|not|n't|no|than|besides)\s+"
                       r"(?:than\s+)?(?:\w+\s+)?$", re.IGNORECASE)
_OR_MORE = re.compile(r"\s*(?:or\s+(?:more|fewer|less|over|under)|and\s+(?:up|above|over|more))\b", re.IGNORECASE)
_SIZED_ENUM = re.compile(r"\benum\s+(?:(?:class|struct)\s+)?(?P<name>[A-Za-z_]\w*)?\s*(?::\s*[\w: ]+?)?\s*"
                         r"\{(?P<body>[^{}]*)\}\s*(?P<alias>[A-Za-z_]\w*)?", re.DOTALL)
"""An enum, C's or C++'s (`enum class Color : uint8_t { ... }`)."""
_WORD_NUMBERS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}


def _sized(text: str, question: str) -> EnumLook | None:
    """For "which enum defines exactly three constants", the one enum with that many members
    (comments and `#if` lines apart): counted by eye, the 1.5B answered the first enum shown.
    None when no enum, or more than one, has that many."""
    m = _SIZE_ASKED.search(question)
    if m is None or _COMPARED.search(question[:m.start("n")]) or _OR_MORE.match(question, m.end()):
        return None  # "more than three members", "not three": not the one with that many
    n = int(m.group("n")) if m.group("n").isdigit() else _WORD_NUMBERS[m.group("n").lower()]
    # Enums as the compiler reads them: none inside a comment; `enum class NAME : int {` too.
    blanked = comments_blanked(text)  # linear, where this module's lazy pattern rescans an unclosed `/*`
    sizes = [(found, len(_members(found.group("body")))) for found in _SIZED_ENUM.finditer(blanked)]
    # Members under #if: such an enum may have any count from its plain members' to all of them.
    if any(_plain_members(f.group("body")) <= n <= size for f, size in sizes
           if re.search(r"^\s*#\s*if", f.group("body"), re.MULTILINE)):
        return None
    sizes = [(f, size) for f, size in sizes if not re.search(r"^\s*#\s*if", f.group("body"), re.MULTILINE)]
    having = [found for found, size in sizes if size == n]
    if len(having) != 1:
        return None
    found = having[0]
    line = text.count("\n", 0, found.start()) + 1
    told = ", ".join(f"{_name(f)} {size}" for f, size in sizes[:12])
    more = f" and {len(sizes) - 12} more" if len(sizes) > 12 else ""
    rows = [f"Its {len(sizes)} enums by their members: {told}{more}.",
            f"The one with {n}: enum {_name(found)} (line {line:,})."]
    return EnumLook(rows, _name(found))


def _plain_members(body: str) -> int:
    """How many of an enum body's members are outside every `#if` ... `#endif`."""
    depth, kept = 0, []
    for line in body.splitlines():
        if re.match(r"\s*#\s*if", line):
            depth += 1
        elif re.match(r"\s*#\s*endif", line):
            depth = max(0, depth - 1)
        elif depth == 0:
            kept.append(line)
    return len(_members("\n".join(kept)))


def _members(body: str) -> list[str]:
    """An enum body's member names, comments and preprocessor lines apart."""
    lines = [line for line in _COMMENT.sub(" ", body).splitlines() if not line.lstrip().startswith("#")]
    return [m.group(1) for part in "\n".join(lines).split(",") if (m := re.match(r"\s*([A-Za-z_]\w*)", part))]


def _enums(text: str) -> list[tuple[re.Match[str], dict[str, int]]]:
    """Each enum of the text whose members' values are read, with them."""
    return [(m, values) for m in _ENUM.finditer(text) if (values := _values(m.group("body"))) is not None]


def _name(m: re.Match[str]) -> str:
    """An enum's name: its tag, else its typedef's ("typedef enum { ... } xmlParserErrors;")."""
    return m.group("name") or m.group("alias") or "(unnamed)"
