"""What a judging question asks of each value of a field: the selection after `classify`.

"List the customers with at least two complaints", "which hosts logged a failure or a warning",
"pairs of user ids where one user has exactly one entity instance and the other has at least
one location": once each line is labelled, the answer is a selection of the field's values by
their label counts (`Labels.by`, `LabelTable.having`), and for pairs, `pairs` of the selected
values. This module reads that selection from the question's asking sentence: the options it
names, in order, each with its amount ("exactly one", "at least two"), joined by "or" (their
counts add up) or "and" (each must hold), and for pairs, what "one" and "the other" must have.

What it cannot read (a condition on dates, a "no ... instance" clause) it leaves out, and the
look's sentence says to change the selection to fit all the question asks. Nothing here knows
a benchmark: the options are the question's own, the field is the text's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = ["Selection", "grouped_steps", "selection"]

_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "a": 1, "an": 1, "single": 1}
_AMOUNT = re.compile(r"\b(?P<how>exactly|at\s+least|at\s+most|no\s+more\s+than|only|more\s+than|over)\s+"
                     r"(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|an?|single)\b",
                     re.IGNORECASE)
"""An amount written before an option ("exactly one instance with", "at least two"); the last one before it counts."""
_OR = re.compile(r"[\s,]*or\s+(?:an?\s+|the\s+)?", re.IGNORECASE)
"""Two options one amount covers: "numeric value or location"."""
_NOT = re.compile(r"\b(?:no|not|none|without|never|nor|neither|dated|before|after|since|until)\b", re.IGNORECASE)
"""Words between two options that make the second a condition this reading does not cover."""
_NONE = re.compile(r"[\s,]*(?:and|but)\s+(?:no|never(?:\s+\w+)?(?:\s+an?|\s+any)?|without(?:\s+an?|\s+any)?|"
                   r"not\s+\w+\s+(?:an?|any))\s+", re.IGNORECASE)
"""An option the values must not have: "a complaint but no praise", "and never wrote a question"."""
_WHEN = re.compile(r"\s+(?:\w+\s+){0,2}(?:dated|before|after|since|until|from|in|on|during)\b", re.IGNORECASE)
"""Words after an option that make "no X" a condition on when ("no X instance dated before ..."): not read."""
_MAX_JOIN_WORDS = 8
_OTHER = re.compile(r",?\s*(?:and|while|whereas)?\s*the\s+other\b", re.IGNORECASE)
"""Where a pair question turns from one of the two to the other: "one user has A, and the other user has B"."""
_COMPARES = re.compile(r"\b(?:more|fewer|less|most|least|than|majority|minority|ratio|percent\w*|share|proportion|"
                       r"average|mean|twice|half)\b", re.IGNORECASE)
"""A clause that compares amounts ("more complaints than praise", "the most"): no `having` reads it."""
_PAIRS = re.compile(r"\bpairs?\s+of\b", re.IGNORECASE)
"""A question that asks for pairs of the things ("pairs of user ids where ...")."""


@dataclass(frozen=True)
class Selection:
    """Code that selects a field's values from `per` (a `LabelTable`), and what it selects, in words."""

    code: str
    which: str


def _amount(before: str) -> tuple[str, str]:
    """The `having` keyword and the words for the amount written right before an option."""
    m = None
    for m in _AMOUNT.finditer(before):
        pass
    if m is None:
        return "", "at least one"
    how = " ".join(m.group("how").lower().split())
    word = m.group("n").lower()
    n = int(word) if word.isdigit() else _NUMBERS[word]
    said = next((w for w, k in _NUMBERS.items() if k == n and len(w) > 2), str(n))
    if how in ("exactly", "only"):
        return f", exactly={n}", f"exactly {said}"
    if how in ("at most", "no more than"):
        return f", most={n}", f"at most {said}"
    if how in ("more than", "over"):
        return f", least={n + 1}", f"more than {said}"
    return ("" if n == 1 else f", least={n}"), f"at least {said}"


