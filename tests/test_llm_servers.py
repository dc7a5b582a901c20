"""Each kind of OpenAI-compatible server is told apart and asked for JSON its own way."""

from __future__ import annotations

import pytest

from briefer.config import is_local
from briefer.engines.llm.servers import GRAMMAR_MAX_ITEMS, SERVERS, answer_timeout_s, identify
from briefer.models import MAX_TAKEAWAY_CHARS, Brief


@pytest.mark.parametrize(
    ("owned_by", "kind"),
    [
        ("me", "llama-cpp-python"),  # what llama_cpp.server hard-codes
        ("llamacpp", "llama.cpp"),
        ("vllm", "vllm"),
        ("library", "ollama"),
        ("organization_owner", "lmstudio"),
        ("system", "openai"),
        ("someone-else", "generic"),
    ],
)
def test_the_server_kind_comes_from_get_models(owned_by: str, kind: str) -> None:
    models = {"object": "list", "data": [{"id": "m", "object": "model", "owned_by": owned_by}]}
    assert identify(models, "m").server.name == kind


def test_context_windows_the_servers_report() -> None:
    vllm = {
        "data": [{"id": "other", "owned_by": "vllm"}, {"id": "m", "owned_by": "vllm", "max_model_len": 32768}]
    }
    assert identify(vllm, "m").context_window == 32768
    props = {"default_generation_settings": {"n_ctx": 2048}}
    llama = identify({"data": [{"id": "m", "owned_by": "llamacpp"}]}, "m", props)
    assert (llama.server.name, llama.context_window) == ("llama.cpp", 2048)
    assert identify(None, "m").server.name == "generic", "no /models page: ask like OpenAI, fall back"


def test_llama_cpp_python_gets_json_object_with_a_bounded_schema() -> None:
    server = SERVERS["llama-cpp-python"]
    assert "json_schema" not in server.modes
    fmt = server.arguments(Brief, "json_object")["response_format"]
    assert fmt["type"] == "json_object"
    schema = fmt["schema"]
    takeaways = schema["properties"]["key_takeaways"]
    assert (takeaways["maxItems"], takeaways["items"]["maxLength"]) == (7, MAX_TAKEAWAY_CHARS)
    assert schema["properties"]["entities"]["maxItems"] == GRAMMAR_MAX_ITEMS
    assert "maxLength" not in schema["$defs"]["Entity"]["properties"]["kind"], "enums stay enums"


def test_vllm_gets_guided_json_and_openai_a_strict_schema() -> None:
    vllm = SERVERS["vllm"].arguments(Brief, "json_object")
    assert vllm["extra_body"]["guided_json"]["title"] == "Brief"
    strict = SERVERS["openai"].arguments(Brief, "json_schema")["response_format"]["json_schema"]
    assert strict["strict"] and strict["schema"]["additionalProperties"] is False
    assert SERVERS["openai"].answer_bound == "max_completion_tokens"
    assert SERVERS["lmstudio"].modes == ("json_schema", "text")
    assert SERVERS["generic"].arguments(Brief, "text") == {}


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://localhost:8080/v1", True),
        ("http://127.0.0.1:11434/v1", True),
        ("http://192.168.1.20:8000/v1", True),
        ("http://gpu-box.local:8000/v1", True),
        ("https://api.openai.com/v1", False),
        ("https://openrouter.ai/api/v1", False),
        (None, False),
    ],
)
def test_a_local_server_is_one_on_this_machine_or_network(url: str | None, local: bool) -> None:
    assert is_local(url) is local


@pytest.mark.parametrize(
    ("timeout_s", "base_url", "expected"),
    [
        (None, None, 120.0),
        (None, "https://api.example.com/v1", 120.0),
        (None, "http://127.0.0.1:8080/v1", 600.0),
        (None, "http://192.168.1.20:11434/v1", 600.0),
        (30.0, "http://127.0.0.1:8080/v1", 30.0),
    ],
    ids=["openai", "hosted", "loopback", "lan", "the-users-choice"],
)
def test_a_local_model_gets_longer_to_answer_unless_told_otherwise(timeout_s, base_url, expected) -> None:
    assert answer_timeout_s(timeout_s, base_url) == expected
