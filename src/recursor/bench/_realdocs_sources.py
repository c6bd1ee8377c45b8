"""Where `realdocs` finds its documents: files a Debian machine has or a package ships.

Nothing here is written by this project. Each source reads real files at task-build time
and says, when it cannot, why not (`Source.missing`), so the family can skip it with a note.
Contents differ between machines (package versions, log lines), which is why every gold
answer is computed from the text placed in the context and never typed.

Only ASCII files are used (as in `_haystack`): a context stays one byte a character, and
nothing is transliterated, so every document is the file's text verbatim (gzip undone).
The roots are module attributes so a test can point a source at a missing directory.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import random
import re
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from recursor.bench._haystack import stdlib_files
from recursor.bench._task import Gold

__all__ = [
    "APT_LOG_DIR",
    "DOC_DIR",
    "DPKG_LOG_DIR",
    "LICENSE_DIR",
    "MAN_DIR",
    "Doc",
    "Question",
    "apt_history_docs",
    "changelog_docs",
    "day_forms",
    "dpkg_docs",
    "filler_paths",
    "license_docs",
    "man_doc",
    "numeric",
    "pick",
    "read_text",
    "stdlib_docs",
    "unique_top",
]

DPKG_LOG_DIR = Path("/var/log")
APT_LOG_DIR = Path("/var/log/apt")
DOC_DIR = Path("/usr/share/doc")
MAN_DIR = Path("/usr/share/man/man1")
LICENSE_DIR = Path("/usr/share/common-licenses")


@dataclass(frozen=True, slots=True)
class Doc:
    """One document: the path it is shown under, and its text (ending in a newline)."""

    path: str
    text: str


def read_text(path: Path) -> str | None:
    """The file's text (gunzipped if it ends in .gz), or None if unreadable or not ASCII."""
    try:
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile):
        return None
    if not data.isascii() or not data.strip():
        return None
    text = data.decode("ascii").replace("\r\n", "\n")
    return text if text.endswith("\n") else text + "\n"


def _rotation(path: Path, base: str) -> int:
    """0 for `base`, N for `base.N` and `base.N.gz`; logs are read oldest (highest N) first."""
    rest = path.name[len(base) :].removesuffix(".gz").lstrip(".")
    return int(rest) if rest.isdigit() else 0


def _rotated_logs(folder: Path, base: str) -> tuple[Doc, ...]:
    if not folder.is_dir():
        return ()
    found = [
        p
        for p in folder.glob(f"{base}*")
        if p.name == base or re.fullmatch(rf"{re.escape(base)}\.\d+(\.gz)?", p.name)
    ]
    docs = []
    for path in sorted(found, key=lambda p: -_rotation(p, base)):
        text = read_text(path)
        if text is not None:
            docs.append(Doc(str(path).removesuffix(".gz"), text))
    return tuple(docs)


@functools.cache
def _dpkg_docs(folder: Path) -> tuple[Doc, ...]:
    return _rotated_logs(folder, "dpkg.log")


def dpkg_docs() -> tuple[Doc, ...]:
    """/var/log/dpkg.log and its rotations (dpkg.log.1, dpkg.log.2.gz, ...), oldest first."""
    return _dpkg_docs(DPKG_LOG_DIR)


@functools.cache
def _apt_docs(folder: Path) -> tuple[Doc, ...]:
    return _rotated_logs(folder, "history.log")


def apt_history_docs() -> tuple[Doc, ...]:
    """/var/log/apt/history.log and its rotations, oldest first."""
    return _apt_docs(APT_LOG_DIR)


@functools.cache
def _changelogs(folder: Path) -> tuple[Doc, ...]:
    """Each distinct ASCII changelog once: packages built from one source often ship copies,
    and a duplicate would make "which changelog" questions ambiguous."""
    if not folder.is_dir():
        return ()
    seen: set[str] = set()
    docs = []
    for path in sorted(folder.glob("*/changelog.Debian.gz")):
        text = read_text(path)
        if text is None:
            continue
        digest = hashlib.sha256(text.encode()).hexdigest()
        if digest not in seen:
            seen.add(digest)
            docs.append(Doc(str(path).removesuffix(".gz"), text))
    return tuple(docs)


