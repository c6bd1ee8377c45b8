"""OOLONG trec_coarse style: aggregate questions over thousands of dated, hidden-label lines.

Each context line is `Date: Dec 12, 2022 || User: 63685 || Instance: <TREC question>`. The
question's TREC coarse class is its hidden label; the model must infer every label from the
question's meaning, so no answer can be found by search alone. Users and dates are seeded;
about 80% of the lines belong to 20% of the users (OOLONG's skew). Each task also draws its
own label shares (6% to 38% each): with TREC's natural shares "abbreviation" is under 2% of
lines and would always be the least common answer. Gold is counted exactly.
"""

from __future__ import annotations

import functools
import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from typing import TypeAlias

from recursor.bench._task import Gold, Task, target_chars, task_id, task_rng

__all__ = [
    "FIRST_DAY",
    "LABELS",
    "LAST_DAY",
    "MAX_USERS",
    "PREAMBLE",
    "QUESTION_KINDS",
    "Instance",
    "build_instances",
    "format_date",
    "make_task",
    "task_lines",
    "trec_questions",
]

LABELS = {
    "NUM": "numeric value",
    "ENTY": "entity",
    "LOC": "location",
    "DESC": "description and abstract concept",
    "ABBR": "abbreviation",
    "HUM": "human being",
}
"""TREC coarse class -> the label name used in questions and answers, in OOLONG's order."""

FIRST_DAY = date(2022, 1, 1)
LAST_DAY = date(2023, 12, 31)
MAX_USERS = 500
"""Users grow with the context (about 10 lines each) up to this cap, which bounds the
OOLONG-Pairs gold at 125K pairs."""

PREAMBLE = (
    "Each line of the context is one instance: a date, a user id and a general-knowledge "
    "question. Every question has exactly one label, the kind of answer it asks for, out of: "
    + ", ".join(LABELS.values())
    + ". The labels are not written in the data; infer each one from the question's meaning.\n\n"
)

_AS_NUMBER = " Give the answer as a single number."
_AS_LABEL = " Answer with the label only."
_AS_COMPARISON = ' Answer with "more common", "less common" or "same frequency".'
_COMPARISONS = ("more common", "less common", "same frequency")
_HEAVY_SHARE = 0.8
_HEAVY_USERS = 0.2


@dataclass(frozen=True, slots=True)
class Instance:
    """One context line and its hidden label."""

    day: date
    user: int
    text: str
    label: str

    def line(self) -> str:
        return f"Date: {format_date(self.day)} || User: {self.user} || Instance: {self.text}"


def format_date(day: date) -> str:
    """OOLONG's date format, e.g. "Dec 12, 2022"."""
    return f"{day:%b} {day.day}, {day.year}"


@functools.cache
def trec_questions() -> tuple[tuple[str, str], ...]:
    """The shipped TREC questions as (text, label name), each distinct question once.

    Three lines whose digits were damaged into non-ASCII characters are skipped; that keeps
    contexts ASCII (one byte a character in memory).
    """
    seen: dict[str, str] = {}
    data = resources.files("recursor.bench") / "data"
    for name in ("train_5500.label", "TREC_10.label"):
        for line in (data / name).read_text(encoding="utf-8").splitlines():
            classes, _, text = line.partition(" ")
            if text.isascii() and text not in seen:
                seen[text] = LABELS[classes.partition(":")[0]]
    return tuple(seen.items())


@functools.cache
def _by_label() -> dict[str, tuple[str, ...]]:
    by_label: dict[str, list[str]] = {label: [] for label in LABELS.values()}
    for text, label in trec_questions():
        by_label[label].append(text)
    return {label: tuple(texts) for label, texts in by_label.items()}


