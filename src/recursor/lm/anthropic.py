"""Anthropic's Messages API over plain httpx.

Only the wire format differs from the OpenAI-compatible client: the system prompt is a top-level
field, roles must alternate, and `max_tokens` is required. Failures go through the same
boundary (`post_json`), so 429/5xx/529 map to the same transient errors and are retried alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from recursor.lm.base import LMResponse, Message, Usage, output_cap
from recursor.lm.openai_compat import DEFAULT_MAX_RESPONSE_BYTES, HTTPChatLM, error_in_body

__all__ = ["ANTHROPIC_VERSION", "AnthropicLM", "parse_message", "to_anthropic_messages"]

ANTHROPIC_VERSION = "2023-06-01"


def to_anthropic_messages(messages: Sequence[Message]) -> tuple[str | None, list[dict[str, str]]]:
    """Split out the system prompt and merge consecutive same-role turns.

    The API rejects a `system` role inside `messages` and two user turns in a row, both of which
    an RLM transcript can produce (e.g. a REPL observation right after the user's question).
    """
    system: list[str] = []
    turns: list[dict[str, str]] = []
    for m in messages:
        if m["role"] == "system":
            system.append(m["content"])
        elif turns and turns[-1]["role"] == m["role"]:
            turns[-1]["content"] += "\n\n" + m["content"]
        else:
            turns.append({"role": m["role"], "content": m["content"]})
    return ("\n\n".join(system) if system else None), turns


class AnthropicLM(HTTPChatLM):
    """A Claude model via `POST {base_url}/v1/messages`.

    `base_url` has no `/v1`, as in Anthropic's own SDK. Reported input tokens include
    prompt-cache reads and writes, so token budgets count everything the model read. A reply
    body over `max_response_bytes` is refused (`LMRequestError`, not retried).
    """

    def __init__(
        self,
        model: str,
        *,
        base_url: str = "https://api.anthropic.com",
        api_key: str | None = None,
        api_key_env: str | None = "ANTHROPIC_API_KEY",
        timeout: float = 120.0,
        temperature: float | None = None,
        max_output_tokens: int = 4096,
        extra_body: Mapping[str, Any] | None = None,
        http_client: httpx.AsyncClient | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
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
        headers = {"anthropic-version": ANTHROPIC_VERSION}
        if self._api_key:
            headers["x-api-key"] = self._api_key
        data = await self._post("/v1/messages", self._body(messages, max_tokens), headers)
        return parse_message(data, self.model)

    def _body(self, messages: Sequence[Message], max_tokens: int | None = None) -> dict[str, Any]:
        system, turns = to_anthropic_messages(messages)
        cap = output_cap(self.max_output_tokens, max_tokens)
        body: dict[str, Any] = {
            "model": self.model,
            "max_tokens": cap,
            "messages": turns,
        }
        if system is not None:
            body["system"] = system
        if self.temperature is not None:
            body["temperature"] = self.temperature
        body = body | self.extra_body
        if isinstance(body.get("max_tokens"), int) and cap is not None:
            body["max_tokens"] = min(cap, body["max_tokens"])  # extra_body must not lift the cap
        return body


def parse_message(data: Any, model: str) -> LMResponse:
    """Read a Messages API reply: the text blocks joined; a refusal keeps stop_reason "refusal"."""
    content = data.get("content") if isinstance(data, dict) else None
    if not isinstance(content, list):
        raise error_in_body(data, model)
    text = "".join(
        b.get("text", "") for b in content if isinstance(b, dict) and b.get("type") == "text"
    )
    raw = data.get("usage")
    usage = Usage()
    if isinstance(raw, dict):
        try:
            read = sum(
                int(raw.get(k) or 0)
                for k in ("input_tokens", "cache_read_input_tokens", "cache_creation_input_tokens")
            )
            usage = Usage(input_tokens=read, output_tokens=int(raw.get("output_tokens") or 0))
        except (TypeError, ValueError, OverflowError):
            raise error_in_body(data, model) from None  # garbled usage: retried like any bad reply
    reported = data.get("model")
    stop = data.get("stop_reason")
    return LMResponse(
        text,
        reported if isinstance(reported, str) and reported else model,
        usage,
        stop if isinstance(stop, str) else None,
    )
