"""One validated pydantic object from a chat model, as sans-I/O steps.

The steps yield ``ChatRequest``s and are sent back ``ChatAnswer``s (or have ``ModeRejected``
thrown in); whoever drives them does the I/O. They walk the structured-output ladder
(``json_schema`` → ``json_object`` with the schema in the prompt → plain text with JSON
extraction) and feed pydantic's errors back to the model a bounded number of times.
Refusals, truncation and empty answers end in one ``EngineError`` line.
"""

from __future__ import annotations

import re
from collections.abc import Generator
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from briefer.engines.llm.exchange import (
    MODES,
    ChatAnswer,
    ChatRequest,
    ContextOverflow,
    Fanout,
    Message,
    Mode,
    ModeRejected,
    OutOfTime,
    Rejected,
)
from briefer.engines.llm.fitting import fitted_bound
from briefer.engines.llm.hints import schema_hint
from briefer.engines.llm.repairs import InvalidAnswer, RepairsEnd, fitting_repair, kept_or_invalid
from briefer.engines.llm.salvage import Salvaged, salvage
from briefer.errors import EngineError
from briefer.models import Brief, ChunkNotes, Draft, valid_unicode
from briefer.prompts import Prompt
from briefer.text.lines import clip_line
from briefer.tokens import count_tokens

ResultT = TypeVar("ResultT")
# Yields requests, is sent answers, returns the result.
Steps = Generator[ChatRequest, ChatAnswer, ResultT]

# (server, model) -> the structured-output mode that worked there, for the rest of the process.
_WORKING_MODE: dict[tuple[str, str], Mode] = {}
# Tokens an answer may take, by what it must validate as: room for the longest valid brief
# (7 takeaways of 400 characters, entities, quotes) without letting a small model ramble on.
ANSWER_TOKENS: dict[type[BaseModel], int] = {Brief: 1500, ChunkNotes: 800, Draft: 600}
DEFAULT_ANSWER_TOKENS = 1500
# Characters an answer may carry per token of its bound: eight times English's average. A server
# sending more (megabytes of content for a 1,500-token bound) is not a model answering this request.
MAX_CHARS_PER_TOKEN = 32
PROMPT_CUT_RATIO = 0.5  # prompt tokens the server read / tokens sent, below which it cut the prompt


@dataclass
class Structured:
    """A validated answer and what it took to get it."""

    value: BaseModel
    mode: Mode
    repairs: int
    warnings: tuple[str, ...] = ()

    def after(self, *earlier: Structured) -> Structured:
        """This answer with the repairs and warnings of the answers it was built from (map-reduce's notes)."""
        return replace(
            self,
            repairs=sum(e.repairs for e in earlier) + self.repairs,
            warnings=tuple(dict.fromkeys(w for e in (*earlier, self) for w in e.warnings)),
        )


@dataclass(frozen=True)
class Ladder:
    """Where the requests go and how JSON may be asked for there."""

    server: str
    model: str
    structured: str  # "auto" walks the ladder; a mode name pins it
    max_repairs: int
    window: int | None = None  # tokens the model reads at once (prompt + answer); None: unknown

    def modes(self) -> list[Mode]:
        if self.structured != "auto":
            return [self.structured]  # type: ignore[list-item]  # Settings validated it as a Mode
        remembered = _WORKING_MODE.get((self.server, self.model))
        return [remembered] if remembered else list(MODES)


def extract_json(content: str) -> str:
    """The JSON object inside a free-text answer: a ```json fence, or the outermost braces."""
    fenced = re.search(r"```(?:json)?\s*(\{.*\})\s*```", content, re.DOTALL)
    if fenced:
        return fenced.group(1)
    start, end = content.find("{"), content.rfind("}")
    return content[start : end + 1] if 0 <= start < end else content


_CONTROL = re.compile(r"[\x00-\x1f]")


def json_in(content: str, mode: Mode) -> str:
    """The JSON to validate: found in free text (text mode), control characters as spaces.

    Small models write raw line breaks inside JSON strings, which strict JSON forbids. Outside
    strings they are whitespace anyway, so a space in their place changes no valid answer.
    """
    return _CONTROL.sub(" ", extract_json(content) if mode == "text" else content)


def _content_of(answer: ChatAnswer) -> str:
    if answer.refusal:
        raise EngineError(f"the model refused to brief this article: {clip_line(answer.refusal)}")
    if answer.finish_reason == "content_filter":
        raise EngineError("the provider's content filter blocked the answer (finish_reason=content_filter)")
    if not answer.content or not answer.content.strip():
        raise EngineError(f"the model returned an empty answer (finish_reason={answer.finish_reason})")
    return valid_unicode(answer.content)  # a JSON "\\ud800" in the server's answer is a lone surrogate


def _refuse_oversized(answer: ChatAnswer, budget: int) -> None:
    """An answer far longer than its token bound allows: refused before it is parsed or grounded."""
    size = len(answer.content or "")
    if size > budget * MAX_CHARS_PER_TOKEN:
        raise EngineError(
            f"the server's answer is {size:,} characters, far more than {budget} tokens can hold: "
            "it is not a model's answer to this request"
        )


