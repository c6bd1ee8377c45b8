"""The `Task` record every family produces, and the `Gold` a scorer checks an answer against.

Kept apart from `tasks.py` (which re-exports both) so the family modules can import it while
`tasks.py` imports the family modules for its registry, without an import cycle.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from recursor.errors import UserError

__all__ = [
    "CHARS_PER_TOKEN",
    "MIN_LENGTH_TOKENS",
    "Gold",
    "ScorerName",
    "Task",
    "TaskMaker",
    "target_chars",
    "task_id",
    "task_rng",
]

CHARS_PER_TOKEN = 4
"""Sizing rule for every family: a task of `length_tokens` has about 4x that many characters."""

MIN_LENGTH_TOKENS = 1024
"""Below this a context cannot hold a family's fixed parts within the size tolerance."""

ScorerName = Literal[
    "contains", "numeric", "exact", "phrase", "pairs_f1", "choice", "term", "version"
]
"""How `recursor.bench.scoring.score` compares an answer with `Gold.values`:

- contains: fraction of `values` found in the answer (case-insensitive); S-NIAH, two-hop.
- numeric: 0.75 ** |gold - parsed number|; OOLONG counts.
- exact: the normalised answer equals one of `values` (several when labels tie).
- phrase: one of `values` occurs in the normalised answer; OOLONG more/less/same.
- pairs_f1: F1 between the parsed "(id1, id2)" pairs and `values`; OOLONG-Pairs.
- choice: the parsed option letter equals `values[0]`; CodeQA.
- term: one of `values` occurs as a whole term (case and spacing aside) after "Answer:", and
  no distractor does; realdocs names, dates and code values.
- version: one of `values` is, exactly, one of the version-like tokens after "Answer:", and
  no distractor is; realdocs package versions.
"""


@dataclass(frozen=True, slots=True)
class Gold:
    """The exact ground truth of one task, in the form its scorer needs."""

    scorer: ScorerName
    answer: str
    """A reference answer as a perfect model would write it."""
    values: tuple[str, ...]
    """What the scorer matches: gold strings, accepted labels, "(a, b)" pairs or one letter."""
    distractors: tuple[str, ...] = ()
    """An answer containing any of these scores 0 (a two-hop decoy value, the wrong comparison)."""


@dataclass(frozen=True, slots=True)
class Task:
    """One benchmark question over one long context, regenerable from (family, length, seed, index)."""

    id: str
    family: str
    context: str = field(repr=False)
    question: str
    gold: Gold
    length_tokens: int
    """The requested size: the context never exceeds 4x this in characters, and from 2**13 up
    it is within 1% of it."""
    meta: dict[str, Any] = field(default_factory=dict)
    """Family-specific facts for analysis (depth, haystack, question kind, ...); never needed to score."""


class TaskMaker(Protocol):
    """A family: builds task number `index` for a seed; the same arguments give the same task."""

    def __call__(self, *, length_tokens: int, seed: int, index: int) -> Task: ...


def target_chars(length_tokens: int) -> int:
    """The character budget of a context, after checking the requested length is usable."""
    if length_tokens < MIN_LENGTH_TOKENS:
        raise UserError(
            f"length_tokens={length_tokens} is too short; use at least {MIN_LENGTH_TOKENS}"
        )
    return length_tokens * CHARS_PER_TOKEN


def task_rng(family: str, *, length_tokens: int, seed: int, index: int) -> random.Random:
    """A generator private to one task, so task i is the same whether made alone or in a batch.

    A string seed is hashed with SHA-512 by `random.Random`, so it is stable across runs and
    platforms (unlike `hash()`).
    """
    return random.Random(f"{family}/{length_tokens}/{seed}/{index}")


def task_id(family: str, *, length_tokens: int, seed: int, index: int) -> str:
    """A stable id a runner can use as a resume key."""
    return f"{family}-{length_tokens}-s{seed}-{index}"
