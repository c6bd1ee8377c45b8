"""The OpenAI-compatible app: `GET /v1/models` and `POST /v1/chat/completions` over one `RLM`.

Mapping (documented in the README, "Serving an RLM"):

- the request is the text of the LAST `user` message; the root model sees it whole when it is
  short and as its beginning and end otherwise (`recursor.prompt_split`): whatever a client
  sends, the root model's prompt holds only a bounded slice of it;
- the context is the request's extra field `context` (str, list of str, or dict of str -> str)
  when given; otherwise the whole conversation, last user message included, as one str (a lone
  user message is its text; several are each preceded by a line "=== message I of N: ROLE ===").
  Clients put their document in the message: it must reach the REPL, not the prompt;
- content is a str, null, or a list of text parts (joined by newlines); image, audio and file
  parts are refused with 400: an RLM reads text;
- `model` may be omitted; when given it must be the served id (404 otherwise), so a client
  pointed at the wrong server fails loudly instead of silently getting an RLM;
- `max_tokens` / `max_completion_tokens` are accepted and ignored: an RLM's cost is the whole
  run tree, not the answer's length, so use `recursor_limits` for that;
- the extra field `recursor_limits` may LOWER `max_iterations`, `max_usd`, `max_tokens`, `max_calls` and `timeout` for
  one request; a value above the server's limit is clamped to it, never raised;
- `response_format` as OpenAI has it: `{"type": "json_object"}` (any JSON object) or
  `{"type": "json_schema", "json_schema": {"name", "schema", "strict"}}` makes the run typed
  (`recursor.output`): the content is the JSON text, `finish_reason` is "stop" only when it
  validates, and "length" when the run ended without a valid answer (its best answer is the
  content; `recursor.stopped_by` says why, "invalid_output" when the output retries ran out).
  The schema is always enforced, `strict` or not; one outside the supported subset is a 400.

With the extra field `session_id`, requests of one conversation share a session: one REPL
and one budget (`recursor.serve.sessions`). Otherwise each request is its own RLM run with its own worker. At most `max_concurrent_runs` run at
once; a request beyond that gets 429 with Retry-After at once rather than waiting in a queue,
so a client's own timeout and retry policy stay in charge (the openai SDK retries 429).

A client that disconnects cancels its run (nobody would read the answer, and it holds a slot
and spends the budget): a watcher waits for `http.disconnect` while a non-streaming run works;
a streamed run is cancelled when Starlette sees the disconnect. The slot frees once the
cancelled run has closed its worker.

Replies may carry any string model code produced: JSON bodies and SSE chunks replace lone
surrogates by U+FFFD (`safetext`), since clients in other languages reject them.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hmac
import json
import logging
import math
import re
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from recursor.errors import RecursorError, UserError
from recursor.per_request import WHOLE_LIMITS as _WHOLE_LIMITS
from recursor.per_request import redact, request_run
from recursor.prompt_split import split_conversation, split_prompt
from recursor.rlm import RLM, Result
from recursor.safetext import dumps, well_formed
from recursor.serve.sessions import SESSION_ID_RE, SessionPool
from recursor.session import Session

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

__all__ = ["DEFAULT_MAX_BODY_BYTES", "ApiError", "ChatRequest", "ServeConfig", "create_app",
           "parse_chat_request", "parse_response_format"]

log = logging.getLogger("recursor.serve")

DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024
"""Request bodies above this get 413: the context travels in the body, so it is large."""

_ROLES = frozenset({"system", "developer", "user", "assistant", "tool", "function"})
_LIMIT_KEYS = ("max_iterations", "max_usd", "max_tokens", "max_calls", "timeout")
_CHUNK_CHARS = 4096


@dataclass(frozen=True, slots=True)
class ServeConfig:
    """How the server behaves; the RLM itself carries the model, limits and sandbox."""

    model_id: str = "recursor"
    """The id clients send as `model` and `/v1/models` lists."""
    api_key: str | None = None
    """When set, every request needs `Authorization: Bearer <api_key>`."""
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_concurrent_runs: int = 4
    retry_after: int = 1
    """Seconds a client is told to wait when every run slot is busy."""
    heartbeat: float = 10.0
    """Seconds between SSE keep-alive comments while a streamed run works."""
    max_sessions: int = 16
    """Live sessions (`session_id`) at most; starting another closes the least recently used idle one."""
    session_idle: float = 900.0
    """Seconds after which an idle session is closed (its worker and variables go)."""
    sessions: bool = True
    """False: a request with `session_id` gets 400. Several replicas behind one address
    (`serve --ray --replicas N`) cannot keep a session: it lives in one replica's memory."""


