"""Reading a trace back: events in order, with blob references resolved on demand."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from recursor.errors import UserError
from recursor.trace.writer import SCHEMA_VERSION

__all__ = ["read_events", "resolve_blobs"]


def read_events(path: Path | str, *, resolve: bool = True) -> list[dict[str, Any]]:
    """All events of a trace file. A torn last line (the writer was killed mid-write) is skipped.

    With `resolve`, `{"$blob": sha}` references are replaced by the stored text.
    """
    path = Path(path)
    if not path.is_file():
        raise UserError(f"no trace file at {path}")
    events = list(_iter_lines(path))
    if events and events[0].get("v", SCHEMA_VERSION) > SCHEMA_VERSION:
        raise UserError(f"{path} uses trace schema v{events[0]['v']}; this recursor reads up to v{SCHEMA_VERSION}")
    if resolve:
        blob_dir = path.parent / "blobs"
        events = [resolve_blobs(e, blob_dir) for e in events]
    return events


def _iter_lines(path: Path) -> Iterator[dict[str, Any]]:
    # The writer escapes lone surrogates, so lines are UTF-8; "replace" keeps a damaged file readable.
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                continue  # only the last line can be torn: the writer flushes whole lines


def resolve_blobs(value: Any, blob_dir: Path) -> Any:
    """Replace every `{"$blob": sha, "chars": n}` inside `value` by the blob's text."""
    if isinstance(value, dict):
        if "$blob" in value and len(value) <= 2:
            blob = blob_dir / f"{value['$blob']}.txt"
            try:
                return blob.read_bytes().decode("utf-8", errors="surrogatepass")
            except OSError as exc:
                raise UserError(f"trace blob missing: {blob}") from exc
        return {k: resolve_blobs(v, blob_dir) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_blobs(v, blob_dir) for v in value]
    return value
