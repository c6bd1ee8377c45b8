"""Options shared by the commands that run an RLM (`ask`, `serve`), the RLM they describe,
and the summary table the commands print (`bench`).

A module of its own so both commands import it without importing each other: `python -m
recursor.cli` runs `recursor.cli` as `__main__`, and `serve` or `bench` importing it would be
a cycle (`recursor.cli` registers them as its subcommands).
The flag that names the upstream key differs per command (`ask --api-key-env`, `serve
--model-api-key-env`), so each command declares that one itself.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from recursor.budget import Limits
from recursor.lm.base import LM

__all__ = ["build_lm", "build_rlm", "print_table", "run_options"]

F = TypeVar("F", bound=Callable[..., Any])

_DEFAULT = Limits()


class _PriceParam(click.ParamType):
    """`MODEL=INPUT,OUTPUT` in USD per million tokens."""

    name = "MODEL=IN,OUT"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        model, sep, prices = str(value).rpartition("=")
        parts = prices.split(",")
        try:
            pin, pout = (float(p) for p in parts) if len(parts) == 2 else (None, None)
        except ValueError:
            pin = pout = None
        if not sep or not model.strip() or pin is None or pout is None or pin < 0 or pout < 0:
            self.fail(f"{value!r}: expected MODEL=INPUT,OUTPUT in USD per million tokens, "
                      "e.g. gpt-5-pro=15,120", param, ctx)
        return (model.strip(), (pin, pout))


_RUN_OPTIONS = [
    click.option("--model", help="Root model, e.g. openai:gpt-5, anthropic:claude-sonnet-4-5, or a name served at --base-url."),
    click.option("--sub-model", help="Model for llm_query and child runs (default: the root model)."),
    click.option("--base-url", help="An OpenAI-compatible endpoint (vLLM, llama.cpp, Ollama, OpenRouter, ...)."),
    click.option("--mode", type=click.Choice(["auto", "rlm", "direct"]), default="auto", show_default=True,
                 help="'direct' answers with one call holding the whole context, 'rlm' always explores it "
                      "in the REPL, 'auto' answers directly when the context is small for the model."),
    click.option("--prompts", type=click.Choice(["auto", "small", "general"]), default="auto", show_default=True,
                 help="The root model's wording: 'small' for small models (short prompt, REPL helpers), "
                      "'auto' picks by the model's name."),
    click.option("--allow-model", "allow_models", multiple=True, metavar="NAME",
                 help="A further model name that model code may pass to llm_query(model=...) (repeatable)."),
    click.option("--price", "prices", multiple=True, type=_PriceParam(),
                 help="A model's price, MODEL=INPUT,OUTPUT in USD per million tokens (repeatable); "
                      "needed with --max-usd for models not in the built-in table."),
    click.option("--max-depth", type=click.IntRange(min=1), default=_DEFAULT.max_depth, show_default=True),
    click.option("--max-iterations", type=click.IntRange(min=1), default=_DEFAULT.max_iterations,
                 show_default=True, help="Root-model turns per run."),
    click.option("--max-usd", type=click.FloatRange(min=0, min_open=True),
                 help="Spending limit for a run tree, never exceeded."),
    click.option("--max-tokens", type=click.IntRange(min=1), help="Token limit for a run tree, never exceeded."),
    click.option("--max-calls", type=click.IntRange(min=1), help="LM-call limit for a run tree, never exceeded."),
    click.option("--max-tool-calls", type=click.IntRange(min=1),
                 help="Limit on host tool calls (--mcp tools) for a run tree, never exceeded."),
    click.option("--tool-timeout", type=click.FloatRange(min=0, min_open=True), default=_DEFAULT.tool_timeout,
                 show_default=True, help="Seconds one tool call may take."),
    click.option("--timeout", type=click.FloatRange(min=0, min_open=True),
                 help="Wall-clock limit for a run tree, in seconds; it stops calls and cells in flight."),
    click.option("--max-errors", type=click.IntRange(min=1), default=_DEFAULT.max_errors, show_default=True,
                 help="Consecutive failed turns before a run stops."),
    click.option("--cell-timeout", type=click.FloatRange(min=0, min_open=True), default=300.0, show_default=True),
    click.option("--max-concurrency", type=click.IntRange(min=1), default=_DEFAULT.max_concurrency,
                 show_default=True, help="LM calls in flight at once across the run tree."),
    click.option("--max-children", type=click.IntRange(min=1), default=_DEFAULT.max_children,
                 show_default=True, help="Child runs (sandbox workers) at once per depth."),
    click.option("--max-output-tokens", type=click.IntRange(min=1), default=_DEFAULT.max_output_tokens,
                 show_default=True, help="Output cap per LM call when --max-usd or --max-tokens is set."),
    click.option("--mcp", "mcp_servers", multiple=True, metavar="CMD",
                 help="An MCP server's command line, spawned over stdio; its tools are callable from model "
                      "code (repeatable; needs the 'mcp' extra)."),
    click.option("--isolation", type=click.Choice(["auto", "bwrap", "process", "inprocess"]), default="auto",
                 show_default=True),
    click.option("--retries", type=click.IntRange(min=0), help="Retries per LM call on 429/5xx/timeouts (default 5)."),
    click.option("--trace-dir", type=click.Path(path_type=Path), help="Where to write traces."),
    click.option("--no-trace", is_flag=True, help="Write no trace."),
    click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path),
                 help="Reuse and store LM replies in this directory (same model + same messages = free re-run)."),
]


def run_options(f: F) -> F:
    """Add the model and limit flags to a command (in the order `--help` lists them)."""
    for option in reversed(_RUN_OPTIONS):
        f = option(f)
    return f


def build_lm(model: str | None, *, base_url: str | None, api_key_env: str | None, retries: int | None) -> LM:
    """An LM from CLI flags. No model and no endpoint means the embedded local model."""
    from recursor.lm.resolve import resolve_lm
    from recursor.lm.retry import RetryPolicy

    if model is None and base_url is None:
        return resolve_lm("local")
    kwargs: dict[str, Any] = {"base_url": base_url, "api_key_env": api_key_env}
    if retries is not None:
        kwargs["retry"] = RetryPolicy(max_attempts=retries + 1)
    return resolve_lm(model or "default", **kwargs)


def build_rlm(opts: dict[str, Any], *, api_key_env: str | None, on_event: Any = None,
              wrap_lm: Callable[[LM], LM] | None = None) -> Any:
    """The RLM that the `run_options` flags in `opts` describe.

    `wrap_lm` wraps each model client built (root and sub-model); `recursor batch` uses it to put
    the batch's shared budget and rate limiter under every call (`recursor.batch.shared`).
    """
    from recursor.pricing import Pricing
    from recursor.rlm import RLM
    from recursor.sandbox.base import SandboxOptions
    from recursor.tools import MCPTools

    def lm(spec: str | None) -> LM:
        built = build_lm(spec, base_url=opts["base_url"], api_key_env=api_key_env, retries=opts["retries"])
        return wrap_lm(built) if wrap_lm is not None else built

    limits = Limits(**{name: opts[name] for name in _LIMIT_FLAGS})
    return RLM(
        lm(opts["model"]),
        sub_model=lm(opts["sub_model"]) if opts["sub_model"] else None,
        limits=limits,
        sandbox=SandboxOptions(isolation=opts["isolation"], cell_timeout=opts["cell_timeout"]),
        trace_dir=False if opts["no_trace"] else opts["trace_dir"],
        on_event=on_event,
        cache=opts["cache_dir"],
        pricing=Pricing(dict(opts["prices"])),
        models=list(opts["allow_models"]),
        prompts=opts["prompts"],
        mode=opts["mode"],
        tools=[MCPTools(command) for command in opts.get("mcp_servers") or ()],
    )


#: The `Limits` fields that are flags of `ask` and `serve` under the same name.
_LIMIT_FLAGS = ("max_iterations", "max_depth", "max_usd", "max_tokens", "max_calls", "timeout", "max_errors",
                "max_concurrency", "max_children", "max_output_tokens", "max_tool_calls", "tool_timeout")


def print_table(rows: list[dict[str, Any]]) -> None:
    """A summary table on stdout (rich when it is a terminal, aligned text otherwise)."""
    from rich.console import Console
    from rich.table import Table

    if not rows:
        click.echo("(no results)")
        return
    table = Table(show_header=True, header_style="bold")
    for key in rows[0]:
        table.add_column(key, justify="left" if isinstance(rows[0][key], str) else "right")
    for row in rows:
        table.add_row(*(_cell(v) for v in row.values()))
    Console(width=160).print(table)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4f}" if abs(value) < 1 else f"{value:,.1f}"
    return str(value)
