"""A ranking by count over a log's columns (`recursor.column_ranks`), alone and in the look.

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
from recursor.column_ranks import column_rank
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
        out.append(f"{day} 10:{n % 60:02d}:02 startup packages configure")
    out += [f"2025-04-12 08:00:{i:02d} status {STATES[i % 4]} {busiest} 1:2.{i}" for i in range(changes)]
    return "\n".join(out)


def test_the_name_most_often_in_the_lines_a_word_marks_is_the_top() -> None:
    log = package_log()
    ranked = column_rank(log, "Which package went through the most status changes?", ["status", "changes"])
    assert ranked is not None
    assert ranked.top == "libbusy7:amd64"
    row = ranked.rows[0]
    assert "column 2 is 'status'" in row and "by column 4: libbusy7:amd64 on 9 lines" in row
    assert "count_by([r for r in lines() if cols(r)[2:3] == ['status']], 4)" in row
    # Where the top was read: its own lines, for the run's evidence.
    assert [log[a:b] for a, b in ranked.spans][:2] == ["2025-04-12 08:00:00 status half-installed libbusy7:amd64 1:2.0",
                                                       "2025-04-12 08:00:01 status unpacked libbusy7:amd64 1:2.1"]


def test_a_day_is_ranked_by_the_dates_the_lines_write() -> None:
    ranked = column_rank(package_log(), "On which day were the most packages installed?", ["installed", "packages"])
    assert ranked is not None and ranked.top == "2025-03-09"
    # "packages" (in "startup packages configure") is what is counted, not which lines.
    assert "column 3 is 'installed'" in ranked.rows[0]
    assert column_rank(package_log(), "Which date saw the largest number of installs?", ["installs"]) is not None


def test_a_tie_at_the_top_ranks_nothing() -> None:
    # Two packages with the same number of state lines, more than any other.
    log = package_log(changes=9) + "\n" + "\n".join(
        f"2025-04-12 09:00:{i:02d} status {STATES[i % 4]} librival:amd64 2.{i}" for i in range(9))
    assert column_rank(log, "Which package had the most status changes?", ["status"]) is None


def test_questions_that_do_not_rank_by_count_get_nothing() -> None:
    log = package_log()
    assert column_rank(log, "Which package had a status change most recently?", ["status"]) is None
    assert column_rank(log, "Which package has the highest version?", ["package"]) is None
    assert column_rank(log, "How many status changes are there?", ["status"]) is None


def test_free_text_after_the_columns_is_not_a_column_of_names() -> None:
    rng = random.Random(5)
    words = "Connection refused timed out reset by peer Retrying later Disk almost full Queue backed up".split()
    log = "\n".join(
        f"2025-05-0{rng.randint(1, 9)}T10:00:{i % 60:02d} web{rng.randint(1, 3)} "
        f"{rng.choice(['ERROR', 'INFO'])} {' '.join(rng.sample(words, rng.randint(2, 6)))}"
        for i in range(300))
    assert column_rank(log, "Which message was logged with the most errors?", ["errors"]) is None


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
    question = "On which date did the package manager install the largest number of packages?"
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
