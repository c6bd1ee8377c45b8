"""`recursor bench`: run a task family with several methods and print a summary table."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from recursor.budget import Limits
from recursor.errors import RecursorError

__all__ = ["bench"]


def _ints(text: str) -> tuple[int, ...]:
    out = []
    for part in text.replace(",", " ").split():
        part = part.strip().lower()
        if part.startswith("2^") or part.startswith("2**"):
            out.append(2 ** int(part.split("^")[-1].split("*")[-1]))
        elif part.endswith("k"):
            out.append(int(float(part[:-1]) * 1024))
        elif part.endswith("m"):
            out.append(int(float(part[:-1]) * 1024 * 1024))
        else:
            out.append(int(part))
    return tuple(out)


@click.command("bench")
@click.argument("family")
@click.option(
    "--lengths",
    default="2^13",
    show_default=True,
    help="Context lengths in tokens: '2^13,2^16', '32k', '1m'.",
)
@click.option(
    "--n", "n", type=click.IntRange(min=1), default=5, show_default=True, help="Tasks per length."
)
@click.option(
    "--methods",
    default="base,rlm",
    show_default=True,
    help="Comma list of base, rlm, rlm_nosub, rlm_depth2.",
)
@click.option("--model", help="Model spec (default: the embedded local model).")
@click.option("--sub-model", help="Sub-model spec (default: the root model).")
@click.option("--base-url", help="OpenAI-compatible endpoint for --model.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--parallel",
    type=click.IntRange(min=1),
    help="Tasks run at once (default 1; with --ray, twice the cluster's CPUs).",
)
@click.option("--max-iterations", type=click.IntRange(min=1), default=12, show_default=True)
@click.option(
    "--task-timeout", type=float, default=600.0, show_default=True, help="Wall seconds per task."
)
@click.option(
    "--window",
    "window_tokens",
    type=click.IntRange(min=512),
    default=12_000,
    show_default=True,
    help="Context window used by the base method.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("bench-results.jsonl"),
    show_default=True,
    help="Results file (JSONL); re-running resumes where it stopped.",
)
@click.option(
    "--trace-dir", type=click.Path(path_type=Path), help="Keep a trace per RLM task here; its results row names it (trace_path) with the score.",
)
@click.option(
    "--keep-traces",
    type=click.Choice(["all", "correct", "none"]),
    default="all",
    show_default=True,
    help="With --trace-dir: keep every trace, only those of runs scoring 1, or none.",
)
@click.option(
    "--plot", type=click.Path(path_type=Path), help="Write a PNG of score against length."
)
@click.option(
    "--ray",
    "ray_address",
    metavar="auto|ADDRESS",
    help="Run each (task, method) as a Ray task: 'auto' (the cluster on this machine, or a new "
    "local one) or a cluster address. Needs the 'ray' extra.",
)
@click.option(
    "--job-cpus", type=click.FloatRange(min=0), default=1.0, show_default=True,
    help="Ray: CPUs each task declares (its sandbox worker).",
)
@click.option(
    "--job-memory-mb", type=click.IntRange(min=1), default=1024, show_default=True,
    help="Ray: memory each task declares (for scheduling; Ray does not enforce it).",
)
@click.option(
    "--job-retries", type=click.IntRange(min=0), default=2, show_default=True,
    help="Ray: times a task whose worker or node died runs again.",
)
def bench(
    family: str,
    lengths: str,
    n: int,
    methods: str,
    model: str | None,
    sub_model: str | None,
    base_url: str | None,
    seed: int,
    parallel: int | None,
    max_iterations: int,
    task_timeout: float,
    window_tokens: int,
    out: Path,
    trace_dir: Path | None,
    keep_traces: str,
    plot: Path | None,
    ray_address: str | None,
    job_cpus: float,
    job_memory_mb: int,
    job_retries: int,
) -> None:
    """Run benchmark FAMILY (sniah, twohop, oolong, oolong_pairs, codeqa, realdocs).

    realdocs asks about real files on this machine (dpkg and apt logs, Debian changelogs,
    the Python standard library), so its tasks differ between machines.
    """
    from recursor.bench.runner import BenchConfig, TaskResult, load_results, run_bench, summarize
    from recursor.bench.runner import plot as plot_png
    from recursor.cli_options import build_lm, print_table

    try:
        root = build_lm(model, base_url=base_url, api_key_env=None, retries=None)
        sub = (
            build_lm(sub_model, base_url=base_url, api_key_env=None, retries=None)
            if sub_model
            else None
        )
        cfg = BenchConfig(
            family=family,
            lengths=_ints(lengths),
            n=n,
            root=root,
            sub=sub,
            methods=tuple(m.strip() for m in methods.split(",") if m.strip()),
            seed=seed,
            parallel=parallel or 1,
            out=out,
            base_window_tokens=window_tokens,
            trace_dir=trace_dir,
            keep_traces=keep_traces,
            limits=Limits(max_iterations=max_iterations, timeout=task_timeout),
        )

        def show(r: TaskResult) -> None:
            line = (
                f"{r.task_id} {r.method:<10} score={r.score:.2f} {r.seconds:6.1f}s {r.stopped_by}"
            )
            if r.evidence_recall is not None:
                line += f" evidence={r.evidence_recall:.2f}"
            click.echo(line, err=True)

        if ray_address is None:
            asyncio.run(run_bench(cfg, on_result=show))
        else:
            from recursor.bench.ray_bench import BenchModels, RayOptions, run_bench_on_ray

            models = BenchModels(model, sub_model, base_url)
            options = RayOptions(address=ray_address, job_cpus=job_cpus, job_memory_mb=job_memory_mb,
                                 job_retries=job_retries, parallel=parallel)
            run_bench_on_ray(cfg, models, options, on_result=show)
        rows = [r for r in load_results(out) if r["family"] == family]
        print_table(summarize(rows))
        if plot is not None:
            plot_png(rows, plot)
            click.echo(f"plot written to {plot}", err=True)
    except RecursorError as exc:
        raise click.ClickException(str(exc)) from exc
