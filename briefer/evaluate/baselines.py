"""The yardsticks: ROUGE (rouge-score, stemmed, Lsum over one sentence a line) and the Lead-k,
LexRank-k and TextRank-k baselines, all over the body sentences the offline engine works on."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from briefer.text.layout import parse

ROUGE_TYPES = ("rouge1", "rouge2", "rougeLsum")


@cache
def _scorer() -> Any:
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def rouge(summary: Sequence[str], highlights: Sequence[str]) -> dict[str, float]:
    """F1 ×100 of ``summary`` sentences against ``highlights``, one sentence a line (for Lsum)."""
    target = "\n".join(_one_line(h) for h in highlights)
    prediction = "\n".join(_one_line(s) for s in summary)
    scores = _scorer().score(target, prediction)
    return {name: scores[name].fmeasure * 100 for name in ROUGE_TYPES}


# ---------------------------------------------------------------- baselines


_WORD = re.compile(r"\w+(?:['’]\w+)*")


class _WordTokenizer:
    """sumy's own tokenizer needs NLTK's punkt data, a download. Sentences come from briefer's
    segmentation (the document is built from them), so sumy only ever asks for words."""

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(_WORD.findall(sentence))


@cache
def _sumy(name: str) -> Any:
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    summarizer = {"LexRank": LexRankSummarizer, "TextRank": TextRankSummarizer}[name](Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    return summarizer


def _sumy_pick(name: str, sents: list[str], k: int) -> list[str]:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    tokenizer = _WordTokenizer()
    document = ObjectDocumentModel([Paragraph([Sentence(s, tokenizer) for s in sents])])
    return [str(s) for s in _sumy(name)(document, k)]


def lead(sents: list[str], k: int) -> list[str]:
    return sents[:k]


def lexrank(sents: list[str], k: int) -> list[str]:
    return _sumy_pick("LexRank", sents, k)


def textrank(sents: list[str], k: int) -> list[str]:
    return _sumy_pick("TextRank", sents, k)


BASELINES: dict[str, Callable[[list[str], int], list[str]]] = {
    "Lead": lead,
    "LexRank": lexrank,
    "TextRank": textrank,
}


def article_sentences(text: str, title: str | None = None) -> list[str]:
    """The body sentences every baseline picks from, as the offline engine parses them: a
    Lead-3 that starts with "By . Daily Mail Reporter . PUBLISHED: ..." would be a straw man."""
    return [_one_line(sentence) for sentence in parse(text, title).body_sentences()]
