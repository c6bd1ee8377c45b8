"""A ranking by count over a log's columns (`recursor.log_columns`), alone and in the look.

The logs are generated here in the shape of a package manager's log (date, time, action, name,
versions) and of an application log whose message is free text; the questions are phrased as
a user asks them, not with the log's words.
"""

from __future__ import annotations

import random
import re

from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM
from recursor.budget import Limits
from recursor.log_columns import column_count, column_rank
from recursor.orient import orientation
from recursor.prompts_small import SmallModelPrompts

STATES = ("half-installed", "unpacked", "half-configured", "installed")


def package_log(seed: int = 3, busiest: str = "libbusy7:amd64", changes: int = 9) -> str:
    """A dpkg-shaped log: each package installed on one of three days, its state lines after its
    install line; `busiest` goes through its states `changes` times in all, every other
    package at most four times."""
    rng = random.Random(seed)
    days = ("2025-03-02", "2025-03-09", "2025-04-11")
    out = []
    for n in range(60):
        name = f"lib{rng.choice('abcdefgh')}{n}-{rng.randint(1, 9)}:amd64"
        day = days[0] if n < 10 else days[1] if n < 45 else days[2]  # the second day installs the most
        out.append(f"{day} 10:{n % 60:02d}:00 install {name} <none> {rng.randint(1, 9)}.{n}-1")
        for state in STATES[: rng.randint(1, 4)]:
            out.append(f"{day} 10:{n % 60:02d}:01 status {state} {name} {rng.randint(1, 9)}.{n}-1")
        if n in (0, 10, 45):  # once a day
            out.append(f"{day} 10:{n % 60:02d}:02 startup packages configure")
        out.append(f"{day} 10:{n % 60:02d}:02 configure {name} {n}.0-1 <none>")
    out += [f"2025-04-12 08:00:{i:02d} status {STATES[i % 4]} {busiest} 1:2.{i}" for i in range(changes)]
    return "\n".join(out)


def test_the_name_most_often_in_the_lines_a_word_marks_is_the_top() -> None:
    log = package_log()
    ranked = column_rank(log, "Which package went through the most status changes?", ["status"], ["package", "changes"])
    assert ranked is not None
    assert ranked.top == "libbusy7:amd64"
    row = ranked.rows[0]
    assert "column 2 'status'" in row and "by column 4: libbusy7:amd64 on 9 lines" in row
    assert "count_by([r for r in lines() if cols(r)[2:3] == ['status']], 4)" in row
    # Where the top was read: its own lines, for the run's evidence.
    assert [log[a:b] for a, b in ranked.spans][:2] == ["2025-04-12 08:00:00 status half-installed libbusy7:amd64 1:2.0",
                                                       "2025-04-12 08:00:01 status unpacked libbusy7:amd64 1:2.1"]


def test_a_day_is_ranked_by_the_dates_the_lines_write() -> None:
    ranked = column_rank("# File: /var/log/dpkg.log\n" + package_log(), "On which day did dpkg install the largest number of packages by hand?",
                         ["dpkg", "install", "packages"], ["day", "largest", "number", "hand"], [("/var/log/dpkg.log", 0)])
    assert ranked is None  # "by hand" is not in the log: it may decide
    headed = "# File: /var/log/dpkg.log\n" + package_log()
    ranked = column_rank(headed, "On which day did dpkg install the largest number of packages?",
                         ["dpkg", "install", "packages"], ["day", "largest", "number"], [("/var/log/dpkg.log", 0)])
    # "dpkg" names the log's own file; "packages" (in "startup packages configure") is what
    # is counted, not which lines.
    assert ranked is not None and ranked.top == "2025-03-09"
    assert "Of the 60 lines with column 2 'install' (columns counted from 0), by date: 2025-03-09 on 35" in ranked.rows[0]
    assert column_rank(package_log(), "Which date saw the largest number of installs?", ["installs"], ["date", "largest",
                                                                                                      "number"]) is not None
    # "installed" is the state `installed` and, as `install`, the action: which is asked is not guessed.
    assert column_rank(package_log(), "Which day had the most packages installed?", ["installed", "packages"],
                       ["day"]) is None


