"""The MCP server: one tool, `ask`, over one `RLM` (official `mcp` SDK, 2.x `MCPServer`).

The tool (its schema is what `tools/list` shows):

    ask(question, context=None, paths=None, max_usd=None, timeout=None)

- `context` is the text to ask about; `paths` are files or directories under the server's
  roots (`roots.Roots`), read as `recursor ask --context` reads them. Give one or neither.
- `max_usd` and `timeout` can only LOWER the server's limits for this call (as `serve`'s
  `recursor_limits` do); a higher value is ignored.
- The reply's text content is the answer; its structured content (`AskResult`, the tool's
  output schema) repeats it with `stopped_by`, cost, tokens and the trace path.
- While the run works, progress notifications (one when it starts, one per root turn, one when
  it ends) carry a short message: event names and counts only, never model text. The SDK
  drops them when the client sent no progress token.
- Bad input and a model service that failed with no answer are tool errors (`isError`) with
  a one-line message, secrets redacted (`per_request.redact`); an unexpected exception is logged
  to stderr and reported as an internal error. No run can end the session.

At most `max_concurrent_runs` runs at once. A call beyond that waits for a slot (with a progress
note) instead of failing: MCP has no Retry-After, so a refusal would only make an agent
spend turns retrying; the client's own request timeout and cancellation still bound the wait.
A cancelled call cancels its run, which closes its worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import traceback
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field

from recursor.errors import RecursorError, UserError
from recursor.mcp_server.roots import Roots
from recursor.per_request import redact, request_run
from recursor.pricing import unpriced_message
from recursor.result import StopReason
from recursor.rlm import RLM, Result
from recursor.safetext import well_formed

__all__ = ["AskResult", "McpConfig", "create_server"]

log = logging.getLogger("recursor.mcp")

_DESCRIPTION = (
    "Answer a question about a context of any size (a long document, many files, a code base) "
    "with a Recursive Language Model: a model that explores the context with code in a sandbox "
    "instead of reading it all at once. Give the text as `context`, or files and directories "
    "the server may read as `paths`. Runs are budgeted: `max_usd` and `timeout` can lower the "
    "server's limits for this call. Returns the answer; the structured result also says why the "
    "run stopped ('final' when the model answered, otherwise the limit that ended it), its cost "
    "and where its trace is."
)


class AskResult(BaseModel):
    """The structured content of an `ask` reply (the tool's output schema)."""

    answer: str = Field(description="The answer (also the reply's text content).")
    stopped_by: StopReason = Field(
        description="'final' when the model answered; otherwise the limit or failure that ended the "
                    "run, and `answer` is the best answer found.")
    mode: Literal["rlm", "direct"] = Field(
        description="'rlm' explored the context in a REPL; 'direct' sent it whole in one call.")
    iterations: int = Field(description="Root-model turns.")
    cost_usd: float | None = Field(description="What the whole run tree cost, when prices are known.")
    calls: int = Field(description="LM calls made by the whole run tree.")
    input_tokens: int
    output_tokens: int
    wall_time: float = Field(description="Seconds.")
    trace_path: str | None = Field(description="The JSONL trace of the run on the server's disk, if written.")
    error: str | None = Field(default=None, description="What the model service said, when it failed.")


@dataclass(frozen=True, slots=True)
class McpConfig:
    """How the MCP server behaves; the RLM itself carries the model, limits and sandbox."""

    roots: Roots = field(default_factory=Roots)
    """Directories `paths` may name; none means `paths` are refused."""
    max_concurrent_runs: int = 4
    name: str = "recursor"


def _progress_message(record: dict[str, Any]) -> str | None:
    """A short line for the root run's start, turns and end; None for every other event.

    Only names and counts: model text and the context never leave through progress.
    """
    if record.get("run_id") != "root":
        return None
    kind = record.get("event")
    if kind == "run_start":
        return f"run started ({record.get('mode') or 'rlm'} mode)"
    if kind == "budget":
        return (f"turn {record.get('iteration')} done: {record.get('calls')} LM calls, "
                f"${float(record.get('cost_usd') or 0):.4f}, {float(record.get('elapsed') or 0):.0f}s")
    if kind == "run_end":
        return f"run ended: {record.get('stopped_by')} after {record.get('iterations')} turns"
    return None


class _Progress:
    """Feeds the RLM's synchronous event hook into `ctx.report_progress`, in order."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.loop = asyncio.get_running_loop()
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        self.sent = 0

    def on_event(self, record: dict[str, Any]) -> None:
        message = _progress_message(record)
        if message is not None:
            self.loop.call_soon_threadsafe(self.queue.put_nowait, message)

    def note(self, message: str) -> None:
        self.queue.put_nowait(message)

    def close(self) -> None:
        """End the pump after every event queued so far (through the loop, as events are)."""
        self.loop.call_soon_threadsafe(self.queue.put_nowait, None)

    async def pump(self) -> None:
        while (message := await self.queue.get()) is not None:
            self.sent += 1  # progress must increase; there is no meaningful total
            try:
                await self.ctx.report_progress(self.sent, None, message)
            except Exception:  # the client went away: the run's result decides what happens
                log.debug("progress notification failed", exc_info=True)


def _structured(result: Result) -> dict[str, Any]:
    total = result.usage.total
    return AskResult(
        answer=well_formed(result.answer),
        stopped_by=result.stopped_by,
        mode="direct" if result.mode == "direct" else "rlm",
        iterations=result.iterations,
        cost_usd=result.cost_usd,
        calls=total.calls,
        input_tokens=total.input_tokens,
        output_tokens=total.output_tokens,
        wall_time=round(result.wall_time, 3),
        trace_path=str(result.trace_path) if result.trace_path else None,
        error=well_formed(redact(result.error)) if result.error else None,
    ).model_dump(mode="json")


def _check_limits(rlm: RLM, max_usd: float | None) -> None:
    """A per-call `max_usd` on a server without one needs every model's price, as `RLM` does."""
    if max_usd is None or rlm.limits.max_usd is not None:
        return
    for lm in rlm.models.values():
        if rlm.pricing.price(lm.model, lm.price) is None:
            raise UserError(f"max_usd cannot be applied: {unpriced_message(lm.model)}")


def _tool_error(exc: BaseException) -> ToolError:
    if isinstance(exc, UserError):
        return ToolError(well_formed(redact(str(exc))))
    if isinstance(exc, RecursorError):
        return ToolError(f"the run failed: {well_formed(redact(str(exc)))}")
    # The traceback helps whoever runs the server; under stdio that log is the client's too.
    log.error("ask failed: %s", redact("".join(traceback.format_exception(exc)).rstrip()))
    return ToolError("internal error (see the server's log)")


def create_server(rlm: RLM, config: McpConfig | None = None, **options: Any) -> MCPServer:
    """An `MCPServer` offering `ask` over `rlm`; keyword options override fields of `config`."""
    cfg = dataclasses.replace(config or McpConfig(), **options)
    if cfg.max_concurrent_runs < 1:
        raise UserError("max_concurrent_runs must be at least 1")
    slots = asyncio.Semaphore(cfg.max_concurrent_runs)
    server: MCPServer = MCPServer(
        cfg.name,
        instructions="Use the `ask` tool to answer questions about long texts, files or directories.",
        log_level="WARNING",
    )

    @server.tool(name="ask", title="Ask a Recursive Language Model", description=_DESCRIPTION,
                 annotations=ToolAnnotations(read_only_hint=True, open_world_hint=True, idempotent_hint=False))
    async def ask(
        question: Annotated[str, Field(description="The question to answer.", min_length=1)],
        ctx: Context,
        context: Annotated[str | None, Field(
            description="The text to ask about (any size). Give this or `paths`, not both.")] = None,
        paths: Annotated[list[str] | None, Field(
            description="Files or directories to read as the context; they must lie under the "
                        "server's --root directories (a relative path is taken from the first). "
                        "A directory becomes a mapping of relative path to text.")] = None,
        max_usd: Annotated[float | None, Field(
            gt=0, allow_inf_nan=False,
            description="Spending limit for this call in USD; only lowers the server's.")] = None,
        timeout: Annotated[float | None, Field(
            gt=0, allow_inf_nan=False,
            description="Wall-clock limit for this call in seconds; only lowers the server's.")] = None,
    ) -> Annotated[CallToolResult, AskResult]:
        try:
            if not question.strip():
                raise UserError("question is empty")
            if context is not None and paths is not None:
                raise UserError("give `context` (text) or `paths` (files), not both")
            value: Any = context
            if paths is not None:
                if not paths:
                    raise UserError("paths is empty")
                resolved = cfg.roots.check(paths)
                value = resolved[0] if len(resolved) == 1 else resolved
            _check_limits(rlm, max_usd)
        except RecursorError as exc:
            raise _tool_error(exc) from None
        wanted = {name: v for name, v in (("max_usd", max_usd), ("timeout", timeout)) if v is not None}
        progress = _Progress(ctx)
        pump = asyncio.ensure_future(progress.pump())
        try:
            if slots.locked():
                progress.note(f"waiting for a free run slot (all {cfg.max_concurrent_runs} busy)")
            async with slots:
                result = await request_run(rlm, wanted, progress.on_event).acomplete(question, value)
        except BaseException as exc:  # a cancelled call included: its progress stops with it
            pump.cancel()
            if isinstance(exc, Exception):
                raise _tool_error(exc) from None
            raise
        progress.close()  # send what is queued (the run's end), then stop
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(pump, 5)
        if result.stopped_by == "lm_error" and not result.answer:
            raise ToolError(f"the model service failed: {well_formed(redact(result.error or 'unknown error'))}")
        return CallToolResult(content=[TextContent(type="text", text=well_formed(result.answer))],
                              structured_content=_structured(result))

    return server
