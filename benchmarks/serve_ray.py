"""`recursor serve --ray` throughput: requests per minute with 1 and 2 replicas, against the
fake OpenAI server at a fixed reply latency.

    PYTHONPATH=src python benchmarks/serve_ray.py                 # ~1-2 minutes on 2 cores
    PYTHONPATH=src python benchmarks/serve_ray.py --requests 16   # smaller
    PYTHONPATH=src python benchmarks/serve_ray.py --json

Each request is an RLM run of two root turns (a REPL cell in its own sandbox worker, then
FINAL_VAR), so ~2 x latency of model time plus the worker. A local Ray cluster (num_cpus 2)
runs the endpoint as a Ray Serve deployment (`recursor.serve.ray_serve.deploy`, the code
`recursor serve --ray` runs) with 1 and then 2 replicas of `--slots` run slots each, declaring
0.5 CPU each. Clients (threads, one connection each) keep every slot busy: as many as the
deployment has slots, each sending its next request when the last one is answered. A few
warm-up requests per replica go first and are not counted.

The bound is the model latency times the slots, not recursor: with latency L, s slots and r
replicas the ceiling is about 60 x r x s / (2 L + worker time) requests a minute. The fake
server runs in this process's threads; the report prints the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fakes.openai_server import FakeOpenAIServer
from fakes.secret_runs import secret_responder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def drive(url: str, clients: int, requests: int, start: int = 0) -> dict[str, Any]:
    """`requests` requests from `clients` threads at once; per request: seconds, status, replica."""
    import httpx

    lock = threading.Lock()
    counter = iter(range(start, start + requests))
    done: list[tuple[float, int, str]] = []

    def client() -> None:
        with httpx.Client(timeout=300) as http:
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                body = {"messages": [{"role": "user", "content": f"The secret is s{i}. " + "filler text. " * 200
                                      + "What is the secret?"}]}
                while True:
                    t0 = time.monotonic()
                    resp = http.post(f"{url}/chat/completions", json=body)
                    if resp.status_code != 429:
                        break
                    with lock:
                        done.append((time.monotonic() - t0, 429, ""))
                    time.sleep(0.05)
                answer = resp.json()["choices"][0]["message"]["content"] if resp.status_code == 200 else None
                assert answer == f"s{i}", (resp.status_code, resp.text[:300])
                with lock:
                    done.append((time.monotonic() - t0, 200, resp.headers.get("x-recursor-replica", "")))

    t0 = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - t0
    ok = [d for d in done if d[1] == 200]
    return {"requests": len(ok), "seconds": wall, "requests_per_min": len(ok) / wall * 60,
            "median_request_s": statistics.median(d[0] for d in ok), "rejected_429": len(done) - len(ok),
            "replicas_seen": len({d[2] for d in ok})}


def measure(base_url: str, replicas: int, slots: int, requests: int) -> dict[str, Any]:
    from recursor.batch.ray_ledger import LedgerSpec
    from recursor.serve.app import ServeConfig
    from recursor.serve.ray_serve import deploy

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from serving import serve_opts

    opts = serve_opts("--model", "m", "--base-url", base_url, "--mode", "rlm", "--no-trace", "--retries", "0")
    endpoint = deploy(opts, ServeConfig(max_concurrent_runs=slots), address="auto", model_api_key_env=None,
                      replicas=replicas, replica_cpus=0.5, host="127.0.0.1", port=free_port(),
                      ledger="bench-serve", spec=LedgerSpec())
    try:
        drive(endpoint.url, replicas * slots, 2 * replicas * slots, start=10_000)  # warm up: workers, connections
        return drive(endpoint.url, replicas * slots, requests)
    finally:
        endpoint.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=32, help="measured requests per deployment")
    parser.add_argument("--latency", type=float, default=0.5, help="seconds per fake reply")
    parser.add_argument("--slots", type=int, default=2, help="run slots per replica (--max-concurrent-runs)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    import ray

    load_before = os.getloadavg()
    results: dict[str, Any] = {}
    ray.init(num_cpus=2, object_store_memory=200 * 1024 * 1024, include_dashboard=False, log_to_driver=False,
             configure_logging=False)
    try:
        with FakeOpenAIServer(responder=secret_responder(args.latency)) as server:
            for replicas in (1, 2):
                results[f"{replicas} replica(s) x {args.slots} slots"] = measure(
                    server.base_url, replicas, args.slots, args.requests)
    finally:
        ray.shutdown()
    report = {"serve --ray": results,
              "setup": {"latency_s": args.latency, "turns_per_request": 2, "slots_per_replica": args.slots,
                        "load_before": [round(x, 2) for x in load_before],
                        "load_after": [round(x, 2) for x in os.getloadavg()]}}
    if args.json:
        print(json.dumps(report, indent=2))
        return
    for name, row in results.items():
        print(f"{name:<24} {row['requests_per_min']:7.1f} requests/min  (median {row['median_request_s']:.2f} s, "
              f"{row['requests']} requests in {row['seconds']:.1f} s, {row['rejected_429']} 429s, "
              f"{row['replicas_seen']} replica(s) answered)")
    print("setup:", report["setup"])


if __name__ == "__main__":
    main()
