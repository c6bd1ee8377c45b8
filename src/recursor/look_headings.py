"""A document's headings as a table, for the query writer (`recursor.table_sql`).

"Which chapter of this manual has exactly two sections directly beneath it?", "Which part has
the most subsections, and what is the last of them?": the answer is in the outline, not in
any line that writes "chapter" or "section" (the 1.5B grepped those words and found a CDATA
section). One row a heading, with its level, the heading it is directly beneath, its chapter
(the outermost heading above it) and how many headings are directly beneath it, answers such a
question in one SELECT.

General: the headings `helpers._outline` reads (Markdown, reStructuredText, numbered sections,
outline-mode stars, a man page's capitals); nothing here knows a document.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter

from recursor.look_pipe_tables import _ATTRIBUTES
from recursor.sandbox.helpers import _outline
from recursor.table_sql import Table

__all__ = ["ASKS_OUTLINE", "headings_table"]

ASKS_OUTLINE = re.compile(r"\b(?:chapters|sections|subsections|sub-sections|headings|subheadings)\b", re.IGNORECASE)
"""A question about a document's outline counts or ranks its parts, named in the plural ("the most
sections"): "how many command lines does the section on downloads hold" counts lines, not parts."""
_COUNTS_PARTS = re.compile(r"\b(?:how\s+many|number\s+of|most|fewest|least|exactly|more\s+than|fewer\s+than|"
                           r"at\s+(?:least|most)|only|no|one|two|three|four|five|six|seven|eight|nine|ten|\d+|last|"
                           r"first|largest|smallest|longest|shortest)\b", re.IGNORECASE)
"""A question that counts, ranks or picks by their number the parts it names ("the most sections",
"exactly two sections"), not a look-up that mentions sections ("which sections cover proxies")."""
_CLOSING = re.compile(r"\s+#+\s*$")
"""An ATX heading's closing hashes (`## Part A ##`)."""
_LEAST = 5
"""Headings a text must have, at two levels or more, for its outline to be a table."""


def headings_table(text: str, question: str) -> Table | None:
    """The text's headings as rows (`line`, `level` from 1 outermost, `title`, `parent`: the
    heading directly above it in the outline, `chapter`: its outermost one, `beneath`: how many
    headings are directly beneath it), when `question` names a part of an outline
    (`ASKS_OUTLINE`); None otherwise, or for fewer than `_LEAST` headings or one level."""
    if not ASKS_OUTLINE.search(question) or not _COUNTS_PARTS.search(question):
        return None
    _, heads, parents = _outline(text, 0, len(text))
    outermost = min((level for _, _, level in heads), default=0)
    if heads and heads[0][2] == outermost and sum(level == outermost for _, _, level in heads) == 1:
        # A README's one `#` title over its `##` chapters: the title is the document's, no chapter.
        heads = [(a, b, level - 1) for a, b, level in heads[1:]]
        parents = [-1 if k <= 0 else k - 1 for k in parents[1:]]
    if len(heads) < _LEAST or len({level for _, _, level in heads}) < 2:
        return None
    titles = [_ATTRIBUTES.sub("", _CLOSING.sub("", text[a:b].strip()).lstrip("#*").strip()).strip() or None
              for a, b, _ in heads]
    beneath = Counter(parents)
    breaks = [m.start() for m in re.finditer("\n", text)]

    def chapter(k: int) -> int:
        while parents[k] >= 0:
            k = parents[k]
        return k

    rows = [[str(bisect_left(breaks, a) + 1), str(level), titles[k],
             titles[parents[k]] if parents[k] >= 0 else None, titles[chapter(k)], str(beneath[k])]
            for k, (a, _, level) in enumerate(heads)]
    return Table.of_rows(["line", "level", "title", "parent", "chapter", "beneath"], rows,
                         note="(one row a heading of the text; level 1 is outermost; beneath is how many headings "
                              "are directly beneath it, one level down)")
