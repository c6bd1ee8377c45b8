"""The REPL helpers (recursor.sandbox.helpers): each one as a plain module, then all of them
loaded into real workers the way a run loads them (the source sent as setup code)."""

from __future__ import annotations

import ast
import asyncio
import re
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from recursor.context import store_context
from recursor.orient import printed_nothing
from recursor.sandbox import helpers as h
from recursor.sandbox.base import SandboxOptions

SOURCE = Path(h.__file__).read_text(encoding="utf-8")
"""What a run sends the worker as setup code (test_prompts_small checks that it does)."""

LOG = """\
2024-03-01 10:02:11 upgrade libc6:amd64 2.36-8 2.36-9
2024-03-01 10:02:12 status installed libc6:amd64 2.36-9
2024-03-02 11:00:00 install vim:amd64 <none> 2:9.0.1378-2
2024-03-09 08:15:40 upgrade openssl:amd64 3.0.11-1 3.0.13-1
2024-04-02 09:00:00 remove nano:amd64 7.2-1 <none>
"""

ACCESS = """\
ip=10.0.0.7 method=GET path=/api status=500 bytes=512
ip=10.0.0.3 method=GET path=/ status=200 bytes="1,024"
ip=10.0.0.7 method=POST path=/api status=500 bytes=100
ip=10.0.0.9 method=GET path=/img status=404 bytes=0
"""


class SubModel:
    """llm_query_batched for the module under test: answers from a function, records calls."""

    def __init__(self, answer: Any = None) -> None:
        self.answer = answer or (lambda prompt, choices: "ans:" + prompt.rsplit("\n", 1)[-1])
        self.prompts: list[str] = []
        self.batches = 0

    def __call__(self, prompts: Sequence[str], model: Any = None, choices: Any = None) -> list[str]:
        self.batches += 1
        self.prompts += prompts
        return [self.answer(p, choices) for p in prompts]


@pytest.fixture
def sub(monkeypatch: pytest.MonkeyPatch) -> Iterator[SubModel]:
    fake = SubModel()
    monkeypatch.setattr(h, "llm_query_batched", fake)
    monkeypatch.setattr(h, "context", LOG)
    monkeypatch.setattr(h, "_CACHE", {})
    yield fake


def printed(capsys: pytest.CaptureFixture[str]) -> str:
    return capsys.readouterr().out


# -- the module itself --------------------------------------------------------------------------


def test_module_is_standard_library_only_and_ends_in_no_expression() -> None:
    tree = ast.parse(SOURCE)
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}, imported
    assert not isinstance(tree.body[-1], ast.Expr)  # the REPL would print a bare last value


def test_module_knows_no_benchmark() -> None:
    bench = re.compile(r"oolong|trec|sniah|s-niah|two-?hop|magic number|codeqa|needle", re.I)
    assert not bench.search(SOURCE)


def test_run_in_a_namespace_it_keeps_the_repl_objects_and_survives_rebinding() -> None:
    def batched(prompts: Sequence[str], model: Any = None, choices: Any = None) -> list[str]:
        return ["x"] * len(prompts)

    ns: dict[str, Any] = {"__name__": "__main__", "context": ACCESS, "llm_query_batched": batched}
    exec(compile(SOURCE, "<setup>", "exec"), ns)
    assert ns["context"] is ACCESS and ns["llm_query_batched"] is batched
    # Model code reuses helper and module names; the helpers do not depend on them.
    exec("lines = lines('status=500')\nre = date = Counter = record = cols = to_date = None", ns)
    assert len(ns["lines"]) == 2
    exec("n = count_by(lines, 'ip', show=False)\nd = in_dates(['2024-01-02 x'], '2024')\n"
         "m = map_query('q', ['a'], show=False)", ns)
    assert ns["n"] == {"10.0.0.7": 2} and ns["d"] == ["2024-01-02 x"] and ns["m"] == ["x"]


# -- search -------------------------------------------------------------------------------------


def test_grep_marks_matches_and_returns_all_lines(sub: SubModel, capsys: pytest.CaptureFixture[str]) -> None:
    hits = h.grep("libc6", max_hits=1)
    out = printed(capsys)
    assert out.startswith("2 lines match:\n1| 2024-03-01 10:02:11 upgrade >>libc6<<:amd64")
    assert "... 1 more (grep returns them all as a list)" in out
    assert list(hits) == LOG.splitlines()[:2] and repr(hits) == "" and str(hits).count("\n") == 1
    assert h.grep("LIBC6", show=False) == hits  # any case
    assert h.grep("f(x", text="a\nso f(x) = 1\n", show=False) == ["so f(x) = 1"]  # bad regex: text
    assert sub.batches == 0


