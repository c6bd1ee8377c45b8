"""Model faults through the whole RLM loop: real HTTP clients against the fake server.

Every test runs the real `RLM` (real worker process, real trace) with `OpenAICompatibleLM` or
`AnthropicLM` wrapped in `RetryingLM` as the root and the sub-model, pointed at
`FakeOpenAIServer`. Each fault must be retried within the budget or surfaced as a clear error,
a batch must keep its good items, and the run must end with the best answer it has and a
complete trace. docs/faults.md lists these tests as the "faults survived" table.
"""

from __future__ import annotations

import ast
import asyncio
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from fakes.openai_server import (
    Behaviour,
    FakeOpenAIServer,
    Hang,
    NullContent,
    Refusal,
    Reply,
    Reset,
    Status,
    TruncatedJSON,
)
from recursor import RLM, Limits, Pricing, Result
from recursor.errors import LMRequestError
from recursor.lm.anthropic import AnthropicLM
from recursor.lm.base import LM, Message
from recursor.lm.openai_compat import OpenAICompatibleLM
from recursor.lm.retry import RetryingLM, RetryPolicy
from recursor.sandbox import process
from recursor.trace.reader import read_events

ROOT, SUB = "root-m", "sub-m"
CLIENT_TIMEOUT = 0.3
"""Short, so a hung request fails fast and is retried."""
FAST = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.2, jitter=0.0)
SLACK = 0.75
"""How far past `Limits(timeout=...)` a run may end: the deadline must cut calls short."""

LOOK = "```repl\nprint(len(context))\n```"
PARTIAL = "```repl\nanswer['content'] = 'partial: 42'\nprint('noted')\n```"
BATCH = "```repl\nout = llm_query_batched(['a', 'b', 'c', 'd'])\nprint(out)\n```"
ALL_GOOD = str(["A", "B", "C", "D"])

Step = Behaviour | str


# -- the fake model service ----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_real_requests(local_http_only: None) -> None:
    """No test may reach a real (paid) API, whatever a bug in the clients does."""


WORKERS: list[process.ProcessRepl] = []
"""Every REPL the current test's runs made (see `_track_workers`)."""


