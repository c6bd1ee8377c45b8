"""realdocs: questions over real documents that nobody on this project wrote.

The documents are what a Debian machine has or its packages ship: dpkg's log, apt's history,
the Debian changelogs under /usr/share/doc, and the running interpreter's standard library.
Contents vary per machine (package versions, log lines), so no answer is typed anywhere:
each task picks documents, places them in the context, parses that very text back and
computes the gold from it. A source missing on a machine is skipped with a warning and a note
in every task's metadata; the family needs at least three.

A context is a directory-shaped text: files one after another, each under a
`# File: <path>` line (a log cut to fit says which lines it holds). The files a question is
about are kept together; manual pages from section 1 (groff source, read without a formatter)
and the common licenses pad the rest, up to the requested size. No question is asked about
the padding, and it never comes from the source asked about.
"""

from __future__ import annotations

import random
import re
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from recursor.bench import _realdocs_sources as sources
from recursor.bench._realdocs_logs import APT_ASKERS, DPKG_ASKERS
from recursor.bench._realdocs_sources import Doc, Question
from recursor.bench._realdocs_texts import CHANGELOG_ASKERS, STDLIB_ASKERS
from recursor.bench._task import Task, target_chars, task_id, task_rng
from recursor.errors import UserError

__all__ = [
    "KINDS",
    "MIN_SOURCES",
    "SOURCES",
    "Source",
    "available_sources",
    "block",
    "context_files",
    "make_task",
]

MIN_SOURCES = 3
KINDS = ("lookup", "count", "argmax", "date_range", "code_fact", "two_step")
"""Every question kind; each source asks the kinds its text supports."""

Asker = Callable[[random.Random, Sequence[Doc]], Question | None]
Selector = Callable[[random.Random, Sequence[Doc], int], list[Doc]]

_INTRO = (
    "The context is a set of real files from a Debian machine; each file starts with a line "
    "`# File: <path>`.\n\n"
)
_FORMATS = {
    "numeric": "Answer with a number.",
    "version": "Answer with the version string exactly as it is written in the file.",
    "term": "Answer with just the name or value asked for.",
}


def block(doc: Doc) -> str:
    """How one document appears in a context."""
    return f"# File: {doc.path}\n{doc.text}\n"


def _has_header_line(doc: Doc) -> bool:
    return doc.text.startswith("# File:") or "\n# File:" in doc.text


def _whole_files(rng: random.Random, docs: Sequence[Doc], chars: int) -> list[Doc]:
    """Whole files in seeded order, each added if it still fits; sorted by path at the end."""
    chosen, remaining = [], chars
    candidates = [d for d in docs if not _has_header_line(d)]
    rng.shuffle(candidates)
    for doc in candidates:
        if len(block(doc)) <= remaining:
            chosen.append(doc)
            remaining -= len(block(doc))
            if remaining < 200:
                break
    return sorted(chosen, key=lambda d: d.path)


def _units(text: str, paragraphs: bool) -> list[str]:
    """Lines, or blank-line-separated paragraphs (each keeping the blank lines after it)."""
    lines = text.splitlines(keepends=True)
    if not paragraphs:
        return lines
    units: list[str] = []
    current, after_blank = "", False
    for line in lines:
        if line.strip() and after_blank:
            units.append(current)
            current, after_blank = "", False
        current += line
        after_blank = after_blank or not line.strip()
    if current:
        units.append(current)
    return units


