"""A question in two steps: split where a later part points back, and read the first step first."""

from __future__ import annotations

import asyncio

import pytest
from tests.fakes.scripted_lm import FakeScriptedLM

from recursor import RLM, Limits
from recursor.prompts_small import SmallModelPrompts
from recursor.question_steps import two_steps


@pytest.mark.parametrize(("question", "first", "second"), [
    ("Find the GNU make version that first added the special target that runs a whole recipe in a single shell. "
     "How many backward-incompatibility warnings are listed under that version?",
     "Find the GNU make version that first added the special target that runs a whole recipe in a single shell.",
     "How many backward-incompatibility warnings are listed under that version (V)?"),
    # "that same long option" after "the long diff option": the value after the whole phrase
    ("Find the long diff option that makes every input be handled as text. How many other programs list that "
     "same long option?",
     "Find the long diff option that makes every input be handled as text.",
     "How many other programs list that same long option (V)?"),
    # a statement introduces the thing: the first step asks which
    ("One setting in this config is switched on with the value 5. What is the number of the subsection that "
     "documents that setting?",
     "One setting in this config is switched on with the value 5. Which setting is it?",
     "What is the number of the subsection that documents that setting (V)?"),
    # the answer's form goes with the second step, wherever it is written
    ("Answer with a number. Which user logged in most often, and how many times did that user fail? Give the count.",
     "Which user logged in most often?",
     "How many times did that user (V) fail? Give the count. Answer with a number."),
    # ", and how many ..." after a question, and the plural of the thing ("accounts", "account")
    ("Of the user accounts on this machine, which one had the most failed logins, and how many successful "
     "logins did that same account have? Give the number of logins.",
     "Of the user accounts on this machine, which one had the most failed logins?",
     "How many successful logins did that same account (V) have? Give the number of logins."),
    # a statement about the context leads both steps; the answer's form stays with the second
    ("The context is a server's log.\n\nWhich client address sent the first refused query, and how many "
     "queries did that client send in total?\n\nAnswer with a number.",
     "The context is a server's log.\n\nWhich client address sent the first refused query?",
     "The context is a server's log.\n\nHow many queries did that client (V) send in total? Answer with a number."),
])
def test_a_part_that_points_back_at_a_thing_an_earlier_part_introduced_splits_the_question(
        question: str, first: str, second: str) -> None:
    steps = two_steps(question)
    assert steps is not None
    assert steps.first == first
    assert steps.then("V") == second


@pytest.mark.parametrize("question", [
    "How many lines that mention the disk are warnings?",  # "that" opens a relative clause
    "Find the module that defines TimeoutError; how many functions does it have?",  # a pronoun points anywhere
    "Find the warning perl gives for a bad prototype. How many diagnostics share that same category?",  # not introduced
    "Which host sent the most requests? Answer with that host's name only.",  # the answer's form
    "What is the default port? That port is used by every client.",  # a statement asks nothing of it
    "How many packages were upgraded on 2026-12-06?",
    # "that" before a word of another noun than the thing asked for
    "How many packages depend on the library? Which version of that library is installed?",
    "Find the user who triggered the error in the auth log. How many lines does that log have?",
    "Which process crashed at the same time as the backup? When did that backup start?",
    "Which column of the table has the most missing values? How many rows does this table have?",  # the document
    # a clause after "say": "that" is no pointer
    "Which option enables verbose output? Does the manual say that option names are case-sensitive?",
    # two questions, neither saying which value to give: both are asked
    "Which IP sent the first request, and at what time did that IP send its last request?",
    # a statement's "a crash", a question for a value ("What does ... return"), "What is ..."
    "The log shows a crash at 10:02. What caused that crash?",
    "What does the main function return? Where is that return value used?",
    "What is the default timeout? The timeout is in seconds. How long is that timeout in minutes?",
])
def test_one_step_questions_are_not_split(question: str) -> None:
    assert two_steps(question) is None


def test_a_value_that_is_no_one_short_line_is_not_written_into_the_second_step() -> None:
    steps = two_steps("Find the user that logged in first. How many files did that user upload?")
    assert steps is not None
    assert steps.then("  `alice`  ") == "How many files did that user (alice) upload?"
    assert steps.then("") is None and steps.then("a\nb") is None and steps.then("x" * 81) is None


_NEWS = "Project NEWS\n\n" + "".join(
    f"Version {version} ({day})\n\n* {feature}\n" + "".join(f"* WARNING: {w}\n" for w in warnings) + "\n"
    for version, day, feature, warnings in [
        ("3.0", "2024-03-01", "New option --fast for quick builds.", ["the -q flag is gone.", "config moved.", "codes changed."]),
        ("2.5", "2023-05-02", "New special target .ONESHELL runs each recipe in a single shell.", ["tabs are required.",
                                                                                                    "the -k flag is gone."]),
        ("2.0", "2022-01-09", "New function $(file ...) writes files.", ["one warning here."]),
    ])
_ASKED = ("Find the version that first added the special target that runs a recipe in one shell. "
          "How many warnings are listed under that version?")


def _run(sub: FakeScriptedLM, root: FakeScriptedLM) -> str:
    result = RLM(root, sub_model=sub, prompts=SmallModelPrompts(), limits=Limits(max_iterations=4),
                 trace_dir=False).complete(_ASKED, _NEWS)
    return result.answer


def test_the_first_step_is_read_alone_and_the_root_is_asked_the_second_with_its_value() -> None:
    sub = FakeScriptedLM(["2.5"] + ["NONE"] * 5)
    root = FakeScriptedLM(["```repl\nprint(lines('2.5'))\n```", "FINAL(2)"])
    assert _run(sub, root) == "2"
    reading = sub.calls[0].messages[-1]["content"]
    assert "Find the version that first added" in reading and "How many warnings" not in reading
    assert "* New special target .ONESHELL" in reading  # the first step's own look was read
    first = root.calls[0].messages[-1]["content"]
    assert "Question: How many warnings are listed under that version (2.5)?" in first
    assert "special target" not in first.split("Question:")[1].split("\n")[0]


def test_when_the_first_step_reads_nothing_the_whole_question_is_asked() -> None:
    sub = FakeScriptedLM(["NONE"] * 6)
    root = FakeScriptedLM(["```repl\nprint(lines('ONESHELL'))\n```", "FINAL(2)"])
    assert _run(sub, root) == "2"
    assert f"Question: {_ASKED}" in root.calls[0].messages[-1]["content"]


def test_a_sessions_later_question_is_not_read_in_two_steps_from_the_first_context() -> None:
    # A session's later question names its own context (`context_1`), and its look is none:
    # its first step is not read from `context`, the first question's text.
    sub = FakeScriptedLM(default="2.5")
    root = FakeScriptedLM(default="FINAL(2)")
    rlm = RLM(root, sub_model=sub, prompts=SmallModelPrompts(), limits=Limits(max_iterations=2), trace_dir=False)
    weblog = "\n".join(f"2024-01-0{i} host{i} GET /x 200" for i in range(1, 8))

    async def ask_two() -> None:
        session = rlm.session()
        await session.aask("How many lines are there?", _NEWS)
        reads = len(sub.calls)
        await session.aask(_ASKED, weblog)
        assert len(sub.calls) == reads  # no reading of the first step
        await session.aclose()

    asyncio.run(ask_two())
    assert "that version (" not in str(root.calls[-1].messages)  # asked whole
