"""The look at a table under a header line: its columns, and the count or ranking computed."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

import pytest
from tests.table_helpers import run_select

import recursor.sandbox.helpers as helpers
from recursor.look_table import table_look
from recursor.orient import orientation
from recursor.sandbox.helpers import table
from recursor.table_sql import schema

_COUNTRIES = ["Germany", "France", "Spain", "Italy", "Poland", "New Zealand"]
_PRODUCTS = ["widget", "gadget", "sprocket", "gizmo"]


def _orders(n: int = 600, seed: int = 7) -> tuple[str, list[dict[str, str]]]:
    """An orders CSV nobody tuned the look for, and its rows as dicts (to compute gold from)."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        rows.append({"order_id": str(5000 + i), "date": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                     "customer": f"c{rng.randint(1, 90)}", "country": rng.choice(_COUNTRIES + _COUNTRIES[:2]),
                     "product": rng.choice(_PRODUCTS), "quantity": str(rng.randint(1, 20))})
    header = "order_id,date,customer,country,product,quantity"
    return header + "\n" + "\n".join(",".join(r.values()) for r in rows) + "\n", rows


def _top(counts: dict[str, float]) -> str:
    return max(counts, key=lambda k: counts[k])


def test_a_ranking_by_a_named_column_is_counted_and_offered() -> None:
    text, rows = _orders()
    per: dict[str, float] = {}
    for r in rows:
        per[r["country"]] = per.get(r["country"], 0) + 1
    look = table_look(text, "Which country placed the most orders?")
    assert look is not None
    assert look.call == "count_by(table(), 'country')"
    assert look.counted == _top(per)
    assert any(row.startswith("It is a table: 600 rows under a header line of 6 comma-separated columns")
               for row in look.rows)


def test_a_count_of_the_rows_a_question_filters_by_values_is_offered() -> None:
    text, rows = _orders()
    gold = sum(r["country"] == "New Zealand" and r["product"] == "gizmo" for r in rows)
    look = table_look(text, "How many orders of gizmos went to New Zealand?")
    assert look is not None
    assert look.call == "len([r for r in table() if r['country'] == 'New Zealand' and r['product'] == 'gizmo'])"
    assert look.counted == str(gold)


def test_a_total_of_a_number_column_per_group_is_summed_and_the_fewest_first_when_asked() -> None:
    text, rows = _orders()
    total: dict[str, float] = {}
    for r in rows:
        total[r["product"]] = total.get(r["product"], 0) + int(r["quantity"])
    look = table_look(text, "Which product sold the largest total quantity?")
    assert look is not None and look.call == "sum_by(table(), 'product', 'quantity')"
    assert look.counted == _top(total)
    # "the fewest widgets" where rows have a quantity: rows, or widgets sold? Shown, not offered.
    ambiguous = table_look(text, "Which country ordered the fewest widgets?")
    assert ambiguous is not None and ambiguous.call.startswith("count_by(") and ambiguous.counted == ""
    widgets: dict[str, float] = {}
    for r in rows:
        if r["product"] == "widget":
            widgets[r["country"]] = widgets.get(r["country"], 0) + 1
    no_amounts = "\n".join(",".join(line.split(",")[:5]) for line in text.splitlines())
    fewest = table_look(no_amounts, "Which country placed the fewest orders for widgets?")
    assert fewest is not None and fewest.counted == min(widgets, key=lambda k: widgets[k])


def test_nothing_is_offered_when_the_question_says_more_than_the_columns_computed() -> None:
    text, _ = _orders()
    # Another column named: "the most customers" counts customers, not rows; nothing is computed.
    customers = table_look(text, "Which country has the most customers?")
    assert customers is not None and customers.call == "" and customers.counted == ""
    # "highest quantity": a largest value, a total or an average; nothing is computed.
    highest = table_look(text, "Which product has the highest quantity?")
    assert highest is not None and highest.call == ""
    # A qualifier, a number, a place below the first or a negation: a step, not an answer.
    for question in ("Which country placed the second most orders?",
                     "Which country placed the most orders in 2024?",
                     "How many orders did Spain place, not counting gadgets?"):
        look = table_look(text, question)
        assert look is not None and look.counted == "", question
    # A value set aside is no filter to keep (it was: "A step: ... r['product'] == 'gadget'").
    step = table_look(text, "How many orders did Spain place, not counting gadgets?")
    assert step is not None and not any("'gadget'" in row for row in step.rows if row.startswith("A step"))
    # Only the value set aside is dropped: Spain still filters the step.
    assert any("r['country'] == 'Spain'" in row for row in step.rows if row.startswith("A step")), step.rows
    # A word the rows write that no column holds as a value may filter them.
    express = table_look(text + "5999,2024-01-01,c1,Spain,gizmo,3 express\n", "How many express orders went to Spain?")
    assert express is not None and express.call.startswith("len(") and express.counted == ""


def test_a_tie_at_the_top_is_shown_and_not_offered() -> None:
    text = "name,team\n" + "".join(f"p{i},{'red' if i % 2 else 'blue'}\n" for i in range(10))
    look = table_look(text, "Which team has the most players?")
    assert look is not None and look.call == "count_by(table(), 'team')" and look.counted == ""


def test_rows_that_leave_their_last_fields_out_are_a_table_and_table_reads_them_by_comma() -> None:
    text = ("version,codename,released,eol,eol-esm\n" + "1.0,Able Ant,2020-01-01,2021-01-01\n"
            "2.0 LTS,Brave Bee,2020-06-01,2025-06-01,2030-06-01\n" + "3.0,Calm Cat,2021-01-01,2022-01-01\n"
            "4.0 LTS,Daring Dog,2021-06-01,2026-06-01,2031-06-01\n")
    look = table_look(text, "Which release is code-named Calm Cat?")
    assert look is not None and "5 comma-separated columns" in look.rows[0]
    assert table(text)[0]["codename"] == "Able Ant"  # not split at spaces


def test_texts_that_are_no_table_get_no_table_look() -> None:
    prose = "Hello, world, this is prose.\nIt goes on, and on.\nNothing here, really.\nThe end, at last.\n"
    assert table_look(prose, "How many lines?") is None
    fields = "Package: a\nVersion: 1\n\nPackage: b\nVersion: 2\n"
    assert table_look(fields, "Which package?") is None
    assert table_look("a,a,b\n1,2,3\n4,5,6\n7,8,9\n", "Which a?") is None  # a column named twice
    assert table_look("1,2,3\n4,5,6\n7,8,9\n1,2,3\n", "Which?") is None  # no header of names
    log = "\n".join(f"2024-01-0{i} 10:00:00 install pkg{i} 1.0" for i in range(1, 9))
    assert table_look(log, "Which package was installed most?") is None


def test_a_table_cut_at_the_read_limit_is_counted_as_a_step_only() -> None:
    header = "id,colour\n"
    rows = "".join(f"{i},{'red' if i % 3 else 'blue'}\n" for i in range(200_000))
    look = table_look(header + rows, "Which colour has the most rows?")
    assert look is not None and "its first" in look.rows[0]
    assert look.counted == "" and any(row.startswith("A step: count_by(table(), 'colour')") for row in look.rows)


def test_the_look_shows_a_tables_columns_and_offers_what_it_computed() -> None:
    text, rows = _orders()
    gold = sum(r["country"] == "Spain" for r in rows)
    look = orientation(text, "How many orders came from Spain?")
    assert "It is a table: 600 rows" in look.text
    assert "Nearly all its lines are records" not in look.text  # the table's columns say it
    assert look.counted == str(gold)
    assert look.start == "len([r for r in table() if r['country'] == 'Spain'])"


def _users() -> list[dict[str, object]]:
    rng = random.Random(11)
    return [{"id": i, "name": f"user{i}", "team": rng.choice(["core", "infra", "web", "data"]),
             "role": rng.choice(["admin", "dev", "dev", "viewer"]), "active": rng.random() < 0.5} for i in range(120)]


def test_json_objects_an_array_or_one_a_line_are_a_table_of_their_fields() -> None:
    import json

    users = _users()
    gold = sum(u["team"] == "web" and u["role"] == "admin" for u in users)
    for text in (json.dumps(users, indent=2), "\n".join(json.dumps(u) for u in users)):
        look = table_look(text, "How many admins are in the web team?")
        assert look is not None and look.rows[0].startswith("It is a table: 120 JSON objects with 5 fields: id, name")
        assert look.call == "len([r for r in table() if r['team'] == 'web' and r['role'] == 'admin'])"
        assert look.counted == ""  # "admins" counted is a role's value: all the web team's rows, or its admins?
        assert f"gives {gold}." in look.rows[-1]
        assert len([r for r in table(text) if r["team"] == "web" and r["role"] == "admin"]) == gold  # the call's own
        # A field of booleans is no text to compare: nothing filters by "true".
        assert table_look(text, "How many users are true?").call == ""  # type: ignore[union-attr]


