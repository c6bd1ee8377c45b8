"""The first look's reading of a log's measured values: `duration: 0.420 ms`, `time=12.3s`.

Asked "how many statements took more than one millisecond?" over a PostgreSQL log, the 1.5B
counted the lines holding "statement" (1,037); asked which single statement took the longest,
it answered the first line it saw. Each line there writes its measure as a label, a number and
a unit, and both answers are one pass over those lines: the lines past a bound (the question's
number in the measure's unit), or the line with the largest (smallest) value and, when the
question asks which of something the line names by a label ("statement: REINDEX ..."), that
label's value.

General: labels and units are read from the text at hand; only the words for time and size
("took", "longest", "millisecond", "largest", "bytes") are known before.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from recursor.look_counts import COMPARED, says_more
from recursor.question import COUNT_ASKED, TOKEN, asking_part, document_words
from recursor.sandbox.helpers import _STOP, to_number

__all__ = ["MeasureLook", "measures_look"]

_LABEL_AT = r"(?<![\w.-])"
"""Where a label starts, as `_MEASURE` reads it and the look's call finds it: not `cache.bytes`."""
_MEASURE = re.compile(_LABEL_AT + r"(?P<label>(?:[A-Z][a-z]+ )?[A-Za-z][A-Za-z_]{1,24})['\"]?\s*[:=]\s*"
                      r"(?P<num>-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?)[ \t]*"
                      r"(?P<unit>ms|us|µs|ns|s|sec|secs|seconds?|min|mins|minutes?|kB|KB|KiB|MB|MiB|GB|GiB|B|bytes)?"
                      r"(?![\w.])")
"""A measure a line writes: a label (quoted or not: `'bytes': 1273`), `:` or `=`, a number and
its unit if any."""
_LABEL = re.compile(r"(?<![\w.@-])([A-Za-z][\w-]{1,24}):\s+(?=\S)")
"""A one-word label a line writes before its value: `statement: SELECT ...`."""
_TO_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "sec": 1.0, "secs": 1.0, "second": 1.0,
               "seconds": 1.0, "min": 60.0, "mins": 60.0, "minute": 60.0, "minutes": 60.0}
_TO_BYTES = {"B": 1.0, "bytes": 1.0, "kB": 1e3, "KB": 1e3, "KiB": 1024.0, "MB": 1e6, "MiB": 1024.0 ** 2,
             "GB": 1e9, "GiB": 1024.0 ** 3}
_TIME_ASKED = re.compile(r"\b(?:took|take|takes|taking|long|longer|longest|short|shorter|shortest|slow|slower|slowest|"
                         r"fast|faster|fastest|quickest|duration|durations|elapsed|time|milliseconds?|seconds?|"
                         r"microseconds?|minutes?|ms)\b", re.IGNORECASE)
_SIZE_ASKED = re.compile(r"\b(?:size|sizes|bytes?|kilobytes?|megabytes?|gigabytes?|kb|mb|gb|largest|biggest|smallest"
                         r"|heaviest)\b", re.IGNORECASE)
_UNIT_WORDS = {"millisecond": "ms", "milliseconds": "ms", "ms": "ms", "second": "s", "seconds": "s", "s": "s",
               "sec": "s", "secs": "s", "microsecond": "us", "microseconds": "us", "minute": "min", "minutes": "min",
               "min": "min", "byte": "B", "bytes": "B", "kb": "kB", "kilobytes": "kB", "kilobyte": "kB", "mb": "MB",
               "megabytes": "MB", "megabyte": "MB", "gb": "GB", "gigabytes": "GB", "gigabyte": "GB"}
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "twenty": 20, "fifty": 50, "hundred": 100}
_BOUND = re.compile(r"\b(?P<op>more\s+than|longer\s+than|over|above|at\s+least|less\s+than|shorter\s+than|under|below"
                    r"|at\s+most|fewer\s+than|greater\s+than|larger\s+than|bigger\s+than|higher\s+than|exceeding"
                    r"|smaller\s+than|lower\s+than)\s+(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|"
                    + "|".join(_NUMBER_WORDS) + r")\s*(?P<unit>[A-Za-z]+)\b", re.IGNORECASE)
