"""Answers the loop sends back once: the wrong form for the question; and helpers that survive
a small model naming its variables after them."""

from __future__ import annotations

import time
from pathlib import Path

from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM, Result, turns
from recursor.budget import Limits
from recursor.orient import orientation
from recursor.prompts import Prompts
from recursor.prompts_small import SmallModelPrompts
from recursor.protocol import lone_sentence, stated_answer, unquoted_final
from recursor.question import asked_form, asks_for_number, fits_form
from recursor.sandbox import helpers as h
from recursor.turns import TurnState, new_leads

SMALL = SmallModelPrompts(reads_the_look=False)
"""Small-model prompts for a scripted root alone: no sub-call reads the look first (that
reader is tested in test_look_reader.py)."""

TEXT = ("The project codename for grey-owl is Juniper. The grass is green. "
        "The launch code for Juniper is 4417028. The sky is blue.")


def _run_on(text: str, script: list[str], question: str, prompts: Prompts | None = None,
            iterations: int = 6) -> tuple[FakeScriptedLM, Result]:
    """A run of the scripted root over `text`, small-model prompts unless told."""
    root = FakeScriptedLM(script)
    result = RLM(root, prompts=prompts or SMALL, limits=Limits(max_iterations=iterations), mode="rlm",
                 trace_dir=False).complete(question, text)
    return root, result


def _run(prompts: Prompts, script: list[str], question: str) -> tuple[FakeScriptedLM, str]:
    root = FakeScriptedLM(script)
    result = RLM(root, prompts=prompts, limits=Limits(max_iterations=6), mode="rlm",
                 trace_dir=False).complete(question, TEXT)
    return root, result.answer


def test_a_word_for_a_number_goes_back_once_in_either_mode() -> None:
    question = "Look up the codename of grey-owl, then its launch code. Answer with the number only."
    for prompts in (SMALL, Prompts()):
        root, answer = _run(prompts, ["```repl\nprint(grep('grey-owl'))\n```", "FINAL(Juniper)",
                                      "```repl\nprint(grep('Juniper'))\n```", "FINAL(4417028)"], question)
        sent_back = root.calls[2].messages[-1]["content"]
        assert "asks for a number, and 'Juniper' is not one" in sent_back
        assert answer == "4417028"
        # A small root is also shown the next step: the search for the word it answered.
        small = isinstance(prompts, SmallModelPrompts)
        assert ("This was run next: grep('Juniper')" in sent_back) is small
        assert ("launch code for >>Juniper<< is 4417028" in sent_back) is small
    # A version is asked for the same way: a name (even one with a digit inside a word) goes
    # back once, and its lines are run next for a small root.
    shipped = "Package gnupg-l10n:all shipped gnupg 2.2.40-1.1+deb12u2 on 2026-05-09."
    root, result = _run_on(shipped, ["```repl\nprint(grep('shipped'))\n```", "FINAL(gnupg-l10n:all)",
                                     "FINAL(2.2.40-1.1+deb12u2)"], "What version of gnupg was shipped?")
    assert "asks for a version, and 'gnupg-l10n:all' is not one" in root.calls[2].messages[-1]["content"]
    assert result.answer == "2.2.40-1.1+deb12u2"
    # Once only: a model sure of its word keeps it.
    root, answer = _run(Prompts(), ["```repl\nprint(1)\n```", "FINAL(none)", "FINAL(none)"],
                        "How many launch codes are there?")
    assert answer == "none" and len(root.calls) == 3


def test_a_final_called_in_a_cell_in_the_wrong_form_goes_back_once_too() -> None:
    # The 1.5B wrote ```repl FINAL(...)``` as often as the FINAL line: the same check holds.
    question = "Look up the codename of grey-owl, then its launch code. Answer with the number only."
    root, answer = _run(SMALL, ["```repl\nprint(grep('grey-owl'))\n```", "```repl\nFINAL('Juniper')\n```",
                                              "```repl\nFINAL('4417028')\n```"], question)
    sent_back = root.calls[2].messages[-1]["content"]
    assert "asks for a number, and 'Juniper' is not one" in sent_back
    assert "This was run next: grep('Juniper')" in sent_back and "launch code for >>Juniper<< is 4417028" in sent_back
    assert answer == "4417028"
    # Once only; and an answer of the asked form is taken at once.
    root, answer = _run(Prompts(), ["```repl\nFINAL('none')\n```", "```repl\nFINAL('none')\n```"],
                        "How many launch codes are there?")
    assert answer == "none" and len(root.calls) == 2
    root, answer = _run(Prompts(), ["```repl\nFINAL(str(len(context.split())))\n```"], "How many words are there?")
    assert answer == str(len(TEXT.split())) and len(root.calls) == 1


def test_one_version_on_every_line_of_the_rarest_word_is_offered_as_the_answer() -> None:
    # Asked which xxd version dpkg last set up, the 1.5B printed the 7 xxd lines, all of one
    # version, then searched each other word of the question until max_errors.
    log = "\n".join([f"2024-05-0{d} 10:00:0{i} status installed libfoo{i}:amd64 1.{i}-1" for d in (1, 2) for i in range(8)]
                    + ["2024-05-09 07:29:23 install xxd:amd64 <none> 2:9.0.1378-2+deb12u2",
                       "2024-05-09 07:29:24 status half-configured xxd:amd64 2:9.0.1378-2+deb12u2",
                       "2024-05-09 07:29:24 status installed xxd:amd64 2:9.0.1378-2+deb12u2",
                       "2024-05-10 08:00:00 upgrade vim:amd64 2:9.0.1378-1 2:9.0.1378-2"])
    question = "Which xxd version did the package manager last set up completely?"
    root, result = _run_on(log, ["```repl\nprint(lines('xxd'))\n```", "FINAL(2:9.0.1378-2+deb12u2)"], question)
    note = root.calls[1].messages[-1]["content"]
    assert "All 3 lines of the text holding 'xxd' write one version: 2:9.0.1378-2+deb12u2." in note
    assert "FINAL(2:9.0.1378-2+deb12u2)" in note and result.answer == "2:9.0.1378-2+deb12u2"
    # Two versions on the word's lines (an upgrade's old and new), code that does not name the
    # word, or a capable model: no offer.
    root, _ = _run_on(log, ["```repl\nprint(lines('vim'))\n```", *["FINAL(x)"] * 10], "Which vim version was set up?")
    assert "write one version" not in root.calls[1].messages[-1]["content"]
    root, _ = _run_on(log, ["```repl\nprint(lines()[-3:])\n```", *["FINAL(x)"] * 10], question)
    assert "write one version" not in root.calls[1].messages[-1]["content"]
    root, _ = _run_on(log, ["```repl\nprint(lines('xxd'))\n```", *["FINAL(x)"] * 10], question, prompts=Prompts())
    assert "write one version" not in root.calls[1].messages[-1]["content"]
    # Not a date ("which year" asks for a part of one); one line says so in the singular.
    root, _ = _run_on(log, ["```repl\nprint(lines('xxd'))\n```", *["FINAL(x)"] * 10], "On what date was xxd installed?")
    assert "write one" not in root.calls[1].messages[-1]["content"]
    one = log + "\n2024-05-11 09:00:00 status installed zstd:amd64 1.5.4+dfsg2-5"
    root, _ = _run_on(one, ["```repl\nprint(lines('zstd'))\n```", *["FINAL(x)"] * 10], "Which zstd version is installed?")
    assert "The one line of the text holding 'zstd' writes one version: 1.5.4+dfsg2-5." in root.calls[1].messages[-1]["content"]


def test_the_versions_a_line_writes_are_not_dates_times_or_addresses() -> None:
    from recursor.turns import _VERSION
    found = _VERSION.findall
    assert found("2024-05-09 07:29:23 install xxd:amd64 <none> 2:9.0.1378-2+deb12u2") == ["2:9.0.1378-2+deb12u2"]
    assert found("Upgraded frobz from 2.4.1 to 2.5.0.") == ["2.4.1", "2.5.0"]  # a full stop ends a version
    assert found("host 10.0.0.5 up on 05.03.2024 at 12:30:45.123, 0x1F.2") == []


def test_an_answer_copied_from_the_runs_own_note_is_no_answer() -> None:
    # Sent back "'PyDLL' is what the question asks about ... it asks for something else about
    # 'PyDLL'", the 1.5B replied with that sentence, then wrote it as its FINAL.
    text = "# File: ctypes/__init__.py\nclass PyDLL(CDLL):\n    pass\npydll = LibraryLoader(PyDLL)\n"
    question = "Where is `PyDLL` defined? Name the module."
    copied = "The question asks for something else about 'PyDLL'."
    root, result = _run_on(text, ["```repl\ngrep('PyDLL')\n```", "FINAL(PyDLL)", copied, f"FINAL({copied})",
                                  "FINAL(ctypes)"], question)
    assert "is this run's own note to you, not an answer" in root.calls[4].messages[-1]["content"]
    assert "reply with exactly this line" not in root.calls[3].messages[-1]["content"]  # the prose is not offered
    assert result.answer == "ctypes"
    # A sentence a note offers as the FINAL line is an answer, and so is one the text writes.
    state = TurnState(question=question, context=text)
    state.heard("The output is one line. If it answers, reply with exactly this line:\nFINAL(No such class here)")
    assert not state.copies_a_note("No such class here")
    state.heard("It is said: class PyDLL(CDLL): here")
    assert not state.copies_a_note("class PyDLL(CDLL):")
    # A helper's note printed by any cell of the run, not only the last, is no answer either.
    from recursor.prompts_small import SmallModelPrompts
    state = TurnState(question=question, context=text)
    state.saw_cell(SmallModelPrompts(), "count_by: 4 items, 0 values\nNo item has a field 'refused'.\n", None, "x")
    state.saw_cell(SmallModelPrompts(), "60 lines match:\n1| class PyDLL(CDLL):\n", None, "grep('PyDLL')")
    assert state.copies_a_note("No item has a field 'refused'.")
    assert not state.copies_a_note("No item has a field here")  # no note printed it


def test_the_form_a_question_asks_for_is_read_from_its_wording() -> None:
    asked = {
        "How many packages were upgraded?": "a number",
        "The package gnupg was upgraded once in this log. What version did it end up with?": "a version",
        "I need to know which xxd version the package manager last set up.": "a version",
        "Answer with the version string exactly as it is written in the file.": "a version",
        "In which year was the licence first published?": "a date",
        "On what date did the upload happen?": "a date",
        # Another thing asked, only named by "version" or "date"; or a form written in words.
        "Which version control system does the project use?": None,
        "Where is the version string defined?": None,
        "Which file holds the version number?": None,
        "What did version 3 remove?": None,
        "Which versions were released in 2024?": None,
        "What date format does the log use?": None,
        "What day was it released?": None,
        "Whose name is on the oldest entry of the changelog of the package at 72.1-3?": "a person",
        "Who signed the most entries?": "a person",
        "Which maintainer uploaded 1.2-1?": "a person",
        "Find the person who uploaded 0.42.2-1. How many entries carry their name?": "a number",
        "The package whose version is 1.0: which file holds it?": None,
    }
    for question, form in asked.items():
        assert asked_form(question) == form, question
    for version in ("2.2.40-1.1+deb12u2", "v2", "GPLv3", "python3", "IPv6", "5", "2:9.0.1378-2"):
        assert fits_form(version, "a version"), version
    for name in ("gnupg-l10n:all", "icu", "liblocale-gettext-perl"):
        assert not fits_form(name, "a version"), name
    assert fits_form("May 9, 2026", "a date") and not fits_form("icu", "a date")
    # Over a text that writes versions with dots, a whole number is no version (a pull
    # request's "405" under "1.43.0 - 2019-11-17"); over one that does not, it may be.
    news = "1.43.0 - 2019-11-17\n* Add TAK :pr:`405`\n1.42.0 - 2019-01-01\n* x\n1.6 - 2006.08.09\n* y\n"
    assert not fits_form("405", "a version", news) and fits_form("1.43.0", "a version", news)
    assert fits_form("5", "a version", "protocol version 5\ntook 3.5 s\n2.5 s\n1.5 s\n")
    # Addresses and a table's decimals are no dotted versions (review).
    access = "".join(f'10.0.0.{i} - - "GET / HTTP/2" 200 3.25\n' for i in range(9))
    assert fits_form("2", "a version", access)
    # The reader's value is read against the same rule: 405 under "1.43.0 - 2019-11-17" is none.
    from recursor.look_reader import read_value
    lines = "1| * Add TAK :pr:`405`\n   under: 1.43.0 - 2019-11-17\n"
    assert read_value("405", lines, "Which mutagen version added TAK?", context=news) is None
    for person in ("Samuel Thibault", "Marco d'Itri", "Jan van der Berg", "Laszlo Boszormenyi (GCS)", "bunk@debian.org"):
        assert fits_form(person, "a person"), person
    for thing in ("icu", "root", "the maintainer", "72.1-3"):
        assert not fits_form(thing, "a person"), thing
    # A small root's package name for a person goes back once, with its lines run next; a
    # capable model's one word ("jdoe", a login) stands.
    log = "icu (72.1-3) bookworm; urgency=medium\n  * Fix.\n -- Laszlo Boszormenyi (GCS) <gcs@debian.org>  Mon\n"
    question = "Whose name is on the entry of version 72.1-3?"
    root, result = _run_on(log, ["```repl\nprint(grep('72.1-3'))\n```", "FINAL(icu)", "FINAL(Laszlo Boszormenyi (GCS))"],
                           question)
    assert "asks for a person, and 'icu' is not one" in root.calls[2].messages[-1]["content"]
    assert result.answer == "Laszlo Boszormenyi (GCS)"
    root, result = _run_on(log, ["```repl\nprint(grep('72.1-3'))\n```", "FINAL(icu)"], question, prompts=Prompts())
    assert result.answer == "icu" and len(root.calls) == 2


def test_a_variable_named_in_final_is_checked_by_its_value() -> None:
    root, answer = _run(Prompts(), ["```repl\nn = context.count('launch')\nprint(n)\n```", "FINAL(n)"],
                        "How many launch codes are listed?")
    assert answer == "1" and len(root.calls) == 2


def test_questions_that_ask_for_a_number() -> None:
    assert asks_for_number("How many packages were upgraded?")
    assert asks_for_number("Which code? Answer with the number only.")
    assert asks_for_number("Reply with a number.")
    assert not asks_for_number("Which port does the staging database use?")
    assert not asks_for_number("What is the number of the street? Give the street name.")


def test_results_named_after_their_helper_still_work_as_the_helper() -> None:
    h.context = "alpha 1\nbeta 2\nalpha 3\n\nlast block"
    lines = h.lines("alpha")
    assert lines == ["alpha 1", "alpha 3"] and lines("beta") == ["beta 2"]
    blocks = h.blocks("alpha")
    assert blocks("last") == ["last block"]
    grep = h.grep("beta", show=False)
    assert list(grep("alpha", show=False)) == ["alpha 1", "alpha 3"]


def test_an_empty_result_given_as_the_answer_goes_back_once() -> None:
    root, answer = _run(SMALL, ["```repl\nprint(grep('grey-owl'))\n```",
                                              "```repl\ncount_by(lines('nothing'), 'x')\n```", "FINAL(Counter())",
                                              "```repl\nprint(grep('Juniper'))\n```", "FINAL(4417028)"],
                        "What is the launch code of grey-owl's codename?")
    assert "Counter() is an empty result, not an answer" in root.calls[3].messages[-1]["content"]
    assert answer == "4417028"
    # A helper's report of nothing shows nothing: an answer after it alone was not read.
    root, _ = _run(SMALL, ["```repl\ncount_by(lines('nothing'), 'x')\n```", "FINAL(Counter())",
                                         "FINAL(none)"], "What is the launch code of grey-owl's codename?")
    assert "Nothing you ran has shown the context yet" in root.calls[2].messages[-1]["content"]


def test_an_empty_result_named_by_a_blocks_final_goes_back_once() -> None:
    # "FINAL(supervised_processes_count)" in the block that made it: [], accepted as the answer.
    block = "```repl\nrows = [r for r in lines('grey-owl') if 'nothing' in r]\nprint(len(rows))\nFINAL(rows)\n```"
    root, answer = _run(SMALL, [block, "```repl\nprint(grep('Juniper'))\n```", "FINAL(4417028)"],
                        "What is the launch code of grey-owl's codename?")
    assert "[] is an empty result, not an answer" in root.calls[1].messages[-1]["content"]
    assert answer == "4417028"
    root, answer = _run(SMALL, [block, block], "What is the launch code of grey-owl's codename?")
    assert answer == "[]" and len(root.calls) == 2  # given again, it stands


