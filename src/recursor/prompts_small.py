"""The small-model mode: short prompts, strict reply format and REPL helpers for 0.5B-3B roots.

A 1.5B model given the paper's generic prompt plans in prose, chunks everything into slow
sub-calls and invents answers. What works instead (measured, see docs/benchmarks.md):

- a short system prompt (prompt processing is the cost on a CPU) with two worked examples
  the model can copy, and one strict reply shape: one ```repl block OR one FINAL(...) line;
- helpers that do the hard parts in code: `grep` marks the match and, when a paraphrased
  query matches nothing, ranks lines by the query's rare words; `classify` / `map_query`
  batch many items into each sub-call and parse the numbered replies back in order;
- the question's distinctive terms (a hyphenated key, an id, a name) named in the first
  message, so the model searches for the key rather than the question's wording;
- repair texts that say exactly what to write next.

The helpers are plain standard-library code run in every new REPL (`repl_setup`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from recursor.prompts import Prompts, register_small_model_prompts

__all__ = ["HELPERS", "SYSTEM_SMALL", "SmallModelPrompts", "key_terms", "question_proper"]

SYSTEM_SMALL = """\
Answer a question about `context`, a str too long to read; you see it only through code.
Each reply is EXACTLY ONE of: a ```repl block, nothing after it (you get its output \
next); or, once the output holds the answer, the line FINAL(answer) with no code.

Helpers:
- grep(term): prints the lines holding term, marked >>like this<<.
- lines(): all lines; lines(text): the lines holding text (e.g. a user id).
- in_dates(rows, first, last): the rows dated first to last.
- classify(items, labels): labels each item, prints the counts; labels: \
the question's label list, copied as one string.
- map_query(instruction, items): a sub-model's answer per item.

Grep the question's rarest term (hyphenated key, id, name), not common words. Labels \
not in the data: take only the rows the question is about (all: lines(); one user's: \
lines(user id); some dates: in_dates(lines(), first, last)), then classify those rows.

Example 1.
User: Question: Which number has the team that proud-walrus joined?
You:
```repl
grep("proud-walrus")
```
User: [repl output]
1 line matches:
1| In May >>proud-walrus<< joined team Osprey.
   -> The number of team >>Osprey<< is 4417.
You: FINAL(4417)

Example 2.
User: Question: Which label is least common among the reviews of user 4417? Labels (not in \
the data): praise, complaint, question and request.
You:
```repl
rows = lines("4417")
labels = classify(rows, "praise, complaint, question and request")
```
User: [repl output]
classify: 14 items
complaint: 8
praise: 4
question and request: 2
You: FINAL(question and request)

Example 3.
User: Question: How many reviews dated from Mar 3, 2021 to May 9, 2021 have the label \
praise? Labels (not in the data): praise, complaint, question and request.
You:
```repl
rows = in_dates(lines(), "Mar 3, 2021", "May 9, 2021")
labels = classify(rows, "praise, complaint, question and request")
```
User: [repl output]
classify: 31 items
complaint: 17
praise: 9
question and request: 5
You: FINAL(9)\
"""
"""The system prompt: three worked examples (search, a user's rows, a date range), one
reply shape. Its tokens are evaluated once: the KV cache keeps them across runs."""

HELPERS = r'''
import re as _re
import difflib as _difflib
from collections import Counter
from datetime import date as _date, datetime as _datetime

_STOP = frozenset("""
a about after all also am an and any are as at be been before being between both but by can
could did do does each either for from had has have how i if in into is it its itself just me
more most my no nor not of off on once only or other our out over own same she should so some
such than that the their them then there these they this those through to too under up very
was we were what when where which while who whom whose why will with would you your
answer answers find give tell report say said text mentions mentioned mention somewhere
listed written recorded please exactly only
""".split())

_DOC = None
_DOC_OF = None
_CACHE = {}


def _doc():
    """The context as one string (a list's items or a dict's entries one per line)."""
    global _DOC, _DOC_OF
    if _DOC is None or _DOC_OF is not context:
        c = context
        if isinstance(c, str):
            _DOC = c
        elif isinstance(c, dict):
            _DOC = "\n".join(f"{k}: {v}" for k, v in c.items())
        elif isinstance(c, (list, tuple)):
            _DOC = "\n".join(str(x) for x in c)
        else:
            _DOC = str(c)
        _DOC_OF = c
    return _DOC


def _as_text(text):
    if text is None:
        return _doc()
    if isinstance(text, (list, tuple)):
        return "\n".join(str(x) for x in text)
    return str(text)


class Hits(list):
    """grep's result: the matching lines as plain strings; shown as a count when echoed."""

    def __repr__(self):
        return ""  # grep has printed the lines already

    def __str__(self):
        return "\n".join(self)


def _unit(doc, s, e, window):
    """The line around doc[s:e]; in a long line, the sentence, cut to `window` either side."""
    lo = max(0, s - window)
    nl = doc.rfind("\n", lo, s)
    start = nl + 1 if nl >= 0 else lo
    nl = doc.find("\n", e, e + window)
    end = nl if nl >= 0 else min(len(doc), e + window)
    if nl < 0 or doc.rfind("\n", lo, s) < 0:
        # No line break near: show the sentence that holds the match.
        cut = max(doc.rfind(p, start, s) for p in (". ", "! ", "? "))
        if cut >= 0:
            start = cut + 2
        ends = [i for i in (doc.find(p, e, end) for p in (". ", "! ", "? ")) if i >= 0]
        if ends:
            end = min(ends) + 1
    return start, end


def _spans(doc, pattern, limit=20000):
    out = []
    for m in pattern.finditer(doc):
        if m.end() > m.start():
            out.append((m.start(), m.end()))
            if len(out) >= limit:
                break
    return out


def _words(query):
    """The query's search words: hyphenated keys kept whole, stopwords dropped."""
    found = _re.findall(r"[A-Za-z0-9_]+(?:[-'.][A-Za-z0-9_]+)*", str(query))
    seen, out = set(), []
    for w in found:
        lw = w.lower()
        if lw in _STOP or lw in seen or (len(lw) < 3 and not lw.isdigit()):
            continue
        seen.add(lw)
        out.append(w)
    return out


_NAMEISH = _re.compile(r"(?<![.!?:]\s)(?<!^)\b([A-Z][a-z]{2,}(?:\s[A-Z][a-z]{2,})*)\b"
                       r"|\b([A-Za-z]+(?:-[A-Za-z]+)+)\b")
_ASKED = set()


def _next_keys(texts, query):
    """Names and hyphenated keys in the shown lines that were not searched for yet."""
    out = []
    for t in texts:
        for m in _NAMEISH.finditer(t.strip()):
            k = m.group(1) or m.group(2)
            low = k.lower()
            if (low in _ASKED or low in query.lower() or low in _STOP
                    or low.split()[0] in _STOP or k in out):
                continue
            out.append(k)
    return out[:3]


def _show(head, doc, units, marks, window, max_hits, query):
    print(head)
    shown = []
    for n, (s, e) in enumerate(units[:max_hits], 1):
        pieces, pos = [], s
        for ms, me in marks:
            if ms >= s and me <= e and ms >= pos:
                pieces += [doc[pos:ms], ">>", doc[ms:me], "<<"]
                pos = me
        pieces.append(doc[pos:e])
        line = "".join(pieces).replace("\n", " ").strip()
        if len(line) > 2 * window + 40:
            line = line[: 2 * window + 40] + "..."
        shown.append(doc[s:e])
        print(f"{n}| {line}")
    if len(units) > max_hits:
        print(f"... {len(units) - max_hits} more (grep returns them all as a list)")
    nxt = _next_keys(shown[:3], query) if len(units) <= 3 else []
    for key in nxt[:2]:
        # A matching line that names another rare key: show where that key appears too, so a
        # chain (key -> name -> value) is one step, not two.
        rx = _re.compile(r"(?<![A-Za-z0-9])" + _re.escape(key) + r"(?![A-Za-z0-9])")
        spans = _spans(doc, rx, limit=5)
        others = [u for u in dict.fromkeys(_unit(doc, a, b, window) for a, b in spans)
                  if not any(u[0] < e and s < u[1] for s, e in units[:max_hits])]
        if 0 < len(others) <= 3:
            for s, e in others:
                text = doc[s:e].replace("\n", " ").strip()
                pos = text.find(key)
                if pos >= 0:
                    text = text[:pos] + ">>" + key + "<<" + text[pos + len(key):]
                print(f"   -> {text[: 2 * window + 40]}")
    print("Answer found? Then reply: FINAL(the answer)")


def grep(query, text=None, window=150, max_hits=8, show=True):
    """Lines of the context (or `text`) that hold `query` (regex or words, any case).

    Prints up to `max_hits` of them with the match marked >>like this<<, and returns them all
    (a list of str). When nothing matches, searches the query's words one by one and ranks
    lines by how many rare query words they hold.
    """
    doc = _as_text(text)
    query = str(query)
    _ASKED.add(query.lower())
    tries = []
    try:
        tries.append(_re.compile(query, _re.IGNORECASE))
    except _re.error:
        pass
    literal = _re.compile(_re.escape(query), _re.IGNORECASE)
    if not tries or tries[0].pattern != literal.pattern:
        tries.append(literal)
    for pattern in tries:
        spans = _spans(doc, pattern)
        if spans:
            units, last = [], -1
            for s, e in spans:
                if s < last:
                    continue
                u = _unit(doc, s, e, window)
                units.append(u)
                last = u[1]
            n = f"{len(spans)}{'+' if len(spans) >= 20000 else ''}"
            head = f"{n} line{' matches' if n == '1' else 's match'}:"
            if show:
                _show(head, doc, units, spans, window, max_hits, query)
            return Hits(doc[s:e] for s, e in units)
    return _grep_words(doc, query, window, max_hits, show)


def _grep_words(doc, query, window, max_hits, show):
    words = _words(query)
    extra = []
    for w in words:
        if "-" in w:
            extra += [p for p in w.split("-") if len(p) >= 3 and p.lower() not in _STOP]
    weights, marks = {}, []
    for w in words + [x for x in extra if x not in words]:
        spans = _spans(doc, _re.compile(r"(?<![A-Za-z0-9])" + _re.escape(w) + r"(?![A-Za-z0-9])",
                                        _re.IGNORECASE), limit=5000)
        if spans:
            weights[w.lower()] = 1.0 / len(spans)
            marks += spans
    if not marks:
        if show:
            print(f"No line holds {query!r} or any of its words. Search another term; if it is "
                  "a label that is not written in the data, classify the lines.")
        return Hits()
    marks.sort()
    scored = {}
    for s, e in marks:
        u = _unit(doc, s, e, window)
        if u in scored:
            continue
        low = doc[u[0]:u[1]].lower()
        scored[u] = sum(wt for w, wt in weights.items()
                        if _re.search(r"(?<![a-z0-9])" + _re.escape(w) + r"(?![a-z0-9])", low))
    ranked = sorted(scored, key=lambda u: (-scored[u], u[0]))
    kept, taken = [], []
    for u in ranked:
        if any(u[0] < b and a < u[1] for a, b in taken):
            continue
        kept.append(u)
        taken.append(u)
        if len(kept) >= 50:
            break
    if show:
        head = (f"No line holds {query!r}. Lines with the most rare words of "
                f"{sorted(weights, key=weights.get, reverse=True)}:")
        _show(head, doc, kept, marks, window, max_hits, query)
    return Hits(doc[s:e] for s, e in kept)


def lines(pattern=None, text=None, **by):
    """The context's lines (or `text`'s), or only those matching regex `pattern` (any case).

    A keyword is read as the pattern (`lines(user=63685)`, `lines(id="63685")`): small
    models name the argument after what they look for.
    """
    if pattern is None and by:
        pattern = next(iter(by.values()))
    rows = _as_text(text).split("\n")
    if pattern is None:
        return [r for r in rows if r.strip()]
    try:
        rx = _re.compile(str(pattern), _re.IGNORECASE)
    except _re.error:
        rx = _re.compile(_re.escape(str(pattern)), _re.IGNORECASE)
    return [r for r in rows if rx.search(r)]


def chunks(n_chars=50000, text=None):
    """The context (or `text`) cut into pieces of at most `n_chars`, at line or word ends."""
    doc = _as_text(text)
    n_chars = max(int(n_chars), 100)
    out, i = [], 0
    while i < len(doc):
        j = min(i + n_chars, len(doc))
        if j < len(doc):
            cut = doc.rfind("\n", i + n_chars // 2, j)
            if cut < 0:
                cut = doc.rfind(" ", i + n_chars // 2, j)
            if cut > i:
                j = cut + 1
        out.append(doc[i:j])
        i = j
    return out


_MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}


def to_date(value):
    """A date from "Dec 12, 2022", "12 December 2022", "2022-12-12" or "12/31/2022"; else None."""
    if isinstance(value, _datetime):
        return value.date()
    if isinstance(value, _date):
        return value
    s = str(value)
    m = _re.search(r"(\d{4})-(\d{1,2})-(\d{1,2})", s)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    else:
        m = _re.search(r"\b([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})", s)
        if m and m[1].lower() in _MONTHS:
            y, mo, d = int(m[3]), _MONTHS[m[1].lower()], int(m[2])
        else:
            m = _re.search(r"\b(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?,?\s+(\d{4})", s)
            if m and m[2].lower() in _MONTHS:
                y, mo, d = int(m[3]), _MONTHS[m[2].lower()], int(m[1])
            else:
                m = _re.search(r"\b(\d{1,2})/(\d{1,2})/(\d{4})", s)
                if not m:
                    return None
                y, mo, d = int(m[3]), int(m[1]), int(m[2])
    try:
        return _date(y, mo, d)
    except ValueError:
        return None


def in_dates(rows, first, last):
    """The rows whose first date lies from `first` to `last`, both days included."""
    a, b = to_date(first), to_date(last)
    if a is None or b is None:
        raise ValueError(f"in_dates: cannot read the dates {first!r} and {last!r}")
    out = []
    for r in rows:
        d = to_date(r)
        if d is not None and a <= d <= b:
            out.append(r)
    return out


def _numbered(reply, n):
    """{item number: answer} from a reply of lines like "3: answer" or "3. answer"."""
    got = {}
    for line in str(reply).splitlines():
        m = _re.match(r"\s*(?:item\s*)?\(?(\d+)\s*[).:\-]\s*(.*\S)?", line, _re.IGNORECASE)
        if m and 1 <= int(m[1]) <= n and int(m[1]) not in got:
            got[int(m[1])] = (m[2] or "").strip().strip("*`\"'").strip()
    return got


