"""Throughput of the offline engine next to sumy's LexRank, on the same articles, in the same run.

Run: .venv/bin/python benchmarks/bench_extractive.py [--data FILE.jsonl ...] [--repeat N]

Rows are JSON objects with a "text" (and optionally "title"), as in ../shared/eval/ or
tests/data/. Both systems start from raw text and pay for sentence segmentation (LexRank
gets briefer's own body sentences, since sumy's tokenizer needs NLTK data we do not ship).
The engine's time is for a whole brief — takeaways, quotes, sources, entities, topics —
LexRank's only for picking 3 sentences, so the ratio understates the ranking speed-up.

It also prints how honest the engine's quotes are on the same articles: the share of its quotes
that grounding flags (not verbatim, or the speaker not named near the quote) and the share of
briefs with any grounding flag at all (quotes, claims or names). Skip with --no-grounding.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Callable
from pathlib import Path

from briefer.engines.extractive import ExtractiveEngine
from briefer.grounding import verify_brief
from briefer.models import Article
from briefer.text.layout import parse

_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"  # ../shared/eval beside the checkout
SHARED = [_EVAL / "cnndm_dev.jsonl", _EVAL / "bbc_dev.jsonl"]
SAMPLE = Path(__file__).resolve().parent.parent / "tests" / "data" / "extractive_sample.jsonl"


class _RegexTokenizer:
    """sumy's tokenizer interface without NLTK: words by regex (sentences come from briefer)."""

    language = "english"

    def to_words(self, sentence: str) -> list[str]:
        return re.findall(r"[\w']+", sentence)


def lexrank(k: int = 3) -> Callable[[Article], list[str]]:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    tokenizer = _RegexTokenizer()

    def run(article: Article) -> list[str]:
        body = parse(article.text, article.title).body_sentences()
        document = ObjectDocumentModel([Paragraph([Sentence(s, tokenizer) for s in body])])
        return [str(s) for s in summarizer(document, k)]

    return run


def throughput(system: Callable[[Article], object], articles: list[Article], repeat: int) -> float:
    """Articles per second, best of ``repeat`` passes (after one warm-up pass)."""
    for article in articles:
        system(article)
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for article in articles:
            system(article)
        best = min(best, time.perf_counter() - started)
    return len(articles) / best


def quote_flags(articles: list[Article]) -> dict[str, float]:
    """How often grounding flags what the engine says, over ``articles``.

    - ``quotes``: the engine's quotes, in all;
    - ``flagged_quotes``: share of those grounding flags (misquoted, or the speaker not named near);
    - ``briefs_with_flagged_quote``: share of briefs with at least one flagged quote;
    - ``briefs_with_any_flag``: share of briefs with any flagged item (quotes, claims, names).
    """
    engine = ExtractiveEngine()
    quotes = flagged = briefs_quote = briefs_any = 0
    for article in articles:
        report = verify_brief(engine.run(article).brief, article.text)
        bad = sum(not q.supported for q in report.quotes)
        quotes += len(report.quotes)
        flagged += bad
        briefs_quote += bad > 0
        briefs_any += not report.ok
    n = max(1, len(articles))
    return {
        "quotes": quotes,
        "flagged_quotes": flagged / max(1, quotes),
        "briefs_with_flagged_quote": briefs_quote / n,
        "briefs_with_any_flag": briefs_any / n,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data", type=Path, nargs="+", help="JSONL files (default: shared eval sets, else tests/data)"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-grounding", action="store_true", help="skip the quote-honesty measurement")
    args = parser.parse_args()
    paths = args.data or [p for p in SHARED if p.exists()] or [SAMPLE]
    articles = [
        Article(text=row["text"], title=row.get("title"))
        for path in paths
        for row in map(json.loads, path.read_text(encoding="utf-8").splitlines())
    ]
    engine = ExtractiveEngine()
    ours = throughput(engine.run, articles, args.repeat)
    theirs = throughput(lexrank(), articles, args.repeat)
    print(f"data: {', '.join(str(p) for p in paths)} ({len(articles)} articles)")
    print(f"briefer extractive (full brief): {ours:8.1f} articles/s")
    print(f"sumy LexRank (3 sentences):      {theirs:8.1f} articles/s")
    print(f"ratio:                           {ours / theirs:8.1f}x")
    if not args.no_grounding:
        flags = quote_flags(articles)
        print(
            f"quotes flagged by grounding:     {flags['flagged_quotes']:8.1%} of {flags['quotes']:.0f} quotes"
        )
        print(f"briefs with a flagged quote:     {flags['briefs_with_flagged_quote']:8.1%}")
        print(f"briefs with any grounding flag:  {flags['briefs_with_any_flag']:8.1%}")


if __name__ == "__main__":
    main()
