"""The look's offer for a question that asks to judge lines against options the text never writes.

"Each review is a complaint, praise or a question: how many are complaints?" over reviews that
say nothing of the sort: no filter or count finds the answer, because the property is a
meaning, not a word. A sub-model has to label the lines first (`classify`), and only then
can code count the labels. Shown the words of such a question, the 1.5B counted a field
named after the options (`count_by(lines(), "description abstract concept")`), answered 0
and never labelled a line. So when a question lists three or more options, most lines write
none of them, and the sentence that lists them is about kinds or about each of the things
(see `listed_options` for the phrasings read, and `judged` for when no offer is made), the
look says so and offers the `classify` call as the first step: over the lines
the question is about (a field's value it names, a period it names), and only the field
that holds the lines' prose.

Nothing here knows a document or a benchmark: options come from the question's own comma
list, the prose field and the filters from the text's own fields.
"""

from __future__ import annotations

import keyword
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from recursor.judged_groups import grouped_steps
from recursor.question import ANSWER_FORMAT, asking_part, date_range, one_period, terms_of
from recursor.sandbox.helpers import _LONG_LINE, Entry, in_dates, layout_records, record, to_date

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
_DISTINCT_SHARE = 0.3
"""A prose field's values mostly differ; one every line repeats (a browser string) is not judged."""
_HEADER_LINES = 3
"""First lines read for a header that names the options as columns."""
_LONG_SHARE = 0.05
"""More lines than this share over `_LONG_LINE`: the text is read as sentences, not lines."""
_WORDY = 3
"""Words a typical line holds for lines with no prose field to be judged whole."""
_ALONE_SHARE = 0.01
_ALONE_LINES = 2
"""Each option alone on this share of the lines (and this many) makes the options names."""
_VALUE_SHARE = 0.03
"""Records writing an option as a field's value: more than this share, the lines say it."""
_BLANK_SHARE = 0.1
"""More blank lines than this share of the text lines: its records run over several lines."""
_ENTRIES_READ = 8_000_000
"""Characters of a text cut into entries for the look; a longer text of entries gets no offer."""
_COVERED = 0.8
"""Entries are the things when they hold this share of the text's lines (else some are pieces)."""
_SAME_START = 0.6
"""Entries are records when this share of them starts with the same word (digits aside)."""
_MIN_UNITS = 5
"""Fewer lines or entries than this are read, not labelled."""

_JUDGING = re.compile(
    r"\b(?:labels?|label(?:l)?ed|categor(?:y|ies|i[sz]ed?)|categori[sz]e|kinds?|types?|class(?:es|ified)?|"
    r"classify|sentiments?|tones?|topics?|tag(?:s|ged)?|sort(?:ed)?\s+into|group(?:ed)?\s+into)\b",
    re.IGNORECASE,
)
"""Words by which a question says its options are kinds the lines are sorted into."""
_EACH = re.compile(r"\b(?:each|every)\b", re.IGNORECASE)
"""A sentence about each of the things ("Each ticket is a bug, a feature request or a
question", "Is each message positive, negative or neutral?")."""
_SLASHED = re.compile(r"(?<![\w/.])[A-Za-z][\w-]*(?:/[A-Za-z][\w-]*){2,}(?![\w/])(?!\.\w)")
"""Options written with slashes ("bug/feature/question"); not a path ("/var/log", "a/b.txt")."""
_LEAD = re.compile(
    r"\b(?:(?:is|are)\s+(?:about|in)|is|are|was|were|be|as|into|labell?ed|categori[sz]ed|classified|tagged|"
    r"marked|belongs?\s+to|express(?:es)?|shows?)"
    r"(?:\s+(?:either|namely|one\s+of))?(?:\s+(?:a|an|the))?\s+(?=\S)",
    re.IGNORECASE,
)
"""The verb right before a list's first option: "Each review is (either) a | complaint",
"classify each ticket as | bug", "each ticket belongs to | billing", "each message is in |
English". A list after "has", "runs", "from" or "defines" is no set of kinds: "Each line has
a timestamp, a host and a message"."""
_SORT_VERB = re.compile(r"^\W*(?:label|classify|categori[sz]e|tag|sort|mark|group)\b", re.IGNORECASE)
"""An order to sort: "Label every message positive, negative or neutral"."""
_ONE_OF = re.compile(r"\bone\s+of\b", re.IGNORECASE)
_TRAILING = re.compile(r"\s+(?:based|according|depending|then|by|from|in|on|for|with|to|and|using|given)\b.*$",
                       re.IGNORECASE)
