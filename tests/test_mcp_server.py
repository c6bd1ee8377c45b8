"""`recursor mcp`: the real command as a subprocess, driven by the MCP SDK's own client over stdio
(and once over streamable HTTP), with the fake OpenAI-compatible server as the model.

The scripted root prints the context's size, then answers with it: the answer says which
context the run saw. A few checks that need a model raising at will run in-process.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("mcp")

import httpx2
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import CallToolResult, ProgressNotification

import recursor
from fakes.openai_server import FakeOpenAIServer, Status
from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM
from recursor.mcp_server import create_server

SRC = str(Path(recursor.__file__).resolve().parent.parent)
LOOK = ("```repl\nprint('LEN=%d' % (len(context) if isinstance(context, str) "
        "else sum(len(v) for v in context.values())))\n```")
SECRET = "sk-test-upstream-0123456789abcdef"


def len_then_final(messages: Any) -> str:
    """Look at the context first, then answer with the size the cell printed."""
    last = messages[-1]["content"] if isinstance(messages, list) else messages["messages"][-1]["content"]
    found = re.search(r"LEN=(\d+)", last)
    return f"FINAL({found.group(1)})" if found else LOOK


def server_args(base_url: str, *extra: str) -> list[str]:
    return ["-m", "recursor.cli", "mcp", "--model", "fake-root", "--base-url", base_url, "--mode", "rlm",
            "--api-key-env", "FAKE_UPSTREAM_KEY", *extra]


def server_env(tmp_path: Path) -> dict[str, str]:
    path = os.pathsep.join(p for p in (SRC, os.environ.get("PYTHONPATH")) if p)
    return {"PYTHONPATH": path, "RECURSOR_TRACE_DIR": str(tmp_path / "traces"), "FAKE_UPSTREAM_KEY": SECRET}


@asynccontextmanager
async def stdio_session(tmp_path: Path, base_url: str, *extra: str, **client: Any) -> AsyncIterator[Client]:
    params = StdioServerParameters(command=sys.executable, args=server_args(base_url, *extra),
                                   env=server_env(tmp_path), cwd=str(tmp_path))
    with (tmp_path / "server-stderr.log").open("w") as errlog:
        async with Client(stdio_client(params, errlog=errlog), read_timeout_seconds=60, **client) as session:
            yield session


def text(result: CallToolResult) -> str:
    return "".join(getattr(block, "text", "") for block in result.content)


def trace_limits(result: CallToolResult) -> dict[str, Any]:
    assert result.structured_content is not None
    first = Path(result.structured_content["trace_path"]).read_text().splitlines()[0]
    return dict(json.loads(first)["limits"])


@pytest.fixture
def root_dir(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    (root / "docs").mkdir(parents=True)
    (root / "a.txt").write_text("alpha")  # 5 characters
    (root / "docs" / "b.txt").write_text("bravo!")  # 6
    (root / "docs" / "c.txt").write_text("charlie")  # 7
    (tmp_path / "outside.txt").write_text("do not read me")
    os.symlink(tmp_path / "outside.txt", root / "escape.txt")
    return root


# -- stdio ------------------------------------------------------------------------------------------

async def test_stdio_tool_schema_context_and_paths(tmp_path: Path, root_dir: Path) -> None:
    with FakeOpenAIServer(responder=len_then_final) as fake:
        async with stdio_session(tmp_path, fake.base_url, "--root", str(root_dir)) as session:
            tools = (await session.list_tools()).tools
            assert [t.name for t in tools] == ["ask"]
            schema = tools[0].input_schema
            assert set(schema["properties"]) == {"question", "context", "paths", "max_usd", "timeout"}
            assert schema["required"] == ["question"]
            assert tools[0].output_schema is not None
            assert {"answer", "stopped_by", "cost_usd", "trace_path"} <= set(tools[0].output_schema["properties"])

            with_text = await session.call_tool("ask", {"question": "How long?", "context": "hello world"})
            relative = await session.call_tool("ask", {"question": "How long?", "paths": ["a.txt"]})
            directory = await session.call_tool("ask", {"question": "How long?", "paths": [str(root_dir / "docs")]})
            several = await session.call_tool("ask", {"question": "How long?", "paths": ["a.txt", "docs/b.txt"]})
        sent = json.dumps([r.json for r in fake.requests])
    assert not with_text.is_error and text(with_text) == "11"
    structured = with_text.structured_content
    assert structured is not None
    assert structured["answer"] == "11" and structured["stopped_by"] == "final" and structured["mode"] == "rlm"
    assert structured["calls"] == 2 and Path(structured["trace_path"]).is_file()
    assert str(tmp_path / "traces") in structured["trace_path"]
    assert text(relative) == "5" and text(directory) == "13" and text(several) == "11"
    assert "hello world" not in sent and "alpha" not in sent  # contexts stay in the REPL


async def test_stdio_paths_outside_the_roots_are_tool_errors(tmp_path: Path, root_dir: Path) -> None:
    with FakeOpenAIServer(responder=len_then_final) as fake:
        async with stdio_session(tmp_path, fake.base_url, "--root", str(root_dir)) as session:
            outside = {}
            for given in ("../outside.txt", "escape.txt", str(tmp_path / "outside.txt"), "/etc/passwd"):
                outside[given] = await session.call_tool("ask", {"question": "q", "paths": [given]})
            missing = await session.call_tool("ask", {"question": "q", "paths": ["nope.txt"]})
            both = await session.call_tool("ask", {"question": "q", "context": "x", "paths": ["a.txt"]})
            blank = await session.call_tool("ask", {"question": "  ", "context": "x"})
            after = await session.call_tool("ask", {"question": "q", "paths": ["a.txt"]})
        calls = len(fake.requests)
    for given, result in outside.items():
        assert result.is_error, given
        assert "outside the directories this server may read" in text(result), given
        assert "do not read me" not in text(result)
    assert missing.is_error and "does not exist" in text(missing)
    assert both.is_error and "not both" in text(both)
    assert blank.is_error and "question" in text(blank)
    assert not after.is_error and text(after) == "5"  # the session outlived every refusal
    assert calls == 2  # only the last call reached the model


async def test_stdio_without_roots_paths_are_refused(tmp_path: Path, root_dir: Path) -> None:
    with FakeOpenAIServer(responder=len_then_final) as fake:
        async with stdio_session(tmp_path, fake.base_url) as session:
            refused = await session.call_tool("ask", {"question": "q", "paths": [str(root_dir / "a.txt")]})
            # No --max-usd and no price for fake-root: a per-call max_usd cannot be enforced.
            unpriced = await session.call_tool("ask", {"question": "q", "context": "x", "max_usd": 1.0})
    assert refused.is_error and "without --root" in text(refused)
    assert unpriced.is_error and "fake-root" in text(unpriced) and "price" in text(unpriced)


@pytest.mark.parametrize("mode", ["legacy", "auto"])  # the initialize handshake most clients use; 2026-07-28
async def test_stdio_progress_only_when_the_client_asks(tmp_path: Path, mode: str) -> None:
    notes: list[tuple[float, float | None, str | None]] = []
    unasked: list[Any] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        notes.append((progress, total, message))

    async def on_message(message: Any) -> None:
        if isinstance(message, ProgressNotification):
            unasked.append(message)

    with FakeOpenAIServer(responder=len_then_final) as fake:
        async with stdio_session(tmp_path, fake.base_url, message_handler=on_message, mode=mode) as session:
            quiet = await session.call_tool("ask", {"question": "q", "context": "abc"})
            assert unasked == []
            loud = await session.call_tool("ask", {"question": "q", "context": "abcd"},
                                           progress_callback=on_progress)
    assert text(quiet) == "3" and text(loud) == "4"
    assert len(unasked) == 3  # the handler sees progress too: none came for the call without a token
    messages = [m for _, _, m in notes]
    assert messages == ["run started (rlm mode)", "turn 1 done: 1 LM calls, $0.0000, 0s",
                        "run ended: final after 2 turns"]
    assert [p for p, _, _ in notes] == [1, 2, 3]


async def test_stdio_per_call_limits_only_lower(tmp_path: Path) -> None:
    with FakeOpenAIServer(responder=len_then_final) as fake:
        async with stdio_session(tmp_path, fake.base_url, "--max-usd", "0.5", "--price", "fake-root=1,1",
                                 "--timeout", "60") as session:
            higher = await session.call_tool("ask", {"question": "q", "context": "x", "max_usd": 100.0,
                                                     "timeout": 1000.0})
            lower = await session.call_tool("ask", {"question": "q", "context": "x", "max_usd": 0.25,
                                                    "timeout": 30.0})
            tiny = await session.call_tool("ask", {"question": "q", "context": "x", "max_usd": 1e-9})
            bad = await session.call_tool("ask", {"question": "q", "context": "x", "max_usd": -1})
            none = await session.call_tool("ask", {"question": "q", "context": "x"})
    assert text(higher) == "1" and text(lower) == "1"
    assert (trace_limits(higher)["max_usd"], trace_limits(higher)["timeout"]) == (0.5, 60.0)
    assert (trace_limits(lower)["max_usd"], trace_limits(lower)["timeout"]) == (0.25, 30.0)
    assert (trace_limits(none)["max_usd"], trace_limits(none)["timeout"]) == (0.5, 60.0)
    assert not tiny.is_error and tiny.structured_content is not None
    assert tiny.structured_content["stopped_by"] == "max_usd" and tiny.structured_content["calls"] == 0
    assert bad.is_error and "max_usd" in text(bad)


async def test_stdio_model_failure_is_a_tool_error_and_the_session_survives(tmp_path: Path) -> None:
    leak = json.dumps({"error": {"message": f"Incorrect API key provided: {SECRET}"}})
    with FakeOpenAIServer([Status(401, body=leak)], responder=len_then_final) as fake:
        async with stdio_session(tmp_path, fake.base_url, "--retries", "0") as session:
            failed = await session.call_tool("ask", {"question": "q", "context": "hello"})
            after = await session.call_tool("ask", {"question": "q", "context": "hello"})
        sent_key = fake.requests[0].headers.get("authorization")
    assert sent_key == f"Bearer {SECRET}"  # the upstream key came from --api-key-env
    assert failed.is_error
    assert "the model service failed" in text(failed)
    assert SECRET not in text(failed) and "Incorrect API key" in text(failed)
    assert not after.is_error and text(after) == "5"
    assert SECRET not in (tmp_path / "server-stderr.log").read_text()


# -- streamable HTTP ----------------------------------------------------------------------------------

def _start_http(tmp_path: Path, base_url: str, *extra: str) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, **server_env(tmp_path), "MCP_CLIENT_KEY": "client-key-123456"}
    proc = subprocess.Popen([sys.executable, *server_args(base_url, "--http", "127.0.0.1:0", *extra)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, cwd=tmp_path)
    found: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            match = re.search(r"MCP server at (http://\S+/mcp)", line)
            if match and not found:
                found.append(match.group(1))
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(60) or not found:
        proc.kill()
        pytest.fail("the HTTP server did not start")
    return proc, found[0]


async def test_streamable_http_with_bearer_auth(tmp_path: Path) -> None:
    notes: list[str | None] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        notes.append(message)

    with FakeOpenAIServer(responder=len_then_final) as fake:
        proc, url = _start_http(tmp_path, fake.base_url, "--http-key-env", "MCP_CLIENT_KEY")
        try:
            async with httpx2.AsyncClient() as raw:
                anonymous = await raw.post(url, json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
            http = httpx2.AsyncClient(headers={"Authorization": "Bearer client-key-123456"},
                                      timeout=httpx2.Timeout(30, read=300))
            async with http, Client(streamable_http_client(url, http_client=http)) as session:
                tools = (await session.list_tools()).tools
                result = await session.call_tool("ask", {"question": "q", "context": "over http"},
                                                 progress_callback=on_progress)
        finally:
            proc.terminate()
            proc.wait(10)
    assert anonymous.status_code == 401
    assert [t.name for t in tools] == ["ask"]
    assert not result.is_error and text(result) == "9"
    assert notes and notes[-1] == "run ended: final after 2 turns"


# -- in-process: failures that need a model raising at will, and the run slots ------------------------

def _in_process_rlm(root: FakeScriptedLM) -> RLM:
    return RLM(root, trace_dir=False, mode="rlm")


async def test_an_unexpected_exception_is_an_internal_tool_error(caplog: pytest.LogCaptureFixture) -> None:
    root = FakeScriptedLM([RuntimeError(f"boom api_key={SECRET}")], default=len_then_final, model="fake-root")
    async with Client(create_server(_in_process_rlm(root))) as session:
        crashed = await session.call_tool("ask", {"question": "q", "context": "hello"})
        after = await session.call_tool("ask", {"question": "q", "context": "hello"})
    assert crashed.is_error and "internal error" in text(crashed)
    assert SECRET not in text(crashed)
    assert "RuntimeError: boom" in caplog.text and SECRET not in caplog.text  # logged, redacted
    assert not after.is_error and text(after) == "5"


async def test_runs_beyond_the_slots_wait_for_one() -> None:
    root = FakeScriptedLM(default=len_then_final, model="fake-root", delay=0.2)
    waits: list[str | None] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        waits.append(message)

    async with Client(create_server(_in_process_rlm(root), max_concurrent_runs=1)) as session:
        started = time.monotonic()
        results = await asyncio.gather(*(
            session.call_tool("ask", {"question": "q", "context": "x" * n}, progress_callback=on_progress)
            for n in (1, 2, 3)))
        elapsed = time.monotonic() - started
    assert [text(r) for r in results] == ["1", "2", "3"]
    spans = sorted((c.started, c.ended) for c in root.calls)
    assert all(later[0] >= earlier[1] - 0.01 for earlier, later in itertools.pairwise(spans))
    assert elapsed >= 6 * 0.2
    assert sum("waiting for a free run slot" in (m or "") for m in waits) == 2


# -- the command line ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("extra", "expected"), [
    (["--root", "no-such-dir"], "--root no-such-dir: cannot resolve it"),
    (["--http-key-env", "MCP_CLIENT_KEY"], "--http-key-env needs --http"),
    (["--http", "127.0.0.1:0", "--http-key-env", "NO_SUCH_VAR_SET"], "that environment variable is not set"),
])
def test_bad_command_lines_are_one_line_errors(tmp_path: Path, extra: list[str], expected: str) -> None:
    proc = subprocess.run([sys.executable, *server_args("http://127.0.0.1:9/v1", *extra)],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path, stdin=subprocess.DEVNULL,
                          env={**os.environ, **server_env(tmp_path)})
    assert proc.returncode == 1 and proc.stdout == ""
    assert expected in proc.stderr and proc.stderr.strip().count("\n") == 0


def test_http_address_parsing() -> None:
    from click import BadParameter

    from recursor.mcp_server.cli import _HostPort

    parse = _HostPort().convert
    assert parse("8765", None, None) == ("127.0.0.1", 8765)
    assert parse("0.0.0.0:80", None, None) == ("0.0.0.0", 80)
    assert parse("[::1]:8765", None, None) == ("::1", 8765)
    assert parse("localhost:1", None, None) == ("localhost", 1)
    for bad in ("", "host:", "1:2:3", "99999", "::1:80", "x:y"):
        with pytest.raises(BadParameter):
            parse(bad, None, None)


async def test_a_cancelled_call_cancels_its_run_and_frees_its_slot() -> None:
    root = FakeScriptedLM(default=len_then_final, model="fake-root", delay=60)
    async with Client(create_server(_in_process_rlm(root), max_concurrent_runs=1)) as session:
        first = asyncio.ensure_future(session.call_tool("ask", {"question": "q", "context": "abandoned"}))
        while not root.calls:
            await asyncio.sleep(0.05)
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first
        root.delay = 0  # had the first run lived on, it would hold the only slot for a minute
        after = await asyncio.wait_for(session.call_tool("ask", {"question": "q", "context": "abc"}), 10)
    assert text(after) == "3"
    assert root.calls[0].ended == 0.0  # the abandoned call never finished