def test_grep_in_one_long_line_shows_the_sentence(monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    filler = "The sky is blue. The grass is green. " * 2000
    monkeypatch.setattr(h, "context", filler + "The backup key for vault-7 is K-4417. " + filler)
    h.grep("vault-7")
    out = printed(capsys)
    assert "1| The backup key for >>vault-7<< is K-4417." in out and "grass" not in out


def test_grep_ranks_lines_by_rare_words_when_a_paraphrase_matches_nothing(
    sub: SubModel, capsys: pytest.CaptureFixture[str]
) -> None:
    hits = h.grep("Which version of vim got installed?")
    out = printed(capsys)
    assert out.startswith("No line holds 'Which version of vim got installed?'")
    assert "'which'" not in out.split("rare words of", 1)[1].split("\n")[0]  # stop-words dropped
    # "installed" also finds "install": the line with both rare words ranks first.
    assert hits[0] == LOG.splitlines()[2]
    assert "1| 2024-03-02 11:00:00 >>install<< >>vim<<:amd64" in out


def test_a_word_is_found_in_its_other_forms_and_always_in_its_own() -> None:
    # "whose installation the log shows first" was "not in the text" of a dpkg log: the
    # ending "ion" left "installat". A long ending taken off may come back whole.
    rx = h._stem_rx("installation")
    assert [w for w in ("install", "installed", "installs", "installation", "installations") if rx.fullmatch(w)] == [
        "install", "installed", "installs", "installation", "installations"]
    assert not rx.search("reinstall") and not rx.search("installationsXYZ")
    assert h._stem("configuration") == "configur" and h._stem_rx("conversation").fullmatch("conversation")
    # A stem under 6 letters is another word's start: "-ion" comes off instead, as before.
    assert not h._stem_rx("foundation").search("found") and not h._stem_rx("generation").search("general")
    assert [w for w in ("location", "locations", "located") if h._stem_rx("location").fullmatch(w)] == [
        "location", "locations", "located"]


def test_a_word_in_its_base_form_finds_its_inflections_not_longer_words() -> None:
    # "How many connections did the server accept": a Redis log writes "Accepted 127.0.0.1:5415".
    assert [w for w in ("accept", "accepts", "accepted", "accepting", "acceptable")
            if h._stem_rx("accept").fullmatch(w)] == ["accept", "accepts", "accepted", "accepting"]
    assert [w for w in ("close", "closes", "closed", "closing", "closet") if h._stem_rx("close").fullmatch(w)] == [
        "close", "closes", "closed", "closing"]
    assert not h._stem_rx("open").search("openssl") and h._stem_rx("open").search("opened")  # not a longer word
    assert not h._stem_rx("RFC").fullmatch("RFCs")  # an acronym is as written
    assert not h._stem_rx("configure").search("status half-configured x")  # another word: a state
    # Not another word that a short ending makes: "systemd", "httpd", "find" of "fine", "stats" of "state".
    for word, other in (("system", "systemd"), ("http", "httpd"), ("fine", "find"), ("hole", "hold"),
                        ("state", "stats"), ("lose", "loss"), ("mode", "mods")):
        assert not h._stem_rx(word).fullmatch(other), (word, other)
    assert h._stem_literal("close") == "clos" and h._stem_literal("accept") == "accept"


def test_a_plural_in_es_too_short_to_stem_finds_its_singular() -> None:
    # "charged the most in late-return fines": a library's log writes "fine 0.00 EUR".
    for plural, forms in (("fines", ["fine", "fines"]), ("types", ["type", "types"]),
                          ("times", ["time", "times"]), ("lines", ["line", "lines"])):
        rx = h._stem_rx(plural)
        assert all(rx.fullmatch(f) for f in forms), plural
        assert all(f.startswith(h._stem_literal(plural)) for f in forms), plural
    # No other form (review: "types" found `from typing import Any`), no longer word, and a
    # sibilant's "-es" is left as written.
    for plural, other in (("types", "typing"), ("codes", "coding"), ("times", "timed"), ("files", "filed"),
                          ("times", "timeout"), ("codes", "codec")):
        assert not h._stem_rx(plural).search(f"x {other} y"), (plural, other)
    assert h._e_plural("boxes") == "boxes" and h._e_plural("buses") == "buses" and h._e_plural("Rates") == "Rates"
    assert h._stem_rx("charges").fullmatch("charge")  # long enough to stem, as before


def test_a_base_form_finds_a_doubled_consonant_and_a_y_turned_to_i() -> None:
    # "How many jobs did the scheduler stop": a log writes "stopped"; "deny": "denied".
    for word, forms in (("stop", ["stopped", "stopping", "stops"]), ("commit", ["committed", "committing"]),
                        ("deny", ["denied", "denies", "denying"]), ("retry", ["retried", "retries"]),
                        ("play", ["played", "plays"])):
        rx = h._stem_rx(word)
        assert all(rx.fullmatch(f) for f in forms), word
        assert all(h._stem_literal(word) == f[:len(h._stem_literal(word))] for f in forms), word
    assert not h._stem_rx("deny").fullmatch("denial") and not h._stem_rx("stop").fullmatch("stopper")
    assert h._stem_literal("deny") == "den" and h._stem_literal("play") == "play"


def test_a_plural_or_past_in_ies_or_ied_finds_the_base_form_in_y() -> None:
    # "How many queries did that client send": a DNS log writes "query[A]"; "entries": "entry".
    for word, forms in (("queries", ["query", "queries", "queried", "querying"]),
                        ("entries", ["entry", "entries"]), ("denied", ["deny", "denied", "denies"]),
                        ("Retries", ["retry", "Retry", "retries", "retried"])):
        rx = h._stem_rx(word)
        assert all(rx.fullmatch(f) for f in forms), word
        assert all(f.lower().startswith(h._stem_literal(word)) for f in forms), word  # the plain search's candidates
    assert h._stem("queries") == "queri"  # the stem its other callers compare with is as before
    assert not h._stem_rx("queries").search("quest") and not h._stem_rx("entries").search("entrance")
    assert not h._stem_rx("queries").search("queryable")  # the base form only as written, or with -ing
    assert h._y_base("plays") is None and h._y_base("ties") is None and h._y_base("series") == "sery"


def test_grep_says_so_when_nothing_matches(sub: SubModel, capsys: pytest.CaptureFixture[str]) -> None:
    assert h.grep("zeta omega") == []
    assert "No line holds 'zeta omega' or any of its words" in printed(capsys)


# -- lines, records, columns, tables, numbers ------------------------------------------------------


def test_lines_by_pattern_and_by_field(sub: SubModel, monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(h.lines()) == 5 and h.lines(r"\bupgrade\b") == [LOG.splitlines()[0], LOG.splitlines()[3]]
    assert h.lines("f(x", text="a\nso f(x) = 1\n") == ["so f(x) = 1"]
    monkeypatch.setattr(h, "context", ACCESS)
    assert [r.split()[0] for r in h.lines(status=500)] == ["ip=10.0.0.7", "ip=10.0.0.7"]
    assert h.lines(STATUS="404", Method="get") == [ACCESS.splitlines()[3]]
    # A name no line has as a field: its value is looked for as a word.
    assert h.lines(user="10.0.0.9") == [ACCESS.splitlines()[3]]
    assert h.lines(["a x", "b", "c x"]) == ["a x", "b", "c x"] and h.lines("x", ["a x", "b"]) == ["a x"]
    monkeypatch.setattr(h, "context", ["one", "two"])
    assert h.lines() == ["one", "two"]


def test_chunks_cut_at_line_ends_and_cover_the_text(sub: SubModel) -> None:
    parts = h.chunks(120)
    assert all(len(p) <= 120 for p in parts) and "".join(parts) == LOG
    assert all(p.endswith("\n") for p in parts)


def test_record_reads_the_usual_field_forms() -> None:
    assert h.record(ACCESS.splitlines()[1]) == {
        "ip": "10.0.0.3", "method": "GET", "path": "/", "status": "200", "bytes": "1,024"}
    rec = h.record("Date: Dec 12, 2022 || User ID: 11 || Text: hello, world")
    assert rec == {"Date": "Dec 12, 2022", "User ID": "11", "Text": "hello, world"}
    assert rec["user_id"] == "11" and rec["missing"] is None and rec.get("missing", 0) == 0
    assert h.record("host: a, status: 200, note: ok, fine") == {"host": "a", "status": "200",
                                                                "note": "ok, fine"}
    assert h.record('{"a": 1, "b": "x", "c": [1]}') == {"a": "1", "b": "x", "c": "[1]"}
    assert h.record("name='my box' size=3.5GB") == {"name": "my box", "size": "3.5GB"}
    # A call's last argument ends at the bracket it never opens (luigi's task names).
    assert h.record("running ExtractSales(day=2026-11-30, store=muenchen-west)") == {
        "day": "2026-11-30", "store": "muenchen-west"}
    assert h.record("x=f(1) y=[a] z=b)]") == {"x": "f(1)", "y": "[a]", "z": "b"}
    assert h.record("x=a" + ")" * 50_000) == {"x": "a"}  # read once, not once a bracket (review)
    assert h.record("2024-03-01 10:02:11 upgrade libc6") == {}
    assert h.record({"k": 1})["K"] == 1


def test_cols_split_by_whitespace_tabs_bars_or_a_separator() -> None:
    assert h.cols(LOG.splitlines()[0])[2:4] == ["upgrade", "libc6:amd64"]
    assert h.cols("a\tb c\td") == ["a", "b c", "d"]
    assert h.cols("| x | y |") == ["x", "y"]
    assert h.cols('1,"Smith, J",3', ",") == ["1", "Smith, J", "3"]
    assert h.cols("a :: b", "::") == ["a", "b"]


def test_table_reads_csv_tsv_markdown_and_aligned_columns() -> None:
    assert h.table('name,city\nAnn,"Oslo, NO"\nBo,Rome') == [
        {"name": "Ann", "city": "Oslo, NO"}, {"name": "Bo", "city": "Rome"}]
    assert h.table("a\tb\n1\t2") == [{"a": "1", "b": "2"}]
    assert h.table("| a | b |\n|---|---|\n| 1 | 2 |") == [{"a": "1", "b": "2"}]
    assert h.table("PID  USER  COMMAND\n12   root  sleep 10") == [
        {"PID": "12", "USER": "root", "COMMAND": "sleep 10"}]
    assert h.table([{"a": 1}])[0]["A"] == 1
    assert h.table("") == []


def test_to_number() -> None:
    assert h.to_number("1,234.5 ms") == 1234.5 and h.to_number("took -3 s") == -3
    assert isinstance(h.to_number("42 items"), int) and h.to_number("1e3") == 1000.0
    assert h.to_number("n/a") is None and h.to_number(7) == 7 and h.to_number(".5") == 0.5


# -- dates --------------------------------------------------------------------------------------


def test_to_date_reads_common_forms() -> None:
    d = date(2024, 3, 5)
    for text in ("2024-03-05", "2024-03-05T10:00:00Z", "2024/3/5", "Mar 5, 2024", "March 5th 2024",
                 "on 5 March 2024", "05/Mar/2024:10:00:00 +0000", "3/5/2024", "5.3.2024",
                 "Tue, 05 Mar 2024 10:00:00 GMT"):
        assert h.to_date(text) == d, text
    for text in ("dr-xr-xr-x 9 root root 0 Mar  5 10:00 1234", "Mar  5 10:00:01 FW 8080 packets dropped",
                 "Backup finished Tue Mar 5 10:00\n2048 files copied"):
        assert h.to_date(text) is None, text  # a file's name, a port, the next line's count: no year
    assert h.to_date("dr-xr-xr-x 9 root root 0 Mar  5 10:00 1234", year=2024) == d
    assert h.to_date("31/12/2023") == date(2023, 12, 31)  # a first number over 12 is the day
    assert h.to_date("Mar 5 10:00:01 host sshd") is None
    # date(1)'s form, as GNU ChangeLogs head their entries: the year after the time and zone.
    for text in ("Tue Mar  5 10:00:01 GMT 2024  Colin Watson  <cjwatson@debian.org>", "Tue Mar 5 10:00 2024",
                 "Tue Mar  5 10:00:01 +0100 2024"):
        assert h.to_date(text) == d, text
    assert h.to_date("Mar 5 10:00:01 host sshd", year=2024) == d
    assert h.to_date("from 2024-01-02 to Dec 1, 2023") == date(2024, 1, 2)  # the first written
    assert h.to_date("2024-02-30") is None and h.to_date("Mayor 5, 2024") is None
    assert h.to_date(date(2020, 1, 1)) == date(2020, 1, 1)


def test_an_entry_is_dated_by_its_first_or_last_line_not_a_date_its_body_mentions() -> None:
    signed = "pkg (1.2-1) unstable\n  * Backport the fix of 2019-07-24.\n -- Ann <a@x>  Thu, 07 Jan 2021 09:07:21 +0900"
    headed = "Start-Date: 2024-03-05 10:00\nNote: replaces the run of 2023-01-01\nEnd-Date: 2024-03-06"
    noted = "a note\n  see 2022-02-02 and 2021-01-01\n  end"
    found = h.entries(text="\n\n".join([signed, noted, "no dates\n  at all"]))
    assert [h.to_date(e) for e in found] == [date(2021, 1, 7), date(2022, 2, 2), None]
    assert h.in_dates(found, "2021") == [found[0]]
    assert h.count_by(found, "year", show=False) == {"2021": 1, "2022": 1}
    runs = h.entries(text=headed + "\n\nStart-Date: 2025-01-01 09:00\nEnd-Date: 2025-01-01")
    assert [h.to_date(e) for e in runs] == [date(2024, 3, 5), date(2025, 1, 1)]
    # Any other text of several lines: its first date, as written.
    assert h.to_date(signed) == date(2019, 7, 24)
    assert h.to_date("# header\n2024-03-05 a\n2024-03-09 end") == date(2024, 3, 5)


def test_in_dates_takes_days_months_and_years(sub: SubModel) -> None:
    rows = h.lines()
    assert len(h.in_dates(rows, "2024-03-01", "Mar 2, 2024")) == 3
    assert len(h.in_dates(rows, "March 2024")) == 4 and len(h.in_dates(rows, "2024-04")) == 1
    assert len(h.in_dates(rows, "2024")) == 5 and h.in_dates(rows, "2023") == []
    assert len(h.in_dates(rows, "2024-03", "2024-04")) == 5
    assert h.in_dates(["no date here"], "2024") == []
    with pytest.raises(ValueError, match="cannot read the first date"):
        h.in_dates(rows, "someday", "2024")


# -- counting and grouping -------------------------------------------------------------------------


def test_count_by_every_kind_of_key(sub: SubModel, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(h, "context", ACCESS)
    counts = h.count_by(h.lines(), "status")
    assert counts == {"500": 2, "200": 1, "404": 1}
    assert printed(capsys).startswith("count_by: 4 items, 3 values\n500: 2\n")
    assert h.count_by(h.lines(), 1, show=False) == {"method=GET": 3, "method=POST": 1}
    assert h.count_by(h.lines(), r"path=(\S+)", show=False) == {"/api": 2, "/": 1, "/img": 1}
    assert h.count_by(["a", "b ", "a"], show=False) == {"a": 2, "b": 1}
    assert h.count_by([{"k": "x"}, {"k": "x"}, {}], "k") == {"x": 2}
    assert "; 1 without a value" in printed(capsys)
    month = h.count_by(LOG.splitlines(), lambda r: h.to_date(r).strftime("%Y-%m"), show=False)
    assert month == {"2024-03": 4, "2024-04": 1}
    h.count_by(range(30), n=3)
    assert printed(capsys).rstrip().endswith("... 27 more values")
    assert sub.batches == 0


def test_group_by_sum_by_and_top(sub: SubModel, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(h, "context", ACCESS)
    groups = h.group_by(h.lines(), "ip")
    assert list(groups) == ["10.0.0.7", "10.0.0.3", "10.0.0.9"] and len(groups["10.0.0.7"]) == 2
    assert "group_by: 3 groups\n10.0.0.7: 2" in printed(capsys)
    sums = h.sum_by(h.lines(), "ip", "bytes")
    assert sums == {"10.0.0.3": 1024, "10.0.0.7": 612, "10.0.0.9": 0}
    assert next(iter(sums)) == "10.0.0.3"
    assert printed(capsys).startswith("sum_by: 4 items, 3 values\n10.0.0.3: 1024\n")
    assert h.top(sums, 1) == [("10.0.0.3", 1024)]
    assert printed(capsys) == "1. 10.0.0.3: 1024\n"
    assert h.top(h.lines(), 2, key="status") == [("500", 2), ("200", 1)]
    assert h.top({"a": 0.5, "b": 1.5}, 5) == [("b", 1.5), ("a", 0.5)]


HISTORY = """\
# File: /var/log/apt/history.log
Start-Date: 2024-05-01  10:00:00
Commandline: apt-get install -y tzdata
Upgrade: tzdata:amd64 (2024a-1, 2024b-1)
End-Date: 2024-05-01  10:00:04

Start-Date: 2024-05-02  09:00:00
Commandline: apt-get install -y curl
Install: libssh2-1:amd64 (1.10.0-3+b1, automatic), curl:amd64 (7.88.1-10), libcurl4:amd64 (7.88.1-10, automatic)
End-Date: 2024-05-02  09:00:30

Start-Date: 2024-05-03  08:00:00
Commandline: apt-get install -y jq
Install: jq:amd64 (1.6-2.1), libjq1:amd64 (1.6-2.1, automatic)
End-Date: 2024-05-03  08:00:09
"""


def test_sum_by_counts_the_items_a_field_lists_and_totals_one_field(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # An apt run's `Install:` lists packages: summed, each run adds how many it lists. Read as
    # numbers they gave 64 per run ("amd64"), and a run without the field one ("install -y").
    monkeypatch.setattr(h, "context", HISTORY)
    runs = h.entries(file="history.log")
    per_run = h.sum_by(runs, "Start-Date", "Install")
    assert per_run == {"2024-05-02  09:00:00": 3, "2024-05-03  08:00:00": 2}
    assert printed(capsys).startswith("sum_by: 2 items, 2 values\n2024-05-02  09:00:00: 3\n")
    assert h.sum_by(runs, "Install") == 5  # one field: its total over the items
    assert "Install added up over 2 of 3 items: 5" in printed(capsys)
    # The value and the key swapped for a field no item has: said so, with the total it meant.
    assert h.sum_by(runs, "Install", "items") == {}
    out = printed(capsys)
    assert "No item has a field 'items'. Their fields: Start-Date, Commandline, Upgrade, End-Date, Install." in out
    assert "Install added up over 2 of 3 items: 5" in out
    # Counted by a list field, each list is held once: the count says how to add them up; a run
    # without the field is left out, not read as "install -y".
    assert len(h.count_by(runs, "install")) == 2
    out = printed(capsys)
    assert "1 without a value" in out and "-y" not in out
    assert "Each 'install' is a list: sum_by(items, 'install') adds up their items" in out
    # Numbers stay numbers, with thousands separators.
    assert h.sum_by(["n: 1,200", "n: 30", "n: 4"], "n") == 1234


def test_record_reads_a_python_dict_as_programs_log_it() -> None:
    # A crawler logs its items as a dict's repr; "No item has a field 'bytes'" sent the 1.5B round in circles.
    item = "{'path': '/hostname/copyright', 'bytes': 1273, 'type': 'application/octet-stream', 'seen': None}"
    assert dict(h.record(item)) == {"path": "/hostname/copyright", "bytes": "1273",
                                    "type": "application/octet-stream", "seen": "null"}
    assert dict(h.record("{__import__('os').system('true')}")) == {}  # a literal, never code


def test_in_dates_keeps_the_rows_in_a_window_of_the_day() -> None:
    rows = ["2026-12-06 06:31:59 a", "2026-12-06 06:32:00 b", "2026-12-06 06:32:05.9 c", "2026-12-06 06:32:06 d",
            "no time here", "10310:M 06 Dec 2026 06:32:03.129 - DB"]
    assert h.in_dates(rows, "06:32:00", "06:32:05") == [rows[1], rows[2], rows[5]]
    assert h.in_dates(rows, "06:32") == [rows[1], rows[2], rows[3], rows[5]]  # a minute: all its seconds
    assert h.in_dates(["2024-03-02 x", "2024-04-01 y"], "2024-03") == ["2024-03-02 x"]  # dates as before


def test_to_number_reads_the_number_a_unit_follows() -> None:
    line = "npm http fetch GET 200 https://registry.example/ms/-/ms-2.1.3.tgz 1,823ms (cache miss)"
    assert h.to_number(line, "ms") == 1823 and h.to_number(line) == 200  # the package named "ms" is no time
    assert h.to_number("took 0.25 s", "s") == 0.25 and h.to_number("12 KB free", "kB") == 12
    assert h.to_number("no time here", "ms") is None and h.to_number("3 msgs", "ms") is None


def test_to_number_skips_digits_that_are_part_of_a_name() -> None:
    assert h.to_number("libc6:amd64") is None and h.to_number("libssh2-1 (1.10.0-3)") == 1.1
    assert h.to_number("x86_64 build, 12 ms") == 12 and h.to_number("range 10-20") == 10
    assert h.to_number("合計1200件") == 1200 and h.to_number("USD12") is None


ZLIB_CHANGELOG = """\
# File: /usr/share/doc/zlib/changelog.Debian
zlib (1:1.2.13-2) unstable; urgency=medium

  * Fix the build. Thanks to Ann Other <ann@example.org>.

 -- Mark Brown <broonie@debian.org>  Sun, 03 Jan 2016 03:14:16 +0000

zlib (1:1.2.13-1) unstable; urgency=medium

  * New upstream release.

 -- Mark Brown <broonie@debian.org>  Sat, 08 Aug 2015 22:34:14 +0000

zlib (1:1.2.11-4) unstable; urgency=high

  * Security fix.

 -- Laszlo Boszormenyi (GCS) <gcs@debian.org>  Sat, 27 Jun 2015 00:04:46 +0000
"""


def test_a_person_written_as_name_and_mail_is_an_items_author_by_any_such_name(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # "Who signed the most entries": the 1.5B counted by "signed" and "author", which no entry
    # writes as a field; each writes its person as `Name <mail>` on its last line.
    monkeypatch.setattr(h, "context", ZLIB_CHANGELOG)
    entries = h.entries(file="zlib")
    for key in ("signed", "author", "maintainer", "by"):
        assert h.count_by(entries, key, show=False) == {"Mark Brown": 2, "Laszlo Boszormenyi (GCS)": 1}, key
    assert h.record("From: Ann <ann@example.org>")["from"] == "Ann <ann@example.org>"  # a field wins
    assert h.record("Reviewed by Ann Other <ann@example.org> today")["by"] == "Ann Other"
    assert h.record("no mail here")["author"] is None
    h.count_by(entries, "signer_name")
    assert 'Key "author" gives the person each writes as Name <mail>.' in printed(capsys)


def test_count_by_cuts_a_long_list_where_it_prints_it(capsys: pytest.CaptureFixture[str]) -> None:
    value = ", ".join(f"package{i}:amd64 (1.{i})" for i in range(40))
    assert h.count_by([f"Install: {value}"], "Install", show=False) == {value: 1}
    h.count_by([f"Install: {value}"], "Install")
    shown = printed(capsys).splitlines()[1]
    assert len(shown) < 120 and shown.endswith(": 1")
    # A long message is no list: shown whole, as an answer copied from it must be.
    message = " and ".join(["connection to database primary-replica-03 refused after 3 retries"] * 3)
    h.count_by([f"ERROR {message}"] * 2, r"ERROR (.*)")
    assert message + ": 2" in printed(capsys)


def test_people_are_read_from_the_lines_that_say_whose_an_item_is() -> None:
    commit = ("commit 1a2b3c\nAuthor: Linus Torvalds <torvalds@example.org>\nDate:   Mon Jan 1\n\n"
              "    Fix it.\n\n    Signed-off-by: Ann Other <ann@example.org>")
    mail = 'Return-Path: <bounce@example.org>\nFrom: "Smith, Alice" <alice@example.org>\nTo: bo@example.org'
    assert h.person(h.Entry(commit)) == "Linus Torvalds" and h.person(h.Entry(mail)) == "Smith, Alice"
    assert h.person("Signed-off-by: Linus Torvalds <t@example.org>") == "Linus Torvalds"
    assert h.person(" -- 山田太郎 <yamada@example.jp>  Mon, 01 Jan 2024") == "山田太郎"
    assert h.person("Maintainer: jdoe <jdoe@example.org>") == "jdoe"
    assert h.person('__author__ = "Jane Doe <jane@example.org>"') == "Jane Doe"
    assert h.person("no mail at all, 1 < 2 > 0") is None


def test_a_field_few_rows_write_is_still_read_from_the_others_words(monkeypatch: pytest.MonkeyPatch) -> None:
    auth = ["Failed password for invalid user admin from 10.0.0.1", "Failed password for invalid user admin",
            "Failed password for invalid user oracle", "pam_unix(sshd:auth): authentication failure; user=root"]
    assert h.count_by(auth, "user", show=False) == {"admin": 2, "oracle": 1, "root": 1}
    # "file" is each line's file, whatever one line writes.
    monkeypatch.setattr(h, "context", "# File: a.py\ndef f(x):\n    pass\n# File: b.py\ndef g(data, file=None):\n"
                                      "    pass\ndef k():\n    pass\n")
    assert h.count_by(h.lines(r"^def\b"), "file", show=False) == {"b.py": 2, "a.py": 1}


def test_sum_by_says_which_name_gave_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    rows = ["user=ann bytes=10", "user=bo bytes=20", "user=ann bytes=5"]
    assert h.sum_by(rows, "host", "bytes") == {}
    assert "No item has a field 'host'. Their fields: user, bytes." in printed(capsys)
    assert h.sum_by(rows, "user") == 0
    assert "'user' holds no numbers: count_by(items, 'user') counts its values." in printed(capsys)
    # One value that reads like a list leaves a column of numbers numbers.
    prices = ["item=a price=10", "item=b price=20", 'item=c price="Red, Green, Blue"']
    assert h.sum_by(prices, "item", "price", show=False) == {"b": 20, "a": 10}


# -- sub-models -----------------------------------------------------------------------------------


def test_map_query_keeps_order_asks_each_item_once_and_caches(sub: SubModel,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = h.map_query("Shout it.", ["one", "two", "three", "two"])
    assert out == ["ans:one", "ans:two", "ans:three", "ans:two"]
    assert "map_query: 4 items, 3 sub-call batches" in printed(capsys)
    assert h.map_query("Shout it.", ["three", "one"], show=False) == ["ans:three", "ans:one"]
    assert len(sub.prompts) == 3 and sub.batches == 1  # cached: no new sub-calls
    assert sub.prompts[0] == "Shout it.\n\none"


def test_map_query_batches_parse_numbered_replies_by_number(sub: SubModel) -> None:
    def answer(prompt: str, choices: Any) -> str:
        items = re.findall(r"^(\d+)\. (.*)$", prompt, re.MULTILINE)
        if not items:  # a single item asked again
            return "again:" + prompt.rsplit("\n\n", 2)[-2]
        # Reverse order, the last item left out: parsing goes by number.
        return "\n".join(f"{n}: {text.upper()}" for n, text in reversed(items[:-1]))

    sub.answer = answer
    assert h.map_query("Upper.", ["a", "b", "c", "d", "e"], batch=3, show=False) == [
        "A", "B", "again:c", "D", "again:e"]
    assert len(sub.prompts) == 2 + 2


def test_map_query_does_not_cache_failures(sub: SubModel) -> None:
    sub.answer = lambda prompt, choices: "Error: timeout"
    h.map_query("Q.", ["x"], show=False)
    h.map_query("Q.", ["x"], show=False)
    assert len(sub.prompts) == 2


def test_classify_asks_choice_requests_and_normalizes_answers(
    sub: SubModel, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = {"Broke in a week": "Complaint.", "Love it": "label: praise",
               "Does it fit?": "I think: a query", "Meh": "no idea"}

    def answer(prompt: str, choices: Any) -> str:
        if "is not in the list" in prompt:
            return "question" if "a query" in prompt else "still no idea"
        assert choices == ["complaint", "praise", "question"]
        return answers[next(k for k in answers if k in prompt)]

    sub.answer = answer
    labels = h.classify(list(answers), "complaint, praise, question")
    assert list(labels) == ["complaint", "praise", "question", "?"]
    out = printed(capsys)
    # Four choice requests, then the two off-list answers asked once more.
    assert out.startswith("classify: 4 items (6 sub-calls)\ncomplaint: 1\npraise: 1\nquestion: 1\n?: 1")
    assert labels["complaint"] == 1 and labels[0] == "complaint" and labels["?"] == 1
    assert labels.pick("praise") == ["Love it"] and labels.counts()["question"] == 1
    assert labels.where("it") == {"praise": 1, "question": 1}
    assert "labels of the 2 items holding 'it'" in printed(capsys)
    assert repr(labels).startswith("Labels(complaint: 1")


def test_classify_names_the_most_and_the_fewest_labels(sub: SubModel, capsys: pytest.CaptureFixture[str]) -> None:
    # Asked which label was least common, the 1.5B answered the first line of the counts.
    said = {"Broke in a week": "complaint", "Late again": "complaint", "Cracked lid": "complaint",
            "Love it": "praise", "Does it fit?": "question"}
    sub.answer = lambda prompt, choices: said[next(k for k in said if k in prompt)]
    h.classify(list(said), "complaint, praise, question")
    assert printed(capsys).startswith("classify: 5 items (5 sub-calls)\ncomplaint: 3\npraise: 1\nquestion: 1\n"
                                      "Most: complaint (3); fewest: praise, question (1).")
    h.classify(["Love it", "Does it fit?", "Late again"], "complaint, praise, question")
    assert "Most:" not in printed(capsys)  # all alike: no ends to name


def test_labels_by_a_field_count_each_value_and_having_selects_by_them(
    sub: SubModel, capsys: pytest.CaptureFixture[str]
) -> None:
    # Which hosts logged a failure, and which exactly one: labels counted per host.
    said = {"disk full": "failure", "backup done": "success", "fan loud": "warning", "link down": "failure"}
    rows = [f"host: web{n} | msg: {m}" for n, m in [(1, "disk full"), (2, "backup done"), (10, "link down"),
                                                     (1, "link down"), (2, "fan loud"), (10, "backup done")]]
    rows.append("msg: disk full")  # no host: left out of the table
    sub.answer = lambda prompt, choices: said[next(k for k in said if k in prompt)]
    labels = h.classify(rows, "failure, success, warning", field="msg", show=False)
    table = labels.by("host")
    out = printed(capsys)
    assert out.startswith("by 'host': 3 values, 6 items; the first 3:\nweb1: failure 2\n")
    assert ".having('failure') gives the 2 values with at least one failure" in out
    assert table["web1"]["failure"] == 2 and table["web2"]["failure"] == 0
    assert table.having("failure") == ["web1", "web10"]
    assert table.having("failure").keys() == ["web1", "web10"]  # taken for the table, it still reads
    assert table.having("failure", exactly=1) == ["web10"]
    assert table.having("failure", "warning", least=2) == ["web1"]
    assert table.having("failure", exactly=0) == ["web2"]
    assert table.having("success", most=0) == ["web1"]
    # Numbers sort by size: user 9 before user 10.
    numbered = h.classify(["user: 10 | msg: disk full", "user: 9 | msg: link down"], "failure, success",
                          field="msg", show=False).by("user", show=False)
    assert numbered.having("failure") == ["9", "10"]
    # A label classify never gave is a mistake to say, not an empty answer.
    with pytest.raises(ValueError, match="'failures' is not one of the labels: failure, success, warning"):
        table.having("failures")
    # Only the items dated in a period count: no failure on or before Mar 2 (web10's is later).
    dated_rows = [f"date: 2024-03-0{d} | host: {n} | msg: {m}" for d, n, m in [(1, "web1", "disk full"), (5, "web10", "link down"),
                                                                       (2, "web2", "backup done")]]
    dated = h.classify(dated_rows, "failure, success, warning", field="msg", show=False).by("host", show=False)
    assert dated.having("failure", exactly=0, last="2024-03-02") == ["web2", "web10"]
    assert dated.having("failure", first="March 2024") == ["web1", "web10"]
    # A record's own date field, not a date its prose writes; an item with no date is said, not counted.
    prose = h.Labels(["praise", "praise"], ['customer=a text="bought 2023-05-01, great" date=2024-06-01',
                                            'customer=b text="good" when=yesterday'], ["complaint", "praise"])
    assert prose.by("customer", show=False).having("praise", first="2024-01-01") == ["a"]
    assert "having: 1 items labelled praise have no date; they are not counted." in printed(capsys)
    with pytest.raises(ValueError, match="is after last"):
        dated.having("failure", first="2024-03-05", last="2024-03-01")
    with pytest.raises(ValueError, match="exactly= alone"):
        table.having("failure", exactly=0, least=5)
    assert h.Labels([], [], ["a"]).by("host").having("a") == []
    assert "by: no item has a field 'host'" in printed(capsys)


def test_pairs_gives_each_pair_once_lower_first(capsys: pytest.CaptureFixture[str]) -> None:
    # Which pairs of hosts both failed; which pairs of one failing and one warning host.
    both = h.pairs(["web10", "9", "10", "9"])
    assert list(both) == [("9", "10"), ("9", "web10"), ("10", "web10")]  # numbers by size, then text
    assert printed(capsys) == "pairs: 3 pairs of 3 values; (9, 10) (9, web10) (10, web10)\n"
    assert str(both) == "(9, 10)\n(9, web10)\n(10, web10)"  # what FINAL_VAR answers with
    mixed = h.pairs([1, 2], ["2", 3], show=False)
    assert list(mixed) == [("1", "2"), ("1", "3"), ("2", "3")]  # ids as text: 2 and "2" are one, (2, 2) no pair
    # No two values tie: "01" and "1" are two ids, each pair written once; ids past float precision too.
    assert list(h.pairs(["01", "1"], show=False)) == [("01", "1")]
    # Negative and decimal numbers in order of size; text with its digit runs as numbers.
    assert list(h.pairs(["2", "1.5", "-3"], show=False)) == [("-3", "1.5"), ("-3", "2"), ("1.5", "2")]
    assert list(h.pairs(["web10", "web2"], show=False)) == [("web2", "web10")]
    big = ["12345678901234567891", "12345678901234567890"]
    assert list(h.pairs(big, show=False)) == [(big[1], big[0])]
    assert repr(h.pairs(range(5), show=False)) == "Pairs(10): (0, 1) (0, 2) (0, 3) ..."
    assert h.pairs([], ["a"], show=False) == [] and h.pairs(["a"], show=False) == []


def test_classify_one_label_gets_other_and_field_sends_only_that_field(sub: SubModel) -> None:
    sub.answer = lambda prompt, choices: "kettle" if "heat" in prompt else "other"
    rows = ["product: kettle | text: does not heat", "product: kettle | text: fine"]
    labels = h.classify(rows, ["kettle"], field="text", show=False)
    assert labels.names == ["kettle", "other"] and list(labels) == ["kettle", "other"]
    assert all("product" not in p for p in sub.prompts)
    assert labels.pick("kettle") == [rows[0]]


def test_classify_batched_mode_lists_the_labels_in_the_prompt(sub: SubModel) -> None:
    sub.answer = lambda prompt, choices: "1: yes\n2: no"
    assert list(h.classify(["a", "b"], "yes; no", batch=2, show=False)) == ["yes", "no"]
    assert "from this list: yes; no" in sub.prompts[0]


def test_classify_reads_labels_the_text_writes_without_sub_calls(
    sub: SubModel, capsys: pytest.CaptureFixture[str]
) -> None:
    labels = h.classify(h.lines(), "upgrade, install, remove, status")
    assert list(labels) == ["upgrade", "status", "install", "upgrade", "remove"]
    assert sub.batches == 0
    assert printed(capsys).startswith("classify: 5 items (0 sub-calls, 5 read from the text)")
    # With an instruction the label answers it: every item goes to the sub-model.
    sub.answer = lambda prompt, choices: "remove"
    asked = h.classify(h.lines(), "upgrade, remove", instruction="Which undoes an install?",
                       show=False)
    assert list(asked) == ["remove"] * 5 and len(sub.prompts) == 5
    # A label inside a name ("error_count") is not the label written.
    sub.answer = lambda prompt, choices: "ok"
    assert list(h.classify(["error_count=0", "error: disk"], "error, ok", show=False)) == ["ok"] * 2
    # Free text that seldom names a label goes to the sub-model, every item.
    sub.answer = lambda prompt, choices: "praise"
    h.classify(["great kettle", "this is praise", "works"], "praise, complaint", show=False)
    assert len(sub.prompts) == 5 + 2 + 3


def test_classify_reads_labels_a_column_writes_and_asks_once_per_other_value(
    sub: SubModel, capsys: pytest.CaptureFixture[str]
) -> None:
    # The 1.5B classified 1,887 dpkg lines as "install, upgrade, remove": 1,750 "status" and
    # "configure" lines went to the sub-model, 3,637 sub-calls for what the third column says.
    actions = ["install", "status", "status", "configure", "upgrade", "status", "remove", "purge"]
    rows = [f"2024-05-0{i % 9 + 1} 10:00:{i % 60:02} {actions[i % len(actions)]} pkg{i}:amd64 1.{i}-1"
            for i in range(80)]
    sub.answer = lambda prompt, choices: "remove" if "'purge'" in prompt else "none of these"
    labels = h.classify(rows, "install, upgrade, remove")
    assert labels.counts() == {"install": 10, "upgrade": 10, "remove": 20, "?": 40}
    assert len(sub.prompts) == 3  # status, configure, purge: once each, with a line as the example
    assert "This line writes 'purge' there:\n2024-05-08 10:00:07 purge pkg7:amd64 1.7-1" in sub.prompts[2]
    out = printed(capsys)
    assert "classify: column 3 writes the labels; its 3 other values asked about once each (status -> ?, " in out
    assert "purge -> remove)" in out and "classify: 80 items (3 sub-calls, 80 read from the text)" in out
    # "other" takes what is none of the labels; a synonym is the label it means.
    sub.prompts.clear()
    sub.answer = lambda prompt, choices: "error" if "'fatal'" in prompt else "none of these"
    levels = ["INFO", "WARNING", "ERROR", "DEBUG", "FATAL"]
    logged = [f"12:00:{i:02} [{levels[i % 5]}] worker-{i % 3} step {i}" for i in range(50)]
    labelled = h.classify(logged, "error, warning, other", show=False)
    assert labelled.counts() == {"error": 20, "warning": 10, "other": 20} and len(sub.prompts) == 3
    # One label written in a column is no field (a journal's one "Error:" among "Started"
    # lines); nor is free text, whose first words vary: each item is asked about.
    sub.prompts.clear()
    sub.answer = lambda prompt, choices: "praise"
    openings = "I We It This My Our The Honestly Sadly Wow Well So Praise Complaint Lovely Awful".split()
    reviews = [f"{w} kettle number {i} was {'fine' if i % 2 else 'bad'}" for i, w in enumerate(openings * 4)]
    h.classify(reviews, "praise, complaint", show=False)
    assert len(sub.prompts) == len(reviews)
    sub.prompts.clear()
    sub.answer = lambda prompt, choices: "info"
    journal = [f"Dec 01 10:00:{i:02} host systemd[1]: {'Started' if i % 3 else 'Failed'} unit{i}." for i in range(40)]
    h.classify([*journal, "Dec 01 10:01:00 host kernel: Error: disk full"], "error, warning, info", show=False)
    assert len(sub.prompts) == 41


def test_classify_needs_labels(sub: SubModel) -> None:
    with pytest.raises(ValueError, match="classify needs the labels"):
        h.classify(["a"], " , ")


# -- in real workers ------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:.*isolation='inprocess'")
@pytest.mark.parametrize("isolation", ["auto", "inprocess"])
def test_helpers_run_in_a_real_worker(isolation: str, tmp_path: Path) -> None:
    """The module's source, run as setup code, makes every helper work inside the sandbox."""
    from recursor.sandbox.inprocess import InProcessRepl
    from recursor.sandbox.process import ProcessRepl

    asked: list[dict[str, Any]] = []

    async def handler(fn: str, args: dict[str, Any]) -> Any:
        asked.append(args)
        assert fn == "llm_query_batched"
        return ["complaint" if "broke" in p else "praise" for p in args["prompts"]]

    context = ACCESS + "product: kettle | text: it broke\nproduct: toaster | text: lovely\n"
    cells = [
        'grep("10.0.0.9")',
        'print(count_by(lines(status=500), "ip", show=False), record(lines()[1])["bytes"])',
        'print(top(sum_by(lines("ip="), "ip", "bytes", show=False), 1))',
        'print(in_dates(["2024-03-05 a", "2024-04-01 b"], "March 2024"), to_date("5 Mar 2024"))',
        'labels = classify(lines("product"), "complaint, praise", field="text")\n'
        'print(labels.pick("complaint"))',
    ]

    async def go() -> list[str]:
        prepared = store_context(context, tmp_path)
        repl_cls = InProcessRepl if isolation == "inprocess" else ProcessRepl
        repl = repl_cls(prepared, handler, SandboxOptions(isolation=isolation))  # type: ignore[arg-type]
        try:
            await repl.start()
            setup = await repl.run(SOURCE)
            assert setup.error is None and setup.stdout == "", setup
            outs = []
            for cell in cells:
                result = await repl.run(cell)
                assert result.error is None and not result.notes, (cell, result)
                outs.append(result.stdout)
            return outs
        finally:
            await repl.close()

    grep_out, counts, top_out, dates, classified = asyncio.run(go())
    assert "1 line matches:\n1| ip=>>10.0.0.9<< method=GET" in grep_out
    assert counts == "Counter({'10.0.0.7': 2}) 1,024\n"
    assert top_out == "1. 10.0.0.3: 1024\n[('10.0.0.3', 1024)]\n"
    assert dates == "['2024-03-05 a'] 2024-03-05\n"
    assert classified.startswith("classify: 2 items (2 sub-calls)\ncomplaint: 1\npraise: 1\n")
    assert classified.rstrip().endswith("['product: kettle | text: it broke']")
    assert asked == [{"prompts": ["Give the item exactly one label.\n\nit broke",
                                  "Give the item exactly one label.\n\nlovely"],
                      "model": None, "choices": ["complaint", "praise"], "schema": None}]


def test_options_are_keywords_so_a_stray_argument_is_a_clear_error() -> None:
    """A small model wrote count_by(rows, "date", "install"): that must fail with a message
    that names the mistake, not deep inside the helper with a slicing error."""
    with pytest.raises(TypeError, match="positional argument"):
        h.count_by(["a"], None, "install")  # type: ignore[misc]
    with pytest.raises(TypeError, match="positional argument"):
        h.grep("x", "text", 10)  # type: ignore[misc]


def test_a_document_without_line_breaks_is_read_as_sentences() -> None:
    """A one-line megabyte (an extracted PDF, a haystack) would make every match the whole
    document; past 2,000 characters a line is split into its sentences."""
    text = "The grass is green. " * 5000 + "The code for silver-fox is 123. " + "The sky is blue. " * 5000
    assert h.lines(r"\bsilver-fox\b", text) == ["The code for silver-fox is 123."]
    assert h.lines("x", "a short line with x\nanother") == ["a short line with x"]


def test_a_name_written_as_a_word_reads_the_word_after_it() -> None:
    # Logs write what they record as "label value": status installed, port 5433, upgrade pkg.
    assert h.record("2025-06-24 10:00:01 status installed xxd:amd64 1.0")["status"] == "installed"
    assert h.record("10:00 upgrade libc6:amd64 2.36-8 2.36-9")["Upgrade"] == "libc6:amd64"
    assert h.record("db port 5433, host db1")["port"] == "5433"
    assert h.record("user=ann status=ok")["status"] == "ok"  # a written field wins
    assert h.record("nothing here")["status"] is None
    assert h.record("the status-page is up")["status"] is None  # part of another word
    counts = h.count_by(["a status installed x", "b status unpacked y", "c status installed z"],
                              "status", show=False)
    assert counts == {"installed": 2, "unpacked": 1}


def test_headings_reads_the_outline_top_level_first() -> None:
    news = ("Frob 1.1 (July 4, 2018)\n=======================\n\nFixes\n-----\n\nA fix.\n\n"
            "Frob 1.0 (February 1, 2017)\n===========================\n\nUI\n---\n\nA change.\n")
    assert h.headings(text=news) == ["Frob 1.1 (July 4, 2018)", "Frob 1.0 (February 1, 2017)"]
    assert h.headings(level=2, text=news) == ["Fixes", "UI"]
    assert h.headings("2017", text=news) == ["Frob 1.0 (February 1, 2017)"]
    assert h.headings(text="no headings here\njust lines\n") == []
    assert h.headings("UI", text=news) == ["UI"]  # a pattern searches every level
    assert h.headings(level="2", text=news) == ["Fixes", "UI"]  # a level written as text
    assert h.headings(level="top", text=news) == []  # no number: said so, nothing lost
    crlf = "Frob 1.1\r\n========\r\n\r\nA fix.\r\nMore.\r\n\r\nFrob 1.0\r\n========\r\n\r\nFirst.\r\n"
    assert [crlf[a:b] for a, b in h.section_below(crlf, crlf.index("1.1"))] == ["A fix.", "More."]  # no "\r"


def test_below_a_lone_title_the_headings_are_the_level_under_it() -> None:
    # requests' HISTORY.md: "Release History" over its releases; a title alone outlines nothing.
    history = ("Release History\n===============\n\n2.9.1 (2015-12-21)\n------------------\n\n- A fix.\n\n"
               "2.9.0 (2015-12-15)\n------------------\n\n- A change.\n")
    assert h.headings(text=history) == ["2.9.1 (2015-12-21)", "2.9.0 (2015-12-15)"]
    assert h.headings(level=1, text=history) == ["Release History"]  # a level named is that level
    assert len(h.in_dates(h.headings(text=history), "2015-12-16", "2015-12-31")) == 1
    # A title over one section, or two titles: the top level, as before.
    one = "Title\n=====\n\nPart\n----\n\ntext\n"
    assert h.headings(text=one) == ["Title"]
    two = "A\n=\n\nx\n-\n\ny\n-\n\nB\n=\n\nz\n"
    assert h.headings(text=two.replace("=\n", "===\n").replace("-\n", "---\n")) == ["A", "B"]


def test_a_heading_is_dated_by_a_date_alone_on_the_line_under_it() -> None:
    # psutil's HISTORY.rst: "7.2.2", underlined, then the release's date on a line of its own.
    history = "".join(f"5.{n}.0\n=====\n\n2019-0{n}-1{n}\n\n**Bug fixes**\n\n- {n}00_: a fix in 2017-01-01.\n\n"
                      for n in range(6, 0, -1))
    heads = h.headings(text=history)
    assert heads == [f"5.{n}.0" for n in range(6, 0, -1)]
    assert [h.to_date(x) for x in heads] == [date(2019, n, 10 + n) for n in range(6, 0, -1)]
    assert len(h.in_dates(heads, "2019-03-01", "2019-12-31")) == 4
    # Decorated or said: still the date alone; a sentence that mentions one is not.
    assert h.dated_below("1.0\n---\n*Released: November 6, 2016*\n", 3) == date(2016, 11, 6)
    assert h.dated_below("1.0\n---\n\n(2016-11-06)\n", 3) == date(2016, 11, 6)
    assert h.dated_below("1.0\n---\nThe fix of 2016-11-06 was reverted.\n", 3) is None
    assert h.dated_below("1.0\n---\nFixes\n", 3) is None
    # A title over a first section headed by a date is not dated by it (review).
    notes = "Release notes\n=============\n\n2024-01-05\n----------\n\nA fix.\n"
    assert [h.to_date(x) for x in h.headings(text=notes)] == [None]
    # A heading that writes its own date keeps it.
    own = h.headings(text="Frob 1.1 (July 4, 2018)\n=================\n\n2020-01-01\n\nA fix.\n\n"
                          "Frob 1.0 (June 1, 2017)\n=================\n\nA change.\n")
    assert [h.to_date(x) for x in own] == [date(2018, 7, 4), date(2017, 6, 1)]


def test_release_lines_alone_between_blank_lines_head_a_changelog() -> None:
    # Nothing marks these releases but their shape: a short line alone, writing a version.
    log = "".join(f"CHANGES FROM 1.{n} TO 1.{n + 1}, 1{n} March 201{n}\n\nNormal Changes\n==============\n\n"
                  f"* A fix ({n}).\n  more of it.\n\n* Another.\n\n" for n in range(4, 0, -1))
    assert h.headings(text=log) == [f"CHANGES FROM 1.{n} TO 1.{n + 1}, 1{n} March 201{n}" for n in range(4, 0, -1)]
    assert h.headings(level=2, text=log) == ["Normal Changes"] * 4  # the marked ones go one level down
    # A line ending in ":" introduces; a version in a paragraph's first line is prose.
    libuv = "".join(f"2019.0{n}.01, Version 1.{n}.0 (Stable)\n\nChanges since version 1.{n - 1}.0:\n\n"
                    f"* unix: a fix (Ann Lee)\n\n* win: b fix (Bo Chan)\n\nVersion 1.{n} was\nfine.\n\n"
                    for n in range(5, 1, -1))
    assert h.headings(text=libuv) == [f"2019.0{n}.01, Version 1.{n}.0 (Stable)" for n in range(5, 1, -1)]
    # A release's section is shown by its first few changes, a Markdown section by more.
    many = "".join(f"Frob 1.{n}\n\n" + "".join(f"* change {k}\n" for k in range(20)) + "\n" for n in range(3))
    assert len(h.section_below(many, many.index("Frob 1.1"))) == 6
    notes = "Notes\n=====\n\n" + "".join(f"line {k}\n" for k in range(20))
    assert len(h.section_below(notes, 0)) == 14
    # Versions listed under one heading of a README, or far down a text, or written as sentences, are no releases.
    readme = ("# Frob\n\nx\n\n## Changelog\n\n1.2 Fix a crash\n\n1.1 Add the --fast option\n\n1.0 First release\n\n"
              "## Installation\n\ny\n\n## License\n\nMIT.\n")
    assert h.headings(text=readme) == ["## Changelog", "## Installation", "## License"]  # below its lone title
    late = "".join(f"Para {k} says a thing\nand more.\n\n" for k in range(40)) + "".join(f"Frob 1.{n}\n\nA fix.\n\n" for n in range(4))
    assert h.headings(text=late) == []
    said = "".join(f"GDB now uses readline 2.{n}.\n\nMore of it\nhere.\n\n" for n in range(5))
    assert h.headings(text=said) == []
    rfc = "1.  Intro\n\nText.\n\n2.  Parts\n\n2.1.  Part 1\n\n" + "".join(f"line {k}\n" for k in range(20)) + "\n2.2.  Part 2\n\nx\n"
    assert len(h.section_below(rfc, rfc.index("2.1.  Part 1"))) == 14  # a numbered section is no release
    # Two such lines, or lines that are most of the text (a list of versions), head nothing.
    assert h.headings(text="Frob 1.1\n\nA fix.\n\nFrob 1.0\n\nFirst.\n") == []
    assert h.headings(text="".join(f"pkg 1.{n}\n\n" for n in range(9))) == []
    # A text whose marked headings write versions keeps them as they are.
    marked = "".join(f"Frob 1.{n}\n========\n\nv1.{n}.1\n\n* fix\n\n" for n in range(4))
    assert h.headings(text=marked) == [f"Frob 1.{n}" for n in range(4)]


def test_a_line_set_counts_lines_holding_a_text_no_line_is(capsys: pytest.CaptureFixture[str]) -> None:
    rows = h.Rows(["a SKIPPED (Requires Windows)", "b SKIPPED (Requires Windows)", "c PASSED", "c PASSED"])
    assert rows.count("c PASSED") == 2 and capsys.readouterr().out == ""  # a list's count, where a line is it
    assert rows.count("SKIPPED (Requires Windows)") == 2
    assert "no line is just 'SKIPPED (Requires Windows)'; 2 lines hold it" in capsys.readouterr().out
    assert rows.count("FAILED") == 0 and rows.count(3) == 0 and rows.count("") == 0
    # A line that is just the text keeps a list's count; what holds a text is said once.
    assert h.Rows(["ERROR", "x ERROR y", "z ERROR"]).count("ERROR") == 1
    assert rows.count("SKIPPED (Requires Windows)") == 2 and capsys.readouterr().out == ""


def test_blocks_are_the_records_that_span_lines() -> None:
    text = ("Start-Date: 2024-01-01  10:00:00\nInstall: foo:amd64 (1.0), tcl8.6:amd64 (8.6)\n"
            "End-Date: 2024-01-01  10:00:05\n\n  \nStart-Date: 2024-02-01  09:00:00\n"
            "Upgrade: bar:amd64 (1, 2)\n\n")
    found = h.blocks("tcl8.6", text)
    assert found == ["Start-Date: 2024-01-01  10:00:00\nInstall: foo:amd64 (1.0), tcl8.6:amd64 (8.6)\n"
                     "End-Date: 2024-01-01  10:00:05"]
    assert h.record(found[0].split("\n")[0])["Start-Date"] == "2024-01-01  10:00:00"
    assert len(h.blocks(text=text)) == 2 and h.blocks("nothing", text) == []
    shown = repr(h.blocks(text=text))
    assert shown.startswith("2 blocks\n[1]\n   Start-Date: 2024-01-01") and "[2]" in shown


def test_a_field_test_written_as_the_pattern_is_read_as_one() -> None:
    h.context = "The project codename for grey-owl is Juniper.\nuser=ann status=500\nuser=bob status=200\n"
    assert h.lines("user=ann") == ["user=ann status=500"]
    assert h.lines("codename=grey-owl") == ["The project codename for grey-owl is Juniper."]
    assert h.lines("user=nobody") == []
    # Prose is not a label: "codename for X" gives no field, "status 500" does.
    assert h.record("The project codename for grey-owl is Juniper.")["codename"] is None
    assert h.record("GET /api status 500")["status"] == "500"


CHANGELOG = """\
# File: doc/atk/changelog
at-spi2-core (2.32.1-4) unstable; urgency=medium

  * Make xvfb-run allocate a server number.
  * Do not warn when get_items does not get a reply.

 -- Samuel Thibault <sthibault@debian.org>  Sun, 25 Aug 2019 23:22:44 +0200

at-spi2-core (2.32.1-3) unstable; urgency=medium

  * Older fix.

 -- Jeremy Bicha <jbicha@debian.org>  Mon, 01 Jul 2019 10:00:00 +0200
# File: var/log/apt/history.log

Start-Date: 2025-06-24  14:37:36
Commandline: apt-get install foo
Install: tcl8.6:amd64 (8.6.13+dfsg-2, automatic), foo:amd64 (1.0)
End-Date: 2025-06-24  14:40:00

Start-Date: 2026-05-09  07:29:02
Upgrade: bar:amd64 (1, 2)
End-Date: 2026-05-09  07:30:00
"""


def _rows(doc: str, spans: list[tuple[int, int]]) -> list[str]:
    return [doc[a:b] for a, b in spans]


def test_a_record_is_an_unindented_line_with_its_indented_body_or_a_run_between_blanks() -> None:
    doc = CHANGELOG
    # An indented line belongs to the unindented line above it, down to the body's end.
    entry = _rows(doc, h.enclosing(doc, doc.index("Older fix")))
    assert entry == ["at-spi2-core (2.32.1-3) unstable; urgency=medium", "  * Older fix.",
                     " -- Jeremy Bicha <jbicha@debian.org>  Mon, 01 Jul 2019 10:00:00 +0200"]
    # The header itself has the same record; so has the signature.
    header = doc.index("(2.32.1-4)")
    assert _rows(doc, h.enclosing(doc, header))[-1].startswith(" -- Samuel Thibault")
    assert h.enclosing(doc, doc.index("Samuel")) == h.enclosing(doc, header)
    # Unindented lines between blank lines: a log's multi-line entry.
    run = _rows(doc, h.enclosing(doc, doc.index("tcl8.6")))
    assert run[0] == "Start-Date: 2025-06-24  14:37:36" and run[-1] == "End-Date: 2025-06-24  14:40:00"
    assert len(run) == 4


def test_lines_that_are_each_a_record_have_no_record_around_them() -> None:
    log = LOG * 3  # one entry a line, no blank lines: the run is the whole text
    assert h.enclosing(log, log.index("vim")) == []
    # Nor does a run longer than a record is, nor a line alone between blanks.
    many = "\n".join(f"k{i} = {i}" for i in range(100)) + "\n\nnext\n"
    assert h.enclosing(many, many.index("k50")) == []
    assert h.enclosing("a\n\nalone\n\nb\n", 4) == []
    # A record stops at the bounds given (one file of several joined into a text).
    two = "x = 1\ny = 2\n\nz = 3\nw = 4\n"
    assert _rows(two, h.enclosing(two, two.index("z"))) == ["z = 3", "w = 4"]
    assert h.enclosing(two, two.index("z"), lo=two.index("z"), hi=two.index("w")) == []


def test_a_hit_under_one_field_of_an_entry_has_the_whole_entry_as_its_record() -> None:
    # A rendered manual indents everything: an option, then its labelled fields.
    page = "".join(f"   zb.{name}\n       Type: integer\n\n       Default: {n}\n\n       Description:\n"
                   f"           How many {name} are tried before\n           giving up.\n\n\n"
                   for name, n in (("retries", 4), ("redirects", 9)))
    rows = _rows(page, h.enclosing(page, page.index("redirects are tried")))
    assert rows[0] == "   zb.redirects" and "       Default: 9" in rows and "       Default: 4" not in rows
    # One level up and no more: under "Beta:" (itself a label under "SERVERS"), Beta's entry.
    servers = ("   SERVERS\n      Alpha:\n         Port: 8080\n         Notes:\n            main host\n"
               "      Beta:\n         Port: 9090\n         Notes:\n            backup host\n\n   CLIENTS\n      Gamma:\n")
    rows = _rows(servers, h.enclosing(servers, servers.index("backup")))
    assert rows[0] == "      Beta:" and "         Port: 8080" not in rows
    # A head that labels nothing keeps its own block: a nested list stays the list.
    nested = "   Options:\n      alpha\n          first\n      beta\n          second\n"
    assert _rows(nested, h.enclosing(nested, nested.index("second"))) == ["      beta", "          second"]


def test_grep_shows_a_hits_file_and_the_record_around_it(capsys: pytest.CaptureFixture[str]) -> None:
    h.context = CHANGELOG
    h.grep("tcl8.6")
    out = capsys.readouterr().out
    assert "1| [var/log/apt/history.log] Install: >>tcl8.6<<:amd64" in out
    # The date the question asks for is on another line of the hit's record.
    assert "   . Start-Date: 2025-06-24  14:37:36" in out
    assert "2026-05-09" not in out  # the next record is not shown
    h.grep("2.32.1-4")
    out = capsys.readouterr().out
    assert "[doc/atk/changelog] at-spi2-core (>>2.32.1-4<<)" in out
    assert ". -- Samuel Thibault" in out.replace("   .  --", ". --")
    # A record never runs into the next file: the first log entry starts after the header.
    h.grep("apt-get install foo")
    out = capsys.readouterr().out
    assert "# File" not in out.split("its record:")[1] and "Jeremy" not in out
    # A dict context names the entry's key.
    h.context = {"a.log": LOG, "b.log": "x\nneedle here\n"}
    h.grep("needle")
    assert "1| [b.log] >>needle<< here" in capsys.readouterr().out


def test_a_hits_record_is_evidence(capsys: pytest.CaptureFixture[str]) -> None:
    cited: list[tuple[Any, ...]] = []
    h.context = CHANGELOG
    saved = h._cite
    h._cite = lambda *a: cited.append(a)
    try:
        h.grep("tcl8.6")
    finally:
        h._cite = saved
    read = [CHANGELOG[s:e] for s, e in cited]
    assert "Start-Date: 2025-06-24  14:37:36" in read and any("tcl8.6" in r for r in read)


def test_classify_labels_an_item_without_the_field_whole(sub: SubModel,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    # A field copied from an example that these lines lack: each line is labelled whole,
    # not every line as the same empty text.
    sub.answer = lambda prompt, choices: "place" if "Where" in prompt else "person"
    rows = ["Date: Aug 1 || Instance: Where is Perth ?", "Date: Aug 2 || Instance: Who wrote Emma ?"]
    labels = h.classify(rows, "place, person", field="text")
    assert list(labels) == ["place", "person"] and len(sub.prompts) == 2
    assert "no item has a field 'text'" in capsys.readouterr().out


def test_lines_of_a_context_of_files_know_their_file(capsys: pytest.CaptureFixture[str]) -> None:
    h.context = ("# File: src/a.py\nclass A:\n    pass\ndef f():\n    pass\n"
                 "# File: src/b.py\nclass B:\n    pass\nclass C:\n    pass\n")
    classes = h.lines(r"^class ")
    assert classes == ["class A:", "class B:", "class C:"]
    assert [r.file for r in classes] == ["src/a.py", "src/b.py", "src/b.py"]  # type: ignore[attr-defined]
    # Grouped by file, and one file's lines by a part of its name.
    assert h.count_by(classes, "file", show=False) == {"src/b.py": 2, "src/a.py": 1}
    assert h.lines(r"^(class|def) ", file="A.PY") == ["class A:", "def f():"]
    assert h.record(classes[0])["file"] == "src/a.py"
    # A name no file has says which files there are, and finds nothing.
    assert h.lines(file="c.py") == []
    assert "No file's name holds 'c.py'. Files: src/a.py, src/b.py" in capsys.readouterr().out
    # A dict of files: the keys are the names.
    h.context = {"x.log": "ERROR one\nok", "y.log": "ERROR two\nERROR three"}
    assert h.count_by(h.lines("ERROR"), "file", show=False) == {"y.log": 2, "x.log": 1}
    assert h.lines("ERROR", file="x.log") == ["x.log: ERROR one"]


def test_file_is_a_plain_field_in_a_text_of_one_file() -> None:
    h.context = "file=app.py line=3 error\nfile=db.py line=9 error\nfile=app.py line=7 warn\n"
    assert h.lines(file="app.py") == ["file=app.py line=3 error", "file=app.py line=7 warn"]
    assert h.count_by(h.lines("error"), "file", show=False) == {"app.py": 1, "db.py": 1}
    # A line that writes a field "file" is read by it, whatever file it is in.
    h.context = {"a.log": "file=x.py failed", "b.log": "other"}
    assert h.record(h.lines("failed")[0])["file"] == "x.py"


def test_a_text_of_one_file_under_a_header_is_that_file(capsys: pytest.CaptureFixture[str]) -> None:
    """A 1.5B wrote `lines(r"\binstalled\b", file="dpkg.log")` over a context of one file headed
    "# File: /var/log/dpkg.log": the name was read as a field, then as text the installed lines
    lack, and 0 lines became its answer's subtrahend."""
    h.context = ("# File: /var/log/dpkg.log (lines 5-9)\n2025-06-24 10:00:01 status installed a:amd64 1\n"
                 "2025-06-24 10:00:02 status unpacked b:amd64 2\n2025-06-24 10:00:03 status installed c:all 3\n")
    assert len(h.lines(r"\binstalled\b", file="dpkg.log")) == 2
    assert len(h.lines(file="/var/log/DPKG.LOG")) == 4  # the header line is one of its lines
    capsys.readouterr()
    assert h.lines("installed", file="syslog") == []
    assert "No file's name holds 'syslog': the context is one file, /var/log/dpkg.log" in capsys.readouterr().out
    # No header line: `file=` is a field, or text, as before.
    h.context = "2025-06-24 installed x from dpkg.log\n2025-06-24 installed y\n"
    assert h.lines("installed", file="dpkg.log") == ["2025-06-24 installed x from dpkg.log"]
    # A header line and a field `file` (a hostile review's cases): the field, as before;
    # `PATH=` is no header; a list's first item names no file.
    h.context = "# File: /var/log/build.log\nfile=app.py line=3 error\nfile=db.py line=9 error\n"
    assert h.lines(file="app.py") == ["file=app.py line=3 error"]
    h.context = "PATH=/usr/bin:/bin\nHOME=/root\nfile=x.conf loaded\n"
    assert h.lines(file="x.conf") == ["file=x.conf loaded"]
    h.context = ["PATH=/usr/bin", "file=b.txt failed", "file=c.txt ok"]
    assert h.lines(file="b.txt") == ["file=b.txt failed"]


def test_entries_take_fields_as_lines_do() -> None:
    """`entries(rows, field="Commandline")` raised a TypeError the 1.5B reran until its errors
    ran out; fields are read as `lines` reads them (a name no entry has: its value as text)."""
    h.context = ("Start-Date: 2025-06-24  14:36:25\nCommandline: apt-get -qqy upgrade\nUpgrade: a:amd64 (1, 2)\n\n"
                 "Start-Date: 2025-06-24  14:37:36\nCommandline: apt-get install -y x\nInstall: x:amd64 (1)\n\n"
                 "Start-Date: 2025-06-25  10:00:00\nRemove: q:amd64 (1)\n")
    assert len(h.entries(h.lines("Start-Date"), field="Commandline")) == 2
    found = h.entries(Commandline="apt-get install -y x")
    assert len(found) == 1 and "Install: x:amd64" in found[0]
    assert h.entries("Start-Date", Commandline="apt-get purge") == []


def test_a_field_no_row_has_that_leaves_nothing_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    """`entries(file=..., field='text', count=10, skip=10, ...)`: the 1.5B added a made-up
    keyword each turn for 30 turns, each answered "0 entries" and nothing else."""
    h.context = "# File: a.py\nimport os\n\ndef f():\n    return 1\n"
    assert h.entries(file="a.py", count=10) == []
    assert "No entry has a field 'count', and none writes '10': none is left." in capsys.readouterr().out
    assert h.lines("def", size=3) == []
    assert "No line has a field 'size', and none writes '3'" in capsys.readouterr().out
    # A value written as text keeps its rows, and says nothing.
    assert h.lines(kind="return") == ["    return 1"] and "No line" not in capsys.readouterr().out
    # A date field every line has, matching no day, is no field that is missing.
    h.context = "date=2024-03-01 user=ann\ndate=2024-03-02 user=bob\n"
    assert h.lines(date="2025-01-01") == [] and "has a field" not in capsys.readouterr().out


def test_counting_by_a_field_no_item_has_names_the_fields_there_are(
        capsys: pytest.CaptureFixture[str]) -> None:
    rows = ["Date: Aug 1 || User: 7 || Instance: Where is Perth ?", "Date: Aug 2 || User: 8 || Instance: Who ?"]
    assert h.count_by(rows, "label") == {}
    out = capsys.readouterr().out
    assert "No item has a field 'label'. Their fields: Date, User, Instance." in out
    h.context = "# File: a.py\nclass A(Base):\n# File: b.py\nclass B(Base):\n"
    h.count_by(h.lines("^class"), "module")
    assert "No item has a field 'module'. Key \"file\" gives each line's file." in capsys.readouterr().out
    assert h.group_by(rows, "topic") == {} and "No item has a field 'topic'" in capsys.readouterr().out
    # A field some items have is no such case; nor is a regex or a function.
    h.count_by([*rows, "User: 9"], "User")
    h.count_by(rows, r"Topic: (\w+)")
    assert "No item has" not in capsys.readouterr().out


def test_counting_lines_of_columns_by_a_name_they_do_not_write_shows_their_columns(
        capsys: pytest.CaptureFixture[str]) -> None:
    log = ["2024-05-20 16:27:19 upgrade libc6:amd64 2.36-9 2.36-10",
           "2024-05-20 16:27:19 status unpacked libc6:amd64 2.36-10",
           "2024-05-20 16:27:20 status installed libc6:amd64 2.36-10",
           "2024-05-20 16:27:21 upgrade zlib1g:amd64 1.2 1.3",
           "2024-05-20 16:27:22 configure zlib1g:amd64 1.3 <none>"]
    assert h.count_by(log, "package") == {}
    out = capsys.readouterr().out
    assert "No item has a field 'package'. The lines are columns; by column:" in out
    assert "count_by(items, 2) counts column 2: upgrade 2, status 2, configure 1" in out
    assert "column 0" not in out and "column 1" not in out  # one date; a time per line
    assert h.count_by(log, 2, show=False)["upgrade"] == 2  # the column it names counts so
    h.count_by(["one", "two", "three"], "package")  # not columns: no column to show
    assert "by column" not in capsys.readouterr().out


def test_counts_where_nearly_every_value_is_held_once_say_they_rank_nothing(
        capsys: pytest.CaptureFixture[str]) -> None:
    files = {"a.py": "".join(f"class A{i}(Base):\n    pass\n" for i in range(6)),
             "b.py": "class B(Base):\n    pass\nclass C:\n    pass\n",
             "c.py": "".join(f"class C{i}:\n    pass\n" for i in range(3))}
    h.context = "".join(f"# File: {name}\n{body}" for name, body in files.items())
    h.count_by(h.lines(), "class")
    out = capsys.readouterr().out
    assert "Nearly every value is held by one item: these counts rank nothing." in out
    assert "The 11 items with a value, per file: a.py 6, c.py 3, b.py 2" in out
    h.count_by(["x=1", "x=1", "x=2"] * 4, "x")  # values that repeat rank something
    assert "rank nothing" not in capsys.readouterr().out


def test_words_no_line_holds_as_written_find_the_lines_holding_all_of_them(
        capsys: pytest.CaptureFixture[str]) -> None:
    h.context = LOG
    # "2024-03-01 upgrade": the time stands between them; "upgrade" is a whole word.
    assert h.lines("2024-03-01 upgrade") == ["2024-03-01 10:02:11 upgrade libc6:amd64 2.36-8 2.36-9"]
    assert "no line holds '2024-03-01 upgrade' as written; 1 hold all its words" in capsys.readouterr().out
    assert h.lines("installed 2024-03-01") == ["2024-03-01 10:02:12 status installed libc6:amd64 2.36-9"]
    capsys.readouterr()
    # Written as is, or a regex: matched as such, nothing more.
    assert len(h.lines("10:02:11 upgrade")) == 1 and h.lines(r"2024-03-01 \bupgrade") == []
    assert h.lines("2024-03-01 install") == [] and capsys.readouterr().out == ""


def test_rows_combine_as_sets_of_lines_in_order() -> None:
    h.context = LOG
    dated, upgrades = h.lines("2024-03"), h.lines(r"\bupgrade\b")
    both = dated & upgrades
    assert both == [LOG.splitlines()[0], LOG.splitlines()[3]] and isinstance(both, h.Rows)
    assert dated - upgrades == [LOG.splitlines()[1], LOG.splitlines()[2]]
    assert (upgrades | dated)[:2] == [LOG.splitlines()[0], LOG.splitlines()[3]] and len(upgrades | dated) == 4
    # count_by takes the field as `field=` too, as classify names it.
    assert h.count_by(h.lines(), field=2, show=False)["upgrade"] == 2
    # grep's hits combine the same way.
    hits = h.grep("2024-03", show=False) & h.grep(r"\bupgrade\b", show=False)
    assert hits == both and isinstance(hits, h.Rows)


def test_lines_reads_a_file_name_given_first_as_the_file(capsys: pytest.CaptureFixture[str]) -> None:
    # Small models write the file first: lines("a/b.py", "def ") or lines("a/b.py") alone.
    h.context = ("# File: pkg/a.py\nclass A:\n    pass\ndef f():\n    pass\n"
                 "# File: pkg/b.py\nimport a\ndef g():\n    pass\ndef h():\n    pass\n")
    assert h.lines("pkg/b.py", r"^def ") == ["def g():", "def h():"]
    assert "'pkg/b.py' is a file; read as lines('^def ', file='pkg/b.py')" in capsys.readouterr().out
    assert h.lines("b.py") == ["# File: pkg/b.py", "import a", "def g():", "    pass", "def h():", "    pass"]
    assert "these are its lines, as lines(file='pkg/b.py')" in capsys.readouterr().out
    # A name the text writes outside its header line is searched as text, as before.
    h.context = "# File: pkg/a.py\nimport b\nsee pkg/b.py\n# File: pkg/b.py\nx = 1\n"
    assert h.lines("pkg/b.py") == ["see pkg/b.py", "# File: pkg/b.py"]
    assert "is a file" not in capsys.readouterr().out
    # A dict of files: a key alone is that entry's lines.
    h.context = {"x.log": "ERROR one\nok", "y.log": "ERROR two"}
    assert h.lines("x.log") == ["x.log: ERROR one", "ok"]
    # Not a file's name, or a name two files end with: the arguments are read as written.
    h.context = "# File: a/u.py\nu = 1\n# File: b/u.py\nu = 2\n"
    assert h.lines("u.py") == ["# File: a/u.py", "# File: b/u.py"]
    assert h.lines("u = 1") == ["u = 1"]


DEB_CHANGELOG = """\
foo (1.2-1) unstable; urgency=medium

  * New upstream release.

  [ Ann Lee ]
  * Fix the build.

 -- Bo Chen <bo@example.org>  Mon, 02 Jan 2023 10:00:00 +0000

foo (1.1-1) unstable; urgency=low

  * Initial release.

 -- Ann Lee <ann@example.org>  Sun, 01 May 2022 09:00:00 +0000

# Older entries have been removed from this changelog.
# To read the complete changelog use `apt changelog foo`.
"""

RUNS = """\
Start-Date: 2025-06-24  14:36:25
Commandline: apt-get install foo
Install: foo:amd64 (1.0), bar:amd64 (2.0, automatic)
End-Date: 2025-06-24  14:36:30

Start-Date: 2026-05-09  07:28:46
Upgrade: baz:amd64 (1, 2)
End-Date: 2026-05-09  07:28:50
"""


def test_layout_records_cut_a_text_into_its_entries_by_layout() -> None:
    def firsts(text: str) -> list[str]:
        return [text[a:b].split("\n")[0] for a, b in h.layout_records(text)]
    # Headed entries, blank lines and all inside; the closing remark is no entry.
    assert firsts(DEB_CHANGELOG) == ["foo (1.2-1) unstable; urgency=medium", "foo (1.1-1) unstable; urgency=low"]
    a, b = h.layout_records(DEB_CHANGELOG)[0]
    assert DEB_CHANGELOG[a:b].endswith("+0000") and "[ Ann Lee ]" in DEB_CHANGELOG[a:b]
    # Runs of lines between blank lines, when no line is indented under another.
    assert firsts(RUNS) == ["Start-Date: 2025-06-24  14:36:25", "Start-Date: 2026-05-09  07:28:46"]
    # A module: its classes and functions (decorators and comments go with them), not its imports.
    module = "import os\nimport re\n\nX = 1\n\n@cache\ndef f():\n    return 1\n\n\nclass A:\n    def g(self):\n        pass\n"
    assert firsts(module) == ["@cache", "class A:"]
    # A log written a line an entry has none, and one run filling the text is the text.
    assert h.layout_records("a 1\nb 2\nc 3\n") == [] and h.layout_records("one\n\ntwo\n") == []
    # Only text[lo:hi] is read.
    lo = DEB_CHANGELOG.index("foo (1.1-1)")
    assert [DEB_CHANGELOG[x:y].split("\n")[0] for x, y in h.layout_records(DEB_CHANGELOG, lo)] == ["foo (1.1-1) unstable; urgency=low"]


def test_entries_of_a_context_of_files(capsys: pytest.CaptureFixture[str]) -> None:
    h.context = ("# File: doc/foo/changelog.Debian\n" + DEB_CHANGELOG
                 + "# File: log/apt/history.log\n" + RUNS + "# File: log/dpkg.log\na 1\nb 2\n")
    assert len(h.entries()) == 4
    mine = h.entries(file="foo/changelog")
    assert len(mine) == 2 and mine[1].file == "doc/foo/changelog.Debian"  # type: ignore[attr-defined]
    shown = repr(mine)
    assert shown.startswith("2 entries\n[1] [doc/foo/changelog.Debian] foo (1.2-1) unstable")
    assert "    ... -- Ann Lee <ann@example.org>  Sun, 01 May 2022 09:00:00 +0000" in shown
    # By a line they hold; counted by a field of any of their lines.
    assert len(h.entries(r"^Upgrade:")) == 1
    runs = h.entries(file="history")
    assert h.count_by(runs, "Start-Date", show=False) == {"2025-06-24  14:36:25": 1, "2026-05-09  07:28:46": 1}
    assert h.record(runs[0])["Install"].startswith("foo:amd64 (1.0)")
    # A file's name given as the pattern is read as the file, and said so.
    assert len(h.entries("history.log")) == 2
    assert "is a file; these are its entries" in capsys.readouterr().out
    # A name no file has says which files there are, as lines() does.
    assert h.entries(file="nope") == []
    assert "No file's name holds 'nope'. Files: doc/foo/changelog.Debian," in capsys.readouterr().out
    # A text given: its entries, no file.
    assert len(h.entries(text=DEB_CHANGELOG)) == 2


def test_a_fields_list_says_how_many_items_it_holds_where_it_is_shown(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Commas inside brackets are not item separators: "bar (2.0, automatic)" is one item.
    assert h.list_sizes(RUNS, least=2) == "Install: 2 items" and h.list_sizes(RUNS) == ""
    assert h.list_sizes("Closes: #1, #2, #3\nNote: one, that is all") == "Closes: 3 items"
    assert h.list_sizes('Install: "a, b", c, d\nDate: Mon, 05 Mar 2024') == "Install: 3 items"  # quotes
    assert h.list_sizes("  * Fix a, b and c.\nplain, prose, here") == ""  # no Key: field
    assert h.list_sizes("\n".join(f"K{i}: a, b, c" for i in range(9))).count("items") == 3  # the first 3
    runs = h.entries(text=RUNS.replace("(2.0, automatic)", "(2.0, automatic), baz:amd64 (3)"))
    assert "    (Install: 3 items)" in repr(runs)
    assert repr(runs).count("items)") == 1  # an Upgrade of one package says nothing
    # A list cut where grep shows a hit's record says its size.
    many = ", ".join(f"pkg{i}:amd64 (1.{i}, automatic)" for i in range(40))
    h.context = (f"Start-Date: 2024-01-02  10:00:00\nInstall: {many}\nUpgrade: zlib1g:amd64 (1, 2)\n\n"
                 "Start-Date: 2024-02-02  10:00:00\nRemove: foo:amd64 (1)\n")
    h.grep("zlib1g")
    out = capsys.readouterr().out
    assert "   . Install: pkg0:amd64 (1.0, automatic)" in out and " ... (40 items, 40 marked 'automatic')" in out


def test_a_cut_list_says_how_many_items_carry_each_word_of_their_tags(capsys: pytest.CaptureFixture[str]) -> None:
    # Asked how many of a run's packages came in automatically, the 1.5B answered 1 (the one
    # line it found): the list was cut where it was shown, the tags with it.
    mixed = ", ".join(f"lib{i}:amd64 (1.{i}-2{', automatic' if i % 4 else ''})" for i in range(19))
    h.context = (f"Start-Date: 2024-01-02  10:00:00\nInstall: {mixed}\nEnd-Date: 2024-01-02  10:00:09\n\n"
                 "Start-Date: 2024-02-02  10:00:00\nRemove: x (1)\n")
    h.grep("01-02  10:00:00")
    assert "... (19 items, 14 marked 'automatic')" in capsys.readouterr().out
    # Versions, comparisons and numbers in the brackets are no tags; an untagged list has its size only.
    assert h._items_note("Depends: libc6 (>= 2.34), libssl3 (>= 3.0.0), zlib1g (>= 1:1.1.4)") == "3 items"
    assert h._items_note("Upgrade: a:amd64 (1.0, 1.1), b (2.0~rc1, 2.0), c (4, 5)") == "3 items"
    # Two tag words at most, the commonest first, each on two items at least; a list of two is no list to note.
    tagged = "Flags: a (old, slow), b (old), c (new, slow), d (slow)"
    assert h._items_note(tagged) == "4 items, 3 marked 'slow', 2 marked 'old'"
    # A tag is a bracketed part of one word: no prose, no placeholder.
    assert h._items_note("Summary: x (the old one), y (the new one), z (the old one)") == "3 items"
    assert h._items_note("Authors: Ann Lee (Google), Bo Li (Google), Cy (Red Hat)") == "3 items, 2 marked 'google'"
    assert h._items_note("Depends: a (none), b (none), c (1), d") == "4 items"
    # A value padded with spaces is read in linear time (a lazy pattern took 5 s for 40,000).
    assert h._items_note("Install: a" + " " * 200_000 + "b, c, d") == "3 items"
    assert h._items_note("Pair: a (auto), b (auto)") == ""
    assert h._items_note("Install: x (1, auto), y (2)\nInstall: z (3)") == ""  # one line only


def test_several_patterns_find_the_lines_matching_all_else_any(capsys: pytest.CaptureFixture[str]) -> None:
    log = ("2024-06-01 10:00 install dmsetup 1.0\n2024-06-01 10:01 configure dmsetup 1.0\n"
           "2024-06-01 10:02 configure zlib 2.0\n2025-01-02 11:00 configure dmsetup 1.1\n")
    h.context = log
    # Both words: the lines holding both (the 1.5B counted all 7 dmsetup lines otherwise).
    assert h.lines("dmsetup", "configure") == ["2024-06-01 10:01 configure dmsetup 1.0",
                                                "2025-01-02 11:00 configure dmsetup 1.1"]
    assert "lines: 2 lines match all of 'dmsetup', 'configure'." in capsys.readouterr().out
    # Patterns no line matches together: none (a count of their union would answer another
    # question), with how many lines match each and how to ask for any of them.
    assert h.lines("2024", "2025", "zlib") == []
    out = capsys.readouterr().out
    assert "lines: no line matches all of '2024', '2025', 'zlib' (lines matching each: '2024' 3, '2025' 1, 'zlib' 1)." in out
    assert "For lines matching any: lines('(2024)|(2025)|(zlib)')." in out
    assert len(h.lines("(2024)|(2025)|(zlib)")) == 4
    # A text of several lines where a text goes is still the text to search.
    assert h.lines("zlib", "a zlib line\nanother") == ["a zlib line"]
    # In a context of files, file= still filters, and a file named first is the file.
    h.context = "# File: var/dpkg.log\n" + log + "# File: other.log\nconfigure dmsetup elsewhere\n"
    assert len(h.lines("dmsetup", "configure", file="dpkg")) == 2
    assert len(h.lines("dmsetup", "configure")) == 3
    assert len(h.lines("other.log", "configure", "dmsetup")) == 1
    assert "lines: 'other.log' is a file; read as lines('configure', 'dmsetup', file='other.log')." in (
        capsys.readouterr().out)


def test_entries_of_given_lines_or_of_several_patterns(capsys: pytest.CaptureFixture[str]) -> None:
    h.context = ("# File: doc/foo/changelog.Debian\n" + DEB_CHANGELOG
                 + "# File: log/apt/history.log\n" + RUNS)
    signed = h.lines(r"\b2022\b")
    mine = h.entries(signed, file="foo/changelog")
    assert len(mine) == 1 and mine[0].startswith("foo (1.1-1)")
    assert "entries: the 1 entry holding any of those" in capsys.readouterr().out
    assert len(h.entries("Start-Date", "Upgrade:")) == 1  # both in one entry, on different lines
    assert h.entries("Install:", "Upgrade:") == []  # none has both


def test_date_parts_are_read_from_the_date_an_item_writes() -> None:
    h.context = ("# File: doc/foo/changelog.Debian\n" + DEB_CHANGELOG)
    assert h.count_by(h.entries(), "year", show=False) == {"2023": 1, "2022": 1}
    assert h.count_by(h.entries(), "Month", show=False) == {"2023-01": 1, "2022-05": 1}
    log = ["2024-03-05 10:00 install a", "2024-03-06 10:00 install b", "2025-01-01 09:00 remove a"]
    assert h.count_by(log, "date", show=False) == {"2024-03-05": 1, "2024-03-06": 1, "2025-01-01": 1}
    assert h.lines(text="\n".join(log), year=2024) == log[:2]
    # A field of that name comes first; an item with no date has no value.
    assert h.record("year=1999 on 2024-03-05")["year"] == "1999"
    assert h.record("no date here")["year"] is None


def test_a_line_of_text_where_a_text_goes_is_searched_not_read_as_a_pattern(
        capsys: pytest.CaptureFixture[str]) -> None:
    h.context = "2024-03-05 error disk full\n2024-03-05 ok\n2024-03-06 error net\n"
    assert h.lines("disk", "2024-03-06 error net") == []  # that line holds no "disk"
    assert h.lines("net", "2024-03-06 error net") == ["2024-03-06 error net"]
    assert h.lines("disk", "a line not in the context but long, with many words") == []
    assert capsys.readouterr().out == ""


def test_a_second_argument_naming_a_file_is_read_as_the_file_and_said_so(
        capsys: pytest.CaptureFixture[str]) -> None:
    h.context = {"a/test.py": "def g():\n    pass\n", "lib/notes.txt": "def test helper\n"}
    assert h.lines("def", "test.py") == ["a/test.py: def g():"]
    assert "lines: 'test.py' is a file; read as file='a/test.py'." in capsys.readouterr().out


def test_lines_and_entries_matched_by_several_patterns_are_evidence() -> None:
    cited: list[tuple[Any, ...]] = []
    h.context = "# File: doc/foo/changelog.Debian\n" + DEB_CHANGELOG + "# File: log/apt/history.log\n" + RUNS
    saved = h._cite
    h._cite = lambda *a: cited.append(a)
    try:
        h.lines("Ann", "2022")
        h.entries("Start-Date", "Upgrade:")
    finally:
        h._cite = saved
    read = [h.context[s:e] for s, e in cited]
    assert any("-- Ann Lee <ann@example.org>  Sun, 01 May 2022" in r for r in read)
    assert any("Upgrade: baz:amd64 (1, 2)" in r for r in read)


def test_a_date_part_given_as_a_filter_keeps_the_lines_dated_in_it() -> None:
    h.context = "2024-03-05 10:00 install a\n2024-03-06 error net\nMar 6 10:00:01 host sshd x\n2025-01-02 y\n"
    assert h.lines(date="2024-03") == ["2024-03-05 10:00 install a", "2024-03-06 error net"]
    assert h.lines(month="2024-03") == h.lines(year=2024) == h.lines(date="2024-03")
    assert h.lines(date="Mar 6") == ["Mar 6 10:00:01 host sshd x"]  # no year: as text, as before
    assert h.lines(year=2026) == []


def test_a_listing_of_entries_sums_their_lists_and_in_dates_keeps_it_a_listing() -> None:
    runs = "\n\n".join(f"Start-Date: 2024-0{m}-01  10:00:00\nInstall: {', '.join(f'p{i} (1, automatic)' for i in range(m))}"
                       f"\nUpgrade: z (1, 2)\nEnd-Date: 2024-0{m}-01  10:00:09" for m in (3, 4, 5))
    found = h.entries(text=runs)
    assert repr(found).startswith("3 entries; their lists in all: Install: 12 items\n")  # Upgrade lists 1 each
    picked = h.in_dates(found, "2024-04", "2024-05")
    assert isinstance(picked, h.Entries) and repr(picked).startswith("2 entries; their lists in all: Install: 9 items\n")
    assert repr(h.in_dates(found, "2024-05")).startswith("1 entry\n")  # one entry: its own line says it
    assert isinstance(h.in_dates(h.lines(text=runs), "2024"), h.Rows)
    assert type(h.in_dates(["2024-01-01 a"], "2024")) is list


def test_a_cut_hit_keeps_its_number_and_its_record(capsys: pytest.CaptureFixture[str]) -> None:
    # The list's size once took the hit's number's name: the hit was shown as "40|", and
    # its record, shown for the first three hits only, was left out.
    many = ", ".join(f"pkg{i}:amd64 (1.{i}, automatic)" for i in range(40))
    h.context = (f"Start-Date: 2024-01-01\nInstall: {many}\nEnd-Date: 2024-01-01\n\n"
                 "Start-Date: 2024-02-02\nRemove: x (1)\n")
    h.grep(r"Install: .*")
    out = capsys.readouterr().out
    assert "\n1| >>Install: pkg0:amd64" in out and "... (40 items, 40 marked 'automatic')\n" in out
    assert "   . Start-Date: 2024-01-01" in out


def test_a_count_by_a_word_the_lines_write_as_a_value_says_how_many_hold_it(capsys: pytest.CaptureFixture[str]) -> None:
    # "How many times was dmsetup configured?": count_by(rows, "configured") on dpkg lines,
    # which write the action "configure" as a column; the 1.5B ran it until max_errors.
    rows = ["2025-06-24 14:37:37 install dmsetup:amd64 <none> 2:1.02",
            "2025-06-24 14:37:37 status unpacked dmsetup:amd64 2:1.02",
            "2025-06-24 14:37:40 configure dmsetup:amd64 2:1.02 <none>",
            "2025-06-24 14:37:40 status half-configured dmsetup:amd64 2:1.02"]
    h.count_by(rows, "configured")
    assert "Column 2 writes 'configured' as 'configure', on 1 of the 4 lines." in capsys.readouterr().out
    h.count_by(rows, "removed")  # written nowhere: nothing said of it
    assert "writes 'removed'" not in capsys.readouterr().out
    h.count_by([r.replace("status", "startup") for r in rows], "started")  # another word, not a form
    assert "writes 'started'" not in capsys.readouterr().out


def test_a_pattern_that_matches_nothing_is_shown_as_the_text_writes_it(capsys: pytest.CaptureFixture[str]) -> None:
    """The 1.5B wrote r"\\blibglib2\\.0\\.data\\b" for "libglib2.0-data", got no lines and
    answered 0. The same letters and digits with other punctuation are named, with the call."""
    h.context = ("2025-06-24 14:42:12 configure libglib2.0-data:all 2.74.6-2 <none>\n"
                 "2025-06-24 14:42:12 status installed libglib2.0-data:all 2.74.6-2\n"
                 "2025-06-24 14:42:13 configure libc6:amd64 2.36-9 <none>\n")
    assert h.lines(r"\blibglib2\.0\.data\b") == []  # the result is still what was asked
    out = capsys.readouterr().out
    assert "2 lines write it 'libglib2.0-data' 2" in out
    assert "lines('libglib2.0-data') gives them" in out
    assert len(h.lines("libglib2.0-data")) == 2
    h.lines("libglib2_0_data")
    assert "'libglib2.0-data'" in capsys.readouterr().out
    # Nothing is said when no line writes it, for short cores, for alternatives, for a text
    # that is not the context, or when the pattern matches.
    for pattern in (r"libglib3\.0", r"c\+\+", "libglib2.0.data|zzz", "libc6:amd64", r"^libglib2\.0\.data$",
                    r"libglib2\.0(?!-data)\.data", "哈" * 14 + "1"):
        h.lines(pattern)
        assert "write it" not in capsys.readouterr().out, pattern
    h.lines(r"libglib2\.0\.data", text=["libglib2.0-data here"])
    assert "write it" not in capsys.readouterr().out
    # Letters of any script are the core, never a separator (a separator that could match one
    # made the search exponential: 7 s for this line, hours for a longer one).
    h.context = "哈" * 60 + "x\nabc 哈哈-哈哈哈1 def\n"
    assert h.lines("哈" * 14 + "1") == []
    assert h.lines("哈哈哈哈哈1") == [] and "'哈哈-哈哈哈1' 1" in capsys.readouterr().out


def test_a_field_with_continuation_lines_in_a_paragraph_of_fields_has_the_paragraph_as_record() -> None:
    """dpkg's status file, Debian control and copyright files: a hit in a `Description:`'s
    continuation lines belongs to its package's paragraph (Package:, Installed-Size:), not
    to that one field."""
    status = ("Package: e2fsprogs\nPriority: required\nInstalled-Size: 1529\nDescription: ext2 utilities\n"
              " This package contains programs for file systems.\n It also scans for bad blocks.\n"
              "Homepage: http://e2fsprogs.sourceforge.net\n\n"
              "Package: bc\nPriority: standard\nInstalled-Size: 233\nDescription: GNU bc\n"
              " An arbitrary precision calculator.\n\n")
    rows = _rows(status, h.enclosing(status, status.index("bad blocks")))
    assert rows[0] == "Package: e2fsprogs" and rows[-1].startswith("Homepage:") and len(rows) == 7
    # A headed record whose head is no field, or a field alone with its body, stays as it was.
    changelog = ("pkg (1.0) unstable; urgency=medium\n\n  * Fix: bad blocks.\n\n -- Ann <a@x>  Mon, 1 Jan 2024\n\n"
                 "pkg (0.9) unstable; urgency=low\n\n  * First.\n\n -- Bob <b@x>  Mon, 1 Jan 2023\n")
    assert _rows(changelog, h.enclosing(changelog, changelog.index("bad blocks")))[0].startswith("pkg (1.0)")
    alone = "Note: read this\n  an indented line about bad blocks\n  and another\n\nplain text\n"
    assert _rows(alone, h.enclosing(alone, alone.index("bad blocks")))[0] == "Note: read this"
    # A log written "LEVEL: message" repeats its names: no paragraph, the entry and its trace.
    log = "INFO: start\nERROR: request 50 failed\n  at db.connect (bad blocks)\n  at main\nINFO: next\n"
    assert _rows(log, h.enclosing(log, log.index("bad blocks"))) == [
        "ERROR: request 50 failed", "  at db.connect (bad blocks)", "  at main"]
    # A paragraph longer than the limit is no record; its field and continuation lines are.
    fields = "".join(f"Field-{i}: {i}\n" for i in range(30))
    long = "Package: big\n" + fields + "Description: long\n" + " more text\n" * 60 + " bad blocks\nHomepage: x\n"
    assert _rows(long, h.enclosing(long, long.index("bad blocks")))[0] == "Description: long"
    # A paragraph of 40 lines (over the 30 of a plain run) is still the record; so is a file
    # that is one paragraph.
    wide = "Package: wide\nDescription: wide\n" + " line\n" * 36 + " bad blocks\nHomepage: x\n"
    assert len(h.enclosing(wide, wide.index("bad blocks"))) == 40
    assert _rows(status[:status.index("\n\n")], h.enclosing(status, status.index("bad blocks")))[0] == (
        "Package: e2fsprogs")


NEWS = """GNU coreutils NEWS                                    -*- outline -*-
* Noteworthy changes in release 9.1 (2022-04-15) [stable]

** Bug fixes

  chmod -R no longer exits with error status when encountering symlinks.

  realpath no longer mishandles a root directory.

** New Features

  cp --sparse=auto works on more file systems.

* Noteworthy changes in release 8.15 (2012-01-06) [stable]

** New programs

  realpath: print resolved file names.

** Bug fixes

  du no longer crashes.
"""


def test_a_hit_shows_the_headings_it_is_under(capsys: pytest.CaptureFixture[str]) -> None:
    """A NEWS file's item says what changed; the release and its date are in the `*` heading
    far above (the 1.5B answered "when did the release that first added realpath come out"
    with the first release's date)."""
    heads = h.section_heads(NEWS, NEWS.index("realpath: print"))
    assert _rows(NEWS, heads) == ["* Noteworthy changes in release 8.15 (2012-01-06) [stable]", "** New programs"]
    h.context = NEWS
    h.grep("realpath")
    out = capsys.readouterr().out
    first, second = out.split("2| ")
    assert "under: * Noteworthy changes in release 9.1 (2022-04-15) [stable]" in first
    assert "under: * Noteworthy changes in release 8.15 (2012-01-06) [stable]" in second
    assert "** New programs" in second and "9.1" not in second
    # A heading hit shows the headings above it only; the top heading has none.
    assert _rows(NEWS, h.section_heads(NEWS, NEWS.index("** New programs"))) == [
        "* Noteworthy changes in release 8.15 (2012-01-06) [stable]"]
    assert h.section_heads(NEWS, NEWS.index("release 8.15")) == []
    # Headings of the hit's own file only (lo, hi): read there, the file has its own outline.
    lo = NEWS.index("* Noteworthy changes in release 8.15")
    assert _rows(NEWS, h.section_heads(NEWS, NEWS.index("du no"), lo=lo)) == [
        "* Noteworthy changes in release 8.15 (2012-01-06) [stable]", "** Bug fixes"]
    assert h.section_heads(NEWS, NEWS.index("chmod"), lo=lo) == []


def test_markdown_restructuredtext_and_numbered_sections_are_outlines() -> None:
    md = ("# Tool\n\nIntro.\n\n## Install\n\n```sh\n# not a heading\npip install tool\n```\n\n"
          "## Usage\n\nRun it daily.\n\nOptions\n-------\n\nThe --fast flag.\n")
    assert _rows(md, h.section_heads(md, md.index("pip install"))) == ["# Tool", "## Install"]
    assert _rows(md, h.section_heads(md, md.index("daily"))) == ["# Tool", "## Usage"]
    assert _rows(md, h.section_heads(md, md.index("--fast"))) == ["# Tool", "Options"]  # "---": level 2
    rst = "Guide\n=====\n\nIntro.\n\nPart A\n------\n\nThe alpha.\n\nPart B\n------\n\nThe beta.\n"
    assert _rows(rst, h.section_heads(rst, rst.index("beta"))) == ["Guide", "Part B"]
    rfc = ("1.  Introduction\n\n   Text.\n\n2.  Protocol\n\n2.1.  Messages\n\n   A message.\n\n"
           "2.2.  Errors\n\n   An error code is 3 digits.\n")
    assert _rows(rfc, h.section_heads(rfc, rfc.index("3 digits"))) == ["2.  Protocol", "2.2.  Errors"]
    # Deep outlines show the outermost heading and the innermost ones.
    deep = "# A\n## B\n### C\n#### D\ntext here\n## E\n"
    assert _rows(deep, h.section_heads(deep, deep.index("text"))) == ["# A", "### C", "#### D"]


def test_comments_lists_and_numbered_steps_make_no_outline() -> None:
    script = "# set up\nx = 1\n# then run\nrun(x)\n## done\nprint(x)\n# more\n# and more\n# end\n"
    assert h.section_heads(script, script.index("print")) == []
    bullets = "Changes:\n* fixed a\n* fixed b\n* fixed c\n  more about c\n"
    assert h.section_heads(bullets, bullets.index("more about")) == []
    steps = "1. Open it\n2. Read it\n3. Close it\n"
    assert h.section_heads(steps, steps.index("Close")) == []
    yaml_docs = "a: 1\nlong_key_name: some value\n---\nb: 2\n"
    assert h.section_heads(yaml_docs, yaml_docs.index("b: 2")) == []


def test_a_text_indented_all_through_has_records_at_the_hits_level() -> None:
    """XML (and YAML, JSON) indents everything below its root: a hit's record is its element,
    the block of the nearest line above indented less than it (the model's name beside the
    description a question quotes)."""
    filler = "    <model>\n      <configItem>\n        <name>pc</name>\n      </configItem>\n    </model>\n" * 20
    xml = ("<reg>\n  <models>\n" + filler + "    <model>\n      <configItem>\n        <name>thinkpad60</name>\n"
           "        <description>IBM ThinkPad R60/T60/R61/T61</description>\n        <vendor>IBM</vendor>\n"
           "      </configItem>\n    </model>\n    <model>\n      <configItem>\n        <name>pc105</name>\n"
           "      </configItem>\n    </model>\n  </models>\n</reg>\n")
    rows = _rows(xml, h.enclosing(xml, xml.index("T61")))
    assert [r.strip() for r in rows] == ["<configItem>", "<name>thinkpad60</name>",
                                         "<description>IBM ThinkPad R60/T60/R61/T61</description>", "<vendor>IBM</vendor>"]
    # A method inside a class longer than a record: the method.
    cls = "class Big:\n" + "".join(f"    def f{i}(self):\n        return {i}\n\n" for i in range(40))
    rows = _rows(cls, h.enclosing(cls, cls.index("return 33")))
    assert rows == ["    def f33(self):", "        return 33"]
    # An unindented head near enough keeps its whole record, as before.
    small = "class Small:\n    def f(self):\n        return 1\n"
    assert _rows(small, h.enclosing(small, small.index("return 1")))[0] == "class Small:"


def test_a_man_pages_capital_headings_are_its_sections() -> None:
    page = ("CURL(1)\nNAME\n       curl - transfer a URL\n\nOPTIONS\n       --doh-url <URL>\n"
            "              Added in 7.62.0.\n\nEXIT CODES\n       6      Could not resolve host.\n"
            "       7      Failed to connect to host.\n\nSEE ALSO\n       wget(1)\n")
    assert _rows(page, h.section_heads(page, page.index("resolve host"))) == ["EXIT CODES"]
    assert _rows(page, h.section_heads(page, page.index("Added in"))) == ["OPTIONS"]
    # Capitals alone (a log's level, a constant) over no indented body, or fewer than three: none.
    log = "ERROR\nsomething failed\nWARNING\nsomething odd\nINFO\n  indented\n"
    assert h.section_heads(log, log.index("indented")) == []


def test_outlines_are_read_per_file_and_only_where_headings_are(capsys: pytest.CaptureFixture[str]) -> None:
    """A hostile review's cases: what looks like a heading and is not."""
    # A README's headings make no headings of another file's comments.
    h.context = ("# File: README.md\n# Proj\n## Install\nx\n## Use\ny\n\n"
                 "# File: app.py\n# helpers below\ndef f():\n    pass\nY = TARGET_CALL()\n")
    h.grep("TARGET_CALL")
    assert "under:" not in capsys.readouterr().out
    # Version lines and addresses one after another are no numbered sections; a YAML document
    # separator is no underline; `##` comments alone, without a top level, are no outline.
    for text in ("2.1 Released\n2.0.1 Fixed crash\n2.0 Released\n1.9.3 Fixed TARGET leak\n",
                 "10.0.0.7 Rejected connection\n10.0.0.8 Accepted\nworker restarted TARGET\n",
                 "a: 1\nb: 2\n---\nc: 3\nd: TARGET\n", "## build it\nmake all\n## test it\nmake TARGET\n",
                 "/*\n** Free the pager.\n** And the cache.\n*/\nfree(TARGET);\n"):
        assert h.section_heads(text, text.index("TARGET")) == [], text
    # reStructuredText's `~~~~` underlines are no code fence; CRLF text keeps its underlines.
    rst = ("Release notes\n=============\n\nVersion 2.0\n-----------\n\nFixes\n~~~~~\n\n* a\n\n"
           "Version 1.0\n-----------\n\nFixes\n~~~~~\n\n* TARGET leak\n")
    assert _rows(rst, h.section_heads(rst, rst.index("TARGET"))) == ["Release notes", "Version 1.0", "Fixes"]
    numbered = "1. Intro\r\n\r\n2. Body\r\n\r\n2.1. Sub\r\n\r\n2.2. Sub2\r\n\r\ntext TARGET\r\n"
    assert _rows(numbered, h.section_heads(numbered, numbered.index("TARGET"))) == ["2. Body", "2.2. Sub2"]
    marked = "# T\r\n## A\r\n## B\r\nx TARGET\r\n"
    assert _rows(marked, h.section_heads(marked, marked.index("TARGET"))) == ["# T", "## B"]
    sql = "SELECT\n    a\nFROM\n    t\nWHERE\n    x = TARGET\nORDER BY\n    a\n"
    assert h.section_heads(sql, sql.index("TARGET")) == []
    crlf = "Intro\r\n=====\r\n\r\nPart\r\n----\r\n\r\ntext TARGET\r\n"
    assert [r.strip() for r in _rows(crlf, h.section_heads(crlf, crlf.index("TARGET")))] == ["Intro", "Part"]


def test_a_log_of_many_heading_like_lines_is_read_once_and_walked_by_parents() -> None:
    """200,000 headings of one level: each hit's headings are one step, not a walk back
    through all of them."""
    import time
    text = "# Log\n" + "".join(f"## run {i}\n  line {i}\n" for i in range(200_000))
    start = time.perf_counter()
    heads = [h.section_heads(text, text.index(f"line {i}\n")) for i in (5, 100_000, 199_999)]
    assert [_rows(text, x) for x in heads] == [["# Log", f"## run {i}"] for i in (5, 100_000, 199_999)]
    assert time.perf_counter() - start < 5  # the outline once (~0.1 s), then O(depth) per hit


def test_a_word_matching_nothing_is_shown_with_the_endings_the_text_writes(capsys: pytest.CaptureFixture[str]) -> None:
    """r"\bgovernorates\b" over a file that writes type="Governorate" gave [] and the 1.5B
    answered 0; so did r"\bupgraded\b" over dpkg's "upgrade" lines."""
    h.context = '<s type="Governorate">\n<s type="Province">\n2026 upgrade vim\n2026 upgrade bash\n2026 signals\n'
    assert h.lines(r"\bgovernorates\b") == []
    assert "1 lines write it 'Governorate' 1: lines('Governorate') gives them." in capsys.readouterr().out
    assert h.lines(r"\bupgraded\b") == []
    assert "2 lines write it 'upgrade' 2" in capsys.readouterr().out
    # Another word sharing the start is no other ending: "signals" is not "signed".
    out = (h.lines(r"\bsigned\b"), capsys.readouterr().out)
    assert out[0] == [] and "write it" not in out[1]
    assert "does not write" not in out[1]  # "signals" starts with its stem: not said to be written nowhere


def test_a_word_written_nowhere_in_any_form_is_said_to_be(capsys: pytest.CaptureFixture[str]) -> None:
    """A log that records no removal, searched for r"\bremoved\b": the 1.5B got `0 []` ten
    times and the run ended with no answer. Said to be written nowhere, it was answered."""
    h.context = "2026 install vim 1.0\n2026 upgrade bash 5.1 5.2\n2026 Removal-Policy: keep\n"
    assert h.lines(r"\bpurged\b") == []
    assert "lines: the text does not write 'purged' in any form: no line holds 'purg'." in capsys.readouterr().out
    assert printed_nothing("lines: the text does not write 'purged' in any form: no line holds 'purg'.\n0 []")
    # Not said when a word starts alike ("Removal" for "removed"), for a pattern that is more
    # than a word, or for a word that matched.
    for pattern in (r"\bremoved\b", r"purg.d", r"\bremove\b|\bpurge\b", "install"):
        h.lines(pattern)
        assert "does not write" not in capsys.readouterr().out, pattern
    # Nor for a word the text writes in another form, case, accent or inside another word
    # (a hostile review found each of these said to be written nowhere by the first version).
    for text, pattern in (("dependency list", r"\bdependencies\b"), ("policy x", r"\bpolicies\b"),
                          ("commit 1", r"\bcommitted\b"), ("Build it", r"\bbuilt\b"), ("License", r"\blicence\b"),
                          ("in Zürich", r"\bZurich\b"), ('"PackageRemoved"', r"\bremoved\b")):
        h.context = text + "\n"
        assert h.lines(pattern) == [] and "does not write" not in capsys.readouterr().out, pattern
    # Nor when a file narrowed the search: another file may write it.
    h.context = "# File: a.log\nfoo bar\n# File: b.log\nremoved x\n"
    assert h.lines(r"\bremoved\b", file="a.log") == [] and "does not write" not in capsys.readouterr().out


def test_classify_one_label_no_log_line_writes_labels_nothing_and_names_the_columns(
    sub: SubModel, capsys: pytest.CaptureFixture[str]
) -> None:
    # Asked which package had the most status changes, the 1.5B ran classify(rows, "package")
    # over 1,336 dpkg lines, a sub-call each, until its deadline.
    states = ["half-installed", "unpacked", "half-configured", "installed"]
    rows = [f"2025-06-24 14:{i // 60 % 60:02d}:{i % 60:02d} status {states[i % 4]} lib{i % 70}:amd64 1.{i}-1"
            for i in range(300)]
    labels = h.classify(rows, "package", field="text")  # a field no line has, as the 1.5B wrote it
    assert sub.prompts == [] and set(labels) == {"?"} and len(labels) == 300
    out = printed(capsys)
    assert "classify: 'package' is one label and no item writes it:" in out
    assert "count_by(items, 3) counts column 3: half-installed 75, unpacked 75, half-configured 75" in out
    assert "count_by(items, 4) counts column 4: lib0:amd64 5, lib1:amd64 5, lib2:amd64 5, ... 67 more" in out
    # Two labels, "x, other", a label the lines write, free text or a short list: labelled as asked.
    sub.answer = lambda prompt, choices: "other"
    assert sub.prompts == []
    h.classify(rows, "package, other", show=False)
    assert len(sub.prompts) == 300
    h.classify([f"{r} again" for r in rows[:50]], "package", show=False)  # (replies are cached per item)
    assert len(sub.prompts) == 350
    prose = [f"the kettle number {i} {'arrived late ' * (i % 5)}and works" for i in range(300)]
    h.classify(prose, "complaint", show=False)
    assert len(sub.prompts) == 650
    # Records of `Key: v || Key: v` (a question per line to judge) are labelled too.
    records = [f"Date: Jan {i % 28 + 1:02d}, 2023 || User: {i} || Instance: how tall is peak {i}?" for i in range(300)]
    h.classify(records, "numeric value", show=False)
    assert len(sub.prompts) == 950


def test_a_filename_field_inside_records_is_no_file_header() -> None:
    """An apt package index writes `Filename: pool/...deb` in every record, between other
    fields: 1,773 records were read as 1,773 joined files. Headers that start files stay."""
    index = "".join(f"Package: p{i}\nVersion: 1.{i}\nFilename: pool/main/p/p{i}_1.{i}_all.deb\nSize: {i + 9}\n\n"
                    for i in range(6))
    assert h.joined_files(index) == ([], [])
    assert h.file_spans(index) == []
    dump = "# File: src/a.py\nx = 1\n\nFile: b.txt\nhello\n==> c.log <==\nz\n"
    assert h.joined_files(dump)[1] == ["src/a.py", "b.txt", "c.log"]
    headed = "File: a.txt\nName: x\nFile: b.txt\nSize: 3\n"  # one header of two between fields: files still
    assert h.joined_files(headed)[1] == ["a.txt", "b.txt"]


def test_file_headers_of_a_dump_without_blank_lines_are_files() -> None:
    """YAML files joined under `File:` headers with no blank lines, or under `# File:`: files."""
    yaml = "".join(f"File: conf{i}.yaml\nname: c{i}\nport: {i}\nenabled: true\n" for i in range(3))
    assert h.joined_files(yaml)[1] == ["conf0.yaml", "conf1.yaml", "conf2.yaml"]
    env = "".join(f"# File: app{i}/.env.yaml\nKEY: v{i}\nOTHER: w\n\n" for i in range(3))
    assert h.joined_files(env)[1] == ["app0/.env.yaml", "app1/.env.yaml", "app2/.env.yaml"]
    last = "".join(f"Package: p{i}\nVersion: 1\nFilename: pool/p{i}.deb\n\n" for i in range(5))
    assert h.joined_files(last) == ([], [])  # the record's last field, before its blank line


def test_a_version_is_found_with_the_v_that_tags_write_before_it() -> None:
    rx = h._stem_rx("1.3.0")
    assert [bool(rx.search(t)) for t in ("v1.3.0 (Jul 2017)", "V1.3.0", "zstd 1.3.0", "lev1.3.0", "11.3.0", "1.3.05")] \
        == [True, True, True, False, False, False]
    # Never a part of a longer version: "Python 3.4" is not in "< 1.3.4" nor in "3.4.1".
    rx = h._stem_rx("3.4")
    assert [bool(rx.search(t)) for t in ("support for Python 3.4.", "&lt; 1.3.4", "0.3.4 (2011)", "3.4.1", "3.4.x")] \
        == [True, False, False, False, True]
    # A version with zero parts after it is the same version: "2.0" is "2.0.0 (2013-09-24)" (review).
    rx = h._stem_rx("2.0")
    assert [bool(rx.search(t)) for t in ("2.0.0 (2013-09-24)", "2.0.00", "2.0.1", "2.0.0.1", "12.0")] \
        == [True, True, False, False, False]


def test_an_acronym_searched_as_a_whole_word_is_shown_with_its_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    """The 1.5B counted r"\\bRFC\\b" in a protocols table that cites "[RFC905]", got 0 and
    answered 0. The result stays what was asked; the note names the numbered forms and the call."""
    h.context = ("tcp\t6\tTCP\t# transmission control protocol\n"
                 "dccp\t33\tDCCP\t# Datagram Congestion Control Prot. [RFC4340]\n"
                 "iso-tp4\t29\tISO-TP4\t# ISO Transport Protocol class 4 [RFC905]\n")
    assert h.lines(r"\bRFC\b") == []
    out = capsys.readouterr().out
    assert "2 lines write it with a number joined ('RFC4340', 'RFC905'): lines('RFC[0-9]') gives them." in out
    assert len(h.lines("RFC[0-9]")) == 2
    # The count is what the call named finds, a word that merely starts so not among them.
    h.context += "rfcomm0: bound\n"
    h.lines(r"\bRFC\b")
    assert "2 lines write it with a number joined" in capsys.readouterr().out
    for pattern in (r"\bIANA\b", r"\brfc\b", r"\bTCP\b"):  # no numbered form, lower case, or a match
        h.lines(pattern)
        assert "number joined" not in capsys.readouterr().out, pattern


def test_lines_drops_a_word_boundary_beside_a_symbol_when_it_finds_nothing(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # The 1.5B searched r"\b€\b" for the euro sign: a boundary needs a letter or digit beside it.
    compose = '<Multi_key> <C> <equal> : "€" EuroSign\n<Multi_key> <e> <e> : "ë"\nuse -x here\n'
    monkeypatch.setattr(h, "context", compose)
    assert h.lines(r"\b€\b") == [compose.splitlines()[0]]
    assert "1 hold '€'" in capsys.readouterr().out
    assert h.lines(r"\b-x\b") == ["use -x here"]
    assert h.lines(r"\bcat\b") == []  # a word's boundaries stay
    capsys.readouterr()
    assert h.lines(r"\bEuroSign\b") == [compose.splitlines()[0]] and "hold" not in capsys.readouterr().out


def test_section_below_a_heading_gives_its_first_lines_up_to_the_next_heading() -> None:
    doc = "Frob 1.1 (July 4, 2018)\n=======================\n\nFixed a crash.\n\nMade it fast.\n\nFrob 1.0 (2017)\n===============\n\nFirst.\n"
    below = h.section_below(doc, doc.index("1.1"))
    assert [doc[a:b] for a, b in below] == ["Fixed a crash.", "Made it fast."]
    assert [doc[a:b] for a, b in h.section_below(doc, doc.index("1.1"), most=1)] == ["Fixed a crash."]
    assert h.section_below(doc, doc.index("crash")) == []  # not a heading's line


def test_a_key_that_is_no_field_but_a_fields_value_says_where_it_is_written(capsys: pytest.CaptureFixture[str]) -> None:
    # Asked how many deprecations reached end-of-life, the 1.5B ran count_by(rows, "end-of-life")
    # and, told only that no item has that field, answered 0: 70 lines write "Type: End-of-Life".
    doc = "".join(f"### DEP{i:04}: api{i}\n\nType: {'End-of-Life' if i % 3 == 0 else 'Runtime'}\n\n"
                  f"    description: End-of-Life.\n\nThe api{i} APIs are gone.\n\n" for i in range(30))
    h.context = doc
    try:
        h.count_by(h.lines(r"\bAPIs\b"), "end-of-life")
        out = capsys.readouterr().out
        assert "'end-of-life' is written as a field's value: Type on 10 lines " in out  # the indented ones are no field
        assert "(len(lines(r'^Type:[ \\t]*end-of-life(?![\\w-])')) counts them)" in out
        assert len(h.lines(r"^Type:[ \t]*end-of-life(?![\w-])")) == 10  # the call it names counts them
    finally:
        h.context = ""


def test_a_hit_inside_a_block_comment_shows_the_statement_that_opens_it() -> None:
    # "introduced in 1.16.0" on a comment's second line: the constant is on the line above.
    from recursor.sandbox.helpers import _comment_opened, record_around
    header = ("typedef enum {\n  ARES_ECANCELLED = 24, /* introduced in 1.7.0 */\n\n"
              "  ARES_ESERVICE = 25, /* ares_getaddrinfo() was passed a text service name that\n"
              "                       * is not recognized. introduced in 1.16.0 */\n\n"
              "  ARES_ENOSERVER = 26 /* No DNS servers were configured */\n} ares_status_t;\n")
    at = header.index("1.16.0")
    assert header[slice(*_comment_opened(header, at))].strip().startswith("ARES_ESERVICE = 25,")
    rows = record_around(header, at)[2]
    assert rows[0] == "   the comment it is in starts: ARES_ESERVICE = 25, /* ares_getaddrinfo() was passed a text service name that"
    # A comment closed above, one opened on the hit's own line, or one that opens alone: none.
    assert _comment_opened(header, header.index("ARES_ENOSERVER")) is None
    assert _comment_opened(header, header.index("introduced in 1.7.0")) is None
    alone = "int x;\n/* A comment\n * about 1.16.0 */\n"
    assert _comment_opened(alone, alone.index("1.16.0")) is None
    # Not across a file's start, nor a path's glob (`src/*.c`, `rm -rf /tmp/build/*`).
    joined = "# File: a.mk\nSRC = src/*.c\n# File: b.txt\nfirst line\nsecret key is K-1\n"
    assert _comment_opened(joined, joined.index("secret"), joined.index("# File: b.txt")) is None
    assert _comment_opened(joined, joined.index("secret")) is None
    shell = "#!/bin/sh\nrm -rf /tmp/build/*\necho cleaning\nexport TOKEN=abc123\n"
    assert _comment_opened(shell, shell.index("TOKEN")) is None


def test_a_row_of_the_contexts_table_has_its_headers_names_as_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    # `count_by(lines("2008"), "county")` over a CSV's lines: each line by the header's names.
    csv_text = "state,county,item_name,ship_date\n" + "".join(
        f'KS,{c},"RIFLE,5.56 MILLIMETER",{m}/2/2008 0:00:00\n' for c, m in (("FORD", 1), ("FORD", 2), ("ALLEN", 3)))
    monkeypatch.setattr(h, "context", csv_text)
    rows = h.lines("2008")
    assert h.record(rows[0])["county"] == "FORD" and h.record(rows[0])["item_name"] == "RIFLE,5.56 MILLIMETER"
    assert dict(h.count_by(rows, "county", show=False)) == {"FORD": 2, "ALLEN": 1}
    assert h.lines(county="allen") == [rows[2]]
    # A row of another width, or a context whose first line is no header, has no such names.
    assert h.record("KS,FORD")["county"] is None
    monkeypatch.setattr(h, "context", "1,2,3\n4,5,6\n")
    assert h.record("4,5,6") == {}
    # The header line is no row of itself; a log or key=value records are no table; a BOM is no name.
    monkeypatch.setattr(h, "context", "state,county,x\nKS,FORD,1\nKS,ALLEN,2\n")
    assert dict(h.count_by(h.lines(), "county", show=False)) == {"FORD": 1, "ALLEN": 1}
    monkeypatch.setattr(h, "context", "ts=1, user=ann, status=500\nts=2, user=bob, status=200\n")
    assert h.record("ts=2, user=bob, status=200") == {"ts": "2", "user": "bob", "status": "200"}
    monkeypatch.setattr(h, "context", "2024-05-01 10:00:01, INFO, started\n2024-05-01 10:00:02, WARN, slow disk\n")
    assert "INFO" not in h.record("2024-05-01 10:00:02, WARN, slow disk")
    monkeypatch.setattr(h, "context", "\ufeffname,age,city\r\nann,3,x\r\nbob,4,y\r\n")
    assert h.record(h.lines()[1])["name"] == "ann"

