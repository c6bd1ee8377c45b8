"""OpenAI-compatible chat completions over plain httpx, and the HTTP boundary all HTTP clients share.

One client serves OpenAI, OpenRouter, vLLM, SGLang, llama.cpp server and Ollama: they all speak
`POST {base_url}/chat/completions`. We use httpx directly, not a vendor SDK, so the dependency list
stays short and every failure passes through one function, `post_json`, which turns httpx
exceptions and HTTP statuses into recursor's error tree. `AnthropicLM` reuses that boundary.

That boundary also keeps hostile text from hurting the host: request bodies are encoded with
lone surrogates replaced by U+FFFD (model code can print them; no provider accepts them), and a
reply body is read as a stream and abandoned past `max_response_bytes` (16 MiB by default), so
a runaway or malicious server cannot fill the host's memory.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import json
import math
import os
import ssl
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from recursor.errors import (
    LMConnectionError,
    LMError,
    LMRequestError,
    LMServerError,
    LMTimeoutError,
    RateLimitError,
    UserError,
)
from recursor.lm.base import LM, LMResponse, Message, Usage, output_cap
from recursor.safetext import dumps

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "HTTPChatLM",
    "OpenAICompatibleLM",
    "error_for_status",
    "error_in_body",
    "parse_chat_completion",
    "parse_retry_after",
    "post_json",
]

OPENAI_BASE_URL = "https://api.openai.com/v1"

#: Hosts that always need an API key; for them a missing key fails at construction, not mid-run.
KEYED_HOSTS = ("api.openai.com", "openrouter.ai", "api.anthropic.com")

#: Error bodies are cut to this many characters: enough to read the provider's message, not a page.
BODY_LIMIT = 2000

#: Largest reply body read; a larger one is an `LMRequestError` (not retried). A chat reply is
#: kilobytes; a body this size is a broken or hostile server, and asking again will not help.
DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024

#: Of an error reply, only this much is read: the message is in the first few hundred bytes.
_ERROR_BODY_BYTES = 64 * 1024


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds the server asked us to wait: `retry-after-ms` (OpenAI), or `Retry-After` in seconds
    or as an HTTP date. None when absent or unreadable."""
    ms = _finite(headers.get("retry-after-ms"))
    if ms is not None:
        return max(0.0, ms / 1000)
    value = headers.get("retry-after")
    if not value:
        return None
    seconds = _finite(value)
    if seconds is not None:
        return max(0.0, seconds)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _finite(value: str | None) -> float | None:
    try:
        number = float(value) if value else None
    except ValueError:
        return None
    return number if number is not None and math.isfinite(number) else None


def error_for_status(status: int, body: str, headers: Mapping[str, str], model: str) -> LMError:
    """The error for a non-success HTTP status: 429 rate limit, 408/5xx transient, other 4xx final."""
    detail = _provider_message(body)
    message = f"{model}: HTTP {status}: {detail}" if detail else f"{model}: HTTP {status}"
    if status in (401, 403):
        message += " (check the API key)"
    kw: dict[str, Any] = {"model": model, "status": status, "body": _truncate(body)}
    if status == 429:
        return RateLimitError(message, retry_after=parse_retry_after(headers), **kw)
    if status == 408:
        return LMTimeoutError(message, **kw)
    if status >= 500:
        return LMServerError(message, **kw)
    return LMRequestError(message, **kw)


def error_in_body(data: object, model: str) -> LMError:
    """The error for a success status whose JSON holds no reply.

    OpenRouter reports upstream failures as `{"error": {"code": 502, ...}}` with status 200, so an
    HTTP-like code there is mapped as if it were the status. Anything else (no choices, not an
    object) is taken as a garbled reply from an overloaded upstream: transient, so retried.
    """
    body = _truncate(json.dumps(data, default=str))
    error = data.get("error") if isinstance(data, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    if isinstance(code, int) and 400 <= code <= 599:
        return error_for_status(code, body, {}, model)
    return LMServerError(
        f"{model}: reply holds no completion: {body[:200]}", model=model, body=body
    )


def _provider_message(body: str) -> str:
    """The provider's own error message (`error.message` in both OpenAI and Anthropic shapes)."""
    try:
        data = json.loads(body)
    except ValueError:
        return _truncate(body.strip(), 300)
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict) and isinstance(error.get("message"), str):
        return _truncate(error["message"], 300)
    if isinstance(error, str):
        return _truncate(error, 300)
    return _truncate(body.strip(), 300)


