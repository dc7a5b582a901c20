"""Quotes: verbatim passages of the article, each with the speaker the article gives it."""

from __future__ import annotations

from support.extractive_cases import (
    ASIF_QUOTE,
    SEED,
    brief_of,
    sample,
    seed_brief,
)

from briefer.engines.extractive.attribution import attribute
from briefer.engines.extractive.people import People
from briefer.engines.extractive.quotes import find_quotes


def test_seed_quotes_are_verbatim_with_resolved_speakers() -> None:
    seed = seed_brief()
    quotes = {(q.speaker, q.text) for q in seed.quotes}
    assert ("Khawaja Asif", ASIF_QUOTE) in quotes
    # '"Rest assured, ...," he added.' — "he" is the minister, named in full earlier.
    assert any(
        s == "Khawaja Asif" and t.startswith("Rest assured, Pakistan can completely") for s, t in quotes
    )
    assert any(
        s == "Abdul Mateen Qani" and t.startswith("It’s true that we do not have nuclear weapons")
        for s, t in quotes
    )
    for quote in seed.quotes:
        assert quote.text in SEED


def test_seed_scare_quotes_are_not_quotes() -> None:
    seed = seed_brief()
    texts = [q.text for q in seed.quotes]
    assert not any(
        t.startswith(("own peril", "a fraction", "totally obliterate", "unreasonable")) for t in texts
    )


def test_speaker_after_the_verb_with_an_appositive_role() -> None:
    row = sample("cnndm-3122b54466ba")
    brief = brief_of(row["text"])
    quotes = {q.text: q.speaker for q in brief.quotes}
    assert quotes["When an ex-racehorse sees a lion"] == "Philip Kusseler"  # '..., explains Philip Kusseler'
    roles = {e.name: e.role for e in brief.entities}
    assert roles["Philip Kusseler"] == "co-owner of Wait A Little horse safaris"


def test_a_quote_with_an_attribution_of_its_own_is_not_the_previous_speakers() -> None:
    # bbc-sport-288: "said the Sale player" is Mark Cueto, not Josh Lewsey quoted just before.
    text = (
        '"We were robbed of a try at the end," said Josh Lewsey. Cueto was also puzzled as to why his try '
        "had been disallowed by Kaplan. \"I don't think I could have been offside for, without a doubt, I was "
        'behind the ball," said the Sale player.'
    )
    quotes = dict((t, s) for s, t in attribute(text, 0).quotes)
    assert quotes["We were robbed of a try at the end"] == "Josh Lewsey"
    offside = "I don't think I could have been offside for, without a doubt, I was behind the ball"
    assert quotes.get(offside) in (None, "The Sale player")


def test_a_quote_continued_in_the_next_sentence_keeps_its_speaker() -> None:
    text = '"We have to act now," said Mayor Ann Lee. "The river will not wait for us."'
    assert attribute(text, 0).quotes == [
        ("Ann Lee", "We have to act now"),
        ("Ann Lee", "The river will not wait for us."),
    ]


def test_an_attribution_after_the_quote_with_a_role_between_name_and_verb() -> None:
    text = (
        '"The plant will close in March. There is nothing we can do about it," Tony Woodley, '
        "the union leader, said on Friday."
    )
    assert attribute(text, 0).quotes == [
        ("Tony Woodley", "The plant will close in March. There is nothing we can do about it")
    ]


def test_quoted_passages_are_reported_even_when_no_quote_is_kept() -> None:
    # Ranking penalises quoted sentences, scare quotes included, whoever said them.
    text = 'He called the plan "a disaster". "We will fight it all the way to court," said Ann Lee.'
    quotes, quoted = find_quotes(text, 0, People(), lambda start, end, speaker: False)
    assert quotes == []
    assert [span.of(text) for span in quoted] == ["a disaster", "We will fight it all the way to court,"]


def test_no_quote_is_given_to_a_place_or_to_a_word_like_another() -> None:
    """'Another said' and 'Kabul refused' make no speakers: the 'he' and 'she' after them are
    people (CNN dev briefs gave quotes to 'Ferguson', 'Iran' and 'Another')."""
    text = (
        'In one post, he wrote, "I hate my mind." Another said, "I don\'t need help im not crazy." '
        "Robinson's mother stressed that her son was never violent. \"My son has never been a violent "
        'person, never," she told CNN. There had been word that Iran might export it, but Iran had not '
        'agreed to it. "The export of stocks of enriched uranium is not in our program," he said.'
    )
    speakers = {s for s, _ in attribute(text, 0).quotes}
    assert not speakers & {"Another", "Iran"}
