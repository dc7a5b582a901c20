"""An evaluation run (briefer/evaluate/run.py): the engine and the baselines on the same articles,
mean ROUGE, failures counted, the cost estimate first; ``briefer eval`` is in test_cli_evaluate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from evaluate_cases import FIVE_SENTENCES, SAMPLE, StandInEngine
from rich.console import Console

from briefer import evaluate
from briefer.config import Settings
from briefer.engines.fake import FunctionEngine
from briefer.errors import ConfigError, EngineError
from briefer.evaluate import Dataset, EvalRow, article_sentences, load_rows, rouge, run_eval
from briefer.models import Article, BriefResult


def _settings() -> Settings:
    return Settings.from_env(env={}, engine="extractive")


def _quiet() -> Console:
    return Console(stderr=True, quiet=True)


def test_engine_and_baselines_see_the_same_articles(tmp_path: Path) -> None:
    engine = StandInEngine()
    out = tmp_path / "briefs.jsonl"

    report = run_eval(SAMPLE, _settings(), _quiet(), engine=engine, limit=5, out_path=out)

    assert [s.system for s in report.systems] == ["briefer extractive", "Lead-3", "LexRank-3", "TextRank-3"]
    assert all(s.articles == 5 and s.articles_per_s for s in report.systems)
    assert [a.text for a in engine.seen] == [r.text for r in load_rows(SAMPLE, limit=5).rows]
    lines = out.read_text().splitlines()
    assert [BriefResult.model_validate_json(line).id for line in lines] == [
        r.id for r in load_rows(SAMPLE, limit=5).rows
    ]


def test_the_scores_are_the_means_of_per_article_rouge() -> None:
    dataset = load_rows(SAMPLE, limit=4)

    report = evaluate.evaluate(dataset, StandInEngine(), _settings(), k=2)

    engine_row, lead_row = report.systems[0], report.systems[1]
    engine_r1 = [rouge(article_sentences(r.text)[-4:][:2], r.highlights)["rouge1"] for r in dataset.rows]
    lead_r1 = [rouge(article_sentences(r.text)[:2], r.highlights)["rouge1"] for r in dataset.rows]
    assert engine_row.rouge1 == pytest.approx(sum(engine_r1) / 4, abs=1e-3)
    assert lead_row.system == "Lead-2"
    assert lead_row.rouge1 == pytest.approx(sum(lead_r1) / 4, abs=1e-3)


def test_a_failing_article_is_counted_scored_zero_and_the_run_goes_on(tmp_path: Path) -> None:
    rows = [
        EvalRow(id=i, text=FIVE_SENTENCES + f" Row {i} ends here.", highlights=["Voters decide in May."])
        for i in "abc"
    ]
    dataset = Dataset(source="mem", rows=rows, bad_lines=[])
    out = tmp_path / "out.jsonl"
    failed: list[str] = []

    with out.open("w") as sink:
        report = evaluate.evaluate(
            dataset,
            StandInEngine(fail_on="Row b"),
            _settings(),
            out=sink,
            on_article=lambda row, failure: failed.append(row.id) if failure else None,
        )

    assert failed == ["b"]
    assert [(f.id, f.reason) for f in report.failures] == [("b", "the stand-in engine refused this article")]
    engine_row = report.systems[0]
    assert engine_row.failures == 1 and engine_row.articles == 3
    one = rouge(article_sentences(rows[0].text)[-4:][:3], rows[0].highlights)["rouge1"]
    assert engine_row.rouge1 == pytest.approx(2 * one / 3, abs=1e-3)
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["a", "c"]


def test_a_run_where_every_article_fails_is_an_error_not_a_table_of_zeros() -> None:
    with pytest.raises(EngineError, match="failed on all 2 articles; first: the stand-in engine refused"):
        run_eval(SAMPLE, _settings(), _quiet(), engine=StandInEngine(fail_on=" "), limit=2)


def test_a_missing_eval_extra_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real = evaluate.run.importlib.util.find_spec
    monkeypatch.setattr(
        evaluate.run.importlib.util, "find_spec", lambda name: None if name == "sumy" else real(name)
    )

    with pytest.raises(ConfigError, match=r"needs sumy: pip install 'briefer\[eval\]'"):
        run_eval(SAMPLE, _settings(), _quiet(), engine=StandInEngine())


def test_no_baselines() -> None:
    report = evaluate.evaluate(load_rows(SAMPLE, limit=2), StandInEngine(), _settings(), baselines=False)

    assert [s.system for s in report.systems] == ["briefer extractive"]


def test_cost_estimate_counts_prompt_and_article_tokens() -> None:
    rows = load_rows(SAMPLE, limit=2).rows
    priced = evaluate.estimate_cost(rows, Settings.from_env(env={}, engine="openai", model="gpt-4o-mini"))
    local = evaluate.estimate_cost(
        rows, Settings.from_env(env={}, model="gpt-4o-mini", base_url="http://localhost:8000/v1")
    )

    from briefer.tokens import count_tokens

    assert priced.startswith("estimate for 2 articles on gpt-4o-mini: 2 requests, ")
    input_tokens = int(priced.split("requests, ")[1].split(" input")[0].replace(",", ""))
    assert input_tokens > sum(count_tokens(r.text) for r in rows)
    assert "cost ~$0.0" in priced
    assert local.endswith("cost unknown (no price for this model/server)")


def test_an_llm_run_prints_its_cost_estimate_first_and_its_cost_in_the_table() -> None:
    """Any LLM engine (here a FunctionEngine, answering every request with one brief) is costed first."""
    brief = StandInEngine().run(Article(text=load_rows(SAMPLE, limit=1).rows[0].text)).brief
    engine = FunctionEngine(lambda request: brief, model="gpt-4o-mini")
    console = Console(stderr=True, record=True, width=200)
    settings = Settings.from_env(env={}, engine="openai", model="gpt-4o-mini")

    report = run_eval(SAMPLE, settings, console, engine=engine, limit=2)

    first = console.export_text().splitlines()[0]
    assert (
        first.startswith("briefer: estimate for 2 articles on gpt-4o-mini: 2 requests")
        and "cost ~$0.0000" in first
    )
    assert report.systems[0].system == "briefer function (gpt-4o-mini)"
    table = Console(record=True, width=200)
    table.print(evaluate.render_table(report))
    assert "prompt brief@1+repair@1, model gpt-4o-mini, cost $0.0000" in table.export_text()
