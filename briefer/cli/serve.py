"""``serve``: the library behind HTTP, with the engine options every other command takes."""

from typing import TYPE_CHECKING

from briefer.cli import options as o
from briefer.cli.command import command

if TYPE_CHECKING:
    from briefer.config import Settings


@command(o.ENGINE, o.RUN)
def serve(
    host: o.Host = "127.0.0.1",
    port: o.Port = 8080,
    workers: o.Workers = 1,
    cache: o.CachePath = None,
    allow_url_fetch: o.AllowUrlFetch = False,
    insecure: o.Insecure = False,
    max_body_bytes: o.MaxBodyBytes = 10_485_760,
    max_in_flight: o.MaxInFlight = 32,
    request_timeout: o.RequestTimeout = 300.0,
    grace: o.Grace = 25.0,
    *,
    settings: "Settings",
) -> None:
    """Serve briefs over HTTP: POST /v1/briefs, POST /v1/briefs/stream (NDJSON), GET /v1/briefs/{sha256}.

    With BRIEFER_SERVICE_TOKEN set, every request but /healthz needs `Authorization: Bearer <token>`;
    without one, only a loopback address is served unless --insecure. OpenAPI docs at /docs.
    SIGTERM stops accepting connections, lets requests in flight finish (up to --grace seconds)
    and exits 0.

    Examples:

    \b
        briefer serve
        BRIEFER_SERVICE_TOKEN=s3cret briefer serve --host 0.0.0.0 --workers 4 --cache /var/cache/briefs.sqlite3
        briefer serve --base-url http://localhost:11434/v1 -m llama3.1 --prompts-dir ./my-prompts
        curl -s localhost:8080/v1/briefs -H 'content-type: application/json' -d '{"text": "..."}'
    """
    from briefer.service import ServeConfig
    from briefer.service import serve as run_service

    config = ServeConfig.carrying(
        settings,
        cache_path=cache,
        allow_url_fetch=allow_url_fetch,
        max_body_bytes=max_body_bytes,
        max_in_flight=max_in_flight,
        request_timeout_s=request_timeout,
    )
    run_service(config, host=host, port=port, workers=workers, insecure=insecure, grace_s=grace)
