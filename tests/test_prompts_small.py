"""The small-model mode: its helpers in a real REPL worker, its choice for local models, its size.

Helpers are driven through the real engine (RLM, worker process) by a scripted root model
that runs one ```repl cell per turn; the REPL output each cell produced is read back from
the next request the root model receives. The last test runs one real question end to end
on the embedded 0.5B model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from fakes.scripted_lm import FakeScriptedLM
from real_model import RUN_MODEL, needs_run_model
from recursor import RLM
from recursor.budget import Limits
from recursor.errors import UserError
from recursor.lm.base import Message
from recursor.lm.openai_compat import OpenAICompatibleLM
from recursor.lm.retry import RetryingLM
from recursor.profiles import is_small_model, prompts_for
from recursor.prompts import Prompts
from recursor.prompts_small import SmallModelPrompts, helpers_source, key_terms
from recursor.sandbox import helpers

NOISE = "The grass is green. The sky is blue. The sun is yellow. Here we go. There and back again. "


def _haystack(needles: Sequence[tuple[float, str]], chars: int = 200_000) -> str:
    """A one-line filler text with sentences at the given depths."""
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
    assert isinstance(prompts_for(local), SmallModelPrompts)
    assert isinstance(prompts_for(RetryingLM(local)), SmallModelPrompts)
    assert isinstance(RLM(_SmallFake(), trace_dir=False).prompts, SmallModelPrompts)
    assert not isinstance(RLM(FakeScriptedLM(), trace_dir=False).prompts, SmallModelPrompts)
    assert type(prompts_for(FakeScriptedLM())) is Prompts


@pytest.mark.parametrize(("name", "small"), [
    ("qwen2.5-coder-1.5b-instruct-q4_k_m", True),   # llama.cpp's server reports the file name
    ("qwen2.5-coder:1.5b", True),                    # ollama
    ("Qwen/Qwen2.5-Coder-1.5B-Instruct", True),      # vLLM, Hugging Face ids
    ("qwen/qwen-2.5-coder-3b-instruct", True),       # OpenRouter
    ("llama3.2:3b", True),
    ("tinyllama", True),
    ("qwen2.5-coder:7b", False),
    ("Qwen/Qwen3-30B-A3B", False),                   # 30B in all, 3B active: not small
    ("gpt-5-mini", False),
    ("gpt-4o-mini", False),
    ("claude-haiku-4-5", False),
    ("model-bf16", False),
])
def test_small_models_are_known_by_name_whatever_serves_them(name: str, small: bool) -> None:
    lm = OpenAICompatibleLM(name, base_url="http://127.0.0.1:9/v1", api_key_env=None)
    assert is_small_model(lm) is small
    assert isinstance(prompts_for(RetryingLM(lm)), SmallModelPrompts) is small
    assert isinstance(RLM(lm, trace_dir=False).prompts, SmallModelPrompts) is small


def test_the_prompt_mode_can_be_forced() -> None:
    big, small = FakeScriptedLM(model="gpt-5"), FakeScriptedLM(model="qwen2.5-coder:1.5b")
    assert isinstance(RLM(big, prompts="small", trace_dir=False).prompts, SmallModelPrompts)
    assert type(RLM(small, prompts="general", trace_dir=False).prompts) is Prompts
    mine = Prompts(sub_chars=10)
    assert RLM(small, prompts=mine, trace_dir=False).prompts is mine
    with pytest.raises(UserError, match="prompts must be"):
        RLM(big, prompts="tiny", trace_dir=False)  # type: ignore[arg-type]


def test_system_prompt_stays_short_and_says_the_reply_format() -> None:
    text = SmallModelPrompts().system(can_recurse=True)
    # Prompt processing is the cost on a CPU: about 900 tokens of Qwen's tokenizer, evaluated
    # once per process (the KV cache keeps the system prompt across runs).
    assert len(text) <= 3400, len(text)
    assert "EXACTLY ONE" in text and "FINAL(answer)" in text and "```repl" in text
    assert text.count("Example") == 7 and text.count("```repl") == 9
    # The last example is the one a small model copies when it copies: a plain search.
    assert text.rsplit("Example", 1)[1].count("```repl\ngrep(") == 1
    for helper in ("grep(", "lines(", "entries(", "record(", "count_by(", "sum_by(", "top(", "in_dates(",
                   "classify(", "map_query("):
        assert helper in text
    # Every repair text exists and is short.
    p = SmallModelPrompts()
    for repair in (p.no_code(), p.not_looked(), p.missing_var("x", ("a",)), p.repeated(),
                   p.answer_now("max iterations"), p.iterations_left(1)):
        assert 0 < len(repair) < 300


def test_examples_use_code_for_what_the_text_writes_and_sub_models_once() -> None:
    """Four examples answer with code alone; one labels a judgement, in one batch."""
    text = SmallModelPrompts().system(can_recurse=True)
    examples = text.split("Example ")[1:]
    blocks = [ex.split("```repl\n", 1)[1].split("```", 1)[0] for ex in examples]
    judged = [b for b in blocks if "classify(" in b or "map_query(" in b]
    assert len(judged) == 1 and "for " not in judged[0]  # one call labels every item
    assert "llm_query" not in text


def test_small_mode_knows_no_benchmark() -> None:
    bench = re.compile(r"oolong|trec|sniah|s-niah|two-?hop|magic number|codeqa|needle", re.I)
    p = SmallModelPrompts()
    texts = [p.system(can_recurse=True), p.repl_setup("q"), p.first_user("q", "m"), p.not_looked()]
    assert not any(bench.search(t) for t in texts)
    # The setup is the helpers module's own file, the same whatever the question.
    assert p.repl_setup("How many?") == p.repl_setup("Which label is least common?") == helpers_source()
    assert helpers_source() == Path(helpers.__file__).read_text(encoding="utf-8")


_REALDOCS_LINES = re.compile(
    r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (?:install|upgrade|configure|remove|purge|trigproc|status|startup) "
    r"|\b(?:Start-Date|End-Date|Commandline|Requested-By):"  # apt's history
    r"|\([^)\s]+\) [a-z-]+; urgency=|^ -- .+ <[^>]+>  ",  # a Debian changelog's head and sign-off
    re.MULTILINE,
)
"""Lines written as the realdocs family's sources write theirs (dpkg's log, apt's history,
Debian changelogs): an example shaped like them teaches the benchmark, not the skill."""


def test_no_example_is_written_like_a_benchmark_source() -> None:
    text = SmallModelPrompts().system(can_recurse=True)
    assert not _REALDOCS_LINES.search(text), _REALDOCS_LINES.search(text)
    # The pattern does catch such lines (an example once showed a dpkg upgrade line).
    assert _REALDOCS_LINES.search("1206 ['2024-03-01 10:02:11 upgrade libc6:amd64 2.36-8 2.36-9']")
    assert _REALDOCS_LINES.search(" -- Ana Diaz <ana@example.org>  Mon, 01 Jan 2024 10:00:00 +0000")


def test_each_examples_code_finds_the_lines_its_output_shows() -> None:
    """An example whose call would not find its own shown lines teaches a call that fails."""
    text = SmallModelPrompts().system(can_recurse=True)
    ns: dict[str, Any] = {"__name__": "__main__", "context": ""}
    exec(compile(helpers_source(), "<setup>", "exec"), ns)
    checked = 0
    for example in text.split("Example ")[1:]:
        code = example.split("```repl\n", 1)[1].split("```", 1)[0]
        shown = re.findall(r"\['([^']+)'", example.split("[repl output]", 1)[1])
        if not code.startswith("rows = ") or not shown:
            continue
        ns["context"] = "\n".join([*shown, "an unrelated line"])
        exec(code.replace("print(", "found = (", 1), ns)
        assert list(ns["rows"]) == shown, (code, ns["rows"])
        checked += 1
    assert checked >= 2  # the count of failed logins and the refunded orders

def test_key_terms_find_the_distinctive_key_not_descriptions() -> None:
    assert key_terms("What 7-digit code is associated with the polished-orchard?") == [
        "polished-orchard"
    ]
    assert key_terms("How many requests did client 63685 make?") == ["63685"]
    assert key_terms('Which value is listed for "Blue Falcon"?') == ["Blue Falcon"]
    assert key_terms("Which host failed most often on Dec 12, 2022?") == []
    assert key_terms("What is max_connections in settings.py?") == ["max_connections", "settings.py"]
    assert key_terms("What did Anne-Marie say after the 24-hour outage?") == ["Anne-Marie"]
    assert key_terms('Is the build green? Answer with "yes" or "no".') == []
    assert key_terms("How many package upgrades does this log record?") == []
    # Counting words measure the answer's form in any English question, as digits do.
    assert key_terms("Which seven-digit number goes with brave-quarry?") == ["brave-quarry"]
    assert key_terms("What is the two-letter code of the well-known-service?") == ["well-known-service"]


def test_first_message_names_key_terms() -> None:
    p = SmallModelPrompts(name_key_terms=True)
    text = p.first_user("My notes follow.\n\nWho is wise-otter?", "META")
    assert "Search first for: 'wise-otter'." in text
    assert text.startswith("META") and "```repl" in text
    assert "Rare terms" not in SmallModelPrompts(name_key_terms=False).first_user("Who is wise-otter?", "M")
    assert "Rare terms" not in p.first_user("How many upgrades are there?", "M")


# -- helpers in a real run (each helper is tested on its own in test_helpers.py) --------------


def test_helpers_are_loaded_in_a_run_and_answer_a_count_without_sub_calls() -> None:
    log = "\n".join(f"2024-03-0{1 + i % 9} 10:00:0{i % 10} {'upgrade' if i % 3 else 'install'} "
                    f"pkg{i}:amd64 1.{i} 1.{i + 1}" for i in range(300))
    sub = FakeScriptedLM(default="never asked")
    (out,), _ = _run_cells(log, ['rows = lines(r"\\bupgrade\\b")\nprint(len(rows))'], sub)
    assert out.startswith("[repl output]\n200\n")
    assert sub.calls == []


def test_grep_in_a_run_marks_the_key_in_a_short_output() -> None:
    context = _haystack([(0.63, "The backup passphrase for vault-7 is K-4417230.")], chars=1_000_000)
    (out,), _ = _run_cells(context, ['grep("vault-7")'])
    assert "1 line matches:" in out
    assert "1| The backup passphrase for >>vault-7<< is K-4417230." in out
    assert "grass" not in out  # a one-line text is cut to the sentence, not 300 characters
    assert len(out) < 400


def test_classify_in_a_run_sends_one_batch_of_choice_requests() -> None:
    answers = {"Stopped heating": "complaint", "Love it": "praise", "Does it fit a mug?": "question"}

    def reply(messages: Sequence[Message]) -> str:
        return answers[next(q for q in answers if q in messages[-1]["content"])]

    rows = [f"product: {p} | text: {t}" for p, t in zip(("kettle", "kettle", "toaster"), answers,
                                                         strict=True)]
    cells = ['labels = classify(lines(), "complaint, praise, question", field="text")\n'
             'count_by(labels.pick("complaint"), "product")']
    (out,), sub = _run_cells("\n".join(rows), cells, FakeScriptedLM(default=reply))
    assert out.startswith("[repl output]\nclassify: 3 items (3 sub-calls)\n")
    assert "count_by: 1 items, 1 values\nkettle: 1" in out
    assert len(sub.calls) == 3 and all("product" not in c.messages[-1]["content"] for c in sub.calls)
    first = sub.calls[0].messages[-1]["content"]
    assert first.endswith("Answer with exactly one of: complaint; praise; question.")


def test_a_helper_called_wrongly_or_not_called_says_how_to_call_it() -> None:
    """Python's "entries() got an unexpected keyword argument 'field'" and "'function' object is
    not subscriptable" did not tell a small root what to change: it ran the block again."""
    log = "\n".join(f"2024-03-01 10:00:0{i} install pkg{i}" for i in range(5))
    cells = ['rows = cols(lines()[0], field="pkg")', 'lines(r"install")\nprint(len(lines()), lines[:2])',
             'def mine(x):\n    return x\nmine(1, 2)', "print(len(rows2))", "print(lines()[:1])"]
    (bad_kw, uncalled, own, other, _), _ = _run_cells(log, cells)
    assert "TypeError: cols() got an unexpected keyword argument 'field'" in bad_kw
    assert "[cols is a function: cols(line, sep=None). " in bad_kw
    assert "[lines is a function: lines(pattern=None, *rest, text=None, file=None, **where)." in uncalled
    assert "[mine is a function: mine(x)]" in own  # the model's own function, no docstring
    assert "is a function" not in other  # a NameError: Python's message says it
    assert other.rstrip().endswith("[no values are defined yet: assign one before using it]")
    (_, named, _), _ = _run_cells(log, ['lines = lines("install")', "print(len(rows))", "print(lines[:1])"])
    assert named.rstrip().endswith("[the values defined so far: lines]")
    # A function that does not exist, called: the functions named alike, not the values.
    (_, made_up, made_up2), _ = _run_cells(log, ["lines()[:2]", 'runs = entries()\nbest = max_by(runs, "Install")',
                                                 "zzz_qqq(1)"])
    assert made_up.rstrip().endswith("[max_by is no function of the REPL; those named alike: sum_by, map_query]")
    assert "defined\n[zzz_qqq is no function of the REPL]\n" in made_up2
    (_, noted), _ = _run_cells(log, ["lines()[:2]", "# undefined_q(1) is called in a comment only\nundefined_q"])
    assert "is no function" not in noted and "[no values are defined yet" in noted


