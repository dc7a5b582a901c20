"""What the evaluation tests share: the sample rows, a five-sentence article, a stand-in engine."""

from __future__ import annotations

from pathlib import Path

from briefer.engines import EngineOutput
from briefer.engines.extractive import ExtractiveEngine
from briefer.errors import EngineError
from briefer.evaluate import article_sentences
from briefer.models import Article, Brief, Dateline

SAMPLE = Path(__file__).parents[1] / "data" / "eval_sample.jsonl"
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
