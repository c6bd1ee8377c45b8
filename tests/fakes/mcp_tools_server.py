"""A tiny MCP server over stdio for the MCPTools tests (official SDK's server API).

    python mcp_tools_server.py PIDFILE

writes its pid to PIDFILE, so a test can check that the server is gone after the run.
"""

from __future__ import annotations

import os
import sys

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

server = MCPServer("recursor-test-tools")


@server.tool()
def add(a: int, b: int = 2) -> int:
    """Add two whole numbers.

    A second paragraph that the prompt leaves out."""
    return a + b


@server.tool(name="shout-it")
def shout(text: str) -> str:
    """Upper-case a text."""
    return text.upper()


@server.tool()
def refuse(why: str) -> str:
    """Always fails, with `why` as the message."""
    raise ToolError(why)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        with open(sys.argv[1], "w") as fh:
            fh.write(str(os.getpid()))
    server.run("stdio")
