"""`recursor batch` without Ray: jobs, OUT, resume, one budget and one rate limit for all jobs."""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from batch_helpers import billed_reply, config, rows, secret_reply, write_jobs
from fakes.billing import FakeBilling
from fakes.openai_server import FakeOpenAIServer, Reply, Status
from recursor.batch.jobs import OutFile, parse_jobs
from recursor.batch.runner import run_batch
from recursor.batch.shared import BatchBudget, RateLimiter
from recursor.errors import UserError


def test_batch_answers_every_job_and_resumes(tmp_path: Path) -> None:
    jobs = write_jobs(tmp_path / "in.jsonl", 6)
    out = tmp_path / "out.jsonl"
    with FakeOpenAIServer(responder=lambda r: secret_reply(r, 0.05)) as server:
        summary = run_batch(config(server.base_url, "--parallel", "3"), jobs, out, stream=io.StringIO())
        got = {row["id"]: row for row in rows(out)}
        assert summary.done == 6 and summary.failed == 0
        assert {i: row["answer"] for i, row in got.items()} == {f"j{i}": f"s{i}" for i in range(6)}
        row = got["j0"]
        assert row["stopped_by"] == "final" and row["usage"]["calls"] == 1 and row["node"]
        assert "error" not in row and "cost_usd" in row and "trace_path" in row
        assert server.peak_in_flight <= 3
        sent = len(server.requests)
        again = run_batch(config(server.base_url), jobs, out, stream=io.StringIO())
        assert again.skipped == 6 and len(server.requests) == sent and len(rows(out)) == 6


def test_bad_lines_are_reported_with_their_number_and_skipped(tmp_path: Path) -> None:
    jobs = write_jobs(tmp_path / "in.jsonl", 2, extra=[
        "not json", json.dumps({"id": "j0", "question": "dup"}), json.dumps({"question": "no id"}),
        json.dumps({"id": "big", "question": "q", "limits": {"max_iterations": 99}}),
    ])
    err = io.StringIO()
    with FakeOpenAIServer(responder=secret_reply) as server:
        summary = run_batch(config(server.base_url, "--max-iterations", "10"), jobs, tmp_path / "out.jsonl",
                            stream=err)
        assert summary.done == 2
        assert [b.line for b in summary.bad_lines] == [3, 4, 5, 6]
        text = err.getvalue()
        assert "line 3: not JSON" in text and "line 4: duplicate id 'j0'" in text
        assert "line 6: limits: max_iterations=99 is above the batch's 10" in text
        with pytest.raises(UserError, match="--strict"):
            run_batch(config(server.base_url, "--strict"), jobs, tmp_path / "strict.jsonl", stream=io.StringIO())
        assert not (tmp_path / "strict.jsonl").exists()


def test_job_limits_may_only_lower_the_batch() -> None:
    line = json.dumps({"id": "a", "question": "q", "limits": {"max_usd": 0.5, "timeout": 3}})
    jobs, bad = parse_jobs([line], {"max_usd": 1.0, "timeout": None})
    assert jobs[0].limits == {"max_usd": 0.5, "timeout": 3.0} and not bad
    _, bad = parse_jobs([line], {"max_usd": 0.1})
    assert "above the batch's 0.1" in bad[0].reason
    _, bad = parse_jobs([json.dumps({"id": "a", "question": "q", "limits": {"max_concurrency": 2}})], {})
    assert "cannot be set per job" in bad[0].reason


