"""Report metadata: title, issuer, addressee, period, the evaluation scheme cited and its size."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.normalize import fold
from pipeline.records import ReportMeta

from .headings import chinese_to_int

_PERIOD = re.compile(
    r"\d{4}\s*[—\-－~至到]\s*\d{4}\s*年|\d{4}\s*年(?:以来|度)|\d{4}\s*年(?:至|到)\s*\d{4}\s*年|\d{4}\s*年"
)
_TITLE = re.compile(r"《([^《》]{2,120})》")
_SCHEME_WORDS = ("评价方案", "评估方案", "实施方案", "评价办法", "督导办法", "评价细则", "评价指标", "细则", "办法", "方案")
_SCHEME_MARK = ("评价", "评估", "督导", "办法", "方案", "细则")
_COUNT_NUMBER = r"(?P<num>\d{1,3}|[一二三四五六七八九十百两]{1,4})"
# 8个方面评价重点、38个评价要点 · 8个一级指标、32个二级指标 · 7个方面
_SCHEME_COUNT = re.compile(
    _COUNT_NUMBER
    + r"\s*(?:个|项|条)(?:方面的?)?(?P<label>(?:一级|二级|三级)?(?:评价|评估|督导)?(?:重点|要点|指标|内容|项目|领域)|方面)"
)
_COUNT_JOIN = re.compile(r"^[、，,和及与\s]{0,2}$")
_ADDRESSEE_MAX = 40
_TITLE_LINE_MAX = 60


def _count_value(numeral: str) -> int | None:
    if numeral.isdigit():
        return int(numeral)
    return chinese_to_int(numeral.replace("两", "二"))


def find_title_and_addressee(
    text: str, top_lines: Sequence[tuple[int, int]]
) -> tuple[str | None, str | None, tuple[int, int] | None]:
    """Title (top lines joined, inner spaces dropped), addressee and the addressee's line span.

    ``top_lines`` are the non-blank lines before the first heading, in order.
    """
    title_parts: list[str] = []
    addressee = None
    addressee_span = None
    for start, end in top_lines:
        line = text[start:end].strip()
        folded = fold(line)
        if folded.endswith(":") and len(line) <= _ADDRESSEE_MAX and "。" not in line:
            addressee = line[:-1].strip()
            addressee_span = (start, end)
            break
        if len(line) > _TITLE_LINE_MAX or line.endswith("。") or "，" in line:
            break  # the opening paragraph: the title is above it
        title_parts.append(re.sub(r"\s+", "", line))
    title = "".join(title_parts) or None
    return title, addressee, addressee_span


def find_period(title: str | None, opening: str) -> str | None:
    for source in (title or "", opening):
        found = _PERIOD.search(fold(source))
        if found:
            return source[found.start() : found.end()]
    return None


def find_scheme(opening: str) -> tuple[str | None, tuple[tuple[int, str], ...], tuple[int, int] | None]:
    """The scheme document cited in the opening text and the counts it states (offsets into ``opening``).

    Prefer a title that itself is the scheme (…评价方案》) and is followed by its counts,
    then one that is the scheme, then any title naming a scheme (…评价方案的通知》).
    """
    counts, count_span = _scheme_counts(opening)
    candidates = []
    for found in _TITLE.finditer(opening):
        inner = found.group(1)
        if not any(mark in inner for mark in _SCHEME_MARK):
            continue
        is_scheme = inner.endswith(_SCHEME_WORDS)
        near_counts = count_span is not None and 0 <= count_span[0] - found.end() <= 20
        candidates.append((not near_counts, not is_scheme, found.start(), inner))
    scheme = min(candidates)[3] if candidates else None
    return scheme, counts, count_span


def _scheme_counts(opening: str) -> tuple[tuple[tuple[int, str], ...], tuple[int, int] | None]:
    """The first run of adjacent counts such as 8个方面评价重点、38个评价要点."""
    folded = fold(opening)
    runs: list[list[re.Match[str]]] = []
    for found in _SCHEME_COUNT.finditer(folded):
        if runs and _COUNT_JOIN.match(folded[runs[-1][-1].end() : found.start()]):
            runs[-1].append(found)
        else:
            runs.append([found])
    chosen = next((run for run in runs if len(run) >= 2 or run[0].group("label") != "方面"), None)
    if chosen is None and runs:
        chosen = runs[0]
    if chosen is not None:
        counts = []
        for found in chosen:
            value = _count_value(found.group("num"))
            if value is not None:
                counts.append((value, found.group("label")))
        if counts:
            return tuple(counts), (chosen[0].start(), chosen[-1].end())
    return (), None


def build_meta(
    text: str,
    top_lines: Sequence[tuple[int, int]],
    opening_span: tuple[int, int],
    issuer: str | None,
) -> ReportMeta:
    """Assemble ``ReportMeta``; ``opening_span`` is the text before the first non-process section."""
    title, addressee, _ = find_title_and_addressee(text, top_lines)
    opening = text[opening_span[0] : opening_span[1]]
    scheme, counts, span = find_scheme(opening)
    if issuer is None and title and "关于" in title:
        head = title.split("关于", 1)[0]
        issuer = head or None
    return ReportMeta(
        title=title,
        issuer=issuer,
        addressee=addressee,
        period=find_period(title, opening),
        scheme_document=scheme,
        scheme_counts=counts,
        scheme_counts_span=(span[0] + opening_span[0], span[1] + opening_span[0]) if span else None,
    )
