"""Host tools (recursor.tools): host functions and MCP servers' tools called from real workers."""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM, Limits, MCPTools, SandboxOptions, Tool
from recursor.errors import UserError
from recursor.sandbox.base import SubcallRejected, check_subcall
from recursor.tools import Toolbox
from sandbox_helpers import MODES, alive

FAKES = Path(__file__).parent / "fakes"


class Calls:
    """Host-side invocations of the test tools, counted from any thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seen: list[tuple[str, Any]] = []

    def add(self, name: str, value: Any) -> None:
        with self.lock:
            self.seen.append((name, value))

    def names(self) -> list[str]:
        return [n for n, _ in self.seen]


def make_tools(calls: Calls) -> list[Any]:
    def weather(city: str, units: str = "c") -> dict:
        """Current weather of a city.

        Longer details that stay out of the prompt."""
        calls.add("weather", (city, units))
        return {"city": city, "temp": 21, "units": units, "pair": (1, 2)}

    async def add(a: int, b: int = 1) -> int:
        """Add two numbers (async)."""
        calls.add("add", (a, b))
        await asyncio.sleep(0.01)
        return a + b

    def echo(*items: Any, **named: Any) -> Any:
        """Return what it was given."""
        calls.add("echo", (items, named))
        return {"items": list(items), "named": named}

    def boom(reason: str) -> str:
        """Always raises."""
        calls.add("boom", reason)
        raise ValueError(f"no such thing: {reason}")

    def opaque() -> Any:
        """Returns something that is not JSON."""
        calls.add("opaque", None)
        return {1, 2, 3}

    return [weather, add, echo, boom, opaque]


def events(trace: Path | None, kind: str) -> list[dict[str, Any]]:
    assert trace is not None
    return [e for e in map(json.loads, trace.read_text().splitlines()) if e["event"] == kind]


def shown(root: FakeScriptedLM, turn: int) -> str:
    """What the root was shown before `turn` (the last user message of that call)."""
    return root.calls[turn].messages[-1]["content"]


@pytest.mark.parametrize("mode", MODES)
def test_sync_and_async_tools_round_trip_json(mode: str) -> None:
    calls = Calls()
    root = FakeScriptedLM([
        "```repl\nw = weather('Paris', units='f')\nprint(type(w).__name__, w)\n"
        "print(add(2, b=3), add(40))\n"
        "e = echo((1, 2), {'k': [None, True, 1.5]}, x='y')\nprint(e)\n```",
        "FINAL(done)",
    ])
    result = RLM(root, tools=make_tools(calls), sandbox=SandboxOptions(isolation=mode)).complete("q", "ctx")
    assert result.answer == "done" and result.mode == "rlm"
    out = shown(root, 1)
    assert "dict {'city': 'Paris', 'temp': 21, 'units': 'f', 'pair': [1, 2]}" in out  # a tuple comes back a list
    assert "5 41" in out
    assert "{'items': [[1, 2], {'k': [None, True, 1.5]}], 'named': {'x': 'y'}}" in out
    assert calls.seen[:3] == [("weather", ("Paris", "f")), ("add", (2, 3)), ("add", (40, 1))]
    assert calls.seen[3] == ("echo", (([1, 2], {"k": [None, True, 1.5]}), {"x": "y"}))  # the host gets JSON values


def test_signature_and_first_doc_line_in_the_prompt_and_help_in_the_repl() -> None:
    calls = Calls()
    root = FakeScriptedLM([
        "```repl\nimport inspect\nprint(inspect.signature(weather))\nprint(weather.__doc__)\n"
        "print(inspect.signature(echo))\n```",
        "FINAL(done)",
    ])
    RLM(root, tools=make_tools(calls), sandbox=SandboxOptions(isolation="process")).complete("q", "ctx")
    system = root.calls[0].messages[0]["content"]
    assert "- `weather(city: str, units: str = 'c') -> dict`: Current weather of a city." in system
    assert "- `add(a: int, b: int = 1) -> int`: Add two numbers (async)." in system
    assert "Longer details" not in system
    out = shown(root, 1)
    assert "(city: str, units: str = 'c') -> dict" in out
    assert "Longer details that stay out of the prompt." in out  # the whole docstring in the REPL
    assert "(*items: Any, **named: Any) -> Any" in out
    assert calls.seen == []


@pytest.mark.parametrize("mode", MODES)
def test_non_json_arguments_are_refused_in_the_worker(mode: str) -> None:
    calls = Calls()
    root = FakeScriptedLM([
        "```repl\nfor bad in (b'raw', {1, 2}, float('nan'), {1: 'int key'}, object()):\n"
        "    try:\n        echo(bad)\n    except (TypeError, ValueError) as exc:\n"
        "        print(type(exc).__name__, '|', exc)\n"
        "try:\n    weather()\nexcept TypeError as exc:\n    print('bind |', exc)\n```",
        "FINAL(done)",
    ])
    RLM(root, tools=make_tools(calls), sandbox=SandboxOptions(isolation=mode)).complete("q", "ctx")
    out = shown(root, 1)
    assert "TypeError | echo(): argument 'items'[0] is a bytes, which is not JSON" in out
    assert "is a set, which is not JSON" in out
    assert "ValueError |" in out and "JSON has no NaN or infinity" in out
    assert "has the key 1: JSON object keys must be str" in out
    assert "is a object, which is not JSON" in out
    assert "bind | weather(city: str, units: str = 'c') -> dict: missing a required argument: 'city'" in out
    assert calls.seen == []  # nothing reached the host


def test_the_host_checks_tool_calls_too() -> None:
    """A forged frame is checked on the host: JSON values only, and the values are copied."""
    fn, args, size = check_subcall("tool_call", {"name": "echo", "args": [(1, 2)], "kwargs": {"k": "v"}})
    assert fn == "tool_call" and args == {"name": "echo", "args": [[1, 2]], "kwargs": {"k": "v"}} and size > 0
    for bad in ({"name": 3}, {"name": "echo", "args": "x"}, {"name": "echo", "kwargs": {1: 2}},
                {"name": "echo", "args": [b"x"]}, {"name": "echo", "args": [float("inf")]},
                {"name": "echo", "extra": 1}):
        with pytest.raises(SubcallRejected):
            check_subcall("tool_call", bad)


@pytest.mark.parametrize("mode", MODES)
def test_a_tool_exception_is_a_cell_error_without_host_traceback(mode: str) -> None:
    calls = Calls()
    root = FakeScriptedLM([
        "```repl\ntry:\n    opaque()\nexcept ToolError as exc:\n    print('caught |', exc)\n"
        "x = 1\nboom('the reason')\n```",
        "FINAL(done)",
    ])
    result = RLM(root, tools=make_tools(calls), sandbox=SandboxOptions(isolation=mode)).complete("q", "ctx")
    out = shown(root, 1)
    assert "caught | opaque returned a set, which is not JSON" in out
    assert "ToolError: boom raised ValueError: no such thing: the reason" in out
    assert "tools.py" not in out and "subcalls.py" not in out and "asyncio" not in out
    assert calls.names() == ["opaque", "boom"]
    failed = events(result.trace_path, "tool_call")
    assert [(e["name"], e["error"]) for e in failed] == [
        ("opaque", "opaque returned a set, which is not JSON (str, int, float, bool, None, list or dict)"),
        ("boom", "boom raised ValueError: no such thing: the reason"),
    ]


@pytest.mark.parametrize("mode", MODES)
def test_max_tool_calls_holds_under_concurrent_calls_from_threads(mode: str) -> None:
    calls = Calls()
    in_flight = [0, 0]  # now, peak

    def slow(i: int) -> int:
        """Takes a while."""
        with calls.lock:
            in_flight[0] += 1
            in_flight[1] = max(in_flight)
        time.sleep(0.3)
        with calls.lock:
            in_flight[0] -= 1
        calls.add("slow", i)
        return i

    root = FakeScriptedLM([
        "```repl\nfrom concurrent.futures import ThreadPoolExecutor\n"
        "def one(i):\n    try:\n        return slow(i)\n    except ToolError as exc:\n        return str(exc)\n"
        "with ThreadPoolExecutor(24) as pool:\n    got = list(pool.map(one, range(24)))\n"
        "print(sum(isinstance(g, int) for g in got), sum('max_tool_calls' in str(g) for g in got))\n```",
        "FINAL(done)",
    ])
    result = RLM(root, tools=[slow], limits=Limits(max_tool_calls=5),
                 sandbox=SandboxOptions(isolation=mode)).complete("q", "ctx")
    assert len(calls.seen) == 5  # never more, however many threads raced for them
    assert in_flight[1] > 1  # they did run concurrently
    assert "5 19" in shown(root, 1)
    traced = events(result.trace_path, "tool_call")
    assert sum(1 for e in traced if "limit" not in e) == 5
    refused = [e for e in traced if e.get("limit") == "max_tool_calls"]
    assert len(refused) == 19 and all(e["duration"] == 0.0 for e in refused)


def test_tool_calls_are_traced() -> None:
    calls = Calls()
    root = FakeScriptedLM(["```repl\nweather('Oslo')\nadd(1, b=2)\n```", "FINAL(done)"])
    result = RLM(root, tools=make_tools(calls), sandbox=SandboxOptions(isolation="process")).complete("q", "ctx")
    traced = events(result.trace_path, "tool_call")
    assert [(e["run_id"], e["cell"], e["name"], e["args"]) for e in traced] == [
        ("root", "1.1", "weather", '"Oslo"'), ("root", "1.1", "add", "1, b=2")]
    assert all(isinstance(e["duration"], float) and "error" not in e for e in traced)
    assert traced[1]["result_chars"] == 1


def test_children_inherit_the_tools_and_share_the_limit() -> None:
    calls = Calls()
    root = FakeScriptedLM([
        "```repl\nweather('Rome')\nchild = rlm_query('use the tool', context='child ctx')\nprint(child)\n```",
        "FINAL_VAR(child)",
    ], model="root")
    sub = FakeScriptedLM([
        "```repl\nr = weather('Lima')\ntry:\n    weather('Kyiv')\nexcept ToolError as exc:\n    print(exc)\n```",
        "FINAL_VAR(r)",
    ], model="sub")
    result = RLM(root, sub_model=sub, tools=make_tools(calls), limits=Limits(max_depth=2, max_tool_calls=2),
                 sandbox=SandboxOptions(isolation="process")).complete("q", "ctx")
    assert "weather(city: str" in sub.calls[0].messages[0]["content"]  # the child's prompt lists it too
    assert calls.seen == [("weather", ("Rome", "c")), ("weather", ("Lima", "c"))]
    assert "'city': 'Lima'" in result.answer
    assert "max_tool_calls" in sub.calls[1].messages[-1]["content"]  # the tree's limit, shared
    assert [e["run_id"] for e in events(result.trace_path, "tool_call")] == ["root", "root.1", "root.1"]


def test_a_tool_timeout_cancels_an_async_tool() -> None:
    cancelled = threading.Event()

    async def hang() -> str:
        """Never returns."""
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return "late"

    root = FakeScriptedLM(["```repl\nhang()\n```", "FINAL(done)"])
    t0 = time.monotonic()
    result = RLM(root, tools=[Tool(hang, timeout=0.5)], sandbox=SandboxOptions(isolation="process")).complete("q", "ctx")
    assert time.monotonic() - t0 < 30
    assert "ToolError: hang took longer than 0.5 s and was stopped" in shown(root, 1)
    assert cancelled.is_set()
    (event,) = events(result.trace_path, "tool_call")
    assert event["limit"] == "timeout"


def test_the_run_deadline_stops_a_tool_call() -> None:
    async def hang() -> str:
        """Never returns."""
        await asyncio.sleep(60)
        return "late"

    root = FakeScriptedLM(["```repl\ntry:\n    hang()\nexcept ToolError as exc:\n    print(exc)\n```"],
                          default="FINAL(done)")
    t0 = time.monotonic()
    result = RLM(root, tools=[hang], limits=Limits(timeout=4.0), sandbox=SandboxOptions(isolation="process")
                 ).complete("q", "ctx")
    assert time.monotonic() - t0 < 20
    assert result.stopped_by == "timeout"
    (event,) = events(result.trace_path, "tool_call")
    assert event["error"] == "hang was stopped by the run's deadline" and event["limit"] == "timeout"


def test_in_process_tools_get_json_copies() -> None:
    seen: list[Any] = []

    def keep(value: Any) -> Any:
        """Keeps what it got."""
        seen.append(value)
        return value

    root = FakeScriptedLM(["```repl\nmine = {'a': (1, 2)}\nback = keep(mine)\nprint(back is mine, back)\n```",
                           "FINAL(done)"])
    RLM(root, tools=[keep], sandbox=SandboxOptions(isolation="inprocess")).complete("q", "ctx")
    assert seen == [{"a": [1, 2]}]
    assert "False {'a': [1, 2]}" in shown(root, 1)


def test_tools_make_auto_mode_run_an_rlm() -> None:
    root = FakeScriptedLM(["FINAL(x)"], default="FINAL(x)", model="gpt-4o")  # a small context goes direct without tools
    result = RLM(root, tools=make_tools(Calls()), sandbox=SandboxOptions(isolation="process")).complete("q", "tiny")
    assert result.mode == "rlm"


@pytest.mark.parametrize("tools, message", [
    ([Tool(len, name="context")], "would hide the REPL's own 'context'"),
    ([Tool(len, name="FINAL")], "would hide"),
    ([Tool(len, name="llm_query")], "would hide"),
    ([Tool(len, name="print")], "would hide"),
    ([Tool(len, name="ToolError")], "would hide"),
    ([Tool(len, name="my-tool")], "is not a Python identifier"),
    ([Tool(len, name="class")], "is not a Python identifier"),
    ([Tool(len, name="size"), Tool(len, name="size")], "two tools are named 'size'"),
    ([lambda x: x], "'<lambda>' is not a Python identifier"),
    (["not callable"], "must be callable"),
])
def test_bad_tool_names_are_refused_at_construction(tools: list[Any], message: str) -> None:
    with pytest.raises(UserError, match=message):
        RLM(FakeScriptedLM(), tools=tools)


def test_tool_names_must_leave_the_prompt_helpers_alone() -> None:
    def grep(term: str) -> str:
        """Search somewhere else."""
        return term

    RLM(FakeScriptedLM(), tools=[grep], prompts="general")  # no helper named grep
    with pytest.raises(UserError, match="would hide the REPL's own 'grep'"):
        RLM(FakeScriptedLM(), tools=[grep], prompts="small")
    with pytest.raises(UserError, match="tools must be a list"):
        Toolbox(grep)  # type: ignore[arg-type]


# -- MCP servers ---------------------------------------------------------------------------------
def mcp_server(tmp_path: Path, **options: Any) -> tuple[MCPTools, Path]:
    pytest.importorskip("mcp")
    pidfile = tmp_path / "server.pid"
    return MCPTools([sys.executable, str(FAKES / "mcp_tools_server.py"), str(pidfile)], **options), pidfile


def test_mcp_tools_are_listed_called_and_closed_after_the_run(tmp_path: Path) -> None:
    server, pidfile = mcp_server(tmp_path)
    root = FakeScriptedLM([
        "```repl\nprint(add(40), add(1, b=5), shout_it('hi'))\nimport inspect\nprint(inspect.signature(add))\n"
        "try:\n    refuse('not today')\nexcept ToolError as exc:\n    print('refused |', exc)\n```",
        "FINAL(done)",
    ])
    result = RLM(root, tools=[server], limits=Limits(max_tool_calls=10),
                 sandbox=SandboxOptions(isolation="process")).complete("q", "ctx")
    assert result.answer == "done"
    system = root.calls[0].messages[0]["content"]
    assert "- `add(a: int, b: int = 2)`: Add two whole numbers." in system
    assert "- `shout_it(text: str)`: Upper-case a text." in system
    assert "second paragraph" not in system
    out = shown(root, 1)
    assert "42 6 HI" in out  # an MCP tool's text content
    assert "(a: int, b: int = 2)" in out
    assert "refused | refuse failed on the MCP server: " in out and "not today" in out
    assert [e["name"] for e in events(result.trace_path, "tool_call")] == ["add", "add", "shout_it", "refuse"]
    pid = int(pidfile.read_text())
    deadline = time.monotonic() + 10
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(pid), "the MCP server must be stopped when the run ends"


def test_mcp_tools_with_a_prefix_and_python_tools_together(tmp_path: Path) -> None:
    server, _ = mcp_server(tmp_path, prefix="calc_")
    calls = Calls()
    root = FakeScriptedLM(["```repl\nprint(calc_add(1), weather('Bern')['city'])\n```", "FINAL(done)"])
    RLM(root, tools=[*make_tools(calls), server], sandbox=SandboxOptions(isolation="process")).complete("q", "ctx")
    assert "3 Bern" in shown(root, 1)


def test_an_mcp_tool_that_hides_a_repl_name_is_refused_at_start(tmp_path: Path) -> None:
    def add(a: int) -> int:
        """A Python tool named like the server's."""
        return a

    server, pidfile = mcp_server(tmp_path)
    root = FakeScriptedLM(default="FINAL(x)")
    with pytest.raises(UserError, match="two tools are named 'add'"):
        RLM(root, tools=[add, server], sandbox=SandboxOptions(isolation="process")).complete("q", "ctx")
    assert not alive(int(pidfile.read_text()))


