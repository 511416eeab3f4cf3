"""Pure numeral parsing: Arabic (half- and full-width), Chinese numerals, 万/亿 scales.

Every function takes a string and returns a number (``int`` when the value is
whole, else ``float``) or ``None`` when the string is not a numeral. Arithmetic
goes through ``Decimal`` so that ``13.04亿`` is exactly 1304000000, not
1304000000.0000002.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from pipeline.normalize import fold

Number = int | float

# Chinese digit characters (〇 and ○ are both written for zero; 两 is 2).
CHINESE_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9,
}
# Units inside a section (below 万).
CHINESE_SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
# Section scales, also written after Arabic numbers (9.76万, 13.04亿).
SCALE_WORDS: dict[str, int] = {"万": 10_000, "亿": 100_000_000, "万亿": 1_000_000_000_000,
                               "千万": 10_000_000, "百万": 1_000_000}

CHINESE_NUMERAL_CHARS = "".join(CHINESE_DIGITS) + "".join(CHINESE_SMALL_UNITS) + "万亿"

_ARABIC = re.compile(r"[+-]?(?:\d{1,3}(?:[, ]\d{3})+|\d+)(?:\.\d+)?")
# No figure in a report has more digits than this; a longer run (an ID, or hostile input) is not read
# as a number: its value would be an int of thousands of digits that JSON cannot write (Python's
# int/str conversion limit) and float() cannot convert.
MAX_NUMERAL_DIGITS = 30


def to_number(value: Decimal) -> Number:
    """``int`` when whole, else ``float``."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def parse_arabic_decimal(text: str) -> Decimal | None:
    """Exact value of an Arabic numeral (full-width digits, ``,`` or space thousands separators)."""
    folded = fold(text).strip().replace("，", ",")
    if not _ARABIC.fullmatch(folded) or sum(c.isdigit() for c in folded) > MAX_NUMERAL_DIGITS:
        return None
    try:
        return Decimal(folded.replace(",", "").replace(" ", ""))
    except InvalidOperation:
        return None


def parse_arabic(text: str) -> Number | None:
    """``"28,402"`` -> 28402, ``"９.７６"`` -> 9.76; ``None`` when not an Arabic numeral."""
    value = parse_arabic_decimal(text)
    return None if value is None else to_number(value)


def _parse_section(text: str) -> int | None:
    """A Chinese numeral below 万: 三千零五, 十四, 两百."""
    total = 0
    digit: int | None = None
    for char in text:
        if char in CHINESE_DIGITS:
            if digit is not None and digit != 0:
                return None  # two digits in a row without a unit: not this form
            digit = CHINESE_DIGITS[char]
        elif char in CHINESE_SMALL_UNITS:
            unit = CHINESE_SMALL_UNITS[char]
            total += (1 if digit is None else digit) * unit  # 十四: leading 十 means 一十
            digit = None
        else:
            return None
    return total + (digit or 0)


def parse_chinese(text: str) -> int | None:
    """Chinese numeral to int: 两 -> 2, 十四 -> 14, 三万五千 -> 35000, 二〇二二 -> 2022."""
    text = text.strip()
    if not text or any(c not in CHINESE_NUMERAL_CHARS for c in text):
        return None
    if len(text) > 1 and all(c in CHINESE_DIGITS for c in text):
        # Digit-by-digit form (二〇二二, 一九九八).
        return int("".join(str(CHINESE_DIGITS[c]) for c in text))
    total = 0
    rest = text
    for scale_char, scale in (("亿", 100_000_000), ("万", 10_000)):
        if scale_char in rest:
            head, _, rest = rest.partition(scale_char)
            head_value = parse_chinese(head) if head else 1
            if head_value is None:
                return None
            total += head_value * scale
    if rest:
        section = _parse_section(rest)
        if section is None:
            return None
        total += section
    return total


def scale_of(word: str | None) -> int:
    """Multiplier of a scale word (万 -> 10000); 1 for none."""
    if not word:
        return 1
    if word not in SCALE_WORDS:
        raise ValueError(f"not a scale word: {word!r}")
    return SCALE_WORDS[word]


def parse_number(text: str) -> Number | None:
    """Any numeral, with an optional trailing scale word: ``"13.04亿"`` -> 1304000000.

    Accepts Arabic (either width, separators, a space before the scale),
    Chinese numerals, and Arabic followed by 万/亿/千万. Returns ``None`` for
    anything else.
    """
    folded = fold(text).strip()
    if not folded:
        return None
    scale = 1
    for word in sorted(SCALE_WORDS, key=len, reverse=True):
        if folded.endswith(word):
            head = folded[: -len(word)].rstrip()
            arabic = parse_arabic_decimal(head) if head else None
            if arabic is not None:
                return to_number(arabic * scale_of(word))
            break
    arabic = parse_arabic_decimal(folded)
    if arabic is not None:
        return to_number(arabic * scale)
    return parse_chinese(folded)