def test_a_tie_at_the_top_ranks_nothing() -> None:
    # Two packages with the same number of state lines, more than any other.
    log = package_log(changes=9) + "\n" + "\n".join(
        f"2025-04-12 09:00:{i:02d} status {STATES[i % 4]} librival:amd64 2.{i}" for i in range(9))
    assert column_rank(log, "Which package had the most status changes?", ["status"], ["package", "changes"]) is None


def test_questions_that_do_not_rank_by_count_get_nothing() -> None:
    log = package_log()

    def rank(question: str, found: list[str], missing: list[str] = ()) -> object:  # type: ignore[assignment]
        return column_rank(log, question, found, ["package", "changes", *missing])

    assert rank("Which package had the most status changes?", ["status"]) is not None
    assert rank("Which package had a status change most recently?", ["status"]) is None
    assert rank("Which package has the highest version?", ["package"]) is None
    assert rank("How many status changes are there?", ["status"]) is None
    # Not the top, not a count of lines, or more than the columns say: nothing.
    assert rank("Which package had the second most status changes?", ["status"], ["second"]) is None
    assert rank("Which package had at most 2 status changes?", ["status"]) is None
    assert rank("Which packages had the most status changes?", ["status"]) is None
    assert rank("Which package had the most status changes on 2025-04-12?", ["2025-04-12", "status"]) is None
    assert rank("Which package had the most status changes in April 2025?", ["status"], ["april"]) is None
    assert rank("Which package had the most status changes yesterday?", ["status"], ["yesterday"]) is None
    assert rank("Which package had the most status changes, not counting libbusy7?", ["libbusy7", "status"]) is None
    assert rank("In which month were the most status changes?", ["status"], ["month"]) is None
    assert rank("Which package spent the most time in half-configured status?", ["half-configured", "status"],
                ["time", "spent"]) is None


def test_free_text_after_the_columns_is_not_a_column_of_names() -> None:
    rng = random.Random(5)
    words = "Connection refused timed out reset by peer Retrying later Disk almost full Queue backed up".split()
    log = "\n".join(
        f"2025-05-0{rng.randint(1, 9)}T10:00:{i % 60:02d} web{rng.randint(1, 3)} "
        f"{rng.choice(['ERROR', 'INFO'])} {' '.join(rng.sample(words, rng.randint(2, 6)))}"
        for i in range(300))
    assert column_rank(log, "Which message was logged with the most errors?", ["errors"], ["message", "logged"]) is None


def test_the_look_offers_the_top_and_a_run_can_answer_it_at_once() -> None:
    log = package_log()
    question = "Which package had the most status changes in this log?"
    look = orientation(log, question)
    assert look.counted == "libbusy7:amd64"
    assert "libbusy7:amd64 on 9 lines, the most" in look.text
    assert look.shows("2025-04-12 08:00:07 status installed libbusy7:amd64 1:2.7")
    # The first message offers the value as read in the look; a root that gives it back is done.
    root = FakeScriptedLM(["FINAL(libbusy7:amd64)"])
    result = RLM(root, prompts=SmallModelPrompts(), limits=Limits(max_iterations=3), mode="rlm",
                 trace_dir=False).complete(question, log)
    assert result.answer == "libbusy7:amd64"
    first = root.calls[0].messages[-1]["content"]
    assert "libbusy7:amd64" in first and len(root.calls) == 1


def test_the_call_the_look_shows_counts_the_same_in_the_sandbox() -> None:
    log = package_log()
    question = "Which day saw the most package installs?"
    outputs: list[str] = []

    def copy_the_call(messages: list[dict[str, str]]) -> str:
        call = re.search(r"(count_by\(.*\)) counts them", messages[-1]["content"])
        assert call is not None
        return f"```repl\n{call.group(1)}\n```"

    def answer(messages: list[dict[str, str]]) -> str:
        outputs.append(messages[-1]["content"])
        return "FINAL(2025-03-09)"

    root = FakeScriptedLM([copy_the_call, answer])
    result = RLM(root, prompts=SmallModelPrompts(reads_the_look=False), limits=Limits(max_iterations=4),
                 mode="rlm", trace_dir=False).complete(question, log)
    assert result.answer == "2025-03-09"
    assert "count_by: 60 items, 3 values\n2025-03-09: 35\n" in outputs[0]


