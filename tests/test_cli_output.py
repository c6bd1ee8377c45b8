"""What `recursor ask` writes: exact bytes to a pipe, escaped control sequences to a terminal,
and nothing raw on stderr. Real subprocesses against the fake OpenAI-compatible server."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

from fakes.openai_server import FakeOpenAIServer, Reply, Status
from recursor.termsafe import for_terminal

HOSTILE = "a\x1b]52;c;aGk=\x07b\x1b[2Jc\x1b]0;title\x07d\x9be\u202ef\x08g\rh\ud800i\tj\nk"
FINAL_HOSTILE = "```repl\nFINAL(" + repr(HOSTILE) + ")\n```"


def ask(server: FakeOpenAIServer, *extra: str, stdout: int | None = subprocess.PIPE) -> subprocess.CompletedProcess[bytes]:
    server.push(Reply(FINAL_HOSTILE))
    return subprocess.run(
        [sys.executable, "-m", "recursor.cli", "ask", "q", "--model", "m", "--base-url", server.base_url,
         "--no-trace", *extra],
        stdout=stdout, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=120, env=dict(os.environ),
    )


def test_for_terminal_neutralises_controls_and_keeps_text() -> None:
    shown = for_terminal(HOSTILE)
    assert shown == ("a\\x1b]52;c;aGk=\\x07b\\x1b[2Jc\\x1b]0;title\\x07d\\x9be\\u202ef\\x08g\\x0dh\\ud800i\tj\nk")
    assert for_terminal("line\r\nnext é 漢字 😀") == "line\nnext é 漢字 😀"
    assert for_terminal("\u2066x\u2069\u200f\u061c\x7f\x00") == "\\u2066x\\u2069\\u200f\\u061c\\x7f\\x00"


def test_piped_stdout_is_the_exact_answer() -> None:
    with FakeOpenAIServer() as server:
        proc = ask(server)
    assert proc.returncode == 0, proc.stderr
    # Exact UTF-8 of the answer; only the lone surrogate (which UTF-8 cannot hold) is U+FFFD.
    assert proc.stdout == HOSTILE.replace("\ud800", "\ufffd").encode() + b"\n"


def test_json_stdout_is_exact_and_ascii() -> None:
    with FakeOpenAIServer() as server:
        proc = ask(server, "--json")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.isascii()
    assert json.loads(proc.stdout)["answer"] == HOSTILE


def test_terminal_stdout_gets_the_escaped_form() -> None:
    master, slave = pty.openpty()
    try:
        with FakeOpenAIServer() as server:
            proc = ask(server, stdout=slave)
        os.close(slave)
        out = bytearray()
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the other side is closed and drained
                break
            if not chunk:
                break
            out += chunk
    finally:
        os.close(master)
    assert proc.returncode == 0, proc.stderr
    text = out.decode().replace("\r\n", "\n")
    assert text == for_terminal(HOSTILE) + "\n"
    assert b"\x1b" not in out and b"\x07" not in out and "\u202e".encode() not in out


def test_stderr_never_carries_raw_escapes(tmp_path: Path) -> None:
    body = json.dumps({"error": {"message": "bad \x1b]0;pwned\x07 key \x1b[2J"}})
    with FakeOpenAIServer([Status(400, body=body)]) as server:
        proc = subprocess.run(
            [sys.executable, "-m", "recursor.cli", "ask", "q", "--model", "m", "--base-url", server.base_url,
             "--no-trace"], capture_output=True, stdin=subprocess.DEVNULL, timeout=120)
    assert proc.returncode == 1
    assert b"\x1b" not in proc.stderr and b"\\x1b]0;pwned\\x07" in proc.stderr
