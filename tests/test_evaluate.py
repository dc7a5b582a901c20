"""`briefer eval`: loading rows, scoring, baselines, failures, --out, and the CLI command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console
from rouge_score import rouge_scorer

from briefer import evaluate
from briefer.config import Settings
from briefer.engines import EngineOutput
from briefer.engines.extractive import ExtractiveEngine
from briefer.engines.fake import FunctionEngine
from briefer.errors import ConfigError, EngineError, InputError
from briefer.evaluate import Dataset, EvalRow, article_sentences, lead, load_rows, rouge, run_eval
from briefer.models import Article, Brief, BriefResult, Dateline

SAMPLE = Path(__file__).parent / "data" / "eval_sample.jsonl"
FIVE_SENTENCES = (
    "The council approved the budget on Monday. It raises school spending by 4%. "
    "Critics said the plan ignores roads. The mayor will sign it next week. Voters decide in May."
)


class StandInEngine(ExtractiveEngine):
    """Briefs an article with its last sentences, so its scores differ from Lead-k; fails on request."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.fail_on = fail_on
        self.seen: list[Article] = []

    def run(self, article: Article) -> EngineOutput:
        self.seen.append(article)
        if self.fail_on and self.fail_on in article.text:
            raise EngineError("the stand-in engine refused this article")
        takeaways = article_sentences(article.text)[-4:]
        brief = Brief(
            headline="A headline",
            dateline=Dateline(place=None, date=None, outlet=None),
            summary="A summary.",
            key_takeaways=takeaways,
            entities=[],
            quotes=[],
            sources=[],
            what_to_watch=[],
            topics=[],
        )
        return EngineOutput(brief=brief, model="stand-in")


def _settings() -> Settings:
    return Settings.from_env(env={}, engine="extractive")


def _quiet() -> Console:
    return Console(stderr=True, quiet=True)


def _row(row_id: str, text: str = FIVE_SENTENCES, highlights: list[str] | None = None) -> str:
    return json.dumps(
        {"id": row_id, "text": text, "highlights": highlights or ["The council approved the budget."]}
    )


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


def test_a_leading_title_is_not_part_of_the_body(tmp_path: Path) -> None:
    data = tmp_path / "bbc.jsonl"
    row = {
        "id": "b1",
        "title": "Budget passes",
        "text": "Budget passes\n\n" + FIVE_SENTENCES,
        "highlights": ["x y"],
    }
    data.write_text(json.dumps(row) + "\n")

    (loaded,) = load_rows(data).rows

    assert loaded.text == FIVE_SENTENCES
    assert loaded.article().title == "Budget passes"
    assert lead(article_sentences(loaded.text), 1) == ["The council approved the budget on Monday."]


def test_bad_lines_are_reported_with_line_numbers_and_skipped(tmp_path: Path) -> None:
    data = tmp_path / "rows.jsonl"
    lines = [
        _row("a"),
        "{not json",
        "",
        json.dumps({"id": "b", "text": FIVE_SENTENCES}),
        json.dumps({"id": "c", "text": "", "highlights": ["x"]}),
        _row("a"),
        _row("d"),
    ]
    data.write_text("\n".join(lines) + "\n")

    dataset = load_rows(data)

    assert [r.id for r in dataset.rows] == ["a", "d"]
    assert [(b.line, b.error.split(" ")[0]) for b in dataset.bad_lines] == [
        (2, "not"),
        (4, "'highlights'"),
        (5, "'text':"),
        (6, "duplicate"),
    ]


def test_a_file_without_valid_rows_is_an_input_error(tmp_path: Path) -> None:
    data = tmp_path / "rows.jsonl"
    data.write_text("[]\n")
    with pytest.raises(InputError, match="no valid rows"):
        load_rows(data)
    with pytest.raises(InputError, match="no such file"):
        load_rows(tmp_path / "missing.jsonl")


def test_limit_keeps_the_first_n_valid_rows() -> None:
    dataset = load_rows(SAMPLE, limit=3)

    assert [r.id for r in dataset.rows] == [r.id for r in load_rows(SAMPLE).rows[:3]]


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


def test_cli_eval_table_and_json(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from briefer.cli import app

    monkeypatch.setattr(evaluate.run, "make_engine", lambda settings: StandInEngine())
    runner = CliRunner()

    table = runner.invoke(app, ["eval", str(SAMPLE), "--engine", "extractive", "--limit", "3"])
    as_json = runner.invoke(
        app, ["eval", str(SAMPLE), "--engine", "extractive", "--limit", "3", "--format", "json"]
    )

    assert table.exit_code == 0, table.output
    for name in ("briefer extractive", "Lead-3", "LexRank-3", "TextRank-3", "R-Lsum"):
        assert name in table.stdout
    assert as_json.exit_code == 0, as_json.output
    report = json.loads(as_json.stdout)
    assert report["articles"] == 3 and len(report["systems"]) == 4


def test_cli_eval_runs_the_real_offline_engine_on_the_sample(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from briefer.cli import app

    out = tmp_path / "briefs.jsonl"
    args = ["eval", str(SAMPLE), "--engine", "extractive", "--format", "json", "--out", str(out)]
    result = CliRunner().invoke(app, args)

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["articles"] == 20 and report["failures"] == []
    assert report["systems"][0]["system"] == "briefer extractive"
    assert len(out.read_text().splitlines()) == 20


def test_cli_eval_reports_a_missing_file_in_one_line() -> None:
    from typer.testing import CliRunner

    from briefer.cli import app

    result = CliRunner().invoke(app, ["eval", "no/such/rows.jsonl", "--engine", "extractive"])

    assert result.exit_code == 2
    assert "no such file" in result.stderr and "Traceback" not in result.stderr


def test_cli_eval_through_an_openai_compatible_server(env_clean, fresh_engine_state, tmp_path: Path) -> None:
    """The same command with --base-url: the LLM engine briefs each row, its results are scored."""
    from openai_server import OpenAIServer
    from typer.testing import CliRunner

    from briefer.cli import app

    out = tmp_path / "llm.jsonl"
    with OpenAIServer() as server:
        args = [
            "eval",
            str(SAMPLE),
            "--base-url",
            server.base_url,
            "--limit",
            "3",
            "--out",
            str(out),
            "--format",
            "json",
        ]
        result = CliRunner().invoke(app, [*args, "--no-baselines"])
        requests = len(server.completions)
    assert result.exit_code == 0, result.stderr
    assert "cost" in result.stderr.lower()
    report = json.loads(result.stdout)
    assert requests >= 3
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 3 and {r["provenance"]["engine"] for r in rows} == {"openai"}
    assert all(r["id"] for r in rows) and report
