"""The layout of an article: the body a summariser sees, with datelines, bylines and furniture
removed, and what the dateline says."""

from __future__ import annotations

from pathlib import Path

from briefer.text.layout import parse

SEED = Path(__file__).parent.parent / "seeds" / "pakistan-taliban-warning.txt"


def test_cnn_prefix_is_not_part_of_the_first_sentence() -> None:
    layout = parse("(CNN)The Ferguson Police Department has demonstrated a pattern. Residents agree.")
    assert layout.body_sentences() == [
        "The Ferguson Police Department has demonstrated a pattern.",
        "Residents agree.",
    ]


def test_place_dateline_is_not_part_of_the_first_sentence() -> None:
    text = (
        "Sanaa, Yemen (CNN)The U.S. military has pulled its remaining personnel out of Yemen. More follows."
    )
    assert (
        parse(text).body_sentences()[0]
        == "The U.S. military has pulled its remaining personnel out of Yemen."
    )


def test_wire_dateline_is_not_part_of_the_first_sentence() -> None:
    layout = parse(SEED.read_text(encoding="utf-8"))
    assert layout.body_sentences()[0].startswith("On Wednesday, Pakistan's Defence Minister Khawaja Asif")


def test_daily_mail_byline_block_is_not_a_sentence() -> None:
    # The layout of Daily Mail articles in the CNN/DailyMail dataset (names and times invented).
    text = (
        "By . Daily Mail Reporter . PUBLISHED: . 14:11 EST, 25 October 2013 . | . UPDATED: . "
        "15:36 EST, 25 October 2013 . A bishop has been suspended by the Vatican. He denies wrongdoing."
    )
    assert parse(text).body_sentences() == [
        "A bishop has been suspended by the Vatican.",
        "He denies wrongdoing.",
    ]


def test_byline_line_is_not_a_sentence() -> None:
    text = (
        "Council approves new budget\nBy Jane Doe\nThe council approved the budget on Monday. It passed 7-2."
    )
    assert parse(text).body_sentences() == ["The council approved the budget on Monday.", "It passed 7-2."]


def test_full_dates_become_iso_dates() -> None:
    layout = parse("WASHINGTON, March 3, 2015 (Reuters) - The Senate voted on Tuesday. It passed.")
    assert (layout.dateline.place, layout.dateline.date, layout.dateline.outlet) == (
        "WASHINGTON",
        "2015-03-03",
        "Reuters",
    )


WIRE = (
    "Pakistan warns Afghan Taliban\n"
    "Key Takeaways:\n"
    "- Pakistan issued a warning.\n"
    "- Talks failed.\n"
    "Islamabad, Oct 29 (NationPress) - Pakistan's minister spoke on Wednesday. Scroll down for video. "
    "He was angry.\n"
    "Reuters contributed to this report."
)


def test_the_headline_takeaways_block_and_page_furniture_are_not_body() -> None:
    layout = parse(WIRE)
    assert layout.headline == "Pakistan warns Afghan Taliban"
    assert layout.body_sentences() == ["Pakistan's minister spoke on Wednesday.", "He was angry."]


def test_the_dateline_gives_place_date_and_outlet() -> None:
    dateline = parse(WIRE).dateline
    assert (dateline.place, dateline.date, dateline.outlet) == ("Islamabad", "Oct 29", "NationPress")


def test_a_title_from_the_source_wins_over_the_first_line() -> None:
    layout = parse(WIRE, title="Pakistan issues warning")
    assert layout.headline == "Pakistan issues warning"
    assert layout.body_sentences()[0] == "Pakistan warns Afghan Taliban"  # not the title, so not skipped


def test_a_daily_mail_byline_gives_the_outlet_and_date() -> None:
    text = (
        "By . Daily Mail Reporter . PUBLISHED: . 14:11 EST, 25 October 2013 . | . UPDATED: . "
        "15:36 EST, 25 October 2013 . A bishop has been suspended by the Vatican. He denies wrongdoing."
    )
    dateline = parse(text).dateline
    assert (dateline.place, dateline.date, dateline.outlet) == (None, "2013-10-25", "Daily Mail")


def test_credits_and_rights_lines_are_not_sentences_of_the_body() -> None:
    text = (
        "Rebels seized the airport on Monday. The army said it would retake it. "
        "CNN's Matthew Chance and Alla Eshchenko reported from Moscow, and Steve Almasy wrote from Atlanta. "
        "©2015 Billboard. All Rights Reserved. Police reported from the scene that two died."
    )
    body = parse(text).body_sentences()
    assert body == [
        "Rebels seized the airport on Monday.",
        "The army said it would retake it.",
        "Police reported from the scene that two died.",
    ]
