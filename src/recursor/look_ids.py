"""The first look's count of the different identifiers a question names by their prefix.

"How many different CVE identifiers does this NEWS file mention?" The 1.5B counted the 28
lines holding "CVE"; one line names two, and seven name one named before. An identifier is a
token the question's acronym starts, joined to digits (`CVE-2022-42010`, `RHSA-2022:1234`,
`GPU0`), and the count of different ones is one `set` of a regex's matches.

General: the prefix is the question's own word, as the text writes it.
"""

from __future__ import annotations

import re

from recursor.look_counts import says_more
from recursor.question import COUNT_ASKED, TOKEN, asking_part, document_words
from recursor.sandbox.helpers import _STOP

__all__ = ["distinct_ids"]

_DISTINCT = re.compile(r"\b(?:different|distinct|unique|separate|individual)\b", re.IGNORECASE)
_ID_NOUNS = frozenset("identifier identifiers id ids number numbers code codes name names entry entries reference "
                      "references mentioned mention mentions cited cite named listed list written appear appears "
                      "text file document here".split())
_SHOWN = 4
_LEAST = 2


def distinct_ids(text: str, question: str) -> tuple[list[str], str] | None:
    """The look's line for "how many different W ..." where W, an acronym the text writes in
    capitals joined to digits, begins identifiers in the text: how many different ones there
    are, a few of them and the call; and that count when the question asks just it. None when
    no word of the question begins identifiers, or several do."""
    asking = asking_part(question)
    if not COUNT_ASKED.search(asking) or not _DISTINCT.search(asking):
        return None
    found = []
    said = TOKEN.findall(asking)
    said += [w[:-1] for w in said if len(w) > 2 and w.endswith("s") and w[:-1].isupper()]  # "CVEs"
    for word in dict.fromkeys(said):
        # An acronym written in capitals and joined to its number (CVE-2022-1234, RHSA-2022:1234,
        # GPU0): "IP 10.0.0.7" or "version 1.2" name things also written without the word.
        if len(word) < 2 or not word.isalpha() or not word.isupper() or word not in text:
            continue
        rx = re.compile(rf"(?<![\w-]){re.escape(word)}[-_#:]?\d(?:[\w.:-]*\d)?")
        ids = {m.group(0).rstrip(".-:") for m in rx.finditer(text)}
        if len(ids) >= _LEAST:
            found.append((word, rx, ids))
    if len(found) != 1:
        return None
    word, rx, ids = found[0]
    shown = ", ".join(sorted(ids)[:_SHOWN]) + (f" and {len(ids) - _SHOWN:,} more" if len(ids) > _SHOWN else "")
    pattern = f"r'{rx.pattern}'" if "'" not in rx.pattern else repr(rx.pattern)
    call = f"import re; len(set(re.findall({pattern}, context)))"
    rows = [f"{word!r} begins {len(ids):,} different identifiers in the text ({shown}): {call} counts them."]
    described = document_words(question)
    rest = [w for w in TOKEN.findall(_DISTINCT.sub(" ", asking))
            if w.lower() not in _STOP and w not in (word, word + "s") and w.lower() not in _ID_NOUNS
            and w.lower() not in described]
    plain = not rest and not says_more(_DISTINCT.sub(" ", asking), question)
    return rows, str(len(ids)) if plain else ""
