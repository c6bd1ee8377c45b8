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

_BYTES_PER_TOKEN = 2.5
"""A cautious tokens-from-bytes estimate (BPE tokenizers give ~3.5-4 bytes a token on English
and code, fewer on numbers and symbols): it errs toward dropping a turn early. 3 was not
cautious enough: apt's package lists ("libgpg-error-dev:amd64 (1.46-1, automatic), ") take
under 2.5 bytes a token, and a conversation estimated inside the 16K window was 18,433."""
_AFTER_CUT = 0.6
"""Once over, drop down to this share of the room, so the next turns fit without a new cut."""


def token_estimate(messages: Sequence[Message]) -> int:
    """An upper estimate of the tokens `messages` take in a chat template."""
    return sum(int(len(m["content"].encode("utf-8", errors="replace")) / _BYTES_PER_TOKEN) + 8 for m in messages)


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
    return _shrunk([messages[0], marked, *turns], room)


def _shrunk(messages: list[Message], room: int) -> list[Message]:
    """`messages`, with the middle of the largest output after the task cut out when the latest
    turn alone is over the room (a cell that printed two 10,000-character lines of package
    names filled a 16K window by itself, and the run ended on the model's error)."""
    over = token_estimate(messages) - room
    if over <= 0 or len(messages) < 3:
        return messages
    at = max(range(2, len(messages)), key=lambda i: len(messages[i]["content"]))
    text = messages[at]["content"]
    cut = min(len(text), int((over + 64) * _BYTES_PER_TOKEN))
    keep = max(0, len(text) - cut) // 2
    marker = f"\n[... {len(text) - 2 * keep:,} characters cut here to fit the model's window ...]\n"
    out = list(messages)
    out[at] = {**messages[at], "content": text[:keep] + marker + text[len(text) - keep:]}
    return out
