"""Our LLM test traffic must be OpenAI's wire format, checked against OpenAI's own schemas.

Hand-written fakes forget fields real responses carry (``object``, ``created``,
``logprobs: null``, ``usage`` ...), and then tests pass against something no server sends. So
every request and response in ``cassettes/`` and every answer of the local test server is
validated against ``CreateChatCompletionRequest`` / ``CreateChatCompletionResponse`` /
``ErrorResponse`` from ``tests/openai_spec/``, and cassettes are checked for secrets.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import CASSETTES, SECRET_REQUEST_HEADERS, SECRET_RESPONSE_HEADERS
from openai_spec import problems
from support.openai_server import (
    OpenAIServer,
    Turn,
    length,
    ok,
    refusal,
    reject_json_schema,
    slow,
    status,
)

from briefer.models import Brief, ChunkNotes

CASSETTE_FILES = sorted(CASSETTES.glob("*.yaml"))
# Recorded from real servers that are not api.openai.com: where they depart from OpenAI's spec,
# exactly, so that briefer is known to cope with it and any new departure fails here.
NO_REFUSAL = "response 200: choices/0/message: 'refusal' is a required property"
REAL_SERVER_DEPARTURES = {
    # llama-cpp-python 0.3.36 sends no `refusal` in its messages (briefer reads a missing one as none).
    "smollm2_short_article": [f"#0 {NO_REFUSAL}"],
    # #0 is the server's 400 for the whole article (a valid error body); every answer after lacks `refusal`.
    "smollm2_long_article": [f"#{n} {NO_REFUSAL}" for n in range(1, 10)],
    "smollm2_hybrid_short_article": [f"#0 {NO_REFUSAL}"],  # the same server, the hybrid's one request
}
API_KEY = re.compile(r"\bsk-[A-Za-z0-9_-]{4,}")


def _interactions(path: Path) -> list[dict[str, Any]]:
    return (yaml.safe_load(path.read_text()) or {}).get("interactions", [])


def _body_text(body: Any) -> str:
    """A vcrpy body (str, bytes, or ``{"string": ...}``) as text."""
    if isinstance(body, dict):
        body = body.get("string", "")
    if isinstance(body, bytes):
        return body.decode("utf-8")
    return body or ""


@pytest.mark.parametrize("cassette", CASSETTE_FILES, ids=lambda p: p.stem)
def test_cassette_traffic_follows_the_openai_spec(cassette: Path) -> None:
    """Requests, answers and errors, each against its schema, with the content-type OpenAI sends."""
    found: list[str] = []
    chat = [
        i for i in _interactions(cassette) if i["request"]["uri"].split("?")[0].endswith("/chat/completions")
    ]
    assert chat, f"{cassette.name} holds no chat-completions traffic"
    for n, interaction in enumerate(chat):
        request, response = interaction["request"], interaction["response"]
        found += [
            f"#{n} request: {p}"
            for p in problems("CreateChatCompletionRequest", json.loads(_body_text(request["body"])))
        ]
        code = response["status"]["code"]
        schema = "CreateChatCompletionResponse" if code == 200 else "ErrorResponse"
        found += [
            f"#{n} response {code}: {p}" for p in problems(schema, json.loads(_body_text(response["body"])))
        ]
        content_type = {k.lower(): v for k, v in response["headers"].items()}.get("content-type", [""])
        assert content_type[0].startswith("application/json"), (
            f"{cassette.name}#{n}: content-type {content_type}"
        )
    assert found == REAL_SERVER_DEPARTURES.get(cassette.stem, []), "\n".join(found)


BATCH_CASSETTES = [p for p in CASSETTE_FILES if p.stem.startswith("batch_")]


def _set(document: dict[str, Any]) -> dict[str, Any]:
    """A batch or file object without its unset fields: OpenAI sends them as null (its own examples
    do), where its schema types them without null."""
    return {key: value for key, value in document.items() if value is not None}


def _jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


@pytest.mark.parametrize("cassette", BATCH_CASSETTES, ids=lambda p: p.stem)
def test_batch_cassette_traffic_follows_the_openai_spec(cassette: Path) -> None:
    """Files and batches against their schemas; every JSONL line's request and answer against chat completions'."""
    found: list[str] = []
    for n, interaction in enumerate(_interactions(cassette)):
        request, response = interaction["request"], interaction["response"]
        path, method = request["uri"].split("?")[0], request["method"]
        sent, answer = _body_text(request["body"]), _body_text(response["body"])
        if path.endswith("/files") and method == "POST":
            found += [f"#{n} file: {p}" for p in problems("OpenAIFile", _set(json.loads(answer)))]
            for line in _jsonl(sent):  # the multipart upload's JSONL part
                assert (line["method"], line["url"]) == ("POST", "/v1/chat/completions")
                found += [
                    f"#{n} {line['custom_id']}: {p}"
                    for p in problems("CreateChatCompletionRequest", line["body"])
                ]
        elif path.endswith("/content"):
            for line in _jsonl(answer):
                reply = line["response"]
                if reply is None:
                    assert set(line["error"]) == {"code", "message"}, line
                    continue
                schema = "CreateChatCompletionResponse" if reply["status_code"] == 200 else "ErrorResponse"
                found += [f"#{n} {line['custom_id']}: {p}" for p in problems(schema, reply["body"])]
        elif "/batches" in path:
            if method == "POST" and path.endswith("/batches"):
                found += [f"#{n} request: {p}" for p in problems("CreateBatchRequest", json.loads(sent))]
            found += [f"#{n} batch: {p}" for p in problems("Batch", _set(json.loads(answer)))]
    assert found == []


@pytest.mark.parametrize("cassette", CASSETTE_FILES, ids=lambda p: p.stem)
def test_cassettes_hold_no_secrets(cassette: Path) -> None:
    """No key, Authorization header, account header or cookie may ever be committed."""
    text = cassette.read_text()
    assert not API_KEY.search(text), f"{cassette.name} contains something shaped like an API key"
    for n, interaction in enumerate(_interactions(cassette)):
        sent = {name.lower() for name in interaction["request"]["headers"]}
        received = {name.lower() for name in interaction["response"]["headers"]}
        assert not sent & set(SECRET_REQUEST_HEADERS), (
            f"{cassette.name}#{n} request keeps {sent & set(SECRET_REQUEST_HEADERS)}"
        )
        assert not received & SECRET_RESPONSE_HEADERS, (
            f"{cassette.name}#{n} response keeps {received & SECRET_RESPONSE_HEADERS}"
        )


# ---------------------------------------------------------------------------------------------
# The local server must be as honest as the cassettes

ARTICLE = (
    "Islamabad, Oct 29 (NationPress) - Pakistan's Defence Minister Khawaja Asif warned the Afghan Taliban on Wednesday.\n"
    'He said Pakistan could act "at their own peril and doom", Geo News reported.\n'
    "Talks in Istanbul ended without agreement, officials said."
)


def _chat_request(user: str, response_format: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model": "gpt-4o-mini",
        "messages": [{"role": "system", "content": "You write briefs."}, {"role": "user", "content": user}],
        "temperature": 0,
    }
    if response_format:
        body["response_format"] = response_format
    return body


def _post(
    server: OpenAIServer, body: dict[str, Any], path: str = "/chat/completions"
) -> tuple[int, dict[str, str], Any]:
    """Status, headers and JSON body of one raw POST (no SDK: we check the bytes the server writes)."""
    request = urllib.request.Request(
        server.base_url + path, data=json.dumps(body).encode(), headers={"content-type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, json.load(error)


BRIEF_SCHEMA = {
    "type": "json_schema",
    "json_schema": {"name": "Brief", "strict": True, "schema": {"type": "object"}},
}
TURNS: dict[str, tuple[Turn, dict[str, Any] | None, int]] = {
    "author": (ok(), BRIEF_SCHEMA, 200),
    "ok-content": (ok('{"not": "a brief"}'), None, 200),
    "refusal": (refusal(), BRIEF_SCHEMA, 200),
    "length": (length(), BRIEF_SCHEMA, 200),
    "reject-json-schema": (reject_json_schema(), BRIEF_SCHEMA, 400),
    "reject-json-schema-json-object": (reject_json_schema(), {"type": "json_object"}, 200),
    "401": (status(401), None, 401),
    "404-model": (status(404, code="model_not_found"), None, 404),
    "429-rate": (status(429, retry_after=0.001), None, 429),
    "429-quota": (status(429, code="insufficient_quota"), None, 429),
    "500": (status(500), None, 500),
    "503": (status(503), None, 503),
    "slow": (slow(0.01), None, 200),
}


@pytest.mark.parametrize("name", list(TURNS))
def test_every_server_turn_speaks_openai_wire_format(openai_server: OpenAIServer, name: str) -> None:
    turn, response_format, expected = TURNS[name]
    openai_server.script(turn)
    code, headers, body = _post(
        openai_server, _chat_request(f"Write the brief.\n\n<article>\n{ARTICLE}\n</article>", response_format)
    )
    assert code == expected
    assert headers["content-type"] == "application/json"
    assert headers["x-request-id"].startswith("req_")
    if code == 200:
        assert problems("CreateChatCompletionResponse", body) == []
        assert body["id"].startswith("chatcmpl-") and body["object"] == "chat.completion"
        assert "x-ratelimit-remaining-requests" in headers and "openai-processing-ms" in headers
    else:
        assert problems("ErrorResponse", body) == []
        assert set(body["error"]) == {"message", "type", "param", "code"}


def test_rate_limit_errors_tell_the_sdk_when_to_retry(openai_server: OpenAIServer) -> None:
    openai_server.script(status(429, retry_after=0.001))
    code, headers, body = _post(openai_server, _chat_request("hi"))
    assert (code, body["error"]["code"], body["error"]["type"]) == (429, "rate_limit_exceeded", "requests")
    assert headers["retry-after-ms"] == "1" and headers["x-ratelimit-remaining-requests"] == "0"


def test_errors_outside_the_script_are_openai_shaped(openai_server: OpenAIServer) -> None:
    """Wrong path and unparsable JSON get OpenAI's own error envelope too."""
    code, _, body = _post(openai_server, {"model": "x"}, path="/completions/nope")
    assert code == 404 and problems("ErrorResponse", body) == []
    request = urllib.request.Request(openai_server.base_url + "/chat/completions", data=b"{not json")
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=5)
    assert raised.value.code == 400 and problems("ErrorResponse", json.load(raised.value)) == []


