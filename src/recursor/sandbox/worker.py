"""The REPL worker: runs model-written code in a process of its own.

This file is executed as a script (`python -I worker.py --fd N ...`) and imports nothing but
the standard library, so it runs the same inside bubblewrap, with an empty environment.

It talks to the host over one socket (inherited fd), in frames of a 4-byte big-endian length
and a UTF-8 JSON object. Host -> worker: `tools` (the host tools to define stubs for, sent once
after `ready`), `exec`, `get_var`, `reply`, `shutdown`. Worker -> host: `ready`, `result`,
`var`, `call` (a sub-call the host makes: llm_query, rlm_query, ..., tool_call).
Requests carry an `id` that their response echoes as `re`, so a stray frame (say, from a
forked child) can never be taken for the answer to a later request. Model code never sees the
socket, the host's environment or any API key: a sub-call is a request the host may refuse.

Before any model code runs the worker hardens itself as the host asked (`--harden`): a fresh
network namespace, a switch to an unprivileged uid of its own (so RLIMIT_NPROC applies and the
host's processes cannot be signalled), no new privileges; then it sets its resource limits.
It reports what it actually applied in the `ready` frame: the host trusts no prediction.

The module is also imported by the in-process debug REPL, which reuses `Repl` without the
process-wide parts (no stdio swap, no signals, no hardening).
"""

from __future__ import annotations

import argparse
import ast
import builtins
import io
import itertools
import json
import linecache
import os
import queue
import re
import resource
import signal
import socket
import struct
import sys
import threading
import time
import traceback
import types
from collections.abc import Callable, Sequence
from typing import Any

_HEADER = struct.Struct(">I")
_TOOL_NAMES = (
    "llm_query",
    "llm_query_batched",
    "rlm_query",
    "rlm_query_batched",
    "SHOW_VARS",
    "FINAL",
    "FINAL_VAR",
    "cite",
)
MAX_READS = 200
"""Reads of `context` a cell may record (`cite` and the helpers); more are dropped. Plain
reads (`readlog`) come on top: at most `readlog.MAX_SPANS` more."""
EXIT_CPU = 86
"""Exit status when a cell overran its CPU time and ignored the exception that should stop it."""
EXIT_HARDEN = 87
"""Exit status when a protection the host required could not be applied (fail closed)."""

# Linux constants the stdlib does not name.
_PR_SET_PDEATHSIG = 1
_PR_SET_DUMPABLE = 4
_PR_SET_KEEPCAPS = 8
_PR_SET_NO_NEW_PRIVS = 38
_CLONE_NEWNS = 0x00020000
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000
_CAP_DAC_READ_SEARCH = 2
_MS_NOSUID, _MS_NODEV, _MS_BIND, _MS_REC, _MS_PRIVATE = 2, 4, 4096, 16384, 1 << 18
_CAP_VERSION_3 = 0x20080522


_STRINGS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')


def frame_tokens(data: bytes) -> int:
    """How many JSON values a frame can hold at most: its `,` `:` `[` `{` outside strings.

    The host refuses frames with too many before parsing them (`[{},{},...]` costs ~70 bytes
    of host memory per 3 bytes sent); the worker checks the same number first, so honest code
    gets a clear error instead of a restart. Shared by both sides so they always agree.
    """
    quick = sum(data.count(c) for c in (b",", b":", b"[", b"{"))
    if quick < 100_000:
        return quick
    bare = _STRINGS.sub(b'""', data)
    return sum(bare.count(c) for c in (b",", b":", b"[", b"{"))


class SubcallError(RuntimeError):
    """A sub-call failed on the host side (model error, budget exhausted, ...)."""


class ToolError(SubcallError):
    """A host tool failed, timed out or was refused; the message says which and why."""


class _FinalSignal(BaseException):
    """Raised by FINAL/FINAL_VAR to stop the cell; a BaseException so `except Exception` can't eat it."""


class CPUTimeExceeded(BaseException):
    """Raised in the cell when it used up its CPU time; a BaseException for the same reason."""


class Channel:
    """Framed JSON over the inherited socket; safe to call from model threads."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.pid = os.getpid()
        """Only this process may speak: a child forked by model code inherits the socket."""
        self.send_lock = threading.Lock()
        self.pending: dict[int, list[Any]] = {}
        self.inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.ids = itertools.count(1)
        self.max_bytes: int | None = None
        """The host's cap on one message, checked here first for a clear error (see `call`)."""
        self.max_tokens: int | None = None

    def send(self, msg: dict[str, Any]) -> None:
        if os.getpid() != self.pid:
            return
        data = json.dumps(msg, ensure_ascii=False).encode("utf-8", errors="surrogatepass")
        with self.send_lock:
            self.sock.sendall(_HEADER.pack(len(data)) + data)

    def _recv_exact(self, n: int) -> bytes:
        buf = bytearray()
        while len(buf) < n:
            chunk = self.sock.recv(min(n - len(buf), 1 << 20))
            if not chunk:
                raise EOFError
            buf += chunk
        return bytes(buf)

    def recv_loop(self) -> None:
        try:
            while True:
                (size,) = _HEADER.unpack(self._recv_exact(_HEADER.size))
                msg = json.loads(self._recv_exact(size).decode("utf-8", errors="surrogatepass"))
                if msg.get("type") == "reply":
                    slot = self.pending.get(msg["id"])
                    if slot is not None:
                        slot[1] = msg
                        slot[0].set()
                else:
                    self.inbox.put(msg)
        except (EOFError, OSError):
            os._exit(0)  # the host is gone: nothing left to serve

    def call(self, fn: str, args: dict[str, Any]) -> Any:
        if os.getpid() != self.pid:
            raise SubcallError(f"{fn}: sub-calls cannot be made from a forked child process")
        call_id = next(self.ids)
        msg = {"type": "call", "id": call_id, "fn": fn, "args": args}
        self._check_size(fn, json.dumps(msg, ensure_ascii=False).encode("utf-8", errors="surrogatepass"))
        slot: list[Any] = [threading.Event(), None]
        self.pending[call_id] = slot
        try:
            self.send(msg)
            slot[0].wait()
        finally:
            self.pending.pop(call_id, None)
        return unwrap_reply(slot[1])


    def _check_size(self, fn: str, data: bytes) -> None:
        """Refuse a call the host would refuse (by restarting the worker), with a message."""
        if self.max_bytes is not None and len(data) > self.max_bytes:
            raise SubcallError(
                f"{fn}: this request is {len(data):,} bytes; one sub-call may send at most "
                f"{self.max_bytes:,}. Send less text per call, or split it over several calls."
            )
        if self.max_tokens is not None and frame_tokens(data) > self.max_tokens:
            raise SubcallError(
                f"{fn}: this request has more than {self.max_tokens:,} list or dict items; join "
                "small items into longer strings, or split it over several calls."
            )


