"""Scorers: how good an answer is against a task's gold, as a number from 0 to 1.

Models answer in prose, so every parser is lenient about format (a leading "Answer:", case,
punctuation, Markdown) and strict about content. The rules follow the paper: S-NIAH counts
the gold strings found; OOLONG scores numbers 0.75 ** |error| and labels by exact match;
OOLONG-Pairs scores F1 over pairs; CodeQA checks the option letter. realdocs names and
versions must appear whole: "libc6" is not found in "libc6-dev", nor "2.36-9" in "2.36-9+b1".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from recursor.bench._task import Gold, ScorerName

__all__ = [
    "has_term",
    "normalize",
    "pair_f1",
    "parse_choice",
    "parse_number",
    "parse_pairs",
    "score",
    "version_tokens",
]

_MARKER = re.compile(r"(?i)\banswer\b\s*(?:is\b)?\s*[:=]?")
_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_PAIR = re.compile(r"[(\[]\s*(['\"]?)(\d+)\1\s*,\s*(['\"]?)(\d+)\3\s*[)\]]")
"""A pair as (a, b) or [a, b], the ids bare or quoted alike ("('123', '456')", a list of
string tuples printed as Python writes it)."""
_BARE_LETTER = re.compile(r"\(?([A-Da-d])\)?\.?")
_NAMED_LETTER = re.compile(r"(?i:answer|option|choice)\s*(?:(?i:is)\s+)?[:=]?\s*\(?([A-D])\b")
_LEADING_LETTER = re.compile(r"\(?([A-D])(?:[).:]|\s*$)")
_PARENTHESISED_LETTER = re.compile(r"\(([A-D])\)")
_VERSION_TOKEN = re.compile(r"[0-9A-Za-z.+~:_-]+")


def score(gold: Gold, answer: str) -> float:
    """The score of `answer` for a task whose ground truth is `gold`."""
    return _SCORERS[gold.scorer](gold, answer)


def normalize(text: str) -> str:
    """Lower case, punctuation turned into spaces, runs of spaces collapsed."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def _after_marker(answer: str) -> str:
    """The text after the last "Answer:" (models often reason first), else all of it."""
    found = list(_MARKER.finditer(answer))
    return answer[found[-1].end() :] if found else answer


def parse_number(answer: str) -> float | None:
    """The last number in the answer (after "Answer:" if present); "1,234" reads as 1234."""
    found = _NUMBER.findall(_after_marker(answer))
    return float(found[-1].replace(",", "")) if found else None


def parse_pairs(answer: str) -> set[tuple[int, int]]:
    """Every "(a, b)" or "[a, b]" in the answer, ordered (lower, higher); self-pairs dropped.

    An answer with no bracketed pair at all is read line by line, taking lines that hold
    exactly two numbers ("12345, 67890", "12345 and 67890").
    """
    found: Iterable[tuple[str, str]] = [(m.group(2), m.group(4)) for m in _PAIR.finditer(answer)]
    if not found:
        numbers = (re.findall(r"\d+", line) for line in answer.splitlines())
        found = [(a, b) for a, b in (n for n in numbers if len(n) == 2)]
    pairs = ((int(a), int(b)) for a, b in found)
    return {(min(a, b), max(a, b)) for a, b in pairs if a != b}


def pair_f1(predicted: set[tuple[int, int]], gold: set[tuple[int, int]]) -> float:
    """F1 between two pair sets; two empty sets agree perfectly."""
    if not predicted and not gold:
        return 1.0
    hits = len(predicted & gold)
    if hits == 0:
        return 0.0
    precision, recall = hits / len(predicted), hits / len(gold)
    return 2 * precision * recall / (precision + recall)


def parse_choice(answer: str) -> str | None:
    """The option letter: a bare "B" / "(B)" last line, "Answer: B", a leading "B)", or "(B)"."""
    text = answer.replace("*", "").replace("`", "").strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines and (bare := _BARE_LETTER.fullmatch(lines[-1])):
        return bare.group(1).upper()
    if named := _NAMED_LETTER.findall(text):
        return str(named[-1])
    if leading := _LEADING_LETTER.match(text):
        return leading.group(1)
    letters = set(_PARENTHESISED_LETTER.findall(text))
    return letters.pop() if len(letters) == 1 else None


