"""An answer in the form the question asks for it: a number rounded as asked.

"What is the lowest elevation on that track, rounded to the nearest metre?": the run read
722.0874 from the file and answered it; the user asked for 722. The rounding a question asks
is arithmetic, not judgement, so it is done here on the final answer, only when the answer is
one plain number and the question says how to round it.

General: English's ways of asking for rounding; no unit is known but the place words.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = ["rounded_as_asked"]

_NEAREST = re.compile(r"\b(?:rounded|round(?:ing)?)\s+(?:it\s+|off\s+|up\s+or\s+down\s+)?to\s+the\s+nearest\s+(?P<place>[a-z]+(?:\s+number)?)",
                      re.IGNORECASE)
_PLACES = re.compile(r"\b(?:rounded|round(?:ing)?)\s+(?:it\s+|off\s+)?to\s+(?P<n>\d|one|two|three|four)\s+decimal\s+places?\b",
                     re.IGNORECASE)
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4}
_PLACE_DIGITS = {"tenth": 1, "tenths": 1, "hundredth": 2, "hundredths": 2, "thousandth": 3, "thousandths": 3,
                 "cent": 2, "penny": 2, "ten": -1, "tens": -1, "hundred": -2, "hundreds": -2, "thousand": -3,
                 "thousands": -3, "million": -6}
"""Place words and the decimal digits they keep; any other word ("whole number", "metre",
"integer", "degree") keeps none."""
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")


def rounded_as_asked(answer: str, question: str) -> str:
    """`answer` rounded as `question` asks ("to the nearest metre", "to two decimal places"),
    half away from zero; `answer` unchanged when it is not one plain number or the question
    asks no rounding."""
    text = answer.strip()
    if not _NUMBER.fullmatch(text):
        return answer
    if (m := _PLACES.search(question)) is not None:
        digits = int(m.group("n")) if m.group("n").isdigit() else _WORDS[m.group("n").lower()]
    elif (m := _NEAREST.search(question)) is not None:
        digits = _PLACE_DIGITS.get(m.group("place").split()[0].lower(), 0)
    else:
        return answer
    try:
        value = Decimal(text)
    except InvalidOperation:
        return answer
    quantum = Decimal(1).scaleb(-digits)
    done = value.quantize(quantum, rounding=ROUND_HALF_UP) if digits >= 0 else (
        (value / quantum).quantize(Decimal(1), rounding=ROUND_HALF_UP) * quantum)
    return f"{done:f}" if digits > 0 else str(int(done))
