"""The first look's total of the counts lines write before a noun: "Added up over all the tests,
how many checks is that?" over a test run whose lines say `running 42 checks`.

Each such line states a count of things ("42 checks", "4 new messages", "pushed 286 series"),
and the question asks for them added up. Told that 'checks' is on 242 lines, the 1.5B answered
how many tests there were; asked for the new messages an inbox job reported in total, it
counted the lines. The total is one pass: the number before the question's noun on each line,
added, for each kind of those lines apart (by the words around the count, whatever else a line
names): a test runner also writes `all 24 checks passed`, whose 24 are the same checks
counted again.

When the lines are of several kinds, the kind whose lines write a word of the question the
others do not ("going to run": `running 42 checks`) is the one offered; none when no word
tells them apart. General: the noun is the question's, the kinds the text's own.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import islice

from recursor.line_kinds import cut_line
from recursor.question import HOW_MANY, asking_part
from recursor.question_steps import two_steps
from recursor.sandbox.helpers import _STOP, _stem_rx

__all__ = ["TotalsLook", "totals_look"]

_ADDED_UP = re.compile(r"\b(?:add(?:ed|ing)?\s+(?:\w+\s+)?up|altogether|all\s+together|combined|sum(?:med)?|"
                       r"all\s+told)\b", re.IGNORECASE)
"""Words asking for things added up over lines, not for how many lines. Not "in total" nor
"total": "how many errors are there in total" most often counts the error lines, and a summary
line's "3 errors" added to another's would be no answer."""
_NOT_NOUNS = frozenset({"times", "lines", "entries", "days", "hours", "minutes", "seconds", "weeks", "months", "years"})
"""Plurals after "how many" that count occurrences or spans, not things a line says it has."""
_LEAST_LINES = 3
_RARE_LINES = 20
"""Mentions of a word, at most, for it to name one thing ("git") rather than be the text's own."""
_SHOWN_KINDS = 3
_READ_UP_TO = 8_000_000
_NOT_WORDS = frozenset({"how", "many", "much", "total", "added", "adding", "add", "up", "sum", "overall", "all",
                        "combined", "altogether", "each", "every", "that", "is", "this", "it", "did", "does", "do",
                        "was", "were", "are", "in"})


@dataclass(frozen=True, slots=True)
class TotalsLook:
    """What the look shows of the totals, and the one it offers ("" for none)."""

    rows: list[str]
    counted: str


def _noun(asking: str) -> str | None:
    """The plural noun the question asks how many of: "checks" of "how many checks is that",
    "messages" of "how many new messages did it report"; None for none."""
    m = HOW_MANY.search(asking)
    if m is None:
        return None
    words = m.group("what").lower().replace("-", " ").split()
    plural = [w for w in words if len(w) > 3 and re.fullmatch(r"[a-z]+(?:[^su]s|ies)", w) and w not in _NOT_NOUNS]
    return plural[0] if plural else None