def test_a_helper_whose_name_was_given_to_a_value_is_the_helper_again_when_called() -> None:
    """`lines = [r for r in lines(...)]` left `lines(...)` failing with "'list' object is not
    callable" on every later turn (the helpers' own results are callable as the helper; a
    plain list is not). The call gets the helper back, and the list is kept under a free name."""
    log = "\n".join(f"2024-03-01 10:00:0{i} {'install' if i % 2 else 'remove'} pkg{i}" for i in range(5))
    cells = ['lines = [r for r in lines("install")]\nprint(len(lines))', 'print(len(lines("remove")))',
             'print(len(lines("remove")), len(lines_value))', 'lines = 3\nlines()',
             'def mine(x):\n    return x + 1', 'mine = mine(1)\nprint(mine)', "mine(1)", "print(mine(5), mine_value)",
             "count = 2\ncount(1)"]
    (first, failed, again, twice, _, own, own_failed, own_again, never), _ = _run_cells(log, cells)
    assert first.rstrip().endswith("2")
    assert "TypeError: 'list' object is not callable" in failed
    assert "[`lines` is the function again; your list is now `lines_value`. Run the block again" in failed
    assert "Error" not in again and again.rstrip().endswith("3 2")  # the helper and the kept list
    assert "your int is now `lines_value2`" in twice  # a second value does not overwrite the first
    assert own.rstrip().endswith("2") and "[`mine` is the function again" in own_failed
    assert own_again.rstrip().endswith("6 2")  # the model's own function, back under its name
    assert "is the function again" not in never  # a name that never held a function is left alone


