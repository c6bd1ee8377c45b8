"""The passage the first look shows for a look-up (`recursor.look_passage`, `recursor.orient`).

Texts are shaped like the ones users bring (a man page of options, a config file of settings
under comments, package stanzas, files joined under header lines), and questions are phrased
as a user would, not with the text's own words. The answer sits lines below the line that
names what is asked, where a line-by-line look does not reach.
"""

from __future__ import annotations

import re
import time

from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM
from recursor.budget import Limits
from recursor.look_passage import best_passages, passage_lines
from recursor.look_reader import looks_up, reader_lines
from recursor.orient import orientation
from recursor.prompts_small import SmallModelPrompts
from recursor.question import answer_unit_words, asked_sentence, asking_part

_FILLER = (
    "Values that are too large make the daemon use more memory, and values that are too small "
    "make it drop work it could have kept; the right value depends on the machine and on how "
    "busy it is, so measure before you change it."
)


def _option(name: str, about: str, default: str) -> str:
    """A man page's option paragraph: the name, ~15 wrapped lines, the default near the end."""
    words = (f"{about} {_FILLER} {_FILLER} Takes a size or a number. Defaults to {default}, "
             "which suits most machines.").split()
    lines, line = [], ""
    for word in words:
        if len(line) + len(word) > 62:
            lines.append("           " + line.rstrip())
            line = ""
        line += word + " "
    lines.append("           " + line.rstrip())
    return f"       {name}=\n" + "\n".join(lines)


MAN = "\n\n".join([
    "FROBD.CONF(5)                    frobd.conf                    FROBD.CONF(5)",
    "NAME\n       frobd.conf - configuration of the frob daemon",
    _option("QueueMax", "The largest number of requests the daemon keeps waiting in its queue "
            "before it refuses new clients.", "512"),
    _option("ChunkMax", "The longest message chunk to accept when a peer streams records over "
            "a socket; a longer one is cut into separate records.", "64K"),
    _option("SpoolDir", "Where spooled records are written when no peer is connected.", "/var/spool/frobd"),
    _option("RetryDelay", "How long to wait before a failed peer is tried again.", "30s"),
])


def test_the_passage_is_the_paragraph_that_holds_most_of_the_questions_words():
    question = "My peers stream very long messages. Out of the box, how big can a chunk get before it is cut?"
    look = orientation(MAN, question)
    assert "The passage holding the most of the question's words" in look.text
    passage = look.text.split("The passage holding the most of the question's words", 1)[1]
    assert "ChunkMax=" in passage and "64K, which suits" in passage  # a dozen lines below the name
    assert "QueueMax=" not in passage and "SpoolDir=" not in passage
    # The shared indentation is taken off and the lines keep their numbers in the text.
    number = MAN[:MAN.index("ChunkMax=")].count("\n") + 1
    assert f"{number}| ChunkMax=" in passage
    assert any("64K, which suits" in line for line in look.shown)  # shown lines are read evidence
    # A reader of the look is given the passage first when it holds the rarest word.
    assert "64K, which suits" in reader_lines(look, question)


def test_a_count_or_a_ranking_gets_no_passage():
    for question in ("How many options take a size?", "Which option has the longest description?"):
        assert "The passage holding" not in orientation(MAN, question).text


def test_one_word_alone_or_words_on_one_line_make_no_passage():
    text = "\n".join(f"line {i}: nothing here" for i in range(40)) + "\nthe launch code for Nimbus is 4471\n" + \
        "\n".join(f"more {i}" for i in range(40))
    # Both words on one line: that line is already shown with the words' lines.
    assert "The passage holding" not in orientation(text, "What is Nimbus's launch code?").text
    assert "The passage holding" not in orientation(MAN, "Where is the spool?").text


def test_everyday_words_alone_find_no_passage():
    found = {"number": (0.5, [MAN.index("number")]), "value": (0.5, [MAN.index("value")])}
    assert best_passages(MAN, found, needs=frozenset()) == []
    assert best_passages(MAN, found) != []  # without `needs`, any two words on two lines do


