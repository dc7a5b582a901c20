"""The one pass over the capitalised runs: the cues read next to each run."""

from __future__ import annotations

from briefer.engines.extractive.scan import Scan

TEXT = (
    "Officials in Turkey said talks went well. Mr Clarke told the BBC he was confident. "
    "Mr Clarke dismissed the report. The Ministry of the Interior said so. Aid came from the United States. "
    "Geo News reported that troops had moved."
)


def test_places_are_the_runs_after_in_or_from() -> None:
    assert Scan(TEXT, 0).places == ["Turkey", "United States"]


def test_who_was_told_may_be_an_outlet() -> None:
    assert [run for _, run in Scan(TEXT, 0).told] == ["BBC"]


def test_organisation_names_join_runs_across_of_the() -> None:
    assert "The Ministry of the Interior" in Scan(TEXT, 0).org_names()


def test_speakers_actors_and_reporting_outlets_are_found_before_their_verbs() -> None:
    scan = Scan(TEXT, 0)
    assert "Mr Clarke" in [match.group("who") for _, _, match in scan.speech]
    assert [run for _, run, _ in scan.actors] == ["Mr Clarke"]  # 'Mr Clarke dismissed'
    assert [TEXT[at : at + 8] for at in scan.reported] == ["reported"]


def test_the_scan_starts_at_the_body() -> None:
    body_start = TEXT.index("Aid came")
    assert Scan(TEXT, body_start).places == ["United States"]


def test_at_after_an_event_or_a_stay_names_a_place_and_the_seeds_tora_bora_is_no_person() -> None:
    from support.extractive_cases import SEED, seed_brief

    text = "Their retreat at Tora Bora was long. The jet landed at Heathrow. He works at Microsoft now."
    assert Scan(text, 0).places == ["Tora Bora", "Heathrow"]
    assert "Tora Bora" in Scan(SEED, 0).places
    assert all(e.kind == "place" for e in seed_brief().entities if e.name == "Tora Bora")
