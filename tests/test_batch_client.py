"""OpenAI's files and batches through the SDK (briefer/batch/client.py): lines, limits, errors."""

import json
from types import SimpleNamespace

import pytest

import briefer.batch.client as batch_client
from briefer.batch.client import BatchClient, batch_failure, request_line, within_limits
from briefer.config import Settings
from briefer.engines.llm.exchange import ChatAnswer, ChatRequest, ContextOverflow, Message, ModeRejected
from briefer.engines.llm.openai import OpenAITransport
from briefer.errors import EngineError
from briefer.models import Brief

REQUEST = ChatRequest(messages=(Message("user", "brief this"),), output=Brief, mode="json_schema")


@pytest.fixture
def client(env_clean) -> BatchClient:
    settings = Settings.from_env(env={}, engine="openai", server="openai", api_key="sk-test")
    return BatchClient(OpenAITransport(settings))


def test_a_request_line_carries_the_live_body_and_folds_in_a_servers_own_fields() -> None:
    line = json.loads(request_line("a#0", {"model": "m", "extra_body": {"guided_json": {}}}))
    assert line == {
        "custom_id": "a#0",
        "method": "POST",
        "url": "/v1/chat/completions",
        "body": {"model": "m", "guided_json": {}},
    }


def test_files_stay_within_the_request_size_and_token_limits(monkeypatch) -> None:
    monkeypatch.setattr(batch_client, "REQUESTS_PER_FILE", 3)
    monkeypatch.setattr(batch_client, "BYTES_PER_FILE", 100)
    lines = [SimpleNamespace(line=b"x" * 30, tokens=10) for _ in range(7)]
    assert [len(g) for g in within_limits(lines, tokens=1000)] == [3, 3, 1]
    wide = [SimpleNamespace(line=b"x" * 60, tokens=10) for _ in range(3)]
    assert [len(g) for g in within_limits(wide, tokens=1000)] == [1, 1, 1]
    heavy = [SimpleNamespace(line=b"x", tokens=400) for _ in range(3)]
    assert [len(g) for g in within_limits(heavy, tokens=1000)] == [2, 1]


def _line(status: int, body: dict) -> dict:
    return {
        "id": "batch_req_1",
        "custom_id": "a#0",
        "response": {"status_code": status, "body": body},
        "error": None,
    }


def _error(message: str, code: str | None = None, param: str | None = None) -> dict:
    return {"error": {"message": message, "type": "invalid_request_error", "param": param, "code": code}}


def test_each_answer_in_a_batch_means_what_it_would_mean_live(client: BatchClient) -> None:
    completion = {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1,
        "model": "gpt-4o-mini",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "{}", "refusal": None},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 7, "completion_tokens": 2, "total_tokens": 9},
    }
    answer = client.outcome(_line(200, completion), REQUEST)
    assert isinstance(answer, ChatAnswer) and answer.usage.prompt_tokens == 7
    mode = _error("'response_format' of type 'json_schema' is not supported", param="response_format")
    assert isinstance(client.outcome(_line(400, mode), REQUEST), ModeRejected)
    overflow = _error("This model's maximum context length is 8192 tokens.", code="context_length_exceeded")
    assert client.outcome(_line(400, overflow), REQUEST).window == 8192
    assert isinstance(client.outcome(_line(400, overflow), REQUEST), ContextOverflow)
    denied = client.outcome(
        _line(401, _error("Incorrect API key provided.", code="invalid_api_key")), REQUEST
    )
    assert isinstance(denied, EngineError) and denied.fatal and "authentication failed (401)" in str(denied)
    failing = client.outcome(_line(500, _error("The server had an error.")), REQUEST)
    assert isinstance(failing, EngineError) and failing.retryable and not failing.fatal


def test_a_request_the_batch_never_ran_says_so_and_how_to_retry(client: BatchClient) -> None:
    line = {
        "custom_id": "a#0",
        "response": None,
        "error": {"code": "batch_expired", "message": "Not executed."},
    }
    outcome = client.outcome(line, REQUEST)
    assert (
        isinstance(outcome, EngineError)
        and "batch_expired" in str(outcome)
        and "--retry-failed" in str(outcome)
    )


def test_a_whole_batch_that_ended_without_answers_is_one_line() -> None:
    error = SimpleNamespace(code="token_limit_exceeded", message="Enqueued token limit reached.", line=None)
    failed = SimpleNamespace(id="batch_1", status="failed", errors=SimpleNamespace(data=[error]))
    assert str(batch_failure(failed)) == (
        "OpenAI refused batch batch_1 (token_limit_exceeded: Enqueued token limit reached.)"
    )
    expired = batch_failure(SimpleNamespace(id="batch_2", status="expired", errors=None))
    assert expired.retryable and "expired before the model answered" in str(expired)
