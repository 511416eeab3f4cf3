"""Duplicate rules: an amount repeated within one sentence, near-identical sentences."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from pipeline.matching import similar_pairs
from pipeline.normalize import fold

from .engine import CheckContext, Hit, rule


@rule("DUP-AMOUNT", "duplicate", "warning")
def check_repeated_amounts(ctx: CheckContext) -> Iterator[Hit]:
    """The same sum of money stated twice in one sentence: a copy error or double counting.

    Positive: ``投资800余万改造教学楼，投资800余万元，购置课桌椅``.
    Negative: ``投资800余万元改造教学楼，投资300余万元购置课桌椅``; a 分别 list with equal values.
    """
    minimum = float(ctx.data.get("duplicates", "min_amount", default=10000))
    respectively = ctx.data.get("arithmetic", "respectively", "cue") or "分别"
    groups: dict[tuple[tuple[int, int], float, str | None], list] = defaultdict(list)
    for q in ctx.quantities:
        if q.kind != "money" or not isinstance(q.value, int | float) or q.value < minimum:
            continue
        groups[(ctx.sentence_of(q.start), float(q.value), q.approx)].append(q)
    for (_, value, _), mentions in sorted(groups.items(), key=lambda item: item[1][0].start):
        if len(mentions) < 2:
            continue
        between = ctx.text[mentions[0].start:mentions[-1].end]
        if respectively in between or respectively in ctx.text[slice(*ctx.clause_of(mentions[0].start))]:
            continue
        matching = ctx.data.words("duplicates", "matching_words")
        if any(w in ctx.text[ctx.clause_of(q.start)[0]:q.start] for q in mentions[1:] for w in matching):
            continue  # 县本级配套2600万元: a matching sum, stated on purpose
        quoted = "、".join(f"“{q.text}”" for q in mentions)
        message = f"同一句中重复出现相同金额{quoted}，疑为重复表述或重复计算。"
        if any(q.unit_implied for q in mentions):
            message += "其中一处缺少单位“元”。"
        yield Hit(message, tuple((q.start, q.end) for q in mentions), observed=len(mentions))


@rule("DUP-SENTENCE", "duplicate", "info")
def check_near_duplicate_sentences(ctx: CheckContext) -> Iterator[Hit]:
    """Two (nearly) identical long sentences in different places of the report.

    Positive: the same 24-character sentence about 课后服务 in the achievements and the measures.
    Negative: two sentences that share a topic but not their wording.
    """
    minimum = int(ctx.data.get("duplicates", "near_duplicate_min_chars", default=24))
    ratio = float(ctx.data.get("duplicates", "near_duplicate_ratio", default=92))
    # a sentence repeated n times is reported against its first few copies, not in all n² pairs
    per_sentence = int(ctx.data.get("duplicates", "near_duplicate_max_pairs", default=3))
    spans = [(s, e) for s, e in ctx.sentence_spans if len(ctx.text[s:e].strip()) >= minimum]
    texts = [fold(ctx.text[s:e]).strip() for s, e in spans]
    for i, j, score in similar_pairs(texts, threshold=ratio, max_per_column=per_sentence):
        (a_start, a_end), (b_start, b_end) = spans[i], spans[j]
        message = f"两处句子几乎相同（相似度{score:.0f}%），疑为重复粘贴。"
        yield Hit(message, ((a_start, a_end), (b_start, b_end)), observed=round(score))


RULES = (check_repeated_amounts, check_near_duplicate_sentences)
