"""A sub-model reads the first look's lines for a question that looks a value up.

The first look (`recursor.orient`) often shows the line that answers a look-up ("def
split(pattern, string, maxsplit=0, flags=0)" for the default of `maxsplit`), and a small root
rarely reads it there: primed by its examples to write code, the 1.5B grepped the file's
name five times and answered 3. One short sub-call, given only those lines and the question,
reads them the way retrieval-then-read does; the value it reads is offered in the first
message, for the root to take or to check with code.

What is offered must be written whole in the context lines the reader was given (never in
the look's own labels and counts, and a value the reader made up is never offered), must
not be one of the question's own terms ("PyDLL" asked where `PyDLL` is defined), must have
the form the question asks for, and is read only for a question that looks one value up: a
count, a total, a ranking, a comparison, a list or a yes/no is computed over every line,
never read from the few the look shows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from recursor.context import ContextValue
from recursor.orient import PASSAGE_LABEL, Orientation, everyday, key_shaped
from recursor.question import (
    ASKS_FILE,
    AT_MOST,
    COUNT_ASKED,
    MEASURED_ASKED,
    PLURAL_ASKED,
    STATED_LIMIT,
    SUPERLATIVE,
    TOKEN,
    YES_NO_START,
    asked_form,
    asking_part,
    dotted_versions,
    fits_form,
    limits_cut,
    names_options,
)
from recursor.sandbox.helpers import _LINE_TAG, _rest_joined, _table_cells
from recursor.turns import (
    bare_answer,
    echoes_question,
    file_names,
    text_size,
    times_written,
    writes_whole,
)

__all__ = ["READ_CHARS", "READ_TOKENS", "looks_up", "read_value", "reader_lines", "written_lines"]

READ_CHARS = 1_600
"""The look's lines given to the reader, at most: ~500 tokens, 4-15 s for the embedded 1.5B
on 2 cores (dpkg lines are dense in tokens)."""

READ_TOKENS = 48
"""The reader's reply, at most: one value. A reader that explains itself is cut short (and its
reply, being no value, offers nothing) instead of decoding for a minute."""

_RECENT = re.compile(r"\bmost\s+recent(?:ly)?\b", re.IGNORECASE)
_COMPUTED = re.compile(
    r"\bhow\s+(?:many|much|often|long)\b|\bnumber\s+of\b|\b(?:count|counts|counted|total|sum|average|mean|"
    r"median|percent|percentage|ratio|maximum|minimum|max|min|peak|top|majority|more|fewer|less|than|per|"
    r"each|every|distinct|unique|list|all|twice|thrice|times|never|both|neither|without|no)\b"
    r"|\b(?:exactly|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:different|separate)\b"
    r"|(?<![-\w])(?:longest|shortest|slowest|fastest|furthest|farthest|nearest|closest|heaviest|lightest|widest|"
    r"busiest|best|worst)(?![-\w])|\bhow\s+frequently\b"
    r"|\b(?:what|who|which)\s+(?:are|were)\b|^\s*name\s+the\s+\w+s\b|\bwhat\s+(?:changed|changes|happened)\b",
    re.IGNORECASE,
)
"""Words of a question whose answer is computed over many lines, not read in one: a count, a
total, a ranking by a value ("which passed test took the longest": the reader read a row's
"4"). "From exactly three different addresses" counts the addresses of each."""
_ORDER = re.compile(r"\b(?:first|last|latest|earliest|oldest|newest|final|previous|next|most\s+recent(?:ly)?)\b",
                    re.IGNORECASE)
_NONE = re.compile(r"\s*(?:none|n/?a|not\s+(?:stated|shown|found|given)|unknown|no answer)\b\.?\s*$", re.IGNORECASE)
_WORD_LABEL = re.compile(r"^('[^'\n]*'(?: \(the question's '[^'\n]*'\))?(?: and '[^'\n]*')*(?: on one \w+)?): "
                         r"(\d[\d,]*)\+? (?:lines?|sentences?)(?: \([^)]*\))?(?:, (?:the first and last|e\.g\.))?:$",
                         re.MULTILINE)
"""The look's label over a word's lines, "'maxsplit': 3 lines, the first and last:": the
reader is given "Lines with 'maxsplit':". Asked the default of maxsplit, it read the label's
3 where the line below writes maxsplit=0."""
_EVERYDAY_LINES = 20
"""A word of the question on more lines than this is an everyday one in the text: after the
rarer words' blocks, its block is not given to the reader. Asked in which strace release
--tips was added, the 1.5B reader read "release 6.1" from the first of the 48 lines holding
"release", below the passage under "release 5.18"."""
_ASKS_TWO = re.compile(r"\bbetween\s+which\b|\bover\s+what\s+(?:period|span|range)\b"
                       r"|\bfirst\s+and\s+(?:the\s+)?last\s+(?:dates?|days?|times?|versions?)\b"
                       r"|\banswer\s+as\s+\S+\s+to\s+\S+", re.IGNORECASE)
"""A question whose answer is a span of two values: "between which two dates", "the first and
last day", "answer as YYYY-MM-DD to YYYY-MM-DD"."""
_SPAN = re.compile(r"(\S+(?: \S+)?) (?:to|-|–|through|until) (\S+(?: \S+)?)")
"""Such an answer: "2026-05-20 to 2026-09-22", each end one or two words."""
_ROW = re.compile(r"^\s*\d*\| (?P<line>.*)$|^\s*\. (?P<record>.*)$|^\s*under: (?P<under>.*)$")
"""A context line as the look shows it: "3| [file] line", a record's ".  line", or the headings
a line is "under: # Changelog > ## 2.3.1 (2024-01-15)"."""
_FILE_TAG = re.compile(r"\[(?P<file>[^\]\n]*[A-Za-z_][^\]\n]*\.[A-Za-z]\w{0,3})\] ")
"""A row's file, "[ctypes/__init__.py] ": a name with a letter and an extension, not "[10.0.0.7]"."""
_CLIPPED_END = re.compile(r"\S*\s?\.\.\.(?: \(\d[\d,]* items\))?$")
_CLIPPED_START = re.compile(r"^\.\.\.\S*")
"""Where the look clipped a long line ("...6, automatic), libpq5:amd64 (15.16-0..."): the
word cut there is no value, and "(57 items)" is the look's count, not the line's."""