def _log_window(paragraphs: bool) -> Selector:
    """A selector taking logs whole if they fit, else a seeded run of consecutive lines (or
    paragraphs) across the rotated files, each piece headed with the lines it holds."""

    def select(rng: random.Random, docs: Sequence[Doc], chars: int) -> list[Doc]:
        if sum(len(block(d)) for d in docs) <= chars:
            return list(docs)
        units = [(i, u) for i, d in enumerate(docs) for u in _units(d.text, paragraphs)]
        # Room for each file's header with its " (lines a-b)" note.
        overhead = sum(len(block(Doc(f"{d.path} (lines 1000000-1000000)", ""))) for d in docs)
        budget = chars - overhead
        mean = sum(len(u) for _, u in units) / len(units)
        start = rng.randrange(max(1, len(units) - int(budget / mean) + 1))
        lo = hi = start
        used = 0
        while hi < len(units) and used + len(units[hi][1]) <= budget:
            used += len(units[hi][1])
            hi += 1
        while lo > 0 and used + len(units[lo - 1][1]) <= budget:
            lo -= 1
            used += len(units[lo][1])
        return _pieces(docs, units, lo, hi)

    return select


def _pieces(docs: Sequence[Doc], units: list[tuple[int, str]], lo: int, hi: int) -> list[Doc]:
    out = []
    for i, doc in enumerate(docs):
        before = [u for j, (d, u) in enumerate(units) if d == i and j < lo]
        taken = [u for j, (d, u) in enumerate(units) if d == i and lo <= j < hi]
        if not taken:
            continue
        first = sum(u.count("\n") for u in before) + 1
        last = first + sum(u.count("\n") for u in taken) - 1
        whole = len(taken) == sum(d == i for d, _ in units)
        path = doc.path if whole else f"{doc.path} (lines {first}-{last})"
        out.append(Doc(path, "".join(taken)))
    return out


@dataclass(frozen=True, slots=True)
class Source:
    """Real documents of one kind, how to pick some for a context, and what to ask of them."""

    name: str
    where: str
    load: Callable[[], tuple[Doc, ...]]
    select: Selector
    askers: dict[str, Asker]


SOURCES: dict[str, Source] = {
    "dpkg": Source(
        "dpkg",
        "/var/log/dpkg.log (and rotated dpkg.log.N[.gz])",
        sources.dpkg_docs,
        _log_window(paragraphs=False),
        DPKG_ASKERS,
    ),
    "apt_history": Source(
        "apt_history",
        "/var/log/apt/history.log (and rotated history.log.N[.gz])",
        sources.apt_history_docs,
        _log_window(paragraphs=True),
        APT_ASKERS,
    ),
    "changelogs": Source(
        "changelogs",
        "/usr/share/doc/*/changelog.Debian.gz",
        sources.changelog_docs,
        _whole_files,
        CHANGELOG_ASKERS,
    ),
    "stdlib": Source(
        "stdlib",
        "the running interpreter's standard library source",
        sources.stdlib_docs,
        _whole_files,
        STDLIB_ASKERS,
    ),
}
"""Question sources, in the order tasks rotate through them."""

_WARNED: set[tuple[str, str]] = set()


def available_sources() -> tuple[list[Source], dict[str, str]]:
    """The sources with usable documents on this machine, and why each other one is skipped."""
    found, skipped = [], {}
    for source in SOURCES.values():
        if source.load():
            found.append(source)
        else:
            skipped[source.name] = f"no readable ASCII file at {source.where}"
    return found, skipped


def _plan(found: Sequence[Source]) -> list[tuple[Source, str]]:
    """(source, kind) pairs, round-robin over sources so consecutive tasks differ in both; a
    source with fewer kinds cycles through them again, so every source gets as many tasks."""
    ranks = max(len(source.askers) for source in found)
    plan = []
    for rank in range(ranks):
        for source in found:
            kinds = [k for k in KINDS if k in source.askers]
            plan.append((source, kinds[rank % len(kinds)]))
    return plan


def _filler_docs(rng: random.Random, primary: Source) -> Iterator[Doc]:
    """Padding in seeded order: manual pages, then the common licenses, then the other text
    sources' files (never logs, never the source asked about)."""
    paths = list(sources.filler_paths())
    rng.shuffle(paths)
    for path in paths:
        if (doc := sources.man_doc(path)) is not None:
            yield doc
    licenses = list(sources.license_docs())
    rng.shuffle(licenses)
    yield from licenses
    for name in ("changelogs", "stdlib"):
        if name != primary.name:
            more = list(SOURCES[name].load())
            rng.shuffle(more)
            yield from more


