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

__all__ = ["DeclLook", "Prototype", "comments_blanked", "decl_look", "prototypes"]

_COMMENT = re.compile(r"/\*(?:[^*]|\*(?!/))*(?:\*/|\Z)|//[^\n]*")
"""A comment; one never closed runs to the end (one scan, not one per `/*` of a path's glob)."""
_DIRECTIVE = re.compile(r"^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", re.MULTILINE)
_PROTOTYPE = re.compile(
    r"(?P<head>(?:[A-Za-z_]\w*[ \t\n*]+)+?)\**[ \t\n]*(?P<name>[A-Za-z_]\w*)[ \t\n]*"
    r"\((?P<params>[^;{}()]*(?:\([^;{}()]*\)[^;{}()]*)*)\)[ \t\n]*(?:__attribute__[ \t]*\(\([^;]{0,200}?\)\)[ \t\n]*)?")
"""A whole statement `TYPE name(PARAMS)` (its `;` apart): a declaration, not a call or a definition."""
_ENDS = re.compile(r"[;{}]")
_LONGEST_STATEMENT = 2_000
_NOT_TYPE = frozenset("return typedef if while for switch sizeof case goto else do".split())
_SPECIFIERS = frozenset("extern static inline const volatile register __inline __inline__ __extension__".split())
_MACRO_WORD = re.compile(r"^_*[A-Z][A-Z0-9_]*$")
"""An all-capitals word around the type: an export or calling-convention macro (`ZEXTERN`,
`ZEXPORT`, `WINAPI`), no type unless it is the only word there (`BOOL`, `FILE`)."""

_RETURN_ASKED = re.compile(
    r"\bfunctions?\b[^?]{0,80}?\breturn(?:s|ing)?\s+(?:an?\s+|the\s+)?(?P<type>[\w*]+(?:\s+\*)?)", re.IGNORECASE)
"""A count of functions by what they return: "how many functions ... return a boolean"."""
_READ_UP_TO = 2_000_000
_QUALIFIED = re.compile(r"\b(?:not|never|except|other\s+than|or|take|takes|taking|accept|accepts|parameters?"
                        r"|arguments?|whose|without|with)\b|n't\b", re.IGNORECASE)
"""Words that ask more of a declaration than what it returns."""
_POINTER_OF = re.compile(r"^[\w]+\s+pointers?\b", re.IGNORECASE)
""""an int pointer": a pointer to the type, not the type."""
_TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "boolean": ("bool", "_Bool", "gboolean", "BOOL"),
    "bool": ("bool", "_Bool", "gboolean", "BOOL"),
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
    start = 0
    for end in _ENDS.finditer(blanked):
        # One statement at a time, ended by its ";" (not a body's "{"): each match is bounded.
        body, at, start = blanked[start:end.start()], start, end.end()
        lead = len(body) - len(body.lstrip())  # a comment above it is blank space now
        if end.group(0) != ";" or len(body) - lead > _LONGEST_STATEMENT:
            continue
        m = _PROTOTYPE.fullmatch(blanked, at + lead, end.start())
        if m is None:
            continue
        words = m.group("head").replace("*", " * ").split()
        if not words or words[0] in _NOT_TYPE or m.group("name") in _NOT_TYPE:
            continue
        types = [w for w in words if w not in _SPECIFIERS and w != "*"]
        # All-capitals words are export or calling-convention macros (`ZEXTERN int ZEXPORT`,
        # `BOOL WINAPI`), unless one is the only type word there is (`BOOL`, `FILE *`).
        plain = [w for w in types if not _MACRO_WORD.match(w)]
        kept = plain or types[:1]
        stars = "*" * (m.group(0)[m.start("head") - m.start(0):m.start("name") - m.start(0)].count("*"))
        base = " ".join(kept)
        if not base or base in ("typedef",):
            continue
        returns = f"{base} {stars}" if stars else base
        line = text.count("\n", 0, m.start("name")) + 1
        out.append(Prototype(m.group("name"), returns, " ".join(m.group("params").split()), line))
    return out


def comments_blanked(text: str) -> str:
    """`text` with its C comments blanked, every line where it was (one linear scan)."""
    return _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _blanked(text: str) -> str:
    """`text` with its comments and preprocessor lines blanked, every line where it was."""
    return _DIRECTIVE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), comments_blanked(text))


def _plain_rx(asked: str) -> re.Pattern[str]:
    """A line declaring a function that returns the asked type, read plainly: the type's word
    (or a `*`, for "pointer") just before a name and "(", whatever else the line writes."""
    if asked.lower() == "pointer":
        return re.compile(r"\*\s*[A-Za-z_]\w*\s*\(")
    forms = _TYPE_WORDS.get(asked.lower(), (asked,))
    alts = "|".join(re.escape(f.rstrip(" *")) + (r"\s*\*" if f.endswith("*") else r"(?![\w\s]*\*)") for f in forms)
    return re.compile(rf"(?<![\w*])(?:{alts})\s+(?:[A-Z][A-Z0-9_]*\s+)*\**\s*[A-Za-z_]\w*\s*\(")


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
    if m is None or not COUNT_ASKED.search(question) or "(" not in text or len(text) > _READ_UP_TO:
        return None
    if _QUALIFIED.search(question) or _POINTER_OF.search(question[m.start("type"):]):
        return None  # "do not return", "return a boolean or an int", "... and take no arguments": not read here
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
                if not re.match(r"\s*(?:typedef|return)\b", line) and _plain_rx(asked).search(line))
    names = ", ".join(p.name for p in kept[:8]) + (f" and {len(kept) - 8} more" if len(kept) > 8 else "")
    written = sorted({p.returns for p in kept})
    rows = [f"Of its {len(protos)} function declarations (`TYPE name(PARAMS);`, comments and # lines apart), "
            f"{len(kept)} return {' or '.join(written)}: {names}."]
    return DeclLook(rows, str(len(kept)) if plain == len(kept) else "")