def test_json_lines_are_not_read_as_comma_separated_cells() -> None:
    import json

    text = "\n".join(json.dumps(u) for u in _users()) + "\nnot json, at all, here\n"
    look = table_look(text, "Which team has the most admins?")
    assert look is None  # one line is no object: no table, and no header of '{"id": 0' cells


def _accounts() -> str:
    shells = ["/usr/sbin/nologin"] * 9 + ["/bin/bash"] * 3 + ["/bin/false", "/bin/sync"]
    return "".join(f"user{i}:x:{100 + i}:{100 + i}:User {i}:/home/user{i}:{sh}\n" for i, sh in enumerate(shells))


def test_a_table_with_no_header_line_counts_the_lines_holding_the_values_the_question_names() -> None:
    text = _accounts()
    look = table_look(text, "How many accounts are blocked from logging in (their shell is the no-login program)?")
    assert look is not None and look.rows[0].startswith("It is a table with no header line: 14 lines of 7 colon-separated")
    # "no-login" is the last part of /usr/sbin/nologin. Words no header names ("blocked", "shell")
    # may qualify the count, so it is a step, not the answer.
    assert look.counted == "" and look.rows[-1].startswith("A step: ") and look.rows[-1].endswith("gives 9.")
    helpers.context = text
    assert eval(look.call, vars(helpers)) == 9  # the call shown gives the count shown
    assert table_look(text, "How many have bash?").counted == "3"  # type: ignore[union-attr]
    assert table_look(text, "How many human accounts use bash?").counted == ""  # type: ignore[union-attr]
    # A word the lines write that is no value counted may filter them: a step, not the answer.
    home = table_look(text, "How many accounts with a home under /home use bash?")
    assert home is not None and home.counted == "" and home.call
    # No header names the column "which shell" asks about; the one column whose values repeat
    # is ranked as a step, and the call shown gives that ranking.
    shell = table_look(text, "Which shell do the most accounts use?")
    assert shell is not None and shell.counted == "" and shell.rows[-1].endswith("/usr/sbin/nologin first.")
    assert eval(shell.call, vars(helpers)).most_common(1) == [("/usr/sbin/nologin", 9)]


def _zones(seed: int = 3) -> tuple[str, list[list[str]]]:
    """A zone.tab-like table nobody tuned for: a comment block, three tab-separated columns, a
    fourth (a comment) on some lines only, and a first cell that may list several codes."""
    rng = random.Random(seed)
    codes = [a + b for a in "ABCDEFG" for b in "QRSTU"]
    weights = [rng.randint(1, 9) for _ in codes]
    lines, cells = ["# code\tcoordinates\tzone\tcomments", "#", "# a comment, about these columns"], []
    for i in range(160):
        first = ",".join(rng.sample(codes, 2)) if i % 23 == 0 else rng.choices(codes, weights)[0]
        row = [first, f"+{1000 + i}-{2000 + 3 * i}", f"Region/Zone_{i}"]
        lines.append("\t".join(row + ([f"part {i} of it"] if rng.random() < 0.45 else [])))
        cells.append(row)
    return "\n".join(lines) + "\n", cells


def test_a_table_with_no_header_line_and_an_optional_last_column_is_ranked_and_counted_by_its_one_repeating_column() -> None:
    from collections import Counter

    text, cells = _zones()
    per = Counter(code for row in cells for code in row[0].split(","))
    look = table_look(text, "Which code has the largest number of zones?")
    assert look is not None and look.rows[0].startswith("It is a table with no header line: 160 lines of 3 tab-separated")
    assert "of them with a last column more" in look.rows[0]
    assert any(r.startswith(f"   column 0: {len(per)} different values") for r in look.rows)
    assert look.counted == ""  # no header says the question means column 0: a step
    helpers.context = text
    ranking = eval(look.call, vars(helpers))
    assert ranking == per  # the call counts each listed code, as the look did
    top, n = per.most_common(1)[0]
    if per.most_common(2)[1][1] < n:
        assert look.rows[-1].endswith(f"; {top} first.")
    distinct = table_look(text, "How many different codes appear in this list?")
    assert distinct is not None and distinct.counted == "" and distinct.rows[-1].endswith(f"gives {len(per)}.")
    assert eval(distinct.call, vars(helpers)) == len(per)
    # A name the question filters by ("for Canada") that no column writes: the tally only, no step.
    named = table_look(text, "How many distinct zones are listed for Canada?")
    assert named is not None and named.call == "" and any(r.startswith("   column 0:") for r in named.rows)
    # A look-up gets the table's shape, no tally.
    plain = table_look(text, "What are the coordinates of Region/Zone_7?")
    assert plain is not None and plain.call == "" and len(plain.rows) == 1
    # Questions that say more than a ranking by lines or a count of values get no step.
    for question in ("How many codes have at least 2 zones?", "How many different codes have more than one zone?",
                     "Which zone is the most northern?", "Which is the largest code?",
                     "Which code has the most zones in Canada?"):
        said = table_look(text, question)
        assert said is not None and said.call == "", question
    assert "c" not in vars(helpers) or not isinstance(vars(helpers)["c"], list)  # the call binds no name


def test_review_a_tally_counts_what_its_call_counts_and_a_named_value_filters_first() -> None:
    from collections import Counter

    members = ["ann,bo", "", "", "cy, ann"] * 3
    groups = "".join(f"g{i}:x:{100 + i}:{m}\n" for i, m in enumerate(members))
    look = table_look(groups, "How many different members are listed?")
    assert look is not None and look.rows[-1].endswith("gives 3.")  # empty cells and " ann" are no other values
    helpers.context = groups
    assert eval(look.call, vars(helpers)) == 3
    # A value the question names filters the lines, as before the tally.
    accounts = table_look(_accounts(), "How many different accounts use nologin as their shell?")
    assert accounts is not None and "'/usr/sbin/nologin'" in accounts.call
    # Amounts written with thousands' commas are numbers, not lists.
    amounts = "".join(f"o{i}|{'north' if i % 2 else 'south'}|{1000 + 250 * i:,}\n" for i in range(12))
    ranked = table_look(amounts, "Which region has the most orders?")
    assert ranked is not None and "   column 2: a different value on each line, like 1,000." in ranked.rows
    assert not any("numbers from 1 " in r for r in ranked.rows)
    # A last column some lines add is no reason to take a column fewer.
    lines = [f"2024-01-{i % 28 + 1:02d},host{i % 3},ERROR,disk full" for i in range(89)]
    lines += [f"2024-02-{i + 1:02d},host1,WARN,slow, then fast" for i in range(10)] + ["2024-03-01,host2,INFO"]
    wide = table_look("\n".join(lines) + "\n", "Which host has the most lines?")
    assert wide is not None and wide.rows[0].startswith("It is a table with no header line: 99 lines of 4 comma")
    top = Counter(line.split(",")[1] for line in lines if line.count(",") >= 3).most_common(1)[0]
    assert f"   column 1: 3 different values, the most lines first: {top[0]} {top[1]}" in "\n".join(wide.rows)
    assert wide.call == ""  # four columns repeat their values: which one ranks is the question's to say


def test_lines_that_are_no_headerless_table_are_left_alone() -> None:
    log = "".join(f"2024-05-0{1 + i % 9} 10:{i % 60:02d}:00 status installed pkg{i}:amd64 1.{i}\n" for i in range(40))
    assert table_look(log, "How many packages were installed?") is None  # its colons are times
    config = "".join(f"key{i}: value {i}\n" for i in range(20))
    assert table_look(config, "How many keys?") is None  # two columns: a key and its value


def test_review_what_a_table_cannot_say_is_not_offered() -> None:
    amounts = "order_id,country,amount\n1,Spain,10.50\n2,Italy,3.20\n3,Italy,4.10\n4,Italy,2.00\n5,France,7.25\n6,Spain,99.99\n"
    assert table_look(amounts, "Which country has the highest total amount?").counted == "Spain"  # type: ignore[union-attr]
    text, _ = _orders()
    for question in ("How many orders went to Spain or France?",  # two values of one column
                     "Which country placed the largest order?", "Which country placed the most recent order?",
                     "Which country had the most unshipped orders?",  # a filter no column writes
                     ):
        look = table_look(text, question)
        assert look is not None and look.counted == "", question
    sales = "invoice,customer,region,price,quantity\nI1,Ann,North,5.00,1\nI2,Ann,North,5.00,1\nI3,Bo,North,5.00,1\n" \
            "I4,Cy,South,900.00,3\nI5,Di,East,20.00,2\n"
    for question in ("Which region generated the most revenue?", "Which customer spent the most?"):
        assert table_look(sales, question).counted == "", question  # type: ignore[union-attr]
    tickets = "id,country,department\n1,US,IT\n2,US,Sales\n3,UK,IT\n4,DE,HR\n5,US,Sales\n6,UK,Sales\n7,DE,IT\n"
    us = table_look(tickets, "Can you tell us which department has the most tickets?")
    assert us is not None and "r['country'] == 'US'" not in us.call and us.counted == ""  # "us" is no country
    it = table_look(tickets, "Which country has the most tickets in IT?")
    assert it is not None and "r['department'] == 'IT'" in it.call
    euro = "name;amount;country\nA;10,0;Spain\nB;10,0;Spain\nC;2,75;France\nD;2,75;France\nE;1,5;Italy\n"
    assert table_look(euro, "Which country has the highest total amount?").counted == ""  # type: ignore[union-attr]
    code = "def f(a, b, c):\n    return g(a, b, c)\nx = f(1, 2, 3)\ny = f(4, 5, 6)\nz = f(x, y, 0)\n"
    assert table_look(code, "How many calls to f?") is None  # code, not a table


