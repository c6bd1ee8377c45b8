"""Batch input and output: the jobs of an INPUT.jsonl, and the OUT.jsonl their answers go to.

One input line is one job:

    {"id": "q1", "question": "...", "context": "text"}              # or "context_path": "docs/a.txt"
    {"id": "q2", "question": "...", "context_path": "logs/", "limits": {"max_usd": 0.05}}

`limits` may only lower the batch's own (the `ask` flags): a job asking for more than the
batch allows is a bad line. A bad line is reported with its line number and skipped (or, with
`--strict`, ends the batch before any job starts).

OUT gets one line per finished job, written with one `write` on a file opened for appending,
so a killed batch leaves whole lines only. On start, a torn last line (a crash mid-write of
another tool, a full disk) is cut off, so OUT stays valid JSONL; the ids already in OUT are
skipped, which is how a batch resumes.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from recursor.errors import UserError

__all__ = ["JOB_LIMITS", "BadLine", "Job", "OutFile", "parse_jobs", "read_jobs"]

JOB_LIMITS: dict[str, type] = {
    "max_iterations": int, "max_depth": int, "max_usd": float, "max_tokens": int, "max_calls": int,
    "timeout": float, "max_errors": int, "max_output_tokens": int,
}
"""The limits a job may set for itself (each at most the batch's value)."""


@dataclass(frozen=True, slots=True)
class Job:
    id: str
    question: str
    context: str | None = None
    context_path: str | None = None
    limits: dict[str, Any] = field(default_factory=dict)
    line: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "question": self.question, "context": self.context,
                "context_path": self.context_path, "limits": dict(self.limits), "line": self.line}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Job:
        return cls(**data)


@dataclass(frozen=True, slots=True)
class BadLine:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


def parse_jobs(lines: Iterator[str] | list[str], batch_limits: dict[str, Any]) -> tuple[list[Job], list[BadLine]]:
    """The jobs in `lines` (1-based line numbers) and the lines that are not jobs."""
    jobs: list[Job] = []
    bad: list[BadLine] = []
    seen: set[str] = set()
    for n, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            job = _job(raw, n, batch_limits)
        except ValueError as exc:
            bad.append(BadLine(n, str(exc)))
            continue
        if job.id in seen:
            bad.append(BadLine(n, f"duplicate id {job.id!r}"))
            continue
        seen.add(job.id)
        jobs.append(job)
    return jobs, bad


def read_jobs(path: Path, batch_limits: dict[str, Any]) -> tuple[list[Job], list[BadLine]]:
    try:
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
    except OSError as exc:
        raise UserError(f"cannot read the batch input {path}: {exc.strerror or exc}") from None
    return parse_jobs(text.splitlines(), batch_limits)


def _job(raw: str, n: int, batch_limits: dict[str, Any]) -> Job:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise ValueError("a job must be a JSON object")
    unknown = set(data) - {"id", "question", "context", "context_path", "limits"}
    if unknown:
        raise ValueError(f"unknown field(s): {', '.join(sorted(unknown))}")
    job_id = data.get("id")
    if isinstance(job_id, int) and not isinstance(job_id, bool):
        job_id = str(job_id)
    if not isinstance(job_id, str) or not job_id.strip():
        raise ValueError("'id' must be a non-empty string")
    question = data.get("question")
    if not isinstance(question, str) or not question.strip():
        raise ValueError("'question' must be a non-empty string")
    context, context_path = data.get("context"), data.get("context_path")
    if context is not None and context_path is not None:
        raise ValueError("give 'context' or 'context_path', not both")
    if context is not None and not isinstance(context, str):
        raise ValueError("'context' must be a string (use 'context_path' for files)")
    if context_path is not None and (not isinstance(context_path, str) or not context_path):
        raise ValueError("'context_path' must be a non-empty string")
    return Job(job_id, question, context, context_path, _limits(data.get("limits"), batch_limits), n)


def _limits(value: Any, batch_limits: dict[str, Any]) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError("'limits' must be an object")
    out: dict[str, Any] = {}
    for name, given in value.items():
        kind = JOB_LIMITS.get(name)
        if kind is None:
            raise ValueError(f"limits: {name!r} cannot be set per job (allowed: {', '.join(JOB_LIMITS)})")
        ok = isinstance(given, int | float) and not isinstance(given, bool) and math.isfinite(given) and given > 0
        if not ok or (kind is int and not float(given).is_integer()):
            raise ValueError(f"limits: {name} must be a positive {'whole ' if kind is int else ''}number")
        ceiling = batch_limits.get(name)
        if ceiling is not None and given > ceiling:
            raise ValueError(f"limits: {name}={given} is above the batch's {ceiling} (a job may only lower it)")
        out[name] = kind(given)
    return out


class OutFile:
    """OUT.jsonl: the ids already answered, and one atomic append per finished job."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.torn = _cut_torn_tail(path)
        """Bytes of a torn last line cut off when the file was opened (0 normally)."""
        self.rows = _read_rows(path)
        self._fd: int | None = None

    def done_ids(self, *, retry_failed: bool = False) -> set[str]:
        """Ids with a row in OUT; with `retry_failed`, only those whose last row is not an error."""
        last: dict[str, dict[str, Any]] = {}
        for row in self.rows:
            last[str(row.get("id"))] = row
        return {i for i, row in last.items() if not (retry_failed and row.get("error"))}

    def append(self, row: dict[str, Any]) -> None:
        if self._fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        data = (json.dumps(row, ensure_ascii=True) + "\n").encode("ascii")
        written = os.write(self._fd, data)
        while written < len(data):  # a short write (a full disk): finish it or fail loudly
            written += os.write(self._fd, data[written:])

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _cut_torn_tail(path: Path) -> int:
    try:
        with open(path, "rb+") as f:
            size = f.seek(0, os.SEEK_END)
            if size == 0:
                return 0
            f.seek(size - 1)
            if f.read(1) == b"\n":
                return 0
            f.seek(0)
            data = f.read()
            keep = data.rfind(b"\n") + 1
            f.truncate(keep)
            return size - keep
    except FileNotFoundError:
        return 0


def _read_rows(path: Path) -> list[dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    rows = []
    for line in text.splitlines():
        try:
            row = json.loads(line)
        except ValueError:
            continue
        if isinstance(row, dict) and "id" in row:
            rows.append(row)
    return rows
