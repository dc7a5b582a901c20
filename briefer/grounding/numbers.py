"""Numbers as a claim or an article writes them: digits, 'bn'/'million', and number words.

A claim may write '2,000', '2k', 'two thousand' or round '4.06 trillion' to '4 trillion';
all must meet the article's figure, and nothing else may.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

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
_NUMBER_WORDS = re.compile(
    r"\b(?:%s)(?:[\s-]+(?:and[\s-]+)?(?:%s))*\b" % (("|".join(NUMBER_WORDS),) * 2), re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Number:
    """A number as written: its value and the precision it was written with (for rounding)."""

    text: str
    value: float
    unit: float
    decimals: int


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


def numbers(text: str) -> Iterator[Number]:
    """Every number in ``text``: digits (with 'bn', 'million', '%' ...) and number words."""
    for m in _NUMBER.finditer(text):
        digits = m["num"].replace(",", "")
        unit = UNITS.get(m["unit"] or "") or SUFFIX_SCALES.get(m["suffix"] or "", 1.0)
        decimals = len(digits.partition(".")[2])
        yield Number(m.group(0), float(digits) * unit, unit, decimals)
    for m in _NUMBER_WORDS.finditer(text):
        value = words_value(m.group(0))
        if value is not None:
            yield Number(m.group(0), value, 1.0, 0)


def number_supported(number: Number, article_values: Iterable[float]) -> bool:
    """Equal, or the article's figure rounded to the precision the claim wrote ('4' for 4.06)."""
    tolerance = number.unit * (0.5 * 10**-number.decimals if number.decimals or number.unit > 1 else 0)
    return any(abs(a - number.value) <= tolerance + 1e-9 * max(1.0, a) for a in article_values)
