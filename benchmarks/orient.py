"""How long the small-model first look (`recursor.orient`) takes on large contexts.

    python benchmarks/orient.py            # 1, 10 and 40 MB logs
    python benchmarks/orient.py --mb 100
    python benchmarks/orient.py --banner   # the same logs after a licence banner

Each context is a generated package log (one line in 50,000 mentions the asked package, the
rest share the question's everyday words), the worst shape for the scan: a common word on
every line and a rare one on few. With --banner the log follows a licence, so the look also
finds and shows its record lines (`orient._typical`). Prints seconds per orientation; it runs on the host before
a small root's first turn, in a thread.
"""

from __future__ import annotations

import argparse
import random
import time

from recursor.orient import orientation

QUESTION = "Which version of the libzstd1 package was installed last on 2024-03-09? Answer with the version."


BANNER = """\
Copyright (C) 2024 The Example Project.
This log is free software; you can redistribute it and/or modify it under the terms of the
GNU General Public License as published by the Free Software Foundation; either version 2 of
the License, or (at your option) any later version.

"""


def log(mb: float, seed: int = 0) -> str:
    rng = random.Random(seed)
    rows, size, i = [], 0, 0
    while size < mb * 1_000_000:
        pkg = "libzstd1" if i % 50_000 == 7 else f"lib{rng.choice('abcdefgh')}{i % 997}"
        row = f"2024-03-{1 + i % 28:02d} 10:{i % 60:02d}:00 status installed {pkg}:amd64 1.{i % 9}-{i % 5}"
        rows.append(row)
        size += len(row) + 1
        i += 1
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, nargs="*", default=[1, 10, 40])
    parser.add_argument("--banner", action="store_true", help="put a licence banner before the log")
    args = parser.parse_args()
    for mb in args.mb:
        text = (BANNER if args.banner else "") + log(mb)
        start = time.perf_counter()
        look = orientation(text, QUESTION)
        took = time.perf_counter() - start
        print(f"{len(text) / 1e6:7.1f} MB  {took:6.2f} s  ({len(look.text):,} characters shown)")


if __name__ == "__main__":
    main()
