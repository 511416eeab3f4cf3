"""Arithmetic rules: differences, parts and totals, growth rates, shortfalls, respectively-lists, shares.

Each rule reads a paragraph's skeleton (its figures replaced by one mark each),
matches the data-driven templates of ``rules.yaml`` and recomputes with
intervals (:mod:`pipeline.check.figures`), so a rule speaks only when the
figures cannot agree under any reading of their stated precision.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

from pipeline.matching import similarity
from pipeline.normalize import fold
from pipeline.records import Quantity

from .engine import QUANTITY_MARK, CheckContext, Hit, Skeleton, rule
from .figures import Interval, divide, format_number, interval_of, last_digit_step, qualifier_words, written_scale

PERCENT_KINDS = ("percent", "percentage_point")


def paragraph_spans(ctx: CheckContext) -> list[tuple[int, int]]:
    if ctx.passages:
        return [(p.start, p.end) for p in ctx.passages]
    spans, start = [], 0
    for line in ctx.text.split("\n"):
        if line.strip():
            spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def skeletons(ctx: CheckContext) -> tuple[Skeleton, ...]:
    """The skeletons of the paragraphs that hold a figure (six rules read them: listed once per report)."""
    kinds = ctx.data.words("figure_kinds")
    return ctx.shared(("figure_skeletons", kinds), lambda: tuple(
        skeleton for start, end in paragraph_spans(ctx)
        if QUANTITY_MARK in (skeleton := ctx.skeleton(start, end, kinds)).text))


def unit_key(quantity: Quantity, ctx: CheckContext) -> str:
    """The quantity's kind and base unit (``元/年`` -> ``元``; the basis is compared separately)."""
    if quantity.kind in PERCENT_KINDS:
        return "%"
    unit = (quantity.unit or "").split("/", 1)[0]
    for group in ctx.data.get("unit_groups", default=[]) or []:
        if unit in group:
            return group[0]
    return f"{quantity.kind}:{unit}" if unit else quantity.kind


def unit_basis(quantity: Quantity) -> str:
    """The per-unit basis written with a figure (``元/生/年`` -> ``生/年``), or ""."""
    return (quantity.unit or "").partition("/")[2]


def same_unit(ctx: CheckContext, *quantities: Quantity) -> bool:
    """Same kind and base unit, and at most one basis among them.

    A bare figure compared with a per-unit one shares its basis (``年均720元，比标准650元高出80元``);
    two different bases (元/月 against 元/年) are not comparable.
    """
    keys = {unit_key(q, ctx) for q in quantities}
    kinds = {q.kind for q in quantities}
    bases = {unit_basis(q) for q in quantities} - {""}
    return len(keys) == 1 and len(bases) <= 1 and (len(kinds) == 1 or kinds <= set(PERCENT_KINDS))


def show(value: float, scale: int) -> str:
    return format_number(round(value / scale, 6))


def common_scale(*quantities: Quantity) -> int:
    """The smallest 万/亿 scale the figures were written in: messages show figures as written."""
    return min(written_scale(q) for q in quantities)


def severity_for(*intervals: Interval) -> str:
    return "error" if all(i.exact for i in intervals) else "warning"


def group_quantity(skeleton: Skeleton, match: re.Match[str], name: str) -> Quantity | None:
    if match.group(name) is None:
        return None
    return skeleton.quantity_at.get(match.start(name))


# -- differences -----------------------------------------------------------------


