"""An RLM as an MCP server (`recursor mcp`): one tool, `ask`, over stdio or streamable HTTP.

The official `mcp` SDK is optional (`pip install 'recursor[mcp]'`), so it is imported only
when a server is built; `recursor` itself starts without it.

    from recursor import RLM
    from recursor.mcp_server import McpConfig, Roots, create_server
    server = create_server(RLM("openai:gpt-5"), McpConfig(roots=Roots(["docs/"])))
    server.run("stdio")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from recursor.mcp_server.roots import Roots

if TYPE_CHECKING:
    from recursor.mcp_server.server import AskResult, McpConfig, create_server

__all__ = ["AskResult", "McpConfig", "Roots", "create_server"]


def __getattr__(name: str) -> Any:
    if name in ("AskResult", "McpConfig", "create_server"):
        try:
            from recursor.mcp_server import server
        except ImportError as exc:
            if exc.name is None or not exc.name.startswith("mcp"):
                raise
            raise ImportError(f"{name} needs the MCP SDK: pip install 'recursor[mcp]'") from exc
        return getattr(server, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