def _truncate(text: str, limit: int = BODY_LIMIT) -> str:
    return text if len(text) <= limit else text[:limit] + f"... [{len(text) - limit} more chars]"


def _scrub(text: str, secret: str | None) -> str:
    """Remove the API key from text bound for an error: servers sometimes echo what they got."""
    return text.replace(secret, "***") if secret else text


async def post_json(
    client: httpx.AsyncClient,
    url: str,
    body: Mapping[str, Any],
    *,
    headers: Mapping[str, str],
    timeout: float,
    model: str,
    secret: str | None = None,
    max_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
) -> Any:
    """POST `body` and return the decoded JSON reply. The one place failures become `LMError`s.

    A 2xx whose body is not valid JSON is an `LMServerError` (transient): in practice it is a body
    cut off by a proxy or an overloaded server, and a second attempt usually succeeds. A reply
    over `max_bytes` is an `LMRequestError`: reading stops there and the connection is dropped.
    """
    host = urlsplit(url).netloc
    content = dumps(body, surrogates="replace").encode("utf-8")
    sent_headers = {"Content-Type": "application/json", **headers}
    try:
        # pool=None: waiting for a free connection is our own queueing, not the model being slow.
        async with client.stream(
            "POST", url, content=content, headers=sent_headers,
            timeout=httpx.Timeout(timeout, pool=None),
        ) as resp:
            if resp.is_success:
                raw = await _read_capped(resp, max_bytes, model=model, host=host)
            else:
                raw = await _read_head(resp, _ERROR_BODY_BYTES)
    except httpx.TimeoutException as exc:
        raise LMTimeoutError(
            f"{model}: no reply from {host} within {timeout:g}s", model=model
        ) from exc
    except (httpx.NetworkError, httpx.RemoteProtocolError, httpx.ProxyError) as exc:
        detail = _scrub(str(exc), secret) or type(exc).__name__
        raise LMConnectionError(
            f"{model}: connection to {host} failed: {detail}", model=model
        ) from exc
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        raise UserError(f"invalid base_url for {model}: {url!r} ({exc})") from exc
    except httpx.HTTPError as exc:
        detail = _scrub(str(exc), secret) or type(exc).__name__
        raise LMRequestError(f"{model}: request to {host} failed: {detail}", model=model) from exc
    text = raw.decode("utf-8", errors="replace")
    if not resp.is_success:
        raise error_for_status(resp.status_code, _scrub(text, secret), resp.headers, model)
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise LMServerError(
            f"{model}: HTTP {resp.status_code} reply is not valid JSON (truncated?)",
            model=model,
            status=resp.status_code,
            body=_truncate(_scrub(text, secret)),
        ) from exc


async def _read_capped(resp: httpx.Response, limit: int, *, model: str, host: str) -> bytes:
    """The whole body, or `LMRequestError` as soon as it passes `limit` bytes (decoded size,
    so a compressed bomb is caught too). A declared Content-Length over the cap fails unread."""
    def too_large(seen: str) -> LMRequestError:
        return LMRequestError(
            f"{model}: the reply from {host} is larger than the {limit:,}-byte cap ({seen}); "
            "not retried (raise max_response_bytes on the client if such replies are expected)",
            model=model, status=resp.status_code,
        )

    declared = resp.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large(f"Content-Length {int(declared):,}")
    buf = bytearray()
    async for chunk in resp.aiter_bytes():
        buf += chunk
        if len(buf) > limit:
            raise too_large(f"stopped reading after {len(buf):,} bytes")
    return bytes(buf)


async def _read_head(resp: httpx.Response, limit: int) -> bytes:
    """At most `limit` bytes of the body (an error reply: the rest is not worth reading)."""
    buf = bytearray()
    async for chunk in resp.aiter_bytes():
        buf += chunk
        if len(buf) >= limit:
            break
    return bytes(buf[:limit])


_POOL_LIMITS = httpx.Limits(max_connections=None, max_keepalive_connections=20)
"""No cap on connections: concurrency is the engine's to set (`Limits.max_concurrency`), and
httpx's default of 100 would silently serialise more. Keep-alive stays at httpx's default of 20:
httpcore rescans every pooled connection per request, so a larger pool costs CPU per call."""


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One CA bundle load per process (about 30 ms), not one per client and event loop.

    httpx's own factory, so SSL_CERT_FILE / SSL_CERT_DIR are honoured as before."""
    return httpx.create_ssl_context(trust_env=True)


