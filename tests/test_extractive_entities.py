"""Entities: the people, organisations and places a story is about, with their roles."""

from __future__ import annotations

import pytest
from support.extractive_cases import (
    seed_brief,
)

from briefer.engines.extractive.attribution import attribute
from briefer.engines.extractive.entities import MAX_PER_KIND


def kinds_of(text: str) -> dict[str, str]:
    """Each entity's kind, by name, as the offline engine reads ``text``."""
    return {name: kind for name, kind, _ in attribute(text, 0).entities}


def test_seed_entities_have_roles_from_the_text() -> None:
    seed = seed_brief()
    people = {e.name: e.role for e in seed.entities if e.kind == "person"}
    assert people["Khawaja Asif"] == "Pakistan's Defence Minister"
    assert people["Abdul Mateen Qani"] == "spokesperson for the Afghan Ministry of Interior"
    assert ("Islamabad", "place") in {(e.name, e.kind) for e in seed.entities}


def test_people_then_organisations_then_places_each_most_central_first() -> None:
    text = (
        "LONDON (Reuters) - Shares in Rover fell sharply in London on Monday as the Nanjing Automobile Group "
        "said it would review the deal. Staff at the Longbridge plant in Birmingham were told to stay at home. "
        "Workers in Birmingham met union officials in Longbridge. The Nanjing Automobile Group declined to comment."
    )
    body_start = text.index("Shares")
    entities = attribute(text, body_start, "Reuters", "LONDON").entities
    assert entities == [
        ("Nanjing Automobile Group", "organisation", "named in the story"),
        ("London", "place", "dateline"),  # the dateline's LONDON, as the body writes it
        ("Longbridge", "place", "place in the story"),  # as central as Birmingham, named first
        ("Birmingham", "place", "place in the story"),
    ]


STORY = (
    "The co-pilot of the crashed Germanwings jet, first officer Andreas Lubitz, 27, had a history of "
    "depression. Lubitz locked the captain out, prosecutors said. Red Bull's No.1 driver Daniel Ricciardo "
    'finished sixth. "No one saw it coming," Ricciardo said. The Blurred Lines verdict went against '
    "Robin Thicke and Pharrell Williams. Thicke said he would appeal. The family of Marvin Gaye welcomed it. "
    'In the film "Run All Night", Liam Neeson plays a hitman; Inspector X is the villain. '
    "Boko Haram, the Islamist militant group, attacked Chibok again. Boko Haram fighters fled to Niger. "
    "The Boko Haram attack was condemned in Hong Kong."
)


def test_who_is_who_names_people_in_full_with_roles_from_the_text_and_kinds_by_their_clues() -> None:
    entities = {name: (kind, role) for name, kind, role in attribute(STORY, 0).entities}

    assert entities["Andreas Lubitz"] == ("person", "first officer")  # 'Lubitz' is the same man
    assert entities["Daniel Ricciardo"] == ("person", "Red Bull's No.1 driver")
    assert entities["Robin Thicke"][0] == "person" and "Thicke" not in entities
    assert entities["Boko Haram"] == ("organisation", "Islamist militant group")
    assert entities["Red Bull"][0] == "organisation"  # it owns a driver: no person
    assert entities["Hong Kong"][0] == "place"
    assert "No" not in entities and "X" not in entities  # a sentence opener, a one-letter name
    assert entities["Run All Night"] == ("work", "film")  # a title in quote marks, after its noun
    assert entities.get("Blurred Lines", ("work",))[0] == "work"  # a title, never a person


def test_events_and_works_have_kinds_of_their_own() -> None:
    text = (
        "Lewis Hamilton won the Australian Grand Prix in Melbourne. Hamilton said the car was fast. "
        'In "Game of Thrones," Yunkai was filmed in Morocco. The show returns in April.'
    )
    entities = kinds_of(text)

    assert entities["Australian Grand Prix"] == "event"
    assert entities["Game of Thrones"] == "work"  # a quoted title holding 'of', its comma inside the marks


def test_a_country_written_in_full_and_as_initials_is_one_place_named_in_full() -> None:
    text = "Officials said the U.S. would act. The United States sent ships. U.S. officials agreed."
    places = [name for name, kind, _ in attribute(text, 0).entities if kind == "place"]

    assert places == ["United States"]


def test_a_describing_word_before_a_name_is_the_role_not_the_name() -> None:
    text = (
        "Londoner Tony Francis, 40, watched the parade. Tom Perry, a spokesman for the aid organization "
        "CARE International, said food ran out. Perry said more was needed."
    )
    entities = {name: (kind, role) for name, kind, role in attribute(text, 0).entities}

    assert entities["Tony Francis"] == ("person", "Londoner")
    assert entities["Tom Perry"][0] == "person"  # the organisation in his role is not what he is
    assert entities["CARE International"][0] == "organisation"


def test_a_name_with_nothing_to_say_what_it_is_is_left_out_when_it_is_not_central() -> None:
    lead = "Rescuers searched the hills on Monday after the storm. " * 8
    text = lead + "They met Zorvan Telliq. Le Parisien reported the search."
    assert attribute("They met Zorvan Telliq. " + lead, 0).entities  # in the lead, the same name is listed
    names = [name for name, _, _ in attribute(text, 0).entities]

    assert "Zorvan Telliq" not in names  # once, after the lead, no cue: not guessed
    assert "Le Parisien" not in names  # a French article opens it: no person, whatever it did


