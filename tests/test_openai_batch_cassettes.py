"""``briefer batch --via batch-api`` against recorded Batch API traffic: files, batches, rounds.

Replays (record mode ``none``) send to a dummy base URL; vcrpy answers from the cassette,
matching method, path and body (a multipart upload without its random boundary), so any change
in the requests, the JSONL lines or the round structure fails loudly until re-recorded.
Recording (``make record``) starts the local Batch API server (``tests/openai_batch_server.py``):
no machine here reaches api.openai.com, and cassettes/README.md says so.

Each scenario ends with one live chat completion (``--repair-live``), so each cassette also
holds chat-completions traffic for OpenAI's own ``validate_cassettes.py``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from batch_cases import sample_rows
from openai_batch_server import BatchServer
from openai_server import RecordedRequest, Reply, Turn, author_content, completion_body
from vcr.cassette import Cassette

import briefer.batch.api as batch_api
from briefer.batch.api import BatchApiRun
from briefer.batch.report import BatchOptions
from briefer.config import Settings
from briefer.loading.inputs import BatchItem

pytestmark = pytest.mark.usefixtures("env_clean", "fast_retries", "fresh_engine_state")

REPLAY_BASE_URL = "http://127.0.0.1:9/v1"  # the discard port: a replay that escapes vcrpy reaches nothing
SEED = Path(__file__).parents[1] / "seeds" / "pakistan-taliban-warning.txt"
INVALID = '{"headline": "only a headline"}'


@pytest.fixture(autouse=True)
def _quick_looks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch_api, "FIRST_POLL_S", 0.0)


@pytest.fixture
def base_url(recording: bool) -> Iterator[Any]:
    """Where requests go: the dummy URL on replay, a fresh local Batch API server while recording."""
    with ExitStack() as stack:

        def make(*turns: Turn) -> str:
            if not recording:
                return REPLAY_BASE_URL
            return stack.enter_context(BatchServer(*turns)).base_url

        yield make


def invalid_first(schema: str) -> Turn:
    """The author for every request, but the first asking for ``schema``: a Brief missing its fields."""
    asked: list[str] = []

    def respond(request: RecordedRequest) -> Reply:
        content = author_content(request)
        if request.schema_name == schema and not asked:
            asked.append(schema)
            content = INVALID
        return Reply(200, completion_body(request, content))

    return Turn(f"invalid first {schema}", respond, times=1000)


def brief_via_batch_api(url: str, out: Path, items: list[BatchItem], **settings: Any) -> Any:
    config = Settings.from_env(
        env={},
        engine="openai",
        server="openai",
        base_url=url,
        api_key="sk-test",
        repair_grounding=False,
        **settings,
    )
    options = BatchOptions(out=out, via="batch-api", repair_live=True)
    return BatchApiRun(config, options, None).run(iter(items))


def calls(cassette: Cassette) -> list[str]:
    """``METHOD path`` of every recorded request, ids replaced by ``{id}``."""
    found = []
    for request in cassette.requests:
        path = "/".join("{id}" if p.startswith(("batch_", "file-")) else p for p in request.path.split("/"))
        found.append(f"{request.method} {path}")
    return found


def uploaded(cassette: Cassette) -> list[list[dict]]:
    """The JSONL lines of every uploaded input file, from the recorded multipart bodies."""
    files = []
    for request in cassette.requests:
        if request.path.endswith("/files") and request.method == "POST":
            body = request.body.decode() if isinstance(request.body, bytes) else request.body
            files.append([json.loads(line) for line in body.splitlines() if line.startswith('{"custom_id"')])
    return files


@pytest.mark.vcr
@pytest.mark.default_cassette("batch_round_trip")
def test_batch_round_trip(base_url: Any, replayed_fully: Cassette, tmp_path: Path) -> None:
    """Upload, create, follow to completed, download; the one invalid answer is repaired live."""
    row = sample_rows(1)[0]
    items = [
        BatchItem(id="seed", origin=str(SEED), text=SEED.read_text()),
        BatchItem(id=row["id"], origin="sample", text=row["text"]),
    ]
    report = brief_via_batch_api(base_url(invalid_first("Brief")), tmp_path, items)
    assert report.counts.done == 2 and report.counts.failed == 0 and len(report.batches) == 1
    assert calls(replayed_fully) == [
        "POST /v1/files",
        "POST /v1/batches",
        "GET /v1/batches/{id}",
        "GET /v1/batches/{id}",
        "GET /v1/batches/{id}",
        "GET /v1/files/{id}/content",
        "POST /v1/chat/completions",
    ]
    (lines,) = uploaded(replayed_fully)
    assert [line["custom_id"] for line in lines] == ["seed#0", f"{row['id']}#0"]
    assert all(line["body"]["response_format"]["json_schema"]["name"] == "Brief" for line in lines)
    repair = json.loads(replayed_fully.requests[-1].body)
    assert "Field required" in repair["messages"][-1]["content"]
    briefs = [json.loads(line) for line in (tmp_path / "briefs.jsonl").read_text().splitlines()]
    assert sorted(b["provenance"]["repairs"] for b in briefs) == [0, 1]


@pytest.mark.vcr
@pytest.mark.default_cassette("batch_map_reduce_rounds")
def test_batch_map_reduce_rounds(base_url: Any, replayed_fully: Cassette, tmp_path: Path) -> None:
    """A long article over 1,200-token chunks: every chunk's notes in one batch, their merges
    (notes too long for one request) in a second, the combine in a third; its repair live."""
    text = "\n\n".join(row["text"] for row in sample_rows(3))
    items = [BatchItem(id="long", origin="sample", text=text)]
    report = brief_via_batch_api(base_url(invalid_first("Brief")), tmp_path, items, max_chunk_tokens=1200)
    assert report.counts.done == 1 and len(report.batches) == 3
    notes, merges, combine = uploaded(replayed_fully)
    ids = [[line["custom_id"] for line in f] for f in (notes, merges, combine)]
    assert ids == [
        [f"long#0.{k}" for k in range(len(notes))],
        [f"long#1.{k}" for k in range(len(merges))],
        ["long#2"],
    ]
    names = [
        [line["body"]["response_format"]["json_schema"]["name"] for line in f]
        for f in (notes, merges, combine)
    ]
    assert names == [["ChunkNotes"] * len(notes), ["ChunkNotes"] * len(merges), ["Brief"]] and len(notes) > 1
    assert calls(replayed_fully)[-1] == "POST /v1/chat/completions"
    brief = json.loads((tmp_path / "briefs.jsonl").read_text())
    assert brief["provenance"]["chunks"] == len(notes) and brief["provenance"]["repairs"] == 1