def test_a_long_paragraph_is_shown_as_its_best_window():
    rows = [f"2024-01-{d:02d} worker {d} finished a batch" for d in range(1, 29)]
    rows[20] = "2024-01-21 worker 21 hit the quota limit for tenant acme"
    rows[22] = "2024-01-23 quota for tenant acme raised to 900 by the admin"
    text = "\n".join(rows)
    found = {"quota": (1.0, [text.index("quota"), text.index("quota for")]),
             "acme": (1.0, [text.index("acme"), text.index("acme raised")])}
    [passage] = best_passages(text, found)
    shown = passage_lines(text, passage, 160)
    assert len(shown) <= 12 and any("raised to 900" in line for *_, line in shown)
    assert shown[0][0] >= 18  # the window starts near the words, not at the text's first line


def test_no_passage_runs_across_a_file_boundary():
    text = ("# File: a.conf\nalpha = 1\nbeta quota = 2\n"
            "# File: b.conf\nacme quota = 3\ngamma = 4\n")
    found = {"quota": (1.0, [text.index("beta quota") + 5, text.index("acme quota") + 5]),
             "acme": (1.0, [text.index("acme")]), "beta": (1.0, [text.index("beta")])}
    for passage in best_passages(text, found, breaks=[0, text.index("# File: b.conf")]):
        block = text[passage.start:passage.end]
        assert not ("a.conf" in block and "b.conf" in block)
        assert not ("beta" in block and "acme" in block)


def test_a_second_passage_only_when_it_scores_near_the_first():
    stanzas = "\n\n".join(
        f"Package: {name}\nArchitecture: amd64\nVersion: {version}\nDepends: libc6" for name, version in
        [("zlib1g", "1:1.2.13"), ("frobnicator", "4.2-1"), ("frobnicator-data", "4.2-1"), ("tzdata", "2024a")])
    look = orientation(stanzas, "Which version of the frobnicator package is present?")
    assert look.text.count("The passage holding") == 2  # the package and its -data twin hold the same words
    assert "zlib1g" not in look.text.split("The passage holding", 1)[1]


def test_words_about_the_answers_form_are_not_searched_for_it():
    assert "yes" not in asking_part("Does frobd retry failed peers by default? Answer yes or no.").lower()
    assert "yes" not in asking_part("Is the spool kept (yes/no)?").lower()
    # An aside on how to write the answer: its words name no lines ("supervisord" was searched
    # for which process "terminated unexpectedly the most"). An aside that filters stays.
    assert "supervisord" not in asking_part("Which process (give its name as supervisord shows it) failed most?")
    assert "directory" not in asking_part("What is that file's name (just the file name, without its directory)?")
    for kept in ("How many logins (just those from 2024) failed?", "How many requests failed (HTTP 500)?",
                 "Which bit (counting from 0) is set?", "Who is the Uploader (the email)?"):
        assert asking_part(kept) == kept, kept
    assert answer_unit_words("Express the retry delay in seconds (a plain number).") >= {"seconds", "plain", "number"}
    assert answer_unit_words("Give the offset in hex.") == {"in", "hex"}
    assert answer_unit_words("Which file holds the seconds counter?") == frozenset()
    assert asked_sentence("I'm setting up a new server. What is the default queue size?") == \
        "What is the default queue size?"


def test_a_last_sentence_that_only_says_what_to_write_is_not_asked() -> None:
    for question in ("Which class ran the most tests? Give the class name only.",
                     "Who wrote the most entries? Give the person's name.",
                     "What is the queue size?\nJust the number.", "Which user logged in most? Name only, please."):
        assert asking_part(question).strip() == question.split("?")[0] + "?", question
    # A sentence that asks, names a unit, or sets a condition is kept.
    for question in ("How many requests? Give the number of requests per host.",
                     "What is the delay? Give the answer in seconds.", "How many hosts? Just the failed ones.",
                     "How many hosts? Failed ones only.", "Which process used the most memory? Give its PID.",
                     "What port does it use? Give the host name too.", "Which team won? Give the team name and the score.",
                     "Who signed most? Give the person's name for 2024 only.", "Which users? Just the distinct codes.",
                     "Which users? Just the admin names.", "Which users? Admin names only.",
                     "What is the default? Give the `max_conn` value.", "Which release? Give the version before the upgrade."):
        assert asking_part(question) == question, question
    # Linear in a long tail: a question padded with a hundred thousand spaces is read at once.
    started = time.monotonic()
    assert asking_part("What is the port?" + " " * 100_000 + "Thanks").startswith("What is the port?")
    assert time.monotonic() - started < 5  # it took 154 s when a lookahead ran from each space


