"""Claim rules: a claim contradicted by the report's own figures or by its problems section."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.records import Claim

from .engine import CheckContext, Hit, rule

ACHIEVEMENT_SECTIONS = ("achievement", "practice", "background", "process", "other")


def cue_spans(ctx: CheckContext, words: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where the report makes a claim with one of ``words``.

    From the extracted claims; when the extractor produced no claims at all, from
    the cue words in the passages (the claim records are then missing, not empty).
    """
    if not words:
        return []
    claims: tuple[Claim, ...] = ctx.extraction.claims
    spans: set[tuple[int, int]] = set()
    for claim in claims:
        for word in words:
            found = ctx.text.find(word, claim.start, claim.end)
            if found >= 0 and (claim.cue_start <= found < claim.cue_end or word in claim.cue):
                spans.add((found, found + len(word)))
    if not claims:
        pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))))
        spans.update(m.span() for m in pattern.finditer(ctx.text))
    # 清零 inside 全面清零 is the same claim
    return sorted(s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans))


def bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1) if all("\u4e00" <= c <= "\u9fff" for c in text[i:i + 2])}


@rule("CLAIM-FIGURE", "claim", "warning")
def check_claims_against_figures(ctx: CheckContext) -> Iterator[Hit]:
    """A claim (只增不减, 清零 …) contradicted by a figure in the same paragraph about the same subject.

    Positive: ``各学段生均公用经费只增不减，其中小学生均增长4.1%，初中生均下降1.3%``.
    Negative: ``各学段生均公用经费只增不减，其中小学生均增长4.1%，初中生均增长1.3%``.
    """
    decrease = ctx.data.alternation("claims", "decrease_cues")
    claims = cue_spans(ctx, ctx.data.words("claims", "only_increase"))
    for start, end in claims:
        p_start, p_end = ctx.paragraph_of(start)
        sentence = ctx.text[slice(*ctx.sentence_of(start))]
        later = [s for s, _ in claims if start < s < p_end]
        scope_end = later[0] if later else p_end  # a decrease belongs to the nearest claim before it
        contradictions = []
        for q in ctx.quantities_in(end, scope_end, ("percent", "money", "count")):
            c_start, _ = ctx.clause_of(q.start)
            clause = ctx.text[c_start:q.start]
            if not re.search(f"(?:{decrease})了?$", clause):
                continue
            if not bigrams(clause) & bigrams(sentence):
                continue  # a decrease of something else
            contradictions.append((c_start, q.end))
        if contradictions:
            quoted = "、".join(f"“{ctx.text[s:e]}”" for s, e in contradictions)
            message = f"报告称“{ctx.text[start:end]}”，同一段又写{quoted}，与所称不符。"
            yield Hit(message, ((start, end), *contradictions))
    zero_claims = cue_spans(ctx, ctx.data.words("claims", "zero_cues"))
    nonzero = ctx.data.alternation("claims", "nonzero_cues")
    for start, end in zero_claims:
        p_start, p_end = ctx.paragraph_of(start)
        sentence = ctx.text[slice(*ctx.sentence_of(start))]
        for q in ctx.quantities_in(end, p_end, ("count",)):
            c_start, _ = ctx.clause_of(q.start)
            clause = ctx.text[c_start:q.start]
            if not isinstance(q.value, int | float) or q.value <= 0 or not re.search(f"(?:{nonzero})", clause):
                continue
            if not bigrams(clause) & bigrams(sentence):
                continue
            message = f"报告称“{ctx.text[start:end]}”，同一段又写“{ctx.text[c_start:q.end]}”，数量并非为零。"
            yield Hit(message, ((start, end), (c_start, q.end)), observed=q.value)


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
