"""The look's offer for a question that asks to judge lines against options the text never writes.

"Each review is a complaint, praise or a question: how many are complaints?" over reviews that
say nothing of the sort: no filter or count finds the answer, because the property is a
meaning, not a word. A sub-model has to label the lines first (`classify`), and only then
can code count the labels. Shown the words of such a question, the 1.5B counted a field
named after the options (`count_by(lines(), "description abstract concept")`), answered 0
and never labelled a line. So when a question lists three or more options, most lines write
none of them, and the question says it is about labels or kinds (or about each of the
lines), the look says so and offers the `classify` call as the first step: over the lines
the question is about (a field's value it names, a period it names), and only the field
that holds the lines' prose.

Nothing here knows a document or a benchmark: options come from the question's own comma
list, the prose field and the filters from the text's own fields.
"""

from __future__ import annotations

import keyword
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from recursor.question import ANSWER_FORMAT, asking_part, date_range, terms_of
from recursor.sandbox.helpers import in_dates, record

__all__ = ["Judged", "judged", "listed_options"]

_MIN_OPTIONS = 3
"""A comma list of fewer options is a choice between two things, which a search can find."""
_MAX_OPTION_WORDS = 4
"""An option longer than this is a clause ("the same frequency as the label location")."""
_WRITTEN_SHARE = 0.1
"""The options are written on the lines when this share of them holds one: then code reads
them (`classify` itself reads a label a line writes, with no sub-call)."""
_LINES_READ = 20_000
"""Lines read for the options, the fields and the lines a filter keeps."""
_PREAMBLE_LINES = 10
"""Opening lines read for options the text itself lists, when the question lists none."""
_PROSE_WORDS = 3.0
"""A field whose values run to this many words on average holds prose: the part to judge."""

_JUDGING = re.compile(
    r"\b(?:labels?|label(?:l)?ed|categor(?:y|ies|i[sz]ed)|kinds?|types?|class(?:es|ified)?|classify|"
    r"sentiments?|tones?|topics?|tag(?:s|ged)?)\b",
    re.IGNORECASE,
)
"""Words by which a question says its options are kinds the lines are sorted into."""
_EACH = re.compile(r"^\W*(?:each|every|all)\b", re.IGNORECASE)
"""A sentence about each of the lines ("Each ticket is a bug, a feature request or a question")."""
_BEFORE_FIRST = re.compile(
    r"^.*\b(?:is|are|was|were|be|as|either|of|into|from|among|between|like|one|labell?ed|"
    r"categori[sz]ed|classified|tagged|marked)\s+",
    re.IGNORECASE,
)
"""What stands before a list's first option in its clause ("Each review is | a complaint")."""
_SAYS_WHAT = re.compile(r"^\W*(?:[A-Za-z][\w'-]*\s+){1,3}(?:is|are)\s+(?:either\s+)?(?:(?:a|an)\s+)?[\w'-]+(?:\s+[\w'-]+)?$",
                        re.IGNORECASE)
"""A statement's first part that says what things are, up to the first option ("Reviews are complaints")."""
_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.IGNORECASE)
_OPTION = re.compile(r"[A-Za-z][\w'-]*(?: [A-Za-z0-9][\w'-]*){0," + str(_MAX_OPTION_WORDS - 1) + "}")


def _option(part: str) -> str | None:
    part = _ARTICLE.sub("", part.strip().strip("\"'`").strip())
    return part if _OPTION.fullmatch(part) else None


def _clause_options(clause: str) -> list[str]:
    """The options a clause lists, "a, b(,) (and|or) c" with three or more, or []."""
    parts = [p.strip() for p in clause.split(",")]
    if len(parts) < 2:
        return []
    last = re.sub(r"^(?:and|or)\s+", "", parts[-1], flags=re.IGNORECASE)
    tail = re.split(r"\s+or\s+", last)  # "positive, negative or neutral"
    if len(tail) > 2:
        return []
    rest = [*parts[1:-1], *tail]
    # The first option shares its part with the words before the list ("Label every message
    # positive"): it is cut after a verb or preposition, else to as many words as the others' longest.
    first = _BEFORE_FIRST.sub("", parts[0]).split()
    first = first[-max(len(p.split()) for p in rest):]
    got = [_option(p) for p in (" ".join(first), *rest)]
    options = [o for o in got if o is not None]
    if len(options) != len(got) or len(options) < _MIN_OPTIONS:
        return []
    return options


def listed_options(question: str) -> tuple[str, ...]:
    """The longest list of options the question names in one clause (`_clause_options`), in
    a sentence that says it sorts things into kinds (`_JUDGING`) or is about each of them
    (`_EACH`), or in a statement of what the things are (`_SAYS_WHAT`); its words on the form of the answer ('Answer with "more" or "less"') are left
    out. () when it names none."""
    best: list[str] = []
    for sentence in re.split(r"(?<=[.!?])\s+", ANSWER_FORMAT.sub("", question)):
        sorts = bool(_JUDGING.search(sentence) or _EACH.search(sentence))
        if not sorts and sentence.rstrip().endswith("?"):
            continue
        for clause in re.split(r"[:;]|\s+-\s+", sentence.strip().rstrip(".!?")):
            # Else a statement that says what the things are ("Reviews are complaints, praise
            # or questions."), the list right after its verb.
            if not sorts and not _SAYS_WHAT.match(clause.split(",")[0]):
                continue
            options = _clause_options(clause)
            if len(options) > len(best):
                best = options
    return tuple(best)