def test_a_helpers_summary_or_a_count_with_its_lines_is_not_offered_as_the_answer() -> None:
    block = "```repl\nsum_by(lines('nothing'), 'a', 'b')\n```"
    root, _ = _run(SMALL, [block, block, "FINAL(x)", "FINAL(x)"], "Which launch code goes with Juniper?")
    assert "FINAL(sum_by" not in root.calls[2].messages[-1]["content"]
    listed = "```repl\nrows = lines('launch')\nprint(len(rows), rows[:2])\n```"
    root, _ = _run(SMALL, [listed, listed, "FINAL(x)", "FINAL(x)"], "Which launch code goes with Juniper?")
    again = root.calls[2].messages[-1]["content"]
    assert "reply with exactly this line" not in again and "so this was run instead" in again


def test_a_search_run_in_a_repeated_blocks_place_counts_as_looking() -> None:
    # The 1.5B's empty filter ran twice; the grep run in its place printed the record, and the
    # FINAL read from it was sent back as "nothing you ran has shown the context yet".
    text = "Juniper is kept in vault 7.\n" + "a line of filler\n" * 30 + "Vault 7 number: 4417028\n"
    block = "```repl\nrows = lines('seven-digit')\nprint(len(rows), rows[:2])\n```"
    root = FakeScriptedLM([block, block, "FINAL(4417028)", "FINAL(x)"])
    answer = RLM(root, prompts=SMALL, limits=Limits(max_iterations=6), mode="rlm",
                 trace_dir=False).complete("Which launch code goes with Juniper?", text).answer
    assert "so this was run instead: grep(" in root.calls[2].messages[-1]["content"]
    assert (answer, len(root.calls)) == ("4417028", 3)


def test_an_empty_result_shown_again_is_not_offered_as_the_answer() -> None:
    block = "```repl\nrows = lines('seven-digit')\nprint(len(rows), rows[:2])\n```"
    root, answer = _run(SMALL, [block, block, "FINAL(4417028)"], "Which launch code goes with Juniper?")
    again = root.calls[2].messages[-1]["content"]
    assert "FINAL(0 [])" not in again and "so this was run instead: grep(" in again
    assert answer == "4417028"


def test_the_offered_final_line_written_as_a_block_is_taken() -> None:
    block = "```repl\nprint(\"grey-owl is Juniper\")\n```"
    offered = "grey-owl is Juniper"  # as code: FINAL(grey-owl is Juniper) fails (NameError)
    root, answer = _run(SMALL, [block, block, f"```repl\nFINAL({offered})\n```"],
                        "What is the launch code of Juniper?")
    assert f"FINAL({offered})" in root.calls[2].messages[-1]["content"]
    assert answer == offered and len(root.calls) == 3


def test_an_output_offered_once_and_run_again_gets_a_new_search_not_the_same_offer() -> None:
    # The 1.5B offered "FINAL(# UTF-8 (Unicode) Compose sequences)" for its repeated cell ran
    # that cell again four times to max_errors, each time offered the same line.
    block = "```repl\nprint(\"grey-owl is Juniper\")\n```"
    root, _ = _run(SMALL, [block, block, block, "FINAL(4417028)"], "What is the launch code of Juniper?")
    assert "reply with exactly this line" in root.calls[2].messages[-1]["content"]
    third = root.calls[3].messages[-1]["content"]
    assert "reply with exactly this line" not in third and "so this was run instead" in third


def test_a_helpers_line_written_back_as_prose_is_not_offered_as_the_answer() -> None:
    # The 1.5B replied "No item has a field 'end-of-life'." (count_by's note) in words, was
    # offered it as the FINAL line, and wrote it.
    block = "```repl\nrows = lines('launch')\ncount_by(rows, 'end-of-life')\n```"
    root, _ = _run(SMALL, [block, "No item has a field 'end-of-life'.", "FINAL(4417028)"],
                   "What is the launch code of Juniper?")
    after = root.calls[2].messages[-1]["content"]
    assert "No item has a field 'end-of-life'." in root.calls[1].messages[-1]["content"]
    assert "FINAL(No item has" not in after
    # A line the cell's own code printed is the model's answer, not a note.
    own = "```repl\nprint(', '.join(['nginx', 'redis', 'postgres', 'cron']))\n```"
    _, answer = _run(SMALL, [own, "FINAL(nginx, redis, postgres, cron)"], "Which services failed?")
    assert answer == "nginx, redis, postgres, cron"


def test_counts_echoed_bare_are_shown_once() -> None:
    block = "```repl\ncount_by(['a x', 'b x', 'a y'], 0)\n```"
    shown = "```repl\nc = count_by(['a x', 'b x'], 0, show=False)\nprint(c)\nprint(group_by(['a x'], 0))\n```"
    root, _ = _run(SMALL, [block, shown, "FINAL(a)"], "Which letter comes first most often?")
    echoed = root.calls[1].messages[-1]["content"]
    assert echoed.count("a: 2") == 1 and "Counter(" not in echoed
    printed = root.calls[2].messages[-1]["content"]
    assert "Counter({'a': 1, 'b': 1})" in printed and "{'a': ['a x']}" in printed


def test_a_name_copied_from_the_prompts_examples_goes_back_once() -> None:
    question = "Which name goes with the launch code?"
    root, answer = _run(SMALL, ["```repl\ngrep('launch code')\n```", "FINAL(Dana Ruiz)",
                                              "FINAL(Dana Ruiz)"], question)
    sent_back = root.calls[2].messages[-1]["content"]
    assert "'Dana Ruiz' is not written anywhere in the context" in sent_back
    assert answer == "Dana Ruiz" and len(root.calls) == 3  # once: a model sure of it keeps it
    # A name the context holds is read, not copied, even if an example also writes it.
    root, answer = _run(SMALL, ["```repl\ngrep('launch code')\n```", "FINAL(Juniper)"], question)
    assert answer == "Juniper" and len(root.calls) == 2


def test_the_offered_value_written_alone_as_a_block_is_taken() -> None:
    # Offered "FINAL(0)", the 1.5B wrote ```repl 0``` until max_errors and the run ended empty.
    block = "```repl\nprint(len(lines('Juniper')) - 1)\n```"
    root, answer = _run(SMALL, [block, block, "```repl\n0\n```"], "How many other lines?")
    assert "FINAL(0)" in root.calls[2].messages[-1]["content"]
    assert answer == "0" and len(root.calls) == 3
    # A different value alone in a block is code like any other: it runs, and is not taken.
    root, answer = _run(SMALL, [block, block, "```repl\n7\n```", "FINAL(0)"], "How many other lines?")
    assert answer == "0" and len(root.calls) == 4


def test_a_value_alone_in_a_block_answers_the_answer_now_turn() -> None:
    # Told "reply FINAL(answer), no code" at the limit, a small model writes the value as a block.
    script = [f"```repl\nx = {n}\n```" for n in range(6)] + ["```repl\n'Juniper'\n```"]
    root = FakeScriptedLM(script)
    result = RLM(root, prompts=SMALL, limits=Limits(max_iterations=6), mode="rlm",
                 trace_dir=False).complete("What is the codename of grey-owl?", TEXT)
    assert (result.answer, result.stopped_by) == ("Juniper", "max_iterations")
    assert "Stop:" in root.calls[-1].messages[-1]["content"]


def test_a_version_the_text_writes_alone_in_a_block_answers_the_answer_now_turn() -> None:
    # The 1.5B replied to the answer-now turn with the block `2.1.28+dfsg-10`, the right
    # version: no Python, no name, and the run ended unanswered.
    log = "2025-06-24 14:36:36 install libsasl2-modules:amd64 <none> 2.1.28+dfsg-10\n" * 3
    looks = [f"```repl\nprint(lines('libsasl2')[:{n}])\n```" for n in range(1, 7)]
    for block, want in (("2.1.28+dfsg-10", "2.1.28+dfsg-10"), ("2.1.28+dfsg-11", ""), ("rows[0]", "")):
        root = FakeScriptedLM([*looks, f"```repl\n{block}\n```", f"```repl\n{block}\n```"])
        result = RLM(root, prompts=SMALL, limits=Limits(max_iterations=6), mode="rlm",
                     trace_dir=False).complete("Which version of libsasl2-modules was installed?", log)
        assert (result.answer, result.stopped_by) == (want, "max_iterations"), block


def test_a_file_name_alone_in_a_block_answers_the_answer_now_turn() -> None:
    # The 1.5B, told "reply FINAL(answer), no code", wrote the module's file as a block:
    # `cgi.py` read as code is an attribute of an undefined name, and the run ended unanswered.
    files = "# File: cgi.py\nclass MiniFieldStorage:\n    pass\n# File: csv.py\nimport re\n"
    question = "Which module defines the class MiniFieldStorage?"
    block = "```repl\nrows = lines('MiniFieldStorage')\nprint(rows)\n```"
    for last, want in (("```repl\ncgi.py\n```", "cgi.py"),
                       ("```repl\nrows.count\n```", ""),  # a variable's attribute: no answer
                       ("```repl\nweb.py\n```", "")):  # a name the text does not write
        root = FakeScriptedLM([block] * 4 + [last, last])  # no answer: asked once more, the same
        result = RLM(root, prompts=SMALL, limits=Limits(max_iterations=12), mode="rlm",
                     trace_dir=False).complete(question, files)
        assert (result.answer, result.stopped_by) == (want, "max_errors"), last
        assert len(root.calls) == 5 + (not want), last


def test_a_path_the_text_writes_answers_the_answer_now_turn_in_a_block_or_an_unquoted_final() -> None:
    # A scanner's report: at its answer-now turn the 1.5B wrote ```repl FINAL(twisted/web/client.py)```
    # (Python divides the names: NameError), then the path alone as a block; the run ended unanswered.
    report = "".join(f">> Issue: [B{i}] a finding\n   Location: pkg/web/mod{i}.py:{i}:1\n   CWE: N/A\n----\n"
                     for i in range(40))
    question = "Which file has the finding B7?"
    block = "```repl\nrows = lines('B7')\nprint(rows)\n```"
    for last, want in (("```repl\nFINAL(pkg/web/mod7.py)\n```", "pkg/web/mod7.py"),
                       ("```repl\npkg/web/mod7.py\n```", "pkg/web/mod7.py"),
                       ("```repl\nFINAL(pkg/web/nowhere.py)\n```", ""),  # a path the text does not write
                       ("```repl\nFINAL(rows/total)\n```", ""),  # code: a variable divided
                       ("```repl\nFINAL(N/A)\n```", "")):  # the text writes "N/A": no file's path (review)
        root = FakeScriptedLM([block, block.replace("B7", "B8"), last, last])
        result = RLM(root, prompts=SMALL, limits=Limits(max_iterations=2), mode="rlm",
                     trace_dir=False).complete(question, report)
        assert "Stop: max iterations reached" in root.calls[2].messages[-1]["content"]
        assert (result.answer, result.stopped_by) == (want, "max_iterations"), last


def test_a_final_after_a_failed_block_stands_when_the_first_look_showed_it() -> None:
    # The 1.5B read the date in the first look, wrote a block to check it and then FINAL with
    # that date; the block failed, and the FINAL, cut with the rest of the reply, was lost.
    question = "When did the run with the codename Juniper start? Answer with its date."
    text = "Start: 2024-05-01 10:00 codename Juniper\nStart: 2024-06-02 11:00 codename Maple\n"
    failing = "```repl\nx = cols(field='text')\n```\nFINAL(2024-05-01 10:00)"
    root = FakeScriptedLM([failing])
    result = RLM(root, prompts=SMALL, limits=Limits(max_iterations=4), mode="rlm",
                 trace_dir=False).complete(question, text)
    assert (result.answer, len(root.calls)) == ("2024-05-01 10:00", 1)
    # A block that ran shows something new: its output is read first, the guess is not taken.
    ran = "```repl\nprint(lines('Juniper'))\n```\nFINAL(2024-05-01 10:00)"
    root = FakeScriptedLM([ran, "FINAL(2024-05-01 10:00)"])
    RLM(root, prompts=SMALL, limits=Limits(max_iterations=4), mode="rlm",
        trace_dir=False).complete(question, text)
    assert len(root.calls) == 2
    # A block that failed after printing showed something; part of a shown value ("2024"
    # of "2024-05-01"), or a number for a count question, was not read there.
    for reply, ask in (("```repl\nprint(lines('Juniper'))\nx = undefined_name\n```\nFINAL(2024-05-01 10:00)", question),
                       ("```repl\nx = cols(field='text')\n```\nFINAL(2024)", question),
                       ("```repl\nx = cols(field='text')\n```\nFINAL(2024)", "How many runs started in 2024?")):
        root = FakeScriptedLM([reply] + ["FINAL(done)"] * 3)
        result = RLM(root, prompts=SMALL, limits=Limits(max_iterations=4), mode="rlm",
                     trace_dir=False).complete(ask, text)
        assert result.answer == "done" and len(root.calls) >= 2, reply
    # A value the look does not show was guessed: not taken either.
    root = FakeScriptedLM([failing.replace("2024-05-01 10:00", "2023-01-01 09:00"), "FINAL(2024-05-01 10:00)"])
    result = RLM(root, prompts=SMALL, limits=Limits(max_iterations=4), mode="rlm",
                 trace_dir=False).complete(question, text)
    assert (result.answer, len(root.calls)) == ("2024-05-01 10:00", 2)


def test_a_value_the_look_spaces_otherwise_was_still_read_there() -> None:
    # apt's history writes "Start-Date: 2025-06-24  14:37:36" (two spaces); the 1.5B wrote
    # FINAL(2025-06-24 14:37:36) after a failing block, and the cut FINAL was lost.
    question = "When did the run with the codename Juniper start? Answer with its date."
    text = "Start: 2024-05-01  10:00 codename Juniper\nStart: 2024-06-02  11:00 codename Maple\n"
    root = FakeScriptedLM(["```repl\nx = cols(field='text')\n```\nFINAL(2024-05-01 10:00)"])
    result = RLM(root, prompts=SMALL, limits=Limits(max_iterations=4), mode="rlm",
                 trace_dir=False).complete(question, text)
    assert (result.answer, len(root.calls)) == ("2024-05-01 10:00", 1)


def test_an_output_counting_what_the_question_asks_how_many_of_is_offered() -> None:
    # "How many entries does the changelog of libpulse0 have?": the 1.5B printed "28 entries"
    # and "count_by: 28 items", then ran the same calls until max_errors, unanswered.
    text = "pkg (1.2) unstable\n  * fix a\n -- Ann\n\npkg (1.1) unstable\n  * fix b\n -- Bo\n"
    question = "How many entries does the changelog have? Answer with a number."
    root = FakeScriptedLM(["```repl\nentries()\n```", "```repl\nFINAL(2)\n```"])
    answer = RLM(root, prompts=SMALL, limits=Limits(max_iterations=4), mode="rlm",
                 trace_dir=False).complete(question, text).answer
    assert "The output counts 2 entries. If the question asks for that number, reply with exactly this line:\nFINAL(2)" \
        in root.calls[1].messages[-1]["content"]
    assert answer == "2"
    # A count of something else (lines, for packages), no count question, or a capable model: no offer.
    state = TurnState(question="How many packages were installed?")
    assert state.counted(SMALL, "514 lines match:\n1| ...") is None
    assert state.counted(SMALL, "3 packages\n") is not None and state.offered == "3"
    assert TurnState(question="Which entry is the oldest?").counted(SMALL, "2 entries\n") is None
    assert TurnState(question=question).counted(Prompts(), "2 entries\n") is None
    # A comparison or a qualified count is no plain count; lines are a search's count.
    for ask, out in (("How many more errors than warnings?", "7 errors"), ("How many distinct users logged in?", "5 users"),
                     ("How many errors per hour at peak?", "340 errors"), ("How many lines mention errors?", "4 lines match")):
        assert TurnState(question=ask).counted(SMALL, out) is None, ask
    # Code that does not name the question's rarest word counted something wider (every file's entries).
    from recursor.orient import orientation
    files = {"libpulse0/changelog": "libpulse0 (1)\n -- Ann\n\nlibpulse0 (0)\n -- Bo\n", "curl/changelog": "curl (1)\n -- Ann\n"}
    ask = "How many entries does the changelog of libpulse0 have?"
    state = TurnState(question=ask, shown=orientation(files, ask))
    assert state.counted(SMALL, "3 entries\n", "entries()") is None
    assert state.counted(SMALL, "2 entries\n", "entries(file='libpulse0/changelog')") is not None
    # An offer stands only until the next output.
    assert state.offer(SMALL, "nothing here", "x") is None and state.offered is None


