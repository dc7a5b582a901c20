"""A headline when the article brings none (briefer/engines/extractive/headline.py): whole clauses,
never a sentence cut with "…" or an opening phrase without a verb."""

from __future__ import annotations

import pytest

from briefer.engines.extractive.headline import MAX_WORDS, has_verb, headline


@pytest.mark.parametrize(
    ("sentences", "expected"),
    [
        (
            [
                "A manager at an Indiana Veterans Hospital has been placed on paid administrative leave "
                "after a video showed him ignoring a patient, officials said."
            ],
            "A manager at an Indiana Veterans Hospital has been placed on paid administrative leave",
        ),
        (
            [
                "In an unusual turn of events last week, a federal judge in Texas ordered the release "
                "of a man jailed for two decades on a murder conviction."
            ],
            "A federal judge in Texas ordered the release of a man jailed for two decades",
        ),
        (
            ["Thirty years or so ago.", "The army took the city on Monday after weeks of fighting."],
            "The army took the city on Monday after weeks of fighting",
        ),
        (["Rebels seized the airport, the army said."], "Rebels seized the airport"),
    ],
)
def test_the_headline_is_a_clause_with_a_verb_of_at_most_15_words(
    sentences: list[str], expected: str
) -> None:
    found = headline(sentences)
    assert found == expected
    assert len(found.split()) <= MAX_WORDS and not found.endswith("…")


def test_a_quote_is_no_headline_and_with_nothing_better_the_words_stop_at_a_content_word() -> None:
    quote = '"We will never give up on the people of this city and their hopes for peace," she said.'
    assert (
        headline([quote, "The mayor of the city promised new homes."])
        == "The mayor of the city promised new homes"
    )
    found = headline(
        ["Thirty years or so ago, in the small hill towns of the north of the country, long before the war."]
    )
    assert len(found.split()) <= MAX_WORDS and found.split()[-1] not in {"of", "the"}


def test_verbs_are_auxiliaries_common_news_verbs_and_words_in_ed() -> None:
    assert has_verb(["The", "mayor", "has", "resigned"]) and has_verb(["Police", "arrested", "two", "men"])
    assert not has_verb(["In", "an", "unusual", "turn", "of", "events", "last", "week"])


@pytest.mark.parametrize(
    "fragment",
    [
        "Indeed on the tarmac, Netanyahu, with his wife, Sara, at his side",
        "Travel warnings in place in the United States",
        "The faded downtown of a small town in Georgia",
        "Indeed, with the average age of a victim only 13 years old",
    ],
)
def test_names_adverbs_and_adjectives_in_ed_are_not_verbs(fragment: str) -> None:
    """Real CNN leads that became verbless headlines while any word in "-ed" counted as a verb."""
    assert not has_verb(fragment.split())
    assert headline([f"{fragment}, officials said.", "Police arrested two men on Friday."]) == (
        "Police arrested two men on Friday"
    )


def test_an_apposition_a_determiner_opens_ends_in_a_noun() -> None:
    assert not has_verb(["Prince", "Bishop,", "a", "14-1", "long", "shot"])
    assert has_verb(["Smith,", "a", "lawyer,", "resigned"]) and has_verb(["The", "president", "resigned"])


def test_past_an_opening_phrase_the_lead_gives_a_headline_whose_verb_the_list_lacks() -> None:
    lead = (
        "During a conversation with a professor at an Ivy League college, a mother nudges her "
        "daughter to share how she's president of her school's group."
    )
    assert headline([lead]) == "A mother nudges her daughter to share how she's president"
