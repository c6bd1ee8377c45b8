"""FakeBilling: bills fake-server replies the way a provider does, and keeps the bill.

Input tokens come from the request's size, output tokens stop at the `max_tokens` the
request carried, and the price is per model. Tests and benchmarks compare what was billed
here with the limits a run was given: the server's view, not the engine's.

The attacks that race the limits (`fan_out`, `batch`) live here too, because
`tests/test_limits_hostile.py` asserts on them and `benchmarks/limits.py` reports on them: one
definition, so the benchmark measures exactly what the tests hold. Benchmarks stay plain
scripts (no pytest); they put `tests/` on `sys.path` as they already do for the fake server,
and nothing here imports pytest.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fakes.openai_server import Reply

__all__ = ["FakeBilling", "Respond", "batch", "fan_out", "first_turn"]

Respond = Callable[[dict[str, Any]], Any]
"""A fake server's responder: the request's JSON body in, a reply out."""


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


def first_turn(request: dict[str, Any]) -> bool:
    """The request is a run's first turn (no assistant message yet)."""
    return not any(m["role"] == "assistant" for m in request["messages"])


def fan_out(n: int, billing: FakeBilling, *, root: str, root_words: int = 40) -> Respond:
    """The root (model `root`) fans out to `n` child runs once, then answers; every child answers at once."""
    code = f"```repl\nout = rlm_query_batched([f'child {{i}}' for i in range({n})])\nprint(out[:3])\n```"

    def respond(request: dict[str, Any]) -> Any:
        if request["model"] == root and "QUESTION" in json.dumps(request["messages"]):
            return billing.bill(request, code if first_turn(request) else "FINAL(done)", root_words)
        return billing.bill(request, "```repl\nFINAL('ok ' + str(len(context)))\n```", 30)

    return respond


def batch(n: int, billing: FakeBilling, *, root: str, words: int = 50) -> Respond:
    """The root sends one batch of `n` sub-calls, then answers; each sub-call's reply is `words` tokens."""
    code = f"```repl\nout = llm_query_batched([f'item {{i}}' for i in range({n})])\nprint(out[:2])\n```"

    def respond(request: dict[str, Any]) -> Any:
        if request["model"] == root:
            return billing.bill(request, code if first_turn(request) else "FINAL(done)", 40)
        return billing.bill(request, "label", words)

    return respond
