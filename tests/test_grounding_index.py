"""The article index: every check reads the article through it, so its sentences and offsets must be
the ones a reader of the report is pointed at."""

from __future__ import annotations

from support.grounding_cases import ROVER, SEED, takeaway

from briefer.grounding.index import index_article
from briefer.grounding.numbers import figures
from briefer.text.sentences import sentences
from briefer.text.words import match_stem


def test_sentences_are_the_news_splitters_so_support_indices_match_them() -> None:
    index = index_article(SEED)
    assert index.sentences == sentences(SEED)
    check = takeaway(
        "The lack of alignment between the two countries has raised alarms about further escalations."
    )
    span = check.support[0]
    assert sentences(SEED)[span.sentence].of(SEED) == SEED[span.start : span.end]


def test_an_offset_is_placed_in_the_sentence_that_holds_it() -> None:
    index = index_article(SEED)
    for i, span in enumerate(index.sentences[:10]):
        assert index.sentence_at(span.start) == i
        assert index.sentence_at(span.end - 1) == i


def test_numbers_are_indexed_by_value_whether_written_in_digits_or_words() -> None:
    index = index_article("Some 2,000 jobs may go. Three hundred staff were told on Friday.")
    assert {2000.0, 300.0} <= set(index.numbers)


def test_an_acronym_of_a_name_the_article_spells_out_is_known() -> None:
    index = index_article("The United Nations Security Council met on Monday in New York.")
    assert {"un", "unsc"} <= index.acronyms


def test_a_rare_word_weighs_more_than_a_common_one() -> None:
    index = index_article(ROVER)
    assert index.idf(match_stem("Nanjing")) > index.idf(match_stem("Rover"))


def test_the_sentences_giving_a_figure_are_found_however_it_is_written() -> None:
    index = index_article("The deadline is 24 March. Talks resume on Monday. Some 20 years of talks.")
    [date] = [f for f in figures("Due on March 24.") if f.kind == "date"]
    assert index.saying(date) == [0]
    assert index.saying(figures("in two decades")[0]) == [2]
