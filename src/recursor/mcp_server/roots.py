"""The directories an MCP client may name paths under, and the check that a path stays inside.

The server is started with `--root DIR` (repeatable). A path a client sends is taken as given
when absolute and relative to the first root otherwise, then resolved (symlinks followed, `..`
removed) and accepted only when the result lies under a resolved root. The check never says
whether something outside the roots exists: such a path is refused before it is looked at.

Inside an accepted directory, the context reader skips symlinks and never follows a linked
directory (`recursor.context_files`), so a link in the tree cannot lead out of it either.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from recursor.errors import UserError

__all__ = ["Roots"]


class Roots:
    """Resolved root directories; `check` turns client paths into paths under them."""

    def __init__(self, dirs: Iterable[str | os.PathLike[str]] = ()) -> None:
        resolved: list[Path] = []
        for given in dirs:
            try:
                path = Path(given).resolve(strict=True)
            except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop (Python < 3.13)
                raise UserError(f"--root {given}: cannot resolve it ({exc})") from None
            if not path.is_dir():
                raise UserError(f"--root {given}: not a directory")
            if path not in resolved:
                resolved.append(path)
        self.dirs: tuple[Path, ...] = tuple(resolved)

    def __bool__(self) -> bool:
        return bool(self.dirs)

    def describe(self) -> str:
        return ", ".join(str(d) for d in self.dirs) if self.dirs else "(none)"

    def check(self, paths: Sequence[str]) -> list[Path]:
        """Each path resolved and inside a root; a `UserError` naming the first that is not."""
        if not self.dirs:
            raise UserError("paths are refused: this server was started without --root, so it reads "
                            "no files; pass the text as `context` instead")
        return [self._one(raw) for raw in paths]

    def _one(self, raw: str) -> Path:
        if not isinstance(raw, str) or not raw.strip():
            raise UserError("paths must be non-empty strings")
        if "\0" in raw:
            raise UserError("a path must not contain NUL characters")
        given = Path(raw)
        candidate = given if given.is_absolute() else self.dirs[0] / given
        try:
            resolved = candidate.resolve()  # follows every symlink that exists; `..` after them
        except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
            raise UserError(f"path {raw!r} cannot be resolved (a symlink loop?)") from None
        if not any(resolved.is_relative_to(root) for root in self.dirs):
            raise UserError(f"path {raw!r} is outside the directories this server may read "
                            f"({self.describe()}); symlinks and '..' are resolved before the check")
        if not resolved.exists():
            raise UserError(f"path {raw!r} does not exist")
        return resolved
