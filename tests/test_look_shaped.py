"""Tokens of a known shape ranked by the lines that write them (`recursor.look_shaped`):
@-handles, e-mail addresses, IP addresses, for "which ... the most" questions."""

from __future__ import annotations

import random
from collections import Counter

from recursor.look_shaped import shaped_rank
from recursor.orient import orientation

HANDLES = ["terrelln", "Cyan4973", "felixhandte", "embg", "senhuang42"]


def _changelog(seed: int = 3) -> tuple[str, Counter[str]]:
    """A changelog crediting handles at the end of its lines, in either case, some lines two."""
    rng = random.Random(seed)
    lines, credited = ["v1.5.4 (Feb 2023)"], Counter[str]()
    for i in range(120):
        who = rng.choices(HANDLES, weights=[5, 4, 3, 2, 1], k=rng.choice([1, 1, 2]))
        names = sorted({w.lower() for w in who})
        credited.update(names)
        shown = ", ".join(f"@{w.upper() if i % 7 == 0 else w}" for w in names)
        lines.append(f"perf: faster path number {i} (#{3000 + i}, {shown})")
    lines.append("doc: contact maintainers at zstd@fb.com or @ the list")
    return "\n".join(lines) + "\n", credited


def test_the_handle_credited_on_the_most_lines_is_offered_counted_in_any_case() -> None:
    text, credited = _changelog()
    question = "Whose GitHub handle is credited on the most lines of this changelog? Give the handle."
    ranked = shaped_rank(text, question)
    top, n = credited.most_common(1)[0]
    assert ranked is not None and ranked.top.lower() == top
    assert ranked.rows[1] == f"The most: {ranked.top}, on {n:,} lines."
    look = orientation(text, question)
    assert look.counted.lower() == top and "@-handles on the lines" in look.text


def test_lines_are_kept_by_the_questions_other_words_and_amounts_or_fewest_are_left_alone() -> None:
    rng = random.Random(9)
    lines, refused = [], Counter[str]()
    for i in range(200):
        ip = f"10.0.0.{rng.choice([1, 1, 1, 2, 3, 4])}"
        if rng.random() < 0.3:
            ip = f"10.0.0.{rng.choice([2, 2, 3, 4])}"
            refused[ip] += 1
            lines.append(f"12:00:{i % 60:02d} client {ip}#5{i:03d}: query refused")
        else:
            lines.append(f"12:00:{i % 60:02d} client {ip}#5{i:03d}: query answered, {rng.randint(10, 900)} bytes")
    text = "\n".join(lines) + "\n"
    ranked = shaped_rank(text, "Which client IP address was refused most often?")
    assert ranked is not None and ranked.top == refused.most_common(1)[0][0]
    assert "that also write 'client' and 'refused'" in ranked.rows[0]
    # Bytes are an amount on the lines, not a count of them; the fewest may be cut; no shape named.
    assert shaped_rank(text, "Which IP address was sent the most bytes in total?") is None
    assert shaped_rank(text, "Which IP address was refused least often?") is None
    assert shaped_rank(text, "Which client was refused most often?") is None


def test_e_mail_addresses_are_not_handles_and_a_tie_offers_nothing() -> None:
    mails = ["ann@example.com", "raj@example.com", "bo@example.org"]
    text = "\n".join(f"to=<{mails[i % 3]}> status=sent @daily" for i in range(30)) + "\n"
    assert shaped_rank(text, "Which e-mail address received the most mail?") is None  # ten each: a tie
    text += "to=<raj@example.com> status=sent\n"
    ranked = shaped_rank(text, "Which e-mail address received the most mail?")
    assert ranked is not None and ranked.top == "raj@example.com"
    # The addresses' hosts are no @-handles; "@daily" is the one handle, on every line: no ranking.
    assert shaped_rank(text, "Which handle is mentioned the most?") is None