def test_a_column_count_of_the_questions_own_word_is_offered() -> None:
    # "How many times was dmsetup configured?": the 1.5B ran count_by(rows, "configured") on
    # dmsetup's dpkg lines three times; the helper's note said "Column 2 writes 'configured'
    # as 'configure', on 1 of the 7 lines", and the run ended unanswered.
    log = ("2025-06-24 14:37:37 install dmsetup:amd64 <none> 2:1.02\n"
           "2025-06-24 14:37:37 status unpacked dmsetup:amd64 2:1.02\n"
           "2025-06-24 14:37:40 configure dmsetup:amd64 2:1.02 <none>\n"
           "2025-06-24 14:37:40 status installed dmsetup:amd64 2:1.02\n"
           "2025-06-24 14:37:41 configure libc6:amd64 2.36 <none>\n")
    question = "How many times was dmsetup configured in this log?"
    block = "```repl\nrows = lines('dmsetup')\ncount_by(rows, 'configured')\n```"
    root = FakeScriptedLM([block, "```repl\nFINAL(1)\n```"])
    answer = RLM(root, prompts=SMALL, limits=Limits(max_iterations=4), mode="rlm",
                 trace_dir=False).complete(question, log).answer
    shown = root.calls[1].messages[-1]["content"]
    assert "Column 2 writes 'configured' as 'configure', on 1 of the 4 lines." in shown
    assert "The output counts 1 line writing 'configure'." in shown and shown.endswith("FINAL(1)")
    assert answer == "1"
    # Not offered: a word the question does not ask about, code that never named the rarest
    # word (every line's count), a qualified count, or a capable model.
    out = "count_by: 4 items, 0 values\nNo item has a field 'configured'. Column 2 writes 'configured' as 'configure', on 1 of the 4 lines."
    from recursor.orient import orientation
    for ask, code, prompts in (("How many times was dmsetup installed?", "lines('dmsetup')", SMALL),
                               (question, "lines()", SMALL),
                               ("How many more times was dmsetup configured than unpacked?", "lines('dmsetup')",
                                SMALL),
                               (question, "lines('dmsetup')", Prompts())):
        state = TurnState(question=ask, shown=orientation(log, ask))
        assert state.form_counted(prompts, out, code) is None, ask
    state = TurnState(question=question, shown=orientation(log, question))
    assert state.form_counted(SMALL, out, "count_by(lines(), 'configured')") is None
    assert state.form_counted(SMALL, out, "count_by(lines('dmsetup'), 'configured')") is not None
    assert state.offered == "1"
    # A word two columns write ('installed' as dpkg's status and 'install' as its action): no offer.
    two = out + " Column 3 writes 'configured' as 'configured', on 2 of the 4 lines."
    assert state.form_counted(SMALL, two, "count_by(lines('dmsetup'), 'configured')") is None


def test_a_final_typed_after_code_whose_output_was_unseen_goes_back_once() -> None:
    # The 0.5B wrote `grep("curious-ribbon")`, `print(1)`, `FINAL(1)` in one block: the search
    # printed the answer, and 1 was taken.
    question = "What is the launch code for Juniper?"
    block = "```repl\ngrep('Juniper')\nFINAL(1)\n```"
    root, answer = _run(SMALL, [block, "FINAL(4417028)"], question)
    assert "FINAL(1) was written in the same block as code whose output you had not seen" in root.calls[1].messages[-1]["content"]
    assert "launch code for >>Juniper<< is 4417028" in root.calls[1].messages[-1]["content"]
    assert answer == "4417028"
    # Given again, it is the answer; a computed value, a FINAL alone, or a capable model's is taken at once.
    root, answer = _run(SMALL, [block, "FINAL(1)"], question)
    assert (answer, len(root.calls)) == ("1", 2)
    # A number an earlier cell printed was seen: taken at once.
    seen = "```repl\ngrep('Juniper')\n```"
    root, answer = _run(SMALL, [seen, "```repl\ngrep('launch')\nFINAL(4417028)\n```"], question)
    assert (answer, len(root.calls)) == ("4417028", 2)
    for prompts, code in ((SMALL, "rows = lines('Juniper')\nFINAL(len(rows))"),
                          (SMALL, "FINAL('4417028')"), (Prompts(), "print(context[:9])\nFINAL(1)")):
        root, answer = _run(prompts, [f"```repl\n{code}\n```"], question)
        assert len(root.calls) == 1, code


def test_typed_final_reads_a_literal_after_other_statements() -> None:
    from recursor.protocol import typed_final
    assert typed_final("grep('x')\nprint(1)\nFINAL(1)") == "1"
    assert typed_final("x = 1\nFINAL('cgi')") == "cgi" and typed_final("x = 1\nFINAL(-1)") == "-1"
    assert [typed_final(c) for c in ("FINAL(1)", "n = 2\nFINAL(n)", "x = 1\nFINAL(len(x))", "x = 1\nFINAL(True)",
                                     "x = (\nFINAL(1)")] == [None] * 5


def test_counts_that_rank_offer_their_first_value_for_a_question_asking_for_the_most() -> None:
    # The 1.5B printed "Samuel Thibault: 44" first for "who signed the most entries", then
    # ran the same calls until max_errors and ended unanswered.
    text = "fix a -- Ann\nfix b -- Ann\nfix c -- Bo\n"
    counting = "```repl\ncount_by(lines(), lambda l: l.split('-- ')[1])\n```"
    root = FakeScriptedLM([counting, "```repl\nFINAL(Ann)\n```"])
    answer = RLM(root, prompts=SMALL, limits=Limits(max_iterations=4), mode="rlm",
                 trace_dir=False).complete("Who wrote the most fixes?", text).answer
    assert "The most: Ann (2). If the question asks for that, reply with exactly this line:\nFINAL(Ann)" in \
        root.calls[1].messages[-1]["content"]
    assert answer == "Ann"
    # Not for a question that asks for the fewest, a tie at the top, or a capable model.
    for prompts, question, lines_ in ((SMALL, "Who wrote the fewest fixes?", text),
                                      (SMALL, "Who wrote the most fixes?", text + "fix d -- Bo\n"),
                                      (Prompts(), "Who wrote the most fixes?", text)):
        code = counting if isinstance(prompts, SmallModelPrompts) else "```repl\nprint('count_by: 3 items, 2 values\\nAnn: 2\\nBo: 1')\n```"
        root = FakeScriptedLM([code] + ["FINAL(x)"] * 4)
        RLM(root, prompts=prompts, limits=Limits(max_iterations=4), mode="rlm", trace_dir=False).complete(question, lines_)
        assert "The most:" not in root.calls[1].messages[-1]["content"], question


def test_lone_token_reads_only_a_block_of_one_name_or_path() -> None:
    from recursor.protocol import lone_token, named_token
    assert [lone_token(c) for c in ("cgi.py", " email.utils\n", "collections/__init__.py", "Codec")] == [
        "cgi.py", "email.utils", "collections/__init__.py", "Codec"]
    assert [lone_token(c) for c in ("f(x).y", "x.y = 1", "'cgi.py'", "a.b\nc.d", "None", "cgi.py.", "7", "n-1",
                                    "Start-Date", "str.join", "ValueError", "a+b")] == [None] * 12
    error = "Traceback ...\nNameError: name 'collections' is not defined"
    assert named_token("collections/__init__.py", error) == "collections/__init__.py"
    assert named_token("collections/__init__.py", "NameError: name 'x' is not defined") is None
    assert named_token("rows.count", None) is None


def test_a_path_written_alone_as_a_block_is_the_answer_when_the_text_writes_it() -> None:
    # "Which of these modules has the most classes?": the 1.5B printed the counts, then wrote
    # `collections/__init__.py` as a block three times (a NameError each time), unanswered.
    files = ("# File: collections/__init__.py\nclass A:\n    pass\nclass B:\n    pass\n"
             "# File: csv.py\nclass C:\n    pass\n")
    look = "```repl\ncount_by(lines(r'^class\\b'), 'file')\n```"
    for block, want, calls in (("collections/__init__.py", "collections/__init__.py", 2),
                               ("csv.py", "csv.py", 2),
                               # No file of the context: an error as before; at the answer-now turn,
                               # asked once more.
                               ("collections/other.py", "", 7),
                               ("re.findall", "", 7)):  # code, though `re` is undefined there
        files += "# File: notes.txt\nre.findall splits it.\n" if block == "re.findall" else ""
        root = FakeScriptedLM([look, f"```repl\n{block}\n```"] * 4)
        result = RLM(root, prompts=SMALL, limits=Limits(max_iterations=6), mode="rlm",
                     trace_dir=False).complete("Which module has the most classes?", files)
        assert (result.answer, len(root.calls)) == (want, calls), block


def test_lone_literal_reads_only_a_block_of_one_value() -> None:
    from recursor.protocol import lone_literal
    assert [lone_literal(c) for c in ("0", " 'cgi' ", "-3.5", "42\n")] == ["0", "cgi", "-3.5", "42"]
    assert [lone_literal(c) for c in ("x", "print(1)", "0\n1", "True", "''", "f(0)", "[1]")] == [None] * 7
    assert [lone_literal(c) for c in ("0x0ddf", "-0o17", "1_000", "1e3", "-0")] == ["0x0ddf", "-0o17", "1000", "1000.0", "0"]


def test_a_number_passed_to_final_in_a_block_is_the_answer_as_written() -> None:
    # Told to reply FINAL(answer) at max_errors, the 1.5B wrote ```repl FINAL(0x0ddf)```, the keysym
    # the question asked for; the worker evaluated it, and the run ended on 3551.
    from recursor.protocol import number_as_written
    assert number_as_written("FINAL(0x0ddf)", "3551") == "0x0ddf"
    assert number_as_written("x = 1\nFINAL(-0x10)", "-16") == "-0x10"
    assert number_as_written("FINAL(0x0ddf + 1)", "3552") == "3552"  # computed: its value
    assert number_as_written("FINAL(n)", "3551") == "3551"
    assert number_as_written("FINAL('0x0ddf')", "0x0ddf") == "0x0ddf"
    assert number_as_written("FINAL(", "x") == "x"
    assert number_as_written("FINAL(1_000)", "1000") == "1000"  # base ten: as Python prints it
    assert number_as_written("FINAL(0x" + "f" * 4000 + ") if x else FINAL(5)", "5") == "5"  # too long to print
    # Typed before the output was seen, a hex literal is still sent back once (`typed_final`).
    from recursor.protocol import typed_final
    assert typed_final("rows = lines('baht')\nprint(rows)\nFINAL(0x0ddf)") == "0x0ddf"
    question = "What keysym value does X11 assign to the Thai baht currency sign?"
    text = "#define XK_Thai_baht 0x0ddf /* U+0E3F THAI CURRENCY SYMBOL BAHT */\n#define XK_eng 0x03bf\n"
    for script in (["```repl\nFINAL(0x0ddf)\n```"],
                   ["```repl\nprint(lines('baht'))\n```", "```repl\nFINAL(0x0ddf)\n```"]):
        root, result = _run_on(text, script, question)
        assert result.answer == "0x0ddf", script
    # At the answer-now turn of max_errors, the same.
    root = FakeScriptedLM(["```repl\nnot_defined\n```", "```repl\nFINAL(0x0ddf)\n```"])
    result = RLM(root, prompts=SMALL, limits=Limits(max_iterations=6, max_errors=1), mode="rlm",
                 trace_dir=False).complete(question, text)
    assert (result.answer, result.stopped_by) == ("0x0ddf", "max_errors")


def test_a_repeated_search_is_replaced_by_a_search_for_the_name_its_output_found() -> None:
    # The 1.5B found "... codename for grey-owl is Juniper." and ran the same search again
    # until it answered the sentence, which it had been offered as the FINAL line.
    block = "```repl\nprint(lines('grey-owl'))\n```"
    root, answer = _run(SMALL, [block, block, "FINAL(4417028)"],
                        "Look up the codename of grey-owl, then its launch code.")
    again = root.calls[2].messages[-1]["content"]
    assert "FINAL(['The project" not in again  # lines of the text are no answer to offer
    assert "so this was run instead: grep('Juniper')" in again
    assert "launch code for >>Juniper<< is 4417028" in again
    assert answer == "4417028"


def test_new_leads_are_the_names_and_keys_an_output_has_that_the_question_does_not() -> None:
    question = "Which version of libfoo-dev did the run at 2024-03-05 install?"
    assert new_leads("['The codename for grey-owl is Juniper Blue.']", "codename of grey-owl?") == ["Juniper Blue"]
    # A key holds a letter: dates, times and bare numbers describe more than they name.
    assert new_leads("Start-Date: 2024-03-05 10:00\nInstall: libbar2:amd64 (1.2-3)", question) == [
        "Start-Date", "libbar2:amd64"]
    # A key that joins the question's own word to others is its neighbour, not a lead: asked
    # about gnupg, the search for "gnupg-l10n:all" led the 1.5B to answer that name.
    assert new_leads("Install: libfoo-dev:amd64 (1.2-3), libfoo-doc:all", question) == []
    assert new_leads("upgrade gnupg-l10n:all 2.2.40-1.1", "What version did gnupg end up with?") == []
    assert new_leads("The sky is blue. It rains.", question) == []  # no name, no key
    assert new_leads("x" * 401, question) == []  # too long to pick a lead from
    assert new_leads("see /usr/share/doc and http://x.org/a1", question) == []  # paths are no lead


def test_a_lead_the_context_does_not_hold_is_not_searched() -> None:
    # A helper's own note names helpers ("count_by(items, 2) counts column 2"): the 1.5B was
    # run grep('count_by') in place of its repeated block, and answered the count it printed.
    state = TurnState(question="How many packages were upgraded?")
    note = "No item has a field 'package'. The lines are columns; by column:\ncount_by(items, 2) counts column 2: upgrade 7"
    assert state.untried(note, "2024-05-20 10:00 upgrade libc6:amd64 1 2") is None
    assert state.untried("upgrade libc6:amd64 1 2", "2024-05-20 10:00 upgrade libc6:amd64 1 2") == "grep('libc6:amd64')"


def test_a_lead_on_many_lines_is_a_fields_value_and_not_searched() -> None:
    # Shown two gnupg lines of a dpkg log, the 1.5B's repeated block was replaced by
    # grep('half-installed'): a status written on hundreds of lines, which found nothing new.
    log = "\n".join(f"2024-05-{d:02} 10:00:00 status half-installed libx{d}:amd64 1.{d}" for d in range(1, 29))
    log += "\n" + "\n".join(f"2024-06-01 10:00:{s:02} status half-installed liby{s}:amd64 2.{s}" for s in range(10))
    log += "\n2024-06-02 10:00:00 upgrade gnupg:all 2.2.40-1.1 2.2.40-1.1+deb12u2"
    state = TurnState(question="The package gnupg was upgraded once in this log. What version did it end up with?")
    shown = "2024-05-09 07:29:05 status half-installed gnupg:all 2.2.40-1.1"
    assert state.untried(shown, log) != "grep('half-installed')"
    # A lead on few lines is still searched first.
    assert state.untried("status half-installed libx3:amd64 1.3", log) == "grep('libx3:amd64')"