def unwrap_reply(reply: dict[str, Any]) -> Any:
    """A host reply -> its value, or SubcallError with the host's message."""
    if "error" in reply:
        raise SubcallError(reply["error"])
    return reply.get("value")


class CappedWriter(io.TextIOBase):
    """Keeps the first `head` and last `tail` characters written, and counts the rest.

    A cell that prints a gigabyte costs the worker `head + tail` characters of memory, and the
    host receives no more than that.
    """

    def __init__(self, head: int, tail: int) -> None:
        self.head_limit, self.tail_limit = head, tail
        self.head: list[str] = []
        self.head_len = 0
        self.tail: list[str] = []
        self.tail_len = 0
        self.total = 0

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        n = len(s)
        self.total += n
        taken = min(max(self.head_limit - self.head_len, 0), n)
        if taken:
            self.head.append(s[:taken])
            self.head_len += taken
        # Only the kept ends are sliced: printing a 100 MB string copies no middle (and, for
        # the context, logs as read only what the model is shown).
        keep = min(n - taken, self.tail_limit)
        if keep:
            self.tail.append(s[n - keep :])
            self.tail_len += keep
            if self.tail_len > 2 * self.tail_limit:
                joined = "".join(self.tail)[-self.tail_limit :]
                self.tail, self.tail_len = [joined], len(joined)
        return n

    def getvalue(self) -> str:
        head = "".join(self.head)
        tail = "".join(self.tail)[-self.tail_limit :] if self.tail_limit else ""
        cut = self.total - len(head) - len(tail)
        if cut > 0:
            return f"{head}\n[... {cut:,} characters of output cut ...]\n{tail}"
        return head + tail


class Channelish:
    """What `Repl` needs from its link to the host: one blocking `call`."""

    def call(self, fn: str, args: dict[str, Any]) -> Any:  # pragma: no cover - interface
        raise NotImplementedError


