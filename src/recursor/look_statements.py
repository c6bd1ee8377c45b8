"""The first look's ranking of a Python module's functions by the statements of one kind they hold.

Asked "which method of the Arrow class contains the most raise statements?", the 1.5B searched
"raise" and answered the method around the first hit. Which function holds the most `raise`
(`return`, `if`, loop, `try`, `assert`, `yield`) statements is a walk of each function's body
in `ast`, which no search of its lines does: a docstring writes "raise" too, and a statement
spans lines. This ranks the functions the question names (the methods of a class it names,
else every method, else every function) by those statements, and offers the top one when one
leads.

General: Python's own grammar; the kinds of statement are the language's keywords.
"""

from __future__ import annotations

import ast
import re

from recursor.question import MOST, SET_ASIDE

__all__ = ["StatementRank", "asked_statement", "statement_rank"]

_KINDS: dict[str, tuple[type[ast.AST], ...]] = {
    "raise": (ast.Raise,),
    "return": (ast.Return,),
    "yield": (ast.Yield, ast.YieldFrom),
    "assert": (ast.Assert,),
    "if": (ast.If,),
    "try": (ast.Try, *((ast.TryStar,) if hasattr(ast, "TryStar") else ())),
    "with": (ast.With, ast.AsyncWith),
    "loop": (ast.For, ast.AsyncFor, ast.While),
    "for": (ast.For, ast.AsyncFor),
    "while": (ast.While,),
}
"""Each kind a question may name, and the nodes that are one statement (or expression) of it."""
_ASKED = re.compile(
    r"\b(?:most|fewest|least)\s+(?:(?P<kind>raise|return|yield|assert|if|try|with|for|while)\s+"
    r"(?:statements?|blocks?|clauses?|expressions?)|(?P<loops>loops))\b"
    r"|\bmost\s+(?:exceptions?\s+)?(?P<raises>raises)\b", re.IGNORECASE)
""""the most raise statements", "the most loops", "the most raises"."""
_FUNCTIONS = re.compile(r"\b(?:methods?|functions?|def)\b", re.IGNORECASE)
_METHODS = re.compile(r"\bmethods?\b", re.IGNORECASE)
_SET_ASIDE = re.compile(rf"\b(?:{SET_ASIDE}|public|private|async|static|class\s*methods?|properties|property|nested|"
                        r"inner|top[-\s]level|module[-\s]level)\b", re.IGNORECASE)
"""Words that pick some functions out, or set some aside: this ranks them all, so offers nothing."""
_SHOWN = 5

_Def = ast.FunctionDef | ast.AsyncFunctionDef


def asked_statement(asking: str) -> str | None:
    """The kind of statement a question ranks functions by the most of ("raise"), or None."""
    m = _ASKED.search(asking)
    if m is None or not _FUNCTIONS.search(asking) or not MOST.search(asking):
        return None
    if m.group("loops"):
        return "loop"
    return "raise" if m.group("raises") else m.group("kind").lower()


class StatementRank:
    """The rows telling the ranking, and the function offered ("" when none leads or the
    question picks some functions this does not)."""

    __slots__ = ("offered", "rows")

    def __init__(self, rows: list[str], offered: str) -> None:
        self.rows, self.offered = rows, offered


def statement_rank(tree: ast.Module, asking: str) -> StatementRank | None:
    """The functions the question names ranked by the statements of the kind it asks about;
    None when it asks no such ranking or names no function the module defines."""
    kind = asked_statement(asking)
    if kind is None:
        return None
    nodes = _KINDS[kind]
    owner = _owners(tree)
    classes = {c.name: c for c in ast.walk(tree) if isinstance(c, ast.ClassDef)}
    named = [name for name in classes if re.search(rf"(?<![\w.]){re.escape(name)}(?![\w])", asking)]
    if len(named) > 1:
        return None  # methods of two classes: which is asked is not read here
    defs = [f for f in ast.walk(tree) if isinstance(f, _Def)]
    if named:
        scope = f"the methods of class {named[0]}"
        pool = [(f.name, f) for f in defs if owner.get(f) is classes[named[0]]]
    elif _METHODS.search(asking):
        scope = "the methods of its classes"
        pool = [(f"{o.name}.{f.name}", f) for f in defs if isinstance(o := owner.get(f), ast.ClassDef)]
    else:
        scope = "its functions and methods"
        pool = [(f"{o.name}.{f.name}" if isinstance(o := owner.get(f), ast.ClassDef) else f.name, f) for f in defs]
    if len(pool) < 2:
        return None
    counted = sorted(((name, sum(isinstance(n, nodes) for n in ast.walk(f)), f.lineno) for name, f in pool),
                     key=lambda t: (-t[1], t[2]))
    said = "loops (for and while)" if kind == "loop" else f"{kind} statements"
    told = ", ".join(f"{name} {n}" for name, n, _ in counted[:_SHOWN])
    rows = [f"   Of {scope} ({len(pool)}), those holding the most {said} (docstrings and comments aside, nested "
            f"functions counted in the one around them): {told}."]
    (top, n, _), (_, second, _) = counted[0], counted[1]
    if not n or n == second or _SET_ASIDE.search(asking) or re.search(r"\b(?:fewest|least)\b", asking, re.IGNORECASE):
        return StatementRank(rows, "")
    return StatementRank(rows, top.rsplit(".", 1)[-1] if named else top)


def _owners(tree: ast.Module) -> dict[ast.AST, ast.AST]:
    """Each function's nearest enclosing class or function (none for a module-level one): a
    method defined under an `if` or a `try` in its class's body is the class's."""
    out: dict[ast.AST, ast.AST] = {}

    def visit(node: ast.AST, owner: ast.AST | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (*_DEF_TYPES, ast.ClassDef)):
                if owner is not None and isinstance(child, _DEF_TYPES):
                    out[child] = owner
                visit(child, child)
            else:
                visit(child, owner)

    visit(tree, None)
    return out


_DEF_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef)