def upgrade_log() -> str:
    """package_log with upgrades on two days: four packages on 2025-05-01, one of them twice."""
    ups = [("2025-05-01", "libc6:amd64"), ("2025-05-01", "libssl3:amd64"), ("2025-05-01", "zlib1g:amd64"),
           ("2025-05-01", "perl:amd64"), ("2025-05-02", "libc6:amd64"), ("2025-05-02", "perl:amd64")]
    rows = []
    for n, (day, name) in enumerate(ups):
        rows += [f"{day} 09:00:{n:02d} upgrade {name} 1.{n}-1 1.{n}-2",
                 f"{day} 09:00:{n:02d} status half-configured {name} 1.{n}-2",
                 f"{day} 09:00:{n:02d} configure {name} 1.{n}-2 <none>"]
    return package_log() + "\n" + "\n".join(rows)


def test_lines_writing_each_word_in_a_column_are_counted() -> None:
    log = upgrade_log()
    counted = column_count(log, "How many packages got upgraded on 2025-05-01?", ["2025-05-01", "upgraded"], [])
    assert counted is not None and counted.count == 4
    assert counted.rows[0].startswith("Lines with column 0 '2025-05-01' and column 2 'upgrade' (columns counted from 0): 4.")
    assert "len([r for r in lines() if cols(r)[0:1] == ['2025-05-01'] and cols(r)[2:3] == ['upgrade']])" in counted.rows[0]
    # A name is a column wherever its line puts it; "configured" is the action `configure`.
    times = column_count(log, "How many times was perl configured?", ["perl", "configured"], ["times"])
    assert times is not None and times.count == 2
    assert "len([r for r in lines() if 'perl:amd64' in cols(r) and cols(r)[2:3] == ['configure']])" in times.rows[0]
    assert [log[a:b] for a, b in times.spans] == ["2025-05-01 09:00:03 configure perl:amd64 1.3-2 <none>",
                                                  "2025-05-02 09:00:05 configure perl:amd64 1.5-2 <none>"]


def test_a_count_that_could_mean_two_things_is_not_offered() -> None:
    log = upgrade_log()
    # Over both days libc6 and perl are upgraded twice: 6 lines, 4 packages.
    assert column_count(log, "How many packages were upgraded?", ["upgraded"], []) is None
    assert column_count(log, "How many upgrades are logged?", ["upgrades"], []) is not None
    # A name alone is no field of the log: "how many times does perl appear" is not counted here.
    assert column_count(log, "How many times is perl written?", ["perl"], ["times", "written"]) is None
    # "installed": the state `installed`, or the action `install`?
    assert column_count(log, "How many packages were installed?", ["installed"], []) is None
    # A word of the question the log never writes may be what decides ("newly").
    assert column_count(log, "How many packages were newly upgraded on 2025-05-01?", ["2025-05-01", "upgraded"],
                        ["newly"]) is None
    assert column_count(log, "How many packages were upgraded on 2025-05-01 but not configured?",
                        ["2025-05-01", "upgraded", "configured"], []) is None


def test_prose_is_no_column_log() -> None:
    entries = []
    for n in range(30):
        entries += [f"libfoo ({n}.0-1) unstable; urgency=medium", "",
                    f"  * New upstream release {n}, which fixes the crash in libfoo when run", "    under a long name.",
                    "", f" -- Ann Lee <ann@example.org>  Mon, 0{n % 9 + 1} Jan 2024 10:00:00 +0000", ""]
    text = "\n".join(entries)
    assert column_count(text, "How many entries does the changelog of libfoo have?", ["libfoo", "entries"], []) is None
    look = orientation(text, "How many entries does the changelog of libfoo have?")
    assert "columns counted from 0" not in look.text


def test_the_look_offers_the_count() -> None:
    look = orientation(upgrade_log(), "How many packages were upgraded on 2025-05-01?")
    assert look.counted == "4"
    assert "Lines with column 0 '2025-05-01' and column 2 'upgrade' (columns counted from 0): 4." in look.text
    assert look.shows("2025-05-01 09:00:02 upgrade zlib1g:amd64 1.2-1 1.2-2")
    # Asked what the log does not say ("newly"), the look counts nothing.
    assert orientation(upgrade_log(), "How many packages were newly upgraded on 2025-05-01?").counted == ""


