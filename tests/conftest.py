"""Shared test setup: no real API keys reach any test, and traces go to a temp dir."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))

_KEY_VARS = ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OPENROUTER_API_KEY")


@pytest.fixture(autouse=True)
def _no_real_keys_and_temp_traces(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A test can never spend money: real provider keys are removed from the environment."""
    for var in _KEY_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("RECURSOR_TRACE_DIR", str(tmp_path / "traces"))


@pytest.fixture
def local_http_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No httpx request may leave this machine: a test using this can never reach a real (paid)
    API, whatever a bug in the clients does. (Tests of the HTTP clients use it: they build
    clients against fake servers, where one wrong URL would be a real request.)"""
    real_send = httpx.AsyncClient.send

    async def local_only(self: httpx.AsyncClient, request: httpx.Request, **kw: Any) -> Any:
        if request.url.host not in ("127.0.0.1", "localhost"):
            raise AssertionError(f"test tried to reach {request.url.host}")
        return await real_send(self, request, **kw)

    monkeypatch.setattr(httpx.AsyncClient, "send", local_only)
