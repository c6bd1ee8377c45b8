"""The first look's count of the entries under a heading the question names (`look_section`)."""

from __future__ import annotations

from recursor.look_section import section_count
from recursor.orient import orientation


def _manual() -> str:
    def options(prefix: str, n: int) -> str:
        return "".join(f"       --{prefix}-{i} ARG\n              Does {prefix} thing {i}, at length,\n"
                       f"              over two lines\n\n" for i in range(n))
    return ("TOOL(1)\nNAME\n       tool - does things\n\nOPTIONS\n   General Options:\n" + options("gen", 5)
            + "   Post-Processing Options:\n       -x, --extract-audio\n              Convert to audio\n\n"
            + options("pp", 6) + "   Network Options:\n" + options("net", 4) + "SEE ALSO\n       other(1)\n")


def _units() -> str:
    return ("# Units file\n\n#### UNITS ####\n\n# Force\n[force] = [mass] * [acceleration]\nnewton = kg * m / s ** 2 = N\n"
            "dyne = g * cm / s ** 2 = dyn\n\n# Pressure\n[pressure] = [force] / [area]\npascal = newton / meter ** 2 = Pa\n"
            "bar = 1e5 * pascal\ntorr = atm / 760\n\n# Torque\n[torque] = [force] * [length]\nfoot_pound = foot * force_pound\n")


def test_a_man_page_subsection_s_options_are_counted_once_each() -> None:
    q = "How many different options are described in the post-processing options section? (Short and long forms count once.)"
    look = section_count(_manual(), q)
    assert look is not None and look.counted == "7"
    assert look.rows[0].startswith("The section under 'Post-Processing Options:' (line 27, to line 53)")
    assert "7" in orientation(_manual(), q).counted


def test_a_comment_heading_s_block_is_counted_by_the_lines_that_start_alike() -> None:
    # "[pressure] = ..." defines a dimension among the units, and starts otherwise.
    look = section_count(_units(), "How many units are defined under the Pressure heading of this units file?")
    assert look is not None and look.counted == "3"


def test_a_count_that_picks_some_out_or_names_no_heading_is_shown_not_offered() -> None:
    some = section_count(_manual(), "How many options in the post-processing options section take an ARG argument?")
    assert some is not None and some.counted == ""
    assert section_count(_manual(), "How many options does the tool have?") is None  # no section named
    assert section_count(_manual(), "How many options are in the audio section?") is None  # no such heading
    assert section_count(_manual(), "What does the post-processing options section describe?") is None  # no count
