"""The shapes attribution reads names and speech in."""

from __future__ import annotations

import re

import pytest

from briefer.engines.extractive.cues import CAPRUN, VERBS


def runs(text: str) -> list[str]:
    return re.findall(CAPRUN, text)


def test_a_run_keeps_titles_and_initialisms_but_stops_at_a_sentence_end() -> None:
    text = "Sgt. John Smith met officials from Geo News. The U.S. Embassy in Kabul said so."
    assert runs(text) == ["Sgt. John Smith", "Geo News", "The U.S. Embassy", "Kabul"]


def test_a_run_spans_lower_case_particles_of_a_name() -> None:
    assert runs("He met Osama bin Laden and Charles de Gaulle.") == [
        "He",
        "Osama bin Laden",
        "Charles de Gaulle",
    ]


@pytest.mark.parametrize("verb", ["said", "told", "emphasised", "emphasized", "tweeted", "adding"])
def test_speech_verbs_in_their_spellings(verb: str) -> None:
    assert re.fullmatch(VERBS, verb)
