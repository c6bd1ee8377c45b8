"""`recursor serve`: an RLM behind an OpenAI-compatible endpoint.

The model and limit flags are `recursor ask`'s (`recursor.cli_options.run_options`). One
difference: `--api-key-env` names the key CLIENTS must send to this server (the usual
meaning for a server); the key for the upstream model is `--model-api-key-env`.
"""

from __future__ import annotations

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
              help="Runs at once; further requests get 429 with Retry-After.")
@click.option("--max-body-mb", type=click.FloatRange(min=0, min_open=True), default=64.0, show_default=True,
              help="Largest request body (the context travels in it); larger bodies get 413.")
@run_options
@click.option("--model-api-key-env", help="Environment variable holding the upstream model's API key (default OPENAI_API_KEY).")
def serve(host: str, port: int, served_model_name: str, api_key_env: str | None, max_concurrent_runs: int,
          max_body_mb: float, model_api_key_env: str | None, **opts: Any) -> None:
    """Serve an RLM at /v1/chat/completions for any OpenAI client."""
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
        rlm = build_rlm(opts, api_key_env=model_api_key_env)
        app = create_app(rlm, ServeConfig(model_id=served_model_name, api_key=api_key,
                                          max_body_bytes=int(max_body_mb * 1024 * 1024),
                                          max_concurrent_runs=max_concurrent_runs))
    except RecursorError as exc:
        _fail(str(exc))
        return
    auth = "bearer auth required" if api_key else "no auth"
    click.echo(f"recursor: serving {served_model_name!r} at http://{host}:{port}/v1 ({auth})", err=True)
    from recursor.sandbox.scratch import install_signal_cleanup

    install_signal_cleanup()
    uvicorn.run(app, host=host, port=port, log_level="info")


def _fail(message: str) -> NoReturn:
    click.echo(f"recursor: error: {message.splitlines()[0] if message else 'failed'}", err=True)
    sys.exit(1)
