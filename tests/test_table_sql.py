"""A table's rows asked one SQL query a sub-model writes (`recursor.table_sql`), and the
first look that offers what it gives."""

from __future__ import annotations

import json
import time
from pathlib import Path

from tests.fakes.scripted_lm import FakeScriptedLM
from tests.table_helpers import run_select

import recursor.look_table as look_table
from recursor import RLM, Limits
from recursor.errors import LMError
from recursor.lm.base import LMResponse, Message
from recursor.look_reads import _cut
from recursor.orient import Orientation, orientation
from recursor.prompts import Prompts
from recursor.prompts_small import SmallModelPrompts
from recursor.table_sql import (
    QUERY_TOKENS,
    Query,
    Table,
    TableDb,
    answer_of,
    schema,
    select_of,
    told,
)
from recursor.turns import TurnState

STATES = ["TX", "CA", "OR", "AK", "MS"]
AIRPORTS = "iata,name,city,state,country,latitude,longitude\n" + "\n".join(
    f"{i:03d}{'M' if i % 2 else 'R'},Field {i},Town {i % 40},{STATES[i % 5] if i % 9 else 'AK'},USA,"
    f"{30 + (i * 7) % 30}.{i % 97:02d},-{90 + i % 30}.5"
    for i in range(300)) + "\n"
"""A CSV shaped like vega-datasets' airports: codes with leading zeros, two-letter states, degrees."""


def _top_state() -> str:
    """The state with the most airports, counted from the CSV's lines."""
    counts: dict[str, int] = {}
    for line in AIRPORTS.splitlines()[1:]:
        counts[line.split(",")[3]] = counts.get(line.split(",")[3], 0) + 1
    return max(counts, key=lambda k: counts[k])


def _gold(predicate: object) -> int:
    rows = [line.split(",") for line in AIRPORTS.splitlines()[1:]]
    return sum(1 for r in rows if predicate(r))  # type: ignore[operator]


def test_cells_are_typed_so_amounts_compare_as_numbers_dates_as_iso_and_codes_keep_their_zeros() -> None:
    table = Table.of_rows(["code", "day", "amount", "n", "note"],
                          [["007", "2012/11/02", "9.5", "10", "a"], ["010", "2013/01/31", "10", "9", ""],
                           ["100", "2012/12/25", "1,234.5", "11", "c"]])
    assert run_select(table, "SELECT code FROM t WHERE amount > 9.6 ORDER BY amount").rows == (("010",), ("100",))
    assert run_select(table, "SELECT COUNT(*) FROM t WHERE day BETWEEN '2012-12-01' AND '2013-01-31'").rows == ((2,),)
    assert run_select(table, "SELECT MAX(n) FROM t").rows == ((11,),)  # 11 > 9 as a number, not as text
    assert run_select(table, "SELECT COUNT(*) FROM t WHERE note IS NULL").rows == ((1,),)  # an empty cell is no value
    shown = schema(table, "How many?")
    assert "- code: text, always 3 characters" in shown and "- day: date YYYY-MM-DD, 2012-11-02 to 2013-01-31" in shown
    assert "- amount: number, 9.5 to 1234.5" in shown and "- n: whole number, 9 to 11" in shown
    assert "empty (NULL) in 1 rows" in shown


def test_a_json_tables_rarer_fields_booleans_and_lists_are_columns_too() -> None:
    records = [{"name": f"lang{i}", "scope": "M" if i % 4 == 0 else "I", "living": i % 3 != 0, "tags": ["x"] * (i % 3)}
               for i in range(40)]
    for i in range(0, 40, 8):
        records[i]["alpha_2"] = f"l{i}"
    table = Table.of_records(records)
    assert table.header == ("name", "scope", "living", "tags", "alpha_2")
    query = run_select(table, "SELECT COUNT(*) FROM t WHERE scope = 'M' AND alpha_2 IS NOT NULL")
    assert query.rows == ((sum(1 for r in records if r["scope"] == "M" and "alpha_2" in r),),)
    assert run_select(table, "SELECT COUNT(*) FROM t WHERE living = 1").rows == ((sum(r["living"] for r in records),),)
    assert run_select(table, "SELECT SUM(json_array_length(tags)) FROM t").rows == ((sum(len(r["tags"]) for r in records),),)
    shown = schema(table, "How many living languages?")
    assert "- living: 1 (true) or 0 (false)" in shown and "alpha_2" in shown and "empty (NULL) in 35 rows" in shown


def test_the_writer_is_shown_a_value_the_question_names_however_rare_but_not_for_a_stop_word() -> None:
    names = [f"Country{i}" for i in range(200)] + ["Switzerland"]
    table = Table.of_rows(["alpha_2", "name"], [[f"{chr(65 + i % 26)}{chr(65 + i // 26 % 26)}", n]
                                                for i, n in enumerate(names)] + [["IS", "Iceland"]])
    shown = schema(table, "What is the code of Switzerland, and is it listed?")
    assert "'Switzerland'" in shown
    assert "'IS'" not in shown  # the question's "is" names no value
    assert "'Iceland'" in schema(table, "Where is iceland?")


def test_only_one_select_is_taken_from_a_reply() -> None:
    assert select_of("```sql\nSELECT COUNT(*) FROM t WHERE state = 'OR';\n```") == "SELECT COUNT(*) FROM t WHERE state = 'OR'"
    assert select_of("select 1") == "select 1"
    assert select_of("```\nWITH x AS (SELECT 1) SELECT * FROM x\n```") == "WITH x AS (SELECT 1) SELECT * FROM x"
    assert select_of("SELECT name FROM t WHERE note = 'a; b'") == "SELECT name FROM t WHERE note = 'a; b'"
    assert select_of("Here it is:\n```sqlite\nSELECT 1\n```") == "SELECT 1"
    assert select_of("```SQLite\nSELECT 2;\n```\nThat counts.") == "SELECT 2"
    assert select_of("-- the count; of Oregon\nSELECT COUNT(*) FROM t /* a; b */ WHERE s = 'OR'; -- done") == (
        "SELECT COUNT(*) FROM t   WHERE s = 'OR'")
    assert select_of("SELECT COUNT(*) FROM t\n\nThis counts all rows.") == "SELECT COUNT(*) FROM t"
    assert select_of("SELECT '--' || name FROM t") == "SELECT '--' || name FROM t"  # in quotes, no comment
    for reply in ("SELECT 1; DROP TABLE t", "DELETE FROM t", "PRAGMA table_info(t)", "The answer is 57.",
                  "```sql\nATTACH DATABASE 'x.db' AS x\n```", ""):
        assert select_of(reply) is None, reply
    # Two slips of small models' SQL, mended outside quoted texts: NULL compared, a regex in LIKE.
    assert select_of("SELECT COUNT(*) FROM t WHERE v != NULL AND w = null AND x <> NULL AND note = 'a = NULL'") == (
        "SELECT COUNT(*) FROM t WHERE v IS NOT NULL AND w IS NULL AND x IS NOT NULL AND note = 'a = NULL'")
    assert select_of("SELECT name FROM t WHERE name LIKE '.*Algorithms' OR n LIKE 'a.b'") == (
        "SELECT name FROM t WHERE name LIKE '%Algorithms' OR n LIKE 'a.b'")


def test_a_query_can_only_read_the_table_and_stops_at_its_deadline(tmp_path: Path) -> None:
    table = Table.of_rows(["a", "b"], [[str(i), "'); DROP TABLE t; --"] for i in range(3000)])
    assert run_select(table, "SELECT COUNT(*) FROM t WHERE b = ''); DROP TABLE t; --'").error  # SQL of a cell is data
    assert run_select(table, "SELECT COUNT(*) FROM t WHERE b LIKE '%DROP%'").rows == ((3000,),)
    target = tmp_path / "written.db"
    for sql in (f"ATTACH DATABASE '{target}' AS w", "DELETE FROM t", "CREATE TABLE u (x)", "PRAGMA writable_schema = 1",
                "INSERT INTO t VALUES (1, 2)", "SELECT load_extension('/tmp/x')"):
        query = run_select(table, sql)
        assert query.error and not query.rows, sql
    assert not target.exists()
    started = time.monotonic()
    slow = run_select(table, "SELECT COUNT(*) FROM t x, t y, t z WHERE x.a + y.a = z.a", seconds=0.3)
    assert slow.error == "it ran too long" and time.monotonic() - started < 5
    assert len(run_select(table, "SELECT a FROM t").rows) == 6  # the rows kept, not 3,000