def _first_turn_on(text: str, reply: str, question: str) -> tuple[str, list[str]]:
    """The answer of a run over `text` whose root replies `reply` first, then FINAL(guess);
    the messages the root was sent. The sub-model reads nothing (no value is offered)."""
    root = FakeScriptedLM([reply, "FINAL(guess)"])
    result = RLM(root, sub_model=FakeScriptedLM(["NONE"] * 4), prompts=SmallModelPrompts(),
                 limits=Limits(max_iterations=4), mode="rlm", trace_dir=False).complete(question, text)
    return result.answer, [call.messages[-1]["content"] for call in root.calls]


def _first_turn(reply: str, question: str) -> tuple[str, list[str]]:
    return _first_turn_on(MAN, reply, question)


def test_a_value_the_passage_writes_is_taken_from_it_on_the_first_turn():
    question = "My peers stream very long messages. Out of the box, how big can a chunk get before it is cut?"
    answer, sent = _first_turn("FINAL(64K)", question)
    assert answer == "64K" and len(sent) == 1  # read in the passage: no "that answer is a guess"


def test_a_value_the_passage_does_not_write_is_still_a_guess():
    question = "My peers stream very long messages. Out of the box, how big can a chunk get before it is cut?"
    answer, sent = _first_turn("FINAL(1000)", question)
    assert len(sent) == 2 and "is a guess" in sent[1] and answer == "guess"


def test_a_yes_or_no_is_judged_from_the_passage_only_for_a_yes_no_question():
    answer, sent = _first_turn("FINAL(no)", "Does frobd cut long chunks from streaming peers by default? Answer yes or no.")
    assert answer == "no" and len(sent) == 1
    answer, sent = _first_turn("FINAL(no)", "Which size do peers that stream long chunks get by default?")
    assert len(sent) == 2 and "is a guess" in sent[1]


def test_words_of_equal_weight_are_named_in_one_order_whatever_the_process():
    # Sets of str iterate in a per-process order: the passage names its words by weight, then
    # alphabetically, so a look is the same text in every run (traces compare, caches hit).
    text = "intro line\n\nzeta setting here\nalpha setting there\n\nother\n" + "filler\n" * 30
    found = {"zeta": (1.0, [text.index("zeta")]), "alpha": (1.0, [text.index("alpha")])}
    [passage] = best_passages(text, found)
    assert passage.words == ("alpha", "zeta")


def test_crlf_text_has_the_same_paragraphs_and_passage():
    question = "My peers stream very long messages. Out of the box, how big can a chunk get before it is cut?"
    lf = orientation(MAN, question).text
    crlf = orientation(MAN.replace("\n", "\r\n"), question).text
    passage = crlf.split("The passage holding", 1)[1]
    assert "64K, which suits" in passage and "QueueMax" not in passage
    assert lf.split("The passage holding", 1)[1].split(":", 1)[0] == passage.split(":", 1)[0]  # same lines


def test_a_passage_stays_in_one_file_or_item_and_is_numbered_within_it():
    items = [f"ticket {i}: printer jam on floor {i}" for i in range(10)]
    items.append("golf pool moved to rack 7\nport for the golf pool is 8066\nthreads 16")
    items.append("golf course booking for friday\nno port needed")
    look = orientation(items, "Which port does the golf pool use?")
    passage = look.text.split("The passage holding", 1)[1]
    assert "lines 1-3 in item 10:" in passage and "1| golf pool moved" in passage
    assert "friday" not in passage and "ticket 9" not in passage
    joined = ("# File: etc/a.conf\nalpha = 1\n\n# File: etc/b.conf\n[golf]\nworker pool\nport = 8066\n"
              "threads = 16\n\n[hotel]\nport = 9\n")
    passage = orientation(joined, "Which port does the golf pool listen on?").text.split("The passage holding", 1)[1]
    assert "lines 1-4 in etc/b.conf:" in passage and "# File" not in passage and "3| port = 8066" in passage


