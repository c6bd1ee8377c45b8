"""The embedded local model: a GGUF run in-process by llama.cpp, on the CPU, with no API key.

`LocalLM` wraps `llama_cpp.Llama`. llama.cpp is not re-entrant and a model is costly to
load, so each model file is loaded once per process and shared by every `LocalLM` that
names it, with a lock around each call. Calls run in a worker thread so the event loop
(the REPL, other sub-calls' I/O) keeps going while the CPU decodes.

The KV cache is kept between calls: when a prompt extends the previous one (a run's next
turn), llama-cpp-python re-evaluates only the tokens after the longest common prefix. To
keep that working nothing here resets the context between calls, and prompts are built
by the model's own chat template so turn N+1's prompt is a token-prefix extension of
turn N's. An RLM interleaves its root turns with sub-calls to the same model, which would
overwrite the root's cache; so before a call abandons the cached conversation, that
conversation's KV cells are saved (llama.cpp's per-sequence state, no logits), and a
later call that continues it gets them back (`_KVStore`). `LocalLM.last_stats` reports
how many prompt tokens each call actually evaluated.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import os
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from recursor.errors import LMError, LMRequestError, UserError
from recursor.lm.base import LM, LMResponse, Message, Usage, output_cap
from recursor.lm.prefix_files import PrefixFiles, prefix_dir
from recursor.lm.scoring import calibrated_pick, option_logprobs
from recursor.local.models import DEFAULT_MODEL, MODELS, get_model, model_path

__all__ = [
    "DEFAULT_N_CTX",
    "CallStats",
    "LocalLM",
    "cpu_count",
    "cpu_has_amx",
    "unload_all",
    "without_extra_buffers",
]

#: Enough for a run's transcript; the KV cache costs ~28 KiB per token for the 1.5B.
DEFAULT_N_CTX = 16384

#: Memory for saved conversations' KV cells, per loaded model (the 1.5B's 16K window: 0.45 GiB).
DEFAULT_KV_STORE_BYTES = 1 << 30

#: Conversations kept at most (the roots of runs interrupted by their sub-calls, newest kept):
#: with the byte budget, this keeps a long process's memory flat.
_MAX_SAVED = 8

#: Calibration priors kept per loaded model (each a few floats per option).
_MAX_PRIORS = 256

#: Conversations shorter than this are cheaper to re-evaluate than to keep.
_MIN_SAVED_TOKENS = 64

#: System prompts shorter than this are evaluated again rather than read from disk (`PrefixFiles`).
_MIN_FILE_TOKENS = 256

_INSTALL_HINT = "pip install 'recursor[local]'"


def cpu_has_amx(cpuinfo: str | None = None) -> bool:
    """True if the CPU has Intel AMX (an `amx*` flag in /proc/cpuinfo).

    llama.cpp's AMX weight buffers segfault on the first decode (an upstream bug), so on
    such CPUs the model is loaded with `use_extra_bufts=False`. `cpuinfo` is the file's
    text (for tests); by default /proc/cpuinfo is read, and a system without it has no AMX.
    """
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text(errors="replace")
        except OSError:
            return False
    for line in cpuinfo.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() in ("flags", "Features"):
            if any(flag.startswith("amx") for flag in value.split()):
                return True
    return False


def cpu_count() -> int:
    """The cores this process may run on (the affinity mask, not the host's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _import_llama_cpp() -> Any:
    """The `llama_cpp` module, or a UserError telling how to install the extra."""
    try:
        import llama_cpp
    except ImportError as e:
        raise UserError(
            f"the local model needs llama-cpp-python, which is not installed: {_INSTALL_HINT}"
        ) from e
    return llama_cpp


@dataclass(frozen=True, slots=True)
class CallStats:
    """What one call cost on the CPU; `prompt_eval_tokens` < `prompt_tokens` shows KV reuse."""

    prompt_tokens: int
    prompt_eval_tokens: int
    prompt_eval_s: float
    completion_tokens: int
    generation_s: float
    wall_s: float
    #: True when a saved conversation's KV cells were put back before this call.
    restored: bool = False

    @property
    def prompt_tokens_per_s(self) -> float:
        return self.prompt_eval_tokens / self.prompt_eval_s if self.prompt_eval_s else 0.0

    @property
    def generation_tokens_per_s(self) -> float:
        return self.completion_tokens / self.generation_s if self.generation_s else 0.0


_Key = tuple[tuple[str, str], ...]


def _common_prefix(a: Sequence[object], b: Sequence[object]) -> int:
    """How many leading items (messages, or token ids) two sequences share."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


@dataclass(slots=True)
class _Saved:
    """The KV cells of one conversation (its messages, their tokens, llama.cpp's bytes)."""

    messages: _Key
    tokens: Any
    data: Any
    size: int
    keep: bool


def _trim_heap() -> None:
    """Give freed heap memory back to the system (glibc's `malloc_trim`), where there is one.

    Saved conversations are buffers of many sizes (a root's state grows turn by turn); freed,
    they leave holes glibc keeps, and a long process creeps up by a few MB per hundred calls.
    """
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def _libc_malloc_trim() -> Any:
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim
        return None


_MALLOC_TRIM: Any = _libc_malloc_trim()


class _KVStore:
    """Keeps the KV cache of conversations that other calls interrupt, within a byte budget.

    The live conversation is saved only when a call is about to abandon it (a sub-call
    between two root turns), and restored when a call continues it. Only conversations that
    will go on are saved: a system prompt, more than one user turn, or one restored before.
    A one-off sub-call never is (the next sub-call reuses the live cells' shared prefix
    anyway): saving each of them grew a process by ~140 MB per 100 sub-calls until the byte
    budget was full. At most `_MAX_SAVED` are kept, the oldest dropped first.
    """

    def __init__(self, llama: Any, llama_cpp: Any, budget: int) -> None:
        self.llama = llama
        self.llama_cpp = llama_cpp
        self.budget = budget
        self.live: _Key = ()
        self.live_keep = False
        self.saved: list[_Saved] = []

    def before(self, key: _Key) -> bool:
        """Prepare the cache for a call on `key`; return True if saved cells were restored."""
        try:
            return self._before(key)
        except (AttributeError, TypeError):
            # Another llama-cpp-python than the pinned one: work on, without the store.
            self.budget, self.saved, self.live = 0, [], ()
            self.llama.reset()
            return False

    def _before(self, key: _Key) -> bool:
        live_match = _common_prefix(key, self.live)
        best: _Saved | None = None
        best_match = live_match
        for entry in self.saved:
            match = _common_prefix(key, entry.messages)
            if match > best_match:
                best, best_match = entry, match
        if live_match < len(self.live):  # this call overwrites part of the live conversation
            self._save_live()
            self.live_keep = False
        if best is None:
            return False
        # Saving the live conversation may have dropped `best` as the oldest (the store was full):
        # it is restored from the reference held here all the same.
        self.saved = [e for e in self.saved if e is not best]
        try:
            return self._restore(best)
        finally:
            del best
            _trim_heap()

    def after(self, key: _Key, reply: str) -> None:
        self.live = (*key, ("assistant", reply))

    def _save_live(self) -> None:
        llama = self.llama
        n_tokens = int(llama.n_tokens)
        if self.budget <= 0 or n_tokens < _MIN_SAVED_TOKENS or not self.live:
            return
        if not (self.live_keep or any(role == "system" for role, _ in self.live)
                or sum(role == "user" for role, _ in self.live) > 1):
            return  # a one-off call: nothing will continue it
        cells = self._cells(self.budget)
        if cells is None:
            return
        data, written = cells
        self.saved = [e for e in self.saved if e.messages != self.live]
        self.saved.append(_Saved(self.live, llama.input_ids[:n_tokens].copy(), data, written, True))
        while len(self.saved) > _MAX_SAVED or sum(e.size for e in self.saved) > self.budget:
            self.saved.pop(0)
        _trim_heap()

    def _cells(self, most: int) -> tuple[Any, int] | None:
        """llama.cpp's state of the cached cells (a buffer and its length), or None when it has
        none or it is over `most` bytes."""
        llama, low = self.llama, self.llama_cpp
        size = int(low.llama_state_seq_get_size(llama.ctx, 0))
        if size <= 0 or size > most:
            return None
        data = (ctypes.c_uint8 * size)()
        written = int(low.llama_state_seq_get_data(llama.ctx, data, size, 0))
        return (data, written) if written > 0 else None

    def evaluate_system(self, system: str, tokens: list[int], most: int) -> bytes | memoryview:
        """Evaluate a system prompt's `tokens` alone in an emptied cache and return their
        state's bytes for a file (b"" when over `most` bytes). The live conversation was saved
        by `before` if anything continues it."""
        self._clear()
        self.llama.eval(tokens)
        self.live, self.live_keep = (("system", system),), False
        cells = self._cells(most)
        return memoryview(cells[0]).cast("B")[: cells[1]] if cells is not None else b""

    def restore_file(self, system: str, tokens: list[int], state: bytes | memoryview) -> bool:
        """Put a system prompt's state read from a file (`PrefixFiles`) in the cache; False,
        and the cache empty, unless llama.cpp took it as exactly `tokens`' cells."""
        llama, low = self.llama, self.llama_cpp
        if len(tokens) >= int(llama.n_ctx()):
            return False
        data = (ctypes.c_uint8 * len(state)).from_buffer_copy(state)
        if not self._restore(_Saved((("system", system),), tokens, data, len(state), False)):
            return False
        memory = low.llama_get_memory(llama.ctx)
        if memory is not None and int(low.llama_memory_seq_pos_max(memory, 0)) != len(tokens) - 1:
            self._clear()
            return False
        return True

    def _clear(self) -> None:
        llama, low = self.llama, self.llama_cpp
        memory = low.llama_get_memory(llama.ctx)
        if memory is not None:
            low.llama_memory_clear(memory, True)
        llama.n_tokens = 0
        self.live = ()

    def _restore(self, entry: _Saved) -> bool:
        llama, low = self.llama, self.llama_cpp
        self._clear()
        llama._requires_eval = True
        if int(low.llama_state_seq_set_data(llama.ctx, entry.data, entry.size, 0)) == 0:
            return False  # the cache is empty; the call just evaluates its whole prompt
        n_tokens = len(entry.tokens)
        llama.input_ids[:n_tokens] = entry.tokens
        llama.n_tokens = n_tokens
        self.live = entry.messages
        self.live_keep = True
        return True


@dataclass(slots=True)
class _Loaded:
    """One loaded model, its KV store, and the one thread that runs its calls.

    Calls queue on that thread rather than in asyncio's default pool, so twenty parallel
    sub-calls do not tie up the threads other code needs. The lock guards `unload_all`.
    """

    llama: Any
    lock: threading.Lock
    load_s: float
    kv: _KVStore
    executor: ThreadPoolExecutor
    #: Content-free option probabilities, per (calibration prompts, options); see `LocalLM.choose`.
    priors: dict[str, Any] = field(default_factory=dict)
    #: The model's own chat template (None: the file has none, so `choose` generates instead).
    formatter: Any = None


_LOADED: dict[tuple[str, int], _Loaded] = {}
_LOADED_LOCK = threading.Lock()


@contextlib.contextmanager
def without_extra_buffers(llama_cpp: Any) -> Iterator[None]:
    """Make `Llama(...)` load with `use_extra_bufts=False`, as this module loads on AMX CPUs.

    llama-cpp-python does not expose the field, so the default-params factory it calls is
    wrapped while the block runs (here, one construction under `_LOADED_LOCK`). Public so that
    another process loading the same model (`benchmarks/llama_server.py`, llama.cpp's server)
    loads it the same way.
    """
    low = llama_cpp.llama_cpp
    original = low.llama_model_default_params

    def patched() -> Any:
        params = original()
        params.use_extra_bufts = False
        return params

    low.llama_model_default_params = patched
    try:
        yield
    finally:
        low.llama_model_default_params = original


_LOOP_REPEATS = 4
_LOOP_PERIODS = range(5, 97)


def repeating_tail(ids: Sequence[int], start: int = 0) -> bool:
    """True when the tokens generated since `start` end in the same run of 5 to 96 tokens
    four times over: a degenerate loop, not an answer (measured: a 1.5B root repeated the same
    seven grep lines until its 1,024-token cap, about a minute of CPU per reply)."""
    generated = list(ids[start:])
    n = len(generated)
    for period in _LOOP_PERIODS:
        if n < period * _LOOP_REPEATS:
            break
        tail = generated[-period:]
        if all(generated[n - (k + 1) * period : n - k * period] == tail for k in range(1, _LOOP_REPEATS)):
            return True
    return False


def _chat(messages: Sequence[Message]) -> list[dict[str, str]]:
    return [{"role": m["role"], "content": m["content"]} for m in messages]


def _key(path: Path, n_ctx: int) -> tuple[str, int]:
    return (str(path.resolve()), n_ctx)


def _load(
    path: Path, n_ctx: int, n_threads: int, seed: int, verbose: bool, kv_store_bytes: int
) -> _Loaded:
    """Load `path` once per process (per context size) and return the shared handle.

    The first caller's settings win for a (file, n_ctx) pair: the point is one copy.
    """
    key = _key(path, n_ctx)
    with _LOADED_LOCK:
        loaded = _LOADED.get(key)
        if loaded is not None:
            return loaded
        llama_cpp = _import_llama_cpp()
        amx = cpu_has_amx()
        start = time.perf_counter()
        with without_extra_buffers(llama_cpp) if amx else contextlib.nullcontext():
            try:
                llama = llama_cpp.Llama(
                    model_path=str(path),
                    n_ctx=n_ctx,
                    n_threads=n_threads,
                    n_threads_batch=n_threads,
                    seed=seed,
                    verbose=verbose,
                )
            except ValueError as e:  # llama-cpp-python reports load failures this way
                raise UserError(f"llama.cpp could not load {path}: {e}") from e
        if amx and getattr(llama.model_params, "use_extra_bufts", False):
            raise LMError("could not disable llama.cpp's extra buffers on this AMX CPU")
        kv = _KVStore(llama, llama_cpp, kv_store_bytes)
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="recursor-llama")
        loaded = _Loaded(llama, threading.Lock(), time.perf_counter() - start, kv, executor,
                         formatter=_chat_formatter(llama, llama_cpp))
        _LOADED[key] = loaded
        return loaded


def _identity(path: Path, n_ctx: int, llama_cpp: Any) -> str:
    """What a saved state depends on: the model file (name, size, time), the window, the build."""
    try:
        ours = metadata.version("recursor")
    except metadata.PackageNotFoundError:  # run from a source tree
        ours = "?"
    stat = path.stat()
    return (f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}:{n_ctx}:"
            f"{getattr(llama_cpp, '__version__', '?')}:{ours}")


