"""Requests are validated before anything runs: unknown keys, bad options and articles given twice
or not at all are 422s that name the field."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from service_server import SEED, assert_error, serve


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """The default service: extractive engine, no token, no URL fetching."""
    with serve(tmp_path_factory.mktemp("service")) as c:
        yield c


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"text": SEED, "options": {"temperature": 2}}, "options.temperature"),
        ({"text": SEED, "options": {"max_chunk_tokens": 10}}, "options.max_chunk_tokens"),
        ({"text": SEED, "options": {"prompt": "../../etc/passwd"}}, "options.prompt"),
        ({"text": SEED, "html": "<p>x</p>"}, "exactly one of"),
        ({"title": "no article"}, "exactly one of"),
        ({"text": SEED, "colour": "red"}, "colour"),
    ],
)
def test_invalid_requests_are_422(client: httpx.Client, body: dict[str, Any], needle: str) -> None:
    assert needle in assert_error(client.post("/v1/briefs", json=body), 422, "validation_error")["message"]
