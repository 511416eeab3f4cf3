"""Dates and years as ISO strings, and the report's own date (成文日期).

Values (see the gold README): ``2022年11月15日`` → "2022-11-15", ``2022年9月`` →
"2022-09", ``10月8日`` → "--10-08", ``2021年`` → "2021", ``2021-2025年`` →
"2021/2025", ``2021及2022年`` → "2021" and "2022", ``2022年底`` → "2022" with
qualifier 底, ``二〇二二年四月`` → "2022-04", “五四” → "--05-04".
Years that are part of a document number are left to ``docno_quantities``.
Matching runs on ``fold(text)``; spans index the original text.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from datetime import date

from pipeline.extract.docnos import scan_docnos
from pipeline.extract.prefilter import NUMBER_START, Prefiltered, one_of
from pipeline.normalize import fold
from pipeline.records import DocNumber, Quantity

# Digits of a year written in Chinese (二〇二二); 〇 and ○ are both written for zero.
CHINESE_YEAR_DIGITS = {"〇": 0, "○": 0, "零": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
                       "六": 6, "七": 7, "八": 8, "九": 9}
CHINESE_SMALL = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# Day names written with numerals (“五四”): name -> ISO month-day. Counted only in quotes or before 节.
NAMED_DAYS: dict[str, str] = {
    "三八": "--03-08", "五一": "--05-01", "五四": "--05-04", "六一": "--06-01", "七一": "--07-01",
    "八一": "--08-01", "九一八": "--09-18", "十一": "--10-01", "一二·九": "--12-09", "一二九": "--12-09",
}
# Words after 年 that qualify the year (2022年底); 初 not before 中/小/级 (2022年初中毕业生).
YEAR_QUALIFIERS = re.compile(r"底|末|初(?![中小级高])|上半年|下半年")
# Joiners of two years sharing one 年: a span (2021-2025年) or a pair (2021及2022年).
YEAR_SPAN_JOINERS = "-~—–至到"
YEAR_PAIR_JOINERS = "及和、与"
_SPAN_JOIN = f"[{re.escape(YEAR_SPAN_JOINERS)}]"
_PAIR_JOIN = f"[{re.escape(YEAR_PAIR_JOINERS)}]"
MIN_YEAR, MAX_YEAR = 1900, 2100

_SP = r"[^\S\n]{0,2}\n?[^\S\n]{0,2}"  # spaces (and one line break) PDF text leaves between digits and 年/月/日
_CN_YEAR = "[〇○零O一二三四五六七八九]{4}"
_CN_MONTH = "(?:十[一二]?|[一二三四五六七八九])"
_CN_DAY = "(?:三十[一]?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"

# (pattern, kind) in priority order; a later pattern never takes characters an earlier one matched.
DATE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"(?<![\d.])(?P<y>\d{{4}}){_SP}年{_SP}(?P<m>\d{{1,2}}){_SP}月{_SP}(?P<d>\d{{1,2}}){_SP}[日号]"), "ymd"),
    (re.compile(rf"(?P<y>{_CN_YEAR}){_SP}年{_SP}(?P<m>{_CN_MONTH}){_SP}月{_SP}(?P<d>{_CN_DAY}){_SP}日"), "cn_ymd"),
    (re.compile(r"(?<![\d.])(?P<y>\d{4})(?P<sep>[./-])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d.])"), "dotted"),
    (re.compile(rf"(?<![\d.])(?P<y>\d{{4}}){_SP}年{_SP}(?P<m>\d{{1,2}}){_SP}月(?!{_SP}\d)"), "ym"),
    (re.compile(rf"(?P<y>{_CN_YEAR}){_SP}年{_SP}(?P<m>{_CN_MONTH}){_SP}月"), "cn_ym"),
    (re.compile(rf"(?<![\d.])(?P<y1>\d{{4}}){_SP}年?{_SP}{_SPAN_JOIN}{_SP}(?P<y2>\d{{4}}){_SP}年"), "year_span"),
    (re.compile(rf"(?<![\d.])(?P<y1>\d{{4}}){_SP}{_PAIR_JOIN}{_SP}(?P<y2>\d{{4}}){_SP}年"), "year_pair"),
    (re.compile(rf"(?<![\d.])(?P<y>\d{{4}}){_SP}年"), "year"),
    (re.compile(rf"(?P<y>{_CN_YEAR}){_SP}年"), "cn_year"),
    (re.compile(rf"(?<![\d.])(?P<m>\d{{1,2}}){_SP}月{_SP}(?P<d>\d{{1,2}}){_SP}[日号]"), "md"),
)
_NAMED_DAY = re.compile(
    r"(?<=[“\"「『])(?P<name>" + "|".join(sorted(map(re.escape, NAMED_DAYS), key=len, reverse=True))
    + r")(?=[”\"」』])|(?P<name2>" + "|".join(sorted(map(re.escape, NAMED_DAYS), key=len, reverse=True))
    + r")(?=[^\S\n]?(?:青年节|劳动节|儿童节|妇女节|建党节|建军节|国庆节|国际))"
)
# DATE_PATTERNS and _NAMED_DAY tried only where a match can begin (pipeline.extract.prefilter): an Arabic
# pattern at a digit after no digit or point, a Chinese one at a year numeral, a named day at its first numeral.
_CN_YEAR_START = one_of("".join(CHINESE_YEAR_DIGITS))
DATE_SCANS: tuple[tuple[Prefiltered, str], ...] = tuple(
    (Prefiltered(pattern, _CN_YEAR_START if shape.startswith("cn_") else NUMBER_START), shape)
    for pattern, shape in DATE_PATTERNS
)
NAMED_DAY_SCAN = Prefiltered(_NAMED_DAY, one_of("".join(sorted({name[0] for name in NAMED_DAYS}))))
# A signature line: the issuing organ, written above the report date.
SIGNATURE_LINE = re.compile(r"(?:人民政府|政府|委员会|办公室|教育局|教委|局|厅|委|室|中心|学校|部)$")
# The report date is looked for in this last share of the text.
REPORT_DATE_TAIL = 0.2


def _chinese_year(text: str) -> int:
    return int("".join(str(CHINESE_YEAR_DIGITS[ch]) for ch in text))


def _chinese_small(text: str) -> int:
    """一..三十一 (month and day numerals)."""
    if "十" not in text:
        return CHINESE_SMALL[text]
    tens, _, units = text.partition("十")
    return (CHINESE_SMALL[tens] if tens else 1) * 10 + (CHINESE_SMALL[units] if units else 0)


def _valid_year(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def _ymd_iso(year: int | None, month: int, day: int | None) -> str | None:
    if not 1 <= month <= 12 or (year is not None and not _valid_year(year)):
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        date(year if year is not None else 2000, month, day)  # 2000: a leap year accepts 2月29日
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}" if year is not None else f"--{month:02d}-{day:02d}"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _item(text: str, start: int, end: int, kind: str, value: str, qualifiers: tuple[str, ...] = (),
          subject: str | None = None) -> Quantity:
    start, end = _trim(text, start, end)
    return Quantity(text=text[start:end], start=start, end=end, page=1, kind=kind, value=value,
                    qualifiers=qualifiers, subject=subject)


def _items_for(match: re.Match[str], shape: str, text: str, folded: str) -> list[Quantity]:
    """The date/year items one match stands for ([] when the numbers are not a valid date)."""
    g = match.group
    if shape in ("ymd", "dotted"):
        value = _ymd_iso(int(g("y")), int(g("m")), int(g("d")))
        return [_item(text, match.start(), match.end(), "date", value)] if value else []
    if shape == "cn_ymd":
        value = _ymd_iso(_chinese_year(g("y")), _chinese_small(g("m")), _chinese_small(g("d")))
        return [_item(text, match.start(), match.end(), "date", value)] if value else []
    if shape in ("ym", "cn_ym"):
        year = int(g("y")) if shape == "ym" else _chinese_year(g("y"))
        value = _ymd_iso(year, int(g("m")) if shape == "ym" else _chinese_small(g("m")), None)
        return [_item(text, match.start(), match.end(), "date", value)] if value else []
    if shape == "md":
        value = _ymd_iso(None, int(g("m")), int(g("d")))
        return [_item(text, match.start(), match.end(), "date", value)] if value else []
    if shape == "year_span":
        first, last = int(g("y1")), int(g("y2"))
        if not (_valid_year(first) and _valid_year(last) and first < last):
            return []
        return [_item(text, match.start(), match.end(), "year", f"{first}/{last}")]
    if shape == "year_pair":
        first, second = int(g("y1")), int(g("y2"))
        if not (_valid_year(first) and _valid_year(second)):
            return []
        return [_item(text, match.start("y1"), match.end("y1"), "year", str(first)),
                _item(text, match.start("y2"), match.end(), "year", str(second))]
    year = int(g("y")) if shape == "year" else _chinese_year(g("y"))
    if not _valid_year(year):
        return []
    end = match.end()
    qualifier = YEAR_QUALIFIERS.match(folded, end)
    qualifiers: tuple[str, ...] = ()
    if qualifier:
        qualifiers, end = (qualifier.group(),), qualifier.end()
    return [_item(text, match.start(), end, "year", str(year), qualifiers)]


def _take(mask: bytearray, start: int, end: int) -> None:
    mask[start:end] = b"\x01" * (end - start)


def find_dates(
    text: str, *, folded: str | None = None, docnos: Sequence[DocNumber] | None = None
) -> tuple[Quantity, ...]:
    """Dates (kind "date") and years (kind "year") with ISO values, outside document numbers, in text order.

    A caller that has them already may pass ``folded`` (``fold(text)``) and ``docnos`` (every document
    number of ``text``, as ``scan_docnos`` or ``find_docnos_and_titles`` give them).
    """
    folded = fold(text) if folded is None else folded
    if docnos is None:
        docnos = scan_docnos(text, folded=folded)
    taken = bytearray(len(folded))  # 1 inside document numbers and earlier matches
    for docno in docnos:
        _take(taken, docno.start, docno.end)
    items: list[Quantity] = []

    def free(start: int, end: int) -> bool:
        return not any(taken[start:end])

    for scan, shape in DATE_SCANS:
        for match in scan.finditer(folded):
            if not free(match.start(), match.end()):
                continue
            found = _items_for(match, shape, text, folded)
            if found:
                _take(taken, match.start(), max(q.end for q in found))
                items.extend(found)
    for match in NAMED_DAY_SCAN.finditer(folded):
        name = match.group("name") or match.group("name2")
        start, end = match.span("name") if match.group("name") else match.span("name2")
        if free(start, end):
            _take(taken, start, end)
            items.append(_item(text, start, end, "date", NAMED_DAYS[name], subject=text[start:end]))
    items.sort(key=lambda q: (q.start, q.end))
    return tuple(items)


_STANDALONE_DATE = re.compile(
    rf"(?:(?P<y>\d{{4}}){_SP}年{_SP}(?P<m>\d{{1,2}}){_SP}月{_SP}(?P<d>\d{{1,2}}){_SP}日"
    rf"|(?P<cy>{_CN_YEAR}){_SP}年{_SP}(?P<cm>{_CN_MONTH}){_SP}月{_SP}(?P<cd>{_CN_DAY}){_SP}日)"
)


def find_report_date(text: str, *, folded: str | None = None) -> tuple[str, int, int] | None:
    """The report's own date: a full date alone on a line, after the signature, near the end.

    Returns (ISO YYYY-MM-DD, start, end). Prefers a date line right below a signature line
    (…人民政府); otherwise the last date line in the final part of the text. ``folded``: ``fold(text)``
    when the caller has it.
    """
    folded = fold(text) if folded is None else folded
    lines: list[tuple[int, int]] = []  # (start, end) of each non-blank line, stripped
    offset = 0
    for raw in folded.splitlines(keepends=True):
        start, end = _trim(folded, offset, offset + len(raw.rstrip("\r\n")))
        if end > start:
            lines.append((start, end))
        offset += len(raw)
    signed: list[tuple[str, int, int]] = []
    tail: list[tuple[str, int, int]] = []
    tail_start = int(len(text) * (1 - REPORT_DATE_TAIL))
    for k, (start, end) in enumerate(lines):
        match = _STANDALONE_DATE.fullmatch(folded, start, end)
        if match is None:
            continue
        if match.group("y"):
            iso = _ymd_iso(int(match.group("y")), int(match.group("m")), int(match.group("d")))
        else:
            iso = _ymd_iso(_chinese_year(match.group("cy")), _chinese_small(match.group("cm")),
                           _chinese_small(match.group("cd")))
        if iso is None:
            continue
        if k > 0 and SIGNATURE_LINE.search(folded, lines[k - 1][0], lines[k - 1][1]):
            signed.append((iso, start, end))
        elif start >= tail_start:
            tail.append((iso, start, end))
    if signed:
        return signed[-1]
    return tail[-1] if tail else None


_DATED = re.compile(r"^(\d{4})-\d{2}(?:-\d{2})?$")  # a date with its year (a bare year may name a period)


def resolve_partial_dates(dates: Sequence[Quantity], text: str, report_date: str | None) -> tuple[Quantity, ...]:
    """Month-day dates (``--10-08``) with ``resolved`` set to a full ISO date where unambiguous.

    The year is that of the nearest full date earlier in the same paragraph (``2022年9月……10月8日``;
    a bare year such as ``2021年履行教育职责`` names a period and is not used); failing that, the
    report's year when the month-day falls on or before the report date (a self-check held "10月8日"
    in a report dated 2022-11-15). Named days (“五四”) and everything else stay unresolved.
    """
    ordered = sorted(dates, key=lambda q: (q.start, q.end))
    resolved: list[Quantity] = []
    for index, item in enumerate(ordered):
        value = item.value if isinstance(item.value, str) else ""
        if item.kind != "date" or not value.startswith("--") or "月" not in item.text:
            resolved.append(item)
            continue
        paragraph_start = text.rfind("\n", 0, item.start) + 1
        year = None
        for earlier in reversed(ordered[:index]):
            if earlier.start < paragraph_start:
                break
            match = _DATED.match(earlier.value) if isinstance(earlier.value, str) else None
            if match:
                year = match.group(1)
                break
        if year is None and report_date and value[1:] <= report_date[4:]:
            year = report_date[:4]
        resolved.append(dataclasses.replace(item, resolved=f"{year}{value[1:]}") if year else item)
    return tuple(resolved)
