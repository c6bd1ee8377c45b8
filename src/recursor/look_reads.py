"""The sub-calls that read a small root's first look before its first turn.

A small root rarely reads a value its look shows, nor computes what a table's columns give:
one query a sub-model writes for a table (`recursor.table_sql`), and one reading of the look's
lines for a look-up (`recursor.look_reader`), are offered in the first message instead. Each is
a sub-call through the run tree, so the ledger counts it and the trace shows it; neither ever
takes what the root needs to answer (`LookReads.room`).
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, replace

from recursor.context import ContextValue
from recursor.errors import BudgetExceeded, LMError
from recursor.ledger import MIN_OUTPUT_TOKENS, input_token_bound
from recursor.lm.base import LM, LMResponse, Message
from recursor.log_table import LOG_LINE, requested, selects_as_asked
from recursor.look_because import REASON_TOKENS, said_pick
from recursor.look_column import COLUMN_TOKENS, column_ask, column_counted
from recursor.look_reader import READ_TOKENS, looks_up, read_value, reader_lines
from recursor.orient import Orientation, first_look
from recursor.prompts import Prompts
from recursor.question_steps import two_steps
from recursor.run_tree import RunTree
from recursor.table_sql import (
    NO_SELECT,
    QUERY_TOKENS,
    Query,
    TableDb,
    answer_of,
    empty_top,
    nulls_only,
    select_of,
    told,
)
from recursor.table_sql import schema as table_schema

__all__ = ["LookReads"]

_CUT = "the reply was cut off inside its SQL"
_AT_CAP = frozenset({"length", "max_tokens"})
"""How backends say a reply stopped at its output cap: OpenAI's and llama.cpp's, Anthropic's."""
_OPENED = re.compile(r"```[ \t]*(?:sqlite|sql)?\b[^\n]*\n")


def _cut(resp: LMResponse, query: Query) -> bool:
    """Whether the reply stopped at its output cap inside its SQL: its ```sql block never
    closed, or it gave no SELECT that runs. The 1.5B explains its plan first about one time
    in ten (14 of 138 first replies of sessions 41 and 42), and the SELECT it then starts is
    cut; run as it is, "SELECT code, COUNT(*)" fails with "no such column: code", which sends
    the writer after a column that exists. A whole query followed by cut prose is taken."""
    if resp.finish_reason not in _AT_CAP:
        return False
    opened = _OPENED.search(resp.text)
    return bool(query.error) or (opened is not None and "```" not in resp.text[opened.end():])


