"""The editor's desk (``GET /``) and the API docs (``GET /docs``): static pages shipped in the
wheel, so they work with no internet at all.

The pages carry no secret and no data: they are served without a token and ask for one in the
browser (kept in ``sessionStorage``), and every request they make goes through the same guard
as any client's. Swagger UI's files come from the ``fastapi-offline`` package instead of a CDN.
"""

import importlib.util
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"
STATIC_PREFIX = "/static/"


def swagger_assets() -> Path:
    """Swagger UI's bundle and stylesheet as ``fastapi-offline`` ships them (found without importing it)."""
    spec = importlib.util.find_spec("fastapi_offline")
    assert spec is not None and spec.submodule_search_locations, "fastapi-offline is a dependency"
    return Path(next(iter(spec.submodule_search_locations))) / "static"


def add_desk(app: FastAPI) -> None:
    app.mount(STATIC_PREFIX + "desk", StaticFiles(directory=STATIC), name="desk")
    app.mount(STATIC_PREFIX + "swagger", StaticFiles(directory=swagger_assets()), name="swagger")

    @app.get("/", include_in_schema=False)
    async def desk() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> FileResponse:
        return FileResponse(STATIC / "docs.html")
