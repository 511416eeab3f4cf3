"""Heading lines of the GB/T 9704 ladder 一、 → （一） → 1． → （1）, with the variants real reports use.

Parsing runs on the folded line (``pipeline.normalize.fold``), so half- and full-width
punctuation are one case and every offset is an offset into the original line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.normalize import fold

CHINESE_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CHINESE_NUMERAL = "[一二三四五六七八九十]{1,3}"

# (level, pattern on the folded line); the group "num" holds the numeral, "mark" the whole marker.
_MARKER_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (2, re.compile(rf"^(?P<mark>\(\s*(?P<num>{CHINESE_NUMERAL}|[-—－─])\s*\))")),
    (4, re.compile(r"^(?P<mark>\(\s*(?P<num>\d{1,2})\s*\))")),
    (1, re.compile(rf"^(?P<mark>(?P<num>{CHINESE_NUMERAL})\s*[、.,，])")),
    # 1． 1. 1、 1 . — but not a decimal (1.5亿) and not a version (1.0)
    (3, re.compile(r"^(?P<mark>(?P<num>\d{1,2})\s*[.、,，](?!\d))")),
)
_NO_MARK_NUMBER = re.compile(r"^(?P<mark>(?P<num>\d{1,2}))(?=[\u4e00-\u9fff])")

# A parenthesised score annotation: （本项满分1分，自评得1分） (分值xx分,得分xx分) (25分)
_SCORE_NOTE = re.compile(
    r"\((?P<note>[^()]{0,40}?(?:分值|满分|得分|自评|评分)[^()]{0,40}?|\s*[\dxX.]+\s*分\s*)\)"
)
_ENUMERATION_CONTINUES = re.compile(r"^\s*(?:\d|[一二三四五六七八九十]{1,3}(?:[、,]|年级))")
# A year opening the words after a Chinese-numeral marker: 一、2018年澄浦教育基本情况,
# 二、2018—2020年履行教育职责存在问题整改情况, （一）2022年度重点工作.
_YEAR_LEAD = re.compile(r"^\s*\d{4}\s*(?:[—–\-~至到]\s*\d{4}\s*)?年度?")
# After the year these make it a point in time of a narrative (2018年底前完成…, 2018年内…), not a label.
_YEAR_NARRATIVE_NEXT = "底初末内前"  # not 中: 2018年中小学… is a label
_YEAR_LED_MAX_CHARS = 40
_CLAUSE_MARKS = ",;:"  # folded ， ； ：
_SENTENCE_STOP = "。！？!?"
_LABEL_TRIM = " \t。.：:；;，,！!？?"

DEFAULT_EXCLUDED_NEXT = "年月日号个所名人万亿元项次岁户间套台件册份支场条批家处座栋辆倍周天期届类级门层平亩米公千百十点分秒小"
DEFAULT_MAX_HEADING_CHARS = 80


@dataclass(frozen=True, slots=True)
class ParsedHeading:
    """A heading found at the start of a line; offsets are into that line."""

    level: int  # 1: 一、  2: （一）  3: 1．  4: （1）
    index: int  # the numeral as written (一 -> 1; "(-)" -> 1)
    marker: str  # the numbering as written, e.g. "（一）"
    label: str  # heading words without marker, score note and final stop
    score_note: str | None  # e.g. "本项满分1分，自评得1分"
    rest: str  # body text after the heading on the same line ("" for a heading line)
    start: int  # where the heading surface begins (after leading spaces)
    end: int  # where the heading surface ends (the body, if any, begins at or after it)


def chinese_to_int(numeral: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 九十九 → 99; None for anything else."""
    if not numeral:
        return None
    if numeral.isdigit():
        return int(numeral)
    if "十" in numeral:
        head, _, tail = numeral.partition("十")
        if "十" in tail:
            return None
        tens = CHINESE_DIGITS.get(head, None) if head else 1
        ones = CHINESE_DIGITS.get(tail, None) if tail else 0
        if tens is None or ones is None:
            return None
        return tens * 10 + ones
    if len(numeral) == 1:
        return CHINESE_DIGITS.get(numeral)
    return None


def _numeral_value(num: str) -> int | None:
    if num in "-—－─":
        return 1  # "(-)" typed for （一）
    return chinese_to_int(num)