def _raise_if_context_full(answer: ChatAnswer, budget: int) -> None:
    """Stopped for length well short of its own bound: the prompt filled the model's context.

    Servers with a small context (llama.cpp defaults to 2,048 tokens) cut the answer where the
    context ends; prompt + answer tokens then are the window, and smaller chunks are the remedy.
    """
    used = answer.usage.prompt_tokens + answer.usage.completion_tokens
    if 0 < answer.usage.completion_tokens < budget and answer.usage.prompt_tokens:
        raise ContextOverflow(
            f"the prompt ({answer.usage.prompt_tokens} tokens) left {answer.usage.completion_tokens} for the answer",
            window=used,
        )


def _prompt_cut(request: ChatRequest, answer: ChatAnswer, model: str) -> str | None:
    """A server that read far fewer prompt tokens than were sent cut the prompt to fit its context.

    Ollama does this without an error (to its ``num_ctx``); the answer then covers only part of the
    article. Tokenizers differ, but not by half: below that, the prompt was cut.
    """
    read = answer.usage.prompt_tokens
    sent = count_tokens(request.text(), model) if read else 0
    if not read or read >= sent * PROMPT_CUT_RATIO:
        return None
    return (
        f"the server read {read} prompt tokens of about {sent} sent: it seems to have cut the prompt to fit "
        "its context, so the brief may miss part of the article; use a smaller --max-chunk-tokens"
    )


def _cut_off(answer: ChatAnswer, budget: int) -> InvalidAnswer:
    """An answer that stopped at its limit even with the larger budget: say which limit, keep the text."""
    return InvalidAnswer(
        f"the model's answer was cut off at {answer.usage.completion_tokens or budget} tokens "
        f"(finish_reason=length) after {answer.usage.prompt_tokens} prompt tokens: the model's context "
        "or output limit is too small for this article; use a smaller --max-chunk-tokens or a larger model",
        raw_answer=answer.content,
    )


@dataclass(frozen=True)
class Call:
    """What a structured request is for: its prompt, the step progress names, whether it may be skipped."""

    ref: str
    step: str = "brief"
    optional: bool = False  # the brief stands without it (a grounding repair)


def structured(
    ladder: Ladder,
    prompt: Prompt,
    output: type[BaseModel],
    *,
    step: str = "brief",
    optional: bool = False,
    **values: str,
) -> Steps[Structured]:
    """One validated ``output`` from the model, walking the fallback ladder when allowed."""
    rejected: list[str] = []
    call = Call(prompt.ref, step, optional)
    for mode in ladder.modes():
        hint = schema_hint(output, mode)
        system, user = prompt.render(schema_hint=hint, **values)
        try:
            result = yield from _with_repairs(ladder, (system, user, hint), output, mode, call)
        except ModeRejected as exc:
            rejected.append(f"{mode}: {exc}" if str(exc) else mode)
            continue
        _WORKING_MODE[(ladder.server, ladder.model)] = mode
        return result
    raise EngineError(
        f"the server at {ladder.server} rejected every structured-output mode tried ({'; '.join(rejected)}); "
        "check that it serves an instruction-following chat model"
    )


def _with_repairs(
    ladder: Ladder, prompt: tuple[str, str, str], output: type[BaseModel], mode: Mode, call: Call
) -> Steps[Structured]:
    """Ask; a cut answer keeps its valid part (it took minutes) or gets twice the bound once; invalid
    answers get repairs bound to what the window leaves (``fitting``). ``prompt``: (system, user,
    schema outline). A repair with no fewer validation problems than the answer before ends the
    repairs (the model would repeat itself), as does one that cannot fit the window or time left."""
    system, user, hint = prompt
    messages = [Message("system", system), Message("user", user)]
    warnings: list[str] = []
    budget = ANSWER_TOKENS.get(output, DEFAULT_ANSWER_TOKENS)
    doubled, previous, failure = False, None, None

    def ask() -> Steps[ChatAnswer]:
        nonlocal budget
        budget = fitted_bound(messages, output, budget, ladder.model, ladder.window)
        request = _request(tuple(messages), output, mode, budget, attempt, call)
        answer = yield request
        _refuse_oversized(answer, budget)
        warnings.extend(w for w in [_prompt_cut(request, answer, ladder.model)] if w and w not in warnings)
        return answer

    def done(value: BaseModel, repairs: int, note: str | None = None) -> Structured:
        return Structured(value, mode, repairs, (*warnings, note) if note else tuple(warnings))

    for attempt in range(ladder.max_repairs + 1):
        try:
            answer = yield from ask()
            if answer.finish_reason == "length":
                if kept := _kept_from_cut(answer, output, mode):
                    return done(kept.value, attempt, _cut_note(answer, budget, kept))
                if not doubled:
                    _raise_if_context_full(answer, budget)
                if "{" not in (answer.content or ""):  # prose to the bound: twice the bound buys more prose
                    raise _no_json(answer, budget)
                if not doubled:  # twice the bound, once
                    budget, doubled = _doubled(budget, answer, messages, ladder), True
                    answer = yield from ask()
        except (ContextOverflow, OutOfTime) as exc:
            if not attempt:
                raise
            value, note = kept_or_invalid(previous, failure, output, RepairsEnd.not_asked(exc), previous)
            return done(value, attempt - 1, note)
        if answer.finish_reason == "length":
            if kept := _kept_from_cut(answer, output, mode):
                return done(kept.value, attempt, _cut_note(answer, budget, kept))
            _raise_if_context_full(answer, budget)
            raise _cut_off(answer, budget)
        json_text = json_in(content := _content_of(answer), mode)
        try:
            return done(output.model_validate_json(json_text), attempt)
        except ValidationError as exc:
            stuck = failure is not None and exc.error_count() >= failure.error_count()
            if attempt == ladder.max_repairs or stuck:
                end = RepairsEnd.after(attempt, stuck)
                value, note = kept_or_invalid(json_text, exc, output, end, content)
                return done(value, attempt, note)
            previous, failure = json_text, exc
            messages = fitting_repair(user, json_text, exc, hint, (output, ladder.model, ladder.window))
    raise AssertionError("unreachable: the loop returns or raises")


