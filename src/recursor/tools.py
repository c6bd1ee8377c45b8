"""Host tools: Python functions and MCP servers' tools that model code calls from the sandbox.

    rlm = RLM(model, tools=[weather, Tool(search, timeout=10), MCPTools("uvx mcp-server-fetch")])

A tool runs on the host, never in the sandbox. The REPL gets a stub of the same name with the
tool's signature and docstring (`help(weather)` works); the root prompt names each tool with its
signature and the first line of its docstring. A call travels like `llm_query`: the stub checks
that its arguments are JSON (str, int, float, bool, None, list, dict with str keys) and sends a
`tool_call` frame; the host checks it again against the one sub-call schema
(`sandbox.base.check_subcall`), binds the arguments to the tool's signature, counts the call
against `Limits.max_tool_calls` (counted before the call is made, so concurrent calls can never
pass the limit together), runs it within its timeout and the run's deadline, and sends back the
result as JSON. Whatever goes wrong comes back to the cell as a `ToolError` with the
exception's type and message, never a host traceback. Every call is a `tool_call` trace event, with its result, so replay and resume hand the result back instead of
calling the tool again.

Who holds what:

- `Tool` is one host function; `MCPTools` is an MCP server spawned over stdio with the official
  SDK's client (extra 'mcp'), whose tools each become a `Tool` when a question starts.
- `Toolbox` is what `RLM(tools=...)` keeps: the tools checked at construction (names must be
  identifiers that hide no REPL name, builtin or prompt helper: `UserError`).
- `ToolSet` is one question's tools (one per `RunTree`): it starts the MCP servers and lists
  their tools (`start`), serves calls (`call`) and stops the servers (`aclose`) when the
  question is answered. Child runs share their tree's `ToolSet`: children inherit every tool,
  and `max_tool_calls` counts calls across the whole tree.

Sync functions run in a worker thread (they never block the event loop); a timeout cannot stop
such a thread, only stop waiting for it. Async functions are cancelled.
"""

from __future__ import annotations

import asyncio
import builtins
import contextlib
import hashlib
import inspect
import json
import keyword
import re
import shlex
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from recursor.errors import RecursorError, UserError
from recursor.ledger import Ledger
from recursor.prompts import Prompts
from recursor.sandbox.worker import _Shown  # the stubs' own: host and worker show a signature alike
from recursor.trace import events as ev
from recursor.trace.source import ReplySource

__all__ = ["REPL_NAMES", "MCPTools", "Tool", "ToolError", "ToolSet", "Toolbox", "args_hash"]

REPL_NAMES = frozenset({
    "context", "answer", "llm_query", "llm_query_batched", "rlm_query", "rlm_query_batched",
    "SHOW_VARS", "FINAL", "FINAL_VAR", "ToolError", "cite",
})
"""Names the REPL defines itself: no tool may take them."""

_MAX_DOC = 4_000
"""Characters of a docstring the REPL's stub keeps (`help(tool)`)."""
_MAX_SHOWN = 120
"""Characters of a default's or an annotation's text in a signature."""
_MAX_ERROR = 2_000
_MAX_SUMMARY = 300
_MCP_START_TIMEOUT = 60.0
_MCP_STOP_TIMEOUT = 10.0


class ToolError(RecursorError):
    """A tool call failed: the tool raised or timed out, or the call was refused.

    `limit` names the limit that refused or stopped the call ("max_tool_calls", "timeout").
    """

    def __init__(self, message: str, limit: str | None = None) -> None:
        super().__init__(message)
        self.limit = limit


Invoke = Callable[[inspect.BoundArguments], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter as the REPL's stub declares it (a default and annotation as text)."""

    name: str
    kind: int
    default: str | None = None
    annotation: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "kind": self.kind}
        if self.default is not None:
            out["default"] = self.default
        if self.annotation is not None:
            out["annotation"] = self.annotation
        return out


