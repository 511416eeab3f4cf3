"""Claim rules: a claim contradicted by the report's own figures or by its problems section."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.records import Claim

from .arithmetic import same_unit
from .engine import CheckContext, Hit, rule
from .figures import interval_of, qualifier_words

ACHIEVEMENT_SECTIONS = ("achievement", "practice", "background", "process", "other")


def cue_spans(ctx: CheckContext, words: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where the report makes a claim with one of ``words``.

    From the extracted claims; when the extractor produced no claims at all, from
    the cue words in the passages (the claim records are then missing, not empty).
    """
    if not words:
        return []
    claims: tuple[Claim, ...] = ctx.extraction.claims
    text = ctx.text
    spans: set[tuple[int, int]] = set()
    for claim in claims:
        claim_text = text[claim.start:claim.end]  # find within the claim = find in its text, offset
        for word in words:
            found = claim_text.find(word)
            if found >= 0:
                found += claim.start
                if claim.cue_start <= found < claim.cue_end or word in claim.cue:
                    spans.add((found, found + len(word)))
    if not claims:
        pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))))
        spans.update(m.span() for m in pattern.finditer(ctx.text))
    # 清零 inside 全面清零 is the same claim
    return sorted(s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans))


_HAN_RUN = re.compile("[\u4e00-\u9fff]{2,}")


def bigrams(text: str) -> set[str]:
    """Every two adjacent CJK ideographs (U+4E00–9FFF) of the text."""
    found: set[str] = set()
    for run in _HAN_RUN.findall(text):  # the pairs lie within runs of ideographs
        found.update(map(str.__add__, run, run[1:]))
    return found


def subject_bigrams(ctx: CheckContext, text: str) -> set[str]:
    """The content bigrams of a stretch of text: without the generic ones (全县, 实现, 达到 …)."""
    return bigrams(text).difference(ctx.data.words("claims", "generic_bigrams"))


_COMPLEMENT = re.compile(r"非([\u4e00-\u9fff]{2})")


def complements(a: str, b: str) -> bool:
    """One text names the complement of the other's subject: 非学科类培训机构 vs 学科类培训机构."""
    for x, y in ((a, b), (b, a)):
        for found in _COMPLEMENT.finditer(x):
            term = found.group(1)
            if term in y and f"非{term}" not in y:
                return True
    return False


def same_subject(ctx: CheckContext, a: str, b: str) -> bool:
    if complements(a, b):
        return False
    return len(subject_bigrams(ctx, a) & subject_bigrams(ctx, b)) >= int(
        ctx.data.get("claims", "min_shared_bigrams", default=2))


def hedged(ctx: CheckContext, start: int) -> bool:
    """A claim softened by 基本/初步 … (基本消除大班额 is not a claim of zero)."""
    for claim in ctx.extraction.claims:
        if claim.cue_start <= start < claim.cue_end + 2 and claim.hedge:
            return True
    c_start, _ = ctx.clause_of(start)
    before = ctx.text[max(c_start, start - 6):start]
    return any(word in before for word in ctx.data.words("claims", "hedges"))


def time_denominators(ctx: CheckContext, q) -> set[str]:  # noqa: ANN001 - Quantity
    """每月/每年 … written for a figure (in its unit or just before it): 每月400元 and 400元/年 differ."""
    words = set(ctx.data.words("claims", "time_denominators"))
    found = {part for part in (q.unit or "").split("/")[1:] if part in words}
    c_start, _ = ctx.clause_of(q.start)
    before = ctx.text[c_start:q.start]
    found.update(w for w in words if f"每{w}" in before or f"{w}均" in before
                 or re.search(f"(?<![\\d〇零一二三四五六七八九十]){w}(?:平均|人均)", before))  # 年平均 (not 2018年平均)
    return found


def problem_counts(ctx: CheckContext, cues: str) -> list[tuple[int, int, float]]:
    """Counts (> 0) said to remain, in the problems section: (clause start, clause end, value)."""
    found = []
    for q in ctx.quantities:
        if q.kind != "count" or not isinstance(q.value, int | float) or q.value <= 0:
            continue
        if ctx.section_of(q.start) != "problem":
            continue
        c_start, c_end = ctx.clause_of(q.start)
        if re.search(f"(?:{cues})", ctx.text[c_start:q.start]):
            found.append((c_start, c_end, q.value))
    return found


