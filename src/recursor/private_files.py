"""Files only their owner can read: traces, blobs and context copies hold prompts and data.

Both helpers rely on the mode given at creation (which the umask can only narrow), so there is
no moment where a file is readable by others.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["private_dir", "private_file"]


def private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) with the last level 0700; an existing one is left as is.

    An existing directory is the user's choice (`--trace-dir .`), so its mode is not changed;
    the files in it are 0600 whatever the directory's mode.
    """
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def private_file(path: Path, *, append: bool = False) -> int:
    """Open `path` for writing, readable by its owner only (0600), and return the fd.

    Without `append` the file must not exist yet (callers write to a unique temporary name).
    A file that already existed is narrowed to 0600 too.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC | (os.O_APPEND if append else os.O_EXCL)
    fd = os.open(path, flags, 0o600)
    try:
        os.fchmod(fd, 0o600)
    except OSError:
        pass  # not ours to change (another owner): the open worked, so writing will too
    return fd