def _cut(doc: Doc, room: int) -> Doc | None:
    """The longest run of whole first lines of `doc` that fits in `room` with its header."""
    head = Doc(f"{doc.path} (first lines)", "")
    space = room - len(block(head))
    if space <= 0:
        return None
    end = doc.text.rfind("\n", 0, space) + 1
    return Doc(head.path, doc.text[:end]) if end > 0 else None


def _pad(rng: random.Random, primary: Source, room: int) -> list[Doc]:
    out: list[Doc] = []
    for doc in _filler_docs(rng, primary):
        if room < 100:
            break
        if _has_header_line(doc):
            continue
        if len(block(doc)) <= room:
            out.append(doc)
            room -= len(block(doc))
        elif (piece := _cut(doc, room)) is not None:
            # Padding goes on while room is left: a file cut before a long line leaves some.
            out.append(piece)
            room -= len(block(piece))
    return out


def _question(
    rng: random.Random, plan: Sequence[tuple[Source, str]], chars: int, index: int
) -> tuple[Source, Question, list[Doc]]:
    for step in range(len(plan)):
        source, kind = plan[(index + step) % len(plan)]
        docs = source.select(rng, source.load(), chars)
        asker = source.askers[kind]
        if docs and (question := asker(rng, docs)) is not None:
            form = question.facts.get("form") or asker.__name__.lstrip("_")
            return source, replace(question, facts={**question.facts, "form": form}), docs
    raise UserError(f"realdocs cannot ask any question within {chars} characters")


def _warn(skipped: dict[str, str]) -> None:
    for name, why in skipped.items():
        if (name, why) not in _WARNED:
            _WARNED.add((name, why))
            warnings.warn(f"realdocs: skipping source {name}: {why}", stacklevel=3)


def make_task(*, length_tokens: int, seed: int, index: int) -> Task:
    """Task number `index`: a question of the (source, kind) its index rotates to, over
    documents of that source padded with unrelated real text to `length_tokens`."""
    chars = target_chars(length_tokens)
    found, skipped = available_sources()
    _warn(skipped)
    if len(found) < MIN_SOURCES:
        notes = "; ".join(f"{name}: {why}" for name, why in skipped.items())
        raise UserError(
            f"realdocs needs at least {MIN_SOURCES} document sources and this machine has "
            f"{len(found)} ({', '.join(s.name for s in found) or 'none'}); skipped: {notes}"
        )
    rng = task_rng("realdocs", length_tokens=length_tokens, seed=seed, index=index)
    source, question, docs = _question(rng, _plan(found), chars, index)
    primary = "".join(block(d) for d in docs)
    filler = _pad(rng, source, chars - len(primary))
    at = rng.randint(0, len(filler))
    context = "".join(block(d) for d in filler[:at]) + primary
    context += "".join(block(d) for d in filler[at:])
    text = f"{_INTRO}{question.text}\n\n{_FORMATS[question.gold.scorer]}"
    return Task(
        id=task_id("realdocs", length_tokens=length_tokens, seed=seed, index=index),
        family="realdocs",
        context=context,
        question=text,
        gold=question.gold,
        length_tokens=length_tokens,
        meta={
            "kind": question.kind,
            "source": source.name,
            "derivation": question.derivation,
            "files": [d.path for d in docs],
            "filler_files": len(filler),
            "skipped_sources": dict(skipped),
            **question.facts,
        },
    )


def context_files(context: str) -> dict[str, str]:
    """A context split back into path -> text (the inverse of joining `block`s)."""
    files = {}
    for part in re.split(r"^# File: ", context, flags=re.MULTILINE)[1:]:
        path, _, text = part.partition("\n")
        files[path] = text[:-1] if text.endswith("\n") else text
    return files