def test_a_line_cut_in_the_passage_was_not_read_past_its_cut():
    text = ("intro\n\n[golf]\nworker pool settings\ntoken = " + "x" * 6000 + " secret_token = hunter2\n"
            "port = 8066\n\n[hotel]\nport = 9\n")
    found = {"golf": (1.0, [text.index("golf")]), "pool": (1.0, [text.index("pool")]),
             "port": (1.0, [text.index("port = 8066"), text.index("port = 9")])}
    [passage] = best_passages(text, found)
    shown = passage_lines(text, passage, 160)
    long_line = next(row for row in shown if row[3].startswith("token"))
    assert long_line[3].endswith("...") and long_line[2] - long_line[1] == 157
    assert long_line[2] < text.index("hunter2")  # displayed up to the cut: not read past it


def test_a_short_or_partial_value_is_no_read_and_yes_no_only_for_a_yes_no_question():
    ini = "\n\n".join(f"[{name}]\nworker pool {name}\nlisten = {port}\nretries = -1\nsince = 2024-01-07"
                      for name, port in (("alpha", 7001), ("golf", 8066), ("hotel", 9090)))
    for guess in ("1", "07", "01"):  # written only inside "-1" and "2024-01-07"
        answer, sent = _first_turn_on(ini, f"FINAL({guess})", "Which port does the golf worker pool listen on?")
        assert len(sent) == 2 and "is a guess" in sent[1], guess
    answer, sent = _first_turn_on(ini, "FINAL(8066)", "Which port does the golf worker pool listen on?")
    assert answer == "8066" and len(sent) == 1
    answer, sent = _first_turn_on(ini, "FINAL(yes)", "Does the golf worker pool listen on 8066 or on 9090?")
    assert len(sent) == 2 and "is a guess" in sent[1]  # a choice, not a yes/no
    conf = "port 22\n\n# root login\n# whether root may log in with a password\nroot_login yes\n\nforwarding no\n"
    answer, sent = _first_turn_on(conf, "FINAL(yes)", "What is the root login setting in this config?")
    assert answer == "yes" and len(sent) == 1  # the passage writes it: read, though no yes/no question


def test_answering_yes_or_no_inside_the_question_is_not_the_answers_form():
    assert "answer yes or no" in asking_part("Did the installer answer yes or no to the overwrite prompt?")
    assert "yes" not in asking_part("Is the spool kept? Answer: yes or no.").lower()
    assert asked_sentence("What is the default, e.g. in seconds, of RuntimeMaxSec?").startswith("What is the default")
    assert answer_unit_words("Which file names are converted to lowercase?") == frozenset()


def test_yes_no_forms_and_questions_as_users_write_them():
    from recursor.question import asks_yes_no
    for question in ("Does journald set ForwardToSyslog? Please answer yes or no.", "Is compression on? Yes or no?"):
        assert "yes" not in asking_part(question).lower(), question
    for question in ("Does journald forward messages when the disk is full?", "Is there a line where the status is 500?",
                     "Is either nginx or apache installed?", "Does it compress or not?"):
        assert asks_yes_no(question), question
    for question in ("Does it compress, and on which port?", "Does it spool under /var or under /srv?",
                     "Which port does it use?"):
        assert not asks_yes_no(question), question
    assert asked_sentence("What is the block size (e.g. 4096 or 8192)? Answer with a number.") == \
        "What is the block size (e.g. 4096 or 8192)?"
    assert asked_sentence("Per sec. 3.2 of the manual, is compression enabled?").startswith("Per sec. 3.2")


