"""The trace viewer: the view model, the HTML page (checked in headless Chromium), the TUI, the CLI."""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rich.console import Console

from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM, Limits, Message, Pricing
from recursor.cli import main
from recursor.trace.reader import read_events
from recursor.trace.tree import Iteration, Run, TraceView, build_view, load_view
from recursor.trace.view_html import render_html

PAYLOAD = "</script><img src=x onerror=alert(1)><script>document.body.dataset.pwned=1</script>"
MARKUP = "[bold red]not markup[/bold red] [/]"


def _child(messages: Sequence[Message]) -> str:
    """The sub-model: a child run's root when it gets a system prompt, else a plain answer."""
    if messages[0]["role"] == "system":
        if not any(m["role"] == "assistant" for m in messages):
            return ("Size first, then ask a sub-model.\n```repl\nprint(len(context))\n"
                    "label = llm_query('Classify: ' + context)\nprint(label)\n```")
        return "FINAL_VAR(label)"
    return "ENTITY" if "Classify" in messages[-1]["content"] else "plain"


def _make_trace(trace_dir: Path) -> Path:
    root = FakeScriptedLM([
        "Look first.\n```repl\nprint(context[:24])\nlines = context.splitlines()\n```",
        "```repl\nratio = 1/0\n```",
        "```repl\nlabels = rlm_query_batched(['Label it'] * 2, contexts=lines[:2])\n"
        f"print(labels)\nprint({PAYLOAD!r})\nprint({MARKUP!r})\n```",
        "FINAL(2 entities)",
    ])
    sub = FakeScriptedLM(default=_child, model="gpt-5-mini")
    rlm = RLM(root, sub_model=sub, limits=Limits(max_depth=2), trace_dir=trace_dir,
              pricing=Pricing({"fake-model": (1.25, 10.0)}))
    result = rlm.complete("How many lines are about entities?", "alpha line one\nbeta line two\ngamma")
    assert result.answer == "2 entities" and result.trace_path is not None
    return result.trace_path


@pytest.fixture(scope="module")
def trace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _make_trace(tmp_path_factory.mktemp("viewer") / "traces")


@pytest.fixture(scope="module")
def view(trace: Path) -> TraceView:
    return load_view(trace)


def _iteration(view: TraceView, run_id: str, number: int) -> Iteration:
    return next(i for i in view.runs[run_id].iterations if i.number == number)


# -- the view model ---------------------------------------------------------------------------------
def test_tree_of_runs_iterations_cells_and_subcalls(view: TraceView) -> None:
    root = view.root
    assert root is not None and root.run_id == "root" and root.status == "final"
    assert [r.run_id for r in view.walk()] == ["root", "root.1", "root.2"]
    assert [i.number for i in root.iterations] == [1, 2, 3, 4]
    assert _iteration(view, "root", 1).cells[0].stdout.startswith("alpha line one")
    assert "ZeroDivisionError" in (_iteration(view, "root", 2).cells[0].error or "")
    third = _iteration(view, "root", 3)
    assert [c.run_id for c in third.children] == ["root.1", "root.2"]
    assert all(c.parent_iteration == 3 and c.parent_cell == 1 for c in third.children)
    for child in third.children:
        first = child.iterations[0]
        assert child.depth == 1 and child.finished and child.answer == "ENTITY"
        assert [c.cell for c in first.sub_calls] == [1]  # the llm_query came from cell 1
        assert first.sub_calls[0].reply == "ENTITY"
        assert first.cells[0].stdout.splitlines()[-1] == "ENTITY"


def test_cells_are_inferred_when_the_trace_does_not_link_them(trace: Path, view: TraceView) -> None:
    """v1 traces have no `cell` / `parent_cell`: event order gives the same tree."""
    events = [{k: v for k, v in e.items() if k not in ("cell", "parent_cell")} for e in read_events(trace)]
    old = build_view(events)

    def links(v: TraceView) -> list[tuple[str, int, int | None, list[int | None]]]:
        return [(r.run_id, i.number, r.parent_cell, [c.cell for c in i.sub_calls])
                for r in v.walk() for i in r.iterations]

    assert links(old) == links(view)
    assert all(c.cell is not None for r in old.walk() for i in r.iterations for c in i.sub_calls)


