"""Running the service: ``briefer serve`` checks everything it can before binding, then hands its
options to uvicorn's workers through the environment (secrets stay in their own variables).

SIGTERM (what ``docker stop``, systemd and Kubernetes send) drains: uvicorn stops accepting
connections, lets the requests in flight finish for up to ``grace_s`` seconds, then cancels
what is left; ``serve`` then says it stopped and returns, so the process exits 0. uvicorn
re-raises the signal after its shutdown so a default handler would kill the process (143):
ours, installed first and restored by uvicorn, turns it into a clean return instead.
"""

from __future__ import annotations

import ipaddress
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, Field

from briefer.cache import BriefCache
from briefer.config import Settings
from briefer.engines import make_engine
from briefer.errors import ConfigError
from briefer.service.app import create_app
from briefer.service.briefing import DEFAULT_REQUEST_TIMEOUT_S
from briefer.service.guard import DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_IN_FLIGHT

TOKEN_ENV = "BRIEFER_SERVICE_TOKEN"
CONFIG_ENV = "BRIEFER_SERVE_CONFIG"  # how `briefer serve` hands its options to uvicorn's workers
APP_FACTORY = "briefer.service:app_from_env"
DEFAULT_GRACE_S = 25.0  # in-flight requests' time to finish on SIGTERM: under Kubernetes' 30 s to SIGKILL


class ServeConfig(BaseModel):
    """What ``briefer serve`` passes to each uvicorn worker (through the environment: no secrets here)."""

    engine_settings: dict[str, Any] = Field(
        default_factory=dict, description="Settings fields for the engine, every one but the API key."
    )
    cache_path: Path | None = None
    allow_url_fetch: bool = False
    max_body_bytes: int = Field(default=DEFAULT_MAX_BODY_BYTES, gt=0)
    max_in_flight: int = Field(default=DEFAULT_MAX_IN_FLIGHT, gt=0)
    request_timeout_s: float = Field(default=DEFAULT_REQUEST_TIMEOUT_S, gt=0)

    @classmethod
    def carrying(cls, settings: Settings, **options: Any) -> ServeConfig:
        """A config carrying ``settings`` to the workers; the key stays in the worker's own environment."""
        return cls(engine_settings=settings.model_dump(mode="json", exclude={"api_key"}), **options)

    def settings(self) -> Settings:
        return Settings.from_env(**self.engine_settings)


def is_loopback(host: str) -> bool:
    """Whether only this machine can connect to ``host``: then no token is needed to listen there."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_from_env() -> FastAPI:
    """uvicorn's factory in each worker: options from ``CONFIG_ENV``, secrets from their own variables."""
    config = ServeConfig.model_validate_json(os.environ.get(CONFIG_ENV, "{}"))
    return create_app(
        config.settings(),
        token=os.environ.get(TOKEN_ENV) or None,
        cache_path=config.cache_path,
        allow_url_fetch=config.allow_url_fetch,
        max_body_bytes=config.max_body_bytes,
        max_in_flight=config.max_in_flight,
        request_timeout_s=config.request_timeout_s,
    )


def serve(
    config: ServeConfig,
    *,
    host: str,
    port: int,
    workers: int,
    insecure: bool,
    grace_s: float = DEFAULT_GRACE_S,
) -> None:
    """Check everything that can be wrong before binding (exit 2 then), then run uvicorn until
    SIGTERM or Ctrl-C, draining the requests in flight for up to ``grace_s`` seconds."""
    import uvicorn

    token = os.environ.get(TOKEN_ENV) or None
    if token is None and not insecure and not is_loopback(host):
        raise ConfigError(
            f"refusing to listen on {host} without {TOKEN_ENV} set; set a token, or pass --insecure"
        )
    engine = make_engine(config.settings())
    BriefCache(config.cache_path).close()
    os.environ[CONFIG_ENV] = config.model_dump_json()
    auth = "bearer token required" if token else "no token: anyone who can connect may use it"
    print(
        f"briefer: serving on http://{host}:{port} with the {engine.name} engine ({auth}); docs at /docs",
        file=sys.stderr,
    )
    with _sigterm_drains():
        uvicorn.run(
            APP_FACTORY,
            factory=True,
            host=host,
            port=port,
            workers=workers,
            access_log=False,
            log_level="warning",
            server_header=False,
            timeout_graceful_shutdown=grace_s,  # type: ignore[arg-type]  # a float works; typed int
        )
    print(f"briefer: stopped (requests in flight were given up to {grace_s:g} s to finish)", file=sys.stderr)


class _Stopped(Exception):
    """SIGTERM, once uvicorn has drained (or before it started): a normal end."""


def _stopped(signum: int, frame: object) -> None:
    raise _Stopped


@contextmanager
def _sigterm_drains() -> Iterator[None]:
    """While uvicorn runs, SIGTERM ends it as cleanly as Ctrl-C does (uvicorn swallows that one)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals belong to the main thread; whoever runs us there decides
        return
    previous = signal.signal(signal.SIGTERM, _stopped)
    try:
        yield
    except _Stopped:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
