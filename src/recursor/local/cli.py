"""`recursor models`: pull, list and verify the embedded local models."""

from __future__ import annotations

from pathlib import Path

import click

from recursor.errors import RecursorError

__all__ = ["models"]


@click.group("models")
def models() -> None:
    """The embedded local models (run on the CPU, no API key)."""


@models.command("pull")
@click.argument("names", nargs=-1)
@click.option("--all", "pull_all", is_flag=True, help="Pull every known model.")
@click.option("--from-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Install a GGUF obtained elsewhere, after checking its sha256.")
def pull_cmd(names: tuple[str, ...], pull_all: bool, from_file: Path | None) -> None:
    """Fetch, verify (sha256) and install NAMES (default: the default model)."""
    from recursor.local.models import DEFAULT_MODEL, MODELS, install_file, pull

    chosen = list(MODELS) if pull_all else list(names) or [DEFAULT_MODEL]
    try:
        if from_file is not None:
            if len(chosen) != 1:
                raise click.UsageError("--from-file installs exactly one model")
            click.echo(install_file(chosen[0], from_file))
            return
        for name in chosen:
            path = pull(name, progress=lambda line: click.echo(line, err=True))
            click.echo(path)
    except RecursorError as exc:
        raise click.ClickException(str(exc)) from exc


@models.command("list")
def list_cmd() -> None:
    """Known models, and where each is installed."""
    from recursor.local.models import DEFAULT_MODEL, MODELS, model_path

    for name, model in MODELS.items():
        path = model_path(name)
        mark = "*" if name == DEFAULT_MODEL else " "
        where = str(path) if path else "not pulled (recursor models pull " + name + ")"
        click.echo(f"{mark} {name:<22} {model.size / 1e9:.2f} GB  {where}")
