"""Takeaways that stand alone (briefer/engines/extractive/standalone.py): "He" named in brackets,
"It" and "They" passed over; the seed's brief says who emphasised what."""

from __future__ import annotations

from support.extractive_cases import seed_brief

from briefer.engines.extractive import ExtractiveEngine
from briefer.engines.extractive.attribution import attribute
from briefer.engines.extractive.standalone import Standalone
from briefer.grounding import verify_brief
from briefer.models import Article
from briefer.text.sentences import sentences

TEXT = (
    "Prime Minister Theresa May met union leaders in London on Monday to discuss the strike. "
    "She said the talks had been constructive and would resume on Friday. "
    "It is the third strike this year, and the longest since the dispute began in March. "
    "They warned that further walkouts would follow if no agreement was reached by then. "
    "Rail services across the south of England were cancelled for a second day running. "
    "Commuters queued for buses outside Waterloo station as the stoppage went on all day."
)


def _standalone(text: str = TEXT) -> tuple[Standalone, list[str]]:
    spans = sentences(text)
    texts = [s.of(text) for s in spans]
    return Standalone(text, spans, texts, attribute(text, 0, body=spans).people), texts


def test_a_he_or_she_opening_names_the_person_in_brackets_and_it_or_they_is_no_bullet() -> None:
    standalone, texts = _standalone()

    assert standalone.bullet(0) == texts[0]
    assert (
        standalone.bullet(1)
        == "[Theresa May] said the talks had been constructive and would resume on Friday."
    )
    assert standalone.bullet(2) is None and standalone.bullet(3) is None


def test_the_engine_briefs_with_bullets_that_stand_alone_and_pass_grounding() -> None:
    brief = ExtractiveEngine().run(Article(text=TEXT)).brief

    assert not any(t.startswith(("It ", "They ", "She ")) for t in brief.key_takeaways)
    assert verify_brief(brief, TEXT).ok


def test_the_seed_takeaways_stand_alone() -> None:
    takeaways = seed_brief().key_takeaways

    assert any(t.startswith("[Khawaja Asif] emphasized") for t in takeaways)
    assert not any(t.split()[0] in {"He", "She", "It", "They"} for t in takeaways)


MID_THOUGHT = (
    "Police closed the bridge on Tuesday after a crack was found. "
    "But Mayor Ann Lee said the bridge would reopen within a week. "
    "And the city will pay for repairs. "
    "So the council met on Wednesday to discuss the cost of the work. "
    "So far, nobody has been hurt on the bridge this year. "
    '"I was driving across when I heard the crack," said Tom Reyes, a commuter. '
    '"You could feel the whole thing shake," a witness said after the closure on Tuesday night.'
)


def test_mid_thought_openings_drop_their_conjunction_or_name_the_speaker_or_are_passed_over() -> None:
    spans = sentences(MID_THOUGHT)
    texts = [s.of(MID_THOUGHT) for s in spans]
    found = attribute(MID_THOUGHT, 0, body=spans)
    standalone = Standalone(MID_THOUGHT, spans, texts, found.people, found.quotes)

    assert standalone.bullet(1) == "Mayor Ann Lee said the bridge would reopen within a week."
    assert standalone.bullet(2) == "The city will pay for repairs."
    assert standalone.bullet(3) is None  # "So the council ...": leans on the sentence before
    assert standalone.bullet(4) == texts[4]  # "So far" is an adverb
    assert standalone.bullet(5) == 'Tom Reyes said: "I was driving across when I heard the crack."'
    assert standalone.bullet(6) is None  # a quote in the second person with no one named


def test_in_a_first_person_piece_the_authors_i_stands_alone() -> None:
    essay = (
        "I grew up in a small town in Ohio. I was the first in my family to go to college. "
        "My parents were teachers all their lives. I learned early that school could change a life. "
        "I now teach in the same town where I grew up."
    )
    standalone, texts = _standalone(essay)
    assert [standalone.bullet(i) for i in range(len(texts))] == texts
    single, _ = _standalone("Floods hit the town on Monday. I was scared, one resident said later that day.")
    assert single.bullet(1) is None


def test_a_he_is_never_a_place_that_acted_just_before() -> None:
    """'Kabul refused' makes Kabul a subject, but the 'He' after it is not Kabul: with the minister
    named two sentences back, out of reach, the bullet is dropped rather than misattributed."""
    text = (
        "Pakistan's defence minister Khawaja Asif spoke to reporters on Monday about the failed talks. "
        "He said the negotiations in Istanbul had collapsed after Kabul refused to act against militants. "
        "He added that Pakistan would respond to any attack with full force."
    )
    standalone, texts = _standalone(text)
    assert standalone.bullet(1) == texts[1].replace("He", "[Khawaja Asif]", 1)
    assert standalone.bullet(2) is None


def test_a_he_after_a_person_the_article_leaves_unnamed_is_named_by_no_one() -> None:
    """'His' two sentences after 'The 21-year-old California man' is that man, not the official
    quoted earlier (a CNN dev brief said '[James Clapper's] arraignment is scheduled ...')."""
    text = (
        "National Intelligence Director James Clapper said 180 Americans have tried to go to Syria. "
        "The 21-year-old California man was arrested last summer, but was indicted on Wednesday. "
        "The FBI said he attempted to offer himself and material support to ISIS. "
        "His arraignment is scheduled for later this month."
    )
    standalone, texts = _standalone(text)
    assert standalone.bullet(3) is None
    assert standalone.bullet(0) == texts[0]
