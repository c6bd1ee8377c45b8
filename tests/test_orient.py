"""The first look a small root gets at its context (`recursor.orient`), alone and in a run.

Texts here are shaped like real inputs (a package log, an access log, a one-line document,
prose), and the questions are phrased as users phrase them, never with the text's words.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM
from recursor.budget import Limits
from recursor.orient import _module_level, orientation, printed_nothing
from recursor.prompts import Prompts
from recursor.prompts_small import SmallModelPrompts
from recursor.question import STATED_LIMIT, document_words
from recursor.sandbox.helpers import Entry, count_by, headings, record

SMALL = SmallModelPrompts(reads_the_look=False)
"""Small-model prompts for a scripted root alone: no sub-call reads the look first (that
reader is tested in test_look_reader.py)."""

LOG = "\n".join(
    [f"2024-05-0{d} 10:0{i}:00 status installed libfoo{i}:amd64 1.{i}-1" for d in (1, 2) for i in range(8)]
    + ["2024-05-03 09:00:00 upgrade xxd:amd64 2:9.0-1 2:9.0-2",
       "2024-05-03 09:00:01 status half-configured xxd:amd64 2:9.0-2",
       "2024-05-03 09:00:02 status installed xxd:amd64 2:9.0-2"]
    + [f"2024-05-04 11:00:0{i} status installed libbar{i}:amd64 3.{i}" for i in range(5)]
)


def test_the_rarest_key_word_is_shown_with_its_first_and_last_lines() -> None:
    look = orientation(LOG, "Which xxd version did the package manager finish setting up last?")
    text = look.text
    assert text.startswith("It has 24 lines. It begins:\n1| 2024-05-01 10:00:00 status installed libfoo0")
    assert "'xxd': 3 lines:" in text
    assert "2024-05-03 09:00:02 status installed xxd:amd64 2:9.0-2" in text
    # Words the log never holds are named, so the root does not search for them.
    assert "Not in the text:" in text and "'manager'" in text
    assert look.shows("2:9.0-2") and not look.shows("2:9.0-3")
    assert not look.shows("3")  # too short to tell where it was read


def test_key_shaped_words_come_before_everyday_ones_however_rare() -> None:
    text = "\n".join(["GET /index 200 user=ann"] * 50 + ["request from machine 7"]
                     + ["GET /login 500 user=bob-2"] * 3)
    look = orientation(text, "How many requests did bob-2 make from his machine?").text
    assert look.index("'bob-2': 3 lines") < look.index("'machine': 1 line")


def test_many_matches_show_the_first_and_last_and_the_count() -> None:
    text = "\n".join(f"2023-01-{d:02d} order {n} refunded" for d in range(1, 29) for n in range(40))
    look = orientation(text, "How many orders were refunded in January 2023?").text
    assert "'2023-01': 1,120 lines, the first and last:" in look  # key-shaped words first, dates as written
    assert "2023-01-01 order 0 refunded" in look and "2023-01-28 order 39 refunded" in look
    assert "'refunded': 1,120 lines, e.g.:" in look


def test_a_long_line_is_read_as_sentences_with_a_window_around_each() -> None:
    filler = "The grass is green. The sky is blue. " * 2000
    text = filler + "The access code for north-gate is 4417. " + filler + "North-gate closes at six. " + filler
    look = orientation(text, "What is the code of the north-gate?")
    assert look.text.startswith(f"It has one line of {len(text):,} characters.")
    assert "'north-gate': 2 sentences" in look.text
    shown = [line for line in look.shown if "4417" in line]
    assert shown and len(shown[0]) < 200 and shown[0].startswith("...")


def test_nothing_to_show_for_an_empty_context_and_lists_are_read_whole() -> None:
    assert orientation("", "anything?").text == ""
    look = orientation(["alpha one", "beta two-x", "gamma three"], "What goes with two-x?")
    assert "'two-x': 1 line" in look.text and "beta two-x" in look.text


def test_printed_nothing_tells_empty_output_from_a_value() -> None:
    assert printed_nothing("") and printed_nothing("[]\n") and printed_nothing("None\n{}\n")
    assert printed_nothing("0 []\n") and printed_nothing("0, Counter()")
    assert not printed_nothing("0\n") and not printed_nothing("['a line']") and not printed_nothing("3 []")


def _run(prompts: Prompts, script: list[str], context: str, question: str) -> FakeScriptedLM:
    root = FakeScriptedLM(script)
    RLM(root, prompts=prompts, limits=Limits(max_iterations=6), trace_dir=False).complete(question, context)
    return root


def test_a_small_root_sees_the_look_and_may_answer_from_it() -> None:
    root = _run(SMALL, ["FINAL(2:9.0-2)"], LOG, "Which xxd version got set up last?")
    first = root.calls[0].messages[-1]["content"]
    assert "status installed xxd:amd64 2:9.0-2" in first
    assert len(root.calls) == 1  # read from the lines shown: not sent back as a guess


def test_a_guess_not_in_the_look_and_an_empty_filter_are_sent_back() -> None:
    guess = _run(SMALL, ["FINAL(7.7-7)", "FINAL(7.7-7)"], LOG, "Which xxd version got set up last?")
    assert "so that answer is a guess" in guess.calls[1].messages[-1]["content"]
    empty = _run(SMALL, ["```repl\nprint(lines('nothing-like-this'))\n```", "FINAL(7.7-7)",
                                       "FINAL(7.7-7)"], LOG, "Which xxd version got set up last?")
    assert "so that answer is a guess" in empty.calls[2].messages[-1]["content"]  # `[]` showed nothing


def test_capable_models_keep_the_metadata_only_first_message() -> None:
    root = _run(Prompts(), ["```repl\nprint(len(context))\n```", "FINAL(2:9.0-2)"], LOG, "Which xxd version?")
    assert "xxd:amd64" not in root.calls[0].messages[-1]["content"]


def test_files_of_a_directory_context_are_named_with_their_lines() -> None:
    files = {"src/app.py": "import os\nTIMEOUT = 30\n", "src/db.py": "POOL_SIZE = 8\nTIMEOUT_DB = 5\n",
             "README.md": "Set POOL_SIZE in db.py."}
    look = orientation(files, "What is POOL_SIZE set to?").text
    assert "1| [src/db.py] POOL_SIZE = 8" in look and "2| [README.md] Set POOL_SIZE in db.py." in look


def test_a_copied_value_the_context_never_holds_is_sent_back_once() -> None:
    question = "When did the xxd upgrade start?"
    # A timestamp from nowhere (the prompt's example), after a search that printed other lines.
    cells = ["```repl\ngrep('xxd')\n```", "FINAL(2023-03-01 10:02:11)", "FINAL(2023-03-01 10:02:11)"]
    root = _run(SMALL, cells, LOG, question)
    assert "'2023-03-01 10:02:11' is not written anywhere in the context" in root.calls[2].messages[-1]["content"]
    assert len(root.calls) == 3  # given again, it stands
    # A value the context holds, a count and a name (not the question's own: `echoed`) are taken at once.
    for answer in ("2024-05-03 09:00:00", "17", "libfoo0"):
        ok = _run(SMALL, ["```repl\ngrep('xxd')\n```", f"FINAL({answer})"], LOG, question)
        assert len(ok.calls) == 2, answer


def test_written_values_are_dates_versions_and_ids_not_counts_or_words() -> None:
    from recursor.turns import written_value
    for value in ("2:9.0.1378-2+deb12u2", "2024-05-03 09:00:00", "10.0.4.2", "tcl8.6", "INC-4417"):
        assert written_value(value) == value
    for other in ("17", "1,234", "1234.56", "Samuel Thibault", "yes", "a sentence with 1.2 in it"):
        assert written_value(other) is None, other


def test_pasted_text_and_repeats_get_an_untried_line_of_code_run_in_their_place() -> None:
    question = "Which xxd version got set up last?"
    pasted = "```repl\n2024-05-03 09:00:02 status installed xxd:amd64 2:9.0-2\n```"
    root = _run(SMALL, [pasted, "```repl\nrows = lines('xxd')\n```",
                                      "```repl\nrows = lines('xxd')\n```", "FINAL(2:9.0-2)"], LOG, question)
    first = root.calls[1].messages[-1]["content"]  # the text's SyntaxError is not shown back
    assert "or was not code, so this was run instead: grep('xxd')" in first and "SyntaxError" not in first
    assert "1| 2024-05-03 09:00:00 upgrade >>xxd<<:amd64" in first
    again = root.calls[3].messages[-1]["content"]  # a block sent twice: the next idea ran instead
    assert "so this was run instead: print(lines('xxd')[:10])" in again
    assert "'2024-05-03 09:00:02 status installed xxd:amd64 2:9.0-2'" in again  # its output
    # A capable model's syntax error is a typo: no note, nothing run in its place.
    plain = _run(Prompts(), ["```repl\nprint(len(context)\n```", "```repl\nprint(1)\n```", "FINAL(2:9.0-2)"], LOG, question)
    assert "not code" not in plain.calls[1].messages[-1]["content"]


def test_a_repeat_is_replaced_by_the_lines_holding_the_questions_words_together() -> None:
    # The issue's question: the 1.5B printed two gnupg lines again and again. The lines with
    # "gnupg" and the upgrade, as the log writes "upgraded", hold the version it ended with.
    log = LOG + ("\n2024-05-05 08:00:00 status installed gnupg-l10n:all 2.2.40-1.1"
                 "\n2024-05-05 08:00:01 status installed gnupg:all 2.2.40-1.1"
                 "\n2024-05-09 07:29:05 upgrade gnupg-l10n:all 2.2.40-1.1 2.2.40-1.1+deb12u2"
                 "\n2024-05-09 07:29:05 upgrade gnupg:all 2.2.40-1.1 2.2.40-1.1+deb12u2"
                 "\n2024-05-09 07:29:06 status installed gnupg:all 2.2.40-1.1+deb12u2")
    question = "The package gnupg was upgraded once in this log. What version did it end up with?"
    assert sorted(orientation(log, question).together) == ["gnupg", "upgrade"]
    block = "```repl\nprint(lines(r'\\bgnupg\\b')[:2])\n```"
    root = _run(SMALL, [block, block, "FINAL(2.2.40-1.1+deb12u2)"], log, question)
    again = root.calls[2].messages[-1]["content"]
    assert "so this was run instead: print(lines('upgrade', 'gnupg')[:10])" in again
    assert "upgrade gnupg:all 2.2.40-1.1 2.2.40-1.1+deb12u2" in again
    # Words never found on one line give no such search: the single words are searched.
    assert orientation(LOG, "Which xxd version got set up last?").together == ()


def test_a_question_about_sections_is_shown_the_numbered_headings() -> None:
    # The 1.5B, asked how many numbered sections the Apache licence has, counted the lines
    # holding "sections" and answered 1. A list numbered inside a section is another run.
    titles = ["Definitions", "Grant of Copyright License", "Grant of Patent License", "Redistribution",
              "Submission of Contributions", "Trademarks", "Disclaimer of Warranty"]
    body = ["                 Example License", "     Version 2.0", ""]
    for n, title in enumerate(titles, 1):
        body += [f"   {n}. {title}. Subject to the terms and conditions of", "      this License, you may:", ""]
        if n == 4:
            body += ["      1. Give a copy of this License;", "      2. Keep the notices;",
                     "      3. State your changes; and", "      4. Keep the NOTICE file.", ""]
    text = "\n".join(body).replace("   6. Trademarks.", "*  6. Trademarks.  *")  # a boxed section
    look = orientation(text, "How many numbered sections does this licence have?")
    assert "Numbered headings at the start of a line: 7, 1 to 7:" in look.text
    assert "   4. Redistribution" in look.text and "   6. Trademarks" in look.text
    assert "Keep the notices" not in look.text
    assert "   7. Disclaimer of Warranty" in look.shown[-1] or any("7. Disclaimer" in line for line in look.shown)
    # Only for a question about sections, chapters, clauses...; and only a run of three.
    assert "Numbered headings" not in orientation(text, "What may a user do with the NOTICE file?").text
    assert "Numbered headings" not in orientation("1. One\n2. Two\nthree\n", "How many sections?").text
    # Lowercase lines after a number are counts, not headings ("3 items").
    assert "Numbered headings" not in orientation("1 apple\n2 pears\n3 plums\n4 figs\n", "How many parts?").text
    # Three clauses, then another list numbered on from 4 with ")": two runs, not one of 6;
    # each new 1 starts a run. CRLF lines and capitals of any script are read as well.
    spliced = ("1. Keep this notice.\r\n2. Keep the list.\r\n3. No endorsement.\r\n\r\n"
               "4) Über die Lizenz\r\n5) Grant\r\n6) Patents\r\n7) Warranty\r\n"
               "1. Über alles\r\n2. Zwei\r\n3. Drei\r\n4. Vier\r\n5. Fünf\r\n")
    look = orientation(spliced, "How many sections are there?").text
    assert "Numbered headings at the start of a line: 5, 1 to 5:" in look
    assert "   1. Über alles\n" in look and "\r" not in look.split("Numbered headings")[1]


def test_the_rarest_words_lines_are_all_shown_when_few() -> None:
    text = "\n".join(["noise line"] * 30 + [f"2024-01-0{i} gnupg step {i}" for i in range(1, 9)] + ["noise"] * 5)
    look = orientation(text, "What was the last gnupg step?")
    assert "'gnupg': 8 lines:" in look.text
    assert all(f"gnupg step {i}" in look.text for i in range(1, 9))


def test_files_joined_into_one_text_are_named_with_their_lines() -> None:
    dump = ("# File: pkg/a.py\nimport os\nclass Alpha:\n    pass\n"
            "# File: pkg/b.py\nclass Beta:\n    pass\ndef helper(): return Beta()\n")
    look = orientation(dump, "Which module defines the class Beta?").text
    assert "1| [pkg/b.py] class Beta:" in look and "2| [pkg/b.py] def helper(): return Beta()" in look
    tails = "==> app.log <==\nstart\nerror disk full\n==> db.log <==\nerror lock timeout\n"
    assert "1| [app.log] error disk full" in orientation(tails, "Which errors were logged?").text
    # One header is a file of its own, not a dump: nothing to tell apart.
    single = orientation("File: notes.txt\nthe key is 42\n", "What is the key?").text
    assert "[notes.txt]" not in single


def test_a_word_on_every_line_is_counted_up_to_a_cap_and_its_last_lines_found_from_the_end() -> None:
    rows = [f"2024-01-01 row {i} status ok" for i in range(25_000)]
    look = orientation("\n".join(rows), "How many rows say status ok?").text
    assert "'status': 10,000+ lines, the first and last:" in look
    assert "2024-01-01 row 24998 status ok" in look and "2024-01-01 row 24999 status ok" in look


def test_letters_whose_lowercase_is_longer_fall_back_to_the_pattern() -> None:
    text = "İstanbul office\nthe code for north-gate is 4417\n"  # 'İ'.lower() is two characters
    assert "the code for north-gate is 4417" in orientation(text, "What is the north-gate code?").text


def test_lines_the_look_showed_are_evidence_for_an_answer_read_there() -> None:
    root = FakeScriptedLM(["FINAL(2:9.0-2)"])
    result = RLM(root, prompts=SMALL, limits=Limits(max_iterations=3), mode="rlm",
                 trace_dir=False).complete("Which xxd version got set up last?", LOG)
    assert result.answer == "2:9.0-2"
    assert any("status installed xxd:amd64 2:9.0-2" in item["text"] for item in result.evidence)
    # In a directory context the read names its file.
    files = {"a.log": "noise\n" * 5, "b.log": "x\n2024 status installed xxd:amd64 2:9.0-2\n"}
    look = orientation(files, "Which xxd version got set up last?")
    assert look.reads == (("b.log", 2, 41),)


def test_last_lines_are_found_when_lowering_changes_the_texts_length() -> None:
    rows = ["İstanbul office"] + [f"row {i} status ok" for i in range(12_000)]
    look = orientation("\n".join(rows), "How many rows say status ok?").text
    assert "'status': 10,000+ lines, the first and last:" in look
    assert "row 11998 status ok" in look and "row 11999 status ok" in look


def test_the_rarest_words_record_is_shown_with_its_line() -> None:
    # The asked date is on another line of the record the rare word is in (a log's entry).
    history = ("Start-Date: 2025-06-24  14:37:36\nCommandline: apt-get install foo\n"
               "Install: tcl8.6:amd64 (8.6.13), foo:amd64 (1.0)\nEnd-Date: 2025-06-24  14:40:00\n\n"
               "Start-Date: 2026-05-09  07:29:02\nUpgrade: bar:amd64 (1, 2)\nEnd-Date: 2026-05-09  07:30:00\n")
    text = "# File: notes.txt\nnothing here\n# File: history.log\n" + history
    look = orientation(text, "When did the apt run that brought tcl8.6 onto this machine start?")
    assert "1| [history.log] Install: tcl8.6:amd64" in look.text
    assert "   . Start-Date: 2025-06-24  14:37:36" in look.text
    assert "2026-05-09" not in look.text and "# File: history.log\n   ." not in look.text
    # What was shown of the record is evidence, and counts as seen.
    start = text.index("Start-Date: 2025")
    assert (None, start, start + len("Start-Date: 2025-06-24  14:37:36")) in look.reads
    assert "Start-Date: 2025-06-24  14:37:36" in look.shown


def test_a_question_listing_its_answers_options_gets_no_search_hint() -> None:
    text = "id=1 text=Where is Perth ?\nid=2 text=Who wrote the human comedy ?\n" * 3
    listed = orientation(text, "Each text is a place, person, number or other. How many are about a person?")
    assert listed.hint == () and "human" not in listed.hint
    plain = orientation(text, "Who wrote the human comedy?")
    assert plain.hint == plain.words and "comedy" in plain.hint
    # A date's comma is no list.
    assert orientation(text, "On Aug 1, 2023, who wrote the comedy?").hint


def test_the_same_error_twice_running_gets_an_untried_search_run_instead() -> None:
    # Edited code failing the same way: not a repeat of the text, a repeat of the failure.
    question = "Which xxd version got set up last?"
    blocks = [f"```repl\nrows = lines('xxd')\nprint(rows[{i}].split()[9])\n```" for i in (1, 2, 3)]
    root = _run(SMALL, [*blocks, "FINAL(2:9.0-2)"], LOG, question)
    first, second = root.calls[1].messages[-1]["content"], root.calls[2].messages[-1]["content"]
    assert "IndexError" in first and "run instead" not in first  # a first error is shown as is
    assert "failed again with the same error" in second and "run instead: grep('xxd')" in second
    assert "1| 2024-05-03 09:00:00 upgrade >>xxd<<:amd64" in second
    # A capable model's errors are its own to fix: nothing is run in their place.
    plain = _run(Prompts(), [*blocks, "FINAL(2:9.0-2)"], LOG, question)
    assert "run instead" not in plain.calls[2].messages[-1]["content"]


def test_statements_about_the_context_and_the_answers_form_are_not_searched() -> None:
    text = "# File: a.py\nclass A(Base):\n# File: machine.py\nclass Real(Base):\n" + "x = 1\n" * 20
    question = ("The context is a set of real files from a build machine; each file starts with a "
                "line `# File: <path>`. Which module has the most classes? Answer with just the "
                "name asked for.")
    look = orientation(text, question)
    words = {w.lower() for w in look.words}
    assert words == {"classes"}  # not "real", "machine", "file" or "asked"
    # A sentence that asks is kept whatever its words; so are statements about anything else.
    assert orientation(text, "Does the context contain the class Real?").words[:1] == ("Real",)
    assert "Real" in orientation(text, "Real is a class. Which file defines it?").words


def test_a_file_the_question_names_is_outlined_by_its_entries() -> None:
    entry = ("foo ({v}) unstable; urgency=medium\n\n  * Change {v}.\n\n"
             " -- {who} <x@example.org>  Mon, 02 Jan 2023 10:00:00 +0000\n\n")
    log = "".join(entry.format(v=f"1.{i}-1", who=("Ann Lee", "Bo Chen")[i % 2]) for i in range(3, 0, -1))
    text = ("# File: /usr/share/doc/libbar2/changelog.Debian\nbar (2.0-1) unstable; urgency=low\n\n"
            "  * Initial.\n\n -- Cy Dee <c@example.org>  Sun, 01 May 2022 09:00:00 +0000\n\n"
            "# File: /usr/share/doc/libfoo1/changelog.Debian\n" + log)
    look = orientation(text, "How many entries does the changelog of libfoo1 have?")
    assert "The file /usr/share/doc/libfoo1/changelog.Debian has 18 lines in 3 entries" in look.text
    assert "entries(file='/usr/share/doc/libfoo1/changelog.Debian') gives them" in look.text
    assert "1| foo (1.3-1) unstable; urgency=medium\n   ... -- Bo Chen <x@example.org>" in look.text
    assert "Cy Dee" not in look.text  # the other file is not outlined
    assert " -- Bo Chen <x@example.org>  Mon, 02 Jan 2023 10:00:00 +0000" in look.shown  # evidence
    # A dotted module names its file; a log of one line an entry has no entries to list.
    code = "# File: email/utils.py\nimport os\n\ndef a():\n    pass\n\ndef b():\n    pass\n# File: x.log\nl1\nl2\n"
    assert "has 7 lines in 2 entries" in orientation(code, "How many functions does email.utils define?").text
    assert "The file x.log has 2 lines, one entry a line; lines(file='x.log')" in orientation(
        code, "What does x.log say last?").text
    # No file named, or a word that names two files: no outline.
    assert "The file" not in orientation(text, "Who signed the most entries?").text
    assert "The file" not in orientation(text, "What does changelog.Debian say?").text


def test_a_named_files_many_entries_are_listed_by_the_first_and_last_few() -> None:
    entry = "pkg (1.{i}-1) unstable; urgency=low\n\n  * Change {i}.\n\n -- Ann Lee <a@x.org>  Mon, 0{d} Jan 2023\n\n"
    log = "".join(entry.format(i=i, d=i % 9 + 1) for i in range(20, 0, -1))
    text = "# File: doc/libpkg1/changelog\n" + log + "# File: doc/other/changelog\nx\n"
    look = orientation(text, "How many entries does the changelog of libpkg1 have?").text
    assert "in 20 entries" in look and "... 12 more entries" in look
    listed = [n for n in range(1, 21) if f"\n{n}| pkg (" in look]
    assert listed == [1, 2, 3, 4, 5, 18, 19, 20]


def test_a_named_files_entries_say_how_many_items_their_lists_hold() -> None:
    runs = "".join(f"Start-Date: 2024-0{m}-01  10:00:00\nInstall: {', '.join(f'p{i} (1, automatic)' for i in range(m))}\n\n"
                   for m in (3, 5))
    look = orientation("# File: /var/log/apt/history.log\n" + runs + "# File: other.log\nx\n",
                       "Which run of history.log installed the most packages?").text
    assert "1| Start-Date: 2024-03-01  10:00:00\n   ... Install: p0 (1, automatic)" in look
    assert "   (Install: 3 items)" in look and "   (Install: 5 items)" in look


AUTH = "\n".join(
    f"2024-0{m}-{d:02d} 0{h}:12:0{h} host sshd[{900 + d}]: {what} password for {who} from 10.0.0.{d}"
    for m in (3, 4) for d in range(1, 11) for h, (what, who) in enumerate(
        [("Failed", "bob"), ("Accepted", "bob"), ("Accepted", "ann"), ("Failed", "ann"), ("Failed", "carol")])
    if (d + h) % 3 or who != "bob"
)


def test_lines_holding_the_questions_rare_words_together_are_counted_and_shown() -> None:
    # The 1.5B counted the lines of one word ("How many packages were upgraded in May 2026?"
    # -> every line of 2026): the look now shows the lines that hold the rare words together.
    bob_failed = [r for r in AUTH.split("\n") if "Failed password for bob" in r]
    look = orientation(AUTH, "How many failed logins did bob have?")
    # Labelled as the lines write the words ("Failed"), so that code filtering for them finds them.
    assert f"'bob' and 'Failed' on one line: {len(bob_failed)} lines, the first:" in look.text
    assert bob_failed[0] in look.text and bob_failed[0] in look.shown
    # Three rare words: the lines holding all of them, when that narrows them further.
    march = [r for r in bob_failed if r.startswith("2024-03")]
    look = orientation(AUTH, "How often did bob's logins end as failed during March 2024?").text
    assert f"'2024-03' and 'bob' and 'Failed' on one line: {len(march)} lines" in look
    # A word the question says the answer is not is left out; every line holding both: nothing shown.
    assert "on one line" not in orientation(AUTH, "How many logins by bob were not failed?").text
    assert "on one line" not in orientation(AUTH, "How many passwords were tried from host?").text


def test_a_date_written_with_a_months_name_is_looked_up_as_the_text_writes_dates() -> None:
    for question, iso in (("What failed on 4 March 2024?", "2024-03-04"), ("What failed on March 4th, 2024?", "2024-03-04"),
                          ("Who failed in April of 2024?", "2024-04"), ("Who failed in Apr 2024?", "2024-04")):
        look = orientation(AUTH, question)
        assert look.words[0] == iso, question
        assert "'March'" not in look.text and "'2024':" not in look.text
    # A text that writes no such date keeps the question's words; "may" alone is no month.
    assert orientation("sshd: Failed password for bob in May 2024", "Who failed in May 2024?").words[0] == "2024"
    assert "2024-05" not in orientation(AUTH, "What may fail in 2024?").text


def test_words_together_are_counted_within_one_sentence_of_a_long_line() -> None:
    # Review of 7be5c7a: in a text with no line breaks, a word in an earlier sentence of the
    # same line counted as "together" (3 shown, none true), and the scan cost grew with the
    # square of the text's length.
    text = " ".join(["A zebra ran past."] * 2 + ["The bob crew met at dawn."] * 80 + ["A zebra ran past."] * 3)
    assert "on one sentence" not in orientation(text, "How many sentences name both bob and zebra?").text
    text = " ".join(["A zebra ran past bob."] * 2 + ["A zebra ran."] + ["The bob crew met at dawn."] * 80)
    assert "'zebra' and 'bob' on one sentence: 2 sentences:" in orientation(text, "When did bob see a zebra?").text


def test_negations_with_a_contraction_or_a_verb_before_the_word_leave_it_out() -> None:
    for question in ("How many logins by bob weren't failed?", "How many logins by bob did not include failed ones?"):
        assert "on one line" not in orientation(AUTH, question).text, question


def test_dates_with_a_months_name_need_it_capitalised_and_a_real_day() -> None:
    from recursor.question import iso_forms as _iso_forms
    assert [iso for _, iso in _iso_forms("What may 2024 bring, and the mar 2024 patch?")] == []
    assert [iso for _, iso in _iso_forms("Feb 30, 2024 or 0 May 2026")] == ["2024-02", "2026-05"]
    assert [iso for _, iso in _iso_forms("List the top 3 May 2026 releases")] == ["2026-05"]  # a count, no day
    assert [iso for _, iso in _iso_forms("On March 4th, 2024 and 9 May 2026")] == ["2024-03-04", "2026-05-09"]


def test_a_date_range_the_question_names_is_read_from_its_two_ends() -> None:
    from datetime import date

    from recursor.question import date_range
    assert date_range("How many runs started between 2026-05-20 and 2026-09-22?") == (
        "2026-05-20", "2026-09-22", date(2026, 5, 20), date(2026, 9, 22))
    assert date_range("How many entries were signed in the years 2020 to 2025?")[2:] == (  # type: ignore[index]
        date(2020, 1, 1), date(2025, 12, 31))
    assert date_range("Which orders from March 2024 through May 2024 were refunded?")[2:] == (  # type: ignore[index]
        date(2024, 3, 1), date(2024, 5, 31))
    for question in ("How many files have between 1000 and 3000 lines?", "What changed from 2.0 to 3.0?",
                     "Which came first, 2024 or 2023?", "How many runs between 2025 and 2020?",
                     "How many lines from 12 to 2022?", "Did May and June 2024 differ?"):
        assert date_range(question) is None, question
    # The year written once, at the end: the first end takes it (or the year before, across a
    # new year), and is given as a call reads it.
    assert date_range("How many uploads during summer, i.e. from 1 June through 31 August 2022 inclusive?") == (
        "1 June 2022", "31 August 2022", date(2022, 6, 1), date(2022, 8, 31))
    assert date_range("How many uploads between June 1 and August 31, 2022?")[2:] == (  # type: ignore[index]
        date(2022, 6, 1), date(2022, 8, 31))
    assert date_range("How many from 1 December to 31 January 2023?")[2:] == (  # type: ignore[index]
        date(2022, 12, 1), date(2023, 1, 31))


NEWS = """\
Release 3.2 (2024-02-11)
  * Faster startup.
  * New --quiet flag.

