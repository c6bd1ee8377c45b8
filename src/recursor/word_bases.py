"""The base forms a word may have, for looking it up in a table of base forms.

"uploaded" is looked up as "upload" among FTP's commands (`short_forms`), "denied" as "deny"
among verbs a program writes for one event (`synonyms`). Each table holds words in their base
form; a question writes them with any ending. The candidates here are many and cheap: only a
table's own keys are ever matched, so a wrong candidate ("unuse" of "unused") finds nothing.
"""

from __future__ import annotations

__all__ = ["base_forms", "irregular_forms"]

_IRREGULAR = {"bought": "buy", "sent": "send", "began": "begin", "begun": "begin", "paid": "pay", "sold": "sell",
              "held": "hold", "kept": "keep", "lost": "lose", "made": "make", "built": "build", "found": "find",
              "took": "take", "taken": "take", "gave": "give", "given": "give", "wrote": "write", "written": "write",
              "spent": "spend", "left": "leave", "won": "win", "chose": "choose", "chosen": "choose",
              "withdrew": "withdraw", "withdrawn": "withdraw", "froze": "freeze", "frozen": "freeze",
              "broke": "break", "broken": "break", "ran": "run", "got": "get", "gotten": "get"}
"""Past forms no ending gives, of verbs programs log ("fine paid", "order sold")."""
_ENDINGS = (("ied", "y"), ("ies", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", ""),
            ("d", ""))
"""Each ending and what its base ends with instead: "denied" -> "deny", "closing" -> "close"."""


def base_forms(word: str) -> tuple[str, ...]:
    """`word` in lower case, then each base form its ending allows, the doubled consonant
    undone ("stopped" -> "stop"): "Uploaded" -> ("uploaded", "upload", "uploade", ...). An
    ending is taken off only where at least three letters stay ("used" stays "used")."""
    lower = word.lower()
    bases = [_IRREGULAR.get(lower, lower)]
    for end, base in _ENDINGS:
        if lower.endswith(end) and len(lower) > len(end) + 2:
            stem = lower[: -len(end)]
            bases.append(stem + base)
            if not base and stem[-1] == stem[-2]:
                bases.append(stem[:-1])
    return tuple(dict.fromkeys(bases))


def irregular_forms(base: str) -> tuple[str, ...]:
    """The past forms of a verb no ending gives ("pay" -> ("paid",)); () for a regular verb."""
    low = base.lower()
    return tuple(form for form, of in _IRREGULAR.items() if of == low)