_OPS = {"more than": ">", "longer than": ">", "over": ">", "above": ">", "greater than": ">", "larger than": ">",
        "bigger than": ">", "higher than": ">", "exceeding": ">", "at least": ">=", "less than": "<", "shorter than": "<",
        "under": "<", "below": "<", "fewer than": "<", "smaller than": "<", "lower than": "<", "at most": "<="}
_LEAST = re.compile(r"\b(?:shortest|fastest|quickest|least|fewest|smallest|lowest|minimum)\b", re.IGNORECASE)
_MOST = re.compile(r"\b(?:longest|slowest|most|largest|biggest|highest|maximum|heaviest)\b", re.IGNORECASE)
_WHICH = re.compile(r"\b(?:which|what)\s+(?:(?:single|one|individual)\s+)?(?:[\w-]+\s+){0,2}?(?P<noun>[\w-]+?)s?\b"
                    r"(?=\s+(?:took|had|ran|was|is|has|needed|lasted|used))", re.IGNORECASE)
_VERBS = frozenset("took take takes taking ran run runs execute executed execution executing complete completed "
                   "finish finished process processed needed need last lasted log logged record recorded single "
                   "individual one entry entries line lines".split())
_READ_UP_TO = 8_000_000
_ORDINAL = re.compile(r"\b(?:second|third|fourth|fifth|2nd|3rd|4th|5th|next)[\s-]+(?:\w+est|most|least)\b",
                      re.IGNORECASE)
_LEAST_LINES = 20
_SHARE = 0.05
"""A measure is read from `_LEAST_LINES` lines or more; one the question names only by a word for
time or size must also be on `_SHARE` of the lines. One it names by its label ("a request body
bigger than 8,000 bytes": `body:`) may be rare in the log."""
_UNIT_SUFFIX = re.compile(r"(?:^|_)(?P<unit>ms|us|ns|s|sec|secs|seconds|bytes|kb|mb|gb)$", re.IGNORECASE)


_UNITS = r"ms|us|µs|ns|s|secs?|seconds?|mins?|minutes?|kB|KiB|MB|MiB|GB|GiB|bytes"
_BARE = re.compile(rf"(?<=\d)(?P<space> ?)(?P<unit>{_UNITS})(?!\w)", re.IGNORECASE)
"""A unit after a number (`1823ms`, `4096 bytes`): a measure a line writes with no label, its
value read by `to_number(line, unit)`."""
_ATTACHED = frozenset(("s", "min"))
"""Units read only when written against the number: `12s`, not "2 s" (a letter after a number)."""
_SINGULAR = {"secs": "sec", "seconds": "second", "mins": "min", "minutes": "minute", "kb": "kB", "kib": "KiB",
             "mb": "MB", "mib": "MiB", "gb": "GB", "gib": "GiB"}
"""A unit as the look names it: one spelling for the singular and plural (`to_number(l, "second")`
reads "1 second" and "3 seconds") and for any case."""
_STRAY = 2
"""Lines of another unit of the same kind a measure with no label may have ("added 12 packages
in 9s" after 734 lines of `...ms`): more, and the values are in two units, so none is read."""


def _bare(unit: str) -> str:
    """The pattern of the lines that write a number with `unit` (or its plural) and no label,
    as the look's call writes it: the lines `to_number(line, unit)` reads a number from."""
    space = "" if unit in _ATTACHED else " ?"
    plural = "" if unit.endswith("s") else "(?:e?s)?"  # "1 second", "3 seconds"; "1 key", "8 keys"
    return rf"(?<![\w.:-])\d[\d,]*(?:\.\d+)?{space}{re.escape(unit)}{plural}\b"


