"""S-NIAH, after RULER's niah_single: find one 7-digit magic number hidden in filler.

The question is paraphrased (no four-word run in common with the needle), so a model cannot
find the needle by searching for the question's own words; it has to search for the key.
Even task indices use the noise haystack, odd ones the standard library source.
"""

from __future__ import annotations

import random

from recursor.bench._haystack import (
    ADJECTIVES,
    NOUNS,
    HaystackKind,
    fill,
    insert,
    pick_unused,
    stdlib_version,
)
from recursor.bench._task import Gold, Task, target_chars, task_id, task_rng

__all__ = ["NEEDLE", "QUESTIONS", "make_task"]

NEEDLE = "One of the special magic numbers for {key} is: {value}."

QUESTIONS = (
    "What 7-digit code is associated with the {key}?",
    "Which seven-digit number was recorded for {key} somewhere in the text?",
    "The text mentions a number tied to {key}. Which number is it?",
    "Find the 7-digit figure that belongs to {key} and report it.",
    "What secret value, seven digits long, goes with {key}?",
)
"""Paraphrases of the question; none shares a four-word run with `NEEDLE`."""

_ANSWER_FORMAT = " Answer with the number only."

_KEYS = tuple(f"{adjective}-{noun}" for adjective in ADJECTIVES for noun in NOUNS)


def unused_number(rng: random.Random, text: str, *, avoid: set[str] | None = None) -> str:
    """A seeded 7-digit number that occurs nowhere in `text`, so the gold is unambiguous."""
    while True:
        value = str(rng.randint(1_000_000, 9_999_999))
        if value not in text and value not in (avoid or set()):
            return value


def default_haystack(index: int) -> HaystackKind:
    """Alternate the two filler kinds, so any n >= 2 covers both."""
    return "noise" if index % 2 == 0 else "stdlib"


def make_task(
    *, length_tokens: int, seed: int, index: int, haystack: HaystackKind | None = None
) -> Task:
    """Task number `index` of the family; `haystack` overrides the alternating default."""
    kind = haystack or default_haystack(index)
    rng = task_rng("sniah", length_tokens=length_tokens, seed=seed, index=index)
    key, value = rng.choice(_KEYS), str(rng.randint(1_000_000, 9_999_999))
    hay = fill(
        kind, target_chars(length_tokens) - len(NEEDLE.format(key=key, value=value)) - 1, rng
    )
    # Redraw a part the filler happens to contain (possible only in real text).
    key = key if key not in hay else pick_unused(rng, _KEYS, hay)
    value = value if value not in hay else unused_number(rng, hay)
    needle = NEEDLE.format(key=key, value=value)
    depth = rng.random()
    context = insert(kind, hay, [(depth, needle)])
    question = rng.choice(QUESTIONS).format(key=key) + _ANSWER_FORMAT
    meta: dict[str, object] = {"haystack": kind, "depth": round(depth, 4), "needle": needle}
    if kind == "stdlib":
        meta["corpus"] = stdlib_version()
    return Task(
        id=task_id("sniah", length_tokens=length_tokens, seed=seed, index=index),
        family="sniah",
        context=context,
        question=question,
        gold=Gold(scorer="contains", answer=value, values=(value,)),
        length_tokens=length_tokens,
        meta=meta,
    )
