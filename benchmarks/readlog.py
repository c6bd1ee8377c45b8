"""What logging plain reads of `context` (sandbox/readlog.py) costs model code.

Runs the same cells over a large context in one process, alternately in a namespace with the
plain str and the real builtins and as the worker runs them (the `Capture`'s context and its
`type` and `import re`). Prints the best of `--repeat` wall times for each and the ratio.
Timings of cells that build millions of objects vary by ~10% from run to run.

    python benchmarks/readlog.py               # 100 MB, about a minute on one core
    python benchmarks/readlog.py --mb 10       # quicker
"""

from __future__ import annotations

import argparse
import builtins
import gc
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from recursor.sandbox.readlog import Capture

NEEDLE = "One of the special magic numbers for shiny-cat is: 7654321."
LINE = "The grass is green. The sky is blue. Line {i} of the haystack.\n"

CELLS = {
    "re.finditer, 1 match (module function)": "n = sum(1 for m in re.finditer(r'magic numbers for (\\S+) is', context))",
    "re.finditer, one match a line": "n = sum(1 for m in re.finditer(r'\\bsky\\b', context))",
    "re.findall, one match a line": "n = len(re.findall(r'Line (\\d+)', context))",
    "compiled pattern .finditer, 1 match": "p = re.compile(r'shiny-cat is: (\\d+)')\nn = sum(1 for m in p.finditer(context))",
    "re.search, 1 match": "m = re.search(r'shiny-cat is: (\\d+)', context)",
    "context.find": "i = context.find('shiny-cat')",
    "split lines and loop": "n = sum('shiny' in line for line in context.split('\\n'))",
    "splitlines, index every 1000th": "rows = context.splitlines()\nn = [rows[i] for i in range(0, len(rows), 1000)]",
    "compiled pattern .search on each line": "p = re.compile(r'shiny')\nrows = context.split('\\n')\n"
                                             "n = sum(1 for r in rows if p.search(r))",
    "slice into 100 KB chunks": "n = [context[i:i + 100_000] for i in range(0, len(context), 100_000)]",
    "context[i] for 1M indexes": "n = sum(context[i] == 'x' for i in range(1_000_000))",
}


def haystack(mb: int) -> str:
    parts, size, i = [], 0, 0
    while size < mb * 1_000_000:
        line = LINE.format(i=i)
        parts.append(line)
        size += len(line)
        i += 1
    half = len(parts) // 2
    return "".join(parts[:half]) + NEEDLE + "\n" + "".join(parts[half:])


def once(code: Any, ns: dict[str, Any]) -> float:
    scratch = dict(ns)
    exec("import re", scratch)
    gc.collect()
    t0 = time.perf_counter()
    exec(code, scratch)
    return time.perf_counter() - t0


def best(code: str, plain: dict[str, Any], logged: dict[str, Any], repeat: int) -> tuple[float, float]:
    """The best times of `code` in each namespace, runs alternating (so drift hits both)."""
    compiled = compile(code, "<cell>", "exec")
    a, b = [], []
    for _ in range(repeat):
        a.append(once(compiled, plain))
        b.append(once(compiled, logged))
    return min(a), min(b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=int, default=100, help="context size in MB (default 100)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    text = haystack(args.mb)
    t0 = time.perf_counter()
    cap = Capture(text)
    wrap = time.perf_counter() - t0
    plain = {"__builtins__": dict(vars(builtins)), "context": text}
    logged = {"__builtins__": {**vars(builtins), **cap.builtins}, "context": cap.context}
    print(f"context: {len(text) / 1e6:,.0f} MB, {text.count(chr(10)):,} lines; "
          f"Python {sys.version.split()[0]}")
    print(f"wrapping the context when the worker starts (one copy): {wrap:.3f} s\n")
    print("| cell | plain | logged | ratio |")
    print("|---|---:|---:|---:|")
    for name, code in CELLS.items():
        a, b = best(code, plain, logged, args.repeat)
        cap.drain()
        print(f"| {name} | {a:.3f} s | {b:.3f} s | {b / a:.2f} |", flush=True)


if __name__ == "__main__":
    main()
