"""realdocs questions over shipped texts: Debian changelogs and the Python standard library.

Changelog entries are parsed with the Debian policy's two line shapes (the `pkg (version)
dist; urgency=...` header and the ` -- Name <email>  date` trailer); code facts come from
`ast`. Every gold is computed from the documents placed in the context.
"""

from __future__ import annotations

import ast
import random
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_to_datetime
from pathlib import PurePosixPath

from recursor.bench._realdocs_sources import Doc, Question, numeric, pick, unique_top
from recursor.bench._task import Gold
from recursor.protocol import UNPARSED

__all__ = [
    "CHANGELOG_ASKERS",
    "STDLIB_ASKERS",
    "Entry",
    "ModuleFacts",
    "module_facts",
    "module_name",
    "parse_changelog",
]

_HEADER = re.compile(r"^(\S+) \(([^()\s]+)\) [^;]+;.*$")
_TRAILER = re.compile(r"^ -- (.+?) <([^<>]*)>\s+(\S.*)$")


@dataclass(frozen=True, slots=True)
class Entry:
    """One changelog entry: the version in its header, its signer and the date it was signed."""

    version: str
    signer: str
    email: str
    day: date


def parse_changelog(text: str) -> list[Entry] | None:
    """The entries, newest first, or None if any header lacks a well-formed trailer (such a
    file is left in the context but never asked about)."""
    entries: list[Entry] = []
    version: str | None = None
    for line in text.splitlines():
        if (m := _HEADER.match(line)) is not None:
            if version is not None:
                return None
            version = m[2]
        elif (m := _TRAILER.match(line)) is not None:
            if version is None:
                return None
            try:
                day = parsedate_to_datetime(m[3]).date()
            except (TypeError, ValueError, IndexError):
                return None
            entries.append(Entry(version, " ".join(m[1].split()), m[2], day))
            version = None
    return entries if entries and version is None else None


def _package(doc: Doc) -> str:
    """The package a changelog ships with: its /usr/share/doc/<package> folder."""
    return PurePosixPath(doc.path).parent.name


def _parsed(docs: Sequence[Doc]) -> list[tuple[str, list[Entry]]]:
    out = []
    for doc in docs:
        entries = parse_changelog(doc.text)
        if entries is not None:
            out.append((_package(doc), entries))
    return out


def _signer_gold(entry: Entry, runner_up: str | None = None) -> Gold:
    return Gold(
        scorer="term",
        answer=entry.signer,
        values=tuple(dict.fromkeys((entry.signer, entry.email, _bare_name(entry.signer)))),
        distractors=(runner_up,) if runner_up else (),
    )


def _bare_name(signer: str) -> str:
    """The signer's name without a trailing handle in brackets: "Laszlo Boszormenyi (GCS)"
    is answered right as "Laszlo Boszormenyi" (the handle is how the maintainer signs, not
    part of the name). A name that is only the handle stays whole."""
    bare = re.sub(r"\s*\([^()]*\)\s*$", "", signer)
    return bare if len(bare.split()) >= 2 else signer


def _changelog_lookup(rng: random.Random, docs: Sequence[Doc]) -> Question | None:
    choices = []
    for package, entries in _parsed(docs):
        versions = Counter(e.version for e in entries)
        choices += [(package, e) for e in entries if versions[e.version] == 1]
    if not choices:
        return None
    package, entry = rng.choice(choices)
    text = rng.choice(
        (
            "Who signed off the {version} upload of {package}, according to its Debian "
            "changelog?",
            "In the Debian changelog shipped with {package}, whose name is on the entry for "
            "version {version}?",
            "Which maintainer released version {version} of the Debian package {package}?",
        )
    ).format(package=package, version=entry.version)
    return Question(
        "lookup",
        text,
        _signer_gold(entry),
        f"trailer of the '({entry.version})' entry of {package}'s changelog: {entry.signer}",
        {"package": package, "version": entry.version},
    )