@pytest.fixture(autouse=True)
def _track_workers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Record every REPL worker, so a test can check that none is left running.

    `run` also closes any a regression leaves open (see
    test_run_ending_before_its_first_cell_leaks_no_worker): a leaked worker is finalized after
    the test's event loop has closed, and that noise can crash pytest at exit.
    """

    class Tracked(process.ProcessRepl):
        def __init__(self, *args: Any, **kw: Any) -> None:
            super().__init__(*args, **kw)
            WORKERS.append(self)

    monkeypatch.setattr(process, "ProcessRepl", Tracked)
    WORKERS.clear()
    yield
    WORKERS.clear()


def running_workers() -> list[process.ProcessRepl]:
    """Workers whose process is still alive."""
    return [w for w in WORKERS if w._proc is not None and w._proc.returncode is None]


async def close_workers() -> None:
    """Close every worker made so far (closing twice is harmless)."""
    for worker in WORKERS:
        await worker.close()


class Router:
    """Answers root and sub requests from separate scripts.

    Sub-calls of a batch arrive in any order, so a single ordered script cannot aim a fault at
    one item; here each sub prompt has its own queue. Root turns are sequential and play
    `root` in order, then `root_default`. A sub prompt with no queue left gets
    `sub_default(prompt)` (the prompt upper-cased, so answers are easy to check).
    """

    def __init__(
        self,
        root: Iterable[Step] = (),
        *,
        root_default: Step | None = None,
        sub: Mapping[str, Iterable[Step]] | None = None,
        sub_default: Callable[[str], Step] = str.upper,
    ) -> None:
        self.root: deque[Step] = deque(root)
        self.root_default = root_default
        self.sub = {k: deque(v) for k, v in (sub or {}).items()}
        self.sub_default = sub_default
        self.seen: dict[str, int] = {}
        self._lock = threading.Lock()

    def __call__(self, request: dict[str, Any]) -> Behaviour:
        with self._lock:
            step = self._step(request)
        return Reply(step) if isinstance(step, str) else step

    def _step(self, request: dict[str, Any]) -> Step:
        if request["model"] == ROOT:
            self.seen[ROOT] = self.seen.get(ROOT, 0) + 1
            if self.root:
                return self.root.popleft()
            assert self.root_default is not None, "root script ran out"
            return self.root_default
        prompt = str(request["messages"][-1]["content"])
        self.seen[prompt] = self.seen.get(prompt, 0) + 1
        queue = self.sub.get(prompt)
        return queue.popleft() if queue else self.sub_default(prompt)


def openai_lms(server: FakeOpenAIServer, policy: RetryPolicy, timeout: float) -> tuple[LM, LM]:
    """Root and sub-model as a user would build them for an OpenAI-compatible endpoint."""

    def one(model: str) -> LM:
        client = OpenAICompatibleLM(
            model, base_url=server.base_url, api_key_env=None, timeout=timeout
        )
        return RetryingLM(client, policy)

    return one(ROOT), one(SUB)


def anthropic_lms(server: FakeOpenAIServer, policy: RetryPolicy, timeout: float) -> tuple[LM, LM]:
    """Root and sub-model in the Anthropic Messages shape (`/v1/messages`)."""

    def one(model: str) -> LM:
        client = AnthropicLM(
            model, base_url=server.root_url, api_key="sk-ant-test", timeout=timeout
        )
        return RetryingLM(client, policy)

    return one(ROOT), one(SUB)


async def run(
    router: Router | Callable[[dict[str, Any]], Behaviour],
    tmp_path: Path,
    *,
    limits: Limits | None = None,
    policy: RetryPolicy = FAST,
    timeout: float = CLIENT_TIMEOUT,
    anthropic: bool = False,
    context: str = "abcd",
    close_leaked: bool = True,
    pricing: Pricing | None = None,
) -> tuple[Result, FakeOpenAIServer]:
    """One full `RLM.acomplete` against a fresh fake server; the server is returned stopped."""
    with FakeOpenAIServer(responder=router) as server:
        make = anthropic_lms if anthropic else openai_lms
        root, sub = make(server, policy, timeout)
        rlm = RLM(root, sub_model=sub, limits=limits, trace_dir=tmp_path / "traces", pricing=pricing)
        try:
            result = await rlm.acomplete("What is the number?", context)
        finally:
            await rlm.aclose()
            if close_leaked:
                await close_workers()
    return result, server


def trace_of(result: Result) -> list[dict[str, Any]]:
    """The run's events, checked for completeness: it starts, it ends as the Result says, and
    every LM call records either a reply or an error."""
    assert result.trace_path is not None
    events = read_events(result.trace_path)
    assert events[0]["event"] == "run_start" and events[0]["run_id"] == "root"
    end = events[-1]
    assert end["event"] == "run_end" and end["run_id"] == "root"
    assert (end["answer"], end["stopped_by"], end["error"]) == (
        result.answer,
        result.stopped_by,
        result.error,
    )
    calls = {e["call_id"] for e in events if e["event"] == "lm_call"}
    for e in events:
        if e["event"] == "lm_call":
            assert ("reply" in e) != ("error" in e), e
        if e["event"] == "retry":
            assert e["call_id"] in calls, f"retry of a call that was never logged: {e}"
    return events


def lm_errors(events: list[dict[str, Any]], role: str) -> list[str]:
    """The error of every failed LM call of `role` ("root" or "sub") in the trace."""
    return [
        e["error"] for e in events if e["event"] == "lm_call" and e["role"] == role and "error" in e
    ]


def retries(events: list[dict[str, Any]]) -> list[str]:
    """The error of every retry the trace records, in order."""
    return [e["error"] for e in events if e["event"] == "retry"]


def root_turns(server: FakeOpenAIServer) -> list[list[Message]]:
    """What the root model was sent, request by request (retries included)."""
    return [r.json["messages"] for r in server.requests if r.json.get("model") == ROOT]


def slots(answer: str) -> list[str]:
    """A batch's result list from the answer it was given as (the list's str)."""
    value = ast.literal_eval(answer)
    assert isinstance(value, list), answer
    return value


def told(server: FakeOpenAIServer, turn: int) -> str:
    """The last message the root model was sent on request `turn` (0-based)."""
    return str(root_turns(server)[turn][-1]["content"])


# -- root faults that a retry absorbs ------------------------------------------------------------

RETRIED: dict[str, list[Behaviour]] = {
    "429_retry_after": [Status(429, headers={"Retry-After": "0.2"})],
    "500_burst": [Status(500), Status(500), Status(500)],
    "503_burst": [Status(503), Status(503), Status(503)],
    "mixed_5xx_burst": [Status(502), Status(503), Status(500)],
    "hang": [Hang()],
    "reset": [Reset(), Reset()],
    "truncated_json": [TruncatedJSON()],
    "cut_mid_body": [TruncatedJSON(incomplete=True)],
    "garbled_200": [Status(200, body='{"choices": {"0": "not a list"}}')],
    "bad_usage_200": [
        Status(
            200,
            body='{"choices": [{"message": {"content": "x"}}], "usage": {"prompt_tokens": "lots"}}',
        )
    ],
}


@pytest.mark.parametrize("faults", RETRIED.values(), ids=[f"root_retried_{k}" for k in RETRIED])
async def test_root_fault_is_retried(faults: list[Behaviour], tmp_path: Path) -> None:
    """A transient fault on a root turn costs a retry, not the run."""
    result, server = await run(Router([*faults, LOOK, "FINAL(42)"]), tmp_path)
    assert (result.answer, result.stopped_by, result.iterations) == ("42", "final", 2)
    assert len(root_turns(server)) == len(faults) + 2
    events = trace_of(result)
    assert lm_errors(events, "root") == []
    assert len(retries(events)) == len(faults), "every retry is in the trace"
    if isinstance(faults[0], Status) and "Retry-After" in faults[0].headers:
        first, second = server.requests[:2]
        assert second.arrived - first.arrived >= 0.2, "Retry-After was not honoured"


# -- sub-call faults in a batch --------------------------------------------------------------------

SUB_RETRIED: dict[str, list[Behaviour]] = {
    "429_retry_after": [Status(429, headers={"Retry-After": "0.1"})],
    "500_burst": [Status(500), Status(500), Status(500)],
    "503_burst": [Status(503), Status(503)],
    "hang": [Hang()],
    "reset": [Reset()],
    "truncated_json": [TruncatedJSON(), TruncatedJSON(incomplete=True)],
}


@pytest.mark.parametrize(
    "faults", SUB_RETRIED.values(), ids=[f"sub_retried_{k}" for k in SUB_RETRIED]
)
async def test_sub_fault_in_batch_is_retried(faults: list[Behaviour], tmp_path: Path) -> None:
    """One item of `llm_query_batched` hits a transient fault; the retry makes the batch whole."""
    router = Router([BATCH, "FINAL_VAR(out)"], sub={"b": faults})
    result, _ = await run(router, tmp_path)
    assert (result.answer, result.stopped_by) == (ALL_GOOD, "final")
    assert router.seen["b"] == len(faults) + 1 and router.seen["a"] == 1
    events = trace_of(result)
    assert lm_errors(events, "sub") == []
    assert len(retries(events)) == len(faults)


SUB_FAILED: dict[str, tuple[list[Behaviour], str]] = {
    "500_outlasts_retries": ([Status(500)] * 4, "Error: LMServerError: sub-m: HTTP 500"),
    "429_outlasts_retries": (
        [Status(429, headers={"Retry-After": "0"})] * 4,
        "Error: RateLimitError: sub-m: HTTP 429",
    ),
    "hang_outlasts_retries": ([Hang()] * 4, "Error: LMTimeoutError: sub-m: no reply"),
    "reset_outlasts_retries": ([Reset()] * 4, "Error: LMConnectionError: sub-m: connection"),
    "truncated_outlasts_retries": (
        [TruncatedJSON()] * 4,
        "Error: LMServerError: sub-m: HTTP 200 reply is not valid JSON",
    ),
    "400_not_retried": (
        [Status(400, body='{"error": {"message": "prompt too long"}}')],
        "Error: LMRequestError: sub-m: HTTP 400: prompt too long",
    ),
}


@pytest.mark.parametrize(
    ("faults", "slot"), SUB_FAILED.values(), ids=[f"sub_failed_{k}" for k in SUB_FAILED]
)
async def test_batch_keeps_the_rest_when_an_item_fails(
    faults: list[Behaviour], slot: str, tmp_path: Path
) -> None:
    """A fault that retries cannot fix fills only its own slot with an "Error: ..." string."""
    router = Router([BATCH, "FINAL_VAR(out)"], sub={"b": faults})
    result, server = await run(router, tmp_path)
    assert result.stopped_by == "final"
    items = slots(result.answer)
    assert [items[0], items[2], items[3]] == ["A", "C", "D"]
    assert items[1].startswith(slot), items[1]
    assert router.seen["b"] == len(faults)
    assert items[1] in told(server, 1), "the model saw the batch with its error slot"
    events = trace_of(result)
    (error,) = lm_errors(events, "sub")
    assert error == items[1].removeprefix("Error: ")


async def test_single_sub_call_failure_is_a_cell_error(tmp_path: Path) -> None:
    """A lone `llm_query` that fails raises in the model's code; the model is told and goes on."""
    code = "```repl\nx = llm_query('b')\n```"
    router = Router(
        [code, "```repl\nx = llm_query('c')\nprint(x)\n```", "FINAL_VAR(x)"],
        sub={"b": [Status(503)] * 4},
    )
    result, server = await run(router, tmp_path)
    assert (result.answer, result.stopped_by) == ("C", "final")
    shown = told(server, 1)
    assert "SubcallError" in shown and "LMServerError" in shown and "HTTP 503" in shown