@rule("ARITH-DIFF", "arithmetic", "error")
def check_differences(ctx: CheckContext) -> Iterator[Hit]:
    """A stated difference must equal the difference of the two stated figures.

    Positive: ``人均经费9800元，高于全省平均水平（8600元）1600元`` (9800 − 8600 = 1200).
    Negative: ``人均经费9800元，高于全省平均水平（8600元）1200元``.
    Percentages: a difference of two rates in 个百分点 is checked as A − B; a difference
    written with % that equals A − B is left to ``FMT-PCT-POINT``.
    """
    down = set(ctx.data.words("arithmetic", "down_cues"))
    patterns = [re.compile(p.replace("{Q}", QUANTITY_MARK)) for p in ctx.data.get("arithmetic", "difference")]
    for skeleton in skeletons(ctx):
        seen: set[int] = set()
        for pattern in patterns:
            for match in pattern.finditer(skeleton.text):
                a, b, x = (group_quantity(skeleton, match, n) for n in ("a", "b", "x"))
                if a is None or b is None or x is None or match.start("x") in seen:
                    continue
                seen.add(match.start("x"))
                hit = difference_hit(ctx, a, b, x, match.group("cue"), match.group("cue") in down)
                if hit is not None:
                    yield hit


def difference_hit(ctx: CheckContext, a: Quantity, b: Quantity, x: Quantity, cue: str, downward: bool) -> Hit | None:
    if a.kind in PERCENT_KINDS and b.kind in PERCENT_KINDS:
        if x.kind != "percentage_point":
            return None  # % written for points (FMT-PCT-POINT) or a relative change: not this rule
    elif not same_unit(ctx, a, b, x):
        return None
    ia, ib, ix = (interval_of(q, ctx.data) for q in (a, b, x))
    if ia is None or ib is None or ix is None:
        return None
    expected = ib - ia if downward else ia - ib
    if expected.overlaps(ix):
        return None
    scale = common_scale(a, b, x)
    va, vb, vx = float(a.value), float(b.value), float(x.value)
    value = vb - va if downward else va - vb
    first, second = (b, a) if downward else (a, b)
    message = (
        f"{show(float(first.value), scale)} − {show(float(second.value), scale)} = {show(value, scale)}，"
        f"报告写“{cue}…{x.text}”，两数之差与所写差额不符。"
    )
    return Hit(message, ((a.start, a.end), (b.start, b.end), (x.start, x.end)),
               expected=tidy(value), observed=tidy(vx), severity=severity_for(ia, ib, ix))


def tidy(value: float) -> int | float:
    rounded = round(value, 6)
    return int(rounded) if rounded == int(rounded) else rounded


# -- parts and totals ------------------------------------------------------------


@rule("ARITH-PARTS", "arithmetic", "error")
def check_parts(ctx: CheckContext) -> Iterator[Hit]:
    """Parts listed after a total (其中 …, or in brackets right after it) must not add up to more than it.

    A 其中 list may be partial (its parts may sum to less); a bracketed breakdown
    such as ``（公办94所，民办33所）`` must match. ``各N`` counts N for each listed item.
    Positive: ``全县共有学校56所，其中小学38所，初中15所，高中6所`` (38 + 15 + 6 = 59 > 56).
    Negative: ``全县共有学校56所，其中小学38所，初中15所`` (53 ≤ 56, a partial list).
    """
    for skeleton in skeletons(ctx):
        yield from opener_parts(ctx, skeleton)
        yield from bracket_parts(ctx, skeleton)


def bracket_depths(text: str) -> list[int]:
    depth, depths = 0, []
    for char in text:
        if char in "（(":
            depth += 1
        depths.append(depth)
        if char in "）)" and depth:
            depth -= 1
    return depths


def clause_start(text: str, index: int) -> int:
    while index > 0 and text[index - 1] not in "，,；;。：:（(":
        index -= 1
    return index


def head_noun(ctx: CheckContext, quantity: Quantity) -> str:
    """The two characters written right before a figure (基建项目43个 -> 项目), if they are words."""
    before = ctx.text[max(0, quantity.start - 2):quantity.start]
    if len(before) == 2 and all("\u4e00" <= c <= "\u9fff" for c in before) and not set(before) & set("有为达计共是各约近超"):
        return before
    return ""


