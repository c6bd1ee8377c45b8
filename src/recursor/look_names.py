"""The first look's ranking of the names built on the question's noun ("which sensor
published the most messages": `sensor-02`, `sensor-09`).

Asked which sensor device published the most messages to an MQTT broker, the 1.5B was shown
the lines holding "message", "publish" and "sensor" and answered the first sensor it read. A
log names each device by a name built on the noun (`sensor-02`), and the answer is one
count of those names over the lines that hold the question's other word ("Received PUBLISH
from sensor-09"): each such word's lines are counted by the name they write first, and the
call that counts them is `count_by` with the name's pattern.

General: the noun and the words are the question's, the names the text's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Mapping
from itertools import islice

from recursor.look_counts import ranked
from recursor.question import asking_part

__all__ = ["names_filtered", "names_ranked"]

_WHICH = re.compile(r"\bwhich\s+(?:one\s+of\s+the\s+|of\s+the\s+)?(?P<noun>[a-z][a-z]{2,})\b", re.IGNORECASE)
_RANKS = re.compile(r"\b(?:most|fewest|least)\b", re.IGNORECASE)
_READ_UP_TO = 8_000_000
_WORDS_READ = 3
"""The question's other words whose lines are counted by name, the rarest first."""
_LEAST_NAMES = 2
_NAMES_READ = 10_000
"""Names read to tell whether the text writes two or more (not every one in a 8 MB log)."""


def _name_rx(noun: str) -> str:
    """The pattern of a name built on `noun`: `sensor-02`, `sensor_a`, `sensor9`; not the plural
    "sensors" nor the noun alone."""
    return rf"(?<![\w.-])({re.escape(noun)}(?:[-_.][A-Za-z0-9][\w-]*|\d[\w-]*))"


def names_ranked(text: str, question: str, words: list[str]) -> tuple[list[str], str]:
    """For "which NOUN ... the most", the names built on NOUN counted over the lines holding
    each of `words` (the question's other words as the text writes them), by the first name
    on a line; and the name that answers when only one word's lines write such names and the
    first has no tie. ([], "") when the question asks no such ranking or the text writes no
    two names."""
    asking = asking_part(question)
    m = _WHICH.search(asking)
    if m is None or _RANKS.search(asking) is None or len(text) > _READ_UP_TO:
        return [], ""
    noun = m.group("noun").lower()
    rx = re.compile(_name_rx(noun), re.IGNORECASE)
    if len({m.group(1).lower() for m in islice(rx.finditer(text), _NAMES_READ)}) < _LEAST_NAMES:
        return [], ""
    lines = text.split("\n")
    rows: list[str] = []
    answers: list[str] = []
    for word in [w for w in words if not w.lower().startswith(noun)][:_WORDS_READ]:
        holding = re.compile(re.escape(word), re.IGNORECASE)
        names = Counter(found.group(1) for line in lines if holding.search(line) and (found := rx.search(line)))
        ranking = ranked(names, asking)
        if ranking is None:
            continue
        call = f"count_by(lines({word!r}), r'{_name_rx(noun)}')"
        rows.append(f"The lines holding {word!r}, by the {noun} name on them: {ranking.told} ({call} gives them).")
        answers.append(ranking.top)
    return rows, (answers[0] if len(answers) == 1 else "")


_TIMES = re.compile(
    r"\b(?P<op>more\s+than|over|at\s+least|exactly|fewer\s+than|less\s+than)\s+"
    r"(?P<n>once|twice|thrice|one|two|three|four|five|six|seven|eight|nine|ten|\d+)(?:\s+(?:times|occasions))?\b"
    r"|\b(?P<n2>twice|\d+\s+times|two\s+times|three\s+times)\s+or\s+more\b"
    r"|\bon\s+more\s+than\s+one\s+occasion\b",
    re.IGNORECASE)
