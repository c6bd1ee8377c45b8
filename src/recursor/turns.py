"""What the loop remembers between a run's turns, and when it sends an answer back unread.

Small roots answer values they never saw: a number after a filter that printed nothing, or a
timestamp copied from the system prompt's example after a search that showed the right line
but not its date. Two checks, each sending an answer back once with what to do instead:

- blind: nothing the run showed of the context yet (no cell printed a line of it, and the
  first look did not show the answer) -> `Prompts.not_looked`;
- unseen: the answer is a value written like a date, time, version or id (digits with
  `-:./+`), or a name or value the system prompt's examples write, and the context holds it
  nowhere -> `Prompts.not_in_context`. Such values are copied from a text, seldom computed;
  a model sure of one can give it again.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Literal

from recursor.context import ContextValue
from recursor.line_kinds import kinds_told
from recursor.look_times import window_asked
from recursor.orient import NO_LOOK, Orientation, everyday, key_shaped, printed_nothing, whole_value
from recursor.prompts import Prompts, short_answer
from recursor.protocol import (
    UNPARSED,
    FinalAnswer,
    assigned_names,
    error_line,
    is_placeholder,
    lone_literal,
    named_token,
    names_an_answer,
    typed_final,
    undefined_name,
    unquoted_final,
)
from recursor.question import (
    ASKS_FILE,
    ASKS_SIZE,
    CHOICE_WORDS,
    COUNTISH,
    HOW_MANY,
    MOST,
    QUALIFIED,
    STATED_LIMIT,
    YES_NO_START,
    answer_options,
    asked_form,
    asking_part,
    asks_for_number,
    asks_yes_no,
    choice_options,
    dotted_versions,
    fits_form,
    in_asked_unit,
    marked_words,
    names_options,
    negated,
    ranks,
    terms_of,
)
from recursor.sandbox.helpers import _STOP, _list_tags, _stem_rx, _tags_note, enclosing, file_spans

__all__ = ["TurnState", "bare_answer", "context_sizes", "echoes_question", "file_names", "new_leads",
           "restates_question", "writes_whole", "written_value"]

_VALUE = re.compile(r"(?=.*\d)[\w]+(?:[-:./+~][\w]+)+")
"""A date, a time, a version, an id: word characters joined by `-:./+~`, with a digit."""


_UNIT_COUNT = re.compile(r"\s*(?P<n>\d{1,3}(?:,\d{3})+|\d+) (?P<unit>[A-Za-z]{3,})\b")
"""An output that starts by counting something: "28 entries", "4 lines match"."""
_NOT_THINGS = frozenset("line lines match matches item items value values time times char chars characters".split())
"""Units an output counts that are never the things asked about: lines and matches (a search's
count), a helper's items and values."""
_FORM_COUNT = re.compile(r"\bColumn \d+ writes '(?P<word>[^'\n]{1,60})' as '(?P<form>[^'\n]{1,60})', "
                         r"on (?P<n>\d+) of the \d+ lines\.")
"""`count_by`'s note on a key that a column writes as a value (`helpers._value_forms`)."""
_RANKED = re.compile(r"^(?:count_by|sum_by): [\d,]+ items?, [\d,]+ values?\n(?P<top>[^\n]{1,100}?): (?P<n1>[\d.,]+)\n"
                     r"(?P<next>[^\n]{1,100}?: (?P<n2>[\d.,]+)\n)?", re.MULTILINE)
"""The head of `count_by`/`sum_by`'s output and its first two ranked lines."""


_COUNTS_HEAD = re.compile(r"^count_by: [\d,]+ items?, [\d,]+ values?\n")
_COUNT_ROW = re.compile(r"^(?P<value>[^\n]{1,100}?): (?P<n>\d[\d,]*)$", re.MULTILINE)
"""`count_by`'s head and its "value: count" rows."""


def _num(text: str) -> float:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return 0.0


def written_value(answer: str) -> str | None:
    """The answer as a value copied from a text (see `_VALUE`), or None for anything else
    (a count, a name, a sentence)."""
    text = answer.strip().strip("\"'`")
    parts = text.split()  # a date and a time: two values
    if len(text) < 6 or len(text) > 80 or len(parts) > 2 or not all(_VALUE.fullmatch(p) for p in parts):
        return None
    if re.fullmatch(r"[-+]?[\d,]*\.?\d+", text):
        return None  # a plain number: often computed (a sum, a mean), not copied
    return text


_ANSWER_WORDS = frozenset("none n/a na unknown nothing nobody yes no true false null nil empty".split())
"""Answers a question may name as what to say when there is none, never the thing asked about."""


_EVEN_WORDS = frozenset("both neither equal same tie even".split())
"""Answers to a question offering two options that name neither and still answer it."""


_INFLECTIONS = ("s", "es", "d", "ed", "ing")


def _names_an_option(answer: str, options: tuple[str, ...]) -> bool:
    """Whether an answer names one of a question's two options in any form ("video types",
    "Video", "v9.1", "warning" for warnings, "succeeded" for succeed, "b2" for b2.txt), or, in
    three words or as its first, says both, neither, yes or no ("They are equal"). A count
    ("2004" for 200, "9.10" for 9.1) names none."""
    low_answer = answer.lower()
    words = re.findall(r"\w+(?:[.-]\w+)*", low_answer)
    said = set(words) if len(words) <= 3 else set(words[:1])
    if said & (_ANSWER_WORDS | _EVEN_WORDS):
        return True
    for option in options:
        low = option.lower()
        if re.search(r"(?<![\w.])v?" + re.escape(low) + r"(?!\w|\.\d)", low_answer):
            return True
        stem, dot, _ = low.partition(".")
        if dot and len(stem) >= 2 and re.fullmatch(r"[a-z][\w-]*", stem) and stem in words:
            return True  # "b2" for b2.txt
        if low.isalpha():  # one is the other inflected: "succeeded" for succeed, "GETs" for GET
            for word in words:
                if word.isalpha() and any(word == low + end or low == word + end for end in _INFLECTIONS):
                    return True
    return False


def writes_whole(text: str, value: str) -> bool:
    """Whether `text` writes `value` whole, spacing aside: "993" of "993/tcp" and "0x0452" of
    the key `0x0452: "cy_GB"`, never "max_connections" of "max_connections: 100", "10" of
    "100" or "10:30", "2.2.4" of "2.2.40-1.1", "000" of "1,000" nor "libssl3" of
    "libssl3:amd64"."""
    spaced = " ".join(value.split())
    # A key before ": value" only when it holds a digit (0x0452, 404): "max_connections" of
    # "max_connections: 100" is the name asked about, not its value.
    keyed = "" if any(ch.isdigit() for ch in spaced) else "|:"
    whole = re.compile(r"(?<![\w.:/+~-])(?<!\d,)" + re.escape(spaced) + rf"(?![\w+~-]|:\S{keyed}|\.\w|,\d)")
    return whole.search(" ".join(text.split())) is not None


def bare_answer(answer: str) -> str:
    """The answer without quotes, backticks and a closing period ("`PyDLL`." -> PyDLL)."""
    return answer.strip().rstrip(".").strip().strip("\"'`").strip()


def echoes_question(answer: str, question: str) -> bool:
    """Whether the answer is one of the question's own terms ("Where is `PyDLL` defined? Name
    the module." -> PyDLL): what the question asks about is not what it asks for. Terms are
    read as the look reads them (`libc6:amd64`, `json.dumps`, `error.log` whole, so "json" is
    no echo of `json.dumps`). Not for a question that offers its answer's options ("X or Y",
    "which of", "vs", "e.g.", a comma list), a yes/no question, an answer the question quotes,
    or an answer word like "none"; the statements about the context and the answer's form do
    not count."""
    value = bare_answer(answer)
    words = value.split()
    if not 3 <= len(value) <= 80 or not re.search(r"[A-Za-z]", value) or len(words) > 4:
        return False
    asking = asking_part(question)
    if (value.lower() in _ANSWER_WORDS or CHOICE_WORDS.search(asking) or YES_NO_START.match(asking) or names_options(question)
            or re.search(r"[\"'\u201c\u2018]" + re.escape(value) + r"[\"'\u201d\u2019]", question, re.IGNORECASE)):
        return False
    terms = [t.lower() for t in terms_of(asking)]
    want = [w.lower() for w in words]
    return any(terms[i:i + len(want)] == want for i in range(len(terms) - len(want) + 1))


_ABOUT_ASKING = frozenset("question asks asked ask answer number count value find".split())
"""Words a reply uses to talk about the question rather than answer it."""


def restates_question(prose: str, question: str) -> bool:
    """Whether a reply in words mostly repeats the question ("The question asks for the number
    of ... entries signed in the years 2020 to 2022."): four in five of its words (stop-words
    and words about asking aside) are the question's, so it states no answer to offer back."""
    asked = {w.lower() for w in terms_of(question)}
    words = [w for w in (t.lower() for t in terms_of(prose)) if w not in _ABOUT_ASKING and w not in _STOP]
    return len(words) >= 4 and sum(w in asked for w in words) >= 0.8 * len(words)


def _from_examples(answer: str, prompts: Prompts) -> bool:
    """Whether the answer is a name or value the system prompt's examples write (a 1.5B
    answered "Dana Ruiz", an example's on-call person, to a question about a changelog): with
    the context holding it nowhere, it was copied, not read."""
    value = answer.strip().strip("\"'`")
    if len(value) < 4 or value.isdigit():
        return False  # "6", "yes", 1206: too common to tell
    rx = re.compile(r"(?<![\w-])" + re.escape(value) + r"(?![\w-])")
    return any(rx.search(prompts.system(can_recurse=r)) for r in (False, True))


_LINES_CALL = re.compile(r"""\blines\(\s*r?(["'])(.+?)\1\s*\)""")
_SLICED = re.compile(r"\[\s*:\s*(\d{1,3})\s*\]")
"""A cell's `[:n]`: it prints n of the items it found."""
_LEADING_COUNT = re.compile(r"\s*(?:count_by: |sum_by: )?(\d{1,3}(?:,\d{3})+|\d+)\b(?!\s*\|)")
"""The number an output starts with: `print(len(rows), rows[:2])`'s count (not a numbered
line), or the items a helper's summary counts (`count_by: 14 items, 1 values`)."""