# -- empty replies, refusals, and a model that never codes or answers ------------------------------


async def test_empty_root_reply_is_told_and_the_run_goes_on(tmp_path: Path) -> None:
    """Null content (an overloaded upstream) is a turn without code: the model is told."""
    result, server = await run(Router([NullContent(), LOOK, "FINAL(42)"]), tmp_path)
    assert (result.answer, result.stopped_by) == ("42", "final")
    assert "no ```repl code block" in told(server, 1)
    replies = [e["reply"] for e in trace_of(result) if e["event"] == "lm_call"]
    assert replies == ["", LOOK, "FINAL(42)"]


async def test_empty_sub_reply_is_an_empty_slot(tmp_path: Path) -> None:
    """An empty sub-reply is what the model said; the other items are untouched."""
    router = Router([BATCH, "FINAL_VAR(out)"], sub={"b": [NullContent()]})
    result, _ = await run(router, tmp_path)
    assert slots(result.answer) == ["A", "", "C", "D"]
    trace_of(result)


async def test_root_refusal_is_told_and_the_run_goes_on(tmp_path: Path) -> None:
    """A refusal is a turn without code; the trace keeps finish_reason "refusal"."""
    result, server = await run(
        Router([Refusal("I can't help with that."), LOOK, "FINAL(42)"]), tmp_path
    )
    assert (result.answer, result.stopped_by) == ("42", "final")
    assert "no ```repl code block" in told(server, 1)
    first = next(e for e in trace_of(result) if e["event"] == "lm_call")
    assert (first["reply"], first["finish_reason"]) == ("I can't help with that.", "refusal")