"""How many times a filter asks of each name: "more than twice", "at least 3 times",
"exactly once", "twice or more", "on more than one occasion"."""
_NEGATED = re.compile(r"\b(?:no|not|never|n't)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_AT_MOST = re.compile(r"\bat\s+most\b|\bor\s+(?:fewer|less)\b|\bup\s+to\b", re.IGNORECASE)
_COUNT_WORDS = {"once": 1, "one": 1, "twice": 2, "two": 2, "thrice": 3, "three": 3, "four": 4, "five": 5,
                "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def _times_asked(asking: str) -> tuple[str, int] | None:
    """The comparison and the number a filter asks of each name's count, as (op, n) with op
    one of ">", ">=", "==", "<"; None when the question asks none."""
    m = _TIMES.search(asking)
    if m is None or _NEGATED.search(asking[:m.start()]) or _AT_MOST.search(asking):
        return None  # "no more than twice", "never more than", "twice or fewer": not read here
    if m.group("op") is None:
        said = m.group("n2")
        if said is None:
            return ">", 1  # "on more than one occasion"
        n = said.split()[0].lower()
        return ">=", _COUNT_WORDS.get(n) or int(n)
    n = m.group("n").lower()
    count = _COUNT_WORDS.get(n) or int(n)
    op = " ".join(m.group("op").lower().split())
    return {"more than": ">", "over": ">", "at least": ">=", "exactly": "==", "fewer than": "<",
            "less than": "<"}[op], count


def _holds(n: int, op: str, k: int) -> bool:
    return n > k if op == ">" else n >= k if op == ">=" else n == k if op == "==" else n < k


def names_filtered(text: str, question: str, words: list[str],
                   forms: Mapping[str, Collection[str]] | None = None) -> tuple[list[str], str]:
    """For "which NOUN was refused more than twice", each name of the NOUN (a `noun=value` or
    `noun: value` field, else a name built on the noun) counted over the lines holding the
    rarest of `words` that such lines write, and those whose count the question's bound
    holds; that name as the answer when just one does. ([], "") for another question or a
    text whose lines of the word name no two of them. A word is found as written, or as any
    of its `forms` the text writes ("pay" as `fine paid`, for the question's "settled")."""
    asking = asking_part(question)
    m = _WHICH.search(asking)
    times = _times_asked(asking)
    if m is None or times is None or _RANKS.search(asking) or len(text) > _READ_UP_TO:
        return [], ""
    noun = m.group("noun").lower()
    field = re.compile(rf"(?<![\w.-]){re.escape(noun)}\s*[=:]\s*\"?([\w.@/-]+)", re.IGNORECASE)
    built = re.compile(_name_rx(noun), re.IGNORECASE)
    lines = text.split("\n")
    op, k = times
    for word in [w for w in words if not w.lower().startswith(noun)][:_WORDS_READ]:
        written = sorted({word, *(forms or {}).get(word, ())}, key=len, reverse=True)
        holding = re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, written))})(?![\w-])", re.IGNORECASE)
        held = [line for line in lines if holding.search(line)]
        for rx, how in ((field, f"{noun}= field"), (built, f"{noun} name")):
            names = Counter(found.group(1) for line in held if (found := rx.search(line)))
            if len(names) < _LEAST_NAMES:
                continue
            kept = sorted((name for name, n in names.items() if _holds(n, op, k)), key=lambda nm: -names[nm])
            told = ", ".join(f"{name} {n}" for name, n in names.most_common(8))
            more = f" and {len(names) - 8} more" if len(names) > 8 else ""
            said = {">": "more than", ">=": "at least", "==": "exactly", "<": "fewer than"}[op]
            rows = [f"The {len(held):,} lines holding {word!r}, by the {how} on them: {told}{more}; "
                    f"{len(kept)} {'has' if len(kept) == 1 else 'have'} {said} {k}: {', '.join(kept) or 'none'}."]
            return rows, (kept[0] if len(kept) == 1 else "")
    return [], ""
