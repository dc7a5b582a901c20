"""Dates as datelines and bylines write them: a full date becomes ISO, a partial one stays as written."""

from __future__ import annotations

import re

import pytest

from briefer.text.dates import DATE, MONTH_ABBREVIATIONS, iso_date


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("March 3, 2015", "2015-03-03"),
        ("25 October 2013", "2013-10-25"),
        ("Sept. 9, 2014", "2014-09-09"),
        ("1st of May 2020", "2020-05-01"),
        ("Oct 29", "Oct 29"),  # no year: kept as written, as the Dateline model asks
    ],
)
def test_full_dates_become_iso_and_partial_ones_stay_as_written(written: str, iso: str) -> None:
    assert iso_date(written) == iso


@pytest.mark.parametrize("written", ["Oct 29", "Oct. 29, 2015", "29 October", "3rd of March 2015", "Sept 9"])
def test_the_date_pattern_reads_either_order_with_or_without_the_year(written: str) -> None:
    assert re.fullmatch(DATE, written)


@pytest.mark.parametrize("month", ["Sep", "Sept.", "September"])
def test_every_spelling_of_a_month_gives_the_same_date(month: str) -> None:
    assert iso_date(f"{month} 9, 2014") == "2014-09-09"


def test_short_months_fold_into_their_names() -> None:
    assert MONTH_ABBREVIATIONS["sept"] == MONTH_ABBREVIATIONS["sep"] == "september"
    assert "may" not in MONTH_ABBREVIATIONS  # May is never shortened


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("in August 2004 he", []),
        ("since May 1999.", []),
        ("in 2004 August 20", ["August 20"]),
        ("on August 20, 2004", ["August 20, 2004"]),
        ("20 August 2004", ["20 August 2004"]),
    ],
)
def test_a_month_and_year_is_not_read_as_a_day(text: str, dates: list[str]) -> None:
    assert [m.group(0) for m in re.finditer(DATE, text)] == dates
