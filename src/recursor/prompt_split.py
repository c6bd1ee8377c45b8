"""The prompt is the context: how one text (or a chat) becomes a question and a context.

Clients put their document in the prompt: `rlm.complete(doc + question)`, `recursor ask -`
with a file on stdin, one huge user message to `recursor serve`. The root model must never
read that text whole (it is the context an RLM exists to keep out of the prompt), yet it needs
the request. One rule, used by every entry point (the Python API, the CLI, the server and
child runs started by `rlm_query` without a context):

- with no context, the text *is* the context, whole, and the question the root model sees is
  `request_text(text)`: the text itself when it is at most `SHORT_CHARS` (4,000) characters,
  otherwise its beginning (at most `HEAD_CHARS`) and its end (at most `TAIL_CHARS`), cut at a
  paragraph, line, sentence or word boundary where one is near, with a note that the full text
  is in the context;
- with a context, the text is only the question, cut the same way when it is longer than
  `SHORT_CHARS` (the note then says the middle is not shown: put long text in the context);
- a chat (`split_conversation`) becomes one str: every message in order, each after a header
  line `=== message I of N: ROLE ===` (a single user message is the text alone); the question
  is the last user message, cut as above, and a note on that layout.

Why the beginning *and* the end: a document followed by its question ("...\\n\\nWho signed
it?") has the request at the end, an instruction followed by its data ("Summarise this:\\n...")
at the beginning. Either way the root model's prompt holds at most about 4,000 characters of
what was sent, whatever its size, and the code it writes reads the rest from `context`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TypeVar, overload

from recursor.errors import UserError

__all__ = ["HEAD_CHARS", "SHORT_CHARS", "TAIL_CHARS", "request_text", "split_conversation", "split_prompt"]

SHORT_CHARS = 4_000
"""A request up to this long is shown whole; a longer one is cut to its beginning and end."""
HEAD_CHARS = 500
"""At most this much of a long request's beginning is shown (an instruction before its data)."""
TAIL_CHARS = 2_000
"""At most this much of a long request's end is shown (a question after its document)."""

_BREAKS = ("\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " ")
"""Where a cut may fall, best first: a paragraph, a line, a sentence, a clause, a word."""

C = TypeVar("C")


def _head(text: str, size: int) -> str:
    """At most `size` characters from the start, ending at the best boundary in its second half."""
    low = size // 2
    window = text[low:size]
    for sep in _BREAKS:
        i = window.rfind(sep)
        if i >= 0:
            return text[: low + i + len(sep)].rstrip()
    return text[:size]


def _tail(text: str, size: int) -> str:
    """At most `size` characters from the end, starting at the best boundary in its first half."""
    start = len(text) - size
    window = text[start : start + size // 2]
    for sep in _BREAKS:
        i = window.find(sep)
        if i >= 0:
            return text[start + i + len(sep) :].lstrip()
    return text[start:]


def request_text(text: str, *, full_text: str | None = "is the context", limit: int = SHORT_CHARS) -> str:
    """The request as the root model sees it: `text` when at most `limit` characters, else its
    beginning and end with notes. `full_text` says where the rest is ("is the context"), or
    None when the rest is not available anywhere. The result is never longer than `limit`."""
    if len(text) <= limit:
        return text
    head, tail = _head(text, HEAD_CHARS), _tail(text, TAIL_CHARS)
    where = f"the full text {full_text}" if full_text else "the rest is not available"
    out = (
        f"[This request is {len(text):,} characters long; only its beginning and its end are shown "
        f"here, and {where}.]\n{head}\n"
        f"[... {len(text) - len(head) - len(tail):,} characters not shown ...]\n{tail}"
    )
    assert len(out) <= limit, "limit is too small for an excerpt"
    return out


@overload
def split_prompt(prompt: str, context: None) -> tuple[str, str]: ...
@overload
def split_prompt(prompt: str, context: C) -> tuple[str, C]: ...
def split_prompt(prompt: str, context: C | None) -> tuple[str, C | str]:
    """(question, context) for a run given `prompt` and maybe a context.

    No context: the prompt is the context, and the question is `request_text(prompt)` (the prompt
    itself when short). A context: the question is the prompt, cut when over `SHORT_CHARS`.
    """
    if not isinstance(prompt, str):
        raise UserError(f"question must be a str, not {type(prompt).__name__}")
    if context is None:
        return request_text(prompt), prompt
    return request_text(prompt, full_text=None), context


def header(index: int, count: int, role: str) -> str:
    """The line before message `index` (1-based) of a conversation in its context str."""
    return f"=== message {index} of {count}: {role} ==="


def split_conversation(messages: Sequence[tuple[str, str]]) -> tuple[str, str]:
    """(question, context) for a chat of (role, text) messages with no separate context.

    The context is the whole conversation: a lone user message is its text; otherwise every
    message in order, each after its `header` line, joined by blank lines. The question is the
    last user message (`request_text`) and a note naming the layout, at most `SHORT_CHARS` in
    all. Raises ValueError when there is no user message.
    """
    last = max((i for i, (role, _) in enumerate(messages) if role == "user"), default=None)
    if last is None:
        raise ValueError("no user message")
    request = messages[last][1]
    if len(messages) == 1:
        question, context = split_prompt(request, None)
        return question, context
    n = len(messages)
    context = "\n\n".join(f"{header(i, n, role)}\n{text}" for i, (role, text) in enumerate(messages, 1))
    counts = Counter(role for role, _ in messages)
    listed = ", ".join(f"{k} {role}" for role, k in counts.items())
    note = (
        f"[The whole conversation is the context: {n} messages ({listed}), each after a header "
        f"line `=== message I of {n}: ROLE ===`. The request above is message {last + 1}, "
        "the last user message; read the other messages (instructions, documents) in the context.]"
    )
    body = request_text(request, full_text=f"is message {last + 1} in the context",
                        limit=SHORT_CHARS - len(note) - 2)
    return f"{body}\n\n{note}", context