def _file_names(lines: str) -> set[str]:
    """The files the reader's rows are in, lowercased, by each name a user asks a file by
    (`written_lines`: "idlelib/browser.py", "idlelib/browser", "idlelib.browser")."""
    out: set[str] = set()
    for row in lines.splitlines():
        if (m := _ROW.match(row)) is not None and (tag := _FILE_TAG.match(m.group("line") or "")) is not None:
            out |= {name.lower() for name in file_names(tag.group("file"))}
    return out


def _asked_sentence(question: str) -> str:
    """The sentence that asks (the first ending in "?"), without statements about the context."""
    asking = asking_part(question)
    sentences = re.split(r"(?<=[.?!])\s+", asking.strip())
    return next((s for s in sentences if s.rstrip().endswith("?")), asking)


_TWO_STEPS = re.compile(r"\bthen\b|\b(?:through|via)\s+(?:its|their)\b", re.IGNORECASE)
"""A question that says it takes two steps ("look up the codename of X, then the code listed
under it", "the code tied, through its codename, to X"): no one line states its answer. Read
anyway, the 1.5B gave the one code the look showed, another codename's, and the root took it."""


_BOUNDED = re.compile(r"\b(?:before|after|since|until|till|prior\s+to)(?:\s+\S+){0,4}?\s+(?:19|20)\d\d(?:-\d\d){0,2}\b",
                      re.IGNORECASE)
"""A bound in time or order ("the last version set before the start of 2005"): with an order
word, the answer is the last line on one side of it, which no few lines the look shows can
tell (the reader read the newest version of all, 2.6.0)."""


_SPANNED = re.compile(r"\b(?:between|apart|elapsed|since|passed|from\s+\S+\s+to|in\s+total|altogether|overall|together|"
                      r"combined|summed|sum|all|each|every)\b",
                      re.IGNORECASE)
"""A quantity that spans two lines or adds many ("how many days between the first and last
entry", "how long in total"): computed, not read."""


_NOT_COMPUTING = re.compile(r"\b(?:this|that|the|its|your|my)\s+list(?=\s+(?:gives?|assigns?|maps?|sets?)\b[^?.]*\bto\b)"
                            r"|\bcounted\s+(?:from|since)\b", re.IGNORECASE)
