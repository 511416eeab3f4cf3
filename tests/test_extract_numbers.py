"""Numeral parsing: Arabic (both widths, separators), Chinese numerals, 万/亿."""

from __future__ import annotations

import pytest

from pipeline.extract.numbers import parse_arabic, parse_chinese, parse_number, scale_of


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("42", 42),
        ("４２", 42),
        ("28,402", 28402),
        ("２８,４０２", 28402),
        ("1 324", 1324),
        ("63,897.16", 63897.16),
        ("９.７６", 9.76),
        ("0.85", 0.85),
    ],
)
def test_parse_arabic_accepts_both_widths_and_separators(text: str, value: float) -> None:
    assert parse_arabic(text) == value


@pytest.mark.parametrize("text", ["", "abc", "12,34", "1,2345", "１２a", "3.4.5"])
def test_parse_arabic_rejects_non_numerals(text: str) -> None:
    assert parse_arabic(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("两", 2),
        ("十", 10),
        ("十四", 14),
        ("二十七", 27),
        ("一百零五", 105),
        ("两千", 2000),
        ("三万五千", 35000),
        ("一万二千", 12000),
        ("二〇二二", 2022),
        ("二○二一", 2021),
        ("一九九八", 1998),
        ("三亿两千万", 320000000),
    ],
)
def test_parse_chinese_numerals(text: str, value: int) -> None:
    assert parse_chinese(text) == value


@pytest.mark.parametrize("text", ["", "一般", "双", "队伍", "十a"])
def test_parse_chinese_rejects_words(text: str) -> None:
    assert parse_chinese(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("13.04亿", 1304000000),
        ("169333万", 1693330000),
        ("2522.934万", 25229340),
        ("９.７６万", 97600),
        ("9.76 万", 97600),
        ("三万五千", 35000),
        ("0.5千万", 5000000),
    ],
)
def test_parse_number_applies_scale_exactly(text: str, value: int) -> None:
    result = parse_number(text)
    assert result == value
    assert isinstance(result, int)  # whole values stay int: no 1304000000.0000002


def test_parse_number_keeps_fractions_as_float() -> None:
    assert parse_number("108530.73") == pytest.approx(108530.73)
    assert isinstance(parse_number("108530.73"), float)


def test_scale_of_known_and_unknown_words() -> None:
    assert scale_of("万") == 10_000
    assert scale_of("亿") == 100_000_000
    assert scale_of(None) == 1
    with pytest.raises(ValueError):
        scale_of("千克")
