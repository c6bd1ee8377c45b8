"""`serve`'s live sessions: a conversation is a `recursor.session.Session` when the client
sends the extra field `session_id`.

- a `session_id` this server does not hold starts a session (its limits are the server's,
  lowered by that first request's `recursor_limits`; later requests cannot change them);
- each request's last user message is the question and the extra field `context`, when
  given, its new context (`context_1`, ...): the session holds the rest of the conversation;
- one question at a time per session: a request for a session that is answering another gets
  409 with Retry-After at once (never a queue, as with 429: the openai SDK retries 409);
- at most `max_sessions` live sessions: starting one more closes the least recently used
  idle one (its worker and variables go); when every one is busy the request gets 429;
- a session idle for `session_idle` seconds is closed.

Session ids are chosen by clients and anyone who may call the server may use any id: with
one API key for the server, they are names, not secrets.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import OrderedDict
from collections.abc import Callable

from recursor.errors import UserError
from recursor.session import Session

__all__ = ["SESSION_ID_RE", "SessionPool"]

SESSION_ID_RE = re.compile(r"[A-Za-z0-9._:\-]{1,128}")


class SessionPool:
    """Live sessions by id, least recently used first."""

    def __init__(self, *, max_sessions: int, idle_seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if max_sessions < 1 or idle_seconds <= 0:
            raise UserError("max_sessions must be at least 1 and session_idle positive")
        self.max_sessions = max_sessions
        self.idle_seconds = idle_seconds
        self._clock = clock
        self.live: OrderedDict[str, Session] = OrderedDict()
        self._used: dict[str, float] = {}
        self._claimed: set[str] = set()
        self._closing: set[asyncio.Task[None]] = set()
        self._sweeper: asyncio.Task[None] | None = None

    def claim(self, session_id: str, start: Callable[[], Session]) -> Session:
        """The session for one request, marked busy until `release`; a new one from `start()`.

        Raises `LookupError` when the session is busy and `OverflowError` when every one of
        `max_sessions` is busy.
        """
        self.sweep()
        session = self.live.get(session_id)
        if session is not None and (session_id in self._claimed or session.busy):
            raise LookupError(session_id)
        if session is None:
            while len(self.live) >= self.max_sessions:
                idle = next((sid for sid in self.live if sid not in self._claimed), None)
                if idle is None:
                    raise OverflowError(session_id)
                self._close(idle)
            session = self.live[session_id] = start()
        self.live.move_to_end(session_id)
        self._claimed.add(session_id)
        self._used[session_id] = self._clock()
        if self._sweeper is None or self._sweeper.done():
            self._sweeper = asyncio.ensure_future(self._sweep_while_live())
        return session

    def release(self, session_id: str) -> None:
        self._claimed.discard(session_id)
        if session_id in self.live:
            self._used[session_id] = self._clock()

    def sweep(self) -> None:
        """Close every session idle for longer than `idle_seconds`."""
        now = self._clock()
        for sid in [s for s in self.live if s not in self._claimed]:
            if now - self._used.get(sid, now) > self.idle_seconds:
                self._close(sid)

    def _close(self, session_id: str) -> None:
        session = self.live.pop(session_id)
        self._used.pop(session_id, None)
        task = asyncio.ensure_future(session.aclose())
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    async def _sweep_while_live(self) -> None:
        while self.live:
            await asyncio.sleep(min(self.idle_seconds, 60.0))
            self.sweep()

    async def aclose(self) -> None:
        """Close every session (the server is stopping)."""
        if self._sweeper is not None:
            self._sweeper.cancel()
        for sid in list(self.live):
            self._close(sid)
        if self._closing:
            await asyncio.gather(*self._closing, return_exceptions=True)