def _contains(gold: Gold, answer: str) -> float:
    text = answer.lower()
    if any(decoy.lower() in text for decoy in gold.distractors):
        return 0.0
    return sum(value.lower() in text for value in gold.values) / len(gold.values)


def _numeric(gold: Gold, answer: str) -> float:
    parsed = parse_number(answer)
    return 0.0 if parsed is None else 0.75 ** abs(float(gold.values[0]) - parsed)


def _exact(gold: Gold, answer: str) -> float:
    lines = [line for line in answer.splitlines() if line.strip()]
    candidates = [answer, _after_marker(answer)]
    if lines:
        candidates += [lines[-1], lines[-1].rpartition(":")[2]]
    accepted = {normalize(value) for value in gold.values}
    return float(any(normalize(c) in accepted for c in candidates))


def _phrase(gold: Gold, answer: str) -> float:
    text = normalize(_after_marker(answer))
    if any(normalize(other) in text for other in gold.distractors):
        return 0.0
    return float(any(normalize(value) in text for value in gold.values))


def _pairs_f1(gold: Gold, answer: str) -> float:
    return pair_f1(parse_pairs(answer), parse_pairs("\n".join(gold.values)))


def has_term(text: str, term: str) -> bool:
    """`term` occurs in `text` as a whole term: case and runs of spaces aside, and not as part
    of a longer name ("gcc" is not in "gcc-12", "1" is not in "-1" or "1.5"; a full stop after
    it is fine)."""
    words = term.lower()
    if not words.strip():
        return False
    body = r"\s+".join(re.escape(word) for word in words.split())
    pattern = rf"(?<![\w.+~-]){body}(?![\w+~-]|[.:]\w)"
    return re.search(pattern, text.lower()) is not None


def version_tokens(answer: str) -> set[str]:
    """The version-like tokens of an answer (after "Answer:"): runs of version characters
    holding a digit, with a sentence's trailing full stop, colon or dash dropped."""
    tokens = (t.rstrip(".:-") for t in _VERSION_TOKEN.findall(_after_marker(answer)))
    return {t for t in tokens if any(c.isdigit() for c in t)}


def _term(gold: Gold, answer: str) -> float:
    text = _after_marker(answer).replace("*", " ").replace("`", " ")
    if any(has_term(text, other) for other in gold.distractors):
        return 0.0
    return float(any(has_term(text, value) for value in gold.values))


def _version(gold: Gold, answer: str) -> float:
    tokens = version_tokens(answer)
    if tokens & set(gold.distractors):
        return 0.0
    return float(bool(tokens & set(gold.values)))


def _choice(gold: Gold, answer: str) -> float:
    """The option's letter; else, when the gold names the options' texts, the right option's
    text (or its first code name, when no other option starts with it) written alone."""
    letter = parse_choice(answer)
    if letter is not None or len(gold.values) < 2:
        return float(letter == gold.values[0])
    said = _option_text(answer)
    wrong = {name for option in gold.distractors for name in _option_names(option)}
    return float(said in _option_names(gold.values[1]) and said not in wrong)


_CODE_SPAN = re.compile(r"`([^`]+)`")


def _option_text(text: str) -> str:
    return text.strip().strip("`'\"").rstrip(".").strip()


def _option_names(option: str) -> set[str]:
    """What names an option: its whole text (backticks dropped), and its first code span."""
    names = {_option_text(option.replace("`", ""))}
    if span := _CODE_SPAN.search(option):
        names.add(span.group(1).strip())
    return names


_SCORERS: dict[ScorerName, Callable[[Gold, str], float]] = {
    "contains": _contains,
    "numeric": _numeric,
    "exact": _exact,
    "phrase": _phrase,
    "pairs_f1": _pairs_f1,
    "choice": _choice,
    "term": _term,
    "version": _version,
}
