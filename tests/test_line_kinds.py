"""The kinds of lines a question's word is on: a log's lines grouped by shape and counted."""

from __future__ import annotations

from recursor.line_kinds import kinds, kinds_told, line_shape
from recursor.orient import _question_words, orientation
from recursor.question import counted_verb


def _redis_log(accepted: int, closed: int) -> str:
    lines = ["812:M 06 Dec 2026 06:32:43.438 * Ready to accept connections"]
    for i in range(accepted):
        lines.append(f"812:M 06 Dec 2026 06:32:{44 + i % 10}.{i:03d} - Accepted 127.0.0.1:{54000 + i}")
        if i < closed:
            lines.append(f"812:M 06 Dec 2026 06:32:{45 + i % 10}.{i:03d} - Client closed connection id={i} "
                         f"addr=127.0.0.1:{54000 + i} fd={7 + i % 9} name= age={i % 3} cmd={'get' if i % 2 else 'ping'}")
    lines.append("812:M 06 Dec 2026 06:33:24.519 # Server initialized")
    return "\n".join(lines) + "\n"


def test_a_lines_shape_writes_what_varies_as_a_hash() -> None:
    a = line_shape('2026/12/06 06:27:48 [error] 5360#5360: *40 limiting requests, excess: 3.854 by zone "api"')
    b = line_shape('2026/12/06 06:28:01 [error] 5359#5359: *41 limiting requests, excess: 0.5 by zone "web"')
    assert a == b and "limiting requests, excess: # by zone #" in a
    assert line_shape("x fd=7 cmd=get") == line_shape("x fd=12 cmd=ping")  # a key=value's value varies
    assert line_shape("GET /api/item5 done") == line_shape("GET /static/x.css done")
    assert line_shape("malloc(32) = 0x562f9e2512a0") != line_shape("free(0x562f9e2512a0) = <void>")
    # A contraction is no quote; a date's day and month names vary like its numbers.
    assert line_shape("ERROR Can't open file 'alpha'") == "ERROR Can't open file #"
    assert line_shape("[Sun Dec 04 04:47:44 2005] [error] in error state 6") == \
        line_shape("[Mon Jan 05 04:47:44 2006] [error] in error state 7")


def test_a_long_line_is_shaped_from_its_start() -> None:
    # A line of letters and commas (a CSV row) was quadratic to shape: 6 s for 60 KB. Its
    # kind is told by its start, read alone.
    assert line_shape("ab," * 300_000) == ("ab," * 300_000)[:500]
    assert line_shape("x" * 600 + " 42") == "x" * 500


def test_kinds_are_counted_biggest_first_with_an_example_each() -> None:
    lines = [f"t{i} http write filter limit {i}" for i in range(54)] + \
            [f"t{i} limit_req[0]: {i} 0.000" for i in range(10)] + \
            [f"t{i} limiting requests, excess: {i}.5 by zone" for i in range(6)]
    rows = kinds_told("limit", lines, 160)
    assert rows[0] == "'limit' is on 70 lines of 3 kinds (the lines' shapes, counted):"
    assert rows[1].startswith("  54 lines like: t0 http write filter") and rows[3].startswith("  6 lines like: t0 limiting")


