"""The look at a log's lines in a window of the day (`look_times.times_look`)."""

from __future__ import annotations

import random

import recursor.sandbox.helpers as helpers
from recursor.look_times import times_look
from recursor.orient import orientation


def _rows(text: str, question: str) -> list[str]:
    look = times_look(text, question, 120)
    return look.rows if look is not None else []


def _crawl_log(seed: int = 4) -> tuple[str, list[tuple[int, str]]]:
    """A crawler's log written for this test: a response line and an item line per page, and
    item bodies with no time between them."""
    rng = random.Random(seed)
    lines, stamped = ["Crawl started (bot: testbot)"], []
    for i in range(400):
        second = 10 * 60 + i // 3
        stamp = f"2026-01-02 06:{second // 60:02d}:{second % 60:02d}"
        lines.append(f"{stamp} [engine] DEBUG: Crawled ({rng.choice([200, 404])}) <GET http://h/p{i}>")
        stamped.append((second, "Crawled"))
        if i % 2:
            lines.append(f"{stamp} [scraper] DEBUG: Scraped from <200 http://h/p{i}>")
            lines.append(f"{{'path': '/p{i}', 'bytes': {rng.randint(10, 9000)}}}")
            stamped.append((second, "Scraped"))
    return "\n".join(lines) + "\n", stamped


def test_a_window_of_the_day_is_counted_and_its_lines_told_by_kind() -> None:
    text, stamped = _crawl_log()
    question = "How many responses did the crawler log from 06:11:00 through 06:11:20, inclusive?"
    inside = [kind for second, kind in stamped if 11 * 60 <= second <= 11 * 60 + 20]
    rows = _rows(text, question)
    assert rows[0].startswith(f"{len(inside)} of its {len(stamped)} timed lines are from 06:11:00 through 06:11:20")
    assert f"  {inside.count('Crawled')} lines like:" in "\n".join(rows) and "Crawled (" in rows[2]
    call = rows[0].split("(", 1)[1].rsplit(" gives", 1)[0]
    timed = [x for x in text.split("\n") if x.strip()]
    assert eval(call, {"in_dates": helpers.in_dates, "lines": lambda: timed}) == [
        x for x in timed if "06:11:00" <= x[11:19] <= "06:11:20"]
    assert "timed lines are from 06:11:00 through 06:11:20" in orientation(text, question).text


def test_a_minute_covers_its_seconds_and_other_questions_get_no_window() -> None:
    text, stamped = _crawl_log()
    rows = _rows(text, "How many lines were logged between 06:11 and 06:12?")
    assert rows and rows[0].startswith(f"{sum(11 * 60 <= s < 13 * 60 for s, _ in stamped)} of its")
    assert _rows(text, "What was logged from 06:11 to 06:12?") == []  # no count asked
    assert _rows(text, "How many responses had status 404?") == []  # no window
    prose = "\n".join(f"Meeting notes line {i}, nothing timed here." for i in range(50)) + "\nAt 06:11 we met.\n"
    assert _rows(prose, "How many notes from 06:00 to 07:00?") == []  # not a log of timed lines


def test_a_window_whose_end_is_left_out_stops_just_before_it() -> None:
    text, stamped = _crawl_log()
    before = sum(11 * 60 <= s < 11 * 60 + 20 for s, _ in stamped)
    for question in ("How many lines were logged from 06:11:00 up to, but not including, 06:11:20?",
                     "How many lines were logged between 06:11:00 and 06:11:20 (from 06:11:00, before 06:11:20)?",
                     "How many lines were logged from 06:11:00 until before 06:11:20?"):
        rows = _rows(text, question)
        assert rows[0].startswith(f"{before} of its {len(stamped)} timed lines are from 06:11:00 through 06:11:19"), question
    minutes = _rows(text, "How many lines were logged from 06:11 up to but not including 06:13?")
    assert minutes[0].startswith(f"{sum(11 * 60 <= s < 13 * 60 for s, _ in stamped)} of its")
    assert "from 06:11 through 06:12 " in minutes[0]
    # Both ends said and included: as before.
    assert "through 06:11:20" in _rows(text, "How many lines were logged from 06:11:00 to 06:11:20?")[0]


