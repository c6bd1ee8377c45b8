"""The `recursor` command, run as a real subprocess against the fake OpenAI-compatible server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from fakes.openai_server import FakeOpenAIServer, Reply, Status

NEEDLE_CODE = "```repl\nimport re\nprint(re.search(r'number for (\\S+) is: (\\d+)', context).group(2))\n```"


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "recursor.cli", *args],
        capture_output=True, text=True, timeout=timeout, env=full_env, stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def haystack(tmp_path: Path) -> Path:
    path = tmp_path / "haystack.txt"
    filler = "The grass is green. The sky is blue. " * 20_000
    path.write_text(filler + "The special magic number for silver-fox is: 4829163. " + filler)
    return path


def test_ask_prints_only_the_answer(haystack: Path, tmp_path: Path) -> None:
    with FakeOpenAIServer([Reply(NEEDLE_CODE), Reply("FINAL(4829163)")]) as server:
        proc = run_cli("ask", "What is silver-fox's number?", "--context", str(haystack),
                       "--model", "fake-root", "--base-url", server.base_url,
                       "--trace-dir", str(tmp_path / "tr"))
        first = server.requests[0].json
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "4829163\n"
    assert "trace:" in proc.stderr
    # The context itself never went to the model: only its metadata.
    assert "4829163" not in json.dumps(first["messages"])
    assert first["model"] == "fake-root"


def test_ask_json_output_and_sub_model(haystack: Path) -> None:
    script = [Reply("```repl\nx = llm_query('hi')\nprint(x)\n```"), Reply("sub says hi"), Reply("FINAL_VAR(x)")]
    with FakeOpenAIServer(script) as server:
        proc = run_cli("ask", "q", "--context", str(haystack), "--model", "root-m", "--sub-model", "sub-m",
                       "--base-url", server.base_url, "--no-trace", "--json")
        models = [r.json["model"] for r in server.requests]
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["answer"] == "sub says hi" and out["stopped_by"] == "final"
    assert models == ["root-m", "sub-m", "root-m"]
    assert out["usage"]["by_model"]["sub-m"]["calls"] == 1
    assert out["trace_path"] is None


def test_limit_stop_prints_best_answer_and_exits_zero(haystack: Path) -> None:
    with FakeOpenAIServer(responder=lambda req: "```repl\nprint(1)\n```") as server:
        proc = run_cli("ask", "q", "--context", str(haystack), "--model", "m", "--base-url", server.base_url,
                       "--max-iterations", "2", "--no-trace")
    assert proc.returncode == 0
    assert "stopped by max_iterations" in proc.stderr
    # It found nothing to print: stderr says so, not that a best answer follows.
    assert proc.stdout == "\n" and "no answer was found" in proc.stderr and "best answer" not in proc.stderr
    last = iter(["```repl\nprint(1)\n```", "```repl\nprint(1)\n```", "FINAL(7)"])
    with FakeOpenAIServer(responder=lambda req: next(last)) as server:
        proc = run_cli("ask", "q", "--context", str(haystack), "--model", "m", "--base-url", server.base_url,
                       "--max-iterations", "2", "--no-trace")
    assert proc.stdout == "7\n" and "printing the best answer found" in proc.stderr


def test_missing_context_file_is_a_one_line_error(tmp_path: Path) -> None:
    proc = run_cli("ask", "q", "--context", str(tmp_path / "nope.txt"), "--model", "m", "--base-url", "http://127.0.0.1:9/v1")
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.strip().count("\n") == 0 and "does not exist" in proc.stderr


def test_unknown_flag_is_a_usage_error() -> None:
    proc = run_cli("ask", "q", "--no-such-flag")
    assert proc.returncode == 2
    assert "no-such-flag" in proc.stderr and proc.stdout == ""


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_endpoint_after_retries(haystack: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    proc = run_cli("ask", "q", "--context", str(haystack), "--model", "m", "--base-url", url, "--retries", "1", "--no-trace")
    assert proc.returncode == 1
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("recursor: error:")


def test_auth_error_is_reported_without_the_key(haystack: Path) -> None:
    with FakeOpenAIServer([Status(401, body='{"error": {"message": "bad key"}}')]) as server:
        proc = run_cli("ask", "q", "--context", str(haystack), "--model", "m", "--base-url", server.base_url,
                       "--no-trace", env={"OPENAI_API_KEY": "sk-test-secret-123"})
    assert proc.returncode == 1
    assert "sk-test-secret-123" not in proc.stderr + proc.stdout
    assert "401" in proc.stderr or "key" in proc.stderr


def test_invalid_limit_values_are_rejected() -> None:
    proc = run_cli("ask", "q", "--max-depth", "0")
    assert proc.returncode == 2


def test_doctor_reports_isolation() -> None:
    proc = run_cli("doctor")
    assert proc.returncode == 0
    assert "isolation" in proc.stdout.lower() and "[x] separate process" in proc.stdout


def test_ask_schema_prints_the_json(haystack: Path, tmp_path: Path) -> None:
    schema = tmp_path / "answer.json"
    schema.write_text(json.dumps({"type": "object", "properties": {"number": {"type": "integer"}},
                                  "required": ["number"]}))
    script = [Reply(NEEDLE_CODE), Reply('FINAL({"number": "4829163"})'), Reply('FINAL({"number": 4829163})')]
    with FakeOpenAIServer(script) as server:
        proc = run_cli("ask", "What is silver-fox's number?", "--context", str(haystack), "--schema", str(schema),
                       "--model", "m", "--base-url", server.base_url, "--no-trace")
        told = [r.json["messages"][-1]["content"] for r in server.requests]
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"number": 4829163}
    assert '"required":["number"]' in server.requests[0].json["messages"][1]["content"]
    assert "$.number: expected integer, got string" in told[2]


def test_ask_schema_that_is_never_met_exits_one(haystack: Path, tmp_path: Path) -> None:
    schema = tmp_path / "answer.json"
    schema.write_text('{"type": "array"}')
    with FakeOpenAIServer([Reply(NEEDLE_CODE)], responder=lambda req: "FINAL(4829163)") as server:
        proc = run_cli("ask", "q", "--context", str(haystack), "--schema", str(schema),
                       "--model", "m", "--base-url", server.base_url, "--no-trace")
    assert proc.returncode == 1
    assert proc.stdout == "4829163\n"
    assert "stopped by invalid_output" in proc.stderr and "no answer matched the schema" in proc.stderr


@pytest.mark.parametrize(("text", "message"), [("{", "is not JSON"), ('{"type": "object", "if": {}}', "unsupported keyword")])
def test_ask_bad_schema_file_is_refused_before_any_call(tmp_path: Path, text: str, message: str) -> None:
    schema = tmp_path / "answer.json"
    schema.write_text(text)
    proc = run_cli("ask", "q", "--schema", str(schema), "--model", "m", "--base-url", f"http://127.0.0.1:{_closed_port()}/v1",
                   "--no-trace")
    assert proc.returncode == 1 and message in proc.stderr