def test_review_the_call_counts_the_rows_the_look_counted() -> None:
    for text in ("# exported 2024-01-01\nid,country,status\n1,Spain,shipped\n2,Spain,cancelled\n3,France,shipped\n"
                 "4,Italy,shipped\n5,Spain,shipped\n",
                 'id,country,comment,status\n1,Spain,"fine",shipped\n2,France,"line one\nline two, France",shipped\n'
                 '3,Spain,"ok",cancelled\n4,Italy,"a",shipped\n5,Spain,"b",shipped\n',
                 "| id | country | status |\n|:---|:---:|---:|\n| 1 | Spain | shipped |\n| 2 | Spain | cancelled |\n"
                 "| 3 | France | shipped |\n| 4 | Italy | shipped |\n| 5 | Spain | shipped |\n"):
        look = table_look(text, "How many orders were shipped?")
        assert look is not None and look.counted == "4"
        helpers.context = text
        assert eval(look.call, vars(helpers)) == 4
    headerless = "Alice,Spain,Widget,shipped\nBob,France,Gadget,shipped\nCarol,Spain,Gizmo,cancelled\n" \
                 "Dan,Spain,Widget,shipped\nEve,France,Widget,returned\n"
    assert table_look(headerless, "How many orders came from Spain?").counted == "3"  # type: ignore[union-attr]


def test_review_a_noun_no_column_names_is_a_step_and_a_value_in_two_columns_is_no_filter() -> None:
    import json

    users = _users()
    gold = sum(u["team"] == "data" for u in users)
    look = table_look("\n".join(json.dumps(u) for u in users), "How many users are in the data team?")
    assert look is not None and look.counted == "" and f"gives {gold}." in look.rows[-1]  # "users": rows, or what?
    grades = "student,math,science,english\nAnn,A,B,A\nBob,B,B,C\nCid,A,A,A\nDee,C,A,B\nEve,A,C,B\nFay,B,C,C\n"
    assert table_look(grades, "How many students got an A?").call == ""  # type: ignore[union-attr]
    math = table_look(grades, "How many students got an A in math?")
    assert math is not None and math.call == "len([r for r in table() if r['math'] == 'A'])"
    mail = "id,sender,recipient\n1,alice,bob\n2,alice,carol\n3,bob,carol\n4,dave,bob\n5,alice,bob\n6,carol,dave\n"
    assert table_look(mail, "How many emails did alice receive?").counted == ""  # type: ignore[union-attr]
    fewest = "order_id,country\n1,Spain\n2,Spain\n3,Spain\n4,France\n5,France\n6,Italy\n"
    assert table_look(fewest, "Which country has the lowest number of orders?").counted == "Italy"  # type: ignore[union-attr]
    totals = "region,rep,sales\nEast,Ann,100\nWest,Bob,200\nEast,Cid,150\nWest,Dee,120\nTotal,,570\n"
    assert table_look(totals, "Which region has the largest sum of sales?").counted != "Total"  # type: ignore[union-attr]
    servers = "hostname,region,status\nh1,us-east,running\nh2,us-east,stopped\nh3,eu,running\nh4,us-east,running\n"
    assert table_look(servers, "How many servers in us-east are down?").counted == ""  # type: ignore[union-attr]
    langs = "name,language\na,C\nb,C\nc,C#\nd,C#\ne,C#\nf,Go\n"
    assert table_look(langs, "How many developers are on C#?").call == "len([r for r in table() if r['language'] == 'C#'])"  # type: ignore[union-attr]


def test_how_many_of_a_columns_values_is_a_count_of_its_different_values() -> None:
    text, rows = _orders()
    gold = len({r["customer"] for r in rows if r["country"] == "Spain"})
    look = table_look(text, "How many different customers ordered from Spain?")
    assert look is not None and look.counted == str(gold)
    assert look.call == "len({r['customer'] for r in table() if r['customer'] and r['country'] == 'Spain'})"
    helpers.context = text
    assert eval(look.call, vars(helpers)) == gold
    countries = table_look(text, "How many countries ordered gizmos?")
    assert countries is not None and countries.counted == str(len({r["country"] for r in rows if r["product"] == "gizmo"}))
    assert table_look(text, "How many customers ordered more than once?").call == ""  # type: ignore[union-attr]


def test_review_a_distinct_count_needs_its_noun_to_head_the_phrase_and_no_quantifier() -> None:
    text, _ = _orders()
    assert table_look(text, "How many customer orders came from Spain?").counted == ""  # type: ignore[union-attr]
    for question in ("How many customers from Spain had all their orders shipped?", "How many customers ordered in January?"):
        look = table_look(text, question)
        assert look is not None and look.counted == "" and "len({" not in look.call, question


def _weather(n: int = 500, seed: int = 3) -> tuple[str, list[dict[str, str]]]:
    """A daily weather CSV: a date, two temperatures, wind and a category."""
    rng = random.Random(seed)
    day = date(2014, 11, 1)
    rows = [{"date": (day + timedelta(days=i)).strftime("%Y/%m/%d"), "temp_max": f"{rng.uniform(-5, 36):.1f}",
             "temp_min": f"{rng.uniform(-12, 20):.1f}", "wind": f"{rng.uniform(0, 9):.1f}",
             "weather": rng.choice(["sun", "rain", "fog", "snow"]), "precipitation": rng.choice(["0.0", "0.0", "1.5", "7.2"])}
            for i in range(n)]
    return "date,temp_max,temp_min,wind,weather,precipitation\n" + "\n".join(",".join(r.values()) for r in rows) + "\n", rows


def test_a_count_of_rows_past_a_bound_on_a_number_column_is_computed() -> None:
    # "On how many days did the daytime high reach 30 °C or more?" over a weather CSV: the
    # 1.5B counted the rows holding the word "weather" (the header's), and answered 1.
    text, rows = _weather()
    look = table_look(text, "On how many days in this weather record did the daytime high reach 30 °C or more?")
    assert look is not None
    hot = sum(1 for r in rows if float(r["temp_max"]) >= 30)
    assert look.counted == str(hot) and 0 < hot < len(rows)
    helpers.context = text
    assert eval(look.call, vars(helpers)) == hot  # the call shown gives the count shown
    cold = table_look(text, "How many days had a low below -5?")
    assert cold is not None and cold.counted == str(sum(1 for r in rows if float(r["temp_min"]) < -5))
    windy_rain = table_look(text, "How many rain days had wind over 5?")
    assert windy_rain is not None
    assert windy_rain.counted == str(sum(1 for r in rows if r["weather"] == "rain" and float(r["wind"]) > 5))
    # Unclear or more than a bound: not offered.
    for question in ("How many rainy days had wind over 5?",  # "rainy" is no value as written
                     "How many days had wind over 5 in 2015?",  # two numbers
                     "How many days had a temperature over 30?",  # two temperature columns
                     "How many days had wind of 5?"):  # no comparison
        unclear = table_look(text, question)
        assert unclear is None or unclear.counted == "", question


def test_a_count_over_a_period_of_a_date_column_is_computed() -> None:
    # "Counting from 1 November 2012 through 31 January 2013, on how many days was any
    # precipitation measured?": the rows of the period whose number column is above 0.
    text, rows = _weather()
    helpers.context = text

    def between(r: dict[str, str], a: str, b: str) -> bool:
        return a <= r["date"] <= b

    question = "Counting from 1 March 2015 through 30 April 2015, on how many days was any precipitation measured?"
    look = table_look(text, question)
    wet = sum(1 for r in rows if between(r, "2015/03/01", "2015/04/30") and float(r["precipitation"]) > 0)
    assert look is not None and look.counted == str(wet) and 0 < wet
    assert eval(look.call, vars(helpers)) == wet
    hot = table_look(text, "How many days from 1 June 2015 through 31 August 2015 had a high of at least 30?")
    assert hot is not None
    assert hot.counted == str(sum(1 for r in rows if between(r, "2015/06/01", "2015/08/31") and float(r["temp_max"]) >= 30))
    # "at least" is no ranking; "the most days" is.
    ranking = table_look(text, "Which weather had the most days over 30?")
    assert ranking is None or "to_number(r['temp_max'])" not in ranking.call


