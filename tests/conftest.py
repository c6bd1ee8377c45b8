"""Shared test setup: no real API keys reach any test, and traces go to a temp dir."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

_KEY_VARS = ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OPENROUTER_API_KEY")


@pytest.fixture(autouse=True)
def _no_real_keys_and_temp_traces(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A test can never spend money: real provider keys are removed from the environment."""
    for var in _KEY_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("RECURSOR_TRACE_DIR", str(tmp_path / "traces"))