class Tool:
    """A host function that model code may call by `name`.

    Args:
        fn: a function or other callable, sync or async. Its arguments and its result must
            be JSON values; a result that is not JSON reaches the cell as an error.
        name: the name in the REPL; the function's `__name__` by default.
        timeout: seconds one call may take; `Limits.tool_timeout` by default.
        description: the text `help(name)` shows, its first line in the prompt; the
            function's docstring by default.
    """

    def __init__(self, fn: Callable[..., Any], *, name: str | None = None, timeout: float | None = None,
                 description: str | None = None, signature: inspect.Signature | None = None,
                 invoke: Invoke | None = None) -> None:
        if not callable(fn):
            raise UserError(f"a tool must be callable, not {type(fn).__name__}")
        self.fn = fn
        self.name = name if name is not None else str(getattr(fn, "__name__", ""))
        if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, int | float)
                                    or not 0 < timeout < float("inf")):
            raise UserError(f"tool {self.name!r}: timeout must be a positive number of seconds, got {timeout!r}")
        self.timeout = timeout
        doc = description if description is not None else inspect.getdoc(fn) or ""
        self.doc = doc.strip()[:_MAX_DOC]
        if signature is None:
            try:
                signature = inspect.signature(fn)
            except (TypeError, ValueError):  # some builtins have none
                signature = inspect.Signature([
                    inspect.Parameter("args", inspect.Parameter.VAR_POSITIONAL),
                    inspect.Parameter("kwargs", inspect.Parameter.VAR_KEYWORD)])
        self.signature = signature
        """Arguments are bound to this on the host before the call is counted or made."""
        self.params = tuple(_param(p) for p in signature.parameters.values())
        returns = signature.return_annotation
        self.returns = None if returns is inspect.Signature.empty else _shown(returns)
        self._invoke = invoke

    @property
    def summary(self) -> str:
        """The first line of the description."""
        return self.doc.splitlines()[0].strip() if self.doc else ""

    def shown_signature(self) -> str:
        """`name(a: int, b: str = 'x') -> dict`, as the stub in the REPL declares it."""
        params = [inspect.Parameter(p.name, inspect._ParameterKind(p.kind),
                                    default=inspect.Parameter.empty if p.default is None else _Shown(p.default),
                                    annotation=inspect.Parameter.empty if p.annotation is None else _Shown(p.annotation))
                  for p in self.params]
        returns = inspect.Signature.empty if self.returns is None else _Shown(self.returns)
        return f"{self.name}{inspect.Signature(params, return_annotation=returns)}"

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any], invoke: Invoke) -> Tool:
        """A tool with the stub `spec()` gave (as a trace's `run_start` records it), served by
        `invoke`: what a replay stands in for a tool it must not call."""
        P = inspect.Parameter
        try:
            params = [P(str(p["name"]), inspect._ParameterKind(int(p["kind"])),
                        default=P.empty if p.get("default") is None else _Shown(str(p["default"])),
                        annotation=P.empty if p.get("annotation") is None else str(p["annotation"]))
                      for p in spec.get("params") or []]
            returns = spec.get("returns")
            signature = inspect.Signature(params, return_annotation=inspect.Signature.empty if returns is None
                                          else str(returns))
            name = str(spec["name"])
        except (KeyError, TypeError, ValueError) as exc:
            raise UserError(f"a recorded tool spec cannot be read back: {exc}") from None

        def placeholder(*args: Any, **kwargs: Any) -> Any:  # never called: `invoke` serves the tool
            raise NotImplementedError

        return cls(placeholder, name=name, description=str(spec.get("doc") or ""), signature=signature,
                   invoke=invoke)

    def spec(self) -> dict[str, Any]:
        """What the worker builds the stub from (`worker.Repl.set_tools`)."""
        return {"name": self.name, "doc": self.doc, "params": [p.to_dict() for p in self.params],
                "returns": self.returns}

    async def invoke(self, bound: inspect.BoundArguments) -> Any:
        if self._invoke is not None:
            return await self._invoke(bound)
        if inspect.iscoroutinefunction(self.fn):
            return await self.fn(*bound.args, **bound.kwargs)
        # In a thread, so a slow sync tool never blocks the loop (an object whose __call__ is
        # async returns its coroutine here, which runs on the loop below).
        value = await asyncio.to_thread(self.fn, *bound.args, **bound.kwargs)
        return await value if inspect.isawaitable(value) else value


