"""The release that first wrote of a thing (`recursor.look_first`)."""

from __future__ import annotations

from datetime import date

from recursor.look_first import first_release
from recursor.orient import orientation


def _changelog(newest_first: bool = True) -> str:
    """A changelog written for this test: eight releases, the feature added in 1.10 (after 1.9,
    so no string order finds it) and named again in two later ones."""
    entries = {
        "1.2": ["Fixed a crash on empty bodies."],
        "1.9": ["Added retries for idempotent requests.", "Compressed responses are decoded lazily."],
        "1.10": ["Added support for Zorbo content encoding.", "Fixed compressed chunked responses."],
        "1.11": ["Documented timeouts."],
        "2.0": ["Zorbo decoder now streams.", "Dropped Python 3.7."],
        "2.1": ["Faster header parsing."],
        "2.2": ["Fixed Zorbo decoding of empty frames."],
        "2.3": ["Compressed uploads."],
    }
    day = {v: f"2020-0{1 + i}-15" for i, v in enumerate(entries)}  # in the versions' order
    versions = list(entries)[::-1] if newest_first else list(entries)
    parts = []
    for v in versions:
        title = f"{v} ({day[v]})"
        parts.append(f"{title}\n{'=' * len(title)}\n\n" + "\n".join(f"* {e}" for e in entries[v]) + "\n")
    return "\n".join(parts)


def test_the_oldest_release_whose_entries_name_the_thing_is_the_first() -> None:
    for newest_first in (True, False):
        text = _changelog(newest_first)
        look = orientation(text, "Which release first let it decompress responses compressed with Zorbo?")
        assert look.counted == "1.10", newest_first
        assert "the oldest of them is 1.10" in look.text and "Added support for Zorbo" in look.text


def test_the_thing_is_the_questions_name_not_its_everyday_words() -> None:
    text = _changelog()
    counts = [("compressed", 3), ("Zorbo", 3), ("responses", 2)]
    first = first_release(text, "Which version first added support for Zorbo compressed responses?", counts)
    assert first is not None and first.counted == "1.10"
    # Without a name, the rarest of its words: "retries" is written under 1.9 only.
    first = first_release(text, "Since which version does it do retries?", [("retries", 1), ("does", 0)])
    assert first is not None and first.counted == "1.9"


def test_other_questions_texts_without_releases_and_unwritten_things_get_no_release() -> None:
    text = _changelog()
    assert first_release(text, "What does the 2.0 release drop?", [("Python", 1)]) is None
    assert first_release(text, "Which release first added Quux?", [("Quux", 0)]) is None
    prose = "# Guide\n\n## Install\n\nRun it.\n\n## Use\n\nZorbo is on.\n\n## Tune\n\nZorbo is fast.\n"
    assert first_release(prose, "Which release first added Zorbo?", [("Zorbo", 2)]) is None


def test_first_is_first_in_time_and_the_days_to_a_neighbour_are_by_date() -> None:
    from recursor.look_first import neighbour_days

    # 1.9.1, a fix backported after 2.0 came out, is later than 2.0 though its version is lower.
    text = ("2.1 (2021-03-01)\n================\n\n* Faster.\n\n"
            "1.9.1 (2021-01-20)\n==================\n\n* Backported the Zorbo decoder.\n\n"
            "2.0 (2020-12-01)\n================\n\n* Added the Zorbo decoder.\n* Dropped Python 2.\n\n"
            "1.9 (2020-06-01)\n================\n\n* Supports Python 2.7 and Python 2.\n\n"
            "1.8 (2020-01-01)\n================\n\n* First.\n")
    first = first_release(text, "Which release first added the Zorbo decoder?", [("Zorbo", 2)])
    assert first is not None and first.counted == "2.0"
    # "Python 2" is under 2.0 and 1.9: the one whose line says it was dropped; not "Python 2.7".
    before = neighbour_days(text, "Find the release that dropped Python 2. How many days after the release "
                                  "before it did it come out?", [("Python", 2)])
    assert before is not None and before.counted == str((date(2020, 12, 1) - date(2020, 6, 1)).days)
    after = neighbour_days(text, "Find the release that dropped Python 2. How many days later did the next "
                                 "release come out?", [("Python", 2)])
    assert after is not None and after.counted == str((date(2021, 1, 20) - date(2020, 12, 1)).days)
    assert neighbour_days(text, "How many days later did the next release come out?", []) is None