def test_a_passage_is_shown_under_its_headings_and_a_default_number_is_looked_up():
    news = "\n\n".join(
        f"Noteworthy changes in release {v} ({d})\n{'=' * 48}\n\n* Improvements\n"
        + "\n".join(f"  * {line}" for line in lines)
        for v, d, lines in [
            ("6.1", "2022-12-12", ["Implemented decoding of the frob syscall.", "Updated lists of ioctl commands."]),
            ("6.0", "2022-10-29", ["Enhanced decoding of bpf syscalls.", "Updated lists of KVM_* constants."]),
            ("5.18", "2022-06-18", ["Added an interface of raising des Strausses awareness.",
                                    "Added --tips option to print strace tips, tricks, and tweaks\n    at the end.",
                                    "Updated lists of ioctl commands from Linux 5.18."]),
            ("5.17", "2022-03-26", ["Enhanced decoding of io_uring syscalls."])])
    question = "In which strace release was the --tips option added?"
    look = orientation(news, question)
    passage = look.text.split("The passage holding", 1)[1]
    # The release's heading is shown with it: in the passage (a heading alone is one with the
    # paragraph under it) or as what it is under.
    assert "Added --tips option" in passage and "Noteworthy changes in release 5.18 (2022-06-18)" in passage
    assert any("release 5.18 (2022-06-18)" in line for line in look.shown)  # the heading is read evidence
    assert reader_lines(look, question).startswith("The passage holding")  # the reader reads it first, headings and all
    assert "Noteworthy changes in release 5.18" in reader_lines(look, question).split("Lines with")[0]
    # "By default, how many ... does X do": a stated default, looked up in its paragraph.
    man = MAN.replace("QueueMax=", "ext4_queue_max=")
    asked = "By default, how many requests does ext4 keep waiting in its queue before it refuses clients?"
    assert "The passage holding" in orientation(man + "\n\n       ext4 is named here.\n", asked).text
    assert "The passage holding" not in orientation(MAN, "How many options are set by default?").text


def test_a_passage_across_a_heading_is_under_that_heading_and_default_counts_still_count():
    changelog = ("# Changelog\n\n## 6.1 (2024-03-01)\n\n- Added --color option to the summary output.\n"
                 "- Fixed a crash when the config file is empty.\n## 5.18 (2023-11-20)\n"
                 "- Added --tips option that prints a usage tip after each summary output.\n- Improved startup time.\n\n"
                 "## 5.17 (2023-08-02)\n- Dropped support for Python 3.7.\n"
                 + "\n".join(f"Filler line {i} about nothing in particular." for i in range(40)))
    look = orientation(changelog, "In which release was the --tips option added?")
    passage = look.text.split("The passage holding", 1)[1]
    assert "## 5.18 (2023-11-20)" in passage and "--tips option" in passage
    assert "## 6.1" not in passage.split("under:", 1)[-1]  # the heading above it is not the one it is under
    assert not look.passage_writes("6.1")
    for question in ("How many of the listed services does systemd start by default?",
                     "How many users in the file do not use the shell set by default?",
                     "How many options are on by default?"):
        assert not looks_up(question), question


def _commented_config() -> str:
    """A config file documented in one unbroken comment block, as Privoxy's and many others
    are: "#" lines, never a blank one, so the whole file is one long paragraph."""
    def setting(number: str, name: str, about: str, kind: str, default: str) -> list[str]:
        return ["#", f"#  {number}. {name}", "#  " + "=" * (len(name) + 4), "#", "#  Specifies:", "#",
                f"#      {about}", "#", "#  Type of value:", "#", f"#      {kind}", "#",
                "#  Default value:", "#", f"#      {default}", "#", "#  Notes:", "#",
                "#      Larger values use more memory but make fewer system calls.", "#"]
    rows = ["#  Sample configuration of the frob proxy", "#"]
    rows += setting("6.18", "keep-alive-timeout", "How long an idle client connection stays open.", "Seconds", "5")
    rows += setting("6.19", "receive-buffer-size", "The size of the buffer the proxy uses to receive data from the\n#      server.",
                    "Size in bytes", "5000")
    rows += setting("6.20", "listen-backlog", "The connection queue length of the listening socket.", "Number", "128")
    for n in range(21, 60):  # the other settings: "Default value:" on one line in twenty
        rows += setting(f"6.{n}", f"knob-{n}", f"Knob {n} of the proxy's scheduler.", "Number", str(n))
    return "\n".join(rows) + "\n"