def test_a_bound_the_columns_cannot_say_whole_is_not_offered() -> None:
    # From a hostile review: words the text never writes still pick rows out or count other things.
    text, rows = _weather()
    for question in ("How many clear days had wind over 5?", "How many months had wind over 5?",
                     "How many windy days in Berlin had a low below 0?",
                     "How many days had a high not over 30?", "How many days did the high not exceed 30?",
                     "On how many days was any temp_min recorded?",  # a signed column: "any" is no "> 0"
                     "How many days lacked any precipitation?"):
        look = table_look(text, question)
        assert look is None or look.counted == "", question
    inclusive = table_look(text, "How many days had a high at or above 30?")
    assert inclusive is not None and "x >= 30" in inclusive.call
    assert inclusive.counted == str(sum(1 for r in rows if float(r["temp_max"]) >= 30))
    # A bound is written in the call as the question wrote it, not rounded.
    big = "day,amount\n" + "".join(f"2024-01-{d:02d},{1234000 + d * 100}\n" for d in range(1, 29))
    look = table_look(big, "On how many days was the amount over 1234567?")
    assert look is not None and "x > 1234567]" in look.call and look.counted == "23"


def test_a_ranking_of_periods_of_a_date_column_is_computed() -> None:
    # "Which month of which year had the greatest total precipitation?": the rows added up per
    # month of the date column; the 1.5B answered the first row's date.
    text, rows = _weather()
    helpers.context = text
    per: dict[str, float] = {}
    for r in rows:
        key = r["date"][:7].replace("/", "-")
        per[key] = per.get(key, 0) + float(r["precipitation"])
    look = table_look(text, "Which month of which year had the greatest total precipitation in this data set?")
    assert look is not None and look.counted == _top(per)
    assert max(eval(look.call, vars(helpers)).items(), key=lambda kv: kv[1])[0] == _top(per)
    # "Which month" alone over two years may mean a month of any year; an amount without
    # "total" may mean its largest value: shown, not offered.
    for question in ("Which month had the greatest total precipitation?", "Which month had the greatest precipitation?",
                     "Which day of the week had the highest total wind?",  # no column says a weekday
                     "Which month of which year had the greatest total precipitation in winter?",
                     "Which day in March had the highest total wind?"):
        shown = table_look(text, question)
        assert shown is None or shown.counted == "", question


def test_a_period_ranking_call_leaves_rows_without_a_date_out() -> None:
    rows = "".join(f"{'n/a' if i % 11 == 0 else f'2024-0{1 + i % 3}-{1 + i % 27:02d}'},{i % 7}\n" for i in range(120))
    text = "date,amount\n" + rows
    look = table_look(text, "Which month of which year had the highest total amount?")
    assert look is not None and look.counted
    helpers.context = text
    totals = eval(look.call, vars(helpers))
    assert None not in totals and "None" not in totals and max(totals, key=totals.get) == look.counted


def _panel(seed: int = 5) -> tuple[str, list[dict[str, str]]]:
    """A country-by-year table in gapminder's shape (abbreviated headers, a `year` column of
    numbers), generated: one row per country and year."""
    rng = random.Random(seed)
    rows = []
    for k in range(40):
        continent = rng.choice(["Africa", "Asia", "Europe", "Americas"])
        for year in range(1960, 2010, 5):
            rows.append({"country": f"Land{k:02d}", "continent": continent, "year": str(year),
                         "lifeExp": f"{rng.uniform(25, 85):.3f}", "pop": str(rng.randint(10**5, 10**9))})
    return "country,continent,year,lifeExp,pop\n" + "\n".join(",".join(r.values()) for r in rows) + "\n", rows


def _evaluated(call: str, text: str) -> object:
    """What the look's call gives when the root runs it over the text."""
    return eval(call, {"table": lambda: table(text), "to_number": helpers.to_number})


def test_the_row_ranked_by_a_named_number_answers_which_of_a_column_of_one_row_each() -> None:
    text, rows = _panel()
    in_2005 = [r for r in rows if r["year"] == "2005"]
    lowest = min(in_2005, key=lambda r: float(r["lifeExp"]))["country"]
    look = table_look(text, "In 2005, which country had the lowest life expectancy?")
    assert look is not None and look.counted == lowest  # "expectancy" names lifeExp; "in 2005" filters year
    assert look.call == "{r['country']: to_number(r['lifeExp']) for r in [r for r in table() if str(r['year']) == '2005']}"
    values = _evaluated(look.call, text)
    assert isinstance(values, dict) and min(values, key=values.__getitem__) == lowest
    largest = max(in_2005, key=lambda r: int(r["pop"]))["country"]
    assert table_look(text, "Which country had the largest population in 2005?").counted == largest  # type: ignore[union-attr]
    # Over all years a country has ten rows: its largest, its total or its average? Not offered.
    assert table_look(text, "Which country had the largest population?").counted == ""  # type: ignore[union-attr]
    # A table of one row a country ranks its rows with no filter at all.
    one_each = "country,population,area\n" + "\n".join(f"{r['country']},{r['pop']},{r['lifeExp']}" for r in in_2005)
    assert table_look(one_each, "Which country has the largest population?").counted == largest  # type: ignore[union-attr]


def test_a_span_of_years_and_a_bound_count_the_rows_between() -> None:
    text, rows = _panel()
    gold = sum(1970 <= int(r["year"]) <= 1985 and float(r["lifeExp"]) < 40 for r in rows)
    look = table_look(text, "Looking only at the years 1970 through 1985, how many rows show a life expectancy below 40?")
    assert look is not None and look.counted == str(gold)
    assert _evaluated(look.call, text) == gold
    # "in 2005" filters the year and "above 60" bounds lifeExp; "countries" are the rows, one each in 2005.
    gold = sum(r["year"] == "2005" and r["continent"] == "Asia" and float(r["lifeExp"]) > 60 for r in rows)
    look = table_look(text, "How many countries in Asia had a life expectancy above 60 in 2005?")
    assert look is not None and look.counted == str(gold) and _evaluated(look.call, text) == gold
    # Over every year a country is counted once for each of its rows: no count of countries.
    assert table_look(text, "How many countries in Asia had a life expectancy above 60?").counted == ""  # type: ignore[union-attr]


def test_a_number_column_is_years_only_by_its_name() -> None:
    text = "item,price,stock\n" + "\n".join(f"i{k},{1999 if k % 3 else 2005},{k}" for k in range(30))
    look = table_look(text, "How many items were priced in 1999?")
    assert look is not None and "r['price'] == '1999'" not in look.call  # a price of 1999 is no year


def test_a_json_object_wrapping_one_array_of_objects_is_a_table_of_them() -> None:
    import json

    users = _users()
    gold = sum(u["team"] == "web" and u["role"] == "admin" for u in users)
    for wrapped in ({"version": 2, "users": users}, {"users": users}):
        text = json.dumps(wrapped, indent=2)
        look = table_look(text, "How many admins are in the web team?")
        assert look is not None and look.rows[0].startswith("It is a table: 120 JSON objects with 5 fields")
        assert f"gives {gold}." in look.rows[-1]
        assert len(table(text)) == 120
    # Two arrays of objects: which are the rows, the text does not say.
    assert table_look(json.dumps({"users": users, "admins": users[:5]}, indent=2), "How many users?") is None


def test_fields_few_objects_have_are_named_with_how_many_have_them() -> None:
    import json

    users = _users()
    for u in users[:7]:
        u["alias"] = u["name"].upper()
    look = table_look(json.dumps(users, indent=2), "How many users have an alias?")
    assert look is not None and "Some objects also have: alias 7;" in look.rows[1]
    assert sum(r["alias"] is not None for r in table(json.dumps(users))) == 7  # r[name] is None where missing


def test_a_start_written_with_a_slash_counts_the_cells_it_begins() -> None:
    rng = random.Random(3)
    kinds = ["image/png", "image/gif", "image/x-icon", "audio/ogg", "text/plain", "application/x-image-disk"]
    picked = [rng.choice(kinds) for _ in range(80)]
    text = "# generated\n" + "".join(f"50:{kind}:*.e{k}\n" for k, kind in enumerate(picked))
    gold = sum(kind.startswith("image/") for kind in picked)
    look = table_look(text, "How many of these patterns map to an image/ type?")
    assert look is not None and f"gives {gold}." in look.rows[-1]  # not 'application/x-image-disk'
    assert "cols(l, ':')[1].startswith('image/')" in look.call
    assert eval(look.call, {"lines": lambda: text.split("\n"), "cols": helpers.cols}) == gold