class _ClientSlot:
    """The httpx client to send through: the injected one, or our own, one per event loop.

    An httpx pool's sockets belong to the event loop that opened them, and a sync entry point
    that calls `asyncio.run` per run starts a fresh loop each time; reusing a pool across loops
    fails ("Event loop is closed"). An injected client is the caller's and is never closed here.
    """

    def __init__(self, injected: httpx.AsyncClient | None) -> None:
        self._injected = injected
        self._client: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def get(self) -> httpx.AsyncClient:
        if self._injected is not None:
            return self._injected
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            self._client = httpx.AsyncClient(verify=_ssl_context(), limits=_POOL_LIMITS)
            self._loop = loop
        return self._client

    async def aclose(self) -> None:
        client, loop = self._client, self._loop
        self._client = self._loop = None
        if client is not None and loop is asyncio.get_running_loop():
            await client.aclose()


def _needs_key(base_url: str) -> bool:
    host = urlsplit(base_url).hostname or ""
    return any(host == h or host.endswith("." + h) for h in KEYED_HOSTS)


class HTTPChatLM(LM):
    """What every HTTP model client shares: endpoint, key, timeout, sampling options, the pool.

    Subclasses define only the wire format (`complete`). The API key is read from the
    environment once, at construction, so a missing key is reported before a run starts.
    """

    def __init__(
        self,
        model: str,
        *,
        base_url: str,
        api_key: str | None,
        api_key_env: str | None,
        timeout: float,
        temperature: float | None,
        max_output_tokens: int | None,
        extra_body: Mapping[str, Any] | None,
        http_client: httpx.AsyncClient | None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        if max_response_bytes < 1:
            raise UserError("max_response_bytes must be at least 1")
        self.model = model
        self.max_response_bytes = max_response_bytes
        self.base_url = base_url.rstrip("/")
        self.api_key_env = api_key_env
        self.timeout = timeout
        self.temperature = temperature
        self.max_output_tokens = max_output_tokens
        self.extra_body: dict[str, Any] = dict(extra_body or {})
        self._api_key = api_key or (os.environ.get(api_key_env) if api_key_env else None) or None
        if self._api_key is None and _needs_key(self.base_url):
            where = (
                f"set the {api_key_env} environment variable" if api_key_env else "pass api_key="
            )
            raise UserError(f"no API key for {urlsplit(self.base_url).hostname}: {where}")
        self._slot = _ClientSlot(http_client)
        self._owns_client = True

    async def _post(self, path: str, body: Mapping[str, Any], headers: Mapping[str, str]) -> Any:
        return await post_json(
            self._slot.get(),
            self.base_url + path,
            body,
            headers=headers,
            timeout=self.timeout,
            model=self.model,
            secret=self._api_key,
            max_bytes=self.max_response_bytes,
        )

    def with_model(self, model: str) -> LM:
        """Same endpoint, key and options; shares the connection pool, which this client owns."""
        clone = copy.copy(self)
        clone.model = model
        clone._owns_client = False
        return clone

    async def aclose(self) -> None:
        """Close the pool if this client created it (not an injected one, not a `with_model` copy)."""
        if self._owns_client:
            await self._slot.aclose()

    def __repr__(self) -> str:  # never shows the key
        return f"{type(self).__name__}(model={self.model!r}, base_url={self.base_url!r})"


class OpenAICompatibleLM(HTTPChatLM):
    """A model behind `POST {base_url}/chat/completions` (OpenAI, OpenRouter, vLLM, Ollama, ...).

    `api_key_env` follows the OpenAI SDK convention (`OPENAI_API_KEY`, sent to any base_url);
    pass `api_key_env=None` to send no key. Local servers need none, so a missing key is an
    error only for hosts in `KEYED_HOSTS`. `extra_body` is merged last into every request.
    A reply body over `max_response_bytes` is refused (`LMRequestError`, not retried).
    `stop` lists sequences where the server ends a reply (sent as `stop`; at most 4 for OpenAI).
    """

    stop: tuple[str, ...] | None
    """Where the server ends each reply; None sends none (the small-model mode sets it on a
    root's copy: `recursor.profiles.root_replies_for`)."""

    def __init__(
        self,
        model: str,
        *,
        base_url: str = OPENAI_BASE_URL,
        api_key: str | None = None,
        api_key_env: str | None = "OPENAI_API_KEY",
        timeout: float = 120.0,
        temperature: float | None = None,
        max_output_tokens: int | None = None,
        extra_body: Mapping[str, Any] | None = None,
        http_client: httpx.AsyncClient | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        stop: Sequence[str] | None = None,
    ) -> None:
        if stop is not None and (isinstance(stop, str) or not all(isinstance(s, str) and s for s in stop)):
            raise UserError("stop must be a list of non-empty strings")
        self.stop = tuple(stop) if stop is not None else None
        super().__init__(
            model,
            base_url=base_url,
            api_key=api_key,
            api_key_env=api_key_env,
            timeout=timeout,
            temperature=temperature,
            max_output_tokens=max_output_tokens,
            extra_body=extra_body,
            http_client=http_client,
            max_response_bytes=max_response_bytes,
        )

    async def complete(self, messages: Sequence[Message], *, max_tokens: int | None = None) -> LMResponse:
        headers = {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}
        data = await self._post("/chat/completions", self._body(messages, max_tokens), headers)
        return parse_chat_completion(data, self.model)

    def _body(self, messages: Sequence[Message], max_tokens: int | None = None) -> dict[str, Any]:
        cap = output_cap(self.max_output_tokens, max_tokens)
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [{"role": m["role"], "content": m["content"]} for m in messages],
        }
        if self.temperature is not None:
            body["temperature"] = self.temperature
        if self.stop:
            body["stop"] = list(self.stop)
        if cap is not None:
            # OpenAI's reasoning models reject the older `max_tokens`; local servers and
            # OpenRouter all accept it, while not all of them know `max_completion_tokens`.
            key = "max_completion_tokens" if "api.openai.com" in self.base_url else "max_tokens"
            body[key] = cap
        body = body | self.extra_body
        if cap is not None:
            # extra_body must not lift the cap the budget reserved for.
            for key in ("max_tokens", "max_completion_tokens"):
                if key in body:
                    body[key] = min(cap, body[key]) if isinstance(body[key], int) else cap
        return body


