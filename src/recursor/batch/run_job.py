"""One job of a batch, wherever it runs: build its RLM from the `ask` flags, answer, make its OUT row."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path
from typing import Any

from recursor.batch.jobs import Job
from recursor.batch.shared import BatchLM, BudgetClient, LimiterClient
from recursor.calls import error_text
from recursor.lm.base import LM
from recursor.pricing import Pricing

__all__ = ["run_job"]


async def run_job(job: Job, opts: dict[str, Any], *, api_key_env: str | None, owner: str,
                  budget: BudgetClient | None, limiter: LimiterClient | None,
                  node: str | None = None) -> dict[str, Any]:
    """The OUT row of `job`: its answer, or the error that kept it from one (never raises,
    except when cancelled)."""
    from recursor.cli_options import build_rlm

    started = time.monotonic()
    row: dict[str, Any] = {"id": job.id, "node": node or socket.gethostname()}
    pricing = Pricing(dict(opts["prices"]))

    def wrap(lm: LM) -> LM:
        if budget is None and limiter is None:
            return lm
        return BatchLM(lm, owner=owner, pricing=pricing, max_output_tokens=opts["max_output_tokens"],
                       budget=budget, limiter=limiter)

    rlm = None
    try:
        rlm = build_rlm({**opts, **job.limits}, api_key_env=api_key_env, wrap_lm=wrap)
        context: Any = job.context if job.context_path is None else _context_path(job.context_path)
        result = await rlm.acomplete(job.question, context)
    except Exception as exc:  # a bad context path, an unpriced model: this job fails, the batch goes on
        row.update(answer=None, stopped_by=None, usage=None, cost_usd=None, trace_path=None,
                   error=f"{type(exc).__name__}: {error_text(exc)}")
    else:
        row.update(answer=result.answer, stopped_by=result.stopped_by, usage=result.usage.to_dict()["total"],
                   cost_usd=result.cost_usd,
                   trace_path=str(result.trace_path) if result.trace_path else None)
        if result.stopped_by == "lm_error" and not result.answer:
            row["error"] = f"the model service failed: {result.error}"
    finally:
        if rlm is not None:
            await rlm.aclose()
    row["seconds"] = round(time.monotonic() - started, 3)
    return row


def _context_path(path: str) -> Path:
    from recursor.errors import UserError

    if not os.path.lexists(path):
        raise UserError(f"context path does not exist: {path}")
    return Path(path)
