"""Words as code, configuration and logs shorten them.

"How many boolean fields default to false?" over a .proto file that writes `optional bool x = 3
[default = false]`: the text writes "boolean" once, in a comment, and `bool` on every field
the question asks about. A user writes the word; a program, a schema or a man page writes its
short form (`bool`, `int`, `str`, `config`, `auth`, `max`, `dir`). The forms here are the ones
programmers write everywhere (C, Python, protobuf, shell, logs), not any file's or benchmark's.
"""

from __future__ import annotations

__all__ = ["short_forms"]

_SHORT: dict[str, tuple[str, ...]] = {
    "address": ("addr",),
    "administrator": ("admin",),
    "application": ("app",),
    "argument": ("arg",),
    "attribute": ("attr",),
    "authentication": ("auth",),
    "average": ("avg",),
    "boolean": ("bool",),
    "buffer": ("buf",),
    "certificate": ("cert",),
    "character": ("char",),
    "command": ("cmd",),
    "configuration": ("config", "conf", "cfg"),
    "connection": ("conn",),
    "database": ("db",),
    "description": ("desc",),
    "destination": ("dest", "dst"),
    "dictionary": ("dict",),
    "directory": ("dir",),
    "enumeration": ("enum",),
    "environment": ("env",),
    "executable": ("exe",),
    "function": ("func", "fn"),
    "identifier": ("id",),
    "implementation": ("impl",),
    "index": ("idx",),
    "information": ("info",),
    "initialization": ("init",),
    "integer": ("int",),
    "length": ("len",),
    "library": ("lib",),
    "maximum": ("max",),
    "message": ("msg",),
    "milliseconds": ("ms",),
    "minimum": ("min",),
    "package": ("pkg",),
    "parameter": ("param",),
    "pointer": ("ptr",),
    "previous": ("prev",),
    "reference": ("ref",),
    "repository": ("repo",),
    "request": ("req",),
    "response": ("resp",),
    "sequence": ("seq",),
    "source": ("src",),
    "specification": ("spec",),
    "statistics": ("stats",),
    "string": ("str",),
    "temporary": ("tmp", "temp"),
    "utility": ("util",),
    "variable": ("var",),
}
"""Each word's short forms, the most common first."""

def short_forms(word: str) -> tuple[str, ...]:
    """The short forms code writes for `word` (any case, singular or plural): "Booleans" ->
    ("bool",), "configurations" -> ("config", "conf", "cfg"), "indexes" -> ("idx",); () for a
    word with none ("queries")."""
    lower = word.lower()
    singular = [lower]
    if len(lower) > 4 and lower.endswith("s"):
        singular += [lower[:-1], lower[:-2]] + ([lower[:-3] + "y"] if lower.endswith("ies") else [])
    return next((_SHORT[w] for w in singular if w in _SHORT), ())