class ApiError(Exception):
    """An error answered in OpenAI's shape: {"error": {"message", "type", "code"}}."""

    def __init__(self, status: int, message: str, *, type: str = "invalid_request_error",
                 code: str | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.code = code
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.type, "code": self.code}}


@dataclass(frozen=True, slots=True)
class ChatRequest:
    """A validated chat request, mapped onto an RLM call."""

    question: str
    context: str | list[str] | dict[str, str] | None
    """None only in a session: the question brings no new context."""
    stream: bool = False
    include_usage: bool = False
    limits: dict[str, float] = dataclasses.field(default_factory=dict)
    output_type: dict[str, Any] | None = None
    """The JSON Schema the answer must match (from `response_format`), or None for text."""
    session_id: str | None = None


def _bad(message: str, code: str = "invalid_value") -> ApiError:
    return ApiError(400, message, code=code)


def _text(content: Any, where: str) -> str:
    """A message's content as text: a str, null, or a list of text parts."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts: list[str] = []
        for j, part in enumerate(content):
            kind = part.get("type") if isinstance(part, dict) else None
            if kind in ("text", "refusal"):  # an assistant turn may hold a refusal part
                key = str(kind)
                if not isinstance(part.get(key), str):
                    raise _bad(f"{where}.content[{j}].{key} must be a string", "invalid_type")
                parts.append(part[key])
                continue
            what = f"a {kind!r} part" if isinstance(kind, str) else "not a content part"
            raise _bad(f"{where}.content[{j}] is {what[:80]}: recursor reads text only, so send "
                       "text parts ({'type': 'text', 'text': ...}); images, audio and files are not supported")
        return "\n".join(parts)
    raise _bad(f"{where}.content must be a string or a list of text parts", "invalid_type")


def _positive(value: Any, name: str, *, integer: bool) -> float:
    ok = isinstance(value, int) if integer else isinstance(value, int | float)
    if not ok or isinstance(value, bool) or not math.isfinite(value) or value <= 0:
        kind = "a positive integer" if integer else "a positive number"
        raise _bad(f"recursor_limits.{name} must be {kind}", "invalid_type")
    return float(value)


def parse_chat_request(body: Any, model_id: str) -> ChatRequest:
    """Validate a decoded /v1/chat/completions body; raises ApiError (400/404) on bad input."""
    if not isinstance(body, dict):
        raise _bad("the request body must be a JSON object", "invalid_type")
    model = body.get("model")
    if model is not None and not isinstance(model, str):
        raise _bad("model must be a string", "invalid_type")
    if model is not None and model != model_id:
        raise ApiError(404, f"the model {model[:200]!r} does not exist; this server serves {model_id!r}",
                       code="model_not_found")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise _bad("messages must be a non-empty list", "missing_messages" if not messages else "invalid_type")
    texts: list[tuple[str, str]] = []
    for i, msg in enumerate(messages):
        if not isinstance(msg, dict):
            raise _bad(f"messages[{i}] must be an object", "invalid_type")
        role = msg.get("role")
        if not isinstance(role, str) or role not in _ROLES:
            raise _bad(f"messages[{i}].role must be one of {sorted(_ROLES)}", "invalid_type")
        texts.append((role, _text(msg.get("content"), f"messages[{i}]")))
    last_user = max((i for i, (role, _) in enumerate(texts) if role == "user"), default=None)
    if last_user is None:
        raise _bad("messages must contain a user message (its text is the question)", "no_user_message")
    if not texts[last_user][1].strip():
        raise _bad("the last user message is empty (its text is the question)", "empty_question")
    for name in ("max_tokens", "max_completion_tokens"):  # accepted, ignored: see the module doc
        value = body.get(name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise _bad(f"{name} must be an integer", "invalid_type")
    n = body.get("n")
    if n is not None and n != 1:
        raise _bad("n must be 1: one request is one RLM run")
    stream = body.get("stream", False)
    if not isinstance(stream, bool | None):
        raise _bad("stream must be a boolean", "invalid_type")
    options = body.get("stream_options")
    if options is not None and not isinstance(options, dict):
        raise _bad("stream_options must be an object", "invalid_type")
    include_usage = bool(options.get("include_usage")) if options else False
    context: str | list[str] | dict[str, str] | None
    raw = body.get("context")
    if raw is None:  # the conversation is the context; the root model sees a bounded request
        question, context = split_conversation(texts)
    elif isinstance(raw, str):
        context = raw
    elif isinstance(raw, list) and all(isinstance(item, str) for item in raw):
        context = list(raw)
    elif isinstance(raw, dict) and all(isinstance(v, str) for v in raw.values()):
        context = dict(raw)
    else:
        raise _bad("context must be a string, a list of strings, or an object of string values", "invalid_type")
    if raw is not None:
        question, _ = split_prompt(texts[last_user][1], context)
    session_id = body.get("session_id")
    if session_id is not None:  # the session holds the conversation: only the last user message is read
        if not isinstance(session_id, str) or not SESSION_ID_RE.fullmatch(session_id):
            raise _bad("session_id must be 1 to 128 letters, digits, '.', '_', ':' or '-'")
        question, context = texts[last_user][1], None if raw is None else context
    limits: dict[str, float] = {}
    wanted = body.get("recursor_limits")
    if wanted is not None:
        if not isinstance(wanted, dict):
            raise _bad("recursor_limits must be an object", "invalid_type")
        unknown = sorted(set(wanted) - set(_LIMIT_KEYS))
        if unknown:
            raise _bad(f"recursor_limits: unknown keys {unknown}; allowed: {list(_LIMIT_KEYS)}")
        for name, value in wanted.items():
            if value is not None:
                limits[name] = _positive(value, name, integer=name in _WHOLE_LIMITS)
    return ChatRequest(question=question, context=context, stream=bool(stream),
                       include_usage=include_usage, limits=limits, session_id=session_id)


_MAX_RESPONSE_SCHEMA_CHARS = 100_000
_SCHEMA_NAME_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def parse_response_format(body: Any) -> dict[str, Any] | None:
    """`response_format` as a JSON Schema for the answer, or None for plain text; 400 on bad input."""
    raw = body.get("response_format") if isinstance(body, dict) else None
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise _bad("response_format must be an object", "invalid_type")
    kind = raw.get("type")
    if kind == "text":
        return None
    if kind == "json_object":
        return {"type": "object"}
    if kind != "json_schema":
        raise _bad("response_format.type must be 'text', 'json_object' or 'json_schema'")
    spec = raw.get("json_schema")
    if not isinstance(spec, dict):
        raise _bad("response_format.json_schema must be an object", "invalid_type")
    name = spec.get("name")
    if not isinstance(name, str) or not _SCHEMA_NAME_RE.fullmatch(name):
        raise _bad("response_format.json_schema.name must be 1 to 64 letters, digits, '_' or '-'")
    if spec.get("strict") is not None and not isinstance(spec.get("strict"), bool):
        raise _bad("response_format.json_schema.strict must be a boolean", "invalid_type")
    schema = spec.get("schema", {})
    if not isinstance(schema, dict):
        raise _bad("response_format.json_schema.schema must be an object", "invalid_type")
    from recursor.output import check_schema

    if len(json.dumps(schema)) > _MAX_RESPONSE_SCHEMA_CHARS:
        raise _bad(f"response_format.json_schema.schema is over {_MAX_RESPONSE_SCHEMA_CHARS:,} characters")
    try:
        check_schema(schema)
    except UserError as exc:
        raise _bad(f"response_format.json_schema.schema: {exc}") from None
    return schema


def _usage(result: Result) -> dict[str, int]:
    total = result.usage.total
    return {"prompt_tokens": total.input_tokens, "completion_tokens": total.output_tokens,
            "total_tokens": total.input_tokens + total.output_tokens}


def _extra(result: Result) -> dict[str, Any]:
    return {
        "stopped_by": result.stopped_by,
        "mode": result.mode,
        "cost_usd": result.cost_usd,
        "iterations": result.iterations,
        "wall_time": round(result.wall_time, 3),
        "trace_path": str(result.trace_path) if result.trace_path else None,
        "usage_by_model": {name: dataclasses.asdict(u) for name, u in result.usage.by_model.items()},
        "error": redact(result.error) if result.error else None,
    }


def _finish_reason(result: Result, typed: bool = False) -> str:
    """"stop" when the model answered (with `response_format`: validly), else "length"."""
    if typed:
        return "stop" if result.output is not None else "length"
    return "stop" if result.stopped_by == "final" else "length"


def _failed(result: Result) -> ApiError | None:
    """The model service failed and left no answer: the client should see 502, not ""."""
    if result.stopped_by == "lm_error" and not result.answer:
        return ApiError(502, f"the model service failed: {redact(result.error or 'unknown error')}",
                        type="upstream_error", code="lm_error")
    return None


def _run_error(exc: BaseException) -> ApiError:
    if isinstance(exc, UserError):
        return _bad(redact(str(exc)))
    if isinstance(exc, RecursorError):
        return ApiError(500, f"the run failed: {redact(str(exc))}", type="server_error", code="run_failed")
    log.error("run failed", exc_info=exc)
    return ApiError(500, "internal error (see the server log)", type="server_error", code="internal_error")


class _Slots:
    """Run slots; one event loop, so a counter is enough."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.active = 0

    def try_acquire(self) -> bool:
        if self.active >= self.size:
            return False
        self.active += 1
        return True

    def release(self, _: object = None) -> None:
        self.active -= 1


