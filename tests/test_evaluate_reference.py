"""The reference tagger (briefer/evaluate/reference.py): spaCy's en_core_web_sm from its registry
package, its labels read as a brief's entity kinds and its parts of speech as nouns or not."""

from __future__ import annotations

import pytest

from briefer.evaluate import reference

pytestmark = pytest.mark.skipif(
    not reference.available(), reason="needs briefer[nlp] (make test installs it)"
)

TEXT = (
    "Pakistan's Defence Minister Khawaja Asif warned the Taliban on Wednesday. "
    "Asif said the army was ready. The warning came after talks in Istanbul collapsed, "
    "and officials really expected better news."
)


@pytest.fixture(scope="module")
def tagged() -> reference.Tagged:
    return reference.tag(TEXT)


def test_labels_read_as_the_brief_kinds(tagged: reference.Tagged) -> None:
    assert tagged.kind_of("Khawaja Asif") == "person"
    assert tagged.kind_of("Asif") == "person"  # tagged inside the longer name, or on its own
    assert tagged.kind_of("Pakistan") == "place"
    assert tagged.kind_of("Istanbul") == "place"
    assert tagged.kind_of("Wednesday") == "other"  # a DATE is none of person, organisation, place
    assert tagged.kind_of("Sri Lanka") is None  # never in the article


def test_topics_are_read_as_nouns_where_the_article_uses_them(tagged: reference.Tagged) -> None:
    assert tagged.is_noun("warning") and tagged.is_noun("talks") and tagged.is_noun("pakistan")
    assert not tagged.is_noun("really")
    assert not tagged.is_noun("better")
    assert tagged.is_noun("cricket")  # not in the article: read on its own


def test_the_model_comes_from_the_pinned_package() -> None:
    assert "en_core_web_sm 3.8.0" in reference.describe()
