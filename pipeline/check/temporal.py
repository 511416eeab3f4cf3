"""Temporal rules: done after the report date, process dates out of order, period labels."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from pipeline.records import Quantity

from .engine import CheckContext, Hit, rule

_ISO = re.compile(r"^(\d{4})?(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
_DASHED = re.compile(r"^--(\d{2})-(\d{2})$")


def report_date(ctx: CheckContext) -> date | None:
    value = ctx.extraction.report_date
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def earliest_day(ctx: CheckContext, q: Quantity) -> date | None:
    """First day the stated period could mean: 2022年底 -> 2022-12-01, 2022年9月 -> 2022-09-01."""
    if not isinstance(q.value, str) or q.kind not in ("year", "date"):
        return None
    match = _ISO.match(q.value)
    if match is None or match.group(1) is None:
        return None
    year = int(match.group(1))
    if match.group(2):
        return date(year, int(match.group(2)), int(match.group(3) or 1))
    after = ctx.text[q.end:q.end + 3]
    within = ctx.text[q.start:q.end]
    for word, bounds in sorted((ctx.data.get("temporal", "period_words", default={}) or {}).items()):
        key = word[1:] if word.startswith("年") else word
        if word in within or after.startswith(word) or after.startswith(key) or key in q.qualifiers:
            return date(year, int(bounds[0]), int(bounds[1]))
    return date(year, 1, 1)


@rule("TEMP-FUTURE", "temporal", "info")
def check_done_after_report_date(ctx: CheckContext) -> Iterator[Hit]:
    """An event stated as done (建成, 完成 …) at a time after the report's own date.

    A date standing alone before a comma (``2023年3月，新校区已投入使用``) is read with the clause that follows.
    Plans stay quiet: a modal (力争, 将 …), a deadline (``秋季前``), or a date in the measures section
    without 已.
    Positive: ``2023年春季建成投用的学校3所`` in a report dated 2022年12月1日.
    Negative: ``力争2023年建成投用`` (a plan), ``2023年秋季前完成`` in the measures, or an event dated before the report.
    """
    dated = report_date(ctx)
    if dated is None:
        return
    done = ctx.data.alternation("temporal", "done_cues")
    future = ctx.data.alternation("temporal", "future_cues")
    modals = ctx.data.alternation("temporal", "future_modals")
    deadline = ctx.data.pattern("temporal", "deadline_after")
    lead = ctx.data.words("temporal", "date_lead_words")
    window = int(ctx.data.get("temporal", "done_window", default=12))
    for q in ctx.quantities:
        day = earliest_day(ctx, q)
        if day is None or day <= dated:
            continue
        if ctx.extraction.report_date_span and q.start >= ctx.extraction.report_date_span[0]:
            continue
        c_start, c_end = ctx.clause_of(q.start)
        before, after = ctx.text[c_start:q.start], ctx.text[q.end:c_end]
        if re.search(future, before) or deadline.match(after):
            continue
        stem = before.strip()
        if not re.search(done, after[:window]) and (not stem or stem in lead) and not after.strip(" 　") \
                and c_end < len(ctx.text) and ctx.text[c_end] in "，,":
            # 2024年9月，某校新校区正式投入使用: the date is the adverbial of the next clause
            _, n_end = ctx.clause_of(c_end + 1)
            after = ctx.text[q.end:n_end]
            found = re.search(done, after)
            reach = int(ctx.data.get("temporal", "quote_max", default=40))
        else:
            found = re.search(done, after[:window])
            reach = window
        if found is None or re.search(modals, after[:found.start()]):
            continue
        claused = ctx.text[c_start:q.start] + after
        if ctx.section_of(q.start) == "measure" and "已" not in claused:
            continue  # the measures section states plans
        severity = "warning" if "已" in before + after[:found.end()] else None
        quote_end = q.end + min(len(after), max(found.end(), reach))
        message = (f"报告成文于{dated.year}年{dated.month}月{dated.day}日，却以已完成的口吻写"
                   f"“{ctx.text[q.start:quote_end]}”，时间晚于成文日期，需核实。")
        yield Hit(message, ((q.start, quote_end),), severity=severity)


@rule("TEMP-ORDER", "temporal", "warning")
def check_process_dates(ctx: CheckContext) -> Iterator[Hit]:
    """Dates of the 自查 process must run forward and not pass the report date.

    Positive: ``10月20日召开部署会……9月30日完成自评`` in the process section.
    Negative: ``9月5日部署……10月20日形成报告``.
    """
    dated = report_date(ctx)
    year = dated.year if dated else None
    previous: tuple[date, Quantity] | None = None
    for q in ctx.quantities:
        if q.kind != "date" or ctx.section_of(q.start) != "process" or not isinstance(q.value, str):
            continue
        if ctx.extraction.report_date_span and q.start >= ctx.extraction.report_date_span[0]:
            continue
        aside = is_aside(ctx, q)
        if aside and (dated is None or year is None):
            continue
        dashed = _DASHED.match(q.value)
        if dashed and year is not None:
            day = date(year, int(dashed.group(1)), int(dashed.group(2)))
        else:
            match = _ISO.match(q.value)
            if match is None or match.group(1) is None or match.group(2) is None:
                continue
            day = date(int(match.group(1)), int(match.group(2)), int(match.group(3) or 1))
            year = day.year
        if previous is not None and day < previous[0] and not aside:
            message = f"自查工作的日期前后颠倒：先写“{previous[1].text}”，后写“{q.text}”。"
            yield Hit(message, ((previous[1].start, previous[1].end), (q.start, q.end)))
        if dated is not None and day > dated:
            message = f"自查过程的日期“{q.text}”晚于报告成文日期{dated.isoformat()}。"
            yield Hit(message, ((q.start, q.end),))
        if not aside:
            previous = (day, q)


def is_aside(ctx: CheckContext, q: Quantity) -> bool:
    """A date that is no step of the sequence: in brackets, marked as earlier (此前…), or attributive
    (传达市督导委员会1月30日召开的会议精神)."""
    s_start, _ = ctx.sentence_of(q.start)
    before = ctx.text[s_start:q.start]
    if before.count("（") + before.count("(") > before.count("）") + before.count(")"):
        return True
    # the marker may open the step: 此前，州教育局已于3月10日完成… (back to the last ；)
    step = before[max(before.rfind("；"), before.rfind(";")) + 1:]
    if any(w in step for w in ctx.data.words("temporal", "earlier_markers")):
        return True
    source = ctx.data.get("temporal", "attributive_after")
    return bool(source and re.match(source, ctx.text[q.end:q.end + 8]))


@rule("TEMP-PERIOD", "temporal", "warning")
def check_period_label(ctx: CheckContext) -> Iterator[Hit]:
    """The period the report covers (2021年以来, 2022年度) must not start after the report date.

    Positive: title ``2023年度履行教育职责自查报告`` dated 2022年11月. Negative: ``2021年以来…`` dated 2022.
    """
    dated = report_date(ctx)
    meta = ctx.audit.structure.meta
    if dated is None or not meta.period:
        return
    if not any(word in meta.period for word in ctx.data.words("temporal", "period_label_words")):
        return  # a bare year is not a period label
    years = [int(y) for y in re.findall(r"(\d{4})", meta.period)]
    if not years or min(years) <= dated.year:
        return
    found = ctx.text.find(meta.period)
    spans = ((found, found + len(meta.period)),) if found >= 0 else ()
    message = f"报告所称期间“{meta.period}”晚于成文日期{dated.isoformat()}。"
    yield Hit(message, spans, expected=dated.year, observed=min(years))


RULES = (check_done_after_report_date, check_process_dates, check_period_label)