def test_a_name_written_unquoted_in_final_inside_a_block_is_the_answer() -> None:
    # The 1.5B wrote ```repl FINAL(Codec)```: a NameError, then it searched on and lost it.
    question = "What is the codename of grey-owl?"
    root, answer = _run(SMALL, ["```repl\ngrep('grey-owl')\n```", "```repl\nFINAL(Juniper)\n```"], question)
    assert answer == "Juniper" and len(root.calls) == 2
    # Not a name the text lacks, nor a lowercase name (a variable the model forgot to set),
    # nor before the run has looked at anything: the NameError is shown as before.
    for first, block in (("grep('grey-owl')", "FINAL(Cedar)"), ("grep('grey-owl')", "FINAL(result)"),
                         ("x = 1", "FINAL(Juniper)")):
        root, _ = _run(SMALL, [f"```repl\n{first}\n```", f"```repl\n{block}\n```", "FINAL(4417028)"],
                       question)
        assert "NameError" in root.calls[2].messages[-1]["content"], block


def test_unquoted_final_reads_only_a_one_line_final_of_an_undefined_name() -> None:
    error = "Traceback (most recent call last):\nNameError: name 'Codec' is not defined"
    assert unquoted_final("FINAL(Codec)", error) == "Codec"
    assert unquoted_final(" FINAL( Codec ) \n", error) == "Codec"
    assert unquoted_final("FINAL(Codec)", "NameError: name 'other' is not defined") is None
    assert unquoted_final("x = 1\nFINAL(Codec)", error) is None
    assert unquoted_final("FINAL(Codec)", None) is None
    assert unquoted_final("FINAL(codec)", "NameError: name 'codec' is not defined") is None
    assert unquoted_final("FINAL(v2)", "NameError: name 'v2' is not defined") == "v2"
    # A path written unquoted fails on its first name: the path is the answer.
    assert unquoted_final("FINAL(asyncio/subprocess.py)", "NameError: name 'asyncio' is not defined") == "asyncio/subprocess.py"
    assert unquoted_final("FINAL(a/b.py)", "NameError: name 'b' is not defined") is None
    # The notes the worker adds after the error's own line do not hide it.
    noted = error + "\n[the values defined so far: rows]\n[traceback cut after its first 50 frames]"
    assert unquoted_final("FINAL(Codec)", noted) == "Codec"


def test_an_undefined_value_in_a_real_run_is_still_read_after_the_names_note() -> None:
    # The worker now ends a NameError with the values defined; `FINAL(Codec)`, the answer
    # written unquoted, must still be read as the answer.
    root = FakeScriptedLM(["```repl\nrows = lines('codename')\nprint(rows)\n```", "```repl\nFINAL(Juniper)\n```"])
    result = RLM(root, prompts=SMALL, limits=Limits(max_iterations=6), mode="rlm",
                 trace_dir=False).complete("What is the codename of grey-owl?", TEXT)
    assert (result.answer, len(root.calls)) == ("Juniper", 2)


def test_a_small_root_that_keeps_repeating_itself_is_asked_for_its_answer_after_three_replacements() -> None:
    block = "```repl\nprint(lines('grass'))\n```"
    root = FakeScriptedLM([block] * 4 + ["FINAL(Juniper)"])
    result = RLM(root, prompts=SMALL, limits=Limits(max_iterations=12), mode="rlm",
                 trace_dir=False).complete("What is the codename of grey-owl?", TEXT)
    asked = [c.messages[-1]["content"] for c in root.calls]
    assert sum("so this was run instead" in a for a in asked) == 2 and len(root.calls) == 5
    assert "Stop: max errors reached" in asked[-1]  # after the third replacement, not at turn 12
    assert result.answer == "Juniper"


def test_leads_and_unquoted_answers_are_whole_words() -> None:
    # "Ann" inside "announced" is no word of the question; month names lead nowhere.
    assert new_leads("The owner is Ann.", "When was it announced?") == ["Ann"]
    assert new_leads("It was signed on Mar 5 by dana-x1.", "Who signed it?") == ["dana-x1"]
    state = TurnState(looked=True)
    error = "NameError: name 'Result' is not defined"
    assert state.unquoted_answer("FINAL(Result)", error, "Test Results: 3 passed") is None
    assert state.unquoted_answer("FINAL(Result)", error, "The Result: 3 passed") == "Result"


def test_a_list_of_values_is_still_offered_as_the_answer() -> None:
    from recursor.turns import _offerable
    assert _offerable("['nginx', 'curl']") and _offerable('["a", "b"]') and _offerable("['Everglade']")
    assert not _offerable("['The codename for X is Y.']")
    assert not _offerable("1 ['Start-Date: 2025-06-24  14:36:29']")  # a count with its lines
    assert _offerable("2 ['nginx', 'curl']")


def test_a_small_roots_turn_output_is_cut_to_its_feedback_limit() -> None:
    # The output is long, the code short: a small root's reply is capped (`reply_tokens`).
    block = '```repl\nprint("Install: " + ", ".join(f"pkg{i}:amd64 (1.{i}, automatic)" for i in range(2000)))\n```'
    for prompts, limit in ((SMALL, 2_500), (Prompts(), 20_000)):
        root = FakeScriptedLM([block, "FINAL(x)", "FINAL(x)", "FINAL(x)"])
        RLM(root, prompts=prompts, limits=Limits(max_iterations=3), mode="rlm", trace_dir=False).complete(
            "How many packages?", TEXT)
        shown = root.calls[1].messages[-1]["content"]
        assert limit < len(shown) <= limit + 1_100
        # The loop cut the small root's turn; the worker had already capped the cell at the
        # sandbox's output_limit, which is the general prompts' limit, so theirs is whole.
        assert ("characters cut ..." in shown) == isinstance(prompts, SmallModelPrompts)
    assert Prompts(feedback_chars=100).feedback_limit(20_000) == 100 and Prompts().feedback_limit(500) == 500


def test_final_spelt_in_another_case_at_the_answer_now_turn_is_the_answer() -> None:
    # The 1.5B, told to answer now after finding the code, wrote ```repl Final(5081229)```.
    assert stated_answer("Final(5081229)") == "5081229" and stated_answer("final('Juniper')") == "Juniper"
    assert stated_answer("0") == "0" and stated_answer("Final(codename)") is None  # maybe a variable
    assert stated_answer("FINAL(x)") is None and stated_answer("print(1)") is None
    # A sentence of prose is one (taken only after a run found nothing); words that are no
    # sentence, code, a plan or a command are not.
    assert lone_sentence("No package was removed.") == "No package was removed."
    for not_one in ("print the lines", "x = 'The end is near.'", "The end.\nprint(1)", "The answer is FINAL(42).",
                    "Let me search for the removed packages first.", "Run grep -c removed /var/log/dpkg.log."):
        assert lone_sentence(not_one) is None, not_one
    # A line of dashes is read once, not in every way it splits (it took hours at 40 dashes).
    start = time.perf_counter()
    assert lone_sentence("Results " + "-" * 60) is None and lone_sentence("Answer " + "- " * 60 + "x") is None
    assert time.perf_counter() - start < 1
    block = "```repl\nprint(lines('grass'))\n```"
    root = FakeScriptedLM([block] * 4 + ["```repl\nFinal(4417028)\n```"])
    result = RLM(root, prompts=SMALL, limits=Limits(max_iterations=12), mode="rlm",
                 trace_dir=False).complete("What is the launch code of grey-owl's codename?", TEXT)
    assert result.answer == "4417028" and result.stopped_by == "max_errors"


def test_a_final_call_written_as_a_block_at_the_answer_now_turn_is_run_for_its_answer() -> None:
    # 11 of the 16 realdocs runs that ended empty (rd60f) had replied ```repl FINAL(12)``` at
    # their answer-now turn: valid code, which that turn did not run, so the answer was lost.
    from recursor.protocol import FinalCall, final_call
    assert [final_call(c) for c in ("FINAL(12)", "FINAL_VAR('n')", " FINAL(n)\n", "FINAL(len(x) + 1)")] == [
        FinalCall(None), FinalCall("n"), FinalCall("n"), FinalCall(None)]
    assert [final_call(c) for c in ("FINAL(1)\nprint(2)", "print(FINAL(1))", "Final(1)", "FINAL(1, 2)",
                                    "FINAL(", "x = FINAL(1)", "FINAL(llm_query('x'))", "FINAL(rows.pick(1))",
                                    "FINAL(" + "1+" * 5000 + "1)")] == [None] * 9
    block = "```repl\nprint(lines('grass'))\n```"
    setup = "```repl\nn = len(lines('Juniper'))\n```"
    # Another case names as FINAL does (the 1.5B's "Final(static)"); its literal is a value.
    assert [final_call(c) for c in ("Final(n)", "final(n)")] == [FinalCall("n")] * 2
    for last, want in (("FINAL(12)", "12"), ("FINAL(n)", "1"), ("FINAL(n + 1)", "2"),
                       ("FINAL_VAR('n')", "1"), ("FINAL(Juniper)", "Juniper"), ("Final(Juniper)", "Juniper"),
                       ("Final(n)", "1")):
        root = FakeScriptedLM([setup] + [block] * 4 + [f"```repl\n{last}\n```"])
        result = RLM(root, prompts=SMALL, limits=Limits(max_iterations=12), mode="rlm",
                     trace_dir=False).complete("How many lines hold the codename?", TEXT)
        assert (result.answer, result.stopped_by) == (want, "max_errors"), last
        assert "Stop:" in root.calls[-1].messages[-1]["content"]
    # Any other code is still not run there: no answer from it, the best effort instead.
    root = FakeScriptedLM([setup] + [block] * 4 + ["```repl\nFINAL(n)\nprint(1)\n```"] * 2)
    result = RLM(root, prompts=SMALL, limits=Limits(max_iterations=12), mode="rlm",
                 trace_dir=False).complete("How many lines hold the codename?", TEXT)
    assert result.answer == "" and result.stopped_by == "max_errors"


def test_a_value_of_the_prompts_examples_at_the_answer_now_turn_is_no_answer() -> None:
    # At its answer-now turn the 1.5B wrote ```repl FINAL(10.0.4.2)``` (Example 7's address)
    # for "who maintains the largest package": asked again once, then no answer rather than it.
    block = "```repl\nprint(lines('grass'))\n```"
    setup = "```repl\nn = len(lines('Juniper'))\n```"
    copied = "```repl\nFINAL(10.0.4.2)\n```"
    for last, want in (([copied, copied], ""), ([copied, "FINAL(Juniper)"], "Juniper")):
        root = FakeScriptedLM([setup] + [block] * 4 + last)
        result = RLM(root, prompts=SMALL, limits=Limits(max_iterations=12), mode="rlm",
                     trace_dir=False).complete("Which codename does the text give?", TEXT)
        assert (result.answer, result.stopped_by) == (want, "max_errors"), last
    # Written in the context (in any case), the same value is an answer; so is a number that
    # an example happens to write (an average of 10.0 is no address).
    for text, last, want in ((TEXT + "\nThe host is 10.0.4.2.\n", copied, "10.0.4.2"),
                             (TEXT + "\nON CALL: DANA RUIZ\n", "FINAL(Dana Ruiz)", "Dana Ruiz"),
                             (TEXT, "FINAL(10.0)", "10.0")):
        root = FakeScriptedLM([setup] + [block] * 4 + [last] * 2)  # a doubt may ask once more
        result = RLM(root, prompts=SMALL, limits=Limits(max_iterations=12), mode="rlm",
                     trace_dir=False).complete("Which value?", text)
        assert result.answer == want, last


def test_the_answer_now_turn_that_ran_its_final_call_is_shown_as_that_turn(tmp_path: Path) -> None:
    from recursor.trace.tree import load_view
    block = "```repl\nprint(lines('grass'))\n```"
    root = FakeScriptedLM([block] * 4 + ["```repl\nFINAL(12)\n```"])
    result = RLM(root, prompts=SMALL, limits=Limits(max_iterations=12), mode="rlm",
                 trace_dir=tmp_path).complete("How many lines name Juniper?", TEXT)
    assert result.answer == "12"
    run = load_view(result.trace_path).roots[0]
    last = run.iterations[-1]
    assert last.final_turn and [c.final for c in last.cells] == ["12"]
    assert not any(it.final_turn for it in run.iterations[:-1])


def test_echoes_question_is_an_answer_that_is_one_of_the_questions_own_terms() -> None:
    from recursor.turns import echoes_question
    q = "Where is `PyDLL` defined? Name the module."
    assert echoes_question("PyDLL", q) and echoes_question("`pydll`.", q)
    assert not echoes_question("ctypes", q) and not echoes_question("PyDL", q)
    # What the question offers as options, numbers, and its statements about the context are no echo.
    assert not echoes_question("json", "Which module is larger, json or csv?")
    assert not echoes_question("gzip", "Which of gzip, bz2 and lzma has the most functions?")
    assert not echoes_question("2026", "How many lines mention 2026?")
    assert not echoes_question("Debian", "The context is a set of files from a Debian machine. Who signed the most?")
    assert not echoes_question("yes", 'Is grey-owl listed? Answer with "yes" or "no".')


def test_an_answer_that_is_the_questions_own_word_goes_back_once_on_every_path() -> None:
    # The 1.5B answered "PyDLL" to "Where is `PyDLL` defined? Name the module." after a search
    # had shown `[ctypes/__init__.py] class PyDLL(CDLL):`; and "MiniFieldStorage" to "Which
    # module defines the class `MiniFieldStorage`?".
    question = "Which codename is grey-owl given? Name the codename."
    look = "```repl\nprint(lines('grey-owl'))\n```"
    for echo in ("FINAL(grey-owl)", "```repl\nFINAL('grey-owl')\n```"):
        root, answer = _run(SMALL, [look, echo, "FINAL(Juniper)"], question)
        assert "'grey-owl' is what the question asks about" in root.calls[2].messages[-1]["content"], echo
        assert answer == "Juniper"
        # A capable model's answer is taken as given.
        root, answer = _run(Prompts(), [look, echo], question)
        assert answer == "grey-owl" and len(root.calls) == 2
    # Once only: given again, it is the answer.
    root, answer = _run(SMALL, [look, "FINAL(grey-owl)", "FINAL(grey-owl)"], question)
    assert answer == "grey-owl" and len(root.calls) == 3
    # FINAL(Name) unquoted in a block, Name a word of the text: also the question's own word.
    root, answer = _run(SMALL, [look, "```repl\nFINAL(Juniper)\n```", "FINAL(4417028)"],
                        "What is the launch code for Juniper?")
    assert "'Juniper' is what the question asks about" in root.calls[2].messages[-1]["content"]
    assert answer == "4417028"


def test_the_answer_now_turn_asks_once_more_when_its_answer_is_the_questions_own_word() -> None:
    block = "```repl\nprint(lines('grass'))\n```"
    question = "Which codename is grey-owl given? Name the codename."
    # A second reply without an answer is asked once more (a third call), and the first stays.
    for second, want, calls in (("FINAL(Juniper)", "Juniper", 6), ("```repl\nprint(1)\n```", "grey-owl", 7)):
        root = FakeScriptedLM([block] * 4 + ["```repl\nFINAL('grey-owl')\n```", second, second])
        result = RLM(root, prompts=SMALL, limits=Limits(max_iterations=12), mode="rlm",
                     trace_dir=False).complete(question, TEXT)
        assert (result.answer, result.stopped_by) == (want, "max_errors")
        assert len(root.calls) == calls
        assert "is what the question asks about" in root.calls[5].messages[-1]["content"]
        assert "Stop:" in root.calls[5].messages[-1]["content"]



def test_a_run_that_found_nothing_may_answer_that_the_text_does_not_record_it() -> None:
    # A log with no removal, asked which package was removed last: every search came back
    # empty, and the answer-now turn said "using what the output above shows". The 1.5B wrote
    # more searches, then the block `The text does not record it.`; the run ended unanswered.
    empty = [f"```repl\nrows = lines(r'\\b{w}\\b')\nprint(len(rows), rows[:2])\n```"
             for w in ("removed", "recently", "removed", "recently", "removed", "recently")]
    question = "Which package was removed most recently?"
    said = "```repl\nThe text does not record it.\n```"
    root, result = _run_on(TEXT, [*empty, said, said], question, iterations=12)
    asked = root.calls[-1].messages[-1]["content"]
    assert "Nothing you ran found lines for the question" in asked and "does not record it" in asked
    assert (result.answer, result.stopped_by) == ("The text does not record it.", "max_errors")
    # A run that saw lines is asked as before: to answer from what the output shows.
    root, result = _run_on(TEXT, ["```repl\nprint(grep('grass'))\n```", *empty, said, "FINAL(none)"],
                           question, iterations=12)
    assert "using what the output above shows" in root.calls[-1].messages[-1]["content"]
    # So is a run whose first look showed lines holding the question's words, and a sentence
    # block there is no answer: the look found something to answer from.
    root, result = _run_on(TEXT, [*empty, said, said, said], "What is the launch code of Juniper?", iterations=12)
    assert "using what the output above shows" in root.calls[-2].messages[-1]["content"]
    assert "no code runs now" in root.calls[-1].messages[-1]["content"]  # the sentence was no answer
    assert result.answer == ""


