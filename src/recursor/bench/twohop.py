"""Two-hop needles: the first needle's value is the key of the second.

"The project codename for {key} is {codename}." then "The launch code for {codename} is
{value}." The question names only the key. Three decoy chains (other keys, codenames and
codes) sit in the same haystack, so searching for "launch code" alone finds four codes and
the model has to resolve the first hop; an answer that names a decoy code scores 0.
"""

from __future__ import annotations

from recursor.bench._haystack import (
    ADJECTIVES,
    CODENAMES,
    NOUNS,
    HaystackKind,
    fill,
    insert,
    pick_unused,
    stdlib_version,
)
from recursor.bench._task import Gold, Task, target_chars, task_id, task_rng
from recursor.bench.sniah import default_haystack, unused_number

__all__ = ["DECOYS", "FIRST_HOP", "QUESTIONS", "SECOND_HOP", "make_task"]

FIRST_HOP = "The project codename for {key} is {codename}."
SECOND_HOP = "The launch code for {codename} is {value}."
DECOYS = 3

QUESTIONS = (
    "{key} goes by a codename, and a launch code is filed under that codename. "
    "Which launch code is it?",
    "What launch code belongs to the codename that {key} was given?",
    "Look up the codename of {key}, then the launch code listed under that codename. "
    "What is the code?",
    "Which 7-digit launch code is tied, through its codename, to {key}?",
)
"""Paraphrases; none shares a four-word run with either needle."""

_ANSWER_FORMAT = " Answer with the number only."

_KEYS = tuple(f"{adjective}-{noun}" for adjective in ADJECTIVES for noun in NOUNS)


def make_task(
    *, length_tokens: int, seed: int, index: int, haystack: HaystackKind | None = None
) -> Task:
    """Task number `index` of the family; chain 0 is the asked one, the others are decoys."""
    kind = haystack or default_haystack(index)
    rng = task_rng("twohop", length_tokens=length_tokens, seed=seed, index=index)
    chains = DECOYS + 1
    keys = rng.sample(_KEYS, chains)
    codenames = rng.sample(CODENAMES, chains)
    values = [str(v) for v in rng.sample(range(1_000_000, 10_000_000), chains)]

    def sentences() -> list[str]:
        return [
            *(FIRST_HOP.format(key=k, codename=c) for k, c in zip(keys, codenames, strict=True)),
            *(
                SECOND_HOP.format(codename=c, value=v)
                for c, v in zip(codenames, values, strict=True)
            ),
        ]

    hay = fill(kind, target_chars(length_tokens) - sum(len(s) + 1 for s in sentences()), rng)
    # Redraw a part the filler happens to contain (possible only in real text).
    for i in range(chains):
        if keys[i] in hay:
            keys[i] = pick_unused(rng, _KEYS, hay, avoid=keys)
        if codenames[i] in hay:
            codenames[i] = pick_unused(rng, CODENAMES, hay, avoid=codenames)
        if values[i] in hay:
            values[i] = unused_number(rng, hay, avoid=set(values))
    # Chain i is sentences i and i + chains; chain 0 is the one asked about.
    needles = [(rng.random(), sentence) for sentence in sentences()]
    context = insert(kind, hay, needles)
    question = rng.choice(QUESTIONS).format(key=keys[0]) + _ANSWER_FORMAT
    meta: dict[str, object] = {
        "haystack": kind,
        "depths": [round(needles[0][0], 4), round(needles[chains][0], 4)],
        "needles": [needles[0][1], needles[chains][1]],
        "codename": codenames[0],
    }
    if kind == "stdlib":
        meta["corpus"] = stdlib_version()
    return Task(
        id=task_id("twohop", length_tokens=length_tokens, seed=seed, index=index),
        family="twohop",
        context=context,
        question=question,
        gold=Gold(
            scorer="contains", answer=values[0], values=(values[0],), distractors=tuple(values[1:])
        ),
        length_tokens=length_tokens,
        meta=meta,
    )
