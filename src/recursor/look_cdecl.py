"""The first look's count of a C header's function declarations by what they return.

Asked "how many functions declared in this header return a boolean?", the 1.5B searched
"bool" and answered the count of its lines, struct fields and callbacks among them, or 1.
A declaration's return type is what C's grammar reads before the function's name: one pass
over the header's text, its comments and preprocessor lines taken out, finds each
`TYPE name(PARAMS);` and what it returns.

General: the grammar is C's; types are matched as the header writes them, the question's
everyday word for a type ("boolean", "integer", "string", "pointer", "nothing") read as the
C it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from recursor.question import COUNT_ASKED

__all__ = ["DeclLook", "Prototype", "decl_look", "prototypes"]

_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)
_DIRECTIVE = re.compile(r"^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", re.MULTILINE)
_PROTOTYPE = re.compile(
    r"(?:^|(?<=[;}]))\s*(?P<head>(?:[A-Za-z_]\w*[\s*]+)+?)\**\s*(?P<name>[A-Za-z_]\w*)\s*"
    r"\((?P<params>[^;{}()]*(?:\([^;{}()]*\)[^;{}()]*)*)\)\s*(?:__attribute__\s*\(\(.*?\)\)\s*)?;", re.DOTALL)
"""`TYPE name(PARAMS);` at a statement's start: a declaration, not a call or a definition."""
_NOT_TYPE = frozenset("return typedef if while for switch sizeof case goto else do struct_decl".split())
_SPECIFIERS = frozenset("extern static inline const volatile register __inline __inline__ __extension__".split())
_MACRO_WORD = re.compile(r"^[A-Z][A-Z0-9_]*$")
"""An all-capitals word before the type: an export macro (`ZEXTERN`, `TS_API`), no type."""

_RETURN_ASKED = re.compile(
    r"\bfunctions?\b[^?]{0,80}?\breturn(?:s|ing)?\s+(?:an?\s+|the\s+)?(?P<type>[\w*]+(?:\s+\*)?)", re.IGNORECASE)
"""A count of functions by what they return: "how many functions ... return a boolean"."""
_TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "boolean": ("bool", "_Bool", "gboolean", "BOOL"),
    "bool": ("bool", "_Bool", "gboolean", "BOOL"),
    "integer": ("int",),
    "int": ("int",),
    "nothing": ("void",),
    "void": ("void",),
    "string": ("char *",),
    "character": ("char",),
    "double": ("double",),
    "float": ("float",),
}
"""The question's word for a type, as C writes it."""


@dataclass(frozen=True, slots=True)
class Prototype:
    """One function declaration: its name, what it returns (as written, spaces normalized,
    specifiers and export macros apart) and its parameters' text."""

    name: str
    returns: str
    params: str
    line: int


@dataclass(frozen=True, slots=True)
class DeclLook:
    """What the look tells of the declarations, and the count it offers."""

    rows: list[str]
    counted: str


def prototypes(text: str) -> list[Prototype]:
    """The function declarations of a C header, in order."""
    blanked = _blanked(text)
    out = []
    for m in _PROTOTYPE.finditer(blanked):
        words = m.group("head").replace("*", " * ").split()
        if not words or words[0] in _NOT_TYPE or m.group("name") in _NOT_TYPE:
            continue
        kept = [w for w in words if w not in _SPECIFIERS and not (_MACRO_WORD.match(w) and w != words[-1])]
        stars = "*" * (m.group(0)[m.start("head") - m.start(0):m.start("name") - m.start(0)].count("*"))
        base = " ".join(w for w in kept if w != "*")
        if not base or base in ("typedef",):
            continue
        returns = f"{base} {stars}" if stars else base
        line = text.count("\n", 0, m.start("name")) + 1
        out.append(Prototype(m.group("name"), returns, " ".join(m.group("params").split()), line))
    return out


def _blanked(text: str) -> str:
    """`text` with its comments and preprocessor lines blanked, every line where it was."""
    return _DIRECTIVE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)),
                          _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text))


def _returns(proto: Prototype, asked: str) -> bool:
    """Whether `proto` returns the type the question's word names."""
    forms = _TYPE_WORDS.get(asked.lower())
    if asked.lower() == "pointer":
        return proto.returns.endswith("*")
    if forms is None:
        return proto.returns.rstrip(" *") == asked.rstrip(" *") and proto.returns.endswith("*") == asked.endswith("*")
    return proto.returns in forms


def decl_look(text: str, question: str) -> DeclLook | None:
    """For "how many functions declared here return a boolean", the declarations that do and
    how many. None for another question, a text with fewer than three declarations, or a type
    no declaration returns."""
    m = _RETURN_ASKED.search(question)
    if m is None or not COUNT_ASKED.search(question) or "(" not in text:
        return None
    protos = prototypes(text)
    if len(protos) < 3:
        return None
    asked = m.group("type").strip()
    if asked.lower() in ("a", "an", "the", "value", "values"):
        return None
    kept = [p for p in protos if _returns(p, asked)]
    if not kept:
        return None
    # Checked by a plainer reading: the lines writing such a type just before a name and "(".
    # A declaration this grammar does not read (`LZ4_DEPRECATED("...") int LZ4_compress(...)`,
    # a macro's call in its head) is on such a line: the count is shown, not offered.
    plain = sum(1 for line in _blanked(text).splitlines()
                if not re.match(r"\s*(?:typedef|return)\b", line)
                and any(re.search(rf"(?<![\w*]){re.escape(r.rstrip(' *'))}\s*{re.escape('*' * r.count('*'))}\s*"
                                  r"[A-Za-z_]\w*\s*\(", line) for r in {p.returns for p in kept}))
    names = ", ".join(p.name for p in kept[:8]) + (f" and {len(kept) - 8} more" if len(kept) > 8 else "")
    written = sorted({p.returns for p in kept})
    rows = [f"Of its {len(protos)} function declarations (`TYPE name(PARAMS);`, comments and # lines apart), "
            f"{len(kept)} return {' or '.join(written)}: {names}."]
    return DeclLook(rows, str(len(kept)) if plain == len(kept) else "")