def multiplier(ctx: CheckContext, skeleton: Skeleton, index: int, quantity: Quantity) -> int:
    """How many items a part counts for: 小学、初中各1所 -> 2."""
    distributive = ctx.data.get("arithmetic", "parts", "distributive")
    if distributive and ctx.text[quantity.start - len(distributive):quantity.start] == distributive:
        start = clause_start(skeleton.text, index)
        separators = ctx.data.alternation("arithmetic", "parts", "item_separators")
        return len(re.findall(separators, skeleton.text[start:index])) + 1
    return 1


def opener_parts(ctx: CheckContext, skeleton: Skeleton) -> Iterator[Hit]:
    openers = ctx.data.alternation("arithmetic", "parts", "openers")
    status = tuple(ctx.data.words("arithmetic", "parts", "status_words"))
    pattern = re.compile(f"(?P<t>{QUANTITY_MARK})[^{QUANTITY_MARK}。；;]{{0,4}}?[，,：:]?(?:{openers})[：:]?")
    totals = {m.start("t") for m in pattern.finditer(skeleton.text)}
    if not totals:
        return  # no 其中 list: the bracket levels below are not needed
    depths = bracket_depths(skeleton.text)
    source = ctx.data.get("arithmetic", "parts", "sub_breakdown")
    sub_breakdown = re.compile(source) if source else None
    # sorted once, and list ends looked up by bisection: per match, a scan of the whole paragraph
    # made this quadratic in the number of totals (a 其中 sentence pasted thousands of times)
    marks = sorted(skeleton.quantity_at.items())
    mark_indices = [index for index, _ in marks]
    enders = list_enders(skeleton.text, depths)
    for match in pattern.finditer(skeleton.text):
        total = skeleton.quantity_at[match.start("t")]
        level = depths[match.start("t")]
        end = list_end(skeleton.text, match.end(), depths, level, enders)
        candidates: list[tuple[int, Quantity]] = []
        for index, q in marks[bisect_left(mark_indices, match.end()):]:  # earlier figures are never parts
            if index >= end:
                break  # past the list: nothing more is a part
            if index in totals and index > match.start("t") and depths[index] == level:
                break  # a figure opening its own 其中 list starts a new total
            if not match.end() <= index < end or depths[index] != level:
                continue
            clause = skeleton.text[clause_start(skeleton.text, index):index]
            if sub_breakdown is not None and sub_breakdown.match(clause):
                break  # 专任教师中…: a breakdown of a part, the list of the total has ended
            if not same_unit(ctx, q, total):
                continue
            if clause.startswith(status) or re.search(f"(?:{openers})$", clause) and index != match.end():
                continue
            candidates.append((index, q))
        head = head_noun(ctx, total)
        headed = [(i, q) for i, q in candidates if head and head_noun(ctx, q) == head]
        parts = headed if len(headed) >= 2 else candidates
        if len(parts) < 2 or cross_cutting(ctx, skeleton, parts, match.end()):
            continue
        hit = parts_hit(ctx, skeleton, total, parts, exact_partition=len(headed) >= 2, allow_less=True)
        if hit is not None:
            yield hit


def part_label(skeleton: Skeleton, index: int, list_start: int) -> str:
    """The words naming one part: from the previous figure (or its clause start) to the figure."""
    start = max(clause_start(skeleton.text, index), list_start)
    previous = skeleton.text.rfind(QUANTITY_MARK, start, index)
    return skeleton.text[(previous + 1 if previous >= 0 else start):index]


def cross_cutting(ctx: CheckContext, skeleton: Skeleton, parts: list[tuple[int, Quantity]], list_start: int) -> bool:
    """Parts that count along different attributes (本科学历 / 中级职称, 女教师 / 35岁以下): they may overlap.

    True when some part is labelled with an attribute of ``arithmetic.parts.dimensions`` and the parts do not
    all carry the same one: such a list is no partition, so no sum of it is checkable.
    """
    groups = ctx.data.get("arithmetic", "parts", "dimensions", default=[]) or []
    if not groups:
        return False
    found = []
    for index, _ in parts:
        label = part_label(skeleton, index, list_start)
        found.append(frozenset(n for n, words in enumerate(groups) if any(w in label for w in words)))
    return any(found) and len(set(found)) > 1


