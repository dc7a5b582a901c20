"""Claims: backed by the article sentences they come from, and flagged when the article does not make them."""

from __future__ import annotations

import pytest
from support.grounding_cases import RETAIL, SEED, make_brief, takeaway

from briefer.grounding import verify_brief
from briefer.grounding.claims import check_claim
from briefer.grounding.index import index_article


def test_a_takeaway_copied_from_the_article_points_at_its_sentence() -> None:
    sentence = "The lack of alignment between the two countries has raised alarms about further escalations."
    check = takeaway(sentence)
    assert check.supported and check.score == 1.0
    assert SEED[check.support[0].start : check.support[0].end] == sentence


def test_a_paraphrased_takeaway_is_backed_by_the_sentences_it_merges() -> None:
    check = takeaway(
        "Minister Asif said Pakistan could obliterate the Taliban without a fraction of its military."
    )
    assert check.supported
    assert {s.sentence for s in check.support} >= {8}


def test_a_claim_pieced_from_scattered_sentences_scores_below_one_it_copies() -> None:
    article = index_article(
        "Derby County lost 2-0 at home on Saturday. Elsewhere, MK Dons beat Preston to go top. "
        "Derby County remain in fifth place."
    )
    copied = check_claim("key_takeaways", 0, "MK Dons beat Preston to go top.", article)
    pieced = check_claim("key_takeaways", 0, "Derby County beat Preston at home.", article)
    assert copied.score == 1.0
    assert pieced.supported and pieced.score < 0.7, "every word is in the article, no sentence says it"


def test_a_claim_the_article_does_not_make_is_weakly_backed() -> None:
    check = takeaway("Earthquake relief convoys reached remote mountain villages before winter.")
    assert not check.supported
    assert check.score < 0.3


def test_words_a_claim_puts_in_quote_marks_must_be_verbatim() -> None:
    assert takeaway('Asif warned the Taliban of their "own peril and doom".').supported
    assert not takeaway('Asif warned the Taliban of their "own ruin and doom".').supported


def test_a_quoted_phrase_in_a_headline_is_checked_as_a_quote_never_as_a_name() -> None:
    """Seen on a real model's headline of the seed, whose article says "totally obliterate"."""
    invented = verify_brief(
        make_brief(headline="Pakistan threatens 'Total Obliteration' of the Taliban"), SEED
    )
    headline = invented.claims[0]
    assert headline.field == "headline" and not headline.supported
    assert 'quoted words not in the article: "Total Obliteration"' in headline.problems
    assert not any(p.startswith("names") for p in headline.problems)

    verbatim = verify_brief(
        make_brief(headline="Pakistan can 'totally obliterate' the Taliban, Asif says"), SEED
    )
    assert verbatim.claims[0].supported


@pytest.mark.parametrize(
    "claim",
    [
        "Asif warned the Taliban of their ‘own ruin and doom’.",  # curly single quotes, words changed
        "Asif said Pakistan would 'crush' the Taliban.",  # one word, not the article's
    ],
)
def test_quoted_words_of_every_kind_must_be_verbatim(claim: str) -> None:
    check = takeaway(claim)
    assert not check.supported and check.problems[0].startswith("quoted words not in the article")


def test_apostrophes_quote_nothing_and_unquoted_names_are_still_checked() -> None:
    assert takeaway("Pakistan's Defence Minister Khawaja Asif issued a strong warning.").supported
    invented = takeaway("Pakistan's 'own peril and doom' warning came from Imran Khan.")
    assert invented.problems[0] == "names not in the article: Imran, Khan"


@pytest.mark.parametrize(
    ("claim", "article"),
    [
        ("Pakistan has a drone deal with the U.S., according to NDTV.", SEED),
        ("United States retail sales climbed 8% for the year.", RETAIL),
        ("Khawaja Asif issued the warning on October 29.", SEED),
    ],
)
def test_obvious_equivalents_are_not_flagged(claim: str, article: str) -> None:
    check = takeaway(claim, article)
    assert check.unsupported_terms == [], check.problems


