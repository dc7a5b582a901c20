"""briefer against a real model's recorded traffic: SmolLM2-135M-Instruct behind llama-cpp-python.

The other cassettes hold our test server's answers; this one holds a real server's and a real
model's, so a replay checks briefer against what such a server really says: how it describes
itself (``GET /v1/models``: ``owned_by: "me"``), what it is sent (``json_object`` with the
schema as a grammar, never ``json_schema``, ``max_tokens``), and what a 135M model writes back.
Re-record with the e2e server running (see cassettes/README.md):
``BRIEFER_RECORD_BASE_URL=http://127.0.0.1:8767/v1 pytest tests/test_real_model_cassettes.py --record-mode=rewrite``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from vcr.cassette import Cassette

from briefer.config import Settings
from briefer.models import Article
from briefer.pipeline import brief_article

pytestmark = pytest.mark.usefixtures("env_clean", "fresh_engine_state")

REPLAY_BASE_URL = "http://127.0.0.1:9/v1"  # the discard port: nothing answers a replay that escapes vcrpy
RECORD_BASE_URL = os.environ.get("BRIEFER_RECORD_BASE_URL")  # read at import, before env_clean hides it
SAMPLE = Path(__file__).parent / "data" / "eval_sample.jsonl"


@pytest.mark.vcr
@pytest.mark.default_cassette("smollm2_short_article")
def test_smollm2_briefs_the_seed_through_its_servers_grammar(
    vcr: Cassette, recording: bool, short_article: Article
) -> None:
    if recording and not RECORD_BASE_URL:
        pytest.skip("recording needs the real server: set BRIEFER_RECORD_BASE_URL")
    base_url = RECORD_BASE_URL if recording else REPLAY_BASE_URL
    settings = Settings.from_env(
        env={},
        engine="openai",
        base_url=base_url,
        model="smollm2",
        repair_grounding=False,
        max_repairs=1,
        timeout_s=900,
    )
    result = brief_article(short_article, settings)

    requests = [(r.method, r.path) for r in vcr.requests]
    assert requests[0] == ("GET", "/v1/models"), "the server is asked what it is before anything else"
    chats = [json.loads(r.body) for r in vcr.requests if r.method == "POST"]
    assert chats and all(c["response_format"]["type"] == "json_object" for c in chats)
    assert all(c["response_format"]["schema"]["title"] == "Brief" and "max_tokens" in c for c in chats)
    p = result.provenance
    assert (p.structured_output, p.model, p.cost_usd) == ("json_object", "smollm2", None)
    assert result.grounding.flagged(), "a 135M model invents, and the editor is told"
    if not recording:
        assert vcr.all_played


@pytest.mark.vcr
@pytest.mark.default_cassette("smollm2_long_article")
def test_smollm2_map_reduces_a_long_article_in_a_2048_token_context(vcr: Cassette, recording: bool) -> None:
    """The sample's longest CNN article against llama-cpp-python's default 2,048-token context.

    The whole article does not fit: the server says so (400, "exceed context window of 2048"),
    and briefer answers with chunks that do, notes per chunk and one combine.
    Recorded from a server started with ``--n_ctx 2048``.
    """
    if recording and not RECORD_BASE_URL:
        pytest.skip("recording needs the real server: set BRIEFER_RECORD_BASE_URL")
    rows = [json.loads(line) for line in SAMPLE.read_text().splitlines()]
    longest = max(rows, key=lambda row: len(row["text"]))
    settings = Settings.from_env(
        env={},
        engine="openai",
        base_url=RECORD_BASE_URL if recording else REPLAY_BASE_URL,
        model="smollm2",
        repair_grounding=False,
        max_repairs=1,
        timeout_s=900,
    )
    result = brief_article(Article(text=longest["text"], source=longest["id"]), settings)

    chats = [r for r in vcr.requests if r.method == "POST"]
    overflow = [response["status"]["code"] for response in vcr.responses][len(vcr.requests) - len(chats)]
    assert overflow == 400, "the whole article was too long for the server, and it said so"
    bodies = [json.loads(r.body) for r in chats]
    assert {b["response_format"]["schema"]["title"] for b in bodies[1:]} >= {"ChunkNotes", "Brief"}
    p = result.provenance
    assert p.chunks > 1 and p.prompt is not None and p.prompt.startswith("chunk_notes@1+")
    assert p.usage.requests == len(chats) - 1, "every answered request is counted"
    if not recording:
        assert vcr.all_played


@pytest.mark.vcr
@pytest.mark.default_cassette("smollm2_hybrid_short_article")
def test_smollm2_writes_the_hybrid_draft_from_evidence_in_a_2048_token_context(
    vcr: Cassette, recording: bool, short_article: Article
) -> None:
    """The hybrid engine on the seed: one json_object request for a Draft over the numbered evidence.

    Recorded from a server started with ``--n_ctx 2048``. Whatever the model's draft, the quotes,
    dateline and sources are extraction's, and any field grounding rejects is named in provenance.
    """
    if recording and not RECORD_BASE_URL:
        pytest.skip("recording needs the real server: set BRIEFER_RECORD_BASE_URL")
    settings = Settings.from_env(
        env={},
        engine="hybrid",
        base_url=RECORD_BASE_URL if recording else REPLAY_BASE_URL,
        model="smollm2",
        max_repairs=1,
        timeout_s=900,
    )
    result = brief_article(short_article, settings)

    chats = [json.loads(r.body) for r in vcr.requests if r.method == "POST"]
    assert chats and all(c["response_format"]["schema"]["title"] == "Draft" for c in chats)
    p = result.provenance
    assert (p.engine, p.prompt, p.structured_output, p.chunks) == ("hybrid", "hybrid@1", "json_object", 1)
    assert p.usage.prompt_tokens + p.usage.completion_tokens <= 2048 * p.usage.requests
    assert all(q.supported for q in result.grounding.quotes), "the quotes are extraction's, verbatim"
    assert len(p.extracted) == len(set(p.extracted)) and all(
        w.split(":")[0] in p.extracted for w in p.warnings
    )
    if not recording:
        assert vcr.all_played
