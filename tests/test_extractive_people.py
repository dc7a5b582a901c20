"""People: who 'he', 'she', 'Asif' and 'the prime minister' are."""

from __future__ import annotations

from support.extractive_cases import (
    BBC_POLITICS,
    SAFARI,
    brief_of,
)

from briefer.engines.extractive.attribution import attribute
from briefer.engines.extractive.people import People


def test_he_said_resolves_to_the_person_named_just_before() -> None:
    # BBC politics (seeds/bbc-politics-147.txt): the last *speaker* before this quote is Liam Fox,
    # but the sentence before it names Mr Clarke.
    text = (
        "Tory co-chairman Liam Fox said the comments were at odds with policy. Home Secretary Charles Clarke "
        'spoke in Gateshead. Mr Clarke dismissed the latest Tory attack. "This is simply a scurrilous attempt '
        'by the Tories to score cheap political points," he said.'
    )
    found = attribute(text, 0)
    assert found.quotes == [
        (
            "Charles Clarke",
            "This is simply a scurrilous attempt by the Tories to score cheap political points",
        )
    ]


def test_she_is_not_the_man_named_before_her() -> None:
    # seeds/cnn-3122b54466ba.txt: "his wife Gerti" says these, not Philip Kusseler, whom the
    # sentence before calls "his"; "Gerti concedes" names her for the second "she says".
    brief = brief_of(SAFARI)
    quotes = {q.text: q.speaker for q in brief.quotes}
    assert quotes["We train all our horses in basic dressage"] == "Gerti"
    assert (
        quotes[next(t for t in quotes if t.startswith("We have had people that were too scared"))] == "Gerti"
    )
    assert not any(
        s == "Philip Kusseler"
        and t.startswith(("We train", "It's very important", "We have had", "He gives"))
        for t, s in quotes.items()
    )


def test_he_told_bbc_radio_is_the_doctor_named_in_the_sentence_before() -> None:
    # seeds/bbc-politics-147.txt: "Dr Fox" is Liam Fox, named in full earlier; the last person
    # named ("Mr Blair") is the object, not the subject, and Mr Clarke spoke last.
    found = attribute(BBC_POLITICS, 0)
    assert (
        "Liam Fox",
        "If you are willing to lie about the reasons for going to war, I guess you are going to lie about "
        "anything at all.",
    ) in found.quotes


def test_they_said_is_no_single_person() -> None:
    # cnndm-8fe92cd7737e: the police force speaks, not the BBC manager quoted before it.
    text = (
        'Ken MacQuarrie, director of BBC Scotland, said: "I want to record my thanks to all staff." '
        "North Yorkshire police issued a statement Wednesday saying they had asked for the BBC's report. "
        '"The information will be assessed appropriately and action will be taken where necessary," they said.'
    )
    assert [s for s, _ in attribute(text, 0).quotes] == ["Ken MacQuarrie"]


def test_a_shortened_name_is_the_full_name_the_article_gave_first() -> None:
    people = People()
    assert people.add("Defence Minister Khawaja Asif") == "Khawaja Asif"
    assert people.resolve("Asif") == "Khawaja Asif"
    assert people.by_name["Khawaja Asif"].role == "Defence Minister"


def test_an_honorific_is_no_role_but_tells_the_gender() -> None:
    people = People()
    assert people.add("Mrs Thatcher") == "Thatcher"
    assert people.by_name["Thatcher"].role is None
    assert people.gender["Thatcher"] == "she"


def test_a_name_described_as_a_group_is_no_person() -> None:
    people = People()
    assert people.add("Boko Haram", "the Islamist extremist group") is None
    assert people.add("Boko Haram", "its leader") is None  # once a group, always a group
    assert people.by_name == {}


def test_one_unknown_word_with_no_title_is_not_taken_for_a_person() -> None:
    # "Rover said" is as likely the carmaker as a man called Rover.
    assert People().add("Rover") is None
