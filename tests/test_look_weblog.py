"""The look at a web server's access log: requests counted by the field a question names."""

from __future__ import annotations

import random
from collections import Counter
from unittest.mock import patch

from tests.table_helpers import run_select

import recursor.sandbox.helpers as helpers
from recursor.look_weblog import weblog_look
from recursor.orient import orientation
from recursor.table_sql import schema

_PATHS = ["/", "/index.html", "/api/v1/items", "/login", "/static/app.js"]


def _log(n: int = 900, seed: int = 3) -> tuple[str, list[tuple[str, str, str, str]]]:
    """A combined-format access log, and each request's (host, method, path, status)."""
    rng = random.Random(seed)
    hosts = [f"192.168.{rng.randint(0, 3)}.{rng.randint(1, 60)}" for _ in range(30)]
    out, reqs = [], []
    for i in range(n):
        h, m, p = rng.choice(hosts), rng.choice(["GET", "GET", "POST"]), rng.choice(_PATHS)
        st = rng.choice(["200", "200", "304", "404", "500"])
        out.append(f'{h} - - [{1 + i // 200:02d}/Apr/2025:{rng.randint(0, 23):02d}:10:00 +0200] "{m} {p} HTTP/1.1" '
                   f'{st} {rng.randint(100, 9000)} "-" "curl/8.{rng.randint(0, 9)}"')
        reqs.append((h, m, p, st))
    return "\n".join(out) + "\n", reqs


def test_the_host_with_the_most_requests_is_counted_though_the_log_writes_no_word_of_the_question() -> None:
    text, reqs = _log()
    per = Counter(h for h, _, _, _ in reqs)
    look = orientation(text, "Which IP address made the most requests?")
    assert "It is a web server's access log: 900 requests, 01 Apr 2025 to 05 Apr 2025." in look.text
    assert look.start == "count_by(lines(), r'^(\\S+)')"
    top, n = per.most_common(1)[0]
    assert look.counted == (top if list(per.values()).count(n) == 1 else "")


def test_counts_filtered_by_status_method_and_path_are_offered_and_the_call_gives_them() -> None:
    text, reqs = _log()
    gold = sum(m == "POST" and p == "/login" and st == "500" for _, m, p, st in reqs)
    look = weblog_look(text, "How many POST requests to /login failed with a 500?")
    assert look is not None and look.counted == str(gold)
    assert look.call == "len(lines('\"POST ', '\" 500 ', '\"[A-Z]+ /login '))"
    helpers.context = text
    assert len(helpers.lines('"POST ', '" 500 ', '"[A-Z]+ /login ')) == gold  # the call gives what was offered
    per = Counter(h for h, _, _, st in reqs if st == "404")
    clients = weblog_look(text, "Which client got the most 404 errors?")
    assert clients is not None and clients.call == "count_by(lines('\" 404 '), r'^(\\S+)')"
    top, n = per.most_common(1)[0]
    assert clients.counted == (top if list(per.values()).count(n) == 1 else "")


def test_nothing_is_offered_when_the_question_says_more_than_the_fields_computed() -> None:
    text, _ = _log()
    for question in ("How many distinct IPs sent requests?", "Which IP made the second most requests?",
                     "Which IP made the most requests with curl?", "Which path did not get the most requests?"):
        look = weblog_look(text, question)
        assert look is not None and look.counted == "", question


def test_other_texts_are_no_access_log() -> None:
    assert weblog_look("2024-01-01 10:00:00 install pkg 1.0\n" * 20, "Which package?") is None
    assert weblog_look("a,b\n1,2\n3,4\n5,6\n", "Which a?") is None


def test_review_what_the_fields_cannot_say_is_not_offered() -> None:
    text, _ = _log()
    for question in ("How many requests returned 404 or 500?",  # two values of one field
                     "Which host transferred the most bytes?", "How many 404 requests were there in 2022?",
                     "Which IP made the most requests yesterday?", "How many responses were over 500 bytes?",
                     "Which client got the most errors?"):  # errors: which statuses?
        look = weblog_look(text, question)
        assert look is not None and look.counted == "", question


