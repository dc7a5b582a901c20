"""One validated object from a model: the ladder, the repairs, and every way an answer can stop."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefer import Article, Brief, Briefer, ChatAnswer, EngineError, FunctionEngine
from briefer.engines.extractive import ExtractiveEngine
from briefer.engines.llm.exchange import ChatRequest
from briefer.engines.llm.hints import schema_hint
from briefer.engines.llm.structured import ANSWER_TOKENS, extract_json
from briefer.models import ChunkNotes, Usage
from briefer.tokens import count_tokens

SEED = (Path(__file__).parents[1] / "seeds" / "pakistan-taliban-warning.txt").read_text()


@pytest.fixture(autouse=True)
def _fresh(fresh_engine_state) -> None:
    pass


@pytest.fixture(scope="module")
def brief() -> Brief:
    return ExtractiveEngine().run(Article(text=SEED)).brief


def test_json_is_found_inside_chatter() -> None:
    assert extract_json('Sure! ```json\n{"a": 1}\n``` Hope it helps') == '{"a": 1}'
    assert extract_json('Here: {"a": {"b": 2}} done') == '{"a": {"b": 2}}'
    assert extract_json("no json at all") == "no json at all"


def test_every_request_carries_the_bound_for_what_it_asks(brief: Brief) -> None:
    engine = FunctionEngine(lambda request: brief, repair_grounding=False)
    engine.run(Article(text=SEED))
    assert [r.max_tokens for r in engine.requests] == [ANSWER_TOKENS[Brief]]


def test_a_cut_at_the_bound_gets_twice_the_bound_once(brief: Brief) -> None:
    def model(request: ChatRequest) -> ChatAnswer | Brief:
        if request.max_tokens == ANSWER_TOKENS[Brief]:
            return ChatAnswer(
                content='{"headline": "cut',
                finish_reason="length",
                usage=Usage(prompt_tokens=900, completion_tokens=request.max_tokens, requests=1),
            )
        return brief

    engine = FunctionEngine(model, repair_grounding=False)
    assert engine.run(Article(text=SEED)).brief == brief
    assert [r.max_tokens for r in engine.requests] == [1500, 3000]


def test_twice_the_bound_never_asks_for_more_than_the_context_leaves(brief: Brief) -> None:
    """A 4,096-token context with a 1,300-token prompt has 2,796 left: 3,000 would be refused."""

    def model(request: ChatRequest) -> ChatAnswer | Brief:
        if request.max_tokens == ANSWER_TOKENS[Brief]:
            usage = Usage(prompt_tokens=1300, completion_tokens=request.max_tokens, requests=1)
            return ChatAnswer(content='{"headline": "cut', finish_reason="length", usage=usage)
        return brief

    engine = FunctionEngine(model, context_window=4096, repair_grounding=False)
    assert engine.run(Article(text=SEED)).brief == brief
    assert [r.max_tokens for r in engine.requests] == [1500, 4096 - 1300]


def test_a_context_with_no_room_beyond_the_bound_is_not_asked_again() -> None:
    """Prompt and bound fill the window exactly: a second answer would stop at the same place."""

    def model(request: ChatRequest) -> ChatAnswer:
        usage = Usage(prompt_tokens=2596, completion_tokens=request.max_tokens, requests=1)
        return ChatAnswer(content='{"headline": "cut', finish_reason="length", usage=usage)

    engine = FunctionEngine(model, context_window=4096, repair_grounding=False)
    with pytest.raises(
        EngineError, match=r"cut off at 1500 tokens \(finish_reason=length\) after 2596 prompt"
    ):
        engine.run(Article(text=SEED))
    assert len(engine.requests) == 1


def test_a_cut_twice_is_one_error_that_keeps_the_answer() -> None:
    def model(request: ChatRequest) -> ChatAnswer:
        usage = Usage(prompt_tokens=900, completion_tokens=request.max_tokens, requests=1)
        return ChatAnswer(content='{"headline": "cut', finish_reason="length", usage=usage)

    with pytest.raises(EngineError, match=r"cut off at 3000 tokens \(finish_reason=length\)") as caught:
        FunctionEngine(model, repair_grounding=False).run(Article(text=SEED))
    assert caught.value.raw_answer == '{"headline": "cut'


def test_a_context_that_fills_up_means_smaller_chunks(brief: Brief) -> None:
    """Cut well short of the bound: prompt + answer was the whole context, so the article is split."""

    def model(request: ChatRequest) -> ChatAnswer | Brief | ChunkNotes:
        if request.output is Brief and "<article>" in request.messages[-1].content:
            return ChatAnswer(
                content="{",
                finish_reason="length",
                usage=Usage(prompt_tokens=1300, completion_tokens=100, requests=1),
            )
        if request.output is ChunkNotes:
            return ChunkNotes(
                facts=["Pakistan warned the Taliban."], entities=[], quotes=[], sources=[], dateline=None
            )
        return brief

    engine = FunctionEngine(model, repair_grounding=False)
    output = engine.run(Article(text=SEED))
    assert output.chunks > 1 and output.brief == brief


def test_validation_failures_name_the_fields_and_keep_the_answer() -> None:
    answers = iter(['{"headline": 7}', '{"headline": 8}'])
    engine = FunctionEngine(lambda request: next(answers), max_repairs=1, repair_grounding=False)
    with pytest.raises(
        EngineError,
        match=r"after 1 repair\(s\) \(the last repair fixed nothing, so no more were asked\): headline: Input should be a valid string; dateline: Field required; summary: Field required \(\+\d+ more\)",
    ) as caught:
        engine.run(Article(text=SEED))
    assert caught.value.raw_answer == '{"headline": 8}'


def test_a_repair_that_brings_back_the_same_answer_ends_the_repairs() -> None:
    engine = FunctionEngine(lambda request: '{"headline": 7}', max_repairs=3, repair_grounding=False)
    with pytest.raises(EngineError, match=r"after 1 repair\(s\) \(the last repair fixed nothing"):
        engine.run(Article(text=SEED))
    assert len(engine.requests) == 2, "asking a third time would bring it back again"


def test_a_repair_that_repeats_the_mistake_in_new_words_ends_the_repairs_and_salvages(brief: Brief) -> None:
    """The entity kind "outlet", then "broadcaster": as many problems as before, so no third round."""
    kinds = iter(["outlet", "broadcaster", "channel"])

    def model(request: ChatRequest) -> dict:
        answer = json.loads(brief.model_dump_json())
        answer["entities"].append({"name": "Geo News", "kind": next(kinds), "role": "broadcaster"})
        return answer

    engine = FunctionEngine(model, max_repairs=3, repair_grounding=False)
    output = engine.run(Article(text=SEED))

    assert len(engine.requests) == 2 and output.repairs == 1
    assert output.brief.entities == brief.entities and "entities" in output.warnings[-1]


def test_a_repair_that_fixes_some_problems_earns_another(brief: Brief) -> None:
    first = json.loads(brief.model_dump_json())
    first["entities"] += [{"name": n, "kind": "outlet", "role": "r"} for n in ("Geo News", "Ariana News")]
    second = json.loads(brief.model_dump_json())
    second["entities"].append({"name": "Geo News", "kind": "outlet", "role": "r"})
    answers = iter([first, second, brief])
    engine = FunctionEngine(lambda request: next(answers), max_repairs=3, repair_grounding=False)

    output = engine.run(Article(text=SEED))

    assert (len(engine.requests), output.repairs, output.brief) == (3, 2, brief)


def test_a_repair_sends_the_answer_and_its_errors_not_the_conversation_again(brief: Brief) -> None:
    """Qwen's entity of kind "outlet": the repair needs the answer, the error and the outline, not the
    article and the rules again (json_object mode, where the outline is in the prompt)."""
    answer = json.loads(brief.model_dump_json())
    answer["entities"].append({"name": "Geo News", "kind": "outlet", "role": "broadcaster"})
    answers = iter([answer, brief])
    engine = FunctionEngine(lambda request: next(answers), structured="json_object", repair_grounding=False)

    engine.run(Article(text=SEED))

    first, repair = engine.requests
    sent = repair.text()
    assert f"entities.{len(brief.entities)}.kind: Input should be" in sent and "Geo News" in sent
    assert sent.count("The JSON object has exactly these fields") == 1
    assert "<article>" not in sent, "no article: nothing must be written from it"
    outline, bad = schema_hint(Brief, "json_object"), json.dumps(answer)
    overhead = count_tokens(sent, "function") - count_tokens(outline + bad, "function")
    assert overhead < 200, "the rules and the errors: the rest is the answer and the outline, once each"
    assert count_tokens(sent, "function") < count_tokens(first.text() + bad, "function") - 500


def test_a_repair_that_must_write_from_the_article_carries_it_once(brief: Brief) -> None:
    answers = iter([{"headline": "Pakistan warns the Taliban"}, brief])
    engine = FunctionEngine(lambda request: next(answers), structured="json_object", repair_grounding=False)

    engine.run(Article(text=SEED))

    first, repair = engine.requests
    assert repair.text().count("<article>") == 1
    assert repair.messages[-1].content.endswith(first.messages[-1].content)


def test_an_answer_valid_but_for_some_items_keeps_the_rest_and_says_what_went(brief: Brief) -> None:
    """Qwen2.5 wrote an entity of kind "outlet": the brief is kept without it, and provenance says so."""
    answer = json.loads(brief.model_dump_json())
    answer["entities"].append({"name": "Geo News", "kind": "outlet", "role": "broadcaster"})
    engine = FunctionEngine(lambda request: answer, max_repairs=1, repair_grounding=False)

    result = Briefer(engine=engine).brief(SEED)

    assert result.brief.entities == brief.entities and result.brief.key_takeaways == brief.key_takeaways
    (warning,) = result.provenance.warnings
    bad = len(brief.entities)
    assert warning.startswith(
        "kept the model's answer without what failed validation after 1 repair(s) (the last repair fixed "
        f"nothing, so no more were asked): entities[{bad}] (kind: "
    )
    assert len(engine.requests) == 2, "one repair was asked for first"


def test_one_takeaway_over_two_lines_is_dropped_and_named_in_provenance(brief: Brief) -> None:
    answer = json.loads(brief.model_dump_json())
    answer["key_takeaways"].insert(1, "Talks failed\nin Istanbul.")
    engine = FunctionEngine(lambda request: answer, max_repairs=0, repair_grounding=False)

    result = Briefer(engine=engine).brief(SEED)

    assert result.brief.key_takeaways == brief.key_takeaways
    assert result.provenance.warnings == [
        "kept the model's answer without what failed validation: "
        "key_takeaways[1] (Value error, spans several lines; write one sentence)"
    ]


def test_an_answer_cut_at_its_bound_keeps_what_came_before_the_cut(brief: Brief) -> None:
    """A small model rambles until max_tokens: asking again with twice the bound costs minutes on a CPU."""
    whole = brief.model_dump_json()
    cut = whole[: whole.index('"quotes"') + 30]
    engine = FunctionEngine(
        lambda request: ChatAnswer(
            content=cut, finish_reason="length", usage=Usage(requests=1, completion_tokens=1500)
        ),
        repair_grounding=False,
    )

    result = Briefer(engine=engine).brief(SEED)

    assert result.brief.key_takeaways == brief.key_takeaways and result.brief.topics == []
    (warning,) = result.provenance.warnings
    assert warning.startswith(
        "the model's answer was cut off at 1500 tokens; kept what it wrote before the cut, without "
    )
    assert "topics (never written)" in warning and len(engine.requests) == 1


def test_a_cut_answer_without_takeaways_gets_twice_the_bound() -> None:
    engine = FunctionEngine(
        lambda request: ChatAnswer(content='{"headline": "Pakistan warns', finish_reason="length"),
        repair_grounding=False,
    )
    with pytest.raises(EngineError, match="cut off"):
        engine.run(Article(text=SEED))
    assert [r.max_tokens for r in engine.requests] == [ANSWER_TOKENS[Brief], 2 * ANSWER_TOKENS[Brief]]


def test_a_server_that_silently_cut_the_prompt_is_named_in_a_warning(brief: Brief) -> None:
    """Ollama cuts a prompt to its num_ctx without an error: the answer covers part of the article."""
    cut = ChatAnswer(content=brief.model_dump_json(), usage=Usage(requests=1, prompt_tokens=100))

    result = Briefer(engine=FunctionEngine(lambda request: cut, repair_grounding=False)).brief(SEED)

    (warning,) = result.provenance.warnings
    assert warning.startswith("the server read 100 prompt tokens of about ") and "cut the prompt" in warning


def test_a_server_that_read_the_whole_prompt_gives_no_warning(brief: Brief) -> None:
    def whole(request: ChatRequest) -> ChatAnswer:
        read = int(count_tokens(request.text(), "function") * 0.8)  # another tokenizer, the same prompt
        return ChatAnswer(content=brief.model_dump_json(), usage=Usage(requests=1, prompt_tokens=read))

    result = Briefer(engine=FunctionEngine(whole, repair_grounding=False)).brief(SEED)

    assert result.provenance.warnings == []


def test_a_line_break_inside_a_json_string_does_not_cost_a_repair(brief: Brief) -> None:
    """SmolLM2 writes raw line breaks inside strings; strict JSON rejects them, the brief does not need to."""
    answer = brief.model_dump_json().replace(
        brief.summary[:20], brief.summary[:10] + "\n" + brief.summary[10:20], 1
    )
    engine = FunctionEngine(lambda request: answer, repair_grounding=False)

    output = engine.run(Article(text=SEED))

    assert output.repairs == 0 and len(engine.requests) == 1
    assert output.brief.summary.startswith(brief.summary[:10] + " ")


def test_prose_to_the_bound_is_not_asked_for_again_with_twice_the_bound() -> None:
    """In text mode SmolLM2 chats until max_tokens without a brace: twice the bound buys twice the chat."""
    engine = FunctionEngine(
        lambda request: ChatAnswer(content="Sure! The article is about " * 50, finish_reason="length"),
        structured="text",
        repair_grounding=False,
    )
    with pytest.raises(
        EngineError, match=r"without beginning a JSON object .* try --structured json_object"
    ) as caught:
        engine.run(Article(text=SEED))
    assert len(engine.requests) == 1 and caught.value.raw_answer.startswith("Sure!")


def test_a_lone_surrogate_in_the_answer_becomes_a_replacement_character(brief: Brief) -> None:
    """A server's JSON may escape half a surrogate pair ("\\ud800"); the brief still validates and writes."""
    content = brief.model_dump_json().replace(brief.headline, "Talks \ud800 resume", 1)
    result = Briefer(engine=FunctionEngine(lambda request: content)).brief(SEED)
    assert result.brief.headline == "Talks \ufffd resume" and result.model_dump_json().encode()


def test_an_answer_far_longer_than_its_bound_is_refused_before_it_is_parsed(brief: Brief) -> None:
    """10 MB of summary would take grounding half a minute and a gigabyte: no model writes it in 1,500 tokens."""
    huge = brief.model_copy(update={"summary": "The talks resumed. " * 500_000})
    engine = FunctionEngine(lambda request: huge)
    with pytest.raises(
        EngineError, match=r"^the server's answer is 9,5\d\d,\d{3} characters, far more than 1500"
    ):
        engine.run(Article(text=SEED))
    assert len(engine.requests) == 1, "no repair asks for it again"