def test_the_author_answers_each_step_with_valid_json(openai_server: OpenAIServer) -> None:
    """Whole article → Brief, article part → ChunkNotes, notes → Brief: what a diligent model would send."""
    _, _, brief = _post(openai_server, _chat_request(f"<article>\n{ARTICLE}\n</article>", BRIEF_SCHEMA))
    Brief.model_validate_json(brief["choices"][0]["message"]["content"])
    _, _, notes = _post(
        openai_server, _chat_request(f"This is part 1 of 2.\n\n<article_part>\n{ARTICLE}\n</article_part>")
    )
    chunk_notes = ChunkNotes.model_validate_json(notes["choices"][0]["message"]["content"])
    assert chunk_notes.facts
    combined = "\n\n".join(f"Part {i}:\n{chunk_notes.model_dump_json()}" for i in (1, 2))
    _, _, reduced = _post(openai_server, _chat_request(f"<notes>\n{combined}\n</notes>", BRIEF_SCHEMA))
    assert Brief.model_validate_json(reduced["choices"][0]["message"]["content"]).key_takeaways
    assert len(openai_server.completions) == 3


def test_turns_play_in_order_then_the_default(openai_server: OpenAIServer) -> None:
    openai_server.script(status(500, times=2), refusal())
    codes = [_post(openai_server, _chat_request(ARTICLE))[0] for _ in range(4)]
    assert codes == [500, 500, 200, 200]
    assert [r.json["messages"][1]["content"] for r in openai_server.completions] == [ARTICLE] * 4


