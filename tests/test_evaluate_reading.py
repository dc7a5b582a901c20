"""How a brief reads (briefer/evaluate/reading.py): each figure counts what it says and no more."""

from __future__ import annotations

import pytest

from briefer.evaluate.fields import RowArticle
from briefer.evaluate.reading import (
    ReadingTally,
    is_furniture,
    opens_mid_thought,
    reading_rows,
    role_crosses_break,
    split_names,
    split_sentences,
)
from briefer.models import Brief, Dateline, Entity

ARTICLE = (
    "The Boko Haram group attacked a town in Nigeria on Monday, officials said. Troops will return "
    "next week. Nigerian President Goodluck Jonathan condemned the attack. "
    "CNN's Tim Lister contributed to this report. ©2015 Billboard. All Rights Reserved."
)


@pytest.mark.parametrize(
    ("takeaway", "mid_thought"),
    [
        ("But Mr Clarke accused him of trying to score points.", True),
        ('"I was scared," she said.', True),
        ("We're going home, the coach said.", True),
        ("You can't stop it.", True),
        ("Andrew Clarke accused him of trying to score points.", False),
        ("Soldiers said so.", False),
        ("Italy will play.", False),
    ],
)
def test_mid_thought_openings_are_conjunctions_and_first_or_second_person(
    takeaway: str, mid_thought: bool
) -> None:
    assert opens_mid_thought(takeaway) is mid_thought


@pytest.mark.parametrize(
    ("role", "crosses"),
    [
        ("UK. Tory co-chairman", True),
        ("the city engineer. The Army Corps of Engineers must still sign off", True),
        ("a St. Louis alderman", False),
        ("U.S. Army spokesman", False),
        ("Dr. Smith's deputy", False),
    ],
)
def test_a_role_crosses_a_break_at_a_full_stop_before_a_capital(role: str, crosses: bool) -> None:
    assert role_crosses_break(role) is crosses


def test_furniture_is_a_credit_or_copyright_line_and_nothing_said_in_the_story() -> None:
    assert is_furniture("Tim Lister", ARTICLE)
    assert is_furniture("Rights Reserved", ARTICLE)
    assert not is_furniture("Goodluck Jonathan", ARTICLE)
    assert not is_furniture("U.N.", "By 2050, the U.N. predicts most of us will live in cities.")
    assert is_furniture("Jane Doe", "Storm hits coast\nBy Jane Doe\nThe storm hit the coast.")


def test_split_names_are_two_topics_from_one_name_that_is_not_a_topic() -> None:
    assert split_names(["boko", "haram", "nigeria"], ["Boko Haram"])
    assert not split_names(["boko haram", "nigeria"], ["Boko Haram"])
    assert not split_names(["nigeria", "attack"], ["Boko Haram"])


def test_summary_sentences_are_split_at_full_stops_before_capitals() -> None:
    assert split_sentences("Troops left St. Louis. They will return. U.S. officials said so.") == [
        "Troops left St. Louis.",
        "They will return.",
        "U.S. officials said so.",
    ]


def _brief(**changes: object) -> Brief:
    fields: dict[str, object] = {
        "headline": "Boko Haram attacked a town in Nigeria on Monday, officials said, in a raid that left …",
        "dateline": Dateline(place=None, date=None, outlet=None),
        "summary": "The Boko Haram group attacked a town in Nigeria on Monday, officials said. Troops will return next week.",
        "key_takeaways": [
            "The Boko Haram group attacked a town in Nigeria on Monday, officials said.",
            "But Nigerian President Goodluck Jonathan condemned the attack.",
        ],
        "entities": [
            Entity(name="Tim Lister", kind="person", role="named in the story"),
            Entity(name="Goodluck Jonathan", kind="person", role="Nigerian President. Troops"),
        ],
        "what_to_watch": ["Troops will return next week.", "The moon will turn green in April."],
        "topics": ["boko", "haram", "nigeria"],
        "quotes": [],
        "sources": [],
    }
    return Brief.model_validate(fields | changes)


def test_one_brief_counted_figure_by_figure() -> None:
    tally = ReadingTally()
    tally.brief_seen(_brief(), RowArticle(ARTICLE, None), None, lambda headline: False, ["Boko Haram"])
    s = tally.scores()
    assert (s.headlines_cut, s.headlines_without_verb, s.headlines_over_15_words) == (100, 100, 100)
    assert s.titles == 0 and s.titles_kept is None
    assert (s.summary_2_to_4_sentences, s.summary_repeats_takeaway, s.summary_all_takeaways) == (100, 100, 0)
    assert s.takeaways_mid_thought == 50
    assert (s.roles_across_break, s.furniture_entities, s.watch_flagged) == (1, 1, 1)
    assert s.briefs_splitting_a_name == 100
    assert len(reading_rows(s)) == 12


def test_a_title_kept_and_no_tagger_leaves_the_verb_figure_out() -> None:
    tally = ReadingTally()
    brief = _brief(headline="Boko Haram attacks Nigerian town")
    tally.brief_seen(brief, RowArticle(ARTICLE, None), "Boko Haram attacks  Nigerian town", None, [])
    s = tally.scores()
    assert (s.titles, s.titles_kept, s.headlines_without_verb, s.headlines_cut) == (1, 100, None, 0)
