"""Evidence recall: whether a run's `Result.evidence` holds the text that answers the task.

A task's gold evidence is a list of facts the answer rests on, each with the places in the
context where it is written (any one of them will do); recall is the share of facts that some
evidence item overlaps. Known where the task's metadata says where to look:

- `sniah`: the needle (`meta["needle"]`); `twohop`: both hops (`meta["needles"]`);
- `realdocs`: in the file asked about (`meta["path"]`, the package's changelog, else the
  files of `meta["files"]`), the line defining `meta["class"]`, the line giving
  `meta["parameter"]` its default, else the lines holding the most of the gold values and
  the package or signer named; counts have none.

Other families (aggregations over many records) have none: their recall is None ("n/a").
Contexts are str, so a place is characters of the context, and only items without a key count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from recursor.bench._task import Task

__all__ = ["evidence_recall", "gold_evidence", "gold_ranges", "mean_evidence_recall"]

Places = list[tuple[int, int]]


def gold_ranges(task: Task) -> Places:
    """The (start, end) of each needle in the task's context; empty when the family has none."""
    needles = task.meta.get("needles") or ([task.meta["needle"]] if task.meta.get("needle") else [])
    out = []
    for needle in needles:
        at = task.context.find(str(needle)) if isinstance(needle, str) and needle else -1
        if at >= 0:
            out.append((at, at + len(needle)))
    return out


def gold_evidence(task: Task) -> list[Places]:
    """Each fact the task's answer rests on, as the places it is written; empty when unknown."""
    if task.family == "realdocs":
        return _realdocs_gold(task)
    return [[span] for span in gold_ranges(task)]


def evidence_recall(task: Task, evidence: Sequence[Mapping[str, Any]]) -> float | None:
    """The share of the task's gold facts that some evidence item overlaps (0 to 1); None when
    the task has no known gold evidence (it cannot be scored)."""
    gold = gold_evidence(task)
    if not gold:
        return None
    spans = [(item.get("start"), item.get("end")) for item in evidence if item.get("key") is None]
    spans_ok = [(s, e) for s, e in spans if isinstance(s, int) and isinstance(e, int)]
    found = sum(any(s < ge and gs < e for s, e in spans_ok for gs, ge in places) for places in gold)
    return found / len(gold)


def mean_evidence_recall(scored: Iterable[tuple[Task, Sequence[Mapping[str, Any]]]]) -> float | None:
    """Mean `evidence_recall` over the (task, evidence) pairs that can be scored; None if none can."""
    values = [v for task, ev in scored if (v := evidence_recall(task, ev)) is not None]
    return sum(values) / len(values) if values else None


# -- realdocs ----------------------------------------------------------------------------------

def _blocks(context: str, paths: Iterable[str]) -> list[tuple[int, int]]:
    """Where each file's block (`# File: <path>` line and text) lies in a realdocs context."""
    out = []
    for path in paths:
        start = context.find(f"# File: {path}\n")
        if start >= 0:
            end = context.find("\n# File: ", start + 1)
            out.append((start, len(context) if end < 0 else end + 1))
    return out


def _lines(context: str, blocks: list[tuple[int, int]], rx: re.Pattern[str]) -> Places:
    """The lines (without their newline) of `blocks` that `rx` finds something in."""
    out: Places = []
    for lo, hi in blocks:
        for m in rx.finditer(context, lo, hi):
            start = context.rfind("\n", lo, m.start()) + 1 or lo
            end = context.find("\n", m.end(), hi)
            span = (start, hi if end < 0 else end)
            if not out or out[-1] != span:
                out.append(span)
    return out


def _term(text: str) -> str:
    """`text` as a whole term in a regex: any spacing, not inside a longer name or version."""
    body = r"\s+".join(re.escape(w) for w in text.split())
    return r"(?<![\w.+-])" + body + r"(?![\w+-]|\.\w)"


def _realdocs_gold(task: Task) -> list[Places]:
    meta, context = task.meta, task.context
    paths = [str(p) for p in meta.get("files") or ()]
    if meta.get("path"):
        paths = [str(meta["path"])]
    elif meta.get("source") == "changelogs" and meta.get("package"):
        paths = [p for p in paths if f"/{meta['package']}/" in p] or paths
    blocks = _blocks(context, paths)
    if not blocks:
        return []
    if meta.get("class"):
        rx = re.compile(r"^[ \t]*class\s+" + re.escape(str(meta["class"])) + r"\b", re.MULTILINE)
        return [places] if (places := _lines(context, blocks, rx)) else []
    if task.gold.scorer not in ("term", "version"):
        return []  # a count: the answer is written nowhere
    values = "|".join(f"(?:{_term(v)})" for v in task.gold.values if v.strip())
    if meta.get("parameter"):
        # `param=value` (or `param: type = value`) in the def line.
        rx = re.compile(r"\b" + re.escape(str(meta["parameter"])) + r"\b[^=\n]*=\s*(?:" + values + ")")
        return [places] if (places := _lines(context, blocks, rx)) else []
    places = _lines(context, blocks, re.compile(values, re.IGNORECASE))
    if not places:
        return []
    # The lines naming the most of it: a changelog's trailer has the signer's name and
    # address, a passing mention only the name; a dpkg line the version and the package.
    wanted = [re.compile(_term(v), re.IGNORECASE) for v in task.gold.values if v.strip()]
    wanted += [re.compile(re.escape(str(meta[k])), re.IGNORECASE) for k in ("package", "signer") if meta.get(k)]
    hits = [sum(bool(rx.search(context, s, e)) for rx in wanted) for s, e in places]
    return [[span for span, n in zip(places, hits, strict=True) if n == max(hits)]]
