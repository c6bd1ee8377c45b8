"""What a judging question asks of each value of a field: the selection after `classify`.

"List the customers with at least two complaints", "which hosts logged a failure or a warning",
"pairs of user ids where one user has exactly one entity instance and the other has at least
one location": once each line is labelled, the answer is a selection of the field's values by
their label counts (`Labels.by`, `LabelTable.having`), and for pairs, `pairs` of the selected
values. This module reads that selection from the question's asking sentence: the options it
names, in order, each with the amount written right before it ("exactly one", "at least two",
"no"), joined by "or" (their counts add up) or "and" (each must hold), and for pairs, what
"one" and "the other" must have.

A reading that stops early (a condition on dates, a join it cannot read) still offers what it
read, and the look names the words it left out, to add. A comparison ("more complaints than praise"), "neither", or "one of
the two" gives no selection at all: a wrong offer is worse than none. Nothing here knows a
benchmark: the options are the question's own, the field is the text's.
"""

from __future__ import annotations

import builtins
import keyword
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from itertools import pairwise

from recursor.sandbox.helpers import to_date

__all__ = ["Selection", "Steps", "grouped_steps", "selection"]

_NUMBERS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "a": 1, "an": 1, "single": 1}
_N = r"(?P<n>\d+|zero|one|two|three|four|five|six|seven|eight|nine|ten|an?|single)"
_FILLER = (r"(?:\s+(?:[a-z]+\s+)?(?:with|of|labell?ed|tagged|marked|as|that\s+(?:is|are|was|were)|"
           r"which\s+(?:is|are|was|were)))?(?:\s+(?:an?|the))?\s+$")
"""What may stand between an amount and its option: "at least one | instance with | entity"."""
_AMOUNT = re.compile(r"\b(?P<how>exactly|at\s+least|at\s+most|(?:no|not|never)\s+more\s+than|only|more\s+than|over)\s+"
                     + _N + _FILLER,
                     re.IGNORECASE)
"""An amount written right before an option ("exactly one instance with", "at least two")."""
_ANY_AMOUNT = re.compile(r"\b(?:exactly|at\s+least|at\s+most|(?:no|not|never)\s+more\s+than|more\s+than|over)\s+" + _N
                         + r"\b",
                         re.IGNORECASE)
"""An amount anywhere: its "least" or "more" compares nothing."""
_BARE = re.compile(r"(?<![\w-])" + _N.replace("an?|", "") + _FILLER, re.IGNORECASE)
"""A bare number right before an option ("wrote two complaints"): exactly that many."""
_NEGATED = re.compile(r"(?:\b(?:no|not|never|without|none|zero)\b|n't)"
                      r"(?:\s+(?!(?:from|in|at|by|of|for|to|only|with)\b)\w+){0,2}" + _FILLER, re.IGNORECASE)
"""A negation right before an option ("no complaint", "never wrote a complaint", "did not write a complaint")."""
_REFUSED = re.compile(r"\b(?:neither|nor|either|except|other\s+than|(?:exactly|at\s+least|at\s+most|only)?\s*one\s+of\s+"
                      r"(?:the\s+two|them|the\s+pair)|just\s+one\s+of|not\s+only|nothing\s+but|"
                      r"only\s+(?!(?:one|two|three|four|five|six|seven|eight|nine|ten|\d+)\b))\b", re.IGNORECASE)
"""Words a `having` per side does not read: "neither", "one of the two", "except", "only
complaints" (none of the other options), "not only"."""
_OR = re.compile(r"[\s,]*or\s+(?:an?\s+|the\s+)?", re.IGNORECASE)
"""Two options one amount covers: "numeric value or location"."""
_STOPS = re.compile(r"\b(?:dated|before|after|since|until|till|through|during|between|from|to|nor|neither)\b", re.IGNORECASE)
"""Words between two options that make the second a condition this reading does not cover."""
_MAX_JOIN_WORDS = 8
_WHEN = re.compile(r"\s+(?:\w+\s+){0,2}(?:dated|before|after|since|until|from|in|on|during)\b", re.IGNORECASE)
"""Words after an option that make its amount a condition on when ("no X instance dated before ...")."""
_DAY = r"\d{4}-\d{2}-\d{2}|[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8}\s+\d{4}"
_DATED = re.compile(r"\s+(?:(?!(?:or|and|but|nor)\b)\w+\s+){0,2}?dated\s+(?P<rel>on\s+or\s+before|on\s+or\s+after|before|"
                    r"after|by|since|from|between|until|till)\s+(?P<day>" + _DAY + r")"
                    r"(?:\s+(?:to|through|till|until|and)\s+(?P<end>" + _DAY + r"))?", re.IGNORECASE)
"""A period right after an option: "(instance) dated on or before Jan 6, 2023", "dated from
2024-01-01 to 2024-03-01"; not one after another option ("a complaint or praise dated ...")."""
_OTHER = re.compile(r",?\s*(?:and|while|whereas)?\s*the\s+other\b", re.IGNORECASE)
"""Where a pair question turns from one of the two to the other: "one user has A, and the other user has B"."""
_COMPARES = re.compile(r"\b(?:more|fewer|less|most|least|than|majority|minority|ratio|percent\w*|share|proportion|"
                       r"average|mean|twice|half)\b", re.IGNORECASE)
