"""A batch's options and report (briefer/batch/report.py): report.json says what happened, failures
keep the model's raw answer, and options out of range are refused."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

import briefer.batch.runner
from briefer.batch import BatchOptions, BatchReport, Counts, run_batch
from briefer.config import Settings
from briefer.engines.fake import FunctionEngine
from briefer.loading.inputs import BatchItem
from briefer.models import Failure, Usage

INVALID_ANSWER = '{"headline": 7}'


def test_a_new_report_counts_nothing_and_costs_nothing() -> None:
    report = BatchReport(engine="openai", model="gpt-4o-mini", started_at=datetime.now(UTC))
    assert report.counts == Counts() and set(report.counts.model_dump().values()) == {0}
    assert (report.requests, report.retries, report.cost_usd, report.interrupted) == (0, 0, 0.0, False)


def test_report_json_round_trips_with_the_models_raw_answer() -> None:
    report = BatchReport(
        engine="openai",
        model="gpt-4o-mini",
        started_at=datetime(2025, 10, 29, 9, 0, tzinfo=UTC),
        counts=Counts(seen=3, done=1, cached=1, failed=1),
        failures=[
            Failure(id="story", origin="feed.jsonl:3", reason="failed validation", raw_answer=INVALID_ANSWER)
        ],
        usage=Usage(prompt_tokens=900, completion_tokens=300, requests=2),
        cost_usd=None,
    )
    again = BatchReport.model_validate_json(report.model_dump_json(indent=2))
    assert again == report and again.failures[0].raw_answer == INVALID_ANSWER


def test_a_batch_keeps_what_the_model_said_when_its_answer_was_unusable(
    tmp_path: Path, env_clean: pytest.MonkeyPatch, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        briefer.batch.runner,
        "make_engine",
        lambda settings, limits: FunctionEngine(lambda request: INVALID_ANSWER, max_repairs=0, limits=limits),
    )
    text = (Path(__file__).parents[1] / "seeds" / "pakistan-taliban-warning.txt").read_text()
    items = iter([BatchItem(id="seed", origin="seed.txt", text=text)])

    report = run_batch(items, Settings.from_env(env={}), BatchOptions(out=tmp_path), cache=None)

    assert (report.counts.seen, report.counts.failed, report.counts.done) == (1, 1, 0)
    (failure,) = BatchReport.model_validate_json((tmp_path / "report.json").read_text()).failures
    assert (failure.id, failure.origin, failure.raw_answer) == ("seed", "seed.txt", INVALID_ANSWER)
    assert "failed validation" in failure.reason


def test_options_default_to_json_files_eight_at_a_time_and_six_attempts() -> None:
    options = BatchOptions()
    assert (options.out, options.formats, options.concurrency, options.max_attempts) == (None, ["json"], 8, 6)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("concurrency", 0),
        ("concurrency", 1025),
        ("max_attempts", 0),
        ("max_attempts", 51),
        ("rpm", 0),
        ("tpm", -1),
        ("workers", 0),
        ("formats", ["pdf"]),
    ],
)
def test_options_out_of_range_are_refused_naming_the_option(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        BatchOptions(**{field: value})
    assert caught.value.errors()[0]["loc"][0] == field