LIST_ENDERS = "。；;！？!?\n"


def list_enders(text: str, depths: list[int]) -> dict[int, list[int]]:
    """Offsets of the characters that end a part list, by bracket level (ascending)."""
    enders: dict[int, list[int]] = {}
    for index, char in enumerate(text):
        if char in LIST_ENDERS:
            enders.setdefault(depths[index], []).append(index)
    return enders


def list_end(text: str, start: int, depths: list[int], level: int, enders: dict[int, list[int]] | None = None) -> int:
    """Where a part list opened at ``start`` ends: the sentence end or a semicolon at its own bracket level.

    ``幼儿园64所，其中公办32所、民办32所；中小学81所，其中…``: the first list stops at ``；``.
    ``enders`` (from ``list_enders``) makes this a bisection instead of a scan.
    """
    if enders is not None:
        at_level = enders.get(level, [])
        i = bisect_left(at_level, start)
        return at_level[i] if i < len(at_level) else len(text)
    for index in range(start, len(text)):
        if text[index] in LIST_ENDERS and depths[index] == level:
            return index
    return len(text)


def bracket_parts(ctx: CheckContext, skeleton: Skeleton) -> Iterator[Hit]:
    pattern = re.compile(f"(?P<t>{QUANTITY_MARK})[（(](?P<body>[^（()）]*)[）)]")
    openers = tuple(ctx.data.words("arithmetic", "parts", "openers"))
    marks = sorted(skeleton.quantity_at.items())  # once, not per match
    mark_indices = [index for index, _ in marks]
    for match in pattern.finditer(skeleton.text):
        total = skeleton.quantity_at[match.start("t")]
        body_start = match.start("body")
        inside = marks[bisect_left(mark_indices, body_start):bisect_left(mark_indices, match.end("body"))]
        parts = [(i, q) for i, q in inside if same_unit(ctx, q, total)]
        if len(parts) < 2:
            continue
        partial = match.group("body").startswith(openers)
        hit = parts_hit(ctx, skeleton, total, parts, exact_partition=True, allow_less=partial)
        if hit is not None:
            yield hit


def parts_hit(ctx: CheckContext, skeleton: Skeleton, total: Quantity, parts: list[tuple[int, Quantity]],
              exact_partition: bool, allow_less: bool) -> Hit | None:
    total_interval = interval_of(total, ctx.data)
    factors = [multiplier(ctx, skeleton, i, q) for i, q in parts]
    intervals = [interval_of(q, ctx.data) for _, q in parts]
    if total_interval is None or any(i is None for i in intervals):
        return None
    summed = Interval(0.0, 0.0)
    for interval, factor in zip(intervals, factors):
        summed = summed + interval.scaled(factor)
    too_much = summed.exceeds(total_interval)
    too_little = not allow_less and total_interval.exceeds(summed)
    if not (too_much or too_little):
        return None
    scale = common_scale(total, *(q for _, q in parts))
    parts_sum = sum(float(q.value) * factor for (_, q), factor in zip(parts, factors))
    words = " + ".join(show(float(q.value), scale) + (f"×{factor}" if factor > 1 else "")
                       for (_, q), factor in zip(parts, factors))
    relation = "超过" if too_much else "少于"
    message = (f"分项之和 {words} = {show(parts_sum, scale)}，{relation}总数“{total.text}”"
               f"（{show(float(total.value), scale)}）。")
    severity = severity_for(total_interval, summed)
    if not exact_partition and severity == "error":
        severity = "warning"  # parts may overlap (女生 / 少数民族学生): the inspector must ask
    spans = ((total.start, total.end),) + tuple((q.start, q.end) for _, q in parts)
    return Hit(message, spans, expected=tidy(float(total.value)), observed=tidy(parts_sum), severity=severity)


