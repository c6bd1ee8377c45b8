"""Result.evidence: what a run read of its context that supports its answer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM
from recursor.evidence import select
from recursor.prompts_small import SmallModelPrompts
from recursor.sandbox import helpers

FILLER = "The grass is green. The sky is blue. "
NEEDLE = "One of the special magic numbers for shiny-cat is: 7654321."


def needle_context(n: int = 200_000) -> str:
    half = FILLER * (n // (2 * len(FILLER)))
    return half + NEEDLE + " " + half


def run(script: list[str], context: Any, tmp_path: Path, prompts: str = "small") -> Any:
    """A run on `script`; small mode without its first look, so only the cells read (the look's
    lines are evidence too: tests/test_orient.py)."""
    root = FakeScriptedLM(script)
    chosen = SmallModelPrompts(orient=False) if prompts == "small" else prompts
    return RLM(root, prompts=chosen, trace_dir=tmp_path, mode="rlm").complete(  # type: ignore[arg-type]
        "What is shiny-cat's magic number?", context)


def events(result: Any) -> list[dict[str, Any]]:
    return [json.loads(line) for line in Path(result.trace_path).read_text().splitlines()]


def test_grep_then_final_gives_the_needles_range(tmp_path: Path) -> None:
    context = needle_context()
    result = run(["```repl\nhits = grep('shiny-cat')\n```", "FINAL(7654321)"], context, tmp_path)
    assert result.answer == "7654321"
    start = context.index(NEEDLE)
    assert result.evidence == [{
        "key": None, "start": start, "end": start + len(NEEDLE), "line_start": 1, "line_end": 1,
        "text": NEEDLE,
    }]
    kinds = [e["event"] for e in events(result)]
    assert kinds[-2:] == ["evidence", "run_end"]
    assert events(result)[-2]["items"] == result.evidence


def test_cite_marks_a_range_in_any_prompt_set(tmp_path: Path) -> None:
    context = needle_context()
    code = "i = context.index('7654321')\ncite(i, i + 7)\nFINAL(context[i:i + 7])"
    result = run([f"```repl\n{code}\n```"], context, tmp_path, prompts="general")
    i = context.index("7654321")
    assert [(e["key"], e["start"], e["end"], e["text"]) for e in result.evidence] == [
        (None, i, i + 7, "7654321")]


def test_a_dict_context_gives_the_path_and_line_numbers(tmp_path: Path) -> None:
    notes = "first line\nsecond line\nthe vault code is 48213\nlast line\n"
    context = {"docs/a.txt": "nothing here\n" * 50, "docs/notes.md": notes}
    result = run(["```repl\ngrep('vault code')\n```", "FINAL(48213)"], context, tmp_path)
    start = notes.index("the vault code")
    assert result.evidence == [{
        "key": "docs/notes.md", "start": start, "end": start + len("the vault code is 48213"),
        "line_start": 3, "line_end": 3, "text": "the vault code is 48213",
    }]


def test_lines_on_a_dict_context_are_reads(tmp_path: Path) -> None:
    notes = "alpha=1\nbeta=2\ncode=48213\n"
    context = {"x.cfg": "code=1\n", "y.cfg": notes}
    result = run(["```repl\nrows = lines('48213')\nprint(rows)\n```", "FINAL(48213)"], context, tmp_path)
    assert [(e["key"], e["line_start"], e["text"]) for e in result.evidence] == [("y.cfg", 3, "code=48213")]
    assert notes[result.evidence[0]["start"]:result.evidence[0]["end"]] == "code=48213"


def test_no_evidence_when_nothing_was_read(tmp_path: Path) -> None:
    result = run(["```repl\nprint(len(context))\n```", "FINAL(7654321)"], needle_context(2_000), tmp_path)
    assert result.answer == "7654321"
    assert result.evidence == []
    assert "evidence" not in [e["event"] for e in events(result)]


# -- plain reads (sandbox/readlog.py) ---------------------------------------------------------
PLAIN_READS = {
    "slice": "i = context.find('shiny-cat')\nprint(context[i - 20:i + 60])",
    "re.search": "import re\nm = re.search(r'shiny-cat is: (\\d+)', context)\nprint(m.group(1))",
    "compiled finditer": "import re\np = re.compile(r'\\d{7}')\nprint([m.group() for m in p.finditer(context)])",
    "splitlines index": "rows = context.splitlines()\nprint(rows[rows.index(NEEDLE)])",
    "split loop": "for part in context.split('. '):\n    if 'shiny' in part:\n        print(part)",
}


@pytest.mark.parametrize("code", PLAIN_READS.values(), ids=PLAIN_READS.keys())
def test_plain_reads_give_the_needles_range(code: str, tmp_path: Path) -> None:
    context = needle_context().replace(NEEDLE + " ", "\n" + NEEDLE + "\n")
    code = code.replace("NEEDLE", repr(NEEDLE))
    result = run([f"```repl\n{code}\n```", "FINAL(7654321)"], context, tmp_path, prompts="general")
    start = context.index(NEEDLE)
    assert result.evidence, code
    item = result.evidence[0]
    assert item["start"] <= context.index("7654321") < item["end"] <= start + len(NEEDLE) + 60
    assert "7654321" in item["text"] and item["line_start"] == 2


def test_a_peek_elsewhere_is_no_evidence_of_the_needle(tmp_path: Path) -> None:
    context = needle_context()
    result = run(["```repl\nprint(context[:300])\n```", "FINAL(7654321)"], context, tmp_path)
    assert [(e["start"], e["end"]) for e in result.evidence] == [(0, 300)]  # what it looked at


def test_in_process_repl_logs_plain_reads_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from recursor.sandbox import isolation
    from recursor.sandbox.base import SandboxOptions

    monkeypatch.setattr(isolation, "_warned", set())  # said once a process: another test may have

    context = {"docs/a.md": "nothing\n" * 10, "docs/b.md": "intro\nthe vault code is 48213\n"}
    code = "text = context['docs/b.md']\nprint(text[text.find('vault'):])"
    with pytest.warns(Warning, match="inprocess"):
        result = RLM(FakeScriptedLM([f"```repl\n{code}\n```", "FINAL(48213)"]), prompts="general",
                     trace_dir=tmp_path, sandbox=SandboxOptions(isolation="inprocess")).complete(
            "What is the vault code?", context)
    assert [(e["key"], e["line_start"], e["text"]) for e in result.evidence] == [
        ("docs/b.md", 2, "vault code is 48213\n")]


def test_the_worker_context_is_a_plain_str_to_model_code(tmp_path: Path) -> None:
    code = (
        "import json, pickle, re\n"
        "ok = type(context) is str and type(pickle.loads(pickle.dumps(context[:50]))) is str\n"
        "ok = ok and json.loads(json.dumps(context[:40])) == context[:40]\n"
        "ok = ok and type(re.compile('x')) is re.Pattern and type(context.split(' ')) is list\n"
        "print(type(context), ok, llm_query(context[:30]))\n"
        "context[10**9]"
    )
    sub = FakeScriptedLM(default=lambda messages: f"got {len(str(messages[-1]['content']))}")
    result = RLM(FakeScriptedLM([f"```repl\n{code}\n```", "FINAL(done)"]), sub_model=sub,
                 prompts="general", trace_dir=tmp_path).complete("q", needle_context(2_000))
    cell = next(e for e in events(result) if e["event"] == "cell")
    assert cell["stdout"].startswith("<class 'str'> True got ")
    assert "IndexError: string index out of range" in cell["error"]
    assert "readlog" not in cell["error"] and "__getitem__" not in cell["error"]


# -- select ------------------------------------------------------------------------------------
def test_select_keeps_the_reads_that_hold_the_answer() -> None:
    text = "apples are red\nthe answer is Paris, France\npears are green\n"
    reads = [("1.1", (None, 0, 14)), ("1.1", (None, 15, 42)), ("2.1", (None, 43, 58))]
    found = select(text, reads, "Paris, France")
    assert [(e["start"], e["line_start"]) for e in found] == [(15, 2)]


def test_select_matches_distinctive_words_and_falls_back_to_the_last_cell() -> None:
    text = "Alice moved to Lyon in 2019.\nBob stayed.\nCarol left.\n"
    reads = [("1.1", (None, 0, 28)), ("2.1", (None, 29, 40)), ("2.1", (None, 41, 52))]
    assert [e["start"] for e in select(text, reads, "She lives in Lyon since 2019")] == [0]
    # No read supports "unknown": what the last reading cell read is what the answer rests on.
    assert [e["start"] for e in select(text, reads, "unknown")] == [29, 41]


def test_select_joins_overlapping_reads_and_drops_bad_keys() -> None:
    ctx = {"a": "x" * 10 + "needle" + "y" * 10}
    reads = [("1.1", ("a", 5, 14)), ("1.1", ("a", 10, 20)), ("1.1", ("missing", 0, 3)), ("1.1", (None, 0, 3))]
    assert [(e["key"], e["start"], e["end"]) for e in select(ctx, reads, "needle")] == [("a", 5, 20)]
    assert select(["zero", "one needle"], [("1.1", (1, 4, 10))], "needle")[0]["key"] == 1


def test_a_wide_read_counts_only_where_the_answer_is_written() -> None:
    text = "filler line\n" * 500 + "Alice moved to Lyon in 2019.\n" + "filler line\n" * 500
    at = text.index("Alice")
    whole = [("1.1", (None, 0, len(text)))]  # e.g. context.split("\n") in a loop
    [item] = select(text, whole, "2019")
    assert (item["start"], item["end"], item["line_start"]) == (at, at + 28, 501)
    # Its words in one line count as for a short read; nothing written: a wide read is no evidence.
    assert [e["start"] for e in select(text, whole, "Lyon, since 2019 or so")] == [at]
    assert select(text, whole, "Paris") == []
    # The answer written all over it points nowhere; a short read that holds it still counts.
    assert select(text, [*whole, ("2.1", (None, 0, 11))], "filler line") == [
        {"key": None, "start": 0, "end": 11, "line_start": 1, "line_end": 1, "text": "filler line"}]
    # Found by a search and in a chunk: one item.
    near = [("1.1", (None, at, at + 28)), ("2.1", (None, 0, 5000)), ("2.1", (None, 5000, len(text)))]
    assert [(e["start"], e["end"]) for e in select(text, near, "Lyon in 2019")] == [(at, at + 28)]


def test_the_first_hop_of_a_chain_is_kept_after_the_answers_line() -> None:
    lines = ["The project codename for shiny-cat is Falcon.", "The project codename for old-dog is Heron.",
             "The launch code for Heron is 1111111.", "The launch code for Falcon is 7654321.",
             "The launch code for Eagle is 2222222.", "Nothing to see here, really."]
    text = "\n".join(lines)
    reads = [("1.1", (None, text.index(line), text.index(line) + len(line))) for line in lines]
    found = [text[e["start"]:e["end"]] for e in select(text, reads, "7654321")]
    assert found == [lines[3], lines[0]]  # not the other launch codes, nor old-dog's codename


def test_helpers_map_a_list_contexts_reads_to_items() -> None:
    got: list[tuple[Any, int, int]] = []
    old = helpers.context, helpers._cite
    helpers.context, helpers._cite = ["first item", "second has the needle", "third"], (
        lambda s, e, key=None: got.append((key, s, e)))
    try:
        helpers.grep("needle", show=False)
    finally:
        helpers.context, helpers._cite = old
    assert got == [(1, 0, len("second has the needle"))]
    got.clear()
    text = "a\nb needle\n"
    old = helpers.context, helpers._cite
    helpers.context, helpers._cite = text, (lambda s, e, key=None: got.append((key, s, e)))
    try:
        helpers.grep("needle", text, show=False)  # the context passed as `text`: still a read
        helpers.lines("needle", "a\nb needle")  # other text: not a read
    finally:
        helpers.context, helpers._cite = old
    assert got == [(None, 2, 10)]


# -- the viewers -------------------------------------------------------------------------------
def test_viewers_show_the_evidence_under_the_answer(tmp_path: Path) -> None:
    import html
    import io

    from rich.console import Console

    from recursor.trace.tree import load_view
    from recursor.trace.view_html import render_html
    from recursor.trace.view_tui import run_detail

    notes = "one\ntwo\nthe vault code is 48213 <b>loud</b>\n"
    result = run(["```repl\ngrep('vault code')\n```", "FINAL(48213)"], {"docs/notes.md": notes}, tmp_path)
    view = load_view(result.trace_path)
    assert view.roots[0].evidence == result.evidence
    page = render_html(view)
    assert "docs/notes.md:3" in page
    assert html.escape("the vault code is 48213 <b>loud</b>") in page and "<b>loud" not in page
    assert page.index("Evidence") > page.index("Answer")
    console = Console(width=120, record=True, file=io.StringIO(), color_system=None)
    console.print(run_detail(view, view.roots[0]))
    text = console.export_text()
    assert "evidence" in text and "docs/notes.md:3  the vault code is 48213" in text


# -- bench: evidence recall --------------------------------------------------------------------
def test_evidence_recall_on_needle_tasks() -> None:
    from recursor.bench import oolong, sniah, twohop
    from recursor.bench.evidence import evidence_recall, gold_ranges, mean_evidence_recall

    task = sniah.make_task(length_tokens=2_000, seed=1, index=0)
    [(gs, ge)] = gold_ranges(task)
    assert task.context[gs:ge] == task.meta["needle"]

    def item(s: int, e: int, key: Any = None) -> dict[str, Any]:
        return {"key": key, "start": s, "end": e}

    assert evidence_recall(task, [item(gs - 30, ge + 2)]) == 1.0
    assert evidence_recall(task, [item(ge - 7, ge)]) == 1.0  # part of it, e.g. the cited value
    assert evidence_recall(task, [item(0, gs), item(ge, ge + 50), item(gs, ge, "a.txt")]) == 0.0
    assert evidence_recall(task, []) == 0.0
    two = twohop.make_task(length_tokens=2_000, seed=1, index=0)
    hops = gold_ranges(two)
    assert len(hops) == 2
    assert evidence_recall(two, [item(*hops[1])]) == 0.5
    other = oolong.make_task(length_tokens=2_000, seed=1, index=0)
    assert evidence_recall(other, [item(0, 10)]) is None
    assert mean_evidence_recall([(task, [item(gs, ge)]), (two, [item(*hops[1])]), (other, [])]) == 0.75
