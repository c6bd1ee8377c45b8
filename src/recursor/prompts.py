"""What the root model is told: the system prompt and the short messages of each turn.

Prompts are data. A `Prompts` object builds every message the loop sends, so a mode for
small models (or a user's own wording) is a subclass that overrides the texts, not a fork
of the loop.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass

from recursor.orient import Orientation
from recursor.protocol import UNPARSED
from recursor.question import asked_form
from recursor.sandbox import helpers as _helpers

__all__ = ["Prompts", "short_answer"]

SYSTEM = """\
You answer a question about a context that is far too large to read at once. The context is \
loaded in a persistent Python REPL as the variable `context`. You never see it directly: you \
explore it by writing Python code in ```repl blocks, and you see only what your code prints. \
Long output is cut, so print slices, counts and summaries, not everything.

The REPL gives you:
- `context`: the data (its type and size are in the first message).
- `llm_query(prompt, model=None, choices=None) -> str`: ask a sub-model. It reads about \
{sub_chars:,} characters at once; use it to read, classify or summarise pieces of the \
context. With `choices` (a list of strings) it answers with one of them: use it to label. \
With `schema` (a JSON Schema dict) it returns the parsed JSON value (dict, list) matching it.
- `llm_query_batched(prompts, model=None, choices=None) -> list[str]`: many llm_query calls \
run concurrently; answers come back in order. Far faster than calling llm_query in a loop. \
A failed item comes back as a string starting with "Error:".
- `rlm_query(prompt, model=None, context=None) -> str` and \
`rlm_query_batched(prompts, model=None, contexts=None) -> list[str]`: hand a sub-task that \
needs its own exploration to a child that has a REPL like yours (pass its data as `context`).\
{depth_note}
- `SHOW_VARS()`: list the variables you have made.
- `cite(start, end)`: mark `context[start:end]` as what your answer rests on (the user sees it \
as evidence).
- `print(...)`: the way to see results; a bare last expression is shown too.
- The Python standard library (re, json, collections, itertools, ...).
Variables persist across blocks and turns.

Example: look first, then search.
```repl
print(type(context), len(context))
print(context[:2000])
```
Example: find candidates with code, then read them with a sub-model.
```repl
import re
hits = [m.start() for m in re.finditer(r"(?i)\\bdeadline\\b", context)]
snippets = [context[max(0, h - 300): h + 300] for h in hits[:20]]
print(len(hits), snippets[:2])
```
Example: map over chunks concurrently, then reduce.
```repl
size = 200_000
chunks = [context[i:i + size] for i in range(0, len(context), size)]
notes = llm_query_batched([f"List every date mentioned in this text:\\n{{c}}" for c in chunks])
summary = llm_query("Merge these lists, drop duplicates:\\n" + "\\n".join(notes))
print(summary)
```

When you know the answer, give it in one of these ways:
- a line `FINAL(your answer)` outside any code block;
- a line `FINAL_VAR(name)` to answer with the value of a REPL variable (best for long answers);
- from code: `FINAL(value)`, `FINAL_VAR("name")`, or `answer["content"] = ...` then \
`answer["ready"] = True`.
Look at the context before you answer. Plan in a sentence or two, then write code. Do not \
guess: check with code.\
"""


def short_answer(prose: str) -> bool:
    """Prose short enough to be an answer on its own (a value, a name, a phrase), and not a
    line of code (`code_line`)."""
    text = prose.strip()
    return 0 < len(text) <= 200 and "\n" not in text and "FINAL" not in text.upper() and not code_line(text)


_REPL_NAMES = frozenset(
    name for name in dir(_helpers) if not name.startswith("_") and callable(getattr(_helpers, name))
) | frozenset("print len sorted sum max min list set dict".split())
"""What code in a reply calls: the REPL's helpers and the builtins a count or listing uses."""


def code_line(text: str) -> bool:
    """Whether a reply's one line is code written without its ```repl fence: a call of a REPL
    helper or builtin with arguments (`count_by(rows, "action")`), or an assignment from one.
    Offered back as "FINAL(count_by(rows, \"action\"))", the 1.5B answered with the code. A
    man page's "signal(7)" or a function's name "open()" is no such call."""
    try:
        tree = ast.parse(text.strip())
    except UNPARSED:
        return False
    if len(tree.body) != 1 or not isinstance(stmt := tree.body[0], (ast.Expr, ast.Assign)):
        return False
    return any(isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _REPL_NAMES
               and (node.args or node.keywords) for node in ast.walk(stmt.value))


@dataclass(frozen=True, slots=True)
class Prompts:
    """The default wording, for capable models. Override methods to change any message."""

    sub_chars: int = 500_000
    """How much text a sub-model call is said to take."""
    one_block_per_reply: bool = False
    """Strict replies: only the first code block of a reply counts, and the rest of the reply
    (invented output, more code, a FINAL guessed before any output) is cut away."""
    greedy: bool = False
    """Decode greedily (temperature 0) when the model's client leaves the temperature to its
    server (`profiles.decoding_for`)."""
    stop: tuple[str, ...] = ()
    """Where a root's reply ends when its client sends no stop sequences of its own
    (`profiles.root_replies_for`); sub-model calls never get them."""
    reply_tokens: int | None = None
    """The output cap of a root's reply when its client sets none (`profiles.root_replies_for`)."""
    run_instead_of_repeats: bool = False
    """When the model sends a block it ran before, also run an untried search for the next word
    of the question the context holds and show that (`recursor.turns`): small models repeat
    themselves whatever they are told."""
    orient: bool = False
    """Show the root a first look at the context (`recursor.orient`): its first lines and the
    lines holding the question's rarest words. Off for capable models (the paper's first
    message is metadata only); on for small ones, which otherwise start by guessing."""
    looking_needs_output: bool = False
    """A cell counts as having looked at the context only if it printed something, so an answer
    given after nothing but empty output is sent back once (`not_looked`); and an answer
    written like a copied value (a date, a version, an id) that the context holds nowhere is
    sent back once (`not_in_context`). See `recursor.turns`."""
    reads_the_look: bool = False
    """For a question that looks a value up, a sub-model reads the look's lines holding the
    question's words, and the first message offers the value it read (`recursor.look_reader`):
    a small root rarely reads a value its look shows. Off for capable models, which read."""
    feedback_chars: int | None = None
    """At most this many characters of a turn's output go back to the model (head and tail),
    below the sandbox's `output_limit`; None: that limit alone."""

    def feedback_limit(self, output_limit: int) -> int:
        """The characters of a turn's output the model is shown (`feedback_chars`)."""
        return output_limit if self.feedback_chars is None else min(output_limit, self.feedback_chars)

    def system(self, *, can_recurse: bool) -> str:
        depth_note = (
            ""
            if can_recurse
            else " At this depth rlm_query is a plain sub-model call without a REPL."
        )
        return SYSTEM.format(sub_chars=self.sub_chars, depth_note=depth_note)

    def tools(self, tools: list[tuple[str, str]]) -> str:
        """The host tools' part of the system prompt (`RLM(tools=...)`); "" with none.

        `tools` holds `(name(signature), first line of its docstring)`, one per tool.
        """
        if not tools:
            return ""
        listed = "\n".join(f"- `{sig}`" + (f": {summary}" if summary else "") for sig, summary in tools)
        return (
            "\n\nTools: functions of the host that your code calls like any function. Arguments and "
            "results are JSON values (str, int, float, bool, None, list, dict); a failed call raises "
            "ToolError with the reason. `help(name)` shows a tool's full description.\n" + listed
        )

    def repl_setup(self, question: str) -> str:
        """Code run silently in every new REPL (and after a restart), e.g. helper functions.

        `question` is the run's question. The small-model prompts do not use it: their
        helpers are general tools (`recursor.sandbox.helpers`), the same for every question.
        """
        return ""

    def first_user(self, question: str, metadata: str) -> str:
        return (
            f"{metadata}\n\nQuestion: {question}\n\n"
            "You have not looked at the context yet. Start by exploring it with code in a "
            "```repl block."
        )

    def first_message(self, question: str, metadata: str, look: Orientation, read: str | None = None) -> str:
        """The first user message when the run took a first look at the context (`orient`);
        by default the look's text follows the metadata. `read` is the value a reader of the
        look's lines read (`reads_the_look`), None when none was read."""
        shown = f"{metadata}\n{look.text}" if look.text else metadata
        return self.first_user(question, shown + (f"\n\nRead in the lines above: {read}." if read else ""))

    def look_reading(self, question: str, lines: str) -> str:
        """The reader's prompt: the look's lines and the question (`recursor.look_reader`)."""
        # The question before the lines too, and "the value, not the whole line": measured on
        # the 35 look-ups of six held-out sets (with `reader_lines`' labels without counts),
        # the 1.5B read 20 right and 5 wrong where, asked only after the lines, it read 12 and
        # 2 and answered NONE to lines stating "255 222 173 navajo white" (docs/benchmarks.md,
        # session 32).
        # Asked "whose name is on the entry", the 1.5B read the package's name in three of five
        # readings; told the answer is a person's name, the signer's (session 44, on the
        # readings of the read sets' traces).
        if asked_form(question) == "a person":
            ask = ("The answer is a person's name. Reply with only that name, copied from these lines "
                   "(just the name, not the whole line).")
        else:
            ask = ("Reply with only the answer to the question, copied from these lines (just the value, "
                   "not the whole line).")
        return (
            f"Question: {question}\n\nLines from the text:\n{lines}\n\nQuestion: {question}\n\n"
            f"{ask} If none of these lines holds it, reply with only: NONE"
        )

    def column_reading(self, question: str, noun: str, line: str) -> str:
        """Asks which word of one of the text's lines is the thing a ranking asks for
        (`recursor.look_column`): one line per call, since asked for three lines in one reply
        the 1.5B answered for the first only, or in another order."""
        # "Which word of this line is its media type?" got `application` of
        # `application/vnd.nearst.inv+json` from the 1.5B; asked for the thing whole, the whole token.
        return (
            f"A line from the text:\n{line}\n\nQuestion: {question}\n\nWhat is this line's {noun}? Reply with only "
            f"the {noun}, whole, copied exactly as the line writes it. If the line names no {noun}, reply with only: NONE"
        )

    def reason_words(self, reason: str) -> str:
        """Asks a sub-model to write a reason the way a program's log would (`recursor.look_because`):
        a user's "not enough money on their account" is a log's "insufficient funds"."""
        return (
            'A program\'s log gives the reason an event happened in a few words, like "reason=quota exceeded" or '
            f'"denied: account locked".\nA person describes a reason as: {reason}\n'
            "Write three different short ways a program's log could write this reason, one per line, nothing else."
        )

    def table_query(self, question: str, schema: str) -> str:
        """The query writer's prompt: a table's columns and the question (`recursor.table_sql`)."""
        return (
            f"{schema}\n\nQuestion: {question}\n\nWrite one SQLite SELECT statement over table t that "
            "answers the question. Reply with only the SQL in a ```sql block."
        )

    def table_query_cut(self) -> str:
        """Sent to the query writer once when its reply hit the output cap before its SQL ended:
        the 1.5B explains its plan first one time in ten, and its SELECT is cut mid-way."""
        return "Your reply was cut off before its SQL ended. Reply with only the SQL in a ```sql block, no explanation."

    def table_query_failed(self, error: str) -> str:
        """Sent to the query writer once when its query failed (`recursor.table_sql`)."""
        return f"That query failed: {error}. Reply with only the corrected SQL in a ```sql block."

    def not_in_context(self, value: str) -> str:
        """Sent when the answer looks copied from the text but the context does not hold it."""
        return (
            f"{value!r} is not written anywhere in the context, so it was not read from it. Find "
            "the line that holds the answer with code, and copy the value from the output."
        )

    def not_looked(self) -> str:
        return (
            "You answered without looking at the context. Explore it with code in a ```repl "
            "block first, then answer with FINAL(...)."
        )

    def no_code(self) -> str:
        return (
            "Your reply had no ```repl code block and no FINAL(...) answer. Write code to "
            "continue, or answer with FINAL(...) or FINAL_VAR(name)."
        )

    def unfenced_code(self, code: str) -> str:
        """After a reply whose one line is code with no ```repl fence: it was not run."""
        return f"That line is code, not an answer, and it did not run. To run it, reply with:\n```repl\n{code}\n```"

    def prose_answer(self, prose: str) -> str:
        """After a reply in words only, once the model has looked: it may have stated the answer.

        A short reply is offered back as the line to write: models copy a placeholder such as
        "FINAL(answer)" literally, but they copy their own answer just as readily.
        """
        if code_line(prose):
            return self.unfenced_code(prose.strip())
        if short_answer(prose):
            return (f"Your reply had no FINAL line. If {prose.strip()} is the answer, reply with exactly "
                    f"this line:\nFINAL({prose.strip()})\nOtherwise continue with a ```repl block.")
        return (
            "Your reply had no FINAL line and no code. If it states the answer, reply with just "
            "the line FINAL(the answer). Otherwise continue with a ```repl block."
        )

    def placeholder_answer(self, value: str) -> str:
        """Sent when FINAL holds the instruction's own words ("the answer") instead of one."""
        return (
            f"FINAL({value}) repeats the instruction's words. Write the value you found between the "
            "parentheses instead."
        )

    def missing_var(self, name: str, defined: tuple[str, ...]) -> str:
        listed = ", ".join(defined) if defined else "none"
        return (
            f"FINAL_VAR({name}) failed: there is no REPL variable named {name!r} "
            f"(your variables: {listed}). Assign the answer to a variable first, or use FINAL(...)."
        )

    def repeated(self) -> str:
        return "Note: you ran this exact code before. Its result has not changed; try something different."

    def wrong_form(self, answer: str, form: str) -> str:
        """Sent once when the answer is not in the form the question asks for (`form`: "a number")."""
        return (
            f"The question asks for {form}, and {answer!r} is not one. If it was a step on the "
            f"way, take the next step with code, then answer with the {form.split()[-1]} it gives."
        )

    def not_an_option(self, answer: str, options: tuple[str, ...]) -> str:
        """Sent once when the question offers options (two it compares, or the answers it
        quotes) and the answer names none of them."""
        if len(options) == 2:
            a, b = options
            return (
                f"The question asks which: {a!r} or {b!r}. {answer!r} is neither. Find what the question "
                f"compares for each of the two with code (print both), then reply FINAL({a}) or "
                f"FINAL({b}), whichever the output shows."
            )
        listed = ", ".join(repr(o) for o in options[:-1]) + f" or {options[-1]!r}"
        lines = ", ".join(f"FINAL({o})" for o in options[:-1]) + f" or FINAL({options[-1]})"
        # The lines to reply with written out: told only to reply with "the option", the 1.5B
        # answered another label.
        return (
            f"The question's answer is one of {listed}. {answer!r} is none of them. Compare what the "
            f"output shows for what the question asks about, then reply with one line: {lines}."
        )

    def echoed_question(self, answer: str, files: Sequence[str] = (), lines: Sequence[str] = ()) -> str:
        """Sent once when the answer is a term the question itself writes (what it asks about);
        `files`: the few files of the context that write it; `lines`: the few lines that write
        it with another of the question's words."""
        where = ""
        if len(files) == 1:
            where = f" Every line that writes {answer!r} is in the file {files[0]!r}."
        elif files:
            where = f" The lines that write {answer!r} are in the files {', '.join(map(repr, files))}."
        if lines:
            where += f" The lines that write {answer!r} with another of the question's words:\n" + "\n".join(lines)
        return (
            f"{answer!r} is what the question asks about, written in the question itself; it asks "
            f"for something else about {answer!r}. Read that from the output (the file or line that "
            f"holds it), and answer with it.{where}"
        )

    def copied_size(self, answer: str) -> str:
        """Sent once when a number answer is the context's own size, which no code printed."""
        return (
            f"{answer} is the size of the whole context (its characters or lines, from the first "
            "message), not what the question asks. Compute the answer with code on the lines "
            "that hold it, then answer with the number the code prints."
        )

    def counted_not_asked(self, answer: str, term: str) -> str:
        """Sent once when a number answer is how many lines hold a term the question names, and
        the question asks what or which, not how many (the 1.5B answered "what license covers
        FFmpeg" with the 8 lines holding 'FFmpeg')."""
        return (
            f"{answer} is how many lines hold {term!r}; the question does not ask how many. "
            f"The answer is written in those lines or their records: print them "
            f"(entries({term!r}) gives the records) and reply FINAL(the value they give)."
        )

    def counted_term(self, answer: str, term: str, kinds: Sequence[str] = (), lists: Sequence[str] = (),
                     offer: tuple[str, str] | None = None) -> str:
        """Sent once when a number answer is how many lines hold a term the question names;
        with `kinds`, the kinds those lines are of, counted (`line_kinds.kinds_told`): a Redis
        log's 3,279 lines holding "accept" are 3,278 `Accepted` lines and one `Ready to accept`.
        With `lists`, the lists of those lines' records, with their sizes (`turns._record_lists`),
        and the `offer` of the count the question's words name (`turns._list_offer`)."""
        if kinds:
            return (
                f"{answer} is how many lines hold {term!r}, and they are of several kinds:\n"
                + "\n".join(kinds) + "\n"
                f"Reply FINAL({answer}) again only if the question counts every line holding {term!r}. "
                f"If it counts one kind of them, reply with that kind's count."
            )
        if lists:
            # The offer last: told the lists above its usual last line, the 1.5B gave its 1 again.
            record = "that line" if answer == "1" else "those lines"
            ask = (f"If the question counts the {offer[1]}, reply FINAL({offer[0]}). " if offer else
                   "If the question counts one of these, reply with its count. ")
            return (f"{answer} is how many lines hold {term!r}, which the question names to say what it is about. "
                    f"The record of {record} lists:\n" + "\n".join(lists) + "\n"
                    + ask + f"Reply FINAL({answer}) again only if it asks how many lines hold {term!r}.")
        return (
            f"{answer} is how many lines hold {term!r}, which the question names to say what it "
            f"is about. If it asks for exactly that, reply FINAL({answer}) again. If it asks how "
            f"many of something else, read that from the lines or records that hold {term!r}."
        )

    def counted_window_end(self, answer: str, term: str, call: str) -> str:
        """Sent once when a number answer is how many lines hold a time that bounds the window
        of the day the question counts in; `call` gives the window's lines."""
        return (f"{answer} is how many lines hold {term!r}, one end of the window the question asks about, "
                f"not the lines in it. {call} gives the window's lines: count the kind of them the question "
                f"asks for (count_by(rows, key) or a filter on their words), then reply FINAL(count).")

    def unfiltered(self, answer: str, term: str) -> str:
        """Sent once when a count was computed by code that never used the question's rarest
        term, which picks out the lines or records the question is about."""
        return (
            f"{answer} was computed without {term!r}: no code so far has used it, and the question "
            f"names it to say which lines, records or file it is about. Find those first "
            f"(entries({term!r}) gives the records that hold it), then count in them."
        )

    def first_of_lines(self, answer: str) -> str:
        """Sent once when an answer to a question asking for the most (or least) is read from
        the first of the lines a search printed, which come in the text's order."""
        return (
            f"{answer!r} is read from the first line your search printed. Lines come in the "
            "text's order, not ranked, so the first is not the most (or least) of anything. "
            "Count or compare with code over all of them: count_by(rows, key) counts per value, "
            "the most first. If you are sure, reply FINAL(answer) again."
        )

    def whole_line(self, answer: str) -> str:
        """Sent once when the answer is a whole line of the context and the question asks for
        no line or text."""
        return (f"{answer!r} is a whole line of the text, not what the question asks for. Reply with just "
                f"the name or value that answers it, FINAL(answer). If this line does not hold it, "
                f"look further with code (the lines that use a name defined here, say).")

    def other_subject(self, answer: str, word: str, line: str) -> str:
        """Sent once when the answer is copied from a printed line that does not name `word`,
        what the question asks about, while `line`, of the same kind, does."""
        return (f"{answer!r} is read from a line that does not name {word!r}, which the question asks about. "
                f"A line of the same kind that names it:\n{line}\n"
                f"Read the answer from the lines that name {word!r} (lines({word!r}) gives them all), "
                f"then reply FINAL(answer).")

    def in_unit(self, answer: str, value: str, unit: str) -> str:
        """Sent once when the answer is a value in another unit than the question asks for
        (`question.in_asked_unit`): the value converted, as the line to reply with."""
        return (f"The question asks for {unit}: {answer} is {value} {unit}. If that answers it, reply with "
                f"exactly this line:\nFINAL({value})")

    def ranked_first(self, value: str, count: str) -> str:
        """Under counts that rank, for a question asking for the most: the first value."""
        return (f"The most: {value} ({count}). If the question asks for that, reply with exactly this line:\n"
                f"FINAL({value})")

    def one_value(self, value: str, word: str, form: str, lines: int) -> str:
        """Under an output from the lines of the question's rarest word, when all of them in
        the text write one value of the form asked for (`form`: "a version")."""
        kind = form.split()[-1]
        where = "The one line" if lines == 1 else f"All {lines} lines"
        return (f"{where} of the text holding {word!r} write{'s' if lines == 1 else ''} one {kind}: {value}. "
                f"If the question asks "
                f"for that {kind}, reply with exactly this line:\nFINAL({value})")

    def computed_again(self, value: str) -> str:
        """Sent once when a small root's answer is not the value the first look computed for
        just this question (`Orientation.counted`)."""
        return (f"The first message computed {value} for exactly this question from the whole text. Unless your "
                f"output shows that {value} is wrong, reply with exactly this line:\nFINAL({value})")

    def read_again(self, value: str) -> str:
        """Under an output that writes the value read in the look's lines (`reads_the_look`)."""
        return (f"The output writes {value}, the value read in the lines first shown. If that answers the "
                f"question, reply with exactly this line:\nFINAL({value})")

    def read_at_the_end(self, value: str) -> str:
        """Sent once at the answer-now turn when the answer is not the value read in the look's
        lines (`reads_the_look`)."""
        return (f"The lines first shown were read as {value}. Unless your output shows that {value} is wrong, "
                f"reply with exactly this line:\nFINAL({value})")

    def counted_first(self, count: str, unit: str) -> str:
        """Under an output that starts with a count of what the question asks how many of."""
        return (f"The output counts {count} {unit}. If the question asks for that number, reply with exactly "
                f"this line:\nFINAL({count})")

    def answered_before_output(self, answer: str) -> str:
        """Sent once when a block wrote FINAL with a value it typed, after code whose output the
        model had not seen yet."""
        return (
            f"FINAL({answer}) was written in the same block as code whose output you had not seen. "
            f"Read the output above: if it shows the answer, reply FINAL(answer) with it. If "
            f"{answer} is the answer, reply FINAL({answer}) again."
        )

    def empty_answer(self, answer: str) -> str:
        """Sent once when the answer is an empty result (`[]`, `Counter()`, `None`)."""
        return (
            f"{answer} is an empty result, not an answer: the code found nothing. Look at a few "
            "lines of the context with code to see how it is written, then filter for that."
        )

    def window_total(self, answer: str, kinds: str) -> str:
        """Sent once when a count answer is how many lines a window of time holds, all kinds
        together, where the question counts one thing."""
        return (f"{answer} is how many lines the window holds, of {kinds} kinds together; the question counts "
                f"one thing in it. Keep only the lines of its kind (the kinds are listed above, each with an "
                f"example) and count those.")

    def sliced_count(self, shown: str, found: str) -> str:
        """Sent once when a count answer is how many lines the output printed of more it found."""
        return (f"{shown} is how many of the lines the output printed; its first number, {found}, counts the "
                f"lines the code found. If those lines are what the question counts, reply with exactly this "
                f"line:\nFINAL({found})")

    def zero_of_no_match(self) -> str:
        """Sent once when the answer 0 counts the lines of a search that matched none: the
        1.5B searched 'described', which a NEWS file writes 'describes', and answered "how
        many days elapsed" with 0."""
        return (
            "0 counts the lines of a search that matched nothing (see the note above it): the "
            "lines the question is about were not found. Search again as the text writes it, "
            "then compute the answer from the lines found."
        )

    def copied_note(self, answer: str) -> str:
        """Sent when the answer is a sentence of a note the run sent, not of the context."""
        return (f"{answer!r} is this run's own note to you, not an answer. Answer with what the context "
                "writes, read from your code's output.")

    def own_message(self, answer: str) -> str:
        """Sent once when the answer is a sentence the model's own code printed, which the
        context does not write ("No matching lines found.")."""
        return (
            f"{answer!r} is a message your own code printed, not something the context writes: "
            "maybe the code did not find what it looked for. Look at a few lines of the context "
            "with code to see how it is written, then filter for that. If that message is the "
            "answer, give it again."
        )

    def ran_instead(self, code: str) -> str:
        """Said under the output of the untried code run in place of a repeated or pasted block,
        or of one that failed as the block before it did."""
        return (f"Your block repeated earlier code, failed again with the same error, or was not "
                f"code, so this was run instead: {code}")

    def ran_start(self, code: str) -> str:
        """Said under the output of the look's offered start, run in place of a block that
        failed on a name only the start defines."""
        return (f"Your block used a name the offered start defines, and the start had not run, so the start ran "
                f"before your block: {code}")

    def holds_answer(self, name: str) -> str:
        """Said under the output of code that assigned the name the look's start leaves the
        answer in, as the question asks for it (all of it, not its first item)."""
        return (f"{name} now holds the whole answer the offered steps select. If they select what the question "
                f"asks, reply with exactly this line:\nFINAL_VAR({name!r})")

    def ran_next(self, code: str) -> str:
        """Said under the output of the search run after an answer that was a step on the way."""
        return f"This was run next: {code}"

    def echoed_output(self) -> str:
        """Said when a reply's block is the last output written back (`TurnState.echoes_output`),
        in the block's place: it was not run."""
        return ("That block is the output above written again, not code, so it was not run. If that "
                "output answers the question, reply with the one line FINAL(answer). If not, reply "
                "with a ```repl block of new code.")

    def not_python(self) -> str:
        """Said under a block that is not Python at all (text pasted from the question or the
        first message); "" says nothing: capable models' syntax errors are typos."""
        return ""

    def try_this(self, code: str) -> str:
        """Appended to `repeated`/`not_python`: one untried line of code that reads the context
        (`recursor.turns.TurnState.untried`); "" to suggest nothing."""
        return ""

    def iterations_left(self, left: int) -> str:
        return f"[{left} turn{'s' if left != 1 else ''} left: answer with FINAL(...) soon.]"

    def answer_now(self, reason: str, found: bool = True) -> str:
        """The last turn's request on a limit; `found` is False when the run has seen nothing
        for the question (`TurnState.found_any`: no cell showed any of the context, and the
        first look found none of the question's words)."""
        return (
            f"You have reached a limit ({reason}). Do not write more code. Give your best final "
            "answer now from what you have found, as FINAL(your answer) or FINAL_VAR(name)."
        )

    def answer_now_again(self) -> str:
        """Sent once when the reply to `answer_now` held no answer (a block of code, not run)."""
        return "No answer was read from that reply, and no code runs now. Reply with the one line FINAL(your answer)."