def test_a_torn_last_line_is_cut_and_its_job_runs_again(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text(json.dumps({"id": "j0", "answer": "s0"}) + "\n" + '{"id": "j1", "ans')
    handle = OutFile(out)
    assert handle.torn > 0 and handle.done_ids() == {"j0"}
    assert out.read_text().endswith("}\n")


def test_failed_jobs_are_written_and_retry_failed_reruns_them(tmp_path: Path) -> None:
    jobs = tmp_path / "in.jsonl"
    jobs.write_text(json.dumps({"id": "a", "question": "q", "context_path": str(tmp_path / "missing.txt")}) + "\n")
    out = tmp_path / "out.jsonl"
    with FakeOpenAIServer(responder=secret_reply) as server:
        summary = run_batch(config(server.base_url), jobs, out, stream=io.StringIO())
        assert summary.failed == 1 and "context path does not exist" in rows(out)[0]["error"]
        (tmp_path / "missing.txt").write_text("The secret is back.")
        assert run_batch(config(server.base_url), jobs, out, stream=io.StringIO()).skipped == 1
        run_batch(config(server.base_url, "--retry-failed"), jobs, out, stream=io.StringIO())
        assert rows(out)[-1]["answer"] == "back"


def test_the_batch_total_is_never_exceeded_under_concurrency(tmp_path: Path) -> None:
    jobs = write_jobs(tmp_path / "in.jsonl", 24)
    out = tmp_path / "out.jsonl"
    billing = FakeBilling({"m": (1000.0, 1000.0)}, delay=0.05)  # $0.001 a token
    with FakeOpenAIServer(responder=billed_reply(billing)) as server:
        cfg = config(server.base_url, "--parallel", "8", "--max-usd-total", "2.0", "--price", "m=1000,1000",
                     "--max-output-tokens", "300")
        summary = run_batch(cfg, jobs, out, stream=io.StringIO())
    assert sum(billing.usd) <= 2.0 + 1e-9
    assert summary.budget is not None and summary.budget["spent_usd"] <= 2.0 + 1e-9
    assert summary.budget["exhausted"] == "max_usd" and summary.budget["open_holds"] == 0
    written = rows(out)
    assert any(r["stopped_by"] == "max_usd" for r in written)  # a job the batch budget ended
    assert summary.done + summary.not_started == 24 and summary.not_started > 0
    assert sum(billing.usd) > 1.0  # most of the budget was used, not refused up front
    assert abs(sum(r["cost_usd"] or 0 for r in written) - sum(billing.usd)) < 1e-9


def test_the_token_total_holds_too(tmp_path: Path) -> None:
    jobs = write_jobs(tmp_path / "in.jsonl", 12)
    billing = FakeBilling({"m": (1.0, 1.0)}, delay=0.02)
    with FakeOpenAIServer(responder=billed_reply(billing)) as server:
        cfg = config(server.base_url, "--parallel", "6", "--max-tokens-total", "2500", "--max-output-tokens", "300")
        run_batch(cfg, jobs, tmp_path / "out.jsonl", stream=io.StringIO())
    assert 0 < sum(billing.tokens) <= 2500


def test_an_unpriced_model_is_refused_before_any_job(tmp_path: Path) -> None:
    jobs = write_jobs(tmp_path / "in.jsonl", 2)
    with FakeOpenAIServer(responder=secret_reply) as server:
        with pytest.raises(UserError, match="price"):
            run_batch(config(server.base_url, "--max-usd-total", "1"), jobs, tmp_path / "o.jsonl", stream=io.StringIO())
        assert not server.requests


def test_the_shared_rpm_paces_every_job(tmp_path: Path) -> None:
    jobs = write_jobs(tmp_path / "in.jsonl", 6)
    with FakeOpenAIServer(responder=secret_reply) as server:
        run_batch(config(server.base_url, "--parallel", "6", "--rpm", "300"), jobs, tmp_path / "out.jsonl",
                  stream=io.StringIO())
        times = sorted(r.arrived for r in server.requests)
    # 300 a minute: one send time every 0.2 s, for all jobs (unpaced, all 6 arrive at once). The
    # server also sees each request's own delay after its send time (a busy machine wakes a
    # sender late), so the check is on windows, as a provider counts, not on each gap.
    assert len(times) == 6 and times[-1] - times[0] >= 4 * 0.2
    assert max(sum(1 for u in times if t <= u < t + 0.5) for t in times) <= 4


def test_429s_slow_the_shared_limit_and_every_job_still_answers(tmp_path: Path) -> None:
    jobs = write_jobs(tmp_path / "in.jsonl", 4)
    throttle = [Status(429, headers={"Retry-After": "0.3"})] * 2
    with FakeOpenAIServer(throttle, responder=secret_reply) as server:
        cfg = config(server.base_url, "--parallel", "4", "--rpm", "600", "--retries", "3")
        summary = run_batch(cfg, jobs, tmp_path / "out.jsonl", stream=io.StringIO())
        assert summary.done == 4
        times = sorted(r.arrived for r in server.requests)
    assert times[-1] - times[0] >= 0.3  # the Retry-After held every sender back


def test_rate_limiter_aimd_with_a_fake_clock() -> None:
    now = [0.0]
    lim = RateLimiter(rpm=60, tpm=None, clock=lambda: now[0])
    waits = [asyncio.run(lim.acquire("m", 10)) for _ in range(3)]
    assert waits == [0.0, 1.0, 2.0]
    asyncio.run(lim.done("m", 10, None, throttled=True, retry_after=5.0))
    asyncio.run(lim.done("m", 10, None, throttled=True))  # within a second: not halved again
    assert lim._models["m"].factor == 0.5
    assert asyncio.run(lim.acquire("m", 10)) == 5.0  # everyone waits out the Retry-After
    assert asyncio.run(lim.acquire("m", 10)) == 7.0  # then at half the rate: every 2 s
    for _ in range(30):
        asyncio.run(lim.done("m", 10, 10))
    assert lim._models["m"].factor == 1.0


def test_rate_limiter_tokens_are_credited_back() -> None:
    now = [0.0]
    lim = RateLimiter(rpm=None, tpm=600, clock=lambda: now[0])
    assert asyncio.run(lim.acquire("m", 100)) == 0.0  # 100 of 600 a minute: 10 s of pacing
    asyncio.run(lim.done("m", 100, 10))  # it used 10: 9 s credited back
    assert asyncio.run(lim.acquire("m", 10)) == pytest.approx(1.0)


def test_a_grant_for_a_cancelled_waiter_is_released() -> None:
    async def scenario() -> dict:
        budget = BatchBudget(max_usd=None, max_tokens=800, max_output_tokens=400)
        ok, *_ = await budget.reserve("a#1", "k1", 100, None, 400)  # holds 500
        assert ok
        waiting = asyncio.create_task(budget.reserve("b#1", "k2", 100, None, 400))  # must wait
        await asyncio.sleep(0.01)
        await budget.close("k2", "release")  # its caller gave up: the later grant is dropped
        await budget.settle("k1", 100, 50, None, None)
        assert (await waiting)[0] is False
        assert await budget.abandon("a#1") == 0
        return await budget.snapshot()

    snap = asyncio.run(scenario())
    assert snap["held_tokens"] == 0 and snap["spent_tokens"] == 150 and snap["open_holds"] == 0


class _LimiterHandle:
    """Stands in for the limiter actor's handle: `reset.remote(...)` is awaited."""

    def __init__(self) -> None:
        self.resets: list[tuple[float | None, float | None]] = []
        self.reset = SimpleNamespace(remote=self._reset)

    async def _reset(self, rpm: float | None, tpm: float | None) -> None:
        self.resets.append((rpm, tpm))


def test_the_cluster_ledger_is_shared_on_its_terms_and_fresh_for_its_next_user(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from recursor.batch import ray_ledger
    from recursor.batch.ray_ledger import LedgerSpec, SharedBudget

    async def scenario() -> None:
        limiter = _LimiterHandle()
        ledger = SharedBudget(limiter)
        assert await ledger.open("a", LedgerSpec(max_usd=1.0, rpm=60)) == (True, LedgerSpec(max_usd=1.0, rpm=60), 0)
        assert limiter.resets == [(60, None)]
        assert (await ledger.reserve("a/j#1", "k1", 1000, (100.0, 100.0), 100))[0]
        await ledger.settle("k1", 1000, 100, None, 0.11)
        # Other terms are refused (money limits are not merged); no terms join under the ledger's.
        assert await ledger.open("b", LedgerSpec(max_usd=5.0)) == (False, LedgerSpec(max_usd=1.0, rpm=60), 1)
        assert await ledger.open("c", LedgerSpec()) == (True, LedgerSpec(max_usd=1.0, rpm=60), 1)
        assert (await ledger.snapshot())["spent_usd"] == pytest.approx(0.11)
        await ledger.leave("a")
        await ledger.leave("c")
        # The next first user starts it afresh, with its own terms.
        assert (await ledger.open("d", LedgerSpec(max_tokens=500)))[0]
        snap = await ledger.snapshot()
        assert snap["spent_usd"] == 0 and snap["exhausted"] is None and limiter.resets[-1] == (None, None)
        # A user whose lease lapsed (its driver was killed) no longer holds the ledger.
        monkeypatch.setattr(ray_ledger, "LEASE_SECONDS", -1.0)
        assert (await ledger.open("e", LedgerSpec(max_usd=3.0)))[0]

    asyncio.run(scenario())


def test_rlm_mode_jobs_run_their_repl(tmp_path: Path) -> None:
    jobs = write_jobs(tmp_path / "in.jsonl", 2)

    def responder(request: dict) -> Reply:
        if len(request["messages"]) <= 2:
            return Reply("```repl\nimport re\nsecret = re.search(r'secret is (\\w+)', context).group(1)\n"
                         "print(secret)\n```")
        return Reply("FINAL_VAR(secret)")

    with FakeOpenAIServer(responder=responder) as server:
        cfg = config(server.base_url, "--mode", "rlm", "--parallel", "2")
        summary = run_batch(cfg, jobs, tmp_path / "out.jsonl", stream=io.StringIO())
    assert summary.done == 2
    assert sorted(r["answer"] for r in rows(tmp_path / "out.jsonl")) == ["s0", "s1"]


def test_the_command_line(tmp_path: Path) -> None:
    jobs = write_jobs(tmp_path / "in.jsonl", 3, extra=["{oops"])
    out = tmp_path / "out.jsonl"
    with FakeOpenAIServer(responder=secret_reply) as server:
        proc = subprocess.run(
            [sys.executable, "-m", "recursor.cli", "batch", str(jobs), "--out", str(out), "--model", "m",
             "--base-url", server.base_url, "--mode", "direct", "--no-trace"],
            capture_output=True, text=True, timeout=120, env=dict(os.environ), stdin=subprocess.DEVNULL)
    assert proc.returncode == 1  # a bad line
    assert "line 4: not JSON" in proc.stderr and "batch: done 3/3, failed 0" in proc.stderr
    assert proc.stdout == "" and len(rows(out)) == 3