def parse_chat_completion(data: Any, model: str) -> LMResponse:
    """Read an OpenAI-shape reply. Null or empty content is an empty text (the engine decides
    what to do with it); a refusal comes back as its text with finish_reason "refusal".

    A reply of the wrong shape (choices not a list, usage counts that are not numbers) is an
    `LMServerError`, like any other garbled reply: a `KeyError` here would end the whole run.
    """
    choices = data.get("choices") if isinstance(data, dict) else None
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise error_in_body(data, model)
    choice = choices[0]
    message = choice.get("message")
    if not isinstance(message, dict):
        message = {}
    try:
        usage = _usage(data.get("usage"))
    except (TypeError, ValueError, OverflowError):
        raise error_in_body(data, model) from None
    reported = data.get("model")
    reported = reported if isinstance(reported, str) and reported else model
    finish = choice.get("finish_reason")
    finish = finish if isinstance(finish, str) else None
    if message.get("refusal"):
        return LMResponse(str(message["refusal"]), reported, usage, finish_reason="refusal")
    return LMResponse(_text(message.get("content")), reported, usage, finish)


def _text(content: object) -> str:
    """Content as text: a string, null, or (some servers) a list of `{"type": "text"}` parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            p["text"] for p in content if isinstance(p, dict) and isinstance(p.get("text"), str)
        )
    return ""


def _usage(raw: object) -> Usage:
    """The reply's usage. Counts and costs that are not finite and >= 0 are dropped (0 tokens,
    no cost), so the ledger settles such a call at its reservation instead of trusting them."""
    if not isinstance(raw, dict):
        return Usage()
    cost = raw.get("cost")
    if isinstance(cost, bool) or not isinstance(cost, int | float) or not math.isfinite(cost) or cost < 0:
        cost = None  # `true`, NaN or a negative amount is not a price
    return Usage(
        input_tokens=_count(raw.get("prompt_tokens")),
        output_tokens=_count(raw.get("completion_tokens")),
        cost_usd=float(cost) if cost is not None else None,
    )


def _count(value: object) -> int:
    """A token count as the server gave it; 0 when missing, negative or not finite. Text that
    is no number raises ValueError, which makes the reply a garbled one (retried)."""
    if isinstance(value, str):
        return max(0, int(value))
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return 0
    return max(0, int(value))