async def _until_disconnected(request: Request) -> None:
    """Return when the client hangs up (the request body has already been read)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


async def _unless_disconnected(request: Request, task: asyncio.Task[Result]) -> bool:
    """Wait for `task`; if the client goes first, cancel the run and wait for it to clean up.

    True when the run finished on its own. Also cancels the run if this handler is cancelled.
    """
    watcher = asyncio.ensure_future(_until_disconnected(request))
    try:
        await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        watcher.cancel()
        if not task.done():
            log.info("client disconnected: cancelling its run")
            task.cancel()
            await asyncio.wait({task})  # the run closes its worker; the slot frees when it ends
    return not task.cancelled()


def _sse(body: dict[str, Any]) -> str:
    return f"data: {dumps(body, surrogates='replace')}\n\n"


def _require_starlette() -> None:
    try:
        import starlette  # noqa: F401
    except ImportError as exc:
        raise UserError("recursor serve needs Starlette and uvicorn: pip install 'recursor[serve]'") from exc


def create_app(rlm: RLM, config: ServeConfig | None = None, **options: Any) -> Starlette:
    """A Starlette app serving `rlm`; keyword options override fields of `config`."""
    _require_starlette()
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.responses import JSONResponse, Response, StreamingResponse
    from starlette.routing import Route

    class JSONReply(JSONResponse):
        """JSON that always encodes: lone surrogates in model text become U+FFFD."""

        def render(self, content: Any) -> bytes:
            return dumps(content, surrogates="replace", allow_nan=False, separators=(",", ":")).encode("utf-8")

    cfg = dataclasses.replace(config or ServeConfig(), **options)
    if cfg.max_concurrent_runs < 1:
        raise UserError("max_concurrent_runs must be at least 1")
    slots = _Slots(cfg.max_concurrent_runs)
    sessions = SessionPool(max_sessions=cfg.max_sessions, idle_seconds=cfg.session_idle)
    expected = cfg.api_key.encode() if cfg.api_key else None

    def error_response(err: ApiError) -> Response:
        return JSONReply(err.body(), status_code=err.status, headers=err.headers)

    def check_auth(request: Request) -> None:
        if expected is None:
            return
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected):
            raise ApiError(401, "missing or wrong API key (send Authorization: Bearer <key>)",
                           code="invalid_api_key", headers={"WWW-Authenticate": "Bearer"})

    async def read_json(request: Request) -> Any:
        length = request.headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                raise _bad("bad Content-Length header")
            if int(length) > cfg.max_body_bytes:
                raise ApiError(413, f"request body over {cfg.max_body_bytes} bytes", code="body_too_large")
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > cfg.max_body_bytes:
                raise ApiError(413, f"request body over {cfg.max_body_bytes} bytes", code="body_too_large")
            chunks.append(chunk)
        try:
            return json.loads(b"".join(chunks))
        except (ValueError, RecursionError) as exc:  # bad UTF-8 is a ValueError too
            raise _bad(f"the body is not valid JSON: {str(exc)[:200]}", "invalid_json") from None

    async def models(request: Request) -> Response:
        try:
            check_auth(request)
        except ApiError as err:
            return error_response(err)
        return JSONReply({"object": "list", "data": [
            {"id": cfg.model_id, "object": "model", "created": 0, "owned_by": "recursor"}]})

    def start_run(req: ChatRequest, on_event: Callable[[dict[str, Any]], None] | None) -> asyncio.Task[Result]:
        run = request_run(rlm, req.limits, on_event)  # this request's limits and event hook
        if req.session_id is None:
            task = asyncio.create_task(run.acomplete(req.question, req.context, output_type=req.output_type))
        else:
            task = asyncio.create_task(ask_session(req, on_event))
        task.add_done_callback(slots.release)
        return task

    def start_session(req: ChatRequest) -> Session:
        return request_run(rlm, req.limits).session()  # the request that starts a session sets its limits

    def claim_session(req: ChatRequest) -> None:
        """Mark the request's session busy now, so a second request for it gets 409 at once."""
        assert req.session_id is not None
        try:
            sessions.claim(req.session_id, lambda: start_session(req))
        except LookupError:
            raise ApiError(409, "this session is answering another request; retry when it is done",
                           code="session_busy", headers={"Retry-After": str(cfg.retry_after)}) from None
        except OverflowError:
            raise ApiError(429, f"all {cfg.max_sessions} sessions are busy; retry shortly", type="rate_limit_error",
                           code="too_many_sessions", headers={"Retry-After": str(cfg.retry_after)}) from None

    async def ask_session(req: ChatRequest, on_event: Callable[[dict[str, Any]], None] | None) -> Result:
        assert req.session_id is not None
        session = sessions.live[req.session_id]
        try:
            session.listener = on_event
            return await session.aask(req.question, req.context, output_type=req.output_type)
        finally:
            session.listener = None
            sessions.release(req.session_id)

    async def chat(request: Request) -> Response:
        try:
            check_auth(request)
            body = await read_json(request)
            req = parse_chat_request(body, cfg.model_id)
            req = dataclasses.replace(req, output_type=parse_response_format(body))
            if req.session_id is not None and not cfg.sessions:
                raise _bad("this server runs several replicas, which cannot keep a session (session_id): "
                           "send the whole conversation instead", "sessions_unavailable")
            if not slots.try_acquire():
                raise ApiError(429, f"all {cfg.max_concurrent_runs} run slots are busy; retry shortly",
                               type="rate_limit_error", code="too_many_runs",
                               headers={"Retry-After": str(cfg.retry_after)})
            if req.session_id is not None:
                try:
                    claim_session(req)
                except ApiError:
                    slots.release()
                    raise
        except ApiError as err:
            return error_response(err)
        cid = f"chatcmpl-{uuid.uuid4().hex}"
        created = int(time.time())
        if req.stream:
            return stream(req, cid, created)
        task = start_run(req, None)
        try:
            if not await _unless_disconnected(request, task):
                return Response(status_code=499)  # nobody is there to read it
            result = task.result()
        except Exception as exc:
            return error_response(_run_error(exc))
        failed = _failed(result)
        if failed is not None:
            return error_response(failed)
        return JSONReply({
            "id": cid, "object": "chat.completion", "created": created, "model": cfg.model_id,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": result.answer},
                         "finish_reason": _finish_reason(result, req.output_type is not None),
                         "logprobs": None}],
            "usage": _usage(result),
            "recursor": _extra(result),
        })

    def stream(req: ChatRequest, cid: str, created: int) -> Response:
        events: asyncio.Queue[str | None] = asyncio.Queue()

        def on_event(record: dict[str, Any]) -> None:
            # Only the event's name and position: never content, which may be sensitive.
            words = [str(record.get(k)) for k in ("event", "run_id", "iteration") if record.get(k) is not None]
            line = " ".join(w.replace("\n", " ").replace("\r", " ")[:80] for w in words)
            events.put_nowait(well_formed(line))

        task = start_run(req, on_event)
        task.add_done_callback(lambda _: events.put_nowait(None))

        def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
            body = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": cfg.model_id,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}], **extra}
            return _sse(body)

        async def body() -> AsyncIterator[str]:
            try:
                yield chunk({"role": "assistant", "content": ""})
                while not task.done() or not events.empty():
                    try:
                        note = await asyncio.wait_for(events.get(), cfg.heartbeat)
                    except TimeoutError:
                        yield ": working\n\n"
                        continue
                    if note is None:
                        break
                    yield f": {note}\n\n"
                try:
                    result = task.result()
                except Exception as exc:
                    err: ApiError | None = _run_error(exc)
                else:
                    err = _failed(result)
                if err is not None:
                    yield _sse(err.body())
                else:
                    for i in range(0, len(result.answer), _CHUNK_CHARS):
                        yield chunk({"content": result.answer[i:i + _CHUNK_CHARS]})
                    yield chunk({}, _finish_reason(result, req.output_type is not None), recursor=_extra(result))
                    if req.include_usage:
                        yield _sse({"id": cid, "object": "chat.completion.chunk", "created": created,
                                    "model": cfg.model_id, "choices": [], "usage": _usage(result)})
                yield "data: [DONE]\n\n"
            finally:
                if not task.done():  # the client went away: stop spending on its run
                    log.info("streaming client disconnected: cancelling its run")
                    task.cancel()

        return StreamingResponse(body(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    async def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        kind = "not_found" if status == 404 else "method_not_allowed" if status == 405 else "server_error"
        return error_response(ApiError(status, str(getattr(exc, "detail", "")) or "error", type=kind))

    async def internal_error(request: Request, exc: Exception) -> Response:
        log.error("unhandled error", exc_info=exc)
        return error_response(ApiError(500, "internal error", type="server_error", code="internal_error"))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await sessions.aclose()  # the server stops: so do the sessions' workers

    app = Starlette(
        routes=[Route("/v1/models", models, methods=["GET"]),
                Route("/v1/chat/completions", chat, methods=["POST"])],
        exception_handlers={HTTPException: http_error, Exception: internal_error},
        lifespan=lifespan,
    )
    app.state.sessions = sessions
    return app