# -- growth ---------------------------------------------------------------------


@rule("ARITH-GROWTH", "arithmetic", "error")
def check_growth(ctx: CheckContext) -> Iterator[Hit]:
    """A growth rate must equal the increment over the prior value (增长N倍 means ×(1+N)).

    Also says when a rate was computed on the wrong base (increment ÷ current). A rate given with only the
    current figure (``2021年…5.2亿元，比上年增长4%``) is checked against the prior year's figure stated in
    another sentence when exactly one figure of that year reads with the same subject (a warning: linked).
    Positive: ``经费达5.5亿元，比上年增加5000万元，增长9.09%`` (0.5 ÷ 5.0 = 10%; 9.09% is 0.5 ÷ 5.5, the wrong base).
    Negative: ``经费达5.5亿元，比上年增加5000万元，增长10%``.
    """
    patterns = [re.compile(p.replace("{Q}", QUANTITY_MARK)) for p in ctx.data.get("arithmetic", "growth")]
    down = set(ctx.data.words("arithmetic", "down_cues"))
    extra = float(ctx.data.get("tolerance", "rate_extra_steps", default=1))
    for skeleton in skeletons(ctx):
        seen: set[int] = set()
        for pattern in patterns:
            for match in pattern.finditer(skeleton.text):
                if match.start() in seen:
                    continue
                seen.add(match.start())
                if scope_adjusted(ctx, match.group(0)):
                    continue
                hit = growth_hit(ctx, skeleton, match, match.group("cue") in down, extra)
                if hit is not None:
                    yield hit
        yield from growth_with_prior_elsewhere(ctx, skeleton, down, extra)


def growth_hit(ctx: CheckContext, skeleton: Skeleton, match: re.Match[str], downward: bool,
               extra: float) -> Hit | None:
    names = match.groupdict()
    current = group_quantity(skeleton, match, "c")
    increment = group_quantity(skeleton, match, "i") if "i" in names else None
    prior = group_quantity(skeleton, match, "p") if "p" in names else None
    rate = group_quantity(skeleton, match, "r")
    times = names.get("times")
    if current is None or (increment is None and prior is None):
        return None
    base_q = increment if increment is not None else prior
    if not same_unit(ctx, current, base_q) or current.kind in PERCENT_KINDS:
        return None
    ic = interval_of(current, ctx.data)
    ib = interval_of(base_q, ctx.data)
    if ic is None or ib is None:
        return None
    sign = -1 if downward else 1
    if increment is not None:
        change, prior_i = ib, (ic + ib if downward else ic - ib)
    else:
        prior_i = ib
        change = (ib - ic) if downward else (ic - ib)
    if rate is not None:
        if rate.kind != "percent":
            return None
        ir = interval_of(rate, ctx.data)
        if ir is None:
            return None
        ir = ir.widened(last_digit_step(rate) * extra)
        computed = divide(change, prior_i)
        if computed is None:
            return None
        computed = computed.scaled(100)
        if computed.overlaps(ir):
            return None
        observed = float(rate.value)
    elif times:
        observed = float(times)
        ir = Interval(observed - 0.05, observed + 0.05)
        computed = divide(change, prior_i)
        if computed is None or computed.overlaps(ir):
            return None
    else:
        return None
    scale = common_scale(current, base_q)
    vc, vb = float(current.value), float(base_q.value)
    if increment is not None:
        v_change, v_prior = vb, (vc + vb if downward else vc - vb)
    else:
        v_prior, v_change = vb, sign * (vc - vb)
    value = v_change / v_prior * (100 if rate is not None else 1) if v_prior else 0.0
    unit = "%" if rate is not None else "倍"
    message = (f"{show(v_change, scale)} ÷ {show(v_prior, scale)} = {format_number(round(value, 2))}{unit}，"
               f"报告写“{rate.text if rate is not None else times + '倍'}”。")
    if rate is not None and vc and not downward:
        wrong = divide(change, ic)
        rate_i = interval_of(rate, ctx.data)
        if wrong is not None and rate_i is not None and wrong.scaled(100).overlaps(rate_i.widened(last_digit_step(rate))):
            message += f"所写增长率等于 {show(v_change, scale)} ÷ {show(vc, scale)}，是以本期值而非上期值为基数计算的。"
    spans = tuple((q.start, q.end) for q in (current, base_q, rate) if q is not None)
    if rate is None:
        start, end = skeleton.span(match.start(), match.end())
        spans = spans + ((end - len(times) - 1, end),)
    return Hit(message, spans, expected=tidy(round(value, 4)), observed=tidy(observed),
               severity=severity_for(ic, ib))


