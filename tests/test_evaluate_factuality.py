"""briefer/evaluate/factuality.py and ``briefer eval-factuality``: judged summaries scored by grounding
next to the published metrics, by dataset and error kind; the fixed tune/held-out split."""

import json
from pathlib import Path

from typer.testing import CliRunner

from briefer.cli import app
from briefer.evaluate.factuality import evaluate_factuality, in_half, score_article, tuned_thresholds
from briefer.evaluate.frank import load_judged

SAMPLE = Path(__file__).parent / "data" / "frank_sample.jsonl"


def test_halves_split_the_articles_and_never_overlap() -> None:
    ids = [f"frank-cnndm-{i:04d}" for i in range(200)]
    tune = {i for i in ids if in_half(i, "tune")}
    held_out = {i for i in ids if in_half(i, "held-out")}
    assert not tune & held_out and tune | held_out == set(ids)
    assert 70 < len(tune) < 130, "about half"
    assert all(in_half(i, "all") for i in ids)


def test_an_invented_name_is_flagged_and_a_copied_sentence_is_not() -> None:
    article = load_judged(SAMPLE).articles[0]
    copied = "Gary Locke will be confirmed as Kilmarnock's permanent manager on Friday."
    invented = "Brendan Rodgers will be confirmed as Kilmarnock's permanent manager on Friday."
    summary = article.summaries[0]
    judged = type(article)(
        article.id,
        article.dataset,
        article.text,
        [type(summary)("a", [copied], 1.0), type(summary)("b", [copied, invented], 0.5)],
    )
    first, second = score_article(judged)
    assert (first.flagged["briefer"], first.scores["briefer"]) == (False, 1.0)
    assert not first.flagged["briefer statements"], "the article's own sentence is no doubtful statement"
    assert second.flagged["briefer"] and second.scores["briefer"] < 1.0, "no sentence holds the invented one"
    assert any("Rodgers" in p for p in second.problems) and second.flagged["briefer statements"]


def test_report_has_every_checker_by_dataset_and_error_kind() -> None:
    report, scored = evaluate_factuality(SAMPLE)
    assert (report.articles, report.summaries) == (4, len(scored)) == (4, 18)
    assert [s.name for s in report.slices] == ["cnndm", "bbc", "all"]
    cnndm = report.slices[0]
    checkers = [c.checker for c in cnndm.checkers]
    assert checkers[:5] == ["briefer", "briefer statements", "briefer score", "briefer risk", "FactCC"]
    assert cnndm.checkers[0].threshold is cnndm.checkers[1].threshold is None, "verdicts, not tuned scores"
    assert cnndm.checkers[2].threshold is not None
    assert report.thresholds_tuned_on == "these summaries"
    assert set(cnndm.by_error) == {"GramE", "CorefE"} and cnndm.by_error["GramE"]["summaries"] == 2
    bbc = report.slices[1]
    assert bbc.inconsistent == bbc.summaries == 8
    assert bbc.checkers[0].consistent_flagged is None, "no consistent summary: no rate"


def test_cli_prints_tables_and_json() -> None:
    runner = CliRunner()
    table = runner.invoke(app, ["eval-factuality", str(SAMPLE)])
    assert table.exit_code == 0, table.output
    assert "cnndm: 10 summaries, 2 inconsistent" in table.output and "partial ρ" in table.output
    as_json = runner.invoke(app, ["eval-factuality", str(SAMPLE), "--format", "json", "--half", "tune"])
    report = json.loads(as_json.stdout)
    assert report["half"] == "tune" and report["articles"] == sum(
        in_half(a.id, "tune") for a in load_judged(SAMPLE).articles
    )


def test_cli_says_why_a_file_cannot_be_read(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval-factuality", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_held_out_figures_use_thresholds_tuned_on_the_other_half(tmp_path: Path) -> None:
    rows = SAMPLE.read_text().splitlines()
    path = tmp_path / "judged.jsonl"
    ids = [f"frank-cnndm-{i:02d}" for i in range(40)]
    tune, held_out = (
        [i for i in ids if in_half(i, "tune")][:2],
        [i for i in ids if in_half(i, "held-out")][:2],
    )
    lines = []
    for new_id, row in zip(tune + held_out, rows, strict=True):
        data = json.loads(row)
        data["id"], data["dataset"] = new_id, "cnndm"
        lines.append(json.dumps(data))
    path.write_text("\n".join(lines) + "\n")
    report, _ = evaluate_factuality(path, "held-out")
    _, tuning = evaluate_factuality(path, "tune")
    assert report.thresholds_tuned_on == "the tune half" and report.articles == 2
    expected = tuned_thresholds(tuning)
    for checker in report.slices[0].checkers[2:]:
        assert checker.threshold == round(expected[checker.checker], 4)
