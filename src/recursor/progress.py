"""A one-line live progress display on stderr, fed by the same events as the trace."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from recursor.termsafe import for_terminal
from recursor.trace.events import Event, LMCallEvent, RunEndEvent, RunStartEvent, parse_event

__all__ = ["ProgressLine"]


class ProgressLine:
    """Redraws `iteration, calls, tokens, cost, elapsed` in place when stderr is a terminal.

    When it is not a terminal nothing is drawn, so logs and pipes stay clean.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = time.monotonic()
        self.iteration = 0
        self.runs = 0
        self.calls = 0
        self.tokens = 0
        self.cost = 0.0
        self._last_draw = 0.0

    def __call__(self, event: dict[str, Any] | Event) -> None:
        ev = parse_event(event)
        if isinstance(ev, RunStartEvent):
            self.runs += 1
        elif isinstance(ev, LMCallEvent) and ev.usage is not None:
            self.calls += 1
            self.tokens += ev.input_tokens + ev.output_tokens
            self.cost += ev.cost_usd or 0.0
            if ev.role == "root" and ev.run_id == "root":
                self.iteration += 1
        self.draw(force=isinstance(ev, (RunStartEvent, RunEndEvent)))

    def draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if not self.live or (not force and now - self._last_draw < 0.1):
            return
        self._last_draw = now
        text = (
            f"recursor: turn {self.iteration} | runs {self.runs} | LM calls {self.calls} | "
            f"tokens {self.tokens:,} | ${self.cost:.4f} | {now - self.started:.1f}s"
        )
        self.stream.write("\r\x1b[2K" + for_terminal(text))  # our escapes only, never the events'
        self.stream.flush()

    def close(self) -> None:
        if self.live:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
