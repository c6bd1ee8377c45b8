"""`recursor.__all__` is the public API: pinned here, so a change to it is a deliberate one.

As httpx does (tests/test_exported_members.py): the exact list, every public name of the
package in it, each importable and documented.
"""

from __future__ import annotations

import ast
import inspect
import types
from pathlib import Path

import pytest

import recursor

PUBLIC_API = [
    "LM",
    "RLM",
    "BudgetExceeded",
    "ContextError",
    "FunctionLM",
    "LMConnectionError",
    "LMError",
    "LMRequestError",
    "LMResponse",
    "LMServerError",
    "LMTimeoutError",
    "LMTransientError",
    "Limits",
    "MCPTools",
    "Message",
    "ModelUsage",
    "Pricing",
    "Prompts",
    "RateLimitError",
    "RecursorError",
    "Result",
    "SandboxError",
    "SandboxOptions",
    "StopReason",
    "Tool",
    "ToolError",
    "Usage",
    "UsageSummary",
    "UserError",
    "__version__",
]

METADATA = {"__version__"}
"""Dunder metadata: exported, but a plain value with nothing to document."""

UNDOCUMENTED: set[str] = set()
"""Known gaps, in modules owned by other work in progress (none now). Remove a name once it is
documented (a test says so)."""

SRC = Path(recursor.__file__).parent


def test_all_is_pinned() -> None:
    assert recursor.__all__ == PUBLIC_API


def test_all_is_sorted_isort_style() -> None:
    """The order ruff keeps (RUF022): CONSTANTS, then Classes, then other names, each sorted."""

    def key(name: str) -> tuple[int, str]:
        bare = name.strip("_")
        kind = 0 if bare.isupper() and len(bare) > 1 else 1 if bare[:1].isupper() else 2
        return kind, name

    assert sorted(PUBLIC_API, key=key) == PUBLIC_API
    assert len(set(PUBLIC_API)) == len(PUBLIC_API)


def test_every_public_name_is_exported() -> None:
    """Nothing public in the package's namespace is left out of __all__ (submodules aside)."""
    public = {
        name
        for name, value in vars(recursor).items()
        if not isinstance(value, types.ModuleType) and (not name.startswith("_") or name in METADATA)
    }
    assert public == set(PUBLIC_API)


@pytest.mark.parametrize("name", PUBLIC_API)
def test_name_is_importable(name: str) -> None:
    namespace: dict[str, object] = {}
    exec(f"from recursor import {name}", namespace)
    assert namespace[name] is getattr(recursor, name)


def _definition_docstring(name: str) -> str | None:
    """The docstring of `name` where the package imports it from: a class's or function's
    own docstring, or the string line right after an assignment (a type alias)."""
    init = ast.parse((SRC / "__init__.py").read_text(encoding="utf-8"))
    module = next(
        node.module
        for node in init.body
        if isinstance(node, ast.ImportFrom) and node.module and any(a.name == name for a in node.names)
    )
    path = SRC.parent / (module.replace(".", "/") + ".py")
    body = ast.parse(path.read_text(encoding="utf-8")).body
    for i, node in enumerate(body):
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            return ast.get_docstring(node)
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            nxt = body[i + 1] if i + 1 < len(body) else None
            if isinstance(nxt, ast.Expr) and isinstance(nxt.value, ast.Constant) and isinstance(nxt.value.value, str):
                return nxt.value.value
            return None
    raise AssertionError(f"{name} is not defined in {module}")


@pytest.mark.parametrize("name", [n for n in PUBLIC_API if n not in METADATA])
def test_name_is_documented(name: str) -> None:
    doc = _definition_docstring(name)
    if name in UNDOCUMENTED:
        assert not doc, f"{name} is documented now: remove it from UNDOCUMENTED"
        return
    assert doc and doc.strip(), f"recursor.{name} has no docstring"
    obj = getattr(recursor, name)
    if isinstance(obj, type):
        # What help() shows: the class's own docstring, not one a dataclass made up.
        assert obj.__doc__ is not None and inspect.cleandoc(obj.__doc__) == doc


def test_version_is_a_version() -> None:
    parts = recursor.__version__.split(".")
    assert len(parts) == 3 and all(p.isdigit() for p in parts)
