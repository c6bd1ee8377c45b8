"""Host memory under hostile cells: does the host stay bounded whatever the worker sends?

    python benchmarks/host_memory.py                 # every attack, bwrap where it works
    python benchmarks/host_memory.py --isolation process --only flood_31mib
    PYTHONPATH=/path/to/other/src python benchmarks/host_memory.py   # measure another tree

Each attack runs in a fresh child process (so its peak RSS is its own): the child starts a
real ProcessRepl with a handler that never answers (every sub-call stays pending, the worst
case for the host), runs the hostile cell, then `print(len(context))` to check the REPL still
works. It prints the host's peak RSS (VmHWM from /proc/self/status) and whether the host
survived. The child runs under an address-space cap (`--cap-gb`), so a host that would eat
the machine fails with MemoryError instead. Plain script, standard library plus recursor.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SOCK = """
import gc, json, socket, struct, time
sock = next(o for o in gc.get_objects() if isinstance(o, socket.socket))
def send(data):
    sock.sendall(struct.pack('>I', len(data)) + data)
def call(i, prompt):
    return json.dumps({'type': 'call', 'id': 10**6 + i, 'fn': 'llm_query', 'args': {'prompt': prompt}},
                      ensure_ascii=False).encode()
"""

ATTACKS: dict[str, str] = {
    "baseline": "x = 1",
    # The attack of issue #11: 48 forged call frames of 64 MB, written without waiting.
    "flood_64mb": SOCK + "frame = call(0, 'x' * (64 << 20))\nfor i in range(48):\n    send(frame)\ntime.sleep(2)",
    # Just under the default 32 MiB frame cap, so each frame is read, parsed and held.
    "flood_31mib": SOCK + "frame = call(0, 'x' * (31 << 20))\nfor i in range(48):\n    send(frame)\ntime.sleep(2)",
    # One astral character makes Python store the whole prompt at 4 bytes a character.
    "flood_wide_31mib": SOCK + "frame = call(0, '\\U0001F600' + 'x' * ((31 << 20) - 8))\nfor i in range(48):\n"
                        "    send(frame)\ntime.sleep(2)",
    # Many tiny frames of small prompts: the count cap, not the byte cap.
    "flood_small": SOCK + "for i in range(5000):\n    send(call(i, 'p' * 1000))\ntime.sleep(2)",
    # ~10 million empty objects in 31 MiB: ~700 MB if parsed.
    "json_huge": SOCK + "send(b'{\"type\":\"call\",\"id\":1,\"fn\":\"llm_query\",\"args\":{\"prompt\":[' + b'{},' * "
                 "((31 << 20) // 3 - 100) + b'{}]}}')\ntime.sleep(2)",
    # Just under the item cap: parsed, then refused by the schema.
    "json_items_under_cap": SOCK + "send(b'{\"type\":\"call\",\"id\":1,\"fn\":\"llm_query\",\"args\":{\"prompt\":[' + "
                            "b'{},' * 499_990 + b'{}]}}')\nprint('sent')",
    "json_deep": SOCK + "send(b'[' * 400_000 + b']' * 400_000)\ntime.sleep(2)",
    "stdout_1gb": "for _ in range(1000):\n    print('y' * 1_000_000)",
    # A forged result for the running request: 30 MiB of stdout and error the host must clip.
    "forged_result": SOCK + """import sys
f = sys._getframe()
while not isinstance(f.f_locals.get('msg'), dict):
    f = f.f_back
send(json.dumps({'type': 'result', 're': f.f_locals['msg']['id'], 'stdout': 'y' * (15 << 20),
                 'error': 'e' * (15 << 20), 'notes': []}).encode())
time.sleep(1)""",
}


def _vm(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


async def _attack(name: str, isolation: str) -> dict[str, Any]:
    from recursor.context import store_context
    from recursor.sandbox.base import SandboxOptions
    from recursor.sandbox.process import ProcessRepl

    async def never(fn: str, args: dict[str, Any]) -> Any:
        await asyncio.sleep(3600)

    with tempfile.TemporaryDirectory(prefix="host-memory-") as tmp:
        repl = ProcessRepl(store_context("context", Path(tmp)), never, SandboxOptions(isolation=isolation))  # type: ignore[arg-type]
        try:
            await repl.start()
            rss_start = _vm("VmHWM")
            t0 = time.monotonic()
            cell = await repl.run(ATTACKS[name])
            seconds = time.monotonic() - t0
            after = await repl.run("print(len(context))")
        finally:
            await repl.close()
    return {
        "attack": name,
        "mode": repl.report.mode,
        "peak_rss_mb": round(_vm("VmHWM") / 2**20, 1),
        "rss_before_mb": round(rss_start / 2**20, 1),
        "restarted": cell.restarted,
        "told": (cell.error or cell.stdout or "").strip().splitlines()[-1][:110] if (cell.error or cell.stdout) else "",
        "repl_works_after": after.stdout.strip() == "7",
        "seconds": round(seconds, 2),
    }


def _peak_of(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return 0.0


def _child(name: str, isolation: str, cap_gb: float) -> None:
    cap = int(cap_gb * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    try:
        result = asyncio.run(_attack(name, isolation))
    except MemoryError:
        result = {"attack": name, "survived": False, "why": "MemoryError (the host hit --cap-gb)",
                  "peak_rss_mb": round(_vm("VmHWM") / 2**20, 1)}
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--isolation", default="auto", choices=["auto", "bwrap", "process"])
    parser.add_argument("--only", nargs="*", choices=sorted(ATTACKS))
    parser.add_argument("--cap-gb", type=float, default=6.0, help="address-space cap of each host child")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds an attack may take before it counts as hung")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.isolation, args.cap_gb)
        return
    rows = []
    for name in args.only or list(ATTACKS):
        child = subprocess.Popen([sys.executable, __file__, "--child", name, "--isolation", args.isolation,
                                  "--cap-gb", str(args.cap_gb)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            out, err = child.communicate(timeout=args.timeout)
        except subprocess.TimeoutExpired:
            peak = _peak_of(child.pid)
            child.kill()
            child.communicate()
            row = {"attack": name, "survived": False, "peak_rss_mb": peak,
                   "why": f"hung: no result after {args.timeout:g} s"}
        else:
            lines = [line for line in out.splitlines() if line.startswith("{")]
            row = json.loads(lines[-1]) if lines else {"attack": name, "survived": False,
                                                       "why": f"exit {child.returncode}: {err.strip()[-200:]}"}
        row.setdefault("survived", child.returncode == 0 and row.get("repl_works_after", False))
        rows.append(row)
        print(json.dumps(row), flush=True)
    worst = max((r.get("peak_rss_mb", 0.0) for r in rows), default=0.0)
    print(f"\nhost peak RSS, worst attack: {worst:.0f} MiB; every host survived: {all(r['survived'] for r in rows)}")


if __name__ == "__main__":
    main()
