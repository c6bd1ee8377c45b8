"""`recursor serve --ray`: the OpenAI-compatible app (`recursor.serve.app`) as a Ray Serve
deployment with replicas, so one endpoint scales out over a cluster.

- Each replica is a Ray actor (declaring `replica_cpus`) that builds its own RLM from the
  `serve` flags and serves `create_app` with its own `max_concurrent_runs` run slots. Serve
  sends a replica at most that many requests at once (`max_ongoing_requests`), each to the
  less busy of two replicas; over capacity, requests wait in Serve's queue for a free slot
  (under the client's own timeout) instead of getting the 429 a single server answers. With
  `max_ongoing_requests` one above the slots, a request would now and then land on a full
  replica and get a 429 while another had a free slot (measured: 3 in 16 with 2 replicas).
- Every LM call of every replica goes through the cluster's named ledger
  (`recursor.batch.ray_ledger`): the same total budget and rate limits as a `batch --ray`
  naming the same `--ledger`. The serving process holds the ledger's lease while it serves.
- Replies carry the header `x-recursor-replica` (the replica's id), so a client or a test can
  see the load spread.
- Sessions (`session_id`) live in one replica's memory; with more than one replica they are
  refused (400) rather than silently forgotten when a request lands elsewhere.

One recursor endpoint per cluster: it is Serve's application "recursor" at route prefix "/",
and Serve's HTTP options (host, port) are the cluster's, set by whoever starts Serve first.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from recursor.batch.ray_cluster import connect
from recursor.batch.ray_ledger import ClusterLedger, LedgerSpec
from recursor.errors import UserError
from recursor.serve.app import ServeConfig

log = logging.getLogger("recursor")

__all__ = ["APP_NAME", "REPLICA_HEADER", "RayEndpoint", "Replica", "deploy", "serve_forever"]

APP_NAME = "recursor"
REPLICA_HEADER = "x-recursor-replica"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class _ReplicaHeader:
    """ASGI middleware: every HTTP reply names the replica that made it."""

    def __init__(self, app: Any, replica: str) -> None:
        self.app = app
        self.header = (REPLICA_HEADER.encode(), replica.encode("ascii", "replace"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_named(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), self.header]}
            await send(message)

        await self.app(scope, receive, send_named)


class Replica:
    """One replica: its own RLM (LM clients, run slots, sessions), the cluster's ledger.

    Serve wraps it with `serve.ingress()` and calls `__serve_build_asgi_app__` once it is built.
    """

    def __init__(self, opts: dict[str, Any], model_api_key_env: str | None, config: ServeConfig,
                 budget: Any, limiter: Any) -> None:
        from ray import serve

        from recursor.batch.ray_ledger import RayBudget, RayLimiter
        from recursor.batch.shared import BatchLM
        from recursor.cli_options import build_rlm
        from recursor.lm.base import LM
        from recursor.pricing import Pricing

        self.replica_id = str(serve.get_replica_context().replica_id.unique_id)
        pricing = Pricing(dict(opts["prices"]))

        def wrap(lm: LM) -> LM:
            return BatchLM(lm, owner=f"serve-{self.replica_id}", pricing=pricing,
                           max_output_tokens=opts["max_output_tokens"],
                           budget=RayBudget(budget) if budget is not None else None, limiter=RayLimiter(limiter))

        self.rlm = build_rlm(opts, api_key_env=model_api_key_env, wrap_lm=wrap)
        self.config = config

    def __serve_build_asgi_app__(self) -> Any:
        from recursor.serve.app import create_app

        app = create_app(self.rlm, self.config)
        app.add_middleware(_ReplicaHeader, replica=self.replica_id)
        return app


@dataclass
class RayEndpoint:
    """A running `serve --ray` deployment; `close()` removes it and leaves the ledger."""

    url: str
    replicas: int
    ledger: ClusterLedger

    def close(self) -> None:
        from ray import serve

        try:
            serve.delete(APP_NAME)
            if not serve.status().applications:
                serve.shutdown()
        finally:
            self.ledger.leave()


def _serve_module() -> Any:
    try:
        from ray import serve
    except ImportError as exc:  # ray without its serve extra fails on grpc, fastapi, ...
        raise UserError(f"recursor serve --ray needs Ray Serve: pip install 'recursor[ray]' ({exc})") from None
    return serve


_START_TRIES = 3


def _start_serve(serve: Any, host: str, port: int) -> None:
    """`serve.start`, tried again when its HTTP proxy dies while starting.

    A Serve instance shut down just before (another `serve --ray` that ended, a test) may still
    be tearing down: its controller kills the proxy actor by name, and the new proxy has the
    same name, so `serve.start` fails with an ActorDiedError ("cancelled before it started").
    Seen on a busy 2-core machine; after a shutdown and a pause the start succeeds.
    """
    import ray

    for attempt in range(_START_TRIES):
        try:
            serve.start(http_options={"host": host, "port": port})
            return
        except ray.exceptions.RayActorError:
            if attempt == _START_TRIES - 1:
                raise
            log.warning("Ray Serve's proxy died while starting; starting Serve again")
            with contextlib.suppress(Exception):
                serve.shutdown()
            time.sleep(2.0 * (attempt + 1))


def deploy(opts: dict[str, Any], config: ServeConfig, *, address: str | None, model_api_key_env: str | None,
           replicas: int, replica_cpus: float, host: str, port: int, ledger: str,
           spec: LedgerSpec) -> RayEndpoint:
    """Start the endpoint on the cluster at `address` and return once every replica is up."""
    serve = _serve_module()
    connect(address)
    shared = ClusterLedger(ledger, spec, f"serve-{uuid.uuid4().hex[:12]}")
    try:
        if replicas > 1:
            config = dataclasses.replace(config, sessions=False)
        deployment = serve.deployment(serve.ingress()(Replica)).options(
            name=APP_NAME, num_replicas=replicas, max_ongoing_requests=config.max_concurrent_runs,
            ray_actor_options={"num_cpus": replica_cpus})
        _start_serve(serve, host, port)
        serve.run(deployment.bind(opts, model_api_key_env, config, shared.budget, shared.limiter),
                  name=APP_NAME, route_prefix="/", blocking=False)
    except BaseException:
        shared.leave()
        raise
    host, port = _http_address(host, port)
    return RayEndpoint(url=f"http://{host}:{port}/v1", replicas=replicas, ledger=shared)


def _http_address(host: str, port: int) -> tuple[str, int]:
    """Where Serve's proxy listens: ours, unless Serve was already running with other options."""
    try:  # no public API tells the running proxy's port
        from ray.serve.context import _get_global_client

        client: Any = _get_global_client()
        return str(client.http_config.host), int(client.http_config.port)
    except Exception:
        return host, port


def serve_forever(endpoint: RayEndpoint) -> None:
    """Keep the ledger's lease until Ctrl-C (or SIGTERM), then take the endpoint down."""
    import signal

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    main = threading.current_thread() is threading.main_thread()  # signals are set there only
    before = (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) if main else None
    try:
        if main:
            # SIGINT too: a process started in the background by a script inherits SIGINT
            # ignored, and Python then never raises KeyboardInterrupt; `kill -INT` must stop it.
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
        while True:
            time.sleep(1.0)
            endpoint.ledger.beat()
    except KeyboardInterrupt:
        pass
    finally:
        if main:  # a second Ctrl-C must not cut the teardown short and leave the app up
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            endpoint.close()
        finally:
            if before is not None:
                signal.signal(signal.SIGTERM, before[0])
                signal.signal(signal.SIGINT, before[1])
