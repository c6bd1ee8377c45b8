"""Helpers shared by the batch tests (local and Ray): jobs, the fake provider's answers, configs."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from fakes.billing import FakeBilling
from fakes.openai_server import Reply
from recursor.batch.cli import batch, config_from_params
from recursor.batch.common import BatchConfig


def write_jobs(path: Path, n: int, *, extra: list[str] = ()) -> Path:  # type: ignore[assignment]
    with path.open("w") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"j{i}", "question": "What is the secret?",
                                "context": f"The secret is s{i}."}) + "\n")
        for line in extra:
            f.write(line + "\n")
    return path


def secret_reply(request: dict[str, Any], delay: float = 0.0) -> Reply:
    """The direct answer to a job made by `write_jobs`: the secret in its document."""
    text = request["messages"][-1]["content"]
    found = re.search(r"secret is (\w+)", text)
    return Reply(found.group(1) if found else "none", delay=delay)


def billed_reply(billing: FakeBilling):  # type: ignore[no-untyped-def]
    def responder(request: dict[str, Any]) -> Reply:
        text = request["messages"][-1]["content"]
        found = re.search(r"secret is (\w+)", text)
        return billing.bill(request, found.group(1) if found else "none", words=400)

    return responder


def config(base_url: str, *args: str) -> BatchConfig:
    """A `BatchConfig` parsed from batch flags, as `recursor batch` builds it."""
    argv = ["in.jsonl", "--out", "out.jsonl", "--model", "m", "--base-url", base_url, "--mode", "direct",
            "--no-trace", "--retries", "0", *args]
    ctx = batch.make_context("batch", argv)
    return config_from_params(ctx.params)


def rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]
