"""A C enum member's value, by C's rule (`recursor.look_enum`)."""

from __future__ import annotations

from recursor.look_enum import enum_look
from recursor.orient import orientation

HEADER = """/* a header written for this test */
enum Status {
  STATUS_ERROR = 0,
#define STATUS_ERROR STATUS_ERROR
  STATUS_OK = 1,
  STATUS_SUSPENDED = 2
};

enum Error {
  ERROR_NONE,
  ERROR_NO_MEMORY,  /* a comment, with a comma */
  /* Added in 2.1. */
  ERROR_SYNTAX,
  ERROR_BASE = 0x10,
  ERROR_AFTER_BASE,
  ERROR_ALIAS = ERROR_SYNTAX + 5,
  ERROR_LAST
};
"""


def test_a_members_value_counts_from_zero_unless_set() -> None:
    values = {"ERROR_NONE": 0, "ERROR_SYNTAX": 2, "ERROR_BASE": 16, "ERROR_AFTER_BASE": 17, "ERROR_ALIAS": 7,
              "ERROR_LAST": 8, "STATUS_SUSPENDED": 2}
    for member, value in values.items():
        look = enum_look(HEADER, f"What integer value does {member} have in its enumeration?")
        assert look is not None and look.counted == str(value), member
    assert "ERROR_SYNTAX is a member of enum Error (line 9)" in enum_look(HEADER, "What number is ERROR_SYNTAX?").rows[0]
    assert orientation(HEADER * 1, "What value does ERROR_LAST have?").counted == "8"


def test_no_value_for_another_question_two_members_or_a_value_not_read() -> None:
    assert enum_look(HEADER, "When was ERROR_SYNTAX added?") is None  # no value asked
    assert enum_look(HEADER, "What values do ERROR_NONE and ERROR_LAST have?") is None  # two members
    assert enum_look(HEADER.replace("ERROR_BASE = 0x10", "ERROR_BASE = sizeof(int)"),
                     "What value does ERROR_LAST have?") is None  # set by what C computes elsewhere
    # From a hostile review: "08" (no C octal) crashed; #if branches were both counted; a line's number.
    months = "enum Month { JAN = 01, AUG = 08, SEP = 09 };\n"
    assert enum_look(months, "What is the numeric value of SEP?") is None
    assert enum_look("enum X {\n  A,\n#ifdef FOO\n  B,\n#else\n  C,\n#endif\n  D\n};\n", "What value does D have?") is None
    assert enum_look(HEADER, "On which line number is ERROR_SYNTAX declared?") is None
