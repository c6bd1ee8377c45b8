"""A question that asks to judge lines against options they never write (`recursor.judged`).

The texts are a shop's review log and a service's ticket queue, written here; the questions
are phrased as users phrase them. The options are meanings (a complaint, praise), so no word
search finds them: the look must say so and offer the labelling call over the right lines.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM, FunctionLM
from recursor.budget import Limits
from recursor.judged import field_keyword, grouping_field, judged, listed_options
from recursor.lm.base import Message
from recursor.orient import orientation
from recursor.prompts_small import SmallModelPrompts

SMALL = SmallModelPrompts(reads_the_look=False)

_SAID = [
    ("The kettle broke after two days and the lid never closed", "complaint"),
    ("Lovely toaster, browns evenly and looks great on the counter", "praise"),
    ("Does the blender come with a spare jug for smoothies", "question"),
    ("Arrived dented and support never answered my emails", "complaint"),
    ("Fast delivery and the mixer works perfectly every time", "praise"),
]
REVIEWS = "\n".join(
    f"2024-0{1 + i % 6}-{10 + i % 18:02d} | customer: c{100 + i % 7} | text: {_SAID[i % 5][0]} (order {5000 + i})"
    for i in range(60)
)
"""60 reviews: a date, a customer id and the review's prose; no line says what kind it is."""


def _truth(line: str) -> str:
    return next(kind for said, kind in _SAID if said in line)


def test_the_options_a_question_lists_are_read_as_users_write_them() -> None:
    assert listed_options("Each review is a complaint, praise or a question. How many are complaints?") == (
        "complaint", "praise", "question")
    assert listed_options("Label every message positive, negative or neutral. How many are negative?") == (
        "positive", "negative", "neutral")
    assert listed_options("Classify each ticket as bug, feature request, or question: which kind is most common?") == (
        "bug", "feature request", "question")
    assert listed_options("Every row has one category, out of: billing, shipping and returns, account access. "
                          "Which category has the fewest rows?") == ("billing", "shipping and returns", "account access")
    # Not options to judge: a list of names to look up, two options, the answer's own form.
    assert listed_options("Which of these packages, bash, dash, or zsh, was upgraded last?") == ()
    assert listed_options("Is each review praise or a complaint?") == ()
    assert listed_options('Are bugs more common than questions? Answer with "more", "less" or "same".') == ()


def test_a_judging_question_starts_from_classify_on_the_prose_field() -> None:
    question = "Each review is a complaint, praise or a question. How many complaints are there?"
    found = judged(REVIEWS, question)
    assert found is not None
    assert found.call == "labels = classify(lines(), 'complaint, praise, question', field='text')"
    look = orientation(REVIEWS, question)
    assert look.start == found.call
    assert "are written on 0 of 60 lines" in look.text
    assert "labels 60 lines, all of them (its 'text' only), with 60 sub-calls" in look.text
    # The options' words are not searched: a line holding "question" is not a question.
    assert "'question':" not in look.text and "'complaint'" not in look.text
    first = SMALL.first_message(question, "a str", look)
    assert f"Start from: {found.call}" in first


def test_the_lines_a_judging_question_names_are_the_ones_labelled() -> None:
    by_customer = judged(REVIEWS, "Each review is a complaint, praise, or a question. How many of the reviews "
                                  "by customer c103 are complaints?")
    assert by_customer is not None
    assert by_customer.call.startswith("labels = classify(lines(customer='c103'), ")
    assert "labels 9 lines, those whose customer is c103 (its 'text' only)" in by_customer.rows[1]
    # A period: the lines dated in it, as in_dates reads them.
    in_march = judged(REVIEWS, "Each review is a complaint, praise or a question. Which kind was most "
                               "common from 2024-03-01 to 2024-03-31?")
    assert in_march is not None
    assert in_march.call.startswith("labels = classify(in_dates(lines(), '2024-03-01', '2024-03-31'), ")
    assert "labels 10 lines, those dated 2024-03-01 to 2024-03-31" in in_march.rows[1]
    # A period nothing is dated in: no offer rather than a call that labels nothing.
    assert judged(REVIEWS, "Each review is a complaint, praise or a question. How many complaints "
                           "from 2020-01-01 to 2020-02-01?") is None