def _clean(reply):
    text = str(reply).strip()
    text = _re.sub(r"^```\w*\n?|\n?```$", "", text).strip()
    return text


_MAX_ITEM = 40000
_MAX_LABELLED = 2000


def _cap(item, limit):
    """`item` as text, cut to `limit` characters (a small sub-model's window is ~40K)."""
    item = str(item)
    if len(item) <= limit:
        return item
    print(f"(an item of {len(item):,} characters was cut to {limit:,}: use chunks() first)")
    return item[:limit]


def map_query(instruction, items, batch=1, show=True, choices=None):
    """A sub-model's answer to `instruction` for each item, in the items' order.

    One item per sub-call by default (the calls run as one llm_query_batched). `batch=k`
    packs k items into a numbered sub-call and parses the numbered reply back: fewer calls,
    but a small sub-model loses count in long lists. Items a reply missed are asked again
    alone. `choices` (a list) makes each call a choice request: one item a call, answered
    with one of them. Each distinct item is asked once, and answers are cached, so running
    the same map again costs nothing.
    """
    items = [_cap(x, _MAX_ITEM) for x in items]
    instruction = str(instruction).strip()
    batch = 1 if choices else max(1, int(batch))
    key = (instruction, tuple(choices) if choices else None)
    out = [_CACHE.get((key, x)) for x in items]
    todo = list(dict.fromkeys(x for x, v in zip(items, out) if v is None))
    groups = [todo[i:i + batch] for i in range(0, len(todo), batch)]
    prompts = []
    for g in groups:
        if len(g) == 1:
            prompts.append(f"{instruction}\n\n{g[0]}")
        else:
            body = "\n".join(f"{k}. {x}" for k, x in enumerate(g, 1))
            prompts.append(f"{instruction}\n\nItems:\n{body}\n\nReply with one line per item, "
                           f"in order, as \"number: answer\" (1 to {len(g)}), nothing else.")
    replies = llm_query_batched(prompts, choices=choices) if prompts else []
    answers = {}
    missed = []
    for g, reply in zip(groups, replies):
        if len(g) == 1:
            answers[g[0]] = _clean(reply)
            continue
        got = _numbered(reply, len(g))
        for k, x in enumerate(g, 1):
            if got.get(k):
                answers[x] = got[k]
            else:
                missed.append(x)
    if missed:
        again = llm_query_batched([f"{instruction}\n\n{x}\n\nAnswer briefly." for x in missed])
        for x, reply in zip(missed, again):
            answers[x] = _clean(reply)
    for x, v in answers.items():
        if not str(v).startswith("Error:"):
            _CACHE[(key, x)] = v
    out = [v if v is not None else answers.get(x, "") for x, v in zip(items, out)]
    if show:
        print(f"map_query: {len(items)} items, {len(prompts) + (1 if missed else 0)} sub-call "
              f"batches; first answers: {[a[:60] for a in out[:3]]}")
    return out


