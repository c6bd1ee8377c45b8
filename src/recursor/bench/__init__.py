"""Benchmark tasks with exact ground truth, and their scorers.

Families (see `TASK_FAMILIES`): `sniah` (RULER single needle), `twohop` (chained needles),
`oolong` and `oolong_pairs` (aggregation over hidden TREC labels), `codeqa` (multiple choice
about the Python standard library), `realdocs` (questions over this machine's real files:
logs, changelogs, library source; gold computed from the files). Pure and seeded; nothing
here calls a model.

    from recursor.bench import generate, score
    for task in generate("oolong", length_tokens=2**15, n=10, seed=0):
        print(task.id, score(task.gold, my_answer(task.context, task.question)))
"""

from recursor.bench.scoring import (
    normalize,
    pair_f1,
    parse_choice,
    parse_number,
    parse_pairs,
    score,
)
from recursor.bench.tasks import (
    CHARS_PER_TOKEN,
    MIN_LENGTH_TOKENS,
    TASK_FAMILIES,
    Gold,
    ScorerName,
    Task,
    TaskMaker,
    generate,
    iter_tasks,
)

__all__ = [
    "CHARS_PER_TOKEN",
    "MIN_LENGTH_TOKENS",
    "TASK_FAMILIES",
    "Gold",
    "ScorerName",
    "Task",
    "TaskMaker",
    "generate",
    "iter_tasks",
    "normalize",
    "pair_f1",
    "parse_choice",
    "parse_number",
    "parse_pairs",
    "score",
]