def test_the_answer_is_one_rows_value_and_of_several_cells_the_one_the_question_asks() -> None:
    assert answer_of(Query("q", ((57,),), ("COUNT(*)",)), "How many Oregon airports?") == "57"
    by_state = (("AK", 263),)
    assert answer_of(Query("q", by_state, ("state", "COUNT(*)")), "Which state has the most airports?") == "AK"
    assert answer_of(Query("q", by_state, ("state", "n")), "Which state has the largest number of airports?") == "AK"
    assert answer_of(Query("q", ((2012, 57),), ("year", "COUNT(*)")), "How many flights were there in the busiest year?") == "57"
    # Of a row of two plain cells, the one the query does not order by: the other is the measure.
    top = Query('SELECT Date, "XRX" FROM t ORDER BY "XRX" DESC LIMIT 1', (("1999-01-01", 102.4),), ("Date", "XRX"))
    assert answer_of(top, "In which month was Xerox's share price at its highest?") == "1999-01-01"
    assert answer_of(Query("SELECT Date, XRX FROM t LIMIT 1", (("1999-01-01", 102.4),), ("Date", "XRX")),
                     "In which month was it highest?") is None  # no ordering: which cell answers is not told
    assert answer_of(Query("q", (("TX", 1234.5),), ("state", "SUM(revenue)")), "What was the total revenue of TX?") == "1234.5"
    assert answer_of(Query("q", (("2015-12", 284.5),), ("month", "total_precipitation")),
                     "Which month had the greatest total precipitation?") == "2015-12"
    assert answer_of(Query("q", ((94107, 12),), ("zip", "store")), "How many stores?") is None  # no aggregate: open
    # A count of none is shown, not offered (every one the read sets' looks offered was wrong).
    assert answer_of(Query("q", ((0,),), ("COUNT(*)",)), "How many Oregon airports?") is None
    assert answer_of(Query("q", ((0,),), ("min_delay",)), "What was the smallest delay?") == "0"
    assert answer_of(Query("q", ((93364244.0,),)), "What was the population?") == "93364244"
    assert answer_of(Query("q", ((12.3456789,),)), "What is the average?") == "12.3457"
    assert answer_of(Query("q", ((1.234e-05,),)), "What is the smallest rate?") == "1.234e-05"  # not "0"
    # Groups a query did not order: the one a "which" question's superlative ranks first.
    islands = (("Biscoe", 3709.7), ("Dream", 3688.4), ("Torgersen", 3706.4))
    names = ("Island", "AVG(Body_Mass_g)")
    assert answer_of(Query("q", islands, names), "Which island's birds are the lightest on average?") == "Dream"
    assert answer_of(Query("q", islands, names), "Which island has the heaviest birds on average?") == "Biscoe"
    for open_question in ("Which island's birds are the fastest?", "What is the average by island?",
                          "Which island has the most and which the fewest birds?"):
        assert answer_of(Query("q", islands, names), open_question) is None  # no one direction, or no "which"
    assert answer_of(Query("q", (("a", 2), ("b", 2)), names), "Which group has the most?") is None  # a tie
    for query in (Query("q", ((1,), (2,))), Query("q"), Query("q", ((None,),)), Query("q", (("  ",),)),
                  Query("q", (("a\nb",),)), Query("q", (("x" * 500,),)), Query("q", error="no such column: x")):
        assert answer_of(query, "How many?") is None
    assert told(Query("SELECT state\nFROM t", (("AK",), ("TX",)))) == "The query SELECT state FROM t gives: AK; TX."
    long = told(Query("SELECT notes FROM t", (("line one\nline two " + "x" * 5000,),)))
    assert "\n" not in long and len(long) < 400


def test_cells_sqlite_cannot_hold_or_surrogates_leave_no_query_and_no_crash() -> None:
    big = Table.of_rows(["id", "n"], [["12345678901234567890", "1"], ["2", "2"], ["3", "3"]])
    assert run_select(big, "SELECT COUNT(*) FROM t WHERE id = '2'").rows == ((1,),)  # the 20 digits are text
    assert TableDb.open(Table(["a", "b"], [["\ud800", 1], ["x", 2]])) is None
    question = "How many Oregon airports are in this table?"
    records = "\n".join(json.dumps({"name": "\ud800" if i == 0 else f"f{i}", "state": "OR"}) for i in range(30))
    result = RLM(FakeScriptedLM(default="FINAL(30)"), sub_model=FakeScriptedLM(default="NONE"),
                 prompts=SmallModelPrompts(), trace_dir=False).complete(question, records)
    assert result.answer == "30"


def test_a_query_makes_no_huge_value_and_calls_no_function_of_the_host_or_of_chance() -> None:
    table = Table.of_rows(["a", "b"], [[str(i), "x"] for i in range(10)])
    started = time.monotonic()
    for sql in ("SELECT randomblob(200000000)", "SELECT printf('%.*c', 100000000, 'x')",
                "SELECT hex(zeroblob(100000000))", "SELECT random()", "SELECT fts3_tokenizer('simple')",
                "SELECT sqlite_version()", "SELECT replace(printf('%.*c', 90000, 'x'), 'x', 'xxxx')"):
        query = run_select(table, sql)
        assert query.error or query.rows == ((None,),), sql  # refused, or SQLite makes NULL of it
    assert time.monotonic() - started < 2
    assert run_select(table, "SELECT COUNT(*) FROM json_each('[1,2,3]')").rows == ((3,),)
    assert run_select(table, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5) "
                             "SELECT SUM(x) FROM c").rows == ((15,),)


def test_missing_marks_booleans_and_day_first_dates_keep_a_columns_kind() -> None:
    table = Table.of_rows(["score", "code", "day"], [["9", "-007", "01/02/2024"], ["10", "٣", "13/02/2024"],
                                                     ["NA", "12", "31/12/2024"], ["100", "", "05/06/2024"]])
    assert run_select(table, "SELECT COUNT(*) FROM t WHERE score > 50").rows == ((1,),)  # 100, not '9'
    assert run_select(table, "SELECT COUNT(*) FROM t WHERE score IS NULL").rows == ((1,),)
    assert run_select(table, "SELECT code FROM t WHERE code = '-007'").rows == (("-007",),)  # a code, zeros kept
    assert run_select(table, "SELECT day FROM t ORDER BY day").rows == (
        ("2024-02-01",), ("2024-02-13",), ("2024-06-05",), ("2024-12-31",))  # day first, all of them
    mixed = Table.of_records([{"id": i, "flag": [True, 0, False][i % 3]} for i in range(9)])
    assert run_select(mixed, "SELECT COUNT(*) FROM t WHERE flag = 1").rows == ((3,),)
    assert run_select(Table.of_rows(["returning", "Order"], [["a", "1"], ["b", "2"]]),
                      "SELECT returning_, order_ FROM t WHERE order_ = 2").rows == (("b", 2),)


def test_a_wide_tables_schema_shows_the_columns_the_question_names_and_stays_short() -> None:
    header = [f"metric_{i}" for i in range(120)] + ["population"]
    table = Table.of_rows(header, [[str(i * j) for j in range(121)] for i in range(5)])
    shown = schema(table, "Which row has the largest population?")
    assert "- population: whole number" in shown and "(and 61 more columns not shown)" in shown
    assert len(shown) < 3_000
    odd = Table.of_records([{"k" * 5000: i, "name": f"n{i}"} for i in range(5)])
    assert len(schema(odd, "How many?")) < 600


def _writer(sql: str) -> FakeScriptedLM:
    return FakeScriptedLM([f"```sql\n{sql}\n```"])


def test_the_first_look_offers_what_the_query_gives_and_shows_the_query() -> None:
    question = "How many Oregon airports are in this table?"
    gold = _gold(lambda r: r[3] == "OR")
    sub = _writer("SELECT COUNT(*) FROM t WHERE state = 'OR'")
    root = FakeScriptedLM([f"FINAL({gold})"])
    result = RLM(root, sub_model=sub, prompts=SmallModelPrompts(), limits=Limits(max_iterations=4),
                 trace_dir=False).complete(question, AIRPORTS)
    assert result.answer == str(gold) and result.usage.total.calls == 2
    asked = sub.calls[0].messages[0]["content"]
    assert "Table t has 300 rows" in asked and "- state: text, always 2 characters" in asked and question in asked
    assert sub.calls[0].max_tokens == QUERY_TOKENS
    first = root.calls[0].messages[-1]["content"]
    assert f"The query SELECT COUNT(*) FROM t WHERE state = 'OR' gives: {gold}." in first
    assert f"FINAL({gold})" in first


def test_another_answer_is_sent_back_once_with_the_querys_value() -> None:
    question = "How many Oregon airports are in this table?"
    gold = _gold(lambda r: r[3] == "OR")
    root = FakeScriptedLM(["FINAL(1)"] * 3)
    result = RLM(root, sub_model=_writer("SELECT COUNT(*) FROM t WHERE state = 'OR'"), prompts=SmallModelPrompts(),
                 limits=Limits(max_iterations=6), trace_dir=False).complete(question, AIRPORTS)
    notes = [c.messages[-1]["content"] for c in root.calls[1:]]
    assert sum(f"FINAL({gold})" in note for note in notes) == 1
    assert result.answer == "1"  # the root's, said again: the value is offered, never forced


def test_a_count_of_none_is_doubted_once_then_shown_not_offered() -> None:
    question = "How many airports in this list have a name starting with Z?"
    sql = "SELECT COUNT(*) FROM t WHERE name LIKE 'Z%'"
    mended = "SELECT COUNT(*) FROM t WHERE name LIKE 'Z%' OR name LIKE 'z%'"
    sub = FakeScriptedLM([f"```sql\n{sql}\n```", f"```sql\n{mended}\n```"])
    root = FakeScriptedLM(default="FINAL(0)")
    RLM(root, sub_model=sub, prompts=SmallModelPrompts(), limits=Limits(max_iterations=4),
        trace_dir=False).complete(question, AIRPORTS)
    assert len(sub.calls) == 2 and "no row meets name LIKE 'Z%'" in sub.calls[1].messages[-1]["content"]
    first = root.calls[0].messages[-1]["content"]
    # None, found again, may be the answer: shown. Not offered: every query count of 0 the read
    # sets' looks offered was wrong (4 of 4), and the root took it.
    assert f"The query {mended} gives: 0." in first and "FINAL(0)" not in first
    # The same query sent back is no second look: nothing is offered.
    same = FakeScriptedLM([f"```sql\n{sql}\n```"] * 2)
    root = FakeScriptedLM(default="FINAL(0)")
    RLM(root, sub_model=same, prompts=SmallModelPrompts(), limits=Limits(max_iterations=4),
        trace_dir=False).complete(question, AIRPORTS)
    assert "The query" not in root.calls[0].messages[-1]["content"]


