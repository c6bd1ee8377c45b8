"""`recursor mcp`: an RLM as an MCP server, over stdio (the default) or streamable HTTP.

The model and limit flags are `recursor ask`'s (`recursor.cli_options.run_options`), and so is
`--api-key-env` (the upstream model's key): under stdio there are no clients to authenticate.
Over HTTP, `--http-key-env VAR` requires `Authorization: Bearer $VAR` on every request.

Under stdio, stdout is the protocol: nothing else is ever written to it (the SDK points fd 1 at
stderr while it serves, so a stray print or a child's output cannot corrupt a message).
"""

from __future__ import annotations

import hmac
import os
import re
import socket
import sys
from typing import Any, NoReturn

import click

from recursor.cli_options import build_rlm, run_options
from recursor.errors import RecursorError

__all__ = ["mcp"]

_HOST_PORT = re.compile(r"^(?:(?P<host>\[[0-9A-Fa-f:.]+\]|[^:\[\]]+):)?(?P<port>\d{1,5})$")


class _HostPort(click.ParamType):
    """`[HOST:]PORT`; the host defaults to 127.0.0.1, an IPv6 host goes in brackets."""

    name = "[HOST:]PORT"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        match = _HOST_PORT.match(str(value).strip())
        port = int(match.group("port")) if match else -1
        if match is None or not 0 <= port <= 65535:
            self.fail(f"{value!r}: expected [HOST:]PORT, e.g. 8765 or 0.0.0.0:8765 or [::1]:8765", param, ctx)
        host = (match.group("host") or "127.0.0.1").strip("[]")
        return (host, port)


@click.command("mcp")
@click.option("--root", "roots", multiple=True, metavar="DIR",
              help="A directory whose files the `ask` tool may read through `paths` (repeatable; "
                   "symlinks are resolved). Without it, paths are refused and only text is accepted.")
@click.option("--http", "http", type=_HostPort(), default=None,
              help="Serve streamable HTTP at http://HOST:PORT/mcp instead of stdio (host default 127.0.0.1).")
@click.option("--http-key-env", metavar="VAR",
              help="With --http: require 'Authorization: Bearer $VAR' on every request (VAR must be set).")
@click.option("--max-concurrent-runs", type=click.IntRange(min=1), default=4, show_default=True,
              help="Runs at once; further calls wait for a free slot.")
@click.option("--max-body-mb", type=click.FloatRange(min=0, min_open=True), default=64.0, show_default=True,
              help="With --http: the largest request body (the context travels in it).")
@run_options
@click.option("--api-key-env", help="Environment variable holding the model's API key (default OPENAI_API_KEY).")
def mcp(roots: tuple[str, ...], http: tuple[str, int] | None, http_key_env: str | None, max_concurrent_runs: int,
        max_body_mb: float, api_key_env: str | None, **opts: Any) -> None:
    """Serve an RLM as an MCP server with one tool, `ask` (stdio by default)."""
    from recursor.mcp_server.roots import Roots

    bearer: str | None = None
    if http_key_env:
        if http is None:
            _fail("--http-key-env needs --http (stdio has no clients to authenticate)")
        bearer = os.environ.get(http_key_env) or None
        if bearer is None:
            _fail(f"--http-key-env {http_key_env}: that environment variable is not set")
    try:
        from recursor.mcp_server.server import McpConfig, create_server
    except ImportError as exc:
        if exc.name is None or not exc.name.startswith("mcp"):
            raise
        _fail("recursor mcp needs the MCP SDK: pip install 'recursor[mcp]'")
    try:
        allowed = Roots(roots)
        rlm = build_rlm(opts, api_key_env=api_key_env)
        server = create_server(rlm, McpConfig(roots=allowed, max_concurrent_runs=max_concurrent_runs))
    except RecursorError as exc:
        _fail(str(exc))
    from recursor.sandbox.scratch import install_signal_cleanup

    install_signal_cleanup()
    if http is None:
        click.echo(f"recursor: MCP server on stdio (roots: {allowed.describe()})", err=True)
        server.run("stdio")
        return
    host, port = http
    app = server.streamable_http_app(host=host, max_request_body_size=int(max_body_mb * 1024 * 1024))
    _serve_http(app if bearer is None else _require_bearer(app, bearer), host, port, allowed.describe(),
                bearer is not None)


def _serve_http(app: Any, host: str, port: int, roots: str, auth: bool) -> None:
    import uvicorn

    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.create_server((host, port), family=family)
    except OSError as exc:
        _fail(f"--http {host}:{port}: cannot listen there ({exc.strerror or exc})")
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"recursor: MCP server at http://{shown}:{bound}/mcp "
               f"({'bearer auth required' if auth else 'no auth'}; roots: {roots})", err=True)
    if not auth and host not in ("127.0.0.1", "localhost", "::1"):
        click.echo("recursor: warning: listening beyond this machine with no auth: anyone who can reach "
                   "the port can spend the model budget and read the roots (set --http-key-env)", err=True)
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])


def _require_bearer(app: Any, key: str) -> Any:
    """The ASGI `app` behind a check of `Authorization: Bearer <key>` on every HTTP request."""
    expected = key.encode()

    async def guarded(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            header = dict(scope.get("headers") or []).get(b"authorization", b"")
            scheme, _, token = header.partition(b" ")
            if scheme.lower() != b"bearer" or not hmac.compare_digest(token.strip(), expected):
                body = b'{"error": "missing or wrong API key (send Authorization: Bearer <key>)"}'
                await send({"type": "http.response.start", "status": 401, "headers": [
                    (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                    (b"www-authenticate", b"Bearer")]})
                await send({"type": "http.response.body", "body": body})
                return
        await app(scope, receive, send)

    return guarded


def _fail(message: str) -> NoReturn:
    click.echo(f"recursor: error: {message.splitlines()[0] if message else 'failed'}", err=True)
    sys.exit(1)
