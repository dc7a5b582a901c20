"""What each kind of OpenAI-compatible server wants, and how to tell which one is answering.

Servers that speak the chat-completions API differ where it matters to briefer: how output is
constrained to a schema, which field bounds the answer, what they say about their context.
Each kind is one ``Server`` entry here, so a quirk lives in one place:

========================  ===========================================================  ===================
server                    structured output (ladder, best first)                       answer bound
========================  ===========================================================  ===================
openai (api.openai.com)   json_schema (strict) → json_object → text                    max_completion_tokens
llama-cpp-python          json_object + ``schema`` (a grammar) → text; rejects          max_tokens
                          json_schema with HTTP 500
llama.cpp llama-server    json_schema → json_object + ``schema`` → text                  max_tokens
vLLM                      json_schema → json_object + ``guided_json`` → text             max_tokens
Ollama                    json_schema (Ollama turns it into ``format``) → json_object    max_tokens
LM Studio                 json_schema → text (no json_object)                           max_tokens
generic                   json_schema → json_object → text                              max_tokens
========================  ===========================================================  ===================

Grammars built from a schema (llama.cpp, vLLM's guided_json) get every list and string bounded
(``_bounded``), so a small model cannot run on inside valid JSON. The kind is named with ``--server`` or identified once per base URL from ``GET /models``
(``owned_by``), and for llama.cpp from ``/props``, which also give the real context window
(vLLM's ``max_model_len``, llama.cpp's ``n_ctx``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel

from briefer.choices import ServerName
from briefer.config import is_local
from briefer.engines.llm.exchange import Mode
from briefer.models import MAX_TAKEAWAY_CHARS


@dataclass(frozen=True)
class Server:
    """One kind of server: its ladder, how each mode is asked for, how answers are bounded."""

    name: ServerName
    modes: tuple[Mode, ...]
    answer_bound: Literal["max_completion_tokens", "max_tokens"] = "max_tokens"
    json_object_schema: Literal["response_format", "guided_json", "none"] = "none"

    def arguments(self, output: type[BaseModel], mode: Mode) -> dict[str, Any]:
        """The request fields that ask for ``mode`` on this server (none for plain text)."""
        if mode == "json_schema":
            return {"response_format": _strict_schema_format(output)}
        if mode == "json_object":
            schema = _schema(output)
            if self.json_object_schema == "response_format":
                return {"response_format": {"type": "json_object", "schema": schema}}
            if self.json_object_schema == "guided_json":
                return {"response_format": {"type": "json_object"}, "extra_body": {"guided_json": schema}}
            return {"response_format": {"type": "json_object"}}
        return {}


SERVERS: dict[str, Server] = {
    "openai": Server("openai", ("json_schema", "json_object", "text"), answer_bound="max_completion_tokens"),
    "llama-cpp-python": Server(
        "llama-cpp-python", ("json_object", "text"), json_object_schema="response_format"
    ),
    "llama.cpp": Server(
        "llama.cpp", ("json_schema", "json_object", "text"), json_object_schema="response_format"
    ),
    "vllm": Server("vllm", ("json_schema", "json_object", "text"), json_object_schema="guided_json"),
    "ollama": Server("ollama", ("json_schema", "json_object", "text")),
    "lmstudio": Server("lmstudio", ("json_schema", "text")),
    "generic": Server("generic", ("json_schema", "json_object", "text")),
}

# GET /models ``owned_by`` values that give a server away.
_OWNERS = {
    "me": "llama-cpp-python",  # hard-coded by llama_cpp.server
    "llamacpp": "llama.cpp",
    "vllm": "vllm",
    "library": "ollama",
    "organization_owner": "lmstudio",
    "system": "openai",
    "openai": "openai",
    "openai-internal": "openai",
}


@dataclass(frozen=True)
class Identity:
    """What a server said about itself."""

    server: Server
    context_window: int | None = None
    answered: bool = True  # False: GET /models got no answer, the kind is a guess


def identify(models: Any, model: str, props: Any = None) -> Identity:
    """The server kind and context window from ``GET /models`` (and llama.cpp's ``/props``) bodies;
    ``models`` None: the server did not answer, and the kind is a guess."""
    entries = models.get("data", []) if isinstance(models, dict) else []
    entries = [e for e in entries if isinstance(e, dict)]
    ours = next((e for e in entries if e.get("id") == model), entries[0] if entries else {})
    name = _OWNERS.get(str(ours.get("owned_by", "")), "generic")
    window = ours.get("max_model_len")  # vLLM
    if isinstance(props, dict):
        settings = props.get("default_generation_settings")
        n_ctx = settings.get("n_ctx") if isinstance(settings, dict) else None
        if isinstance(n_ctx, int):
            name, window = "llama.cpp", n_ctx
    return Identity(
        SERVERS[name], window if isinstance(window, int) and window > 0 else None, answered=models is not None
    )


HOSTED_TIMEOUT_S = 120.0  # an API answers in seconds; two minutes means something is wrong
LOCAL_TIMEOUT_S = 600.0  # a 1.5B model on two CPU cores needs 110-170 s for one brief


def answer_timeout_s(timeout_s: float | None, base_url: str | None) -> float:
    """The user's --timeout, else what fits the server: a CPU-bound local model is slow, not failing."""
    if timeout_s is not None:
        return timeout_s
    return LOCAL_TIMEOUT_S if is_local(base_url) else HOSTED_TIMEOUT_S


# Bounds a grammar needs and the model's schema leaves open: without them a small model,
# constrained to valid JSON, can add list items and characters until the answer's limit, or
# answer with empty strings.
GRAMMAR_MAX_ITEMS = 6
GRAMMAR_MAX_CHARS = 300
GRAMMAR_MAX_CHARS_BY_FIELD = {
    "summary": 900,
    "key_takeaways": MAX_TAKEAWAY_CHARS,
    "facts": MAX_TAKEAWAY_CHARS,
}


@cache  # building a schema costs about a millisecond; a batch sends thousands of requests
def _schema(output: type[BaseModel]) -> dict[str, Any]:
    """The schema a server turns into a grammar: the model's own, with every list and string bounded."""
    bounded: dict[str, Any] = _bounded(output.model_json_schema(), GRAMMAR_MAX_CHARS)
    return bounded


def _bounded(node: Any, max_chars: int) -> Any:
    if isinstance(node, list):
        return [_bounded(item, max_chars) for item in node]
    if not isinstance(node, dict):
        return node
    bounded: dict[str, Any] = {}
    for key, value in node.items():
        if key == "properties" and isinstance(value, dict):
            bounded[key] = {
                name: _bounded(field, GRAMMAR_MAX_CHARS_BY_FIELD.get(name, GRAMMAR_MAX_CHARS))
                for name, field in value.items()
            }
        else:
            bounded[key] = _bounded(value, max_chars)
    if bounded.get("type") == "array":
        bounded.setdefault("maxItems", GRAMMAR_MAX_ITEMS)
    if bounded.get("type") == "string" and "enum" not in bounded:
        bounded.setdefault("minLength", 1)  # an empty takeaway or name is never an answer
        bounded.setdefault("maxLength", max_chars)
    return bounded


@cache
def _strict_schema_format(output: type[BaseModel]) -> dict[str, Any]:
    from openai.lib._pydantic import to_strict_json_schema

    return {
        "type": "json_schema",
        "json_schema": {"name": output.__name__, "strict": True, "schema": to_strict_json_schema(output)},
    }
