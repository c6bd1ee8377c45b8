"""Engine benchmarks: what recursor itself costs, next to the reference implementation.

    python benchmarks/engine.py            # full run, a minute or two on 2 cores
    python benchmarks/engine.py --quick    # smaller sizes, for a smoke test
    python benchmarks/engine.py --help     # sizes, repeats, concurrencies, --json

Workloads (every model reply is scripted, so model latency is zero unless stated):
1. overhead: N root turns of a trivial cell (`x = k`), then an answer. Per-turn cost is
   the median gap between consecutive root requests (so worker start-up is left out),
   with an in-process `FunctionLM` and through the fake HTTP server; plus wall / turns.
2. batch: one cell runs `llm_query_batched` over 64 prompts whose replies take 0.5 s;
   the cell's own timing of the call is compared with ceil(64 / concurrency) * 0.5 s.
3. first request: time from `complete()` to the first root request reaching the server,
   with a tiny and with a 100 MB str context; peak RSS of the host and of the worker.
4. transport (only with `--only ... transport`): the batch of 2. with bare httpx and, when
   importable, aiohttp, and no engine: what the HTTP client alone costs per request.

"Suggested" rows measure fixes proposed in docs/benchmarks.md without changing the engine:
clients injected through `http_client=`, and `store_context` swapped in the child process.

The reference side runs the same workloads with the PyPI package `rlms` (import name
`rlm`) through `benchmarks/reference_rlms.py`, in its own virtualenv, never as a project
dependency. Install it once; without it that column is skipped with a message:

    python -m venv /tmp/rlms-venv && /tmp/rlms-venv/bin/pip install rlms

Why separate processes: the fake server (tests/fakes/openai_server.py) runs in a process of
its own, so its threads never compete for the GIL of the engine being measured, and each
engine's workload runs in a fresh child, so a peak RSS belongs to that workload alone. All
processes read CLOCK_MONOTONIC (`time.monotonic`), so server arrival times and client start
times compare directly.

This module imports only the standard library at the top: `reference_rlms.py` imports its
helpers into the rlms venv, where recursor is not installed.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
DEFAULT_RLMS_PYTHON = "/tmp/rlms-venv/bin/python"
RESULT_PREFIX = "RESULT "

#: The reply that ends a run in both engines: rlms only accepts `answer["ready"]` from code.
FINAL_CODE = "```repl\nanswer['content'] = 'done'\nanswer['ready'] = True\n```"

#: Two batches back to back in one cell, timed inside the REPL and returned as the answer:
#: the first opens connections, the second may reuse them. Monotonic stamps let the report
#: split each into lead-in, server span and lead-out.
BATCH_CODE = """```repl
import time
prompts = [f"sub {delay} {{i}}" for i in range({size})]
t0 = time.monotonic()
first = llm_query_batched(prompts)
t1 = time.monotonic()
second = llm_query_batched(prompts)
t2 = time.monotonic()
ok = [sum(r == 'ok' for r in replies) for replies in (first, second)]
answer['content'] = f"{{ok[0]}} {{ok[1]}} {{t0}} {{t1}} {{t2}}"
answer['ready'] = True
```"""


# -- shared with reference_rlms.py (stdlib only) ------------------------------------------------


def model_name(kind: str, arg: str, tag: str) -> str:
    """Encode the workload in the model name, so one stateless server scripts every run."""
    return f"{kind}_{arg}_{tag}"


def make_context(mb: float) -> str:
    """About `mb` MiB of ASCII text, built by repeating a 1 MiB block (no big temporaries)."""
    line = "record {:07d}: the quick brown fox jumps over the lazy dog; status=ok\n"
    block = "".join(line.format(i) for i in range((1 << 20) // len(line.format(0)) + 1))[: 1 << 20]
    reps = max(int(mb), 1)
    text = block * reps if mb >= 1 else block[: int(mb * (1 << 20))]
    return text + "The special magic number is 4829163.\n"


def reset_peak_rss() -> bool:
    """Reset this process's VmHWM (Linux >= 4.0), so a later peak belongs to what follows."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def rss_mb() -> dict[str, float]:
    """Current and peak RSS of this process, and the largest waited-for child's peak, in MiB."""
    out: dict[str, float] = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                out[line.split(":")[0]] = int(line.split()[1]) / 1024
    except OSError:
        pass
    self_max = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "rss": out.get("VmRSS", float("nan")),
        "peak": out.get("VmHWM", self_max),
        "children_peak": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def cpu_seconds() -> float:
    """CPU time of this process and its reaped children (the worker): unlike wall time, barely
    moved by other jobs on a shared machine."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def print_result(result: dict[str, Any]) -> None:
    """The child's one machine-readable line; anything else on stdout is ignored."""
    print(RESULT_PREFIX + json.dumps(result), flush=True)


# -- the fake model server, in its own process ----------------------------------------------------


def scripted_reply(request: dict[str, Any]) -> tuple[str, float]:
    """(reply text, latency) for a request, from its model name and messages alone.

    Sub-calls are a single user message "sub DELAY I"; root turns are scripted by the number
    of assistant messages already in the history, which both engines keep in full.
    """
    messages = request.get("messages") or []
    first = str(messages[0].get("content", "")) if messages else ""
    if len(messages) == 1 and first.startswith("sub "):
        return "ok", float(first.split()[1])
    turn = sum(1 for m in messages if m.get("role") == "assistant")
    kind, _, rest = str(request.get("model", "")).partition("_")
    arg = rest.partition("_")[0]
    if kind == "loop" and turn < int(arg):
        return f"```repl\nx = {turn}\n```", 0.0
    if kind == "batch" and turn == 0:
        size, _, delay = arg.partition("x")
        return BATCH_CODE.format(size=int(size), delay=float(delay)), 0.0
    if kind == "peek" and turn == 0:
        return "```repl\nprint(len(context))\n```", 0.0
    return FINAL_CODE, 0.0