def _param(p: inspect.Parameter) -> Param:
    default = None if p.default is inspect.Parameter.empty else _clip(repr(p.default), _MAX_SHOWN)
    annotation = None if p.annotation is inspect.Parameter.empty else _shown(p.annotation)
    return Param(p.name, int(p.kind), default, annotation)


def _shown(annotation: Any) -> str:
    text = annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)
    return _clip(text, _MAX_SHOWN)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(slots=True)
class MCPTools:
    """The tools of an MCP server, spawned over stdio when a question starts and stopped
    when it is answered (needs the 'mcp' extra: `pip install 'recursor[mcp]'`).

    Args:
        command: the server's command line, as one string (split like a shell does) or a list.
        env: environment variables for the server, over the SDK's safe defaults (PATH, HOME,
            ...): the host's other variables, API keys included, are not passed on.
        cwd: the server's working directory.
        prefix: put before each tool's name in the REPL (say "gh_"), to keep two servers'
            tools apart. Characters a Python name cannot hold become "_".
        timeout: seconds one call may take; `Limits.tool_timeout` by default.
    """

    command: str | Sequence[str]
    env: Mapping[str, str] | None = None
    cwd: str | None = None
    prefix: str = ""
    timeout: float | None = None
    argv: list[str] = field(init=False)

    def __post_init__(self) -> None:
        argv = shlex.split(self.command) if isinstance(self.command, str) else [str(a) for a in self.command]
        if not argv:
            raise UserError("MCPTools needs a command to start the server")
        self.argv = argv

    def __str__(self) -> str:
        return shlex.join(self.argv)


class Toolbox:
    """The tools an `RLM` was given, checked once: names valid, unique, hiding nothing."""

    def __init__(self, items: Sequence[Any] = (), *, reserved: frozenset[str] = frozenset()) -> None:
        try:
            if isinstance(items, (str, bytes, MCPTools, Tool)) or callable(items):
                raise TypeError
            items = list(items)
        except TypeError:
            raise UserError("tools must be a list of functions, Tool or MCPTools objects") from None
        self.reserved = reserved | REPL_NAMES
        self.tools: list[Tool] = []
        self.servers: list[MCPTools] = []
        names: set[str] = set()
        for item in items:
            if isinstance(item, MCPTools):
                self.servers.append(item)
                continue
            tool = item if isinstance(item, Tool) else Tool(item)
            check_name(tool.name, names, self.reserved, what="tool")
            names.add(tool.name)
            self.tools.append(tool)

    def __bool__(self) -> bool:
        return bool(self.tools or self.servers)

    @classmethod
    def for_prompts(cls, items: Sequence[Any], setup_code: str) -> Toolbox:
        """A toolbox whose names must also leave alone what the prompts' REPL setup code defines."""
        return cls(items, reserved=defined_names(setup_code)) if items else cls()


def check_name(name: str, taken: set[str], reserved: frozenset[str], *, what: str) -> None:
    if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
        raise UserError(f"{what} name {name!r} is not a Python identifier; give one with Tool(fn, name=...)")
    if name in reserved or hasattr(builtins, name):
        raise UserError(f"{what} name {name!r} would hide the REPL's own {name!r}; give another with "
                        "Tool(fn, name=...) (or MCPTools(..., prefix=...))")
    if name in taken:
        raise UserError(f"two tools are named {name!r}")


def defined_names(code: str) -> frozenset[str]:
    """Top-level names that `code` defines (the prompts' helpers, which the REPL must keep)."""
    import ast

    if not code.strip():
        return frozenset()
    names: set[str] = set()
    for node in ast.parse(code).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return frozenset(names)


