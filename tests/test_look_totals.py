"""The counts lines write before a noun, added up by the look (`recursor.look_totals`)."""

from __future__ import annotations

import random

from recursor.look_totals import totals_look
from recursor.orient import orientation


def _test_run(seed: int = 4) -> tuple[str, int]:
    """A test runner's output: each test says how many checks it runs, and how many passed."""
    rng = random.Random(seed)
    lines, announced = ["ninja: no work to do."], 0
    for i in range(30):
        n = rng.randint(1, 60)
        announced += n
        lines += [f" {i + 1}/30 unit - suite{i % 3}:test{i} RUNNING",
                  f"[suite{i % 3}] test{i}: running {n} {'check' if n == 1 else 'checks'}",
                  *(f"  check {k}/{n} ok" for k in range(1, min(n, 3) + 1))]
        if i % 4:
            lines.append(f"  all {n} checks passed")
    return "\n".join(lines) + "\n", announced


def test_the_counts_before_the_questions_noun_are_added_up_per_kind_of_saying() -> None:
    text, announced = _test_run()
    asked = "How many checks did the tests say they were going to run, added up?"
    look = totals_look(text, asked)
    assert look is not None and look.counted == str(announced)
    assert look.rows[0].startswith("The numbers written before 'checks' are on ")
    assert "30 lines like '[suite0] test0: running" in look.rows[0] and f"add up to {announced:,}" in look.rows[0]
    assert look.rows[1].startswith("The question's 'run' is on the lines of the kind")
    # No word of the question tells the kinds apart: both totals are shown, none offered.
    plain = totals_look(text, "How many checks are there altogether?")
    assert plain is not None and plain.counted == "" and len(plain.rows) == 1
    assert orientation(text, asked).counted == str(announced)


def test_no_total_for_a_count_of_lines_one_thing_named_elsewhere_or_two_steps() -> None:
    text, _ = _test_run()
    assert totals_look(text, "How many checks are there?") is None  # no "added up": a count of lines
    # "In total" most often counts lines: 100 failed requests, not the summary lines' "3 errors".
    log = "\n".join(f"12:00 ERROR request {i} failed" for i in range(100)) + "\nbuild finished with 3 errors\n" * 3
    assert totals_look(log, "How many errors are there in total in this log?") is None
    assert totals_look(log + "retried 3 times\n" * 5, "How many times were requests retried, added up?") is None
    # A long line with no space costs one pass, not one per character (a minified JSON blob).
    assert totals_look('{"a":"' + "x" * 200_000 + '"}\n' + text, "Added up, how many checks is that?") is not None
    named = text + "\n".join(f"suite{k} owner: ann" for k in range(2)) + "\n"
    one = totals_look(named, "How many checks did ann's suites run, added up?")
    assert one is not None and one.counted == "" and "'ann' is on other lines" in one.rows[-1]
    two = "Find the test that ran the most checks. How many checks did that test's suite run, added up?"
    assert totals_look(text, two) is None
