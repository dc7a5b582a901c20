"""Requests are validated before anything runs: unknown keys, bad options and articles given twice
or not at all are 422s that name the field."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from support.service_server import SEED, assert_error


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
