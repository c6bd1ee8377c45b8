"""An opt-in on-disk cache of LM replies, for cheap re-runs of the same questions.

The key is (model name, sha256 of the request's messages). Sampling options (temperature,
max tokens) are not part of the key: a cache directory is meant for one configuration. A
hit costs nothing, so it is reported with `cost_usd=0.0` and the recorded token counts.

Two ways in: `RLM(..., cache=DIR)` (the call pipeline's cache layer, `recursor.calls`, which
marks hits in the trace as `cached: true, source: "disk"` and reserves no budget for them), or
`CachingLM(lm, DIR)` around a single model used outside the engine.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from recursor.lm.base import LM, LMResponse, Usage, WrapperLM

__all__ = ["CachingLM", "ReplyCache"]


class ReplyCache:
    """Replies stored as `DIR/<2 hex>/<sha256>.json`; writes are atomic, so readers never see half a file."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory).expanduser()
        self.hits = 0
        self.misses = 0

    def key(self, model: str, req_hash: str) -> str:
        return hashlib.sha256(f"{model}\0{req_hash}".encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, model: str, req_hash: str) -> LMResponse | None:
        """The stored reply, with cost 0 (a hit spends nothing); None on a miss or an unreadable entry."""
        try:
            data: dict[str, Any] = json.loads(self._path(self.key(model, req_hash)).read_text("utf-8"))
            response = LMResponse(
                text=str(data["text"]),
                model=str(data.get("model") or model),
                usage=Usage(
                    input_tokens=int(data.get("input_tokens", 0)),
                    output_tokens=int(data.get("output_tokens", 0)),
                    cost_usd=0.0,
                ),
                finish_reason=data.get("finish_reason"),
            )
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return response

    def put(self, model: str, req_hash: str, response: LMResponse) -> None:
        key = self.key(model, req_hash)
        path = self._path(key)
        data = {
            "model": response.model,
            "text": response.text,
            "input_tokens": response.usage.input_tokens,
            "output_tokens": response.usage.output_tokens,
            "finish_reason": response.finish_reason,
        }
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".tmp{os.getpid()}")
            tmp.write_text(json.dumps(data, ensure_ascii=False), "utf-8", errors="surrogatepass")
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written only costs money, never the run


class CachingLM(WrapperLM):
    """Answers from `cache` when it holds a reply to the same messages for the same model."""

    def __init__(self, wrapped: LM, cache: ReplyCache | Path | str) -> None:
        super().__init__(wrapped)
        self.cache = cache if isinstance(cache, ReplyCache) else ReplyCache(cache)

    async def around(
        self, call: Callable[[], Awaitable[LMResponse]], key: Callable[[], str]
    ) -> LMResponse:
        req_hash = key()
        hit = self.cache.get(self.model, req_hash)
        if hit is not None:
            return hit
        response = await call()
        self.cache.put(self.model, req_hash, response)
        return response

    def with_model(self, model: str) -> LM:
        return CachingLM(self.wrapped.with_model(model), self.cache)
