"""A first look at the context for a small root: its lines, and where the question's words are.

A 0.5B-3B root told only "a str with 131,033 characters" starts by guessing: it greps for
paths and words it imagines, gets nothing, and answers a value it never saw. A person opening
a file does the opposite: looks at how it is written, then at the lines that mention what the
question names. This does that look once, on the host, before the first turn: the context's
size in lines, its first lines, and for the question's rarest words (rarest in this context,
not in English) how many lines hold each and which ones, so the root's first code filters
lines whose shape it has seen. Words the context never holds are named too, so the root does
not search for them.

It is general: words are weighed by how rare they are in the text at hand (as a search
engine would), nothing depends on any format. Chosen per model by `Prompts.orient`; capable
models keep the paper's metadata-only first message.
"""

from __future__ import annotations

import ast
import asyncio
import os
import re
from bisect import bisect_right
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import islice, pairwise, takewhile

from recursor.context import ContextValue
from recursor.judged import judged
from recursor.line_kinds import kinds_told, names_in, top_name
from recursor.log_columns import column_count, column_rank
from recursor.log_table import timed_table
from recursor.look_because import BECAUSE, ReasonKinds, reason_kinds
from recursor.look_cdecl import decl_look
from recursor.look_column import DOING_VERBS, EMPTY_VERBS
from recursor.look_counts import says_more
from recursor.look_dates import _DATE_AT, date_span, days_between, ending_entry
from recursor.look_enum import enum_look
from recursor.look_fields import FIELD_LINE, fields_summary
from recursor.look_first import first_release, neighbour_days
from recursor.look_headings import ASKS_OUTLINE, headings_table
from recursor.look_ids import distinct_ids
from recursor.look_items import items_table
from recursor.look_jsfuncs import js_look
from recursor.look_measures import measures_look
from recursor.look_names import names_filtered, names_ranked
from recursor.look_passage import best_passages, passage_lines
from recursor.look_python import python_look
from recursor.look_records import records_table
from recursor.look_section import section_count
from recursor.look_sections import sections_look
from recursor.look_shaped import shaped_rank
from recursor.look_table import table_look
from recursor.look_times import times_look, window_asked
from recursor.look_totals import totals_look
from recursor.look_weblog import weblog_look
from recursor.protocol import UNPARSED
from recursor.question import (
    ASKS_FILE,
    COUNT_ASKED,
    COUNTS,
    DOCUMENT_KINDS,
    HOW_MANY,
    MEASURED_ASKED,
    MOST,
    NOT_FIRST,
    RECORD_NOUNS,
    SUPERLATIVE,
    TOKEN,
    abbreviated,
    answer_unit_words,
    asked_sentence,
    asking_part,
    counted_head,
    counted_verb,
    counts_records,
    date_range,
    document_words,
    iso_forms,
    limits_cut,
    marked_short,
    marked_words,
    names_options,
    negated,
    one_period,
    terms_of,
)
from recursor.question_steps import two_steps
from recursor.sandbox.base import Read
from recursor.sandbox.helpers import (
    _ACRONYM,
    _BASE_FORM,
    _DATE_PARTS,
    _LONG_LINE,
    _NOT_WRITTEN,
    _STOP,
    Entry,
    _cut,
    _field_lists,
    _header_name,
    _list_totals,
    _lists_items,
    _period_or_none,
    _stem,
    _stem_literal,
    _stem_rx,
    _table_header,
    _values,
    _word_rx,
    _y_base,
    enclosing,
    file_spans,
    headings,
    in_dates,
    layout_records,
    list_sizes,
    person,
    record_around,
    section_below,
    section_heads,
    to_date,
)
from recursor.short_forms import short_form_rx, short_forms
from recursor.signal_names import signal_names
from recursor.synonyms import REFUSAL_WORDS, SUPERLATIVES, plain_idioms, refusals, synonyms
from recursor.table_sql import Table
from recursor.word_bases import irregular_forms

__all__ = [
    "NO_LOOK",
    "PASSAGE_LABEL",
    "Orientation",
    "everyday",
    "first_look",
    "orientation",
    "printed_nothing",
    "terms_of",
    "whole_value",
]

PASSAGE_LABEL = "The passage holding the most of the question's words"
"""How the look labels a passage it shows (`look_passage`); its reader reads that block first."""
_MAX_WORDS = 30
"""Question words looked up (each is one scan of the text: ~50 ms for 40 MB)."""
_MAX_COUNTED = 10_000
"""Matching lines counted per word before the count is shown as "10,000+" (and the last ones
are found from the end): a word on every line of a 40 MB log costs no more than a rare one."""


@dataclass(frozen=True, slots=True)
class Orientation:
    """The text added to the first message, and the context lines it shows."""

    text: str
    shown: tuple[str, ...]
    words: tuple[str, ...] = ()
    """The question's words the context holds, in the order shown (key-shaped, then rare)."""
    start: str = ""
    """A call that gives what the look counted for the question (a date range's entries in the
    file it names), to suggest as the first step; "" when there is none."""
    hint: tuple[str, ...] = ()
    """The words to search first: `words`, unless the question lists its answer's options."""
    reads: tuple[Read, ...] = ()
    """The lines shown, as reads of the context: the model read them, so they are evidence
    (`recursor.evidence`) like the lines its code printed."""
    together: tuple[str, ...] = ()
    """The question's words shown on one line, as that line writes them ("gnupg", "upgrade"
    for "gnupg was upgraded"): `lines(*together)` gives those lines again."""
    hits: tuple[str, ...] = ()
    """The look's lines holding each of the question's words (the rarest first, with their
    records and files), then those holding them together: a block each, as shown. What a
    reader of the look is given (`recursor.look_reader`)."""
    counted: str = ""
    """What the look computed that answers the question as asked, "" when nothing does: how
    many top-level functions the module it outlines defines, for a question asking just that
    (`_module_level`), how many numbered sections a text has (`_numbered_sections`), who
    signed the most of a file's entries (`_people`), how many items a list of the record a key
    names holds (`_counted_in_its_record`), a log's top value by a column or its count of the
    lines writing the question's words (`log_columns`). Offered like a value read in the look."""
    passages: tuple[str, ...] = ()
    """The paragraphs shown whole for a look-up (`look_passage`), their lines as the look
    numbers them ("370| Defaults to 48K,"): an answer read there was read, not guessed."""
    holds: str = ""
    """The name `start` assigns last that holds the answer as asked (the values a judging question
    selects, or their pairs: `recursor.judged_groups`); "" when the start only leads on."""
    header: tuple[str, ...] = ()
    """A delimited table's column names and separator (`look_table`): a reader is shown a row's
    cells by name."""
    sep: str = ""
    table: Table | None = None
    """A table's rows (`look_table`), for the query a sub-model writes for the question
    (`recursor.table_sql`); None for any other text."""
    reasons: ReasonKinds | None = None
    """For a count that gives a reason no line writes, the kinds of the event's lines, for a
    sub-model to pick the one the reason names (`look_because`); None for any other question."""

    def shows(self, value: str) -> bool:
        """Whether `value` (4+ characters) is written in a line shown: an answer read from here
        was seen, not guessed. Short values ("6", "yes") are too common to tell. Spacing is
        not compared: logs align their columns ("2025-06-24  14:37:36"), answers do not."""
        value = value.strip().strip("\"'`").lower()
        if "\n" in value:
            return False
        value = " ".join(value.split())
        return len(value) >= 4 and any(value in " ".join(line.lower().split()) for line in self.shown)

    def passage_writes(self, value: str) -> bool:
        """Whether a passage shown writes `value` (3+ characters) whole (`whole_value`: "48K"
        in "Defaults to 48K,", not "2024" of "2024-01-07"): a value there was read in a
        paragraph about the question, where `shows` cannot tell a short value from any number
        on any shown line."""
        value = value.strip().strip("\"'`")
        if len(value) < 3 or "\n" in value:
            return False  # "1", "07": any number of any line
        whole = whole_value(value)
        lines = (_NUMBERED.sub("", line) for passage in self.passages for line in passage.split("\n"))
        return any(whole.search(line) for line in lines)


def whole_value(value: str) -> re.Pattern[str]:
    """`value` as a pattern that finds it written whole: not inside a longer word, number,
    path, version or date ("1" of "-1", "01" of "2024-01-07"); spaces as any run of spaces
    ("2025-06-24  14:37:36", as logs align their columns)."""
    spaced = r"\s+".join(re.escape(part) for part in value.split())
    return re.compile(r"(?<![\w.:/+~-])" + spaced + r"(?![\w:/+~-]|\.\w)", re.IGNORECASE)


_NUMBERED = re.compile(r"^\d[\d,]*\| ")
"""A shown line's number ("370| "), which is the look's, not the text's."""

NO_LOOK = Orientation("", ())
"""Nothing shown: the paper's first message."""


def _text(context: ContextValue) -> tuple[str, list[int], list[str | int]]:
    """The context as one text, and for a dict or list where each value starts in it and its
    key (a dict's key, a list's index), to tell reads and file names by."""
    if isinstance(context, str):
        return context, [], []
    items = list(context.items()) if isinstance(context, dict) else list(enumerate(context))
    starts: list[int] = []
    keys: list[str | int] = []
    parts: list[str] = []
    pos = 0
    for key, value in items:
        if isinstance(value, str):
            starts.append(pos)
            keys.append(key)
            parts.append(value)
            pos += len(value) + 1
    return "\n".join(parts), starts, keys