def test_no_kinds_for_few_lines_one_kind_or_prose() -> None:
    assert kinds_told("w", [f"a {i}" for i in range(30)], 160) == []  # one kind: its count says it
    assert kinds_told("w", ["a 1", "b 2", "a 3"], 160) == []  # few: the lines are shown whole
    prose = [f"{w} said the word here" for w in "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split()]
    assert kinds_told("w", prose + prose[:3], 160) == []  # little repeats: prose


def test_lines_that_each_start_with_the_word_are_one_statements_whatever_follows() -> None:
    # A header's declarations of its public calls: `XMLPARSEAPI(void)`, `XMLPARSEAPI(int)`.
    types = ["void", "int", "XML_Bool", "enum XML_Status", "XML_Parser", "const XML_LChar *"]
    lines = [f"XMLPARSEAPI({types[i % 6]})" for i in range(40)]
    assert kinds_told("XMLPARSEAPI", lines, 160) == []
    assert kinds_told("xmlparseapi", ["  " + line for line in lines], 160) == []  # indented, any case
    assert kinds_told("XMLPARSEAPI", [*lines, "#define XMLPARSEAPI(type) type"] * 2, 160) != []  # one elsewhere
    # A program's name that starts each line of its log is no call: its lines' kinds are told.
    npm = [f"npm http fetch GET 200 https://registry.npmjs.org/p{i} {i}ms (cache miss)" for i in range(20)]
    npm += [f"npm http cache p{i}@https://registry.npmjs.org/p{i}.tgz 1ms (cache hit)" for i in range(10)]
    assert kinds_told("npm", npm, 160) != []
    # logrus's `INFO[0000] ...` names a level, no call: its kinds are told.
    logrus = [f"INFO[{i:04d}] request {i} served" for i in range(20)] + [f"INFO[{i:04d}] cache miss" for i in range(20)]
    assert kinds_told("INFO", logrus, 160) != []


def test_the_rest_beyond_the_kinds_shown_is_summed() -> None:
    lines = [f"kind{k} {i}" for k in "abcdef" for i in range(5)]
    rows = kinds_told("w", lines, 160)
    assert rows[-1] == "  10 lines of 2 other kinds."


def test_the_count_s_verb() -> None:
    assert counted_verb("How many client connections did the Redis server accept over the whole log?") == "accept"
    assert counted_verb("Across all processes, how many times was malloc called?") == "called"
    assert counted_verb("How many tests failed?") == "failed"
    assert counted_verb("How many users are there?") is None
    assert counted_verb("Which user made the most calls?") is None
    assert counted_verb("How many errors are in the log?") is None  # a noun after "in", no verb
    assert counted_verb("How many connections did the server accept and close?") == "accept"
    assert counted_verb("How many times did nginx refuse a connection to the upstream?") == "refuse"  # not its object
    assert counted_verb("How many files did the user download the whole day?") == "download"
    # A verb that says the text wrote something is no event: the crawler's "log" lines are not its responses.
    assert counted_verb("How many responses did the crawler log from 06:32:00 through 06:32:05?") is None
    assert counted_verb("How many warnings did this build produce in total?") is None


def test_a_count_is_shown_the_kinds_of_its_verb_s_lines() -> None:
    # "accept" is on more lines than the words shown ("server", "client", "connections"), and
    # the lines that accept are one kind of them: 40, not the 41 that hold the word.
    look = orientation(_redis_log(40, 38), "How many client connections did the Redis server accept over the whole log?")
    assert "'accept' is on 41 lines of 2 kinds" in look.text
    assert "  40 lines like: 812:M 06 Dec 2026 06:32:44.000 - Accepted 127.0.0.1:54000" in look.text
    # Not for a question that does not count.
    plain = orientation(_redis_log(40, 38), "When did the Redis server accept its first connection?")
    assert "kinds (the lines' shapes" not in plain.text


def test_shapes_alike_but_for_a_name_are_one_kind_and_a_few_states_stay_apart() -> None:
    names = [f"pkg{c}" for c in "abcdefghijkl"]  # 12 names: a word of many values is a name
    lines = [f"2025-06-24 14:36:5{i % 10} status {state} lib{n}:amd64 1.{i}-2"
             for i, n in enumerate(names) for state in ("installed", "unpacked", "half-configured")]
    rows = kinds_told("status", lines, 160)
    assert rows[0] == "'status' is on 36 lines of 3 kinds (the lines' shapes, counted):"
    assert rows[1] == "  12 lines like: 2025-06-24 14:36:50 status installed libpkga:amd64 1.0-2"


def test_a_count_s_verb_is_searched_first() -> None:
    look = orientation(_redis_log(40, 38), "How many client connections did the Redis server accept over the whole log?")
    assert look.hint[0] == "accept" and "server" in look.hint  # the one line naming the server is not the count
    plain = orientation(_redis_log(40, 38), "Which client connection did the Redis server accept first?")
    assert plain.hint == plain.words and plain.hint[0] != "accept"  # not a count: the rarest first, as before


def test_two_forms_of_one_word_are_looked_up_once() -> None:
    text = "\n".join(f"item {i}: the label reads {i}" if i % 2 else f"item {i}: labels {i}" for i in range(30))
    look = orientation(text, "How many labels are there, counting each label once?")
    assert look.words.count("label") + look.words.count("labels") == 1


def test_a_word_the_text_writes_in_one_other_form_is_searched_as_written() -> None:
    # "refuse" over lines that say only "refused": told "refuse", the 1.5B searched for the
    # whole word and found no line.
    log = "".join(f"2026/01/02 10:00:{i % 60:02d} [error] 7#7: *{i} connect() failed (111: Connection refused) "
                  f"while connecting to upstream, request: \"GET /api/{i} HTTP/1.1\"\n" for i in range(30))
    log += "".join(f"2026/01/02 10:01:{i:02d} [info] 7#7: *{100 + i} client closed keepalive connection\n"
                   for i in range(20))
    look = orientation(log, "How many upstream connections did nginx refuse, of more than 8,000 requests?")
    assert look.hint[0] == "refused" and "refuse" in look.words  # the word as asked, the form as written
    assert "'000'" not in look.text and "000" not in look.words  # "8,000": one number, no word "000"
    words = _question_words("Which bodies were bigger than 100,000 bytes on ports 8080,8443?")
    assert "100" not in words and "000" not in words and {"8080", "8443"} <= set(words)  # a number; a list


def test_a_code_in_parentheses_is_searched_before_the_words_it_glosses() -> None:
    # "How many IPv6 address (AAAA) lookups did the client at 127.0.0.24 make?": the log writes
    # query[AAAA], and "NODATA-IPv6" on other lines; the lines of AAAA and the client are asked.
    rows = []
    for i in range(300):
        client = f"127.0.0.{20 + i % 5}"
        kind = "AAAA" if i % 3 == 0 else "A"
        rows.append(f"Dec  6 09:02:{i % 60:02d} dnsmasq[14]: {i} {client}/5{i:04d} query[{kind}] h{i % 7}.lan from {client}")
        if i % 10 == 0:
            rows.append(f"Dec  6 09:02:{i % 60:02d} dnsmasq[14]: {i} {client}/5{i:04d} config h{i % 7}.lan is NODATA-IPv6")
    log = "\n".join(rows) + "\n"
    look = orientation(log, "How many IPv6 address (AAAA) lookups did the client at 127.0.0.24 make?")
    gold = sum(1 for r in rows if "query[AAAA]" in r and r.endswith("from 127.0.0.24"))
    assert look.hint[:2] == ("AAAA", "127.0.0.24")
    assert f"'AAAA' and '127.0.0.24' on one line: {gold} lines" in look.text
    # A code on most lines (a log's time zone) is searched as its count says, not first.
    utc = log.replace(" dnsmasq[14]:", " UTC dnsmasq[14]:")
    assert orientation(utc, "At what time (UTC) did 127.0.0.24 first ask for h3.lan?").hint[0] != "UTC"


def test_a_spans_verb_is_not_searched_but_a_count_of_what_passed_is() -> None:
    # "seconds passed" asks how long; searched, "passed" found Dovecot's `passwd-file` lines.
    assert "passed" not in _question_words("How many seconds passed between the first and the last failed login?")
    assert "elapsed" not in _question_words("How much time has elapsed since the restart?")
    assert "passed" in _question_words("How many tests passed in the CSV suite?")
    # What the verb's cut shortens is not read at the offsets before it: "8,000" stays one number.
    assert _question_words("How many seconds passed before 8,000 bytes were sent?") == ["seconds", "bytes", "sent"]


def _shop_log() -> list[str]:
    users = ["erin", "bob", "carol", "dave", "alice"]
    lines = []
    for i in range(60):
        who = users[i % 5] if i % 3 else "erin"
        lines.append(f"[03:46:{i % 60:02d}] [INFO] order {1000 + i} placed by {who}: product {i * 7} x{i % 4 + 1}")
        if i % 2:
            lines.append(f"[03:47:{i % 60:02d}] [INFO] user {users[(i * 3) % 5]} logged in")
        if i % 4 == 0:
            lines.append(f"[03:48:{i % 60:02d}] [WARNING] rejected order from {users[i % 3]}: quantity {i}")
        if i % 6 == 0:
            lines.append(f"[03:49:{i % 60:02d}] [INFO] cart of {users[(i // 6) % 5]} emptied")
    return lines


def test_a_few_names_that_recur_in_unlike_lines_are_one_kind_counted_by_name() -> None:
    # Five users are five kinds to a merge that wants 8 values of a word; but the same names
    # fill one place of lines that are otherwise unlike, which a state's words do not.
    rows = kinds_told("", _shop_log(), 200, about="They are")
    assert rows[0] == "They are 115 lines of 4 kinds (the lines' shapes, counted):"
    assert rows[1].startswith("  60 lines like: [03:46:00] [INFO] order 1000 placed by erin: product 0 x1 (of them: erin 28, ")
    assert "bob 8" in rows[1] and rows[1].endswith(")")
    assert rows[2].startswith("  30 lines like: [03:47:01] [INFO] user ")
    assert rows[3].startswith("  15 lines like:") and "(of them: erin 5, bob 5, carol 5)" in rows[3]


def test_review_a_check_s_results_in_two_statements_stay_kinds() -> None:
    # "ok", "failed", "timeout", "degraded" end two statements: states, not names.
    results = ["ok", "failed", "timeout", "degraded"]
    lines = [f"10:00:{i % 60:02d} health check for db returned {results[i % 4]}" for i in range(40)]
    lines += [f"10:01:{i % 60:02d} probe result {results[i % 4]} after retry {i}" for i in range(40)]
    rows = kinds_told("", lines, 160, about="They are")
    assert "8 kinds" in rows[0] and "of them" not in " ".join(rows)


def test_a_levels_words_and_a_lone_statement_s_states_stay_kinds() -> None:
    # A message logged at three levels, twice: levels are capitals, not names.
    lines = [f"{lvl} conn {i} closed" for i in range(10) for lvl in ("ERROR", "WARN", "INFO")]
    lines += [f"{lvl} retry {i} of 3" for i in range(10) for lvl in ("ERROR", "WARN", "INFO")]
    assert kinds_told("", lines, 160, about="They are")[0].endswith("60 lines of 6 kinds (the lines' shapes, counted):")
    # dpkg's states vary in one statement only: they stay kinds, with no names told.
    states = [f"2025-06-24 14:36:5{i} status {s} lib{i}:amd64 1.{i}" for i in range(6)
              for s in ("installed", "unpacked", "half-configured")]
    rows = kinds_told("status", states, 160)
    assert "3 kinds" in rows[0] and "of them" not in "".join(rows)
    # Two words that vary together say nothing of which is a name: the kinds stay apart.
    grid = [f"{i} sent {t} mail to {e}@example.org" for i, (t, e) in
            enumerate((t, e) for t in ("welcome", "receipt", "reset") for e in ("ana", "dara", "li", "bo"))]
    assert "12 kinds" in kinds_told("", grid * 2, 160, about="They are")[0]


def test_a_debian_version_s_tilde_varies_with_its_numbers() -> None:
    assert line_shape("status installed libfoo:amd64 1.2~rc1-3") == line_shape("status installed libfoo:amd64 1.2-3")


def test_a_ranking_is_shown_the_names_of_its_rarest_word_s_lines_of_one_kind() -> None:
    # "quantity" is on the rejections alone, one kind; the names they write are the users that
    # other kinds of lines write too, and the question ranks them.
    text = "\n".join(_shop_log()) + "\n"
    look = orientation(text, "Whose orders got turned down most often because the quantity was wrong?")
    assert "'quantity' is on 15 lines of one kind (of them: erin 5, bob 5, carol 5)" in look.text
    # Whose: the name most of them write is offered when it leads alone.
    text_led = "\n".join([*_shop_log(), "[03:59:59] [WARNING] rejected order from carol: quantity 99"]) + "\n"
    assert orientation(text_led, "Whose orders got turned down most often because the quantity was wrong?").counted == "carol"
    assert orientation(text, "Whose orders got turned down most often because the quantity was wrong?").counted == ""  # a tie
    assert orientation(text_led, "How many orders got turned down because the quantity was wrong?").counted != "carol"
    assert orientation(text_led, "Whose orders got turned down most often in March 2024 for their quantity?").counted == ""
    # Not for a question that neither counts nor ranks, nor for "the most recent".
    assert "of one kind" not in orientation(text, "Whose order was turned down for its quantity first?").text
    assert "of one kind" not in orientation(text, "Whose most recent order was turned down for its quantity?").text
    # A ranking over lines of kinds that write no names is not told their kinds (a count is).
    lines = [f"t{i} http write filter limit {i}" for i in range(54)] + [f"t{i} limit_req[0]: {i} 0.000" for i in range(10)]
    ranked = orientation("\n".join(lines) + "\n", "Which limit was hit most often?").text
    assert "kinds (the lines' shapes" not in ranked
    assert "kinds (the lines' shapes" in orientation("\n".join(lines) + "\n", "How many times was the limit hit?").text


def test_a_name_of_capitalized_words_is_one_word_of_a_shape_and_a_month_is_whole() -> None:
    # "at Central Station" stands where "at Riverside" does: the lines are one kind.
    stations = ["Riverside", "Central Station", "Old Mill", "Lakeview", "North Market", "Union Square", "Stadium",
                "Tech Park", "Harbor Gate"]
    lines = [f"06:24:{i % 60:02d} INFO ride R{5000 + i} started: rider u{100 + i % 7} at {stations[i % 9]}" for i in range(45)]
    assert len({line_shape(x) for x in lines}) == 9 and len(set(kinds(lines)[0])) == 1
    # A month's or a day's name varies; a word that only starts like one ("Market", "Decimal") does not.
    assert line_shape("at North Market") != line_shape("at North Sept")
    assert line_shape("Decimal value") == "Decimal value" and line_shape("Mon Dec 04") == "# # #"
    # Only after a word in lower case, in Latin letters beyond ASCII too (review).
    assert line_shape("User Bob logged in") == "User Bob logged in"
    assert line_shape("ride to São Paulo") == "ride to São\u00a0Paulo"


def test_a_json_log_lines_kind_is_its_message_not_its_quoted_shape() -> None:
    rejected = '{"time": "2026-11-18T07:33:00Z", "level": "WARNING", "message": "sample rejected at reception", "sample": "NP-2"}'
    loaded = '{"time": "2026-11-18T07:34:00Z", "level": "WARNING", "message": "sample loaded", "sample": "NP-3"}'
    assert line_shape(rejected) != line_shape(loaded)
    assert line_shape(rejected).startswith("sample rejected at reception")
    assert line_shape('{"msg": "user 12 logged in", "t": 3}') == "user # logged in {msg t}"
    counts, _ = kinds([rejected, loaded, rejected.replace("NP-2", "NP-9")])
    assert sorted(counts.values()) == [1, 2]


def test_review_a_json_lines_own_message_not_one_nested_in_a_field() -> None:
    one = '{"msg": "job done", "job": {"message": "step 1 of 9"}, "t": 1}'
    other = '{"msg": "job done", "job": {"message": "step 7 of 9 retried"}, "t": 2}'
    assert line_shape(one) == line_shape(other) and line_shape(one).startswith("job done")