class Repl:
    """One persistent namespace with the RLM tools in it.

    `swap_stdio=True` (the worker) points sys.stdout/sys.stderr at the cell's capped buffer,
    which is safe in a process that does nothing else. The in-process REPL passes False: it
    shares the host's sys.stdout, so it injects its own `print` into the namespace instead.
    """

    def __init__(
        self,
        channel: Channel | Channelish,
        context: Any,
        output_limit: int,
        *,
        swap_stdio: bool = True,
        memory_mb: int | None = None,
        cpu_seconds: float | None = None,
        capture: Callable[[Any], Any] | None = None,
    ) -> None:
        self.channel = channel
        self.capture = capture(context) if capture is not None else None
        """`readlog.Capture`: logs plain reads of the context (slices, find, re); None without."""
        code = getattr(getattr(capture, "__init__", None), "__code__", None)
        if code is not None:
            _OWN_FILES.add(code.co_filename)  # its frames are the worker's, not the model's
        self.context = context if self.capture is None else self.capture.context
        self.output_limit = output_limit
        self.swap_stdio = swap_stdio
        self.memory_mb = memory_mb
        self.cpu_seconds = cpu_seconds
        self.final: str | None = None
        self.final_json: str | None = None
        """The answer as JSON when it is a dict, list, number, bool or None (for typed answers)."""
        self.final_source: str | None = None
        self.cell_no = 0
        self.out = CappedWriter(head=0, tail=0)
        """The running cell's output buffer (print and SHOW_VARS write here)."""
        self.cpu_start: float | None = None
        """process_time() when the running cell started; None between cells."""
        self.tools: dict[str, Any] = {
            "llm_query": self.llm_query,
            "llm_query_batched": self.llm_query_batched,
            "rlm_query": self.rlm_query,
            "rlm_query_batched": self.rlm_query_batched,
            "SHOW_VARS": self.show_vars,
            "FINAL": self.final_fn,
            "FINAL_VAR": self.final_var,
            "cite": self.cite,
        }
        self.reads: list[list[Any]] = []
        """This cell's reads of `context` ([key, start, end]), from `cite` and the helpers."""
        self.ns: dict[str, Any] = {"__name__": "__main__", "__builtins__": self._builtins()}
        self.ns.update(self.tools)
        self.ns["context"] = self.context
        if self.capture is not None:
            self.ns["_reads_quiet"] = self.capture.quiet  # the helpers log their own reads
        self.ns["answer"] = {"content": "", "ready": False}
        self._baseline = set(self.ns)
        self.functions: dict[str, types.FunctionType] = {}
        """The last function each public name held after a cell (the helpers, the model's own):
        a name later set to a value and then called gets its function back (`_restore_called`)."""
        self.kept: dict[str, Any] = {}
        """The values `_restore_called` moved aside, by the name it gave them."""

    def set_tools(self, specs: list[Any]) -> None:
        """Define a stub per host tool (`recursor.tools`): a call sends `tool_call` to the host.

        The stubs are protected like the other REPL tools (restored when overwritten).
        """
        stubs: dict[str, Any] = {}
        for spec in specs:
            if isinstance(spec, dict) and isinstance(spec.get("name"), str) and spec["name"].isidentifier():
                stubs[spec["name"]] = _tool_stub(self.channel, spec)
        if not stubs:
            return
        stubs["ToolError"] = ToolError
        self.tools.update(stubs)
        self.ns.update(stubs)
        self.ns["__builtins__"] = self._builtins()
        self._baseline |= set(stubs)

    def _builtins(self) -> dict[str, Any]:
        fresh = dict(vars(builtins))
        # Tools also live in the namespace's builtins, so `del llm_query` does not lose them.
        fresh.update(self.tools)
        if self.capture is not None:
            fresh.update(self.capture.builtins)  # `type` and `import re` that see a plain str
        if not self.swap_stdio:
            fresh["print"] = self._print
        return fresh

    def _print(self, *args: Any, sep: str | None = " ", end: str | None = "\n",
               file: Any = None, flush: bool = False) -> None:
        """print() bound to the running cell's buffer, for REPLs that must not swap sys.stdout."""
        builtins.print(*args, sep=sep, end=end, file=self.out if file is None else file, flush=flush)

    # -- tools the model calls -------------------------------------------------------------
    def llm_query(self, prompt: Any, model: str | None = None, choices: Any = None, schema: Any = None) -> Any:
        """Ask a sub-model one question; returns its reply text.

        With `choices` (a list of strings) the reply is one of them. With `schema` (a JSON
        Schema dict) the reply is the parsed JSON value (a dict, list, ...) matching it.
        """
        args: dict[str, Any] = {"prompt": _text(prompt), "model": model, "choices": _choices(choices)}
        if schema is not None:
            args["schema"] = _schema(schema)
            return self.channel.call("llm_query", args)
        return str(self.channel.call("llm_query", args))

    def llm_query_batched(self, prompts: Any, model: str | None = None, choices: Any = None,
                          schema: Any = None) -> list[Any]:
        """Ask many questions concurrently; replies come back in order, a failure as an error string.

        With `choices`, each reply is one of them; the prompts' shared text is the template
        the model's label bias is measured on. With `schema`, each reply is a parsed JSON value.
        """
        items = [_text(p) for p in _as_list(prompts, "prompts")]
        args: dict[str, Any] = {"prompts": items, "model": model, "choices": _choices(choices)}
        if schema is not None:
            args["schema"] = _schema(schema)
            return list(self.channel.call("llm_query_batched", args))
        return [str(v) for v in self.channel.call("llm_query_batched", args)]

    def rlm_query(self, prompt: Any, model: str | None = None, context: Any = None) -> str:
        """Hand a task to a child RLM with its own REPL; returns its final answer."""
        args = {"prompt": _text(prompt), "model": model, "context": _jsonable_context(context)}
        return str(self.channel.call("rlm_query", args))

    def rlm_query_batched(
        self, prompts: Any, model: str | None = None, contexts: Any = None
    ) -> list[str]:
        """Run many child RLMs concurrently; answers in order, a failure as an error string."""
        items = [_text(p) for p in _as_list(prompts, "prompts")]
        ctx = None if contexts is None else [_jsonable_context(c) for c in _as_list(contexts, "contexts")]
        if ctx is not None and len(ctx) != len(items):
            raise ValueError(f"rlm_query_batched: {len(items)} prompts but {len(ctx)} contexts")
        args = {"prompts": items, "model": model, "contexts": ctx}
        return [str(v) for v in self.channel.call("rlm_query_batched", args)]

    def show_vars(self) -> None:
        """Print the variables you have defined, with their types and sizes."""
        rows = []
        for name, value in self.ns.items():
            if name.startswith("_") or name in self.tools or name == "__builtins__":
                continue
            if type(value).__name__ in ("module", "function", "type") and name not in self._user_names():
                continue
            size = f" len={len(value):,}" if hasattr(value, "__len__") and not isinstance(value, type) else ""
            rows.append(f"  {name}: {type(value).__name__}{size}")
        self.out.write("Variables:\n" + ("\n".join(rows) if rows else "  (none)") + "\n")

    def _user_names(self) -> set[str]:
        return set(self.ns) - self._baseline

    def final_fn(self, value: Any) -> None:
        """End the run with `value` as the answer."""
        self.final, self.final_json, self.final_source = str(value), _json_form(value), "FINAL"
        raise _FinalSignal

    def final_var(self, name: Any) -> None:
        """End the run with the value of the variable called `name`."""
        if isinstance(name, str) and name.strip().strip("'\"`").isidentifier():
            key = name.strip().strip("'\"`")
            if key not in self.ns:
                raise NameError(
                    f"FINAL_VAR: no variable named {key!r} (defined: {sorted(self._user_names())}). "
                    "FINAL_VAR takes a variable's name; to answer with a value, use FINAL(value)."
                )
            value = self.ns[key]
        else:
            value = name  # given a value rather than a name: the value is the answer
        self.final, self.final_json, self.final_source = _answer_text(value), _json_form(value), "FINAL_VAR"
        raise _FinalSignal

    def cite(self, start: Any, end: Any, key: Any = None) -> None:
        """Mark context[start:end] (or context[key][start:end]) as evidence for the answer."""
        if len(self.reads) < MAX_READS and isinstance(start, int) and isinstance(end, int) and end > start >= 0:
            self.reads.append([key if isinstance(key, (str, int)) else None, start, end])

    # -- running cells -----------------------------------------------------------------------
    def run_cell(self, code: str, request_id: Any = None) -> dict[str, Any]:
        self.cell_no += 1
        filename = f"<cell {self.cell_no}>"
        linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
        out = self.out = CappedWriter(head=self.output_limit * 3 // 4, tail=self.output_limit // 4)
        old_out, old_err = sys.stdout, sys.stderr
        if self.swap_stdio:
            sys.stdout = sys.stderr = out
        self.final = self.final_json = self.final_source = None
        self.reads = []
        if self.capture is not None:
            self.capture.drain()  # reads between cells (a thread left running) are no cell's
        error: str | None = None
        t0 = time.perf_counter()
        self.cpu_start = time.process_time()
        try:
            tree = ast.parse(code, filename, "exec")
            last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            if last is not None:
                tree.body.pop()
            exec(compile(tree, filename, "exec"), self.ns)
            if last is not None:
                value = eval(compile(ast.Expression(last.value), filename, "eval"), self.ns)
                if value is not None:
                    # A bare last expression is shown, as in a notebook.
                    out.write((value if isinstance(value, str) else repr(value)) + "\n")
        except _FinalSignal:
            pass
        except SyntaxError as exc:
            error = "".join(traceback.format_exception_only(type(exc), exc)).rstrip()
        except SystemExit as exc:
            error = f"SystemExit({exc.code!r}): exiting is not allowed in the REPL; the REPL is still running."
        except BaseException as exc:  # model code may raise anything; it becomes an observation
            called = _failing_calls(exc, code, filename)
            error = (self._describe_error(exc) + self._restore_called(exc, called) + _call_hint(exc, code, self.ns)
                     + _names_hint(exc, self.ns, called, self.functions))
        finally:
            self.cpu_start = None
            if self.swap_stdio:
                sys.stdout, sys.stderr = old_out, old_err
        notes = self._restore_protected()
        self._remember_functions()
        if self.final is None:
            answer = self.ns.get("answer")
            if isinstance(answer, dict) and answer.get("ready") is True:
                content = answer.get("content", "")
                self.final, self.final_json, self.final_source = _answer_text(content), _json_form(content), "answer"
        return {
            "type": "result",
            "re": request_id,
            "stdout": out.getvalue(),
            "stdout_total": out.total,
            "error": error,
            "final": self.final,
            "final_json": self.final_json,
            "final_source": self.final_source,
            "notes": notes,
            "reads": self.reads + (self.capture.drain() if self.capture is not None else []),
            "duration": time.perf_counter() - t0,
        }

    def _describe_error(self, exc: BaseException) -> str:
        text = _format_error(exc)
        if isinstance(exc, MemoryError) and self.memory_mb:
            text += (
                f"\n[the REPL's memory cap is {self.memory_mb:,} MiB: work on smaller pieces, and "
                "`del` large variables you no longer need]"
            )
        return text

    def _restore_called(self, exc: BaseException, called: list[str]) -> str:
        """Give a function back its name when a value that took the name was called.

        `lines = [r for r in lines(...)]` left the helper unreachable: every later `lines(...)`
        said `'list' object is not callable`, and the model ran the block again until its
        errors ran out. Only the call that failed counts: a name `called` on the failing line of
        this cell (`_failing_calls`) whose value has the type the error names. The value is kept
        under a free name the note gives (the same one again when the block is rerun), so
        nothing is lost.
        """
        m = _NOT_CALLABLE.match(str(exc)) if isinstance(exc, TypeError) else None
        if m is None:
            return ""
        notes = []
        for name in called:
            fn, value = self.functions.get(name), self.ns.get(name)
            if fn is None or type(value).__name__ != m.group(1) or name in _NEVER_RESTORED:
                continue
            keep = next((k for k, v in self.kept.items()  # a rerun block's equal value: its name again
                         if k.startswith(f"{name}_value") and self.ns.get(k) is v and _equal(v, value)), None)
            keep = keep or next((k for k in (f"{name}_value", *(f"{name}_value{i}" for i in range(2, 100)))
                                 if k not in self.ns), None)
            if keep is not None:
                self.ns[keep] = self.kept[keep] = value
            self.ns[name] = fn
            kept = f"your {type(value).__name__} is now `{keep}`" if keep else "the value it held is dropped"
            notes.append(f"[`{name}` is the function again; {kept}. Run the block again, naming your "
                         f"results something else (found = {name}(...))]")
        return "".join("\n" + n for n in notes)

    def _remember_functions(self) -> None:
        """Note the function each public name holds after a cell (`_restore_called`); a name
        deleted is forgotten, so `del` frees what only its function held."""
        try:
            names = list(self.ns.items())  # a thread the model left running may add names meanwhile
        except RuntimeError:
            return
        for name in [n for n in self.functions if n not in self.ns]:
            del self.functions[name]
        self.functions.update((n, v) for n, v in names if isinstance(v, types.FunctionType)
                              and not n.startswith("_") and n not in self.tools and n not in _NEVER_RESTORED)

    def _restore_protected(self) -> list[str]:
        notes = []
        for name, tool in self.tools.items():
            if self.ns.get(name) is not tool:
                self.ns[name] = tool
                notes.append(f"`{name}` is a REPL tool and was restored; use another name for your own values.")
        if self.ns.get("context") is not self.context:
            self.ns["context"] = self.context
            notes.append("`context` is read-only and was restored; keep derived values in other variables.")
        builtins_ns = self.ns.get("__builtins__")
        if not isinstance(builtins_ns, dict) or any(builtins_ns.get(n) is not t for n, t in self.tools.items()):
            self.ns["__builtins__"] = self._builtins()
        elif not self.swap_stdio and builtins_ns.get("print") is not self._print:
            builtins_ns["print"] = self._print
        return notes

    def get_var(self, name: str, request_id: Any = None) -> dict[str, Any]:
        key = name.strip().strip("'\"`")
        if key in self.ns and key not in self.tools and key != "__builtins__":
            value = self.ns[key]
            return {"type": "var", "re": request_id, "found": True, "value": _answer_text(value),
                    "json": _json_form(value)}
        return {"type": "var", "re": request_id, "found": False, "defined": sorted(self._user_names())}


class _Shown:
    """A default or annotation shown as the host's text in a stub's signature."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _tool_stub(channel: Channel | Channelish, spec: dict[str, Any]) -> Callable[..., Any]:
    """A function with the host tool's name, signature and docstring that calls it on the host."""
    import inspect

    P = inspect.Parameter
    name = str(spec["name"])
    params = [
        P(str(p["name"]), inspect._ParameterKind(int(p["kind"])),
          default=_Shown(str(p["default"])) if "default" in p else P.empty,
          annotation=_Shown(str(p["annotation"])) if "annotation" in p else P.empty)
        for p in spec.get("params") or ()
    ]
    returns = spec.get("returns")
    sig = inspect.Signature(params, return_annotation=_Shown(str(returns)) if returns else inspect.Signature.empty)

    def stub(*args: Any, **kwargs: Any) -> Any:
        try:
            bound = sig.bind(*args, **kwargs)
        except TypeError as exc:
            raise TypeError(f"{name}{sig}: {exc}") from None
        for pname, value in bound.arguments.items():
            _check_json(value, f"{name}(): argument {pname!r}")
        plain = json.loads(json.dumps([list(args), kwargs], ensure_ascii=False))  # tuples -> lists
        try:
            return channel.call("tool_call", {"name": name, "args": plain[0], "kwargs": plain[1]})
        except ToolError:
            raise
        except SubcallError as exc:
            raise ToolError(str(exc).removeprefix("ToolError: ")) from None

    stub.__name__ = stub.__qualname__ = name
    stub.__doc__ = str(spec.get("doc") or "") or None
    stub.__signature__ = sig  # type: ignore[attr-defined]
    return stub


def _check_json(value: Any, where: str, depth: int = 0) -> None:
    """Raise TypeError (ValueError for NaN) naming the part of `value` that is not JSON."""
    if depth > 100:
        raise ValueError(f"{where} is nested too deeply for JSON (or contains itself)")
    if value is None or isinstance(value, (str, bool, int)):
        return
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"{where} is {value!r}: JSON has no NaN or infinity")
        return
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _check_json(item, f"{where}[{i}]", depth + 1)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where} has the key {key!r}: JSON object keys must be str")
            _check_json(item, f"{where}[{key!r}]", depth + 1)
        return
    raise TypeError(
        f"{where} is a {type(value).__name__}, which is not JSON: tools take str, int, float, bool, "
        "None, list and dict (convert it first, e.g. with str(), list() or .tolist())"
    )


