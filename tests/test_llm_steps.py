"""How an LLM briefs an article (briefer/engines/llm/steps.py), driven through ``FunctionEngine``.

One pass, or map-reduce (notes per chunk, then one combine) when the article does not fit;
smaller chunks when the server says the prompt is too long; then one grounding-repair round,
kept only when it leaves fewer items flagged. Provenance names every prompt used.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from support.statement_cases import BACKED, DERBY, FIXED_BRIEF, SPLICED, SPLICED_BRIEF

from briefer import Article, Brief, Briefer, ChatAnswer, ChatRequest, EngineError, FunctionEngine
from briefer.engines.llm.exchange import ContextOverflow
from briefer.engines.llm.steps import combined_hash
from briefer.models import ChunkNotes
from briefer.tokens import count_tokens

SEED = (Path(__file__).parents[1] / "seeds" / "pakistan-taliban-warning.txt").read_text()
# Takeaways the seed article does not back: each names a number it never gives.
TROOPS = "Pakistan has moved 90,000 troops to the Afghan border."
MISSILES = "Kabul fired 12 missiles."
SOLDIERS = "Sharif sent 5,000 soldiers to Kabul."


@pytest.fixture(autouse=True)
def _clean(env_clean, fresh_engine_state) -> None:
    pass


def with_takeaways(brief: Brief, *unsupported: str) -> Brief:
    return brief.model_copy(update={"key_takeaways": [*brief.key_takeaways[:2], *unsupported]})


def notes(*facts: str) -> ChunkNotes:
    return ChunkNotes(facts=list(facts), entities=[], quotes=[], sources=[], dateline=None)


# -- the grounding-repair round ------------------------------------------------------------------


def test_a_repair_that_leaves_fewer_items_flagged_is_kept(good_brief: Brief) -> None:
    answers = iter([with_takeaways(good_brief, TROOPS), good_brief])
    engine = FunctionEngine(lambda request: next(answers))

    output = engine.run(Article(text=SEED))

    assert output.brief == good_brief and output.grounding is not None and output.grounding.ok
    assert (output.grounding_repairs, output.prompt, output.usage.requests) == (1, "brief@1+repair@1", 2)
    assert output.prompt_sha256 == combined_hash([engine.plan.brief, engine.plan.repair])
    repair = engine.requests[1]
    assert repair.output is Brief and "90,000" in repair.text(), "the flagged item goes back to the model"


@pytest.mark.parametrize(
    "repaired",
    [(TROOPS, MISSILES), (SOLDIERS,)],
    ids=["more-flagged", "as-many-flagged"],
)
def test_a_repair_that_does_not_leave_fewer_items_flagged_is_not_kept(
    good_brief: Brief, repaired: tuple[str, ...]
) -> None:
    first = with_takeaways(good_brief, TROOPS)
    answers = iter([first, with_takeaways(good_brief, *repaired)])

    output = FunctionEngine(lambda request: next(answers)).run(Article(text=SEED))

    assert output.brief == first
    assert output.grounding is not None and [i.text for i in output.grounding.flagged()] == [TROOPS]
    recorded = (output.grounding_repairs, output.prompt)
    assert recorded == (1, "brief@1+repair@1"), "the round is recorded even when not kept"


def test_a_repair_whose_answer_never_validates_leaves_the_brief_it_was_to_repair(good_brief: Brief) -> None:
    """The grounding repair answers invalid JSON, and its validation repair the same: the brief stands."""
    first = with_takeaways(good_brief, TROOPS)
    answers = iter([first, '{"headline": 7}', '{"headline": 7}'])
    engine = FunctionEngine(lambda request: next(answers), max_repairs=1)

    result = Briefer(engine=engine).brief(SEED)

    assert result.brief == first and [r.step for r in engine.requests] == [
        "brief",
        "grounding repair",
        "grounding repair: validation repair 1",
    ]
    assert result.grounding is not None and [i.text for i in result.grounding.flagged()] == [TROOPS]
    (warning,) = result.provenance.warnings
    assert warning.startswith(
        "the grounding repair's answer was not kept (the model's answer failed validation after 1 repair(s) "
        "(the last repair fixed nothing, so no more were asked): headline: Input should be a valid string"
    ) and warning.endswith("; the brief is the one before it"), warning


def test_a_brief_with_nothing_flagged_gets_no_repair_round(good_brief: Brief) -> None:
    engine = FunctionEngine(lambda request: good_brief)

    output = engine.run(Article(text=SEED))

    assert (len(engine.requests), output.grounding_repairs, output.prompt) == (1, 0, "brief@1")
    assert output.grounding is not None and output.grounding.ok, "checked once, by the steps"


def test_without_repair_grounding_flagged_items_are_left_to_the_caller(good_brief: Brief) -> None:
    engine = FunctionEngine(lambda request: with_takeaways(good_brief, TROOPS), repair_grounding=False)

    output = engine.run(Article(text=SEED))

    assert (len(engine.requests), output.grounding_repairs, output.grounding) == (1, 0, None)


def test_with_statements_a_doubted_claim_goes_to_the_repair_round_with_its_reason() -> None:
    """The statement check's doubts are flagged items: the repair round gets them, reason and all."""
    answers = iter([SPLICED_BRIEF, FIXED_BRIEF])
    engine = FunctionEngine(lambda request: next(answers), statements=True)

    output = engine.run(Article(text=DERBY))

    (repair,) = [r for r in engine.requests if r.step == "grounding repair"]
    (problem,) = [line for line in repair.text().splitlines() if line.startswith("- key_takeaways[")]
    assert problem.startswith(f"- key_takeaways[1]: {SPLICED!r}: likely not what the article says (")
    assert problem.endswith("but never in one sentence")
    assert output.brief.key_takeaways == [BACKED] and output.grounding is not None and output.grounding.ok
    assert output.grounding_repairs == 1