def test_an_mcp_server_that_does_not_start_is_a_user_error(tmp_path: Path) -> None:
    pytest.importorskip("mcp")
    root = FakeScriptedLM(default="FINAL(x)")
    with pytest.raises(UserError, match="could not be started"):
        RLM(root, tools=[MCPTools("/nonexistent/mcp-server --flag")]).complete("q", "ctx")


def test_cli_mcp_flag_and_max_tool_calls(tmp_path: Path) -> None:
    pytest.importorskip("mcp")
    from fakes.openai_server import FakeOpenAIServer, Reply
    from test_cli import run_cli

    pidfile = tmp_path / "server.pid"
    code = ("```repl\nfirst = add(40)\ntry:\n    add(1)\nexcept ToolError as exc:\n    print(exc)\n"
            "print(first)\n```")
    with FakeOpenAIServer([Reply(code), Reply("FINAL_VAR(first)")]) as server:
        proc = run_cli("ask", "q", "--context", str(FAKES / "__init__.py"), "--model", "m", "--base-url",
                       server.base_url, "--no-trace", "--isolation", "process", "--max-tool-calls", "1",
                       "--mcp", f"{sys.executable} {FAKES / 'mcp_tools_server.py'} {pidfile}")
        system = server.requests[0].json["messages"][0]["content"]
        shown_output = server.requests[1].json["messages"][-1]["content"]
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "42\n"
    assert "- `add(a: int, b: int = 2)`: Add two whole numbers." in system
    assert "max_tool_calls: all 1 tool calls" in shown_output
    assert not alive(int(pidfile.read_text()))


@pytest.mark.parametrize("mode", MODES)
def test_tools_come_back_after_a_worker_restart(mode: str) -> None:
    calls = Calls()
    root = FakeScriptedLM(["```repl\nimport os\nos._exit(3)\n```", "```repl\nprint(add(1, 1))\n```", "FINAL(done)"])
    RLM(root, tools=make_tools(calls), sandbox=SandboxOptions(isolation=mode)).complete("q", "ctx")
    assert "The REPL process died" in shown(root, 1)
    assert "2" in shown(root, 2) and calls.names() == ["add"]
