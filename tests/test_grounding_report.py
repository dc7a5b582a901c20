"""The grounding report: the verdict an editor reads, and what travels with a brief."""

from __future__ import annotations

import json

from support.grounding_cases import ASIF_ADDED, ASIF_QUOTE, QANI_QUOTE, SEED, make_brief

from briefer.grounding import render_report_text, verify_brief
from briefer.models import BriefResult, GroundingReport


def test_a_faithful_brief_is_ok() -> None:
    brief = make_brief(
        takeaways=[
            "Pakistan's Defence Minister Khawaja Asif warned the Afghan Taliban on Wednesday.",
            "Talks between Pakistan and Afghanistan in Istanbul failed after three days.",
            "Afghanistan's interior ministry spokesperson said NATO and the US failed to conquer it in 20 years.",
        ],
        quotes=[
            ("Khawaja Asif", ASIF_QUOTE),
            ("Khawaja Asif", ASIF_ADDED),
            ("Abdul Mateen Qani", QANI_QUOTE),
        ],
        entities=["Khawaja Asif", "Abdul Mateen Qani", "Taliban"],
        sources=["Geo News", "Ariana News", "NDTV", "Khaama Press"],
        summary="Khawaja Asif warned the Taliban. Talks in Istanbul broke down.",
    )
    report = verify_brief(brief, SEED)
    assert report.ok, render_report_text(report)
    assert report.score == 1.0
    assert report.flagged() == []


def test_summary_sentences_are_checked_one_by_one() -> None:
    report = verify_brief(
        make_brief(summary="Khawaja Asif warned the Taliban. Talks in Ankara broke down."), SEED
    )
    summary = [c for c in report.claims if c.field == "summary"]
    assert [c.supported for c in summary] == [True, False]
    assert summary[1].unsupported_terms == ["Ankara"]


def test_the_text_rendering_lists_each_flagged_item_with_its_problem() -> None:
    report = verify_brief(make_brief(quotes=[("Abdul Mateen Qani", ASIF_QUOTE)], sources=["Reuters"]), SEED)
    text = render_report_text(report)
    assert text.splitlines()[0].startswith("grounding: 2 of")
    assert "⚠ quotes[0]" in text and "not named near the quote" in text
    assert "⚠ sources[0]: »Reuters«" in text
    assert render_report_text(verify_brief(make_brief(), SEED)).startswith("grounding: OK")


def test_a_brief_result_carries_the_report_through_json() -> None:
    report = verify_brief(make_brief(), SEED)
    result = {
        "brief": make_brief().model_dump(),
        "provenance": {
            "engine": "extractive",
            "model": "lead",
            "prompt": None,
            "prompt_sha256": None,
            "input_sha256": "0" * 64,
            "elapsed_s": 0.1,
            "briefer_version": "0",
            "created_at": "2025-10-29T00:00:00Z",
        },
        "grounding": report.model_dump(),
    }
    parsed = BriefResult.model_validate_json(json.dumps(result))
    assert isinstance(parsed.grounding, GroundingReport)
    assert parsed.grounding == report