def test_a_day_is_offered_as_the_log_and_the_call_write_it() -> None:
    text, _ = _log()
    look = weblog_look(text + '192.168.0.1 - - [01/Apr/2025:10:00:00 +0200] "GET / HTTP/1.1" 200 5 "-" "x"\n',
                       "On which day were the most requests made?")
    assert look is not None and look.counted == "01/Apr/2025"  # 201 requests that day, 200 or fewer on the others


def test_review_the_call_prints_what_the_look_offered_whatever_the_lines_case_or_endings() -> None:
    text, _ = _log(300)
    text = text.replace('"GET /login ', '"GET /Login ', 5).replace("\n", "\r\n")
    look = weblog_look(text, "How many requests went to /login?")
    assert look is not None
    helpers.context = text
    assert str(eval(look.call, vars(helpers))) == look.counted  # lines() keeps /Login too, and so does the look
    for question in ("How many requests had a status above 200?", "Which IP made the most requests before noon?"):
        assert weblog_look(text, question).counted == "", question  # type: ignore[union-attr]


def test_the_log_is_a_table_of_its_fields_for_a_query_and_counts_as_the_lines_do() -> None:
    text, reqs = _log()
    text = ('10.0.0.9 - alice [01/Apr/2025:09:00:00 +0200] "GET /a b HTTP/1.0" 401 - "-" "x"\n'
            '10.0.0.9 - - [01/Apr/2025:09:00:01 +0200] "-" 400 0\n' + text + "not a request line\n")
    look = weblog_look(text, "How many requests were turned away for lack of valid credentials?")
    assert look is not None and look.table is not None
    table = look.table
    assert table.header[:4] == ("client", "ident", "user", "time") and len(table.rows) == len(reqs) + 2
    first, second = table.rows[0], table.rows[1]
    # The time as SQLite reads one; "-" is no value; a path written with a space stays whole.
    assert first[:9] == ("10.0.0.9", None, "alice", "2025-04-01 09:00:00", "GET", "/a b", "HTTP/1.0", "401", None)
    assert second[4:9] == (None, None, None, "400", "0")  # a request line of "-": no method, path or protocol
    got = run_select(table, "SELECT COUNT(*) FROM t WHERE status = 404 AND method = 'POST'").rows
    assert got == ((sum(1 for _, m, _, s in reqs if s == "404" and m == "POST"),),)
    later = run_select(table, "SELECT COUNT(*) FROM t WHERE time >= '2025-04-03 00:00:00'").rows
    assert later == ((sum(1 for line in text.splitlines() if "/Apr/2025:" in line and line.split("[")[1][:2] >= "03"),),)
    shown = schema(table, "How many requests were turned away?")
    assert shown.startswith(f"Table t has {len(reqs) + 2:,} rows, each one request in a web server's access log.")
    # Each status told with its reason: "turned away" is 4xx to a writer who reads "Forbidden".
    assert ("- status: whole number, 6 different values: 200 (OK), 304 (Not Modified), 400 (Bad Request), "
            "401 (Unauthorized), 404 (Not Found), 500 (Internal Server Error)") in shown


def test_a_log_read_only_in_part_is_no_table() -> None:
    text, _ = _log(n=60)
    with patch("recursor.look_weblog._READ_UP_TO", 2_000):
        look = weblog_look(text, "How many requests failed?")
    assert look is not None and look.table is None


def test_a_virtual_host_before_the_address_is_named_so_and_counts_no_client() -> None:
    text, reqs = _log()
    vhosts = "\n".join(f"{'shop' if i % 3 else 'blog'}.lab.test {line}" .replace(" - - [", " - [")
                       for i, line in enumerate(text.splitlines())) + "\n"
    look = weblog_look(vhosts, "Which IP address made the most requests?")
    assert look is not None and look.table is not None and look.counted == ""  # the first field is no IP
    assert look.table.header[:3] == ("vhost", "client", "user") and "Each line is a virtual host" in look.rows[0]
    assert look.table.rows[0][:2] == ("blog.lab.test", reqs[0][0])
    assert weblog_look(text, "Which IP?").table.header[:2] == ("client", "ident")  # type: ignore[union-attr]
    lighttpd = text.replace(" - - [", " 127.0.0.1:8080 - [")
    assert weblog_look(lighttpd, "Which IP?").table.header[:2] == ("client", "vhost")  # type: ignore[union-attr]