"""What follows the last option in its clause ("neutral based on its text", "phishing and count")."""
_AFTER_LIST = re.compile(r"(?:(?:and|or)\s+)?(?:then|so|which|according|based|depending|etc)\b"
                         r"|and\s+(?:count|list|give|say|tell|show|report|sum|rank|how|what|which|who)\b",
                         re.IGNORECASE)
"""A comma part after the list that is a clause of its own, not an option."""
_QUALIFIER = re.compile(r"(?:not|no|non|something|other|anything|none)\b", re.IGNORECASE)
"""A last option's first word that needs the next one ("not relevant", "something else")."""
_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.IGNORECASE)
_OPTION = re.compile(r"[A-Za-z0-9][\w'-]*(?: [A-Za-z0-9][\w'-]*){0," + str(_MAX_OPTION_WORDS - 1) + "}")
_WORD = re.compile(r"(?<![\w./:-])[A-Za-z][a-z]+(?![\w/-])(?![.:]\w)")
"""A plain word: letters, not part of a path, an address, a version or an id."""
_QUOTES = "\"'`\u2018\u2019\u201c\u201d"


_PREPOSITION = re.compile(r"(?:from|to|in|on|at|by|with|of|for|about|than)\b", re.IGNORECASE)
"""An option does not start so: "Each email is from Alice, Bob or Carol" lists senders, not kinds."""
_INSIDE = re.compile(r"\s(?:the|from|based|according|than|with|and\s+(?:how|what|count))\b", re.IGNORECASE)
"""Words inside a part that make it a clause, not an option ("served from the cache")."""


def _option(part: str) -> str | None:
    part = _ARTICLE.sub("", part.strip().strip(_QUOTES).strip()).strip(_QUOTES).strip()
    if not _OPTION.fullmatch(part) or _PREPOSITION.match(part) or _INSIDE.search(part):
        return None
    return part


def _first_option(lead: str, rest: list[str], after_colon: bool) -> str | None:
    """The first option, read from the part of the clause it shares with the words before
    the list; None when no verb that sorts stands right before it (`_LEAD`). "" when that
    part names no option ("falls into one of three groups, complaint, ...")."""
    if after_colon:
        return lead
    verbs = [m for m in _LEAD.finditer(lead) if lead[:m.start()].strip()]  # not "Is each message ..."
    if verbs:
        first = lead[verbs[-1].end():]
        if _ONE_OF.search(lead, verbs[-1].start()):
            return "" if len(first.split()) > 1 else first  # "one of three groups," / "one of bug, ..."
        return first
    if _SORT_VERB.match(lead) or _LEAD.match(lead):
        # "Label every message positive", "Is each message positive": as many words as the others' longest
        return " ".join(lead.split()[-max(len(p.split()) for p in rest):])
    return None


