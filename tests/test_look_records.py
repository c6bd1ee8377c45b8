"""A report's records between separator lines read as a table (`recursor.look_records`)."""

from __future__ import annotations

import random

from tests.table_helpers import run_select

from recursor.look_records import records_table
from recursor.orient import orientation


def _report(seed: int = 5) -> tuple[str, list[tuple[str, str, str]]]:
    """A scanner's report written for this test: a preamble, records of fields among code
    lines, separator lines between them, a closing summary."""
    rng = random.Random(seed)
    findings = []
    parts = ["Run started: 2026-12-07 03:47:40\n\nTest results:"]
    for i in range(60):
        test = rng.choice(["B101:assert_used", "B324:hashlib", "B602:subprocess_popen"])
        severity = {"B101:assert_used": "Low", "B324:hashlib": rng.choice(["High", "Medium"])}.get(test, "High")
        path = rng.choice(["pkg/net/ssh/agent.py", "pkg/web/client.py", "pkg/spread/pb.py"])
        findings.append((test, severity, path))
        parts.append(f">> Issue: [{test}] A finding of kind {test}.\n   Severity: {severity}   Confidence: High\n"
                     f"   More Info: https://example.invalid/{test}.html\n   Location: {path}:{10 + i}:4\n"
                     f"{9 + i}\t    x = compute()\n{10 + i}\t    assert x: value\n")
    parts.append("Code scanned:\n\tTotal lines of code: 1234\n\tTotal issues (by severity):")
    return ("\n" + "-" * 50 + "\n").join(parts) + "\n", findings


def test_a_reports_records_are_rows_by_the_fields_most_of_them_write() -> None:
    text, findings = _report()
    table = records_table(text)
    assert table is not None
    assert table.header == ("issue", "severity", "confidence", "more_info", "location", "location_file",
                            "location_line")
    assert len(table.rows) == len(findings)  # the preamble and the summary are no records
    high_ssh = sum(1 for _, s, p in findings if s == "High" and "/ssh/" in p)
    assert run_select(table, "SELECT COUNT(*) FROM t WHERE severity = 'High' AND location LIKE '%/ssh/%'").rows == (
        (high_ssh,),)
    by_file: dict[str, int] = {}
    for test, _, path in findings:
        if "assert" not in test:
            by_file[path] = by_file.get(path, 0) + 1
    top = max(by_file, key=lambda p: by_file[p])
    got = run_select(table, "SELECT location_file FROM t WHERE issue NOT LIKE '%assert%' GROUP BY location_file "
                            "ORDER BY COUNT(*) DESC LIMIT 1").rows
    assert got == ((top,),)
    # The first look of a question that counts asks the query writer about them.
    look = orientation(text, "How many high-severity findings are in the ssh code?")
    assert look.table is not None and "severity" in look.table.header


def test_text_without_separated_records_of_fields_is_no_such_table() -> None:
    text, _ = _report()
    assert records_table(text.replace("-" * 50, "")) is None  # no separators
    prose = ("-" * 30 + "\n").join(f"Chapter {i}\nIt was a dark night: the rain fell.\n" for i in range(10))
    assert records_table(prose) is None  # one "field" each, no two shared
    few = ("-" * 30 + "\n").join(f"Name: n{i}\nSize: {i}\n" for i in range(3))
    assert records_table(few) is None  # too few records


def test_blocks_of_several_records_or_a_timed_logs_lines_are_no_report() -> None:
    # From a hostile review: suites of three "Test: ... Status: ..." lines each were read as one
    # row a suite (0 failures counted of 12); a job log's banners hid its stamped lines.
    suites = ("=" * 30 + "\n").join("".join(f"Test: t{s}{k}\nStatus: {'fail' if k else 'pass'}\n" for k in range(3))
                                    for s in range(6))
    assert records_table(suites) is None
    jobs = ("=" * 30 + "\n").join(
        f"Job: j{j}\nHost: h{j}\nStatus: done\n" + "".join(
            f"2026-12-07 03:{j:02d}:{k:02d} {'ERROR' if k % 4 == 0 else 'INFO'} step {k}\n" for k in range(12))
        for j in range(8))
    assert records_table(jobs) is not None  # records, read alone
    look = orientation(jobs, "How many ERROR lines were logged?")
    assert look.table is None or "message" in look.table.header
