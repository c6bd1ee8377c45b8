"""The family registry: build benchmark tasks by family name, length, count and seed.

Every task depends only on (family, length_tokens, seed, index), so a runner can build them
one at a time (`iter_tasks`, or a family's maker directly), resume by index, and rebuild any
task from its id's parts instead of storing its context.
"""

from __future__ import annotations

from collections.abc import Iterator

from recursor.bench import codeqa, oolong, oolong_pairs, realdocs, sniah, twohop
from recursor.bench._task import (
    CHARS_PER_TOKEN,
    MIN_LENGTH_TOKENS,
    Gold,
    ScorerName,
    Task,
    TaskMaker,
)
from recursor.errors import UserError

__all__ = [
    "CHARS_PER_TOKEN",
    "MIN_LENGTH_TOKENS",
    "TASK_FAMILIES",
    "Gold",
    "ScorerName",
    "Task",
    "TaskMaker",
    "generate",
    "iter_tasks",
]

TASK_FAMILIES: dict[str, TaskMaker] = {
    "sniah": sniah.make_task,
    "twohop": twohop.make_task,
    "oolong": oolong.make_task,
    "oolong_pairs": oolong_pairs.make_task,
    "codeqa": codeqa.make_task,
    "realdocs": realdocs.make_task,
}
"""Family name -> maker of task number `index`."""


def iter_tasks(family: str, *, length_tokens: int, n: int, seed: int) -> Iterator[Task]:
    """Tasks 0..n-1 of a family, built one at a time (a 10M-token context is 40 MB)."""
    try:
        make = TASK_FAMILIES[family]
    except KeyError:
        known = ", ".join(TASK_FAMILIES)
        raise UserError(f"unknown task family {family!r}; choose one of: {known}") from None
    for index in range(n):
        yield make(length_tokens=length_tokens, seed=seed, index=index)


def generate(family: str, *, length_tokens: int, n: int, seed: int) -> list[Task]:
    """Tasks 0..n-1 of a family, all in memory; see `iter_tasks` for long contexts."""
    return list(iter_tasks(family, length_tokens=length_tokens, n=n, seed=seed))
