"""A sub-model reads the first look's lines for a look-up question (`recursor.look_reader`)."""

from __future__ import annotations

from tests.fakes.scripted_lm import FakeScriptedLM

from recursor import RLM, Limits
from recursor.errors import LMError
from recursor.look_reader import READ_CHARS, looks_up, read_value, reader_lines
from recursor.orient import orientation
from recursor.prompts import Prompts
from recursor.prompts_small import SmallModelPrompts

SOURCE = (
    "import re\n\n\n"
    "def escape(pattern):\n    return pattern\n\n\n"
    "def split(pattern, string, maxsplit=0, flags=0):\n    return re.split(pattern, string, maxsplit)\n\n\n"
    "def purge():\n    pass\n"
) * 3
QUESTION = "What is the default value of the maxsplit parameter of split?"


def _run(root: FakeScriptedLM, sub: FakeScriptedLM, question: str = QUESTION, prompts: Prompts | None = None,
         context: str = SOURCE) -> str:
    result = RLM(root, sub_model=sub, prompts=prompts or SmallModelPrompts(), limits=Limits(max_iterations=6),
                 trace_dir=False).complete(question, context)
    return result.answer


def test_a_look_up_is_read_but_a_count_total_or_ranking_is_computed() -> None:
    for question in (QUESTION, "Which module defines class Codec?", "When was the most recent upgrade of gnupg?",
                     "What version did gnupg end up with?", "Who signed the oldest entry?"):
        assert looks_up(question), question
    for question in ("How many functions does it define?", "What is the number of flags?",
                     "Which package had the most status changes?", "Count the upgrades.",
                     "Which date saw the fewest installs?", "What is the total size?"):
        assert not looks_up(question), question


def test_only_a_value_the_lines_write_is_read() -> None:
    lines = "1| def split(pattern, string, maxsplit=0, flags=0):\n2| class PyDLL(CDLL):  # in ctypes/__init__.py"
    assert read_value("0", lines, QUESTION) == "0"
    assert read_value("Answer: `ctypes/__init__.py`.", lines, "Where is PyDLL defined?") == "ctypes/__init__.py"
    assert read_value("NONE", lines, QUESTION) is None
    assert read_value("n/a", lines, QUESTION) is None
    assert read_value("7", lines, QUESTION) is None  # made up: no line writes it
    assert read_value("10", "maxsplit=100", QUESTION) is None  # inside another number, not written whole
    assert read_value("PyDLL", lines, "Where is PyDLL defined? Name the module.") is None  # the question's own term
    assert read_value("It is 0 because the signature\nsays so", lines, QUESTION) is None  # prose, not a value
    assert read_value("x" * 90, "x" * 100, QUESTION) is None
    changelog = "alsa-ucm-conf (1.2.8-1) unstable\n -- Jordi Mallach <jordi@debian.org>  Mon, 2 Jan 2023"
    assert read_value("alsa-ucm-conf", changelog, "Whose name is on the oldest entry?") is None  # not a person
    assert read_value("Jordi Mallach", changelog, "Whose name is on the oldest entry?") == "Jordi Mallach"
    assert read_value("993", "imaps\t\t993/tcp", "Which port does IMAP over SSL use?") == "993"


def test_the_reader_is_given_the_looks_lines_holding_the_questions_words_and_no_more() -> None:
    look = orientation(SOURCE, QUESTION)
    lines = reader_lines(look)
    assert "def split(pattern, string, maxsplit=0, flags=0):" in lines
    assert "It has" not in lines  # the look's size and head are not lines holding the words
    long = orientation("\n".join(f"entry {i} maxsplit={i} " + "x" * 150 for i in range(200)), QUESTION)
    assert 0 < len(reader_lines(long)) <= READ_CHARS and not reader_lines(long).endswith("x" * 10 + "e")


def test_the_value_read_is_offered_in_the_first_message_and_taken_when_given_back() -> None:
    sub = FakeScriptedLM(["0"])
    root = FakeScriptedLM(["FINAL(0)"])
    assert _run(root, sub) == "0"
    assert len(root.calls) == 1  # "0" is no guess: it was read in the look's lines, and offered
    asked = sub.calls[0].messages[-1]["content"]
    assert "def split(pattern, string, maxsplit=0, flags=0):" in asked and QUESTION in asked
    first = root.calls[0].messages[-1]["content"]
    assert "Read in the lines above: 0. If that answers the question, reply with the line FINAL(0) now." in first


def test_a_root_may_still_check_the_offer_with_code() -> None:
    sub = FakeScriptedLM(["0"])
    root = FakeScriptedLM(["```repl\nprint(lines('def split'))\n```", "FINAL(0)"])
    assert _run(root, sub) == "0"
    assert "def split(pattern, string, maxsplit=0, flags=0)" in root.calls[1].messages[-1]["content"]


def test_nothing_is_offered_when_the_reader_makes_a_value_up_or_reads_nothing() -> None:
    for reply in ("-1", "NONE", "The lines do not say."):
        sub = FakeScriptedLM([reply])
        root = FakeScriptedLM(["```repl\nprint(lines('def split'))\n```", "FINAL(0)"])
        assert _run(root, sub) == "0"
        first = root.calls[0].messages[-1]["content"]
        assert "Read in the lines above" not in first and "Reply with a ```repl block now." in first, reply


def test_no_reader_for_a_count_for_capable_models_or_when_it_fails() -> None:
    count = "How many functions are defined at module level?"
    sub = FakeScriptedLM([])
    root = FakeScriptedLM(["```repl\nprint(len(lines(r'^def ')))\n```", "FINAL(9)", "FINAL(9)"])
    assert _run(root, sub, count) == "9" and sub.calls == []  # computed, not read
    capable = FakeScriptedLM(["```repl\nprint(lines('maxsplit'))\n```", "FINAL(0)"])
    assert _run(capable, sub, prompts=Prompts()) == "0" and sub.calls == []
    failing = FakeScriptedLM([LMError("reader down", status=503)])
    root = FakeScriptedLM(["```repl\nprint(lines('def split'))\n```", "FINAL(0)"])
    assert _run(root, failing) == "0"  # a failed reading offers nothing; the run goes on
    assert "Read in the lines above" not in root.calls[0].messages[-1]["content"]


def test_the_reading_is_a_sub_call_the_budget_counts() -> None:
    sub = FakeScriptedLM(["0"])
    root = FakeScriptedLM(["FINAL(0)"])
    result = RLM(root, sub_model=sub, prompts=SmallModelPrompts(), limits=Limits(max_iterations=6),
                 trace_dir=False).complete(QUESTION, SOURCE)
    assert result.usage.total.calls == 2
