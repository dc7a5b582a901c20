"""The hybrid engine (briefer/engines/hybrid/): extraction picks the evidence, a model writes from it.

Driven with a function in place of the model (``FunctionTransport``): one short request, the
evidence numbered, quotes/dateline/sources from extraction, and each field the evidence does not
back replaced by the extracted one, named in provenance and warnings.
"""

from __future__ import annotations

import re

import pytest
from support.openai_server import OpenAIServer, author_draft
from support.statement_cases import DERBY, SPLICED

from briefer import Article, Briefer, ChatRequest
from briefer.config import Settings
from briefer.engines import ENGINES, make_engine
from briefer.engines.extractive import ExtractiveEngine
from briefer.engines.fake import FunctionTransport
from briefer.engines.hybrid.engine import HybridEngine
from briefer.engines.hybrid.evidence import EVIDENCE_TOKENS, Evidence
from briefer.models import Draft, DraftTakeaway
from briefer.tokens import count_tokens


@pytest.fixture(autouse=True)
def _clean(env_clean, fresh_engine_state) -> None:
    pass


def hybrid(answer, **options) -> tuple[HybridEngine, FunctionTransport]:
    transport = FunctionTransport(answer)
    return HybridEngine(Settings(model="function", **options), transport, needs_key=False), transport


def numbered(request: ChatRequest) -> dict[int, str]:
    """The evidence sentences the request shows the model, by number."""
    lines = re.findall(r"^\[(\d+)\] \(sentence \d+ of \d+\) (.+)$", request.messages[-1].content, re.M)
    return {int(n): text for n, text in lines}


def faithful(request: ChatRequest) -> Draft:
    """A model that copies its evidence (the test server's author): every field backed."""
    return author_draft(request.messages[-1].content)


def test_the_model_writes_from_numbered_evidence_in_one_short_request(short_article: Article) -> None:
    engine, transport = hybrid(faithful)

    output = engine.run(short_article)

    (request,) = transport.requests
    assert request.output is Draft and request.prompt == "hybrid@1"
    assert output.prompt == "hybrid@1" and output.extracted == [] and output.warnings == []
    evidence = numbered(request)
    assert output.brief.key_takeaways == [evidence[n] for n in sorted(evidence)[:3]]
    extracted = ExtractiveEngine().run(short_article).brief
    assert (output.brief.quotes, output.brief.dateline, output.brief.sources) == (
        extracted.quotes,
        extracted.dateline,
        extracted.sources,
    )
    assert "quotes" not in request.text() and len(request.text()) < len(short_article.text) + 1500


def test_a_long_article_is_one_request_that_fits_a_2048_token_context(long_article: Article) -> None:
    engine, transport = hybrid(faithful, structured="json_object")

    output = engine.run(long_article)

    (request,) = transport.requests
    assert output.chunks == 1
    assert count_tokens(request.text(), "gpt-4o") + request.max_tokens <= 2048


def test_a_takeaway_its_cited_sentences_do_not_back_falls_back_to_the_extracted_bullet(
    short_article: Article,
) -> None:
    def inventing(request: ChatRequest) -> Draft:
        draft = faithful(request)
        wrong = DraftTakeaway(
            text="Pakistan moved 90,000 troops to the border.", evidence=[max(numbered(request))]
        )
        return draft.model_copy(update={"key_takeaways": [wrong, *draft.key_takeaways[1:]]})

    engine, transport = hybrid(inventing)
    output = engine.run(short_article)

    assert output.extracted == ["key_takeaways[0]"]
    assert "key_takeaways[0]" in output.warnings[0] and "90,000" in output.warnings[0]
    cited = numbered(transport.requests[0])[max(numbered(transport.requests[0]))]
    assert "90,000" not in output.brief.key_takeaways[0]
    assert output.brief.key_takeaways[0] in [
        *ExtractiveEngine().run(short_article).brief.key_takeaways,
        cited,
    ]


def test_a_takeaway_citing_the_wrong_sentence_is_not_backed_by_it(short_article: Article) -> None:
    """Grounding checks a takeaway against what it cites, not against the whole evidence."""

    def miscited(request: ChatRequest) -> Draft:
        evidence = numbered(request)
        draft = faithful(request)
        last = max(evidence)
        swapped = DraftTakeaway(text=evidence[last], evidence=[1])
        return draft.model_copy(update={"key_takeaways": [swapped]})

    engine, _ = hybrid(miscited)

    assert engine.run(short_article).extracted[0] == "key_takeaways[0]"


def test_a_label_or_a_repeat_falls_back_to_the_sentence_it_cites(short_article: Article) -> None:
    """'6 questions about the trip' passes grounding (the article says it) but is no takeaway;
    a takeaway saying again what an earlier one said adds nothing."""

    def careless(request: ChatRequest) -> Draft:
        evidence = numbered(request)
        first, label = evidence[1], DraftTakeaway(text="Pakistan warns Taliban.", evidence=[2])
        repeat = DraftTakeaway(text=first.rstrip("."), evidence=[3])
        kept = DraftTakeaway(text=first, evidence=[1])
        return faithful(request).model_copy(update={"key_takeaways": [kept, label, repeat]})

    engine, transport = hybrid(careless)
    output = engine.run(short_article)

    evidence = numbered(transport.requests[0])
    assert output.extracted == ["key_takeaways[1]", "key_takeaways[2]"]
    assert "was 3 words, a label" in output.warnings[0]
    assert "repeated an earlier takeaway" in output.warnings[1]
    bullets = ExtractiveEngine().run(short_article).brief.key_takeaways
    assert output.brief.key_takeaways[0] == evidence[1]
    assert all(t in [*bullets, evidence[2], evidence[3]] for t in output.brief.key_takeaways[1:])