"""Words of `_COMPUTED` that here ask nothing computed: the document called a list that gives,
assigns or maps a value to a thing ("what code does this list give to Sindarin"; "what does
the list contain" still asks for a list), a measure said to be counted from its start ("the time the
process started, counted from system boot")."""
_ASKED_BY_WHAT_IT_CONTROLS = re.compile(
    r"^(\s*(?:which|what)\s+\w+(?:\s+\w+)?\s+(?:controls?|sets?|determines?|decides?|specifies|specify|limits?|"
    r"governs?|defines?|configures?|adjusts?|says|tells))\s+how\s+(?:many|much|often|long)\b", re.IGNORECASE)
"""A thing asked for by what it controls ("which setting controls how long the server waits"):
its name, one line's, where "how long" computes nothing."""


_CONDITION = re.compile(r"^\s*(?:if|when|unless|assuming|suppose)\b[^,?;]{0,160},\s*", re.IGNORECASE)
"""A leading clause that sets the scene ("If I call Http.request without saying anything about
redirects, ..."): its words ("without", "anything") filter nothing the question counts."""


_LIMIT_NUMBER = re.compile(r"\b(?:smallest|largest|biggest|highest|lowest|greatest|minimum|maximum|max|min)\s+"
                           r"(?:number|count|amount)\s+of\b", re.IGNORECASE)
"""A stated limit's "maximum number of": the limit's name, not a count (`question.STATED_LIMIT`)."""


def looks_up(question: str) -> bool:
    """Whether the question asks for one value a line can state: not a count, a total, a
    ranking ("which package had the most changes"), a comparison, a list ("which packages
    were removed"), a yes/no, which code computes over every line, nor two steps. "Most recent" ranks
    nothing: it asks for one line's value."""
    asking = _NOT_COMPUTING.sub(" ", _CONDITION.sub("", asking_part(question)))
    asking = _ASKED_BY_WHAT_IT_CONTROLS.sub(r"\1 ", asking)
    asked = _asked_sentence(question)
    if STATED_LIMIT.search(asking):
        # "the maximum number of header fields gunicorn will accept": a limit one line states,
        # whose "number of" counts nothing
        asking = _LIMIT_NUMBER.sub(" ", asking)
    if _SPANNED.search(asking) is None and MEASURED_ASKED.search(asking):
        # "how many seconds ahead of UTC is IST", "at most how many redirects will it follow": one line's value
        asking = AT_MOST.sub(" ", MEASURED_ASKED.sub(" ", asking))
    return not (_COMPUTED.search(asking) or SUPERLATIVE.search(_RECENT.sub("", limits_cut(asking))) or names_options(asking)
                or YES_NO_START.match(asked) or PLURAL_ASKED.match(asked) or _TWO_STEPS.search(question)
                or (_ORDER.search(asking) is not None and _BOUNDED.search(asking) is not None))


def reader_lines(look: Orientation, question: str) -> str:
    """The lines the reader is given: the look's blocks of lines holding the question's words,
    whole blocks while they fit in `READ_CHARS`, a passage's first, then the rarest word's. "" when there are
    none, or when the first block alone is too long for a question about an order ("the last
    version"): cut, its last lines would be missing, and the reader would read a wrong one."""
    out: list[str] = []
    word_given = False  # a word's block: a passage or a log's ending before it is no word's lines
    # The passage holding the most of the question's words first, as retrieval ranks it: read
    # after the rarest word's lines, "The exit status will be `3` (unless `--follow` is set)"
    # was read for "how many redirects will it follow unless I change the limit", where the
    # passage under "Limiting maximum redirects followed" writes `30`.
    hits = sorted(look.hits, key=lambda hit: not hit.startswith(PASSAGE_LABEL))
    for hit in hits:
        label = _WORD_LABEL.match(hit)
        if word_given and label is not None and int(label.group(2).replace(",", "")) > _EVERYDAY_LINES:
            continue  # "'release': 48 lines": their first and last locate nothing, and were read instead
        word_given = word_given or label is not None
        block = _by_name(_unnumbered(_WORD_LABEL.sub(r"Lines with \1:", hit)), look)
        if sum(len(b) + 1 for b in out) + len(block) <= READ_CHARS:
            out.append(block)
        elif not out:
            if _ORDER.search(asking_part(question)):
                return ""
            cut = block.rfind("\n", 0, READ_CHARS)
            out.append(block[: cut if cut > 0 else READ_CHARS])
            break
    return "\n".join(out).strip()


_LOOK_NUMBERS = re.compile(r"(?<=\), lines) \d[\d,]*-\d[\d,]*(?=\W)|^\d[\d,]*(?=\| )", re.MULTILINE)
"""The look's numbers in a block: a row's ("3| ", a passage's "1434| ") and the line range in a
passage's label."""


