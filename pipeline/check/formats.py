"""Format rules: GB/T 15834 brackets and 书名号, GB/T 15835 ranges and units, heading numbering."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from pipeline.normalize import fold

from .arithmetic import PERCENT_KINDS, skeletons
from .engine import QUANTITY_MARK, CheckContext, Hit, rule
from .figures import interval_of, last_digit_step, written_scale

BRACKET_PROBLEM_NAMES = {
    "ascii_angle": "嵌套书名用了ASCII尖括号“<…>”，应为单书名号“〈…〉”",
    "double_book": "书名号内又用了书名号“《…》”，内层应为单书名号“〈…〉”",
    "unbalanced": "书名号不成对",
}


@rule("FMT-TITLE-NEST", "format", "info")
def check_title_brackets(ctx: CheckContext) -> Iterator[Hit]:
    """A nested title inside 《》 must use 〈〉 (GB/T 15834), not ``<>`` or a second 《》.

    Positive: ``《关于落实<X规划>的实施方案》``. Negative: ``《关于落实〈X规划〉的实施方案》``.
    """
    flagged = [t for t in ctx.extraction.titles if t.bracket_problems]
    for title in flagged:
        if any(o.start < title.start and title.end <= o.end for o in flagged):
            continue  # reported with its outer title
        described = "；".join(BRACKET_PROBLEM_NAMES.get(p, p) for p in title.bracket_problems)
        yield Hit(f"{title.text}：{described}（GB/T 15834）。", ((title.start, title.end),))


@rule("FMT-BRACKET", "format", "warning")
def check_unbalanced_brackets(ctx: CheckContext) -> Iterator[Hit]:
    """Brackets and quotation marks must close within their paragraph.

    A paragraph that breaks off mid-word (a PDF line break) is read together with the next one.
    Positive: ``落实“双减政策，减轻学生负担。`` Negative: ``落实“双减”政策，减轻学生负担。``
    """
    pairs = [tuple(p) for p in ctx.data.get("formats", "brackets", default=[]) or []]
    opening = {o: c for o, c in pairs}
    closing = {c: o for o, c in pairs}
    per_block = int(ctx.data.get("formats", "max_unpaired_per_block", default=20))
    marks = "".join(re.escape(char) for char in sorted({*opening, *closing}) if len(char) == 1)
    if not marks:
        return
    bracket = re.compile(f"[{marks}]")  # visit only the brackets, not every character of the text
    for start, end in bracket_blocks(ctx):
        stack: list[tuple[str, int]] = []
        unmatched: list[int] = []
        for match in bracket.finditer(ctx.text, start, end):
            char, offset = match.group(), match.start()
            if char in opening:
                stack.append((char, offset))
            elif char in closing:
                if stack and stack[-1][0] == closing[char]:
                    stack.pop()
                elif any(o == closing[char] for o, _ in stack):
                    while stack and stack[-1][0] != closing[char]:
                        unmatched.append(stack.pop()[1])
                    stack.pop()
                else:
                    unmatched.append(offset)
        unmatched.extend(o for _, o in stack)
        unmatched.sort()
        # a run of thousands of unpaired brackets (hostile text) is not thousands of overlapping
        # findings (the HTML page re-opened every overlapping mark: 24 KB of brackets made 60 MB)
        shown = unmatched[:per_block]
        for offset in shown:
            c_start, c_end = ctx.clause_of(offset)
            quote_end = max(offset + 1, min(c_end, offset + 16))
            quote_start = min(offset, max(c_start, offset - 15))
            message = f"“{ctx.text[offset]}”没有与之配对的括号或引号。"
            if offset == shown[-1] and len(unmatched) > per_block:
                message += f"本段另有{len(unmatched) - per_block}处括号或引号不成对，未逐一列出。"
            yield Hit(message, ((quote_start, quote_end),))


def bracket_blocks(ctx: CheckContext) -> list[tuple[int, int]]:
    """Spans within which brackets must close: paragraphs, with a paragraph that stops mid-sentence
    (no closing punctuation, as when a PDF line break split it) joined to the one that follows."""
    if not ctx.passages:
        return [(0, len(ctx.text))]
    enders = ctx.data.get("formats", "paragraph_enders", default="。！？!?；;：:…") or ""
    blocks: list[list[int]] = []
    open_block = False
    for passage in ctx.passages:
        if open_block and passage.kind != "heading":
            blocks[-1][1] = passage.end
        else:
            blocks.append([passage.start, passage.end])
        tail = ctx.text[passage.start:passage.end].rstrip()
        open_block = passage.kind != "heading" and bool(tail) and tail[-1] not in enders and (
            "\u4e00" <= tail[-1] <= "\u9fff" or tail[-1] in "（(“《〔【")
    return [(start, end) for start, end in blocks]


@rule("FMT-PCT-POINT", "format", "warning")
def check_points_written_as_percent(ctx: CheckContext) -> Iterator[Hit]:
    """The difference of two percentages is written in 个百分点, not with %.

    Two shapes: a change (``由A提高到B，提高X%``) and a comparison (``A，高于…（B）X%``, ``A，比B高X%``).
    Quiet when X% is the relative change (B − A) ÷ A, or when X is not the difference of the two rates.
    Positive: ``合格率由92.5%提高到95.5%，提高3%``; ``入园率87.4%，高出全市平均水平（85.1%）2.3%``.
    Negative: ``合格率由92.5%提高到95.5%，提高3个百分点``; ``入园率87.4%，高出全市平均水平（85.1%）2.3个百分点``.
    """
    mark = QUANTITY_MARK
    change = re.compile(
        f"(?P<a>{mark})[^{mark}。；;]{{0,10}}?(?:提高|增加|上升|下降|降低|增长|提升|到|至)(?:到|至)?"
        f"(?P<b>{mark})[^{mark}。；;]{{0,8}}?(?:提高|增加|上升|下降|降低|增长|提升|高出|低于|了)了?(?P<x>{mark})"
    )
    comparisons = ctx.data.get("formats", "pct_point_comparisons", default=[]) or []
    # the base of a relative change: the earlier rate (a) of a change, the compared-with rate (b) of a comparison
    patterns = [(change, "a")] + [(re.compile(p.replace("{Q}", mark)), "b") for p in comparisons]
    for skeleton in skeletons(ctx):
        seen: set[int] = set()
        for pattern, base in patterns:
            for match in pattern.finditer(skeleton.text):
                if match.start("x") in seen:
                    continue
                a, b, x = (skeleton.quantity_at[match.start(n)] for n in ("a", "b", "x"))
                hit = points_hit(ctx, a, b, x, a if base == "a" else b)
                if hit is not None:
                    seen.add(match.start("x"))
                    yield hit


def points_hit(ctx: CheckContext, a, b, x, base) -> Hit | None:  # noqa: ANN001 - Quantity
    if not all(q.kind == "percent" for q in (a, b, x)):
        return None
    ia, ib, ix = (interval_of(q, ctx.data) for q in (a, b, x))
    if ia is None or ib is None or ix is None:
        return None
    points = (ib - ia) if float(b.value) >= float(a.value) else (ia - ib)
    if not points.overlaps(ix.widened(last_digit_step(x))):
        return None
    gap = abs(float(b.value) - float(a.value))
    step = last_digit_step(x)
    severity = None
    if float(base.value):
        relative = gap / float(base.value) * 100
        if abs(relative - float(x.value)) <= step / 2 + 1e-9:
            return None  # X% is the relative change rounded as written: right
        if abs(relative - float(x.value)) <= step:
            severity = "info"  # … or truncated: near 100% the two readings are one digit apart
    message = (f"{b.text}与{a.text}相差{abs(float(b.value) - float(a.value)):g}个百分点，"
               f"报告写作“{x.text}”，两个百分比之差应以“个百分点”表示。")
    return Hit(message, ((a.start, a.end), (b.start, b.end), (x.start, x.end)), severity=severity)


@rule("FMT-RANGE", "format", "warning")
def check_range_units(ctx: CheckContext) -> Iterator[Hit]:
    """In a range, 万/亿/% are written on both numbers (GB/T 15835 §5.1.3): 9亿～16亿元, not 9～16亿元.

    Positive: ``投入9～16亿元``, ``占比15～30%``. Negative: ``投入9亿～16亿元``, ``0-18岁``.
    """
    dashes = ctx.data.get("formats", "range_dashes", default="～~—-")
    scales = ctx.data.alternation("formats", "scale_words")
    inner = re.compile(f"^\\d+(?:\\.\\d+)?[{dashes}]\\d+(?:\\.\\d+)?(?:{scales})")
    before = re.compile(f"\\d+(?:\\.\\d+)?[{dashes}]$")
    for q in ctx.quantities:
        folded = fold(q.text)
        if inner.match(folded):
            start, end = q.start, q.end
        elif q.kind in ("money", "percent", "count", "area") and re.match(f"^\\d+(?:\\.\\d+)?(?:{scales})", folded):
            found = before.search(fold(ctx.text[max(0, q.start - 12):q.start]))
            if found is None or re.search(r"\d{4}[-—–]$", found.group(0)):
                continue
            start, end = q.start - (len(found.group(0))), q.end
        else:
            continue
        message = f"范围“{ctx.text[start:end]}”的前一个数缺少“万/亿/%”，易生歧义（GB/T 15835）。"
        yield Hit(message, ((start, end),))


@rule("FMT-UNIT-MISSING", "format", "warning")
def check_missing_money_unit(ctx: CheckContext) -> Iterator[Hit]:
    """A sum of money written without its unit (``投资600余万改造``: 万 what?).

    Also when the character after 万/亿 is a preposition that reads like a measure word
    (``拨付300余万对5所学校…``: 对 is "to", not "pairs") and the clause spends money.
    Positive: ``投资600余万改造操场``; ``拨付350万对9所村小进行改造``.
    Negative: ``投资600余万元改造操场``; ``配发口罩3万对``… (no spending word before it).
    """
    prepositions = set(ctx.data.words("formats", "preposition_units"))
    spending = ctx.data.alternation("formats", "money_cues")
    for q in ctx.quantities:
        if q.kind == "money" and q.unit_implied:
            yield Hit(f"金额“{q.text}”缺少单位“元”。", ((q.start, q.end),))
        elif q.kind == "count" and q.unit in prepositions and written_scale(q) > 1 and q.text.endswith(q.unit):
            c_start, _ = ctx.clause_of(q.start)
            if not re.search(spending, ctx.text[c_start:q.start]):
                continue
            end = q.end - len(q.unit)
            yield Hit(f"金额“{ctx.text[q.start:end]}”缺少单位“元”。", ((q.start, end),))


@rule("FMT-HEADING-SEQ", "format", "warning")
def check_heading_numbering(ctx: CheckContext) -> Iterator[Hit]:
    """Headings of one level under one parent count up 1, 2, 3 … without gaps or repeats (GB/T 9704 §7.3.3).

    Positive: ``一、`` ``二、`` ``四、``. Negative: ``一、`` ``二、`` ``三、``.
    """
    minimum = int(ctx.data.get("formats", "heading_min_run", default=3))
    groups: dict[tuple[int | None, int], list] = defaultdict(list)
    for heading in ctx.audit.structure.headings:
        groups[(heading.parent, heading.level)].append(heading)
    for _, headings in sorted(groups.items(), key=lambda item: item[1][0].start):
        if len(headings) < 2:
            continue
        steps = sum(1 for a, b in zip(headings, headings[1:]) if b.index == a.index + 1)
        if steps + 1 < min(minimum, len(headings)) and not (headings[0].index == 1 and steps >= 1):
            continue  # not a list that counts up
        for a, b in zip(headings, headings[1:]):
            if b.index == a.index + 1:
                continue
            problem = "重复" if b.index == a.index else ("跳号" if b.index > a.index + 1 else "倒序")
            message = f"标题序号{problem}：“{a.marker}”之后是“{b.marker}”。"
            yield Hit(message, ((a.start, a.end), (b.start, b.end)), expected=a.index + 1, observed=b.index)


@rule("FMT-SCHEME-COUNT", "format", "info")
def check_scheme_count(ctx: CheckContext) -> Iterator[Hit]:
    """The number of aspects the report says it covers (8个方面评价重点) should match a list of its headings.

    Quiet when any run of sibling headings has that many items.
    Positive: ``对照7个方面评价重点`` with 6 achievement headings. Negative: the same with 7.
    """
    meta = ctx.audit.structure.meta
    headings = ctx.audit.structure.headings
    if not meta.scheme_counts or not headings:
        return
    sizes: dict[tuple[int | None, int], int] = defaultdict(int)
    for heading in headings:
        sizes[(heading.parent, heading.level)] += 1
    n, name = meta.scheme_counts[0]
    if n in sizes.values():
        return
    achievement = [h for h in headings if h.role == "achievement" or (h.parent is not None and
                   headings[h.parent].role == "achievement")]
    groups: dict[tuple[int | None, int], int] = defaultdict(int)
    for heading in achievement:
        groups[(heading.parent, heading.level)] += 1
    observed = max(groups.values(), default=0)
    if not observed or abs(observed - n) > 3:
        return
    spans = (meta.scheme_counts_span,) if meta.scheme_counts_span else ()
    message = f"报告称对照{n}个{name}，但成效部分只列出{observed}项标题。"
    yield Hit(message, spans, expected=n, observed=observed)


BOUNDED_KINDS = ("count", "money", "percent", "area", "duration", "other")


@rule("FMT-BOUNDS", "format", "warning")
def check_contradictory_bounds(ctx: CheckContext) -> Iterator[Hit]:
    """One number bounded both ways: 将近/不到/约 (at most, about) with 余/多/以上 (more than) (standards.md N-10).

    The words must stand on the same figure: the "below" word right before the number (or opening the
    quantity), 余/多 after its digits, 以上 right after the figure.
    Positive: ``培训将近4000余人次``, ``约300多所``, ``不足50人以上``.
    Negative: ``近300所``, ``4000余人次``, ``近三年…共300余所``.
    """
    below = ctx.data.alternation("formats", "bounds_below")
    inside = ctx.data.words("formats", "bounds_above_inside")
    after_words = ctx.data.alternation("formats", "bounds_above_after")
    lead = re.compile(f"^(?:{below})")
    not_a_bound = ctx.data.pattern("formats", "bounds_not_a_bound")
    for q in ctx.quantities:
        if q.kind not in BOUNDED_KINDS or not isinstance(q.value, int | float):
            continue
        folded = fold(q.text)
        found = lead.match(folded)
        start = q.start
        if found is None:
            found = re.search(f"(?:{below})$", fold(ctx.text[max(0, q.start - 2):q.start]))
            if found is None:
                continue
            start = q.start - (len(found.group(0)))
        word = found.group(0)
        if len(word) == 1 and start > 0 and re.fullmatch(f"(?:{below})", ctx.text[start - 1:start + 1]):
            start -= 1  # 接近 / 将近 with 近 opening the figure
            word = ctx.text[start:start + 2]
        if not_a_bound.search(ctx.text[max(0, start - 1):start + len(word)]):
            continue
        digits = re.search(r"[\d〇零一二三四五六七八九十百千两]+(?:\.\d+)?", folded)
        if digits is None:
            continue
        tail = folded[digits.end():]
        end = q.end
        more = re.match(f"^(?:万|亿)?(?:{'|'.join(map(re.escape, inside))})", tail) if inside else None
        if more is None:
            trailing = re.match(f"^\\s*(?:{after_words})", ctx.text[q.end:q.end + 4])
            if trailing is None:
                continue
            end = q.end + trailing.end()
        expression = ctx.text[start:end]
        message = (f"“{expression}”中“{word}”（不到、接近或约数）与表示超出的"
                   f"“{more.group(0)[-1] if more else '以上'}”同用于一个数，上下限自相矛盾（standards.md N-10）。")
        yield Hit(message, ((start, end),))


RULES = (check_title_brackets, check_unbalanced_brackets, check_points_written_as_percent, check_range_units,
         check_missing_money_unit, check_heading_numbering, check_scheme_count, check_contradictory_bounds)

__all__ = ["PERCENT_KINDS", "RULES"]
