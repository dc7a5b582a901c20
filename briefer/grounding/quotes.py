"""Quotes must be in the article verbatim, and their speaker named near them and in the article.

An editor's bracketed insertion ('"[Netanyahu] will not accept it," he said') may stand for a few
words of the article, if it names an entity the article names.
"""

from __future__ import annotations

from briefer.grounding.claims import best_support
from briefer.grounding.index import ArticleIndex, tokens
from briefer.grounding.names import missing_name_words, unnamed_insertions
from briefer.grounding.verbatim import find_quote
from briefer.models import QuoteCheck, SupportSpan


def check_quote(index: int, speaker: str, text: str, article: ArticleIndex) -> QuoteCheck:
    """Support is the matched parts; for a quote not found, the closest sentence, to show the misquote."""
    match = find_quote(text, article)
    problems: list[str] = []
    speaker_near = False
    if match is None:
        problems.append("not found verbatim in the article")
        support = best_support(tokens(text), article)[:1]
    else:
        support = [
            SupportSpan(sentence=article.sentence_at(p.start), start=p.start, end=p.end, score=1.0)
            for p in match.parts
        ]
        speaker_near = article.speaker_near(match.start, match.end, speaker)
        if not speaker_near:
            problems.append(f"speaker {speaker!r} is not named near the quote")
    _, missing = missing_name_words(speaker, article)
    if missing:
        problems.append(f"speaker {speaker!r} is not in the article")
    insertions = unnamed_insertions(text, article)
    if insertions:
        problems.append(f"bracketed insertions naming no one in the article: {', '.join(insertions)}")
    return QuoteCheck(
        field="quotes",
        index=index,
        text=text,
        speaker=speaker,
        found=match is not None,
        start=match.start if match else None,
        end=match.end if match else None,
        speaker_near=speaker_near,
        supported=not problems,
        score=(0.5 * (match is not None) + 0.5 * speaker_near),
        support=support,
        unsupported_terms=missing + insertions,
        problems=problems,
    )
