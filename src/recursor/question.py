"""What a question asks, read from its wording: its form, its options, its period, its counts.

The first look (`recursor.orient`) and the answer checks (`recursor.turns`) both read the
question: which of its words are about the context or the answer's form, whether it asks how
many, which of two options, for a ranking, a yes or no, or over a period. Those readings live
here, once, so a look and a check agree on what a question asks. Several patterns look alike
and differ on purpose: each says what it is for and where it is used.

General English question shapes only: nothing here knows a document or a benchmark.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from fractions import Fraction
from itertools import islice

from recursor.sandbox.helpers import _MONTH_RX, _MONTHS, _STOP, _make_date, _period_or_none

__all__ = [
    "ANSWER_FORMAT",
    "ASKS_SIZE",
    "AT_MOST",
    "CHOICE_WORDS",
    "COUNTED_RECORDS",
    "COUNTISH",
    "COUNTS",
    "COUNT_ASKED",
    "DOCUMENT_KINDS",
    "HOW_MANY",
    "MOST",
    "NOT_FIRST",
    "PLURAL_ASKED",
    "QUALIFIED",
    "RECORD_NOUNS",
    "SETS_ASIDE",
    "SET_ASIDE",
    "STATED_LIMIT",
    "SUPERLATIVE",
    "TOKEN",
    "YES_NO_START",
    "abbreviated",
    "about_context",
    "answer_options",
    "answer_unit_words",
    "asked_form",
    "asked_sentence",
    "asking_part",
    "asks_for_number",
    "asks_yes_no",
    "choice_options",
    "counted_head",
    "counts_records",
    "date_range",
    "dotted_versions",
    "fits_form",
    "in_asked_unit",
    "iso_forms",
    "letters_in_order",
    "limits_cut",
    "marked_short",
    "marked_words",
    "name_parts",
    "names_options",
    "negated",
    "not_ranking",
    "one_period",
    "ranks",
    "terms_of",
]


TOKEN = re.compile(r"[A-Za-z0-9_]+(?:[-.:+~/@][A-Za-z0-9_]+)*")
"""A question's word; ids, versions, times and paths (`libc6:amd64`, `16:49:20`) kept whole."""


_NAME_PARTS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


def name_parts(name: str) -> list[str]:
    """The words a code name is made of, lowercased, as a question writes them: `xmlParserErrors`
    is "xml parser errors", `HTTPServer` "http server"."""
    return [p.lower() for p in _NAME_PARTS.findall(name)]


def letters_in_order(short: str, word: str) -> bool:
    """Whether `short` is shorter than `word`, starts with its first letter, and writes its
    other letters in `word`'s order ("adbe" of "adobe", "dims" of "dimensions"); case counts."""
    if len(short) >= len(word) or short[:1] != word[:1]:
        return False
    rest = iter(word[1:])
    return all(c in rest for c in short[1:])


def abbreviated(part: str, words: Iterable[str]) -> set[str]:
    """The words `part` of a code name writes abbreviated, run together, when all of it is
    (`maxdims`: "maximum" and "dimensions"; `npy`: "numpy"; `cnt`: "count"), else none. Each
    piece is three letters or more that start its word and are its start (`max`, `conn`) or
    letters of it in order, two fifths of its length or more (`dims`, `msg`; not `dns` for
    "dimensions"); no word twice, and no word under five letters ("get" is no "gets"
    abbreviated, and a short word's pieces are too often another's start)."""
    words = sorted({w.lower() for w in words if len(w) >= 5}, key=lambda w: (-len(w), w))
    if len(part) > _PART_MAX or len(part) < 3 or not any(w[0] == part[0] for w in words):
        return set()  # its first piece starts a word, or it abbreviates none

    def writes(piece: str, word: str) -> bool:
        if not letters_in_order(piece, word):
            return piece == word
        return word.startswith(piece) or 5 * len(piece) >= 2 * len(word)

    # best[i]: the words that part[:i] writes, piece by piece, or None when it writes none.
    best: list[frozenset[str] | None] = [frozenset()] + [None] * len(part)
    for end in range(3, len(part) + 1):
        for start in range(0, end - 2):
            before = best[start]
            if before is None:
                continue
            piece = part[start:end]
            for word in words:
                if word not in before and writes(piece, word):
                    best[end] = before | {word}
                    break
            if best[end] is not None:
                break
    return set(best[-1] or ())


_PART_MAX = 32
"""A name's part longer than this is read for no abbreviations (the search is quadratic in it)."""


def terms_of(text: str) -> list[str]:
    """The text's words as the look reads a question's (`TOKEN`): dotted names, paths and ids whole."""
    return TOKEN.findall(text)


_OPTIONS = re.compile(r"(?:\b[A-Za-z][\w'-]*(?: [\w'-]+){0,3}, ){2,}(?:(?:and|or) )?[A-Za-z][\w'-]*")
"""Three or more terms in a comma list ("positive, negative, or mixed"): the question names
the answer's options, each record is to be judged against them, and a search for one of its
words finds the lines that happen to hold that word. Such a question gets no search hint."""


_FORM_TAIL = re.compile(
    r"\s*+(?:(?:please|kindly)\s+)?(?P<lead>(?:give|state|write|return|provide|report)\s+(?:(?:only|just)\s+)?|just\s+|only\s+)?"
    r"(?:(?:the|its|their|his|her|your|a|an)\s+)?(?P<middle>(?:[\w'`-]+\s+){0,2})"
    r"(?:names?|numbers?|codes?|values?|ids?|identifiers?|figures?|terms?|words?|letters?|version|answer|digits)"
    r"(?P<only>\s+only)?(?:,?\s+please)?\s*+[.!]?\s*+", re.IGNORECASE)
"""A last sentence after the question that only says what to write: "Give the person's name.",
"Give the class name only.", "Just the number.", "Name only, please."."""
_FORM_WORD = re.compile(r"[\w-]+'s|exact|full|whole|short|plain|single|numeric|final|\w+-(?:letter|digit|character)s?",
                        re.IGNORECASE)
"""A word between the verb and the noun that says only what the answer looks like."""


def _form_cut(asking: str) -> str:
    """`asking` without a last sentence on what to write (`_FORM_TAIL`): its words ("person",
    "class", "only") ask nothing of the text, and "only" read as a condition kept the looks
    that compute what the question asks from offering it. A word between verb and noun must
    restate the question ("class" of "which class ...") or only say the answer's form; "Give
    the admin names.", "Just the distinct codes.", "Give the name for 2024 only." ask more."""
    at = asking.rfind("?")
    m = _FORM_TAIL.fullmatch(asking, at + 1) if at >= 0 else None
    if m is None or not (m["lead"] or m["only"]):
        return asking
    asked = {w.lower() for w in re.findall(r"[\w'-]+", asking[:at])}
    if all(_FORM_WORD.fullmatch(w) or w.lower() in asked for w in m["middle"].split()):
        return asking[:at + 1]
    return asking


