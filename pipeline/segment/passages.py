"""Inline items of a paragraph (一是…二是…, 第一，…第二，…) and sentences.

Pure functions over the document text: every span returned is ``(start, end)`` into it,
trimmed of whitespace, never empty.
"""

from __future__ import annotations

import re

from .headings import chinese_to_int

# 一是 / 第一， … ; the character before must end a clause (or be the start of the body),
# so 之一是 and 第一个 do not count.
_ENUMERATORS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("shi", re.compile(r"(?P<num>[一二三四五六七八九十]{1,2})是")),
    ("di", re.compile(r"第(?P<num>[一二三四五六七八九十]{1,2})(?=[，,、：:])")),
)
_CLAUSE_END_BEFORE = set("。；;：:，,！!？?）)”’ \t\u3000")
_SENTENCE_STOPS = set("。！？；!?;")
_CLOSERS = set("”’」』）)》〉】")
_WHITESPACE = " \t\r\n\u3000\u00a0"


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` past leading and trailing whitespace."""
    while start < end and text[start] in _WHITESPACE:
        start += 1
    while end > start and text[end - 1] in _WHITESPACE:
        end -= 1
    return start, end


def item_starts(text: str, start: int, end: int) -> list[int]:
    """Offsets where inline items begin: chains 一是, 二是, … (or 第一, 第二, …) of two or more."""
    best: list[int] = []
    for _, pattern in _ENUMERATORS:
        chain_starts: list[int] = []
        current: list[int] = []
        expected = 1
        for found in pattern.finditer(text, start, end):
            before = text[found.start() - 1] if found.start() > start else ""
            if before and before not in _CLAUSE_END_BEFORE:
                continue
            number = chinese_to_int(found.group("num"))
            if number == expected:
                current.append(found.start())
                expected += 1
            elif number == 1:  # a new chain begins
                if len(current) >= 2:
                    chain_starts.extend(current)
                current, expected = [found.start()], 2
        if len(current) >= 2:
            chain_starts.extend(current)
        if len(chain_starts) > len(best):
            best = chain_starts
    return sorted(best)


def split_items(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Split one paragraph body into (start, end, kind) spans: "paragraph" or "item"."""
    starts = item_starts(text, start, end)
    bounds = [start, *starts, end]
    spans = []
    for position, (left, right) in enumerate(zip(bounds, bounds[1:])):
        left, right = trim(text, left, right)
        if left >= right:
            continue
        kind = "item" if position > 0 else ("paragraph" if starts and left < starts[0] else "item")
        if not starts:
            kind = "paragraph"
        spans.append((left, right, kind))
    return spans


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences in ``[start, end)``: split after 。！？； and at line ends, closing quotes kept."""
    spans = []
    begin = start
    position = start
    while position < end:
        char = text[position]
        if char == "\n":
            spans.append(trim(text, begin, position))
            begin = position + 1
        elif char in _SENTENCE_STOPS:
            stop = position + 1
            while stop < end and text[stop] in _CLOSERS:
                stop += 1
            spans.append(trim(text, begin, stop))
            begin = stop
            position = stop
            continue
        position += 1
    spans.append(trim(text, begin, end))
    return [(left, right) for left, right in spans if left < right]