async def test_sub_refusal_comes_back_as_its_text(tmp_path: Path) -> None:
    """A sub-model's refusal reaches the model's code as the refusal text, in its own slot."""
    router = Router([BATCH, "FINAL_VAR(out)"], sub={"b": [Refusal("no")]})
    result, _ = await run(router, tmp_path)
    assert slots(result.answer) == ["A", "no", "C", "D"]


async def test_no_code_no_answer_for_many_turns_ends_with_max_errors(tmp_path: Path) -> None:
    """A model that only chats is told each turn, then stopped by max_errors (default 5) and
    asked once to answer now; its words are the best answer there is."""
    router = Router(["I am still thinking about it."] * 5 + ["It is probably 42."])
    result, server = await run(router, tmp_path)
    assert (result.answer, result.stopped_by, result.iterations) == (
        "It is probably 42.",
        "max_errors",
        5,
    )
    assert all("no ```repl code block" in told(server, n) for n in range(1, 5))
    assert "reached a limit (max errors)" in told(server, 5)
    assert len(root_turns(server)) == 6
    trace_of(result)


async def test_refusal_in_answer_now_turn_keeps_the_recorded_answer(tmp_path: Path) -> None:
    """A refusal is not an answer: the one recorded in answer["content"] must win."""
    router = Router([PARTIAL] + ["Still thinking."] * 5 + [Refusal("I can't help with that.")])
    result, _ = await run(router, tmp_path)
    assert result.stopped_by == "max_errors"
    assert result.answer == "partial: 42"


# -- faults that outlast the retries ---------------------------------------------------------------

