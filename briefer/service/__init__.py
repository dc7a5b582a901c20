"""The HTTP service: the library's cached brief behind FastAPI, with the limits a network service
needs. ``briefer serve`` runs it with uvicorn; ``create_app`` builds it for tests and embedding.

- ``schemas``: request and response models; ``errors``: the one JSON error shape;
- ``guard``: auth, body and in-flight caps, request ids, the access log;
- ``briefing``: loading (``briefer.loading``) and briefing (``briefer.pipeline``) a request's article;
- ``app``: ``create_app`` and the routes; ``run``: ``ServeConfig``, ``serve``, ``app_from_env``.
"""

from briefer.service.app import create_app
from briefer.service.run import CONFIG_ENV, TOKEN_ENV, ServeConfig, app_from_env, is_loopback, serve

__all__ = ["CONFIG_ENV", "TOKEN_ENV", "ServeConfig", "app_from_env", "create_app", "is_loopback", "serve"]
