"""Does the embedded model's process stay flat over thousands of sub-calls?

    python benchmarks/local_memory.py                      # 5,000 calls on the 1.5B
    python benchmarks/local_memory.py --model qwen2.5-coder-0.5b --calls 1000 --every 100

It drives `LocalLM` the way an RLM run does: a root conversation that grows turn by turn,
interrupted by bursts of one-off sub-calls (plain and choice requests, each a new prompt), so
the KV store saves and restores the root conversation between turns. It prints the process's
resident memory (RSS, from /proc/self/status) every `--every` calls and, at the end, the growth
from the first sample after warm-up to the last: the target is flat within 10%.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from pathlib import Path

from recursor.lm.base import Message
from recursor.lm.local import LocalLM

WORDS = ("log", "error", "user", "disk", "alpha", "order", "config", "network", "deadline", "parser",
         "cache", "report", "invoice", "kernel", "package", "upgrade", "service", "timeout")


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def item(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 120)))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="qwen2.5-coder-1.5b")
    parser.add_argument("--calls", type=int, default=5000)
    parser.add_argument("--every", type=int, default=250)
    parser.add_argument("--burst", type=int, default=20, help="sub-calls between two root turns")
    args = parser.parse_args()
    rng = random.Random(0)
    lm = LocalLM(args.model, max_output_tokens=8)
    root: list[Message] = [{"role": "system", "content": "You write Python to answer questions. " * 20}]
    samples: list[tuple[int, float]] = []
    started = time.monotonic()
    for n in range(1, args.calls + 1):
        if n % args.burst == 1:  # a root turn: the conversation grows
            root.append({"role": "user", "content": "[repl output]\n" + item(rng)})
            reply = await lm.complete(root, max_tokens=8)
            root.append({"role": "assistant", "content": reply.text or "ok"})
            if len(root) > 40:  # a new run starts: a new root conversation
                root = root[:1]
        elif n % 3 == 0:
            await lm.choose([{"role": "user", "content": f"Label this text.\n{item(rng)}\nAnswer:"}],
                            ["error", "info", "other"])
        else:
            await lm.complete([{"role": "user", "content": f"Summarise in three words: {item(rng)}"}])
        if n % args.every == 0:
            samples.append((n, rss_mb()))
            print(f"{n:>6} calls  RSS {samples[-1][1]:8.1f} MB  {time.monotonic() - started:7.1f} s", flush=True)
    if len(samples) >= 2:
        base = samples[min(1, len(samples) - 1)][1]  # after warm-up: the store has filled once
        last, peak = samples[-1][1], max(r for _, r in samples)
        print(f"RSS after warm-up {base:.1f} MB, last {last:.1f} MB, peak {peak:.1f} MB, "
              f"growth {100 * (last - base) / base:+.1f}%")


if __name__ == "__main__":
    asyncio.run(main())