def _names(asking: str, label: str) -> bool:
    """Whether the question names a label, in the singular or plural ("bodies": `body:`)."""
    plural = re.escape(label[:-1]) + "ies" if label.endswith("y") else re.escape(label) + "(?:s|es)?"
    return re.search(rf"\b(?:{re.escape(label)}|{plural})\b", asking, re.IGNORECASE) is not None


def _label_unit(label: str) -> str:
    """The unit a label names when its values write none: `'bytes': 1273`, `duration_ms=12`."""
    m = _UNIT_SUFFIX.search(label)
    if m is None:
        return ""
    unit = _UNIT_WORDS.get(m.group("unit").lower(), "")
    return unit if unit in _TO_SECONDS or unit in _TO_BYTES else ""


@dataclass(frozen=True, slots=True)
class MeasureLook:
    """What the look shows of a log's measure, and the answer when the question asks just that."""

    rows: list[str]
    counted: str = ""


@dataclass(frozen=True, slots=True)
class _Measure:
    label: str
    unit: str
    values: list[tuple[float, str]]  # (value, line)

    @property
    def shown_unit(self) -> str:
        """The unit as rows name it: a thing counted in the plural ("8299 keys")."""
        return self.unit if self.kind or self.label or not self.unit else self.unit + "s"

    @property
    def kind(self) -> str:
        unit, label = _unit_kind(self.unit), self.label.lower()
        return "time" if unit == "time" or label in ("duration", "elapsed", "time") else (
            "size" if unit == "size" or label in ("size", "bytes") else "")


def _unit_kind(unit: str) -> str:
    """What a unit measures: "time", "size", or "" (a thing counted, or none)."""
    return "time" if unit in _TO_SECONDS else "size" if unit in _TO_BYTES else ""


def measures_look(text: str, question: str) -> MeasureLook | None:
    """The look at the one measure of a log's lines the question asks about (by its label, or
    by a word for time or size), with the count past the question's bound or the line of the
    largest (smallest) value; None when the lines write no such measure, or the question
    names none or several."""
    if len(text) > _READ_UP_TO:
        return None  # a count over part of a log is no count of it
    asking = asking_part(question)
    counts, ranks = COUNT_ASKED.search(asking) is not None, bool(_MOST.search(asking) or _LEAST.search(asking))
    if not (counts or ranks):
        return None  # asks neither: the lines are not read
    measure = _asked_measure(text, asking)
    if measure is None:
        return None
    values = [v for v, _ in measure.values]
    if measure.label:
        # As the lines write it, a quote before too: `"bytes":` is not in `"cache.bytes":`.
        found = (re.search(rf"{_LABEL_AT}['\"]?{re.escape(measure.label)}['\"]?\s*[:=]", line, re.IGNORECASE)
                 for _, line in measure.values)
        forms = {m.group(0) for m in found if m}
        written = min(forms) if forms else measure.label + ":"  # as the lines write it: "duration:", "time="
        # Written in two cases ("Duration:" and "duration:"), each line is read in lower case.
        line = "l" if len(forms) == 1 else "l.lower()"
        written = written if len(forms) == 1 else written.lower()
        call_of = f"to_number({line}.split({written!r}, 1)[1].split()[0])"
        source = f"lines({_raw(_LABEL_AT + written)})"  # not `request_bytes':` nor `cache.bytes":`
        what = (f"'{measure.label}'" if _label_unit(measure.label)  # `'bytes': 1273`
                else f"a {measure.label} in {measure.unit or 'no unit'}")
    else:  # "... 1823ms (cache miss)": the number the unit follows
        call_of = f"to_number(l, {measure.unit!r})"
        source = f"lines(r'{_bare(measure.unit)}')"
        what = (f"a number in {measure.unit} with no label" if measure.kind
                else f"a number of {measure.shown_unit}")
    head = f"{len(values):,} lines write {what}, from {min(values):g} to {max(values):g}."
    if counts:
        return _bounded(measure, asking, question, head, call_of, source)
    return _extreme(measure, asking, question, head, call_of, source)


