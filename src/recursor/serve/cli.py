"""`recursor serve`: an RLM behind an OpenAI-compatible endpoint, on this machine or, with
`--ray`, as a Ray Serve deployment with replicas (`recursor.serve.ray_serve`).

The model and limit flags are `recursor ask`'s (`recursor.cli_options.run_options`). One
difference: `--api-key-env` names the key CLIENTS must send to this server (the usual
meaning for a server); the key for the upstream model is `--model-api-key-env`.

`--max-usd-total`, `--max-tokens-total`, `--rpm` and `--tpm` bound every request together (the
per-request limits are `--max-usd` and the rest). Locally they live in this process; with
`--ray` they are the cluster's named ledger (`--ledger`), shared with `batch --ray` jobs.
"""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Any, NoReturn

import click

from recursor.cli_options import build_rlm, run_options
from recursor.errors import RecursorError

__all__ = ["serve"]


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--served-model-name", default="recursor", show_default=True,
              help="The model id clients send and /v1/models lists.")
@click.option("--api-key-env", help="Require 'Authorization: Bearer $VAR' on every request (VAR must be set).")
@click.option("--max-concurrent-runs", type=click.IntRange(min=1), default=4, show_default=True,
              help="Runs at once (per replica with --ray); further requests get 429 with Retry-After.")
@click.option("--max-body-mb", type=click.FloatRange(min=0, min_open=True), default=64.0, show_default=True,
              help="Largest request body (the context travels in it); larger bodies get 413.")
@click.option("--max-usd-total", type=click.FloatRange(min=0, min_open=True),
              help="Spending limit for every request together, never exceeded (with --ray: the cluster ledger's).")
@click.option("--max-tokens-total", type=click.IntRange(min=1), help="Token limit for every request together.")
@click.option("--rpm", type=click.FloatRange(min=0, min_open=True),
              help="Requests per minute per model, shared by every call of every request (429s lower it).")
@click.option("--tpm", type=click.FloatRange(min=0, min_open=True), help="Tokens per minute per model, shared.")
@click.option("--ray", "ray_address", metavar="auto|ADDRESS",
              help="Serve as a Ray Serve deployment: 'auto' (the cluster on this machine, or a new local one) "
                   "or a cluster address. Needs the 'ray' extra.")
@click.option("--replicas", type=click.IntRange(min=1), default=1, show_default=True,
              help="Ray: replicas of the endpoint, each with its own --max-concurrent-runs slots.")
@click.option("--replica-cpus", type=click.FloatRange(min=0), default=1.0, show_default=True,
              help="Ray: CPUs each replica declares (its runs' sandbox workers).")
@click.option("--ledger", default="default", show_default=True, metavar="NAME",
              help="Ray: the cluster's named ledger (the totals and rate limits above), shared with every "
                   "batch --ray naming it; the first to open it sets them.")
@run_options
@click.option("--model-api-key-env", help="Environment variable holding the upstream model's API key (default OPENAI_API_KEY).")
def serve(host: str, port: int, served_model_name: str, api_key_env: str | None, max_concurrent_runs: int,
          max_body_mb: float, model_api_key_env: str | None, max_usd_total: float | None,
          max_tokens_total: int | None, rpm: float | None, tpm: float | None, ray_address: str | None,
          replicas: int, replica_cpus: float, ledger: str, **opts: Any) -> None:
    """Serve an RLM at /v1/chat/completions for any OpenAI client."""
    from recursor.batch.ray_ledger import LedgerSpec
    from recursor.serve.app import ServeConfig, create_app

    api_key: str | None = None
    if api_key_env:
        api_key = os.environ.get(api_key_env) or None
        if api_key is None:
            _fail(f"--api-key-env {api_key_env}: that environment variable is not set")
    try:
        import uvicorn
    except ImportError:
        _fail("recursor serve needs Starlette and uvicorn: pip install 'recursor[serve]'")
    config = ServeConfig(model_id=served_model_name, api_key=api_key, max_body_bytes=int(max_body_mb * 1024 * 1024),
                         max_concurrent_runs=max_concurrent_runs)
    spec = LedgerSpec(max_usd=max_usd_total, max_tokens=max_tokens_total, rpm=rpm, tpm=tpm)
    auth = "bearer auth required" if api_key else "no auth"
    if ray_address is not None:
        from recursor.serve.ray_serve import deploy, serve_forever

        try:
            _check(opts, model_api_key_env, spec)
            endpoint = deploy(opts, config, address=ray_address, model_api_key_env=model_api_key_env,
                              replicas=replicas, replica_cpus=replica_cpus, host=host, port=port,
                              ledger=ledger, spec=spec)
        except RecursorError as exc:
            _fail(str(exc))
        click.echo(f"recursor: serving {served_model_name!r} at {endpoint.url} on Ray ({replicas} replica(s) x "
                   f"{max_concurrent_runs} run slots; ledger {ledger!r}: {endpoint.ledger.spec.describe()}; {auth})",
                   err=True)
        serve_forever(endpoint)
        return
    try:
        if spec.max_usd is not None:
            _check(opts, model_api_key_env, spec)
        rlm = build_rlm(opts, api_key_env=model_api_key_env, wrap_lm=_local_ledger(opts, spec))
        app = create_app(rlm, config)
    except RecursorError as exc:
        _fail(str(exc))
    click.echo(f"recursor: serving {served_model_name!r} at http://{host}:{port}/v1 ({auth})", err=True)
    from recursor.sandbox.scratch import install_signal_cleanup

    install_signal_cleanup()
    uvicorn.run(app, host=host, port=port, log_level="info")


def _local_ledger(opts: dict[str, Any], spec: Any) -> Any:
    """The `wrap_lm` that puts this server's total budget and rate limits under every call, or None."""
    if spec.empty:
        return None
    from recursor.batch.shared import BatchBudget, BatchLM, RateLimiter
    from recursor.lm.base import LM
    from recursor.pricing import Pricing

    budget = (BatchBudget(max_usd=spec.max_usd, max_tokens=spec.max_tokens, max_output_tokens=opts["max_output_tokens"])
              if spec.has_budget else None)
    limiter = RateLimiter(rpm=spec.rpm, tpm=spec.tpm)
    pricing = Pricing(dict(opts["prices"]))

    def wrap(lm: LM) -> LM:
        return BatchLM(lm, owner="serve", pricing=pricing, max_output_tokens=opts["max_output_tokens"],
                       budget=budget, limiter=limiter)

    return wrap


def _check(opts: dict[str, Any], model_api_key_env: str | None, spec: Any) -> None:
    """Refuse bad flags (and a money total over an unpriced model) here, before any request or replica starts."""
    if opts.get("model") is None and opts.get("base_url") is None:
        return  # the embedded model, which declares its price (0); not loaded here
    checked = {**opts, "max_usd": opts.get("max_usd") or spec.max_usd}
    rlm = build_rlm(checked, api_key_env=model_api_key_env)
    asyncio.run(rlm.aclose())


def _fail(message: str) -> NoReturn:
    click.echo(f"recursor: error: {message.splitlines()[0] if message else 'failed'}", err=True)
    sys.exit(1)