def test_without_statements_the_doubted_claim_is_neither_flagged_nor_repaired() -> None:
    engine = FunctionEngine(lambda request: SPLICED_BRIEF)

    output = engine.run(Article(text=DERBY))

    assert [r.step for r in engine.requests] == ["brief"] and output.grounding_repairs == 0
    assert output.grounding is not None and output.grounding.ok
    (spliced,) = [c for c in output.grounding.claims if c.text == SPLICED]
    assert spliced.risk is not None and spliced.risk > 0.5, "doubted, as a risk, not a flag"


# -- long articles: map-reduce -------------------------------------------------------------------


def test_a_long_article_is_map_reduced_through_the_function(good_brief: Brief) -> None:
    def model(request: ChatRequest) -> ChunkNotes | Brief:
        if request.output is ChunkNotes:
            return ChunkNotes(
                facts=["Pakistan warned the Taliban."], entities=[], quotes=[], sources=[], dateline=None
            )
        return good_brief

    engine = FunctionEngine(model, max_chunk_tokens=250)
    result = Briefer(engine=engine).brief(SEED)

    outputs = [r.output for r in engine.requests]
    assert (
        outputs[-1] is Brief
        and set(outputs[:-1]) == {ChunkNotes}
        and len(outputs) == result.provenance.chunks + 1
    )
    assert result.provenance.prompt.startswith("chunk_notes@1+combine@1")


def test_the_combine_request_carries_every_parts_notes_in_order(good_brief: Brief) -> None:
    parts = itertools.count(1)

    def model(request: ChatRequest) -> ChunkNotes | Brief:
        return notes(f"Fact of part {next(parts)}.") if request.output is ChunkNotes else good_brief

    engine = FunctionEngine(model, max_chunk_tokens=250, repair_grounding=False)
    output = engine.run(Article(text=SEED))

    combine = engine.requests[-1].text()
    numbers = range(1, output.chunks + 1)
    assert [combine.index(f"Part {n}:") for n in numbers] == sorted(
        combine.index(f"Part {n}:") for n in numbers
    )
    assert all(f"Fact of part {n}." in combine for n in numbers)
    assert output.prompt == "chunk_notes@1+combine@1" and output.usage.requests == output.chunks + 1