@rule("CLAIM-FIGURE", "claim", "warning")
def check_claims_against_figures(ctx: CheckContext) -> Iterator[Hit]:
    """A claim contradicted by the report's own figures about the same subject.

    * 只增不减 … against a decrease in the same paragraph;
    * 清零/消除 against a count said to remain (仍有/尚有 N…) in the same paragraph or in the problems section;
    * 全部/100%/全覆盖 against a share below 100% of the same rate (配备率 … 配备率) or a count said to
      remain in the problems section, about the same subject;
    * a floor (不低于/不少于 N) against a lower figure for the same thing in the same paragraph;
    * a named floor (``A不低于B``, A and B named, not figures: 教师平均工资收入不低于当地公务员) against the
      figures the report gives for A and B (same paragraph, else one unambiguous figure each in the report)
      when A's is lower; quiet when the figures agree, their bases differ (每月/每年, different years) or one is
      a plan or standard.
    Claims hedged with 基本/初步 are partial and stay quiet.
    Positive: ``各学段生均公用经费只增不减，其中小学生均增长4.1%，初中生均下降1.3%``.
    Negative: ``各学段生均公用经费只增不减，其中小学生均增长4.1%，初中生均增长1.3%``.
    """
    yield from only_increase_hits(ctx)
    yield from zero_hits(ctx)
    yield from all_hits(ctx)
    yield from floor_hits(ctx)
    yield from named_floor_hits(ctx)


def only_increase_hits(ctx: CheckContext) -> Iterator[Hit]:
    decrease = ctx.data.alternation("claims", "decrease_cues")
    claims = cue_spans(ctx, ctx.data.words("claims", "only_increase"))
    for start, end in claims:
        p_start, p_end = ctx.paragraph_of(start)
        sentence = ctx.text[slice(*ctx.sentence_of(start))]
        later = [s for s, _ in claims if start < s < p_end]
        scope_end = later[0] if later else p_end  # a decrease belongs to the nearest claim before it
        s_start, s_end = ctx.sentence_of(start)
        # the claim's own counts (教师编制只增不减，达1200个): not those of a decrease
        claimed_counts = [q for q in ctx.quantities_in(s_start, s_end, ("count",))
                          if not re.search(f"(?:{decrease})了?$", ctx.text[ctx.clause_of(q.start)[0]:q.start])]
        contradictions = []
        for q in ctx.quantities_in(end, scope_end, ("percent", "money", "count")):
            c_start, _ = ctx.clause_of(q.start)
            clause = ctx.text[c_start:q.start]
            if not re.search(f"(?:{decrease})了?$", clause):
                continue
            if not subject_bigrams(ctx, clause) & subject_bigrams(ctx, sentence):
                continue  # a decrease of something else
            if q.kind == "count" and not any(same_unit(ctx, q, c) for c in claimed_counts):
                continue  # 在校生减少426人 does not speak to spending said to grow
            contradictions.append((c_start, q.end))
        if contradictions:
            quoted = "、".join(f"“{ctx.text[s:e]}”" for s, e in contradictions)
            message = f"报告称“{ctx.text[start:end]}”，同一段又写{quoted}，与所称不符。"
            yield Hit(message, ((start, end), *contradictions))


def zero_hits(ctx: CheckContext) -> Iterator[Hit]:
    nonzero = ctx.data.alternation("claims", "nonzero_cues")
    remaining = problem_counts(ctx, ctx.data.alternation("claims", "remaining_cues"))
    for start, end in cue_spans(ctx, ctx.data.words("claims", "zero_cues")):
        if ctx.section_of(start) == "problem" or hedged(ctx, start):
            continue
        p_start, p_end = ctx.paragraph_of(start)
        s_start, _ = ctx.sentence_of(start)
        sentence = ctx.text[slice(*ctx.sentence_of(start))]
        subject = ctx.text[s_start:end]
        reported = False
        for q in ctx.quantities_in(end, p_end, ("count",)):
            c_start, _ = ctx.clause_of(q.start)
            clause = ctx.text[c_start:q.start]
            if not isinstance(q.value, int | float) or q.value <= 0 or not re.search(f"(?:{nonzero})", clause):
                continue
            if not bigrams(clause) & bigrams(sentence):
                continue
            reported = True
            message = f"报告称“{ctx.text[start:end]}”，同一段又写“{ctx.text[c_start:q.end]}”，数量并非为零。"
            yield Hit(message, ((start, end), (c_start, q.end)), observed=q.value)
        if reported:
            continue
        for c_start, c_end, value in remaining:
            if p_start <= c_start < p_end or not same_subject(ctx, subject, ctx.text[c_start:c_end]):
                continue
            message = (f"报告称“{ctx.text[start:end]}”，问题部分又写“{ctx.text[c_start:c_end]}”，"
                       "数量并非为零。")
            yield Hit(message, ((start, end), (c_start, c_end)), observed=value)
            break