def test_an_answer_now_reply_without_an_answer_is_asked_for_once_more() -> None:
    # The 1.5B, whose first look named the one file defining the class, ran searches until
    # max_errors and then wrote another search at the answer-now turn: the run ended unanswered.
    blocks = [f"```repl\nprint(context.count({w!r}))\n```" for w in ("grass", "sky", "green", "blue")]
    question = "What is grey-owl's codename?"
    for prompts in (SMALL, Prompts()):
        for again, want in (("FINAL(Juniper)", "Juniper"), ("```repl\nprint(context.count('is'))\n```", "")):
            root = FakeScriptedLM([*blocks, "```repl\nprint(context.count('owl'))\n```", again])
            result = RLM(root, prompts=prompts, limits=Limits(max_iterations=4), mode="rlm",
                         trace_dir=False).complete(question, TEXT)
            assert (result.answer, result.stopped_by) == (want, "max_iterations")
            asked = root.calls[-1].messages
            assert len(asked) == len(root.calls[-2].messages) + 2  # its code reply, then the note
            assert "no code runs now" in asked[-1]["content"]
            assert asked[-2]["content"] == "```repl\nprint(context.count('owl'))\n```"
            assert len(root.calls) == 6  # once only
    # The question's own word at the second reply is doubted as at the first: a third call,
    # which names the one file that writes it.
    files = "# File: cgi.py\nclass MiniFieldStorage:\n    pass\n# File: csv.py\nimport re\n"
    ask = "Which module defines the class MiniFieldStorage?"
    root, result = _run_on(files, [*blocks, "```repl\nprint(context.count('owl'))\n```",
                                   "```repl\nMiniFieldStorage\n```", "FINAL(cgi.py)"], ask, iterations=4)
    assert (result.answer, len(root.calls)) == ("cgi.py", 7)
    assert "Every line that writes 'MiniFieldStorage' is in the file 'cgi.py'" in root.calls[-1].messages[-1]["content"]
    # Words at the second reply are the answer only when the run has nothing better.
    root = FakeScriptedLM([*blocks, "```repl\nprint(1)\n```", "It is Juniper, I believe."])
    result = RLM(root, prompts=SMALL, limits=Limits(max_iterations=4), mode="rlm",
                 trace_dir=False).complete(question, TEXT)
    assert result.answer == "It is Juniper, I believe."
    # ... and never the instruction copied back: the 0.5B's "Final(answer)" was 13 of its 60
    # realdocs answers.
    for copied in ("Final(answer)", "final(the answer)", "Final( answer )."):
        root = FakeScriptedLM([*blocks, copied, copied])
        result = RLM(root, prompts=SMALL, limits=Limits(max_iterations=4), mode="rlm",
                     trace_dir=False).complete(question, TEXT)
        assert (result.answer, len(root.calls)) == ("", 6), copied
    # The block asked about is never run: no sub-call (the script would run out).
    root = FakeScriptedLM([*blocks, *["```repl\nprint(llm_query('x'))\n```"] * 2])
    RLM(root, prompts=SMALL, limits=Limits(max_iterations=4), mode="rlm",
        trace_dir=False).complete(question, TEXT)
    assert len(root.calls) == 6


def test_a_message_the_code_printed_goes_back_once_as_no_answer() -> None:
    # The 1.5B's filter matched nothing, its block printed its own "No apt runs found.", and it
    # answered FINAL(No apt runs found.).
    search = "```repl\nrows = lines('owl-grey')\nprint(rows if rows else 'No codename found.')\n```"
    question = "What is grey-owl's codename?"
    for final in ("FINAL(No codename found.)", "```repl\nFINAL('no codename found')\n```"):
        root, answer = _run(SMALL, [search, final, "FINAL(Juniper)"], question)
        assert "'no codename found' is a message your own code printed" in root.calls[2].messages[-1]["content"].lower()
        assert answer == "Juniper"
    # Once: given again, it is the answer; a capable model's is never sent back.
    root, answer = _run(SMALL, [search, "FINAL(No codename found.)", "FINAL(No codename found.)"],
                        question)
    assert answer == "No codename found." and len(root.calls) == 3
    root, answer = _run(Prompts(), [search, "FINAL(No codename found.)"], question)
    assert answer == "No codename found." and len(root.calls) == 2
    # Not a message: one the context writes too (in any case), one the question offers as an
    # answer, one word, or a literal the output did not show.
    for code, final in (("print('The sky is blue' if lines('sky') else 0)", "The sky is blue"),
                        ("print('the SKY is blue' if lines('sky') else 0)", "the SKY is blue"),
                        ("print('none' if not lines('owl-grey') else 1)", "none"),
                        ("x = 'No codename found'\nprint(1)", "No codename found")):
        root, answer = _run(SMALL, [f"```repl\n{code}\n```", f"FINAL({final})"], question)
        assert answer == final and len(root.calls) == 2, code
    offered = "Is grey-owl's codename Maple? Answer Not Maple or Maple."
    root, answer = _run(SMALL, ["```repl\nprint('Maple' if lines('Maple') else 'Not Maple')\n```",
                                              "FINAL(Not Maple)"], offered)
    assert answer == "Not Maple" and len(root.calls) == 2
    from recursor.turns import _printed_messages
    assert _printed_messages("-" * 200_000 + "1", "x") == set()  # too deep to parse: no message


def test_the_answer_now_turn_reads_a_named_answer_and_never_queries() -> None:
    # Review of 7be5c7a: `FINAL(answer)`, copied from "reply FINAL(answer)", ran and answered
    # the answer dict's repr; a sentence around the block lost it; a FINAL call could start
    # sub-calls after the limit.
    block = "```repl\nprint(lines('grass'))\n```"
    setup = "```repl\nn = len(lines('Juniper'))\n```"
    question = "How many lines hold the codename?"
    for last, want in (("```repl\nFINAL(answer)\n```", ""), ("Here it is:\n```repl\nFINAL(n)\n```", "1"),
                       ("```repl\nFINAL(n)\n```\nThat is the count.", "1"),
                       ("```repl\nFINAL(llm_query('how many?'))\n```", ""), ("```repl\nFINAL(result)\n```", "")):
        root = FakeScriptedLM([setup] + [block] * 4 + [last, last])
        result = RLM(root, prompts=SMALL, limits=Limits(max_iterations=12), mode="rlm",
                     trace_dir=False).complete(question, TEXT)
        assert (result.answer, result.stopped_by) == (want, "max_errors"), last
        # No sub-call was made (the script would have run out); no answer is asked for once more.
        assert len(root.calls) == 6 + (not want), last


def test_an_echo_at_the_answer_now_turn_keeps_its_answer_over_a_reply_in_words() -> None:
    block = "```repl\nprint(lines('grass'))\n```"
    question = "Which codename is grey-owl given? Name the codename."
    root = FakeScriptedLM([block] * 4 + ["FINAL(grey-owl)"] + ["I am sorry, I cannot tell."] * 2)
    result = RLM(root, prompts=SMALL, limits=Limits(max_iterations=12), mode="rlm",
                 trace_dir=False).complete(question, TEXT)
    assert result.answer == "grey-owl" and len(root.calls) == 7  # words twice: asked once more, no more


def test_a_reply_in_words_that_restates_the_question_is_not_offered_back_as_the_answer() -> None:
    from recursor.turns import restates_question
    question = "How many gpg-wks-server changelog entries were signed in the years 2020 to 2022?"
    said = "The question asks for the number of gpg-wks-server changelog entries signed in the years 2020 to 2022."
    assert restates_question(said, question)
    assert not restates_question("There are 16 entries signed by Daniel Kahn Gillmor in those years.", question)
    assert not restates_question("16 entries", question)  # too short to tell
    look = "```repl\nprint(lines('grey-owl'))\n```"
    root, _ = _run(SMALL, [look, "The question asks what codename grey-owl was given in the project.",
                                         "FINAL(Juniper)"], "What codename was grey-owl given in the project?")
    assert "reply with exactly this line" not in root.calls[2].messages[-1]["content"]
    root, _ = _run(SMALL, [look, "The codename is Juniper, I think.", "FINAL(Juniper)"],
                   "What is the codename of grey-owl?")
    assert "reply with exactly this line" in root.calls[2].messages[-1]["content"]


def test_the_instructions_placeholder_copied_into_final_is_no_answer() -> None:
    # CodeQA at baf02b8: told "Answer found? Then reply: FINAL(the answer)", the 1.5B wrote
    # ```repl FINAL(the answer)``` at its answer-now turn, and "the answer" was its answer.
    from recursor.protocol import is_placeholder
    assert all(map(is_placeholder, ["the answer", "Your answer", "your final answer", "<the answer>", "the value"]))
    assert not any(map(is_placeholder, ["Result", "answer key", "value", "the answer is 4", "42"]))
    look = "```repl\nprint(lines('grey-owl'))\n```"
    # Sent back every time (the first time as a value the context does not hold), never taken.
    root, answer = _run(SMALL, [look, "FINAL(the answer)", "FINAL(the answer)", "FINAL(Juniper)"],
                        "What is grey-owl's codename?")
    assert "FINAL(the answer) repeats the instruction's words" in root.calls[3].messages[-1]["content"]
    assert answer == "Juniper"
    block = "```repl\nprint(lines('grass'))\n```"
    root = FakeScriptedLM([block] * 4 + ["```repl\nFINAL(the answer)\n```"] * 2)
    result = RLM(root, prompts=SMALL, limits=Limits(max_iterations=12), mode="rlm",
                 trace_dir=False).complete("What is grey-owl's codename?", TEXT)
    assert result.answer != "the answer" and result.stopped_by == "max_errors"


def test_a_searchs_marks_copied_into_the_answer_are_dropped() -> None:
    # The 0.5B answered "2026-05->>20<<", a grep hit copied with its marks.
    from recursor.protocol import without_marks
    assert without_marks("2026-05->>20<<") == "2026-05-20"
    assert without_marks(">>Juniper<< and >>x y<<") == "Juniper and x y"
    assert without_marks("a >> b << c") == "a >> b << c" and without_marks("x >>= 1") == "x >>= 1"
    look = "```repl\nprint(lines('grey-owl'))\n```"
    _, answer = _run(SMALL, [look, "FINAL(>>Juniper<<)"], "What is grey-owl's codename?")
    assert answer == "Juniper"


def test_the_contexts_own_size_given_as_the_answer_goes_back_once() -> None:
    # The 1.5B answered "how many module-level functions does it have" with the context's
    # 3,475 lines, a number only the first message states.
    question = "How many launch codes does the text give?"
    look = "```repl\nprint(lines('launch code'))\n```"
    size = f"{len(TEXT):,}"
    root, answer = _run(SMALL, [look, f"FINAL({size})", "FINAL(1)"], question)
    assert f"{size} is the size of the whole context" in root.calls[2].messages[-1]["content"]
    assert answer == "1"
    # Once only; and a capable model's answer is taken as given.
    root, answer = _run(SMALL, [look, f"FINAL({size})", f"FINAL({size})"], question)
    assert answer == size and len(root.calls) == 3
    root, answer = _run(Prompts(), [look, f"FINAL({size})"], question)
    assert answer == size and len(root.calls) == 2
    # A size a cell printed was computed, not copied.
    count = "```repl\nprint(len(context))\n```"
    root, answer = _run(SMALL, [count, f"FINAL({len(TEXT)})"], "How long is the text?")
    assert answer == str(len(TEXT)) and len(root.calls) == 2


def test_a_size_computed_in_a_cell_or_asked_for_is_not_doubted() -> None:
    size = str(len(TEXT))
    computed = "```repl\nFINAL(len(context))\n```"
    root, answer = _run(SMALL, [computed], "How many launch codes does the text give?")
    assert answer == size and len(root.calls) == 1
    look = "```repl\nprint(lines('launch code'))\n```"
    root, answer = _run(SMALL, [look, f"FINAL({size})"], "How many characters long is the text?")
    assert answer == size and len(root.calls) == 2


def test_context_sizes_are_its_characters_and_lines() -> None:
    from recursor.turns import context_sizes
    assert {10, 2, 3} <= context_sizes("abcd\nefgh\n")
    assert {4, 2, 8} <= context_sizes({"a": "abcd", "b": "efgh"})


def test_a_count_of_the_lines_holding_the_questions_own_term_goes_back_once() -> None:
    # "In the apt session beginning 16:49:20, how many packages were pulled in automatically?"
    # The 1.5B counted the lines holding 16:49:20 (one) and answered 1.
    question = "How many digits does the launch code for Juniper have?"
    look = '```repl\nrows = lines(r"\\bJuniper\\b")\nprint(len(rows), rows[:2])\n```'
    root, answer = _run(SMALL, [look, "FINAL(1)", "FINAL(7)"], question)
    assert "1 is how many lines hold 'Juniper'" in root.calls[2].messages[-1]["content"]
    assert answer == "7"
    # Given again, it is the answer; a capable model's is taken at once.
    root, answer = _run(SMALL, [look, "FINAL(1)", "FINAL(1)"], question)
    assert answer == "1" and len(root.calls) == 3
    root, answer = _run(Prompts(), [look, "FINAL(1)"], question)
    assert answer == "1" and len(root.calls) == 2
    # A line of the text that starts "Name: number" is no count of the lines.
    printed = "```repl\nr = lines('Juniper')\nprint('Juniper: 7')\n```"
    root, answer = _run(SMALL, [printed, "FINAL(7)"], question)
    assert (answer, len(root.calls)) == ("7", 2)
    # Counted by a helper whose summary starts its output ("count_by: 14 items, 1 values"):
    # the 1.5B answered "how many functions does the module defining X have" with X's lines.
    grouped = "```repl\ncount_by(lines('Juniper'), 'file')\n```"
    root, answer = _run(SMALL, [grouped, "FINAL(1)", "FINAL(7)"], question)
    assert "1 is how many lines hold 'Juniper'" in root.calls[2].messages[-1]["content"]
    assert answer == "7"
    # A term the question does not name, or a count of another call, is not checked.
    other = '```repl\nrows = lines(r"launch")\nowl = lines("grey-owl")\nprint(len(rows), rows[:2])\n```'
    root, answer = _run(SMALL, [other, "FINAL(1)"], "How many codes does grey-owl's project have?")
    assert answer == "1" and len(root.calls) == 2