ROOT_FAILED: dict[str, tuple[list[Behaviour], str]] = {
    "503_outlasts_retries": ([Status(503)] * 4, "root-m: HTTP 503: fake error"),
    "429_outlasts_retries": (
        [Status(429, headers={"Retry-After": "0.01"})] * 4,
        "root-m: HTTP 429",
    ),
    "hang_outlasts_retries": ([Hang()] * 4, "root-m: no reply from 127.0.0.1"),
    "reset_outlasts_retries": ([Reset()] * 4, "root-m: connection to 127.0.0.1"),
    "truncated_outlasts_retries": (
        [TruncatedJSON()] * 4,
        "root-m: HTTP 200 reply is not valid JSON",
    ),
    "401_not_retried": (
        [Status(401, body='{"error": {"message": "bad key"}}')],
        "root-m: HTTP 401: bad key (check the API key)",
    ),
}


@pytest.mark.parametrize(
    ("faults", "message"), ROOT_FAILED.values(), ids=[f"root_failed_{k}" for k in ROOT_FAILED]
)
async def test_root_fault_outlasting_retries_ends_with_lm_error(
    faults: list[Behaviour], message: str, tmp_path: Path
) -> None:
    """The run ends (no exception) with stopped_by "lm_error", the error text, and the answer
    recorded so far in answer["content"]."""
    router = Router([PARTIAL, *faults])
    result, server = await run(router, tmp_path)
    assert (result.stopped_by, result.answer, result.iterations) == ("lm_error", "partial: 42", 1)
    assert result.error is not None and result.error.startswith(message), result.error
    assert len(root_turns(server)) == 1 + len(faults)
    events = trace_of(result)
    (error,) = lm_errors(events, "root")
    assert error.endswith(result.error)
    assert len(retries(events)) == len(faults) - 1, "the last attempt is not retried"


async def test_root_fault_after_a_sub_call_answers_with_the_sub_result(tmp_path: Path) -> None:
    """With no answer["content"], the best answer is the last sub-call's result."""
    router = Router(["```repl\nx = llm_query('the answer')\n```", *[Status(500)] * 4])
    result, _ = await run(router, tmp_path)
    assert (result.stopped_by, result.answer) == ("lm_error", "THE ANSWER")
    trace_of(result)


async def test_root_down_from_the_start_is_a_clear_error(tmp_path: Path) -> None:
    """No answer at all: the Result says so (empty answer, lm_error, the provider's message)."""
    result, _ = await run(Router([Status(503)] * 4), tmp_path)
    assert (result.stopped_by, result.answer, result.iterations) == ("lm_error", "", 0)
    assert (result.error or "").startswith("root-m: HTTP 503: fake error")
    assert "gave up after" in (result.error or "")
    trace_of(result)


async def test_run_ending_before_its_first_cell_leaks_no_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A root model that fails at once ends the run while its worker is still starting.

    The worker's start is held open for a second after its process is up, and the 401 comes
    after 0.2 s, so the run always ends in that window, whatever the machine's speed.
    """
    start = process.ProcessRepl.start

    async def slow_start(self: process.ProcessRepl) -> None:
        await start(self)
        await asyncio.sleep(1.0)

    monkeypatch.setattr(process.ProcessRepl, "start", slow_start)
    try:
        result, _ = await run(Router([Status(401, delay=0.2)]), tmp_path, close_leaked=False)
        assert result.stopped_by == "lm_error"
        assert WORKERS, "the run started a worker"
        assert running_workers() == []
    finally:
        await close_workers()


async def test_empty_sub_reply_does_not_erase_the_last_sub_result(tmp_path: Path) -> None:
    """An empty sub-reply must not replace a useful one as the fallback answer."""
    router = Router(
        [
            "```repl\nx = llm_query('the answer')\n```",
            "```repl\ny = llm_query('b')\n```",
            *[Status(500)] * 4,
        ],
        sub={"b": [NullContent()]},
    )
    result, _ = await run(router, tmp_path)
    assert (result.stopped_by, result.answer) == ("lm_error", "THE ANSWER")


CHILDREN = "```repl\nr = rlm_query_batched(['task a', 'task b'], contexts=['xxxx', 'yy'])\n```"


def children(task_b: Behaviour) -> Callable[[dict[str, Any]], Behaviour]:
    """A root that hands two tasks to child runs (depth 2); child b's model plays `task_b`."""
    root = deque([CHILDREN, "FINAL_VAR(r)"])
    lock = threading.Lock()

    def respond(request: dict[str, Any]) -> Behaviour:
        if request["model"] == ROOT:
            with lock:
                return Reply(root.popleft())
        if "Question: task b" in str(request["messages"][1]["content"]):
            return task_b
        return Reply("```repl\nFINAL(f'{len(context)} chars')\n```")

    return respond


