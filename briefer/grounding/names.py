"""Names in a claim, an entity or a source must be names the article uses.

Without a lexicon a name is a run of capitalised words; a word that opens a sentence or clause
is capitalised anyway, so it is not taken for a name. A name may be shortened ('Asif'),
possessive, a demonym or prefix of the article's word ('Afghan'), or an acronym either way.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from briefer.grounding.capitals import acronym, capitalised_runs
from briefer.grounding.folding import fold
from briefer.grounding.verbatim import BRACKETS, find_quote
from briefer.models import ItemCheck, SupportSpan
from briefer.text.titles import is_title
from briefer.text.words import WORD, is_content, match_stem

if TYPE_CHECKING:
    from briefer.grounding.index import ArticleIndex

NameField = Literal["entities", "sources"]


def _name_supported(word: str, article: ArticleIndex) -> bool:
    """A name token is in the article as is, as a demonym/prefix ('Afghan'), or as an acronym."""
    stem = match_stem(word)
    if stem in article.stems or stem in article.acronyms:
        return True
    if len(stem) >= 4:
        return any(s.startswith(stem) or (len(s) >= 4 and stem.startswith(s)) for s in article.name_stems)
    return False


def unsupported_names(text: str, article: ArticleIndex) -> list[str]:
    """Capitalised words of ``text`` the article never uses; a run whose acronym it uses is fine."""
    missing: list[str] = []
    for run in capitalised_runs(text):
        if acronym(run.words) in article.caps:
            continue
        names = [w for w in run.words[run.initial :] if is_content(w) and not is_title(w)]
        missing += [w for w in names if not _name_supported(w, article)]
    return missing


def editorial_insertions(text: str, article: ArticleIndex) -> list[re.Match[str]]:
    """Bracketed words the writer added ('[Netanyahu] also said'), not the article's own brackets quoted."""
    return [m for m in BRACKETS.finditer(text) if fold(m.group())[0] not in article.folded]


def unnamed_insertions(text: str, article: ArticleIndex) -> list[str]:
    """Editorial insertions ('[Netanyahu] also said') that do not name an entity of the article:
    each must hold a capitalised name, every word of it in the article. '[the deal]' is flagged:
    it may be right, but only a reader of the article can tell."""
    flagged = []
    for match in editorial_insertions(text, article):
        words = [w for w in WORD.findall(match.group(1)) if is_content(w) and not is_title(w)]
        if not any(w[0].isupper() for w in words) or not all(_name_supported(w, article) for w in words):
            flagged.append(match.group())
    return flagged


def missing_name_words(name: str, article: ArticleIndex) -> tuple[list[str], list[str]]:
    """(words, missing words) of a name; a shorter name ('Asif') or the acronym of one is fine."""
    words = [w for w in WORD.findall(name) if is_content(w) and not is_title(w)]
    missing = [w for w in words if not _name_supported(w, article)]
    if missing and acronym(words) in article.caps:
        missing = []
    return words, missing


def check_name(field_name: NameField, index: int, name: str, article: ArticleIndex) -> ItemCheck:
    """A name is backed when each of its words is in the article."""
    words, missing = missing_name_words(name, article)
    mention = find_quote(name, article)
    support = (
        []
        if mention is None
        else [
            SupportSpan(
                sentence=article.sentence_at(mention.start), start=mention.start, end=mention.end, score=1.0
            )
        ]
    )
    return ItemCheck(
        field=field_name,
        index=index,
        text=name,
        supported=not missing and bool(words),
        score=1.0 - len(missing) / max(1, len(words)),
        support=support,
        unsupported_terms=missing,
        problems=[f"not in the article: {', '.join(missing)}"] if missing else [],
    )