def _asked_measure(text: str, asking: str) -> _Measure | None:
    lines = text.split("\n")
    found: dict[str, list[tuple[float, str]]] = {}  # by the label in lower case
    units: dict[str, set[str]] = {}
    labels: dict[str, str] = {}  # each label as first written
    for line in lines:
        seen = set()
        for m in _MEASURE.finditer(line):
            if (label := m.group("label").lower()) in seen:
                continue  # a label twice on a line: the line counts once, by its first
            seen.add(label)
            labels.setdefault(label, m.group("label"))
            found.setdefault(label, []).append((float(m.group("num").replace(",", "")), line))
            units.setdefault(label, set()).add(m.group("unit") or "")
    least = max(_LEAST_LINES, _SHARE * len(lines))
    measures = [_Measure(labels[key], min(units[key]) or _label_unit(key), values) for key, values in found.items()
                if len(values) >= _LEAST_LINES]
    unbound = _BOUND.sub(" ", asking)  # "larger than 10,000 bytes" names no label `bytes=`
    named = [m for m in measures if _names(unbound, m.label)]
    if not named:  # a measure the question does not name is one most lines write
        kinds = ["time"] if _TIME_ASKED.search(asking) else ["size"] if _SIZE_ASKED.search(asking) else []
        named = [m for m in measures if m.kind in kinds and len(m.values) >= least]
        if not named and kinds:
            named = [m for m in [_unlabelled(text, lines, kinds[0], least)] if m is not None]
        if not named:  # "at what time did the database hold the most keys": `DB 0: 8299 keys`
            named = [m for m in [_counted_things(lines, asking)] if m is not None]
    if len(named) != 1 or len(units.get(named[0].label.lower(), ())) > 1:
        return None  # none or several asked about; or "850ms" beside "1.2s": no one unit to compare in
    return named[0]


def _unlabelled(text: str, lines: list[str], kind: str, least: float) -> _Measure | None:
    """The measure the lines write in one unit of `kind` with no label, on `least` lines or
    more, read as the look's call reads it; None when they write none, or also another unit
    of that kind on more than a stray line ("850ms" beside "1.2s": no one unit to compare in)."""
    # Each unit: how often it is written (one pass over the text: as many times as lines, or more).
    bare = Counter(_SINGULAR.get(u, u) for m in _BARE.finditer(text) for u in [m.group("unit").lower()]
                   if not (m.group("space") and u in _ATTACHED))
    of_kind = [(n, u) for u, n in bare.most_common() if _unit_kind(u) == kind]
    if not of_kind or of_kind[0][0] < least or sum(n for n, _ in of_kind[1:]) > _STRAY:
        return None
    unit = of_kind[0][1]
    values = _numbers_before(lines, unit)
    return _Measure("", unit, values) if len(values) >= least else None


def _numbers_before(lines: list[str], unit: str) -> list[tuple[float, str]]:
    """Each line's number written before `unit` (`to_number(line, unit)`), on the lines the
    look's call finds (`_bare`), so the values told are the ones the call reads."""
    written = re.compile(_bare(unit), re.IGNORECASE)
    return [(float(v), line) for line in lines if written.search(line) and (v := to_number(line, unit)) is not None]


_THINGS_ASKED = re.compile(r"\b(?:(?:the\s+)?(?:most|fewest|least|highest\s+number\s+of|lowest\s+number\s+of|"
                           r"largest\s+number\s+of|smallest\s+number\s+of)|(?:more|fewer|less)\s+than\s+[\d,.]+|"
                           r"(?:over|above|under|below|at\s+least|at\s+most)\s+[\d,.]+)\s+(?P<noun>[a-z][a-z-]{2,}s)\b",
                           re.IGNORECASE)
"""A count of things the question compares ("the most keys", "more than 5,000 keys")."""
_THINGS_LEAST = 5
"""Lines that must write a number of the things ("8299 keys") for them to be read as a measure."""


