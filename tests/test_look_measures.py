"""The look at a log's measured values (`look_measures.measures_look`)."""

from __future__ import annotations

import random
import re

import pytest

import recursor.sandbox.helpers as helpers
from recursor.look_measures import measures_look
from recursor.orient import orientation

_KINDS = ["SELECT 1;", "BEGIN;", "COMMIT;", "UPDATE t SET a = 1;", "VACUUM t;"]


def _log(seed: int = 9) -> tuple[str, list[tuple[float, str]]]:
    """A server log written for this test: a duration and a statement on most lines."""
    rng = random.Random(seed)
    lines, timed = [], []
    for i in range(400):
        if i % 17 == 0:
            lines.append(f"2026-01-01 10:00:{i % 60:02d} UTC [{100 + i}] LOG:  connection received: host=[local]")
            continue
        ms = round(rng.expovariate(2.0), 3)
        statement = f"{rng.choice(_KINDS)[:-1]} /* {i} */;"
        timed.append((ms, statement))
        lines.append(f"2026-01-01 10:00:{i % 60:02d} UTC [{100 + i}] app@db LOG:  duration: {ms:.3f} ms  "
                     f"statement: {statement}")
    return "\n".join(lines) + "\n", timed


def _run(call: str, text: str) -> object:
    """What the look's call gives over the text, as the root's REPL runs it."""
    found = {"lines": lambda p: [x for x in text.split("\n") if re.search(p, x, re.IGNORECASE)],
             "to_number": helpers.to_number}
    return eval(call, found)


def test_a_bound_in_another_unit_counts_the_lines_past_it() -> None:
    text, timed = _log()
    gold = sum(ms > 1 for ms, _ in timed)
    look = measures_look(text, "How many of the statements in this log took more than one millisecond to execute?")
    assert look is not None and look.counted == str(gold)
    call = look.rows[-1].split(": ", 1)[1].rsplit(" gives", 1)[0]
    assert _run(call, text) == gold
    gold = sum(ms > 0.5 for ms, _ in timed)  # 0.0005 seconds is 0.5 ms
    assert measures_look(text, "How many statements took over 0.0005 seconds?").counted == str(gold)  # type: ignore[union-attr]


def test_the_longest_line_answers_which_statement_by_its_label() -> None:
    text, timed = _log()
    top = max(timed)
    look = measures_look(text, "Which single SQL statement took the longest to execute?")
    assert look is not None and look.counted == top[1]
    assert orientation(text, "Which single SQL statement took the longest to execute?").counted == top[1]


@pytest.mark.parametrize("question", [
    "How many statements by user alice took over 2 ms?",  # "alice" picks some lines out
    "How many statements took between 1 and 2 ms?",  # no single bound
    "Which failed statement took the longest?",
    "How many connections were received?",  # no measure asked about
])
def test_a_question_saying_more_than_the_measure_is_not_offered(question: str) -> None:
    text, _ = _log()
    look = measures_look(text, question)
    assert look is None or look.counted == ""


def test_a_size_is_not_a_time() -> None:
    text = "".join(f"GET /f{i} size=1{i % 9}00 bytes status=200\n" for i in range(60))
    assert measures_look(text, "How many requests took more than 1 second?") is None
    gold = sum(int(f"1{i % 9}00") > 1000 for i in range(60))
    look = measures_look(text, "How many lines had a size above 1 kB?")
    assert look is not None and look.counted == str(gold)
    # "requests" the lines do not label: the count is shown, not offered.
    look = measures_look(text, "How many requests had a size above 1 kB?")
    assert look is not None and look.counted == "" and f"Of them, {gold} have size > 1000 bytes" in look.rows[-1]


def test_mixed_units_thousands_and_negative_values() -> None:
    mixed = "".join(f"req {i} duration={850 + i % 50}ms\n" if i % 40 else f"req {i} duration=1.{i % 9}s\n"
                    for i in range(1000))
    assert measures_look(mixed, "How many lines have a duration over 1 second?") is None  # no one unit to compare in
    sizes = [1_204_332 + 7919 * i for i in range(40)]
    listing = "".join(f"file: f{i}.tar  size: {n:,} bytes\n" for i, n in enumerate(sizes))
    look = measures_look(listing, "Which file was the largest?")
    assert look is not None and look.counted == f"f{sizes.index(max(sizes))}.tar"  # "1,204,332" is no 1
    offsets = [round((i % 13) - 6.5, 1) for i in range(200)]
    clock = "".join(f"sync {i} offset: {x} ms\n" for i, x in enumerate(offsets))
    look = measures_look(clock, "How many lines had an offset below 1 ms?")
    assert look is not None and look.counted == str(sum(x < 1 for x in offsets))


def test_a_count_of_a_label_naming_few_things_is_no_count_of_lines() -> None:
    rng = random.Random(4)
    rows = [(rng.choice(["alice", "bob", "carol"]), rng.randint(1, 3000)) for _ in range(300)]
    log = "".join(f"request: GET /x/{i}  user: {u}  duration: {d} ms\n" for i, (u, d) in enumerate(rows))
    look = measures_look(log, "How many users had a request that took more than 1 second?")
    assert look is None or look.counted == ""  # 3 users write every line
    look = measures_look(log, "How many requests took more than 1 second?")
    assert look is not None and look.counted == str(sum(d > 1000 for _, d in rows))
    assert measures_look(log, "Which request took the second longest?") is None