def _unnumbered(block: str) -> str:
    """A block without the look's row and line numbers, which are no words of the text: asked
    which field number of /proc/pid/stat holds the start time, the 1.5B read 1434, the number
    of the line "(22) starttime" was on, and then 1, a row's."""
    return _LOOK_NUMBERS.sub("", block)


def _by_name(block: str, look: Orientation) -> str:
    """A block with each of a delimited table's rows written as its cells by column name
    ("| country=Nigeria; year=1992; lifeExp=47.472; pop=93364244"). Given the bare row and
    asked Nigeria's population in 1992, the 1.5B read 47.472, the cell after the year: a row
    says not which cell is which, and a question seldom names a column as its header does."""
    if not look.header:
        return block
    out = []
    for row in block.split("\n"):
        m = _ROW.match(row)
        if m is None or not m.group("line"):
            out.append(row)
            continue
        line = m.group("line")
        tag = _LINE_TAG.match(line)
        if tag is not None and not look.header[0].startswith(tag.group(0)):
            line = line[tag.end():]  # "import time: 44 | ...": the table was read without the tag every line has
        cells = [] if "..." in line or _FILE_TAG.match(line) else _table_cells(line, None if look.sep == " " else look.sep, header=False)[0]
        if look.sep == " ":
            cells = _rest_joined(cells, len(look.header))  # space-aligned: the last column holds the rest
        # A row clipped by the look, or tagged with its file, is left as written: its cells
        # cannot be told apart; and the header line itself says nothing more by name.
        if len(cells) == len(look.header) and tuple(cells) != look.header:
            row = row[:m.start("line")] + "; ".join(f"{name}={cell}" for name, cell in zip(look.header, cells, strict=True))
        out.append(row)
    return "\n".join(out)


def written_lines(lines: str) -> list[str]:
    """The context's own lines in the reader's lines: without the look's labels ("'maxsplit':
    6 lines:", "its record:") and row numbers, which a value read must not come from. A row's
    file ("[idlelib/browser.py] ...") is named also without its extension, and as a module
    ("idlelib.browser", "ctypes" of "ctypes/__init__.py"): the names a user asks a file by."""
    out: list[str] = []
    for row in lines.splitlines():
        if (m := _ROW.match(row)) is None:
            continue
        if m.group("under") is not None:
            out += m.group("under").split(" > ")
            continue
        line = m.group("line") or m.group("record") or ""
        if (tag := _FILE_TAG.match(line)) is not None:
            out += file_names(tag.group("file"))
            line = line[tag.end():]
        out.append(_CLIPPED_END.sub("", _CLIPPED_START.sub("", line)))
    return out


def _entries(lines: str) -> list[str]:
    """The reader's lines as entries, each the context's own words: a row with its record and
    the headings above it, or a whole passage (whose lines are one paragraph) with the
    question's words its label says it holds."""
    entries: list[str] = []
    in_passage = False
    for row in lines.splitlines():
        if (m := _ROW.match(row)) is None:
            if not row[:1].isspace():  # a block's label: "Lines with 'x':", "The passage holding ..."
                in_passage = row.startswith("The passage")
                if in_passage:  # its label names the question's words it holds, a line cut short or not
                    entries.append(" ".join(re.findall(r"'([^'\n]*)'", row[row.find("words (") + 7:row.find("), lines")])))
            continue
        if m.group("line") is not None and not in_passage:
            entries.append("")
        if entries:
            entries[-1] += " " + (m.group("line") or m.group("record") or m.group("under") or "")
    return [e for e in dict.fromkeys(entries) if e.strip()]


_TIES_UP_TO = 10
"""A word written this often or less in the context, or once in `_TIE_CHARS` characters of it
or less, can tie two of its lines together: a codename, a session's id, a package; "grass" of
a filler sentence written in every sentence cannot."""
_TIE_CHARS = 20_000
_TIE_WORDS = 6
"""Shared words checked for a tie, at most (each costs a scan of the context)."""


_SUBJECTS = 4
"""The question's words found, rarest first, that may name what it is about (the look shows as many)."""
_RARITY_CAP = 1_000
"""Occurrences counted per word when telling the rarest apart; more are as many."""


