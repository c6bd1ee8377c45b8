"""The README's Python examples run as written, against the fake OpenAI server.

`OPENAI_BASE_URL` points the `openai:` models at the fake (the OpenAI SDK's own convention),
so the code blocks are executed verbatim: nothing in them is rewritten for the test.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from fakes.openai_server import FakeOpenAIServer

README = Path(__file__).resolve().parents[1] / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def respond(request: dict[str, Any]) -> str:
    """A root that looks once and answers; a direct request (the whole context in the prompt,
    what mode="auto" sends an API model for a small context) is answered at once."""
    if request["model"] != "gpt-5":
        return "a sub-model reply"
    if request["messages"][-1]["content"].startswith("Document:"):
        return "alice"
    first = not any(m["role"] == "assistant" for m in request["messages"])
    return "```repl\nprint(type(context).__name__, len(context))\n```" if first else "FINAL(alice)"


def test_the_python_api_example_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    block = next(b for b in python_blocks() if "RLM(" in b and "rlm.complete(" in b)
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "bugs.log").write_text("2024-03-02 alice filed BUG-1\n2024-03-05 bob filed BUG-2\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OPENAI_API_KEY", "not-a-real-key")
    monkeypatch.setenv("RECURSOR_TRACE_DIR", str(tmp_path / "traces"))
    with FakeOpenAIServer(responder=respond) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        exec(compile(block, "README.md", "exec"), {})
        models = {r.json["model"] for r in server.requests}
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "alice" and out[1] == "final"
    assert models == {"gpt-5"}
    assert Path(out[3]).parent == tmp_path / "traces" and Path(out[3]).exists()
