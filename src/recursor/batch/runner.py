"""Run a batch: read the jobs, skip those already in OUT, run the rest locally or on Ray, and
write each answer to OUT as it finishes, with a progress line on stderr.

Ctrl-C once: no new job starts, the running ones finish and are written. Twice: the running
ones are cancelled too (they are not written, so a rerun runs them). Whatever was written
stays: OUT is appended one whole line per job.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import TextIO

from recursor.batch.common import BatchConfig, BatchSummary, Progress
from recursor.batch.jobs import OutFile, read_jobs
from recursor.errors import UserError

__all__ = ["BatchConfig", "BatchSummary", "run_batch"]


def run_batch(config: BatchConfig, input_path: Path, out_path: Path, *, stream: TextIO | None = None) -> BatchSummary:
    """Run the jobs of `input_path` not yet in `out_path`; answers are appended to `out_path`."""
    batch_limits = {name: config.opts.get(name) for name in ("max_iterations", "max_depth", "max_usd", "max_tokens",
                                                             "max_calls", "timeout", "max_errors", "max_output_tokens")}
    jobs, bad = read_jobs(input_path, batch_limits)
    summary = BatchSummary(bad_lines=bad)
    progress = Progress(summary, stream)
    for line in bad:
        progress.note(f"{input_path}: {line}" + ("" if config.strict else " (skipped)"))
    if bad and config.strict:
        raise UserError(f"{len(bad)} bad line(s) in {input_path}; nothing was run (--strict)")
    if config.max_usd_total is not None:
        _check_priced(config)
    out = OutFile(out_path)
    if out.torn:
        progress.note(f"{out_path}: cut a torn last line ({out.torn} bytes); that job runs again")
    done = out.done_ids(retry_failed=config.retry_failed)
    todo = [job for job in jobs if job.id not in done]
    summary.total, summary.skipped = len(jobs), len(jobs) - len(todo)
    if summary.skipped:
        progress.note(f"{summary.skipped} job(s) already in {out_path}: skipped")
    started = time.monotonic()
    try:
        if config.ray is None:
            from recursor.batch.local import run_local

            asyncio.run(run_local(config, todo, out, summary, progress))
        else:
            from recursor.batch.ray_runner import run_on_ray

            run_on_ray(config, todo, out, summary, progress)
    finally:
        out.close()
        summary.seconds = time.monotonic() - started
        progress.close()
    if summary.not_started:
        why = summary.stop_reason or "interrupted"
        progress.note(f"{summary.not_started} job(s) not started ({why}); rerun the same command to run them")
    return summary


def _check_priced(config: BatchConfig) -> None:
    """A money limit needs every model's price: refuse an unpriced one before any job starts."""
    from recursor.cli_options import build_rlm

    if config.opts.get("model") is None and config.opts.get("base_url") is None:
        return  # the embedded model, which declares its price (0)
    opts = {**config.opts, "max_usd": config.opts.get("max_usd") or config.max_usd_total}
    rlm = build_rlm(opts, api_key_env=config.api_key_env)
    asyncio.run(rlm.aclose())