def test_a_window_of_a_long_comment_block_reaches_down_to_the_default_below_it():
    # The block names the setting and says what it is in one 12-line window, and gives its
    # default in the next, six lines on: the two windows are one passage.
    text = _commented_config()
    look = orientation(text, "By default, how big (in bytes) is the buffer the proxy uses for the data it receives from servers?")
    passage = look.text.split("The passage holding", 1)[1]
    assert "receive-buffer-size" in passage and "Default value:" in passage and "5000" in passage
    assert "keep-alive-timeout" not in passage and "listen-backlog" not in passage  # never upwards, at most 24 lines
    found = {w: (1.0, [m.start() for m in re.finditer(w, text)]) for w in ("buffer", "receive")}
    [alone] = best_passages(text, found)  # no word below: the window is not widened
    assert alone.last - alone.first < 12


def test_a_passage_inside_a_changelog_entry_is_shown_with_the_entrys_first_line() -> None:
    # A GNU ChangeLog: a date-and-author line, a blank line, then the entry's items; the
    # paragraph that holds the question's words starts below the blank line, without the author.
    entries = []
    for day, author, title, body in [
        ("2022-04-07", "Jim Meyering  <jim@example.org>", "tests: add a test for the quoting bug",
         "* tests/quote-abuse: New file.\n\t* tests/Makefile.am (TESTS): Add it."),
        ("2022-04-06", "Lasse Collin  <lasse@example.org>", "zgrep: avoid exploit via multi-newline file names",
         "* zgrep.in: With several newlines in a file name the N-command reads\n\tthe second line and the "
         "escaping is skipped, so a crafted name runs code."),
        ("2022-04-05", "Paul Eggert  <paul@example.org>", "build: update gnulib", "* gnulib: update to latest."),
    ] * 12:
        entries.append(f"{day}  {author}\n\n\t{title}\n\t{body}\n")
    text = "\n".join(entries)
    look = orientation(text, "Who wrote the zgrep fix that stops file names with several newline characters from being exploited?")
    passage = look.text.split("The passage holding", 1)[1]
    assert "multi-newline" in passage and "its record starts: 2022-04-06  Lasse Collin" in passage
    assert "Jim Meyering" not in passage


def test_a_declaration_above_a_comment_is_no_record_line_to_show() -> None:
    # zlib.h: a function's declaration, then its documentation indented below; only a line
    # that dates or signs a record (a ChangeLog's author) is shown above a passage.
    decl = "\n".join(f"ZEXTERN int ZEXPORT frob{i} OF((z_streamp strm,\n                            int level));\n"
                     f"/*\n     Frob{i} sets the knob {i}.  Other text about level {i} and more words here.\n*/\n"
                     for i in range(20))
    body = ("ZEXTERN int ZEXPORT deflateInit2 OF((z_streamp strm,\n                                     int strategy));\n"
            "\n     The strategy parameter is used to tune the compression algorithm.  Use the\n"
            "     value Z_DEFAULT_STRATEGY for normal data, Z_FILTERED for filtered data, or\n"
            "     Z_RLE to limit match distances to one (run-length encoding).\n")
    look = orientation(decl + body + decl, "Which strategy value gives run-length encoding in deflate?")
    passage = look.text.split("The passage holding", 1)[1]
    assert "Z_RLE" in passage and "its record starts" not in passage


def test_a_heading_alone_is_one_passage_with_the_paragraph_under_it() -> None:
    # "### Limiting maximum redirects followed", a blank line, then one line that states the
    # limit: the heading says what the line is about, and one line alone is no passage.
    filler = "\n\n".join(f"Paragraph {i} talks about headers and bodies.\nIt follows on." for i in range(40))
    text = (f"# Guide\n\n{filler}\n\n### Limiting maximum redirects followed\n\n"
            "To change the default limit of maximum `30` redirects, use the `--max-redirects` option:\n\n"
            "## Other\n\nSomething about redirects and proxies.\nAnd more.\n")
    look = orientation(text, "When I tell it to follow redirects, how many will it follow at most unless I change the limit?")
    assert "Limiting maximum redirects followed" in look.text.split("The passage holding")[1]
    assert "default limit of maximum `30`" in look.text.split("The passage holding")[1]
    # The reader reads the passage first: after the rarest word's lines ("`3` (unless `--follow`
    # is set)"), the 1.5B read 3.
    question = "When I tell it to follow redirects, how many will it follow at most unless I change the limit?"
    assert reader_lines(orientation(text + "\nThe exit status will be `3` (unless `--follow` is set).\n", question),
                        question).startswith("The passage holding")
