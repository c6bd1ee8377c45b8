"""The OOLONG score a perfect RLM loop reaches with a given labeller, without running a model.

An OOLONG-style answer is a function of the label counts of the rows the question is about,
so once the loop is exact (the right rows, every row labelled, the printed answer copied)
the score depends only on the sub-model's confusion matrix. This draws each row's label
from the matrix's row for its true label, answers the question with the generator's own
code (`QUESTION_KINDS` on the relabelled rows, same seeded picks), and scores that answer
against the true gold.

`--mix` scales the matrix's errors: 1 is the measured labeller, 0 a perfect one, 0.5 one
that makes half as many errors of the same kinds. Use it to ask "how good must labelling
be for score X". The matrix comes from `benchmarks/labelling.py --confusion FILE`. A given
label outside the list (e.g. "?" for a generated reply that named none) stays a label of its
own here, so it can rank as "least common" where `classify` would never rank it: for such
matrices the figure is slightly low.

    python benchmarks/labelling.py --methods calibrated --confusion /tmp/conf.json
    python benchmarks/oolong_ceiling.py /tmp/conf.json --tasks 200 --mix 1,0.5,0.2,0
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from recursor.bench.oolong import LABELS, QUESTION_KINDS, Instance, task_lines
from recursor.bench.scoring import score

Confusion = Mapping[str, Mapping[str, float]]


def mixed(confusion: Confusion, mix: float) -> dict[str, dict[str, float]]:
    """Row-normalised `confusion` with its errors scaled by `mix` (the rest stays correct)."""
    out: dict[str, dict[str, float]] = {}
    for truth in LABELS.values():
        row = confusion.get(truth) or {truth: 1.0}
        total = sum(row.values()) or 1.0
        out[truth] = {label: mix * n / total for label, n in row.items()}
        out[truth][truth] = out[truth].get(truth, 0.0) + (1.0 - mix)
    return out


def balanced_accuracy(confusion: Confusion) -> float:
    return sum(confusion[t].get(t, 0.0) for t in confusion) / len(confusion)


def task_score(index: int, confusion: Confusion, draws: int, *, length_tokens: int, seed: int) -> tuple[str, float]:
    """(question kind, mean score over `draws` relabellings) for OOLONG task `index`."""
    rng, instances, _, kind = task_lines(length_tokens=length_tokens, seed=seed, index=index)
    ask = QUESTION_KINDS[kind]
    state = rng.getstate()
    _, gold, _ = ask(rng, instances)
    draw = random.Random(f"ceiling/{index}")
    rows = {t: (list(row), list(row.values())) for t, row in confusion.items()}
    total = 0.0
    for _ in range(draws):
        relabelled: Sequence[Instance] = [
            replace(i, label=draw.choices(*rows[i.label])[0]) for i in instances
        ]
        rng.setstate(state)  # the same user, date range and labels are picked
        _, answered, _ = ask(rng, relabelled)
        total += score(gold, answered.answer)
    return kind, total / draws


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("confusion", type=Path, help="JSON {true label: {given label: count}}")
    parser.add_argument("--tasks", type=int, default=100, help="tasks 0..N-1 (kinds cycle every 10)")
    parser.add_argument("--draws", type=int, default=20, help="relabellings per task")
    parser.add_argument("--mix", default="1", help="comma-separated error scales")
    parser.add_argument("--length", type=int, default=32768)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    measured = json.loads(args.confusion.read_text())
    for mix in (float(m) for m in args.mix.split(",")):
        confusion = mixed(measured, mix)
        per_kind: dict[str, list[float]] = defaultdict(list)
        for index in range(args.tasks):
            kind, value = task_score(index, confusion, args.draws, length_tokens=args.length, seed=args.seed)
            per_kind[kind].append(value)
        scores = [v for values in per_kind.values() for v in values]
        kinds = ", ".join(f"{k} {100 * sum(v) / len(v):.0f}" for k, v in per_kind.items())
        print(f"mix {mix:g}: balanced accuracy {100 * balanced_accuracy(confusion):.1f}%, "
              f"OOLONG {100 * sum(scores) / len(scores):.1f} over {len(scores)} tasks ({kinds})", flush=True)


if __name__ == "__main__":
    main()