def _answer_text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _json_form(value: Any) -> str | None:
    """A dict, list, tuple, number, bool or None as JSON text; None for text and anything else.

    A typed answer is checked as JSON, and `str()` of a dict is not JSON ('single quotes', True).
    """
    if isinstance(value, str) or not isinstance(value, (dict, list, tuple, int, float, bool, type(None))):
        return None
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        return None


def _schema(schema: Any) -> dict[str, Any]:
    """A JSON Schema for `llm_query(schema=)`: a dict that is JSON (the host checks the rest)."""
    if not isinstance(schema, dict):
        raise TypeError(f"schema must be a JSON Schema dict, not {type(schema).__name__}")
    try:
        return json.loads(json.dumps(schema))
    except (TypeError, ValueError, RecursionError) as exc:
        raise TypeError(f"schema must be JSON (dicts, lists, strings, numbers): {exc}") from None


def _text(prompt: Any) -> str:
    """Text for the host. Numbers and other objects are converted; containers and bytes are
    refused here with a clear message (the host refuses them too: only text is forwarded)."""
    if isinstance(prompt, str):
        return prompt
    if isinstance(prompt, (list, tuple, dict, set, bytes, bytearray)):
        raise TypeError(
            f"a prompt must be a str, not {type(prompt).__name__}: only text prompts are supported "
            "(no message lists, content parts or images); join or format the text first"
        )
    return str(prompt)


