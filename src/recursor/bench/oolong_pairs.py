"""OOLONG-Pairs style: list every pair of users that meets a condition on their hidden labels.

The lines are the same as `oolong`'s. The answer set is quadratic in the number of users, so
it cannot be produced by counting once; every user's labels must be known. The 20 questions
follow the reference's: 10 symmetric ("each of the two users has ..."), 5 of them with a date
limit, and 10 asymmetric ("one user has ..., the other user has ..."). Each is written as data
(`PAIR_QUESTIONS`) and both its text and its gold are derived from that data, so they cannot
disagree.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, TypeAlias

from recursor.bench._task import Gold, Task, target_chars, task_id, task_rng
from recursor.bench.oolong import PREAMBLE, Instance, build_instances, format_date

__all__ = ["PAIR_QUESTIONS", "CountRule", "DateRule", "PairQuestion", "gold_pairs", "make_task"]

_NUM, _ENTY, _LOC = "numeric value", "entity", "location"
_DESC, _ABBR, _HUM = "description and abstract concept", "abbreviation", "human being"
_WORDS = {1: "one", 2: "two", 3: "three"}


@dataclass(frozen=True, slots=True)
class CountRule:
    """The user has at least / exactly `k` instances whose label is one of `labels`."""

    labels: tuple[str, ...]
    k: int = 1
    exactly: bool = False

    def holds(self, counts: Counter[str], days: dict[str, list[date]]) -> bool:
        n = sum(counts[label] for label in self.labels)
        return n == self.k if self.exactly else n >= self.k

    def text(self) -> str:
        amount = f"{'exactly' if self.exactly else 'at least'} {_WORDS[self.k]}"
        noun = "instance" if self.k == 1 else "instances"
        return f"{amount} {noun} with {' or '.join(self.labels)}"


@dataclass(frozen=True, slots=True)
class DateRule:
    """Every one of the user's `label` instances is dated strictly after (or before) `day`.

    True when the user has no such instance, which the question's wording ("no ... dated on
    or before") makes plain.
    """

    label: str
    side: Literal["after", "before"]
    day: date

    def holds(self, counts: Counter[str], days: dict[str, list[date]]) -> bool:
        if self.side == "after":
            return all(d > self.day for d in days[self.label])
        return all(d < self.day for d in days[self.label])

    def text(self) -> str:
        other = "before" if self.side == "after" else "after"
        return f"no {self.label} instance dated on or {other} {format_date(self.day)}"


Rule: TypeAlias = CountRule | DateRule


@dataclass(frozen=True, slots=True)
class PairQuestion:
    """A pair condition: both users satisfy `first`, or (if `second` is set) one satisfies
    `first` and the other `second`."""

    first: tuple[Rule, ...]
    second: tuple[Rule, ...] | None = None

    def text(self) -> str:
        first = " and ".join(rule.text() for rule in self.first)
        if self.second is None:
            return f"each of the two users has {first}"
        second = " and ".join(rule.text() for rule in self.second)
        return f"one user has {first}, and the other user has {second}"


def _any(*labels: str) -> CountRule:
    return CountRule(labels)


def _after(label: str, day: date) -> DateRule:
    return DateRule(label, "after", day)


def _before(label: str, day: date) -> DateRule:
    return DateRule(label, "before", day)


PAIR_QUESTIONS: tuple[PairQuestion, ...] = (
    PairQuestion((_any(_NUM, _LOC),)),
    PairQuestion((_any(_ENTY, _HUM),)),
    PairQuestion((_any(_DESC, _ABBR),)),
    PairQuestion((_any(_HUM, _LOC), _after(_HUM, date(2023, 1, 6)))),
    PairQuestion((_any(_ENTY, _NUM), _before(_ENTY, date(2023, 3, 15)))),
    PairQuestion((_any(_LOC, _ABBR),)),
    PairQuestion((_any(_DESC, _NUM), _after(_NUM, date(2023, 2, 1)))),
    PairQuestion((_any(_HUM, _DESC),)),
    PairQuestion((_any(_ENTY, _LOC), _after(_LOC, date(2023, 4, 10)))),
    PairQuestion((_any(_NUM, _ABBR), _before(_ABBR, date(2023, 5, 20)))),
    PairQuestion((_any(_ENTY), _any(_ABBR)), (CountRule((_ENTY,), 1, exactly=True),)),
    PairQuestion((CountRule((_NUM,), 2),), (_any(_LOC), _any(_HUM))),
    PairQuestion((CountRule((_DESC,), 1, exactly=True),), (_any(_ABBR), _any(_ENTY))),
    PairQuestion((_any(_HUM), _any(_NUM)), (CountRule((_LOC,), 2, exactly=True),)),
    PairQuestion((_any(_ENTY), _any(_LOC), _any(_ABBR)), (CountRule((_NUM,), 1, exactly=True),)),
    PairQuestion(
        (_any(_DESC), _any(_HUM)),
        (CountRule((_ENTY,), 2), CountRule((_ABBR,), 1, exactly=True)),
    ),
    PairQuestion((CountRule((_NUM,), 1, exactly=True),), (_any(_LOC), _any(_DESC))),
    PairQuestion((_any(_ABBR), CountRule((_HUM,), 1, exactly=True)), (_any(_ENTY), _any(_NUM))),
    PairQuestion(
        (CountRule((_LOC,), 2), _any(_ENTY)),
        (CountRule((_DESC,), 1, exactly=True), CountRule((_ABBR,), 1, exactly=True)),
    ),
    PairQuestion(
        (_any(_NUM), _any(_HUM)),
        (_any(_LOC), _any(_ENTY), CountRule((_ABBR,), 1, exactly=True)),
    ),
)
"""Task `index` asks question number `index % 20`."""

_ATTEMPTS = 5
"""Lines are redrawn (same rng, so still deterministic) while the answer set is empty: an
empty gold would reward answering "none"."""

_FORMAT = (
    " Write one pair per line as (id1, id2) with the lower id first, list each pair once, "
    "and write nothing else."
)


def _satisfying(rules: Iterable[Rule], instances: Sequence[Instance]) -> set[int]:
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    days: dict[int, dict[str, list[date]]] = defaultdict(lambda: defaultdict(list))
    for instance in instances:
        counts[instance.user][instance.label] += 1
        days[instance.user][instance.label].append(instance.day)
    rules = tuple(rules)
    return {u for u in counts if all(rule.holds(counts[u], days[u]) for rule in rules)}


def gold_pairs(question: PairQuestion, instances: Sequence[Instance]) -> list[tuple[int, int]]:
    """Every (lower id, higher id) pair of distinct users meeting `question`, sorted."""
    first = _satisfying(question.first, instances)
    second = first if question.second is None else _satisfying(question.second, instances)
    pairs = {(min(a, b), max(a, b)) for a in first for b in second if a != b}
    return sorted(pairs)


def make_task(*, length_tokens: int, seed: int, index: int) -> Task:
    """Task number `index` of the family: fresh seeded lines, pair question `index % 20`."""
    rng = task_rng("oolong_pairs", length_tokens=length_tokens, seed=seed, index=index)
    number = index % len(PAIR_QUESTIONS)
    question = PAIR_QUESTIONS[number]
    for _ in range(_ATTEMPTS):
        instances, context = build_instances(rng, target_chars(length_tokens))
        found = gold_pairs(question, instances)
        if found:
            break
    pairs = tuple(f"({a}, {b})" for a, b in found)
    return Task(
        id=task_id("oolong_pairs", length_tokens=length_tokens, seed=seed, index=index),
        family="oolong_pairs",
        context=context,
        question=f"{PREAMBLE}List all pairs of user ids where {question.text()}.{_FORMAT}",
        gold=Gold(scorer="pairs_f1", answer="\n".join(pairs), values=pairs),
        length_tokens=length_tokens,
        meta={
            "question": number + 1,
            "lines": len(instances),
            "users": len({i.user for i in instances}),
            "pairs": len(pairs),
        },
    )
