"""``eval``: the brief's takeaways scored against human highlights, baselines in the same run."""

from typing import TYPE_CHECKING

from briefer.cli import options as o
from briefer.cli.command import command, write_output

if TYPE_CHECKING:
    from briefer.config import Settings
    from briefer.evaluate import EvalReport


@command(o.ENGINE, o.RUN)
def eval_(
    data: o.EvalData,
    k: o.K = 3,
    limit: o.Limit = None,
    out: o.OutJsonl = None,
    format: o.TableFormat = "table",
    baselines: o.Baselines = True,
    briefs: o.EvalBriefs = None,
    reference: o.Reference = None,
    *,
    settings: "Settings",
) -> None:
    """ROUGE-1/2/Lsum of the key takeaways against human highlights, with baselines in the same run,
    and each brief field by field: highlight names among the entities, entity kinds and topics
    against a reference tagger (briefer[nlp]), takeaways opening with a pronoun, quotes verbatim.

    Examples:

    \b
        briefer eval ../shared/eval/cnndm_dev.jsonl
        briefer eval rows.jsonl -m gpt-4o-mini --limit 50 --out briefs.jsonl --format json
        briefer eval rows.jsonl --briefs other-system.jsonl --no-baselines
    """
    from rich.console import Console

    from briefer.evaluate import render_fields, render_json, render_table, run_eval

    # run_eval says on stderr which engine runs, and what it will cost.
    report = run_eval(
        data,
        settings,
        Console(stderr=True),
        briefs_path=briefs,
        k=k,
        limit=limit,
        out_path=out,
        baselines=baselines,
        reference=reference,
    )
    if format == "json":
        write_output(render_json(report) + "\n")
    else:
        console = Console()
        console.print(render_table(report))
        console.print(render_fields(report))
    _say_failures(report)


def _say_failures(report: "EvalReport") -> None:
    """The baselines are shown whatever the engine did; an engine that failed on every article is exit 1."""
    import typer

    from briefer.cli.command import say

    if not report.failures:
        return
    reasons = list(dict.fromkeys(f.reason for f in report.failures))
    shown = "; ".join(reasons[:3]) + (f" (+{len(reasons) - 3} other reasons)" if len(reasons) > 3 else "")
    everything = len(report.failures) == report.articles
    count = f"all {report.articles}" if everything else f"{len(report.failures)} of {report.articles}"
    say(f"the engine failed on {count} articles (each scored 0): {shown}")
    if everything:
        raise typer.Exit(1)


@command()
def eval_factuality(
    data: o.JudgedData,
    half: o.JudgedHalf = "all",
    format: o.TableFormat = "table",
) -> None:
    """How far grounding agrees with people: briefer's verdict and every published metric in a
    FRANK-format file, by balanced accuracy, the shares of inconsistent and of consistent summaries
    flagged, and the partial correlation with the human score controlling for the summariser;
    by dataset and by FRANK error kind.

    Examples:

    \b
        briefer eval-factuality ../shared/eval/frank_valid.jsonl
        briefer eval-factuality judged.jsonl --half held-out --format json
    """
    from rich.console import Console

    from briefer.evaluate.factuality import evaluate_factuality, render_factuality

    report, _ = evaluate_factuality(data, half)
    if format == "json":
        write_output(report.model_dump_json(indent=2) + "\n")
        return
    console = Console()
    console.print(
        f"{data.name}: {report.articles} articles ({half}), {report.summaries} summaries, "
        f"grounding {report.grounding_ms_per_article:.1f} ms an article"
    )
    for table in render_factuality(report):
        console.print(table)
