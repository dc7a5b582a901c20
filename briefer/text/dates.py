"""Months, weekdays and written dates: one calendar for the stemmer, the splitter and the layout.

Grounding folds 'Oct' into 'October', the sentence splitter keeps 'Oct. 29' whole and the
layout turns 'March 3, 2015' into an ISO date; all three read the same tables.
"""

from __future__ import annotations

import re

MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

MONTH_ABBREVIATIONS = {name[:3]: name for name in MONTHS if name != "may"} | {"sept": "september"}
"""'oct' -> 'october': the short forms news copy writes (May has none)."""
WEEKDAY_ABBREVIATIONS = {
    "mon": "monday", "tue": "tuesday", "tues": "tuesday", "wed": "wednesday", "thu": "thursday",
    "thur": "thursday", "thurs": "thursday", "fri": "friday", "sat": "saturday", "sun": "sunday",
}  # fmt: skip
MONTH_NUMBERS = {name[:3]: number for number, name in enumerate(MONTHS, start=1)}

MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
"""A month as written in a dateline: 'Oct', 'Oct.', 'October', 'Sept.'."""
DATE = (
    rf"(?:{MONTH}\s+\d{{1,2}}(?!\d)(?:st|nd|rd|th)?(?:,?\s+\d{{4}}(?!\d))?"
    rf"|(?<!\d)\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}(?:,?\s+\d{{4}}(?!\d))?)"
)
"""A day and month, either way round, optionally with the year: 'Oct 29', '25 October 2013'.
Never part of a longer number: 'August 2004' is a month and a year, not 'August 20'."""


def iso_date(written: str) -> str:
    """YYYY-MM-DD when ``written`` names day, month and year; otherwise ``written`` unchanged."""
    month = re.search(MONTH, written)
    year = re.search(r"\b(\d{4})\b", written)
    day = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b(?!\d)", written)
    if not (month and year and day):
        return written
    number = MONTH_NUMBERS[month.group(0)[:3].lower()]
    return f"{year.group(1)}-{number:02d}-{int(day.group(1)):02d}"
