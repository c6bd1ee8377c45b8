"""A timed log read as a table for the query writer (`recursor.log_table`): its stamps as a
day and a time SQLite compares, syslog's prefix as columns, its messages told by kind."""

from __future__ import annotations

import random

from tests.fakes.scripted_lm import FakeScriptedLM
from tests.table_helpers import run_select

from recursor import RLM, Limits
from recursor.log_table import selects_as_asked, timed_table
from recursor.orient import orientation
from recursor.prompts_small import SmallModelPrompts
from recursor.sandbox.helpers import in_dates
from recursor.table_sql import schema

USERS = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"]


def _ftp_log(n: int = 600, seed: int = 5) -> str:
    """A vsftpd-like log: date(1)-style stamps with the year after the time, logins that fail
    or succeed, downloads; a few unstamped lines."""
    rng = random.Random(seed)
    out = ["vsftpd starting (no stamp on this banner)"]
    for i in range(n):
        stamp = f"Sun Dec  6 11:{10 + i // 60:02d}:{i % 60:02d} 2026"
        user, client = rng.choice(USERS), f'Client "127.0.0.{rng.randint(40, 44)}"'
        kind = rng.choice(["CONNECT", "OK LOGIN", "FAIL LOGIN", "OK DOWNLOAD"])
        if kind == "CONNECT":
            out.append(f"{stamp} [pid {5000 + i}] CONNECT: {client}")
        elif kind == "OK DOWNLOAD":
            out.append(f'{stamp} [pid {5000 + i}] [{user}] OK DOWNLOAD: {client}, "/pub/f{i % 9}.bin", {i * 7} bytes')
        else:
            out.append(f"{stamp} [pid {5000 + i}] [{user}] {kind}: {client}")
    return "\n".join(out) + "\n"


def _syslog(n: int = 300, seed: int = 7) -> str:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        stamp = f"Dec  6 09:{i // 60:02d}:{i % 60:02d}"
        if i % 3:
            user = rng.choice(USERS)
            out.append(f"{stamp} vm sshd[{2000 + i}]: {rng.choice(['Accepted', 'Failed'])} password for {user} "
                       f"from 10.0.0.{i % 7} port {40000 + i} ssh2")
        else:
            out.append(f"{stamp} vm CRON[{3000 + i}]: pam_unix(cron:session): session opened for user root(uid=0)")
    return "\n".join(out) + "\n"


def test_a_logs_stamps_are_a_day_and_a_time_that_sqlite_compares_and_the_rest_its_message() -> None:
    text = _ftp_log()
    table = timed_table(text)
    assert table is not None and table.header == ("day", "time", "message") and len(table.rows) == 600
    assert table.rows[0] == ("2026-12-06", "11:10:00", table.rows[0][2])
    assert table.rows[0][2].startswith("[pid 5000] ")  # the year after the time is the stamp's, not the message's
    window = [line for line in in_dates(text.splitlines(), "11:15:00", "11:16:59") if "FAIL LOGIN" in line]
    sql = "SELECT COUNT(*) FROM t WHERE time BETWEEN '11:15:00' AND '11:16:59' AND message LIKE '%FAIL LOGIN%'"
    assert run_select(table, sql).rows == ((len(window),),)
    span = run_select(table, "SELECT strftime('%s', MAX(time)) - strftime('%s', MIN(time)) FROM t").rows
    assert span == ((599,),)


def test_syslogs_prefix_is_its_host_program_and_pid() -> None:
    table = timed_table(_syslog())
    # CRON's `(uid=0)` on a third of the lines is a field of its own, after the message.
    assert table is not None and table.header == ("day", "time", "host", "program", "pid", "message", "uid")
    row = table.rows[1]
    assert row[:5] == ("12-06", "09:00:01", "vm", "sshd", "2001") and row[5].endswith("port 40001 ssh2")
    assert row[5].split()[0] in ("Accepted", "Failed")  # a stamp with no year: its month and day