_YEAR = re.compile(r"(\d{4})年")


def scope_adjusted(ctx: CheckContext, words: str) -> bool:
    """A rate on an adjusted base (同口径, 按可比价格 …): the stated figures need not reproduce it."""
    return any(w in words for w in ctx.data.words("arithmetic", "scope_adjusted"))


def year_and_subject(ctx: CheckContext, quantity: Quantity) -> tuple[int | None, str]:
    """The year label written before a figure in its sentence and the words naming it.

    ``2021年全县一般公共预算教育支出达到5.2亿元`` -> (2021, ``全县一般公共预算教育支出``).
    """
    s_start, _ = ctx.sentence_of(quantity.start)
    before = fold(ctx.text[s_start:quantity.start])
    years = list(_YEAR.finditer(before))
    year = int(years[-1].group(1)) if years else None
    c_start = clause_start(before, len(before))
    subject_from = max(c_start, years[-1].end() if years and years[-1].end() <= len(before) else 0)
    subject = before[subject_from:].strip()
    fillers = ctx.data.alternation("arithmetic", "subject_fillers")
    subject = re.sub(f"(?:{fillers})+$", "", subject)
    subject = re.sub(r"^[，,、：:\s]+", "", subject)
    return year, subject


def growth_with_prior_elsewhere(ctx: CheckContext, skeleton: Skeleton, down: set[str], extra: float) -> Iterator[Hit]:
    source = ctx.data.get("arithmetic", "growth_alone")
    if not source:
        return
    pattern = re.compile(source.replace("{Q}", QUANTITY_MARK))
    ratio = float(ctx.data.get("arithmetic", "subject_match_ratio", default=90))
    minimum = int(ctx.data.get("arithmetic", "subject_min_chars", default=4))
    for match in pattern.finditer(skeleton.text):
        current = group_quantity(skeleton, match, "c")
        rate = group_quantity(skeleton, match, "r")
        if current is None or current.kind in PERCENT_KINDS or (rate is not None and rate.kind != "percent"):
            continue
        if scope_adjusted(ctx, match.group(0)):
            continue
        year, subject = year_and_subject(ctx, current)
        prior_year = int(match.group("year")) if match.group("year") else (year - 1 if year else None)
        if prior_year is None or len(subject) < minimum:
            continue
        own = ctx.sentence_of(current.start)
        found = []
        for q in ctx.quantities:
            if q is current or ctx.sentence_of(q.start) == own or not same_unit(ctx, q, current):
                continue
            q_year, q_subject = year_and_subject(ctx, q)
            if q_year == prior_year and len(q_subject) >= minimum and similarity(q_subject, subject) >= ratio:
                found.append(q)
        if len(found) != 1:
            continue  # none, or no telling which
        prior = found[0]
        ic, ip = interval_of(current, ctx.data), interval_of(prior, ctx.data)
        if ic is None or ip is None:
            continue
        downward = match.group("cue") in down
        change = (ip - ic) if downward else (ic - ip)
        computed = divide(change, ip)
        if computed is None:
            continue
        if rate is not None:
            ir = interval_of(rate, ctx.data)
            if ir is None or computed.scaled(100).overlaps(ir.widened(last_digit_step(rate) * extra)):
                continue
            observed, unit, written = float(rate.value), "%", rate.text
        else:
            observed, unit, written = float(match.group("times")), "倍", match.group("times") + "倍"
            if computed.overlaps(Interval(observed - 0.05, observed + 0.05)):
                continue
        scale = common_scale(current, prior)
        v_change = abs(float(current.value) - float(prior.value))
        value = v_change / float(prior.value) * (100 if rate is not None else 1)
        message = (f"{prior_year}年为{prior.text}（见另一句），{show(v_change, scale)} ÷ {show(float(prior.value), scale)} = "
                   f"{format_number(round(value, 2))}{unit}，报告写“{written}”。")
        spans = [(current.start, current.end), (prior.start, prior.end)]
        if rate is not None:
            spans.append((rate.start, rate.end))
        else:
            _, end = skeleton.span(match.start(), match.end())
            spans.append((end - len(written), end))
        yield Hit(message, tuple(spans), expected=tidy(round(value, 4)), observed=tidy(observed), severity="warning")