def _clause_options(clause: str, after_colon: bool) -> list[str]:
    """The options a clause lists, "a, b(,) (and|or) c" with three or more, or []."""
    parts = [p.strip() for p in clause.split(",")]
    # A part after the list that is a clause of its own ("..., and count each", "..., based
    # on the level, the host, and the time"): the list ends before it.
    cut = next((i for i in range(2, len(parts)) if _AFTER_LIST.match(parts[i])), len(parts))
    parts = parts[:cut]
    if len(parts) < 2:
        return []
    last = re.sub(r"^(?:and|or)\s+", "", parts[-1], flags=re.IGNORECASE)
    tail = re.split(r"\s+or\s+", last)  # "positive, negative or neutral"
    if len(tail) > 2:
        return []
    tail = [_ARTICLE.sub("", t.strip(_QUOTES)) for t in tail]
    middle = [_option(re.sub(r"^(?:and|or)\s+", "", p, flags=re.IGNORECASE)) for p in parts[1:-1]]  # "spam, or ham, or ..."
    if any(o is None for o in middle):
        return []
    single = all(o is not None and " " not in o for o in [*middle, *tail[:-1]])
    if single and len(tail) == 1 and re.fullmatch(r"\S+\s+and\s+\S+", tail[0]):
        tail = re.split(r"\s+and\s+", tail[0])  # "sports, politics, business and tech"
    # The last option ends its clause: words after it are not the option ("neutral based on
    # its text"); nor, in a list of one-word options, a noun after it ("ERROR message").
    tail[-1] = _TRAILING.sub("", tail[-1]) if len(tail[-1].split()) > 1 else tail[-1]
    if single and len(tail[-1].split()) > 1 and not _QUALIFIER.match(tail[-1]):  # not "not relevant"
        tail[-1] = tail[-1].split()[0]
    rest = [o for o in middle if o is not None] + tail
    first = _first_option(parts[0], rest, after_colon)
    if first is None:
        return []
    got = [_option(p) for p in ((first,) if first else ()) + tuple(rest)]
    options = [o for o in got if o is not None]
    if len(options) != len(got) or len(options) < _MIN_OPTIONS:
        return []
    if any(re.search(r"\sor\s", o) for o in options) or any(re.search(r"\sand\s", o) for o in options[:1]):
        return []  # "warning or a notice": the list was read wrong
    return options


def _list_in(clause: str, after_colon: bool) -> list[str]:
    """The options of the clause's list, which may start after a lead-in of its own commas
    ("For each review, decide whether it is positive, negative or mixed")."""
    parts = clause.split(",")
    for start in range(max(1, len(parts) - 1)):
        options = _clause_options(",".join(parts[start:]).strip(), after_colon and start == 0)
        if options:
            return options
    return []


def listed_options(question: str) -> tuple[str, ...]:
    """The longest list of options a question (or a text's opening lines) names in one
    clause (`_clause_options`), where a verb that sorts stands right before it (`_LEAD`) or
    it follows a colon in a sentence about kinds (`_JUDGING`: "out of: a, b, c"); only in a
    sentence about kinds or about each of the things (`_EACH`). Its words on
    the form of the answer ('Answer with "more" or "less"') are left out. () when it names none."""
    best: list[str] = []
    for sentence in re.split(r"(?<=[.!?])\s+", ANSWER_FORMAT.sub("", question)):
        judging = bool(_JUDGING.search(sentence))
        if not (judging or _EACH.search(sentence)):
            continue  # "The packages I care about are vim, git and curl": names, not kinds
        # "(spam, ham, newsletter)" and "bug/feature/question" list options too.
        sentence = _SLASHED.sub(lambda m: ", ".join(m.group(0).split("/")), sentence.replace("(", " ").replace(")", " "))
        for n, clause in enumerate(re.split(r"[:;]", sentence.strip().rstrip(".!?"))):
            options = _list_in(" ".join(clause.split()), after_colon=n > 0 and judging)
            if len(options) > len(best):
                best = options
    return tuple(best)


@dataclass(frozen=True)
class Judged:
    """What the look shows for a judging question: its lines, and the call to start from."""

    rows: list[str]
    call: str
    options: tuple[str, ...]
    holds: str = ""
    """The name `call` assigns last when its value answers the question as asked, else ""."""