def test_a_text_mostly_without_stamps_or_too_short_is_no_table() -> None:
    prose = "\n".join(f"Paragraph {i} says something about the release." for i in range(100))
    assert timed_table(prose) is None
    assert timed_table("\n".join(_ftp_log().splitlines()[:10])) is None
    lines = _ftp_log().splitlines()
    sparse = "\n".join(line for i, line in enumerate(lines) for line in (line, f"detail {i}", f"more {i}"))
    assert timed_table(sparse) is None  # two lines in three carry no stamp: no log of stamped entries


def test_a_logs_tracebacks_are_part_of_the_entry_above_them() -> None:
    """gunicorn's and huey's first 400 lines are a third tracebacks and banners: still a log."""
    lines = _ftp_log().splitlines()
    text = "\n".join(line for i, line in enumerate(lines)
                     for line in ((line, "Traceback (most recent call last):", f'  File "app.py", line {i}')
                                  if i % 3 == 1 else (line,)))
    table = timed_table(text)
    assert table is not None and len(table.rows) == 600
    assert table.rows[0][2].endswith('Traceback (most recent call last): File "app.py", line 1')


def test_the_messages_are_told_by_kind_those_the_question_writes_first() -> None:
    table = timed_table(_ftp_log())
    assert table is not None
    shown = schema(table, "How many failed FTP logins were there from 11:15:00 through 11:16:59?")
    assert shown.startswith("Table t has 600 rows, each one line of a log.")
    message = next(line for line in shown.splitlines() if line.startswith("- message:"))
    assert "text of 4 kinds (shapes): " in message
    examples = message.split("(shapes): ")[1].split("; ")
    assert "FAIL LOGIN" in examples[0] and "OK LOGIN" in examples[1]  # "failed", "logins": the kinds that write them
    assert {"CONNECT", "OK DOWNLOAD"} <= {kind for kind in ("CONNECT", "OK DOWNLOAD") if kind in message}
    # Values that repeat no shape (names, prose) are shown as examples, not kinds.
    names = timed_table("\n".join(f"2026-01-01 10:00:{i % 60:02d} {w}" for i, w in
                                  enumerate(f"word{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}" for i in range(200))))
    assert names is not None and "kinds" not in schema(names, "How many?")


def test_the_first_look_offers_what_the_query_over_the_log_gives() -> None:
    text = _ftp_log()
    question = "How many failed FTP logins were there from 11:15:00 through 11:16:59?"
    gold = len([line for line in in_dates(text.splitlines(), "11:15:00", "11:16:59") if "FAIL LOGIN" in line])
    look = orientation(text, question)
    assert look.table is not None and look.table.row == "one line of a log"
    sql = "SELECT COUNT(*) FROM t WHERE time BETWEEN '11:15:00' AND '11:16:59' AND message LIKE '%FAIL LOGIN%'"
    sub = FakeScriptedLM([f"```sql\n{sql}\n```"])
    root = FakeScriptedLM([f"FINAL({gold})"])
    result = RLM(root, sub_model=sub, prompts=SmallModelPrompts(), limits=Limits(max_iterations=4),
                 trace_dir=False).complete(question, text)
    assert result.answer == str(gold)
    first = root.calls[0].messages[-1]["content"]
    assert f"The query {sql} gives: {gold}." in first and f"FINAL({gold})" in first
    # A look-up is no count: no table, no query.
    assert orientation(text, "Which client did carol log in from first?").table is None


def test_a_program_that_logs_itself_writes_its_pid_and_a_level_where_syslog_writes_a_colon() -> None:
    text = "\n".join(f"Dec 06 12:40:{i % 60:02d} unbound[30395:0] info: 127.0.0.{i % 5} www.lab.test. A IN"
                     for i in range(40))
    table = timed_table(text)
    assert table is not None and table.header == ("day", "time", "program", "pid", "message")
    assert table.rows[0][2:] == ("unbound", "30395", "info: 127.0.0.0 www.lab.test. A IN")
    assert "- pid: whole number, always 30395" in schema(table, "How many queries?")
    # A word and a space is no program: tcpdump's "IP 127.0.0.1.5 > ..." is all message.
    dump = "\n".join(f"12:34:{i % 60:02d}.{i:06d} IP 127.0.0.1.{4000 + i} > 127.0.0.2.53: UDP, length {i}"
                     for i in range(40))
    assert (dumped := timed_table(dump)) is not None and dumped.header == ("time", "subsecond", "message")