@pytest.mark.parametrize("question", [
    "Which country had the highest population growth in 2005?",  # no column of growth
    "Which country outside Asia had the lowest life expectancy in 2005?",  # "outside" is no filter for Asia
    "Which country had the highest total lifeExp per head in 2005?",
    "How many continent-years had a life expectancy below 45?",  # continent and year name many rows each
])
def test_a_ranking_or_count_the_columns_do_not_say_is_not_offered(question: str) -> None:
    text, _ = _panel()
    look = table_look(text, question)
    assert look is None or look.counted == ""


def test_a_price_column_named_only_in_part_and_a_high_column_are_not_what_highest_means() -> None:
    rows = [(f"2020-01-0{d}", 10 + d, 20 - d, 5 + d, 9 + (d * 7) % 5) for d in range(1, 9)]
    text = "Date,Open,High,Low,Close\n" + "\n".join(",".join(map(str, r)) for r in rows)
    assert table_look(text, "Which date had the highest closing price?").counted == ""  # type: ignore[union-attr]


def test_a_year_span_with_months_is_no_span_of_a_year_column() -> None:
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    text = "product,year,month,sales\n" + "\n".join(
        f"p{k},{y},{m},{(k * 37 + y) % 200}" for k in range(3) for y in (2006, 2007, 2008) for m in months)
    look = table_look(text, "How many rows have sales above 100 from March 2007 to June 2007?")
    assert look is None or look.counted == ""


def test_a_json_number_year_is_filtered_as_the_call_reads_it() -> None:
    import json

    _, rows = _panel()
    objects = [{**r, "year": int(r["year"]), "lifeExp": float(r["lifeExp"]), "pop": int(r["pop"])} for r in rows]
    look = table_look(json.dumps(objects), "In 2005, which country had the lowest life expectancy?")
    gold = min((r for r in rows if r["year"] == "2005"), key=lambda r: float(r["lifeExp"]))["country"]
    assert look is not None and look.counted == gold
    values = eval(look.call, {"table": lambda: table(json.dumps(objects)), "to_number": helpers.to_number})
    assert min(values, key=values.__getitem__) == gold  # the call the root runs agrees with what is offered


def test_a_count_between_two_numbers_keeps_both_ends() -> None:
    rng = random.Random(2)
    rows = [(f"A{i}", rng.choice(["OR", "WA"]), rng.randint(30, 60), round(rng.uniform(-125, -100), 3)) for i in range(300)]
    text = "iata,state,latitude,longitude\n" + "\n".join(",".join(map(str, r)) for r in rows)
    gold = sum(45 <= r[2] <= 50 for r in rows)  # whole degrees: rows on both ends are kept
    look = table_look(text, "How many rows have a latitude between 45 and 50?")
    assert look is not None and look.counted == str(gold)
    assert eval(look.call, {"table": lambda: table(text), "to_number": helpers.to_number}) == gold
    # "airports" may be the rows or not: the count is a step, not the answer.
    for question in ("How many airports have a latitude from 45 to 50?",
                     "How many airports lie between 45 and 50 degrees latitude?"):
        look = table_look(text, question)
        assert look is not None and look.counted == "" and f"gives {gold} rows with 45 <= latitude <= 50." in look.rows[-1]


def test_the_most_of_a_noun_the_table_does_not_name_is_a_step_by_rows() -> None:
    rng = random.Random(6)
    states = [rng.choice(["AK", "TX", "CA", "OR"]) for _ in range(200)]
    text = "iata,name,state,latitude\n" + "\n".join(f"X{i:03d},Field {i},{s},{rng.uniform(20, 60):.3f}"
                                                  for i, s in enumerate(states))
    top = max(set(states), key=states.count)
    for question in ("Which state has the most airports?", "Which US state has the most airports in this list?"):
        look = table_look(text, question)
        assert look is not None and look.counted == ""  # whether a row is one airport, the table does not say
        assert look.rows[-1].startswith("A step: count_by(table(), 'state') gives") and f"; {top} first." in look.rows[-1]


def test_a_quoted_word_counts_the_rows_whose_named_column_holds_it() -> None:
    import json

    rng = random.Random(8)
    objects = [{"code": f"C{i}", "name": f"Land {i}"} for i in range(60)]
    for o in objects:
        if rng.random() < 0.6:  # a field fewer than nine in ten objects have
            o["official_name"] = rng.choice(["Kingdom of X", "Republic of Y", "United Kingdom of Z", "Kingdomland"])
    text = json.dumps({"countries": objects}, indent=1)
    gold = sum(bool(re.search(r"\bkingdom\b", o.get("official_name", ""), re.I)) for o in objects)
    look = table_look(text, 'How many rows have the word "Kingdom" in their official name?')
    assert look is not None and look.counted == str(gold)  # not "Kingdomland"
    code, expression = look.call.split("; ", 1)
    assert code == "import re" and eval(expression, {"re": re, "table": lambda: table(text)}) == gold
    look = table_look(text, 'How many countries have "Kingdom" in their official name?')
    assert look is not None and look.counted == "" and f"gives {gold} rows" in look.rows[-1]  # countries: rows?
    titled = "title,year\n" + "\n".join(f"{t},{1950 + i}" for i, t in enumerate(["Moon", "Blue Moon", "Paper Moon",
                                                                                   "Moon River", "Sun"] * 3))
    # "the title 'Moon'" is the whole title (3 rows), not the 12 whose title holds the word.
    assert table_look(titled, 'How many rows have the title "Moon"?').counted == "3"  # type: ignore[union-attr]


def test_a_column_of_nearly_unique_values_groups_nothing_beside_one_that_repeats() -> None:
    rng = random.Random(12)
    kinds = [rng.choice(["text/plain", "image/png", "audio/ogg", "text/x-unit"]) for _ in range(300)]
    kinds += ["text/x-unit"] * 5
    globs = [f"*.e{i}" for i in range(len(kinds))]
    globs[7] = globs[9] = "*.iso"  # a pattern twice: the column still names each line
    text = "".join(f"50:{k}:{g}\n" for k, g in zip(kinds, globs, strict=True))
    look = table_look(text, "Which MIME type has the largest number of filename patterns?")
    top = max(set(kinds), key=kinds.count)
    assert look is not None and look.rows[-1].startswith("A step: count_by([c[1] ") and f"; {top} first." in look.rows[-1]


def test_a_header_written_as_a_comment_is_the_tables_header() -> None:
    # `sadf -d` writes "# hostname;interval;timestamp;IFACE;..." above its rows.
    rows = [f"vm;2;2026-12-06 11:{10 + i // 4:02d}:11 UTC;{('lo', 'ifb0', 'ifb1', 'eth0')[i % 4]};"
            f"{i * 1.5:.2f};0.00;{(i * 37) % 1500:.2f};0.00" for i in range(80)]
    text = "# hostname;interval;timestamp;IFACE;rxpck/s;txpck/s;rxkB/s;txkB/s\n" + "\n".join(rows) + "\n"
    look = orientation(text, "In how many samples did the lo interface receive more than 1000 kB per second?")
    assert look.table is not None and look.header[3] == "IFACE" and len(look.table.rows) == 80
    records = table(text)
    assert len(records) == 80 and records[0]["IFACE"] == "lo" and records[0]["rxkB/s"] == "0.00"
    # A comment that is no header stays a comment; one above a header line too.
    noted = "# exported by sadf on 2026-12-06\n" + text.split("\n", 1)[1]
    assert "no header line" in orientation(noted, "How many rows are there?").text
    above = "# hostname;interval;timestamp;IFACE;rxpck/s;txpck/s;rxkB/s;txkB/s\n" + text.replace("# ", "", 1)
    assert len(table(above)) == 80 and table(above)[0]["IFACE"] == "lo"


def _ps(n: int = 120) -> str:
    rng = random.Random(1)
    rows = ["USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND"]
    for i in range(n):
        user = ("root", "www-data", "postgres", "alice", "bob")[(i * 7) % 5 if i % 9 else 0]
        rows.append(f"{user:<10} {1000 + i:>5} {rng.random() * 20:4.1f} {rng.random() * 5:4.1f} "
                    f"{rng.randint(1000, 900000):>6} {rng.randint(100, 90000):>5} ?        Ss   06:23   0:{i % 60:02d} "
                    f"/usr/bin/prog{i % 7} --flag --level {i % 3}")
    return "\n".join(rows) + "\n"


