"""Grounding: what an editor relies on when a brief says it is backed by its article.

Articles are real: the Pakistan seed, and two BBC News articles copied into
tests/data/grounding_articles.jsonl from the project's evaluation sample.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefer.grounding import ground, render_report_text
from briefer.models import Brief, BriefResult, GroundingReport, ItemCheck, QuoteCheck

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "seeds" / "pakistan-taliban-warning.txt").read_text(encoding="utf-8")
ARTICLES = {
    row["id"]: row["text"]
    for row in map(
        json.loads, (ROOT / "tests" / "data" / "grounding_articles.jsonl").read_text().splitlines()
    )
}
ROVER = ARTICLES["bbc-business-034"]
RETAIL = ARTICLES["bbc-business-450"]

ASIF_QUOTE = "We have endured your treachery and mockery for too long, but that ends now."
ASIF_ADDED = "Rest assured, Pakistan can completely annihilate the Taliban regime"
QANI_QUOTE = "It’s true that we do not have nuclear weapons"


def make_brief(
    takeaways: list[str] | None = None,
    quotes: list[tuple[str, str]] = (),
    entities: list[str] = (),
    sources: list[str] = (),
    summary: str = "Pakistan's Defence Minister warned the Afghan Taliban.",
) -> Brief:
    return Brief(
        headline="Pakistan warns the Afghan Taliban",
        dateline={"place": "Islamabad", "date": "Oct 29", "outlet": "NationPress"},
        summary=summary,
        key_takeaways=takeaways or ["Pakistan's Defence Minister Khawaja Asif issued a strong warning."],
        entities=[{"name": name, "kind": "person", "role": "in the story"} for name in entities],
        quotes=[{"speaker": speaker, "text": text} for speaker, text in quotes],
        sources=list(sources),
        what_to_watch=[],
        topics=["pakistan"],
    )


def takeaway(text: str, article: str = SEED) -> ItemCheck:
    return ground(make_brief([text]), article).claims[-1]


def quote(speaker: str, text: str, article: str = SEED) -> QuoteCheck:
    return ground(make_brief(quotes=[(speaker, text)]), article).quotes[0]


def test_a_faithful_brief_is_ok() -> None:
    brief = make_brief(
        takeaways=[
            "Pakistan's Defence Minister Khawaja Asif warned the Afghan Taliban on Wednesday.",
            "Talks between Pakistan and Afghanistan in Istanbul failed after three days.",
            "Afghanistan's interior ministry spokesperson said NATO and the US failed to conquer it in 20 years.",
        ],
        quotes=[
            ("Khawaja Asif", ASIF_QUOTE),
            ("Khawaja Asif", ASIF_ADDED),
            ("Abdul Mateen Qani", QANI_QUOTE),
        ],
        entities=["Khawaja Asif", "Abdul Mateen Qani", "Taliban"],
        sources=["Geo News", "Ariana News", "NDTV", "Khaama Press"],
        summary="Khawaja Asif warned the Taliban. Talks in Istanbul broke down.",
    )
    report = ground(brief, SEED)
    assert report.ok, render_report_text(report)
    assert report.score == 1.0
    assert report.flagged() == []


# --- quotes ---------------------------------------------------------------------------------------


def test_a_quote_reports_where_it_stands_in_the_original_text() -> None:
    check = quote("Khawaja Asif", ASIF_QUOTE)
    assert check.found and check.supported
    assert SEED[check.start : check.end] == ASIF_QUOTE.rstrip(".")


def test_a_word_changed_inside_a_quote_is_caught() -> None:
    check = quote("Khawaja Asif", ASIF_QUOTE.replace("treachery", "betrayal"))
    assert not check.found and not check.supported
    assert check.start is None
    assert "not found verbatim in the article" in check.problems


def test_a_quote_given_to_someone_else_in_the_article_is_caught() -> None:
    check = quote("Abdul Mateen Qani", ASIF_QUOTE)
    assert check.found and not check.speaker_near and not check.supported
    assert any("not named near the quote" in p for p in check.problems)


def test_a_quote_given_to_someone_absent_from_the_article_is_caught() -> None:
    check = quote("Imran Khan", ASIF_QUOTE)
    assert not check.supported
    assert check.unsupported_terms == ["Imran", "Khan"]


def test_he_added_attributes_a_quote_to_the_person_named_just_before() -> None:
    assert quote("Khawaja Asif", ASIF_ADDED).supported
    assert quote("Abdul Mateen Qani", QANI_QUOTE).supported
    assert not quote("Khawaja Asif", QANI_QUOTE).supported


def test_a_named_attribution_wins_over_other_names_nearby() -> None:
    woodley = "This is a very crucial and delicate time"
    assert quote("Tony Woodley", woodley, ROVER).supported
    harris = "Consumers for now remain willing to spend freely, sustaining the US expansion."
    assert quote("Maury Harris", harris, RETAIL).supported
    assert not quote("Gordon Brown", harris, RETAIL).supported


@pytest.mark.parametrize(
    "typed",
    [
        "It's true that we do not have nuclear weapons",  # straight apostrophe for a curly one
        "it’s true that we do not have  nuclear\nweapons,",  # case, whitespace, trailing punctuation
        "“It’s true that we do not have nuclear weapons”",  # the quote marks themselves
    ],
)
def test_quotes_match_through_typography(typed: str) -> None:
    assert quote("Abdul Mateen Qani", typed).found


@pytest.mark.parametrize("dash", [" - ", " — ", "–", "-"])
def test_quotes_match_through_dashes(dash: str) -> None:
    text = f"allegedly operating against Pakistan{dash}a demand that was rejected"
    assert quote("Ariana News", text).found


@pytest.mark.parametrize("ellipsis", ["…", "...", " [...] "])
def test_an_ellipsis_marks_an_omission(ellipsis: str) -> None:
    text = f"Rest assured, Pakistan can completely annihilate the Taliban regime{ellipsis}driving them back to the caves"
    check = quote("Khawaja Asif", text)
    assert check.found and check.supported
    assert [SEED[s.start : s.end] for s in check.support] == [
        "Rest assured, Pakistan can completely annihilate the Taliban regime",
        "driving them back to the caves",
    ]


def test_an_ellipsis_does_not_join_parts_out_of_order() -> None:
    assert not quote("Khawaja Asif", "driving them back to the caves … Rest assured").found


# --- claims ---------------------------------------------------------------------------------------


def test_a_takeaway_copied_from_the_article_points_at_its_sentence() -> None:
    sentence = "The lack of alignment between the two countries has raised alarms about further escalations."
    check = takeaway(sentence)
    assert check.supported and check.score == 1.0
    assert SEED[check.support[0].start : check.support[0].end] == sentence


def test_a_paraphrased_takeaway_is_backed_by_the_sentences_it_merges() -> None:
    check = takeaway(
        "Minister Asif said Pakistan could obliterate the Taliban without a fraction of its military."
    )
    assert check.supported
    assert {s.sentence for s in check.support} >= {8}


@pytest.mark.parametrize(
    ("changed", "term"),
    [
        ("neither NATO nor the United States conquered Afghanistan despite 30 years of conflict.", "30"),
        ("Some 3,000 jobs at MG Rover's Midlands plant may be cut.", "3,000"),
        ("Nanjing Auto wants a 30% stake in the joint venture.", "30%"),
        ("The investment deal is worth £3bn.", "£3bn"),
    ],
)
def test_a_changed_number_is_flagged(changed: str, term: str) -> None:
    article = SEED if "Afghanistan" in changed else ROVER
    check = takeaway(changed, article)
    assert not check.supported
    assert check.unsupported_terms == [term.strip("%£")]


@pytest.mark.parametrize(
    ("swapped", "name"),
    [
        (
            "Pakistan's Defence Minister Khawaja Sharif issued a strong warning to the Afghan Taliban.",
            "Sharif",
        ),
        ("The three-day negotiations between Pakistan and Afghanistan in Ankara failed.", "Ankara"),
        ("A tie-up has been pushed by UK Chancellor Gordon Smith.", "Smith"),
    ],
)
def test_a_swapped_name_or_place_is_flagged(swapped: str, name: str) -> None:
    article = ROVER if "tie-up" in swapped else SEED
    check = takeaway(swapped, article)
    assert not check.supported
    assert check.unsupported_terms == [name]


@pytest.mark.parametrize(
    ("claim", "article"),
    [
        ("Pakistan has a drone deal with the U.S., according to NDTV.", SEED),
        ("United States retail sales climbed 8% for the year.", RETAIL),
        ("Khawaja Asif issued the warning on October 29.", SEED),
        ("Annual US retail sales broke through four trillion dollars for the first time.", RETAIL),
        ("Annual sales came to $4 trillion, and December sales rose 1.2 percent.", RETAIL),
        ("Some two thousand jobs at MG Rover may be cut.", ROVER),
        ("The Chinese firm's deal is worth one billion pounds.", ROVER),
        ("Americans filing jobless claims rose to 367,000.", RETAIL),
    ],
)
def test_obvious_equivalents_are_not_flagged(claim: str, article: str) -> None:
    check = takeaway(claim, article)
    assert check.unsupported_terms == [], check.problems


def test_rounding_is_allowed_only_to_the_precision_written() -> None:
    assert takeaway("Annual sales were about $4.1 trillion.", RETAIL).unsupported_terms == []
    assert takeaway("Annual sales were about $4.2 trillion.", RETAIL).unsupported_terms == ["4.2 trillion"]


def test_a_claim_the_article_does_not_make_is_weakly_backed() -> None:
    check = takeaway("Earthquake relief convoys reached remote mountain villages before winter.")
    assert not check.supported
    assert check.score < 0.3


def test_summary_sentences_are_checked_one_by_one() -> None:
    report = ground(make_brief(summary="Khawaja Asif warned the Taliban. Talks in Ankara broke down."), SEED)
    summary = [c for c in report.claims if c.field == "summary"]
    assert [c.supported for c in summary] == [True, False]
    assert summary[1].unsupported_terms == ["Ankara"]


def test_words_a_claim_puts_in_quote_marks_must_be_verbatim() -> None:
    assert takeaway('Asif warned the Taliban of their "own peril and doom".').supported
    assert not takeaway('Asif warned the Taliban of their "own ruin and doom".').supported


# --- names ----------------------------------------------------------------------------------------


def test_entities_and_sources_may_be_partial_or_possessive_but_not_invented() -> None:
    report = ground(
        make_brief(entities=["Asif", "Khawaja Asif's", "Imran Khan"], sources=["Geo News", "Reuters"]), SEED
    )
    assert [n.supported for n in report.names] == [True, True, False, True, False]
    assert report.names[2].unsupported_terms == ["Imran", "Khan"]
    assert not report.ok


# --- the report -----------------------------------------------------------------------------------


def test_the_text_rendering_lists_each_flagged_item_with_its_problem() -> None:
    report = ground(make_brief(quotes=[("Abdul Mateen Qani", ASIF_QUOTE)], sources=["Reuters"]), SEED)
    text = render_report_text(report)
    assert text.splitlines()[0].startswith("grounding: 2 of")
    assert "⚠ quotes[0]" in text and "not named near the quote" in text
    assert "⚠ sources[0]: Reuters" in text
    assert render_report_text(ground(make_brief(), SEED)).startswith("grounding: OK")


def test_a_brief_result_carries_the_report_through_json() -> None:
    report = ground(make_brief(), SEED)
    result = {
        "brief": make_brief().model_dump(),
        "provenance": {
            "engine": "extractive",
            "model": "lead",
            "prompt": None,
            "prompt_sha256": None,
            "input_sha256": "0" * 64,
            "elapsed_s": 0.1,
            "briefer_version": "0",
            "created_at": "2025-10-29T00:00:00Z",
        },
        "grounding": report.model_dump(),
    }
    parsed = BriefResult.model_validate_json(json.dumps(result))
    assert isinstance(parsed.grounding, GroundingReport)
    assert parsed.grounding == report
