"""`recursor serve`'s totals and rate limits for every request together (`--max-usd-total`, ...),
and `--ray`'s error when Ray Serve is not installed."""

from __future__ import annotations

import re
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from click.testing import CliRunner

from batch_helpers import billed_reply
from fakes.billing import FakeBilling
from fakes.openai_server import FakeOpenAIServer

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
openai = pytest.importorskip("openai")

from recursor.batch.ray_ledger import LedgerSpec  # noqa: E402
from recursor.cli_options import build_rlm  # noqa: E402
from recursor.serve import create_app  # noqa: E402
from recursor.serve.cli import _local_ledger, serve  # noqa: E402
from serving import serve_opts, uvicorn_serving  # noqa: E402


def test_the_server_total_holds_across_concurrent_requests() -> None:
    billing = FakeBilling({"m": (100.0, 100.0)}, delay=0.2)
    with FakeOpenAIServer(responder=billed_reply(billing)) as server:
        opts = serve_opts("--model", "m", "--base-url", server.base_url, "--mode", "direct", "--no-trace",
                          "--retries", "0", "--price", "m=100,100", "--max-output-tokens", "300")
        rlm = build_rlm(opts, api_key_env=None, wrap_lm=_local_ledger(opts, LedgerSpec(max_usd=0.5)))
        with uvicorn_serving(create_app(rlm, max_concurrent_runs=8)) as url:
            sdk = openai.OpenAI(base_url=url, api_key="unused", max_retries=0, timeout=60)

            def ask(i: int) -> tuple[str | None, Any]:
                resp = sdk.chat.completions.create(
                    model="recursor", messages=[{"role": "user", "content": f"The secret is s{i}. What is it?"}])
                return resp.choices[0].message.content, resp.model_extra["recursor"]["stopped_by"]

            with ThreadPoolExecutor(8) as pool:
                answers = list(pool.map(ask, range(24)))
    assert 0.3 < sum(billing.usd) <= 0.5 + 1e-9  # ~0.065 a call: the total stopped the rest
    assert any(stopped == "max_usd" for _, stopped in answers)
    assert all(text == f"s{i}" for i, (text, stopped) in enumerate(answers) if stopped == "final")


def test_ray_without_ray_serve_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray.serve", None)  # as if the extra were missing
    if "ray" in sys.modules:
        monkeypatch.delattr(sys.modules["ray"], "serve", raising=False)
    result = CliRunner().invoke(serve, ["--ray", "auto", "--model", "m", "--base-url", "http://127.0.0.1:9/v1"])
    assert result.exit_code == 1
    assert re.search(r"needs Ray( Serve)?: pip install 'recursor\[ray\]'", result.output)


def test_serve_is_started_again_when_its_proxy_dies_while_starting(monkeypatch: pytest.MonkeyPatch) -> None:
    ray = pytest.importorskip("ray")
    from recursor.serve import ray_serve

    calls: list[str] = []

    class FlakyServe:
        def start(self, http_options: dict[str, object]) -> None:
            calls.append("start")
            if calls.count("start") == 1:  # the previous instance's controller killed the proxy
                raise ray.exceptions.RayActorError()

        def shutdown(self) -> None:
            calls.append("shutdown")

    monkeypatch.setattr(ray_serve.time, "sleep", lambda s: calls.append(f"sleep {s:g}"))
    ray_serve._start_serve(FlakyServe(), "127.0.0.1", 8000)
    assert calls == ["start", "shutdown", "sleep 2", "start"]

    class DeadServe(FlakyServe):
        def start(self, http_options: dict[str, object]) -> None:
            calls.append("start")
            raise ray.exceptions.RayActorError()

    calls.clear()
    with pytest.raises(ray.exceptions.RayActorError):
        ray_serve._start_serve(DeadServe(), "127.0.0.1", 8000)
    assert calls.count("start") == ray_serve._START_TRIES