"""A clause that compares amounts ("more complaints than praise", "the most"): no `having` reads it."""
_PAIRS = re.compile(r"\bpairs?\s+of\b", re.IGNORECASE)
"""A question that asks for pairs of the things ("pairs of user ids where ...")."""
_COUNTS = re.compile(r"\bhow\s+many\b|\bnumber\s+of\b|\bcount\b|\btotal\b", re.IGNORECASE)
_TAKEN = frozenset({"labels", "context", "answer", "lines", "pairs", "record", "entries", "blocks", "headings", "grep",
                    "classify", "table", "rows", "count", "top"}) | frozenset(dir(builtins)) | frozenset(keyword.kwlist)
"""Names an offered variable must not take: the REPL's own, builtins and keywords."""


@dataclass(frozen=True)
class Selection:
    """Code that selects a field's values from a `LabelTable`, what it selects in words, and
    what of the clause the reading left out (`rest`)."""

    code: str
    which: str
    rest: str = ""
    """The clause's words after what was read, when they hold a condition left out ("" when none)."""


@dataclass(frozen=True)
class Steps:
    """The offered code after `classify`, the sentence saying what it holds, and the name that
    holds the answer as asked ("" when none does)."""

    code: str
    said: str
    holds: str


def _amount(before: str) -> tuple[str, str]:
    """The `having` keyword and the words for the amount written right before an option:
    "at least one" when none is."""
    if _NEGATED.search(before):
        return ", exactly=0", "no"
    m = _AMOUNT.search(before)
    if m is None and (m := _BARE.search(before)) is None:
        return "", "at least one"
    how = " ".join(m.group("how").lower().split()) if "how" in m.groupdict() and m.group("how") else "exactly"
    word = m.group("n").lower()
    n = int(word) if word.isdigit() else _NUMBERS[word]
    said = next((w for w, k in _NUMBERS.items() if k == n and len(w) > 2), str(n))
    if how in ("exactly", "only"):
        return f", exactly={n}", f"exactly {said}"
    if how in ("at most", "no more than", "not more than", "never more than"):
        return f", most={n}", f"at most {said}"
    if how in ("more than", "over"):
        return f", least={n + 1}", f"more than {said}"
    return ("" if n == 1 else f", least={n}"), f"at least {said}"


def _named(clause: str, options: Sequence[str], option_rx: Callable[[Sequence[str]], re.Pattern[str]]
           ) -> list[tuple[int, int, str]]:
    """Each place the clause names an option, in order; an option inside a longer one's match
    ("bug" in "bug report") is not named there."""
    found = [(m.start(), m.end(), o) for o in options for m in option_rx([o]).finditer(clause)]
    kept = [f for f in found if not any(g != f and g[0] <= f[0] and f[1] <= g[1] for g in found)]
    return sorted(kept)


def _dated(clause: str, at: int) -> tuple[str, str, int] | None:
    """The period written right after an option ("instance dated on or before Jan 6, 2023"), as
    `having`'s keywords, in words, and where it ends; None when none is written there, or its
    date does not read."""
    m = _DATED.match(clause, at)
    if m is None or (day := to_date(m.group("day"))) is None:
        return None
    rel = " ".join(m.group("rel").lower().split())
    if rel in ("from", "between") and m.group("end"):
        if (end := to_date(m.group("end"))) is None or end < day:
            return None
        return (f", first={day.isoformat()!r}, last={end.isoformat()!r}",
                f" dated {rel} {m.group('day')} to {m.group('end')}", m.end())
    if rel == "between":
        return None
    if rel in ("before", "until", "till"):
        day, key = (day - timedelta(days=1), "last") if rel == "before" else (day, "last")
    elif rel == "after":
        day, key = day + timedelta(days=1), "first"
    elif rel == "on or before" or rel == "by":
        key = "last"
    else:  # on or after, since, from
        key = "first"
    return f", {key}={day.isoformat()!r}", f" dated {rel} {m.group('day')}", m.end()