def _singular(noun: str) -> str:
    """The singular a plural is read from (`to_number` finds both): "keys" -> "key", "processes" -> "process"."""
    low = noun.lower()
    if re.search(r"(?:ss|x|ch|sh)es$", low):
        return low[:-2]
    return low if low.endswith("ies") else low[:-1]


def _counted_things(lines: list[str], asking: str) -> _Measure | None:
    """The number of a thing the question compares, as the lines write it after the number
    ("the most keys": `DB 0: 8299 keys`), on `_THINGS_LEAST` lines or more."""
    m = _THINGS_ASKED.search(asking)
    if m is None or (noun := m.group("noun").lower()) in _UNIT_WORDS or noun in _STOP or re.search(r"(?:ss|us|is)$", noun):
        return None  # "status", "analysis": no plural
    unit = _singular(noun)
    values = _numbers_before(lines, unit)
    return _Measure("", unit, values) if len(values) >= _THINGS_LEAST else None


def _unexplained(asking: str, question: str, measure: _Measure, also: set[str]) -> list[str]:
    """The question's words that neither the measure, its lines' labels, its kind nor the
    document's name say: a qualifier ("failed", "by user alice") the count would leave out."""
    labels = {w.lower() for _, line in measure.values[:200] for m in _LABEL.finditer(line) for w in m.group(1).split()}
    described = document_words(question)
    out = []
    for word in TOKEN.findall(asking):
        w = word.lower()
        stem = re.sub(r"(?:es|s)$", "", w)
        if (w in _STOP or w in described or w in _VERBS or w in also or w in labels or stem in labels
                or w == measure.label.lower() or _TIME_ASKED.fullmatch(w) or _SIZE_ASKED.fullmatch(w)
                or _MOST.fullmatch(w) or _LEAST.fullmatch(w) or w in _NUMBER_WORDS or w in _UNIT_WORDS
                or re.fullmatch(r"\d+(?:\.\d+)?", w)):
            continue
        out.append(word)
    return out


def _bounded(measure: _Measure, asking: str, question: str, head: str, call_of: str,
             source: str) -> MeasureLook | None:
    """The lines whose measure is past the question's bound, in the measure's unit."""
    m = _BOUND.search(asking)
    if m is None or len(_BOUND.findall(asking)) != 1:
        return None
    unit = _UNIT_WORDS.get(m.group("unit").lower()) or _UNIT_WORDS.get(m.group("unit").lower().rstrip("s"))
    n = m.group("n").lower()
    number = float(_NUMBER_WORDS.get(n, 0) or n.replace(",", ""))  # "8,000 bytes"
    # A thing counted is its own unit: "more than 5,000 keys" of `8299 keys`
    scale = 1.0 if not measure.kind and _singular(m.group("unit")) == measure.unit else _scale(unit, measure.unit)
    if scale is None:
        return None
    limit = round(number * scale, 9)  # 1 ms is 1000 us, not 1000.0000000000001
    op = _OPS[" ".join(m.group("op").lower().split())]
    test = COMPARED[op]
    values = measure.values
    carried = _counted_label(measure, asking)
    if carried is not None:  # "how many statements": the lines that write a statement
        writes = _labelled(carried)
        values = [(v, line) for v, line in values if writes.search(line)]
        source = f"[l for l in {source} if {carried + ':'!r} in l]"
    kept = [line for v, line in values if test(v, limit)]
    written = f"{limit:g}"
    call = f"len([l for l in {source} if ({call_of}) {op} {written}])"
    rows = [head, f"Of them, {len(kept):,} {'with a ' + carried + ' ' if carried else ''}have {measure.label or 'a value'} {op} "
                  f"{written} {measure.shown_unit}: {call} gives them."]
    cut = asking[:m.start()] + " " + asking[m.end():]
    plain = not _unexplained(cut, question, measure, set()) and not says_more(cut, question.replace(m.group(0), " "),
                                                                              numbers=False)
    if carried is not None and kept:
        named = [_value_after(line, carried) for line in kept]
        if len(set(named)) < 0.5 * len(named):
            plain = False  # "how many users": a few users write many lines; lines are no users
    return MeasureLook(rows, str(len(kept)) if plain else "")