def _nearest(answer, labels):
    if str(answer).startswith("Error:"):
        return "?"  # a failed sub-call names no label, whatever words its message has
    a = _re.sub(r"[^a-z0-9 ]+", " ", str(answer).lower()).strip()
    a = _re.sub(r"^(label|answer|category|class)\s+", "", a).strip()
    if not a:
        return "?"
    low = [_re.sub(r"[^a-z0-9 ]+", " ", l.lower()).strip() for l in labels]
    for l, lab in zip(low, labels):
        if a == l:
            return lab
    found = [(a.find(l), -len(l), lab) for l, lab in zip(low, labels) if l and l in a]
    if found:
        return min(found)[2]
    for l, lab in zip(low, labels):
        if len(a) >= 3 and a in l:
            return lab
    first = a.split()[0]
    for l, lab in zip(low, labels):
        if len(first) >= 3 and any(w.startswith(first) or first.startswith(w)
                                   for w in l.split() if len(w) >= 3):
            return lab
    close = _difflib.get_close_matches(a, low, n=1, cutoff=0.6)
    if close:
        return labels[low.index(close[0])]
    return "other" if "other" in labels else "?"


def _labels(labels):
    """A list of labels from a list, or from one string "a, b, c" (or "a; b; c")."""
    if isinstance(labels, str):
        sep = ";" if ";" in labels else ","
        labels = labels.split(sep)
    out = list(dict.fromkeys(str(l).strip().strip(".").strip("'\"") for l in labels))
    out = [l for l in out if l]
    if not out:
        raise ValueError('classify needs the labels, e.g. classify(rows, "label one, label two")')
    if len(out) < 3 and "other" not in out:
        out.append("other")  # with one or two labels, the sub-model needs a way to say neither
    return out