def _choices(choices: Any) -> list[str] | None:
    """`choices` as a list of strings for the host (which checks it further), or None."""
    if choices is None:
        return None
    if isinstance(choices, str):
        raise TypeError("choices must be a list of strings, e.g. ['yes', 'no'], not one string")
    return [_text(c) for c in _as_list(choices, "choices")]


def _as_list(value: Any, what: str) -> list[Any]:
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise TypeError(f"{what} must be a list, not {type(value).__name__}")
    return list(value)


def _jsonable_context(context: Any) -> Any:
    if context is None or isinstance(context, str):
        return context
    if isinstance(context, dict):
        return {str(k): _text(v) for k, v in context.items()}
    if isinstance(context, (list, tuple)):
        return [_text(v) for v in context]
    return _text(context)


_MAX_FRAMES = 60


def _cut_traceback(exc: BaseException | None, depth: int = 0) -> bool:
    """Cut the traceback of `exc` (and of its chained exceptions) after _MAX_FRAMES frames.

    A RecursionError from a raised recursion limit carries millions of frames; formatting them
    all takes minutes and memory the cell no longer has. Cutting also frees those frames.
    """
    if exc is None or depth > 5:
        return False
    cut = False
    tb, n = exc.__traceback__, 1
    while tb is not None and tb.tb_next is not None and n < _MAX_FRAMES:
        tb, n = tb.tb_next, n + 1
    if tb is not None and tb.tb_next is not None:
        tb.tb_next = None
        cut = True
    cut |= _cut_traceback(exc.__cause__, depth + 1)
    cut |= _cut_traceback(exc.__context__, depth + 1)
    return cut


_OWN_FILES = {__file__}
"""Where the worker's own frames come from (this file, and `readlog` once loaded)."""


def _format_error(exc: BaseException) -> str:
    """The traceback of model code only: frames inside the worker's files are dropped."""
    cut = _cut_traceback(exc)
    te = traceback.TracebackException.from_exception(exc)
    te.stack = traceback.StackSummary.from_list(
        [f for f in te.stack if f.filename not in _OWN_FILES]
    )
    text = "".join(te.format()).rstrip()
    return text + f"\n[traceback cut after its first {_MAX_FRAMES} frames]" if cut else text


_BAD_CALL = re.compile(r"^(\w+)\(\) (?:got an unexpected keyword argument|got multiple values for argument|"
                       r"missing \d+ required|takes \d+|takes from \d+ to \d+|takes no)")
_NOT_CALLABLE = re.compile(r"'([\w.]+)' object is not callable")
_NEVER_RESTORED = frozenset({"answer", "context"})
"""Names whose value the run reads (`answer`, `context`): never swapped for a function."""


def _equal(a: Any, b: Any) -> bool:
    try:
        return type(a) is type(b) and bool(a == b)
    except Exception:  # model-made types may compare any way, or not at all
        return False


