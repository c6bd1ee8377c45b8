"""System prompts' KV cells on disk (`recursor.lm.prefix_files`), and the embedded model
reading them in a new process instead of evaluating its system prompt again."""

from __future__ import annotations

import ctypes
import os
import struct
import time
from pathlib import Path

import pytest

from real_model import E2E_MODEL, needs_real_model
from recursor.lm.base import Message
from recursor.lm.local import LocalLM, _KVStore, unload_all
from recursor.lm.prefix_files import _MAX_MARKERS, PrefixFiles, prefix_dir


def _saved(files: PrefixFiles, tokens: list[int], state: bytes) -> str:
    key = files.key(tokens)
    files.save(key, tokens, state)
    return key


def test_a_saved_prompt_comes_back_whole_and_only_for_its_model_and_tokens(tmp_path: Path) -> None:
    files = PrefixFiles(tmp_path, "model-a")
    key = _saved(files, [1, 2, 3, 70_000], b"\x00state\xff" * 100)
    tokens, state = files.load(key) or ([], b"")
    assert tokens == [1, 2, 3, 70_000] and bytes(state) == b"\x00state\xff" * 100
    assert files.key([1, 2, 3, 70_001]) != key
    assert PrefixFiles(tmp_path, "model-b").key([1, 2, 3, 70_000]) != key  # another model or build
    assert [p.suffix for p in tmp_path.iterdir()] == [".kv"]  # no temporary file left
    assert oct(tmp_path.stat().st_mode & 0o777) != "0o777"


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "flipped"])
def test_a_damaged_file_is_deleted_and_read_as_missing(tmp_path: Path, damage: str) -> None:
    files = PrefixFiles(tmp_path, "m")
    key = _saved(files, list(range(300)), b"x" * 4096)
    path = tmp_path / f"{key}.kv"
    raw = path.read_bytes()
    flipped = raw[:-10] + b"y" + raw[-9:]  # lengths intact, a byte of the state changed
    path.write_bytes({"truncate": raw[:-1], "garbage": b"not a state file" * 10, "empty": b"",
                      "flipped": flipped}[damage])
    assert files.load(key) is None
    assert not path.exists()


def test_a_file_others_could_write_or_a_link_is_not_read(tmp_path: Path) -> None:
    files = PrefixFiles(tmp_path / "kv", "m")
    key = _saved(files, [1, 2], b"state")
    path = tmp_path / "kv" / f"{key}.kv"
    path.chmod(0o666)
    assert files.load(key) is None and path.exists()  # refused, not deleted: it is not ours to judge
    path.chmod(0o600)
    if os.getuid() == 0:  # root can give the file away: another user's file is refused
        os.chown(path, 4242, -1)
        assert files.load(key) is None
        os.chown(path, 0, -1)
    assert files.load(key) is not None
    target = tmp_path / "elsewhere.kv"
    path.rename(target)
    path.symlink_to(target)
    assert files.load(key) is None


def test_a_prompt_is_marked_when_first_met_and_markers_stay_bounded(tmp_path: Path) -> None:
    files = PrefixFiles(tmp_path, "m")
    assert files.seen("a" * 32) is False and files.seen("a" * 32) is True
    for i in range(_MAX_MARKERS + 20):
        files.seen(f"{i:032x}")
    assert len(list(tmp_path.glob("*.seen"))) <= _MAX_MARKERS


def test_the_directory_keeps_the_last_used_files_within_its_bytes(tmp_path: Path) -> None:
    files = PrefixFiles(tmp_path, "m", max_bytes=10_000)
    (tmp_path / "layout.kv").write_text("not ours")  # a user's own files in the directory
    stale = tmp_path / "tmpold.tmp"
    stale.write_bytes(b"x" * 100)
    os.utime(stale, (time.time() - 3600, time.time() - 3600))  # left by a killed process
    fresh = tmp_path / "tmpnew.tmp"  # being written by another process now
    fresh.write_bytes(b"x")
    keys = []
    for i in range(5):
        keys.append(_saved(files, [i] * 10, b"s" * 3_000))
        os.utime(tmp_path / f"{keys[-1]}.kv", (1_000 + i, 1_000 + i))  # in order, whatever the clock's grain
    assert files.load(keys[0]) is None and files.load(keys[1]) is None  # the oldest went
    assert sum(p.stat().st_size for p in tmp_path.glob("*.kv") if p.name != "layout.kv") <= 10_000
    files.load(keys[2])  # read: now the newest
    _saved(files, [5] * 10, b"s" * 3_000)
    assert files.load(keys[2]) is not None and files.load(keys[3]) is None
    assert files.load(_saved(files, [1], b"s" * 20_000)) is None  # over the whole budget: never written
    assert (tmp_path / "layout.kv").read_text() == "not ours" and fresh.exists() and not stale.exists()