ANSWER_FORMAT = re.compile(r"\b(?:answer|reply|respond)\s+(?:only\s+)?with\b[^?!\n]*"
                           r"|(?:^|(?<=[.?!:]))[^\S\n]*(?:(?:please|kindly|just)\s+)?(?:answer|reply|respond)(?:\s+(?:only|just))?"
                           r"[^\S\n]*:?[^\S\n]*[\"']?yes[\"']?[^\S\n]*(?:or|/)[^\S\n]*[\"']?no\b[\"']?\.?"
                           r"|(?<=[.?!])[^\S\n]*yes[^\S\n]*(?:or|/)[^\S\n]*no[^\S\n]*\?[^\S\n]*$"
                           r"|\([^\S\n]*[\"']?yes[\"']?[^\S\n]*(?:or|/)[^\S\n]*[\"']?no[\"']?[^\S\n]*\)"
                           r"|\([^\S\n]*(?:give|answer|reply|write)\b[^()\n]{0,120}\)"
                           r"|\([^\S\n]*(?:just|only)[^\S\n]+(?:the[^\S\n]+)?(?:file[^\S\n]*name|basename|name|number|value|word|id|code|letter)"
                           r"\b(?:[^\S\n]*[,;]?[^\S\n]*(?:as|without|with|in|no)\b[^()\n]{0,80})?[^\S\n]*\)", re.I | re.M)
"""'Answer with "yes" or "no"', 'reply with the number only', 'Answer yes or no', '(yes/no)',
'(give its process name as supervisord shows it)', '(just the file name, without its directory)':
a question's words about the form of its answer. General: any question may say how to answer, and those words (often
quoted) name the answer's options, never what to search for."""


_STATEMENT_START = re.compile(r"(?:^|(?<=[.!?]\s))(?:The|This|These|Each|Every)\b", re.MULTILINE)
_CONTEXT_NOUN = re.compile(r"\b(?:context|text|document|input|data|dump|logs?|files?|lines?|records?|rows?|entries)\b")
_STATEMENT_VERB = re.compile(r"\b(?:is|are|has|have|contains?|holds?|starts?|begins?)\b")
_CLAUSE_STOP = re.compile(r"[.!?\n]")
_STATEMENT_END = re.compile(r"[?!\n]|\.(?=\s|$)")


def _about_context(text: str) -> list[tuple[int, int]]:
    """The spans of the text's statements of what the context is ("The context is a set of
    files from a server; each file starts with ..."): a sentence that starts "The", "This",
    "These", "Each" or "Every", names the context ("context", "text", "log", "files", ...) and
    then says what it is or holds before its first stop, and ends at a period. They tell how the
    text is written, which the first look shows anyway, and their words ("server", "files") are
    not what the question asks for. Statements only: a sentence ending in "?" is the question
    itself. Found by one scan each, where a regular expression of three lazy stretches took
    minutes on a 24 KB question with no period."""
    spans: list[tuple[int, int]] = []
    for start in _STATEMENT_START.finditer(text):
        if spans and start.start() < spans[-1][1]:
            continue
        stop = _CLAUSE_STOP.search(text, start.end())
        clause_end = stop.start() if stop else len(text)
        noun = _CONTEXT_NOUN.search(text, start.end(), clause_end)
        verb = _STATEMENT_VERB.search(text, noun.end(), clause_end) if noun else None
        end = _STATEMENT_END.search(text, verb.end()) if verb else None
        if end is not None and text[end.start()] == ".":
            spans.append((start.start(), end.end()))
    return spans


def _without_context_statements(text: str) -> str:
    """The text with each statement about the context (`_about_context`) written as a space."""
    out, at = [], 0
    for start, end in _about_context(text):
        out += [text[at:start], " "]
        at = end
    return "".join(out) + text[at:]


_QUOTED = re.compile(r"[\"\u201c]([^\"\u201c\u201d\n]{1,40})[\"\u201d]|'([^'\n]{1,40})'(?=[\s,.;:?!)]|$)")


def answer_options(question: str) -> tuple[str, ...]:
    """The answers a question allows, quoted in its words on the answer's form ('Answer with
    "more common", "less common" or "same frequency"'): two or more; () when it quotes none."""
    found: list[str] = []
    for m in ANSWER_FORMAT.finditer(question):
        found += [a or b for a, b in _QUOTED.findall(m.group(0))]
    return tuple(found) if len(found) >= 2 else ()


def names_options(question: str) -> bool:
    """Whether the question lists its answer's options (`_OPTIONS`)."""
    return _OPTIONS.search(question) is not None


_NOT_CHOICE = re.compile(r"\s*(?:how|when|where|who|whom|whose|why)\b|.*\b(?:how\s+(?:many|much)|number\s+of)\b",
                         re.IGNORECASE)
"""A question that asks how, when, where, who, why or how many: its answer is no option."""


_COMPARES = re.compile(r"\b(?:more|less|fewer|most|least|first|last|bigger|larger|smaller|higher|lower|older|newer|"
                       r"earlier|later|longer|shorter|faster|slower|better|worse|greater|heavier|lighter|wider|"
                       r"narrower|closer|nearer|before|after|largest|smallest|biggest|highest|lowest|oldest|newest|"
                       r"earliest|latest|longest|shortest|fastest|slowest|greatest|best|worst|\w+er\s+than)\b",
                       re.IGNORECASE)
"""A comparison: a question that offers two things to compare asks which of them."""


PLURAL_ASKED = re.compile(r"\s*(?:which|what)\s+(?:\w+[^\Wsiu]s)\s+(?:were|are|was|is|have|had|did|do|got|get)\b",
                           re.IGNORECASE)
""""Which packages were ...": the answer is a list of things, not one of two options (not
"Which status is ...", "Which bus was ...")."""


YES_NO_START = re.compile(r"\s*(?:is|are|was|were|does|do|did|has|have|had|can|could|should|will|would)\b",
                          re.IGNORECASE)
"""A question that starts so is answered yes or no, or by naming one of its terms."""


_ASKING_WORD = re.compile(r"\b(?:which|what|who|whom|whose|where|when|how)\b", re.IGNORECASE)


def _listed_before(text: str) -> bool:
    """Whether `text` (a question up to the comma before its first option) ends in another
    item of a list: up to three words after a comma or colon, none of them an asking word."""
    at = max(text.rfind(","), text.rfind(":"))
    return at >= 0 and len(terms_of(text[at + 1:])) <= 3 and not _ASKING_WORD.search(text[at + 1:])


