"""CodeQA style: multiple-choice questions about a real code base that no one here wrote.

The code base is the running interpreter's standard library. A seeded subset of its modules,
each under a `# File: <path>` header, fills the context; every question is about files in
that context, and its answer comes from static analysis with `ast`, so the gold is exact.
Only names that are unambiguous in their file are asked about, and the three wrong options
are checked to be wrong.
"""

from __future__ import annotations

import ast
import functools
import random
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeAlias

from recursor.bench._haystack import SourceFile, stdlib_files, stdlib_version
from recursor.bench._task import CHARS_PER_TOKEN, Gold, Task, target_chars, task_id, task_rng
from recursor.errors import UserError
from recursor.protocol import UNPARSED

__all__ = [
    "QUESTION_KINDS",
    "ClassFacts",
    "FileFacts",
    "file_facts",
    "make_task",
    "max_length_tokens",
]

LETTERS = "ABCD"

_INTRO = (
    "The context is Python standard library source code; each file starts with a line "
    "`# File: <path>`.\n\n"
)
_ANSWER_FORMAT = "\n\nAnswer with the letter of the correct option."


@dataclass(frozen=True, slots=True)
class ClassFacts:
    """A class whose name occurs once in its file, and the `def`s directly in its body."""

    name: str
    methods: tuple[str, ...]
    bound: frozenset[str]
    """Every name the class body binds, also by assignment or inside `if`/`try` blocks: a
    class that binds a name in any of these ways is never offered as a wrong option."""


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What the questions need to know about one file, from its syntax tree."""

    path: str
    functions: dict[str, int]
    """Module-level functions whose name no other `def` in the file uses -> parameter count."""
    classes: dict[str, ClassFacts]
    decorated: int
    """`def`s at any depth (functions and methods) with at least one decorator."""
    imports: frozenset[str]
    """Modules named by absolute import statements anywhere in the file."""
    relative_imports: frozenset[str]
    """Modules named by relative imports, resolved against the file's package."""