def test_options_the_lines_write_are_read_by_code_not_judged() -> None:
    log = "\n".join(f"10:00:{i:02d} {('ERROR', 'WARN', 'INFO')[i % 3]} worker {i} done" for i in range(60))
    question = "Every line has one category, out of: error, warn, info. Which category is most common?"
    assert listed_options(question) == ("error", "warn", "info")
    assert judged(log, question) is None
    assert "classify" not in orientation(log, question).text
    # A question that lists no options gets no labelling offer.
    assert judged(REVIEWS, "How many reviews mention the kettle?") is None


def test_the_offered_call_labels_the_named_lines_and_the_root_answers_from_the_counts() -> None:
    question = "Each review is a complaint, praise, or a question. How many reviews by customer c103 are complaints?"
    look = orientation(REVIEWS, question)
    asked: list[str] = []

    def sub(messages: Sequence[Message]) -> str:
        prompt = messages[-1]["content"]
        asked.append(prompt)
        return _truth(prompt)

    want = sum(1 for line in REVIEWS.splitlines() if "c103" in line and _truth(line) == "complaint")
    root = FakeScriptedLM([f"```repl\n{look.start}\n```", f"FINAL({want})"])
    result = RLM(root, sub_model=FunctionLM(sub), prompts=SMALL, limits=Limits(max_iterations=4)).complete(
        question, context=REVIEWS)
    assert result.answer == str(want)
    out = root.calls[1].messages[-1]["content"]
    assert "classify: 9 items (9 sub-calls)" in out and f"complaint: {want}" in out
    # Only the review's text went to the sub-model, never its date or customer id.
    assert asked and not any("customer" in p or "2024-" in p for p in asked)


def test_options_the_text_lists_above_its_lines_are_used_when_the_question_names_one() -> None:
    header = ("Customer feedback export. Each entry is one of these kinds: complaint, praise, question.\n"
              "The kind is not recorded.\n")
    question = "How many of the entries are complaints?"
    found = judged(header + REVIEWS, "Which kind of entry is the rarest?")
    assert found is not None and found.options == ("complaint", "praise", "question")
    assert found.call == "labels = classify(lines(), 'complaint, praise, question', field='text')"
    # "complaints" names an option; a question about something else gets no offer.
    assert judged(header + REVIEWS, question) is not None
    assert judged(header + REVIEWS, "How many entries mention the kettle?") is None


SYSLOG = "\n".join(
    f"Mar  {1 + i % 9} 10:{i % 60:02d}:07 web{i % 3} kernel: [{i}.5] eth0: link up, speed {100 * (1 + i % 3)} Mbps"
    for i in range(120)
)
CSV = "date,amount,category\n" + "\n".join(f"2024-05-{1 + i % 28:02d},{10 + i}.50,c{i % 4}" for i in range(80))
JSONL = "\n".join(
    json.dumps({"ts": f"Mon, 01 Apr 2024 10:{i % 60:02d}:00 +0000", "ua": "Mozilla/5.0 (X11; Linux x86_64) Firefox/124.0",
                "comment": _SAID[i % 5][0][:30] + f" #{i}", "user": f"u{i % 9}"})
    for i in range(50)
)


def test_lists_that_describe_the_text_get_no_labelling_offer() -> None:
    # A list after "has", "runs" or "from" names fields, hosts or senders, not kinds.
    assert judged(SYSLOG, "Each line has a timestamp, a host, and a message. How many link-ups happened on web1?") is None
    assert judged(SYSLOG, "Every host runs nginx, postgres, and redis. Which host logged the most?") is None
    assert judged(SYSLOG, "Each line is from web0, web1, or web2. Which host logged most?") is None
    # Options that are the text's own columns.
    assert judged(CSV, "The columns are date, amount, and category. What is the total amount?") is None
    # Options the lines write in another form (singular, upper case) are read by code.
    levels = "\n".join(f"[{('ERROR', 'WARNING', 'NOTICE')[i % 3]}] worker {i} finished step {i % 7}" for i in range(60))
    assert judged(levels, "Lines are errors, warnings, or notices. How many are errors?") is None
    # Lines long enough for lines() to read as sentences: no offer of a call that labels sentences.
    long_lines = "\n".join(f"Review {i}: " + "The product was fine overall and arrived on time. " * 60 for i in range(6))
    assert judged(long_lines, "Each review is a complaint, praise or a question. How many are complaints?") is None