def test_notes_too_long_for_one_request_are_merged_in_neighbouring_groups_first(good_brief: Brief) -> None:
    """A small context: every part's notes together exceed the budget, so parts are merged before the combine."""
    parts = itertools.count(1)

    def model(request: ChatRequest) -> ChunkNotes | Brief:
        if request.output is Brief:
            return good_brief
        if "Merge these notes on parts" in request.text():
            return notes(f"Merged {request.text().count('Part ')} parts.")
        n = next(parts)
        return notes(
            *(f"Fact {i} of part {n}, with enough words to take room in the notes." for i in range(8))
        )

    engine = FunctionEngine(model, max_chunk_tokens=300, repair_grounding=False)
    output = engine.run(Article(text=SEED))

    merges = [r for r in engine.requests if "Merge these notes on parts" in r.text()]
    assert merges and all(r.output is ChunkNotes for r in merges)
    assert all(count_tokens(r.messages[-1].content, "gpt-4o-mini") < 300 + 40 for r in merges)
    combine = engine.requests[-1]
    assert combine.output is Brief and "Parts 1-" in combine.text() and "Merged" in combine.text()
    assert count_tokens(combine.messages[-1].content, "gpt-4o-mini") < 300 + 40, "the notes fit the budget"
    assert output.prompt == "chunk_notes@1+collapse@1+combine@1"
    assert output.usage.requests == output.chunks + len(merges) + 1


def test_notes_that_fit_go_to_the_combine_without_merging(good_brief: Brief) -> None:
    engine = FunctionEngine(
        lambda r: notes("Pakistan warned the Taliban.") if r.output is ChunkNotes else good_brief,
        max_chunk_tokens=250,
        repair_grounding=False,
    )
    engine.run(Article(text=SEED))

    assert not [r for r in engine.requests if "Merge these notes" in r.text()]


def test_a_prompt_too_long_for_the_server_is_split_into_smaller_chunks(good_brief: Brief) -> None:
    def model(request: ChatRequest) -> ChunkNotes | Brief:
        if request.output is ChunkNotes:
            return notes("Pakistan warned the Taliban.")
        if "<article>" in request.messages[-1].content:
            raise ContextOverflow("This model's maximum context length is 2048 tokens.", 2048)
        return good_brief

    output = FunctionEngine(model, repair_grounding=False).run(Article(text=SEED))

    assert output.chunks > 1 and output.brief == good_brief


def test_an_article_that_fits_no_chunk_size_is_one_clear_error() -> None:
    def model(request: ChatRequest) -> Brief:
        raise ContextOverflow("the prompt is too long")

    engine = FunctionEngine(model, repair_grounding=False)
    with pytest.raises(EngineError, match=r"does not fit the model's context even in chunks of \d+ tokens"):
        engine.run(Article(text=SEED))


def test_tokens_spent_before_the_chunks_shrank_are_counted(good_brief: Brief) -> None:
    """The notes of a first, too-large split were paid for: provenance counts every answer."""
    combines = itertools.count()

    def model(request: ChatRequest) -> ChunkNotes | Brief:
        if request.output is ChunkNotes:
            return notes("Pakistan warned the Taliban.")
        if "<article>" in request.messages[-1].content or next(combines) == 0:
            raise ContextOverflow("This model's maximum context length is 2048 tokens.", 2048)
        return good_brief

    engine = FunctionEngine(model, repair_grounding=False)
    output = engine.run(Article(text=SEED))

    answered = [r for r in engine.requests if r.output is ChunkNotes] + [engine.requests[-1]]
    assert output.usage.requests == len(answered) > output.chunks + 1


def test_planned_fan_out_asks_every_chunk_at_once_and_briefs_as_one_by_one(good_brief: Brief) -> None:
    """The Batch API's plan: a long article's chunks come in one ``Fanout`` (one batch round, not
    one each), with the very requests the one-by-one steps send, and the same brief comes out."""
    from briefer.engines.llm.exchange import Fanout

    def model(request: ChatRequest) -> ChunkNotes | Brief:
        return notes("Pakistan warned the Taliban.") if request.output is ChunkNotes else good_brief

    one_by_one = FunctionEngine(model, max_chunk_tokens=250, repair_grounding=False)
    expected = one_by_one.run(Article(text=SEED))
    briefing = FunctionEngine(model, max_chunk_tokens=250, repair_grounding=False).unbounded_run(
        Article(text=SEED)
    )
    fanout = briefing.next_request()
    assert isinstance(fanout, Fanout) and len(fanout.requests) == expected.chunks > 1
    assert list(fanout.requests) == one_by_one.requests[: expected.chunks]
    briefing.answer = tuple(
        ChatAnswer(content=notes("Pakistan warned the Taliban.").model_dump_json()) for _ in fanout.requests
    )
    combine = briefing.next_request()
    assert combine == one_by_one.requests[-1]
    briefing.answer = ChatAnswer(content=good_brief.model_dump_json())
    assert briefing.next_request() is None
    assert briefing.result.brief == expected.brief and briefing.result.usage.requests == expected.chunks + 1