# -- shortfalls -------------------------------------------------------------------


@rule("ARITH-SHORT", "arithmetic", "error")
def check_shortfalls(ctx: CheckContext) -> Iterator[Hit]:
    """应配 − 实有 must equal the stated 缺口; without an 应配 figure nothing is checkable.

    Positive: ``应配专任教师560名，实有教师512名，缺口38名`` (560 − 512 = 48).
    Negative: ``应配专任教师560名，实有教师512名，尚缺48名``; ``专任教师512名，缺口38名`` (no 应配).
    """
    patterns = [re.compile(p.replace("{Q}", QUANTITY_MARK)) for p in ctx.data.get("arithmetic", "shortfall")]
    for skeleton in skeletons(ctx):
        for pattern in patterns:
            for match in pattern.finditer(skeleton.text):
                need, have, gap = (group_quantity(skeleton, match, n) for n in ("need", "have", "gap"))
                if need is None or have is None or gap is None or not same_unit(ctx, need, have, gap):
                    continue
                i_need, i_have, i_gap = (interval_of(q, ctx.data) for q in (need, have, gap))
                if i_need is None or i_have is None or i_gap is None or (i_need - i_have).overlaps(i_gap):
                    continue
                value = float(need.value) - float(have.value)
                message = (f"{format_number(float(need.value))} − {format_number(float(have.value))} = "
                           f"{format_number(value)}，报告写缺口“{gap.text}”。")
                yield Hit(message, ((need.start, need.end), (have.start, have.end), (gap.start, gap.end)),
                          expected=tidy(value), observed=tidy(float(gap.value)),
                          severity=severity_for(i_need, i_have, i_gap))


# -- respectively-lists -------------------------------------------------------------