def test_a_window_that_crosses_midnight_keeps_both_ends_of_the_day() -> None:
    timed = [f"2026-01-02 {h:02d}:{m:02d}:00 tick {i}" for i, (h, m) in enumerate(
        [(23, 40), (23, 55), (0, 0), (0, 5), (0, 20), (12, 0)])]
    assert [x.split()[-1] for x in helpers.in_dates(timed, "23:50", "00:10")] == ["1", "2", "3"]
    assert helpers.in_dates(timed, "00:00", "00:10") == timed[2:4]  # not crossing: as before
    lines = ["startup done"] + timed * 3
    rows = _rows("\n".join(lines) + "\n", "How many ticks were logged from 23:50:00 up to, but not including, 00:00:00?")
    assert rows[0].startswith("3 of its 18 timed lines are from 23:50:00 through 23:59:59")


def test_the_count_s_verb_on_one_kind_of_the_window_s_lines_is_counted() -> None:
    # "How many responses were crawled ...": "Crawled" is on the window's lines of one kind.
    text, stamped = _crawl_log()
    inside = sum(1 for second, kind in stamped if 11 * 60 <= second <= 11 * 60 + 20 and kind == "Crawled")
    look = times_look(text, "How many pages were crawled from 06:11:00 through 06:11:20?", 120)
    assert look is not None and look.counted == str(inside)
    assert look.start == "in_dates(lines(r'\\bcrawled\\b'), '06:11:00', '06:11:20')"
    timed = [x for x in text.split("\n") if x.strip()]
    got = eval(look.start, {"in_dates": helpers.in_dates, "lines": lambda rx: [x for x in timed if __import__("re").search(rx, x, 2)]})
    assert len(got) == inside  # the call gives the number counted
    assert look.rows[-1] == f"{inside} of them, all of one kind, write 'crawled': {look.start} gives them."
    # A count that says more ("by bob", "not") computes nothing (review).
    for said in ("How many pages were crawled by testbot from 06:11:00 through 06:11:20?",
                 "How many pages were not crawled from 06:11:00 through 06:11:20?"):
        look = times_look(text, said, 120)
        # It starts from the window's lines: its two ends are no words to search.
        assert look is not None and look.counted == "" and look.start == "in_dates(lines(), '06:11:00', '06:11:20')", said
    # A verb on lines of two kinds (or none) computes nothing.
    mixed = text.replace("Scraped from", "crawled again")
    look = times_look(mixed, "How many pages were crawled from 06:11:00 through 06:11:20?", 120)
    assert look is not None and look.counted == "" and look.start == "in_dates(lines(), '06:11:00', '06:11:20')"


def test_a_verb_the_log_writes_as_a_protocol_command_is_counted_by_that_command() -> None:
    # "uploaded to the server" of an FTP server's log, which writes `STOR` for each upload.
    rng = random.Random(7)
    lines = []
    for i in range(200):
        verb = rng.choice(["STOR", "RETR", "CWD", "DELE"])
        lines.append(f"[I 2026-12-07 08:5{i // 60}:{i % 60:02}] 127.0.0.5{i % 3}:4{i:04}-[dana] {verb} /srv/d/f{i}.png 250")
    text = "\n".join(lines) + "\n"
    inside = [x for x in lines[70:130] if " STOR " in x]
    look = times_look(text, "How many files were uploaded to the server from 08:51:10 up to, but not including, 08:52:10?", 120)
    assert look is not None and look.counted == str(len(inside))
    assert look.start == "in_dates(lines(r'\\bSTOR\\b'), '08:51:10', '08:52:09')"
    assert look.rows[-1].startswith(f"{len(inside)} of them, all of one kind, write 'STOR' (the question's 'uploaded'):")
    # Uploads by one user say more than the window's count: nothing computed.
    look = times_look(text, "How many files did dana upload from 08:51:10 up to, but not including, 08:52:10?", 120)
    assert look is not None and look.counted == ""