def test_a_count_of_the_lines_holding_the_term_tells_the_lists_of_their_records() -> None:
    # Told its 1 was how many lines hold the run's start time, the 1.5B gave 1 again; the count
    # asked for is in that line's record, a list the look showed cut.
    mixed = ", ".join(f"lib{i}:amd64 (1.{i}-2{', automatic' if i % 4 else ''})" for i in range(19))
    text = (f"Start-Date: 2024-01-02  10:00:00\nCommandline: apt-get install -y lib0 lib4\nInstall: {mixed}\n"
            "Upgrade: zlib1g:amd64 (1.0, 1.1)\nEnd-Date: 2024-01-02  10:00:09\n\n"
            "Start-Date: 2024-02-02  11:00:00\nInstall: a (1), b (2), c (3, automatic)\nEnd-Date: 2024-02-02  11:00:03\n")
    question = "In the apt session beginning 2024-01-02 10:00:00, how many installed packages were pulled in automatically?"
    look = '```repl\nrows = lines(r"10:00:00")\nprint(len(rows), rows[:2])\n```'
    root, result = _run_on(text, [look, "FINAL(1)", "FINAL(14)"], question)
    note = root.calls[2].messages[-1]["content"]
    assert "1 is how many lines hold '10:00:00'" in note
    assert ("The record of that line lists:\nInstall: 19 items, 14 marked 'automatic'\n"
            "If the question counts the items marked 'automatic' in its Install list, reply FINAL(14). "
            "Reply FINAL(1) again only if it asks how many lines hold '10:00:00'.") in note
    assert "2 items" not in note and result.answer == "14"  # the other run's list, and short lists, are not told
    # The question's time searched inside a longer pattern: the same, once its lines are counted again.
    whole = '```repl\nrows = lines(r"Start-Date: 2024-01-02  10:00:00")\nprint(len(rows), rows[:2])\n```'
    root, result = _run_on(text, [whole, "FINAL(1)", "FINAL(14)"], question)
    assert "reply FINAL(14)" in root.calls[2].messages[-1]["content"] and result.answer == "14"
    twice = text.replace("Start-Date: 2024-02-02  11:00:00", "Start-Date: 2024-02-02  10:00:00")
    root, result = _run_on(twice, [whole, "FINAL(1)"], question)  # 2 lines hold it: the 1 is not its count
    assert result.answer == "1" and len(root.calls) == 2
    # Only a tag the question names, in a list whose key it names, and does not leave out, is
    # offered; a list's size alone never is (the seconds a run that installed lib0 took).
    for other in ("packages were newly installed", "packages were held back", "packages were upgraded automatically",
                  "installed packages came manually, not automatically", "packages, excluding automatic ones, were installed"):
        asked = question.replace("installed packages were pulled in automatically", other)
        root, result = _run_on(text, [look, "FINAL(1)", "FINAL(2)"], asked)
        note = root.calls[2].messages[-1]["content"]
        assert "Install: 19 items, 14 marked 'automatic'\nIf the question counts one of these, reply with its count." in note
    # An output that starts with a huge number is no count of lines (it raised in islice).
    huge = '```repl\nrows = lines(r"Start-Date: 2024-01-02  10:00:00")\nprint("9" * 5000)\n```'
    root, result = _run_on(text, [huge, "FINAL(1)"], question)
    assert result.answer == "1"
    # Many lines holding the term: no records are read.
    many = "".join(f"Start-Date: 2024-03-0{i}  10:00:00\nInstall: a, b, c\n\n" for i in range(1, 6))
    root, result = _run_on(many, ['```repl\nprint(len(lines("10:00:00")))\n```', "FINAL(5)", "FINAL(5)"],
                           "How many packages did the runs at 10:00:00 install?")
    assert "lists:" not in root.calls[2].messages[-1]["content"]


def test_the_lists_of_several_records_are_each_told_and_none_offered() -> None:
    from recursor.turns import _list_offer, _record_lists
    run = "Start-Date: {day}  10:00:00\nInstall: a (1, automatic), b (2, automatic), c (3)\nEnd-Date: {day}  10:00:05\n\n"
    text = run.format(day="2024-01-02") + run.format(day="2024-01-03") + "Note: 10:00:00 x, y, z\n"
    lists = _record_lists(text, "10:00:00", 3)  # the same list in two records is told twice; a lone line is its own record
    assert lists == [("Install", 3, [("automatic", 2)])] * 2 + [("Note", 3, [])]
    assert _record_lists(text, "10:00:00", 2) == []  # not as many lines as counted
    root, _ = _run_on(text, ['```repl\nrows = lines("10:00:00")\nprint(len(rows))\n```', "FINAL(3)", "FINAL(4)"],
                           "How many packages did the runs at 10:00:00 install automatically?")
    note = root.calls[2].messages[-1]["content"]
    assert "The record of those lines lists:" in note and "reply with its count" in note and "FINAL(2)" not in note
    assert _list_offer(lists[:1], "How many packages did the run at 10:00:00 install automatically?") == (
        "2", "items marked 'automatic' in its Install list")


def test_the_count_of_the_value_the_question_names_is_offered_under_count_by() -> None:
    # Shown "7;: 29" fourth of seven counts, the 1.5B answered the first, 153.
    codes = [1, 1, 1, 0, 0, 7, 7, 3, 1, 17]
    text = "".join(f"2026-12-06 19:30:{i:02d},891 WARN exited: job_{i % 3} (exit status {c}; not expected)\n"
                   for i, c in enumerate(codes))
    block = "```repl\nrows = lines(r'\\bexit\\b')\ncount_by(rows, 7)\n```"
    root, result = _run_on(text, [block, "FINAL(2)"], "How many times did a process end with exit code 7?")
    note = root.calls[1].messages[-1]["content"]
    assert "7;: 2" in note and "The output counts 2 for '7', the value the question names." in note
    assert note.endswith("FINAL(2)") and result.answer == "2"
    # Another key the counts may not be filtered by, or no value the question writes: no offer.
    for question in ("How many times did job_1 end with exit code 7?", "How many times did a process end with exit code 5?",
                     "How many distinct processes ended with exit code 7?"):
        root, _ = _run_on(text, [block, "FINAL(4)", "FINAL(4)", "FINAL(4)"], question)
        assert "the value the question names" not in root.calls[1].messages[-1]["content"], question


def test_a_count_of_the_lines_holding_the_term_answering_what_not_how_many_says_so() -> None:
    # "What license covers the copy of FFmpeg that ships inside Chromium?": the 1.5B printed
    # how many lines hold FFmpeg (8) as in the prompt's first example, and answered 8.
    question = "What is the launch code for Juniper?"
    look = '```repl\nrows = lines(r"\\bJuniper\\b")\nprint(len(rows), rows[:2])\n```'
    root, answer = _run(SMALL, [look, "FINAL(1)", "FINAL(7)"], question)
    note = root.calls[2].messages[-1]["content"]
    assert "1 is how many lines hold 'Juniper'; the question does not ask how many" in note
    assert "entries('Juniper')" in note and answer == "7"
    root, answer = _run(SMALL, [look, "FINAL(1)", "FINAL(7)"], "How often is Juniper named?")
    note = root.calls[2].messages[-1]["content"]
    assert "1 is how many lines hold 'Juniper'" in note and "does not ask how many" not in note


def test_a_count_whose_code_never_used_the_rarest_term_goes_back_once() -> None:
    # "libpq5 was upgraded by one apt run; how many packages did that run newly install?": the
    # 1.5B added up the installs of every run (647 for 12), never filtering for libpq5.
    runs = ("Start: 1\nUpgrade: libpq5, zlib\nInstall: a, b, c\n\nStart: 2\nInstall: d, e\n\n"
            "Start: 3\nUpgrade: zlib\nInstall: f\n")
    question = "libpq5 was upgraded by one run. How many packages did that run install?"
    total = "```repl\nprint(len(lines('Start')) * 2)\n```"
    root, result = _run_on(runs, [total, "FINAL(6)", "FINAL(3)"], question)
    note = root.calls[2].messages[-1]["content"]
    assert "6 was computed without 'libpq5'" in note and "entries('libpq5')" in note
    assert result.answer == "3"
    # Once: given again it stands; code that used the term, or a capable model, is not asked.
    for prompts, script, calls in ((SMALL, [total, "FINAL(6)", "FINAL(6)"], 3),
                                   (SMALL, ["```repl\nprint(len(entries('libpq5')) + 5)\n```",
                                                          "FINAL(6)"], 2),
                                   (Prompts(), [total, "FINAL(6)"], 2)):
        root, result = _run_on(runs, script, question, prompts)
        assert (result.answer, len(root.calls)) == ("6", calls)
    # A piece of the term is a use of it (a regex, a time without its seconds).
    root, result = _run_on(runs, ["```repl\nprint(len(entries(r'libpq\\d')) + 5)\n```", "FINAL(6)"], question)
    assert (result.answer, len(root.calls)) == ("6", 2)
    from recursor.turns import _used
    assert _used("16:49:20", "lines('16:49')") and _used("libpq5", "lines(r'libpq\\d')")
    assert not _used("libpq5", "lines('zlib')") and not _used("16:49:20", "lines('Start')")
    # Only a key-shaped term (an id, a version, a time) picks out a part: "add up the installs
    # of every run" was sent back for never using 'every'.
    plain = "How many packages did every run install in all?"
    root, result = _run_on(runs, [total, "FINAL(6)"], plain)
    assert (result.answer, len(root.calls)) == ("6", 2)
    # A count offered as the FINAL line stands when written.
    from recursor.orient import orientation
    shown = orientation(runs, question)
    state = TurnState(question=question, context=runs, shown=shown, printed={"6"}, offered="6")
    assert state.unfiltered("6", SMALL) is not None  # the check alone would doubt it
    state = TurnState(question=question, context=runs, shown=shown, printed={"6"}, offered="6")
    assert state.doubted("6", SMALL) is None
    # A term on many lines picks out no part: not asked.
    many = runs + "".join(f"Start: {i}\nUpgrade: libpq5\n\n" for i in range(40))
    root, result = _run_on(many, [total, "FINAL(6)"], question)
    assert (result.answer, len(root.calls)) == ("6", 2)


def test_a_number_sent_back_by_one_check_is_not_sent_back_by_another() -> None:
    # "How many digits does the launch code for Juniper have?": 1 went back as the lines
    # holding 'Juniper', then again as a count that never used 'launch'.
    question = "How many digits does the launch code for Juniper have?"
    look = '```repl\nrows = lines(r"\\bJuniper\\b")\nprint(len(rows), rows[:2])\n```'
    root, answer = _run(SMALL, [look, "FINAL(1)", "FINAL(1)"], question)
    assert answer == "1" and len(root.calls) == 3


def test_an_echo_sent_back_says_which_file_writes_the_term() -> None:
    # "Which module in this tree defines the class `MiniFieldStorage`?": the 1.5B answered the
    # class's name twice, with every line it had printed marked [cgi.py].
    tree = {"cgi.py": "class MiniFieldStorage:\n    pass\n", "ssl.py": "class SSLContext:\n    pass\n",
            "abc.py": "class ABC:\n    pass\n"}
    root = FakeScriptedLM(["```repl\nprint(lines('MiniFieldStorage'))\n```", "FINAL(MiniFieldStorage)", "FINAL(cgi)"])
    result = RLM(root, prompts=SMALL, limits=Limits(max_iterations=4), mode="rlm",
                 trace_dir=False).complete("Which module defines the class `MiniFieldStorage`?", tree)
    assert "Every line that writes 'MiniFieldStorage' is in the file 'cgi.py'." in root.calls[2].messages[-1]["content"]
    assert result.answer == "cgi"
    # A term every file writes names none.
    from recursor.turns import _files_holding
    assert _files_holding(tree, "class") == () and _files_holding(tree, "SSLContext") == ("ssl.py",)
    assert _files_holding(tree, "sslcontext") == ("ssl.py",)  # an echo is read in any case
    assert _files_holding("# File: a.py\nx = 1\n# File: b.py\ny = 2\n", "y") == ()  # too short a term
    assert _files_holding("# File: a.py\nxyz = 1\n# File: b.py\nyyy = 2\n", "yyy") == ("b.py",)


def test_an_answer_naming_neither_offered_option_goes_back_once() -> None:
    # The 1.5B answered "Are there more audio types or more video types?" with 111, a count of
    # the lines holding either word.
    text = "audio/a\naudio/b\naudio/c\nvideo/a\n"
    question = "Are there more audio types or more video types in this file?"
    look = "```repl\nprint(len(lines('audio|video')))\n```"
    root, result = _run_on(text, [look, "FINAL(4)", "FINAL(audio)"], question)
    assert "The question asks which: 'audio' or 'video'. '4' is neither" in root.calls[2].messages[-1]["content"]
    assert result.answer == "audio"
    # Given again, it stands; an option, "both" or a capable model's answer is taken at once.
    root, result = _run_on(text, [look, "FINAL(4)", "FINAL(4)"], question)
    assert result.answer == "4" and len(root.calls) == 3
    for answer in ("FINAL(audio types)", "FINAL(Video)", "FINAL(both)", "FINAL(They are equal)"):
        root, result = _run_on(text, [look, answer], question)
        assert len(root.calls) == 2, answer
    root, result = _run_on(text, [look, "FINAL(4)"], question, prompts=Prompts())
    assert result.answer == "4" and len(root.calls) == 2


def test_an_answer_naming_none_of_the_quoted_answers_goes_back_once() -> None:
    # Asked whether one label was more common than another, with the answers quoted, the
    # 1.5B answered the label's count (88) from a printout that showed both counts.
    text = "complaint: the kettle broke\npraise: lovely toaster\ncomplaint: late\n"
    question = ('Are complaints more common, less common, or as common as praise? Answer with "more common", '
                '"less common" or "same frequency".')
    look = "```repl\nprint(count_by(lines(), lambda l: l.split(':')[0]))\n```"
    root, result = _run_on(text, [look, "FINAL(2)", "FINAL(more common)"], question)
    note = root.calls[2].messages[-1]["content"]
    assert "The question's answer is one of 'more common', 'less common' or 'same frequency'. '2' is none" in note
    assert "reply with one line: FINAL(more common), FINAL(less common) or FINAL(same frequency)." in note
    assert result.answer == "more common"
    for answer in ("FINAL(more common)", "FINAL(Less common)"):
        root, result = _run_on(text, [look, answer], question)
        assert len(root.calls) == 2, answer


def test_an_option_named_in_another_form_is_named() -> None:
    from recursor.turns import _names_an_option
    assert _names_an_option("It succeeded", ("fail", "succeed")) and _names_an_option("GETs", ("GET", "POST"))
    assert _names_an_option("v9.1", ("9.0", "9.1")) and _names_an_option("b2", ("b1.txt", "b2.txt"))
    assert _names_an_option("warning", ("warnings", "errors"))
    assert not _names_an_option("13", ("9.0", "9.1")) and not _names_an_option("media-types", ("audio", "video"))
    # A count that begins with a numeric option, a longer word, a long answer's "no": none.
    for answer, options in (("2004", ("200", "404")), ("9.10", ("9.0", "9.1")), ("tcpdump", ("tcp", "udp")),
                            ("The answer is 111", ("theme", "x")), ("111 lines, no errors", ("a", "b")),
                            ("a total of 111 lines", ("a.log", "b.log"))):
        assert not _names_an_option(answer, options), answer


def test_a_repeated_block_is_replaced_by_the_call_a_helpers_note_offered() -> None:
    # lines(r"\bupgraded\b") matched nothing and the note said how the text writes it; the
    # 1.5B ran the same block again, and the repeat guard searched the date instead.
    # Told "'end-of-life' is written as a field's value: Type on 3 lines (len(lines(...)) counts
    # them)", the 1.5B ran its count_by block again: the count alone is run in its place.
    cases = (("2026-05-20 upgrade vim 1 2\n2026-05-20 install bash 3\n2026-05-20 upgrade zsh 4 5\n",
              "rows = lines(r'\\bupgraded\\b')\nprint(len(rows))", "How many packages were upgraded?",
              "print(len(lines('upgrade')), lines('upgrade')[:3])", "2 ['2026-05-20 upgrade vim 1 2'", "2"),
             ("".join(f"## api{i}\nType: {'End-of-Life' if i < 3 else 'Runtime'}\nThe api{i} APIs.\n" for i in range(8)),
              "rows = lines('APIs')\ncount_by(rows, 'end-of-life')", "How many APIs reached end-of-life?",
              "print(len(lines(r'^Type:[ \\t]*end-of-life(?![\\w-])')))", "\n3\n", "3"))
    for text, code, question, ran, shown, answer in cases:
        block = f"```repl\n{code}\n```"
        root, result = _run_on(text, [block, block, f"FINAL({answer})"], question)
        again = root.calls[2].messages[-1]["content"]
        assert f"so this was run instead: {ran}" in again and shown in again, question
        assert result.answer == answer
    state = TurnState(question="How many packages were upgraded?")
    note = "lines: no line matches '\\\\bupgraded\\\\b'; 2 lines write it 'upgrade' 2: lines('upgrade') gives them."
    assert state.untried(note, text) == "print(len(lines('upgrade')), lines('upgrade')[:3])"


def _alternatives_log() -> str:
    """An alternatives log: registrations and link changes, dated, in time order."""
    rows = []
    for day, names in (("2025-06-24", ("pager", "editor", "awk", "rmt")), ("2026-05-09", ("java", "jar")),
                       ("2026-09-22", ("ctags", "etags", "mvn"))):
        for n, name in enumerate(names):
            rows.append(f"update-alternatives {day} 04:45:{n:02}: run with --install /usr/bin/{name} {name} /usr/bin/{name}-x 30")
            rows.append(f"update-alternatives {day} 04:45:{n:02}: link group {name} updated to point to /usr/bin/{name}-x")
    return "\n".join(rows) + "\n"