async def test_child_run_that_fails_is_an_error_slot(tmp_path: Path) -> None:
    """At depth 2, a child whose model stays down fills its slot with an error; its sibling answers."""
    respond = children(Status(500))
    result, _ = await run(respond, tmp_path, limits=Limits(max_depth=2))
    items = slots(result.answer)
    assert items[0] == "4 chars"
    assert items[1].startswith("Error: LMError: child run root.2 failed: sub-m: HTTP 500"), items[1]
    ends = {e["run_id"]: e for e in trace_of(result) if e["event"] == "run_end"}
    assert ends["root.1"]["stopped_by"] == "final"
    assert ends["root.2"]["stopped_by"] == "lm_error" and "HTTP 500" in ends["root.2"]["error"]


async def test_child_run_without_an_answer_is_an_error_slot(tmp_path: Path) -> None:
    """A child whose model only ever sends empty replies must not come back as a silent ''."""
    respond = children(NullContent())
    result, _ = await run(respond, tmp_path, limits=Limits(max_depth=2))
    items = slots(result.answer)
    assert items[0] == "4 chars"
    assert items[1].startswith("Error:") and "max_errors" in items[1], items[1]


# -- limits end the run: deadline and money ----------------------------------------------------------


async def test_deadline_cuts_a_hanging_root_call(tmp_path: Path) -> None:
    """The client would wait 30 s; `Limits(timeout=1)` ends the run at about 1 s."""
    started = time.monotonic()
    result, _ = await run(
        Router([PARTIAL, Hang()]), tmp_path, limits=Limits(timeout=1.0), timeout=30.0
    )
    elapsed = time.monotonic() - started
    assert (result.stopped_by, result.answer) == ("timeout", "partial: 42")
    assert elapsed < 1.0 + SLACK, elapsed
    assert lm_errors(trace_of(result), "root") == ["deadline reached"]


async def test_deadline_cuts_a_hanging_sub_call(tmp_path: Path) -> None:
    """A hung sub-call is cut at the deadline: its slot says so and the run ends on time."""
    code = "```repl\nout = llm_query_batched(['a', 'b'])\nanswer['content'] = str(out)\n```"
    started = time.monotonic()
    router = Router([code], sub={"b": [Hang()]})
    result, _ = await run(router, tmp_path, limits=Limits(timeout=1.0), timeout=30.0)
    elapsed = time.monotonic() - started
    assert result.stopped_by == "timeout"
    assert elapsed < 1.0 + SLACK, elapsed
    items = slots(result.answer)
    assert items[0] == "A" and items[1].startswith("Error: budget exhausted"), items
    assert lm_errors(trace_of(result), "sub") == ["deadline reached"]


async def test_deadline_cuts_a_long_retry_after_wait(tmp_path: Path) -> None:
    """A 429 asking for 20 s does not hold the run past its deadline."""
    policy = RetryPolicy(max_attempts=4, max_delay=30.0)
    router = Router([PARTIAL, Status(429, headers={"Retry-After": "20"})])
    started = time.monotonic()
    result, _ = await run(router, tmp_path, limits=Limits(timeout=1.0), policy=policy)
    assert time.monotonic() - started < 1.0 + SLACK
    assert (result.stopped_by, result.answer) == ("timeout", "partial: 42")
    trace_of(result)


async def test_max_usd_settles_at_the_provider_cost_and_shrinks_the_last_calls(tmp_path: Path) -> None:
    """Each root turn reports $0.002 (OpenRouter's usage.cost). The price table says $10 per
    million output tokens, so a turn reserves its output cap's worth; near the end of a $0.01
    budget the cap sent shrinks to what is left, and the call that no longer fits is not sent."""
    router = Router([Reply(PARTIAL, cost=0.002)], root_default=Reply(LOOK, cost=0.002))
    result, server = await run(router, tmp_path, limits=Limits(max_usd=0.01),
                               pricing=Pricing({ROOT: (0.0, 10.0), SUB: (0.0, 10.0)}))
    assert (result.stopped_by, result.answer) == ("max_usd", "partial: 42")
    assert result.cost_usd == pytest.approx(0.002 * len(root_turns(server)))
    assert result.cost_usd is not None and result.cost_usd <= 0.01
    caps = [r.json["max_tokens"] for r in server.requests]
    assert caps == [1000, 800, 600, 400], caps  # what is left of $0.01, at $10 per million
    events = trace_of(result)
    assert [e["limit"] for e in events if e["event"] == "limit"] == ["max_usd"]


