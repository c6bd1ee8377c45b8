"""The first look's summary of a text of `Name: value` fields (a package database, mail
headers, a manifest, YAML): which fields there are, and what the question asks of them.

Questions about such a text are about its fields ("the most disk space" is `Installed-Size`),
and neither its first lines nor a search for the question's words shows which fields there
are. General: field names and values are read from the text at hand, never known before.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from recursor.judged import field_keyword
from recursor.question import COUNT_ASKED, MOST, TOKEN, asking_part, negated, not_ranking, ranks
from recursor.sandbox.helpers import _STOP, FIELD_LINE, _stem, to_number

__all__ = ["FIELD_LINE", "FieldSummary", "fields_summary"]


_FIELDS_READ = 4_000_000
"""Characters read for the field summary: ~0.1 s; a 40 MB text is summarised by its start."""
_FIELDS_SHOWN = 12
_FEW_VALUES = 6
"""A field with at most this many values (each on 2 lines or more) has them counted."""
_TIED_SHOWN = 2
"""Records named for a numeric field's largest (or smallest) value; more are counted."""


@dataclass(frozen=True, slots=True)
class FieldSummary:
    """What the look shows of a text of fields."""

    rows: list[str]
    """The line naming the fields, and the call for what the question asks of them."""
    call: str = ""
    """That call, to start from ("" when there is none)."""
    extremes: list[str] = field(default_factory=list)
    """For a question asking the most or least: which record holds each numeric field's
    extreme, one sentence each, shown last (a small model acts on the end of its prompt)."""
    spans: list[tuple[int, int]] = field(default_factory=list)
    """Where the records `extremes` names are named (their first lines): lines the look showed."""


def fields_summary(text: str, question: str) -> FieldSummary:
    """A line naming the fields when most lines are `Name: value` fields: each name with how
    many lines write it, the span of a numeric field and the counts of a field with few
    values (or the one value every line writes). Fields the question names come first, so
    that a text of thirty fields does not cut the one asked about ("flags as essential":
    `Essential`). For a question asking for the most or least of something, each numeric
    field also names the record holding its largest (smallest) value, by that record's first
    field ("The largest Installed-Size, 510,243, is in the record of Package: google-cloud-cli"),
    in `extremes`: "which package uses the most disk space" is that, and code to find it is
    three steps a small model seldom writes.

    When the question names one of a field's few values, or counts a flag some records carry
    (`Essential: yes`) and names it, the call that filters by it; when it
    asks for the most (or more, or the largest number) of something and one of its words
    names a field whose values repeat ("which team maintains the most packages": Maintainer),
    the call that counts per value. Both are also returned as the call to start from (else
    ""). Nothing when fewer than a quarter of the lines are fields. (A filter call shown for
    every question was copied by the 1.5B as its first code whatever the question asked.)"""
    part = text[:_FIELDS_READ]
    fields: dict[str, list[str]] = {}
    at: dict[str, list[int]] = {}
    for m in FIELD_LINE.finditer(part):
        fields.setdefault(m.group(1), []).append(m.group(2).strip())
        at.setdefault(m.group(1), []).append(m.start())
    written = sum(len(v) for v in fields.values())
    lines = part.count("\n") + 1 - len(re.findall(r"^[ \t]*$", part, re.MULTILINE))
    common = sorted(((k, v) for k, v in fields.items() if len(v) >= 5), key=lambda kv: -len(kv[1]))
    if written < 20 or 4 * written < lines or len(common) < 2:
        return FieldSummary([])
    most_written = len(common[0][1])  # the field every record writes, as a rule
    stems = _question_stems(question)
    common.sort(key=lambda kv: not _names(stems, kv[0]))  # stable: the named first, each group by size
    asking = asking_part(question)
    # The most of a quantity ("the most disk space"), not of records ("the largest number of
    # packages": counted per value below) nor a bound ("at most"), for records parted by blank lines.
    side = ("" if not ranks(asking) or _COUNT_RANKING.search(asking) or COUNT_ASKED.search(asking)
            or "\n\n" not in part.replace("\r", "") else "largest" if MOST.search(asking) else "smallest")
    shown = []
    named: tuple[str, str] | None = None
    numeric: set[str] = set()
    extremes: list[str] = []
    spans: list[tuple[int, int]] = []
    for name, values in common[:_FIELDS_SHOWN]:
        numbers = [n for v in values if _NUMBER_VALUE.fullmatch(v) and (n := to_number(v)) is not None]
        counted = Counter(values)
        if len(numbers) >= 0.9 * len(values) and len(counted) > _FEW_VALUES:
            numeric.add(name)
            shown.append(f"{name} {len(values):,} (numbers {min(numbers):,} to {max(numbers):,})")
        elif 2 <= len(counted) <= _FEW_VALUES and all(n >= 2 for n in counted.values()):
            each = ", ".join(f"{v[:30]} {n:,}" for v, n in counted.most_common())
            shown.append(f"{name} {len(values):,} ({each})")
            # The question names the field and one of its values ("priority required").
            if named is None and field_keyword(name) is not None and _field_named(question, [(name, values)],
                                                                             repeating=False):
                said = [v for v in counted if len(v) >= 3 and re.search(
                    rf"(?<![\w-]){re.escape(v)}(?![\w-])", question, re.IGNORECASE)]
                named = (name, said[0]) if said else None
        elif len(counted) == 1:
            shown.append(f"{name} {len(values):,} (all {values[0][:30]})")
            # A flag some records carry, named by a question that counts ("how many packages
            # are flagged essential": `Essential: yes` on 23 of 736): the lines that carry it.
            if (named is None and field_keyword(name) is not None and len(values) < most_written
                    and COUNT_ASKED.search(asking) and _names(stems, name)):
                named = (name, values[0])
        else:
            shown.append(f"{name} {len(values):,}")
    carried = _carried(common[:_FIELDS_SHOWN], most_written, stems, asking, question) if named is None else None
    more = f" (and {len(common) - _FIELDS_SHOWN} more)" if len(common) > _FIELDS_SHOWN else ""
    read = " in its first 4 MB" if len(text) > _FIELDS_READ else ""
    # The fields the question names, if any is numeric; else every one ("disk space" names none).
    ranked = [n for n, _ in common[:_FIELDS_SHOWN] if n in numeric and _one_quantity(fields[n])]
    ranked = [n for n in ranked if _names(stems, n)] or ranked
    for name in ranked if side else []:
        extreme, named_at = _held_by(part, at[name], fields[name], name + read, side)
        extremes.append(extreme)
        spans += named_at
    out = [f"Its lines are Name: value fields{read}: " + ", ".join(shown) + more + "."]
    if named is not None:
        call = f"lines({field_keyword(named[0])}={named[1]!r})"
        out.append(f"{call} gives the lines whose field {named[0]} is {named[1]!r}.")
        return FieldSummary(out, call, extremes, spans)
    if carried is not None:
        call = f"len(lines(r'^{re.escape(carried[0])}:'))"
        out.append(f"{call} counts the {carried[1]:,} lines of field {carried[0]}, which only some records write.")
        return FieldSummary(out, call, extremes, spans)
    most = _RANKED_RECORDS.search(not_ranking(asking))
    if most and _field_named(most.group(1), common, repeating=False) and (
            per := _field_named(question, [(k, v) for k, v in common if k not in numeric])) is not None:
        call = f"count_by(lines(r'^{re.escape(per)}:'), {per!r})"
        out.append(f"{call} counts the lines per {per}, the most first.")
        return FieldSummary(out, call)  # the most records, not the most of a quantity
    return FieldSummary(out, "", extremes, spans)


