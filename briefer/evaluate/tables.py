"""``briefer eval``'s report as tables for the terminal (rich) and as JSON."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from briefer.evaluate.reading import reading_rows

if TYPE_CHECKING:
    from rich.table import Table

    from briefer.evaluate.run import EvalReport


def render_table(report: EvalReport) -> Table:
    from rich.table import Table

    caption = "rouge-score, stemmed; Lsum: one sentence a line\nan engine failure scores 0"
    if report.prompt is not None:  # an LLM was asked: say with what, and what it cost
        cost = "unknown" if report.cost_usd is None else f"${report.cost_usd:.4f}"
        caption += f"\nprompt {report.prompt}, model {report.model}, cost {cost}"
    table = Table(
        title=f"{Path(report.data).name}: {report.articles} articles, ROUGE F1 ×100 of the first {report.k}",
        caption=caption,
    )
    for column in ("system", "R-1", "R-2", "R-Lsum", "articles/s", "failures"):
        table.add_column(column, justify="left" if column == "system" else "right")
    for s in report.systems:
        speed = "-" if s.articles_per_s is None else f"{s.articles_per_s:,.1f}"
        table.add_row(
            s.system, f"{s.rouge1:.2f}", f"{s.rouge2:.2f}", f"{s.rougeLsum:.2f}", speed, str(s.failures)
        )
    return table


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def render_fields(report: EvalReport) -> Table:
    """The field-level figures, one row a system; '-' where a system has no such field."""
    from rich.table import Table

    caption = (
        "names: multi-word names of the highlights that the article spells the same way\n"
        "pronoun openings: share of takeaways (of briefs with one)"
    )
    if report.reference is None:
        caption += "\nkinds and topics need the reference tagger: pip install 'briefer\\[nlp]'"
    else:
        caption += f"\nkinds and topics checked against {report.reference}"
        caption += f"; its own entities hold {_percent(report.reference_names_found)} of the names"
    first = report.systems[0].fields
    table = Table(
        title=f"{Path(report.data).name}: field by field ({first.highlight_names} highlight names)",
        caption=caption,
    )
    for column in ("system", "names found", "kinds agree", "topics nouns", "pronoun openings", "quotes ok"):
        table.add_column(column, justify="left" if column == "system" else "right")
    for s in report.systems:
        f = s.fields
        table.add_row(
            s.system,
            _percent(f.names_found),
            _percent(f.kinds_agree),
            _percent(f.topics_nouns),
            _percent(f.pronoun_openings)
            + ("" if f.briefs_with_pronoun_opening is None else f" ({f.briefs_with_pronoun_opening:.0f}%)"),
            _percent(f.quotes_verbatim_with_speaker),
        )
    return table


def render_reading(report: EvalReport) -> Table:
    """How the engine's briefs read (``briefer.evaluate.reading``), one row a figure."""
    from rich.table import Table

    caption = "without a verb: needs the reference tagger" if report.reference is None else ""
    table = Table(
        title=f"{Path(report.data).name}: how {report.systems[0].system}'s briefs read", caption=caption
    )
    table.add_column("figure")
    table.add_column("value", justify="right")
    for figure, value in reading_rows(report.reading):
        table.add_row(figure, value)
    return table


def render_json(report: EvalReport) -> str:
    return report.model_dump_json(indent=2)
