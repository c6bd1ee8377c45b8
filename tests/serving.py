"""Run an ASGI app under a real uvicorn server on 127.0.0.1 for the length of a `with` block."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn


@contextmanager
def uvicorn_serving(app: Any, *, lifespan: str = "off") -> Iterator[str]:
    """Serve `app` on a free port; yields its `http://127.0.0.1:PORT/v1` base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan=lifespan))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def serve_opts(*argv: str) -> dict[str, Any]:
    """The run options (`ask`'s model and limit flags) that `recursor serve ARGV` parses."""
    import click

    from recursor.cli_options import run_options
    from recursor.serve.cli import serve

    @click.command()
    @run_options
    def runs(**opts: Any) -> None: ...

    wanted = {p.name for p in runs.params}
    return {k: v for k, v in serve.make_context("serve", list(argv)).params.items() if k in wanted}