def _changelog_count(rng: random.Random, docs: Sequence[Doc]) -> Question | None:
    parsed = [(p, e) for p, e in _parsed(docs) if len(e) > 1]
    if not parsed:
        return None
    package, entries = rng.choice(parsed)
    signers = Counter(e.signer for e in entries)
    if len(signers) > 1 and rng.random() < 0.5:
        signer = rng.choice(sorted(signers))
        text = rng.choice(
            (
                "How many entries in the Debian changelog of {package} were signed by "
                "{signer}?",
                "How many {package} uploads did {signer} make, going by its changelog?",
            )
        ).format(package=package, signer=signer)
        return Question(
            "count",
            text,
            numeric(signers[signer]),
            f"trailers naming {signer} in {package}'s changelog: {signers[signer]}",
            {"form": "entries_by_signer", "package": package, "signer": signer},
        )
    text = rng.choice(
        (
            "How many entries does the Debian changelog of {package} have?",
            "How many versions of {package} are recorded in the changelog it ships with?",
        )
    ).format(package=package)
    return Question(
        "count",
        text,
        numeric(len(entries)),
        f"entries (header + trailer) in {package}'s changelog: {len(entries)}",
        {"form": "entries", "package": package},
    )


def _changelog_argmax(rng: random.Random, docs: Sequence[Doc]) -> Question | None:
    parsed = _parsed(docs)
    options: list[Callable[[], Question]] = []
    tops = []
    for package, entries in parsed:
        signers = Counter(e.signer for e in entries)
        if len(signers) > 1 and (top := unique_top(signers)) is not None:
            tops.append((package, entries, signers, top))
    if tops:

        def busiest_signer() -> Question:
            package, entries, signers, (best, second) = rng.choice(tops)
            entry = next(e for e in entries if e.signer == best)
            text = rng.choice(
                (
                    "Who signed the most entries in the Debian changelog of {package}?",
                    "Which person appears most often as the signer of {package}'s changelog "
                    "entries?",
                )
            ).format(package=package)
            return Question(
                "argmax",
                text,
                _signer_gold(entry, second),
                f"trailers per signer in {package}'s changelog: {best} {signers[best]}, "
                f"next {second} {signers[second] if second else 0}",
                {"package": package},
            )

        options.append(busiest_signer)
    lengths = Counter({package: len(entries) for package, entries in parsed})
    if len(parsed) == len(docs) and len(lengths) > 1 and (top := unique_top(lengths)):
        # Only when every changelog in the context parses: a malformed one might be longest.
        best_package, second_package = top

        def longest() -> Question:
            text = rng.choice(
                (
                    "Which package's Debian changelog here has the most entries?",
                    "Of the changelogs in this collection, which package's records the largest "
                    "number of versions?",
                )
            )
            return Question(
                "argmax",
                text,
                Gold(
                    scorer="term",
                    answer=best_package,
                    values=(best_package,),
                    distractors=(second_package,) if second_package else (),
                ),
                f"entries per changelog: {best_package} {lengths[best_package]}"
                + (f", next {second_package} {lengths[second_package]}" if second_package else ""),
                {"package": best_package},
            )

        options.append(longest)
    return pick(rng, options)


def _changelog_range(rng: random.Random, docs: Sequence[Doc]) -> Question | None:
    parsed = [(p, e) for p, e in _parsed(docs) if len({x.day.year for x in e}) >= 3]
    if not parsed:
        return None
    package, entries = rng.choice(parsed)
    years = sorted({e.day.year for e in entries})
    first, last = sorted(rng.sample(years, 2))
    found = sum(first <= e.day.year <= last for e in entries)
    if first == last - 1 or rng.random() < 0.5:
        text = rng.choice(
            (
                "How many entries of the Debian changelog of {package} are dated between "
                "{a} and {b}, both years included?",
                "How many {package} uploads were made from {a} through {b}, going by its "
                "changelog?",
            )
        ).format(package=package, a=first, b=last)
    else:
        text = f"How many {package} changelog entries were signed in the years {first} to {last}?"
    return Question(
        "date_range",
        text,
        numeric(found),
        f"entries of {package}'s changelog whose trailer date is in {first}-{last}: {found}",
        {"package": package, "span": f"{first}-{last}"},
    )