def test_the_field_judged_is_prose_that_differs_from_line_to_line() -> None:
    question = "Each comment is a complaint, praise or a question. Which kind is most common?"
    found = judged(JSONL, question)
    # Not the browser string every line repeats, nor the date written in words.
    assert found is not None and found.call.endswith("field='comment')")
    # A number the question writes away from a field's name narrows nothing ...
    top = judged(JSONL, "Each comment is a complaint, praise or a question. Which user wrote the most complaints? "
                        "List the top 3.")
    assert top is not None and "classify(lines(), " in top.call
    # ... written beside it, it does.
    by_user = judged(JSONL, "Each comment is a complaint, praise or a question. How many complaints did user u3 write?")
    assert by_user is not None and by_user.call.startswith("labels = classify(lines(user='u3'), ")


def test_natural_phrasings_of_a_labelling_request_name_their_options() -> None:
    assert listed_options("Is each message positive, negative, or neutral?") == ("positive", "negative", "neutral")
    assert listed_options("Classify each ticket as bug/feature/question.") == ("bug", "feature", "question")
    assert listed_options("Label each email (spam, ham, newsletter).") == ("spam", "ham", "newsletter")
    assert listed_options("For each review, decide whether it is positive, negative or mixed.") == (
        "positive", "negative", "mixed")
    assert listed_options("Label each review positive, negative or neutral, and count each.") == (
        "positive", "negative", "neutral")
    assert listed_options("Each log line is an error, a warning or a notice, according to its message.") == (
        "error", "warning", "notice")
    assert listed_options("Tag each line as sports, politics, business and tech.") == (
        "sports", "politics", "business", "tech")
    # Names to look up, and a path, are no options.
    assert listed_options("The packages I care about are vim, git and curl. When was each last upgraded?") == ()
    assert listed_options("Which files under usr/share/doc mention each of gzip, bzip2, xz?") == ()


def test_a_filter_the_question_does_not_mean_exactly_is_not_offered() -> None:
    asks = "Each review is a complaint, praise or a question. "
    # The lines other than a customer's, and two customers, are not one customer's lines.
    others = judged(REVIEWS, asks + "How many complaints came from customers other than customer c103?")
    assert others is not None and "lines(), " in others.call and "all of them" in others.rows[1]
    two = judged(REVIEWS, asks + "How many complaints came from customer c103 or c104?")
    assert two is not None and "lines(), " in two.call


def test_lines_that_name_the_options_one_at_a_time_or_as_values_get_no_offer() -> None:
    dpkg = "\n".join(f"2024-05-{1 + i % 28:02d} 10:00:{i % 60:02d} upgrade {('vim', 'git', 'curl', 'libc6')[i % 4]}"
                     f":amd64 1.{i} 1.{i + 1}" for i in range(40)) + "\n" + "\n".join(
        f"2024-06-01 11:00:{i % 60:02d} status installed lib{i}:amd64 2.{i}" for i in range(400))
    assert judged(dpkg, "Each package is one of vim, git or curl. When was each last upgraded?") is None
    packages = "\n".join(f"Package: p{i} Section: {('contrib/net', 'non-free/libs', 'utils')[i % 3]} "
                         f"Description: a tool that does thing number {i} well" for i in range(60))
    assert judged(packages, "Each package is one of main, contrib or non-free: which section has the most?") is None
    access = "\n".join(f'10.0.0.{i % 9} - - [10/Oct/2023:13:{i % 60:02d}:36 -0700] "GET /p/{i}.html HTTP/1.1" '
                       f'{(200, 301, 404)[i % 3]} {100 + i}' for i in range(90))
    assert judged(access, "Each response is a success, a redirect, or an error. How many are errors?") is None