def changelog_docs() -> tuple[Doc, ...]:
    """/usr/share/doc/<package>/changelog.Debian.gz, decompressed, distinct texts only."""
    return _changelogs(DOC_DIR)


@functools.cache
def stdlib_docs() -> tuple[Doc, ...]:
    """The running interpreter's standard library modules (see `_haystack.stdlib_files`)."""
    return tuple(
        Doc(f.path, f.text if f.text.endswith("\n") else f.text + "\n") for f in stdlib_files()
    )


@functools.cache
def _licenses(folder: Path) -> tuple[Doc, ...]:
    if not folder.is_dir():
        return ()
    docs = []
    for path in sorted(folder.iterdir()):
        if path.is_file() and not path.is_symlink() and (text := read_text(path)) is not None:
            docs.append(Doc(str(path), text))
    return tuple(docs)


def license_docs() -> tuple[Doc, ...]:
    """/usr/share/common-licenses/*: used only as filler."""
    return _licenses(LICENSE_DIR)


@functools.cache
def _man_paths(folder: Path) -> tuple[Path, ...]:
    return tuple(sorted(folder.glob("*.1*"))) if folder.is_dir() else ()


_GROFF_FONT = re.compile(r"\\f(?:\[[^]]*\]|\(..|.)")
_GROFF_ESCAPE = re.compile(r"\\[,/&|^%:]")


def _strip_groff(text: str) -> str:
    """Raw groff with comments dropped, macro names removed and font escapes undone: readable
    without a formatter, and no dependency on `man` being installed."""
    lines = []
    for line in text.splitlines():
        if line.startswith((".\\\"", "'\\\"", '.\\"')) or line in (".", "'"):
            continue
        if line.startswith((".", "'")):
            _, _, line = line.partition(" ")
            if not line.strip():
                continue
        line = _GROFF_FONT.sub("", line)
        line = _GROFF_ESCAPE.sub("", line).replace("\\-", "-").replace("\\e", "\\")
        lines.append(line)
    return "\n".join(lines) + "\n"


@functools.cache
def man_doc(path: Path) -> Doc | None:
    """One manual page from section 1 as text (see `_strip_groff`), or None if unusable."""
    text = read_text(path)
    if text is None or text.lstrip().startswith(".so "):
        return None
    stripped = _strip_groff(text)
    return Doc(str(path).removesuffix(".gz"), stripped) if stripped.strip() else None


def filler_paths() -> tuple[Path, ...]:
    """Manual pages that can pad a context: no question is ever asked about them."""
    return _man_paths(MAN_DIR)


SourceLoader = Callable[[], tuple[Doc, ...]]


@dataclass(frozen=True, slots=True)
class Question:
    """One question over the documents placed in a context, with its computed gold."""

    kind: str
    text: str
    gold: Gold
    derivation: str
    """How the gold was computed, in words, with the intermediate values."""
    facts: dict[str, object]


def day_forms(day: date) -> tuple[str, ...]:
    """Ways a person writes a day: 2025-06-24, June 24, 2025, 24 June 2025, Jun 24 2025."""
    month, short = day.strftime("%B"), day.strftime("%b")
    return (
        day.isoformat(),
        f"{month} {day.day}, {day.year}",
        f"{month} {day.day} {day.year}",
        f"{day.day} {month} {day.year}",
        f"{short} {day.day}, {day.year}",
        f"{short} {day.day} {day.year}",
        f"{day.day} {short} {day.year}",
    )


def unique_top(counts: Counter[str]) -> tuple[str, str | None] | None:
    """The most common key and the runner-up, if the top count is not tied."""
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0], ranked[1][0] if len(ranked) == 2 else None


def pick(rng: random.Random, options: Sequence[Callable[[], Question]]) -> Question | None:
    """One of several question forms, its name recorded as the question's "form"."""
    if not options:
        return None
    make = rng.choice(options)
    question = make()
    return replace(question, facts={"form": make.__name__, **question.facts})


def numeric(value: int) -> Gold:
    return Gold(scorer="numeric", answer=str(value), values=(str(value),))
