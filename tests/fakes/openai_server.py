"""FakeOpenAIServer: a real HTTP server on 127.0.0.1 that plays scripted model behaviours.

The HTTP clients, retries and rate limits are tested against real sockets, so timeouts, resets
and cut-off bodies are the real thing, and no test can reach a paid API. It answers
`/v1/chat/completions` in OpenAI shape and `/v1/messages` in Anthropic shape; like the real
Messages API, `/v1/messages` answers 400 to a blank turn (other than a final assistant one).

    with FakeOpenAIServer([Status(429, headers={"Retry-After": "0.1"}), Reply("hi")]) as server:
        lm = OpenAICompatibleLM("m", base_url=server.base_url)

Scripted behaviours are played in order, one per request; when the script is empty,
`responder(request_json)` answers (a str becomes a `Reply`, or it may return a behaviour).
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = [
    "Behaviour",
    "FakeOpenAIServer",
    "Hang",
    "Huge",
    "NullContent",
    "RecordedRequest",
    "Refusal",
    "Reply",
    "Reset",
    "Status",
    "TruncatedJSON",
]


@dataclass(frozen=True)
class Reply:
    """A normal completion. `model=None` echoes the requested model; `delay` is latency."""

    text: str = "fake reply"
    prompt_tokens: int = 10
    completion_tokens: int = 5
    cost: float | None = None
    model: str | None = None
    finish_reason: str | None = None
    delay: float = 0.0


@dataclass(frozen=True)
class Status:
    """Any HTTP status with a raw body and headers, e.g. `Status(429, headers={"Retry-After": "1"})`."""

    code: int
    body: str = '{"error": {"message": "fake error"}}'
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass(frozen=True)
class Hang:
    """Read the request and never answer (until the server stops), so the client times out."""


@dataclass(frozen=True)
class Reset:
    """Read the request, then close the socket with a TCP reset and no reply."""


@dataclass(frozen=True)
class TruncatedJSON:
    """A 200 whose JSON is cut in half. With `incomplete`, the declared Content-Length is the
    full length, so the client sees the connection drop mid-body instead."""

    incomplete: bool = False


@dataclass(frozen=True)
class NullContent:
    """A completion whose content is null (OpenAI) or an empty block list (Anthropic)."""


@dataclass(frozen=True)
class Refusal:
    """A safety refusal: `message.refusal` (OpenAI) or stop_reason "refusal" (Anthropic)."""

    text: str = "I can't help with that."


@dataclass(frozen=True)
class Huge:
    """A 200 whose body is `size` bytes (a JSON string that never ends), written in 64 KiB
    pieces until the client hangs up. With `declare`, Content-Length says so up front; without
    it, the body runs until the connection closes. `FakeOpenAIServer.huge_bytes_sent` counts
    what the socket accepted, which is how a test sees that the client stopped reading early."""

    size: int = 200 * 1024 * 1024
    declare: bool = False


Behaviour = Reply | Status | Hang | Reset | TruncatedJSON | NullContent | Refusal | Huge
Responder = Callable[[dict[str, Any]], "str | Behaviour"]


@dataclass
class RecordedRequest:
    """One request as the server saw it; header names are lower-case."""

    path: str
    json: dict[str, Any]
    headers: dict[str, str]
    arrived: float
    finished: float | None = None


class FakeOpenAIServer:
    """A fake model service in a background thread; use as a context manager.

    `requests` records every request; `peak_in_flight` is the most requests handled at once,
    which is how tests check that a concurrency cap really caps.
    """

    def __init__(
        self,
        script: Iterable[Behaviour] = (),
        *,
        responder: Responder | None = None,
        delay: float = 0.0,
    ) -> None:
        self.responder: Responder = responder or (lambda request: "fake reply")
        self.delay = delay
        self.requests: list[RecordedRequest] = []
        self.peak_in_flight = 0
        self.huge_bytes_sent = 0
        self._script: deque[Behaviour] = deque(script)
        self._in_flight = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> FakeOpenAIServer:
        self._httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.fake = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # releases Hang and pending delays
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def root_url(self) -> str:
        """`http://127.0.0.1:PORT`, the base_url an Anthropic client expects."""
        assert self._httpd is not None, "server not started"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT/v1`, the base_url an OpenAI-compatible client expects."""
        return self.root_url + "/v1"

    # -- scripting ---------------------------------------------------------------------------

    def push(self, *behaviours: Behaviour) -> None:
        """Append behaviours to the script."""
        with self._lock:
            self._script.extend(behaviours)

    def _next(self, request: dict[str, Any]) -> Behaviour:
        with self._lock:
            if self._script:
                return self._script.popleft()
        out = self.responder(request)
        return Reply(out) if isinstance(out, str) else out

    def _arrive(self, path: str, body: dict[str, Any], headers: dict[str, str]) -> RecordedRequest:
        record = RecordedRequest(path, body, headers, arrived=time.monotonic())
        with self._lock:
            self.requests.append(record)
            self._in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self._in_flight)
        return record

    def _leave(self, record: RecordedRequest) -> None:
        record.finished = time.monotonic()
        with self._lock:
            self._in_flight -= 1

    def _wait(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(seconds)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the default of 5 drops connections when 64 clients connect at once
    fake: FakeOpenAIServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up (timeouts, the reset behaviour) are expected; stay quiet on those."""
        import sys

        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:  # silence per-request logging
        pass

    def do_POST(self) -> None:
        fake = self.server.fake
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.loads(raw or b"{}")
        headers = {k.lower(): v for k, v in self.headers.items()}
        record = fake._arrive(self.path, body, headers)
        try:
            if self.path not in ("/v1/chat/completions", "/v1/messages"):
                self._send(404, b'{"error": {"message": "no such path"}}')
                return
            anthropic = self.path == "/v1/messages"
            problem = _anthropic_problem(body) if anthropic else None
            if problem is not None:
                error = {
                    "type": "error",
                    "error": {"type": "invalid_request_error", "message": problem},
                }
                self._send(400, json.dumps(error).encode())
                return
            self._play(fake, fake._next(body), body, anthropic=anthropic)
        finally:
            fake._leave(record)

    def _play(
        self, fake: FakeOpenAIServer, b: Behaviour, request: dict[str, Any], *, anthropic: bool
    ) -> None:
        if isinstance(b, Hang):
            fake._wait(60.0)
            self.close_connection = True
            return
        if isinstance(b, Reset):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            return
        if isinstance(b, Huge):
            self._send_huge(fake, b)
            return
        fake._wait(b.delay if isinstance(b, Reply | Status) and b.delay else fake.delay)
        if isinstance(b, Status):
            self._send(b.code, b.body.encode(), b.headers)
            return
        payload = json.dumps(_payload(b, request, anthropic=anthropic)).encode()
        if isinstance(b, TruncatedJSON):
            cut = payload[: len(payload) // 2]
            self._send(200, cut, length=len(payload) if b.incomplete else len(cut))
            self.close_connection = True
            return
        self._send(200, payload)

    def _send_huge(self, fake: FakeOpenAIServer, b: Huge) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if b.declare:
            self.send_header("Content-Length", str(b.size))
        self.end_headers()
        self.close_connection = True
        head = b'{"choices": [{"message": {"content": "'
        filler = b"x" * 65536
        sent = 0
        try:
            while sent < b.size and not fake._stopping.is_set():
                piece = (head + filler[len(head):] if sent == 0 else filler)[: b.size - sent]
                self.wfile.write(piece)
                sent += len(piece)
                with fake._lock:
                    fake.huge_bytes_sent = sent
        except OSError:
            pass  # the client hung up: what it took is in huge_bytes_sent

    def _send(
        self,
        code: int,
        body: bytes,
        headers: Mapping[str, str] | None = None,
        *,
        length: int | None = None,
    ) -> None:
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body) if length is None else length))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


def _anthropic_problem(request: dict[str, Any]) -> str | None:
    """What the real Messages API rejects before any model runs, so a bug that only Anthropic
    punishes (a blank turn, a system role in `messages`) fails here too. Like the API, it
    allows a blank final assistant turn (a prefill)."""
    messages = request.get("messages")
    if not isinstance(messages, list) or not messages:
        return "messages: at least one message is required"
    for i, m in enumerate(messages):
        role, content = (m.get("role"), m.get("content")) if isinstance(m, dict) else (None, None)
        if role not in ("user", "assistant"):
            return f"messages.{i}.role: Input should be 'user' or 'assistant'"
        last_assistant = i == len(messages) - 1 and role == "assistant"
        if not last_assistant and not _has_text(content):
            return (
                f"messages.{i}: all messages must have non-empty content except for the "
                "optional final assistant message"
            )
    return None


def _has_text(content: object) -> bool:
    """A non-blank string, or a non-empty block list whose text blocks are all non-blank."""
    if isinstance(content, str):
        return bool(content.strip())
    if isinstance(content, list):
        return bool(content) and all(
            not (isinstance(b, dict) and b.get("type") == "text")
            or str(b.get("text") or "").strip()
            for b in content
        )
    return False


def _payload(b: Behaviour, request: dict[str, Any], *, anthropic: bool) -> dict[str, Any]:
    """The JSON body for a reply-like behaviour, in the shape of the endpoint asked."""
    r = b if isinstance(b, Reply) else Reply()
    model = r.model or request.get("model", "fake-model")
    text: str | None = r.text
    refusal = b.text if isinstance(b, Refusal) else None
    if isinstance(b, NullContent | Refusal):
        text = None
    if anthropic:
        blocks = [{"type": "text", "text": refusal or text}] if (refusal or text) else []
        return {
            "id": "msg_fake",
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": blocks,
            "stop_reason": "refusal" if refusal else (r.finish_reason or "end_turn"),
            "usage": {"input_tokens": r.prompt_tokens, "output_tokens": r.completion_tokens},
        }
    usage: dict[str, Any] = {
        "prompt_tokens": r.prompt_tokens,
        "completion_tokens": r.completion_tokens,
        "total_tokens": r.prompt_tokens + r.completion_tokens,
    }
    if r.cost is not None:
        usage["cost"] = r.cost
    message: dict[str, Any] = {"role": "assistant", "content": text}
    if refusal:
        message["refusal"] = refusal
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": r.finish_reason or "stop"}],
        "usage": usage,
    }