def build_instances(rng: random.Random, chars: int) -> tuple[list[Instance], str]:
    """Seeded instances whose lines fill `chars` characters, and the context made of them."""
    questions = trec_questions()
    by_label = _by_label()
    labels = list(by_label)
    weights = [rng.uniform(0.5, 1.5) for _ in labels]
    mean_line = 60 + sum(len(text) for text, _ in questions) / len(questions)
    n_users = min(max(10, int(chars / mean_line / 10)), MAX_USERS)
    users = rng.sample(range(10_000, 100_000), n_users)
    cut = max(1, round(n_users * _HEAVY_USERS))
    heavy, light = users[:cut], users[cut:]
    span = (LAST_DAY - FIRST_DAY).days
    instances: list[Instance] = []
    lines: list[str] = []
    total = 0
    while True:
        label = rng.choices(labels, weights)[0]
        text = rng.choice(by_label[label])
        user = rng.choice(heavy if rng.random() < _HEAVY_SHARE else light)
        instance = Instance(FIRST_DAY + timedelta(days=rng.randint(0, span)), user, text, label)
        line = instance.line()
        total += len(line) + 1
        if total > chars:
            return instances, "\n".join(lines)
        instances.append(instance)
        lines.append(line)


def _counts(instances: Iterable[Instance]) -> Counter[str]:
    counts = Counter({label: 0 for label in LABELS.values()})
    counts.update(instance.label for instance in instances)
    return counts


def _at_rank(counts: Counter[str], rank: int, *, fewest: bool = False) -> tuple[str, ...]:
    """Every label whose count is the rank-th in sorted order; ties are all correct answers."""
    ordered = sorted(counts.values(), reverse=not fewest)
    return tuple(sorted(label for label, n in counts.items() if n == ordered[rank - 1]))


def _comparison(counts: Counter[str], first: str, second: str) -> Gold:
    a, b = counts[first], counts[second]
    phrase = _COMPARISONS[0] if a > b else _COMPARISONS[1] if a < b else _COMPARISONS[2]
    others = tuple(p for p in _COMPARISONS if p != phrase)
    return Gold(scorer="phrase", answer=phrase, values=(phrase,), distractors=others)


def _number(n: int) -> Gold:
    return Gold(scorer="numeric", answer=str(n), values=(str(n),))


def _labels(accepted: tuple[str, ...]) -> Gold:
    return Gold(scorer="exact", answer=accepted[0], values=accepted)


def _pick_user(rng: random.Random, instances: Sequence[Instance]) -> int:
    """A seeded user with at least 5 lines, so a per-user question is not trivial."""
    per_user = Counter(instance.user for instance in instances)
    busy = sorted(user for user, n in per_user.items() if n >= 5)
    return rng.choice(busy) if busy else per_user.most_common(1)[0][0]


def _pick_range(rng: random.Random) -> tuple[date, date]:
    """A seeded date range of at least 60 days inside the data's span."""
    span = (LAST_DAY - FIRST_DAY).days
    start = rng.randint(0, span - 60)
    end = rng.randint(start + 60, span)
    return FIRST_DAY + timedelta(days=start), FIRST_DAY + timedelta(days=end)


_Asked: TypeAlias = tuple[str, Gold, dict[str, object]]


def _ask_count(rng: random.Random, instances: Sequence[Instance]) -> _Asked:
    label = rng.choice(list(LABELS.values()))
    question = f"How many instances have the label {label}?" + _AS_NUMBER
    return question, _number(_counts(instances)[label]), {"label": label}


def _ask_most(rng: random.Random, instances: Sequence[Instance]) -> _Asked:
    question = "Which label is the most common among all instances?" + _AS_LABEL
    return question, _labels(_at_rank(_counts(instances), 1)), {}


def _ask_least(rng: random.Random, instances: Sequence[Instance]) -> _Asked:
    question = "Which label is the least common among all instances?" + _AS_LABEL
    return question, _labels(_at_rank(_counts(instances), 1, fewest=True)), {}


def _ask_second(rng: random.Random, instances: Sequence[Instance]) -> _Asked:
    question = "Which label is the second most common among all instances?" + _AS_LABEL
    return question, _labels(_at_rank(_counts(instances), 2)), {}


def _ask_compare(rng: random.Random, instances: Sequence[Instance]) -> _Asked:
    first, second = rng.sample(list(LABELS.values()), 2)
    question = (
        f"Is the label {first} more common, less common, or the same frequency as the label "
        f"{second}?" + _AS_COMPARISON
    )
    return question, _comparison(_counts(instances), first, second), {"labels": [first, second]}


