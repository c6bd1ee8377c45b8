"""A sub-model reads the first look's lines for a look-up question (`recursor.look_reader`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.fakes.scripted_lm import FakeScriptedLM

from recursor import RLM, Limits
from recursor.errors import LMError
from recursor.look_reader import READ_TOKENS, looks_up, read_value, reader_lines
from recursor.orient import orientation
from recursor.prompts import Prompts
from recursor.prompts_small import SmallModelPrompts
from recursor.trace.tree import load_view

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


def test_a_look_up_is_read_but_a_count_total_ranking_list_or_choice_is_computed() -> None:
    for question in (QUESTION, "Which module defines class Codec?", "When was the most recent upgrade of gnupg?",
                     "What version did gnupg end up with?", "Who signed the oldest entry?",
                     "What port does IMAP over SSL use? Answer with a number.", "What is the port number IMAP uses?",
                     "What version was installed before the upgrade to 2.0?", "What is the best-effort timeout?",
                     "What compression level does gzip --best use?", "What is the default for the closest-mirror option?",
                     "What was the previous value before the change in 2.3.1?",
                     "How many seconds ahead of UTC is IST taken to be? Just the number.",
                     "How long is the default timeout?", "How many bytes does the header field take?",
                     "Which setting controls how long the SSH server waits for a user to finish logging in?",
                     "What option sets how many retries are made?"):
        assert looks_up(question), question
    for question in ("How many functions does it define?", "What is the number of flags?",
                     "Which package had the most status changes?", "Count the upgrades.",
                     "Which date saw the fewest installs?", "What is the total size?",
                     "What is the maximum memory used?", "What is the average response time?",
                     "Which is more common, errors or warnings?", "Which packages were removed?",
                     "List the packages that were removed.", "Is libfoo installed?", "What was the top error?",
                     "Which package was upgraded twice?", "Which package was installed but never removed?",
                     "What were the packages removed?", "Name the packages that were removed.",
                     "Which day had no errors?", "What changed in version 2.3.1?",
                     "Among the tests that passed, which one took the longest to run?",
                     "Which abbreviation is furthest ahead of UTC?",
                     "What was the last version number set before the start of 2005?",
                     "Which package was installed first after 2024-03-05?",
                     "How many days passed between the first and the last entry?",
                     "How many seconds did the tests take in total?", "How long did each test take on average?",
                     "How many bytes did the server send to 10.0.0.5?", "How long were the three outages together?",
                     "How many minutes of downtime were there in March?", "How many percent of the requests failed?",
                     "Which setting controls the most retries?",
                     "Which setting controls how long the server waits, and how many settings are there?"):
        assert not looks_up(question), question


def test_a_bound_a_unit_a_spec_states_and_a_scene_setting_clause_are_read_not_computed() -> None:
    # "At most how many" in the present or future asks for a limit one line states; so does a
    # unit a spec "makes up"; a leading "If ..., " clause sets the scene and filters nothing.
    for question in ("If I call Http.request without saying anything about redirects, at most how many redirects "
                     "will httplib2 follow?",
                     "How many retries will the client make at most?",
                     "When POSIXLY_CORRECT is not set, how many bytes make up one block in the sizes that -ls prints?",
                     "If I fetch from an FTP server without giving wget any username or password, what password "
                     "does it send?"):
        assert looks_up(question), question
    for question in ("At most how many times did the job fail in one day?",  # the past: a log's count
                     "If a request fails, how many times did the client retry each request?",
                     "How many requests did each client make at most?",  # "each": computed per client
                     "How many bytes did the server send?"):
        assert not looks_up(question), question


def test_only_a_value_the_context_lines_write_whole_is_read() -> None:
    lines = ("'maxsplit': 3 lines:\n1| [re/__init__.py] def split(pattern, string, maxsplit=0, flags=0):\n"
             "2| [ctypes/__init__.py] class PyDLL(CDLL):\n   its record:\n   . version 2.2.40-1.1 f(a | b)")
    assert read_value("0", lines, QUESTION) == "0"
    assert read_value("Answer: `ctypes`.", lines, "Where is PyDLL defined?") == "ctypes"  # the file, as a module
    assert read_value("re/__init__.py", lines, "Which file defines split?") == "re/__init__.py"
    assert read_value("NONE", lines, QUESTION) is None
    assert read_value("n/a", lines, QUESTION) is None
    assert read_value("7", lines, QUESTION) is None  # made up: no line writes it
    for label in ("3", "1", "2", "lines", "its record", "|"):  # the look's own words and row numbers
        assert read_value(label, lines, QUESTION) is None, label
    assert read_value("10", "1| maxsplit=100", QUESTION) is None  # inside another number, not written whole
    assert read_value("2.2.4", lines, "What version is it?") is None  # part of 2.2.40-1.1
    assert read_value("a", lines, "Which argument comes first?") is None  # a letter is no value
    assert read_value("PyDLL", lines, "Where is PyDLL defined? Name the module.") is None  # the question's own term
    assert read_value("It is 0 because the signature\nsays so", lines, QUESTION) is None  # prose, not a value
    assert read_value("x" * 90, "1| " + "x" * 100, QUESTION) is None
    changelog = "1| alsa-ucm-conf (1.2.8-1) unstable\n2|  -- Jordi Mallach <jordi@debian.org>  Mon, 2 Jan 2023"
    assert read_value("alsa-ucm-conf", changelog, "Whose name is on the oldest entry?") is None  # not a person
    assert read_value("Jordi Mallach", changelog, "Whose name is on the oldest entry?") == "Jordi Mallach"
    assert read_value("993", "1| imaps\t\t993/tcp", "Which port does IMAP over SSL use?") == "993"
    headed = "1| - New option --frobnicate\n   under: # Changelog > ## 2.3.1 (2024-01-15)"
    assert read_value("2.3.1", headed, "Which version added the --frobnicate option?") == "2.3.1"  # a heading above
    clipped = "1| [dpkg.log] ...zzz, gnupg:amd64 (2.2.40-1...\n   . Install: a (1), b (2) ... (57 items)"
    assert read_value("2.2.40-1", clipped, "What version is gnupg?") is None  # cut where the look clipped it
    assert read_value("57 items", clipped, "What does it install?") is None  # the look's own count
    assert read_value("10.0.0", "1| [10.0.0.7] connection refused", "Which host refused?") is None  # no file
    assert read_value("000", "1| paid 1,000 dollars", "What did it cost?") is None
    # A dict's or a mapping's key, written before ": value": whole. A time's hours, or a
    # package's name before its architecture, are no value written whole.
    keyed = '1|     0x0452: "cy_GB", # Welsh\n2| 10:30 libssl3:amd64 configured'
    assert read_value("0x0452", keyed, "Which identifier maps to Welsh?") == "0x0452"
    assert read_value("10", keyed, "At what hour?") is None
    assert read_value("libssl3", keyed, "Which library?") is None
    assert read_value("max_connections", "1| max_connections: 100", "What is the connection limit?") is None
    # A span asked for ("between which two dates") is read when each end is written whole.
    dated = "1| 2026-05-20 10:00:00 install nodejs 18.1\n2| 2026-09-22 11:00:00 upgrade nodejs 18.1 18.2"
    between = "Between which two dates was nodejs touched? Answer as YYYY-MM-DD to YYYY-MM-DD."
    assert read_value("2026-05-20 to 2026-09-22", dated, between) == "2026-05-20 to 2026-09-22"
    assert read_value("2026-05-20 to 2026-09-23", dated, between) is None  # one end made up
    assert read_value("2026-05-20 to 2026-09-22", dated, "When was nodejs installed?") is None  # no span asked
    assert read_value("18.1 to 18.2", dated, "Which package went from alpha to beta?") is None


def test_another_name_of_the_questions_subject_is_no_value_unless_a_name_is_asked() -> None:
    # Asked which power unit is defined in terms of the kilogram-force, the 1.5B read kgf, one of
    # the names pint's definition line gives the kilogram-force itself.
    lines = ("Lines with 'kilogram_force' (the question's 'kilogram-force'):\n"
             "1| force_kilogram = g_0 * kilogram = kgf = kilogram_force\n"
             "   'force_kilogram', of which it is another name: 2 lines, also:\n"
             "   . metric_horsepower = 75 * force_kilogram * meter / second")
    words = ("kilogram_force", "power")
    question = "Which power unit is defined in terms of the kilogram-force?"
    assert read_value("kgf", lines, question, words) is None
    assert read_value("force_kilogram", lines, question, words) is None
    assert read_value("metric_horsepower", lines, question, words) == "metric_horsepower"
    for asking_a_name in ("What is the symbol of the kilogram-force?", "What else is the kilogram-force called?"):
        assert read_value("kgf", lines, asking_a_name, words) == "kgf"
    # A plain assignment gives one name and a value: the value is read; so is a number at the
    # end of a chain, and a value of logfmt's key=value pairs (review).
    assert read_value("100", "1| max_power = 100", "What is the power limit?", ("power",)) == "100"
    assert read_value("30", "1| DEFAULT_TIMEOUT = timeout = 30", "What is the default timeout?", ("timeout",)) == "30"
    logfmt = "1| user=alice action=login ip=10.0.0.5"
    assert read_value("10.0.0.5", logfmt, "From which ip address did user alice log in?", ("alice", "user", "ip")) == "10.0.0.5"
    assert read_value("login", logfmt, "Which action did alice take?", ("alice", "action")) == "login"


def test_a_question_counting_different_values_of_each_is_computed_not_read() -> None:
    # "from exactly three different IP addresses": the reader read the first user's name.
    assert not looks_up("Which user account signed in successfully from exactly three different IP addresses?")
    assert not looks_up("Which host was reached on 4 separate days?")
    assert looks_up("Which user signed in from a different address?")  # no number of them


def test_a_stated_limits_maximum_number_of_is_read_not_counted() -> None:
    # "the maximum number of header fields gunicorn will accept": `default = 100` states it.
    assert looks_up("By default, what is the maximum number of HTTP header fields gunicorn will accept in a request?")
    assert not looks_up("What is the maximum number of requests any one client sent?")  # a ranking of counts
    assert not looks_up("How many header fields will gunicorn accept at most, summed over all workers?")


def test_a_question_of_two_steps_is_not_read() -> None:
    for question in ("Look up the codename of amber-pelican, then the launch code listed under that codename. What is it?",
                     "Which launch code is tied, through its codename, to spotted-raven?"):
        assert not looks_up(question), question
    assert looks_up("Which port do I open to let Kerberos requests through the firewall?")


def test_the_reader_is_given_whole_blocks_of_the_looks_lines_and_none_cut_for_an_order(
        monkeypatch: pytest.MonkeyPatch) -> None:
    look = orientation(SOURCE, QUESTION)
    lines = reader_lines(look, QUESTION)
    assert "def split(pattern, string, maxsplit=0, flags=0):" in lines
    assert "It has" not in lines  # the look's size and head are not lines holding the words
    # The look's labels say how many lines hold a word; the reader, asked a default, read that
    # count. It is given the word alone.
    assert "Lines with 'maxsplit':" in lines and "'maxsplit': 6 lines" in look.text
    assert not re.search(r"'maxsplit': \d", lines)
    relabelled = reader_lines(orientation("x", "y"), "y")  # no hits: nothing to read
    assert relabelled == ""
    from recursor.look_reader import _WORD_LABEL
    for label in ("'maxsplit': 6 sentences:", "'nologin' (the question's 'no-login'): 3 lines:",
                  "'a' and 'b' on one line: 1 line:", "'x': 5,000+ lines (written 'X' 4), the first and last:"):
        assert _WORD_LABEL.fullmatch(label), label
    log = "\n".join(f"2024-01-{i:02d} 10:00:00 install gnupg:amd64 <none> 2.2.{i}-1 " + "pad " * 40
                    for i in range(1, 11))
    first = "Which version of gnupg was installed first on this machine?"
    whole = reader_lines(orientation(log, first), first)
    assert "2.2.10-1" in whole and len(orientation(log, first).hits) > 1
    monkeypatch.setattr("recursor.look_reader.READ_CHARS", 600)  # the first block alone no longer fits
    assert reader_lines(orientation(log, first), first) == ""  # cut, its last rows would be missing
    which = "Which gnupg package was installed on 2024-01-03?"
    cut = reader_lines(orientation(log, which), which)
    monkeypatch.setattr("recursor.look_reader.READ_CHARS", 1_600)
    uncut = reader_lines(orientation(log, which), which)
    assert 0 < len(cut) <= 600 < len(uncut) and uncut.startswith(cut[:-3]) and cut.endswith("...")  # cut on a line's end


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
    shown = root.calls[1].messages[-1]["content"]
    assert "def split(pattern, string, maxsplit=0, flags=0)" in shown
    # Offered 0, the 1.5B printed that line and answered 3: the output writing 0 offers it again.
    assert "The output writes 0, the value read in the lines first shown." in shown and "\nFINAL(0)" in shown
    again = FakeScriptedLM(["```repl\nprint(lines('def split'))\n```", "```repl\nprint(lines('maxsplit'))\n```",
                            "FINAL(0)"])
    _run(again, FakeScriptedLM(["0"]))
    assert "The output writes 0" not in again.calls[2].messages[-1]["content"]  # once a run: not pushed again
    other = FakeScriptedLM(["```repl\nprint(lines('def escape'))\n```", "FINAL(0)", "FINAL(0)"])
    _run(other, FakeScriptedLM(["0"]))
    assert "The output writes 0" not in other.calls[1].messages[-1]["content"]  # "0" is not written there


def test_a_run_that_reaches_its_limit_with_no_answer_ends_on_the_value_read() -> None:
    # Offered the value read, the 1.5B ran one search until max_errors and then replied with
    # an empty block: the run ended with no answer at all.
    stuck = ["```repl\nprint(lines('nothing here'))\n```"] * 6 + ["```repl\n```"] * 3
    root = FakeScriptedLM(stuck)
    result = RLM(root, sub_model=FakeScriptedLM(["0"]), prompts=SmallModelPrompts(),
                 limits=Limits(max_iterations=4), trace_dir=False).complete(QUESTION, SOURCE)
    assert result.answer == "0" and result.stopped_by == "max_iterations"
    # Without a reading there is nothing to fall back on: no answer is made up.
    root = FakeScriptedLM(stuck)
    result = RLM(root, sub_model=FakeScriptedLM(["NONE"]), prompts=SmallModelPrompts(),
                 limits=Limits(max_iterations=4), trace_dir=False).complete(QUESTION, SOURCE)
    assert result.answer == ""
    # An answer given at the limit that is not the reading is asked once, with the reading;
    # given again, it is the answer.
    root = FakeScriptedLM([*stuck[:4], "FINAL(7)", "FINAL(7)"])
    result = RLM(root, sub_model=FakeScriptedLM(["0"]), prompts=SmallModelPrompts(),
                 limits=Limits(max_iterations=4), trace_dir=False).complete(QUESTION, SOURCE)
    assert result.answer == "7"
    assert "The lines first shown were read as 0." in root.calls[-1].messages[-1]["content"]
    # Offered 2.5, the 1.5B grepped until its errors ran out and answered another release: the
    # reading, asked for once more, is taken.
    root = FakeScriptedLM([*stuck[:4], "FINAL(7)", "FINAL(0)"])
    result = RLM(root, sub_model=FakeScriptedLM(["0"]), prompts=SmallModelPrompts(),
                 limits=Limits(max_iterations=4), trace_dir=False).complete(QUESTION, SOURCE)
    assert result.answer == "0" and len(root.calls) == 6
    # The reading given at the limit is taken at once.
    root = FakeScriptedLM([*stuck[:4], "FINAL(0)"])
    result = RLM(root, sub_model=FakeScriptedLM(["0"]), prompts=SmallModelPrompts(),
                 limits=Limits(max_iterations=4), trace_dir=False).complete(QUESTION, SOURCE)
    assert result.answer == "0" and len(root.calls) == 5


def test_an_output_written_back_at_the_limit_is_no_answer() -> None:
    # Told at the limit to reply FINAL(answer), the 1.5B wrote the search's whole listing back,
    # and that listing was the run's answer. It is no answer: the run falls back on the value read.
    search = "```repl\ngrep('maxsplit')\n```"
    probe = FakeScriptedLM([search, "FINAL(x)"])
    RLM(probe, sub_model=FakeScriptedLM(["NONE"]), prompts=SmallModelPrompts(), trace_dir=False).complete(
        QUESTION, SOURCE)
    shown = probe.calls[1].messages[-1]["content"].removeprefix("[repl output]\n").splitlines()
    copy = "\n".join(shown[:4])  # the grep's head and first hits, as the 1.5B wrote them back
    assert len(copy.splitlines()) == 4 and "maxsplit" in copy
    others = [f"```repl\ngrep({w!r})\n```" for w in ("escape", "purge", "flags")]
    root = FakeScriptedLM([*others, search] + [copy] * 3)
    result = RLM(root, sub_model=FakeScriptedLM(["0"]), prompts=SmallModelPrompts(),
                 limits=Limits(max_iterations=4), trace_dir=False).complete(QUESTION, SOURCE)
    assert result.stopped_by == "max_iterations" and result.answer == "0"
    # Written back during the run as well, the copy is not taken as the run's last prose either.
    again = "```repl\ngrep('maxsplit', max_hits=8)\n```"  # the same output, by code not run before
    root = FakeScriptedLM([*others, search, copy, again] + [copy] * 3)
    result = RLM(root, sub_model=FakeScriptedLM(["NONE"]), prompts=SmallModelPrompts(),
                 limits=Limits(max_iterations=6), trace_dir=False).complete(QUESTION, SOURCE)
    assert result.answer == ""
    # A listing of an earlier output, numbered rows and all, is no answer either.
    from recursor.turns import TurnState
    listing = "No line holds '2023'. Lines with the most rare words:\n1| * Fix CVE-2023-1\n   its record:\n" \
              "   . curl (7.88.1-10) bookworm\n2| -- Ann Lee  Sun, 10 Dec 2023\n... 29 more"
    assert TurnState(question=QUESTION).copies_output(listing)
    assert not TurnState(question=QUESTION).copies_output("The default is 0.\nIt is in re/__init__.py.")
    # A reply in words that is no copy is still an answer.
    root = FakeScriptedLM([search] * 4 + ["The default is 0."])
    result = RLM(root, sub_model=FakeScriptedLM(["NONE"]), prompts=SmallModelPrompts(),
                 limits=Limits(max_iterations=4), trace_dir=False).complete(QUESTION, SOURCE)
    assert result.answer == "The default is 0."


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


def test_the_reading_is_a_short_sub_call_the_budget_counts_and_the_trace_shows_before_turn_one(
        tmp_path: Path) -> None:
    sub = FakeScriptedLM(["0"])
    root = FakeScriptedLM(["```repl\nprint(lines('def split')[:1])\n```", "FINAL(0)"])
    result = RLM(root, sub_model=sub, prompts=SmallModelPrompts(), limits=Limits(max_iterations=6),
                 trace_dir=tmp_path).complete(QUESTION, SOURCE)
    assert result.answer == "0" and result.usage.total.calls == 3
    assert sub.calls[0].max_tokens == READ_TOKENS  # one value, never a minute of explanation
    assert result.trace_path is not None
    run = load_view(result.trace_path).root
    assert run is not None
    assert [it.number for it in run.iterations] == [1, 2]
    assert run.iterations[0].root_call is not None and len(run.iterations[0].sub_calls) == 1  # the reading
    assert len(run.iterations[0].cells) == 1 and run.iterations[1].root_call is not None


def test_no_reading_when_the_call_limit_leaves_no_room_or_the_answer_is_typed() -> None:
    sub = FakeScriptedLM(["0"])
    root = FakeScriptedLM(["FINAL(0)", "FINAL(0)"])  # unread, sent back once as a guess; given again, it stands
    tight = RLM(root, sub_model=sub, prompts=SmallModelPrompts(), limits=Limits(max_iterations=6, max_calls=2),
                trace_dir=False).complete(QUESTION, SOURCE)
    assert sub.calls == [] and tight.answer == "0"  # the root keeps both its calls
    few_tokens = RLM(FakeScriptedLM(["FINAL(0)"] * 2), sub_model=sub, prompts=SmallModelPrompts(),
                     limits=Limits(max_iterations=6, max_tokens=1_500), trace_dir=False).complete(QUESTION, SOURCE)
    assert sub.calls == [] and few_tokens.stopped_by == "max_tokens"  # what is left is the root's, not a reading's
    typed_root = FakeScriptedLM(['FINAL({"default": 0})'] * 2)
    typed = RLM(typed_root, sub_model=sub, prompts=SmallModelPrompts(), limits=Limits(max_iterations=6),
                trace_dir=False).complete(QUESTION, SOURCE, output_type={"type": "object"})
    assert sub.calls == [] and typed.output == {"default": 0}


MODULE = (
    "import os\n\n\n"
    "def first():\n    return 1\n\n\n"
    "class Shape:\n    def area(self):\n        return 0\n\n\n"
    "def second():\n    def inner():\n        pass\n    return inner\n"
)
CHANGELOG = "".join(
    f"pkg ({n}.0-1) unstable; urgency=medium\n\n  * Release {n}.\n\n -- {who} <{who.split()[0].lower()}@x.org>  "
    f"Mon, 0{n % 9 + 1} Jan 2024 10:00:00 +0000\n\n"
    for n, who in enumerate(["Ann Lee", "Bo Kim", "Ann Lee", "Cy Ng", "Ann Lee"], 1))
FILES = (f"# File: /usr/share/doc/pkg/changelog.Debian\n{CHANGELOG}"
         f"# File: /usr/share/doc/other/changelog.Debian\n{CHANGELOG.replace('Ann Lee', 'Di Fox')}")


def test_what_the_look_computed_for_a_plain_count_or_the_top_signer_is_offered_without_a_reading() -> None:
    asked = "How many functions are defined at module level in this file (not methods)?"
    assert orientation(MODULE, asked).counted == "2"
    assert orientation(MODULE, "How many classes does it define?").counted == "1"
    assert orientation(MODULE.replace("class Shape", "Shape = 1\nclass_ = 2\nif True:\n  class S"), "How many classes does it define?").counted == ""  # 0: no offer
    for other in ("How many functions and classes does it define?",  # two counts: no one answers
                  "How many more functions than classes does it define?",  # a comparison
                  "Which module defines the most functions?", "What does first() return?"):
        assert orientation(MODULE, other).counted == "", other
    top = "Who signed the most entries in the changelog of pkg?"
    assert orientation(FILES, top).counted == "Ann Lee"
    assert orientation(FILES, "Who signed the fewest entries in the changelog of pkg?").counted == ""
    tied = FILES.replace("Cy Ng", "Bo Kim").replace("Ann Lee", "Cy Ng", 1)  # Ann Lee 2, Bo Kim 2, Cy Ng 1
    assert orientation(tied, top).counted == ""  # a tie at the top ranks no one first
    licence = "".join(f"{n}. Title number {n}.\n\nText of the section.\n\n" for n in range(1, 8))
    assert orientation(licence, "How many numbered sections does this licence have?").counted == "7"
    assert orientation(licence, "Which section is the longest?").counted == ""

    sub = FakeScriptedLM([])
    root = FakeScriptedLM(["FINAL(2)"])
    assert _run(root, sub, asked, context=MODULE) == "2"
    assert sub.calls == [] and len(root.calls) == 1  # computed by the look: no reading, and no guess
    assert "Read in the lines above: 2. If that answers the question, reply with the line FINAL(2) now." in (
        root.calls[0].messages[-1]["content"])
    # Capable models are shown no look, so nothing is offered.
    capable = FakeScriptedLM(["```repl\nprint(len(lines(r'^def ')))\n```", "FINAL(2)"])
    assert _run(capable, sub, asked, prompts=Prompts(), context=MODULE) == "2"
    assert "Read in the lines above" not in capable.calls[0].messages[-1]["content"]
    # One changelog read alone (`recursor ask` on a file) is counted the same way.
    alone = orientation(CHANGELOG, "Who signed the most entries in this changelog?")
    assert alone.counted == "Ann Lee" and "Ann Lee 3, Bo Kim 1, Cy Ng 1; count_by(entries(), 'author')" in alone.text
    assert "Its entries are by" not in orientation(CHANGELOG, "What changed in 3.0-1?").text
    # "The most recent entry" is one entry: its signer is read there, not the top of a count.
    assert orientation(FILES, "Who signed the most recent entry in the changelog of pkg?").counted == ""


PARSER = (
    "import os\n\n\nclass Parser:\n    def parse(self):\n        def inner():\n            pass\n        return inner\n\n"
    "    def reset(self):\n        pass\n\n\nclass ParseError(Exception):\n    pass\n\n\n"
    'def load(path, mode="r", encoding=None):\n    return open(path)\n\n\ndef save(path):\n    load(path)\n\n\n'
    "async def fetch():\n    pass\n\n\ndef _helper():\n    pass\n"
)


@pytest.mark.parametrize("question", [
    "How many arguments does the function load take?", "How many functions call load?",
    "How many times is the function load called?", "How many lines long is the function load?",
    "How many nested functions are there?", "How many functions, including methods, does the module define?",
    "How many functions (including methods) does it define?", "How many async functions are defined?",
    "How many private functions are there?", "How many functions besides load are there?",
    "How many functions have a docstring?", "How many of the functions return a value?",
    "What does function load return in total?",
    "How many exception classes does the module define?",
    "How many functions and classes does it define?", "Which module defines the most functions?",
])
def test_a_look_count_is_offered_only_for_a_question_asking_just_that_count(question: str) -> None:
    # A hostile review found each of these offered the module's top-level count.
    assert orientation(PARSER, question).counted == "", question
    assert orientation(PARSER, "How many top-level functions does the module define?").counted == "4"
    assert orientation(PARSER, "How many methods does the class Parser have?").counted == "2"  # its own: no base
    assert orientation(PARSER, "Not counting methods or nested functions, how many functions are there?").counted == "4"


def test_a_look_count_of_one_file_is_not_offered_for_others_or_for_text_that_only_looks_numbered() -> None:
    modules = {"pkg/utils.py": "import os\n\ndef a():\n    pass\n",
               "pkg/helpers.py": "import re\n\ndef c():\n    pass\n\ndef d():\n    pass\n"}
    assert orientation(modules, "How many functions does helpers.py define?").counted == "2"
    for question in ("How many functions are defined in utils.py and helpers.py combined?",
                     "How many functions in the project call os?", "How many functions does the second module define?"):
        assert orientation(modules, question).counted == "", question
    assert orientation(list(modules.values()), "How many functions are there?").counted == ""  # a list is not one text
    contract = "".join(f"{n}. {t}\n\nText of it; the total fee is 12,000.\n\n"
                       for n, t in enumerate(["Scope", "Fees", "Term", "Termination"], 1))
    assert orientation(contract, "How many sections does this agreement have?").counted == "4"
    for question in ("What is the total fee in section 2?", "How many sections mention the fee?",
                     "How many subsections does section 1 have?"):
        assert orientation(contract, question).counted == "", question
    readme = "# Tool\n\n## Install\n\n1. Clone it.\n2. Build it.\n3. Test it.\n4. Start it.\n\n## Use\n\nRun it.\n"
    assert orientation(readme, "How many sections does the README have?").counted == ""  # steps, not sections
    nested = "1. Scope\n\n   1. One.\n   2. Two.\n   3. Three.\n   4. Four.\n\n2. Fees\n\n3. Term\n"
    assert orientation(nested, "How many numbered sections does the licence have?").counted == ""
    indented = "".join(f"   {line}\n" if line else "\n" for line in contract.split("\n"))  # a licence set in 3 spaces
    assert orientation(indented, "How many sections does this agreement have?").counted == "4"


def test_the_top_signer_is_offered_only_when_asked_just_that_and_no_one_could_tie() -> None:
    for question in ("Who fixed the most bugs in the changelog of pkg?", "Who signed the second most entries?",
                     "Who signed the most entries in 2024?", "Who signed the most entries in pkg and other combined?",
                     "Who signed the most-recent entry in the changelog of pkg?",
                     "Which maintainer signed the most entries besides Ann Lee?"):
        assert orientation(FILES, question).counted == "", question
    assert orientation(FILES, "Which person appears most often as the signer of pkg's changelog entries?").counted == (
        "Ann Lee")
    # "signed off" and "the largest number of" say just that too; another word still does not.
    assert orientation(CHANGELOG, "Which person signed off the largest number of uploads in this changelog?"
                       ).counted == "Ann Lee"
    assert orientation(CHANGELOG, "Which person signed off the largest number of security uploads?").counted == ""
    assert orientation(CHANGELOG, "Who signed the largest changelog entry?").counted == ""  # one entry's size
    # Ann Lee 3 to Bo Kim 1 leads; Ann Lee 2 to Bo Kim 1 with 2 entries no one is read as signing may not.
    assert orientation(CHANGELOG.replace(" -- Cy Ng <cy@x.org>", " -- the team"), "Who signed the most entries?"
                       ).counted == "Ann Lee"
    head, last = CHANGELOG.rsplit(" -- Ann Lee <ann@x.org>", 1)
    unsigned = (head + " -- the team" + last).replace(" -- Cy Ng <cy@x.org>", " -- the team")
    assert orientation(unsigned, "Who signed the most entries?").counted == ""


def test_a_look_count_survives_source_too_deep_to_parse() -> None:
    deep = "import os\n\ndef f():\n    pass\n\nx = 1" + " + 1" * 5000 + "\n"
    assert orientation(deep, "How many functions does the module define?").counted == ""  # no RecursionError


def test_only_whole_parts_of_the_outlined_files_name_pass_as_the_files_name() -> None:
    modules = {"pkg/callbacks.py": "import os\n\ndef a():\n    pass\n\ndef b():\n    pass\n",
               "pkg/other.py": "import re\n\ndef c():\n    pass\n"}
    assert orientation(modules, "How many functions does `pkg/callbacks.py` define?").counted == "2"
    assert orientation(modules, "How many functions does the callbacks module define?").counted == "2"
    assert orientation(modules, "How many functions does pkg.callbacks define?").counted == "2"
    # "call" is written in "callbacks.py" but names no part of it: the question asks something else.
    assert orientation(modules, "How many functions in callbacks.py call os?").counted == ""


def test_a_second_review_of_the_gate_other_sentences_brackets_methods_changes_and_folders() -> None:
    public = "import os\n\n\ndef _private():\n    pass\n\n\ndef helper():\n    pass\n\n\ndef run():\n    pass\n"
    assert orientation(public, "How many top-level functions does the module define?").counted == "3"
    for question in ("Ignore functions whose names start with an underscore. How many top-level functions does the "
                     "module define?", "How many top-level functions does the module define? Count only public ones.",
                     "How many top-level functions (not counting private ones) does the module define?"):
        assert orientation(public, question).counted == "", question
    # With methods in the module, "how many functions" may count them: only a top-level question is offered.
    assert orientation(PARSER, "How many functions are defined in this file?").counted == ""
    assert orientation(PARSER, "How many top-level functions are defined in this file?").counted == "4"
    for question in ("Who made the most changes in the changelog of pkg?",
                     "Who is the maintainer of pkg? Which version has the most changes?"):
        assert orientation(FILES, question).counted == "", question
    inner = "\n\n".join(f"{n}. Title {n}\n\nText." for n in range(1, 9)).replace(
        "5. Title 5\n\nText.", "5. Title 5\n\nYou may not:\n\n1. Copy it\n2. Modify it\n3. Sell it")
    assert orientation(inner, "How many sections does the document have?").counted == ""  # two runs restart at 1
    rst = "Tool\n====\n\nInstall\n-------\n\n1. Clone it\n2. Build it\n3. Test it\n4. Run it\n\nUse\n---\n\nRun.\n"
    assert orientation(rst, "How many sections does the document have?").counted == ""  # underlined headings
    tests = {"test/test_api.py": "import os\n\ndef test_a():\n    pass\n\ndef helper():\n    pass\n",
             "test/other.py": "import re\n"}
    assert orientation(tests, "How many functions does test/test_api.py define at top level?").counted == "2"
    assert orientation(tests, "How many test functions does test/test_api.py define?").counted == ""
    staff = "\n".join(f"2024-01-0{d} department meeting" for d in range(1, 6))
    assert "(written" not in orientation(staff, "How many employees departed in January?").text


def test_the_questions_own_term_given_again_after_the_echo_note_yields_to_the_value_read() -> None:
    # Asked which module defines `MiniFieldStorage`, "cgi" read in the look, the 1.5B answered
    # the class's name, was told it is the question's own term, and gave it again.
    context = "# File: cgi.py\nclass MiniFieldStorage:\n    pass\n" + "x = 1\n" * 50 + "# File: os.py\nclass Other:\n"
    question = "Which module in this tree defines the class `MiniFieldStorage`?"
    echo = "FINAL(MiniFieldStorage)"
    root = FakeScriptedLM(["```repl\nprint(lines('MiniFieldStorage'))\n```", echo, echo])
    assert _run(root, FakeScriptedLM(["cgi"]), question, context=context) == "cgi"
    assert "'MiniFieldStorage' is what the question asks about" in root.calls[2].messages[-1]["content"]
    # Nothing read: the one file that writes the term is the module asked for.
    root = FakeScriptedLM(["```repl\nprint(lines('MiniFieldStorage'))\n```", echo, echo])
    assert _run(root, FakeScriptedLM(["NONE"]), question, context=context) == "cgi"
    root = FakeScriptedLM(["```repl\nprint(lines('MiniFieldStorage'))\n```", echo, echo])
    assert _run(root, FakeScriptedLM(["NONE"]), question.replace("module", "file"), context=context) == "cgi.py"
    # Asked something else about it, nothing read: the answer given twice stands.
    other = "What does the class `MiniFieldStorage` hold? Name its attribute."
    root = FakeScriptedLM(["```repl\nprint(lines('MiniFieldStorage'))\n```", echo, echo])
    assert _run(root, FakeScriptedLM(["NONE"]), other, context=context) == "MiniFieldStorage"
    # Another answer than the question's term is the root's own, read value or not.
    root = FakeScriptedLM(["```repl\nprint(lines('MiniFieldStorage'))\n```", "FINAL(email)"])
    assert _run(root, FakeScriptedLM(["cgi"]), question, context=context) == "email"
    # A capable model's answer is taken as given: it heard no echo note.
    root = FakeScriptedLM(["```repl\nprint(lines('MiniFieldStorage'))\n```", echo])
    assert _run(root, FakeScriptedLM(["cgi"]), question, prompts=Prompts(), context=context) == "MiniFieldStorage"
    # An unmarked term may be the answer itself ("Which package did pip install last?": pip).
    question = "Which package did pip install most recently?"
    pip = "# File: pip.log\npip install requests\npip install pip\n" + "x\n" * 50 + "# File: b.log\nnothing\n"
    root = FakeScriptedLM(["```repl\nprint(lines('pip'))\n```", "FINAL(pip)", "FINAL(pip)"])
    assert _run(root, FakeScriptedLM(["requests"]), question, context=pip) == "pip"


def test_a_question_asking_which_module_is_read_only_as_a_file_the_lines_are_in() -> None:
    # The reader read "TreeItem", the base class on the class's line, for the module.
    lines = ("'ChildBrowserTreeItem': 2 lines:\n1| [idlelib/browser.py] class ChildBrowserTreeItem(TreeItem):\n"
             "2| [idlelib/tree.py]         return [ChildBrowserTreeItem(obj)")
    question = "Which module in this tree defines the class `ChildBrowserTreeItem`?"
    assert read_value("TreeItem", lines, question) is None
    assert read_value("idlelib.browser", lines, question) == "idlelib.browser"
    assert read_value("idlelib/browser.py", lines, "Where is it defined? Name the file.") == "idlelib/browser.py"
    # Not asked for the module that defines something, the same value is read.
    assert read_value("TreeItem", lines, "What is the base class of `ChildBrowserTreeItem`?") == "TreeItem"
    assert read_value("TreeItem", lines, "Which module-level class is `ChildBrowserTreeItem` based on?") == "TreeItem"


def test_a_count_of_the_subjects_lines_given_again_for_a_what_question_yields_to_the_value_read() -> None:
    # "What launch code belongs to the codename that calm-falcon was given? Answer with the number
    # only.": 7059171 read, the 1.5B printed the 1 line holding calm-falcon, answered 1, was told
    # that count answers the question only if it asks for exactly that, and gave 1 again.
    context = ("The project codename for calm-falcon is Obsidian. The sky is blue.\n" + "Filler line.\n" * 30
               + "The launch code for Obsidian is 7059171.\nThe launch code for Minotaur is 9191681.\n")
    question = "What launch code belongs to the codename that calm-falcon was given? Answer with the number only."
    search = '```repl\nrows = lines(r"\\bcalm-falcon\\b")\nprint(len(rows), rows[:2])\n```'
    root = FakeScriptedLM([search, "FINAL(1)", "FINAL(1)"])
    assert _run(root, FakeScriptedLM(["7059171"]), question, context=context) == "7059171"
    note = root.calls[2].messages[-1]["content"]
    assert "1 is how many lines hold 'calm-falcon'; the question does not ask how many" in note
    # Another answer after the note is the root's own; a question asking how many keeps the count.
    root = FakeScriptedLM([search, "FINAL(1)", "FINAL(9191681)"])
    assert _run(root, FakeScriptedLM(["7059171"]), question, context=context) == "9191681"
    counting = "How many lines name calm-falcon? Answer with the number only."
    root = FakeScriptedLM([search, "FINAL(1)", "FINAL(1)"])
    assert _run(root, FakeScriptedLM(["NONE"]), counting, context=context) == "1"
    # Nothing read: the count given twice stands.
    root = FakeScriptedLM([search, "FINAL(1)", "FINAL(1)"])
    assert _run(root, FakeScriptedLM(["NONE"]), question, context=context) == "1"


def test_a_count_of_the_subjects_lines_given_for_a_stated_limit_yields_to_the_value_read() -> None:
    # "What is the maximum number of dimensions this NumPy header allows for an array?": 64 read
    # in the look, the 1.5B counted the 19 lines holding 'dimensions' and answered 19 twice. A
    # limit's "number of" counts nothing; a question counting lines keeps its count.
    context = ("/* an array of dimensions is kept in one block */\n" * 3 + "int nd; /* number of dimensions */\n"
               + "Filler line.\n" * 30 + "#define NPY_MAXDIMS 64\n" + "npy_intp dimensions[NPY_MAXDIMS];\n")
    question = "What is the maximum number of dimensions this header allows for an array?"
    search = '```repl\nrows = lines(r"\\bdimensions\\b")\nprint(len(rows), rows[:2])\n```'
    root = FakeScriptedLM([search, "FINAL(5)", "FINAL(5)"])
    assert _run(root, FakeScriptedLM(["64"]), question, context=context) == "64"
    assert "5 is how many lines hold 'dimensions'; the question does not ask how many" in root.calls[2].messages[-1]["content"]
    counting = "What is the number of lines that mention dimensions?"
    root = FakeScriptedLM([search, "FINAL(5)", "FINAL(5)"])
    assert _run(root, FakeScriptedLM(["64"]), counting, context=context) == "5"


def test_a_value_read_where_nothing_ties_it_to_the_questions_subject_is_not_offered() -> None:
    # Asked which launch code fierce-wagon's codename is filed under, the 1.5B read the one
    # launch code the look showed, Verbena's: its line shares nothing rare with fierce-wagon's.
    filler = "The grass is green. The sky is blue. " * 40
    context = (filler + "The project codename for fierce-wagon is Albatross. " + filler
               + "The launch code for Verbena is 4954259. " + filler + "The launch code for Albatross is 8432787. ")
    question = ("fierce-wagon goes by a codename, and a launch code is filed under that codename. "
                "Which launch code is it? Answer with the number only.")
    lines = ("Lines with 'fierce-wagon':\n1| ...The grass is green. The project codename for fierce-wagon is "
             "Albatross. The grass is green...\nLines with 'launch':\n1| ...The sky is blue. The launch code "
             "for Verbena is 4954259. The grass is green...")
    assert read_value("4954259", lines, question) == "4954259"  # no context: not checked
    words = ("fierce-wagon", "codename", "launch")
    assert read_value("4954259", lines, question, words, context) is None
    # Tied by a rare word both lines write (the codename), or written on the subject's own line.
    tied = lines.replace("Verbena is 4954259", "Albatross is 8432787")
    assert read_value("8432787", tied, question, words, context.replace("Verbena", "Albatross")) == "8432787"
    own = "Lines with 'fierce-wagon':\n1| fierce-wagon's launch code is 8432787."
    assert read_value("8432787", own, question, words, own) == "8432787"
    # In one passage with the subject's line, a value is tied: a paragraph is one thing.
    passage = ("The passage holding the most of the question's words ('fierce-wagon', 'launch'), lines 3-4:\n"
               "3| Project fierce-wagon.\n4| Its launch code is 8432787.")
    assert read_value("8432787", passage, question, words, context) == "8432787"
    # A passage whose line naming the subject the look cut short still holds it: its label says so.
    clipped = ("The passage holding the most of the question's words ('libprocps8', 'session'), lines 12-15 in "
               "/var/log/apt/history.log:\n12| Start-Date: 2025-06-24  14:37:36\n14| Install: fontconfig:amd64 "
               "(2.14.1-4, automatic), libcups2:amd64 (2.4.2-3+deb12u8, automatic), libxcb...\n"
               "Lines with 'libprocps8':\n1| ...libxcb-glx0:amd64 (1.15-1, automatic), libprocps8:amd64 (2:4.0.2-3...")
    asked = "At what date and time did apt begin the session in which it installed libprocps8?"
    history = ("Start-Date: 2025-06-24  14:37:36\nInstall: libprocps8:amd64 (2:4.0.2-3), libxcb-glx0:amd64 (1.15-1)\n"
               + "Install: fontconfig:amd64 (2.14.1-4, automatic), libcups2:amd64 (2.4.2-3+deb12u8, automatic)\n" * 20)
    assert read_value("2025-06-24  14:37:36", clipped, asked, ("libprocps8", "session"), history) == "2025-06-24  14:37:36"
    # Two passages' labels tie nothing ("passage", "holding" are the look's words, not the text's).
    two = ("The passage holding the most of the question's words ('fierce-wagon', 'codename'), lines 1-1:\n"
           "1| The project codename for fierce-wagon is Albatross.\n"
           "The passage holding the most of the question's words ('launch', 'code'), lines 9-9:\n"
           "9| The launch code for Verbena is 4954259.")
    assert read_value("4954259", two, question, words, context) is None
    # A first word no key ("version", written on many lines) says not which thing is meant: no check.
    assert read_value("4954259", lines, question, ("version", "fierce-wagon"), context) == "4954259"
    # An everyday subject ties nothing down, and a subject the lines never show checks nothing.
    assert read_value("4954259", lines, question, ("the", "is"), context) == "4954259"
    assert read_value("4954259", lines.split("Lines with 'launch'")[1], question, words, context) == "4954259"
    # Each of the question's words written no more often than its first is what it is about:
    # X11 ranks first as a key, and the baht's line holds "baht", written once.
    header = ("/* The X11 Window System Protocol */\n/* libraries of X11 */\n"
              "#define XK_Thai_baht 0x0ddf  /* U+0E3F THAI CURRENCY SYMBOL BAHT */\n")
    shown = ("Lines with 'X11':\n1| /* The X11 Window System Protocol */\n2| /* libraries of X11 */\n"
             "Lines with 'baht':\n1| #define XK_Thai_baht 0x0ddf  /* U+0E3F THAI CURRENCY SYMBOL BAHT */")
    keysym = "What keysym value does X11 assign to the Thai baht currency sign?"
    assert read_value("0x0ddf", shown, keysym, ("X11", "baht", "currency"), header) == "0x0ddf"
    # A key the context writes rarely names the row asked about, though written more often than
    # the first word: UTC is written once, IST on 4 lines, and the value is on IST's row.
    zones = ("# CONFLICT! IST is not unique\n# - IST: Irish Standard Time (Europe)\n"
             "# - IST: Indian Standard Time (Asia)\nIST      7200    # Israel Standard Time\n"
             "UTC         0    # Coordinated Universal Time\n" + "ZZT    3600    # Filler Time\n" * 20)
    rows = ("Lines with 'UTC':\n1| UTC         0    # Coordinated Universal Time\nLines with 'IST':\n"
            + "".join(f"{n}| {line}\n" for n, line in enumerate(zones.splitlines()[:4], 1)))
    ahead = "How many seconds ahead of UTC is IST taken to be? Just the number."
    assert read_value("7200", rows, ahead, ("UTC", "IST", "zone"), zones) == "7200"
    # A key written more often than that is no subject: its rows tie nothing down.
    crowded = zones + "IST is mentioned here\n" * 12
    assert read_value("7200", rows, ahead, ("UTC", "IST", "zone"), crowded) is None


def test_a_count_for_a_question_asking_how_often_in_other_words_stands() -> None:
    # "How frequently ...? Answer with a number." asks a count without "how many": the count of
    # the lines given twice is the answer, not the reader's pid.
    context = "kernel: OOM killer invoked for pid 4321\n" * 2 + "kernel: all good\n" * 30
    question = "How frequently was the OOM killer invoked? Answer with a number."
    search = '```repl\nrows = lines("OOM")\nprint(len(rows), rows[:2])\n```'
    root = FakeScriptedLM([search, "FINAL(2)", "FINAL(2)"])
    assert _run(root, FakeScriptedLM(["4321"]), question, context=context) == "2"


def test_a_tables_rows_are_given_to_the_reader_cell_by_column_name() -> None:
    rows = [f"{c},{k},{y},{40 + i % 7}.5,{1000 + i * 37},{300 + i}.25"
            for i, (c, k) in enumerate([("Nigeria", "Africa"), ("Chile", "Americas"), ("Nepal", "Asia")] * 1)
            for y in (1982, 1987, 1992, 1997)]
    csv_text = "country,continent,year,lifeExp,pop,gdpPercap\n" + "\n".join(rows) + "\n"
    question = "According to this table, what was Nigeria's population in 1992?"
    look = orientation(csv_text, question)
    assert look.header == ("country", "continent", "year", "lifeExp", "pop", "gdpPercap") and look.sep == ","
    lines = reader_lines(look, question)
    # The bare row says not which of its numbers is the population; by name, pop=1000 is.
    assert "country=Nigeria; continent=Africa; year=1992; lifeExp=40.5; pop=1000; gdpPercap=300.25" in lines
    assert "Nigeria,Africa,1992" not in lines
    header = look.header
    assert read_value("1000", lines, question, header=header) == "1000"
    assert read_value("pop=1000", lines, question, header=header) == "1000"  # the reader's name= is no part of it
    for wrong in ("pop", "country", "lifeExp=40.5; pop=1000", "Africa; year"):
        assert read_value(wrong, lines, question, header=header) is None, wrong
    # Checked as the text writes the rows: a column's name, on every row, ties no row to another.
    assert read_value("1000", lines, question, look.words, csv_text, header) == "1000"
    ports = "hostname,service,portnum,maintainer\n" + "\n".join(
        f"srv-{i:04d},{'http' if i == 42 else 'ssh'},{2000 + i},team{i % 3}" for i in range(60)) + "\n"
    asked = "Which port does srv-0042 use for ssh?"
    look = orientation(ports, asked)
    shown = reader_lines(look, asked)
    assert "Lines with 'ssh'" not in shown  # on 59 lines: an everyday word, whose first lines locate nothing
    assert "hostname=srv-0042; service=http; portnum=2042" in shown
    assert read_value("2001", shown, asked, look.words, ports, look.header) is None  # another host's port
    prose = "alpha beta gamma\n" * 5 + "the Nigeria line, 1992, 47.5\n"
    assert orientation(prose, question).header == ()  # no table: its lines are given as written
    assert "the Nigeria line, 1992, 47.5" in reader_lines(orientation(prose, question), question)


def test_a_document_called_a_list_or_a_measure_counted_from_its_start_is_still_a_look_up() -> None:
    assert looks_up("What three-letter code does this list give to Sindarin, Tolkien's Elvish language?")
    assert looks_up("In /proc/[pid]/stat, which field number holds the time at which the process started, "
                    "counted from system boot?")
    assert looks_up("What port does the list assign to IMAP?")
    for question in ("List the packages removed.", "What is in the list of removed packages?",
                     "What does the list contain?", "What names does the list give?", "How long is the list?",
                     "What is the size of this list?", "What languages appear in the list below?",
                     "Which packages does this list all?", "How many seconds, counted from boot, did it take?",
                     "Which entries are counted twice?"):
        assert not looks_up(question), question


def test_a_passage_is_given_to_the_reader_without_the_texts_line_numbers() -> None:
    page = "\n".join(f"filler line {i} about nothing much" for i in range(1400))
    spec = (page + "\n\n(21) itrealvalue  %ld\n       The time in jiffies before the next SIGALRM.\n\n"
            "(22) starttime  %llu\n       The time the process started after system boot.\n\n" + page)
    question = "Which field number holds the time the process started after system boot?"
    look = orientation(spec, question)
    assert any(hit.startswith("The passage holding") for hit in look.hits)
    assert re.search(r"\n1,?40\d\| \(22\) starttime", look.text)  # the root's look still numbers its lines
    lines = reader_lines(look, question)
    assert "| (22) starttime  %llu" in lines
    assert not re.search(r"1,?40\d|^\s*\d+\|", lines, re.MULTILINE)  # no line or row number to take for the field's
    assert read_value("22", lines, question) == "22"
    assert read_value("starttime", lines, question) == "starttime"


def test_a_value_of_another_shape_than_asked_is_the_one_the_lines_write_in_it() -> None:
    lines = ("Lines with 'Switzerland':\n|       \"name\": \"Switzerland\",\n   its record:\n   .     {\n"
             "   .       \"alpha_2\": \"CH\",\n   .       \"alpha_3\": \"CHE\",\n   .       \"numeric\": \"756\",")
    three = "What's the three-letter country code for Switzerland according to this file?"
    assert read_value("CH", lines, three) == "CHE"  # the reader read the two-letter code beside it
    assert read_value("CH", lines, "What is the two-letter code of Switzerland?") == "CH"
    assert read_value("CH", lines, "What is the three-digit numeric code of Switzerland?") == "756"
    bare = "Lines with 'Norway':\n| Norway,NO,NOR,Oslo"
    assert read_value("NO", bare, "What is Norway's three-letter code?") == "NOR"
    two = "Lines with 'x':\n| x,AB,ABC,ABD"
    assert read_value("AB", two, "What is x's three-letter code?") is None  # two of that shape: which one?


def test_a_shape_that_names_the_key_or_a_count_is_no_shape_of_the_answer() -> None:
    line = "Lines with 'LHR':\n| LHR  London Heathrow Airport  EGLL"
    assert read_value("London Heathrow Airport", line, "Which airport has the three-letter code LHR?") == (
        "London Heathrow Airport")
    row = "Lines with 'DEU':\n| Germany DEU Euro"
    assert read_value("Euro", row, "What currency does the country with three-letter code DEU use?") == "Euro"
    ext = "Lines with 'extension':\n| alice extension 4021\n| bob extension 12"
    assert read_value("2", ext, "How many employees have a four-digit extension?") != "4021"


def test_a_manual_section_number_is_no_value() -> None:
    lines = ("Lines with 'stat':\n|        Status information about the process.  This is used by ps(1).\n"
             "The passage holding the most of the question's words:\n| (22) starttime  %llu\n"
             "|        The time the process started after system boot.")
    question = "Which field number holds the time at which the process started, counted from system boot?"
    assert read_value("1", lines, question) is None  # the "1" of ps(1)
    assert read_value("22", lines, question) == "22"


def test_the_rarest_words_block_is_given_after_a_passage_and_a_tagged_tables_rows_by_name() -> None:
    from recursor.orient import Orientation
    look = Orientation("", (), hits=("The passage holding the most of the question's words ('maxsplit', 'split'), lines 1-2:\n"
                                     "1| def split(pattern, string, maxsplit=0):",
                                     "'maxsplit': 25 lines, the first and last:\n1| re.split(p, s, maxsplit=0, flags=0)",
                                     "'split': 90 lines, the first and last:\n1| x.split()"))
    lines = reader_lines(look, "What is the default of maxsplit?")
    assert "re.split(p, s, maxsplit=0, flags=0)" in lines and "x.split()" not in lines
    log = "import time: self [us] | cumulative | imported package\n" + "".join(
        f"import time: {100 + i:>9} | {300 + i:>10} | mod{i}\n" for i in range(30))
    asked = "How long did mod7 take to import?"
    shown = reader_lines(orientation(log, asked), asked)
    assert "self [us]=107; cumulative=307; imported package=mod7" in shown and "=import time" not in shown


def test_at_most_over_the_texts_records_is_a_maximum_computed_not_a_bound_read() -> None:
    for question in ("At most how many packages does one apt run install?",
                     "At most how many errors does any one host have?",
                     "At most how many users are logged in at the same time?"):
        assert not looks_up(question), question


def test_the_reader_is_told_when_the_answer_is_a_persons_name() -> None:
    # Asked whose name is on a changelog entry, the 1.5B read the package's name; told the
    # answer is a person's name, the signer's. Other questions keep the plain ask.
    lines = "| libfoo (1.2-1) unstable\n   .  -- Ada Lovelace <ada@example.org>  Mon, 01 Jan 2024"
    person = Prompts().look_reading("In libfoo's changelog, whose name is on the entry for 1.2-1?", lines)
    assert "The answer is a person's name. Reply with only that name" in person
    value = Prompts().look_reading("What version is the entry dated 1 January 2024?", lines)
    assert "person" not in value and "Reply with only the answer to the question" in value
    for prompt in (person, value):
        assert prompt.endswith("If none of these lines holds it, reply with only: NONE")
        assert lines in prompt


def test_a_run_stopped_by_errors_after_an_offer_ends_on_it_without_asking_again() -> None:
    # In 68 stops by errors of recorded runs that had a value offered, the answer-now turn gave
    # code again or the value offered: each ended on the value, 25-50 s later. It ends at once.
    repeats = ["```repl\nprint(lines('nothing here'))\n```"] * 12
    root = FakeScriptedLM(repeats)
    result = RLM(root, sub_model=FakeScriptedLM(["0"]), prompts=SmallModelPrompts(),
                 limits=Limits(max_iterations=12, max_errors=3), trace_dir=False).complete(QUESTION, SOURCE)
    assert result.answer == "0" and result.stopped_by == "max_errors"
    assert not any(str(c.messages[-1]["content"]).startswith("Stop:") for c in root.calls)  # no answer-now turn
    # With nothing offered, the answer-now turn is still asked.
    root = FakeScriptedLM([*repeats, "FINAL(3)"])
    result = RLM(root, sub_model=FakeScriptedLM(["NONE"]), prompts=SmallModelPrompts(),
                 limits=Limits(max_iterations=12, max_errors=3), trace_dir=False).complete(QUESTION, SOURCE)
    assert result.stopped_by == "max_errors"
    assert any(str(c.messages[-1]["content"]).startswith("Stop:") for c in root.calls)