def _raw(pattern: str) -> str:
    """A pattern as a raw string literal in the look's call (`r'...'`, or `r"..."` when it holds a quote)."""
    quote = "'" if "'" not in pattern else '"'
    return f"r{quote}{pattern}{quote}"


def _labelled(label: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w.@-]){re.escape(label)}:\s", re.IGNORECASE)


def _counted_label(measure: _Measure, asking: str) -> str | None:
    """The label of the measure's lines that the noun a question counts names ("how many
    statements": `statement:`), as the lines write it; None when it names none."""
    m = re.search(r"\bhow\s+many\s+(?:of\s+the\s+)?(?:[\w-]+\s+){0,2}?([\w-]+?)s?\b(?=\s+(?:in|of|took|had|have|"
                  r"did|were|was|are|ran|that|which|with|from|on|by|over|under|above|below|more|less|lasted|needed)\b)",
                  asking, re.IGNORECASE)
    if m is None:
        return None
    noun = m.group(1).lower()
    labels = {lm.group(1) for _, line in measure.values[:500] for lm in _LABEL.finditer(line)}
    return next((label for label in labels if label.lower() in (noun, noun + "s") and label != measure.label), None)


def _value_after(line: str, label: str) -> str:
    """What a line writes after `label:`, up to the next label."""
    m = _labelled(label).search(line)
    if m is None:
        return ""
    return _NEXT_LABEL.split(" " + line[m.end():])[0].strip()


_NEXT_LABEL = re.compile(r"\s*(?:[,|\t]\s*)?\s(?:[A-Z][a-z]+ )?[A-Za-z][\w-]{0,24}[:=]\s|\t|\s\|\s")
"""Where a label's value ends: the next label (after spaces, a comma or a bar), a tab, or " | "."""


def _scale(asked: str | None, written: str) -> float | None:
    """How many of the measure's unit one of the question's is; None when they measure
    different things, or the question names no unit the measure can be read in."""
    if asked is None:
        return None
    for table in (_TO_SECONDS, _TO_BYTES):
        if asked in table and written in table:
            return table[asked] / table[written]
    return None


def _extreme(measure: _Measure, asking: str, question: str, head: str, call_of: str,
             source: str) -> MeasureLook | None:
    """The line of the largest (smallest) value, and the value of its label the question asks
    which of ("which statement took the longest": the line's `statement:`)."""
    if _ORDINAL.search(asking):
        return None  # "the second longest": not the first
    least = _LEAST.search(asking) is not None
    order = sorted(measure.values, key=lambda vl: vl[0], reverse=not least)
    top, line = order[0]
    tie = len(order) > 1 and order[1][0] == top
    pick = "min" if least else "max"
    call = f"{pick}({source}, key=lambda l: {call_of})"
    rows = [head, f"The {'smallest' if least else 'largest'}, {top:g} {measure.shown_unit}, is on the line: {line.strip()[:300]}"
            f" ({call} gives it)."]
    which = _WHICH.search(asking)
    if tie or which is None:
        return MeasureLook(rows)
    noun = which.group("noun").lower()
    label = next((m.group(1) for m in _LABEL.finditer(line)
                  if m.group(1).lower() in (noun, noun + "s") and m.group(1).lower() != measure.label.lower()), None)
    if label is None:
        return MeasureLook(rows)
    value = _value_after(line, label)
    rows.append(f"Its {noun}: {value}")
    # An acronym before the noun says what kind of thing it is ("which SQL statement", "which
    # HTTP request"), not which of them.
    kinds = {w.lower() for w in re.findall(r"\b[A-Z]{2,6}\b", which.group(0))}
    plain = not _unexplained(asking, question, measure, {noun, noun + "s"} | kinds)
    return MeasureLook(rows, value if plain and value else "")