def _term_searched(code: str, question: str, looked_up: tuple[str, ...] = ()) -> str | None:
    """The question's own term that a cell's one `lines("term")` call filters by, if any: a
    term it writes, or one the first look searched for it (`looked_up`: "2026-09-22" for "22
    September 2026")."""
    calls = _LINES_CALL.findall(code)
    if len(calls) != 1:
        return None
    term = re.sub(r"\\b|[\^$]", "", calls[0][1]).replace("\\", "").strip()
    asked = term.lower() in question.lower() or term.lower() in {w.lower() for w in looked_up}
    return term if len(term) >= 3 and asked else None


def _keys_within(code: str, question: str, looked_up: tuple[str, ...]) -> list[str]:
    """The question's key-shaped terms with a digit (an id, a time, a version: `key_shaped`;
    not "end-of-life", which names what is counted) that a cell's one `lines()` call writes
    inside a longer pattern, the longest first: the 1.5B searched
    "Start-Date: 2026-12-06  08:58:48" for the run "that started at 08:58:48", and answered
    the 1 line it found. A term is taken for the count only once the lines holding it are
    counted again and are as many (the day is on 28 lines, the time on that one)."""
    calls = _LINES_CALL.findall(code)
    if len(calls) != 1:
        return []
    pattern = calls[0][1].replace("\\", "").lower()  # "1\.2\.3" searches 1.2.3
    return sorted((w for w in looked_up if len(w) >= 5 and key_shaped(w) and any(c.isdigit() for c in w)
                   and w.lower() in pattern and w.lower() in question.lower()), key=len, reverse=True)


def _printed_messages(code: str, stdout: str) -> set[str]:
    """The sentences a cell's code writes as string literals and its output shows ("No apt runs
    found."), lowered and without closing punctuation: the code's own words, never the text's.
    Two words at least; code that does not parse writes none."""
    try:
        tree = ast.parse(code)
    except UNPARSED:
        return set()
    said = {_said(node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in stdout}
    return {text for text in said if len(text.split()) >= 2 and re.search(r"[A-Za-z]{2}", text)}


def _said(text: str) -> str:
    return " ".join(text.split()).rstrip(".!:;,").strip().lower()


_FIRST_LISTED = re.compile(r"""\s*(?:\d[\d,]*\s+)?\[(['"])(.*?)(?<!\\)\1\s*[,\]]""")
"""A printed list of lines and its first item: `print(len(rows), rows[:2])` or `print(rows[:3])`."""
_NO_MATCH = re.compile(r"^lines: no line matches .*; [\d,]+ lines write it", re.MULTILINE)
"""A helper's note that a `lines` search matched nothing though the text writes the word
otherwise (not that the text writes it nowhere, where 0 may well be the answer)."""
_RANKED_BY_CODE = re.compile(r"\b(?:sort|sorted|max|min|most_common|top|count_by|sum_by|nlargest|nsmallest)\b")
"""Code that orders what it prints: its first item may well be the most of something."""
_NUMBERS = re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)|\d+")
_WHOLE_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")


def context_sizes(context: ContextValue) -> frozenset[int]:
    """The sizes the first message and the first look state of the context: its characters in
    all and per text (of a few), and its lines (counted as the look counts them, or one
    fewer). They describe the text, and answer few questions about what it says."""
    texts = _texts(context)
    sizes = {sum(map(len, texts))} | ({len(t) for t in texts} if len(texts) <= 10 else set())
    lines = sum(t.count("\n") for t in texts)
    return frozenset(sizes | {lines, lines + 1, lines + len(texts)})


def _texts(context: ContextValue) -> list[str]:
    """The context's texts: itself, or a dict's or list's str values."""
    values = [context] if isinstance(context, str) else list(context.values() if isinstance(context, dict) else context)
    return [text for text in values if isinstance(text, str)]


def _holds(context: ContextValue, value: str, *, any_case: bool = False) -> bool:
    """Whether the context writes `value` (a value with spaces also with other spacing; with
    `any_case`, in any case too)."""
    if any_case:
        rx = re.compile(r"\s+".join(map(re.escape, value.split())), re.IGNORECASE)
        return bool(value.strip()) and any(rx.search(text) is not None for text in _texts(context))
    return any(value in text or (" " in value and " ".join(value.split()) in " ".join(text.split()))
               for text in _texts(context))


def text_size(context: ContextValue) -> int:
    """The characters of the context's texts."""
    return sum(map(len, _texts(context)))


def times_written(context: ContextValue, word: str, most: int) -> int:
    """How often the context writes `word` as a whole word, in any case, counted up to `most` + 1."""
    rx = re.compile(r"(?<![\w])" + re.escape(word) + r"(?![\w])", re.IGNORECASE)
    found = (m for text in _texts(context) for m in rx.finditer(text))
    return sum(1 for _ in islice(found, most + 1))


_ASKS_WHAT = re.compile(r"^\W*(?:(?:and|so|then|now|also)\s+)?(?:what|which|who|whose|where)\b|[,;:]\s*(?:what|which|who)\b",
                        re.IGNORECASE)
"""A question that asks what or which (a launch code, a port), not how often: answered with a
count of the lines naming its subject, it gets no count back even when it wants a number."""


_LINE_ANSWER_CHARS = 400
"""The longest answer checked for being a whole line of the context."""
_ASKS_TEXT = re.compile(r"\b(?:lines?|sentences?|messages?|quotes?|quoted|texts?|titles?|descriptions?|wording|"
                        r"phrases?|says?|said|strings?|comments?|headings?|summary|entry|signatures?|definitions?|"
                        r"errors?|warnings?|exceptions?|declarations?|statements?|expressions?|formula|commands?|"
                        r"invocations?|reasons?|explanation|notes?|address|paths?|url|command[- ]line|usage|syntax|"
                        r"do|does|did|mean|means|meaning|purpose|describe|describes|explain|explains|say)\b",
                        re.IGNORECASE)
"""A question asking for a line or some text of the context, which a whole line may answer."""
_CODE_LIKE = re.compile(r"[=:{}\[\]()<>;]")
"""A line of code, a definition or a record (`name = ...`, `key: value`), not a sentence."""
_OTHER_THAN = re.compile(r"\b(?:other|others|else|besides|except|excluding|apart|same|than|before|after|next|"
                         r"previous|preceding|following|instead|unlike|rather)\b", re.IGNORECASE)
"""A question whose answer is about something beside its subject: "which other host", "after db-02"."""
_SUBJECT_WORDS = 3
"""The look's first words (the rarest) that may name what the question asks about."""
_PRINTED_ITEM = re.compile(r"\n|', '|\", \"")
"""Where one printed line or list item ends and the next begins (`print(rows[:2])` prints one line)."""
_LIST_ENDS = re.compile(r"^\s*\d*\s*\[?['\"]|['\"]\]?\s*$")
"""A printed list's brackets and quotes around its first or last item."""


def _alike(a: str, b: str) -> bool:
    """Whether two printed lines are of one kind: most of their words (digits aside) shared."""
    wa, wb = ({w.lower() for w in re.findall(r"[A-Za-z]{2,}", x)} for x in (a, b))
    return len(wa) >= 2 and len(wb) >= 2 and bool(wa & wb) and len(wa & wb) * 3 >= 2 * max(len(wa), len(wb)) - 2


_WINDOW_TOLD = re.compile(r"(?P<n>\d[\d,]*) of its [\d,]+ timed lines are from .*\n(?:.*\n){0,3}?They are "
                          r"(?P=n) lines of (?P<kinds>\d+) kinds")
"""The first look's window of time and its kinds of line: "1,162 of its 4,074 timed lines are from
02:30 through 02:59 ...", "They are 1,162 lines of 19 kinds"."""
_COUNTS_LINES = re.compile(r"\bhow\s+many\s+(?:[\w-]+\s+){0,2}?(?:lines|entries|records|log\s+lines|events|messages)\b",
                           re.IGNORECASE)
"""A question that counts a window's lines themselves: its total is the answer."""
_FEW_LINES = 30
"""At most this many lines hold a term that picks out a part of the text (`TurnState.unfiltered`)."""


def _matching_lines(context: ContextValue, rx: re.Pattern[str]) -> Iterator[tuple[str, int, int]]:
    """Each line of the context that `rx` matches, as (its text, start, end): a search per
    line that matches, so a rare word costs little in any size of text."""
    for text in _texts(context):
        at = 0
        while (m := rx.search(text, at)) is not None:
            hi = text.find("\n", m.end())
            hi = len(text) if hi < 0 else hi
            yield text, text.rfind("\n", 0, m.start()) + 1, hi
            at = hi + 1


def _plain_value(value: str) -> str:
    """A value as compared with another: "34,155" is 34155, and a statement's ";" is no part of it."""
    return value.strip().rstrip(";.").replace(",", "").lower()


def _lines_holding(context: ContextValue, word: str, most: int) -> int:
    """How many lines of the context hold `word`, in any case, counted up to `most` + 1; an
    acronym ("ISO") only in capitals: "iso", a language's code, is no mention of it."""
    acronym = len(word) >= 2 and word.isalpha() and word.isupper()
    lines = _matching_lines(context, re.compile(re.escape(word), 0 if acronym else re.IGNORECASE))
    return sum(1 for _ in islice(lines, most + 1))


def _kinds_of(context: ContextValue, term: str, count: int) -> list[str]:
    """The kinds of the lines holding `term` as `lines(term)` finds them (its text anywhere in a
    line, in any case), by `line_kinds.kinds_told` less its head row, when they are `count`
    lines: what a count of them may have meant."""
    if count > _KINDS_READ:
        return []
    found = _matching_lines(context, re.compile(re.escape(term), re.IGNORECASE))
    lines = [text[lo:hi] for text, lo, hi in islice(found, count + 1)]
    return kinds_told(term, lines, _KINDS_WIDTH)[1:] if len(lines) == count else []


_Listed = tuple[str, int, list[tuple[str, int]]]
"""A record's `Key: a, b, c` list: its key, its size, its tags with their counts (`helpers._list_tags`)."""