def _request(
    messages: tuple[Message, ...], output: type[BaseModel], mode: Mode, budget: int, attempt: int, call: Call
) -> ChatRequest:
    """One ask of the model; a repair (``attempt`` > 0) is optional: the brief stands without it."""
    return ChatRequest(
        messages=messages,
        output=output,
        mode=mode,
        max_tokens=budget,
        repair=attempt,
        prompt=call.ref,
        step=f"{call.step}: validation repair {attempt}" if attempt else call.step,
        optional=call.optional or attempt > 0,
    )


def _doubled(budget: int, answer: ChatAnswer, messages: list[Message], ladder: Ladder) -> int:
    """Twice the bound, but never more than the context leaves after the prompt: a bound past the
    window makes the server refuse the request (or cut the answer at the same place again)."""
    if ladder.window is None:
        return 2 * budget
    prompt = answer.usage.prompt_tokens or count_tokens("\n".join(m.content for m in messages), ladder.model)
    room = ladder.window - prompt
    if room <= budget:
        raise _cut_off(answer, budget)
    return min(2 * budget, room)


def _kept_from_cut(answer: ChatAnswer, output: type[BaseModel], mode: Mode) -> Salvaged | None:
    if not answer.content:
        return None
    return salvage(json_in(answer.content, mode), output)


def _no_json(answer: ChatAnswer, budget: int) -> InvalidAnswer:
    return InvalidAnswer(
        f"the model wrote {answer.usage.completion_tokens or budget} tokens without beginning a JSON object "
        "(finish_reason=length): it does not follow the answer format; try --structured json_object "
        "or a stronger --model",
        raw_answer=answer.content,
    )


def _cut_note(answer: ChatAnswer, budget: int, kept: Salvaged) -> str:
    tokens = answer.usage.completion_tokens or budget
    without = f", without {', '.join(kept.lost)}" if kept.lost else ""
    context = " (where the model's context ended: a bigger context keeps more)" if tokens < budget else ""
    return f"the model's answer was cut off at {tokens} tokens{context}; kept what it wrote before the cut{without}"


def in_turn(steps: list[Steps[ResultT]], fan_out: bool) -> Steps[list[ResultT]]:
    """The results of independent steps: one after the other, or (``fan_out``) asked together."""
    if fan_out:
        return (yield from _together(steps))
    results = []
    for step in steps:
        results.append((yield from step))
    return results


def _together(steps: list[Steps[ResultT]]) -> Steps[list[ResultT]]:
    """Each round yields every step's next request in one ``Fanout`` and sends each its answer back."""
    results: dict[int, ResultT] = {}
    answers: dict[int, Any] = dict.fromkeys(range(len(steps)))
    while len(results) < len(steps):
        asking: dict[int, ChatRequest] = {}
        for n, step in enumerate(steps):
            if n not in results:
                request, result = drive(step, answers[n])
                if request is None:
                    results[n] = result
                else:
                    asking[n] = request
        if asking:
            got: Any = yield Fanout(tuple(asking.values()))  # type: ignore[misc]  # Steps types one request; a Fanout gets a tuple
            answers.update(zip(asking, got, strict=True))
    return [results[n] for n in range(len(steps))]


def drive(steps: Steps[ResultT], answer: Any) -> tuple[ChatRequest | None, Any]:
    """Feed ``answer`` (a ChatAnswer, or a Rejected to throw) to the steps: the next request, or the result."""
    try:
        request = steps.throw(answer) if isinstance(answer, Rejected) else steps.send(answer)
    except StopIteration as stop:
        return None, stop.value
    return request, None