def parse_heading(
    line: str,
    *,
    excluded_next: str = DEFAULT_EXCLUDED_NEXT,
    max_heading_chars: int = DEFAULT_MAX_HEADING_CHARS,
) -> ParsedHeading | None:
    """Parse a heading at the start of ``line``; None if the line does not start with one.

    The heading surface runs to the first sentence stop (the lead sentence of a
    paragraph, ``1．坚持…领导。一是…``) or to the end of the line; ``rest`` is the body after it.
    """
    lead = len(line) - len(line.lstrip())
    folded = fold(line)[lead:]
    level = None
    found = None
    for candidate_level, pattern in _MARKER_PATTERNS:
        found = pattern.match(folded)
        if found:
            level = candidate_level
            break
    if found is None:
        found = _NO_MARK_NUMBER.match(folded)
        if found is None or folded[found.end()] in excluded_next:
            return None
        level = 3
    index = _numeral_value(found.group("num"))
    if index is None or level is None:
        return None
    mark_end = found.end()
    body = folded[mark_end:]
    if not body.strip():
        return None  # a bare number is not a heading
    if _ENUMERATION_CONTINUES.match(body) and not (level in (1, 2) and _is_year_led_label(body)):
        return None  # 一、二年级… / 1、2年级… / 一、1.5万人… is a list or a figure, not a heading
    stop = _first_stop(body)
    if stop is None:
        if len(body.rstrip()) > max_heading_chars:
            return None  # a long unpunctuated line numbered like a list chunk: not a heading
        surface_end = mark_end + len(body.rstrip())
    else:
        surface_end = mark_end + stop + 1
    surface_end += lead
    heading_words = line[lead + mark_end : surface_end]
    score_note = None
    note = _SCORE_NOTE.search(fold(heading_words))
    if note:
        score_note = heading_words[note.start("note") : note.end("note")].strip()
        heading_words = heading_words[: note.start()] + heading_words[note.end() :]
    label = heading_words.strip().strip(_LABEL_TRIM + "\u3000").strip()
    if not label:
        return None
    return ParsedHeading(
        level=level,
        index=index,
        marker=line[lead : lead + mark_end].strip(),
        label=label,
        score_note=score_note,
        rest=line[surface_end:],
        start=lead,
        end=surface_end,
    )


def _is_year_led_label(body: str) -> bool:
    """Whether the words after a Chinese-numeral marker that open with a digit are a year-led heading.

    ``2018年澄浦教育基本情况`` is one; a sentence of the body is not: the surface (to the first stop, or
    the line) must start with a year directly followed by a Han character that does not make the year a
    point in time (2018年底前…), be at most ``_YEAR_LED_MAX_CHARS`` long and hold no clause mark (``，；：``)
    and no further digit outside a score note (2018年新建幼儿园6所。 is a sentence; 2022年9月，… a date;
    1.5万人… a figure). A bare year (一、2018年) is not taken: a wrapped line is likelier than a year heading.
    """
    year = _YEAR_LEAD.match(body)
    if year is None:
        return False
    after = body[year.end() :]
    if not after or not "\u4e00" <= after[0] <= "\u9fff" or after[0] in _YEAR_NARRATIVE_NEXT:
        return False
    stop = _first_stop(body)
    surface = (body if stop is None else body[:stop]).rstrip()
    surface = _SCORE_NOTE.sub("", surface)
    if len(surface) > _YEAR_LED_MAX_CHARS:
        return False
    words = surface[year.end() :]
    return not any(char in _CLAUSE_MARKS or char.isdigit() for char in words)


def _first_stop(body: str) -> int | None:
    """Offset of the first sentence stop outside brackets and quotes, or None."""
    depth = 0
    for offset, char in enumerate(body):
        if char in "(“《〈[{‘「『【":
            depth += 1
        elif char in ")”》〉]}’」』】":
            depth = max(0, depth - 1)
        elif char in _SENTENCE_STOP and depth == 0:
            return offset
    # an unclosed quote or bracket (hostile or damaged text): take the first stop anyway
    return next((offset for offset, char in enumerate(body) if char in _SENTENCE_STOP), None)