def _rows(lines: list[str]) -> tuple[tuple[str, ...], tuple[tuple[object, ...], ...]]:
    table = timed_table("\n".join(lines * 20))
    assert table is not None
    return table.header, table.rows


def test_what_a_line_writes_besides_its_stamp_stays_in_its_message() -> None:
    # A level or a service's name before the stamp; a number after the time that is no year.
    header, rows = _rows(["INFO  2024-03-05 10:00:00 [main] c.e.App - step", "web-1 | 2024-03-05T10:00:01.250Z handled",
                          "Mar  5 10:00:02 2048 bytes sent to client", "2024-03-05 10:00:03 PM evening run"])
    assert header == ("day", "time", "subsecond", "message")
    assert rows[0] == ("2024-03-05", "10:00:00", None, "INFO [main] c.e.App - step")
    assert rows[1] == ("2024-03-05", "10:00:01", "0.250", "web-1 handled")
    assert rows[2][0] == "03-05" and rows[2][3] == "2048 bytes sent to client"  # a year only after a yearless date
    assert rows[3][1] == "22:00:03" and rows[3][3] == "evening run"
    # date(1)'s year after the time is the stamp's.
    assert _rows(["Sun Dec  6 11:13:16 2026 [pid 1] CONNECT"])[1][0] == ("2026-12-06", "11:13:16", "[pid 1] CONNECT")
    # So is the year of C's ctime() stamp, before fields that start with a number (an FTP xferlog).
    xfer = "Sun Dec 06 16:24:12 2026 0 127.0.0.82 3000 /pub/README.txt b _ o a guest@lab.test ftp 0 * c"
    assert _rows([xfer])[1][0] == ("2026-12-06", "16:24:12", "0 127.0.0.82 3000 /pub/README.txt b _ o a guest@lab.test ftp 0 * c")
    assert _rows(["Dec 06 16:24:12 2048 0 bytes"])[1][0] == ("12-06", "16:24:12", "2048 0 bytes")  # no weekday: no ctime


def test_lines_without_a_stamp_belong_to_the_entry_above() -> None:
    entry = ["2024-03-05 10:00:00 ERROR request failed", "java.lang.NullPointerException: null", "    at App.run"]
    lines = ["2024-03-05 10:00:00 INFO ok"] * 8 + entry
    table = timed_table("\n".join(lines * 5))
    assert table is not None and len(table.rows) == 45
    assert run_select(table, "SELECT COUNT(*) FROM t WHERE message LIKE '%NullPointerException%'").rows == ((5,),)


def test_a_logs_numeric_dates_are_read_one_way_and_a_level_is_no_program() -> None:
    header, rows = _rows([f"{d:02d}/03/2024 10:00:00 ERROR: disk full" for d in range(10, 16)])
    assert header == ("day", "time", "message")  # "ERROR:" is a level, not syslog's program
    assert {r[0] for r in rows} == {f"2024-03-{d}" for d in range(10, 16)}  # day first, as 13-15 show
    assert rows[0][2] == "ERROR: disk full"


def test_a_window_takes_its_last_second_whole_and_a_host_on_few_lines_stays_written() -> None:
    lines = [f"Mar  5 11:16:59.{i:03d} app[7]: tick {i}" for i in range(30)] + ["Mar  5 11:17:00 web0 app[7]: x"]
    table = timed_table("\n".join(lines))
    assert table is not None and table.header == ("day", "time", "subsecond", "program", "pid", "message")
    assert run_select(table, "SELECT COUNT(*) FROM t WHERE time BETWEEN '11:16:00' AND '11:16:59'").rows == ((30,),)
    assert table.rows[-1][3:] == (None, None, "web0 app[7]: x")


