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


# CNN (tests/data/eval_sample.jsonl, cnndm-6873f1e30dba), shortened: wire copy on one line.
RICCIARDO = (
    "Ricciardo experienced the full extent of F1's cruelty at last year's Melbourne race. The Australian "
    "crossed the line in second place. He was disqualified hours after the race. \"It's frustrating, I mean "
    "it's a part of the sport which will always be frustrating,\" said the 25-year-old, reflecting on what "
    "was his Red Bull debut. \"I'm sure even Lewis and Nico last year were frustrated at the times because "
    'you never have the perfect car," he added, referring to the two Mercedes drivers. "But it is what it '
    "is, I signed up for that a long time ago.\" It's a sport where even driving ability often fails to "
    "overcome mechanical failures. Finnish driver Valterri Bottas lost a wheel in 2014."
)


def test_said_the_25_year_old_then_he_added_lead_back_to_the_speaker_named_before() -> None:
    """A description ("said the 25-year-old") carries the chain on: Ricciardo is four sentences back."""
    for quote in ("It's frustrating, I mean", "I'm sure even Lewis", "But it is what it is"):
        assert check(quote, "Daniel Ricciardo", RICCIARDO), quote
        assert not check(quote, "Valterri Bottas", RICCIARDO), quote


def test_someone_else_given_speech_ends_the_chain() -> None:
    text = (
        'Ricciardo spoke first. The race was long. "We lost too much time," said team boss Christian '
        'Horner. "The car was slow in the corners," he added.'
    )
    assert check("The car was slow", "Christian Horner", text)
    assert not check("The car was slow", "Daniel Ricciardo", text)


# A council story written in paragraphs: the speaker is named where the paragraph begins.
COUNCIL = (
    "Mayor Jane Okafor opened the session at nine. The council had debated the budget for weeks. "
    'Tempers were short. Several members walked out. "We cannot keep cutting the libraries," she '
    "pleaded.\n\nThe vote is due on Friday. Councillor Tom Reyes, who leads the opposition, disagreed. "
    'Few expect it to pass. Fewer still expect the cuts to stop. "The money is simply not there."'
)


def test_a_speaker_named_anywhere_in_the_quotes_paragraph_is_near() -> None:
    assert check("We cannot keep cutting", "Jane Okafor", COUNCIL)
    assert not check("We cannot keep cutting", "Tom Reyes", COUNCIL)
    assert check("The money is simply not there", "Tom Reyes", COUNCIL)
    assert not check("The money is simply not there", "Jane Okafor", COUNCIL), "another paragraph"


def test_without_paragraphs_a_speaker_four_sentences_back_is_not_near() -> None:
    one_block = COUNCIL.replace("\n\n", " ")
    assert not check("We cannot keep cutting", "Jane Okafor", one_block)


def test_a_date_or_whom_the_speaker_told_is_not_named_as_the_speaker() -> None:
    """'she said on Monday' names a day and 'she told Reuters' a listener: the speaker is Okafor."""
    text = (
        'Mayor Jane Okafor spoke to the council. "We cannot keep cutting the libraries," she said on '
        'Monday. "We will not," she told Reuters. "It is over," said Tom Reyes.'
    )
    in_paragraphs = text + "\n\nThe vote is due on Friday."
    for quote in ("We cannot keep cutting", "We will not"):
        assert check(quote, "Jane Okafor", text), quote
        assert not check(quote, "Tom Reyes", text), quote
        assert not check(quote, "Tom Reyes", in_paragraphs), "'she told' points back, not on"
    assert not check("It is over", "Jane Okafor", text)