def test_totals_roll_up_from_children(trace: Path, view: TraceView) -> None:
    calls = [e for e in read_events(trace) if e["event"] == "lm_call"]
    root = view.root
    assert root is not None
    assert view.totals.calls == len(calls) == root.totals.calls
    assert view.totals.input_tokens == sum(e["usage"]["input_tokens"] for e in calls)
    assert view.totals.cost_usd == pytest.approx(sum(e["cost_usd"] for e in calls))
    children = view.runs["root.1"].totals.tokens + view.runs["root.2"].totals.tokens
    assert root.totals.tokens == root.own.tokens + children
    third = _iteration(view, "root", 3)
    assert third.totals.tokens == third.own.tokens + children
    assert sum(i.totals.tokens for i in root.iterations) == root.totals.tokens
    assert root.duration is not None and third.duration is not None and root.duration >= third.duration


def test_killed_run_shows_unfinished(trace: Path, tmp_path: Path) -> None:
    lines = trace.read_text().splitlines()
    cut = next(i for i, line in enumerate(lines) if json.loads(line)["event"] == "run_end")
    killed = tmp_path / "killed.jsonl"
    killed.write_text("\n".join(lines[:cut]) + '\n{"v": 1, "seq": 99, "event": "cel')  # torn last line
    view = load_view(killed)
    assert {r.run_id: r.status for r in view.walk()} == {
        "root": "unfinished", "root.1": "unfinished", "root.2": "unfinished"}
    page = render_html(view)
    assert "No run_end event" in page


def test_unknown_events_and_optional_fields_are_tolerated() -> None:
    events: list[dict[str, Any]] = [
        {"event": "trace_start", "ts": 1.0, "recursor": "9.9", "trace_id": "t1"},
        {"event": "run_start", "ts": 1.0, "run_id": "root", "depth": 0, "question": "q"},
        {"event": "lm_call", "ts": 2.0, "run_id": "root", "call_id": "c1", "role": "root", "reply": "r",
         "usage": {"input_tokens": 10, "output_tokens": 5}, "cost_usd": 0.5, "duration": 1.0},
        {"event": "hologram", "ts": 2.1, "run_id": "root", "anything": [1, 2]},
        {"event": "cell_start", "ts": 2.2, "run_id": "root", "iteration": 1, "index": 1},
        {"event": "lm_call", "ts": 2.25, "run_id": "root", "call_id": "c9", "role": "sub", "cell": None,
         "reply": "from a thread", "usage": {"input_tokens": 1, "output_tokens": 1}, "cost_usd": 0.0},
        {"event": "cell", "ts": 2.3, "run_id": "root", "iteration": 1, "index": 1, "code": "a", "stdout": ""},
        {"event": "cell_start", "ts": 2.4, "run_id": "root", "iteration": 1, "index": 2},
        {"event": "retry", "ts": 2.5, "run_id": "root", "call_id": "c2", "attempt": 1, "error": "429", "wait": 1},
        {"event": "lm_call", "ts": 3.0, "run_id": "root", "call_id": "c2", "role": "sub", "cell": "1.2",
         "reply": "s", "usage": {"input_tokens": 3, "output_tokens": 1}, "cached": True, "source": "disk"},
        {"event": "run_start", "ts": 3.1, "run_id": "root.1", "parent_call": "root", "depth": 1,
         "parent_cell": {"iteration": 1, "index": 2}, "question": "child"},
        {"event": "lm_call", "ts": 3.2, "run_id": "root.1", "call_id": "c3", "role": "root", "reply": "x",
         "usage": {"input_tokens": 7, "output_tokens": 2}, "cost_usd": None},
        {"event": "limit", "ts": 3.3, "run_id": "root.1", "role": "root", "limit": "max_usd"},
        {"event": "run_end", "ts": 3.4, "run_id": "root.1", "answer": "a", "stopped_by": "max_usd", "iterations": 1},
        "not even a dict",  # type: ignore[list-item]
    ]
    view = build_view(events)
    assert view.meta["recursor"] == "9.9"
    assert view.ignored["hologram"] == 1
    first = _iteration(view, "root", 1)
    assert first.running == [2]  # started, never reported: the trace ends mid-cell
    assert [c.call_id for c in first.calls_of(None)] == ["c9"]  # the trace said: no cell
    sub = first.calls_of(2)[0]
    assert (sub.call_id, sub.cached, sub.source, len(sub.retries)) == ("c2", True, "disk", 1)
    child = view.runs["root.1"]
    assert (child.parent_iteration, child.parent_cell, child.status) == (1, 2, "max_usd")
    assert any("max_usd" in n for n in child.notes)
    root = view.runs["root"]
    assert root.status == "unfinished"
    assert root.totals.calls == 4 and root.totals.tokens == 30 and root.totals.cached == 1
    assert root.totals.cost_usd == 0.5 and root.totals.unpriced == 1
    render_html(view)  # renders without any of the fields it could have used


