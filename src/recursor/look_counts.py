"""What a look that computes an answer shares: its result, a ranking told the same way, and
the row that says whether the value answers the question or is a step toward it.

`look_table` (tables, JSON objects) and `look_weblog` (access logs) read different texts but
offer the same kind of thing: a call, what it gives, and that value as the answer only when the
question asks just that (`Orientation.counted`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from recursor.question import NOT_FIRST, QUALIFIED, date_range, iso_forms, negated
from recursor.table_sql import Table

__all__ = ["COMPARED", "ComputedLook", "Ranked", "computed_look", "ranked", "says_more"]

_FEWEST = re.compile(r"\b(?:fewest|least|lowest|smallest|minimum)\b", re.IGNORECASE)
_SHOWN = 5
_QUALIFIERS = re.compile(r"\b(?:down|off|up|over|under|above|below|before|after|again|once|same|both|only|or|either|"
                         r"nor|neither|except|excluding|besides|other|than|between|within|without)\b", re.IGNORECASE)
"""Words, several of them stop-words, that qualify a count ("are down", "a status above 200",
"shipped or from France"): no filter by a value says them."""


def says_more(asking: str, question: str, numbers: bool = True) -> bool:
    """Whether a question says more than a count or ranking by values: a qualifier ("distinct",
    "more than", "above", "or"), a negation, a place below the first, a period or a date, and
    with `numbers` any number (a threshold, a year)."""
    return bool(QUALIFIED.search(asking.replace("how many", "")) or negated(question) or NOT_FIRST.search(asking)
                or date_range(question) is not None or iso_forms(asking) or _QUALIFIERS.search(asking)
                or (numbers and re.search(r"\d", asking)))


COMPARED = {">": float.__gt__, ">=": float.__ge__, "<": float.__lt__, "<=": float.__le__}
"""A count's comparison, by how the call writes it."""


@dataclass(frozen=True, slots=True)
class ComputedLook:
    """The rows a look shows, the call that gives what the question asks ("" when it computed
    nothing), and what that call gives when the question asks just that ("" otherwise)."""

    rows: tuple[str, ...]
    call: str = ""
    counted: str = ""
    names_fields: bool = True
    """Whether the rows name the text's fields (a header's columns, a log format's), so that
    lines shown as typical records add nothing; a table with no header line still needs them."""
    header: tuple[str, ...] = ()
    """A delimited table's column names and its separator (`sep`), by which a reader is shown a
    row's cells by name (`look_reader.reader_lines`); () for any other text."""
    sep: str = ""
    table: Table | None = None
    """The table's rows, for a query a sub-model writes (`recursor.table_sql`); None for any
    other text, or a table read only in part."""


@dataclass(frozen=True, slots=True)
class Ranked:
    """Values ranked by an amount as the question asks (the fewest first for "fewest" or
    "least"): how the look tells them, and the first one, "" on a tie."""

    told: str
    top: str


def ranked(amounts: Mapping[str, float], asking: str) -> Ranked | None:
    """`amounts` ranked for `asking`; None when fewer than two values rank."""
    if len(amounts) < 2:
        return None
    fewest = _FEWEST.search(asking) is not None
    order = sorted(amounts.items(), key=lambda kv: kv[1] if fewest else -kv[1])
    tie = order[0][1] == order[1][1]
    told = ", ".join(f"{k} {v:,.10g}" for k, v in order[:_SHOWN]) + (" (fewest first)" if fewest else "")
    return Ranked(told + ("" if tie else f"; {order[0][0]} first"), "" if tie else order[0][0])


def computed_look(rows: list[str], computed: tuple[str, str, str] | None, cut: bool,
                  names_fields: bool = True) -> ComputedLook:
    """The look's rows with the computed (call, result, answer) told: "For the question: ..."
    when it answers the question, else "A step: ...". A text read only in part offers nothing:
    a count of its first rows is no answer about all of them."""
    if computed is None:
        return ComputedLook(tuple(rows), names_fields=names_fields)
    call, result, offered = computed
    offered = "" if cut else offered
    told = f"For the question: {call} gives {result}." if offered else f"A step: {call} gives {result}."
    return ComputedLook((*rows, told), call, offered, names_fields)