def _line_at(text: str, start: int, end: int, width: int) -> tuple[int, int, str]:
    """The line holding text[start:end], or a `width` window of it around the match: where the
    line (in a long line, the match's sentence) starts and ends in `text`, and the text shown
    ("..." where the line goes on)."""
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    hi = len(text) if hi < 0 else hi
    if hi - lo <= width:
        return lo, hi, text[lo:hi].rstrip("\r")
    pad = max(0, (width - (end - start)) // 2)
    a, b = max(lo, start - pad), min(hi, end + pad)
    # What was read is the sentence around the match, as far as the window shows it.
    dot = text.rfind(". ", a, start)
    stop = text.find(". ", end, b)
    read_lo, read_hi = (dot + 2 if dot >= 0 else a), (stop + 1 if stop >= 0 else b)
    return read_lo, read_hi, ("..." if a > lo else "") + text[a:b] + ("..." if b < hi else "")


def _found_rx(word: str) -> re.Pattern[str]:
    """The pattern a found word is matched by: its forms as a word (`_stem_rx`), or, for a
    symbol with no letter or digit ("€", "%" of `question.marked_short`), itself as written
    anywhere ("50%", "€10"), where a word's boundaries never hold."""
    if len(word) == 3 and word[0] in "'\"`" and word[-1] == word[0]:
        return re.compile(re.escape(word))  # "'g'" as the question quotes it: 'G' is another type character
    if word[:1] == "-" and len(word) >= 2:  # a command-line option as written ("--s3-" starts options; "-L" is not "-l")
        return re.compile(r"(?<![\w-])" + re.escape(word) + (r"[\w.-]*" if word[-1] == "-" else r"(?![\w-])"))
    if word[-1:] == "_" and word[:1].isalpha():  # "tcp_" of "tcp_*": a start (not a dunder's "__init__")
        return re.compile(r"(?<![\w-])" + re.escape(word) + r"[\w.-]*", re.IGNORECASE)
    return _stem_rx(word) if any(c.isalnum() for c in word) else re.compile(re.escape(word), re.IGNORECASE)


class _Finder:
    """Finds a question word's matches (`helpers._stem_rx`) fast in a large text: candidates by
    a plain search of the lowered text (C speed), each checked by the word's pattern."""

    def __init__(self, text: str, lowered: str | None, word: str, rx: re.Pattern[str] | None = None) -> None:
        self.text, self.rx = text, rx or _found_rx(word)
        # Lowering may change a text's length (a few non-ASCII letters): then regex only.
        self.lowered = lowered if lowered is not None and len(lowered) == len(text) else None
        self.literal = _stem_literal(word)

    def unit(self, start: int, end: int) -> tuple[int, int]:
        """The line holding text[start:end]; in a line over `_LONG_LINE` characters, its
        sentence. It reads at most `_LONG_LINE` characters each way, so a text with no line
        breaks (an extracted PDF) costs no more per match than a log."""
        text = self.text
        back = max(0, start - _LONG_LINE - 1)
        nl = text.rfind("\n", back, start)
        line_start = nl + 1 if nl >= 0 else back
        ahead = min(len(text), end + _LONG_LINE + 1)
        nl = text.find("\n", end, ahead)
        line_end = nl if nl >= 0 else ahead
        if line_end - line_start <= _LONG_LINE:
            return line_start, line_end
        dot = text.rfind(". ", line_start, start)
        stop = text.find(". ", end, line_end)
        return (line_start if dot < 0 else dot + 2), (line_end if stop < 0 else stop)

    def unit_end(self, start: int, end: int) -> int:
        """Where the line (in a long line, the sentence) holding text[start:end] ends."""
        return self.unit(start, end)[1]

    def forward(self) -> Iterator[tuple[int, int]]:
        """One (start, end) match per line (per sentence in a long line), in order."""
        if self.lowered is None:
            unit_end = -1
            for found in self.rx.finditer(self.text):
                if found.start() > unit_end:
                    yield found.start(), found.end()
                    unit_end = self.unit_end(found.start(), found.end())
            return
        pos = 0
        while (i := self.lowered.find(self.literal, pos)) >= 0:
            m = self.rx.match(self.text, i)
            if m is None:
                pos = i + 1
                continue
            yield m.start(), m.end()
            pos = self.unit_end(m.start(), m.end()) + 1

    def last(self, n: int) -> list[tuple[int, int]]:
        """The last `n` matches, one per line, searched from the end."""
        if self.lowered is None:  # no lowered text to search from the end: read it forward
            return list(deque(self.forward(), maxlen=n))
        found: list[tuple[int, int]] = []
        end = len(self.text)
        while len(found) < n and (i := self.lowered.rfind(self.literal, 0, end)) >= 0:
            m = self.rx.match(self.text, i)
            if m is None:
                end = i + len(self.literal) - 1
                continue
            found.insert(0, (m.start(), m.end()))
            end = self.text.rfind("\n", 0, i) + 1
        return found


_KEYLIKE = re.compile(r"\d|[-_.:/+~@]|.[A-Z]")
"""Digits, joining punctuation or inner capitals: an id, a version, a date, a code name."""

_COMMON = frozenset("""
able about above across act action actually add added after again against age ago all almost
along already also always among amount another answer any appear appears apply area around ask
asked ate available away back base based become been before began begin beginning being best
better between big both bring brought build built call called came can case cause change
changed changes check child class classes close code come comes complete completely contain
contains context correct could count counted counting counts current data date dates day days
defined defines definition did different direct does done down during each early end ended
entire entry entries even ever every exact exactly example fact far few field fields file
files final find first five follow following form found four from full function functions
gave get give given go goes going gone good got great group had half hand happen happened has
have held help here high hold holds how idea important include included includes including
information inside instead item items just keep kept kind know known large largest last late
later least left less let level like line lines list listed little log logs long look low
machine made main make making many mark match may mean means mentioned might module modules
more most much must name named names near need needed never new newest next none not note
nothing now number numbers occur occurs often old oldest once one only open order other out
over own package packages part path people per person place point possible present put
question rather read real reason record recorded records result right run runs said same say
second see seen set several short should show shown side since single size small smallest
some something start started starts state statement statements states still such sum take
taken tell than that then there these they thing things third this those three through time
times together told too took top total tree true turn two type under until upon use used uses
using value values very want was way well went were what when where which while who whole why
will with within without word words work would write written year years yet
highest lowest biggest greatest fewest
""".split())
"""Everyday English words: in a question they describe what is sought more often than they name
it, so a word not among them (a package, a program, a surname) is looked up first."""


_SPAN_VERB = re.compile(r"\b((?:milli|micro)?(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|time))\s+"
                        r"(?:has\s+|have\s+|had\s+)?(?:passed|elapsed|went\s+by|gone\s+by|lapsed)\b", re.IGNORECASE)
"""A span's verb ("how many seconds passed between ..."): it asks how long, and no line is
about it; searched, "passed" found Dovecot's `passwd-file` lines, which the 1.5B then read."""


def _question_words(question: str) -> list[str]:
    """The question's words worth looking up: no stop-words, no short words or numbers, none
    from its statements about the context or the answer's form (`asking_part`)."""
    question = asking_part(question)
    seen: set[str] = set()
    out: list[str] = []
    question = _SPAN_VERB.sub(r"\1", question)  # before any offset is read from it
    # A command-line option as the question writes it ("names begin with --s3-"), searched
    # first and whole: its words alone ("s3") are on every line that mentions the service.
    for m in _OPTION_WRITTEN.finditer(question):
        if m.group(1).lower() not in seen:
            seen.add(m.group(1).lower())
            out.append(m.group(1))
    thousands = [m.span() for m in re.finditer(r"\b\d{1,3}(?:,\d{3})+\b", question)]
    for m in TOKEN.finditer(question):
        word = m.group(0)  # "libminizip1's": the apostrophe ends the word
        low = word.lower()
        quoted = question[m.start() - 1:m.start()] in ("'", '"', "`", "\u2018", "\u201c") if m.start() else False
        if f"--{low}" in seen or f"-{low}" in seen or f"--{low}-" in seen:
            continue  # "force-write-download-archive" of the option "--force-write-download-archive", found already
        if low in _STOP or low in seen or (len(word) < 3 and not _ACRONYM.fullmatch(word)
                                           and (quoted or not _short_name(word))):
            continue  # a word of two letters only in capitals ("OK", "ID", "CA"), or a command's name ("rm"; quoted, it is `marked_short`'s)
        if any(a <= m.start() < b for a, b in thousands):
            continue  # "8,000 bytes": a number, no word
        seen.add(low)
        out.append(word)
    return out


_PAST = re.compile(r"[a-z]{2}ed$|^(?:bought|sent|began|begun)$", re.IGNORECASE)
"""A verb's past as a question writes it ("saved", "denied", "sent")."""


_NOT_VERBS_ING = frozenset("during morning evening something nothing anything everything string thing king "
                           "spring ring building following including according pending remaining missing existing "
                           "incoming outgoing upcoming ceiling meeting".split())
"""Words ending in -ing that are no verb's form after "saved" ("saved during the night")."""


def _aspect_verb(asking: str, word: str) -> bool:
    """Whether the question writes `word` before a verb's -ing form ("stopped supporting",
    "started using"): the event is the second verb, and the first's group ("halt",
    "terminate") names another."""
    m = re.search(rf"\b{re.escape(word)}\s+(\w{{3,}}ing)\b", asking, re.IGNORECASE)
    return m is not None and m.group(1).lower() not in _NOT_VERBS_ING
_OPTION_WRITTEN = re.compile(r"(?<![\w-])(--[A-Za-z0-9](?:[\w.-]*[\w-])?|-[A-Za-z](?![\w-]))")
"""A command-line option in a question: "--max-delete", "--s3-" (a start), "-x"."""
_TWO_LETTER_WORDS = frozenset("""
ad ah am an as at aw ax be by do eh ex go ha he hi hm if in is it lo ma me mi mm my no of oh ok on or ow ox pa
re so to uh um up us we ye yo
vs et al pm eg ie cf ca st nd rd th mr dr jr sr co
""".split())
"""English words of two letters, and prose's abbreviations ("vs", "et al."): any other
lower-case pair of letters a question writes is a name."""


def _short_name(word: str) -> bool:
    """Whether a word of two characters is a name: two lower-case letters that are no English
    word, a command ("the manual lists rm as another name for del"), a unit, a code; or a
    letter and a digit ("S3", "v2")."""
    if len(word) != 2:
        return False
    if word.isalpha():
        return word.islower() and word not in _TWO_LETTER_WORDS
    return any(c.isdigit() for c in word) and any(c.isalpha() for c in word)


_FILE_KINDS = frozenset("file files log logs history changelog".split())
"""Words that name a kind of file: "the dpkg log", "apt's history", "the Debian changelog"."""


def _naming_a_file(question: str, names: list[str]) -> set[str]:
    """The question's words that only say which file it is about ("in the dpkg log", "apt's
    history", "the Debian changelog"): in a run of two or more adjacent words, each a part of
    one file's path (`names`) or a kind of file, one of them a kind that is the file's name or
    extension (history.log, dpkg.log, changelog.Debian), the words of the file's own name and
    the kinds, when the question writes them once. A folder's name stays ("libminizip1's
    changelog": the package is what is asked about), and so do words that only share a path
    ("user history" of user_history.py, "nginx log files" of logrotate.d/nginx). Their lines are that file's header and
    lines that merely name the program ("dpkg-dev"): searched first as the rarest, they led
    the 1.5B to count the header line's entries and to answer with the package "dpkg-dev"."""
    asking = asking_part(question)
    # "apt's": the "s" after the apostrophe is no word of its own
    tokens = [m for m in TOKEN.finditer(asking)
              if not (m.group(0) == "s" and m.start() > 0 and asking[m.start() - 1] in "'\u2019")]
    said = Counter(m.group(0).lower() for m in tokens)
    out: set[str] = set()
    for name in names:
        parts = set(re.split(r"[^a-z0-9]+", name.lower())) - {""}
        base = re.split(r"[\\/]", name.lower())[-1]
        ends = set(base.split("."))  # "history", "log" of history.log; not "history" of user_history.py
        own = set(re.split(r"[^a-z0-9]+", base)) | _FILE_KINDS
        if not ends & _FILE_KINDS & said.keys():
            continue  # no word of the question is this file's kind: no run can name it
        runs: list[list[str]] = [[]]
        for before, m in zip([None, *tokens], tokens, strict=False):
            word = m.group(0).lower()
            if word not in parts and word not in _FILE_KINDS:
                runs.append([])
                continue
            if runs[-1] and before is not None and not re.fullmatch(r"(?:['\u2019]s)?\s+", asking[before.end():m.start()]):
                runs.append([])  # not adjacent: "log, and the apt"
            runs[-1].append(word)
        for run in runs:
            if len(run) >= 2 and any(w in _FILE_KINDS and w in ends for w in run):
                out |= {w for w in run if said[w] == 1 and w in own}
    return out


def everyday(word: str) -> bool:
    """Whether a word is a stop-word or an everyday English one (`_COMMON`), which ties no two
    lines together: "the", "code", "given"."""
    return word.lower() in _STOP or word.lower() in _COMMON


def key_shaped(word: str) -> bool:
    """Whether a word is shaped like a key (`_KEYLIKE`): an id, a version, a date, a code name."""
    return _KEYLIKE.search(word) is not None


def _tier(word: str, marked: frozenset[str] = frozenset()) -> int:
    """0 for key-shaped words (ids, versions, code names) and words the question marks as
    names (`marked_words`), 1 for rare words (and two capitals, "ID"), 2 for everyday ones."""
    if (key_shaped(word) and len(word) > 2) or word.lower() in marked or word.strip("'\"`").lower() in marked:
        return 0  # not "ID" or "OK": two capitals are a word like any other; "'g'" as the question quotes it
    return 2 if word.lower() in _COMMON else 1


_ALL_UP_TO = 10
"""The rarest word's lines are all shown when it has this many or fewer (a look-up's evidence)."""


@dataclass(slots=True)
class _Word:
    word: str
    count: int
    first: list[tuple[int, int]]
    last: list[tuple[int, int]]
    forms: Counter[str] = field(default_factory=Counter)  # the lines of each form the word was found as
    form_first: dict[str, tuple[int, int]] = field(default_factory=dict)  # each form's first match
    asked: str = ""  # the question's spelling, when the text writes the word joined (`_joined`)
    inside: bool = False  # found as a part of a CamelCase name (`_camel_named`): ranked as the asked word
    phrase: bool = False  # several of the question's words as the text writes them together (`_phrases_written`)

    @property
    def named(self) -> str:
        """How the look names the word: as written, and as the question wrote it if otherwise."""
        return f"{self.word!r} (the question's {self.asked!r})" if self.asked else repr(self.word)

    @property
    def as_written(self) -> str:
        """The word as the text writes it, when it was found in one other form only: the 1.5B
        told to search for "refuse" looked for that whole word in lines that say "refused" (0 lines)."""
        if (len(self.forms) == 1 and self.count < _MAX_COUNTED  # a capped count's forms are its first lines
                and (form := next(iter(self.forms))).lower() != self.word.lower() and _inflects(form, self.word)):
            return form
        return self.word

    def written(self, text: str, shown: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
        """How the word is written, when it was found in more than one form ("installed" as
        "installed" and "install": dpkg's status lines and its actions): each form's count,
        and a first line of each form the shown lines lack. A paraphrase-tolerant count adds up
        words that may mean different things; the forms let the reader choose. Found in one
        form other than the word, that form: asked what was "upgraded", the 1.5B shown
        "'upgraded': 9 lines" of a dpkg log that writes "upgrade" filtered for "upgraded" and
        answered 0."""
        if len(self.forms) == 1 and self.count < _MAX_COUNTED:
            form = next(iter(self.forms))
            other = form.lower() != self.word.lower() and _inflects(form, self.word)  # not "openssl" for "opened"
            return (f" (written {form!r})", []) if other else ("", [])
        if len(self.forms) < 2 or self.count >= _MAX_COUNTED:  # a capped count has no true parts
            return "", []
        top = self.forms.most_common(_FORMS_SHOWN)
        more = len(self.forms) - len(top)
        told = ", ".join(f"{form!r} {n:,}" for form, n in top) + (f", {more} other forms" if more else "")
        seen = {_whole_form(text, a, b) for a, b in shown}
        return f" (written {told})", [self.form_first[form] for form, _ in top if form not in seen]

    def spans(self, rank: int) -> tuple[list[tuple[int, int]], str]:
        """The matches shown for the word ranked `rank`, and how they are introduced."""
        limit = (_ALL_UP_TO, 4, 1)[min(rank, 2)]
        if self.count <= limit:
            return self.first[: self.count], ""
        if rank < 2:
            return self.first[:2] + self.last, "the first and last"
        return self.first[:1], "e.g."


_JOINER = re.compile(r"(?<=[A-Za-z0-9])-(?=[A-Za-z0-9])")


def _joined(word: str) -> list[str]:
    """`word` with its hyphens dropped ("no-login" -> "nologin", "RISC-V" -> "RISCV"), then
    as underscores ("max-connections" -> "max_connections", "x86-64" -> "x86_64"), then as
    spaces ("already-connected" -> "already connected", as a log's message writes it), when
    it has any: how identifiers, paths, config values and prose write what a question
    hyphenates. [] for a word with none."""
    forms = [_JOINER.sub("", word), _JOINER.sub("_", word), _JOINER.sub(" ", word)]
    return [form for form in forms if form != word and len(form) >= 4]


_VALUE_NAME = re.compile(r"""["'`]?(?:[ \t]*[:=][ \t]*(?=["'`(\s])|[ \t]+)\(?[ \t]*["'`]?((?:--?)?[A-Za-z_][\w.-]*)""")
"""A definition's value after its name: `#define A B`, `A = (B | 1)`, `'a': 'b'` (not "a:b" or "a (b)");
a command's option too (`--old-name   --new-name`)."""
_HOP_SHOWN = 3
"""Lines shown of the name a rare word's line gives as its value (`_names_another`)."""


def _names_another(text: str, end: int, asked: list[str]) -> str | None:
    """The name a definition gives as its value, right after the word that ends at
    text[end]: `#define KEY_ZOOM KEY_FULL_SCREEN`, `'ibm039': 'cp037'`, `X = (Y | 8)`. Only
    a name shaped like a key (`key_shaped`) that the question does not write and the text
    writes on another line: what to read next to answer about the word. A number or a plain
    word ("the", "installed") is none."""
    m = _VALUE_NAME.match(text, end)
    start = text.rfind("\n", 0, end) + 1
    word_at = end - len(re.split(r"[^\w.-]", text[start:end])[-1])
    if m is None or "\n" in text[end:m.start(1)]:
        return None
    line_end = text.find("\n", end)
    # A row of two names alone ("--force-write-download-archive   --force-write-archive", a
    # manual's old aliases) maps the first to the second as a definition does.
    pair = len(text[start:len(text) if line_end < 0 else line_end].split()) == 2 and not text[start:word_at].strip(" \t-")
    if not (pair or _defines_at(text, word_at, end, bare=False)):
        return None
    return _hop_name(text, m.group(1).rstrip(".-"), asked)


def _hop_name(text: str, name: str, asked: list[str]) -> str | None:
    """`name` as the one to read next: shaped like a key, not written by the question, and
    written by the text elsewhere too; None otherwise."""
    if not key_shaped(name) or name.lower() in {w.lower() for w in asked}:
        return None
    return name if len(_word_rx(name).findall(text, 0, _HOP_READ)) >= 2 else None


_HOP_READ = 5_000_000
"""Characters searched for another line of the name a definition gives (`_names_another`)."""


def _hop(text: str, lowered: str | None, start: int, end: int, asked: list[str],
         unit: str) -> tuple[list[str], list[tuple[int, int]]] | None:
    """When the line holding text[start:end] defines that word as another name
    (`_names_another`), the row that names it and the spans of its other lines, its own
    definition first; None otherwise."""
    how = "which it names"
    if (name := _names_another(text, end, asked)) is None:
        how = "of which it is another name"
        if (name := _aliased(text, start, asked)) is None:
            return None
    hit = _look_up(text, lowered, name)
    line_lo, line_hi = text.rfind("\n", 0, start) + 1, text.find("\n", end) % (len(text) + 1)
    elsewhere = [span for span in hit.first if not line_lo <= span[0] < line_hi]  # not the line above
    first = sorted(elsewhere, key=lambda span: not _defines_at(text, *span))[:_HOP_SHOWN]
    if first and _defines_at(text, *first[0]):
        first = [first[0], *_body_below(text, first[0][0]), *first[1:]]
    return [f"   {name!r}, {how}: {hit.count:,} {unit}{'s' if hit.count != 1 else ''}"
            f"{', also' if first else ''}:"], first


def _aliased(text: str, start: int, asked: list[str]) -> str | None:
    """The name a definition line gives first when the word at text[start] is one of its other
    names after an `=` (pint's `force_kilogram = g_0 * kilogram = kgf = kilogram_force`: asked
    about "the kilogram-force", the units defined by it write `force_kilogram`). Only a name
    shaped like a key that the question does not write and the text writes elsewhere."""
    line_start = text.rfind("\n", 0, start) + 1
    m = _FIRST_DEFINED.match(text, line_start)
    if m is None or m.end() > start or "=" not in text[m.end():start]:
        return None
    return _hop_name(text, m.group(1), asked)


_FIRST_DEFINED = re.compile(r"[ \t]*([A-Za-z_][\w.]*)[ \t]*=(?!=)")
"""A line that defines its first name: `name = ...`."""


def _body_below(text: str, at: int) -> list[tuple[int, int]]:
    """The lines indented deeper under the line at text[at] (an option's entry in a manual,
    whose "(Alias: --force-download-archive)" is in its description), `_HOP_BODY` at most."""
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    indent = len(text[line_start:at]) - len(text[line_start:at].lstrip())
    out: list[tuple[int, int]] = []
    pos = line_end
    while pos >= 0 and len(out) < _HOP_BODY:
        nxt = text.find("\n", pos + 1)
        line = text[pos + 1:len(text) if nxt < 0 else nxt]
        if not line.strip() or len(line) - len(line.lstrip()) <= indent:
            break
        out.append((pos + 1, len(text) if nxt < 0 else nxt))
        pos = nxt
    return out


_HOP_BODY = 4


def _defines_at(text: str, start: int, end: int, bare: bool = True) -> bool:
    """Whether the match at text[start:end] is the name its line defines: first on its line
    after `#define`, `const`, `let`, `var` or a quote, or followed by `=`, or by `:` and a
    space ("a: b", not "libc6:amd64"); with `bare`, also first on its line with nothing
    before it (a table's row: "CVE-2022-0001 HIGH openssl" defines nothing as HIGH)."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start].strip()
    return (before in ("#define", "# define", "const", "let", "var", "'", '"') or (bare and not before)
            or re.match(r"""["'`]?[ \t]*(?:=|:(?=[\s"'`(]))""", text[end:end + 8]) is not None)


_NUMBERED_NAME = re.compile(r"\b([A-Za-z][A-Za-z-]*[A-Za-z])[ \t]+(\d{1,3})(?![\d.,:/-])")


def _numbered_names(asking: str, seen: set[str]) -> list[tuple[str, str]]:
    """A name the question writes with its number apart ("Kerberos 5", "Python 3", "Java 17"),
    as (written, joined): package names, services and configs write it joined ("kerberos5",
    "python3"). Not a word the question already looks up."""
    out = []
    for m in _NUMBERED_NAME.finditer(asking):
        joined = m.group(1) + m.group(2)
        if m.group(1).lower() not in _STOP and joined.lower() not in seen:
            seen.add(joined.lower())
            out.append((m.group(0), joined))
    return out


_PHRASAL = re.compile(r"\b([A-Za-z]{2,}?)(ing|ed|s)?[ \t]+(out|up|down|in|back|off|over)\b", re.IGNORECASE)
"""A verb and its particle ("timing out", "logged in", "shut down", "backs up")."""


def _phrasal_compounds(asking: str, missing: set[str], text: str = "") -> list[tuple[str, list[str]]]:
    """The nouns a log may write for a verb and its particle that the text does not write, as
    (written, candidates): "timing out" is "timeout" (gunicorn's `WORKER TIMEOUT`), "logged in"
    "login", "shut down" "shutdown", "backed up" "backup". The candidates are the verb's base
    forms (the ending off, a final "e" back, a doubled consonant single) joined to the
    particle; the look keeps the first one the text writes. A verb the text writes (`missing`
    lacks it) counts too when the text never writes it before the particle: "times out" of a
    header whose "times" are a count of tries."""
    out = []
    for m in _PHRASAL.finditer(asking):
        verb, particle = m.group(1) + (m.group(2) or ""), m.group(3).lower()
        if verb.lower() not in missing and (not text or re.search(
                rf"(?<![A-Za-z]){re.escape(m.group(1))}[a-z]*[ \t]+{particle}\b", text, re.IGNORECASE)):
            continue
        base = m.group(1).lower()
        bases = [base] if not m.group(2) else [base, base + "e"]
        if len(base) > 2 and base[-1] == base[-2] and base[-1] not in "aeiou":
            bases.append(base[:-1])  # "logged": log, "shutting": shut
        out.append((m.group(0), [b + particle for b in bases]))
    return out


_ASKS_CODE = re.compile(r"\b(?:(?:status|error|exit|return|result)\s+(?:code|value|number)|errno|error\s+constant)s?\b",
                        re.IGNORECASE)
"""A question asking for a program's status or error code ("what status code ... when ...")."""


def _errno_rx(word: str) -> re.Pattern[str]:
    """`word` as an errno-style constant names it: E and the word in capitals, alone or after
    a prefix and an underscore (`ETIMEDOUT`, `ARES_ETIMEOUT`)."""
    return re.compile(rf"(?<![A-Za-z0-9])(?:[A-Z][A-Z0-9]*_)?E{re.escape(word.upper())}(?![A-Za-z0-9])")


_PARTS_READ = 2_000
"""Lines of a hyphenated word's rarest part read for a line that holds the others too."""


def _camel_named(text: str, word: str) -> str | None:
    """The one CamelCase name (a class, a task, an exception) the text writes with `word`'s
    stem as one of its capitalised parts, when the text writes the word itself nowhere:
    "validation" of a luigi log's `ValidateSales`, "timeout" of `ConnectTimeoutError`. None
    for a short stem, a capitalised word, or a stem that starts several such names."""
    stem = _stem_literal(word)
    if len(stem) < _CAMEL_STEM or not word.islower() or not word.isalpha():
        return None
    part = stem[0].upper() + stem[1:]
    if text.find(part, 0, _HOP_READ) < 0:
        return None
    ending = "|".join(_CAMEL_ENDINGS)
    rx = re.compile(rf"(?<![A-Za-z0-9])(?:[A-Z][a-z0-9]*)*{re.escape(part)}(?:{ending})(?:[A-Z][a-z0-9]*)*(?![A-Za-z0-9])")
    names = Counter(m.group(0) for m in islice(rx.finditer(text, 0, _HOP_READ), _CAMEL_READ))
    camel = [n for n in names if sum(1 for c in n if c.isupper()) >= 2]
    return camel[0] if len(camel) == 1 else None


_CAMEL_ENDINGS = ("ations", "ation", "ions", "ion", "ing", "ed", "es", "e", "s", "")
"""The endings a stem may have inside a CamelCase name: the word's own forms, not "Reporter" of "report"."""
_CAMEL_STEM = 5
"""The shortest stem looked for inside CamelCase names (`_camel_named`)."""
_CAMEL_READ = 10_000
"""Matches read when looking for a stem inside CamelCase names."""


def _parts_written(text: str, lowered: str | None, word: str) -> list[_Word]:
    """The parts of a hyphenated word the text writes apart, each found, when every part of 3+
    letters is and the text writes no joined form: "high-severity" of a report's "Severity:
    High", "read-only" of "only ... read". [] otherwise: a part the text lacks leaves the whole
    word missing."""
    parts = [p for p in word.split("-") if p]
    if len(parts) < 2 or any(len(p) < 3 or not p.isalpha() for p in parts):
        return []
    hits = [_look_up(text, lowered, p) for p in parts]
    if not all(h.count for h in hits):
        return []
    # On one line, as a field and its value are ("Severity: High"); "module-level" is not the
    # "lower-level" of a comment and a "module" elsewhere.
    rarest = min(range(len(parts)), key=lambda k: hits[k].count)
    others = [re.compile(rf"(?<![^\W_]){re.escape(p)}(?![^\W_])", re.IGNORECASE) for k, p in enumerate(parts) if k != rarest]
    for n, m in enumerate(re.finditer(rf"(?<![^\W_]){re.escape(parts[rarest])}(?![^\W_])", text, re.IGNORECASE)):
        start, end = text.rfind("\n", 0, m.start()) + 1, text.find("\n", m.end())
        if all(o.search(text, start, len(text) if end < 0 else end) for o in others):
            return hits
        if n >= _PARTS_READ:
            break
    return []


def _short_written(text: str, lowered: str | None, word: str) -> _Word | None:
    """`word` in the short form code writes it most often ("bool" of "boolean", "config" of
    "configuration", `short_forms`), found as a word of its own (`short_form_rx`: not the
    "pkg" of `pkg-config`, nor `config.py`); None when the text writes none."""
    hits = [h for form in short_forms(word)
            if (h := _look_up(text, lowered, form, short_form_rx(form))).count]
    if not hits:
        return None
    best = max(hits, key=lambda h: h.count)
    best.asked = word
    return best


_SHORT_UNDER = 10
"""A word on this many lines or more is the text's own: no short form is looked up for it."""
_SHORT_OVER = 2
"""A short form is looked up for the word when the text writes it on more than this many times
the word's lines: "pkg" is no better than a log's own "packages"."""


def _letter_words(text: str) -> set[str]:
    """The runs of letters a text writes, lower case: "hang-up" is {"hang", "up"}."""
    return {w.lower() for w in re.findall(r"[A-Za-z]+", text)}


_ENDINGS = ("", "e", "s", "es", "d", "ed", "ing")


def _inflects(form: str, word: str) -> bool:
    """Whether `form` is `word` with another ending ("upgrade" of "upgraded"), not another word
    that starts the same ("openssl" of "opened", "banner" of "banned")."""
    stem = _stem(word.lower())
    if stem == word and _BASE_FORM.fullmatch(word):  # "closing" of "close", "denied" of "deny"
        return _stem_rx(word).fullmatch(form) is not None
    if (base := _y_base(word)) is not None and form.lower() in (base, base + "ing"):
        return True  # "query" of "queries"
    return form.lower().startswith(stem) and form.lower()[len(stem):] in _ENDINGS


def _synonym_found(text: str, lowered: str | None, verb: str) -> _Word:
    """`_look_up` of a verb of a group (`synonyms`), in its past forms no ending gives too:
    "pay" found as `fine paid`. Such forms start otherwise, so the text is searched by pattern."""
    irregular = irregular_forms(verb)
    if not irregular:
        return _look_up(text, lowered, verb)
    rx = _found_rx(verb)
    either = re.compile(rf"{rx.pattern}|(?<![A-Za-z0-9])(?:{'|'.join(irregular)})(?![A-Za-z0-9])", rx.flags)
    return _look_up(text, None, verb, either)


def _look_up(text: str, lowered: str | None, word: str, rx: re.Pattern[str] | None = None) -> _Word:
    """How many lines hold `word` (up to _MAX_COUNTED), with the first ones and the last two;
    `rx`, when given, is what finds it (`_found_rx` otherwise)."""
    finder = _Finder(text, lowered, word, rx)
    first: list[tuple[int, int]] = []
    last: list[tuple[int, int]] = []
    forms: Counter[str] = Counter()
    form_first: dict[str, tuple[int, int]] = {}
    count = 0
    in_names = bool(_VERB_FORM.search(word))  # so far each line's matches are another form inside a name
    for span in finder.forward():
        count += 1
        in_names = in_names and _inflected_in_a_name(text, span, word, finder.rx)  # "update" of gtk-update-...
        form = _whole_form(text, *span)
        forms[form] += 1
        form_first.setdefault(form, span)
        if len(first) < _ALL_UP_TO:
            first.append(span)
        last = [*last[-1:], span]
        if count >= _MAX_COUNTED:
            return _Word(word, count, first, finder.last(2), forms, form_first)
    if count and in_names:
        return _Word(word, 0, [], [], Counter(), {})  # "updated" asked: the text never writes it
    return _Word(word, count, first, last, forms, form_first)


def _inflected_in_a_name(text: str, span: tuple[int, int], word: str, rx: re.Pattern[str]) -> bool:
    """Whether a line's matches are all the question's word in another form ("update" for
    "updated") inside a name that hyphens or underscores join (`gtk-update-icon-cache`,
    `auto_update`): a package or an identifier, not the word the question uses. Asked only
    for a word in a verb's form (`_VERB_FORM`): a noun's number ("timeouts" of
    keepalive_timeout) is still the noun."""
    line_end = text.find("\n", span[1])
    for found in rx.finditer(text, span[0], line_end if line_end >= 0 else len(text)):
        start, end = found.span()
        if found.group(0).lower() == word.lower():
            return False
        before = start >= 2 and text[start - 1] in "-_" and text[start - 2].isalnum()
        after = end + 1 < len(text) and text[end] in "-_" and text[end + 1].isalnum()
        if not (before or after):
            return False  # "Packages that were upgraded:" later on a line naming unattended-upgrade
    return True


_VERB_FORM = re.compile(r"(?:ed|ing)$", re.IGNORECASE)
"""A question word in a verb's form ("updated", "getting"): a name that writes its stem
("gtk-update-icon-cache", `__NR_gettid`) is not that verb."""


_FORMS_SHOWN = 3
"""The forms of a question word counted in the look (the most frequent first)."""


def _whole_form(text: str, start: int, end: int) -> str:
    """The form a match is written in, with what a hyphen joins to its front ("half-installed"
    is not "installed")."""
    while start > 1 and text[start - 1] == "-" and text[start - 2].isalnum():
        start -= 2
        while start > 0 and text[start - 1].isalnum():
            start -= 1
    return text[start:end].lower()


_RECORDS_SHOWN = 2
"""The rarest word's record is shown when it is on at most this many lines."""

_WHERE_LEAST = 5
"""The second word's fields are told when it is on this many lines or more: what a count counts."""

_SLOT_BEFORE = re.compile(
    r"""(?:\b(?P<attr>[A-Za-z_][\w:.-]{0,39})=["'][^"'<>]*"""  # inside an attribute's value: type="Gov
    r"""|"(?P<json>[^"\n]{1,40})"\s*:\s*"?[^"\n,{}]*"""  # a JSON key's value: "name": "Mic
    r"""|<(?P<tag>[A-Za-z_][\w:.-]{0,39})(?:\s[^<>]*)?>[^<]*"""  # an element's text: <vendor>Mic
    r"""|^[ \t]*(?P<field>(?![A-Z0-9_-]+:)[A-Za-z][\w.-]{0,39}):[ \t][^=<>"\n]*"""  # a field's value: Priority: req
    r"""|(?<![\w.-])(?P<key>[A-Za-z_][\w.-]{0,39})=[^\s=]*)$""",  # key=value: status=fail
    re.MULTILINE,
)
"""What a line writes just before a match, when the match is a named slot's value. A field
is a `Name: value` line's name only when nothing else is between it and the match, and not
one in capitals (a log's `ERROR:`)."""
_SLOTS_READ = 10_000
"""Lines of the rarest word read for where it is written (as `_MAX_COUNTED` bounds its count)."""


def _slot_of(text: str, start: int, pos: int) -> str | None:
    """The named slot text[pos] is written in, on the line starting at `start`: of the slots
    `_SLOT_BEFORE` finds, the one that starts nearest the match."""
    m = _SLOT_BEFORE.search(text, max(start, pos - 200), pos)
    while m is not None and (later := _SLOT_BEFORE.search(text, m.start() + 1, pos)) is not None:
        m = later
    if m is None:
        return None
    return (f"@{m['attr']}" if m["attr"] else f'"{m["json"]}"' if m["json"] else f"<{m['tag']}>" if m["tag"]
            else m["field"] or m["key"])


def _written_where(text: str, lowered: str | None, word: _Word) -> str:
    """Where the rarest word is written, when the text names the slots its values go in: the
    XML element or attribute, JSON key, `Name: value` field or `key=value` key holding each of
    its matches, each counted once a line ("'Microsoft' is written in: <vendor> 13 lines,
    <description> 10, <name> 3"), when such slots hold half of its lines or more and two or
    more lines; shown to a question that asks how many (`COUNT_ASKED`). How many Microsoft
    keyboard models a file lists is how many `<vendor>` lines write Microsoft; the 1.5B
    counted every line that holds the word (26) or the next word's (199)."""
    if word.count < 2 or not re.search(r"[^\W\d_]", word.word):
        return ""  # a date or a number: a period's or a range's bound, not the thing counted
    per_line: dict[int, dict[str, None]] = {}  # each line's start: the slots its matches are in, in order
    # (ordered, not a set: ties are told in the order they are written, the same in every run)
    finder = _Finder(text, lowered, word.word)
    for s, e in finder.forward():
        # The match's line (in a line of prose, its sentence: one unit each, so a text of one
        # long line is read once, not to its end at each match).
        start, end = finder.unit(s, e)
        if start in per_line:
            continue
        if len(per_line) >= _SLOTS_READ:
            break
        per_line[start] = {}
        again = re.finditer(r"(?<!\w)" + re.escape(text[s:e]) + r"(?!\w)", text[e:end],
                            re.IGNORECASE)  # its other matches on the line: a JSON line's "name" and "vendor"
        for at in (s, *(e + m.start() for m in again)):
            if (slot := _slot_of(text, start, at)) is not None:
                per_line[start][slot] = None
    lines = len(per_line)
    if lines < 2 or 2 * sum(1 for held in per_line.values() if held) < lines:
        return ""
    slots = Counter(slot for held in per_line.values() for slot in held)
    top = slots.most_common(4)
    rest = len(slots) - len(top)
    told = ", ".join(f"{slot} {n:,}" + (f" line{'s' if n != 1 else ''}" if i == 0 else "") for i, (slot, n) in enumerate(top))
    of = f" (of its first {lines:,} lines)" if lines >= _SLOTS_READ else ""
    return f"{word.word!r} is written in{of}: {told}" + (f", {rest} others" if rest else "") + "."


@dataclass(slots=True)
class _Doc:
    """The context as the look reads it: one text, where its files (or a dict's values) start
    and their names, and whether a match is shown by its line or, in a text of long lines, its
    sentence (`unit`)."""

    text: str
    lowered: str
    starts: list[int]
    keys: list[str | int]
    files: list[_FileSpan]
    name_at: list[int]
    unit: str
    width: int
    own: str | None
    """The name of one text under its own header line (`# File: path`), if it is one."""

    def file_at(self, pos: int) -> int:
        """The index in `files` of the file holding text[pos]; -1 for none."""
        return bisect_right(self.name_at, pos) - 1

    def where(self, pos: int) -> str:
        """The file name shown before a line at `pos` ("[path] "), "" for one text."""
        at = self.file_at(pos)
        return f"[{self.files[at][0]}] " if at >= 0 else ""


@dataclass(slots=True)
class _Page:
    """The look as it is written: its rows, the context lines they show, and those lines as
    reads of the context (`Orientation.shown`, `Orientation.reads`)."""

    doc: _Doc
    rows: list[str] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)
    reads: list[Read] = field(default_factory=list)

    def add(self, rows: list[str] | tuple[str, ...], spans: list[tuple[int, int]] | tuple[tuple[int, int], ...] = ()) -> None:
        """`rows`, and the context `spans` they show whole."""
        self.rows += rows
        self.show(spans)

    def show(self, spans: list[tuple[int, int]] | tuple[tuple[int, int], ...]) -> None:
        """Context spans shown whole, in rows added elsewhere."""
        self.shown += [self.doc.text[a:b] for a, b in spans]
        self.reads += [_read(self.doc.starts, self.doc.keys, a, b) for a, b in spans]

    def line(self, start: int, end: int) -> str:
        """The line holding text[start:end] as shown (`_line_at`), noted as shown and read."""
        lo, hi, line = _line_at(self.doc.text, start, end, self.doc.width)
        self.shown.append(line)
        self.reads.append(_read(self.doc.starts, self.doc.keys, lo, hi))
        return line


def _doc(context: ContextValue, width: int) -> _Doc:
    text, starts, keys = _text(context)
    # Names shown with each line: a dict's keys (files by path), or the files joined into a str.
    # Each file as (name, start, body, end): a dict's entry is all body, a joined file's body
    # starts after its header line.
    files = ([(str(k), a, a, b) for k, a, b in zip(keys, starts, [*starts[1:], len(text)], strict=True)]
             if isinstance(context, dict) else file_spans(text) if isinstance(context, str) else [])
    n_lines = text.count("\n") + 1
    unit = "sentence" if len(text) / n_lines > _LONG_LINE else "line"
    own = _header_name(text) if not files else None
    return _Doc(text, text.lower(), starts, keys, files, [f[1] for f in files], unit, width, own)


def orientation(context: ContextValue, question: str, *, n_words: int = 3, first_lines: int = 3,
                width: int = 160) -> Orientation:
    """What the root is shown of `context` before its first turn (see the module docstring):
    the text's size and first lines, its typical records or fields, the lines of the question's
    words, then what the look computes for the question's kind (`_computed`)."""
    if not _text(context)[0].strip():
        return NO_LOOK
    question = plain_idioms(question)
    doc = _doc(context, width)
    text, files = doc.text, doc.files
    n_lines = text.count("\n") + 1
    head = [line[:width] for line in text.lstrip("\n").split("\n", 8)[:8] if line.strip()][:first_lines]
    size = f"{n_lines:,} lines" if n_lines > 1 else f"one line of {len(text):,} characters"
    page = _Page(doc, [f"It has {size}. It begins:"] + [f"{n}| {line}" for n, line in enumerate(head, 1)], list(head))
    asking = asking_part(question)
    summary = fields_summary(text, question)
    # Not for a text of fields (named above) nor several files (their records differ by file,
    # and these rows would not say whose).
    # A table under a header line is told by its columns, and the count or ranking asked computed.
    tabled = (table_look(text, question) or weblog_look(text, question)) if len(files) < 2 and not summary.rows else None
    typical, typical_spans = (_typical(text, head, width)
                              if len(files) < 2 and not summary.rows and not (tabled and tabled.names_fields)
                              else ([], []))
    page.add(typical + summary.rows + list(tabled.rows if tabled else ()), typical_spans)
    # A question that asks to judge each line against options the lines never write: the
    # labelling call comes first, and the options' words are not searched (a line holding
    # "human" is not a "human being" question).
    judging = judged(text, question, several_files=len(files) > 1)
    page.add(judging.rows if judging else [])
    not_searched = {w.lower() for o in judging.options for w in terms_of(o)} if judging else set()
    words = _searched(doc, question, asking, not_searched)
    blocks = _word_rows(page, words, question, asking, n_words)
    written_together, together, together_count = _together_rows(page, words, question, n_words, blocks)
    in_record = ""
    found, marked = words.found, words.marked
    if found and COUNT_ASKED.search(asking) and _tier(found[0].word, marked) == 0 and found[0].count <= _ALL_UP_TO:
        in_record = _counted_in_its_record(text, doc.lowered, found[0].word, files, doc.name_at, asking)
    ending, ending_spans = ending_entry(text, asking, width) if len(files) < 2 else ([], [])
    if ending and found and not any(_found_rx(found[0].word).search(row) for row in ending):
        ending, ending_spans = [], []  # the last entry is not about the question's rarest word: its lines are shown
    page.rows[1 + len(head):1 + len(head)] = ending  # after the text's first lines
    page.show(ending_spans)
    blocks = [b + len(ending) for b in blocks]
    # The text's last entry first, for a question about the last of something: what it asks.
    hits = (("\n".join(ending),) if ending else ()) + tuple(
        "\n".join(page.rows[a:b]) for a, b in pairwise([*blocks, len(page.rows)]))
    counted, start, named_start, named = _outlined(page, context, words, question, asking, n_words)
    counted = counted or in_record or (tabled.counted if tabled else "")
    spanned, days = date_span(text, asking, [w.word for w in found])
    if not spanned and not files:
        spanned, days = days_between(text, asking)  # "between the 1.11 release and the 1.12 release"
    page.add(spanned)
    counted = counted or days
    if not counted and doc.unit == "line" and not files and (measured := measures_look(text, question)) is not None:
        page.add(measured.rows)  # "how many statements took more than 1 ms": a log's `duration: 0.4 ms`
        counted = measured.counted
    if not counted and not files and (totals := totals_look(text, question)) is not None:
        page.add(totals.rows)  # "added up, how many checks is that": each line's `running 42 checks`
        counted = totals.counted
    if not counted and not files and (enum := enum_look(text, question)) is not None:
        page.add(enum.rows)  # "what integer value does XML_ERROR_INVALID_ARGUMENT have": C's count from 0
        counted = enum.counted
    if not counted and not files and (declared := decl_look(text, question)) is not None:
        page.add(declared.rows)  # "how many functions declared here return a boolean": C's declarations
        counted = declared.counted
    if not counted and not files and (section := section_count(text, question)) is not None:
        page.add(section.rows)  # "how many options in the post-processing options section": its entries
        counted = section.counted
    window_ends: tuple[str, ...] = ()
    if not counted and doc.unit == "line" and not files:
        if (window := times_look(text, question, doc.width)) is not None:
            page.add(window.rows)  # "how many ... from 06:32:00 through 06:32:05"
            counted = window.counted
            start, named_start = (start, named_start) if start else (window.start, True)
            window_ends = window_asked(question) or ()
        names, ranked = names_ranked(text, question, [w.as_written for w in found])
        counted = counted or ranked
        page.add(names)  # "which sensor published the most": `Received PUBLISH from sensor-09`
        if not counted:
            # Words as the question writes them, or a verb of its group the text writes for it
            # ("pay" for "settled"), each in the forms the text writes: a refusal word found for
            # "unable to log in" may be another event's ("write denied"), its names no answer (review).
            own = [w for w in found if " " not in w.asked]
            names, kept = names_filtered(text, question, [w.as_written for w in own],
                                         {w.as_written: list(w.forms) for w in own})
            counted = kept
            page.add(names)  # "which show was refused more than twice": `refused: ... show=SH-219`
    if not counted and len(text) <= _IDS_READ and (ids := distinct_ids(text, question)) is not None:
        page.add(ids[0])  # "how many different CVE identifiers": one line may name two, or one named before
        counted = ids[1]
    if not counted and not files and len(text) <= _IDS_READ and (sections := sections_look(text, question)):
        page.add(sections.rows)  # "how many keyboard models": the items under XKB's "! model"
        counted, start, named_start = sections.counted, start or sections.call, named_start or bool(sections.call)
    counted = _columns_counted(page, words, question, asking, counted)
    if not counted and together and not files:
        counted = _together_counted(words, question, asking, together, together_count, text)
    verb = counted_verb(asking) if COUNT_ASKED.search(asking) else None  # "how many did the server accept"
    if not counted:  # what the look counted is offered; the kinds of lines are for a root's own count
        rows, counted = _kinds_rows(doc, words, asking, verb, question)
        page.add(rows)
    reasons = _reasons(doc, words, question) if not counted else None
    looks_up = not (words.ranks or COUNT_ASKED.search(MEASURED_ASKED.sub(" ", asking)) or summary.rows or judging
                    or names_options(question) or len(_LETTERED.findall(question)) >= 2)  # options' words are no key
    # "how many seconds can a connection sit idle": a value a line states, not a count
    # A question that names an identifier itself (KEY_ZOOM, CVE-2022-0002, libssl3) is shown its
    # lines first; not the name of what the text is about ("ext4" of ext4(5), in its first lines).
    opening = text[:_OPENING].lower()
    looks_up = looks_up and not any(re.search(r"[_\d]", w.word) and key_shaped(w.word)
                                    and not (re.fullmatch(r"[a-z]+\d+", w.word) and w.word in opening) for w in found)
    defined = None
    if doc.unit == "line" and looks_up and (
            defined := _definitions_named(text, words.question_words[:_MAX_WORDS], words.described,
                                          frozenset(w.lower() for w in words.missing))):
        page.add(defined[0], defined[1])  # "which SQLite version": `#define SQLITE_VERSION "3.40.1"`, a key the question spells out
    # A look-up's paragraph, also in a text of fields ("which version of chromium": its stanza).
    fields_looked_up = bool(summary.rows) and not (words.ranks or COUNT_ASKED.search(asking) or judging
                                                   or names_options(question))
    wants_passage = (doc.unit == "line" and (looks_up or fields_looked_up)
                     and not _RANKED_BY.search(asking) and not ASKS_FILE.search(asking))
    passage_hits = _passage_rows(page, words, question) if wants_passage else ()
    # The passage first when it holds the rarest word: a reader of the look reads the best
    # evidence first, and a passage without that word is less sure evidence than its lines.
    rarest = found[0].word if found else None
    hits = (tuple(block for block, _, held in passage_hits if rarest in held) + hits
            + tuple(block for block, _, held in passage_hits if rarest not in held))
    if defined is not None and defined[2]:
        # A name that abbreviates a word the text writes nowhere (`NPY_MAXDIMS` for "the maximum
        # number of dimensions") is read first: no line holding the words says what it does.
        hits = ("\n".join(defined[0]), *hits)
    page.add(summary.extremes, summary.spans)  # after the words' lines: read last, as the question's own lines are
    if words.missing:
        page.add(["Not in the text: " + ", ".join(repr(w) for w in words.missing[:6]) + "."])
    found_words = tuple(w.word for w in found)
    # A count's verb is searched first ("how many connections did the server accept": the
    # lines that accept, not the one that names the server), each word as the text writes it;
    # a run of the question's words the text writes together before it: "refused because ...
    # still out on another loan" is the text's "denied: still out on loan", and its "refused"
    # lines are another kind's; and a value the question writes (an address, an id) before
    # it too: "answered with the blocking address 0.0.0.0" is 0.0.0.0's 38 lines, and a DNS
    # log's "ANSWER" is on 1,200 lines of its every message.
    verb_hit = next((w for w in found if verb and w.word.lower() == verb.lower()), None)
    valued = (bool(found) and _tier(found[0].word, marked) == 0 and key_shaped(found[0].word)
              and not _DAY_OR_TIME.fullmatch(found[0].word)  # a day's or an hour's lines: the verb picks their kind
              and (verb_hit is None or found[0].count <= verb_hit.count))  # not a tool on every line ("apt-get")
    searched_first = tuple(w.as_written for w in sorted(
        found, key=lambda w: (not w.phrase, not (valued and w is found[0]),
                              not verb or w.word.lower() != verb.lower())) if w.as_written not in window_ends)
    # A changelog's or a manual page's items, for a question that counts, filters or ranks them.
    # A count or ranking of releases is read off their headings (`_releases_in`, `_by_period`): a
    # table of their items counts items ("143" for dbus's releases of a period, not 11).
    computes = (bool(words.ranks or COUNT_ASKED.search(MEASURED_ASKED.sub(" ", asking)))
                and not _RELEASES_COUNTED.search(asking))
    items = (items_table(text, question) if tabled is None and computes and not counted and not files
             and isinstance(context, str) and len(text) <= _PARSED_UP_TO else None)
    # A timed log's lines as a table, for a count, ranking or measure no rule here computed: the
    # query writer reads "failed logins" as the kind of message that writes `FAIL LOGIN`.
    log_asked = bool(words.ranks or COUNT_ASKED.search(asking))
    timed = (timed_table(text) if tabled is None and items is None and not counted and not files
             and isinstance(context, str) and len(text) <= _PARSED_UP_TO and (computes or log_asked) else None)
    if (items is None and tabled is None and not counted and not files and isinstance(context, str)
            and len(text) <= _PARSED_UP_TO and ASKS_OUTLINE.search(asking)):
        # "Which chapter has exactly two sections directly beneath it?": the outline's rows.
        items = headings_table(text, asking)
    if items is None and tabled is None and computes and not counted and not files and isinstance(context, str):
        # A report's records, unless its lines are a timed log's (a job log's "=====" banners
        # over its stamped lines: the lines are what it counts, review).
        items = records_table(text) if len(text) <= _PARSED_UP_TO and timed is None else None
    logged = timed if items is None and log_asked else None
    return Orientation("\n".join(page.rows), tuple(page.shown), words=found_words, reads=tuple(page.reads),
                       hint=() if names_options(question) else searched_first,
                       start=(judging.call if judging else start if (named is not None or named_start) and start
                              else summary.call or (tabled.call if tabled else "")),
                       together=written_together, hits=hits, counted=counted,
                       passages=tuple(lines for _, lines, _ in passage_hits),
                       holds=judging.holds if judging else "",
                       header=tabled.header if tabled else (), sep=tabled.sep if tabled else "",
                       table=tabled.table if tabled and tabled.table else items or logged, reasons=reasons)


_OPENING = 400
"""The characters of a text that name what it is about: a man page's title and NAME line."""
_RANKED_BY = re.compile(r"\b(?:longest|shortest|farthest|furthest|nearest|closest)\b", re.IGNORECASE)
"""A ranking by a length or a distance ("which media type has the longest list", "the entry
farthest north"), which `SUPERLATIVE` does not name: no one paragraph answers it. Nor does one
answer which file defines a name (`ASKS_FILE`): the answer is the file the lines shown are in."""
_PASSAGE_COUNTED = 5_000
"""Lines per word read for the passage: a word on more is an everyday one in this text."""


def _passage_rows(page: _Page, words: _Searched, question: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """The paragraph holding the most of the question's words (`look_passage`), shown whole
    with its line numbers, for a look-up: its answer is often lines below the one naming
    what it asks ("LineMax=" ... "Defaults to 48K"). An everyday word weighs half, and so does
    a word only of the sentences around the one that asks ("I'm setting up a new PostgreSQL
    server."); the answer's unit ("in seconds") weighs nothing: the text writes its own.
    The passages shown: each as a block of the page, its numbered lines alone, and the words it holds."""
    doc = page.doc
    asked = {w.lower() for w in terms_of(asked_sentence(question))}
    units = answer_unit_words(question)
    half = (doc.text.count("\n") + 1) / 2  # a word on more lines tells no paragraph from another
    kept = [w for w in words.found if w.word.lower() not in words.described | units
            and w.count < min(_PASSAGE_COUNTED, half)]
    if len(kept) < 2 or all(_tier(w.word, words.marked) == 2 for w in kept):
        return ()  # no passage can hold two words, one of them rare: the text is not scanned again
    found: dict[str, tuple[float, list[int]]] = {}
    for w in kept:
        low = w.word.lower()
        finder = _Finder(doc.text, doc.lowered, w.word)
        positions = [s for s, _ in islice(finder.forward(), _PASSAGE_COUNTED)]
        weight = (0.5 if _tier(w.word, words.marked) == 2 else 1.0) * (1.0 if low in asked or w.asked.lower() in asked else 0.5)
        found[w.word] = (weight, positions)
    blocks: list[tuple[str, str, tuple[str, ...]]] = []
    rare = frozenset(w for w in found if _tier(w, words.marked) < 2)  # everyday words alone find no passage
    # A passage stays in one file, or one item of a list: its lines are numbered within it.
    parts = sorted({*doc.name_at, *(f[2] for f in doc.files)}) if doc.files else doc.starts[1:]  # a header is its own
    for passage in best_passages(doc.text, found, breaks=parts, needs=rare):
        shown = passage_lines(doc.text, passage, doc.width)
        if not shown:
            continue
        at = doc.file_at(shown[0][1])
        item = bisect_right(doc.starts, shown[0][1]) - 1
        body = doc.files[at][2] if at >= 0 else doc.starts[item] if len(doc.starts) > 1 else 0
        before = doc.text.count("\n", 0, body)  # lines before the file's (the item's) first
        where = f" in {doc.files[at][0]}" if at >= 0 else f" in item {doc.keys[item]}" if len(doc.starts) > 1 else ""
        numbered = [(n - before, line) for n, _, _, line in shown]
        rows = [f"{PASSAGE_LABEL} ({', '.join(repr(w) for w in passage.words)}), "
                f"lines {numbered[0][0]:,}-{numbered[-1][0]:,}{where}:"]
        # The headings it is under: "in which release was --tips added" is answered there,
        # not in the passage; the 1.5B reader, given the passage without them, read another
        # release's heading from the lines below.
        end = doc.files[at][3] if at >= 0 else doc.starts[item + 1] if item + 1 < len(doc.starts) else None
        # Under the headings of the line holding its rarest word, above the passage: one that
        # runs across a heading ("## 5.18" inside it) is under that heading, shown, not the one above.
        counts = {w.word: w.count for w in words.found}
        rarest = min((w for w in passage.words if w in rare), key=lambda w: counts.get(w, 0),
                     default=passage.words[0] if passage.words else "")
        at_word = next((a for _, a, _, line in shown if rarest and rarest.lower() in line.lower()), shown[0][1])
        heads = [(a, b) for a, b in section_heads(doc.text, at_word, body, end) if b <= shown[0][1]]
        under = ["   under: " + " > ".join(_cut(" ".join(doc.text[a:b].split()), 100) for a, b in heads)] if heads else []
        # The first line of its record, above it, when it dates or signs the record: a
        # ChangeLog entry's date and author, a blank line above the item that was asked about
        # ("who wrote the zgrep fix": Lasse Collin on the entry's first line, the fix's lines
        # below; the 1.5B, shown only the fix, answered the author of the entry above). Not a
        # C declaration above a comment (`ZEXTERN int ZEXPORT deflateInit2 OF((...`): the
        # reader read another constant beside it.
        record = [] if heads else enclosing(doc.text, at_word, body, end)
        first = doc.text[record[0][0]:record[0][1]] if record else ""
        above = [record[0]] if (record and record[0][1] < shown[0][1] and first[:1].isalnum()
                                and (_SIGNED.search(first) or to_date(first[:_DATE_AT]) is not None)) else []
        under += [f"   its record starts: {_cut(doc.text[a:b].strip(), 160)}" for a, b in above]
        rows += [f"{n}| {line}" for n, line in numbered] + under
        page.add(rows, [(a, b) for _, a, b, _ in shown] + heads + above)
        blocks.append(("\n".join(rows), "\n".join(rows[1:]), passage.words))
    return tuple(blocks)


def _phrases_written(text: str, lowered: str | None, asking: str, found: Sequence[_Word]) -> list[_Word]:
    """Runs of three to five of the question's words, within one clause, that the text writes
    together as the question does, longest first and none overlapping another, when one word
    of the run is no stop-word and the run is on fewer lines than each such word that is not
    everyday (those are shown on their own): "refused because the book was still out on
    another loan" where a library's log writes "checkout of bk-0042 denied: still out on loan
    L00311" (67 lines), while "refused" alone finds renewals. A run needs two words that are
    not everyday ones, or none and `_PHRASE_LINES` lines: one rare word is shown on its own,
    and "in this module" once is the question's prose. At most `_PHRASES`."""
    counts = {w.word.lower(): w.count for w in found}
    out: list[_Word] = []
    tried = 0
    for clause in re.split(r"[,;:?!()\[\]]|\.\s", asking):
        tokens = re.findall(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]|\d[\w.:-]*\w|\d", clause)
        taken: set[int] = set()
        for n in (5, 4, 3):
            for i in range(len(tokens) - n + 1):
                run = tokens[i:i + n]
                content = [w.lower() for w in run if w.lower() not in _STOP and len(w) >= 4 and w.lower() not in _FORM_WORDS]
                if taken & set(range(i, i + n)) or not content or tried >= _PHRASE_TRIES:
                    continue
                tried += 1
                hit = _look_up(text, lowered, " ".join(run))
                if not hit.count or any(hit.count >= counts[w] for w in content if w in counts and not everyday(w)):
                    continue
                rare = sum(not everyday(w) for w in content)
                if rare == 1 or (rare == 0 and hit.count < _PHRASE_LINES):
                    # "number of dimensions" says no more than "dimensions", shown on its own (and
                    # drops the "maximum" asked); "in this module" on a line is the question's prose.
                    continue
                hit.phrase = True
                out.append(hit)
                taken |= set(range(i, i + n))
                if len(out) >= _PHRASES:
                    return out
    return out


_PHRASES = 2
"""Runs of the question's words written together that the look shows (`_phrases_written`)."""
_FORM_WORDS = frozenset("date time number name value version answer text file line lines document page table "
                        "manual module log entry".split())
"""Words that say what form the answer takes or what the context is ("the date and time", "in
the text"): a run of them and stop-words names nothing the question is about."""
_PHRASE_LINES = 3
"""Lines a run of the question's words needs when fewer than two of its words are rare ones."""
_PHRASE_TRIES = 40
"""Runs looked up at most: a long question's windows are many."""


@dataclass(slots=True)
class _Searched:
    """The question's words as the look searched them: those the text holds (`found`, rarest
    first as shown) and those it does not (`missing`), the words that name a file, and what
    ranks them."""

    found: list[_Word]
    missing: list[str]
    file_words: list[str]
    question_words: list[str]
    marked: frozenset[str]
    described: frozenset[str]
    ranks: bool
    glossed: frozenset[str] = frozenset()
    """The words a code in parentheses glosses ("IPv6 address" of "(AAAA)", `_glossed`)."""


def _searched(doc: _Doc, question: str, asking: str, not_searched: set[str]) -> _Searched:
    """Each of the question's words looked up in the text, in the forms the text may write it
    (joined hyphens, a number joined to its name), found ones ranked as shown."""
    text, lowered = doc.text, doc.lowered
    found: list[_Word] = []
    missing: list[str] = []
    asked = question_words = _question_words(question)  # `asked` may trade a date's words for its ISO form
    for phrase, iso in iso_forms(asking):
        if iso in text:  # the text writes its dates that way: look up the date, not its words
            written = {w.lower() for w in terms_of(phrase)}
            asked = [iso, *(w for w in asked if w.lower() not in written)]
    asked = [w for w in asked if w.lower() not in not_searched and re.sub(r"e?s$", "", w.lower()) not in not_searched]
    # Words that only name the file ("the dpkg log") are not searched; they still name it below.
    naming = _naming_a_file(question, [f[0] for f in doc.files] or ([doc.own] if doc.own else []))
    file_words, asked = [w for w in asked if w.lower() in naming], [w for w in asked if w.lower() not in naming]
    for spellings in marked_short(asking):  # 'K', "€": the first spelling the text writes, or none
        hit = next((h for w in spellings if (h := _look_up(text, lowered, w)).count), None)
        if hit is not None:
            hit.asked = spellings[0] if hit.word != spellings[0] else ""
            found.append(hit)
    for word in asked[:_MAX_WORDS]:
        hit = _look_up(text, lowered, word)
        for joined in _joined(word) if not hit.count else []:
            if (hit := _look_up(text, lowered, joined)).count:  # "no-login" where the text writes "nologin"
                hit.asked = word
                break
        short = _short_written(text, lowered, word) if hit.count < _SHORT_UNDER else None
        if short is not None and short.count > _SHORT_OVER * hit.count:
            # "boolean" where a .proto file writes `optional bool ... [default = false]`: the
            # short form as well, or instead when the word is written nowhere.
            if hit.count and not any(h.count == hit.count and h.forms == hit.forms for h in found):
                found.append(hit)
            hit = short
        parts = _parts_written(text, lowered, word) if not hit.count else []
        if parts:
            # "high-severity" where a scanner writes "Severity: High": each part, as the text writes it.
            found += [p for p in parts if not any(h.count == p.count and h.forms == p.forms for h in found)]
        elif not hit.count and (named := _camel_named(text, word)) is not None:
            # "validation" where a scheduler's log writes the task `ValidateSales`.
            hit = _look_up(text, lowered, named)
            hit.asked, hit.inside = word, True
            found.append(hit)
        elif not hit.count:
            missing.append(word)
        elif not any(h.count == hit.count and h.forms == hit.forms for h in found):
            found.append(hit)  # not "label" again after "labels": one word's forms, found once
    for apart, with_number in _numbered_names(asking, {w.word.lower() for w in found} | {w.lower() for w in missing}):
        if (hit := _look_up(text, lowered, with_number)).count:  # "Kerberos 5" where the text writes "kerberos5"
            hit.asked = apart
            found.append(hit)
    for apart, compounds in _phrasal_compounds(asking, {w.lower() for w in missing}, text):
        hit = next((h for c in compounds if (h := _look_up(text, lowered, c)).count), None)
        if hit is not None:  # "timing out" where gunicorn writes "WORKER TIMEOUT"
            hit.asked = apart
            found.append(hit)
            missing = [w for w in missing if w.lower() != apart.split()[0].lower()]
        if _ASKS_CODE.search(asking):
            # "what status code ... when a query times out": c-ares' `ARES_ETIMEOUT = 12`, an
            # errno-style name (E and the condition) that no search for "timeout" finds whole.
            errno = next((h for c in compounds if (h := _look_up(text, None, c, _errno_rx(c))).count), None)
            if errno is not None:
                errno.word, errno.asked = text[slice(*errno.first[0])], apart  # as written: `ARES_ETIMEOUT`
                found.append(errno)
    for said, *names in signal_names(asking):
        said_words = _letter_words(said)
        if not said_words <= {p for w in missing for p in _letter_words(w)}:
            continue  # the text writes the words: found as asked
        hit = next((h for name in names if (h := _look_up(text, lowered, name)).count), None)
        if hit is not None:  # "a segmentation fault" where a test runner writes "killed by signal 11 SIGSEGV"
            hit.asked = said
            found.append(hit)
            missing = [w for w in missing if not _letter_words(w) <= said_words]
    for said, neg in refusals(asking):
        if neg.lower() not in {w.lower() for w in missing}:
            continue  # the text writes "unable" (or the question's other word): found as asked
        hits = [h for word in REFUSAL_WORDS if (h := _look_up(text, lowered, word)).count]
        if hits:  # "unable to start charging" where an app's log writes "session refused: ..."
            hit = max(hits, key=lambda h: h.count)
            hit.asked = said
            found.append(hit)
            missing = [w for w in missing if w.lower() != neg.lower()]
    verb = counted_verb(asking)
    for word in [w for w in missing if ((w == verb or _PAST.search(w)) and not _aspect_verb(asking, w))
                 or w.lower() in SUPERLATIVES]:
        # "saved" where a hub's log writes "stored tmp-118 #1": the verb's other word, as
        # written; only a verb ("the beginning of" is no event a line records).
        hits = [h for other in synonyms(word) if (h := _synonym_found(text, lowered, other)).count]
        if hits:
            hit = max(hits, key=lambda h: h.count)
            hit.asked = word
            found.append(hit)
            missing.remove(word)
    found += _phrases_written(text, lowered, asking, found)
    marked = marked_words(asking)
    # A plain word found only joined comes after the words found as asked: "top-level" in a
    # question about classes is prose, and a comment's "toplevel" is not what it asks about (a
    # key-shaped one, "RISCV", keeps its rank). Words that only describe the document ("this
    # Linux input header") come after both; among several files they name one, and stay.
    described = document_words(question) if len(doc.files) < 2 else frozenset()
    # The document's own title ("s3cmd(1)" of a manual page, "Pygments changelog"), when its
    # word is on many of the lines: it names what the whole text is about and tells no line
    # apart. Searched first as a key-shaped name, "s3cmd" (71 lines) came before "megabytes".
    n_lines = text.count("\n") + 1
    # A document's noun written only in its title ("The manual lists rm as ...": the header's
    # "General Commands Manual") names the document too.
    # A word only a table's header line writes names a column ("Ford County": the county column
    # holds FORD): its one line is no row the question asks about.
    header_end = text.find("\n")
    if header_end > 0 and _table_header(text) is not None:
        described |= {w.word.lower() for w in found if w.count == 1 and w.first and w.first[0][0] < header_end
                      and w.word.isalpha()}  # not a year column's "1985": the column asked for
    subject, title = _title_words(text)
    described |= {w.word.lower() for w in found if (
        (w.word.lower() in subject and w.count >= max(_TITLE_SPREAD, _TITLE_SHARE * n_lines))
        or (w.word.lower() in title and w.word.lower() in DOCUMENT_KINDS and w.count == 1 and w.first[0][0] < _TITLE_READ))}
    # A name on so many of the lines of a text a look-up asks about is its subject ("urllib3"
    # on 292 of its changelog's 1,991 lines): key-shaped, it was searched first and told
    # nothing. A count or a ranking may count its lines (a client's address in a log).
    # It is searched last, and still a part of the names the question's words make up
    # (`SQLITE_VERSION` of "which SQLite version").
    spread: set[str] = set()
    if not (COUNT_ASKED.search(asking) or SUPERLATIVE.search(asking)):
        spread = {w.word.lower() for w in found if _tier(w.word, marked) == 0 and not w.phrase
                      and re.search(r"[A-Za-z]", w.word)  # a name: not a date, a year or a time that filters
                      and (not w.asked or w.asked.lower() == w.word.lower())  # as written: not "validation" as `ValidateSales`
                      and w.count >= max(_TITLE_SPREAD, _SUBJECT_SHARE * n_lines)}
    # A year that bounds ("before 2010") is no subject: its own lines are on the wrong side.
    described |= {m.group("year") for m in _YEAR_BOUND.finditer(asking)}
    # A code the question glosses in parentheses ("IPv6 address (AAAA) lookups") is the text's
    # own word for the words before it: searched first, they after the others.
    code, glossed = _glossed(asking, {w.word.lower(): w.count for w in found}, doc.text)
    found.sort(key=lambda w: (w.word.lower() not in code,
                              w.word.lower() in described or w.asked.lower() in described or w.word.lower() in spread,
                              w.word.lower() in glossed, "-" in w.asked and " " not in w.word and not key_shaped(w.word),
                              0 if w.phrase else _tier(w.asked if w.inside else w.word, marked), w.count,
                              w.word[:1] in "'\"`"))
    missing.sort(key=lambda word: (word.lower() in described, _tier(word, marked)))
    return _Searched(found, missing, file_words, question_words, marked, described,
                     SUPERLATIVE.search(limits_cut(asking)) is not None, frozenset(glossed))


_GLOSS = re.compile(r"((?:[\w.-]+\s+){1,2})\(\s*([A-Z][A-Z0-9_]{1,15}|[A-Za-z]*\d[\w.-]*)\s*\)")
"""Words and a code in parentheses after them: "IPv6 address (AAAA)", "segmentation faults (SIGSEGV)"."""
_GLOSS_SHARE = 0.5
"""A code on more of the lines than this is no term to search first: "(UTC)" on every line of a log."""


_DAY_OR_TIME = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{1,2}:\d{2}(?::\d{2})?|\d{4}(?:-\d{2})?")
"""A date or a time of day as a question writes it ("2025-06-24", "08:51:30", "2010")."""
_TITLED = re.compile(r"\A(?:[ \t]*(?:<[^\n]*>|\[!\[[^\n]*)?[ \t]*\n){0,8}?\s*(?:(?P<man>[\w.+-]+)\([1-9]\w*\)[ \t]{2,}[^\n]*"
                     r"|#{1,2}[ \t]+(?P<md>[^\n]+)"
                     r"|(?P<rst>[^\n]*\w[^\n]*)\n[ \t]*(?:={3,}|-{3,}|~{3,}|\*{3,})[ \t]*)(?:\n|\Z)")
"""A document's title, as its first line: a manual page's header (`s3cmd(1)   General Commands
Manual   s3cmd(1)`), a Markdown heading, or a line that reStructuredText underlines; after a
README's lines of HTML tags or badges (`<div class='hidden-website'>`, `[![PyPI](...)](...)`)."""
_TITLE_SPREAD = 20
_TITLE_SHARE = 0.03
"""A title's word on this many lines, and this share of them, is the text's subject."""
_SUBJECT_SHARE = 0.08
"""Any name the question writes is the text's subject on this share of its lines (and
`_TITLE_SPREAD` lines or more)."""


def _title_words(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The words of the document's title (`_TITLED`), lower case: those naming its subject (a
    manual page's name; a heading's words), and all of them (a manual page's header also
    writes "General Commands Manual")."""
    m = _TITLED.match(text[:_TITLE_READ])
    if m is None:
        return frozenset(), frozenset()
    if m.group("man"):
        return frozenset({m.group("man").lower()}), frozenset(w.lower() for w in re.findall(r"[\w.+-]+", m.group(0)))
    words = frozenset(w.lower() for w in re.findall(r"[^\W_][\w.+-]*", m.group("md") or m.group("rst")))
    return words, words


_TITLE_READ = 1_000


def _glossed(asking: str, counts: dict[str, int], text: str) -> tuple[set[str], set[str]]:
    """The codes the question writes in parentheses after words they gloss, found on fewer than
    half the text's lines, and the words they gloss (up to two before each)."""
    code: set[str] = set()
    glossed: set[str] = set()
    lines = 0  # the text's lines, counted only for a question that glosses a word it holds
    for m in _GLOSS.finditer(asking):
        term = m.group(2).lower()
        lines = lines or text.count("\n") + 1
        if 0 < counts.get(term, 0) < _GLOSS_SHARE * lines:
            code.add(term)
            glossed.update(w.lower() for w in m.group(1).split())
    return code, glossed - code


def _word_rows(page: _Page, words: _Searched, question: str, asking: str, n_words: int) -> list[int]:
    """The rows of the `n_words` rarest words found: each one's count, forms and lines (a rare
    one's record and the definition it names too). Where each word's rows start in the page."""
    doc = page.doc
    text, marked = doc.text, words.marked
    if words.found:
        page.add([f"{doc.unit.capitalize()}s holding the question's words, the rarest first:"])
    blocks: list[int] = []
    for rank, hit in enumerate(words.found[:n_words]):
        blocks.append(len(page.rows))
        spans, what = hit.spans(rank)
        forms, other = hit.written(text, spans) if rank < 2 else ("", [])
        many = f"{hit.count:,}+" if hit.count >= _MAX_COUNTED else f"{hit.count:,}"
        unit = doc.unit
        page.add([f"{hit.named}: {many} {unit}{'s' if hit.count != 1 else ''}{forms}{', ' + what if what else ''}:"])
        for n, (s, e) in enumerate(spans + other, 1):
            if n > len(spans):
                page.add([f"The first written {_whole_form(text, s, e)!r}:"])
            line = page.line(s, e)
            page.add([f"{n}| {doc.where(s)}{line}"])
            if rank == 0 and n <= _RECORDS_SHOWN and hit.count <= _RECORDS_SHOWN:
                # The rare word's record: its date, author or id is often on another line.
                at = doc.file_at(s)
                lo, hi = doc.files[at][2:] if at >= 0 else (0, doc.name_at[0] if doc.files else len(text))
                _, rec_spans, rows = record_around(text, s, lo, hi)
                page.add(rows, rec_spans)
                if not words.ranks and not COUNT_ASKED.search(asking) and (section := section_below(text, s, lo, hi)):
                    # A heading names what its section is about: "### DEP0012: `Domain.dispose`"
                    # over the versions it was deprecated and removed in.
                    page.add(["   its section's first lines:"] + [f"   . {page.line(a, b)}" for a, b in section])
            if rank == 0 and n <= _RECORDS_SHOWN and hit.count <= _RECORDS_SHOWN and _tier(hit.word, marked) == 0 and (
                    hop := _hop(text, doc.lowered, s, e, words.question_words, unit)) is not None:
                rows, hop_spans = hop  # `#define KEY_ZOOM KEY_FULL_SCREEN`: the value is the name to read next
                page.add(rows)
                for a, b in hop_spans:
                    page.add([f"   . {page.line(a, b)}"])
        if (rank == 0 or (rank == 1 and hit.count >= _WHERE_LEAST)) and COUNT_ASKED.search(asking) and (
                where := _written_where(text, doc.lowered, hit)):
            page.add([where])
    return blocks


_RANKS = re.compile(MOST.pattern + r"|\b(?:fewest|least)\b", re.IGNORECASE)
"""A question that ranks (not "most recent"): whose lines are the most of a kind."""
_WHO = re.compile(r"^\s*(?:who|whose|whom|which\s+(?:user|person|customer|rider|member|client|account|player|author|"
                  r"one|name|agent|driver|host|server|worker|team|store|station|machine|node|service))\b", re.IGNORECASE)
"""A question that asks for a name: who, whose, which user ..."""
_NAMES_READ = 2_000
"""A text's first lines read for the names its lines write, with the lines of the words told."""


_POINTS_BACK = re.compile(r"\b(?:it|its|this|that|these|those|them|him|her|whom|whose)\b", re.IGNORECASE)
"""A word of a count's sentence that points at one thing named elsewhere."""


def _reasons(doc: _Doc, words: _Searched, question: str) -> ReasonKinds | None:
    """For a count that gives a reason ("refused because they owed too much"), the kinds of
    the event's lines (`look_because`): the lines of the word found for an action not done
    ("unable to start": `refused`), else of the question's rarest word not in its reason."""
    if doc.unit != "line" or doc.files or not (m := BECAUSE.search(question)) or two_steps(question):
        return None  # a question in two steps counts for what its first step finds
    asked = question[:m.start()]
    if any(key_shaped(w) for w in TOKEN.findall(asked)) or _POINTS_BACK.search(re.split(r"[.?!]\s+", asked)[-1]):
        # "how many times was EV-7012 refused because ...", "... was the driver who paid for it
        # refused because ...": one name's lines, not all of a kind.
        return None
    why = {w.lower() for w in TOKEN.findall(m.group("why"))}
    event = next((w for w in words.found if w.asked and refusals(w.asked)), None) or next(
        (w for w in words.found if w.word.lower() not in why and _tier(w.word, words.marked) < 2), None)
    if event is None or event.count >= _MAX_COUNTED:
        return None
    finder = _Finder(doc.text, doc.lowered, event.word)
    return reason_kinds(question, [doc.text[a:b] for a, b in (finder.unit(s, e) for s, e in finder.forward())])


def _kinds_rows(doc: _Doc, words: _Searched, asking: str, verb: str | None,
                question: str = "") -> tuple[list[str], str]:
    """For a count or a ranking ("whose orders were rejected most") over one text's lines, the
    kinds of lines (`line_kinds.kinds_told`) of the two rarest words and of the count's `verb`
    ("how many connections did the server accept"), the verb though more common than they are
    (on fewer than `_MAX_COUNTED` lines): what is counted is often one kind of a word's lines,
    and what is ranked the names one kind writes."""
    if doc.unit != "line" or doc.files or not (COUNT_ASKED.search(asking) or _RANKS.search(asking)):
        return [], ""
    told = list(words.found[:2])
    if verb and (hit := next((w for w in words.found[2:] if w.word.lower() == verb.lower()), None)):
        told.append(hit)
    each = {word.word: [doc.text[a:b] for a, b in (finder.unit(s, e) for s, e in finder.forward())]
            for word in told if word.count < _MAX_COUNTED and re.search(r"[^\W\d_]", word.word)  # not a date's lines
            for finder in [_Finder(doc.text, doc.lowered, word.word)]}
    if not each:
        return [], ""
    # Names are told by the lines of all the words and the text's first lines: one word's lines
    # may all be of one kind (`rejected order from carol`), the names recurring elsewhere.
    first = doc.text[:_NAMES_READ * 200].splitlines()[:_NAMES_READ]
    names = names_in([*first, *(line for lines in each.values() for line in lines)])
    ranks = not COUNT_ASKED.search(asking)
    rows = [row for word, lines in each.items() for row in kinds_told(word, lines, doc.width, names=names, named_only=ranks)]
    # "Whose orders got turned down most often because the quantity wasn't acceptable?": the
    # rarest word's lines, all one kind, by the name each writes; the one most write is offered
    # when it leads alone. Shown only, the 1.5B read the name on the first line it printed.
    rarest = next(iter(each.values()))
    # Not for a ranking over a period or by a number ("in March", "over 3 items"): the lines are all of them.
    plain = not re.search(r"\d", asking) and date_range(question) is None and one_period(question) is None
    top = top_name(rarest, names) if ranks and plain and MOST.search(asking) and _WHO.search(asking) else ""
    return rows, top


def _together_rows(page: _Page, words: _Searched, question: str, n_words: int,
                   blocks: list[int]) -> tuple[tuple[str, ...], list[str], int]:
    """The lines holding the rarest words together (not a word the question negates), as a
    block of their own (its start added to `blocks`); how those lines write the words, the
    words as searched, and how many lines hold them."""
    doc = page.doc
    unwanted = negated(question)
    ranked = words.found[:n_words]
    asked = asking_part(question)
    if ((many := HOW_MANY.search(asked)) is not None and (head := counted_head(asked)).isalpha()
            and head in many.group("what").lower().split()):
        # The noun a count counts is each record, whether its line writes it or not: "how many
        # certificates have an OU in their subject" is the Subject lines holding OU=, not the
        # few that also write "Certification".
        # Only a noun on more lines than each other word: "how many errors mention disk sda"
        # keeps its ERROR lines, fewer than those of the disk.
        noun = [w for w in words.found if head in (w.word.lower(), w.asked.lower())]
        others = [w for w in words.found if w not in noun]
        if noun and len(others) >= 2 and all(noun[0].count > w.count for w in others[:n_words]):
            ranked = others[:n_words]
    both = _together(doc.text, doc.lowered, [w for w in ranked if w.word.lower() not in unwanted])
    if not both:
        return (), [], 0
    together, spans = both
    blocks.append(len(page.rows))
    written_together = _as_written(doc.text, together, spans)
    count, unit = len(spans), doc.unit
    # As the lines write the words: what `lines(*together)` finds them by ("install" for install,
    # installed and half-installed lines).
    page.add([" and ".join(repr(w) for w in (written_together or together))
              + f" on one {unit}: {count:,} {unit}{'s' if count != 1 else ''}"
              + (", the first:" if count > _TOGETHER_SHOWN else ":")])
    for n, (s, e) in enumerate(spans[:_TOGETHER_SHOWN], 1):
        page.add([f"{n}| {doc.where(s)}{page.line(s, e)}"])
    return written_together, together, count


_AUXILIARY = re.compile(r"\b(?:did|does|do|was|were|is|are|has|have|had)\b", re.IGNORECASE)


def _together_counted(words: _Searched, question: str, asking: str, together: list[str], count: int,
                      text: str) -> str:
    """The count of the lines holding the question's rare words together, as the answer to a
    count that says nothing else: "How many IPv6 address (AAAA) lookups did the client at
    127.0.0.24 make?" over a dnsmasq log is the 28 lines holding `AAAA` and `127.0.0.24`
    (shown them, the 1.5B counted the 100 `AAAA` lines by client and answered 100). "" when
    the question may say more: a qualifier, a negation, a date or "how many of"; a word the
    text writes that is not one of them (but a word they gloss, or one that describes the
    text); or a word it does not write that is not what is counted ("lookups"), who did it
    ("the client at 127.0.0.24") or a verb that only says the thing was done ("make", "send",
    "get"): "failed", "newly" may pick lines."""
    how_many = COUNT_ASKED.search(asking)
    if (how_many is None or _PARTITIVE.search(asking) or says_more(asking, question, numbers=False)
            or count < 1 or _REPEATED.search(text)):
        return ""  # "message repeated 3 times: [...]": a line is not one event
    held = {w.lower() for w in together}
    glossed = words.glossed
    for w in words.found:
        low = w.word.lower()
        if not (low in held or low in glossed or low in words.described):
            return ""  # another word the text writes may pick lines, an everyday one too ("in the build")
    aux = _AUXILIARY.search(asking, how_many.end())
    tokens = list(TOKEN.finditer(asking))
    found = {w.word.lower() for w in words.found} | {w.asked.lower() for w in words.found if w.asked}
    missing = {w.lower() for w in words.missing}
    # What is counted is named by its last word before the verb ("lookups" of "IPv6 address
    # (AAAA) lookups did ..."), else by the word after its keys ("AAAA lookups came from"); a
    # word before it ("failed AAAA lookups") says which of them.
    counted_words = [m for m in tokens if m.start() >= how_many.end() and (aux is None or m.start() < aux.start())]
    if aux is not None:
        head = counted_words[-1] if counted_words else None
    else:
        keys = list(takewhile(lambda m: m.group(0).lower() in found | glossed, counted_words))
        head = counted_words[len(keys)] if len(keys) < len(counted_words) else None
    for i, m in enumerate(tokens):
        low = m.group(0).lower()
        if (low not in missing or low in DOING_VERBS or low in EMPTY_VERBS or low in _THE_TEXT_WORDS
                or low in glossed or m is head):
            continue
        after = [t.group(0) for t in tokens[i + 1:i + 3]]
        doer = m.start() > (aux.start() if aux is not None else head.end() if head is not None else len(asking))
        if doer and after and (key_shaped(after[0]) or (after[0].lower() in _PLACING and len(after) > 1
                                                        and key_shaped(after[1]))):
            continue  # who did it: "the client at 127.0.0.24", after what is counted
        return ""  # "failed", "newly", "fix": a word the text does not write may pick lines
    return str(count)


_SIGNED = re.compile(r"<[^@\s<>]+@[^\s<>]+>")
"""A person's mail address, as a record's signature writes it: `Lasse Collin  <lasse.collin@...>`."""
_REPEATED = re.compile(r"\brepeated\s+\d+\s+times\b", re.IGNORECASE)
"""Syslog's "message repeated 3 times: [ ... ]": one line for several events."""
_PLACING = frozenset("at from of on with by for to".split())
_THE_TEXT_WORDS = frozenset("log logs file files text document trace lines line entries".split())


def _outlined(page: _Page, context: ContextValue, words: _Searched, question: str,
              asking: str, n_words: int) -> tuple[str, str, bool, _FileSpan | None]:
    """What the look reads of the text's structure: its numbered sections, the outline of the
    one file the question names or its rarest word is written in, or of a text read alone (a
    module's functions, a changelog's signers and dated entries). What that computed for the
    question (`Orientation.counted`), the call it offers first, whether that call is the dated
    entries' of a text read alone, and the file outlined."""
    doc = page.doc
    text, files, found = doc.text, doc.files, words.found
    counted = ""
    if len(files) < 2 and (numbered := _numbered_sections(text, asking, doc.width)):
        rows, spans, n_sections = numbered
        counted = str(n_sections) if n_sections and _asks_just(asking, COUNT_ASKED, _SECTION_WORDS) else ""
        page.add(rows, spans)
    named = _file_the_question_names(files, [w.word for w in found[:n_words]] + words.missing + words.file_words)  # "email.utils": not written
    period = date_range(question)
    outline = None
    start, named_start = "", False  # whether the start is the dated entries' call of a text read alone
    if named is None and found:
        named = _file_holding(text, doc.lowered, files, doc.name_at, found[0], period=period is not None)
        if named is None and COUNT_ASKED.search(asking) and found[0].word.lower() in words.marked:
            # A name the question marks (`FrobError`), on a line or two, in a question that counts: its
            # file, if the outline counts what is asked ("module-level" on one comment line names none).
            held = _file_holding(text, doc.lowered, files, doc.name_at, found[0], counts=True)
            outline = (_outline(text, held, doc.width, period, asking=asking, ranks=words.ranks, question=question,
                                rare=found[0]) if held is not None else None)
            named = held if outline is not None and outline[3] else None
        if named is not None:
            page.add([f"{found[0].word!r} is written only in {named[0]}, a file of {len(files)}:"])
    if named is not None:
        rows, spans, start, outlined = outline or _outline(text, named, doc.width, period, asking=asking,
                                                           ranks=words.ranks, question=question,
                                                           rare=found[0] if found else None)
        counted = outlined or counted
        page.add(rows, spans)
    elif isinstance(context, str) and not files:  # one text, not files joined: a module or a changelog read alone
        python, functions = _python_rows(text, 0, len(text), asking, question)
        parsed = len(text) <= _PARSED_UP_TO
        asks_top = bool(MOST.search(asking) and _ASKS_PERSON.search(asking)) and parsed
        counts_entries = bool(words.ranks or (found and COUNT_ASKED.search(asking))) and parsed
        # The text's records, read once for each use below (a 2 MB changelog's layout is not free).
        recs = layout_records(text) if asks_top or counts_entries or (period is not None and parsed) else []
        people, top = _people(text, recs, "", asking) if asks_top else ([], "")
        page.add(python + people)
        counted = counted or functions or top
        one = one_period(question) if period is None else None  # "during 2019": its first and last day
        days = _period_or_none(one) if one else None
        span = period or ((one, one, days[0], days[1]) if one and days else None)
        if span is not None and parsed and (released := _releases_in(text, span, asking)) is not None:
            page.add(released[0])  # "how many releases from 2016 through 2018": a NEWS file's dated headings
            counted, start, named_start = counted or released[1], released[2], True
        elif period is not None and parsed and (dated := _dated_alone(text, recs, period, asking)):
            page.add(dated[0])  # "how many uploads from 1 June through 31 August 2022": a changelog read alone
            start, named_start = dated[1], bool(dated[1])
        if parsed and (bounded := _heading_bounded(text, asking)) is not None:
            page.add(bounded[0])  # "the last version released before 2010": a NEWS file's headings, dated
            counted = counted or bounded[1]
            start, named_start = (bounded[2], True) if bounded[1] and not start else (start, named_start)
        # "which release first let it decompress Brotli": the oldest writing it; "the release that
        # dropped Python 2: how many days after the one before it".
        for release_look in (first_release, neighbour_days):
            if parsed and not counted and (told := release_look(text, question, [(w.word, w.count) for w in found],
                                                                frozenset(words.described))) is not None:
                page.add(told.rows)
                counted = told.counted
        if counts_entries:
            rows, by_call, top_period = _by_period(text, recs, asking, "entries()") if words.ranks else ([], "", "")
            holding_rows, held_call, holding = (_entries_holding(text, recs, found[0], asking, "entries()")
                                                if found else ([], "", ""))
            headed_rows = _entries_headed(text, recs, found, asking, words.described) if COUNT_ASKED.search(asking) else []
            page.add(rows + holding_rows + headed_rows)  # "in which year were the most uploads made?": a changelog read alone
            counted = counted or top_period or holding
            # The call that counted is the start only when what it counts answers the question as
            # asked: run as a step, its output is offered back ("2023" for the year with the most
            # uploads *to experimental*, "3 entries" for those *by Bob*).
            offered_call = by_call if top_period else held_call if holding else ""
            if not start and offered_call:
                start, named_start = offered_call, True
    return counted, start, named_start, named


def _columns_counted(page: _Page, words: _Searched, question: str, asking: str, counted: str) -> str:
    """A ranking or count over a log's columns (`log_columns`), when nothing before computed
    what the question asks (`counted`); what it computed, else `counted`."""
    doc = page.doc
    text, files, found = doc.text, doc.files, [w.word for w in words.found]
    page.add(_starts_per_file(text, files, words.question_words) if words.ranks else [])
    in_files = [(f[0], f[1]) for f in files] or ([(doc.own, 0)] if doc.own else [])  # one file under its header too
    if words.ranks and not counted and len(text) <= _PARSED_UP_TO and (
            shaped := shaped_rank(text, question, joined_files=bool(files))):
        page.add(shaped.rows)  # "whose GitHub handle is credited on the most lines": the @-handles, counted
        return shaped.top
    if words.ranks and not counted and doc.unit == "line" and (
            ranked := column_rank(text, question, found, words.missing, in_files)):
        page.add(ranked.rows, ranked.spans)  # "which package had the most status changes": a log's columns, counted
        return ranked.top
    if not counted and doc.unit == "line" and found and (
            lined := column_count(text, question, found, words.missing, in_files)):
        page.add(lined.rows, lined.spans)  # "how many packages were upgraded on 2026-05-20": the lines writing both, counted
        return str(lined.count)
    return counted


def _as_written(text: str, words: list[str], spans: list[tuple[int, int]]) -> tuple[str, ...]:
    """`words` as the lines holding `spans` write them (found by `_found_rx`: "upgraded" is
    written "upgrade" in a dpkg log), so that `lines(*words)` finds those lines again: a word
    written in several forms there ("installed", "install") as what its forms start with.
    () when a form is a whole line of the text: `lines` reads such an argument as the text
    to search, not as a pattern."""
    forms: list[set[str]] = [set() for _ in words]
    rxs = [_found_rx(word) for word in words]
    for s, e in spans[:_WRITTEN_READ]:
        lo = text.rfind("\n", 0, s) + 1
        hi = text.find("\n", e)
        line = text[lo:len(text) if hi < 0 else hi]
        for found, rx in zip(forms, rxs, strict=True):
            if (m := rx.search(line)) is not None:
                found.add(m.group(0))
    out = []
    for word, found in zip(words, forms, strict=True):
        common = os.path.commonprefix(sorted(found)) if found else word  # noqa: RUF071 (letter by letter, as meant)
        out.append(common if len(common) >= 3 else word)
    if any(f"\n{form}\n" in text or text.startswith(f"{form}\n") or text.endswith(f"\n{form}") or text == form
           for form in out):
        return ()
    return tuple(out)


_WRITTEN_READ = 50
"""Lines read for the forms `_as_written` gives."""


_TOGETHER_SHOWN = 4
"""Lines shown that hold the question's rare words together."""


def _together(text: str, lowered: str | None, ranked: list[_Word]) -> tuple[list[str], list[tuple[int, int]]] | None:
    """The rarest shown word's lines that also hold the other rare words shown, when that
    narrows them: all of the words, else the rarest with the next word that does (a count's
    subject and its action: "dmsetup" on a line with "configured"). The words and each such
    line's first match; None when no line holds two of them, or every one does."""
    rare = [w for w in ranked if _tier(w.word) < 2]
    if len(rare) < 2 or rare[0].count >= _MAX_COUNTED:
        return None
    first, others = rare[0], {w.word: _found_rx(w.word) for w in rare[1:]}
    finder = _Finder(text, lowered, first.word)
    holding: dict[str, list[tuple[int, int]]] = {word: [] for word in others}
    every: list[tuple[int, int]] = []
    for s, e in finder.forward():
        lo, hi = finder.unit(s, e)  # its line; in a long line, its sentence
        has = [word for word, rx in others.items() if rx.search(text, lo, hi)]
        for word in has:
            holding[word].append((s, e))
        if len(has) == len(others):
            every.append((s, e))
    if len(others) > 1 and 0 < len(every) < first.count:
        return [first.word, *others], every
    for word, spans in holding.items():
        if 0 < len(spans) < first.count:
            return [first.word, word], spans
    return None


_PARTITIVE = re.compile(r"\bhow\s+many\s+of\b", re.IGNORECASE)
""""How many of the packages ...": a part of a list, which its size does not answer."""


def _counted_in_its_record(text: str, lowered: str | None, key: str, files: list[_FileSpan], name_at: list[int],
                           asking: str) -> str:
    """How many items a list of one record holds, for a question that names the record by a
    key and the list the key is in, then asks how many another list of that same record holds:
    "libpq5 was upgraded by one apt run. How many packages did that same run newly install?"
    (the run's `Upgrade:` line holds libpq5; its `Install:` list is the answer). "" unless
    exactly one line holding `key` is a list named in another sentence than the one asking how
    many (`_named_by`; libpq5 is also on an earlier run's `Install:` line), its record has
    one other list the sentence asking how many names, and nothing narrows the count: "how
    many of", "not", "only" and the other conditions (`_CONDITION`) ask for a part of the
    list, not its size."""
    if (_PARTITIVE.search(asking) or _CONDITION.search(asking)
            or sum(key_shaped(w) and w.lower() not in _SAME_RECORD_WORDS for w in _question_words(asking)) > 1):
        return ""  # a part of the list, a condition, or two keys (which run is meant?)
    sentences = _SENTENCES.split(asking)
    counting = next((c for c in sentences if COUNT_ASKED.search(c)), "")
    naming = " ".join(c for c in sentences if c is not counting)  # where the record is named
    holding: list[tuple[int, str, int, int]] = []
    for s, _ in _Finder(text, lowered, key).forward():
        line_at = text.rfind("\n", 0, s) + 1
        end = text.find("\n", s)
        if (m := FIELD_LINE.match(text[line_at:end if end >= 0 else len(text)])) and _named_by({m.group(1)}, naming):
            at = bisect_right(name_at, s) - 1
            holding.append((s, m.group(1), *(files[at][2:] if at >= 0 else (0, len(text)))))
    if len(holding) != 1:
        return ""
    s, by, lo, hi = holding[0]
    rows = [text[a:b] for a, b in enclosing(text, s, lo, hi)]
    if any(row[:1].isspace() for row in rows):
        return ""  # a list continued on indented lines is more than its first line's items
    fields = list(_field_lists("\n".join(rows)))
    sizes = dict(fields)
    asked = _named_by(set(sizes) - {by}, counting)
    if len(fields) != len(sizes) or len(asked) != 1 or not sizes[(name := asked.pop())]:
        return ""  # a name twice: two records run together
    said = [w.lower().strip("`'") for w in _TOKEN.findall(counting)]
    if not all(w in _SAME_RECORD_WORDS or _stem_rx(w).fullmatch(name) for w in said):
        return ""  # "how many automatic packages", "install or upgrade", "the previous run"
    return str(sizes[name])


_FileSpan = tuple[str, int, int, int]


def _names(word: str, name: str) -> bool:
    """Whether a question's `word` names the file `name`: its path, the path's tail, one of its
    folders ("the changelog of libfoo1" and /usr/share/doc/libfoo1/changelog), or a dotted
    module name for its path ("email.utils" and email/utils.py)."""
    w, n = word.lower().strip("./"), name.lower()
    if not w or len(w) < 3:
        return False
    stem = n.rsplit(".", 1)[0] if "." in n.rsplit("/", 1)[-1] else n
    dotted = w.replace(".", "/")
    return (n == w or n.endswith("/" + w) or w in n.split("/")
            or stem == dotted or stem.endswith("/" + dotted))


def _file_the_question_names(files: list[_FileSpan], words: list[str]) -> _FileSpan | None:
    """The one file of several that one of the question's words names (`_names`), if any."""
    if len(files) < 2:
        return None
    for word in words:
        named = [f for f in files if _names(word, f[0])]
        if len(named) == 1:
            return named[0]
    return None


_HELD_UP_TO = 50
"""The rarest word's lines are checked for lying in one file up to this many."""


def _file_holding(text: str, lowered: str | None, files: list[_FileSpan], name_at: list[int],
                  word: _Word, period: bool = False, counts: bool = False) -> _FileSpan | None:
    """The one file of several that holds every line of the question's rarest word, when it is
    rare (shown whole) and key-shaped or rare in English: "the module that defines
    `TimeoutExpired`" is that file, and what the question asks next is often about it.
    A word on one or two lines has its own record shown instead, unless the question names a
    `period`: then what it asks is most often about the file's entries in that period (whose
    count the outline gives), and the word, often one of the period's ends, says which file;
    or unless it `counts`: "Find the module that defines `TimeoutError`; how many
    module-level functions does it have?" asks about the file, which its class's record
    (two lines) does not show (the caller keeps that file only when its outline computes
    what is asked)."""
    least = 1 if period or counts else _RECORDS_SHOWN + 1
    if len(files) < 2 or not least <= word.count <= _HELD_UP_TO or _tier(word.word) > 1:
        return None
    spans = word.first if word.count <= len(word.first) else _Finder(text, lowered, word.word).forward()
    held = {bisect_right(name_at, s) - 1 for s, _ in spans}
    return files[held.pop()] if len(held) == 1 and min(held) >= 0 else None


_OUTLINE_ALL = 8
"""A named file's entries are all listed up to this many; past it, the first 5 and last 3.
Every line of the look is read on each turn: 30 entries listed doubled the median run's
time (12 -> 29 s on realdocs' tasks that name a file) for two answers more, which came from
the count and the `entries(file=...)` call, not the list."""


def _outline(text: str, file: _FileSpan, width: int, period: tuple[str, str, date, date] | None = None,
             asking: str = "", ranks: bool = False, question: str = "", rare: _Word | None = None) -> tuple[list[str], list[tuple[int, int]], str, str]:
    """The rows that outline a file the question names, and the spans they show: its size, and
    its records (`helpers.layout_records`) by their first and last lines. How many entries a
    changelog has, who signed them and when, which functions a module defines: a question
    about one file of many is often about its records, which no search for its words shows.
    With the `period` the question names (`date_range`), how many of them are dated in it, and
    their lists' sizes: a count over a date range is what a small root filters wrong. For a
    question that `ranks`, the entries that list the most items (`_longest_lists`). Also the
    call that gives what was counted in the period, "" when no entry is dated in it: the
    total of the list the question's words name (`sum_by(in_dates(...), 'Install')` for "how
    many packages were installed"), else the entries. `asking` is the question's asking part.
    Last, what the outline computed that answers the question (`Orientation.counted`), or ""."""
    name, _, body, end = file
    n_lines = text.count("\n", body, end) + (not text.endswith("\n", body, end))
    recs = layout_records(text, body, end)
    if not recs:
        return [f"The file {name} has {n_lines:,} lines, one entry a line; lines(file={name!r}) gives them."], [], "", ""
    dated, start = _dated_entries(text, recs, period, asking, f"entries(file={name!r})") if period else ([], "")
    where = f"entries(file={name!r}) gives them."
    headed = any(row[:1] in (" ", "\t") for a, b in recs for row in text[a:b].split("\n")[1:])
    shape = "a line and the lines indented under it" if headed else "a run of lines between blank lines"
    out = [f"The file {name} has {n_lines:,} lines in {len(recs)} entries, each {shape}; "
           f"{where} Each entry's first and last line:"]
    picked = list(enumerate(recs, 1))
    if len(recs) > _OUTLINE_ALL:
        picked = picked[:5] + picked[-3:]
    spans: list[tuple[int, int]] = []
    for n, (a, b) in picked:
        if n == len(recs) - 2 and len(recs) > _OUTLINE_ALL:
            out.append(f"... {len(recs) - _OUTLINE_ALL} more entries")
        first_end = text.find("\n", a, b)
        first = (a, b if first_end < 0 else first_end)
        last = (text.rfind("\n", a, b) + 1, b)
        out.append(f"{n}| {text[first[0]:first[1]][:width]}")
        spans.append(first)
        if last[0] > first[0]:
            out.append(f"   ... {text[last[0]:last[1]].strip()[:width]}")
            spans.append(last)
        if sizes := list_sizes(text[a:b]):
            out.append(f"   ({sizes})")
    longest, top_entry = _longest_lists(text, recs, width, asking, name, question or asking) if ranks else ([], "")
    python, functions = _python_rows(text, body, end, asking, question or asking, name)
    people, top = _people(text, recs, name, asking)
    by_period, by_call, top_period = (_by_period(text, recs, asking, f"entries(file={name!r})", name) if ranks
                                      else ([], "", ""))
    held, held_call, holding = (_entries_holding(text, recs, rare, asking, f"entries(file={name!r})", name) if rare
                                else ([], "", ""))
    offered_call = by_call if top_period else held_call if holding else ""  # as for a text read alone
    return (out + _line_starts(text, body, end) + python + people + longest + dated + by_period + held, spans,
            start or offered_call, functions or top or top_entry or top_period or holding)


def _dated_entries(text: str, recs: list[tuple[int, int]], period: tuple[str, str, date, date], asking: str,
                   entries_call: str) -> tuple[list[str], str]:
    """How many of the records `recs` are dated in `period` (`date_range`), with their lists'
    sizes, and the call that gives what was counted: the total of the list the question's
    words name (`sum_by(in_dates(...), 'Install')` for "how many packages were installed"),
    else the entries; "" when none is dated in it. `entries_call` is the code for the records."""
    since_text, until_text, _, _ = period
    inside = in_dates([Entry(text[lo:hi]) for lo, hi in recs], since_text, until_text)  # as the call reads them
    totals = _list_totals(inside)
    call = f"in_dates({entries_call}, {since_text!r}, {until_text!r})"
    dated = [f"{len(inside)} of its {len(recs)} entries are dated {since_text} to {until_text} (an entry by its "
             f"first line, else its last){'; their lists in all: ' + totals if totals else ''}: "
             f"{call} gives them."]
    start = call if inside else ""
    if inside and COUNTS.search(asking) and (key := _named_list(inside, asking)):
        start = f"sum_by({call}, {key!r})"
        dated.append(f"{start} adds up their {key} items.")
    return dated, start


_DEFINITION = re.compile(
    r"""^[ \t]*(?:#[ \t]*define[ \t]+(?P<macro>[A-Za-z_]\w*)[ \t]+"""
    r"""|(?:(?:export|const|let|var|set)[ \t]+)?["']?(?P<key>[A-Za-z_][\w.-]*)["']?[ \t]*[:=][ \t]*"""
    r"""|(?:\#[ \t]*)?(?P<bare>[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+|[a-z][a-z0-9]*(?:_[a-z0-9]+)+)[ \t]+)(?=\S)""",
    re.MULTILINE)
"""A line that defines a name: `#define NAME value`, `name = value`, `name: value`, `"name": value`,
and a config's `PasswordAuthentication yes` or `max_conns 40` (also commented out, as sshd_config
writes its defaults)."""
_LETTERED = re.compile(r"^[ \t]*\(?[A-H][).:][ \t]+\S", re.MULTILINE)
"""An option of a multiple-choice question, "A) ...", "(B) ..."."""
_KEY_PARTS = re.compile(r"[_.\-]+|(?<=[a-z])(?=[A-Z])")
_DEFINITIONS_READ = 2_000_000
_DEFINITIONS_SHOWN = 4
_DEFINITIONS_SPECIFIC = 8
"""More names than this made of the question's words are a family of names, not the one asked."""


def _definitions_named(text: str, words: list[str], described: frozenset[str],
                       unwritten: frozenset[str] = frozenset()
                       ) -> tuple[list[str], list[tuple[int, int]], bool] | None:
    """The lines defining a name made of two or more of the question's words, most of them
    first: asked "which SQLite release (version string)", the answer is `#define SQLITE_VERSION
    "3.40.1"`, a key no word of the question writes whole and 2,305 lines mention SQLite; asked
    how long certificates are valid "by default", `default_days = 365`; asked "the maximum number
    of dimensions", `#define NPY_MAXDIMS 64` (`abbreviated`; "maximum" is written nowhere).
    The rows, their spans, and whether a name abbreviates such a word; None when no name is."""
    asked = {w.lower(): _stem(w).lower() for w in words if w.lower() not in described and w.lower() not in _STOP}
    if len(asked) < 2:
        return None

    def named(part: str) -> str | None:
        for word, stem in asked.items():
            if part == word or (len(stem) >= 4 and part.startswith(stem)):
                return word
        return None

    abbreviations: dict[str, set[str]] = {}  # a name's parts repeat: each read once (review: 3 MB of keys)

    def covers(part: str) -> set[str]:
        """The question's words a name's part writes: one whole or by its stem, else
        abbreviated, one or more run together (`MAXDIMS`: "maximum", "dimensions"), when one
        of them the text writes nowhere: words it writes in full are searched as written,
        and their abbreviations are too often another word's (`NPY_NUM_FLOATTYPE` for "which
        NumPy type has number 20")."""
        word = named(part)
        if word is not None:
            return {word}
        if not unwritten:
            return set()
        if part not in abbreviations:
            abbreviations[part] = abbreviated(part, asked)
        short = abbreviations[part]
        return short if short & unwritten else set()

    found: list[tuple[int, int, int, int, str]] = []  # (-words, name's length, start, end of line, name)
    for m in _DEFINITION.finditer(text, 0, min(len(text), _DEFINITIONS_READ)):
        name = m.group("macro") or m.group("key") or m.group("bare")
        hits = {w for part in _KEY_PARTS.split(name) if part for w in covers(part.lower())}
        if len(hits) >= 2:
            end = text.find("\n", m.end())
            found.append((-len(hits), len(name), m.start(), len(text) if end < 0 else end, name))
    # A name defined again and again is a record's field ("Start-Date: ..."), not a setting.
    times = Counter(f[4] for f in found)
    found = [f for f in found if times[f[4]] <= 2]
    if not found or len(found) > _DEFINITIONS_SPECIFIC:
        return None  # none, or so many that the words name a family ("key" and "numeric": KEY_NUMERIC_0 ...)
    best = sorted(found)[:_DEFINITIONS_SHOWN]
    spans = [(a, b) for _, _, a, b, _ in sorted(best, key=lambda f: f[2])]
    rows = [f"Lines defining a name made of the question's words: {len(found):,}"
            f"{', the first' if len(found) > len(spans) else ''}:"]
    rows += [f"{n}| {text[a:b].strip()[:160]}" for n, (a, b) in enumerate(spans, 1)]
    shown = {name for _, _, _, _, name in best}
    short = any(named(part.lower()) is None and covers(part.lower())
                for name in shown for part in _KEY_PARTS.split(name) if part)
    return rows, spans, short


def _dated_alone(text: str, recs: list[tuple[int, int]], period: tuple[str, str, date, date],
                 asking: str) -> tuple[list[str], str] | None:
    """`_dated_entries` for one text read alone (its records `recs`), when some of them are dated
    at all (a changelog's uploads, a history's runs); None for a text of no dated records."""
    if len(recs) < 2 or not in_dates([Entry(text[lo:hi]) for lo, hi in recs], "1900-01-01", "2199-12-31"):
        return None
    return _dated_entries(text, recs, period, asking, "entries()")


def _named_by(keys: set[str], question: str) -> set[str]:
    """The field names among `keys` that a word of the question names, in another form too
    ("installed", "installs" -> Install)."""
    words = [_stem_rx(w) for w in _question_words(question)]
    return {key for key in keys if any(rx.fullmatch(key) for rx in words)}


def _named_list(entries: list[Entry], asking: str) -> str:
    """The list field of `entries` (`Install: a, b, c`) that a word of the question names
    ("installed", "installs" -> Install), when exactly one does and `sum_by` counts it as a
    list (`_lists_items`): otherwise its total would add up version numbers."""
    named = sorted(_named_by({key for e in entries for key, n in _field_lists(e) if n >= 1}, asking))
    if len(named) != 1 or not _lists_items(_values(entries, named[0])):
        return ""
    return named[0]


def _longest_lists(text: str, recs: list[tuple[int, int]], width: int, question: str,
                   name: str = "", whole: str = "") -> tuple[list[str], str]:
    """For the first two fields the entries list items under (`Install: a, b, c`), the two entries that
    list the most, by their first lines, the fields the question names first, then the longest: which run
    installed the most packages is then read, where the outline shows only some entries' sizes.
    Also the value of the top entry's first line (`Start-Date: 2025-06-24  14:37:36`, spacing
    made single) when the question asks just that of the entry that lists the most items of
    the one list it names (`_top_entry_asked`), else ""."""
    sizes: dict[str, list[tuple[int, int]]] = {}
    for n, (a, b) in enumerate(recs, 1):
        for key, items in _field_lists(text[a:b]):
            sizes.setdefault(key, []).append((items, n))
    out = []
    named = _named_by(set(sizes), question)
    value = ""
    for key, found in sorted(sizes.items(), key=lambda kv: (kv[0] not in named, -max(kv[1])[0])):
        if len(found) < 2 or max(found)[0] < 3:
            continue
        ranked = sorted(found, key=lambda x: -x[0])[:2]
        if ranked[0][0] == ranked[1][0]:
            continue  # a tie at the top ranks nothing
        said = ", then ".join(
            f"{items} in entry {n} ({text[recs[n - 1][0]:recs[n - 1][1]].split(chr(10), 1)[0].strip()[:width // 2]})"
            for items, n in ranked)
        out.append(f"The most {key} items: {said}.")
        if named == {key} and not out[:-1]:
            first = text[recs[ranked[0][1] - 1][0]:recs[ranked[0][1] - 1][1]].split("\n", 1)[0]
            value = _top_entry_asked(first, key, question, name, whole or question)
    return out[:2], value


def _top_entry_asked(first: str, key: str, question: str, name: str, whole: str) -> str:
    """The value of `first`, the top entry's first line (`Start-Date: 2025-06-24  14:37:36`),
    when the question asks just that of the entry that lists the most `key` items: each word
    of each of its sentences is in `_TOP_ENTRY_WORDS`, names the list (installed -> Install)
    or the file, and every word of the line's own name ("start", "date") is in the `whole`
    question (its answer's form too: "Answer with its start date and time."). "Which run
    installed the most packages in 2026?", "the second most", "Give the date and time it
    ended.", "Consider the runs after June." ask something else."""
    if (m := FIELD_LINE.match(first.strip())) is None or MOST.search(question) is None:
        return ""
    own = [w for w in re.split(r"[-_\s]+", m.group(1).lower()) if w]
    words = {w.lower() for w in _TOKEN.findall(whole)}
    if not own or not all(w in words or f"{w}s" in words or f"{w}ed" in words for w in own):
        return ""
    lists = frozenset(w.lower() for w in _TOKEN.findall(question) if _stem_rx(w).fullmatch(key))
    if not _asks_just(question, MOST, _TOP_ENTRY_WORDS | lists, name):
        return ""
    named = _name_parts(name)
    for token in _TOKEN.findall(question):  # every sentence: "Give the date and time it ended.", a period
        word = re.sub(r"'s$", "", token.strip("`'.,-")).lower()
        if word and word not in _TOP_ENTRY_WORDS and word not in lists and word not in named:
            return ""
    return " ".join(m.group(2).split())


_PEOPLE_SHOWN = 5
_ASKS_PERSON = re.compile(r"\b(?:who|whom|whose)\b|\bwhich\s+(?:person|people|maintainer|author|developer|uploader|"
                          r"signer|contributor|sender)\b", re.IGNORECASE)
"""A question asking for a person: the one who wrote the most entries is then an answer."""


_ASIDE = re.compile(
    r"\((?:not|no|excluding|without|except)\b[^()]*\)"
    r"|\b(?:not\s+counting|not\s+including|excluding|except(?:\s+for)?|apart\s+from|other\s+than|but\s+not|not)\s+"
    r"(?:any\s+|the\s+)?(?:nested\s+|inner\s+)?(?:methods?|functions?)"
    r"(?:\s*(?:,|or|and|nor)\s+(?:any\s+)?(?:nested\s+|inner\s+)?(?:methods?|functions?))*",
    re.IGNORECASE)
"""An aside that leaves methods or nested functions out: "(not methods)", "not counting methods or nested functions"."""
_RESTATED = re.compile(r"\(\s*(?:the|i\.e\.,?|that\s+is,?)\s+[^()\d]{1,80}\)", re.IGNORECASE)
"""An aside that says again what the words before it mean: "dated entries (the date-and-author
header lines)". Cut unless it sets a condition (`_CONDITION`: "(the ones not signed)")."""
_OWNER = re.compile(r"(?<![\w.+-])[\w.+-]++'s\s+(?=(?:change\s?log|news|logs?|manual|man\s+page|manpage|docs|documentation|"
                    r"readme|source|history|release\s+notes)\b)", re.IGNORECASE)
"""Whose text the question names ("sed's ChangeLog", "nginx's log"): the text itself, no
condition on what is counted, as "the ChangeLog" would be."""
_SENTENCES = re.compile(r"(?<=[;?!])\s*|(?<=\.)\s+")
_TOKEN = re.compile(r"`[^`]*`|[\w'./+~-]+")
_IDS_READ = 20_000_000
"""Characters searched for identifiers a question counts (`look_ids`): a regex pass, ~0.1 s a MB."""
_ASKED_COMMON = frozenset(
    "how many are is was were there does do did the a an this that it its in at of on has have had contain contains "
    "file text here given".split())
_SAME_RECORD_WORDS = _ASKED_COMMON | frozenset(
    "packages package items item new newly brand-new same that this it its run session transaction did does do get "
    "got by one were was".split())
"""The words of a sentence asking how many items the record named before holds ("How many
packages did that same run newly install?"), besides the list's own name: any other word
("automatic", "or upgrade", "previous", "in total") asks for something else."""
_TOP_ENTRY_WORDS = _ASKED_COMMON | frozenset(
    "when which what one run runs session sessions transaction entry entries most largest biggest highest greatest "
    "number packages package items new newly brand-new give answer with its and all of the start started began "
    "begin date time".split())
"""The words of a question asking when (or which) the entry that lists the most items was,
besides the list's name and the file's: "When did the apt run that installed the most new
packages start? Give the date and time."."""
_FUNCTION_WORDS = _ASKED_COMMON | frozenset(
    "top level top-level toplevel module module-level functions function classes class defined define defines "
    "declared declare source script code python exist".split())
_SECTION_WORDS = _ASKED_COMMON | frozenset(
    "numbered main top-level sections section clauses clause articles article chapters chapter parts part headings "
    "heading licence license document agreement contract terms policy".split())
_PERSON_WORDS = _ASKED_COMMON | frozenset(
    "who whom whose which person maintainer author uploader signer developer contributor signed wrote authored "
    "uploaded committed sent most entries entry uploads commits releases messages changelog debian "
    "log history by package appears appear often frequently frequent as times off".split())
"""The words of a sentence asking just who wrote the most entries: "which person signed off
the largest number of uploads in this changelog?" ("signed off", "the largest number" of)."""
_NUMBER_OF = re.compile(r"\b(?:the\s+)?(?:largest|greatest|highest|biggest)\s+(?:number|count)\s+of\b", re.IGNORECASE)
"""'the largest number of' uploads: the most uploads ("the largest entry" is no count)."""
_SIGNS = re.compile(r"\b(?:sign\w*|upload\w*|entries|author\w*|wrote|committ?\w*|sent)\b", re.IGNORECASE)
"""What a person's count of entries answers: who signed, uploaded, wrote them (not who made
the most changes: a team changelog lists each member's changes under the uploader's sign-off)."""
_ASIDE_WORDS = frozenset("not no excluding without except counting including methods method functions function nested "
                         "inner classes class any the or and nor inside within in of a defined".split())
_CONDITION = re.compile(r"\b(?:ignore|ignoring|only|not|no|except|exclud\w*|without|count\w*|skip\w*|public|"
                        r"private|but|other|besides|most|least|fewest|more|fewer)\b|n't\b", re.IGNORECASE)
"""A word of another sentence that sets a condition on what is counted or ranked."""
_SECTION_NAMED = re.compile(r"\b(?:section|article|chapter|part|clause)\s+\d", re.IGNORECASE)


def _restated_cut(m: re.Match[str]) -> str:
    """A restating aside cut, unless it names someone or something ("(the ones by Paul
    Eggert)", "(the Paul Eggert ones)") or sets a condition: then it picks entries."""
    aside = m.group(0)
    names = re.search(r"\b(?:by|from|of|with|for|in|on|under|over|to)\b|(?<!^\()\b[A-Z][a-z]+", aside)
    return aside if names or _CONDITION.search(aside) else " "


def _aside_cut(m: re.Match[str]) -> str:
    """An aside cut when it only leaves methods or nested functions out; a bracket saying
    anything else ("(not counting private ones)") is kept, and its words are then read."""
    words = set(re.findall(r"\w+", m.group(0).lower()))
    return " " if words <= _ASIDE_WORDS else m.group(0)


def _asks_just(asking: str, key: re.Pattern[str], words: frozenset[str], name: str = "",
               also: tuple[re.Pattern[str], ...] = ()) -> bool:
    """Whether the sentence of the question that `key` finds asks just what the look computed:
    each of its words is one of `words`, or part of the name of the file the look outlines
    (`name`), once asides that leave methods or nested functions out are cut. A count the
    look shows answers "how many module-level functions (not methods) does it have?", and not
    "how many functions call load?", "how many functions and classes?", "how many sections
    mention the Licensor?" or "who signed the most entries in 2023?": any other word (a verb,
    a qualifier, a year, a second file) asks something else. The sentence is the first that
    `key` and each of `also` find; another sentence that sets a condition ("Count only public
    ones.") also means another question."""
    sentences = _SENTENCES.split(asking)
    sentence = next((part for part in sentences if all(k.search(part) for k in (key, *also))), "")
    if not sentence or _SECTION_NAMED.search(sentence):
        return False
    if any(_CONDITION.search(part) for part in sentences if part is not sentence):
        return False  # "Count only public ones.", "Do not count team uploads."
    named = _name_parts(name)
    sentence = _OWNER.sub(" ", _RESTATED.sub(_restated_cut, sentence))
    for token in _TOKEN.findall(_ASIDE.sub(_aside_cut, sentence)):
        word = re.sub(r"'s$", "", token.strip("`'.-")).lower()
        if word and word not in words and word not in named and word.replace(".", "/") not in named:
            return False
    return True


_PERIOD_ASKED = re.compile(
    r"\b(?:which|what)\s+(?:(?:single|one|calendar|particular)\s+)*(?P<unit>year|month|day|date)\b"
    r"|\b(?P<after>year|month|day|date)\s+(?:with|saw|had|has)\s+the\s+most\b", re.IGNORECASE)
"""A question asking which period the most of something fell in: "in which calendar year were
the most uploads made?", "the month with the most releases"."""
_PERIOD_WORDS = _ASKED_COMMON | frozenset(
    "going by according to dates these those notes "
    "which what in during calendar single one particular year month day date most largest greatest highest number "
    "package packages made recorded released published uploaded dated happened occurred took place saw had entries entry uploads "
    "written wrote logged added created filed posted committed ship shipped came out tagged "
    "upload releases release versions version changes change updates update records record runs run according "
    "to changelog news log history".split())
"""The words of a question asking just which period holds the most entries."""
_PERIODS_SHOWN = 3
_DATED_SHARE = 0.8
"""Entries are counted by period when at least this share of them is dated."""
_DATED_HEADS_SHARE = 0.5
"""A text's top headings are counted by their dates when at least this share write one: a
changelog may date only its older releases (tmux's CHANGES dates 19 of 32), and a question
"going by the dates" counts those that are dated."""
_SERIES_DATED_SHARE = 1 / 3
"""The share of dated headings enough when every heading starts with one word: one series of
releases, dated only since some release (GNU make's NEWS dates 25 of 54)."""
_EVERY_ENTRY = 0.9
"""A word on the first line of this share of a text's entries picks none of them out
("systemd" of "systemd (252-1) unstable; urgency=medium")."""


def _on_every_head(firsts: list[str], asking: str) -> set[str]:
    """The question's words written on the first line of nearly every entry (`firsts`): they
    pick none of them out ("systemd" of "systemd (252-1) unstable; urgency=medium"), so a
    question naming them still asks about all the entries."""
    return {w.lower() for w in _question_words(asking)
            if sum(bool(_word_rx(w).search(f)) for f in firsts) >= _EVERY_ENTRY * len(firsts)}


def _dated_headings(text: str) -> tuple[list[str], list[tuple[date, str]]] | None:
    """A text's top headings and those that write a date, with it, when nearly all do (a NEWS
    file heads its releases "E2fsprogs 1.47.0 (February 5, 2023)"); None when they do not."""
    heads = headings(text=text)
    dated = [(d, h) for h in heads if (d := to_date(h)) is not None]
    if len(dated) < _DATED_HEADS_SHARE * len(heads):
        # Old GNU NEWS entries are "* " items at the top level beside "* Noteworthy changes in
        # release 6.7 (2006-12-08)": the headings that write a version are the releases.
        heads = [h for h in heads if _VERSION_TOKEN.search(h)]
    if len(dated) < 3:
        return None
    if len(dated) < _DATED_HEADS_SHARE * len(heads):
        # GNU make's NEWS heads every release "Version 3.81 (01 Apr 2006)" but dates none before
        # 3.62 (25 of 54): headings that all start with one word are one series of releases,
        # of which a third or more dated is enough.
        if len({tuple(h.lower().split()[:1]) for h in heads}) != 1 or len(dated) < _SERIES_DATED_SHARE * len(heads):
            return None
    return heads, dated


def _by_period(text: str, recs: list[tuple[int, int]], asking: str, entries_call: str,
               name: str = "") -> tuple[list[str], str, str]:
    """For a question asking which year (month, day) the most of a text's entries fall in, the
    entries counted by their own date's year (an entry by its first line, else its last, as
    `to_date` reads an entry), the top ones; the 1.5B asked which year a changelog had the most
    uploads in searched the word "uploads" and answered a year it saw. Also the top year (or
    day) as what the look computed, when it leads alone and the question asks just that: each
    word of its asking sentence is a common one (`_PERIOD_WORDS`), the file's `name`, or is
    written on the first line of nearly every entry ("the systemd uploads": it picks none
    out). A month is shown, not offered: "which month" may mean March of any year. Returns the
    rows, the call that counts them (the look's start: shown only the row, the 1.5B still
    searched the word "uploads"), and the top value offered, or ""."""
    m = _PERIOD_ASKED.search(asking)
    if m is None or not MOST.search(asking) or NOT_FIRST.search(asking):
        return [], "", ""
    unit = (m.group("unit") or m.group("after")).lower()
    days = [d for a, b in recs if (d := to_date(Entry(text[a:b]))) is not None]
    firsts = [text[a:b].split("\n", 1)[0].lower().replace("-", "") for a, b in recs]  # "dbus" of "D-Bus 1.11.8"
    what = f"dated entries by {unit} (an entry by its first line, else its last)"
    if len(days) < 3 or len(days) < _DATED_SHARE * len(recs):
        # A NEWS file's paragraphs under a dated heading are entries of no date: its releases
        # are its top headings ("E2fsprogs 1.47.0 (February 5, 2023)"), counted by their dates.
        dated = _dated_headings(text) if entries_call == "entries()" else None
        if dated is None:
            return [], "", ""
        heads, days = dated[0], [d for d, _ in dated[1]]
        entries_call, firsts = "headings()", [h.lower().replace("-", "") for h in heads]  # "dbus" of "D-Bus 1.11.8"
        what = f"top headings by {unit}, each by the date it writes"
        # The headings are releases: "the most changes" counts something else in them.
        shown_only = not re.search(r"\b(?:releases?|released|versions?|ship(?:ped)?)\b", asking, re.IGNORECASE)
    else:
        shown_only = False
    counts = Counter(_DATE_PARTS[unit](d) for d in days)
    ranked = counts.most_common()
    told = ", ".join(f"{k} {n}" for k, n in ranked[:_PERIODS_SHOWN])
    more = f" (and {len(ranked) - _PERIODS_SHOWN} other {unit}s)" if len(ranked) > _PERIODS_SHOWN else ""
    call = f"count_by({entries_call}, {unit!r})"
    rows = [f"Its {len(days)} {what}, the most first: {told}{more}; {call} counts them."]
    if shown_only:
        return rows, "", ""
    if unit == "month" or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return rows, call, ""
    on_every = _on_every_head(firsts, asking)
    if not _asks_just(asking, _PERIOD_ASKED, _PERIOD_WORDS | on_every, name, also=(MOST,)):
        return rows, call, ""
    return rows, call, ranked[0][0]


_RELEASES_ASKED = re.compile(r"\b(?:releases?|released|versions?)\b", re.IGNORECASE)


def _releases_in(text: str, period: tuple[str, str, date, date], asking: str) -> tuple[list[str], str, str] | None:
    """For a question counting the releases (versions) of a period, the text's top headings
    that write a date in it, when nearly all its top headings do (a NEWS file's "dbus 1.12.0
    (2017-10-30)"): its paragraphs are entries of no date, and counted as entries, 0 of 707 were
    in 2016 to 2018. The rows, the count when the question asks just that, and the call."""
    if not COUNT_ASKED.search(asking) or not _RELEASES_ASKED.search(asking) or (got := _dated_headings(text)) is None:
        return None
    heads, dated = got
    first, last, a, b = period
    kept = [h for d, h in dated if a <= d <= b]
    call = f"in_dates(headings(), {a.isoformat()!r}, {b.isoformat()!r})"
    rows = [f"{len(kept)} of its {len(dated)} top headings that write a date are dated {a.isoformat()} to "
            f"{b.isoformat()}: {call} gives them."]
    plain = _DATED_SAID.sub(" ", _ASIDE_PERIOD.sub(" ", asking.replace(first, " ").replace(last, " ")))
    on_every = _on_every_head([h.lower().replace("-", "") for h in heads], asking)  # "dbus" of "D-Bus 1.11.8"
    title = {w.lower() for w in TOKEN.findall(text.lstrip()[:200].split("\n", 1)[0])}  # "GNU grep NEWS": "grep releases"
    # "how many tmux releases": the word naming whose releases they are picks none out ("stable" does).
    owner = {w for m in _RELEASES_OF.finditer(plain) if (w := m.group(1).lower()) not in _RELEASE_KINDS
             and _written_times(text, w) >= _OWNER_WRITTEN}  # the text's own name, written throughout it
    words = _RELEASE_WORDS | _ASKED_COMMON | frozenset(on_every) | _PERIOD_SAID | document_words(asking) | title | owner
    return rows, str(len(kept)) if kept and _asks_just(plain, COUNT_ASKED, words) else "", call


_ASIDE_PERIOD = re.compile(r"\b(?:with\s+a\s+date\s+|dated\s+|released\s+)?(?:from|between|in|during)\s+(?:and|through|to|until)?",
                           re.IGNORECASE)
_DATED_SAID = re.compile(r"\b(?:(?:that\s+(?:are|were)\s+)?(?:listed|given|shown|written|stamped|marked)\s+)?"
                         r"(?:with|having|carrying)\s+(?:a|an|their|its)\s+(?:release\s+)?dates?\b", re.IGNORECASE)
"""Words saying the releases counted are the dated ones ("releases listed with a release
date"), which the headings that write a date are: nothing more is asked."""
_RELEASES_COUNTED = re.compile(r"\b(?:how\s+many|number\s+of|most|fewest|least)\s+(?:[\w.+-]+\s+){0,2}"
                               r"(?:releases|versions)\b", re.IGNORECASE)
"""A question that counts or ranks releases themselves, not their changes."""
_RELEASES_OF = re.compile(r"\b([A-Za-z][\w.+-]*)\s+(?:releases|versions)\b")
_RELEASE_KINDS = frozenset("stable unstable major minor patch point bugfix bug-fix security beta alpha rc final "
                           "maintenance feature development dev lts testing experimental pre-release prerelease "
                           "preview nightly new old official".split())
"""Words that pick some releases out: "how many stable releases", unlike "how many tmux releases"."""
_OWNER_WRITTEN = 10
"""Times a text writes the word before "releases" for it to be the text's own name ("tmux"),
not a kind of release it may not say ("hotfix", "GA")."""
_PERIOD_SAID = frozenset("date dated dates from through thru to until and between inclusive included including both years going by "
                         "day days month months list lists listed combined together altogether total overall all "
                         "file news".split())
"""Words of a count of releases in a period that the period says."""


_YEAR_BOUND = re.compile(
    r"\b(?P<side>before|prior\s+to|after|since)\s+(?:the\s+(?P<edge>start|beginning|end)\s+of\s+)?"
    r"(?P<year>(?:19|20)\d\d)\b(?![-.]\d)", re.IGNORECASE)
"""A bound at a year's edge: "before 2010 (began)", "before the start of 2005", "after the end
of 2015", "since 2019"."""
_ORDER_OF = re.compile(r"\b(?P<last>last|latest|final|newest|most\s+recent)\b|\b(?P<first>first|earliest|oldest)\b",
                       re.IGNORECASE)
_VERSION_TOKEN = re.compile(r"(?<![\w.])v?\d+(?:\.\d+)+[a-z]?(?![\w.])")


def _written_times(text: str, word: str) -> int:
    """How many times `text` writes `word` whole, in any case, up to `_OWNER_WRITTEN`."""
    rx = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", re.IGNORECASE)
    return sum(1 for _ in islice(rx.finditer(text), _OWNER_WRITTEN))


def _heading_bounded(text: str, asking: str) -> tuple[list[str], str, str] | None:
    """For a question asking the first or last release (version, heading) on one side of a
    year ("which version was the last one released before 2010 began?"), the text's top
    headings that write a date, as a NEWS file heads its releases: the one asked for, and its
    version as the answer when it writes one version and the question asks a version or a
    release. Read, the 1.5B answered the first 2010 heading shown, 1.41.14; none when the
    headings carry no dates (a ChangeLog's entries are read by `_dated_entries`). Returns the
    rows, that version or "", and the call that gives the heading."""
    bound, order = _YEAR_BOUND.search(asking), _ORDER_OF.search(asking)
    if bound is None or order is None or len(_YEAR_BOUND.findall(asking)) != 1 or NOT_FIRST.search(asking):
        return None
    if (got := _dated_headings(text)) is None:
        return None
    heads, dated = got
    year, side, at = int(bound.group("year")), " ".join(bound.group("side").split()).lower(), bound.group("edge")
    before = side in ("before", "prior to")
    # "before 2010" and "since 2010" cut at its first day; "after 2015" and "the end of 2015" at its last.
    edge = date(year + 1, 1, 1) if (at or "").lower() == "end" or (side == "after" and not at) else date(year, 1, 1)
    kept = [(d, h) for d, h in dated if (d < edge if before else d >= edge)]
    if not kept:
        return None
    _, head = (max if order.group("last") else min)(kept, key=lambda x: x[0])
    side = "before" if before else "on or after"
    which = "last" if order.group("last") else "first"
    call = (f"{'max' if which == 'last' else 'min'}((h for h in headings() if to_date(h) and to_date(h) "
            f"{'<' if before else '>='} to_date({edge.isoformat()!r})), key=to_date)")
    rows = [f"Of its {len(dated)} top headings that write a date, the {which} one dated {side} {edge.isoformat()}: "
            f"{head!r}; {call} gives it."]
    versions = _VERSION_TOKEN.findall(head)
    on_every = _on_every_head([h.lower() for h in heads], asking)
    rest = [w for w in TOKEN.findall(_ORDER_OF.sub(" ", _YEAR_BOUND.sub(" ", asking)).lower())
            if w not in _STOP and w not in _RELEASE_WORDS and w not in on_every]
    asks_version = (re.search(r"\b(?:version|release)", asking, re.IGNORECASE) is not None
                    and not COUNT_ASKED.search(asking) and not re.search(r",\s*and\b", asking))  # one question
    return rows, (versions[0] if asks_version and not rest and len(versions) == 1 else ""), call


_RELEASE_WORDS = frozenset("which what was is version versions release releases released number came out come "
                           "shipped ship published tagged made one began begin begins start end beginning year "
                           "calendar".split())
"""The words of a question asking just which release was first or last on one side of a year."""


_HOLDING_WORDS = _ASKED_COMMON | RECORD_NOUNS | frozenset(
    "mention mentions mentioned reference references referenced cite cites cited name names named contain "
    "containing include includes included at least one word term".split())
"""The words of a question asking just how many entries hold a word, besides the word."""


def _entries_holding(text: str, recs: list[tuple[int, int]], word: _Word, asking: str, entries_call: str,
                     name: str = "") -> tuple[list[str], str, str]:
    """For a question asking how many of a text's entries hold its rarest word, how many do, as
    `entries(word)` finds them, beside the word's count of lines: a changelog upload that
    names two CVEs is one upload, and the 1.5B shown only the lines counted something else.
    Only for a question that counts entries by name ("how many uploads", "how many of the
    package releases": `RECORD_NOUNS`), of a word not a date or number, in entries of several
    lines (one a line, the lines' count says it). That count as what the look computed when
    the question asks just that: each other word of its asking sentence is a common one
    (`_HOLDING_WORDS`), the file's `name`, or on the first line of nearly every entry."""
    if (not counts_records(asking)
            or not re.search(r"[^\W\d_]", word.word) or word.word.lower() in _name_parts(name)):
        return [], "", ""  # not entries counted by name; a date or a number (a period's bound); the file's own name
    if len(recs) < 2 or all(text.count("\n", a, b) == 0 for a, b in recs):
        return [], "", ""
    if word.word.lower() in RECORD_NOUNS or re.sub(r"e?s$", "", word.word.lower()) in RECORD_NOUNS or "'" in word.word:
        return [], "", ""  # "uploads" is what is counted, not what they hold
    pattern = rf"\b{re.escape(word.word)}\b"  # a whole word: "arm" is not in "harmless" nor "arm64"
    rx = re.compile(pattern, re.IGNORECASE)
    holding = sum(1 for a, b in recs if rx.search(text, a, b))
    if not holding or holding >= _EVERY_ENTRY * len(recs):
        return [], "", ""  # none, or nearly every entry: the word picks none out
    call = entries_call.replace("entries(", f"entries(r'{pattern}'" + (")" if entries_call == "entries()" else ", "), 1)
    call = call.replace("))", ")")
    rows = [f"{word.word!r} is in {holding} of its {len(recs)} entries ({word.count} lines): len({call}) counts them."]
    call = f"len({call})"
    on_every = _on_every_head([text[a:b].split("\n", 1)[0] for a, b in recs], asking)
    if not _asks_just(asking, COUNT_ASKED, _HOLDING_WORDS | on_every | {word.word.lower()}, name):
        return rows, call, ""
    return rows, call, str(holding)


def _entries_headed(text: str, recs: list[tuple[int, int]], words: list[_Word], asking: str,
                    described: frozenset[str]) -> list[str]:
    """For a question counting entries by name ("how many of the uploads ... experimental"),
    the question's word written on the first line of some of them, and how many: a changelog
    entry's first line names its package, version and distribution, so "uploads targeted at
    experimental" are the entries whose first line says experimental, where the look had shown
    the rarer words "targeted" and "distribution" and the 1.5B counted 0. Only a word some
    entries' first lines write and not nearly all's (a package's own name picks none out); the
    first such word, rarest first. Its row, with the call that counts them: a step, neither
    offered nor the start, since the question's other words may narrow it ("by Bob")."""
    if not counts_records(asking) or len(recs) < 5 or negated(asking) or re.search(r"\b(?:not|never|except)\b|n't\b",
                                                                                     asking, re.IGNORECASE):
        return []  # "not made to unstable": the head lines that do not write it
    headed = sum(1 for a, b in recs if not text[a:a + 1].isspace() and ("\n " in text[a:b] or "\n\t" in text[a:b]))
    dated = sum(1 for a, b in recs if to_date(Entry(text[a:b])) is not None)
    if min(headed, dated) < _DATED_SHARE * len(recs):
        return []  # not dated entries, each a line and the lines indented under it (a changelog's uploads)
    for word in words:
        w = word.word.lower()
        if (w in RECORD_NOUNS or w in described or not re.search(r"[^\W\d_]", w)
                or not re.fullmatch(r"[\w.+-]+", word.word)):
            continue
        # An entry's head is its unindented line (a changelog indents its body and its sign-off);
        # `entries(pattern)` keeps the entries with a line the pattern matches, in any case.
        pattern = rf"^\S.*\b{re.escape(word.word)}\b"
        rx = re.compile(pattern, re.IGNORECASE | re.MULTILINE)
        heads = sum(1 for a, b in recs if rx.search(text[a:b]))
        if re.search(rf"^[ \t]+.*\b{re.escape(word.word)}\b", text, re.IGNORECASE | re.MULTILINE):
            continue  # written in the bodies too ("Upload to unstable."): a head line is no sure reading
        if 2 <= heads < _EVERY_ENTRY * len(recs):
            call = f"len(entries(r'{pattern}'))"
            return [f"{word.word!r} is on the unindented (first) line of {heads} of its {len(recs)} entries: "
                    f"{call} counts them."]
    return []


_GENERIC_FILE = re.compile(r"(?:changelog|changes|news|history|readme|copyright|license|licence|notice|index|"
                           r"__init__)\b", re.IGNORECASE)
"""A file name that says what kind of file it is, not whose: its folder names it."""


def _name_parts(name: str) -> set[str]:
    """The ways a question names the file `name`: its path and the path's endings, with and
    without the extension ("multiprocessing/popen_fork", "popen_fork.py", "popen_fork"), and
    the folder of a file named generically ("libatk-bridge2.0-0" of its changelog.Debian).
    Whole parts only: "call" is no part of "callbacks.py", nor "test" of test/test_api.py."""
    path = name.lower().strip("/")
    if not path:
        return set()
    bare = re.sub(r"(?:/__init__)?\.\w{1,8}$", "", path)
    parts = set()
    for form in (path, bare):
        segments = form.split("/")
        parts |= {"/".join(segments[i:]) for i in range(len(segments))}
    segments = path.split("/")
    if len(segments) > 1 and _GENERIC_FILE.match(segments[-1]):
        parts.add(segments[-2])
    return parts - {""}


def _people(text: str, recs: list[tuple[int, int]], name: str, asking: str = "") -> tuple[list[str], str]:
    """Who the file's entries are by, counted, when most of them write a person as `Name <mail>`
    (a changelog's sign-offs, a commit log's authors, a mailbox's senders): who wrote the most
    of them, or how many one person wrote, is then read, not counted by eye. Also who wrote
    the most, when `asking` asks just that (`_asks_just`, no period) and no one could tie with
    them, counting the entries no one is read as signing; else "". The 1.5B,
    shown "Samuel Thibault 44, Jeremy Bicha 2", answered a name from another file's output."""
    people = Counter(p for a, b in recs if (p := person(Entry(text[a:b]))) is not None)
    if len(recs) < 2 or sum(people.values()) < len(recs) / 2:
        return [], ""
    shown = ", ".join(f"{p} {n}" for p, n in people.most_common(_PEOPLE_SHOWN))
    more = f" (and {len(people) - _PEOPLE_SHOWN} other people)" if len(people) > _PEOPLE_SHOWN else ""
    ranked = people.most_common(2)
    unread = len(recs) - sum(people.values())  # entries no one is read as signing could change who leads
    leads = len(ranked) == 1 or ranked[0][1] > ranked[1][1] + unread
    asked = _asks_just(_NUMBER_OF.sub("most", asking), _ASKS_PERSON, _PERSON_WORDS, name, also=(MOST, _SIGNS))
    top = ranked[0][0] if leads and asked and date_range(asking) is None else ""
    call = f"entries(file={name!r})" if name else "entries()"
    return [f"Its entries are by (Name <mail>): {shown}{more}; count_by({call}, 'author') counts them."], top


_TYPICAL_READ = 1_000_000
"""Characters read for the text's record lines: a 40 MB log is judged by its first 1 MB."""
_TYPICAL_SHARE = 1 / 3
_TYPICAL_SAMPLE = 2_000
"""Lines whose kind is read to tell the records' share: a log of 17,000 lines took 0.3 s."""
_TYPICAL_SHOWN = 3
_WORD_RUN = re.compile(r"\w+")
_BULLET = re.compile(r"(?:[-*+\u2022>]+|\d{1,3}[.)])\s+")
"""A list item's mark ('* ', '- ', '1. '): the words after it are prose all the same."""
_PUNCT_ENDS = re.compile(r"^[(\"'`\[]+|[.,;:!?)\"'`\]]+$")
"""A sentence's punctuation at a word's ends ('(see', 'value,', 'server.'): prose, not a mark."""


def _record_kind(line: str) -> str | None:
    """How a record line starts, or None for a line that is no record. A record line has two
    words or more in its first four tokens and a mark among them: one inside a token
    (`2025-06-24`, `U+1e42`, `code="GB-ABC"`, `text/html`, `<name>us</name>`) or a number
    alone (`ip 0 IP`, `Ana, 34, Lyon`). Prose, prose after a list mark, a heading and a tag
    alone (`</item>`, `<entry`) are not. Its kind is its indent and its first character's
    class ('w' for a word, else the mark: '<', '#', '|'), so records whose values are
    written differently (`ftp` and `kerberos-adm`) are one kind."""
    stripped = line.strip()
    if not stripped:
        return None
    bullet = _BULLET.match(stripped)
    rest = stripped[bullet.end():] if bullet else stripped
    cores = [_PUNCT_ENDS.sub("", t) for t in rest.split(None, 4)[:4]]
    if sum(len(_WORD_RUN.findall(c)) for c in cores) < 2:
        return None
    if not any(_WORD_RUN.sub("", c) or c.isdigit() for c in cores):
        return None
    if bullet and not _WORD_RUN.sub("", cores[0]) and not cores[0].isdigit():
        return None  # "* gpg: Do not ...", "- Fix PR 97247": a list item's words
    first = stripped[0]
    return ("\t" if line[:1] in " \t" else "") + ("w" if first.isalnum() or first == "_" else first)


def _typical(text: str, head: list[str], width: int) -> tuple[list[str], list[tuple[int, int]]]:
    """A few of the text's record lines, when a third of its lines or more are records of one
    kind (`_record_kind`) and its first lines are not: a licence, a DTD or a preamble before
    the records (an XML list of codes, a font's status table, a log after a banner) shows
    nothing of how the records are written, and code that filters or counts them needs that.
    The lines shown are consecutive, from a third of the way in (with the line just before
    the first when it opens the record: `<entry` above `code="GB-ABC"`), cut to `width`. The
    share is read from up to `_TYPICAL_SAMPLE` lines spread over the text's first
    `_TYPICAL_READ` characters, and said as a share: a count here would read as an answer."""
    body = text[:_TYPICAL_READ]
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in body.split("\n"):  # not a regex: one over a line of spaces is quadratic
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    if len(spans) < 20:
        return [], []
    sample = spans[::max(1, len(spans) // _TYPICAL_SAMPLE)]
    counted = Counter(k for a, b in sample if (k := _record_kind(body[a:b])))
    if not counted:
        return [], []
    kind, n = counted.most_common(1)[0]
    share = n / len(sample)
    if share < _TYPICAL_SHARE or sum(_record_kind(line) == kind for line in head) >= 2:
        return [], []  # few records, or the first lines show them already
    third = len(spans) // 3
    at = next(i for i in [*range(third, len(spans)), *range(third)] if _record_kind(body[slice(*spans[i])]) == kind)
    if (at > 0 and _record_kind(body[slice(*spans[at - 1])]) is None and spans[at - 1][1] + 1 == spans[at][0]
            and _WORD_RUN.search(body, *spans[at - 1])):
        at -= 1  # the record's opening line right above it (`<entry`, not `},`)
    window = [(a, min(b, a + width)) for a, b in spans[at:at + _TYPICAL_SHOWN]]
    most = "Nearly all" if share >= 0.95 else f"About {int(share * 10 + 0.5) * 10}% of"
    rows = [f"{most} its lines are records written like these:"]
    rows += [f"{k}| {_line_at(text, a, b, width)[2]}" for k, (a, b) in enumerate(window, 1)]
    return rows, window


_STARTS_SHOWN = 8
_LINE_START = re.compile(r"^([A-Za-z_@][\w.-]*)", re.MULTILINE)
"""An unindented line's first word; comment lines (`#`) and lines of punctuation have none."""


def _line_starts(text: str, body: int, end: int) -> list[str]:
    """How the file's unindented lines start, counted, when a few first words start half of
    them or more (a module's `def` and `class`, a history's `Start-Date` and `Install`): how many
    functions a module defines at its top level is then read, not counted by eye."""
    counts = Counter(m.group(1).rstrip(":") for m in _LINE_START.finditer(text, body, end))
    total = sum(counts.values())
    top = counts.most_common(_STARTS_SHOWN)
    if total < 3 or sum(n for _, n in top) < 0.5 * total or len(counts) < 2:
        return []
    return ["Its unindented lines start with: " + ", ".join(f"{w} {n}" for w, n in top)
            + (f" (and {len(counts) - len(top)} other words)" if len(counts) > len(top) else "")]


_TOP_DEF = re.compile(r"^(?:async[ \t]+)?def[ \t]+\w", re.MULTILINE)
_TOP_CLASS = re.compile(r"^class[ \t]+\w", re.MULTILINE)
_TOP_IMPORT = re.compile(r"^(?:import[ \t]+\w|from[ \t]+[\w.]+[ \t]+import\b)", re.MULTILINE)


_INNER_DEF = re.compile(r"^[ \t]+(?:async[ \t]+)?def[ \t]+\w", re.MULTILINE)
_INNER_CLASS = re.compile(r"^[ \t]+class[ \t]+\w", re.MULTILINE)
_TOP_ASKED = re.compile(r"\b(?:top|module)[- ]?level\b|\btoplevel\b|\b(?:not|no|excluding|without|except)\s+"
                        r"(?:counting\s+|including\s+)?(?:the\s+|any\s+)?(?:methods|nested)\b", re.IGNORECASE)
"""A count question that says it wants a module's own functions, not its methods too."""
_PARSED_UP_TO = 2_000_000
"""Characters of a module parsed with `ast` on the first look; a longer `.py` file is counted by
its unindented lines."""
_ASKS_FUNCTIONS = re.compile(r"\b(?:functions?|def)\b", re.IGNORECASE)
_ASKS_CLASSES = re.compile(r"\bclass(?:es)?\b", re.IGNORECASE)


def _python_rows(text: str, body: int, end: int, asking: str, question: str,
                 name: str = "") -> tuple[list[str], str]:
    """What the look says of a Python module's top level (`_module_level`), its classes and
    its functions (`look_python`), or else of a JavaScript file's functions (`look_jsfuncs`),
    and the first answer any offers."""
    counted, top = _module_level(text, body, end, asking, name)
    about, answer = python_look(text[body:end], asking, question)
    if not (counted or about):  # not Python: JavaScript's functions, by their definitions (`look_jsfuncs`)
        about, answer = js_look(text[body:end], question)
    return counted + about, top or answer


def _module_level(text: str, body: int, end: int, asking: str, name: str = "") -> tuple[list[str], str]:
    """For a question that asks about a Python file's functions or classes, how many the
    module defines at its top level, said in the question's words: the 1.5B was shown "def
    11" among the line starts, asked how many module-level functions the module has, and
    answered the file's line count. Only what is asked is said: shown "2 module-level
    functions and 10 classes", it answered 10; shown for "where is PyDLL defined?", it
    wandered. Only for a question that counts or ranks: "the default of the `maxsplit`
    parameter of function `split`" is about one function. Counted by `ast` when the text parses (a `def` inside a docstring is no
    function); a `.py` file cut short is counted by its unindented lines; other text that
    does not parse (Groovy's `import` and `def`) is not read as Python. Also the count, when
    the question asks just how many functions, or just how many classes (`_asks_just`);
    else "": shown "11 module-level functions" and asked just that, the 1.5B answered 1. Not
    when the module also has methods or nested functions and the question does not say top
    level or leave them out ("how many functions does it define?" may count them). Not a
    count of 0: offered 0, the 1.5B took it for nothing found and searched on (2 runs of 2)."""
    # What is counted, read without an aside that leaves methods out ("not methods inside classes")
    kept = _ASIDE.sub(_aside_cut, asking)
    functions_asked, classes_asked = _ASKS_FUNCTIONS.search(kept), _ASKS_CLASSES.search(kept)
    counted = COUNTS.search(asking) or SUPERLATIVE.search(asking)  # not "the default of function split's argument"
    if not (functions_asked or classes_asked) or not counted or not _TOP_IMPORT.search(text, body, end):
        return [], ""
    try:
        if end - body > _PARSED_UP_TO:
            raise ValueError("too long to parse on the first look")
        tree = ast.parse(text[body:end])
    except UNPARSED:  # "1" + " + 1" * 3000 is too deep to parse
        if not name.lower().endswith(".py"):
            return [], ""
        functions = len(_TOP_DEF.findall(text, body, end))
        classes = len(_TOP_CLASS.findall(text, body, end))
        inner_functions = bool(_INNER_DEF.search(text, body, end))
        inner_classes = bool(_INNER_CLASS.search(text, body, end))
    else:
        functions = sum(isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) for node in tree.body)
        classes = sum(isinstance(node, ast.ClassDef) for node in tree.body)
        every = list(ast.walk(tree))
        inner_functions = sum(isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) for node in every) > functions
        inner_classes = sum(isinstance(node, ast.ClassDef) for node in every) > classes
    said = []
    if functions_asked:
        said.append(f"{functions} module-level function{'s' if functions != 1 else ''} (unindented def; "
                    "methods and nested functions are indented)")
    if classes_asked:
        said.append(f"{classes} module-level class{'es' if classes != 1 else ''} (unindented class)")
    plain = (not (functions_asked and classes_asked)
             and (not (inner_functions if functions_asked else inner_classes) or _TOP_ASKED.search(asking) is not None)
             and _asks_just(asking, COUNT_ASKED, _FUNCTION_WORDS, name))
    n = functions if functions_asked else classes
    answer = str(n) if plain and n else ""
    return [f"As Python, {name or 'it'} has " + " and ".join(said) + "."], answer


_ASKS_SECTIONS = re.compile(r"\b(?:sections?|clauses?|chapters?|articles?|parts?|headings?)\b", re.IGNORECASE)
_NUMBERED_HEAD = re.compile(r"^([ \t]*+)([*|#>][ \t]++)?(?:((?i:section|article|chapter|part|clause))[ \t]++)?"
                            r"(\d{1,3})([.):]?)[ \t]++([^\W\d_][^\n]*)$", re.MULTILINE)
"""A numbered heading's line: its indent, a box's border if any (`*  6. Disclaimer of Warranty  *`,
as the MPL boxes two of its sections), a word naming the unit if any, the number and what
follows it, the title (its first letter a capital, checked in code: any script's capitals).
Possessive: a line of spaces is passed over once, not tried from each of its spaces."""
_OTHER_HEADINGS = re.compile(r"^#{1,6}[ \t]|^\S[^\n]*\n([=\-~^\"'*+#])\1{2,}[ \t]*\r?$|<h[1-6]\b", re.MULTILINE)
"""Headings a numbered run is not: Markdown's `#`, an underlined title, HTML's `<h2>`."""
_SECTIONS_LISTED = 12
"""Numbered headings listed with their titles; a longer list shows its first and last ones."""

_Heading = tuple[int, int, int, str]
"""A numbered heading: its number, where its line starts and ends, the line."""


def _numbered_sections(text: str, asking: str, width: int) -> tuple[list[str], list[tuple[int, int]], int] | None:
    """For a question about a text's sections (clauses, chapters, articles, parts), its numbered
    headings: lines that start with a number (after the same indent, the same word such as
    "Section" if any, and followed by the same mark, "." or ")"), a title after it, numbered
    on from 0 or 1 one by one in text order. The 1.5B, asked how many numbered sections the
    Apache licence has, counted the lines holding the word "sections" and answered 1. Each 0
    or 1 starts a new run; the longest run is taken, so a numbered list inside a section or
    a licence's three clauses before another's list are runs of their own. Titles are cut
    at their first sentence. None when no run of three or more is found, or the question is
    about something else. Last, how many headings the run has: 0 when the run is indented more
    than the text's outermost lines, when another run of three or more numbers restarts (a
    list inside a section, chapters numbering their sections anew), or the text has Markdown
    or reStructuredText headings, which a count of its numbered lines would not count (a
    README's steps, a list inside a licence's first section)."""
    if not _ASKS_SECTIONS.search(asking):
        return None
    runs: dict[tuple[str, str, str], list[_Heading]] = {}
    boxed_next: dict[tuple[str, str, int], tuple[str, str, str]] = {}  # a box goes on the run it numbers on
    best: list[_Heading] = []
    long_runs = 0
    for m in _NUMBERED_HEAD.finditer(text):
        if not m.group(6)[0].isupper():
            continue  # "3 plums": a count, not a heading
        number, word, mark = int(m.group(4)), (m.group(3) or "").lower(), m.group(5)
        key = (m.group(1), word, mark)
        if m.group(2):
            key = boxed_next.get((word, mark, number), key)
        run = runs.get(key, [])
        heading = (number, m.start(), m.end(), m.group(0).rstrip("\r"))
        if run and number == run[-1][0] + 1:
            run.append(heading)
        elif number in (0, 1):
            runs[key] = run = [heading]
        else:
            continue
        boxed_next[(word, mark, number + 1)] = key
        long_runs += len(run) == 3  # each run of three or more, once
        if len(run) > len(best):
            best = run
    if len(best) < 3:
        return None
    picked = best if len(best) <= _SECTIONS_LISTED else best[:6] + best[-3:]
    out = [f"Numbered headings at the start of a line: {len(best)}, {best[0][0]} to {best[-1][0]}"
           + (", the first and last:" if len(picked) < len(best) else ":")]
    for _, _, _, line in picked:
        title = re.split(r"(?<=[a-z)])\. ", line.strip(" \t*|#>"), maxsplit=1)[0]
        out.append(f"   {title[:width]}")
    outermost = min((len(m.group(1)) for m in re.finditer(r"^([ \t]*)\S", text[:_PARSED_UP_TO], re.MULTILINE)),
                    default=0)  # a licence may be indented whole (Apache's sections are at 3 spaces)
    indent = len(best[0][3]) - len(best[0][3].lstrip(" \t"))
    top_level = indent <= outermost and long_runs == 1 and not _OTHER_HEADINGS.search(text)
    return out, [(a, b) for _, a, b, _ in picked], len(best) if top_level else 0


_PER_FILE_SHOWN = 5


def _starts_per_file(text: str, files: list[_FileSpan], words: list[str]) -> list[str]:
    """For a question that ranks ("which module has the most classes"), the unindented lines
    that start with one of its words (the form the text writes most: `class` for "classes"),
    counted per file, when two files or more have such lines and one has two or more: how
    many `class` statements or `ERROR` lines each file has is then read. The word (of the
    question's `words`) whose lines are most is shown, counted as the call shown counts them."""
    if len(files) < 2:
        return []
    firsts = [Counter(m.group(1).rstrip(":") for m in _LINE_START.finditer(text, body, end))
              for _, _, body, end in files]
    every = sum(firsts, Counter())
    best: tuple[int, str, list[tuple[str, int]]] | None = None
    for word in words:
        rx = _stem_rx(word)
        forms = [(n, w) for w, n in every.items() if rx.fullmatch(w)]
        if not forms:
            continue
        form = max(forms)[1]
        per_file = sorted(((f[0], c[form]) for f, c in zip(files, firsts, strict=True) if c[form]),
                          key=lambda fn: -fn[1])
        total = sum(n for _, n in per_file)
        if len(per_file) >= 2 and per_file[0][1] >= 2 and total >= 5 and (best is None or total > best[0]):
            best = (total, form, per_file)
    if best is None:
        return []
    _, form, per_file = best
    shown = ", ".join(f"{f} {n}" for f, n in per_file[:_PER_FILE_SHOWN])
    more = f" (and {len(per_file) - _PER_FILE_SHOWN} other files)" if len(per_file) > _PER_FILE_SHOWN else ""
    return [f"Unindented lines starting with {form!r}, per file: {shown}{more}; "
            f"count_by(lines(r'^{re.escape(form)}\\b'), 'file') counts them."]


def _read(starts: list[int], keys: list[str | int], lo: int, hi: int) -> Read:
    """A range of the joined text as a read of the context: (key, start, end) in its value."""
    if not keys:
        return (None, lo, hi)
    at = max(0, bisect_right(starts, lo) - 1)
    return (keys[at], lo - starts[at], hi - starts[at])


async def first_look(context: ContextValue, question: str, *, orient: bool) -> Orientation:
    """The orientation when `orient` is set, else `NO_LOOK`. The scan runs in a thread: a 40 MB
    context takes about a second, and the event loop goes on."""
    if not orient:
        return NO_LOOK
    return await asyncio.to_thread(orientation, context, question)


_EMPTY_REPRS = frozenset({"[]", "{}", "()", "None", "''", '""', "set()", "Counter()", "Hits([])"})


_NOTHING_FOUND = re.compile(r"^\w+: 0 (?:items?|groups?|lines?)(?:, 0 values)?\s*$|^lines: " + re.escape(_NOT_WRITTEN) + " ")
"""A helper's report of nothing ("count_by: 0 items, 0 values", "group_by: 0 groups", "lines:
the text does not write 'purged' in any form ...")."""


def _empty_line(line: str) -> bool:
    words = line.replace(",", " ").split()
    if not words or line.strip() in _EMPTY_REPRS or _NOTHING_FOUND.match(line.strip()):
        return True
    # "0 []": a count of nothing and the nothing (print(len(rows), rows[:2]) of no rows).
    return all(w in _EMPTY_REPRS or w == "0" for w in words) and any(w in _EMPTY_REPRS for w in words)


def printed_nothing(stdout: str) -> bool:
    """True when a cell's output shows nothing of the text: blank, or only empty containers
    (`[]`, `{}`, `None`, `0 []`): a filter that matched nothing has not looked at the context.
    A lone `0` is something: a count that came out zero."""
    return all(_empty_line(line) for line in stdout.splitlines())
