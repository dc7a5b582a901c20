"""The data briefer produces and consumes (briefer/models.py): what a Brief refuses and why, results
that survive JSON, and an article's hash."""

from __future__ import annotations

import hashlib

import pytest
from pydantic import ValidationError

import briefer
from briefer.models import Article, Brief, BriefResult, GroundingReport, ItemCheck, QuoteCheck, Usage


def brief_with(good_brief: Brief, **changes: object) -> dict:
    return good_brief.model_dump() | changes


def refusal(data: dict) -> str:
    with pytest.raises(ValidationError) as caught:
        Brief.model_validate(data)
    return str(caught.value)


@pytest.mark.parametrize(
    ("takeaways", "message"),
    [
        (["Pakistan warned the Taliban.", "   "], "key_takeaways.1\n  Value error, is empty"),
        (
            ["Pakistan warned the Taliban.\nTalks failed in Istanbul."],
            "key_takeaways.0\n  Value error, spans several lines; write one sentence",
        ),
        (["x" * 401], "key_takeaways.0\n  Value error, is 401 characters; keep each under 400"),
        ([], "List should have at least 1 item"),
        ([f"Fact {n}." for n in range(8)], "List should have at most 7 items"),
    ],
    ids=["empty", "multi-line", "too-long", "none", "eight"],
)
def test_takeaways_that_are_not_short_single_lines_are_refused_saying_why(
    good_brief: Brief, takeaways: list[str], message: str
) -> None:
    assert message in refusal(brief_with(good_brief, key_takeaways=takeaways))


def test_takeaways_headline_and_summary_lose_surrounding_blanks(good_brief: Brief) -> None:
    brief = Brief.model_validate(
        brief_with(
            good_brief, headline="  A headline ", summary="\nA summary.\n", key_takeaways=["  One fact. "]
        )
    )
    assert (brief.headline, brief.summary, brief.key_takeaways) == ("A headline", "A summary.", ["One fact."])


@pytest.mark.parametrize("field", ["headline", "summary"])
def test_a_blank_headline_or_summary_is_refused(good_brief: Brief, field: str) -> None:
    assert "must not be empty" in refusal(brief_with(good_brief, **{field: " \n "}))


def test_a_field_the_schema_does_not_have_is_refused(good_brief: Brief) -> None:
    """A model (or an HTTP client) inventing fields has misread the schema."""
    assert "Extra inputs are not permitted" in refusal(brief_with(good_brief, sentiment="negative"))


def test_a_brief_result_round_trips_through_json(short_article: Article) -> None:
    result = briefer.brief(short_article.text, engine="extractive")
    assert result.grounding is not None and result.brief.quotes, "a result with everything filled in"
    assert BriefResult.model_validate_json(result.model_dump_json()) == result


def test_an_articles_sha256_is_the_hash_of_its_text_and_goes_with_it(short_article: Article) -> None:
    expected = hashlib.sha256(short_article.text.encode("utf-8")).hexdigest()
    assert short_article.sha256 == expected
    assert short_article.model_dump()["sha256"] == expected
    assert Article(text=short_article.text, title="Another title").sha256 == expected, "the text alone"


def test_the_title_is_put_on_top_of_the_text_once() -> None:
    assert Article(text="Body.", title="Warning").full_text == "Warning\n\nBody."
    assert Article(text="Warning\n\nBody.", title="Warning").full_text == "Warning\n\nBody."
    assert Article(text="Body.").full_text == "Body."


def test_usage_adds_up() -> None:
    total = Usage(prompt_tokens=900, completion_tokens=300, requests=1) + Usage(
        prompt_tokens=100, completion_tokens=50, requests=2
    )
    assert total == Usage(prompt_tokens=1000, completion_tokens=350, requests=3)


def test_flagged_items_are_the_unsupported_ones_claims_first() -> None:
    def claim(field: str, supported: bool) -> ItemCheck:
        return ItemCheck(field=field, index=0, text=field, supported=supported, score=float(supported))

    quote = QuoteCheck(
        field="quotes",
        index=0,
        text="betrayal",
        supported=False,
        score=0,
        speaker="Asif",
        found=False,
        speaker_near=True,
    )
    report = GroundingReport(
        ok=False,
        score=0.25,
        claims=[claim("summary", True), claim("key_takeaways", False)],
        quotes=[quote],
        names=[claim("entities", False)],
    )
    assert [item.field for item in report.flagged()] == ["key_takeaways", "quotes", "entities"]


def test_topics_are_normalised_to_the_schemas_lower_case(good_brief) -> None:
    """Models capitalise labels though the schema asks for lower case; one topic, once."""
    data = good_brief.model_dump() | {"topics": ["Pakistan", " pakistan ", "Security", ""]}

    assert Brief.model_validate(data).topics == ["pakistan", "security"]


def test_lone_surrogates_become_replacement_characters_so_every_write_works(good_brief: Brief) -> None:
    """JSON's "\\ud800" (a feed line, a model's answer, a Python caller) decodes to a lone surrogate."""
    article = Article(text="Talks \ud800 resumed on Monday in Doha.", title="\udfff")
    assert article.text == "Talks \ufffd resumed on Monday in Doha." and article.title == "\ufffd"
    assert len(article.sha256) == 64
    brief = Brief.model_validate(good_brief.model_dump() | {"headline": "A \udc80 headline"})
    assert brief.headline == "A \ufffd headline" and brief.model_dump_json().encode()
