"""Any string model code produces is carried safely: trace, HTTP clients, viewers.

Lone surrogates (`'\\ud800'`, or `'\\udcff'` from bytes decoded with `surrogateescape`) cannot
be encoded as UTF-8; these runs print them from a real worker and check nothing crashes and
each place keeps or replaces them as documented in docs/faults.md.
"""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from fakes.openai_server import FakeOpenAIServer, Reply
from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM
from recursor.cli import main
from recursor.lm.openai_compat import OpenAICompatibleLM
from recursor.trace.reader import read_events
from recursor.trace.tree import load_view
from recursor.trace.view_html import render_html
from recursor.trace.view_tui import build_app, iteration_detail, run_detail

PRINT_SURROGATES = "```repl\nprint('x\\ud800y', b'\\xff\\xfe'.decode('utf-8', 'surrogateescape'))\n```"
LONG_SURROGATES = "```repl\nprint('\\udc80' * 9000)\n```"  # over the blob threshold


def test_trace_keeps_lone_surrogates_exactly(tmp_path: Path) -> None:
    root = FakeScriptedLM([PRINT_SURROGATES, LONG_SURROGATES, "FINAL(got x\ud800y)"])
    result = RLM(root, trace_dir=tmp_path).complete("q", "ctx \udcff")
    assert result.stopped_by == "final" and result.answer == "got x\ud800y"
    assert result.trace_path is not None
    raw = result.trace_path.read_bytes()
    raw.decode("utf-8")  # every line is valid UTF-8: the surrogates are JSON escapes
    assert b"\\ud800" in raw
    events = read_events(result.trace_path)
    stdouts = [e["stdout"] for e in events if e["event"] == "cell"]
    assert stdouts[0] == "x\ud800y \udcff\udcfe\n"
    assert stdouts[1] == "\udc80" * 9000 + "\n"  # through a blob
    assert [e["answer"] for e in events if e["event"] == "run_end"] == ["got x\ud800y"]
    # The model saw the output the worker printed (the engine passes it on unchanged).
    assert "x\ud800y" in root.calls[1].messages[-1]["content"]


def test_run_with_http_model_sends_surrogate_output_as_replacement_chars(tmp_path: Path) -> None:
    """The cell's output goes into the next request: the client must encode it."""
    with FakeOpenAIServer() as server:
        lm = OpenAICompatibleLM("m", base_url=server.base_url, api_key_env=None)
        for trace_dir in (tmp_path, False):  # with the trace off, the client met it first
            server.push(Reply(PRINT_SURROGATES), Reply("FINAL(ok)"))
            result = RLM(lm, trace_dir=trace_dir).complete("q", "ctx")
            assert (result.stopped_by, result.answer) == ("final", "ok")
        second = server.requests[1].json["messages"][-1]["content"]
    assert "x\ufffdy \ufffd\ufffd" in second
    assert len(server.requests) == 4


def test_trace_files_are_private(tmp_path: Path) -> None:
    trace_dir = tmp_path / "new" / "traces"
    result = RLM(FakeScriptedLM([LONG_SURROGATES, "FINAL(ok)"]), trace_dir=trace_dir).complete("q", "c" * 10_000)
    assert result.trace_path is not None
    blobs = trace_dir / "blobs"
    assert stat.S_IMODE(os.stat(trace_dir).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(blobs).st_mode) == 0o700
    files = [result.trace_path, *blobs.iterdir()]
    assert len(files) >= 3  # the trace, a long output, the context copy
    assert {f.name.split("-")[0] for f in blobs.iterdir()} >= {"context"}
    assert {stat.S_IMODE(os.stat(f).st_mode) for f in files} == {0o600}


def test_existing_loose_trace_dir_keeps_its_mode_but_files_are_private(tmp_path: Path) -> None:
    trace_dir = tmp_path / "shared"
    trace_dir.mkdir(mode=0o755)
    os.chmod(trace_dir, 0o755)
    result = RLM(FakeScriptedLM(["```repl\nprint(1)\n```", "FINAL(ok)"]), trace_dir=trace_dir).complete("q", "c")
    assert result.trace_path is not None
    assert stat.S_IMODE(os.stat(trace_dir).st_mode) == 0o755
    assert stat.S_IMODE(os.stat(trace_dir / "blobs").st_mode) == 0o700
    assert stat.S_IMODE(os.stat(result.trace_path).st_mode) == 0o600


# -- viewers -------------------------------------------------------------------------------------------
ESCAPES = "a\x1b]52;c;aGk=\x07b\x1b[2Jc\x9bd\u202ee\ud800f"
HOSTILE_CELL = f"```repl\nprint({ESCAPES!r})\nx = {ESCAPES!r}\n```"


@pytest.fixture
def hostile_trace(tmp_path: Path) -> Path:
    return _hostile_trace(tmp_path)


def _hostile_trace(tmp_path: Path) -> Path:
    root = FakeScriptedLM([HOSTILE_CELL, f"FINAL({ESCAPES})"])
    result = RLM(root, trace_dir=tmp_path / "tr").complete(f"q {ESCAPES}", "ctx")
    assert result.trace_path is not None
    return result.trace_path


def _rendered(renderable: object) -> str:
    console = Console(width=120, file=io.StringIO(), color_system=None, force_terminal=False)
    console.print(renderable)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(out, str)
    return out


def test_tui_panes_show_escapes_instead_of_sending_them(tmp_path: Path) -> None:
    view = load_view(_hostile_trace(tmp_path))
    run = view.runs["root"]
    panes = _rendered(run_detail(view, run)) + _rendered(iteration_detail(run, run.iterations[0]))
    assert "\\x1b]52;c;aGk=\\x07b\\x1b[2Jc\\x9bd\\u202ee\\ud800f" in panes
    assert not any(ch in panes for ch in "\x1b\x07\x9b\u202e\ud800")
    panes.encode("utf-8")


async def test_tui_app_runs_on_a_hostile_trace(hostile_trace: Path) -> None:
    pytest.importorskip("textual")
    from textual.widgets import Static

    view = load_view(hostile_trace)
    app = build_app(view)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        await pilot.press("down")
        await pilot.pause()
        shown = _rendered(app.query_one("#detail", Static).content)
    assert "\\x1b]52" in shown and "\x1b" not in shown


def test_html_page_encodes_and_escapes(tmp_path: Path) -> None:
    page = render_html(load_view(_hostile_trace(tmp_path)))
    page.encode("utf-8")  # lone surrogates became U+FFFD
    assert "a\x1b]52;c;aGk=\x07b" in page.replace("\ufffd", "")  # HTML shows text as is; only encoding is fixed
    out = tmp_path / "page.html"
    result = CliRunner().invoke(main, ["view", str(_hostile_trace(tmp_path / "again")), "--html", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().decode("utf-8")