@dataclass(frozen=True, slots=True)
class LookReads:
    """The first look's readers for one root run."""

    tree: RunTree
    sub_lm: LM
    prompts: Prompts
    run_id: str
    depth: int
    question: str
    context: ContextValue

    async def read(self, look: Orientation, *, any_shape: bool = False) -> str | None:
        """The value to offer in the first message as read in the look: what the look itself
        computed for the question (`Orientation.counted`), else what a sub-model reads in its
        lines for a look-up question (`recursor.look_reader`). None when the call limit leaves
        less than a reading and two root turns, when the question computes its answer (unless
        `any_shape`: a two-step question's first step asks for one thing), or when the reader
        read nothing the lines write."""
        if look.counted:
            return look.counted
        if not (any_shape or looks_up(self.question)) or not (lines := reader_lines(look, self.question)):
            return None
        message: Message = {"role": "user", "content": self.prompts.look_reading(self.question, lines)}
        if (resp := await self._ask([message], READ_TOKENS)) is None:
            return None
        # Off the event loop: tying the value to the question's words scans the context.
        return await asyncio.to_thread(read_value, resp.text, lines, self.question, look.words, self.context,
                                       look.header)

    async def look_read(self, look: Orientation, *, any_shape: bool = False) -> tuple[Orientation, str | None]:
        """The look with its readers' offers, and the value read (`read`): the column's reading
        first, since it abstains unless three readings agree, where a query over a log's lines
        (`recursor.log_table`) is one model's guess at its messages; then the table's query."""
        look = await self.pick_reason(await self.query_table(await self.read_column(look)))
        return look, await self.read(look, any_shape=any_shape)

    async def first_step(self, look: Orientation, orient: bool) -> tuple[str, Orientation] | None:
        """The question in two steps (`recursor.question_steps`) asked as its second step, with
        the first step's value in it, and the look of the first step (its lines were read); None
        when the look computed the answer to the whole question, the question is one step, or
        the first step's readers read no one short value. The first step is read like any
        question, by the look and its readers, not by a run: a second root loop would double a
        small root's time where the readers take one to three sub-calls. The reader reads a
        first step of any shape: it asks for one thing."""
        steps = None if look.counted else two_steps(self.question)
        if steps is None:
            return None
        shown = await first_look(self.context, steps.first, orient=orient)
        # "Find the program that leaked the most": one thing asked for, read in the lines its
        # look shows, where a whole question's ranking would be guessed from a part.
        shown, value = await replace(self, question=steps.first).look_read(shown, any_shape=True)
        asked = steps.then(value) if value else None
        return None if asked is None else (asked, shown)

    async def query_table(self, look: Orientation) -> Orientation:
        """The look with what one SQL query over its table gives (`recursor.table_sql`): a
        sub-model writes the SELECT from the columns and the question, and mends it once when
        SQLite refuses it, or when it found nothing by a text no row writes ("state = 'Oregon'"
        where the column writes 'OR'). The value it gives is offered like one the look computed
        (`Orientation.counted`), the query shown above it so that the root can judge it. The
        look as it was when it has no table, computed a value already, or the limits leave no
        room."""
        table = look.table
        if table is None or look.counted or (table.row and looks_up(self.question)):
            return look  # a log's look-up is the reader's: a guessed query over its lines would pre-empt it
        db = await asyncio.to_thread(TableDb.open, table)
        if db is None:
            return look
        try:
            shown = await asyncio.to_thread(table_schema, table, self.question)
            messages: list[Message] = [{"role": "user", "content": self.prompts.table_query(self.question, shown)}]
            query, why = None, ""
            first: str | None = None
            mends, cut = 0, False
            while True:
                if (resp := await self._ask(messages, QUERY_TOKENS)) is None:
                    break
                sql = select_of(resp.text)
                query = (Query(resp.text, error=NO_SELECT) if sql is None
                         else await asyncio.to_thread(db.select, db.unclipped(sql)))
                if not cut and _cut(resp, query):
                    # Asked once for the SQL alone, which is no mend: the query that follows is
                    # still doubted and mended like a first one.
                    cut, why = True, query.error or _CUT
                    messages += [{"role": "assistant", "content": resp.text},
                                 {"role": "user", "content": self.prompts.table_query_cut()}]
                    continue
                why = query.error or await asyncio.to_thread(db.unmatched, query)
                # A doubt is asked once: none found again by another query may be the answer; the
                # same query sent back (the 1.5B often does) is no second look.
                if not why and (mends == 0 or sql == first):
                    why = await asyncio.to_thread(db.doubted, query, self.question)
                first = sql
                if not why or mends == 1:
                    break
                mends += 1
                messages += [{"role": "assistant", "content": resp.text},
                             {"role": "user", "content": self.prompts.table_query_failed(why)}]
        finally:
            db.close()
        asked = table.row != LOG_LINE or selects_as_asked(query.sql, self.question, requested(table)) if query else False
        # A ranking whose top group is empty answers nothing, even after the one mend (an error's)
        # was spent; nor does one row of NULLs (a SUM over no row), which a small root copied as code.
        if query is None or why or not asked or empty_top(query) or nulls_only(query):
            return look  # a failed query, one that missed, or one of a guessed kind is noise in the look
        return replace(look, text=f"{look.text}\n{told(query)}", counted=answer_of(query, self.question) or "")

    async def read_column(self, look: Orientation) -> Orientation:
        """The look with a ranking or a count of the place in each line that holds the thing
        the question asks for, as a sub-model reads it in three typical lines
        (`recursor.look_column`), the top value or the count offered like one the look computed. The look as it was when it computed a
        value already, the context is not one text, the question may say more than "which X
        comes up most", the readings disagree, the text is a table, or the limits leave no room."""
        named = look.table is not None and not look.table.row  # not a log's own lines read as a table
        if look.counted or named or look.header or not isinstance(self.context, str):
            return look  # a table's columns are named: its query ranks them (`query_table`)
        ask = await asyncio.to_thread(column_ask, self.context, self.question)
        if ask is None:
            return look
        replies: list[str] = []
        for line in ask.lines:
            message: Message = {"role": "user", "content": self.prompts.column_reading(self.question, ask.noun, line)}
            if (resp := await self._ask([message], COLUMN_TOKENS)) is None:
                return look
            replies.append((resp.text.strip().splitlines() or [""])[0])
        counted = await asyncio.to_thread(column_counted, self.context, self.question, ask, replies)
        if counted is None:
            return look
        return replace(look, text="\n".join([look.text, *counted.rows]), counted=counted.counted)

    async def pick_reason(self, look: Orientation) -> Orientation:
        """The look with the count of the kind of the event's lines that the question's reason
        names (`recursor.look_because`): a sub-model writes the reason as a log would, and the
        one kind whose own words meet that writing is offered like a count the look computed.
        The look as it was otherwise."""
        found = look.reasons
        if found is None or look.counted:
            return look
        message: Message = {"role": "user", "content": self.prompts.reason_words(found.reason)}
        if (resp := await self._ask([message], REASON_TOKENS)) is None:
            return look
        if (picked := said_pick(found, resp.text)) is None:
            return look
        line, n = found.kinds[picked]
        total = sum(k for _, k in found.kinds)
        row = (f"Read by meaning, the question's reason ({found.reason!r}) names this kind of the event's lines: "
               f"{line} ({n:,} of its {total:,} lines, of {len(found.kinds)} kinds).")
        return replace(look, text="\n".join([look.text, row]), counted=str(n))

    async def _ask(self, messages: list[Message], output: int) -> LMResponse | None:
        """The sub-model's reply, None when the limits leave no room for it (`room`) or the
        call fails: the root's first call meets the same limit or failure, and says so."""
        if not self.room(messages, output):
            return None
        try:
            return await self.tree.call_lm(self.sub_lm, messages, run_id=self.run_id, depth=self.depth + 1,
                                           role="sub", output_cap=output)
        except (BudgetExceeded, LMError):
            return None

    def room(self, messages: list[Message], output: int) -> bool:
        """Whether the limits leave the reading and then two root turns: three calls, and the
        tokens and dollars of the reading's worst case three times over (a root turn's prompt
        is the look and more). A reading never takes what the root needs to answer."""
        limits, spent = self.tree.limits, self.tree.ledger.spent
        worst = input_token_bound(messages) + output + MIN_OUTPUT_TOKENS
        if limits.max_calls is not None and limits.max_calls - spent.calls < 3:
            return False
        if limits.max_tokens is not None and limits.max_tokens - spent.tokens < 3 * worst:
            return False
        if limits.max_usd is None:
            return True
        price = self.tree.config.pricing.price(self.sub_lm.model, self.sub_lm.price)
        return price is not None and limits.max_usd - spent.usd >= 3 * worst * max(price) / 1e6