def test_a_look_up_over_a_log_is_read_not_queried() -> None:
    text = _ftp_log()
    question = "How many seconds does the server wait before it closes an idle session?"
    assert orientation(text, question).table is not None  # "how many": the table is there
    sub = FakeScriptedLM(default="NONE")
    RLM(FakeScriptedLM(default="FINAL(1)"), sub_model=sub, prompts=SmallModelPrompts(), limits=Limits(max_iterations=3),
        trace_dir=False).complete(question, text)
    assert not any(c.messages[0]["content"].startswith("Table t") for c in sub.calls)


def test_a_query_offers_its_count_only_when_it_picks_lines_by_what_the_question_counts() -> None:
    asked = "How many connections did the server accept?"
    assert selects_as_asked("SELECT COUNT(*) FROM t WHERE message LIKE '%Accepted %'", asked)
    assert not selects_as_asked("SELECT COUNT(*) FROM t WHERE message LIKE '%Client closed connection%'", asked)
    assert not selects_as_asked("SELECT COUNT(*) FROM t WHERE pid > 100", asked)  # no text matched at all
    # No verb: a word of the question ("failed") written in what it matches.
    assert selects_as_asked("SELECT COUNT(*) FROM t WHERE message LIKE '%FAIL LOGIN%'", "How many failed logins were there?")
    assert not selects_as_asked("SELECT COUNT(*) FROM t WHERE message LIKE '%CONNECT%'", "How many failed logins were there?")


def test_a_query_by_a_kind_the_question_never_names_is_not_shown() -> None:
    text = _ftp_log()
    question = "How many downloads did the server refuse?"
    sql = "SELECT COUNT(*) FROM t WHERE message LIKE '%OK DOWNLOAD%'"
    root = FakeScriptedLM(default="FINAL(3)")
    RLM(root, sub_model=FakeScriptedLM([f"```sql\n{sql}\n```"], default="NONE"), prompts=SmallModelPrompts(),
        limits=Limits(max_iterations=4), trace_dir=False).complete(question, text)
    first = root.calls[0].messages[-1]["content"]
    assert "The query" not in first and "OK DOWNLOAD%' gives" not in first


def test_journalctls_marker_lines_are_no_entries() -> None:
    lines = ["-- Logs begin at Tue 2024-03-05 10:00:00 UTC, end at Tue 2024-03-05 11:00:00 UTC. --"]
    lines += [f"Mar 05 10:{i:02d}:00 vm sshd[{i}]: Accepted password for u{i}" for i in range(30)]
    lines.insert(10, "-- Boot 3a1f9c0e2b7d4e5f8a6b1c2d3e4f5a6b --")
    table = timed_table("\n".join(lines))
    assert table is not None and len(table.rows) == 30
    assert table.header[0] == "day" and {r[0] for r in table.rows} == {"03-05"}
    assert not any("--" in str(r[-1]) for r in table.rows)



