"""What a capitalised run names: a title and a person, an organisation, an outlet."""

from __future__ import annotations

import pytest

from briefer.engines.extractive.names import clean_run, is_org, is_outlet, split_title


@pytest.mark.parametrize(
    ("run", "title", "name"),
    [
        ("Pakistan's Defence Minister Khawaja Asif", "Pakistan's Defence Minister", "Khawaja Asif"),
        ("Police Chief Cassandra Jones", "Police Chief", "Cassandra Jones"),
        ("Sgt. Mike Tate", "Sgt.", "Mike Tate"),
        ("Mr Clarke", "Mr", "Clarke"),
        ("Abdul Mateen Qani", "", "Abdul Mateen Qani"),
    ],
)
def test_a_title_is_split_from_the_name_it_precedes(run: str, title: str, name: str) -> None:
    assert split_title(run) == (title, name)


def test_a_run_loses_its_article_and_adjectives_but_not_its_name() -> None:
    assert clean_run("The Pakistan-based Geo News") == "Geo News"
    assert clean_run("Monday") == ""


@pytest.mark.parametrize(
    ("run", "pre"), [("Geo News", ""), ("NDTV", ""), ("Ariana", "leading news network ")]
)
def test_outlets_are_known_by_their_words_an_acronym_or_what_precedes_them(run: str, pre: str) -> None:
    assert is_outlet(run, pre)


def test_country_acronyms_and_people_are_not_outlets() -> None:
    assert not is_outlet("US")
    assert not is_outlet("Khawaja Asif")


def test_organisations_are_known_by_their_words() -> None:
    assert is_org("Afghan Ministry of Interior")
    assert is_org("Geo News")
    assert not is_org("Khawaja Asif")