def test_lines_that_cols_splits_otherwise_or_of_several_files_get_nothing() -> None:
    log = package_log()
    question = "Which package had the most status changes?"
    assert column_rank(log.replace(" status ", "\tstatus\t"), question, ["status"], ["package", "changes"]) is None
    assert column_rank(log.replace(" status ", " | status | "), question, ["status"], ["package", "changes"]) is None
    # Errors of three services' logs joined: which file has the most is no column's value.
    rng = random.Random(2)
    parts, starts, at = [], [], 0
    for name, n in (("api.log", 40), ("billing.log", 12), ("mailer.log", 10)):
        body = "\n".join(f"2026-03-04 10:{i % 60:02d}:00 ERROR worker-{rng.randint(1, 30)} failed" for i in range(n))
        starts.append((name, at))
        parts.append(body)
        at += len(body) + 1
    joined = "\n".join(parts)
    assert column_rank(joined, "Which worker logged the most errors?", ["errors"], ["worker", "logged"], starts) is None


def test_a_tag_with_brackets_is_no_column_of_names() -> None:
    # sshd's "sshd[pid]:" tag varies like a name; the address asked for starts with a digit.
    rng = random.Random(4)
    rows = []
    for conn in range(40):
        pid, ip = 20000 + conn, f"203.0.113.{rng.randint(1, 250)}"
        rows += [f"Mar  4 10:{conn:02d}:0{k} web01 sshd[{pid}]: Failed password for root from {ip} port 4{conn:03d} ssh2"
                 for k in range(rng.randint(1, 6))]
    log = "\n".join(rows)
    assert column_rank(log, "Which address had the most failed password attempts?", ["failed", "password"],
                       ["address", "attempts"]) is None
    assert column_rank(log, "Which connection had the most failed password attempts?", ["failed", "password"],
                       ["connection", "attempts"]) is None


def test_a_question_that_says_more_than_the_columns_gets_no_count() -> None:
    # A second review: stop words the look neither searches nor misses, each a wrong count.
    log = upgrade_log()
    for question in ("How many packages were upgraded after 2025-05-01?", "How many packages were upgraded before 2025-05-02?",
                     "How many packages were upgraded up to 2025-05-01?", "How many packages were upgraded more than once?",
                     "How many packages were upgraded again on 2025-05-02?", "How many packages were upgraded with perl on 2025-05-01?",
                     "How many packages were upgraded during 2025?"):
        words = [w for w in ("2025-05-01", "2025-05-02", "upgraded", "perl") if w in question]
        assert column_count(log, question, words, []) is None, question
    assert column_count(log, "How many packages were upgraded on 2025-05-01?", ["2025-05-01", "upgraded"], []) is not None
    assert column_rank(log, "Which package had the most status changes before 2025-05-01?", ["2025-05-01", "status"],
                       ["package", "changes"]) is None


def test_a_count_by_a_field_value_the_question_counts() -> None:
    # "How many widgets did alice order": the item column's value is what is counted, and a filter.
    rng = random.Random(7)
    items, users = ("bracket", "widget", "clamp", "valve"), ("alice", "bob", "carol")
    rows = [f"2026-05-{rng.randint(18, 20)} 11:{i % 60:02d}:00 order {rng.choice(users)} {rng.choice(items)}"
            for i in range(160)]
    question = "How many widgets did alice order on 2026-05-18?"
    truth = sum(1 for r in rows if r.split()[0] == "2026-05-18" and r.split()[3:5] == ["alice", "widget"])
    counted = column_count("\n".join(rows), question, ["widgets", "alice", "2026-05-18", "order"], [])
    assert truth > 0 and counted is not None and counted.count == truth
    # With a quantity on each line, "how many widgets" may be their sum: nothing is offered.
    with_qty = "\n".join(f"{r} {rng.randint(1, 9)}" for r in rows)
    assert column_count(with_qty, question, ["widgets", "alice", "2026-05-18", "order"], []) is None


def test_a_dicts_first_line_is_no_hit_the_repl_writes_alike() -> None:
    # The REPL's text of a dict writes "path: " before each file's first line, so `cols` shifts there.
    log = upgrade_log()
    first = log.index("2025-05-01 09:00:00 upgrade")
    assert column_count(log, "How many packages were upgraded on 2025-05-01?", ["2025-05-01", "upgraded"], [],
                        [("a.log", 0), ("dpkg.log", first)]) is None
