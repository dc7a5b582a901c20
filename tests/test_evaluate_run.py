"""An evaluation run (briefer/evaluate/run.py): the engine and the baselines on the same articles,
mean ROUGE, failures counted, the cost estimate first; ``briefer eval`` is in test_cli_evaluate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console
from support.evaluate_cases import FIVE_SENTENCES, SAMPLE, StandInEngine

from briefer import evaluate
from briefer.config import Settings
from briefer.engines.extractive import ExtractiveEngine
from briefer.engines.fake import FunctionEngine
from briefer.errors import ConfigError
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


def test_a_run_where_every_article_fails_still_scores_the_baselines() -> None:
    report = run_eval(SAMPLE, _settings(), _quiet(), engine=StandInEngine(fail_on=" "), limit=2)

    assert [f.reason for f in report.failures] == ["the stand-in engine refused this article"] * 2
    engine_row, *baselines = report.systems
    assert (engine_row.failures, engine_row.rouge1) == (2, 0)
    assert baselines and all(b.rouge1 > 0 for b in baselines), "the baselines need no engine"


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


def test_every_system_is_scored_field_by_field_where_it_has_the_field() -> None:
    report = evaluate.evaluate(load_rows(SAMPLE, limit=6), ExtractiveEngine(), _settings(), reference=False)

    engine_row, lead_row = report.systems[0], report.systems[1]
    assert engine_row.fields.highlight_names > 0 and engine_row.fields.names_found is not None
    assert engine_row.fields.takeaways >= 6 * 3 and engine_row.fields.pronoun_openings is not None
    assert lead_row.fields.names_found is None and lead_row.fields.takeaways == 6 * 3
    assert report.reference is None and engine_row.fields.kinds_agree is None


def test_briefs_from_a_file_score_as_the_engine_that_made_them(tmp_path: Path) -> None:
    dataset = load_rows(SAMPLE, limit=4)
    made = tmp_path / "made.jsonl"
    with made.open("w") as sink:
        ran = evaluate.evaluate(
            dataset, ExtractiveEngine(), _settings(), baselines=False, reference=False, out=sink
        )
    kept = made.read_text().splitlines()[:3]  # the last row has no brief
    (tmp_path / "kept.jsonl").write_text("\n".join(kept) + "\n")

    scored = run_eval(
        SAMPLE,
        _settings(),
        _quiet(),
        briefs_path=tmp_path / "kept.jsonl",
        limit=4,
        baselines=False,
        reference=False,
    )

    engine_row, file_row = ran.systems[0], scored.systems[0]
    assert (
        file_row.system == "briefs kept.jsonl"
        and file_row.kind == "briefs"
        and file_row.articles_per_s is None
    )
    assert [f.id for f in scored.failures] == [dataset.rows[3].id]
    assert file_row.fields.highlight_names == engine_row.fields.highlight_names
    assert file_row.fields.takeaways < engine_row.fields.takeaways


def test_briefs_and_out_together_are_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="with --briefs there are none to write"):
        run_eval(SAMPLE, _settings(), _quiet(), briefs_path=SAMPLE, out_path=tmp_path / "x.jsonl")


def test_without_the_reference_tagger_the_run_says_what_is_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evaluate.reference, "available", lambda: False)
    console = Console(stderr=True, record=True, width=200)

    report = run_eval(SAMPLE, _settings(), console, engine=ExtractiveEngine(), limit=2, baselines=False)

    assert "entity kinds and topic nouns need the reference tagger: pip install 'briefer[nlp]'" in (
        console.export_text()
    )
    assert report.reference is None and report.systems[0].fields.topics_nouns is None
    with pytest.raises(ConfigError, match=r"--reference needs spaCy .*pip install 'briefer\[nlp\]'"):
        run_eval(SAMPLE, _settings(), _quiet(), engine=ExtractiveEngine(), reference=True)


@pytest.mark.skipif(not evaluate.reference.available(), reason="needs briefer[nlp] (make test installs it)")
def test_with_the_reference_tagger_kinds_and_topics_are_checked() -> None:
    report = run_eval(SAMPLE, _settings(), _quiet(), engine=ExtractiveEngine(), limit=3, baselines=False)

    fields = report.systems[0].fields
    assert "en_core_web_sm" in (report.reference or "")
    assert fields.entities_tagged > 0 and fields.kinds_agree is not None
    assert fields.topics > 0 and fields.topics_nouns is not None
    assert report.reference_names_found is not None
    table = Console(record=True, width=200)
    table.print(evaluate.render_fields(report))
    assert "kinds and topics checked against spaCy" in table.export_text()
