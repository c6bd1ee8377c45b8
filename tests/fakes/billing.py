"""FakeBilling: bills fake-server replies the way a provider does, and keeps the bill.

Input tokens come from the request's size, output tokens stop at the `max_tokens` the
request carried, and the price is per model. Tests and benchmarks compare what was billed
here with the limits a run was given: the server's view, not the engine's.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any

from fakes.openai_server import Reply

__all__ = ["FakeBilling"]


@dataclass
class FakeBilling:
    """What the fake provider charged, request by request (thread-safe: the server is threaded)."""

    prices: dict[str, tuple[float, float]]
    """USD per million (input, output) tokens, by model."""
    tokens: list[int] = field(default_factory=list)
    usd: list[float] = field(default_factory=list)
    delay: float = 0.0
    """Seconds each reply takes, so calls overlap as they do against a real provider."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def bill(self, request: dict[str, Any], text: str, words: int) -> Reply:
        """A reply of about `words` output tokens, cut at the request's `max_tokens` as a provider does."""
        prompt = len(json.dumps(request.get("messages", []))) // 3 + 1
        cap = request.get("max_tokens")
        completion = words if cap is None else min(words, cap)
        pin, pout = self.prices[request["model"]]
        with self.lock:
            self.tokens.append(prompt + completion)
            self.usd.append((prompt * pin + completion * pout) / 1e6)
        return Reply(text, prompt_tokens=prompt, completion_tokens=completion, delay=self.delay)
