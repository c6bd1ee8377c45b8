"""Reaching a Ray cluster: `--ray auto` (the cluster on this machine, or a new local one) or an
address, with one clear error when Ray is not installed."""

from __future__ import annotations

from typing import Any

from recursor.errors import UserError

__all__ = ["connect", "require_ray"]


def require_ray(what: str = "--ray") -> Any:
    """The `ray` module, or a `UserError` that says which extra to install."""
    try:
        import ray
    except ImportError:
        raise UserError(f"{what} needs Ray: pip install 'recursor[ray]'") from None
    return ray


def connect(address: str | None) -> None:
    """Join the cluster `address` names ("auto" or None: this machine's, started if need be).

    A process already connected (a test's `ray.init`, a driver calling twice) stays connected.
    """
    ray = require_ray()
    if ray.is_initialized():
        return
    if address in (None, "auto"):
        try:
            ray.init(address="auto", include_dashboard=False, log_to_driver=False)
        except ConnectionError:  # no cluster running here: start one on this machine
            ray.init(include_dashboard=False, log_to_driver=False)
    else:
        ray.init(address=address, log_to_driver=False)
