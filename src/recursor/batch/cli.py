"""`recursor batch INPUT.jsonl --out OUT.jsonl`: many questions, one budget, locally or on Ray."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from recursor.cli_options import run_options
from recursor.console import fail, note
from recursor.errors import RecursorError

__all__ = ["batch"]


@click.command()
@click.argument("input_path", metavar="INPUT.jsonl", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where answers go, one JSON line per job as it finishes; ids already in it are skipped.")
@click.option("--parallel", type=click.IntRange(min=1),
              help="Jobs running at once (default 4 locally; on Ray twice the cluster's CPUs).")
@click.option("--max-usd-total", type=click.FloatRange(min=0, min_open=True),
              help="Spending limit for the whole batch, never exceeded (every call reserves first).")
@click.option("--max-tokens-total", type=click.IntRange(min=1),
              help="Token limit for the whole batch, never exceeded.")
@click.option("--rpm", type=click.FloatRange(min=0, min_open=True),
              help="Requests per minute per model, shared by every call of every job (429s lower it).")
@click.option("--tpm", type=click.FloatRange(min=0, min_open=True),
              help="Tokens per minute per model (input bound plus output cap, as providers count), shared.")
@click.option("--strict", is_flag=True, help="Stop on the first bad input line instead of skipping it.")
@click.option("--retry-failed", is_flag=True, help="Also run again the ids whose last row in OUT is an error.")
@click.option("--ray", "ray_address", metavar="auto|ADDRESS",
              help="Run each job as a Ray task: 'auto' (the cluster on this machine, or a new local one) "
                   "or a cluster address (ray://host:10001, host:6379).")
@click.option("--job-retries", type=click.IntRange(min=0), default=2, show_default=True,
              help="Ray: times a job whose worker or node died runs again.")
@click.option("--job-cpus", type=click.FloatRange(min=0), default=1.0, show_default=True,
              help="Ray: CPUs each job's task declares (its sandbox worker).")
@click.option("--job-memory-mb", type=click.IntRange(min=1), default=1024, show_default=True,
              help="Ray: memory each job's task declares (for scheduling; Ray does not enforce it).")
@run_options
@click.option("--api-key-env", help="Environment variable holding the API key (default OPENAI_API_KEY).")
def batch(input_path: Path, out_path: Path, parallel: int | None, max_usd_total: float | None,
          max_tokens_total: int | None, rpm: float | None, tpm: float | None, strict: bool,
          retry_failed: bool, ray_address: str | None, job_retries: int, job_cpus: float,
          job_memory_mb: int, api_key_env: str | None, **opts: Any) -> None:
    """Answer every job of INPUT.jsonl: one JSON object a line, with `id`, `question`, and
    `context` (text) or `context_path`, and optionally `limits` (each at most the batch's).

    The model and limit flags are those of `ask` and apply to each job; `--max-usd-total` and
    `--max-tokens-total` bound the whole batch. Exit 1 when some job failed or a line was bad.
    """
    from recursor.batch.runner import BatchConfig, run_batch

    config = BatchConfig(opts=opts, api_key_env=api_key_env, parallel=parallel, max_usd_total=max_usd_total,
                         max_tokens_total=max_tokens_total, rpm=rpm, tpm=tpm, strict=strict,
                         retry_failed=retry_failed, ray=ray_address, job_retries=job_retries, job_cpus=job_cpus,
                         job_memory_mb=job_memory_mb)
    try:
        summary = run_batch(config, input_path, out_path)
    except RecursorError as exc:
        fail(str(exc))
        return
    if summary.budget and summary.budget.get("exhausted"):
        note(f"the batch budget ended some jobs (${summary.budget['spent_usd']:.4f}, "
             f"{summary.budget['spent_tokens']:,} tokens spent)")
    if summary.failed or summary.bad_lines:
        raise SystemExit(1)
