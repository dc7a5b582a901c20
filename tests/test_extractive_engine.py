"""The offline engine: a brief an editor can use, from nothing but the article text."""

from __future__ import annotations

import re

import pytest
from support.extractive_cases import (
    BBC_POLITICS,
    ROOT,
    SAMPLE,
    SEED,
    brief_of,
    sample,
    seed_brief,
)

from briefer.engines.extractive import ExtractiveEngine
from briefer.errors import InputError
from briefer.grounding import verify_brief
from briefer.models import Article, Brief


def test_seed_headline_and_dateline() -> None:
    seed = seed_brief()
    assert seed.headline == "Is Pakistan's Defence Minister Khawaja Asif Challenging the Taliban?"
    assert (seed.dateline.place, seed.dateline.date, seed.dateline.outlet) == (
        "Islamabad",
        "Oct 29",
        "NationPress",
    )


def test_seed_takeaways_come_from_the_body_not_the_outlets_own_bullets() -> None:
    seed = seed_brief()
    outlet_bullets = [line[2:] for line in SEED.splitlines() if line.startswith("- ")]
    assert 3 <= len(seed.key_takeaways) <= 7
    for takeaway in seed.key_takeaways:
        assert takeaway not in outlet_bullets
        # verbatim sentences, so grounding can link each to its source; "He" may be named in brackets
        assert _unbracketed(takeaway) in SEED
    assert seed.key_takeaways[0].startswith("On Wednesday, Pakistan's Defence Minister Khawaja Asif")


def test_seed_summary_is_body_sentences_in_article_order_that_the_takeaways_do_not_repeat() -> None:
    seed = seed_brief()
    assert "\n" not in seed.summary
    engine_sentences = [" ".join(s.split()) for s in re.split(r"(?<=[.?!])\s+(?=[A-Z\[])", seed.summary)]
    positions = [" ".join(SEED.split()).index(_unbracketed(s)) for s in engine_sentences]
    assert 2 <= len(positions) <= 4 and positions == sorted(positions)
    assert not any(s in t for s in engine_sentences for t in seed.key_takeaways)


def _unbracketed(takeaway: str) -> str:
    """The takeaway without an editor's opening insertion ('[Khawaja Asif] emphasized' -> ' emphasized')."""
    return re.sub(r"^\[[^\]]+\]", "", takeaway)


def _from_article(takeaway: str, text: str) -> bool:
    """Whether a takeaway is the article's words: verbatim but for an editor's opening insertion,
    an opening "But"/"And" dropped (the next word capitalised), or a quote given to its speaker
    ('Jane Doe said: "I was scared."')."""
    flat = " ".join(text.split()).lower()
    quoted = re.fullmatch(r"[^\"“]+ said: [\"“](.+)\.[\"”]", takeaway)
    words = quoted.group(1) if quoted else _unbracketed(takeaway)
    return words.lower() in flat


def test_briefs_of_real_articles_validate_and_have_3_to_7_takeaways() -> None:
    for row in SAMPLE:
        brief = brief_of(row["text"], row.get("title"))
        assert Brief.model_validate(brief.model_dump()) == brief
        assert 3 <= len(brief.key_takeaways) <= 7, row["id"]
        assert all(_from_article(t, row["text"]) for t in brief.key_takeaways), row["id"]
        assert all(q.text in row["text"] for q in brief.quotes)


def test_the_title_given_by_the_source_is_the_headline_and_not_a_takeaway() -> None:
    row = sample("bbc-business-034")
    brief = brief_of(row["text"], row["title"])
    assert brief.headline == "Rover deal 'may cost 2,000 jobs'"
    assert brief.headline not in brief.key_takeaways


def test_without_a_title_the_headline_is_the_lead_clause() -> None:
    brief = brief_of(
        "(CNN)A suburban Atlanta police officer is dead after an apparent ambush. Police are searching."
    )
    assert brief.headline == "A suburban Atlanta police officer is dead after an apparent ambush"


def test_cnn_dateline_gives_place_and_outlet() -> None:
    row = sample("cnndm-a3f31379d535")
    dateline = brief_of(row["text"]).dateline
    assert (dateline.place, dateline.date, dateline.outlet) == ("Sanaa, Yemen", None, "CNN")


def test_every_seed_quote_names_a_speaker_grounding_can_see() -> None:
    # In bbc-politics-147, Mr Clarke's words continued after '"…," he said' are his (the chain of
    # attributions leads back to him), and "The prime minister told MPs" follows "Mr Blair's was
    # asked" (MPs are who he told, not who spoke); the quotes kept all pass grounding's checks,
    # the article's own bracketed words included.
    brief = brief_of(BBC_POLITICS)
    speakers = {q.text[:30]: q.speaker for q in brief.quotes}
    assert speakers["This is simply a scurrilous at"] == "Charles Clarke"
    assert speakers["The Labour Party election pled"] == "Liam Fox"
    assert speakers["We want more migration, more p"] == "Charles Clarke"
    assert speakers["The abusers will be weeded out"] == "Blair"
    for seed_file in ("bbc-politics-147.txt", "cnn-3122b54466ba.txt", "pakistan-taliban-warning.txt"):
        text = (ROOT / "seeds" / seed_file).read_text(encoding="utf-8")
        report = verify_brief(brief_of(text), text)
        assert [q.problems for q in report.quotes if not q.supported] == [], seed_file


def test_fields_the_article_does_not_support_stay_empty() -> None:
    text = (
        "The city council approved a new budget on Monday after a long debate.\n"
        "The budget raises spending on parks and libraries by five percent.\n"
        "Council members voted seven to two in favour of the plan.\n"
        "Road repairs were postponed for another year because of rising costs."
    )
    brief = brief_of(text)
    assert brief.quotes == []
    assert brief.sources == []
    assert (brief.dateline.place, brief.dateline.date, brief.dateline.outlet) == (None, None, None)
    assert brief.what_to_watch == []


@pytest.mark.parametrize("text", ["", "   \n  ", "Scroll down for video"])
def test_an_article_with_no_sentence_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError, match="no sentences"):
        ExtractiveEngine().run(Article(text=text))


def test_a_three_sentence_article_gets_all_three_and_no_more() -> None:
    text = "The bridge reopened on Monday after repairs. Traffic returned to normal by noon. City officials thanked the repair crews."
    assert len(brief_of(text).key_takeaways) == 3


def test_output_is_deterministic_and_names_its_model() -> None:
    first = ExtractiveEngine().run(Article(text=SEED))
    second = ExtractiveEngine().run(Article(text=SEED))
    assert first.brief == second.brief
    assert first.model == "briefer-extractive-1"
    assert (first.prompt, first.prompt_sha256, first.chunks) == (None, None, 1)
