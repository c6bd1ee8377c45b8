"""What a trace records about the configuration: enough to rebuild the run, never a secret.

The `trace_start` header names each model client (class, model, a resolvable spec, the
endpoint's base URL with any user:password, query or fragment removed, and the *name* of the
environment variable holding the key), the limits, the sandbox options and versions. API keys
live only inside the clients and are never read here.
"""

from __future__ import annotations

import platform
import sys
from dataclasses import fields, is_dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from recursor.lm.base import LM, WrapperLM
from recursor.trace.writer import SCHEMA_VERSION

__all__ = ["describe_lm", "innermost", "recursor_version", "redact_url", "trace_header"]

_OPENAI_LIKE_HOSTS = {"openrouter.ai": "openrouter", "api.openai.com": "openai"}


def recursor_version() -> str:
    """The installed recursor version ("unknown" when run from a bare source tree)."""
    try:
        from importlib.metadata import version

        return version("recursor")
    except Exception:
        return "unknown"


def redact_url(url: str) -> str:
    """`url` without credentials, query or fragment: those are where keys hide in URLs."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable url>"
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def innermost(lm: LM) -> LM:
    """The client under any wrappers (retry, rate limit, cache)."""
    while isinstance(lm, WrapperLM):
        lm = lm.wrapped
    return lm


def describe_lm(lm: LM) -> dict[str, Any]:
    """A JSON-safe, secret-free description of a model client and its wrappers."""
    wrappers: list[str] = []
    inner: LM = lm
    while isinstance(inner, WrapperLM):
        wrappers.append(type(inner).__name__)
        inner = inner.wrapped
    out: dict[str, Any] = {"model": lm.model, "client": type(inner).__name__, "wrappers": wrappers}
    base_url = getattr(inner, "base_url", None)
    if isinstance(base_url, str):
        out["base_url"] = redact_url(base_url)
    key_env = getattr(inner, "api_key_env", None)
    if isinstance(key_env, str):
        out["api_key_env"] = key_env  # the variable's name, never its value
    for option in ("temperature", "max_output_tokens", "timeout"):
        value = getattr(inner, option, None)
        if isinstance(value, int | float) and not isinstance(value, bool):
            out[option] = value
    out["spec"] = _spec(inner, out.get("base_url"))
    return out


def _spec(inner: LM, base_url: str | None) -> str | None:
    """A `provider:model` spec `resolve_lm` can rebuild the client from (with `base_url`)."""
    name = type(inner).__name__
    if name == "AnthropicLM":
        return f"anthropic:{inner.model}"
    if name == "LocalLM":
        return f"local:{inner.model}"
    if name == "OpenAICompatibleLM":
        host = urlsplit(base_url or "").hostname or ""
        return f"{_OPENAI_LIKE_HOSTS.get(host, 'openai')}:{inner.model}"
    return None


def _dataclass_dict(value: Any) -> dict[str, Any]:
    if not is_dataclass(value) or isinstance(value, type):
        return {}
    return {f.name: getattr(value, f.name) for f in fields(value)}


def trace_header(*, root_lm: LM, sub_lm: LM, limits: Any, sandbox: Any, prompts: Any,
                 **extra: Any) -> dict[str, Any]:
    """The fields of the `trace_start` event for a tree run with this configuration."""
    kind = type(prompts)
    header: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "recursor_version": recursor_version(),
        "python": platform.python_version(),
        "platform": sys.platform,
        "root_model": describe_lm(root_lm),
        "sub_model": describe_lm(sub_lm),
        "limits": _dataclass_dict(limits),
        "sandbox": _dataclass_dict(sandbox),
        "prompts": f"{kind.__module__}.{kind.__qualname__}",
    }
    header.update({k: v for k, v in extra.items() if v is not None})
    return header
