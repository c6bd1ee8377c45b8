"""Modules depend only downward: no import cycle among recursor's modules.

Read from the source with `ast`, so every import counts: at module level, inside functions
(lazy imports are still dependencies) and under `if TYPE_CHECKING:`.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"

# Cycles tolerated for now, each the exact set of modules of one cycle (none today): a new
# cycle, or a known one that grows, fails the test; a listed one that is gone fails it too.
KNOWN_CYCLES: set[frozenset[str]] = set()


def module_files(src: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every module and package under `src`."""
    mods: dict[str, Path] = {}
    for path in sorted(src.rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods[".".join(parts)] = path
    return mods


def import_graph(src: Path) -> dict[str, set[str]]:
    """Module -> the modules of the same tree it imports (a package's own name for its __init__)."""
    mods = module_files(src)
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for mod, path in mods.items():
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                graph[mod].update(a.name for a in node.names if a.name in mods)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    target = node.module or ""
                for alias in node.names:
                    sub = f"{target}.{alias.name}"  # `from pkg import module`
                    if sub in mods:
                        graph[mod].add(sub)
                    elif target in mods:
                        graph[mod].add(target)
        graph[mod].discard(mod)
    return graph


def cycles(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[frozenset[str]] = set()
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.add(frozenset(component))
    return found


def test_no_new_import_cycle() -> None:
    found = cycles(import_graph(SRC))
    new = sorted(sorted(c) for c in found - KNOWN_CYCLES)
    gone = sorted(sorted(c) for c in KNOWN_CYCLES - found)
    assert not new, f"new import cycles (import downward, or move the shared part lower): {new}"
    assert not gone, f"these known cycles are gone: remove them from KNOWN_CYCLES: {gone}"


def test_fixed_cycles_stay_fixed() -> None:
    graph = import_graph(SRC)
    assert "recursor.cli" not in graph["recursor.bench.cli"]
    assert "recursor.prompts_small" not in graph["recursor.prompts"]
    assert "recursor.lm.choice" not in graph["recursor.lm.base"] or "recursor.lm.base" not in graph["recursor.lm.choice"]
    assert "recursor.rlm" not in graph["recursor.trace.config"]


# What reads or writes a trace sits below the engine that runs: `trace/` imports none of these
# (replay and resume, which run `RLM` again, are `recursor.replay` and `recursor.replay_cli`).
_ABOVE_TRACE = ("recursor.rlm", "recursor.session", "recursor.direct", "recursor.subcalls", "recursor.run_repl",
                "recursor.run_tree", "recursor.calls", "recursor.tools", "recursor.progress", "recursor.batch",
                "recursor.replay", "recursor.replay_cli", "recursor.replay_setup", "recursor.cli")


def test_trace_imports_nothing_of_the_engine_above_it() -> None:
    graph = import_graph(SRC)
    upward = {(mod, dep) for mod, deps in graph.items() if mod.startswith("recursor.trace")
              for dep in deps if any(dep == m or dep.startswith(m + ".") for m in _ABOVE_TRACE)}
    assert not upward, f"trace/ imports the engine above it (move the module up, out of trace/): {sorted(upward)}"
    assert "recursor.rlm" in graph["recursor.replay"]  # the check reads lazy imports: replay's RLM is one


def test_graph_sees_every_kind_of_import() -> None:
    graph = import_graph(SRC)
    assert "recursor.protocol" in graph["recursor.rlm"]  # module level
    assert "recursor.bench.cli" in graph["recursor.cli"]  # inside a function
    assert "recursor.prompts_small" in graph["recursor.profiles"]  # `from recursor.prompts_small import ...`
    assert "recursor.lm.base" in graph["recursor.cli_options"]


def test_cycle_finder(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "",
        "a.py": "from pkg import b\n",
        "b.py": "def f():\n    from pkg.sub import c\n",  # a lazy import is still an edge
        "sub/__init__.py": "",
        "sub/c.py": "from .. import a\n",  # relative: pkg.a
        "d.py": "import pkg.a\n",  # imports into the cycle, is not part of it
        "e.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.f import X\n",
        "f.py": "from pkg.e import Y\n",
    }
    for name, text in files.items():
        (pkg / name).write_text(text)
    graph = import_graph(tmp_path)
    assert graph["pkg.sub.c"] == {"pkg.a"}
    assert cycles(graph) == {frozenset({"pkg.a", "pkg.b", "pkg.sub.c"}), frozenset({"pkg.e", "pkg.f"})}