def _ask_user_count(rng: random.Random, instances: Sequence[Instance]) -> _Asked:
    user, label = _pick_user(rng, instances), rng.choice(list(LABELS.values()))
    question = f"How many instances of user {user} have the label {label}?" + _AS_NUMBER
    counts = _counts(i for i in instances if i.user == user)
    return question, _number(counts[label]), {"user": user, "label": label}


def _ask_user_most(rng: random.Random, instances: Sequence[Instance]) -> _Asked:
    user = _pick_user(rng, instances)
    question = f"Which label is the most common among the instances of user {user}?" + _AS_LABEL
    counts = _counts(i for i in instances if i.user == user)
    return question, _labels(_at_rank(counts, 1)), {"user": user}


def _in_range(instances: Iterable[Instance], first: date, last: date) -> list[Instance]:
    return [i for i in instances if first <= i.day <= last]


def _range_text(first: date, last: date) -> str:
    return f"dated from {format_date(first)} to {format_date(last)} (both days included)"


def _ask_range_count(rng: random.Random, instances: Sequence[Instance]) -> _Asked:
    (first, last), label = _pick_range(rng), rng.choice(list(LABELS.values()))
    question = f"How many instances {_range_text(first, last)} have the label {label}?"
    counts = _counts(_in_range(instances, first, last))
    meta: dict[str, object] = {"label": label, "range": [first.isoformat(), last.isoformat()]}
    return question + _AS_NUMBER, _number(counts[label]), meta


def _ask_range_most(rng: random.Random, instances: Sequence[Instance]) -> _Asked:
    first, last = _pick_range(rng)
    question = f"Which label is the most common among the instances {_range_text(first, last)}?"
    counts = _counts(_in_range(instances, first, last))
    meta: dict[str, object] = {"range": [first.isoformat(), last.isoformat()]}
    return question + _AS_LABEL, _labels(_at_rank(counts, 1)), meta


def _ask_range_compare(rng: random.Random, instances: Sequence[Instance]) -> _Asked:
    (start, end), (first, second) = _pick_range(rng), rng.sample(list(LABELS.values()), 2)
    question = (
        f"Among the instances {_range_text(start, end)}, is the label {first} more common, "
        f"less common, or the same frequency as the label {second}?"
    )
    counts = _counts(_in_range(instances, start, end))
    meta: dict[str, object] = {
        "labels": [first, second],
        "range": [start.isoformat(), end.isoformat()],
    }
    return question + _AS_COMPARISON, _comparison(counts, first, second), meta


QUESTION_KINDS: dict[str, Callable[[random.Random, Sequence[Instance]], _Asked]] = {
    "count": _ask_count,
    "most_common": _ask_most,
    "least_common": _ask_least,
    "second_most_common": _ask_second,
    "compare": _ask_compare,
    "user_count": _ask_user_count,
    "user_most_common": _ask_user_most,
    "range_count": _ask_range_count,
    "range_most_common": _ask_range_most,
    "range_compare": _ask_range_compare,
}
"""Task `index` asks kind number `index % 10`, so any 10 consecutive tasks cover every kind."""


def task_lines(
    *, length_tokens: int, seed: int, index: int
) -> tuple[random.Random, list[Instance], str, str]:
    """Task `index`'s generator, lines, context and question kind, before the question is asked.

    `make_task` asks with the generator as returned; `benchmarks/oolong_ceiling.py` asks again
    from the same state with relabelled lines.
    """
    rng = task_rng("oolong", length_tokens=length_tokens, seed=seed, index=index)
    instances, context = build_instances(rng, target_chars(length_tokens))
    return rng, instances, context, list(QUESTION_KINDS)[index % len(QUESTION_KINDS)]


def make_task(*, length_tokens: int, seed: int, index: int) -> Task:
    """Task number `index` of the family: fresh seeded lines, one question about them."""
    rng, instances, context, kind = task_lines(length_tokens=length_tokens, seed=seed, index=index)
    question, gold, meta = QUESTION_KINDS[kind](rng, instances)
    return Task(
        id=task_id("oolong", length_tokens=length_tokens, seed=seed, index=index),
        family="oolong",
        context=context,
        question=PREAMBLE + question,
        gold=gold,
        length_tokens=length_tokens,
        meta={
            "kind": kind,
            "lines": len(instances),
            "users": len({i.user for i in instances}),
            **meta,
        },
    )
