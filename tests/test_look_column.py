"""Which value of a log's lines comes up most, read by a sub-model in three lines and counted
with code (`recursor.look_column`, `LookReads.read_column`).

The text is shaped like `strace -f -tt -T` output, whose lines never say "system call": the
look cannot know which word is one, and a sub-model can."""

from __future__ import annotations

import random
import re
from collections import Counter

from tests.fakes.scripted_lm import FakeScriptedLM

from recursor import RLM, Limits
from recursor.look_column import _noun, column_ask, column_counted
from recursor.prompts import Prompts
from recursor.prompts_small import SmallModelPrompts
from recursor.sandbox.helpers import count_by, lines

CALLS = ["newfstatat"] * 55 + ["openat"] * 48 + ["close"] * 30 + ["read"] * 21 + ["mmap"] * 25 + ["rt_sigaction"] * 9


def _trace(seed: int = 3) -> tuple[str, Counter[str]]:
    """An strace-like log: a call per line, some unfinished and resumed, some exits."""
    rng = random.Random(seed)
    calls = CALLS[:]
    rng.shuffle(calls)
    out, counted = [], Counter[str]()
    for i, call in enumerate(calls):
        pid = 16615 + i % 4
        stamp = f"09:04:{36 + i // 100:02d}.{(i * 7919) % 1_000_000:06d}"
        if i % 17 == 5:
            out.append(f"{pid} {stamp} {call}(3, \"\",  <unfinished ...>")
            out.append(f"{pid} {stamp} <... {call} resumed>) = 0 <0.000020>")
        else:
            out.append(f'{pid} {stamp} {call}(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY) = 3 <0.000013>')
        counted[call] += 1
    out.append("16615 09:04:37.999999 +++ exited with 0 +++")
    return "\n".join(out) + "\n", counted


QUESTION = "Which system call shows up most often in this trace, counting each call once?"


def _call_of(line: str) -> str:
    m = re.match(r"\S+ \S+ (\w+)\(", line)
    return m.group(1) if m else "NONE"


def test_the_thing_asked_for_is_the_questions_words_up_to_its_verb() -> None:
    assert _noun(QUESTION) == "system call"
    assert _noun("Which client address sent the most queries?") == "client address"
    assert _noun("Which sensor device published the most messages?") == "sensor device"
    assert _noun("Which client sends the most queries?") == "client"
    assert _noun("Which media types are listed most?") == "media types"
    assert _noun("How many calls failed?") is None


def test_the_sub_models_words_are_counted_in_their_place_over_every_line() -> None:
    text, counted = _trace()
    ask = column_ask(text, QUESTION)
    assert ask is not None and ask.noun == "system call" and len(ask.lines) == 3
    assert all("<..." not in line and "+++" not in line for line in ask.lines)  # typical lines only
    result = column_counted(text, QUESTION, ask, [_call_of(line) for line in ask.lines])
    assert result is not None and result.counted == "newfstatat" == counted.most_common(1)[0][0]
    row = result.rows[0]
    assert "newfstatat 55" in row and "openat 48" in row and "column 2" in row
    # The call it shows gives the same counts through the REPL's helpers (resumed lines have none).
    call = re.search(r"count_by\(lines\(\), r'(.+)'\) counts them", row)
    assert call is not None
    assert count_by(lines(text=text), call.group(1), show=False) == counted


def test_a_question_that_may_say_more_is_not_ranked() -> None:
    text, _ = _trace()
    for question in ("Which system call failed most often?",  # a verb that may pick lines
                     "Which system call opened ld.so.cache most often?",  # words the text writes on some lines
                     "Which system call shows up most often after 09:04:37?",  # a time
                     "Which system call shows up second most often?",
                     "Which system call opened /etc/passwd?"):  # no ranking
        assert column_ask(text, question) is None, question
    assert column_ask("\n".join(text.splitlines()[:30]), QUESTION) is None  # too few lines to rank


def test_readings_that_disagree_or_a_place_of_mixed_things_or_a_tie_rank_nothing() -> None:
    text, _ = _trace()
    ask = column_ask(text, QUESTION)
    assert ask is not None
    good = [_call_of(line) for line in ask.lines]
    pid = ask.lines[1].split()[0]
    assert column_counted(text, QUESTION, ask, [good[0], pid, good[2]]) is None  # two places
    assert column_counted(text, QUESTION, ask, [good[0], "NONE", "NONE"]) is None  # one reading is no place
    assert column_counted(text, QUESTION, ask, ["AT_FDCWD", "AT_FDCWD", "AT_FDCWD"]) is None  # not at a column's start
    assert column_counted(text, QUESTION, ask, ["fstat", "fstat", "fstat"]) is None  # no line writes it
    tied = "\n".join(f"1 09:00:{i % 60:02d} {'read' if i % 2 else 'close'}(3) = 0" for i in range(80))
    ask = column_ask(tied, QUESTION)
    assert ask is not None and column_counted(tied, QUESTION, ask, ["read", "close", "read"]) is None
    mixed = "\n".join(f"09:00:{i % 60:02d} Peer {'sensor-' + str(i % 9) if i % 3 else '12 left'} x" for i in range(90))
    ask = column_ask(mixed, "Which client shows up most often?")
    assert ask is not None
    readings = [line.split()[2] for line in ask.lines]
    assert all(r.startswith("sensor-") for r in readings)  # typical lines: a sensor in column 2
    assert column_counted(mixed, "Which client shows up most often?", ask, readings) is None  # '12' on a third