def test_only_the_call_that_failed_gets_its_function_back() -> None:
    """Another name's failed call, a name in a comment or a method of the same name restores
    nothing (a hostile review's cases); a rerun block reuses the name its value was kept under;
    `answer` is never swapped for a function."""
    log = "a install\nb remove\n"
    cells = ['lines = list(lines("install"))\ncount = 0\n# lines(...) gave these\ncount()',
             "print(len(lines))",
             'class A:\n    def lines(self):\n        return 1\nx = None\nA().lines()\nx()',
             'lines = [r for r in lines("install")]\nprint(len(lines("remove")))',
             'lines = [r for r in lines("install")]\nprint(len(lines("remove")))',
             "print(sorted(n for n in dir() if n.startswith('lines_value')))",
             'def answer(x):\n    return x', 'answer = {"content": "42", "ready": False}\nanswer(1)',
             "print(type(answer).__name__)"]
    outs, _ = _run_cells(log, cells)
    other, kept, method, rerun, rerun2, names, _, ans, ans_after = outs
    assert "is the function again" not in other and kept.rstrip().endswith("1")  # the list is still theirs
    assert "is the function again" not in method
    assert "now `lines_value`" in rerun and "now `lines_value`" in rerun2  # the same name, not lines_value2
    assert names.rstrip().endswith("['lines_value']")
    assert "is the function again" not in ans and "\ndict\n" in ans_after


