"""Field-level figures (briefer/evaluate/fields.py): which highlight names count, when a brief's
entities hold them, which takeaways open with a pronoun, and the sums a system is scored on."""

from __future__ import annotations

import pytest

from briefer.evaluate.fields import (
    RowArticle,
    Tally,
    highlight_names,
    name_found,
    names_in,
    opens_with_pronoun,
)
from briefer.models import Brief, Dateline, Entity, Quote

ARTICLE = (
    "Israeli Prime Minister Benjamin Netanyahu flew to Washington on Monday. "
    '"We must unite," Netanyahu told reporters. South Korea\'s National Intelligence Service said '
    "the Boko Haram video was real. Daniel Ricciardo of Red Bull finished sixth."
)


@pytest.mark.parametrize(
    ("highlight", "names"),
    [
        ("Israeli Prime Minister Benjamin Netanyahu flew to Washington .", ["Benjamin Netanyahu"]),
        (
            "South Korea's National Intelligence Service says so",
            ["South Korea", "National Intelligence Service"],
        ),
        ("The Boko Haram video shows two men", ["Boko Haram"]),
        ("Ricciardo finished sixth for Red Bull's team", ["Red Bull"]),
        ("Sen. Cornyn and President Obama disagree", []),  # one word once the title is gone
        ("University of Oklahoma expels student", ["University of Oklahoma"]),
    ],
)
def test_names_in_a_highlight_lose_openers_titles_and_possessives(highlight: str, names: list[str]) -> None:
    assert names_in(highlight) == names


def test_only_names_the_article_spells_the_same_way_count_once_each() -> None:
    highlights = ["Benjamin Netanyahu flies to Washington", "Benjamin Netanyahu and Angela Merkel talk"]

    assert highlight_names(highlights, ARTICLE) == ["Benjamin Netanyahu"]


def test_a_name_is_found_in_a_longer_entity_but_not_in_a_surname() -> None:
    assert name_found("Benjamin Netanyahu", ["Prime Minister Benjamin Netanyahu"])
    assert name_found("Prime Minister Benjamin Netanyahu", ["Benjamin Netanyahu"])
    assert name_found("Boko Haram", ["boko haram’s"])
    assert not name_found("Benjamin Netanyahu", ["Netanyahu"])
    assert not name_found("Serena Williams", ["Williams", "Serena"])


@pytest.mark.parametrize(
    ("takeaway", "opens"),
    [
        ("He told CNN the arrests affected hundreds.", True),
        ("It's a bold pledge, some might say.", True),
        ('"They will pay," the minister said.', True),
        ("Their lawyers appealed.", True),
        ("[Netanyahu] also said Iran could not be trusted.", False),
        ("Hezbollah denied it.", False),
        ("This week the court ruled.", False),
    ],
)
def test_a_takeaway_opening_with_a_personal_pronoun_does_not_stand_alone(takeaway: str, opens: bool) -> None:
    assert opens_with_pronoun(takeaway) is opens


def _brief(**fields: object) -> Brief:
    base: dict[str, object] = {
        "headline": "Netanyahu flies to Washington",
        "dateline": Dateline(place=None, date=None, outlet=None),
        "summary": "Netanyahu flew to Washington.",
        "key_takeaways": ["Netanyahu flew to Washington on Monday.", "He told reporters to unite."],
        "entities": [],
        "quotes": [],
        "sources": [],
        "what_to_watch": [],
        "topics": [],
    }
    return Brief.model_validate(base | fields)


class _Tagger:
    """A stand-in reference: Netanyahu is a person and Washington a place; 'unite' is a verb."""

    def kind_of(self, name: str) -> str | None:
        return {"Benjamin Netanyahu": "person", "Washington": "place"}.get(name)

    def is_noun(self, phrase: str) -> bool:
        return phrase != "unite"

    def names(self) -> list[str]:
        return ["Benjamin Netanyahu"]


def test_a_brief_is_scored_on_every_field() -> None:
    brief = _brief(
        entities=[
            Entity(name="Benjamin Netanyahu", kind="person", role="Israeli Prime Minister"),
            Entity(name="Washington", kind="organisation", role="named in the story"),
            Entity(name="Red Bull", kind="organisation", role="named in the story"),  # untagged
        ],
        quotes=[
            Quote(speaker="Netanyahu", text="We must unite"),
            Quote(speaker="Netanyahu", text="We must never unite"),
        ],
        topics=["washington", "unite"],
    )
    tally = Tally()
    tally.brief_seen(brief, ["Benjamin Netanyahu", "Boko Haram"], RowArticle(ARTICLE, lambda text: _Tagger()))

    scores = tally.scores()

    assert (scores.highlight_names, scores.names_found) == (2, 50.0)
    assert (scores.entities_tagged, scores.kinds_agree) == (2, 50.0)
    assert (scores.topics, scores.topics_nouns) == (2, 50.0)
    assert (scores.takeaways, scores.pronoun_openings, scores.briefs_with_pronoun_opening) == (2, 50.0, 100.0)
    assert (scores.quotes, scores.quotes_verbatim_with_speaker) == (2, 50.0)


def test_without_a_tagger_its_figures_are_left_out_and_a_baseline_has_only_takeaways() -> None:
    engine, baseline = Tally(), Tally()
    engine.brief_seen(_brief(topics=["washington"]), ["Boko Haram"], RowArticle(ARTICLE, None))
    baseline.takeaways_seen(["Netanyahu flew to Washington on Monday.", "It rained."])

    scores, lead = engine.scores(), baseline.scores()

    assert scores.names_found == 0.0 and scores.kinds_agree is None and scores.topics_nouns is None
    assert scores.quotes_verbatim_with_speaker is None  # no quotes: nothing to share out
    assert lead.names_found is None and lead.pronoun_openings == 50.0
