"""Reading what a judging question selects of each value of a field (`recursor.judged_groups`).

Phrased as users ask about customers, hosts and tickets: the amounts, "or", "and", "no" and,
for pairs, "one ... the other ..." become `having` calls; what the reading cannot cover (a
comparison, a date) gives no selection or stops the reading there.
"""

from __future__ import annotations

import ast
from dataclasses import astuple

import pytest

from recursor.judged import _option_rx
from recursor.judged_groups import grouped_steps, selection

OPTIONS = ("complaint", "praise", "question")


def _code(clause: str) -> str | None:
    found = selection(clause, OPTIONS, "t", _option_rx)
    return None if found is None else found.code


@pytest.mark.parametrize(
    ("clause", "code"),
    [
        ("customers who wrote a complaint", "t.having('complaint')"),
        ("hosts with at least two complaints", "t.having('complaint', least=2)"),
        ("users with exactly one question", "t.having('question', exactly=1)"),
        ("users with at most 3 questions", "t.having('question', most=3)"),
        ("users with more than two complaints", "t.having('complaint', least=3)"),
        ("those who wrote a complaint or a question", "t.having('complaint', 'question')"),
        ("those with praise and at least two questions",
         "sorted(set(t.having('praise')) & set(t.having('question', least=2)))"),
        ("those with a complaint but no praise", "sorted(set(t.having('complaint')) & set(t.having('praise', exactly=0)))"),
        # An option the reading cannot reach (its period has no day): no selection, not half of one.
        ("those with a complaint and no praise dated before May", None),
        ("To answer this question, which customers wrote no praise?", None),
        # A negation right before an option: none of it.
        ("customers who wrote no complaint", "t.having('complaint', exactly=0)"),
        ("customers who never wrote a complaint", "t.having('complaint', exactly=0)"),
        ("customers who did not write a complaint", "t.having('complaint', exactly=0)"),
        ("customers who didn't write any complaint", "t.having('complaint', exactly=0)"),
        ("no complaints and no questions",
         "sorted(set(t.having('complaint', exactly=0)) & set(t.having('question', exactly=0)))"),
        # A bare number is that many; an amount far before the option is not its amount.
        ("customers who wrote two complaints", "t.having('complaint', exactly=2)"),
        ("customers, among those with at least 3 reviews, wrote a complaint", "t.having('complaint')"),
        ("customers aged over 30 wrote a complaint", "t.having('complaint')"),
        # "neither", "one of the two": not a selection per side.
        ("customers who wrote neither a complaint nor a question", None),
        ("pairs where exactly one of the two wrote a complaint", None),
        # A period right after an option counts only the items dated in it.
        ("customers with a complaint and no praise dated on or before Jan 6, 2024",
         "sorted(set(t.having('complaint')) & set(t.having('praise', exactly=0, last='2024-01-06')))"),
        ("customers with at least two complaints dated after 2024-02-28",
         "t.having('complaint', least=2, first='2024-02-29')"),
        ("customers with no question dated before 3 March 2024", "t.having('question', exactly=0, last='2024-03-02')"),
        # Found by a second review: a period after the second of two options covers both,
        # "not more than" is at most, "not only" and "only" are no selection, a negation is of
        # the option, and a period may have two ends.
        ("customers who wrote a complaint or praise dated before 2024-03-01",
         "t.having('complaint', 'praise', last='2024-02-29')"),
        ("customers who wrote not more than two complaints", "t.having('complaint', most=2)"),
        ("customers who wrote not only complaints but also praise", None),
        ("customers who wrote only complaints", None),
        ("customers not from Germany with a complaint", "t.having('complaint')"),
        ("customers with a complaint dated from 2024-01-01 to 2024-03-01",
         "t.having('complaint', first='2024-01-01', last='2024-03-01')"),
        # A comparison is no selection by amounts.
        ("customers who wrote more complaints than praise", None),
        ("the customer with the most complaints", None),
        ("customers who wrote nothing", None),
    ],
)
def test_a_clause_becomes_the_having_calls_it_asks_for(clause: str, code: str | None) -> None:
    assert _code(clause) == code