def _failing_calls(exc: BaseException, code: str, filename: str) -> list[str]:
    """The plain names called (`name(...)`, not `obj.name(...)`, nor a word in a comment or a
    string) on the line of the cell `filename` where `exc` was raised; none when it was raised
    in code the cell called (a helper, a function of an earlier cell)."""
    if not isinstance(exc, (TypeError, NameError)):
        return []  # the only errors whose hints read them
    tb, line = exc.__traceback__, None
    while tb is not None:
        line = tb.tb_lineno if tb.tb_frame.f_code.co_filename == filename else None
        tb = tb.tb_next
    if line is None:
        return []
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    found = [n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
             and n.lineno <= line <= (n.end_lineno or n.lineno)]
    return list(dict.fromkeys(found))
_UNCALLED = re.compile(r"'function' object is not (?:subscriptable|iterable)|object of type 'function' has no len\(\)"
                       r"|unsupported operand type\(s\) for [^:]+: 'function'")


def _call_hint(exc: BaseException, code: str, ns: dict[str, Any]) -> str:
    """A line saying how to call a function of the REPL that was called wrongly or not at all.

    Python says `entries() got an unexpected keyword argument 'field'` or `'function' object
    is not subscriptable`; a small model reads neither as what to change, and ran the same
    block until its errors ran out (`entries(rows, field=...)`; `lines[:2]` for the result
    of `lines(...)`). The function's parameters and its docstring's first paragraph are what
    it needed. Only for Python functions in the REPL's namespace (the helpers, the model's
    own), not for builtins, whose errors say enough."""
    if not isinstance(exc, TypeError):
        return ""
    message = str(exc)
    names: list[str] = []
    if (m := _BAD_CALL.match(message)) is not None:
        names = [m.group(1)]
    elif _UNCALLED.search(message):
        names = [n for n in dict.fromkeys(re.findall(r"\b([A-Za-z_]\w*)\b(?!\s*\()", code))
                 if isinstance(ns.get(n), types.FunctionType) and not n.startswith("_")][:2]
    hints = [h for n in names if (h := _how_to_call(n, ns.get(n)))]
    if not hints:
        return ""
    return "\n" + "\n".join(hints)


_DATA = (str, bytes, int, float, bool, list, tuple, dict, set, frozenset)
_NAMES_SHOWN = 8


def _names_hint(exc: BaseException, ns: dict[str, Any], called: Sequence[str] = (),
                functions: dict[str, Any] | None = None) -> str:
    """For a NameError, the values the REPL holds by name: the 0.5B wrote `lines = lines(...)`
    and then `print(len(rows), rows[:2])`, and ran it again on the NameError. Values only
    (strings, numbers, containers and their subclasses: a Counter, the helpers' lists), not
    functions or modules; `context` and `answer` are always there and go unsaid.

    A name that was `called` on the failing line (`max_by(runs, "Install")`, a helper the 1.5B
    made up) gets the REPL's functions named alike instead: no value would have helped it."""
    if type(exc) is not NameError:
        return ""
    missing = getattr(exc, "name", None)
    if isinstance(missing, str) and functions and missing in called:
        import difflib

        known = [n for n, f in functions.items() if ns.get(n) is f]
        alike = difflib.get_close_matches(missing, known, n=3, cutoff=0.5)
        return f"\n[{missing} is no function of the REPL" + (f"; those named alike: {', '.join(alike)}]" if alike else "]")
    names = [n for n, v in ns.items() if not n.startswith("_") and n not in ("context", "answer") and isinstance(v, _DATA)]
    if not names:
        return "\n[no values are defined yet: assign one before using it]"
    more = f" and {len(names) - _NAMES_SHOWN} more" if len(names) > _NAMES_SHOWN else ""
    return f"\n[the values defined so far: {', '.join(names[-_NAMES_SHOWN:])}{more}]"


def _how_to_call(name: str, fn: Any) -> str:
    if not isinstance(fn, types.FunctionType) or name.startswith("_"):
        return ""
    import inspect

    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return ""
    plain = sig.replace(parameters=[p.replace(annotation=inspect.Parameter.empty) for p in sig.parameters.values()],
                        return_annotation=inspect.Signature.empty)
    doc = (fn.__doc__ or "").strip().split("\n\n", 1)[0]
    first = " ".join(doc.split())[:200]
    return f"[{name} is a function: {name}{plain}" + (f". {first}" if first else "") + "]"


# -- hardening (Linux; each step reports whether it held) --------------------------------------
def _libc() -> Any:
    import ctypes

    return ctypes.CDLL(None, use_errno=True)


def _prctl(option: int, value: int) -> bool:
    import ctypes

    return bool(_libc().prctl(option, ctypes.c_ulong(value), ctypes.c_ulong(0), ctypes.c_ulong(0),
                              ctypes.c_ulong(0)) == 0)


def _unshare_network() -> bool:
    """A fresh, empty network namespace: no interface but a downed loopback, so no connection.

    Root may do this directly; anyone else needs a user namespace first (where allowed).
    """
    flags = _CLONE_NEWNET if os.geteuid() == 0 else _CLONE_NEWUSER | _CLONE_NEWNET
    try:
        return bool(_libc().unshare(flags) == 0)
    except (OSError, AttributeError):
        return False


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None) -> None:
    import ctypes

    def c(text: str | None) -> bytes | None:
        return None if text is None else os.fsencode(text)

    if _libc().mount(c(source), c(target), c(fstype), ctypes.c_ulong(flags), c(data)) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"mount {target}: {os.strerror(err)}")