def test_a_failed_query_is_mended_once_then_nothing_is_shown() -> None:
    question = "Which state has the most airports in this list?"
    top = _top_state()
    sub = FakeScriptedLM(["```sql\nSELECT region FROM t GROUP BY region ORDER BY COUNT(*) DESC LIMIT 1\n```",
                          "```sql\nSELECT state FROM t GROUP BY state ORDER BY COUNT(*) DESC LIMIT 1\n```"])
    root = FakeScriptedLM([f"FINAL({top})"])
    RLM(root, sub_model=sub, prompts=SmallModelPrompts(), trace_dir=False).complete(question, AIRPORTS)
    mend: list[Message] = sub.calls[1].messages
    assert len(sub.calls) == 2 and "no such column: region" in mend[-1]["content"]
    assert f"FINAL({top})" in root.calls[0].messages[-1]["content"]
    # Twice wrong: no query is shown and nothing is offered.
    sub = FakeScriptedLM(["```sql\nSELECT region FROM t\n```", "```sql\nSELECT zone FROM t\n```"])
    root = FakeScriptedLM(default=f"FINAL({top})")
    RLM(root, sub_model=sub, prompts=SmallModelPrompts(), trace_dir=False).complete(question, AIRPORTS)
    first = root.calls[0].messages[-1]["content"]
    assert len(sub.calls) == 2 and "The query" not in first and "no such column" not in first


def test_a_ranking_whose_top_group_is_empty_after_its_one_mend_is_not_shown() -> None:
    # The one mend went to an error; the mended query ranks the rows that write no value first.
    csv = "id,rider,fare,note\n" + "\n".join(
        f"{i},u{100 + i % 4},{i % 7}.5,{'late' if i % 10 == 0 else ''}" for i in range(60)) + "\n"
    sub = FakeScriptedLM(["```sql\nSELECT who FROM t\n```",
                          "```sql\nSELECT note, SUM(fare) AS s FROM t GROUP BY note ORDER BY s DESC LIMIT 1\n```"])
    root = FakeScriptedLM(default="FINAL(u101)")
    RLM(root, sub_model=sub, prompts=SmallModelPrompts(), trace_dir=False).complete(
        "Which rider spent the most on fares?", csv)
    first = root.calls[0].messages[-1]["content"]
    assert len(sub.calls) == 2 and "The query" not in first


def test_no_query_for_capable_models_other_texts_a_failing_writer_or_no_room() -> None:
    question = "How many Oregon airports are in this table?"
    writer = _writer("SELECT COUNT(*) FROM t WHERE state = 'OR'")
    RLM(FakeScriptedLM(default="FINAL(3)"), sub_model=writer, prompts=Prompts(), trace_dir=False).complete(
        question, AIRPORTS)
    assert writer.calls == []
    prose = "Oregon has many airports.\n" * 20
    RLM(FakeScriptedLM(default="FINAL(3)"), sub_model=writer, prompts=SmallModelPrompts(), trace_dir=False).complete(
        question, prose)
    assert all("Table t" not in c.messages[0]["content"] for c in writer.calls)
    root = FakeScriptedLM(["```repl\nprint(len(table()))\n```", "FINAL(3)"])
    result = RLM(root, sub_model=FakeScriptedLM([LMError("down", status=503)], default="NONE"),
                 prompts=SmallModelPrompts(), trace_dir=False).complete(question, AIRPORTS)
    assert result.answer == "3" and "The query" not in root.calls[0].messages[-1]["content"]
    writer = _writer("SELECT COUNT(*) FROM t WHERE state = 'OR'")
    result = RLM(FakeScriptedLM(default="FINAL(3)"), sub_model=writer, prompts=SmallModelPrompts(),
                 limits=Limits(max_calls=2), trace_dir=False).complete(question, AIRPORTS)
    assert writer.calls == [] and result.answer == "3"  # the two calls left are the root's


def test_the_look_keeps_the_table_for_the_query_only_when_it_read_it_whole() -> None:
    look = orientation(AIRPORTS, "How many Oregon airports are in this table?")
    assert look.table is not None and len(look.table.rows) == 300 and look.table.header[3] == "state"
    records = "\n".join(json.dumps({"id": i, "kind": "a" if i % 2 else "b"}) for i in range(20))
    look = orientation(records, "How many of kind a?")
    assert look.table is not None and len(look.table.rows) == 20
    assert orientation("just some words\n" * 30, "How many words?").table is None


def test_a_query_that_finds_nothing_by_a_text_no_row_writes_is_mended_with_the_columns_values() -> None:
    question = "How many Oregon airports are in this table?"
    gold = _gold(lambda r: r[3] == "OR")
    assert run_select(Table.of_rows(["s", "n"], [["OR", "1"], ["TX", "2"], ["or", "3"]]),
                      "SELECT COUNT(*) FROM t WHERE s = 'Or'").rows == ((2,),)  # text compares without case
    sub = FakeScriptedLM(["```sql\nSELECT COUNT(*) FROM t WHERE state = 'Oregon'\n```",
                          "```sql\nSELECT COUNT(*) FROM t WHERE state = 'OR'\n```"])
    root = FakeScriptedLM([f"FINAL({gold})"])
    RLM(root, sub_model=sub, prompts=SmallModelPrompts(), trace_dir=False).complete(question, AIRPORTS)
    mend = sub.calls[1].messages[-1]["content"]
    assert "no row has state = 'Oregon'" in mend and "'OR'" in mend and "'TX'" in mend
    first = root.calls[0].messages[-1]["content"]
    assert f"gives: {gold}." in first and "Oregon'" not in first.split("Question:")[-1].split("The query")[-1]
    # Still nothing the second time: no count of 0 is offered as computed.
    sub = FakeScriptedLM(["```sql\nSELECT COUNT(*) FROM t WHERE state = 'Oregon'\n```"] * 2)
    root = FakeScriptedLM(default="FINAL(0)")
    RLM(root, sub_model=sub, prompts=SmallModelPrompts(), trace_dir=False).complete(question, AIRPORTS)
    assert len(sub.calls) == 2 and "The query" not in root.calls[0].messages[-1]["content"]
    # A reply with no query is told so once.
    sub = FakeScriptedLM(["There are 57.", "```sql\nSELECT COUNT(*) FROM t WHERE state = 'OR'\n```"])
    root = FakeScriptedLM([f"FINAL({gold})"])
    RLM(root, sub_model=sub, prompts=SmallModelPrompts(), trace_dir=False).complete(question, AIRPORTS)
    assert "no one SELECT" in sub.calls[1].messages[-1]["content"]
    assert f"gives: {gold}." in root.calls[0].messages[-1]["content"]


def test_no_table_for_a_query_when_rows_were_dropped_and_a_long_one_is_read_whole() -> None:
    rows = [f"Field {i},{STATES[i % 5]},{i}" for i in range(112)] + [f"Field {i}, Inc.,OR,{i}" for i in range(8)]
    dropped = "name,state,n\n" + "\n".join(rows) + "\n"
    assert orientation(dropped, "How many Oregon fields?").table is None  # a count would be short by 8
    long = "id,state,n\n" + "".join(f"{i},{STATES[i % 5]},{i % 7}\n" for i in range(200_000))
    assert len(long) > look_table._READ_UP_TO
    table = orientation(long, "How many rows are from Oregon?").table
    assert table is not None and len(table.rows) == 200_000
    assert run_select(table, "SELECT COUNT(*) FROM t WHERE state = 'OR'").rows == ((40_000,),)
    # Read again whole only for the query: a row past the look's reach that does not fit the
    # header leaves the query no rows to count short.
    broken = long + "9,OR,1,extra,cells\n"
    late = orientation(broken, "How many rows are from Oregon?").table
    assert late is not None and late.rows == () and TableDb.open(late) is None


def test_a_later_offer_taken_over_the_querys_value_is_asked_once() -> None:
    # Offered a query's 80, the 1.5B grepped, was offered the header line its grep printed as
    # one value, and wrote that offered FINAL line as a block: taken at once, unchecked.
    question = "How many women travelling in third class survived, according to this list?"
    state = TurnState(question=question, shown=Orientation("", (), counted="80"), look_read="80")
    state.offered = "['name,class,age,sex,survived']"
    offer = state.taken_offer(["FINAL(['name,class,age,sex,survived'])"])
    assert offer == state.offered
    note = state.computed_instead(offer, SmallModelPrompts())
    assert note is not None and note.rstrip().endswith("FINAL(80)")
    assert state.computed_instead(offer, SmallModelPrompts()) is None  # once: then the root's answer stands
    assert TurnState(question=question, shown=Orientation("", (), counted="80"), look_read="80").computed_instead(
        "80", SmallModelPrompts()) is None