def test_a_count_of_the_lines_holding_the_date_the_look_searched_for_goes_back_once() -> None:
    """The question writes "22 September 2026", the look searches the log's 2026-09-22: the
    lines holding that date are what it is about, not what it counts."""
    question = "On 22 September 2026, how many alternatives actually ended up pointing somewhere new?"
    root, result = _run_on(_alternatives_log(), ['```repl\nrows = lines(r"\\b2026-09-22\\b")\nprint(len(rows), rows[:2])\n```',
                                                 "FINAL(6)", "FINAL(3)"], question)
    assert "6 is how many lines hold '2026-09-22'" in root.calls[2].messages[-1]["content"]
    assert result.answer == "3"


def test_an_answer_read_from_the_first_line_a_search_printed_goes_back_once_for_a_ranking() -> None:
    """Lines print in the text's order: the first one's date is not the date with the most."""
    question = "On which date were the most new alternatives registered?"
    search = '```repl\nrows = lines(r"run with")\nprint(len(rows), rows[:2])\n```'
    root, result = _run_on(_alternatives_log(), [search, "FINAL(2025-06-24)", "FINAL(2025-06-24)"], question)
    note = root.calls[2].messages[-1]["content"]
    assert "'2025-06-24' is read from the first line your search printed" in note
    assert result.answer == "2025-06-24" and len(root.calls) == 3  # given again, it stands
    # A question that ranks nothing, a value of another line, or a capable model: no note.
    for asked, script, prompts in (
            ("On which date was awk registered?", [search, "FINAL(2025-06-24)"], SMALL),
            (question, [search, "FINAL(2026-09-22)"], SMALL),
            (question, [search, "FINAL(2025-06-24)"], Prompts())):
        root, result = _run_on(_alternatives_log(), script, asked, prompts=prompts)
        assert len(root.calls) == 2 and result.answer == script[-1][6:-1], asked


def test_a_zero_counted_from_a_search_that_matched_nothing_goes_back_once() -> None:
    """Searching 'described' where the text writes 'describes', the 1.5B printed 0 and
    answered "how many days elapsed" with it, in a block of its own."""
    text = "* release 9.1 (2022-04-15)\n  describes how to build\n* release 9.0 (2021-09-24)\n" * 5
    question = "How many days elapsed between the releases described here?"
    search = '```repl\nrows = lines(r"\\bdescribed\\b")\nprint(len(rows))\n```'
    root, result = _run_on(text, [search, "```repl\nFINAL(0)\n```", "FINAL(0)"], question)
    assert "0 counts the lines of a search that matched nothing" in root.calls[2].messages[-1]["content"]
    assert result.answer == "0" and len(root.calls) == 3  # given again, it stands
    # A 0 after a search that found lines is the answer.
    found = '```repl\nrows = lines(r"\\bdescribes\\b")\nprint(len(rows) - 5)\n```'
    root, result = _run_on(text, [found, "FINAL(0)"], question)
    assert result.answer == "0" and len(root.calls) == 2


def test_a_count_of_the_lines_printed_not_of_those_found_goes_back_once_with_the_found() -> None:
    """Asked how many of an enum's ciphers use CBC, the 1.5B printed "9 [' * @GNUTLS_...',
    ' * @GNUTLS_...']" and answered 2, the lines `rows[:2]` printed."""
    text = "".join(f" * @CIPHER_{i}_CBC: cipher {i} in CBC mode.\n" for i in range(9)) + " * @CIPHER_GCM: GCM.\n" * 5
    question = "How many of the listed ciphers use CBC mode?"
    search = '```repl\nrows = lines(r"\\bCBC\\b")\nprint(len(rows), rows[:2])\n```'
    root, result = _run_on(text, [search, "FINAL(2)", "FINAL(9)"], question)
    note = root.calls[2].messages[-1]["content"]
    assert "2 is how many of the lines the output printed; its first number, 9, counts" in note and "FINAL(9)" in note
    assert result.answer == "9"
    root, result = _run_on(text, [search, "FINAL(2)", "FINAL(2)"], question)
    assert result.answer == "2" and len(root.calls) == 3  # given again, it stands
    # The count found, or a question that asks no count: no such note.
    for asked, answer in ((question, "FINAL(9)"), ("Which cipher uses CBC mode first?", "FINAL(2)")):
        root, result = _run_on(text, [search, answer, answer], asked)
        assert not any("the output printed" in c.messages[-1]["content"] for c in root.calls), asked
        assert result.answer == answer[6:-1]


def test_a_run_that_ends_without_an_answer_answers_what_the_look_computed() -> None:
    """Offered the days between a log's first and last dates, the 1.5B wrote failing code
    until max_errors and replied with code at the answer-now turns: the run ended with no
    answer at all, where the look had computed it."""
    question = "How many days passed between the earliest and the latest change in this log?"
    failing = '```repl\nx = int("2026-09-22")\n```'
    reading = SmallModelPrompts()  # offers what the look computed
    root, result = _run_on(_alternatives_log(), [failing] * 12, question, prompts=reading, iterations=12)
    assert "Read in the lines above: 455." in root.calls[0].messages[-1]["content"]
    assert (result.stopped_by, result.answer) == ("max_errors", "455")
    # Nothing offered (prompts that do not read the look): no answer is made up.
    root, result = _run_on(_alternatives_log(), [failing] * 12, question, iterations=12)
    assert result.answer != "455" and result.stopped_by == "max_errors"


def test_a_run_its_deadline_stops_answers_what_the_look_computed() -> None:
    """Offered a query's value, the 1.5B grepped a wide CSV's long lines until its deadline:
    the run ended with no answer, where the look had computed it."""
    question = "How many days passed between the earliest and the latest change in this log?"
    searching = '```repl\nrows = lines("alternatives")\nprint(len(rows))\n```'
    root = FakeScriptedLM([searching] * 40, delay=0.4)
    result = RLM(root, prompts=SmallModelPrompts(), limits=Limits(max_iterations=40, timeout=2.0), mode="rlm",
                 trace_dir=False).complete(question, _alternatives_log())
    assert "Read in the lines above: 455." in root.calls[0].messages[-1]["content"]
    assert (result.stopped_by, result.answer) == ("timeout", "455")


def test_the_first_of_lines_and_zero_checks_keep_answers_that_are_right() -> None:
    """Code that orders what it prints may print the most first; a 0 after the helper says the
    text writes the word nowhere is likely right; an answer the look offered stands."""
    question = "On which date were the most new alternatives registered?"
    ordered = '```repl\nrows = sorted(lines(r"run with"), reverse=True)\nprint(len(rows), rows[:2])\n```'
    root, result = _run_on(_alternatives_log(), [ordered, "FINAL(2026-09-22)"], question)
    assert result.answer == "2026-09-22" and len(root.calls) == 2
    state = TurnState(question="How many packages were removed?")
    state.saw_cell(SMALL, "lines: the text does not write 'removed' in any form: no line holds 'remov'.\n0\n",
                   None, "print(len(lines('removed')))")
    assert state.doubted("0", SMALL) is None
    listed = TurnState(question=question, look_read="2025-06-24")
    listed.saw_cell(SMALL, "4 ['update-alternatives 2025-06-24 04:45:00: run with', '...']\n", None,
                    "rows = lines('run with')\nprint(len(rows), rows[:2])")
    assert listed.doubted("2025-06-24", SMALL) is None


PASSWD = "\n".join(f"svc{i}:x:{i}:{i}::/var/svc{i}:/usr/sbin/nologin" for i in range(1, 13)) + "\nroot:x:0:0::/root:/bin/bash\n"


def test_the_last_output_written_back_as_a_block_is_not_run() -> None:
    # The 1.5B's reply to "20 ['daemon:x:1:1:...', ...]" was that output as its next block
    # (a TypeError it took for the answer's failure); it answered 1. The block is not run,
    # and the model is told what it wrote, in either mode.
    search = "```repl\nrows = [r for r in context.splitlines() if 'nologin' in r]\nprint(len(rows), rows[:2])\n```"
    question = "How many accounts cannot log in?"
    for prompts in (SMALL, Prompts()):
        echoed = "12 ['svc1:x:1:1::/var/svc1:/usr/sbin/nologin', 'svc2:x:2:2::/var/svc2:/usr/sbin/nologin']"
        root = FakeScriptedLM([search, f"```repl\n{echoed}\n```", "FINAL(12)"])
        result = RLM(root, prompts=prompts, limits=Limits(max_iterations=6), mode="rlm",
                     trace_dir=False).complete(question, PASSWD)
        told = root.calls[2].messages[-1]["content"]
        assert "output above written again, not code, so it was not run" in told
        assert "TypeError" not in told
        assert result.answer == "12" and len(root.calls) == 3


def test_a_model_that_only_echoes_output_stops_at_max_errors() -> None:
    search = "```repl\nprint(len(lines('nologin')))\n```"
    root = FakeScriptedLM([search] + ["```repl\n12\n```"] * 8 + ["FINAL(12)"] * 3)
    result = RLM(root, prompts=SMALL, limits=Limits(max_iterations=12, max_errors=3), mode="rlm",
                 trace_dir=False).complete("How many accounts cannot log in?", PASSWD)
    assert result.stopped_by == "max_errors" and len(root.calls) <= 6


def test_code_that_merely_starts_like_the_output_still_runs() -> None:
    state = TurnState()
    state.last_output = "12 ['svc1:x:1:1', 'svc2:x:2:2']\n"
    assert state.echoes_output(["12 ['svc1:x:1:1', 'svc2:x:2:2']"])
    assert state.echoes_output(["12 ['svc1:x:1:1',"])
    assert not state.echoes_output(["print(len(lines('nologin')))"])
    assert not state.echoes_output(["12"])  # neither the first line nor a start of 8+ characters
    assert not state.echoes_output(["12 ['svc1:x:1:1', 'svc2:x:2:2']", "print(1)"])  # two blocks: code follows
    state.last_output = "12\n"
    assert state.echoes_output(["12"])
    assert not TurnState().echoes_output(["12"])  # nothing printed yet


def test_several_counts_printed_together_are_not_offered_as_the_answer() -> None:
    # "9 1 2" (three len()s printed together) was offered whole, and the 1.5B answered "9 1 2".
    text = "".join(f"pkg{i} (1.{i}) unstable\n  * fixes CVE-2024-{i:04}\n\n" for i in range(9)) + "notes here\n"
    block = "```repl\nrows = lines('CVE')\nnotes = lines('notes')\nprint(len(rows), len(notes), len(lines('pkg')))\n```"
    root, _ = _run_on(text, [block, block, "FINAL(9)", "FINAL(9)"], "How many uploads mention a CVE?")
    again = root.calls[2].messages[-1]["content"]
    assert "FINAL(9 1 9)" not in again
    # One number alone still is.
    one = "```repl\nprint(len(lines('CVE')))\n```"
    root, _ = _run_on(text, [one, one, "FINAL(9)"], "How many uploads mention a CVE?")
    assert "FINAL(9)" in root.calls[2].messages[-1]["content"]


def test_code_printed_from_the_context_and_run_again_is_not_an_echo() -> None:
    state = TurnState()
    for printed in ("import json", "total = 0\nfor x in rows:\n    total += x", "def area(r):\n    return 3 * r * r",
                    "print(len(rows))"):
        state.last_output = printed + "\n"
        assert not state.echoes_output([printed]), printed
    state.last_output = "20 ['daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin']\n"
    assert state.echoes_output(["20 ['daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin']"])


def test_entries_a_step_kept_are_not_offered_as_the_count_a_narrower_question_asks() -> None:
    # A review found "3 entries" from the look's head-line step offered for "How many uploads to
    # experimental did Bob Jones make?" (2). The step is no start, and its entries are not offered.
    from recursor.orient import orientation

    changelog = "".join(
        f"tool ({v}) {dist}; urgency=medium\n\n  * Change {v}.\n\n -- {who} <x@example.org>  Mon, 0{i + 1} May 2023 10:00:00 +0200\n\n"
        for i, (v, dist, who) in enumerate([("2.0", "unstable", "Ann Lee"), ("2.0~rc1", "experimental", "Bob Jones"),
                                            ("1.9", "unstable", "Ann Lee"), ("1.9~rc1", "experimental", "Bob Jones"),
                                            ("1.8~rc1", "experimental", "Ann Lee")]))
    ask = "How many uploads to experimental did Bob Jones make?"
    state = TurnState(question=ask, shown=orientation(changelog, ask))
    assert state.shown.start == ""
    assert state.counted(SMALL, "3 entries\n[1] ...", r"entries(r'^\S.*\bexperimental\b')") is None


CONF = "\n".join(["# - Checkpoints -", "", "#checkpoint_timeout = 5min\t\t# range 30s-1d",
                  "#checkpoint_warning = 30s\t\t# 0 disables", "", "#log_rotation_size = 10MB", ""])


def test_a_value_in_another_unit_than_asked_is_converted_and_offered_once() -> None:
    question = "Express the default interval between automatic checkpoints in seconds (a plain number)."
    script = ["```repl\nprint(lines('checkpoint_timeout'))\n```", "FINAL(5min)", "FINAL(300)"]
    root, result = _run_on(CONF, script, question)
    assert result.answer == "300"
    note = root.calls[2].messages[-1]["content"]
    assert "asks for seconds: 5min is 300 seconds" in note and "FINAL(300)" in note
    # Once: a root that keeps its own unit is answered with it.
    _, kept = _run_on(CONF, [*script[:2], "FINAL(5min)"], question)
    assert kept.answer == "5min"
    # Sizes count 1024 to the K; a question that names no unit keeps the value as written.
    _, sized = _run_on(CONF, ["```repl\nprint(lines('rotation'))\n```", "FINAL(10MB)", "FINAL(10240)"],
                       "How large may a log file grow before rotation, in kilobytes?")
    assert sized.answer == "10240"
    root, plain = _run_on(CONF, script[:2], "What is the default checkpoint interval?")
    assert plain.answer == "5min" and len(root.calls) == 2


def test_only_a_number_with_a_unit_of_the_asked_kind_is_converted() -> None:
    from recursor.question import in_asked_unit
    asked = "What is the retry delay, in seconds?"
    assert in_asked_unit("2m", asked) == ("120", "seconds")  # "m" is minutes when seconds are asked
    assert in_asked_unit("2m", "How big, in kilobytes?") == ("2048", "kilobytes")  # and MiB when a size is
    assert in_asked_unit("1.5h", asked) == ("5400", "seconds")
    assert in_asked_unit("512KB", "How big is it in MB?") == ("0.5", "MB")
    assert in_asked_unit("10KB", "How big is it in MB?") is None  # 0.009765625: not exact to six decimals
    assert in_asked_unit("5min", "How many seconds is the timeout?") == ("300", "seconds")
    for answer in ("300", "2 apples", "5min and 30s", "checkpoint_timeout",
                   "300s", "30S",  # already in the unit asked: nothing to convert, no turn spent
                   "2M",  # a month in systemd's spans, not minutes
                   "1ms",  # 1/3,600,000 of an hour is no exact line to offer...
                   "9" * 400 + "s"):  # ...and a number of 400 digits is no value
        assert in_asked_unit(answer, asked if answer != "1ms" else "How long, in hours?") is None, answer
    assert in_asked_unit("5min", "Which setting is in seconds?") is None  # asks for a setting, not in a unit
    assert in_asked_unit("30min", "I measured latency in milliseconds. What is the DNS timeout?") is None
    assert in_asked_unit("10MB", "What rate limit is applied to bytes uploaded?") is None
    assert in_asked_unit("5MB", "What is the throughput in MB/s?") is None
    assert in_asked_unit("10Mb", "How big, in bytes?") is None  # megabits


def test_the_offered_conversion_is_taken_even_before_any_code_ran() -> None:
    # Offered "FINAL(300)", the root replies just that: it is the run's own offer, not a guess
    # (3 characters, too short for the look's "shown" check).
    text = "[Journal]\n#SyncIntervalSec=5min\n#RateLimitBurst=10000\n"
    root, result = _run_on(text, ["FINAL(5min)", "FINAL(300)"], "What is SyncIntervalSec, in seconds?")
    notes = [call.messages[-1]["content"] for call in root.calls[1:]]
    assert result.answer == "300" and not any("is a guess" in note for note in notes), notes