def test_a_verb_written_as_another_word_of_its_group_is_counted_or_told_by_its_kinds() -> None:
    # "successfully saved" of a hub whose log writes "INFO: stored tmp-101 #9: ... in <room>":
    # one event whatever room ends it, counted; with "already stored" lines too, each kind told.
    rooms = ["Server Room", "Lab B", "Archive", "Cold Store"]
    lines = [f"Main  2026-12-07 11:21:{i:02} +0000 INFO: stored tmp-{i} #{i}: 20.{i % 10} C in {rooms[i % 4]}"
             for i in range(40)]
    lines += [f"Main |2026-12-07 11:21:{i:02} +0000 INFO: 127.0.0.8{i % 3}:5{i:04} POST /readings 201" for i in range(40)]
    question = "How many sensor readings were successfully saved from 11:21:10 up to, but not including, 11:21:30?"
    look = times_look("\n".join(sorted(lines, key=lambda x: x[17:25])) + "\n", question, 160)
    assert look is not None and look.counted == "20" and look.start == "in_dates(lines(r'\\bstored\\b'), '11:21:10', '11:21:29')"
    lines += [f"Main  2026-12-07 11:21:{i:02} +0000 INFO: hum-{i} seq {i} already stored; ignored" for i in range(10, 13)]
    look = times_look("\n".join(sorted(lines, key=lambda x: x[17:25])) + "\n", question, 160)
    assert look is not None and look.counted == ""
    told = look.rows[look.rows.index("23 of them write 'stored' (the question's 'saved'), in 2 kinds of line (up to it):"):]
    assert told[1].startswith("  20 like: Main  2026-12-07 11:21:10 +0000 INFO: stored tmp-10")
    assert told[2].startswith("  3 like: ") and told[2].endswith("already stored; ignored")


def test_review_a_window_written_the_wrong_way_round_is_read_the_right_way() -> None:
    timed = [f"10:0{m}:00 tick {m}" for m in range(8)]
    assert helpers.in_dates(timed, "10:05", "10:00") == helpers.in_dates(timed, "10:00", "10:05") == timed[:6]
    assert len(helpers.in_dates([*timed, "23:55:00 late", "00:05:00 early"], "23:50", "00:10")) == 2


def test_a_common_log_format_stamp_is_timed_and_a_windows_eight_kinds_are_told() -> None:
    # CherryPy, Apache and nginx write "[07/Dec/2026:08:47:00]": the time follows the year's colon.
    verbs = ("opened", "closed", "renewed", "held", "scanned", "listed", "stored", "deleted", "moved")
    lines = [f"[07/Dec/2026:08:{47 + i // 60:02d}:{i % 60:02d}] LIBRARY item {i} {verbs[i % 9]}{' x' * (i % 9)}"
             for i in range(180)]
    text = "\n".join(lines) + "\n"
    assert helpers._time_of(lines[0]) == 8 * 3600 + 47 * 60 and helpers._time_of("x 2026:08:47") is None
    rows = _rows(text, "How many items were stored from 08:47:00 up to, but not including, 08:48:00?")
    assert rows[0].startswith("60 of its 180 timed lines are from 08:47:00 through 08:47:59")
    told = [r for r in rows if r.startswith("  ") and "lines like:" in r]
    assert len(told) == 8 and "  6 lines of 1 other kinds." in rows


def test_review_a_count_whose_noun_is_qualified_by_a_word_the_log_writes_computes_nothing() -> None:
    # "How many PNG images were stored": not every stored line; a word the log never writes
    # ("sensor", "new") selects no line and leaves the count as it is.
    log = "".join(f"10:{i:02}:00 INFO stored item-{i} photo{i}.{'png' if i % 3 == 0 else 'txt'}\n" for i in range(60))
    window = " between 10:00 and 10:30?"
    assert times_look(log, "How many PNG images were stored" + window, 100).counted == ""
    for said in ("How many items were stored", "How many new items were stored", "How many sensor items were stored",
                 "How many were stored"):
        assert times_look(log, said + window, 100).counted == "31", said



def test_a_window_s_ends_are_never_the_words_to_search_first() -> None:
    # Told to search "06:11:00" and "06:11:20", a root finds two seconds of the window: it
    # starts from the window's own lines instead, whatever it counts in them.
    text, _ = _crawl_log()
    look = orientation(text, "How many responses with a 404 did the crawler log from 06:11:00 through 06:11:20?")
    assert look.start == "in_dates(lines(), '06:11:00', '06:11:20')"
    assert "06:11:00" not in look.hint and "06:11:20" not in look.hint


def _socket_log(seed: int = 3) -> tuple[str, int]:
    """A socket server's log written for this test: each connection opened is logged twice
    (a DEBUG state line and an INFO line), clients send JSON frames that write "open", and an
    auction's lots are "opened" too. Returns the log and the connections opened from
    10:00:10 through 10:00:39."""
    rng = random.Random(seed)
    lines, opened = [], 0
    for i in range(300):
        stamp = f"2026-01-02 10:00:{i // 5:02d},{rng.randint(100, 999)}"
        roll = rng.random()
        if roll < 0.3:
            lines += [f"{stamp} DEBUG ws.server: = connection is OPEN", f"{stamp} INFO ws.server: connection open"]
            opened += 10 <= i // 5 <= 39
        elif roll < 0.5:
            lines.append(f"{stamp} DEBUG ws.server: < TEXT '{{\"type\": \"open\", \"lot\": {i}}}' [30 bytes]")
        elif roll < 0.6:
            lines.append(f"{stamp} INFO auction: lot {i} opened")
        else:
            lines.append(f"{stamp} DEBUG ws.server: > TEXT '{{\"type\": \"bid\"}}' [15 bytes]")
    return "\n".join(lines) + "\n", opened