def test_a_column_that_flags_rows_with_its_own_name_is_a_column_and_a_value_is_found_where_written() -> None:
    rows = [f"Country{i}\t{'Europe' if i % 2 else 'Asia'}\t{'Schengen' if i % 3 == 0 else ''}\t{1999 if i % 4 == 0 else ''}"
            for i in range(60)]
    tsv = "name\tcontinent\tSchengen\tEURO\n" + "\n".join(rows) + "\n"
    question = "How many countries in the Schengen area have not adopted the euro?"
    look = orientation(tsv, question)
    assert look.table is not None and look.table.header == ("name", "continent", "Schengen", "EURO")
    assert "- Schengen: text, always 'Schengen'; empty (NULL) in 40 rows" in schema(look.table, question)
    db = TableDb.open(look.table)
    assert db is not None
    missed = db.unmatched(db.select("SELECT COUNT(*) FROM t WHERE continent = 'Schengen' AND EURO IS NULL"))
    assert "no row has continent = 'Schengen'" in missed and "'Schengen' is written in the column Schengen" in missed
    gold = sum(1 for i in range(60) if i % 3 == 0 and i % 4)
    assert db.select("SELECT COUNT(*) FROM t WHERE Schengen = 'Schengen' AND EURO IS NULL").rows == ((gold,),)
    db.close()
    # A first line that a row repeats in a column of several values is a row, not a header.
    assert orientation("Alice,Spain,3\nBob,Spain,4\nCid,France,5\nDee,Italy,6\nEve,Spain,7\n", "How many?").table is None


def test_a_ranking_whose_top_group_is_empty_is_doubted() -> None:
    # Grouped by a column the kept rows do not write, the top group is NULL: no one's name.
    rows = [[f"ride R{i} started: rider u{100 + i % 3}", None, f"{i % 7}.{i % 10}"] for i in range(30)]
    rows += [[f"GET /rides {i}", f"10.0.0.{i % 4}", None] for i in range(30)]
    db = TableDb.open(Table.of_rows(["message", "client", "fare"], rows))
    assert db is not None
    question = "Which rider spent the most on fares?"
    empty = db.select("SELECT client, SUM(fare) AS s FROM t WHERE message LIKE '%rider%' GROUP BY client "
                      "ORDER BY s DESC LIMIT 1")
    assert empty.rows[0][0] is None
    assert db.doubted(empty, question).startswith("its first row's group is empty (NULL)")
    named = db.select("SELECT substr(message, instr(message, 'rider ') + 6, 4) AS r, SUM(fare) AS s FROM t "
                      "WHERE message LIKE '%rider%' GROUP BY r ORDER BY s DESC LIMIT 1")
    assert db.doubted(named, question) == ""
    # Not for a query that found nothing (its own doubt says more), nor for an ascending order (review).
    none = db.select("SELECT MAX(n) FROM (SELECT client, COUNT(*) n FROM t WHERE message = 'x' GROUP BY client)")
    assert not db.doubted(none, question).startswith("its first row's group")
    up = db.select("SELECT client, COUNT(*) AS n FROM t GROUP BY client ORDER BY client ASC")
    assert db.doubted(up, "Which client made requests?") == ""
    db.close()


def test_an_aggregate_of_a_column_the_kept_rows_never_write_is_doubted() -> None:
    # A luigi log: `ExtractSales(day=..)` lines write day, "extracted N sales rows for S on D"
    # lines write sales and message_date; SUM(sales) WHERE day BETWEEN .. is NULL.
    rows = [[f"running ExtractSales(day=2026-11-{d:02}, store=s{d % 3})", f"2026-11-{d:02}", f"s{d % 3}", None, None]
            for d in range(1, 21)]
    rows += [[f"extracted {900 + d} sales rows for s{d % 3} on 2026-11-{d:02}", None, f"s{d % 3}", str(900 + d),
              f"2026-11-{d:02}"] for d in range(1, 21)]
    db = TableDb.open(Table.of_rows(["message", "day", "store", "sales", "message_date"], rows))
    assert db is not None
    question = "How many sales rows were extracted in total for days 9 through 15?"
    empty = db.select("SELECT SUM(sales) FROM t WHERE day BETWEEN '2026-11-09' AND '2026-11-15'")
    assert empty.rows == ((None,),)
    why = db.doubted(empty, question)
    assert why.startswith("the 7 rows its WHERE keeps write no sales (NULL there) (day is never written beside it), "
                          "so SUM(sales) of them is NULL")
    assert why.endswith("the rows that write it also write message_date: keep rows by those")  # not what every row writes
    right = db.select("SELECT SUM(sales) FROM t WHERE message_date BETWEEN '2026-11-09' AND '2026-11-15'")
    assert right.rows == ((sum(900 + d for d in range(9, 16)),),) and db.doubted(right, question) == ""
    # A WHERE that keeps nothing is another doubt's (none told here).
    assert "write no sales" not in db.doubted(db.select("SELECT SUM(sales) FROM t WHERE day = '2027-01-01'"), question)
    db.close()


def test_a_query_that_keeps_rows_by_a_version_the_question_never_names_is_doubted() -> None:
    # "How many entries are flagged critical?": the 1.5B kept the newest release's entries, by a
    # version copied from the schema's examples, and its count was offered over the right one.
    rows = [[f"7.{n}.{k}", f"{2017 + n // 4}-0{1 + k}-1{k}", f"[critical] item {n}.{k}" if k else f"item {n}.{k}",
             "py3.11"] for n in range(12) for k in range(3)]
    db = TableDb.open(Table.of_rows(["heading", "released", "item", "series"], rows))
    assert db is not None
    question = "How many entries in this change history are flagged as critical?"
    copied = db.doubted(db.select("SELECT COUNT(*) FROM t WHERE heading LIKE '7.2.%' AND item LIKE '%critical%'"),
                        question)
    assert copied == ("heading LIKE '7.2.%' keeps only some rows by '7.2.%', which the question never names: "
                      "leave that condition out unless the question asks for it")
    assert db.doubted(db.select("SELECT COUNT(*) FROM t WHERE item LIKE '%critical%'"), question) == ""
    # A version, date or time the question writes is the question's own condition.
    assert db.doubted(db.select("SELECT COUNT(*) FROM t WHERE heading LIKE '7.2.%' AND item LIKE '%critical%'"),
                      "How many entries of release 7.2 are flagged as critical?") == ""
    assert db.doubted(db.select("SELECT COUNT(*) FROM t WHERE released LIKE '2019-%'"),
                      "How many entries were released in 2019?") == ""
    # Named in words, the version or date is the question's too (review).
    for said in ("How many entries are flagged critical in the latest release?",
                 "How many critical entries were released on New Year's Day?",
                 "How many critical entries does release seven point two list?"):
        assert db.doubted(db.select("SELECT COUNT(*) FROM t WHERE heading LIKE '7.2.%' AND item LIKE '%critical%'"),
                          said) == "", said
    # A condition that keeps every row drops nothing, and without the question nothing is doubted.
    assert db.doubted(db.select("SELECT COUNT(*) FROM t WHERE series = 'py3.11' AND item LIKE '%critical%'"),
                      question) == ""
    assert db.doubted(db.select("SELECT COUNT(*) FROM t WHERE heading LIKE '7.2.%'")) == ""
    db.close()


def test_a_query_whose_conditions_each_hold_but_not_together_is_told_so() -> None:
    # The 1.5B copied a version from the column's examples into a count of 2019's releases.
    rows = [[f"1.{n}.{k}", f"{2017 + n // 4}-0{1 + k}-1{k}", f"item {n}.{k}"] for n in range(12) for k in range(3)]
    db = TableDb.open(Table.of_rows(["version", "released", "item"], rows))
    assert db is not None
    both = db.doubted(db.select("SELECT COUNT(*) FROM t WHERE released LIKE '2019%' AND version LIKE '1.3.%'"))
    assert both.startswith("each of its conditions holds for some rows (released LIKE '2019%': 12 rows; "
                           "version LIKE '1.3.%': 3 rows), but no row meets them all: check that each is what the question asks")
    assert db.doubted(db.select("SELECT COUNT(*) FROM t WHERE version LIKE '9.%'")) == "no row meets version LIKE '9.%'"
    # A pattern no row matches is told with what rows holding its longest word write.
    near = db.doubted(db.select("SELECT COUNT(*) FROM t WHERE item LIKE '%item 2.9%' OR item LIKE '%item 2.8%'"))
    assert near == ("no row meets item LIKE '%item 2.9%'; rows whose item holds 'item' write e.g. 'item 0.0', "
                    "'item 0.1', 'item 0.2'; no row meets item LIKE '%item 2.8%'")
    assert db.doubted(db.select("SELECT COUNT(*) FROM t WHERE released LIKE '2019%'")) == ""  # it found rows
    assert db.doubted(db.select("SELECT COUNT(*) FROM t WHERE released > '2030'")) == ""  # nothing it can tell
    assert db.unmatched(db.select("SELECT COUNT(*) FROM t WHERE version LIKE '9.%'")) == ""  # a doubt, not a miss
    assert select_of("SELECT COUNT(*) FROM t WHERE credit == NULL") == "SELECT COUNT(*) FROM t WHERE credit IS NULL"
    db.close()


def test_a_header_with_units_and_a_tag_every_line_has_still_make_a_table() -> None:
    log = "import time: self [us] | cumulative | imported package\n" + "".join(
        f"import time: {100 + i * 7:>9} | {300 + i * 11:>10} | {'  ' * (i % 3)}mod{i}\n" for i in range(40))
    question = "Which module took the longest to import on its own?"
    look = orientation(log, question)
    assert look.table is not None and look.table.header == ("self [us]", "cumulative", "imported package")
    shown = schema(look.table, question)
    assert "- self_us (header 'self [us]'): whole number, 100 to 373" in shown
    assert run_select(look.table, "SELECT imported_package FROM t ORDER BY self_us DESC LIMIT 1").rows == (("mod39",),)
    weights = "name,Weight [kg],colour\n" + "".join(f"box{i},{i * 1.5},red\n" for i in range(10))
    assert orientation(weights, "How many boxes weigh over 5 kg?").table is not None
    assert orientation("key,{json: 1},x\n" + "a,b,c\n" * 5, "How many?").table is None  # code, not a name