def _option_rx(options: Sequence[str]) -> re.Pattern[str]:
    """An option as a phrase, singular or plural ("complaints" names the option complaint,
    "admin" the option admins; "news" stays news), any case."""
    stems = [o[:-1] if len(o) > 4 and o.endswith("s") and o[-2] not in "su" else o for o in options]
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(o) for o in stems) + r")(?:e?s)?(?![\w-])",
                      re.IGNORECASE)


def _prose_field(records: list[dict[str, object]], question: str = "") -> str | None:
    """The field nearly every line has whose values are prose: the one the question names, or
    the longest in words (three or more on average, `_PROSE_WORDS`), of those whose values mostly differ and are not dates,
    URLs or nested data. A review's text, a ticket's summary, a log line's message; not a
    browser string every line repeats, nor a date written in words."""
    if not records:
        return None
    seen = Counter(name for rec in records for name in rec)
    common = [name for name, n in seen.items() if n >= 0.8 * len(records)]
    if len(common) < 2:
        return None  # one field is the whole line

    def prose(name: str) -> float:
        values = [str(rec.get(name) or "").strip() for rec in records if rec.get(name) is not None]
        if (len(set(values)) < _DISTINCT_SHARE * len(values)
                or sum(1 for v in values if to_date(v) is not None or v[:1] in "{[" or "://" in v) > len(values) / 2):
            return 0.0
        return sum(len(v.split()) for v in values) / len(values)

    words = {name: prose(name) for name in common}
    # A prose field the question names comes first ("Each comment is ...": comment).
    named = [n for n in common if words[n] >= _PROSE_WORDS and re.search(
        r"(?<![\w-])" + re.escape(n) + r"s?(?![\w-])", question, re.IGNORECASE)]
    best = named[0] if named else max(common, key=lambda name: words[name])
    return best if words[best] >= _PROSE_WORDS else None


def field_keyword(name: str) -> str | None:
    """A field's name as `lines()` or `entries()` take it by keyword (their names match with "_"
    for "-", "." or a space), or None when it cannot be one (a Python keyword, one of their own
    parameters; "rest" is their `*rest`, which a keyword never fills, so it reaches `**where`)."""
    word = re.sub(r"\W", "_", name)
    if not word.isidentifier() or keyword.iskeyword(word) or word in {"pattern", "text", "file"}:
        return None
    return word


_BESIDE = re.compile(r"(?<![\w-])(?P<name>[A-Za-z][\w.-]*?(?:[\s_-]+id)?)(?:\s*[=:]\s*|\s+)"
                     r"(?P<value>[\w.:-]*\d[\w.:-]*?)[.:-]?(?![\w.:-])")
"""A field's name and a value with a digit, side by side in a question ("user 91131", "user
id u11", "status=500")."""
_NOT_ONLY = re.compile(r"\b(?:not|other\s+than|except|excluding|excluded|exclude|besides|apart\s+from|aside|without)\b",
                       re.IGNORECASE)
"""Words that may turn a named value into the lines without it ("other than customer c103",
"with customer c103 excluded"): a sentence holding one and the value gets no filter."""
_NAMED_READ = 10
"""Name-value pairs of a question tried as a filter."""


def _same_name(asked: str, field: str) -> bool:
    """Whether the question's word names the field, as `lines()` matches keywords (case,
    "-", "_", "." and spaces aside): "user id" names user_id, "user" names User."""
    def norm(name: str) -> str:
        return re.sub(r"[\W_]", "", name).lower()
    return norm(asked) == norm(field) or norm(re.sub(r"[\s_-]+id$", "", asked, flags=re.I)) == norm(field)


_REPEATS = 0.5
"""A field groups the things when it has at most this many distinct values per thing."""