def test_one_event_two_statements_log_is_counted_once_and_quoted_payloads_are_no_event() -> None:
    text, opened = _socket_log()
    question = "How many WebSocket connections were established from 10:00:10 through 10:00:39?"
    look = times_look(text, question, 120)
    # "WebSocket" is written on none of the connections' lines: it selects none of them; the
    # frames' quoted "open" and the lots "opened" are not connections.
    assert look is not None and look.counted == str(opened)
    assert f"Each kind has {opened} lines" in look.rows[-1]
    # Two kinds of unequal counts are told, not counted.
    rows, changed = text.splitlines(), 0
    for i, row in enumerate(rows):
        if "connection is OPEN" in row and "10:00:10" <= row[11:19] <= "10:00:39" and changed < 3:
            rows[i], changed = row.replace("OPEN", "CLOSING"), changed + 1
    skewed = "\n".join(rows) + "\n"
    look = times_look(skewed, question, 120)
    assert look is not None and look.counted == ""


def _worker_log(seed: int = 11) -> tuple[str, int]:
    """A task worker's log: each failure is an ERROR line and a traceback whose last line,
    untimed, says what failed (a licensing timeout or a full disk); the count of licensing
    timeouts from 10:00:20 up to 10:00:50."""
    rng = random.Random(seed)
    lines, counted = [], 0
    for i in range(240):
        stamp = f"2026-12-07 10:00:{i // 4:02d},{i % 4 * 250:03d}"
        roll = rng.random()
        if roll < 0.3:
            what = rng.choice(["timeout", "timeout", "disk"])
            lines += [f"{stamp} ERROR [worker] Failed to process message clear_rights('EP-{i}') with unhandled exception.",
                      "Traceback (most recent call last):",
                      '  File "/srv/app/tasks.py", line 121, in clear_rights']
            if what == "timeout":
                lines += ['    raise LicensingTimeout(f"licensing service did not answer within 8s ({ep})")',
                          f"LicensingTimeout: licensing service did not answer within 8s (EP-{i})"]
                counted += 20 <= i // 4 < 50
            else:
                lines += ["    write(chunk)", "OSError: [Errno 28] No space left on device"]
        else:
            lines.append(f"{stamp} INFO [app] episode EP-{i} published to the service")
    return "\n".join(lines) + "\n", counted


def test_a_windows_records_are_counted_by_what_their_untimed_lines_write() -> None:
    text, counted = _worker_log()
    question = ("How many times did the music-licensing service fail to answer in time from 10:00:20 up to, "
                "but not including, 10:00:50?")
    look = times_look(text, question, 120)
    assert look is not None and look.counted == str(counted) and counted > 3
    assert any("'answer' and 'licensing' together on an untimed line" in row for row in look.rows)
    # Words that timed lines write as often are counted by the lines' kinds, not here.
    timed = text.replace("INFO [app] episode", "INFO [app] licensing answer for episode")
    assert times_look(timed, question, 120).counted != str(counted)  # type: ignore[union-attr]
    # No untimed line writes two of the question's words: nothing counted by records.
    assert times_look(text, "How many uploads were refused from 10:00:20 to 10:00:49?", 120).counted == ""  # type: ignore[union-attr]


def test_a_json_logs_verb_lines_are_told_when_the_question_says_more_than_the_count() -> None:
    lines, rejected = [], 0
    for i in range(120):
        message = "sample rejected at reception" if i % 7 == 0 else "sample received"
        rejected += message.endswith("reception") and i < 60
        lines.append(f'{{"time": "2026-11-18T10:{i // 2:02d}:00Z", "level": "INFO", "message": "{message}", '
                     f'"sample": "NP-{i}"}}')
    text = "\n".join(lines) + "\n"
    look = times_look(text, "How many samples did the lab refuse when they arrived, from 10:00 up to, but not "
                            "including, 10:30?", 120)
    assert look is not None and look.counted == ""
    assert f"{rejected} of them, all of one kind, write 'rejected' (the question's 'refuse')" in " ".join(look.rows)