def _private_mounts(spec: dict[str, Any]) -> bool:
    """Root in process mode: a mount namespace of the worker's own, where

    - each directory in `reveal` (one only root may enter, such as /root) is covered by an
      empty tmpfs, with just the paths the interpreter needs bound back in, so the worker needs
      no capability to import its stdlib and the rest of that directory is gone;
    - each directory in `cover` (/tmp, /var/tmp, /dev/shm) is covered the same way, with only
      the scratch dir bound back in, so the world-writable places are private and read-only.

    Propagation is made private first: nothing mounted here can appear on the host. If that
    step fails, nothing is mounted.
    """
    if _libc().unshare(_CLONE_NEWNS) != 0:
        return False
    try:
        _mount(None, "/", None, _MS_REC | _MS_PRIVATE, None)
    except OSError:
        return False
    cwd = str(spec.get("cwd") or "")
    plan: dict[str, list[str]] = {str(k): [str(p) for p in v] for k, v in (spec.get("reveal") or {}).items()}
    for top in spec.get("cover") or ():
        if os.path.isdir(top):
            plan[str(top)] = [cwd] if cwd.startswith(str(top).rstrip("/") + "/") else []
    for top, keep in plan.items():
        try:
            fds = [(path, os.open(path, os.O_PATH | os.O_DIRECTORY)) for path in keep]
            _mount("tmpfs", top, "tmpfs", _MS_NOSUID | _MS_NODEV, "mode=0755,size=1m")
        except OSError:
            return False  # nothing of this directory changed; the earlier ones are whole
        try:
            for path, fd in fds:
                os.makedirs(path, mode=0o755, exist_ok=True)
                _mount(f"/proc/self/fd/{fd}", path, None, _MS_BIND | _MS_REC, None)
                os.close(fd)
        except OSError as exc:  # half-covered: the interpreter may be gone; fail closed
            sys.stderr.write(f"recursor worker: cannot rebuild {top}: {exc}\n")
            os._exit(EXIT_HARDEN)
    return True


def _keep_only_read_search() -> None:
    """After the uid switch, keep CAP_DAC_READ_SEARCH alone: the interpreter may live under a
    directory only root can enter (/root/.pyenv), and lazy imports must still find it."""
    import ctypes

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                    ("inheritable", ctypes.c_uint32)]

    header = Header(_CAP_VERSION_3, 0)
    data = (Data * 2)()
    data[0].effective = data[0].permitted = 1 << _CAP_DAC_READ_SEARCH
    if _libc().capset(ctypes.byref(header), data) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def _drop_to(uid: int, keep_read: bool) -> None:
    """Become `uid` for good (real, effective and saved), with no supplementary groups."""
    if keep_read and not _prctl(_PR_SET_KEEPCAPS, 1):
        raise OSError("prctl(PR_SET_KEEPCAPS) failed")
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    if keep_read:
        _keep_only_read_search()
        _prctl(_PR_SET_KEEPCAPS, 0)
    _prctl(_PR_SET_DUMPABLE, 1)  # the uid change cleared it, which would hide /proc/self from us
    if os.getresuid() != (uid, uid, uid) or os.getresgid() != (uid, uid, uid):
        raise OSError("the uid switch did not hold")


def harden(spec: dict[str, Any]) -> dict[str, bool]:
    """Apply what the host asked for, in order; returns which steps held.

    A step marked `required` that fails ends the worker (fail closed): under bubblewrap as
    root the worker starts with CAP_SETUID and must not run model code before dropping it.
    """
    applied: dict[str, bool] = {}
    if spec.get("netns"):
        applied["netns"] = _unshare_network()
    if spec.get("mountns"):
        applied["mountns"] = _private_mounts(spec)
    keep_read = bool(spec.get("keep_read")) or (
        bool(spec.get("keep_read_unless_mounted")) and not applied.get("mountns")
    )
    uid = spec.get("uid")
    if uid is not None:
        try:
            _drop_to(int(uid), keep_read)
            applied["uid"] = True
            applied["read_all"] = keep_read
        except OSError as exc:
            if spec.get("required"):
                sys.stderr.write(f"recursor worker: cannot switch to uid {uid}: {exc}\n")
                os._exit(EXIT_HARDEN)
            applied["uid"] = False
    if spec.get("pdeathsig"):
        # After the uid switch: changing credentials clears the parent-death signal.
        applied["pdeathsig"] = _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        parent = spec.get("parent")
        if parent is not None and os.getppid() != int(str(parent)):
            os._exit(EXIT_HARDEN)  # the host died before the signal was armed
    applied["no_new_privs"] = _prctl(_PR_SET_NO_NEW_PRIVS, 1)
    if spec.get("cwd"):
        os.chdir(str(spec["cwd"]))  # after the switch: the scratch dir belongs to the new uid
    return applied


def _tasks_of_my_uid() -> int:
    """Tasks (processes and threads) of this real uid that this process can see.

    RLIMIT_NPROC counts all of them, so the worker's own budget goes on top of this count.
    """
    me = os.getuid()
    total = 0
    try:
        names = os.listdir("/proc")
    except OSError:
        return 0
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/status", encoding="ascii", errors="replace") as fh:
                fields = dict(line.split(":", 1) for line in fh if ":" in line)
            if int(fields["Uid"].split()[0]) == me:
                total += int(fields.get("Threads", "1"))
        except (OSError, KeyError, ValueError, IndexError):
            continue
    return total


def set_limits(limits: dict[str, Any], tasks_before: int) -> dict[str, bool]:
    """Kernel limits for this process and its children; returns which ones the kernel accepted.

    RLIMIT_NPROC binds only a non-root uid (root is exempt), which is why the host asks a root
    worker to switch uid first.
    """
    pairs = {
        "memory_bytes": resource.RLIMIT_AS,
        "file_bytes": resource.RLIMIT_FSIZE,
        "max_procs": resource.RLIMIT_NPROC,
    }
    applied: dict[str, bool] = {}
    for key, which in pairs.items():
        value = limits.get(key)
        if not value:
            continue
        if key == "max_procs":
            value = int(value) + tasks_before
        try:
            resource.setrlimit(which, (int(value), int(value)))
            applied[key] = True
        except (ValueError, OSError):
            applied[key] = False
    if "max_procs" in applied:
        applied["max_procs"] = applied["max_procs"] and os.getuid() != 0
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return applied


