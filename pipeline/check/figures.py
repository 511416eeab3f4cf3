"""Figures as intervals: what a stated number allows, given its precision and qualifier.

``9800元`` allows 9799.5–9800.5; ``7.17%`` allows 7.165–7.175; ``600余万``
allows 600万–700万 (余 means "at least, below the next step"); ``约1000万``
allows ±10 %. A check passes when the intervals can agree, so a rule only
speaks when the figures cannot add up under any reading of their precision.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from pipeline.normalize import fold
from pipeline.records import Quantity

from .engine import RuleData

_DIGITS = re.compile(r"(\d[\d,]*)(?:\.(\d+))?")
INFINITY = math.inf


@dataclass(frozen=True, slots=True)
class Interval:
    lo: float
    hi: float
    exact: bool = True  # False when a qualifier (余, 约 …) widened it

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi, self.exact and other.exact)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.lo - other.hi, self.hi - other.lo, self.exact and other.exact)

    def scaled(self, factor: float) -> Interval:
        a, b = self.lo * factor, self.hi * factor
        return Interval(min(a, b), max(a, b), self.exact)

    def widened(self, amount: float) -> Interval:
        return Interval(self.lo - amount, self.hi + amount, self.exact)

    def overlaps(self, other: Interval) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def exceeds(self, other: Interval) -> bool:
        """Certainly larger than every value ``other`` allows."""
        return self.lo > other.hi


def divide(numerator: Interval, denominator: Interval) -> Interval | None:
    """Quotient of two positive intervals, None when the denominator can be ≤ 0."""
    if denominator.lo <= 0 or numerator.lo < 0:
        return None
    return Interval(numerator.lo / denominator.hi, numerator.hi / denominator.lo if denominator.lo else INFINITY,
                    numerator.exact and denominator.exact)


def numeric_value(quantity: Quantity) -> float | None:
    value = quantity.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def written_scale(quantity: Quantity) -> int:
    """万/亿 as written after the digits (the record's ``scale`` may be left at 1)."""
    tail = _DIGITS.split(fold(quantity.text))[-1]
    if "亿" in tail:
        return 100_000_000
    if "万" in tail:
        return 10_000
    return max(quantity.scale or 1, 1)


def last_number(quantity: Quantity) -> re.Match[str] | None:
    """The last Arabic number written in the quantity's text (None for a Chinese numeral)."""
    match = None
    for match in _DIGITS.finditer(fold(quantity.text)):
        pass
    return match


def last_digit_step(quantity: Quantity) -> float:
    """Value of one unit in the last written digit, in the quantity's base unit."""
    match = last_number(quantity)
    scale = written_scale(quantity)
    if match is None:
        return float(scale)  # Chinese numeral: exact count
    decimals = match.group(2)
    if decimals:
        return 10.0 ** -len(decimals) * scale
    return float(scale)


def round_step(quantity: Quantity) -> float:
    """The step a 余/多 figure stays below: 1400余 -> 100, 20余 -> 10, 1001余 -> 1 (times the scale)."""
    match = last_number(quantity)
    scale = written_scale(quantity)
    if match is None:
        return 10.0 * scale
    if match.group(2):
        return 10.0 ** -len(match.group(2)) * scale
    digits = match.group(1).replace(",", "")
    zeros = len(digits) - len(digits.rstrip("0"))
    if zeros == len(digits):
        zeros = 0
    return 10.0**zeros * scale


def qualifier_words(quantity: Quantity) -> set[str]:
    words = set(quantity.qualifiers)
    if quantity.approx:
        words.add(quantity.approx)
    return words


def interval_of(quantity: Quantity, data: RuleData) -> Interval | None:
    """What the stated figure allows; None for a figure that is not a number."""
    value = numeric_value(quantity)
    if value is None:
        return None
    words = qualifier_words(quantity)
    step = last_digit_step(quantity)
    # a whole number in the base unit (43个, 9800元) is exact; 1.5万 or 7.17% were rounded
    half = 0.0 if step == 1 and float(value).is_integer() else step / 2
    if words & set(data.words("qualifiers", "at_least_bounded")):
        return Interval(value, value + round_step(quantity), exact=False)
    if words & set(data.words("qualifiers", "at_least")):
        return Interval(value, INFINITY, exact=False)
    if words & set(data.words("qualifiers", "at_most")):
        return Interval(-INFINITY, value, exact=False)
    if words & set(data.words("qualifiers", "nearly")):
        return Interval(value * 0.9, value, exact=False)
    if words & set(data.words("qualifiers", "about")):
        spread = abs(value) * float(data.get("tolerance", "about_relative", default=0.1))
        return Interval(value - spread - half, value + spread + half, exact=False)
    return Interval(value - half, value + half)


def format_number(value: float) -> str:
    """A figure for a message: no trailing zeros, no exponent."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text


def in_units(value: float, quantity: Quantity) -> str:
    """``value`` written in the unit the quantity was written in (万 → divide)."""
    scale = written_scale(quantity)
    return format_number(round(value / scale, 4))


def scaled_unit(quantity: Quantity) -> str:
    scale_word = {10_000: "万", 100_000_000: "亿"}.get(quantity.scale or 1, "")
    unit = quantity.unit or ""
    return scale_word + unit
