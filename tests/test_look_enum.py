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


def test_the_member_a_number_names_is_read_back_by_the_same_rule() -> None:
    # "Which parser error has the code 4001?": no member named, one number asked for.
    look = enum_look(HEADER, "Which error has the code 17?")
    assert look is not None and look.counted == "ERROR_AFTER_BASE"
    assert "whose value is 17" in look.rows[0]
    # Two enums have a member of value 2: the one whose name the question's words write.
    assert enum_look(HEADER, "Which status has the value 2?").counted == "STATUS_SUSPENDED"
    assert enum_look(HEADER, "Which error has the number 2?").counted == "ERROR_SYNTAX"
    assert enum_look(HEADER, "Which member has the value 2?") is None  # no enum named: no one answer
    assert enum_look(HEADER, "Which error has the code 99?") is None  # no member has it
    # A number asked of anything else is no member's (review): "which function has 3 parameters".
    assert enum_look(HEADER, "Which function has 2 parameters?") is None
    assert enum_look(HEADER, "What is the exit code 1 used for?") is None
    assert enum_look("enum errs {E1 = 4000, E2};\nenum other {X = 4001};\n", "Which error has the code 4001?") is None
    typedef = "typedef enum {\n  P_NONE = 0,\n  P_BAD_ARG = 4000,\n  P_REPORT\n} parserErrors;\n" + HEADER
    assert enum_look(typedef, "Which parser error has the code 4001?").counted == "P_REPORT"
    assert "enum parserErrors" in enum_look(typedef, "Which parser error has the code 4001?").rows[0]



def test_a_common_word_names_the_one_enum_that_has_the_number() -> None:
    # "type" is too common to pick an enum out of several, but names the one with member 20.
    types = "enum NPY_TYPES { NPY_BOOL=0, NPY_BYTE, NPY_OBJECT=17, NPY_STRING, NPY_UNICODE, NPY_VOID };\n"
    kinds = "enum NPY_SORTKIND { NPY_QUICKSORT=0, NPY_HEAPSORT=1 };\n"
    assert enum_look(types + kinds, "Which NumPy data type gets type number 20?").counted == "NPY_VOID"
    # Two enums have the number: a common word picks neither.
    both = types + "enum other_types { T_A = 20 };\n"
    assert enum_look(both, "Which NumPy data type gets type number 20?") is None
    # Nor does an enum whose name shares no word with the question.
    assert enum_look(kinds, "Which sorting method gets number 1?") is None