def choice_options(question: str) -> tuple[str, str] | None:
    """The two options a question offers ("Are there more audio types or more video types?":
    audio, video; "Which lists more fixes, 9.0 or 9.1?": 9.0, 9.1), or None. The words around
    "or" are lined up from it, the longest run of up to three on each side that differs in
    one word only (the shared "more" and "types" are not the choice); a comma or colon before
    the first option ends its side, and sets the choice off unless an asking word stands between
    it and the option (a clause before the question: "Judging by X, which A or B is oldest?"). Only in a question sentence (ending "?") that compares
    (`_COMPARES`: "more", "first", "largest", "before", ...), does not ask how, when, where,
    who, why or how many, with one "or"; and where the choice is set off (after a comma or
    colon, "which of", "whether"), or the sentence starts as a yes/no question and the options
    end it or follow the comparison ("Are there more A or more B?"). "Which packages were
    removed or purged?", "Which user has the most failed logins or lockouts?" and "Did more
    than 5 requests fail or time out?" offer no choice."""
    for sentence in re.split(r"(?<=[.!?])\s+", asking_part(question)):
        sentence = sentence.strip()
        if not sentence.endswith("?") or _NOT_CHOICE.match(sentence) or not _COMPARES.search(sentence):
            continue
        at = list(re.finditer(r"\bor\b", sentence, re.IGNORECASE))
        if len(at) != 1:
            continue
        before, after = sentence[:at[0].start()], sentence[at[0].end():]
        cut = max(before.rfind(","), before.rfind(":"))
        left = terms_of(before[cut + 1:])
        right = terms_of(re.split(r"[,;:]|\?\s*$", after, maxsplit=1)[0])
        for k in range(min(3, len(left), len(right)), 0, -1):
            a, b = left[-k:], right[:k]
            differ = [i for i in range(k) if a[i].lower() != b[i].lower()]
            if len(differ) != 1:
                continue
            if {a[differ[0]].lower(), b[differ[0]].lower()} & _STOP:
                return None  # "the upgrade of bash or the removal of vim": no one-word options
            if cut >= 0 and _listed_before(before[:cut]):
                return None  # "Which is biggest: bash, zsh or fish?": three options, not two
            if ((cut >= 0 and not _ASKING_WORD.search(before[cut + 1:]))
                    or re.search(r"\b(?:which\s+of|whether)\b", before, re.IGNORECASE)):
                # set off: "Which is larger, A or B?", "Which came first, version 9.0 or 9.1?",
                # "which of A or B"; not after a clause that ends at the comma ("Judging by X,
                # which method or property is the oldest?")
                return a[differ[0]], b[differ[0]]
            ends = len(terms_of(after)) == k
            if (YES_NO_START.match(sentence) and not PLURAL_ASKED.match(sentence)
                    and (ends or any(_COMPARES.fullmatch(w) for w in left[-k - 1:]))):
                return a[differ[0]], b[differ[0]]  # "Is it newer, A or B?", "Are there more A or more B?"
            return None
    return None


def about_context(question: str) -> tuple[str, str]:
    """The question's leading statements about the context (`_about_context`), with the blank
    line after them, and the rest: "The context is ...; each file starts with ...\n\n" and
    "Which ...?"; ("", question) when it leads with none."""
    end = 0
    for start, stop in _about_context(question):
        if question[end:start].strip():
            break
        end = stop
    return (question[:end].strip() + "\n\n" if end else ""), question[end:].strip()


def asking_part(question: str) -> str:
    """The question without its statements about the context and about the answer's form."""
    return ANSWER_FORMAT.sub(" ", _without_context_statements(_form_cut(question)))


def asked_sentence(question: str) -> str:
    """The sentence that asks (the first ending in "?"), without statements about the context:
    "What is the default limit?" of "I'm setting up a new server. What is the default limit?"."""
    asking = asking_part(question)
    # Not after "e.g.", "i.e.", "vs.", "etc.", nor before a lowercase word or a digit ("sec. 3.2").
    sentences = re.split(r"(?<!\b[eE]\.[gG]\.)(?<!\b[iI]\.[eE]\.)(?<!\bvs\.)(?<!\betc\.)(?<=[.?!])\s+(?![a-z0-9])",
                         asking.strip())
    return next((s for s in sentences if s.rstrip().endswith("?")), asking)


def asks_yes_no(question: str) -> bool:
    """Whether the question is answered yes or no: its asking sentence starts as one ("Does
    journald forward ..."), asks nothing after it (`_SECOND_QUESTION`) and offers no choice
    ("under /var or under /srv?"; "or not" and "either ... or" are none)."""
    asked = asked_sentence(question)
    return (YES_NO_START.match(asked) is not None and _SECOND_QUESTION.search(asked) is None
            and re.search(r"\bor\b(?!\s+not\b)", re.sub(r"\beither\b.*", "", asked, flags=re.I), re.I) is None)


_SECOND_QUESTION = re.compile(r"(?:,|\band\b|\bif\s+so\b)\s*(?:\w+\s+)?" + _ASKING_WORD.pattern, re.IGNORECASE)
"""A second question after a yes/no one ("Does it compress, and on which port?"); a relative
clause ("when the disk is full", "where the status is 500") asks nothing more."""


_UNITS = "milliseconds|seconds|minutes|hours|days|weeks|bytes|kilobytes|megabytes|gigabytes|KiB|MiB|GiB|KB|MB|GB"
"""The units of time and size a question asks its answer in (matched in any case)."""
_ANSWER_UNIT = re.compile(
    r"\b(?:in|as|into|to)\s+(?:a\s+|an\s+)?(?:plain\s+|whole\s+|single\s+)?"
    r"(?:" + _UNITS + r"|hex|hexadecimal|decimal|octal|binary|percent|number|integer|digits)\b"
    r"|\(\s*(?:a\s+)?(?:plain|whole|single)\s+(?:number|integer|value)\s*\)",
    re.IGNORECASE)


_TIME_UNITS: dict[str, Fraction] = {
    name: seconds for names, seconds in ((("ms", "millisecond", "msec"), Fraction(1, 1000)),
                                         (("s", "sec", "second"), Fraction(1)), (("m", "min", "minute"), Fraction(60)),
                                         (("h", "hr", "hour"), Fraction(3600)), (("d", "day"), Fraction(86400)),
                                         (("w", "week"), Fraction(604800)))
    for name in names}
_SIZE_UNITS: dict[str, Fraction] = {
    name: Fraction(1 << (10 * power))
    for power, names in enumerate((("b", "byte"), ("k", "kb", "kib", "kilobyte"), ("m", "mb", "mib", "megabyte"),
                                   ("g", "gb", "gib", "gigabyte"), ("t", "tb", "tib", "terabyte")))
    for name in names}
_ASKED_UNIT = re.compile(
    r"(?<!\bis )(?<!\bare )(?<!\bwas )(?<!\bwere )(?:\b(?:in|into|as)|\b(?:convert(?:ed)?|express(?:ed)?)\b[^?.]*?\bto)"
    r"\s+(?:a\s+number\s+of\s+|whole\s+|plain\s+)?(?P<unit>" + _UNITS + r")\b(?!\s*[\d/-])"
    r"|\bhow\s+many\s+(?P<many>milliseconds|seconds|minutes|hours|days|weeks|bytes|kilobytes|megabytes|gigabytes)\b",
    re.I)
