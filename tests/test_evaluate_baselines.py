"""The baselines and the scorer (briefer/evaluate/baselines.py): ROUGE as rouge-score computes it,
Lead-k over the body sentences the offline engine works on."""

from __future__ import annotations

import pytest
from rouge_score import rouge_scorer
from support.evaluate_cases import FIVE_SENTENCES

from briefer.evaluate import article_sentences, lead, rouge


def test_rouge_equals_rouge_scores_own_figures() -> None:
    summary = ["The council approved the budget on Monday.", "Critics said the plan ignores roads."]
    highlights = [
        "Council approves budget .",
        "Spending on schools rises 4% .",
        "Critics say roads are ignored .",
    ]
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    expected = scorer.score("\n".join(highlights), "\n".join(summary))

    got = rouge(summary, highlights)

    assert got == pytest.approx({name: score.fmeasure * 100 for name, score in expected.items()})
    assert 0 < got["rouge2"] < got["rouge1"] < 100


def test_lead_picks_the_first_three_sentences() -> None:
    sents = article_sentences(FIVE_SENTENCES)

    assert lead(sents, 3) == [
        "The council approved the budget on Monday.",
        "It raises school spending by 4%.",
        "Critics said the plan ignores roads.",
    ]


def test_lead_skips_datelines_and_bylines_as_the_offline_engine_does() -> None:
    cnn = "London (CNN)" + FIVE_SENTENCES
    daily_mail = (
        "By . Daily Mail Reporter . PUBLISHED: . 14:11 EST, 25 October 2013 . | . "
        "UPDATED: . 15:02 EST, 25 October 2013 . " + FIVE_SENTENCES
    )

    for text in (cnn, daily_mail):
        assert lead(article_sentences(text), 1) == ["The council approved the budget on Monday."]
