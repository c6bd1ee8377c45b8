"""`recursor serve --ray`: the endpoint as a Ray Serve deployment with 2 replicas on a real local
Ray cluster (2 CPUs), driven by the openai SDK against the fake provider.

One cluster and one deployment for the module (Ray and Serve start slowly). Skipped only when
the `ray` extra (with Ray Serve) is not installed; CI installs it.
"""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from batch_helpers import billed_reply, config, rows, secret_reply, write_jobs
from fakes.billing import FakeBilling
from fakes.openai_server import FakeOpenAIServer

ray = pytest.importorskip("ray")
pytest.importorskip("ray.serve")
openai = pytest.importorskip("openai")

from recursor.batch.ray_ledger import NAMESPACE, ClusterLedger, LedgerSpec  # noqa: E402
from recursor.batch.runner import run_batch  # noqa: E402
from recursor.serve.app import ServeConfig  # noqa: E402
from recursor.serve.ray_serve import REPLICA_HEADER, RayEndpoint, deploy  # noqa: E402
from serving import serve_opts  # noqa: E402

LEDGER = "serve-test"
TOTAL_USD = 2.0
PRICE = (100.0, 100.0)  # USD per million tokens, the endpoint's --price and the fake provider's bill


@dataclass
class Served:
    endpoint: RayEndpoint
    server: FakeOpenAIServer
    responder: list[Any]
    """responder[0] answers the fake provider's requests; a test may swap it."""