def test_a_helpers_column_advice_names_the_cells_own_variable() -> None:
    # Told "count_by(items, 1) counts column 1", the 1.5B ran count_by(items, 1) twice, a
    # NameError each time: its lines were in `rows`.
    log = "".join(f"2024-05-{d:02} 10:00 {a} lib{d}:amd64 1.{d}\n" for d, a in
                  zip(range(1, 13), ["upgrade", "install", "remove"] * 4, strict=True))
    block = "```repl\nrows = lines('amd64')\ncount_by(rows, 'package')\n```"
    root, _ = _run_on(log, [block, "FINAL(4)"], "How many packages were upgraded?")
    output = root.calls[1].messages[-1]["content"]
    assert "count_by(rows, 2) counts column 2: upgrade 4, install 4, remove 4" in output
    root, _ = _run_on(log, ["```repl\ncount_by(lines('amd64'), 'package')\n```", "FINAL(4)"],
                      "How many packages were upgraded?")
    assert "count_by(items, 2) counts column 2" in root.calls[1].messages[-1]["content"]  # no name: as documented
    # Told to label lines by one label no line writes, the advice names the cell's lines too.
    labelled = "```repl\nrows = lines('amd64')\nclassify(rows, 'upgraded')\n```"
    big = "".join(f"2024-05-{d % 28 + 1:02} 10:00 {('upgrade', 'install')[d % 2]} lib{d}:amd64 1.{d}\n"
                  for d in range(240))
    root, _ = _run_on(big, [labelled, "FINAL(4)"], "How many packages were upgraded?")
    output = root.calls[1].messages[-1]["content"]
    assert "count_by(rows, N) counts its values" in output and "classify(rows, 'upgraded, other')" in output


def test_an_answer_other_than_the_value_the_look_computed_is_sent_back_once() -> None:
    module = "class Base:\n    def a(self): pass\n\nclass Leaf(Base):\n" + "".join(
        f"    def m{i}(self): pass\n" for i in range(8))
    question = "How many methods does the Leaf class define in its own body (inherited ones not counted)?"
    shown = orientation(module, question)
    assert shown.counted == "8"
    state = TurnState(question=question, context=module, shown=shown, look_read="8")
    note = state.doubted("3", SMALL)
    assert note is not None and "FINAL(8)" in note
    assert state.doubted("3", SMALL) is None  # given again, the answer stands
    assert TurnState(question=question, context=module, shown=shown, look_read="8").doubted("8", SMALL) is None


def test_a_count_by_the_look_own_call_is_not_sent_back_for_a_word_it_did_not_search() -> None:
    kinds = ["image/png", "image/gif", "text/plain", "audio/ogg", "application/pkcs7-mime"]
    text = "# MIME types, made by update-mime-database\n" + "".join(f"50:{kinds[i % 5]}:*.e{i}\n" for i in range(60))
    question = "How many of the filename patterns here map to an image/ MIME type?"
    shown = orientation(text, question)
    assert shown.start.startswith("len([l for l in lines()")  # the look's step: the lines of an image/ type
    ran = TurnState(question=question, context=text, shown=shown, printed={"24"}, seen_code={shown.start})
    assert ran.unfiltered("24", SMALL) is None  # it chose the filter the question's words name
    own = TurnState(question=question, context=text, shown=shown, printed={"24"}, seen_code={"len(lines('image'))"})
    assert own.unfiltered("24", SMALL) is not None  # 'MIME', the rarest word, used by no code


def test_an_acronym_written_only_in_lowercase_is_not_the_term() -> None:
    from recursor.turns import _lines_holding
    text = '{"alpha_3": "iso", "name": "Isoko"}\n{"alpha_3": "isl", "name": "Icelandic"}\n'
    assert _lines_holding(text, "ISO", 5) == 0  # the code "iso" is no mention of ISO
    assert _lines_holding(text, "Isoko", 5) == 1 and _lines_holding(text, "isoko", 5) == 1


def test_a_number_the_model_computed_in_code_is_not_pushed_to_the_look_value() -> None:
    module = "class Base:\n    def a(self): pass\n\nclass Leaf(Base):\n" + "".join(
        f"    def m{i}(self): pass\n" for i in range(8))
    question = "How many methods does the Leaf class define in its own body (inherited ones not counted)?"
    shown = orientation(module, question)
    state = TurnState(question=question, context=module, shown=shown, look_read="8")
    note = state.doubted("5", SMALL, code="print(len(names))")  # 5 was computed, not written
    assert note is None or "FINAL(8)" not in note
    assert TurnState(question=question, context=module, shown=shown, look_read="8").doubted("8;", SMALL) is None


def test_a_count_of_a_term_s_lines_of_several_kinds_goes_back_with_the_kinds() -> None:
    # "How many client connections did the Redis server accept?": the 1.5B answered the 3,279
    # lines holding "accept"; 3,278 of them are `Accepted` lines, one is `Ready to accept`.
    log = "812:M 06 Dec 2026 06:32:43.438 * Ready to accept connections\n" + "".join(
        f"812:M 06 Dec 2026 06:32:{44 + i % 10}.{i:03d} - Accepted 127.0.0.1:{54000 + i}\n" for i in range(30))
    question = "How many client connections did the server accept?"
    look = "```repl\nrows = lines('accept')\nprint(len(rows), rows[:2])\n```"
    root, result = _run_on(log, [look, "FINAL(31)", "FINAL(30)"], question)
    note = root.calls[2].messages[-1]["content"]
    assert "31 is how many lines hold 'accept', and they are of several kinds:" in note and "FINAL(30)" not in note
    assert "  30 lines like: 812:M 06 Dec 2026 06:32:44.000 - Accepted 127.0.0.1:54000" in note
    assert "  1 line like: 812:M 06 Dec 2026 06:32:43.438 * Ready to accept connections" in note
    assert result.answer == "30"
    # Lines of one kind: the note as before, with no kinds.
    one_kind = "".join(f"812:M 06 Dec 2026 06:32:{44 + i % 10}.{i:03d} - Accepted 127.0.0.1:{54000 + i}\n"
                       for i in range(30))
    root, result = _run_on(one_kind, [look, "FINAL(30)", "FINAL(30)"], question)
    note = root.calls[2].messages[-1]["content"]
    assert "30 is how many lines hold 'accept', which the question names" in note and "kinds" not in note


def _extract_log() -> str:
    stores = ("leipzig-sued", "muenchen-west", "berlin-mitte")
    rows = [f"2026-12-07 06:24:{n:02},346 INFO etl: extracted {1000 + 37 * n} sales rows for {stores[n % 3]} on 2026-11-{n + 1:02}"
            for n in range(24)]
    return "\n".join(rows) + "\n"


def test_an_answer_copied_from_a_line_of_another_subject_goes_back_once() -> None:
    """Asked about muenchen-west, the 1.5B printed two "extracted N sales rows" lines and
    answered the first, leipzig-sued's: the printed line of the same kind naming the store is
    shown, and the answer given again stands."""
    question = "How many sales rows were extracted for muenchen-west on 2026-11-02?"
    search = '```repl\nrows = lines(r"extracted")\nprint(len(rows), rows[:2])\n```'
    named = '```repl\nrows = lines(r"2026-11-02")\nprint(len(rows), rows[:2])\n```'
    root, result = _run_on(_extract_log(), [search, "FINAL(1000)", named, "FINAL(1037)"], question)
    note = root.calls[2].messages[-1]["content"]
    assert "'1000' is read from a line that does not name '2026-11-02'" in note
    assert "2026-12-07 06:24:01,346 INFO etl: extracted 1037 sales rows for muenchen-west on 2026-11-02\n" in note
    assert result.answer == "1037"
    root, result = _run_on(_extract_log(), [search, "FINAL(1000)", "FINAL(1000)"], question.replace(" on 2026-11-02", ""))
    assert "'1000' is read from a line that does not name 'muenchen-west'" in root.calls[2].messages[-1]["content"]
    assert result.answer == "1000" and len(root.calls) == 3  # given again, it stands
    # The answer's own line names the store, or a capable model: no note.
    undated = question.replace(" on 2026-11-02", "")
    own = '```repl\nrows = lines(r"muenchen-west")\nprint(len(rows), rows[:2])\n```'
    for script, prompts in (([own, "FINAL(1037)"], SMALL), ([search, "FINAL(1000)"], Prompts())):
        root, result = _run_on(_extract_log(), script, undated, prompts=prompts)
        assert len(root.calls) == 2 and result.answer == script[-1][6:-1], script
    # No printed line names the store asked about: another check may speak, this one does not.
    root, result = _run_on(_extract_log(), [search, "FINAL(1000)", "FINAL(1000)"], undated.replace("muenchen", "berlin"))
    assert result.answer == "1000" and all("does not name" not in c.messages[-1]["content"] for c in root.calls[1:])


def test_an_answer_that_is_a_whole_line_of_the_text_goes_back_once_unless_text_is_asked() -> None:
    """Asked which power unit is defined in terms of the kilogram-force, the 1.5B answered the
    whole definition line of the kilogram-force."""
    text = ("# Force\nforce_kilogram = g_0 * kilogram = kgf = kilogram_force\n# Power\n"
            "metric_horsepower = 75 * force_kilogram * meter / second\n" + "filler = 1\n" * 20)
    question = "Which power unit is defined in terms of the kilogram-force?"
    line = "force_kilogram = g_0 * kilogram = kgf = kilogram_force"
    search = '```repl\nrows = lines("kilogram_force")\nprint(len(rows), rows[:2])\n```'
    root, result = _run_on(text, [search, f"FINAL({line})", "FINAL(metric_horsepower)"], question)
    assert f"{line!r} is a whole line of the text" in root.calls[2].messages[-1]["content"]
    assert result.answer == "metric_horsepower"
    root, result = _run_on(text, [search, f"FINAL({line})", f"FINAL({line})"], question)
    assert result.answer == line and len(root.calls) == 3  # given again, it stands
    # Asked for a line, a definition, or a part of a line: no note.
    for asked, answer in (("Which line defines the kilogram-force?", line),
                          ("What is the definition of the kilogram-force?", line),
                          (question, "g_0 * kilogram")):
        root, result = _run_on(text, [search, f"FINAL({answer})"], asked)
        assert len(root.calls) == 2 and result.answer == answer, asked


def test_an_echoed_term_goes_back_with_the_few_lines_writing_it_beside_another_of_the_questions_words() -> None:
    """Asked which node class inherits from both Titular and General, the 1.5B answered Titular."""
    text = ("class Titular:\n    pass\nclass General:\n    pass\n" + "".join(f"class n{i}(General, Body): pass\n" for i in range(9))
            + "class title(Titular, Structural): pass\nclass rubric(Titular, General, TextElement): pass\n")
    question = "Which node class is the only one that inherits from both the Titular and the General mixin?"
    search = '```repl\nrows = lines(r"\\bTitular\\b")\nprint(len(rows), rows[:2])\n```'
    root, result = _run_on(text, [search, "FINAL(Titular)", "FINAL(rubric)"], question)
    note = root.calls[2].messages[-1]["content"]
    assert "'Titular' is what the question asks about" in note
    assert note.endswith("with another of the question's words:\nclass rubric(Titular, General, TextElement): pass")
    assert result.answer == "rubric"
    # Too many such lines say nothing of which: none are told.
    crowded = text + "".join(f"class m{i}(Titular, General): pass\n" for i in range(4))
    root, _ = _run_on(crowded, [search, "FINAL(Titular)", "FINAL(m1)"], question)
    assert "another of the question's words" not in root.calls[2].messages[-1]["content"]


def test_a_count_of_the_lines_holding_a_windows_end_goes_back_with_the_windows_call() -> None:
    """Asked how many files were uploaded from 08:51:30 up to, but not including, 08:52:30, the
    1.5B counted the 8 lines of 08:52:30 and gave 8 twice."""
    verbs = ("STOR", "RETR", "CWD")
    text = "".join(f"[I 2026-12-07 08:5{1 + i // 60}:{i % 60:02d}] 127.0.0.5{i % 4}:4000-[u{i % 5}] {verbs[i % 3]} /f{i}\n"
                   for i in range(120)) + "".join(f"[I 2026-12-07 08:52:30] 127.0.0.5{i}:4001-[u{i}] CWD /d{i}\n"
                                                  for i in range(3))
    question = "How many files were uploaded from 08:51:30 up to, but not including, 08:52:30?"
    search = '```repl\nrows = lines(r"\\b08:52:30\\b")\nprint(len(rows), rows[:2])\n```'
    root, result = _run_on(text, [search, "FINAL(4)", "FINAL(20)"], question)
    note = root.calls[2].messages[-1]["content"]
    assert note.startswith("4 is how many lines hold '08:52:30', one end of the window the question asks about")
    assert "in_dates(lines(), '08:51:30', '08:52:29') gives the window's lines" in note
    assert result.answer == "20"


def test_review_the_subject_line_and_whole_line_checks_keep_right_answers() -> None:
    """Found by a review: a question about another thing than its subject, one-word printed
    lines, and a description asked for are answered from lines the checks must not doubt."""
    log = "".join(f"2026-03-09 10:{i:02}:00 INFO host web-0{i % 3}: heartbeat ok\n" for i in range(30))
    log += "2026-03-09 11:00:00 ERROR host db-02: kernel panic in ext4 driver\n"
    log += "2026-03-09 11:05:00 ERROR host web-03: kernel panic in ext4 driver\n"
    search = '```repl\nrows = lines("kernel panic")\nprint(len(rows), rows[:2])\n```'
    root, result = _run_on(log, [search, "FINAL(web-03)"], "Which other host logged the same kernel panic as db-02?")
    assert result.answer == "web-03" and len(root.calls) == 2
    assert not turns._alike("job-17", "Queued") and not turns._alike("OK", "db-02")
    manual = "".join(f"       -{c}     option {c} does thing {c}\n" for c in "abcdefgh")
    manual += "       -r, --reverse\n              reverse order while sorting\n"
    described = '```repl\ngrep("--reverse")\n```'
    root, result = _run_on(manual, [described, "FINAL(reverse order while sorting)"], "What does the --reverse option of ls do?")
    assert result.answer == "reverse order while sorting" and len(root.calls) == 2


def test_review_an_echo_note_reads_a_long_line_in_part_and_fast() -> None:
    """A minified file is one line: the lines beside an echoed term are read around it, not whole."""
    record = '{"kind": "Titular", "base": "General", "pad": "' + "x" * 300 + '"}, '
    text = "[" + record * 3000 + "]"
    lines = turns._lines_with(text, "Titular", ["General"])
    assert 0 < len(lines) <= 3 and all(len(line) <= 2 * turns._WITH_LINE + len("Titular") for line in lines)


def test_a_count_that_is_the_whole_windows_lines_goes_back_once() -> None:
    """Asked how many firmware images were sent in full from 02:30 to 03:00, the 1.5B answered
    the window's 1,162 lines of 19 kinds."""
    kinds = ("Opening file fw/{i}.bin for reading", "Transferred {i}00 bytes in 0.01 seconds", "Session {i} complete")
    text = "".join(f"2027-02-17 02:{20 + i // 6:02d}:{i % 60:02d},000 INFO [tftpy] {kinds[i % 3].format(i=i)}\n"
                   for i in range(120))
    question = "How many firmware images were sent in full from 02:30 up to, but not including, 02:35?"
    shown = orientation(text, question).text
    assert "30 of its 120 timed lines are from 02:30 through 02:34" in shown and "They are 30 lines of 3 kinds" in shown
    window = "```repl\nrows = in_dates(lines(), '02:30', '02:34')\nprint(len(rows), rows[:2])\n```"
    root, result = _run_on(text, [window, "FINAL(30)", "FINAL(10)"], question)
    note = root.calls[2].messages[-1]["content"]
    assert note.startswith("30 is how many lines the window holds, of 3 kinds together")
    assert result.answer == "10"
    # A question that counts the window's lines themselves takes its total.
    root, result = _run_on(text, [window, "FINAL(30)"], "How many log lines were written from 02:30 up to, but not "
                                                         "including, 02:35?")
    assert result.answer == "30" and len(root.calls) == 2