def all_hits(ctx: CheckContext) -> Iterator[Hit]:
    """全部/100% claims against a share below 100% or a count said to remain, about the same subject."""
    remaining = problem_counts(ctx, ctx.data.alternation("claims", "remaining_cues"))
    shares = ctx.data.alternation("claims", "share_words")
    for start, end in cue_spans(ctx, ctx.data.words("claims", "all_cues")):
        if ctx.section_of(start) in ("problem", "measure") or hedged(ctx, start):
            continue
        c_start, c_end = ctx.clause_of(start)
        subject = ctx.text[c_start:start]
        if len(subject_bigrams(ctx, subject)) < 2:
            continue  # 全部 with no subject of its own
        p_start, p_end = ctx.paragraph_of(start)
        own = (c_start, c_end)
        for q in ctx.quantities_in(p_start, p_end, ("percent",)):
            q_start, q_end = ctx.clause_of(q.start)
            if (q_start, q_end) == own or not isinstance(q.value, int | float) or q.value >= 100:
                continue
            before = ctx.text[q_start:q.start]
            share = None
            for share in re.finditer(f"(?:{shares})", before):
                pass
            if qualifier_words(q) or share is None:
                continue
            stem = before[max(0, share.start() - 2):share.start()]  # 配备率 -> 配备: the rate measured
            if len(stem) < 2 or stem not in ctx.text[c_start:end] or not same_subject(ctx, subject, before):
                continue
            if measure_words(ctx, ctx.text[c_start:start]) != measure_words(ctx, before):
                continue  # 专兼职教师配备率 100% and 专职教师配备率 62.5% measure different things
            message = f"报告称“{ctx.text[c_start:end]}”，同一段又写“{ctx.text[q_start:q.end]}”，并非全部。"
            yield Hit(message, ((c_start, end), (q_start, q.end)), expected=100, observed=q.value)
            break
        else:
            for r_start, r_end, value in remaining:
                if not same_subject(ctx, subject, ctx.text[r_start:r_end]):
                    continue
                message = (f"报告称“{ctx.text[c_start:end]}”，问题部分又写“{ctx.text[r_start:r_end]}”，"
                           "并非全部。")
                yield Hit(message, ((c_start, end), (r_start, r_end)), observed=value)
                break


