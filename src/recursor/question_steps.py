"""A question in two steps: the thing one part names, then what a later part asks of it.

"Find the GNU make version that first added .ONESHELL. How many warnings are listed under
that version?" The second part cannot be searched for until the first part's value is known:
its only lead, "that version", names nothing in the text. A small root asked both at once
answered from the lines its look showed for the second part's words (the count of every
warning in the file). Split, the first part is a question of its own, read as any other
(`recursor.look_reads`), and the second is asked with that value next to the words that point
back: "under that version (4.0)".

A part points back with "that", "that same" or "the same" before a word of the thing the
part before it asks for: "Find the client IP ...", "Which client address ...", or a
statement's "One setting ...", "some configuration section". A pronoun ("it", "their"), a
word of another noun ("that log" after "Find the user ... in the auth log"), "this" (most
often the document: "this table") and a "that" after "say" or "shows" (a clause: "does the
manual say that option names are ...") are not taken. A first part that is a question of its
own ("Which IP sent the first request, and when did that IP send its last?") is split only
when the question says which value to give ("Give the number of queries."): else both are
asked, and the run answers both.

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

_BACK = re.compile(r"\b(?:that(?:\s+same)?|the\s+same)\s+(?=[a-z])", re.IGNORECASE)
"""The words that point back at a thing named before: "that", "that same", "the same"."""

_CLAUSE_THAT = re.compile(r"\b(?:say|says|said|state|states|stated|note|notes|noted|mention|mentions|mentioned|claim|"
                          r"claims|show|shows|showed|shown|think|thinks|mean|means|know|knows|ensure|ensures|check|"
                          r"checks|verify|confirm|confirms|so|such|now|given|assuming|suppose)\s*$", re.IGNORECASE)
"""A verb (or "so", "given") before "that": a clause follows, not a thing pointed back at."""

_WORD = re.compile(r"[A-Za-z][\w-]*")

_PHRASE = re.compile(r"(?P<phrase>(?:[A-Za-z][\w-]*\s+){0,3}?[A-Za-z][\w-]*)"
                     r"(?=\s+(?:that|which|who|whom|whose|where|when|with|without|in|of|for|from|on|at|to|by|"
                     r"called|named|is|was|were|are|has|had|have|did|does|do|got|gets|sent|used|gave)\b"
                     r"|\s*[,.;:?!(]|\s*$)", re.IGNORECASE)
"""A noun phrase of up to four words and what follows one (a relative or a preposition, a verb
of being, the part's end): "GNU make version" of "... version that", "client address sent"."""

_AUXILIARY = r"(?:is|are|was|were|does|do|did|has|have|had|can|could|will|would|should|may|might|must)\b"

_FIND = re.compile(r"\s*(?:find|identify|take|locate|pick|determine|choose|select|(?:look|work|figure)\s+out|look\s+up)"
                   r"\s+(?:the|a|an)\s+", re.IGNORECASE)
"""A part that asks to find a thing: "Find the ...", not "find has an option"."""
_WHICH = re.compile(rf"(?:^\s*|,\s*)(?:which|what)\s+(?!{_AUXILIARY})", re.IGNORECASE)
"""A part that asks which thing: "Which client address ...", "..., which one ...", not "What is ..."."""
_SOME = re.compile(r"\b(?:only\s+one|one|some|a\s+certain)\s+", re.IGNORECASE)
"""A statement's thing: "One setting ...", "... belongs to some configuration section"."""
_ARTICLE = re.compile(r"\b(?:the|a|an)\s+", re.IGNORECASE)

_GIVE = re.compile(r"\s*(?:give|state|report|answer|reply|respond|write|return|just|only)\b", re.IGNORECASE)
"""A part that says which value to give: "Give the number of queries."."""

_LONGEST = 80
"""The longest first-step value taken (characters, one line): a name, a version, an address."""
_LONGEST_QUESTION = 2000
"""Longer questions are not split: a question is a few sentences, and the search is per part."""


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


def _phrase_at(part: str, at: int) -> list[str]:
    """The noun phrase at `at`; its first two words when no phrase of four ends there."""
    m = _PHRASE.match(part, at)
    return _words(m["phrase"]) if m else _words(part[at:])[:2]


def _asked_thing(part: str) -> tuple[list[str], str] | None:
    """The words of the thing a part asks for, and how it asks: "find", "which" or "some" (a
    statement that one exists). None when it asks for none ("What is ...", "How many ...")."""
    if (m := _FIND.match(part)) is not None:
        return _phrase_at(part, m.end()), "find"
    if (m := _WHICH.search(part)) is not None:
        one = re.match(r"one\b", part[m.end():], re.IGNORECASE)
        a = _ARTICLE.search(part, 0, m.start()) if one else None  # "Of the user accounts ..., which one ..."
        thing = _phrase_at(part, m.end() if a is None else a.end())
        return (thing, "which") if thing else None
    if not part.rstrip().endswith("?") and (m := _SOME.search(part)) is not None:
        return _phrase_at(part, m.end()), "some"
    return None


def _pointing(part: str, thing: list[str]) -> int | None:
    """Where the words that point back at `thing` end in `part`: "that same long option"
    after "the long diff option" ends after "option"."""
    for back in _BACK.finditer(part):
        if _CLAUSE_THAT.search(part, 0, back.start()):
            continue  # "does the manual say that option names ...": a clause
        end = 0
        for m in list(_WORD.finditer(part, back.end()))[:3]:
            if part[end or back.end():m.start()].strip() or not _same_word(m.group().lower(), thing):
                break  # a comma or a bracket between, or a word of something else
            end = m.end()
        if end:
            return end
    return None


def two_steps(question: str) -> TwoSteps | None:
    """The question's two steps, or None when no part points back at the thing the part before
    it asks for. Statements about the context ("The context is ...") lead both steps; the words
    about the answer's form ("Answer with a number.") go with the second, wherever written."""
    if len(question) > _LONGEST_QUESTION:
        return None
    lead, body = about_context(question)
    parts = [p.strip() for p in _PARTS.split(body) if p and p.strip()]
    forms = [p for p in parts if ANSWER_FORMAT.fullmatch(p)]
    parts = [p for p in parts if p not in forms]
    for k in range(1, len(parts)):
        if "?" not in parts[k] and not _WHICH.search(parts[k]) and not _FIND.match(parts[k]):
            continue  # a statement about the thing asks nothing of it
        asked = _asked_thing(parts[k - 1])
        if asked is None or (at := _pointing(parts[k], asked[0])) is None:
            continue
        thing, how = asked
        if how == "which" and not any(_GIVE.match(p) for p in parts[k + 1:] + forms):
            return None  # two questions, each asked: the run answers both
        first = " ".join(parts[:k]).rstrip(",;")
        if how == "some":
            first = f"{first.rstrip('.')}. Which {' '.join(thing)} is it?"
        elif first[-1] not in ".?!":  # cut at ", and how many ...": "Which client ...?"
            first += "?"
        later = " ".join(parts[k:] + [f for f in forms if f not in parts[k:]])
        return TwoSteps(first=f"{lead}{first}", second=f"{lead}{later[0].upper()}{later[1:]}", at=len(lead) + at)
    return None
