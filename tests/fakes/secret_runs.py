"""A fake model for throughput benchmarks: every run reads a secret from its context in one cell.

Two replies a run (a ```repl cell, then FINAL_VAR), each after a fixed latency, so a run's
time is set by the latency and not by the model: `benchmarks/batch.py` and
`benchmarks/serve_ray.py` measure recursor's overhead and scaling against it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fakes.openai_server import Reply

CODE = "```repl\nimport re\nsecret = re.search(r'secret is (\\w+)', context).group(1)\nprint(secret)\n```"


def secret_responder(latency: float) -> Callable[[dict[str, Any]], Reply]:
    """The fake server's responder: the cell on the first turn, FINAL_VAR(secret) after it."""

    def answer(request: dict[str, Any]) -> Reply:
        return Reply(CODE if len(request["messages"]) <= 2 else "FINAL_VAR(secret)", delay=latency)

    return answer