def test_a_pattern_copied_from_a_clipped_example_ends_where_the_clip_did() -> None:
    assert select_of("SELECT COUNT(*) FROM t WHERE message LIKE 'Server a2 is going DOWN for...'") == (
        "SELECT COUNT(*) FROM t WHERE message LIKE 'Server a2 is going DOWN for%'")
    assert select_of("SELECT COUNT(*) FROM t WHERE note = 'wait...'") == (
        "SELECT COUNT(*) FROM t WHERE note = 'wait...'")  # an equality is not a pattern


def test_times_are_told_with_how_to_subtract_them_and_a_plain_tables_names_are_not_kinds() -> None:
    firsts = ["Ann", "Eve", "Jon", "Ivy", "Gus", "Kim", "Lou", "Max", "Ned", "Oda"] * 2
    names = [f"{f}{i // 10 if i >= 10 else ''} {la}" for i, f in enumerate(firsts)
             for la in ("Wong", "Lee", "Khan", "Novak", "Jones", "Park", "Ruiz", "Sato", "Berg", "Cole")]
    rows = [[f"{10 + i // 60:02d}:{i % 60:02d}:00", name] for i, name in enumerate(names)]
    table = Table.of_rows(["at", "customer"], rows)
    shown = schema(table, "How many orders did Eve Wong place?")
    assert "- at: time of day HH:MM:SS, 10:00:00 to 13:19:00\n" in shown  # how to subtract: only when asked how long
    spanned = schema(table, "How many minutes passed between Eve Wong's first and last order?")
    assert "- at: time of day HH:MM:SS, 10:00:00 to 13:19:00 (seconds apart: strftime('%s', b) - " in spanned
    # A column of names under a header is no log's messages: its values, the one asked first.
    assert "- customer: text, e.g. 'Eve Wong', " in shown and "kinds" not in shown


def test_a_reply_cut_at_the_cap_inside_its_sql_is_asked_again_for_the_sql_alone() -> None:
    question = "Which state has the most airports in this list?"
    top = _top_state()
    plan = ("Let's walk through the question. " * 30)[:QUERY_TOKENS * 4 - 30]  # the cap falls inside the SQL
    sub = FakeScriptedLM([plan + "```sql\nSELECT state, COUNT(*) FROM t GROUP BY state ORDER BY COUNT(*) DESC",
                          "```sql\nSELECT state FROM t GROUP BY state ORDER BY COUNT(*) DESC LIMIT 1\n```"])
    root = FakeScriptedLM([f"FINAL({top})"])
    RLM(root, sub_model=sub, prompts=SmallModelPrompts(), trace_dir=False).complete(question, AIRPORTS)
    assert sub.calls[1].messages[1]["content"].endswith("```sql\nSELECT state, COUNT(*) ")
    assert len(sub.calls) == 2 and "cut off before its SQL ended" in sub.calls[1].messages[-1]["content"]
    assert f"FINAL({top})" in root.calls[0].messages[-1]["content"]
    # A reply that ran to the cap after its block closed is taken as it is.
    whole = FakeScriptedLM(["```sql\nSELECT state FROM t GROUP BY state ORDER BY COUNT(*) DESC LIMIT 1\n```\n" + plan])
    root = FakeScriptedLM([f"FINAL({top})"])
    RLM(root, sub_model=whole, prompts=SmallModelPrompts(), trace_dir=False).complete(question, AIRPORTS)
    assert len(whole.calls) == 1 and f"FINAL({top})" in root.calls[0].messages[-1]["content"]
    # So is a closed block followed by an example block the cap cut, or a bare query before cut prose.
    for reply in ("```sql\nSELECT state FROM t GROUP BY state ORDER BY COUNT(*) DESC LIMIT 1\n```\nIt gives:\n```\n" + plan,
                  "SELECT state FROM t GROUP BY state ORDER BY COUNT(*) DESC LIMIT 1\n\n" + plan):
        whole = FakeScriptedLM([reply])
        root = FakeScriptedLM([f"FINAL({top})"])
        RLM(root, sub_model=whole, prompts=SmallModelPrompts(), trace_dir=False).complete(question, AIRPORTS)
        assert len(whole.calls) == 1 and f"FINAL({top})" in root.calls[0].messages[-1]["content"]
    # Asking for the SQL alone is no mend: the query that follows is doubted and mended as a first one.
    zero = "SELECT COUNT(*) FROM t WHERE name LIKE 'Z%'"
    sub = FakeScriptedLM([plan + "```sql\nSELECT COUNT(*) FROM t WHERE", f"```sql\n{zero}\n```",
                          f"```sql\n{zero} OR name LIKE 'z%'\n```"])
    root = FakeScriptedLM(default="FINAL(0)")
    RLM(root, sub_model=sub, prompts=SmallModelPrompts(), trace_dir=False).complete(
        "How many airports have a name starting with Z?", AIRPORTS)
    assert len(sub.calls) == 3 and "no row meets name LIKE 'Z%'" in sub.calls[2].messages[-1]["content"]
    # Anthropic says a reply stopped at its cap with "max_tokens"; a backend that says nothing is never cut.
    failed = Query("SELECT state, COUNT(*)", error="no such column: state")
    assert _cut(LMResponse("```sql\nSELECT state, COUNT(*)", "m", finish_reason="max_tokens"), failed)
    assert not _cut(LMResponse("```sql\nSELECT state, COUNT(*)", "m"), failed)


def test_a_codes_first_part_that_names_a_group_is_told_with_how_to_read_it() -> None:
    rows = [{"code": f"{c}-{i:02d}", "name": f"Place {c}{i}"} for c, n in (("FR", 7), ("GB", 9), ("AD", 3)) for i in range(n)]
    table = Table.of_records(rows)
    shown = schema(table, "Which country has the most subdivisions?")
    said = "its part before the first '-' is one of 3 groups, e.g. 'GB', 'FR', 'AD': substr(code, 1, instr(code, '-') - 1)"
    assert said in shown
    # The expression it gives runs and groups the codes by their first part.
    query = run_select(table, "SELECT substr(code, 1, instr(code, '-') - 1) AS c, COUNT(*) FROM t GROUP BY c ORDER BY 2 DESC")
    assert query.rows[0] == ("GB", 9) and len(query.rows) == 3
    # Not for a part every value shares, nor for values that are no codes, nor one part each.
    for values in ([f"127.0.0.{i}" for i in range(20)], [f"10.{i % 3}.0.{i}" for i in range(20)],
                   [f"Ann Lee {i}" for i in range(20)], [f"K{i}-1" for i in range(20)],
                   [f"{i % 3}.{i}" for i in range(20)], [f"{i % 3 + 10}:{i + 10}" for i in range(20)],
                   [f"www.site{i % 3}.com" for i in range(20)], [f"ann.lee{i % 3}@example.org" for i in range(20)],
                   [f"AB-{i}" for i in range(20)] + ["legacy"] + [f"CD-{i}" for i in range(20)]):
        assert "part before" not in schema(Table.of_records([{"v": v} for v in values]), "Which v?"), values[0]


def test_a_value_copied_clipped_from_the_schema_is_compared_whole() -> None:
    species = ["Adelie Penguin (Pygoscelis adeliae)", "Chinstrap penguin (Pygoscelis antarctica)", "wait..."]
    table = Table.of_rows(["species", "clutch"], [[species[i % 3], "No" if i % 4 else "Yes"] for i in range(30)])
    db = TableDb.open(table)
    assert db is not None
    try:
        clipped = "SELECT COUNT(*) FROM t WHERE species = 'Chinstrap penguin (Pygoscelis antarctica...' AND clutch = 'No'"
        sql = db.unclipped(clipped)
        assert "species = 'Chinstrap penguin (Pygoscelis antarctica)'" in sql
        assert db.select(sql).rows == ((7,),) and db.select(clipped).rows == ((0,),)
        closed = clipped.replace("antarctica...'", "antarctica...)'")  # the bracket closed after the clip
        assert db.unclipped(closed) == sql
        # A value some row writes, a start no value has, a pattern, or no clip: as written.
        for kept in ("SELECT COUNT(*) FROM t WHERE species = 'wait...'",
                     "SELECT COUNT(*) FROM t WHERE species = 'Penguin...'",
                     "SELECT COUNT(*) FROM t WHERE species LIKE 'Gentoo...'",
                     "SELECT COUNT(*) FROM t WHERE species = 'Chinstrap'"):
            assert db.unclipped(kept) == kept
    finally:
        db.close()


def test_a_like_without_a_wildcard_that_values_start_with_is_a_prefix() -> None:
    """The 1.5B wrote `message LIKE 'ERROR: ... Exception in ASGI application'` for messages
    that go on with their tracebacks: as written it matches none of them."""
    messages = ["ERROR: Exception in ASGI application Traceback (most recent call last): ...",
                "INFO: GET /items 200", "ERROR: Exception in ASGI app_x"]
    db = TableDb.open(Table.of_rows(["message"], [[messages[i % 3]] for i in range(30)]))
    assert db is not None
    try:
        sql = db.unclipped("SELECT COUNT(*) FROM t WHERE message LIKE 'error: Exception in ASGI application'")
        assert sql == "SELECT COUNT(*) FROM t WHERE message LIKE 'error: Exception in ASGI application%'"
        assert db.select(sql).rows == ((10,),)
        clipped = db.unclipped("SELECT COUNT(*) FROM t WHERE message LIKE 'INFO: GET /it...'")
        assert clipped == "SELECT COUNT(*) FROM t WHERE message LIKE 'INFO: GET /it%'"
        # A pattern with %, one a value matches whole (`_` is one character), or one no value starts with: as written.
        for kept in ("SELECT COUNT(*) FROM t WHERE message LIKE '%Exception%'",
                     "SELECT COUNT(*) FROM t WHERE message LIKE 'ERROR: Exception in ASGI app_x'",
                     "SELECT COUNT(*) FROM t WHERE message LIKE 'WARNING: disk'"):
            assert db.unclipped(kept) == kept
    finally:
        db.close()


