"""Scoring a fixed set of options with a model's next-token logits (no sampling).

An option is a token sequence. Its probability is the one it gets under constrained
decoding: at every point where the options still possible branch, the model's probability
of each branch, renormalised over those branches; where only one option is left its
remaining tokens are forced and cost nothing. So options that share a first token ("human
being", "human rights") are told apart by the tokens where they differ, and one logits
lookup per branch point is all it costs (one for options with distinct first tokens).

Pure functions over a `logits_at(path, token_ids)` callback, so the arithmetic is tested
without a model; `recursor.lm.local` supplies the callback from llama.cpp.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

__all__ = ["END", "calibrated_pick", "option_logprobs"]

#: Stands for "the option ends here" where one option is a prefix of another.
END = -1

LogitsAt = Callable[[tuple[int, ...], Sequence[int]], Sequence[float]]
"""(tokens after the prompt, candidate next tokens) -> the model's logits for those tokens."""


def option_logprobs(options: Sequence[Sequence[int]], logits_at: LogitsAt, end_token: int) -> list[float]:
    """Log-probability of each option under constrained decoding (they sum to 1 in prob space).

    `end_token` is asked for where an option ends inside another (`END` branches).
    """
    if not options:
        return []
    totals = [0.0] * len(options)
    _branch((), list(range(len(options))), options, logits_at, end_token, totals)
    return totals


def _branch(
    path: tuple[int, ...],
    members: list[int],
    options: Sequence[Sequence[int]],
    logits_at: LogitsAt,
    end_token: int,
    totals: list[float],
) -> None:
    depth = len(path)
    while True:
        groups: dict[int, list[int]] = {}
        for i in members:
            token = options[i][depth] if depth < len(options[i]) else END
            groups.setdefault(token, []).append(i)
        if len(groups) > 1:
            break
        (token, only), = groups.items()
        if token == END or len(only) == 1:
            return  # one option left: the rest of it is forced
        path, depth = (*path, token), depth + 1
    ids = list(groups)
    logits = logits_at(path, [end_token if t == END else t for t in ids])
    for token, logprob in zip(ids, _log_softmax(logits), strict=True):
        for i in groups[token]:
            totals[i] += logprob
        if token != END and len(groups[token]) > 1:
            _branch((*path, token), groups[token], options, logits_at, end_token, totals)


def _log_softmax(values: Sequence[float]) -> list[float]:
    top = max(values)
    log_sum = top + math.log(sum(math.exp(v - top) for v in values))
    return [v - log_sum for v in values]


def calibrated_pick(logprobs: Sequence[float], priors: Sequence[Sequence[float]] = ()) -> int:
    """The index of the best option: `logprobs` less the log of the mean content-free probability.

    With no `priors` this is the plain argmax. A prior is the option distribution the model
    gives when the item is replaced by content-free text; dividing by it removes the model's
    lean towards some labels regardless of the item. Ties go to the earlier option.
    """
    scores = list(logprobs)
    if priors:
        for i in range(len(scores)):
            mean = sum(math.exp(p[i]) for p in priors) / len(priors)
            scores[i] -= math.log(max(mean, 1e-12))
    return max(range(len(scores)), key=lambda i: (scores[i], -i))