class CpuWatchdog(threading.Thread):
    """Stops a cell that uses more than `limit` seconds of CPU (all its threads together).

    First a CPUTimeExceeded is raised in the cell (variables survive). A cell that catches it
    and keeps burning, or is stuck in C code, gets `grace` more seconds; then the worker exits
    with EXIT_CPU and the host restarts it. Threads a cell leaves behind may not burn more
    than the same budget between cells either. The host's wall-clock timeout backs this up.
    """

    def __init__(self, repl: Repl, limit: float) -> None:
        super().__init__(daemon=True, name="recursor-cpu")
        self.repl, self.limit = repl, limit
        self.grace = max(1.0, limit * 0.1)
        self.main_id = threading.main_thread().ident or 0

    def run(self) -> None:
        warned_cell = 0
        idle_from: float | None = time.process_time()
        while True:
            time.sleep(0.05)
            start, cell = self.repl.cpu_start, self.repl.cell_no
            now = time.process_time()
            if start is None:
                idle_from = now if idle_from is None else idle_from
                if now - idle_from > self.limit + self.grace:
                    os._exit(EXIT_CPU)
                continue
            idle_from = None
            used = now - start
            if used > self.limit + self.grace and self.repl.cpu_start is start:
                os._exit(EXIT_CPU)
            if used > self.limit and warned_cell != cell:
                warned_cell = cell
                signal.pthread_kill(self.main_id, signal.SIGXCPU)


def _on_sigxcpu(repl: Repl) -> Callable[[int, Any], None]:
    def handler(signum: int, frame: Any) -> None:
        if repl.cpu_start is not None:
            raise CPUTimeExceeded(
                f"the cell used more than {repl.cpu_seconds:g} s of CPU time and was stopped "
                "(your variables are kept). Do less work per cell, or sample the data first."
            )

    return handler


def _child_after_fork(limits: dict[str, Any]) -> Callable[[], None]:
    """A child forked by model code gets a CPU cap of its own: it has no watchdog thread."""
    cpu = limits.get("cpu_seconds")

    def after() -> None:
        # The host cannot see children that leave the worker's process group; this one dies
        # with the process that forked it (prctl is per child, and exec keeps it).
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if cpu:
            soft = max(1, int(cpu))
            try:
                resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 1))
            except (ValueError, OSError):
                pass

    return after


def _quiet_std_fds() -> None:
    """Point fds 1 and 2 at /dev/null: writes that bypass print (os.write, child processes)
    then cost the host nothing, however much is written."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)


def _load_context(source: int | str, kind: str) -> Any:
    """Read the context from an inherited fd (the usual way: no path needs to be visible)."""
    with open(source, encoding="utf-8", errors="surrogatepass", newline="") as fh:
        return json.load(fh) if kind == "json" else fh.read()


def load_capture(source: int | str | None) -> Callable[[Any], Any] | None:
    """`readlog.Capture` from its source (an inherited fd, as this script comes), or None when
    there is none or it does not load: the REPL then runs without logging plain reads."""
    if source is None:
        return None
    name = "<recursor readlog>"
    try:
        with open(source, encoding="utf-8", closefd=isinstance(source, str)) as fh:
            code = compile(fh.read(), name, "exec")
        module = types.ModuleType("recursor_readlog")
        module.__file__ = name
        exec(code, module.__dict__)
        return module.__dict__["Capture"]
    except Exception:  # no capture is better than no REPL
        return None
    finally:
        if isinstance(source, int):
            os.close(source)


def _close_other_fds(keep: set[int | None]) -> None:
    """Close every fd but stdio and `keep`: the script's own fd and anything a launcher
    (bwrap's argument fd) left open would otherwise be readable by model code."""
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        return
    for fd in fds:
        if fd > 2 and fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fd", type=int, required=True)
    parser.add_argument("--context-fd", type=int)
    parser.add_argument("--context", help="a path instead of --context-fd (debugging)")
    parser.add_argument("--capture-fd", type=int, help="readlog.py's source: log plain reads")
    parser.add_argument("--kind", choices=["str", "json"], default="str")
    parser.add_argument("--output-limit", type=int, default=20_000)
    parser.add_argument("--limits", default="{}")
    parser.add_argument("--harden", default="{}")
    args = parser.parse_args(argv)

    _close_other_fds(keep={args.fd, args.context_fd, args.capture_fd})
    sock = socket.socket(fileno=args.fd)
    channel = Channel(sock)
    limits = json.loads(args.limits)
    channel.max_bytes = limits.get("message_bytes")
    channel.max_tokens = limits.get("message_tokens")
    spec = json.loads(args.harden)
    tasks_before = 1 if spec.get("uid") is not None else _tasks_of_my_uid()
    applied = harden(spec)
    applied |= set_limits(limits, tasks_before)
    t0 = time.perf_counter()
    source = args.context_fd if args.context_fd is not None else args.context
    if source is None:
        parser.error("--context-fd or --context is required")
    memory = limits.get("memory_bytes")
    cpu = limits.get("cpu_seconds")
    # No local name for the loaded context: the REPL keeps only its tracked copy.
    repl = Repl(channel, _load_context(source, args.kind), args.output_limit,
                memory_mb=int(memory) >> 20 if memory else None, cpu_seconds=cpu,
                capture=load_capture(args.capture_fd))
    threading.Thread(target=channel.recv_loop, daemon=True, name="recursor-recv").start()
    if cpu:
        signal.signal(signal.SIGXCPU, _on_sigxcpu(repl))
        CpuWatchdog(repl, float(cpu)).start()
        applied["cpu_seconds"] = True
    os.register_at_fork(after_in_child=_child_after_fork(limits))
    channel.send({"type": "ready", "pid": os.getpid(), "uid": os.getuid(), "applied": applied,
                  "load_seconds": time.perf_counter() - t0})
    _quiet_std_fds()
    while True:
        msg = channel.inbox.get()
        kind = msg.get("type")
        try:
            if kind == "exec":
                channel.send(repl.run_cell(str(msg.get("code", "")), msg.get("id")))
            elif kind == "get_var":
                channel.send(repl.get_var(str(msg.get("name", "")), msg.get("id")))
            elif kind == "tools":
                repl.set_tools(msg.get("specs") or [])
            elif kind == "shutdown":
                break
        except CPUTimeExceeded as exc:  # landed just outside the cell: still the cell's error
            channel.send({"type": "result", "re": msg.get("id"), "stdout": "", "stdout_total": 0,
                          "error": f"CPUTimeExceeded: {exc}", "notes": [], "duration": 0.0})
        if os.getpid() != channel.pid:
            os._exit(0)  # a child forked by model code ends with its cell
    sock.close()


if __name__ == "__main__":
    main()