def totals_look(text: str, question: str) -> TotalsLook | None:
    """The counts written before the question's noun, added up per kind of line, for a
    question asking to add them up (`_ADDED_UP`); None for another question, a text that writes
    such counts on fewer than `_LEAST_LINES` lines, or one too long to read."""
    asking = asking_part(question)
    if not _ADDED_UP.search(asking) or len(text) > _READ_UP_TO or (noun := _noun(asking)) is None:
        return None
    if two_steps(question) is not None:
        return None  # "how many errors did that program report, added up": one program's
    singular = noun[:-3] + "y" if noun.endswith("ies") else noun[:-1]
    counted = re.compile(rf"(?<![\w.:/#@=+,-])(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d+)\s+"
                         rf"(?P<between>(?:[a-z]+\s+)?)(?:{noun}|{singular})\b(?P<after>\s*[^\s\d]*)", re.IGNORECASE)
    lines: list[str] = []
    values: list[int] = []
    kinds: list[str] = []
    for line in text.splitlines():
        if (m := counted.search(line)) is not None:
            lines.append(line.strip())
            values.append(int(m.group("n").replace(",", "")))
            # Its kind is how the count is said: the words around it ("running 42 checks", "all 42
            # checks passed"), whatever else the line names (a suite, a test, a time).
            before = line[:m.start()].split()[-1:]  # the word before the count, read without a regex's backtracking
            kinds.append(" ".join(re.sub(r"\d+", "#", part.lower()).strip()
                                  for part in (*before, m.group("between"), m.group("after"))))
    if len(lines) < _LEAST_LINES:
        return None
    totals: Counter[str] = Counter()
    sizes: Counter[str] = Counter()
    example: dict[str, str] = {}
    for line, kind, value in zip(lines, kinds, values, strict=True):
        totals[kind] += value
        sizes[kind] += 1
        example.setdefault(kind, line)
    order = [k for k, _ in sizes.most_common()]
    told = "; ".join(f"{sizes[k]:,} lines like {cut_line(_one_spaced(example[k]), 80)!r} add up to {totals[k]:,}" for k in order[:_SHOWN_KINDS])
    more = f"; and {len(order) - _SHOWN_KINDS} more kinds" if len(order) > _SHOWN_KINDS else ""
    rows = [f"The numbers written before '{noun}' are on {len(lines):,} lines of {len(order):,} "
            f"kind{'s' if len(order) > 1 else ''}: {told}{more}."]
    if (named := _named_elsewhere(text, lines, asking, noun)) is not None:
        # "how many bytes did git allocate, added up": 'git' names one program, on lines of its own.
        rows.append(f"The question's {named!r} is on other lines than these: which of them it means is not read here.")
        return TotalsLook(rows, "")
    if len(order) == 1:
        return TotalsLook(rows, str(totals[order[0]]))
    picked = _picked(order, example, asking, noun)
    if picked is None:
        return TotalsLook(rows, "")
    rows.append(f"The question's {picked[1]!r} is on the lines of the kind that adds up to {totals[picked[0]]:,}.")
    return TotalsLook(rows, str(totals[picked[0]]))


def _named_elsewhere(text: str, lines: list[str], asking: str, noun: str) -> str | None:
    """A word of the question that the text writes a few times (`_RARE_LINES` or fewer), on none
    of the counted lines: a name that says which of the counted lines the question means
    ("git" of "how many bytes did git allocate"). None for none: a word on many lines is
    the text's everyday word ("run", "job"), no name."""
    for word in sorted(_content_words(asking, noun)):
        rx = _stem_rx(word)
        if any(rx.search(line) for line in lines):
            continue
        holding = sum(1 for _ in islice(rx.finditer(text), _RARE_LINES + 1))
        if 0 < holding <= _RARE_LINES:
            return word
    return None


def _content_words(asking: str, noun: str) -> set[str]:
    return {w for w in re.findall(r"[A-Za-z][\w-]{2,}", asking) if w.lower() not in _STOP | _NOT_WORDS and w.lower() != noun}


def _picked(order: list[str], example: dict[str, str], asking: str, noun: str) -> tuple[str, str] | None:
    """The one kind whose example line writes a word of the question that no other kind's
    writes, with that word; None when none or several do."""
    words = _content_words(asking, noun)
    picked: dict[str, str] = {}
    for word in sorted(words):
        # A word as a line starts it: "run" of "going to run" is written "running".
        rx = re.compile(rf"(?<![A-Za-z0-9]){re.escape(word)}", re.IGNORECASE)
        holding = [k for k in order if rx.search(example[k])]
        if len(holding) == 1:
            picked.setdefault(holding[0], word)
    return next(iter(picked.items())) if len(picked) == 1 else None


def _one_spaced(line: str) -> str:
    """`line` with each run of white space one space."""
    return " ".join(line.split())