COUNTIES = "county,state,poverty_pct\n" + "\n".join(
    f"{name},{state},{pct}" for name, state, pct in
    [("OHIO", "IN", 9.9), ("ADAMS", "OH", 22.5), ("BROWN", "OH", 12.0), ("CLARK", "OH", 31.0),
     ("ADAMS", "IL", 25.0), ("DANE", "WI", 8.5), ("ERIE", "OH", 19.5), ("FULTON", "IL", 21.0)] * 3) + "\n"
"""Counties in states: a county is named like a state, and its percents run from 8.5 to 31."""


def test_a_query_that_reads_the_question_wrongly_is_doubted_though_it_found_rows() -> None:
    question = "How many Ohio counties have more than 20% of their people below the poverty line?"
    table = orientation(COUNTIES, question).table
    assert table is not None
    db = TableDb.open(table)
    assert db is not None
    # "20%" over a column of percents is 20, not 0.2; and the reverse over a column of shares.
    share = db.doubted(db.select("SELECT COUNT(*) FROM t WHERE state = 'OH' AND poverty_pct > 0.2"), question)
    assert share == ("poverty_pct > 0.2 reads the question's 20% as 0.2, but poverty_pct writes percents "
                     "(8.5 to 31): 20% is 20 there")
    assert db.doubted(db.select("SELECT COUNT(*) FROM t WHERE state = 'OH' AND poverty_pct > 20"), question) == ""
    # "Ohio counties" kept as the one county named OHIO: Ohio says which counties, in another column.
    pinned = db.doubted(db.select("SELECT COUNT(*) FROM t WHERE county = 'OHIO' AND poverty_pct > 20"), question)
    assert pinned.startswith("county = 'OHIO' keeps the rows of one county, but the question counts counties: "
                             "'Ohio' says which counties, so it is a value of another column (such as state")
    # Not when the question names one county, nor for a question that counts nothing.
    one = "How many times is the county Ohio listed?"
    assert db.doubted(db.select("SELECT COUNT(*) FROM t WHERE county = 'OHIO'"), one) == ""
    assert db.doubted(db.select("SELECT poverty_pct FROM t WHERE poverty_pct > 0.2"), "Which county is poorest?") == ""
    db.close()
    shares = TableDb.open(Table.of_rows(["name", "share"], [[f"n{i}", f"0.{i:02d}"] for i in range(1, 60)]))
    assert shares is not None
    wrong = shares.doubted(shares.select("SELECT COUNT(*) FROM t WHERE share > 20"), "How many have over 20 percent?")
    assert wrong.endswith("share writes shares (0.01 to 0.59): 20% is 0.2 there")
    shares.close()


def test_a_misread_query_is_mended_once_and_its_mend_offered() -> None:
    question = "How many Ohio counties have more than 20% of their people below the poverty line?"
    wrong = "SELECT COUNT(*) FROM t WHERE county = 'OHIO' AND poverty_pct > 0.2"
    right = "SELECT COUNT(*) FROM t WHERE state = 'OH' AND poverty_pct > 20"
    gold = sum(1 for line in COUNTIES.splitlines()[1:] if line.split(",")[1] == "OH" and float(line.split(",")[2]) > 20)
    sub = FakeScriptedLM([f"```sql\n{wrong}\n```", f"```sql\n{right}\n```"])
    root = FakeScriptedLM(default=f"FINAL({gold})")
    RLM(root, sub_model=sub, prompts=SmallModelPrompts(), limits=Limits(max_iterations=4),
        trace_dir=False).complete(question, COUNTIES)
    assert len(sub.calls) == 2 and "20% is 20 there" in sub.calls[1].messages[-1]["content"]
    assert f"The query {right} gives: {gold}." in root.calls[0].messages[-1]["content"]


def test_no_doubt_and_no_prefix_where_the_query_reads_the_question_right() -> None:
    """From a hostile review: each of these was doubted, or widened, wrongly."""
    db = TableDb.open(Table.of_rows(["task", "progress", "assignees", "change", "item", "country"],
                                    [[f"t{i}", str(i * 10 % 110), str(i % 4), f"{(i % 18 - 3) / 10:.2f}",
                                      ["Pizza", "Salad"][i % 2], ["Kenya", "Nigeria", "Chad"][i % 3]] for i in range(40)]))
    assert db is not None
    try:
        hundred = db.select("SELECT COUNT(*) FROM t WHERE progress = 100 AND assignees > 1")
        assert db.doubted(hundred, "How many tasks are 100% complete and have more than 1 assignee?") == ""
        shares = db.select("SELECT COUNT(*) FROM t WHERE change > 0.05")  # shares from -0.3 to 1.4
        assert db.doubted(shares, "How many tasks rose more than 5%?") == ""
        pizza = db.select("SELECT COUNT(*) FROM t WHERE item = 'Pizza'")
        assert db.doubted(pizza, "How many Pizza items were ordered?") == ""  # no other column writes it
        niger = "SELECT COUNT(*) FROM t WHERE country LIKE 'niger'"
        assert db.unclipped(niger) == niger  # a name in any case, not the start of "Nigeria"
    finally:
        db.close()


def test_a_column_of_url_paths_is_told_by_its_routes() -> None:
    # A shop's log: the first three paths were searches, and "a single product" was matched
    # against a message; told by route, '/api/products/#' is there to compare with.
    paths = [f"/api/search?q=item{i}" for i in range(30)] + [f"/api/products/{i}" for i in range(25)] + [
        "/api/orders"] * 10 + ["/healthz"] * 5
    table = Table.of_rows(["path", "status"], [[p, "200"] for p in paths])
    told = schema(table, "How many requests asked for a single product?")
    # The route the question's "product" names comes first, with its LIKE.
    assert ("- path: text, paths of 4 routes (# for a number, no query string): '/api/products/#' (25 rows), "
            "'/api/search' (30 rows)") in told
    assert told.split("\n")[1].endswith("; path LIKE '/api/products/%' keeps the first's rows")  # whole, after a cut
    plain = schema(table, "How many requests were made in all?")
    assert "'/api/search' (30 rows), '/api/products/#' (25 rows)" in plain and "LIKE" not in plain
    # A name in a path's segment is no route of its own: thirteen stations, one route.
    stations = [f"/v1/stations/{name}/availability" for name in
                ("union-square", "lakeview", "riverside", "stadium", "old-mill") for _ in range(6)]
    table = Table.of_rows(["path"], [[p] for p in stations + ["/v1/rides"] * 10 + [f"/v1/rides/R{i}/end" for i in range(40)]])
    told = schema(table, "How many times did someone check availability at a station?")
    assert "paths of 3 routes (# for a number, * for a name, no query string): '/v#/stations/*/availability' (30 rows)" in told
    assert told.split("\n")[1].endswith("; path LIKE '/v%/stations/%/availability' keeps the first's rows")
    # Paths that do not repeat a route, or values that are no paths, are told as before.
    assert "routes" not in schema(Table.of_rows(["path"], [[f"/p{i}/x{i}"] for i in range(12)]), "Which path?")
    assert "routes" not in schema(Table.of_rows(["name"], [[f"item {i % 3}"] for i in range(12)]), "Which name?")


def test_a_number_compared_is_one_of_the_conditions_that_hold_apart() -> None:
    # `q = 'wireless+headphones' AND status = 404`: each holds for some rows, none both.
    rows = [[f"item{i % 3}" if i % 2 else None, "200" if i % 2 else "404"] for i in range(40)]
    db = TableDb.open(Table.of_rows(["q", "status"], rows))
    assert db is not None
    apart = db.doubted(db.select("SELECT COUNT(*) FROM t WHERE q = 'item1' AND status = 404"), "How many were missing?")
    assert apart.startswith("each of its conditions holds for some rows (q = 'item1': 7 rows; status = 404: 20 rows)")
    # A HAVING's count is no column of t; a number inside a LIKE's text is no condition.
    having = db.select("SELECT q, COUNT(*) AS n FROM t WHERE q = 'item1' AND status = 404 GROUP BY q HAVING n > 2")
    assert not having.error
    told = db.doubted(having, "Which q?")
    assert told.startswith("each of its conditions holds for some rows") and "n > 2" not in told
    assert "x=5" not in db.doubted(db.select("SELECT COUNT(*) FROM t WHERE q LIKE '%x=5%' AND status = 404"), "How many?")
    db.close()


