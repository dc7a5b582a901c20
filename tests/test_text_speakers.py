"""The speaker check grounding applies to a quote, and the offline engine to every quote it keeps."""

from __future__ import annotations

from briefer.text.sentences import sentences
from briefer.text.speakers import SpeakerCheck

# BBC politics (seeds/bbc-politics-147.txt), shortened.
TEXT = (
    "Tory co-chairman Liam Fox said the comments were at odds with policy. Home Secretary Charles Clarke "
    "spoke in Gateshead on Thursday. Mr Clarke dismissed the latest Tory attack. The election is close. "
    '"This is simply a scurrilous attempt by the Tories to score cheap political points," he said.'
)


def check(quote: str, speaker: str, text: str = TEXT) -> bool:
    start = text.index(quote)
    return SpeakerCheck(text, sentences(text))(start, start + len(quote), speaker)


def test_a_pronoun_attribution_looks_back_a_few_sentences_for_the_speaker() -> None:
    quote = "This is simply a scurrilous attempt"
    assert check(quote, "Charles Clarke")
    assert check(quote, "Mr Clarke")  # titles aside, the surname is what must be seen
    assert not check(quote, "Liam Fox")  # four sentences back: beyond the look-back
    assert not check(quote, "Tony Blair")


def test_a_name_the_quote_is_attributed_to_must_be_the_speaker() -> None:
    text = (
        'Mr Blair spoke first. "We will win this election," said Gordon Brown, the Chancellor. '
        "The campaign goes on."
    )
    assert check("We will win this election", "Gordon Brown", text)
    assert not check("We will win this election", "Tony Blair", text)


def test_without_a_pronoun_the_speaker_must_be_in_the_next_sentence_or_the_one_before() -> None:
    text = (
        "Rachel Reeves visited the factory. Workers met the minister. Talks went on for hours. "
        'Staff were worried about pay. "Our jobs are at risk after this decision."'
    )
    assert not check("Our jobs are at risk", "Rachel Reeves", text)
    assert check("Our jobs are at risk", "Staff", text)


def test_a_possessive_name_names_the_speaker() -> None:
    text = 'Mr Clarke\'s office issued a statement. "We reject every claim in the report."'
    assert check("We reject every claim", "Charles Clarke", text)