def serve(keepalive: bool) -> None:
    """Run the fake server; stdin commands: `dump` (records as one JSON line, then cleared).

    With `keepalive`, connections are HTTP/1.1 and TCP_NODELAY, as production endpoints are;
    the test fake speaks HTTP/1.0 (one connection per request), and kept-alive without
    TCP_NODELAY its two writes per reply meet delayed ACKs (about 40 ms a reply).
    """
    sys.path.insert(0, str(ROOT / "tests"))
    from fakes import openai_server
    from fakes.openai_server import FakeOpenAIServer, Reply

    if keepalive:
        handler: Any = openai_server._Handler
        handler.protocol_version = "HTTP/1.1"
        handler.disable_nagle_algorithm = True

    def responder(request: dict[str, Any]) -> Reply:
        text, delay = scripted_reply(request)
        return Reply(text, delay=delay)

    server = FakeOpenAIServer(responder=responder).start()
    print(server.base_url, flush=True)
    for line in sys.stdin:
        if line.strip() != "dump":
            continue
        deadline = time.monotonic() + 2.0
        while any(r.finished is None for r in server.requests) and time.monotonic() < deadline:
            time.sleep(0.01)
        taken = list(server.requests)
        del server.requests[: len(taken)]
        rows = [
            {
                "model": r.json.get("model", ""),
                "arrived": r.arrived,
                "finished": r.finished,
                "sub": len(r.json.get("messages") or []) == 1
                and str(r.json["messages"][0].get("content", "")).startswith("sub "),
            }
            for r in taken
        ]
        print(json.dumps(rows), flush=True)
    server.stop()


