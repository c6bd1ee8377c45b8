"""How well, and how fast, the embedded model labels items: free text vs choice requests.

OOLONG-style questions need every line labelled by a sub-call, so an RLM's score there is
bounded by the sub-model's labelling. This prints balanced accuracy (the mean of per-label
recall: a model that answers one label for everything scores 1/6, not that label's share)
and seconds per item on a seeded sample of the TREC questions shipped with the package, for:

- `generate`: the label list in the prompt, a generated reply matched to a label
  (`recursor.lm.choice.match_choice`; a reply naming none counts as wrong);
- `choose`: a choice request scored by the model's logits (`LocalLM.choose`), uncalibrated;
- `calibrated`: the same, calibrated on the batch's content-free template (what `classify`
  sends through `llm_query_batched(..., choices=...)`);
- `defined`: `calibrated` with the question's own definition of the labels ("the kind of
  answer it asks for") in the instruction;
- `answer_first`: the sub-model first answers the item in a few words, then a calibrated
  choice request labels the item with its answer beside it (two calls an item).

`--confusion FILE` writes the last method's confusion matrix for `oolong_ceiling.py`.

The model is reloaded between methods so none of them finds the others' prompts in the KV
cache. Run one model process at a time: two on 2 cores run 3-5x slower.

    python benchmarks/labelling.py                       # 150 questions, the 1.5B, ~4 min
    python benchmarks/labelling.py --n 60 --model qwen2.5-coder-0.5b
    python benchmarks/labelling.py --methods calibrated --confusion /tmp/conf.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from recursor.bench.oolong import LABELS, trec_questions
from recursor.lm.base import Message
from recursor.lm.choice import choice_prompt, content_free_prompts, match_choice
from recursor.lm.local import LocalLM, unload_all

METHODS = ("generate", "choose", "calibrated", "defined", "answer_first")
TASK = "Give the item exactly one label."
DEFINED = "Every question has exactly one label, the kind of answer it asks for. " + TASK
ANSWER = "Answer this question in at most five words."


def balanced_accuracy(predicted: Sequence[str], gold: Sequence[str]) -> tuple[float, dict[str, str]]:
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for p, g in zip(predicted, gold, strict=True):
        per[g][0] += p == g
        per[g][1] += 1
    score = sum(right / total for right, total in per.values()) / len(per)
    return score, {label: f"{right}/{total}" for label, (right, total) in sorted(per.items())}


async def label_all(method: str, lm: LocalLM, questions: Sequence[str], labels: list[str]) -> list[str]:
    items = list(questions)
    if method == "answer_first":
        answers = [await lm.complete([{"role": "user", "content": f"{ANSWER}\n\n{q}"}]) for q in questions]
        items = [
            f"Question: {q}\nIts answer: {(a.text.strip().splitlines() or [''])[0]}"
            for q, a in zip(questions, answers, strict=True)
        ]
    head = DEFINED if method == "defined" else TASK
    prompts = [f"{head}\n\n{item}" for item in items]
    calibrate: list[list[Message]] = []
    if method not in ("generate", "choose"):
        calibrate = [[{"role": "user", "content": choice_prompt(b, labels)}] for b in content_free_prompts(prompts)]
    out = []
    for question, prompt in zip(questions, prompts, strict=True):
        if method == "generate":
            listed = f"Give the item exactly one label from this list: {'; '.join(labels)}. Answer with the label only."
            reply = await lm.complete([{"role": "user", "content": f"{listed}\n\n{question}"}])
            out.append(match_choice(reply.text, labels) or "?")
        else:
            message: Message = {"role": "user", "content": choice_prompt(prompt, labels)}
            reply = await lm.choose([message], labels, calibrate=calibrate)
            out.append(reply.text)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=150, help="questions (a seeded sample)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--model", default="qwen2.5-coder-1.5b")
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--confusion", type=Path, help="write the last method's confusion matrix here")
    args = parser.parse_args()
    sample = random.Random(args.seed).sample(trec_questions(), args.n)
    questions = [q for q, _ in sample]
    gold = [g for _, g in sample]
    labels = list(LABELS.values())
    print(f"{args.n} TREC questions (seed {args.seed}), model {args.model}; truth: {dict(Counter(gold))}")
    for method in args.methods.split(","):
        unload_all()
        lm = LocalLM(args.model, max_output_tokens=24)  # labels and five-word answers
        lm.load()
        start = time.perf_counter()
        predicted = asyncio.run(label_all(method, lm, questions, labels))
        per_item = (time.perf_counter() - start) / len(questions)
        score, per_label = balanced_accuracy(predicted, gold)
        print(f"{method:>12}: balanced accuracy {score:.3f}, {per_item:.2f} s/item, "
              f"recall per label {per_label}, answered {dict(Counter(predicted))}", flush=True)
        if args.confusion:
            confusion: dict[str, Counter[str]] = defaultdict(Counter)
            for p, g in zip(predicted, gold, strict=True):
                confusion[g][p] += 1
            args.confusion.write_text(json.dumps(confusion, indent=1))


if __name__ == "__main__":
    main()
