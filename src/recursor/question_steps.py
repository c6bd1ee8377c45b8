"""A question in two steps: the thing one part names, then what a later part asks of it.

"Find the GNU make version that first added .ONESHELL. How many warnings are listed under
that version?" The second part cannot be searched for until the first part's value is known:
its only lead, "that version", names nothing in the text. A small root asked both at once
answered from the lines its look showed for the second part's words (the count of every
warning in the file). Split, the first part is a question of its own, read as any other
(`recursor.look_reads`), and the second is asked with that value next to the words that point
back: "under that version (4.0)".

A part points back with "that", "this" or "the same" before a word an earlier part
introduced with an article or a question word ("Find the client IP ...", "One setting ...",
"Which client address ..."): "that same client". A pronoun ("it", "their") or a noun no
earlier part introduced ("that same warnings category" after "the warning") is not taken:
either may point at a property of the thing, not at the thing.

General English question shapes only: nothing here knows a document or a benchmark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from recursor.question import ANSWER_FORMAT, about_context

__all__ = ["TwoSteps", "two_steps"]

_PARTS = re.compile(
    r"(?<!\b[eE]\.[gG]\.)(?<!\b[iI]\.[eE]\.)(?<!\bvs\.)(?<!\betc\.)(?<=[.?!;])\s+"
    r"|,\s+and\s+(?=(?:how|what|which|who|when|where|(?:in|on|at|for|from|to)\s+(?:which|what))\b)",
    re.IGNORECASE)
"""Where a question's parts meet: a sentence's end (not after "e.g."), a semicolon, or ", and"
before a second question ("Which client ..., and how many queries did that client send?")."""

_BACK = re.compile(r"\b(?:(?:that|this)(?:\s+same)?|the\s+same)\s+(?=[a-z])", re.IGNORECASE)
"""The words that point back at a thing named before: "that", "that same", "this", "the same"."""

_WORD = re.compile(r"[A-Za-z][\w-]*")

_INTRODUCED = re.compile(r"\b(?P<det>the|a|an|one|some|which|what)\s+(?P<phrase>(?:[A-Za-z][\w-]*\s+){0,3}?[A-Za-z][\w-]*)"
                         r"(?=\s+(?:that|which|who|whom|whose|where|when|with|without|in|of|for|from|on|at|to|by|"
                         r"called|named|is|was|were|are|has|had|have|did|does|do|got|gets|sent|used|gave)\b"
                         r"|\s*[,.;:?!(]|\s*$)", re.IGNORECASE)
"""An earlier part's thing: an article or a question word, up to four words, and what follows
a noun phrase (a relative or a preposition, a verb of being, the part's end): "the GNU make
version that ...", "one setting in ...", "some configuration section.", "Which client address sent"."""

_ASKS = re.compile(r"^\s*(?:which|what|who|whom|whose|when|where|how)\b|,\s*(?:which|what|who)\b|\?\s*$"
                   r"|^\s*(?:find|identify|take|locate|pick|name|determine|choose|select|get|(?:look|work|figure)\s+out|look\s+up)"
                   r"\s+(?:the|a|an|which|what)\b", re.IGNORECASE)
"""Parts that ask for their thing already: a question, or a question word after a comma
("..., which one racked up the most"), or a verb of finding before an article ("Find the ...",
not "find has an option"). "when PHP runs" in a statement asks nothing."""

_LONGEST = 80
"""The longest first-step value taken (characters, one line): a name, a version, an address."""


@dataclass(frozen=True, slots=True)
class TwoSteps:
    """A question's first step (a question of its own) and the later part that points back."""

    first: str
    """The parts that name the thing, asked as a question ("... Which setting is it?")."""
    second: str
    """The later parts, with `at` the end of the words that point back."""
    at: int

    def then(self, value: str) -> str | None:
        """The later parts with the first step's value after the words that point back:
        "under that version (4.0)". None for a value that is no one short line."""
        value = value.strip().strip("`'\"").strip()
        if not value or "\n" in value or len(value) > _LONGEST:
            return None
        return f"{self.second[:self.at]} ({value}){self.second[self.at:]}"


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _same_word(word: str, phrase: list[str]) -> bool:
    """`word` is one of the phrase's words, or its plural or singular ("account", "accounts")."""
    return any(word in (w, w + "s", w.removesuffix("s")) for w in phrase)


def _phrases(part: str) -> list[list[str]]:
    """The things a part introduces, each its words, lowercased."""
    return [_words(m["phrase"]) for m in _INTRODUCED.finditer(part)]


def _pointing(part: str, earlier: list[list[str]]) -> tuple[int, list[str]] | None:
    """Where the words that point back at an earlier part's thing end in `part`, and that
    thing's words: "that same long option" after "the long diff option" ends after "option"."""
    for back in _BACK.finditer(part):
        after = list(_WORD.finditer(part, back.end()))[:3]
        for phrase in earlier:
            end = 0
            for m in after:
                if part[end or back.end():m.start()].strip():  # a comma or a bracket between: no more of it
                    break
                if not _same_word(m.group().lower(), phrase):
                    break
                end = m.end()
            if end:
                return end, phrase
    return None


def _parts(body: str) -> list[str]:
    return [p.strip() for p in _PARTS.split(body) if p and p.strip()]


def two_steps(question: str) -> TwoSteps | None:
    """The question's two steps, or None when no part points back at a thing an earlier part
    introduced. Statements about the context ("The context is ...") lead both steps; the
    words about the answer's form ("Answer with a number.") stay with the second."""
    lead, body = about_context(question)
    parts = _parts(body)
    for k in range(1, len(parts)):
        if ANSWER_FORMAT.fullmatch(parts[k]):
            break
        if "?" not in parts[k] and not _ASKS.search(parts[k]):
            continue  # a statement about the thing asks nothing of it
        earlier = [p for part in parts[:k] for p in _phrases(part)]
        found = _pointing(parts[k], earlier) if earlier else None
        if found is None:
            continue
        at, thing = found
        first = " ".join(parts[:k]).rstrip(",;")
        if not any(_ASKS.search(part) for part in parts[:k]):  # a statement: "One setting ... ."
            first = f"{first.rstrip('.')}. Which {' '.join(thing)} is it?"
        elif first[-1] not in ".?!":  # cut at ", and how many ...": "Which client ...?"
            first += "?"
        later = " ".join(parts[k:])
        second = later[0].upper() + later[1:]
        return TwoSteps(first=f"{lead}{first}", second=f"{lead}{second}", at=len(lead) + at)
    return None
