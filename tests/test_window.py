"""A root conversation longer than its model's window loses its oldest turns, not its answer."""

from __future__ import annotations

from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM
from recursor.budget import Limits
from recursor.lm.base import Message
from recursor.prompts_small import SmallModelPrompts
from recursor.window import NOTE, fit_window, token_estimate


def _small(lm: FakeScriptedLM, n_ctx: int) -> FakeScriptedLM:
    """The fake as the engine sees the embedded model: small, with a known window."""
    lm.small_model = True  # type: ignore[attr-defined]
    lm.n_ctx = n_ctx  # type: ignore[attr-defined]
    lm.max_output_tokens = 256
    return lm


def _conversation(turns: int, size: int) -> list[Message]:
    msgs: list[Message] = [{"role": "system", "content": "sys"}, {"role": "user", "content": "the task"}]
    for i in range(turns):
        msgs += [{"role": "assistant", "content": f"code {i}"}, {"role": "user", "content": f"out {i} " + "x" * size}]
    return msgs


def test_a_conversation_that_fits_is_sent_as_it_is() -> None:
    msgs = _conversation(3, 100)
    assert fit_window(msgs, _small(FakeScriptedLM([]), 4096)) is msgs
    assert fit_window(_conversation(50, 3000), FakeScriptedLM([])) == _conversation(50, 3000)  # window unknown


def test_an_overlong_one_keeps_the_task_and_the_latest_turns_in_alternating_roles() -> None:
    lm = _small(FakeScriptedLM([]), 4096)
    msgs = _conversation(40, 600)
    cut = fit_window(msgs, lm)
    assert token_estimate(cut) <= 4096 - 256
    assert cut[0] == msgs[0] and cut[1]["content"] == "the task" + NOTE
    assert cut[-1] == msgs[-1] and cut[2]["role"] == "assistant"
    assert [m["role"] for m in cut[2:]] == ["assistant", "user"] * ((len(cut) - 2) // 2)
    # The loop keeps the cut: a turn later it is not cut again, nor is the note added twice.
    later = [*cut, {"role": "assistant", "content": "code 40"}, {"role": "user", "content": "out 40"}]
    assert fit_window(later, lm) is later


def test_a_long_run_on_a_small_window_keeps_going_and_answers() -> None:
    cells = [f"```repl\nprint('{i}' * 1500)\n```" for i in range(1, 10)]
    root = _small(FakeScriptedLM([*cells, "FINAL(done)"]), 4096)
    result = RLM(root, prompts=SmallModelPrompts(), limits=Limits(max_iterations=12, max_errors=12), mode="rlm",
                 trace_dir=False).complete("Which digit comes last?", "a small context")
    assert result.answer == "done" and result.stopped_by == "final"
    assert all(token_estimate(call.messages) <= 4096 - 256 for call in root.calls)
    assert any(NOTE in call.messages[1]["content"] for call in root.calls)  # a cut happened


def test_a_latest_output_over_the_window_by_itself_loses_its_middle() -> None:
    lm = _small(FakeScriptedLM([]), 4096)
    msgs = [*_conversation(3, 300), {"role": "assistant", "content": "print(rows[:2])"},
            {"role": "user", "content": "head " + "pkg:amd64 (1.0), " * 1500 + " tail"}]
    cut = fit_window(msgs, lm)
    assert token_estimate(cut) <= 4096 - 256
    last = cut[-1]["content"]
    assert last.startswith("head pkg:amd64") and last.endswith(" tail")
    assert "characters cut here to fit the model's window" in last
    assert cut[-2]["content"] == "print(rows[:2])" and cut[1]["content"] == "the task" + NOTE