def test_a_run_without_run_start_is_still_shown() -> None:
    view = build_view([{"event": "cell", "run_id": "root.3", "iteration": 2, "index": 1, "code": "x = 1"}])
    assert [r.run_id for r in view.walk()] == ["root.3"]
    assert view.runs["root.3"].iterations[0].cells[0].code == "x = 1"


# -- HTML ----------------------------------------------------------------------------------------------
def test_html_is_self_contained_and_escaped(view: TraceView) -> None:
    page = render_html(view)
    assert PAYLOAD not in page and "<img" not in page
    assert html.escape(PAYLOAD, quote=True) in page
    assert "Content-Security-Policy" in page and html.escape("default-src 'none'") in page
    assert not re.search(r"""(src|href)=["']?(https?:|//)|<link|@import|url\(""", page)
    assert page.count("<script>") == 1


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium not installed (apt-get install chromium); CI installs it")


def _chromium(tmp_path: Path, url: str, *extra: str) -> str:
    assert CHROMIUM is not None
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
           f"--user-data-dir={tmp_path / 'chromium-profile'}", *extra, url]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _articles(dom: str) -> dict[str, bool]:
    """node id -> whether its detail article is shown (not hidden) in the DOM."""
    return {m.group(2): "hidden" not in m.group(1) + m.group(3) for m in
            re.finditer(r'<article class="detail"([^>]*?)data-node="(n\d+)"([^>]*)>', dom)}


@needs_chromium
def test_html_in_headless_chromium(view: TraceView, tmp_path: Path) -> None:
    page = tmp_path / "trace.html"
    page.write_text(render_html(view), encoding="utf-8")
    dom = _chromium(tmp_path, page.as_uri(), "--dump-dom")
    assert 'data-ready="1"' in dom, "the page's script did not run"
    body = re.search(r"<body[^>]*>", dom)
    assert body is not None and "pwned" not in body.group(0)  # the payload's script never ran
    # The run tree: every run id, the selected root, the totals in the header.
    for run_id in ("root", "root.1", "root.2"):
        assert f'<span class="name">{run_id}</span>' in dom
    assert 'data-selected="n0"' in dom
    shown = _articles(dom)
    assert shown["n0"] and sum(shown.values()) == 1
    totals = dom.split('id="totals"')[1].split("</div></header>")[0]
    assert f">{view.totals.input_tokens:,}<" in totals and f">{view.totals.calls:,}<" in totals
    # The cells: code, output, the error; the hostile output stays text.
    assert "ratio = 1/0" in dom and "ZeroDivisionError" in dom
    assert html.escape("print(context[:24])", quote=False) in dom
    assert "<img" not in dom and html.escape(PAYLOAD, quote=False) in dom
    assert MARKUP in dom


