"""The LLM engine: any OpenAI-compatible chat-completions server through the official SDK.

- Structured outputs with the pydantic model as a strict JSON schema; for servers that reject
  ``json_schema`` a fallback ladder (``json_object`` with the schema in the prompt, then plain
  text with JSON extraction). What worked is remembered per base URL for the rest of the run.
- Answers that fail validation are sent back with the pydantic errors, ``max_repairs`` times.
- Refusals, truncation, empty answers and every HTTP failure end in one ``EngineError`` line
  that names the cause and what to do. The SDK's own retries stay on for 429/5xx/timeouts.
- Articles longer than the chunk budget are summarised map-reduce: notes per chunk, then one
  Brief from the notes.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from briefer.chunking import chunk_text
from briefer.config import Settings
from briefer.engines import EngineOutput
from briefer.errors import ConfigError, EngineError
from briefer.models import Article, Brief, ChunkNotes, Usage
from briefer.prompts import Prompt, PromptRegistry, fence
from briefer.tokens import count_tokens

if TYPE_CHECKING:
    import openai

ModelT = TypeVar("ModelT", bound=BaseModel)
ResultT = TypeVar("ResultT")
# The engine's logic is written once, free of I/O, as a generator: it yields each request
# (chat.completions.create keyword arguments) and is sent back the completion. ``run`` and
# ``arun`` drive it with the sync and the async client.
_Steps = Generator[dict[str, Any], Any, ResultT]
Send = Callable[..., Awaitable[Any]]

MODES = ("json_schema", "json_object", "text")
# Base URL -> the structured-output mode that worked there, for the rest of the process.
_WORKING_MODE: dict[tuple[str, str], str] = {}  # (base URL, model) -> mode

# Context windows (tokens) by model-name prefix, longest prefix first; unknown models get a
# small window, the safe guess for local servers (llama.cpp, Ollama default to 4k-8k).
_CONTEXT_WINDOWS = [
    ("gpt-4.1", 1_000_000),
    ("gpt-5", 400_000),
    ("gpt-4o", 128_000),
    ("gpt-4-turbo", 128_000),
    ("o1", 200_000),
    ("o3", 200_000),
    ("o4", 200_000),
    ("gpt-3.5", 16_000),
    ("gpt-4", 8_000),
]
_UNKNOWN_CONTEXT = 8_000
_OUTPUT_RESERVE = 4_000  # room for the JSON answer
_PROMPT_RESERVE = 1_500  # system prompt, schema hint, fences
_MAX_DEFAULT_CHUNK = 100_000  # beyond this, quality of a single pass drops; map-reduce instead


def default_chunk_tokens(model: str) -> int:
    """The largest article (in tokens) sent in one request to ``model``."""
    name = model.rsplit("/", 1)[-1].lower()
    window = next((size for prefix, size in _CONTEXT_WINDOWS if name.startswith(prefix)), _UNKNOWN_CONTEXT)
    return min(_MAX_DEFAULT_CHUNK, window - _OUTPUT_RESERVE - _PROMPT_RESERVE)


class _ModeRejected(Exception):
    """The server does not support the requested response_format."""


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def extract_json(content: str) -> str:
    """The JSON object inside a free-text answer: a ```json fence, or the outermost braces."""
    fenced = re.search(r"```(?:json)?\s*(\{.*\})\s*```", content, re.DOTALL)
    if fenced:
        return fenced.group(1)
    start, end = content.find("{"), content.rfind("}")
    return content[start : end + 1] if 0 <= start < end else content


@cache  # building a strict schema costs ~1 ms; a batch sends thousands of requests
def _schema_hint(model: type[BaseModel], mode: str) -> str:
    if mode == "json_schema":
        return ""
    schema = json.dumps(model.model_json_schema(), separators=(",", ":"))
    return f"The JSON object must match this JSON Schema:\n{schema}"


@cache
def _response_format(model: type[BaseModel], mode: str) -> dict[str, Any] | None:
    if mode == "json_schema":
        from openai.lib._pydantic import to_strict_json_schema

        return {
            "type": "json_schema",
            "json_schema": {"name": model.__name__, "strict": True, "schema": to_strict_json_schema(model)},
        }
    if mode == "json_object":
        return {"type": "json_object"}
    return None


def _validation_feedback(exc: ValidationError) -> str:
    lines = [f"- {'.'.join(map(str, err['loc'])) or '<root>'}: {err['msg']}" for err in exc.errors()[:20]]
    return (
        "Your answer does not match the required schema:\n"
        + "\n".join(lines)
        + "\nReply with the corrected JSON object only, keeping everything else as it was."
    )


def _usage_of(completion: Any) -> Usage:
    usage = getattr(completion, "usage", None)
    return Usage(
        prompt_tokens=getattr(usage, "prompt_tokens", 0) or 0,
        completion_tokens=getattr(usage, "completion_tokens", 0) or 0,
        requests=1,
    )


@dataclass
class _CallResult:
    value: BaseModel
    usage: Usage
    mode: str
    repairs: int


class OpenAIEngine:
    """Briefs through an OpenAI-compatible server; see the module docstring for the behaviour."""

    name = "openai"

    def __init__(
        self,
        settings: Settings,
        client: openai.OpenAI | None = None,
        async_client: openai.AsyncOpenAI | None = None,
    ) -> None:
        if settings.api_key is None and settings.base_url is None and client is None and async_client is None:
            raise ConfigError(
                "the openai engine needs OPENAI_API_KEY (or --base-url for a local server); "
                "without one, use --engine extractive"
            )
        self.settings = settings
        registry = PromptRegistry(settings.prompts_dir)
        self.brief_prompt = registry.get(settings.prompt)
        self.notes_prompt = registry.get("chunk_notes")
        self.combine_prompt = registry.get("combine")
        self.repair_prompt = registry.get("repair")
        self._client = client
        self._async_client = async_client
        self._base_key = settings.base_url or "https://api.openai.com/v1"

    def _client_options(self) -> dict[str, Any]:
        settings = self.settings
        return {
            # Local servers (vLLM, Ollama, llama.cpp) accept any key; the SDK insists on one.
            "api_key": settings.api_key.get_secret_value() if settings.api_key else "not-needed",
            "base_url": settings.base_url,
            "timeout": settings.timeout_s,
            "max_retries": settings.max_retries,
        }

    @property
    def client(self) -> openai.OpenAI:
        if self._client is None:
            import openai

            http_client = openai.DefaultHttpxClient(event_hooks={"response": [_mark_quota_final]})
            self._client = openai.OpenAI(**self._client_options(), http_client=http_client)
        return self._client

    @property
    def async_client(self) -> openai.AsyncOpenAI:
        if self._async_client is None:
            import openai

            http_client = openai.DefaultAsyncHttpxClient(event_hooks={"response": [_amark_quota_final]})
            self._async_client = openai.AsyncOpenAI(**self._client_options(), http_client=http_client)
        return self._async_client

    # -- the engine interface -------------------------------------------------------------

    def run(self, article: Article) -> EngineOutput:
        """Brief ``article`` with blocking HTTP calls."""
        steps = self._steps(article)
        outcome: Any = None
        while True:
            request, outcome = self._advance(steps, outcome)
            if request is None:
                return outcome
            try:
                outcome = self._translate_errors(request, self.client.chat.completions.create)
            except _ModeRejected as exc:
                outcome = exc

    async def arun(self, article: Article, send: Send | None = None) -> EngineOutput:
        """Brief ``article`` with the async client (same steps as ``run``).

        ``send`` replaces the plain ``chat.completions.create`` call, so a batch can wrap every
        request in its rate limiter and retry policy; it raises the SDK's exceptions.
        """
        send = send or self.async_client.chat.completions.create
        steps = self._steps(article)
        outcome: Any = None
        while True:
            request, outcome = self._advance(steps, outcome)
            if request is None:
                return outcome
            try:
                outcome = await self._translate_errors_async(request, send)
            except _ModeRejected as exc:
                outcome = exc

    @property
    def fingerprint(self) -> dict[str, Any]:
        """Everything that changes the brief for a given article: the cache key's other half."""
        return {
            "engine": self.name,
            "model": self.settings.model,
            "server": self._base_key,
            "prompts": [
                f"{p.ref}:{p.sha256}"
                for p in (self.brief_prompt, self.notes_prompt, self.combine_prompt, self.repair_prompt)
            ],
            "repair_grounding": self.settings.repair_grounding,
            "structured": self.settings.structured,
            "chunk_tokens": self.settings.max_chunk_tokens or default_chunk_tokens(self.settings.model),
        }

    @staticmethod
    def _advance(steps: _Steps[EngineOutput], outcome: Any) -> tuple[dict[str, Any] | None, Any]:
        """Feed ``outcome`` (a completion, or a rejection to throw) to the steps: the next request, or the result."""
        try:
            request = steps.throw(outcome) if isinstance(outcome, _ModeRejected) else steps.send(outcome)
        except StopIteration as stop:
            return None, stop.value
        return request, None

    # -- the steps: what to ask and what to do with each answer, without doing any I/O --------

    def _steps(self, article: Article) -> _Steps[EngineOutput]:
        text = article.full_text
        budget = self.settings.max_chunk_tokens or default_chunk_tokens(self.settings.model)
        # Tokens never outnumber UTF-8 bytes: most articles skip the exact count.
        if len(text.encode()) > budget and count_tokens(text, self.settings.model) > budget:
            output = yield from self._map_reduce(text, article.title, budget)
        else:
            result = yield from self._structured(self.brief_prompt, Brief, article=fence(text, "article"))
            output = self._output(result, [self.brief_prompt], chunks=1, usage=result.usage)
        if self.settings.repair_grounding:
            output = yield from self._repair_grounding(output, text)
        return output

    def _repair_grounding(self, output: EngineOutput, text: str) -> _Steps[EngineOutput]:
        """One round: the flagged items, their problems and the nearest article sentences go back to the model.

        The answer is kept only if it leaves fewer items unsupported; provenance records the round either way.
        """
        from briefer.grounding import ground

        report = ground(output.brief, text)
        flagged = report.flagged()
        if not flagged:
            return replace(output, grounding=report)
        problems = "\n".join(
            f"- {item.field}[{item.index}]: {item.text!r}: {'; '.join(item.problems) or 'not backed by the article'}"
            for item in flagged
        )
        spans = sorted({(s.start, s.end) for item in flagged for s in item.support})
        evidence = "\n".join(text[start:end] for start, end in spans) or text
        fixed = yield from self._structured(
            self.repair_prompt,
            Brief,
            brief=fence(output.brief.model_dump_json(indent=1), "brief"),
            problems=fence(problems, "problems"),
            evidence=fence(evidence, "evidence"),
        )
        second = ground(fixed.value, text)
        better = len(second.flagged()) < len(flagged)
        prompts = (
            [*output.prompt.split("+"), self.repair_prompt.ref] if output.prompt else [self.repair_prompt.ref]
        )
        return replace(
            output,
            brief=fixed.value if better else output.brief,  # type: ignore[arg-type]
            grounding=second if better else report,
            prompt="+".join(prompts),
            prompt_sha256=_combined_hash([*output.prompts_used, self.repair_prompt]),
            usage=output.usage + fixed.usage,
            repairs=output.repairs + fixed.repairs,
            grounding_repairs=1,
        )

    def _map_reduce(self, text: str, title: str | None, budget: int) -> _Steps[EngineOutput]:
        chunks = chunk_text(text, budget, model=self.settings.model)
        title_line = f' "{title.strip()}"' if title else ""
        usage, repairs, notes = Usage(), 0, []
        for chunk in chunks:
            part = yield from self._structured(
                self.notes_prompt,
                ChunkNotes,
                article=fence(chunk.text, "article_part"),
                index=str(chunk.index + 1),
                total=str(len(chunks)),
                title_line=title_line,
            )
            usage, repairs = usage + part.usage, repairs + part.repairs
            notes.append(f"Part {chunk.index + 1}:\n{part.value.model_dump_json()}")
        combined = yield from self._structured(
            self.combine_prompt,
            Brief,
            notes=fence("\n\n".join(notes), "notes"),
            total=str(len(chunks)),
            title_line=title_line,
        )
        combined.usage, combined.repairs = usage + combined.usage, repairs + combined.repairs
        return self._output(
            combined, [self.notes_prompt, self.combine_prompt], chunks=len(chunks), usage=combined.usage
        )

    def _output(self, result: _CallResult, prompts: list[Prompt], chunks: int, usage: Usage) -> EngineOutput:
        """Provenance records every prompt used; the hash covers all of them in order."""
        return EngineOutput(
            brief=result.value,  # type: ignore[arg-type]
            model=self.settings.model,
            prompt="+".join(p.ref for p in prompts),
            prompt_sha256=_combined_hash(prompts),
            prompts_used=prompts,
            usage=usage,
            chunks=chunks,
            structured_output=result.mode,
            repairs=result.repairs,
        )

    # -- structured calls ---------------------------------------------------------------------

    def _modes(self) -> list[str]:
        if self.settings.structured != "auto":
            return [self.settings.structured]
        remembered = _WORKING_MODE.get((self._base_key, self.settings.model))
        return [remembered] if remembered else list(MODES)

    def _structured(self, prompt: Prompt, model: type[ModelT], **values: str) -> _Steps[_CallResult]:
        """One validated ``model`` from the server, walking the fallback ladder when allowed."""
        rejected: list[str] = []
        for mode in self._modes():
            system, user = prompt.render(schema_hint=_schema_hint(model, mode), **values)
            try:
                result = yield from self._call_with_repairs(system, user, model, mode)
            except _ModeRejected:
                rejected.append(mode)
                continue
            _WORKING_MODE[(self._base_key, self.settings.model)] = mode
            return result
        raise EngineError(
            f"the server at {self._base_key} rejected every structured-output mode tried ({', '.join(rejected)}); "
            "check that it serves an instruction-following chat model"
        )

    def _call_with_repairs(
        self, system: str, user: str, model: type[ModelT], mode: str
    ) -> _Steps[_CallResult]:
        messages: list[dict[str, str]] = [
            {"role": "system", "content": system},
            {"role": "user", "content": user},
        ]
        usage = Usage()
        for attempt in range(self.settings.max_repairs + 1):
            completion = yield self._request(messages, _response_format(model, mode))
            usage = usage + _usage_of(completion)
            content = self._content_of(completion)
            try:
                value = model.model_validate_json(extract_json(content) if mode == "text" else content)
            except ValidationError as exc:
                if attempt == self.settings.max_repairs:
                    first = exc.errors()[0]
                    raise EngineError(
                        f"the model's answer still failed validation after {attempt} repair(s): "
                        f"{'.'.join(map(str, first['loc'])) or '<root>'}: {first['msg']}; try a stronger --model"
                    ) from exc
                messages += [
                    {"role": "assistant", "content": content},
                    {"role": "user", "content": _validation_feedback(exc)},
                ]
                continue
            return _CallResult(value=value, usage=usage, mode=mode, repairs=attempt)
        raise AssertionError("unreachable: the loop returns or raises")

    def _content_of(self, completion: Any) -> str:
        if not completion.choices:
            raise EngineError(f"the server at {self._base_key} returned no choices")
        choice = completion.choices[0]
        refusal = getattr(choice.message, "refusal", None)
        if refusal:
            raise EngineError(f"the model refused to brief this article: {_one_line(refusal)}")
        if choice.finish_reason == "length":
            raise EngineError(
                "the model's answer was cut off at its output limit (finish_reason=length); "
                "use a model with a larger output limit or a smaller --max-chunk-tokens"
            )
        if choice.finish_reason == "content_filter":
            raise EngineError(
                "the provider's content filter blocked the answer (finish_reason=content_filter)"
            )
        content = choice.message.content
        if not content or not content.strip():
            raise EngineError(f"the model returned an empty answer (finish_reason={choice.finish_reason})")
        return content

    def _request(
        self, messages: list[dict[str, str]], response_format: dict[str, Any] | None
    ) -> dict[str, Any]:
        request: dict[str, Any] = {"model": self.settings.model, "messages": list(messages), "temperature": 0}
        if response_format is not None:
            request["response_format"] = response_format
        return request

    def _translate_errors(self, request: dict[str, Any], create: Callable[..., Any]) -> Any:
        import openai

        try:
            return create(**request)
        except openai.OpenAIError as exc:
            raise self._translate(exc, request) from exc

    async def _translate_errors_async(self, request: dict[str, Any], create: Callable[..., Any]) -> Any:
        import openai

        try:
            return await create(**request)
        except openai.OpenAIError as exc:
            raise self._translate(exc, request) from exc

    def _translate(self, exc: Exception, request: dict[str, Any]) -> Exception:
        """The SDK's exception as a _ModeRejected (fallback allowed) or a one-line EngineError."""
        import openai

        if isinstance(exc, openai.BadRequestError | openai.UnprocessableEntityError):
            if (
                self.settings.structured == "auto"
                and "response_format" in request
                and _names_response_format(exc)
            ):
                return _ModeRejected()
            return EngineError(f"the server rejected the request ({exc.status_code}): {_api_message(exc)}")
        if isinstance(exc, openai.APIStatusError):
            quota = exc.status_code == 429 and is_out_of_credit(exc.body)
            retryable = (exc.status_code == 429 and not quota) or exc.status_code >= 500
            fatal = quota or exc.status_code in (401, 403, 404)  # every later request would fail too
            return EngineError(self._explain_status(exc), retryable=retryable, fatal=fatal)
        if isinstance(exc, openai.APITimeoutError):
            return EngineError(
                f"no answer from {self._base_key} within {self.settings.timeout_s:g} s "
                f"(after {self.settings.max_retries} retries); try again later or raise the timeout",
                retryable=True,
            )
        if isinstance(exc, openai.APIConnectionError):
            return EngineError(
                f"cannot connect to {self._base_key}: is the server running and the URL right?",
                retryable=True,
            )
        return EngineError(f"the OpenAI client failed: {_one_line(str(exc))}")

    def _explain_status(self, exc: openai.APIStatusError) -> str:
        status, message, model = exc.status_code, _api_message(exc), self.settings.model
        if status == 401:
            return f"authentication failed (401): check OPENAI_API_KEY for {self._base_key} ({message})"
        if status == 403:
            return f"permission denied (403): this key or project may not use {model!r} ({message})"
        if status == 404:
            return f"model {model!r} not found at {self._base_key} (404): check --model and --base-url ({message})"
        if status == 429:
            if is_out_of_credit(exc.body):
                return f"quota exceeded (429 insufficient_quota): add credit or raise the limit; retrying will not help ({message})"
            return (
                f"rate limited (429) after {self.settings.max_retries} retries: wait, or send fewer requests "
                f"per minute ({message})"
            )
        if status >= 500:
            return (
                f"the server failed ({status}) after {self.settings.max_retries} retries: "
                f"the provider is having trouble, try again later ({message})"
            )
        return f"the server answered {status}: {message}"


def _api_message(exc: openai.APIStatusError) -> str:
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error", body) if isinstance(body, dict) else {}
    message = error.get("message") if isinstance(error, dict) else None
    return _one_line(message or exc.message or "no message")


def _names_response_format(exc: openai.APIStatusError) -> bool:
    """Servers reject unsupported structured outputs with a 400/422 naming the parameter."""
    text = f"{_api_message(exc)} {getattr(exc, 'param', '') or ''}".lower()
    return any(
        word in text for word in ("response_format", "json_schema", "json_object", "structured output")
    )


def is_out_of_credit(error: object) -> bool:
    """Out of credit (not a rate limit): OpenAI says so in the error's code or type."""
    if isinstance(error, dict) and isinstance(error.get("error"), dict):
        error = error["error"]
    return isinstance(error, dict) and "insufficient_quota" in (error.get("code"), error.get("type"))


def _quota_body(response: Any) -> object:
    try:
        return response.json()
    except ValueError:
        return None


def _mark_quota_final(response: Any) -> None:
    """The SDK retries every 429; out of credit is final, so tell it not to (x-should-retry)."""
    if response.status_code == 429:
        response.read()
        if is_out_of_credit(_quota_body(response)):
            response.headers["x-should-retry"] = "false"


async def _amark_quota_final(response: Any) -> None:
    if response.status_code == 429:
        await response.aread()
        if is_out_of_credit(_quota_body(response)):
            response.headers["x-should-retry"] = "false"


def _combined_hash(prompts: list[Prompt]) -> str:
    """One prompt's file hash, or a hash over every prompt used, in order."""
    if len(prompts) == 1:
        return prompts[0].sha256
    return hashlib.sha256("\n".join(f"{p.ref} {p.sha256}" for p in prompts).encode()).hexdigest()