def measure_words(ctx: CheckContext, text: str) -> set[str]:
    """Words that change what a rate counts (专兼职 / 专职 / 持证 …), longest first, non-overlapping."""
    words = ctx.data.words("claims", "measure_qualifiers")
    if not words:
        return set()
    return set(re.findall("|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))), text))


def floor_hits(ctx: CheckContext) -> Iterator[Hit]:
    """不低于/不少于 N as an achievement against a lower figure of the same thing in the same paragraph."""
    floors = set(ctx.data.words("claims", "floor_cues"))
    at_least = set(ctx.data.words("qualifiers", "at_least")) | set(ctx.data.words("qualifiers", "at_least_bounded"))
    modals = ctx.data.alternation("temporal", "future_modals")
    changes = ctx.data.alternation("claims", "change_words")
    openers = ctx.data.alternation("arithmetic", "parts", "openers")
    for bound in ctx.quantities:
        if not qualifier_words(bound) & floors or not isinstance(bound.value, int | float):
            continue
        if ctx.section_of(bound.start) in ("problem", "measure"):
            continue
        b_start, b_end = ctx.clause_of(bound.start)
        if re.search(f"(?:{modals})", ctx.text[b_start:bound.start]):
            continue  # 确保/力争…不低于: a commitment
        p_start, p_end = ctx.paragraph_of(bound.start)
        unit = (bound.unit or "").split("/")[0]
        # 每人每月不低于500元 binds every member, so a 其中 group below it contradicts; a total does not bind its parts
        per_member = any(w in ctx.text[b_start:bound.end] for w in ctx.data.words("claims", "per_member_words"))
        for q in ctx.quantities_in(p_start, p_end, (bound.kind,)):
            if q is bound or not isinstance(q.value, int | float) or q.value >= bound.value:
                continue
            if (q.unit or "").split("/")[0] != unit or qualifier_words(q) & at_least:
                continue
            if time_denominators(ctx, q) != time_denominators(ctx, bound):
                continue
            q_start, _ = ctx.clause_of(q.start)
            before = ctx.text[q_start:q.start]
            if re.search(f"(?:{changes})", before) or not same_subject(ctx, ctx.text[b_start:bound.start], before):
                continue
            if re.match(f"(?:{openers})", before.strip()) and not per_member:
                continue  # 其中骨干教师培训经费78万元: a part of the total the floor bounds, not that total
            message = (f"报告称“{ctx.text[b_start:bound.end]}”，同一段又写“{ctx.text[q_start:q.end]}”，"
                       "低于所称下限。")
            yield Hit(message, ((b_start, bound.end), (q_start, q.end)), expected=bound.value, observed=q.value)
            break


def named_floor_hits(ctx: CheckContext) -> Iterator[Hit]:
    """``A不低于B`` (A, B named) against a lower figure of A than of B: the claim's own figures contradict it."""
    cues = ctx.data.alternation("claims", "named_floor", "cues")
    negations = ctx.data.alternation("claims", "named_floor", "negations")
    modals = ctx.data.alternation("temporal", "future_modals")
    kinds = tuple(ctx.data.words("figure_kinds"))
    for found in re.finditer(f"(?:{cues})", ctx.text):
        start, end = found.span()
        if ctx.section_of(start) in ("problem", "measure") or hedged(ctx, start):
            continue
        c_start, c_end = ctx.clause_of(start)
        if ctx.quantities_in(c_start, c_end, kinds):
            continue  # a figure in the claim itself (不低于500元, 高于…（8600元）): the other checks
        a_text, b_text = ctx.text[c_start:start], ctx.text[end:c_end]
        if re.search(f"(?:{negations})", a_text) or re.search(f"(?:{modals})", a_text):
            continue  # 尚未实现…不低于, 确保…不低于: no claim that it holds
        a_words, b_words = subject_bigrams(ctx, a_text), subject_bigrams(ctx, b_text)
        if not a_words - b_words or not b_words - a_words:
            continue  # a side without a name of its own
        pair = named_floor_pair(ctx, (c_start, c_end), a_words, b_words)
        if pair is None:
            continue
        qa, qb = pair
        ia, ib = interval_of(qa, ctx.data), interval_of(qb, ctx.data)
        if ia is None or ib is None or not ib.exceeds(ia):
            continue
        a_clause = ctx.text[ctx.clause_of(qa.start)[0]:qa.end]
        b_clause = ctx.text[ctx.clause_of(qb.start)[0]:qb.end]
        message = (f"报告称“{ctx.text[c_start:c_end]}”，但所给数字“{a_clause}”低于“{b_clause}”，"
                   "与所称不符。")
        yield Hit(message, ((c_start, c_end), (ctx.clause_of(qa.start)[0], qa.end),
                            (ctx.clause_of(qb.start)[0], qb.end)),
                  expected=qb.value, observed=qa.value)


def named_floor_pair(ctx: CheckContext, claim: tuple[int, int], a_words: set[str], b_words: set[str]):
    """The one figure of A and the one figure of B: in the claim's paragraph, else in the whole report.

    A figure is A's when the words its clause has and the other figure's clause lacks name A and not B
    (教师 vs 公务员), while the two clauses share a word of the claim (工资: the same indicator).
    Two candidates for one side are ambiguous: None.
    """
    kinds = tuple(ctx.data.words("figure_kinds"))
    plans = ctx.data.alternation("claims", "named_floor", "plan_words")
    modals = ctx.data.alternation("temporal", "future_modals")
    changes = ctx.data.alternation("claims", "change_words")
    a_only, b_only = a_words - b_words, b_words - a_words

    def usable(q) -> str | None:  # noqa: ANN001 - Quantity
        if claim[0] <= q.start < claim[1] or not isinstance(q.value, int | float) or isinstance(q.value, bool):
            return None
        if ctx.section_of(q.start) in ("problem", "measure"):
            return None
        q_start, _ = ctx.clause_of(q.start)
        before = ctx.text[q_start:q.start]
        if re.search(f"(?:{plans})|(?:{modals})|(?:{changes})", before):
            return None  # a target, a standard or a change, not the level paid
        return before

    def pairs(start: int, end: int) -> list[tuple]:
        figures = [(q, subject_bigrams(ctx, b)) for q in ctx.quantities_in(start, end, kinds)
                   if (b := usable(q)) is not None]
        # a figure can only be A's (B's) when its clause has a word of A (B) only: the pairs to try
        for_a = [(q, words) for q, words in figures if words & a_only]
        for_b = [(q, words) for q, words in figures if words & b_only]
        found = []
        for qa, sa in for_a:
            for qb, sb in for_b:
                if qa is qb or not same_unit(ctx, qa, qb) or time_denominators(ctx, qa) != time_denominators(ctx, qb):
                    continue
                if not sa & sb & (a_words | b_words):
                    continue  # not the same indicator
                own_a, own_b = sa - sb, sb - sa
                if not own_a & a_only or own_a & b_words or not own_b & b_only or own_b & a_words:
                    continue
                if years_differ(ctx, qa, qb):
                    continue
                found.append((qa, qb))
        return found

    p_start, p_end = ctx.paragraph_of(claim[0])
    found = pairs(p_start, p_end) or pairs(0, len(ctx.text))
    if len({qa.start for qa, _ in found}) != 1 or len({qb.start for _, qb in found}) != 1:
        return None
    return found[0]


def years_differ(ctx: CheckContext, qa, qb) -> bool:  # noqa: ANN001 - Quantity
    """The two figures' clauses name different years (2017年… vs 2018年…)."""
    def years(q) -> set[str]:  # noqa: ANN001
        c_start, _ = ctx.clause_of(q.start)
        return set(re.findall(r"((?:19|20)\d{2})年", ctx.text[c_start:q.start]))

    ya, yb = years(qa), years(qb)
    return bool(ya and yb and ya != yb)


@rule("CLAIM-PROBLEM", "claim", "info")
def check_claims_against_problems(ctx: CheckContext) -> Iterator[Hit]:
    """An achievement (全覆盖 …) that the problems section qualifies (覆盖率不高 …): a soft conflict to verify.

    Positive: achievements ``实现村级幼儿园党组织全覆盖``, problems ``民办幼儿园党组织覆盖率不高``.
    Negative: the same achievement with a problems section that says nothing of coverage.
    """
    for pair in ctx.data.get("claims", "achievement_vs_problem", default=[]) or []:
        # a claim of coverage ends its clause (实现…全覆盖。); 全覆盖检查 describes an inspection
        achievements = [s for s in cue_spans(ctx, tuple(pair.get("achievement", ())))
                        if ctx.section_of(s[0]) != "problem" and ctx.clause_of(s[0])[1] == s[1]]
        if not achievements:
            continue
        problem_words = tuple(pair.get("problem", ()))
        pattern = re.compile("|".join(re.escape(w) for w in sorted(problem_words, key=lambda w: (-len(w), w))))
        for found in pattern.finditer(ctx.text):
            if ctx.section_of(found.start()) != "problem":
                continue
            p_clause = ctx.text[slice(*ctx.clause_of(found.start()))]

            def overlap(span: tuple[int, int]) -> tuple[int, int]:
                return len(bigrams(ctx.text[slice(*ctx.clause_of(span[0]))]) & bigrams(p_clause)), -span[0]

            best = max(achievements, key=overlap)
            a_start, a_end = ctx.clause_of(best[0])
            c_start, c_end = ctx.clause_of(found.start())
            message = (f"成效部分称“{ctx.text[a_start:a_end]}”，问题部分写“{ctx.text[c_start:c_end]}”，"
                       "口径可能不同，请核实二者是否一致。")
            yield Hit(message, ((a_start, a_end), (c_start, c_end)))


RULES = (check_claims_against_figures, check_claims_against_problems)