class ToolSet:
    """One question's tools: MCP servers started, calls served, counted and traced.

    With a `source` (replay, resume), a call the trace recorded gets its recorded result or
    error back and the tool is not called again (its side effects happened once).
    """

    def __init__(self, box: Toolbox, *, ledger: Ledger, emit: Callable[[ev.Event], None],
                 max_result_bytes: int, source: ReplySource | None = None) -> None:
        self.box = box
        self.ledger = ledger
        self.emit = emit
        self.max_result_bytes = max_result_bytes
        self.source = source
        self._seqs: dict[str, int] = {}
        """Tool calls made so far, by run: the replay key."""
        self.tools: dict[str, Tool] = {t.name: t for t in box.tools}
        self._servers: list[_MCPServer] = []
        self._started: asyncio.Task[None] | None = None

    def __bool__(self) -> bool:
        return bool(self.box)

    async def start(self) -> None:
        """Start the MCP servers and list their tools, once (children await the same start).

        Raises `UserError` when a server cannot be started or a tool name is not usable.
        """
        if not self.box.servers:
            return
        if self._started is None:
            self._started = asyncio.ensure_future(self._start())
        await asyncio.shield(self._started)

    async def _start(self) -> None:
        for config in self.box.servers:
            server = _MCPServer(config)
            self._servers.append(server)
            for tool in await server.start():
                check_name(tool.name, set(self.tools), self.box.reserved, what=f"MCP tool (from {config})")
                self.tools[tool.name] = tool

    async def aclose(self) -> None:
        """Stop every MCP server (their processes are gone when this returns)."""
        if self._started is not None and not self._started.done():
            self._started.cancel()
            with contextlib.suppress(BaseException):
                await self._started
        servers, self._servers = self._servers, []
        for server in servers:
            await server.close()

    def specs(self) -> list[dict[str, Any]]:
        """The stubs the REPL defines."""
        return [t.spec() for t in self.tools.values()]

    async def prompt(self, prompts: Prompts) -> str:
        """The tools' part of the system prompt, once the MCP servers are up."""
        await self.start()
        return prompts.tools(self.described())

    def described(self) -> list[tuple[str, str]]:
        """`(name(signature), first line of its docstring)`, one per tool, for the prompt."""
        return [(t.shown_signature(), t.summary) for t in self.tools.values()]

    async def call(self, name: str, args: list[Any], kwargs: dict[str, Any], *, run_id: str,
                   cell: str | None) -> Any:
        """Call tool `name`; its result as a JSON value, or `ToolError`."""
        tool = self.tools.get(name)
        if tool is None:
            raise ToolError(f"there is no tool named {name[:80]!r}")
        try:
            bound = tool.signature.bind(*args, **kwargs)
        except TypeError as exc:
            raise ToolError(f"{tool.shown_signature()}: {exc}") from None
        summary = _summary(args, kwargs)
        if not self.ledger.take_tool_call():
            detail = (f"max_tool_calls: all {self.ledger.limits.max_tool_calls} tool calls of this run "
                      f"were made; {name} was not called")
            self.emit(ev.ToolCallEvent(run_id=run_id, cell=cell, name=name, args=summary, duration=0.0,
                                       error=detail, limit="max_tool_calls"))
            raise ToolError(detail, "max_tool_calls")
        seq = self._seqs[run_id] = self._seqs.get(run_id, 0) + 1
        digest = args_hash(args, kwargs)
        recorded = self.source.tool_call(run_id, seq, name, digest) if self.source is not None else None
        if recorded is not None:
            self.emit(ev.ToolCallEvent(run_id=run_id, cell=cell, name=name, args=summary, duration=0.0,
                                       error=recorded.error, limit=recorded.limit, result=recorded.result,
                                       result_chars=None if recorded.result is None else len(recorded.result),
                                       args_hash=digest, cached=True, source="trace"))
            if recorded.result is None:
                raise ToolError(recorded.error or "", recorded.limit)
            return json.loads(recorded.result)
        t0 = time.monotonic()
        error: str | None = None
        limit: str | None = None
        text: str | None = None
        try:
            value, text = await self._run(tool, bound)
            return value
        except ToolError as exc:
            error, limit = str(exc), exc.limit
            raise
        except asyncio.CancelledError:
            error = "cancelled (the cell was stopped)"
            raise
        finally:
            self.emit(ev.ToolCallEvent(run_id=run_id, cell=cell, name=name, args=summary,
                                       duration=round(time.monotonic() - t0, 4), error=error, limit=limit,
                                       result_chars=None if text is None else len(text), result=text,
                                       args_hash=digest))

    async def _run(self, tool: Tool, bound: inspect.BoundArguments) -> tuple[Any, str]:
        own = tool.timeout if tool.timeout is not None else self.ledger.limits.tool_timeout
        left = self.ledger.remaining_seconds()
        by_deadline = left is not None and (own is None or left < own)
        wait = left if by_deadline else own
        if wait is not None and wait <= 0:
            raise ToolError(f"{tool.name} was not called: the run's deadline has passed", "timeout")
        try:
            async with asyncio.timeout(wait) as scope:
                value = await tool.invoke(bound)
        except TimeoutError as exc:
            if not scope.expired():
                raise ToolError(f"{tool.name} raised TimeoutError: {_error_text(exc)}") from None
            if by_deadline:
                raise ToolError(f"{tool.name} was stopped by the run's deadline", "timeout") from None
            raise ToolError(f"{tool.name} took longer than {own:g} s and was stopped", "timeout") from None
        except ToolError:
            raise
        except Exception as exc:  # the tool's own failure: its type and message, no traceback
            raise ToolError(f"{tool.name} raised {type(exc).__name__}: {_error_text(exc)}") from None
        try:
            text = json.dumps(value, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError, RecursionError):
            raise ToolError(f"{tool.name} returned a {type(value).__name__}, which is not JSON "
                            "(str, int, float, bool, None, list or dict)") from None
        size = len(text.encode("utf-8", errors="surrogatepass"))
        if size > self.max_result_bytes:
            raise ToolError(f"{tool.name} returned {size:,} bytes of JSON; a result may hold at most "
                            f"{self.max_result_bytes:,} (SandboxOptions.max_message_mb)")
        # The JSON form, in every isolation mode: the cell never holds a host object.
        return json.loads(text), text