def selection(clause: str, options: Sequence[str], per: str,
              option_rx: Callable[[Sequence[str]], re.Pattern[str]]) -> Selection | None:
    """The selection a clause of the question asks ("has at least one entity or location and
    exactly one abbreviation", "and no human being instance dated on or before Jan 6, 2023"),
    or None when it names no option, compares amounts or says "neither" or "one of the two".
    Options joined by "or" share one `having`; "and" (or "but no") intersects the `having` of
    each part; a period written right after an option counts only the items dated in it; a
    join this cannot read ends the reading there."""
    at = _named(clause, options, option_rx)
    if not at or _COMPARES.search(_ANY_AMOUNT.sub(" ", clause)) or _REFUSED.search(clause):
        return None
    groups: list[list[str]] = [[at[0][2]]]
    amounts = [_amount(clause[:at[0][0]])]
    periods = [_dated(clause, at[0][1])]
    read_to = periods[0][2] if periods[0] else at[0][1]
    for (_, end, _), (start, stop, option) in pairwise(at):
        if start < read_to:
            continue  # inside the period just read
        between = clause[read_to if periods[-1] else end:start]
        period = _dated(clause, stop)
        if _OR.fullmatch(between) and periods[-1] is None:
            groups[-1].append(option)
            periods[-1] = period
        elif (re.search(r"\b(?:and|but)\b", between, re.IGNORECASE) and "," not in between and not _STOPS.search(between)
              and len(between.split()) <= _MAX_JOIN_WORDS and (period is not None or not _WHEN.match(clause, stop))):
            groups.append([option])
            amounts.append(_amount(between))
            periods.append(period)
        else:
            break
        read_to = period[2] if period else stop
    rest = clause[read_to:].strip(" ,.;?!")
    # What is left holds a condition when it names an option again or a date; else it is the
    # clause's tail.
    if rest and _named(rest, options, option_rx):
        return None  # an option left unread: a part of the selection would say something else
    rest = rest if rest and _STOPS.search(rest) else ""
    parts, words = [], []
    for group, (keyword_, said), period in zip(groups, amounts, periods, strict=True):
        parts.append(f"{per}.having({', '.join(map(repr, group))}{keyword_}{period[0] if period else ''})")
        words.append(f"{said} {' or '.join(group)}{period[1] if period else ''}")
    code = parts[0] if len(parts) == 1 else "sorted(" + " & ".join(f"set({p})" for p in parts) + ")"
    return Selection(code, " and ".join(words), rest)


def _free(name: str, taken: Iterable[str] = ()) -> str:
    """`name`, or `name` with `_values` after it when the REPL or Python already use it."""
    return f"{name}_values" if name in _TAKEN or name in set(taken) or not name.isidentifier() else name


def grouped_steps(asking: str, options: Sequence[str], grouped: str,
                  option_rx: Callable[[Sequence[str]], re.Pattern[str]], said_after: str = "") -> Steps:
    """The steps after `classify` for a question about each value of the field `grouped`, read
    from its asking sentence. `said_after`: what later sentences add ("Ignore reviews dated
    before ..."), which the steps leave out: then nothing is said to hold the answer."""
    name = re.sub(r"[^a-z0-9]+", "_", grouped.lower()).strip("_")
    name = name if name and not name[0].isdigit() else f"f_{name}"
    per = f"per_{name}"
    chosen = _free(f"{name}s")
    others, paired = _free(f"other_{name}s"), _free(f"{name}_pairs")
    said = f"Then {per} holds each {grouped}'s label counts ({per}[value][label])"
    table_only = Steps(f"{per} = labels.by({grouped!r})",
                       f"{said}: {per}.having({options[0]!r}) lists the {grouped} values with at least one "
                       f"{options[0]}; exactly=1, least=2 or most=0 select otherwise.", "")
    pairs_asked = _PAIRS.search(asking) is not None
    halves = _OTHER.split(asking, maxsplit=1) if pairs_asked else [asking]
    if pairs_asked:  # "one customer with a complaint": one of the pair, not an amount
        halves[0] = re.sub(rf"\bone\s+(?=(?:{re.escape(grouped)}|{re.escape(name)})s?\b)", "", halves[0], flags=re.IGNORECASE)
    first = selection(halves[0], options, per, option_rx)
    second = selection(halves[1], options, per, option_rx) if len(halves) == 2 and first is not None else None
    counted = _COUNTS.search(asking) is not None
    if first is None or (len(halves) == 2 and second is None) or (counted and not re.search(
            rf"\b(?:how\s+many|number\s+of)\s+{re.escape(grouped)}", asking, re.IGNORECASE)):
        return table_only  # a comparison, one side unread, or a count per value: the table only
    code = f"{per} = labels.by({grouped!r}); {chosen} = {first.code}"
    said += f", and {chosen} the {grouped} values with {first.which}"
    if second is not None:
        code += f"; {others} = {second.code}"
        said += f"; {others} those with {second.which}"
    said += "; .having(label, exactly=1), least=2 or most=0 select otherwise"
    holds = chosen
    if pairs_asked:
        code += f"; {paired} = pairs({chosen}{', ' + others if second is not None else ''})"
        said += (f"; {paired} every pair of " + (f"one of {chosen} and one of {others}" if second is not None
                                                 else "two of them") +
                 f", as (lower, higher), and FINAL_VAR({paired!r}) answers with them all")
        holds = paired
    if counted:
        said += f"; len({chosen}) counts them"
        holds = ""
    left = [x.rest for x in (first, second) if x is not None and x.rest] + ([said_after] if said_after else [])
    holds = "" if said_after else holds
    said += "." + "".join(f" The selection leaves out {x!r}: add it." for x in left)
    return Steps(code, said + " Change the selection to fit all the question asks.", holds)