def test_pairs_pair_one_side_with_the_other_and_name_what_holds_the_answer() -> None:
    steps, said, holds = astuple(grouped_steps(
        "List the pairs of hosts where one host logged exactly one complaint, and the other host logged praise.",
        OPTIONS, "host", _option_rx))
    assert steps == ("per_host = labels.by('host'); hosts = per_host.having('complaint', exactly=1); "
                     "other_hosts = per_host.having('praise'); host_pairs = pairs(hosts, other_hosts)")
    assert holds == "host_pairs" and "FINAL_VAR('host_pairs')" in said
    # Not pairs: the selected values are the answer.
    steps, _, holds = astuple(grouped_steps("Which hosts logged a complaint?", OPTIONS, "host", _option_rx))
    assert steps.endswith("hosts = per_host.having('complaint')") and holds == "hosts"
    # A comparison: the table only, and nothing said to hold the answer.
    steps, said, holds = astuple(grouped_steps("Which hosts logged more complaints than praise?", OPTIONS, "host",
                                               _option_rx))
    assert steps == "per_host = labels.by('host')" and holds == "" and "having('complaint')" in said


def test_overlapping_options_name_the_longer_one() -> None:
    found = selection("teams that filed a bug report", ("bug", "bug report", "question"), "t", _option_rx)
    assert found is not None and found.code == "t.having('bug report')"


def test_what_holds_the_answer_and_what_the_reading_left_out_are_said() -> None:
    def holds(asking: str) -> str:
        return grouped_steps(asking, OPTIONS, "host", _option_rx).holds

    assert holds("Which hosts logged a complaint or a question?") == "hosts"
    # Read up to a date: the offer stands, and the look names the words it left out.
    dated = grouped_steps("Which hosts logged a complaint dated before May 2024?", OPTIONS, "host",
                          _option_rx)  # a month, not a day: not read
    assert dated.code.endswith("hosts = per_host.having('complaint')") and dated.holds == "hosts"
    assert "The selection leaves out 'dated before May 2024': add it." in dated.said
    assert "leaves out" not in grouped_steps("Which hosts logged a complaint today?", OPTIONS, "host", _option_rx).said
    # A count of the hosts: the answer is len(hosts), not the list.
    counted = grouped_steps("How many hosts logged at least two complaints?", OPTIONS, "host", _option_rx)
    assert counted.holds == "" and "len(hosts) counts them" in counted.said
    assert counted.code.endswith("hosts = per_host.having('complaint', least=2)")
    # A count per host: the table only.
    assert grouped_steps("For each host, how many complaints?", OPTIONS, "host", _option_rx).code == \
        "per_host = labels.by('host')"
    # One side of a pair unread: no pairs are offered as the answer.
    one_side = grouped_steps("List pairs of hosts where one logged a complaint and the other did not.",
                             OPTIONS, "host", _option_rx)
    assert one_side.holds == "" and "pairs(" not in one_side.code


@pytest.mark.parametrize(("field", "chosen"), [("pair", "pairs_values"), ("line", "lines_values"),
                                               ("label", "labels_values"), ("a", "as_values"),
                                               ("User ID", "user_ids"), ("2nd host", "f_2nd_hosts")])
def test_offered_names_take_no_name_the_repl_or_python_uses(field: str, chosen: str) -> None:
    steps = grouped_steps("Which of them logged a complaint?", OPTIONS, field, _option_rx)
    assert f"; {chosen} = " in steps.code
    ast.parse(steps.code)


def test_one_of_a_pair_is_no_amount() -> None:
    steps = grouped_steps("List the pairs of customers where one customer wrote a complaint and the other customer "
                          "wrote praise.", OPTIONS, "customer", _option_rx)
    assert "having('complaint')" in steps.code and "exactly=1" not in steps.code
