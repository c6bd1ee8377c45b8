"""The embedded model served by llama.cpp's own OpenAI-compatible server, benchmarked as a user
with ollama, llama.cpp or vLLM would run it: recursor talks HTTP to it like to any provider.

    python benchmarks/llama_server.py realdocs --lengths 32k --n 12
    python benchmarks/llama_server.py sniah --lengths 8k --n 5 --model qwen2.5-coder-0.5b

Needs `pip install 'llama-cpp-python[server]'` and a pulled model (`recursor models pull`).
It starts `python -m llama_cpp.server` on a free port of 127.0.0.1 with the model's file
(served under the model's name, so recursor picks its small-model mode by name, as it would
for any backend), runs `recursor bench FAMILY --model NAME --base-url ...` with the other
arguments as given, and stops the server. Compare its score with the same bench on the
embedded path (`recursor bench FAMILY ...` without --model). Never run it beside another
local-model job: both would share the cores.

On a CPU with Intel AMX, llama.cpp 0.3.36's AMX weight buffers segfault on the first decode
(the server dies silently at the first request); the embedded path loads with them off, and so
does this script's server, through the same switch (`_SERVE`).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from recursor.lm.local import DEFAULT_N_CTX, cpu_count, cpu_has_amx
from recursor.local.models import DEFAULT_MODEL, get_model, model_path

_SERVE = """\
import runpy, sys
import llama_cpp
from recursor.lm.local import without_extra_buffers
sys.argv = ["llama_cpp.server", *sys.argv[1:]]
with without_extra_buffers(llama_cpp):
    runpy.run_module("llama_cpp.server", run_name="__main__")
"""
"""`python -m llama_cpp.server` with llama.cpp's extra (AMX) buffers off, as the embedded path
loads on AMX CPUs; the model is loaded at start-up, inside the switch."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(url: str, server: subprocess.Popen[bytes], timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with code {server.returncode}; see its log")
        try:
            with urllib.request.urlopen(url + "/models", timeout=5) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(1.0)
    raise SystemExit(f"the server did not answer at {url} within {timeout:.0f} s")


def _exit_on_term(signum: int, frame: object) -> None:
    """SIGTERM ends the script the way Ctrl-C does, and `main`'s `finally` stops the bench and
    the server in turn (by default SIGTERM killed this process alone and left the bench running
    against a dead server, writing an lm_error row per task). A second SIGTERM is ignored, so
    it cannot cut that clean-up short."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise SystemExit(128 + signum)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate `process` (it may flush and close), then kill it after 30 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main() -> int:
    signal.signal(signal.SIGTERM, _exit_on_term)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("family")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="an embedded model's name (recursor models list)")
    parser.add_argument("--log", type=Path, default=Path("llama-server.log"))
    args, bench_args = parser.parse_known_args()
    get_model(args.model)  # an unknown name fails here, with the known ones listed
    path = model_path(args.model)
    if path is None or not path.exists():
        raise SystemExit(f"{args.model} is not installed: recursor models pull {args.model}")
    name = f"{args.model}-instruct"  # the name a user's server would report for this file
    port = free_port()
    url = f"http://127.0.0.1:{port}/v1"
    serve = ["-c", _SERVE] if cpu_has_amx() else ["-m", "llama_cpp.server"]
    command = [sys.executable, *serve, "--model", str(path), "--model_alias", name,
               "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(DEFAULT_N_CTX),
               "--n_threads", str(cpu_count())]
    with args.log.open("wb") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_ready(url, server)
            env = {**os.environ, "OPENAI_API_KEY": os.environ.get("OPENAI_API_KEY", "not-needed")}
            bench = [str(Path(sys.executable).with_name("recursor")), "bench", args.family, "--model", name,
                     "--base-url", url, *bench_args]
            print("$", " ".join(bench), flush=True)
            running = subprocess.Popen(bench, env=env)
            try:
                return running.wait()
            finally:
                _stop(running)  # the bench first: it writes its rows while the server still answers
        finally:
            _stop(server)


if __name__ == "__main__":
    raise SystemExit(main())
