"""Reading what a judging question selects of each value of a field (`recursor.judged_groups`).

Phrased as users ask about customers, hosts and tickets: the amounts, "or", "and", "no" and,
for pairs, "one ... the other ..." become `having` calls; what the reading cannot cover (a
comparison, a date) gives no selection or stops the reading there.
"""

from __future__ import annotations

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
        # The reading stops at what it cannot cover: a date on the second option.
        ("those with a complaint and no praise dated before May", "t.having('complaint')"),
        # A comparison is no selection by amounts.
        ("customers who wrote more complaints than praise", None),
        ("the customer with the most complaints", None),
        ("customers who wrote nothing", None),
    ],
)
def test_a_clause_becomes_the_having_calls_it_asks_for(clause: str, code: str | None) -> None:
    assert _code(clause) == code


def test_pairs_pair_one_side_with_the_other_and_name_what_holds_the_answer() -> None:
    steps, said, holds = grouped_steps(
        "List the pairs of hosts where one host logged exactly one complaint, and the other host logged praise.",
        OPTIONS, "host", _option_rx)
    assert steps == ("per_host = labels.by('host'); hosts = per_host.having('complaint', exactly=1); "
                     "other_hosts = per_host.having('praise'); host_pairs = pairs(hosts, other_hosts)")
    assert holds == "host_pairs" and "FINAL_VAR('host_pairs')" in said
    # Not pairs: the selected values are the answer.
    steps, _, holds = grouped_steps("Which hosts logged a complaint?", OPTIONS, "host", _option_rx)
    assert steps.endswith("hosts = per_host.having('complaint')") and holds == "hosts"
    # A comparison: the table only, and nothing said to hold the answer.
    steps, said, holds = grouped_steps("Which hosts logged more complaints than praise?", OPTIONS, "host", _option_rx)
    assert steps == "per_host = labels.by('host')" and holds == "" and "having('complaint')" in said