def grouping_field(question: str, records: Sequence[dict[str, object]], prose: str | None) -> str | None:
    """The field whose values the question asks about as a whole ("which users", "pairs of user
    ids", "each host", "per customer"), written as a plural or after "each", "every", "per",
    "which" or "what", when the records' values of it repeat (`_REPEATS`): the labels are then
    counted per value (`Labels.by`). None when it names no such field, or more than one. A field
    named like the options' kind ("type", "category", "label") is what is judged, not a group."""
    asking = asking_part(question)
    names = {name for r in records for name in r if name != prose and not _JUDGING.fullmatch(name.strip())}
    found = []
    for name in sorted(names):
        words = re.sub(r"[\W_]+", " ", name).strip()
        if not words or not re.fullmatch(r"[A-Za-z][A-Za-z ]*", words):
            continue
        body = r"\s+".join(map(re.escape, words.split()))
        plural = rf"(?<![\w-]){body}(?:s|\s+ids|\s+names)(?![\w-])"
        each = rf"\b(?:each|every|per|which|what)\s+(?:of\s+the\s+)?{body}(?:\s+ids?)?(?![\w-])"
        if re.search(plural, asking, re.IGNORECASE) or re.search(each, asking, re.IGNORECASE):
            values = [str(r[name]) for r in records if r.get(name) not in (None, "")]
            if len(values) >= _MIN_UNITS and len(set(values)) <= _REPEATS * len(values):
                found.append(name)
    return found[0] if len(found) == 1 else None


def _named_value(question: str, lines: list[str], prose: str | None) -> tuple[str, str] | None:
    """A field and a value of it the question names side by side (`_BESIDE`), when the lines
    write that field with that value: the question is about those lines only. The value has a
    digit (an id, a code): a word beside a field's name is more often a label than a filter.
    None when the question names two values of the field ("c103 or c104"), or may say the
    lines are the others (`_NOT_ONLY`): one filter would read it wrong."""
    asking = asking_part(question)
    found: set[tuple[str, str]] = set()
    for m in list(_BESIDE.finditer(asking))[:_NAMED_READ]:
        word, value = m["name"], m["value"]
        start = max(asking.rfind(end, 0, m.start()) for end in (". ", "? ", "! ", "\n"))
        stop = min((at for end in (". ", "? ", "! ", "\n") if (at := asking.find(end, m.end())) >= 0), default=len(asking))
        if _NOT_ONLY.search(asking, max(start, 0), stop):
            return None  # in its sentence: "other than customer c103", "c103 excluded"
        rx = re.compile(r"(?<![\w.-])" + re.escape(value) + r"(?![\w.-])", re.IGNORECASE)
        line = next((ln for ln in lines if rx.search(ln)), None)
        if line is None:
            continue
        for name, written in record(line).items():
            if (name != prose and _same_name(word, name) and str(written).strip().lower() == value.lower()
                    and field_keyword(name) is not None):
                found.add((name, value))
    if len(found) != 1:
        return None
    name, value = next(iter(found))
    others = [w for w in terms_of(asking) if any(c.isdigit() for c in w) and w.lower() != value.lower()]
    for word in others[:_NAMED_READ]:  # "customer c103 or c104": another value of the same field
        rx = re.compile(r"(?<![\w.-])" + re.escape(word) + r"(?![\w.-])", re.IGNORECASE)
        if any(str(record(ln).get(name) or "").strip().lower() == word.lower() for ln in lines if rx.search(ln)):
            return None
    return name, value


def _options_above(lines: list[str], question: str) -> tuple[str, ...]:
    """Options the text lists in its opening lines ("Each question belongs to one of these
    categories: ..."), for a question that asks about kinds or names one of them ("How many
    ask for a numeric value?"); () otherwise."""
    options = listed_options(" ".join(ln.strip() for ln in lines[:_PREAMBLE_LINES]))
    if options and (_JUDGING.search(question) or _option_rx(options).search(question)):
        return options
    return ()


