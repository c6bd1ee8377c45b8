"""Turn a model spec such as "openai:gpt-5-mini" into a ready, retrying LM.

Specs are `provider:model`; "local" alone is the best pulled local model. A bare name is a
guess made for convenience: with `base_url` it is a model on that OpenAI-compatible server,
an embedded model's name (`qwen2.5-coder-0.5b`) is that model, "claude-*" is Anthropic,
anything else is OpenAI.
"""

from __future__ import annotations

import os
from typing import Any, Final

from recursor.errors import UserError
from recursor.lm.anthropic import AnthropicLM
from recursor.lm.base import LM
from recursor.lm.openai_compat import OPENAI_BASE_URL, OpenAICompatibleLM
from recursor.lm.retry import RateLimitedLM, RetryingLM, RetryPolicy
from recursor.local.models import MODELS

__all__ = ["PROVIDERS", "as_lm", "resolve_lm"]

#: OpenAI-compatible providers: default base_url and the environment variable holding the key.
_OPENAI_LIKE: Final[dict[str, tuple[str, str | None]]] = {
    "openai": (OPENAI_BASE_URL, "OPENAI_API_KEY"),
    "openrouter": ("https://openrouter.ai/api/v1", "OPENROUTER_API_KEY"),
    "ollama": ("http://127.0.0.1:11434/v1", None),
}

PROVIDERS: Final[tuple[str, ...]] = (*_OPENAI_LIKE, "anthropic", "local")

_DEFAULT_RETRY: Final = RetryPolicy()


def resolve_lm(
    spec: str,
    *,
    base_url: str | None = None,
    api_key_env: str | None = None,
    retry: RetryPolicy | None = _DEFAULT_RETRY,
    max_concurrency: int | None = None,
    requests_per_minute: float | None = None,
    **kw: Any,
) -> LM:
    """Build the client for `spec`, wrapped as `RetryingLM(RateLimitedLM(client))`.

    `retry=None` turns retries off; the rate limiter is added only when a limit is given.
    `base_url` and `api_key_env` override the provider's defaults; other keywords (timeout,
    temperature, max_output_tokens, extra_body, http_client) go to the client.
    """
    lm = _client(spec, base_url=base_url, api_key_env=api_key_env, **kw)
    if max_concurrency is not None or requests_per_minute is not None:
        lm = RateLimitedLM(
            lm, max_concurrency=max_concurrency, requests_per_minute=requests_per_minute
        )
    return RetryingLM(lm, retry) if retry is not None else lm


def _client(spec: str, *, base_url: str | None, api_key_env: str | None, **kw: Any) -> LM:
    provider, sep, model = spec.partition(":")
    if spec == "local":
        provider = "local"
    elif not sep or (provider not in PROVIDERS and base_url is not None):
        provider, model = _guess_provider(spec, base_url), spec
    if not model and provider != "local":
        raise UserError(f"model spec {spec!r} names no model; expected e.g. 'openai:gpt-5-mini'")
    if provider in _OPENAI_LIKE:
        default_url, default_env = _OPENAI_LIKE[provider]
        if provider == "openai":  # the OpenAI SDK's convention: a proxy or gateway in front of OpenAI
            default_url = os.environ.get("OPENAI_BASE_URL") or default_url
        return OpenAICompatibleLM(
            model,
            base_url=base_url or default_url,
            api_key_env=api_key_env or default_env,
            **kw,
        )
    if provider == "anthropic":
        if base_url is not None:
            kw["base_url"] = base_url
        return AnthropicLM(model, api_key_env=api_key_env or "ANTHROPIC_API_KEY", **kw)
    if provider == "local":
        try:
            from recursor.lm.local import LocalLM
        except ImportError as exc:
            raise UserError(
                f"the local provider needs llama-cpp-python: pip install 'recursor[local]' ({exc})"
            ) from exc
        # "local" alone picks the best model already pulled.
        return LocalLM(model, **kw) if model else LocalLM.default(**kw)
    raise UserError(
        f"unknown model provider {provider!r} in {spec!r}; known providers: {', '.join(PROVIDERS)}"
    )


def _guess_provider(name: str, base_url: str | None) -> str:
    if base_url is not None:
        return "openai"  # any OpenAI-compatible server
    if name.strip().lower() in MODELS:  # "qwen2.5-coder-0.5b": the embedded model of that name
        return "local"
    return "anthropic" if name.startswith("claude-") else "openai"


def as_lm(model: LM | str, base_url: str | None = None, api_key_env: str | None = None) -> LM:
    """`model` itself when it is an `LM`, else the client its spec names (`resolve_lm`)."""
    if isinstance(model, LM):
        return model
    if isinstance(model, str):
        return resolve_lm(model, base_url=base_url, api_key_env=api_key_env)
    raise UserError(f"model must be an LM or a model spec string, not {type(model).__name__}")