def test_a_directory_that_cannot_be_made_costs_only_the_file(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    files = PrefixFiles(tmp_path / "a-file" / "kv", "m")  # mkdir fails, as on a read-only disk
    key = _saved(files, [1], b"s")  # no error
    assert files.load(key) is None and files.seen(key) is False


def test_the_directory_follows_recursor_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RECURSOR_HOME", str(tmp_path))
    assert prefix_dir() == tmp_path / "kv"
    monkeypatch.delenv("RECURSOR_HOME")
    assert prefix_dir() == Path.home() / ".cache" / "recursor" / "kv"


# -- the KV store's side, over a fake llama.cpp whose state is its cached token ids ----------

class _Llama:
    def __init__(self, n_ctx: int = 4096) -> None:
        self.ctx = object()
        self.n_tokens = 0
        self.input_ids: list[int] = [0] * n_ctx
        self.cells: list[int] = []  # what llama.cpp's memory holds
        self._n_ctx = n_ctx
        self._requires_eval = False

    def n_ctx(self) -> int:
        return self._n_ctx

    def eval(self, tokens: list[int]) -> None:
        self.input_ids[self.n_tokens: self.n_tokens + len(tokens)] = tokens
        self.n_tokens += len(tokens)
        self.cells = self.input_ids[: self.n_tokens]


class _Low:
    def __init__(self, llama: _Llama) -> None:
        self.llama = llama

    def llama_state_seq_get_size(self, ctx: object, seq: int) -> int:
        return 4 * len(self.llama.cells)

    def llama_state_seq_get_data(self, ctx: object, buf: object, size: int, seq: int) -> int:
        raw = struct.pack(f"<{len(self.llama.cells)}i", *self.llama.cells)
        ctypes.memmove(buf, raw, len(raw))  # type: ignore[arg-type]
        return len(raw)

    def llama_state_seq_set_data(self, ctx: object, buf: object, size: int, seq: int) -> int:
        self.llama.cells = list(struct.unpack(f"<{size // 4}i", bytes(buf)))  # type: ignore[call-overload]
        return size

    def llama_get_memory(self, ctx: object) -> object:
        return object()

    def llama_memory_clear(self, memory: object, data: bool) -> None:
        self.llama.cells = []

    def llama_memory_seq_pos_max(self, memory: object, seq: int) -> int:
        return len(self.llama.cells) - 1


def test_a_system_prompt_evaluated_alone_is_restored_as_exactly_its_cells() -> None:
    llama = _Llama()
    store = _KVStore(llama, _Low(llama), budget=10**6)
    llama.eval([9] * 50)  # a conversation the store had
    state = store.evaluate_system("sys", list(range(300)), most=10**6)
    assert llama.n_tokens == 300 and store.live == (("system", "sys"),)

    fresh = _Llama()  # the next process
    other = _KVStore(fresh, _Low(fresh), budget=10**6)
    assert other.restore_file("sys", list(range(300)), bytes(state)) is True
    assert fresh.n_tokens == 300 and fresh.input_ids[:300] == list(range(300)) and fresh.cells == list(range(300))
    assert other.live == (("system", "sys"),)
    # A state that holds other cells than its tokens say, or more than the window: refused, cache empty.
    assert other.restore_file("sys", list(range(301)), bytes(state)) is False
    assert fresh.n_tokens == 0 and other.live == () and fresh.cells == []
    assert _KVStore(_Llama(n_ctx=300), _Low(_Llama()), 10**6).restore_file("sys", list(range(300)), bytes(state)) is False


# -- the real model ------------------------------------------------------------------------

_SYSTEM = ("You answer questions about numbers. Reply with the number only, no words. "
           + " ".join(f"Rule {i}: never explain, never repeat the question, never add units." for i in range(25)))


def _chat(question: str) -> list[Message]:
    return [{"role": "system", "content": _SYSTEM}, {"role": "user", "content": question}]


@pytest.mark.slow
@needs_real_model
async def test_a_third_process_reads_the_system_prompt_instead_of_evaluating_it(tmp_path: Path) -> None:
    async def process(question: str, cache: Path | bool) -> tuple[str, LocalLM]:
        unload_all()  # a model is loaded once per process: start as a new process would
        lm = LocalLM(E2E_MODEL, n_ctx=4096, system_cache=cache)
        return (await lm.complete(_chat(question))).text, lm

    try:
        expected = {q: (await process(q, False))[0] for q in ("What is 7+8?", "What is 20+22?")}
        assert "15" in expected["What is 7+8?"] and "42" in expected["What is 20+22?"]

        text, lm = await process("What is 7+8?", tmp_path)  # first met: a marker only
        assert text == expected["What is 7+8?"]
        assert list(tmp_path.glob("*.kv")) == [] and len(list(tmp_path.glob("*.seen"))) == 1
        text, lm = await process("What is 7+8?", tmp_path)  # met again: evaluated alone, saved
        assert text == expected["What is 7+8?"] and len(list(tmp_path.glob("*.kv"))) == 1
        assert lm.last_stats is not None and not lm.last_stats.restored

        text, lm = await process("What is 20+22?", tmp_path)  # another question, the same prompt
        stats = lm.last_stats
        assert stats is not None and stats.restored
        assert stats.prompt_eval_tokens < stats.prompt_tokens - 256  # the system prompt was read
        assert text == expected["What is 20+22?"]

        # A damaged file is dropped and made again; the reply is the same.
        path = next(tmp_path.glob("*.kv"))
        path.write_bytes(path.read_bytes()[:1000])
        text, lm = await process("What is 7+8?", tmp_path)
        assert text == expected["What is 7+8?"] and lm.last_stats is not None and not lm.last_stats.restored
        assert path.stat().st_size > 1000

        # Off in a process where the model is loaded with files on: none read or written.
        for p in tmp_path.iterdir():
            p.unlink()
        unload_all()
        on = LocalLM(E2E_MODEL, n_ctx=4096, system_cache=tmp_path)
        off = LocalLM(E2E_MODEL, n_ctx=4096, system_cache=False)
        await on.complete([{"role": "user", "content": "Say OK."}])
        assert (await off.complete(_chat("What is 7+8?"))).text == expected["What is 7+8?"]
        assert list(tmp_path.iterdir()) == []
    finally:
        unload_all()