def args_hash(args: list[Any], kwargs: dict[str, Any]) -> str:
    """sha256 of a call's whole arguments (JSON values): how a replay knows the same call."""
    text = json.dumps([args, kwargs], ensure_ascii=True, sort_keys=True, allow_nan=False)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def _error_text(exc: BaseException | None) -> str:
    return _clip(str(exc), _MAX_ERROR) if exc is not None else ""


def _summary(args: list[Any], kwargs: dict[str, Any]) -> str:
    """The arguments as the trace shows them: `"Paris", units="c"`, cut short."""
    parts = [json.dumps(a, ensure_ascii=False)[:_MAX_SUMMARY] for a in args]
    parts += [f"{k}={json.dumps(v, ensure_ascii=False)[:_MAX_SUMMARY]}" for k, v in kwargs.items()]
    return _clip(", ".join(parts), _MAX_SUMMARY)


# -- MCP servers ---------------------------------------------------------------------------------
_JSON_TYPES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "array": "list",
               "object": "dict", "null": "None"}


class _MCPServer:
    """One MCP server over stdio. Its session lives in a task of its own (the SDK's contexts
    must be entered and left by one task); calls from any task of the same loop go through it."""

    def __init__(self, config: MCPTools) -> None:
        self.config = config
        self.session: Any = None
        self._task: asyncio.Task[None] | None = None
        self._closing = asyncio.Event()

    async def start(self) -> list[Tool]:
        try:
            from mcp.client.session import ClientSession  # noqa: F401
            from mcp.client.stdio import StdioServerParameters, stdio_client  # noqa: F401
        except ImportError:
            raise UserError("MCPTools needs the MCP SDK: pip install 'recursor[mcp]'") from None
        ready: asyncio.Future[list[Any]] = asyncio.get_running_loop().create_future()
        self._task = asyncio.create_task(self._serve(ready))
        try:
            listed = await asyncio.wait_for(asyncio.shield(ready), _MCP_START_TIMEOUT)
        except TimeoutError:
            await self.close()
            raise UserError(f"the MCP server {self.config} did not start within {_MCP_START_TIMEOUT:g} s") from None
        except BaseException as exc:
            await self.close()
            if isinstance(exc, Exception) and not isinstance(exc, UserError):
                raise UserError(f"the MCP server {self.config} could not be started: "
                                f"{type(exc).__name__}: {_error_text(exc)}") from None
            raise
        return [self._tool(t) for t in listed]

    async def _serve(self, ready: asyncio.Future[list[Any]]) -> None:
        from mcp.client.session import ClientSession
        from mcp.client.stdio import StdioServerParameters, stdio_client

        config = self.config
        params = StdioServerParameters(command=config.argv[0], args=config.argv[1:],
                                       env=dict(config.env) if config.env else None, cwd=config.cwd)
        try:
            async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
                await session.initialize()
                tools: list[Any] = []
                cursor: str | None = None
                while True:
                    from mcp.types import PaginatedRequestParams

                    page = await session.list_tools(params=PaginatedRequestParams(cursor=cursor) if cursor else None)
                    tools.extend(page.tools)
                    cursor = page.next_cursor
                    if not cursor:
                        break
                self.session = session
                ready.set_result(tools)
                await self._closing.wait()
        except BaseException as exc:
            if not ready.done():
                ready.set_exception(exc if isinstance(exc, Exception) else RecursorError(str(exc)))
            if not isinstance(exc, Exception):
                raise
        finally:
            self.session = None

    def _tool(self, listed: Any) -> Tool:
        name = re.sub(r"\W", "_", self.config.prefix + str(listed.name))
        if name[:1].isdigit():
            name = "_" + name
        signature = _schema_signature(listed.input_schema or {})
        remote = str(listed.name)

        async def invoke(bound: inspect.BoundArguments) -> Any:
            return await self._call(remote, _arguments(bound))

        def placeholder(**kwargs: Any) -> Any:  # never called: `invoke` serves the tool
            raise NotImplementedError

        return Tool(placeholder, name=name, timeout=self.config.timeout, description=listed.description or "",
                    signature=signature, invoke=invoke)

    async def _call(self, name: str, arguments: dict[str, Any]) -> Any:
        session = self.session
        if session is None:
            raise ToolError(f"the MCP server {self.config} is not running")
        result = await session.call_tool(name, arguments)
        text = "\n".join(_content_text(c) for c in result.content or [])
        if result.is_error:
            raise ToolError(f"{name} failed on the MCP server: {_clip(text, _MAX_ERROR) or '(no message)'}")
        return text

    async def close(self) -> None:
        """Leave the session and stop the server process (the SDK waits, then kills it)."""
        task, self._task = self._task, None
        if task is None:
            return
        self._closing.set()
        done, _ = await asyncio.wait({task}, timeout=_MCP_STOP_TIMEOUT)
        if not done:
            task.cancel()
            await asyncio.wait({task}, timeout=_MCP_STOP_TIMEOUT)
        if task.done() and not task.cancelled():
            task.exception()  # retrieved: a failed shutdown is not an unhandled task error