def test_one_month_the_question_names_is_the_period_labelled() -> None:
    found = judged(REVIEWS, "Each review is a complaint, praise or a question. How many complaints were there in March 2024?")
    assert found is not None and found.call.startswith("labels = classify(in_dates(lines(), 'March 2024'), ")
    assert "labels 10 lines, those dated in March 2024" in found.rows[1]
    # Two periods named apart: no single filter is right.
    both = judged(REVIEWS, "Each review is a complaint, praise or a question. Were there more complaints "
                           "in March 2024 or in May 2024?")
    assert both is not None and "classify(lines(), " in both.call


def test_a_few_reviews_that_say_an_option_do_not_stop_the_offer() -> None:
    said = [f"2024-02-{1 + i % 28:02d} | customer: c{i % 40} | text: order {i} arrived and works as described so far"
            for i in range(300)]
    said[10] = said[10].replace("works as described", "I filed a complaint because it broke")
    said[20] = said[20].replace("works as described", "quick question about the warranty terms")
    said[30] = said[30].replace("works as described", "nothing but praise for the support team")
    said[40] = said[40].replace("customer: c0 |", "customer: other |")
    found = judged("\n".join(said), "Each review is a complaint, praise or other. How many are complaints?")
    assert found is not None and found.options == ("complaint", "praise", "other")


def test_the_list_ends_where_its_clause_does() -> None:
    assert listed_options("Each email is spam, or ham, or a newsletter.") == ("spam", "ham", "newsletter")
    assert listed_options("Each line is an error, a warning, or info, based on the level, the host, and the time.") == (
        "error", "warning", "info")
    assert listed_options("Sort the tickets into bug, feature and question, and how many of each?") == (
        "bug", "feature", "question")
    assert listed_options("Each reply is a question, an answer, or not relevant.") == ("question", "answer", "not relevant")
    assert listed_options("Each request is served from the cache, the disk, or the network.") == ()


def test_a_period_is_one_only_when_the_question_names_no_other_year() -> None:
    asks = "Each review is a complaint, praise or a question. "
    for other in ("How many complaints in 2024 or 2023?", "Compare the complaints in March 2024 with 2023.",
                  "How many complaints were answered in 2000 ms?"):
        found = judged(REVIEWS, asks + other)
        assert found is not None and "classify(lines(), " in found.call, other
    # A filter is not offered when the question may exclude the value it names.
    excluded = judged(REVIEWS, asks + "How many complaints are there with customer c103 excluded?")
    assert excluded is not None and "classify(lines(), " in excluded.call


def test_a_not_in_another_sentence_leaves_the_filter() -> None:
    found = judged(REVIEWS, "Each review is a complaint, praise or a question. The kind is not written anywhere. "
                            "How many complaints did customer c103 write?")
    assert found is not None and found.call.startswith("labels = classify(lines(customer='c103'), ")


_TICKETS = [
    ("The export button crashes the app when the list is empty.", "bug report"),
    ("Please add a dark mode to the settings page.", "feature request"),
    ("How do I reset my password if I lost my phone?", "question"),
]
TICKETS = "\n\n".join(
    f"Ticket {100 + i} opened 2024-0{1 + i % 4}-1{i % 9}\n  {_TICKETS[i % 3][0]}\n  Seen by agent {i % 4}."
    for i in range(24)
)
"""24 tickets of three lines each, blank lines between: an entry is a ticket, a line a piece of one."""