_WITH_UNIT = re.compile(r"\s*(?P<n>\d{1,12}(?:\.\d{1,6})?)\s*(?P<unit>[A-Za-z]+)\s*\.?\s*")


def _unit_key(unit: str, units: dict[str, Fraction]) -> str | None:
    """`unit` as a key of `units`: lowercased, a plural's "s" taken off ("minutes", "secs").
    Not a capital "M" for a time (a month in systemd's spans), nor a size in bits ("Mb")."""
    if units is _TIME_UNITS and unit == "M":
        return None
    if units is _SIZE_UNITS and len(unit) == 2 and unit.endswith("b") and unit[0] != "k":
        return None  # "Mb", "Gb": bits
    low = unit.lower()
    for key in (low, low[:-1] if low.endswith("s") and len(low) > 2 else low):
        if key in units:
            return key
    return None


def in_asked_unit(answer: str, question: str) -> tuple[str, str] | None:
    """The answer converted to the unit the question asks for ("Express ... in seconds", "how
    many seconds"), and that unit as the question writes it, when the answer is a number
    written with another unit of the same kind ("5min", "48K", "1d"): configs write values in
    their own units, and a small root copies them as written. Only the sentence that asks is
    read ("I measured latency in milliseconds." asks for no unit). Sizes count 1024 to the K,
    as configs and man pages do. None when the answer is in the asked unit already, or the
    conversion is not exact to six decimals."""
    asked = _ASKED_UNIT.search(asked_sentence(question))
    m = _WITH_UNIT.fullmatch(answer)
    if asked is None or m is None:
        return None
    unit = asked["unit"] or asked["many"]
    for units in (_TIME_UNITS, _SIZE_UNITS):
        to, have = _unit_key(unit, units), _unit_key(m["unit"], units)
        if to is None:
            continue
        if have is None or units[have] == units[to]:
            return None
        value = Fraction(m["n"]) * units[have] / units[to]
        if (value * 10**6).denominator != 1:
            return None  # "10ms" in hours: no value to offer as the exact line
        shown = format(Decimal(value.numerator) / Decimal(value.denominator), "f")
        return (shown.rstrip("0").rstrip(".") if "." in shown else shown), unit
    return None


def answer_unit_words(question: str) -> frozenset[str]:
    """The question's words that say the answer's unit or notation ("in seconds", "in hex",
    "(a plain number)"): the text writes the value in its own unit ("5min", "0x3d"), so they
    do not tell where it is written."""
    return frozenset(w.lower() for m in _ANSWER_UNIT.finditer(question) for w in terms_of(m.group(0)))


_MONTH_DATE = re.compile(
    r"\b" + _MONTH_RX + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)"  # May 9, 2026
    r"|(?<![\w.,])(?<!top )(?<!the )(?<!of )(?<!first )(?<!last )(?<!all )"
    r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH_RX + r",?\s+(\d{4})(?!\d)"  # 9 May 2026
    r"|\b" + _MONTH_RX + r",?\s+(?:of\s+)?(\d{4})(?!\d)",  # May 2026
)
"""A date with a month's name, capitalised as written in English ("may 2024" is a verb's)."""


def iso_forms(question: str) -> list[tuple[str, str]]:
    """The question's dates written with a month's name, each with its ISO form ("May 2026"
    -> "2026-05", "9 May 2026" -> "2026-05-09"): logs and records write dates that way, so
    that is the form to look up."""
    out = []
    for m in _MONTH_DATE.finditer(question):
        g = m.groups()
        if g[0] is not None:
            month, day, year = g[0], int(g[1]), g[2]
        elif g[4] is not None:
            month, day, year = g[4], int(g[3]), g[5]
        else:
            month, day, year = g[6], 0, g[7]
        number = _MONTHS[month[:3].lower()]
        if _make_date(int(year), number, day or 1) is None:  # "Feb 30, 2024", "0 May 2026": the month stands
            day = 0
        out.append((m.group(0), f"{year}-{number:02d}" + (f"-{day:02d}" if day else "")))
    return out


_A_DATE = (r"(?:\d{4}-\d{2}-\d{2}|\d{4}-\d{2}|(?:" + _MONTH_RX + r"\s+)?(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?(?:19|20)\d\d"
           r"|\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH_RX + r",?\s+(?:19|20)\d\d)")


_NO_YEAR = (r"(?:" + _MONTH_RX + r"\s+\d{1,2}(?:st|nd|rd|th)?|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH_RX
            + r"|" + _MONTH_RX + r")")
_RANGE = re.compile(r"\b(?:between\s+(?:the\s+years\s+)?(?P<a>" + _A_DATE + r")\s+and\s+(?P<b>" + _A_DATE + r")"
                    r"|(?P<c>" + _A_DATE + r")\s+(?:to|through|until|till|and)\s+(?P<d>" + _A_DATE + r")"
                    r"|(?:[Bb]etween|[Ff]rom)\s+(?P<e>" + _NO_YEAR + r")\s+(?:to|through|until|till|and)\s+(?P<f>"
                    + _A_DATE + r"))(?!\d)")
"""A period a question names by its ends: "between 2026-05-20 and 2026-09-22", "from 2020 to
2025", "in the years 2020 to 2025", "March 2024 through May 2024", and with the year written
once, at the end: "from 1 June through 31 August 2022", "between June 1 and August 31, 2022"."""


