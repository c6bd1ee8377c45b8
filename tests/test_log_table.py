"""A timed log read as a table for the query writer (`recursor.log_table`): its stamps as a
day and a time SQLite compares, syslog's prefix as columns, its messages told by kind."""

from __future__ import annotations

import random

from tests.fakes.scripted_lm import FakeScriptedLM

from recursor import RLM, Limits
from recursor.log_table import timed_table
from recursor.orient import orientation
from recursor.prompts_small import SmallModelPrompts
from recursor.sandbox.helpers import in_dates
from recursor.table_sql import TableDb, schema

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
    db = TableDb.open(table)
    assert db is not None
    try:
        sql = "SELECT COUNT(*) FROM t WHERE time BETWEEN '11:15:00' AND '11:16:59' AND message LIKE '%FAIL LOGIN%'"
        assert db.select(sql).rows == ((len(window),),)
        span = db.select("SELECT strftime('%s', MAX(time)) - strftime('%s', MIN(time)) FROM t").rows
        assert span == ((599,),)
    finally:
        db.close()


def test_syslogs_prefix_is_its_host_program_and_pid() -> None:
    table = timed_table(_syslog())
    assert table is not None and table.header == ("time", "host", "program", "pid", "message")
    row = table.rows[1]
    assert row[:4] == ("09:00:01", "vm", "sshd", "2001") and row[4].endswith("port 40001 ssh2")
    assert row[4].split()[0] in ("Accepted", "Failed")


def test_a_text_mostly_without_stamps_or_too_short_is_no_table() -> None:
    prose = "\n".join(f"Paragraph {i} says something about the release." for i in range(100))
    assert timed_table(prose) is None
    assert timed_table("\n".join(_ftp_log().splitlines()[:10])) is None
    half = "\n".join(line for i, line in enumerate(_ftp_log().splitlines()) for line in (line, f"  detail {i}"))
    assert timed_table(half) is None  # half its lines carry no stamp: not one line a record


def test_the_messages_are_told_by_kind_those_the_question_writes_first() -> None:
    table = timed_table(_ftp_log())
    assert table is not None
    shown = schema(table, "How many failed FTP logins were there from 11:15:00 through 11:16:59?")
    assert shown.startswith("Table t has 600 rows, each one line of a log.")
    message = next(line for line in shown.splitlines() if line.startswith("- message:"))
    assert "text of 4 kinds (shapes), one example each: " in message
    examples = message.split("one example each: ")[1].split("; ")
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