def test_records_of_several_lines_are_labelled_as_entries() -> None:
    question = "Each ticket is a bug report, a feature request or a question. How many are feature requests?"
    found = judged(TICKETS, question)
    assert found is not None
    assert found.call == "labels = classify(entries(), 'bug report, feature request, question')"
    assert "labels 24 entries, all of them, with 24 sub-calls" in found.rows[1]
    in_march = judged(TICKETS, question.replace("How many", "In March 2024, how many"))
    assert in_march is not None and in_march.call.startswith("labels = classify(in_dates(entries(), 'March 2024'), ")

    def sub(messages: Sequence[Message]) -> str:
        return next(kind for said, kind in _TICKETS if said in messages[-1]["content"])

    root = FakeScriptedLM([f"```repl\n{found.call}\n```", "FINAL(8)"])
    result = RLM(root, sub_model=FunctionLM(sub), prompts=SMALL, limits=Limits(max_iterations=4)).complete(
        question, context=TICKETS)
    assert result.answer == "8"
    out = root.calls[1].messages[-1]["content"]
    assert "classify: 24 items (24 sub-calls)" in out and "feature request: 8" in out
    # Each ticket's lines went to the sub-model together.
    assert judged(TICKETS, question, several_files=True) is None


def test_a_look_up_among_labelled_things_is_no_labelling() -> None:
    assert judged(TICKETS, "Each ticket is a bug report, a feature request or a question. "
                           "Which ticket mentions the dark mode?") is None
    # Reviews one a line with blank lines between them are still lines; a mailbox's pieces are neither.
    spaced = "\n\n".join(line for line in REVIEWS.splitlines())
    found = judged(spaced, "Each review is a complaint, praise or a question. How many are complaints?")
    assert found is not None and "classify(lines(), " in found.call
    mails = "\n\n".join(f"From: a{i}@example.org\nSubject: order {i}\n\nHello,\nthe kettle arrived broken.\n\n"
                        f"Thanks,\nA{i}" for i in range(20))
    assert judged(mails, "Each mail is a complaint, praise or a question. How many are complaints?") is None


def test_a_fields_name_becomes_the_keyword_lines_filters_by() -> None:
    """One function names the keyword for both the look's filters and the labelling offer; a
    field called "rest" is a keyword like any other (the helpers' `*rest` never takes one)."""
    from recursor.sandbox import helpers as h

    rows = ["rest: idle | note: a", "rest: busy | note: b", "rest: idle | note: c"]
    assert field_keyword("rest") == "rest"
    assert h.lines(text=rows, rest="idle") == [rows[0], rows[2]]
    assert field_keyword("user-id") == "user_id"
    assert [field_keyword(n) for n in ("class", "pattern", "text", "file", "2x")] == [None] * 5


def test_a_question_about_each_customer_groups_the_labels_by_that_field() -> None:
    # The asking sentence is the one before the sentence on how to write the answer.
    question = ("Each review is a complaint, praise or a question. List the customers who wrote at least one "
                "complaint and at least one question. Write one customer per line and nothing else.")
    found = judged(REVIEWS, question)
    assert found is not None
    # The start selects what the question asks first: both options, as "and" says.
    assert found.call == ("labels = classify(lines(), 'complaint, praise, question', field='text'); "
                          "per_customer = labels.by('customer'); customers = "
                          "sorted(set(per_customer.having('complaint')) & set(per_customer.having('question')))")
    assert ("Then per_customer holds each customer's label counts (per_customer[value][label]), and customers the "
            "customer values with at least one complaint and at least one question") in found.rows[-1]
    assert found.holds == "customers"
    assert orientation(REVIEWS, question).start == found.call
    pairs = ("Each review is a complaint, praise or a question. List all pairs of customer ids where both "
             "customers wrote praise. Give one pair per line, each pair once.")
    by_pair = judged(REVIEWS, pairs)
    assert by_pair is not None
    assert by_pair.call.endswith("; customers = per_customer.having('praise'); customer_pairs = pairs(customers)")
    assert "FINAL_VAR('customer_pairs') answers with them all" in by_pair.rows[-1]
    assert by_pair.holds == "customer_pairs"
    either = judged(REVIEWS, "Each review is a complaint, praise or a question. Which customers wrote a complaint "
                             "or a question?")
    assert either is not None and either.call.endswith("customers = per_customer.having('complaint', 'question')")
    # "One ..., and the other ...": each side is selected on its own, and paired across.
    apart = judged(REVIEWS, "Each review is a complaint, praise or a question. List pairs of customers where one "
                            "wrote praise, and the other customer wrote exactly two questions.")
    assert apart is not None and apart.call.endswith(
        "customers = per_customer.having('praise'); other_customers = per_customer.having('question', exactly=2); "
        "customer_pairs = pairs(customers, other_customers)")
    assert "other_customers those with exactly two question" in apart.rows[-1]
    # One customer named: its lines are labelled, and there is nothing to group.
    one = judged(REVIEWS, "Each review is a complaint, praise or a question. How many complaints did customer c103 write?")
    assert one is not None and ".by(" not in one.call
    # The asking sentence is still the one read: a look-up before the form sentence gets no offer.
    assert judged(REVIEWS, "Each review is a complaint, praise or a question. Give the order id of "
                           "customer c103's first review. Write the number and nothing else.") is None