_YEAR_EDGE = re.compile(r"\b(?:the\s+)?(?:start|beginning|end|close)\s+of\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE)
"""A year's edge named in words ("between the start of 2006 and the end of 2008"): the year."""


def date_range(question: str) -> tuple[str, str, date, date] | None:
    """The period the question names by its two ends, as written (a first end written without
    its year gets the year it is read in) and as days (the first day of the first end to the
    last day of the second); None when it names none."""
    m = _RANGE.search(_YEAR_EDGE.sub(r"\g<year>", asking_part(question)))
    if m is None:
        return None
    first, last = ((m.group("a"), m.group("b")) if m.group("a") else (m.group("c"), m.group("d")) if m.group("c")
                   else (m.group("e"), m.group("f")))
    b = _period_or_none(last)
    if not m.group("e"):
        a = _period_or_none(first)
    elif not re.search(_MONTH_RX + r"|\d{4}-\d{2}", last):
        return None  # "between June and 2023": a month and a year are no two ends of one period
    elif b is None:
        return None
    else:  # the first end takes the last's year, or the one before it
        year = b[1].year
        a = _period_or_none(f"{first.rstrip(',')} {year}")
        if a is not None and a[0] > b[1]:
            year -= 1
            a = _period_or_none(f"{first.rstrip(',')} {year}")
        first = f"{first.rstrip(',')} {year}"  # as a call reads it: "1 June 2022"
    if a is None or b is None or a[0] > b[1]:
        return None
    return first, last, a[0], b[1]


_ONE_PERIOD = re.compile(r"\b(?:in|during|on|for|throughout)\s+(?:the\s+(?:calendar\s+)?(?:month|year)\s+(?:of\s+)?)?(?P<p>"
                         + _A_DATE + r")(?![\dx\u00d7])(?!\s*(?:ms|s|sec|secs|seconds|px|kb|mb|gb|bytes|%|q[1-4])\b)",
                         re.IGNORECASE)
"""A period a question names as one date, month or year: "in March 2024", "on 2024-05-03",
"during 2023"; not a duration or a size ("in 2000 ms", "in 1920x1080")."""
_YEAR = re.compile(r"(?<!\d)(?<!\d\.)(?:19|20)\d\d(?!\d)(?!\.\d)")


def one_period(question: str) -> str | None:
    """The one period the question names (`_ONE_PERIOD`), as written, when it names no range
    (`date_range`) and no other year ("in 2023 or 2024", "in 2024 vs 2023"); None otherwise."""
    asking = asking_part(question)
    if date_range(question) is not None:
        return None
    found = [m for m in _ONE_PERIOD.finditer(asking) if _period_or_none(m.group("p")) is not None]
    if len(found) != 1:
        return None
    inside = {m.start() for m in _YEAR.finditer(asking, found[0].start("p"), found[0].end("p"))}
    if any(m.start() not in inside for m in _YEAR.finditer(asking)):
        return None
    return found[0].group("p")


_MARKED = re.compile(r"(?:^|(?<=[\s(]))\.(" + TOKEN.pattern + r")"
                     r"|[`\"\u201c]([^`\"\u201c\u201d\n]{1,60})[`\"\u201d]"
                     r"|(?:^|(?<=\s))['\u2018]((?:[^'\u2018\u2019\n]|['\u2019](?=[A-Za-z])){1,60})['\u2019](?=[\s,.?!;:)]|$)")
"""A word the question writes as a name: a file extension (`.udeb`), or in quotes or backticks."""


def marked_words(question: str) -> frozenset[str]:
    """The question's words it writes as names (`_MARKED`), lowercased: "a package ending in
    .udeb" names `udeb`, which a look must search before the everyday words around it (it
    ranked after "installer" and "ending", each on one line too, and was not shown)."""
    out: set[str] = set()
    for m in _MARKED.finditer(question):
        out.update(t.lower() for t in terms_of(next(g for g in m.groups() if g is not None)))
    return frozenset(out)


_SYMBOL = re.compile(r"(?:^|(?<=\s))\(([^\w\s()]{1,3})\)")
"""A symbol the question writes in parentheses: "the euro sign (€)"."""


_QUOTES = "'\"`\u2018\u2019\u201c\u201d"


def marked_short(asking: str) -> list[tuple[str, ...]]:
    """What the question quotes or puts in parentheses that no word of it finds, each as the
    spellings to search, best first: one or two letters or digits in quotes, as the text may
    quote them ("written as the single character 'K'": `code='K'` in a table of thousands of
    K's; `id` of a JSON's "id"), and a symbol or a short option as it is ("the euro sign (€)":
    the lines writing € are the sequences asked about; "-x")."""
    out: dict[str, tuple[str, ...]] = {}
    for m in _MARKED.finditer(asking):
        inner = next(g for g in m.groups() if g is not None).strip().strip(_QUOTES)
        if not inner or (TOKEN.fullmatch(inner) and len(inner) >= 3):
            continue
        if TOKEN.fullmatch(inner):
            out.setdefault(inner.lower(), (f"'{inner}'", f'"{inner}"'))
        elif len(inner) <= 3 or not any(c.isalnum() for c in inner):
            out.setdefault(inner.lower(), (inner,))  # "%", "-x", "€"
    for m in _SYMBOL.finditer(asking):
        if symbol := m.group(1).strip(_QUOTES):
            out.setdefault(symbol.lower(), (symbol,))
    return list(out.values())


DOCUMENT_KINDS = frozenset(
    "file header log config configuration changelog table list document text license licence index map "
    "manual page module source script dump output report listing database spreadsheet notes readme catalog "
    "inventory registry dictionary glossary spec specification schema manifest record records data dataset "
    "run trace history transcript".split())
"""Nouns a user names the document they give by ("this Linux input header", "the lm-sensors config")."""

_DEICTIC = frozenset({"this", "these"})
_DEICTIC_ONLY = frozenset({"record", "records", "data"})
"""Document nouns only after "this": "in the redis record" names a record of the text."""
_PREPOSITIONS = frozenset({"in", "of", "from", "to", "within", "inside", "by", "throughout", "across"})
_DESCRIBED_UP_TO = 4
"""Words read back from a document's noun for the words describing it."""


MEASURED_ASKED = re.compile(
    r"(?:(?<!\bon\s)(?<!\bin\s)\bhow\s+(?:many|much)\s+(?:(?:milli|micro|nano)?seconds?|secs?|minutes?|mins?|hours?|ms|"
    r"(?:kilo|mega|giga|tera)?bytes?|[kmgt]i?b|bits?|pixels?|degrees?)\b|\bhow\s+long\b)"
    r"(?=(?:\s+[\w-]+){0,4}?\s+(?:is|are|does|do|can|should|must|will|makes?|takes?|fits?|holds?|needs?|uses?)\b)"
    r"|(?:\bat\s+most\s+how\s+(?:many|much)\b|\bhow\s+(?:many|much)\b(?=[^?.,;]{0,80}?\bat\s+most\b))"
    r"(?=(?:\s+[\w-]+){0,4}?\s+(?:is|are|does|do|will|can|could|should|must|would|may|might)\b)"
    r"(?![^?.,;]{0,120}?\b(?:not|never|no)\b|[^?.,;]{0,120}?n't\b)"
    r"(?![^?.,;]{0,120}?\b(?:one|any|each|every|single|per|ever|same\s+time|at\s+once|in\s+(?:this|the)\s+"
    r"(?:log|file|text|trace|history))\b)"
    r"|(?:(?:(?<=\bby default, )|(?<=\bby default ))how\s+(?:many|much)\b"
    r"|\bhow\s+(?:many|much)\b(?=[^?.,;]{0,120}?\bby\s+default\b))"
    r"(?=(?:\s+[\w-]+){0,4}?\s+(?:does|do|will|can|should|must)\b)"
    r"(?!(?:\s+[\w-]+){0,4}?\s+(?:of|in|among|from)\s)(?![^?.,;]{0,120}?\b(?:not|never|no)\b|[^?.,;]{0,120}?n't\b)",
    re.IGNORECASE)
"""A quantity asked in a unit ("how many seconds ahead of UTC", "how long is the timeout",
"how many bytes make up a block"), or as a bound ("at most how many redirects will it follow";
not "at most how many packages does one run install", a maximum over the text's records):
a value one line states, as a setting or a table's column does, not a count of lines. Only
in the present tense, as a setting or a spec says it ("is", "does"): "how many bytes did the
server send" adds up a log. Not days or weeks, nor "on/in how many ...": "on how many days
was rain measured" counts rows. Nor a number a thing does "by default" ("by default, how many inode
table blocks does ext4 read ahead"): a setting's stated default, not a count ("how many
options are on by default", "how many of the services does systemd start by default" and "how
many users do not use the shell set by default" still count)."""


def document_words(question: str) -> frozenset[str]:
    """The question's words, lowercased, that only describe the document it is asked about:
    the words between "this" (or "the" after a preposition) and a noun naming a document, and
    that noun ("In this Linux input header", "according to the timezone table"), and the owner
    of a possessive in a leading clause that says where to look (`_SOURCE_CLAUSE`: "Using
    PostgreSQL's default set of abbreviations, ..."). They say which text it is, not what to
    find in it: searched first as a rare name, "Linux" showed the 1.5B a licence line and it
    never read the line holding its answer; "PostgreSQL", on one comment line, came before the
    abbreviation asked about, whose record line was then never shown."""
    asking = asking_part(question)
    tokens = [m.group(0) for m in re.finditer(r"[\w.+/-]+|[()]", asking)]
    out: set[str] = set()
    for i, token in enumerate(tokens):
        if token.lower() not in DOCUMENT_KINDS:
            continue
        described: list[str] = []
        for j in range(i - 1, max(-1, i - 1 - _DESCRIBED_UP_TO - 2), -1):
            word = tokens[j].lower()
            if word in _DEICTIC or (word == "the" and j > 0 and tokens[j - 1].lower() in _PREPOSITIONS | {"according"}
                                    and token.lower() not in _DEICTIC_ONLY):
                out.update(w.lower() for w in [*described, token] if w not in "()")
                if i + 2 < len(tokens) and tokens[i + 1].lower() == "of" and tokens[i + 2].lower() not in _STOP:
                    out.add(tokens[i + 2].lower())  # "this pytest run of python-dateutil": whose run it is
                break
            if word in _STOP or (word in DOCUMENT_KINDS - {"log", "header"} and j != i - 1):
                break
            described.append(tokens[j])
    for m in _DOCUMENT_SAYS.finditer(asking):  # "does the spec say": the document, and that it says
        if m.group("noun").lower() in DOCUMENT_KINDS:
            out.update((m.group("noun").lower(), m.group("verb").lower()))
    for m in _GOING_BY.finditer(asking):  # "going by this NEWS file": its verb says where, too
        if any(w.lower() in DOCUMENT_KINDS for w in m.group("words").split()):
            out.update(w.lower() for w in m.group("verb").split())
    if (lead := _SOURCE_CLAUSE.match(asking)) is not None:
        clause = lead.group(1)
        out.update(m.group(1).lower() for m in _OWNER.finditer(clause)
                   if any(w.lower() in _SOURCE_NOUNS for w in re.findall(r"[\w-]+", clause[m.end():])[:4]))
    return frozenset(out)


_DOCUMENT_SAYS = re.compile(r"\b(?:does|do|did)\s+the\s+(?P<noun>[\w-]+)\s+(?P<verb>say|says|state|list|give|define|"
                            r"specify|name|call|describe|document)\b", re.IGNORECASE)
_GOING_BY = re.compile(r"\b(?P<verb>going\s+by|judging\s+by|according\s+to|based\s+on|as\s+per)\s+(?:this|the|that)\s+"
                       r"(?P<words>[\w.+/-]+(?:\s+[\w.+/-]+){0,3})", re.IGNORECASE)
_SOURCE_CLAUSE = re.compile(r"\s*(?:using|according\s+to|going\s+by|based\s+on|judging\s+by|per|in|from|within)\s+"
                            r"([^,?;]{1,80}),\s*(?=\S)", re.IGNORECASE)
"""A leading clause that says where to look ("Using PostgreSQL's default set of time zone
abbreviations, how many ...", "In pickletools' table of opcodes, which ...")."""
_SOURCE_NOUNS = DOCUMENT_KINDS | frozenset("set sets docs documentation defaults database collection".split())
"""What a possessive's owner owns when it names the source: "PostgreSQL's default set", not
"Bob's last commit" or "KEY_ZOOM's definition" (the subject itself)."""
_OWNER = re.compile(r"([\w.+-]*[^\W\d_][\w.+-]*)(?:'s|')(?=\s)")
"""A possessive's owner: "PostgreSQL" of "PostgreSQL's", "pickletools" of "pickletools'"."""


ASKS_FILE = re.compile(r"\b(?:which|what)\s+(?:\w+\s+)?(?:module|file)(?![\w-])[^?.;]*?\b(?:defines?|defined|declares?|"
                       r"declared|implements?|implemented)\b|\bname\s+the\s+(?:module|file)\b", re.IGNORECASE)
"""A question whose answer is the file that defines something: "which module in this tree
defines ...", "Where is `X` defined? Name the module." (not "which module-level function", "what
file format", "which file does nginx write to")."""


def counted_verb(asking: str) -> str | None:
    """The verb of a count ("how many connections did the server *accept*", "how many times was
    malloc *called*"): the last of the words after the count's auxiliary, before a preposition,
    an object's article ("did nginx *refuse* a connection") or the end ("how many errors are in
    the log" has none). What is counted is the lines that
    write it, not those of the noun before it."""
    m = _COUNTED_AUX.search(asking)
    if m is not None:
        run = re.split(_RUN_ENDS, " " + asking[m.end():], maxsplit=1)[0].split()
        # "did nginx refuse a connection": the verb is before its object's article, not the object
        at = next((i for i, w in enumerate(run) if i and w.lower() in _ARTICLES
                   and run[i - 1].lower() not in _ARTICLES), len(run))
        run = run[:at]
        verb = run[-1] if run and re.fullmatch(r"[a-z]{3,}", run[-1], re.IGNORECASE) else None
    else:
        past = _COUNTED_PAST.search(asking)
        verb = past.group(1) if past else None
    return (verb if verb and verb.lower() not in _STOP and verb.lower() != "there"
            and verb.lower() not in _WRITING_VERBS else None)


_WRITING_VERBS = frozenset("log logs logged record records recorded report reports reported write writes wrote "
                           "written print prints printed show shows showed shown list lists listed contain contains "
                           "contained mention mentions mentioned say says said note notes noted produce produces "
                           "produced emit emits emitted output outputs".split())
"""Verbs that say the text wrote something ("how many errors did the server *log*", "did the
build *report*"): what is counted is the thing written (the crawler's 8 lines holding "log"
were answered for its 113 responses), so no verb is searched first."""


_ARTICLES = frozenset("a an the any its their his her some every".split())
_COUNTED_AUX = re.compile(r"\bhow\s+many\b[^?.]*?\b(?:did|do|does|was|were|is|are|has|have|had|got|get|gets)\s+",
                          re.IGNORECASE)
_RUN_ENDS = re.compile(
    r"(?:\s+(?:up|down|out|off|away|back))?(?:\s*[?.,;:()]|\s+(?:in|into|over|during|across|on|from|by|before|after|at"
    r"|while|when|because|since|for|to|with|between|through|within|under|per|each|altogether|overall|total|of|than"
    r"|and|or)\b)",
    re.IGNORECASE)


_COUNTED_PAST = re.compile(r"\bhow\s+many\s+(?:[\w-]+\s+){1,3}?([a-z]{3,}ed)\b(?!\s+(?:by|to)\b)", re.IGNORECASE)
"""A count with its verb after the noun ("how many tests failed", "how many jobs timed out")."""


SET_ASIDE = (r"leaving\s+(?:out|aside)|leave\s+out|setting\s+aside|aside\s+from|apart\s+from|except(?:\s+for)?|"
             r"excluding|other\s+than|besides|not\s+counting|without\s+counting|ignoring|disregarding")
"""The ways a question sets some things aside ("leaving out cancelled ones", "not counting
gadgets"), as a pattern to build on: a reader that cannot tell which things those are offers
nothing, and a table's filter drops the value named after it."""
SETS_ASIDE = re.compile(rf"\b(?:{SET_ASIDE})\b", re.IGNORECASE)


COUNT_ASKED = re.compile(r"\bhow\s+many\b|\b(?:the|total)\s+number\s+of\b|\bcount\s+(?:of|the|how)\b", re.IGNORECASE)
"""A question that asks how many: what is counted is often one slot's lines, not the word's."""


_NEGATED = re.compile(
    r"(?:\b(?:not|no|never|without|except|excluding|other\s+than)|n't)\s+"
    r"(?:(?:mention|count|includ|contain|match|hold|show|list)\w*\s+(?:the\s+|any\s+|a\s+)?)?([\w.:+~-]+)",
    re.IGNORECASE)


def negated(question: str) -> set[str]:
    """The question's words it says the answer is not ("installed (not upgraded)")."""
    return {m.group(1).lower() for m in _NEGATED.finditer(question)}


COUNTS = re.compile(r"\b(?:how many|number of|add(?:ed)? up|in all|in total|total)\b", re.IGNORECASE)
"""A question that asks for a count or a total, not for the items themselves."""


SUPERLATIVE = re.compile(r"\b(?:most|fewest|least|largest|smallest|biggest|highest|lowest|greatest)\b", re.I)

_NOT_RANKING = re.compile(
    r"\bmost[\s-]+recent(?:ly)?\b|\bat\s+(?:most|least)\b|\b(?:most|least)\s+\d[\d,]*\s+\w+", re.IGNORECASE)
"""Superlative words that rank nothing: "the most recent version" (one entry's value), "at
most 3 words", "at least version 2" (a bound)."""


STATED_LIMIT = re.compile(
    r"\b(?:smallest|largest|biggest|highest|lowest|greatest|minimum|maximum|longest|shortest)\b"
    r"(?=(?:\s+[\w-]+){0,2}?\s+(?:allowed|permitted|supported|accepted|possible)\b(?:\s+[\w-]+){0,3}?\s+"
    r"(?:size|length|value|number|limit|amount|count|timeout|time|port|width|height|depth|bits?|bytes?|key|age|"
    r"duration|interval|delay|rate|version|level|priority)s?\b"
    r"|(?:\s+[\w-]+){0,3}?\s+(?:size|length|value|number|limit|amount|count|timeout|time|port|width|height|depth|"
    r"bits?|bytes?|key|age|duration|interval|delay|rate|version|level|priority)s?\b"
    r"(?![^?.;]{0,80}?\bbe\s+(?:found|seen|shown|listed|read)\b)"
    r"[^?.;]{0,80}?\b(?:will|can|could|may|might|would|accepts?|allows?|permits?|supports?|tolerates?|"
    r"allowed|permitted|supported|accepted|possible)\b)", re.IGNORECASE)
"""A superlative that names a limit the text states, not a ranking of its items: "the smallest
RSA key size that the client will accept", "the longest length a label may have"; a limit's
noun (size, length, value, ...) within three words, then a verb of what is allowed. Read as a
ranking, the look showed no paragraph and the 1.5B answered another key's size."""


def limits_cut(text: str) -> str:
    """`text` without the superlatives that name a stated limit (`STATED_LIMIT`), nor the "at
    most" of a bound asked in the present or future ("at most how many redirects will it
    follow": `MEASURED_ASKED`)."""
    if MEASURED_ASKED.search(text):
        text = AT_MOST.sub(" ", text)
    return STATED_LIMIT.sub(" ", text)


AT_MOST = re.compile(r"\bat\s+most\b", re.IGNORECASE)
"""The "at most" of a bound asked ("at most how many redirects will it follow")."""


def not_ranking(text: str) -> str:
    """`text` without its superlative words that rank nothing (`_NOT_RANKING`)."""
    return _NOT_RANKING.sub(" ", text)


def ranks(text: str) -> bool:
    """Whether a question (its asking part) asks for the most or least of something."""
    return SUPERLATIVE.search(not_ranking(text)) is not None


MOST = re.compile(r"\b(?:most(?![\s-]+recent)|largest|biggest|highest|greatest)\b", re.IGNORECASE)
"""Words of a question that asks for the first of a ranking (not fewest or least: counts print
their largest first, and the smallest may be cut). "Most recent" ranks nothing: it asks for
one entry's value, not for who or what has the most."""


COUNTISH = re.compile(r"\bhow\s+(?:many|much|often|long)\b|\b(?:number|count|total|sum|amount)\b", re.IGNORECASE)
"""A question that may well be answered by a count (`TurnState.term_count`'s wording)."""


RECORD_NOUNS = frozenset(
    "entries entry uploads upload releases release versions version records record runs run sections section stanzas "
    "stanza blocks block paragraphs paragraph messages message commits commit".split())
"""Nouns that name a text's records (its entries), not its lines: "how many uploads mention X"."""
COUNTED_RECORDS = re.compile(r"\bhow\s+many\s+(?:of\s+(?:the|its|these|those|this\s+\w+'s)\s+)?((?:[\w-]+\s+){0,3}[\w-]+)",
                             re.IGNORECASE)
"""What a question asks how many of, up to four words: "how many of the systemd package uploads"."""


_AFTER_NOUN = frozenset(
    "did do does were was are is have has had will can could in of to from for by with that which who whose mention "
    "mentions mentioned reference references referenced name names named contain contains include includes "
    "recorded made got came list lists listed say says said fix fixes fixed close closes closed".split())
"""Words that end the noun phrase a question counts: its verb, or a preposition after it."""


def counted_head(asking: str) -> str:
    """The noun a "how many" question counts, lowercased: the last word of the phrase after
    "how many (of the)" before its verb or a preposition ("how many of the glibc uploads
    recorded ..." -> "uploads"; "how many packages did the runs ..." -> "packages"); "" for
    none."""
    m = COUNTED_RECORDS.search(asking)
    if m is None:
        return ""
    words = re.findall(r"[\w-]+", asking[m.start(1):])
    phrase: list[str] = []
    for w in words[:6]:
        if w.lower() in _AFTER_NOUN:
            break
        phrase.append(w.lower())
    return phrase[-1] if phrase else ""


def counts_records(asking: str) -> bool:
    """Whether a question asks how many of a text's entries: the noun it counts is one of
    `RECORD_NOUNS` ("how many of the uploads ...", not "how many packages did the runs ...")."""
    return counted_head(asking) in RECORD_NOUNS


NOT_FIRST = re.compile(r"\b(?:second|third|fourth|fifth|\d+(?:st|nd|rd|th)|next|runner-up)\b", re.IGNORECASE)
"""A ranking question that asks for a place after the first ("the second most")."""


HOW_MANY = re.compile(r"\bhow\s+many\s+(?P<what>[A-Za-z]+(?:[ -][A-Za-z]+){0,2})", re.IGNORECASE)
"""A question's count and the (up to three) words after it: the things it asks how many of."""


QUALIFIED = re.compile(r"\b(?:more|fewer|less|than|per|average|percent|percentage|ratio|distinct|unique|"
                        r"different|each|every|at\s+least|at\s+most)\b", re.IGNORECASE)
"""Words of a count question that make its answer other than a plain count of the things."""


_ASKS_NUMBER = re.compile(
    r"\bhow\s+many\b|\b(?:answer|reply|respond)\s+with\s+(?:just\s+|only\s+)?(?:a|the|one)\s+(?:number|integer|count)\b"
    r"|\b(?:number|integer|digits?)\s+only\b",
    re.IGNORECASE,
)


def asks_for_number(question: str) -> bool:
    """Whether the question says its answer is a number (a count, or "answer with a number")."""
    return bool(_ASKS_NUMBER.search(question))


_NOT_ASKED_AFTER = r"(?!s\b|\s+(?:control|string|number|format|scheme|range|style|history|field|file|tag)s?\b)"
"""Words after "version" or "date" that make another thing asked ("which version control
system", "where is the version string", "what date format")."""
_AUXILIARY = r"(?:did|does|do|is|was|are|were|has|had|have|will|would|can|could|should)\b"
_ASKS_VERSION = re.compile(
    rf"\b(?:what|which)\s+(?:(?!{_AUXILIARY})[\w.+-]+\s+)?version\b{_NOT_ASKED_AFTER}"
    r"|\b(?:answer|reply|respond)\s+with\s+(?:just\s+|only\s+)?(?:the|a)\s+version\b",
    re.IGNORECASE,
)
_ASKS_DATE = re.compile(
    rf"\b(?:what|which|on\s+what)\s+(?:date|year)\b{_NOT_ASKED_AFTER}"
    r"|\b(?:answer|reply|respond)\s+with\s+(?:just\s+|only\s+)?(?:a|the)\s+date\b",
    re.IGNORECASE,
)
_ASKS_PERSON = re.compile(
    r"(?:^|[.?!;:]\s+)(?:who|whom)\b|\bwhose\s+name\b"
    r"|\b(?:which|what)\s+(?:person|maintainer|author|uploader|signer|developer|contributor)\b",
    re.IGNORECASE,
)
_FORM_WRITTEN = {
    # two capitalised words ("Samuel Thibault", "Marco d'Itri", "Jan van der Berg") or an address
    "a person": re.compile(r"\b[A-Z][\w'.-]*\s+(?:[a-z]{1,3}\s+){0,2}(?:[a-z]')?[A-Z]|[\w.+-]+@[\w-]+\.\w"),
    "a number": re.compile(r"\d"),
    # "2.2.40-1.1", "v2", "GPLv3", "python3"; not "l10n", a digit inside a name
    "a version": re.compile(r"(?<![A-Za-z0-9])\d|\d(?![A-Za-z0-9])", re.IGNORECASE),
    "a date": re.compile(r"\d"),
}
"""What an answer in each form writes: a version has a number that starts or ends a word
("gnupg-l10n:all" is a package's name). A version named by a word (a codename) is sent
back once and stands when given again."""


def asked_form(question: str) -> str | None:
    """The form the question says its answer takes, when it says one a check can read: "a
    number" (how many, "answer with a number"), "a version" ("what version ..."), "a date"
    ("on what date", "which year"), "a person" ("who ...", "whose name"); else None. Only
    forms nearly always written with a digit, or a person's name: "what day" may be a
    weekday, "what time zone" a name."""
    if asks_for_number(question):
        return "a number"
    if _ASKS_VERSION.search(question):
        return "a version"
    if _ASKS_DATE.search(question):
        return "a date"
    if _ASKS_PERSON.search(asking_part(question)):
        return "a person"
    return None


def fits_form(answer: str, form: str, text: str = "") -> bool:
    """Whether `answer` is written as `form` (`asked_form`) can be (`_FORM_WRITTEN`): a number
    or a date holds a digit, a version a number that starts or ends a word, a person two
    capitalised words or an address. Over a `text` that writes its versions with dots
    ("1.43.0"), a whole number is no version: asked which mutagen version added TAK support,
    the reader read the line's pull request, 405, under the heading "1.43.0 - 2019-11-17"."""
    if form == "a version" and text and _WHOLE.fullmatch(answer.strip()) and dotted_versions(text):
        return False
    return _FORM_WRITTEN[form].search(answer) is not None


_WHOLE = re.compile(r"\d+")
_DOTTED = re.compile(r"(?<![\w.])v?\d+\.\d+\.\d+(?![\w]|\.\d)|(?<![\w.])v?\d+\.\d+(?=\s+(?:-|\(\d))")
"""A version written with dots: three numbers ("1.43.0"; not an address's four, "10.0.0.1"),
or two before a dash or a dated parenthesis (a changelog's "1.6 - 2006.08.09"), not a
measure's "3.5 seconds" nor a table's "1.5"."""
_DOTTED_SEEN = 3


def dotted_versions(text: str) -> bool:
    """Whether `text` writes versions with dots, three times or more (`_DOTTED`)."""
    return sum(1 for _ in islice(_DOTTED.finditer(text), _DOTTED_SEEN)) >= _DOTTED_SEEN


CHOICE_WORDS = re.compile(r"\b(?:or|whether|which\s+of|either|between|vs|versus|compared|e\.g|such\s+as|for\s+example)\b",
                     re.IGNORECASE)
"""Words of a question whose answer may be one of the terms it writes ("which of X and Y",
"X or Y", "X vs Y", "e.g. utf-8")."""


ASKS_SIZE = re.compile(r"\b(?:lines?|characters?|chars|bytes|size|long|length|files?|records?"
                        r"|entries|rows|events)\b", re.IGNORECASE)
"""Words of a question that may ask for a size the first message states."""
