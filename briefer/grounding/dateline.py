"""The dateline (place · date · outlet) must be the article's own.

A dateline says where a story was filed, when and by whom, and the article says so at its top
("Islamabad, Oct 29 (NationPress) -", "(CNN)", "By . Daily Mail Reporter . PUBLISHED: ..."):

- the place and the outlet must be named in the article's first HEAD characters (a headline, a
  takeaways block, a byline, the first paragraph). A name the article uses only further down
  ('Kabul' in paragraph nine, 'Reuters' cited as a source) is what the story is about or quotes,
  not where it was filed or who filed it;
- the date must be a date the article gives, in any common form ('2015-03-24', 'March 24, 2015',
  '24 March', 'Tue'); an article that gives no date backs no dateline date.

Parts left empty (null) claim nothing and are not checked; an all-empty dateline is no item.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from briefer.grounding.capitals import acronym
from briefer.grounding.index import ArticleIndex
from briefer.grounding.numbers import Date, dates
from briefer.grounding.verbatim import find_quote
from briefer.models import Dateline, ItemCheck, SupportSpan
from briefer.text.titles import is_title
from briefer.text.words import WORD, is_content, match_stem

HEAD = 1000
"""Characters from the top within which a dateline names its place and outlet."""


def _span(article: ArticleIndex, start: int, end: int) -> SupportSpan:
    return SupportSpan(sentence=article.sentence_at(start), start=start, end=end, score=1.0)


def _check_name(part: str, name: str, article: ArticleIndex) -> tuple[str | None, list[SupportSpan]]:
    """Why ``name`` is not the article's place or outlet (None when its top names it), and where it is."""
    found = find_quote(name, article)
    mention = [_span(article, found.start, found.end)] if found else []
    head = article.text[:HEAD]
    words = [w for w in WORD.findall(name) if is_content(w) and not is_title(w)]
    head_stems = {match_stem(w) for w in WORD.findall(head)}
    if (
        all(match_stem(w) in head_stems for w in words)
        or acronym(words) in head.lower().split()
        or _squeezed(name) in _squeezed(head)  # 'Nation Press' for 'NationPress'
    ):
        return None, mention
    if found or all(match_stem(w) in article.stems for w in words):
        return (
            f"{name} is in the article, but not in its opening lines, where a dateline names the {part}",
            [],
        )
    return f"{part} not in the article: {name}", []


def _squeezed(text: str) -> str:
    return re.sub(r"\W", "", text.lower())


def _check_date(written: str, article: ArticleIndex) -> tuple[str | None, list[SupportSpan]]:
    """Why ``written`` is not a date the article gives (None when it is), and where it gives it."""
    claimed = next(dates(written), None)
    given = [f for found in article.sentence_figures for f in found if isinstance(f, Date)]
    if claimed is not None:
        same = [d for d in given if claimed.matches(d)]
        if same:
            return None, [_span(article, same[0].start, same[0].start + len(same[0].text))]
    elif found := find_quote(written, article):  # 'March 2015', '2015': as written
        return None, [_span(article, found.start, found.end)]
    if not any(d.month for d in given):
        return f"the article gives no date; {written} is not from it", []
    return f"date not in the article: {written}", []


def check_dateline(
    dateline: Dateline, article: ArticleIndex, page_metadata: Mapping[str, str] | None = None
) -> ItemCheck | None:
    """One item for the dateline, a problem per part the article does not give; None if it is empty.
    A date or outlet the page's metadata gives (``published``, ``site``) is backed by it."""
    given = set((page_metadata or {}).values())
    parts = [
        (name, value)
        for name, value in dateline.model_dump().items()
        if value and value.strip() and value not in given
    ]
    if not parts:
        return None
    problems: list[str] = []
    unsupported: list[str] = []
    support: list[SupportSpan] = []
    for name, value in parts:
        problem, found = _check_date(value, article) if name == "date" else _check_name(name, value, article)
        support += found
        if problem:
            problems.append(problem)
            unsupported.append(value)
    if problems and article.sentences:  # the top, where a dateline is: what a repair round must see
        top = article.sentences[article.sentence_at(HEAD)]
        support.append(SupportSpan(sentence=0, start=article.sentences[0].start, end=top.end, score=0.0))
    return ItemCheck(
        field="dateline",
        index=0,
        text=" · ".join(value for _, value in parts),
        supported=not problems,
        score=round(1 - len(problems) / len(parts), 3),
        support=support,
        unsupported_terms=unsupported,
        problems=problems,
    )