def _content(item):
    """The text to classify: for "Key: v || Key: v" records, the longest field's value."""
    item = str(item)
    if " || " not in item:
        return item
    fields = [f.split(": ", 1)[-1].strip() for f in item.split(" || ")]
    return max(fields, key=len)


class Labels(list):
    """classify's result: a label per item, in order. labels[i] is item i's label;
    labels["a label"] counts it; labels[item] is that item's label; labels["text"] counts the
    labels of the items holding that text (e.g. a user id)."""

    def __init__(self, labels, items, names):
        super().__init__(labels)
        self.items = list(items)
        self.names = list(names)

    def __getitem__(self, key):
        if isinstance(key, int) and not -len(self) <= key < len(self):
            return self.where(str(key))  # labels[63685]: a user id, not a position
        if not isinstance(key, str):
            return list.__getitem__(self, key)
        if key in self.names:
            return self.count(key)
        for item, label in zip(self.items, self):
            if item == key:
                return label
        return self.where(key)

    def where(self, text):
        """Counts of the labels of the items that hold `text` (e.g. a user id); printed."""
        text = str(text)
        picked = [l for item, l in zip(self.items, self) if text in item]
        counts = Counter(picked)
        table = ", ".join(f"{k}: {n}" for k, n in counts.most_common()) or "none"
        print(f"labels of the {len(picked)} items holding {text!r}: {table}")
        return counts

    __call__ = where

    def counts(self):
        return Counter(self)

    def __repr__(self):
        return "Labels(" + ", ".join(f"{k}: {n}" for k, n in Counter(self).most_common()) + ")"

    __str__ = __repr__