def _changelog_two_step(rng: random.Random, docs: Sequence[Doc]) -> Question | None:
    parsed = _parsed(docs)
    newest = Counter(entries[0].version for _, entries in parsed)
    in_any = Counter(e.version for _, entries in parsed for e in entries)
    choices = [
        (p, e) for p, e in parsed if newest[e[0].version] == 1 and in_any[e[0].version] == 1
    ]
    if not choices:
        return None
    package, entries = rng.choice(choices)
    # Every trailer counts, also those of changelogs that are never asked about.
    signers = Counter(
        " ".join(m[1].split())
        for doc in docs
        for line in doc.text.splitlines()
        if (m := _TRAILER.match(line)) is not None
    )
    if rng.random() < 0.5:
        oldest = entries[-1]
        text = rng.choice(
            (
                "Whose name is on the oldest entry of the changelog of the package whose "
                "latest version is {version}?",
                "One of these packages is currently at version {version}. Who signed the "
                "very first entry in its changelog?",
            )
        ).format(version=entries[0].version)
        return Question(
            "two_step",
            text,
            _signer_gold(oldest),
            f"{package}'s changelog starts at {entries[0].version}; its last entry "
            f"({oldest.version}) is signed by {oldest.signer}",
            {"form": "oldest_signer", "package": package, "version": entries[0].version},
        )
    latest = entries[0]
    text = rng.choice(
        (
            "Take the package whose version is {version} and the person who signed the "
            "latest entry of its changelog. How many entries across all the changelogs here "
            "did that person sign?",
            "Find the person who uploaded version {version}. How many changelog entries in "
            "this whole collection carry their name?",
        )
    ).format(version=latest.version)
    return Question(
        "two_step",
        text,
        numeric(signers[latest.signer]),
        f"version {latest.version} heads {package}'s changelog, signed by {latest.signer}, "
        f"whose name is on {signers[latest.signer]} ' -- ' trailer lines of all the changelogs",
        {
            "form": "signer_total",
            "package": package,
            "version": latest.version,
            "signer": latest.signer,
        },
    )


CHANGELOG_ASKERS: dict[str, Callable[[random.Random, Sequence[Doc]], Question | None]] = {
    "lookup": _changelog_lookup,
    "count": _changelog_count,
    "argmax": _changelog_argmax,
    "date_range": _changelog_range,
    "two_step": _changelog_two_step,
}


# --- standard library ----------------------------------------------------------------------


def module_name(path: str) -> str:
    """json/decoder.py -> json.decoder; json/__init__.py -> json."""
    parts = path.removesuffix(".py").split("/")
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


@dataclass(frozen=True, slots=True)
class ModuleFacts:
    path: str
    classes: frozenset[str]
    """Every class name the module defines, at any depth."""
    top_classes: int
    top_functions: int | None
    """`def`/`async def` statements directly in the module body; None if a textual count
    (lines starting "def " or "async def ") disagrees, so the question would be ambiguous."""
    defaults: tuple[tuple[str, str, str], ...]
    """(function, parameter, default as source) for simple defaults of module-level
    functions whose name is defined once in the file."""


_SIMPLE_DEFAULT = (ast.Constant, ast.Name, ast.Attribute, ast.UnaryOp)