def test_the_first_look_offers_the_top_value_a_small_root_can_take() -> None:
    text, counted = _trace()
    top = counted.most_common(1)[0][0]
    sub = FakeScriptedLM(default=lambda messages: _call_of(messages[-1]["content"].split("\n")[1]))
    root = FakeScriptedLM([f"FINAL({top})"])
    result = RLM(root, sub_model=sub, prompts=SmallModelPrompts(), limits=Limits(max_iterations=4),
                 trace_dir=False).complete(QUESTION, text)
    assert result.answer == top
    assert len(sub.calls) == 3 and all("What is this line's system call?" in c.messages[0]["content"]
                                       for c in sub.calls)
    first = root.calls[0].messages[-1]["content"]
    assert "Each line's system call" in first and f"FINAL({top})" in first
    # A capable model's run reads nothing before its first turn.
    sub = FakeScriptedLM(default="newfstatat")
    RLM(FakeScriptedLM(default="FINAL(x)"), sub_model=sub, prompts=Prompts(), trace_dir=False).complete(QUESTION, text)
    assert sub.calls == []


def _types_table() -> str:
    """A mime.types-like table: comments, then one media type a line, some with extensions."""
    head = ["# Media (MIME) types and the extensions that represent them.", "#",
            "# The types are listed one a line, extensions on the right.", ""]
    rows = []
    for i in range(120):
        kind = ("application", "audio", "image", "video")[i % 4]
        name = f"{kind}/x-thing{i}" + ("+xml" if i % 7 == 0 else "") + (".v2" if i % 11 == 0 else "")
        rows.append(name + (f"\t\t\tt{i} u{i}" if i % 3 else ""))
    return "\n".join(head + rows) + "\n"


def test_how_many_things_one_a_line_is_the_lines_that_fill_their_place_and_of_different_ones_their_values() -> None:
    text = _types_table()
    question = ("How many media types does this file define in total, counting every entry whether or not it maps "
                "to any filename extension?")
    ask = column_ask(text, question)
    assert ask is not None and ask.kind == "count" and ask.noun == "media type"
    assert all(not line.startswith("#") for line in ask.lines)
    readings = [line.split()[0] for line in ask.lines]  # each with its own marks: "/", "+", "."
    result = column_counted(text, question, ask, readings)
    assert result is not None and result.counted == "120" and "120 lines write one" in result.rows[0]
    call = re.search(r"count_by\(lines\(\), r'(.+)'\) counts them", result.rows[0])
    assert call is not None and sum(count_by(lines(text=text), call.group(1), show=False).values()) == 120
    # Read as a part of each ("application" of "application/x-thing1"), the place's values are
    # not one a line: no count is offered.
    assert column_counted(text, question, ask, [line.split("/")[0] for line in ask.lines]) is None
    ask = column_ask(text, "How many different media types are there?")
    assert ask is not None and ask.kind == "distinct"
    # A word that picks lines, "how many times", or a name the lines write as a value: no count.
    for question in ("How many video media types are there?", "How many media types have two extensions?",
                     "How many times is a media type listed?"):
        assert column_ask(text, question) is None, question
    log = "\n".join(f"2024-01-0{1 + i % 9} 10:00:{i % 60:02d} {'upgrade' if i % 2 else 'install'} pkg{i}:amd64"
                    for i in range(100))
    assert column_ask(log, "How many upgrades does this log record?") is None


def test_a_ranking_by_something_else_or_of_some_lines_only_is_not_read() -> None:
    # From a hostile review: each of these ranked the whole trace and offered its top call.
    text, _ = _trace()
    for question in ("Which system call had the most errors?", "Which system call produced the most failures?",
                     "Which system call shows up most often among successful calls?",
                     "Which system call shows up most often in the first half of the trace?",
                     "Which system call is the most expensive?",
                     "Which system call shows up most often, counting all calls that failed?",
                     "Which system call shows up most often, counting every call that returned ENOENT?"):
        assert column_ask(text, question) is None, question
    types = _types_table()
    assert column_ask(types, "How many media types does this file define, whether or not they have an extension "
                             "and only counting those under video?") is None


def test_lines_of_another_layout_a_copied_call_and_things_on_two_lines_are_not_miscounted() -> None:
    text, counted = _trace()
    # `strace -f` writes "[pid N]" before a child's calls only: column 2 is a call on the main
    # process's lines and column 3 on a child's.
    mixed = "\n".join(line if i % 3 else f"[pid {line.split()[0]}] " + line.split(" ", 1)[1]
                      for i, line in enumerate(text.splitlines()))
    ask = column_ask(mixed, QUESTION)
    assert ask is not None and not any(line.startswith("[pid") for line in ask.lines)  # the common layout
    main = Counter(c for line in mixed.splitlines() if not line.startswith("[pid") and (c := _call_of(line)) != "NONE")
    result = column_counted(mixed, QUESTION, ask, [_call_of(line) for line in ask.lines])
    assert result is not None and result.counted == main.most_common(1)[0][0]  # counted on lines laid out alike
    assert "O_RDONLY" not in result.rows[0] and "AT_FDCWD" not in result.rows[0]
    # A reply that copies the call with its arguments names the call.
    ask = column_ask(text, QUESTION)
    assert ask is not None
    whole = [line.split()[2] for line in ask.lines]  # "newfstatat(AT_FDCWD,"
    result = column_counted(text, QUESTION, ask, whole)
    assert result is not None and result.counted == counted.most_common(1)[0][0]
    # A service on a tcp and a udp line is one service: lines are not things, nothing is offered.
    services = "\n".join(f"svc{i}\t\t{1000 + i}/{proto}" for i in range(60) for proto in ("tcp", "udp"))
    ask = column_ask(services, "How many services does this file define?")
    assert ask is not None and column_counted(services, "How many services does this file define?", ask,
                                              [line.split()[0] for line in ask.lines]) is None