def _record_lists(context: ContextValue, term: str, count: int) -> list[_Listed]:
    """The `Key: a, b, c` lists of the records around the `count` lines holding `term` (at
    most `_LISTS_READ` of them; a line that stands alone is its own record), each with its
    size and how many of its items carry each tag word (`helpers._list_tags`): ("Install", 19,
    [("automatic", 15)]). Told the 1 it gave was how many lines hold
    the run's start time, the 1.5B gave 1 again; the count it was asked for is in that line's
    record, in a list cut where the look showed it. Each record's lists are told, the same
    list of two records twice."""
    if not 0 < count <= _LISTS_READ:
        return []
    found = list(islice(_matching_lines(context, re.compile(re.escape(term), re.IGNORECASE)), count + 1))
    if len(found) != count:
        return []
    told: list[_Listed] = []
    records: set[tuple[int, int]] = set()
    for text, lo, hi in found:
        file_lo, file_hi = next(((body, end) for _, _, body, end in file_spans(text) if body <= lo < end), (0, len(text)))
        spans = enclosing(text, lo, file_lo, file_hi) or [(lo, hi)]
        if (id(text), spans[0][0]) in records:
            continue  # two hits in one record
        records.add((id(text), spans[0][0]))
        told += [listed for a, b in spans if (listed := _list_tags(text[a:b])) is not None]
    return told[:_LISTS_TOLD]


def _list_offer(lists: Sequence[_Listed], question: str) -> tuple[str, str] | None:
    """The count to offer of one record's `lists` (`_record_lists`): the items marked with a tag
    the question writes, in the list whose key it writes too ("newly installed packages pulled
    in automatically": 15 marked 'automatic' of the Install list). None when the question
    leaves a tag out (`question.negated`: "not automatically", "excluding automatic ones"),
    names no such tag, or names several; a list's size alone is never offered ("how many seconds did the run that
    installed lib0 take" names the Install list too)."""
    asking = asking_part(question)
    words = [w.lower() for w in re.findall(r"[A-Za-z]{3,}", asking) if w.lower() not in _STOP]
    left_out = [w for w in negated(asking) if w.isalpha()]

    def named(word: str, among: Sequence[str]) -> bool:
        rx = _stem_rx(word)
        return any(rx.fullmatch(w) or (len(word) >= 5 and w.startswith(word.lower())) for w in among)

    offers = {(str(k), f"items marked {w!r} in its {key} list")
              for key, _, tags in lists if named(key, words) for w, k in tags if named(w, words)}
    if any(named(w, left_out) for _, _, tags in lists for w, _ in tags):
        return None  # "installed manually, not automatically", "excluding automatic ones"
    return offers.pop() if len(offers) == 1 else None


_LISTS_READ = 3
_LISTS_TOLD = 4

_KINDS_READ = 20_000
_KINDS_WIDTH = 160


def _used(term: str, code: str) -> bool:
    """Whether lowered `code` uses `term` or a piece of it: a piece of two characters or more
    between its punctuation ("16:49" of "16:49:20"), or its first four ("libpq" in a regex)."""
    pieces = [p for p in re.split(r"[\W_]+", term.lower()) if len(p) >= 2 and p != term.lower()]
    return term.lower() in code or term.lower()[:4] in code or any(p in code for p in pieces)


def _holds_word(context: ContextValue, word: str) -> bool:
    """Whether the context writes `word` as a whole word ("Result" is not in "Results")."""
    rx = re.compile(r"(?<![\w])" + re.escape(word) + r"(?![\w])")
    return any(rx.search(text) is not None for text in _texts(context))


_FILES_NAMED = 3


def _file_parts(context: ContextValue) -> list[tuple[str, str | None, int, int]]:
    """The context's files as (name, text, start, end), unsliced: a dict's keys with their values
    (None for one that is not text), or the files a text joins under `# File:` lines, each the
    body of its span in the whole text."""
    if isinstance(context, dict):
        return [(str(k), v if isinstance(v, str) else None, 0, len(v) if isinstance(v, str) else 0)
                for k, v in context.items()]
    return [(name, context, body, end) for name, _, body, end in file_spans(context)] if isinstance(context, str) else []


def _file_names(context: ContextValue) -> list[str]:
    """The names of the context's files (`_file_parts`)."""
    return [name for name, *_ in _file_parts(context)]


def file_names(path: str) -> tuple[str, str, str]:
    """The names a user asks a file by: its path, the path without the extension, and the
    module it is ("ctypes/__init__.py" -> "ctypes/__init__.py", "ctypes", "ctypes")."""
    stem = re.sub(r"(?:/__init__)?\.\w{1,4}$", "", path)
    return path, stem, stem.strip("/").replace("/", ".")


def _files_holding(context: ContextValue, word: str) -> tuple[str, ...]:
    """The files (`_file_parts`) that write `word` as a whole word, when 1 to `_FILES_NAMED` do
    and others do not: which module defines a class is then said where the model sent back
    its name."""
    if len(word) < 3:
        return ()
    rx = re.compile(r"(?<![\w])" + re.escape(word) + r"(?![\w])", re.IGNORECASE)  # as echoes are read
    parts = [(name, text, a, b) for name, text, a, b in _file_parts(context) if text is not None]
    holding = tuple(name for name, text, a, b in parts if rx.search(text, a, b) is not None)
    return holding if 0 < len(holding) <= _FILES_NAMED and len(holding) < len(parts) else ()


def _lines_with(context: ContextValue, term: str, others: Sequence[str]) -> tuple[str, ...]:
    """The few lines (`_WITH_SHOWN` at most, else none) that write `term` with another of the
    question's words, each whole: "inherits from both the Titular and the General mixin" is
    answered on the line `class rubric(Titular, General, TextElement)`, by its other name."""
    if len(term) < 3 or not others:
        return ()
    rx = re.compile(r"(?<![\w])" + re.escape(term) + r"(?![\w])", re.IGNORECASE)
    other = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(w) for w in others) + r")(?![\w])", re.IGNORECASE)
    found: list[str] = []
    for text in _texts(context):
        seen = -1  # where the last line read ends: a line's matches after its first are skipped
        for m in islice(rx.finditer(text), _WITH_READ):
            if m.start() < seen:
                continue
            # Read at most `_WITH_LINE` characters each way: a minified file is one long line.
            lo = max(0, m.start() - _WITH_LINE)
            start = text.rfind("\n", lo, m.start()) + 1 or lo
            end = text.find("\n", m.end(), m.end() + _WITH_LINE)
            end = end if end >= 0 else min(len(text), m.end() + _WITH_LINE)
            seen = end
            line = text[start:end].strip()
            if other.search(line) and line not in found:
                found.append(line)
                if len(found) > _WITH_SHOWN:
                    return ()
    return tuple(found)


_WITH_SHOWN = 3
"""Lines holding an echoed term with another of the question's words, told at most."""
_WITH_READ = 2_000
"""Matches of an echoed term read for those lines."""
_WITH_LINE = 200
"""Characters of a line read each way from the echoed term: a longer line is told in part."""


Check = Literal["blind", "empty", "unseen", "form", "echo", "size", "term_count", "typed", "unfiltered", "window", "choice",
                "first", "zero", "sliced",
                "read_again", "held", "unit", "computed", "read_instead", "subject", "line"]
"""A check that sends an answer back with a note, at most once a run: a model sure of its
answer gives it again and it stands. "empty" is shared by an empty result and the code's own
message (`TurnState.own_message`): both say nothing was found."""