def _debian_changelog() -> str:
    """A changelog in Debian's form, written for this test: headings without dates, each
    release signed off by a ` -- ` line that dates it, newest first."""
    releases = [("1.3-1", "Thu, 25 May 2023 16:11:37 +0200", ["Restore a dependency (Closes: #1035654)"]),
                ("1.3-0", "Mon, 06 Mar 2023 13:26:39 +0100", ["Teach the scorer about non-free-firmware",
                                                              "Mention the date 01 Jan 2030 in a note"]),
                ("1.2-4", "Wed, 08 Feb 2023 17:07:38 +0100", ["Bump codenames in docs"]),
                ("1.2-3", "Sun, 01 Jan 2023 10:00:00 +0100", ["Fix a typo these days"])]
    return "\n".join(f"zorbo ({v}) unstable; urgency=medium\n\n" + "".join(f"  * {e}\n" for e in entries)
                     + f"\n -- A Maintainer <a@example.org>  {day}\n" for v, day, entries in releases)


def test_a_release_signed_off_with_a_date_is_dated_by_its_sign_off() -> None:
    from recursor.look_first import neighbour_days

    text = _debian_changelog()
    # A three-word hyphenated name is the thing; "days" (the question's second part) is not.
    question = "Find the release that taught it about non-free-firmware. How many days later was the next release?"
    look = neighbour_days(text, question, [("non-free-firmware", 1), ("days", 1), ("release", 0)])
    assert look is not None and look.counted == str((date(2023, 5, 25) - date(2023, 3, 6)).days)
    # The date an entry mentions does not date its release: the sign-off does.
    question = "Find the release that bumped codenames. How many days earlier was the release before it?"
    look = neighbour_days(text, question, [("codenames", 1), ("bumped", 0)])
    assert look is not None and look.counted == str((date(2023, 2, 8) - date(2023, 1, 1)).days)


def test_a_plain_word_of_the_questions_other_part_is_never_the_thing() -> None:
    from recursor.look_first import neighbour_days

    text = _debian_changelog()
    # "typo" and "days" are each written under one release, but only "scorer" is asked of.
    question = "Find the release that changed the scorer. How many days later was the next release?"
    look = neighbour_days(text, question, [("scorer", 1), ("days", 1), ("typo", 1)])
    assert look is not None and look.counted == "80"


def test_of_the_releases_writing_the_thing_the_first_is_one_whose_line_says_what_was_asked() -> None:
    entries = [("2.0 (2021-03-01)", "Wheels are now provided for Zorbo 3."),
               ("1.5 (2020-06-01)", "Declared support for Zorbo 3 alpha."),
               ("1.4 (2020-01-01)", "Wheels for Zorbo 2."),
               ("1.3 (2019-06-01)", "Faster.")]
    text = "\n".join(f"{v}\n{'-' * len(v)}\n\n- {e}\n" for v, e in entries)
    counts = [("Zorbo 3", 2), ("wheels", 2), ("ship", 0)]
    first = first_release(text, "Which release was the first to ship wheels for Zorbo 3?", counts)
    assert first is not None and first.counted == "2.0"
    assert "written under 2 of the 4 releases" in first.rows[0] and "the 1 whose line says" in first.rows[0]
    # Asked only which first wrote of it, the oldest line that does.
    first = first_release(text, "Which release first mentioned Zorbo 3?", [("Zorbo 3", 2)])
    assert first is not None and first.counted == "1.5"


def test_a_later_line_repeating_more_of_the_question_is_no_first_and_suffixed_revisions_are_whole() -> None:
    entries = [("2.0 (2024-03-01)", "Fixed a regression in the parser where the memory leak fix from 1.2 was undone."),
               ("1.3 (2023-10-10)", "Faster parser; less memory; fixed docs."),
               ("1.2 (2023-06-01)", "Plug a memory leak in the parser."), ("1.1 (2023-01-01)", "Fixed a crash.")]
    text = "\n".join(f"{v}\n{'-' * len(v)}\n\n- {e}\n" for v, e in entries)
    first = first_release(text, "Which version first fixed the memory leak in the parser?",
                          [("fixed", 3), ("memory", 3), ("leak", 2), ("parser", 3)])
    assert first is not None and first.counted == "1.2"
    # A Debian revision's suffix is part of the version: not the older "2.36.1-8" without the fix.
    debian = "\n".join(f"zorbo ({v}) stable; urgency=medium\n\n  * {e}\n\n -- A <a@b.org>  {d}\n" for v, e, d in (
        ("2.36.1-8+deb12u1", "Fix CVE-2023-1234 in parser", "Mon, 06 Mar 2023 13:26:39 +0100"),
        ("2.36.1-8", "Rebuild", "Wed, 08 Feb 2023 17:07:38 +0100"),
        ("2.36.1-7", "Docs", "Sun, 01 Jan 2023 10:00:00 +0100")))
    first = first_release(debian, "Which version first fixed CVE-2023-1234?", [("CVE-2023-1234", 1)])
    assert first is not None and first.counted == "2.36.1-8+deb12u1"
