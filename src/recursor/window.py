"""Keep a root conversation inside its model's window.

A root's conversation grows by a reply and a REPL output every turn. A small model's window
is small (the embedded 1.5B runs with 16K tokens), and a run that went long failed with
"Requested tokens exceed context window" and no answer (a needle search at 17,166 tokens).
What a person would keep is the task and the latest work: so the system prompt and the first
user message stay, the oldest turns after them go, and a note says how many went. Turns are
dropped in pairs (a reply and the output it got), so roles keep alternating, and down to well
under the window, so the cut stays put for several turns and the model's prefix cache still
serves them.
"""

from __future__ import annotations

from collections.abc import Sequence

from recursor.lm.base import LM, Message
from recursor.profiles import profile_of

__all__ = ["NOTE", "fit_window", "fits", "token_estimate"]

_BYTES_PER_TOKEN = 3
"""A cautious tokens-from-bytes estimate (BPE tokenizers give ~3.5-4 bytes a token on English
and code, fewer on numbers and symbols): it errs toward dropping a turn early."""
_AFTER_CUT = 0.6
"""Once over, drop down to this share of the room, so the next turns fit without a new cut."""


def token_estimate(messages: Sequence[Message]) -> int:
    """An upper estimate of the tokens `messages` take in a chat template."""
    return sum(len(m["content"].encode("utf-8", errors="replace")) // _BYTES_PER_TOKEN + 8 for m in messages)


def fits(messages: Sequence[Message], room: int) -> bool:
    return token_estimate(messages) <= room


NOTE = "\n\n[Your earliest turns and their output were left out here to fit the model's window.]"


def fit_window(messages: list[Message], lm: LM) -> list[Message]:
    """`messages` as they can be sent to `lm`: unchanged when they fit its window (or its
    window is unknown), else without their oldest turns (see the module docstring).

    The loop keeps what this returns, so a cut stays put for the turns after it."""
    window = profile_of(lm).window_tokens
    if window is None:
        return messages
    reserve = min(getattr(lm, "max_output_tokens", None) or 1024, window // 4)
    room = window - reserve
    if fits(messages, room) or len(messages) < 5:
        return messages
    turns = messages[2:]
    while len(turns) > 2 and not fits([*messages[:2], *turns], int(room * _AFTER_CUT)):
        turns = turns[2:]  # a reply and the output it got
    if turns[0]["role"] != "assistant":  # the kept part starts with a reply, as after the task
        turns = turns[1:]
    task = messages[1]["content"]
    marked: Message = {"role": messages[1]["role"], "content": task if task.endswith(NOTE) else task + NOTE}
    return [messages[0], marked, *turns]