def _chat_formatter(llama: Any, llama_cpp: Any) -> Any:
    """The chat template stored in the model file, as llama-cpp-python renders it (or None)."""
    template = (getattr(llama, "metadata", None) or {}).get("tokenizer.chat_template")
    ctx = getattr(llama, "_ctx", None)
    if not template or not all(hasattr(ctx, name) for name in ("get_logits", "kv_cache_seq_rm")):
        return None
    try:
        model = llama._model

        def text(token: int) -> str:
            return str(model.token_get_text(token)) if token != -1 else ""

        return llama_cpp.llama_chat_format.Jinja2ChatFormatter(
            template=template, eos_token=text(llama.token_eos()), bos_token=text(llama.token_bos())
        )
    except (AttributeError, TypeError, ValueError):  # another llama-cpp-python: generate instead
        return None


def unload_all() -> None:
    """Free every loaded model (for tests and long-lived processes that switch models)."""
    with _LOADED_LOCK:
        items = list(_LOADED.values())
        _LOADED.clear()
    for loaded in items:
        loaded.executor.shutdown(wait=True, cancel_futures=True)
        with loaded.lock:
            loaded.llama.close()


class LocalLM(LM):
    """A pulled GGUF model run in-process with llama.cpp. Free: `cost_usd` is 0.

    Defaults favour reproducible runs: temperature 0 (greedy) and a fixed seed. A call
    cancelled by the caller (a deadline) stops at its next generated token. A long system
    prompt's KV cells are kept on disk (`system_cache`: True for `prefix_files.prefix_dir()`,
    a directory, or False), so the next process reads them instead of evaluating them.
    """

    #: Asks for the wording built for small models (`recursor.profiles.is_small_model`).
    small_model: bool = True
    #: Runs on this machine: no per-token price, so a money limit accepts it.
    price = (0.0, 0.0)
    max_output_tokens: int

    #: Where generation stops: small models go on past their code block and write the REPL's
    #: "output" and the next turns themselves. Those invented turns start like these.
    DEFAULT_STOP: tuple[str, ...] = ("\nUser:", "\nUSER:", "[repl output]", "\n<|im_start|>")

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        path: str | Path | None = None,
        n_ctx: int = DEFAULT_N_CTX,
        n_threads: int | None = None,
        temperature: float = 0.0,
        seed: int = 0,
        max_output_tokens: int = 1024,
        stop: tuple[str, ...] | None = None,
        kv_store_bytes: int = DEFAULT_KV_STORE_BYTES,
        system_cache: bool | Path = True,
        verbose: bool = False,
    ) -> None:
        _import_llama_cpp()  # fail at construction, not at the first call
        if path is None:
            found = model_path(model)
            if found is None:
                name = get_model(model).name
                raise UserError(
                    f"the local model {name} is not pulled: run `recursor models pull {name}`"
                )
            path = found
        path = Path(path)
        if not path.is_file():
            raise UserError(f"model file {path} does not exist")
        if n_ctx < 512:
            raise UserError(f"n_ctx={n_ctx} is too small for a chat model (use >= 512)")
        self.model = model
        self.path = path
        self.n_ctx = n_ctx
        self.n_threads = n_threads or cpu_count()
        self.temperature = temperature
        self.seed = seed
        self.max_output_tokens = max_output_tokens
        self.stop = self.DEFAULT_STOP if stop is None else tuple(stop)
        self.kv_store_bytes = kv_store_bytes
        self.system_cache = system_cache
        directory = prefix_dir() if system_cache is True else Path(system_cache) if system_cache else None
        #: System prompts' cells saved by earlier processes (None: not kept on disk).
        self._files = (None if directory is None
                       else PrefixFiles(directory, _identity(path, n_ctx, _import_llama_cpp())))
        self.verbose = verbose
        #: Token counts and timings of the last call (None before the first).
        self.last_stats: CallStats | None = None

    @classmethod
    def default(cls, **kwargs: Any) -> LocalLM:
        """The best pulled model: the 1.5B if present, else the 0.5B, else a UserError."""
        for name in MODELS:
            if model_path(name) is not None:
                return cls(name, **kwargs)
        sizes = ", ".join(f"{m.name} ({m.size / 1e9:.1f} GB)" for m in MODELS.values())
        raise UserError(
            "no local model is pulled: run `recursor models pull qwen2.5-coder-1.5b` "
            f"(or pull any of: {sizes})"
        )

    def with_model(self, model: str) -> LM:
        if model == self.model:
            return self
        return LocalLM(
            get_model(model).name,
            n_ctx=self.n_ctx,
            n_threads=self.n_threads,
            temperature=self.temperature,
            seed=self.seed,
            max_output_tokens=self.max_output_tokens,
            stop=self.stop,
            kv_store_bytes=self.kv_store_bytes,
            system_cache=self.system_cache,
            verbose=self.verbose,
        )

    def load(self) -> float:
        """Load the model now (it otherwise loads on the first call); return the load time."""
        return self._loaded().load_s

    def _loaded(self) -> _Loaded:
        return _load(
            self.path, self.n_ctx, self.n_threads, self.seed, self.verbose, self.kv_store_bytes
        )

    async def complete(self, messages: Sequence[Message], *, max_tokens: int | None = None) -> LMResponse:
        cancelled = threading.Event()
        chat = _chat(messages)
        loaded = await self._ready()
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(
                loaded.executor, self._complete_sync, loaded, chat, cancelled,
                output_cap(self.max_output_tokens, max_tokens),
            )
        except asyncio.CancelledError:
            cancelled.set()  # a running call ends its generation at the next token
            raise

    def _key(self) -> tuple[str, int]:
        return _key(self.path, self.n_ctx)

    async def _ready(self) -> _Loaded:
        """The loaded model; the first call loads it, off the event loop."""
        loaded = _LOADED.get(self._key())
        return loaded if loaded is not None else await asyncio.to_thread(self._loaded)

    @contextlib.contextmanager
    def _prepared(self, loaded: _Loaded, key: _Key) -> Iterator[bool]:
        """One call on `key` (under `loaded.lock`): the KV cache readied for it (yields whether
        saved cells were restored) and the perf counters reset. A failure leaves the cache
        marked unknown; a ValueError (the prompt does not fit the window) is an LMRequestError."""
        restored = loaded.kv.before(key)
        _import_llama_cpp().llama_perf_context_reset(loaded.llama.ctx)
        try:
            yield restored
        except ValueError as e:  # e.g. "Requested tokens (N) exceed context window of M"
            loaded.kv.live = ()  # what the cache holds is no longer known
            raise LMRequestError(str(e), model=self.model) from e
        except BaseException:
            loaded.kv.live = ()
            raise

    @staticmethod
    def _stats(loaded: _Loaded, start: float, prompt_tokens: int, completion_tokens: int,
               restored: bool, generation_s: float | None = None) -> CallStats:
        """What the call that began at `start` cost, from llama.cpp's perf counters."""
        perf = _import_llama_cpp().llama_perf_context(loaded.llama.ctx)
        return CallStats(
            prompt_tokens=prompt_tokens,
            prompt_eval_tokens=int(perf.n_p_eval),
            prompt_eval_s=perf.t_p_eval_ms / 1000,
            completion_tokens=completion_tokens,
            generation_s=perf.t_eval_ms / 1000 if generation_s is None else generation_s,
            wall_s=time.perf_counter() - start,
            restored=restored,
        )

    async def choose(
        self,
        messages: Sequence[Message],
        choices: Sequence[str],
        *,
        calibrate: Sequence[Sequence[Message]] = (),
        max_tokens: int | None = None,
    ) -> LMResponse:
        """Score the options instead of generating (see `recursor.lm.scoring`).

        Each option's probability is read from the logits after the prompt, calibrated by
        the probabilities the same options get on the `calibrate` prompts (computed once per
        set and kept). One prompt evaluation, no sampling: faster than a generated label
        and never an answer outside `choices`. A model file without a chat template answers
        by generation, as remote models do.
        """
        loaded = await self._ready()
        if loaded.formatter is None:
            return await super().choose(messages, choices, calibrate=calibrate, max_tokens=max_tokens)
        chats = [_chat(m) for m in (messages, *calibrate)]
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(loaded.executor, self._choose_sync, loaded, chats, list(choices))

    def _choose_sync(
        self, loaded: _Loaded, chats: list[list[dict[str, str]]], choices: list[str]
    ) -> LMResponse:
        llama = loaded.llama
        chat, calibrate = chats[0], chats[1:]
        options = [list(llama.tokenize(c.encode("utf-8"), add_bos=False, special=False)) for c in choices]
        with loaded.lock:
            key: _Key = tuple((m["role"], m["content"]) for m in chat)
            start = time.perf_counter()
            evaluated = 0
            with self._prepared(loaded, key) as restored:
                priors: list[list[float]] = []
                if calibrate:
                    prior_key = json.dumps([calibrate, choices], sort_keys=True)
                    cached = loaded.priors.get(prior_key)
                    if cached is None:
                        cached = []
                        for other in calibrate:
                            tokens = self._prompt_tokens(loaded, other)
                            evaluated += len(tokens)
                            cached.append(self._option_logprobs(llama, tokens, options))
                        if len(loaded.priors) >= _MAX_PRIORS:
                            loaded.priors.pop(next(iter(loaded.priors)))
                        loaded.priors[prior_key] = cached
                    priors = cached
                tokens = self._prompt_tokens(loaded, chat)
                logprobs = self._option_logprobs(llama, tokens, options)
            picked = choices[calibrated_pick(logprobs, priors)]
            loaded.kv.after(key, "")
            self.last_stats = self._stats(loaded, start, len(tokens), 0, restored, generation_s=0.0)
        return LMResponse(
            text=picked,
            model=self.model,
            usage=Usage(len(tokens) + evaluated, 0, cost_usd=0.0),
            finish_reason="choice",
        )

    def _system_from_file(self, loaded: _Loaded, chat: list[dict[str, str]], key: _Key) -> bool:
        """When the cache holds nothing of this conversation and it opens with a long system
        prompt: that prompt's cells read from its file (True); else, if an earlier process met
        the prompt too, evaluated alone now and saved for the next one (False). The call then
        evaluates only what follows. Any failure here costs the file, never the call."""
        files = self._files
        if (files is None or loaded.formatter is None or len(chat) < 2 or chat[0]["role"] != "system"
                or _common_prefix(key, loaded.kv.live) > 0):
            return False
        system = chat[0]["content"]
        try:
            alone = self._tokens(loaded, chat[:1])
        except Exception:  # a template that refuses a lone system message (jinja raises): no file
            return False
        if not _MIN_FILE_TOKENS <= len(alone) <= self.n_ctx // 2:
            return False
        name = files.key(alone)
        try:
            found = files.load(name)
            if found is not None:
                if loaded.kv.restore_file(system, *found):
                    return True
                files.forget(name)  # llama.cpp refused it: another build's layout
            if not files.seen(name):
                return False  # met first here: a prompt that changes per call leaves only a marker
            tokens = self._tokens(loaded, chat)
            n = min(_common_prefix(tokens, alone), len(tokens) - 1)
            if n >= _MIN_FILE_TOKENS and len(tokens) < self.n_ctx:
                files.save(name, tokens[:n], loaded.kv.evaluate_system(system, tokens[:n], files.max_bytes))
        except (AttributeError, TypeError, ValueError):
            # Another llama-cpp-python than the pinned one: no files from now on; the call
            # evaluates its prompt as before.
            self._files = None
            loaded.kv.live = ()
        finally:
            _trim_heap()  # the state's buffers (~28 KiB a token) are freed
        return False

    def _tokens(self, loaded: _Loaded, chat: list[dict[str, str]]) -> list[int]:
        """`chat` as the model's template renders it, tokenized (no window check)."""
        rendered = loaded.formatter(messages=chat)
        return list(loaded.llama.tokenize(
            rendered.prompt.encode("utf-8"), add_bos=not rendered.added_special, special=True
        ))

    def _prompt_tokens(self, loaded: _Loaded, chat: list[dict[str, str]]) -> list[int]:
        tokens = self._tokens(loaded, chat)
        if len(tokens) + 16 > self.n_ctx:
            raise ValueError(f"Requested tokens ({len(tokens)}) exceed context window of {self.n_ctx}")
        return tokens

    @staticmethod
    def _option_logprobs(llama: Any, tokens: list[int], options: list[list[int]]) -> list[float]:
        """Evaluate `tokens` (reusing the cached prefix) and score `options` after them."""
        cached = int(llama.n_tokens)
        keep = 0
        while keep < min(cached, len(tokens) - 1) and llama.input_ids[keep] == tokens[keep]:
            keep += 1
        llama.n_tokens = keep
        llama.eval(tokens[keep:])
        n_vocab = llama.n_vocab()
        prompt_end = len(tokens)

        def logits_at(path: tuple[int, ...], ids: Sequence[int]) -> list[float]:
            if path:
                llama.n_tokens = prompt_end
                llama.eval(list(path))
            row = llama._ctx.get_logits()
            values = [float(row[i]) for i in ids if 0 <= i < n_vocab]
            if len(values) != len(ids):
                raise LMError("an option token is outside the vocabulary")
            return values

        try:
            return option_logprobs(options, logits_at, llama.token_eos())
        finally:
            if int(llama.n_tokens) != prompt_end:  # forget the option tokens evaluated
                llama.n_tokens = prompt_end
                llama._ctx.kv_cache_seq_rm(-1, prompt_end, -1)

    def _complete_sync(
        self, loaded: _Loaded, chat: list[dict[str, str]], cancelled: threading.Event,
        max_tokens: int | None,
    ) -> LMResponse:
        llama_cpp = _import_llama_cpp()
        llama = loaded.llama
        eos = llama.token_eos()

        prompt_end: list[int] = []

        def stop_when_cancelled(ids: Any, scores: Any) -> Any:
            # Forcing EOS ends generation cleanly, leaving the KV cache consistent. A small
            # model caught in a loop (the same lines over and over) is ended the same way:
            # the rest of its reply would only cost time.
            if not prompt_end:
                prompt_end.append(len(ids))
            if cancelled.is_set() or repeating_tail(ids, prompt_end[0]):
                scores[:] = -float("inf")
                scores[eos] = 0.0
            return scores

        with loaded.lock:
            if cancelled.is_set():
                raise LMError("cancelled before it started", model=self.model)
            key: _Key = tuple((m["role"], m["content"]) for m in chat)
            start = time.perf_counter()
            with self._prepared(loaded, key) as restored:
                restored |= self._system_from_file(loaded, chat, key)
                if cancelled.is_set():
                    raise LMError("cancelled before it started", model=self.model)
                result = llama.create_chat_completion(
                    messages=chat,
                    temperature=self.temperature,
                    seed=self.seed,
                    max_tokens=max_tokens,
                    stop=list(self.stop),
                    logits_processor=llama_cpp.LogitsProcessorList([stop_when_cancelled]),
                )
            choice = result["choices"][0]
            text = choice["message"].get("content") or ""
            loaded.kv.after(key, text)
            usage = result.get("usage") or {}
            prompt_tokens = int(usage.get("prompt_tokens", 0))
            completion_tokens = int(usage.get("completion_tokens", 0))
            self.last_stats = self._stats(loaded, start, prompt_tokens, completion_tokens, restored)
        return LMResponse(
            text=text,
            model=self.model,
            usage=Usage(prompt_tokens, completion_tokens, cost_usd=0.0),
            finish_reason=choice.get("finish_reason"),
        )
