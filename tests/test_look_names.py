"""The look's ranking of the names built on a question's noun (`look_names.names_ranked`)."""

from __future__ import annotations

import random
import re
from collections import Counter

import recursor.sandbox.helpers as helpers
from recursor.look_names import names_ranked
from recursor.orient import orientation


def _broker_log(seed: int = 3) -> tuple[str, Counter[str]]:
    """An MQTT broker's log written for this test: devices connect, publish and are sent
    messages; topics under `sensors/` are no device."""
    rng = random.Random(seed)
    devices = [f"sensor-{i:02d}" for i in range(1, 9)]
    published: Counter[str] = Counter()
    lines = ["2026-12-06T09:00:33: mosquitto version 2.0.11 starting"]
    for i in range(600):
        who = rng.choice(devices)
        if i % 3 == 0:
            lines.append(f"2026-12-06T09:01:{i % 60:02d}: New client connected from 127.0.0.1:{5000 + i} as {who} (p2).")
        elif i % 3 == 1:
            published[who] += 1
            lines.append(f"2026-12-06T09:01:{i % 60:02d}: Received PUBLISH from {who} (d0, q0, 'sensors/line1', ...)")
        else:
            lines.append(f"2026-12-06T09:01:{i % 60:02d}: Sending PUBLISH to dash-main (d0, q1, 'sensors/line1', ...)")
    return "\n".join(lines) + "\n", published


def test_names_built_on_the_noun_are_counted_over_the_lines_of_the_other_word() -> None:
    text, published = _broker_log()
    question = "Which sensor device published the most messages to the broker?"
    rows, counted = names_ranked(text, question, ["message", "publish", "sensor"])
    (top, n), (_, second) = published.most_common(2)
    assert n > second and counted == top
    assert rows[0].startswith(f"The lines holding 'publish', by the sensor name on them: {top} {n},")
    call = rows[0].rsplit(" (", 1)[1].rsplit(" gives", 1)[0]
    found = {"lines": lambda p: [x for x in text.split("\n") if re.search(p, x, re.IGNORECASE)],
             "count_by": lambda items, key: Counter(v for x in items if (v := helpers._key_fn(key)(x)) is not None)}
    assert eval(call, found) == published  # the call counts what the look counted
    assert orientation(text, question).counted == top


def test_no_ranking_without_names_or_without_most() -> None:
    text, _ = _broker_log()
    assert names_ranked(text, "Which sensor device published a message first?", ["publish"]) == ([], "")
    plain = text.replace("sensor-", "node")  # no name built on "sensor"; "sensors/line1" is a topic
    assert names_ranked(plain, "Which sensor published the most messages?", ["publish"]) == ([], "")
    tied = "\n".join(["Received PUBLISH from sensor-1", "Received PUBLISH from sensor-2"] * 5)
    rows, counted = names_ranked(tied, "Which sensor published the most?", ["publish"])
    assert rows and counted == ""  # a tie names no one


def test_a_filter_keeps_the_names_whose_count_of_the_events_lines_the_bound_holds() -> None:
    from recursor.look_names import names_filtered

    rows = []
    for show, n in (("SH-219", 3), ("SH-212", 2), ("SH-230", 1)):
        rows += [f"12:00:0{i} WARNING [desk] rights refused: episode=EP-{i} show={show} reason=over plan" for i in range(n)]
        rows += [f"12:01:0{i} INFO [desk] rights cleared: episode=EP-{i} show={show}" for i in range(4)]
    text = "\n".join(rows) + "\n"
    look, kept = names_filtered(text, "Which show was refused music-rights clearance more than twice?", ["refused", "rights"])
    assert kept == "SH-219" and "SH-219 3, SH-212 2, SH-230 1" in look[0] and "1 has more than 2" in look[0]
    assert names_filtered(text, "Which show was refused at least twice?", ["refused"])[1] == ""  # two shows: told, not offered
    assert names_filtered(text, "Which show was refused exactly once?", ["refused"])[1] == "SH-230"
    # A name built on the noun (`sensor-02`), no field; not a ranking ("the most"), nor a question with no bound.
    sensors = "\n".join(f"PUBLISH from sensor-0{k} dropped" for k in (1, 1, 1, 2, 3)) + "\n"
    assert names_filtered(sensors, "Which sensor had a message dropped more than twice?", ["dropped"])[1] == "sensor-01"
    assert names_filtered(text, "Which show was refused the most, more than twice?", ["refused"]) == ([], "")
    assert names_filtered(text, "Which show was refused?", ["refused"]) == ([], "")


def test_a_verb_of_the_questions_group_is_found_in_its_irregular_past_and_filters_by_it() -> None:
    """"Which member settled their fines more than once" where the log writes `fine paid:`:
    "pay" is "settle"'s group, found as written ("paid"), and its lines are counted by member,
    not those of "fines" (an overdue return writes `fine=2.25` for every member)."""
    rng = random.Random(4)
    payers = ["M-2017", *(f"M-20{k}" for k in range(18, 28)), "M-2017"]  # M-2017 twice, ten others once
    lines, paid = [], Counter[str]()
    for i in range(300):
        if i % 25 == 5 and payers:
            who = payers.pop()
            paid[who] += 1
            lines.append(f"12:{i // 60:02d}:{i % 60:02d} INFO [library] fine paid: member={who} amount=1.75")
            lines.append(f'12:{i // 60:02d}:{i % 60:02d} INFO [http] "POST /fines/pay HTTP/1.1" 200 -')
        else:
            who = f"M-20{rng.randint(10, 30)}"
            lines.append(f"12:{i // 60:02d}:{i % 60:02d} INFO [library] return: member={who} late_days=3 fine=0.75 fines")
    text = "\n".join(lines) + "\n"
    [(top, n)] = paid.most_common(1)
    assert n >= 2 and sum(1 for c in paid.values() if c > 1) == 1
    look = orientation(text, "Which member settled their library fines on more than one occasion?")
    assert look.counted == top, look.text
    assert "'pay' (the question's 'settled')" in look.text and "written 'paid' 12, 'pay' 12" in look.text