def module_facts(doc: Doc) -> ModuleFacts | None:
    try:
        tree = ast.parse(doc.text)
    except UNPARSED:
        return None
    every_def = Counter(
        n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
    )
    top = [n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    textual = len(re.findall(r"^(?:async )?def ", doc.text, re.MULTILINE))
    defaults = []
    for func in top:
        if every_def[func.name] != 1:
            continue
        args = func.args
        positional = [*args.posonlyargs, *args.args]
        with_default = positional[len(positional) - len(args.defaults) :]
        pairs = list(zip(with_default, args.defaults, strict=True))
        pairs += [
            (a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None
        ]
        for arg, default in pairs:
            source = ast.unparse(default)
            if isinstance(default, _SIMPLE_DEFAULT) and len(source) <= 30:
                defaults.append((func.name, arg.arg, source))
    return ModuleFacts(
        path=doc.path,
        classes=frozenset(n.name for n in ast.walk(tree) if isinstance(n, ast.ClassDef)),
        top_classes=sum(isinstance(n, ast.ClassDef) for n in tree.body),
        top_functions=len(top) if len(top) == textual else None,
        defaults=tuple(defaults),
    )


def _facts(docs: Sequence[Doc]) -> list[ModuleFacts]:
    return [f for d in docs if (f := module_facts(d)) is not None]


def _module_ref(rng: random.Random, path: str) -> str:
    return f"`{module_name(path)}`" if rng.random() < 0.5 else f"`{path}`"


def _module_gold(path: str, runner_up: str | None = None) -> Gold:
    return Gold(
        scorer="term",
        answer=module_name(path),
        values=(module_name(path), path),
        distractors=(module_name(runner_up), runner_up) if runner_up else (),
    )


def _unique_classes(facts: Sequence[ModuleFacts], texts: Sequence[Doc]) -> list[tuple[str, str]]:
    """(class, path) for class names defined in exactly one module and in no other file's
    text at all, so no other module can look like an answer."""
    count = Counter(name for f in facts for name in f.classes)
    out = []
    for f in facts:
        for name in sorted(f.classes):
            if count[name] != 1 or len(name) < 4:
                continue
            pattern = re.compile(rf"\bclass\s+{re.escape(name)}\b")
            if sum(bool(pattern.search(d.text)) for d in texts) == 1:
                out.append((name, f.path))
    return out


def _stdlib_fact(rng: random.Random, docs: Sequence[Doc]) -> Question | None:
    facts = _facts(docs)
    options: list[Callable[[], Question]] = []
    with_defaults = [f for f in facts if f.defaults]
    if with_defaults:

        def default() -> Question:
            f = rng.choice(with_defaults)
            func, param, source = rng.choice(f.defaults)
            text = rng.choice(
                (
                    "What is the default value of the `{param}` parameter of function "
                    "`{func}` in {module}?",
                    "If you call `{func}` from {module} without passing `{param}`, what value "
                    "does `{param}` get?",
                    "In {module}, what does `{func}` use for `{param}` when the caller leaves "
                    "it out?",
                )
            ).format(param=param, func=func, module=_module_ref(rng, f.path))
            values = [source]
            try:
                literal = ast.literal_eval(source)
            except (ValueError, SyntaxError):
                literal = None
            if isinstance(literal, str) and literal.strip():
                values.append(literal)
            return Question(
                "code_fact",
                text,
                Gold(scorer="term", answer=source, values=tuple(values)),
                f"ast: default of parameter {param} of module-level def {func} in {f.path} is "
                f"{source}",
                {"path": f.path, "function": func, "parameter": param},
            )

        options.append(default)
    classes = _unique_classes(facts, docs)
    if classes:

        def defines() -> Question:
            name, path = rng.choice(classes)
            text = rng.choice(
                (
                    "Which module in this tree defines the class `{name}`?",
                    "Where is `{name}` defined? Name the module.",
                )
            ).format(name=name)
            return Question(
                "code_fact",
                text,
                _module_gold(path),
                f"ast: the only ClassDef named {name} among the modules is in {path}",
                {"path": path, "class": name},
            )

        options.append(defines)
    counted = [f for f in facts if f.top_functions is not None]
    if counted:

        def top_functions() -> Question:
            f = rng.choice(counted)
            text = rng.choice(
                (
                    "How many functions does {module} define at top level?",
                    "Not counting methods or nested functions, how many functions are "
                    "defined in {module}?",
                )
            ).format(module=_module_ref(rng, f.path))
            return Question(
                "code_fact",
                text,
                numeric(f.top_functions or 0),
                f"ast: def/async def statements in the module body of {f.path}: "
                f"{f.top_functions} (a regex over lines agrees)",
                {"path": f.path},
            )

        options.append(top_functions)
    return pick(rng, options)


def _stdlib_argmax(rng: random.Random, docs: Sequence[Doc]) -> Question | None:
    facts = _facts(docs)
    if len(facts) != len(docs) or len(facts) < 2:
        return None  # a module that does not parse might be the answer
    counts = Counter({f.path: f.top_classes for f in facts})
    top = unique_top(counts)
    if top is None or counts[top[0]] == 0:
        return None
    best, second = top
    text = rng.choice(
        (
            "Which module in this context defines the most classes at module level?",
            "Counting only top-level class statements, which of these modules has the most "
            "classes?",
        )
    )
    return Question(
        "argmax",
        text,
        _module_gold(best, second),
        f"ast: top-level ClassDefs per module: {best} {counts[best]}"
        + (f", next {second} {counts[second]}" if second else ""),
        {"path": best},
    )


def _stdlib_two_step(rng: random.Random, docs: Sequence[Doc]) -> Question | None:
    facts = {f.path: f for f in _facts(docs)}
    classes = [
        (name, path)
        for name, path in _unique_classes(list(facts.values()), docs)
        if facts[path].top_functions  # None (ambiguous) or 0 (a dull second step) are left out
    ]
    if not classes:
        return None
    name, path = rng.choice(classes)
    count = facts[path].top_functions or 0
    text = rng.choice(
        (
            "The class `{name}` is defined in one of these modules. How many top-level "
            "functions does that module define?",
            "Find the module that defines `{name}`; how many module-level functions (not "
            "methods) does it have?",
        )
    ).format(name=name)
    return Question(
        "two_step",
        text,
        numeric(count),
        f"ast: {name} is defined in {path}, whose module body has {count} def statements",
        {"path": path, "class": name},
    )


STDLIB_ASKERS: dict[str, Callable[[random.Random, Sequence[Doc]], Question | None]] = {
    "code_fact": _stdlib_fact,
    "argmax": _stdlib_argmax,
    "two_step": _stdlib_two_step,
}
