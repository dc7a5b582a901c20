"""Numbers and dates as a claim or an article writes them: digits, 'bn'/'million', number words, days.

A claim may write '2,000', '2k', 'two thousand', round '4.06 trillion' to '4 trillion', say
'two decades' for '20 years' or '24 March' for 'March 24'; all must meet the article's figure,
and nothing else may. Each figure has a kind (a year, a percentage, money, a date, a count) so
that a sentence giving another figure of the same kind can be told from one that gives none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from briefer.text.dates import DATE, MONTH_NUMBERS, WEEKDAYS

UNITS = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
SUFFIX_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12}
SMALL_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}  # fmt: skip
NUMBER_WORDS = {**SMALL_NUMBERS, **UNITS}

_NUMBER = re.compile(
    r"(?<![\w.,])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<unit>hundred|thousand|million|billion|trillion)\b|(?P<suffix>[a-z]+)\b)?"
)
_WORDS = "|".join(NUMBER_WORDS)
_NUMBER_WORDS = re.compile(  # the lookahead on first letters only makes the scan twice as fast
    rf"\b(?=[{''.join({w[0] for w in NUMBER_WORDS})}])(?:{_WORDS})(?:[\s-]+(?:and[\s-]+)?(?:{_WORDS}))*\b",
    re.IGNORECASE,
)
_DECADES = re.compile(r"[\s-]+decades?\b", re.IGNORECASE)
_PERCENT = re.compile(r"\s?(?:%|per\s?cent\b)", re.IGNORECASE)
_MONEY_BEFORE = re.compile(r"(?:[$£€¥]|\b(?:US|A|C|HK)\$|\b(?:USD|EUR|GBP)\s?)$")
_MONEY_AFTER = re.compile(r"\s(?:dollars|pounds|euros|yen|yuan|rupees)\b", re.IGNORECASE)
_ISO = re.compile(r"(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")
_DATE = re.compile(rf"\b{DATE}(?!\d)|\b(?:{'|'.join(w.title() for w in WEEKDAYS)})\b|\b{_ISO.pattern}\b")


@dataclass(frozen=True, slots=True)
class Number:
    """A number as written: its value, the precision it was written with (for rounding), its kind."""

    text: str
    value: float
    unit: float
    decimals: int
    kind: str = "count"
    """'year', 'percent', 'money' or 'count': what a sentence's other figures are compared by."""
    start: int = 0

    def matches(self, other: Number | Date) -> bool:
        return isinstance(other, Number) and number_supported(self, [other.value])


@dataclass(frozen=True, slots=True)
class Date:
    """A day as written: 'March 24', '24 March 2015', '2015-03-24'; or a weekday (month 0, day 0-6)."""

    text: str
    month: int
    day: int
    year: int | None
    start: int = 0
    kind: str = "date"

    def matches(self, other: Number | Date) -> bool:
        """The same day: the years must agree only when both give one."""
        if not isinstance(other, Date) or (self.month, self.day) != (other.month, other.day):
            return False
        return self.year is None or other.year is None or self.year == other.year


Figure = Number | Date


def words_value(text: str) -> float | None:
    """Value of 'twenty-five', 'three hundred', 'two million'; None for a lone 'one'."""
    words = [w for w in re.split(r"[\s-]+", text.lower()) if w != "and"]
    if words == ["one"]:
        return None
    total, current = 0.0, 0.0
    for w in words:
        n = NUMBER_WORDS[w]
        if n >= 100:
            current = max(current, 1) * n
            if n > 100:
                total, current = total + current, 0.0
        else:
            current += n
    return total + current


def _kind(text: str, start: int, end: int, written: str) -> str:
    """A figure's kind from the words around it: '%' after, '$' before, four digits alone."""
    if _PERCENT.match(text, end):
        return "percent"
    if _MONEY_BEFORE.search(text, max(0, start - 4), start) or _MONEY_AFTER.match(text, end):
        return "money"
    return "year" if re.fullmatch(r"1[89]\d\d|20\d\d", written) else "count"


def _number(text: str, m: re.Match[str], value: float, unit: float, decimals: int) -> Number:
    """The number at ``m``; 'two decades' and '2 decades' are read as 20 (years)."""
    end = m.end()
    if decades := _DECADES.match(text, end):
        value, end = value * 10, decades.end()
    kind = _kind(text, m.start(), end, m.groupdict().get("num") or "")
    return Number(text[m.start() : end], value, unit, decimals, kind, m.start())


def numbers(text: str) -> Iterator[Number]:
    """Every number in ``text``: digits (with 'bn', 'million', '%' ...) and number words.

    The scale word of '1.2 billion' is part of that number, not a number of its own.
    """
    scaled: set[int] = set()
    for m in _NUMBER.finditer(text):
        digits = m["num"].replace(",", "")
        unit = UNITS.get(m["unit"] or "") or SUFFIX_SCALES.get(m["suffix"] or "", 1.0)
        scaled.add(m.end())
        yield _number(text, m, float(digits) * unit, unit, len(digits.partition(".")[2]))
    for m in _NUMBER_WORDS.finditer(text):
        value = words_value(m.group(0))
        if value is not None and m.end() not in scaled:
            yield _number(text, m, value, 1.0, 0)


def dates(text: str) -> Iterator[Date]:
    """Every day ``text`` names: a month with a day (either order, maybe a year), ISO, or a weekday."""
    for m in _DATE.finditer(text):
        written = m.group(0)
        if iso := _ISO.fullmatch(written):
            yield Date(written, int(iso[2]), int(iso[3]), int(iso[1]), m.start())
            continue
        if written.lower() in WEEKDAYS:
            yield Date(written, 0, WEEKDAYS.index(written.lower()), None, m.start())
            continue
        month = MONTH_NUMBERS[re.search(r"[A-Za-z]{3}", written).group(0).lower()]  # type: ignore[union-attr]  # a written date has its month
        day = int(re.search(r"\d{1,2}", written).group(0))  # type: ignore[union-attr]  # and its day
        year = re.search(r"\d{4}", written)
        yield Date(written, month, day, int(year.group(0)) if year else None, m.start())


def figures(text: str) -> list[Figure]:
    """The dates and numbers of ``text``, a date's day and year not counted again as numbers."""
    return with_dates(list(dates(text)), numbers(text))


def with_dates(days: list[Date], found: Iterable[Number]) -> list[Figure]:
    """``days`` and the numbers of ``found`` that are no part of one of them."""
    taken = [(d.start, d.start + len(d.text)) for d in days if d.month]
    return [*days, *(n for n in found if not any(a <= n.start < b for a, b in taken))]


def number_supported(number: Number, article_values: Iterable[float]) -> bool:
    """Equal, or the article's figure rounded to the precision the claim wrote ('4' for 4.06)."""
    tolerance = number.unit * (0.5 * 10**-number.decimals if number.decimals or number.unit > 1 else 0)
    return any(abs(a - number.value) <= tolerance + 1e-9 * max(1.0, a) for a in article_values)
