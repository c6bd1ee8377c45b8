"""The host stays bounded whatever the worker writes to its socket, and only well-formed
sub-calls ever reach the handler (the one schema, `base.check_subcall`, in every mode)."""

from __future__ import annotations

import asyncio
import warnings
from pathlib import Path
from typing import Any

import pytest

from recursor.context import store_context
from recursor.sandbox.base import SandboxOptions, SubcallRejected, check_subcall
from recursor.sandbox.inprocess import InProcessRepl
from recursor.sandbox.worker import frame_tokens
from sandbox_helpers import MODES, make_repl

SOCK = """
import gc, json, socket, struct
sock = next(o for o in gc.get_objects() if isinstance(o, socket.socket))
def send(obj=None, raw=None):
    data = raw if raw is not None else json.dumps(obj).encode()
    sock.sendall(struct.pack('>I', len(data)) + data)
"""
CHANNEL_CALL = """
import gc
# In process mode, another test's REPL may not be collected yet: skip those whose loop is closed.
from_worker = next(o for o in gc.get_objects() if type(o).__name__ == 'Repl' and hasattr(o, 'channel')
                   and not (hasattr(o.channel, 'loop') and o.channel.loop.is_closed()))
try:
    from_worker.channel.call({fn!r}, {args!r})
except Exception as exc:
    print(type(exc).__name__, exc)
"""
IMAGE_PROMPT = [{"type": "text", "text": "hi"}, {"type": "image_url", "image_url": {"url": "http://x/y.png"}}]


class Recorder:
    def __init__(self, delay: float = 0.0) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.delay = delay

    async def __call__(self, fn: str, args: dict[str, Any]) -> Any:
        self.calls.append((fn, args))
        await asyncio.sleep(self.delay)
        return "ok"


# -- the schema --------------------------------------------------------------------------------
@pytest.mark.parametrize(("fn", "args", "message"), [
    ("os.system", {"prompt": "x"}, "unknown sub-call"),
    ("llm_query", ["x"], "must be a mapping"),
    ("llm_query", {"prompt": IMAGE_PROMPT}, "no content parts or images"),
    ("llm_query", {"prompt": "x", "temperature": 2}, "unexpected argument"),
    ("llm_query", {}, "prompt must be a str, not NoneType"),
    ("llm_query", {"prompt": "x", "model": "m" * 201}, "model must be None"),
    ("llm_query", {"prompt": "x", "model": 3}, "model must be None"),
    ("llm_query", {"prompt": "x", "choices": []}, "non-empty list"),
    ("llm_query", {"prompt": "x", "choices": "yes"}, "non-empty list"),
    ("llm_query", {"prompt": "x", "choices": ["a", 1]}, "choices[1] must be a str"),
    ("llm_query", {"prompt": "x", "choices": ["a", "b" * 1001]}, "the limit is 1,000"),
    ("llm_query_batched", {"prompts": "abc"}, "prompts must be a list"),
    ("llm_query_batched", {"prompts": ["a"] * 10_001}, "at most 10,000"),
    ("llm_query_batched", {"prompts": ["a", ["b"]]}, "prompts[1] must be a str"),
    ("rlm_query", {"prompt": "x", "context": {"a": 1}}, "must be a str, not int"),
    ("rlm_query", {"prompt": "x", "context": 5}, "must be None, a str, a list of str or a dict"),
    ("rlm_query", {"prompt": "x", "context": [["nested"]]}, "context[0] must be a str"),
    ("rlm_query_batched", {"prompts": ["a", "b"], "contexts": ["c"]}, "one entry per prompt"),
])
def test_the_schema_refuses(fn: str, args: Any, message: str) -> None:
    with pytest.raises(SubcallRejected, match=message.replace("[", r"\[").replace("]", r"\]")):
        check_subcall(fn, args)


def test_the_schema_fills_every_key_and_counts_bytes() -> None:
    _fn, args, size = check_subcall("rlm_query_batched", {"prompts": ["a", "b"], "contexts": [None, {"k": "v" * 1000}]})
    assert args == {"prompts": ["a", "b"], "model": None, "contexts": [None, {"k": "v" * 1000}]}
    assert 1000 < size < 2000
    assert check_subcall("llm_query", {"prompt": "p", "choices": ["a", "b"]})[1] == {
        "prompt": "p", "model": None, "choices": ["a", "b"], "schema": None}


def test_frame_tokens_counts_structure_outside_strings() -> None:
    assert frame_tokens(b'{"a": "x", "b": [1, 2]}') == 6  # small frames: a cheap upper bound
    assert frame_tokens(b'{"a": "' + b"x,y:[{\\\"" * 100_000 + b'", "b": [1, 2]}') == 6
    big = b'{"p": "' + b"," * 200_000 + b'"}'
    assert frame_tokens(big) == 2
    assert frame_tokens(b"[" + b"{}," * 200_000 + b"{}]") == 400_002


# -- through a real worker ---------------------------------------------------------------------
@pytest.mark.parametrize("mode", MODES)
async def test_a_forged_image_prompt_is_refused_on_the_host(mode: str, tmp_path: Path) -> None:
    handler = Recorder()
    repl = make_repl(tmp_path, mode, handler=handler)
    try:
        # Past the worker's own helpers: straight to the channel, as hostile code can.
        cell = await repl.run(CHANNEL_CALL.format(fn="llm_query", args={"prompt": IMAGE_PROMPT}))
        assert "SubcallRejected" in cell.stdout and "no content parts or images" in cell.stdout
        cell = await repl.run("llm_query([{'type': 'image_url'}])")
        assert cell.error is not None and "only text prompts are supported" in cell.error
        assert (await repl.run("print(llm_query('fine'))")).stdout.strip() == "ok"
        assert handler.calls == [("llm_query", {"prompt": "fine", "model": None, "choices": None, "schema": None})]
        assert repl.restarts == 0
    finally:
        await repl.close()


