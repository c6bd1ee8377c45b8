"""POSIX signals as a question names them in words, and as logs write them.

"One test crashed with a segmentation fault": meson writes `killed by signal 11 SIGSEGV`, a
shell `Segmentation fault`, systemd `code=dumped, status=11/SEGV`. "After the master was sent
a hang-up": gunicorn writes `Handling signal: hup`. A user writes the words; a program writes
the signal's name. The names are the standard's (signal(7)), not any program's.
"""

from __future__ import annotations

import re

__all__ = ["signal_names"]

_SIGNALS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(words, re.IGNORECASE), name) for words, name in (
        (r"\bseg(?:mentation)?[\s-]?faults?\b|\bsegfault(?:s|ed|ing)?\b", "SIGSEGV"),
        (r"\bhang[\s-]?ups?\b|\bhangs?\s+up\b|\bhung\s+up\b", "SIGHUP"),
        (r"\bbus\s+errors?\b", "SIGBUS"),
        (r"\bfloating[\s-]point\s+exceptions?\b", "SIGFPE"),
        (r"\billegal\s+instructions?\b", "SIGILL"),
        (r"\bbroken\s+pipes?\b", "SIGPIPE"),
        (r"\b(?:keyboard\s+)?interrupt(?:s|ed|ion)?\b|\bctrl[\s+-]?c\b", "SIGINT"),
        (r"\babort(?:s|ed|ing)?\b", "SIGABRT"),
        (r"\balarm\s+(?:clock|signals?)\b", "SIGALRM"),
    ))


_SHORT_WORDS = frozenset({"HUP", "INT", "ILL", "BUS", "FPE", "PIPE"})
"""Signal names without "SIG" that are words or types of their own (`int`, "bus", "pipe"):
searched only with it."""


def signal_names(asking: str) -> list[tuple[str, ...]]:
    """The signals a question names in words, each as (the words as written, the signal's
    name, and its name without "SIG" when that is no word of its own): ("segmentation
    fault", "SIGSEGV", "SEGV"), ("hang-up", "SIGHUP")."""
    return [(m.group(0), name, *([name[3:]] if name[3:] not in _SHORT_WORDS else []))
            for rx, name in _SIGNALS if (m := rx.search(asking))]