_QUESTION = ""
_QUESTION_FULL = ""


def _listed_with(names, text):
    """The full label list `text` gives that holds every one of `names`, or None.

    A small root asked "how many have label X?" passes only X; classified against X alone,
    nearly every item looks like X. The list the question gives is the real choice.
    """
    low = [n.lower() for n in names if n != "other"]
    for part in _re.split(r"(?<=[.;?!])\s+|\n", str(text)):
        tail = part.rsplit(":", 1)[-1]
        items = [_re.sub(r"^(?:and|or)\s+", "", x.strip(" .;")) for x in tail.split(",")]
        items = [x for x in items if x and len(x) <= 60]
        if len(items) >= 3 and all(n in [x.lower() for x in items] for n in low):
            return items
    return None


def _named(names, question):
    """The labels `question` names, in the order it names them."""
    low = str(question).lower()
    found = []
    for name in names:
        m = _re.search(r"(?<![a-z0-9])" + _re.escape(name.lower()) + r"(?![a-z0-9])", low)
        if m:
            found.append((m.start(), name))
    return [name for _, name in sorted(found)]


def classify(items, labels, instruction=None, batch=1, show=True):
    """One of `labels` for each item (a sub-model decides, one item per call by default:
    small models lose count in numbered lists), in order; prints the label counts.

    `labels` is a list or one string "a, b, c". An answer that names no label becomes "?".
    """
    items = [str(x) for x in items]
    names = _labels(labels)
    if len(names) <= 3:
        full = _listed_with(names, _QUESTION_FULL)
        if full and len(full) > len([n for n in names if n != "other"]):
            print(f"(classifying with all {len(full)} labels the question lists, not {len(names)})")
            names = full
    task = (str(instruction).strip() + "\n" if instruction else "")
    texts = [_cap(_content(x), _MAX_LABELLED) for x in items]
    if int(batch) <= 1:
        # A choice request: the sub-model picks from `names` (a local model scores them).
        task += "Give the item exactly one label."
        raw = map_query(task, texts, show=False, choices=names)
    else:
        task += ("Give the item exactly one label from this list: " + "; ".join(names)
                 + ". Answer with the label only.")
        raw = map_query(task, texts, batch=batch, show=False)
    picked = [_nearest(r, names) for r in raw]
    # A small sub-model often names the item's kind in its own words ("date", "company");
    # shown its word and the list again, it mostly maps it onto the right label.
    off = [i for i, lab in enumerate(picked) if lab == "?" and str(raw[i]).strip()]
    if off:
        again = llm_query_batched([
            f"{task}\n\n{texts[i]}\n\n\"{_clean(raw[i])[:60]}\" is not in the list. Answer with "
            f"the label from the list that fits best: " + "; ".join(names) + "."
            for i in off
        ])
        for i, reply in zip(off, again):
            picked[i] = _nearest(reply, names)
    out = Labels(picked, items, names)
    if show:
        counts = Counter(out)
        # "?" (no label named) is shown but never ranked: it is not an answer.
        ranked = sorted(names, key=lambda k: -counts.get(k, 0))
        shown = ranked + (["?"] if counts.get("?") else [])
        table = "\n".join(f"{k}: {counts.get(k, 0)}" for k in shown)
        print(f"classify: {len(out)} items\n{table}")  # one count a line: small models misread rows
        asked = _named(names, _QUESTION)
        if asked:
            print("The question asks about: "
                  + ", ".join(f"{k}: {counts.get(k, 0)}" for k in asked))
        if len(asked) == 2 and _re.search(r"\b(?:more|less)\b|same frequency", _QUESTION, _re.I):
            # Measured: asked "is A more or less common than B?", a 1.5B root answered "B",
            # also when shown "A (91) is less common than B (110)" above a ranking line.
            a, b = asked
            na, nb = counts.get(a, 0), counts.get(b, 0)
            how = "more common" if na > nb else "less common" if na < nb else "same frequency"
            print(f"{a} ({na}) compared with {b} ({nb}): {how}. Answer found? Then reply with "
                  f"this line, not a code block: FINAL({how})")
        elif len(ranked) > 2:
            print(f"(most common: {ranked[0]}; second: {ranked[1]}; least common: {ranked[-1]}. "
                  "Answer found? Then reply: FINAL(the answer))")
    return out


