"""briefer/grounding/statement.py: a claim's measurements, the calibrated risk, and its doubts."""

from __future__ import annotations

import math
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from briefer.grounding import check_claims, statement
from briefer.grounding.index import index_article
from briefer.grounding.statement import Model, doubt, doubtful, measure, stored_model

ARTICLE = (
    "Derby County lost 2-0 at home to Preston on Saturday. "
    "The defeat leaves the club fourth in the table with three games left. "
    "Elsewhere, MK Dons beat Bristol City to go top of the league. "
    "Their manager said the squad had never played better. "
    "Fans in Milton Keynes celebrated long into the night."
)
COPIED = "MK Dons beat Bristol City to go top of the league."
SPLICED = "Derby County beat Bristol City to go fourth in the table."
FEATURES = ["together", "unseen", "pairs_apart", "triples_apart", "names_elsewhere", "negation"]


def _model(threshold: float = 0.5, max_unseen: float = 0.1) -> Model:
    """A hand-made model that doubts claims whose word pairs the article never holds together."""
    return Model(
        version=0,
        features=FEATURES,
        mean=dict.fromkeys(FEATURES, 0.0),
        scale=dict.fromkeys(FEATURES, 1.0),
        weights={**dict.fromkeys(FEATURES, 0.0), "pairs_apart": 8.0, "together": -2.0},
        bias=-1.0,
        threshold=threshold,
        max_unseen=max_unseen,
    )


def test_a_copied_sentence_is_held_together_and_a_splice_is_not() -> None:
    article = index_article(ARTICLE)
    copied, spliced = measure(COPIED, article).features, measure(SPLICED, article).features
    assert copied["together"] == 1.0 and copied["pairs_apart"] == copied["triples_apart"] == 0.0
    assert copied["unseen"] == 0.0, "every word of the splice is in the article too"
    assert spliced["unseen"] == 0.0 and spliced["together"] < 1.0
    assert spliced["pairs_apart"] > 0.0 and spliced["triples_apart"] > 0.0


def test_negation_and_names_are_measured_against_the_best_sentence() -> None:
    article = index_article(ARTICLE)
    negated = measure("MK Dons did not beat Bristol City.", article)
    assert (
        negated.features["negation"] == 1.0
        and "the article says so, the claim says not" in negated.reasons["negation"]
    )
    moved = measure("Their manager Preston said the squad had never played better.", article)
    assert (
        moved.features["names_elsewhere"] == 1.0
        and "Preston is in the article" in moved.reasons["names_elsewhere"]
    )


def test_a_name_inserted_for_a_pronoun_may_be_named_in_the_sentences_before() -> None:
    article = index_article(ARTICLE)
    resolved = measure("[MK Dons'] manager said the squad had never played better.", article).features
    assert resolved["names_elsewhere"] == 0.0 and resolved["pairs_apart"] == 0.0, "'their' is MK Dons"
    wrong = measure("[Milton Keynes'] manager said the squad had never played better.", article).features
    assert wrong["names_elsewhere"] == 1.0, "Milton Keynes is named, but only after 'their'"


def test_risk_is_the_logistic_of_the_weighted_standardised_features() -> None:
    model = _model()
    features = {**dict.fromkeys(FEATURES, 0.0), "pairs_apart": 0.5, "together": 1.0}
    assert model.risk(features) == pytest.approx(1 / (1 + math.exp(-(-1.0 + 8.0 * 0.5 - 2.0))))
    assert model.contributions(features)["pairs_apart"] == 4.0


def test_a_paraphrase_is_never_doubtful_however_risky() -> None:
    model = _model(threshold=0.0)
    features = {**dict.fromkeys(FEATURES, 0.0), "unseen": 0.5}
    assert not doubtful(model, features) and doubtful(replace(model, max_unseen=0.6), features)


def test_doubts_flag_a_claim_only_when_statements_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(statement, "stored_model", _model)
    default, checked = (
        check_claims([COPIED, SPLICED], ARTICLE),
        check_claims([COPIED, SPLICED], ARTICLE, True),
    )
    assert all(c.supported for c in default) and default[1].risk is not None and default[1].risk > 0.5
    assert checked[0].supported and not checked[1].supported
    reason = checked[1].problems[0]
    assert reason.startswith("likely not what the article says") and "never in one sentence" in reason
    assert doubt(COPIED, index_article(ARTICLE)) == (pytest.approx(default[0].risk), None)


def test_the_stored_weights_cover_every_measurement() -> None:
    model = stored_model()
    measured = measure(COPIED, index_article(ARTICLE)).features
    assert model.features == list(measured) == list(model.weights)
    assert 0.0 < model.threshold < 1.0 and model.version >= 1


def test_the_fitting_script_finds_the_signal_and_keeps_false_alarms_bounded() -> None:
    sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
    import fit_statements

    xs = [[-1.0], [-0.5], [0.5], [1.0]] * 5
    weights, bias = fit_statements.fit(xs, [False, False, True, True] * 5)
    assert weights[0] > 1.0 and abs(bias) < 0.5
    features = [dict.fromkeys(FEATURES, 0.0) | {"pairs_apart": p} for p in (0.0, 0.2, 0.6, 0.9)]
    rows = [(f, bad, False, [f]) for f, bad in zip(features, (False, True, False, True), strict=True)]
    threshold = fit_statements.best_threshold(_model(), rows)
    assert _model().risk(features[3]) >= threshold > _model().risk(features[2]), "at most 10% false alarms"