def endpoint_opts(base_url: str) -> dict[str, Any]:
    return serve_opts("--model", "m", "--base-url", base_url, "--mode", "direct", "--no-trace", "--retries", "0",
                      "--price", f"m={PRICE[0]:g},{PRICE[1]:g}", "--max-output-tokens", "300")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A local cluster for the module; yields its address."""
    ray.init(num_cpus=2, object_store_memory=200 * 1024 * 1024, include_dashboard=False, log_to_driver=False,
             configure_logging=False)
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()


@pytest.fixture(scope="module")
def served(cluster: str) -> Iterator[Served]:
    responder: list[Any] = [lambda r: secret_reply(r, 0.5)]
    with FakeOpenAIServer(responder=lambda r: responder[0](r)) as server:
        endpoint = deploy(endpoint_opts(server.base_url), ServeConfig(max_concurrent_runs=2), address="auto",
                          model_api_key_env=None, replicas=2, replica_cpus=0.5, host="127.0.0.1",
                          port=free_port(), ledger=LEDGER, spec=LedgerSpec(max_usd=TOTAL_USD))
        try:
            yield Served(endpoint, server, responder)
        finally:
            endpoint.close()


def client(url: str, retries: int = 8) -> Any:
    return openai.OpenAI(base_url=url, api_key="unused", max_retries=retries, timeout=120)


def ledger_snapshot() -> dict[str, Any]:
    snap: dict[str, Any] = ray.get(ray.get_actor(f"ledger:{LEDGER}", namespace=NAMESPACE).snapshot.remote())
    return snap


def max_overlap(spans: list[tuple[float, float]]) -> int:
    edges = sorted([(a, 1) for a, _ in spans] + [(b, -1) for _, b in spans])
    level = best = 0
    for _, step in edges:
        level += step
        best = max(best, level)
    return best


def test_the_serve_command_on_ray_serves_until_ctrl_c(cluster: str) -> None:
    """`recursor serve --ray ADDRESS` as a user runs it: it prints its URL, answers, and on
    Ctrl-C takes the application down and gives up the ledger. (First in the module: the
    application name is one per cluster.)"""
    import httpx

    with FakeOpenAIServer(responder=secret_reply) as server:
        proc = subprocess.Popen(
            [sys.executable, "-m", "recursor.cli", "serve", "--ray", cluster, "--replicas", "1", "--replica-cpus",
             "0.5", "--port", str(free_port()), "--model", "m", "--base-url", server.base_url, "--mode", "direct",
             "--no-trace", "--price", "m=100,100", "--max-usd-total", "5", "--ledger", "cli-test"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            env=dict(os.environ), start_new_session=True,
            # As a script's `cmd &` starts it: SIGINT inherited ignored. It must stop all the same.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(iter(proc.stderr.readline, "")), daemon=True)
        reader.start()
        try:
            deadline = time.monotonic() + 120
            while not any("recursor: serving" in line for line in lines):
                assert proc.poll() is None and time.monotonic() < deadline, "".join(lines)
                time.sleep(0.1)
            url = re.search(r"at (http://\S+/v1) on Ray", "".join(lines)).group(1)  # type: ignore[union-attr]
            assert "1 replica(s) x 4 run slots; ledger 'cli-test': --max-usd-total 5" in "".join(lines)
            resp = httpx.post(f"{url}/chat/completions", timeout=60, json={
                "messages": [{"role": "user", "content": "The secret is c1. What is it?"}]})
            assert resp.status_code == 200 and resp.json()["choices"][0]["message"]["content"] == "c1"
            assert resp.headers[REPLICA_HEADER]
        finally:
            os.killpg(proc.pid, signal.SIGINT)
            proc.wait(60)
    assert proc.returncode == 0
    from ray import serve

    assert "recursor" not in serve.status().applications
    # The ledger is free again: a new first user may set other terms.
    ClusterLedger("cli-test", LedgerSpec(max_usd=1.0), "probe").leave()


def test_concurrent_sdk_requests_are_answered_by_both_replicas(served: Served) -> None:
    sdk = client(served.endpoint.url, retries=0)  # over capacity, requests wait in Serve's queue: no 429
    assert [m.id for m in sdk.models.list().data] == ["recursor"]
    start = len(served.server.requests)

    def ask(i: int) -> tuple[str, str | None]:
        raw = sdk.chat.completions.with_raw_response.create(
            model="recursor", messages=[{"role": "user", "content": f"The secret is s{i}. What is the secret?"}])
        return raw.headers[REPLICA_HEADER], raw.parse().choices[0].message.content

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(ask, range(12)))
    assert [text for _, text in answers] == [f"s{i}" for i in range(12)]
    assert len({replica for replica, _ in answers}) == 2
    calls = served.server.requests[start:]
    assert len(calls) == 12
    # Each replica runs at most its 2 run slots at once; together more than one replica's worth.
    overlap = max_overlap([(c.arrived, c.finished or c.arrived) for c in calls])
    assert 2 < overlap <= 4


def test_sessions_are_refused_with_several_replicas(served: Served) -> None:
    sdk = client(served.endpoint.url)
    with pytest.raises(openai.BadRequestError) as err:
        sdk.chat.completions.create(model="recursor", messages=[{"role": "user", "content": "hi"}],
                                    extra_body={"session_id": "s1"})
    assert err.value.code == "sessions_unavailable"


def test_the_endpoint_and_a_batch_share_the_cluster_total(served: Served, tmp_path: Path) -> None:
    before = ledger_snapshot()["spent_usd"]
    billing = FakeBilling({"m": PRICE}, delay=0.2)
    served.responder[0] = billed_reply(billing)
    start = len(served.server.requests)
    sdk = client(served.endpoint.url)
    stopped: list[str] = []

    def user(u: int) -> None:  # asks until the total stops its run (had the endpoint its own total,
        for i in range(40):     # the endpoint alone would spend up to TOTAL_USD on top of the batch)
            resp = sdk.chat.completions.create(
                model="recursor", messages=[{"role": "user", "content": f"The secret is x{u}{i}. What is it?"}])
            stopped.append(resp.model_extra["recursor"]["stopped_by"])
            if stopped[-1] == "max_usd":
                return

    jobs = write_jobs(tmp_path / "in.jsonl", 16)
    out = tmp_path / "out.jsonl"
    cfg = config(served.server.base_url, "--ray", "auto", "--ledger", LEDGER, "--parallel", "2", "--job-cpus", "0.5",
                 "--job-memory-mb", "100", "--price", f"m={PRICE[0]:g},{PRICE[1]:g}", "--max-output-tokens", "300")
    users = [threading.Thread(target=user, args=(u,)) for u in range(6)]
    for t in users:
        t.start()
    t0 = time.monotonic()
    summary = run_batch(cfg, jobs, out, stream=io.StringIO())  # no terms of its own: it joins the ledger
    for t in users:
        t.join(120)
    assert time.monotonic() - t0 < 120
    after = ledger_snapshot()
    # What the provider billed, plus what the first test spent, stays within the one total.
    assert before + sum(billing.usd) <= TOTAL_USD + 1e-9
    assert after["exhausted"] == "max_usd" and after["open_holds"] == 0
    texts = [str(r.json["messages"]) for r in served.server.requests[start:]]
    from_batch = sum(1 for t in texts if re.search(r"secret is s\d", t))
    from_endpoint = sum(1 for t in texts if re.search(r"secret is x\d", t))
    assert from_batch > 0 and from_endpoint > 0 and from_batch + from_endpoint == len(billing.usd)
    assert "max_usd" in stopped  # the endpoint's runs were stopped by the shared total
    # The batch reported the one ledger: its spend includes the endpoint's.
    assert summary.budget is not None and summary.budget["spent_usd"] > summary.spend_usd + 0.1
    assert len(rows(out)) == summary.done + summary.failed