def test_fewer_than_three_takeaways_that_hold_up_are_filled_from_extraction(
    short_article: Article,
) -> None:
    def one_takeaway(request: ChatRequest) -> Draft:
        draft = faithful(request)
        return draft.model_copy(update={"key_takeaways": draft.key_takeaways[:1]})

    engine, _ = hybrid(one_takeaway)
    output = engine.run(short_article)

    bullets = ExtractiveEngine().run(short_article).brief.key_takeaways
    assert len(output.brief.key_takeaways) == 3 and output.extracted == ["key_takeaways"]
    assert output.brief.key_takeaways[1:] == [b for b in bullets if b != output.brief.key_takeaways[0]][:2]
    assert output.warnings == ["key_takeaways: 1 of the model's held up; added 2 extracted"]


def test_a_headline_or_summary_the_evidence_does_not_back_is_the_extracted_one(
    short_article: Article,
) -> None:
    def headline_invented(request: ChatRequest) -> Draft:
        return faithful(request).model_copy(update={"headline": "Imran Khan resigns in Lahore"})

    engine, _ = hybrid(headline_invented)
    output = engine.run(short_article)

    assert output.brief.headline == ExtractiveEngine().run(short_article).brief.headline
    assert output.extracted == ["headline"] and output.warnings[0].startswith("headline:")


def test_with_the_statement_check_a_doubted_takeaway_falls_back_to_extraction() -> None:
    """Without it, a takeaway whose words its evidence has is kept; with it (``statements``), the
    check doubts the splice and the takeaway gives way to extraction, said in provenance, so the
    brief's own report is clean either way."""

    def spliced(request: ChatRequest) -> Draft:
        takeaway = DraftTakeaway(text=SPLICED, evidence=sorted(numbered(request)))
        return faithful(request).model_copy(update={"key_takeaways": [takeaway]})

    plain = Briefer(engine=hybrid(spliced)[0]).brief(DERBY)
    checked = Briefer(engine=hybrid(spliced, statements=True)[0]).brief(DERBY)

    assert plain.brief.key_takeaways[0] == SPLICED and plain.grounding is not None and plain.grounding.ok
    assert SPLICED not in checked.brief.key_takeaways
    assert checked.brief.key_takeaways[0] in ExtractiveEngine().run(Article(text=DERBY)).brief.key_takeaways
    assert "key_takeaways[0]" in checked.provenance.extracted
    (why,) = [w for w in checked.provenance.warnings if w.startswith("key_takeaways[0]:")]
    assert "likely not what the article says" in why
    assert checked.grounding is not None and checked.grounding.ok


def test_provenance_names_the_extracted_fields(short_article: Article) -> None:
    def no_such_sentence(request: ChatRequest) -> Draft:
        draft = faithful(request)
        return draft.model_copy(update={"key_takeaways": [DraftTakeaway(text="Something.", evidence=[99])]})

    engine, _ = hybrid(no_such_sentence)
    result = Briefer(engine=engine).brief(short_article.text)

    assert result.provenance.extracted == ["key_takeaways[0]", "key_takeaways"]
    assert result.brief.key_takeaways == ExtractiveEngine().run(short_article).brief.key_takeaways


def test_the_evidence_keeps_the_best_sentences_within_its_budget(long_article: Article) -> None:
    extraction = ExtractiveEngine().extract(long_article)

    evidence = Evidence.of(extraction, "gpt-4o", budget=60)

    assert evidence.positions == sorted(evidence.positions)
    assert extraction.chosen[0] in evidence.positions
    assert sum(count_tokens(s, "gpt-4o") for s in evidence.sentences) <= 60 or len(evidence.sentences) == 1
    assert Evidence.of(extraction, "gpt-4o").sentences and EVIDENCE_TOKENS < 2048


def test_the_registry_builds_the_hybrid_engine() -> None:
    settings = Settings(engine="hybrid", base_url="http://127.0.0.1:9/v1", model="smollm2")

    engine = make_engine(settings, planning=True)

    assert "hybrid" in ENGINES and isinstance(engine, HybridEngine) and engine.capabilities.llm
    assert engine.fingerprint["prompts"] == [f"{engine.prompt.ref}:{engine.prompt.sha256}"]
    assert engine.expected_usage("x " * 5000, 5000).requests == 1


def test_the_python_api_briefs_with_the_hybrid_engine(
    openai_server: OpenAIServer, short_article: Article
) -> None:
    briefer = Briefer(
        engine="hybrid", base_url=openai_server.base_url, api_key="sk-test", model="gpt-4o-mini"
    )

    result = briefer.brief(short_article.text)

    assert (result.provenance.engine, result.provenance.prompt) == ("hybrid", "hybrid@1")
    assert result.grounding.ok and [r.schema_name for r in openai_server.completions] == ["Draft"]


def test_auto_briefs_with_the_hybrid_on_a_local_server(
    openai_server: OpenAIServer, short_article: Article
) -> None:
    """docs/hybrid.md's measurements: on a local server the hybrid beat the LLM engine."""
    result = Briefer(base_url=openai_server.base_url, api_key="sk-test", model="gpt-4o-mini").brief(
        short_article.text
    )

    assert result.provenance.engine == "hybrid"
    assert [r.schema_name for r in openai_server.completions] == ["Draft"]