def count_by(values):
    """Counts of each value, most common first (printed and returned as a Counter)."""
    counts = Counter(values)
    print(", ".join(f"{k}: {n}" for k, n in counts.most_common()))
    return counts
'''
"""Helper code run in every new REPL: grep, lines, chunks, in_dates, to_date, map_query,
classify, count_by. Standard library only; printed output stays short."""

_HYPHENATED = re.compile(r"\b[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+\b")
_QUOTED = re.compile(r"[\"“']([^\"”']{3,60})[\"”']")
_WITH_DIGITS = re.compile(r"\b[A-Za-z]*\d[\w-]*\b")
_NAME = re.compile(r"(?<![.?!]\s)(?<!^)\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+)*)\b")
_YEAR = re.compile(r"(1[89]|20)\d\d")
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred thousand million billion single double triple multi half".split()
)
_ANSWER_FORMAT = re.compile(r"\b(?:answer|reply|respond)\s+(?:only\s+)?with\b[^?!\n]*", re.I)
_INFERRED_LABELS = re.compile(
    r"labels?\s+(?:are|is)\s+not\s+(?:written|given|shown|stated)?\s*in\s+the\s+"
    r"(?:data|text|context|lines)|infer\s+(?:each|every|the)\s+(?:one|label)",
    re.IGNORECASE,
)
"""A question that says its labels must be inferred: the rows have to be classified."""
_COMMON_CAPS = frozenset(
    "I A The What Which Who Whom Whose When Where Why How Is Are Was Were Do Does Did Find "
    "Give Answer Look List Name Tell Among In On Of For If Then Jan Feb Mar Apr May Jun Jul Aug "
    "Sep Oct Nov Dec January February March April June July August September October November "
    "December".split()
)


def question_proper(question: str) -> str:
    """The question's last paragraph: what is asked, without a task preamble before it."""
    return question.strip().rsplit("\n\n", 1)[-1]


def key_terms(question: str, limit: int = 3) -> list[str]:
    """The question's distinctive terms: hyphenated keys, quoted text, ids, proper names.

    A paraphrased question shares no wording with the text it asks about except such terms,
    so they are what a small model should grep for. Pure digit runs of under 3 digits, and
    forms like "7-digit", are not keys.
    """
    # 'Answer with "more common" or "less common"': the options of the answer, not keys.
    question = _ANSWER_FORMAT.sub(" ", question)
    found: list[str] = []

    def add(term: str) -> None:
        term = term.strip(" .,;:?!")
        if term and term.lower() not in {t.lower() for t in found}:
            found.append(term)

    for m in _QUOTED.finditer(question):
        add(m.group(1))
    for m in _HYPHENATED.finditer(question):
        parts = m.group(0).split("-")
        if not any(p.isdigit() or p.lower() in _NUMBER_WORDS for p in parts):
            add(m.group(0))  # "seven-digit", "two-letter", "7-day" describe; they are not keys
    for m in _WITH_DIGITS.finditer(question):
        term = m.group(0)
        if "-" in term and any(p.isdigit() for p in term.split("-")) and not term.isdigit():
            continue  # "7-digit", "2-hop": a description, not a key
        if term.isdigit() and (len(term) < 3 or _YEAR.fullmatch(term)):
            continue  # short numbers and years are seldom what a question is keyed on
        add(term)
    for m in _NAME.finditer(question):
        name = m.group(1)
        if name not in _COMMON_CAPS and not any(name in t for t in found):
            add(name)
    return found[:limit]


@dataclass(frozen=True, slots=True)
class SmallModelPrompts(Prompts):
    """Wording and helpers for small local models (chosen by `default_prompts`)."""

    name_key_terms: bool = True
    """Name the question's distinctive terms in the first message (measured to help)."""
    one_block_per_reply: bool = True
    """Small models invent the REPL's output after their block: only the block counts."""

    def system(self, *, can_recurse: bool) -> str:
        # Recursion is not taught: a small root does better with one kind of sub-call.
        return SYSTEM_SMALL

    def repl_setup(self, question: str) -> str:
        # The question proper lets classify point at the labels it names.
        asked = question_proper(question)
        return f"{HELPERS}\n_QUESTION = {asked!r}\n_QUESTION_FULL = {question!r}\n"

    def first_user(self, question: str, metadata: str) -> str:
        asked = question_proper(question)  # a preamble's terms are not keys
        terms = key_terms(asked) if self.name_key_terms else []
        hint = (
            "\nRare terms in the question: " + ", ".join(repr(t) for t in terms) + "."
            if terms
            else ""
        )
        if _INFERRED_LABELS.search(question):
            # Measured: with no such line a 1.5B root greps a label name the data never holds.
            hint += (
                "\nThe labels are not in the data: take the rows the question is about, then "
                "classify them."
            )
        return (
            f"{metadata}\n\nQuestion: {question}{hint}\n\n"
            "Reply with a ```repl block now. Once the output shows the answer, reply with "
            "the line FINAL(answer), no code."
        )

    def not_looked(self) -> str:
        return (
            "You have not run any code yet, so that answer is a guess. Reply with a ```repl "
            "block that greps the question's rarest term."
        )

    def no_code(self) -> str:
        # No copyable example here: a small model runs a placeholder grep verbatim.
        return "Write your answer as FINAL(your answer), or reply with a ```repl block."

    def missing_var(self, name: str, defined: tuple[str, ...]) -> str:
        listed = ", ".join(defined) if defined else "none"
        return (
            f"There is no variable {name!r} (yours: {listed}). Reply with one line "
            "FINAL(answer) with the answer written out."
        )

    def repeated(self) -> str:
        return (
            "You ran this exact code before; its output is above. Do not run it again. If the "
            "output shows the answer, reply FINAL(answer); otherwise search for another term."
        )

    def iterations_left(self, left: int) -> str:
        return f"[{left} turn{'s' if left != 1 else ''} left: reply FINAL(answer) soon.]"

    def answer_now(self, reason: str) -> str:
        return (
            f"Stop: {reason} reached. Reply with one line FINAL(answer), using what the "
            "output above shows. No code."
        )


register_small_model_prompts(SmallModelPrompts)