def test_helpers_come_back_after_a_worker_restart() -> None:
    cells = ["import os\nos._exit(3)", 'print(type(grep).__name__, len(lines()))']
    (_, after), _ = _run_cells("a\nb\n", cells)
    assert "function 2" in after


# -- the real embedded model ------------------------------------------------------------------

@pytest.mark.slow
@needs_run_model
def test_real_small_model_answers_a_needle_question_end_to_end() -> None:
    """One real RLM question on the default embedded model (the 1.5B, temperature 0, seed 0)
    over ~100K characters: ~45 s on 2 cores."""
    from recursor.bench.scoring import score
    from recursor.bench.sniah import make_task
    from recursor.lm.local import LocalLM

    task = make_task(length_tokens=25_000, seed=0, index=0)  # 100K characters, noise haystack
    lm = LocalLM(RUN_MODEL, temperature=0.0, seed=0, max_output_tokens=256)
    rlm = RLM(lm, limits=Limits(max_iterations=6, timeout=120), trace_dir=False)
    assert isinstance(rlm.prompts, SmallModelPrompts)
    result = rlm.complete(task.question, task.context)
    assert result.stopped_by == "final", result
    assert score(task.gold, result.answer) == 1.0, (result.answer, task.gold.answer)


def test_a_small_model_decodes_greedily_behind_any_server_unless_told_otherwise() -> None:
    """llama.cpp's server samples at 0.8 by default; the embedded model is greedy. By model,
    not by client: a small root's requests say temperature 0 when the client leaves it unset."""
    from fakes.openai_server import FakeOpenAIServer

    with FakeOpenAIServer(responder=lambda request: "FINAL(done)") as server:
        for name, want in (("qwen2.5-coder:1.5b", 0.0), ("big-model", None)):
            RLM(name, base_url=server.base_url, api_key_env="NO_SUCH_KEY_VAR", mode="rlm",
                trace_dir=False).complete("q", "some context")
            assert server.requests[-1].json.get("temperature") == want, name
        chosen = OpenAICompatibleLM("qwen2.5-coder:1.5b", base_url=server.base_url, api_key_env=None,
                                    temperature=0.5)
        RLM(RetryingLM(chosen), mode="rlm", trace_dir=False).complete("q", "some context")
        assert server.requests[-1].json["temperature"] == 0.5  # the user's own setting is kept
        assert chosen.temperature == 0.5