@needs_chromium
def test_html_selects_the_node_named_in_the_url(view: TraceView, tmp_path: Path) -> None:
    page = tmp_path / "trace.html"
    text = render_html(view)
    page.write_text(text, encoding="utf-8")
    # the detail of root.1's first iteration
    nid = re.search(r'data-node="(n\d+)"[^>]*><h2><a [^>]*>root\.1</a> · iteration 1<', text)
    assert nid is not None
    dom = _chromium(tmp_path, page.as_uri() + "#" + nid.group(1), "--dump-dom")
    shown = _articles(dom)
    assert shown[nid.group(1)] and sum(shown.values()) == 1
    assert f'data-selected="{nid.group(1)}"' in dom
    shot = tmp_path / "shot.png"
    _chromium(tmp_path, page.as_uri(), "--window-size=1280,900", f"--screenshot={shot}")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


# -- the terminal UI ----------------------------------------------------------------------------------
def _plain(renderable: Any) -> str:
    console = Console(width=120, record=True, file=io.StringIO(), color_system=None)
    console.print(renderable)
    return console.export_text()


async def test_tui_shows_the_selected_nodes_code(view: TraceView) -> None:
    pytest.importorskip("textual")
    from textual.widgets import Static, Tree

    from recursor.trace.view_tui import build_app

    app = build_app(view)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        detail = app.query_one("#detail", Static)
        assert "How many lines are about entities?" in _plain(detail.content)  # the root run first
        tree = app.query_one("#tree", Tree)
        assert [n.data.run_id for n in tree.root.children if isinstance(n.data, Run)] == ["root"]
        await pilot.press("down", "down")  # root -> iteration 1 -> iteration 2
        await pilot.pause()
        selected = app.selected  # type: ignore[attr-defined]
        assert isinstance(selected, Iteration) and (selected.run_id, selected.number) == ("root", 2)
        text = _plain(detail.content)
        assert "ratio = 1/0" in text and "ZeroDivisionError" in text
        await pilot.press("down")  # iteration 3: the batched child runs and the hostile output
        await pilot.pause()
        text = _plain(detail.content)
        assert "rlm_query_batched" in text and "root.1" in text and MARKUP in text and PAYLOAD in text
        await pilot.press("down", "down")  # into child run root.1, iteration 1
        await pilot.pause()
        selected = app.selected  # type: ignore[attr-defined]
        assert isinstance(selected, Iteration) and selected.run_id == "root.1"
        text = _plain(detail.content)
        assert "llm_query('Classify: ' + context)" in text and "ENTITY" in text


# -- the command ---------------------------------------------------------------------------------------
def test_cli_view_html(trace: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "page.html"
    result = CliRunner().invoke(main, ["view", str(trace), "--html", str(out)])
    assert result.exit_code == 0, result.output
    assert "root.1" in out.read_text(encoding="utf-8")


def test_cli_view_finds_the_newest_trace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    trace_dir = tmp_path / "traces"
    trace = _make_trace(trace_dir)
    monkeypatch.setenv("RECURSOR_TRACE_DIR", str(trace_dir))
    for name in ("last", trace.stem, str(trace_dir)):
        out = tmp_path / f"{abs(hash(name))}.html"
        result = CliRunner().invoke(main, ["view", name, "--html", str(out)])
        assert result.exit_code == 0, result.output
        assert trace.name in out.read_text(encoding="utf-8")


def test_cli_view_errors(tmp_path: Path, trace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = CliRunner().invoke(main, ["view", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 1 and "no trace at" in result.output
    monkeypatch.setitem(sys.modules, "textual", None)  # as if textual were not installed
    result = CliRunner().invoke(main, ["view", str(trace)])
    assert result.exit_code == 1
    assert "pip install 'recursor[viewer]'" in result.output
