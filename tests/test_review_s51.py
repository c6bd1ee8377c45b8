"""Review of session 51's looks: release questions, a window's two kinds of lines, a query's answer
cell, a column's abbreviation."""

from __future__ import annotations

import time
from datetime import date

from recursor.look_first import _NAME, first_release, neighbour_days
from recursor.look_times import times_look
from recursor.orient import orientation
from recursor.table_sql import Query, abbreviated, answer_of


def _log() -> str:
    """A changelog written for this test, newest first, each heading dated."""
    releases = [("2.1", "2021-06-01", ["Faster header parsing.", "Changed the default timeout."]),
                ("2.0", "2021-03-01", ["Dropped Python 2 support.", "Released on PyPI."]),
                ("1.9", "2020-06-01", ["Supports Python 2.", "Changed logging."]),
                ("1.8", "2020-01-01", ["Initial release.", "Changed nothing."])]
    return "\n".join(f"{v} ({d})\n{'=' * (len(v) + 13)}\n\n" + "\n".join(f"* {e}" for e in es) + "\n"
                     for v, d, es in releases)


def test_later_than_the_previous_release_is_the_days_from_the_previous_one() -> None:
    text = _log()
    look = neighbour_days(text, "Find the release that dropped Python 2. How many days later than the previous "
                                "release was it released?", [("Python", 2)])
    assert look is not None and look.counted == str((date(2021, 3, 1) - date(2020, 6, 1)).days)
    look = neighbour_days(text, "Find the release that dropped Python 2. How many days earlier than the next "
                                "release did it come out?", [("Python", 2)])
    assert look is not None and look.counted == str((date(2021, 6, 1) - date(2021, 3, 1)).days)


def test_a_question_about_the_first_release_that_asks_no_release_gets_none() -> None:
    text = _log()
    for question in ("What changed in the first release?", "When was the first version released?",
                     "What version is listed first in the changelog?"):
        assert orientation(text, question).counted in ("", "2020-01-01"), question
        assert first_release(text, question, [("changed", 4), ("released", 1), ("listed", 0)]) is None, question


def test_the_first_release_that_dropped_a_thing_is_one_whose_line_says_so() -> None:
    text = _log()
    for question in ("What was the first version to drop Python 2?", "Which release first removed Python 2 support?"):
        first = first_release(text, question, [("Python", 2)])
        assert first is not None and first.counted == "2.0", question


def test_a_pre_release_is_answered_with_its_whole_version() -> None:
    text = ("# Changelog\n\n## [Unreleased]\n\n### Added\n\n- Nothing yet.\n\n"
            "## [2.0.0] - 2021-03-01\n\n### Removed\n\n- Dropped Python 2 support.\n\n"
            "## [2.0.0rc1] - 2021-01-10\n\n### Added\n\n- Added Zorbo decoder.\n\n"
            "## [1.9.0] - 2020-06-01\n\n### Added\n\n- Supports Python 2.\n\n"
            "## [1.8.0] - 2020-01-01\n\n### Fixed\n\n- First fix.\n")
    first = first_release(text, "Which version first added the Zorbo decoder?", [("Zorbo", 1)])
    assert first is not None and first.counted == "2.0.0rc1"
    # Undated, a release candidate comes before its release.
    undated = text.replace(" - 2021-03-01", "").replace(" - 2021-01-10", "")
    undated = undated.replace("- Added Zorbo decoder.", "- Added Zorbo decoder.\n- Python 2 is no longer tested.")
    first = first_release(undated, "Which version first dropped Python 2?", [("Python", 3)])
    assert first is not None and first.counted == "2.0.0rc1"


def test_two_kinds_of_as_many_lines_far_apart_in_time_are_two_events() -> None:
    lines = []
    for i in range(12):
        stamp = f"2026-01-02 10:00:{i * 4:02d}"
        if i % 2:
            lines.append(f"{stamp} INFO web.api: file report{i}.pdf uploaded by alice")
        else:
            lines.append(f"{stamp} WARN sftp.server: session {i}: file uploaded (resumed)")
        lines.append(f"{stamp} DEBUG heartbeat ok")
    look = times_look("\n".join(lines) + "\n", "How many files were uploaded from 10:00:00 to 10:00:59?", 120)
    assert look is not None and look.counted == ""


def test_a_querys_ranked_value_is_not_answered_by_its_date() -> None:
    top = Query('SELECT Date, "XRX" FROM t ORDER BY "XRX" DESC LIMIT 1', (("1999-01-01", 102.4),), ("Date", "XRX"))
    assert answer_of(top, "What was Xerox's highest share price?") is None
    assert answer_of(top, "When was Xerox's share price at its highest?") == "1999-01-01"


def test_a_two_letter_column_abbreviates_no_name() -> None:
    assert abbreviated(["ID", "Name", "State", "Sales"], "How many customers live in Idaho?") == {}
    assert abbreviated(["Date", "ADBE"], "Was Adobe up?") == {"ADBE": "Adobe"}


def test_a_long_question_s_names_are_read_in_linear_time() -> None:
    started = time.monotonic()
    list(_NAME.finditer("a." * 20_000))
    assert time.monotonic() - started < 1.0


def test_headings_one_under_another_head_the_paragraph_under_the_last() -> None:
    from recursor.look_passage import _paragraphs

    text = ("# Changelog\n\n## [2.0.0] - 2021-03-01\n\n### Added\n\n- Zorbo decoder.\n- More.\n\n"
            "## [1.9.0] - 2020-01-01\n\n### Fixed\n\n- Stuff.\n")
    starts = [0, *(i + 1 for i, c in enumerate(text[:-1]) if c == "\n")]
    shown = [text[starts[a]:starts[b + 1] if b + 1 < len(starts) else len(text)] for a, b in _paragraphs(text, starts)]
    assert any("## [1.9.0]" in p and "- Stuff." in p for p in shown)
    assert any("## [2.0.0]" in p and "- Zorbo decoder." in p for p in shown)
