"""Strings that any model code may produce, made safe to encode.

Python strings can hold lone surrogates (`'\\ud800'`, or bytes smuggled in by `surrogateescape`)
that UTF-8 cannot encode, and a plain `.encode()` or `json.dumps(..., ensure_ascii=False)`
followed by `.encode()` raises `UnicodeEncodeError`. Model code prints such strings at will, so
every place text leaves the process goes through one of these two policies:

- `escape`: lone surrogates become JSON `\\uXXXX` escapes, so Python's `json.loads` gives back
  the same string (used by the trace, which recursor reads back itself);
- `replace`: lone surrogates become U+FFFD (used for HTTP bodies and serve replies, because
  providers and clients in other languages reject lone surrogates).
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

__all__ = ["dumps", "has_lone_surrogates", "utf8", "well_formed"]

_SURROGATE = re.compile("[\ud800-\udfff]")


def has_lone_surrogates(text: str) -> bool:
    """True when `text` holds a surrogate code point (a pair split in two counts too)."""
    return _SURROGATE.search(text) is not None


def well_formed(text: str) -> str:
    """`text` with every lone surrogate replaced by U+FFFD; a high+low pair becomes its character."""
    if not has_lone_surrogates(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def utf8(text: str) -> bytes:
    """`text` as UTF-8, never raising: lone surrogates become U+FFFD."""
    return well_formed(text).encode("utf-8")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def dumps(value: Any, *, surrogates: Literal["escape", "replace"] = "escape", **kw: Any) -> str:
    """`json.dumps(value, ensure_ascii=False, **kw)` whose result always encodes as UTF-8.

    After `json.dumps`, a surrogate can only stand inside a string literal, so escaping it
    there keeps the JSON valid. (A high and a low surrogate stored as two code points read
    back as the one character they encode.)
    """
    text = json.dumps(value, ensure_ascii=False, **kw)
    if not has_lone_surrogates(text):
        return text
    return _SURROGATE.sub(_escape, text) if surrogates == "escape" else well_formed(text)