async def test_inprocess_uses_the_same_check(tmp_path: Path) -> None:
    handler = Recorder()
    repl = InProcessRepl(store_context("c", tmp_path), handler, SandboxOptions(isolation="inprocess"))
    with warnings.catch_warnings():  # said once per process: maybe already said
        warnings.simplefilter("ignore")
        await repl.start()
    cell = await repl.run(CHANNEL_CALL.format(fn="rlm_query", args={"prompt": "x", "context": {"a": [1]}}))
    assert "SubcallRejected" in cell.stdout
    assert handler.calls == []
    await repl.close()


@pytest.mark.parametrize("mode", MODES)
async def test_a_flood_of_large_call_frames_is_cut_at_the_pending_budget(mode: str, tmp_path: Path) -> None:
    handler = Recorder(delay=3600)
    repl = make_repl(tmp_path, mode, handler=handler, max_message_mb=8)
    code = SOCK + """
prompt = 'x' * (7 << 20)
for i in range(48):
    send({'type': 'call', 'id': 10**6 + i, 'fn': 'llm_query', 'args': {'prompt': prompt}})
"""
    try:
        cell = await repl.run(code)
        assert cell.restarted and "waiting to be served held more than 32 MiB" in (cell.error or "")
        assert 1 <= len(handler.calls) <= 4  # 32 MiB of 7 MiB prompts; the old host took all 48
        assert (await repl.run("print(len(context))")).stdout.strip() == "3"
    finally:
        await repl.close()


@pytest.mark.parametrize(("payload", "told"), [
    ("send(raw=b'x' * 20)\nimport time; time.sleep(5)", "malformed"),
    ("sock.sendall(struct.pack('>I', (32 << 20) + 1))\nimport time; time.sleep(5)", "over the 33,554,432-byte cap"),
    ("send(raw=b'{\"type\": \"call\", \"id\": 1, \"fn\": \"llm_query\", \"args\": {\"prompt\": [' + b'{},' * 1_100_000"
     " + b'{}]}}')\nimport time; time.sleep(5)", "more than 1,000,000 items"),
    ("send(raw=b'[' * 200_000 + b']' * 200_000)\nimport time; time.sleep(5)", "malformed"),
    ("send({'type': 'surprise'})\nimport time; time.sleep(5)", "unknown type"),
    ("send({'type': 'call', 'id': 'x', 'fn': 'llm_query', 'args': {}})\nimport time; time.sleep(5)", "malformed sub-call"),
])
async def test_bad_frames_restart_the_worker_and_reach_no_handler(payload: str, told: str, tmp_path: Path) -> None:
    handler = Recorder()
    repl = make_repl(tmp_path, "process", handler=handler)
    try:
        cell = await repl.run(SOCK + payload)
        assert cell.restarted and told in (cell.error or ""), cell
        assert handler.calls == []
        assert (await repl.run("print(len(context))")).stdout.strip() == "3"
    finally:
        await repl.close()


@pytest.mark.parametrize("mode", MODES)
async def test_a_forged_result_is_clipped_and_typed(mode: str, tmp_path: Path) -> None:
    repl = make_repl(tmp_path, mode, output_limit=1000)
    code = SOCK + """
import sys
frame = sys._getframe()
while not isinstance(frame.f_locals.get('msg'), dict):
    frame = frame.f_back
exec_id = frame.f_locals['msg']['id']  # the request this cell answers: a forgery the host cannot tell
send({'type': 'result', 're': exec_id, 'stdout': 'y' * (10 << 20), 'error': 'e' * (5 << 20),
      'notes': ['n' * 5_000] * 1000, 'duration': 1e308 * 10, 'stdout_total': -5, 'final_source': 'rm -rf'})
"""
    try:
        cell = await repl.run(code)
        assert len(cell.stdout) < 1300 and "characters of output cut" in cell.stdout
        assert cell.error is not None and len(cell.error) < 21_000
        assert len(cell.notes) == 20 and all(len(n) < 2_200 for n in cell.notes)
        assert cell.duration == 0.0 and cell.stdout_total == 0 and cell.final_source is None
        # The worker's own result for that cell comes later: ignored (stale), never taken for the next.
        assert (await repl.run("print('next')")).stdout.strip() == "next"
        assert repl.restarts == 0
    finally:
        await repl.close()


@pytest.mark.parametrize("mode", MODES)
async def test_an_honest_call_over_the_cap_fails_in_the_cell_and_keeps_variables(mode: str, tmp_path: Path) -> None:
    handler = Recorder()
    repl = make_repl(tmp_path, mode, handler=handler, max_message_mb=8)
    try:
        cell = await repl.run("keep = 1\nllm_query('x' * (9 << 20))")
        assert cell.error is not None and "one sub-call may send at most 8,388,608" in cell.error
        cell = await repl.run("llm_query_batched([str(i) for i in range(5)])\nrlm_query('q', context=[''] * 1_100_000)")
        assert cell.error is not None and "more than 1,000,000 list or dict items" in cell.error
        assert (await repl.run("print(keep)")).stdout.strip() == "1"
        assert repl.restarts == 0 and len(handler.calls) == 1
    finally:
        await repl.close()
