"""`recursor serve`: an RLM behind an OpenAI-compatible endpoint.

The model and limit flags mirror `recursor ask` (same names, defaults and meaning). They are
declared here rather than copied from `ask.params` because `python -m recursor.cli` imports
this module while `recursor.cli` is still `__main__`, so importing `ask` here would be a cycle.
One difference: `--api-key-env` names the key CLIENTS must send to this server (the usual
meaning for a server); the key for the upstream model is `--model-api-key-env`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn

import click

from recursor.errors import RecursorError

__all__ = ["serve"]


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--served-model-name", default="recursor", show_default=True,
              help="The model id clients send and /v1/models lists.")
@click.option("--api-key-env", help="Require 'Authorization: Bearer $VAR' on every request (VAR must be set).")
@click.option("--max-concurrent-runs", type=click.IntRange(min=1), default=4, show_default=True,
              help="Runs at once; further requests get 429 with Retry-After.")
@click.option("--max-body-mb", type=click.FloatRange(min=0, min_open=True), default=64.0, show_default=True,
              help="Largest request body (the context travels in it); larger bodies get 413.")
@click.option("--model", help="Root model, e.g. openai:gpt-5, anthropic:claude-sonnet-4-5, or a name served at --base-url.")
@click.option("--sub-model", help="Model for llm_query and child runs (default: the root model).")
@click.option("--base-url", help="An OpenAI-compatible endpoint (vLLM, llama.cpp, Ollama, OpenRouter, ...).")
@click.option("--model-api-key-env", help="Environment variable holding the upstream model's API key (default OPENAI_API_KEY).")
@click.option("--max-depth", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--max-iterations", type=click.IntRange(min=1), default=30, show_default=True)
@click.option("--max-usd", type=click.FloatRange(min=0, min_open=True), help="Spending limit per request (whole run tree).")
@click.option("--max-tokens", type=click.IntRange(min=1), help="Token limit per request (whole run tree).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), help="Wall-clock limit per request, in seconds.")
@click.option("--cell-timeout", type=click.FloatRange(min=0, min_open=True), default=300.0, show_default=True)
@click.option("--max-concurrency", type=click.IntRange(min=1), default=16, show_default=True)
@click.option("--isolation", type=click.Choice(["auto", "bwrap", "process", "inprocess"]), default="auto", show_default=True)
@click.option("--retries", type=click.IntRange(min=0), help="Retries per LM call on 429/5xx/timeouts (default 5).")
@click.option("--trace-dir", type=click.Path(path_type=Path), help="Where to write traces (one per request).")
@click.option("--no-trace", is_flag=True, help="Write no traces.")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Reuse and store LM replies in this directory.")
def serve(host: str, port: int, served_model_name: str, api_key_env: str | None, max_concurrent_runs: int,
          max_body_mb: float, model: str | None, sub_model: str | None, base_url: str | None,
          model_api_key_env: str | None, max_depth: int, max_iterations: int, max_usd: float | None,
          max_tokens: int | None, timeout: float | None, cell_timeout: float, max_concurrency: int,
          isolation: str, retries: int | None, trace_dir: Path | None, no_trace: bool,
          cache_dir: Path | None) -> None:
    """Serve an RLM at /v1/chat/completions for any OpenAI client."""
    from recursor.budget import Limits
    from recursor.cli import build_lm
    from recursor.rlm import RLM
    from recursor.sandbox.base import SandboxOptions
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
    try:
        root = build_lm(model, base_url=base_url, api_key_env=model_api_key_env, retries=retries)
        sub = (build_lm(sub_model, base_url=base_url, api_key_env=model_api_key_env, retries=retries)
               if sub_model else None)
        limits = Limits(max_iterations=max_iterations, max_depth=max_depth, max_usd=max_usd,
                        max_tokens=max_tokens, timeout=timeout, max_concurrency=max_concurrency)
        rlm = RLM(root, sub_model=sub, limits=limits,
                  sandbox=SandboxOptions(isolation=isolation, cell_timeout=cell_timeout),  # type: ignore[arg-type]
                  trace_dir=False if no_trace else trace_dir, cache=cache_dir)
        app = create_app(rlm, ServeConfig(model_id=served_model_name, api_key=api_key,
                                          max_body_bytes=int(max_body_mb * 1024 * 1024),
                                          max_concurrent_runs=max_concurrent_runs))
    except RecursorError as exc:
        _fail(str(exc))
        return
    auth = "bearer auth required" if api_key else "no auth"
    click.echo(f"recursor: serving {served_model_name!r} at http://{host}:{port}/v1 ({auth})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info")


def _fail(message: str) -> NoReturn:
    click.echo(f"recursor: error: {message.splitlines()[0] if message else 'failed'}", err=True)
    sys.exit(1)