def _subjects(words: Sequence[str], context: ContextValue) -> list[str]:
    """What the question is about: of its first words found (`Orientation.words`, the look's
    rarest first), each no everyday word written in the context no more often than the first,
    or a key written rarely (`_TIES_UP_TO`). "What keysym value does X11 assign to the Thai baht
    currency sign?": X11 ranks first as a key, and "baht", written once, is as much what it
    asks about. "How many seconds ahead of UTC is IST?": UTC is written once, and IST, a key
    on 4 lines, names the row asked about."""
    named = [w for w in words[:_SUBJECTS] if not everyday(w)]
    if not named:
        return []
    counts = [times_written(context, w, _RARITY_CAP) for w in named]
    return [w for w, n in zip(named, counts, strict=True) if n <= counts[0] or (key_shaped(w) and n <= _TIES_UP_TO)]


def _tied(value: str, lines: str, question: str, words: Sequence[str], context: ContextValue) -> bool:
    """Whether `value` is written in an entry about what the question is about (`_subjects`),
    or in one sharing with such an entry a word the context writes rarely and the question does
    not ("Obsidian" of "The project codename for calm-falcon is Obsidian." and "The launch code
    for Obsidian is 7059171."). Asked which launch code fierce-wagon's codename is filed under,
    the 1.5B read the one launch code the look showed, Verbena's, from a line that shares
    nothing with fierce-wagon's: a value read there answers some other thing's question."""
    if not words or not key_shaped(words[0]):
        return True  # "version", "timeout": a word many lines write says not which thing is meant
    entries = _entries(lines)
    holding = [e for e in entries if writes_whole(e, value)]
    if not holding or (not everyday(words[0]) and any(words[0].lower() in e.lower() for e in holding)):
        return True  # on the first word's own line, its first subject: no count of the others needed
    subjects = [w.lower() for w in _subjects(words, context)]
    about = [e for e in entries if any(w in e.lower() for w in subjects)]
    if not about or any(e in about for e in holding):
        return True
    asked = {w.lower() for w in TOKEN.findall(question)} | {value.lower()}
    shared = ({w.lower() for e in about for w in TOKEN.findall(e)}
              & {w.lower() for e in holding for w in TOKEN.findall(e)}) - asked
    most = max(_TIES_UP_TO, text_size(context) // _TIE_CHARS)
    candidates = sorted((w for w in shared if len(w) >= 3 and not everyday(w)), key=lambda w: (not key_shaped(w), w))
    return any(times_written(context, w, most) <= most for w in candidates[:_TIE_WORDS])


def _unnamed(lines: str, header: Sequence[str]) -> str:
    """The reader's lines with a table's rows as the text writes their cells, the column names
    `_by_name` wrote before them taken out: a column name is no word of a row, and written on
    every row it would tie each row to any other (`_tied`). It undoes `_by_name` for the rows
    that were zipped; the lines are not kept twice, as the prompt and the check read one text."""
    if not header:
        return lines
    names = "|".join(re.escape(name) for name in sorted(header, key=len, reverse=True))
    return re.sub(rf"(?:(?<=\| )|(?<=; ))(?:{names})=", "", lines)


_SHAPE = re.compile(r"\b(?P<n>two|three|four|five|six|2|3|4|5|6)[- ](?P<kind>letter|character|char|digit)\b", re.IGNORECASE)
_SHAPE_OF_KEY = re.compile(r"\b(?:with|whose|having|has|by)\s+(?:an?\s+|the\s+|its\s+)?(?:two|three|four|five|six|\d)[- ]"
                           r"(?:letter|character|char|digit)", re.IGNORECASE)
_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_QUOTED_OR_BARE = re.compile(r"[\"'](\w+)[\"']|(?<![\w-])([A-Z]{2,6}|\d{2,6})(?![\w-])")


def _shape_asked(question: str) -> re.Pattern[str] | None:
    """The shape a question says its answer has ("the three-letter code", "a four-digit
    number"), as a pattern a value must match whole; None when it says none, or several."""
    asking = asking_part(question)
    said = _SHAPE.findall(asking)
    if len(said) != 1 or COUNT_ASKED.search(asking) or _SHAPE_OF_KEY.search(asking):
        return None  # "how many three-letter codes", "the country with three-letter code DEU"
    n, kind = said[0]
    size = int(_COUNTS.get(n.lower(), n))
    shape = re.compile({"letter": rf"[^\W\d_]{{{size}}}", "digit": rf"\d{{{size}}}"}.get(kind.lower(), rf"\w{{{size}}}"))
    if any(shape.fullmatch(w) and (w.isupper() or w.isdigit()) for w in re.findall(r"\w+", asking)):
        return None  # "which airport has the three-letter code LHR": the shape is the key's, not the answer's
    return shape


_MAN_SECTION = re.compile(r"(?<=[A-Za-z_])\(\d[a-z]?\)")
"""A manual page's section after its name: "ps(1)", "stat(2)", "proc(5)"."""


_ASKS_A_NAME = re.compile(r"\b(?:symbols?|abbreviat\w*|alias\w*|synonyms?|short\s+forms?|names?|called|known\s+as|"
                          r"spelled|spelt|written|stands?\s+for)\b", re.IGNORECASE)
"""A question asking what something is called: another name of its subject answers it."""
_NAME_CHAIN = re.compile(r"[ \t]+=(?!=)[ \t]+")
_IDENTIFIER = re.compile(r"[A-Za-z_][\w.]*")


def _names_subject(value: str, written: Sequence[str], words: Sequence[str], question: str) -> bool:
    """Whether `value` is another name of what the question names: on a definition line whose
    `=` chain gives the thing several names (pint's `force_kilogram = g_0 * kilogram = kgf =
    kilogram_force`), the value and one of the question's `words` are two of those names.
    Asked which power unit is defined in terms of the kilogram-force, the 1.5B read kgf; a
    question asking for a name, symbol or alias wants exactly that, so it is kept."""
    if not words or not _IDENTIFIER.fullmatch(value) or _ASKS_A_NAME.search(asking_part(question)):
        return False  # a number is a value, never a name
    asked = {w.lower() for w in words}
    for line in written:
        parts = [part.strip() for part in _NAME_CHAIN.split(line)]  # " = " apart: not logfmt's key=value
        names = {p.lower() for p in parts if _IDENTIFIER.fullmatch(p)}
        if len(parts) >= 3 and value.lower() in names and names & asked:
            return True
    return False


def read_value(reply: str, lines: str, question: str, words: Sequence[str] = (),
               context: ContextValue | None = None, header: Sequence[str] = ()) -> str | None:
    """The value a reader's `reply` states, or None: it said the lines do not answer, wrote
    more than a value, wrote what the context lines do not hold whole, echoed the question's
    own term, gave a value in another form than the question asks for (`asked_form`; a
    question asking which module or file wants one of the files the lines are in), or read it
    where nothing ties it to what the question is about, its rarest `words` in the `context`
    (`_tied`). A table's rows given by name (`header`) are checked as the text writes them:
    "pop=93364244" is read as 93364244, and a column's name or two cells are no value."""
    text = reply.strip()
    if text.lower().startswith("answer:"):
        text = text[len("answer:"):]
    value = bare_answer(text)
    if header:
        name, eq, cell = value.partition("=")
        value = cell.strip() if eq and name.strip() in header else value
        if value in header or "; " in value or "=" in value:
            return None
        lines = _unnamed(lines, header)
    if not value or "\n" in value or len(value) > 80 or _NONE.match(value):
        return None
    if len(value) < 2 and not value.isdigit():
        return None  # "a" of "f(a | b)": a letter is no value
    if echoes_question(value, question):
        return None
    written = written_lines(lines)
    if _names_subject(value, written, words, question):
        return None
    if (form := asked_form(question)) is not None and not fits_form(
            value, form, lines if dotted_versions(lines) or not isinstance(context, str) else context):
        return None  # asked "whose name", the reader gave a package's name
    if (shaped := _shape_asked(question)) is not None and not shaped.fullmatch(value):
        # Asked the three-letter code, the reader gave the two-letter one beside it: the one
        # value of the asked shape the lines write, else none.
        fitting = {v for line in written for m in _QUOTED_OR_BARE.finditer(line)
                   if shaped.fullmatch(v := m.group(1) or m.group(2))}
        if len(fitting) != 1:
            return None
        value = fitting.pop()
    if ASKS_FILE.search(asking_part(question)) and (files := _file_names(lines)) and value.lower() not in files:
        return None  # asked which module defines a class, the reader gave its base class
    if value.isdigit() and not any(writes_whole(_MAN_SECTION.sub(" ", line), value) for line in written):
        return None  # "1" of "used by ps(1)": a manual section, no value
    if any(writes_whole(line, value) for line in written):
        return value if context is None or _tied(value, lines, question, words, context) else None
    # "2026-05-20 to 2026-09-22" asked between which two dates: each end written whole.
    span = _SPAN.fullmatch(value) if _ASKS_TWO.search(question) else None
    if span is not None and all(any(writes_whole(line, end) for line in written) for end in span.groups()):
        return value
    return None