def test_the_field_a_question_groups_by_must_repeat_and_be_named() -> None:
    records = [{"customer": f"c{i % 7}", "order": str(5000 + i), "text": "x y z"} for i in range(60)]
    assert grouping_field("Which customers wrote a complaint?", records, "text") == "customer"
    assert grouping_field("For each customer, is there praise?", records, "text") == "customer"
    assert grouping_field("List the pairs of customer ids that both complained.", records, "text") == "customer"
    # Orders are each their own: there is nothing to group by.
    assert grouping_field("Which orders were complaints?", records, "text") is None
    # Not named, or named only in the singular about one thing.
    assert grouping_field("How many complaints are there?", records, "text") is None
    assert grouping_field("Did the customer complain?", records, "text") is None
    # The prose field is what is judged, not a group.
    assert grouping_field("Which texts are complaints?", records, "text") is None


def test_the_root_answers_a_per_customer_question_from_the_offered_table() -> None:
    question = ("Each review is a complaint, praise or a question. Which customers wrote exactly one question? "
                "Write one customer per line and nothing else.")
    look = orientation(REVIEWS, question)
    counts: dict[str, int] = {}
    for line in REVIEWS.splitlines():
        who = line.split("customer: ")[1].split(" ")[0]
        counts[who] = counts.get(who, 0) + (_truth(line) == "question")
    want = sorted(c for c, n in counts.items() if n == 1)

    def sub(messages: Sequence[Message]) -> str:
        return _truth(messages[-1]["content"])

    code = look.start + "\nprint(per_customer.having('question', exactly=1))"
    root = FakeScriptedLM([f"```repl\n{code}\n```", "FINAL_VAR(per_customer)"])
    RLM(root, sub_model=FunctionLM(sub), prompts=SMALL, limits=Limits(max_iterations=4)).complete(
        question, context=REVIEWS)
    out = root.calls[1].messages[-1]["content"]
    assert "by 'customer': 7 values, 60 items" in out
    assert str(want) in out


def test_the_offered_steps_answer_a_pairs_question_whole() -> None:
    question = ("Each review is a complaint, praise or a question. List all pairs of customers where each of the "
                "two customers wrote at least one complaint or question. Write one pair per line as (c1, c2).")
    look = orientation(REVIEWS, question)
    who = {line.split("customer: ")[1].split(" ")[0] for line in REVIEWS.splitlines()
           if _truth(line) in ("complaint", "question")}
    want = "\n".join(f"({a}, {b})" for a, b in sorted((a, b) for a in who for b in who if a < b))

    def sub(messages: Sequence[Message]) -> str:
        return _truth(messages[-1]["content"])

    root = FakeScriptedLM([f"```repl\n{look.start}\n```", "FINAL_VAR('customer_pairs')"])
    result = RLM(root, sub_model=FunctionLM(sub), prompts=SMALL, limits=Limits(max_iterations=4)).complete(
        question, context=REVIEWS)
    assert result.answer == want and want.count("\n") == len(who) * (len(who) - 1) // 2 - 1
    shown = root.calls[1].messages[-1]["content"]
    assert f"pairs: {want.count(chr(10)) + 1} pairs of {len(who)} values" in shown
    # The output ends with a few pairs; the note says the name holds them all.
    assert shown.rstrip().endswith("reply with exactly this line:\nFINAL_VAR('customer_pairs')")