def test_columns_aligned_by_spaces_under_a_header_are_a_table() -> None:
    # `ps aux`: padded columns, the last one a command with its arguments.
    text = _ps()
    look = orientation(text, "Which user runs the most processes?")
    assert look.table is not None and look.header[:3] == ("USER", "PID", "%CPU") and len(look.table.rows) == 120
    assert look.table.rows[0][-1].startswith("/usr/bin/prog0 --flag") and "space-separated" in look.text
    records = table(text)
    top = max({r["USER"] for r in records}, key=lambda u: sum(r["USER"] == u for r in records))
    assert f"{top} first" in look.text  # the look's count agrees with table()'s rows
    # A sentence over log lines is no header: single spaces, words a log line would write.
    log = "Trace of the nightly job\n" + "\n".join(f"{16615 + i % 3} 09:04:{i % 60:02d}.5 read(3, x) = {i}"
                                                  for i in range(100))
    logged = orientation(log, "Which call shows up most?").table
    assert logged is None or logged.row == "one line of a log"  # a log's own lines, not columns under a header


def _wide(years: range, countries: list[str]) -> tuple[str, dict[tuple[str, int], float]]:
    """A World Bank-shaped CSV: names, then one column per year; some cells empty."""
    rng = random.Random(7)
    values: dict[tuple[str, int], float] = {}
    lines = ["Country Name,Country Code,Indicator Name," + ",".join(str(y) for y in years)]
    for c in countries:
        cells = []
        for y in years:
            if rng.random() < 0.1:
                cells.append("")
                continue
            values[c, y] = round(rng.uniform(1, 7), 3)
            cells.append(str(values[c, y]))
        lines.append(f'{c},{c[:3].upper()},"Fertility rate, total (births per woman)",' + ",".join(cells))
    return "\n".join(lines) + "\n", values


def test_a_wide_table_of_one_column_per_year_is_queried_as_one_row_per_year() -> None:
    countries = ["Aruba", "Ireland", "Thailand", "Chad", "Peru", "Nepal"]
    text, values = _wide(range(1960, 2014), countries)
    look = orientation(text, "How many children per woman did Thailand have in 1985?")
    assert look.table is not None and look.table.header == ("Country Name", "Country Code", "Indicator Name", "year", "value")
    assert "columns: Country Name, Country Code, Indicator Name, one column per year from 1960 to 2013." in look.text
    assert len(look.table.rows) == len(values)  # an empty cell is no row
    told = schema(look.table, "How many countries are there?")
    assert "here a row is one of its rows in one year it has a value for (`year`, `value`)" in told
    assert "COUNT(*) counts such rows and years, COUNT(DISTINCT Country_Name) the file's rows." in told
    assert run_select(look.table, "SELECT value FROM t WHERE Country_Name = 'Thailand' AND year = 1985").rows == (
        ((values["Thailand", 1985],),) if ("Thailand", 1985) in values else ())
    above = sum(1 for y in range(1970, 1991) if values.get(("Ireland", y), 0) > 3)
    assert run_select(look.table, "SELECT COUNT(*) FROM t WHERE Country_Name = 'Ireland' AND year BETWEEN 1970 AND 1990 "
                                  "AND value > 3").rows == ((above,),)
    # A header of a few years, or of years out of order, is no wide table.
    assert orientation(_wide(range(2001, 2004), countries)[0], "Which country had the most?").table is None
    shuffled = text.split("\n")[0].replace("1961,1962", "1962,1961")
    assert shuffled != text.split("\n")[0]
    assert orientation("\n".join([shuffled, *text.split("\n")[1:]]), "Which country had the most?").table is None


def test_a_csv_whose_row_names_column_is_unnamed_is_a_table_under_its_header() -> None:
    # R's write.csv (and pandas' to_csv) leave the first header cell empty: `"","year","country",...`.
    lines = ['"","year","country","sr"'] + [f'"{i + 1}",{1960 + i % 20},"{c}",{10 + i % 7}.5'
                                            for i, c in enumerate(["ALGERIA", "KENYA", "CHILE"] * 20)]
    csv_text = "\n".join(lines) + "\n"
    look = orientation(csv_text, "Which country had the highest sr on average?")
    assert look.table is not None and look.table.header == ("row", "year", "country", "sr")
    assert "It is a table: 60 rows under a header line" in look.text
    rows = table(csv_text)
    assert len(rows) == 60 and rows[0]["row"] == "1" and rows[0]["country"] == "ALGERIA"
    # A header whose other cells are empty too, or one naming a column "row" already, is left as written.
    assert helpers._table_cells('"","",x\n1,2,3\n')[0] == ["", "", "x"]
    assert helpers._table_cells('"",row,x\n1,2,3\n')[0] == ["", "row", "x"]


def test_review_a_data_row_with_an_empty_first_cell_keeps_it_empty() -> None:
    # Only a table's header names its unnamed first column; a row alone is its cells.
    assert helpers._table_cells(",Berlin,3.5", ",", header=False)[0] == ["", "Berlin", "3.5"]
    assert helpers._table_cells(",Berlin,3.5", ",")[0] == ["row", "Berlin", "3.5"]


def test_a_period_of_a_values_peak_is_no_count_of_rows() -> None:
    # "In which month was XRX's price at its highest": no column the question names holds the
    # price (the ticker is "Xerox" in words), and counting each month's rows answers nothing.
    rows = "".join(f"{1990 + i // 12}-{1 + i % 12:02d}-01,{10 + i % 17}.5,{3 + i % 5}.25\n" for i in range(60))
    text = "Date,XRX,IBM\n" + rows + "1991-05-01,1.0,2.0\n"  # a month of two rows: the most rows
    look = table_look(text, "In which month was Xerox's share price at its highest in this table?")
    assert look is None or ("count_by" not in look.call and look.counted == "")
    most = table_look(text, "Which month of which year has the most rows in this table?")
    assert most is not None and most.counted == "1991-05"


CALENDAR = "\r\n".join([
    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//EN",
    *[line for i in range(6) for line in (
        "BEGIN:VEVENT", f"SUMMARY:Workshop {i}\\, part one", f"DTSTART:2027030{i + 1}T1{i}3000Z",
        f"ORGANIZER;CN=\"{'Ann Lee' if i % 2 else 'Bo Ek'}\":mailto:t{i}@example.org",
        f"DESCRIPTION:Workshop {i} with a long description that a calendar folds at seven",
        " ty-five characters\\; it goes on.",
        f"STATUS:{'CANCELLED' if i == 3 else 'CONFIRMED'}",
        "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:Reminder", "END:VALARM", "END:VEVENT")],
    "END:VCALENDAR", ""])


def test_a_calendars_events_are_records_unfolded_unescaped_with_iso_dates() -> None:
    rows = table(CALENDAR)
    assert len(rows) == 6
    first = rows[0]
    assert first["summary"] == "Workshop 0, part one" and first["dtstart"] == "2027-03-01T10:30:00Z"
    assert first["organizer"] == "Bo Ek" and first["organizer_address"] == "t0@example.org"
    assert first["description"].endswith("seventy-five characters; it goes on.")  # an alarm's description is no field
    look = orientation(CALENDAR, "How many events did Ann Lee organise, leaving out cancelled ones?")
    assert "It is a table: 6 entries (calendar or contact components)" in look.text
    assert "CANCELLED'])" not in look.text  # a value set aside is no filter to keep
    assert look.table is not None


def test_an_object_of_objects_by_key_is_rows_with_their_key() -> None:
    text = '{"AD": {"name": "Andorra", "area": 468}, "AE": {"name": "UAE", "area": 82880}, "AF": {"name": "Afghanistan", "area": 647500}}'
    rows = table(text)
    assert [r["key"] for r in rows] == ["AD", "AE", "AF"] and rows[1]["area"] == 82880
    coded = '{"AD": {"iso": "AD", "n": 1}, "AE": {"iso": "AE", "n": 2}, "AF": {"iso": "AF", "n": 3}}'
    assert "key" not in table(coded)[0]  # a field already writes each key


GPX = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.0" xmlns="http://www.topografix.com/GPX/1/0">
<wpt lat="1" lon="2"><name>001</name></wpt>
<trk><name>Morning</name><trkseg>
""" + "".join(f'<trkpt lat="45.{i}" lon="14.{i}"><ele>{700 + i}</ele><time>2010-10-03T11:0{i}:00Z</time></trkpt>\n'
              for i in range(4)) + """</trkseg></trk>
