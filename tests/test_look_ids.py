"""The look's count of the different identifiers a question names by prefix (`look_ids`)."""

from __future__ import annotations

import random
import re

from recursor.look_ids import distinct_ids
from recursor.orient import orientation


def _news(seed: int = 1) -> tuple[str, set[str]]:
    rng = random.Random(seed)
    ids = [f"CVE-20{rng.randint(10, 23)}-{rng.randint(1000, 49999)}" for _ in range(15)]
    lines = []
    for i in range(200):
        picked = rng.sample(ids, rng.choice([0, 0, 0, 1, 2]))
        lines.append(f"• Fix issue {i} ({', '.join(picked)}; fd.o #{1000 + i})" if picked else f"• Tidy code {i}")
    text = "\n".join(lines) + "\n"
    return text, set(re.findall(r"CVE-\d{4}-\d+", text))


def test_different_identifiers_are_counted_once_each() -> None:
    text, ids = _news()
    look = distinct_ids(text, "How many different CVE identifiers are mentioned in this NEWS file?")
    assert look is not None and look[1] == str(len(ids))
    assert len(ids) < sum(line.count("CVE-") for line in text.split("\n"))  # the lines' count is another number
    call = look[0][0].split(": ", 1)[1].removesuffix(" counts them.")
    code, expression = call.split("; ", 1)
    assert code == "import re" and eval(expression, {"re": re, "context": text}) == len(ids)
    assert orientation(text, "How many different CVE identifiers are mentioned in this NEWS file?").counted == str(len(ids))


def test_a_question_saying_more_than_which_identifiers_is_shown_not_offered() -> None:
    text, _ = _news()
    for question in ("How many distinct CVEs were fixed in 2014?", "How many unique CVE ids name a crash?"):
        look = distinct_ids(text, question)
        assert look is not None and look[1] == "", question
    assert distinct_ids(text, "How many CVE identifiers are there?") is None  # not asked "different"


def test_only_an_acronym_joined_to_its_number_is_an_identifier() -> None:
    text = "Version 1.2\nversion 1.2\nversion 1.3\nGPU 0 up\nGPU0 ok\nGPU1 ok\nBlocked IP 10.0.0.7\nIP 10.0.0.8 seen\n"
    assert distinct_ids(text, "How many different version numbers are mentioned?") is None  # not an acronym
    assert distinct_ids(text, "How many different IPs appear?") is None  # "IP 10.0.0.7": a space, not an id
    look = distinct_ids(text, "How many different GPUs are listed?")
    assert look is not None and look[1] == "2"  # GPU0 and GPU1
