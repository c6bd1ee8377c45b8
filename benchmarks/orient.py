"""How long the small-model first look (`recursor.orient`) takes on large contexts.

    python benchmarks/orient.py            # 1, 10 and 40 MB logs
    python benchmarks/orient.py --mb 100
    python benchmarks/orient.py --banner   # the same logs after a licence banner
    python benchmarks/orient.py --shapes   # hostile and tabular shapes at 0.1, 0.5 and 2 MB

Each context is a generated package log (one line in 50,000 mentions the asked package, the
rest share the question's everyday words), the worst shape for the scan: a common word on
every line and a rare one on few. With --banner the log follows a licence, so the look also
finds and shows its record lines (`orient._typical`). Prints seconds per orientation; it runs on the host before
a small root's first turn, in a thread.

With --shapes it times the shapes a fuzzing pass found quadratic (session 30: prose on one line,
carriage returns only, a line of 40,000 spaces, a 5,000-character question) and the tabular
texts the look computes over (a CSV, JSON Lines, an access log), each at three sizes: the time
should grow with the size, not with its square. "man page paragraphs" is a look-up over option
paragraphs, where the look scores every paragraph for its passage (session 31).
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


def shapes(chars: int) -> list[tuple[str, str, str]]:
    """(name, text, question) of about `chars` characters each."""
    rng = random.Random(1)
    prose = ("The server reported an error in the billing module. " * (chars // 50 + 1))[:chars]
    cr = ("line error\r" * (chars // 11 + 1))[:chars]
    defs = "\n".join(f"setting_{i} = {i}" for i in range(chars // 20))
    spaced = defs[: chars - 40_000] + "\n" + " " * 40_000 + "value\n"
    csv = "order_id,country,product,quantity\n" + "".join(
        f"{i},{rng.choice(['Spain', 'France', 'Italy'])},{rng.choice(['gizmo', 'widget'])},{rng.randint(1, 9)}\n"
        for i in range(chars // 30))
    jsonl = "".join(f'{{"id": {i}, "team": "{rng.choice(["web", "core"])}", "role": "{rng.choice(["dev", "admin"])}"}}\n'
                    for i in range(chars // 45))
    access = "".join(f'10.0.0.{rng.randint(1, 50)} - - [0{1 + i % 9}/Mar/2024:10:00:00 +0000] "GET /p{i % 7} HTTP/1.1" '
                     f'{rng.choice([200, 404])} 512 "-" "curl/8"\n' for i in range(chars // 90))
    man = "\n\n".join(f"       Option{i}=\n           How peers handle {rng.choice(['retries', 'spools', 'limits'])}.\n"
                       + "\n".join(f"           Controls part {i} of the daemon." for _ in range(i % 18))
                       + f"\n           Peers wait {i}s by default." for i in range(chars // 400 + 1))
    return [("prose on one line", prose, "How many errors were reported?"),
            ("man page paragraphs", man, "How long do peers wait before retries, by default?"),
            ("carriage returns only", cr, "How many errors were reported?"),
            ("a line of 40,000 spaces", spaced, "what is the default timeout?"),
            ("a 5,000-character question", defs, ("how many settings " * 300)[:5000]),
            ("CSV table", csv, "Which country placed the most orders for gizmos?"),
            ("JSON Lines", jsonl, "How many admins are in the web team?"),
            ("access log", access, "Which IP address made the most 404 requests?")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, nargs="*", default=[1, 10, 40])
    parser.add_argument("--banner", action="store_true", help="put a licence banner before the log")
    parser.add_argument("--shapes", action="store_true", help="time hostile and tabular shapes instead")
    args = parser.parse_args()
    if args.shapes:
        sizes = (100_000, 500_000, 2_000_000)
        print(f"{'shape':28}" + "".join(f"{n / 1e6:>9.1f} MB" for n in sizes))
        for i, (name, _, _) in enumerate(shapes(sizes[0])):
            took = []
            for n in sizes:
                _, text, question = shapes(n)[i]
                start = time.perf_counter()
                orientation(text, question)
                took.append(time.perf_counter() - start)
            print(f"{name:28}" + "".join(f"{t:>10.2f} s" for t in took))
        return
    for mb in args.mb:
        text = (BANNER if args.banner else "") + log(mb)
        start = time.perf_counter()
        look = orientation(text, QUESTION)
        took = time.perf_counter() - start
        print(f"{len(text) / 1e6:7.1f} MB  {took:6.2f} s  ({len(look.text):,} characters shown)")


if __name__ == "__main__":
    main()
