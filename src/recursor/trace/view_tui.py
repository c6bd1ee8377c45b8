"""`recursor view TRACE`: a terminal browser for a trace (textual, the `viewer` extra).

Left, the tree of runs and their iterations (child runs sit under the iteration that started
them); right, the selected node's details: question and answer, or the iteration's reply,
cells (code, output, error), sub-calls and child runs, with tokens, cost and time.

textual is imported only when the app is built, so the rest of recursor works without it. The
detail pane is built from rich renderables (`run_detail`, `iteration_detail`) that never parse
markup: model text like "[bold]" or "[/]" is shown as typed, not interpreted. Every string
from the trace also goes through `for_terminal` (the `_t` helper), so escape sequences in model
text are shown as `\x1b...` rather than sent to the terminal.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from recursor.errors import UserError
from recursor.termsafe import for_terminal
from recursor.trace.tree import (
    Cell,
    Iteration,
    LMCall,
    Run,
    Totals,
    TraceView,
    evidence_place,
    format_cost,
    format_duration,
    format_tokens,
)

if TYPE_CHECKING:
    from textual.app import App

__all__ = ["INSTALL_HINT", "build_app", "iteration_detail", "node_label", "require_textual", "run_detail", "run_tui"]

INSTALL_HINT = "pip install 'recursor[viewer]'"

#: Longest text shown for one field; the rest is cut with a note (the trace keeps it all).
MAX_CHARS = 20_000

_STATUS_STYLE = {"final": "green", "unfinished": "yellow", "lm_error": "red"}


def require_textual() -> None:
    """Fail with the install command when textual is missing, instead of an ImportError."""
    try:
        import textual  # noqa: F401
    except ImportError:
        raise UserError(
            f"the terminal viewer needs textual: {INSTALL_HINT} "
            "(or write a web page instead: recursor view TRACE --html out.html)"
        ) from None


# -- rich pieces (no textual needed) ---------------------------------------------------------------
def _t(text: object, style: str = "") -> Text:
    """Trace text (model-written, so hostile) as a rich Text with control sequences made visible."""
    return Text(for_terminal(str(text)), style=style)


def _evidence(items: list[dict[str, Any]]) -> Text:
    """One evidence item a line: where it is, then its excerpt on one line."""
    out = Text()
    for n, item in enumerate(items):
        if n:
            out.append("\n")
        out.append_text(_t(evidence_place(item), "cyan"))
        out.append("  ")
        out.append_text(_t(" ".join(str(item.get("text") or "").split())[:300]))
    return out


def _clip(text: str | None) -> Text:
    text = text or ""
    if len(text) <= MAX_CHARS:
        return _t(text)
    out = _t(text[:MAX_CHARS])
    out.append(f"\n… {len(text) - MAX_CHARS:,} more characters not shown (the trace has them all)", style="dim")
    return out


def _status(status: str) -> Text:
    return Text(f" {for_terminal(status)} ", style=f"bold {_STATUS_STYLE.get(status, 'magenta')} reverse")


def _stats(t: Totals, seconds: float | None) -> str:
    return f"{t.calls:>4,} calls {format_tokens(t.tokens):>9} tok {format_cost(t):>9} {format_duration(seconds):>8}"


def node_label(node: Run | Iteration, width: int = 0) -> Text:
    """A tree row: name and tags padded to `width`, then calls, tokens, cost and time."""
    label = _name(node)
    if width > len(label.plain):
        label.append(" " * (width - len(label.plain)))
    label.append("  ")
    label.append(_stats(node.totals, node.duration), style="dim")
    return label


def _name(node: Run | Iteration) -> Text:
    label = Text()
    if isinstance(node, Run):
        label.append(for_terminal(node.run_id), style="bold")
        label.append(" ")
        label.append(for_terminal(node.status), style=_STATUS_STYLE.get(node.status, "magenta"))
    else:
        label.append(f"iteration {node.number}")
        tags = []
        if node.final_turn:
            tags.append(("answer-now", "magenta"))
        if node.errors:
            tags.append((f"{node.errors} err", "red"))
        if node.sub_calls:
            tags.append((f"{len(node.sub_calls)} llm", "cyan"))
        if node.running:
            tags.append(("cut off", "yellow"))
        for tag, style in tags:
            label.append(" ")
            label.append(tag, style=style)
    return label


def _facts(rows: list[tuple[str, Text | str]]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column()
    for key, value in rows:
        grid.add_row(_t(key), value if isinstance(value, Text) else _t(value))
    return grid


def _usage_table(rows: list[tuple[str, Totals, float | None]]) -> Table:
    table = Table(box=None, pad_edge=False, header_style="dim")
    table.add_column("")
    for name in ("calls", "input tok", "output tok", "cost", "time", "cached"):
        table.add_column(name, justify="right")
    for name, t, sec in rows:
        table.add_row(name, f"{t.calls:,}", f"{t.input_tokens:,}", f"{t.output_tokens:,}",
                      format_cost(t), format_duration(sec), f"{t.cached:,}")
    return table


def run_detail(view: TraceView, run: Run) -> RenderableType:
    """The right pane for a run: status, where it came from, question, answer, usage, iterations."""
    head = Text("run ", style="bold")
    head.append(for_terminal(run.run_id), style="bold cyan")
    head.append("  ")
    head.append_text(_status(run.status))
    facts: list[tuple[str, Text | str]] = []
    if run.parent_id:
        where = f"{run.parent_id}"
        if run.parent_iteration is not None:
            where += f" · iteration {run.parent_iteration}"
        if run.parent_cell is not None:
            where += f" · cell {run.parent_cell}"
        facts.append(("started by", where))
    facts.append(("depth", str(run.depth)))
    facts.append(("models", f"root {run.root_model or '?'} · sub {run.sub_model or '?'}"))
    if run.context:
        facts.append(("context", f"{run.context.get('kind', '?')}, "
                                 f"{int(run.context.get('n_chars') or 0):,} characters"))
    facts.append(("iterations", str(len(run.iterations))))
    facts.append(("wall time", format_duration(run.duration)))
    parts: list[RenderableType] = [head, _facts(facts)]
    parts.append(Panel(_clip(run.question), title="question", title_align="left", border_style="dim"))
    if run.finished:
        parts.append(Panel(_clip(run.answer), title="answer", title_align="left", border_style="green"))
        if run.evidence:
            parts.append(Panel(_evidence(run.evidence), title="evidence", title_align="left", border_style="dim"))
    else:
        parts.append(Text("No run_end event: this run was killed or was still running.", style="yellow"))
    if run.error:
        parts.append(Panel(_clip(run.error), title="error", title_align="left", border_style="red"))
    parts.extend(_t(note, "dim") for note in run.notes)
    if run.parent_id is None and view.meta:
        parts.append(Text("trace header", style="bold dim"))
        parts.append(_facts([(str(k), v if isinstance(v, str) else json.dumps(v, default=str))
                             for k, v in view.meta.items()]))
    parts.append(_usage_table([("this run", run.own, run.duration), ("with child runs", run.totals, run.duration)]))
    if run.iterations:
        table = Table(box=None, pad_edge=False, header_style="dim", title="iterations", title_justify="left")
        table.add_column("")
        for name in ("cells", "errors", "llm_query", "children", "tokens", "cost", "time"):
            table.add_column(name, justify="right")
        for it in run.iterations:
            table.add_row(f"iteration {it.number}", str(len(it.cells)), str(it.errors), str(len(it.sub_calls)),
                          str(len(it.children)), format_tokens(it.totals.tokens), format_cost(it.totals),
                          format_duration(it.duration))
        parts.append(table)
    return Group(*parts)


def _calls_table(calls: list[LMCall]) -> Table:
    table = Table(box=None, pad_edge=False, header_style="dim", title=f"llm_query calls ({len(calls)})",
                  title_justify="left", expand=True)
    table.add_column("id", no_wrap=True)
    table.add_column("prompt → reply", ratio=1, overflow="fold")
    for name in ("tokens", "cost", "time"):
        table.add_column(name, justify="right", no_wrap=True)
    for call in calls:
        prompt = " ".join(call.prompt.split())[:300]
        result = _t(prompt)
        result.append("\n→ ", style="dim")
        if call.error:
            result.append(for_terminal(" ".join(call.error.split())[:300]), style="red")
        else:
            result.append(for_terminal(" ".join((call.reply or "").split())[:300]), style="green")
        one = Totals()
        one.add_call(call)
        table.add_row(_t(call.call_id + _call_flags(call)), result,
                      format_tokens(one.tokens), format_cost(one), format_duration(call.duration))
    return table


def _call_flags(call: LMCall) -> str:
    flags = ""
    if call.cached:
        flags += f" · cached{' (' + call.source + ')' if call.source else ''}"
    if call.retries:
        flags += f" · {len(call.retries)} retried"
    return flags


def _cell_panel(it: Iteration, cell: Cell) -> Panel:
    body: list[RenderableType] = [
        Syntax(for_terminal(cell.code or ""), "python", theme="ansi_dark", word_wrap=True, background_color="default"),
    ]
    out_title = "output"
    if cell.stdout_total and cell.stdout_total > len(cell.stdout):
        out_title += f" ({cell.stdout_total:,} characters printed)"
    body.append(Text(out_title, style="dim"))
    body.append(_clip(cell.stdout) if cell.stdout else Text("(no output)", style="dim italic"))
    if cell.error:
        body.append(Text("error", style="dim"))
        err = _clip(cell.error)
        err.stylize("red")
        body.append(err)
    if cell.final is not None:
        body.append(Text("final answer", style="dim"))
        body.append(_clip(cell.final))
    body.extend(_t(note, "dim") for note in cell.notes)
    calls = it.calls_of(cell.index)
    if calls:
        body.append(_calls_table(calls))
    for child in it.children_of(cell.index):
        line = Text("child run ", style="dim")
        line.append(for_terminal(child.run_id), style="bold cyan")
        line.append(" ")
        line.append(for_terminal(child.status), style=_STATUS_STYLE.get(child.status, "magenta"))
        line.append(for_terminal("  " + " ".join(child.question.split())[:140]), style="dim")
        body.append(line)
    title = f"cell {cell.index} · {format_duration(cell.duration)}"
    if cell.restarted:
        title += " · worker restarted"
    return Panel(Group(*body), title=title, title_align="left", border_style="red" if cell.error else "blue")


def iteration_detail(run: Run, it: Iteration) -> RenderableType:
    """The right pane for an iteration: the root reply, each cell, its sub-calls and child runs."""
    head = _t(run.run_id, "bold cyan")
    head.append(f" · iteration {it.number}" + (" (answer-now turn)" if it.final_turn else ""), style="bold")
    facts: list[tuple[str, Text | str]] = []
    call = it.root_call
    if call is not None:
        facts.append(("root call", f"{call.call_id} · {call.model}" + _call_flags(call)))  # _facts escapes
        if call.n_messages is not None:
            facts.append(("request", f"{call.n_messages} messages, {len(call.messages)} new"))
        facts.append(("tokens", f"{call.input_tokens:,} in · {call.output_tokens:,} out"
                                + (f" · finish {call.finish_reason}" if call.finish_reason else "")))
        one = Totals()
        one.add_call(call)
        facts.append(("cost", format_cost(one)))
        facts.append(("model time", format_duration(call.duration)))
    facts.append(("iteration time", format_duration(it.duration)))
    facts.append(("with sub-calls", f"{format_tokens(it.totals.tokens)} tokens · {format_cost(it.totals)} · "
                                    f"{it.totals.calls} calls"))
    parts: list[RenderableType] = [head, _facts(facts)]
    if call is not None:
        if call.error:
            parts.append(Panel(_clip(call.error), title="LM error", title_align="left", border_style="red"))
        else:
            parts.append(Panel(_clip(call.reply), title="root model reply", title_align="left", border_style="dim"))
    if call is not None and call.retries:
        parts.append(Panel(_t("\n".join(call.retries), "red"), title="retries", title_align="left",
                           border_style="red"))
    parts.extend(_cell_panel(it, cell) for cell in it.cells)
    for index in it.running:
        parts.append(Text(f"cell {index} started but never reported (killed, or still running)", style="yellow"))
    parts.extend(_t(note, "yellow") for note in it.notes)
    loose = it.calls_of(None)
    if loose:
        parts.append(_calls_table(loose))
    for child in it.children_of(None):
        parts.append(_t(f"child run {child.run_id} ({child.status})", "cyan"))
    return Group(*parts)


# -- the app -----------------------------------------------------------------------------------------
def build_app(view: TraceView) -> App[None]:
    """The textual app for `view` (not started). Raises UserError without textual."""
    require_textual()
    from textual.app import App, ComposeResult
    from textual.binding import Binding, BindingType
    from textual.containers import Horizontal, VerticalScroll
    from textual.widgets import Footer, Header, Static, Tree
    from textual.widgets.tree import TreeNode

    # Pad names so the numbers line up: where a label starts depends on its level and on
    # whether it has a fold arrow ("▼ ") in front.
    guide = 4

    def indent(level: int, has_children: bool) -> int:
        return (guide * level + 1 if level else 0) + (2 if has_children else 0)

    width = 0
    for run in view.walk():
        level = _level(view, run)
        width = max(width, len(_name(run).plain) + indent(level, True))
        for it in run.iterations:
            width = max(width, len(_name(it).plain) + indent(level + 1, bool(it.children)))

    class TraceApp(App[None]):
        """Tree of runs and iterations on the left, the selected node's details on the right."""

        CSS = """
        #body { height: 1fr; }
        #tree { width: 50%; min-width: 40; border-right: solid $primary-darken-2; }
        #detail-scroll { width: 1fr; padding: 0 1; }
        """
        BINDINGS: ClassVar[list[BindingType]] = [
            Binding("q", "quit", "Quit"),
            Binding("e", "expand_all", "Expand all"),
            Binding("c", "collapse_all", "Collapse all"),
        ]

        def __init__(self) -> None:
            super().__init__()
            self.view = view
            self.selected: Run | Iteration | None = None
            self.title = "recursor trace"
            self.sub_title = for_terminal(view.path.name if view.path else "") + (
                f" · {view.totals.calls} calls · {format_tokens(view.totals.tokens)} tok · "
                f"{format_cost(view.totals)}"
            )

        def compose(self) -> ComposeResult:
            yield Header()
            with Horizontal(id="body"):
                tree: Tree[Run | Iteration | None] = Tree("trace", id="tree")
                tree.show_root = False
                tree.guide_depth = guide
                yield tree
                with VerticalScroll(id="detail-scroll"):
                    yield Static(Text("select a run or an iteration"), id="detail")
            yield Footer()

        def on_mount(self) -> None:
            tree: Tree[Run | Iteration | None] = self.query_one("#tree", Tree)
            for root in view.roots:
                self._add_run(tree.root, root, 0)
            tree.root.expand_all()
            tree.cursor_line = 0  # the root run is highlighted and its details shown
            tree.focus()
            if view.root is not None:
                self.show(view.root)
            if not view.roots:
                self.query_one("#detail", Static).update(Text("This trace has no runs."))

        def _add_run(self, parent: TreeNode[Run | Iteration | None], run: Run, level: int) -> None:
            node = parent.add(node_label(run, width - indent(level, True)), data=run)
            for it in run.iterations:
                label = node_label(it, width - indent(level + 1, bool(it.children)))
                if it.children:
                    it_node = node.add(label, data=it)
                    for child in it.children:
                        self._add_run(it_node, child, level + 2)
                else:
                    node.add_leaf(label, data=it)
            for child in run.children:
                if child.parent_iteration is None:
                    self._add_run(node, child, level + 1)

        def show(self, data: Run | Iteration | None) -> None:
            if data is None:
                return
            self.selected = data
            if isinstance(data, Run):
                content = run_detail(self.view, data)
            else:
                owner = self.view.runs.get(data.run_id) or Run(run_id=data.run_id)
                content = iteration_detail(owner, data)
            self.query_one("#detail", Static).update(content)
            self.query_one("#detail-scroll", VerticalScroll).scroll_home(animate=False)

        def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[Any]) -> None:
            self.show(event.node.data)

        def on_tree_node_selected(self, event: Tree.NodeSelected[Any]) -> None:
            self.show(event.node.data)

        def action_expand_all(self) -> None:
            self.query_one("#tree", Tree).root.expand_all()

        def action_collapse_all(self) -> None:
            tree = self.query_one("#tree", Tree)
            for child in tree.root.children:
                child.collapse_all()

    return TraceApp()


def _level(view: TraceView, run: Run) -> int:
    """Tree depth of a run's row: two rows per generation (the run, then the iteration)."""
    level = 0
    current = run
    while current.parent_id is not None and current.parent_id in view.runs:
        level += 2 if current.parent_iteration is not None else 1
        current = view.runs[current.parent_id]
    return level


def run_tui(view: TraceView) -> None:
    """Open the terminal viewer and block until the user quits."""
    build_app(view).run()