Release 3.1 (2023-07-30)
  * Fix a crash on empty input.

Release 3.0 (2023-01-05)
  * Drop Python 3.7.
  * Packages: alpha, beta, gamma, delta

Release 2.9 (2022-11-20)
  * Docs.
"""


def test_a_named_files_entries_in_the_questions_date_range_are_counted() -> None:
    context = {"proj/NEWS": NEWS, "proj/README": "A tool.\nIt reads files.\n" * 20}
    look = orientation(context, "How many releases does the NEWS file list from 2023 to 2024?").text
    assert ("3 of its 4 entries are dated 2023 to 2024 (an entry by its first line, else its last): "
            "in_dates(entries(file='proj/NEWS'), '2023', '2024') gives them.") in look
    look = orientation(context, "How many releases does the NEWS file list between 2022-06-01 and 2023-03-01?").text
    assert "2 of its 4 entries are dated 2022-06-01 to 2023-03-01" in look
    assert "are dated" not in orientation(context, "How many releases does the NEWS file list?").text
    # The call is the first step a small root is shown; none when no entry is dated in the range.
    look_ = orientation(context, "How many releases does the NEWS file list from 2023 to 2024?")
    assert look_.start == "in_dates(entries(file='proj/NEWS'), '2023', '2024')"
    first = SMALL.first_message("How many releases?", "a dict", look_)
    assert "Start from: in_dates(entries(file='proj/NEWS'), '2023', '2024')" in first and "Search first" not in first
    assert orientation(context, "How many releases does the NEWS file list from 2001 to 2002?").start == ""
    # The code the look names gives the entries it counted.
    root = FakeScriptedLM(["```repl\nprint(len(in_dates(entries(file='proj/NEWS'), '2023', '2024')))\n```",
                           "FINAL(3)"])
    RLM(root, prompts=SMALL, limits=Limits(max_iterations=3), mode="rlm",
        trace_dir=False).complete("How many releases does the NEWS file list from 2023 to 2024?", context)
    assert root.calls[1].messages[-1]["content"].startswith("[repl output]\n3")


MODULES = {
    "pkg/shapes.py": "import math\n\n\nclass Frobnicator:\n    def spin(self):\n        return Frobnicator()\n\n\n"
                     "def area(r):\n    \"\"\"Not a Frobnicator's.\"\"\"\n    return math.pi * r * r\n\n\n@cache\ndef side(n):\n    def inner():\n"
                     "        return n\n    return inner()\n\n\ndef scale(x):\n    return 2 * x\n",
    "pkg/util.py": "import os\n\n\ndef home():\n    return os.environ['HOME']\n",
    "pkg/README": "Shapes and utilities.\nSee shapes.py.\n",
}


def test_the_file_that_alone_holds_the_rarest_word_is_outlined_with_how_its_lines_start() -> None:
    look = orientation(MODULES, "Find the module defining `Frobnicator`. How many top-level functions does it have?").text
    assert "'Frobnicator' is written only in pkg/shapes.py, a file of 3:" in look
    assert "entries(file='pkg/shapes.py') gives them" in look
    assert "Its unindented lines start with: def 3, import 1, class 1, @cache 1" in look
    # Said as a question about code says it: the 1.5B was shown "def 11" and answered the
    # number of lines. A method, a nested function and a decorator are not counted.
    assert "As Python, pkg/shapes.py has 3 module-level functions (unindented def;" in look
    assert "module-level class" not in look  # only what is asked: shown both, it answered the classes
    # Not for a question about neither ("where is X defined?" is no question about functions).
    assert "As Python" not in orientation(MODULES, "Where is `Frobnicator` defined? Name the module.").text
    # Nor for one function's detail: the count was said for "the default of the `maxsplit`
    # parameter of function `split`".
    joined = "".join(f"# File: {name}\n{text}" for name, text in MODULES.items())
    assert "As Python" not in orientation(joined, "What is the default value of the `n` parameter of function "
                                                  "`side` in `pkg/shapes.py`?").text
    asks = "how many classes and functions?"
    notes = "".join(f"{w} item {i}\n" for i, w in enumerate(["def", "from", "class"] * 4))
    assert _module_level(notes, 0, len(notes), asks) == ([], "")  # no import statement: not Python
    source = ('from os import path\nasync def a():\n    """\ndef in_a_docstring():\n"""\n'
              'class B:\n    def c(self): pass\n')
    assert _module_level(source, 0, len(source), asks, "a.py") == ([
        "As Python, a.py has 1 module-level function (unindented def; methods and nested functions are "
        "indented) and 1 module-level class (unindented class)."], "")  # both asked: no one count answers
    # An aside that says what top level means names classes, but asks no count of them.
    shapes = MODULES["pkg/shapes.py"]
    asked = "How many functions does it define at the top level (not methods inside classes, not nested functions)?"
    assert _module_level(shapes, 0, len(shapes), asked, "pkg/shapes.py")[1] == "3"
    asked = "How many functions does it define, not counting methods, and how many classes?"
    assert _module_level(shapes, 0, len(shapes), asked, "pkg/shapes.py")[1] == ""  # classes asked too
    # Source that does not parse: a .py file cut short is counted by its lines; another
    # language with `import` and `def` (Groovy) is not read as Python.
    cut = "import os\ndef a():\n    return (\n"
    assert "1 module-level function" in _module_level(cut, 0, len(cut), asks, "pkg/a.py")[0][0]
    groovy = "import groovy.json.JsonSlurper\ndef config = new JsonSlurper()\ndef run() { println 'x' }\n"
    assert _module_level(groovy, 0, len(groovy), asks, "build.gradle") == ([], "")
    # A word in several files names none of them; a word on one line shows its record instead.
    assert "is written only in" not in orientation(MODULES, "Where is `import` used?").text
    assert "is written only in" not in orientation(MODULES, "What does the function `home` return?").text


CHANGES = "\n\n".join(
    f"tool ({v}) unstable; urgency=medium\n\n  * Change {v}.\n\n -- {who}  Mon, 0{v} Jan 2024 10:00:00 +0000"
    for v, who in [(5, "Ann Lee <ann@example.org>"), (4, "Bo Sand <bo@example.org>"),
                   (3, "Ann Lee <ann@example.org>"), (2, "Ann Lee <ann@example.org>"), (1, "Marco d'Itri <md@example.org>")]
) + "\n"


def test_a_named_files_entries_are_counted_by_the_person_who_signed_them() -> None:
    context = {"doc/tool/changelog": CHANGES, "doc/README": "A tool.\nIt reads files.\n" * 20}
    look = orientation(context, "Who signed the most entries of the tool changelog?").text
    assert ("Its entries are by (Name <mail>): Ann Lee 3, Bo Sand 1, Marco d'Itri 1; "
            "count_by(entries(file='doc/tool/changelog'), 'author') counts them.") in look
    # The call it names gives those counts.
    root = FakeScriptedLM(["```repl\ncount_by(entries(file='doc/tool/changelog'), 'author')\n```", "FINAL(Ann Lee)"])
    RLM(root, prompts=SMALL, limits=Limits(max_iterations=3), mode="rlm",
        trace_dir=False).complete("Who signed the most entries of the tool changelog?", context)
    assert "Ann Lee: 3\nBo Sand: 1" in root.calls[1].messages[-1]["content"]
    # Entries without people say nothing of them.
    assert "are by" not in orientation({"proj/NEWS": NEWS, "x": "y\n" * 5}, "What does the NEWS file list?").text


def test_who_leads_a_texts_entries_is_offered_when_asked_of_its_owner_or_with_a_word_on_the_form() -> None:
    # "tool's changelog" is the text itself, and "Give the person's name." says only what to
    # write: neither is a condition on what is counted.
    for question in ("Who wrote the largest number of entries in tool's changelog? Give the person's name.",
                     "Who signed the most entries? Name only, please.",
                     "Who signed the most entries in tool's changelog?"):
        assert orientation(CHANGES, question).counted == "Ann Lee", question
    # A possessive that is no text's name, or a last sentence that sets a condition, still asks more.
    assert orientation(CHANGES, "Who wrote the most entries in Ann's absence?").counted == ""
    assert orientation(CHANGES, "Who signed the most entries? Only the ones from 2024.").counted == ""


def test_a_ranking_question_is_shown_how_many_lines_each_file_starts_with_its_word() -> None:
    question = "Which of these modules defines the most classes at the top level?"
    more = "".join(f"class {name}:\n    pass\n\n\n" for name in "ABCD")
    look = orientation({**MODULES, "pkg/more.py": more}, question).text
    assert ("Unindented lines starting with 'class', per file: pkg/more.py 4, pkg/shapes.py 1; "
            "count_by(lines(r'^class\\b'), 'file') counts them.") in look
    # Not for a question that ranks nothing, nor a word only one file starts lines with.
    assert "per file" not in orientation(MODULES, "What classes does shapes.py define?").text
    assert "per file" not in orientation(MODULES, question).text


HISTORY = "\n\n".join(
    f"Start-Date: 2024-05-0{d}  10:00:00\nCommandline: apt-get install {pkgs.split(',')[0]}\n"
    f"Install: {pkgs}\nEnd-Date: 2024-05-0{d}  10:01:00"
    for d, pkgs in [(1, "a (1), b (2), c (3)"), (2, "d (1), e (2), f (3), g (4), h (5)"), (3, "i (1), j (2), k (3), l (4)")]
) + "\n"


def test_a_ranking_question_about_a_named_files_entries_is_shown_the_entries_that_list_the_most() -> None:
    context = {"var/log/apt/history.log": HISTORY, "doc/README": "A tool.\nIt reads files.\n" * 20}
    look = orientation(context, "When did the apt run in history.log that installed the most packages start?").text
    assert ("The most Install items: 5 in entry 2 (Start-Date: 2024-05-02  10:00:00), "
            "then 4 in entry 3 (Start-Date: 2024-05-03  10:00:00).") in look
    assert "The most" not in orientation(context, "When did the apt run in history.log that installed jq start?").text
    # A tie at the top ranks nothing.
    tied = HISTORY.replace("d (1), e (2), f (3), g (4), h (5)", "d (1), e (2), f (3), g (4)")
    look = orientation({**context, "var/log/apt/history.log": tied},
                       "When did the apt run in history.log that installed the most packages start?").text
    assert "The most Install items" not in look


def test_a_date_range_count_of_what_a_named_list_holds_starts_from_its_total() -> None:
    # "How many packages were installed by the runs between A and B": the entries' Install
    # lists added up, the call that computes it suggested first (the 1.5B answered a number
    # from beside the look's total).
    context = {"var/log/apt/history.log": HISTORY, "doc/README": "A tool.\nIt reads files.\n" * 20}
    question = "How many packages were installed by the runs in history.log started from 2024-05-02 to 2024-05-03?"
    look = orientation(context, question)
    call = "in_dates(entries(file='var/log/apt/history.log'), '2024-05-02', '2024-05-03')"
    assert look.start == f"sum_by({call}, 'Install')"
    assert f"sum_by({call}, 'Install') adds up their Install items." in look.text
    root = FakeScriptedLM([f"```repl\nsum_by({call}, 'Install')\n```", "FINAL(9)"])
    RLM(root, prompts=SMALL, limits=Limits(max_iterations=3), mode="rlm",
        trace_dir=False).complete(question, context)
    assert "Install added up over 2 of 2 items: 9" in root.calls[1].messages[-1]["content"]
    # A question that names no list counts the entries; one that asks for the items gets them.
    assert orientation(context, "How many runs does history.log record from 2024-05-02 to 2024-05-03?").start == call
    assert orientation(context, "Which packages were installed by the runs in history.log from 2024-05-02 to "
                                "2024-05-03?").start == call
    # Single packages with versions are no list to add up: their total would add the versions.
    single = HISTORY.replace("d (1), e (2), f (3), g (4), h (5)", "d (1.2)").replace("i (1), j (2), k (3), l (4)", "i (7.5)")
    assert orientation({**context, "var/log/apt/history.log": single}, question).start == call
    # A question that names no file: the file holding the period's rarest end is the one
    # asked about, even when that end is on two lines (shown with its record besides).
    unnamed = "Add up the new installs of every run started from 2024-05-02 to 2024-05-03. How many packages is that?"
    assert orientation(context, unnamed).start == f"sum_by({call}, 'Install')"
    # Without a period, a word on two lines shows its record and no file's outline.
    assert orientation(context, "How many packages did the run at 2024-05-03 install?").start == ""


def test_a_word_found_in_several_forms_is_counted_by_form_with_a_line_of_each() -> None:
    # "How many packages were newly installed": 'installed' found dpkg's `status installed`
    # lines and its `install` actions alike (725 lines); the 1.5B counted the 514 status lines.
    log = "".join(f"2025-06-24 10:00:{i:02} status installed p{i}:amd64 1.0\n" for i in range(20))
    log += "".join(f"2025-06-24 10:01:0{i} install q{i}:amd64 <none> 2.0\n" for i in range(2))
    log += "".join(f"2025-06-24 10:02:{i:02} status installed r{i}:amd64 1.0\n" for i in range(20))
    text = orientation(log, "How many packages were newly installed on 2025-06-24?").text
    assert "'installed': 42 lines (written 'installed' 40, 'install' 2), the first and last:" in text
    assert "The first written 'install':\n5| 2025-06-24 10:01:00 install q0:amd64 <none> 2.0" in text
    # What a hyphen joins to the front is another form: "half-installed" is not "installed".
    half = log.replace("status installed p", "status half-installed p")
    shown = orientation(half, "How many packages were newly installed on 2025-06-24?").text
    assert "(written 'half-installed' 20, 'installed' 20, 'install' 2)" in shown
    # One form only: no breakdown.
    assert "written" not in orientation(log, "Which status lines name p3?").text


def _packages(n: int) -> str:
    """A package database in the `Name: value` shape (dpkg's status file), written here."""
    rows = []
    for i in range(n):
        rows.append(f"Package: pkg{i}\nPriority: {('required', 'optional', 'optional')[i % 3]}\n"
                    f"Installed-Size: {100 + 37 * i}\nMaintainer: Team {i % 4} <t{i % 4}@example.org>\n"
                    f"Description: package number {i}\n some indented description line\n")
    return "\n".join(rows)


def test_a_text_of_name_value_fields_has_its_fields_named_with_numbers_and_few_values() -> None:
    """"Who maintains the package that takes the most disk space" is about `Installed-Size`,
    which neither the first lines nor the question's words show: the look names the fields."""
    look = orientation(_packages(30), "Which package takes up the most disk space?").text
    assert ("Its lines are Name: value fields: Package 30, Priority 30 (optional 20, required 10), "
            "Installed-Size 30 (numbers 100 to 1,173), Maintainer 30 (Team 0 <t0@example.org> 8,") in look
    assert look.endswith("The largest Installed-Size, 1,173, is in the record of Package: pkg29.\n"
                         "Not in the text: 'takes', 'disk', 'space'.")
    assert "Description 30." in look
    assert "gives the lines whose field" not in look  # a call for every question gets copied as is
    asked = orientation(_packages(30), "How many packages have priority required?").text
    assert "lines(Priority='required') gives the lines whose field Priority is 'required'." in asked
    # "Which team maintains the most packages": a field the question names, whose values
    # repeat, counted per value; not for the most of a quantity ("disk space"), nor for a
    # field whose every value is one record's (Package).
    most = orientation(_packages(30), "Which team maintains the most packages?")
    assert most.start == "count_by(lines(r'^Maintainer:'), 'Maintainer')"
    assert "counts the lines per Maintainer, the most first." in most.text
    assert orientation(_packages(30), "Who maintains the package that takes the most disk space?").start == ""
    assert orientation(_packages(30), "Which package has the most packages?").start == ""
    assert orientation(_packages(30), "Does Team 1 or Team 2 maintain more packages?").start == (
        "count_by(lines(r'^Maintainer:'), 'Maintainer')")  # which of two has more: the same counts
    assert orientation(_packages(30), "How many packages maintained by Team 1 use more than 1 MB?").start == ""
    assert orientation(_packages(30), "How many packages have priority required?").start == (
        "lines(Priority='required')")
    # Prose, code and logs have no such line; nor does a text with a few fields among prose.
    for text in ("def f(x):\n    return x\n" * 40, "2025-06-24 14:42:12 status installed libc6 2.36\n" * 40,
                 "Note: read this.\n" + "Plain prose goes on here, line after line.\n" * 60):
        assert "Name: value fields" not in orientation(text, "What is it?").text
    # A field whose name is no Python name is shown as a keyword that is one.
    headers = "\n".join(f"Start-Date: 2025-01-{d:02d}\nState: {('open', 'closed')[d % 2]}\n" for d in range(1, 20))
    assert "lines(State='closed') gives" in orientation(headers, "How many are in state closed?").text
    assert "gives" not in orientation(headers, "How many are closed?").text  # the field unnamed: a word
    dashed = headers.replace("State:", "Run-State:")
    assert "lines(Run_State='closed') gives the lines whose field Run-State is" in orientation(
        dashed, "How many have the state closed?").text
    # No call for a name that cannot be a keyword argument of lines() (Python's, or its own).
    for name in ("class", "text"):
        renamed = headers.replace("State:", f"{name}:")
        assert "gives" not in orientation(renamed, f"How many have {name.lower()} closed?").text
    # A numeric field is a quantity: "the largest size" is no count per value.
    sized = "\n".join(f"Name: n{i}\nSize: {(i % 9) * 10}\nKind: {('a', 'b')[i % 2]}\n" for i in range(30))
    assert orientation(sized, "Which name has the largest size?").start == ""


def test_a_word_the_question_writes_as_a_name_is_looked_up_first() -> None:
    """"a package ending in .udeb": the extension is what to search; it ranked after
    "installer" and "ending" (each on one line too) and was not shown."""
    from recursor.question import marked_words
    assert marked_words("ending in .udeb. What type?") == frozenset({"udeb"})
    assert marked_words('What does "dry run" do, and `x.y`?') == frozenset({"dry", "run", "x.y"})
    assert marked_words("It's the user's file, version 2.5.") == frozenset()
    assert marked_words("What does \u2018dry-run\u2019 do? And 'don't panic'?") >= {"dry-run", "panic"}
    text = ("# types\napplication/vnd.apple.installer+xml  pkg mpkg\ntext/plain  txt\n"
            "text/x-ending  end\napplication/vnd.debian.binary-package  deb udeb\n") + "image/png  png\n" * 20
    look = orientation(text, "I have an installer ending in .udeb. Which type is it?").text
    assert look.index("'udeb': 1 line") < look.index("'installer'")
    assert "deb udeb" in look


def test_choice_options_are_the_two_words_a_question_offers() -> None:
    from recursor.question import choice_options
    assert choice_options("Are there more audio types or more video types in this file?") == ("audio", "video")
    assert choice_options("Which release lists more bug fixes, 9.0 or 9.1?") == ("9.0", "9.1")
    assert choice_options("Which package is larger: bash or zsh?") == ("bash", "zsh")
    assert choice_options("Is the newer license MIT or GPL? Answer with the name.") == ("MIT", "GPL")
    assert choice_options("Which came first, version 2.1 or version 3.0?") == ("2.1", "3.0")
    # No choice: how many, when, a name or id, options of several words, two "or"s.
    for question in ("How many lines mention error or warning?", "When was 2.1 or 3.0 released?",
                     "What is the name or id of the package?",
                     "Which happened first: the upgrade of bash or the removal of vim?",
                     "Is it red or green or blue?", "Find the error or the warning.",
                     # ... nor a question that compares nothing, or asks for things in the plural.
                     "Which packages were removed or purged?", "Did anything fail or time out?",
                     "Can you tell me the version of nginx or apache?", "Which services restarted, crashed or failed?",
                     "Which packages were upgraded more than once or removed?", "Is the port 80 or 443?",
                     "Which user has the most failed logins or lockouts?",
                     "What was the last command run by root or admin?", "Did more than 5 requests fail or time out?",
                     # a comma that ends a clause before the question, not one before the options
                     "Judging by the version each was introduced in, which process method or property is the oldest?",
                     "In 2024, which host or router logged the most errors?",
                     # three options: neither two is the choice
                     "Which month had the longest outage, May, June or July?",
                     "Which is biggest: bash, zsh or fish?"):
        assert choice_options(question) is None, question
    # Set off by a comma, a colon or "which of", a plural or an -est comparison still offers two.
    assert choice_options("Which logs have more errors, nginx or apache?") == ("nginx", "apache")
    assert choice_options("Which status is more common, ok or fail?") == ("ok", "fail")
    assert choice_options("Which release is the largest, 9.0 or 9.1?") == ("9.0", "9.1")
    assert choice_options("Which of nginx or apache logged more errors?") == ("nginx", "apache")
    # A comma sets them off with shared words before the first, or after a leading clause.
    assert choice_options("Which was released first, version 9.0 or 9.1?") == ("9.0", "9.1")
    assert choice_options("Which logged more errors, host alpha or beta?") == ("alpha", "beta")
    assert choice_options("Since the upgrade, are there more errors or warnings?") == ("errors", "warnings")


def test_a_count_question_is_told_which_slots_its_rarest_word_is_written_in() -> None:
    """How many Microsoft models a file lists is how many `<vendor>` lines write Microsoft; the
    1.5B counted every line holding the word, or the next word's lines."""
    models = "".join(f"  <model>\n    <name>ms{i}</name>\n    <description>Microsoft Natural {i}</description>\n"
                     f"    <vendor>Microsoft</vendor>\n  </model>\n" for i in range(3))
    models += "  <model>\n    <name>x</name>\n    <description>Works like Microsoft's</description>\n" \
              "    <vendor>Logitech</vendor>\n  </model>\n"
    xml = "<models>\n" + models + "</models>\n"
    look = orientation(xml, "How many Microsoft keyboard models are listed?").text
    assert "'Microsoft' is written in: <description> 4 lines, <vendor> 3." in look
    fields = "".join(f"Package: p{i}\nMaintainer: {'Fonts Team' if i % 3 else 'X Strike Force'}\nDepends: libx{i}\n\n"
                     for i in range(9))
    look = orientation(fields, "How many packages does the Strike Force maintain?").text
    assert "'Strike' is written in: Maintainer 3 lines." in look
    attrs = "".join(f'<item name="n{i}" type="{"Governorate" if i < 5 else "Province"}"/>\n' for i in range(8))
    assert "'Governorate' is written in: @type 5 lines." in orientation(attrs, "How many Governorate entries are there?").text
    # Not for a question that asks no count, nor for a date (a period's bound), nor for plain text.
    assert "written in:" not in orientation(xml, "Which vendor makes the Microsoft Natural 2?").text
    log = "".join(f"Start-Date: 2026-05-0{i}\nCommandline: apt install x\nEnd-Date: 2026-05-0{i}\n\n" for i in range(1, 4))
    assert "written in:" not in orientation(log, "How many runs started on 2026-05-02?").text
    prose = "The apt tool installs packages. Run apt twice.\nThen apt again.\n" * 3
    assert "written in:" not in orientation(prose, "How many times is apt named?").text
    capped = "Note: a widget\n" * 10_500
    assert "'widget' is written in (of its first 10,000 lines): Note 10,000 lines." in orientation(
        capped, "How many widget notes are there?").text


def test_a_words_slots_are_its_nearest_on_each_line_every_match_counted() -> None:
    """The second review's cases: a JSON line writes Microsoft in "name" and "vendor"; a
    log's `msg: vendor=...` is in vendor, not msg; `ERROR:` is a log level, not a field."""
    ask = "How many Microsoft models are there?"
    json_lines = "".join(f'{{"name": "Microsoft Mouse {i}", "vendor": "Microsoft"}}\n' for i in range(5))
    json_lines += '{"name": "Logi", "vendor": "Microsoft"}\n'
    assert """'Microsoft' is written in: "vendor" 6 lines, "name" 5.""" in orientation(json_lines, ask).text
    assert "'Microsoft' is written in: vendor 2 lines." in orientation(
        "msg: vendor=Microsoft id=1\nmsg: vendor=Microsoft id=2\n", ask).text
    assert "written in:" not in orientation("ERROR: user Microsoft failed\nERROR: user Microsoft again\n", ask).text
    assert "written in:" not in orientation("What is the phone number of Microsoft?\n" * 3,
                                            "What is the phone number of Microsoft?").text


def _licensed(body: list[str]) -> str:
    licence = ["This file is free software; you can redistribute it and/or modify",
               "it under the terms of the GNU Lesser General Public License as published by",
               "the Free Software Foundation; either version 2.1 of the License, or",
               "(at your option) any later version.", ""]
    return "\n".join(licence + body)


def test_records_below_a_preamble_are_shown_as_they_are_written() -> None:
    """A licence or a DTD first says nothing of how the records are written; code that counts
    them needs that, so a few record lines from further in are shown, and count as read."""
    names = ["space", "exclam", "quotedbl", "numbersign", "dollar", "percent", "ampersand"]
    table = [f"U+{0x20 + i:04x} {names[i % 7]}{i}        {'original' if i < 40 else '2.' + str(i % 9)}"
             for i in range(120)]
    look = orientation(_licensed(table), "Which release added the most characters?")
    rows = look.text.splitlines()
    at = rows.index("Nearly all its lines are records written like these:")
    assert rows[at + 1].startswith("1| U+") and rows[at + 3].startswith("3| U+")
    assert look.shows(rows[at + 2][3:])  # what the look showed is read, not guessed
    # XML: the element lines carrying values, not the tags alone.
    xml = [*(["<country code=\"GB\">", "<subset type=\"County\">"]),
           *[x for i in range(30) for x in ("\t<entry", f"\t\tcode=\"GB-{i:03d}\"\tname=\"Shire {i}\" />")],
           "</subset>", "</country>"]
    rows = orientation(_licensed(xml), "How many subdivisions are there?").text.splitlines()
    at = next(i for i, r in enumerate(rows) if "records written like these" in r)
    # the record's opening line above its values
    assert "<entry" in rows[at + 1] and "code=\"GB-" in rows[at + 2] and "<entry" in rows[at + 3]


def test_no_record_lines_are_shown_for_prose_lists_or_a_text_that_starts_with_them() -> None:
    prose = ["The quick brown fox jumps over the lazy dog, again and again.", "It was fine."] * 40
    bullets = ["  * gpg: Do not consider unknown keys as non-compliant.", "    keys are fine."] * 40
    tags = ["<item>", "</item>", "<list>", "</list>"] * 20
    for body in (prose, bullets, tags):
        assert "records written like" not in orientation(_licensed(body), "How many are there?").text
    log = [f"2025-06-24 14:36:{i % 60:02d} status installed pkg{i}:amd64 1.{i}" for i in range(100)]
    assert "records written like" not in orientation("\n".join(log), "How many are there?").text


def test_record_lines_of_logs_tables_and_lists_after_a_banner_are_shown_cut_to_width() -> None:
    banner = ["Welcome to gw01.", "Unauthorised access is prohibited.", "All activity is logged.", ""]
    syslog = [f"Mar  3 06:{i % 60:02d}:11 gw01 sshd[{800 + i}]: Failed password for root" for i in range(40)]
    services = [f"{name}\t{port}/tcp\t\t# {name} service" for name, port in
                [(f"svc{i}" if i % 2 else f"kerberos-adm{i}", 700 + i) for i in range(40)]]
    people = [f"Person{i}, {20 + i}, City{i % 5}" for i in range(40)]
    for rows, written in ((syslog, "sshd["), (services, "/tcp"), (people, ", City")):
        look = orientation("\n".join(banner + rows), "How many are there?").text.splitlines()
        at = next(i for i, r in enumerate(look) if "records written like these" in r)
        assert look[at].startswith("About 90% of its lines"), look[at]  # 40 of 43
        assert all(written in r for r in look[at + 1:at + 4])
    # A record line longer than the width is cut, as every line of the look is.
    long = [f'{{"id": {i}, "payload": "{"x" * 5000}"}}' for i in range(40)]
    look = orientation(_licensed(long), "How many ids are there?", width=120).text
    assert max(map(len, look.splitlines())) < 140 and len(look) < 2_000


def test_a_numeric_field_names_the_record_of_its_extreme_for_a_question_asking_the_most_or_least() -> None:
    """"Which installed package uses the most disk space?" is the record holding the largest
    `Installed-Size`: the look names it by its first line, the smallest for "least", ties
    counted, and nothing of the kind for a question that ranks nothing."""
    most = orientation(_packages(30), "Which installed package uses the most disk space?")
    assert "The largest Installed-Size, 1,173, is in the record of Package: pkg29." in most.text
    assert most.shows("pkg29")  # an answer read there was seen
    least = orientation(_packages(30), "Which package needs the least room?").text
    assert "The smallest Installed-Size, 100, is in the record of Package: pkg0." in least
    plain = orientation(_packages(30), "What does pkg3 depend on?").text
    assert "Installed-Size 30 (numbers 100 to 1,173)," in plain and "largest" not in plain
    tied = _packages(30).replace("Installed-Size: 1173", "Installed-Size: 1136").replace(
        "Installed-Size: 1099", "Installed-Size: 1136")
    assert ("The largest Installed-Size, 1,136, is in the records of Package: pkg27 and Package: pkg28 and 1 more."
            in orientation(tied, "Which package is the biggest?").text)


def test_the_fields_a_question_names_are_shown_first_and_a_single_value_is_shown() -> None:
    """A package database writes 30 fields; the one a question names ("flags as essential")
    must not be the one cut, and its single value (yes) is shown."""
    extra = "".join(f"X-Field{k}: v{i}\n" for k in range(14) for i in range(1))
    rows = []
    for i in range(40):
        essential = "Essential: yes\n" if i % 8 == 0 else ""
        rows.append(f"Package: pkg{i}\nStatus: install ok installed\n{extra}{essential}Version: 1.{i}\n")
    text = "\n".join(rows)
    asked = orientation(text, "How many packages are flagged as essential?").text
    fields = next(line for line in asked.split("\n") if line.startswith("Its lines are Name: value fields"))
    assert fields.startswith("Its lines are Name: value fields: Package 40, Essential 5 (all yes), ")  # both named
    assert "Status 40 (all install ok installed)" in fields
    unasked = orientation(text, "Which version does pkg3 have?").text
    assert "Essential" not in unasked  # 16 fields: the unnamed and rarest are cut


def test_a_count_of_records_that_write_a_named_field_is_started_from_its_lines() -> None:
    # "How many of the templates come with a preset default answer?": 32 of 76 debconf templates
    # write `Default:`; the 1.5B counted the lines holding "default" (44).
    rows = [f"Name: pkg{i}/question\n" + (f"Default: {('true', 'false', 'keep')[i % 3]}{i}\n" if i % 4 == 0 else "")
            + f"Type: select\nDescription: the default question {i}\n" for i in range(40)]
    text = "\n".join(rows)
    look = orientation(text, "How many of the templates here come with a preset default answer?")
    assert look.start == "len(lines(r'^Default:'))"
    assert "counts the 10 lines of field Default, which only some records write." in look.text
    # A value inside the field ("depend on libssl3") or a negation ("no Default") asks another count.
    assert orientation(text, "How many templates have no default?").start != "len(lines(r'^Default:'))"
    assert orientation(text, "How many templates default to keep8?").start != "len(lines(r'^Default:'))"
    # A value of the field named, or a field every record writes: no count of presence.
    assert orientation(text, "How many templates have the default true0?").start != "len(lines(r'^Default:'))"
    assert "which only some records write" not in orientation(text, "How many templates have a type?").text


def test_the_largest_number_of_records_per_a_named_field_is_counted() -> None:
    """"Which source package do the largest number of binary packages come from?" counts
    records per `Source`, a field that repeats though over half its values are distinct."""
    rows = [f"Package: bin{i}\nSource: {'big' if i < 6 else f'src{i}'}\nVersion: 1.{i}\n" for i in range(14)]
    look = orientation("\n".join(rows), "Which source package do the largest number of binary packages come from?")
    assert look.start == "count_by(lines(r'^Source:'), 'Source')"
    few = [f"Package: bin{i}\nSource: {'big' if i < 3 else f'src{i}'}\nVersion: 1.{i}\n" for i in range(14)]
    assert orientation("\n".join(few), "Which source has the most packages?").start == ""  # 3: no value repeats


def test_no_record_lines_for_several_files_or_a_text_of_fields() -> None:
    rows = [f"10.0.0.{i % 9} - - [03/Mar/2024:06:25:{i % 60:02d}] \"GET /x HTTP/1.1\" 200" for i in range(60)]
    joined = "\n".join(["# File: README", "An app.", "", "# File: logs/access.log", *rows,
                        "# File: src/app.py", "def handle(event):", "    return event"])
    assert "records written like" not in orientation(joined, "Which function handles events?").text
    fields = [x for i in range(30) for x in (f"Package: pkg{i}", f"Version: 1.{i}-2", "")]
    assert "records written like" not in orientation(_licensed(fields), "Which version has pkg3?").text
    # Lines of spaces are skipped, not searched character by character.
    spaced = _licensed([" " * 5_000] * 50 + [f"U+{i:04x} glyph{i}  2.{i % 9}" for i in range(60)])
    assert "About 90% of its lines are records" in orientation(spaced, "How many glyphs?").text


def test_a_word_found_in_one_other_form_is_labelled_with_that_form() -> None:
    # Asked what was "upgraded", the 1.5B shown "'upgraded': 9 lines" of a log writing
    # "upgrade" filtered its lines for "upgraded" and answered 0.
    log = "\n".join(f"2026-05-2{d} 16:27:1{d} {what} lib{d}:amd64 1.{d} 1.{d + 1}"
                    for d in range(8) for what in ("upgrade", "status installed"))
    look = orientation(log, "How many packages were upgraded on 2026-05-23?").text
    assert "'upgraded': 8 lines (written 'upgrade')" in look
    assert "'2026-05-23' and 'upgrade' on one line: 1 line" in look
    assert "'installed': 8 lines, " in orientation(log, "When was lib3 installed?").text  # as asked: no note


def test_the_last_entry_of_a_text_in_time_order_is_shown_for_a_question_about_the_last() -> None:
    # Asked when the last apt command ran, the 1.5B answered the first run's date: the look
    # showed the text's first lines only.
    runs = "\n\n".join(f"Start-Date: 2026-0{m}-1{m}  10:0{m}:00\nCommandline: apt-get install pkg{m}\n"
                       f"Install: pkg{m}:amd64 (1.{m})\nEnd-Date: 2026-0{m}-1{m}  10:0{m}:09" for m in range(1, 10))
    asked = "When was the last apt command run?"
    look = orientation(runs, asked)
    assert "It ends with this entry:\n1| Start-Date: 2026-09-19  10:09:00\n2| Commandline: apt-get install pkg9" in look.text
    assert look.hits[0].startswith("It ends with this entry:") and "Start-Date: 2026-09-19  10:09:00" in look.shown
    assert "It ends" not in orientation(runs, "When was pkg3 installed?").text  # not about the last
    # A changelog is newest first: its latest entry is where it begins, so its end is not shown.
    changelog = "\n".join(f"pkg (1.{9 - n}) unstable; urgency=medium\n\n  * Release.\n\n -- Ann Lee <a@x.org>  "
                          f"Mon, 0{9 - n} Jan 2024 10:00:00 +0000\n" for n in range(9))
    assert "It ends" not in orientation(changelog, "What is the latest version?").text
    oldest = orientation(changelog, "Who signed the oldest entry?").text  # but its oldest is where it ends
    assert "It ends with this entry:\n1| pkg (1.1) unstable; urgency=medium" in oldest
    assert "It ends" not in orientation(runs, "When was the oldest apt run?").text  # a log's oldest is shown first
    # A long last entry is shown by its last lines, each cut to the look's width.
    long_tail = runs + "\n\n" + "\n".join(f"2026-10-01 10:00:0{i} step {i} " + "x" * 300 for i in range(12))
    ends = orientation(long_tail, "What was the final step?").text
    assert "It ends with these lines:\n1| 2026-10-01 10:00:09 step 9 x" in ends and "3| 2026-10-01 10:00:011 step 11" in ends
    assert max(len(row) for row in ends.split("\n")) < 200


def test_a_common_english_word_ranks_below_a_rarer_name_even_when_written_less() -> None:
    # A constant of the same name once replaced the set of common words: 'log' (one line)
    # then ranked above 'xxd' (seven lines), and every look searched the wrong word first.
    log = "# File: /var/log/dpkg.log\n" + "\n".join(
        f"2026-05-09 07:29:2{i} status installed xxd:amd64 2:9.0.{i}" for i in range(7))
    look = orientation(log, "Which xxd version does the log show last?")
    assert look.words[0] == "xxd" and look.text.index("'xxd'") < look.text.index("'log'")


def test_no_last_entry_is_shown_for_a_text_in_no_time_order() -> None:
    # A listing sorted by name, and a report headed by the day it was made: their ends are not
    # their newest or oldest (a second review).
    listing = "\n".join(f"-rw-r--r-- 1 root root 100 {y}-01-0{i} 10:00 {n}.conf" for i, (y, n) in enumerate(
        [("2023", "alpha"), ("2025", "beta"), ("2021", "gamma"), ("2022", "delta"), ("2023", "omega"),
         ("2024", "zeta")], 1))
    assert "It ends" not in orientation(listing, "Which conf file was modified most recently?").text
    report = "Report generated 2025-06-30\n" + "\n".join(f"2025-06-{d:02d} failed login user{d}" for d in range(1, 29))
    assert "It ends" not in orientation(report, "When was the earliest failed login?").text
    crlf = "\r\n".join(f"2025-06-{d:02d} 10:00 installed pkg{d}" for d in range(1, 12))
    assert "It ends with these lines:\n1| 2025-06-09 10:00 installed pkg9\n" in orientation(
        crlf, "Which pkg was installed last?").text  # one line an entry: "these lines", without "\r"


def test_words_that_only_name_the_file_are_not_searched_but_still_name_it() -> None:
    # "in the dpkg log": its lines were the header and the package dpkg-dev, searched first as
    # the rarest; the 1.5B answered "dpkg-dev:all" for the package with the most status changes.
    log = "# File: /var/log/dpkg.log\n" + LOG + "\n2024-05-05 10:00:00 install dpkg-dev:all <none> 1.21"
    look = orientation(log, "Which package had the most status changes in the dpkg log?")
    assert "'dpkg'" not in look.text and "'log'" not in look.text and "'status'" in look.text
    assert look.words == ("status",)
    # A word the question also asks about is searched: "dpkg" twice, once as the package.
    look = orientation(log, "Which version of dpkg-dev does the dpkg log show?")
    assert "'dpkg-dev'" in look.text
    # Among files, the file's own name goes ("the history log"); a folder's name stays: the
    # package whose changelog it is ("libfoo's changelog") is what the question is about.
    files = ("# File: /var/log/apt/history.log\nStart-Date: 2024-05-01  10:00:00\nInstall: a (1), b (2)\n"
             "End-Date: 2024-05-01  10:00:09\n# File: /usr/share/doc/libfoo/changelog.Debian\n"
             "libfoo (1.2-1) unstable; urgency=medium\n  * New upstream.\n -- Ann Lee <ann@x.org>  Mon, 1 Jan 2024\n")
    look = orientation(files, "Of all the apt runs in the history log, which one installed the most?")
    assert "'history'" not in look.text and "'log'" not in look.text
    look = orientation(files, "Who signed the most of libfoo's changelog entries?")
    assert "'libfoo'" in look.text and "'changelog'" not in look.text
    # Words that only share a path with a file are asked about: "user history" of user_history.py.
    code = ("# File: app/user_history.py\nclass UserHistory:\n    rows = 'user history'\n"
            "# File: app/models.py\nclass Model:\n    pass\n")
    look = orientation(code, "Which class stores user history?")
    assert "'history'" in look.text


APT_HISTORY = (
    "Start-Date: 2024-05-01  10:00:00\nCommandline: apt-get install gcc\n"
    "Install: gcc:amd64 (12.2, automatic), cpp:amd64 (12.2), libc6-dev:amd64 (2.36, automatic), "
    "libpq5:amd64 (15.16, automatic)\n"
    "End-Date: 2024-05-01  10:00:09\n\n"
    "Start-Date: 2024-06-02  11:00:00\nCommandline: apt-get install -y postgresql\n"
    "Install: ssl-cert:amd64 (1.1.2, automatic), postgresql:amd64 (15.18), ucf:amd64 (3.0, automatic), "
    "libpq-dev:amd64 (15.18)\n"
    "Upgrade: libc6:amd64 (2.36-9, 2.36-14), libpq5:amd64 (15.16, 15.18)\n"
    "End-Date: 2024-06-02  11:00:30\n"
)


def test_a_list_of_the_record_a_key_names_is_counted_for_how_many_that_same_record_holds() -> None:
    # The look showed the run's record with "(12 items)" under its Install line, and the 1.5B
    # answered 2: the run's Upgrade line holds libpq5 (an earlier run installed it), and its
    # Install list is the answer.
    for question in ("libpq5 was upgraded by one apt run. How many packages did that same run newly install?",
                     "Find the apt run in which libpq5 got upgraded; how many brand-new packages did it install?"):
        assert orientation(APT_HISTORY, question).counted == "4", question
    # A part of the list, a condition, or a key on two such lines: nothing is counted for it.
    for question in ("libpq5 was upgraded by one apt run. How many of the packages it installed were automatic?",
                     "libpq5 was upgraded by one apt run. How many packages did it install, not counting libraries?",
                     "libc6-dev was upgraded by one apt run. How many packages did that same run newly install?",
                     "libpq5 was upgraded by one apt run. How many lines does its record have?",
                     # Words that ask for something else than the list's size (a hostile review's).
                     "libpq5 was upgraded by one apt run. How many automatic packages did that same run install?",
                     "libpq5 was upgraded by one apt run. How many packages did that same run install or upgrade?",
                     "libpq5 was upgraded by one apt run. How many packages did that run install in total?",
                     "libpq5 was upgraded by one apt run. How many packages did the previous run install?",
                     "libpq5 was upgraded by one apt run. How many times was libpq5 installed?",
                     "libpq5 was upgraded in one run. How many packages did the run that upgraded libc6 install?"):
        assert orientation(APT_HISTORY, question).counted == "", question
    # Upgraded in two runs: which run is meant is not known.
    asked = "libpq5 was upgraded by one apt run. How many packages did it install?"
    twice = APT_HISTORY + "\n" + APT_HISTORY.replace("2024", "2025")
    assert orientation(twice, asked).counted == ""
    # Runs not parted by blank lines (a grep of the log) read as one record with two Install lines.
    assert orientation(APT_HISTORY.replace("\n\n", "\n"), asked).counted == ""
    # A list continued on indented lines (debian/control's Depends) is more than its first line.
    control = ("Package: python3-foo\nDepends: ${misc:Depends},\n         python3-httpx,\n         python3-numpy\n"
               "Build-Depends: debhelper, dh-python, python3-all\n")
    assert orientation(control, "python3-foo is one package here. How many packages does it depend on?").counted == ""


def test_a_word_on_one_line_names_its_file_when_the_outline_counts_what_is_asked() -> None:
    # "Find the module that defines `TimeoutError`; how many module-level functions (not
    # methods) does it have?": the class is on two lines, so its record was shown, not its
    # module's outline, and the 1.5B answered 2 (right: 4).
    modules = {**MODULES, "pkg/shapes.py": MODULES["pkg/shapes.py"].replace("Frobnicator()", "None")
               .replace("a Frobnicator's", "a disc's")}
    question = "Find the module that defines `Frobnicator`; how many module-level functions (not methods) does it have?"
    look = orientation(modules, question)
    assert "'Frobnicator' is written only in pkg/shapes.py, a file of 3:" in look.text and look.counted == "3"
    # An everyday word of the question on one line names no file ("module-level" in a comment).
    commented = {**modules, "pkg/util.py": "import os\n\n_cache = {}  # module-level cache\n\n\ndef home():\n"
                                           "    return os.environ['HOME']\n"}
    assert orientation(commented, question.replace("`Frobnicator`", "`Frob`")).counted == ""
    # A count the outline does not compute leaves the word's record alone, with no outline.
    look = orientation(modules, "Find the module that defines `Frobnicator`; how many times is math used in it?")
    assert "is written only in" not in look.text and look.counted == ""


def test_when_the_entry_listing_the_most_items_started_is_offered_when_asked_just_that() -> None:
    # "The most Install items: 167 in entry 3 (Start-Date: 2025-06-24  14:37:36)" was shown,
    # and the 1.5B answered another run's start.
    history = "# File: /var/log/apt/history.log\n" + APT_HISTORY.replace(", cpp:amd64 (12.2)", "") + (
        "\nStart-Date: 2024-07-03  12:00:00\nCommandline: apt-get install vim\n"
        "Install: vim:amd64 (9.0), vim-runtime:amd64 (9.0, automatic), xxd:amd64 (9.0, automatic)\n"
        "End-Date: 2024-07-03  12:00:05\n") + "# File: /etc/hostname\nbox\n"
    for question in ("When did the apt run that installed the most new packages start? Give the date and time.",
                     "Which apt run installed the largest number of packages? Answer with its start date and time."):
        assert orientation(history, question).counted == "2024-06-02 11:00:00", question
    for question in ("When did the apt run that installed the most packages in 2024 start? Give the date and time.",
                     "When did the apt run that installed the second most packages start? Give the date and time.",
                     "When did the apt run that installed the fewest packages start? Give the date and time.",
                     "When did the apt run that installed and upgraded the most packages start?",
                     "Which apt run installed the most packages?",  # its start is not what is asked
                     "When did the apt run that installed the most packages end? Give the date and time.",
                     # Another sentence that narrows or moves what is asked (a hostile review's).
                     "Consider the apt runs from 2024-07-01 to 2024-12-31. When did the run that installed the most "
                     "packages start? Give the date and time.",
                     "When did the apt run that installed the most packages start? Give the date and time it ended.",
                     "When did the apt run that installed the most packages start? Give the date and time of the "
                     "previous run."):
        assert orientation(history, question).counted == "", question


def test_a_question_about_how_long_a_dated_text_covers_is_shown_its_earliest_and_latest_dates() -> None:
    """"How many days passed between the earliest and the latest change?" is the span of the
    text's record dates; asked in days, that is what the look counted. A date written in
    prose, once and otherwise, is no record's; "from start to finish" asks about one thing."""
    releases = [f"* Noteworthy changes in release 9.{n} (202{n}-0{n + 1}-15) [stable]\n\n- fixed bug {n}\n"
                for n in range(4, 0, -1)]
    news = "".join(releases) + "- timestamps before 1970-01-01 are now rejected\n"
    days = orientation(news, "From the oldest release in this file to the newest, how many days elapsed?")
    assert "Its earliest date is 2021-02-15 and its latest 2024-05-15 (lines 10 and 1): 1,185 days apart." in days.text
    assert days.counted == "1185"
    weeks = orientation(news, "How long does this changelog span?")
    assert "1,185 days apart" in weeks.text and weeks.counted == ""
    for question in ("How long did the longest run take, from start to finish?",
                     "How many days after release 9.1 did 9.2 come out?", "When was the newest release?"):
        assert "days apart" not in orientation(news, question).text, question
    undated = "\n".join(f"line {n} of prose" for n in range(30))
    assert "days apart" not in orientation(undated, "How many days between the first and last line?").text


def test_no_span_for_a_question_about_part_of_a_dated_text_or_no_span_at_all() -> None:
    """A hostile review's cases: the first and last outage are two lines of the log, not its
    ends; "days of the week" is no duration; what a policy covers is not the text's time. Dates
    written with month names are one kind of date however the month is spelled."""
    log = "\n".join(f"2024-{m:02d}-{d:02d} 10:00 job ok" for m in range(1, 5) for d in range(1, 29))
    log += "\n2024-03-15 11:00 outage started\n2024-03-18 09:00 outage ended\n"
    for question in ("How many days passed between the first outage and the last outage?",
                     "How many days did the last outage span?",
                     "How many days of the week appear between the first and last lines?"):
        assert "days apart" not in orientation(log, question).text, question
    assert orientation(log, "How many days does this log cover?").counted == "118"
    policy = "Effective 2023-01-01 the policy changed.\nEffective 2024-07-01 again.\nEmployees get 12 days.\n"
    assert orientation(policy, "How many days of sick leave does the policy cover?").counted == ""
    days = [date(2024, 1, 30) + timedelta(days=n) for n in range(200)]
    logins = "\n".join(f"{d.strftime('%b %d, %Y')} user logged in" for d in days)
    assert orientation(logins, "How many days passed between the first and the last login?").counted == "199"


def test_extremes_only_for_the_most_of_a_quantity_that_compares() -> None:
    """No extreme for a ranking of records ("the most packages"), a bound ("at most"), "the
    most recent", a field the question does not name when it names another numeric one, sizes
    in several units, records not parted by blank lines; a text over 4 MB says so."""
    text = _packages(30)
    for question in ("Which package has the largest number of dependencies?", "Which team maintains the most packages?",
                     "What is the most recent version of pkg3?", "What is pkg3's priority? Answer in at most 3 words."):
        assert "The largest" not in orientation(text, question).text, question
    assert orientation(text, "What is the most recent version of pkg3?").start == ""
    sized = "\n".join(f"Name: f{i}\nSize: {s}\nCount: {i}\n" for i, s in enumerate(
        ["900 kB", "2 MB", "1 GB", "5 kB", "7 kB", "8 kB", "9 kB", "1 kB"]))
    assert "The largest Size" not in orientation(sized, "Which file has the largest size?").text
    unparted = "\n".join(f"Name: item{i}\nSize: {i * 10}\nKind: k{i % 2}" for i in range(8))
    assert "The largest" not in orientation(unparted, "Which item has the largest size?").text
    big = "\n".join(f"Package: p{i}\nInstalled-Size: {i}\nVersion: 1.{i}\n" for i in range(100_000))
    assert "The largest Installed-Size in its first 4 MB, " in orientation(big, "Which package is the biggest?").text


def test_a_flag_some_records_carry_is_the_start_of_a_question_counting_it() -> None:
    """"How many packages are flagged as essential?": `Essential: yes` on some records is a
    flag; the lines carrying it are the first step. Not for a field every record writes, nor
    for a question that does not count."""
    rows = [f"Package: pkg{i}\nStatus: install ok installed\n{'Essential: yes' + chr(10) if i % 8 == 0 else ''}"
            f"Version: 1.{i}\n" for i in range(40)]
    text = "\n".join(rows)
    asked = orientation(text, "How many of them does the system flag as essential?")
    assert asked.start == "lines(Essential='yes')"
    assert "lines(Essential='yes') gives the lines whose field Essential is 'yes'." in asked.text
    assert orientation(text, "How many packages have status installed?").start == ""  # every record's
    assert orientation(text, "Is pkg8 essential?").start == ""


ACCOUNTS = "\n".join(
    ["root:x:0:0:root:/root:/bin/bash"]
    + [f"svc{i}:x:{i}:{i}:svc{i}:/var/lib/svc{i}:/usr/sbin/nologin" for i in range(1, 9)]
    + ["ann:x:1000:1000:Ann:/home/ann:/bin/bash", "backup:x:34:34:backup:/var/backups:/usr/sbin/nologin"]
)


def test_a_hyphenated_word_the_text_writes_joined_is_found_joined() -> None:
    look = orientation(ACCOUNTS, "How many users have the no-login shell?")
    assert "'nologin' (the question's 'no-login'): 9 lines" in look.text
    assert "'no-login'" not in look.text.split("Not in the text:")[1]
    assert look.words[0] == "nologin"  # what `lines()` finds the lines by
    # A word written as the question writes it is not looked up joined.
    prose = "The e-mail gateway relays e-mail.\nemail is also checked.\n"
    assert "'e-mail': 1 line" in orientation(prose, "Which e-mail tool relays?").text
    # Written neither way, it stays "not in the text".
    assert "'log-shipper'" in orientation(ACCOUNTS, "How many log-shipper accounts are there?").text.split(
        "Not in the text:")[-1]


def test_a_hyphenated_word_a_log_writes_as_two_words_is_found_and_searched_first() -> None:
    log = "\n".join(
        [f"09:00:{i:02d}: New client connected from 127.0.0.1:{5000 + i} as sensor-{i % 7}" for i in range(40)]
        + ["09:00:52: Client dash-main already connected, closing old connection.",
           "09:01:13: Client dash-main already connected, closing old connection."]
        + [f"09:02:{i:02d}: Client sensor-{i % 7} disconnected." for i in range(40)])
    look = orientation(log, "When did the broker first drop an already-connected client for a new connection?")
    rows = look.text.split("Lines holding the question's words, the rarest first:\n", 1)[1]
    assert rows.startswith("'already connected' (the question's 'already-connected'): 2 lines")
    assert "09:00:52: Client dash-main already connected" in rows.split("'client'")[0]
    assert look.hint[0] == "already connected"


def test_an_acronym_is_found_with_a_number_joined_to_it() -> None:
    table = "\n".join([
        "tcp\t6\tTCP\t\t# transmission control protocol",
        "xtp\t36\tXTP\t\t# Xpress Transfer Protocol",
        "dccp\t33\tDCCP\t\t# Datagram Congestion Control Prot. [RFC4340]",
        "iso-tp4\t29\tISO-TP4\t\t# ISO Transport Protocol class 4 [RFC905]",
        "rfcx\t99\tRFCX\t\t# not a reference",
    ])
    look = orientation(table, "How many protocols have an RFC reference?")
    assert "'RFC': 2 lines" in look.text
    # A lower-case word keeps whole-word matching: "tcp" is not "tcp6".
    assert "'tcp6': 1 line" not in orientation(table + "\ntcp6\t0\tTCP6", "Which port does tcp use?").text
    assert "'tcp': 1 line" in orientation(table + "\ntcp6\t0\tTCP6", "Which number does tcp use?").text


KEYS_HEADER = "\n".join(
    ["/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */", "/*", " * Input event codes", " */"]
    + [f"#define KEY_F{i}\t\t{180 + i}" for i in range(13, 25)]
    + ["#define KEY_MICMUTE\t\t248\t/* Mute / unmute the microphone */",
       "#define SW_MICROPHONE_INSERT\t0x04  /* set = inserted */"]
    + [f"#define BTN_{i}\t\t0x{0x100 + i:x}" for i in range(10)]
)


def test_words_that_only_describe_the_document_are_searched_last() -> None:
    # "Linux" names the header, on its licence line: searched first as the rarest name, it
    # showed the 1.5B that line, and it never read the microphone key's.
    look = orientation(KEYS_HEADER, "In this Linux input header, what event code mutes the microphone?")
    assert "'mutes': 1 line (written 'mute'):\n1| #define KEY_MICMUTE\t\t248" in look.text  # "mutes" finds "Mute"
    assert set(look.words[-2:]) == {"Linux", "input"} and look.words.index("microphone") < 3
    # Asked without the document's description, "Linux" is a name like any other, and first.
    plain = orientation(KEYS_HEADER, "Which licence note names Linux, and which event code mutes the microphone?")
    assert plain.words[0] == "Linux"


def test_the_owner_named_in_a_leading_clause_that_says_where_to_look_is_searched_last() -> None:
    # "PostgreSQL", on one comment line, ranked first and IST's row was never shown.
    zones = ("# see the PostgreSQL documentation\n# CONFLICT! IST is not unique\n# - IST: Irish Standard Time\n"
             "# - IST: Indian Standard Time\nIST      7200    # Israel Standard Time\n"
             "UTC         0    # Coordinated Universal Time\n" + "ZZT    3600    # Filler Time\n" * 40)
    look = orientation(zones, "Using PostgreSQL's default set of abbreviations, how many seconds ahead of UTC is IST?")
    assert look.words[:2] == ("UTC", "IST") and "4| IST      7200    # Israel Standard Time" in look.text
    # An owner that is the subject ("KEY_ZOOM's definition", "Bob's last commit") is no source.
    assert document_words("Within KEY_ZOOM's definition, what value is used?") == frozenset()
    assert document_words("In Bob's last commit, what changed?") == frozenset()
    assert document_words("What port is in the redis record?") == frozenset()  # "record" only after "this"
    # "of X" after the document's noun says whose document it is; "of the" says nothing more.
    assert {"pytest", "run", "python-dateutil"} <= document_words(
        "In this pytest run of python-dateutil, how many tests failed?")
    assert document_words("How many lines of this log of the server are errors?") == {"log"}
    # Not in such a clause, a possessive's owner is a name like any other.
    plain = orientation(zones, "How many seconds ahead of UTC is IST in PostgreSQL's set?").words
    assert plain.index("PostgreSQL") < plain.index("IST")


def test_a_two_letter_word_in_capitals_is_looked_up() -> None:
    flags = "\n".join(
        ["** Only those flags marked as \"Ok for sqlite3_open_v2()\" may be used."]
        + [f"#define SQLITE_OPEN_F{i} 0x{1 << i:08x}  /* Ok for sqlite3_open_v2() */" for i in range(6)]
        + [f"#define SQLITE_OPEN_G{i} 0x{1 << (i + 8):08x}  /* VFS only */" for i in range(6)]
        + ["** sqlite3_open_v2() returns an error code.", "** sqlite3_open_v2() may be called again."]
    )
    look = orientation(flags, "How many flags are OK to pass to sqlite3_open_v2()?")
    assert "'OK': 7 lines, e.g.:" in look.text and "OK" in look.words
    # "ok" in lower case is an everyday word of two letters: not looked up.
    assert "'ok'" not in orientation(flags, "Is it ok to pass flags to sqlite3_open_v2()?").text


def test_a_rare_keys_definition_that_names_another_key_shows_that_keys_definition() -> None:
    look = orientation(KEYS_HEADER + "\n#define KEY_FULL_SCREEN\t\t0x174\t/* AC View Toggle */\n#define KEY_ZOOM\t\tKEY_FULL_SCREEN\n",
                       "KEY_ZOOM is defined as another key. What code does KEY_ZOOM have?")
    assert ("'KEY_ZOOM': 1 line:\n1| #define KEY_ZOOM\t\tKEY_FULL_SCREEN\n"
            "   'KEY_FULL_SCREEN', which it names: 2 lines, also:\n"
            "   . #define KEY_FULL_SCREEN\t\t0x174\t/* AC View Toggle */") in look.text
    assert look.shows("0x174")
    # A table's mapping: the value's other lines, the definition first when there is one.
    aliases = "aliases = {\n" + "".join(f"    '{a}' : 'cp037',\n" for a in ("037", "csibm037", "ibm039", "ebcdic_cp_us")) + (
        "    'cp1026' : 'cp1026',\n    '1026' : 'cp1026',\n}\n")
    look = orientation(aliases, "The name 'ibm039' is an alias of a codec. How many aliases point to that codec?")
    assert "   'cp037', which it names: 4 lines, also:" in look.text
    # Not a definition: "libc6:amd64 (2.36-9)" names no other key, and a number is no name.
    log = "Upgrade: libc6:amd64 (2.36-9, 2.36-10), zlib1g:amd64 (1.2)\nInstall: curl:amd64 (7.88)\n"
    assert "which it names" not in orientation(log, "Which version of libc6 was installed?").text
    assert "which it names" not in orientation(KEYS_HEADER, "What code does KEY_MICMUTE have?").text


def test_a_manual_s_row_of_two_options_names_the_second_and_its_entry_is_shown() -> None:
    options = "".join(f"       --opt-{i}\n              Does thing {i} (Alias:\n              --o{i})\n\n" for i in range(30))
    manual = ("OPTIONS\n" + options + "       --write-archive\n              Force archive entries to be written\n"
              "              even when simulating (Alias:\n              --force-archive)\n\n"
              "   Old aliases\n       These are aliases no longer documented\n\n"
              "              --write-old-archive   --write-archive\n              --clean-x   --clean-y\n")
    look = orientation(manual, "My script uses --write-old-archive, an old name for another option. "
                               "What other alias does the manual give for that option?")
    assert ("   '--write-archive', which it names: 2 lines, also:\n   .        --write-archive\n"
            "   .               Force archive entries to be written\n") in look.text
    assert "   .               --force-archive)" in look.text
    # A line of more than two words maps nothing.
    table = manual.replace("--write-old-archive   --write-archive", "--write-old-archive   --write-archive  (old)")
    assert "which it names" not in orientation(table, "What does --write-old-archive do now?").text


def test_a_word_that_is_another_name_of_a_definition_s_first_name_shows_that_name_s_lines() -> None:
    units = ("# Force\nnewton = kilogram * meter / second ** 2 = N\n"
             "force_kilogram = g_0 * kilogram = kgf = kilogram_force\n\n# Power\nwatt = joule / second = W\n"
             "metric_horsepower = 75 * force_kilogram * meter / second\n"
             + "".join(f"unit_{i} = {i} * watt\n" for i in range(30)))
    look = orientation(units, "Which power unit is defined in terms of the kilogram-force?")
    assert ("   'force_kilogram', of which it is another name: 2 lines, also:\n"
            "   . metric_horsepower = 75 * force_kilogram * meter / second") in look.text
    # The first name itself asked about: no hop to it.
    assert "another name" not in orientation(units, "What is force_kilogram defined as?").text


def test_a_changelog_read_alone_counts_its_entries_in_the_questions_date_range() -> None:
    changelog = "".join(
        f"tool ({v}) unstable; urgency=medium\n\n  * Change {v}.\n\n -- Ann Lee <ann@example.org>  {d}\n\n"
        for v, d in (("1.4", "Tue, 20 Sep 2022 10:00:00 +0200"), ("1.3", "Mon, 01 Aug 2022 10:00:00 +0200"),
                     ("1.2", "Wed, 01 Jun 2022 09:00:00 +0200"), ("1.1", "Tue, 31 May 2022 09:00:00 +0200"),
                     ("1.0", "Mon, 03 Jan 2022 09:00:00 +0100")))
    look = orientation(changelog, "How many uploads were made from 1 June through 31 August 2022?")
    assert ("2 of its 5 entries are dated 1 June 2022 to 31 August 2022 (an entry by its first line, else its "
            "last): in_dates(entries(), '1 June 2022', '31 August 2022') gives them.") in look.text
    assert look.start == "in_dates(entries(), '1 June 2022', '31 August 2022')"
    # A text of no dated records says nothing of a period.
    plain = "\n\n".join(f"item {i}\n  note {i}" for i in range(6))
    assert "entries are dated" not in orientation(plain, "How many items from 1 June through 31 August 2022?").text


def test_a_name_defined_from_the_questions_words_is_shown_for_a_look_up() -> None:
    header = "\n".join(
        ["/*", "** The SQLite library version 3.3.1 added shared caches; SQLite is small."]
        + [f"** SQLite note {i}: the SQLite version of this note." for i in range(30)]
        + ["*/", '#define SQLITE_VERSION        "3.40.1"', "#define SQLITE_VERSION_NUMBER 3040001",
           "#define SQLITE_OK 0", "#define SQLITE_ERROR 1"])
    look = orientation(header, "Which SQLite release (version string) does this header file belong to?")
    assert ("Lines defining a name made of the question's words: 2:\n"
            '1| #define SQLITE_VERSION        "3.40.1"\n2| #define SQLITE_VERSION_NUMBER 3040001') in look.text
    assert look.shows("3.40.1")
    config = "[ CA_default ]\ndir = ./demoCA\ndefault_days = 365\ndefault_md = sha256\nmax_connections: 40\n"
    assert "1| max_connections: 40" in orientation(config, "What is the max number of connections?").text
    # Not for a count or a ranking, nor a field every record repeats ("Start-Date: ...").
    assert "Lines defining" not in orientation(header, "How many SQLite version macros are there?").text
    history = "".join(f"Start-Date: 2025-06-{d:02}  10:00:00\nInstall: a{d}\nEnd-Date: 2025-06-{d:02}  10:01:00\n\n"
                      for d in range(1, 6))
    assert "Lines defining" not in orientation(history, "What was the start date of the run that installed a3?").text


def test_a_name_that_abbreviates_the_question_s_words_is_shown_when_one_is_written_nowhere() -> None:
    # "maximum" is written nowhere; `NPY_MAXDIMS` runs "max" and "dims" together.
    header = "\n".join(
        ["/* Array types. */", "#define NPY_MAXDIMS 64", "#define NPY_MAXDIMS_LEGACY_ITERS 32",
         "#define NPY_NUM_FLOATTYPE 3", "#define NPY_MAXARGS 64"]
        + [f"    int nd{i};   /* number of dimensions of array {i} */" for i in range(30)])
    look = orientation(header, "What is the maximum number of dimensions this header allows for an array?")
    assert ("Lines defining a name made of the question's words: 2:\n1| #define NPY_MAXDIMS 64\n"
            "2| #define NPY_MAXDIMS_LEGACY_ITERS 32") in look.text
    # Read first by the look's reader: no line holding the words says what it does.
    assert look.hits[0].startswith("Lines defining a name made of the question's words: 2:")
    # Words the text writes in full are searched as written: no name abbreviating them is shown.
    assert "Lines defining" not in orientation(header, "Which number type is the array's float type?").text


def test_a_name_with_its_number_apart_is_found_joined_and_first() -> None:
    services = "\n".join(
        ["# Network services, Internet style", "# New ports will be added on request if assigned"]
        + [f"svc{i}\t{1000 + i}/tcp" for i in range(20)]
        + ["kerberos\t88/tcp\t\tkerberos5 krb5\t# Kerberos v5", "kerberos\t88/udp\t\tkerberos5 krb5\t# Kerberos v5",
           "krb-prop\t754/tcp\t\tkrb_prop\t# Kerberos slave propagation", "kamanda\t10081/tcp\t# backup (Kerberos)"])
    look = orientation(services, "Which port do Kerberos 5 ticket requests use?")
    assert look.text.split("the rarest first:\n")[1].startswith(
        "'Kerberos5' (the question's 'Kerberos 5'): 2 lines:\n1| kerberos\t88/tcp")
    assert "'svc7' (the question's 'svc 7'): 1 line:\n1| svc7\t1007/tcp" in orientation(
        services, "Which port does svc 7 use?").text
    # Not written joined: nothing is added, and nothing is said of it.
    look = orientation(services.replace("kerberos5", "k-five"), "Which port do Kerberos 5 requests use?")
    assert "Kerberos5" not in look.text and "Kerberos5" not in look.words


def test_review_words_describing_one_file_of_several_still_name_it() -> None:
    files = {"etc/nginx/nginx.conf": "server {\n    listen 8080;\n    # nginx serves http requests here\n}\n",
             "etc/apache2/ports.conf": "Listen 80\nListen 443\n",
             "etc/haproxy/haproxy.cfg": "# haproxy http port for requests\nbind *:9000\n"}
    look = orientation(files, "In this nginx config, which port does it listen on for HTTP requests?")
    assert "nginx" in [w.lower() for w in look.words[:3]]
    assert "listen 8080;" in look.text


def test_review_two_capitals_rank_as_a_plain_word_and_ids_first() -> None:
    rows = "\n".join(f'{{"id": {i}, "name": "bob{i}", "team": "x"}}' for i in range(20)) + '\n{"id": 99, "name": "alice"}\n'
    assert orientation(rows, "What is the user ID of alice?").words[0] == "alice"


def test_review_the_definition_hop_needs_a_definition_not_a_table_row() -> None:
    table = "\n".join(["CVE-2022-0001 HIGH openssl 1.1.1k fixed in 1.1.1n", "CVE-2022-0002 HIGH glibc 2.31 fixed in 2.32",
                       "CVE-2022-0003 LOW zlib 1.2 fixed", "CVE-2022-0004 HIGH curl 7.1 fixed"])
    assert "which it names" not in orientation(table, "Which package does CVE-2022-0002 affect?").text


def test_review_joined_forms_keep_their_rank_and_try_underscores() -> None:
    targets = "\n".join([f"target: t{i} arch: amd64 built ok" for i in range(6)] + ["target: rv arch: riscv built ok"])
    assert "'RISCV' (the question's 'RISC-V'): 1 line" in orientation(
        targets, "Which target was built for the RISC-V arch?").text
    look = orientation("max_connections = 100\nport = 5\n", "What is the max-connections setting?")
    assert "'max_connections' (the question's 'max-connections'): 1 line" in look.text
    assert "'max-connections'" not in look.text.split("Not in the text")[-1]


def test_review_names_made_of_the_questions_words_read_configs_and_not_prefixes() -> None:
    cfg = "#PermitRootLogin prohibit-password\n#PasswordAuthentication yes\nUsePAM yes\nserver_list = a, b\nlisten_port 8080\n"
    look = orientation(cfg, "Is password authentication allowed?").text
    assert "Lines defining a name made of the question's words: 1:\n1| #PasswordAuthentication yes" in look
    look = orientation(cfg, "Which port does the server listen on?").text
    assert "1| listen_port 8080" in look and "1| server_list" not in look.split("Lines defining")[-1]
    family = "\n".join(f"#define KEY_NUMERIC_{i} 0x{0x200 + i:x}" for i in range(12))
    assert "Lines defining" not in orientation(family, "What is the numeric key code for star?").text


def test_review_etc_is_a_word_again() -> None:
    listing = "/etc/ssh/sshd_config\n/etc/hosts\n/usr/bin/ls\n/var/log/syslog\n"
    assert "'etc': 2 lines" in orientation(listing, "How many paths in this listing are under /etc?").text


def _changelog(uploads: list[tuple[str, str, str]]) -> str:
    """A Debian-style changelog of (version, change, sign-off date) uploads, newest first."""
    return "".join(f"tool ({v}) unstable; urgency=medium\n\n  * {change}\n\n -- Ann Lee <ann@example.org>  {d}\n\n"
                   for v, change, d in uploads)


_UPLOADS = [
    ("2.1", "Fix CVE-2023-0001 and CVE-2023-0002.", "Tue, 03 Oct 2023 10:00:00 +0200"),
    ("2.0", "New upstream release.", "Mon, 01 May 2023 10:00:00 +0200"),
    ("1.9", "Plan for the year 2038 rollover.", "Wed, 01 Jun 2022 09:00:00 +0200"),
    ("1.8", "Fix CVE-2022-0100.", "Tue, 31 May 2022 09:00:00 +0200"),
    ("1.7", "Build fix.", "Mon, 03 Jan 2022 09:00:00 +0100"),
    ("1.6", "Docs.", "Fri, 05 Nov 2021 09:00:00 +0100"),
]


def test_a_changelog_read_alone_counts_its_entries_by_year_for_which_year_has_the_most() -> None:
    changelog = _changelog(_UPLOADS)
    look = orientation(changelog, "In which calendar year were the most tool uploads made?")
    assert ("Its 6 dated entries by year (an entry by its first line, else its last), the most first: 2022 3, "
            "2023 2, 2021 1; count_by(entries(), 'year') counts them.") in look.text
    assert look.counted == "2022"  # "year 2038" in a body is no entry's year; "tool" is on every entry's first line
    assert look.start == "count_by(entries(), 'year')"  # the call to start from, not the word "uploads"
    # A word that picks some entries out asks about those: shown, not offered.
    security = orientation(changelog, "Which year had the most security uploads?")
    # A step, not the start: run, its top year would be offered back for all uploads, not the security ones.
    assert security.counted == "" and security.start == "" and "by year" in security.text
    assert orientation(changelog, "Which year had the second most uploads?").counted == ""
    # "Which month" may mean a month of any year: shown by year-month, never offered.
    by_month = orientation(changelog, "Which month saw the most uploads?")
    assert "by month" in by_month.text and by_month.counted == ""
    # A tie at the top ranks nothing.
    tied = _changelog(_UPLOADS[:4])
    assert orientation(tied, "Which year had the most uploads?").counted == ""
    # Paragraphs under a few dated headings (a NEWS file) are no dated entries to count.
    news = "".join(f"* Release {i} ({y}-04-0{i})\n\nline one of {i}\n\nline two of {i}\n\nline three\n\n"
                   for i, y in ((1, 2020), (2, 2021), (3, 2021), (4, 2022)))
    assert "dated entries by year" not in orientation(news, "Which year had the most releases?").text
    # A GNU ChangeLog heads its entries as date(1) writes the time: "Mon Dec  9 00:49:22 GMT 2013".
    gnu = "".join(f"{day} {y}  Colin Watson  <cjwatson@debian.org>\n\n\t* man/man.c: Fix {n}.\n\n"
                  for n, (day, y) in enumerate([("Mon Dec  9 00:49:22 GMT", 2013), ("Sun Aug  4 10:00:01 BST", 2013),
                                                ("Sat Jan  5 14:12:33 GMT", 2008), ("Fri Mar  1 09:00:00 GMT", 2007)]))
    look = orientation(gnu, "In which calendar year were the most ChangeLog entries written? Give the year.")
    assert look.counted == "2013" and look.start == "count_by(entries(), 'year')"
    # An aside that says again what is counted asks nothing more; one that sets a condition does.
    look = orientation(gnu, "Which calendar year has the most dated entries (the date-and-author header lines) "
                            "in this ChangeLog?")
    assert look.counted == "2013"
    assert orientation(gnu, "Which calendar year has the most dated entries (the ones not by Colin Watson) "
                            "in this ChangeLog?").counted == ""


def test_a_news_files_releases_are_counted_by_the_year_their_headings_write() -> None:
    # e2fsprogs' NEWS heads each release "E2fsprogs 1.47.0 (February 5, 2023)" over "===": its
    # paragraphs carry no date, and the 1.5B asked which year shipped the most releases answered
    # the first heading's year.
    releases = [("1.4", "March 3, 2021"), ("1.3", "June 9, 2019"), ("1.2.1", "May 2, 2019"),
                ("1.2", "January 8, 2019"), ("1.1", "July 4, 2018"), ("1.0", "February 1, 2017")]
    news = "".join(f"Frob {v} ({d})\n{'=' * (len(v) + len(d) + 8)}\n\nUI and Features\n---------------\n\n"
                   f"Fixed a crash in frob {v}.\n\nFixes\n-----\n\nMade it quicker in 2030.\n\n" for v, d in releases)
    look = orientation(news, "In which year did Frob ship the most releases? Give the year.")
    assert ("Its 6 top headings by year, each by the date it writes, the most first: 2019 3, 2021 1, 2018 1 "
            "(and 1 other years); count_by(headings(), 'year') counts them.") in look.text
    assert look.counted == "2019" and look.start == "count_by(headings(), 'year')"
    # The offered start counts what the look counted.
    assert count_by(headings(text=news), "year", show=False).most_common(1) == [("2019", 3)]
    # A word that picks some releases out: shown, not offered.
    assert orientation(news, "In which year did Frob ship the most security fixes?").counted == ""


def test_how_many_entries_hold_the_rarest_word_is_counted_by_entry_not_by_line() -> None:
    changelog = _changelog(_UPLOADS).replace("and CVE-2023-0002.", "\n    and CVE-2023-0002.")
    look = orientation(changelog, "How many uploads mention a CVE?")
    assert "'CVE' is in 2 of its 6 entries (3 lines): len(entries(r'\\bCVE\\b')) counts them." in look.text
    assert look.counted == "2"
    # Other words say more than which entries hold the word: shown, not offered.
    assert orientation(changelog, "How many uploads fix a CVE in the build?").counted == ""
    # Lines, not entries, are asked for: not offered.
    assert orientation(changelog, "How many lines mention a CVE?").counted == ""
    # One entry a line: the lines' count already says it.
    flat = "\n".join(f"pkg{i} CVE-2023-{i:04d}" for i in range(5))
    assert "entries (" not in orientation(flat, "How many uploads mention a CVE?").text


def test_an_entrys_year_is_its_own_dates_not_a_year_its_body_names() -> None:
    entry = Entry(_changelog(_UPLOADS[2:3]).strip())
    assert record(entry)["year"] == "2022"
    assert record(entry)["month"] == "2022-06"
    assert record("the year 2038 problem")["year"] == "2038"  # a line's label stands


def test_no_entries_holding_row_for_the_word_that_names_the_outlined_file() -> None:
    files = {"/usr/share/doc/tool/changelog.Debian": _changelog(_UPLOADS), "/etc/other.conf": "a = 1\nb = 2\n"}
    look = orientation(files, "How many tool uploads did Ann Lee make, going by its changelog?")
    assert "entries (" not in look.text  # "tool" names the file: every upload is one of its
    named = orientation(files, "How many uploads in the changelog of tool mention a CVE?")
    assert "'CVE' is in 2 of its 6 entries" in named.text


def test_review_entries_hold_a_whole_word_and_the_call_counts_them() -> None:
    import recursor.sandbox.helpers as helpers

    uploads = [("3.0", "Build for arm64.", "Tue, 03 Oct 2023 10:00:00 +0200"),
               ("2.9", "A harmless fix.", "Mon, 01 May 2023 10:00:00 +0200"),
               ("2.8", "Fix the arm build.", "Wed, 01 Jun 2022 09:00:00 +0200"),
               ("2.7", "Docs.", "Tue, 31 May 2022 09:00:00 +0200")]
    changelog = _changelog(uploads)
    look = orientation(changelog, "How many uploads mention arm?")
    assert look.counted == "1"
    helpers.context = changelog
    assert len(helpers.entries(r"\barm\b")) == 1  # the call the row shows
    # The thing counted is no word the entries hold: "uploads" gets no row of its own.
    assert "'uploads' is in" not in orientation(changelog, "How many uploads were made in 2022?").text


def test_entries_counted_by_name_are_counted_by_a_word_on_their_first_line() -> None:
    import recursor.sandbox.helpers as helpers

    changelog = "".join(
        f"tool ({v}) {dist}; urgency=medium\n\n  * Change {v}.\n\n"
        f" -- Ann Lee <ann@example.org>  Mon, 0{i + 1} May 2023 10:00:00 +0200\n\n"
        for i, (v, dist) in enumerate([("2.0", "unstable"), ("2.0~rc1", "experimental"), ("1.9", "unstable"),
                                       ("1.9~rc1", "experimental"), ("1.8~rc1", "experimental")]))
    look = orientation(changelog, "How many of the tool uploads were targeted at the experimental distribution?")
    assert "'experimental' is on the unindented (first) line of 3 of its 5 entries" in look.text
    assert look.start == "" and look.counted == ""  # a step: "by Bob" or "in 2023" would narrow it
    # Written in the bodies too ("Upload to experimental."), a head line is no sure reading.
    bodies = changelog.replace("  * Change 2.0.", "  * Upload to experimental soon.")
    assert "on the unindented" not in orientation(bodies, "How many of the tool uploads went to experimental?").text
    assert "on the unindented" not in orientation(changelog, "How many uploads were not made to experimental?").text
    helpers.context = changelog
    assert len(helpers.entries(r"^\S.*\bexperimental\b")) == 3
    # A word on every entry's first line ("tool", "urgency") picks none out.
    assert "on the unindented" not in orientation(changelog, "How many tool uploads had medium urgency?").text


def test_superlatives_are_searched_after_the_words_that_name_things() -> None:
    spec = "\n".join(["The protocol has a version; the highest version is given."]
                     + [f"OpenFont request: major opcode {i}" for i in range(15, 18)] + ["Filler line."] * 20)
    look = orientation(spec, "Which request has the highest major opcode?")
    assert look.words[0] != "highest"  # a ranking word is no thing to find (it was searched first, as the rarest)


def test_a_question_word_the_text_writes_only_inflected_inside_names_is_not_in_the_text() -> None:
    # "updated" asked over a dpkg log: the log writes "update" only inside the package name
    # gtk-update-icon-cache, and the 1.5B, told to search it first, read that package's lines.
    log = "".join(f"2025-06-24 14:36:{i:02d} status installed gtk-update-icon-cache:amd64 3.24.{i}\n"
                  f"2025-06-24 14:37:{i:02d} upgrade libssl3:amd64 3.0.{i}-1 3.0.{i + 1}-1\n" for i in range(9))
    look = orientation(log, "When libssl3 got updated, which version was replaced?")
    assert "'updated'" in look.text.split("Not in the text:")[1] and "updated" not in look.words
    assert "gtk-update-icon-cache" not in look.text.split("Lines holding")[1]
    # The word as asked, inside a name, is still that word ("icon" of gtk-update-icon-cache) ...
    assert "icon" in orientation(log, "Which icon cache package was installed?").words
    # ... and an inflection written on its own is found as before.
    prose = log + "Run apt to update the cache.\n"
    assert "updated" in orientation(prose, "When libssl3 got updated, which version was replaced?").words

    # Another form later on the line, outside any name, is the word: the line holds it.
    syslog = "".join(f"host unattended-upgrade[{i}]: Packages that were upgraded: libfoo{i}\n" for i in range(6))
    assert "upgraded" in orientation(syslog, "Which packages were upgraded?").words
    # A noun's number inside a key is still the noun ("timeouts" of keepalive_timeout).
    conf = "".join(f"    {k}_timeout {i}s;\n" for i, k in enumerate(("keepalive", "send", "read", "proxy")))
    assert "timeouts" in orientation(conf, "Which timeouts are configured here?").words


def test_a_quoted_letter_or_a_symbol_the_question_writes_is_looked_up_as_written() -> None:
    # "which opcode is written as the single character 'K'?": K is on thousands of lines, 'K'
    # on the one that answers; "the euro sign (€)": no word of the question finds the € lines.
    from recursor.question import marked_short
    assert marked_short("which opcode is written as the single character 'K'?") == [("'K'", '"K"')]
    assert marked_short("written as \u2018K\u2019, and user17's `id`?") == [("'K'", '"K"'), ("'id'", '"id"')]
    assert marked_short("How many sequences produce the euro sign (€)?") == [("€",)]
    assert marked_short('What does the "%" key do, and `-x`?') == [("%",), ("-x",)]
    assert marked_short('requested /admin with an empty referer ("-")?') == [("-",)]
    assert marked_short("Which 'keysym' and which option(s) and (see above)?") == []
    table = "".join(f"    I(name='OP{n}',\n      code='{chr(65 + n % 26)}{n}',\n      arg=None)\n" for n in range(60))
    table += "    I(name='BININT1',\n      code='K',\n      arg=uint1)\n"
    look = orientation(table, "In the opcode table, which opcode is written as the single character 'K'?")
    assert look.words[0] == "'K'" and "code='K'" in look.hits[0] and "BININT1" in look.hits[0]
    compose = "".join(f'<Multi_key> <{c}> <E> : "{s}" # SIGN\n' for c, s in zip("ABCDEFGH", "€$€£€¥€¢", strict=True))
    look = orientation(compose, "How many key sequences produce the euro sign (€)?")
    assert look.words[0] == "€" and "'€': 4 lines" in look.text
    # A symbol is found inside words, a quoted name as the text quotes it; one the text never
    # writes is not said to be missing; one on every line ranks after the rare words.
    assert orientation("cpu=50% proc42\nx\n", "What CPU share (%) did proc42 use?").words[-1] == "%"
    users = orientation('{"id": 17, "name": "user17"}\n' * 3, "What is user17's `id`?")
    assert users.words == ("user17", '"id"') and "(the question's \"'id'\")" in users.text
    assert "'Q'" not in orientation("K\n" * 5, "Which opcode is written as 'Q'?").text
    # A quoted letter is found in its own case and searched before a name on many lines:
    # 'G' is another type character than 'g'.
    header = "/* NumPy types */\n" * 12 + "    NPY_LONGDOUBLELTR = 'g',\n    NPY_CLONGDOUBLELTR = 'G',\n"
    typed = orientation(header, "The type character 'g' stands for one of NumPy's types. What type number has it?")
    assert typed.words[0] == "'g'" and "\"'g'\": 1 line:" in typed.text and "\n2| " not in typed.hits[0]
    # Two quoted letters are a key in any case (review: `ID` finds "id").
    assert '"ID"' in orientation('{"id": 17, "name": "user17"}\n' * 3, "What is user17's `ID`?").words
    log = "".join(f'10.0.0.{i % 9} - - "GET /p{i}" 200 "-" "curl/8"\n' for i in range(300))
    log += '10.0.0.1 - - "GET /admin" 200 "-" "EvilBot/1"\n'
    assert orientation(log, 'Which user agent requested /admin with an empty referer ("-")?').words == ("admin", "-")


def test_the_last_release_before_a_year_is_read_from_a_news_files_dated_headings() -> None:
    # Asked for the last e2fsprogs version released before 2010 began, the 1.5B answered the
    # first 2010 heading the look showed.
    releases = [("2.1", "February 7, 2010"), ("2.0.9", "December 29, 2009"), ("2.0.8", "June 30, 2009"),
                ("2.0", "January 8, 2008"), ("1.9", "July 4, 2007")]
    news = "".join(f"Frob {v} ({d})\n{'=' * (len(v) + len(d) + 8)}\n\nFixed a crash in 2030 mode.\n\n" for v, d in releases)
    look = orientation(news, "Which Frob version was the last one released before 2010 began?")
    assert ("the last one dated before 2010-01-01: 'Frob 2.0.9 (December 29, 2009)'" in look.text
            and look.counted == "2.0.9")
    assert look.start == "max((h for h in headings() if to_date(h) and to_date(h) < to_date('2010-01-01')), key=to_date)"
    assert orientation(news, "What was the first release after 2007?").counted == "2.0"
    assert orientation(news, "What was the first release since the start of 2009?").counted == "2.0.8"
    # More asked than which release (a feature of it, a count, a second question): shown, not offered.
    for question in ("What new feature was added in the last release before 2010?",
                     "How many releases came after 2007, and which was the latest?",
                     "Which was the last release from 2010?"):  # "from 2010" is no bound
        assert orientation(news, question).counted == "", question
    # A version shaped like a year is no year.
    years = "".join(f"Frob {v} ({d})\n{'=' * (len(v) + len(d) + 8)}\n\nFixed.\n\n"
                    for v, d in (("2011.1", "March 1, 2011"), ("2010.2", "June 1, 2010"), ("2010.1", "March 1, 2010"),
                                 ("2009.2", "June 1, 2009")))
    assert orientation(years, "Which was the first release after 2010.1?").counted == ""
    # Two bounds, a second place, or no order word: nothing read.
    for question in ("What was the last release between 2007 and 2010?", "What was the second release after 2007?",
                     "Which release came out before 2010?"):
        assert "top headings that write a date" not in orientation(news, question).text, question


def test_a_rare_words_heading_shows_its_sections_first_lines() -> None:
    # "In which Node.js release did Domain.dispose() reach end-of-life?": the rare word is on
    # the heading "### DEP0012: `Domain.dispose`", and the versions are in the section below it.
    doc = "# Deprecated APIs\n\n## List\n\n" + "".join(
        f"### DEP00{n:02}: `{name}`\n\n<!-- YAML\nchanges:\n  - version: v{n}.0.0\n    description: End-of-Life.\n-->\n\n"
        f"Type: End-of-Life\n\n`{name}` has been removed in a later release.\n\n"
        for n, name in ((10, "Buffer.make"), (12, "Domain.dispose"), (14, "fs.oldRead")))
    question = "In which Node.js release did the deprecated Domain.dispose() reach end-of-life?"
    look = orientation(doc, question)
    assert "its section's first lines:\n   . <!-- YAML\n   . changes:\n   .   - version: v12.0.0\n" in look.text
    assert "v10.0.0" not in look.text.split("its section's first lines:")[1].split("'")[0]  # its own section only
    # A count or a ranking gets no section: what it counts is across many.
    assert "its section's first lines" not in orientation(doc, "How many APIs did Domain.dispose() replace?").text


def _news(seed: int = 4) -> tuple[str, list[date]]:
    """A NEWS file in dbus's shape, generated: releases under dated headings, the older ones
    underlined with a short "==", each with bullet paragraphs of no date."""
    import random

    rng = random.Random(seed)
    days = sorted({date(2009 + rng.randrange(14), rng.randint(1, 12), rng.randint(1, 28)) for _ in range(40)},
                  reverse=True)
    parts = []
    for n, day in enumerate(days):
        title = f"{'dbus' if day.year > 2017 else 'D-Bus'} 1.{len(days) - n}.0 ({day.isoformat()})"
        rule = "=" * len(title) if day.year > 2016 else "=="
        parts.append(f"{title}\n{rule}\n\nFixes:\n\n• Fix a crash in the bus (#{n})\n• Update docs\n")
    return "\n".join(parts), days


def test_releases_of_a_period_are_read_off_release_lines_dated_or_not() -> None:
    # tmux's CHANGES: nothing marks a release's line but its shape, and only the older ones write a date.
    parts = [f"CHANGES FROM 3.{n} TO 3.{n + 1}\n\n* Newer change {n} to tmux.\n* And {n}.\n* Or {n}.\n"
             for n in range(6, 0, -1)]
    days = [date(2009 + n, 1 + n % 12, 10 + n) for n in range(8, 0, -1)]
    parts += [f"CHANGES FROM 1.{n} TO 1.{n + 1}, {d.day} {d:%B} {d.year}\n\n* Change {n} to tmux.\n  More of it.\n* Another {n}.\n"
              for n, d in zip(range(8, 0, -1), days, strict=True)]
    text = "\n".join(parts)
    gold = sum(2011 <= d.year <= 2014 for d in days)
    look = orientation(text, "Going by the dates in this file, how many tmux releases came out from 2011 through "
                             "2014, both years included?")
    assert look.counted == str(gold) and 0 < gold < len(days)
    # A year's edges said in words bound a period too.
    edges = sum(2011 <= d.year <= 2013 for d in days)
    assert orientation(text, "How many tmux releases are dated between the start of 2011 and the end of 2013?").counted == str(edges)
    # One calendar year is a period too.
    in_2013 = sum(d.year == 2013 for d in days)
    assert orientation(text, "How many tmux versions were released during the calendar year 2013?").counted == str(in_2013)
    # "stable" picks some releases out, and so may a word the text never writes: shown, not offered.
    assert orientation(text, "How many stable releases came out from 2011 through 2014?").counted == ""
    assert orientation(text, "How many hotfix releases came out from 2011 through 2014?").counted == ""


def test_a_stated_limit_is_looked_up_not_ranked() -> None:
    filler = "".join(f"     Option{n}\n             Specifies the rsa-sha2-{n} thing.\n\n" for n in range(30))
    text = (filler + "     RequiredRSASize\n             Specifies the minimum RSA key size (in bits) that ssh(1) "
            "will\n             accept.  Keys smaller than this are\n             ignored.  The default is 1024\n"
            "             bits.\n\n" + filler)
    look = orientation(text, "Out of the box, what is the smallest RSA key size (in bits) that the client will accept?")
    assert look.passages and "The default is 1024" in look.passages[0]
    # A superlative with no limit stated ranks: no passage.
    assert not orientation(text, "Which option has the largest number in its name?").passages
    for ranking in ("What is the largest file that can be found in this listing?",
                    "What is the highest load that was supported by the server?"):
        assert not STATED_LIMIT.search(ranking), ranking
    assert STATED_LIMIT.search("What is the maximum length a label may have?")


def test_releases_of_a_period_are_the_dated_headings_short_underlines_too() -> None:
    text, days = _news()
    gold = sum(date(2012, 1, 1) <= d <= date(2015, 12, 31) for d in days)
    look = orientation(text, "How many dbus releases does this file list with a date from 2012 through 2015?")
    assert look.counted == str(gold) and gold > 0
    assert look.start == "in_dates(headings(), '2012-01-01', '2015-12-31')"
    assert len(headings(text=text)) == len(days)  # "==" under a title is a heading where "=" underlines 3 in full
    # A qualifier the headings do not say: shown, not offered.
    assert orientation(text, "How many releases from 2012 through 2015 fixed a crash?").counted == ""
    # The title's word and where to look ("going by this NEWS file") say no more.
    titled = "GNU dbus NEWS\n\n" + text
    asked = "How many dbus releases came out from 2012 through 2015, going by this NEWS file?"
    assert orientation(titled, asked).counted == str(gold)


def test_a_short_rule_alone_makes_no_heading() -> None:
    text = "Intro\n==\n\nSome text\n--\nMore text\n"
    assert headings(text=text) == []


def test_a_quantity_asked_in_a_unit_is_a_look_up_shown_its_paragraph() -> None:
    filler = "".join(f"       option_{i} (integer; default: {i}; since Linux 2.{i % 6})\n"
                     f"              Sets the {i}th limit of the stack.\n\n" for i in range(60))
    entry = ("       tcp_keepalive_time (integer; default: 7200; since Linux 2.2)\n"
             "              The number of seconds a connection needs to be idle before TCP\n"
             "              begins sending out keep-alive probes.  The default value\n"
             "              is 7200 seconds (2 hours).\n\n")
    text = "TCP(7)\n\n" + filler[: len(filler) // 2] + entry + filler[len(filler) // 2:]
    look = orientation(text, "By default, how many seconds can a TCP connection sit idle before Linux starts "
                             "sending keepalive probes, according to this page?")
    assert "The passage holding the most of the question's words" in look.text
    assert "is 7200 seconds (2 hours)." in look.text  # the lines below the one naming it


def test_a_word_written_with_a_glob_is_searched_as_a_start() -> None:
    text = "".join(f"       tcp_opt{i} (Boolean; default: enabled)\n              Sets option {i}.\n\n" for i in range(30))
    look = orientation(text, "How many of the tcp_* files are Boolean settings?")
    assert "'tcp_': 30 lines" in look.text  # tcp_opt0 ... tcp_opt29, not "not in the text"


def test_does_the_spec_say_names_the_document_not_what_to_find() -> None:
    assert {"spec", "say"} <= document_words("Which operator does the spec say behaves identically to Saturate?")
    assert "report" not in document_words("What does the report field say?")  # no document kind before the verb


def test_old_news_items_beside_dated_release_headings_leave_the_releases_counted() -> None:
    # GNU NEWS: "* Noteworthy changes in release 6.7 (2006-12-08) [stable]" headings, and old
    # entries written as "* " items at the same top level.
    parts = []
    for n in range(12):
        parts.append(f"* Noteworthy changes in release 6.{12 - n} (200{8 - n // 4}-0{1 + n % 4}-10) [stable]\n\n"
                     f"** Bug fixes\n\n  coreutils' cp fixed {n}.\n")
    parts += [f"* printf no longer does thing {k}\n* seq accepts flag {k}\n" for k in range(10)]
    text = "\n".join(parts)
    gold = sum(1 for n in range(12) if 2006 <= 2008 - n // 4 <= 2007)
    look = orientation(text, "How many coreutils releases does this NEWS file date between the start of 2006 and the end of 2007?")
    assert look.counted == str(gold) and gold == 8


def test_a_series_of_release_headings_dated_only_since_some_release_is_counted_by_its_dates() -> None:
    # GNU make's NEWS: "Version 3.81 (01 Apr 2006)" heads every release, none dated before 3.62
    # (25 of 54 dated): one series of headings, counted by the dates they write.
    years = [2020, 2016, 2014, 2013, 2010, 2006, 2002, 2000, 1999, 1998, 1997, 1996, 1995]
    news = "Foo NEWS\n  History of changes.\n\n"  # a form feed's line before each release, as GNU's NEWS writes
    for n, year in enumerate(years):
        news += f"\x0c\nVersion 4.{20 - n} (0{1 + n % 9} Apr {year})\n\n* Change {n}.\n  More about it.\n\n"
    for n in range(14):
        news += f"\x0c\nVersion 3.{50 - n}\n\n* Old change {n}.\n  More.\n\n"
    asked = "How many Foo releases listed with a release date came out between 1997 and 2006, inclusive?"
    look = orientation(news, asked)
    assert "6 of its 13 top headings that write a date" in look.text
    assert look.counted == str(sum(1997 <= y <= 2006 for y in years)) == "6"
    # Two years "combined" ask the same count; a kind of release ("beta") picks some out.
    assert orientation(news, "How many Foo releases came out in 1997 and 1998 combined?").counted == "2"
    assert orientation(news, "How many Foo beta releases came out in 1997 and 1998 combined?").counted == ""
    # Headings of other shapes, or too few dated: not one series of releases.
    mixed = news.replace("Version 3.", "Old 3.")
    assert "top headings that write a date" not in orientation(mixed, asked).text
    sparse = news + "".join(f"\x0c\nVersion 2.{n}\n\n* Older {n}.\n  More.\n\n" for n in range(20))
    assert "top headings that write a date" not in orientation(sparse, asked).text


def test_a_count_or_ranking_of_releases_is_read_off_their_headings_not_their_items() -> None:
    # dbus's NEWS: "dbus 1.12.2 (2017-11-13)" over bulleted changes, older ones "D-Bus 1.11.12".
    years = [2014] * 3 + [2015] * 7 + [2016] * 4 + [2017] * 6
    days = [date(y, 1 + n % 6 * 2, 3) for n, y in enumerate(years)]
    text = "\n".join(f"{'dbus' if d.year > 2016 else 'D-Bus'} 1.{40 - n}.0 ({d.isoformat()})\n{'=' * 26}\n\n"
                      + "".join(f"\u2022 fix {n}.{k} (dbus#{n}{k}, Ann Lee)\n\n" for k in range(4))
                      for n, d in reversed(list(enumerate(days))))
    gold = sum(date(2015, 3, 1) <= d <= date(2016, 4, 30) for d in days)
    look = orientation(text, "How many dbus releases came out between 1 March 2015 and 30 April 2016, both days included?")
    assert look.counted == str(gold) and look.table is None  # the items' table would count items
    top = Counter(d.year for d in days).most_common(1)[0][0]
    ranked = orientation(text, "In which calendar year did dbus ship the most releases, going by the dates in these release notes?")
    assert ranked.counted == str(top) and ranked.table is None
    # Its changes are still a table for a question about them.
    assert orientation(text, "Who is credited with the most fixes?").table is not None


def _dns_log() -> str:
    rows = []
    for i in range(300):
        client = f"127.0.0.{21 + i % 4}"
        kind = "AAAA" if i % 3 == 0 else "A"
        rows.append(f"Dec  6 09:{2 + i // 60:02d}:{i % 60:02d} dnsmasq[14099]: {i} {client}/{40000 + i} "
                    f"query[{kind}] host{i % 9}.lan from {client}")
        rows.append(f"Dec  6 09:{2 + i // 60:02d}:{i % 60:02d} dnsmasq[14099]: {i} {client}/{40000 + i} "
                    f"cached host{i % 9}.lan is 10.20.0.{i % 9}")
    return "\n".join(rows) + "\n"


def test_a_count_of_the_lines_holding_its_two_keys_together_is_offered_when_it_says_nothing_else() -> None:
    log = _dns_log()
    gold = sum(1 for i in range(300) if i % 3 == 0 and i % 4 == 3)  # AAAA queries from 127.0.0.24
    look = orientation(log, "How many IPv6 address (AAAA) lookups did the client at 127.0.0.24 make?")
    assert f"on one line: {gold} lines" in look.text and look.counted == str(gold)
    for question in ("How many AAAA lookups from 127.0.0.24 failed?",  # a verb the text does not write
                     "How many of the AAAA lookups came from 127.0.0.24?",  # a part of a list
                     "How many AAAA lookups did 127.0.0.24 make after 09:03?",  # a time
                     "How many AAAA lookups did 127.0.0.24 make that were not cached?"):  # a negation
        assert orientation(log, question).counted == "", question


def _traced_job() -> str:
    rows = []
    t = 9 * 3600 + 4 * 60 + 36.994638
    for i in range(400):
        stamp = f"{int(t) // 3600:02d}:{int(t) % 3600 // 60:02d}:{int(t) % 60:02d}.{round((t % 1) * 1e6):06d}"
        call = ("openat(AT_FDCWD, \"/etc/ld.so.cache\", O_RDONLY) = 3", "close(3) = 0",
                "wait4(-1, NULL, WNOHANG, NULL) = -1 ECHILD (No child processes)")[i % 3]
        rows.append(f"{16615 + i % 5} {stamp} {call} <0.000010>")
        t += 0.001579
    rows.append(rows[-1].split(" ", 2)[0] + " " + rows[-1].split(" ", 2)[1] + " +++ exited with 0 +++")
    return "\n".join(rows) + "\n"


def test_how_long_a_timed_log_runs_from_its_first_line_to_its_last_is_its_last_stamp_less_its_first() -> None:
    log = _traced_job()
    first, last = 9 * 3600 + 4 * 60 + 36.994638, 9 * 3600 + 4 * 60 + 36.994638 + 399 * 0.001579
    look = orientation(log, "How long did the whole traced job take, from the first recorded system call to the "
                            "final process exit, in milliseconds (rounded to the nearest millisecond)?")
    assert "Its first timed line is at 09:04:36.994638" in look.text
    assert look.counted == str(round((last - first) * 1000))
    seconds = orientation(log, "How many seconds passed from the first line to the last line of this trace?")
    assert seconds.counted == f"{last - first:.3f}".rstrip("0").rstrip(".")
    assert orientation(log, "How long does this trace run from its first line to its last?").counted == ""  # no unit
    # Both ends of one kind of line: the words after them pick lines that are not the log's ends.
    outages = log.replace("ECHILD (No child processes)", "ECHILD outage", 1)
    outages = outages.replace("close(3) = 0 <0.000010>\n", "close(3) = 0 outage <0.000010>\n", 1)
    for question in ("How many seconds passed between the first and the last outage?",
                     "How many seconds passed between the first outage and the last outage?"):
        assert "timed line" not in orientation(outages, question).text, question
    # Times that run backwards (past midnight) give no span.
    wrapped = "\n".join(f"2{3 - i // 60 % 2}:59:{i % 60:02d}.5 tick {i}" for i in range(120))
    assert "timed line" not in orientation(wrapped, "How many seconds from the first to the last tick?").text


def test_the_days_between_two_releases_named_by_number_are_read_from_their_entries_dates() -> None:
    # A GNU ChangeLog: each entry's date heads it; a release's entry writes "version N".
    entries = [("2022-04-07", "version 1.12"), ("2022-03-01", "tests: require automake-1.11 now"),
               ("2021-12-01", "maint: fix a typo"), ("2021-09-03", "version 1.11"), ("2021-01-05", "version 1.10")]
    log = "".join(f"{day}  Jim Meyering  <jim@example.org>\n\n\t{body}\n\t* NEWS: Record it.\n\n" for day, body in entries)
    look = orientation(log, "How many days passed between the gzip 1.11 release and the 1.12 release, "
                            "going by the entry dates?")
    assert "2021-09-03" in look.text and look.counted == "216"  # not automake-1.11's entry
    assert orientation(log, "How many weeks passed between the 1.11 release and the 1.12 release?").counted == ""
    # A number written in entries of two dates names no one release.
    twice = log + "2020-06-01  Ann Lee  <ann@example.org>\n\n\tmention 1.12 early\n"
    assert orientation(twice, "How many days passed between the 1.11 release and the 1.12 release?").counted == ""


def test_the_days_between_two_releases_whose_headings_stand_alone_are_read_from_the_headings() -> None:
    # A NEWS file: "Version 4.0 (09 Oct 2013)" stands alone above its notes (no record holds
    # the heading and the notes), and 4.0's notes name 3.82; the program's name is two words.
    news = "Foo make NEWS\n  History of user-visible changes.\n\n"
    for version, day, note in (("4.1", "05 Oct 2014", "A fix."), ("4.0", "09 Oct 2013", "Reverts a change introduced in Foo make 3.82."),
                               ("3.82", "28 Jul 2010", "New features."), ("3.81", "01 Apr 2006", "Old.")):
        news += f"Version {version} ({day})\n\n* {note}\n  More text here.\n\n"
    asked = "How many days passed between the Foo make 3.82 release and the 4.0 release?"
    look = orientation(news, asked)
    assert look.counted == "1169" and "2010-07-28" in look.text and "2013-10-09" in look.text
    # Words before a number that are not the program's name name another thing.
    assert orientation(news, "How many days passed between the bar fix 3.82 and the 4.0 release?").counted == ""
    # A number no dated line writes, or dated lines of two dates, give nothing.
    assert orientation(news, "How many days passed between the 3.80 release and the 4.0 release?").counted == ""
    clash = news + "Version 3.82 (01 Jan 2011)\n\n* Again.\n"
    assert orientation(clash, asked).counted == ""
    # Notes indented under their heading: one record each; the record headed by 3.82 is 3.82's,
    # not 4.0's, whose notes name it.
    indented = news.replace("\n\n* ", "\n  * ").replace("\n  More text here.", "\n    More text here.")
    assert orientation(indented, asked).counted == "1169"
    # Tags and changelogs write a "v" before the number ("v1.3.0  (Jul 6, 2017)"): the same release.
    tagged = news.replace("Version ", "v")
    look = orientation(tagged, "How many days passed between the 3.82 release and the 4.0 release?")
    assert look.counted == "1169" and "2| v3.82 (28 Jul 2010)" in look.text
    assert orientation(tagged.replace("v3.82", "lev3.82"), asked).counted == ""  # a word's end is no tag


def _web_log() -> str:
    """A web app's log (Tornado's format): each crash is a `500` line stamped like its
    `Uncaught exception` line, which a traceback follows, untimed."""
    rows = []
    for i in range(120):
        stamp = f"[I 261206 19:{28 + i // 60}:{i % 60:02d} web:2591]"
        if i in (7, 40, 101):
            rows += [f"[E 261206 19:{28 + i // 60}:{i % 60:02d} web:2108] Uncaught exception GET /reports (127.0.0.7)",
                     "    Traceback (most recent call last):", "    ValueError: boom",
                     f"[E 261206 19:{28 + i // 60}:{i % 60:02d} web:2591] 500 GET /reports (127.0.0.7) 1.50ms"]
        else:
            rows.append(f"{stamp} 200 GET /items/{i} (127.0.0.{i % 5}) 0.{i % 9 + 1}0ms")
    return "\n".join(rows) + "\n"


def test_the_seconds_between_the_first_and_last_lines_of_one_kind_are_read_when_its_words_agree() -> None:
    log = _web_log()
    look = orientation(log, "How many seconds elapsed between the first and the last request that crashed with an "
                            "unhandled exception (HTTP 500)?")
    assert look.counted == "94" and "19:28:07 and the last at 19:29:41" in look.text
    # Ends not alike, no key among the words that pick lines, or words that pick lines of
    # other times: nothing read.
    for question in ("How many seconds passed between the first 500 and the last request?",
                     "How many seconds elapsed between the first and the last crash with an exception?",
                     "How many seconds elapsed between the first and the last 500 from 127.0.0.3?"):
        assert orientation(log, question).counted == "", question


def test_what_a_hostile_review_found_offered_wrong_is_no_longer_offered() -> None:
    log = _dns_log()
    for question in ("How many failed AAAA lookups did 127.0.0.24 make?",  # a word before what is counted
                     "How many blocked AAAA lookups did 127.0.0.24 make?",
                     "How many failed AAAA lookups came from 127.0.0.24?"):
        assert orientation(log, question).counted == "", question
    # One syslog line for several events: lines are not events.
    repeated = log + "Dec  6 09:09:59 dnsmasq[14099]: message repeated 3 times: [ query[AAAA] x from 127.0.0.24]\n"
    assert orientation(repeated, "How many AAAA lookups came from 127.0.0.24?").counted == ""
    # A log across two days, stamped without a year: its times of day wrap.
    days = "\n".join(f"Mar  {3 + (i * 27) // 1440} {(10 + (i * 27) // 60) % 24:02d}:{(i * 27) % 60:02d}:00 host sshd[9]: "
                     f"line {i}" for i in range(60))
    assert "timed line" not in orientation(days, "How many seconds does the log span, from the first line to the "
                                                 "last?").text
    # Ends named by a key the lines write: not the log's span.
    job = _traced_job()
    assert orientation(job, "How many seconds did process 16617 run, from its first line to its last?").counted == ""
    # An aside that names someone picks entries.
    gnu = "".join(f"{y}-0{m}-0{d}  {who}  <x@example.org>\n\n\t* a.c: Fix {y}{m}{d}.\n\n"
                  for y, m, d, who in [(2011, m, d, "Paul Eggert" if d < 5 else "Jim Meyering")
                                       for m in range(1, 4) for d in range(1, 6)]
                  + [(2010, m, d, "Jim Meyering") for m in range(1, 5) for d in range(1, 6)])
    assert orientation(gnu, "In which year were the most dated entries (the date-and-author header lines) "
                            "written?").counted == "2010"
    for aside in ("(the ones by Paul Eggert)", "(the Paul Eggert ones)", "(the ones Paul Eggert wrote)"):
        assert orientation(gnu, f"In which year were the most dated entries {aside} written?").counted == "", aside


def test_a_verb_and_its_particle_the_text_never_writes_is_looked_up_as_its_noun() -> None:
    # "How many times did a worker time out": gunicorn writes "WORKER TIMEOUT (pid:...)".
    log = "".join(f"2026-12-06 22:16:{i:02d}.899 [305] INFO gunicorn.error: Booting worker with pid: {i}\n"
                  for i in range(20))
    log += "".join(f"2026-12-06 22:17:{i:02d}.899 [305] CRITICAL gunicorn.error: WORKER TIMEOUT (pid:{i})\n"
                   for i in range(7))
    look = orientation(log, "How many times did the master report a worker timing out?")
    assert "'timeout' (the question's 'timing out'): 7 lines" in look.text
    assert "'timing'" not in look.text.split("Not in the text:")[-1]
    # Written as asked, or no noun the text writes: as before.
    assert "(the question's" not in orientation(log + "x timing out\n", "How often was a worker timing out?").text
    assert "(the question's" not in orientation(log, "How many workers were logged in?").text


def test_a_hyphenated_word_the_text_writes_apart_is_searched_by_its_parts() -> None:
    report = "".join(f">> Issue: [B{i}] something\n   Severity: {'High' if i % 3 else 'Low'}   Confidence: Medium\n"
                     f"   Location: pkg/mod{i}.py:{i}:1\n----\n" for i in range(30))
    look = orientation(report, "How many high-severity issues are there in mod7?")
    assert "'high-severity'" not in look.text.split("Not in the text:")[-1]
    assert "'Severity'" in look.text or "'severity'" in look.text.lower()
    # A part the text lacks leaves the whole word missing.
    assert "'ultra-severity'" in orientation(report, "How many ultra-severity issues are there?").text
    # Parts the text writes only on different lines are no such word.
    apart = report + "# a lower-level helper\n# this module\n"
    assert "'module-level'" in orientation(apart, "Which module-level issue is first?").text


def test_a_word_the_text_writes_only_inside_a_camelcase_name_is_found_there() -> None:
    # "validation" where a luigi log writes the task ValidateSales; "worker" of ForkPoolWorker.
    from recursor.orient import _camel_named
    log = "".join(f"INFO Worker done ValidateSales(day=2026-11-{d:02}, store=s{d % 3})\n" for d in range(1, 9))
    log += "ERROR failed ValidateSales(day=2026-11-07, store=s1)\n" + "INFO extracted 10 rows\n" * 20
    assert _camel_named(log, "validation") == "ValidateSales"
    look = orientation(log, "On which day did the validation step fail for store s1?")
    assert "'ValidateSales' (the question's 'validation'): 9 lines" in look.text and "'validation'." not in look.text
    # Not a name of another word ("Reporter" of "report"), a capitalised or short word, nor a
    # stem starting two names.
    assert _camel_named("x DistReporter y\n", "report") is None
    assert _camel_named("ValidateSales\n", "Validation") is None and _camel_named("NetHost\n", "host") is None
    assert _camel_named("ValidateSales ValidateStock\n", "validation") is None
    assert _camel_named("[INFO/ForkPoolWorker-2] done\n", "worker") == "ForkPoolWorker"


def test_a_word_code_writes_short_is_found_in_its_short_form() -> None:
    # "boolean fields" of a .proto file that writes "bool" on each field and "booleans" once.
    from recursor.short_forms import short_forms
    proto = "// For booleans, true or false.\nmessage M {\n" + "".join(
        f"  optional bool flag{i} = {i} [default = false];\n  optional int32 n{i} = {i + 50};\n" for i in range(12)) + "}\n"
    look = orientation(proto, "How many boolean fields default to false?")
    assert "'bool' (the question's 'boolean'): 12 lines" in look.text
    assert short_forms("Configurations") == ("config", "conf", "cfg") and short_forms("indexes") == ("idx",)
    assert short_forms("queries") == () and short_forms("bool") == () and short_forms("used") == ()
    assert short_forms("uploaded") == ("STOR", "STOU", "APPE") and short_forms("Downloading") == ("RETR",)
    # The word itself, written more often than its short form, is looked up as asked.
    prose = "".join(f"a boolean value {i}\n" for i in range(6)) + "bool x\n"
    assert "'boolean': 6 lines" in orientation(prose, "How many boolean values are there?").text


def test_a_manual_pages_own_name_and_title_noun_are_searched_after_the_questions_other_words() -> None:
    # "When s3cmd splits ... in megabytes": "s3cmd", on a tenth of its manual's lines, tells no
    # line apart; "The manual lists rm as ...": "Manual" is only its header's.
    page = "s3cmd(1)                General Commands Manual               s3cmd(1)\nNAME\n       s3cmd - tool\n"
    page += "".join(f"       s3cmd cmd{i} s3://BUCKET\n              Do thing {i}\n" for i in range(30))
    page += "       s3cmd rm s3://BUCKET/OBJECT\n              Delete file (alias for del)\n"
    page += "       --max-delete=NUM\n              Do not delete more than NUM files\n"
    page += "       --chunk-size-mb=SIZE\n              SIZE is in megabytes, default 15MB\n"
    look = orientation(page, "When s3cmd uploads a big file, what is the chunk size in megabytes?")
    assert look.words[0] != "s3cmd" and "s3cmd" in look.words
    look = orientation(page, "The manual lists rm as another name for a different command. Which option limits deletes?")
    assert look.words[0] == "rm" and look.words[-1] == "manual"
    # Not a manual, or a name on few lines: a word of the first line is searched as any other.
    log = "".join(f"08:00:{i:02} s3cmd cmd{i}\n" for i in range(40)) + "08:01:00 megabytes 15\n"
    assert orientation(log, "When s3cmd uploads, how many megabytes?").words[0] == "s3cmd"
    assert orientation("s3cmd(1)   Manual   s3cmd(1)\nrun s3cmd x\n" + "y\n" * 50, "What does s3cmd run?").words[0] == "s3cmd"


def test_a_verb_the_text_writes_as_another_word_of_its_group_is_found_as_that_word() -> None:
    # "saved" where a sensor hub's log writes "stored tmp-118 #1"; "shipped" has no group.
    from recursor.synonyms import synonyms
    log = "".join(f"11:20:{i:02} INFO: stored tmp-{i} #{i}: 20.5 C in Lab A\n" for i in range(30))
    log += "".join(f"11:21:{i:02} INFO: POST /readings 201\n" for i in range(30))
    look = orientation(log, "How many sensor readings were saved?")
    assert "'store' (the question's 'saved'): 30 lines (written 'stored')" in look.text
    assert "'saved'" not in look.text.split("Not in the text")[-1] and "stored" in look.hint
    assert synonyms("saved") == ("store", "persist") and synonyms("Stopped") == ("halt", "terminate")
    assert synonyms("denied") == ("refuse", "reject", "decline") and synonyms("shipped") == ()
    # Only a verb: "from the beginning of" is no event ("begin" lines are not its lines).
    begun = log + "11:22:00 INFO: begin sync\n"
    assert "the question's 'beginning'" not in orientation(begun, "How many readings from the beginning of the log?").text
    # A verb the text writes is looked up as asked, not as its group's others.
    both = log + "11:22:00 INFO: saved config\n"
    assert "the question's 'saved'" not in orientation(both, "How many readings were saved?").text
    # "stopped supporting": the event is the support, not a halt the text writes elsewhere.
    halted = log + "11:22:00 INFO: halted sync\n"
    assert "the question's 'stopped'" in orientation(halted, "How many readings stopped the sync?").text
    assert "the question's 'stopped'" not in orientation(halted, "Which release stopped supporting sync?").text
    # An action not done ("unable to start", "prevented from borrowing") is a refusal.
    from recursor.synonyms import refusals
    assert refusals("How often was a member prevented from borrowing?") == [("prevented from borrowing", "prevented")]
    assert refusals("How many drivers were not able to start a session?") == [("not able to start", "able")]
    assert refusals("How many sessions were started?") == []
    refused = log + "".join(f"11:23:{i:02} WARNING: save refused: sensor=tmp-{i} reason=disk full\n" for i in range(7))
    look = orientation(refused, "How many times was a sensor unable to save a reading?")
    assert "'refused' (the question's 'unable to save'): 7 lines" in look.text
    assert "unable" not in look.text.split("Not in the text")[-1]
    # The text writes "unable": found as asked.
    unable = refused + "11:24:00 ERROR: unable to save tmp-1\n"
    assert "the question's 'unable to save'" not in orientation(unable, "How many times was it unable to save?").text
    # An idiom for an event is its plain verb: "got under way" is counted as "started".
    from recursor.synonyms import plain_idioms
    assert plain_idioms("How many sessions got under way after noon?") == "How many sessions started after noon?"
    assert plain_idioms("Which order was turned down twice?") == "Which order was refused twice?"
    # Only an event's idiom: "kicked off the server" and "were under way at noon" are not "started".
    assert plain_idioms("How many players were kicked off the server?") == "How many players were kicked off the server?"
    assert plain_idioms("How many jobs were under way at noon?") == "How many jobs were under way at noon?"
    # "saved during the night": "during" is no verb's -ing, so "saved" is still a store.
    assert "'store' (the question's 'saved')" in orientation(log, "How many sensor readings were saved during the night?").text
    begun = "".join(f"11:2{i % 10}:00 INFO: session started: id={i}\n11:2{i % 10}:01 INFO: tick\n" for i in range(20))
    words = orientation(begun, "How many sessions got under way?").words
    assert "started" in words and "way" not in words and "got" not in words
    # A superlative of time, no verb: "the oldest version" where a header writes "earliest".
    header = "/**\n * The latest ABI version supported.\n */\n#define ZB_VERSION 15\n\n" * 1
    header += "/**\n * The earliest ABI version supported.\n */\n#define ZB_MIN_VERSION 13\n"
    look = orientation(header, "What is the oldest ABI version this library can load?")
    assert "'earliest' (the question's 'oldest')" in look.text and "ZB_MIN_VERSION 13" in look.text


def test_a_word_only_a_tables_header_writes_is_searched_after_the_rows_words() -> None:
    # "Ford County": the county column holds FORD; "County" is only the header's.
    rows = ["state,county,item_name,ship_date"] + [f"KS,FORD,RIFLE {i},1/{i + 1}/2008" for i in range(9)]
    rows += ['KS,FORD,"TRUCK,ARMORED",6/24/2010', 'KS,FINNEY,"TRUCK,ARMORED",5/17/2007']
    look = orientation("\n".join(rows) + "\n", "On what date was the armored truck for Ford County shipped?")
    assert look.words.index("County") > look.words.index("truck")
    assert "'ARMORED' and 'TRUCK' and 'FORD' on one line: 1 line" in look.text
    # A year the header writes is the column asked for ("fertility in 1985"), searched as any word.
    wide = "Country Name,1984,1985\nThailand,2.6,2.571\nPeru,4.1,4.0\n"
    assert orientation(wide, "What was Thailand's fertility in 1985?").words[0] == "1985"


def test_a_value_the_question_writes_is_searched_before_the_counts_verb() -> None:
    # "answered with the blocking address 0.0.0.0": a DNS log writes ANSWER in every message.
    log = "".join(f"    ;; flags: qr; QUERY: 1, ANSWER: 1\n    host{i}.example. 60 IN A 10.0.0.{i}\n" for i in range(20))
    log += "".join(f"    ;; flags: qr; QUERY: 1, ANSWER: 1\n    ads{i}.example. 60 IN A 0.0.0.0\n" for i in range(5))
    look = orientation(log, "How many queries were answered with the blocking address 0.0.0.0?")
    assert look.hint[0] == "0.0.0.0"
    # A day or an hour is a window whose lines the verb sorts: the verb still comes first.
    dpkg = "".join(f"2025-06-24 14:42:{i:02} status installed pkg{i}:amd64 1.0\n" for i in range(12))
    dpkg += "".join(f"2025-06-25 10:00:{i:02} status installed lib{i}:amd64 2.0\n" for i in range(12))
    assert orientation(dpkg, "How many packages were installed on 2025-06-24?").hint[0] == "installed"


def test_the_noun_a_count_counts_does_not_narrow_the_lines_its_other_words_share() -> None:
    # "How many certificates have an OU in their subject": the Subject lines holding OU=, not
    # the few that also write "Certification" (the noun's stem).
    pem = ""
    for i in range(40):
        ou = f" OU=Sales {i}" if i % 4 == 0 else ""
        name = f"Certification Authority {i}" if i % 8 == 0 else f"Root CA {i}"
        pem += f"# Issuer: CN={name} O=Org {i}{ou}\n# Subject: CN={name} O=Org {i}{ou}\n-----BEGIN CERTIFICATE-----\nMIIB\n"
    look = orientation(pem, "How many certificates in this bundle have an organizational unit (OU) in their subject name?")
    assert "'OU' and 'Subject' on one line: 10 lines" in look.text
    # A count whose noun is no word after "how many" keeps every word: "spells started
    # between 1965 and 1974" counts spells, not the year.
    from recursor.question import counted_head
    assert counted_head("how many military dictatorship spells started between 1965 and 1974") == "1965"
    table = "".join(f"spell{i},{y},{kind}\n" for i, (y, kind) in enumerate(
        (y, k) for y in range(1960, 1980) for k in ("Military Dict", "Civilian Dict", "Royal Dict")))
    look = orientation(table, "How many military dictatorship spells started between 1965 and 1974?")
    assert "'1965' and 'Military' on one line: 1 line" in look.text


def test_a_status_code_for_a_condition_is_found_as_its_errno_style_name() -> None:
    # "What status code ... when a query times out": `ARES_ETIMEOUT = 12`; the header's "times"
    # count tries, and it never writes "times out".
    header = "typedef enum {\n  ARES_SUCCESS = 0,\n  ARES_ETIMEOUT     = 12,\n  ARES_ENOMEM = 15,\n} ares_status_t;\n"
    header += "".join(f"int tries{i}; /* how many times to try {i} */\n" for i in range(6))
    header += "#define ARES_OPT_TIMEOUT (1 << 1)\n  int timeout; /* in seconds */\n"
    look = orientation(header, "What status code number does c-ares give back when a query times out?")
    assert look.words[0] == "ARES_ETIMEOUT" and "'ARES_ETIMEOUT' (the question's 'times out'): 1 line" in look.text
    # Not asked for a code: the compound alone.
    look = orientation(header, "How long does c-ares wait before a query times out?")
    assert "ARES_ETIMEOUT" not in look.words and "timeout" in look.words
    # A text that writes the phrase itself is searched for its words.
    log = "".join(f"query {i} times out after 5s\n" for i in range(5)) + "timeout=5\n"
    assert "(the question's 'times out')" not in orientation(log, "How many queries time out?").text


def test_a_run_of_the_questions_words_the_text_writes_together_is_looked_up_first() -> None:
    # "refused because the requested book was still out on another loan": a library's log
    # writes "checkout of bk-0042 denied: still out on loan L00311"; "refused" finds renewals.
    log = "".join(f"[07/Dec/2026:08:46:{i:02}] LIBRARY renewal of loan L{i:05} refused: 1 hold(s) waiting\n"
                  for i in range(12))
    log += "".join(f"[07/Dec/2026:08:47:{i:02}] LIBRARY checkout of bk-{i:04} denied: still out on loan L{i:05}\n"
                   for i in range(7))
    log += "".join(f"[07/Dec/2026:08:48:{i:02}] LIBRARY loan L{i:05} opened: m{i:03} borrowed bk-{i:04}\n"
                   for i in range(40))
    look = orientation(log, "How many checkout attempts were refused because the book was still out on another loan?")
    assert look.words[0] == "still out on" and "'still out on': 7 lines" in look.text
    # Searched before the count's verb, whose lines are another kind's (renewals refused).
    assert look.hint[:2] == ("still out on", "refused")
    # A run of the question's prose ("in this module", a form word and stop-words) is not one.
    code = "".join(f"def f{i}():\n    return {i}\n" for i in range(20)) + "# the functions in this module\n"
    assert not any(" " in w for w in orientation(code, "How many functions are defined in this module?").words)


def test_review_session_50_looks_keep_the_words_a_question_is_about() -> None:
    import random
    # A count's noun that is the filter stays: "how many errors mention disk sda".
    lines = (["[INFO] scheduled check of disk sda ok"] * 20 + [f"[ERROR] reading disk sda sector {i}" for i in range(5)]
             + [f"[ERROR] interface eth{i} down" for i in range(7)])
    random.Random(1).shuffle(lines)
    look = orientation("\n".join(lines) + "\n", "How many errors mention disk sda?")
    assert "'ERROR' and 'disk' and 'sda' on one line: 5 lines" in look.text
    # A short form beside a word the text writes, not instead of it: "minimum" is not "min".
    backups = "".join(f"backup job {i} took {i} min\n" for i in range(40)) + "policy: minimum retention is 7 days\n"
    shown = orientation(backups, "What is the minimum retention?").text
    assert "'minimum': 1 line:\n1| policy: minimum retention is 7 days" in shown
    # A sentence's period is no part of an option; a single letter's case is kept.
    assert orientation("use --drive-opt3 now\n" + "x\n" * 20, "What does it do when given --drive-opt3.").words == ("--drive-opt3",)
    flags = "  -l  long listing\n  -L  follow links\n" + "x\n" * 20
    assert "'-L': 1 line:\n1|   -L  follow links" in orientation(flags, "What does ls do when given -L?").text
    # A tool named on every line comes after the count's verb; prose's abbreviations are no names.
    apt = "".join(f"apt-get: {'install' if i % 3 == 0 else 'remove'} pkg{i}\n" for i in range(30))
    assert orientation(apt, "How many packages did apt-get install?").hint[0] == "install"
    assert "et" not in orientation("the sensors et al. reported\n" * 3, "Which sensors et al. reported?").words
    # A first line with commas that no second line matches is no table's header.
    note = "Note: the launch codeword, agreed by Ann, Bob, and Cy, is PELICAN.\n" + "the weather in the valley.\n" * 200
    assert orientation(note, "What launch codeword did Ann agree on, given the weather?").words[0] != "weather"



def test_a_name_on_many_lines_of_the_text_a_look_up_asks_about_is_its_subject() -> None:
    # "urllib3" on 1 line in 6 of its changelog: key-shaped, it was searched first and told nothing.
    rows = [f"* libzz9 now handles case {i}." if i % 6 == 0 else f"* Fixed case {i}." for i in range(300)]
    text = "Changes\n=======\n\n" + "\n".join([*rows[:150], "* Added the Quux decoder.", *rows[150:]]) + "\n"
    look = orientation(text, "Which libzz9 change added the Quux decoder?")
    assert look.hint[0] == "Quux" and look.hint[-1] == "libzz9"
    counted = orientation(text, "How many changes mention libzz9?")
    assert counted.hint[0] == "libzz9"  # a count may count its lines


def test_a_readme_s_title_under_html_lines_names_its_subject() -> None:
    body = "\n".join(f"ZapPy does thing {i}." if i % 19 == 0 else f"Line {i} of prose." for i in range(400))
    text = "<div class='hidden-website'>\n# ZapPy documentation\n</div>\n\n" + body + "\nThe retry limit is 7.\n"
    look = orientation(text, "How many retries will ZapPy make at most before the limit?")
    assert look.hint[-1] == "ZapPy"