@dataclass(frozen=True)
class Judged:
    """What the look shows for a judging question: its lines, and the call to start from."""

    rows: list[str]
    call: str
    options: tuple[str, ...]


def _option_rx(options: Sequence[str]) -> re.Pattern[str]:
    """An option as a phrase, singular or plural ("complaints" names the option complaint)."""
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(o) for o in options) + r")(?:e?s)?(?![\w-])",
                      re.IGNORECASE)


def _prose_field(records: list[dict[str, object]]) -> str | None:
    """The field nearly every line has whose values are the longest in words, when they run
    to `_PROSE_WORDS` or more: a review's text, a ticket's summary, a log line's message."""
    if not records:
        return None
    seen = Counter(name for rec in records for name in rec)
    common = [name for name, n in seen.items() if n >= 0.8 * len(records)]
    if len(common) < 2:
        return None  # one field is the whole line
    words = {name: sum(len(str(rec.get(name) or "").split()) for rec in records) / len(records) for name in common}
    best = max(common, key=lambda name: words[name])
    return best if words[best] >= _PROSE_WORDS and best.isidentifier() else None


def _named_value(question: str, lines: list[str], prose: str | None) -> tuple[str, str] | None:
    """A field and a value of it the question names together ("user 91131": a line's User is
    91131), so the question is about those lines only. The value has a digit (an id, a code):
    a word beside a field's name is more often a label than a filter."""
    asked = terms_of(asking_part(question))
    lowered = {w.lower() for w in asked}
    for word in asked:
        if not any(c.isdigit() for c in word):
            continue
        rx = re.compile(r"(?<![\w.-])" + re.escape(word) + r"(?![\w.-])", re.IGNORECASE)
        for line in (ln for ln in lines if rx.search(ln)):
            for name, value in record(line).items():
                if (name != prose and name.lower() in lowered and name.isidentifier()
                        and not keyword.iskeyword(name) and str(value).strip().lower() == word.lower()):
                    return name, word
    return None


def _options_above(lines: list[str], question: str) -> tuple[str, ...]:
    """Options the text lists in its opening lines ("Each question belongs to one of these
    categories: ..."), for a question that asks about kinds or names one of them ("How many
    ask for a numeric value?"); () otherwise."""
    options = listed_options(" ".join(ln.strip() for ln in lines[:_PREAMBLE_LINES]))
    if options and (_JUDGING.search(question) or _option_rx(options).search(question)):
        return options
    return ()


def judged(text: str, question: str) -> Judged | None:
    """The look's lines and start call for a question that asks to judge the text's lines
    against options it lists and the lines do not write (see the module docstring); None for
    any other question."""
    lines = [ln for ln in text.split("\n", _LINES_READ)[:_LINES_READ] if ln.strip()]
    if len(lines) < 5:
        return None
    options = listed_options(question) or _options_above(lines, question)
    if not options:
        return None
    rx = _option_rx(options)
    holding = sum(1 for ln in lines if rx.search(ln))
    if holding >= _WRITTEN_SHARE * len(lines):
        return None
    records = [dict(record(ln)) for ln in lines[:200]]
    prose = _prose_field(records)
    rows_code, kept = "lines()", lines
    if (named := _named_value(question, lines, prose)) is not None:
        name, value = named
        kept = [ln for ln in kept if str(record(ln).get(name) or "").strip().lower() == value.lower()]
        rows_code = f"lines({name}={value!r})"
    if (period := date_range(question)) is not None:
        first, last = period[0], period[1]
        kept = in_dates(kept, first, last)
        rows_code = f"in_dates({rows_code}, {first!r}, {last!r})"
    if not kept:
        return None  # the filter read the question wrongly: no offer beats a wrong one
    listed = ", ".join(options)
    call = f"labels = classify({rows_code}, {listed!r}" + (f", field={prose!r})" if prose else ")")
    n = len(kept)
    # classify asks once per distinct text it labels.
    calls = len({str(record(ln).get(prose) or ln) if prose else ln for ln in kept})
    about = "" if rows_code == "lines()" else f" (of {len(lines):,})"
    rows = [
        f"The question's options ({listed}) are written on {holding:,} of {len(lines):,} lines: "
        "which one a line is must be judged from its meaning, by a sub-model.",
        f"{call} labels the {n:,} lines the question is about{about} ({calls:,} sub-call{'s' if calls != 1 else ''}) and prints "
        "how many got each label.",
    ]
    return Judged(rows, call, options)
