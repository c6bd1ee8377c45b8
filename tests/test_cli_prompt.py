"""`recursor ask -` and `--prompt-file`: the whole prompt (a document, then its question) is the
context, as a real subprocess against the fake OpenAI-compatible server."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fakes.openai_server import FakeOpenAIServer
from test_prompt_split import DOC, ROOT_BOUND

PROMPT = DOC + "How many characters is this document?"


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "recursor.cli", *args], capture_output=True, text=True,
                          timeout=120, env=dict(os.environ), input=stdin,
                          stdin=None if stdin is not None else subprocess.DEVNULL)


def counting(request: dict[str, Any]) -> str:
    """Print len(context) first, then answer with the number printed."""
    messages = request["messages"]
    if len(messages) <= 2:
        return "```repl\nprint(len(context))\n```"
    return f"FINAL({re.findall(r'[0-9]+', messages[-1]['content'])[-1]})"


def sizes(server: FakeOpenAIServer) -> list[int]:
    return [len(json.dumps(r.json["messages"])) for r in server.requests]


@pytest.mark.parametrize("how", ["stdin", "prompt-file"])
def test_the_prompt_is_the_context(how: str, tmp_path: Path) -> None:
    path = tmp_path / "prompt.txt"
    path.write_text(PROMPT)
    source = ("-",) if how == "stdin" else ("--prompt-file", str(path))
    with FakeOpenAIServer(responder=counting) as server:
        proc = run_cli("ask", *source, "--model", "fake-root", "--base-url", server.base_url, "--no-trace",
                       stdin=PROMPT if how == "stdin" else None)
        seen = sizes(server)
        first = server.requests[0].json["messages"][1]["content"]
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"{len(PROMPT)}\n"
    assert len(seen) == 2 and max(seen) < ROOT_BOUND
    assert "How many characters is this document?" in first


def test_a_question_argument_is_its_own_context_and_context_still_works(tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("abcdef")
    with FakeOpenAIServer(responder=counting) as server:
        alone = run_cli("ask", "What is 2+2?", "--model", "m", "--base-url", server.base_url, "--no-trace")
        with_context = run_cli("ask", "-", "--context", str(doc), "--model", "m", "--base-url",
                               server.base_url, "--no-trace", stdin="How long is it?")
    assert (alone.returncode, alone.stdout) == (0, "12\n"), alone.stderr
    assert (with_context.returncode, with_context.stdout) == (0, "6\n"), with_context.stderr


@pytest.mark.parametrize(("args", "stdin", "code", "says"), [
    (("-", "--context", "-"), "x", 2, "stdin can be the prompt or the context"),
    ((), None, 2, "give QUESTION"),
    (("q", "--prompt-file", "f.txt"), None, 2, "not both"),
    (("-",), "  \n", 1, "the prompt from stdin is empty"),
    (("--prompt-file", "{tmp}/missing.txt"), None, 1, "prompt file does not exist"),
    (("--prompt-file", "{tmp}"), None, 1, "must be a file"),
])
def test_bad_prompt_sources(args: tuple[str, ...], stdin: str | None, code: int, says: str,
                            tmp_path: Path) -> None:
    args = tuple(a.format(tmp=tmp_path) for a in args)
    proc = run_cli("ask", *args, "--model", "m", "--base-url", "http://127.0.0.1:9/v1", stdin=stdin)
    assert proc.returncode == code, proc.stderr
    assert says in proc.stderr and proc.stdout == ""