def test_room_left_by_other_kinds_goes_to_more_places() -> None:
    towns = ["London", "Paris", "Berlin", "Madrid", "Rome", "Vienna"]
    text = " ".join(f"Floods reached {town} on Monday, and {town} was cut off." for town in towns)
    places = [name for name, kind, _ in attribute(text, 0).entities if kind == "place"]

    assert len(places) > MAX_PER_KIND["place"]


def test_people_come_first_most_central_first() -> None:
    kinds = [kind for _, kind, _ in attribute(STORY, 0).entities]
    names = [name for name, _, _ in attribute(STORY, 0).entities]

    assert kinds == sorted(kinds, key=list(MAX_PER_KIND).index)
    assert names.index("Andreas Lubitz") < names.index("Liam Neeson")  # named twice against once


def test_kinds_by_the_words_of_the_name() -> None:
    text = (
        "Officials in North Yorkshire said the North Yorkshire Police would investigate. The BBC said "
        "the car left Ben Gurion Airport. Chris Evans, a presenter, said it was sad. "
        "The North Yorkshire Police declined to comment."
    )
    entities = kinds_of(text)

    assert entities == {
        "Chris Evans": "person",
        "North Yorkshire Police": "organisation",
        "BBC": "organisation",
        "North Yorkshire": "place",
        "Ben Gurion Airport": "place",
    }


def test_a_role_read_across_a_full_stop_keeps_its_own_sentence_and_credits_name_no_one() -> None:
    from briefer.engines.extractive.engine import ExtractiveEngine
    from briefer.models import Article

    text = (
        "Floods cut the town of Barnsley off on Monday, police said. The river rose two metres overnight "
        "near the town of Barnsley. The city engineer, Tom Reyes, said the river would fall by Friday. "
        "Reyes said repairs would take weeks. Emergency crews worked through the night. "
        "Twisted Sister guitarist Jay Jay French sang for the crews. French said he was glad to help. "
        "CNN's Tim Lister contributed to this report. ©2015 Billboard. All Rights Reserved."
    )
    brief = ExtractiveEngine().run(Article(text=text)).brief
    names = {e.name: e.role for e in brief.entities}
    assert "Tim Lister" not in names and not any("Reserved" in n for n in names)
    assert all(". " not in (role or "") for role in names.values())


@pytest.mark.parametrize(
    ("role", "kept"),
    [
        ("Stanton. Twisted Sister guitarist", "Twisted Sister guitarist"),
        ("the city engineer. The Army Corps of Engineers must still sign off", "the city engineer"),
        ("a St. Louis alderman", "a St. Louis alderman"),
    ],
)
def test_a_role_across_a_sentence_break_keeps_the_sentence_with_the_role(role: str, kept: str) -> None:
    from briefer.engines.extractive.entities import _one_sentence

    assert _one_sentence(role) == kept


def test_a_time_zone_is_no_entity() -> None:
    text = "The match in Cardiff kicks off at 1900 GMT on Saturday. Tickets went on sale at 0900 GMT today."
    assert "GMT" not in [name for name, _, _ in attribute(text, 0).entities]


def test_a_playing_position_before_a_name_is_the_role() -> None:
    text = "Wales beat Italy in Rome on Saturday. Fly-half Stephen Jones kicked three penalties. Jones was pleased."
    people = {name: role for name, kind, role in attribute(text, 0).entities if kind == "person"}

    assert people == {"Stephen Jones": "Fly-half"}


@pytest.mark.parametrize(
    "company",
    ["SK Telecom", "Sierra Wireless", "SBC Communications", "Lucent Technologies", "Warner Brothers"],
)
def test_a_company_is_known_by_its_trade_word(company: str) -> None:
    text = f"Shares rose in New York on Monday. {company} said profits doubled. {company} will hire staff."
    assert (company, "organisation") in [(name, kind) for name, kind, _ in attribute(text, 0).entities]


THE_OF_ANOTHER = (
    "The hearing opened in Washington on Monday. The UAE's Saeed bin Suroor watched from the gallery. "
    "Lawyers recalled the Monica Lewinsky scandal, and Monica Lewinsky later wrote about it."
)
FROM_SOMEONE = (
    "Wales beat Italy in Rome on Saturday. The winner came from Shane Williams after a cross from "
    "Shane Williams had been cleared. Fans flew home from Jordan Valley."
)
NAMED_AGAIN = (
    "Chelsea beat Arsenal in London on Sunday. Wayne Bridge crossed for the winner. "
    "Bridge said the team deserved it. Fans later gathered in Victoria Park."
)
PLACE_INSIDE = (
    "Orcas will no longer be bred in captivity, the park said on Monday. SeaWorld San Diego "
    "will end its shows next year. Visitors to San Diego were surprised."
)
ELIDED = (
    "The pope visited Turin on Sunday. L'Osservatore Romano praised the visit. "
    "L'Osservatore Romano said crowds waited for hours."
)


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        (THE_OF_ANOTHER, "Saeed bin Suroor", "person"),  # the title's "the", not the name's
        (THE_OF_ANOTHER, "Monica Lewinsky", "person"),  # the scandal's "the"
        (FROM_SOMEONE, "Shane Williams", "person"),  # 'from' a full name: no place cue
        (NAMED_AGAIN, "Wayne Bridge", "person"),  # named again by the place word alone
        (NAMED_AGAIN, "Victoria Park", "place"),
        (PLACE_INSIDE, "SeaWorld San Diego", "organisation"),  # a known place of two words inside
        (ELIDED, "L'Osservatore Romano", "organisation"),  # an elided article of another language
    ],
)
def test_kinds_from_cues_read_as_they_are_meant(text: str, name: str, kind: str) -> None:
    assert kinds_of(text)[name] == kind
