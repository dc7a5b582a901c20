"""Articles and briefs the offline engine's tests share: the seeds and a sample of real articles."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from briefer.engines.extractive import ExtractiveEngine
from briefer.models import Article, Brief

ROOT = Path(__file__).parents[2]
SEED = (ROOT / "seeds" / "pakistan-taliban-warning.txt").read_text(encoding="utf-8")
BBC_POLITICS = (ROOT / "seeds" / "bbc-politics-147.txt").read_text(encoding="utf-8")
SAFARI = (ROOT / "seeds" / "cnn-3122b54466ba.txt").read_text(encoding="utf-8")
SAMPLE = [
    json.loads(line)
    for line in (ROOT / "tests" / "data" / "extractive_sample.jsonl").read_text().splitlines()
]

ASIF_QUOTE = (
    "We have endured your treachery and mockery for too long, but that ends now. Any terrorist attack or "
    "suicide bombing within Pakistan will result in consequences that you won't forget. Feel free to test our "
    "resolve and capabilities, but do so at your own peril and doom."
)


def brief_of(text: str, title: str | None = None) -> Brief:
    return ExtractiveEngine().run(Article(text=text, title=title)).brief


@cache
def seed_brief() -> Brief:
    """The seed's brief, made once: many tests read it."""
    return brief_of(SEED)


def sample(row_id: str) -> dict[str, str]:
    return next(r for r in SAMPLE if r["id"] == row_id)
