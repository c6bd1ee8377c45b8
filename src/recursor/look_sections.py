"""The first look's outline of a list in sections: unindented head lines over indented items.

XKB's `base.lst` heads its lists "! model", "! layout", "! variant", "! option" and indents
their items; so do many config listings and tool outputs. Asked how many keyboard models the
list has, the 1.5B searched the word "models", found the head line and a model named "Model
XP5", and answered 2. Each head with how many items it holds answers that in one line.

General: a head is any unindented line of a text whose other lines are nearly all indented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from recursor.look_counts import says_more
from recursor.question import COUNT_ASKED, TOKEN, asking_part, document_words
from recursor.sandbox.helpers import _STOP, _first_indent, _stem

__all__ = ["SectionLook", "sections_look"]

_CODE = re.compile(r"(?:async\s+)?def\s|class\s|@|import\s|from\s|#include|fn\s|func\s|function\s|public\s|[{}]")
_INDENTED_SHARE = 0.8
_MOST_HEADS = 60
_SHOWN = 8
_PLAIN = frozenset("how many are is there does do the a an this that these list lists listed include includes "
                   "included contain contains hold holds have has give gives name names in of under section "
                   "sections file text here total".split())


@dataclass(frozen=True, slots=True)
class SectionLook:
    rows: list[str]
    counted: str = ""
    call: str = ""


def _sections(text: str) -> list[tuple[str, int]] | None:
    """Each head line with how many items (`helpers._first_indent`) follow it before the next
    head; None when the text is no such list."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 10:
        return None
    heads = [i for i, line in enumerate(lines) if not line[:1].isspace()]
    if not 2 <= len(heads) <= _MOST_HEADS or len(lines) - len(heads) < _INDENTED_SHARE * len(lines):
        return None
    if heads[0] != 0:
        return None  # items before any head: a text of indented lines, not sections
    if any(_CODE.match(lines[i]) for i in heads):
        return None  # a module's defs and classes: code, whose bodies are no items
    out = []
    for a, b in zip(heads, [*heads[1:], len(lines)], strict=True):
        if b - a < 2:
            return None  # a head with no items: prose, or a wrapped line
        out.append((lines[a].strip(), len(_first_indent(lines[a + 1:b]))))  # as `helpers.under` reads them
    return out


def sections_look(text: str, question: str) -> SectionLook | None:
    """The look's line naming each section and its items, and the items' count of the one
    section a word of a how-many question names ("models" for `! model`) when it asks just
    that; None for a text of no sections."""
    sections = _sections(text)
    if sections is None:
        return None
    told = ", ".join(f"{head!r} {n:,}" for head, n in sections[:_SHOWN])
    more = f" and {len(sections) - _SHOWN} more" if len(sections) > _SHOWN else ""
    rows = [f"It is a list in {len(sections)} sections, each an unindented head over indented items: "
            f"{told}{more}."]
    asking = asking_part(question)
    if not COUNT_ASKED.search(asking):
        return SectionLook(rows)
    words = [w for w in TOKEN.findall(asking) if w.lower() not in _STOP]
    named = [(head, n) for head, n in sections
             if any(_stem(w.lower()) == _stem(h.lower()) for w in words for h in re.findall(r"[A-Za-z]\w+", head))]
    if len(named) != 1:
        return SectionLook(rows)
    head, n = named[0]
    head_words = {_stem(h.lower()) for h in re.findall(r"[A-Za-z]\w+", head)}
    described = document_words(question)
    rest = [w for w in words if _stem(w.lower()) not in head_words and w.lower() not in _PLAIN
            and w.lower() not in described]
    rows.append(f"The section {head!r} holds {n:,} items (its lines at the first indent): len(under({head!r})) "
                f"counts them.")
    return SectionLook(rows, str(n) if not rest and not says_more(asking, question) else "", f"len(under({head!r}))")
