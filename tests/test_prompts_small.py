"""The small-model mode: its helpers in a real REPL worker, its choice for local models, its size.

Helpers are driven through the real engine (RLM, worker process) by a scripted root model
that runs one ```repl cell per turn; the REPL output each cell produced is read back from
the next request the root model receives. The last test runs one real question end to end
on the embedded 0.5B model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest

from fakes.scripted_lm import FakeScriptedLM
from real_model import E2E_MODEL, needs_real_model
from recursor import RLM
from recursor.budget import Limits
from recursor.lm.base import Message
from recursor.lm.retry import RetryingLM
from recursor.prompts import Prompts, default_prompts
from recursor.prompts_small import HELPERS, SmallModelPrompts, key_terms

NOISE = "The grass is green. The sky is blue. The sun is yellow. Here we go. There and back again. "


def _haystack(needles: Sequence[tuple[float, str]], chars: int = 200_000) -> str:
    """A one-line noise haystack (like S-NIAH's) with sentences at the given depths."""
    hay = NOISE * (chars // len(NOISE))
    out, prev = [], 0
    for depth, sentence in sorted(needles):
        pos = hay.find(". ", int(depth * len(hay))) + 2
        out += [hay[prev:pos], sentence + " "]
        prev = pos
    out.append(hay[prev:])
    return "".join(out)


def _run_cells(
    context: object, cells: Sequence[str], sub: FakeScriptedLM | None = None, question: str = "q"
) -> tuple[list[str], FakeScriptedLM]:
    """Run each cell in one small-mode RLM run; return what the REPL printed for each."""
    script = [f"```repl\n{cell}\n```" for cell in cells] + ["FINAL(done)"]
    root = FakeScriptedLM(script)
    rlm = RLM(
        root,
        sub_model=sub,
        prompts=SmallModelPrompts(),
        limits=Limits(max_iterations=len(cells) + 2),
        trace_dir=False,
    )
    result = rlm.complete(question, context)  # type: ignore[arg-type]
    assert result.answer == "done", result
    outputs = [call.messages[-1]["content"] for call in root.calls[1:]]
    return outputs, sub or root


# -- choice and size ------------------------------------------------------------------------


class _SmallFake(FakeScriptedLM):
    small_model = True


def test_local_models_get_small_prompts_automatically() -> None:
    from recursor.lm.local import LocalLM

    assert LocalLM.small_model is True
    local = LocalLM.__new__(LocalLM)  # no model file needed to ask which prompts it gets
    local.model = "qwen2.5-coder-0.5b"
    assert isinstance(default_prompts(local), SmallModelPrompts)
    assert isinstance(default_prompts(RetryingLM(local)), SmallModelPrompts)
    assert isinstance(RLM(_SmallFake(), trace_dir=False).prompts, SmallModelPrompts)
    assert not isinstance(RLM(FakeScriptedLM(), trace_dir=False).prompts, SmallModelPrompts)
    assert type(default_prompts(FakeScriptedLM())) is Prompts


def test_system_prompt_stays_short_and_says_the_reply_format() -> None:
    text = SmallModelPrompts().system(can_recurse=True)
    # Prompt processing is the cost on a CPU: about 570 tokens of Qwen's tokenizer, evaluated
    # once per process (the KV cache keeps the system prompt across runs).
    assert len(text) <= 2100, len(text)
    assert "EXACTLY ONE" in text and "FINAL(answer)" in text and "```repl" in text
    assert text.count("Example") == 3
    for helper in ("grep(", "lines(", "in_dates(", "classify(", "map_query("):
        assert helper in text
    # Every repair text exists and is short.
    p = SmallModelPrompts()
    for repair in (p.no_code(), p.not_looked(), p.missing_var("x", ("a",)), p.repeated(),
                   p.answer_now("max iterations"), p.iterations_left(1)):
        assert 0 < len(repair) < 300


def test_key_terms_find_the_distinctive_key_not_descriptions() -> None:
    assert key_terms("What 7-digit code is associated with the polished-orchard?") == [
        "polished-orchard"
    ]
    assert key_terms("How many instances of user 63685 have the label location?") == ["63685"]
    assert key_terms('Which value is listed for "Blue Falcon"?') == ["Blue Falcon"]
    assert key_terms("Which label is most common among instances dated Dec 12, 2022?") == []
    # Spelled-out measures describe the value; a 0.5B root grepped "seven-digit" 8 times.
    assert key_terms("Which seven-digit number was recorded for frozen-badger?") == ["frozen-badger"]
    assert key_terms("What did the forty-two-year-old Anne-Marie say?") == ["Anne-Marie"]
    assert key_terms('Is X more common than Y? Answer with "more common" or "less common".') == []


def test_first_message_names_key_terms_of_the_question_proper() -> None:
    p = SmallModelPrompts()
    text = p.first_user("Preamble about general-knowledge lines.\n\nWho is wise-otter?", "META")
    assert "'wise-otter'" in text and "general-knowledge" not in text.split("Who is")[1]
    assert text.startswith("META") and "```repl" in text
    assert "Rare terms" not in SmallModelPrompts(name_key_terms=False).first_user("Who is wise-otter?", "M")
    # A question that says its labels must be inferred is told to classify rows, not grep.
    inferred = p.first_user("The labels are not written in the data.\n\nWhich is most common?", "M")
    assert "classify them" in inferred and "classify them" not in text


def test_helpers_are_standard_library_only() -> None:
    imported = set(re.findall(r"^\s*(?:from|import)\s+([A-Za-z_.]+)", HELPERS, re.MULTILINE))
    assert imported <= {"re", "difflib", "collections", "datetime"}, imported


# -- helpers in a real worker ---------------------------------------------------------------


def test_grep_finds_the_key_and_marks_it_in_a_short_output() -> None:
    context = _haystack([(0.63, "One of the special magic numbers for proud-walrus is: 4417230.")],
                        chars=1_000_000)
    (out,), _ = _run_cells(context, ['grep("proud-walrus")'])
    assert "1 line matches:" in out
    assert "1| One of the special magic numbers for >>proud-walrus<< is: 4417230." in out
    assert "grass" not in out  # a one-line haystack is cut to the sentence, not 300 characters
    assert len(out) < 400


def test_grep_with_a_paraphrased_question_ranks_lines_by_rare_query_words() -> None:
    context = _haystack([(0.3, "One of the special magic numbers for proud-walrus is: 4417230.")])
    (out,), _ = _run_cells(
        context, ['grep("What 7-digit code is associated with the proud-walrus?")']
    )
    assert out.startswith("[repl output]\nNo line holds")
    words = out.split("rare words of ", 1)[1].split("]", 1)[0]
    assert "proud-walrus" in words and "'what'" not in words and "'the'" not in words  # stopwords
    first = next(line for line in out.splitlines() if line.startswith("1| "))
    assert "4417230" in first and ">>proud<<->>walrus<<" in first


def test_grep_shows_where_a_named_key_leads() -> None:
    context = _haystack([
        (0.2, "The project codename for wise-otter is Tumbleweed."),
        (0.7, "The launch code for Tumbleweed is 9662098."),
        (0.5, "The launch code for Snapdragon is 4551732."),
    ])
    (out,), _ = _run_cells(context, ['hits = grep("wise-otter")\nprint(len(hits), hits[0])'])
    assert "1| The project codename for >>wise-otter<< is Tumbleweed.\n   -> The launch code " \
        "for >>Tumbleweed<< is 9662098." in out
    assert "Snapdragon" not in out
    assert "1 The project codename for wise-otter is Tumbleweed." in out  # plain str results


def test_grep_says_so_when_nothing_matches() -> None:
    (out,), _ = _run_cells("alpha beta\ngamma delta\n", ['grep("zeta omega")'])
    assert "No line holds 'zeta omega' or any of its words" in out


def test_lines_chunks_and_dates() -> None:
    rows = [
        "Date: Dec 12, 2022 || User: 11 || Instance: Who wrote Hamlet ?",
        "Date: Jan 3, 2023 || User: 22 || Instance: Where is Peru ?",
        "Date: Feb 1, 2023 || User: 11 || Instance: How tall is K2 ?",
    ]
    context = "\n".join(rows)
    cells = [
        'print(len(lines()), len(lines("User: 11")), lines("peru"))',
        'print([len(c) for c in chunks(70)], "".join(chunks(70)) == context)',
        'print(len(in_dates(lines(), "Jan 1, 2023", "2023-02-01")), to_date("12/31/2022"))',
    ]
    (a, b, c), _ = _run_cells(context, cells)
    assert "3 2 ['Date: Jan 3, 2023 || User: 22 || Instance: Where is Peru ?']" in a
    sizes = [int(n) for n in re.findall(r"\d+", b.split("]")[0])]
    assert all(n <= 70 for n in sizes) and b.rstrip().endswith("True")
    assert "2 2022-12-31" in c


def test_map_query_maps_every_item_and_keeps_order() -> None:
    sub = FakeScriptedLM(default=lambda m: "ans:" + m[-1]["content"].rsplit("\n", 1)[-1])
    cells = [
        'r = map_query("Shout it.", ["one", "two", "three", "two", "four", "five"])\nprint(r)',
        'r2 = map_query("Shout it.", ["five", "one"])\nprint(r2)',  # cached: no new sub-calls
    ]
    (a, b), sub = _run_cells("ctx", cells, sub)
    assert "['ans:one', 'ans:two', 'ans:three', 'ans:two', 'ans:four', 'ans:five']" in a
    assert "['ans:five', 'ans:one']" in b
    assert len(sub.calls) == 5  # a repeated item is asked once


def test_map_query_batches_parse_numbered_replies_by_number() -> None:
    def reply(messages: Sequence[Message]) -> str:
        prompt = messages[-1]["content"]
        items = re.findall(r"^(\d+)\. (.*)$", prompt, re.MULTILINE)
        if not items:  # a single item asked again
            return "again:" + prompt.rsplit("\n\n", 2)[-2]
        # Answer in reverse order and leave out the last item: parsing goes by number.
        return "\n".join(f"{n}: {text.upper()}" for n, text in reversed(items[:-1]))

    sub = FakeScriptedLM(default=reply)
    cells = ['print(map_query("Upper.", ["a", "b", "c", "d", "e"], batch=3))']
    (out,), sub = _run_cells("ctx", cells, sub)
    assert "['A', 'B', 'again:c', 'D', 'again:e']" in out
    assert len(sub.calls) == 2 + 2  # two numbered calls, then one call per missed item


def test_classify_normalizes_answers_and_counts() -> None:
    answers = {"Who wrote Hamlet ?": "Human.", "Where is Peru ?": "location",
               "How tall is K2 ?": "Numeric value", "Why is the sky blue ?": "I think: other"}

    def reply(messages: Sequence[Message]) -> str:
        prompt = messages[-1]["content"]
        if '"I think: other" is not in the list' in prompt:
            return "description and abstract concept"  # the second chance names a label
        if "is not in the list" in prompt:
            return "no idea"
        return answers[next(q for q in answers if q in prompt)]

    rows = [f"User: {u} || Instance: {q}" for u, q in zip((1, 2, 1, 3), answers, strict=True)]
    cells = [
        'labs = classify(lines(), "numeric value, location, human being, description and '
        'abstract concept")\nprint(list(labs))',
        'print(labs["location"], labs[0])\nlabs.where("User: 1 ")\nlabs[30000]',
        'two = classify(lines(), ["location"])\nprint(list(two))',
        "three = classify(lines(user=3), ['numeric value', 'location', 'human being'])",
    ]
    asked = "Labels: location, human being.\n\nIs human being more common than location?"
    (a, b, c, d), sub = _run_cells("\n".join(rows), cells, FakeScriptedLM(default=reply), asked)
    assert "classify: 4 items\nnumeric value: 1\nlocation: 1\nhuman being: 1\n" in a
    # An answer that names no label is asked once more, with the answer quoted.
    assert "['human being', 'location', 'numeric value', 'description and abstract concept']" in a
    # The labels the question proper names are read out for it, in its order.
    assert "The question asks about: human being: 1, location: 1\n" in a
    assert "human being (1) compared with location (1): same frequency." in a
    assert "most common:" not in a  # a ranking beside a comparison drew a label-name answer
    assert "1 human being" in b
    assert "labels of the 2 items holding 'User: 1 ': human being: 1, numeric value: 1" in b
    assert "labels of the 0 items holding '30000'" in b  # a big int is an id, not a position
    # One label alone gets "other" beside it; the metadata fields are not sent to the sub-model.
    assert "['other', 'location', 'other', 'other']" in c
    # lines(user=3) reads the keyword as the text to look for; a label outside the list stays "?".
    assert d.startswith("[repl output]\nclassify: 1 items\nnumeric value: 0\n") and "\n?: 1\n" in d
    assert "most common" not in d.split("?: 1")[1].split("FINAL(")[0]  # "?" is never ranked
    assert all("User:" not in call.messages[-1]["content"] for call in sub.calls)
    # Each item went out as a choice request (the options listed by the engine, once).
    first = sub.calls[0].messages[-1]["content"]
    assert first.endswith("Answer with exactly one of: numeric value; location; human being; "
                          "description and abstract concept.") and first.count("location") == 1


def test_helpers_come_back_after_a_worker_restart() -> None:
    cells = ["import os\nos._exit(3)", 'print(type(grep).__name__, len(lines()))']
    (_, after), _ = _run_cells("a\nb\n", cells)
    assert "function 2" in after


def test_classify_with_only_the_asked_label_uses_the_list_the_question_gives() -> None:
    question = (
        "Each line has one label out of: praise, complaint, question and request.\n\n"
        "How many lines have the label praise?"
    )
    answers = {"Great stuff": "praise", "Broken again": "complaint", "Can you add X": "request"}

    def reply(messages: Sequence[Message]) -> str:
        return answers[next(q for q in answers if q in messages[-1]["content"])]

    (out,), sub = _run_cells(
        "\n".join(answers), ['labels = classify(lines(), "praise")'], FakeScriptedLM(default=reply),
        question,
    )
    # Against "praise" alone nearly everything looks like praise; the whole list decides.
    assert "classifying with all 3 labels the question lists" in out
    assert "praise: 1\ncomplaint: 1\nquestion and request: 1" in out
    assert "The question asks about: praise: 1" in out
    assert all("complaint; question and request" in c.messages[-1]["content"] for c in sub.calls)


# -- the real embedded model ------------------------------------------------------------------

@pytest.mark.slow
@needs_real_model
def test_real_small_model_answers_a_needle_question_end_to_end() -> None:
    """One real RLM question on the 0.5B (temperature 0, seed 0) over ~100K characters."""
    from recursor.bench.scoring import score
    from recursor.bench.sniah import make_task
    from recursor.lm.local import LocalLM

    task = make_task(length_tokens=25_000, seed=0, index=0)  # 100K characters, noise haystack
    lm = LocalLM(E2E_MODEL, temperature=0.0, seed=0, max_output_tokens=256)
    rlm = RLM(lm, limits=Limits(max_iterations=6, timeout=120), trace_dir=False)
    assert isinstance(rlm.prompts, SmallModelPrompts)
    result = rlm.complete(task.question, task.context)
    assert result.stopped_by == "final", result
    assert score(task.gold, result.answer) == 1.0, (result.answer, task.gold.answer)
    assert result.wall_time < 60
