"""Loading a run's context, describing it to the root model, and handing it to the worker.

The context never enters a prompt. The host only needs its *shape* (type, sizes) for the
metadata message; the worker reads the full value from a file, so a 100 MB context is never
pushed through the pipe as one message and the first root request need not wait for it.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal, TypeAlias

from recursor.context_files import ContextReader
from recursor.errors import ContextError
from recursor.private_files import private_dir, private_file

__all__ = ["ContextInput", "ContextValue", "PreparedContext", "describe", "load_context", "read_stream",
           "store_context"]

ContextValue: TypeAlias = str | list[str] | dict[str, str]
ContextInput: TypeAlias = (
    str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | Mapping[str, str] | None
)


def load_context(
    value: ContextInput, *, max_file_bytes: int | None = None, max_total_bytes: int | None = None
) -> ContextValue:
    """Turn what the caller gave into a str, a list of str or a dict of str.

    A plain `str` is the context text itself. `os.PathLike` values are paths: a file becomes
    its text, a directory a dict of relative path to text, several paths a dict keyed by path.
    Paths are read under caps (`context_files`): 256 MiB per file and 1 GiB in all by default
    (env `RECURSOR_MAX_CONTEXT_FILE_MB`, `RECURSOR_MAX_CONTEXT_MB`); devices, FIFOs and sockets
    are refused. Load a larger context yourself with higher caps and pass the result.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, os.PathLike):
        return ContextReader.create(max_file_bytes, max_total_bytes).path(Path(value))
    if isinstance(value, Mapping):
        out: dict[str, str] = {}
        for key, item in value.items():
            if not isinstance(item, str):
                raise ContextError(f"context dict values must be str; {key!r} is {type(item).__name__}")
            out[str(key)] = item
        return out
    if isinstance(value, Sequence):
        items = list(value)
        if all(isinstance(i, str) for i in items):
            return [str(i) for i in items]
        if all(isinstance(i, os.PathLike) for i in items):
            reader = ContextReader.create(max_file_bytes, max_total_bytes)
            return reader.paths([Path(i) for i in items])
        raise ContextError("a context list must hold only str (texts) or only paths")
    raise ContextError(f"unsupported context type {type(value).__name__}")


def read_stream(stream: BinaryIO, name: str = "stdin") -> str:
    """Text from an open byte stream (`--context -`), under the same caps as a file; bad UTF-8
    is replaced, never an error."""
    return ContextReader.create().stream(stream, name)


def _lengths(value: ContextValue) -> list[int]:
    if isinstance(value, str):
        return [len(value)]
    if isinstance(value, dict):
        return [len(v) for v in value.values()]
    return [len(v) for v in value]


def describe(value: ContextValue, *, max_listed: int = 100) -> str:
    """The metadata line the root model sees instead of the context."""
    lengths = _lengths(value)
    total = sum(lengths)
    shown = ", ".join(f"{n}" for n in lengths[:max_listed])
    more = f", ... ({len(lengths) - max_listed} more)" if len(lengths) > max_listed else ""
    if isinstance(value, str):
        return f"Your context is a str with {total:,} total characters, broken into chunks of lengths: [{shown}]."
    if isinstance(value, dict):
        keys = list(value)[:max_listed]
        key_note = f" Its keys include: {keys!r}" + (" ..." if len(value) > max_listed else "") + "."
        return (
            f"Your context is a dict of {len(value):,} str values with {total:,} total characters, "
            f"value lengths: [{shown}{more}].{key_note}"
        )
    return (
        f"Your context is a list of {len(value):,} str with {total:,} total characters, "
        f"broken into chunks of lengths: [{shown}{more}]."
    )


@dataclass(frozen=True, slots=True)
class PreparedContext:
    """The context as the worker loads it: a file, its format, and a content hash for traces."""

    path: Path
    kind: Literal["str", "json"]
    sha256: str
    n_chars: int


_SLICE = 1 << 20


def _slices(value: ContextValue) -> Iterator[str]:
    """The context's file text in 1 Mi-character slices, so it is never encoded whole in memory."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    for i in range(0, len(text), _SLICE):
        yield text[i : i + _SLICE]


def content_hash(value: ContextValue) -> str:
    digest = hashlib.sha256(b"str:" if isinstance(value, str) else b"json:")
    for part in _slices(value):
        digest.update(part.encode("utf-8", errors="surrogatepass"))
    return digest.hexdigest()


def store_context(value: ContextValue, directory: Path) -> PreparedContext:
    """Write the context once into `directory` under its content hash (a no-op if present).

    The copy is 0600 and a directory created for it 0700: it is the user's data.

    Hashing and writing go slice by slice in one pass: a 100 MB context is never held twice.
    """
    kind: Literal["str", "json"] = "str" if isinstance(value, str) else "json"
    private_dir(directory)
    tmp = directory / f".context-{os.getpid()}-{id(value)}-{secrets.token_hex(4)}.tmp"
    digest = hashlib.sha256(b"str:" if kind == "str" else b"json:")
    with os.fdopen(private_file(tmp), "wb") as fh:
        for part in _slices(value):
            data = part.encode("utf-8", errors="surrogatepass")
            digest.update(data)
            fh.write(data)
    sha = digest.hexdigest()
    path = directory / f"context-{sha[:16]}.{'txt' if kind == 'str' else 'json'}"
    if path.exists():
        tmp.unlink()
    else:
        os.replace(tmp, path)
    return PreparedContext(path=path, kind=kind, sha256=sha, n_chars=sum(_lengths(value)))