def test_a_column_tested_for_a_value_is_one_of_the_conditions_that_hold_apart() -> None:
    # `loan IS NOT NULL AND message LIKE '%still out on loan%'`: a log's loan column is written
    # by the lines that open loans, not by the refusals the LIKE keeps.
    rows = [[f"loan L{i} opened", f"L{i}"] for i in range(9)] + [[f"denied: still out on loan L{i}", None] for i in range(4)]
    db = TableDb.open(Table.of_rows(["message", "loan"], rows))
    assert db is not None
    query = db.select("SELECT COUNT(*) FROM t WHERE loan IS NOT NULL AND message LIKE '%still out on%'")
    assert query.rows == ((0,),)
    assert db.doubted(query, "How many were refused?").startswith(
        "each of its conditions holds for some rows (message LIKE '%still out on%': 4 rows; loan IS NOT NULL: 9 rows)")
    assert "loan IS NULL: 4 rows" in db.doubted(
        db.select("SELECT COUNT(*) FROM t WHERE loan IS NULL AND message LIKE '%opened%'"), "How many?")
    # "IS NULL" inside a LIKE's text is no condition: the LIKE alone is told.
    alone = db.doubted(db.select("SELECT COUNT(*) FROM t WHERE message LIKE '%x IS NULL%'"), "How many?")
    assert alone == "no row meets message LIKE '%x IS NULL%'"
    # A CASE's test in the SELECT is no condition; a NOT turns the test round, so it is not told.
    case = db.select("SELECT SUM(CASE WHEN loan IS NULL THEN 1 ELSE 0 END) FROM t WHERE message LIKE '%opened%'")
    assert "loan IS NULL" not in db.doubted(case, "How many?")
    negated = db.select("SELECT COUNT(*) FROM t WHERE NOT loan IS NULL AND message LIKE '%still out%'")
    assert "loan IS NULL:" not in db.doubted(negated, "How many?")
    db.close()


def test_a_word_of_the_question_written_as_a_part_of_some_values_is_told_with_its_like() -> None:
    # "the conch package": the 1.5B copied the one example path that held it, one file's.
    paths = [f"twisted/{pkg}/mod{i}.py" for i in range(30) for pkg in ("conch", "web", "internet")]
    table = Table.of_rows(["location", "severity"], [[p, "High"] for p in paths])
    told = schema(table, "How many problems are in the conch package of Twisted?")
    assert "30 rows hold 'conch' as a part (e.g. 'twisted/conch/mod0.py'): location LIKE '%conch%'" in told
    assert "'twisted' as a part" not in told  # every row: it picks none out
    assert "as a part" not in schema(table, "How many problems are there?")


def test_kinds_alike_in_their_first_characters_are_shown_where_they_part() -> None:
    from recursor.table_sql import _clip_apart

    head = "INFO luigi-interface: [pid {p}] Worker Worker(salt=857310531, workers=2, host=vm, pid=7822) "
    done = head.format(p=7836) + "done ValidateSales(day=2026-11-30, store=leipzig-sued)"
    failed = head.format(p=8094) + "failed ValidateSales(day=2026-11-07, store=leipzig-sued)"
    shown = _clip_apart(failed, [done])
    assert shown.startswith("INFO luigi-interface...") and "failed ValidateSales" in shown and len(shown) <= 70
    # Unlike from their start, or short: clipped as before.
    assert _clip_apart("ERROR " + done, [done]) == ("ERROR " + done)[:64] + "..."
    assert _clip_apart("short line", [done]) == "short line"


def test_http_statuses_are_told_with_their_reasons_and_other_codes_are_not() -> None:
    rows = [[s, lvl] for s, lvl in zip([200, 404, 500, 200, 404, 200] * 5, [1, 2, 3, 1, 2, 3] * 5, strict=True)]
    told = schema(Table.of_rows(["status", "level"], [[str(a), str(b)] for a, b in rows]), "How many were not found?")
    assert "- status: whole number, 3 different values: 200 (OK), 404 (Not Found), 500 (Internal Server Error)" in told
    assert "- level: whole number, 3 different values: 1, 2, 3" in told


def test_review_a_rest_api_s_collections_are_no_names_and_a_route_s_condition_keeps_only_it() -> None:
    paths = ([f"/api/products/{i}" for i in range(40)] + [f"/api/orders/{i}" for i in range(30)]
             + [f"/api/users/{i}" for i in range(30)] + [f"/api/products/{i}/reviews" for i in range(20)]
             + [f"/api/search?q=item{i}" for i in range(25)] + ["/api/cart"] * 10)
    table = Table.of_rows(["path"], [[p] for p in paths])
    told = schema(table, "How many requests asked for a single product?").split("\n")[1]
    assert "'/api/products/#' (40 rows)" in told and "'/api/orders/#' (30 rows)" in told and "*" not in told
    assert told.endswith("; path LIKE '/api/products/%' AND path NOT LIKE '/api/products/%/%' keeps the first's rows")
    db = TableDb.open(table)
    assert db is not None
    assert db.select("SELECT COUNT(*) FROM t WHERE path LIKE '/api/products/%' AND path NOT LIKE '/api/products/%/%'"
                     ).rows == ((40,),)
    searched = schema(table, "How many searches were there?").split("\n")[1]
    assert searched.endswith("; (path = '/api/search' OR path LIKE '/api/search?%') keeps the first's rows")
    db.close()


def test_a_count_of_distinct_values_for_a_question_counting_rows_is_doubted() -> None:
    rows = [[str(1980 + i % 6), f"C{i % 9}", str(9000 + 300 * (i % 11))] for i in range(60)]
    db = TableDb.open(Table.of_rows(["year", "country", "gdp"], rows))
    assert db is not None
    question = "Counting every country, in how many country-year rows from 1980 through 1985 is the GDP above 10,000?"
    distinct = db.select("SELECT COUNT(DISTINCT country) FROM t WHERE year BETWEEN 1980 AND 1985 AND gdp > 10000")
    assert db.doubted(distinct, question) == ("COUNT(DISTINCT country) counts the different values of country, "
                                              "but the question counts rows: COUNT(*)")
    assert db.doubted(distinct, "In how many countries was the GDP above 10,000 from 1980 through 1985?") == ""
    rows_counted = db.select("SELECT COUNT(*) FROM t WHERE year BETWEEN 1980 AND 1985 AND gdp > 10000")
    assert db.doubted(rows_counted, question) == ""
    db.close()


def test_a_column_in_capitals_that_abbreviates_a_name_the_question_writes_is_told_as_it() -> None:
    from recursor.table_sql import abbreviated

    header = ["Date", "IBM", "AAPL", "MSFT", "XRX", "ADBE", "GSPC"]
    assert abbreviated(header, "In which month was Adobe's price above 40?") == {"ADBE": "Adobe"}
    assert abbreviated(header, "Was Microsoft or Xerox dearer?") == {"MSFT": "Microsoft", "XRX": "Xerox"}
    assert abbreviated(header, "Was Apple dearer?") == {}  # AAPL: Apple has one 'a'
    assert abbreviated(header, "What did Ibm do?") == {}  # a column's own name, in any case
    assert abbreviated(["ADB", "ADE"], "Was Adobe up?") == {}  # two columns fit: which is not told
    text = "Date,IBM,ADBE\n" + "".join(f"2000-{m:02d}-01,{10 + m},{30 + 2 * m}\n" for m in range(1, 13))
    shown = look_table.table_look(text, "In how many rows was Adobe's price above 40?")
    assert shown is not None and "The column ADBE may be the question's 'Adobe'" in "\n".join(shown.rows)


def test_a_text_column_of_many_values_a_few_of_them_most_rows_is_told_by_those_few() -> None:
    kinds = ["bool"] * 30 + ["string"] * 20 + [f"* list of thing{i}" for i in range(40)]
    table = Table.of_rows(["term", "type"], [[f"opt{i}", kind] for i, kind in enumerate(kinds)])
    shown = schema(table, "How many settings take a plain true/false value?")
    assert "- type: text, 42 different values, the most common: 'bool' (30 rows), 'string' (20 rows), ..." in shown
    # Codes are no kinds a question names: shown by example, as before.
    codes = ["1005-00-856-6885"] * 30 + ["1005-00-073-9421"] * 20 + [f"1005-00-{i:03d}-0000" for i in range(40)]
    coded = Table.of_rows(["item", "nsn"], [[f"rifle {i}", c] for i, c in enumerate(codes)])
    assert "the most common" not in schema(coded, "How many rifles were shipped?")


def test_values_that_differ_only_by_their_figures_are_told_by_their_words() -> None:
    reasons = [f"insufficient volume ({v / 10} ml, 1.0 ml needed)" for v in range(3, 9)] * 3 + ["haemolysed"] * 6
    table = Table.of_rows(["sample", "reason"], [[f"NP-{i}", r] for i, r in enumerate(reasons)])
    shown = schema(table, "Which clinic had the most samples sent back because the tube did not hold enough?")
    assert "'insufficient volume' (6 values, 18 rows: reason LIKE 'insufficient volume%')" in shown
    plain = Table.of_rows(["sample", "reason"], [[f"NP-{i}", r] for i, r in enumerate(["a b c", "haemolysed"] * 9)])
    assert "differ only by their figures" not in schema(plain, "Which reason is most common?")


def test_iso_dates_and_times_in_utc_are_typed_as_a_date_and_time() -> None:
    stamps = [f"2027-03-{d:02d}T1{d % 10}:30:00Z" for d in range(1, 21)]
    table = Table.of_rows(["summary", "dtstart"], [[f"event {i}", s] for i, s in enumerate(stamps)])
    shown = schema(table, "How many events start from 1 March up to 15 March?")
    assert "- dtstart: date and time YYYY-MM-DD HH:MM:SS, 2027-03-01 11:30:00 to 2027-03-20 10:30:00" in shown
    assert run_select(table, "SELECT COUNT(*) FROM t WHERE dtstart >= '2027-03-01' AND dtstart < '2027-03-15'").rows == ((14,),)
    zoned = Table.of_rows(["t"], [["2027-03-01T10:00:00+02:00"]] * 12)
    assert "date and time" not in schema(zoned, "When?")  # another zone is kept as written