def test_a_block_that_uses_a_name_only_the_unrun_start_defines_runs_the_start_first() -> None:
    # The 1.5B wrote the start's last step alone, then the one before it, each a NameError.
    question = ("Each review is a complaint, praise or a question. List all pairs of customers where each of the "
                "two customers wrote praise.")
    look = orientation(REVIEWS, question)
    assert look.start.endswith("customer_pairs = pairs(customers)")

    def sub(messages: Sequence[Message]) -> str:
        return _truth(messages[-1]["content"])

    root = FakeScriptedLM(["```repl\nprint(customer_pairs)\n```", "```repl\nprint(str(customer_pairs))\n```",
                           "FINAL_VAR('customer_pairs')"])
    result = RLM(root, sub_model=FunctionLM(sub), prompts=SMALL, limits=Limits(max_iterations=5)).complete(
        question, context=REVIEWS)
    first = root.calls[1].messages[-1]["content"]
    assert f"so the start ran before your block: {look.start}" in first and "NameError" not in first
    assert "pairs: 21 pairs of 7 values" in first  # every customer wrote praise
    assert "customer_pairs now holds the whole answer the offered steps select" in first
    assert "(c100, c101)" in root.calls[2].messages[-1]["content"]  # the names are there now
    assert result.answer.count("\n") == 20
    # A name the start does not define fails as usual.
    again = FakeScriptedLM(["```repl\nprint(per_product)\n```", "FINAL(none)", "FINAL(none)"])
    RLM(again, sub_model=FunctionLM(sub), prompts=SMALL, limits=Limits(max_iterations=3)).complete(
        question, context=REVIEWS)
    assert "NameError" in again.calls[1].messages[-1]["content"]


def test_a_sentence_on_the_answers_form_is_passed_over_only_when_a_question_is_left() -> None:
    lead = "Each review is a complaint, praise or a question. "
    # The one sentence that asks also says how to write the answer: it is still the question.
    assert judged(REVIEWS, lead + "Give the order id of customer c103's first review, on its own line.") is None
    assert judged(REVIEWS, lead + "Write the order id of the first review, and nothing else.") is None
    asked = judged(REVIEWS, lead + "Output the customers with at least two complaints, one per line.")
    assert asked is not None and asked.call.endswith("customers = per_customer.having('complaint', least=2)")


def test_a_field_named_like_the_options_kind_is_judged_not_grouped() -> None:
    typed = "\n".join(f"type: {('web', 'app', 'phone')[i % 3]} | customer: c{i % 5} | text: {_SAID[i % 5][0]}"
                      for i in range(40))
    found = judged(typed, "Each review is a complaint, praise or a question. Which types of feedback are complaints?")
    assert found is not None and ".by(" not in found.call


def test_a_condition_in_a_later_sentence_is_named_and_nothing_is_said_to_hold_the_answer() -> None:
    found = judged(REVIEWS, "Each review is a complaint, praise or a question. Which customers wrote at least two "
                            "complaints? Ignore reviews dated before 2024-03-01.")
    assert found is not None and found.call.endswith("customers = per_customer.having('complaint', least=2)")
    assert found.holds == "" and "leaves out 'Ignore reviews dated before 2024-03-01.'" in found.rows[-1]


def test_the_held_note_is_not_given_when_the_models_block_sets_that_name_itself() -> None:
    question = "Each review is a complaint, praise or a question. Which customers wrote a question?"
    look = orientation(REVIEWS, question)
    assert look.holds == "customers"

    def sub(messages: Sequence[Message]) -> str:
        return _truth(messages[-1]["content"])

    root = FakeScriptedLM(["```repl\ncustomers = sorted(per_customer)[:2]\nprint(customers)\n```", "FINAL_VAR('customers')"])
    result = RLM(root, sub_model=FunctionLM(sub), prompts=SMALL, limits=Limits(max_iterations=4)).complete(
        question, context=REVIEWS)
    shown = root.calls[1].messages[-1]["content"]
    assert "so the start ran before your block" in shown and "now holds" not in shown
    assert result.answer == "['c100', 'c101']"  # the block's own value, run after the start
