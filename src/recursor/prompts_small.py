"""The small-model mode: short prompts, strict reply format and REPL helpers for 0.5B-3B roots.

A 1.5B model given the paper's generic prompt plans in prose, chunks everything into slow
sub-calls and invents answers. What works instead (measured, see docs/benchmarks.md):

- a short system prompt (prompt processing is the cost on a CPU) with worked examples the
  model can copy, and one strict reply shape: one ```repl block OR one FINAL(...) line;
- helpers that do the hard parts in code (`recursor.sandbox.helpers`, loaded into every new
  REPL by `repl_setup`): search that tolerates paraphrase, lines and fields, dates,
  counting and grouping; sub-model mapping and labelling, batched, only where a property
  cannot be read from the text;
- the question's distinctive terms (a hyphenated key, an id, a name) named in the first
  message, so the model searches for the key rather than the question's wording;
- repair texts that say exactly what to write next.

The examples are everyday tasks (a log, a config, access records, orders, reviews), each
showing code doing what code can do. Nothing here knows a benchmark: benchmarks run with
exactly these prompts and helpers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from recursor.orient import Orientation
from recursor.prompts import Prompts, code_line, short_answer
from recursor.question import ANSWER_FORMAT

__all__ = ["SYSTEM_SMALL", "SmallModelPrompts", "helpers_source", "key_terms"]

SYSTEM_SMALL = """\
Answer a question about `context`, a str too long to read; you see it only through code.
Each reply is EXACTLY ONE of: a ```repl block, nothing after it (you get its output \
next); or, once the output holds the answer, the line FINAL(answer) with no code.

Helpers:
- grep(term): prints the lines holding term (or its words), marked >>like this<<.
- lines(text): the lines holding text (a regex); lines(): all; lines(key=value): by field; lines(text, file=name): in the files named like name.
- entries(text, file=name): the entries holding text (a line with its indented lines, or lines between blank lines).
- record(line): a line's fields as a dict ("key=v", "Key: v", "key value"); cols(line): its columns.
- count_by(items, key): counts per value, most first; key: a field name, "file" or a function.
- sum_by(items, key, field): the field's sum per key; top(counts, n): the n largest.
- in_dates(rows, first, last): the rows dated first to last; to_date(text).
- classify(items, labels): a sub-model labels each item.
- map_query(instruction, items): a sub-model's answer per item.

The first message shows how the text is written: filter lines of that shape. \
What the text writes (words, fields, numbers, dates) you filter, count and compare with \
code. Sub-models (classify, map_query) only judge what it does not: meaning, tone, topic. \
Grep the question's rarest term (a name, an id).

Example 1.
User: Question: How many requests timed out?
You:
```repl
rows = lines(r"\\btimeout\\b")
print(len(rows), rows[:2])
```
User: [repl output]
412 ['10:02:11 GET /api/orders 504 timeout after 30s', ...]
You: FINAL(412)

Example 2.
User: Question: Reviews are complaints, praise or questions. Which product gets the most complaints?
You:
```repl
labels = classify(lines(), "complaint, praise, question", field="text")
count_by(labels.pick("complaint"), "product")
```
User: [repl output]
classify: 340 items (340 sub-calls)
praise: 180
complaint: 121
question: 39
count_by: 121 items, 4 values
kettle: 57
toaster: 30
You: FINAL(kettle)

Example 3.
User: Question: How many orders placed in March 2023 were refunded?
You:
```repl
rows = in_dates(lines(status="refunded"), "2023-03-01", "2023-03-31")
print(len(rows), rows[:2])
```
User: [repl output]
17 ['order=1881 date=2023-03-04 status=refunded', ...]
You: FINAL(17)

Example 4.
User: Question: Which client IP got the most errors with status 500?
You:
```repl
count_by(lines(status=500), "ip")
```
User: [repl output]
count_by: 212 items, 9 values
10.0.0.7: 88
10.0.0.3: 41
You: FINAL(10.0.0.7)

Example 5.
User: Question: Which of the log files records the most errors?
You:
```repl
count_by(lines(r"\\bERROR\\b"), "file")
```
User: [repl output]
count_by: 57 items, 3 values
logs/api.log: 31
logs/db.log: 19
You: FINAL(logs/api.log)

Example 6.
User: Question: Who is on call for the service that failed at 03:12?
You:
```repl
grep("03:12")
```
User: [repl output]
1 line matches:
1| >>03:12<<:09 ERROR service=billing timeout
You:
```repl
grep("billing")
```
User: [repl output]
2 lines match:
1| 03:12:09 ERROR service=>>billing<< timeout
2| oncall >>billing<<: Dana Ruiz
You: FINAL(Dana Ruiz)

Example 7.
User: Question: Which port does the staging database listen on?
You:
```repl
grep("staging")
```
User: [repl output]
2 lines match:
1| >>staging<<_db_host = 10.0.4.2
2| >>staging<<_db_port = 5433
You: FINAL(5433)\
"""
"""The system prompt: seven worked examples (a log count, one judgement by batched labelling, a
date-range filter, a group-by arg-max, a count per file, a look-up in two steps, a config
look-up), one reply
shape. The last example is the one a small model copies when it copies: a harmless search. Its tokens are
evaluated once: the KV cache keeps them across runs."""


@cache
def helpers_source() -> str:
    """The source of `recursor.sandbox.helpers`, run as setup code in every new REPL.

    Sent as text rather than imported in the worker: the sandbox shows the worker its own
    script and nothing else of the package, and this keeps it so.
    """
    return resources.files("recursor.sandbox").joinpath("helpers.py").read_text(encoding="utf-8")


_HYPHENATED = re.compile(r"\b[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+\b")
_QUOTED = re.compile(r"[\"“']([^\"”']{3,60})[\"”']")
_WITH_DIGITS = re.compile(r"\b[A-Za-z]*\d[\w-]*\b")
_CODE_NAME = re.compile(r"\b[A-Za-z_][A-Za-z0-9]*(?:(?:_|\.(?=[A-Za-z_]))[A-Za-z0-9]+)+\b")
_NAME = re.compile(r"(?<![.?!]\s)(?<!^)\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+)*)\b")
_YEAR = re.compile(r"(1[89]|20)\d\d")
_COMMON_CAPS = frozenset(
    "I A The What Which Who Whom Whose When Where Why How Is Are Was Were Do Does Did Find "
    "Give Answer Look List Name Tell Among In On Of For If Then Jan Feb Mar Apr May Jun Jul Aug "
    "Sep Oct Nov Dec January February March April June July August September October November "
    "December".split()
)
"""Capitalised words that are not names: question words, sentence openers, months."""


_COUNT_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred thousand million single double triple multi".split()
)
"""English counting words: a hyphenated term that starts with one ("seven-digit", "two-letter",
"three-word", "forty-two-year-old") measures the answer's form, as "7-day" does."""


def _is_measure(term: str) -> bool:
    first = term.split("-", 1)[0].lower()
    return first.isdigit() or first in _COUNT_WORDS


def key_terms(question: str, limit: int = 3) -> list[str]:
    """The question's distinctive terms: quoted text, hyphenated keys, ids and other terms
    with digits, code and config names (`max_conn`, `db.pool`), proper names.

    A paraphrased question shares no wording with the text it asks about except such terms,
    so they are what a small model should grep for. Numbers under 3 digits, years and
    measures such as "7-day" or "seven-digit" are not keys: they describe rather than name.
    """
    question = ANSWER_FORMAT.sub(" ", question)
    found: list[str] = []

    def add(term: str) -> None:
        term = term.strip(" .,;:?!")
        if term and term.lower() not in {t.lower() for t in found}:
            found.append(term)

    for m in _QUOTED.finditer(question):
        add(m.group(1))
    for m in _HYPHENATED.finditer(question):
        if not _is_measure(m.group(0)):
            add(m.group(0))
    for m in _CODE_NAME.finditer(question):
        if not any(m.group(0) in t for t in found):
            add(m.group(0))
    for m in _WITH_DIGITS.finditer(question):
        term = m.group(0)
        if "-" in term and any(p.isdigit() for p in term.split("-")) and not term.isdigit():
            continue  # "7-day", "24-hour": a measure, not a key
        if term.isdigit() and (len(term) < 3 or _YEAR.fullmatch(term)):
            continue  # short numbers and years are seldom what a question is keyed on
        if not any(term in t for t in found):
            add(term)
    for m in _NAME.finditer(question):
        name = m.group(1)
        if name not in _COMMON_CAPS and not any(name in t for t in found):
            add(name)
    return found[:limit]


@dataclass(frozen=True, slots=True)
class SmallModelPrompts(Prompts):
    """Wording and helpers for small models (chosen by `recursor.profiles.prompts_for`)."""

    orient: bool = True
    reads_the_look: bool = True
    greedy: bool = True
    """A small model sampled at a server's default temperature (llama.cpp's 0.8) wrote worse
    code and copied prompt text as answers: realdocs 16.7 behind llama.cpp's server against
    47.9 embedded, where decoding is greedy."""
    stop: tuple[str, ...] = ("\nUser:", "\nUSER:", "[repl output]")
    """A small root goes on past its code block and writes the REPL's output and the next
    turns itself; served over HTTP it spent ~200 tokens (25 s on 2 cores) on such an invented
    exchange in its first reply. These are how those turns start (`LocalLM.DEFAULT_STOP`
    stops the embedded model at the same ones)."""
    reply_tokens: int | None = 512
    """A block or a FINAL line fits easily; served over HTTP without a cap, a small root's
    runaway first reply ran 1,241 tokens (154 s on 2 cores). Every root call is capped here
    (`RunTree.call_lm`'s `output_cap`), the embedded model's too: over 272 root replies of
    realdocs and a held-out set the longest was 196 tokens, and one that ran on to a 240 s
    deadline took 193 s of it (session 47)."""
    run_instead_of_repeats: bool = True
    name_key_terms: bool = False
    """Name the question's distinctive terms in the first message, guessed from its wording
    alone; the orientation (`orient`) shows which of its words the context holds instead."""
    one_block_per_reply: bool = True
    """Small models invent the REPL's output after their block: only the block counts."""
    feedback_chars: int | None = 2_500
    """A 1.5B printed `rows[:2]` of apt lines thousands of characters long, three turns
    running: its prompt grew from 2.7K to 12K tokens and the run took 195 s, reading lines
    it could not use. At 6,000 characters (~3,300 tokens of package lists) one such turn
    still cost its next call 100-118 s on 2 cores: every realdocs run over 120 s had one,
    and none of them answered. Of ~440 turns measured, all others showed under 3,000
    characters; the helpers' own listings stay under that."""
    looking_needs_output: bool = True
    """Measured: after a filter that printed nothing, the 1.5B answered an invented number."""

    def system(self, *, can_recurse: bool) -> str:
        # Recursion is not taught: a small root does better with one kind of sub-call.
        return SYSTEM_SMALL

    def repl_setup(self, question: str) -> str:
        # The same helpers whatever the question: they are tools, not answers to it.
        return helpers_source()

    def first_user(self, question: str, metadata: str) -> str:
        terms = key_terms(question) if self.name_key_terms else []
        return self._first(question, metadata, "", terms)

    def first_message(self, question: str, metadata: str, look: Orientation, read: str | None = None) -> str:
        # The look comes after the question and the words to search last: a small model
        # acts on the end of its prompt (the 0.5B grepped a word the look said was absent
        # while the look stood before the question).
        # A call the look found for what the question counts is the first step to suggest.
        # A value read from the look's lines is offered last, as the line to reply with.
        return self._first(question, metadata, look.text, list(look.hint[:2]), look.start, read)

    @staticmethod
    def _first(question: str, metadata: str, look: str, terms: list[str], start: str = "",
               read: str | None = None) -> str:
        shown = f"\n\n{look}" if look else ""
        hint = ("\n\nSearch first for: " + ", ".join(repr(t) for t in terms) + ".") if terms else ""
        hint = f"\n\nStart from: {start}" if start else hint
        ask = ("Reply with a ```repl block now. Once the output shows the answer, reply with "
               "the line FINAL(answer), no code.") if read is None else (
               f"Read in the lines above: {read}. If that answers the question, reply with the line "
               f"FINAL({read}) now. Else reply with a ```repl block; once its output shows the "
               "answer, reply with the line FINAL(answer), no code.")
        return f"{metadata}\n\nQuestion: {question}{shown}{hint}\n\n{ask}"

    def not_looked(self) -> str:
        return (
            "Nothing you ran has shown the context yet, so that answer is a guess. Reply with a "
            "```repl block that prints what is there: grep a rare term, or print lines()[:5]."
        )

    def no_code(self) -> str:
        # No copyable example here: a small model runs a placeholder grep verbatim.
        return "Write your answer as FINAL(your answer), or reply with a ```repl block."

    def prose_answer(self, prose: str) -> str:
        if code_line(prose):
            return self.unfenced_code(prose.strip())
        if short_answer(prose):
            return f"If the answer is {prose.strip()}, reply with exactly this line:\nFINAL({prose.strip()})"
        return "If you know the answer, reply with one line: FINAL(answer). Otherwise reply with a ```repl block."

    def missing_var(self, name: str, defined: tuple[str, ...]) -> str:
        listed = ", ".join(defined) if defined else "none"
        return (
            f"There is no variable {name!r} (yours: {listed}). Reply with one line "
            "FINAL(answer) with the answer written out."
        )

    def repeated(self) -> str:
        return (
            "You ran this exact code before; its output is above. Do not run it again. If the "
            "output shows the answer, reply FINAL(answer); otherwise search for another term."
        )

    def not_python(self) -> str:
        return "That block is not Python code: it is text. A ```repl block holds code that reads `context`."

    def try_this(self, code: str) -> str:
        # Inline, never fenced: a small model copies a fenced block from its input whole.
        return f" For example: {code}"

    def iterations_left(self, left: int) -> str:
        return f"[{left} turn{'s' if left != 1 else ''} left: reply FINAL(answer) soon.]"

    def answer_now(self, reason: str, found: bool = True) -> str:
        if not found:  # told to use what the output shows, when it showed nothing, the 1.5B searched again
            return (f"Stop: {reason} reached. Nothing you ran found lines for the question. Reply with "
                    "one line FINAL(answer), no code: the answer, or that the text does not record it.")
        return (
            f"Stop: {reason} reached. Reply with one line FINAL(answer), using what the "
            "output above shows. No code."
        )

    def answer_now_again(self) -> str:
        return ("No answer was read from that reply, and no code runs now. Reply with the one line "
                "FINAL(answer), the answer the outputs above show.")