def _carried(common: list[tuple[str, list[str]]], most_written: int, stems: set[str], asking: str,
             question: str) -> tuple[str, int] | None:
    """The one field a count question names that only some records write, and how many lines
    write it, when the question names none of its values: "how many of the templates come with
    a preset default answer?" is how many write `Default:` (32 of 76), whatever it says. The
    1.5B counted the lines holding "default" (44). None when the question names no such field,
    or two, or a value of it (a filter by value, not presence)."""
    if not COUNT_ASKED.search(asking):
        return None
    named = [(k, v) for k, v in common if len(v) < 0.9 * most_written and _names(stems, k)]
    if len(named) != 1:
        return None
    name, values = named[0]
    if any(len(v) >= 2 and re.search(rf"(?<![\w-]){re.escape(v)}(?![\w-])", question, re.IGNORECASE)
           for v in set(values)):
        return None
    said = {w.lower() for w in TOKEN.findall(asking) if len(w) >= 3 and w.lower() not in _STOP}
    written = " ".join(values).lower()
    inside = [w for w in said if not _names({_stem(w)}, name)  # the field's own name aside
              and re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", written)]
    if negated(question) or _NO_FIELD.search(asking) or inside:
        return None  # "depend on libssl3": a value inside the field; "have no Homepage": the others
    return name, len(values)


_NO_FIELD = re.compile(r"\b(?:no|not|never|without|lack(?:s|ed|ing)?|missing)\b|n't\b", re.IGNORECASE)


def _one_quantity(values: list[str]) -> bool:
    """Whether a numeric field's values are one quantity, comparable as numbers: one unit or
    none ("900 kB" and "2 MB" are not), finite, and no version ("1.9" is older than "1.10")."""
    units = {m.group(1) for v in values if (m := _UNIT.search(v))}
    numbers = [to_number(v) for v in values if _NUMBER_VALUE.fullmatch(v)]
    return (len(units) <= 1 and all(n is not None and math.isfinite(n) for n in numbers)
            and not all(_VERSION_LIKE.fullmatch(v) for v in values[:50]))


_UNIT = re.compile(r"[\d\s]([A-Za-z%]{1,3})$")
_VERSION_LIKE = re.compile(r"\d+\.\d+(?:\.\d+)*")
"""A value written like a version (1.9, 2.4.1): dotted, so compared as numbers it misleads."""
_COUNT_RANKING = re.compile(
    r"\b(?:most|fewest|least|largest|smallest|biggest|highest|lowest|greatest)\s+(?:number|count|amount)\s+of\b",
    re.IGNORECASE)
"""A ranking by how many records ("the largest number of packages"), not by a quantity."""


def _held_by(part: str, starts: list[int], values: list[str], name: str,
             side: str) -> tuple[str, list[tuple[int, int]]]:
    """Which record holds a numeric field's largest (`side`) or smallest value, named by the
    record's first line ("The largest Installed-Size, 510,243, is in the record of Package:
    google-cloud-cli."), and where those first lines are; a record is the lines between
    blank lines. Ties are named up to `_TIED_SHOWN`, then counted."""
    numbers = [(to_number(v) if _NUMBER_VALUE.fullmatch(v) else None) for v in values]
    known = [n for n in numbers if n is not None]
    best = max(known) if side == "largest" else min(known)
    firsts = [_record_first_line(part, s) for s, n in zip(starts, numbers, strict=True) if n == best]
    said = f"The {side} {name}, {best:,}, "  # `name` may say where it was read ("in its first 4 MB")
    named = [span for span in firsts[:_TIED_SHOWN] if span is not None]
    if not firsts or len(named) < min(len(firsts), _TIED_SHOWN):
        return f"{said}is in {len(firsts):,} record{'s' if len(firsts) != 1 else ''}.", []
    listed = " and ".join(part[a:b].rstrip("\r") for a, b in named)
    others = f" and {len(firsts) - _TIED_SHOWN:,} more" if len(firsts) > _TIED_SHOWN else ""
    return f"{said}is in the record{'s' if len(firsts) > 1 else ''} of {listed}{others}.", named


def _record_first_line(part: str, pos: int) -> tuple[int, int] | None:
    """Where the first line of the record (lines between blank lines) holding `pos` is, if
    it is a field of a short value: the record's name ("Package: adduser")."""
    blank = max(part.rfind("\n\n", 0, pos), part.rfind("\n\r\n", 0, pos))
    lo = 0 if blank < 0 else part.index("\n", blank + 1) + 1
    hi = part.find("\n", lo)
    hi = len(part) if hi < 0 else hi
    m = FIELD_LINE.match(part[lo:hi].rstrip("\r"))
    return (lo, hi) if m is not None and len(m.group(2)) <= 60 else None


_RANKED_RECORDS = re.compile(
    r"\b(?:most|fewest|least|largest|smallest|biggest|highest|lowest|greatest|more|fewer|less)\s+"
    r"(?:(?:number|count|amount)\s+of\s+(?:the\s+)?)?((?:[\w-]+\s+)?[\w-]+)", re.IGNORECASE)
"""The most (or more) of something, and the one or two words after it: "the most packages",
"more Files sections" (which of two has more), "the largest number of packages"."""


def _question_stems(question: str) -> set[str]:
    """The stems of the question's words of four letters or more, stop words left out."""
    return {_stem(w.lower()) for w in TOKEN.findall(question) if len(w) >= 4 and w.lower() not in _STOP}


def _names(stems: set[str], name: str) -> bool:
    """Whether a word (as `stems`) names field `name` or one of its parts ("size" of
    `Installed-Size`)."""
    parts = [p for p in re.split(r"[-_.]", name.lower()) if p]
    return any(p.startswith(stem) or _stem(p) == stem for p in parts for stem in stems if len(stem) >= 4)


def _field_named(question: str, common: list[tuple[str, list[str]]], repeating: bool = True) -> str | None:
    """The field a word of the question names ("maintains" names Maintainer, "sections"
    Section), of those whose values repeat most (counting per value means something only
    then: "packages" names Package too, whose every value is one package); None if none
    does or (`repeating`) no named field's values repeat (half of them distinct at most, or
    one written `_REPEATED` times). The count per value answers "the
    most" only when what there is most of is the records themselves ("the most packages",
    each with a Package field), not a quantity ("the most disk space"): `fields_summary`
    checks the superlative's words name a field too."""
    stems = _question_stems(question)
    named = [(len(set(values)) / len(values), name, values) for name, values in common if _names(stems, name)]
    share, name, values = min(named, default=(1.0, "", []))
    repeats = share <= 0.5 or (bool(values) and Counter(values).most_common(1)[0][1] >= _REPEATED)
    return name if name and (repeats or not repeating) else None


_REPEATED = 5
"""A field whose commonest value is written this often is worth counting per value, whatever
its share of distinct values: `Source` of a package database (gcc-12 16 times, 54% distinct)."""


_NUMBER_VALUE = re.compile(r"-?\d[\d,_]*(?:\.\d+)?\s*[A-Za-z%]{0,3}")
"""A field value that is one number, with a unit at most ("510243", "1,024 kB", "12%")."""