<trk><name>Evening</name><trkseg>
""" + "".join(f'<trkpt lat="46.{i}" lon="15.{i}"><ele>{900 - i}</ele></trkpt>\n' for i in range(3)) + "</trkseg></trk></gpx>\n"


def test_an_xml_files_repeated_elements_are_records_named_by_those_around_them() -> None:
    rows = table(GPX)
    assert len(rows) == 7  # the track points; the waypoint is one of its kind
    assert rows[0]["trk_name"] == "Morning" and rows[0]["ele"] == "700" and rows[0]["time"] == "2010-10-03T11:00:00Z"
    assert rows[-1]["trk_name"] == "Evening" and rows[-1]["trk_number"] == "2" and rows[-1]["time"] is None
    look = orientation(GPX, "Which track climbs to the greatest elevation?")
    assert "It is a table: 7 entries (an XML file's repeated elements" in look.text and look.table is not None
    # Entities are never expanded, and a web page is no table.
    assert helpers._json_records('<!DOCTYPE a [<!ENTITY x "y">]><a>' + "<b k='1'/>" * 9 + "</a>") is None
    assert helpers._json_records("<html><body>" + "<p class='x'>hi</p>" * 9 + "</body></html>") is None


def test_review_calendar_and_contact_files_keep_every_attendee_event_and_number() -> None:
    def event(i: int, extra: str = "") -> str:
        return f"BEGIN:VEVENT\r\nUID:{i}\r\nSUMMARY:Meeting {i}\r\nDTSTART;TZID=America/New_York:2027010{i}T100000\r\n{extra}END:VEVENT\r\n"
    people = "ATTENDEE;CN=Ann Lee:mailto:ann@x.org\r\nATTENDEE;CN=Bob Ray:mailto:bob@x.org\r\n"
    alarms = "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\n" * 2
    rows = table("BEGIN:VCALENDAR\r\n" + "".join(event(i, people + alarms) for i in range(1, 4)) + "END:VCALENDAR\r\n")
    assert len(rows) == 3 and rows[0]["summary"] == "Meeting 1"  # the alarms are no rows
    assert rows[0]["attendee"] == "Ann Lee, Bob Ray" and rows[0]["attendee_address"] == "ann@x.org, bob@x.org"
    assert rows[0]["dtstart"] == "2027-01-01T10:00:00" and rows[0]["dtstart_tzid"] == "America/New_York"
    cards = "".join(f"BEGIN:VCARD\nVERSION:2.1\nFN:{n}\nTEL;CELL;PREF:{t}\nitem1.EMAIL;type=INTERNET:{n}@x.no\n"
                    f"NOTE:C:\\\\new\\, room\nEND:VCARD\n" for n, t in [("Ola", "98765432"), ("Kari", "22334455"), ("Per", "4")])
    cards_rows = table(cards)
    assert cards_rows[0]["tel"] == "98765432" and cards_rows[0]["email"] == "Ola@x.no"  # a phone number is no date
    assert cards_rows[0]["note"] == "C:\\new, room"  # an escaped backslash before "n" is no line break


def test_review_a_web_pages_fragment_and_a_fenced_table_are_no_rows() -> None:
    assert helpers._json_records("<div>" + "<p class='x'>hi</p>" * 9 + "</div>") is None
    assert len(helpers._json_records("\ufeff<?xml version='1.0'?><a>" + "<b k='1'/>" * 6 + "</a>") or []) == 6  # a BOM
    fenced = "# Guide\n\nProse.\n\n```\n| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * 9 + "```\n\nMore prose.\n"
    from recursor.look_pipe_tables import pipe_tables
    assert pipe_tables(fenced) is None


def _subtitles(n: int, crlf: bool = False) -> str:
    blocks = []
    for i in range(1, n + 1):
        start = 60.0 * i + 0.25
        shown = 0.5 if i == 7 else 2.0 + i % 3
        stamp = [f"{int(t) // 3600:02d}:{int(t) // 60 % 60:02d}:{int(t) % 60:02d},{round(t % 1 * 1000):03d}"
                 for t in (start, start + shown)]
        blocks.append(f"{i}\n{stamp[0]} --> {stamp[1]}\n<i>Line {i}</i>\nand more")
    text = "\n\n".join(blocks) + "\n"
    return text.replace("\n", "\r\n") if crlf else text


def test_subtitle_cues_are_records_with_their_times_and_seconds_on_screen() -> None:
    # "Which subtitle is shown for less than one second?": a SubRip file's cues are its rows.
    rows = table(_subtitles(40, crlf=True))
    assert len(rows) == 40
    assert dict(rows[6]) == {"number": 7, "start": "00:07:00.250", "end": "00:07:00.750", "seconds": 0.5,
                             "text": "Line 7 and more"}
    told = schema(orientation(_subtitles(40), "Which subtitle is the only one shown for less than a second?").table,
                  "Which subtitle is the only one shown for less than a second?")
    assert "- start: time HH:MM:SS.mmm, 00:01:00.250 to 00:40:00.250" in told
    assert "- seconds: number, 0.5 to 4.0" in told
    assert run_select(orientation(_subtitles(40), "Which?").table,
                      "SELECT number FROM t WHERE seconds < 1").rows == ((7,),)
    # WebVTT: a header, a NOTE, identifiers or none, hours left out, settings after the timing.
    vtt = ("WEBVTT - a film\n\nNOTE made here\n\nintro\n00:27.074 --> 00:30.566 align:start\nHello\n\n"
           "01:00.000 --> 01:02.500\nTwo\n\n3\n01:00:00.000 --> 01:00:01.000\nThree\n")
    assert [dict(r) for r in table(vtt)] == [
        {"number": "intro", "start": "00:00:27.074", "end": "00:00:30.566", "seconds": 3.492, "text": "Hello"},
        {"number": 2, "start": "00:01:00.000", "end": "00:01:02.500", "seconds": 2.5, "text": "Two"},
        {"number": 3, "start": "01:00:00.000", "end": "01:00:01.000", "seconds": 1.0, "text": "Three"}]
    # Prose that mentions an arrow, or two cues, is no subtitle file.
    assert helpers._json_records("1\n00:00:01,000 --> 00:00:02,000\nOne\n\n2\n00:00:03,000 --> 00:00:04,000\nTwo") is None
    assert helpers._json_records("The release went from 1.0 --> 2.0 fast.\n") is None


def test_a_table_of_columns_apart_by_spaces_with_no_header_is_a_table_for_the_query_writer() -> None:
    text = "\n".join(f"{name:<14} {share:.3f} {k + 1:>6}" for k, (name, share) in
                     enumerate((f"NAME{k}", 2.6 / (k + 1)) for k in range(30))) + "\n"
    look = table_look(text, "What rank does NAME7 hold?")
    assert look is not None and look.table is not None
    assert look.rows[0] == ("It is a table with no header line: 30 lines of 3 columns apart by spaces; "
                            "cols(line) splits one (columns counted from 0).")
    assert run_select(look.table, "SELECT column_2 FROM t WHERE column_0 = 'NAME7'").rows == ((8,),)
    # A header line names the columns (review: it was a row, and made the numbers text); a longer
    # line's rest is its last cell (`ls -l`'s `name -> target`); shorter lines are told left out.
    headed = "score rank name\n" + "".join(f"{20 + k} {k + 1} player{k}\n" for k in range(25)) + "total 9\n"
    headed += "1 26 a -> b\n"
    look = table_look(headed, "What is the average score?")
    assert look is not None and look.table is not None
    assert look.rows[0] == ("It is a table under a header line of 3 columns apart by spaces: score, rank, name "
                            "(1 shorter lines left out); cols(line) splits one (columns counted from 0).")
    assert run_select(look.table, "SELECT AVG(score), MAX(rank) FROM t WHERE name LIKE 'player%'").rows == ((32.0, 25),)
    assert run_select(look.table, "SELECT name FROM t WHERE rank = 26").rows == (("a -> b",),)
    # A few short lines are no table (a recipe's).
    assert table_look("2 cups flour\n1 tsp salt\n3 eggs beaten\n1 cup milk\n2 tbsp butter\n", "How much flour?") is None
    # Prose, a log, words in columns with no number, or indented lines are no such table.
    assert table_look("\n".join(f"the quick brown fox {k}" if k % 3 else "a line of other words" for k in range(20)),
                      "Which?") is None
    assert table_look("\n".join(f"2027-01-01 10:00:{k:02d} INFO ok" for k in range(20)), "How many?") is None
    assert table_look("\n".join(f"alpha beta gamma{k % 2}" for k in range(20)), "Which?") is None
    assert table_look("\n".join(f"    x {k} {k + 1}" for k in range(30)), "Which?") is None


SQLITE_DUMP = """PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE "parish" ("id" INTEGER PRIMARY KEY, "name" TEXT);
INSERT INTO "parish" VALUES(1,'Upper Holt');
INSERT INTO "parish" VALUES(2,'Otterby');
CREATE TABLE "exhibitor" ("id" INTEGER PRIMARY KEY, "name" TEXT, "parish_id" INTEGER);
CREATE TABLE "class" ("id" INTEGER PRIMARY KEY, "title" TEXT);
INSERT INTO "class" VALUES(1,'Jar of Jam');
INSERT INTO "class" VALUES(2,'Bantam Hen');
CREATE TABLE "entry" ("id" INTEGER PRIMARY KEY, "class_id" INTEGER REFERENCES "class"("id"),
   "exhibitor_id" INTEGER REFERENCES "exhibitor"("id"), "placing" TEXT);