def _content_text(item: Any) -> str:
    text = getattr(item, "text", None)
    if isinstance(text, str):
        return text
    return f"[{getattr(item, 'type', 'non-text')} content omitted]"


def _schema_signature(schema: Mapping[str, Any]) -> inspect.Signature:
    """A signature from a tool's input JSON Schema: required properties first, then the optional
    ones with their schema default (else None). Property names that are not Python names, or a
    schema without properties, give `(**arguments)`."""
    props = schema.get("properties") if isinstance(schema, Mapping) else None
    P = inspect.Parameter
    if not isinstance(props, Mapping) or not props:
        return inspect.Signature([P("arguments", P.VAR_KEYWORD)])
    names = [str(n) for n in props]
    if any(not n.isidentifier() or keyword.iskeyword(n) for n in names):
        return inspect.Signature([P("arguments", P.VAR_KEYWORD)])
    listed = schema.get("required")
    required = listed if isinstance(listed, list) else []
    params: list[inspect.Parameter] = []
    for want in (True, False):
        for name in names:
            if (name in required) != want:
                continue
            prop = props[name] if isinstance(props[name], Mapping) else {}
            kind = prop.get("type")
            annotation = _JSON_TYPES.get(kind, inspect.Parameter.empty) if isinstance(kind, str) else P.empty
            default = P.empty if want else prop.get("default")
            params.append(P(name, P.POSITIONAL_OR_KEYWORD, default=default,
                            annotation=_Shown(annotation) if isinstance(annotation, str) else annotation))
    return inspect.Signature(params)


def _arguments(bound: inspect.BoundArguments) -> dict[str, Any]:
    """The arguments given (not the defaults) as an MCP `arguments` object."""
    out: dict[str, Any] = {}
    for name, value in bound.arguments.items():
        if bound.signature.parameters[name].kind == inspect.Parameter.VAR_KEYWORD:
            out.update(value)
        else:
            out[name] = value
    return out
