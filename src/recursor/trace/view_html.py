"""`recursor view TRACE --html out.html`: one self-contained HTML page of a trace.

The page is rendered on the host from the view model, so it reads without JavaScript (every
node's details stacked); a small inline script adds the two-pane browser (select a node in the
run tree, see its details) and keyboard navigation. Nothing is fetched from anywhere.

Model replies, code and output are hostile input: every string goes through `html.escape`,
no trace text is ever placed inside the script, and a Content-Security-Policy allows only this
page's own script (by hash) and no handlers, so even a missed escape could not run code.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from recursor.safetext import well_formed
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
    load_view,
)

__all__ = ["render_html", "write_html"]

#: Longest text shown inline for one field; the rest is cut with a note (the trace keeps it all).
DEFAULT_MAX_CHARS = 20_000


def write_html(trace: Path | str, out: Path | str, *, max_chars: int = DEFAULT_MAX_CHARS) -> Path:
    """Render the trace at `trace` into the page `out`; returns `out`."""
    view = load_view(trace)
    out = Path(out)
    if out.parent and not out.parent.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(view, max_chars=max_chars), encoding="utf-8")
    return out


def _e(value: Any) -> str:
    """HTML-escaped text; lone surrogates (model code prints them) become U+FFFD so the page encodes."""
    return html.escape(well_formed("" if value is None else str(value)), quote=True)


def _evidence(items: list[dict[str, Any]]) -> str:
    """The evidence items as a list: where each is, and its excerpt."""
    rows = "".join(
        f'<li><code class="place">{_e(evidence_place(item))}</code>'
        f'<pre class="prose evidence">{_e(str(item.get("text") or ""))}</pre></li>'
        for item in items
    )
    return f'<ol class="evidence" aria-label="evidence">{rows}</ol>'


class _Page:
    """Renders one view; node ids are counters, never trace text."""

    def __init__(self, view: TraceView, max_chars: int) -> None:
        self.view = view
        self.max_chars = max_chars
        self.ids: dict[int, str] = {}
        self.details: list[str] = []
        for run in view.walk():
            self._id(run)
            for it in run.iterations:
                self._id(it)

    def _id(self, node: Run | Iteration) -> str:
        key = id(node)
        if key not in self.ids:
            self.ids[key] = f"n{len(self.ids)}"
        return self.ids[key]

    # -- pieces ----------------------------------------------------------------------------
    def text(self, value: str | None, cls: str = "", label: str = "") -> str:
        """A <pre> block of untrusted text, cut at max_chars with a note."""
        value = value or ""
        cut = ""
        if len(value) > self.max_chars:
            cut = (f'<div class="cut">… {len(value) - self.max_chars:,} more characters '
                   f"not shown (the trace has them all)</div>")
            value = value[: self.max_chars]
        aria = f' aria-label="{_e(label)}"' if label else ""
        return f'<pre class="{_e(cls)}"{aria}>{_e(value)}</pre>{cut}'

    def link(self, node: Run | Iteration, label: str) -> str:
        nid = self._id(node)
        return f'<a href="#{nid}" data-goto="{nid}">{_e(label)}</a>'

    @staticmethod
    def nums(t: Totals, seconds: float | None) -> str:
        cost_title = f' title="{t.unpriced} call(s) without a known price"' if t.unpriced else ""
        return (f'<span class="num calls">{t.calls:,}</span>'
                f'<span class="num tok" title="in {t.input_tokens:,} / out {t.output_tokens:,}">'
                f"{format_tokens(t.tokens)}</span>"
                f'<span class="num cost"{cost_title}>{_e(format_cost(t))}</span>'
                f'<span class="num time">{_e(format_duration(seconds))}</span>')

    @staticmethod
    def badge(status: str) -> str:
        cls = {"final": "ok", "unfinished": "warn", "lm_error": "bad"}.get(status, "limit")
        return f'<span class="badge {cls}">{_e(status)}</span>'

    def totals_table(self, rows: Iterable[tuple[str, Totals, float | None]]) -> str:
        body = "".join(
            f"<tr><th>{_e(name)}</th><td>{t.calls:,}</td><td>{t.input_tokens:,}</td>"
            f"<td>{t.output_tokens:,}</td><td>{_e(format_cost(t))}</td><td>{_e(format_duration(sec))}</td>"
            f"<td>{t.cached:,}</td></tr>"
            for name, t, sec in rows
        )
        return ('<table class="grid totals"><thead><tr><th></th><th>calls</th><th>input tok</th>'
                "<th>output tok</th><th>cost</th><th>time</th><th>cached</th></tr></thead>"
                f"<tbody>{body}</tbody></table>")

    @staticmethod
    def facts(items: Iterable[tuple[str, str]]) -> str:
        """A definition list; values are already-escaped HTML."""
        return '<dl class="facts">' + "".join(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in items) + "</dl>"

    # -- the tree --------------------------------------------------------------------------
    def tree_run(self, run: Run) -> str:
        nid = self._id(run)
        model = f'<span class="muted">{_e(run.root_model)}</span>' if run.root_model else ""
        summary = (f'<summary class="row run" data-node="{nid}" tabindex="0">'
                   f'<span class="label"><span class="twisty" aria-hidden="true"></span>'
                   f'<span class="name">{_e(run.run_id)}</span> {self.badge(run.status)} {model}</span>'
                   f"{self.nums(run.totals, run.duration)}</summary>")
        inner = "".join(self.tree_iteration(it) for it in run.iterations)
        orphans = [c for c in run.children if c.parent_iteration is None]
        inner += "".join(self.tree_run(c) for c in orphans)
        return f'<li><details open>{summary}<ul>{inner}</ul></details></li>'

    def tree_iteration(self, it: Iteration) -> str:
        nid = self._id(it)
        tags = []
        if it.final_turn:
            tags.append('<span class="tag">answer-now turn</span>')
        if it.cells:
            tags.append(f'<span class="tag">{len(it.cells)} cell{"s" if len(it.cells) != 1 else ""}</span>')
        if it.errors:
            tags.append(f'<span class="tag bad">{it.errors} error{"s" if it.errors != 1 else ""}</span>')
        if it.sub_calls:
            tags.append(f'<span class="tag">{len(it.sub_calls)} llm_query</span>')
        if it.root_call is not None and it.root_call.error:
            tags.append('<span class="tag bad">LM error</span>')
        if it.running:
            tags.append('<span class="tag bad">cut off</span>')
        if it.root_call is not None and it.root_call.cached:
            tags.append(f'<span class="tag">{_e(it.root_call.source or "cached")}</span>')
        label = (f'<span class="label"><span class="twisty" aria-hidden="true"></span>'
                 f'<span class="name">iteration {it.number}</span> {"".join(tags)}</span>')
        nums = self.nums(it.totals, it.duration)
        if not it.children:
            return f'<li><div class="row iter leaf" data-node="{nid}" tabindex="0">{label}{nums}</div></li>'
        kids = "".join(self.tree_run(c) for c in it.children)
        return (f'<li><details open><summary class="row iter" data-node="{nid}" tabindex="0">'
                f"{label}{nums}</summary><ul>{kids}</ul></details></li>")

    # -- details ---------------------------------------------------------------------------
    def detail_run(self, run: Run) -> None:
        nid = self._id(run)
        parent = self.view.runs.get(run.parent_id) if run.parent_id else None
        facts: list[tuple[str, str]] = [("status", self.badge(run.status))]
        if parent is not None:
            where = self.link(parent, parent.run_id)
            it = next((i for i in parent.iterations if i.number == run.parent_iteration), None)
            if it is not None:
                where += " · " + self.link(it, f"iteration {it.number}")
                if run.parent_cell is not None:
                    where += f" · cell {run.parent_cell}"
            facts.append(("started by", where))
        facts.append(("depth", _e(run.depth)))
        facts.append(("models", f"root <code>{_e(run.root_model or '?')}</code> · sub <code>{_e(run.sub_model or '?')}</code>"))
        if run.context:
            facts.append(("context", f"{_e(run.context.get('kind', '?'))}, "
                                     f"{_e(format_tokens(int(run.context.get('n_chars') or 0)))} characters"))
        facts.append(("iterations", _e(len(run.iterations))))
        facts.append(("wall time", _e(format_duration(run.duration))))
        if run.resumed:
            facts.append(("resumed", _e(f"{run.resumed} time(s)")))
        parts = [f'<h2>run <span class="name">{_e(run.run_id)}</span></h2>', self.facts(facts)]
        parts.append("<h3>Question</h3>" + self.text(run.question, "prose", "question"))
        if run.finished:
            parts.append("<h3>Answer</h3>" + self.text(run.answer, "prose answer", "answer"))
            if run.evidence:
                parts.append("<h3>Evidence</h3>" + _evidence(run.evidence))
        else:
            parts.append('<p class="note warn">No run_end event: this run was killed or was still '
                         "running when the trace was read.</p>")
        if run.error:
            parts.append("<h3>Error</h3>" + self.text(run.error, "err"))
        for note in run.notes:
            parts.append(f'<p class="note">{_e(note)}</p>')
        parts.append("<h3>Usage</h3>" + self.totals_table([
            ("this run", run.own, run.duration),
            ("with child runs", run.totals, run.duration),
        ]))
        if run.iterations:
            rows = "".join(
                f"<tr><td>{self.link(it, f'iteration {it.number}')}</td><td>{len(it.cells)}</td>"
                f"<td>{it.errors}</td><td>{len(it.sub_calls)}</td><td>{len(it.children)}</td>"
                f"<td>{format_tokens(it.totals.tokens)}</td><td>{_e(format_cost(it.totals))}</td>"
                f"<td>{_e(format_duration(it.duration))}</td></tr>"
                for it in run.iterations
            )
            parts.append('<h3>Iterations</h3><table class="grid"><thead><tr><th></th><th>cells</th>'
                         "<th>errors</th><th>llm_query</th><th>child runs</th><th>tokens</th>"
                         f"<th>cost</th><th>time</th></tr></thead><tbody>{rows}</tbody></table>")
        if run.limits:
            limits = ", ".join(f"{_e(k)}={_e(v)}" for k, v in run.limits.items() if v is not None)
            parts.append(f'<details class="more"><summary>Limits</summary><p class="mono">{limits}</p></details>')
        self.details.append(f'<article class="detail" id="d-{nid}" data-node="{nid}">{"".join(parts)}</article>')

    def detail_iteration(self, run: Run, it: Iteration) -> None:
        nid = self._id(it)
        title = f"iteration {it.number}" + (" (answer-now turn)" if it.final_turn else "")
        parts = [f'<h2>{self.link(run, run.run_id)} · {_e(title)}</h2>']
        call = it.root_call
        facts: list[tuple[str, str]] = []
        if call is not None:
            facts.append(("root call", f"<code>{_e(call.call_id)}</code> · <code>{_e(call.model)}</code>"
                                       + _call_tags(call)))
            if call.n_messages is not None:
                facts.append(("request", _e(f"{call.n_messages} messages, {len(call.messages)} new")))
            facts.append(("tokens", f"{call.input_tokens:,} in · {call.output_tokens:,} out"
                                    + (f" · finish {_e(call.finish_reason)}" if call.finish_reason else "")))
            facts.append(("cost", _e(format_cost(_one(call)))))
            facts.append(("model time", _e(format_duration(call.duration))))
        facts.append(("iteration time", _e(format_duration(it.duration))))
        facts.append(("with sub-calls", _e(f"{format_tokens(it.totals.tokens)} tokens · "
                                             f"{format_cost(it.totals)} · {it.totals.calls} calls")))
        parts.append(self.facts(facts))
        if call is not None:
            parts.append(self.messages(call, "Prompt (messages new since the previous turn)"))
            if call.error:
                parts.append("<h3>LM error</h3>" + self.text(call.error, "err"))
            else:
                parts.append("<h3>Root model reply</h3>" + self.text(call.reply, "prose reply", "reply"))
        if call is not None and call.retries:
            parts.append("<h3>Retries</h3>" + self.text("\n".join(call.retries), "err"))
        for cell in it.cells:
            parts.append(self.cell(it, cell))
        for index in it.running:
            parts.append(f'<section class="cell"><h3>cell {index} <span class="tag bad">no result</span></h3>'
                         '<p class="note warn">This cell started but never reported: the run was killed '
                         "or was still running when the trace was read.</p></section>")
        parts.extend(f'<p class="note warn">{_e(n)}</p>' for n in it.notes)
        loose_calls, loose_kids = it.calls_of(None), it.children_of(None)
        if loose_calls or loose_kids:
            parts.append('<section class="cell"><h3>Sub-calls not matched to a cell</h3>'
                         '<p class="note">Still in flight when the trace ends, or made outside a cell.</p>'
                         f"{self.sub_calls(loose_calls)}{self.child_links(loose_kids)}</section>")
        if it.budget:
            parts.append(f'<p class="note">Whole tree after this iteration: {_e(_budget_line(it.budget))}</p>')
        self.details.append(f'<article class="detail" id="d-{nid}" data-node="{nid}">{"".join(parts)}</article>')

    def cell(self, it: Iteration, cell: Cell) -> str:
        head = [f"cell {cell.index}", format_duration(cell.duration)]
        flags = ""
        if cell.error:
            flags += ' <span class="tag bad">error</span>'
        if cell.restarted:
            flags += ' <span class="tag bad">worker restarted</span>'
        if cell.final is not None:
            flags += ' <span class="tag ok">FINAL</span>'
        out = [f'<section class="cell"><h3>{_e(" · ".join(head))}{flags}</h3>',
               '<div class="caption">code</div>', self.text(cell.code, "code", f"code of cell {cell.index}")]
        out.append('<div class="caption">output'
                   + (f' <span class="muted">({cell.stdout_total:,} characters printed)</span>'
                      if cell.stdout_total and cell.stdout_total > len(cell.stdout) else "") + "</div>")
        out.append(self.text(cell.stdout, "out", "output") if cell.stdout
                   else '<p class="muted empty">(no output)</p>')
        if cell.error:
            out.append('<div class="caption">error</div>' + self.text(cell.error, "err", "error"))
        if cell.final is not None:
            out.append('<div class="caption">final answer</div>' + self.text(cell.final, "prose answer"))
        out.extend(f'<p class="note">{_e(n)}</p>' for n in cell.notes)
        out.append(self.sub_calls(it.calls_of(cell.index)))
        out.append(self.child_links(it.children_of(cell.index)))
        out.append("</section>")
        return "".join(out)

    def sub_calls(self, calls: list[LMCall]) -> str:
        if not calls:
            return ""
        rows = []
        for call in calls:
            preview = " ".join(call.prompt.split())[:120]
            flag = _call_tags(call)
            summary = (f'<summary class="row"><span class="label"><span class="twisty" aria-hidden="true">'
                       f'</span><code>{_e(call.call_id)}</code> '
                       f'<span class="muted">{_e(call.model)}</span>{flag} '
                       f'<span class="preview">{_e(preview)}</span></span>'
                       f"{self.nums(_one(call), call.duration)}</summary>")
            body = ('<div class="caption">prompt</div>' + self.text(call.prompt, "prose", "prompt")
                    + ('<div class="caption">retries</div>' + self.text("\n".join(call.retries), "err")
                       if call.retries else "")
                    + ('<div class="caption">error</div>' + self.text(call.error, "err") if call.error
                       else '<div class="caption">reply</div>' + self.text(call.reply, "prose", "reply")))
            rows.append(f'<details class="subcall">{summary}<div class="body">{body}</div></details>')
        return (f'<div class="caption">llm_query calls ({len(calls)})</div><div class="subcalls">'
                '<div class="row head"><span class="label"></span><span class="num">calls</span>'
                '<span class="num">tokens</span><span class="num">cost</span><span class="num">time</span></div>'
                + "".join(rows) + "</div>")

    def child_links(self, runs: list[Run]) -> str:
        if not runs:
            return ""
        items = "".join(
            f"<li>{self.link(r, r.run_id)} {self.badge(r.status)} "
            f'<span class="muted">{_e(" ".join(r.question.split())[:140])}</span></li>'
            for r in runs
        )
        return f'<div class="caption">child runs ({len(runs)})</div><ul class="children">{items}</ul>'

    def messages(self, call: LMCall, title: str) -> str:
        if not call.messages:
            return ""
        body = "".join(
            f'<div class="caption">{_e(m.get("role", "?"))}</div>{self.text(_content(m), "prose")}'
            for m in call.messages
        )
        return f'<details class="more"><summary>{_e(title)} · {len(call.messages)}</summary>{body}</details>'

    # -- the page --------------------------------------------------------------------------
    def render(self) -> str:
        view = self.view
        for run in view.walk():
            self.detail_run(run)
            for it in run.iterations:
                self.detail_iteration(run, it)
        tree = "".join(self.tree_run(r) for r in view.roots)
        root = view.root
        name = view.path.name if view.path else "trace"
        status = self.badge(root.status) if root else ""
        t = view.totals
        stats = [
            ("runs", f"{len(view.runs):,}"),
            ("deepest run", f"depth {view.max_depth}"),
            ("LM calls", f"{t.calls:,}"),
            ("input tokens", f"{t.input_tokens:,}"),
            ("output tokens", f"{t.output_tokens:,}"),
            ("cost", format_cost(t)),
            ("wall time", format_duration(root.duration if root else view.duration)),
        ]
        stat_html = "".join(f'<div class="stat"><div class="v">{_e(v)}</div><div class="k">{_e(k)}</div></div>'
                            for k, v in stats)
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(view.started)) if view.started else ""
        notes = ""
        if view.meta:
            items = "".join(f"<dt>{_e(k)}</dt><dd>{_e(_meta_value(v))}</dd>" for k, v in view.meta.items())
            notes += f'<details class="more"><summary>trace header</summary><dl class="facts mono">{items}</dl></details>'
        if view.ignored:
            skipped = ", ".join(f"{_e(k)} ×{n}" for k, n in sorted(view.ignored.items()))
            notes = f'<p class="note">Events this viewer does not know were skipped: {skipped}</p>'
        if not view.roots:
            notes += '<p class="note warn">This trace has no runs.</p>'
        question = root.question if root else ""
        answer = (root.answer if root and root.finished else None)
        header = (
            f'<header><div class="title"><h1>recursor trace</h1><span class="file">{_e(name)}</span>'
            f'<span class="muted">{_e(when)}</span> {status}</div>'
            f'<div class="qa"><div><div class="caption">question</div><div class="clip">{_e(question[:600])}</div></div>'
            f'<div><div class="caption">answer</div><div class="clip answer">'
            f'{_e(answer[:600]) if answer is not None else "<em>(none: the run did not finish)</em>"}'
            f"</div></div></div>"
            f'<div class="stats" id="totals">{stat_html}</div>{notes}</header>'
        )
        body = (
            f'{header}<main><nav id="tree" aria-label="run tree"><div class="pane">'
            '<div class="toolbar"><button type="button" data-act="expand">expand all</button>'
            '<button type="button" data-act="collapse">collapse all</button>'
            '<span class="muted hint">↑↓ move · ←→ fold · click a row</span></div>'
            '<div class="row head"><span class="label">run / iteration</span><span class="num">calls</span>'
            '<span class="num">tokens</span><span class="num">cost</span><span class="num">time</span></div>'
            f'<ul class="tree">{tree}</ul></div></nav>'
            f'<section id="details">{"".join(self.details)}</section></main>'
        )
        digest = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode("ascii")
        csp = f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; img-src data:"
        return (
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(name)} · recursor trace</title><style>{_CSS}</style></head>"
            f"<body>{body}<script>{_SCRIPT}</script></body></html>\n"
        )


def _one(call: LMCall) -> Totals:
    t = Totals()
    t.add_call(call)
    return t


def _call_tags(call: LMCall) -> str:
    """Badges for a call: cached (and from where), retried, failed."""
    tags = ""
    if call.cached:
        tags += f' <span class="tag">cached{_e(" · " + call.source if call.source else "")}</span>'
    if call.retries:
        tags += f' <span class="tag bad">{len(call.retries)} retr{"y" if len(call.retries) == 1 else "ies"}</span>'
    if call.error:
        tags += ' <span class="tag bad">error</span>'
    return tags


def _budget_line(snap: dict[str, Any]) -> str:
    """A budget snapshot in words; unknown keys are shown as they are."""
    known = {"calls", "input_tokens", "output_tokens", "cost_usd", "elapsed"}
    parts = []
    if isinstance(snap.get("calls"), int):
        parts.append(f"{snap['calls']:,} calls")
    if isinstance(snap.get("input_tokens"), int) and isinstance(snap.get("output_tokens"), int):
        parts.append(f"{snap['input_tokens']:,} in / {snap['output_tokens']:,} out tokens")
    if isinstance(snap.get("cost_usd"), (int, float)):
        parts.append(f"${snap['cost_usd']:.4f}")
    if isinstance(snap.get("elapsed"), (int, float)):
        parts.append(f"{format_duration(float(snap['elapsed']))} elapsed")
    parts.extend(f"{k} {v}" for k, v in snap.items() if k not in known)
    return " · ".join(parts)


def _meta_value(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _content(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, str):
        return content
    return json.dumps(content, ensure_ascii=False, indent=1, default=str)


def render_html(view: TraceView, *, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """The whole page for `view`, as one string with no external references (always encodable)."""
    return well_formed(_Page(view, max_chars).render())


_CSS = """
:root{--bg:#f7f7f5;--panel:#fff;--ink:#1d2126;--muted:#6b7280;--line:#e3e3de;--accent:#2f6fde;
--sel:#e6efff;--code:#f3f4f1;--ok:#1f7a3d;--okbg:#e3f4e8;--warn:#8a5a00;--warnbg:#fff2d6;
--bad:#b42318;--badbg:#fde7e5;--lim:#6941c6;--limbg:#efe9fd}
@media (prefers-color-scheme:dark){:root{--bg:#15171a;--panel:#1c1f23;--ink:#e6e6e3;--muted:#9aa0a8;
--line:#30343a;--accent:#7aa7ff;--sel:#23344f;--code:#23262b;--ok:#7fd49a;--okbg:#1d3326;--warn:#f0c060;
--warnbg:#3a2f15;--bad:#ff8f85;--badbg:#3d1f1d;--lim:#b9a2ff;--limbg:#2c2543}}
*{box-sizing:border-box}
html,body{margin:0;background:var(--bg);color:var(--ink);
font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
code,pre,.mono,.num,.file{font-family:ui-monospace,"SF Mono",Menlo,Consolas,"DejaVu Sans Mono",monospace}
code{font-size:12.5px}
header{padding:14px 20px 12px;border-bottom:1px solid var(--line);background:var(--panel)}
.title{display:flex;gap:12px;align-items:baseline;flex-wrap:wrap}
h1{font-size:18px;margin:0}.file{font-size:13px;color:var(--muted)}
.qa{display:grid;grid-template-columns:1fr 1fr;gap:16px;margin:10px 0}
.clip{max-height:4.5em;overflow:auto;white-space:pre-wrap;word-break:break-word}
.stats{display:flex;gap:0;flex-wrap:wrap;border:1px solid var(--line);border-radius:8px;width:max-content;max-width:100%}
.stat{padding:6px 16px;border-right:1px solid var(--line);text-align:right}
.stat:last-child{border-right:0}
.stat .v{font:600 15px ui-monospace,"DejaVu Sans Mono",monospace;font-variant-numeric:tabular-nums}
.stat .k{font-size:11px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
main{display:grid;grid-template-columns:minmax(400px,47%) 1fr;gap:0;align-items:stretch;
min-height:calc(100vh - 170px)}
nav#tree{border-right:1px solid var(--line);background:var(--panel)}
nav#tree>.pane{position:sticky;top:0;max-height:100vh;overflow:auto;padding:10px 8px 24px 12px}
#details{padding:14px 22px 40px;min-width:0}
.toolbar{display:flex;gap:6px;align-items:center;margin-bottom:8px}
button{font:inherit;font-size:12px;padding:2px 10px;border:1px solid var(--line);border-radius:6px;
background:var(--bg);color:var(--ink);cursor:pointer}
button:hover{border-color:var(--accent)}
.hint{font-size:12px;margin-left:auto}
ul.tree,ul.tree ul{list-style:none;margin:0;padding:0}
ul.tree ul{padding-left:16px}
.row{display:flex;align-items:center;gap:0;padding:3px 6px;border-radius:6px;min-height:26px}
.row .label{flex:1;min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.num{flex:none;text-align:right;font-variant-numeric:tabular-nums;font-size:12.5px;padding-left:8px}
.num.calls,.head .num:nth-child(2){width:3.6em}.num.tok,.head .num:nth-child(3){width:6.2em}
.num.cost,.head .num:nth-child(4){width:6.4em}.num.time,.head .num:nth-child(5){width:5.4em}
.row.head{color:var(--muted);font-size:11px;text-transform:uppercase;letter-spacing:.04em;
border-bottom:1px solid var(--line);border-radius:0;margin-bottom:4px}
.row.head .num{font:inherit}
#tree .row[data-node]{cursor:pointer}
#tree .row[data-node]:hover{background:var(--bg)}
#tree .row.selected{background:var(--sel);box-shadow:inset 3px 0 0 var(--accent)}
#tree .row:focus-visible{outline:2px solid var(--accent);outline-offset:-2px}
summary{list-style:none}summary::-webkit-details-marker{display:none}
.twisty{display:inline-block;width:14px;color:var(--muted);font-size:10px}
details>summary .twisty::before{content:"▶"}
details[open]>summary .twisty::before{content:"▼"}
.run .name{font-weight:600}.iter .name{color:var(--ink)}
.badge,.tag{display:inline-block;font-size:11px;line-height:16px;padding:0 6px;border-radius:9px;
margin-left:4px;background:var(--code);color:var(--muted);vertical-align:1px}
.badge.ok,.tag.ok{background:var(--okbg);color:var(--ok)}.badge.warn{background:var(--warnbg);color:var(--warn)}
.badge.bad,.tag.bad{background:var(--badbg);color:var(--bad)}.badge.limit{background:var(--limbg);color:var(--lim)}
.muted{color:var(--muted)}
h2{font-size:17px;margin:0 0 10px}h3{font-size:14px;margin:18px 0 6px}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:3px 14px;margin:0 0 6px}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
pre{margin:0 0 8px;padding:8px 10px;background:var(--code);border-radius:6px;border:1px solid var(--line);
white-space:pre-wrap;word-break:break-word;font-size:12.5px;line-height:1.45;max-height:32em;overflow:auto}
pre.code{border-left:3px solid var(--accent)}pre.err{background:var(--badbg);color:var(--bad);border-color:transparent}
pre.answer{border-left:3px solid var(--ok)}
ol.evidence{padding-left:1.4em}ol.evidence li{margin:.3em 0}pre.evidence{margin:.15em 0 0}
.caption{font-size:11px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em;margin:8px 0 3px}
.cut,.note{font-size:12.5px;color:var(--muted)}.note.warn{color:var(--warn)}
section.cell{border:1px solid var(--line);border-radius:8px;padding:4px 12px 8px;margin:12px 0;background:var(--panel)}
section.cell h3{margin:6px 0 4px}
table.grid{border-collapse:collapse;font-size:12.5px;margin:4px 0 8px}
table.grid th,table.grid td{padding:3px 10px;border-bottom:1px solid var(--line);text-align:right;
font-variant-numeric:tabular-nums}
table.grid th:first-child,table.grid td:first-child{text-align:left}
table.grid thead th{color:var(--muted);font-weight:500;font-size:11px;text-transform:uppercase}
.subcalls{border:1px solid var(--line);border-radius:6px;padding:2px 4px;margin-bottom:6px}
.subcall>summary{cursor:pointer}.subcall>summary:hover{background:var(--bg)}
.subcall .body{padding:2px 8px 8px}
.preview{color:var(--muted);margin-left:6px}
ul.children{margin:2px 0 6px;padding-left:18px}
details.more>summary{cursor:pointer;color:var(--accent);margin:10px 0 4px;font-size:13px}
.empty{margin:0 0 8px;font-size:12.5px}
@media (max-width:900px){main{grid-template-columns:1fr}nav#tree{position:static;max-height:none}
.qa{grid-template-columns:1fr}}
"""

# No trace text is ever interpolated into this script: it only reads the DOM the host rendered.
_SCRIPT = """
(function () {
  "use strict";
  var tree = document.getElementById("tree");
  var rows = Array.prototype.slice.call(tree.querySelectorAll("[data-node]"));
  var details = Array.prototype.slice.call(document.querySelectorAll("#details > article"));
  var byId = {};
  rows.forEach(function (r) { byId[r.getAttribute("data-node")] = r; });
  function visible(r) {
    for (var el = r.parentElement; el && el !== tree; el = el.parentElement) {
      if (el.tagName === "DETAILS" && !el.open && r.parentElement !== el) { return false; }
    }
    return true;
  }
  function select(id, focus) {
    var row = byId[id];
    if (!row) { return; }
    details.forEach(function (d) { d.hidden = d.getAttribute("data-node") !== id; });
    rows.forEach(function (r) { r.classList.toggle("selected", r === row); r.setAttribute("aria-selected", r === row ? "true" : "false"); });
    for (var el = row.parentElement; el && el !== tree; el = el.parentElement) {
      if (el.tagName === "DETAILS") { el.open = true; }
    }
    if (focus) { row.focus({preventScroll: true}); row.scrollIntoView({block: "nearest"}); }
    document.body.setAttribute("data-selected", id);
    try { history.replaceState(null, "", "#" + id); } catch (e) { /* file: URLs may refuse */ }
  }
  tree.addEventListener("click", function (ev) {
    var t = ev.target;
    var act = t.closest && t.closest("button[data-act]");
    if (act) {
      var open = act.getAttribute("data-act") === "expand";
      tree.querySelectorAll("details").forEach(function (d) { d.open = open; });
      return;
    }
    var row = t.closest && t.closest("[data-node]");
    if (!row) { return; }
    if (t.closest(".twisty")) { return; }  /* the arrow folds; the rest of the row selects */
    ev.preventDefault();
    select(row.getAttribute("data-node"), true);
  });
  tree.addEventListener("keydown", function (ev) {
    var row = ev.target.closest && ev.target.closest("[data-node]");
    if (!row) { return; }
    var shown = rows.filter(visible);
    var i = shown.indexOf(row);
    var box = row.tagName === "SUMMARY" ? row.parentElement : null;
    if (ev.key === "ArrowDown" && i < shown.length - 1) { select(shown[i + 1].getAttribute("data-node"), true); }
    else if (ev.key === "ArrowUp" && i > 0) { select(shown[i - 1].getAttribute("data-node"), true); }
    else if (ev.key === "ArrowRight" && box) { box.open = true; }
    else if (ev.key === "ArrowLeft" && box) { box.open = false; }
    else if (ev.key === "Enter" || ev.key === " ") { if (box) { box.open = !box.open; } }
    else { return; }
    ev.preventDefault();
  });
  document.getElementById("details").addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("a[data-goto]");
    if (a) { ev.preventDefault(); select(a.getAttribute("data-goto"), true); }
  });
  var start = (location.hash || "").slice(1);
  select(/^n[0-9]+$/.test(start) && byId[start] ? start : (rows.length ? rows[0].getAttribute("data-node") : ""), false);
  document.body.setAttribute("data-ready", "1");
})();
"""