def _names_fields(options: Sequence[str], lines: list[str], records: list[dict[str, object]]) -> bool:
    """Whether the options are the text's own field or column names ("The columns are date,
    amount and category"): a field's name, or two or more of them on one of the first lines
    (a header)."""
    names = {str(n).lower() for rec in records for n in rec}
    if any(o.lower() in names for o in options):
        return True
    rxs = [_option_rx([o]) for o in options]
    return any(sum(1 for rx in rxs if rx.search(ln)) >= 2 for ln in lines[:_HEADER_LINES])


def _wordy(lines: list[str]) -> bool:
    """Whether the lines are mostly words (a review, a question, a message), not tokens and
    numbers (an access log, a config): a line with no prose field is judged whole only then."""
    sample = lines[:200]
    words = sorted(len(_WORD.findall(ln)) for ln in sample)
    return bool(words) and words[len(words) // 2] >= _WORDY


def _options_per_line(options: Sequence[str], lines: list[str]) -> dict[int, set[int]]:
    """For each line that writes an option (`_option_rx`), which options it writes: one scan
    of the lines joined, as the look must stay fast on 20,000 lines."""
    longest_first = sorted(range(len(options)), key=lambda i: -len(options[i]))  # "error rate" before "error"
    rx = re.compile("|".join(f"(?P<o{i}>{_option_rx([options[i]]).pattern})" for i in longest_first), re.IGNORECASE)
    body = "\n".join(lines)
    starts = [0]
    for ln in lines[:-1]:
        starts.append(starts[-1] + len(ln) + 1)
    held: dict[int, set[int]] = {}
    for m in rx.finditer(body):
        held.setdefault(bisect_right(starts, m.start()) - 1, set()).add(int(str(m.lastgroup)[1:]))
    return held


def _each_written_alone(options: Sequence[str], held: dict[int, set[int]], lines: int) -> bool:
    """Whether every option is written on a line that holds no other option: the options are
    things the lines name one at a time (packages, hosts), not kinds. Each on `_ALONE_SHARE`
    of the lines or more: a review that happens to say "question" is no name. A line listing
    them all (the text's own preamble) does not count."""
    alone = Counter(next(iter(found)) for found in held.values() if len(found) == 1)
    least = max(_ALONE_LINES, _ALONE_SHARE * lines)
    return len(alone) == len(options) and all(n >= least for n in alone.values())


def _written_as_value(options: Sequence[str], records: list[dict[str, object]], prose: str | None) -> bool:
    """Whether the lines write an option as a field's whole value, or a part of one split at
    "/" ("Section: contrib/net" writes contrib), on `_VALUE_SHARE` of them or more: the lines
    say it, code reads it. One line's "source: other" does not."""
    wanted = {o.lower() for o in options}
    holding = sum(1 for rec in records if any(
        part.strip().lower() in wanted for name, v in rec.items() if name != prose for part in str(v).split("/")))
    return holding >= max(2, _VALUE_SHARE * len(records))


_ASKS_KINDS = re.compile(
    r"\bhow\s+many\b|\bnumber\s+of\b|\bcount|\btotal\b|\bpercent|\bproportion\b|\bshare\b|\bratio\b|"
    r"\b(?:most|least|fewest|more|less|fewer|majority|minority|rarest|commonest|frequent\w*)\b|"
    r"\b(?:which|what)\s+(?:\w+\s+)?(?:kind|type|label|category|class|sentiment|tone|topic|tag|group)s?\b",
    re.IGNORECASE,
)
"""A question that counts, ranks or compares the things by kind: what labelling answers."""


_FORM_SENTENCE = re.compile(
    r"^\W*(?:write|put|give|format|separate|output|print|return)\b[^.!?]*?"
    r"\b(?:per\s+line|on\s+(?:its|a)\s+own\s+line|nothing\s+else|once|separated|format(?:ted)?\s+as)\b",
    re.IGNORECASE,
)
"""A sentence that says how to write the answer ("Write one pair per line as (id1, id2), list
each pair once, and write nothing else."): it comes last, and asks nothing."""


def _asks_about_kinds(asked: str, options: Sequence[str]) -> bool:
    """Whether the question's asking sentence `asked` (`_asked_sentence`) counts or ranks the
    things (`_ASKS_KINDS`) or names an option: "Each changelog entry is a bug fix, ...: which
    version closed bug 774245?" asks a look-up, which labels do not answer."""
    return bool(asked and (_ASKS_KINDS.search(asked) or _option_rx(options).search(asked)))


def _asked_sentence(question: str, options: Sequence[str]) -> str:
    """The question's asking sentence: its last one ending "?", else its last, passing over
    sentences at the end that only say how to write the answer (`_FORM_SENTENCE`, naming no
    option) when the one before them is no sentence that lists the options; "" for none."""
    sentences = [x for x in re.split(r"(?<=[.!?])\s+", asking_part(question).strip()) if x.strip()]
    asked = [x for x in sentences if x.rstrip().endswith("?")]
    if asked:
        return asked[-1]
    rx = _option_rx(options) if options else None
    kept = list(sentences)
    while len(kept) > 1 and _FORM_SENTENCE.search(kept[-1]) and not (rx and rx.search(kept[-1])):
        kept.pop()
    if kept and len(kept) < len(sentences) and listed_options(kept[-1]):
        kept = sentences  # what remains is the sentence listing the options, not a question
    return kept[-1] if kept else ""


def _said_after(question: str, asked: str, options: Sequence[str]) -> str:
    """What sentences after the asking one add to it ("Which customers wrote two complaints?
    Ignore reviews dated before 2024-03-01."): those naming an option or a date, not the
    answer's form; "" for none."""
    part = asking_part(question)
    at = part.rfind(asked) if asked else -1
    if at < 0:
        return ""
    later = [x for x in re.split(r"(?<=[.!?])\s+", part[at + len(asked):].strip()) if x.strip()]
    rx = _option_rx(options)
    return " ".join(x for x in later if not _FORM_SENTENCE.search(x) and (rx.search(x) or to_date(x) is not None))


def _units(text: str, head: list[str], lines: list[str], several_files: bool) -> tuple[list[str], str, int] | None:
    """What the text's things are, as `classify` would be given them, with how many there
    are in all: its entries as `entries()` reads them (`layout_records`: a changelog's
    entries, tickets), when they hold nearly all its lines (`_COVERED`); else its lines, when
    each thing is one line (no blank lines between them, or one line between each two blank
    ones). None when neither: a mailbox's headers and paragraphs, a README's bullets, long
    lines `lines()` reads as sentences, entries over several files (each file's differ)."""
    spans = layout_records(text) if not several_files and len(text) <= _ENTRIES_READ else []
    if len(spans) >= _MIN_UNITS:
        read = spans[:_LINES_READ]
        inside = sum(1 for a, b in read for row in text[a:b].split("\n") if row.strip())
        # Headed records (a line with indented lines under it: a changelog's entries) are
        # records; runs of unindented lines are when they start alike ("Start-Date:", "Ticket
        # 101"), and a mailbox's headers, greetings and sign-offs do not.
        headed = sum(1 for a, b in read if re.search(r"\n[ \t]+\S", text[a:b])) >= _COVERED * len(read)
        starts = Counter(re.sub(r"\d+", "0", text[a:b].split(None, 1)[0]) for a, b in read)
        alike = headed or starts.most_common(1)[0][1] >= _SAME_START * len(read)
        if inside >= _COVERED * len(lines) and alike:
            entries = [Entry(text[a:b]) for a, b in spans[:_LINES_READ]]
            return list(entries), "entry", len(spans)
    if len(head) - len(lines) > _BLANK_SHARE * len(lines):
        runs = [run for run in re.split(r"\n[ \t]*\n", "\n".join(head[:_LINES_READ])) if run.strip()]
        if sum(1 for run in runs if "\n" in run.strip()) > (1 - _COVERED) * len(runs):
            return None  # records of several lines that are not entries: a line is a piece of one
    if sum(1 for ln in lines if len(ln) > _LONG_LINE) > _LONG_SHARE * len(lines):
        return None
    return lines, "line", text.count("\n") + 1


def judged(text: str, question: str, several_files: bool = False) -> Judged | None:
    """The look's lines and start call for a question that asks to judge the text's lines
    (or entries) against options it lists and they do not write (see the module docstring);
    None for any other question, for things `classify` would not get whole (`_units`), and
    for lines of tokens and numbers with no field of prose."""
    head = text.split("\n", _LINES_READ)
    lines = [ln for ln in head[:_LINES_READ] if ln.strip()]
    if len(lines) < _MIN_UNITS:
        return None
    from_question = listed_options(question)
    options = from_question or _options_above(lines, question)
    if not options:
        return None
    asked = _asked_sentence(question, options)
    if not _asks_about_kinds(asked, options):
        return None
    if (found := _units(text, head, lines, several_files)) is None:
        return None
    items, unit, total = found
    units = "entries" if unit == "entry" else "lines"
    held = _options_per_line(options, items)
    holding = len(held)
    if holding >= _WRITTEN_SHARE * len(items):
        return None
    if _each_written_alone(options, held, len(items)):
        return None  # names to look up ("vim, git and curl"), not kinds
    records = [dict(record(x)) for x in items[:200] if len(x) <= _LONG_LINE]
    prose = _prose_field(records, question) if unit == "line" else None
    if _written_as_value(options, records, prose) or (from_question and _names_fields(options, lines, records)):
        return None
    if prose is None and not _wordy(items):
        return None
    rows_code, kept, which = f"{units}()", items, "all of them"
    if (named := _named_value(question, items, prose)) is not None:
        name, value = named
        kept = [x for x in kept if str(record(x).get(name) or "").strip().lower() == value.lower()]
        rows_code, which = f"{units}({field_keyword(name)}={value!r})", f"those whose {name} is {value}"
    if (period := date_range(question)) is not None:
        first, last = period[0], period[1]
        kept = in_dates(kept, first, last)
        rows_code = f"in_dates({rows_code}, {first!r}, {last!r})"
        which = ("those" if named is None else which) + f" dated {first} to {last}"
    elif (single := one_period(question)) is not None:
        kept = in_dates(kept, single)
        rows_code = f"in_dates({rows_code}, {single!r})"
        which = ("those" if named is None else which) + f" dated in {single}"
    if not kept:
        return None  # the filter read the question wrongly: no offer beats a wrong one
    listed = ", ".join(options)
    call = f"labels = classify({rows_code}, {listed!r}" + (f", field={prose!r})" if prose else ")")
    grouped = grouping_field(question, records, prose) if named is None else None
    steps = grouped_steps(asked, options, grouped, _option_rx, _said_after(question, asked, options)) if grouped else None
    start = f"{call}; {steps.code}" if steps else call
    calls = len({str(record(x).get(prose) or x) if prose else x for x in kept})  # one per distinct text
    more = " or more" if total > len(items) else ""
    read = f"the first {len(items):,} {units} (of {total:,})" if more else f"{len(items):,} {units}"
    rows = [
        f"The options ({listed}) are written on {holding:,} of {read}: which one {'an entry' if unit == 'entry' else 'a line'} "
        "is must be judged from its meaning, by a sub-model.",
        f"{call} labels {len(kept):,}{more} {units if len(kept) != 1 else unit}, {which}{' (its ' + repr(prose) + ' only)' if prose else ''}, "
        f"with {calls:,}{more} sub-call{'s' if calls != 1 else ''}, and prints how many got each label.",
    ]
    if steps:
        rows.append(steps.said)
    return Judged(rows, start, options, steps.holds if steps else "")
