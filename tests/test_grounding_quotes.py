"""Quotes: verbatim in the article, and given to the person the article has say them."""

from __future__ import annotations

from support.grounding_cases import ASIF_ADDED, ASIF_QUOTE, QANI_QUOTE, RETAIL, RICCIARDO, ROVER, SEED, quote

from briefer.grounding.index import index_article
from briefer.grounding.quotes import check_quote


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


def test_said_the_25_year_old_and_he_added_are_the_driver_named_four_sentences_before() -> None:
    """Seen on a real model's brief of this CNN article: correct quotes were flagged."""
    frustrating = "It's frustrating, I mean it's a part of the sport which will always be frustrating"
    perfect = "I'm sure even Lewis (Hamilton) and Nico (Rosberg) last year were frustrated at the times"
    for text in (frustrating, perfect):
        assert quote("Daniel Ricciardo", text, RICCIARDO).supported, text


def test_in_the_same_article_the_true_alarms_stay() -> None:
    frustrating = "It's frustrating, I mean it's a part of the sport which will always be frustrating"
    wrong_speaker = quote("Valterri Bottas", frustrating, RICCIARDO)
    invented_quote = quote("Daniel Ricciardo", "It's infuriating, I mean it's a part of the sport", RICCIARDO)
    invented_name = quote("Mark Webber", frustrating, RICCIARDO)

    assert wrong_speaker.found and not wrong_speaker.supported
    assert wrong_speaker.problems == ["speaker 'Valterri Bottas' is not named near the quote"]
    assert not invented_quote.found and not invented_quote.supported
    assert "speaker 'Mark Webber' is not in the article" in invented_name.problems


def test_a_named_attribution_wins_over_other_names_nearby() -> None:
    woodley = "This is a very crucial and delicate time"
    assert quote("Tony Woodley", woodley, ROVER).supported
    harris = "Consumers for now remain willing to spend freely, sustaining the US expansion."
    assert quote("Maury Harris", harris, RETAIL).supported
    assert not quote("Gordon Brown", harris, RETAIL).supported


def test_a_bracketed_insertion_naming_someone_of_the_article_stands_for_a_few_words() -> None:
    article = index_article(
        'Khawaja Asif spoke on Wednesday. "He will regret it," Khawaja Asif said of the Taliban leader.'
    )

    named = check_quote(0, "Khawaja Asif", "[The Taliban leader] will regret it", article)
    renamed = check_quote(0, "Khawaja Asif", "[Obama] will regret it", article)
    vague = check_quote(0, "Khawaja Asif", "[the leader] will regret it", article)
    altered = check_quote(0, "Khawaja Asif", "[Asif] will surely regret it", article)

    assert named.found and named.supported
    assert renamed.found and not renamed.supported and "[Obama]" in renamed.problems[-1]
    assert vague.found and not vague.supported
    assert not altered.found  # only the bracket may differ from the article