def test_no_ranking_for_a_verb_a_modifier_two_addresses_a_line_or_a_word_inside_a_name() -> None:
    """From a hostile review: each of these offered a wrong value."""
    assert shaped_rank("@Override\n" * 6 + "@Test\n", "Which class handles the most events?") is None
    mbox = "From: <ann@a.com>\nSubject: hi\n" * 6 + "From: <bo@b.com>\n"
    assert shaped_rank(mbox, "Which email subject appears most often?") is None
    upstream = "\n".join(f'upstream timed out, client: 10.0.0.{i % 4}, upstream: "http://127.0.0.1:8080/"'
                         for i in range(60))
    assert shaped_rank(upstream, "Which client IP address had the most upstream timeouts?") is None
    # "requests" is what is ranked, and a word inside `python-requests/2.31`: no condition.
    log = "\n".join(f"conn from 10.0.0.{1 if i % 3 else 2}" for i in range(290)) + "\n"
    log += "\n".join("conn from 10.0.0.9 agent=python-requests/2.31" for _ in range(8)) + "\n"
    ranked = shaped_rank(log, "Which IP address made the most requests?")
    assert ranked is not None and ranked.top == "10.0.0.1"


def _catalogue() -> tuple[str, Counter[str]]:
    """A gettext catalogue: each message's `#:` line names the source files it comes from,
    a file once or several times, some messages from two files; a message's text mentions a
    file now and then."""
    rng = random.Random(5)
    files = ["cmd/build.py", "builders/html/__init__.py", "roles.py", "ext/apidoc/_cli.py"]
    lines, named = ['# Translations template for Sphinx.', 'msgid ""', 'msgstr ""', ""], Counter[str]()
    for i in range(150):
        picked = sorted(set(rng.choices(files, weights=[6, 4, 3, 2], k=rng.choice([1, 1, 1, 2]))))
        named.update(picked)
        refs = " ".join(f"{f}:{rng.randint(10, 900)}" for f in picked for _ in range(rng.choice([1, 2])))
        about = " about conf.py" if i % 5 == 0 else ""
        lines += [f"#: {refs}", f'msgid "message {i}{about}"', 'msgstr ""', ""]
    return "\n".join(lines), named


def test_the_file_named_on_the_most_lines_is_offered_without_its_line_numbers() -> None:
    text, named = _catalogue()
    question = "Which Sphinx source file do the most messages in this catalogue come from?"
    ranked = shaped_rank(text, question)
    top, n = named.most_common(1)[0]
    assert ranked is not None and ranked.top == top, ranked
    assert ranked.rows[1] == f"The most: {top}, on {n:,} lines."
    assert orientation(text, question).counted == top


def test_a_file_is_not_ranked_by_its_own_contents_size_or_inside_a_url() -> None:
    text, _ = _catalogue()
    for question in ("Which source file defines the most functions?", "Which file is the largest?",
                     "Which file has the most lines?", "Which file was changed most recently?"):
        assert shaped_rank(text, question) is None, question
    assert shaped_rank(text, "Which Sphinx source file do the most messages come from?", joined_files=True) is None
    # Lines set aside are not read here: nothing is offered.
    assert shaped_rank(text, "Leaving aside roles.py's messages, which source file do the most come from?") is None
    # Requests name files by their path; a page's address (after //host) names none.
    log = "\n".join(f'GET /static/{"app" if i % 3 else "site"}.js 200 ref=https://cdn.example.org/x.js'
                    for i in range(30))
    ranked = shaped_rank(log, "Which file was requested most often?")
    assert ranked is not None and ranked.top == "/static/app.js"
    assert "x.js" not in " ".join(ranked.rows)


def test_review_traceback_frames_and_a_place_below_the_first_offer_no_file() -> None:
    def tb(f: str, s: int) -> str:
        return (f"2024-01-01 10:00:{s:02d} ERROR Unhandled exception\nTraceback (most recent call last):\n"
                '  File "/usr/lib/python3.11/threading.py", line 1045, in _bootstrap_inner\n'
                '  File "/usr/lib/python3.11/threading.py", line 982, in run\n'
                f'  File "/srv/app/{f}", line 7, in work\nValueError: bad\n')
    log = "".join(tb(f, i) for i, f in enumerate(["worker.py", "worker.py", "api.py", "db.py", "worker.py"]))
    assert shaped_rank(log, "Which source file do the most errors come from?") is None
    acc = "".join(f'10.0.0.{i} - - [01/Jan/2024:10:00:{i:02d}] "GET /static/{f} HTTP/1.1" 200 512\n'
                  for i, f in enumerate(["app.js", "app.js", "app.js", "vendor.js", "main.css", "main.css", "logo.png"]))
    assert shaped_rank(acc, "Which file was requested the most?").top == "/static/app.js"  # type: ignore[union-attr]
    assert shaped_rank(acc, "Which file was requested the second most?") is None
