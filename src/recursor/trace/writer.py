"""The trace: an append-only JSONL event log, flushed as events happen.

Each line is one event (`{"v", "seq", "ts", "event", ...}`, schema in docs/trace-format.md).
A string longer than `blob_threshold` is written once to `blobs/<sha256>.txt` beside the
trace and referenced as `{"$blob": sha256, "chars": n}`, so a context, or a prompt that
repeats a chunk of it, is stored once however many events mention it. Root-model calls log
only the messages that are new since the previous call of the same run.

Model code can print any string, lone surrogates included: the line is JSON with those
escaped as `\\uXXXX` (so `read_events` gives the same string back), and blobs are stored
with `surrogatepass`. Traces hold prompts, context and replies, so they are private: a trace
directory the writer creates is 0700, and every file it writes (trace, blob) is 0600.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from recursor.lm.base import request_hash  # re-exported: replay and tests import it from here
from recursor.private_files import private_dir, private_file
from recursor.safetext import dumps

__all__ = [
    "SCHEMA_VERSION",
    "EventSink",
    "TraceWriter",
    "default_trace_dir",
    "new_trace_id",
    "request_hash",
]

#: Bumped when an event or field changes meaning or goes away; adding fields does not bump it
#: (readers ignore what they do not know). v2 added trace_start, cell_start, limit, retry,
#: and seq / request_hash / n_messages on lm_call.
SCHEMA_VERSION = 2

#: Anything that wants to see events as they happen (the trace file, a progress line, a user hook).
EventSink = Callable[[dict[str, Any]], None]


def default_trace_dir() -> Path:
    """`$RECURSOR_TRACE_DIR`, else `~/.cache/recursor/traces`."""
    env = os.environ.get("RECURSOR_TRACE_DIR")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "recursor" / "traces"


def new_trace_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3)


class TraceWriter:
    """Writes one trace file. Call it with an event dict; it adds `v`, `seq` and `ts`."""

    def __init__(self, path: Path, *, blob_threshold: int = 8192) -> None:
        self.path = path
        self.blob_dir = path.parent / "blobs"
        self.blob_threshold = blob_threshold
        private_dir(path.parent)
        self._fh = os.fdopen(private_file(path, append=True), "a", encoding="utf-8")
        self._seq = 0
        self._blobs_written: set[str] = set()

    def __call__(self, event: dict[str, Any]) -> None:
        if self._fh.closed:
            return
        self._seq += 1
        record = {"v": SCHEMA_VERSION, "seq": self._seq, "ts": round(time.time(), 4), **event}
        line = dumps(self._shrink(record), default=str)
        self._fh.write(line + "\n")
        self._fh.flush()

    def blob(self, text: str) -> dict[str, Any]:
        """Store `text` once under its hash and return the reference to put in an event."""
        data = text.encode("utf-8", errors="surrogatepass")
        sha = hashlib.sha256(data).hexdigest()
        if sha not in self._blobs_written:
            target = self.blob_dir / f"{sha}.txt"
            if not target.exists():
                private_dir(self.blob_dir)
                tmp = target.with_suffix(f".tmp{os.getpid()}-{secrets.token_hex(4)}")
                with os.fdopen(private_file(tmp), "wb") as fh:
                    fh.write(data)
                os.replace(tmp, target)
            self._blobs_written.add(sha)
        return {"$blob": sha, "chars": len(text)}

    def _shrink(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.blob(value) if len(value) > self.blob_threshold else value
        if isinstance(value, dict):
            return {k: self._shrink(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self._shrink(v) for v in value]
        return value

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.close()