def _eval_call(row: str, text: str) -> object:
    """What the call a look's row offers gives over the text."""
    call = row.split(": ", 1)[1].rsplit(" gives", 1)[0]
    found = {"lines": lambda p: [x for x in text.split("\n") if re.search(p, x, re.IGNORECASE)],
             "to_number": helpers.to_number}
    return eval(call, found)


def _server_log(seed: int = 3) -> tuple[str, list[int]]:
    """An error log written for this test: a body size on a few lines among many others."""
    rng = random.Random(seed)
    lines, bodies = [], []
    for i in range(600):
        if i % 23 == 5:  # 26 lines: too few to be picked by a word for size alone
            size = rng.choice([5000, 7999, 8000, 8001, 9000, 12_500])
            bodies.append(size)
            lines.append(f"2026/01/02 10:00:{i % 60:02d} [error] 17#17: *{i} client intended to send too large "
                         f"body: {size} bytes, client: 10.0.0.{i % 7}, request: \"POST /up HTTP/1.1\"")
        else:
            lines.append(f"2026/01/02 10:00:{i % 60:02d} [info] 17#17: *{i} client 10.0.0.{i % 7} closed "
                         f"keepalive connection")
    return "\n".join(lines) + "\n", bodies


def test_a_rare_measure_the_question_names_is_read_past_a_bound_written_with_commas() -> None:
    text, bodies = _server_log()
    assert 20 <= len(bodies) < 0.05 * 600
    gold = sum(b > 8000 for b in bodies)
    look = measures_look(text, "How many uploads did the server refuse for a request body bigger than 8,000 bytes?")
    assert look is not None and f"Of them, {gold} have body > 8000 bytes" in look.rows[-1]
    assert _eval_call(look.rows[-1], text) == gold
    look = measures_look(text, "How many request bodies were at least 8,001 bytes?")
    assert look is not None and f"Of them, {sum(b >= 8001 for b in bodies)} have" in look.rows[-1]
    few = "\n".join(text.split("\n")[:230])  # 10 body lines: too few to read a measure from
    assert measures_look(few, "How many request bodies were bigger than 8,000 bytes?") is None


def test_a_quoted_label_that_names_its_unit() -> None:
    rng = random.Random(8)
    sizes = [rng.randint(40, 900_000) for _ in range(120)]
    text = "".join(f"2026-01-02 10:00:00 [scraper] DEBUG: Scraped from <200 https://h/{i}>\n"
                   f"{{'path': '/f{i}', 'bytes': {n}, 'type': 'application/octet-stream'}}\n"
                   for i, n in enumerate(sizes)) + " 'downloader/response_bytes': 16025978,\n"  # another label
    look = measures_look(text, "How many of the scraped files were larger than 10,000 bytes?")
    assert look is not None and look.rows[0].startswith("120 lines write 'bytes', from")
    assert _eval_call(look.rows[-1], text) == sum(n > 10_000 for n in sizes)
    assert f"Of them, {sum(n > 10_000 for n in sizes)} have bytes > 10000 B" in look.rows[-1]


def _fetch_log(seed: int = 5, stray: str = "") -> tuple[str, list[tuple[int, str]]]:
    """A package manager's fetch log written for this test: a time with no label ends each line."""
    rng = random.Random(seed)
    lines, fetched = ["pm verbose cli starting"], []
    for i in range(200):
        ms = rng.randint(0, 4000)
        name = f"pkg{i}"
        fetched.append((ms, name))
        lines.append(f"pm http fetch GET 200 https://registry.example/{name}/-/{name}-1.0.{i}.tgz {ms}ms (cache miss)")
    lines.append(stray or "pm verbose exit 0")
    return "\n".join(lines) + "\n", fetched


def test_a_time_with_no_label_is_read_where_the_unit_follows_the_number() -> None:
    text, fetched = _fetch_log(stray="added 200 packages in 9s")  # one line in another unit
    gold = sum(ms < 2000 for ms, _ in fetched)
    look = measures_look(text, "How many of the downloads took less than 2 seconds?")
    assert look is not None and look.rows[0].startswith("200 lines write a number in ms with no label")
    assert f"Of them, {gold} have a value < 2000 ms" in look.rows[-1]
    assert _eval_call(look.rows[-1], text) == gold
    look = measures_look(text, "Which package took the longest to download?")
    assert look is not None and f"pkg{max(fetched)[1].removeprefix('pkg')}-" in look.rows[-1]


def test_times_with_no_label_in_two_units_are_not_compared() -> None:
    text, _ = _fetch_log()
    both = text + "".join(f"pm timing step{i} Completed in {i % 9}.5s\n" for i in range(60))
    assert measures_look(both, "How many steps took less than 2 seconds?") is None