def _shop_log(n: int = 300, seed: int = 11) -> str:
    """A web shop's log: orders with `key=value` fields, polls that count what they found, and
    levels padded with spaces as Python's logging writes `%(levelname)-8s`."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        stamp = f"2026-12-07 00:{i // 60:02d}:{i % 60:02d}.{i % 1000:03d}"
        if i % 3 == 0:
            out.append(f"{stamp} INFO     [shop] order A{i:04d} accepted user=u{i % 7:02d} items={1 + i % 5} "
                       f"total={rng.randint(500, 30000) / 100:.2f}")
        elif i % 3 == 1:
            out.append(f"{stamp} INFO     jobs: poll_inbox: {rng.randint(0, 6)} new messages")
        else:
            out.append(f"{stamp} WARNING  [shop] retry 2 of 3 took 4 seconds")
    return "\n".join(out) + "\n"


def test_a_messages_fields_and_counts_are_columns_and_its_spaces_are_as_shown() -> None:
    text = _shop_log()
    table = timed_table(text)
    assert table is not None
    assert table.header == ("day", "time", "subsecond", "message", "user", "items", "total", "new_messages")
    lines = text.splitlines()
    gold = sum(1 for line in lines if " accepted " in line and float(line.rsplit("total=", 1)[1]) > 150)
    sql = "SELECT COUNT(*) FROM t WHERE message LIKE '%accepted%' AND total > 150"
    assert run_select(table, sql).rows == ((gold,),)
    polled = sum(int(line.split("poll_inbox: ")[1].split()[0]) for line in lines if "poll_inbox" in line)
    sql = "SELECT SUM(new_messages) FROM t WHERE message LIKE 'INFO jobs: poll_inbox: %'"
    assert run_select(table, sql).rows == ((polled,),)  # the message as the schema shows it: one space
    # "retry 2 of 3", "took 4 seconds": no count of things; rows without a field leave it empty.
    assert run_select(table, "SELECT COUNT(total) FROM t WHERE message LIKE 'WARNING%'").rows == ((0,),)
    shown = schema(table, "How many accepted orders had a total above 150?")
    assert "- total: number, " in shown and "- new_messages: whole number" in shown


def test_a_count_of_one_is_named_as_the_others_in_the_plural() -> None:
    checks = [1, 4, 1, 7, 12, 1, 3, 9]
    text = "\n".join(f"2026-12-07 10:00:{i:02d} [unit] test {i}: running {n} {'check' if n == 1 else 'checks'}"
                     for i, n in enumerate(checks))
    text += "\n" + "\n".join(f"2026-12-07 10:01:{i:02d} worker {i} stopped" for i in range(20))
    table = timed_table(text)
    assert table is not None and table.header == ("day", "time", "message", "checks")  # "stopped": no plural noun
    assert run_select(table, "SELECT SUM(checks) FROM t").rows == ((sum(checks),),)
    # Thousands, a sentence's end and capitals: "processed 1,234 Records." is `records` 1234.
    big = "\n".join(f"2026-12-07 10:00:{i:02d} batch {i}: processed {1000 + i:,} Records." for i in range(20))
    table = timed_table(big)
    assert table is not None and table.header == ("day", "time", "message", "records")
    assert run_select(table, "SELECT MAX(records) FROM t").rows == ((1019,),)


def test_a_query_by_a_field_the_question_names_is_as_asked() -> None:
    """`new_messages >= 5` for "five or more new messages" picks the lines by the question's
    words, in a column, with no text to match."""
    asked = "How many of the inbox polls turned up five or more new messages?"
    assert selects_as_asked("SELECT COUNT(*) FROM t WHERE new_messages >= 5", asked)
    assert selects_as_asked("SELECT COUNT(*) FROM t WHERE total > 150", "How many orders had a total above 150?")
    # A field the question does not name, or only the stamp's columns: no.
    assert not selects_as_asked("SELECT COUNT(*) FROM t WHERE items > 3", "How many orders had a total above 150?")
    assert not selects_as_asked("SELECT COUNT(*) FROM t WHERE time > '10:00:00'", "How many requests came after ten?")


def test_requests_a_log_writes_in_the_common_log_format_are_columns_of_its_table() -> None:
    # hypercorn's access lines under its own stamp: the request is deep in the message, past
    # where the schema's examples are clipped.
    rng = random.Random(3)
    lines, missing = [], 0
    for i in range(120):
        stamp = f"[2026-12-07 03:{46 + i // 60:02d}:{i % 60:02d} +0000] [4141]"
        if i % 7 == 0:
            lines.append(f"{stamp} [INFO] order {1000 + i} placed by bob: product {i} x2")
            continue
        path, status = rng.choice([("/api/products/12", 200), ("/api/products/99", 404), ("/api/search?q=pen", 200),
                                   ("/api/orders", 201)])
        missing += path.startswith("/api/products/") and status == 404
        size = "-" if status == 201 else str(40 + i)
        lines.append(f'{stamp} [INFO] 127.0.0.{i % 9}:5{i:04d} - - [07/Dec/2026:03:46:{i % 60:02d} +0000] '
                     f'"GET {path} 1.1" {status} {size} "-" "shop-mobile/3.4.1" 0.0{i}')
    table = timed_table("\n".join(lines) + "\n")
    assert table is not None
    assert table.header[-5:] == ("client", "method", "path", "status", "bytes")
    got = run_select(table, "SELECT COUNT(*) FROM t WHERE path LIKE '/api/products/%' AND status = 404").rows
    assert got == ((missing,),)
    assert run_select(table, "SELECT COUNT(*) FROM t WHERE method IS NULL").rows == ((len(range(0, 120, 7)),),)
    assert run_select(table, "SELECT COUNT(*) FROM t WHERE bytes IS NULL AND status = 201").rows[0][0] > 0
    asked = "How many times did someone ask for a product that could not be found?"
    assert selects_as_asked("SELECT COUNT(*) FROM t WHERE path LIKE '/api/products/%' AND status = 404", asked,
                            requests=True)
    # Without a request's columns, a `status` is any field's, and picks no lines as asked (review).
    assert not selects_as_asked("SELECT COUNT(*) FROM t WHERE status = 'failed'", "How many deployments were rolled back?")
    # A request line that is no method and path keeps its status; a long token is read fast.
    odd = timed_table("\n".join(f'[2026-12-07 03:46:{i:02d} +0000] [1] [INFO] 10.0.0.{i} - - [07/Dec/2026:03:46:{i:02d} '
                                f'+0000] "-" 400 0' for i in range(30)) + "\n" + "[2026-12-07 03:47:00 +0000] x" * 1 +
                      " " + "y" * 60_000 + '] "' + "\n")
    assert odd is not None and run_select(odd, "SELECT COUNT(*) FROM t WHERE status = 400").rows == ((30,),)
    # aiohttp writes no ident or user: the client is the address before the time, not the level.
    aio = timed_table("\n".join(f'2026-12-07 06:22:{i:02d},422 INFO aiohttp.access: 127.0.0.{20 + i % 3} '
                                 f'[07/Dec/2026:06:22:{i:02d} +0000] "GET /v1/stations/s{i % 4}/availability HTTP/1.1" '
                                 f'{404 if i % 5 == 0 else 200} 209 "-" "kiosk/2.7" 0.000468' for i in range(40)) + "\n")
    assert aio is not None
    assert run_select(aio, "SELECT DISTINCT client FROM t ORDER BY client").rows == (
        ("127.0.0.20",), ("127.0.0.21",), ("127.0.0.22",))
    # logging's basicConfig joins the level, the logger and the address with colons (review).
    basic = timed_table("\n".join(f'2026-12-07 06:22:{i:02d},422 INFO:aiohttp.access:127.0.0.{i % 3} '
                                   f'[07/Dec/2026:06:22:{i:02d} +0000] "GET /a HTTP/1.1" 200 12 "-" "x"' for i in range(40)) + "\n")
    assert basic is not None
    assert run_select(basic, "SELECT COUNT(DISTINCT client) FROM t WHERE client LIKE '127.0.0.%'").rows == ((3,),)
    # A log with no such requests has no such columns.
    plain = timed_table("\n".join(f"2026-12-07 03:46:{i:02d} INFO worker {i} started" for i in range(40)) + "\n")
    assert plain is not None and "path" not in plain.header


def test_the_date_a_message_writes_is_a_column_of_its_own() -> None:
    # A batch job's lines name the business day they are about, which no stamp says.
    lines = []
    for i in range(40):
        day = f"2026-11-{1 + i % 20:02d}"
        lines.append(f"2026-12-07 06:24:{i % 60:02d},100 INFO etl: extracted {1000 + i} sales rows for s{i % 3} on {day}")
        lines.append(f"2026-12-07 06:24:{i % 60:02d},200 INFO luigi: task {i} done")
    table = timed_table("\n".join(lines) + "\n")
    assert table is not None and table.header[table.header.index("message") + 1] == "message_date"
    got = run_select(table, "SELECT SUM(sales) FROM t WHERE message_date BETWEEN '2026-11-09' AND '2026-11-15'").rows
    assert got == ((sum(1000 + i for i in range(40) if 9 <= 1 + i % 20 <= 15),),)
    assert run_select(table, "SELECT COUNT(*) FROM t WHERE message_date IS NULL").rows == ((40,),)
    # Messages that all write one date (or none) add no column.
    same = timed_table("\n".join(f"2026-12-07 06:24:{i:02d} INFO run for 2026-11-01 step {i}" for i in range(40)) + "\n")
    assert same is not None and "message_date" not in same.header
