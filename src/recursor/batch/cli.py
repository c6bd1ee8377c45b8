"""`recursor batch INPUT.jsonl --out OUT.jsonl`: many questions, one budget, locally or on Ray."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from recursor.cli_options import run_options
from recursor.console import fail, note
from recursor.errors import RecursorError

if TYPE_CHECKING:
    from recursor.batch.common import BatchConfig

__all__ = ["batch", "config_from_params"]


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
@click.option("--ledger", default="default", show_default=True, metavar="NAME",
              help="Ray: the cluster's named ledger (the totals and rate limits above), shared with every "
                   "batch and serve --ray on the cluster naming it; the first to open it sets them.")
@click.option("--job-retries", type=click.IntRange(min=0), default=2, show_default=True,
              help="Ray: times a job whose worker or node died runs again.")
@click.option("--job-cpus", type=click.FloatRange(min=0), default=1.0, show_default=True,
              help="Ray: CPUs each job's task declares (its sandbox worker).")
@click.option("--job-memory-mb", type=click.IntRange(min=1), default=1024, show_default=True,
              help="Ray: memory each job's task declares (for scheduling; Ray does not enforce it).")
@run_options
@click.option("--api-key-env", help="Environment variable holding the API key (default OPENAI_API_KEY).")
def batch(input_path: Path, out_path: Path, **params: Any) -> None:
    """Answer every job of INPUT.jsonl: one JSON object a line, with `id`, `question`, and
    `context` (text) or `context_path`, and optionally `limits` (each at most the batch's).

    The model and limit flags are those of `ask` and apply to each job; `--max-usd-total` and
    `--max-tokens-total` bound the whole batch. Exit 1 when some job failed or a line was bad,
    130 when Ctrl-C stopped it (rerun the same command to finish).
    """
    from recursor.batch.runner import run_batch

    try:
        summary = run_batch(config_from_params(params), input_path, out_path)
    except RecursorError as exc:
        fail(str(exc))
        return
    if summary.budget and summary.budget.get("exhausted"):
        note(f"the batch budget ended some jobs (${summary.budget['spent_usd']:.4f}, "
             f"{summary.budget['spent_tokens']:,} tokens spent)")
    if summary.interrupted:
        raise SystemExit(130)
    if summary.failed or summary.bad_lines:
        raise SystemExit(1)


_BATCH_PARAMS = ("parallel", "max_usd_total", "max_tokens_total", "rpm", "tpm", "strict", "retry_failed",
                 "ledger", "job_retries", "job_cpus", "job_memory_mb", "api_key_env")


def config_from_params(params: dict[str, Any]) -> BatchConfig:
    """The `BatchConfig` the parsed command line describes (the rest of `params` are `ask`'s flags)."""
    from recursor.batch.common import BatchConfig

    params = dict(params)
    params.pop("input_path", None)
    params.pop("out_path", None)
    own = {name: params.pop(name) for name in _BATCH_PARAMS}
    return BatchConfig(opts=params, ray=params.pop("ray_address"), **own)