def test_a_number_before_a_unit_is_read_as_a_log_writes_it() -> None:
    # Fields after commas are no thousands; a number glued to a letter is a name's ("k8s").
    rng = random.Random(11)
    times = [rng.randint(5, 3000) for _ in range(120)]
    csv = "".join(f"2024-01-02T10:00:{i % 60:02d}Z,GET,/api/{i},{rng.choice([200, 404])},{ms}ms\n"
                  for i, ms in enumerate(times))
    look = measures_look(csv, "How many requests took less than 1 second?")
    assert look is not None and f"Of them, {sum(t < 1000 for t in times)} have" in look.rows[-1]
    assert _eval_call(look.rows[-1], csv) == sum(t < 1000 for t in times)
    pulls = [round(rng.uniform(0.1, 9), 2) for _ in range(60)]
    text = "".join(f"kubelet pulled image k8s.gcr.io/app{i}:v1 in {s}s\n" for i, s in enumerate(pulls))
    look = measures_look(text, "How many images took more than 5 seconds to pull?")
    assert look is not None and _eval_call(look.rows[-1], text) == sum(s > 5 for s in pulls)
    # "1 second" and "3 seconds" are one unit.
    took = [rng.randint(1, 12) for _ in range(80)]
    text = "".join(f"job {i} finished in {n} second{'s' if n != 1 else ''}\n" for i, n in enumerate(took))
    look = measures_look(text, "How many jobs finished in under 3 seconds?")
    assert look is not None and _eval_call(look.rows[-1], text) == sum(n < 3 for n in took)


def test_two_units_of_a_kind_or_a_label_named_only_by_the_bound_give_no_look() -> None:
    # 285 lines in ms and 15 in s: the largest is in the few, so no one unit is read.
    mixed = "".join(f"req {i} done in {i % 900 + 0.5}ms\n" for i in range(285))
    mixed += "".join(f"req {i} done in {i % 9 + 1.5}s\n" for i in range(15))
    assert measures_look(mixed, "Which request took the longest?") is None
    # "larger than 10,000 bytes" names no label `bytes=` that 25 of 2,025 lines write.
    rng = random.Random(2)
    lines = [f"GET /f{i} size={rng.randint(10, 20_000)} status=200" for i in range(2000)]
    lines += [f"cache fill bytes={rng.randint(10, 20_000)}" for _ in range(25)]
    look = measures_look("\n".join(lines), "How many responses were larger than 10,000 bytes?")
    assert look is None or "bytes=" not in look.rows[-1]


def test_a_label_in_two_cases_and_a_dotted_label() -> None:
    rows = [f"t{i} {'Duration' if i % 50 == 0 else 'duration'}: {i % 7 * 0.5:.1f} ms" for i in range(100)]
    text = "\n".join(rows) + "\n"
    look = measures_look(text, "How many lines have a duration over 1 ms?")
    assert look is not None and _eval_call(look.rows[-1], text) == sum(i % 7 * 0.5 > 1 for i in range(100))
    json_lines = [f'{{"cache.bytes": {i * 7}, "bytes": {i * 100}}}' for i in range(80)]
    json_lines += [f'{{"cache.bytes": {i * 7}}}' for i in range(30)]
    text = "\n".join(json_lines) + "\n"
    look = measures_look(text, "How many responses had more than 5,000 bytes?")
    assert look is not None and _eval_call(look.rows[-1], text) == sum(i * 100 > 5000 for i in range(80))


def test_a_number_of_things_the_question_compares_is_read_after_the_number() -> None:
    # "At what time did the database hold the most keys?" over `DB 0: 8299 keys (2 volatile)`.
    rng = random.Random(6)
    counts = [rng.randint(1, 9000) for _ in range(30)]
    lines = []
    for i, n in enumerate(counts):
        lines.append(f"812:M 06 Dec 2026 06:{30 + i // 60:02d}:{i % 60:02d}.100 - DB 0: {n} key{'s' if n != 1 else ''}"
                     f" (0 volatile) in 4096 slots HT.")
        lines.append(f"812:M 06 Dec 2026 06:{30 + i // 60:02d}:{i % 60:02d}.200 - Accepted 127.0.0.1:{5000 + i}")
    text = "\n".join(lines) + "\n"
    look = measures_look(text, "At what time of day did the database hold the most keys?")
    top = max(range(30), key=lambda i: counts[i])
    assert look is not None and f"The largest, {counts[top]} keys, is on the line: " in look.rows[-1]
    assert f"06:30:{top:02d}.100" in look.rows[-1]
    look = measures_look(text, "How many reports showed more than 5,000 keys?")
    assert look is not None and _eval_call(look.rows[-1], text) == sum(n > 5000 for n in counts)
    # Not a word with no plural ("status"), nor the seconds of a time before it.
    status = "\n".join(f"2025-06-24 14:38:{i % 60:02d} status installed pkg{i}:amd64 1.{i}" for i in range(40))
    assert measures_look(status, "Which package reached the most status changes?") is None
    assert measures_look(status.replace(" status", " statuses"), "Which line has the most statuses?") is None