""" + "".join(f"INSERT INTO \"exhibitor\" VALUES({k},'Person {k}',{1 + k % 2});\n" for k in range(1, 6)) + "".join(
    f"INSERT INTO \"entry\" VALUES({k},{1 + k % 2},{1 + k % 5},{'NULL' if k % 3 else repr(str(k % 2 + 1))});\n"
    for k in range(1, 13)) + "ATTACH DATABASE '/tmp/x.db' AS x;\nCOMMIT;\n"


def test_an_sql_dump_is_its_largest_table_with_the_rows_its_keys_name() -> None:
    rows = table(SQLITE_DUMP)
    assert len(rows) == 12
    # Declared keys, and `parish_id` naming the table parish, are followed two deep.
    assert dict(rows[2]) == {"id": 3, "class_id": 2, "exhibitor_id": 4, "placing": "2", "class_title": "Bantam Hen",
                             "exhibitor_name": "Person 4", "exhibitor_parish_id": 1, "exhibitor_parish_name": "Upper Holt"}
    look = table_look(SQLITE_DUMP, "Which parish won the most first prizes?")
    assert look is not None and look.table is not None
    assert look.rows[0].startswith("It is a table: 12 rows of an SQL dump's largest table, entry, each with the rows its "
                                   "keys name in class, exhibitor, parish (their columns named after the key)")
    assert run_select(look.table, "SELECT exhibitor_parish_name, COUNT(*) FROM t WHERE placing = '2' "
                                  "GROUP BY 1 ORDER BY 2 DESC, 1").rows == (("Otterby", 1), ("Upper Holt", 1))
    # mysqldump's own options and keys are read past; a statement SQLite refuses is skipped.
    mysql = ("-- MySQL dump 10.13\n/*!40101 SET NAMES utf8mb4 */;\nDROP TABLE IF EXISTS `item`;\n"
             "CREATE TABLE `item` (\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n  `name` varchar(40) COMMENT 'its name',\n"
             "  PRIMARY KEY (`id`),\n  KEY `by_name` (`name`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n"
             "LOCK TABLES `item` WRITE;\nINSERT INTO `item` VALUES (1,'a'),(2,'b'),(3,'c'),(4,'d');\n"
             "INSERT INTO `item` VALUES (5,'e', 'too many');\nUNLOCK TABLES;\n")
    assert [r["name"] for r in table(mysql)] == ["a", "b", "c", "d"]
    # Only tables and rows are made: a dump that creates a view, a trigger or attaches a file does nothing else.
    assert helpers._dump_rows("CREATE TABLE t (a);\nINSERT INTO t VALUES (1),(2),(3);\nCREATE VIEW v AS SELECT 1;\n"
                              "CREATE TRIGGER g AFTER INSERT ON t BEGIN DELETE FROM t; END;\n"
                              "INSERT INTO t VALUES (4);\n") == ("t", [], [{"a": 1}, {"a": 2}, {"a": 3}, {"a": 4}])
    assert helpers._json_records("CREATE TABLE t (a);\nINSERT INTO t VALUES (1);\n") is None  # one row: no table


LOCK = 'version = 1\nrequires-python = ">=3.11"\n\n' + "\n".join(
    f'[[package]]\nname = "pkg{k}"\nversion = "1.{k}.0"\nsource = {{ registry = "https://pypi.org/simple" }}\n'
    f'sdist = {{ url = "https://x/pkg{k}.tar.gz", size = {1000 + k}, upload-time = "2026-0{1 + k % 9}-02T10:00:00Z" }}\n'
    f'wheels = [\n' + "".join(f'    {{ url = "https://x/pkg{k}-{w}.whl", size = {w} }},\n' for w in range(k % 4 + 1)) + "]\n"
    for k in range(12))


def test_a_toml_array_of_tables_is_a_table_with_its_inline_tables_as_fields() -> None:
    rows = table(LOCK)
    assert len(rows) == 12 and rows[3]["name"] == "pkg3" and rows[3]["sdist_upload-time"] == "2026-04-02T10:00:00Z"
    look = table_look(LOCK, "Which package offers the most wheel files?")
    assert look is not None and look.table is not None
    assert look.rows[0].startswith("It is a table: 12 tables of the TOML array [[package]] (an inline table's keys are "
                                   "fields: sdist = { size = ... } is r['sdist_size']) with 7 fields")
    told = schema(look.table, "Which package offers the most wheel files?")
    assert "each a JSON list: json_array_length(wheels) counts its items" in told
    assert run_select(look.table, "SELECT name FROM t ORDER BY json_array_length(wheels) DESC, name LIMIT 1").rows == (
        ("pkg11",),)
    # TOML with no array of tables, or one of two tables, or a text that only looks like one, is none.
    assert helpers._json_records('[tool.x]\na = 1\n[[bin]]\nname = "a"\n[[bin]]\nname = "b"\n') is None
    assert helpers._json_records("[[not toml]]\n= = =\n") is None


def test_review_sql_dumps_load_as_written_and_nothing_else_runs() -> None:
    import time

    # Leading blank lines or comment banners are read once: the first look never hangs on them.
    started = time.monotonic()
    assert helpers._DUMP_START.match("\n" * 40 + " " * 40 + "hello") is None
    assert helpers._DUMP_START.match("/* c */\n" * 60 + "body { color: red }\n") is None
    assert time.monotonic() - started < 1
    # A BLOB is its hex; a text's newlines written `replace(..., char(10))` load; `REFERENCES parent` is its key.
    rows = table("BEGIN TRANSACTION;\nCREATE TABLE customer(code TEXT PRIMARY KEY, name TEXT, thumb BLOB);\n"
                 "INSERT INTO customer VALUES('c1',replace('Ann\\nLee','\\n',char(10)),X'89504E47');\n"
                 "INSERT INTO customer VALUES('c2','Bo',NULL);\n"
                 "CREATE TABLE orders(id INTEGER PRIMARY KEY, customer TEXT REFERENCES customer, line INTEGER,"
                 " FOREIGN KEY (id, line) REFERENCES part(a, b));\n"
                 + "".join(f"INSERT INTO orders VALUES({k},'c{1 + k % 2}',{k});\n" for k in range(1, 7)) + "COMMIT;\n")
    assert len(rows) == 6  # a key of two columns multiplies no row
    assert dict(rows[1]) == {"id": 2, "customer": "c1", "line": 2, "customer_name": "Ann\nLee", "customer_thumb": "89504e47"}
    # Rows come from a statement's own VALUES: no INSERT ... SELECT, no CREATE ... AS SELECT, no default that computes.
    base = "CREATE TABLE t(x, y DEFAULT (hex(randomblob(400000))));\n" + "".join(f"INSERT INTO t(x) VALUES({i});\n"
                                                                               for i in range(5))
    loaded = helpers._dump_rows(base + "INSERT INTO t(x) SELECT a.x FROM t a, t b, t c;\n"
                                "CREATE TABLE big AS SELECT a.x FROM t a, t b;\n")
    assert loaded == ("t", [], [{"x": i, "y": None} for i in range(5)])
    # mysqldump: backslash escapes, listed types, ON UPDATE, prefix indexes, INSERT IGNORE.
    mysql = ("-- MySQL dump 10.13\nCREATE TABLE `film` (\n  `id` int unsigned NOT NULL AUTO_INCREMENT,\n"
             "  `title` varchar(99) NOT NULL COMMENT 'it\\'s the title',\n  `rating` enum('G','PG','R') DEFAULT 'G',\n"
             "  `features` set('Trailers','Commentaries') DEFAULT NULL,\n"
             "  `updated` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,\n"
             "  PRIMARY KEY (`id`) USING BTREE,\n  KEY `idx_title` (`title`(20))\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n"
             "INSERT INTO `film` VALUES (1,'O\\'Brien; the film','PG','Trailers','2006-02-15 05:03:42'),"
             "(2,'A \\\\ B','G',NULL,'2006-02-15 05:03:42');\n"
             "INSERT IGNORE INTO `film` VALUES (3,'Line\\none','R',NULL,'2006-02-15 05:03:42');\n")
    assert [(r["title"], r["rating"]) for r in table(mysql)] == [("O'Brien; the film", "PG"), ("A \\ B", "G"),
                                                                  ("Line\none", "R")]
    # A dump nothing could be read from is no comma-separated table.
    assert table("BEGIN TRANSACTION;\nCREATE TABLE t(a);\nINSERT INTO t VALUES (1), (2);\nCOMMIT;\n") == []


def test_review_a_cue_numbered_in_other_digits_is_labelled_by_them() -> None:
    rows = table("WEBVTT\n\n①\n00:01.000 --> 00:02.000\nHello\n\n2\n00:03.000 --> 00:04.000\nTwo\n\n"
                 "3\n00:05.000 --> 00:06.000\nThree\n")
    assert [r["number"] for r in rows] == ["①", 2, 3]