def test_a_turn_that_breaks_is_an_openai_shaped_500(openai_server: OpenAIServer) -> None:
    """The author cannot brief an empty article; the client gets a server_error, not a dropped connection."""
    code, _, body = _post(openai_server, _chat_request("<article>\n\n</article>"))
    assert code == 500 and problems("ErrorResponse", body) == []
    assert (
        body["error"]["type"] == "server_error" and "test server turn 'ok' failed" in body["error"]["message"]
    )


@pytest.mark.parametrize("ending", ["completed", "failed", "expired", "cancelled"])
def test_every_batch_the_local_server_ends_speaks_openai_wire_format(ending: str) -> None:
    """Files and batches of the local Batch API server, through the SDK, in every way a batch ends."""
    import openai
    from support.openai_batch_server import BatchServer, Ending

    line = {"custom_id": "a#0", "method": "POST", "url": "/v1/chat/completions"}
    line["body"] = _chat_request(f"<article>\n{ARTICLE}\n</article>", BRIEF_SCHEMA)
    scripted = Ending(
        "completed" if ending == "cancelled" else ending, looks=1000 if ending == "cancelled" else 1
    )
    with BatchServer(endings=[scripted]) as server:
        raw = openai.OpenAI(api_key="sk-test", base_url=server.base_url, max_retries=0).with_raw_response
        upload = ("in.jsonl", json.dumps(line).encode(), "application/jsonl")
        objects = [
            raw.files.create(file=upload, purpose="batch").http_response.json()
        ]  # the bytes sent, not the SDK's view
        create = raw.batches.create(
            input_file_id=objects[0]["id"], endpoint="/v1/chat/completions", completion_window="24h"
        )
        objects.append(create.http_response.json())
        if ending == "cancelled":
            objects.append(raw.batches.cancel(objects[1]["id"]).http_response.json())
        while objects[-1]["status"] not in {"completed", "failed", "expired", "cancelled"}:
            objects.append(raw.batches.retrieve(objects[1]["id"]).http_response.json())
        statuses = [o["status"] for o in objects[1:]]
    assert statuses[-1] == ending and statuses[0] == "validating"
    assert problems("OpenAIFile", _set(objects[0])) == []
    assert all(problems("Batch", _set(o)) == [] for o in objects[1:]), [
        problems("Batch", _set(o)) for o in objects[1:]
    ]