@rule("ARITH-RESPECTIVELY", "arithmetic", "warning")
def check_respectively(ctx: CheckContext) -> Iterator[Hit]:
    """A 分别 list binds subjects to values by position: the two counts must agree.

    Positive: ``城区、镇区、乡村学校分别新增学位800个、650个`` (3 subjects, 2 values).
    Negative: ``城区、镇区、乡村学校分别新增学位800个、650个和420个``.
    """
    cue = ctx.data.get("arithmetic", "respectively", "cue")
    subject_seps = ctx.data.alternation("arithmetic", "respectively", "subject_separators")
    last_seps = ctx.data.alternation("arithmetic", "respectively", "last_item_separators")
    value_seps = ctx.data.alternation("arithmetic", "respectively", "value_separators")
    mark = QUANTITY_MARK
    values_pattern = re.compile(f"{mark}(?:(?:{value_seps}){mark})+")
    for skeleton in skeletons(ctx):
        for found in re.finditer(re.escape(cue), skeleton.text):
            begin = clause_start(skeleton.text, found.start())
            subjects_text = skeleton.text[begin:found.start()]
            if mark in subjects_text:
                continue  # figures among the subjects: not a plain list
            items = [s for s in re.split(subject_seps, subjects_text) if s.strip()]
            if len(items) < 2:
                continue
            with_last = len(items) - 1 + len([s for s in re.split(last_seps, items[-1]) if s.strip()])
            rest_end = skeleton.text.find("。", found.end())
            rest = skeleton.text[found.end(): len(skeleton.text) if rest_end < 0 else rest_end]
            values = values_pattern.search(rest)
            if values is None or values.start() > 12:
                continue
            count = values.group(0).count(mark)
            if count in (len(items), with_last):
                continue
            start, _ = skeleton.span(begin, begin + 1)
            first = found.end() + values.start()
            _, end = skeleton.span(first, found.end() + values.end())
            message = f"“分别”前列了{len(items)}项，后面给出{count}个数值，无法一一对应。"
            yield Hit(message, ((start, end),), expected=len(items), observed=count)


# -- shares -----------------------------------------------------------------------


@rule("ARITH-SHARE", "arithmetic", "error")
def check_shares(ctx: CheckContext) -> Iterator[Hit]:
    """A part-of-whole share (占比, 覆盖率 …) above 100% is impossible; gross rates (毛入学率) may exceed it.

    Positive: ``公办园在园幼儿占比达103.5%``. Negative: ``学前三年毛入园率达103.5%``.
    """
    strict = ctx.data.words("arithmetic", "shares", "strict")
    suspicious = ctx.data.words("arithmetic", "shares", "suspicious")
    legitimate = ctx.data.words("arithmetic", "shares", "legitimate")
    terms = sorted({*strict, *suspicious, *legitimate}, key=lambda w: (-len(w), w))
    pattern = re.compile("|".join(re.escape(t) for t in terms))
    for q in ctx.quantities:
        if q.kind != "percent" or not isinstance(q.value, int | float) or q.value <= 100:
            continue
        if qualifier_words(q) & set(ctx.data.words("qualifiers", "at_most")):
            continue
        start, _ = ctx.clause_of(q.start)
        before = ctx.text[start:q.start]
        found = respectively_term(ctx, pattern, start, q)
        if found is False:
            continue  # a 分别 list whose rates cannot be told apart
        if found is None:
            for found in pattern.finditer(before):
                pass
        if found is None or found.group(0) in legitimate:
            continue
        severity = "warning" if found.group(0) in suspicious else "error"
        offset = start + found.start()
        message = f"“{found.group(0)}”是部分占整体的比例，不应超过100%，报告写“{q.text}”。"
        yield Hit(message, ((offset, q.end),), expected=100, observed=q.value, severity=severity)


def respectively_term(ctx: CheckContext, pattern: re.Pattern[str], start: int, q: Quantity):  # noqa: ANN201
    """The rate a value of a 分别 list stands for, bound by position (小学毛入学率、残疾儿童入学率分别为103.2%、97.1%).

    None when the clause has no 分别 before the value; False when the terms and values do not pair up.
    """
    cue = ctx.data.get("arithmetic", "respectively", "cue") or "分别"
    found = ctx.text.rfind(cue, start, q.start)
    if found < 0:
        return None
    terms = list(pattern.finditer(ctx.text, start, found))
    if len(terms) < 2:
        return None
    _, c_end = ctx.clause_of(q.start)
    values = [v for v in ctx.quantities_in(found, c_end, ("percent",))]
    if len(values) != len(terms) or q not in values:
        return False
    return terms[values.index(q)]


RULES = (check_differences, check_parts, check_growth, check_shortfalls, check_respectively, check_shares)
