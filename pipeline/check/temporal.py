"""Temporal rules: done after the report date, process dates out of order, period labels."""

from __future__ import annotations

import calendar
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


def _iso_match(q: Quantity) -> re.Match[str] | None:
    """The ISO value of a date/year item with its year (``--10-08`` has none: not placeable)."""
    if not isinstance(q.value, str) or q.kind not in ("year", "date"):
        return None
    match = _ISO.match(q.value)
    return match if match is not None and match.group(1) is not None else None


def earliest_day(ctx: CheckContext, q: Quantity) -> date | None:
    """First day the stated period could mean: 2022年底 -> 2022-12-01, 2022年9月 -> 2022-09-01."""
    match = _iso_match(q)
    if match is None:
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


def day_range(ctx: CheckContext, q: Quantity) -> tuple[date, date] | None:
    """First and last day a written date can mean (2018年4月底 -> 2018-04-01 … 2018-04-30); None without a year."""
    match = _iso_match(q)
    if match is None:
        return None
    year = int(match.group(1))
    if match.group(2):
        month = int(match.group(2))
        if match.group(3):
            day = date(year, month, int(match.group(3)))
            return day, day
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    first = earliest_day(ctx, q) or date(year, 1, 1)
    if first != date(year, 1, 1):  # 年底, 下半年 …: the period word gives its end as well
        for word, bounds in (ctx.data.get("temporal", "period_words", default={}) or {}).items():
            if (int(bounds[0]), int(bounds[1])) == (first.month, first.day):
                return first, date(year, int(bounds[2]), int(bounds[3]))
    return date(year, 1, 1), date(year, 12, 31)


@rule("TEMP-RECTIFY", "temporal", "warning")
def check_rectified_before_feedback(ctx: CheckContext) -> Iterator[Hit]:
    """Problems said to be rectified (截至X…整改到位, 已于X完成整改) before they were fed back or found.

    A feedback date is a date followed in its sentence by 反馈/指出/督导/检查 … before any completion word;
    a completion date is a cut-off (截至X) or an event date (已于X) with a completion word, about 整改
    (in its sentence or heading). Only feedback dates written earlier under the same heading count, and
    the completion must end before every one of them can begin; dates without a year, plans (…前完成,
    计划于) and period labels (2017年度) stay quiet.
    Positive: ``2021年6月，市督导组反馈问题9项……截至2021年5月底，9项问题已全部整改到位``.
    Negative: the same with ``截至2021年11月底``, or with ``11月底`` (no year).
    """
    rectify = ("temporal", "rectify")
    context = ctx.data.alternation(*rectify, "context")
    feedback = ctx.data.alternation(*rectify, "feedback_cues")
    done = ctx.data.alternation(*rectify, "done_cues")
    cutoff = ctx.data.pattern(*rectify, "cutoff_before")
    done_before = ctx.data.pattern(*rectify, "done_before")
    period_after = ctx.data.pattern(*rectify, "period_after")
    modals = ctx.data.alternation("temporal", "future_modals")
    deadline = ctx.data.pattern("temporal", "deadline_after")
    window = int(ctx.data.get(*rectify, "done_window", default=16))
    dated = [q for q in ctx.quantities if q.kind in ("year", "date")]
    feedbacks: list[tuple[Quantity, date, int | None, int]] = []  # date, first day, heading, end of its clause
    for i, q in enumerate(dated):
        span = day_range(ctx, q)
        if span is None or period_after.match(ctx.text[q.end:q.end + 4]):
            continue
        passage = ctx.passage_of(q.start)
        heading = passage.heading if passage is not None else None
        s_start, s_end = ctx.sentence_of(q.start)
        c_start, _ = ctx.clause_of(q.start)
        before = ctx.text[c_start:q.start]
        following = dated[i + 1].start if i + 1 < len(dated) and dated[i + 1].start < s_end else s_end
        after = ctx.text[q.end:following]
        if re.search(f"(?:{modals})", before) or deadline.match(ctx.text[q.end:s_end]):
            continue  # 计划于…, 2019年底前完成: a plan
        completion = None
        if cutoff.search(before):
            completion = re.search(f"(?:{done})", ctx.text[q.end:s_end])
        elif done_before.search(before):
            completion = re.search(f"(?:{done})", after[:window])
            if completion is not None and re.search(f"(?:{modals})", after[:completion.start()]):
                completion = None
        if completion is not None:
            topic = ctx.text[s_start:s_end] + " ".join(passage.heading_path if passage else ())
            if not re.search(f"(?:{context})", topic):
                continue
            earlier = [(f, first, cue_end) for f, first, h, cue_end in feedbacks if h == heading]
            if not earlier or not all(span[1] < first for _, first, _ in earlier):
                continue
            f, first, cue_end = min(earlier, key=lambda e: e[1])
            lead = cutoff.search(before) or done_before.search(before)
            quote_start = c_start + lead.start() if cutoff.search(before) is None else c_start
            quote_end = max(q.end + completion.end(), ctx.clause_of(q.end + completion.start())[1])
            message = (f"报告先写“{ctx.text[f.start:cue_end]}”，又称“{ctx.text[quote_start:quote_end]}”："
                       f"整改完成（{q.text}）早于问题反馈（{f.text}），需核实。")
            yield Hit(message, ((f.start, cue_end), (quote_start, quote_end)))
            continue
        first_done = re.search(f"(?:{done})", after)
        cue = re.search(f"(?:{feedback})", after)
        if cue is not None and (first_done is None or cue.start() < first_done.start()):
            feedbacks.append((q, span[0], heading, min(ctx.clause_of(q.end + cue.start())[1], s_end)))


RULES = (check_done_after_report_date, check_process_dates, check_period_label, check_rectified_before_feedback)