class ServerProcess:
    """The fake server's process, as the orchestrator sees it."""

    def __init__(self, *, keepalive: bool) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "_serve", str(int(keepalive))],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
            env=child_env(with_src=True),
        )
        assert self.proc.stdout is not None
        self.base_url = self.proc.stdout.readline().strip()
        if not self.base_url.startswith("http"):
            raise RuntimeError("the fake server did not start")

    def dump(self) -> list[dict[str, Any]]:
        """Every request since the last dump, oldest first."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write("dump\n")
        self.proc.stdin.flush()
        return list(json.loads(self.proc.stdout.readline()))

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# -- recursor's side, run in a fresh child process ------------------------------------------------


def _ours(job: str, base_url: str, params: dict[str, Any]) -> dict[str, Any]:
    """Run one job against recursor in this (fresh) process."""
    jobs: dict[str, Callable[[str, dict[str, Any]], dict[str, Any]]] = {
        "overhead": _ours_overhead,
        "batch": _ours_batch,
        "first": _ours_first,
    }
    return jobs[job](base_url, params)


def _http_lm(model: str, base_url: str, client: Any = None) -> Any:
    """The client a user gets from a model spec: retries included, dummy key, local server."""
    from recursor.lm.resolve import resolve_lm

    return resolve_lm(f"openai:{model}", base_url=base_url, api_key="dummy", http_client=client)


def _rlm(lm: Any, params: dict[str, Any], **kw: Any) -> Any:
    from recursor import RLM, SandboxOptions

    return RLM(lm, sandbox=SandboxOptions(isolation=params["isolation"]), **kw)


def _function_lm(n: int, calls: list[float], seen: list[Any] | None = None) -> Any:
    """A zero-latency scripted root that records when each call arrives (like the server)."""
    from recursor import FunctionLM

    def reply(messages: Sequence[Any]) -> str:
        calls.append(time.monotonic())
        if seen is not None and len(calls) == n // 2:
            seen[:] = [dict(m) for m in messages]
        text, _ = scripted_reply({"model": model_name("loop", str(n), "fn"), "messages": messages})
        return text

    return FunctionLM(reply, model="function-loop")


@contextmanager
def _instrumented() -> Iterator[dict[str, list[float]]]:
    """Time the cell round trip and the trace writes by wrapping them (breakdown runs only)."""
    from recursor.sandbox.process import ProcessRepl
    from recursor.trace.writer import TraceWriter

    spent: dict[str, list[float]] = {"cell": [], "trace": []}
    run, write = ProcessRepl.run, TraceWriter.__call__

    async def timed_run(self: Any, code: str) -> Any:
        t0 = time.perf_counter()
        try:
            return await run(self, code)
        finally:
            spent["cell"].append(time.perf_counter() - t0)

    def timed_write(self: Any, event: dict[str, Any]) -> None:
        t0 = time.perf_counter()
        try:
            write(self, event)
        finally:
            spent["trace"].append(time.perf_counter() - t0)

    ProcessRepl.run = timed_run  # type: ignore[method-assign]
    TraceWriter.__call__ = timed_write  # type: ignore[method-assign]
    try:
        yield spent
    finally:
        ProcessRepl.run = run  # type: ignore[method-assign]
        TraceWriter.__call__ = write  # type: ignore[method-assign]


def _ours_overhead(base_url: str, params: dict[str, Any]) -> dict[str, Any]:
    from recursor import Limits

    n, repeats = params["iterations"], params["repeats"]
    limits = Limits(max_iterations=n + 5)
    runs: list[dict[str, Any]] = []
    sample: list[Any] = []  # the messages of a mid-run turn, for the bare-httpx floor
    with tempfile.TemporaryDirectory(prefix="recursor-bench-") as tmp:

        def one(variant: str, trace: bool, tag: str, instrument: bool = False) -> None:
            calls: list[float] = []
            events: list[dict[str, Any]] = []
            lm = _function_lm(n, calls, sample) if variant == "function" else _http_lm(
                model_name("loop", str(n), tag), base_url)
            rlm = _rlm(lm, params, limits=limits, trace_dir=tmp if trace else False,
                       on_event=events.append if instrument else None)
            if instrument:
                with _instrumented() as spent:
                    t0 = time.perf_counter()
                    result = rlm.complete("Benchmark question.", "tiny context")
                    wall = time.perf_counter() - t0
            else:
                spent = {}
                t0 = time.perf_counter()
                result = rlm.complete("Benchmark question.", "tiny context")
                wall = time.perf_counter() - t0
            assert result.answer == "done", result
            lm_durations = [e["duration"] for e in events
                            if e.get("event") == "lm_call" and e.get("role") == "root"]
            runs.append({"variant": variant, "trace": trace, "tag": tag, "wall": wall,
                         "turns": result.iterations, "calls": calls,
                         "instrumented": instrument, "lm": lm_durations, **spent})

        one("function", False, "warm")  # imports, first worker start, caches
        one("http", False, "warm")
        for r in range(repeats):
            for variant in ("function", "http"):
                for trace in (False, True):
                    one(variant, trace, f"{variant[0]}{int(trace)}r{r}")
        for r in range(repeats):
            for variant in ("function", "http"):
                one(variant, True, f"{variant[0]}ir{r}", instrument=True)
    return {"runs": [r for r in runs if r["tag"] != "warm"],
            "bare_post": asyncio.run(_bare_posts(base_url, sample, repeats * n))}


async def _bare_posts(base_url: str, messages: list[Any], count: int) -> float:
    """Median time of the same POST with bare httpx: transport plus fake server, no recursor."""
    import httpx

    body = {"model": model_name("floor", "0", "x"), "messages": messages}
    times = []
    async with httpx.AsyncClient() as client:
        for _ in range(count + 1):
            t0 = time.perf_counter()
            (await client.post(base_url + "/chat/completions", json=body)).json()
            times.append(time.perf_counter() - t0)
    return statistics.median(times[1:])


SHARD = 16
"""Connections per httpx pool in the suggested client: httpcore 1.0.9 scans every pooled
connection for every queued request on each request start and end (encode/httpcore#1035),
so CPU per request grows with the pool; several small pools keep it flat."""

_SSL_CONTEXT: Any = None


def _shared_client(connections: int = SHARD) -> Any:
    """An httpx client on one per-process SSL context: building the context (loading the CA
    bundle) is what makes `httpx.AsyncClient()` cost tens of ms, and recursor builds a client
    per event loop, i.e. per `complete()`."""
    import httpx

    global _SSL_CONTEXT
    if _SSL_CONTEXT is None:
        _SSL_CONTEXT = httpx.create_ssl_context()
    return httpx.AsyncClient(verify=_SSL_CONTEXT, limits=httpx.Limits(
        max_connections=connections, max_keepalive_connections=connections))


def _suggested_lm(model: str, base_url: str, concurrency: int) -> Any:
    """The suggested client: shared SSL context, ceil(concurrency / SHARD) small pools used
    round-robin. Built from public pieces (`http_client=`), as openai_compat could build it."""
    from recursor.lm.base import LM, LMResponse

    class Sharded(LM):
        def __init__(self, lms: list[LM]) -> None:
            self.lms, self.model, self._turn = lms, lms[0].model, itertools.cycle(lms)

        async def complete(self, messages: Sequence[Any], *, max_tokens: int | None = None) -> LMResponse:
            return await next(self._turn).complete(messages)

    shards = max(1, math.ceil(concurrency / SHARD))
    return Sharded([_http_lm(model, base_url, _shared_client()) for _ in range(shards)])


def _ours_batch(base_url: str, params: dict[str, Any]) -> dict[str, Any]:
    from recursor import Limits

    size, delay = params["batch_size"], params["sub_delay"]
    runs: list[dict[str, Any]] = []
    baseline = []  # CPU of the same run shape without the sub-calls: root turns, worker
    for r in range(3):
        rlm = _rlm(_http_lm(model_name("peek", "0", f"base{r}"), base_url), params, trace_dir=False)
        cpu = cpu_seconds()
        rlm.complete("Benchmark question.", "tiny context")
        baseline.append(cpu_seconds() - cpu)
    for variant in ("default", "suggested"):
        for c in params["concurrency"]:
            for r in range(-1, params["batch_repeats"]):
                tag = f"{variant[0]}c{c}r{r}" if r >= 0 else f"{variant[0]}c{c}warm"
                name = model_name("batch", f"{size}x{delay}", tag)
                lm = (_suggested_lm(name, base_url, c) if variant == "suggested"
                      else _http_lm(name, base_url))
                rlm = _rlm(lm, params, limits=Limits(max_concurrency=c), trace_dir=False)
                cpu = cpu_seconds()
                result = rlm.complete("Benchmark question.", "tiny context")
                cpu = cpu_seconds() - cpu
                ok1, ok2, *stamps = result.answer.split()
                if r >= 0:
                    runs.append({"variant": variant, "concurrency": c, "tag": tag, "cpu": cpu,
                                 "ok": [int(ok1), int(ok2)], "stamps": [float(x) for x in stamps]})
    return {"runs": runs, "baseline_cpu": statistics.median(baseline[1:])}


def _chunked_store(value: Any, directory: Path) -> Any:
    """The store_context this benchmark suggests, for str contexts: one pass over 1 MiB slices
    that hashes and writes each, so the GIL is released between slices (the first request is
    not held up) and no full-size encoded copy is ever built. Other kinds: as shipped."""
    import hashlib

    from recursor.context import PreparedContext, store_context

    if not isinstance(value, str):
        return store_context(value, directory)
    directory.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(b"str:")  # the same digest as recursor.context.content_hash
    tmp = directory / f"context-incoming.tmp{os.getpid()}"
    with tmp.open("wb") as fh:
        for i in range(0, len(value), 1 << 20):
            data = value[i : i + (1 << 20)].encode("utf-8", errors="surrogatepass")
            digest.update(data)
            fh.write(data)
    sha = digest.hexdigest()
    path = directory / f"context-{sha[:16]}.txt"
    os.replace(tmp, path)
    return PreparedContext(path=path, kind="str", sha256=sha, n_chars=len(value))


def _ours_first(base_url: str, params: dict[str, Any]) -> dict[str, Any]:
    """Time to the first root request, small then large context; memory of the large run."""
    import httpx

    from recursor.sandbox.isolation import detect
    from recursor.sandbox.process import ProcessRepl

    ready: list[float] = []
    start = ProcessRepl.start

    async def timed_start(self: Any) -> None:
        await start(self)
        ready.append(time.monotonic())

    ProcessRepl.start = timed_start  # type: ignore[method-assign]
    runs: list[dict[str, Any]] = []
    memory: dict[str, dict[str, float]] = {}
    big = make_context(params["context_mb"])
    import recursor.rlm as engine_module

    as_shipped = engine_module.store_context
    plan = [("warm", "tiny")] + [
        (label, big if label.startswith("large") else "tiny context")
        for _ in range(params["first_repeats"])
        for label in ("small", "large", "small-suggested", "large-suggested", "large-chunked")]
    for label, context in plan:
        stored: list[float] = []

        def hook(event: dict[str, Any], stored: list[float] = stored) -> None:
            if event.get("event") == "context":
                stored.append(time.monotonic())

        tag = f"{label}{len(runs)}"
        client = _shared_client() if label.endswith(("suggested", "chunked")) else None
        engine_module.store_context = _chunked_store if label.endswith("chunked") else as_shipped
        lm = _http_lm(model_name("peek", "0", tag), base_url, client)
        ready.clear()
        measure = label.startswith("large") and label not in memory
        # A fresh trace dir per run: the blob store skips writing a context it already has.
        with tempfile.TemporaryDirectory(prefix="recursor-bench-") as tmp:
            rlm = _rlm(lm, params, trace_dir=tmp, on_event=hook)
            before = rss_mb()
            reset_peak_rss()
            t0 = time.monotonic()
            result = rlm.complete("How long is the context?", context)
            wall = time.monotonic() - t0
            after = rss_mb()
        assert result.answer == "done", result
        if measure:
            memory[label] = {"host_before": before["rss"], "host_peak": after["peak"],
                             "worker_peak": after["children_peak"]}
        if label != "warm":
            runs.append({"label": label, "chars": len(context), "tag": tag, "t0": t0,
                         "wall": wall, "worker_ready": ready[0] if ready else None,
                         "context_stored": stored[0] if stored else None})
    engine_module.store_context = as_shipped
    ctor: dict[str, list[float]] = {"client_ctor": [], "client_ctor_shared_ssl": []}
    for _ in range(5):  # what each complete() pays for its per-event-loop httpx client
        for key, make in (("client_ctor", httpx.AsyncClient),
                          ("client_ctor_shared_ssl", _shared_client)):
            t0 = time.perf_counter()
            make()
            ctor[key].append(time.perf_counter() - t0)
    return {"runs": runs, "memory": memory, "isolation": detect(params["isolation"]).mode,
            **{k: statistics.median(v) for k, v in ctor.items()}}


# -- the HTTP client alone, for the batch diagnosis ------------------------------------------------


def _transport(base_url: str, params: dict[str, Any]) -> dict[str, Any]:
    """CPU per request of bare async HTTP clients, one wide batch at a time (no recursor).

    Runs under any interpreter with httpx; aiohttp is measured too when importable (it is not a
    recursor dependency: `--transport-python` can point at a venv that has it).
    """
    size, delay = params["batch_size"], params["sub_delay"]
    url = base_url + "/chat/completions"

    def body(i: int) -> dict[str, Any]:
        return {"model": model_name("floor", "0", "t"),
                "messages": [{"role": "user", "content": f"sub {delay} {i}"}]}

    async def measure(batch: Callable[[], Any]) -> list[dict[str, float]]:
        rows = []
        for _ in range(params["batch_repeats"] + 1):
            t0, c0 = time.monotonic(), cpu_seconds()
            await batch()
            rows.append({"wall": time.monotonic() - t0, "cpu": (cpu_seconds() - c0) / size})
        return rows[1:]  # the first batch opens the connections

    async def clients() -> dict[str, Any]:
        import httpx

        out: dict[str, Any] = {}
        limits = httpx.Limits(max_connections=max(100, size))
        async with httpx.AsyncClient(limits=limits) as hc:
            out["httpx"] = await measure(lambda: asyncio.gather(*[
                hc.post(url, json=body(i), timeout=httpx.Timeout(60, pool=None))
                for i in range(size)]))
        try:
            import aiohttp
        except ImportError:
            return out
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=max(100, size))) as session:

            async def one(i: int) -> Any:
                async with session.post(url, json=body(i)) as resp:
                    return await resp.json()

            out["aiohttp"] = await measure(lambda: asyncio.gather(*[one(i) for i in range(size)]))
        return out

    found = asyncio.run(clients())
    return {name: {"wall": median([r["wall"] for r in rows]), "cpu": median([r["cpu"] for r in rows])}
            for name, rows in found.items()}


# -- orchestration ------------------------------------------------------------------------------


def child_env(*, with_src: bool) -> dict[str, str]:
    """The environment for a child: no provider keys; with_src measures the tree this file is in."""
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    if with_src:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), env.get("PYTHONPATH")) if p)
    return env


def run_child(argv: list[str], *, cwd: Path, env: dict[str, str],
              timeout: float = 600) -> dict[str, Any]:
    """Run a measuring child; its last RESULT line is the answer."""
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, cwd=cwd,
                          env=env, stdin=subprocess.DEVNULL)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(RESULT_PREFIX)]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout)[-2000:]
        raise RuntimeError(f"{Path(argv[1]).name} {argv[2]} failed ({proc.returncode}):\n{tail}")
    return dict(json.loads(lines[-1][len(RESULT_PREFIX):]))


@dataclass
class Side:
    """How to launch one engine's jobs."""

    name: str
    argv: list[str]
    cwd: Path
    env: dict[str, str]

    def run(self, job: str, base_url: str, params: dict[str, Any]) -> dict[str, Any]:
        return run_child([*self.argv, job, base_url, json.dumps(params)], cwd=self.cwd,
                         env=self.env)


def by_model(records: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for rec in records:
        out.setdefault(rec["model"], []).append(rec)
    for recs in out.values():
        recs.sort(key=lambda r: r["arrived"])
    return out


def steady_gaps(times: Sequence[float]) -> list[float]:
    """Gaps between consecutive root turns, without the first (which waits for the worker)."""
    gaps = [b - a for a, b in itertools.pairwise(times)]
    return gaps[1:]


def peak_in_flight(recs: list[dict[str, Any]]) -> int:
    points = sorted([(r["arrived"], 1) for r in recs] + [(r["finished"], -1) for r in recs])
    best = level = 0
    for _, step in points:
        level += step
        best = max(best, level)
    return best


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def analyse_overhead(out: dict[str, Any], records: dict[str, list[dict[str, Any]]],
                     params: dict[str, Any]) -> dict[str, Any]:
    """Per-turn figures for each (LM, trace) variant, and the breakdown of one turn."""
    fig: dict[str, Any] = {}
    for variant in ("function", "http"):
        for trace in (False, True):
            gaps: list[float] = []
            walls: list[float] = []
            for run in out["runs"]:
                if run["variant"] != variant or run["trace"] != trace or run["instrumented"]:
                    continue
                times = run["calls"] if variant == "function" else [
                    r["arrived"] for r in records.get(
                        model_name("loop", str(params["iterations"]), run["tag"]), [])]
                gaps += steady_gaps(times)
                walls.append(run["wall"] / run["turns"])
            fig[f"{variant}/{'trace' if trace else 'notrace'}"] = {
                "per_turn": median(gaps), "wall_per_turn": median(walls), "samples": len(gaps)}
    for variant in ("function", "http"):
        rows = [r for r in out["runs"] if r["variant"] == variant and r["instrumented"]]
        if not rows:
            continue
        gaps, lm, cell, trace_t, server = [], [], [], [], []
        for run in rows:
            recs = records.get(model_name("loop", str(params["iterations"]), run["tag"]), [])
            times = run["calls"] if variant == "function" else [r["arrived"] for r in recs]
            gaps += steady_gaps(times)
            lm += run["lm"][1:]
            cell += run["cell"][1:]
            trace_t.append(sum(run["trace"]) / run["turns"])
            server += [r["finished"] - r["arrived"] for r in recs[1:]]
        per_turn = statistics.fmean(gaps)
        parts = {"lm_call": statistics.fmean(lm), "cell": statistics.fmean(cell),
                 "trace": statistics.fmean(trace_t)}
        if server:
            parts["server"] = statistics.fmean(server)
            parts["lm_call"] -= parts["server"]
        parts["rest"] = per_turn - sum(parts.values())
        fig[f"breakdown/{variant}"] = {"per_turn": per_turn, **parts}
    if "bare_post" in out:
        fig["bare_post"] = out["bare_post"]
    return fig


def analyse_reference_overhead(out: dict[str, Any], records: dict[str, list[dict[str, Any]]],
                               params: dict[str, Any]) -> dict[str, Any]:
    gaps: list[float] = []
    walls: list[float] = []
    for run in out["runs"]:
        recs = records.get(model_name("loop", str(params["iterations"]), run["tag"]), [])
        gaps += steady_gaps([r["arrived"] for r in recs])
        walls.append(run["wall"] / run["turns"])
    return {"http/notrace": {"per_turn": median(gaps), "wall_per_turn": median(walls),
                             "samples": len(gaps)}}


def _split_batches(subs: list[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    """The cell's two batches: the second starts only after the first has finished."""
    subs = sorted(subs, key=lambda r: r["arrived"])
    return [subs[:size], subs[size:]]


def analyse_batch(out: dict[str, Any], records: dict[str, list[dict[str, Any]]],
                  params: dict[str, Any]) -> dict[str, Any]:
    """Per (variant, concurrency, batch): in-cell wall vs ideal, and where the excess went."""
    fig: dict[str, Any] = {}
    size, delay = params["batch_size"], params["sub_delay"]
    for run in out["runs"]:
        subs = [r for r in records.get(model_name("batch", f"{size}x{delay}", run["tag"]), [])
                if r["sub"]]
        for i, batch in enumerate(_split_batches(subs, size)):
            start, end = run["stamps"][i], run["stamps"][i + 1]
            key = f"{run.get('variant', 'default')}/{run['concurrency']}/{i + 1}"
            row = fig.setdefault(key, {"wall": [], "lead_in": [], "span": [], "lead_out": [],
                                       "peak": [], "ok": [], "cpu": []})
            row["wall"].append(end - start)
            row["cpu"].append((run["cpu"] - out.get("baseline_cpu", 0.0)) / (2 * size))
            row["ok"].append(run["ok"][i])
            if batch:
                first_in = min(r["arrived"] for r in batch)
                last_out = max(r["finished"] for r in batch)
                row["lead_in"].append(first_in - start)
                row["span"].append(last_out - first_in)
                row["lead_out"].append(end - last_out)
                row["peak"].append(peak_in_flight(batch))
    for key, row in fig.items():
        c = int(key.split("/")[1])
        ideal = math.ceil(size / c) * delay
        fig[key] = {"wall": median(row["wall"]), "ideal": ideal,
                    "vs_ideal": median(row["wall"]) / ideal, "lead_in": median(row["lead_in"]),
                    "span": median(row["span"]), "lead_out": median(row["lead_out"]),
                    "peak_in_flight": max(row["peak"], default=0),
                    "ok": min(row["ok"]), "expected_ok": size,
                    "cpu_per_call": median(row["cpu"])}
    return fig


def analyse_first(out: dict[str, Any], records: dict[str, list[dict[str, Any]]],
                  params: dict[str, Any]) -> dict[str, Any]:
    """Medians per label (small, large, ...) of times measured from the call to complete()."""
    fig: dict[str, Any] = {"memory": out.get("memory", {})}
    samples: dict[str, dict[str, list[float]]] = {}
    for run in out["runs"]:
        recs = records.get(model_name("peek", "0", run["tag"]), [])
        first = recs[0]["arrived"] if recs else float("nan")
        row = samples.setdefault(run["label"], {})
        row.setdefault("ttfr", []).append(first - run["t0"])
        row.setdefault("wall", []).append(run["wall"])
        for key in ("worker_ready", "context_stored", "env_ready"):
            if run.get(key) is not None:
                row.setdefault(key, []).append(run[key] - run["t0"])
    for label, row in samples.items():
        fig[label] = {k: median(v) for k, v in row.items()}
    for key in ("isolation", "client_ctor", "client_ctor_shared_ssl"):
        if key in out:
            fig[key] = out[key]
    return fig


# -- the report --------------------------------------------------------------------------------


def ms(x: float | None) -> str:
    return "-" if x is None or math.isnan(x) else f"{x * 1000:.2f} ms" if x < 1 else f"{x:.3f} s"


def mb(x: float | None) -> str:
    return "-" if x is None or math.isnan(x) else f"{x:.0f} MiB"


def ratio(ours: float | None, theirs: float | None) -> str:
    if ours is None or theirs is None or math.isnan(ours) or math.isnan(theirs) or not theirs:
        return "-"
    return f"{ours / theirs:.2f}x"


def report(figs: dict[str, Any], params: dict[str, Any]) -> str:
    """A plain-text table: metric, recursor, rlms, ours/theirs."""
    rows: list[tuple[str, str, str, str]] = []
    ours, ref = figs["ours"], figs.get("reference") or {}

    def get(d: Any, *keys: str) -> float | None:
        for k in keys:
            if not isinstance(d, dict) or k not in d:
                return None
            d = d[k]
        return d if isinstance(d, int | float) else None

    def add(label: str, a: float | None, b: float | None,
            fmt: Callable[[float | None], str] = ms) -> None:
        rows.append((label, fmt(a), fmt(b), ratio(a, b)))

    def text(label: str, a: str = "", b: str = "") -> None:
        rows.append((label, a, b, ""))

    n = params["iterations"]
    ov, rov = ours.get("overhead", {}), ref.get("overhead", {})
    if ov:
        text(f"1. Overhead per root turn ({n} trivial cells; steady-state median)")
        theirs = get(rov, "http/notrace", "per_turn")
        add("   scripted FunctionLM in-process, trace off", get(ov, "function/notrace", "per_turn"), None)
        add("   scripted FunctionLM in-process, trace on", get(ov, "function/trace", "per_turn"), None)
        add("   fake server 0 s, trace off", get(ov, "http/notrace", "per_turn"), theirs)
        add("   fake server 0 s, trace on (default)", get(ov, "http/trace", "per_turn"), theirs)
        add(f"   fake server, wall / {n + 1} turns (start-up included)",
            get(ov, "http/trace", "wall_per_turn"), get(rov, "http/notrace", "wall_per_turn"))
        for variant, label in (("http", "fake server"), ("function", "FunctionLM")):
            bd = ov.get(f"breakdown/{variant}")
            if not bd:
                continue
            text(f"   one turn, {label}, trace on (instrumented; mean)", ms(bd["per_turn"]))
            for key, what in (("lm_call", "LM call: recursor client + HTTP"),
                              ("server", "fake server handling"),
                              ("cell", "cell round trip host<->worker"),
                              ("trace", "trace writes"),
                              ("rest", "rest of the loop (parse, prompts, budget, events)")):
                if key in bd:
                    text(f"     {what}", ms(bd[key]))
            if variant == "http" and "bare_post" in ov:
                text("     for scale: the same POST with bare httpx (median)", ms(ov["bare_post"]))

    size, delay = params["batch_size"], params["sub_delay"]
    ob, rb = ours.get("batch", {}), ref.get("batch", {})
    if ob or rb:
        text(f"2. llm_query_batched, {size} sub-calls at {delay:g} s: in-cell wall")
    for c in params["concurrency"]:
        for i, when in ((1, "1st batch"), (2, "2nd batch, same cell")):
            a, b = ob.get(f"default/{c}/{i}", {}), rb.get(f"default/{c}/{i}", {})
            t = ob.get(f"suggested/{c}/{i}", {})
            ideal = a.get("ideal") or b.get("ideal")
            if ideal is None:
                continue
            wa, wb = (x.get("wall") if x.get("ok") == x.get("expected_ok") else None
                      for x in (a, b))
            add(f"   concurrency {c}, {when} (ideal {ideal:g} s)", wa, wb)
            text("     wall / ideal (target <= 1.2x)", vs_ideal(a), vs_ideal(b))
            text("     lead-in + server span + lead-out, ms", split(a), split(b))
            if i == 1:
                add("     engine CPU per sub-call (run's CPU less a no-batch run's)",
                    a.get("cpu_per_call"), b.get("cpu_per_call"))
            text("     peak in flight; replies ok",
                 f"{a.get('peak_in_flight', '-')}; {a.get('ok', '-')}/{a.get('expected_ok', '-')}",
                 f"{b.get('peak_in_flight', '-')}; {b.get('ok', '-')}/{b.get('expected_ok', '-')}")
            if t:
                cpu = f", {ms(t.get('cpu_per_call'))} CPU/call" if i == 1 else ""
                text("     recursor, suggested client (shared SSL context, pools of 16)",
                     f"{ms(t.get('wall'))} = {vs_ideal(t)}{cpu}")

    tr = figs.get("transport", {})
    if tr:
        text(f"2b. bare HTTP clients, {size} concurrent posts at {delay:g} s, no engine")
        for name in ("httpx", "aiohttp"):
            if name in tr:
                text(f"   {name}: wall; client CPU per request",
                     f"{ms(tr[name]['wall'])}; {ms(tr[name]['cpu'])}")
        if "aiohttp" not in tr:
            text("   aiohttp: not importable here (see --transport-python)")

    fo, fr = ours.get("first", {}), ref.get("first", {})
    cmb = params["context_mb"]
    if fo or fr:
        text(f"3. complete() -> first root request at the server; memory ({cmb:g} MiB str context)")
        add("   tiny context", get(fo, "small", "ttfr"), get(fr, "small", "ttfr"))
        add(f"   {cmb:g} MiB context", get(fo, "large", "ttfr"), get(fr, "large", "ttfr"))
        add("   tiny context, suggested client (shared SSL context)", get(fo, "small-suggested", "ttfr"),
            get(fr, "small", "ttfr"))
        add(f"   {cmb:g} MiB context, suggested client (shared SSL context)",
            get(fo, "large-suggested", "ttfr"), get(fr, "large", "ttfr"))
        add(f"   {cmb:g} MiB context, suggested client + chunked store_context",
            get(fo, "large-chunked", "ttfr"), get(fr, "large", "ttfr"))
        add("   context file written (since complete())", get(fo, "large", "context_stored"), None)
        add("   context file written, chunked store_context", get(fo, "large-chunked", "context_stored"),
            None)
        add("   worker ready, context loaded (rlms: in-process env built)",
            get(fo, "large", "worker_ready"), get(fr, "large", "env_ready"))
        add(f"   whole run (2 turns), {cmb:g} MiB", get(fo, "large", "wall"), get(fr, "large", "wall"))
        add(f"   whole run (2 turns), {cmb:g} MiB, suggested client + chunked store",
            get(fo, "large-chunked", "wall"), get(fr, "large", "wall"))
        add("   host RSS before complete() (context built)",
            get(fo, "memory", "large", "host_before"), get(fr, "memory", "host_before"), mb)
        add("   host peak RSS during the run", get(fo, "memory", "large", "host_peak"),
            get(fr, "memory", "host_peak"), mb)
        add("   host peak RSS, chunked store_context", get(fo, "memory", "large-chunked", "host_peak"),
            get(fr, "memory", "host_peak"), mb)
        add("   worker peak RSS (rlms runs code in the host)",
            get(fo, "memory", "large", "worker_peak"), None, mb)
        add("   httpx.AsyncClient() per complete(): as now", get(fo, "client_ctor"), None)
        add("   httpx.AsyncClient() per complete(): shared SSL context",
            get(fo, "client_ctor_shared_ssl"), None)

    width = max(len(r[0]) for r in rows)
    wa = max(12, *(len(r[1]) for r in rows))
    wb = max(14, *(len(r[2]) for r in rows))
    ran = str(figs.get("reference_note", "")).startswith("rlms")
    head = ("", "recursor", "rlms" if ran else "rlms (skipped)", "ours/theirs")
    lines = [f"{head[0]:<{width}}  {head[1]:>{wa}}  {head[2]:>{wb}}  {head[3]:>11}"]
    lines.append("-" * len(lines[0]))
    for label, a, b, c in rows:
        lines.append(f"{label:<{width}}  {a:>{wa}}  {b:>{wb}}  {c:>11}")
    return "\n".join(lines)


def split(fig: dict[str, Any]) -> str:
    """Where a batch's wall went: before the first request, at the server, after the last."""
    if not fig or fig["ok"] != fig["expected_ok"]:
        return "-"
    return " + ".join(f"{fig[k] * 1000:.0f}" for k in ("lead_in", "span", "lead_out"))


def vs_ideal(fig: dict[str, Any]) -> str:
    """The ratio to the ideal, or how many replies failed (then the wall means nothing)."""
    if not fig:
        return "-"
    if fig["ok"] != fig["expected_ok"]:
        return f"FAILED {fig['expected_ok'] - fig['ok']}/{fig['expected_ok']}"
    return times(fig["vs_ideal"])


def times(x: float | None) -> str:
    return "-" if x is None or math.isnan(x) else f"{x:.2f}x"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, Python {sys.version.split()[0]}"


JOBS = ("overhead", "batch", "first", "transport")


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--iterations", type=int, default=30, help="trivial turns per overhead run")
    p.add_argument("--repeats", type=int, default=5, help="runs per overhead variant")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--sub-delay", type=float, default=0.5, help="simulated sub-call latency, s")
    p.add_argument("--concurrency", type=int, nargs="+", default=[16, 64])
    p.add_argument("--batch-repeats", type=int, default=3)
    p.add_argument("--context-mb", type=float, default=100.0)
    p.add_argument("--first-repeats", type=int, default=3, help="runs per first-request case")
    p.add_argument("--isolation", default="auto", choices=["auto", "bwrap", "process"],
                   help="recursor's worker isolation")
    p.add_argument("--rlms-python", default=DEFAULT_RLMS_PYTHON,
                   help="interpreter of a venv that has `rlms` installed")
    p.add_argument("--no-reference", action="store_true", help="skip the rlms column")
    p.add_argument("--quick", action="store_true",
                   help="small sizes: 10 turns, 2 repeats, 16 sub-calls, 10 MiB context")
    p.add_argument("--only", nargs="+", choices=list(JOBS), default=list(JOBS[:3]),
                   help="workloads to run (transport: bare httpx vs aiohttp, no engine)")
    p.add_argument("--transport-python", default=sys.executable,
                   help="interpreter for the transport job (one that has aiohttp, to compare)")
    p.add_argument("--keepalive", action="store_true",
                   help="fake server keeps connections alive (HTTP/1.1, TCP_NODELAY)")
    p.add_argument("--json", type=Path, help="also write every figure to this file")
    args = p.parse_args(argv)
    if args.quick:
        args.iterations, args.repeats, args.batch_size = 10, 2, 16
        args.batch_repeats, args.context_mb, args.first_repeats = 1, 10.0, 1
    return args


def reference_side(args: argparse.Namespace) -> tuple[Side | None, str]:
    """The rlms side, or None and why not."""
    if args.no_reference:
        return None, "skipped (--no-reference)"
    python = Path(args.rlms_python)
    if not python.exists():
        return None, (f"skipped: {python} not found; create it with "
                      "`python -m venv /tmp/rlms-venv && /tmp/rlms-venv/bin/pip install rlms`")
    check = subprocess.run([str(python), "-c", "import rlm, importlib.metadata as m; "
                            "print(m.version('rlms'))"], capture_output=True, text=True)
    if check.returncode != 0:
        return None, f"skipped: `import rlm` fails in {python}"
    # cwd is a scratch directory: rlms calls load_dotenv(), which must find no .env of ours.
    scratch = Path(tempfile.mkdtemp(prefix="rlms-bench-"))
    side = Side("rlms", [str(python), str(HERE / "reference_rlms.py")], scratch,
                child_env(with_src=False))
    return side, f"rlms {check.stdout.strip()} ({python})"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    params = {k: getattr(args, k) for k in ("iterations", "repeats", "batch_size", "sub_delay",
                                            "concurrency", "batch_repeats", "context_mb",
                                            "first_repeats", "isolation", "keepalive")}
    ours = Side("recursor", [sys.executable, str(Path(__file__).resolve()), "_ours"], ROOT,
                child_env(with_src=True))
    ref, ref_note = reference_side(args)
    print(f"machine: {machine()}", flush=True)
    print(f"reference: {ref_note}", flush=True)
    started = time.monotonic()
    figs: dict[str, Any] = {"machine": machine(), "params": params, "reference_note": ref_note,
                            "ours": {}}
    analysers = {"overhead": analyse_overhead, "batch": analyse_batch, "first": analyse_first}
    print(f"load average at start: {load()}", flush=True)
    figs["load_start"] = load()
    server = ServerProcess(keepalive=args.keepalive)
    try:
        for job in args.only:
            if job == "transport":
                print(f"  transport ({args.transport_python}) ...", flush=True)
                argv = [args.transport_python, str(Path(__file__).resolve()), "_transport"]
                out = run_child([*argv, "transport", server.base_url, json.dumps(params)],
                                cwd=ROOT, env=child_env(with_src=False))
                server.dump()
                figs["transport"] = out
                continue
            for side in (ours, ref):
                if side is None:
                    continue
                print(f"  {side.name}: {job} ...", flush=True)
                out = side.run(job, server.base_url, params)
                records = by_model(server.dump())
                if side is ours:
                    figs["ours"][job] = analysers[job](out, records, params)
                else:
                    analyse = analyse_reference_overhead if job == "overhead" else analysers[job]
                    figs.setdefault("reference", {})[job] = analyse(out, records, params)
    finally:
        server.close()
    print()
    print(report(figs, params))
    figs["load_end"] = load()
    isolation = figs["ours"].get("first", {}).get("isolation")
    print(f"\n(total {time.monotonic() - started:.0f} s; load average {figs['load_start']} at start, "
          f"{figs['load_end']} at end; fake server "
          f"{'HTTP/1.1 keep-alive' if args.keepalive else 'HTTP/1.0, a connection per request'}"
          f"{f'; recursor worker isolation: {isolation}' if isolation else ''})")
    if args.json:
        args.json.write_text(json.dumps(figs, indent=2))
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_serve":
        serve(keepalive=sys.argv[2] == "1")
    elif len(sys.argv) > 1 and sys.argv[1] == "_transport":
        print_result(_transport(sys.argv[3], json.loads(sys.argv[4])))
    elif len(sys.argv) > 1 and sys.argv[1] == "_ours":
        print_result(_ours(sys.argv[2], sys.argv[3], json.loads(sys.argv[4])))
    else:
        sys.exit(main())