async def test_max_usd_reached_inside_a_batch(tmp_path: Path) -> None:
    """Sub-calls past the budget become "Error: budget exhausted" slots and are never sent; the
    root model is free, so it goes on and answers."""
    code = (
        "```repl\nout = llm_query_batched(['a', 'b', 'c', 'd'])\nanswer['content'] = str(out)\n```"
    )
    router = Router([code, "FINAL_VAR(out)"], sub_default=lambda p: Reply(p.upper(), completion_tokens=10))
    # A sub-call reserves 20 output tokens at $1,000 per million ($0.02) and uses 10 ($0.01).
    result, server = await run(router, tmp_path, limits=Limits(max_usd=0.03, max_concurrency=1,
                                                               max_output_tokens=20),
                               pricing=Pricing({ROOT: (0.0, 0.0), SUB: (0.0, 1000.0)}))
    assert result.stopped_by == "final"
    items = slots(result.answer)
    assert items[:2] == ["A", "B"]
    assert all(i.startswith("Error: budget exhausted") and "max_usd" in i for i in items[2:]), items
    assert result.usage.by_model[SUB].cost_usd == pytest.approx(0.02)
    assert result.cost_usd == pytest.approx(0.02)
    assert len([r for r in server.requests if r.json.get("model") == SUB]) == 2
    trace_of(result)


# -- the Anthropic shape ---------------------------------------------------------------------------

OVERLOADED = '{"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}'


async def test_anthropic_root_and_sub_faults_are_retried(tmp_path: Path) -> None:
    """529 overloaded, 429, a reset and a hang, in the Anthropic shape, root and sub."""
    root: list[Step] = [
        Status(529, body=OVERLOADED),
        Status(429, headers={"retry-after": "0.05"}),
        BATCH,
        "FINAL_VAR(out)",
    ]
    router = Router(root, sub={"b": [Status(529, body=OVERLOADED), Reset()], "c": [Hang()]})
    result, server = await run(router, tmp_path, anthropic=True)
    assert (result.answer, result.stopped_by) == (ALL_GOOD, "final")
    assert {r.path for r in server.requests} == {"/v1/messages"}
    assert (router.seen[ROOT], router.seen["b"], router.seen["c"]) == (4, 3, 2)


async def test_anthropic_overload_outlasting_retries_ends_with_lm_error(tmp_path: Path) -> None:
    """Anthropic's own error message reaches the Result."""
    router = Router([PARTIAL, *[Status(529, body=OVERLOADED)] * 4])
    result, _ = await run(router, tmp_path, anthropic=True)
    assert (result.stopped_by, result.answer) == ("lm_error", "partial: 42")
    assert (result.error or "").startswith("root-m: HTTP 529: Overloaded")
    assert "gave up after" in (result.error or "")
    trace_of(result)


async def test_anthropic_empty_root_reply_does_not_poison_the_conversation(tmp_path: Path) -> None:
    """The Messages API rejects an empty assistant turn; an empty reply must not be resent."""
    result, _ = await run(Router([NullContent(), LOOK, "FINAL(42)"]), tmp_path, anthropic=True)
    assert "non-empty content" not in (result.error or ""), result.error
    assert (result.answer, result.stopped_by) == ("42", "final")


async def test_fake_server_rejects_blank_anthropic_turns_like_the_api() -> None:
    """The test above proves something only if the fake punishes a blank turn as the API does."""
    blank: list[Message] = [
        {"role": "user", "content": "q"},
        {"role": "assistant", "content": " "},
        {"role": "user", "content": "go on"},
    ]
    with FakeOpenAIServer([Reply("ok")]) as server:
        lm = AnthropicLM("claude-x", base_url=server.root_url, api_key="sk-ant-test")
        with pytest.raises(LMRequestError, match=r"HTTP 400: messages\.1: all messages must have"):
            await lm.complete(blank)
        prefill: list[Message] = [
            {"role": "user", "content": "q"},
            {"role": "assistant", "content": ""},
        ]
        assert (await lm.complete(prefill)).text == "ok"
        await lm.aclose()
