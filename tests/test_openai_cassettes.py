"""briefer's OpenAI engine against recorded HTTP traffic: one cassette per scenario in ``cassettes/``.

Replays (the default, record mode ``none``) point the engine at a dummy base URL that nothing
listens on; vcrpy answers from the cassette, matching method, path and body, so any change
in what briefer sends fails loudly until the cassettes are re-recorded. Recording
(``make record``: ``--record-mode=rewrite``) starts the scripted local server
(``tests/support/openai_server.py``) for each scenario, or, for the short and long articles when
OPENAI_API_KEY is set, uses the real endpoint. cassettes/README.md says how each was made.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any, Protocol

import pytest
from support.openai_server import OpenAIServer, Turn, length, ok, refusal, reject_json_schema, status
from vcr.cassette import Cassette

from briefer.config import Settings
from briefer.engines import make_engine
from briefer.errors import EngineError
from briefer.models import Article, BriefResult
from briefer.pipeline import brief_article

pytestmark = pytest.mark.usefixtures("env_clean", "fast_retries", "fresh_engine_state")

REPLAY_BASE_URL = (
    "http://127.0.0.1:9/v1"  # the discard port: a replay that escapes vcrpy cannot reach anything
)
TEST_KEY = "sk-test"
MODEL = "gpt-4o-mini"
LONG_CHUNK_TOKENS = 4000
# Read at import, before env_clean hides them: only `make record` with a key uses them.
LIVE_KEY = os.environ.get("OPENAI_API_KEY")
LIVE_BASE_URL = os.environ.get("OPENAI_BASE_URL") or "https://api.openai.com/v1"


@dataclass
class Endpoint:
    base_url: str
    api_key: str
    server: OpenAIServer | None  # the local server while recording against it

    def settings(self, **overrides: Any) -> Settings:
        # ``server="openai"``: these scenarios are api.openai.com's behaviour, named rather than asked.
        named = {"engine": "openai", "server": "openai", "model": MODEL, **overrides}
        return Settings.from_env(env={}, base_url=self.base_url, api_key=self.api_key, **named)


class MakeEndpoint(Protocol):
    def __call__(
        self, *turns: Turn, default: Turn | None = None, real_endpoint_ok: bool = False
    ) -> Endpoint: ...


@pytest.fixture
def endpoint(recording: bool) -> Iterator[MakeEndpoint]:
    """Where the engine should send its requests in this run: dummy (replay), local server or real API."""
    with ExitStack() as stack:

        def make(*turns: Turn, default: Turn | None = None, real_endpoint_ok: bool = False) -> Endpoint:
            if not recording:
                return Endpoint(REPLAY_BASE_URL, TEST_KEY, None)
            if real_endpoint_ok and LIVE_KEY:
                return Endpoint(LIVE_BASE_URL, LIVE_KEY, None)
            server = stack.enter_context(OpenAIServer(*turns, default=default))
            return Endpoint(server.base_url, TEST_KEY, server)

        yield make


def sent(cassette: Cassette) -> list[dict[str, Any]]:
    """The JSON bodies briefer sent, in order (on replay: recorded, and matched byte for byte)."""
    return [json.loads(request.body) for request in cassette.requests]


def statuses(cassette: Cassette) -> list[int]:
    return [response["status"]["code"] for response in cassette.responses]


@pytest.mark.vcr
@pytest.mark.default_cassette("short_article")
def test_short_article(endpoint: MakeEndpoint, replayed_fully: Cassette, short_article: Article) -> None:
    """One request with the strict Brief schema; provenance counts it."""
    result = brief_article(short_article, endpoint(real_endpoint_ok=True).settings())
    BriefResult.model_validate(result.model_dump())
    p = result.provenance
    assert (p.engine, p.model, p.chunks, p.structured_output, p.repairs) == (
        "openai",
        MODEL,
        1,
        "json_schema",
        0,
    )
    assert p.usage.requests == 1 and p.usage.prompt_tokens > 0 and p.prompt == "brief@1"
    (body,) = sent(replayed_fully)
    assert (
        body["response_format"]["json_schema"]["name"] == "Brief"
        and body["response_format"]["json_schema"]["strict"]
    )
    assert "<article>" in body["messages"][1]["content"] and "Khawaja Asif" in body["messages"][1]["content"]


@pytest.mark.vcr(record_mode="none")  # replays the cassette just above, never records over it
@pytest.mark.default_cassette("short_article")
def test_short_article_async(replayed_fully: Cassette, short_article: Article) -> None:
    """``arun`` (the batch path, AsyncOpenAI) sends exactly the request ``run`` sends."""
    engine = make_engine(Endpoint(REPLAY_BASE_URL, TEST_KEY, None).settings())
    output = asyncio.run(engine.arun(short_article))
    assert (output.chunks, output.structured_output, output.usage.requests) == (1, "json_schema", 1)


@pytest.mark.vcr
@pytest.mark.default_cassette("hybrid_long_article")
def test_hybrid_long_article_is_one_short_request(
    endpoint: MakeEndpoint, replayed_fully: Cassette, long_article: Article
) -> None:
    """≈10,000 tokens of article, one request of well under 2,048 tokens: no map-reduce."""
    p = brief_article(long_article, endpoint(real_endpoint_ok=True).settings(engine="hybrid")).provenance
    assert (p.chunks, p.usage.requests, p.prompt) == (1, 1, "hybrid@1")
    assert p.usage.prompt_tokens + p.usage.completion_tokens < 2048


@pytest.mark.vcr
@pytest.mark.default_cassette("hybrid_short_article")
def test_hybrid_short_article(
    endpoint: MakeEndpoint, replayed_fully: Cassette, short_article: Article
) -> None:
    """The hybrid engine: one request with the strict Draft schema over numbered evidence, no article."""
    result = brief_article(short_article, endpoint(real_endpoint_ok=True).settings(engine="hybrid"))
    p = result.provenance
    assert (p.engine, p.prompt, p.chunks, p.usage.requests) == ("hybrid", "hybrid@1", 1, 1)
    (body,) = sent(replayed_fully)
    assert p.structured_output == "json_schema" and body["response_format"]["json_schema"]["name"] == "Draft"
    user = body["messages"][1]["content"]
    assert "<evidence>" in user and "<article>" not in user and "[1] (sentence 1 of" in user
    assert result.brief.quotes and result.grounding.ok


@pytest.mark.vcr
@pytest.mark.default_cassette("long_article_map_reduce")
def test_long_article_map_reduce(
    endpoint: MakeEndpoint, replayed_fully: Cassette, long_article: Article
) -> None:
    """≈10,000 tokens over a 4,000-token budget: notes per chunk (ChunkNotes), then one combine request."""
    # The repair round has its own scenario below; here the map-reduce requests alone are pinned.
    settings = endpoint(real_endpoint_ok=True).settings(
        max_chunk_tokens=LONG_CHUNK_TOKENS, repair_grounding=False
    )
    result = brief_article(long_article, settings)
    p = result.provenance
    assert p.chunks > 1 and p.usage.requests == p.chunks + 1
    assert p.prompt == "chunk_notes@1+combine@1"
    names = [body["response_format"]["json_schema"]["name"] for body in sent(replayed_fully)]
    assert names == ["ChunkNotes"] * p.chunks + ["Brief"]
    assert "<notes>" in sent(replayed_fully)[-1]["messages"][1]["content"]


@pytest.mark.vcr
@pytest.mark.default_cassette("json_schema_rejected")
def test_json_schema_rejected_falls_back_to_json_object(
    endpoint: MakeEndpoint, replayed_fully: Cassette, short_article: Article
) -> None:
    """A server without structured outputs: 400 naming response_format, then json_object with the schema in the prompt."""
    result = brief_article(short_article, endpoint(default=reject_json_schema()).settings())
    assert result.provenance.structured_output == "json_object"
    assert statuses(replayed_fully) == [400, 200]
    first, second = sent(replayed_fully)
    assert first["response_format"]["type"] == "json_schema" and second["response_format"] == {
        "type": "json_object"
    }
    assert "The JSON object has exactly these fields" in second["messages"][0]["content"]


INVALID_BRIEF = json.dumps(
    {
        "headline": "Pakistan warns the Afghan Taliban",
        "dateline": {"place": "Islamabad", "date": "Oct 29", "outlet": "NationPress"},
        "summary": "Pakistan's Defence Minister Khawaja Asif warned the Afghan Taliban.",
        "key_takeaways": [],
        "entities": [],
        "quotes": [],
        "sources": ["Geo News"],
        "what_to_watch": [],
        "topics": ["pakistan"],
    }
)


@pytest.mark.vcr
@pytest.mark.default_cassette("invalid_answer_repaired")
def test_invalid_answer_is_repaired(
    endpoint: MakeEndpoint, replayed_fully: Cassette, short_article: Article
) -> None:
    """A first answer with no key takeaways is sent back with pydantic's error; the second answer passes.

    The repair is one system and one user message: the answer and its error, and (takeaways must be
    written from the article) the task with its article, not the whole conversation again.
    """
    result = brief_article(short_article, endpoint(ok(INVALID_BRIEF)).settings())
    assert result.provenance.repairs == 1 and result.provenance.usage.requests == 2
    first, second = sent(replayed_fully)
    assert [m["role"] for m in second["messages"]] == ["system", "user"]
    feedback = second["messages"][1]["content"]
    assert "key_takeaways" in feedback and "List should have at least 1 item" in feedback
    assert f"<answer>\n{INVALID_BRIEF}\n</answer>" in feedback
    assert feedback.endswith(first["messages"][1]["content"]), "the task and its article, once"
    assert first["messages"][0]["content"] not in second["messages"][0]["content"]


@pytest.mark.vcr
@pytest.mark.default_cassette("refusal")
def test_refusal_is_a_clear_engine_error(
    endpoint: MakeEndpoint, replayed_fully: Cassette, short_article: Article
) -> None:
    with pytest.raises(EngineError, match=r"refused .*I'm sorry, but I can't assist with that request"):
        brief_article(short_article, endpoint(refusal()).settings())
    assert len(replayed_fully.requests) == 1  # a refusal is final: no retry, no repair


@pytest.mark.vcr
@pytest.mark.default_cassette("length_truncated")
def test_length_truncation_is_a_clear_engine_error(
    endpoint: MakeEndpoint, replayed_fully: Cassette, short_article: Article
) -> None:
    """Cut off at the bound inside the headline (nothing to keep): asked once more with twice the bound,
    then one clear error."""
    with pytest.raises(EngineError, match=r"cut off at \d+ tokens \(finish_reason=length\)") as caught:
        brief_article(short_article, endpoint(length(times=2, keep=0.02)).settings())
    first, second = sent(replayed_fully)
    assert second["max_completion_tokens"] == 2 * first["max_completion_tokens"]
    assert first["messages"] == second["messages"], "not 'repaired' into more truncation"
    assert caught.value.raw_answer, "what the model wrote is kept"


@pytest.mark.vcr
@pytest.mark.default_cassette("rate_limited_then_ok")
def test_rate_limit_then_success_is_retried_by_briefers_limits(
    endpoint: MakeEndpoint, replayed_fully: Cassette, short_article: Article
) -> None:
    """429 with retry-after-ms, then 200: briefer.engines.llm.limits (not the SDK) sends the same body again."""
    result = brief_article(short_article, endpoint(status(429, retry_after=0.001)).settings())
    assert result.provenance.usage.requests == 1
    assert statuses(replayed_fully) == [429, 200]
    first, second = replayed_fully.requests
    assert first.body == second.body
    assert second.headers["x-stainless-retry-count"] == "0"  # the SDK's own retries are off


@pytest.mark.vcr
@pytest.mark.default_cassette("server_error_retries_exhausted")
def test_server_error_after_retries_is_a_clear_engine_error(
    endpoint: MakeEndpoint, replayed_fully: Cassette, short_article: Article
) -> None:
    """500 on every attempt: 1 + max_retries tries, then one EngineError naming the failure."""
    with pytest.raises(EngineError, match=r"server failed \(500\).*gave up after 2 retries"):
        brief_article(short_article, endpoint(default=status(500)).settings(max_retries=2))
    assert statuses(replayed_fully) == [500, 500, 500]


# A brief of the seed as a careless model might write it: an invented number in a takeaway and a
# word changed inside a quote. The fixed brief is what the repair round should give back.
_CARELESS = {
    "headline": "Pakistan warns the Afghan Taliban",
    "dateline": {"place": "Islamabad", "date": "Oct 29", "outlet": "NationPress"},
    "summary": "Pakistan's Defence Minister Khawaja Asif warned the Afghan Taliban after talks in Istanbul failed.",
    "key_takeaways": [
        "Khawaja Asif warned the Afghan Taliban they would test Pakistan's resolve at their own peril.",
        "Pakistan has moved 90,000 troops to the Afghan border.",
        "The three-day negotiations between Pakistan and Afghanistan in Istanbul failed.",
    ],
    "entities": [{"name": "Khawaja Asif", "kind": "person", "role": "Pakistan's Defence Minister"}],
    "quotes": [
        {
            "speaker": "Khawaja Asif",
            "text": "We have endured your betrayal and mockery for too long, but that ends now.",
        }
    ],
    "sources": ["Geo News"],
    "what_to_watch": [],
    "topics": ["pakistan", "afghanistan"],
}
_FIXED = _CARELESS | {
    "key_takeaways": [_CARELESS["key_takeaways"][0], _CARELESS["key_takeaways"][2]],
    "quotes": [
        {
            "speaker": "Khawaja Asif",
            "text": "We have endured your treachery and mockery for too long, but that ends now.",
        }
    ],
}


@pytest.mark.vcr
@pytest.mark.default_cassette("grounding_repaired")
def test_unsupported_items_get_one_repair_round(
    endpoint: MakeEndpoint, replayed_fully: Cassette, short_article: Article
) -> None:
    """Grounding flags an invented number and a changed quote; the model gets them back with evidence."""
    turns = (ok(json.dumps(_CARELESS)), ok(json.dumps(_FIXED)))
    result = brief_article(short_article, endpoint(*turns).settings())
    p = result.provenance
    assert (p.grounding_repairs, p.usage.requests, p.prompt) == (1, 2, "brief@1+repair@1")
    assert result.grounding is not None and result.grounding.ok
    assert result.brief.quotes[0].text.startswith("We have endured your treachery")
    repair = sent(replayed_fully)[1]["messages"]
    assert repair[0]["content"].startswith("You are a careful news editor correcting a brief")
    request = repair[1]["content"]
    assert "<problems>" in request and "90,000" in request and "betrayal" in request
    assert "<evidence>" in request and "We have endured your treachery and mockery" in request
