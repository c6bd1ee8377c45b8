"""Functions ranked by the statements of one kind they hold (`recursor.look_statements`)."""

from __future__ import annotations

import ast

from recursor.look_statements import asked_statement, statement_rank
from recursor.orient import orientation

MODULE = '''
"""A module whose docstrings say raise ValueError often."""


class Clock:
    def parse(self, s):
        """raise ValueError, raise TypeError, raise KeyError: all documented."""
        if not s:
            raise ValueError("empty")
        return s

    def shift(self, n):
        for _ in range(n):
            if n > 9:
                raise OverflowError(n)
            if n < 0:
                raise ValueError(n)
        while n:
            n -= 1
        try:
            return n
        except ZeroDivisionError:
            raise

    def humanize(self, other):
        def inner(x):
            if x:
                raise TypeError(x)
            return x
        raise NotImplementedError


class Other:
    def big(self):
        raise A
        raise B
        raise C
        raise D


def helper(x):
    for a in x:
        for b in a:
            yield b
'''


def test_a_classs_methods_are_ranked_by_their_raise_statements_not_by_the_word() -> None:
    tree = ast.parse(MODULE)
    ranked = statement_rank(tree, "Which method of the Clock class contains the most raise statements?")
    assert ranked is not None and ranked.offered == "shift"
    assert "shift 3, humanize 2, parse 1" in ranked.rows[0]
    look = orientation(MODULE, "Which method of the Clock class contains the most raise statements?")
    assert look.counted == "shift"
    # Every class's methods when none is named; every function for "function"; loops.
    assert statement_rank(tree, "Which method contains the most raises?").offered == "Other.big"  # type: ignore[union-attr]
    fors = statement_rank(tree, "Which function has the most for statements?")
    assert fors is not None and fors.offered == "helper" and "helper 2, Clock.shift 1" in fors.rows[0]
    loops = statement_rank(tree, "Which function has the most loops?")  # shift's for and while: two each
    assert loops is not None and loops.offered == "" and "Clock.shift 2, helper 2" in loops.rows[0]


def test_no_offer_for_a_tie_the_fewest_a_subset_or_no_ranking() -> None:
    tree = ast.parse(MODULE)
    assert statement_rank(tree, "Which method of Clock contains the most yield statements?").offered == ""  # type: ignore[union-attr]
    assert statement_rank(tree, "Which method of Clock has the fewest raise statements?") is None
    assert statement_rank(tree, "Which public method of Clock has the most raise statements?").offered == ""  # type: ignore[union-attr]
    assert statement_rank(tree, "Which methods of Clock and Other have the most raise statements?") is None
    assert asked_statement("How many raise statements does Clock.shift hold?") is None
    assert asked_statement("Which class has the most raise statements?") is None


def test_review_a_method_defined_under_an_if_or_a_try_in_its_class_is_ranked() -> None:
    src = ("import sys\nclass Arrow:\n    def a(self):\n        raise ValueError\n"
           "    if sys.version_info >= (3, 9):\n        def b(self):\n            raise TypeError\n"
           "            raise ValueError\n            raise KeyError\n"
           "    def c(self):\n        raise ValueError\n        raise KeyError\n")
    ranked = statement_rank(ast.parse(src), "Which method of the Arrow class contains the most raise statements?")
    assert ranked is not None and ranked.offered == "b"
