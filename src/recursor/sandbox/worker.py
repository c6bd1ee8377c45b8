"""The REPL worker: runs model-written code in a process of its own.

This file is executed as a script (`python -I worker.py --fd N ...`) and imports nothing but
the standard library, so it runs the same inside bubblewrap, with an empty environment.

It talks to the host over one socket (inherited fd), in frames of a 4-byte big-endian length
and a UTF-8 JSON object. Host -> worker: `exec`, `get_var`, `reply`, `shutdown`. Worker ->
host: `ready`, `result`, `var`, `call` (a sub-call the host makes: llm_query, rlm_query, ...).
Model code never sees the socket, the host's environment or any API key: a sub-call is a
request the host may refuse.
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
import resource
import socket
import struct
import sys
import threading
import time
import traceback
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
)


class SubcallError(RuntimeError):
    """A sub-call failed on the host side (model error, budget exhausted, ...)."""


class _FinalSignal(BaseException):
    """Raised by FINAL/FINAL_VAR to stop the cell; a BaseException so `except Exception` can't eat it."""


class Channel:
    """Framed JSON over the inherited socket; safe to call from model threads."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.send_lock = threading.Lock()
        self.pending: dict[int, list[Any]] = {}
        self.inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.ids = itertools.count(1)

    def send(self, msg: dict[str, Any]) -> None:
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
        call_id = next(self.ids)
        slot: list[Any] = [threading.Event(), None]
        self.pending[call_id] = slot
        try:
            self.send({"type": "call", "id": call_id, "fn": fn, "args": args})
            slot[0].wait()
        finally:
            self.pending.pop(call_id, None)
        reply = slot[1]
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
        room = self.head_limit - self.head_len
        if room > 0:
            self.head.append(s[:room])
            self.head_len += min(room, n)
            s = s[room:]
        if s and self.tail_limit:
            self.tail.append(s[-self.tail_limit :])
            self.tail_len += min(len(s), self.tail_limit)
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


class Repl:
    """One persistent namespace with the RLM tools in it."""

    def __init__(self, channel: Channel, context: Any, output_limit: int) -> None:
        self.channel = channel
        self.context = context
        self.output_limit = output_limit
        self.final: str | None = None
        self.final_source: str | None = None
        self.cell_no = 0
        self.tools: dict[str, Any] = {
            "llm_query": self.llm_query,
            "llm_query_batched": self.llm_query_batched,
            "rlm_query": self.rlm_query,
            "rlm_query_batched": self.rlm_query_batched,
            "SHOW_VARS": self.show_vars,
            "FINAL": self.final_fn,
            "FINAL_VAR": self.final_var,
        }
        safe_builtins = dict(vars(builtins))
        # Tools also live in the namespace's builtins, so `del llm_query` does not lose them.
        safe_builtins.update(self.tools)
        self.ns: dict[str, Any] = {"__name__": "__main__", "__builtins__": safe_builtins}
        self.ns.update(self.tools)
        self.ns["context"] = context
        self.ns["answer"] = {"content": "", "ready": False}
        self._baseline = set(self.ns)

    # -- tools the model calls -------------------------------------------------------------
    def llm_query(self, prompt: Any, model: str | None = None) -> str:
        """Ask a sub-model one question; returns its reply text."""
        return str(self.channel.call("llm_query", {"prompt": _text(prompt), "model": model}))

    def llm_query_batched(self, prompts: Any, model: str | None = None) -> list[str]:
        """Ask many questions concurrently; replies come back in order, a failure as an error string."""
        items = [_text(p) for p in _as_list(prompts, "prompts")]
        return [str(v) for v in self.channel.call("llm_query_batched", {"prompts": items, "model": model})]

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
        print("Variables:\n" + ("\n".join(rows) if rows else "  (none)"))

    def _user_names(self) -> set[str]:
        return set(self.ns) - self._baseline

    def final_fn(self, value: Any) -> None:
        """End the run with `value` as the answer."""
        self.final, self.final_source = str(value), "FINAL"
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
        self.final, self.final_source = _answer_text(value), "FINAL_VAR"
        raise _FinalSignal

    # -- running cells -----------------------------------------------------------------------
    def run_cell(self, code: str) -> dict[str, Any]:
        self.cell_no += 1
        filename = f"<cell {self.cell_no}>"
        linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
        out = CappedWriter(head=self.output_limit * 3 // 4, tail=self.output_limit // 4)
        old_out, old_err = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = out
        self.final = self.final_source = None
        error: str | None = None
        t0 = time.perf_counter()
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
                    print(repr(value) if not isinstance(value, str) else value)
        except _FinalSignal:
            pass
        except SyntaxError as exc:
            error = "".join(traceback.format_exception_only(type(exc), exc)).rstrip()
        except SystemExit as exc:
            error = f"SystemExit({exc.code!r}): exiting is not allowed in the REPL; the REPL is still running."
        except BaseException as exc:  # model code may raise anything; it becomes an observation
            error = _format_error(exc)
        finally:
            sys.stdout, sys.stderr = old_out, old_err
        notes = self._restore_protected()
        if self.final is None:
            answer = self.ns.get("answer")
            if isinstance(answer, dict) and answer.get("ready") is True:
                self.final, self.final_source = _answer_text(answer.get("content", "")), "answer"
        return {
            "type": "result",
            "stdout": out.getvalue(),
            "stdout_total": out.total,
            "error": error,
            "final": self.final,
            "final_source": self.final_source,
            "notes": notes,
            "duration": time.perf_counter() - t0,
        }

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
            fresh = dict(vars(builtins))
            fresh.update(self.tools)
            self.ns["__builtins__"] = fresh
        return notes

    def get_var(self, name: str) -> dict[str, Any]:
        key = name.strip().strip("'\"`")
        if key in self.ns and key not in self.tools and key != "__builtins__":
            return {"type": "var", "found": True, "value": _answer_text(self.ns[key])}
        return {"type": "var", "found": False, "defined": sorted(self._user_names())}


def _answer_text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _text(prompt: Any) -> str:
    return prompt if isinstance(prompt, str) else str(prompt)


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


def _format_error(exc: BaseException) -> str:
    """The traceback of model code only: frames inside this worker file are dropped."""
    te = traceback.TracebackException.from_exception(exc)
    te.stack = traceback.StackSummary.from_list(
        [f for f in te.stack if f.filename != __file__]
    )
    return "".join(te.format()).rstrip()


def _set_limits(limits: dict[str, Any]) -> None:
    pairs = {
        "memory_bytes": resource.RLIMIT_AS,
        "file_bytes": resource.RLIMIT_FSIZE,
        "max_procs": resource.RLIMIT_NPROC,
        "cpu_seconds": resource.RLIMIT_CPU,
    }
    for key, which in pairs.items():
        value = limits.get(key)
        if value:
            try:
                resource.setrlimit(which, (int(value), int(value)))
            except (ValueError, OSError):
                pass  # the host reports which protections are in force
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _load_context(path: str, kind: str) -> Any:
    if kind == "json":
        with open(path, encoding="utf-8", errors="surrogatepass") as fh:
            return json.load(fh)
    with open(path, encoding="utf-8", errors="surrogatepass", newline="") as fh:
        return fh.read()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fd", type=int, required=True)
    parser.add_argument("--context", required=True)
    parser.add_argument("--kind", choices=["str", "json"], default="str")
    parser.add_argument("--output-limit", type=int, default=20_000)
    parser.add_argument("--limits", default="{}")
    args = parser.parse_args(argv)

    sock = socket.socket(fileno=args.fd)
    channel = Channel(sock)
    _set_limits(json.loads(args.limits))
    t0 = time.perf_counter()
    context = _load_context(args.context, args.kind)
    repl = Repl(channel, context, args.output_limit)
    threading.Thread(target=channel.recv_loop, daemon=True, name="recursor-recv").start()
    channel.send({"type": "ready", "pid": os.getpid(), "load_seconds": time.perf_counter() - t0})
    while True:
        msg = channel.inbox.get()
        kind = msg.get("type")
        if kind == "exec":
            channel.send(repl.run_cell(msg["code"]))
        elif kind == "get_var":
            channel.send(repl.get_var(msg["name"]))
        elif kind == "shutdown":
            break
    sock.close()


if __name__ == "__main__":
    main()
