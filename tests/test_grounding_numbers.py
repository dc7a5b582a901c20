"""Numbers in a claim must be the article's: written another way or rounded, but never changed."""

from __future__ import annotations

import pytest
from support.grounding_cases import RETAIL, ROVER, SEED, takeaway

from briefer.grounding.numbers import Number, figures, numbers


@pytest.mark.parametrize(
    ("changed", "term"),
    [
        ("neither NATO nor the United States conquered Afghanistan despite 30 years of conflict.", "30"),
        ("Some 3,000 jobs at MG Rover's Midlands plant may be cut.", "3,000"),
        ("Nanjing Auto wants a 30% stake in the joint venture.", "30%"),
        ("The investment deal is worth £3bn.", "£3bn"),
    ],
)
def test_a_changed_number_is_flagged(changed: str, term: str) -> None:
    article = SEED if "Afghanistan" in changed else ROVER
    check = takeaway(changed, article)
    assert not check.supported
    assert check.unsupported_terms == [term.strip("%£")]


def test_rounding_is_allowed_only_to_the_precision_written() -> None:
    assert takeaway("Annual sales were about $4.1 trillion.", RETAIL).unsupported_terms == []
    assert takeaway("Annual sales were about $4.2 trillion.", RETAIL).unsupported_terms == ["4.2 trillion"]


@pytest.mark.parametrize(
    ("claim", "article"),
    [
        ("Annual US retail sales broke through four trillion dollars for the first time.", RETAIL),
        ("Annual sales came to $4 trillion, and December sales rose 1.2 percent.", RETAIL),
        ("Some two thousand jobs at MG Rover may be cut.", ROVER),
        ("The Chinese firm's deal is worth one billion pounds.", ROVER),
        ("Americans filing jobless claims rose to 367,000.", RETAIL),
    ],
)
def test_numbers_written_another_way_are_not_flagged(claim: str, article: str) -> None:
    check = takeaway(claim, article)
    assert check.unsupported_terms == [], check.problems


def test_numbers_are_read_with_their_scale_whatever_way_they_are_written() -> None:
    found = {
        n.text: n.value
        for n in numbers("Some 2,000 jobs, a £3bn deal, twenty-five people and three hundred cars.")
    }
    assert found == {"2,000": 2000, "3bn": 3e9, "twenty-five": 25, "three hundred": 300}


def test_a_lone_one_is_not_a_number() -> None:
    # "one of the ..." is how English says "a"; a claim's "one" must not need a 1 in the article.
    assert [n.text for n in numbers("One of the workers said one day it would end.")] == []


@pytest.mark.parametrize(
    ("claim", "article"),
    [
        ("NATO and the US failed to conquer Afghanistan in two decades of conflict.", SEED),
        ("Rover bosses are confident the $1.9 billion investment deal will be signed.", ROVER),
        ("Khawaja Asif issued the warning on 29 October.", SEED),
    ],
)
def test_equivalent_forms_of_a_figure_are_not_flagged(claim: str, article: str) -> None:
    check = takeaway(claim, article)
    assert check.supported, check.problems


def test_a_decade_is_ten_years_and_a_date_is_one_figure_whichever_way_round() -> None:
    found = {
        f.text: f for f in figures("After two decades, on March 24, 2015 and 24 March, 5% and $1.2 billion.")
    }
    assert found["two decades"].value == 20
    assert found["March 24, 2015"].matches(found["24 March"])  # no year on one side: the day decides
    assert not any(isinstance(f, Number) and f.value in (24, 2015) for f in found.values())
    assert (found["5"].kind, found["1.2 billion"].kind) == ("percent", "money")


def test_a_date_the_article_never_gives_is_flagged_once() -> None:
    check = takeaway("Khawaja Asif issued the warning on March 29.")
    assert check.problems == ["dates not in the article: March 29"]


def test_the_scale_word_of_a_number_is_no_number_of_its_own() -> None:
    assert [n.text for n in numbers("A $1.2 billion deal.")] == ["1.2 billion"]
