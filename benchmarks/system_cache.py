"""What a new process saves when the system prompt's KV cells are read from disk.

    python benchmarks/system_cache.py                                  # the README's question
    python benchmarks/system_cache.py --context /var/log/dpkg.log \\
        --question "How many packages were upgraded in total?" --warm 3

Each run is a new Python process that answers the question once with the embedded model
(`RLM(LocalLM(system_cache=DIR))`), as `recursor ask` does, with DIR a fresh temporary
directory: the first process meets the small-model system prompt and leaves a marker, the
second evaluates it alone and writes its file, the later ones read it. Printed for each:
wall seconds, the first root call's prompt tokens and how many of them were evaluated, and
its seconds; then the median saving of the warm processes against the first two.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(directory: str, question: str, context: str) -> None:
    from collections.abc import Sequence

    from recursor import RLM, Limits
    from recursor.lm.base import LMResponse, Message
    from recursor.lm.local import LocalLM

    firsts: list[dict[str, float]] = []

    class Timed(LocalLM):
        """The embedded model, noting its first root call's statistics."""

        async def complete(self, messages: Sequence[Message], *, max_tokens: int | None = None) -> LMResponse:
            reply = await super().complete(messages, max_tokens=max_tokens)
            stats = self.last_stats
            if not firsts and stats is not None and messages and messages[0]["role"] == "system":
                firsts.append({"prompt": stats.prompt_tokens, "evaluated": stats.prompt_eval_tokens,
                               "seconds": stats.wall_s, "restored": stats.restored})
            return reply

    lm = Timed.default(system_cache=Path(directory))
    start = time.perf_counter()
    result = RLM(lm, limits=Limits(max_iterations=8), trace_dir=False).complete(question, Path(context))
    print(json.dumps({"wall": time.perf_counter() - start, "answer": result.answer, **(firsts[0] if firsts else {})}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--context", default=str(ROOT / "examples" / "haystack.txt"))
    parser.add_argument("--question", default="Which magic number belongs to the silver-fox?")
    parser.add_argument("--warm", type=int, default=2, help="processes after the file is written")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.question, args.context)
        return
    rows = []
    with tempfile.TemporaryDirectory() as directory:
        for i in range(2 + args.warm):
            out = subprocess.run([sys.executable, __file__, "--child", directory, "--question", args.question,
                                  "--context", args.context], capture_output=True, text=True, check=True)
            row = json.loads(out.stdout.strip().splitlines()[-1])
            rows.append(row)
            label = ("met first (marker)", "met again (file written)")[i] if i < 2 else "file read"
            print(f"process {i + 1}, {label:25} wall {row['wall']:6.1f} s | first root call: "
                  f"{row.get('evaluated', 0):5.0f} of {row.get('prompt', 0):5.0f} tokens evaluated, "
                  f"{row.get('seconds', 0):5.1f} s | answer {row['answer']!r}")
    cold = statistics.median(r["wall"] for r in rows[:2])
    warm = statistics.median(r["wall"] for r in rows[2:])
    print(f"median wall: {cold:.1f} s without the file, {warm:.1f} s with it ({cold - warm:+.1f} s saved)")


if __name__ == "__main__":
    main()
