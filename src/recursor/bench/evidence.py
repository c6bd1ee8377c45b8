"""Evidence recall: whether a run's `Result.evidence` holds the text that answers the task.

Only families whose generator knows where the answer lies can be scored: `sniah` (its
`meta["needle"]`) and `twohop` (`meta["needles"]`, both hops). Their contexts are str, so
a gold range is characters of the context, and an evidence item finds it when it overlaps it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from recursor.bench._task import Task

__all__ = ["evidence_recall", "gold_ranges", "mean_evidence_recall"]


def gold_ranges(task: Task) -> list[tuple[int, int]]:
    """The (start, end) of each needle in the task's context; empty when the family has none."""
    needles = task.meta.get("needles") or ([task.meta["needle"]] if task.meta.get("needle") else [])
    out = []
    for needle in needles:
        at = task.context.find(str(needle)) if isinstance(needle, str) and needle else -1
        if at >= 0:
            out.append((at, at + len(needle)))
    return out


def evidence_recall(task: Task, evidence: Sequence[Mapping[str, Any]]) -> float | None:
    """The share of the task's gold ranges that some evidence item overlaps (0 to 1); None when
    the task has no known gold range (it cannot be scored)."""
    gold = gold_ranges(task)
    if not gold:
        return None
    spans = [(item.get("start"), item.get("end")) for item in evidence if item.get("key") is None]
    spans_ok = [(s, e) for s, e in spans if isinstance(s, int) and isinstance(e, int)]
    found = sum(any(s < ge and gs < e for s, e in spans_ok) for gs, ge in gold)
    return found / len(gold)


def mean_evidence_recall(scored: Iterable[tuple[Task, Sequence[Mapping[str, Any]]]]) -> float | None:
    """Mean `evidence_recall` over the (task, evidence) pairs that can be scored; None if none can."""
    values = [v for task, ev in scored if (v := evidence_recall(task, ev)) is not None]
    return sum(values) / len(values) if values else None
