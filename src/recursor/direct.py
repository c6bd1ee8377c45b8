"""Answering with one direct call: the whole context in the prompt, no REPL.

An RLM pays for its loop (turns, a sandbox worker) to read contexts no window holds. When the
context fits comfortably, one call to the model is as good or better and much cheaper, so
`RLM(mode="auto")` takes this path for contexts up to the model's `direct_max_tokens`
(`recursor.profiles`), and `mode="direct"` forces it. The call goes through the tree's call
pipeline like any other: limits, retries, replay and the trace all apply.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Any

from recursor.calls import error_text
from recursor.context import ContextValue, store_context
from recursor.errors import BudgetExceeded, LMError
from recursor.lm.base import LM, Message
from recursor.output import OutputCheck
from recursor.profiles import Mode, ModelProfile
from recursor.protocol import parse_reply
from recursor.run_tree import RunTree
from recursor.subcalls import context_text
from recursor.trace import events as ev

__all__ = ["CHARS_PER_TOKEN", "DIRECT_SYSTEM", "choose_mode", "context_tokens", "direct_answer", "direct_messages", "run_direct"]

CHARS_PER_TOKEN = 4
"""A typical ratio for English prose, and no more: logs, tables, headers and configs run 1.7-3
characters a token (`context_tokens` counts them instead)."""

_TOKEN_LIKE = re.compile(r"[A-Za-z]{1,7}|\d|[^\w\s]|\n\s*|[^\x00-\x7f]")
"""What a BPE vocabulary spends about a token on: a short word (or a long word's piece of 7
letters), each digit, each punctuation mark, a line break with the blank lines and indent
after it, and a character outside ASCII. Linear: a run of spaces no line break ends is not
retried at each of its places."""

_COUNTED_UP_TO = 1 << 18
"""Characters counted token by token; a longer text's count is scaled from its first ones."""

DIRECT_SYSTEM = (
    "Answer the question using the document the user gives. Read all of it. Reply with the "
    "answer only, as short as the question allows, with no explanation."
)


def context_tokens(context: ContextValue) -> int:
    """About how many tokens `context` is as one prompt (`_TOKEN_LIKE`). Against Qwen2.5's
    tokenizer on 25 real files (logs, tables, C headers, configs, Python, licences) it is
    within 17%, where characters / 4 was off up to threefold: /etc/services is 12.8K
    characters and 5.3K tokens, so a 4K-token direct read of it took the 1.5B 110 s. Digits
    counted one by one make it high for tokenizers that group them: the direct path is then
    left sooner, not later."""
    text = context_text(context)
    head = text[:_COUNTED_UP_TO]
    counted = sum(1 for _ in _TOKEN_LIKE.finditer(head))
    return (counted if len(text) == len(head) else counted * len(text) // max(1, len(head))) + 1


def choose_mode(mode: Mode, profile: ModelProfile, context: ContextValue) -> Mode:
    """"rlm" or "direct" for this question: `mode` unless it is "auto"."""
    if mode != "auto":
        return mode
    fits = profile.direct_max_tokens > 0 and context_tokens(context) <= profile.direct_max_tokens
    return "direct" if fits else "rlm"


def direct_messages(question: str, context: ContextValue, passages: tuple[str, ...] = ()) -> list[Message]:
    """The one request of a direct answer: the document, then the question (once, when the
    question is its own document: a short prompt given without a context). `passages` (the
    first look's, `Orientation.passages`) are shown again just before the question: the
    document's lines that hold most of its words. Read directly, a 1.5B answered 424 for the
    number of the chroot syscall, a line among 360 alike 3K tokens up its prompt."""
    text = context_text(context)
    shown = "".join(f"\n\nFrom the document, the lines holding most of the question's words:\n{lines}"
                    for lines in passages)
    content = text if question == text else f"Document:\n{text}{shown}\n\nQuestion: {question}"
    return [{"role": "system", "content": DIRECT_SYSTEM}, {"role": "user", "content": content}]


def direct_answer(reply: str) -> str:
    """The answer in a direct reply (a model may still wrap it in FINAL(...))."""
    parsed = parse_reply(reply)
    if parsed.final is not None and parsed.final.kind == "text":
        return parsed.final.value
    return reply.strip()


async def run_direct(tree: RunTree, *, question: str, context: ContextValue, lm: LM,
                     typed: OutputCheck | None = None, passages: tuple[str, ...] = ()) -> DirectOutcome:
    """Answer `question` with one call to `lm` holding the whole context; traced as run "root".
    `passages` are shown again before the question (`direct_messages`).

    With `typed`, an answer that does not validate is sent back with its errors (a further
    call each time, up to the output retries).
    """
    tree.run_start(run_id="root", parent_call=None, parent_cell=None, depth=0, question=question,
                   root_model=lm.model, mode="direct", output=typed.describe() if typed else None)
    # Stored like an RLM run's context, so the trace can be replayed and viewed.
    prepared = await asyncio.to_thread(store_context, context, tree.blob_dir)
    tree.emit(ev.ContextEvent(run_id="root", sha256=prepared.sha256, value_kind=prepared.kind,
                              n_chars=prepared.n_chars, path=str(prepared.path)))
    outcome = DirectOutcome("", "final", iterations=0)
    messages = direct_messages(question, context, passages)
    if typed is not None:
        typed.repl = False
        messages[-1] = {"role": "user", "content": messages[-1]["content"] + typed.instructions()}
    try:
        while True:
            resp = await tree.call_lm(lm, messages, run_id="root", depth=0, role="root")
            outcome = DirectOutcome(direct_answer(resp.text), "final", iterations=outcome.iterations + 1)
            if typed is None:
                break
            checked, feedback = typed.review(outcome)
            if checked is not None:
                outcome = checked
                break
            messages = [*messages, {"role": "assistant", "content": resp.text or "(empty reply)"},
                        {"role": "user", "content": feedback}]
    except BudgetExceeded as exc:
        outcome = DirectOutcome(outcome.answer, exc.limit, iterations=outcome.iterations)
    except LMError as exc:
        outcome = DirectOutcome(outcome.answer, "lm_error", error_text(exc), iterations=outcome.iterations)
    if typed is not None and outcome.stopped_by not in ("final", "invalid_output"):
        outcome = typed.settle(outcome)
    tree.emit(ev.RunEndEvent(run_id="root", answer=outcome.answer, stopped_by=outcome.stopped_by,
                             iterations=max(outcome.iterations, 1), error=outcome.error, **tree.snapshot()))
    return outcome


@dataclass(frozen=True, slots=True)
class DirectOutcome:
    answer: str
    stopped_by: str
    error: str | None = None
    iterations: int = 1
    """Calls made: more than one when a typed answer was sent back."""
    output: Any = None
    json: str | None = None