def test_a_window_and_a_condition_that_keep_rows_apart_are_told_so() -> None:
    # The 1.5B read "3 October" as `trk_number = 3` beside the question's window: 0 points.
    rows = [[str(2 + i % 3), f"2010-10-03 {9 + i // 20:02d}:{i % 60:02d}:00" if i % 3 != 1 else None] for i in range(90)]
    db = TableDb.open(Table.of_rows(["trk_number", "time"], rows))
    assert db is not None
    sql = ("SELECT COUNT(*) FROM t WHERE time >= '2010-10-03 11:00:00' AND time < '2010-10-03 12:00:00' "
           "AND trk_number = 3")
    told = db.doubted(db.select(sql), "How many points were recorded from 11:00 to 12:00 on 3 October 2010?")
    assert told.startswith("each of its conditions holds for some rows (trk_number = 3: 30 rows; "
                           "time >= '2010-10-03 11:00:00' AND time < '2010-10-03 12:00:00': 13 rows)"), told
    between = db.doubted(db.select("SELECT COUNT(*) FROM t WHERE time BETWEEN '2010-10-03 11:00:00' AND "
                                   "'2010-10-03 11:59:59' AND trk_number = 3"), "How many?")
    assert "time BETWEEN '2010-10-03 11:00:00' AND '2010-10-03 11:59:59': 13 rows" in between
    # An empty window found nothing by itself: none may be the answer, and nothing is told.
    assert db.doubted(db.select("SELECT COUNT(*) FROM t WHERE time >= '2011-01-01' AND trk_number = 3"), "How many?") == ""
    # A window alone that keeps rows found some: nothing to doubt.
    assert db.doubted(db.select("SELECT COUNT(*) FROM t WHERE time >= '2010-10-03 11:00:00'"), "How many?") == ""
    db.close()


def test_a_count_that_keeps_no_row_by_the_question_s_verb_is_told_which_rows_write_it() -> None:
    # "How many samples did the lab turn away": the 1.5B kept a window's routine samples (35)
    # where the log writes 'sample rejected at reception' for the ones turned away (17).
    rows: list[list[str | None]] = []
    for i in range(60):
        rows.append([f"2026-11-18 12:{i:02d}:00", "sample received", "routine"])
        if i % 4 == 0:
            rows.append([f"2026-11-18 12:{i:02d}:00", "sample rejected at reception", None])
    db = TableDb.open(Table.of_rows(["time", "message", "priority"], rows))
    assert db is not None
    question = "How many samples did the lab turn away when they arrived, from 12:00 up to, but not including, 14:00?"
    told = db.doubted(db.select("SELECT COUNT(*) FROM t WHERE time >= '2026-11-18 12:00:00' AND priority = 'routine'"),
                      question)
    assert told == ("the question counts what was done ('refuse'), but no condition keeps the rows that say it: message "
                    "writes 'rejected' in 15 rows (e.g. 'sample rejected at reception'); keep them with message LIKE "
                    "'%rejected%'")
    # A condition that names the verb or one of its group keeps them; a verb no row writes is not told.
    assert db.doubted(db.select("SELECT COUNT(*) FROM t WHERE message LIKE '%rejected%'"), question) == ""
    assert db.doubted(db.select("SELECT COUNT(*) FROM t WHERE message LIKE '%reject%'"), "How many were denied?") == ""
    assert db.doubted(db.select("SELECT COUNT(*) FROM t WHERE priority = 'routine'"), "How many samples arrived?") == ""
    # A count that keeps them by a CASE (review) keeps them too.
    case = "SELECT COUNT(CASE WHEN message LIKE '%rejected%' THEN 1 END) FROM t WHERE time >= '2026-11-18 12:00:00'"
    assert db.doubted(db.select(case), question) == ""
    db.close()


def test_a_time_of_day_asked_over_many_days_is_told_as_the_column_s_time() -> None:
    # "How many sessions start at 6 pm or later?": the 1.5B compared whole date-times with
    # the last day's 18:00 and kept one row.
    rows = [[f"2027-0{1 + i % 4}-1{i % 10} {10 + i % 10}:00:00", "x"] for i in range(40)]
    told = schema(Table.of_rows(["dtstart", "name"], rows), "How many sessions start at 6 pm or later?")
    assert "- dtstart: date and time YYYY-MM-DD HH:MM:SS, 2027-01-10 10:00:00 to 2027-04-19 19:00:00 " \
           "(a time of day on any day: time(dtstart) compares with '18:00:00')" in told
    assert "time(dtstart) compares with '09:30:00'" in schema(Table.of_rows(["dtstart", "name"], rows), "Which start after 9:30 a.m.?")
    # No time of day asked, or one day's log, is told as before.
    assert "time(" not in schema(Table.of_rows(["dtstart", "name"], rows), "How many sessions in March?")
    one_day = [[f"2027-01-10 {10 + i % 10}:00:00", "x"] for i in range(40)]
    assert "time(" not in schema(Table.of_rows(["dtstart", "name"], one_day), "How many start at 6 pm or later?")
    assert "time(" not in schema(Table.of_rows(["dtstart", "name"], rows), "How many of the 13 pm sessions?")


def test_a_table_with_no_names_tells_a_rank_and_a_running_total_by_their_order() -> None:
    # A census name list, `MARY  2.629  2.629  1`: a share, its running total and a rank.
    shares = [round(2.6 / (k + 1), 3) for k in range(40)]
    running = [round(sum(shares[:k + 1]), 3) for k in range(40)]
    rows = [[f"NAME{k}", f"{shares[k]:.3f}", f"{running[k]:.3f}", str(k + 1)] for k in range(40)]
    told = schema(Table.of_rows([f"column_{i}" for i in range(4)], rows), "What rank does NAME7 hold?")
    assert "- column_2: number, 2.6 to 11.123 (a running total of column_1: each row's is the one above plus its column_1)" in told
    assert "- column_3: whole number, 1 to 40 (the row's place, 1 on the first row and one more on each: a rank or a number)" in told
    assert "column_1: number, 0.065 to 2.6\n" in told  # a share is no running total of anything
    # Numbers in no such order are told as before.
    mixed = [[f"N{k}", str((k * 7) % 40), str(k * 3 + 2)] for k in range(40)]
    assert "(" not in schema(Table.of_rows(["a", "b", "c"], mixed), "Which a?").split("Its columns:")[1]
    # A named table's id of 1 to n is no rank (review: beside a named `rank` column).
    named = [[str(k + 1), f"N{k}", str(40 - k)] for k in range(40)]
    assert "rank or a number" not in schema(Table.of_rows(["id", "name", "rank"], named), "Who is ranked third?")


def test_flags_are_no_running_total_of_each_other() -> None:
    # An SQL dump's `late` and `withdrawn`, nearly all 0: each step of one is the other's 0.
    rows = [[str(k), "1" if k == 30 else "0", "1" if k == 60 else "0"] for k in range(1, 101)]
    told = schema(Table.of_rows(["id", "late", "withdrawn"], rows), "How many were late?")
    assert "running total" not in told


def test_review_a_window_beside_a_condition_the_question_names_may_keep_none() -> None:
    rows = [["INFO" if i % 5 else "ERROR", f"2010-10-03 {9 + i // 20:02d}:{i % 60:02d}:00"] for i in range(90)]
    db = TableDb.open(Table.of_rows(["level", "time"], rows))
    assert db is not None
    zero = db.select("SELECT COUNT(*) FROM t WHERE level = 'ERROR' AND time >= '2010-10-03 13:00:00' "
                     "AND time < '2010-10-03 13:05:00'")
    assert zero.rows == ((0,),)
    assert db.doubted(zero, "How many errors were logged from 13:00 to 13:05?") == ""
    db.close()


def test_a_which_question_answered_by_a_key_is_told_the_column_that_names_it() -> None:
    # Over an SQL dump's joined rows the 1.5B grouped by `class_judge_id` and offered 3 for a judge's name.
    rows = [[str(k % 4 + 1), ["Ann Lee", "Bo Wu", "Dr. Cy Crabb", "Di Ng"][k % 4], str(k % 3 + 1)] for k in range(24)]
    db = TableDb.open(Table.of_rows(["class_judge_id", "class_judge_name", "class_section_id"], rows))
    assert db is not None
    sql = ("SELECT class_judge_id, COUNT(DISTINCT class_section_id) FROM t GROUP BY class_judge_id "
           "HAVING COUNT(DISTINCT class_section_id) > 2")
    question = "Which judge was given classes in more than two sections?"
    assert db.doubted(db.select(sql), question) == ("it gives class_judge_id, a key, but the question asks which one: "
                                                     "class_judge_name names it (select class_judge_name, and group by it)")
    named = sql.replace("class_judge_id", "class_judge_name")
    assert db.doubted(db.select(named), question) == ""
    assert db.doubted(db.select(sql), "Which judge id was given classes in more than two sections?") == ""
    db.close()


def test_a_row_of_several_cells_answers_on_what_date_with_its_one_date() -> None:
    query = Query("SELECT name, sdist_upload_time, json_array_length(wheels) AS n FROM t ORDER BY n DESC LIMIT 1",
                  rows=(("pydantic-core", "2026-10-11 18:35:44", 122),), names=("name", "sdist_upload_time", "n"))
    asked = "Find the locked package that offers the most wheel files. On what date was its source archive uploaded?"
    assert answer_of(query, asked) == "2026-10-11 18:35:44"
    assert answer_of(query, "Which package offers the most wheel files?") is None  # two cells could answer
    two = Query("SELECT a, b FROM t", rows=(("2026-01-01", "2026-02-02"),), names=("a", "b"))
    assert answer_of(two, "On what date was it uploaded?") is None  # two dates: which is open
