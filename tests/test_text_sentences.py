"""Sentence segmentation on news copy: what a brief's takeaways and chunk boundaries rest on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefer.text.sentences import paragraphs, sentences

DATA = Path(__file__).parent / "data"
SEED = Path(__file__).parent.parent / "seeds" / "pakistan-taliban-warning.txt"


def split(text: str) -> list[str]:
    return [span.of(text) for span in sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Smith met Dr. Jones in St. Louis. They talked.",
            ["Mr. Smith met Dr. Jones in St. Louis.", "They talked."],
        ),
        (
            "The U.S. military has pulled out. The State Department said so.",
            ["The U.S. military has pulled out.", "The State Department said so."],
        ),
        (
            "The troops returned to the U.S. The base is now empty.",
            ["The troops returned to the U.S.", "The base is now empty."],
        ),
        (
            "The vote is on Oct. 29 in Ohio. Polls open early.",
            ["The vote is on Oct. 29 in Ohio.", "Polls open early."],
        ),
        (
            "George W. Bush spoke at 3 p.m. Tuesday in Dallas.",
            ["George W. Bush spoke at 3 p.m. Tuesday in Dallas."],
        ),
        (
            "In Kennedy v. Louisiana the court ruled. It was 2008.",
            ["In Kennedy v. Louisiana the court ruled.", "It was 2008."],
        ),
        (
            "Shares in Apple Inc. rose. Analysts were surprised.",
            ["Shares in Apple Inc. rose.", "Analysts were surprised."],
        ),
    ],
)
def test_abbreviations_initials_and_dates_do_not_end_sentences(text: str, expected: list[str]) -> None:
    assert split(text) == expected


def test_closing_quote_stays_with_its_sentence() -> None:
    # BBC politics: a quote that ends one sentence and an unclosed one that opens the next.
    text = (
        '"That\'s not only a moral duty and a legal duty," he said. "We want more migration, more people '
        'come to study and to work. "We want more people coming to look for refuge." Mr Blair was asked.'
    )
    assert split(text) == [
        '"That\'s not only a moral duty and a legal duty," he said.',
        '"We want more migration, more people come to study and to work.',
        '"We want more people coming to look for refuge."',
        "Mr Blair was asked.",
    ]


def test_question_and_exclamation_inside_quotes_before_attribution_do_not_split() -> None:
    assert split('"Help!" he shouted. "Where are you?" she asked.') == [
        '"Help!" he shouted.',
        '"Where are you?" she asked.',
    ]


def test_a_quote_spanning_sentences_is_split_at_its_sentence_ends() -> None:
    paragraph = SEED.read_text(encoding="utf-8").splitlines()[9]
    assert paragraph.startswith("In a statement posted on X")
    assert split(paragraph) == [
        'In a statement posted on X, Minister Asif declared, "We have endured your treachery and mockery '
        "for too long, but that ends now.",
        "Any terrorist attack or suicide bombing within Pakistan will result in consequences that you won't forget.",
        'Feel free to test our resolve and capabilities, but do so at your own peril and doom."',
    ]


def test_spans_are_exact_offsets_and_never_cross_paragraphs() -> None:
    text = "First para, one sentence.\n\n  Second para. It has two.  \n\nThird."
    spans = sentences(text)
    assert [s.of(text) for s in spans] == [
        "First para, one sentence.",
        "Second para.",
        "It has two.",
        "Third.",
    ]
    paras = paragraphs(text)
    for span in spans:
        assert any(p.start <= span.start and span.end <= p.end for p in paras)


def test_single_newlines_separate_paragraphs_only_when_there_are_no_blank_lines() -> None:
    assert [p.of("a b\nc d") for p in paragraphs("a b\nc d")] == ["a b", "c d"]
    assert [p.of("a b\nc d\n\ne") for p in paragraphs("a b\nc d\n\ne")] == ["a b\nc d", "e"]


def test_real_articles_segment_into_sentences_covering_the_body() -> None:
    for line in (DATA / "extractive_sample.jsonl").read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        spans = sentences(text)
        assert spans, text[:60]
        assert all(text[s.start : s.end].strip() == text[s.start : s.end] for s in spans)
        assert [s.start for s in spans] == sorted(s.start for s in spans)
        covered = "".join(s.of(text) for s in spans)
        assert covered.replace(" ", "") == "".join(text.split()).replace(" ", "")


def test_sentences_glued_without_a_space_are_split() -> None:
    # BBC pages as XSum keeps them: paragraphs joined with no space after the full stop.
    text = (
        "He was vilified by the scientific community.Dr Venter was drafted in 1967.A tremor hit. "
        '"It is cheap," he said."I have tried." Growth was 2.5% in 2015.The U.S. and Ph.D. '
        "students visit Halo.Bungie.Org and Mrs.Smith."
    )
    assert split(text) == [
        "He was vilified by the scientific community.",
        "Dr Venter was drafted in 1967.",
        "A tremor hit.",
        '"It is cheap," he said.',
        '"I have tried."',
        "Growth was 2.5% in 2015.",
        "The U.S. and Ph.D. students visit Halo.Bungie.Org and Mrs.Smith.",
    ]


def test_a_glued_quote_that_closes_stays_with_its_sentence() -> None:
    assert split('She said: "We want more."Mr Blair was asked.') == [
        'She said: "We want more."',
        "Mr Blair was asked.",
    ]