NETANYAHU = (
    "Jerusalem (CNN) -- Israeli Prime Minister Benjamin Netanyahu left for Washington on Sunday, calling "
    "his visit a historic mission. He will address a joint meeting of Congress on Tuesday, warning "
    "lawmakers against the nuclear deal taking shape with Iran. Aides say he worked on the speech "
    "throughout the 12-hour flight. Negotiators face a March 24 deadline for a political framework, "
    "and the White House has said the president will not meet him."
)


def test_a_date_from_another_sentence_is_flagged_though_the_article_has_it() -> None:
    check = takeaway("Netanyahu will visit Washington on March 24.", NETANYAHU)
    assert not check.supported
    assert check.problems == ["March 24 is in the article, but not with what this sentence says"]
    assert check.unsupported_terms == [], "the date is in the article; it is misplaced, not invented"
    assert takeaway("Negotiators face a deadline of 24 March for an Iran framework.", NETANYAHU).supported


def test_a_figure_swapped_for_one_of_its_kind_from_elsewhere_is_flagged() -> None:
    assert takeaway("Netanyahu left for Washington on Tuesday.", NETANYAHU).problems == [
        "Tuesday is in the article, but not with what this sentence says"
    ]
    assert takeaway("Netanyahu left for Washington on Sunday.", NETANYAHU).supported


def test_a_figure_the_next_sentences_carry_for_the_same_subject_is_backed() -> None:
    article = "A.J. Pero, the drummer of Twisted Sister, has died at home. The band said he was found in bed. Pero was 55."
    assert takeaway("Twisted Sister drummer A.J. Pero has died at 55.", article).supported


def test_figures_the_claim_pairs_are_backed_by_the_sentence_that_gives_both() -> None:
    article = (
        "A man has been arrested over the deaths of five neighbours on the island of Awaji. "
        "Police found the bodies in two homes on Monday. The suspect lived nearby. "
        "Officers had visited him before. Residents were shocked. "
        "Three women aged 59, 76 and 84 and two men were stabbed, police said."
    )
    assert takeaway(
        "A man was arrested over the deaths of neighbours aged 59 to 84 on Awaji.", article
    ).supported
    check = takeaway("A man was arrested over the deaths of five neighbours aged 59 on Awaji.", article)
    assert check.problems == ["59 is in the article, but not with what this sentence says"]


def test_a_takeaway_may_name_in_brackets_whom_its_pronoun_stands_for() -> None:
    article = index_article(
        "Khawaja Asif warned the Taliban on Wednesday. He said they would be obliterated."
    )

    named = check_claim("key_takeaways", 0, "[Khawaja Asif] said they would be obliterated.", article)
    renamed = check_claim("key_takeaways", 0, "[Imran Khan] said they would be obliterated.", article)

    assert named.supported, named.problems
    assert not renamed.supported
    assert "bracketed insertions not in the article: [Imran Khan]" in renamed.problems


_TENSIONS = (
    "Tensions spiked after Pakistani forces conducted cross-border operations into Afghanistan and {}."
)


def test_a_number_word_a_definite_determiner_opens_is_a_reference_not_a_figure() -> None:
    # The seed says "the two nations" of its talks, far from the cross-border operations.
    check = takeaway(_TENSIONS.format("talks between the two nations failed"))
    assert check.supported, check.problems


def test_a_definite_reference_must_still_count_what_the_article_counts() -> None:
    check = takeaway(_TENSIONS.format("talks between the five nations failed"))
    assert check.problems == ["numbers not in the article: five"]


@pytest.mark.parametrize("figure", ["the three-day talks failed", "the three days of talks failed"])
def test_a_time_after_a_definite_determiner_is_still_a_figure(figure: str) -> None:
    assert takeaway(_TENSIONS.format(figure)).problems == [
        "three is in the article, but not with what this sentence says"
    ]
