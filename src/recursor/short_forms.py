"""Words as code, configuration and logs shorten them.

"How many boolean fields default to false?" over a .proto file that writes `optional bool x = 3
[default = false]`: the text writes "boolean" once, in a comment, and `bool` on every field
the question asks about. A user writes the word; a program, a schema or a man page writes its
short form (`bool`, `int`, `str`, `config`, `auth`, `max`, `dir`). The forms here are the ones
programmers write everywhere (C, Python, protobuf, shell, logs), not any file's or benchmark's.
"""

from __future__ import annotations

import re

from recursor.word_bases import base_forms

__all__ = ["short_form_rx", "short_forms"]

_SHORT: dict[str, tuple[str, ...]] = {
    "address": ("addr",),
    "administrator": ("admin",),
    "application": ("app",),
    "argument": ("arg",),
    "attribute": ("attr",),
    "authentication": ("auth",),
    "average": ("avg",),
    "biggest": ("max",),
    "boolean": ("bool",),
    "buffer": ("buf",),
    "certificate": ("cert",),
    "character": ("char",),
    "command": ("cmd",),
    "configuration": ("config", "conf", "cfg"),
    "connection": ("conn",),
    "database": ("db",),
    "destination": ("dest", "dst"),
    "dictionary": ("dict",),
    "directory": ("dir",),
    "enumeration": ("enum",),
    "environment": ("env",),
    "executable": ("exe",),
    "function": ("func",),
    "identifier": ("id",),
    "implementation": ("impl",),
    "index": ("idx",),
    "initialization": ("init",),
    "integer": ("int",),
    "largest": ("max",),
    "length": ("len",),
    "library": ("lib",),
    "maximum": ("max",),
    "message": ("msg",),
    "milliseconds": ("ms",),
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
    "temporary": ("tmp",),
    "utility": ("util",),
    "variable": ("var",),
}
"""Each word's short forms, the most common first; "largest" and "biggest" are code's `max`
(`LZ4_MAX_INPUT_SIZE`, "max supported value"). Not those that are words of their own in
a log or a query: "info" (a log level), "min" (minutes), "temp" (temperature), "desc" (SQL's
DESC)."""

_COMMANDS: dict[str, tuple[str, ...]] = {
    "upload": ("STOR", "STOU", "APPE"),
    "download": ("RETR",),
    "delete": ("DELE",),
    "rename": ("RNTO",),
}
"""FTP's commands (RFC 959) for what a user names in words: an FTP server's log writes
`STOR /srv/dana/fin-0174.psd completed=1` for a file uploaded, `RETR` for one downloaded. A
rename is told by its second command, which names the new name and says whether it was done."""

def short_forms(word: str) -> tuple[str, ...]:
    """The short forms code writes for `word` (any case, any number or ending): "Booleans" ->
    ("bool",), "configurations" -> ("config", "conf", "cfg"), "indexes" -> ("idx",),
    "uploaded" -> ("STOR", "STOU", "APPE"); () for a word with none ("queries")."""
    return next((forms[w] for w in base_forms(word) for forms in (_SHORT, _COMMANDS) if w in forms), ())


def short_form_rx(form: str) -> re.Pattern[str]:
    """`form` as a word of its own, in any case and its plural: `bool`, `BOOL`, `cfgs`, not
    inside a joined or dotted name (`boolean_value`, `app.config`, `/etc/conf`) nor a longer
    word ("configure"), so a short form finds what it names and no more."""
    return re.compile(rf"(?<![\w./-]){re.escape(form)}s?(?![\w/-]|\.\w)", re.IGNORECASE)