@dataclass(slots=True)
class TurnState:
    """What the loop remembers between turns of one run."""

    looked: bool = False  # a cell has printed something of the context
    sent_back: set[Check] = field(default_factory=set)  # the checks that have sent an answer back (each once a run)
    messages: set[str] = field(default_factory=set)  # sentences the code wrote and printed (`_printed_messages`)
    printed: set[str] = field(default_factory=set)  # the numbers the cells have printed
    printed_new: set[str] = field(default_factory=set)  # those the last cell printed for the first time
    context: ContextValue = ""  # what the run reads: where an echoed term is written, its sizes
    term_counts: dict[str, str] = field(default_factory=dict)  # a count a cell printed -> the question's term it counted
    numbers_doubted: set[str] = field(default_factory=set)  # numbers a check on numbers has sent back
    uncounted: str = ""  # a count of a term's lines sent back for a question that asks no count
    errors: int = 0  # consecutive turns in which nothing worked
    seen_code: set[str] = field(default_factory=set)
    shown: Orientation = NO_LOOK  # the first look: an answer read there was seen
    offered: str | None = None  # an output offered back as the exact FINAL line
    echo: str = ""  # the question's own term the echo note sent back (`echoed`), lowercased
    look_read: str | None = None
    """The value offered in the first message as read in the look: what the look computed for
    the question (`Orientation.counted`) or a reader read in its lines (`recursor.look_reader`).
    Given back before any code ran, it was read, not guessed."""
    last_error: str = ""  # the last line of the previous cell's error ("" when it ran)
    question: str = ""  # its words are no new lead in an output
    substituted: int = 0  # blocks replaced by an untried search (`run_instead_of_repeats`)
    told: list[str] = field(default_factory=list)  # the run's last notes to the model (`heard`)
    first_listed: str = ""  # the first item of a list the last cell printed, in the text's order (`_FIRST_LISTED`)
    missed: bool = False  # the last cell's search matched no line (`_NO_MATCH`)
    last_output: str = ""  # what the last cell that printed anything printed
    helper_notes: set[str] = field(default_factory=set)  # every helper's note printed in the run, spaced once
    sliced: tuple[str, str] | None = None  # the last output's `[:n]` and the count it starts with (`sliced_count`)

    @property
    def look_computed(self) -> str | None:
        """The value offered in the first message that the look computed (`Orientation.counted`),
        not one a reader read in its lines; None when there is none."""
        return self.look_read if self.look_read and self.look_read == self.shown.counted else None

    @property
    def found_any(self) -> bool:
        """Whether the run has seen lines for the question: a cell printed some of the context,
        or the first look found some of the question's words in it."""
        return self.looked or bool(self.shown.words)

    @property
    def stuck(self) -> bool:
        """Whether the model has repeated itself often enough that more turns only cost time:
        over 120 realdocs runs of the 1.5B, no right answer came after a second block was
        replaced (32 wrong runs went on to max_iterations, up to 240 s each)."""
        return self.substituted >= STUCK_AFTER

    def saw_cell(self, prompts: Prompts, stdout: str, error: str | None, code: str = "") -> None:
        """Note a cell's output: with `looking_needs_output`, an empty one shows nothing."""
        self.looked |= not prompts.looking_needs_output or (not error and not printed_nothing(stdout))
        numbers = {n.replace(",", "") for n in _NUMBERS.findall(stdout)}
        self.printed_new = numbers - self.printed
        self.printed |= numbers
        if not error and (m := _LEADING_COUNT.match(stdout)):
            count = m.group(1).replace(",", "")
            if term := _term_searched(code, self.question, self.shown.words):
                self.term_counts.setdefault(count, term)
            elif 0 < len(count) <= 6 and int(count) > 0 and (
                    term := next((w for w in _keys_within(code, self.question, self.shown.words)
                                  if _lines_holding(self.context, w, int(count)) == int(count)), None)):
                self.term_counts.setdefault(count, term)
        if prompts.looking_needs_output and code and stdout:
            self.messages |= _printed_messages(code, stdout)
        if error or not printed_nothing(stdout):  # a block of just FINAL(...) prints nothing: the output before stands
            self.last_output = stdout
            self.helper_notes |= {" ".join(line.split()).lower().strip(_ENDS) for line in stdout.splitlines()
                                  if _HELPER_NOTE.search(line)}
            lead, cut = _LEADING_COUNT.match(stdout), _SLICED.search(code)
            self.sliced = (cut.group(1), lead.group(1).replace(",", "")) if lead and cut and not error else None
            m = _FIRST_LISTED.match(stdout) if not error and _RANKED_BY_CODE.search(code) is None else None
            self.first_listed = m.group(2) if m is not None else ""
            self.missed = not error and _NO_MATCH.search(stdout) is not None

    def offer(self, prompts: Prompts, stdout: str, code: str = "", context: ContextValue = "") -> str | None:
        """The note under an output that answers the question as asked, offering its value as
        the FINAL line (`ranked_top`, `counted`, `form_counted`, `one_value`), or None (and no
        earlier offer stands)."""
        self.offered = None
        return (self.held(prompts, code) or self.ranked_top(prompts, stdout) or self.named_value(prompts, stdout)
                or self.counted(prompts, stdout, code)
                or self.form_counted(prompts, stdout, code) or self.one_value(prompts, stdout, code, context)
                or self.read_again(prompts, stdout))

    def held(self, prompts: Prompts, code: str, block: str = "") -> str | None:
        """The note under code that assigned the name the look's start leaves the answer in
        (`Orientation.holds`): answer with that name. Shown the start's output, which ends with
        the first pairs it made, the 1.5B answered the first pair alone. Not when `block`, the
        model's own code run after the start, assigns that name itself: it holds the model's
        value then, not the start's."""
        name = self.shown.holds
        if (not name or not prompts.looking_needs_output or "held" in self.sent_back
                or name not in assigned_names(code) or name in assigned_names(block)):
            return None
        self.sent_back.add("held")  # once: said again under each later block, it is noise
        return prompts.holds_answer(name)

    def read_again(self, prompts: Prompts, stdout: str) -> str | None:
        """The note under an output that writes, whole, the value read in the look's lines
        (`look_read`): that value, offered again as the FINAL line. Offered 0 for the default
        of `maxsplit`, the 1.5B printed the line `def split(pattern, string, maxsplit=0,
        flags=0)` and answered 3, the number of lines it printed. Once a run, and only from a
        line that also holds one of the question's words."""
        value = self.look_read
        if value is None or "read_again" in self.sent_back or printed_nothing(stdout):
            return None
        words = [w.lower() for w in self.shown.words]  # the line writing it is about the question
        if not any(writes_whole(line, value) and any(w in line.lower() for w in words) for line in stdout.splitlines()):
            return None
        self.sent_back.add("read_again")  # once: a wrong reading is not pushed turn after turn
        self.offered = value
        return prompts.read_again(value)

    def one_value(self, prompts: Prompts, stdout: str, code: str, context: ContextValue) -> str | None:
        """The note under an output of code that names the question's rarest word, for a small
        root whose question asks for a version, when every line of the context holding
        that word writes one and the same version and the output shows it: that
        value, offered as the FINAL line. Asked which xxd version dpkg last set up, the 1.5B
        was shown the 7 xxd lines, all of one version, printed them, and then searched each
        other word of the question until max_errors. Two values (an upgrade's old and new
        version) or a word on many lines offer nothing: which one is a question to answer.
        The offer says "if the question asks for that version": asked for gnupg's version
        when xxd was installed, the rarest word is xxd and its one version is not the answer."""
        form = asked_form(self.question)
        if not prompts.looking_needs_output or form != "a version" or not self.shown.words:
            return None
        rare = self.shown.words[0]
        if rare.lower() not in code.lower() or printed_nothing(stdout):
            return None
        found = _values_on_lines(context, rare, _VERSION)
        if found is None or len(found[0]) != 1 or (value := next(iter(found[0]))) not in stdout:
            return None
        self.offered = value
        return prompts.one_value(value, rare, form, found[1])

    def form_counted(self, prompts: Prompts, stdout: str, code: str = "") -> str | None:
        """The note under a helper's "Column 2 writes 'configured' as 'configure', on 1 of the 7
        lines." (`count_by` by a word that is a column's value, not a field), when that word is
        the question's, which asks how many, no other column writes it, and the cell's `code`
        names another word of the question that the look showed (when it shows one; else the
        count may be every line's): that count, offered as the FINAL line. The 1.5B ran
        `count_by(rows, "configured")` on dmsetup's lines three times, for "how many times was
        dmsetup configured", and then nothing."""
        asking = asking_part(self.question)
        if not prompts.looking_needs_output or HOW_MANY.search(asking) is None:
            return None
        found = list(_FORM_COUNT.finditer(stdout))
        if len(found) != 1 or QUALIFIED.search(asking):
            return None  # no such note, or the word in two forms ('installed' and 'install'): which one?
        m = found[0]
        if not re.search(rf"\b{re.escape(m['word'])}\b", asking, re.IGNORECASE):
            return None
        others = [word.lower() for word in self.shown.words if word.lower() != m["word"].lower()]
        if others and not any(_used(word, code.lower()) for word in others):
            return None  # counted over every line, not the lines of what the question names
        self.offered = m["n"]
        return prompts.counted_first(m["n"], f"line{'s' if m['n'] != '1' else ''} writing {m['form']!r}")

    def counted(self, prompts: Prompts, stdout: str, code: str = "") -> str | None:
        """The note under an output that starts with a count of the very things a small root's
        question asks how many of ("28 entries" for "how many entries does the changelog of
        libpulse0 have"), from code that names the question's rarest word: that count, offered
        as the FINAL line. The 1.5B printed "28 entries" and "count_by: 28 items" for that
        question and ran the same calls until max_errors. Not offered: a count of anything
        else ("514 lines" for "how many packages"), of lines or matches (grep counts matches;
        `doubted` judges line counts), code that does not name the rarest word (a total over
        every file), or a question that compares or qualifies ("how many more", "distinct")."""
        asking = asking_part(self.question)
        if not prompts.looking_needs_output or (asked := HOW_MANY.search(asking)) is None:
            return None
        rare = self.shown.words[0].lower() if self.shown.words else ""
        if QUALIFIED.search(asking) or (rare and rare not in code.lower()):
            return None
        m = _UNIT_COUNT.match(stdout)
        if m is None or m.group("unit").lower() in _NOT_THINGS or not any(
                _stem_rx(word).fullmatch(m.group("unit")) for word in asked.group("what").split() if word.lower() not in _STOP):
            return None
        self.offered = m.group("n").replace(",", "")
        return prompts.counted_first(self.offered, m.group("unit"))

    def named_value(self, prompts: Prompts, stdout: str) -> str | None:
        """The note under `count_by`'s counts, for a small root whose question asks how many
        have one value the question writes ("how many times did a process end with exit code
        7"): that value's count, offered as the FINAL line. Shown "7;: 29" as the fourth of
        seven counts, the 1.5B answered the first, 153. A value is the question's when it is
        written there as a whole token (a count's value "7;" as the text's column writes it, its
        trailing punctuation aside), and one value only; not when the question writes another
        key (an id, a name with digits) that the counts may not be filtered by, nor for a
        question that compares or qualifies."""
        asking = asking_part(self.question)
        if not prompts.looking_needs_output or HOW_MANY.search(asking) is None or QUALIFIED.search(asking):
            return None
        head = _COUNTS_HEAD.match(stdout)
        if head is None:
            return None
        counts = [(m.group("value").strip().rstrip(";,:.)").lstrip("("), m.group("n"))
                  for m in _COUNT_ROW.finditer(stdout, head.end())]
        named = [(value, n) for value, n in counts if value and writes_whole(asking.lower(), value.lower())]
        if len(named) != 1:
            return None
        bare, n = named[0]
        keys = [w for w in re.findall(r"[\w.:/-]+", asking) if key_shaped(w) and w.strip(".:") != bare]
        if keys:
            return None  # "how many times did fetcher_1 exit with code 7": counted over every process?
        self.offered = n.replace(",", "")
        return prompts.counted_first(self.offered, f"for {bare!r}, the value the question names")

    def ranked_top(self, prompts: Prompts, stdout: str) -> str | None:
        """The note under counts that rank (`count_by`/`sum_by`'s output), for a small root whose
        question asks for the most of something: the first value, offered as the FINAL line
        (and taken when written as a block, `taken_offer`). The 1.5B printed "Samuel Thibault:
        44" first for "who signed the most entries", then ran the same calls until max_errors."""
        if not prompts.looking_needs_output or not MOST.search(asking_part(self.question)):
            return None
        m = _RANKED.search(stdout)
        if m is None or (m.group("next") is not None and _num(m.group("n2")) >= _num(m.group("n1"))):
            return None  # no counts, or a tie at the top: nothing ranks first
        self.offered = m.group("top").strip()
        return prompts.ranked_first(self.offered, m.group("n1"))

    def read_in_passage(self, answer: str) -> bool:
        """Whether an answer given before any code ran was read in a passage the look showed
        whole (`Orientation.passages`): a value of 3+ characters it writes whole ("48K", not
        the "1" of "-1"), or a yes or no to a question asking just that (`asks_yes_no`),
        judged from the paragraph about it."""
        if not self.shown.passages:
            return False
        bare = bare_answer(answer).strip("\"'`. ")
        if bare.lower() in ("yes", "no") and asks_yes_no(self.question):
            return True
        return self.shown.passage_writes(bare)

    def read_in_look(self, final: FinalAnswer) -> bool:
        """Whether a FINAL written after a block, before its output, was read in the first look:
        a value of 4+ characters that a line the look shows writes whole (not "2024" of
        "2024-05-01"), for a question that does not ask for a count (a count is computed; the
        numbers a look shows are mostly sizes). The 1.5B read "The most Install items: 167 in
        entry 3 (Start-Date: 2025-06-24  14:37:36)" there, wrote a block to check it and FINAL
        with that date; the block failed, and the answer, cut with the rest of the reply, was
        lost. It is as grounded as a FINAL alone naming a value the look showed."""
        value = final.value.strip().strip("\"'`")
        if (final.kind != "text" or len(value) < 4 or "\n" in value or is_placeholder(value)
                or asks_for_number(self.question)):
            return False
        whole = whole_value(value)  # "2025-06-24  14:37:36" as logs space it
        return any(whole.search(line) for line in self.shown.shown)

    def send_back(self, answer: str, prompts: Prompts, context: ContextValue) -> str | None:
        """The feedback for an answer given in a turn without code, or None to accept it."""
        if self.copies_a_note(answer):
            return prompts.copied_note(bare_answer(answer))  # never an answer: every time
        # The value read in the look's lines and offered is no guess; the other checks still run.
        offered = bare_answer(answer) in (self.look_read, self.offered)  # a line the run itself offered
        if (not self.looked and "blind" not in self.sent_back and not self.shown.shows(answer)
                and not offered and not self.read_in_passage(answer)):
            self.sent_back.add("blind")
            self.heard(note := prompts.not_looked())
            return note
        if (empty := self.empty_result(answer, prompts)) is not None:
            return empty
        small = prompts.looking_needs_output and "unseen" not in self.sent_back
        value = written_value(answer) if small else None
        if value is None and small and _from_examples(answer, prompts):
            value = answer.strip().strip("\"'`")
        if value is not None and not offered and not _holds(context, value):
            self.sent_back.add("unseen")
            return prompts.not_in_context(value)
        return self.doubted(answer, prompts)

    def empty_result(self, answer: str, prompts: Prompts) -> str | None:
        """The feedback, once per run, for an answer that is an empty result (`FINAL([])`,
        `FINAL(Counter())`, or `FINAL(rows)` of a block whose filter matched nothing): the 1.5B
        answered which process failed the most with []."""
        if "empty" in self.sent_back or not answer.strip() or not printed_nothing(answer):
            return None
        self.sent_back.add("empty")
        return prompts.empty_answer(answer.strip())

    def doubted(self, answer: str, prompts: Prompts, code: str = "") -> str | None:
        """The feedback for a small root's answer that a check sends back once (the question's
        own term, a value in another unit than the one asked for, the context's size, a count
        of the lines holding the question's term), or
        None to accept it. A number a cell's `code` computed (`FINAL(len(rows))`), not wrote,
        is not doubted: only a copied one is."""
        if (empty := self.empty_result(answer, prompts)) is not None:
            return empty  # FINAL(rows) of a block whose filter matched nothing, as one typed alone
        if (echo := self.unchosen(answer, prompts) or self.echoed(answer, prompts)
                or self.own_message(answer, prompts)) is not None:
            self.heard(echo)
            return echo
        bare = bare_answer(answer).strip("\"'` ")
        computed_by_code = bool(code) and bare not in code and bare.replace(",", "") not in code  # not written
        if not computed_by_code and (again := self.computed_instead(bare, prompts)) is not None:
            return again
        if ("unit" not in self.sent_back and prompts.looking_needs_output
                and (converted := in_asked_unit(bare, self.question)) is not None):
            self.sent_back.add("unit")  # "5min" for "in seconds": the value as the question asks it, once
            value, unit = converted
            self.offered = value
            self.heard(unit_note := prompts.in_unit(bare, value, unit))
            return unit_note
        if (first := self.first_of_lines(bare, prompts)) is not None:
            self.heard(first)
            return first
        if (line := self.whole_line(bare, prompts)) is not None:
            self.heard(line)
            return line
        if not computed_by_code and (other := self.other_subject(bare, prompts)) is not None:
            self.numbers_doubted.add(bare.replace(",", ""))  # sent back once: given again, it stands
            self.heard(other)
            return other
        if not _WHOLE_NUMBER.fullmatch(bare) or computed_by_code:
            return None
        number = bare.replace(",", "")
        if number == "0" and self.missed and "zero" not in self.sent_back and prompts.looking_needs_output:
            self.sent_back.add("zero")  # a count of a search that matched nothing: once
            return prompts.zero_of_no_match()
        if number in self.numbers_doubted or number in (self.offered, self.look_computed):
            return None  # sent back once already, by whichever check, or offered: it stands
        note = (self.copied_size(bare, prompts) or self.sliced_count(number, prompts) or self.term_count(bare, prompts)
                or self.window_total(number, prompts) or self.unfiltered(bare, prompts))
        if note is not None:
            self.numbers_doubted.add(number)
        return note

    def computed_instead(self, answer: str, prompts: Prompts) -> str | None:
        """The feedback, once per run, for an answer other than the value the look computed for
        just this question (`look_computed`), or None. Offered a count the look computed ("8
        methods in its own body"), the 1.5B searched the question's words, failed and answered
        3; offered a query's 80, it grepped and took the header line a later note offered."""
        return self._asked_once("computed", self.look_computed, answer, prompts.computed_again)

    def read_instead(self, answer: str, prompts: Prompts) -> str | None:
        """The feedback, once per run, for an answer given at the answer-now turn that is not the
        value a reader read in the look's lines (`look_read`, not one the look computed: that is
        `computed_instead`'s), or None. Offered 2.5 for the grep release that added -o, the 1.5B
        wrote `grep -o / --only-matching` as code until its errors ran out, and answered the
        first release the look showed, 3.8."""
        read = None if self.look_computed else self.look_read
        return self._asked_once("read_instead", read, answer, prompts.read_at_the_end)

    def _asked_once(self, check: Check, value: str | None, answer: str, note: Callable[[str], str]) -> str | None:
        """`note(value)`, once per run (`check`), for an answer other than `value`; None when
        there is no value, the answer is it, or the note was sent already."""
        if not value or check in self.sent_back or _plain_value(bare_answer(answer).strip("\"'` ")) == _plain_value(value):
            return None
        self.sent_back.add(check)
        self.heard(sent := note(value))
        return sent

    def first_of_lines(self, bare: str, prompts: Prompts) -> str | None:
        """The feedback, once per run, for a small root's answer to a question asking for the
        most (or least) of something, when the answer is read from the first of the lines the
        last cell printed as a list (`print(len(rows), rows[:2])`): those lines come in the
        text's order, which ranks nothing. Asked which test directory had the most passing
        tests, which date registered the most alternatives, the 1.5B answered with the first
        line (or its date) its search printed. Given again, the answer stands."""
        if ("first" in self.sent_back or not prompts.looking_needs_output or len(bare) < 4
                or not self.first_listed or not ranks(asking_part(self.question))
                or bare in (self.look_read, self.offered)):
            return None
        if bare.lower() not in self.first_listed.lower() or _WHOLE_NUMBER.fullmatch(bare):
            return None
        self.sent_back.add("first")
        return prompts.first_of_lines(bare)

    def whole_line(self, bare: str, prompts: Prompts) -> str | None:
        """The feedback, once per run, for a small root's answer that is a whole line of the
        context, of three or more words, when the question asks for no line, message or text:
        asked which power unit is defined in terms of the kilogram-force, the 1.5B answered the
        line `force_kilogram = g_0 * kilogram = kgf = kilogram_force`. Given again, it stands."""
        if ("line" in self.sent_back or not prompts.looking_needs_output or len(bare.split()) < 3
                or len(bare) > _LINE_ANSWER_CHARS or _ASKS_TEXT.search(asking_part(self.question))
                or bare in (self.look_read, self.offered) or not _CODE_LIKE.search(bare)):
            return None  # prose may answer "what does --reverse do"; a definition's line answers no "which"
        whole = re.compile(r"(?m)^[ \t]*" + r"[ \t]+".join(map(re.escape, bare.split())) + r"[ \t]*$")
        if not any(whole.search(text) for text in _texts(self.context)):
            return None
        self.sent_back.add("line")
        return prompts.whole_line(bare)

    def other_subject(self, bare: str, prompts: Prompts) -> str | None:
        """The feedback, once per run, for a small root's answer copied from a printed line that
        does not name the question's subject (a key-shaped word of the question the look
        found), when the same output prints a line of the same kind that does: asked how many
        sales rows were extracted for muenchen-west, the 1.5B printed two "extracted N sales
        rows for STORE on DAY" lines and answered the first, leipzig-sued's. Given again, or
        when the answer's line names the subject, the answer stands."""
        if ("subject" in self.sent_back or not prompts.looking_needs_output or not bare
                or bare in (self.look_read, self.offered) or _OTHER_THAN.search(self.question)):
            return None  # "which other host ... as db-02" is answered from a line not naming db-02
        asked = self.question.lower()
        subjects = [w for w in self.shown.words[:_SUBJECT_WORDS]
                    if len(w) > 2 and key_shaped(w) and not everyday(w) and w.lower() in asked]
        items = [item for item in _PRINTED_ITEM.split(self.last_output) if item.strip()]
        holding = [item for item in items if writes_whole(item, bare)]
        if not subjects or not holding:
            return None
        for word in subjects:
            low = word.lower()
            if any(low in item.lower() for item in holding):
                return None  # the answer's line names what the question asks about
            naming = [item for item in items if low in item.lower() and _alike(item, holding[0])]
            if naming:
                self.sent_back.add("subject")
                return prompts.other_subject(bare, word, _LIST_ENDS.sub("", naming[0]).strip())
        return None

    def unchosen(self, answer: str, prompts: Prompts) -> str | None:
        """The feedback, once per run, for a small root's answer that names neither option of a
        question that offers two (`choice_options`): the 1.5B answered "Are there more audio
        types or more video types?" with 111, a count of lines holding either word, and
        "Which release lists more bug fixes, 9.0 or 9.1?" with 13. So for the answers a question
        quotes ('Answer with "more common", "less common" or "same frequency"', `answer_options`):
        asked whether one label was more common, it answered the label's count. An answer naming an option
        in any form, or saying both, neither, yes or no, stands (`_names_an_option`); so does
        the answer given again."""
        if "choice" in self.sent_back or not prompts.looking_needs_output:
            return None
        options = choice_options(self.question) or answer_options(self.question) or None
        bare = bare_answer(answer)
        if options is None or not bare or _names_an_option(bare, options):
            return None
        self.sent_back.add("choice")
        return prompts.not_an_option(bare, options)

    def heard(self, feedback: str) -> None:
        """Keep a note that sends an answer back (its last `_NOTES_KEPT`): an answer copied
        from one is no answer (`copies_a_note`). Only those notes: a cell's output is what
        answers are copied from."""
        self.told = [*self.told[1 - _NOTES_KEPT:], " ".join(feedback.split()).lower()]

    def copies_a_note(self, answer: str) -> bool:
        """Whether an answer is words of a note this run sent (a run of three fifths of its
        words, three or more, written in one note) that the context does not write: sent back "'PyDLL' is what the question asks about ...
        it asks for something else about 'PyDLL'", the 1.5B replied "The question asks for
        something else about 'PyDLL'." and then wrote that as its FINAL. A value a note
        offers as the FINAL line is no copy. A whole line of any output of four words or more
        and no digit is a note too (a helper's): the 1.5B replied "No item has a field
        'end-of-life'.", was offered it as the FINAL line, and wrote it."""
        said = " ".join(bare_answer(answer).split()).lower().rstrip(".")
        words = said.split()
        if len(words) < 3 or _holds(self.context, bare_answer(answer), any_case=True):
            return False
        if len(words) >= 4 and not re.search(r"\d", said) and said.strip(_ENDS) in self.helper_notes:
            # A helper's line, "No item has a field 'end-of-life'.", copied whole: no answer; from
            # any output of the run (the 1.5B wrote one two outputs after it was printed).
            return True
        least = max(3, -(-len(words) * 3 // 5))  # a run of 3 words or more, three fifths of the answer
        for note in self.told:
            if f"final({said}" in note or f"'{said}" in note or f'"{said}' in note:
                continue  # a note's FINAL line is an offer; a note quoting the answer names it
            runs = (" ".join(words[i:i + least]) for i in range(len(words) - least + 1))
            if any(run in note for run in runs):
                return True
        return False

    def copied_from_examples(self, answer: str, prompts: Prompts) -> bool:
        """Whether a small root's answer is a value of the system prompt's examples that the
        context never writes: at its answer-now turn the 1.5B wrote `FINAL(10.0.4.2)`, an
        example's IP address, for "who maintains the largest package". No answer is better."""
        value = bare_answer(answer).strip().strip("\"'`")
        if re.fullmatch(r"[-+]?\d[\d,]*(?:\.\d+)?", value):
            return False  # a number (10.0) may be computed; "10.0.4.2" is no number
        return (prompts.looking_needs_output and _from_examples(value, prompts)
                and not _holds(self.context, value, any_case=True))

    def own_message(self, answer: str, prompts: Prompts) -> str | None:
        """The feedback, once per run, for a small root's answer that is a sentence its own code
        printed and the context does not write: the 1.5B's block printed "No apt runs found."
        when its filter matched nothing, and it answered that. A model sure of it (a question
        whose answer is that nothing matched) can give it again."""
        said = _said(bare_answer(answer))
        if "empty" in self.sent_back or said not in self.messages or said in _said(self.question):
            return None  # not the code's own words, or words the question offers as an answer
        if _holds(self.context, bare_answer(answer), any_case=True):
            return None
        self.sent_back.add("empty")
        return prompts.own_message(bare_answer(answer))

    def typed_before_output(self, answer: str, prompts: Prompts, code: str, stdout: str) -> str | None:
        """The feedback, once per run, for a small root's FINAL whose value the block typed
        after code that printed something (`protocol.typed_final`): the value was written
        before that output was seen, so it answers nothing the output says. Given again, or
        printed by an earlier cell (a number seen before), it is the answer."""
        if ("typed" in self.sent_back or not prompts.looking_needs_output or printed_nothing(stdout)
                or typed_final(code) != answer.strip() or self._printed_before(answer.strip().replace(",", ""))):
            return None
        self.sent_back.add("typed")
        return prompts.answered_before_output(answer.strip())

    def _printed_before(self, number: str) -> bool:
        """Whether a cell before the last one printed `number`."""
        return number in self.printed and number not in self.printed_new

    def term_count(self, bare: str, prompts: Prompts) -> str | None:
        """The feedback, once per run, for a small root's number (`bare`, as `doubted` reads it)
        that is how many lines hold a term the question names (`lines("16:49:20")` printed
        first): the 1.5B answered "in the session beginning 16:49:20, how many packages were
        pulled in automatically?" with the 1 line holding that time. The term says which thing
        the question means; what it counts is mostly something else. Given again, the number
        is the answer."""
        number = bare.replace(",", "")
        if "term_count" in self.sent_back or not prompts.looking_needs_output or number not in self.term_counts:
            return None
        self.sent_back.add("term_count")
        window = window_asked(self.question)
        if window is not None and self.term_counts[number] in window[:2]:
            # "from 08:51:30 up to, but not including, 08:52:30": the 8 lines of 08:52:30 are
            # one end of the window, and not even in it.
            first, last = window[2:]
            return prompts.counted_window_end(number, self.term_counts[number],
                                              f"in_dates(lines(), {first!r}, {last!r})")
        asking = asking_part(self.question)
        counts = COUNTISH.search(asking) is not None or (asks_for_number(self.question) and not _ASKS_WHAT.search(asking))
        # "What is the maximum number of dimensions this header allows?" names a limit a line
        # states (`STATED_LIMIT`): its "number of" counts nothing, so the 19 lines holding
        # 'dimensions' are no answer, and the value read in the look (64) is given instead.
        if counts and STATED_LIMIT.search(asking) is None:
            term = self.term_counts[number]
            lists = _record_lists(self.context, term, int(number)) if len(number) <= 6 else []
            offer = _list_offer(lists, self.question) if number == "1" else None  # one record's lists
            return prompts.counted_term(number, term, _kinds_of(self.context, term, int(number)),
                                        [f"{key}: {_tags_note(size, tags)}" for key, size, tags in lists], offer)
        # "What launch code ...? Answer with the number only." wants a number, not a count: the
        # 1.5B, told the count was its answer only if the question asked for exactly that,
        # gave the 1 line holding 'calm-falcon' again.
        self.uncounted = number
        return prompts.counted_not_asked(number, self.term_counts[number])

    def unfiltered(self, bare: str, prompts: Prompts) -> str | None:
        """The feedback, once per run, for a small root's count (`bare`, as `doubted` reads it,
        printed by a cell) when no code of the run has used the rarest of the question's
        key-shaped terms the first look showed (nor any as rare), written on a few lines:
        "libpq5 was upgraded by one apt run; how many packages did that run newly install?" was
        answered by the 1.5B with the installs of every run (647 for 12). The term names the part of the text
        the count is about. Given again, the number is the answer (`numbers_doubted`)."""
        number = bare.replace(",", "")
        if ("unfiltered" in self.sent_back or not prompts.looking_needs_output or number not in self.printed
                or not HOW_MANY.search(asking_part(self.question))):
            return None
        held = {word: n for word in self.shown.words  # key-shaped: an id or a name, not "every" or "packages"
                if len(word) >= 3 and key_shaped(word) and (n := _lines_holding(self.context, word, _FEW_LINES))}
        fewest = min(held.values(), default=0)
        rare = [word for word, n in held.items() if n == fewest]  # the rarest, or the equally rare
        code = "\n".join(self.seen_code).lower()
        if not rare or fewest > _FEW_LINES or any(_used(word, code) for word in rare):
            return None
        if self.shown.start and any(self.shown.start in c for c in self.seen_code):
            return None  # the look's own call, which read the question's words and chose its filter ("image/")
        self.sent_back.add("unfiltered")
        return prompts.unfiltered(bare, rare[0])

    def window_total(self, number: str, prompts: Prompts) -> str | None:
        """The feedback, once per run, for a count that is how many lines the first look found in
        the question's window of time when it told those lines to be of two or more kinds:
        asked how many firmware images were sent in full from 02:30 to 03:00, the 1.5B answered
        the window's 1,162 lines of 19 kinds. Not for a question that counts lines or entries
        themselves. Given again, it stands."""
        if ("window" in self.sent_back or not prompts.looking_needs_output
                or HOW_MANY.search(asking_part(self.question)) is None or _COUNTS_LINES.search(self.question)):
            return None
        window = _WINDOW_TOLD.search(self.shown.text)
        if window is None or window.group("n").replace(",", "") != number or int(window.group("kinds")) < 2:
            return None
        self.sent_back.add("window")
        return prompts.window_total(window.group("n"), window.group("kinds"))

    def sliced_count(self, number: str, prompts: Prompts) -> str | None:
        """The feedback, once per run, for a small root's count that is how many lines the last
        output printed (`print(len(rows), rows[:2])`'s 2) where the count it starts with is
        more: asked how many of an enum's ciphers use CBC, the 1.5B printed "9 [' * @GNUTLS_...',
        ' * @GNUTLS_...']" and answered 2. Only for a question that asks how many."""
        if ("sliced" in self.sent_back or not prompts.looking_needs_output or self.sliced is None
                or HOW_MANY.search(asking_part(self.question)) is None):
            return None
        shown, found = self.sliced
        if number != shown or int(found) <= int(shown):
            return None
        self.sent_back.add("sliced")
        self.offered = found  # offered: taken, it is not doubted again as the lines of a word
        return prompts.sliced_count(shown, found)

    def copied_size(self, bare: str, prompts: Prompts) -> str | None:
        """The feedback, once per run, for a small root's number (`bare`, as `doubted` reads it)
        that is the context's own size (`context_sizes`: its characters or lines, in the first
        message) and no cell printed: the 1.5B answered "how many functions does the module
        define" with the context's 3,475 lines. A question about the size itself gets its
        answer at the second reply. The sizes are read from the context only here, for a small
        root's number: a capable model's run, or a run without one, scans nothing."""
        number = bare.replace(",", "")
        if "size" in self.sent_back or not prompts.looking_needs_output or int(number) < 100 or number in self.printed:
            return None
        if int(number) not in context_sizes(self.context) or ASKS_SIZE.search(asking_part(self.question)):
            return None  # not a size; or "how many lines does the log have?": the size is what it asks
        self.sent_back.add("size")
        return prompts.copied_size(bare)

    def echoed(self, answer: str, prompts: Prompts) -> str | None:
        """The feedback, once per run, for a small root's answer that is one of the question's
        own terms (`echoes_question`); None to accept it. A model sure of it can give it again.
        Capable models keep their answer: a question that is code ("print('set')") or names
        its answer in a way no rule here sees costs them no turn."""
        if "echo" in self.sent_back or not prompts.looking_needs_output or not echoes_question(answer, self.question):
            return None
        self.sent_back.add("echo")
        self.echo = bare_answer(answer).strip("\"'` ").lower()
        term = bare_answer(answer).strip("\"'`")
        others = [w for w in self.shown.words if w.lower() != self.echo and not everyday(w) and w in self.question]
        return prompts.echoed_question(bare_answer(answer), _files_holding(self.context, term),
                                       _lines_with(self.context, term, others))

    def instead_of_echo(self, answer: str) -> str | None:
        """The value read in the look's lines (`look_read`) for a run that ended on the term
        the echo note sent back (`echoed`), given again, when the question marks that term as
        a name (quoted or in backticks, `marked_words`); else None. Asked which module defines
        `MiniFieldStorage`, with "cgi" read in the look, the 1.5B answered the class's name,
        was told so, and gave it again at max_errors: what the question asks about is not
        what it asks for, and the reader's value passed every check an answer gets. With
        nothing read, for a question asking which module or file (`ASKS_FILE`), the one file
        that writes the term, as a module ("idlelib.browser") or as the file. An unmarked term
        may be the answer ("Which package did pip install last?": pip), and a root that never
        heard the note is not overruled."""
        term = bare_answer(answer).strip("\"'` ").lower()
        if not self.echo or term != self.echo or term not in marked_words(self.question):
            return None
        if self.look_read is not None:
            return None if echoes_question(self.look_read, self.question) else self.look_read
        # Nothing read: for "which module (file) defines `X`?", the one file that writes X.
        files = _files_holding(self.context, term) if ASKS_FILE.search(asking_part(self.question)) else ()
        if len(files) != 1:
            return None
        return file_names(files[0])[2] if re.search(r"\bmodule\b", self.question, re.IGNORECASE) else files[0]

    def instead_of_count(self, answer: str) -> str | None:
        """The value read in the look's lines (`look_read`) for a run that ended on how many
        lines hold the question's term, given again after `counted_not_asked` said the
        question asks no count; else None. Asked "What launch code belongs to the codename
        that calm-falcon was given? Answer with the number only.", with 7059171 read, the
        1.5B answered the 1 line holding calm-falcon twice: a count of the lines that name
        what the question is about is never what a what-or-which question asks."""
        number = bare_answer(answer).strip("\"'` ").replace(",", "")
        if not self.uncounted or number != self.uncounted or self.look_read in (None, number):
            return None
        return self.look_read

    def wrong_form(self, answer: str, question: str, prompts: Prompts) -> tuple[str | None, str | None]:
        """The feedback, once per run, for an answer not written in the form the question asks
        for (`asked_form`: a number, a version or a date, each with a digit of its own; for a
        small root also a person, two capitalised words or an address), and with
        `run_instead_of_repeats` the search for that answer to run next: such an answer is most
        often a step on the way (a name whose number or version is written elsewhere), and the
        next step is to look it up. The 1.5B answered "The package gnupg was upgraded once.
        What version did it end up with?" with "gnupg-l10n:all", a name its search had shown."""
        form = asked_form(question)
        dotted = next((t for t in _texts(self.context) if dotted_versions(t)), "") if form == "a version" else ""
        if "form" in self.sent_back or form is None or fits_form(answer, form, dotted):
            return None, None
        if form == "a person" and not prompts.looking_needs_output:
            return None, None  # a capable model's "jdoe" may be the person's login: its answer stands
        self.sent_back.add("form")
        value = answer.strip()
        follow = f"grep({value!r})" if prompts.run_instead_of_repeats and 0 < len(value) <= 80 else None
        if follow is not None:
            self.seen_code.add(follow)
        self.heard(note := prompts.wrong_form(value, form))
        return note, follow

    def cell_note(self, prompts: Prompts, code: str, stdout: str, error: str | None,
                  context: ContextValue = "") -> tuple[str | None, str | None]:
        """The note under a cell's output, and the code to run in the cell's place (or None).

        A short output shown again is offered as the FINAL line. Code run before, or a block
        that is not Python, gets told so with one untried line of code that reads the context;
        when the prompts say so (`Prompts.run_instead_of_repeats`) that line is run in the
        block's place instead: a 1.5B told "do not run this again" with an example to copy
        still sent the same block until max_errors, and one shown its pasted text's
        SyntaxError pasted the error next."""
        repeated = code in self.seen_code
        self.seen_code.add(code)
        if prompts.run_instead_of_repeats and (start := self.start_first(error)) is not None:
            self.seen_code.add(start)
            return prompts.ran_start(start), f"{start}\n{code}"
        if repeated and _offerable(stdout) and self.offered != stdout.strip():
            # Offered once and run again, the same offer is no help: the 1.5B shown "If the
            # answer is # UTF-8 (Unicode) Compose sequences, reply FINAL(...)" ran the same
            # cell until max_errors. The second repeat gets a new search below instead.
            self.offered = stdout.strip()
            return prompts.prose_answer(stdout), None  # an empty result ("0 []") is no answer to offer
        last = error_line(error)
        pasted = last.startswith(("SyntaxError", "IndentationError")) and _is_text(code)
        # The same error twice running, from edited code: a small root changes an index or a
        # name and fails the same way until max_errors (a 1.5B tried rows[1] to rows[5]).
        again = bool(last) and last == self.last_error and prompts.run_instead_of_repeats
        self.last_error = last
        note = prompts.repeated() if repeated or again else prompts.not_python() if pasted else ""
        if not note:
            return None, None
        untried = self.untried(stdout, context)
        if untried is not None and prompts.run_instead_of_repeats:
            self.substituted += 1
            self.seen_code.add(untried)
            return prompts.ran_instead(untried), untried
        return note + (prompts.try_this(untried) if untried else ""), None

    def start_first(self, error: str | None) -> str | None:
        """The look's offered start, when the cell failed on a name only that start defines and
        it has not run: shown a start of several steps, a 1.5B wrote the last step alone
        (`users = per_user.having(...)`), then the one before it, each a NameError, until
        max_errors. The start then runs with the block after it (`cell_note`): the block's own
        code is kept, not replaced by the offer."""
        start, name = self.shown.start, undefined_name(error)
        if not start or start in self.seen_code or name is None:
            return None
        return start if name in assigned_names(start) else None

    def echoes_output(self, code: Sequence[str]) -> bool:
        """Whether a reply's one block is the last output written back: its first line, or a
        start of it of 8+ characters. Shown "20 ['daemon:x:1:1:...', ...]" for "how many accounts
        ...", the 1.5B wrote that output as its next block twice, each a SyntaxError or a
        TypeError it then took for the answer's failure, and answered 1. Such a block is not
        run: the model is told what it wrote."""
        if len(code) != 1 or not self.last_output.strip() or _does_something(code[0]):
            return False
        block, output = " ".join(code[0].split()), " ".join(self.last_output.split())
        first = " ".join(self.last_output.strip().splitlines()[0].split())
        return bool(block) and (block == first or (len(block) >= 8 and output.startswith(block)))

    def copies_output(self, prose: str) -> bool:
        """Whether a reply in words is the last output written out again, two lines or more of
        it, or any listing of the helpers' rows ("1| ...", "its record:"): no answer. Told at
        max_errors to reply FINAL(answer), the 1.5B wrote back the search's whole listing ("No
        line holds '2023-03-04'. Lines with the most rare words ..."), and that listing became
        the run's answer."""
        said = [" ".join(line.split()) for line in prose.splitlines() if line.strip()]
        if len(said) >= 3 and sum(bool(_LISTED_ROW.match(line)) for line in said) * 2 >= len(said):
            return True  # a helper's listing ("1| ...", "   its record:"), of this output or an earlier one
        output = " ".join(self.last_output.split())
        return len(said) >= 2 and bool(output) and sum(line in output for line in said) * 3 >= len(said) * 2

    def taken_offer(self, code: Sequence[str]) -> str | None:
        """The offered answer, when the reply is the offered FINAL line inside a block, or the
        offered value alone as a block: small models write the line they are given as code,
        where `FINAL(1 ['a b'])` fails to run, or write `0` for "reply FINAL(0)"."""
        if self.offered is None or len(code) != 1:
            return None
        if code[0].strip() == f"FINAL({self.offered})" or lone_literal(code[0]) == self.offered:
            return self.offered
        return None

    def unquoted_answer(self, code: str, error: str | None, context: ContextValue) -> str | None:
        """The answer of a block that is one `FINAL(Name)` line with Name undefined
        (`protocol.unquoted_final`), or one name or path alone that fails so
        (`protocol.named_token`: `collections/__init__.py` written as a block), once the run
        has looked and when the context writes it whole: a value read from the text, written
        unquoted. None otherwise (the cell's NameError is then shown as usual)."""
        named = unquoted_final(code, error) or named_token(code, error)
        return named if named is not None and self.written_name(named, context) else None

    def written_name(self, name: str, context: ContextValue) -> bool:
        """Whether an undefined name the model answered with is a word it read: the run has
        looked, and the name is one of the context's files (`cgi.py`, `collections/__init__.py`:
        a name with a dot or a slash that is no file is code, `re.findall`), or has a capital or
        a digit and the context writes it whole."""
        if not self.looked:
            return False
        if "." in name or "/" in name:
            if any(f == name or f.endswith("/" + name) for f in _file_names(context)):
                return True
            # A path the text writes whole (a scanner's "Location: twisted/web/client.py:318"):
            # code divides names, it does not write them with slashes at the answer-now turn.
            # A file's path, not "N/A", "TCP/IP" or "I/O" (review): an extension, or two slashes.
            pathlike = re.fullmatch(r"[\w.-]+(?:/[\w.-]+)+", name) is not None and (
                re.search(r"\.[A-Za-z]\w{0,7}$", name) is not None or name.count("/") >= 2)
            return pathlike and _holds_word(context, name)
        return names_an_answer(name) and _holds_word(context, name)

    def value_block(self, code: str, context: ContextValue) -> str | None:
        """The value a block of one line that is no Python writes, when it is a value copied
        from the text (`written_value`: a version, a date, an id) and the context writes it:
        at the answer-now turn the 1.5B replied with the block `2.1.28+dfsg-10`, the right
        version, which no reading of a block as code or as a name took."""
        line = code.strip()
        if not self.looked or "\n" in line or (value := written_value(line)) is None:
            return None
        try:
            ast.parse(line)
        except SyntaxError:
            return value if _holds(context, value) else None
        except UNPARSED:
            return None  # too deep to parse: no value written alone
        return None  # Python: a name, a call, an expression of the run's values

    def untried(self, stdout: str = "", context: ContextValue = "") -> str | None:
        """A line of code that reads the context and was not run yet: the `lines(...)` call a
        helper's note in the last output offers (a pattern that matched nothing, shown as the
        text writes it: the 1.5B ran its `lines(r"\\bupgraded\\b")` block again), then a
        search for a name the last output found that the question does not hold and the
        context does on few lines (`new_leads`; a helper's own note names helpers; a word on
        many lines is a field's value, no lead: shown two dpkg lines about gnupg, the 1.5B's
        repeated block was replaced by `grep('half-installed')`, a status of hundreds of lines,
        and it answered "2"), then the lines holding the question's words together (as the
        first look found them), then for each word of
        the question the context holds (as the first look ranked them), then their lines."""
        for call in _OFFERED_LINES.findall(stdout):  # a helper's note: "lines('upgrade') gives them."
            if (code := f"print(len({call}), {call}[:3])") not in self.seen_code:
                return code
        for call in _COUNTED_LINES.findall(stdout):  # "(len(lines(r'^Type:...')) counts them)"
            if (code := f"print(len({call}))") not in self.seen_code:
                return code  # the count alone: a count beside lines is a step, and was echoed as one
        for lead in new_leads(stdout, self.question):
            if (f"grep({lead!r})" not in self.seen_code and _holds(context, lead)
                    and _lines_holding(context, lead, _FEW_LINES) <= _FEW_LINES):
                return f"grep({lead!r})"
        if len(self.shown.together) >= 2:  # the look's lines holding the question's words together
            code = f"print(lines({', '.join(map(repr, self.shown.together))})[:10])"
            if code not in self.seen_code:
                return code
        for word in self.shown.words:
            for code in (f"grep({word!r})", f"print(lines({word!r})[:10])"):
                if code not in self.seen_code:
                    return code
        return None


_VERSION = re.compile(r"(?<![\w.:+~-])(?!\d{4}-\d\d-\d\d\b)(?!\d\d?:\d\d\b)(?!\d+(?:\.\d+){3}\b)"
                      r"(?!\d\d?\.\d\d?\.\d{4}\b)(?!0x)(?:\d{1,4}:)?\d[\dA-Za-z]*(?:[.+~-][\dA-Za-z]+)+"
                      r"(?![\w:+~-]|\.\w)")
"""A version a line writes, as `one_value` offers it: a digit, then parts joined by `.+~-`
(a sentence's full stop after one is no part of it). Not an ISO date, a clock time, an IPv4
address, a dotted day (05.03.2024) or a hex number. Dates are not offered: "which year" asks
for a part of one."""

_VALUE_LINES = 50
"""At most this many lines hold the word whose versions `one_value` reads."""


def _values_on_lines(context: ContextValue, word: str, rx: re.Pattern[str]) -> tuple[set[str], int] | None:
    """The values `rx` finds on the lines of the context holding `word` (as the look found it,
    `_stem_rx`), and how many lines those are; None when none or more than `_VALUE_LINES` do."""
    holding = list(islice(_matching_lines(context, _stem_rx(word)), _VALUE_LINES + 1))
    if not holding or len(holding) > _VALUE_LINES:
        return None
    return {value for text, lo, hi in holding for value in rx.findall(text, lo, hi)}, len(holding)


_OFFERED_LINES = re.compile(r"\b(lines\((?:'[^'\n]{1,80}'|\"[^\"\n]{1,80}\")\)) gives them\.")
"""The call a helper's note offers (`helpers._say_written_otherwise`): `lines('upgrade') gives them.`"""

_COUNTED_LINES = re.compile(r"\blen\((lines\(r?(?:'[^'\n]{1,80}'|\"[^\"\n]{1,80}\")\))\) counts them")
"""The count a helper's note offers (`helpers._as_a_value`): "(len(lines(r'^Type:...')) counts them)"."""

_NOTES_KEPT = 6
"""Notes to the model kept to tell an answer copied from one (`TurnState.heard`)."""

STUCK_AFTER = 3
"""Blocks replaced by an untried search before the run goes to its answer-now turn."""

_NAME_IN_SENTENCE = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z]{2,}(?:[- ][A-Z][a-z]+)*\b")
_TOKEN = re.compile(r"[^\s'\"`()\[\]{},;=<>|]+")
_HELPER_NOTE = re.compile(r"'[^'\n]+'.*\.\s*$")
"""A helper's note: a sentence that quotes a name and ends with a full stop ("No item has a
field 'end-of-life'."); a line the cell's own code printed ("nginx, redis, cron") is not one."""
_ENDS = " .'\"`"
"""What may end a line or an answer cut from it: "'end-of-life'." and its bare "'end-of-life"."""
_KEY = re.compile(r"(?=.*[A-Za-z])(?=.*[\d\-_.:/+~@]).{4,}")


def new_leads(stdout: str, question: str, limit: int = 3) -> list[str]:
    """The names and keys a short output holds that the question does not: what was found
    on the way, to look up next. A stuck small root repeats its first search after the
    output named what to look up ("The project codename for spotted-canyon is Everglade.");
    a person reads on with the new name. A long output names too much to pick from.
    A key is a token with a letter and a digit or joining punctuation (an id, a version, a
    code name); a name is a capitalised word inside a sentence. A key that starts with a
    word of the question and goes on with letters is that word's neighbour, no lead: the
    1.5B, asked about gnupg and shown its lines, answered "gnupg-l10n:all" after such a key
    was searched in its place. A key that goes on with a number only ("release-2.3" for
    "which release ...") is a value of what the question names, and stays a lead."""
    text = stdout.strip()
    if not text or len(text) > 400:
        return []
    found = [(m.start(), m.group(0)) for m in _NAME_IN_SENTENCE.finditer(text)]
    for m in _TOKEN.finditer(text):
        term = m.group(0).strip(".:")
        if _KEY.fullmatch(term) and not term.startswith(("http", "/")):
            found.append((m.start(), term))
    asked = {w.lower() for w in re.findall(r"[\w.:/+~@-]+", question)}
    asked_words = {w for w in re.findall(r"[a-z0-9]+", question.lower()) if len(w) >= 3}
    out: list[str] = []
    for _, term in sorted(found):
        words = {w.lower() for w in term.split()}
        if words & asked or term.split()[0] in _CALENDAR or term in out:
            continue
        head = re.split(r"[-.:+~/@_]", term.lower(), maxsplit=1)[0]
        rest = term[len(head):]
        if head in asked_words and re.search(r"[A-Za-z]", rest):
            continue  # "gnupg-l10n:all" for a question about gnupg: a neighbour of its name, not a lead
        out.append(term)
    return out[:limit]


_CALENDAR = frozenset("Jan Feb Mar Apr May Jun Jul Aug Sep Sept Oct Nov Dec January February March "
                      "April June July August September October November December Mon Tue Wed Thu "
                      "Fri Sat Sun Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())
"""Capitalised words of dates: no lead ("signed on Mar 5")."""


_HELPER_HEAD = re.compile(r"^\w+: \d+ (?:items?|lines?|groups?|blocks?)\b")
"""A helper's summary line ("count_by: 0 items, 0 values"): a step's report, not an answer."""


def _does_something(code: str) -> bool:
    """Whether code parses as Python that does something: a statement other than a bare
    expression, or a call. Code printed from a Python context and run again (`import json`,
    `total = 0`, a `def`) does; a value's repr written back ("20 ['daemon:x:1:1:...']") and
    text that does not parse do not."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return False
    return any(not isinstance(node, ast.Expr) for node in tree.body) or any(
        isinstance(node, ast.Call) for node in ast.walk(tree))


_NUMBERS_APART = re.compile(r"-?\d[\d,.]*(?:[ \t]+-?\d[\d,.]*)+")
"""Two or more numbers on a line with nothing else: several counts, no one answer."""


_LISTED_ROW = re.compile(r"\d[\d,]*\| |\. |its record\b|\.\.\. \d[\d,]* more\b")
"""A row of the helpers' and the look's listings: "3| line", ". a record's line", "... 29 more"."""


def _offerable(stdout: str) -> bool:
    """Whether a repeated cell's output may be offered back as the FINAL line: one short line
    that shows something and is not a helper's summary (offered "sum_by: 0 items, 0 values",
    the 1.5B answered it) nor a count printed with a list of lines (a step on the way), nor
    a list of lines of the text anywhere in it (offered "['The project codename for X is
    Y.']", the 1.5B answered the sentence; offered "1 ['Start-Date: ...']", it answered that
    whole output), nor numbers side by side ("9 1 2": three counts printed together, offered
    whole, the 1.5B answered "9 1 2")."""
    text = stdout.strip()
    return (short_answer(text) and len(text) <= 80 and not printed_nothing(text) and not _NUMBERS_APART.fullmatch(text)
            and not _HELPER_HEAD.match(text) and not _LINES_LISTED.search(text))


_LINES_LISTED = re.compile(r"""\[\s*(['"])(?:(?!\1).)*\s(?:(?!\1).)*\1""")
"""The repr of a list whose first str holds a space: lines of the text, not a value
(`['nginx', 'curl']` is values)."""


def _is_text(code: str) -> bool:
    """Whether a block that failed to parse reads as text rather than code: a line that does
    not parse on its own and holds no call, no assignment and no keyword of Python."""
    for line in code.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not re.search(r"\w\(|=|^(def|for|if|import|from|print|return|while|with|class)\b", stripped):
            return True
    return False