def selection(clause: str, options: Sequence[str], per: str, option_rx: Callable[[Sequence[str]], re.Pattern[str]]) -> Selection | None:
    """The selection a clause of the question asks ("has at least one entity or location and
    exactly one abbreviation"), or None when it names no option. Options joined by "or" share
    one `having`; "and" intersects the `having` of each part; a join this cannot read (a date,
    a negation, a new clause after a comma) ends the reading there."""
    at = sorted((m.start(), m.end(), o) for o in options if (m := option_rx([o]).search(clause)))
    if not at or _COMPARES.search(_AMOUNT.sub(" ", clause)):
        return None
    groups: list[list[str]] = [[at[0][2]]]
    amounts = [_amount(clause[:at[0][0]])]
    for (_, end, _), (start, stop, option) in zip(at, at[1:], strict=False):
        between = clause[end:start]
        if _NONE.fullmatch(between) and not _WHEN.match(clause, stop):
            groups.append([option])  # "a complaint but no praise": none of it
            amounts.append((", exactly=0", "no"))
        elif _OR.fullmatch(between):
            groups[-1].append(option)
        elif (re.search(r"\band\b", between, re.IGNORECASE) and "," not in between and not _NOT.search(between)
              and len(between.split()) <= _MAX_JOIN_WORDS):
            groups.append([option])
            amounts.append(_amount(between))
        else:
            break
    parts = [f"{per}.having({', '.join(map(repr, group))}{keyword})" for group, (keyword, _) in zip(groups, amounts, strict=True)]
    words = [f"{said} {' or '.join(group)}" for group, (_, said) in zip(groups, amounts, strict=True)]
    if len(parts) == 1:
        return Selection(parts[0], words[0])
    return Selection("sorted(" + " & ".join(f"set({p})" for p in parts) + ")", " and ".join(words))


def grouped_steps(asking: str, options: Sequence[str], grouped: str,
                  option_rx: Callable[[Sequence[str]], re.Pattern[str]]) -> tuple[str, str, str]:
    """The steps after `classify` for a question about each value of the field `grouped`, as
    one line of code, the sentence that says what they hold, and the name that holds the
    answer ("" when the steps select nothing)."""
    name = re.sub(r"[^a-z0-9]+", "_", grouped.lower()).strip("_") or "value"
    per, chosen, others, paired = f"per_{name}", f"{name}s", f"other_{name}s", f"{name}_pairs"
    pairs_asked = _PAIRS.search(asking) is not None
    halves = _OTHER.split(asking, maxsplit=1) if pairs_asked else [asking]
    first = selection(halves[0], options, per, option_rx)
    second = selection(halves[1], options, per, option_rx) if len(halves) == 2 and first is not None else None
    said = f"Then {per} holds each {grouped}'s label counts ({per}[value][label])"
    if first is None:  # a comparison, or no option named: the table, and how to select from it
        return (f"{per} = labels.by({grouped!r})",
                f"{said}: {per}.having({options[0]!r}) lists the {grouped} values with at least one {options[0]}; "
                "exactly=1, least=2 or most=0 select otherwise.", "")
    steps = f"{per} = labels.by({grouped!r}); {chosen} = {first.code}"
    said += f", and {chosen} the {grouped} values with {first.which}"
    if second is not None:
        steps += f"; {others} = {second.code}"
        said += f"; {others} those with {second.which}"
    said += "; .having(label, exactly=1), least=2 or most=0 select otherwise"
    if pairs_asked:
        steps += f"; {paired} = pairs({chosen}{', ' + others if second is not None else ''})"
        said += (f"; {paired} every pair of " + (f"one of {chosen} and one of {others}" if second is not None
                                                 else "two of them") +
                 f", as (lower, higher), and FINAL_VAR({paired!r}) answers with them all")
    return steps, said + ". Change the selection to fit all the question asks.", paired if pairs_asked else chosen