def test_a_small_root_behind_a_server_stops_where_its_invented_turns_start() -> None:
    """A small root writes the REPL's output and the next turns after its block; embedded
    generation stops there and at 1,024 tokens, and so must a server's: the root's requests
    carry the small mode's stop sequences and cap. Sub-model requests do not (an answer may
    quote a "User:" line), a client's own settings are kept, and the general mode sends none."""
    from fakes.openai_server import FakeOpenAIServer

    def responder(request: dict[str, Any]) -> str:
        last = request["messages"][-1]["content"]
        if "quote the chat" in last:
            return "User: hello"
        if "[repl output]" in last or "hello" in last:
            return "FINAL(done)"
        return '```repl\nprint(llm_query("quote the chat"))\n```'

    with FakeOpenAIServer(responder=responder) as server:
        RLM("qwen2.5-coder:1.5b", base_url=server.base_url, api_key_env="NO_SUCH_KEY_VAR", mode="rlm",
            trace_dir=False).complete("What was said?", "some context")
        roots = [r.json for r in server.requests if "quote the chat" not in r.json["messages"][-1]["content"]]
        subs = [r.json for r in server.requests if r.json["messages"][-1]["content"] == "quote the chat"]
        assert roots and subs
        assert all(body["stop"] == list(SmallModelPrompts().stop) for body in roots)
        assert all(body["max_tokens"] == SmallModelPrompts().reply_tokens for body in roots)
        assert all("stop" not in body and "max_tokens" not in body for body in subs)
        wrapped = RLM(RetryingLM(OpenAICompatibleLM("qwen2.5-coder:1.5b", base_url=server.base_url,
                                                    api_key_env=None)), trace_dir=False).root_lm
        assert wrapped.max_output_tokens == SmallModelPrompts().reply_tokens  # the ledger reads the wrapper's cap: the one sent

        server.requests.clear()
        own = OpenAICompatibleLM("qwen2.5-coder:1.5b", base_url=server.base_url, api_key_env=None,
                                 stop=["\n\n\n"], max_output_tokens=300)
        RLM(RetryingLM(own), mode="rlm", trace_dir=False).complete("q", "some context")
        assert server.requests and all(r.json["stop"] == ["\n\n\n"] for r in server.requests)
        assert all(r.json["max_tokens"] == 300 for r in server.requests)
        assert own.stop == ("\n\n\n",)

        server.requests.clear()
        RLM("big-model", base_url=server.base_url, api_key_env="NO_SUCH_KEY_VAR", mode="rlm",
            trace_dir=False).complete("q", "some context")
        assert server.requests and all("stop" not in r.json and "max_tokens" not in r.json
                                       for r in server.requests)