def _parameters(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    args = node.args
    return (
        len(args.posonlyargs)
        + len(args.args)
        + len(args.kwonlyargs)
        + (args.vararg is not None)
        + (args.kwarg is not None)
    )


def _bound_in_class(node: ast.ClassDef) -> frozenset[str]:
    """Names bound by the class body's own statements, not by nested functions or classes."""
    bound: set[str] = set()
    pending: list[ast.AST] = list(node.body)
    while pending:
        stmt = pending.pop()
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(stmt.name)
            continue
        if isinstance(stmt, ast.Name) and isinstance(stmt.ctx, ast.Store):
            bound.add(stmt.id)
        pending.extend(ast.iter_child_nodes(stmt))
    return frozenset(bound)


def _absolute(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    return [node.module] if node.level == 0 and node.module else []


def _relative(node: ast.Import | ast.ImportFrom, path: str) -> list[str]:
    if isinstance(node, ast.Import) or node.level == 0:
        return []
    package = path.split("/")[:-1]
    base = package[: len(package) - (node.level - 1)] if node.level - 1 <= len(package) else []
    if not base and not node.module:
        return []
    return [".".join([*base, *([node.module] if node.module else [])])]


@functools.cache
def _sources() -> dict[str, SourceFile]:
    return {f.path: f for f in stdlib_files()}


@functools.cache
def file_facts(path: str) -> FileFacts | None:
    """The facts of one stdlib file (by its relative path), or None if it does not parse."""
    try:
        tree = ast.parse(_sources()[path].text)
    except UNPARSED:
        return None
    defs = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    def_names = Counter(n.name for n in defs)
    class_nodes = [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    class_names = Counter(n.name for n in class_nodes)
    import_nodes = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    return FileFacts(
        path=path,
        functions={
            n.name: _parameters(n)
            for n in tree.body
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and def_names[n.name] == 1
        },
        classes={
            n.name: ClassFacts(
                n.name,
                tuple(
                    m.name for m in n.body if isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef)
                ),
                _bound_in_class(n),
            )
            for n in class_nodes
            if class_names[n.name] == 1
        },
        decorated=sum(1 for n in defs if n.decorator_list),
        imports=frozenset(name for n in import_nodes for name in _absolute(n)),
        relative_imports=frozenset(name for n in import_nodes for name in _relative(n, path)),
    )


def _block(source: SourceFile) -> str:
    text = source.text if source.text.endswith("\n") else source.text + "\n"
    return f"# File: {source.path}\n{text}\n"


@functools.cache
def _candidates() -> tuple[SourceFile, ...]:
    """Files that can go in a context: one (turtledemo/chaos.py) has a "# File:" line of its
    own, which would blur where files begin."""
    return tuple(
        f for f in stdlib_files() if not f.text.startswith("# File:") and "\n# File:" not in f.text
    )


@functools.cache
def max_length_tokens() -> int:
    """The longest context the standard library can fill; longer requests are refused."""
    return sum(len(_block(f)) for f in _candidates()) // CHARS_PER_TOKEN


def _select(rng: random.Random, chars: int) -> list[SourceFile]:
    """Whole files, in seeded order, each added if it still fits; sorted by path at the end."""
    chosen, remaining = [], chars
    candidates = list(_candidates())
    rng.shuffle(candidates)
    for source in candidates:
        size = len(_block(source))
        if size <= remaining and file_facts(source.path) is not None:
            chosen.append(source)
            remaining -= size
            if remaining < 200:
                break
    return sorted(chosen, key=lambda f: f.path)


_Asked: TypeAlias = tuple[str, int, list[str], dict[str, object]] | None
"""(question, index of the right option, four options, meta), or None if the context lacks
what this kind of question needs."""


def _numbers(rng: random.Random, gold: int) -> tuple[int, list[str]]:
    """Four consecutive counts in order, the gold at a seeded place (never below zero)."""
    place = rng.randint(0, min(3, gold))
    return place, [str(gold - place + k) for k in range(4)]


def _options(rng: random.Random, right: str, wrong: Sequence[str]) -> tuple[int, list[str]]:
    options = [right, *rng.sample(list(wrong), 3)]
    rng.shuffle(options)
    return options.index(right), options


def _ask_parameters(rng: random.Random, files: Sequence[FileFacts]) -> _Asked:
    for facts in rng.sample(list(files), len(files)):
        funcs = facts.functions
        targets = [f for f in funcs if sum(n != funcs[f] for n in funcs.values()) >= 3]
        if not targets:
            continue
        target = rng.choice(sorted(targets))
        n = funcs[target]
        wrong = sorted(f for f in funcs if funcs[f] != n)
        right, options = _options(rng, target, wrong)
        question = (
            f"Which of these module-level functions in `{facts.path}` takes exactly {n} "
            f"parameter{'s' if n != 1 else ''}, counting every parameter in its signature "
            "(including *args and **kwargs)?"
        )
        return question, right, [f"`{o}`" for o in options], {"path": facts.path}
    return None


def _ask_method(rng: random.Random, files: Sequence[FileFacts]) -> _Asked:
    classes = [(f.path, c) for f in files for c in f.classes.values()]
    for path, cls in rng.sample(classes, len(classes)):
        names = sorted({m for m in cls.methods if not m.startswith("__")})
        if not names:
            continue
        method = rng.choice(names)
        wrong = [f"`{c.name}` in `{p}`" for p, c in classes if method not in c.bound]
        if len(wrong) < 3:
            continue
        right, options = _options(rng, f"`{cls.name}` in `{path}`", wrong)
        question = f"Which of these classes defines a method named `{method}` in its own body?"
        return question, right, options, {"path": path, "class": cls.name}
    return None


def _ask_decorated(rng: random.Random, files: Sequence[FileFacts]) -> _Asked:
    # Only counts of 3 or more are asked, so the gold can take any of the four places;
    # with a count of 0 the gold would always be "A".
    some = [f for f in files if f.decorated >= 3]
    if not some:
        return None
    facts = rng.choice(some)
    right, options = _numbers(rng, facts.decorated)
    question = (
        f"How many functions and methods in `{facts.path}`, at any nesting level, have at "
        "least one decorator?"
    )
    return question, right, options, {"path": facts.path}


def _ask_import(rng: random.Random, files: Sequence[FileFacts]) -> _Asked:
    for facts in rng.sample(list(files), len(files)):
        if not facts.imports:
            continue
        module = rng.choice(sorted(facts.imports))
        top = module.partition(".")[0]
        # Also textually: an import inside a string (idlelib/runscript.py has one) must not
        # make a "wrong" option look right to a reader.
        mention = re.compile(rf"\b(import|from)\s+{re.escape(top)}\b")
        wrong = [
            f"`{f.path}`"
            for f in files
            if all(name.partition(".")[0] != top for name in f.imports | f.relative_imports)
            and not mention.search(_sources()[f.path].text)
        ]
        if len(wrong) < 3:
            continue
        right, options = _options(rng, f"`{facts.path}`", wrong)
        question = (
            f"Which of these files imports the module `{module}` (with `import {module}` or "
            f"`from {module} import ...`)?"
        )
        return question, right, options, {"path": facts.path, "module": module}
    return None


def _ask_method_count(rng: random.Random, files: Sequence[FileFacts]) -> _Asked:
    # At least 3, for an unbiased gold place (see _ask_decorated).
    classes = [(f.path, c) for f in files for c in f.classes.values() if len(c.methods) >= 3]
    if not classes:
        return None
    path, cls = rng.choice(classes)
    right, options = _numbers(rng, len(cls.methods))
    question = (
        f"How many `def` statements are directly in the body of class `{cls.name}` in "
        f"`{path}` (methods of any kind, not counting functions nested inside them)?"
    )
    return question, right, options, {"path": path, "class": cls.name}


QUESTION_KINDS: dict[str, Callable[[random.Random, Sequence[FileFacts]], _Asked]] = {
    "parameters": _ask_parameters,
    "defines_method": _ask_method,
    "decorated_count": _ask_decorated,
    "imports_module": _ask_import,
    "method_count": _ask_method_count,
}
"""Task `index` asks kind `index % 5`, or the next kind the context can support."""


def _ask(
    rng: random.Random, chars: int, index: int
) -> tuple[str, tuple[str, int, list[str], dict[str, object]], list[SourceFile]]:
    """Kind `index % 5` or the next one the files support; small contexts may need a redraw."""
    kinds = list(QUESTION_KINDS)
    for _ in range(20):
        sources = _select(rng, chars)
        files = [facts for s in sources if (facts := file_facts(s.path)) is not None]
        for step in range(len(kinds)):
            kind = kinds[(index + step) % len(kinds)]
            asked = QUESTION_KINDS[kind](rng, files)
            if asked is not None:
                return kind, asked, sources
    raise AssertionError("no question fits 20 draws of files")  # pragma: no cover


def make_task(*, length_tokens: int, seed: int, index: int) -> Task:
    """Task number `index` of the family: a seeded set of modules and one question on them."""
    if length_tokens > max_length_tokens():
        raise UserError(
            f"codeqa cannot fill {length_tokens} tokens: the standard library source holds "
            f"about {max_length_tokens()}"
        )
    rng = task_rng("codeqa", length_tokens=length_tokens, seed=seed, index=index)
    kind, asked, sources = _ask(rng, target_chars(length_tokens), index)
    question, right, options, meta = asked
    listed = "\n".join(
        f"{letter}) {option}" for letter, option in zip(LETTERS, options, strict=True)
    )
    return Task(
        id=task_id("codeqa", length_tokens=length_tokens, seed=seed, index=index),
        family="codeqa",
        context="".join(_block(s) for s in sources),
        question=f"{_INTRO}{question}\n\n{listed}{_ANSWER_FORMAT}",
        # The letter, or the right option's text: a run that names the option ("as_file")
        # answered it, as a reader would judge; the other options' texts score 0.
        gold=Gold(scorer="choice", answer=LETTERS[right], values=(LETTERS[right], options[right]),
                  distractors=tuple(o for i, o in enumerate(options) if i != right)),
        length_tokens=length_tokens,
        meta={
            "kind": kind,
            "files": len(sources),
            "options": options,
            "corpus": stdlib_version(),
            **meta,
        },
    )