def test_stop_sequences_must_be_strings() -> None:
    for bad in ("\nUser:", ["ok", ""], [1]):
        with pytest.raises(UserError, match="stop"):
            OpenAICompatibleLM("m", base_url="http://127.0.0.1:9/v1", api_key_env=None, stop=bad)  # type: ignore[arg-type]


def test_a_small_models_child_runs_get_the_root_stops_and_a_direct_answer_does_not() -> None:
    """rlm_query's child is a root too (its replies run on the same way); a direct answer may
    quote a "User:" line and is not cut there."""
    from fakes.openai_server import FakeOpenAIServer

    def responder(request: dict[str, Any]) -> str:
        first = request["messages"][1]["content"] if len(request["messages"]) > 1 else ""
        if "Question: inner question" in first:
            return "FINAL(inner done)"
        if "[repl output]" in request["messages"][-1]["content"]:
            return "FINAL(done)"
        return '```repl\nprint(rlm_query("inner question", context="some inner context"))\n```'

    with FakeOpenAIServer(responder=responder) as server:
        RLM("qwen2.5-coder:1.5b", base_url=server.base_url, api_key_env="NO_SUCH_KEY_VAR", mode="rlm",
            limits=Limits(max_depth=2), trace_dir=False).complete("What was said?", "some context")
        inner = [r.json for r in server.requests
                 if len(r.json["messages"]) > 1 and "Question: inner question" in r.json["messages"][1]["content"]]
        assert inner and all(body["stop"] == list(SmallModelPrompts().stop) for body in inner)
        server.requests.clear()
        RLM("qwen2.5-coder:1.5b", base_url=server.base_url, api_key_env="NO_SUCH_KEY_VAR", mode="direct",
            trace_dir=False).complete("What was said?", "some context")
        assert server.requests and all("stop" not in r.json for r in server.requests)


def test_a_sub_call_that_names_the_root_model_gets_no_root_stops() -> None:
    from fakes.openai_server import FakeOpenAIServer

    def responder(request: dict[str, Any]) -> str:
        last = request["messages"][-1]["content"]
        if last == "quote the chat":
            return "User: hello"
        if "[repl output]" in last:
            return "FINAL(done)"
        return '```repl\nprint(llm_query("quote the chat", model="qwen2.5-coder:1.5b"))\n```'

    with FakeOpenAIServer(responder=responder) as server:
        RLM("qwen2.5-coder:1.5b", sub_model="other-model", base_url=server.base_url,
            api_key_env="NO_SUCH_KEY_VAR", mode="rlm", trace_dir=False).complete("What was said?", "some context")
        subs = [r.json for r in server.requests if r.json["messages"][-1]["content"] == "quote the chat"]
        assert subs and subs[0]["model"] == "qwen2.5-coder:1.5b"
        assert all("stop" not in body and "max_tokens" not in body for body in subs)
